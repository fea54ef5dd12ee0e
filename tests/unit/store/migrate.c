/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the schema migrations of the SQLite backend: from an
 * empty file to the latest version, applied once, recorded in
 * schema_version; a store newer than the library is refused; the
 * connection settings (WAL) stick.
 */
#include "../../harness/store.h"

#include "store/migrations.h"

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

static void
embedded_migrations_are_numbered_from_one(void **state)
{
	(void)state;
	assert_true(sg_store__sqlite_nmigrations >= 1);
	for (unsigned i = 0; i < sg_store__sqlite_nmigrations; i++) {
		assert_int_equal(sg_store__sqlite_migrations[i].version, i + 1);
		assert_non_null(strstr(sg_store__sqlite_migrations[i].sql,
		    "CREATE"));
	}
	assert_string_equal(sg_store__sqlite_migrations[0].name,
	    "0001_initial");
}

static void
empty_store_migrates_to_the_latest(void **state)
{
	struct fixture *f = *state;
	struct sg_store *st;
	unsigned latest = 0;

	st = sg_test_store_open(f->dir);
	assert_int_equal(sg_store_schema_version(st, &latest),
	    sg_store__sqlite_nmigrations);
	assert_int_equal(latest, sg_store__sqlite_nmigrations);
	sg_store_close(st);
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT count(*) FROM schema_version"),
	    sg_store__sqlite_nmigrations);
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT max(version) FROM schema_version"),
	    sg_store__sqlite_nmigrations);
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT count(*) FROM sqlite_master WHERE "
			     "type = 'table' AND name IN ('runs', "
			     "'audit_records')"),
	    2);
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT count(*) FROM schema_version WHERE "
			     "applied_at LIKE '____-__-__T__:__:__Z'"),
	    sg_store__sqlite_nmigrations);
}

static void
reopening_applies_nothing_twice(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 3; i++)
		sg_store_close(sg_test_store_open(f->dir));
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT count(*) FROM schema_version"),
	    sg_store__sqlite_nmigrations);
}

static void
store_is_in_wal_mode_with_16k_pages(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	sqlite3 *db;
	sqlite3_stmt *s;

	sg_store_close(sg_test_store_open(f->dir));
	snprintf(path, sizeof(path), "%s/state.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s,
			     NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	/* New stores get 16 KiB pages (faster scans for verification). */
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s,
			     NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 16384);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void
newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;

	sg_store_close(sg_test_store_open(f->dir));
	sg_test_sql(f->dir,
	    "INSERT INTO schema_version VALUES (999, '0999_future', "
	    "'2030-01-01T00:00:00Z')");
	opts.root = f->dir;
	assert_int_equal(sg_store_open(&st, "sqlite:state.db", &opts, &err),
	    SG_EIO);
	assert_null(st);
	assert_non_null(strstr(err.message, "schema version 999"));
	assert_non_null(strstr(err.message, "upgrade specgate"));
	sg_error_release(&err);
}

static void
partially_migrated_store_catches_up(void **state)
{
	struct fixture *f = *state;
	struct sg_store *st;

	/*
	 * A store whose schema_version table exists but is empty (a crash
	 * between creating it and the first migration cannot leave this,
	 * since both happen in one transaction; an old tool could).  The
	 * migration must run and record itself.
	 */
	sg_test_sql(f->dir, "CREATE TABLE schema_version (version INTEGER "
			    "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT "
			    "NOT NULL)");
	st = sg_test_store_open(f->dir);
	assert_int_equal(sg_store_schema_version(st, NULL),
	    sg_store__sqlite_nmigrations);
	sg_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(embedded_migrations_are_numbered_from_one),
		cmocka_unit_test_setup_teardown(
		    empty_store_migrates_to_the_latest, setup, teardown),
		cmocka_unit_test_setup_teardown(reopening_applies_nothing_twice,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(store_is_in_wal_mode_with_16k_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    partially_migrated_store_catches_up, setup, teardown),
	};

	return cmocka_run_group_tests_name("store/migrate", tests, NULL, NULL);
}
