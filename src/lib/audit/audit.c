/* SPDX-License-Identifier: MIT */
/*
 * audit.c - the audit trail's public API (specgate/audit.h) on top of the
 * store's function table and the chain (chain.h).
 *
 * Append: every record is checked and normalised first (no lock is held
 * while the caller's input is wrong), then one writer transaction reads
 * the head, computes and inserts the records one after another, each
 * chained to the one before, and commits.  The writer transaction is the
 * serialisation point across processes: two appenders cannot read the
 * same head, so the chain never forks; the commit is durable before the
 * call returns.
 *
 * Verify and iterate run in a read transaction, so that they see one
 * snapshot even while other processes append (and do not stop them).
 */
#include "specgate/audit.h"

#include <inttypes.h>
#include <string.h>

#include "audit/chain.h"
#include "store/store_int.h"

/* The record as it will be stored: NULL/"" output becomes "-". */
static void
normalise(struct sg_audit_record *out, const struct sg_audit_record *in)
{
	*out = *in;
	if (!out->output || !*out->output)
		out->output = "-";
	if (!out->output_sha256)
		out->output_sha256 = "";
	out->prev_hash = NULL;
	out->hash = NULL;
}

static int
check_all(const struct sg_audit_record *recs, size_t n, struct sg_error *err)
{
	struct sg_audit_record r;
	const char *bad;

	if (!n)
		SG_BUG("sg_audit_append() of no record");
	for (size_t i = 0; i < n; i++) {
		normalise(&r, &recs[i]);
		bad = sg_audit__check_fields(&r, false);
		if (bad)
			return sg_error_set(err, SG_EINVAL,
			    "audit record %zu of %zu to append has a malformed "
			    "%s",
			    i + 1, n, bad);
	}
	return 0;
}

