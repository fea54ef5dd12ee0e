/* SPDX-License-Identifier: MIT */
/*
 * run.c - one run: preflight, the skipped stages, audit (specgate/run.h).
 *
 * The order, and what each failure leaves behind:
 *
 *	1. validate the spec: bad input stops here, before any run exists
 *	2. reconcile the feature's dead runs
 *	3. sg_bundle_begin(): the locked staging directory
 *	4. sg_store_run_create(): the run id; the store records the staging
 *	   directory as the run's bundle (how a crash is found later)
 *	5. preflight's files into the bundle, then its checkpoint and the
 *	   skipped ones, appended to the trail in one transaction
 *	6. sg_bundle_publish(): the audit stage
 *	7. sg_store_run_update(): the final status and the bundle
 *
 * A failure in 3-6 before the seal: the trail gets `audit failure` when it
 * holds checkpoints of the run, the store `failure`, the staging
 * directory is removed (sg_bundle_free()).  After the seal, the bundle is
 * complete: it is left for reconciliation to rename (or, once renamed,
 * recorded as what it is).
 *
 * Signing: the front end loads the key once and passes the signer
 * (opts->signer; compliance refuses to start without one).  Preflight and
 * each skipped stage get an in-toto link (links()); the audit stage's
 * signatures, provenance and link are sg_bundle_publish()'s.
 *
 * The stages the pipeline issue will implement (validate, generate, build,
 * deploy) are checkpointed as `skipped` with the reason in the manifest
 * (and an empty link saying so); nothing pretends to have run.  They share one transaction with
 * preflight's checkpoint because they are decided at the same moment.
 */
#include "specgate/run.h"

#include <string.h>

#include "util/utctime.h"
#include "util/util.h"

#define REPORT "spec-validation-report.json"
#define PREFLIGHT_LOG "logs/preflight.log"

void
sg_run_outcome_release(struct sg_run_outcome *o)
{
	if (!o)
		return;
	sg_validation_free(o->validation);
	sg_bundle_published_release(&o->bundle);
	memset(o, 0, sizeof(*o));
}

static int
check(const struct sg_config *cfg, struct sg_validation **out,
    struct sg_error *err)
{
	struct sg_validate_options vo = SG_VALIDATE_OPTIONS_INIT;

	vo.mode = cfg->mode;
	vo.ranges = &cfg->policy[cfg->mode];
	vo.root = cfg->root_rel;
	vo.paths = (const char *const *)cfg->features.items;
	vo.npaths = cfg->features.n;
	vo.details = true;
	return sg_validate(out, &vo, err);
}

/* logs/preflight.log: what `specgate validate` would print. */
static void
preflight_log(struct sg_buf *out, const struct sg_config *cfg,
    const struct sg_validation *v)
{
	sg_buf_printf(out, "specgate %s (%s): preflight, mode %s\n", SG_VERSION,
	    SG_COMMIT, sg_mode_name(v->mode));
	for (size_t i = 0; i < cfg->warnings.n; i++)
		sg_buf_printf(out, "%s\n", cfg->warnings.items[i]);
	for (size_t i = 0; i < v->nwarnings; i++)
		sg_buf_printf(out, "warning: %s\n", v->warnings[i]);
	for (size_t i = 0; i < v->result.nfindings; i++) {
		const struct sg_finding *f = &v->result.findings[i];

		sg_buf_printf(out, "%s:%u:%u: %s: %s [%s %s]\n", f->file,
		    f->loc.line, f->loc.column,
		    f->severity == SG_SEV_ERROR ? "error" : "warning",
		    f->message, sg_finding_id(f->code),
		    sg_finding_name(f->code));
	}
	sg_buf_printf(out,
	    "%zu files, %zu scenarios: %zu errors, %zu warnings (feature id "
	    "%s)\n",
	    v->nfiles, v->nscenarios, v->result.nerrors, v->result.nwarnings,
	    v->feature_id);
}

static const char *
preflight_status(const struct sg_validation *v)
{
	if (v->result.nerrors)
		return "failure";
	return v->result.nwarnings ? "warning" : "success";
}

/*
 * The in-toto links of preflight (the spec files in, the report and log
 * out) and of the stages recorded as skipped (empty, saying why), signed
 * by the bundle's signer (nothing when the bundle is unsigned).
 */
