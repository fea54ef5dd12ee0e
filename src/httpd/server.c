/* SPDX-License-Identifier: MIT */
/*
 * server.c - libmicrohttpd glue for `specgate serve` (httpd.h).
 *
 * Thin on purpose: parse the listen address, start an MHD daemon with a
 * pool of worker threads (one per CPU, each a poll() loop), turn each request into a
 * struct sg_service_request and send back what sg_service_handle()
 * answered.  Everything a response says is decided in src/lib/service/.
 *
 * Limits from MHD: MHD_OPTION_CONNECTION_LIMIT (connections),
 * MHD_OPTION_CONNECTION_TIMEOUT (idle seconds), MHD_OPTION_PER_IP_
 * CONNECTION_LIMIT (per_client), MHD_OPTION_CONNECTION_MEMORY_LIMIT (the
 * request line and headers must fit in request_max: MHD answers 431
 * otherwise); a request body (nothing here takes one) is counted and
 * refused with 413 past request_max.
 *
 * Slow clients (slowloris).  MHD's timeout is an idle timeout: a client
 * sending one header byte a second never reaches it, and 256 of them held
 * every connection.  MHD 0.9.75 has no deadline for a request's headers,
 * so this file keeps one: every connection (MHD_OPTION_NOTIFY_CONNECTION)
 * is on a "waiting" list, oldest first, from when it opens or its last
 * response went out until MHD calls the access handler (the headers are
 * complete).  The main thread sweeps the list every SWEEP_MS and shuts
 * down (shutdown(2); MHD sees the end of input and closes the connection
 * itself) every connection that has waited header_timeout_ms.  And so
 * that new requests (a load balancer's /healthz) are accepted at once
 * while slow ones hold connections, `reserve` slots are kept free: when
 * more than connections - reserve are open, the connections that have
 * waited longest (at least GRACE_MS) are shut down first, both when a new
 * connection opens and at each sweep.  A request in progress (headers
 * complete) is never shut down this way.  Shutting a socket down from
 * another thread is safe because MHD reports a connection CLOSED before
 * it closes the descriptor, and both happen under srv->lock here.
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
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "sys/dl.h"

/* libmicrohttpd, opened when serve starts (sys/dl.h). */
#define MHD_SYMS(X) X(MHD_add_response_header) \
	X(MHD_create_response_from_buffer) \
	X(MHD_destroy_response) \
	X(MHD_get_connection_info) \
	X(MHD_get_daemon_info) \
	X(MHD_lookup_connection_value) \
	X(MHD_queue_response) \
	X(MHD_quiesce_daemon) \
	X(MHD_start_daemon) \
	X(MHD_stop_daemon)
SG_DL_TABLE(mhd, SG_SONAME_MHD, MHD_SYMS)
#define MHD_add_response_header (sg_dl_mhd_fn.MHD_add_response_header)
#define MHD_create_response_from_buffer (sg_dl_mhd_fn.MHD_create_response_from_buffer)
#define MHD_destroy_response (sg_dl_mhd_fn.MHD_destroy_response)
#define MHD_get_connection_info (sg_dl_mhd_fn.MHD_get_connection_info)
#define MHD_get_daemon_info (sg_dl_mhd_fn.MHD_get_daemon_info)
#define MHD_lookup_connection_value (sg_dl_mhd_fn.MHD_lookup_connection_value)
#define MHD_queue_response (sg_dl_mhd_fn.MHD_queue_response)
#define MHD_quiesce_daemon (sg_dl_mhd_fn.MHD_quiesce_daemon)
#define MHD_start_daemon (sg_dl_mhd_fn.MHD_start_daemon)
#define MHD_stop_daemon (sg_dl_mhd_fn.MHD_stop_daemon)

#define DRAIN_MS 10000
#define SWEEP_MS 100	  /* how often waiting connections are checked */
#define GRACE_MS 200	  /* a connection younger than this is not shed */
#define REPORT_MS 10000	  /* at most one line about closed connections */

