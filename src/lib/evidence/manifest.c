/* SPDX-License-Identifier: MIT */
/*
 * manifest.c - reading a bundle back and checking it against the audit
 * trail: the manifest as data, the files it lists, the run's records, and
 * checkpoints.log (evidence_int.h).  Writing the manifest is bundle.c's.
 *
 * What protects which byte of a bundle:
 *
 *	manifest.json		its SHA-256 is in the run's audit record
 *				(stage audit, output manifest.json): the seal
 *	every other file	its size and SHA-256 are in the manifest
 *	the trail up to the	the manifest records the head after the run's
 *	run's checkpoints	checkpoints; sg_audit_verify() checks it
 *
 * so a change to any byte of any file, or a file added or removed, is
 * found, and named.  checkpoints.log is also compared line by line with
 * the trail, so that a mismatch names the audit record.
 */
#include "evidence/evidence_int.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#include "audit/chain.h"
#include "hash/digest.h"
#include "sys/fs.h"

void
sg_manifest_release(struct sg_manifest *m)
{
	if (!m)
		return;
	free(m->feature_id);
	free(m->run_id);
	free(m->mode);
	free(m->run_status);
	free(m->continues);
	free(m->continues_manifest_sha256);
	free(m->records);
	free(m->keyid);
	free(m->public_key);
	free(m->unsigned_why);
	for (size_t i = 0; i < m->nfiles; i++) {
		free(m->files[i].path);
		free(m->files[i].target);
	}
	free(m->files);
	memset(m, 0, sizeof(*m));
	m->mode_enum = (enum sg_mode)SG_MODE_COUNT;
	m->run_status_enum = (enum sg_run_status)SG_RUN_STATUS_COUNT;
}

static char *
dup_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? sg_xstrdup(s) : NULL;
}

static bool
is_hex64(const char *s)
{
	return sg_audit__is_hash(s);
}

static int
parse_files(struct sg_manifest *m, json_t *files, struct sg_error *err)
{
	size_t i;
	json_t *f;

	if (!json_is_array(files))
		return sg_error_set(err, SG_EINVAL, "\"files\" is not a list");
	m->files = sg_xcalloc(json_array_size(files) + 1, sizeof(*m->files));
	json_array_foreach(files, i, f) {
		struct sg_manifest_file *mf = &m->files[m->nfiles];
		const char *type = json_string_value(json_object_get(f,
		    "type"));
		const char *sha = json_string_value(json_object_get(f,
		    "sha256"));
		json_t *size = json_object_get(f, "size");

		mf->path = dup_str(f, "path");
		mf->target = dup_str(f, "target");
		m->nfiles++;
		if (!mf->path || !type || !sha || !is_hex64(sha) ||
		    !json_is_integer(size) || json_integer_value(size) < 0)
			return sg_error_set(err, SG_EINVAL,
			    "file %zu of the manifest is malformed", i + 1);
		if (!strcmp(type, "file") && !mf->target)
			mf->is_link = false;
		else if (!strcmp(type, "symlink") && mf->target)
			mf->is_link = true;
		else
			return sg_error_set(err, SG_EINVAL,
			    "file '%s' of the manifest has a bad type",
			    mf->path);
		mf->size = (uint64_t)json_integer_value(size);
		memcpy(mf->sha256, sha, 65);
	}
	return 0;
}

static int
parse_trail(struct sg_manifest *m, json_t *t, struct sg_error *err)
{
	json_t *seq = json_object_get(t, "seq");
	const char *hash = json_string_value(json_object_get(t, "hash"));
	json_t *recs = json_object_get(t, "records");
	size_t i;
	json_t *r;

	if (!json_is_integer(seq) || json_integer_value(seq) < 1 || !hash ||
	    !is_hex64(hash) || !json_is_array(recs))
		return sg_error_set(err, SG_EINVAL,
		    "\"audit_trail\" is malformed");
	m->head.seq = (uint64_t)json_integer_value(seq);
	memcpy(m->head.hash, hash, SG_AUDIT_HASH_SIZE);
	m->records = sg_xcalloc(json_array_size(recs) + 1,
	    sizeof(*m->records));
	json_array_foreach(recs, i, r) {
		if (!json_is_integer(r) || json_integer_value(r) < 1)
			return sg_error_set(err, SG_EINVAL,
			    "\"audit_trail.records\" is malformed");
		m->records[m->nrecords++] = (uint64_t)json_integer_value(r);
	}
	return 0;
}

