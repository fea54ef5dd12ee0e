/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/evidence/hash.c: digests equal a one-shot
 * SHA-256, symlinks are recorded as their target text, one thread and
 * several give the same digests, chunk boundaries, and the error named is
 * the first failing item in list order whatever thread met it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/tmpdir.h"
#include "evidence/hash.h"
#include "hash/digest.h"

#define NFILES 600

struct fixture {
	char *dir;
	struct sg_dir d;
	char names[NFILES][16];
};

static void
content(struct sg_buf *b, unsigned i)
{
	sg_buf_truncate(b, 0);
	for (unsigned k = 0; k < (i * 37) % 3000; k++)
		sg_buf_putc(b, (int)('a' + (i + k) % 26));
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sg_error err = SG_ERROR_INIT;
	struct sg_buf b;

	sg_buf_init(&b, 0);
	f->dir = sg_test_tmpdir();
	if (sg_dir_open(&f->d, NULL, f->dir, 0, &err) < 0)
		return -1;
	for (unsigned i = 0; i < NFILES; i++) {
		snprintf(f->names[i], sizeof(f->names[i]), "f%04u", i);
		content(&b, i);
		if (sg_dir_write_file(
			&f->d, f->names[i], b.ptr, b.len, 0644, &err) < 0)
			return -1;
	}
	sg_buf_release(&b);
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
digests_match_one_shot_sha256_on_any_number_of_threads(void **state)
{
	struct fixture *f = *state;
	struct sg_hash_options one = SG_HASH_OPTIONS_INIT;
	struct sg_hash_options two = SG_HASH_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_hash_item *a = calloc(NFILES, sizeof(*a));
	struct sg_hash_item *b = calloc(NFILES, sizeof(*b));
	char want[65];
	struct sg_buf buf;

	sg_buf_init(&buf, 0);
	one.threads = 1;
	two.threads = 2;
	two.min_per_thread = 1;
	for (unsigned i = 0; i < NFILES; i++)
		a[i].path = b[i].path = f->names[i];
	assert_int_equal(sg_hash_files(a, NFILES, &f->d, &one, &err), 0);
	assert_int_equal(sg_hash_files(b, NFILES, &f->d, &two, &err), 0);
	for (unsigned i = 0; i < NFILES; i++) {
		content(&buf, i);
		assert_int_equal(
		    sg_sha256_hex(want, buf.ptr, buf.len, &err), 0);
		assert_string_equal(a[i].sha256, want);
		assert_string_equal(b[i].sha256, want);
		assert_int_equal(a[i].size, buf.len);
		assert_int_equal(a[i].type, SG_FS_FILE);
		assert_null(a[i].target);
	}
	sg_hash_items_release(a, NFILES);
	sg_hash_items_release(b, NFILES);
	sg_buf_release(&buf);
	free(a);
	free(b);
}

static void
symlinks_are_recorded_as_their_target(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_hash_item it[2] = {{.path = "to-passwd"}, {.path = "f0001"}};
	char want[65];

	assert_int_equal(
	    sg_dir_symlink(&f->d, "to-passwd", "/etc/passwd", &err), 0);
	assert_int_equal(sg_hash_files(it, 2, &f->d, NULL, &err), 0);
	assert_int_equal(it[0].type, SG_FS_SYMLINK);
	assert_string_equal(it[0].target, "/etc/passwd");
	assert_int_equal(it[0].size, strlen("/etc/passwd"));
	assert_int_equal(sg_sha256_hex(want, "/etc/passwd", 11, &err), 0);
	assert_string_equal(it[0].sha256, want);
	sg_hash_items_release(it, 2);
}

static void
a_file_across_chunks(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_hash_item it = {.path = "big"};
	size_t n = 3 * SG_SHA256_CHUNK + 17;
	char *data = malloc(n);
	char want[65];

	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7);
	assert_int_equal(
	    sg_dir_write_file(&f->d, "big", data, n, 0644, &err), 0);
	assert_int_equal(sg_hash_files(&it, 1, &f->d, NULL, &err), 0);
	assert_int_equal(sg_sha256_hex(want, data, n, &err), 0);
	assert_string_equal(it.sha256, want);
	assert_int_equal(it.size, n);
	free(data);
}

static void
the_first_failure_in_list_order_is_reported(void **state)
{
	struct fixture *f = *state;
	struct sg_hash_options two = SG_HASH_OPTIONS_INIT;
	struct sg_hash_item *it = calloc(NFILES, sizeof(*it));

	two.threads = 2;
	two.min_per_thread = 1;
	for (unsigned i = 0; i < NFILES; i++)
		it[i].path = f->names[i];
	it[450].path = "missing-late";
	it[7].path = "missing-early";
	for (int round = 0; round < 20; round++) {
		struct sg_error err = SG_ERROR_INIT;

		assert_int_equal(
		    sg_hash_files(it, NFILES, &f->d, &two, &err), SG_ENOTFOUND);
		assert_non_null(strstr(err.message, "missing-early"));
		sg_error_release(&err);
		sg_hash_items_release(it, NFILES);
	}
	free(it);
}

static void
paths_out_of_the_root_are_refused(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_hash_item it = {.path = "etc/passwd"};

	assert_int_equal(sg_dir_symlink(&f->d, "etc", "/etc", &err), 0);
	assert_int_equal(sg_hash_files(&it, 1, &f->d, NULL, &err), SG_EINVAL);
	sg_error_release(&err);
	it.path = "../x";
	assert_int_equal(sg_hash_files(&it, 1, &f->d, NULL, &err), SG_EINVAL);
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		digests_match_one_shot_sha256_on_any_number_of_threads, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		symlinks_are_recorded_as_their_target, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		a_file_across_chunks, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		the_first_failure_in_list_order_is_reported, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		paths_out_of_the_root_are_refused, setup, teardown),
	};

	return cmocka_run_group_tests_name("evidence/hash", tests, NULL, NULL);
}
