/* SPDX-License-Identifier: MIT */
/*
 * audit_record.h - the audit trail's data types: a record, a head, a
 * filter and the per-record callback.
 *
 * They are shared by two floors: the store keeps records (its backends'
 * function table, specgate/sys/store_backend.h, moves them in and out) and
 * the audit module (specgate/audit.h) chains, appends and verifies them.
 * Declaring them here, below both, is what lets audit build on the store
 * without the store including audit.h back.  tools/layers counts this
 * header as the store's.  The record format and the hash recipe are
 * specified in specgate/audit.h.
 */
#ifndef SPECGATE_AUDIT_RECORD_H
#define SPECGATE_AUDIT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "specgate/states.h"

#define SG_AUDIT_HASH_SIZE 65	   /* 64 lowercase hex digits and a NUL */
#define SG_AUDIT_TIMESTAMP_SIZE 21 /* "2025-09-24T14:04:40Z" and a NUL */
#define SG_AUDIT_OUTPUT_MAX 255	   /* longest output file name, in bytes */

/*
 * The output of the record `deploy resumed` that a waiting run gets when a
 * continuation claims it (sg_store_run_continue()): this prefix and the
 * continuation's run id.
 */
#define SG_AUDIT_CONTINUATION_PREFIX "continuation-"

/* The prev_hash of record 1. */
#define SG_AUDIT_GENESIS_HASH                                              \
	"0000000000000000000000000000000000000000000000000000000000000000"

/*
 * One record of the trail.  On append the caller fills in the first eight
 * fields; seq, prev_hash and hash are computed by sg_audit_append() and
 * their input values are ignored.  Every string is NUL-terminated and,
 * when read back, never NULL.
 *
 * What an append accepts (anything else is SG_EINVAL):
 *	timestamp	"YYYY-MM-DDTHH:MM:SSZ", UTC
 *	run_id		YYYYMMDDHHMMSS, optionally "-N" (N from 2, at most
 *			6 digits)
 *	feature_id	12 lowercase hex digits
 *	stage		preflight validate generate build deploy audit
 *	status		success warning failure retry skipped cancelled
 *			awaiting_approval approved rolled_back resumed
 *	output		the stage's main output file, 1 to 255 bytes of
 *			printable ASCII other than '"', '\\' and '|'; NULL or
 *			"" mean none and are stored as "-"
 *	output_sha256	64 lowercase hex digits, or NULL/"" for none (and
 *			always none when output is "-")
 *	mode		sandbox compliance
 */
struct sg_audit_record {
	uint64_t seq;		   /* 1, 2, 3... */
	const char *timestamp;	   /* ISO UTC of the checkpoint */
	const char *run_id;	   /* the run the checkpoint belongs to */
	const char *feature_id;	   /* and its feature id */
	const char *stage;	   /* the stage */
	const char *status;	   /* the checkpoint status */
	const char *output;	   /* main output file name, or "-" */
	const char *output_sha256; /* its SHA-256 in hex, or "" */
	const char *mode;	   /* the run's mode */
	const char *prev_hash;	   /* hash of record seq - 1 */
	const char *hash;	   /* SHA-256(prev_hash || canonical bytes) */
	/*
	 * The status and mode as enums, which is what code compares:
	 * sg_audit_foreach() fills them from the words above for every
	 * record it passes on; SG_CP_STATUS_COUNT or SG_MODE_COUNT for a
	 * word it does not know (a hand-edited store), which matches no
	 * state.  The words are what is stored and hashed: an append
	 * ignores these two, and a backend leaves them alone.
	 */
	enum sg_checkpoint_status status_enum;
	enum sg_mode mode_enum;
};

/* "The trail at seq N has hash H": what a bundle manifest records. */
struct sg_audit_head {
	uint64_t seq;			/* 0 for an empty trail */
	char hash[SG_AUDIT_HASH_SIZE]; /* genesis hash for an empty trail */
};

#define SG_AUDIT_FILTER_VERSION 1

/* Which records sg_audit_foreach() visits.  NULL and 0 mean "any". */
struct sg_audit_filter {
	unsigned version;	/* SG_AUDIT_FILTER_VERSION */
	const char *feature_id; /* only this feature */
	const char *run_id;	/* only this run id */
	const char *stage;	/* only this stage */
	const char *status;	/* only this status */
	uint64_t after_seq;	/* only records with seq > after_seq */
	uint64_t limit;		/* at most this many; 0: no limit */
};

#define SG_AUDIT_FILTER_INIT                                               \
	{SG_AUDIT_FILTER_VERSION, NULL, NULL, NULL, NULL, 0, 0}

/*
 * Called once per record.  rec and its strings are borrowed for the call
 * only.  Return 0 to go on; anything else stops the iteration and is what
 * sg_audit_foreach() returns.  The callback must not use the store.
 */
typedef int (*sg_audit_record_cb)(const struct sg_audit_record *rec,
    void *payload);

#endif /* SPECGATE_AUDIT_RECORD_H */
