/* SPDX-License-Identifier: MIT */
/*
 * chain.c - canonical bytes, hashing and verification of the audit chain
 * (chain.h; the format is specified in specgate/audit.h).
 *
 * Why canonical JSON with sorted keys and not a '|'-separated line: an
 * auditor can rebuild it from any JSON export of the records (the sqlite3
 * shell's -json mode, psql, `specgate audit log --json`) with `jq -cS`,
 * field names included, so the recipe survives new fields and column
 * orders.  Why no escaping: the field rules admit only printable ASCII
 * without '"' and '\\', for which JSON and jq need none, so "the bytes"
 * have exactly one spelling and no JSON library is needed to produce them.
 *
 * The canonical bytes are written with memcpy, not snprintf: verification
 * builds a million of them, and the formatted-print machinery would cost
 * more than the SHA-256 does.
 */
#include "audit/chain.h"

#include <inttypes.h>
#include <string.h>

#include "store/store_int.h"
#include "util/utctime.h"

static const char *const stages[] = {
	"preflight", "validate", "generate", "build", "deploy", "audit",
};

static const char *const statuses[] = {
	"success", "warning", "failure", "retry", "skipped", "cancelled",
	"awaiting_approval", "approved", "rolled_back",
};

static bool
in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(s, list[i]))
			return true;
	}
	return false;
}

bool
sg_audit_stage_is_valid(const char *s)
{
	return s && in_list(s, stages, SG_ARRAY_SIZE(stages));
}

bool
sg_audit_status_is_valid(const char *s)
{
	return s && in_list(s, statuses, SG_ARRAY_SIZE(statuses));
}

bool
sg_audit__is_hash(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i]; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return i == 64;
}

/* "-", or 1 to SG_AUDIT_OUTPUT_MAX bytes of printable ASCII but " \ |. */
static bool
output_is_valid(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i]; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\' ||
		    s[i] == '|')
			return false;
	}
	return i >= 1 && i <= SG_AUDIT_OUTPUT_MAX;
}

const char *
sg_audit__check_fields(const struct sg_audit_record *r, bool stored)
{
	if (!r->timestamp || !sg_utc_is_iso(r->timestamp))
		return "timestamp";
	if (!sg_store__run_id_is_valid(r->run_id))
		return "run_id";
	if (!sg_store__feature_id_is_valid(r->feature_id))
		return "feature_id";
	if (!sg_audit_stage_is_valid(r->stage))
		return "stage";
	if (!sg_audit_status_is_valid(r->status))
		return "status";
	if (!output_is_valid(r->output))
		return "output";
	if (!r->output_sha256 ||
	    (*r->output_sha256 &&
		(!sg_audit__is_hash(r->output_sha256) ||
		    !strcmp(r->output, "-"))))
		return "output_sha256";
	if (!sg_store__mode_is_valid(r->mode))
		return "mode";
	if (stored && !sg_audit__is_hash(r->prev_hash))
		return "prev_hash";
	if (stored && !sg_audit__is_hash(r->hash))
		return "hash";
	return NULL;
}

/* A bounded writer for the canonical bytes. */
struct writer {
	char *p;
	char *end;
};

static void
put(struct writer *w, const char *s)
{
	size_t n = strlen(s);

	if (n > (size_t)(w->end - w->p))
		SG_BUG("canonical record larger than its buffer");
	memcpy(w->p, s, n);
	w->p += n;
}

/* ,"key":"value" - or without the comma for the first key. */
static void
put_field(struct writer *w, const char *key_part, const char *value)
{
	put(w, key_part);
	put(w, value);
	put(w, "\"");
}

static void
put_u64(struct writer *w, uint64_t v)
{
	char digits[24];
	char *d = digits + sizeof(digits) - 1;

	*d = '\0';
	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, d);
}

size_t
sg_audit__canonical(char *out, size_t size, const struct sg_audit_record *r)
{
	struct writer w = {out, out + size};

	/* Keys in bytewise order, as jq -S sorts them. */
	put_field(&w, "{\"feature_id\":\"", r->feature_id);
	put_field(&w, ",\"mode\":\"", r->mode);
	put_field(&w, ",\"output\":\"", r->output);
	put_field(&w, ",\"output_sha256\":\"", r->output_sha256);
	put_field(&w, ",\"run_id\":\"", r->run_id);
	put(&w, ",\"seq\":");
	put_u64(&w, r->seq);
	put_field(&w, ",\"stage\":\"", r->stage);
	put_field(&w, ",\"status\":\"", r->status);
	put_field(&w, ",\"timestamp\":\"", r->timestamp);
	put(&w, "}");
	return (size_t)(w.p - out);
}

int
sg_audit__hash(char *out, struct sg_chainhash *h, const char *prev,
    const struct sg_audit_record *r, struct sg_error *err)
{
	char buf[SG_AUDIT__HASHED_MAX];
	size_t n;

	memcpy(buf, prev, 64);
	n = sg_audit__canonical(buf + 64, sizeof(buf) - 64, r);
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

/* Check r's hash and its link to the last good record. */
static int
check_chain(struct sg_audit__verifier *v, const struct sg_audit_record *r,
    struct sg_error *err)
{
	char hash[SG_AUDIT_HASH_SIZE];
	unsigned faults = 0;
	size_t n;
	int error;

	memcpy(v->buf, r->prev_hash, 64);
	n = sg_audit__canonical(v->buf + 64, sizeof(v->buf) - 64, r);
	if ((error = sg_chainhash_hex(hash, v->h, v->buf, 64 + n, err)) < 0)
		return error;
	if (memcmp(hash, r->hash, 64))
		faults |= SG_AUDIT_FAULT_HASH;
	if (memcmp(r->prev_hash, v->res.head.hash, 64))
		faults |= SG_AUDIT_FAULT_LINK;
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
	int error;

	if (r->seq > v->next_seq)
		return sg_error_set(err,
		    fault(v, v->next_seq, SG_AUDIT_FAULT_GAP),
		    "audit record %" PRIu64 " is missing: the trail goes "
		    "from %" PRIu64 " to %" PRIu64 " (a record was deleted)",
		    v->next_seq, v->next_seq - 1, r->seq);
	if (r->seq < v->next_seq)
		return sg_error_set(err,
		    fault(v, r->seq, SG_AUDIT_FAULT_ORDER),
		    "audit record %" PRIu64 " comes after record %" PRIu64
		    ": the trail is out of order",
		    r->seq, v->next_seq - 1);
	bad = sg_audit__check_fields(r, true);
	if (bad)
		return sg_error_set(err,
		    fault(v, r->seq, SG_AUDIT_FAULT_FIELD),
		    "audit record %" PRIu64 " has a malformed %s", r->seq,
		    bad);
	if ((error = check_chain(v, r, err)) < 0 ||
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
