/* SPDX-License-Identifier: MIT */
/*
 * ping-service.c - the example service that specgate takes from spec to
 * deployment: features/ping.feature and features/health.feature describe
 * it, and this is all of it.
 *
 *	GET /v1/ping	200 {"pong":true,"service":"ping-service",
 *			     "commit":"<sha>"}
 *	GET /healthz	200 {"status":"healthy","version":"1.0.0",
 *			     "commit":"<sha>","timestamp":"<ISO Z>",
 *			     "release":"<id>" (when set),
 *			     "metrics":{"health_up":1,"uptime_seconds":N,
 *					"requests_total":N}}
 *	GET /metrics	200 Prometheus text format 0.0.4: ping_up,
 *			    ping_requests_total{path}, ping_start_time_seconds,
 *			    ping_build_info{version,commit}
 *	other paths	404 {"error":"not found"}
 *	other methods	405 {"error":"method not allowed"}
 *
 * The commit is fixed at build time (-DPING_COMMIT, from the Makefile), so
 * the binary says which source it was built from without a git checkout
 * beside it.  libmicrohttpd serves on its own thread; the main thread
 * waits for SIGTERM or SIGINT with sigwait() (no handler, so no
 * async-signal-safety to worry about), then stops the daemon, which
 * finishes the requests in flight, and exits 0.
 *
 * Options: --listen ADDR:PORT (default 127.0.0.1:8080; port 0 picks a free
 * one), --port-file FILE (write the bound port there once listening: the
 * tests start it on port 0 and read the port back, so no two test runs
 * fight over a port), --service NAME.
 *
 * /healthz is specgate's health document (`health_up` under "metrics",
 * which `specgate smoke` and the deploy stage's probe require), and it
 * says which release answers: SPECGATE_RELEASE_ID, set by specgate's
 * local deploy target.  The counters are touched by the one polling
 * thread of libmicrohttpd only, so they need no lock.
 *
 * Rejected: a thread per connection (a ping service needs no more than
 * one polling thread) and hand-written JSON (jansson escapes the service
 * name, which comes from the command line).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef PING_COMMIT
#define PING_COMMIT "unknown"
#endif
#ifndef PING_VERSION
#define PING_VERSION "0.0.0"
#endif

/* The paths /metrics counts, in its label order; the last is the rest. */
static const char *const paths[] = {"/v1/ping", "/healthz", "/metrics",
	"other"};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

struct ping {
	const char *service;
	const char *release; /* SPECGATE_RELEASE_ID, or NULL */
	time_t started;
	unsigned long long requests[NPATHS];
};

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, json_t *body)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *text;

	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!text)
		return MHD_NO;
	r = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static unsigned long long
total_requests(const struct ping *p)
{
	unsigned long long n = 0;

	for (size_t i = 0; i < NPATHS; i++)
		n += p->requests[i];
	return n;
}

/* The Prometheus text exposition of the counters (malloc'd). */
static char *
metrics_text(const struct ping *p)
{
	size_t size = 4096, len = 0;
	char *out = malloc(size);
	int n;

	if (!out)
		return NULL;
#define PUT(...)                                                               \
	do {                                                                   \
		n = snprintf(out + len, size - len, __VA_ARGS__);              \
		if (n < 0 || (size_t)n >= size - len) {                        \
			free(out);                                             \
			return NULL;                                           \
		}                                                              \
		len += (size_t)n;                                              \
	} while (0)
	PUT("# HELP ping_up Whether the service is up.\n"
	    "# TYPE ping_up gauge\nping_up 1\n");
	PUT("# HELP ping_requests_total HTTP requests answered, by path.\n"
	    "# TYPE ping_requests_total counter\n");
	for (size_t i = 0; i < NPATHS; i++)
		PUT("ping_requests_total{path=\"%s\"} %llu\n", paths[i],
		    p->requests[i]);
	PUT("# HELP ping_start_time_seconds When the service started, in "
	    "seconds since the epoch.\n"
	    "# TYPE ping_start_time_seconds gauge\n"
	    "ping_start_time_seconds %lld\n", (long long)p->started);
	PUT("# HELP ping_build_info The version and commit of the binary.\n"
	    "# TYPE ping_build_info gauge\n"
	    "ping_build_info{version=\"%s\",commit=\"%s\"} 1\n",
	    PING_VERSION, PING_COMMIT);
#undef PUT
	return out;
}

static void
iso_now(char *out, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, size, "1970-01-01T00:00:00Z");
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **state)
{
	struct ping *p = cls;
	char now[32];
	size_t which = NPATHS - 1;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	for (size_t i = 0; i + 1 < NPATHS; i++)
		if (!strcmp(url, paths[i]))
			which = i;
	p->requests[which]++;
	if (which == NPATHS - 1)
		return reply(c, MHD_HTTP_NOT_FOUND,
		    json_pack("{s:s}", "error", "not found"));
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    json_pack("{s:s}", "error", "method not allowed"));
	if (!strcmp(url, "/v1/ping"))
		return reply(c, MHD_HTTP_OK,
		    json_pack("{s:b,s:s,s:s}", "pong", 1, "service",
			p->service, "commit", PING_COMMIT));
	if (!strcmp(url, "/metrics")) {
		char *text = metrics_text(p);

		return text ? reply_text(c, text) : MHD_NO;
	}
	iso_now(now, sizeof(now));
	return reply(c, MHD_HTTP_OK,
	    json_pack("{s:s,s:s,s:s,s:s,s:s?,s:{s:i,s:I,s:I}}", "status",
		"healthy", "version", PING_VERSION, "commit", PING_COMMIT,
		"timestamp", now, "release", p->release, "metrics",
		"health_up", 1, "uptime_seconds",
		(json_int_t)(time(NULL) - p->started), "requests_total",
		(json_int_t)total_requests(p)));
}

/* "ADDR:PORT" into sa (IPv4 only: the example listens on loopback). */
static int
parse_listen(struct sockaddr_in *sa, const char *s)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	char *end;
	long port;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static int
write_port(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%u\n", port);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: ping-service [--listen ADDR:PORT] "
		   "[--port-file FILE] [--service NAME]\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"port-file", required_argument, NULL, 'p'},
		{"service", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct ping p = {"ping-service", NULL, 0, {0}};
	const char *listen = "127.0.0.1:8080";
	const char *port_file = NULL;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	sigset_t set;
	int sig;
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen = optarg;
			break;
		case 'p':
			port_file = optarg;
			break;
		case 's':
			p.service = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || parse_listen(&sa, listen) < 0) {
		usage(stderr);
		return 2;
	}
	p.release = getenv("SPECGATE_RELEASE_ID");
	p.started = time(NULL);
	/* block the signals before the daemon's thread inherits the mask */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
		MHD_USE_ERROR_LOG,
	    0, NULL, NULL, handle, &p, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)10, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ping-service: cannot listen on %s\n", listen);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (port_file && (!info || write_port(port_file, info->port) < 0)) {
		fprintf(stderr, "ping-service: cannot write '%s'\n", port_file);
		MHD_stop_daemon(d);
		return 1;
	}
	fprintf(stderr, "ping-service %s (%s) listening on port %u\n",
	    PING_VERSION, PING_COMMIT, info ? info->port : 0);
	while (sigwait(&set, &sig) != 0)
		;
	MHD_stop_daemon(d);
	fprintf(stderr, "ping-service: stopped by signal %d\n", sig);
	return 0;
}
