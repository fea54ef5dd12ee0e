/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the runs API (src/lib/store/store.c): run-id allocation
 * and its clashes, status updates and final statuses, look-ups, listings
 * with filters and paging, and argument checks.  Concurrent allocation
 * from several processes is in tests/unit/audit/concurrent.c.
 *
 * With SG_TEST_PG_URL set (t0550 does), the same tests run against that
 * PostgreSQL database (tests/harness/store.h).
 */
#define SG_TEST_STORE_PG
#include "../../harness/store.h"

/* 2025-09-24T14:04:40Z */
#define T0 ((time_t)1758722680)
#define FEAT "005cc0262265"
#define FEAT2 "aaaaaaaaaaaa"

/* Create a run of `feature` started at t; return its id in out. */
static int
create(char *out, struct sg_test_store_fixture *f, const char *feature,
    time_t t, struct sg_error *err)
{
	struct sg_run_new run = SG_RUN_NEW_INIT;

	run.feature_id = feature;
	run.mode = SG_MODE_SANDBOX;
	run.started = t;
	return sg_store_run_create(out, f->st, &run, err);
}

static void
run_id_is_the_utc_start_time(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char id[SG_RUN_ID_SIZE];
	struct sg_run *run = NULL;

	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_string_equal(id, "20250924140440");
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT, id, &err), 0);
	assert_string_equal(run->feature_id, FEAT);
	assert_string_equal(run->run_id, id);
	assert_string_equal(run->mode, "sandbox");
	assert_string_equal(run->status, "running");
	assert_string_equal(run->started_at, "2025-09-24T14:04:40Z");
	assert_null(run->finished_at);
	assert_null(run->bundle);
	sg_run_free(run);
	sg_error_release(&err);
}

static void
clashes_get_dash_two_then_dash_three(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char id[SG_RUN_ID_SIZE];
	char want[SG_RUN_ID_SIZE];

	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_string_equal(id, "20250924140440");
	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_string_equal(id, "20250924140440-2");
	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_string_equal(id, "20250924140440-3");
	for (int n = 4; n <= 12; n++) {
		assert_int_equal(create(id, f, FEAT, T0, &err), 0);
		snprintf(want, sizeof(want), "20250924140440-%d", n);
		assert_string_equal(id, want);
	}
	/* Another feature has ids of its own. */
	assert_int_equal(create(id, f, FEAT2, T0, &err), 0);
	assert_string_equal(id, "20250924140440");
	/* The next second is free again. */
	assert_int_equal(create(id, f, FEAT, T0 + 1, &err), 0);
	assert_string_equal(id, "20250924140441");
	sg_error_release(&err);
}

static void
a_freed_suffix_is_reused_first(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char id[SG_RUN_ID_SIZE];

	for (int i = 0; i < 3; i++)
		assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	sg_test_sql(f->dir,
	    "DELETE FROM runs WHERE run_id = '20250924140440-2'");
	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_string_equal(id, "20250924140440-2");
	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_string_equal(id, "20250924140440-4");
	sg_error_release(&err);
}

static void
bad_new_runs_are_refused(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_run_new run = SG_RUN_NEW_INIT;
	struct sg_error err = SG_ERROR_INIT;
	char id[SG_RUN_ID_SIZE];

	run.feature_id = "005CC0262265";
	run.mode = SG_MODE_SANDBOX;
	assert_int_equal(sg_store_run_create(id, f->st, &run, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "invalid feature id"));
	assert_string_equal(id, "");
	sg_error_release(&err);
	run.feature_id = FEAT;
	run.mode = SG_MODE_COMPLIANCE;
	run.status = SG_RUN_SUCCESS;
	assert_int_equal(sg_store_run_create(id, f->st, &run, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "cannot start 'success'"));
	sg_error_release(&err);
	/* Nothing was recorded. */
	assert_int_equal(sg_test_sql_int(f->dir, "SELECT count(*) FROM runs"),
	    0);
}

