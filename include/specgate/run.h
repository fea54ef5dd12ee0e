/* SPDX-License-Identifier: MIT */
/*
 * run.h - `specgate run`: one run of the pipeline for the project's spec,
 * leaving a published bundle and its checkpoints in the audit trail.
 *
 * What this release does of PRODUCT.md section 5:
 *
 *	preflight	the spec checks (sg_validate()), the feature id, the
 *			spec-validation report with the run id, its log
 *	validate, generate, build, deploy
 *			not performed yet: each is recorded as a `skipped`
 *			checkpoint saying why, so that the trail and the
 *			bundle tell exactly what ran
 *	audit		checkpoints.log, manifest.json, the seal, the rename
 *			into place, `latest`, retention (sg_bundle_publish())
 *
 * `to` stops the pipeline after that stage: the stages after it are
 * recorded as skipped ("not run: --to preflight").  The audit stage's
 * bookkeeping always runs, whatever `to` says, because a bundle is only
 * evidence once it is complete and sealed; `to` decides which stages do
 * work, never whether the run leaves evidence.
 *
 * A preflight with errors (compliance findings) fails the run: the later
 * stages are skipped ("not run: preflight failed"), the bundle is still
 * published, with the run's status `failure`, and sg_run_execute() returns
 * SG_EGATE.  Sandbox findings are warnings: the run goes on, status
 * `warning`.
 *
 * Before it starts, the run reconciles the runs of its feature that died
 * (sg_evidence_reconcile()).
 */
#ifndef SPECGATE_RUN_H
#define SPECGATE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/evidence.h"
#include "specgate/store.h"
#include "specgate/validate.h"

/* Called after each checkpoint, for progress output.  Borrowed strings. */
typedef void (*sg_run_progress_cb)(enum sg_stage_id stage,
    const char *status, const char *detail, void *payload);

#define SG_RUN_OPTIONS_VERSION 1

struct sg_run_options {
	unsigned version;	     /* SG_RUN_OPTIONS_VERSION */
	const struct sg_config *cfg; /* borrowed: mode, paths, retention */
	enum sg_stage_id to;	     /* the last stage to run */
	time_t started;		     /* 0: now (the real clock) */
	sg_run_progress_cb progress; /* may be NULL */
	sg_evidence_note_cb note;    /* reconciliation notes; may be NULL */
	void *payload;		     /* for both callbacks */
	/*
	 * The run's signer, loaded once by the front end (borrowed), or
	 * NULL: an unsigned bundle, which compliance refuses (SG_EINVAL
	 * before anything is done).  unsigned_why says why in the manifest.
	 */
	struct sg_signer *signer;
	const char *unsigned_why;
};

#define SG_RUN_OPTIONS_INIT                                                    \
	{SG_RUN_OPTIONS_VERSION, NULL, SG_STAGE_AUDIT, 0, NULL, NULL, NULL,     \
	    NULL, NULL}

/* What a run did.  Release with sg_run_outcome_release(). */
struct sg_run_outcome {
	char feature_id[13];
	char run_id[SG_RUN_ID_SIZE]; /* "" when no run was created */
	const char *status;	     /* "success" "warning" "failure", static */
	struct sg_validation *validation; /* owned: findings to print */
	bool published;			  /* bundle below is in place */
	bool sealed_only; /* sealed, left in staging for reconciliation */
	struct sg_bundle_published bundle;
};

/*
 * Run the pipeline for opts->cfg's project, recording the run in st.
 * *out (OUT) is filled as far as the run got, even on failure.  Returns:
 *
 *	0		the run succeeded (status success or warning)
 *	SG_EGATE	a stage failed (preflight errors); the bundle records it
 *	SG_EINVAL, SG_ENOTFOUND, SG_ETOOBIG
 *			bad input before the run began (no spec file, a
 *			binary spec file...): no run was created
 *	SG_EIO		the system failed (full disk, read-only reports
 *			directory, the store): when a run had been created it
 *			is closed as `failure` with no bundle (or, if it had
 *			been sealed, left for reconciliation to publish)
 */
int sg_run_execute(struct sg_run_outcome *out, struct sg_store *st,
    const struct sg_run_options *opts, struct sg_error *err);

/* Free what o holds (not o).  o may be NULL. */
void sg_run_outcome_release(struct sg_run_outcome *o);

#endif /* SPECGATE_RUN_H */
