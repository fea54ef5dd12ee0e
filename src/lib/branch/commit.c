/* SPDX-License-Identifier: MIT */
/*
 * commit.c - commit files on the feature branch without a checkout.
 *
 * The user's working tree, index and HEAD belong to the user: a run that
 * checked the feature branch out, or staged files in the index, would fight
 * with whatever the user is doing in that directory.  So the commit is built
 * from objects only: each file becomes a blob (read from disk through
 * sys/fs, capped), git_tree_create_updated() applies the blobs to the tip's
 * tree (only the directories on the changed paths are rewritten), and the
 * branch ref moves with a compare-and-swap from the tip that was read, so a
 * concurrent writer makes this commit fail (SG_EGATE) instead of being
 * silently overwritten.
 *
 * Paths are sorted and de-duplicated first: libgit2 leaves an update list
 * that names one path twice undefined.
 */
#include "branch/branch_int.h"

#include "sys/fs.h"
#include "util/utctime.h"

#define MAX_FILE (64u << 20)

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A path relative to the project root, with no way out of it. */
static bool
valid_path(const char *p)
{
	const char *c = p;
	size_t n;

	if (!*p || *p == '/')
		return false;
	while (*c) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.') ||
		    (n == 4 && !strncmp(c, ".git", 4)))
			return false;
		c += n;
		if (*c == '/')
			c++;
		if (!*c && c[-1] == '/')
			return false;
	}
	return true;
}

/*
 * Fill u for the file `rel` of the project: an upsert of its bytes, a
 * removal when it is gone and in `base`, or nothing (*skip, OUT) when it is
 * gone and was never committed.  u->path is malloc'd (the repo path).
 */
static int
prepare(git_tree_update *u, bool *skip, git_repository *repo,
    git_tree *base, const struct sg_branch_claim *claim, const char *rel,
    struct sg_error *err)
{
	struct sg_buf data;
	git_tree_entry *e = NULL;
	char *fs_path;
	char *repo_path;
	uint64_t size;
	unsigned perm = 0;
	int fd = -1;
	int error;

	*skip = false;
	sg_buf_init(&data, MAX_FILE);
	fs_path = sg_xasprintf("%s/%s", claim->root, rel);
	repo_path = sg_xasprintf("%s%s", claim->prefix, rel);
	error = sg_fs_open_read(&fd, fs_path, SG_FS_NOFOLLOW, &size, err);
	if (error == SG_ENOTFOUND) {
		sg_error_release(err);
		if (!base || git_tree_entry_bypath(&e, base, repo_path) < 0) {
			*skip = true;
			error = 0;
			goto out;
		}
		u->action = GIT_TREE_UPDATE_REMOVE;
		error = 0;
		goto done;
	}
	if (error < 0 ||
	    (error = sg_fs_read_fd(&data, fd, fs_path, size, MAX_FILE, err)) <
		0 ||
	    (error = sg_fs_perm(&perm, fs_path, err)) < 0)
		goto out;
	if (git_blob_create_from_buffer(&u->id, repo, data.ptr, data.len) <
	    0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot write a blob");
		goto out;
	}
	u->action = GIT_TREE_UPDATE_UPSERT;
	u->filemode = (perm & 0111) ? GIT_FILEMODE_BLOB_EXECUTABLE :
				      GIT_FILEMODE_BLOB;
done:
	u->path = repo_path;
	repo_path = NULL;
out:
	sg_fs_close(fd);
	git_tree_entry_free(e);
	sg_buf_release(&data);
	free(fs_path);
	free(repo_path);
	return error;
}

/*
 * The message with its trailers, malloc'd.  Specgate-Run-Id only when a
 * run claimed the branch (`specgate branch --commit` has none).
 */
