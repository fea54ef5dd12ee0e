/* SPDX-License-Identifier: MIT */
/*
 * run.h - `specgate run`: one run of the pipeline for the project's spec,
 * leaving a published bundle and its checkpoints in the audit trail.
 *
 * The stages (docs/product.md §5; docs/internals/run.md):
 *
 *	preflight	the spec checks (sg_validate()), the feature id, the
 *			spec-validation report with the run id, its log
 *	validate, generate, build, deploy
 *		the stage's configured `run` commands, one after the other
 *		through sg_proc_run() in the project root, with the stage's
 *		env, timeout, and retries (interval times backoff per
 *		retry); then its `artifacts` are hashed.  Every failed
 *		attempt that will be retried is a `retry` checkpoint; the
 *		last attempt is `success` or `failure`.  When the last
 *		attempt fails, the `rollback` commands run (checkpoint
 *		`rolled_back`, or `failure` when the rollback failed too).
 *		Output goes to logs/<stage>.log with secrets redacted.  A
 *		stage with nothing to do is `skipped`.
 *	audit	resource-estimates.json, artifacts.json (when a stage
 *		declared artifacts), checkpoints.log, manifest.json, the
 *		seal, the rename into place, `latest`, retention
 *		(sg_bundle_publish())
 *
 * A failed stage stops the run in both modes: a failed command is not a
 * finding, it is a stage that did not do its work.  The later stages are
 * `skipped`, the bundle is published with the run's status `failure`, and
 * sg_run_execute() returns SG_EGATE.  Findings (the spec's, resources) are
 * errors in compliance (the run fails) and warnings in sandbox.
 *
 * `from` and `to` choose the stages whose commands run; the others are
 * `skipped` ("not run: --to build").  Preflight and the audit stage's
 * bookkeeping always run, since a bundle is only evidence once the spec is
 * known and the bundle complete and sealed.
 *
 * Cancellation: a byte on cancel_fd (sg_proc_cancel_open(): SIGINT,
 * SIGTERM) stops the current command (TERM to its group, KILL after
 * grace_ms), the stage is checkpointed `cancelled`, the later ones
 * `skipped`, the bundle is published with the run's status `cancelled`,
 * and sg_run_execute() returns SG_ECANCELED.  Signals that arrive during
 * the audit stage are ignored until the bundle is published.
 *
 * Before it starts, the run reconciles the runs of its feature that died
 * (sg_evidence_reconcile()).
 */
#ifndef SPECGATE_RUN_H
#define SPECGATE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "specgate/approval.h"
#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/ids.h"
#include "specgate/evidence.h"
#include "specgate/proc.h"
#include "specgate/store.h"
#include "specgate/validate.h"

/* Called after each checkpoint, for progress output.  Borrowed strings. */
typedef void (*sg_run_progress_cb)(enum sg_stage_id stage,
    const char *status, const char *detail, void *payload);

/*
 * Called when a command starts (elapsed_ms 0) and about once a second while
 * it runs, for a status line.  attempt is 1-based of nattempts; attempt 0
 * is a rollback command.  Borrowed strings.
 */
typedef void (*sg_run_activity_cb)(enum sg_stage_id stage, unsigned attempt,
    unsigned nattempts, const char *command, uint64_t elapsed_ms,
    void *payload);

/* A command's output, redacted, as it arrives (stream 1 stdout, 2 stderr). */
typedef void (*sg_run_output_cb)(enum sg_stage_id stage, int stream,
    const char *data, size_t len, void *payload);

#define SG_RUN_OPTIONS_VERSION 1

