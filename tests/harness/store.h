/* SPDX-License-Identifier: MIT */
/*
 * store.h - helpers for the store and audit unit tests: a store in a
 * scratch directory, valid records to append, and raw SQL on the file
 * behind the library's back (how the tampering tests play the attacker).
 * Header-only (static inline).
 */
#ifndef SG_TEST_STORE_H
#define SG_TEST_STORE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "specgate/audit.h"
#include "specgate/store.h"
#include "tmpdir.h"
#include "util/util.h"

#ifdef SG_TEST_STORE_PG
#include <libpq-fe.h>
#include <stdlib.h>

/*
 * A test file that defines SG_TEST_STORE_PG before including this header
 * (its tests use the library only, never raw SQLite) runs against the
 * PostgreSQL database SG_TEST_PG_URL names, when it is set: t0550 sets it
 * to the database it started.  Each store starts empty: the schema
 * `public` is dropped and made again.
 */
static inline void
sg_test_pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static inline const char *
sg_test_store_url(void)
{
	const char *url = getenv("SG_TEST_PG_URL");
	PGconn *db;
	PGresult *res;

	if (!url || !*url)
		return "sqlite:state.db";
	db = PQconnectdb(url);
	if (PQstatus(db) != CONNECTION_OK)
		fail_msg("SG_TEST_PG_URL: %s", PQerrorMessage(db));
	PQsetNoticeProcessor(db, sg_test_pg_quiet, NULL);
	res = PQexec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fail_msg("cannot empty the test database: %s",
		    PQerrorMessage(db));
	PQclear(res);
	PQfinish(db);
	return url;
}

/*
 * Raw SQL on that database (the SQL of the tests that include this is the
 * same in both dialects): the result of the one statement, to PQclear().
 */
static inline PGresult *
sg_test_pg_sql(const char *sql)
{
	PGconn *db = PQconnectdb(getenv("SG_TEST_PG_URL"));
	PGresult *res;

	if (PQstatus(db) != CONNECTION_OK)
		fail_msg("SG_TEST_PG_URL: %s", PQerrorMessage(db));
	res = PQexec(db, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(db));
	PQfinish(db);
	return res;
}

static inline bool
sg_test_on_pg(void)
{
	const char *url = getenv("SG_TEST_PG_URL");

	return url && *url;
}
#else
static inline bool
sg_test_on_pg(void)
{
	return false;
}

static inline const char *
sg_test_store_url(void)
{
	return "sqlite:state.db";
}
#endif

/*
 * Open (creating) sqlite:state.db under dir (or the PostgreSQL database
 * above), or fail the test.
 */
static inline struct sg_store *
sg_test_store_open(const char *dir)
{
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;

	opts.root = dir;
	opts.busy_timeout_ms = 60000;
	if (sg_store_open(&st, sg_test_store_url(), &opts, &err) < 0)
		fail_msg("cannot open the store: %s", err.message);
	sg_error_release(&err);
	return st;
}

/* The fixture of most store tests: a fresh store in a scratch directory. */
struct sg_test_store_fixture {
	char *dir;
	struct sg_store *st;
};

static inline int
sg_test_store_setup(void **state)
{
	struct sg_test_store_fixture *f = calloc(1, sizeof(*f));

	f->dir = sg_test_tmpdir();
	f->st = sg_test_store_open(f->dir);
	*state = f;
	return 0;
}

/* A cmocka test case run with that fixture. */
#define SG_TEST_STORE_CASE(f)                                                  \
	cmocka_unit_test_setup_teardown(f, sg_test_store_setup,                \
	    sg_test_store_teardown)

static inline int
sg_test_store_teardown(void **state)
{
	struct sg_test_store_fixture *f = *state;

	sg_store_close(f->st);
	sg_test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/*
 * A valid record, different for each i: stages, statuses and outputs
 * cycle; everything lives in static storage or in buf (64 bytes), which
 * must outlive the record.
 */
static inline struct sg_audit_record
sg_test_record(unsigned i, char *buf)
{
	static const char *const stages[] = {"preflight", "validate",
	    "generate", "build", "deploy", "audit"};
	static const char *const statuses[] = {"success", "warning",
	    "failure", "retry", "skipped", "approved"};
	struct sg_audit_record r;

	memset(&r, 0, sizeof(r));
	snprintf(buf, 64, "2025-09-24T14:%02u:%02uZ", (i / 60) % 60, i % 60);
	r.timestamp = buf;
	r.run_id = i % 3 ? "20250924140440" : "20250924140440-2";
	r.feature_id = i % 5 ? "005cc0262265" : "aaaaaaaaaaaa";
	r.stage = stages[i % 6];
	r.status = statuses[i % 6];
	r.output = i % 2 ? "spec-validation-report.json" : NULL;
	r.output_sha256 = i % 4 == 1 ?
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" :
	    NULL;
	r.mode = i % 7 ? "sandbox" : "compliance";
	return r;
}

/* Append records 1..n made by sg_test_record(), in one call. */
static inline void
sg_test_append(struct sg_store *st, unsigned first, unsigned n)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_record *recs;
	char(*bufs)[64];

	recs = calloc(n, sizeof(*recs));
	bufs = calloc(n, sizeof(*bufs));
	if (!recs || !bufs)
		abort();
	for (unsigned i = 0; i < n; i++)
		recs[i] = sg_test_record(first + i, bufs[i]);
	if (sg_audit_append(NULL, st, recs, n, &err) < 0)
		fail_msg("cannot append: %s", err.message);
	free(recs);
	free(bufs);
	sg_error_release(&err);
}

/* Run raw SQL on dir/state.db, or fail the test. */
static inline void
sg_test_sql(const char *dir, const char *sql)
{
	char path[4096];
	sqlite3 *db = NULL;
	char *msg = NULL;

#ifdef SG_TEST_STORE_PG
	if (sg_test_on_pg()) {
		PQclear(sg_test_pg_sql(sql));
		return;
	}
#endif
	snprintf(path, sizeof(path), "%s/state.db", dir);
	if (sqlite3_open_v2(path, &db,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		fail_msg("cannot open %s", path);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_free(msg);
	sqlite3_close(db);
}

/* Raw SQL returning one integer. */
static inline long long
sg_test_sql_int(const char *dir, const char *sql)
{
	char path[4096];
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long long v;

#ifdef SG_TEST_STORE_PG
	if (sg_test_on_pg()) {
		PGresult *res = sg_test_pg_sql(sql);

		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		return v;
	}
#endif
	snprintf(path, sizeof(path), "%s/state.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
		SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

#endif /* SG_TEST_STORE_H */
