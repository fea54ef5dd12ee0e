/* SPDX-License-Identifier: MIT */
/*
 * branch.h - the feature branch of a spec, in the project's git repository:
 * claim `auto/spec-implementation/<feature-id>` for a run, and commit files
 * on it without touching the user's checkout.
 *
 * Claiming (sg_branch_claim()).  The repository is the one containing the
 * project root (found as git finds it, walking up).  The first candidate is
 * `auto/spec-implementation/<id>`; in sandbox the next ones are `-v2` to
 * `-v5`.  A candidate is:
 *
 *	free	no such branch: it is created at the commit HEAD names
 *		(detached HEAD included); in a repository with no commit yet
 *		the branch is "unborn" and the first sg_branch_commit() makes
 *		its root commit
 *	ours	the branch exists and every commit on it that no other local
 *		or remote-tracking branch has (the commits `git log B --not
 *		--branches --remotes` lists, specgate branches left out) carries
 *		the trailer `Specgate-Feature-Id: <id>`: it is reused
 *	taken	it has a commit without that trailer (someone else's work,
 *		or specgate's for another feature), or another run that is
 *		still active holds its claim
 *
 * A run holds a candidate through the ref `refs/specgate/claims/<branch>`,
 * pointing at a blob "run <run-id>\n", created atomically (libgit2 locks
 * the ref file; a second creator fails) and deleted by sg_branch_release()
 * at the end of the run.  A claim left by another run is honoured only
 * while the caller's is_active callback says that run is still active
 * (sg_branch_store_is_active() asks the store); a dead run's claim is
 * taken over with a compare-and-swap on the ref.  Without a callback every
 * other run's claim counts as active.  The same run claiming again (resume)
 * gets its own branch back.
 *
 * The outcome names the branch and why (struct sg_branch_claim).  Whether
 * it is a finding is decided by sg_branch_finding(): a taken branch always
 * is (blocked in compliance, past -v5 in sandbox); a project outside any
 * git repository is a finding in compliance (the generated code would have
 * no auditable home) and a warning in sandbox.  sg_branch_claim() returns
 * 0 for all of these: they are results, not failures.
 *
 * Committing (sg_branch_commit()) reads the named files from the project
 * directory, writes them as blobs, builds the new tree from the branch
 * tip's tree with those entries replaced (or removed, for a file that no
 * longer exists), writes the commit and moves the branch ref with a
 * compare-and-swap from the tip it read.  The index, HEAD and the working
 * tree are never written.  The message is `feat(auto): implement spec <id>`
 * or `auto-fix: minor issues`, followed by the trailers
 *
 *	Specgate-Feature-Id: <feature-id>
 *	Specgate-Run-Id: <run-id>
 *	Specgate-Stage: generate | validate
 *
 * Author and committer are user.name and user.email of the repository's
 * git configuration, else "specgate <specgate@localhost>"; the time is
 * SOURCE_DATE_EPOCH when set to a whole number (reproducible commits),
 * else now.
 *
 * libgit2 stays inside src/lib/branch/: nothing here names a git_* type.
 */
#ifndef SPECGATE_BRANCH_H
#define SPECGATE_BRANCH_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/ids.h"

#define SG_BRANCH_PREFIX "auto/spec-implementation/"
#define SG_BRANCH_CLAIM_PREFIX "refs/specgate/claims/"
#define SG_BRANCH_MAX_VARIANT 5 /* -v2 ... -v5 in sandbox */
#define SG_BRANCH_OID_SIZE 41	/* 40 hex digits and a NUL */
/* "auto/spec-implementation/" + 12 hex + "-v5" + NUL */
#define SG_BRANCH_NAME_SIZE 48

/* The result of a claim. */
enum sg_branch_status {
	SG_BRANCH_CREATED = 0, /* a new branch (or an unborn one) */
	SG_BRANCH_REUSED,      /* the branch of an earlier run of this spec */
	SG_BRANCH_TAKEN,       /* no candidate was free: a finding */
	SG_BRANCH_NO_REPO,     /* the project is in no git repository */
};

/* Why a candidate was passed over. */
enum sg_branch_reason {
	SG_BRANCH_FOREIGN_COMMIT = 1, /* a commit without our trailer */
	SG_BRANCH_HELD,		      /* an active run holds its claim */
};

