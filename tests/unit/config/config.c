/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/config: precedence of the five layers and the
 * origin of each value, every class of error with its line:column,
 * durations, strict numbers, unknown keys per mode, the caps, and the
 * walk up the directory tree.  Most tests load from memory through
 * sg_config__load_buffer(); the file-system tests work in a mkdtemp()
 * directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"
#include "util/util.h"

static char *const no_env[] = {NULL};

static int
load_env(struct sg_config **cfg, const char *yaml, const char *dotenv,
    char *const *envp, const char *mode, struct sg_error *err)
{
	struct sg_config_options opts = SG_CONFIG_OPTIONS_INIT;

	opts.environ = envp;
	opts.mode = mode;
	return sg_config__load_buffer(cfg, yaml, strlen(yaml), dotenv,
	    dotenv ? strlen(dotenv) : 0, &opts, err);
}

static struct sg_config *
load_ok(const char *yaml)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;

	if (load_env(&cfg, yaml, NULL, no_env, NULL, &err) < 0)
		fail_msg("unexpected error %d: %u:%u: %s", err.code, err.line,
		    err.column, err.message);
	sg_error_release(&err);
	return cfg;
}

/* Expect an error: its code, line, column and a part of its message. */
static void
expect_error(const char *yaml, int code, unsigned line, unsigned column,
    const char *part)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	int rc;

	rc = load_env(&cfg, yaml, NULL, no_env, NULL, &err);
	if (rc != code || err.line != line || err.column != column ||
	    !strstr(err.message, part))
		fail_msg("for <<%s>>: want %d at %u:%u with '%s', got %d at "
			 "%u:%u: %s",
		    yaml, code, line, column, part, rc, err.line, err.column,
		    err.message);
	assert_null(cfg);
	if (line)
		assert_string_equal(err.file, "specgate.yaml");
	sg_error_release(&err);
}

static void
defaults_match_the_product_contract(void **state)
{
	struct sg_config *cfg;

	(void)state;
	cfg = load_ok("");
	assert_string_equal(cfg->project, "project");
	assert_string_equal(cfg->version, "0.0.0");
	assert_int_equal(cfg->mode, SG_MODE_SANDBOX);
	assert_int_equal(cfg->features.n, 1);
	assert_string_equal(cfg->features.items[0], "features");
	assert_string_equal(cfg->reports, "reports");
	assert_true(cfg->policy[SG_MODE_SANDBOX].cpu.min == 0.1);
	assert_true(cfg->policy[SG_MODE_SANDBOX].cpu.max == 0.5);
	assert_true(cfg->policy[SG_MODE_SANDBOX].memory.max == 512);
	assert_true(cfg->policy[SG_MODE_COMPLIANCE].cpu.max == 16.0);
	assert_true(cfg->policy[SG_MODE_COMPLIANCE].memory.max == 32768);
	assert_true(cfg->policy[SG_MODE_COMPLIANCE].storage.max == 100000);
	assert_true(cfg->policy[SG_MODE_COMPLIANCE].story_points.max == 20);
	assert_int_equal(cfg->retry.retries, 2);
	assert_int_equal(cfg->retry.interval_ms, 120000);
	assert_true(cfg->retry.backoff == 1.0);
	assert_int_equal(cfg->active_runs, 20);
	assert_true(cfg->coverage.min == 70.0);
	assert_string_equal(cfg->coverage.files.items[0], "coverage.info");
	assert_string_equal(cfg->test_files.items[0],
	    "build/test-results/*.xml");
	assert_string_equal(cfg->sast_files.items[0], "build/sast/*.sarif");
	assert_string_equal(cfg->sast_fail_on, "error");
	assert_int_equal(cfg->approvals_required, 1);
	assert_int_equal(cfg->approval_keys.n, 0);
	assert_string_equal(cfg->signing_key, ".specgate/keys/specgate.key");
	assert_string_equal(cfg->store, "sqlite:.specgate/state.db");
	for (int i = 0; i < SG_STAGE_COUNT; i++) {
		assert_false(cfg->stages[i].configured);
		assert_int_equal(cfg->stages[i].timeout_ms, 30 * 60 * 1000);
	}
	assert_string_equal(sg_config_origin(cfg, "policy.sandbox.cpu"),
	    "default");
	assert_string_equal(sg_config_origin(cfg, "mode"), "default");
	assert_null(sg_config_origin(cfg, "policy.sandbox.gpu"));
	assert_null(sg_config_origin(cfg, "nope"));
	assert_int_equal(cfg->warnings.n, 0);
	sg_config_free(cfg);
}

