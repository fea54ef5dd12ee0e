/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the service core (src/lib/service/): every route called
 * without a socket, over a store made with the real store and audit APIs.
 * Checked: the health document (seed fields first, 503 and errors when the
 * store is missing), the metrics families and values, the API's error
 * codes, the run detail, and the dashboard's escaping.
 */
#include "../../harness/store.h"

#include <jansson.h>

#include "specgate/service.h"

#define FEAT "005cc0262265"

struct fx {
	struct sg_test_store_fixture s;
	struct sg_service *svc;
	char run_id[SG_RUN_ID_SIZE];
};

/* Query arguments: "name=value" pairs in a NULL-terminated array. */
static const char *
args_of(const char *name, void *payload)
{
	const char *const *kv = payload;
	size_t n = strlen(name);

	for (; kv && *kv; kv++)
		if (!strncmp(*kv, name, n) && (*kv)[n] == '=')
			return *kv + n + 1;
	return NULL;
}

static void
call(struct sg_service_response *r, struct fx *f, const char *method,
    const char *path, const char *const *args)
{
	struct sg_service_request req = {method, path, args_of, (void *)args};

	sg_service_handle(r, f->svc, &req);
	assert_non_null(r->body);
	assert_int_equal(strlen(r->body), r->len);
}

static json_t *
json_of(const struct sg_service_response *r)
{
	json_t *j = json_loadb(r->body, r->len, 0, NULL);

	assert_non_null(j);
	return j;
}

static int
setup(void **state)
{
	struct sg_service_options so = SG_SERVICE_OPTIONS_INIT;
	struct sg_run_new run = SG_RUN_NEW_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_record rec = {0};
	struct fx *f = calloc(1, sizeof(*f));
	void *inner;

	sg_test_store_setup(&inner);
	f->s = *(struct sg_test_store_fixture *)inner;
	free(inner);
	run.feature_id = FEAT;
	run.mode = SG_MODE_SANDBOX;
	run.started = 1758722680; /* 2025-09-24T14:04:40Z */
	assert_int_equal(sg_store_run_create(f->run_id, f->s.st, &run, &err),
	    0);
	rec.timestamp = "2025-09-24T14:04:43Z";
	rec.run_id = f->run_id;
	rec.feature_id = FEAT;
	rec.stage = "preflight";
	rec.status = "success";
	rec.mode = "sandbox";
	rec.output = "spec-validation-report.json";
	assert_int_equal(sg_audit_append(NULL, f->s.st, &rec, 1, &err), 0);
	rec.output = NULL;
	rec.timestamp = "2025-09-24T14:04:50Z";
	rec.stage = "validate";
	rec.status = "retry";
	assert_int_equal(sg_audit_append(NULL, f->s.st, &rec, 1, &err), 0);
	so.root = f->s.dir;
	so.store_url = "sqlite:state.db";
	so.project = "<b>proj</b>&";
	assert_int_equal(sg_service_new(&f->svc, &so, &err), 0);
	sg_error_release(&err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	void *inner = sg_xmalloc(sizeof(f->s));

	sg_service_free(f->svc);
	memcpy(inner, &f->s, sizeof(f->s));
	sg_test_store_teardown(&inner);
	free(f);
	return 0;
}

static void
healthz_is_the_seed_document_with_checks(void **state)
{
	struct fx *f = *state;
	struct sg_service_response r;
	const char *key;
	json_t *j, *v;
	size_t i = 0;
	static const char *const order[] = {"status", "version", "commit",
		"timestamp", "metrics", "mode", "service", "checks"};

	call(&r, f, "GET", "/healthz", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/json");
	j = json_of(&r);
	json_object_foreach(j, key, v)
		assert_string_equal(key, order[i++]);
	assert_int_equal(i, SG_ARRAY_SIZE(order));
	assert_string_equal(json_string_value(json_object_get(j, "status")),
	    "healthy");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
	    "metrics"), "health_up")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(j, "checks"), "store"), "audit_records")), 2);
	json_decref(j);
	sg_service_response_release(&r);
}

