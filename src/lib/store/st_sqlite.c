/* SPDX-License-Identifier: MIT */
/*
 * st_sqlite.c - the SQLite store backend (specgate/sys/store_backend.h).
 *
 * One connection per struct sg_store, opened in multi-thread mode (the
 * library never shares one between threads), with:
 *
 *  - journal_mode=WAL: readers (audit verify, the dashboard) never block
 *    the writer and the writer never blocks them;
 *  - synchronous=FULL: the WAL is synced at every commit, so an
 *    acknowledged audit append survives a power cut, not just a crash of
 *    the process;
 *  - a busy timeout: a writer waits for the others instead of failing;
 *  - 16 KiB pages for new stores: verification reads the whole trail in
 *    order, and bigger pages make that 15% cheaper (fewer reads, less
 *    b-tree overhead per record); the price is up to four times more WAL
 *    bytes per commit, which the fsync at each commit dwarfs anyway.  An
 *    existing store keeps its page size;
 *  - writer transactions as BEGIN IMMEDIATE: the write lock is taken at
 *    BEGIN, where the busy handler applies.  A deferred transaction that
 *    reads the audit head and then writes could fail with
 *    SQLITE_BUSY_SNAPSHOT when another process appended in between, which
 *    no amount of waiting fixes.
 *
 * The statements used on every run or append are prepared once per
 * connection and reset after each use; the filtered listings build their
 * SQL from the filter and are prepared per call.  The audit scan is the hot
 * loop of verification: rows are streamed to the callback with pointers
 * into SQLite's own column buffers (no copy, no allocation per row).
 *
 * Schema migrations (migrations.h) are applied at open, each in a writer
 * transaction of its own together with its schema_version row, so that
 * processes opening a new store at the same time apply each exactly once.
 *
 * This is the only file of the library that includes sqlite3.h.
 */
#include "specgate/sys/store_backend.h"

#include <sqlite3.h>
#include <string.h>

#include "store/migrations.h"
#include "sys/fs.h"
#include "util/utctime.h"
#include "util/util.h"

enum stmt_id {
	S_BEGIN_READ,
	S_BEGIN_WRITE,
	S_COMMIT,
	S_ROLLBACK,
	S_RUN_INSERT,
	S_RUN_UPDATE,
	S_AUDIT_HEAD,
	S_AUDIT_INSERT,
	S_CLAIM_INSERT,
	S_CLAIM_BY_WAITING,
	S_CLAIM_BY_CONTINUATION,
	S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_BEGIN_READ] = "BEGIN",
	[S_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_RUN_INSERT] = "INSERT INTO runs (feature_id, run_id, mode, status,"
			 " started_at, finished_at, bundle)"
			 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			 " ON CONFLICT (feature_id, run_id) DO NOTHING",
	[S_RUN_UPDATE] = "UPDATE runs SET status = ?3, finished_at = ?4,"
			 " bundle = coalesce(?5, bundle)"
			 " WHERE feature_id = ?1 AND run_id = ?2",
	[S_AUDIT_HEAD] = "SELECT seq, hash FROM audit_records"
			 " ORDER BY seq DESC LIMIT 1",
	[S_AUDIT_INSERT] = "INSERT INTO audit_records (seq, ts, run_id,"
			   " feature_id, stage, status, output, output_sha256,"
			   " mode, prev_hash, hash)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			   " ?11)",
	[S_CLAIM_INSERT] = "INSERT INTO run_claims (feature_id, run_id,"
			   " continuation_id, claimed_at)"
			   " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
	[S_CLAIM_BY_WAITING] = "SELECT continuation_id FROM run_claims"
			       " WHERE feature_id = ?1 AND run_id = ?2",
	[S_CLAIM_BY_CONTINUATION] = "SELECT run_id FROM run_claims"
				    " WHERE feature_id = ?1"
				    " AND continuation_id = ?2",
};

#define AUDIT_COLUMNS                                                      \
	"seq, ts, run_id, feature_id, stage, status, output, output_sha256," \
	" mode, prev_hash, hash"
#define RUN_COLUMNS                                                        \
	"feature_id, run_id, mode, status, started_at, finished_at, bundle,"  \
	" (SELECT c.continuation_id FROM run_claims c"                       \
	" WHERE c.feature_id = runs.feature_id AND c.run_id = runs.run_id),"  \
	" (SELECT c.run_id FROM run_claims c WHERE c.feature_id ="           \
	" runs.feature_id AND c.continuation_id = runs.run_id)"