int
sg_manifest_parse(struct sg_manifest *out, const char *text, size_t len,
    struct sg_error *err)
{
	json_error_t jerr;
	json_t *doc;
	json_t *sig;
	const char *schema;
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->mode_enum = (enum sg_mode)SG_MODE_COUNT;
	out->run_status_enum = (enum sg_run_status)SG_RUN_STATUS_COUNT;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return sg_error_set(err, SG_EINVAL,
		    "not JSON (line %d, column %d: %s)", jerr.line,
		    jerr.column, jerr.text);
	schema = json_string_value(json_object_get(doc, "schema"));
	if (!schema || strcmp(schema, SG_MANIFEST_SCHEMA)) {
		error = sg_error_set(err, SG_EINVAL,
		    "not a manifest of schema %s", SG_MANIFEST_SCHEMA);
		goto out;
	}
	out->feature_id = dup_str(doc, "feature_id");
	out->run_id = dup_str(doc, "run_id");
	out->mode = dup_str(doc, "mode");
	out->run_status = dup_str(json_object_get(doc, "run"), "status");
	if (!out->feature_id || !out->run_id || !out->mode ||
	    !out->run_status) {
		error = sg_error_set(err, SG_EINVAL,
		    "feature_id, run_id, mode or run.status is missing");
		goto out;
	}
	if (sg_mode_parse(&out->mode_enum, out->mode) < 0)
		out->mode_enum = (enum sg_mode)SG_MODE_COUNT;
	if (sg_run_status_parse(&out->run_status_enum, out->run_status) < 0)
		out->run_status_enum = (enum sg_run_status)SG_RUN_STATUS_COUNT;
	out->continues = dup_str(json_object_get(doc, "continues"), "run_id");
	out->continues_manifest_sha256 = dup_str(json_object_get(doc,
	    "continues"), "manifest_sha256");
	sig = json_object_get(doc, "signing");
	out->is_signed = json_is_true(json_object_get(sig, "signed"));
	out->keyid = dup_str(sig, "intoto_keyid");
	out->public_key = dup_str(sig, "public_key");
	out->unsigned_why = dup_str(sig, "reason");
	if ((error = parse_files(out, json_object_get(doc, "files"), err)) <
		0 ||
	    (error = parse_trail(out, json_object_get(doc, "audit_trail"),
		 err)) < 0)
		goto out;
out:
	json_decref(doc);
	if (error)
		sg_manifest_release(out);
	return error;
}

bool
sg_evidence__after_manifest(const char *rel)
{
	static const char audit[] = SG_BUNDLE_LINKS "/audit.";
	size_t n = strlen(rel);

	if (!strcmp(rel, SG_BUNDLE_MANIFEST) ||
	    !strcmp(rel, SG_BUNDLE_MANIFEST_SIG))
		return true;
	/* links/audit.<8 hex digits>.link */
	return n == strlen(audit) + 8 + 5 &&
	    !strncmp(rel, audit, strlen(audit)) &&
	    !strcmp(rel + n - 5, ".link") &&
	    !strchr(rel + strlen(audit), '/');
}

/*
 * The listing's indexes sorted by path, so that finding each of a
 * manifest's n files is a binary search, not a scan (1,000 artifacts
 * would make a million comparisons).
 */
static const struct sg_evidence__listing *sort_listing;

static int
index_cmp(const void *a, const void *b)
{
	return strcmp(sort_listing->paths[*(const size_t *)a],
	    sort_listing->paths[*(const size_t *)b]);
}

static size_t *
sorted_index(const struct sg_evidence__listing *l)
{
	size_t *ix = sg_xcalloc(l->n + 1, sizeof(*ix));

	for (size_t i = 0; i < l->n; i++)
		ix[i] = i;
	/* qsort() has no payload; the listing is this thread's alone. */
	sort_listing = l;
	qsort(ix, l->n, sizeof(*ix), index_cmp);
	sort_listing = NULL;
	return ix;
}