static void
status_updates_and_final_statuses(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char id[SG_RUN_ID_SIZE];
	struct sg_run *run = NULL;

	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_int_equal(sg_store_run_update(f->st, FEAT, id,
			     SG_RUN_AWAITING_APPROVAL, "reports/" FEAT "/x", 0,
			     &err),
	    0);
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT, id, &err), 0);
	assert_string_equal(run->status, "awaiting_approval");
	assert_int_equal(run->status_enum, SG_RUN_AWAITING_APPROVAL);
	assert_int_equal(run->mode_enum, SG_MODE_SANDBOX);
	assert_string_equal(run->bundle, "reports/" FEAT "/x");
	assert_null(run->finished_at);
	sg_run_free(run);

	/* NULL bundle keeps it; a final status stamps finished_at. */
	assert_int_equal(sg_store_run_update(f->st, FEAT, id, SG_RUN_RUNNING,
			     NULL, 0, &err),
	    0);
	assert_int_equal(sg_store_run_update(f->st, FEAT, id, SG_RUN_WARNING,
			     NULL, T0 + 75, &err),
	    0);
	assert_int_equal(sg_store_run_get(&run, f->st, NULL, id, &err), 0);
	assert_string_equal(run->status, "warning");
	assert_int_equal(run->status_enum, SG_RUN_WARNING);
	assert_string_equal(run->bundle, "reports/" FEAT "/x");
	assert_string_equal(run->finished_at, "2025-09-24T14:05:55Z");
	sg_run_free(run);

	/* A final run stays final. */
	assert_int_equal(sg_store_run_update(f->st, FEAT, id, SG_RUN_RUNNING,
			     NULL, 0, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "already finished (warning)"));
	sg_error_release(&err);

	assert_int_equal(sg_store_run_update(f->st, FEAT, "20250101000000",
			     SG_RUN_SUCCESS, NULL, 0, &err),
	    SG_ENOTFOUND);
	sg_error_release(&err);
	assert_int_equal(sg_store_run_update(f->st, FEAT, "x", SG_RUN_SUCCESS,
			     NULL, 0, &err),
	    SG_EINVAL);
	sg_error_release(&err);
}

static void
get_without_a_feature_is_ambiguous_when_shared(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char id[SG_RUN_ID_SIZE];
	struct sg_run *run = NULL;

	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_int_equal(sg_store_run_get(&run, f->st, NULL, id, &err), 0);
	assert_string_equal(run->feature_id, FEAT);
	sg_run_free(run);
	run = NULL;
	assert_int_equal(create(id, f, FEAT2, T0, &err), 0);
	assert_int_equal(sg_store_run_get(&run, f->st, NULL, id, &err),
	    SG_EINVAL);
	assert_null(run);
	assert_non_null(strstr(err.message, "ambiguous"));
	assert_non_null(strstr(err.message, FEAT));
	assert_non_null(strstr(err.message, FEAT2));
	sg_error_release(&err);
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT2, id, &err), 0);
	assert_string_equal(run->feature_id, FEAT2);
	sg_run_free(run);
	run = NULL;
	assert_int_equal(sg_store_run_get(&run, f->st, NULL, "20200101000000",
			     &err),
	    SG_ENOTFOUND);
	assert_null(run);
	sg_error_release(&err);
}

/* Collects run ids into a 512-byte buffer, as "id,id@2,..." (@2: FEAT2). */
static int
collect(const struct sg_run *run, void *payload)
{
	char *out = payload;
	size_t n = strlen(out);

	snprintf(out + n, 512 - n, "%s%s%s", n ? "," : "", run->run_id,
	    strcmp(run->feature_id, FEAT2) ? "" : "@2");
	return 0;
}

static int
stop_at_two(const struct sg_run *run, void *payload)
{
	int *n = payload;

	(void)run;
	return ++*n == 2 ? 42 : 0;
}

