/* SPDX-License-Identifier: MIT */
/*
 * run_int.h - what the files of src/lib/run/ share: the state of one run
 * (run.c drives it; stage.c runs a stage's commands; resources.c writes
 * resource-estimates.json and artifacts.json in the audit stage; links.c
 * the stages' in-toto links; gates.c the validate stage's gates and
 * build_sbom.c the build stage's SBOM, their built-in work).
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
	struct sg_redact *redact; /* every secret of the run */
	char **env;		  /* the commands' base environment */
	size_t nenv;
	bool failed;	/* a stage failed: the later ones are skipped */
	bool cancelled; /* a signal came */
	bool waiting;	/* stopped before deploy for approvals */
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

/* One health probe of the deploy stage. */
struct sg_run__probe {
	unsigned attempt; /* the stage's attempt */
	unsigned try;	  /* 1..SG_RUN__HEALTH_TRIES */
	int http_status;  /* 0: no answer */
	bool ok;
	char *summary;	  /* owned */
};

/* The generate and deploy stages' own documents: their checkpoints' output. */
#define SG_RUN__GENERATED "generated-files.json"
#define SG_RUN__DEPLOY_JSON "deploy.json"

#define SG_RUN__HEALTH_TRIES 3
#define SG_RUN__HEALTH_INTERVAL_MS 2000
#define SG_RUN__HEALTH_TIMEOUT_MS 5000

/* Build the base environment and the redactor (run.c calls it first). */
void sg_run__env_init(struct sg_run__ctx *c);
void sg_run__env_release(struct sg_run__ctx *c);

/*
 * Append one checkpoint to the trail, remember it in the stage's result,
 * and tell opts->progress.
 */
