/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for concurrency across processes: 8 forked writers open a
 * store that does not exist yet (so they race on creating and migrating
 * it), start runs of one feature "in the same second" and append
 * checkpoints one by one, while a ninth process verifies the trail over
 * and over.  The result must be one valid chain holding every record,
 * distinct run ids YYYYMMDDHHMMSS, -2 ... -40, and no failed
 * verification along the way.
 *
 * The children report through their exit status only (cmocka's asserts
 * longjmp, which must not happen in a forked child).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include "../../harness/store.h"

#define WRITERS 8
#define RUNS 5	     /* per writer */
#define CHECKPOINTS 25 /* per run */
#define T0 ((time_t)1758722680) /* 2025-09-24T14:04:40Z */
#define FEAT "005cc0262265"

/* File scope: still reachable from the children, which _exit(). */
static char *scratch;

static struct sg_store *
child_open(const char *dir)
{
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;

	opts.root = dir;
	opts.busy_timeout_ms = 60000;
	if (sg_store_open(&st, "sqlite:.specgate/state.db", &opts, &err) < 0) {
		fprintf(stderr, "child open: %s\n", err.message);
		_exit(2);
	}
	return st;
}

static void
writer(const char *dir, int w)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_run_new run = SG_RUN_NEW_INIT;
	struct sg_audit_record r;
	struct sg_store *st;
	char id[SG_RUN_ID_SIZE];
	char ts[64];

	st = child_open(dir);
	run.feature_id = FEAT;
	run.mode = w % 2 ? SG_MODE_SANDBOX : SG_MODE_COMPLIANCE;
	run.started = T0;
	for (int k = 0; k < RUNS; k++) {
		if (sg_store_run_create(id, st, &run, &err) < 0) {
			fprintf(stderr, "writer %d: %s\n", w, err.message);
			_exit(3);
		}
		for (int c = 0; c < CHECKPOINTS; c++) {
			r = sg_test_record((unsigned)c, ts);
			r.run_id = id;
			r.feature_id = FEAT;
			r.mode = sg_mode_name(run.mode);
			if (sg_audit_append(NULL, st, &r, 1, &err) < 0) {
				fprintf(stderr, "writer %d: %s\n", w,
				    err.message);
				_exit(4);
			}
		}
		if (sg_store_run_update(st, FEAT, id, SG_RUN_SUCCESS, NULL, 0,
			&err) < 0) {
			fprintf(stderr, "writer %d: %s\n", w, err.message);
			_exit(5);
		}
	}
	sg_store_close(st);
	_exit(0);
}

/* Verify until every record is there; any failure is exit status 6. */
static void
verifier(const char *dir)
{
	struct sg_audit_verify_result res;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st;
	uint64_t last = 0;

	st = child_open(dir);
	do {
		if (sg_audit_verify(&res, st, NULL, 0, &err) < 0) {
			fprintf(stderr, "verifier: %s\n", err.message);
			_exit(6);
		}
		/* A snapshot never goes back in time. */
		if (res.records < last)
			_exit(7);
		last = res.records;
	} while (res.records < WRITERS * RUNS * CHECKPOINTS);
	sg_store_close(st);
	_exit(0);
}

static void
eight_writers_make_one_chain_and_distinct_run_ids(void **state)
{
	struct sg_audit_verify_result res;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_run *run = NULL;
	struct sg_store *st;
	char sub[1024];
	char id[SG_RUN_ID_SIZE];
	pid_t pids[WRITERS + 1];
	int status;

	(void)state;
	for (int w = 0; w <= WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0) {
			if (w == WRITERS)
				verifier(scratch);
			writer(scratch, w);
		}
	}
	for (int w = 0; w <= WRITERS; w++) {
		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail_msg("child %d failed (status %#x)", w, status);
	}

	snprintf(sub, sizeof(sub), "%s/.specgate", scratch);
	st = sg_test_store_open(sub);
	assert_int_equal(sg_audit_verify(&res, st, NULL, 0, &err), 0);
	assert_int_equal(res.records, WRITERS * RUNS * CHECKPOINTS);
	/* Every run id of that second was handed out exactly once. */
	assert_int_equal(sg_test_sql_int(sub, "SELECT count(*) FROM runs"),
	    WRITERS * RUNS);
	assert_int_equal(sg_test_sql_int(sub,
			     "SELECT count(DISTINCT run_id) FROM runs"),
	    WRITERS * RUNS);
	for (int n = 1; n <= WRITERS * RUNS; n++) {
		if (n == 1)
			snprintf(id, sizeof(id), "20250924140440");
		else
			snprintf(id, sizeof(id), "20250924140440-%d", n);
		assert_int_equal(sg_store_run_get(&run, st, FEAT, id, &err), 0);
		assert_string_equal(run->status, "success");
		sg_run_free(run);
		run = NULL;
	}
	/* Each run's checkpoints are all there, under its own id. */
	assert_int_equal(sg_test_sql_int(sub,
			     "SELECT count(*) FROM (SELECT run_id FROM "
			     "audit_records GROUP BY run_id HAVING count(*) = "
			     "25)"),
	    WRITERS * RUNS);
	sg_store_close(st);
	sg_error_release(&err);
}

/* In setup and teardown, so that a failed test leaves nothing behind. */
static int
setup(void **state)
{
	(void)state;
	scratch = sg_test_tmpdir();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sg_test_rmtree(scratch);
	free(scratch);
	scratch = NULL;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    eight_writers_make_one_chain_and_distinct_run_ids, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("audit/concurrent", tests, NULL,
	    NULL);
}
