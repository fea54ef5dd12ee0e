/* SPDX-License-Identifier: MIT */
/*
 * chain.c - canonical bytes, hashing and verification of the audit chain
 * (chain.h; the format is specified in specgate/audit.h).
 *
 * The canonical bytes are one '|'-separated line of the nine fields in a
 * fixed order, ending with a newline:
 *
 *	seq|timestamp|run_id|feature_id|stage|status|output|output_sha256|mode
 *
 * Why this and not canonical JSON with sorted keys (`jq -cS`), the other
 * candidate: (1) it is exactly what the sqlite3 shell prints for
 * `SELECT seq, ts, ... FROM audit_records` with -separator '|' (and psql
 * with -At -F'|'), so the auditor's recipe is one query and a printf into
 * sha256sum, no jq; (2) it is half the size (about 180 bytes against 330),
 * so hashing the previous hash and the line takes 4 SHA-256 blocks instead
 * of 7, which is most of the budget for verifying a million records in
 * under a second.  What JSON would buy, field names in the hashed bytes,
 * the fixed order gives as well, since the format is versioned with the
 * schema.  Why no escaping: the field rules admit only printable ASCII
 * without '|', '"' and '\\', so a line has one spelling and splits back
 * into the same nine fields.
 *
 * The line is written with memcpy, not snprintf: verification builds a
 * million of them, and the formatted-print machinery would cost more than
 * the SHA-256 does.
 */
#include "audit/chain.h"

#include <inttypes.h>
#include <string.h>

#include "specgate/ids.h"
#include "util/utctime.h"

/* A word of a closed list, with its length. */
struct word {
	const char *s;
	size_t n;
};

#define WORD(lit) {(lit), sizeof(lit) - 1}

static const struct word stages[] = {
	WORD("preflight"), WORD("validate"), WORD("generate"),
	WORD("build"), WORD("deploy"), WORD("audit"),
};

static const struct word statuses[] = {
	WORD("success"), WORD("warning"), WORD("failure"), WORD("retry"),
	WORD("skipped"), WORD("cancelled"), WORD("awaiting_approval"),
	WORD("approved"), WORD("rolled_back"), WORD("resumed"),
	WORD("rendered"),
};

static const struct word modes[] = {
	WORD("sandbox"), WORD("compliance"),
};

/* The entry of list that s spells, or NULL. */
static const struct word *
find(const char *s, const struct word *list, size_t n)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		/* The first letter rules out most, without a call. */
		if (s[0] == list[i].s[0] && !strcmp(s, list[i].s))
			return &list[i];
	}
	return NULL;
}

bool
sg_audit_stage_is_valid(const char *s)
{
	return find(s, stages, SG_ARRAY_SIZE(stages));
}

bool
sg_audit_status_is_valid(const char *s)
{
	return find(s, statuses, SG_ARRAY_SIZE(statuses));
}

/*
 * Branch-free over the 64 digits: hex digits are random, so a branch per
 * digit would be mispredicted about every other time, which made this the
 * most expensive line of verification.
 */
bool
sg_audit__is_hash(const char *s)
{
	unsigned ok = 1;
	unsigned char c;

	if (!s || strnlen(s, 65) != 64)
		return false;
	for (size_t i = 0; i < 64; i++) {
		c = (unsigned char)s[i];
		ok &= ((unsigned)(c - '0') < 10) | ((unsigned)(c - 'a') < 6);
	}
	return ok;
}

/*
 * The length of an output file name: "-", or 1 to SG_AUDIT_OUTPUT_MAX
 * bytes of printable ASCII other than '"', '\\' and '|'.  0 when s is not
 * one.
 */
static size_t
output_len(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; s[i] && i <= SG_AUDIT_OUTPUT_MAX; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\' ||
		    s[i] == '|')
			return 0;
	}
	return i <= SG_AUDIT_OUTPUT_MAX ? i : 0;
}

/*
 * A bounded writer for the canonical line.  The field rules bound the line
 * (chain.h), so the check in put() never fails for a checked field; it is
 * there so that a wrong bound is a crash in testing, not an overflow.
 */
struct writer {
	char *p;
	char *end;
};

static inline void
put(struct writer *w, const char *s, size_t n, char sep)
{
	if (n + 1 > (size_t)(w->end - w->p))
		SG_BUG("canonical record larger than its buffer");
	memcpy(w->p, s, n);
	w->p[n] = sep;
	w->p += n + 1;
}

static inline void
put_u64(struct writer *w, uint64_t v, char sep)
{
	char digits[24];
	char *d = digits + sizeof(digits);
	size_t n = 0;

	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
		n++;
	} while (v);
	put(w, d, n, sep);
}

/* Check a field of a closed list and write it; false when it is not one. */
static bool
put_word(struct writer *w, const char *s, const struct word *list,
    size_t n, char sep)
{
	const struct word *word = find(s, list, n);

	if (word)
		put(w, word->s, word->n, sep);
	return word;
}

