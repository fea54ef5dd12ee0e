/* SPDX-License-Identifier: MIT */
/*
 * gate.c - what `specgate coverage`, `junit` and `sarif` share: printing
 * a gate finding in the one-a-line format of `validate`, and the
 * document header of a read outside a run.
 */
#include "cli.h"

#include "util/utctime.h"

void
cli_print_finding(const struct sg_finding *f)
{
	const char *sev = f->severity == SG_SEV_ERROR ? "error" : "warning";

	if (f->file && f->file[0] && f->loc.line)
		printf("%s:%u:%u: ", f->file, f->loc.line, f->loc.column);
	else if (f->file && f->file[0])
		printf("%s: ", f->file);
	printf("%s%s%s: %s [%s %s]\n",
	    cli_color(stdout, f->severity == SG_SEV_ERROR ? CLI_COLOR_ERROR :
							     CLI_COLOR_WARNING),
	    sev, cli_color(stdout, CLI_COLOR_RESET), f->message,
	    sg_finding_id(f->code), sg_finding_name(f->code));
}

int
cli_print_findings(const struct cli *cli, const struct sg_policy_result *res)
{
	for (size_t i = 0; i < res->nfindings; i++)
		if (cli->verbosity >= 0 ||
		    res->findings[i].severity == SG_SEV_ERROR)
			cli_print_finding(&res->findings[i]);
	return res->nerrors ? EXIT_GATE : EXIT_OK;
}

int
cli_doc_meta(struct sg_doc_meta *meta, char ts[SG_UTC_ISO_SIZE],
    enum sg_mode mode)
{
	if (sg_utc_iso(ts, sg_utc_report_now()) < 0) {
		cli_errorf("the clock is outside the years 0-9999");
		return EXIT_SYSTEM;
	}
	meta->feature_id = NULL;
	meta->run_id = NULL;
	meta->mode = mode;
	meta->timestamp = ts;
	return EXIT_OK;
}
