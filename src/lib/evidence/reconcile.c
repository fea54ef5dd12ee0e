/* SPDX-License-Identifier: MIT */
/*
 * reconcile.c - finishing the runs that died (sg_evidence_reconcile()).
 *
 * Who is dead: a run whose store status is `running` and whose bundle
 * directory (the staging directory the store names, or the published one)
 * is not locked.  The owner locks its staging directory before the run
 * exists in the store and holds the lock, through the rename, until its
 * run is final in the store; the kernel drops the lock when the owner
 * dies, however it dies.  So "unlocked and still running" means dead, with
 * no timeout to guess and no race.
 *
 * What is done, under the feature's lock (so that two reconcilers, or a
 * reconciler and a publisher, never act on one feature at once), after
 * reading the run's status again:
 *
 *	published (active or archived)	store: the manifest's status
 *	sealed, staging intact		rename into place, latest, retention;
 *					store: the manifest's status
 *	sealed, staging not intact	nothing: `audit verify` reports it
 *	closed by a failure/cancelled	staging removed; store: that status
 *	not closed			`audit cancelled` appended, staging
 *					removed; store: cancelled
 *
 * "Intact" is the check `audit verify` makes (the manifest is the one
 * sealed, every file matches it): only a bundle whose every byte the trail
 * vouches for is published by someone other than its owner.
 *
 * With a shared store (sg_store_is_shared(): PostgreSQL, runners on many
 * machines), a running run whose directory is not in this checkout is left
 * alone: it is another runner's, and its lock is on another machine.
 *
 * Leftovers: a staging directory that no running run names and that is
 * not locked belongs to a run that finished (failed) or never got a run
 * id; it is removed.  (".new-*" directories, from a crash in the
 * microseconds between mkdir and flock, are empty and left alone: telling
 * them from one being born would need a timeout.)
 */
#include "evidence/evidence_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "util/utctime.h"

struct cand {
	char fid[SG_FEATURE_ID_SIZE];
	char rid[SG_RUN_ID_SIZE];
	char mode[16];
	char *bundle; /* the store's bundle column, or NULL */
};

struct cands {
	struct cand *v;
	size_t n;
};

static int
cand_cb(const struct sg_run *run, void *payload)
{
	struct cands *c = payload;
	struct cand *x;

	c->v = sg_xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	x = &c->v[c->n++];
	snprintf(x->fid, sizeof(x->fid), "%s", run->feature_id);
	snprintf(x->rid, sizeof(x->rid), "%s", run->run_id);
	snprintf(x->mode, sizeof(x->mode), "%s", run->mode);
	x->bundle = run->bundle ? sg_xstrdup(run->bundle) : NULL;
	return 0;
}

struct ctx {
	const struct sg_evidence_options *o;
	struct sg_store *st;
	sg_evidence_note_cb cb;
	void *payload;
	struct sg_dir reports;
	struct sg_dir fdir;
	struct sg_error *err;
};

static void
note(struct ctx *c, const struct cand *x, const char *fmt, ...)
    SG_PRINTF(3, 4);

static void
note(struct ctx *c, const struct cand *x, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!c->cb)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->cb(x->fid, x->rid, msg, c->payload);
}

/*
 * Open the entry name of d and try its lock: *alive (OUT) when another
 * process holds it.  *out is left closed when the entry is not there.
 */
static int
open_unlocked(struct sg_dir *out, bool *alive, const struct sg_dir *d,
    const char *name, struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	bool locked = false;
	int error;

	*alive = false;
	error = sg_dir_open(out, d, name, SG_DIR_NOFOLLOW, &mine);
	if (error == SG_ENOTFOUND) {
		error = 0;
		goto out;
	}
	if (error) {
		sg_error_set(err, error, "%s", mine.message);
		goto out;
	}
	if ((error = sg_dir_lock(&locked, out, false, err)) < 0)
		goto out;
	*alive = !locked;
out:
	sg_error_release(&mine);
	return error;
}