static char *
message(const struct sg_branch_claim *claim, enum sg_branch_commit_kind kind)
{
	bool autofix = kind == SG_BRANCH_COMMIT_AUTOFIX;
	char subject[64];
	char run[96] = "";

	if (autofix)
		snprintf(subject, sizeof(subject), "auto-fix: minor issues");
	else
		snprintf(subject, sizeof(subject),
		    "feat(auto): implement spec %s", claim->feature_id);
	if (claim->run_id[0])
		snprintf(run, sizeof(run), "Specgate-Run-Id: %s\n",
		    claim->run_id);
	return sg_xasprintf("%s\n\nSpecgate-Feature-Id: %s\n%s"
			    "Specgate-Stage: %s\n",
	    subject, claim->feature_id, run, autofix ? "validate" : "generate");
}

/* user.name/user.email of the repository, at `when`. */
static int
signature(git_signature **out, git_repository *repo,
    struct sg_error *err)
{
	git_signature *def = NULL;
	time_t when = sg_utc_report_now();
	int error = 0;

	if (git_signature_default(&def, repo) == 0)
		error = git_signature_new(out, def->name, def->email,
		    (git_time_t)when, 0);
	else
		error = git_signature_new(out, "specgate",
		    "specgate@localhost", (git_time_t)when, 0);
	if (error < 0)
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot make the commit signature");
	git_signature_free(def);
	return error;
}

/* The empty tree, for the root commit of an unborn branch. */
static int
empty_tree(git_tree **out, git_repository *repo, struct sg_error *err)
{
	git_treebuilder *tb = NULL;
	git_oid oid;
	int error = 0;

	if (git_treebuilder_new(&tb, repo, NULL) < 0 ||
	    git_treebuilder_write(&oid, tb) < 0 ||
	    git_tree_lookup(out, repo, &oid) < 0)
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot write a tree");
	git_treebuilder_free(tb);
	return error;
}

/* Read the branch tip (parent, base tree) or, when unborn, none. */
static int
read_tip(git_commit **parent, git_tree **base, git_repository *repo,
    const char *bref, const struct sg_branch_claim *claim,
    struct sg_error *err)
{
	git_oid tip;
	int rc;

	*parent = NULL;
	*base = NULL;
	rc = git_reference_name_to_id(&tip, repo, bref);
	if (rc == GIT_ENOTFOUND && claim->unborn)
		return empty_tree(base, repo, err);
	if (rc == GIT_ENOTFOUND)
		return sg_error_set(err, SG_EGATE,
		    "branch '%s' was deleted since it was claimed",
		    claim->name);
	if (rc < 0 || git_commit_lookup(parent, repo, &tip) < 0 ||
	    git_commit_tree(base, *parent) < 0)
		return sg_branch__git_error(err, SG_EIO,
		    "cannot read the branch");
	return 0;
}

/* Move (or create) the branch ref to `oid`, from `parent`'s id. */
static int
move_ref(git_repository *repo, const char *bref, const git_oid *oid,
    const git_commit *parent, const struct sg_branch_claim *claim,
    struct sg_error *err)
{
	git_reference *ref = NULL;
	int rc;

	if (parent)
		rc = git_reference_create_matching(&ref, repo, bref, oid, 1,
		    git_commit_id(parent), "specgate: commit");
	else
		rc = git_reference_create(&ref, repo, bref, oid, 0,
		    "specgate: commit (initial)");
	git_reference_free(ref);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS)
		return sg_error_set(err, SG_EGATE,
		    "branch '%s' moved while committing; nothing committed",
		    claim->name);
	if (rc < 0)
		return sg_branch__git_error(err, SG_EIO,
		    "cannot update the branch");
	return 0;
}

/*
 * The updates for `paths`: *out (OUT) an array of *nout entries whose
 * paths are malloc'd.
 */
