/* SPDX-License-Identifier: MIT */
/*
 * ping_steps.c - the steps of the features in features/, by hand.  This
 * file is ours, not the generator's: it has no specgate header, so
 * `specgate generate` never writes it, and each function here replaces
 * the weak "pending" one of tests/generated/steps_pending.c at link time
 * (the prototypes are those of tests/generated/steps.h).
 *
 * "the service is running" starts build/ping-service (or $PING_BIN) once
 * per test program on 127.0.0.1 with port 0, the port read from the file
 * the service writes, and the service is stopped with SIGTERM when the
 * program exits (and dies with it if the program is killed).  "I call GET
 * PATH" sends a plain HTTP/1.1 request over a socket; the answer's status
 * line and JSON body (jansson) are what the Then steps check.  The
 * scenario's state is a struct scenario in cmocka's *state.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../generated/steps.h"

#define RESPONSE_MAX (1024 * 1024)

struct scenario {
	int status;	  /* of the last answer; 0 before a call */
	char reason[64];  /* its reason phrase: "OK", "Not Found" */
	char path[256];	  /* what was called */
	json_t *body;	  /* the answer's JSON body, or NULL */
	char *text;	  /* the answer's body as received */
};

static struct scenario scenario;
static pid_t service_pid;
static unsigned short service_port;
static char service_dir[64];

