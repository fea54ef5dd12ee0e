/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - `specgate run [--from STAGE] [--to STAGE] [--dry-run]`: run
 * the pipeline (run.h) and say where its evidence went.
 *
 * Output: the spec's findings, one a line as `specgate validate` prints
 * them; one line per checkpoint (`build: retry (attempt 1 of 3 failed:
 * ...)`); what reconciliation did to earlier runs that died; and the
 * bundle:
 *
 *	run 20250924140440 of feature 005cc0262265: warning
 *	bundle: reports/005cc0262265/20250924140440
 *
 * The commands' output is copied to the terminal (stdout to stdout,
 * stderr to stderr, redacted) when stdout is a terminal or with -v; with
 * --json it goes to stderr, and only with -v.  On a terminal, stderr also
 * carries one status line (stage, attempt, elapsed, command), redrawn
 * every second and erased before anything else is printed; nothing is
 * animated otherwise.  -q prints only errors.
 *
 * The validate stage's gate findings are printed as it checkpoints, one a
 * line like the spec's (errors even with -q).
 *
 * --json prints one document instead: {"feature_id", "run_id", "mode",
 * "status", "bundle", "archived": [...], "findings": N errors/warnings,
 * "gate_errors", "gate_warnings", "gate_findings": [lines],
 * "stages": [...]}.  Exit 0 (success or warning), 1 (a stage failed), 2
 * (bad usage, configuration or spec input: no run was made), 5 (a system
 * error: the message says what failed, and whether the run's bundle was
 * kept for recovery), 130 (cancelled by SIGINT or SIGTERM; the bundle is
 * published).
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "specgate/run.h"
#include "specgate/sign.h"

struct ui {
	struct cli *cli;
	const struct sg_run_outcome *o;
	bool printed;	 /* the findings */
	bool stream;	 /* copy the commands' output to the terminal */
	bool status_tty; /* draw a status line on stderr */
	bool status_on;	 /* a status line is drawn */
	size_t ngates;	 /* gate findings printed */
};

/* Erase the status line before printing anything else. */
static void
status_clear(struct ui *ui)
{
	if (!ui->status_on)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	ui->status_on = false;
}

static void
activity(enum sg_stage_id stage, unsigned attempt, unsigned nattempts,
    const char *command, uint64_t elapsed_ms, void *payload)
{
	struct ui *ui = payload;

	if (ui->cli->verbosity > 0 && !elapsed_ms && !ui->cli->json) {
		status_clear(ui);
		if (attempt)
			printf("%s: attempt %u of %u: $ %s\n",
			    sg_stage_name(stage), attempt, nattempts, command);
		else
			printf("%s: rollback: $ %s\n", sg_stage_name(stage),
			    command);
		fflush(stdout);
	}
	if (!ui->status_tty)
		return;
	if (attempt)
		fprintf(stderr, "\r\033[K[%s %u/%u %" PRIu64 "s] %.50s",
		    sg_stage_name(stage), attempt, nattempts,
		    elapsed_ms / 1000, command);
	else
		fprintf(stderr, "\r\033[K[%s rollback %" PRIu64 "s] %.50s",
		    sg_stage_name(stage), elapsed_ms / 1000, command);
	fflush(stderr);
	ui->status_on = true;
}

static void
output(enum sg_stage_id stage, int stream, const char *data, size_t len,
    void *payload)
{
	struct ui *ui = payload;
	FILE *f = stream == 1 && !ui->cli->json ? stdout : stderr;

	if (!ui->stream)
		return;
	status_clear(ui);
	fwrite(data, 1, len, f);
	fflush(f);
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
	/* The gates' findings, as the validate stage finds them. */
	for (; !ui->cli->json && ui->ngates < ui->o->ngate_findings;
	     ui->ngates++)
		if (ui->cli->verbosity >= 0 ||
		    strstr(ui->o->gate_findings[ui->ngates], ": error: ")) {
			status_clear(ui);
			printf("%s\n", ui->o->gate_findings[ui->ngates]);
		}
	if (ui->cli->json || ui->cli->verbosity < 0)
		return;
	status_clear(ui);
	printf("%s: %s%s%s%s%s%s\n", sg_stage_name(stage),
	    cli_color(stdout, cli_color_of_status(status)), status,
	    cli_color(stdout, CLI_COLOR_RESET), detail ? " (" : "",
	    detail ? detail : "", detail ? ")" : "");
}