/* The manifest's final run status of the bundle at d (else failure). */
static enum sg_run_status
manifest_status(const struct sg_dir *d)
{
	enum sg_run_status status = SG_RUN_FAILURE;
	struct sg_manifest m;
	struct sg_buf text;
	struct sg_fs_stat st;
	int fd = -1;

	sg_buf_init(&text, 0);
	if (sg_dir_open_file(&fd, &st, d, SG_BUNDLE_MANIFEST, NULL) == 0 &&
	    st.type == SG_FS_FILE &&
	    sg_fs_read_fd(&text, fd, SG_BUNDLE_MANIFEST, st.size,
		SG_EVIDENCE__MANIFEST_MAX, NULL) == 0 &&
	    sg_manifest_parse(&m, text.ptr, text.len, NULL) == 0) {
		if (sg_run_status_final(m.run_status_enum))
			status = m.run_status_enum;
		sg_manifest_release(&m);
	}
	sg_fs_close(fd);
	sg_buf_release(&text);
	return status;
}

static int
finish(struct ctx *c, const struct cand *x, const struct sg_dir *bundle,
    const char *rel)
{
	enum sg_run_status status = manifest_status(bundle);
	char *store_path = sg_evidence__store_path(c->o, rel);
	int error;

	error = sg_store_run_update(c->st, x->fid, x->rid, status, store_path,
	    0, c->err);
	if (!error)
		note(c, x, "published before its process died; recorded as %s",
		    sg_run_status_name(status));
	free(store_path);
	return error;
}

/* Count what sg_evidence__check_bundle() finds. */
static void
count_cb(const char *where, const char *message, uint64_t seq,
    void *payload)
{
	size_t *n = payload;

	(void)where;
	(void)message;
	(void)seq;
	(*n)++;
}

/* Sealed and intact: rename into place (roll forward). */
static int
roll_forward(struct ctx *c, const struct cand *x, const struct sg_dir *stg,
    const char *name, const struct sg_evidence__record *recs, size_t n)
{
	struct sg_manifest m;
	size_t problems = 0;
	size_t nfiles;
	char *rel;
	int error;

	error = sg_evidence__check_bundle(&m, &nfiles, stg, stg->path, x->fid,
	    x->rid, recs, n, false, count_cb, &problems, c->err);
	sg_manifest_release(&m);
	if (error)
		return error;
	if (problems) {
		note(c, x, "sealed, but its staging directory '%s' does not "
			   "match the seal: left for audit verify",
		    stg->path);
		return 0;
	}
	if ((error = sg_dir_rename(&c->fdir, name, &c->fdir, x->rid,
		 SG_DIR_NOREPLACE, c->err)) < 0 ||
	    (error = sg_dir_sync(&c->fdir, c->err)) < 0 ||
	    (error = sg_evidence__retain(&c->reports, &c->fdir, x->fid,
		 c->o->active_runs, NULL, NULL, c->err)) < 0)
		return error;
	rel = sg_xasprintf("%s/%s", x->fid, x->rid);
	error = finish(c, x, stg, rel);
	free(rel);
	return error;
}

/* Not sealed: close the run in the trail (if nothing does) and the store. */
static int
close_run(struct ctx *c, const struct cand *x,
    const struct sg_evidence__record *recs, size_t n)
{
	const struct sg_evidence__record *closing;
	struct sg_audit_record r;
	char ts[SG_UTC_ISO_SIZE];
	enum sg_run_status status = SG_RUN_CANCELLED;
	int error;

	closing = sg_evidence__closing(recs, n);
	if (closing && closing->r.status_enum != SG_CP_CANCELLED)
		status = SG_RUN_FAILURE;
	if (!closing) {
		memset(&r, 0, sizeof(r));
		if (sg_utc_iso(ts, sg_utc_now()) < 0)
			return sg_error_set(c->err, SG_EINVAL,
			    "the clock is out of range");
		r.timestamp = ts;
		r.run_id = x->rid;
		r.feature_id = x->fid;
		r.stage = "audit";
		r.status = sg_checkpoint_status_name(SG_CP_CANCELLED);
		r.mode = x->mode;
		if ((error = sg_audit_append(NULL, c->st, &r, 1, c->err)) < 0)
			return error;
	}
	if ((error = sg_store_run_update(c->st, x->fid, x->rid, status, NULL,
		 0, c->err)) < 0)
		return error;
	note(c, x, "its process died before publishing; recorded as %s%s",
	    sg_run_status_name(status), closing ? "" : " (audit cancelled appended to the trail)");
	return 0;
}

