/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/run/: sg_run_execute() on a small project in a
 * scratch directory (a real spec, real /bin/sh commands, a real SQLite
 * store), and the stage plan the run and --dry-run share.  What a run
 * leaves is read back from the store and the file system, not from the
 * outcome alone.  The CLI's view of the same runs is in
 * tests/integration/t0500-run.sh and t0700-stages.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../harness/store.h"
#include "../../harness/unit.h"
#include "specgate/config.h"
#include "specgate/ids.h"
#include "specgate/run.h"

static const char feature[] =
    "@resource:cpu=0.1,memory=128,storage=10,story_points=1\n"
    "Feature: Ping\n"
    "  Scenario: the service answers\n"
    "    Given the service is running\n"
    "    When I call GET /ping\n"
    "    Then I receive a 200 OK\n";

/* A project: features/ping.feature (unless no_spec) and specgate.yaml. */
struct proj {
	char *dir;
	int cwd; /* the directory to go back to */
	struct sg_store *st;
	struct sg_config *cfg;
	struct sg_run_outcome o;
	/* what the progress callback saw: "stage:status" lines */
	char seen[1024];
};

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static bool
exists(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

static int
setup(void **state)
{
	struct proj *p = calloc(1, sizeof(*p));
	char path[512];

	p->dir = sg_test_tmpdir();
	snprintf(path, sizeof(path), "%s/features", p->dir);
	if (mkdir(path, 0777) < 0)
		return -1;
	write_file(p->dir, "features/ping.feature", feature);
	p->st = sg_test_store_open(p->dir);
	/* a run works in the project root as found from the cwd */
	if ((p->cwd = open(".", O_RDONLY | O_DIRECTORY)) < 0 ||
	    chdir(p->dir) < 0)
		return -1;
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct proj *p = *state;

	sg_run_outcome_release(&p->o);
	sg_config_free(p->cfg);
	sg_store_close(p->st);
	if (fchdir(p->cwd) < 0)
		return -1;
	close(p->cwd);
	sg_test_rmtree(p->dir);
	free(p->dir);
	free(p);
	return 0;
}

static void
load(struct proj *p, const char *yaml)
{
	struct sg_config_options co = SG_CONFIG_OPTIONS_INIT;
	static char *const no_env[] = {NULL};
	struct sg_error err = SG_ERROR_INIT;

	write_file(p->dir, "specgate.yaml", yaml);
	co.environ = no_env;
	if (sg_config_load(&p->cfg, &co, &err) < 0)
		fail_msg("specgate.yaml: %s", err.message);
	sg_error_release(&err);
}

static void
progress(enum sg_stage_id stage, const char *status, const char *detail,
    void *payload)
{
	struct proj *p = payload;
	size_t n = strlen(p->seen);

	(void)detail;
	snprintf(p->seen + n, sizeof(p->seen) - n, "%s:%s ",
	    sg_stage_name(stage), status);
}

/* Run the project up to `to`; returns sg_run_execute()'s result. */
static int
execute(struct proj *p, enum sg_stage_id to)
{
	struct sg_run_options opts = SG_RUN_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	int error;

	opts.cfg = p->cfg;
	opts.to = to;
	opts.progress = progress;
	opts.payload = p;
	opts.unsigned_why = "unit test";
	error = sg_run_execute(&p->o, p->st, &opts, &err);
	if (error && error != SG_EGATE)
		print_message("# %s\n", err.message);
	sg_error_release(&err);
	return error;
}

/* The store's status of the outcome's run. */
static char *
stored_status(struct proj *p)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_run *run = NULL;
	char *s;

	if (sg_store_run_get(&run, p->st, p->o.feature_id, p->o.run_id,
		&err) < 0)
		fail_msg("run %s: %s", p->o.run_id, err.message);
	s = strdup(run->status);
	sg_run_free(run);
	return s;
}

SG_TEST_FIXTURE(a_run_without_commands_succeeds_and_is_recorded, setup,
    teardown)
{
	struct proj *p = *state;
	char rel[128];
	char *status;

	load(p, "project: t\n");
	assert_int_equal(execute(p, SG_STAGE_AUDIT), 0);
	assert_true(sg_feature_id_is_valid(p->o.feature_id));
	assert_true(sg_run_id_is_valid(p->o.run_id));
	assert_int_equal(p->o.status, SG_RUN_SUCCESS);
	assert_true(p->o.published);
	for (int s = SG_STAGE_VALIDATE; s <= SG_STAGE_DEPLOY; s++)
		assert_string_equal(p->o.stages[s].status, "skipped");
	assert_string_equal(p->seen,
	    "preflight:success validate:skipped generate:skipped "
	    "build:skipped deploy:skipped audit:success ");
	status = stored_status(p);
	assert_string_equal(status, "success");
	free(status);
	snprintf(rel, sizeof(rel), "reports/%s/%s/manifest.json",
	    p->o.feature_id, p->o.run_id);
	assert_true(exists(p->dir, rel));
	snprintf(rel, sizeof(rel), "reports/%s/latest", p->o.feature_id);
	assert_true(exists(p->dir, rel));
}

