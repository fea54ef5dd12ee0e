/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/spec/specset.c, included so that the static
 * helpers (normalize, id_line) and lowered caps (collect with a struct
 * limits) can be reached: the seed feature id, bytewise order, how names
 * are formed from one or several paths, sha256sum's escaping, symlink
 * rules, the caps, and files that change between collect and hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "spec/specset.c"

static char tmp[64];

static const char *
at(const char *rel)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmp, rel);
	return p[k];
}

static void
mk(const char *rel, const char *content)
{
	FILE *f;

	if (!content) {
		assert_int_equal(mkdir(at(rel), 0755), 0);
		return;
	}
	f = fopen(at(rel), "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void
ln(const char *target, const char *rel)
{
	assert_int_equal(symlink(target, at(rel)), 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/sg-specset-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Collect paths (relative to tmp, the root) with the default caps. */
static int
collect_in(struct sg_specset **out, struct sg_error *err, size_t n, ...)
{
	const char *paths[8];
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		paths[i] = va_arg(ap, const char *);
	va_end(ap);
	return sg_specset_collect(out, tmp, paths, n, 0, err);
}

/* "name;name;..." of a set. */
static const char *
names(const struct sg_specset *set)
{
	static char out[2048];
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < set->nfiles; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s;",
		    set->files[i].name);
	return out;
}

static void
copy_seed(const char *name, const char *to)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_buf b;
	const char *root = getenv("SG_TEST_ROOT");
	char p[512];

	snprintf(p, sizeof(p), "%s/data/seed/%s", root ? root : "tests", name);
	sg_buf_init(&b, 0);
	assert_int_equal(sg_fs_read_file(&b, p, 1 << 20, &err), 0);
	mk(to, b.ptr);
	sg_buf_release(&b);
}

static void
seed_feature_id(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;
	char id[SG_FEATURE_ID_LEN + 1];
	char id2[SG_FEATURE_ID_LEN + 1];

	(void)state;
	mk("features", NULL);
	copy_seed("ping.feature", "features/ping.feature");
	copy_seed("broken_ping.feature", "features/broken_ping.feature");
	assert_int_equal(collect_in(&set, &err, 1, "features"), 0);
	assert_string_equal(names(set), "broken_ping.feature;ping.feature;");
	assert_false(set->hashed);
	assert_string_equal(set->files[0].sha256, "");
	/* Unhashed: the id hashes the files itself. */
	assert_int_equal(sg_specset_feature_id(id, set, &err), 0);
	assert_string_equal(id, "3f376ea850c8");
	assert_int_equal(sg_specset_hash(set, &err), 0);
	assert_true(set->hashed);
	assert_string_equal(set->files[1].sha256,
	    "9b48540100febfac6de052428961e749a2f4acd67685d5ab46fe2e84ec16566c");
	assert_string_equal(set->files[0].path,
	    at("features/broken_ping.feature"));
	assert_int_equal(sg_specset_feature_id(id2, set, &err), 0);
	assert_string_equal(id2, "3f376ea850c8");
	assert_int_equal(set->nwarnings, 0);
	sg_specset_free(set);
	sg_specset_free(NULL);
}

/* LC_ALL=C sort order: '-' < '.' < '/' < '0' < 'B' < 'a' < 0xc3. */
static void
names_sort_bytewise(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;

	(void)state;
	mk("f", NULL);
	mk("f/a", NULL);
	mk("f/d.feature", NULL); /* a directory: entered, not collected */
	mk("f/d.feature/in.feature", "");
	mk("f/.hidden", NULL);
	mk("f/.hidden/h.feature", "");
	mk("f/a/b.feature", "");
	mk("f/a.feature", "");
	mk("f/a-b.feature", "");
	mk("f/a0.feature", "");
	mk("f/B.feature", "");
	mk("f/\xc3\xa9.feature", "");
	mk("f/.feature", "");
	mk("f/x.feature.txt", "");
	mk("f/x.Feature", "");
	mk("f/feature", "");
	assert_int_equal(collect_in(&set, &err, 1, "f"), 0);
	assert_string_equal(names(set),
	    ".feature;.hidden/h.feature;B.feature;a-b.feature;a.feature;"
	    "a/b.feature;a0.feature;d.feature/in.feature;\xc3\xa9.feature;");
	sg_specset_free(set);
}

static void
names_with_several_paths(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;
	char abs[128];

	(void)state;
	mk("features", NULL);
	mk("features/a.feature", "a");
	mk("more", NULL);
	mk("more/specs", NULL);
	mk("more/specs/b.feature", "b");
	mk("lone.feature", "l");
	/* Several directories: names relative to the root. */
	assert_int_equal(
	    collect_in(&set, &err, 2, "./more//specs/", "features"), 0);
	assert_string_equal(names(set), "features/a.feature;"
					"more/specs/b.feature;");
	assert_string_equal(set->files[1].path, at("more/specs/b.feature"));
	sg_specset_free(set);
	/* A file and a directory; a repeated name counts once. */
	assert_int_equal(collect_in(&set, &err, 3, "lone.feature", "features",
			     "features/a.feature"),
	    0);
	assert_string_equal(names(set), "features/a.feature;lone.feature;");
	assert_true(set->files[1].named);
	assert_false(set->files[0].named);
	sg_specset_free(set);
	/* A single file alone: its path relative to the root. */
	assert_int_equal(collect_in(&set, &err, 1, "more/specs/b.feature"), 0);
	assert_string_equal(names(set), "more/specs/b.feature;");
	sg_specset_free(set);
	/* The root itself among several paths. */
	assert_int_equal(collect_in(&set, &err, 2, ".", "features"), 0);
	assert_string_equal(names(set), "features/a.feature;lone.feature;"
					"more/specs/b.feature;");
	sg_specset_free(set);
	/* Absolute paths under an absolute root become relative. */
	snprintf(abs, sizeof(abs), "%s/features", tmp);
	assert_int_equal(collect_in(&set, &err, 2, abs, "more"), 0);
	assert_string_equal(names(set), "features/a.feature;"
					"more/specs/b.feature;");
	sg_specset_free(set);
}

static void
normalize_is_lexical(void **state)
{
	static const char *const cases[][2] = {
		{"features", "features"},
		{"./features//", "features"},
		{"a/./b/../c/", "a/b/../c"},
		{".", "."},
		{"./", "."},
		{"/", "/"},
		{"//x//", "/x"},
		{"", ""},
	};
	struct sg_arena a;

	(void)state;
	sg_arena_init(&a);
	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++)
		assert_string_equal(normalize(&a, cases[i][0]), cases[i][1]);
	assert_string_equal(relative_to("/r/x/y", "/r"), "x/y");
	assert_string_equal(relative_to("/r", "/r"), ".");
	assert_string_equal(relative_to("/rx/y", "/r"), "/rx/y");
	assert_string_equal(relative_to("/x", "/"), "x");
	assert_string_equal(relative_to("x", "/r"), "x");
	assert_string_equal(join(&a, ".", "x"), "x");
	assert_string_equal(join(&a, "/r", "x"), "/r/x");
	assert_string_equal(join(&a, "/", "x"), "/x");
	assert_string_equal(join(&a, "r", "."), "r");
	assert_string_equal(join(&a, "r", "/abs"), "/abs");
	sg_arena_release(&a);
}

/* The lines of `sha256sum` for awkward names, escapes included. */
static void
id_lines_escape_like_sha256sum(void **state)
{
	static const char hex[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static const char *const cases[][2] = {
		{"plain name.feature", "  plain name.feature\n"},
		{"back\\slash.feature", "  back\\\\slash.feature\n"},
		{"new\nline.feature", "  new\\nline.feature\n"},
		{"car\rriage.feature", "  car\\rriage.feature\n"},
		{"tab\tand \xc3\xa9.feature", "  tab\tand \xc3\xa9.feature\n"},
	};
	struct sg_buf b;
	char want[256];

	(void)state;
	sg_buf_init(&b, 0);
	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		bool esc = strpbrk(cases[i][0], "\\\n\r") != NULL;

		snprintf(want, sizeof(want), "%s%s%s", esc ? "\\" : "", hex,
		    cases[i][1]);
		id_line(&b, hex, cases[i][0]);
		assert_string_equal(b.ptr, want);
	}
	sg_buf_release(&b);
}

/*
 * The id over escaped names, against the sha256sum text written by hand:
 * `printf 'x' > 'a\b.feature'; sha256sum 'a\b.feature' | sha256sum`.
 */
static void
feature_id_over_escaped_names(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;
	char id[SG_FEATURE_ID_LEN + 1];
	char want[SG_SHA256_HEX_LEN + 1];
	char x[SG_SHA256_HEX_LEN + 1];
	char text[512];

	(void)state;
	mk("f", NULL);
	mk("f/a\\b.feature", "x");
	mk("f/c\nd.feature", "x");
	mk("f/plain.feature", "x");
	assert_int_equal(collect_in(&set, &err, 1, "f"), 0);
	assert_int_equal(sg_specset_feature_id(id, set, &err), 0);
	assert_int_equal(sg_sha256_hex(x, "x", 1, &err), 0);
	snprintf(text, sizeof(text),
	    "\\%s  a\\\\b.feature\n\\%s  c\\nd.feature\n%s  plain.feature\n",
	    x, x, x);
	assert_int_equal(sg_sha256_hex(want, text, strlen(text), &err), 0);
	want[SG_FEATURE_ID_LEN] = '\0';
	assert_string_equal(id, want);
	sg_specset_free(set);
}

static void
symlinks_are_never_followed(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;

	(void)state;
	mk("f", NULL);
	mk("f/real.feature", "r");
	mk("f/notes.txt", "n");
	mk("elsewhere", NULL);
	mk("elsewhere/e.feature", "e");
	ln("real.feature", "f/link.feature");
	ln("../elsewhere", "f/dirlink");
	ln("notes.txt", "f/notes-link");
	ln("missing.feature", "f/dangling.feature");
	assert_int_equal(collect_in(&set, &err, 1, "f"), 0);
	assert_string_equal(names(set), "real.feature;");
	assert_int_equal(set->nwarnings, 3);
	assert_non_null(strstr(set->warnings[0], "f/dangling.feature'"));
	assert_non_null(strstr(set->warnings[1], "f/dirlink' to a directory"));
	assert_non_null(strstr(set->warnings[2], "f/link.feature'"));
	assert_non_null(strstr(set->warnings[2], "ignoring symlink"));
	sg_specset_free(set);
	/* The same directory twice: one warning, not two. */
	assert_int_equal(collect_in(&set, &err, 2, "f", "./f"), 0);
	assert_int_equal(set->nwarnings, 3);
	sg_specset_free(set);
	/* A path the caller names is followed. */
	ln("f", "alias");
	assert_int_equal(collect_in(&set, &err, 1, "alias"), 0);
	assert_string_equal(names(set), "real.feature;");
	sg_specset_free(set);
	/* A loop anywhere is an error naming the link. */
	ln("loop", "f/loop");
	assert_int_equal(collect_in(&set, &err, 1, "f"), SG_EINVAL);
	assert_null(set);
	assert_non_null(strstr(err.message, "/f/loop' is a symlink loop"));
	sg_error_release(&err);
}

static void
bad_input(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;
	const char *none[1] = {NULL};
	char msg[256];

	(void)state;
	mk("empty", NULL);
	mk("empty/sub", NULL);
	mk("empty/readme.md", "x");
	mk("other", NULL);
	mk("spec.txt", "x");
	assert_int_equal(collect_in(&set, &err, 1, "nope"), SG_ENOTFOUND);
	assert_null(set);
	snprintf(msg, sizeof(msg), "'%s' does not exist", at("nope"));
	assert_string_equal(err.message, msg);
	sg_error_release(&err);
	assert_int_equal(collect_in(&set, &err, 1, "empty"), SG_EINVAL);
	assert_non_null(strstr(err.message, "no .feature files under '"));
	assert_non_null(strstr(err.message, "/empty'"));
	sg_error_release(&err);
	assert_int_equal(collect_in(&set, &err, 2, "empty", "other"),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "/empty', '"));
	sg_error_release(&err);
	assert_int_equal(collect_in(&set, &err, 1, "spec.txt"), SG_EINVAL);
	assert_non_null(strstr(err.message, "is not a .feature file"));
	sg_error_release(&err);
	assert_int_equal(collect_in(&set, &err, 1, ""), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_specset_collect(&set, tmp, none, 0, 0, &err),
	    SG_EINVAL);
	sg_error_release(&err);
}