static void
empty_documents_are_all_defaults(void **state)
{
	static const char *const empties[] = {"", "# only a comment\n",
		"---\n", "---\n...\n", "~\n", "null\n", "\n\n\n"};

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(empties); i++) {
		struct sg_config *cfg = load_ok(empties[i]);

		assert_string_equal(cfg->reports, "reports");
		sg_config_free(cfg);
	}
}

static void
the_five_layers_in_order(void **state)
{
	static const char yaml[] = "project: from-yaml\n"
				   "reports: yaml-reports\n"
				   "signing: {key: yaml.key}\n"
				   "store: sqlite:yaml.db\n"
				   "features: [yf]\n"
				   "mode: compliance\n";
	static const char dotenv[] = "SPECGATE_REPORTS=dotenv-reports\n"
				     "SPECGATE_SIGNING_KEY=dotenv.key\n"
				     "SPECGATE_DATABASE_URL=sqlite:dotenv.db\n"
				     "SPECGATE_MODE=compliance\n";
	static char *const envp[] = {"PATH=/bin",
		"SPECGATE_SIGNING_KEY=env.key",
		"SPECGATE_DATABASE_URL=postgres://db/specgate",
		"SPECGATE_MODE=compliance", "SPECGATE_KEY_PASSWORD=hunter2",
		NULL};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	char *text;

	(void)state;
	assert_int_equal(load_env(&cfg, yaml, dotenv, envp, "sandbox", &err),
	    0);
	/* default */
	assert_string_equal(cfg->version, "0.0.0");
	assert_string_equal(sg_config_origin(cfg, "version"), "default");
	/* specgate.yaml */
	assert_string_equal(cfg->project, "from-yaml");
	assert_string_equal(sg_config_origin(cfg, "project"),
	    "specgate.yaml:1:1");
	assert_string_equal(cfg->features.items[0], "yf");
	assert_string_equal(sg_config_origin(cfg, "features"),
	    "specgate.yaml:5:1");
	/* .env over specgate.yaml */
	assert_string_equal(cfg->reports, "dotenv-reports");
	assert_string_equal(sg_config_origin(cfg, "reports"), ".env:1");
	/* environment over .env */
	assert_string_equal(cfg->signing_key, "env.key");
	assert_string_equal(sg_config_origin(cfg, "signing.key"),
	    "env SPECGATE_SIGNING_KEY");
	assert_string_equal(cfg->store, "postgres://db/specgate");
	assert_string_equal(sg_config_origin(cfg, "store"),
	    "env SPECGATE_DATABASE_URL");
	/* flags over everything */
	assert_int_equal(cfg->mode, SG_MODE_SANDBOX);
	assert_string_equal(sg_config_origin(cfg, "mode"), "--mode");
	/* the password is never part of the configuration */
	sg_config_dump(&text, cfg, false);
	assert_null(strstr(text, "hunter2"));
	assert_null(strstr(text, "PASSWORD"));
	free(text);
	sg_config_free(cfg);
}

static void
mode_floor_is_the_yaml_mode(void **state)
{
	static char *const envp[] = {"SPECGATE_MODE=sandbox", NULL};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	char msg[256];

	(void)state;
	/* no floor but sandbox: nothing is below it */
	cfg = load_ok("project: p\n");
	assert_int_equal(cfg->mode_floor, SG_MODE_SANDBOX);
	assert_string_equal(cfg->mode_floor_origin, "default");
	assert_false(sg_config_below_floor(cfg, msg, sizeof(msg)));
	sg_config_free(cfg);
	/* a flag below the floor, located */
	assert_int_equal(load_env(&cfg, "project: p\nmode: compliance\n", NULL,
			     no_env, "sandbox", &err), 0);
	assert_int_equal(cfg->mode, SG_MODE_SANDBOX);
	assert_int_equal(cfg->mode_floor, SG_MODE_COMPLIANCE);
	assert_string_equal(cfg->mode_floor_origin, "specgate.yaml:2:1");
	assert_true(sg_config_below_floor(cfg, msg, sizeof(msg)));
	assert_string_equal(msg, "mode 'compliance' is this project's floor; "
				 "--mode sandbox is refused");
	sg_config_free(cfg);
	/* the environment, and .env with its line */
	assert_int_equal(load_env(&cfg, "mode: compliance\n", NULL, envp, NULL,
			     &err), 0);
	assert_true(sg_config_below_floor(cfg, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "SPECGATE_MODE=sandbox is refused"));
	sg_config_free(cfg);
	assert_int_equal(load_env(&cfg, "mode: compliance\n",
			     "# x\nSPECGATE_MODE=sandbox\n", no_env, NULL, &err),
	    0);
	assert_true(sg_config_below_floor(cfg, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "SPECGATE_MODE=sandbox (.env:2) is refused"));
	sg_config_free(cfg);
	/* raising the mode is always allowed */
	assert_int_equal(load_env(&cfg, "mode: sandbox\n", NULL, no_env,
			     "compliance", &err), 0);
	assert_false(sg_config_below_floor(cfg, msg, sizeof(msg)));
	sg_config_free(cfg);
	sg_error_release(&err);
}