/*
 * What a text column of a scanned record reads as when it is not text, or
 * holds a NUL: a byte that no field allows, so that verification reports
 * the field instead of reading a prefix of it.
 */
static const char not_text[] = "\x7f";

struct conn {
	sqlite3 *db;
	char *path; /* owned: the file, for messages */
	unsigned busy_ms;
	unsigned schema;
	sqlite3_stmt *stmt[S_COUNT];
};

/* A failed call on c->db, as SG_EIO naming the store and SQLite's reason. */
static int
db_fail(struct conn *c, struct sg_error *err, const char *what)
{
	int rc;

	rc = sqlite3_errcode(c->db);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return sg_error_set(err, SG_EIO,
		    "store '%s' is busy: cannot %s within %u ms: %s", c->path,
		    what, c->busy_ms, sqlite3_errmsg(c->db));
	return sg_error_set(err, SG_EIO, "store '%s': cannot %s: %s", c->path,
	    what, sqlite3_errmsg(c->db));
}

/* The cached statement `id`, reset and unbound, prepared on first use. */
static int
stmt(sqlite3_stmt **out, struct conn *c, enum stmt_id id,
    struct sg_error *err)
{
	if (!c->stmt[id] &&
	    sqlite3_prepare_v3(c->db, stmt_sql[id], -1,
		SQLITE_PREPARE_PERSISTENT, &c->stmt[id], NULL) != SQLITE_OK)
		return db_fail(c, err, "prepare a statement");
	sqlite3_reset(c->stmt[id]);
	sqlite3_clear_bindings(c->stmt[id]);
	*out = c->stmt[id];
	return 0;
}

/* Run a cached statement that returns no rows. */
static int
exec_stmt(struct conn *c, enum stmt_id id, const char *what,
    struct sg_error *err)
{
	sqlite3_stmt *s;
	int error;

	if ((error = stmt(&s, c, id, err)) < 0)
		return error;
	if (sqlite3_step(s) != SQLITE_DONE)
		error = db_fail(c, err, what);
	sqlite3_reset(s);
	return error;
}

/* Run SQL that may hold several statements, and returns no rows. */
static int
exec_sql(struct conn *c, const char *sql, const char *what,
    struct sg_error *err)
{
	char *msg = NULL;
	int error = 0;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		error = sg_error_set(err, SG_EIO, "store '%s': cannot %s: %s",
		    c->path, what, msg ? msg : sqlite3_errmsg(c->db));
	sqlite3_free(msg);
	return error;
}

/*
 * Bind a string, or NULL.  SQLITE_STATIC: every caller steps and resets the
 * statement before the strings it was given go away.
 */
static int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static int
sq_begin(void *conn, enum sg_store_txn kind, struct sg_error *err)
{
	struct conn *c = conn;

	if (kind == SG_STORE_TXN_WRITE)
		return exec_stmt(c, S_BEGIN_WRITE,
		    "start a write transaction", err);
	return exec_stmt(c, S_BEGIN_READ, "start a read transaction", err);
}

static void
sq_rollback(void *conn)
{
	struct conn *c = conn;

	if (sqlite3_get_autocommit(c->db))
		return;
	/* A failed ROLLBACK leaves nothing to do: closing rolls back too. */
	exec_stmt(c, S_ROLLBACK, "roll back", NULL);
}

static int
sq_commit(void *conn, struct sg_error *err)
{
	struct conn *c = conn;
	int error;

	if ((error = exec_stmt(c, S_COMMIT, "commit", err)) < 0)
		sq_rollback(c);
	return error;
}

