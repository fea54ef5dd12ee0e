/* SPDX-License-Identifier: MIT */
/*
 * cmd_report.c - `specgate report [RUN] [--format md|html|json]
 * [--since DATE]`: the release report of one run (the newest by default),
 * made by the library (specgate/release.h) from the store and the bundles,
 * printed on standard output.  Nothing is printed when it cannot be made
 * whole: the report is built and rendered in memory first.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/release.h"
#include "util/util.h"

static int
report_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"format", required_argument, NULL, 'f'},
		{"since", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct sg_report_options ro = SG_REPORT_OPTIONS_INIT;
	enum sg_report_format fmt = SG_REPORT_MD;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_evidence_options eo;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	const char *format = NULL;
	char *fid = NULL, *text = NULL;
	json_t *doc = NULL;
	size_t len = 0;
	int code, ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = optarg;
			break;
		case 's':
			ro.since = optarg;
			break;
		default:
			if ((code = cli_common_opt(cli, &cli_cmd_report, ch,
				 optarg)) >= 0)
				return code;
		}
	}
	if (argc - optind > 1)
		return cli_usage(&cli_cmd_report);
	if (cli->json && !format)
		format = "json";
	if (format && sg_report_format_parse(&fmt, format, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	if (!st) {
		cli_errorf("no run to report: nothing has run yet");
		code = EXIT_USAGE;
		goto out;
	}
	cli_evidence_options(&eo, cfg);
	ro.eo = &eo;
	if (optind < argc) {
		const char *arg = argv[optind], *slash = strchr(arg, '/');

		if (slash) {
			fid = sg_xstrndup(arg, (size_t)(slash - arg));
			ro.feature_id = fid;
			ro.run_id = slash + 1;
		} else {
			ro.run_id = arg;
		}
	}
	if (sg_report_build(&doc, st, &ro, &err) < 0 ||
	    sg_report_render(&text, &len, doc, fmt, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
		cli_errorf("cannot write the report: %s", strerror(errno));
		code = EXIT_SYSTEM;
	}
out:
	free(text);
	free(fid);
	json_decref(doc);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_report = {
	.name = "report",
	.usage = "report [RUN] [--format md|html|json] [--since DATE]",
	.summary = "the release report of a run, from its bundle",
	.help =
	    "Print the report of RUN (a run id, or FEATURE/RUN; default: the\n"
	    "newest run): its verdict; a metrics table with target, actual\n"
	    "and status for every gate (spec findings, code coverage, tests,\n"
	    "spec coverage, SAST, resources against the limits, retries,\n"
	    "wall time per stage); its stages; the signed approvals; the\n"
	    "SBOM; where it was deployed; the open findings, ranked; and\n"
	    "every evidence file with its SHA-256.  Each figure names the\n"
	    "bundle file it was read from and that file's digest; a file\n"
	    "that differs from its manifest stops the report (exit 4).  A\n"
	    "run deployed by `specgate resume` is reported with the run it\n"
	    "continues: one release.\n"
	    "\n"
	    "  --format F    md (default: GitHub-flavoured Markdown for a job\n"
	    "                summary or a pull-request comment), html (one\n"
	    "                page with SVG charts, no script) or json\n"
	    "                (specgate/report/v1; also --json)\n"
	    "  --since DATE  add the trend of the feature's runs started on\n"
	    "                or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)\n"
	    "\n"
	    "Exit status: 0; 2 for no such run, a run without a bundle or a\n"
	    "bad option; 4 when a bundle file differs from its manifest; 5\n"
	    "when the store or a file cannot be read.\n",
	.exec = report_exec,
};