/* The staging directory name the store recorded, if it is one of fid's. */
static const char *
staging_name(const struct ctx *c, const struct cand *x)
{
	char *prefix;
	const char *name = NULL;
	size_t n;

	if (!x->bundle)
		return NULL;
	prefix = sg_evidence__store_path(c->o, x->fid);
	n = strlen(prefix);
	if (!strncmp(x->bundle, prefix, n) && x->bundle[n] == '/' &&
	    !strncmp(x->bundle + n + 1, SG_EVIDENCE__STAGING_PREFIX,
		strlen(SG_EVIDENCE__STAGING_PREFIX)) &&
	    !strchr(x->bundle + n + 1, '/'))
		name = x->bundle + n + 1;
	free(prefix);
	return name;
}

/* Is the run still `running` in the store?  (Read again under the lock.) */
static int
still_running(bool *out, struct ctx *c, const struct cand *x)
{
	struct sg_run *run = NULL;
	int error;

	*out = false;
	if ((error = sg_store_run_get(&run, c->st, x->fid, x->rid, c->err)) < 0)
		return error;
	*out = run->status_enum == SG_RUN_RUNNING;
	sg_run_free(run);
	return 0;
}

/* One candidate, with c->fdir open and locked (or absent: fd -1). */
static int
reconcile_one(struct ctx *c, const struct cand *x)
{
	struct sg_evidence__record *recs = NULL;
	struct sg_dir d = SG_DIR_INIT;
	const char *name = staging_name(c, x);
	enum sg_bundle_where where;
	char *path = NULL;
	size_t n = 0;
	bool alive = false;
	bool running;
	char *rel;
	int error;

	if ((error = still_running(&running, c, x)) < 0 || !running)
		return error;
	/* Published: active, or archived since by another run's retention. */
	if ((error = sg_evidence_locate(&path, &where, c->o, x->fid, x->rid,
		 NULL, c->err)) < 0)
		goto out;
	if (where == SG_BUNDLE_ACTIVE || where == SG_BUNDLE_ARCHIVED) {
		error = open_unlocked(&d, &alive, NULL, path, c->err);
		if (error || alive || d.fd < 0)
			goto out;
		rel = where == SG_BUNDLE_ACTIVE ?
		    sg_xasprintf("%s/%s", x->fid, x->rid) :
		    sg_xasprintf(SG_EVIDENCE__ARCHIVE "/%.8s/%s/%s", x->rid,
			x->fid, x->rid);
		error = finish(c, x, &d, rel);
		free(rel);
		goto out;
	}
	if (name && c->fdir.fd >= 0 &&
	    (error = open_unlocked(&d, &alive, &c->fdir, name, c->err)) < 0)
		goto out;
	if (alive)
		goto out;
	/*
	 * A shared store (PostgreSQL) holds the runs of every runner: a run
	 * whose staging directory is not here is another checkout's, alive
	 * or not, and only its own checkout can tell.
	 */
	if (d.fd < 0 && sg_store_is_shared(c->st))
		goto out;
	if ((error = sg_evidence__run_records(&recs, &n, c->st, x->fid, x->rid,
		 c->err)) < 0)
		goto out;
	if (sg_evidence__seal(recs, n)) {
		if (d.fd >= 0)
			error = roll_forward(c, x, &d, name, recs, n);
		else
			note(c, x, "sealed, but its bundle is missing: left "
				   "for audit verify");
		goto out;
	}
	if ((error = close_run(c, x, recs, n)) < 0)
		goto out;
	if (d.fd >= 0)
		error = sg_dir_remove_tree(&c->fdir, name, c->err);
out:
	sg_evidence__records_free(recs, n);
	sg_dir_close(&d);
	free(path);
	return error;
}

/* Is name the staging directory of one of the running candidates? */
static bool
referenced(const struct ctx *c, const struct cands *cs, const char *fid,
    const char *name)
{
	for (size_t i = 0; i < cs->n; i++) {
		const char *s = staging_name(c, &cs->v[i]);

		if (s && !strcmp(cs->v[i].fid, fid) && !strcmp(s, name))
			return true;
	}
	return false;
}

