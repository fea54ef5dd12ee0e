/* SPDX-License-Identifier: MIT */
/*
 * run.c - one run: preflight, the stages, audit (specgate/run.h).
 *
 * The order, and what each failure leaves behind:
 *
 *	1. validate the spec: bad input stops here, before any run exists
 *	2. reconcile the feature's dead runs
 *	3. sg_bundle_begin(): the locked staging directory
 *	4. sg_store_run_create(): the run id; the store records the staging
 *	   directory as the run's bundle (how a crash is found later)
 *	5. preflight's files into the bundle, then its checkpoint
 *	6. validate, generate, build, deploy (stage.c): each stage's
 *	   checkpoints appended to the trail as they happen
 *	7. the audit stage: resource-estimates.json, artifacts.json
 *	   (resources.c), then sg_bundle_publish(), which calls back for
 *	   the release report (report.md, report.html: sg_run__report())
 *	   before it writes the manifest
 *	8. sg_store_run_update(): the final status and the bundle
 *
 * A failure of the system in 3-7 before the seal: the trail gets `audit
 * failure` when it holds checkpoints of the run, the store `failure`, the
 * staging directory is removed (sg_bundle_free()).  After the seal, the
 * bundle is complete: it is left for reconciliation to rename (or, once
 * renamed, recorded as what it is).  A failed stage or a cancel is not a
 * failure of the system: the bundle is published and says what happened.
 *
 * Signing: the front end loads the key once and passes the signer
 * (opts->signer; compliance refuses to start without one).  Before the
 * audit stage publishes, every stage gets its in-toto link (links.c); the
 * audit stage's signatures, provenance and link are sg_bundle_publish()'s.
 */
#include "specgate/run.h"

#include <jansson.h>
#include <string.h>

#include "run/run_int.h"
#include "run/run_deploy.h"
#include "run/run_work.h"
#include "specgate/audit.h"
#include "util/utctime.h"
#include "util/util.h"

#define REPORT "spec-validation-report.json"
#define PREFLIGHT_LOG "logs/preflight.log"

static void
stage_result_release(struct sg_stage_result *r)
{
	free(r->detail);
	for (size_t i = 0; i < r->ncommands; i++) {
		free(r->commands[i].command);
		free(r->commands[i].stdout_tail);
		free(r->commands[i].stderr_tail);
	}
	free(r->commands);
	for (size_t i = 0; i < r->nartifacts; i++)
		free(r->artifacts[i].path);
	free(r->artifacts);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	free(r->files_sha256);
}

int
sg_run__checkpoint(struct sg_run__ctx *c, enum sg_stage_id stage,
    enum sg_checkpoint_status status, const char *output, const char *sha256,
    const char *detail, struct sg_error *err)
{
	const char *word = sg_checkpoint_status_name(status);
	/* Details go to the manifest, links and terminal: URLs masked. */
	char *masked = detail ? sg_url_mask(detail) : NULL;
	struct sg_checkpoint cp = {stage, word, output, sha256, masked, 0};
	struct sg_stage_result *r = &c->out->stages[stage];
	int error;

	cp.when = sg_utc_now();
	if ((error = sg_bundle_checkpoint(c->b, c->st, &cp, 1, err)) < 0) {
		free(masked);
		return error;
	}
	r->stage = stage;
	r->status = word;
	c->last[stage] = status;
	free(r->detail);
	r->detail = masked;
	if (c->opts->progress)
		c->opts->progress(stage, word, masked, c->opts->payload);
	return 0;
}

int
sg_run__write(struct sg_run__ctx *c, enum sg_stage_id stage,
    const char *name, const void *data, size_t len, char *out_sha256,
    struct sg_error *err)
{
	struct sg_stage_result *r = &c->out->stages[stage];
	char sha[65];
	int error;

