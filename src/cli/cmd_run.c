/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - `specgate run [--to STAGE]`: run the pipeline (run.h) and
 * say where its evidence went.
 *
 * Output: the spec's findings, one a line as `specgate validate` prints
 * them; one line per stage (`preflight: warning (3 files, ...)`); what
 * reconciliation did to earlier runs that died; and the bundle:
 *
 *	run 20250924140440 of feature 005cc0262265: warning
 *	bundle: reports/005cc0262265/20250924140440
 *
 * --json prints one document instead: {"feature_id", "run_id", "mode",
 * "status", "bundle", "archived": [...], "findings": N errors/warnings}.
 * Exit 0 (success or warning), 1 (a stage failed: compliance findings),
 * 2 (bad usage, configuration or spec input: no run was made), 5 (a
 * system error: the message says what failed, and whether the run's
 * bundle was kept for recovery).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/run.h"
#include "specgate/sign.h"

struct ui {
	struct cli *cli;
	const struct sg_run_outcome *o;
	bool printed; /* the findings */
};

static void
print_finding(const struct sg_finding *f)
{
	printf("%s:%u:%u: %s: %s [%s %s]\n", f->file, f->loc.line,
	    f->loc.column, f->severity == SG_SEV_ERROR ? "error" : "warning",
	    f->message, sg_finding_id(f->code), sg_finding_name(f->code));
}

static void print_outcome(const struct cli *cli,
    const struct sg_run_outcome *o);

static void
progress(enum sg_stage_id stage, const char *status, const char *detail,
    void *payload)
{
	struct ui *ui = payload;

	/* The spec's findings first: they are what preflight found. */
	if (stage == SG_STAGE_PREFLIGHT && !ui->cli->json && !ui->printed) {
		print_outcome(ui->cli, ui->o);
		ui->printed = true;
	}
	if (ui->cli->json || ui->cli->verbosity < 0)
		return;
	printf("%s: %s%s%s%s\n", sg_stage_name(stage), status,
	    detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
}

static void
note(const char *feature_id, const char *run_id, const char *what,
    void *payload)
{
	struct ui *ui = payload;

	if (ui->cli->verbosity < 0)
		return;
	if (!strcmp(run_id, "-"))
		fprintf(stderr, "specgate: note: feature %s: %s\n",
		    feature_id, what);
	else
		fprintf(stderr, "specgate: note: run %s of feature %s: %s\n",
		    run_id, feature_id, what);
}

static void
print_json(const struct sg_run_outcome *o, const struct sg_config *cfg)
{
	printf("{");
	cli_json_field(stdout, true, "feature_id", o->feature_id);
	cli_json_field(stdout, false, "run_id", o->run_id);
	cli_json_field(stdout, false, "mode", sg_mode_name(cfg->mode));
	cli_json_field(stdout, false, "status", o->status);
	cli_json_field(stdout, false, "bundle",
	    o->published ? o->bundle.path : NULL);
	printf(", \"archived\": [");
	for (size_t i = 0; i < o->bundle.narchived; i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, o->bundle.archived[i]);
	}
	printf("], \"errors\": %zu, \"warnings\": %zu",
	    o->validation->result.nerrors, o->validation->result.nwarnings);
	if (o->published)
		printf(", \"audit_head\": {\"seq\": %llu, \"hash\": \"%s\"}",
		    (unsigned long long)o->bundle.seal.seq,
		    o->bundle.seal.hash);
	printf("}\n");
}

static void
print_outcome(const struct cli *cli, const struct sg_run_outcome *o)
{
	const struct sg_validation *v = o->validation;

	if (cli->verbosity >= 0)
		for (size_t i = 0; i < v->nwarnings; i++)
			cli_warnf("%s", v->warnings[i]);
	for (size_t i = 0; i < v->result.nfindings; i++)
		if (cli->verbosity >= 0 ||
		    v->result.findings[i].severity == SG_SEV_ERROR)
			print_finding(&v->result.findings[i]);
}

