/* SPDX-License-Identifier: MIT */
/*
 * verify.c - `specgate audit verify` (sg_evidence_verify()).
 *
 * Data flow:
 *
 *	1. find every bundle: reports/<fid>/<run-id> and
 *	   reports/archive/YYYYMMDD/<fid>/<run-id>
 *	2. check each against its run's audit records
 *	   (sg_evidence__check_bundle(): the seal, the files, checkpoints.log)
 *	   and keep the trail head its manifest records
 *	3. every audit record that seals a manifest must have its bundle; one
 *	   that is still in its staging directory (the run died between the
 *	   seal and the rename) is checked the same way and noted as pending
 *	4. recompute the chain with every manifest's head as an expected head
 *	   (sg_audit_verify()); its finding comes first in the report, with
 *	   the bundle whose manifest disagrees
 *
 * Verification only reads: it opens the store without creating it, and
 * never renames or appends (reconciliation is `specgate run`'s and
 * `specgate archive`'s).  A run that has checkpoints but no audit record
 * yet is running, or died before its seal: a note, not a problem, since
 * an unsealed run vouches for no bundle, and a seal cannot be removed
 * without breaking the chain.
 */
#include "evidence/evidence_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

struct found {
	char fid[SG_FEATURE_ID_SIZE];
	char rid[SG_RUN_ID_SIZE];
	char *path;
	bool has_head;
	struct sg_audit_head head;
	char status[24]; /* the manifest's run.status, "" when unread */
	enum sg_run_status st; /* and as an enum (SG_RUN_STATUS_COUNT) */
};

struct vctx {
	const struct sg_evidence_options *o;
	struct sg_store *st;
	struct sg_evidence_report *r;
	struct found *v;
	size_t n;
	struct sg_error *err;
	const struct sg_audit_head *from; /* incremental: the verified head */
};

static void
add_problem(struct sg_evidence_report *r, const char *where, uint64_t seq,
    const char *fmt, ...) SG_PRINTF(4, 5);

static void
add_problem(struct sg_evidence_report *r, const char *where, uint64_t seq,
    const char *fmt, ...)
{
	struct sg_evidence_problem *p;
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->problems = sg_xreallocarray(r->problems, r->nproblems + 1,
	    sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->where = sg_xstrdup(where);
	p->message = sg_xstrdup(msg);
	p->seq = seq;
}

static void
add_note(struct sg_evidence_report *r, const char *fmt, ...) SG_PRINTF(2, 3);

static void
add_note(struct sg_evidence_report *r, const char *fmt, ...)
{
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->notes = sg_xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = sg_xstrdup(msg);
}

void
sg_evidence_report_release(struct sg_evidence_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nproblems; i++) {
		free(r->problems[i].where);
		free(r->problems[i].message);
	}
	free(r->problems);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

static void
problem_cb(const char *where, const char *message, uint64_t seq,
    void *payload)
{
	add_problem(payload, where, seq, "%s", message);
}

static void
add_found(struct vctx *c, const char *fid, const char *rid, char *path)
{
	struct found *f;

	c->v = sg_xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	f = &c->v[c->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->fid, sizeof(f->fid), "%s", fid);
	snprintf(f->rid, sizeof(f->rid), "%s", rid);
	f->st = (enum sg_run_status)SG_RUN_STATUS_COUNT;
	f->path = path;
}

/* `latest` of a feature directory points at one of its runs, or is absent. */
static void
check_latest(struct vctx *c, const struct sg_dir *fdir,
    const struct sg_dirent *runs, size_t n)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_fs_stat st;
	char *where;
	char *target = NULL;
	bool ok = false;

	if (sg_dir_lstat(&st, fdir, SG_EVIDENCE__LATEST, &mine) < 0)
		goto out;
	where = sg_evidence__join(fdir->path, SG_EVIDENCE__LATEST);
	if (st.type == SG_FS_SYMLINK &&
	    sg_dir_readlink(&target, fdir, SG_EVIDENCE__LATEST, &mine) == 0) {
		for (size_t i = 0; i < n; i++)
			ok = ok || !strcmp(runs[i].name, target);
		/* A run may have been published since the listing. */
		if (!ok && sg_run_id_is_valid(target) &&
		    sg_dir_lstat(&st, fdir, target, &mine) == 0)
			ok = st.type == SG_FS_DIR;
	}
	if (!ok)
		add_problem(c->r, where, 0,
		    "does not point at a published run of its feature (%s%s%s)",
		    target ? "it points to '" : "not a symlink",
		    target ? target : "", target ? "'" : "");
	free(where);
out:
	free(target);
	sg_error_release(&mine);
}

