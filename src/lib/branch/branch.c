/* SPDX-License-Identifier: MIT */
/*
 * branch.c - claiming the feature branch of a spec (branch.h has the
 * rules; docs/internals/branch.md the reasoning).
 *
 * For each candidate name, in order (the plain name, then -v2 .. -v5 in
 * sandbox):
 *
 *	1. its claim ref names another run that is still active: taken (held)
 *	2. the branch exists with a commit of its own that lacks our trailer:
 *	   taken (foreign commit)
 *	3. otherwise take the claim ref (create it, or compare-and-swap over a
 *	   dead run's), then create the branch at HEAD's commit if it does not
 *	   exist yet: claimed
 *
 * "A commit of its own" is what `git log B --not --branches --remotes`
 * lists, specgate's branches left out of the --not side: the history the
 * branch shares with the user's branches is the base it was made from, not
 * work on it.  Recording the base at creation time was the alternative;
 * it needs one more ref per branch and still breaks when the user merges
 * the feature branch into main (the base moves), which this rule gets
 * right.
 *
 * The claim ref points at a blob, not a commit, so that `git log --all`
 * shows no claim noise; git keeps blobs named by refs through gc.  Losing
 * a race for a claim ref (EEXISTS, EMODIFIED) means another run got it
 * first: the candidate is held.
 */
#include "specgate/branch.h"

#include "branch/branch_int.h"
#include "specgate/ids.h"
#include "specgate/store.h"
#include "sys/fs.h"
#include "sys/path.h"

/* Stop walking a branch's own history after this many commits. */
#define MAX_WALK 100000

int
sg_branch__git_error(struct sg_error *err, int code, const char *what)
{
	const git_error *e = git_error_last();

	return sg_error_set(err, code, "%s: %s", what,
	    e && e->message ? e->message : "libgit2 failed");
}

void
sg_branch__ref_name(char *out, size_t size, const char *prefix,
    const char *name)
{
	snprintf(out, size, "%s%s", prefix, name);
}

/*
 * libgit2's global state (with the mbedTLS backend: the system CA bundle,
 * parsed from base64 at every init) is built when its init count goes from
 * 0 to 1 and freed when it returns to 0.  Each branch call pairs init with
 * shutdown, so a run built and freed it four times: about a tenth of a
 * run's CPU.  The first init of the process takes one more reference,
 * never released, so the state is built once and lives until exit (the
 * count is atomic in libgit2, so only one caller ever sees 1).
 */
static const char *const git_names[] = {
#define NAME_(sym) #sym,
	GIT_SYMS(NAME_)
#undef NAME_
	NULL};
struct sg_branch__git sg_branch__git_fn;
_Static_assert(sizeof(sg_branch__git_fn) ==
    (sizeof(git_names) / sizeof(char *) - 1) * sizeof(void *),
    "a table of pointers only");
struct sg_dl sg_branch__git_dl = {SG_SONAME_GIT2, git_names,
    &sg_branch__git_fn, 0, ""};

int
sg_branch__git_init(struct sg_error *err)
{
	int error;

	if ((error = sg_dl_load(&sg_branch__git_dl, err)) < 0)
		return error;
	if (git_libgit2_init() == 1)
		(void)git_libgit2_init();
	return 0;
}

bool
sg_branch__is_ours(const char *message, const char *feature_id)
{
	git_message_trailer_array arr = {0};
	bool ours = false;

	if (git_message_trailers(&arr, message) < 0)
		return false;
	for (size_t i = 0; i < arr.count; i++)
		if (!strcmp(arr.trailers[i].key, "Specgate-Feature-Id") &&
		    !strcmp(arr.trailers[i].value, feature_id))
			ours = true;
	git_message_trailer_array_free(&arr);
	return ours;
}

const char *
sg_branch_status_name(enum sg_branch_status status)
{
	switch (status) {
	case SG_BRANCH_CREATED:
		return "created";
	case SG_BRANCH_REUSED:
		return "reused";
	case SG_BRANCH_TAKEN:
		return "taken";
	case SG_BRANCH_NO_REPO:
		return "no-repository";
	}
	return "unknown";
}

const char *
sg_branch_reason_name(enum sg_branch_reason reason)
{
	return reason == SG_BRANCH_HELD ? "held-by-run" : "foreign-commit";
}

bool
sg_branch_finding(const struct sg_branch_claim *claim, enum sg_mode mode)
{
	if (claim->status == SG_BRANCH_TAKEN)
		return true;
	return claim->status == SG_BRANCH_NO_REPO &&
	    mode == SG_MODE_COMPLIANCE;
}

