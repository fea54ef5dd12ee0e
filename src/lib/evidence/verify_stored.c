/* SPDX-License-Identifier: MIT */
/*
 * verify_stored.c - `specgate verify --store RUN`: a run verified from the
 * documents the store keeps with its records (sg_evidence_verify_stored()).
 *
 * The documents are written into a private directory, as the bundle they
 * came from (<tmp>/<feature-id>/<run-id>/...; a continuation's approved
 * run beside it), and that directory is verified by the code that verifies
 * a bundle (verify_bundle.c) with the store, in its partial mode: a file
 * the manifest lists and the store does not keep is not checked, and is
 * named in a note.  Everything else is what `specgate verify BUNDLE`
 * checks, with the same messages; the private directory's path in them
 * becomes "store:".
 *
 * Rejected: an in-memory source for the verification code (every check
 * reads through struct sg_dir and sg_verify_file() takes paths: a second
 * implementation of each would be the code that is tested least), and
 * materialising into the project (it is not ours, and may be read-only or
 * absent: verifying from a machine without the checkout is the point).
 */
#include "evidence/evidence_int.h"

#include <stdlib.h>
#include <string.h>

#define STORED_PREFIX "store:"
#define NOTE_NAMES_MAX 20

/* The features whose run has the run id looked for (at most 2). */
struct found_run {
	char fid[SG_FEATURE_ID_SIZE];
	size_t n;
};

static int
find_cb(const struct sg_run *run, void *payload)
{
	struct found_run *f = payload;

	if (f->n++ == 0)
		snprintf(f->fid, sizeof(f->fid), "%s", run->feature_id);
	return 0;
}

/* The stored documents of one run, written into a directory. */
struct writer {
	struct sg_dir *dir; /* the run's directory */
	struct sg_error *err;
	char **names;	    /* the paths written */
	size_t n;
};

/* Create the directories of rel under d, one component at a time. */
static int
make_parents(const struct sg_dir *d, const char *rel, struct sg_error *err)
{
	char *p = sg_xstrdup(rel);
	int error = 0;

	for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		error = sg_dir_make(NULL, d, p, 0700, err);
		*s = '/';
		if (error < 0)
			break;
	}
	free(p);
	return error;
}

static int
write_cb(const char *path, const void *data, size_t len, void *payload)
{
	struct writer *w = payload;
	int error;

	if ((error = make_parents(w->dir, path, w->err)) < 0 ||
	    (error = sg_dir_write_file(w->dir, path, data, len, 0600,
		 w->err)) < 0)
		return error;
	w->names = sg_xreallocarray(w->names, w->n + 1, sizeof(*w->names));
	w->names[w->n++] = sg_xstrdup(path);
	return 0;
}

static void
names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * Write the stored documents of (fid, rid) into fdir/rid; *out_names
 * (OUT) the paths written, *out_n how many.
 */
static int
materialise(char ***out_names, size_t *out_n, struct sg_store *st,
    const struct sg_dir *fdir, const char *fid, const char *rid,
    struct sg_error *err)
{
	struct sg_dir rdir = SG_DIR_INIT;
	struct writer w = {&rdir, err, NULL, 0};
	int error;

	*out_names = NULL;
	*out_n = 0;
	if ((error = sg_dir_make(NULL, fdir, rid, 0700, err)) < 0 ||
	    (error = sg_dir_open(&rdir, fdir, rid, SG_DIR_NOFOLLOW, err)) < 0)
		goto out;
	error = sg_store_documents_foreach(st, fid, rid, write_cb, &w, err);
out:
	sg_dir_close(&rdir);
	if (error) {
		names_free(w.names, w.n);
		return error;
	}
	*out_names = w.names;
	*out_n = w.n;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The note naming what the manifest lists and the store does not keep:
 * those files were not checked.  The manifest is read from the stored
 * documents (names: sorted).
 */
static void
note_unstored(struct sg_evidence_report *r, const struct sg_dir *rdir,
    char **names, size_t n)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_manifest m;
	struct sg_buf text;
	struct sg_buf list;
	size_t missing = 0;
	const char *key;