static void
list_filters_newest_first_with_paging(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_run_filter filter = SG_RUN_FILTER_INIT;
	struct sg_error err = SG_ERROR_INIT;
	char id[SG_RUN_ID_SIZE];
	char got[512];
	int n = 0;

	/* T0, T0-2 (FEAT); T0+5 (FEAT2, compliance); T0-60 (FEAT) */
	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	assert_int_equal(create(id, f, FEAT, T0, &err), 0);
	{
		struct sg_run_new run = SG_RUN_NEW_INIT;

		run.feature_id = FEAT2;
		run.mode = SG_MODE_COMPLIANCE;
		run.started = T0 + 5;
		assert_int_equal(sg_store_run_create(id, f->st, &run, &err),
		    0);
	}
	assert_int_equal(create(id, f, FEAT, T0 - 60, &err), 0);
	assert_int_equal(sg_store_run_update(f->st, FEAT, "20250924140440",
			     SG_RUN_FAILURE, NULL, 0, &err),
	    0);

	got[0] = '\0';
	assert_int_equal(sg_store_run_list(f->st, NULL, collect, got, &err),
	    0);
	assert_string_equal(got, "20250924140445@2,20250924140440-2,"
				 "20250924140440,20250924140340");

	got[0] = '\0';
	filter.feature_id = FEAT;
	assert_int_equal(sg_store_run_list(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got,
	    "20250924140440-2,20250924140440,20250924140340");

	got[0] = '\0';
	filter.limit = 1;
	filter.offset = 1;
	assert_int_equal(sg_store_run_list(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "20250924140440");

	got[0] = '\0';
	filter.limit = 0;
	filter.offset = 2;
	assert_int_equal(sg_store_run_list(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "20250924140340");

	got[0] = '\0';
	filter = (struct sg_run_filter)SG_RUN_FILTER_INIT;
	filter.status = "failure";
	assert_int_equal(sg_store_run_list(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "20250924140440");

	got[0] = '\0';
	filter = (struct sg_run_filter)SG_RUN_FILTER_INIT;
	filter.mode = "compliance";
	assert_int_equal(sg_store_run_list(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "20250924140445@2");

	got[0] = '\0';
	filter.mode = "sandbox";
	filter.status = "running";
	filter.run_id = "20250924140440-2";
	assert_int_equal(sg_store_run_list(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "20250924140440-2");

	/* A callback's non-zero value stops the listing and comes back. */
	assert_int_equal(sg_store_run_list(f->st, NULL, stop_at_two, &n,
			     &err),
	    42);
	assert_int_equal(n, 2);

	filter = (struct sg_run_filter)SG_RUN_FILTER_INIT;
	filter.status = "done";
	assert_int_equal(sg_store_run_list(f->st, &filter, collect, got, &err),
	    SG_EINVAL);
	sg_error_release(&err);
}

static void
run_status_rules(void **state)
{
	(void)state;
	assert_true(sg_run_status_is_valid("awaiting_approval"));
	assert_false(sg_run_status_is_final("awaiting_approval"));
	assert_true(sg_run_status_is_final("cancelled"));
	assert_false(sg_run_status_is_valid("retry"));
}

/* Count the hook's calls (inside the claim's transaction). */
static int
count_hook(struct sg_store *st, const char *run_id, void *payload,
    struct sg_error *err)
{
	int *n = payload;

	(void)st;
	(void)err;
	assert_non_null(run_id);
	(*n)++;
	return *n > 1 ? sg_error_set(err, SG_EIO, "hook refuses") : 0;
}

static void
one_continuation_per_waiting_run(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_run_new rn = SG_RUN_NEW_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_run *run = NULL;
	char w[SG_RUN_ID_SIZE], c[SG_RUN_ID_SIZE], c2[SG_RUN_ID_SIZE];
	char holder[SG_RUN_ID_SIZE];
	int calls = 0;

	rn.feature_id = FEAT;
	rn.mode = SG_MODE_COMPLIANCE;
	rn.started = T0;
	assert_int_equal(sg_store_run_create(w, f->st, &rn, &err), 0);
	/* Not waiting yet: refused, nothing created. */
	assert_int_equal(sg_store_run_continue(c, holder, f->st, &rn, w,
	    count_hook, &calls, &err), SG_EINVAL);
	assert_non_null(strstr(err.message, "not awaiting approval"));
	sg_error_release(&err);
	assert_int_equal(calls, 0);
	assert_int_equal(sg_store_run_update(f->st, FEAT, w,
	    SG_RUN_AWAITING_APPROVAL, "reports/x", 0, &err), 0);
	assert_int_equal(sg_store_run_continue(c, holder, f->st, &rn, w,
	    count_hook, &calls, &err), 0);
	assert_string_equal(c, "20250924140440-2");
	assert_string_equal(holder, "");
	assert_int_equal(calls, 1);
	/* A second claim names the first continuation and makes nothing. */
	assert_int_equal(sg_store_run_continue(c2, holder, f->st, &rn, w,
	    count_hook, &calls, &err), SG_EINVAL);
	assert_string_equal(holder, c);
	assert_string_equal(c2, "");
	assert_non_null(strstr(err.message, "already resumed by run"));
	sg_error_release(&err);
	assert_int_equal(calls, 1);
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT,
	    "20250924140440-3", &err), SG_ENOTFOUND);
	sg_error_release(&err);
	/* The links, both ways. */
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT, w, &err), 0);
	assert_string_equal(run->continued_by, c);
	assert_null(run->continues);
	sg_run_free(run);
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT, c, &err), 0);
	assert_string_equal(run->continues, w);
	assert_null(run->continued_by);
	sg_run_free(run);
	/* The continuation's final status is the waiting run's. */
	assert_int_equal(sg_store_run_update(f->st, FEAT, c, SG_RUN_FAILURE,
	    NULL, 0, &err), 0);
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT, w, &err), 0);
	assert_string_equal(run->status, "failure");
	assert_string_equal(run->bundle, "reports/x");
	assert_non_null(run->finished_at);
	sg_run_free(run);
	sg_error_release(&err);
}