/*
 * Check each field and write it in one pass: the rules and the encoding
 * cannot drift apart, and nothing is measured twice (strlen() on every
 * field, then again to copy it, was a tenth of verification).
 */
size_t
sg_audit__encode(char *out, const struct sg_audit_record *r,
    const char **out_bad)
{
	struct writer w = {out, out + SG_AUDIT__CANON_MAX};
	const char *bad = NULL;
	size_t n;

	put_u64(&w, r->seq, '|');
	if (!r->timestamp || !sg_utc_is_iso(r->timestamp)) {
		bad = "timestamp";
		goto out;
	}
	put(&w, r->timestamp, SG_UTC_ISO_SIZE - 1, '|');
	if (!(n = sg_run_id_len(r->run_id))) {
		bad = "run_id";
		goto out;
	}
	put(&w, r->run_id, n, '|');
	if (!sg_feature_id_is_valid(r->feature_id)) {
		bad = "feature_id";
		goto out;
	}
	put(&w, r->feature_id, 12, '|');
	if (!put_word(&w, r->stage, stages, SG_ARRAY_SIZE(stages), '|')) {
		bad = "stage";
		goto out;
	}
	if (!put_word(&w, r->status, statuses, SG_ARRAY_SIZE(statuses),
		'|')) {
		bad = "status";
		goto out;
	}
	if (!(n = output_len(r->output))) {
		bad = "output";
		goto out;
	}
	put(&w, r->output, n, '|');
	if (!r->output_sha256 ||
	    (*r->output_sha256 &&
		(!sg_audit__is_hash(r->output_sha256) ||
		    !strcmp(r->output, "-")))) {
		bad = "output_sha256";
		goto out;
	}
	put(&w, r->output_sha256, *r->output_sha256 ? 64 : 0, '|');
	if (!put_word(&w, r->mode, modes, SG_ARRAY_SIZE(modes), '\n'))
		bad = "mode";
out:
	*out_bad = bad;
	return bad ? 0 : (size_t)(w.p - out);
}

const char *
sg_audit__check_fields(const struct sg_audit_record *r, bool stored)
{
	char buf[SG_AUDIT__CANON_MAX];
	const char *bad;

	sg_audit__encode(buf, r, &bad);
	if (!bad && stored && !sg_audit__is_hash(r->prev_hash))
		bad = "prev_hash";
	if (!bad && stored && !sg_audit__is_hash(r->hash))
		bad = "hash";
	return bad;
}

int
sg_audit__hash(char *out, struct sg_chainhash *h, const char *prev,
    const struct sg_audit_record *r, struct sg_error *err)
{
	char buf[SG_AUDIT__HASHED_MAX];
	const char *bad;
	size_t n;

	n = sg_audit__encode(buf + 64, r, &bad);
	if (bad)
		return sg_error_set(err, SG_EINVAL,
		    "audit record %" PRIu64 " has a malformed %s", r->seq,
		    bad);
	memcpy(buf, prev, 64);
	return sg_chainhash_hex(out, h, buf, 64 + n, err);
}