/* The highest migration recorded in schema_version, 0 for a new store. */
static int
read_version(unsigned *out, struct conn *c, struct sg_error *err)
{
	static const char exists_sql[] =
	    "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'schema_version'";
	static const char max_sql[] =
	    "SELECT coalesce(max(version), 0) FROM schema_version";
	sqlite3_stmt *s = NULL;
	int error = 0;

	*out = 0;
	if (sqlite3_prepare_v2(c->db, exists_sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		error = db_fail(c, err, "read the schema version");
		goto out;
	}
	if (!sqlite3_column_int(s, 0))
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(c->db, max_sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		error = db_fail(c, err, "read the schema version");
		goto out;
	}
	*out = (unsigned)sqlite3_column_int(s, 0);
out:
	sqlite3_finalize(s);
	return error;
}

/* Apply migration m unless another process did first. */
static int
apply_migration(struct conn *c, const struct sg_store_migration *m,
    struct sg_error *err)
{
	static const char table_sql[] =
	    "CREATE TABLE IF NOT EXISTS schema_version ("
	    " version INTEGER PRIMARY KEY,"
	    " name TEXT NOT NULL,"
	    " applied_at TEXT NOT NULL)";
	static const char insert_sql[] = "INSERT INTO schema_version"
					 " (version, name, applied_at)"
					 " VALUES (?1, ?2, ?3)";
	char now[SG_UTC_ISO_SIZE];
	sqlite3_stmt *s = NULL;
	unsigned v;
	int error;

	if ((error = sq_begin(c, SG_STORE_TXN_WRITE, err)) < 0)
		return error;
	if ((error = exec_sql(c, table_sql, "create schema_version", err)) <
		0 ||
	    (error = read_version(&v, c, err)) < 0)
		goto out;
	if (v >= m->version)
		goto out;
	if ((error = exec_sql(c, m->sql, "apply a migration", err)) < 0)
		goto out;
	if (sg_utc_iso(now, sg_utc_now()) < 0)
		snprintf(now, sizeof(now), "1970-01-01T00:00:00Z");
	if (sqlite3_prepare_v2(c->db, insert_sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_int(s, 1, (int)m->version) != SQLITE_OK ||
	    bind_text(s, 2, m->name) != SQLITE_OK ||
	    bind_text(s, 3, now) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		error = db_fail(c, err, "record a migration");
		goto out;
	}
out:
	sqlite3_finalize(s);
	if (error)
		sq_rollback(c);
	else
		error = sq_commit(c, err);
	return error;
}

static int
migrate(struct conn *c, struct sg_error *err)
{
	unsigned latest = sg_store__sqlite_nmigrations;
	unsigned v;
	int error;

	if ((error = read_version(&v, c, err)) < 0)
		return error;
	if (v > latest)
		return sg_error_set(err, SG_EIO,
		    "store '%s' has schema version %u, newer than this "
		    "specgate knows (%u); upgrade specgate",
		    c->path, v, latest);
	for (unsigned i = v; i < latest; i++) {
		if (sg_store__sqlite_migrations[i].version != i + 1)
			SG_BUG("migrations out of order");
		error = apply_migration(c, &sg_store__sqlite_migrations[i],
		    err);
		if (error < 0)
			return error;
	}
	return read_version(&c->schema, c, err);
}

/*
 * Switch to WAL, which every connection to the store then shares.
 *
 * The switch needs an exclusive lock on a store still in rollback mode,
 * and SQLite does not call the busy handler when two connections would
 * wait for each other there (both hold a shared lock and want more): one
 * of them gets SQLITE_BUSY at once.  That is exactly what processes
 * creating a new store at the same time do, so retry here, backing off up
 * to 50 ms, for as long as the busy timeout allows.
 */
static int
set_wal(struct conn *c, struct sg_error *err)
{
	sqlite3_stmt *s = NULL;
	unsigned waited = 0;
	int pause = 1;
	int rc;
	int error = 0;

	if (sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &s,
		NULL) != SQLITE_OK) {
		error = db_fail(c, err, "switch to WAL mode");
		goto out;
	}
	while ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		if ((rc & 0xff) != SQLITE_BUSY || waited >= c->busy_ms) {
			error = db_fail(c, err, "switch to WAL mode");
			goto out;
		}
		sqlite3_reset(s);
		waited += (unsigned)sqlite3_sleep(pause);
		pause = pause < 50 ? pause * 2 : 50;
	}
	if (strcmp((const char *)sqlite3_column_text(s, 0), "wal"))
		error = sg_error_set(err, SG_EIO,
		    "store '%s': cannot switch to WAL mode (journal mode stays "
		    "'%s')",
		    c->path, (const char *)sqlite3_column_text(s, 0));
out:
	sqlite3_finalize(s);
	return error;
}

