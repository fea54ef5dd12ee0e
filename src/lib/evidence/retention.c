/* SPDX-License-Identifier: MIT */
/*
 * retention.c - `latest` and the archive (evidence_int.h, evidence.h).
 *
 * Both run under the feature's lock (an flock on reports/<fid>, taken by
 * every publisher), so that two runs finishing at once cannot point
 * `latest` at a run the other is archiving.  `latest` is the newest
 * published run by run id, not the last one to finish: with concurrent
 * runs, or a crashed run published later by reconciliation, "the last to
 * finish" would go backwards in time.  Retention keeps the newest
 * active_runs (>= 1) runs, so the run `latest` names is never archived.
 *
 * `latest` is replaced atomically: a new symlink latest.tmp, renamed over
 * latest (a stale latest.tmp from a crash is removed first; under the
 * lock nobody else can be making one).  Runs move with renameat2
 * (RENAME_NOREPLACE) to reports/archive/YYYYMMDD/<fid>/<run-id>, the date
 * being the run id's own; each directory created on the way, and both
 * directories of each rename, are fsynced.  Nothing is ever deleted.
 */
#include "evidence/evidence_int.h"

#include <string.h>

/* Point latest at name (NULL: remove it); *changed (OUT) if it moved. */
static int
set_latest(bool *changed, const struct sg_dir *fdir, const char *name,
    struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	char *cur = NULL;
	int error = 0;

	*changed = false;
	if (sg_dir_readlink(&cur, fdir, SG_EVIDENCE__LATEST, &mine) == 0 &&
	    name && !strcmp(cur, name))
		goto out;
	*changed = true;
	if (!name) {
		error = sg_dir_unlink(fdir, SG_EVIDENCE__LATEST, err);
		goto out;
	}
	if ((error = sg_dir_unlink(fdir, SG_EVIDENCE__LATEST_TMP, err)) < 0 ||
	    (error = sg_dir_symlink(fdir, SG_EVIDENCE__LATEST_TMP, name,
		 err)) < 0 ||
	    (error = sg_dir_rename(fdir, SG_EVIDENCE__LATEST_TMP, fdir,
		 SG_EVIDENCE__LATEST, 0, err)) < 0)
		goto out;
out:
	free(cur);
	sg_error_release(&mine);
	return error;
}

/* Open (creating, and syncing its parent if new) the directory name in d. */
static int
make_open(struct sg_dir *out, const struct sg_dir *d, const char *name,
    struct sg_error *err)
{
	bool created;
	int error;

	if ((error = sg_dir_make(&created, d, name, SG_EVIDENCE__DIR_MODE,
		 err)) < 0 ||
	    (created && (error = sg_dir_sync(d, err)) < 0))
		return error;
	return sg_dir_open(out, d, name, SG_DIR_NOFOLLOW, err);
}

/* Move run `name` of fdir to reports/archive/YYYYMMDD/<fid>/name. */
static int
archive_one(char **out_path, const struct sg_dir *reports,
    const struct sg_dir *fdir, const char *feature_id, const char *name,
    struct sg_error *err)
{
	struct sg_dir archive = SG_DIR_INIT;
	struct sg_dir day = SG_DIR_INIT;
	struct sg_dir dest = SG_DIR_INIT;
	char date[9];
	int error;

	*out_path = NULL;
	memcpy(date, name, 8);
	date[8] = '\0';
	if ((error = make_open(&archive, reports, SG_EVIDENCE__ARCHIVE,
		 err)) < 0 ||
	    (error = make_open(&day, &archive, date, err)) < 0 ||
	    (error = make_open(&dest, &day, feature_id, err)) < 0 ||
	    (error = sg_dir_rename(fdir, name, &dest, name, SG_DIR_NOREPLACE,
		 err)) < 0 ||
	    (error = sg_dir_sync(&dest, err)) < 0)
		goto out;
	*out_path = sg_evidence__join(dest.path, name);
out:
	sg_dir_close(&dest);
	sg_dir_close(&day);
	sg_dir_close(&archive);
	return error;
}

int
sg_evidence__retain(const struct sg_dir *reports, const struct sg_dir *fdir,
    const char *feature_id, unsigned active_runs, sg_evidence_note_cb cb,
    void *payload, struct sg_error *err)
{
	struct sg_dirent *runs = NULL;
	size_t n = 0;
	bool changed = false;
	char *moved = NULL;
	int error;

	if (active_runs < 1)
		active_runs = 1;
	if ((error = sg_evidence__list_runs(&runs, &n, fdir, err)) < 0 ||
	    (error = set_latest(&changed, fdir, n ? runs[n - 1].name : NULL,
		 err)) < 0)
		goto out;
	for (size_t i = 0; i + active_runs < n; i++) {
		if ((error = archive_one(&moved, reports, fdir, feature_id,
			 runs[i].name, err)) < 0)
			goto out;
		changed = true;
		if (cb)
			cb(feature_id, runs[i].name, moved, payload);
		free(moved);
		moved = NULL;
	}
out:
	/* The rename of latest and the moves are durable once fdir is. */
	if (changed && !error)
		error = sg_dir_sync(fdir, err);
	sg_dirent_free(runs, n);
	return error;
}

int
sg_evidence_archive(const struct sg_evidence_options *opts,
    const char *feature_id, sg_evidence_note_cb cb, void *payload,
    struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_dir reports = SG_DIR_INIT;
	struct sg_dir fdir = SG_DIR_INIT;
	struct sg_dirent *ents = NULL;
	size_t n = 0;
	char *path;
	int error;

	path = sg_evidence__reports_path(opts);
	error = sg_dir_open(&reports, NULL, path, 0, &mine);
	free(path);
	/* No reports directory: nothing to keep or move. */
	if (error == SG_ENOTFOUND)
		error = 0;
	else if (error)
		sg_error_set(err, error, "%s", mine.message);
	sg_error_release(&mine);
	if (reports.fd < 0 ||
	    (error = sg_dir_list(&ents, &n, &reports, NULL, err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (ents[i].type != SG_FS_DIR ||
		    !sg_feature_id_is_valid(ents[i].name) ||
		    (feature_id && strcmp(feature_id, ents[i].name)))
			continue;
		if ((error = sg_dir_open(&fdir, &reports, ents[i].name,
			 SG_DIR_NOFOLLOW, err)) < 0 ||
		    (error = sg_dir_lock(NULL, &fdir, true, err)) < 0 ||
		    (error = sg_evidence__retain(&reports, &fdir,
			 ents[i].name, opts->active_runs, cb, payload,
			 err)) < 0)
			goto out;
		sg_dir_close(&fdir);
	}
out:
	sg_dir_close(&fdir);
	sg_dirent_free(ents, n);
	sg_dir_close(&reports);
	return error;
}
