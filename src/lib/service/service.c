/* SPDX-License-Identifier: MIT */
/*
 * service.c - the service object, its store pool and the route table.
 *
 * Routing is a table of (method set, path, match kind, handler) entries,
 * looked up in order: exact paths first, then the one prefix route
 * (/api/v1/runs/<id>).  A path that matches no entry is 404; a path that
 * matches but with a method other than GET or HEAD is 405 with
 * "Allow: GET, HEAD".
 *
 * The store pool: SQLite connections are cheap but not free (open, schema
 * check), and /metrics or the API would otherwise open one per request.
 * Up to SG_SERVICE_POOL idle connections are kept under the service lock;
 * a thread takes one, uses it alone and gives it back.  A connection that
 * failed is closed, not pooled, so that a store that was replaced or
 * repaired is reopened.  /healthz does not use the pool (health.c).
 *
 * What a front end needs before routing is here too, so that it is
 * fuzzed with the routes (tests/fuzz/fuzz_route.c): the check of a raw
 * request target (no NUL, control byte or space) and the %XX decoder that
 * leaves %00 encoded.
 */
#include "specgate/service.h"

#include <stdarg.h>

#include "service/service_int.h"
#include "util/utctime.h"

struct route {
	const char *path;
	bool prefix; /* path is a prefix: "/api/v1/runs/" */
	void (*handle)(struct sg_service_response *r, struct sg_service *svc,
	    const struct sg_service_request *req);
};

static const struct route routes[] = {
	{.path = "/healthz", .handle = sg_service__healthz},
	{.path = "/metrics", .handle = sg_service__metrics},
	{.path = "/api/v1/runs", .handle = sg_service__runs},
	{.path = "/api/v1/audit", .handle = sg_service__audit},
	{.path = "/", .handle = sg_service__dashboard},
	{.path = "/api/v1/runs/", .prefix = true, .handle = sg_service__run},
};

int
sg_service_new(struct sg_service **out, const struct sg_service_options *o,
    struct sg_error *err)
{
	struct sg_service *svc;
	struct sg_evidence_options eo = SG_EVIDENCE_OPTIONS_INIT;
	enum sg_mode mode = SG_MODE_SANDBOX;

	*out = NULL;
	if (!o || !o->root || o->root[0] != '/')
		return sg_error_set(err, SG_EINVAL,
		    "the service needs an absolute project root");
	if (o->mode && sg_mode_parse(&mode, o->mode) < 0)
		return sg_error_set(err, SG_EINVAL, "'%s' is not a mode",
		    o->mode);
	svc = sg_xcalloc(1, sizeof(*svc));
	svc->root = sg_xstrdup(o->root);
	svc->reports = o->reports && o->reports[0] == '/' ?
	    sg_xstrdup(o->reports) :
	    sg_xasprintf("%s/%s", o->root, o->reports ? o->reports : "reports");
	svc->store_url = o->store_url ? sg_xstrdup(o->store_url) : NULL;
	svc->project = sg_xstrdup(o->project ? o->project : "specgate");
	svc->mode = sg_xstrdup(sg_mode_name(mode));
	svc->mode_enum = mode;
	if (o->signing_key)
		svc->signing_key = o->signing_key[0] == '/' ?
		    sg_xstrdup(o->signing_key) :
		    sg_xasprintf("%s/%s", o->root, o->signing_key);
	if (o->passphrase && o->passlen) {
		svc->passphrase = sg_xmalloc(o->passlen);
		memcpy(svc->passphrase, o->passphrase, o->passlen);
		svc->passlen = o->passlen;
	}
	svc->min_free_bytes = o->min_free_bytes;
	svc->release_probe_ms = o->release_probe_ms ? o->release_probe_ms :
	    SG_SERVICE_RELEASE_PROBE_MS;
	eo.root = svc->root;
	eo.reports = svc->reports;
	eo.active_runs = o->active_runs ? o->active_runs : 20;
	svc->eo = eo;
	sg_mutex_init(&svc->lock);
	*out = svc;
	return 0;
}