static void
dotenv_never_overrides_the_environment(void **state)
{
	static char *const envp[] = {"SPECGATE_PROJECT=real", NULL};
	static char *const empty[] = {"SPECGATE_PROJECT=", NULL};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;

	(void)state;
	assert_int_equal(load_env(&cfg, "", "SPECGATE_PROJECT=dot\n", envp,
			     NULL, &err),
	    0);
	assert_string_equal(cfg->project, "real");
	sg_config_free(cfg);
	/* an empty variable counts as unset */
	assert_int_equal(load_env(&cfg, "", "SPECGATE_PROJECT=dot\n", empty,
			     NULL, &err),
	    0);
	assert_string_equal(cfg->project, "dot");
	sg_config_free(cfg);
}

static void
dotenv_syntax(void **state)
{
	static const char dotenv[] =
	    "# comment\n"
	    "\n"
	    "  export SPECGATE_PROJECT = 'single $HOME # not a comment'\n"
	    "SPECGATE_VERSION=\"1.0 \\\"q\\\" \\$x\"   # comment\n"
	    "SPECGATE_REPORTS=plain value # comment\r\n"
	    "SPECGATE_FEATURES=a:b,,c\n"
	    "OTHER=ignored\n"
	    "SPECGATE_SIGNING_KEY=first\n"
	    "SPECGATE_SIGNING_KEY=last\n";
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;

	(void)state;
	assert_int_equal(load_env(&cfg, "", dotenv, no_env, NULL, &err), 0);
	assert_string_equal(cfg->project, "single $HOME # not a comment");
	assert_string_equal(cfg->version, "1.0 \"q\" $x");
	assert_string_equal(cfg->reports, "plain value");
	assert_int_equal(cfg->features.n, 3);
	assert_string_equal(cfg->features.items[2], "c");
	assert_string_equal(cfg->signing_key, "last");
	assert_string_equal(sg_config_origin(cfg, "signing.key"), ".env:9");
	sg_config_free(cfg);
}

static void
dotenv_errors_have_positions(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		unsigned column;
		const char *part;
	} cases[] = {
		{"A=1\nSPECGATE_MODE=\"open\n", 2, 15, "unterminated double"},
		{"X='a\n", 1, 3, "unterminated single"},
		{"1X=a\n", 1, 1, "expected a variable name"},
		{"JUST_A_NAME\n", 1, 12, "expected '='"},
		{"A='x' y\n", 1, 7, "after the closing quote"},
		{"A=\xc3\x28\n", 1, 3, "invalid UTF-8"},
		{"A=b\0c\n", 1, 4, "NUL"},
		{"SPECGATE_MODE=strict\n", 1, 15, "sandbox or compliance"},
		{"SPECGATE_DATABASE_URL=mysql://x\n", 1, 23, "store URL"},
		{"SPECGATE_FEATURES=:,\n", 1, 19, "separated by"},
	};

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		struct sg_error err = SG_ERROR_INIT;
		struct sg_config *cfg = NULL;
		size_t len = strlen(cases[i].text);
		struct sg_config_options opts = SG_CONFIG_OPTIONS_INIT;

		if (strstr(cases[i].part, "NUL"))
			len = 6;
		opts.environ = no_env;
		assert_int_equal(sg_config__load_buffer(&cfg, "", 0,
				     cases[i].text, len, &opts, &err),
		    SG_EINVAL);
		if (err.line != cases[i].line ||
		    err.column != cases[i].column ||
		    !strstr(err.message, cases[i].part))
			fail_msg("case %zu: got %u:%u: %s", i, err.line,
			    err.column, err.message);
		assert_string_equal(err.file, ".env");
		sg_error_release(&err);
	}
}

static void
environment_values_are_checked(void **state)
{
	static char *const bad_mode[] = {"SPECGATE_MODE=Compliance", NULL};
	static char *const bad_store[] = {"SPECGATE_DATABASE_URL=x", NULL};
	static char *const features[] = {"SPECGATE_FEATURES=a,b:c", NULL};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;

	(void)state;
	assert_int_equal(load_env(&cfg, "", NULL, bad_mode, NULL, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "'SPECGATE_MODE'"));
	assert_null(err.file);
	sg_error_release(&err);
	assert_int_equal(load_env(&cfg, "", NULL, bad_store, NULL, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "'SPECGATE_DATABASE_URL'"));
	sg_error_release(&err);
	assert_int_equal(load_env(&cfg, "", NULL, no_env, "strict", &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "'--mode'"));
	sg_error_release(&err);
	assert_int_equal(load_env(&cfg, "", NULL, features, NULL, &err), 0);
	assert_int_equal(cfg->features.n, 3);
	assert_string_equal(cfg->features.items[1], "b");
	assert_string_equal(sg_config_origin(cfg, "features"),
	    "env SPECGATE_FEATURES");
	sg_config_free(cfg);
}