static void
sq_close(void *conn)
{
	struct conn *c = conn;

	if (!c)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(c->stmt[i]);
	/* close_v2: a statement leaked by a bug delays the close, not us. */
	sqlite3_close_v2(c->db);
	free(c->path);
	free(c);
}

static int
sq_open(void **out, const char *location, const struct sg_store_options *opts,
    struct sg_error *err)
{
	struct conn *c;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int error = 0;

	*out = NULL;
	c = sg_xcalloc(1, sizeof(*c));
	c->path = sg_xstrdup(location);
	c->busy_ms = opts->busy_timeout_ms;
	if (opts->flags & SG_STORE_OPEN_NO_CREATE) {
		if (!sg_fs_exists(location)) {
			error = sg_error_set(err, SG_ENOTFOUND,
			    "no store at '%s'", location);
			goto out;
		}
	} else {
		flags |= SQLITE_OPEN_CREATE;
	}
	if (sqlite3_open_v2(location, &c->db, flags, NULL) != SQLITE_OK) {
		error = c->db ? db_fail(c, err, "open it") :
				sg_error_set(err, SG_EIO,
				    "store '%s': cannot open it: out of memory",
				    location);
		goto out;
	}
	sqlite3_extended_result_codes(c->db, 1);
	if (sqlite3_busy_timeout(c->db, (int)c->busy_ms) != SQLITE_OK) {
		error = db_fail(c, err, "set the busy timeout");
		goto out;
	}
	if ((error = exec_sql(c, "PRAGMA page_size=16384", "set page size",
		 err)) < 0 ||
	    (error = set_wal(c, err)) < 0 ||
	    (error = exec_sql(c, "PRAGMA synchronous=FULL",
		 "set synchronous=FULL", err)) < 0 ||
	    (error = migrate(c, err)) < 0)
		goto out;
	*out = c;
	c = NULL;
out:
	sq_close(c);
	return error;
}

static unsigned
sq_schema_version(void *conn, unsigned *out_latest)
{
	struct conn *c = conn;

	*out_latest = sg_store__sqlite_nmigrations;
	return c->schema;
}