static void
healthz_without_a_store_is_503_with_errors(void **state)
{
	struct fx *f = *state;
	struct sg_service_options so = SG_SERVICE_OPTIONS_INIT;
	struct sg_service_response r;
	struct sg_service *good = f->svc;
	json_t *j;

	so.root = f->s.dir;
	so.store_url = "sqlite:absent.db";
	so.signing_key = "no-such.key";
	assert_int_equal(sg_service_new(&f->svc, &so, NULL), 0);
	call(&r, f, "HEAD", "/healthz", NULL);
	assert_int_equal(r.status, 503);
	j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "status")),
	    "unhealthy");
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 2);
	assert_true(!strncmp(json_string_value(json_array_get(
	    json_object_get(j, "errors"), 0)), "store: ", 7));
	assert_true(!strncmp(json_string_value(json_array_get(
	    json_object_get(j, "errors"), 1)), "signing_key: ", 13));
	json_decref(j);
	sg_service_response_release(&r);
	sg_service_free(f->svc);
	f->svc = good;
}

static void
metrics_are_the_store_in_text_format(void **state)
{
	struct fx *f = *state;
	struct sg_service_response r;

	call(&r, f, "GET", "/metrics", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type,
	    "text/plain; version=0.0.4; charset=utf-8");
	assert_non_null(strstr(r.body, "\nhealth_up 1\n"));
	assert_non_null(strstr(r.body,
	    "\nspecgate_runs{mode=\"sandbox\",status=\"running\"} 1\n"));
	assert_non_null(strstr(r.body,
	    "\nspecgate_checkpoints_total{stage=\"validate\",status=\"retry\"} 1\n"));
	assert_non_null(strstr(r.body,
	    "\nspecgate_stage_retries_total{stage=\"validate\"} 1\n"));
	/* 3 s from the start to preflight, 7 s from there to validate. */
	assert_non_null(strstr(r.body,
	    "\nspecgate_stage_duration_seconds_bucket{stage=\"preflight\","
	    "le=\"1\"} 0\n"));
	assert_non_null(strstr(r.body,
	    "\nspecgate_stage_duration_seconds_bucket{stage=\"preflight\","
	    "le=\"5\"} 1\n"));
	assert_non_null(strstr(r.body,
	    "\nspecgate_stage_duration_seconds_sum{stage=\"validate\"} 7\n"));
	assert_non_null(strstr(r.body,
	    "\nspecgate_stage_duration_seconds_bucket{stage=\"validate\","
	    "le=\"+Inf\"} 1\n"));
	assert_non_null(strstr(r.body, "\nspecgate_audit_records 2\n"));
	assert_non_null(strstr(r.body, "\nspecgate_audit_verify_ok 1\n"));
	assert_non_null(strstr(r.body,
	    "# TYPE specgate_gate_results gauge\n"));
	/* The only run is still running: it has no bundle to count yet. */
	assert_non_null(strstr(r.body, "\nspecgate_gate_results{gate=\"spec\","
	    "outcome=\"pass\"} 0\n"));
	assert_non_null(strstr(r.body, "\nspecgate_gate_results{gate=\"sast\","
	    "outcome=\"missing\"} 0\n"));
	assert_null(strstr(r.body, "gate=\"quality\""));
	sg_service_response_release(&r);
}

static void
api_errors_have_stable_codes(void **state)
{
	static const struct {
		const char *method, *path, *arg;
		int status;
		const char *code;
	} cases[] = {
		{"GET", "/nope", NULL, 404, "not_found"},
		{"POST", "/healthz", NULL, 405, "method_not_allowed"},
		{"DELETE", "/api/v1/runs", NULL, 405, "method_not_allowed"},
		{"GET", "/api/v1/runs/..", NULL, 400, "invalid_run_id"},
		{"GET", "/api/v1/runs/../../etc/passwd", NULL, 400,
		    "invalid_run_id"},
		{"GET", "/api/v1/runs/20250924140440-1", NULL, 400,
		    "invalid_run_id"},
		{"GET", "/api/v1/runs/20000101000000", NULL, 404,
		    "run_not_found"},
		{"GET", "/api/v1/runs", "limit=0", 400, "invalid_parameter"},
		{"GET", "/api/v1/runs", "status=retry", 400,
		    "invalid_parameter"},
		{"GET", "/api/v1/runs", "feature_id=../x", 400,
		    "invalid_parameter"},
		{"GET", "/api/v1/audit", "after=-1", 400, "invalid_parameter"},
	};
	struct fx *f = *state;
	struct sg_service_response r;
	json_t *j;

	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		const char *args[] = {cases[i].arg, NULL};

		call(&r, f, cases[i].method, cases[i].path, args);
		assert_int_equal(r.status, cases[i].status);
		j = json_of(&r);
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(j, "error"), "code")), cases[i].code);
		if (r.status == 405)
			assert_string_equal(r.allow, "GET, HEAD");
		json_decref(j);
		sg_service_response_release(&r);
	}
}

