/* SPDX-License-Identifier: MIT */
/*
 * service.h - the core of `specgate serve`: everything the HTTP service
 * answers, rendered from the store, the audit trail and the bundles,
 * without sockets (docs/product.md §8; docs/internals/service.md).
 *
 * A front end (src/httpd/, libmicrohttpd) turns each request into a
 * struct sg_service_request, calls sg_service_handle() and sends the
 * struct sg_service_response back; nothing here knows about HTTP
 * connections, so every route is unit-tested by calling it.
 *
 *	GET /healthz		health document; 200 healthy, 503 unhealthy
 *	GET /metrics		Prometheus text format 0.0.4
 *	GET /api/v1/runs	runs, newest first (feature_id, mode, status,
 *				limit, offset)
 *	GET /api/v1/runs/ID	one run (feature_id= when the id is ambiguous)
 *	GET /api/v1/audit	audit records (after, limit)
 *	GET /			the dashboard, HTML
 *
 * HEAD is answered as GET (the front end drops the body); other methods
 * get 405 with an Allow header.  API errors are JSON
 * {"error": {"code": "<stable code>", "message": "..."}} (docs/formats.md).
 *
 * Read-only: the service opens the store, never creates runs or appends
 * to the trail.  Threads: a struct sg_service is shared by every thread of
 * the front end; sg_service_handle() may run on several threads at once.
 * It keeps a small pool of store connections (one connection is one
 * thread's at a time, store.h) and caches the signing-key check until the
 * key file changes.
 */
#ifndef SPECGATE_SERVICE_H
#define SPECGATE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/error.h"

struct sg_service;

#define SG_SERVICE_OPTIONS_VERSION 1

struct sg_service_options {
	unsigned version;	 /* SG_SERVICE_OPTIONS_VERSION */
	const char *root;	 /* absolute project root */
	const char *reports;	 /* bundle root, from root unless absolute */
	const char *store_url;	 /* store.h URL; NULL: the default */
	const char *project;	 /* "service" in /healthz */
	const char *mode;	 /* "sandbox" | "compliance" */
	const char *signing_key; /* key to check in /healthz; NULL: none */
	const char *passphrase;	 /* unused: /healthz never decrypts the key */
	size_t passlen;
	uint64_t min_free_bytes; /* reports free space below: unhealthy */
	unsigned active_runs;	 /* retention, to find bundles */
	/*
	 * /metrics probes a deployed release's health URL at most once in
	 * this many milliseconds (serve.release_probe); 0: the default.
	 */
	unsigned release_probe_ms;
};

#define SG_SERVICE_OPTIONS_INIT                                            \
	{SG_SERVICE_OPTIONS_VERSION, NULL, "reports", NULL, NULL, "sandbox", \
	    NULL, NULL, 0, 0, 20, 0}

/*
 * Make a service from opts (strings are copied).  Does not touch the
 * store: a store that cannot be opened is a failed health check, not a
 * reason not to start.  *out (OUT) is freed with sg_service_free().
 * SG_EINVAL for a missing root or a bad mode.
 */
int sg_service_new(struct sg_service **out,
    const struct sg_service_options *opts, struct sg_error *err);

/* Free svc, closing its store connections and wiping the passphrase. */
void sg_service_free(struct sg_service *svc);

/* A query parameter's value (decoded), or NULL when absent. */
typedef const char *(*sg_service_arg_fn)(const char *name, void *payload);

struct sg_service_request {
	const char *method; /* "GET", "HEAD", ... */
	const char *path;   /* decoded path, without the query */
	sg_service_arg_fn arg;
	void *arg_payload;
};

struct sg_service_response {
	int status;		  /* HTTP status */
	const char *content_type; /* static string */
	const char *allow;	  /* static; set with 405 */
	char *body;		  /* owned; NUL-terminated */
	size_t len;
};

/*
 * Answer one request into *out (OUT; release with
 * sg_service_response_release()).  Never fails: a store that fails is a
 * 500 (503 for /healthz) with its message in the body.
 */
void sg_service_handle(struct sg_service_response *out,
    struct sg_service *svc, const struct sg_service_request *req);

/* Free what r holds (not r).  r may be NULL. */
void sg_service_response_release(struct sg_service_response *r);

/*
 * Whether a raw request target (the path and query as received, len
 * bytes, before any decoding) may be routed at all: false when it is
 * empty or holds a NUL, another control byte (below 0x20, DEL) or a
 * space.  A front end answers 400 to those: a raw NUL would otherwise cut
 * "/api/v1/runs/<id>\0/../junk" short to a valid run id.
 */
bool sg_service_target_is_valid(const char *target, size_t len);

/*
 * Decode the %XX escapes of the NUL-terminated s in place and return its
 * new length; '+' is left alone.  "%00" stays as written (three bytes),
 * so a decoded path or argument never holds a NUL and fails every check
 * that follows (a run id, a number) instead of being cut short.
 */
size_t sg_service_unescape(char *s);

/*
 * What one health probe saw (`specgate smoke`): the HTTP status, the
 * document's status and health_up, and `healthy` when all three say so
 * (200, "healthy", 1).  `summary` is one line for people: "HTTP 503,
 * unhealthy, health_up 0: store: ..." (owned).
 */
struct sg_smoke_result {
	int http_status;
	bool healthy;
	char *summary;
};

void sg_smoke_result_release(struct sg_smoke_result *r);

/*
 * GET url once (http or https, libcurl: see sys/curl.h) within timeout_ms and
 * judge the answer into *out (OUT).  Returns 0 when there was an HTTP
 * answer (healthy or not), SG_EIO when there was none (refused, timeout:
 * the message says which), SG_EINVAL for a URL that is malformed or neither http nor https.
 */
int sg_smoke_probe(struct sg_smoke_result *out, const char *url,
    unsigned timeout_ms, struct sg_error *err);

#endif /* SPECGATE_SERVICE_H */