/* Collect the runs of one feature directory. */
static int
scan_feature(struct vctx *c, const struct sg_dir *parent, const char *fid,
    bool latest)
{
	struct sg_dir fdir = SG_DIR_INIT;
	struct sg_dirent *runs = NULL;
	size_t n = 0;
	int error;

	if ((error = sg_dir_open(&fdir, parent, fid, SG_DIR_NOFOLLOW,
		 c->err)) < 0 ||
	    (error = sg_evidence__list_runs(&runs, &n, &fdir, c->err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		add_found(c, fid, runs[i].name,
		    sg_evidence__join(fdir.path, runs[i].name));
	if (latest)
		check_latest(c, &fdir, runs, n);
out:
	sg_dirent_free(runs, n);
	sg_dir_close(&fdir);
	return error;
}

static bool
is_day(const char *s)
{
	if (strlen(s) != 8)
		return false;
	for (int i = 0; i < 8; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static int
scan_archive(struct vctx *c, const struct sg_dir *reports)
{
	struct sg_dir archive = SG_DIR_INIT;
	struct sg_dir day = SG_DIR_INIT;
	struct sg_dirent *days = NULL;
	struct sg_dirent *fids = NULL;
	size_t ndays = 0;
	size_t nfids = 0;
	int error;

	if (sg_dir_open(&archive, reports, SG_EVIDENCE__ARCHIVE,
		SG_DIR_NOFOLLOW, NULL) < 0)
		return 0;
	if ((error = sg_dir_list(&days, &ndays, &archive, NULL, c->err)) < 0)
		goto out;
	for (size_t i = 0; i < ndays; i++) {
		if (days[i].type != SG_FS_DIR || !is_day(days[i].name))
			continue;
		if ((error = sg_dir_open(&day, &archive, days[i].name,
			 SG_DIR_NOFOLLOW, c->err)) < 0 ||
		    (error = sg_dir_list(&fids, &nfids, &day, NULL, c->err)) <
			0)
			goto out;
		for (size_t j = 0; j < nfids; j++) {
			if (fids[j].type == SG_FS_DIR &&
			    sg_feature_id_is_valid(fids[j].name) &&
			    (error = scan_feature(c, &day, fids[j].name,
				 false)) < 0)
				goto out;
		}
		sg_dirent_free(fids, nfids);
		fids = NULL;
		nfids = 0;
		sg_dir_close(&day);
	}
out:
	sg_dirent_free(fids, nfids);
	sg_dirent_free(days, ndays);
	sg_dir_close(&day);
	sg_dir_close(&archive);
	return error;
}

static int
scan(struct vctx *c)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_dir reports = SG_DIR_INIT;
	struct sg_dirent *ents = NULL;
	size_t n = 0;
	char *path = sg_evidence__reports_path(c->o);
	int error;

	error = sg_dir_open(&reports, NULL, path, 0, &mine);
	free(path);
	if (error) {
		if (error != SG_ENOTFOUND)
			sg_error_set(c->err, error, "%s", mine.message);
		sg_error_release(&mine);
		return error == SG_ENOTFOUND ? 0 : error;
	}
	if ((error = sg_dir_list(&ents, &n, &reports, NULL, c->err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (ents[i].type == SG_FS_DIR &&
		    sg_feature_id_is_valid(ents[i].name) &&
		    (error = scan_feature(c, &reports, ents[i].name, true)) < 0)
			goto out;
	}
	error = scan_archive(c, &reports);
out:
	sg_dirent_free(ents, n);
	sg_dir_close(&reports);
	return error;
}

/*
 * Open a found bundle.  Runs that publish while we verify may move it in
 * between (a staging directory renamed into place, a bundle archived by
 * retention): then it is looked for where it went, once.
 */
static int
open_found(struct sg_dir *d, struct vctx *c, struct found *f)
{
	struct sg_error mine = SG_ERROR_INIT;
	enum sg_bundle_where where;
	char *path = NULL;
	int error;

	error = sg_dir_open(d, NULL, f->path, SG_DIR_NOFOLLOW, &mine);
	if (error == SG_ENOTFOUND &&
	    sg_evidence_locate(&path, &where, c->o, f->fid, f->rid, NULL,
		NULL) == 0 &&
	    where != SG_BUNDLE_NONE) {
		free(f->path);
		f->path = path;
		path = NULL;
		sg_error_release(&mine);
		error = sg_dir_open(d, NULL, f->path, SG_DIR_NOFOLLOW, &mine);
	}
	if (error)
		sg_error_set(c->err, error, "%s", mine.message);
	sg_error_release(&mine);
	free(path);
	return error;
}

/* Check one bundle directory (a found one, or a pending staging one). */
static int
check_one(struct vctx *c, struct found *f)
{
	struct sg_evidence__record *recs = NULL;
	struct sg_dir d = SG_DIR_INIT;
	struct sg_manifest m;
	size_t nrecs = 0;
	size_t nfiles = 0;
	int error;

	memset(&m, 0, sizeof(m));
	if ((error = open_found(&d, c, f)) < 0 ||
	    (error = sg_evidence__run_records(&recs, &nrecs, c->st, f->fid,
		 f->rid, c->err)) < 0 ||
	    (error = sg_evidence__check_bundle(&m, &nfiles, &d, f->path,
		 f->fid, f->rid, recs, nrecs, false, problem_cb, c->r,
		 c->err)) < 0)
		goto out;
	c->r->files += nfiles;
	if (m.run_status) {
		snprintf(f->status, sizeof(f->status), "%s", m.run_status);
		f->st = m.run_status_enum;
	}
	if (m.head.seq) {
		f->has_head = true;
		f->head = m.head;
	}
out:
	sg_manifest_release(&m);
	sg_evidence__records_free(recs, nrecs);
	sg_dir_close(&d);
	return error;
}

static int
found_cmp(const void *a, const void *b)
{
	const struct found *x = a;
	const struct found *y = b;
	int k = strcmp(x->fid, y->fid);

	return k ? k : strcmp(x->rid, y->rid);
}

static struct found *
lookup(struct vctx *c, const char *fid, const char *rid)
{
	struct found key;

	memset(&key, 0, sizeof(key));
	snprintf(key.fid, sizeof(key.fid), "%s", fid);
	snprintf(key.rid, sizeof(key.rid), "%s", rid);
	return bsearch(&key, c->v, c->n, sizeof(*c->v), found_cmp);
}

/* The seals in the trail: (fid, rid, seq) of each, copied. */
struct seal {
	char fid[SG_FEATURE_ID_SIZE];
	char rid[SG_RUN_ID_SIZE];
	uint64_t seq;
};

struct seals {
	struct seal *v;
	size_t n;
};

static int
seal_cb(const struct sg_audit_record *r, void *payload)
{
	struct seals *s = payload;
	struct seal *x;

	if (strcmp(r->output, SG_BUNDLE_MANIFEST) || !*r->output_sha256)
		return 0;
	s->v = sg_xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	x = &s->v[s->n++];
	snprintf(x->fid, sizeof(x->fid), "%s", r->feature_id);
	snprintf(x->rid, sizeof(x->rid), "%s", r->run_id);
	x->seq = r->seq;
	return 0;
}

/* A sealed run with no published bundle: pending in staging, or missing. */
static int
check_unpublished(struct vctx *c, const struct seal *s)
{
	enum sg_bundle_where where = SG_BUNDLE_NONE;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_run *run = NULL;
	char *path = NULL;
	int error = 0;

	if (sg_store_run_get(&run, c->st, s->fid, s->rid, &mine) == 0 &&
	    (error = sg_evidence_locate(&path, &where, c->o, s->fid, s->rid,
		 run->bundle, c->err)) < 0)
		goto out;
	if (where == SG_BUNDLE_NONE) {
		add_problem(c->r, "audit trail", s->seq,
		    "audit record %" PRIu64 " seals the manifest of run %s of "
		    "feature %s, whose bundle is missing",
		    s->seq, s->rid, s->fid);
		goto out;
	}
	/* Pending, or published since the scan by a run still going. */
	add_found(c, s->fid, s->rid, path);
	path = NULL;
	if ((error = check_one(c, &c->v[c->n - 1])) < 0)
		goto out;
	c->r->bundles++;
	if (where != SG_BUNDLE_PENDING)
		goto out;
	c->r->pending++;
	add_note(c->r,
	    "run %s of feature %s is sealed but not yet published: '%s' "
	    "(the next `specgate run` or `specgate archive` renames it)",
	    s->rid, s->fid, c->v[c->n - 1].path);
out:
	sg_run_free(run);
	free(path);
	sg_error_release(&mine);
	return error;
}

static int
check_seals(struct vctx *c)
{
	struct sg_audit_filter f = SG_AUDIT_FILTER_INIT;
	struct seals s = {NULL, 0};
	size_t nfound = c->n;
	int error;

	f.stage = "audit";
	f.after_seq = c->from ? c->from->seq : 0;
	if ((error = sg_audit_foreach(c->st, &f, seal_cb, &s, c->err)) < 0)
		goto out;
	for (size_t i = 0; i < s.n; i++) {
		struct found *x = NULL;

		/* c->v[0 .. nfound) is sorted; pending ones come after. */
		if (nfound) {
			size_t keep = c->n;

			c->n = nfound;
			x = lookup(c, s.v[i].fid, s.v[i].rid);
			c->n = keep;
		}
		if (!x && (error = check_unpublished(c, &s.v[i])) < 0)
			goto out;
	}
out:
	free(s.v);
	return error;
}

/*
 * The runs index against the chain (check_index()).  What the trail says
 * of each run: whether it has records, how it was closed (the first
 * audit-stage record: the seal, or `failure`/`cancelled` without a
 * bundle), and the continuation its `deploy resumed` record names.
 */
struct trun {
	char fid[13];
	char rid[SG_RUN_ID_SIZE];
	char closing[24]; /* "" none, "sealed", "failure", "cancelled" */
	char cont[SG_RUN_ID_SIZE]; /* its continuation, or "" */
	uint64_t seq;	 /* a record of the run, for the report */
};

struct truns {
	struct trun *v;
	size_t n, cap;
};

static int
trun_cmp(const void *a, const void *b)
{
	const struct trun *x = a;
	const struct trun *y = b;
	int k = strcmp(x->fid, y->fid);

	return k ? k : strcmp(x->rid, y->rid);
}

static int
trun_cb(const struct sg_audit_record *r, void *payload)
{
	struct truns *t = payload;
	struct trun *x = NULL;
	size_t plen = strlen(SG_AUDIT_CONTINUATION_PREFIX);

	/* A run's records are close together: look back a little. */
	for (size_t i = t->n; i > 0 && i + 32 > t->n; i--)
		if (!strcmp(t->v[i - 1].rid, r->run_id) &&
		    !strcmp(t->v[i - 1].fid, r->feature_id)) {
			x = &t->v[i - 1];
			break;
		}
	if (!x) {
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 64;
			t->v = sg_xreallocarray(t->v, t->cap, sizeof(*t->v));
		}
		x = &t->v[t->n++];
		memset(x, 0, sizeof(*x));
		snprintf(x->fid, sizeof(x->fid), "%s", r->feature_id);
		snprintf(x->rid, sizeof(x->rid), "%s", r->run_id);
		x->seq = r->seq;
	}
	if (!strcmp(r->stage, "audit") && !*x->closing)
		snprintf(x->closing, sizeof(x->closing), "%s",
		    !strcmp(r->output, SG_BUNDLE_MANIFEST) ? "sealed" :
							      r->status);
	if (!strcmp(r->stage, "deploy") && r->status_enum == SG_CP_RESUMED &&
	    !strncmp(r->output, SG_AUDIT_CONTINUATION_PREFIX, plen))
		snprintf(x->cont, sizeof(x->cont), "%s", r->output + plen);
	return 0;
}

/* Sort and merge the entries of one run that the look-back missed. */
static void
truns_merge(struct truns *t)
{
	size_t k = 0;

	if (!t->n)
		return;
	qsort(t->v, t->n, sizeof(*t->v), trun_cmp);
	for (size_t i = 1; i < t->n; i++) {
		if (!trun_cmp(&t->v[k], &t->v[i])) {
			if (!*t->v[k].closing)
				memcpy(t->v[k].closing, t->v[i].closing,
				    sizeof(t->v[k].closing));
			if (!*t->v[k].cont)
				memcpy(t->v[k].cont, t->v[i].cont,
				    sizeof(t->v[k].cont));
			continue;
		}
		t->v[++k] = t->v[i];
	}
	t->n = k + 1;
}

static const struct trun *
trun_find(const struct truns *t, const char *fid, const char *rid)
{
	struct trun key;

	memset(&key, 0, sizeof(key));
	snprintf(key.fid, sizeof(key.fid), "%s", fid);
	snprintf(key.rid, sizeof(key.rid), "%s", rid);
	return bsearch(&key, t->v, t->n, sizeof(*t->v), trun_cmp);
}

/* One row of the runs table, copied. */
struct row {
	char fid[13];
	char rid[SG_RUN_ID_SIZE];
	char status[24];
	enum sg_run_status st; /* status as the store parsed it */
	char *bundle;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static int
row_cb(const struct sg_run *run, void *payload)
{
	struct rows *r = payload;
	struct row *x;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = sg_xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	x = &r->v[r->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->fid, sizeof(x->fid), "%s", run->feature_id);
	snprintf(x->rid, sizeof(x->rid), "%s", run->run_id);
	snprintf(x->status, sizeof(x->status), "%s", run->status);
	x->st = run->status_enum;
	x->bundle = run->bundle ? sg_xstrdup(run->bundle) : NULL;
	return 0;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct row *x = a;
	const struct row *y = b;
	int k = strcmp(x->fid, y->fid);

	return k ? k : strcmp(x->rid, y->rid);
}

static const struct row *
row_find(const struct rows *r, const char *fid, const char *rid)
{
	struct row key;

	memset(&key, 0, sizeof(key));
	snprintf(key.fid, sizeof(key.fid), "%s", fid);
	snprintf(key.rid, sizeof(key.rid), "%s", rid);
	return bsearch(&key, r->v, r->n, sizeof(*r->v), row_cmp);
}

/*
 * The final status the chain gives a run, "" when it cannot say (a sealed
 * run whose bundle is missing or unreadable: reported already), or NULL
 * when the run is not final.  A sealed run's status is its manifest's
 * `run.status` (the seal's digest pins those bytes); a waiting run that a
 * continuation claimed takes the continuation's final status.
 */
static const char *
derived(struct vctx *c, const struct truns *t, const struct trun *x,
    int depth)
{
	const struct found *f;
	const struct trun *cont;
	const char *s;

	if (!*x->closing)
		return NULL;
	if (strcmp(x->closing, "sealed"))
		return x->closing;
	f = lookup(c, x->fid, x->rid);
	if (!f || !*f->status)
		return "";
	if (f->st != SG_RUN_AWAITING_APPROVAL || !*x->cont || depth)
		return f->status;
	if (!(cont = trun_find(t, x->fid, x->cont)))
		return f->status;
	s = derived(c, t, cont, depth + 1);
	return s ? s : f->status;
}

static bool
is_staging(const char *bundle)
{
	return bundle && strstr(bundle, "/" SG_EVIDENCE__STAGING_PREFIX);
}

/*
 * `audit verify`: the runs table is an index of the chain, not evidence.
 * Every run with records must have a row, and every row's status and
 * bundle must be what the chain says (derived()); a row may still say
 * `running` (the run is going on, or died after its seal and before its
 * row was updated: reconciliation finishes it), and a waiting run may
 * still wait while its continuation's row is `running`.
 */
static int
check_index(struct vctx *c)
{
	struct truns t = {NULL, 0, 0};
	struct rows r = {NULL, 0, 0};
	const struct trun *x;
	const struct row *w;
	const char *want;
	char *bundle;
	int error;

	/* Pending bundles were appended after the sorted ones. */
	if (c->n)
		qsort(c->v, c->n, sizeof(*c->v), found_cmp);
	if ((error = sg_audit_foreach(c->st, NULL, trun_cb, &t, c->err)) < 0 ||
	    (error = sg_store_run_list(c->st, NULL, row_cb, &r, c->err)) < 0)
		goto out;
	truns_merge(&t);
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), row_cmp);
	for (size_t i = 0; i < t.n; i++)
		if (!row_find(&r, t.v[i].fid, t.v[i].rid))
			add_problem(c->r, "runs table", t.v[i].seq,
			    "run %s of feature %s has audit records (from "
			    "record %" PRIu64 ") but no row in the runs table",
			    t.v[i].rid, t.v[i].fid, t.v[i].seq);
	for (size_t i = 0; i < r.n; i++) {
		const struct row *row = &r.v[i];

		x = trun_find(&t, row->fid, row->rid);
		if (!x) {
			if ((row->st != SG_RUN_RUNNING &&
				row->st != SG_RUN_FAILURE) ||
			    (row->bundle && !is_staging(row->bundle)))
				add_problem(c->r, "runs table", 0,
				    "run %s of feature %s: the store says %s "
				    "(bundle %s), but the audit trail has no "
				    "record of it",
				    row->rid, row->fid, row->status,
				    row->bundle ? row->bundle : "none");
			continue;
		}
		if (row->st == SG_RUN_RUNNING)
			continue;
		want = derived(c, &t, x, 0);
		/* A waiting run whose continuation is still going. */
		if (want && *x->cont &&
		    row->st == SG_RUN_AWAITING_APPROVAL &&
		    (w = row_find(&r, row->fid, x->cont)) &&
		    w->st == SG_RUN_RUNNING)
			want = row->status;
		if (!want)
			add_problem(c->r, "runs table", x->seq,
			    "run %s of feature %s: the store says %s, but the "
			    "audit trail has not closed the run",
			    row->rid, row->fid, row->status);
		else if (*want && strcmp(want, row->status))
			add_problem(c->r, "runs table", x->seq,
			    "run %s of feature %s: the store says %s, the "
			    "audit trail says %s",
			    row->rid, row->fid, row->status, want);
		if (strcmp(x->closing, "sealed")) {
			if (row->bundle && !is_staging(row->bundle))
				add_problem(c->r, "runs table", x->seq,
				    "run %s of feature %s: the store names "
				    "bundle %s, but the audit trail closed "
				    "the run without one",
				    row->rid, row->fid, row->bundle);
			continue;
		}
		bundle = sg_xasprintf("%s/%s", row->fid, row->rid);
		want = sg_evidence__store_path(c->o, bundle);
		free(bundle);
		if (!row->bundle || strcmp(row->bundle, want))
			add_problem(c->r, "runs table", x->seq,
			    "run %s of feature %s: the store names bundle %s, "
			    "the audit trail sealed %s",
			    row->rid, row->fid,
			    row->bundle ? row->bundle : "none", want);
		free((char *)want);
	}
out:
	for (size_t i = 0; i < r.n; i++)
		free(r.v[i].bundle);
	free(r.v);
	free(t.v);
	return error;
}

/* Runs the store still calls running: notes. */
static int
running_cb(const struct sg_run *run, void *payload)
{
	add_note(payload,
	    "run %s of feature %s has not finished (running, or its process "
	    "died: the next `specgate run` or `specgate archive` closes it)",
	    run->run_id, run->feature_id);
	return 0;
}

/* The bundle to blame for a chain finding at bad_seq. */
static const struct found *
blame(const struct vctx *c, uint64_t bad_seq)
{
	const struct found *best = NULL;

	for (size_t i = 0; i < c->n; i++) {
		const struct found *f = &c->v[i];

		if (f->has_head && f->head.seq >= bad_seq &&
		    (!best || f->head.seq < best->head.seq))
			best = f;
	}
	return best;
}

static int
check_trail(struct vctx *c)
{
	struct sg_audit_verify_result res;
	struct sg_error verr = SG_ERROR_INIT;
	struct sg_audit_head *heads;
	struct sg_evidence_problem first;
	const struct found *f;
	size_t n = 0;
	int error;

	heads = sg_xcalloc(c->n + 1, sizeof(*heads));
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].has_head)
			heads[n++] = c->v[i].head;
	}
	memset(&res, 0, sizeof(res));
	error = c->from ? sg_audit_verify_from(&res, c->st, c->from, heads, n,
			      &verr) :
			  sg_audit_verify(&res, c->st, heads, n, &verr);
	free(heads);
	c->r->records = res.records;
	c->r->head = res.head;
	if (error != SG_EVERIFY) {
		if (error)
			sg_error_set(c->err, error, "%s", verr.message);
		sg_error_release(&verr);
		return error;
	}
	f = blame(c, res.bad_seq);
	if (f)
		add_problem(c->r, "audit trail", res.bad_seq,
		    "%s; the first bundle whose manifest disagrees: %s (it "
		    "records the trail at record %" PRIu64 ")",
		    verr.message, f->path, f->head.seq);
	else
		add_problem(c->r, "audit trail", res.bad_seq, "%s",
		    verr.message);
	/* The chain's finding goes first. */
	first = c->r->problems[c->r->nproblems - 1];
	memmove(c->r->problems + 1, c->r->problems,
	    (c->r->nproblems - 1) * sizeof(*c->r->problems));
	c->r->problems[0] = first;
	sg_error_release(&verr);
	return 0;
}

int
sg_evidence_verify(struct sg_evidence_report *out,
    const struct sg_evidence_options *opts, struct sg_store *st,
    struct sg_error *err)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct vctx c;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.o = opts;
	c.st = st;
	c.r = out;
	c.err = err;
	if ((error = scan(&c)) < 0)
		goto out;
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), found_cmp);
	out->bundles = c.n;
	if (!st) {
		for (size_t i = 0; i < c.n; i++)
			add_problem(out, c.v[i].path, 0,
			    "there is no store, so no audit trail to check "
			    "this bundle against");
		goto out;
	}
	for (size_t i = 0; i < c.n; i++) {
		if ((error = check_one(&c, &c.v[i])) < 0)
			goto out;
	}
	f.status = sg_run_status_name(SG_RUN_RUNNING);
	if ((error = check_seals(&c)) < 0 ||
	    (error = sg_store_run_list(st, &f, running_cb, out, err)) < 0 ||
	    (error = check_index(&c)) < 0 ||
	    (error = check_trail(&c)) < 0)
		goto out;