static int
collect(git_tree_update **out, size_t *nout, git_repository *repo,
    git_tree *base, const struct sg_branch_claim *claim,
    const char *const *paths, size_t npaths, struct sg_error *err)
{
	const char **sorted;
	git_tree_update *u;
	size_t n = 0;
	bool skip;
	int error = 0;

	sorted = sg_xreallocarray(NULL, npaths ? npaths : 1, sizeof(*sorted));
	u = sg_xcalloc(npaths ? npaths : 1, sizeof(*u));
	for (size_t i = 0; i < npaths; i++) {
		if (!valid_path(paths[i])) {
			error = sg_error_set(err, SG_EINVAL,
			    "'%s' is not a path inside the project",
			    paths[i]);
			goto out;
		}
		sorted[i] = paths[i];
	}
	qsort(sorted, npaths, sizeof(*sorted), cmp_str);
	for (size_t i = 0; i < npaths; i++) {
		if (i && !strcmp(sorted[i], sorted[i - 1]))
			continue;
		if ((error = prepare(&u[n], &skip, repo, base, claim,
			 sorted[i], err)) < 0)
			goto out;
		if (!skip)
			n++;
	}
out:
	free(sorted);
	*out = u;
	*nout = n;
	return error;
}

int
sg_branch_commit(struct sg_branch_commit_result *out,
    const struct sg_branch_claim *claim, enum sg_branch_commit_kind kind,
    const char *const *paths, size_t npaths, struct sg_error *err)
{
	git_repository *repo = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_tree_update *u = NULL;
	git_oid tree_oid;
	git_oid oid;
	char bref[128];
	char *msg = NULL;
	size_t nu = 0;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if ((error = sg_branch__git_init(err)) < 0)
		return error;
	if ((claim->status != SG_BRANCH_CREATED &&
		claim->status != SG_BRANCH_REUSED) ||
	    !claim->workdir) {
		error = sg_error_set(err, SG_EINVAL,
		    "no feature branch was claimed");
		goto out;
	}
	if (git_repository_open(&repo, claim->workdir) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot open the git repository");
		goto out;
	}
	sg_branch__ref_name(bref, sizeof(bref), "refs/heads/", claim->name);
	if ((error = read_tip(&parent, &base, repo, bref, claim, err)) < 0 ||
	    (error = collect(&u, &nu, repo, base, claim, paths, npaths,
		 err)) < 0)
		goto out;
	if (git_tree_create_updated(&tree_oid, repo, base, nu, u) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_oid) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot write a tree");
		goto out;
	}
	if (!parent && !nu)
		goto out; /* nothing to give an unborn branch yet */
	if (parent && git_oid_equal(&tree_oid, git_tree_id(base))) {
		git_oid_tostr(out->commit, sizeof(out->commit),
		    git_commit_id(parent));
		goto out;
	}
	msg = message(claim, kind);
	if ((error = signature(&sig, repo, err)) < 0)
		goto out;
	if (git_commit_create(&oid, repo, NULL, sig, sig, NULL, msg, tree,
		parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		error = sg_branch__git_error(err, SG_EIO, "cannot commit");
		goto out;
	}
	if ((error = move_ref(repo, bref, &oid, parent, claim, err)) < 0)
		goto out;
	out->committed = true;
	out->nchanged = nu;
	git_oid_tostr(out->commit, sizeof(out->commit), &oid);
out:
	for (size_t i = 0; u && i < nu; i++)
		free((char *)u[i].path);
	free(u);
	free(msg);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return error;
}

struct changes {
	struct sg_vec v;
	const char *prefix;
	const char *const *exclude;
	size_t nexclude;
};

/* `rel` is `dir` or below it. */
static bool
below(const char *rel, const char *dir)
{
	size_t n = strlen(dir);

	while (n && dir[n - 1] == '/')
		n--;
	return n && !strncmp(rel, dir, n) && (!rel[n] || rel[n] == '/');
}

