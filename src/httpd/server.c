/* SPDX-License-Identifier: MIT */
/*
 * server.c - libmicrohttpd glue for `specgate serve` (httpd.h).
 *
 * Thin on purpose: parse the listen address, start an MHD daemon with a
 * pool of worker threads (one per CPU, each a poll() loop), turn each request into a
 * struct sg_service_request and send back what sg_service_handle()
 * answered.  Everything a response says is decided in src/lib/service/.
 *
 * Limits are MHD's own: MHD_OPTION_CONNECTION_LIMIT (connections),
 * MHD_OPTION_CONNECTION_TIMEOUT (idle seconds, which is also what a slow
 * client sending a byte a second gets), MHD_OPTION_CONNECTION_MEMORY_LIMIT
 * (the request line and headers must fit in request_max: MHD answers 431
 * otherwise); a request body (nothing here takes one) is counted and
 * refused with 413 past request_max.
 *
 * poll(), not epoll: with libmicrohttpd 0.9.75's epoll mode and a thread
 * pool, connections whose client closed before sending a request were
 * left in CLOSE_WAIT until the idle timeout, so 10,000 connections opened
 * and dropped filled the connection limit and /healthz stopped answering
 * (t1130); with poll() they are closed at once.
 *
 * Shutdown: SIGTERM/SIGINT are blocked in every thread and taken with
 * sigwait() on the main thread; then MHD_quiesce_daemon() closes the
 * listening socket, requests in flight (counted between MHD's first
 * access callback and its completion callback) get up to 10 s to finish,
 * and MHD_stop_daemon() closes what is left (idle keep-alive
 * connections).
 */
#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#define DRAIN_MS 10000

struct server {
	struct sg_service *svc;
	const struct httpd_options *opts;
	atomic_long inflight;
};

/* One request: what the access log line needs. */
struct request {
	struct timespec start;
	size_t body;	     /* request body bytes seen */
	int status;
	size_t bytes;
	char method[16];
	char path[256];
};

static void
now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

/* libmicrohttpd's own messages; fmt is its format string. */
static void log_mhd(void *cls, const char *fmt, va_list ap) SG_PRINTF(2, 0);