static int
head_cmp(const void *a, const void *b)
{
	const struct sg_audit_head *x = a;
	const struct sg_audit_head *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
sg_audit__verifier_init(struct sg_audit__verifier *v,
    const struct sg_audit_head *heads, size_t n, struct sg_error *err)
{
	memset(v, 0, sizeof(*v));
	v->next_seq = 1;
	v->res.head.seq = 0;
	memcpy(v->res.head.hash, SG_AUDIT_GENESIS_HASH, SG_AUDIT_HASH_SIZE);
	for (size_t i = 0; i < n; i++) {
		if (!heads[i].seq || !sg_audit__is_hash(heads[i].hash))
			return sg_error_set(err, SG_EINVAL,
			    "expected audit head %zu is malformed (seq %" PRIu64
			    ")",
			    i + 1, heads[i].seq);
	}
	if (n) {
		v->heads = sg_xreallocarray(NULL, n, sizeof(*heads));
		memcpy(v->heads, heads, n * sizeof(*heads));
		qsort(v->heads, n, sizeof(*heads), head_cmp);
		v->nheads = n;
	}
	return sg_chainhash_new(&v->h, err);
}

void
sg_audit__verifier_release(struct sg_audit__verifier *v)
{
	if (!v)
		return;
	sg_chainhash_free(v->h);
	free(v->heads);
	v->h = NULL;
	v->heads = NULL;
}

static int
fault(struct sg_audit__verifier *v, uint64_t seq, unsigned faults)
{
	v->res.bad_seq = seq;
	v->res.faults = faults;
	return SG_EVERIFY;
}

/*
 * Check r's hash and its link to the last good record.  v->buf holds r's
 * canonical line, n bytes, after room for the previous hash.
 */
static int
check_chain(struct sg_audit__verifier *v, const struct sg_audit_record *r,
    size_t n, struct sg_error *err)
{
	char hash[SG_AUDIT_HASH_SIZE];
	unsigned faults = 0;
	int error;

	memcpy(v->buf, r->prev_hash, 64);
	if ((error = sg_chainhash_hex(hash, v->h, v->buf, 64 + n, err)) < 0)
		return error;
	if (memcmp(hash, r->hash, 64))
		faults |= SG_AUDIT_FAULT_HASH;
	if (memcmp(r->prev_hash, v->res.head.hash, 64))
		faults |= SG_AUDIT_FAULT_LINK;
	if (faults && (!sg_audit__is_hash(r->prev_hash) ||
			  !sg_audit__is_hash(r->hash)))
		return sg_error_set(err,
		    fault(v, r->seq, SG_AUDIT_FAULT_FIELD),
		    "audit record %" PRIu64 " has a malformed %s", r->seq,
		    sg_audit__is_hash(r->hash) ? "prev_hash" : "hash");
	if (faults == SG_AUDIT_FAULT_HASH)
		return sg_error_set(err, fault(v, r->seq, faults),
		    "audit record %" PRIu64 " was edited: its hash does not "
		    "match its content",
		    r->seq);
	if (faults == SG_AUDIT_FAULT_LINK)
		return sg_error_set(err, fault(v, r->seq, faults),
		    "audit record %" PRIu64 " does not follow record %" PRIu64
		    ": its prev_hash is not that record's hash (a record was "
		    "inserted, deleted or moved before it)",
		    r->seq, r->seq - 1);
	if (faults)
		return sg_error_set(err, fault(v, r->seq, faults),
		    "audit record %" PRIu64 " was replaced or moved: neither "
		    "its hash nor its prev_hash match",
		    r->seq);
	return 0;
}

/* Check r against the expected heads at its seq, if any. */
static int
check_heads(struct sg_audit__verifier *v, const struct sg_audit_record *r,
    struct sg_error *err)
{
	const struct sg_audit_head *h;

	for (; v->next_head < v->nheads; v->next_head++) {
		h = &v->heads[v->next_head];
		if (h->seq != r->seq)
			break;
		if (memcmp(h->hash, r->hash, 64))
			return sg_error_set(err,
			    fault(v, r->seq, SG_AUDIT_FAULT_HEAD),
			    "audit record %" PRIu64 " has hash %.12s..., but "
			    "a manifest recorded %.12s... for it: the trail "
			    "was rewritten",
			    r->seq, r->hash, h->hash);
	}
	return 0;
}

int
sg_audit__verifier_step(struct sg_audit__verifier *v,
    const struct sg_audit_record *r, struct sg_error *err)
{
	const char *bad;
	size_t n;
	int error;

	if (r->seq > v->next_seq)
		return sg_error_set(err,
		    fault(v, v->next_seq, SG_AUDIT_FAULT_GAP),
		    "audit record %" PRIu64 " is missing (the next record "
		    "is %" PRIu64 "): a record was deleted",
		    v->next_seq, r->seq);
	if (r->seq < v->next_seq)
		return sg_error_set(err,
		    fault(v, r->seq, SG_AUDIT_FAULT_ORDER),
		    "audit record %" PRIu64 " comes after record %" PRIu64
		    ": the trail is out of order",
		    r->seq, v->next_seq - 1);
	/*
	 * The two hashes only need their length here (memcmp() with what
	 * is computed checks the digits); whether they are hex at all only
	 * matters to classify a mismatch (check_chain()).
	 */
	n = sg_audit__encode(v->buf + 64, r, &bad);
	if (!bad && strnlen(r->prev_hash, 65) != 64)
		bad = "prev_hash";
	if (!bad && strnlen(r->hash, 65) != 64)
		bad = "hash";
	if (bad)
		return sg_error_set(err,
		    fault(v, r->seq, SG_AUDIT_FAULT_FIELD),
		    "audit record %" PRIu64 " has a malformed %s", r->seq,
		    bad);
	if ((error = check_chain(v, r, n, err)) < 0 ||
	    (error = check_heads(v, r, err)) < 0)
		return error;
	v->next_seq++;
	v->res.records++;
	v->res.head.seq = r->seq;
	memcpy(v->res.head.hash, r->hash, SG_AUDIT_HASH_SIZE);
	return 0;
}

int
sg_audit__verifier_finish(struct sg_audit__verifier *v,
    struct sg_error *err)
{
	const struct sg_audit_head *h;

	if (v->next_head >= v->nheads)
		return 0;
	h = &v->heads[v->next_head];
	return sg_error_set(err,
	    fault(v, v->res.head.seq + 1, SG_AUDIT_FAULT_TRUNCATED),
	    "audit record %" PRIu64 " is missing: the trail ends at record "
	    "%" PRIu64 ", but a manifest recorded record %" PRIu64
	    " (records were deleted from the end)",
	    v->res.head.seq + 1, v->res.head.seq, h->seq);
}
