/* SPDX-License-Identifier: MIT */
/*
 * audit.h - the audit trail: an append-only, hash-chained log of every
 * checkpoint of every run, kept in the store (specgate/store.h).
 *
 * Each record holds the checkpoint fields of docs/product.md §6.2, the
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
 * The record, the head, the filter and the callback type live in
 * specgate/audit_record.h, which the store's backends share without
 * depending on this module (docs/architecture.md, "Floors").
 *
 * Ownership: records handed to callbacks are borrowed for the call; the
 * caller owns everything it passes in.
 */
#ifndef SPECGATE_AUDIT_H
#define SPECGATE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/audit_record.h"
#include "specgate/error.h"
#include "specgate/store.h"

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

/*
 * Call cb for each record that passes filter (NULL: every record), in
 * sequence order, all read from one snapshot of the trail.  Records are
 * passed as stored, unchecked (sg_audit_verify() checks), with their
 * status_enum and mode_enum parsed from the words.  Returns 0, the
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
	SG_AUDIT_FAULT_FROM = (1 << 7), /* the starting head is not in it */
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
 * The incremental form: trust the trail up to `from` (a head that an
 * earlier verification found good, from->seq >= 1) and check the rest.
 * Record from->seq must still be there, with hash from->hash and a hash
 * that matches its content; otherwise SG_EVERIFY with FROM (bad_seq is
 * from->seq): the trail was rewritten at or before the head that was
 * verified, and only a full verification can say where.  Then every later
 * record is checked as sg_audit_verify() does, against the expected heads
 * beyond from->seq (those at or before it were checked then, and are
 * ignored).  out->records counts the records after from.
 */
int sg_audit_verify_from(struct sg_audit_verify_result *out,
    struct sg_store *st, const struct sg_audit_head *from,
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