SG_TEST_FIXTURE(a_failing_build_stops_the_run_and_rolls_back, setup,
    teardown)
{
	struct proj *p = *state;
	const struct sg_stage_result *b;
	char *status;

	load(p, "project: t\n"
		"stages:\n"
		"  build:\n"
		"    run: [\"echo building; exit 3\"]\n"
		"    rollback: [\"touch rolled-back\"]\n"
		"    retries: 0\n"
		"  deploy:\n"
		"    run: [\"touch deployed\"]\n");
	assert_int_equal(execute(p, SG_STAGE_AUDIT), SG_EGATE);
	assert_int_equal(p->o.status, SG_RUN_FAILURE);
	assert_int_equal(p->o.failed_stage, SG_STAGE_BUILD);
	b = &p->o.stages[SG_STAGE_BUILD];
	assert_int_equal(b->attempts, 1);
	assert_true(b->ncommands >= 1);
	assert_int_equal(b->commands[0].result.exit_code, 3);
	assert_string_equal(b->commands[0].stdout_tail, "building\n");
	assert_true(b->rolled_back);
	assert_true(exists(p->dir, "rolled-back"));
	assert_false(exists(p->dir, "deployed"));
	assert_non_null(strstr(p->seen, "build:failure "));
	assert_null(strstr(p->seen, "deploy:success"));
	/* the failure is published and recorded, not lost */
	assert_true(p->o.published);
	status = stored_status(p);
	assert_string_equal(status, "failure");
	free(status);
}

SG_TEST_FIXTURE(a_stage_that_fails_once_is_retried_and_warns, setup,
    teardown)
{
	struct proj *p = *state;

	load(p, "project: t\n"
		"stages:\n"
		"  validate:\n"
		"    run: [\"test -f once || { touch once; exit 1; }\"]\n"
		"    retries: 2\n"
		"    interval: 1ms\n");
	assert_int_equal(execute(p, SG_STAGE_AUDIT), 0);
	/* a success that needed a retry is worth a look: a warning */
	assert_non_null(strstr(p->seen, "validate:retry validate:warning "));
	assert_int_equal(p->o.stages[SG_STAGE_VALIDATE].attempts, 2);
	assert_string_equal(p->o.stages[SG_STAGE_VALIDATE].status, "warning");
	assert_int_equal(p->o.status, SG_RUN_WARNING);
	assert_true(exists(p->dir, "once"));
}

SG_TEST_FIXTURE(to_stops_after_the_stage_and_skips_the_rest, setup,
    teardown)
{
	struct proj *p = *state;

	load(p, "project: t\n"
		"stages:\n"
		"  build:\n"
		"    run: [\"touch built\"]\n"
		"  deploy:\n"
		"    run: [\"touch deployed\"]\n");
	assert_int_equal(execute(p, SG_STAGE_BUILD), 0);
	assert_true(exists(p->dir, "built"));
	assert_false(exists(p->dir, "deployed"));
	assert_string_equal(p->o.stages[SG_STAGE_BUILD].status, "success");
	assert_string_equal(p->o.stages[SG_STAGE_DEPLOY].status, "skipped");
	assert_true(p->o.published);
}

SG_TEST_FIXTURE(no_spec_is_bad_input_and_creates_no_run, setup, teardown)
{
	struct proj *p = *state;
	char path[512];

	snprintf(path, sizeof(path), "%s/features/ping.feature", p->dir);
	assert_int_equal(remove(path), 0);
	load(p, "project: t\n");
	assert_true(execute(p, SG_STAGE_AUDIT) < 0);
	assert_string_equal(p->o.run_id, "");
	assert_false(p->o.published);
	assert_false(exists(p->dir, "reports"));
}

SG_TEST_FIXTURE(a_stage_inherits_the_retry_block_field_by_field, setup,
    teardown)
{
	struct proj *p = *state;
	struct sg_stage_plan plan;

	load(p, "project: t\n"
		"retry: {retries: 3, interval: 10s, backoff: 2.0}\n"
		"stages:\n"
		"  build:\n"
		"    retries: 1\n"
		"    timeout: 5m\n");
	sg_run_stage_plan(&plan, p->cfg, SG_STAGE_BUILD);
	assert_int_equal(plan.retries, 1);
	assert_int_equal(plan.interval_ms, 10000);
	assert_true(plan.backoff == 2.0);
	assert_int_equal(plan.timeout_ms, 300000);
	sg_run_stage_plan(&plan, p->cfg, SG_STAGE_VALIDATE);
	assert_int_equal(plan.retries, 3);
	/* 10 s, then twice as long each time */
	assert_int_equal(sg_run_retry_delay(&plan, 1), 10000);
	assert_int_equal(sg_run_retry_delay(&plan, 2), 20000);
	assert_int_equal(sg_run_retry_delay(&plan, 3), 40000);
	/* never past the longest duration a config may spell */
	assert_int_equal(sg_run_retry_delay(&plan, 100), SG_DURATION_MAX_MS);
}

SG_TEST_MAIN("run/execute")