bool
sg_branch_store_is_active(const char *feature_id, const char *run_id,
    void *payload)
{
	struct sg_store *st = payload;
	struct sg_run *run = NULL;
	bool active = false;

	if (sg_store_run_get(&run, st, feature_id, run_id, NULL) == 0)
		active = !sg_run_status_final(run->status_enum);
	sg_run_free(run);
	return active;
}

void
sg_branch_claim_release(struct sg_branch_claim *claim)
{
	if (!claim)
		return;
	free(claim->workdir);
	free(claim->prefix);
	free(claim->root);
	claim->workdir = claim->prefix = claim->root = NULL;
}

/*
 * The project root inside the repository's working directory: *out "" or
 * "sub/dir/" (malloc'd).  Both are resolved first (/tmp may be a link).
 */
static int
root_prefix(char **out, const char *workdir, const char *root,
    struct sg_error *err)
{
	char *w = NULL;
	char *r = NULL;
	size_t n;
	int error;

	*out = NULL;
	if ((error = sg_path_realpath(&w, workdir, err)) < 0 ||
	    (error = sg_path_realpath(&r, root, err)) < 0)
		goto out;
	n = strlen(w);
	if (!strcmp(w, r))
		*out = sg_xstrdup("");
	else if (!strcmp(w, "/"))
		*out = sg_xasprintf("%s/", r + 1);
	else if (!strncmp(w, r, n) && r[n] == '/')
		*out = sg_xasprintf("%s/", r + n + 1);
	else
		error = sg_error_set(err, SG_EINVAL,
		    "project root '%s' is outside the working tree '%s'", r,
		    w);
out:
	free(w);
	free(r);
	return error;
}

/* The run id a claim ref names, into holder (OUT, size bytes). */
static int
read_claim(char *holder, size_t size, git_repository *repo,
    const git_oid *oid, struct sg_error *err)
{
	git_blob *blob = NULL;
	const char *p;
	size_t len;
	size_t i;
	int error = 0;

	holder[0] = '\0';
	if (git_blob_lookup(&blob, repo, oid) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot read a claim ref");
		goto out;
	}
	p = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (len < 4 || memcmp(p, "run ", 4))
		goto out; /* not ours to read: held by nobody we know */
	for (i = 4; i < len && p[i] != '\n' && i - 4 + 1 < size; i++)
		holder[i - 4] = p[i];
	holder[i - 4] = '\0';
out:
	git_blob_free(blob);
	return error;
}

/*
 * Hide, in walk, every local and remote-tracking branch that is not a
 * specgate branch: what is left of `tip` is the branch's own history.
 */
static int
hide_other_branches(git_revwalk *walk, git_repository *repo,
    struct sg_error *err)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	const char *name;
	int rc;
	int error = 0;

	if (git_reference_iterator_new(&it, repo) < 0) {
		error = sg_branch__git_error(err, SG_EIO, "cannot list refs");
		goto out;
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		name = git_reference_name(ref);
		if ((!strncmp(name, "refs/heads/", 11) ||
			!strncmp(name, "refs/remotes/", 13)) &&
		    !strstr(name, "/" SG_BRANCH_PREFIX) &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			if (git_revwalk_hide(walk, git_object_id(obj)) < 0)
				error = sg_branch__git_error(err, SG_EIO,
				    "cannot walk history");
			git_object_free(obj);
			obj = NULL;
		}
		git_reference_free(ref);
		ref = NULL;
		if (error)
			goto out;
	}
	if (rc != GIT_ITEROVER)
		error = sg_branch__git_error(err, SG_EIO, "cannot list refs");
out:
	git_reference_iterator_free(it);
	return error;
}

/*
 * The first commit of the branch's own history without our trailer, into
 * foreign (OUT, hex; "" when there is none).
 */
static int
find_foreign(char *foreign, git_repository *repo, const git_oid *tip,
    const char *feature_id, struct sg_error *err)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid oid;
	size_t n = 0;
	int rc;
	int error = 0;

	foreign[0] = '\0';
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_push(walk, tip) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot walk history");
		goto out;
	}
	if ((error = hide_other_branches(walk, repo, err)) < 0)
		goto out;
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		if (git_commit_lookup(&c, repo, &oid) < 0) {
			error = sg_branch__git_error(err, SG_EIO,
			    "cannot read a commit");
			goto out;
		}
		if (!sg_branch__is_ours(git_commit_message(c), feature_id) ||
		    ++n > MAX_WALK) {
			git_oid_tostr(foreign, SG_BRANCH_OID_SIZE, &oid);
			goto out;
		}
		git_commit_free(c);
		c = NULL;
	}
	if (rc != GIT_ITEROVER)
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot walk history");
out:
	git_commit_free(c);
	git_revwalk_free(walk);
	return error;
}