static void
yaml_errors_name_line_and_column(void **state)
{
	(void)state;
	expect_error("policy:\n  sandbox:\n    cpu: 0.5\n", SG_EINVAL, 3, 10,
	    "'policy.sandbox.cpu' must be a list of two numbers [min, max]");
	expect_error("policy: {sandbox: {cpu: [0.1]}}\n", SG_EINVAL, 1, 25,
	    "'policy.sandbox.cpu' must be a list of two numbers [min, max], "
	    "not a list of 1");
	expect_error("policy:\n  compliance:\n    story_points: [1.5, 20]\n",
	    SG_EINVAL, 3, 20, "list of two integers [min, max], not '1.5'");
	expect_error("policy: {sandbox: {cpu: [0.5, 0.1]}}\n", SG_EINVAL, 1,
	    25, "min <= max");
	expect_error("policy: {sandbox: {memory: [-1, 2]}}\n", SG_EINVAL, 1,
	    29, "not '-1'");
	expect_error("retry:\n  retries: 1.5\n", SG_EINVAL, 2, 12,
	    "'retry.retries' must be an integer from 0 to 100, not '1.5'");
	expect_error("retry: {retries: \"2\"}\n", SG_EINVAL, 1, 18,
	    "must be an integer");
	expect_error("retry: {retries: 010}\n", SG_EINVAL, 1, 18,
	    "must be an integer");
	expect_error("retry: {retries: 101}\n", SG_EINVAL, 1, 18,
	    "must be from 0 to 100, not '101'");
	expect_error("retry: {backoff: 0.5}\n", SG_EINVAL, 1, 18,
	    "must be from 1 to 100");
	expect_error("retry: {interval: 120}\n", SG_EINVAL, 1, 19,
	    "must be a duration");
	expect_error("mode: on\n", SG_EINVAL, 1, 7,
	    "'mode' must be sandbox or compliance; 'on' is a YAML 1.1 "
	    "boolean");
	expect_error("project: yes\n", SG_EINVAL, 1, 10,
	    "quote it, \"yes\", for the text");
	expect_error("project:\n", SG_EINVAL, 1, 9, "not empty (null)");
	expect_error("project: [a]\n", SG_EINVAL, 1, 10, "not a list");
	expect_error("project: {a: b}\n", SG_EINVAL, 1, 10, "not a mapping");
	expect_error("project: \"a\\0b\"\n", SG_EINVAL, 1, 10,
	    "must be a string");
	expect_error("gates: {sast: {fail_on: fatal}}\n", SG_EINVAL, 1, 25,
	    "one of error, warning, note");
	expect_error("store: mysql://db\n", SG_EINVAL, 1, 8, "store URL");
	expect_error("features: []\n", SG_EINVAL, 1, 11,
	    "list of one or more strings");
	expect_error("features: [a, ~]\n", SG_EINVAL, 1, 15, "not empty");
	expect_error("gates: {coverage: {min: 100.5}}\n", SG_EINVAL, 1, 25,
	    "from 0 to 100");
	expect_error("stages:\n  deploy:\n    env: {\"bad name\": x}\n",
	    SG_EINVAL, 3, 11, "is not a variable name");
	expect_error("stages:\n  deploy:\n    env: {DEBUG: yes}\n", SG_EINVAL,
	    3, 18, "YAML 1.1 boolean");
	expect_error("stages: {build: {run: make}}\n", SG_EINVAL, 1, 23,
	    "'stages.build.run' must be a list of strings");
	expect_error("stages: {build: {timeout: 0s}}\n", SG_EINVAL, 1, 27,
	    "duration");
	expect_error("stages: [build]\n", SG_EINVAL, 1, 9,
	    "'stages' must be a mapping");
	expect_error("- a\n- b\n", SG_EINVAL, 1, 1, "must hold a mapping");
}

