/* SPDX-License-Identifier: MIT */
/*
 * cmd_junit.c - `specgate junit FILE...`: read JUnit XML, print the test
 * totals and each failing test, and, when the project has a spec, map its
 * scenarios to the tests (@test:<glob> tags, else the scenario's name)
 * and print the spec coverage and the tests gate's findings.  --json
 * prints the spec-coverage document (docs/formats.md) instead.
 *
 * The test cases stream through the map one at a time: a file of a
 * million test cases is read in bounded memory (each failing test is
 * printed as it comes, not collected).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util/utctime.h"

struct junit_print {
	struct sg_spec_map *map;
	bool print;
};

static int
on_test(const struct sg_test_case *tc, void *arg)
{
	struct junit_print *p = arg;

	int n;

	/* the message's first line: a trace does not fit a finding line */
	n = (int)strcspn(tc->message, "\r\n");
	if (p->print &&
	    (tc->status == SG_TEST_FAILED || tc->status == SG_TEST_ERROR))
		printf("%s:%u: %s: %s%s%s%s%.*s\n", tc->file, tc->line,
		    sg_test_status_name(tc->status), tc->classname,
		    tc->classname[0] ? "." : "", tc->name, n ? ": " : "", n,
		    tc->message);
	return sg_spec_map_add(tc, p->map);
}

/* The project's spec, or NULL when it has none (no features directory). */
static int
load_spec(struct cli *cli, const struct sg_config *cfg,
    struct sg_validation **out)
{
	struct sg_validate_options opts = SG_VALIDATE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	int error;
	int code = EXIT_OK;

	opts.mode = cfg->mode;
	opts.ranges = &cfg->policy[cfg->mode];
	opts.root = cfg->root_rel;
	opts.paths = (const char *const *)cfg->features.items;
	opts.npaths = cfg->features.n;
	opts.details = true;
	error = sg_validate(out, &opts, &err);
	if (error == SG_ENOTFOUND) {
		if (cli->verbosity > 0)
			cli_warnf("no spec: %s", err.message);
	} else if (error < 0) {
		code = cli_fail(&err);
	}
	sg_error_release(&err);
	return code;
}

static void
print_summary(const struct sg_spec_map *m)
{
	const struct sg_test_totals *t = &m->totals;

	printf("tests: %llu (%llu passed, %llu failed, %llu errors, %llu "
	       "skipped) in %zu file%s\n",
	    (unsigned long long)t->tests, (unsigned long long)t->passed,
	    (unsigned long long)t->failed, (unsigned long long)t->errors,
	    (unsigned long long)t->skipped, t->nfiles,
	    t->nfiles == 1 ? "" : "s");
	if (m->nscenarios)
		printf("spec coverage: %zu of %zu scenario%s (%.1f%%)\n",
		    m->ncovered, m->nscenarios, m->nscenarios == 1 ? "" : "s",
		    100.0 * (double)m->ncovered / (double)m->nscenarios);
}

static int
junit_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_policy_result res = {0};
	struct sg_config *cfg = NULL;
	struct sg_validation *v = NULL;
	struct junit_print p = {NULL, false};
	struct sg_doc_meta meta;
	char ts[SG_UTC_ISO_SIZE];
	char *json = NULL;
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((code = cli_common_opt(cli, &cli_cmd_junit, ch, optarg)) >=
		    0)
			return code;
	if (optind >= argc)
		return cli_usage(&cli_cmd_junit);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = load_spec(cli, cfg, &v)) != EXIT_OK)
		goto out;
	sg_spec_map_new(&p.map, v);
	p.print = !cli->json && cli->verbosity >= 0;
	/* the map's own reader, with printing in between */
	if (sg_junit_read(&p.map->totals, (const char *const *)argv + optind,
		(size_t)(argc - optind), on_test, &p, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	sg_spec_map_finish(p.map);
	res.severity = sg_policy_severity(cfg->mode);
	sg_gate_tests(&res, p.map);
	if ((code = cli_doc_meta(&meta, ts, cfg->mode)) != EXIT_OK)
		goto out;
	if (v)
		meta.feature_id = v->feature_id;
	if (cli->json) {
		if (sg_spec_coverage_report(&json, &meta, p.map, NULL, 0, &res,
			&err) < 0) {
			code = cli_fail(&err);
			goto out;
		}
		printf("%s\n", json);
		code = res.nerrors ? EXIT_GATE : EXIT_OK;
	} else {
		if (cli->verbosity >= 0)
			print_summary(p.map);
		code = v ? cli_print_findings(cli, &res) : EXIT_OK;
	}
out:
	free(json);
	sg_policy_result_release(&res);
	sg_spec_map_free(p.map);
	sg_validation_free(v);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_junit = {
	.name = "junit",
	.usage = "junit FILE...",
	.summary = "read JUnit XML; map the spec's scenarios to the tests",
	.help =
	    "Read JUnit XML files (testsuites, testsuite, testcase, failure,\n"
	    "error, skipped) and print the totals and each failing test as\n"
	    "'file:line: failed|error: classname.name: message'.  When the\n"
	    "project has a spec, map each scenario to its tests: a scenario\n"
	    "tagged @test:<glob> is covered by the test cases whose\n"
	    "'classname.name' matches the glob, an untagged one by the test\n"
	    "cases named like it (case and spaces folded).  A scenario is\n"
	    "covered with at least one passing and no failing test.  Failing\n"
	    "tests and uncovered scenarios are findings (warnings in sandbox,\n"
	    "errors in compliance).\n"
	    "\n"
	    "Options:\n"
	    "  --json    print the spec-coverage document instead\n"
	    "\n"
	    "Exit status: 0 (sandbox warnings included), 1 an error finding,\n"
	    "2 bad input (malformed XML: file:line:col), 5 system error.\n",
	.exec = junit_exec,
};