/* One open connection: MHD's socket context. */
struct conn {
	struct conn *prev, *next; /* on the waiting list, oldest first */
	uint64_t since;		  /* ms: waiting for headers since */
	MHD_socket fd;
	bool waiting;		  /* on the list */
	bool shut;		  /* shut down here; MHD closes it */
};

struct server {
	struct sg_service *svc;
	const struct httpd_options *opts;
	atomic_long inflight;
	atomic_ulong refused;	  /* over the per-client limit (MHD's log) */
	pthread_mutex_t lock;	  /* guards what follows */
	struct conn *head, *tail; /* the waiting list */
	unsigned open;		  /* connections MHD has open */
	unsigned shut;		  /* of which shut down, not yet closed */
	unsigned high;		  /* more open than this: shed waiting ones */
	unsigned long expired;	  /* closed at the header deadline */
	unsigned long shed;	  /* closed to keep the reserve free */
	uint64_t reported;	  /* ms: the last line about them */
};

/* One request: what the access log line needs. */
struct request {
	struct timespec start;
	bool started;	     /* the access handler saw it (headers done) */
	bool bad_target;     /* a control byte or a space in the target */
	const char *raw;     /* the target in MHD's buffer, as received */
	size_t raw_len;	     /* its strlen() when received */
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

static uint64_t
now_ms(void)
{
	struct timespec ts;

	now(&ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* libmicrohttpd's own messages; fmt is its format string. */
static void log_mhd(void *cls, const char *fmt, va_list ap) SG_PRINTF(2, 0);

static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	struct server *srv = cls;

	/*
	 * One line per refused connection, or per client that went away in
	 * the middle of its headers (and per connection shut down by
	 * sweep()), would let a flood write the log: refusals are counted
	 * and reported with the others (report()), departures dropped.
	 */
	if (strstr(fmt, "reached connection limit")) {
		atomic_fetch_add(&srv->refused, 1);
		return;
	}
	if (strstr(fmt, "closed when reading request") ||
	    strstr(fmt, "disconnected when reading request") ||
	    strstr(fmt, "closed by remote side with incomplete"))
		return;
	fputs("specgate: serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* Decode %XX in place, leaving %00 encoded (sg_service_unescape()). */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	return sg_service_unescape(s);
}

/* ---- connections waiting for a request's headers (srv->lock held) ---- */

static void
wait_begin(struct server *srv, struct conn *cn, uint64_t at)
{
	if (cn->waiting || cn->shut)
		return;
	cn->since = at;
	cn->prev = srv->tail;
	cn->next = NULL;
	if (srv->tail)
		srv->tail->next = cn;
	else
		srv->head = cn;
	srv->tail = cn;
	cn->waiting = true;
}

static void
wait_end(struct server *srv, struct conn *cn)
{
	if (!cn->waiting)
		return;
	if (cn->prev)
		cn->prev->next = cn->next;
	else
		srv->head = cn->next;
	if (cn->next)
		cn->next->prev = cn->prev;
	else
		srv->tail = cn->prev;
	cn->prev = cn->next = NULL;
	cn->waiting = false;
}

/* MHD notices the end of input at its next poll() and closes it. */
static void
conn_shut(struct server *srv, struct conn *cn)
{
	wait_end(srv, cn);
	shutdown(cn->fd, SHUT_RDWR);
	cn->shut = true;
	srv->shut++;
}

/* Keep the reserve free: shed the longest-waiting connections. */
static void
shed(struct server *srv, uint64_t at)
{
	while (srv->open - srv->shut > srv->high && srv->head &&
	    at - srv->head->since >= GRACE_MS) {
		conn_shut(srv, srv->head);
		srv->shed++;
	}
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct server *srv = cls;
	const union MHD_ConnectionInfo *ci;
	struct conn *cn = *socket_context;
	uint64_t at = now_ms();

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (!cn)
			return;
		pthread_mutex_lock(&srv->lock);
		wait_end(srv, cn);
		srv->open--;
		if (cn->shut)
			srv->shut--;
		pthread_mutex_unlock(&srv->lock);
		*socket_context = NULL;
		free(cn);
		return;
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci || !(cn = calloc(1, sizeof(*cn))))
		return; /* not tracked: only MHD's idle timeout applies */
	cn->fd = ci->connect_fd;
	pthread_mutex_lock(&srv->lock);
	srv->open++;
	wait_begin(srv, cn, at);
	shed(srv, at);
	pthread_mutex_unlock(&srv->lock);
	*socket_context = cn;
}

static struct conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* One line at most every REPORT_MS about connections closed or refused. */
static void
report(struct server *srv, uint64_t at)
{
	unsigned long expired, shedded, refused;

	if (at - srv->reported < REPORT_MS)
		return;
	pthread_mutex_lock(&srv->lock);
	expired = srv->expired;
	shedded = srv->shed;
	srv->expired = srv->shed = 0;
	pthread_mutex_unlock(&srv->lock);
	refused = atomic_exchange(&srv->refused, 0);
	if (!expired && !shedded && !refused)
		return;
	srv->reported = at;
	fprintf(stderr, "specgate: serve: closed %lu connections whose "
			"request headers took over %u ms, %lu to keep %u "
			"connections free; refused %lu (connection limit or "
			"%u per client)\n",
	    expired, srv->opts->header_timeout_ms, shedded,
	    srv->opts->connections - srv->high, refused,
	    srv->opts->per_client);
}

/* The header deadline and the reserve, every SWEEP_MS (main thread). */
static void
sweep(struct server *srv)
{
	uint64_t at = now_ms();

	pthread_mutex_lock(&srv->lock);
	while (srv->head &&
	    at - srv->head->since >= srv->opts->header_timeout_ms) {
		conn_shut(srv, srv->head);
		srv->expired++;
	}
	shed(srv, at);
	pthread_mutex_unlock(&srv->lock);
	report(srv, at);
}

static const char *
query_arg(const char *name, void *payload)
{
	return MHD_lookup_connection_value(payload, MHD_GET_ARGUMENT_KIND,
	    name);
}

/*
 * Append len bytes of s to the NUL-terminated out (size bytes) for the
 * log: printable ASCII, others (NUL included) as \xNN, " and \ too.
 */
static void
log_append(char *out, size_t size, const char *s, size_t len)
{
	size_t n = strlen(out);

	for (size_t i = 0; i < len && n + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

static void
log_copy(char *out, size_t size, const char *s)
{
	out[0] = '\0';
	log_append(out, size, s, strlen(s));
}

/*
 * MHD_OPTION_URI_LOG_CALLBACK: the request line has arrived, its target
 * not yet decoded nor split at '?'.  The request's state starts here so
 * that the target can be checked as received: MHD hands it over as a C
 * string, and a raw NUL in it would cut it short unseen (see
 * target_is_cut()).
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct request *rq = calloc(1, sizeof(*rq));

	if (!rq)
		return NULL;
	now(&rq->start);
	if (uri) {
		rq->raw = uri;
		rq->raw_len = strlen(uri);
		rq->bad_target = !sg_service_target_is_valid(uri, rq->raw_len);
		log_copy(rq->path, sizeof(rq->path), uri);
	}
	return rq;
}

/*
 * Whether a raw NUL cut the target short.  MHD 0.9.75 ends the target
 * with a NUL in its buffer, right before the HTTP version it passes to
 * the access handler; a NUL inside the target ends the string earlier.
 * The bytes between the two (untouched by MHD's decoding, which stops at
 * the first NUL) are added to the logged path.
 */
static bool
target_is_cut(struct request *rq, const char *version)
{
	const char *end;

	if (!rq->raw)
		return true;
	end = rq->raw + rq->raw_len;
	if (version == end + 1)
		return false;
	if (version > end && version - end < 65536)
		log_append(rq->path, sizeof(rq->path), end,
		    (size_t)(version - end - 1));
	return true;
}

static void
reply_error(struct sg_service_response *r, int status, const char *json)
{
	r->status = status;
	r->content_type = "application/json";
	r->body = strdup(json);
	r->len = r->body ? strlen(r->body) : 0;
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
	struct conn *cn;
	enum MHD_Result ret;

	if (!rq)
		return MHD_NO;
	if (!rq->started) {
		/* The headers are complete: off the waiting list. */
		if ((cn = conn_of(c))) {
			pthread_mutex_lock(&srv->lock);
			wait_end(srv, cn);
			pthread_mutex_unlock(&srv->lock);
		}
		rq->started = true;
		log_copy(rq->method, sizeof(rq->method), method);
		if (target_is_cut(rq, version))
			rq->bad_target = true;
		else if (!rq->bad_target)
			log_copy(rq->path, sizeof(rq->path), url);
		atomic_fetch_add(&srv->inflight, 1);
		return MHD_YES;
	}
	if (*upload_data_size) {
		rq->body += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	memset(&r, 0, sizeof(r));
	if (rq->bad_target) {
		reply_error(&r, 400, "{\"error\":{\"code\":\"bad_request\","
		    "\"message\":\"the request target has a NUL, a control "
		    "byte or a space\"}}\n");
	} else if (rq->body > srv->opts->request_max) {
		reply_error(&r, 413, "{\"error\":{\"code\":\"request_too_large\","
		    "\"message\":\"the request is too large\"}}\n");
	} else {
		req.method = method;
		req.path = url;
		req.arg = query_arg;
		req.arg_payload = c;
		sg_service_handle(&r, srv->svc, &req);
	}
	if (!r.body)
		return MHD_NO;
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
	struct conn *cn;
	struct tm tm;
	double ms;

	/* Kept alive: the header deadline of the next request starts. */
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK && (cn = conn_of(c))) {
		pthread_mutex_lock(&srv->lock);
		wait_begin(srv, cn, now_ms());
		pthread_mutex_unlock(&srv->lock);
	}
	if (!rq)
		return;
	*con_cls = NULL;
	/* Not started: MHD refused the request, or it never completed. */
	if (!rq->started) {
		free(rq);
		return;
	}
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

/* Wait for SIGTERM or SIGINT, sweeping the connections meanwhile. */
static int
wait_signal(struct server *srv)
{
	const struct timespec tick = {0, SWEEP_MS * 1000000L};
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	for (;;) {
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			return sig;
		sweep(srv);
	}
}

int
httpd_run(struct sg_service *svc, const struct httpd_options *opts)
{
	struct sg_error e = SG_ERROR_INIT;
	struct server srv;
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	socklen_t sslen;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned reserve;
	MHD_socket lfd;
	int sig;

	if (sg_dl_load(&sg_dl_mhd, &e) < 0) {
		fprintf(stderr, "specgate: error: %s\n", e.message);
		sg_error_release(&e);
		return -1;
	}
	if (resolve(&ss, &sslen, opts->listen) < 0)
		return -1;
	memset(&srv, 0, sizeof(srv));
	srv.svc = svc;
	srv.opts = opts;
	pthread_mutex_init(&srv.lock, NULL);
	/* At most half of the connections are kept in reserve. */
	reserve = opts->reserve < opts->connections / 2 ? opts->reserve :
							  opts->connections / 2;
	srv.high = opts->connections - reserve;
	d = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC |
		MHD_USE_ERROR_LOG | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 :
								  0),
	    0, NULL, NULL, on_request, &srv,
	    MHD_OPTION_EXTERNAL_LOGGER, log_mhd, &srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->per_client,
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
		pthread_mutex_destroy(&srv.lock);
		return -1;
	}
	print_listening(d, &ss);
	sig = wait_signal(&srv);
	fprintf(stderr, "specgate: serve: %s: stopping\n",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT");
	lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	drain(&srv);
	MHD_stop_daemon(d);
	pthread_mutex_destroy(&srv.lock);
	return 0;
}