static void
yaml_structure_errors(void **state)
{
	(void)state;
	expect_error("mode: sandbox\nproject: a\nmode: compliance\n",
	    SG_EINVAL, 3, 1, "duplicate key 'mode' (first at line 1)");
	expect_error("policy: {sandbox: {cpu: [1, 2], cpu: [1, 2]}}\n",
	    SG_EINVAL, 1, 33, "duplicate key 'cpu'");
	expect_error("project: a\n---\nproject: b\n", SG_EINVAL, 2, 1,
	    "more than one YAML document");
	expect_error("a: &x 1\n", SG_EINVAL, 1, 4, "anchors");
	expect_error("a: [1]\nb: *x\n", SG_EINVAL, 2, 4, "aliases");
	expect_error("project: !!str 1\n", SG_EINVAL, 1, 10, "tags");
	expect_error("? [a]\n: b\n", SG_EINVAL, 1, 3, "key must be a string");
	expect_error("project: [a\n", SG_EINVAL, 2, 1, "invalid YAML");
	expect_error("project: a\n\tmode: b\n", SG_EINVAL, 2, 1,
	    "invalid YAML");
	expect_error("project: ok\nversion: \xff\n", SG_EINVAL, 2, 10,
	    "invalid YAML: invalid leading UTF-8 octet");
	expect_error("project: ok\x01\n", SG_EINVAL, 1, 12,
	    "control characters are not allowed");
}

static void
durations(void **state)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t ms;
	} cases[] = {
		{"120s", 0, 120000},
		{"500ms", 0, 500},
		{"1.5m", 0, 90000},
		{"2h", 0, 7200000},
		{"0.25s", 0, 250},
		{"0.001s", 0, 1},
		{"0s", 0, 0},
		{"0120s", 0, 120000},
		{"168h", 0, SG_DURATION_MAX_MS},
		{"169h", SG_EINVAL, 0},
		{"604800001ms", SG_EINVAL, 0},
		{"99999999999999999999999h", SG_EINVAL, 0},
		{"1.5ms", SG_EINVAL, 0},
		{"0.0001s", SG_EINVAL, 0},
		{"120", SG_EINVAL, 0},
		{"s", SG_EINVAL, 0},
		{"", SG_EINVAL, 0},
		{"1.s", SG_EINVAL, 0},
		{".5s", SG_EINVAL, 0},
		{"-1s", SG_EINVAL, 0},
		{"+1s", SG_EINVAL, 0},
		{"1m30s", SG_EINVAL, 0},
		{" 1s", SG_EINVAL, 0},
		{"1s ", SG_EINVAL, 0},
		{"1 s", SG_EINVAL, 0},
		{"1d", SG_EINVAL, 0},
		{"1S", SG_EINVAL, 0},
		{"1.0000000001h", SG_EINVAL, 0},
	};

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		uint64_t ms = 42;
		int rc = sg_duration_parse(&ms, cases[i].text);

		if (rc != cases[i].rc || (!rc && ms != cases[i].ms))
			fail_msg("'%s': want %d/%llu, got %d/%llu",
			    cases[i].text, cases[i].rc,
			    (unsigned long long)cases[i].ms, rc,
			    (unsigned long long)ms);
	}
}

static void
strict_numbers_and_text(void **state)
{
	struct sg_config *cfg;

	(void)state;
	cfg = load_ok("version: 1.10\n"
		      "retry: {retries: 0, backoff: 2, interval: \"1.5m\"}\n"
		      "gates: {coverage: {min: 1e1}}\n"
		      "policy: {sandbox: {cpu: [0, 1e2], memory: [0, 1]}}\n"
		      "project: \"yes\"\n");
	assert_string_equal(cfg->version, "1.10");
	assert_string_equal(cfg->project, "yes");
	assert_int_equal(cfg->retry.retries, 0);
	assert_true(cfg->retry.backoff == 2.0);
	assert_int_equal(cfg->retry.interval_ms, 90000);
	assert_true(cfg->coverage.min == 10.0);
	assert_true(cfg->policy[SG_MODE_SANDBOX].cpu.max == 100.0);
	/* a partial policy keeps the other defaults */
	assert_true(cfg->policy[SG_MODE_SANDBOX].storage.max == 100000);
	assert_string_equal(sg_config_origin(cfg, "policy.sandbox.storage"),
	    "default");
	sg_config_free(cfg);
	expect_error("gates: {coverage: {min: .5}}\n", SG_EINVAL, 1, 25,
	    "number");
	expect_error("gates: {coverage: {min: 0x10}}\n", SG_EINVAL, 1, 25,
	    "number");
	expect_error("gates: {coverage: {min: 1_0}}\n", SG_EINVAL, 1, 25,
	    "number");
	expect_error("gates: {coverage: {min: .inf}}\n", SG_EINVAL, 1, 25,
	    "number");
	expect_error("gates: {coverage: {min: 1e999}}\n", SG_EINVAL, 1, 25,
	    "from 0 to 100");
	expect_error("gates: {coverage: {min: \"50\"}}\n", SG_EINVAL, 1, 25,
	    "number");
	expect_error("retention: {active_runs: 0}\n", SG_EINVAL, 1, 26,
	    "from 1 to 1000000");
}