static void
api_run_detail_and_listing(void **state)
{
	struct fx *f = *state;
	struct sg_service_response r;
	char path[64];
	json_t *j, *st;

	snprintf(path, sizeof(path), "/api/v1/runs/%s", f->run_id);
	call(&r, f, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	j = json_of(&r);
	st = json_object_get(j, "stages");
	assert_int_equal(json_array_size(st), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(st, 1), "status")), "retry");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(st, 1), "retries")), 1);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(st, 1), "duration_seconds")), 7);
	assert_int_equal(json_array_size(json_object_get(j, "checkpoints")),
	    2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    j, "run"), "where")), "none");
	json_decref(j);
	sg_service_response_release(&r);

	call(&r, f, "GET", "/api/v1/runs", NULL);
	j = json_of(&r);
	assert_int_equal(json_array_size(json_object_get(j, "runs")), 1);
	assert_true(json_is_null(json_object_get(j, "next_offset")));
	json_decref(j);
	sg_service_response_release(&r);
}

static void
dashboard_escapes_what_it_shows(void **state)
{
	struct fx *f = *state;
	struct sg_service_response r;

	call(&r, f, "GET", "/", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_null(strstr(r.body, "<b>proj"));
	assert_non_null(strstr(r.body, "&lt;b&gt;proj&lt;/b&gt;&amp;"));
	assert_null(strstr(r.body, "<script"));
	assert_non_null(strstr(r.body, f->run_id));
	sg_service_response_release(&r);
}

/* http and https only (libcurl, sys/curl.c); https is tried, not refused. */
static void
smoke_refuses_what_is_not_plain_http(void **state)
{
	struct sg_smoke_result res;
	struct sg_error err = SG_ERROR_INIT;

	assert_int_equal(sg_smoke_probe(&res, "ftp://127.0.0.1/", 100,
	    &err), SG_EINVAL);
	sg_error_release(&err);
	/* A userinfo is Basic authentication; an empty host is refused. */
	assert_int_equal(sg_smoke_probe(&res, "http://a:b@/", 100, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_smoke_probe(&res, "https://127.0.0.1:1/", 1000,
	    &err), SG_EIO);
	assert_non_null(strstr(err.message, "cannot connect to 127.0.0.1:1"));
	sg_error_release(&err);
	assert_int_equal(sg_smoke_probe(&res, "http://127.0.0.1:99999/", 100,
	    &err), SG_EINVAL);
	sg_error_release(&err);
	sg_smoke_result_release(&res);
}

/* Issue #12: a raw NUL, control byte or space in a target; %00 kept. */
static void
target_check_and_unescape(void **state)
{
	char s1[] = "/api/v1/runs/2025%30924140440";
	char s2[] = "/a%00b%2f%zz%4";
	char s3[] = "%41%42+%20";

	(void)state;
	assert_true(sg_service_target_is_valid("/healthz?a=1", 12));
	assert_true(sg_service_target_is_valid("/caf\xc3\xa9", 6));
	assert_false(sg_service_target_is_valid("/a\0/../b", 9));
	assert_false(sg_service_target_is_valid("/a\x01", 3));
	assert_false(sg_service_target_is_valid("/a b", 4));
	assert_false(sg_service_target_is_valid("/a\x7f", 3));
	assert_false(sg_service_target_is_valid("", 0));
	assert_int_equal(sg_service_unescape(s1), 27);
	assert_string_equal(s1, "/api/v1/runs/20250924140440");
	assert_int_equal(sg_service_unescape(s2), 12);
	assert_string_equal(s2, "/a%00b/%zz%4");
	assert_int_equal(sg_service_unescape(s3), 4);
	assert_string_equal(s3, "AB+ ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    healthz_is_the_seed_document_with_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    healthz_without_a_store_is_503_with_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    metrics_are_the_store_in_text_format, setup, teardown),
		cmocka_unit_test_setup_teardown(api_errors_have_stable_codes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(api_run_detail_and_listing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(dashboard_escapes_what_it_shows,
		    setup, teardown),
		cmocka_unit_test(smoke_refuses_what_is_not_plain_http),
		cmocka_unit_test(target_check_and_unescape),
	};

	return cmocka_run_group_tests_name("service/service", tests, NULL,
	    NULL);
}