/* One candidate passed over, in the order tried. */
struct sg_branch_skip {
	char name[SG_BRANCH_NAME_SIZE];
	enum sg_branch_reason reason;
	/* FOREIGN_COMMIT: the first such commit; HELD: "" */
	char commit[SG_BRANCH_OID_SIZE];
	/* HELD: the run id in the claim; FOREIGN_COMMIT: "" */
	char holder[64];
};

/*
 * What sg_branch_claim() found and did.  Plain data; release with
 * sg_branch_claim_release().
 */
struct sg_branch_claim {
	enum sg_branch_status status;
	char name[SG_BRANCH_NAME_SIZE]; /* the claimed branch ("" unless
					   CREATED or REUSED) */
	unsigned variant;		/* 1 for the plain name, 2..5 */
	bool unborn;	     /* CREATED in a repository with no commit */
	bool detached;	     /* HEAD was detached (informative) */
	bool held;	     /* a claim ref names this run (run_id given) */
	char tip[SG_BRANCH_OID_SIZE]; /* the branch's commit; "" if unborn */
	char feature_id[SG_FEATURE_ID_SIZE];
	char run_id[SG_RUN_ID_SIZE]; /* "" when claimed without a run */
	char *workdir;	     /* owned: the repository's working directory,
				absolute, ending in '/'; NULL for NO_REPO */
	char *prefix;	     /* owned: the project root inside it ("" or
				"examples/svc/"); NULL for NO_REPO */
	char *root;	     /* owned: the project root as given */
	struct sg_branch_skip skipped[SG_BRANCH_MAX_VARIANT];
	size_t nskipped;
	char message[256];   /* one line saying what happened and why */
};

/*
 * Is the run (feature_id, run_id) still active?  Called for a claim ref
 * left by another run.  Borrowed strings.
 */
typedef bool (*sg_branch_active_fn)(const char *feature_id,
    const char *run_id, void *payload);

#define SG_BRANCH_OPTIONS_VERSION 1

struct sg_branch_options {
	unsigned version;	/* SG_BRANCH_OPTIONS_VERSION */
	const char *root;	/* the project root (required) */
	const char *feature_id; /* 12 lowercase hex digits (required) */
	const char *run_id;	/* the claiming run; NULL: claim nothing,
				   only create or find the branch */
	enum sg_mode mode;	/* compliance: no -vN variants */
	sg_branch_active_fn is_active; /* NULL: other claims always held */
	void *payload;		       /* for is_active */
};

#define SG_BRANCH_OPTIONS_INIT                                                 \
	{SG_BRANCH_OPTIONS_VERSION, NULL, NULL, NULL, SG_MODE_SANDBOX, NULL,  \
	    NULL}

/*
 * Claim the feature branch for opts->feature_id (see the top of this
 * file).  *out (OUT) is filled in; release it with
 * sg_branch_claim_release(), also on failure.  Returns 0 with out->status
 * CREATED, REUSED, TAKEN or NO_REPO; SG_EINVAL for a malformed feature id
 * or run id, or a bare repository; SG_EIO when git fails (a corrupt
 * repository, a ref that cannot be written).
 */
int sg_branch_claim(struct sg_branch_claim *out,
    const struct sg_branch_options *opts, struct sg_error *err);

/*
 * Drop this run's claim ref of claim->name (if claim->held), leaving the
 * branch.  Idempotent; a claim ref that now names another run is left
 * alone.  Returns 0 or SG_EIO.
 */
int sg_branch_release(struct sg_branch_claim *claim, struct sg_error *err);

/* Free what claim owns (not claim itself).  claim may be NULL. */
void sg_branch_claim_release(struct sg_branch_claim *claim);

/*
 * true when the claim is a finding in `mode`: TAKEN in either mode,
 * NO_REPO in compliance.  NO_REPO in sandbox is a warning.
 */
bool sg_branch_finding(const struct sg_branch_claim *claim, enum sg_mode mode);

/* "created" "reused" "taken" "no-repository". */
const char *sg_branch_status_name(enum sg_branch_status status);

/* "foreign-commit" "held-by-run". */
const char *sg_branch_reason_name(enum sg_branch_reason reason);