static void
note(const char *feature_id, const char *run_id, const char *what,
    void *payload)
{
	struct ui *ui = payload;

	if (ui->cli->verbosity < 0)
		return;
	status_clear(ui);
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
	cli_json_field(stdout, false, "status",
	    *o->run_id ? sg_run_status_name(o->status) : NULL);
	cli_json_field(stdout, false, "bundle",
	    o->published ? o->bundle.path : NULL);
	printf(", \"archived\": [");
	for (size_t i = 0; i < o->bundle.narchived; i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, o->bundle.archived[i]);
	}
	printf("], \"errors\": %zu, \"warnings\": %zu",
	    o->validation->result.nerrors, o->validation->result.nwarnings);
	printf(", \"gate_errors\": %zu, \"gate_warnings\": %zu, "
	    "\"gate_findings\": [", o->gate_errors, o->gate_warnings);
	for (size_t i = 0; i < o->ngate_findings; i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, o->gate_findings[i]);
	}
	printf("]");
	if (o->published)
		printf(", \"audit_head\": {\"seq\": %llu, \"hash\": \"%s\"}",
		    (unsigned long long)o->bundle.seal.seq,
		    o->bundle.seal.hash);
	printf(", \"stages\": [");
	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		const struct sg_stage_result *r = &o->stages[s];

		printf("%s{", s ? ", " : "");
		cli_json_field(stdout, true, "stage",
		    sg_stage_name((enum sg_stage_id)s));
		cli_json_field(stdout, false, "status", r->status);
		cli_json_field(stdout, false, "detail", r->detail);
		printf(", \"attempts\": %u, \"commands\": %zu}", r->attempts,
		    r->ncommands);
	}
	printf("]}\n");
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
			cli_print_finding(&v->result.findings[i]);
}

static void
fmt_ms(char *buf, size_t size, uint64_t ms)
{
	if (!ms)
		snprintf(buf, size, "none");
	else if (ms % 1000)
		snprintf(buf, size, "%" PRIu64 "ms", ms);
	else if (ms % 60000)
		snprintf(buf, size, "%" PRIu64 "s", ms / 1000);
	else
		snprintf(buf, size, "%" PRIu64 "m", ms / 60000);
}

static void
print_list(const char *what, const struct sg_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		printf("  %s %s\n", what, l->items[i]);
}

/* Whether a gate's input is read after stage s (gates.<gate>.stage). */
static bool
gate_bound(const struct sg_config *cfg, enum sg_stage_id s)
{
	for (int g = 0; g < 3; g++)
		if (!strcmp(cfg->gate_stage[g] ? cfg->gate_stage[g] :
						  "validate",
			sg_stage_name(s)))
			return true;
	return false;
}

/* Why a stage would not run its commands, or NULL. */
static const char *
plan_skip(char *buf, size_t size, const struct sg_config *cfg,
    enum sg_stage_id s, enum sg_stage_id from, enum sg_stage_id to)
{
	if (s < from) {
		snprintf(buf, size, "--from %s", sg_stage_name(from));
		return buf;
	}
	if (s > to) {
		snprintf(buf, size, "--to %s", sg_stage_name(to));
		return buf;
	}
	if (!cfg->stages[s].run.n && !cfg->stages[s].artifacts.n &&
	    !cfg->stages[s].target &&
	    !(s == SG_STAGE_GENERATE && cfg->stages[s].templates))
		return "no commands configured";
	return NULL;
}

/*
 * What else a run does, as the runner does it (src/lib/run/stage.c,
 * deploy.c, gates.c): auto-fix, health checks, where the gates read.
 */