static void
stages_and_inheritance(void **state)
{
	struct sg_config *cfg;
	const struct sg_stage_config *d;

	(void)state;
	cfg = load_ok("retry: {retries: 5}\n"
		      "stages:\n"
		      "  validate:\n"
		      "  deploy:\n"
		      "    run: [./deploy.sh]\n"
		      "    rollback: [./rollback.sh]\n"
		      "    timeout: 1h\n"
		      "    retries: 0\n"
		      "    env: {A: x, B: 1, C: \"\"}\n"
		      "    health: {url: \"http://127.0.0.1:8080/healthz\"}\n");
	assert_true(cfg->stages[SG_STAGE_VALIDATE].configured);
	assert_false(cfg->stages[SG_STAGE_BUILD].configured);
	d = &cfg->stages[SG_STAGE_DEPLOY];
	assert_true(d->configured);
	assert_string_equal(d->run.items[0], "./deploy.sh");
	assert_string_equal(d->rollback.items[0], "./rollback.sh");
	assert_int_equal(d->timeout_ms, 3600000);
	assert_true(d->has_retries);
	assert_int_equal(d->retries, 0);
	assert_false(d->has_interval);
	assert_int_equal(d->nenv, 3);
	assert_string_equal(d->env[1].key, "B");
	assert_string_equal(d->env[1].value, "1");
	assert_string_equal(d->env[2].value, "");
	assert_string_equal(d->health_url, "http://127.0.0.1:8080/healthz");
	assert_string_equal(sg_config_origin(cfg, "stages.deploy.retries"),
	    "specgate.yaml:8:5");
	/* unset stage numbers come from retry: and say so */
	assert_string_equal(sg_config_origin(cfg, "stages.validate.retries"),
	    "specgate.yaml:1:9");
	assert_string_equal(sg_config_origin(cfg, "stages.validate.interval"),
	    "default");
	sg_config_free(cfg);
}

