/* SPDX-License-Identifier: MIT */
/*
 * source.c - where a run's sources come from (sg_branch_source()): the
 * repository's `origin` URL (credentials masked), HEAD's ref and commit,
 * and whether the working tree is dirty, for the run's provenance
 * (resolvedDependencies) and manifest (`source`).
 *
 * Read only: nothing here writes to the repository.  Dirty means a
 * tracked file differs from HEAD in the index or the working tree;
 * untracked files do not count (reports/ and build output are usually
 * untracked), as `git describe --dirty` counts.
 */
#include "branch/branch_int.h"

static int
is_dirty(bool *dirty, git_repository *repo)
{
	git_status_options so;
	git_status_list *list = NULL;
	int rc;

	if ((rc = git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION)) < 0)
		return rc;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if ((rc = git_status_list_new(&list, repo, &so)) < 0)
		return rc;
	*dirty = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	return 0;
}

int
sg_branch_source(struct sg_branch_source *out, const char *root,
    struct sg_error *err)
{
	git_repository *repo = NULL;
	git_remote *origin = NULL;
	git_reference *head = NULL;
	const git_oid *oid;
	int error = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((error = sg_branch__git_init(err)) < 0)
		return error;
	rc = git_repository_open_ext(&repo, root, 0,
	    getenv("GIT_CEILING_DIRECTORIES"));
	if (rc == GIT_ENOTFOUND)
		goto out;
	if (rc < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot open the git repository");
		goto out;
	}
	out->found = true;
	if (git_remote_lookup(&origin, repo, "origin") == 0 &&
	    git_remote_url(origin))
		out->url = sg_url_mask(git_remote_url(origin));
	if (git_repository_head(&head, repo) == 0) {
		if (!git_repository_head_detached(repo))
			out->ref = sg_xstrdup(git_reference_name(head));
		if ((oid = git_reference_target(head)))
			git_oid_tostr(out->commit, sizeof(out->commit), oid);
	}
	if (!git_repository_is_bare(repo) &&
	    (rc = is_dirty(&out->dirty, repo)) < 0)
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot read the git status");
out:
	git_reference_free(head);
	git_remote_free(origin);
	git_repository_free(repo);
	git_libgit2_shutdown();
	if (error)
		sg_branch_source_release(out);
	return error;
}

void
sg_branch_source_release(struct sg_branch_source *s)
{
	free(s->url);
	free(s->ref);
	memset(s, 0, sizeof(*s));
}