/* Remove the unlocked staging directories no running run names. */
static int
sweep(struct ctx *c, const struct cands *cs, const char *fid)
{
	struct sg_dirent *ents = NULL;
	struct sg_dir d = SG_DIR_INIT;
	struct cand x;
	size_t n = 0;
	bool alive;
	int error;

	if ((error = sg_dir_list(&ents, &n, &c->fdir, NULL, c->err)) < 0)
		return error;
	memset(&x, 0, sizeof(x));
	snprintf(x.fid, sizeof(x.fid), "%s", fid);
	for (size_t i = 0; i < n && !error; i++) {
		if (strncmp(ents[i].name, SG_EVIDENCE__STAGING_PREFIX,
			strlen(SG_EVIDENCE__STAGING_PREFIX)) ||
		    referenced(c, cs, fid, ents[i].name))
			continue;
		error = open_unlocked(&d, &alive, &c->fdir, ents[i].name,
		    c->err);
		if (!error && !alive && d.fd >= 0) {
			error = sg_dir_remove_tree(&c->fdir, ents[i].name,
			    c->err);
			if (!error && c->cb)
				c->cb(fid, "-", "removed a staging directory "
						"left by a finished run",
				    c->payload);
		}
		sg_dir_close(&d);
	}
	sg_dirent_free(ents, n);
	return error;
}

/* Open reports/<fid> and take the feature's lock; absent is fine. */
static int
lock_feature(struct ctx *c, const char *fid)
{
	struct sg_error mine = SG_ERROR_INIT;
	int error = 0;

	sg_dir_close(&c->fdir);
	if (c->reports.fd < 0)
		return 0;
	error = sg_dir_open(&c->fdir, &c->reports, fid, SG_DIR_NOFOLLOW,
	    &mine);
	if (error == SG_ENOTFOUND)
		error = 0;
	else if (error)
		sg_error_set(c->err, error, "%s", mine.message);
	sg_error_release(&mine);
	if (!error && c->fdir.fd >= 0)
		error = sg_dir_lock(NULL, &c->fdir, true, c->err);
	return error;
}

static int
open_reports(struct ctx *c)
{
	struct sg_error mine = SG_ERROR_INIT;
	char *path = sg_evidence__reports_path(c->o);
	int error;

	error = sg_dir_open(&c->reports, NULL, path, 0, &mine);
	if (error == SG_ENOTFOUND)
		error = 0;
	else if (error)
		sg_error_set(c->err, error, "%s", mine.message);
	sg_error_release(&mine);
	free(path);
	return error;
}

int
sg_evidence_reconcile(const struct sg_evidence_options *opts,
    const char *feature_id, struct sg_store *st, sg_evidence_note_cb cb,
    void *payload, struct sg_error *err)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct sg_dirent *ents = NULL;
	struct cands cs = {NULL, 0};
	struct ctx c;
	size_t n = 0;
	int error;

	memset(&c, 0, sizeof(c));
	c.o = opts;
	c.st = st;
	c.cb = cb;
	c.payload = payload;
	c.err = err;
	c.reports.fd = c.fdir.fd = -1;
	f.status = "running";
	f.feature_id = feature_id;
	if ((error = sg_store_run_list(st, &f, cand_cb, &cs, err)) < 0 ||
	    (error = open_reports(&c)) < 0)
		goto out;
	for (size_t i = 0; i < cs.n; i++) {
		if ((error = lock_feature(&c, cs.v[i].fid)) < 0 ||
		    (error = reconcile_one(&c, &cs.v[i])) < 0)
			goto out;
	}
	if (c.reports.fd < 0)
		goto out;
	if ((error = sg_dir_list(&ents, &n, &c.reports, NULL, err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (ents[i].type != SG_FS_DIR ||
		    !sg_feature_id_is_valid(ents[i].name) ||
		    (feature_id && strcmp(feature_id, ents[i].name)))
			continue;
		if ((error = lock_feature(&c, ents[i].name)) < 0 ||
		    (c.fdir.fd >= 0 &&
			(error = sweep(&c, &cs, ents[i].name)) < 0))
			goto out;
	}
out:
	sg_dirent_free(ents, n);
	for (size_t i = 0; i < cs.n; i++)
		free(cs.v[i].bundle);
	free(cs.v);
	sg_dir_close(&c.fdir);
	sg_dir_close(&c.reports);
	return error;
}
