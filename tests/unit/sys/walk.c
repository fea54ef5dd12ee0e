/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/sys/walk.c: entry types and paths, symlinks
 * reported and never followed, skipping, the depth and path-length caps,
 * errors from the callback and from the file system.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/walk.h"

static char tmp[64];

static void
mk(const char *rel, const char *content)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	if (!content) {
		assert_int_equal(mkdir(p, 0755), 0);
		return;
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void
ln(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/sg-walk-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", tmp,
	    tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Collects "T rel depth" lines, sorted at the end. */
struct seen {
	char *lines[64];
	size_t n;
	const char *skip; /* a rel not to enter */
	const char *fail; /* a rel at which to return SG_EGATE */
};

static int
collect(const struct sg_walk_entry *e, void *payload)
{
	static const char types[] = "?fdlo";
	struct seen *s = payload;
	char line[600];

	assert_true(s->n < SG_ARRAY_SIZE(s->lines));
	assert_int_equal(strlen(e->rel), e->rel_len);
	assert_int_equal(strlen(e->path), e->path_len);
	assert_string_equal(e->path + e->path_len - e->rel_len, e->rel);
	snprintf(line, sizeof(line), "%c %s %u", types[e->type], e->rel,
	    e->depth);
	s->lines[s->n++] = strdup(line);
	if (s->fail && !strcmp(e->rel, s->fail))
		return SG_EGATE;
	if (s->skip && !strcmp(e->rel, s->skip))
		return SG_WALK_SKIP;
	return SG_WALK_CONTINUE;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
joined(struct seen *s)
{
	static char out[4096];
	size_t len = 0;

	qsort(s->lines, s->n, sizeof(*s->lines), cmp);
	out[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s;",
		    s->lines[i]);
		free(s->lines[i]);
	}
	s->n = 0;
	return out;
}

static void
types_paths_and_symlinks(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct seen s = {0};
	char root[80];

	(void)state;
	mk("a", NULL);
	mk("a/b", NULL);
	mk("a/b/x.feature", "x");
	mk(".hidden", NULL);
	mk(".hidden/y", "y");
	mk("top", "t");
	ln("a", "dirlink");
	ln("a/b/x.feature", "filelink");
	ln("nowhere", "dangling");
	snprintf(root, sizeof(root), "%s/fifo", tmp);
	assert_int_equal(mkfifo(root, 0644), 0);

	snprintf(root, sizeof(root), "%s/", tmp); /* a trailing slash */
	assert_int_equal(sg_walk(root, 0, collect, &s, &err), 0);
	assert_string_equal(joined(&s),
	    "d .hidden 1;d a 1;d a/b 2;f .hidden/y 2;f a/b/x.feature 3;"
	    "f top 1;l dangling 1;l dirlink 1;l filelink 1;o fifo 1;");
	assert_int_equal(err.code, 0);
}

static void
paths_join_the_root(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	char *saved = getcwd(NULL, 0);
	struct seen s = {0};

	(void)state;
	mk("d", NULL);
	mk("d/f", "f");
	assert_int_equal(chdir(tmp), 0);
	/* "." gives bare relative paths; "d" gives "d/f". */
	assert_int_equal(sg_walk(".", 0, collect, &s, &err), 0);
	assert_string_equal(joined(&s), "d d 1;f d/f 2;");
	assert_int_equal(sg_walk("d", 0, collect, &s, &err), 0);
	assert_string_equal(joined(&s), "f f 1;");
	assert_int_equal(chdir(saved), 0);
	free(saved);
}

static void
skip_and_callback_errors(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct seen s = {0};

	(void)state;
	mk("a", NULL);
	mk("a/in", "x");
	mk("b", "x");
	s.skip = "a";
	assert_int_equal(sg_walk(tmp, 0, collect, &s, &err), 0);
	assert_string_equal(joined(&s), "d a 1;f b 1;");
	s.skip = NULL;
	s.fail = "a/in";
	assert_int_equal(sg_walk(tmp, 0, collect, &s, &err), SG_EGATE);
	joined(&s);
}

static void
depth_is_capped(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct seen s = {0};
	static const char *const rels[] = {"d", "d/d", "d/d/d", "d/d/d/d"};

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(rels); i++)
		mk(rels[i], NULL);
	/*
	 * d/d/d/d is at depth 4; entering it (its entries would be at depth
	 * 5) needs max_depth 5, even though it is empty.
	 */
	assert_int_equal(sg_walk(tmp, 5, collect, &s, &err), 0);
	joined(&s);
	assert_int_equal(sg_walk(tmp, 4, collect, &s, &err), SG_EINVAL);
	assert_non_null(
	    strstr(err.message, "/d/d/d/d' is nested too deeply"));
	assert_non_null(strstr(err.message, "4 levels"));
	joined(&s);
	sg_error_release(&err);
}

static void
path_length_is_capped(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct seen s = {0};
	char name[201];
	int fd;
	int sub;

	(void)state;
	memset(name, 'n', 200);
	name[200] = '\0';
	/*
	 * 25 levels of 200 bytes: 5,000 bytes, over SG_WALK_PATH_MAX, made
	 * with mkdirat because mkdir(2) itself would refuse such a path.
	 */
	fd = open(tmp, O_RDONLY | O_DIRECTORY);
	for (int i = 0; i < 25; i++) {
		assert_int_equal(mkdirat(fd, name, 0755), 0);
		sub = openat(fd, name, O_RDONLY | O_DIRECTORY);
		close(fd);
		fd = sub;
	}
	close(fd);
	assert_int_equal(sg_walk(tmp, 0, collect, &s, &err), SG_EINVAL);
	assert_non_null(strstr(err.message, "is too long"));
	for (size_t i = 0; i < s.n; i++)
		free(s.lines[i]);
	sg_error_release(&err);
}

static void
root_errors(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct seen s = {0};
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/none", tmp);
	assert_int_equal(sg_walk(p, 0, collect, &s, &err), SG_ENOTFOUND);
	assert_non_null(strstr(err.message, "does not exist"));
	sg_error_release(&err);
	mk("file", "x");
	snprintf(p, sizeof(p), "%s/file", tmp);
	assert_int_equal(sg_walk(p, 0, collect, &s, &err), SG_EINVAL);
	assert_non_null(strstr(err.message, "is not a directory"));
	sg_error_release(&err);
	ln("loop", "loop");
	snprintf(p, sizeof(p), "%s/loop", tmp);
	assert_int_equal(sg_walk(p, 0, collect, &s, &err), SG_EINVAL);
	assert_non_null(strstr(err.message, "is a symlink loop"));
	sg_error_release(&err);
	/* A root that is a symlink to a directory is followed. */
	mk("real", NULL);
	mk("real/f", "x");
	ln("real", "alias");
	snprintf(p, sizeof(p), "%s/alias", tmp);
	assert_int_equal(sg_walk(p, 0, collect, &s, &err), 0);
	assert_string_equal(joined(&s), "f f 1;");
}

/* The queries: lstat sizes, link targets (loops are errors), access. */
static int
query(const struct sg_walk_entry *e, void *payload)
{
	struct sg_error *err = payload;
	struct sg_fs_stat st;
	enum sg_fs_type t;
	int rc;

	if ((rc = sg_walk_lstat(&st, e, err)) < 0)
		return rc;
	assert_int_equal(st.type, e->type);
	if (!strcmp(e->name, "five"))
		assert_int_equal(st.size, 5);
	if (e->type != SG_FS_SYMLINK)
		return sg_walk_check_readable(e, err);
	if ((rc = sg_walk_link_target(&t, e, err)) < 0)
		return rc;
	if (!strcmp(e->name, "todir"))
		assert_int_equal(t, SG_FS_DIR);
	if (!strcmp(e->name, "dangling"))
		assert_int_equal(t, SG_FS_NONE);
	return 0;
}

static void
queries(void **state)
{
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	mk("five", "12345");
	mk("dir", NULL);
	ln("dir", "todir");
	ln("nowhere", "dangling");
	assert_int_equal(sg_walk(tmp, 0, query, &err, &err), 0);
	ln("l2", "l1");
	ln("l1", "l2");
	assert_int_equal(sg_walk(tmp, 0, query, &err, &err), SG_EINVAL);
	assert_non_null(strstr(err.message, "is a symlink loop"));
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(types_paths_and_symlinks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(paths_join_the_root, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(skip_and_callback_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(depth_is_capped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(path_length_is_capped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(root_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(queries, setup, teardown),
	};

	return cmocka_run_group_tests_name("sys/walk", tests, NULL, NULL);
}