	if ((error = sg_bundle_write(c->b, name, data, len, sha, err)) < 0)
		return error;
	if (out_sha256)
		memcpy(out_sha256, sha, sizeof(sha));
	r->files = sg_xreallocarray(r->files, r->nfiles + 1,
	    sizeof(*r->files));
	r->files_sha256 = sg_xreallocarray(r->files_sha256, r->nfiles + 1,
	    sizeof(*r->files_sha256));
	memcpy(r->files_sha256[r->nfiles], sha, sizeof(sha));
	r->files[r->nfiles++] = sg_xstrdup(name);
	return 0;
}

int
sg_run__write_json(struct sg_run__ctx *c, enum sg_stage_id stage,
    const char *name, json_t *doc, struct sg_error *err)
{
	char *text = doc ? json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2)) :
			   NULL;
	int error;

	json_decref(doc);
	if (!text)
		return sg_error_set(err, SG_EIO, "cannot render %s", name);
	error = sg_run__write(c, stage, name, text, strlen(text), NULL, err);
	free(text);
	return error;
}

void
sg_run_outcome_release(struct sg_run_outcome *o)
{
	if (!o)
		return;
	sg_validation_free(o->validation);
	sg_bundle_published_release(&o->bundle);
	for (int s = 0; s < SG_STAGE_COUNT; s++)
		stage_result_release(&o->stages[s]);
	for (size_t i = 0; i < o->ngate_findings; i++)
		free(o->gate_findings[i]);
	free(o->gate_findings);
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
	if (cfg->mode_floor > cfg->mode)
		sg_buf_printf(out, "mode floor %s (%s): this %s run stops "
		    "before deploy\n", sg_mode_name(cfg->mode_floor),
		    cfg->mode_floor_origin, sg_mode_name(cfg->mode));
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

static enum sg_checkpoint_status
preflight_status(const struct sg_validation *v)
{
	if (v->result.nerrors)
		return SG_CP_FAILURE;
	return v->result.nwarnings ? SG_CP_WARNING : SG_CP_SUCCESS;
}

/* Step 5: the report and log, then the checkpoint. */
static int
preflight(struct sg_run__ctx *c, struct sg_error *err)
{
	const struct sg_validation *v = c->out->validation;
	enum sg_checkpoint_status status = preflight_status(v);
	char detail[512];
	char bdetail[320];
	char sha[65];
	char ts[SG_UTC_ISO_SIZE];
	char *report = NULL;
	struct sg_buf log;
	bool finding;
	int error;

	sg_buf_init(&log, 0);
	if (sg_utc_iso(ts, sg_utc_report_now()) < 0) {
		error = sg_error_set(err, SG_EIO, "the clock is out of range");
		goto out;
	}
	preflight_log(&log, c->cfg, v);
	if ((error = sg_run__branch_claim(c, &log, bdetail, sizeof(bdetail),
		 &finding, err)) < 0)
		goto out;
	/*
	 * A finding fails compliance; in sandbox it is a warning.  No
	 * repository in sandbox is said in the log and the detail only: a
	 * project outside git is an ordinary sandbox (docs/decisions.md).
	 */
	if (finding && c->cfg->mode == SG_MODE_COMPLIANCE)
		status = SG_CP_FAILURE;
	else if (finding && status == SG_CP_SUCCESS)
		status = SG_CP_WARNING;
	if ((error = sg_validation_report(&report, v, c->out->run_id, ts,
		 err)) < 0 ||
	    (error = sg_run__write(c, SG_STAGE_PREFLIGHT, REPORT, report,
		 strlen(report), sha, err)) < 0 ||
	    (error = sg_run__write(c, SG_STAGE_PREFLIGHT, PREFLIGHT_LOG,
		 log.ptr, log.len, NULL, err)) < 0)
		goto out;
	snprintf(detail, sizeof(detail),
	    "%zu file%s, %zu scenario%s: %zu error%s, %zu warning%s; %s",
	    v->nfiles, v->nfiles == 1 ? "" : "s", v->nscenarios,
	    v->nscenarios == 1 ? "" : "s", v->result.nerrors,
	    v->result.nerrors == 1 ? "" : "s", v->result.nwarnings,
	    v->result.nwarnings == 1 ? "" : "s", bdetail);
	if ((error = sg_run__checkpoint(c, SG_STAGE_PREFLIGHT, status,
		 REPORT, sha, detail, err)) < 0)
		goto out;
	if (v->result.nerrors || status == SG_CP_FAILURE) {
		c->failed = true;
		c->out->failed_stage = SG_STAGE_PREFLIGHT;
	}
out:
	free(report);
	sg_buf_release(&log);
	return error;
}

/* Steps 5-7 up to the publish: the stages and the audit documents. */
static int
stages(struct sg_run__ctx *c, struct sg_error *err)
{
	const struct sg_run_options *o = c->opts;
	int sig;
	int error;

	if ((error = preflight(c, err)) < 0)
		return error;
	for (int s = SG_STAGE_VALIDATE; s < SG_STAGE_AUDIT; s++) {
		if (!c->cancelled && o->cancel_fd >= 0 &&
		    (sig = sg_proc_sleep(0, o->cancel_fd))) {
			c->cancelled = true;
			c->out->cancel_signal = sig;
		}
		if (s == SG_STAGE_DEPLOY &&
		    (error = sg_run__approval(c, err)) < 0)
			return error;
		if (s == SG_STAGE_DEPLOY && c->waiting)
			continue;
		/* refused before it ran (approval.c): its checkpoint says why */
		if (s == SG_STAGE_DEPLOY && c->failed &&
		    c->out->failed_stage == SG_STAGE_DEPLOY)
			continue;
		if ((error = sg_run__stage(c, (enum sg_stage_id)s, err)) < 0)
			return error;
	}
	return sg_run__audit_documents(c, err);
}

/* The run's status once the stages are done. */
static enum sg_run_status
run_status(const struct sg_run__ctx *c)
{
	const struct sg_validation *v = c->out->validation;

	if (c->cancelled)
		return SG_RUN_CANCELLED;
	if (c->failed)
		return SG_RUN_FAILURE;
	if (c->waiting)
		return SG_RUN_AWAITING_APPROVAL;
	if (c->out->resources_exceeded) {
		if (c->cfg->mode == SG_MODE_COMPLIANCE)
			return SG_RUN_FAILURE;
		return SG_RUN_WARNING;
	}
	/*
	 * A stage's findings in sandbox (preflight's feature branch, the
	 * gates) make the run a warning.
	 */
	for (int s = SG_STAGE_PREFLIGHT; s < SG_STAGE_AUDIT; s++)
		if (c->out->stages[s].status && c->last[s] == SG_CP_WARNING)
			return SG_RUN_WARNING;
	if (v->result.nerrors)
		return SG_RUN_FAILURE;
	return v->result.nwarnings ? SG_RUN_WARNING : SG_RUN_SUCCESS;
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
		    SG_RUN_FAILURE, NULL, 0, &mine);
		out->status = SG_RUN_FAILURE;
		break;
	}
	sg_error_release(&mine);
	return error;
}

