/* SPDX-License-Identifier: MIT */
/*
 * fuzz_route.c - libFuzzer entry point for the service's request path
 * (src/lib/service/): the raw request target check, the %XX decoder that
 * keeps %00 encoded, the query arguments, the route table and every
 * handler behind it (run id and parameter validation, the store queries,
 * the JSON and HTML rendering), as `specgate serve` runs them.
 *
 * Input: the first byte picks the method (GET, HEAD, POST, ...), the rest
 * is the request target as a client sends it ("/api/v1/runs?limit=5").
 * The harness does what src/httpd/server.c and libmicrohttpd do with it:
 * refuse a target with a NUL, control byte or space, split it at '?',
 * decode the path, split the query at '&' and '=' and decode each part
 * (MHD calls the same decoder for arguments).  The service answers from a
 * real store in a scratch directory holding one run with two audit
 * records, made once per process and removed at exit.
 *
 * Invariants besides memory safety: every answer has a known status, a
 * content type, a body of exactly len bytes with no NUL; JSON bodies
 * parse; 405 comes with Allow; a 200 for /api/v1/runs/<id> is only for
 * the run that exists; a decoded path never grows.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/tmpdir.h"
#include "specgate/audit.h"
#include "specgate/service.h"
#include "specgate/store.h"

#define FEAT "005cc0262265"
#define MAX_ARGS 32
#define MAX_TARGET 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sg_service *svc;
static char *root;
static char run_id[SG_RUN_ID_SIZE];

struct args {
	size_t n;
	const char *name[MAX_ARGS];
	const char *value[MAX_ARGS];
};

static void
cleanup(void)
{
	sg_service_free(svc);
	sg_test_rmtree(root);
	free(root);
}

/* The store: one run of FEAT and two audit records, as a run leaves. */
static void
setup(void)
{
	struct sg_service_options so = SG_SERVICE_OPTIONS_INIT;
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_run_new run = SG_RUN_NEW_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_record rec = {0};
	struct sg_store *st = NULL;

	root = sg_test_tmpdir();
	opts.root = root;
	if (sg_store_open(&st, "sqlite:state.db", &opts, &err) < 0)
		abort();
	run.feature_id = FEAT;
	run.mode = SG_MODE_SANDBOX;
	run.started = 1758722680;
	if (sg_store_run_create(run_id, st, &run, &err) < 0)
		abort();
	rec.timestamp = "2025-09-24T14:04:43Z";
	rec.run_id = run_id;
	rec.feature_id = FEAT;
	rec.stage = "preflight";
	rec.status = "success";
	rec.mode = "sandbox";
	rec.output = "spec-validation-report.json";
	if (sg_audit_append(NULL, st, &rec, 1, &err) < 0)
		abort();
	rec.output = NULL;
	rec.timestamp = "2025-09-24T14:04:50Z";
	rec.stage = "validate";
	rec.status = "retry";
	if (sg_audit_append(NULL, st, &rec, 1, &err) < 0)
		abort();
	sg_store_close(st);
	so.root = root;
	so.store_url = "sqlite:state.db";
	so.project = "fuzz";
	if (sg_service_new(&svc, &so, &err) < 0)
		abort();
	sg_error_release(&err);
	atexit(cleanup);
}

static const char *
arg_of(const char *name, void *payload)
{
	const struct args *a = payload;

	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->name[i], name))
			return a->value[i];
	return NULL;
}

/* "a=1&b&c=%41" in place, as libmicrohttpd splits and decodes it. */
static void
parse_query(struct args *a, char *q)
{
	char *amp, *eq;

	while (q && *q && a->n < MAX_ARGS) {
		if ((amp = strchr(q, '&')))
			*amp++ = '\0';
		if ((eq = strchr(q, '=')))
			*eq++ = '\0';
		sg_service_unescape(q);
		if (eq)
			sg_service_unescape(eq);
		a->name[a->n] = q;
		a->value[a->n++] = eq ? eq : "";
		q = amp;
	}
}

static void
check(const struct sg_service_response *r, const char *path)
{
	static const int known[] = {200, 400, 404, 405, 409, 500, 503};
	bool ok = false;
	json_t *j;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= r->status == known[i];
	if (!ok || !r->content_type || !r->body || strlen(r->body) != r->len)
		abort();
	if (r->status == 405 && !r->allow)
		abort();
	if (!strncmp(r->content_type, "application/json", 16)) {
		if (!(j = json_loadb(r->body, r->len, 0, NULL)))
			abort();
		json_decref(j);
	}
	if (r->status == 200 && !strncmp(path, "/api/v1/runs/", 13) &&
	    strcmp(path + 13, run_id))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT",
		"DELETE", "OPTIONS", "get", "TRACE"};
	struct sg_service_response r;
	struct sg_service_request req;
	struct args a = {0};
	char *target, *q;
	size_t len, n;

	if (!svc)
		setup();
	if (size < 1 || size > MAX_TARGET)
		return 0;
	len = size - 1;
	if (!sg_service_target_is_valid((const char *)data + 1, len)) {
		/* The front end answers 400: nothing of it may be routed. */
		if (len && !memchr(data + 1, '\0', len) &&
		    strspn((const char *)data + 1, "!\"#$%&'()*+,-./0123456789"
			":;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnop"
			"qrstuvwxyz{|}~") == len)
			abort();
		return 0;
	}
	target = malloc(len + 1);
	if (!target)
		abort();
	memcpy(target, data + 1, len);
	target[len] = '\0';
	if ((q = strchr(target, '?')))
		*q++ = '\0';
	n = strlen(target);
	if (sg_service_unescape(target) > n || strlen(target) > n)
		abort();
	parse_query(&a, q);
	req.method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	req.path = target;
	req.arg = arg_of;
	req.arg_payload = &a;
	sg_service_handle(&r, svc, &req);
	check(&r, target);
	sg_service_response_release(&r);
	free(target);
	return 0;
}