void
sg_service_free(struct sg_service *svc)
{
	if (!svc)
		return;
	for (size_t i = 0; i < svc->nidle; i++)
		sg_store_close(svc->idle[i]);
	sg_mutex_release(&svc->lock);
	json_decref(svc->health);
	json_decref(svc->gate_cache);
	json_decref(svc->release_health);
	free(svc->metrics);
	if (svc->passphrase)
		sg_memzero(svc->passphrase, svc->passlen);
	free(svc->passphrase);
	free(svc->root);
	free(svc->reports);
	free(svc->store_url);
	free(svc->project);
	free(svc->mode);
	free(svc->signing_key);
	free(svc);
}

int
sg_service__store_get(struct sg_store **out, struct sg_service *svc,
    struct sg_error *err)
{
	struct sg_store_options so = SG_STORE_OPTIONS_INIT;

	*out = NULL;
	sg_mutex_lock(&svc->lock);
	if (svc->nidle)
		*out = svc->idle[--svc->nidle];
	sg_mutex_unlock(&svc->lock);
	if (*out)
		return 0;
	so.root = svc->root;
	so.flags = SG_STORE_OPEN_NO_CREATE;
	so.busy_timeout_ms = 2000;
	return sg_store_open(out, svc->store_url, &so, err);
}

void
sg_service__store_put(struct sg_service *svc, struct sg_store *st)
{
	if (!st)
		return;
	sg_mutex_lock(&svc->lock);
	if (svc->nidle < SG_SERVICE_POOL) {
		svc->idle[svc->nidle++] = st;
		st = NULL;
	}
	sg_mutex_unlock(&svc->lock);
	sg_store_close(st);
}

void
sg_service__reply(struct sg_service_response *r, int status,
    const char *type, char *body, size_t len)
{
	free(r->body);
	r->status = status;
	r->content_type = type;
	r->body = body;
	r->len = len;
}

void
sg_service__reply_json(struct sg_service_response *r, int status,
    const json_t *json)
{
	char *s = json_dumps(json, JSON_PRESERVE_ORDER | JSON_COMPACT);
	char *body;

	if (!s)
		SG_BUG("json_dumps failed");
	body = sg_xasprintf("%s\n", s);
	free(s);
	sg_service__reply(r, status, "application/json", body, strlen(body));
}

void
sg_service__reply_error(struct sg_service_response *r, int status,
    const char *code, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	json_t *j;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
	if (!j)
		SG_BUG("json_pack failed");
	sg_service__reply_json(r, status, j);
	json_decref(j);
}

void
sg_service_handle(struct sg_service_response *out, struct sg_service *svc,
    const struct sg_service_request *req)
{
	const struct route *rt = NULL;
	size_t n;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < SG_ARRAY_SIZE(routes) && !rt; i++) {
		n = strlen(routes[i].path);
		if (routes[i].prefix ? !strncmp(req->path, routes[i].path, n) :
				       !strcmp(req->path, routes[i].path))
			rt = &routes[i];
	}
	if (!rt) {
		sg_service__reply_error(out, 404, "not_found",
		    "no such resource; see /api/v1/runs, /healthz, /metrics");
		return;
	}
	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
		sg_service__reply_error(out, 405, "method_not_allowed",
		    "only GET and HEAD are allowed");
		out->allow = "GET, HEAD";
		return;
	}
	rt->handle(out, svc, req);
}

void
sg_service_response_release(struct sg_service_response *r)
{
	if (!r)
		return;
	free(r->body);
	memset(r, 0, sizeof(*r));
}

bool
sg_service_target_is_valid(const char *target, size_t len)
{
	if (!target || !len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)target[i];

		if (c <= 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

size_t
sg_service_unescape(char *s)
{
	char *in = s, *out = s;
	int v;

	while (*in) {
		/* a NUL stops sg_percent_byte() before it reads on */
		if ((v = sg_percent_byte(in, 3)) >= 0) {
			*out++ = (char)v;
			in += 3;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}

int64_t
sg_service__iso_seconds(const char *iso)
{
	struct tm tm;

	if (!iso || !sg_utc_is_iso(iso))
		return -1;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
		&tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}