/*
 * A ready-made is_active callback: payload is a struct sg_store *; the run
 * is active while the store has it with a status that is not final
 * (running, awaiting_approval).  A run the store does not know, or a store
 * error, counts as not active.
 */
bool sg_branch_store_is_active(const char *feature_id, const char *run_id,
    void *payload);

/* Which commit sg_branch_commit() writes. */
enum sg_branch_commit_kind {
	SG_BRANCH_COMMIT_GENERATE = 0, /* feat(auto): implement spec <id> */
	SG_BRANCH_COMMIT_AUTOFIX,      /* auto-fix: minor issues */
};

/* What a commit did. */
struct sg_branch_commit_result {
	bool committed;			 /* false: the tree did not change */
	char commit[SG_BRANCH_OID_SIZE]; /* the new tip (or the old one) */
	size_t nchanged;		 /* paths added, changed or removed */
};

/*
 * Commit `paths` (npaths of them, relative to the project root claim->root,
 * "src/x.c"; no "..", no absolute paths) on claim->name: each path's
 * current bytes and executable bit, or its removal when it no longer
 * exists.  Directories and symbolic links are refused (SG_EINVAL).  Files
 * over 64 MiB are SG_ETOOBIG.  When the tree would not change, no commit is
 * made (out->committed false).  *out (OUT).
 *
 * Errors: SG_EINVAL for a claim that holds no branch (TAKEN, NO_REPO), a
 * bad path; SG_EGATE when the branch moved since it was read (another
 * writer; nothing was changed), SG_EIO when git or the file system fails.
 */
int sg_branch_commit(struct sg_branch_commit_result *out,
    const struct sg_branch_claim *claim, enum sg_branch_commit_kind kind,
    const char *const *paths, size_t npaths, struct sg_error *err);

/*
 * The files below the project root whose bytes (or executable bit) in the
 * working tree differ from the feature branch's tip: modified, deleted,
 * and new files git does not ignore; as paths relative to claim->root,
 * sorted, ready for sg_branch_commit().  For an unborn branch every file
 * that is not ignored.  The index plays no part.  This is how the runner
 * learns what the generators or the fix commands changed: commit what
 * differs from the branch.  `exclude` names nexclude directories or files
 * relative to the project root that are never listed (the reports
 * directory, ".specgate": evidence is not source).  *out (OUT) is
 * NULL-terminated, freed with
 * sg_branch_paths_free(); *n (OUT) its length.  SG_EINVAL when the claim
 * holds no branch, SG_EGATE when the branch was deleted, SG_EIO.
 */
int sg_branch_changes(char ***out, size_t *n,
    const struct sg_branch_claim *claim, const char *const *exclude,
    size_t nexclude, struct sg_error *err);

/*
 * The files git tracks (its index) below the directory `dir`, as paths
 * relative to `dir`, sorted bytewise: *out (OUT) a NULL-terminated array
 * the caller frees with sg_branch_paths_free(), *n (OUT) their number.
 * This is what `specgate fix-whitespace` fixes when given no path: the
 * sources, never build output or evidence bundles.  SG_ENOTFOUND when
 * `dir` is in no git repository, SG_EIO when git fails.
 */
int sg_branch_tracked_files(char ***out, size_t *n, const char *dir,
    struct sg_error *err);

/* Free an array from sg_branch_tracked_files().  paths may be NULL. */
void sg_branch_paths_free(char **paths);

/*
 * Where a run's sources come from: the git repository holding root.
 * found is false outside a repository (the rest empty).  url is the
 * `origin` remote's URL with its credentials masked (sg_url_mask()), or
 * NULL when there is no origin; ref the symbolic HEAD (refs/heads/main),
 * or NULL when HEAD is detached; commit the HEAD commit (40 hex digits,
 * "" on an unborn branch); dirty whether a tracked file differs from
 * HEAD in the index or the working tree (untracked files do not count,
 * as for `git describe --dirty`).
 */
struct sg_branch_source {
	bool found;
	char *url;
	char *ref;
	char commit[41];
	bool dirty;
};

int sg_branch_source(struct sg_branch_source *out, const char *root,
    struct sg_error *err);
void sg_branch_source_release(struct sg_branch_source *s);

#endif /* SPECGATE_BRANCH_H */
