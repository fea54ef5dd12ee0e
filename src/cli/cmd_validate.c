/* SPDX-License-Identifier: MIT */
/*
 * cmd_validate.c - `specgate validate [--format F] [--report FILE]
 * [PATH...]`: check the spec against the policy of the mode and print the
 * findings, one a line as
 *
 *	file:line:col: warning|error: message [SG101 missing-resource-tag]
 *
 * then a one-line summary.  --json (--format json) prints the
 * spec-validation report instead; --format sarif, github or junit the
 * findings for CI (policy/formats.c, docs/ci.md), nothing else on stdout
 * but github's summary line; --report FILE also writes the report
 * (atomically).  Exit 0 when there is no error (sandbox warnings
 * included), 1 when a finding is an error, 2 for bad input or usage, 5
 * for I/O errors: the same whatever the format.
 *
 * A file that cannot be checked (not text, an unknown encoding, an
 * expansion over a cap) does not hide the others: like a compiler, we
 * print its located error on stderr, check and report every other file,
 * and exit 2.  No report is written then (a report is the verdict on the
 * whole spec, and part of it is missing); nor is the feature id printed.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/validate.h"
#include "sys/fs.h"
#include "util/utctime.h"
#include "util/util.h"

enum format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB, FMT_JUNIT };

static const char *const format_names[] = {
	"text", "json", "sarif", "github", "junit", NULL,
};

/* --format's word, or -1 (after the error and a "did you mean"). */
static int
parse_format(const char *word)
{
	const char *near;

	for (int i = 0; format_names[i]; i++)
		if (!strcmp(word, format_names[i]))
			return i;
	near = sg_similar(word, format_names, 5);
	cli_errorf("--format '%s' is not one of text, json, sarif, github, "
		   "junit%s%s%s",
	    word, near ? "; did you mean '" : "", near ? near : "",
	    near ? "'?" : "");
	return -1;
}

static void
print_summary(const struct sg_validation *v)
{
	if (v->nunreadable) {
		printf("%zu file%s, %zu scenario%s: %zu error%s, %zu warning%s; "
		       "%zu file%s could not be checked (mode %s)\n",
		    v->nfiles, v->nfiles == 1 ? "" : "s", v->nscenarios,
		    v->nscenarios == 1 ? "" : "s", v->result.nerrors,
		    v->result.nerrors == 1 ? "" : "s", v->result.nwarnings,
		    v->result.nwarnings == 1 ? "" : "s", v->nunreadable,
		    v->nunreadable == 1 ? "" : "s", sg_mode_name(v->mode));
		return;
	}
	printf("%zu file%s, %zu scenario%s: %zu error%s, %zu warning%s "
	       "(mode %s, feature id %s%s)\n",
	    v->nfiles, v->nfiles == 1 ? "" : "s", v->nscenarios,
	    v->nscenarios == 1 ? "" : "s", v->result.nerrors,
	    v->result.nerrors == 1 ? "" : "s", v->result.nwarnings,
	    v->result.nwarnings == 1 ? "" : "s", sg_mode_name(v->mode),
	    v->feature_id,
	    v->nskipped ? ", some files skipped" : "");
}

/*
 * Some files could not be checked: the others' findings on stdout, each
 * refused file's error on stderr, then the summary; exit 2.
 */
static int
unreadable_exit(const struct cli *cli, const struct sg_validation *v)
{
	int code = EXIT_USAGE;

	/*
	 * --json and the CI formats promise a document on stdout: there is
	 * none, so nothing
	 */
	bool text = !cli->json;

	if (cli->verbosity >= 0)
		for (size_t i = 0; i < v->nwarnings; i++)
			cli_warnf("%s", v->warnings[i]);
	for (size_t i = 0; text && i < v->result.nfindings; i++)
		if (cli->verbosity >= 0 ||
		    v->result.findings[i].severity == SG_SEV_ERROR)
			cli_print_finding(&v->result.findings[i]);
	fflush(stdout);
	for (size_t i = 0; i < v->nunreadable; i++) {
		int c = cli_fail(&v->unreadable[i]);

		if (c != EXIT_USAGE)
			code = c;
	}
	if (text && cli->verbosity >= 0)
		print_summary(v);
	return code;
}