/* Unknown keys warn in sandbox and fail in compliance. */
static void
unknown_keys_per_mode(void **state)
{
	static const char yaml[] = "project: p\n"
				   "colour: blue\n"
				   "policy:\n"
				   "  sandbox: {gpu: [1, 2]}\n"
				   "stages: {build: {health: {url: x}}}\n";
	static char *const compliance[] = {"SPECGATE_MODE=compliance", NULL};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;

	(void)state;
	cfg = load_ok(yaml);
	assert_int_equal(cfg->warnings.n, 3);
	assert_string_equal(cfg->warnings.items[0],
	    "specgate.yaml:2:1: warning: unknown key 'colour' (ignored in "
	    "sandbox mode; an error in compliance)");
	assert_non_null(strstr(cfg->warnings.items[1],
	    "specgate.yaml:4:13: warning: unknown key 'policy.sandbox.gpu'"));
	assert_non_null(strstr(cfg->warnings.items[2],
	    "5:18: warning: unknown key 'stages.build.health'"));
	sg_config_free(cfg);

	/* the mode is resolved first, whichever layer sets it */
	assert_int_equal(load_env(&cfg, yaml, NULL, compliance, NULL, &err),
	    SG_EINVAL);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 1);
	assert_non_null(strstr(err.message, "unknown key 'colour'"));
	sg_error_release(&err);
	assert_int_equal(load_env(&cfg, yaml, "SPECGATE_MODE=compliance\n",
			     no_env, NULL, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(load_env(&cfg, "mode: compliance\ncolour: x\n", NULL,
			     no_env, NULL, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(load_env(&cfg, yaml, NULL, compliance, "sandbox",
			     &err),
	    0);
	assert_int_equal(cfg->warnings.n, 3);
	sg_config_free(cfg);
}

static void
warnings_are_capped(void **state)
{
	struct sg_buf b;
	struct sg_config *cfg;

	(void)state;
	sg_buf_init(&b, 0);
	for (int i = 0; i < 70; i++)
		sg_buf_printf(&b, "k%d: 1\n", i);
	cfg = load_ok(b.ptr);
	assert_int_equal(cfg->warnings.n, SG_CONFIG_MAX_WARNINGS + 1);
	assert_string_equal(cfg->warnings.items[SG_CONFIG_MAX_WARNINGS],
	    "specgate: warning: 20 more warnings not shown");
	sg_config_free(cfg);
	sg_buf_release(&b);
}

static void
caps_and_hostile_input(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_buf b;

	(void)state;
	/* 10,000 levels of flow nesting stop at level 65 */
	sg_buf_init(&b, 0);
	sg_buf_puts(&b, "a: ");
	for (int i = 0; i < 10000; i++)
		sg_buf_putc(&b, '[');
	expect_error(b.ptr, SG_EINVAL, 1, 67, "nesting is too deep");
	sg_buf_release(&b);

	/* and block nesting too */
	sg_buf_init(&b, 0);
	for (int i = 0; i < 200; i++) {
		for (int j = 0; j < i; j++)
			sg_buf_putc(&b, ' ');
		sg_buf_puts(&b, "k:\n");
	}
	expect_error(b.ptr, SG_EINVAL, 65, 65, "nesting is too deep");
	sg_buf_release(&b);

	/* too many nodes */
	sg_buf_init(&b, 0);
	sg_buf_puts(&b, "x: [");
	for (int i = 0; i < SG_YAML_MAX_NODES; i++)
		sg_buf_puts(&b, "1,");
	sg_buf_puts(&b, "1]\n");
	assert_int_equal(load_env(&cfg, b.ptr, NULL, no_env, NULL, &err),
	    SG_ETOOBIG);
	assert_non_null(strstr(err.message, "too many YAML nodes"));
	sg_error_release(&err);
	sg_buf_release(&b);

	/* over 1 MiB */
	sg_buf_init(&b, 0);
	for (int i = 0; i < 70000; i++)
		sg_buf_puts(&b, "# padding line\n");
	assert_int_equal(load_env(&cfg, b.ptr, NULL, no_env, NULL, &err),
	    SG_ETOOBIG);
	sg_error_release(&err);
	sg_buf_release(&b);

	/* binary junk */
	expect_error("\x7f" "ELF\x02\x01\x01", SG_EINVAL, 1, 1,
	    "control characters");
}

static void
dump_text_and_json(void **state)
{
	static char *const envp[] = {"SPECGATE_PROJECT=p \"q\"", NULL};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	json_error_t jerr;
	json_t *doc;
	json_t *cpu;
	char *text;

	(void)state;
	assert_int_equal(load_env(&cfg,
			     "mode: sandbox\n"
			     "stages: {build: {run: [make], env: {A: 'on'}}}\n",
			     NULL, envp, "compliance", &err),
	    0);
	sg_config_dump(&text, cfg, false);
	assert_non_null(strstr(text, "\nmode: compliance  # --mode\n"));
	assert_non_null(strstr(text,
	    "\nproject: p \"q\"  # env SPECGATE_PROJECT\n"));
	assert_non_null(strstr(text,
	    "\npolicy.compliance.cpu: [0.1, 16.0]  # default\n"));
	assert_non_null(strstr(text, "\nretry.interval: 2m  # default\n"));
	assert_non_null(strstr(text,
	    "\nstages.build.run: [make]  # specgate.yaml:2:18\n"));
	assert_non_null(strstr(text, "\nstages.build.env: {A: \"on\"}"));
	assert_null(strstr(text, "stages.deploy"));
	free(text);

	sg_config_dump(&text, cfg, true);
	doc = json_loads(text, 0, &jerr);
	assert_non_null(doc);
	cpu = json_object_get(json_object_get(doc, "policy.sandbox.cpu"),
	    "value");
	assert_true(json_is_array(cpu));
	assert_true(json_real_value(json_array_get(cpu, 1)) == 0.5);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(doc, "mode"), "origin")),
	    "--mode");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(doc, "project"), "value")),
	    "p \"q\"");
	json_decref(doc);
	free(text);
	sg_config_free(cfg);
}

static void
names(void **state)
{
	enum sg_mode m;
	enum sg_stage_id s;

	(void)state;
	assert_string_equal(sg_mode_name(SG_MODE_COMPLIANCE), "compliance");
	assert_int_equal(sg_mode_parse(&m, "sandbox"), 0);
	assert_int_equal(m, SG_MODE_SANDBOX);
	assert_int_equal(sg_mode_parse(&m, "SANDBOX"), SG_EINVAL);
	assert_string_equal(sg_stage_name(SG_STAGE_AUDIT), "audit");
	assert_int_equal(sg_stage_parse(&s, "deploy"), 0);
	assert_int_equal(s, SG_STAGE_DEPLOY);
	assert_int_equal(sg_stage_parse(&s, "test"), SG_EINVAL);
}

/* ---- the file system ---- */

