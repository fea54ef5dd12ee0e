/* SPDX-License-Identifier: MIT */
/*
 * states.h - the states a run goes through, as enums: the mode it runs in,
 * the run's status and a checkpoint's status.  Code compares these, never
 * their spelling; the words below exist only where a state becomes text:
 * the store's rows (src/lib/store/store.c, whose backends keep text) and
 * the JSON documents and output (docs/formats.md).
 *
 * At the bottom floor (util) so that the store, which records them, and
 * the configuration, which chooses the mode, share one definition.
 */
#ifndef SPECGATE_STATES_H
#define SPECGATE_STATES_H

#include <stdbool.h>

/* The mode: "sandbox" or "compliance" (docs/product.md). */
enum sg_mode {
	SG_MODE_SANDBOX = 0,
	SG_MODE_COMPLIANCE = 1,
};

#define SG_MODE_COUNT 2

/* Its word ("unknown" out of range), and back: 0 or SG_EINVAL. */
const char *sg_mode_name(enum sg_mode mode);
int sg_mode_parse(enum sg_mode *out, const char *s);

/*
 * A run's status.  running and awaiting_approval are not final; the four
 * after them are, and a final run never changes again.
 */
enum sg_run_status {
	SG_RUN_RUNNING = 0,	      /* "running" */
	SG_RUN_AWAITING_APPROVAL = 1, /* "awaiting_approval" */
	SG_RUN_SUCCESS = 2,	      /* "success" */
	SG_RUN_WARNING = 3,	      /* "warning" */
	SG_RUN_FAILURE = 4,	      /* "failure" */
	SG_RUN_CANCELLED = 5,	      /* "cancelled" */
};

#define SG_RUN_STATUS_COUNT 6

const char *sg_run_status_name(enum sg_run_status status);
int sg_run_status_parse(enum sg_run_status *out, const char *s);
bool sg_run_status_final(enum sg_run_status status);

/* A checkpoint's status (one line of checkpoints.log, one audit record). */
enum sg_checkpoint_status {
	SG_CP_SUCCESS = 0,	     /* "success" */
	SG_CP_WARNING = 1,	     /* "warning" */
	SG_CP_FAILURE = 2,	     /* "failure" */
	SG_CP_RETRY = 3,	     /* "retry" */
	SG_CP_SKIPPED = 4,	     /* "skipped" */
	SG_CP_CANCELLED = 5,	     /* "cancelled" */
	SG_CP_AWAITING_APPROVAL = 6, /* "awaiting_approval" */
	SG_CP_APPROVED = 7,	     /* "approved" */
	SG_CP_ROLLED_BACK = 8,	     /* "rolled_back" */
	SG_CP_RESUMED = 9,	     /* "resumed": a waiting run's release */
	SG_CP_RENDERED = 10,	     /* "rendered": deploy's kubernetes
					manifests, written, not applied */
};

#define SG_CP_STATUS_COUNT 11

const char *sg_checkpoint_status_name(enum sg_checkpoint_status status);
int sg_checkpoint_status_parse(enum sg_checkpoint_status *out,
    const char *s);

#endif /* SPECGATE_STATES_H */
