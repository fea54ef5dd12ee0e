/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the fallback of sg_dir_open_file() where the kernel has
 * no openat2 (src/lib/sys/dir.c, included to reach its static state): the
 * component-by-component walk refuses every symlink on the way and "..",
 * and still opens plain paths and reports a symlink as the last component.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../../src/lib/sys/dir.c"
#include "../../harness/tmpdir.h"

static void
the_walk_refuses_symlinks_on_the_way_and_dotdot(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_dir d = SG_DIR_INIT;
	struct sg_fs_stat st;
	char *dir = sg_test_tmpdir();
	int fd;

	(void)state;
	atomic_store(&no_openat2, true);
	assert_int_equal(sg_dir_open(&d, NULL, dir, 0, &err), 0);
	assert_int_equal(sg_dir_make(NULL, &d, "a", 0755, &err), 0);
	assert_int_equal(sg_dir_make(NULL, &d, "a/b", 0755, &err), 0);
	assert_int_equal(
	    sg_dir_write_file(&d, "a/b/f", "hello", 5, 0644, &err), 0);
	assert_int_equal(sg_dir_symlink(&d, "a/b/l", "f", &err), 0);
	assert_int_equal(sg_dir_symlink(&d, "in", "a", &err), 0);

	assert_int_equal(sg_dir_open_file(&fd, &st, &d, "a/b/f", &err), 0);
	assert_int_equal(st.type, SG_FS_FILE);
	assert_int_equal(st.size, 5);
	close(fd);
	assert_int_equal(sg_dir_open_file(&fd, &st, &d, "a/b/l", &err), 0);
	assert_int_equal(st.type, SG_FS_SYMLINK);
	/* stricter than RESOLVE_BENEATH: even a symlink that stays inside */
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &d, "in/b/f", &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &d, "a/../a/b/f", &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(
	    sg_dir_open_file(&fd, &st, &d, "a/x/f", &err), SG_ENOTFOUND);
	sg_error_release(&err);
	sg_dir_close(&d);
	sg_test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_walk_refuses_symlinks_on_the_way_and_dotdot),
	};

	return cmocka_run_group_tests_name("sys/dir_walk", tests, NULL, NULL);
}