/*
 * Take the claim ref `cref` for run_id.  `old` is its current value (NULL:
 * none).  *won (OUT) false when another run got there first.
 */
static int
take_claim(bool *won, git_repository *repo, const char *cref,
    const git_oid *old, const char *run_id, struct sg_error *err)
{
	git_reference *ref = NULL;
	git_oid blob;
	char text[96];
	int rc;
	int error = 0;

	*won = false;
	snprintf(text, sizeof(text), "run %s\n", run_id);
	if (git_blob_create_from_buffer(&blob, repo, text, strlen(text)) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot write a claim");
		goto out;
	}
	if (old)
		rc = git_reference_create_matching(&ref, repo, cref, &blob, 1,
		    old, "specgate: take over a dead run's claim");
	else
		rc = git_reference_create(&ref, repo, cref, &blob, 0,
		    "specgate: claim");
	if (rc == GIT_EEXISTS || rc == GIT_EMODIFIED)
		goto out;
	if (rc < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot write a claim");
		goto out;
	}
	*won = true;
out:
	git_reference_free(ref);
	return error;
}

/* Outcome of one candidate. */
enum verdict { V_TAKEN, V_CLAIMED };

/*
 * Try the candidate out->name: fill out->tip, out->status or a new entry
 * of out->skipped.  *v (OUT) says which.
 */
static int
try_candidate(enum verdict *v, struct sg_branch_claim *out,
    git_repository *repo, const git_oid *head,
    const struct sg_branch_options *o, struct sg_error *err)
{
	struct sg_branch_skip *skip = &out->skipped[out->nskipped];
	char bref[128];
	char cref[128];
	char holder[64];
	git_reference *ref = NULL;
	git_oid tip;
	git_oid cur;
	bool have_claim = false;
	bool exists;
	bool won;
	int rc;
	int error = 0;

	*v = V_TAKEN;
	memset(skip, 0, sizeof(*skip));
	snprintf(skip->name, sizeof(skip->name), "%s", out->name);
	sg_branch__ref_name(bref, sizeof(bref), "refs/heads/", out->name);
	sg_branch__ref_name(cref, sizeof(cref), SG_BRANCH_CLAIM_PREFIX,
	    out->name);

	holder[0] = '\0';
	rc = git_reference_name_to_id(&cur, repo, cref);
	if (rc == 0) {
		have_claim = true;
		if ((error = read_claim(holder, sizeof(holder), repo, &cur,
			 err)) < 0)
			goto out;
		if (!(o->run_id && !strcmp(holder, o->run_id)) &&
		    (!o->is_active ||
			o->is_active(o->feature_id, holder, o->payload))) {
			skip->reason = SG_BRANCH_HELD;
			snprintf(skip->holder, sizeof(skip->holder), "%s",
			    holder[0] ? holder : "?");
			goto taken;
		}
	} else if (rc != GIT_ENOTFOUND) {
		error = sg_branch__git_error(err, SG_EIO, "cannot read a ref");
		goto out;
	}

	rc = git_reference_name_to_id(&tip, repo, bref);
	if (rc < 0 && rc != GIT_ENOTFOUND) {
		error = sg_branch__git_error(err, SG_EIO, "cannot read a ref");
		goto out;
	}
	exists = rc == 0;
	if (exists) {
		if ((error = find_foreign(skip->commit, repo, &tip,
			 o->feature_id, err)) < 0)
			goto out;
		if (skip->commit[0]) {
			skip->reason = SG_BRANCH_FOREIGN_COMMIT;
			goto taken;
		}
	}

	if (o->run_id && !(have_claim && !strcmp(holder, o->run_id))) {
		if ((error = take_claim(&won, repo, cref,
			 have_claim ? &cur : NULL, o->run_id, err)) < 0)
			goto out;
		if (!won) {
			skip->reason = SG_BRANCH_HELD;
			snprintf(skip->holder, sizeof(skip->holder), "?");
			goto taken;
		}
	}
	out->held = o->run_id != NULL;

	if (exists) {
		out->status = SG_BRANCH_REUSED;
		git_oid_tostr(out->tip, sizeof(out->tip), &tip);
	} else if (!head) {
		out->status = SG_BRANCH_CREATED;
		out->unborn = true;
	} else {
		rc = git_reference_create(&ref, repo, bref, head, 0,
		    "specgate: feature branch");
		if (rc < 0) {
			/*
			 * Created under us by someone without a claim: leave
			 * it to them rather than race.
			 */
			error = sg_branch__git_error(err, SG_EIO,
			    "cannot create the branch");
			goto out;
		}
		out->status = SG_BRANCH_CREATED;
		git_oid_tostr(out->tip, sizeof(out->tip), head);
	}
	*v = V_CLAIMED;
	goto out;
taken:
	out->nskipped++;
out:
	git_reference_free(ref);
	return error;
}