static int
links(struct sg_bundle *b, const struct sg_validation *v,
    const struct sg_checkpoint *cps, const char *log_sha,
    const struct sg_buf *log, struct sg_error *err)
{
	struct sg_intoto_link *l = NULL;
	int error = 0;

	if (!sg_bundle_is_signed(b))
		return 0;
	sg_intoto_link_new(&l, sg_stage_name(SG_STAGE_PREFLIGHT));
	for (size_t i = 0; i < v->nfiles; i++)
		if ((error = sg_intoto_link_material(l, v->files[i].path,
			 v->files[i].sha256, err)) < 0)
			goto out;
	if ((error = sg_intoto_link_product(l, REPORT, cps[0].output_sha256,
		 err)) < 0 ||
	    (error = sg_intoto_link_product(l, PREFLIGHT_LOG, log_sha,
		 err)) < 0)
		goto out;
	sg_intoto_link_byproducts(l, v->result.nerrors ? 1 : 0, log->ptr,
	    log->len, NULL, 0);
	sg_intoto_link_env(l, "status", cps[0].status);
	if ((error = sg_bundle_write_link(b, l, err)) < 0)
		goto out;
	for (int s = SG_STAGE_VALIDATE; s < SG_STAGE_AUDIT; s++) {
		sg_intoto_link_free(l);
		sg_intoto_link_new(&l, sg_stage_name((enum sg_stage_id)s));
		sg_intoto_link_env(l, "status", cps[s].status);
		sg_intoto_link_env(l, "reason", cps[s].detail);
		if ((error = sg_bundle_write_link(b, l, err)) < 0)
			goto out;
	}
out:
	sg_intoto_link_free(l);
	return error;
}

/* Steps 5: the report and log, then the checkpoints. */
static int
preflight(struct sg_run_outcome *out, struct sg_bundle *b,
    struct sg_store *st, const struct sg_run_options *opts,
    struct sg_error *err)
{
	const struct sg_validation *v = out->validation;
	struct sg_checkpoint cps[SG_STAGE_AUDIT];
	char details[SG_STAGE_AUDIT][160];
	char sha[65];
	char log_sha[65];
	char ts[SG_UTC_ISO_SIZE];
	char *report = NULL;
	struct sg_buf log;
	bool failed = v->result.nerrors > 0;
	time_t now;
	int error;

	sg_buf_init(&log, 0);
	if (sg_utc_iso(ts, sg_utc_report_now()) < 0) {
		error = sg_error_set(err, SG_EIO, "the clock is out of range");
		goto out;
	}
	preflight_log(&log, opts->cfg, v);
	if ((error = sg_validation_report(&report, v, out->run_id, ts,
		 err)) < 0 ||
	    (error = sg_bundle_write(b, REPORT, report, strlen(report), sha,
		 err)) < 0 ||
	    (error = sg_bundle_write(b, PREFLIGHT_LOG, log.ptr, log.len,
		 log_sha, err)) < 0)
		goto out;
	now = sg_utc_now();
	memset(cps, 0, sizeof(cps));
	snprintf(details[0], sizeof(details[0]),
	    "%zu files, %zu scenarios: %zu errors, %zu warnings", v->nfiles,
	    v->nscenarios, v->result.nerrors, v->result.nwarnings);
	cps[0] = (struct sg_checkpoint){SG_STAGE_PREFLIGHT,
	    preflight_status(v), REPORT, sha, details[0], now};
	for (int s = SG_STAGE_VALIDATE; s < SG_STAGE_AUDIT; s++) {
		if (failed)
			snprintf(details[s], sizeof(details[s]),
			    "not run: preflight failed");
		else if (s > (int)opts->to)
			snprintf(details[s], sizeof(details[s]),
			    "not run: --to %s", sg_stage_name(opts->to));
		else
			snprintf(details[s], sizeof(details[s]),
			    "not run: this specgate has no %s stage yet",
			    sg_stage_name((enum sg_stage_id)s));
		cps[s] = (struct sg_checkpoint){(enum sg_stage_id)s,
		    "skipped", NULL, NULL, details[s], now};
	}
	if ((error = links(b, v, cps, log_sha, &log, err)) < 0 ||
	    (error = sg_bundle_checkpoint(b, st, cps, SG_STAGE_AUDIT,
		 err)) < 0)
		goto out;
	if (opts->progress) {
		for (int s = 0; s < SG_STAGE_AUDIT; s++)
			opts->progress(cps[s].stage, cps[s].status,
			    cps[s].detail, opts->payload);
	}
out:
	free(report);
	sg_buf_release(&log);
	return error;
}

/*
 * Step 7, or what is left to do after a failure (error), which stays the
 * error returned: cleanup failures go to a scratch struct sg_error.
 */