	memset(&m, 0, sizeof(m));
	sg_buf_init(&text, 0);
	sg_buf_init(&list, 0);
	if (sg_evidence__read_entry(&text, rdir, SG_BUNDLE_MANIFEST,
		&mine) < 0 ||
	    sg_manifest_parse(&m, text.ptr, text.len, &mine) < 0)
		goto out; /* the verification reports it */
	for (size_t i = 0; i < m.nfiles; i++) {
		key = m.files[i].path;
		if (bsearch(&key, names, n, sizeof(*names), name_cmp))
			continue;
		if (missing < NOTE_NAMES_MAX)
			sg_buf_printf(&list, "%s%s", missing ? ", " : "", key);
		missing++;
	}
	if (missing > NOTE_NAMES_MAX)
		sg_buf_printf(&list, " and %zu more", missing - NOTE_NAMES_MAX);
	r->notes = sg_xreallocarray(r->notes, r->nnotes + 1,
	    sizeof(*r->notes));
	if (missing)
		r->notes[r->nnotes++] = sg_xasprintf("%zu of the %zu files the "
		    "manifest lists %s not in the store (logs and artifacts "
		    "stay with the bundle): not checked: %s", missing,
		    m.nfiles, missing == 1 ? "is" : "are", list.ptr);
	else
		r->notes[r->nnotes++] = sg_xasprintf("every file the manifest "
		    "lists is in the store (%zu)", m.nfiles);
out:
	sg_manifest_release(&m);
	sg_buf_release(&text);
	sg_buf_release(&list);
	sg_error_release(&mine);
}

/* s with every "<prefix>/" replaced by "store:" (malloc'd). */
static char *
unprefix(const char *s, const char *prefix)
{
	size_t k = strlen(prefix);
	struct sg_buf b;
	const char *hit;

	sg_buf_init(&b, 0);
	while ((hit = strstr(s, prefix)) && hit[k] == '/') {
		sg_buf_put(&b, s, (size_t)(hit - s));
		sg_buf_puts(&b, STORED_PREFIX);
		s = hit + k + 1;
	}
	sg_buf_puts(&b, s);
	return sg_buf_detach(&b, NULL);
}

static void
rename_report(struct sg_evidence_report *r, const char *prefix)
{
	char *s;

	for (size_t i = 0; i < r->nproblems; i++) {
		s = unprefix(r->problems[i].where, prefix);
		free(r->problems[i].where);
		r->problems[i].where = s;
		s = unprefix(r->problems[i].message, prefix);
		free(r->problems[i].message);
		r->problems[i].message = s;
	}
	for (size_t i = 0; i < r->nnotes; i++) {
		s = unprefix(r->notes[i], prefix);
		free(r->notes[i]);
		r->notes[i] = s;
	}
}

