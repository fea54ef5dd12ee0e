/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/sys/dir.c: directory handles, exclusive files,
 * renames that do not replace, locks between handles, listings, removal,
 * and sg_dir_open_file() never leaving its directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "../../harness/tmpdir.h"
#include "sys/dir.h"

struct fixture {
	char *dir;
	struct sg_dir d;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sg_error err = SG_ERROR_INIT;

	f->dir = sg_test_tmpdir();
	if (sg_dir_open(&f->d, NULL, f->dir, 0, &err) < 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	sg_dir_close(&f->d);
	sg_test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
files_are_new_and_renames_do_not_replace(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;

	assert_int_equal(sg_dir_write_file(&f->d, "a", "x", 1, 0644, &err), 0);
	assert_int_equal(
	    sg_dir_write_file(&f->d, "a", "y", 1, 0644, &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_dir_write_file(&f->d, "b", "y", 1, 0644, &err), 0);
	assert_int_equal(
	    sg_dir_rename(&f->d, "a", &f->d, "b", SG_DIR_NOREPLACE, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(
	    sg_dir_rename(&f->d, "nope", &f->d, "c", 0, &err), SG_ENOTFOUND);
	assert_non_null(strstr(err.message, "/nope"));
	sg_error_release(&err);
	assert_int_equal(sg_dir_rename(&f->d, "a", &f->d, "b", 0, &err), 0);
}

static void
a_lock_excludes_another_handle_until_closed(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_dir a = SG_DIR_INIT;
	struct sg_dir b = SG_DIR_INIT;
	bool locked;
	char *name;

	assert_int_equal(
	    sg_dir_make_temp(&name, &f->d, ".new-", 0755, &err), 0);
	assert_int_equal(strlen(name), strlen(".new-") + 10);
	assert_int_equal(
	    sg_dir_open(&a, &f->d, name, SG_DIR_NOFOLLOW, &err), 0);
	assert_int_equal(
	    sg_dir_open(&b, &f->d, name, SG_DIR_NOFOLLOW, &err), 0);
	assert_int_equal(sg_dir_lock(&locked, &a, false, &err), 0);
	assert_true(locked);
	assert_int_equal(sg_dir_lock(&locked, &b, false, &err), 0);
	assert_false(locked);
	sg_dir_close(&a);
	assert_int_equal(sg_dir_lock(&locked, &b, false, &err), 0);
	assert_true(locked);
	sg_dir_close(&b);
	free(name);
}

static void
listings_are_sorted_and_typed(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_dirent *list;
	size_t n;

	assert_int_equal(sg_dir_make(NULL, &f->d, "z", 0755, &err), 0);
	assert_int_equal(sg_dir_write_file(&f->d, "b", "", 0, 0644, &err), 0);
	assert_int_equal(sg_dir_symlink(&f->d, "a", "b", &err), 0);
	assert_int_equal(sg_dir_list(&list, &n, &f->d, NULL, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].name, "a");
	assert_int_equal(list[0].type, SG_FS_SYMLINK);
	assert_string_equal(list[1].name, "b");
	assert_int_equal(list[1].type, SG_FS_FILE);
	assert_string_equal(list[2].name, "z");
	assert_int_equal(list[2].type, SG_FS_DIR);
	sg_dirent_free(list, n);
}

static void
remove_tree_removes_everything_and_follows_nothing(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_dir sub = SG_DIR_INIT;
	struct sg_fs_stat st;
	char *outside = sg_test_tmpdir();
	char *keep = sg_xasprintf("%s/keep", outside);
	FILE *fp = fopen(keep, "w");

	fclose(fp);
	assert_int_equal(sg_dir_make(NULL, &f->d, "t", 0755, &err), 0);
	assert_int_equal(sg_dir_open(&sub, &f->d, "t", 0, &err), 0);
	assert_int_equal(sg_dir_make(NULL, &sub, "logs", 0755, &err), 0);
	assert_int_equal(
	    sg_dir_write_file(&sub, "logs/x", "1", 1, 0644, &err), 0);
	assert_int_equal(sg_dir_symlink(&sub, "out", outside, &err), 0);
	sg_dir_close(&sub);
	assert_int_equal(sg_dir_remove_tree(&f->d, "t", &err), 0);
	assert_int_equal(sg_dir_lstat(&st, &f->d, "t", &err), SG_ENOTFOUND);
	sg_error_release(&err);
	assert_int_equal(access(keep, F_OK), 0);
	assert_int_equal(sg_dir_remove_tree(&f->d, "t", &err), 0);
	sg_test_rmtree(outside);
	free(outside);
	free(keep);
}

static void
open_file_never_leaves_its_directory(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_fs_stat st;
	int fd;

	assert_int_equal(sg_dir_make(NULL, &f->d, "d", 0755, &err), 0);
	assert_int_equal(
	    sg_dir_write_file(&f->d, "d/f", "abc", 3, 0644, &err), 0);
	assert_int_equal(sg_dir_symlink(&f->d, "link", "d/f", &err), 0);
	assert_int_equal(sg_dir_symlink(&f->d, "in", "d", &err), 0);
	assert_int_equal(sg_dir_symlink(&f->d, "etc", "/etc", &err), 0);

	assert_int_equal(sg_dir_open_file(&fd, &st, &f->d, "d/f", &err), 0);
	assert_int_equal(st.type, SG_FS_FILE);
	assert_int_equal(st.size, 3);
	assert_true(fd >= 0);
	close(fd);
	/* the last component is reported, not followed */
	assert_int_equal(sg_dir_open_file(&fd, &st, &f->d, "link", &err), 0);
	assert_int_equal(st.type, SG_FS_SYMLINK);
	assert_int_equal(fd, -1);
	/* out through a symlink, "..", or an absolute path: refused */
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &f->d, "etc/passwd", &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &f->d, "../x", &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &f->d, "/etc/passwd", &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &f->d, "d", &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &f->d, "nope", &err), SG_ENOTFOUND);
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		files_are_new_and_renames_do_not_replace, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		a_lock_excludes_another_handle_until_closed, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		listings_are_sorted_and_typed, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		remove_tree_removes_everything_and_follows_nothing, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		open_file_never_leaves_its_directory, setup, teardown),
	};

	return cmocka_run_group_tests_name("sys/dir", tests, NULL, NULL);
}
