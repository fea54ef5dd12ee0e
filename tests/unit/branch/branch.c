/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/branch: real repositories made with libgit2 in
 * scratch directories, claimed and committed on through the public API,
 * and read back with libgit2 (the integration test t0800 reads them back
 * with the git command line).  Each case gets a fresh repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "../../harness/tmpdir.h"

#include "branch/branch_int.h"
#include "sys/fs.h"

#define ID "0123456789ab"
#define BR "auto/spec-implementation/" ID
#define R1 "20250101000000" /* three run ids */
#define R2 "20250101000000-2"
#define R3 "20250102000000"

struct fx {
	char *dir;
	git_repository *repo;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_int_equal(sg_branch__git_init(NULL), 0);
	f->dir = sg_test_tmpdir();
	assert_int_equal(git_repository_init(&f->repo, f->dir, 0), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	git_repository_free(f->repo);
	sg_test_rmtree(f->dir);
	free(f->dir);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* A commit with `msg` on `ref` (its parent: the ref's tip, if any). */
static void
commit_on(struct fx *f, const char *ref, const char *msg)
{
	git_treebuilder *tb;
	git_signature *sig;
	git_commit *parent = NULL;
	git_tree *tree;
	git_oid oid;
	git_oid blob;
	git_oid tip;

	assert_int_equal(git_treebuilder_new(&tb, f->repo, NULL), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, f->repo, msg,
			     strlen(msg)),
	    0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "file", &blob,
			     GIT_FILEMODE_BLOB),
	    0);
	assert_int_equal(git_treebuilder_write(&oid, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_tree_lookup(&tree, f->repo, &oid), 0);
	if (git_reference_name_to_id(&tip, f->repo, ref) == 0)
		assert_int_equal(git_commit_lookup(&parent, f->repo, &tip), 0);
	assert_int_equal(git_signature_new(&sig, "T", "t@e", 1000000000, 0),
	    0);
	assert_int_equal(git_commit_create(&oid, f->repo, ref, sig, sig, NULL,
			     msg, tree, parent ? 1 : 0,
			     (const git_commit **)&parent),
	    0);
	git_signature_free(sig);
	git_commit_free(parent);
	git_tree_free(tree);
}

static bool
ref_exists(struct fx *f, const char *name)
{
	git_oid oid;

	return git_reference_name_to_id(&oid, f->repo, name) == 0;
}

static int
claim(struct sg_branch_claim *c, struct fx *f, const char *run,
    enum sg_mode mode, sg_branch_active_fn active)
{
	struct sg_branch_options o = SG_BRANCH_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	int rc;

	o.root = f->dir;
	o.feature_id = ID;
	o.run_id = run;
	o.mode = mode;
	o.is_active = active;
	rc = sg_branch_claim(c, &o, &err);
	sg_error_release(&err);
	return rc;
}

static bool
never_active(const char *feature_id, const char *run_id, void *payload)
{
	(void)feature_id;
	(void)run_id;
	(void)payload;
	return false;
}

static void
trailers_are_parsed_like_git(void **state)
{
	(void)state;
	assert_int_equal(sg_branch__git_init(NULL), 0);
	assert_true(sg_branch__is_ours("s\n\nSpecgate-Feature-Id: " ID "\n",
	    ID));
	assert_true(sg_branch__is_ours("s\n\nbody\n\nSigned-off-by: x\n"
				       "Specgate-Feature-Id: " ID "\n",
	    ID));
	/* not in the last paragraph: not a trailer */
	assert_false(sg_branch__is_ours("s\n\nSpecgate-Feature-Id: " ID
					"\n\nmore text\n",
	    ID));
	assert_false(sg_branch__is_ours("Specgate-Feature-Id: " ID "\n", ID));
	assert_false(sg_branch__is_ours("s\n\nSpecgate-Feature-Id: "
					"0123456789ac\n",
	    ID));
	assert_false(sg_branch__is_ours("", ID));
	git_libgit2_shutdown();
}

static void
fresh_claim_then_reuse(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;
	git_oid head;
	git_oid br;
	char hex[41];

	commit_on(f, "HEAD", "initial");
	assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
	assert_int_equal(c.status, SG_BRANCH_CREATED);
	assert_string_equal(c.name, BR);
	assert_int_equal(c.variant, 1);
	assert_false(c.unborn);
	assert_false(c.held);
	assert_string_equal(c.prefix, "");
	assert_int_equal(git_reference_name_to_id(&head, f->repo, "HEAD"), 0);
	assert_int_equal(git_reference_name_to_id(&br, f->repo,
			     "refs/heads/" BR),
	    0);
	assert_true(git_oid_equal(&head, &br));
	git_oid_tostr(hex, sizeof(hex), &head);
	assert_string_equal(c.tip, hex);
	assert_false(sg_branch_finding(&c, SG_MODE_COMPLIANCE));
	sg_branch_claim_release(&c);

	assert_int_equal(claim(&c, f, NULL, SG_MODE_COMPLIANCE, NULL), 0);
	assert_int_equal(c.status, SG_BRANCH_REUSED);
	assert_int_equal(c.nskipped, 0);
	sg_branch_claim_release(&c);
}

static void
foreign_commits_walk_the_variants(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;
	char ref[96];

	commit_on(f, "HEAD", "initial");
	assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
	sg_branch_claim_release(&c);
	commit_on(f, "refs/heads/" BR, "by hand");
	for (unsigned v = 2; v <= 5; v++) {
		assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
		assert_int_equal(c.status, SG_BRANCH_CREATED);
		assert_int_equal(c.variant, v);
		assert_int_equal(c.nskipped, v - 1);
		assert_int_equal(c.skipped[0].reason,
		    SG_BRANCH_FOREIGN_COMMIT);
		sg_branch_claim_release(&c);
		snprintf(ref, sizeof(ref), "refs/heads/" BR "-v%u", v);
		commit_on(f, ref, "by hand too");
	}
	assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
	assert_int_equal(c.status, SG_BRANCH_TAKEN);
	assert_int_equal(c.nskipped, 5);
	assert_string_equal(c.name, "");
	assert_true(sg_branch_finding(&c, SG_MODE_SANDBOX));
	assert_false(ref_exists(f, "refs/heads/" BR "-v6"));
	sg_branch_claim_release(&c);
}

static void
specgate_commits_keep_it_ours(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;

	commit_on(f, "HEAD", "initial");
	assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
	sg_branch_claim_release(&c);
	commit_on(f, "refs/heads/" BR,
	    "feat(auto): implement spec " ID "\n\n"
	    "Specgate-Feature-Id: " ID "\nSpecgate-Run-Id: 1\n");
	/* the user's main moves on: shared history is not the branch's */
	commit_on(f, "HEAD", "user work");
	assert_int_equal(claim(&c, f, NULL, SG_MODE_COMPLIANCE, NULL), 0);
	assert_int_equal(c.status, SG_BRANCH_REUSED);
	sg_branch_claim_release(&c);
}

static void
compliance_is_blocked(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;

	commit_on(f, "HEAD", "initial");
	commit_on(f, "refs/heads/" BR, "by hand");
	assert_int_equal(claim(&c, f, NULL, SG_MODE_COMPLIANCE, NULL), 0);
	assert_int_equal(c.status, SG_BRANCH_TAKEN);
	assert_int_equal(c.nskipped, 1);
	assert_false(ref_exists(f, "refs/heads/" BR "-v2"));
	assert_non_null(strstr(c.message, "compliance"));
	sg_branch_claim_release(&c);
}

static void
claims_are_held_and_released(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim a;
	struct sg_branch_claim b;
	struct sg_error err = SG_ERROR_INIT;

	commit_on(f, "HEAD", "initial");
	assert_int_equal(claim(&a, f, R1, SG_MODE_SANDBOX, NULL), 0);
	assert_true(a.held);
	assert_true(ref_exists(f, SG_BRANCH_CLAIM_PREFIX BR));

	/* another run: -v2, and the holder is named */
	assert_int_equal(claim(&b, f, R2, SG_MODE_SANDBOX, NULL), 0);
	assert_int_equal(b.variant, 2);
	assert_int_equal(b.skipped[0].reason, SG_BRANCH_HELD);
	assert_string_equal(b.skipped[0].holder, R1);
	sg_branch_claim_release(&b);

	/* the same run again (resume): its own branch */
	assert_int_equal(claim(&b, f, R1, SG_MODE_SANDBOX, NULL), 0);
	assert_int_equal(b.variant, 1);
	assert_int_equal(b.status, SG_BRANCH_REUSED);
	sg_branch_claim_release(&b);

	/* a dead holder's claim is taken over */
	assert_int_equal(claim(&b, f, R3, SG_MODE_COMPLIANCE, never_active),
	    0);
	assert_int_equal(b.variant, 1);
	assert_true(b.held);
	/* r1's release leaves r3's claim alone */
	assert_int_equal(sg_branch_release(&a, &err), 0);
	assert_true(ref_exists(f, SG_BRANCH_CLAIM_PREFIX BR));
	assert_int_equal(sg_branch_release(&b, &err), 0);
	assert_false(ref_exists(f, SG_BRANCH_CLAIM_PREFIX BR));
	assert_true(ref_exists(f, "refs/heads/" BR));
	/* idempotent */
	assert_int_equal(sg_branch_release(&b, &err), 0);
	sg_branch_claim_release(&a);
	sg_branch_claim_release(&b);
	sg_error_release(&err);
}

static void
unborn_repository_gets_a_root_commit(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;
	struct sg_branch_commit_result r;
	struct sg_error err = SG_ERROR_INIT;
	const char *paths[] = {"a.txt", "missing"};
	git_commit *commit;
	git_oid oid;
	char *p;

	assert_int_equal(claim(&c, f, R1, SG_MODE_SANDBOX, NULL), 0);
	assert_int_equal(c.status, SG_BRANCH_CREATED);
	assert_true(c.unborn);
	assert_string_equal(c.tip, "");
	assert_false(ref_exists(f, "refs/heads/" BR));

	/* nothing to commit: still unborn */
	assert_int_equal(sg_branch_commit(&r, &c, SG_BRANCH_COMMIT_GENERATE,
			     paths + 1, 1, &err),
	    0);
	assert_false(r.committed);
	assert_false(ref_exists(f, "refs/heads/" BR));

	p = sg_xasprintf("%s/a.txt", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "a\n", 2, 0644, &err), 0);
	free(p);
	assert_int_equal(sg_branch_commit(&r, &c, SG_BRANCH_COMMIT_GENERATE,
			     paths, 2, &err),
	    0);
	assert_true(r.committed);
	assert_int_equal(r.nchanged, 1);
	assert_int_equal(git_reference_name_to_id(&oid, f->repo,
			     "refs/heads/" BR),
	    0);
	assert_int_equal(git_commit_lookup(&commit, f->repo, &oid), 0);
	assert_int_equal(git_commit_parentcount(commit), 0);
	assert_string_equal(git_commit_message(commit),
	    "feat(auto): implement spec " ID "\n\n"
	    "Specgate-Feature-Id: " ID "\nSpecgate-Run-Id: " R1 "\n"
	    "Specgate-Stage: generate\n");
	git_commit_free(commit);
	/* HEAD is still unborn: the user's branch was not touched */
	assert_int_equal(git_repository_head_unborn(f->repo), 1);
	sg_branch_claim_release(&c);
	sg_error_release(&err);
}

static void
commit_replaces_removes_and_keeps_the_rest(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;
	struct sg_branch_commit_result r;
	struct sg_error err = SG_ERROR_INIT;
	const char *paths[] = {"sub/x.sh", "file", "sub/x.sh"};
	git_commit *commit;
	git_tree *tree;
	git_tree_entry *e;
	git_oid oid;
	char *p;

	commit_on(f, "HEAD", "initial");
	assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
	p = sg_xasprintf("%s/sub", f->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = sg_xasprintf("%s/sub/x.sh", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "#!/bin/sh\n", 10, 0755, &err),
	    0);
	free(p);
	/* "file" is in the tip's tree but not on disk: removed */
	assert_int_equal(sg_branch_commit(&r, &c, SG_BRANCH_COMMIT_AUTOFIX,
			     paths, 3, &err),
	    0);
	assert_true(r.committed);
	assert_int_equal(r.nchanged, 2);
	assert_int_equal(git_reference_name_to_id(&oid, f->repo,
			     "refs/heads/" BR),
	    0);
	assert_int_equal(git_commit_lookup(&commit, f->repo, &oid), 0);
	assert_int_equal(strncmp(git_commit_message(commit),
			     "auto-fix: minor issues\n\n", 24),
	    0);
	assert_true(sg_branch__is_ours(git_commit_message(commit), ID));
	assert_int_equal(git_commit_tree(&tree, commit), 0);
	assert_int_equal(git_tree_entry_bypath(&e, tree, "sub/x.sh"), 0);
	assert_int_equal(git_tree_entry_filemode(e),
	    GIT_FILEMODE_BLOB_EXECUTABLE);
	git_tree_entry_free(e);
	assert_int_equal(git_tree_entry_bypath(&e, tree, "file"),
	    GIT_ENOTFOUND);
	git_tree_free(tree);
	git_commit_free(commit);
	/* the user's HEAD did not move */
	assert_int_equal(git_repository_head_unborn(f->repo), 0);
	sg_branch_claim_release(&c);
	sg_error_release(&err);
}

static void
commit_refuses_bad_paths_and_lost_branches(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;
	struct sg_branch_commit_result r;
	struct sg_error err = SG_ERROR_INIT;
	static const char *const bad[] = {"", "/etc/passwd", "../x", "a/../b",
	    "a//b", "a/", ".git/config", "./a", "."};
	const char *file = "file";
	git_reference *ref;

	commit_on(f, "HEAD", "initial");
	assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
	for (size_t i = 0; i < SG_ARRAY_SIZE(bad); i++) {
		assert_int_equal(sg_branch_commit(&r, &c,
				     SG_BRANCH_COMMIT_GENERATE, &bad[i], 1,
				     &err),
		    SG_EINVAL);
		sg_error_release(&err);
	}
	assert_int_equal(git_reference_lookup(&ref, f->repo,
			     "refs/heads/" BR),
	    0);
	assert_int_equal(git_reference_delete(ref), 0);
	git_reference_free(ref);
	assert_int_equal(sg_branch_commit(&r, &c, SG_BRANCH_COMMIT_GENERATE,
			     &file, 1, &err),
	    SG_EGATE);
	assert_non_null(strstr(err.message, "deleted"));
	sg_error_release(&err);
	sg_branch_claim_release(&c);

	/* a claim that holds nothing cannot commit */
	memset(&c, 0, sizeof(c));
	c.status = SG_BRANCH_TAKEN;
	assert_int_equal(sg_branch_commit(&r, &c, SG_BRANCH_COMMIT_GENERATE,
			     &file, 1, &err),
	    SG_EINVAL);
	sg_error_release(&err);
}

static void
detached_head_and_subdirectory(void **state)
{
	struct fx *f = *state;
	struct sg_branch_options o = SG_BRANCH_OPTIONS_INIT;
	struct sg_branch_claim c;
	struct sg_error err = SG_ERROR_INIT;
	git_oid head;
	char *sub;

	commit_on(f, "HEAD", "initial");
	assert_int_equal(git_reference_name_to_id(&head, f->repo, "HEAD"), 0);
	assert_int_equal(git_repository_set_head_detached(f->repo, &head), 0);
	sub = sg_xasprintf("%s/svc", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	o.root = sub;
	o.feature_id = ID;
	assert_int_equal(sg_branch_claim(&c, &o, &err), 0);
	assert_int_equal(c.status, SG_BRANCH_CREATED);
	assert_true(c.detached);
	assert_string_equal(c.prefix, "svc/");
	sg_branch_claim_release(&c);
	free(sub);
	sg_error_release(&err);
}

static void
no_repository_and_bad_input(void **state)
{
	struct sg_branch_options o = SG_BRANCH_OPTIONS_INIT;
	struct sg_branch_claim c;
	struct sg_error err = SG_ERROR_INIT;
	char *dir = sg_test_tmpdir();

	(void)state;
	o.root = dir;
	o.feature_id = ID;
	assert_int_equal(sg_branch_claim(&c, &o, &err), 0);
	assert_int_equal(c.status, SG_BRANCH_NO_REPO);
	assert_false(sg_branch_finding(&c, SG_MODE_SANDBOX));
	assert_true(sg_branch_finding(&c, SG_MODE_COMPLIANCE));
	assert_string_equal(sg_branch_status_name(c.status), "no-repository");
	sg_branch_claim_release(&c);

	o.feature_id = "0123456789AB";
	assert_int_equal(sg_branch_claim(&c, &o, &err), SG_EINVAL);
	sg_branch_claim_release(&c);
	sg_error_release(&err);
	o.feature_id = ID;
	o.run_id = "a b";
	assert_int_equal(sg_branch_claim(&c, &o, &err), SG_EINVAL);
	sg_branch_claim_release(&c);
	sg_error_release(&err);
	o.run_id = NULL;
	o.root = "/nonexistent/specgate";
	assert_int_equal(sg_branch_claim(&c, &o, &err), SG_ENOTFOUND);
	sg_branch_claim_release(&c);
	sg_error_release(&err);
	sg_test_rmtree(dir);
	free(dir);
}

static void
tracked_files_below_a_directory(void **state)
{
	struct fx *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	git_index *index;
	char **paths;
	size_t n;
	char *p;

	p = sg_xasprintf("%s/d", f->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = {"top", "d/a", "d/b"};

		p = sg_xasprintf("%s/%s", f->dir, names[i]);
		assert_int_equal(sg_fs_write_atomic(p, "x", 1, 0644, &err), 0);
		free(p);
	}
	assert_int_equal(git_repository_index(&index, f->repo), 0);
	assert_int_equal(git_index_add_bypath(index, "top"), 0);
	assert_int_equal(git_index_add_bypath(index, "d/b"), 0);
	assert_int_equal(git_index_write(index), 0);
	git_index_free(index);
	p = sg_xasprintf("%s/d", f->dir);
	assert_int_equal(sg_branch_tracked_files(&paths, &n, p, &err), 0);
	free(p);
	assert_int_equal(n, 1);
	assert_string_equal(paths[0], "b");
	assert_null(paths[1]);
	sg_branch_paths_free(paths);
	sg_error_release(&err);
}

static void
changes_are_what_differs_from_the_tip(void **state)
{
	struct fx *f = *state;
	struct sg_branch_claim c;
	struct sg_branch_commit_result r;
	struct sg_error err = SG_ERROR_INIT;
	char **paths;
	size_t n;
	char *p;

	commit_on(f, "HEAD", "initial"); /* the tip has "file" */
	assert_int_equal(claim(&c, f, NULL, SG_MODE_SANDBOX, NULL), 0);
	/* nothing on disk: "file" is deleted in the working tree */
	assert_int_equal(sg_branch_changes(&paths, &n, &c, NULL, 0, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(paths[0], "file");
	sg_branch_paths_free(paths);

	p = sg_xasprintf("%s/file", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "initial", 7, 0644, &err), 0);
	free(p);
	p = sg_xasprintf("%s/new.c", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "x\n", 2, 0644, &err), 0);
	free(p);
	p = sg_xasprintf("%s/.gitignore", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "ignored\n", 8, 0644, &err), 0);
	free(p);
	p = sg_xasprintf("%s/ignored", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "x", 1, 0644, &err), 0);
	free(p);
	p = sg_xasprintf("%s/reports", f->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = sg_xasprintf("%s/reports/r.json", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "{}", 2, 0644, &err), 0);
	free(p);
	p = sg_xasprintf("%s/reportsx", f->dir);
	assert_int_equal(sg_fs_write_atomic(p, "x", 1, 0644, &err), 0);
	free(p);
	assert_int_equal(sg_branch_changes(&paths, &n, &c,
			     (const char *const[]){"reports/", "reportsx"}, 2,
			     &err),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(paths[0], ".gitignore");
	assert_string_equal(paths[1], "new.c");
	assert_null(paths[2]);
	assert_int_equal(sg_branch_commit(&r, &c, SG_BRANCH_COMMIT_GENERATE,
			     (const char *const *)paths, n, &err),
	    0);
	assert_true(r.committed);
	sg_branch_paths_free(paths);
	assert_int_equal(sg_branch_changes(&paths, &n, &c,
			     (const char *const[]){"reports", "reportsx"}, 2,
			     &err),
	    0);
	assert_int_equal(n, 0);
	sg_branch_paths_free(paths);
	sg_branch_claim_release(&c);
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trailers_are_parsed_like_git),
		cmocka_unit_test_setup_teardown(fresh_claim_then_reuse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    foreign_commits_walk_the_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(specgate_commits_keep_it_ours,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(compliance_is_blocked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(claims_are_held_and_released,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    unborn_repository_gets_a_root_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    commit_replaces_removes_and_keeps_the_rest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    commit_refuses_bad_paths_and_lost_branches, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(detached_head_and_subdirectory,
		    setup, teardown),
		cmocka_unit_test(no_repository_and_bad_input),
		cmocka_unit_test_setup_teardown(
		    tracked_files_below_a_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    changes_are_what_differs_from_the_tip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