/* The run o names, *out (OUT; sg_run_free()). */
static int
find_run(struct sg_run **out, const struct sg_stored_verify_options *o,
    struct sg_error *err)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct found_run fr;
	int error;

	*out = NULL;
	memset(&fr, 0, sizeof(fr));
	if (!o->run_id || !sg_run_id_is_valid(o->run_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid run id '%.40s' (expected YYYYMMDDHHMMSS or "
		    "YYYYMMDDHHMMSS-N)", o->run_id ? o->run_id : "");
	if (!o->feature_id) {
		f.run_id = o->run_id;
		f.limit = 2;
		if ((error = sg_store_run_list(o->st, &f, find_cb, &fr,
			 err)) < 0)
			return error;
		if (fr.n == 0)
			return sg_error_set(err, SG_ENOTFOUND,
			    "store '%s' has no run %s",
			    sg_store_location(o->st), o->run_id);
		if (fr.n > 1)
			return sg_error_set(err, SG_EINVAL,
			    "run id %s names runs of several features in "
			    "store '%s': give FEATURE-ID/RUN-ID", o->run_id,
			    sg_store_location(o->st));
	}
	return sg_store_run_get(out, o->st, o->feature_id ? o->feature_id :
	    fr.fid, o->run_id, err);
}

int
sg_evidence_verify_stored(struct sg_evidence_report *out,
    const struct sg_stored_verify_options *o, struct sg_error *err)
{
	struct sg_bundle_verify_options bo = SG_BUNDLE_VERIFY_INIT;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_dir tmp = SG_DIR_INIT;
	struct sg_dir top = SG_DIR_INIT;
	struct sg_dir fdir = SG_DIR_INIT;
	struct sg_dir rdir = SG_DIR_INIT;
	struct sg_run *run = NULL;
	const char *tmpdir = o->tmpdir;
	char **names = NULL;
	char **pnames = NULL;
	size_t n = 0;
	size_t pn = 0;
	char *name = NULL;
	char *prefix = NULL;
	char *path = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (o->version != SG_STORED_VERIFY_VERSION || !o->st)
		SG_BUG("struct sg_stored_verify_options of an unknown version");
	if ((error = find_run(&run, o, err)) < 0)
		return error;
	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if ((error = sg_dir_open(&tmp, NULL, tmpdir, 0, err)) < 0 ||
	    (error = sg_dir_make_temp(&name, &tmp, "specgate-verify-", 0700,
		 err)) < 0)
		goto out;
	prefix = sg_evidence__join(tmpdir, name);
	if ((error = sg_dir_open(&top, &tmp, name, SG_DIR_NOFOLLOW, err)) < 0 ||
	    (error = sg_dir_make(NULL, &top, run->feature_id, 0700, err)) < 0 ||
	    (error = sg_dir_open(&fdir, &top, run->feature_id, SG_DIR_NOFOLLOW,
		 err)) < 0 ||
	    (error = materialise(&names, &n, o->st, &fdir, run->feature_id,
		 run->run_id, err)) < 0)
		goto out;
	if (!n) {
		out->problems = sg_xcalloc(1, sizeof(*out->problems));
		out->problems[0].where = sg_xasprintf(STORED_PREFIX "%s/%s",
		    run->feature_id, run->run_id);
		out->problems[0].message = sg_xasprintf("the store keeps no "
		    "document of this run (%s; a run sealed before this "
		    "specgate stored documents, or not sealed): it cannot be "
		    "verified from the store", run->status);
		out->nproblems = 1;
		error = sg_error_set(err, SG_EVERIFY,
		    "run %s of feature %s has no stored document",
		    run->run_id, run->feature_id);
		goto out;
	}
	/* The approved run a continuation continues, beside it. */
	if (run->continues && sg_run_id_is_valid(run->continues) &&
	    (error = materialise(&pnames, &pn, o->st, &fdir, run->feature_id,
		 run->continues, err)) < 0)
		goto out;
	qsort(names, n, sizeof(*names), name_cmp);
	path = sg_xasprintf("%s/%s/%s", prefix, run->feature_id, run->run_id);
	bo.path = path;
	bo.key = o->key;
	bo.st = o->st;
	bo.layout = o->layout;
	error = sg_evidence__verify_bundle(out, &bo, true, err);
	if (error && error != SG_EVERIFY)
		goto out;
	if (sg_dir_open(&rdir, &fdir, run->run_id, SG_DIR_NOFOLLOW,
		&mine) == 0)
		note_unstored(out, &rdir, names, n);
	rename_report(out, prefix);
	if (error == SG_EVERIFY) {
		sg_error_release(err);
		error = sg_error_set(err, SG_EVERIFY,
		    "%zu problem%s in run %s of feature %s (from the store)",
		    out->nproblems, out->nproblems == 1 ? "" : "s",
		    run->run_id, run->feature_id);
	}
out:
	sg_dir_close(&rdir);
	sg_dir_close(&fdir);
	sg_dir_close(&top);
	if (name && sg_dir_remove_tree(&tmp, name, &mine) < 0 && !error)
		error = sg_error_set(err, SG_EIO, "%s", mine.message);
	sg_dir_close(&tmp);
	names_free(names, n);
	names_free(pnames, pn);
	sg_run_free(run);
	sg_error_release(&mine);
	free(name);
	free(prefix);
	free(path);
	return error;
}
