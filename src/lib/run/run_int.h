/* SPDX-License-Identifier: MIT */
/*
 * run_int.h - what every file of src/lib/run/ shares: the state of one
 * run and how a stage records into it (run.c drives the run; stage.c runs
 * a stage's commands; resources.c writes resource-estimates.json,
 * artifacts.json and the release report in the audit stage; links.c the
 * stages' in-toto links; approval.c stops for approvals before deploy).
 *
 * The rest of the run's private API is by topic: run_work.h, the stages'
 * built-in work after their commands (gates, SBOM, generator, feature
 * branch); run_deploy.h, the deploy stage's health probes and local
 * target; run_usage.h, what an attempt used against the mode's limits.
 */
#ifndef SG_RUN_INT_H
#define SG_RUN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/branch.h"
#include "specgate/proc.h"
#include "specgate/run.h"
#include "util/util.h"

struct sg_run__ctx {
	struct sg_run_outcome *out;
	struct sg_bundle *b;
	struct sg_store *st;
	const struct sg_run_options *opts;
	const struct sg_config *cfg;
	const struct sg_evidence_options *eo; /* where the bundles are */
	struct sg_redact *redact; /* every secret of the run */
	char **env;		  /* the commands' base environment */
	size_t nenv;
	bool failed;	/* a stage failed: the later ones are skipped */
	bool cancelled; /* a signal came */
	bool waiting;	/* stopped before deploy for approvals */
	/* each stage's last checkpoint, once stages[s].status is set */
	enum sg_checkpoint_status last[SG_STAGE_COUNT];
	struct sg_branch_claim branch; /* preflight's claim (featbranch.c) */
	bool claimed;		       /* branch holds a branch to commit on */
	struct sg_run__probe *probes;  /* deploy's health probes (deploy.c) */
	size_t nprobes;
	struct sg_run__gatestate *gates; /* the gate inputs read (gates.c) */
	struct sg_run__local *local;   /* deploy's local target (local.c) */
	struct sg_run__kube *kube;     /* its kubernetes target (kube.c) */
	int restored;		       /* its rollback: 1 ok, -1 failed */
	char restore_why[300];
};

/* Build the base environment and the redactor (run.c calls it first). */
void sg_run__env_init(struct sg_run__ctx *c);
void sg_run__env_release(struct sg_run__ctx *c);

/*
 * Append one checkpoint to the trail, remember it in the stage's result
 * (and in c->last), and tell opts->progress.  The status becomes its
 * word here, for the trail, the result and the callback.
 */
int sg_run__checkpoint(struct sg_run__ctx *c, enum sg_stage_id stage,
    enum sg_checkpoint_status status, const char *output, const char *sha256,
    const char *detail, struct sg_error *err);

/*
 * Write a bundle file for a stage, recorded in the stage's result files.
 * *out_sha256 (OUT, 65 bytes) may be NULL.
 */
int sg_run__write(struct sg_run__ctx *c, enum sg_stage_id stage,
    const char *name, const void *data, size_t len, char *out_sha256,
    struct sg_error *err);

/*
 * sg_run__write() of a JSON document rendered with sorted keys and an
 * indent of 2; takes doc (NULL: could not be built, SG_EIO).
 */
struct json_t;
int sg_run__write_json(struct sg_run__ctx *c, enum sg_stage_id stage,
    const char *name, struct json_t *doc, struct sg_error *err);

/*
 * Validate, generate, build or deploy: run it, or record why it was
 * skipped.  Sets c->failed or c->cancelled.  Returns 0 (whatever the
 * stage's outcome), or a system error (SG_EIO).
 */
int sg_run__stage(struct sg_run__ctx *c, enum sg_stage_id stage,
    struct sg_error *err);

/*
 * The audit stage's documents: resource-estimates.json always,
 * artifacts.json when a stage recorded artifacts.  Sets
 * out->resources_exceeded.
 */
int sg_run__audit_documents(struct sg_run__ctx *c, struct sg_error *err);

/*
 * The release report in the bundle (report.md, report.html): the
 * sg_bundle_derived_fn the audit stage calls before the manifest
 * (sg_bundle_set_derived(); payload is the struct sg_run__ctx).
 */
int sg_run__report(struct sg_bundle *b, const char *staging,
    const char *draft_manifest, void *payload, struct sg_error *err);

/*
 * The in-toto link of every stage but audit (whose link is the bundle's,
 * sg_bundle_publish()), from the stages' results; nothing when the
 * bundle is unsigned (links.c).
 */
int sg_run__links(struct sg_run__ctx *c, struct sg_error *err);

/*
 * Before deploy: in compliance, stop for approvals (c->waiting, checkpoint
 * `awaiting_approval`) or, resuming, write approvals.json (approval.c).
 */
int sg_run__approval(struct sg_run__ctx *c, struct sg_error *err);

#endif /* SG_RUN_INT_H */