/* The index of rel in the listing (ix: sorted_index()), or -1. */
static long
find_path(const struct sg_evidence__listing *l, const size_t *ix,
    const char *rel)
{
	size_t lo = 0;
	size_t hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->paths[ix[mid]], rel);

		if (!c)
			return (long)ix[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const char *
type_word(enum sg_fs_type t)
{
	switch (t) {
	case SG_FS_FILE:
		return "a file";
	case SG_FS_SYMLINK:
		return "a symlink";
	case SG_FS_DIR:
		return "a directory";
	default:
		return "a special file";
	}
}

int
sg_evidence__check_files(size_t *nchecked, const struct sg_dir *d,
    const struct sg_manifest *m, bool partial, sg_evidence__mismatch_cb cb,
    void *payload, struct sg_error *err)
{
	struct sg_evidence__listing l = {NULL, NULL, 0, 0};
	struct sg_hash_item *items = NULL;
	size_t *which = NULL;
	size_t *ix = NULL;
	bool *used = NULL;
	size_t nitems = 0;
	char what[300];
	long k;
	int error;

	*nchecked = 0;
	if ((error = sg_evidence__list_files(&l, d, err)) < 0)
		goto out;
	ix = sorted_index(&l);
	used = sg_xcalloc(l.n + 1, sizeof(*used));
	items = sg_xcalloc(m->nfiles + 1, sizeof(*items));
	which = sg_xcalloc(m->nfiles + 1, sizeof(*which));
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct sg_manifest_file *f = &m->files[i];

		k = find_path(&l, ix, f->path);
		if (k < 0 && partial)
			continue;
		if (k < 0 || used[k]) {
			cb(f->path, "is missing (the manifest lists it)",
			    payload);
			continue;
		}
		if (l.types[k] != (f->is_link ? SG_FS_SYMLINK : SG_FS_FILE)) {
			snprintf(what, sizeof(what),
			    "is %s, but the manifest lists %s",
			    type_word(l.types[k]),
			    f->is_link ? "a symlink" : "a file");
			cb(f->path, what, payload);
		} else {
			items[nitems].path = f->path;
			which[nitems++] = i;
		}
		used[k] = true;
	}
	for (size_t i = 0; i < l.n; i++) {
		if (!used[i] && !sg_evidence__after_manifest(l.paths[i]))
			cb(l.paths[i], "is not in the manifest (added)",
			    payload);
	}
	if ((error = sg_hash_files(items, nitems, d, NULL, err)) < 0)
		goto out;
	for (size_t j = 0; j < nitems; j++) {
		const struct sg_manifest_file *f = &m->files[which[j]];

		if (f->is_link &&
		    strcmp(items[j].target, f->target ? f->target : "")) {
			snprintf(what, sizeof(what),
			    "points to '%.100s', the manifest says '%.100s'",
			    items[j].target, f->target);
			cb(f->path, what, payload);
		} else if (items[j].size != f->size) {
			snprintf(what, sizeof(what),
			    "has %" PRIu64 " bytes, the manifest says %" PRIu64
			    " (modified)",
			    items[j].size, f->size);
			cb(f->path, what, payload);
		} else if (strcmp(items[j].sha256, f->sha256)) {
			snprintf(what, sizeof(what),
			    "has SHA-256 %.12s..., the manifest says %.12s... "
			    "(modified)",
			    items[j].sha256, f->sha256);
			cb(f->path, what, payload);
		}
	}
	*nchecked = nitems;
out:
	sg_hash_items_release(items, nitems);
	free(items);
	free(which);
	free(ix);
	free(used);
	sg_evidence__listing_release(&l);
	return error;
}

/* Collects the records of one run. */
struct collect {
	struct sg_evidence__record *v;
	size_t n;
	size_t cap;
};