static int
finish(struct sg_run_outcome *out, struct sg_bundle *b, struct sg_store *st,
    int error, struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	int e;

	switch (sg_bundle_state(b)) {
	case SG_BUNDLE_PUBLISHED:
		out->published = true;
		e = sg_store_run_update(st, out->feature_id, out->run_id,
		    out->status, out->bundle.store_path, 0,
		    error ? &mine : err);
		if (!error)
			error = e;
		break;
	case SG_BUNDLE_SEALED:
		/* Complete and sealed: reconciliation renames it. */
		out->sealed_only = true;
		break;
	case SG_BUNDLE_STAGING:
		sg_bundle_abort(b, st, "failure", &mine);
		sg_store_run_update(st, out->feature_id, out->run_id,
		    "failure", NULL, 0, &mine);
		out->status = "failure";
		break;
	}
	sg_error_release(&mine);
	return error;
}

/* Steps 3-7, once the spec is checked and the feature id known. */
static int
run(struct sg_run_outcome *out, struct sg_store *st,
    const struct sg_run_options *opts, const struct sg_evidence_options *eo,
    time_t started, struct sg_error *err)
{
	const struct sg_config *cfg = opts->cfg;
	struct sg_run_new rn = SG_RUN_NEW_INIT;
	struct sg_bundle_run br = SG_BUNDLE_RUN_INIT;
	struct sg_bundle *b = NULL;
	int error;

	if ((error = sg_bundle_begin(&b, eo, out->feature_id, err)) < 0)
		return error;
	rn.feature_id = out->feature_id;
	rn.mode = sg_mode_name(cfg->mode);
	rn.bundle = sg_bundle_staging(b);
	rn.started = started;
	if ((error = sg_store_run_create(out->run_id, st, &rn, err)) < 0)
		goto out;
	br.run_id = out->run_id;
	br.mode = rn.mode;
	br.project = cfg->project;
	br.project_version = cfg->version;
	br.started = started;
	br.to = opts->to;
	out->status = preflight_status(out->validation);
	sg_bundle_set_signer(b, opts->signer, opts->unsigned_why);
	if ((error = sg_bundle_set_run(b, &br, err)) < 0 ||
	    (error = preflight(out, b, st, opts, err)) < 0 ||
	    (error = sg_bundle_publish(&out->bundle, b, st, out->status,
		 err)) < 0)
		goto out;
	if (opts->progress)
		opts->progress(SG_STAGE_AUDIT, "success", NULL, opts->payload);
out:
	if (*out->run_id)
		error = finish(out, b, st, error, err);
	sg_bundle_free(b);
	return error;
}

/*
 * Step 2.  A failure here (a dead run's staging directory that cannot be
 * removed, say) must not stop new runs: it is passed on as a note, and
 * the next run or `specgate archive` tries again.
 */
static void
reconcile(struct sg_run_outcome *out, struct sg_store *st,
    const struct sg_run_options *opts, const struct sg_evidence_options *eo)
{
	struct sg_error err = SG_ERROR_INIT;
	char what[600];

	if (sg_evidence_reconcile(eo, out->feature_id, st, opts->note,
		opts->payload, &err) < 0 &&
	    opts->note) {
		snprintf(what, sizeof(what),
		    "could not finish the runs of this feature that died: %s",
		    err.message);
		opts->note(out->feature_id, "-", what, opts->payload);
	}
	sg_error_release(&err);
}

int
sg_run_execute(struct sg_run_outcome *out, struct sg_store *st,
    const struct sg_run_options *opts, struct sg_error *err)
{
	struct sg_evidence_options eo = SG_EVIDENCE_OPTIONS_INIT;
	const struct sg_config *cfg = opts->cfg;
	time_t started;
	int error;

	memset(out, 0, sizeof(*out));
	if (opts->version != SG_RUN_OPTIONS_VERSION)
		SG_BUG("struct sg_run_options of an unknown version");
	if (cfg->mode == SG_MODE_COMPLIANCE && !opts->signer)
		return sg_error_set(err, SG_EINVAL,
		    "preflight: compliance mode needs a usable signing key "
		    "(signing.key, SPECGATE_SIGNING_KEY)%s%s",
		    opts->unsigned_why ? ": " : "",
		    opts->unsigned_why ? opts->unsigned_why : "");
	started = opts->started ? opts->started : sg_utc_now();
	eo.root = cfg->root_rel;
	eo.reports = cfg->reports;
	eo.active_runs = cfg->active_runs;
	if ((error = check(cfg, &out->validation, err)) < 0)
		return error;
	memcpy(out->feature_id, out->validation->feature_id, 13);
	reconcile(out, st, opts, &eo);
	if ((error = run(out, st, opts, &eo, started, err)) < 0)
		return error;
	if (!strcmp(out->status, "failure"))
		return sg_error_set(err, SG_EGATE,
		    "preflight failed: %zu error%s in the spec (mode %s)",
		    out->validation->result.nerrors,
		    out->validation->result.nerrors == 1 ? "" : "s",
		    sg_mode_name(cfg->mode));
	return 0;
}
