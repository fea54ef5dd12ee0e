/* SPDX-License-Identifier: MIT */
/*
 * chain.h - the audit chain itself, independent of where records are
 * stored: the field rules, the canonical bytes, the hash, and verification
 * as a state machine fed one record at a time in sequence order.
 *
 * The store's backends only move records in and out (store_backend.h);
 * every backend gets the same chain, byte for byte, from here.  The format
 * is specified in specgate/audit.h and docs/internals/audit.md; a change
 * to it is a change to every trail ever written, so it needs a new record
 * format, not an edit.
 *
 * Verification keeps no record: it holds the hash of the last good one
 * and the index of the next expected head, so memory is constant however
 * long the trail is, and one reused hashing context and one stack buffer
 * serve every record (no allocation per record).
 */
#ifndef SG_AUDIT_CHAIN_H
#define SG_AUDIT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hash/chainhash.h"
#include "specgate/audit.h"
#include "util/util.h"

/*
 * Room for the canonical line of any record that passes
 * sg_audit__check_fields() (at most 20 + 20 + 21 + 12 + 9 + 17 + 255 + 64
 * + 10 bytes and 9 separators: 437), and the 64 hex digits of the previous
 * hash in front.
 */
#define SG_AUDIT__CANON_MAX 512
#define SG_AUDIT__HASHED_MAX (64 + SG_AUDIT__CANON_MAX)

/*
 * Check every field of r that the hash covers, and prev_hash and hash
 * unless `stored` is false (a record about to be appended has neither
 * yet).  Returns NULL when all is well, else the name of the first bad
 * field ("timestamp", "output_sha256"...).  r->output must already be "-"
 * for none and r->output_sha256 "" for none: NULL is a bad field.
 */
const char *sg_audit__check_fields(const struct sg_audit_record *r,
    bool stored);

/* true when s is 64 lowercase hex digits. */
bool sg_audit__is_hash(const char *s);

/*
 * Check every field of r that the hash covers and write r's canonical line
 * (audit.h) to out, which has SG_AUDIT__CANON_MAX bytes.  Returns its
 * length (not NUL-terminated) and sets *out_bad to NULL; or returns 0 and
 * sets *out_bad to the name of the first bad field, as
 * sg_audit__check_fields() does.  out is then garbage.
 */
size_t sg_audit__encode(char *out, const struct sg_audit_record *r,
    const char **out_bad);

/*
 * The hash of r after `prev` (64 hex digits): SHA-256 of prev followed by
 * the canonical bytes, as hex into out (OUT: SG_AUDIT_HASH_SIZE bytes).
 * SG_EINVAL for a malformed field, SG_EIO when hashing fails.
 */
int sg_audit__hash(char *out, struct sg_chainhash *h, const char *prev,
    const struct sg_audit_record *r, struct sg_error *err);

/* Verification state: init, step for each record in seq order, finish. */
struct sg_audit__verifier {
	struct sg_chainhash *h;
	struct sg_audit_head *heads; /* owned copy, sorted by seq */
	size_t nheads;
	size_t next_head;	/* first head not yet reached */
	uint64_t next_seq;	/* the seq the next record must have */
	struct sg_audit_verify_result res;
	char buf[SG_AUDIT__HASHED_MAX]; /* prev_hash || canonical bytes */
};

/*
 * Start verifying a trail from record 1, against the n expected heads at
 * heads (copied; any order).  SG_EINVAL for a malformed head, SG_EIO when
 * hashing is unavailable.  v must be released even on failure.
 */
int sg_audit__verifier_init(struct sg_audit__verifier *v,
    const struct sg_audit_head *heads, size_t n, struct sg_error *err);

/*
 * Check the next record.  0 when it is good; SG_EVERIFY when not, with
 * v->res.bad_seq and v->res.faults set and the finding in err; SG_EIO
 * when hashing fails.  After a failure, stop feeding records.
 */
int sg_audit__verifier_step(struct sg_audit__verifier *v,
    const struct sg_audit_record *r, struct sg_error *err);

/*
 * After the last record: check that no expected head lies beyond it
 * (SG_EVERIFY, TRUNCATED).  Returns 0 or SG_EVERIFY.
 */
int sg_audit__verifier_finish(struct sg_audit__verifier *v,
    struct sg_error *err);

/* Free what v holds.  Safe after a failed init. */
void sg_audit__verifier_release(struct sg_audit__verifier *v);

#endif /* SG_AUDIT_CHAIN_H */
