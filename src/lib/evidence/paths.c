/* SPDX-License-Identifier: MIT */
/*
 * paths.c - the names of the reports tree (evidence_int.h): the runs of a
 * feature in order (sg_run_id_cmp(), specgate/ids.h: plain strcmp() would
 * put "-10" before "-2"), where a run's bundle is, and how paths are
 * spelled for people (relative to the cwd) and for the store (relative to
 * the project root).
 */
#include "evidence/evidence_int.h"

#include <string.h>

#include "specgate/ids.h"

char *
sg_evidence__join(const char *dir, const char *name)
{
	if (!dir || !*dir || !strcmp(dir, "."))
		return sg_xstrdup(name);
	if (dir[strlen(dir) - 1] == '/')
		return sg_xasprintf("%s%s", dir, name);
	return sg_xasprintf("%s/%s", dir, name);
}

char *
sg_evidence__reports_path(const struct sg_evidence_options *o)
{
	if (o->reports[0] == '/')
		return sg_xstrdup(o->reports);
	return sg_evidence__join(o->root, o->reports);
}

char *
sg_evidence__store_path(const struct sg_evidence_options *o, const char *rel)
{
	return sg_evidence__join(o->reports, rel);
}

static int
run_dirent_cmp(const void *a, const void *b)
{
	const struct sg_dirent *x = a;
	const struct sg_dirent *y = b;

	return sg_run_id_cmp(x->name, y->name);
}

int
sg_evidence__list_runs(struct sg_dirent **out, size_t *n,
    const struct sg_dir *fdir, struct sg_error *err)
{
	struct sg_dirent *list;
	size_t len;
	size_t k = 0;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = sg_dir_list(&list, &len, fdir, NULL, err)) < 0)
		return error;
	for (size_t i = 0; i < len; i++) {
		if (list[i].type == SG_FS_DIR &&
		    sg_run_id_is_valid(list[i].name)) {
			list[k++] = list[i];
		} else {
			free(list[i].name);
		}
	}
	if (k)
		qsort(list, k, sizeof(*list), run_dirent_cmp);
	*out = list;
	*n = k;
	return 0;
}

int
sg_evidence_locate(char **out_path, enum sg_bundle_where *out_where,
    const struct sg_evidence_options *opts, const char *feature_id,
    const char *run_id, const char *staging, struct sg_error *err)
{
	char *reports;
	char *path;
	char *rel;

	*out_path = NULL;
	*out_where = SG_BUNDLE_NONE;
	if (!sg_feature_id_is_valid(feature_id) ||
	    !sg_run_id_is_valid(run_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid feature id or run id");
	reports = sg_evidence__reports_path(opts);
	rel = sg_xasprintf("%s/%s", feature_id, run_id);
	path = sg_evidence__join(reports, rel);
	free(rel);
	if (sg_fs_is_dir(path)) {
		*out_where = SG_BUNDLE_ACTIVE;
		goto out;
	}
	free(path);
	rel = sg_xasprintf(SG_EVIDENCE__ARCHIVE "/%.8s/%s/%s", run_id,
	    feature_id, run_id);
	path = sg_evidence__join(reports, rel);
	free(rel);
	if (sg_fs_is_dir(path)) {
		*out_where = SG_BUNDLE_ARCHIVED;
		goto out;
	}
	free(path);
	path = NULL;
	/* The staging directory that the store recorded, if it is one. */
	if (staging && strstr(staging, "/" SG_EVIDENCE__STAGING_PREFIX) &&
	    !strstr(staging, "..")) {
		path = sg_evidence__join(opts->root, staging);
		if (sg_fs_is_dir(path)) {
			*out_where = SG_BUNDLE_PENDING;
			goto out;
		}
		free(path);
		path = NULL;
	}
out:
	free(reports);
	*out_path = path;
	return 0;
}

#define LIST_MAX_DEPTH 8

static int
list_tree(struct sg_evidence__listing *l, const struct sg_dir *d,
    const char *prefix, unsigned depth, struct sg_error *err)
{
	struct sg_dir sub = SG_DIR_INIT;
	struct sg_dirent *ents = NULL;
	size_t n = 0;
	char *rel;
	int error;

	if ((error = sg_dir_list(&ents, &n, d, NULL, err)) < 0)
		return error;
	for (size_t i = 0; i < n && !error; i++) {
		rel = prefix ? sg_xasprintf("%s/%s", prefix, ents[i].name) :
			       sg_xstrdup(ents[i].name);
		if (ents[i].type == SG_FS_DIR && depth < LIST_MAX_DEPTH) {
			error = sg_dir_open(&sub, d, ents[i].name,
			    SG_DIR_NOFOLLOW, err);
			if (!error)
				error = list_tree(l, &sub, rel, depth + 1,
				    err);
			sg_dir_close(&sub);
			free(rel);
			continue;
		}
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 16;
			l->paths = sg_xreallocarray(l->paths, l->cap,
			    sizeof(*l->paths));
			l->types = sg_xreallocarray(l->types, l->cap,
			    sizeof(*l->types));
		}
		l->paths[l->n] = rel;
		l->types[l->n] = ents[i].type;
		l->n++;
	}
	sg_dirent_free(ents, n);
	return error;
}

void
sg_evidence__listing_release(struct sg_evidence__listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->types);
}

int
sg_evidence__list_files(struct sg_evidence__listing *out,
    const struct sg_dir *d, struct sg_error *err)
{
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = list_tree(out, d, NULL, 0, err)) < 0)
		sg_evidence__listing_release(out);
	return error;
}