struct sg_run_options {
	unsigned version;	     /* SG_RUN_OPTIONS_VERSION */
	const struct sg_config *cfg; /* borrowed: mode, paths, retention */
	enum sg_stage_id to;	     /* the last stage to run */
	time_t started;		     /* 0: now (the real clock) */
	sg_run_progress_cb progress; /* may be NULL */
	sg_evidence_note_cb note;    /* reconciliation notes; may be NULL */
	void *payload;		     /* for every callback */
	enum sg_stage_id from;	     /* the first stage to run commands */
	int cancel_fd;		     /* sg_proc_cancel_open()'s, or -1 */
	uint64_t grace_ms;	     /* TERM to KILL; 0: SG_PROC_GRACE_MS */
	char *const *environ;	     /* the commands' base environment and
					where secrets are looked for; NULL:
					the process's */
	sg_run_activity_cb activity; /* may be NULL */
	sg_run_output_cb output;     /* may be NULL */
	/*
	 * The run's signer, loaded once by the front end (borrowed), or
	 * NULL: an unsigned bundle, which compliance refuses (SG_EINVAL
	 * before anything is done).  unsigned_why says why in the manifest.
	 */
	struct sg_signer *signer;
	const char *unsigned_why;
	/*
	 * `specgate resume`: the checked approvals of the waiting run that
	 * this run continues (specgate/approval.h), or NULL.
	 */
	const struct sg_approval_set *approvals;
	/*
	 * `specgate promote`: what sg_promote_check() found, or NULL.  The
	 * run deploys the artifacts of promote->source (from its bundle,
	 * checked against the manifest digest taken at the check) into the
	 * environment promote->env; deploy.json and the deploy checkpoint
	 * name both.
	 */
	const struct sg_promotion *promote;
};

#define SG_RUN_OPTIONS_INIT                                                    \
	{SG_RUN_OPTIONS_VERSION, NULL, SG_STAGE_AUDIT, 0, NULL, NULL, NULL,    \
	    SG_STAGE_PREFLIGHT, -1, 0, NULL, NULL, NULL, NULL, NULL, NULL,     \
	    NULL}

/*
 * Promotion (docs/deploy.md, "Environments and promotion").  RUN may go
 * to environment ENV when: ENV is one of cfg->envs; RUN is known and its
 * status is success (or warning: sandbox findings); RUN's mode, and the mode of the promotion, are at
 * least ENV's min_mode; when ENV is not the first environment, RUN was
 * promoted with success to the one before it (the promotion's record in
 * .specgate/promotions/<env>/<run>.json names the promoting run, whose
 * status and deploy.json must say so); and RUN's bundle carries at least
 * ENV's approvals (its approvals.json, as its manifest lists it: RUN is
 * the continuation of an approved compliance run).
 */
struct sg_promotion {
	const struct sg_environment *env; /* borrowed from the config */
	char run_id[32];	/* RUN */
	char feature_id[32];
	/* whose artifacts are deployed: RUN, or the approved run RUN
	   continues when RUN built nothing (its bundle has no
	   artifacts.json) */
	char source[32];
	char source_manifest_sha256[65];
	size_t approvals; /* in RUN's approvals.json */
};

/*
 * Check that RUN may be promoted to env: SG_EINVAL (unknown environment),
 * SG_ENOTFOUND (unknown run), SG_EGATE (a rule above refuses: the message
 * says which), SG_EVERIFY (a bundle file differs from its manifest).
 */
int sg_promote_check(struct sg_promotion *out, struct sg_store *st,
    const struct sg_config *cfg, const char *run_id, const char *env,
    struct sg_error *err);

/* After the promoting run promo_run_id succeeded: its record (above). */
int sg_promote_record(const struct sg_config *cfg,
    const struct sg_promotion *p, const char *promo_run_id,
    struct sg_error *err);

/*
 * The effective policy of a stage: its own values, else the `retry:`
 * block's (docs/product.md §2.2).  What --dry-run prints and the run uses.
 */
struct sg_stage_plan {
	unsigned retries;     /* attempts = 1 + retries */
	uint64_t interval_ms; /* before the first retry */
	double backoff;	      /* the interval's factor per retry */
	uint64_t timeout_ms;  /* per command; 0: none */
};