static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	fputs("specgate: serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * MHD's own unescaping turns %00 into a NUL, which would cut
 * "/api/v1/runs/20250924140440%00junk" short to a valid run id.  This one
 * decodes %XX in place except %00, which stays as written (and fails
 * every check that follows); '+' is left alone in paths.
 */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *in = s, *out = s;
	int hi, lo;

	while (*in) {
		if (in[0] == '%' && (hi = hexval(in[1])) >= 0 &&
		    (lo = hexval(in[2])) >= 0 && (hi || lo)) {
			*out++ = (char)(hi * 16 + lo);
			in += 3;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}

static const char *
query_arg(const char *name, void *payload)
{
	return MHD_lookup_connection_value(payload, MHD_GET_ARGUMENT_KIND,
	    name);
}

/* Copy s into out for the log: printable ASCII, others as \xNN, " too. */
static void
log_copy(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x21 || c > 0x7e || c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

static enum MHD_Result
respond(struct MHD_Connection *c, struct request *rq,
    struct sg_service_response *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(r->len, r->body,
	    MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO;
	r->body = NULL; /* MHD frees it */
	MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (!strncmp(r->content_type, "text/html", 9))
		MHD_add_response_header(resp, "Content-Security-Policy",
		    "default-src 'none'; style-src 'unsafe-inline'");
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	rq->status = r->status;
	rq->bytes = r->len;
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct server *srv = cls;
	struct sg_service_response r;
	struct sg_service_request req;
	struct request *rq = *con_cls;
	enum MHD_Result ret;

	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		now(&rq->start);
		log_copy(rq->method, sizeof(rq->method), method);
		log_copy(rq->path, sizeof(rq->path), url);
		atomic_fetch_add(&srv->inflight, 1);
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_data_size) {
		rq->body += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	memset(&r, 0, sizeof(r));
	if (rq->body > srv->opts->request_max) {
		r.status = 413;
		r.content_type = "application/json";
		r.body = strdup("{\"error\":{\"code\":\"request_too_large\","
				"\"message\":\"the request is too large\"}}\n");
		if (!r.body)
			return MHD_NO;
		r.len = strlen(r.body);
	} else {
		req.method = method;
		req.path = url;
		req.arg = query_arg;
		req.arg_payload = c;
		sg_service_handle(&r, srv->svc, &req);
	}
	ret = respond(c, rq, &r);
	sg_service_response_release(&r);
	return ret;
}

static void
remote_addr(char *out, size_t size, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(out, size, "-");
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !(sa = ci->client_addr))
		return;
	getnameinfo(sa, sa->sa_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
	    out, (socklen_t)size, NULL, 0, NI_NUMERICHOST);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct request *rq = *con_cls;
	struct timespec end, wall;
	char ts[32], addr[64];
	struct tm tm;
	double ms;

	if (!rq)
		return;
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
	if (srv->opts->access_log) {
		now(&end);
		ms = (double)(end.tv_sec - rq->start.tv_sec) * 1e3 +
		    (double)(end.tv_nsec - rq->start.tv_nsec) / 1e6;
		clock_gettime(CLOCK_REALTIME, &wall);
		gmtime_r(&wall.tv_sec, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		remote_addr(addr, sizeof(addr), c);
		fprintf(stderr,
		    "ts=%s remote=%s method=%s path=\"%s\" status=%d "
		    "bytes=%zu duration_ms=%.3f%s\n",
		    ts, addr, rq->method, rq->path, rq->status, rq->bytes, ms,
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" :
								 " aborted=1");
	}
	free(rq);
}

/* "HOST:PORT" or "[V6]:PORT" into a socket address. */
static int
resolve(struct sockaddr_storage *out, socklen_t *len, const char *listen)
{
	struct addrinfo hints, *res = NULL;
	const char *colon = strrchr(listen, ':');
	char host[256];
	size_t n;
	int rc;

	if (!colon || colon == listen || !colon[1])
		goto bad;
	n = (size_t)(colon - listen);
	if (listen[0] == '[') {
		if (n < 3 || listen[n - 1] != ']')
			goto bad;
		listen++;
		n -= 2;
	}
	if (n >= sizeof(host))
		goto bad;
	memcpy(host, listen, n);
	host[n] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc) {
		fprintf(stderr, "specgate: error: cannot use listen address "
				"'%s': %s\n", listen, gai_strerror(rc));
		return -1;
	}
	memcpy(out, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
bad:
	fprintf(stderr, "specgate: error: '%s' is not a listen address "
			"(HOST:PORT, e.g. 127.0.0.1:8080)\n", listen);
	return -1;
}

static void
print_listening(struct MHD_Daemon *d, const struct sockaddr_storage *ss)
{
	const union MHD_DaemonInfo *di;
	char host[64];
	unsigned port = 0;

	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (di)
		port = di->port;
	getnameinfo((const struct sockaddr *)ss, sizeof(*ss), host,
	    sizeof(host), NULL, 0, NI_NUMERICHOST);
	printf(ss->ss_family == AF_INET6 ? "listening on http://[%s]:%u/\n" :
					   "listening on http://%s:%u/\n",
	    host, port);
	fflush(stdout);
}

static void
drain(struct server *srv)
{
	struct timespec ts = {0, 10 * 1000 * 1000};

	for (int i = 0; i < DRAIN_MS / 10; i++) {
		if (atomic_load(&srv->inflight) <= 0)
			return;
		nanosleep(&ts, NULL);
	}
}

int
httpd_run(struct sg_service *svc, const struct httpd_options *opts)
{
	struct server srv = {svc, opts, 0};
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	socklen_t sslen;
	sigset_t set;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	MHD_socket lfd;
	int sig;

	if (resolve(&ss, &sslen, opts->listen) < 0)
		return -1;
	d = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC |
		MHD_USE_ERROR_LOG | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 :
								  0),
	    0, NULL, NULL, on_request, &srv,
	    MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(ncpu > 1 ? ncpu : 1),
	    MHD_OPTION_CONNECTION_LIMIT, opts->connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, opts->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, opts->request_max,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
	    MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "specgate: error: cannot listen on '%s': %s\n",
		    opts->listen, strerror(errno));
		return -1;
	}
	print_listening(d, &ss);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "specgate: serve: %s: stopping\n",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT");
	lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	drain(&srv);
	MHD_stop_daemon(d);
	return 0;
}