static void
caps(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;
	const char *paths[] = {"f"};
	struct limits lim = {2, 1000, 8};

	(void)state;
	mk("f", NULL);
	mk("f/a.feature", "a");
	mk("f/b.feature", "b");
	mk("f/d", NULL);
	mk("f/d/e", NULL);
	assert_int_equal(collect(&set, tmp, paths, 1, 0, &lim, &err), 0);
	sg_specset_free(set);
	mk("f/c.feature", "c");
	assert_int_equal(collect(&set, tmp, paths, 1, 0, &lim, &err), SG_ETOOBIG);
	assert_non_null(strstr(err.message, "more than 2 .feature files"));
	sg_error_release(&err);
	lim.max_files = 10;
	lim.max_size = 3;
	mk("f/big.feature", "1234");
	assert_int_equal(collect(&set, tmp, paths, 1, 0, &lim, &err), SG_ETOOBIG);
	assert_non_null(strstr(err.message, "/f/big.feature' is too large"));
	sg_error_release(&err);
	lim.max_size = 10;
	lim.max_depth = 2;
	assert_int_equal(collect(&set, tmp, paths, 1, 0, &lim, &err), SG_EINVAL);
	assert_non_null(strstr(err.message, "/f/d/e' is nested too deeply"));
	sg_error_release(&err);
}