int sg_run__checkpoint(struct sg_run__ctx *c, enum sg_stage_id stage,
    const char *status, const char *output, const char *sha256,
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
 * What one attempt of a stage used, from its commands' rusage (wait4):
 * CPU (user + sys), wall (the commands' own walls, summed) and the largest
 * peak RSS of one command (resources.c).
 */
struct sg_run__usage {
	uint64_t user_us;
	uint64_t sys_us;
	uint64_t wall_us;
	uint64_t maxrss_kb;
};

/*
 * Average cores are only judged over at least this much wall time: below
 * it, a command's CPU is mostly fork and exec (docs/formats.md).
 */
#define SG_RUN__CPU_MIN_WALL_MS 1000

void sg_run__attempt_usage(struct sg_run__usage *u,
    const struct sg_stage_result *r, unsigned attempt);

/*
 * Whether u exceeds the mode's upper limits: peak RSS against
 * policy.<mode>.memory, and in compliance average cores against
 * policy.compliance.cpu (when the wall reaches SG_RUN__CPU_MIN_WALL_MS).
 * why (OUT) says which limit, with both figures.
 */
bool sg_run__usage_exceeds(const struct sg_run__ctx *c,
    const struct sg_run__usage *u, char *why, size_t why_size);

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

/*
 * What a stage's built-in work concluded, after its commands succeeded:
 * status NULL when it did nothing, else "success", "warning" (sandbox
 * findings) or "failure" (compliance findings, unreadable inputs); its
 * main output file ("" none) and digest; a detail for the checkpoint.
 */
struct sg_run__work {
	const char *status;
	char output[64];
	char sha256[65];
	char detail[512];
};

/*
 * The gates, after stage id's commands succeeded (gates.c): read the
 * coverage, JUnit and SARIF inputs bound to id (gates.<gate>.stage);
 * after the last bound stage, check them and write spec-coverage.json
 * and sast-summary.json, adding the findings to log and to
 * c->out->gate_findings; after any stage, report an input read earlier
 * that the stage rewrote.  0 (whatever the gates found: w says), or a
 * system error writing the bundle.
 */
int sg_run__gates(struct sg_run__ctx *c, enum sg_stage_id id,
    struct sg_buf *log, struct sg_run__work *w, struct sg_error *err);

/*
 * Whether stage id, with no commands, runs all the same for its gates: a
 * gate is bound to it and an input exists or the gates are configured.
 */
bool sg_run__gates_wanted(const struct sg_run__ctx *c, enum sg_stage_id id);

/* The stage gate g (0 coverage, 1 tests, 2 SAST) is read after. */
enum sg_stage_id sg_run__gate_stage(const struct sg_config *cfg, int g);

void sg_run__gates_release(struct sg_run__ctx *c);

/* The build stage's sbom.cyclonedx.json (build_sbom.c); as sg_run__gates(). */
int sg_run__sbom(struct sg_run__ctx *c, struct sg_buf *log,
    struct sg_run__work *w, struct sg_error *err);

/*
 * The feature branch (featbranch.c).  Preflight claims it, appending what
 * happened to log and one line to detail; *finding (OUT) says whether
 * the outcome is a finding in the run's mode.  Release drops the claim
 * at the end of the run, whatever happened (idempotent).
 */
int sg_run__branch_claim(struct sg_run__ctx *c, struct sg_buf *log,
    char *detail, size_t detail_size, bool *finding, struct sg_error *err);
void sg_run__branch_release(struct sg_run__ctx *c);

/*
 * The generate stage's built-in generator, when stages.generate.templates
 * is set (codegen.c): *ok false (why says why) when it could not do its
 * work; SG_EIO for a failure of the system.
 */
int sg_run__generate(struct sg_run__ctx *c, struct sg_buf *log, bool *ok,
    char *why, size_t why_size, struct sg_error *err);

/*
 * Commit what changed in the project on the feature branch (generate:
 * `feat(auto)`, then generated-files.json; validate: `auto-fix`), saying
 * what was done in log and a short line in note.  A commit that fails
 * for a reason of the repository (the branch moved) is returned as
 * *ok false with note saying why; SG_EIO for a failure of the system.
 */
int sg_run__branch_commit(struct sg_run__ctx *c, enum sg_stage_id stage,
    struct sg_buf *log, char *note, size_t note_size, bool *ok,
    struct sg_error *err);

/*
 * Deploy (deploy.c): probe stages.deploy.health.url after the commands
 * succeeded; *ok false (why says why) when no probe was healthy.  The
 * deploy.json document is written by sg_run__deploy_document() when the
 * stage ends, from the results and the probes remembered in c.
 */
int sg_run__deploy_health(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err);
int sg_run__deploy_document(struct sg_run__ctx *c, struct sg_error *err);
void sg_run__deploy_release(struct sg_run__ctx *c);

/*
 * One attempt's built-in work after the commands: the local target's
 * release (when configured), then the health check; a failed check stops
 * the release.  And after the last attempt failed: the local target's
 * restore of the previous release (c->restored, c->restore_why), before
 * deploy.json is written.
 */
int sg_run__deploy_check(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err);
int sg_run__deploy_restore(struct sg_run__ctx *c, struct sg_buf *log,
    struct sg_error *err);

/*
 * The deploy stage's `local` target (local.c, docs/deploy.md): whether it
 * is configured; make, limit and start this run's release after the
 * commands succeeded (*ok false, why, when it could not: a changed
 * artifact, a port held by another process, a start that failed); whether
 * the port's listener is the release's process group; stop the release
 * of a failed attempt; after the last one, restore the previous release
 * and check its health (*ok false: the rollback failed); the "local"
 * object of deploy.json; free.
 */
struct json_t;
bool sg_run__local_enabled(const struct sg_run__ctx *c);
int sg_run__local_deploy(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err);
int sg_run__local_owner(struct sg_run__ctx *c, bool *ok, char *why,
    size_t why_size, struct sg_error *err);
void sg_run__local_stop(struct sg_run__ctx *c, struct sg_buf *log);
int sg_run__local_rollback(struct sg_run__ctx *c, struct sg_buf *log,
    bool *ok, char *why, size_t why_size, struct sg_error *err);
struct json_t *sg_run__local_json(const struct sg_run__ctx *c);
const char *sg_run__local_restored(const struct sg_run__ctx *c);
void sg_run__local_release(struct sg_run__ctx *c);

/*
 * What a release may use (local.c): cpu and memory limits are the largest
 * any scenario declares (@resource:cpu=...,memory=...), requests the
 * smallest, all within the mode's ranges (policy.<mode>.cpu, .memory);
 * without a declaration, the ranges' ends.  Memory in MiB.
 */
struct sg_run__limits {
	double cpu, cpu_request;
	uint64_t memory_mb, memory_request_mb;
	bool declared; /* a scenario declared them */
};

void sg_run__deploy_limits(const struct sg_run__ctx *c,
    struct sg_run__limits *lim);

/* The release's port: stages.deploy.port, else the health URL's; 0 none. */
unsigned sg_run__deploy_port(const struct sg_run__ctx *c);

/*
 * The deploy stage's `kubernetes` target (kube.c, docs/deploy.md):
 * whether it is configured; render this run's Deployment and Service
 * into the bundle (kubernetes/deployment.json, kubernetes/service.json)
 * after the commands succeeded (*ok false, why, when it cannot: no
 * port); the "kubernetes" object of deploy.json; free.  Nothing is
 * applied to a cluster: the stage's checkpoint is `rendered`.
 */
bool sg_run__kube_enabled(const struct sg_run__ctx *c);

/*
 * A promotion (opts->promote), before deploy: hash again, in the project,
 * every build artifact that the promoted run's bundle lists (its
 * artifacts.json, checked against its manifest); *ok false, why naming
 * the first that differs (local.c).  A run that listed none passes.
 */
int sg_run__promote_artifacts(struct sg_run__ctx *c, bool *ok, char *why,
    size_t why_size, struct sg_error *err);
int sg_run__kube_render(struct sg_run__ctx *c, struct sg_buf *log,
    bool *ok, char *why, size_t why_size, struct sg_error *err);
struct json_t *sg_run__kube_json(const struct sg_run__ctx *c);
void sg_run__kube_release(struct sg_run__ctx *c);

#endif /* SG_RUN_INT_H */