static void
print_plan_notes(const struct sg_config *cfg)
{
	static const char *const gate[] = {"coverage", "tests", "SAST"};
	const struct sg_stage_config *v = &cfg->stages[SG_STAGE_VALIDATE];
	const struct sg_stage_config *d = &cfg->stages[SG_STAGE_DEPLOY];

	for (int g = 0; g < 3; g++)
		printf("gates: %s read after %s\n", gate[g],
		    cfg->gate_stage[g] ? cfg->gate_stage[g] : "validate");
	if (v->fix.n && cfg->mode == SG_MODE_SANDBOX)
		printf("validate: auto-fix: when the first attempt fails in a "
		       "command listed in fixable (%zu listed), %zu fix "
		       "command%s once, then one more attempt\n",
		    v->fixable.n, v->fix.n, v->fix.n == 1 ? "" : "s");
	else if (v->fix.n)
		printf("note: validate: fix commands are not run in "
		       "compliance\n");
	if (d->health_url)
		printf("deploy: health: GET %s after the commands, up to %d "
		       "tries %d s apart, HTTP 200 passing\n",
		    d->health_url, 3, 2);
	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		const struct sg_stage_config *sc = &cfg->stages[s];

		if ((s == SG_STAGE_PREFLIGHT || s == SG_STAGE_AUDIT) &&
		    sc->run.n)
			printf("note: %s: configured commands are not run by "
			       "this release\n",
			    sg_stage_name((enum sg_stage_id)s));
		if (s != SG_STAGE_VALIDATE && sc->fix.n)
			printf("note: %s: fix commands are run for validate "
			       "only\n",
			    sg_stage_name((enum sg_stage_id)s));
	}
	if (!cfg->branch_enabled)
		printf("note: branch.enabled is false: no feature branch, "
		       "nothing committed\n");
}

/* --dry-run: what would run, and with which policy.  Runs nothing. */
static int
print_plan(const struct cli *cli, const struct sg_config *cfg,
    enum sg_stage_id from, enum sg_stage_id to)
{
	struct sg_stage_plan p;
	const char *skip;
	char buf[64];
	char t[32];
	char iv[32];

	if (!cli->json)
		printf("plan: project %s, mode %s, stages %s to %s\n"
		       "preflight: check the spec, write "
		       "spec-validation-report.json\n",
		    cfg->project, sg_mode_name(cfg->mode), sg_stage_name(from),
		    sg_stage_name(to));
	else
		printf("{\"mode\": \"%s\", \"stages\": [",
		    sg_mode_name(cfg->mode));
	for (int s = SG_STAGE_VALIDATE; s < SG_STAGE_AUDIT; s++) {
		const struct sg_stage_config *sc = &cfg->stages[s];

		skip = plan_skip(buf, sizeof(buf), cfg, (enum sg_stage_id)s,
		    from, to);
		sg_run_stage_plan(&p, cfg, (enum sg_stage_id)s);
		fmt_ms(t, sizeof(t), p.timeout_ms);
		fmt_ms(iv, sizeof(iv), p.interval_ms);
		if (cli->json) {
			printf("%s{\"stage\": \"%s\", \"run\": %s, "
			       "\"commands\": %zu, \"timeout_ms\": %" PRIu64
			       ", \"retries\": %u, \"interval_ms\": %" PRIu64
			       ", \"backoff\": %g, \"rollback\": %zu, "
			       "\"artifacts\": %zu}",
			    s > 1 ? ", " : "",
			    sg_stage_name((enum sg_stage_id)s),
			    skip ? "false" : "true", sc->run.n, p.timeout_ms,
			    p.retries, p.interval_ms, p.backoff,
			    sc->rollback.n, sc->artifacts.n);
			continue;
		}
		if (skip && gate_bound(cfg, (enum sg_stage_id)s) &&
		    !strcmp(skip, "no commands configured")) {
			/* src/lib/run/gates.c: sg_run__gates_wanted() */
			printf("%s: no commands; runs to read its gate inputs "
			       "when one exists or gates: is set in "
			       "specgate.yaml, else skipped\n",
			    sg_stage_name((enum sg_stage_id)s));
			continue;
		}
		if (skip) {
			printf("%s: skipped (%s)\n",
			    sg_stage_name((enum sg_stage_id)s), skip);
			continue;
		}
		printf("%s: %zu command%s, timeout %s each, %u retr%s "
		       "(interval %s, backoff %g)\n",
		    sg_stage_name((enum sg_stage_id)s), sc->run.n,
		    sc->run.n == 1 ? "" : "s", t, p.retries,
		    p.retries == 1 ? "y" : "ies", iv, p.backoff);
		print_list("$", &sc->run);
		print_list("artifact", &sc->artifacts);
		print_list("rollback: $", &sc->rollback);
		for (size_t i = 0; i < sc->nenv; i++)
			printf("  env %s\n", sc->env[i].key);
	}
	if (cli->json) {
		printf("]}\n");
		return EXIT_OK;
	}
	printf("audit: write resource-estimates.json, checkpoints.log, "
	       "manifest.json; seal and publish\n");
	print_plan_notes(cfg);
	return EXIT_OK;
}