static int
validate_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"report", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct sg_validate_options opts = SG_VALIDATE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_validation *v = NULL;
	struct sg_config *cfg = NULL;
	const char *report_file = NULL;
	char *report = NULL;
	char *doc = NULL;
	char ts[SG_UTC_ISO_SIZE];
	int format = -1;
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'r') {
			report_file = optarg;
			continue;
		}
		if (ch == 'f') {
			if ((format = parse_format(optarg)) < 0)
				return EXIT_USAGE;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_validate, ch,
			 optarg)) >= 0)
			return code;
	}
	if (format < 0)
		format = cli->json ? FMT_JSON : FMT_TEXT;
	else if (cli->json && format != FMT_JSON) {
		cli_errorf("--json and --format %s ask for two outputs; give "
			   "one",
		    format_names[format]);
		return EXIT_USAGE;
	}
	/* from here on cli->json means "a document on stdout" */
	cli->json = format != FMT_TEXT && format != FMT_GITHUB;
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		return code;
	opts.mode = cfg->mode;
	opts.ranges = &cfg->policy[cfg->mode];
	if (optind < argc) {
		opts.root = ".";
		opts.paths = (const char *const *)argv + optind;
		opts.npaths = (size_t)(argc - optind);
	} else {
		opts.root = cfg->root_rel;
		opts.paths = (const char *const *)cfg->features.items;
		opts.npaths = cfg->features.n;
	}
	opts.details = format == FMT_JSON || format == FMT_JUNIT ||
	    report_file;
	opts.keep_going = true;
	if (sg_validate(&v, &opts, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (v->nunreadable) {
		code = unreadable_exit(cli, v);
		goto out;
	}
	if (sg_utc_iso(ts, sg_utc_report_now()) < 0) {
		cli_errorf("the clock is outside the years 0-9999");
		code = EXIT_SYSTEM;
		goto out;
	}
	if (format == FMT_JSON || report_file) {
		if (sg_validation_report(&report, v, NULL, ts, &err) < 0) {
			code = cli_fail(&err);
			goto out;
		}
	}
	if (report_file &&
	    sg_fs_write_atomic(report_file, report, strlen(report), 0644,
		&err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (cli->verbosity >= 0)
		for (size_t i = 0; i < v->nwarnings; i++)
			cli_warnf("%s", v->warnings[i]);
	if ((format == FMT_SARIF &&
		sg_validation_sarif(&doc, v, cfg->root, &err) < 0) ||
	    (format == FMT_GITHUB &&
		sg_validation_github(&doc, v, cfg->root, &err) < 0) ||
	    (format == FMT_JUNIT &&
		sg_validation_junit(&doc, v, cfg->root, ts, &err) < 0)) {
		code = cli_fail(&err);
		goto out;
	}
	if (format == FMT_JSON) {
		printf("%s\n", report);
	} else if (format == FMT_SARIF) {
		printf("%s\n", doc);
	} else if (format == FMT_JUNIT || format == FMT_GITHUB) {
		/* github: annotations, then the summary as a plain log line */
		fputs(doc, stdout);
		if (format == FMT_GITHUB && cli->verbosity >= 0)
			print_summary(v);
	} else {
		for (size_t i = 0; i < v->result.nfindings; i++)
			if (cli->verbosity >= 0 ||
			    v->result.findings[i].severity == SG_SEV_ERROR)
				cli_print_finding(&v->result.findings[i]);
		if (cli->verbosity >= 0)
			print_summary(v);
	}
	code = v->result.nerrors ? EXIT_GATE : EXIT_OK;
out:
	free(doc);
	free(report);
	sg_validation_free(v);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_validate = {
	.name = "validate",
	.usage = "validate [--format text|json|sarif|github|junit] "
		 "[--report FILE] [PATH...]",
	.summary = "check the specs against the policy of the mode",
	.help =
	    "Parse every *.feature file under PATH (default: the features\n"
	    "directories of specgate.yaml), compile its scenarios and check\n"
	    "each one: a valid @resource: tag (the nearest of Examples,\n"
	    "Scenario, Rule, Feature wins), values inside the mode's ranges,\n"
	    "and at least one Given, When and Then.  Prints one finding a line\n"
	    "as 'file:line:col: warning|error: message [code name]' and a\n"
	    "summary.  Findings are warnings in sandbox, errors in compliance;\n"
	    "a file with a parse error is skipped in sandbox.  A file that\n"
	    "cannot be checked (not text, an unknown '# encoding:', Outlines\n"
	    "expanding past a cap) is reported as file:line:col: error: on\n"
	    "stderr; the other files are still checked, and the exit is 2.\n"
	    "\n"
	    "Options:\n"
	    "  --format F     text (the default), json (the report, as\n"
	    "                 --json), sarif (SARIF 2.1.0 for code\n"
	    "                 scanning), github (workflow-command\n"
	    "                 annotations), junit (JUnit XML, a test case\n"
	    "                 per file); paths relative to the project root\n"
	    "  --report FILE  also write spec-validation-report.json to FILE\n"
	    "  --json         print the report instead of the findings\n"
	    "  --mode M       sandbox or compliance\n"
	    "  -q             print errors only; -v more detail\n"
	    "\n"
	    "Exit status: 0 no error (warnings allowed), 1 an error finding,\n"
	    "2 bad input (a file that cannot be checked, no spec files, bad\n"
	    "path),\n"
	    "5 system error.\n",
	.exec = validate_exec,
};