/* Read the head and insert the records, in the open writer transaction. */
static int
append(struct sg_audit_head *out, struct sg_store *st,
    const struct sg_audit_record *recs, size_t n, struct sg_error *err)
{
	struct sg_audit_head head;
	struct sg_chainhash *h = NULL;
	struct sg_audit_record r;
	char hash[SG_AUDIT_HASH_SIZE];
	int error;

	if ((error = sg_chainhash_new(&h, err)) < 0 ||
	    (error = st->be->audit_head(&head, st->conn, err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		normalise(&r, &recs[i]);
		r.seq = head.seq + 1;
		r.prev_hash = head.hash;
		if ((error = sg_audit__hash(hash, h, head.hash, &r, err)) < 0)
			goto out;
		r.hash = hash;
		if ((error = st->be->audit_insert(st->conn, &r, err)) < 0)
			goto out;
		head.seq = r.seq;
		memcpy(head.hash, hash, sizeof(hash));
	}
	if (out)
		*out = head;
out:
	sg_chainhash_free(h);
	return error;
}

int
sg_audit_append(struct sg_audit_head *out, struct sg_store *st,
    const struct sg_audit_record *recs, size_t n, struct sg_error *err)
{
	struct sg_audit_head head;
	int error;

	if ((error = check_all(recs, n, err)) < 0 ||
	    (error = sg_store__begin(st, SG_STORE_TXN_WRITE, err)) < 0 ||
	    (error = append(&head, st, recs, n, err)) < 0 ||
	    (error = sg_store__commit(st, err)) < 0)
		goto out;
	if (out)
		*out = head;
out:
	if (error)
		sg_store__rollback(st);
	return error;
}

int
sg_audit_append_in_txn(struct sg_audit_head *out, struct sg_store *st,
    const struct sg_audit_record *recs, size_t n, struct sg_error *err)
{
	int error;

	if (!st->in_txn)
		SG_BUG("sg_audit_append_in_txn() outside a transaction");
	if ((error = check_all(recs, n, err)) < 0)
		return error;
	return append(out, st, recs, n, err);
}

int
sg_audit_head(struct sg_audit_head *out, struct sg_store *st,
    struct sg_error *err)
{
	return st->be->audit_head(out, st->conn, err);
}

/* sg_audit_foreach()'s callback and payload, behind typed(). */
struct typed_cb {
	sg_audit_record_cb cb;
	void *payload;
};

/* Each record as read, with its status and mode parsed once. */
static int
typed(const struct sg_audit_record *rec, void *payload)
{
	const struct typed_cb *t = payload;
	struct sg_audit_record r = *rec;

	if (sg_checkpoint_status_parse(&r.status_enum, r.status) < 0)
		r.status_enum = (enum sg_checkpoint_status)SG_CP_STATUS_COUNT;
	if (sg_mode_parse(&r.mode_enum, r.mode) < 0)
		r.mode_enum = (enum sg_mode)SG_MODE_COUNT;
	return t->cb(&r, t->payload);
}

int
sg_audit_foreach(struct sg_store *st, const struct sg_audit_filter *filter,
    sg_audit_record_cb cb, void *payload, struct sg_error *err)
{
	struct sg_audit_filter f = SG_AUDIT_FILTER_INIT;
	struct typed_cb t = {cb, payload};
	int error;

	if (filter)
		f = *filter;
	if (f.version != SG_AUDIT_FILTER_VERSION)
		SG_BUG("struct sg_audit_filter of an unknown version");
	if ((error = sg_store__begin(st, SG_STORE_TXN_READ, err)) < 0)
		return error;
	error = st->be->audit_scan(st->conn, &f, typed, &t, err);
	/* Nothing was written: ending the snapshot either way is the same. */
	sg_store__rollback(st);
	return error;
}

/* The scan callback of sg_audit_verify() and sg_audit_verify_from(). */
struct verify_state {
	struct sg_audit__verifier *v;
	const struct sg_audit_head *from; /* not yet seen, or NULL */
	struct sg_error *err;
};

/*
 * The first record of an incremental scan must be `from` itself: checked
 * for its content (a step from its own prev_hash) and for the hash that
 * was verified, then the chain continues from it.
 */
static int
from_cb(struct verify_state *vs, const struct sg_audit_record *rec)
{
	struct sg_audit__verifier *v = vs->v;
	const struct sg_audit_head *from = vs->from;
	struct sg_error mine = SG_ERROR_INIT;
	int error;

	vs->from = NULL;
	if (rec->seq != from->seq || strnlen(rec->prev_hash, 65) != 64)
		goto gone;
	v->next_seq = from->seq;
	v->res.head.seq = from->seq - 1;
	memcpy(v->res.head.hash, rec->prev_hash, SG_AUDIT_HASH_SIZE);
	error = sg_audit__verifier_step(v, rec, &mine);
	if (error == SG_EIO)
		sg_error_set(vs->err, error, "%s", mine.message);
	sg_error_release(&mine);
	if (error == SG_EIO)
		return error;
	if (error < 0 || memcmp(rec->hash, from->hash, 64))
		goto gone;
	v->res.records = 0;
	return 0;
gone:
	v->res.bad_seq = from->seq;
	v->res.faults = SG_AUDIT_FAULT_FROM;
	return sg_error_set(vs->err, SG_EVERIFY,
	    "audit record %" PRIu64 " (hash %.12s...), the head of the last "
	    "verification, is no longer in the trail: the trail was "
	    "rewritten at or before it (run a full `audit verify`)",
	    from->seq, from->hash);
}

static int
verify_cb(const struct sg_audit_record *rec, void *payload)
{
	struct verify_state *vs = payload;

	if (vs->from)
		return from_cb(vs, rec);
	return sg_audit__verifier_step(vs->v, rec, vs->err);
}

static int
verify(struct sg_audit_verify_result *out, struct sg_store *st,
    const struct sg_audit_head *from, const struct sg_audit_head *expected,
    size_t nexpected, struct sg_error *err)
{
	struct sg_audit_filter all = SG_AUDIT_FILTER_INIT;
	struct sg_audit__verifier *v;
	struct sg_audit_head *later = NULL;
	struct verify_state vs;
	size_t n = 0;
	int error;

	/* On the heap: the verifier holds a record-sized buffer. */
	v = sg_xmalloc(sizeof(*v));
	vs.v = v;
	vs.from = from;
	vs.err = err;
	if (from) {
		/* Heads at or before `from` were checked when it was. */
		later = sg_xcalloc(nexpected + 1, sizeof(*later));
		for (size_t i = 0; i < nexpected; i++)
			if (expected[i].seq > from->seq)
				later[n++] = expected[i];
		expected = later;
		nexpected = n;
		all.after_seq = from->seq - 1;
	}
	if ((error = sg_audit__verifier_init(v, expected, nexpected, err)) <
		0)
		goto out;
	if (from && (!from->seq || !sg_audit__is_hash(from->hash))) {
		error = sg_error_set(err, SG_EINVAL, "the audit head to "
		    "verify from is malformed (seq %" PRIu64 ")", from->seq);
		goto out;
	}
	if ((error = sg_store__begin(st, SG_STORE_TXN_READ, err)) < 0)
		goto out;
	error = st->be->audit_scan(st->conn, &all, verify_cb, &vs, err);
	sg_store__rollback(st);
	if (!error && vs.from)
		error = from_cb(&vs, &(const struct sg_audit_record){.seq = 0});
	if (!error)
		error = sg_audit__verifier_finish(v, err);
out:
	if (out)
		*out = v->res;
	sg_audit__verifier_release(v);
	free(v);
	free(later);
	return error;
}

int
sg_audit_verify(struct sg_audit_verify_result *out, struct sg_store *st,
    const struct sg_audit_head *expected, size_t nexpected,
    struct sg_error *err)
{
	return verify(out, st, NULL, expected, nexpected, err);
}

int
sg_audit_verify_from(struct sg_audit_verify_result *out,
    struct sg_store *st, const struct sg_audit_head *from,
    const struct sg_audit_head *expected, size_t nexpected,
    struct sg_error *err)
{
	return verify(out, st, from, expected, nexpected, err);
}

int
sg_audit_record_hash(char *out, const char *prev_hash,
    const struct sg_audit_record *rec, struct sg_error *err)
{
	struct sg_chainhash *h = NULL;
	struct sg_audit_record r;
	const char *bad;
	int error;

	*out = '\0';
	normalise(&r, rec);
	bad = sg_audit__check_fields(&r, false);
	if (!bad && !sg_audit__is_hash(prev_hash))
		bad = "prev_hash";
	if (bad)
		return sg_error_set(err, SG_EINVAL,
		    "audit record %" PRIu64 " has a malformed %s", r.seq, bad);
	if ((error = sg_chainhash_new(&h, err)) < 0)
		return error;
	error = sg_audit__hash(out, h, prev_hash, &r, err);
	sg_chainhash_free(h);
	return error;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

size_t
sg_audit_format_line(char *out, size_t size,
    const struct sg_audit_record *rec)
{
	int n;

	n = snprintf(out, size, "%s | %s | %s | %s | %s | %s",
	    or_empty(rec->timestamp), or_empty(rec->run_id),
	    or_empty(rec->feature_id), or_empty(rec->stage),
	    or_empty(rec->status),
	    rec->output && *rec->output ? rec->output : "-");
	return n < 0 ? 0 : (size_t)n;
}