static void
describe(struct sg_branch_claim *out, enum sg_mode mode)
{
	const struct sg_branch_skip *s;

	switch (out->status) {
	case SG_BRANCH_CREATED:
		snprintf(out->message, sizeof(out->message),
		    "created branch '%s'%s%s", out->name,
		    out->unborn ? " (unborn: the repository has no commit)" :
				  "",
		    out->nskipped ? " (the earlier names are taken)" : "");
		break;
	case SG_BRANCH_REUSED:
		snprintf(out->message, sizeof(out->message),
		    "reused branch '%s' of an earlier run of this spec%s",
		    out->name,
		    out->nskipped ? " (the earlier names are taken)" : "");
		break;
	case SG_BRANCH_TAKEN:
		s = &out->skipped[out->nskipped - 1];
		snprintf(out->message, sizeof(out->message),
		    "branch '%s' is taken (%s %s)%s", out->skipped[0].name,
		    s->reason == SG_BRANCH_HELD ? "held by run" :
						  "commit not made by specgate",
		    s->reason == SG_BRANCH_HELD ? s->holder : s->commit,
		    mode == SG_MODE_COMPLIANCE ?
			": compliance does not use variants" :
			", and so are -v2 to -v5");
		break;
	case SG_BRANCH_NO_REPO:
		snprintf(out->message, sizeof(out->message),
		    "not a git repository: no feature branch");
		break;
	}
}

static int
open_repo(git_repository **repo, struct sg_branch_claim *out,
    const struct sg_branch_options *o, struct sg_error *err)
{
	const char *wd;
	int rc;

	if (!sg_fs_is_dir(o->root))
		return sg_error_set(err, SG_ENOTFOUND,
		    "project root '%s' is not a directory", o->root);
	/* as git does, stop the search at GIT_CEILING_DIRECTORIES */
	rc = git_repository_open_ext(repo, o->root, 0,
	    getenv("GIT_CEILING_DIRECTORIES"));
	if (rc == GIT_ENOTFOUND) {
		out->status = SG_BRANCH_NO_REPO;
		return 0;
	}
	if (rc < 0)
		return sg_branch__git_error(err, SG_EIO,
		    "cannot open the git repository");
	wd = git_repository_workdir(*repo);
	if (!wd)
		return sg_error_set(err, SG_EINVAL,
		    "'%s' is in a bare git repository: no working tree",
		    o->root);
	out->workdir = sg_xstrdup(wd);
	return root_prefix(&out->prefix, wd, o->root, err);
}