void sg_run_stage_plan(struct sg_stage_plan *out, const struct sg_config *cfg,
    enum sg_stage_id stage);

/* The wait before retry number n (1-based) of a stage. */
uint64_t sg_run_retry_delay(const struct sg_stage_plan *p, unsigned n);

/* Bytes of each stream's end kept per command in struct sg_run_command. */
#define SG_RUN_TAIL 4096

/*
 * One command as it ran: what an in-toto link calls the command, its
 * return value and byproducts.  Owned by the outcome.
 */
struct sg_run_command {
	char *command;	   /* as configured, run with /bin/sh -c */
	unsigned attempt;  /* 1-based; 0 for a rollback command */
	struct sg_proc_result result;
	char *stdout_tail; /* the last SG_RUN_TAIL bytes, redacted */
	char *stderr_tail;
	bool stdout_truncated; /* the tail is not the whole output */
	bool stderr_truncated;
};

/* A file a stage declared in `artifacts`, after the stage succeeded. */
struct sg_run_artifact {
	char *path; /* relative to the project root */
	bool is_link;
	uint64_t size;
	char sha256[65];
};

/*
 * What one stage did: the checkpoints' last status, every command of every
 * attempt and of the rollback, the artifacts (products), the bundle files
 * it wrote, and what it cost.  status is NULL for a stage not reached (the
 * audit stage until publish).
 */
struct sg_stage_result {
	enum sg_stage_id stage;
	const char *status;	/* static: success, failure, skipped... */
	char *detail;		/* the last checkpoint's detail */
	unsigned attempts;	/* attempts made */
	bool rolled_back;	/* the rollback commands ran and succeeded */
	struct sg_run_command *commands;
	size_t ncommands;
	struct sg_run_artifact *artifacts;
	size_t nartifacts;
	char **files;		/* bundle files it wrote */
	char (*files_sha256)[65]; /* and their digests */
	size_t nfiles;
	uint64_t wall_us;	/* from its first command to its checkpoint */
	uint64_t user_us;	/* CPU of its commands (and their children) */
	uint64_t sys_us;
	uint64_t maxrss_kb;	/* the largest peak RSS of its commands */
};

/* What a run did.  Release with sg_run_outcome_release(). */
struct sg_run_outcome {
	char feature_id[SG_FEATURE_ID_SIZE];
	char run_id[SG_RUN_ID_SIZE]; /* "" when no run was created */
	enum sg_run_status status; /* when run_id is set: success, warning,
				      failure, cancelled, awaiting_approval */
	struct sg_validation *validation; /* owned: findings to print */
	bool published;			  /* bundle below is in place */
	bool sealed_only; /* sealed, left in staging for reconciliation */
	struct sg_bundle_published bundle;
	struct sg_stage_result stages[SG_STAGE_COUNT];
	enum sg_stage_id failed_stage; /* when status is failure */
	int cancel_signal;	       /* when status is cancelled */
	bool resources_exceeded;       /* resource-estimates.json says so */
	bool artifacts_changed; /* a continuation: an approved artifact
				   changed before deploy (SG_EVERIFY) */
	/*
	 * The validate stage's gate findings, one a line as printed
	 * ("file:line:col: error: message [SG301 coverage-below-min]").
	 */
	char **gate_findings;
	size_t ngate_findings;
	size_t gate_errors, gate_warnings;
};

/*
 * Run the pipeline for opts->cfg's project, recording the run in st.
 * *out (OUT) is filled as far as the run got, even on failure.  Returns:
 *
 *	0		the run succeeded (status success or warning)
 *	SG_EGATE	a stage failed (preflight errors, a command, an
 *			artifact, compliance resources); the bundle records it
 *	SG_EWAIT	compliance stopped before deploy for approvals
 *			(approval.h): the bundle is published, the run's
 *			status awaiting_approval
 *	SG_ECANCELED	a signal came through opts->cancel_fd; the bundle
 *			records the run as cancelled
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
