/* SPDX-License-Identifier: MIT */
/*
 * audit.h - the audit trail: an append-only, hash-chained log of every
 * checkpoint of every run, kept in the store (specgate/store.h).
 *
 * Each record holds the checkpoint fields of PRODUCT.md section 6, the
 * mode, the output file's SHA-256, its sequence number (1, 2, 3...), the
 * hash of the record before it (prev_hash; 64 zeros for record 1) and its
 * own hash:
 *
 *	hash = lowercase hex SHA-256 of (prev_hash || canonical bytes)
 *
 * where prev_hash is the 64 ASCII hex digits and the canonical bytes are
 * the record's nine fields in this order, separated by '|' and ended by a
 * newline (seq in decimal, no leading zeros; "-" and "" for no output):
 *
 *	seq|timestamp|run_id|feature_id|stage|status|output|output_sha256|mode
 *
 *	1|2025-09-24T14:04:40Z|20250924140440|005cc0262265|preflight|success|
 *	spec-validation-report.json|9f86d0...0a08|sandbox
 *
 * (one line).  Values are restricted (see struct sg_audit_record) so that
 * none holds a '|' or a newline and nothing needs escaping: the line is
 * exactly what `sqlite3 -separator '|'` prints for the stored columns in
 * that order, which is how an auditor recomputes it with sha256sum
 * (docs/internals/audit.md gives the recipe).
 *
 * Changing any field of a record changes its hash; since each hash covers
 * the previous one, changing, removing, inserting or moving any record
 * breaks every link after it, unless the attacker rewrites the rest of the
 * trail too.  That rewrite is what the expected heads catch: every bundle
 * manifest signs "the trail at seq N had hash H", and sg_audit_verify()
 * checks those.
 *
 * Appends are serialised across processes by the store (a write
 * transaction reads the head and inserts the next records), so concurrent
 * runs produce one chain; an acknowledged append is durable (the store
 * syncs on commit).
 *
 * Ownership: records handed to callbacks are borrowed for the call; the
 * caller owns everything it passes in.
 */
#ifndef SPECGATE_AUDIT_H
#define SPECGATE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/error.h"
#include "specgate/store.h"

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
};

/* "The trail at seq N has hash H": what a bundle manifest records. */
struct sg_audit_head {
	uint64_t seq;			/* 0 for an empty trail */
	char hash[SG_AUDIT_HASH_SIZE]; /* genesis hash for an empty trail */
};

/*
 * Append n records (n >= 1) at the end of the trail, in order, in one
 * transaction: either all of them become records seq+1 .. seq+n after the
 * current head, or none does.  Every record is checked before the store is
 * touched.  *out (OUT, may be NULL) receives the new head, the last record
 * appended; record i of recs got seq out->seq - n + 1 + i.
 *
 * Errors: SG_EINVAL for a malformed field (naming the record and field);
 * SG_EIO when the store fails or stays busy beyond its timeout.
 */
int sg_audit_append(struct sg_audit_head *out, struct sg_store *st,
    const struct sg_audit_record *recs, size_t n, struct sg_error *err);

/*
 * The same, inside the writer transaction that a store operation has open
 * and will commit (sg_store_run_continue()'s callback), so that the
 * records and that operation's rows are one atomic change.  Calling it
 * outside such a transaction is a bug.
 */
int sg_audit_append_in_txn(struct sg_audit_head *out, struct sg_store *st,
    const struct sg_audit_record *recs, size_t n, struct sg_error *err);

/* The current head: the last record's seq and hash (seq 0 when empty). */
int sg_audit_head(struct sg_audit_head *out, struct sg_store *st,
    struct sg_error *err);

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

/*
 * Call cb for each record that passes filter (NULL: every record), in
 * sequence order, all read from one snapshot of the trail.  Records are
 * passed as stored, unchecked (sg_audit_verify() checks).  Returns 0, the
 * callback's non-zero value, or SG_EIO.
 */
int sg_audit_foreach(struct sg_store *st, const struct sg_audit_filter *filter,
    sg_audit_record_cb cb, void *payload, struct sg_error *err);