int
sg_branch_claim(struct sg_branch_claim *out,
    const struct sg_branch_options *o, struct sg_error *err)
{
	git_repository *repo = NULL;
	git_oid head;
	bool unborn;
	enum verdict v = V_TAKEN;
	unsigned max;
	int rc;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if ((error = sg_branch__git_init(err)) < 0)
		return error;
	if (!o->root || !o->feature_id ||
	    !sg_feature_id_is_valid(o->feature_id)) {
		error = sg_error_set(err, SG_EINVAL,
		    "'%s' is not a feature id (12 lowercase hex digits)",
		    o->feature_id ? o->feature_id : "(null)");
		goto out;
	}
	if (o->run_id && !sg_run_id_is_valid(o->run_id)) {
		error = sg_error_set(err, SG_EINVAL, "'%s' is not a run id",
		    o->run_id);
		goto out;
	}
	snprintf(out->feature_id, sizeof(out->feature_id), "%s",
	    o->feature_id);
	snprintf(out->run_id, sizeof(out->run_id), "%s",
	    o->run_id ? o->run_id : "");
	out->root = sg_xstrdup(o->root);
	if ((error = open_repo(&repo, out, o, err)) < 0 || !repo)
		goto out_describe;

	rc = git_repository_head_unborn(repo);
	if (rc < 0) {
		error = sg_branch__git_error(err, SG_EIO, "cannot read HEAD");
		goto out;
	}
	unborn = rc == 1;
	out->detached = git_repository_head_detached(repo) == 1;
	if (!unborn && git_reference_name_to_id(&head, repo, "HEAD") < 0) {
		error = sg_branch__git_error(err, SG_EIO, "cannot read HEAD");
		goto out;
	}

	max = o->mode == SG_MODE_COMPLIANCE ? 1 : SG_BRANCH_MAX_VARIANT;
	for (out->variant = 1; out->variant <= max; out->variant++) {
		if (out->variant == 1)
			snprintf(out->name, sizeof(out->name), "%s%s",
			    SG_BRANCH_PREFIX, o->feature_id);
		else
			snprintf(out->name, sizeof(out->name), "%s%s-v%u",
			    SG_BRANCH_PREFIX, o->feature_id, out->variant);
		if ((error = try_candidate(&v, out, repo,
			 unborn ? NULL : &head, o, err)) < 0)
			goto out;
		if (v == V_CLAIMED)
			break;
	}
	if (v != V_CLAIMED) {
		out->status = SG_BRANCH_TAKEN;
		out->name[0] = '\0';
		out->variant = 0;
	}
out_describe:
	if (!error)
		describe(out, o->mode);
out:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return error;
}

int
sg_branch_release(struct sg_branch_claim *claim, struct sg_error *err)
{
	git_repository *repo = NULL;
	git_reference *ref = NULL;
	char cref[128];
	char holder[64];
	int rc;
	int error = 0;

	if (!claim->held || !claim->workdir)
		return 0;
	if ((error = sg_branch__git_init(err)) < 0)
		return error;
	if (git_repository_open(&repo, claim->workdir) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot open the git repository");
		goto out;
	}
	sg_branch__ref_name(cref, sizeof(cref), SG_BRANCH_CLAIM_PREFIX,
	    claim->name);
	rc = git_reference_lookup(&ref, repo, cref);
	if (rc == GIT_ENOTFOUND)
		goto done;
	if (rc < 0 || !git_reference_target(ref)) {
		error = sg_branch__git_error(err, SG_EIO, "cannot read a ref");
		goto out;
	}
	if ((error = read_claim(holder, sizeof(holder), repo,
		 git_reference_target(ref), err)) < 0)
		goto out;
	if (strcmp(holder, claim->run_id))
		goto done;
	/* git_reference_delete() checks the ref still has that value. */
	rc = git_reference_delete(ref);
	if (rc < 0 && rc != GIT_ENOTFOUND && rc != GIT_EMODIFIED) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot delete the claim");
		goto out;
	}
done:
	claim->held = false;
out:
	git_reference_free(ref);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return error;
}

int
sg_branch_tracked_files(char ***out, size_t *n, const char *dir,
    struct sg_error *err)
{
	struct sg_branch_claim where = {0};
	struct sg_branch_options o = SG_BRANCH_OPTIONS_INIT;
	git_repository *repo = NULL;
	git_index *index = NULL;
	const git_index_entry *e;
	struct sg_vec v = SG_VEC_INIT;
	size_t plen;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = sg_branch__git_init(err)) < 0)
		return error;
	o.root = dir;
	if ((error = open_repo(&repo, &where, &o, err)) < 0)
		goto out;
	if (!repo) {
		error = sg_error_set(err, SG_ENOTFOUND,
		    "'%s' is not in a git repository", dir);
		goto out;
	}
	if (git_repository_index(&index, repo) < 0) {
		error = sg_branch__git_error(err, SG_EIO,
		    "cannot read the git index");
		goto out;
	}
	plen = strlen(where.prefix);
	/* the index is sorted by path: the entries below dir are adjacent */
	for (size_t i = 0; (e = git_index_get_byindex(index, i)); i++)
		if (!strncmp(e->path, where.prefix, plen) &&
		    GIT_INDEX_ENTRY_STAGE(e) == 0)
			sg_vec_push(&v, sg_xstrdup(e->path + plen));
	sg_vec_push(&v, NULL);
	*n = v.len - 1;
	*out = (char **)v.items;
out:
	git_index_free(index);
	git_repository_free(repo);
	sg_branch_claim_release(&where);
	git_libgit2_shutdown();
	return error;
}

void
sg_branch_paths_free(char **paths)
{
	for (size_t i = 0; paths && paths[i]; i++)
		free(paths[i]);
	free(paths);
}