out:
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].path);
	free(c.v);
	if (!error && out->nproblems)
		error = SG_EVERIFY;
	return error;
}

/*
 * Incremental verification (sg_evidence_verify_from()): the runs that the
 * records after the verified head name, each once, in (fid, rid) order.
 */
struct newruns {
	struct found *v;
	size_t n;
};

static int
newrun_cb(const struct sg_audit_record *r, void *payload)
{
	struct newruns *nr = payload;
	struct found *f;

	/* Records come in seq order; a run's are usually together. */
	for (size_t i = nr->n; i > 0 && i + 8 > nr->n; i--)
		if (!strcmp(nr->v[i - 1].fid, r->feature_id) &&
		    !strcmp(nr->v[i - 1].rid, r->run_id))
			return 0;
	nr->v = sg_xreallocarray(nr->v, nr->n + 1, sizeof(*nr->v));
	f = &nr->v[nr->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->fid, sizeof(f->fid), "%s", r->feature_id);
	snprintf(f->rid, sizeof(f->rid), "%s", r->run_id);
	return 0;
}

int
sg_evidence_verify_from(struct sg_evidence_report *out,
    const struct sg_evidence_options *opts, struct sg_store *st,
    const struct sg_audit_head *from, struct sg_error *err)
{
	struct sg_audit_filter af = SG_AUDIT_FILTER_INIT;
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct newruns nr = {NULL, 0};
	enum sg_bundle_where where;
	struct vctx c;
	char *path;
	int error;

	if (!from || !st)
		return sg_evidence_verify(out, opts, st, err);
	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.o = opts;
	c.st = st;
	c.r = out;
	c.err = err;
	c.from = from;
	af.after_seq = from->seq;
	if ((error = sg_audit_foreach(st, &af, newrun_cb, &nr, err)) < 0)
		goto out;
	if (nr.n)
		qsort(nr.v, nr.n, sizeof(*nr.v), found_cmp);
	for (size_t i = 0; i < nr.n; i++) {
		if (i && !found_cmp(&nr.v[i - 1], &nr.v[i]))
			continue;
		path = NULL;
		where = SG_BUNDLE_NONE;
		if ((error = sg_evidence_locate(&path, &where, opts,
			 nr.v[i].fid, nr.v[i].rid, NULL, err)) < 0)
			goto out;
		/* Pending ones are the seals' (check_seals()). */
		if (where != SG_BUNDLE_ACTIVE && where != SG_BUNDLE_ARCHIVED) {
			free(path);
			continue;
		}
		add_found(&c, nr.v[i].fid, nr.v[i].rid, path);
	}
	out->bundles = c.n;
	for (size_t i = 0; i < c.n; i++) {
		if ((error = check_one(&c, &c.v[i])) < 0)
			goto out;
	}
	f.status = sg_run_status_name(SG_RUN_RUNNING);
	if ((error = check_seals(&c)) < 0 ||
	    (error = sg_store_run_list(st, &f, running_cb, out, err)) < 0 ||
	    (error = check_trail(&c)) < 0)
		goto out;
out:
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].path);
	free(c.v);
	free(nr.v);
	if (!error && out->nproblems)
		error = SG_EVERIFY;
	return error;
}