static int
collect_cb(const struct sg_audit_record *r, void *payload)
{
	struct collect *c = payload;
	struct sg_evidence__record *e;
	const char *f[10];
	size_t len[10];
	size_t total = 0;
	char *p;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->v = sg_xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	e = &c->v[c->n++];
	e->r = *r;
	f[0] = r->timestamp;
	f[1] = r->run_id;
	f[2] = r->feature_id;
	f[3] = r->stage;
	f[4] = r->status;
	f[5] = r->output;
	f[6] = r->output_sha256;
	f[7] = r->mode;
	f[8] = r->prev_hash;
	f[9] = r->hash;
	for (int i = 0; i < 10; i++) {
		len[i] = strlen(f[i]) + 1;
		total += len[i];
	}
	e->buf = sg_xmalloc(total);
	p = e->buf;
	for (int i = 0; i < 10; i++) {
		memcpy(p, f[i], len[i]);
		f[i] = p;
		p += len[i];
	}
	e->r.timestamp = f[0];
	e->r.run_id = f[1];
	e->r.feature_id = f[2];
	e->r.stage = f[3];
	e->r.status = f[4];
	e->r.output = f[5];
	e->r.output_sha256 = f[6];
	e->r.mode = f[7];
	e->r.prev_hash = f[8];
	e->r.hash = f[9];
	return 0;
}

int
sg_evidence__run_records(struct sg_evidence__record **out, size_t *n,
    struct sg_store *st, const char *feature_id, const char *run_id,
    struct sg_error *err)
{
	struct sg_audit_filter f = SG_AUDIT_FILTER_INIT;
	struct collect c = {NULL, 0, 0};
	int error;

	f.feature_id = feature_id;
	f.run_id = run_id;
	error = sg_audit_foreach(st, &f, collect_cb, &c, err);
	if (error) {
		sg_evidence__records_free(c.v, c.n);
		*out = NULL;
		*n = 0;
		return error;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

void
sg_evidence__records_free(struct sg_evidence__record *recs, size_t n)
{
	if (!recs)
		return;
	for (size_t i = 0; i < n; i++)
		free(recs[i].buf);
	free(recs);
}

const struct sg_evidence__record *
sg_evidence__seal(const struct sg_evidence__record *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(recs[i].r.stage, "audit") &&
		    !strcmp(recs[i].r.output, SG_BUNDLE_MANIFEST) &&
		    *recs[i].r.output_sha256)
			return &recs[i];
	}
	return NULL;
}

const struct sg_evidence__record *
sg_evidence__closing(const struct sg_evidence__record *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(recs[i].r.stage, "audit"))
			return &recs[i];
	}
	return NULL;
}

void
sg_evidence__checkpoint_lines(struct sg_buf *out,
    const struct sg_evidence__record *recs, size_t n)
{
	char line[SG_AUDIT_LINE_SIZE];

	for (size_t i = 0; i < n; i++) {
		sg_audit_format_line(line, sizeof(line), &recs[i].r);
		sg_buf_puts(out, line);
		sg_buf_putc(out, '\n');
		if (&recs[i] == sg_evidence__seal(recs, n))
			break;
	}
}

int
sg_evidence__read_entry(struct sg_buf *out, const struct sg_dir *d,
    const char *rel, struct sg_error *err)
{
	struct sg_fs_stat st;
	char *path;
	int fd = -1;
	int error;

	if ((error = sg_dir_open_file(&fd, &st, d, rel, err)) < 0)
		return error;
	path = sg_evidence__join(d->path, rel);
	if (st.type != SG_FS_FILE)
		error = sg_error_set(err, SG_EINVAL, "'%s' is a symlink", path);
	else
		error = sg_fs_read_fd(out, fd, path, st.size,
		    SG_EVIDENCE__MANIFEST_MAX, err);
	sg_fs_close(fd);
	free(path);
	return error;
}

struct check {
	sg_evidence__problem_cb cb;
	void *payload;
	const char *path;
};

static void
mismatch_cb(const char *rel, const char *what, void *payload)
{
	struct check *c = payload;
	char *where = sg_evidence__join(c->path, rel);
	char *msg = sg_xasprintf("'%s' %s", rel, what);

	c->cb(where, msg, 0, c->payload);
	free(msg);
	free(where);
}

static void
problem(struct check *c, const char *rel, uint64_t seq, const char *fmt, ...)
    SG_PRINTF(4, 5);