/* Files that change between collect and hash: errors name them. */
static void
files_changing_under_us(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set;
	char id[SG_FEATURE_ID_LEN + 1];

	(void)state;
	mk("f", NULL);
	mk("f/a.feature", "a");
	mk("f/b.feature", "b");
	assert_int_equal(collect_in(&set, &err, 1, "f"), 0);
	assert_int_equal(unlink(at("f/a.feature")), 0);
	ln("b.feature", "f/a.feature");
	assert_int_equal(sg_specset_hash(set, &err), SG_EINVAL);
	assert_false(set->hashed);
	assert_non_null(strstr(err.message, "/f/a.feature' is a symlink"));
	sg_error_release(&err);
	assert_int_equal(unlink(at("f/a.feature")), 0);
	assert_int_equal(sg_specset_feature_id(id, set, &err), SG_ENOTFOUND);
	assert_string_equal(id, "");
	assert_non_null(strstr(err.message, "/f/a.feature' does not exist"));
	sg_error_release(&err);
	sg_specset_free(set);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(seed_feature_id),
		T(names_sort_bytewise),
		T(names_with_several_paths),
		cmocka_unit_test(normalize_is_lexical),
		cmocka_unit_test(id_lines_escape_like_sha256sum),
		T(feature_id_over_escaped_names),
		T(symlinks_are_never_followed),
		T(bad_input),
		T(caps),
		T(files_changing_under_us),
	};
#undef T

	return cmocka_run_group_tests_name("spec/specset", tests, NULL, NULL);
}
