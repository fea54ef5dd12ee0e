/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/fix/whitespace.c: the byte rules (a table of
 * input -> output), in-place use, and the file side: only changed files are
 * rewritten, permission bits kept, binary files and symlinks left alone,
 * dot-directories not entered, missing paths reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../harness/tmpdir.h"

#include "specgate/fix.h"
#include "sys/fs.h"

static const struct {
	const char *in;
	const char *out;
} cases[] = {
	{"", ""},
	{"a\n", "a\n"},
	{"a", "a\n"},
	{"a  \n", "a\n"},
	{"a \t \nb\t\n", "a\nb\n"},
	{"a b\tc\n", "a b\tc\n"},	  /* blanks inside a line stay */
	{"   \n", "\n"},		  /* a blank line becomes empty */
	{"a  ", "a\n"},			  /* blanks at EOF end the last line */
	{"   ", ""},			  /* only blanks: nothing left */
	{"a \r\nb\r\n", "a\r\nb\r\n"},	  /* CRLF kept, blanks before it go */
	{"a\r\nb", "a\r\nb\r\n"},	  /* the missing end follows the file */
	{"a\nb\r\nc", "a\nb\r\nc\n"},	  /* the first line end decides */
	{"a \rb\n", "a \rb\n"},		  /* a lone CR is not a line end */
	{"x \t\r", "x\r\n"},		  /* ...but a final one: CRLF */
	{"a \r\t\nb\n", "a\r\nb\n"},	  /* a CRLF once the tab goes */
	{"a\n\n\n", "a\n\n\n"},		  /* blank lines at the end stay */
	{"\t\tx\n", "\t\tx\n"},		  /* indentation stays */
	{"x\xc3\xa9  \n", "x\xc3\xa9\n"}, /* bytes, not characters */
};

static void
rules(void **state)
{
	char buf[64];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = sg_fix_whitespace(buf, cases[i].in, strlen(cases[i].in));
		buf[n] = '\0';
		assert_string_equal(buf, cases[i].out);
		/* in place, and a second pass changes nothing */
		n = strlen(cases[i].in);
		memcpy(buf, cases[i].in, n);
		n = sg_fix_whitespace(buf, buf, n);
		buf[n] = '\0';
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(sg_fix_whitespace(buf, buf, n), n);
	}
}

static void
binary_means_a_nul(void **state)
{
	(void)state;
	assert_true(sg_fix_is_binary("a\0b", 3));
	assert_false(sg_fix_is_binary("a\xff\xfe", 3));
	assert_false(sg_fix_is_binary("", 0));
}

struct seen {
	int fixed, clean, binary, skipped;
};

static void
count(const char *path, enum sg_fix_result r, void *payload)
{
	struct seen *s = payload;

	(void)path;
	if (r == SG_FIX_FIXED)
		s->fixed++;
	else if (r == SG_FIX_CLEAN)
		s->clean++;
	else if (r == SG_FIX_BINARY)
		s->binary++;
	else
		s->skipped++;
}

static char *
put(const char *dir, const char *name, const char *data, size_t len,
    unsigned mode)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	FILE *f;

	snprintf(p, n, "%s/%s", dir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	chmod(p, mode);
	return p;
}

static void
files_in_a_tree(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct seen s = {0};
	struct stat st;
	struct timespec before;
	struct sg_buf b;
	char *dir = sg_test_tmpdir();
	char *p;
	char *clean;
	char *bin;
	size_t n = 99;

	(void)state;
	p = put(dir, "script.sh", "#!/bin/sh  \necho hi", 19, 0751);
	clean = put(dir, "clean.txt", "ok\n", 3, 0644);
	bin = put(dir, "blob.bin", "a  \0b", 5, 0644);
	assert_int_equal(stat(clean, &st), 0);
	before = st.st_mtim;
	free(put(dir, ".hidden-not-a-dir", "x  ", 3, 0644));
	{
		char *h = malloc(strlen(dir) + 8);

		snprintf(h, strlen(dir) + 8, "%s/.git", dir);
		assert_int_equal(mkdir(h, 0755), 0);
		free(put(h, "config", "x  ", 3, 0644));
		free(h);
	}
	{
		char *l = malloc(strlen(dir) + 8);

		snprintf(l, strlen(dir) + 8, "%s/link", dir);
		assert_int_equal(symlink("script.sh", l), 0);
		free(l);
	}
	assert_int_equal(sg_fix_whitespace_path(&n, dir, count, &s, &err), 0);
	assert_int_equal(n, 2); /* script.sh and .hidden-not-a-dir */
	assert_int_equal(s.fixed, 2);
	assert_int_equal(s.clean, 1);
	assert_int_equal(s.binary, 1);
	assert_int_equal(s.skipped, 1); /* the symlink */

	sg_buf_init(&b, 0);
	assert_int_equal(sg_fs_read_file(&b, p, 1024, &err), 0);
	assert_string_equal(b.ptr, "#!/bin/sh\necho hi\n");
	sg_buf_truncate(&b, 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0751);
	assert_int_equal(sg_fs_read_file(&b, bin, 1024, &err), 0);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.ptr, "a  \0b", 5);
	sg_buf_release(&b);
	/* an unchanged file is not rewritten */
	assert_int_equal(stat(clean, &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, before.tv_sec);
	assert_int_equal(st.st_mtim.tv_nsec, before.tv_nsec);

	/* a second pass finds nothing to do */
	assert_int_equal(sg_fix_whitespace_path(&n, dir, NULL, NULL, &err), 0);
	assert_int_equal(n, 0);
	/* one file by name */
	free(put(dir, "one", "1 ", 2, 0600));
	free(p);
	p = malloc(strlen(dir) + 8);
	snprintf(p, strlen(dir) + 8, "%s/one", dir);
	assert_int_equal(sg_fix_whitespace_path(&n, p, NULL, NULL, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(p);

	sg_test_rmtree(dir);
	free(dir);
	free(clean);
	free(bin);
}

static void
errors(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	size_t n = 99;

	(void)state;
	assert_int_equal(sg_fix_whitespace_path(&n, "/nonexistent/specgate",
			     NULL, NULL, &err),
	    SG_ENOTFOUND);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.message, "does not exist"));
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(binary_means_a_nul),
		cmocka_unit_test(files_in_a_tree),
		cmocka_unit_test(errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
