/* SPDX-License-Identifier: MIT */
/*
 * run_work.h - the stages' built-in work, done after their commands:
 * the gates (gates.c), the build stage's SBOM (build_sbom.c), the
 * generate stage's generator (codegen.c) and the feature branch that
 * preflight claims and generate and validate commit on (featbranch.c).
 * stage.c runs them and turns what they concluded into the checkpoint.
 */
#ifndef SG_RUN_WORK_H
#define SG_RUN_WORK_H

#include <stdbool.h>
#include <stddef.h>

#include "run/run_int.h"
#include "util/util.h"

/* The generate stage's own document: its checkpoint's output. */
#define SG_RUN__GENERATED "generated-files.json"

/*
 * What a stage's built-in work concluded, after its commands succeeded:
 * done false when it did nothing, else status SG_CP_SUCCESS, SG_CP_WARNING
 * (sandbox findings) or SG_CP_FAILURE (compliance findings, unreadable
 * inputs); its main output file ("" none) and digest; a detail for the
 * checkpoint.
 */
struct sg_run__work {
	bool done;
	enum sg_checkpoint_status status;
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

#endif /* SG_RUN_WORK_H */