static void
service_stop(void)
{
	char path[128];
	int st;

	if (service_pid > 0) {
		kill(service_pid, SIGTERM);
		waitpid(service_pid, &st, 0);
		service_pid = 0;
	}
	if (service_dir[0]) {
		snprintf(path, sizeof(path), "%s/port", service_dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/log", service_dir);
		unlink(path);
		rmdir(service_dir);
		service_dir[0] = '\0';
	}
	json_decref(scenario.body);
	free(scenario.text);
	memset(&scenario, 0, sizeof(scenario));
}

/* The port the service wrote to DIR/port, or 0 while it has not. */
static unsigned short
read_port(void)
{
	char path[128];
	unsigned port = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/port", service_dir);
	if (!(f = fopen(path, "r")))
		return 0;
	if (fscanf(f, "%u", &port) != 1 || port > 65535)
		port = 0;
	fclose(f);
	return (unsigned short)port;
}

static void
service_start(void)
{
	const char *bin = getenv("PING_BIN");
	char port_file[128], log_file[128];
	struct timespec tick = {0, 100 * 1000 * 1000};
	const char *tmp = getenv("TMPDIR");
	pid_t pid;
	int st;

	if (service_pid > 0 && waitpid(service_pid, &st, WNOHANG) == 0)
		return; /* running since an earlier scenario */
	if (service_pid > 0)
		fail_msg("the service exited during an earlier scenario");
	if (!bin || !*bin)
		bin = "build/ping-service";
	snprintf(service_dir, sizeof(service_dir), "%s/ping-steps.XXXXXX",
	    tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(service_dir)) {
		service_dir[0] = '\0';
		fail_msg("mkdtemp: %s", strerror(errno));
	}
	atexit(service_stop);
	snprintf(port_file, sizeof(port_file), "%s/port", service_dir);
	snprintf(log_file, sizeof(log_file), "%s/log", service_dir);
	fflush(NULL);
	if ((pid = fork()) < 0)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		/* the service dies with the test program, however it ends */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (!freopen(log_file, "w", stderr))
			_exit(126);
		execl(bin, bin, "--listen", "127.0.0.1:0", "--port-file",
		    port_file, (char *)NULL);
		fprintf(stderr, "%s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	service_pid = pid;
	/* wait for the port file (up to 10 s), or for the service to die */
	for (int i = 0; i < 100; i++) {
		if ((service_port = read_port()) != 0)
			return;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			service_pid = 0;
			fail_msg("%s exited with status %d before listening "
				 "(see its log in %s)",
			    bin, WIFEXITED(st) ? WEXITSTATUS(st) : 128, log_file);
		}
		nanosleep(&tick, NULL);
	}
	fail_msg("%s wrote no port to %s in 10 s", bin, port_file);
}

static struct scenario *
scenario_of(void **state)
{
	if (!*state)
		fail_msg("no service: a scenario starts with 'the service is "
			 "running'");
	return *state;
}

/* GET PATH from the service: the status line and body into S. */
static void
call_get(void **state, const char *path)
{
	struct scenario *s = scenario_of(state);
	struct sockaddr_in sa;
	struct timeval tv = {10, 0};
	char *buf, *p, *body;
	size_t n = 0;
	ssize_t r;
	int fd;

	json_decref(s->body);
	free(s->text);
	s->body = NULL;
	s->text = NULL;
	s->status = 0;
	snprintf(s->path, sizeof(s->path), "%s", path);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		fail_msg("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(service_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fail_msg("connect to 127.0.0.1:%u: %s", service_port,
		    strerror(errno));
	}
	if (dprintf(fd,
		"GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		"Connection: close\r\n\r\n",
		path, service_port) < 0) {
		close(fd);
		fail_msg("send: %s", strerror(errno));
	}
	buf = malloc(RESPONSE_MAX + 1);
	assert_non_null(buf);
	while (n < RESPONSE_MAX &&
	    (r = read(fd, buf + n, RESPONSE_MAX - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	if (sscanf(buf, "HTTP/1.%*1[01] %3d %63[^\r\n]", &s->status,
		s->reason) != 2) {
		free(buf);
		fail_msg("GET %s: no HTTP status line in the answer", path);
	}
	if (!(body = strstr(buf, "\r\n\r\n"))) {
		free(buf);
		fail_msg("GET %s: the answer's headers do not end", path);
	}
	body += 4;
	for (p = buf; p < body; p++) /* a chunked body is not read here */
		if (strncasecmp(p, "\r\ntransfer-encoding: chunked", 28) == 0) {
			free(buf);
			fail_msg("GET %s: a chunked answer", path);
		}
	s->text = strdup(body);
	free(buf);
	assert_non_null(s->text);
	s->body = json_loads(s->text, 0, NULL);
}

static void
expect_status(void **state, long long status, const char *reason)
{
	struct scenario *s = scenario_of(state);

	if (!s->status)
		fail_msg("nothing was called yet");
	if (s->status != status || strcmp(s->reason, reason) != 0)
		fail_msg("GET %s answered %d %s, not %lld %s", s->path,
		    s->status, s->reason, status, reason);
}

/* The member NAME of the answer's JSON object. */
static json_t *
member(void **state, const char *name)
{
	struct scenario *s = scenario_of(state);
	json_t *v;

	if (!json_is_object(s->body))
		fail_msg("GET %s: the body is not a JSON object: %.200s",
		    s->path, s->text ? s->text : "");
	if (!(v = json_object_get(s->body, name)))
		fail_msg("GET %s: no \"%s\" in %.200s", s->path, name,
		    s->text);
	return v;
}

void
step_the_service_is_running(void **state, const struct specgate_step *step)
{
	(void)step;
	service_start();
	json_decref(scenario.body);
	free(scenario.text);
	memset(&scenario, 0, sizeof(scenario));
	*state = &scenario;
}

void
step_i_call_get_healthz(void **state, const struct specgate_step *step)
{
	(void)step;
	call_get(state, "/healthz");
}

void
step_i_call_get_v1_ping(void **state, const struct specgate_step *step)
{
	(void)step;
	call_get(state, "/v1/ping");
}

void
step_i_call_get_nope(void **state, const struct specgate_step *step)
{
	(void)step;
	call_get(state, "/nope");
}

void
step_i_call_get_v1_pingx(void **state, const struct specgate_step *step)
{
	(void)step;
	call_get(state, "/v1/pingx");
}

void
step_i_receive_a_int_ok(void **state, const struct specgate_step *step,
    long long p_int)
{
	(void)step;
	expect_status(state, p_int, "OK");
}

void
step_i_receive_a_int_not_found(void **state,
    const struct specgate_step *step, long long p_int)
{
	(void)step;
	expect_status(state, p_int, "Not Found");
}

void
step_the_response_contains_string_string(void **state,
    const struct specgate_step *step, const char *p_string,
    const char *p_string2)
{
	json_t *v = member(state, p_string);

	(void)step;
	if (!json_is_string(v) || strcmp(json_string_value(v), p_string2))
		fail_msg("\"%s\" is not \"%s\" in %.200s", p_string, p_string2,
		    scenario_of(state)->text);
}

void
step_the_response_contains_string_true(void **state,
    const struct specgate_step *step, const char *p_string)
{
	(void)step;
	if (!json_is_true(member(state, p_string)))
		fail_msg("\"%s\" is not true in %.200s", p_string,
		    scenario_of(state)->text);
}

void
step_the_response_includes_string_and_string_fields(void **state,
    const struct specgate_step *step, const char *p_string,
    const char *p_string2)
{
	const char *name[2] = {p_string, p_string2};

	(void)step;
	for (int i = 0; i < 2; i++) {
		json_t *v = member(state, name[i]);

		if (!json_is_string(v) || !*json_string_value(v))
			fail_msg("\"%s\" is not a non-empty string in %.200s",
			    name[i], scenario_of(state)->text);
	}
}
