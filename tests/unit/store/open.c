/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for opening a store (src/lib/store/store.c, st_sqlite.c):
 * URL parsing and its errors, where the file goes, the 0700 directory,
 * SG_STORE_OPEN_NO_CREATE, and files that are not stores.
 */
#include <sys/stat.h>

#include "../../harness/store.h"

#include "specgate/sys/store_backend.h"

struct fixture {
	char *dir;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = sg_test_tmpdir();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	sg_test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Open url under f->dir; return the code and leave the message in err. */
static int
try_open(struct fixture *f, const char *url, unsigned flags,
    struct sg_error *err)
{
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_store *st = NULL;
	int error;

	opts.root = f->dir;
	opts.flags = flags;
	error = sg_store_open(&st, url, &opts, err);
	if (error)
		assert_null(st);
	sg_store_close(st);
	return error;
}

static void
bad_urls_are_refused(void **state)
{
	static const struct {
		const char *url;
		const char *message; /* a part of it */
	} cases[] = {
		{"state.db", "has no scheme"},
		{":state.db", "has no scheme"},
		{"", "has no scheme"},
		{"sqlite:", "names no file"},
		{"sqlite://state.db", "write sqlite:PATH"},
		{"mysql://db/x", "unknown store URL scheme 'mysql'"},
		{"file:state.db", "unknown store URL scheme 'file'"},
		{"postgres:u:secret@db/specgate", "must read postgres://"},
		{"postgresql:secret", "must read postgres://"},
		{"POSTGRES:/u:secret@db/specgate", "must read postgres://"},
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		struct sg_error err = SG_ERROR_INIT;

		assert_int_equal(try_open(f, cases[i].url, 0, &err),
		    SG_EINVAL);
		if (!strstr(err.message, cases[i].message))
			fail_msg("'%s': got \"%s\"", cases[i].url,
			    err.message);
		/* A PostgreSQL URL may carry a password: never repeat it. */
		assert_null(strstr(err.message, "secret"));
		sg_error_release(&err);
	}
}

static void
relative_path_is_under_the_root_in_a_private_dir(void **state)
{
	struct fixture *f = *state;
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;
	char path[4096];
	struct stat sb;

	opts.root = f->dir;
	/* NULL: the default, sqlite:.specgate/state.db */
	assert_int_equal(sg_store_open(&st, NULL, &opts, &err), 0);
	snprintf(path, sizeof(path), "%s/.specgate/state.db", f->dir);
	assert_string_equal(sg_store_location(st), path);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	snprintf(path, sizeof(path), "%s/.specgate", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	sg_store_close(st);

	/* Deeper directories are created too, each 0700. */
	assert_int_equal(sg_store_open(&st, "sqlite:a/b/c.db", &opts, &err),
	    0);
	sg_store_close(st);
	snprintf(path, sizeof(path), "%s/a/b", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	sg_error_release(&err);
}

static void
absolute_path_ignores_the_root(void **state)
{
	struct fixture *f = *state;
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;
	char url[4096];
	char path[4096];
	struct stat sb;

	opts.root = "/nonexistent/root";
	snprintf(url, sizeof(url), "sqlite:%s/abs/state.db", f->dir);
	assert_int_equal(sg_store_open(&st, url, &opts, &err), 0);
	assert_string_equal(sg_store_location(st), url + 7);
	sg_store_close(st);
	snprintf(path, sizeof(path), "%s/abs/state.db", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	sg_error_release(&err);
}

static void
no_create_reports_a_missing_store(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char path[4096];
	struct stat sb;

	assert_int_equal(try_open(f, "sqlite:.specgate/state.db",
			     SG_STORE_OPEN_NO_CREATE, &err),
	    SG_ENOTFOUND);
	assert_non_null(strstr(err.message, "no store at"));
	sg_error_release(&err);
	/* Nothing was created on the way. */
	snprintf(path, sizeof(path), "%s/.specgate", f->dir);
	assert_int_equal(stat(path, &sb), -1);
	/* Once it exists, NO_CREATE opens it. */
	assert_int_equal(try_open(f, "sqlite:.specgate/state.db", 0, &err), 0);
	assert_int_equal(try_open(f, "sqlite:.specgate/state.db",
			     SG_STORE_OPEN_NO_CREATE, &err),
	    0);
	sg_error_release(&err);
}

static void
a_file_that_is_not_a_store_is_an_io_error(void **state)
{
	struct fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/junk.db", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not an SQLite database, not even close to one.....\n"
	      "it needs to be long enough for SQLite to read a header\n",
	    fp);
	fclose(fp);
	assert_int_equal(try_open(f, "sqlite:junk.db", 0, &err), SG_EIO);
	assert_non_null(strstr(err.message, "junk.db"));
	assert_non_null(strstr(err.message, "not a database"));
	sg_error_release(&err);

	/* A directory in the way of the store's directory. */
	snprintf(path, sizeof(path), "%s/plain", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(try_open(f, "sqlite:plain/state.db", 0, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "a file is in the way"));
	sg_error_release(&err);
}

static void
the_backend_table_is_complete(void **state)
{
	const struct sg_store_backend *const all[] = {
		&sg_store_sqlite_backend, &sg_store_pg_backend};
	const char *const schemes[] = {"sqlite", "postgres"};

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(all); i++) {
		const struct sg_store_backend *be = all[i];

		assert_int_equal(be->version, SG_STORE_BACKEND_VERSION);
		assert_string_equal(be->scheme, schemes[i]);
		assert_non_null(be->connect);
		assert_non_null(be->disconnect);
		assert_non_null(be->schema_version);
		assert_non_null(be->begin);
		assert_non_null(be->commit);
		assert_non_null(be->rollback);
		assert_non_null(be->run_insert);
		assert_non_null(be->run_update);
		assert_non_null(be->run_list);
		assert_non_null(be->claim_insert);
		assert_non_null(be->claim_get);
		assert_non_null(be->audit_head);
		assert_non_null(be->audit_insert);
		assert_non_null(be->audit_scan);
		assert_non_null(be->verified_head_get);
		assert_non_null(be->verified_head_put);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bad_urls_are_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    relative_path_is_under_the_root_in_a_private_dir, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(absolute_path_ignores_the_root,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    no_create_reports_a_missing_store, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    a_file_that_is_not_a_store_is_an_io_error, setup, teardown),
		cmocka_unit_test(the_backend_table_is_complete),
	};

	return cmocka_run_group_tests_name("store/open", tests, NULL, NULL);
}