static void
a_failing_hook_rolls_the_claim_back(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_run_new rn = SG_RUN_NEW_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_run *run = NULL;
	char w[SG_RUN_ID_SIZE], c[SG_RUN_ID_SIZE];
	int calls = 1; /* the hook refuses from its second call */

	rn.feature_id = FEAT;
	rn.mode = SG_MODE_COMPLIANCE;
	rn.started = T0;
	rn.status = SG_RUN_AWAITING_APPROVAL;
	assert_int_equal(sg_store_run_create(w, f->st, &rn, &err), 0);
	rn.status = SG_RUN_RUNNING;
	assert_int_equal(sg_store_run_continue(c, NULL, f->st, &rn, w,
	    count_hook, &calls, &err), SG_EIO);
	sg_error_release(&err);
	assert_string_equal(c, "");
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT, w, &err), 0);
	assert_null(run->continued_by);
	sg_run_free(run);
	assert_int_equal(sg_store_run_get(&run, f->st, FEAT,
	    "20250924140440-2", &err), SG_ENOTFOUND);
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SG_TEST_STORE_CASE(run_id_is_the_utc_start_time),
		SG_TEST_STORE_CASE(clashes_get_dash_two_then_dash_three),
		SG_TEST_STORE_CASE(a_freed_suffix_is_reused_first),
		SG_TEST_STORE_CASE(bad_new_runs_are_refused),
		SG_TEST_STORE_CASE(status_updates_and_final_statuses),
		SG_TEST_STORE_CASE(get_without_a_feature_is_ambiguous_when_shared),
		SG_TEST_STORE_CASE(list_filters_newest_first_with_paging),
		SG_TEST_STORE_CASE(one_continuation_per_waiting_run),
		SG_TEST_STORE_CASE(a_failing_hook_rolls_the_claim_back),
		cmocka_unit_test(run_status_rules),
	};

	return cmocka_run_group_tests_name("store/runs", tests, NULL, NULL);
}