/* SPECGATE_KILL_GRACE: the TERM-to-KILL grace, for tests and slow hosts. */
static int
grace(uint64_t *out)
{
	const char *v = getenv("SPECGATE_KILL_GRACE");

	*out = 0;
	if (!v || !*v)
		return EXIT_OK;
	if (sg_duration_parse(out, v) < 0 || !*out) {
		cli_errorf("SPECGATE_KILL_GRACE: bad duration '%s'", v);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int
stage_opt(enum sg_stage_id *out, const char *arg)
{
	if (sg_stage_parse(out, arg) < 0) {
		cli_errorf("unknown stage '%s' (expected preflight, validate, "
			   "generate, build, deploy or audit)",
		    arg);
		return EXIT_USAGE;
	}
	return -1;
}

static void
report(struct cli *cli, const struct sg_run_outcome *o,
    const struct sg_config *cfg)
{
	if (o->validation && cli->json && *o->run_id)
		print_json(o, cfg);
	if (*o->run_id && !cli->json && cli->verbosity >= 0) {
		printf("run %s of feature %s: %s\n", o->run_id, o->feature_id,
		    sg_run_status_name(o->status));
		if (o->published)
			printf("bundle: %s\n", o->bundle.path);
		for (size_t i = 0; i < o->bundle.narchived; i++)
			printf("archived: %s\n", o->bundle.archived[i]);
	}
	if (o->sealed_only)
		cli_warnf("run %s is sealed in the audit trail but its bundle "
			  "could not be renamed into place; `specgate archive` "
			  "will publish it",
		    o->run_id);
}

static int
run_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"to", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'},
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct sg_run_options opts = SG_RUN_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_run_outcome o;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	struct ui ui = {cli, &o, false, false, false, false, 0};
	struct sg_signer *signer = NULL;
	char *why = NULL;
	bool dry = false;
	int cancel_fd = -1;
	int error;
	int code;
	int ch;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 't' || ch == 'f') {
			if ((code = stage_opt(ch == 't' ? &opts.to : &opts.from,
				 optarg)) >= 0)
				return code;
			continue;
		}
		if (ch == 'n') {
			dry = true;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_run, ch, optarg)) >= 0)
			return code;
	}
	if (optind < argc)
		return cli_usage(&cli_cmd_run);
	if (opts.from > opts.to) {
		cli_errorf("--from %s comes after --to %s",
		    sg_stage_name(opts.from), sg_stage_name(opts.to));
		return EXIT_USAGE;
	}
	if ((code = grace(&opts.grace_ms)) != EXIT_OK)
		return code;
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		return code;
	if (dry) {
		code = cli_finish_stdout(print_plan(cli, cfg, opts.from,
		    opts.to));
		goto out;
	}
	/* Below the floor, only a run that stops before deploy. */
	if (opts.to > SG_STAGE_BUILD &&
	    (code = cli_check_floor(cfg, "(a run that stops before deploy "
					 "may: --to build)")) != EXIT_OK)
		goto out;
	/* The profile before anything exists: no run id, bundle, record. */
	if ((code = cli_check_profile(cfg, NULL)) != EXIT_OK ||
	    (code = cli_run_prepare(&opts, &signer, &why, cli, cfg)) !=
		EXIT_OK ||
	    (code = cli_open_store(cfg, true, &st)) != EXIT_OK)
		goto out;
	if (sg_proc_cancel_open(&cancel_fd, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	ui.stream = cli->verbosity > 0 ||
	    (cli->verbosity == 0 && !cli->json && isatty(1));
	ui.status_tty = cli->verbosity >= 0 && !cli->json && isatty(2);
	opts.progress = progress;
	opts.note = note;
	opts.activity = activity;
	opts.output = output;
	opts.cancel_fd = cancel_fd;
	opts.payload = &ui;
	error = sg_run_execute(&o, st, &opts, &err);
	sg_proc_cancel_close();
	status_clear(&ui);
	/* Findings of a run that stopped before preflight's checkpoint. */
	if (o.validation && !cli->json && !ui.printed)
		print_outcome(cli, &o);
	report(cli, &o, cfg);
	code = error ? cli_fail(&err) : EXIT_OK;
	if (error && error != SG_EGATE && error != SG_ECANCELED &&
	    *o.run_id && !o.published && !o.sealed_only)
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
	.usage = "run [--from STAGE] [--to STAGE] [--dry-run]",
	.summary = "run the pipeline and publish the run's evidence bundle",
	.help =
	    "Run the stages preflight, validate, generate, build, deploy and\n"
	    "audit for the project's spec, and leave the evidence in\n"
	    "reports/<feature-id>/<run-id>/ (reports/<feature-id>/latest\n"
	    "points to the newest run).  Preflight checks the spec as\n"
	    "'specgate validate' does and writes spec-validation-report.json.\n"
	    "validate, generate, build and deploy run their configured\n"
	    "commands (stages.<stage>.run) with /bin/sh -c in the project\n"
	    "root, each with its timeout, retrying the stage as configured;\n"
	    "their output goes to logs/<stage>.log with secrets redacted;\n"
	    "declared artifacts are hashed; when the last attempt fails the\n"
	    "stage's rollback commands run and the run stops.  Audit writes\n"
	    "resource-estimates.json, checkpoints.log and manifest.json,\n"
	    "seals the manifest in the audit trail, renames the bundle into\n"
	    "place and archives runs beyond retention.active_runs.\n"
	    "\n"
	    "Options:\n"
	    "  --from STAGE  run the commands of STAGE and later ones only\n"
	    "  --to STAGE    stop after STAGE; later stages are recorded as\n"
	    "                skipped; the audit stage's bookkeeping always\n"
	    "                runs\n"
	    "  --dry-run     print the plan (stages, commands, timeouts,\n"
	    "                retries) and run nothing\n"
	    "  -v            print each command and copy its output\n"
	    "  -q            print only errors\n"
	    "  --json        print the outcome as JSON\n"
	    "  --mode M      sandbox or compliance\n"
	    "\n"
	    "SIGINT or SIGTERM stops the running command (TERM to its process\n"
	    "group, KILL after SPECGATE_KILL_GRACE, default 10s), records the\n"
	    "run as cancelled and publishes its bundle.\n"
	    "\n"
	    "Exit status: 0 success (warnings allowed), 1 a stage failed\n"
	    "(the bundle records it), 2 bad usage, configuration or spec\n"
	    "input (no run is made), 3 compliance waits for approvals\n"
	    "before deploy (specgate approve, specgate resume), 5 system\n"
	    "error (full disk, read-only\n"
	    "reports directory, store), 130 cancelled by a signal.\n",
	.exec = run_exec,
};