/* What sg_audit_verify() found wrong, as flags. */
enum sg_audit_fault {
	SG_AUDIT_FAULT_GAP = (1 << 0),	 /* bad_seq is missing: deleted */
	SG_AUDIT_FAULT_ORDER = (1 << 1), /* seq not increasing (store bug) */
	SG_AUDIT_FAULT_FIELD = (1 << 2), /* a malformed field */
	SG_AUDIT_FAULT_HASH = (1 << 3),	 /* hash does not match content */
	SG_AUDIT_FAULT_LINK = (1 << 4),	 /* prev_hash is not the last hash */
	SG_AUDIT_FAULT_HEAD = (1 << 5),	 /* differs from an expected head */
	SG_AUDIT_FAULT_TRUNCATED = (1 << 6), /* ends before an expected head */
};

struct sg_audit_verify_result {
	uint64_t records;	  /* records checked and found good */
	struct sg_audit_head head; /* the last good record */
	uint64_t bad_seq;	  /* the first bad seq; 0 when all is well */
	unsigned faults;	  /* enum sg_audit_fault flags at bad_seq */
};

/*
 * Recompute the whole chain, from one snapshot of the trail, and check it
 * against the `nexpected` heads at `expected` (may be NULL when 0; any
 * order; typically one per bundle manifest).  Verification stops at the
 * first bad record; *out (OUT) tells how far it got and, on failure, the
 * first bad seq and what is wrong with it:
 *
 *	GAP		bad_seq is missing (a record was deleted: the next
 *			one has a higher seq), or record 1 is missing
 *	FIELD		a field of bad_seq is malformed
 *	HASH		bad_seq's hash does not match its content (edited)
 *	LINK		bad_seq's prev_hash is not the hash of the record
 *			before (a record was inserted, deleted or moved
 *			and the later ones renumbered)
 *	HASH|LINK	both: the record was replaced or moved
 *	HEAD		bad_seq is consistent but differs from the head a
 *			manifest recorded: the trail was rewritten
 *	TRUNCATED	the trail ends before an expected head; bad_seq is
 *			the first seq missing from the end
 *
 * A trail whose last records were deleted, or that was rewritten from some
 * record on, is a valid chain: only the expected heads reveal it.
 *
 * Returns 0 when the chain and every expected head check out; SG_EVERIFY
 * with the finding in err (naming the sequence number) when not; SG_EINVAL
 * for a malformed expected head (seq 0, a hash that is not 64 lowercase
 * hex digits); SG_EIO when the store fails.
 */
int sg_audit_verify(struct sg_audit_verify_result *out, struct sg_store *st,
    const struct sg_audit_head *expected, size_t nexpected,
    struct sg_error *err);

/*
 * The hash a record must have after prev_hash: lowercase hex SHA-256 of
 * prev_hash followed by the record's canonical bytes, into out (OUT:
 * SG_AUDIT_HASH_SIZE bytes).  rec->prev_hash and rec->hash are not read.
 * SG_EINVAL for a malformed field or prev_hash; SG_EIO when hashing fails.
 */
int sg_audit_record_hash(char *out, const char *prev_hash,
    const struct sg_audit_record *rec, struct sg_error *err);

/* The longest checkpoint line sg_audit_format_line() writes, and a NUL. */
#define SG_AUDIT_LINE_SIZE 384

/*
 * Format rec as a checkpoint line (checkpoints.log, `specgate audit log`),
 * without a newline:
 *
 *	2025-09-24T14:04:40Z | 20250924140440 | 005cc0262265 | preflight |
 *	success | spec-validation-report.json
 *
 * (one line) - timestamp, run id, feature id, stage, status, output, with
 * "-" for a NULL or empty output.  Like snprintf(), writes at most size
 * bytes including a NUL into out (OUT) and returns the length of the whole
 * line, so a result >= size means it was cut short.  Every record that
 * sg_audit_append() accepts fits in SG_AUDIT_LINE_SIZE.
 */
size_t sg_audit_format_line(char *out, size_t size,
    const struct sg_audit_record *rec);

/* true when s is a stage name (preflight ... audit). */
bool sg_audit_stage_is_valid(const char *s);

/* true when s is a checkpoint status (success ... rolled_back). */
bool sg_audit_status_is_valid(const char *s);

#endif /* SPECGATE_AUDIT_H */