static char tmp[64];

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
fs_setup(void **state)
{
	char path[256];

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/sg-config-test.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(path, sizeof(path), "%s/proj", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proj/a", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proj/a/b", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proj/.env", tmp);
	write_file(tmp, "proj/specgate.yaml", "version: 2.0.0\nmode: on\n");
	write_file(tmp, "proj/.env", "SPECGATE_PROJECT=dot\n");
	write_file(tmp, "other.yaml", "version: 3.0.0\n");
	return 0;
}

static int
fs_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static int
load_at(struct sg_config **cfg, const char *sub, const char *config_file,
    struct sg_error *err)
{
	struct sg_config_options opts = SG_CONFIG_OPTIONS_INIT;
	char cwd[256];

	snprintf(cwd, sizeof(cwd), "%s/%s", tmp, sub);
	opts.cwd = cwd;
	opts.config_file = config_file;
	opts.environ = no_env;
	return sg_config_load(cfg, &opts, err);
}

static void
walks_up_to_the_project_root(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	char want[256];

	(void)state;
	/* mode: on is an error, and it is reported relative to the cwd */
	assert_int_equal(load_at(&cfg, "proj/a/b", NULL, &err), SG_EINVAL);
	assert_string_equal(err.file, "../../specgate.yaml");
	assert_int_equal(err.line, 2);
	sg_error_release(&err);
	write_file(tmp, "proj/specgate.yaml", "version: 2.0.0\n");
	assert_int_equal(load_at(&cfg, "proj/a/b", NULL, &err), 0);
	snprintf(want, sizeof(want), "%s/proj", tmp);
	assert_string_equal(cfg->root, want);
	snprintf(want, sizeof(want), "%s/proj/specgate.yaml", tmp);
	assert_string_equal(cfg->file, want);
	assert_string_equal(cfg->version, "2.0.0");
	assert_string_equal(sg_config_origin(cfg, "version"),
	    "../../specgate.yaml:1:1");
	assert_string_equal(cfg->project, "dot");
	assert_string_equal(sg_config_origin(cfg, "project"), "../../.env:1");
	assert_string_equal(sg_config_origin(cfg, "root"), "search");
	sg_config_free(cfg);
}

static void
config_flag_names_the_file(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	char want[256];

	(void)state;
	assert_int_equal(load_at(&cfg, "proj/a", "../../other.yaml", &err),
	    0);
	snprintf(want, sizeof(want), "%s", tmp);
	assert_string_equal(cfg->root, want);
	assert_string_equal(cfg->version, "3.0.0");
	assert_string_equal(sg_config_origin(cfg, "version"),
	    "../../other.yaml:1:1");
	assert_string_equal(sg_config_origin(cfg, "file"), "--config");
	/* the default project name is the root directory's name */
	assert_string_equal(cfg->project, strrchr(tmp, '/') + 1);
	sg_config_free(cfg);
	assert_int_equal(load_at(&cfg, "proj", "missing.yaml", &err),
	    SG_ENOTFOUND);
	assert_non_null(strstr(err.message, "missing.yaml"));
	sg_error_release(&err);
	/* a directory given as the config file */
	assert_int_equal(load_at(&cfg, "proj", "a", &err), SG_EINVAL);
	sg_error_release(&err);
}

static void
a_dotenv_directory_is_no_dotenv(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/proj/.env", tmp);
	unlink(path);
	mkdir(path, 0755);
	assert_int_equal(load_at(&cfg, "proj", NULL, &err), 0);
	assert_string_equal(cfg->project, "proj");
	sg_config_free(cfg);
	rmdir(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_match_the_product_contract),
		cmocka_unit_test(mode_floor_is_the_yaml_mode),
		cmocka_unit_test(empty_documents_are_all_defaults),
		cmocka_unit_test(the_five_layers_in_order),
		cmocka_unit_test(dotenv_never_overrides_the_environment),
		cmocka_unit_test(dotenv_syntax),
		cmocka_unit_test(dotenv_errors_have_positions),
		cmocka_unit_test(environment_values_are_checked),
		cmocka_unit_test(yaml_errors_name_line_and_column),
		cmocka_unit_test(yaml_structure_errors),
		cmocka_unit_test(durations),
		cmocka_unit_test(strict_numbers_and_text),
		cmocka_unit_test(stages_and_inheritance),
		cmocka_unit_test(unknown_keys_per_mode),
		cmocka_unit_test(warnings_are_capped),
		cmocka_unit_test(caps_and_hostile_input),
		cmocka_unit_test(dump_text_and_json),
		cmocka_unit_test(names),
		cmocka_unit_test(walks_up_to_the_project_root),
		cmocka_unit_test(config_flag_names_the_file),
		cmocka_unit_test(a_dotenv_directory_is_no_dotenv),
	};

	return cmocka_run_group_tests_name("config", tests, fs_setup,
	    fs_teardown);
}