static int
run_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"to", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	struct sg_run_options opts = SG_RUN_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_run_outcome o;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	struct sg_signer *signer = NULL;
	char *why = NULL;
	struct ui ui = {cli, &o, false};
	int error;
	int code;
	int ch;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 't') {
			if (sg_stage_parse(&opts.to, optarg) < 0) {
				cli_errorf("unknown stage '%s' (expected "
					   "preflight, validate, generate, "
					   "build, deploy or audit)",
				    optarg);
				return EXIT_USAGE;
			}
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_run, ch, optarg)) >= 0)
			return code;
	}
	if (optind < argc)
		return cli_usage(&cli_cmd_run);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		return code;
	if ((code = cli_run_signer(&signer, &why, cli, cfg)) != EXIT_OK ||
	    (code = cli_open_store(cfg, true, &st)) != EXIT_OK)
		goto out;
	opts.cfg = cfg;
	opts.signer = signer;
	opts.unsigned_why = why;
	opts.progress = progress;
	opts.note = note;
	opts.payload = &ui;
	error = sg_run_execute(&o, st, &opts, &err);
	/* Findings of a run that stopped before preflight's checkpoint. */
	if (o.validation && !cli->json && !ui.printed)
		print_outcome(cli, &o);
	if (o.validation && cli->json && *o.run_id)
		print_json(&o, cfg);
	if (*o.run_id && !cli->json && cli->verbosity >= 0) {
		printf("run %s of feature %s: %s\n", o.run_id, o.feature_id,
		    o.status);
		if (o.published)
			printf("bundle: %s\n", o.bundle.path);
		for (size_t i = 0; i < o.bundle.narchived; i++)
			printf("archived: %s\n", o.bundle.archived[i]);
	}
	if (o.sealed_only)
		cli_warnf("run %s is sealed in the audit trail but its bundle "
			  "could not be renamed into place; `specgate archive` "
			  "will publish it",
		    o.run_id);
	code = error ? cli_fail(&err) : EXIT_OK;
	if (error && error != SG_EGATE && *o.run_id && !o.published &&
	    !o.sealed_only)
		cli_errorf("run %s of feature %s failed: no bundle was "
			   "published, the run is recorded as a failure",
		    o.run_id, o.feature_id);
out:
	sg_run_outcome_release(&o);
	sg_signer_free(signer);
	free(why);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_run = {
	.name = "run",
	.usage = "run [--to STAGE]",
	.summary = "run the pipeline and publish the run's evidence bundle",
	.help =
	    "Run the stages preflight, validate, generate, build, deploy and\n"
	    "audit for the project's spec, and leave the evidence in\n"
	    "reports/<feature-id>/<run-id>/ (reports/<feature-id>/latest\n"
	    "points to the newest run).  Preflight checks the spec as\n"
	    "'specgate validate' does and writes spec-validation-report.json;\n"
	    "validate, generate, build and deploy have no built-in work in\n"
	    "this release and are recorded as skipped; audit writes\n"
	    "checkpoints.log and manifest.json (every file's SHA-256 and the\n"
	    "audit-trail head), appends the audit record that seals the\n"
	    "manifest, renames the bundle into place and archives runs beyond\n"
	    "retention.active_runs.\n"
	    "\n"
	    "Options:\n"
	    "  --to STAGE  stop after STAGE; later stages are recorded as\n"
	    "              skipped; the audit stage's bookkeeping always runs\n"
	    "  --json      print the outcome as JSON\n"
	    "  --mode M    sandbox or compliance\n"
	    "\n"
	    "Exit status: 0 success (warnings allowed), 1 a stage failed\n"
	    "(compliance findings; the bundle records it), 2 bad usage,\n"
	    "configuration or spec input (no run is made), 5 system error\n"
	    "(full disk, read-only reports directory, store).\n",
	.exec = run_exec,
};