/*
 * Inside the claim's transaction (sg_store_run_continue()): the waiting
 * run's record `deploy resumed`, naming its continuation, so that the
 * claim is in the hash chain exactly when it is in the store.
 */
struct claim_rec {
	const struct sg_approval_set *set;
	const char *mode;
};

static int
claim_record(struct sg_store *st, const char *run_id, void *payload,
    struct sg_error *err)
{
	const struct claim_rec *cr = payload;
	struct sg_audit_record rec;
	char ts[SG_UTC_ISO_SIZE];
	char output[64];

	if (sg_utc_iso(ts, sg_utc_now()) < 0)
		return sg_error_set(err, SG_EIO, "the clock is out of range");
	snprintf(output, sizeof(output), "%s%s", SG_AUDIT_CONTINUATION_PREFIX,
	    run_id);
	memset(&rec, 0, sizeof(rec));
	rec.timestamp = ts;
	rec.run_id = cr->set->run_id;
	rec.feature_id = cr->set->feature_id;
	rec.stage = "deploy";
	rec.status = sg_checkpoint_status_name(SG_CP_RESUMED);
	rec.output = output;
	rec.mode = cr->mode;
	return sg_audit_append_in_txn(NULL, st, &rec, 1, err);
}

/*
 * Step 4: the run id.  A continuation (`specgate resume`) takes the
 * waiting run's claim in the same transaction: a second resume of that
 * run gets SG_EINVAL ("already resumed by run X") and nothing exists of
 * it but the staging directory, which sg_bundle_free() removes.
 */
