/* SPDX-License-Identifier: MIT */
/*
 * cmd_coverage.c - `specgate coverage [--min P] FILE...`: read lcov
 * tracefiles or Cobertura XML, print line (and branch) coverage per
 * source and in total, and apply the coverage gate: below the minimum
 * (--min, else gates.coverage.min) is a finding, a warning in sandbox and
 * an error in compliance, as is a source that does not exist under the
 * project root.  --json prints {"line_percent", "branch_percent",
 * "files": [...], ...} instead of the table.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

static void
print_pct(const char *what, uint64_t hit, uint64_t found)
{
	double p = sg_coverage_percent(hit, found);

	if (p < 0)
		printf("%s -", what);
	else
		printf("%s %.1f%% (%llu of %llu)", what, p,
		    (unsigned long long)hit, (unsigned long long)found);
}

static void
print_table(const struct sg_coverage *cov)
{
	for (size_t i = 0; i < cov->nfiles; i++) {
		const struct sg_cov_file *f = &cov->files[i];

		printf("%s: ", f->path);
		print_pct("lines", f->lines_hit, f->lines_found);
		print_pct(", branches", f->branches_hit, f->branches_found);
		printf("%s\n", f->exists ? "" : " [missing]");
	}
	printf("total: ");
	print_pct("lines", cov->lines_hit, cov->lines_found);
	print_pct(", branches", cov->branches_hit, cov->branches_found);
	printf(" in %zu source%s\n", cov->nfiles, cov->nfiles == 1 ? "" : "s");
}

static int
parse_min(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= 0 && v <= 100)) {
		cli_errorf("--min '%s' is not a percentage from 0 to 100", s);
		return EXIT_USAGE;
	}
	*out = v;
	return EXIT_OK;
}

static int
coverage_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"min", required_argument, NULL, 'M'},
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_policy_result res = {0};
	struct sg_coverage *cov = NULL;
	struct sg_config *cfg = NULL;
	const char *min_arg = NULL;
	double min;
	char *json = NULL;
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'M') {
			min_arg = optarg;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_coverage, ch,
			 optarg)) >= 0)
			return code;
	}
	if (optind >= argc)
		return cli_usage(&cli_cmd_coverage);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		return code;
	min = cfg->coverage.min;
	if (min_arg && (code = parse_min(min_arg, &min)) != EXIT_OK)
		goto out;
	if (sg_coverage_read(&cov, (const char *const *)argv + optind,
		(size_t)(argc - optind), &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	sg_coverage_check(cov, cfg->root_rel);
	res.severity = sg_policy_severity(cfg->mode);
	sg_gate_coverage(&res, cov, min, argv[optind]);
	if (cli->json) {
		if (sg_coverage_json(&json, cov, &err) < 0) {
			code = cli_fail(&err);
			goto out;
		}
		printf("%s\n", json);
		code = res.nerrors ? EXIT_GATE : EXIT_OK;
		for (size_t i = 0; cli->verbosity >= 0 && i < res.nfindings; i++)
			cli_warnf("%s [%s]", res.findings[i].message,
			    sg_finding_id(res.findings[i].code));
	} else {
		if (cli->verbosity >= 0)
			print_table(cov);
		code = cli_print_findings(cli, &res);
	}
out:
	free(json);
	sg_policy_result_release(&res);
	sg_coverage_free(cov);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_coverage = {
	.name = "coverage",
	.usage = "coverage [--min P] FILE...",
	.summary = "read coverage (lcov, Cobertura) and print its figures",
	.help =
	    "Read lcov tracefiles (geninfo, lcov --capture) or Cobertura XML\n"
	    "(gcovr --cobertura), merge them, and print line and branch\n"
	    "coverage per source and in total, computed from the per-line\n"
	    "data (DA/BRDA, <line>), rounded to 0.1 as lcov and gcovr print\n"
	    "it.  Then the coverage gate: line coverage below the minimum, or\n"
	    "a source that does not exist under the project root, is a\n"
	    "finding (a warning in sandbox, an error in compliance).\n"
	    "\n"
	    "Options:\n"
	    "  --min P   the minimum line coverage in percent (default:\n"
	    "            gates.coverage.min, 70)\n"
	    "  --json    print {\"line_percent\", \"branch_percent\", \"files\",\n"
	    "            ...}; findings go to standard error\n"
	    "\n"
	    "Exit status: 0 (sandbox warnings included), 1 an error finding,\n"
	    "2 bad input (malformed file: file:line:col), 5 system error.\n",
	.exec = coverage_exec,
};