/* Collect one delta's path, relative to the project root. */
static void
add_change(struct changes *c, const git_diff_delta *d)
{
	const char *path = d->new_file.path ? d->new_file.path :
					      d->old_file.path;
	size_t n = strlen(c->prefix);

	if (strncmp(path, c->prefix, n) || !path[n])
		return;
	for (size_t i = 0; i < c->nexclude; i++)
		if (below(path + n, c->exclude[i]))
			return;
	sg_vec_push(&c->v, sg_xstrdup(path + n));
}

/*
 * Keep the excluded directories out of the work-tree walk, not only out of
 * the result: the reports directory grows with every run (bundles, the
 * archive) and walking it made a run's cost grow with history.  An
 * in-memory ignore rule ("/<prefix><dir>/", anchored, this repository
 * object only, nothing written) stops libgit2 from descending into the
 * untracked directory; tracked files below it still show up and
 * add_change() drops them as before.  A directory whose name holds
 * anything that is special to gitignore patterns gets no rule: add_change()
 * still filters it, at the old cost.
 */
static void
ignore_excluded(git_repository *repo, const struct changes *c)
{
	struct sg_buf rules;
	size_t n;

	sg_buf_init(&rules, 0);
	for (size_t i = 0; i < c->nexclude; i++) {
		const char *x = c->exclude[i];

		n = strlen(x);
		while (n && x[n - 1] == '/')
			n--;
		if (!n || x[0] == '/' || strspn(x, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") < n)
			continue;
		sg_buf_printf(&rules, "/%s%.*s/\n", c->prefix, (int)n, x);
	}
	if (rules.len)
		(void)git_ignore_add_rule(repo, rules.ptr);
	sg_buf_release(&rules);
}

int
sg_branch_changes(char ***out, size_t *n,
    const struct sg_branch_claim *claim, const char *const *exclude,
    size_t nexclude, struct sg_error *err)
{
	git_diff_options opts;
	git_repository *repo = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL;
	git_diff *diff = NULL;
	struct changes c = {SG_VEC_INIT, claim->prefix, exclude, nexclude};
	char bref[128];
	char *spec = NULL;
	int error = 0;

	*out = NULL;
	*n = 0;
	if ((error = sg_branch__git_init(err)) < 0)
		return error;
	/* GIT_DIFF_OPTIONS_INIT trips -Wmissing-field-initializers */
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if ((claim->status != SG_BRANCH_CREATED &&
		claim->status != SG_BRANCH_REUSED) ||
	    !claim->workdir) {
		error = sg_error_set(err, SG_EINVAL,
		    "no feature branch was claimed");
		goto out;
	}
	if (git_repository_open(&repo, claim->workdir) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot open the git repository");
		goto out;
	}
	sg_branch__ref_name(bref, sizeof(bref), "refs/heads/", claim->name);
	if ((error = read_tip(&parent, &base, repo, bref, claim, err)) < 0)
		goto out;
	ignore_excluded(repo, &c);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED |
	    GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	if (claim->prefix[0]) {
		/* "svc/" -> the pathspec "svc": that directory only */
		spec = sg_xstrndup(claim->prefix, strlen(claim->prefix) - 1);
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_diff_tree_to_workdir(&diff, repo, base, &opts) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot compare the working tree");
		goto out;
	}
	/*
	 * The deltas alone: git_diff_foreach() would also load each file's
	 * diff driver (attributes, a realpath() per file) for nothing.
	 */
	for (size_t i = 0, nd = git_diff_num_deltas(diff); i < nd; i++)
		add_change(&c, git_diff_get_delta(diff, i));
	if (c.v.len)
		qsort(c.v.items, c.v.len, sizeof(*c.v.items), cmp_str);
	*n = c.v.len;
	sg_vec_push(&c.v, NULL);
	*out = (char **)c.v.items;
	c.v.items = NULL;
out:
	for (size_t i = 0; c.v.items && i < c.v.len; i++)
		free(c.v.items[i]);
	sg_vec_release(&c.v);
	free(spec);
	git_diff_free(diff);
	git_tree_free(base);
	git_commit_free(parent);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return error;
}