static int
create(struct sg_run__ctx *c, struct sg_run_new *rn, struct sg_error *err)
{
	const struct sg_approval_set *set = c->opts->approvals;
	struct claim_rec cr = {set, sg_mode_name(rn->mode)};

	if (!set)
		return sg_store_run_create(c->out->run_id, c->st, rn, err);
	if (strcmp(set->feature_id, c->out->feature_id))
		return sg_error_set(err, SG_EINVAL,
		    "the spec changed since run %s was approved (feature %s, "
		    "now %s): start a new run",
		    set->run_id, set->feature_id, c->out->feature_id);
	return sg_store_run_continue(c->out->run_id, NULL, c->st, rn,
	    set->run_id, claim_record, &cr, err);
}

/* Steps 3-8, once the spec is checked and the feature id known. */
static int
run(struct sg_run_outcome *out, struct sg_store *st,
    const struct sg_run_options *opts, const struct sg_evidence_options *eo,
    time_t started, struct sg_error *err)
{
	const struct sg_config *cfg = opts->cfg;
	struct sg_run_new rn = SG_RUN_NEW_INIT;
	struct sg_bundle_run br = SG_BUNDLE_RUN_INIT;
	struct sg_run__ctx c;
	struct sg_bundle *b = NULL;
	int error;

	if ((error = sg_bundle_begin(&b, eo, out->feature_id, err)) < 0)
		return error;
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.b = b;
	c.st = st;
	c.opts = opts;
	c.cfg = cfg;
	c.eo = eo;
	rn.feature_id = out->feature_id;
	rn.mode = cfg->mode;
	rn.bundle = sg_bundle_staging(b);
	rn.started = started;
	if ((error = create(&c, &rn, err)) < 0)
		goto out;
	sg_run__env_init(&c);
	br.run_id = out->run_id;
	br.mode = cfg->mode;
	br.project = cfg->project;
	br.project_version = cfg->version;
	br.started = started;
	br.to = opts->to;
	br.mode_floor = cfg->mode_floor > cfg->mode ?
	    sg_mode_name(cfg->mode_floor) : NULL;
	if (opts->approvals) {
		br.continues = opts->approvals->run_id;
		br.continues_manifest_sha256 =
		    opts->approvals->manifest_sha256;
	}
	out->status = SG_RUN_FAILURE;
	sg_bundle_set_signer(b, opts->signer, opts->unsigned_why);
	sg_bundle_set_derived(b, sg_run__report, &c);
	{
		/* The sources the run starts from (provenance, manifest). */
		struct sg_branch_source src;
		struct sg_error mine = SG_ERROR_INIT;

		if (sg_branch_source(&src, cfg->root_rel, &mine) == 0)
			sg_bundle_set_source(b, src.found, src.url, src.ref,
			    src.commit, src.dirty);
		sg_branch_source_release(&src);
		sg_error_release(&mine);
	}
	if ((error = sg_bundle_set_run(b, &br, err)) < 0 ||
	    (error = stages(&c, err)) < 0)
		goto out;
	out->status = run_status(&c);
	if (out->status == SG_RUN_FAILURE && !c.failed)
		out->failed_stage = SG_STAGE_AUDIT; /* resources */
	/* The provenance names the build's declared artifacts. */
	for (size_t i = 0; i < out->stages[SG_STAGE_BUILD].nartifacts; i++) {
		const struct sg_run_artifact *a =
		    &out->stages[SG_STAGE_BUILD].artifacts[i];

		if ((error = sg_bundle_add_subject(b, a->path, a->sha256,
			 err)) < 0)
			goto out;
	}
	if ((error = sg_run__links(&c, err)) < 0 ||
	    (error = sg_bundle_publish(&out->bundle, b, st, out->status,
		 err)) < 0)
		goto out;
	out->stages[SG_STAGE_AUDIT].stage = SG_STAGE_AUDIT;
	/* The audit stage's own checkpoint (the seal) is a success. */
	out->stages[SG_STAGE_AUDIT].status =
	    sg_checkpoint_status_name(SG_CP_SUCCESS);
	if (opts->progress)
		opts->progress(SG_STAGE_AUDIT,
		    out->stages[SG_STAGE_AUDIT].status, NULL, opts->payload);
out:
	if (*out->run_id)
		error = finish(out, b, st, error, err);
	sg_run__branch_release(&c);
	sg_run__deploy_release(&c);
	sg_run__gates_release(&c);
	sg_run__env_release(&c);
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
	/* The front end refuses first; a run that deploys never goes below. */
	if (cfg->mode < cfg->mode_floor && opts->to >= SG_STAGE_DEPLOY)
		return sg_error_set(err, SG_EINVAL,
		    "mode '%s' is this project's floor (%s): a %s run may "
		    "only stop before deploy (--to build)",
		    sg_mode_name(cfg->mode_floor), cfg->mode_floor_origin,
		    sg_mode_name(cfg->mode));
	/* the feature branch is the compliance trail of generated code */
	if (cfg->mode == SG_MODE_COMPLIANCE && !cfg->branch_enabled)
		return sg_error_set(err, SG_EINVAL,
		    "branch.enabled: false (%s) is for sandbox runs: a "
		    "compliance run always works on a feature branch",
		    sg_config_origin(cfg, "branch.enabled"));
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
	memcpy(out->feature_id, out->validation->feature_id,
	    SG_FEATURE_ID_SIZE);
	reconcile(out, st, opts, &eo);
	if ((error = run(out, st, opts, &eo, started, err)) < 0)
		return error;
	if (out->status == SG_RUN_CANCELLED)
		return sg_error_set(err, SG_ECANCELED,
		    "the run was cancelled (SIG%s)",
		    sg_proc_signal_name(out->cancel_signal));
	if (out->status == SG_RUN_AWAITING_APPROVAL)
		return sg_error_set(err, SG_EWAIT,
		    "run %s awaits %u approval%s before deploy",
		    out->run_id, cfg->approvals_required,
		    cfg->approvals_required == 1 ? "" : "s");
	if (out->status != SG_RUN_FAILURE)
		return 0;
	if (out->failed_stage == SG_STAGE_PREFLIGHT &&
	    out->validation->result.nerrors)
		return sg_error_set(err, SG_EGATE,
		    "preflight failed: %zu error%s in the spec (mode %s)",
		    out->validation->result.nerrors,
		    out->validation->result.nerrors == 1 ? "" : "s",
		    sg_mode_name(cfg->mode));
	if (out->artifacts_changed)
		return sg_error_set(err, SG_EVERIFY, "deploy refused: %s",
		    out->stages[SG_STAGE_DEPLOY].detail);
	if (out->failed_stage == SG_STAGE_AUDIT)
		return sg_error_set(err, SG_EGATE,
		    "the run exceeds the resource limits of mode %s "
		    "(resource-estimates.json)", sg_mode_name(cfg->mode));
	if (out->stages[out->failed_stage].rolled_back)
		return sg_error_set(err, SG_EGATE,
		    "stage %s failed and was rolled back (%s)",
		    sg_stage_name(out->failed_stage),
		    out->stages[out->failed_stage].detail);
	return sg_error_set(err, SG_EGATE, "stage %s failed: %s",
	    sg_stage_name(out->failed_stage),
	    out->stages[out->failed_stage].detail ?
		out->stages[out->failed_stage].detail : "");
}