static void
problem(struct check *c, const char *rel, uint64_t seq, const char *fmt, ...)
{
	char *where = rel ? sg_evidence__join(c->path, rel) :
			    sg_xstrdup(c->path);
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->cb(where, msg, seq, c->payload);
	free(where);
}

/* Compare checkpoints.log with the lines the trail gives. */
static int
check_checkpoints(struct check *c, const struct sg_dir *d,
    const struct sg_evidence__record *recs, size_t n, struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_buf have;
	struct sg_buf want;
	const char *h;
	const char *w;
	size_t line = 0;
	int error;

	sg_buf_init(&have, 0);
	sg_buf_init(&want, 0);
	error = sg_evidence__read_entry(&have, d, SG_BUNDLE_CHECKPOINTS, &mine);
	if (error == SG_ENOTFOUND || error == SG_EINVAL) {
		/* check_files() names a missing or replaced file. */
		error = 0;
		goto out;
	}
	if (error) {
		sg_error_set(err, error, "%s", mine.message);
		goto out;
	}
	sg_evidence__checkpoint_lines(&want, recs, n);
	h = have.ptr;
	w = want.ptr;
	for (; *h || *w; line++) {
		const char *he = strchr(h, '\n');
		const char *we = strchr(w, '\n');
		size_t hl = he ? (size_t)(he - h) : strlen(h);
		size_t wl = we ? (size_t)(we - w) : strlen(w);

		if (line >= n || hl != wl || memcmp(h, w, hl) ||
		    !he != !we) {
			if (line < n)
				problem(c, SG_BUNDLE_CHECKPOINTS,
				    recs[line].r.seq,
				    "line %zu does not match audit record "
				    "%" PRIu64 " of the trail",
				    line + 1, recs[line].r.seq);
			else
				problem(c, SG_BUNDLE_CHECKPOINTS, 0,
				    "line %zu is not in the audit trail",
				    line + 1);
			break;
		}
		h = he ? he + 1 : h + hl;
		w = we ? we + 1 : w + wl;
	}
out:
	sg_buf_release(&have);
	sg_buf_release(&want);
	sg_error_release(&mine);
	return error;
}

/* The manifest agrees with the trail: head, records, outputs. */
static void
check_against_trail(struct check *c, const struct sg_manifest *m,
    const struct sg_evidence__record *recs, size_t n,
    const struct sg_evidence__record *seal)
{
	size_t k = 0;

	for (size_t i = 0; i < n && &recs[i] != seal; i++) {
		const struct sg_audit_record *r = &recs[i].r;

		if (k >= m->nrecords || m->records[k] != r->seq) {
			problem(c, SG_BUNDLE_MANIFEST, r->seq,
			    "audit record %" PRIu64 " of this run is not the "
			    "one the manifest lists",
			    r->seq);
			return;
		}
		k++;
		if (!strcmp(r->output, "-") || !*r->output_sha256)
			continue;
		for (size_t j = 0; j < m->nfiles; j++) {
			if (strcmp(m->files[j].path, r->output))
				continue;
			if (strcmp(m->files[j].sha256, r->output_sha256))
				problem(c, r->output, r->seq,
				    "audit record %" PRIu64 " gives SHA-256 "
				    "%.12s..., the manifest %.12s...",
				    r->seq, r->output_sha256,
				    m->files[j].sha256);
			break;
		}
	}
	if (k != m->nrecords)
		problem(c, SG_BUNDLE_MANIFEST, 0,
		    "the manifest lists %zu audit records of this run, the "
		    "trail has %zu",
		    m->nrecords, k);
	else if (!k || m->head.seq != m->records[k - 1])
		problem(c, SG_BUNDLE_MANIFEST, m->head.seq,
		    "the audit head the manifest records is not its run's last "
		    "checkpoint");
	else if (seal->r.seq <= m->head.seq)
		problem(c, SG_BUNDLE_MANIFEST, seal->r.seq,
		    "audit record %" PRIu64 " seals the manifest before its "
		    "head",
		    seal->r.seq);
}

