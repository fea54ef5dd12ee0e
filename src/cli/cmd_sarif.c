/* SPDX-License-Identifier: MIT */
/*
 * cmd_sarif.c - `specgate sarif [--fail-on L] FILE...`: read SARIF 2.1.0
 * logs (CodeQL, clang's analyzer, any producer), print the counted
 * results by effective level, rule and file, and apply the SAST gate:
 * results at the threshold (--fail-on, else gates.sast.fail_on) or above
 * are a finding.  --json prints the sast-summary document instead.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

#include "util/utctime.h"

static void
print_levels(const uint64_t *by)
{
	printf("%llu error, %llu warning, %llu note, %llu none",
	    (unsigned long long)by[SG_SARIF_ERROR],
	    (unsigned long long)by[SG_SARIF_WARNING],
	    (unsigned long long)by[SG_SARIF_NOTE],
	    (unsigned long long)by[SG_SARIF_NONE]);
}

static void
print_counts(const char *what, const struct sg_sarif_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%s %s: ", what, c[i].key[0] ? c[i].key : "-");
		print_levels(c[i].by_level);
		putchar('\n');
	}
}

static void
print_sarif(const struct sg_sarif *s, enum sg_sarif_level fail_on)
{
	printf("results: %llu (", (unsigned long long)s->results);
	print_levels(s->by_level);
	printf("), %llu suppressed, in %zu run%s\n",
	    (unsigned long long)s->suppressed, s->nruns,
	    s->nruns == 1 ? "" : "s");
	print_counts("rule", s->rules, s->nrules);
	print_counts("file", s->files, s->nfiles_hit);
	printf("at '%s' or above: %llu\n", sg_sarif_level_name(fail_on),
	    (unsigned long long)sg_sarif_at_or_above(s, fail_on));
}

static int
sarif_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"fail-on", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_policy_result res = {0};
	struct sg_config *cfg = NULL;
	struct sg_sarif *s = NULL;
	struct sg_doc_meta meta;
	enum sg_sarif_level fail_on;
	const char *fail_arg = NULL;
	char ts[SG_UTC_ISO_SIZE];
	char *json = NULL;
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'F') {
			fail_arg = optarg;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_sarif, ch, optarg)) >=
		    0)
			return code;
	}
	if (optind >= argc)
		return cli_usage(&cli_cmd_sarif);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		return code;
	if (!fail_arg)
		fail_arg = cfg->sast_fail_on ? cfg->sast_fail_on : "error";
	if (sg_sarif_level_parse(&fail_on, fail_arg) < 0 ||
	    fail_on == SG_SARIF_NONE) {
		cli_errorf("--fail-on '%s' is not error, warning or note",
		    fail_arg);
		code = EXIT_USAGE;
		goto out;
	}
	if (sg_sarif_read(&s, (const char *const *)argv + optind,
		(size_t)(argc - optind), &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	res.severity = sg_policy_severity(cfg->mode);
	sg_gate_sast(&res, s, fail_on, argv[optind]);
	if (cli->json) {
		if ((code = cli_doc_meta(&meta, ts, cfg->mode)) != EXIT_OK)
			goto out;
		if (sg_sast_summary_report(&json, &meta, s, fail_on, &res,
			&err) < 0) {
			code = cli_fail(&err);
			goto out;
		}
		printf("%s\n", json);
		code = res.nerrors ? EXIT_GATE : EXIT_OK;
	} else {
		if (cli->verbosity >= 0)
			print_sarif(s, fail_on);
		code = cli_print_findings(cli, &res);
	}
out:
	free(json);
	sg_policy_result_release(&res);
	sg_sarif_free(s);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_sarif = {
	.name = "sarif",
	.usage = "sarif [--fail-on L] FILE...",
	.summary = "read SARIF 2.1.0 and count results by level, rule, file",
	.help =
	    "Read SARIF 2.1.0 logs and count their results by effective level\n"
	    "(the result's level, else its rule's default level, else\n"
	    "warning), rule and file; suppressed results are not counted.\n"
	    "Results at the threshold or above are a finding: a warning in\n"
	    "sandbox, an error in compliance.  Files of any size are read in\n"
	    "bounded memory (one result at a time).\n"
	    "\n"
	    "Options:\n"
	    "  --fail-on L  error, warning or note (default: gates.sast.fail_on,\n"
	    "               error)\n"
	    "  --json       print the sast-summary document instead\n"
	    "\n"
	    "Exit status: 0 (sandbox warnings included), 1 an error finding,\n"
	    "2 bad input (malformed JSON: file:line:col; not SARIF 2.1.0),\n"
	    "5 system error.\n",
	.exec = sarif_exec,
};