static int
sq_run_insert(bool *out_inserted, void *conn, const struct sg_run *run,
    struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s;
	int error;

	*out_inserted = false;
	if ((error = stmt(&s, c, S_RUN_INSERT, err)) < 0)
		return error;
	if (bind_text(s, 1, run->feature_id) != SQLITE_OK ||
	    bind_text(s, 2, run->run_id) != SQLITE_OK ||
	    bind_text(s, 3, run->mode) != SQLITE_OK ||
	    bind_text(s, 4, run->status) != SQLITE_OK ||
	    bind_text(s, 5, run->started_at) != SQLITE_OK ||
	    bind_text(s, 6, run->finished_at) != SQLITE_OK ||
	    bind_text(s, 7, run->bundle) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		error = db_fail(c, err, "record a run");
	else
		*out_inserted = sqlite3_changes(c->db) == 1;
	sqlite3_reset(s);
	return error;
}

static int
sq_run_update(bool *out_found, void *conn, const char *feature_id,
    const char *run_id, const struct sg_store_run_change *change,
    struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s;
	int error;

	*out_found = false;
	if ((error = stmt(&s, c, S_RUN_UPDATE, err)) < 0)
		return error;
	if (bind_text(s, 1, feature_id) != SQLITE_OK ||
	    bind_text(s, 2, run_id) != SQLITE_OK ||
	    bind_text(s, 3, change->status) != SQLITE_OK ||
	    bind_text(s, 4, change->finished_at) != SQLITE_OK ||
	    bind_text(s, 5, change->bundle) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		error = db_fail(c, err, "update a run");
	else
		*out_found = sqlite3_changes(c->db) == 1;
	sqlite3_reset(s);
	return error;
}

/*
 * A query built from a filter: the SQL and the strings to bind in order.
 * At most 4 string conditions, then the numbers.
 */
struct query {
	struct sg_buf sql;
	const char *args[4];
	int nargs;
};

static void
where(struct query *q, const char *column, const char *value)
{
	if (!value)
		return;
	if (q->nargs >= (int)SG_ARRAY_SIZE(q->args))
		SG_BUG("too many filter conditions");
	sg_buf_printf(&q->sql, " AND %s = ?%d", column, q->nargs + 1);
	q->args[q->nargs++] = value;
}

/* Prepare q and bind its strings; the caller binds the numbers after. */
static int
prepare_query(sqlite3_stmt **out, struct conn *c, struct query *q,
    struct sg_error *err)
{
	*out = NULL;
	if (sqlite3_prepare_v2(c->db, q->sql.ptr, (int)q->sql.len, out,
		NULL) != SQLITE_OK)
		return db_fail(c, err, "prepare a query");
	for (int i = 0; i < q->nargs; i++) {
		if (bind_text(*out, i + 1, q->args[i]) != SQLITE_OK)
			return db_fail(c, err, "prepare a query");
	}
	return 0;
}

/* A nullable text column: NULL stays NULL. */
static const char *
col_opt(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* A text column that is never NULL: NULL reads as "". */
static const char *
col(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	return v ? v : "";
}

/*
 * A text column passed to verification: NULL reads as "", and a value with
 * a NUL inside (the right text with more behind it, which a C string would
 * silently cut) as not_text.  A BLOB holding valid text reads as that text:
 * the bytes, which are what the hash covers, are the same.  (Asking for the
 * column's type as well costs a tenth of the scan.)
 */
static const char *
col_strict(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	if (!v)
		return "";
	if (strlen(v) != (size_t)sqlite3_column_bytes(s, i))
		return not_text;
	return v;
}

static int64_t
limit_arg(uint64_t limit)
{
	return limit && limit <= INT64_MAX ? (int64_t)limit : -1;
}

static int
sq_run_list(void *conn, const struct sg_run_filter *f, sg_run_cb cb,
    void *payload, struct sg_error *err)
{
	struct conn *c = conn;
	struct query q;
	sqlite3_stmt *s = NULL;
	struct sg_run run;
	int rc;
	int error = 0;

	memset(&q, 0, sizeof(q));
	sg_buf_init(&q.sql, 0);
	sg_buf_puts(&q.sql, "SELECT " RUN_COLUMNS " FROM runs WHERE 1 = 1");
	where(&q, "feature_id", f->feature_id);
	where(&q, "run_id", f->run_id);
	where(&q, "status", f->status);
	where(&q, "mode", f->mode);
	sg_buf_printf(&q.sql,
	    " ORDER BY started_at DESC, id DESC LIMIT ?%d OFFSET ?%d",
	    q.nargs + 1, q.nargs + 2);
	if ((error = prepare_query(&s, c, &q, err)) < 0)
		goto out;
	if (sqlite3_bind_int64(s, q.nargs + 1, limit_arg(f->limit)) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(s, q.nargs + 2,
		f->offset <= INT64_MAX ? (int64_t)f->offset : INT64_MAX) !=
		SQLITE_OK) {
		error = db_fail(c, err, "prepare a query");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		run.feature_id = col(s, 0);
		run.run_id = col(s, 1);
		run.mode = col(s, 2);
		run.status = col(s, 3);
		run.started_at = col(s, 4);
		run.finished_at = col_opt(s, 5);
		run.bundle = col_opt(s, 6);
		run.continues = col_opt(s, 8);
		run.continued_by = col_opt(s, 7);
		if ((error = cb(&run, payload)) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE)
		error = db_fail(c, err, "list runs");
out:
	sqlite3_finalize(s);
	sg_buf_release(&q.sql);
	return error;
}

static int
sq_claim_insert(bool *out_inserted, void *conn, const char *feature_id,
    const char *run_id, const char *continuation_id, const char *claimed_at,
    struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s;
	int error;

	*out_inserted = false;
	if ((error = stmt(&s, c, S_CLAIM_INSERT, err)) < 0)
		return error;
	if (bind_text(s, 1, feature_id) != SQLITE_OK ||
	    bind_text(s, 2, run_id) != SQLITE_OK ||
	    bind_text(s, 3, continuation_id) != SQLITE_OK ||
	    bind_text(s, 4, claimed_at) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		error = db_fail(c, err, "record a claim");
	else
		*out_inserted = sqlite3_changes(c->db) == 1;
	sqlite3_reset(s);
	return error;
}

static int
sq_claim_get(char *out, void *conn, const char *feature_id,
    const char *run_id, bool by_continuation, struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s;
	int rc;
	int error;

	*out = '\0';
	if ((error = stmt(&s, c, by_continuation ? S_CLAIM_BY_CONTINUATION :
		 S_CLAIM_BY_WAITING, err)) < 0)
		return error;
	if (bind_text(s, 1, feature_id) != SQLITE_OK ||
	    bind_text(s, 2, run_id) != SQLITE_OK) {
		error = db_fail(c, err, "read a claim");
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(out, SG_RUN_ID_SIZE, "%s", col(s, 0));
	else if (rc != SQLITE_DONE)
		error = db_fail(c, err, "read a claim");
out:
	sqlite3_reset(s);
	return error;
}

static int
sq_audit_head(struct sg_audit_head *out, void *conn, struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s;
	const char *hash;
	int rc;
	int error;

	out->seq = 0;
	memcpy(out->hash, SG_AUDIT_GENESIS_HASH, SG_AUDIT_HASH_SIZE);
	if ((error = stmt(&s, c, S_AUDIT_HEAD, err)) < 0)
		return error;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->seq = (uint64_t)sqlite3_column_int64(s, 0);
		hash = col(s, 1);
		snprintf(out->hash, sizeof(out->hash), "%s", hash);
	} else if (rc != SQLITE_DONE) {
		error = db_fail(c, err, "read the audit trail's head");
	}
	sqlite3_reset(s);
	return error;
}

static int
sq_audit_insert(void *conn, const struct sg_audit_record *r,
    struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s;
	int error;

	if (r->seq > INT64_MAX)
		return sg_error_set(err, SG_EIO,
		    "store '%s': the audit trail is full", c->path);
	if ((error = stmt(&s, c, S_AUDIT_INSERT, err)) < 0)
		return error;
	if (sqlite3_bind_int64(s, 1, (int64_t)r->seq) != SQLITE_OK ||
	    bind_text(s, 2, r->timestamp) != SQLITE_OK ||
	    bind_text(s, 3, r->run_id) != SQLITE_OK ||
	    bind_text(s, 4, r->feature_id) != SQLITE_OK ||
	    bind_text(s, 5, r->stage) != SQLITE_OK ||
	    bind_text(s, 6, r->status) != SQLITE_OK ||
	    bind_text(s, 7, r->output) != SQLITE_OK ||
	    bind_text(s, 8, r->output_sha256) != SQLITE_OK ||
	    bind_text(s, 9, r->mode) != SQLITE_OK ||
	    bind_text(s, 10, r->prev_hash) != SQLITE_OK ||
	    bind_text(s, 11, r->hash) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		error = db_fail(c, err, "append to the audit trail");
	sqlite3_reset(s);
	return error;
}

static int
sq_audit_scan(void *conn, const struct sg_audit_filter *f,
    sg_audit_record_cb cb, void *payload, struct sg_error *err)
{
	struct conn *c = conn;
	struct sg_audit_record r;
	struct query q;
	sqlite3_stmt *s = NULL;
	int rc;
	int error = 0;

	memset(&q, 0, sizeof(q));
	sg_buf_init(&q.sql, 0);
	sg_buf_puts(&q.sql, "SELECT " AUDIT_COLUMNS
			    " FROM audit_records WHERE 1 = 1");
	where(&q, "feature_id", f->feature_id);
	where(&q, "run_id", f->run_id);
	where(&q, "stage", f->stage);
	where(&q, "status", f->status);
	sg_buf_printf(&q.sql, " AND seq > ?%d ORDER BY seq LIMIT ?%d",
	    q.nargs + 1, q.nargs + 2);
	if ((error = prepare_query(&s, c, &q, err)) < 0)
		goto out;
	if (sqlite3_bind_int64(s, q.nargs + 1,
		f->after_seq <= INT64_MAX ? (int64_t)f->after_seq :
					    INT64_MAX) != SQLITE_OK ||
	    sqlite3_bind_int64(s, q.nargs + 2, limit_arg(f->limit)) !=
		SQLITE_OK) {
		error = db_fail(c, err, "prepare a query");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.seq = (uint64_t)sqlite3_column_int64(s, 0);
		r.timestamp = col_strict(s, 1);
		r.run_id = col_strict(s, 2);
		r.feature_id = col_strict(s, 3);
		r.stage = col_strict(s, 4);
		r.status = col_strict(s, 5);
		r.output = col_strict(s, 6);
		r.output_sha256 = col_strict(s, 7);
		r.mode = col_strict(s, 8);
		r.prev_hash = col_strict(s, 9);
		r.hash = col_strict(s, 10);
		if ((error = cb(&r, payload)) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE)
		error = db_fail(c, err, "read the audit trail");
out:
	sqlite3_finalize(s);
	sg_buf_release(&q.sql);
	return error;
}

static int
sq_verified_head_get(struct sg_audit_head *out, bool *found, void *conn,
    struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s = NULL;
	const char *hash;
	int rc;
	int error = 0;

	*found = false;
	if (sqlite3_prepare_v2(c->db, "SELECT seq, hash FROM verified_heads "
		"ORDER BY id DESC LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return db_fail(c, err, "read the verified head");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		hash = col(s, 1);
		out->seq = (uint64_t)sqlite3_column_int64(s, 0);
		snprintf(out->hash, sizeof(out->hash), "%s", hash);
		*found = true;
	} else if (rc != SQLITE_DONE) {
		error = db_fail(c, err, "read the verified head");
	}
	sqlite3_finalize(s);
	return error;
}

static int
sq_verified_head_put(void *conn, const struct sg_audit_head *head,
    const char *verified_at, const char *how, struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s = NULL;
	int error = 0;

	if (sqlite3_prepare_v2(c->db, "INSERT INTO verified_heads (seq, hash, "
		"verified_at, how) VALUES (?1, ?2, ?3, ?4)", -1, &s,
		NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 1, (int64_t)head->seq) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, head->hash, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_text(s, 3, verified_at, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_text(s, 4, how, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		error = db_fail(c, err, "record the verified head");
	sqlite3_finalize(s);
	return error;
}

static int
sq_doc_insert(void *conn, const char *feature_id, const char *run_id,
    const char *path, const void *data, size_t len, struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s = NULL;
	int error = 0;

	if (sqlite3_prepare_v2(c->db, "INSERT INTO run_documents (feature_id, "
		"run_id, path, body) VALUES (?1, ?2, ?3, ?4)", -1, &s,
		NULL) != SQLITE_OK ||
	    sqlite3_bind_text(s, 1, feature_id, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_text(s, 2, run_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, path, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_blob64(s, 4, data, (sqlite3_uint64)len,
		SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		error = db_fail(c, err, "store a bundle document");
	sqlite3_finalize(s);
	return error;
}

static int
sq_doc_scan(void *conn, const char *feature_id, const char *run_id,
    sg_store_doc_row_cb cb, void *payload, struct sg_error *err)
{
	struct conn *c = conn;
	sqlite3_stmt *s = NULL;
	const void *data;
	int error = 0;
	int rc;

	if (sqlite3_prepare_v2(c->db, "SELECT feature_id, run_id, path, body "
		"FROM run_documents WHERE (?1 IS NULL OR feature_id = ?1) "
		"AND (?2 IS NULL OR run_id = ?2) "
		"ORDER BY feature_id, run_id, path", -1, &s,
		NULL) != SQLITE_OK ||
	    bind_text(s, 1, feature_id) != SQLITE_OK ||
	    bind_text(s, 2, run_id) != SQLITE_OK)
		return db_fail(c, err, "read the bundle documents");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		data = sqlite3_column_blob(s, 3);
		if ((error = cb(col_strict(s, 0), col_strict(s, 1),
			 col_strict(s, 2), data ? data : "",
			 (size_t)sqlite3_column_bytes(s, 3), payload)) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE)
		error = db_fail(c, err, "read the bundle documents");
out:
	sqlite3_finalize(s);
	return error;
}

const struct sg_store_backend sg_store_sqlite_backend = {
	.version = SG_STORE_BACKEND_VERSION,
	.scheme = "sqlite",
	.connect = sq_open,
	.disconnect = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.run_insert = sq_run_insert,
	.run_update = sq_run_update,
	.run_list = sq_run_list,
	.claim_insert = sq_claim_insert,
	.claim_get = sq_claim_get,
	.audit_head = sq_audit_head,
	.audit_insert = sq_audit_insert,
	.audit_scan = sq_audit_scan,
	.verified_head_get = sq_verified_head_get,
	.verified_head_put = sq_verified_head_put,
	.doc_insert = sq_doc_insert,
	.doc_scan = sq_doc_scan,
};