int
sg_evidence__check_bundle(struct sg_manifest *m, size_t *nfiles,
    const struct sg_dir *d, const char *path, const char *feature_id,
    const char *run_id, const struct sg_evidence__record *recs, size_t n,
    bool partial, sg_evidence__problem_cb cb, void *payload,
    struct sg_error *err)
{
	const struct sg_evidence__record *seal = sg_evidence__seal(recs, n);
	struct sg_error mine = SG_ERROR_INIT;
	struct check c = {cb, payload, path};
	char sha[SG_SHA256_HEX_LEN + 1];
	struct sg_buf text;
	int error;

	memset(m, 0, sizeof(*m));
	*nfiles = 0;
	sg_buf_init(&text, 0);
	error = sg_evidence__read_entry(&text, d, SG_BUNDLE_MANIFEST, &mine);
	if (error == SG_ENOTFOUND || error == SG_EINVAL ||
	    error == SG_ETOOBIG) {
		problem(&c, SG_BUNDLE_MANIFEST, 0, "%s", mine.message);
		error = 0;
		goto out;
	}
	if (error) {
		sg_error_set(err, error, "%s", mine.message);
		goto out;
	}
	if ((error = sg_sha256_hex(sha, text.ptr, text.len, err)) < 0)
		goto out;
	if (!seal)
		problem(&c, NULL, 0,
		    "no audit record seals this bundle (no record of stage "
		    "audit with output manifest.json for run %s of feature "
		    "%s)",
		    run_id, feature_id);
	else if (strcmp(sha, seal->r.output_sha256))
		problem(&c, SG_BUNDLE_MANIFEST, seal->r.seq,
		    "was modified: its SHA-256 is %.12s..., audit record "
		    "%" PRIu64 " sealed %.12s...",
		    sha, seal->r.seq, seal->r.output_sha256);
	if (sg_manifest_parse(m, text.ptr, text.len, &mine) < 0) {
		problem(&c, SG_BUNDLE_MANIFEST, 0, "%s", mine.message);
		goto out;
	}
	if (strcmp(m->feature_id, feature_id) || strcmp(m->run_id, run_id))
		problem(&c, SG_BUNDLE_MANIFEST, 0,
		    "is the manifest of run %.24s of feature %.12s, not of "
		    "this directory",
		    m->run_id, m->feature_id);
	if ((error = sg_evidence__check_files(nfiles, d, m, partial, mismatch_cb, &c,
		 err)) < 0)
		goto out;
	if (seal)
		check_against_trail(&c, m, recs, n, seal);
	/*
	 * After its seal, a run awaiting approval gets `deploy approved`
	 * records (specgate/approval.h) and at most one `deploy resumed`
	 * (the claim of its continuation, last); nothing else may follow
	 * the seal.
	 */
	if (seal) {
		bool resumed = false;

		for (size_t i = (size_t)(seal - recs) + 1; i < n; i++) {
			enum sg_checkpoint_status st = recs[i].r.status_enum;
			bool ok = !strcmp(recs[i].r.stage, "deploy") &&
			    m->run_status_enum == SG_RUN_AWAITING_APPROVAL &&
			    !resumed;

			resumed = resumed || st == SG_CP_RESUMED;
			ok = ok && (st == SG_CP_APPROVED || st == SG_CP_RESUMED);
			if (!ok)
				problem(&c, NULL, recs[i].r.seq,
				    "audit record %" PRIu64 " follows the "
				    "seal of this bundle and is not an "
				    "approval or the claim of a waiting run",
				    recs[i].r.seq);
		}
		n = (size_t)(seal - recs) + 1;
	}
	error = check_checkpoints(&c, d, recs, n, err);
out:
	sg_buf_release(&text);
	sg_error_release(&mine);
	return error;
}

int
sg_evidence_read_manifest(char **out, const char *path, struct sg_error *err)
{
	struct sg_dir d = SG_DIR_INIT;
	struct sg_buf text;
	int error;

	*out = NULL;
	sg_buf_init(&text, 0);
	if ((error = sg_dir_open(&d, NULL, path, 0, err)) < 0 ||
	    (error = sg_evidence__read_entry(&text, &d, SG_BUNDLE_MANIFEST,
		 err)) < 0)
		goto out;
	*out = sg_buf_detach(&text, NULL);
out:
	sg_buf_release(&text);
	sg_dir_close(&d);
	return error;
}
