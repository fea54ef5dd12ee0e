/* SPDX-License-Identifier: MIT */
/*
 * st_pg.c - the PostgreSQL store backend (specgate/sys/store_backend.h),
 * over libpq, with the semantics of st_sqlite.c.
 *
 * The location is the whole postgres:// or postgresql:// URL, handed to
 * libpq as it is (PQconnectdbParams with expand_dbname), so that libpq's
 * own ways of connecting work unchanged: sslmode and the other URL
 * parameters, ~/.pgpass, PGPASSWORD and the other PG* variables, unix
 * sockets (`postgres:///db?host=/run/postgresql`).  The URL is never put
 * in a message: every message names the store by its masked form
 * (sg_url_mask(), "postgres://app:[REDACTED]@db/prod"), and a connection
 * failure names the host libpq tried.
 *
 * Transactions (docs/decisions.md, "PostgreSQL: appends serialised by an
 * advisory lock"):
 *
 *  - write: BEGIN ISOLATION LEVEL READ COMMITTED, then
 *    pg_advisory_xact_lock(SPECGATE_LOCK_KEY), waited for up to the busy
 *    timeout (lock_timeout).  Every writer takes the one lock, so writers
 *    run one at a time, as SQLite's BEGIN IMMEDIATE makes them; READ
 *    COMMITTED is what makes each statement after the lock see what the
 *    previous holder committed (REPEATABLE READ would keep the snapshot of
 *    the lock's own SELECT, taken before the wait);
 *  - read: REPEATABLE READ, READ ONLY: one snapshot, no lock.
 *
 * Rejected: SERIALIZABLE with retry.  Every append reads the chain's head,
 * so concurrent appenders conflict by construction and most would be
 * aborted; and a retry would have to replay the caller's work inside the
 * transaction (sg_store_run_continue()'s callback), which a backend cannot
 * do.
 *
 * Every statement with a value in it goes through PQexecParams with its
 * values as parameters, never spliced into the SQL.  The filtered
 * listings are one static statement each: a condition is `($1::text IS
 * NULL OR col = $1)`, which PostgreSQL folds away when the parameter is
 * NULL (an unnamed statement is planned with its values).
 *
 * The audit scan, verification's hot loop, reads through a cursor in
 * batches (FETCH 4096): memory stays bounded whatever the trail's length,
 * and the records passed to the callback point into libpq's result, with
 * nothing allocated per row.  (Single-row mode would allocate a result per
 * row.)
 *
 * A connection lost between transactions (the server restarted) is
 * re-established at the next begin() or single statement, waiting for a
 * server still starting up, with the session's settings applied again
 * (ensure_connected(), run_sql()); a writer whose wait for the lock it
 * cut begins again (pg_begin()); one lost inside a transaction fails it,
 * and the caller rolls back.
 *
 * Migrations (migrations.h, src/lib/store/migrations/pg/) are applied at
 * connect, each in a transaction holding the writer lock, with its
 * schema_version row.  This is the only file of the library that includes
 * libpq-fe.h.
 */
#include "specgate/sys/store_backend.h"

#include <limits.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/migrations.h"
#include "sys/dl.h"
#include "util/utctime.h"
#include "util/util.h"

/* libpq, opened with the first PostgreSQL store (sys/dl.h). */
#define PQ_SYMS(X) X(PQclear) \
	X(PQcmdStatus) \
	X(PQcmdTuples) \
	X(PQconnectdbParams) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQexecParams) \
	X(PQfinish) \
	X(PQgetisnull) \
	X(PQgetlength) \
	X(PQgetvalue) \
	X(PQhost) \
	X(PQntuples) \
	X(PQport) \
	X(PQreset) \
	X(PQresultErrorField) \
	X(PQresultStatus) \
	X(PQsetNoticeProcessor) \
	X(PQstatus) \
	X(PQtransactionStatus)
SG_DL_TABLE(pq, SG_SONAME_PQ, PQ_SYMS)
#define PQclear (sg_dl_pq_fn.PQclear)
#define PQcmdStatus (sg_dl_pq_fn.PQcmdStatus)
#define PQcmdTuples (sg_dl_pq_fn.PQcmdTuples)
#define PQconnectdbParams (sg_dl_pq_fn.PQconnectdbParams)
#define PQerrorMessage (sg_dl_pq_fn.PQerrorMessage)
#define PQexec (sg_dl_pq_fn.PQexec)
#define PQexecParams (sg_dl_pq_fn.PQexecParams)
#define PQfinish (sg_dl_pq_fn.PQfinish)
#define PQgetisnull (sg_dl_pq_fn.PQgetisnull)
#define PQgetlength (sg_dl_pq_fn.PQgetlength)
#define PQgetvalue (sg_dl_pq_fn.PQgetvalue)
#define PQhost (sg_dl_pq_fn.PQhost)
#define PQntuples (sg_dl_pq_fn.PQntuples)
#define PQport (sg_dl_pq_fn.PQport)
#define PQreset (sg_dl_pq_fn.PQreset)
#define PQresultErrorField (sg_dl_pq_fn.PQresultErrorField)
#define PQresultStatus (sg_dl_pq_fn.PQresultStatus)
#define PQsetNoticeProcessor (sg_dl_pq_fn.PQsetNoticeProcessor)
#define PQstatus (sg_dl_pq_fn.PQstatus)
#define PQtransactionStatus (sg_dl_pq_fn.PQtransactionStatus)

/* The advisory lock every writer takes: "specgate" in ASCII. */
#define SPECGATE_LOCK_KEY "8317696451429278821"

/* Rows per FETCH of the audit scan. */
#define SCAN_BATCH "4096"

/* How long a lost connection is tried again, at least (ms). */
#define RECONNECT_MS 30000

/* SQLSTATE of a lock wait past lock_timeout. */
#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"

#define AUDIT_COLUMNS                                                      \
	"seq, ts, run_id, feature_id, stage, status, output, output_sha256," \
	" mode, prev_hash, hash"

struct conn {
	PGconn *db;
	char *shown; /* owned: the URL masked, for messages */
	unsigned busy_ms;
	unsigned schema;
	bool in_txn; /* begin() succeeded, no commit/rollback yet */
};

/*
 * libpq's message on one line, in a new string (OUT, freed by the caller):
 * its lines joined with "; ", without the trailing newline, tabs and the
 * indentation of continuation lines.  A new string, not an edit in place:
 * "; " is longer than the newline it replaces.
 */
static char *
one_line(const char *s)
{
	char *out = sg_xmalloc(2 * strlen(s) + 1);
	char *d = out;

	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ' || p[1] == '\t' || p[1] == '\n')
				p++;
			if (!p[1])
				break;
			*d++ = ';';
			*d++ = ' ';
			continue;
		}
		*d++ = *p == '\t' ? ' ' : *p;
	}
	while (d > out && d[-1] == ' ')
		d--;
	*d = '\0';
	return out;
}

/* A failed statement (res may be NULL), as SG_EIO with the server's words. */
static int
res_fail(struct conn *c, PGresult *res, const char *what,
    struct sg_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
				  NULL;
	const char *primary = res ?
	    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char *msg;
	int error;

	msg = one_line(primary ? primary : PQerrorMessage(c->db));
	if (state && !strcmp(state, SQLSTATE_LOCK_NOT_AVAILABLE))
		error = sg_error_set(err, SG_EIO,
		    "store '%s' is busy: cannot %s within %u ms: %s", c->shown,
		    what, c->busy_ms, msg);
	else
		error = sg_error_set(err, SG_EIO, "store '%s': cannot %s: %s",
		    c->shown, what, msg);
	free(msg);
	return error;
}

/*
 * The session's settings, on a new connection and again after each
 * reconnection (PQreset() opens a new session, which has the server's
 * defaults): durability whatever the server's default, writers waiting
 * for each other up to the busy timeout, text in UTF-8.  The only value
 * in it is a number formatted here.
 */
static bool
session_setup(struct conn *c)
{
	char sql[160];
	PGresult *res;
	bool ok;

	snprintf(sql, sizeof(sql),
	    "SET synchronous_commit TO on; SET lock_timeout TO %u;"
	    " SET client_encoding TO 'UTF8'",
	    c->busy_ms);
	res = PQexec(c->db, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok;
}

/* Milliseconds on the monotonic clock. */
static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Before a statement: a connection that was lost (the server restarted)
 * is re-established, but only between transactions, where nothing is
 * lost by it.  A server that is restarting refuses connections for a
 * moment ("the database system is starting up"), so the attempts go on,
 * 100 ms apart and then up to 1 s apart, for RECONNECT_MS (or the busy
 * timeout, if longer): a server's shutdown checkpoint and start-up can
 * take many seconds on a busy disk.  Each new session gets its settings
 * again (session_setup()).
 */
static int
ensure_connected(struct conn *c, struct sg_error *err)
{
	uint64_t deadline;
	unsigned pause_ms = 100;
	struct timespec ts;
	char *msg;
	int error;

	if (PQstatus(c->db) == CONNECTION_OK)
		return 0;
	if (c->in_txn)
		return sg_error_set(err, SG_EIO,
		    "store '%s': the connection was lost in a transaction",
		    c->shown);
	deadline = now_ms() +
	    (c->busy_ms < RECONNECT_MS ? RECONNECT_MS : c->busy_ms);
	for (;;) {
		PQreset(c->db);
		if (PQstatus(c->db) == CONNECTION_OK && session_setup(c))
			return 0;
		if (now_ms() + pause_ms > deadline)
			break;
		ts.tv_sec = pause_ms / 1000;
		ts.tv_nsec = (long)(pause_ms % 1000) * 1000000;
		nanosleep(&ts, NULL);
		pause_ms = pause_ms >= 500 ? 1000 : pause_ms * 2;
	}
	msg = one_line(PQerrorMessage(c->db));
	error = sg_error_set(err, SG_EIO,
	    "store '%s': the connection was lost and cannot be re-established: "
	    "%s",
	    c->shown, msg);
	free(msg);
	return error;
}

/*
 * Run `sql` with nparams text parameters (NULL entries are SQL NULL) and
 * check its status: *out (OUT, may be NULL to drop it) is the result,
 * freed by the caller with PQclear().
 *
 * A statement outside a transaction whose connection was lost under it
 * (the server restarted between two transactions, and this statement is
 * the first to find out) is run once more on a new connection.  Outside a
 * transaction a statement is a BEGIN, which did nothing yet, a read, or
 * the verified head's lone INSERT, which at worst records the same head
 * twice; inside one, the loss fails the transaction and nothing is
 * retried.
 */
static int
run_sql(PGresult **out, struct conn *c, const char *sql, int nparams,
    const char *const *params, const char *what, struct sg_error *err)
{
	PGresult *res;
	ExecStatusType st;
	int error = 0;

	if (out)
		*out = NULL;
	for (int attempt = 0;; attempt++) {
		if ((error = ensure_connected(c, err)) < 0)
			return error;
		res = PQexecParams(c->db, sql, nparams, NULL, params, NULL,
		    NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
			break;
		if (attempt == 0 && !c->in_txn &&
		    PQstatus(c->db) == CONNECTION_BAD) {
			PQclear(res);
			continue;
		}
		error = res_fail(c, res, what, err);
		PQclear(res);
		return error;
	}
	if (out)
		*out = res;
	else
		PQclear(res);
	return 0;
}

/* A statement without parameters that returns no rows. */
static int
exec0(struct conn *c, const char *sql, const char *what,
    struct sg_error *err)
{
	return run_sql(NULL, c, sql, 0, NULL, what, err);
}

/* How many rows the statement in res changed. */
static bool
changed_one(PGresult *res)
{
	return !strcmp(PQcmdTuples(res), "1");
}

static void
pg_rollback(void *conn)
{
	struct conn *c = conn;
	PGresult *res;

	c->in_txn = false;
	if (PQtransactionStatus(c->db) == PQTRANS_IDLE ||
	    PQtransactionStatus(c->db) == PQTRANS_UNKNOWN)
		return;
	/* A failed ROLLBACK leaves nothing to do: disconnecting rolls back. */
	res = PQexec(c->db, "ROLLBACK");
	PQclear(res);
}

/*
 * A writer's BEGIN and its lock.  A connection lost while waiting for the
 * lock (the server restarted) lost nothing, as the transaction had done
 * nothing yet: the whole begin is tried once more, on a new connection
 * (run_sql()).
 */
static int
pg_begin(void *conn, enum sg_store_txn kind, struct sg_error *err)
{
	static const char *const key[] = {SPECGATE_LOCK_KEY};
	struct conn *c = conn;
	struct sg_error mine;
	int error;

	if (kind == SG_STORE_TXN_READ) {
		error = exec0(c,
		    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
		    "start a read transaction", err);
		c->in_txn = !error;
		return error;
	}
	for (int attempt = 0;; attempt++) {
		if ((error = exec0(c, "BEGIN ISOLATION LEVEL READ COMMITTED",
			 "start a write transaction", err)) < 0)
			return error;
		c->in_txn = true;
		sg_error_init(&mine);
		error = run_sql(NULL, c,
		    "SELECT pg_advisory_xact_lock($1::bigint)", 1, key,
		    "start a write transaction", &mine);
		if (!error)
			return 0;
		pg_rollback(c);
		if (attempt > 0 || PQstatus(c->db) != CONNECTION_BAD) {
			error = sg_error_set(err, mine.code, "%s",
			    mine.message);
			sg_error_release(&mine);
			return error;
		}
		sg_error_release(&mine);
	}
}

static int
pg_commit(void *conn, struct sg_error *err)
{
	struct conn *c = conn;
	PGresult *res = NULL;
	int error;

	if ((error = run_sql(&res, c, "COMMIT", 0, NULL, "commit", err)) < 0)
		goto out;
	/* COMMIT of a failed transaction "succeeds" as a ROLLBACK. */
	if (strcmp(PQcmdStatus(res), "COMMIT"))
		error = sg_error_set(err, SG_EIO,
		    "store '%s': cannot commit: the transaction was rolled "
		    "back",
		    c->shown);
out:
	PQclear(res);
	if (error)
		pg_rollback(c);
	c->in_txn = false;
	return error;
}

/* The highest migration recorded in schema_version; 0 when none. */
static int
read_version(unsigned *out, bool *out_exists, struct conn *c,
    struct sg_error *err)
{
	PGresult *res = NULL;
	int error;

	*out = 0;
	*out_exists = false;
	if ((error = run_sql(&res, c,
		 "SELECT to_regclass('schema_version') IS NOT NULL", 0, NULL,
		 "read the schema version", err)) < 0)
		return error;
	*out_exists = !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	if (!*out_exists)
		return 0;
	if ((error = run_sql(&res, c,
		 "SELECT coalesce(max(version), 0) FROM schema_version", 0,
		 NULL, "read the schema version", err)) < 0)
		return error;
	*out = (unsigned)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

/* Apply migration m, holding the writer lock, unless another did first. */
static int
apply_migration(struct conn *c, const struct sg_store_migration *m,
    struct sg_error *err)
{
	char now[SG_UTC_ISO_SIZE];
	char version[16];
	const char *params[3];
	PGresult *res;
	bool exists;
	unsigned v;
	int error;

	if ((error = pg_begin(c, SG_STORE_TXN_WRITE, err)) < 0)
		return error;
	if ((error = exec0(c,
		 "CREATE TABLE IF NOT EXISTS schema_version ("
		 " version INTEGER PRIMARY KEY,"
		 " name TEXT NOT NULL,"
		 " applied_at TEXT NOT NULL)",
		 "create schema_version", err)) < 0 ||
	    (error = read_version(&v, &exists, c, err)) < 0)
		goto out;
	if (v >= m->version)
		goto out;
	/* The embedded SQL, several statements: the simple protocol. */
	res = PQexec(c->db, m->sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		error = res_fail(c, res, "apply a migration", err);
	PQclear(res);
	if (error)
		goto out;
	if (sg_utc_iso(now, sg_utc_now()) < 0)
		snprintf(now, sizeof(now), "1970-01-01T00:00:00Z");
	snprintf(version, sizeof(version), "%u", m->version);
	params[0] = version;
	params[1] = m->name;
	params[2] = now;
	error = run_sql(NULL, c,
	    "INSERT INTO schema_version (version, name, applied_at)"
	    " VALUES ($1::integer, $2, $3)",
	    3, params, "record a migration", err);
out:
	if (error)
		pg_rollback(c);
	else
		error = pg_commit(c, err);
	return error;
}

static int
migrate(struct conn *c, bool create, struct sg_error *err)
{
	unsigned latest = sg_store__pg_nmigrations;
	bool exists;
	unsigned v;
	int error;

	if ((error = read_version(&v, &exists, c, err)) < 0)
		return error;
	if (!exists && !create)
		return sg_error_set(err, SG_ENOTFOUND,
		    "no store at '%s' (the database has no specgate schema)",
		    c->shown);
	if (v > latest)
		return sg_error_set(err, SG_EIO,
		    "store '%s' has schema version %u, newer than this "
		    "specgate knows (%u); upgrade specgate",
		    c->shown, v, latest);
	for (unsigned i = v; i < latest; i++) {
		if (sg_store__pg_migrations[i].version != i + 1)
			SG_BUG("migrations out of order");
		if ((error = apply_migration(c, &sg_store__pg_migrations[i],
			 err)) < 0)
			return error;
	}
	return read_version(&c->schema, &exists, c, err);
}

static void
pg_close(void *conn)
{
	struct conn *c = conn;

	if (!c)
		return;
	PQfinish(c->db);
	free(c->shown);
	free(c);
}

/*
 * The connection failed: SG_EIO naming the host libpq tried (its socket
 * directory for a unix socket) and libpq's reason, never the URL.
 */
static int
connect_fail(struct conn *c, struct sg_error *err)
{
	const char *host = c->db ? PQhost(c->db) : NULL;
	const char *port = c->db ? PQport(c->db) : NULL;
	char *msg;
	int error;

	msg = one_line(c->db ? PQerrorMessage(c->db) : "out of memory");
	error = sg_error_set(err, SG_EIO,
	    "store '%s': cannot connect to the database on host '%s'%s%s: %s",
	    c->shown, host && *host ? host : "(libpq's default)",
	    port && *port ? " port " : "", port && *port ? port : "", msg);
	free(msg);
	return error;
}

/*
 * The server's notices (NOTICE, WARNING) go nowhere: libpq's default
 * prints them on stderr, and the library never prints.  Errors come back
 * with their results and become messages.
 */
static void
ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int
pg_open(void **out, const char *location, const struct sg_store_options *opts,
    struct sg_error *err)
{
	/*
	 * connect_timeout first: the URL (expanded from dbname) may set its
	 * own, which then wins.
	 */
	const char *keys[] = {"connect_timeout", "fallback_application_name",
		"dbname", NULL};
	const char *values[4];
	char timeout[16];
	struct conn *c;
	int error = 0;

	*out = NULL;
	if ((error = sg_dl_load(&sg_dl_pq, err)) < 0)
		return error;
	c = sg_xcalloc(1, sizeof(*c));
	c->shown = sg_url_mask(location);
	c->busy_ms = opts->busy_timeout_ms;
	snprintf(timeout, sizeof(timeout), "%u",
	    c->busy_ms / 1000 < 2 ? 2 : c->busy_ms / 1000);
	values[0] = timeout;
	values[1] = "specgate";
	values[2] = location;
	values[3] = NULL;
	c->db = PQconnectdbParams(keys, values, 1);
	if (!c->db || PQstatus(c->db) != CONNECTION_OK) {
		error = connect_fail(c, err);
		goto out;
	}
	PQsetNoticeProcessor(c->db, ignore_notice, NULL);
	if (!session_setup(c)) {
		error = res_fail(c, NULL, "set up the session", err);
		goto out;
	}
	if ((error = migrate(c, !(opts->flags & SG_STORE_OPEN_NO_CREATE),
		 err)) < 0)
		goto out;
	*out = c;
	c = NULL;
out:
	pg_close(c);
	return error;
}

static unsigned
pg_schema_version(void *conn, unsigned *out_latest)
{
	struct conn *c = conn;

	*out_latest = sg_store__pg_nmigrations;
	return c->schema;
}

static int
pg_run_insert(bool *out_inserted, void *conn, const struct sg_run *run,
    struct sg_error *err)
{
	struct conn *c = conn;
	const char *params[] = {run->feature_id, run->run_id, run->mode,
		run->status, run->started_at, run->finished_at, run->bundle};
	PGresult *res;
	int error;

	*out_inserted = false;
	if ((error = run_sql(&res, c,
		 "INSERT INTO runs (feature_id, run_id, mode, status,"
		 " started_at, finished_at, bundle)"
		 " VALUES ($1, $2, $3, $4, $5, $6, $7)"
		 " ON CONFLICT (feature_id, run_id) DO NOTHING",
		 7, params, "record a run", err)) < 0)
		return error;
	*out_inserted = changed_one(res);
	PQclear(res);
	return 0;
}

static int
pg_run_update(bool *out_found, void *conn, const char *feature_id,
    const char *run_id, const struct sg_store_run_change *change,
    struct sg_error *err)
{
	struct conn *c = conn;
	const char *params[] = {feature_id, run_id, change->status,
		change->finished_at, change->bundle};
	PGresult *res;
	int error;

	*out_found = false;
	if ((error = run_sql(&res, c,
		 "UPDATE runs SET status = $3, finished_at = $4,"
		 " bundle = coalesce($5, bundle)"
		 " WHERE feature_id = $1 AND run_id = $2",
		 5, params, "update a run", err)) < 0)
		return error;
	*out_found = changed_one(res);
	PQclear(res);
	return 0;
}

/* A nullable text column: NULL stays NULL. */
static const char *
col_opt(PGresult *res, int row, int i)
{
	return PQgetisnull(res, row, i) ? NULL : PQgetvalue(res, row, i);
}

/*
 * A decimal number for a bigint parameter; `none` (no limit, no offset)
 * is NULL, which LIMIT reads as "all".
 */
static const char *
num_param(char *buf, size_t size, uint64_t v, bool zero_is_null)
{
	if (zero_is_null && !v)
		return NULL;
	snprintf(buf, size, "%" PRIu64, v > INT64_MAX ? (uint64_t)INT64_MAX :
							v);
	return buf;
}

static int
pg_run_list(void *conn, const struct sg_run_filter *f, sg_run_cb cb,
    void *payload, struct sg_error *err)
{
	struct conn *c = conn;
	char limit[24];
	char offset[24];
	const char *params[6];
	struct sg_run r;
	PGresult *res = NULL;
	int error;

	params[0] = f->feature_id;
	params[1] = f->run_id;
	params[2] = f->status;
	params[3] = f->mode;
	params[4] = num_param(limit, sizeof(limit), f->limit, true);
	params[5] = num_param(offset, sizeof(offset), f->offset, false);
	if ((error = run_sql(&res, c,
		 "SELECT feature_id, run_id, mode, status, started_at,"
		 " finished_at, bundle,"
		 " (SELECT cl.continuation_id FROM run_claims cl"
		 " WHERE cl.feature_id = runs.feature_id"
		 " AND cl.run_id = runs.run_id),"
		 " (SELECT cl.run_id FROM run_claims cl"
		 " WHERE cl.feature_id = runs.feature_id"
		 " AND cl.continuation_id = runs.run_id)"
		 " FROM runs"
		 " WHERE ($1::text IS NULL OR feature_id = $1)"
		 " AND ($2::text IS NULL OR run_id = $2)"
		 " AND ($3::text IS NULL OR status = $3)"
		 " AND ($4::text IS NULL OR mode = $4)"
		 " ORDER BY started_at DESC, id DESC"
		 " LIMIT $5::bigint OFFSET $6::bigint",
		 6, params, "list runs", err)) < 0)
		return error;
	for (int i = 0; i < PQntuples(res); i++) {
		memset(&r, 0, sizeof(r));
		r.feature_id = PQgetvalue(res, i, 0);
		r.run_id = PQgetvalue(res, i, 1);
		r.mode = PQgetvalue(res, i, 2);
		r.status = PQgetvalue(res, i, 3);
		r.started_at = PQgetvalue(res, i, 4);
		r.finished_at = col_opt(res, i, 5);
		r.bundle = col_opt(res, i, 6);
		r.continued_by = col_opt(res, i, 7);
		r.continues = col_opt(res, i, 8);
		if ((error = cb(&r, payload)) != 0)
			break;
	}
	PQclear(res);
	return error;
}

static int
pg_claim_insert(bool *out_inserted, void *conn, const char *feature_id,
    const char *run_id, const char *continuation_id, const char *claimed_at,
    struct sg_error *err)
{
	struct conn *c = conn;
	const char *params[] = {feature_id, run_id, continuation_id,
		claimed_at};
	PGresult *res;
	int error;

	*out_inserted = false;
	if ((error = run_sql(&res, c,
		 "INSERT INTO run_claims (feature_id, run_id,"
		 " continuation_id, claimed_at) VALUES ($1, $2, $3, $4)"
		 " ON CONFLICT DO NOTHING",
		 4, params, "record a claim", err)) < 0)
		return error;
	*out_inserted = changed_one(res);
	PQclear(res);
	return 0;
}

static int
pg_claim_get(char *out, void *conn, const char *feature_id,
    const char *run_id, bool by_continuation, struct sg_error *err)
{
	struct conn *c = conn;
	const char *params[] = {feature_id, run_id};
	PGresult *res;
	int error;

	*out = '\0';
	error = run_sql(&res, c,
	    by_continuation ? "SELECT run_id FROM run_claims"
			      " WHERE feature_id = $1 AND continuation_id = $2" :
			      "SELECT continuation_id FROM run_claims"
			      " WHERE feature_id = $1 AND run_id = $2",
	    2, params, "read a claim", err);
	if (error < 0)
		return error;
	if (PQntuples(res) > 0)
		snprintf(out, SG_RUN_ID_SIZE, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/*
 * The (seq, hash) row that sql selects into *out, *found saying whether
 * there was one (the audit trail's head, the last verified head).
 */
static int
read_head(struct sg_audit_head *out, bool *found, struct conn *c,
    const char *sql, const char *what, struct sg_error *err)
{
	PGresult *res;
	int error;

	*found = false;
	if ((error = run_sql(&res, c, sql, 0, NULL, what, err)) < 0)
		return error;
	if (PQntuples(res) > 0) {
		out->seq = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
		snprintf(out->hash, sizeof(out->hash), "%s",
		    PQgetvalue(res, 0, 1));
		*found = true;
	}
	PQclear(res);
	return 0;
}

static int
pg_audit_head(struct sg_audit_head *out, void *conn, struct sg_error *err)
{
	bool found;

	out->seq = 0;
	memcpy(out->hash, SG_AUDIT_GENESIS_HASH, SG_AUDIT_HASH_SIZE);
	return read_head(out, &found, conn,
	    "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1",
	    "read the audit trail's head", err);
}

static int
pg_audit_insert(void *conn, const struct sg_audit_record *r,
    struct sg_error *err)
{
	struct conn *c = conn;
	char seq[24];
	const char *params[] = {seq, r->timestamp, r->run_id, r->feature_id,
		r->stage, r->status, r->output, r->output_sha256, r->mode,
		r->prev_hash, r->hash};

	if (r->seq > INT64_MAX)
		return sg_error_set(err, SG_EIO,
		    "store '%s': the audit trail is full", c->shown);
	snprintf(seq, sizeof(seq), "%" PRIu64, r->seq);
	return run_sql(NULL, c,
	    "INSERT INTO audit_records (" AUDIT_COLUMNS ")"
	    " VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
	    11, params, "append to the audit trail", err);
}

/* Call cb for each row of one FETCH; *out_n (OUT) the rows seen. */
static int
scan_batch(int *out_n, PGresult *res, sg_audit_record_cb cb, void *payload)
{
	struct sg_audit_record r;
	int n = PQntuples(res);
	int error;

	*out_n = n;
	for (int i = 0; i < n; i++) {
		/* text holds no NUL in PostgreSQL; NULL reads as "" */
		r.seq = strtoull(PQgetvalue(res, i, 0), NULL, 10);
		r.timestamp = PQgetvalue(res, i, 1);
		r.run_id = PQgetvalue(res, i, 2);
		r.feature_id = PQgetvalue(res, i, 3);
		r.stage = PQgetvalue(res, i, 4);
		r.status = PQgetvalue(res, i, 5);
		r.output = PQgetvalue(res, i, 6);
		r.output_sha256 = PQgetvalue(res, i, 7);
		r.mode = PQgetvalue(res, i, 8);
		r.prev_hash = PQgetvalue(res, i, 9);
		r.hash = PQgetvalue(res, i, 10);
		if ((error = cb(&r, payload)) != 0)
			return error;
	}
	return 0;
}

static int
pg_audit_scan(void *conn, const struct sg_audit_filter *f,
    sg_audit_record_cb cb, void *payload, struct sg_error *err)
{
	struct conn *c = conn;
	char after[24];
	char limit[24];
	const char *params[6];
	bool own_txn = !c->in_txn;
	PGresult *res = NULL;
	int n = 0;
	int error;

	params[0] = f->feature_id;
	params[1] = f->run_id;
	params[2] = f->stage;
	params[3] = f->status;
	params[4] = num_param(after, sizeof(after), f->after_seq, false);
	params[5] = num_param(limit, sizeof(limit), f->limit, true);
	/* A cursor lives in a transaction: one of our own when none is open. */
	if (own_txn && (error = pg_begin(c, SG_STORE_TXN_READ, err)) < 0)
		return error;
	if ((error = run_sql(NULL, c,
		 "DECLARE specgate_scan NO SCROLL CURSOR FOR"
		 " SELECT " AUDIT_COLUMNS " FROM audit_records"
		 " WHERE ($1::text IS NULL OR feature_id = $1)"
		 " AND ($2::text IS NULL OR run_id = $2)"
		 " AND ($3::text IS NULL OR stage = $3)"
		 " AND ($4::text IS NULL OR status = $4)"
		 " AND seq > $5::bigint"
		 " ORDER BY seq LIMIT $6::bigint",
		 6, params, "read the audit trail", err)) < 0)
		goto out;
	do {
		if ((error = run_sql(&res, c,
			 "FETCH FORWARD " SCAN_BATCH " FROM specgate_scan", 0,
			 NULL, "read the audit trail", err)) < 0)
			goto out;
		error = scan_batch(&n, res, cb, payload);
		PQclear(res);
		res = NULL;
	} while (!error && n > 0);
	if (!error)
		error = exec0(c, "CLOSE specgate_scan", "read the audit trail",
		    err);
	else if (!own_txn)
		exec0(c, "CLOSE specgate_scan", "read the audit trail", NULL);
out:
	if (own_txn)
		pg_rollback(c);
	return error;
}

static int
pg_verified_head_get(struct sg_audit_head *out, bool *found, void *conn,
    struct sg_error *err)
{
	return read_head(out, found, conn,
	    "SELECT seq, hash FROM verified_heads ORDER BY id DESC LIMIT 1",
	    "read the verified head", err);
}

static int
pg_verified_head_put(void *conn, const struct sg_audit_head *head,
    const char *verified_at, const char *how, struct sg_error *err)
{
	struct conn *c = conn;
	char seq[24];
	const char *params[] = {seq, head->hash, verified_at, how};

	snprintf(seq, sizeof(seq), "%" PRIu64, head->seq);
	return run_sql(NULL, c,
	    "INSERT INTO verified_heads (seq, hash, verified_at, how)"
	    " VALUES ($1::bigint, $2, $3, $4)",
	    4, params, "record the verified head", err);
}

static int
pg_doc_insert(void *conn, const char *feature_id, const char *run_id,
    const char *path, const void *data, size_t len, struct sg_error *err)
{
	struct conn *c = conn;
	const char *params[] = {feature_id, run_id, path, data};
	int lengths[] = {0, 0, 0, (int)len};
	int formats[] = {0, 0, 0, 1}; /* the body as bytes: bytea, binary */
	PGresult *res;
	int error = 0;

	if (len > INT_MAX)
		return sg_error_set(err, SG_EINVAL,
		    "a bundle document of %zu bytes", len);
	if ((error = ensure_connected(c, err)) < 0)
		return error;
	res = PQexecParams(c->db,
	    "INSERT INTO run_documents (feature_id, run_id, path, body)"
	    " VALUES ($1, $2, $3, $4::bytea)",
	    4, NULL, params, lengths, formats, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		error = res_fail(c, res, "store a bundle document", err);
	PQclear(res);
	return error;
}

/* Call cb for each row of one FETCH, in binary. */
static int
doc_batch(int *out_n, PGresult *res, sg_store_doc_row_cb cb, void *payload)
{
	int n = PQntuples(res);
	int error;

	*out_n = n;
	for (int i = 0; i < n; i++) {
		/* binary text is the bytes, NUL-terminated by libpq */
		if ((error = cb(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			 PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
			 (size_t)PQgetlength(res, i, 3), payload)) != 0)
			return error;
	}
	return 0;
}

static int
pg_doc_scan(void *conn, const char *feature_id, const char *run_id,
    sg_store_doc_row_cb cb, void *payload, struct sg_error *err)
{
	struct conn *c = conn;
	const char *params[] = {feature_id, run_id};
	bool own_txn = !c->in_txn;
	PGresult *res = NULL;
	int n = 0;
	int error;

	if (own_txn && (error = pg_begin(c, SG_STORE_TXN_READ, err)) < 0)
		return error;
	if ((error = run_sql(NULL, c,
		 "DECLARE specgate_docs NO SCROLL CURSOR FOR"
		 " SELECT feature_id, run_id, path, body FROM run_documents"
		 " WHERE ($1::text IS NULL OR feature_id = $1)"
		 " AND ($2::text IS NULL OR run_id = $2)"
		 " ORDER BY feature_id, run_id, path",
		 2, params, "read the bundle documents", err)) < 0)
		goto out;
	do {
		/*
		 * Results in binary (the format the fetch asks for wins over
		 * the cursor's): the body comes as its bytes, not as hex
		 * text; a text column's binary form is its bytes.
		 */
		res = PQexecParams(c->db, "FETCH FORWARD 64 FROM specgate_docs",
		    0, NULL, NULL, NULL, NULL, 1);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			error = res_fail(c, res, "read the bundle documents",
			    err);
			PQclear(res);
			res = NULL;
			goto out;
		}
		error = doc_batch(&n, res, cb, payload);
		PQclear(res);
		res = NULL;
	} while (!error && n > 0);
	if (!error)
		error = exec0(c, "CLOSE specgate_docs",
		    "read the bundle documents", err);
	else if (!own_txn)
		exec0(c, "CLOSE specgate_docs", "read the bundle documents",
		    NULL);
out:
	if (own_txn)
		pg_rollback(c);
	return error;
}

const struct sg_store_backend sg_store_pg_backend = {
	.version = SG_STORE_BACKEND_VERSION,
	.scheme = "postgres",
	.connect = pg_open,
	.disconnect = pg_close,
	.schema_version = pg_schema_version,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.run_insert = pg_run_insert,
	.run_update = pg_run_update,
	.run_list = pg_run_list,
	.claim_insert = pg_claim_insert,
	.claim_get = pg_claim_get,
	.audit_head = pg_audit_head,
	.audit_insert = pg_audit_insert,
	.audit_scan = pg_audit_scan,
	.verified_head_get = pg_verified_head_get,
	.verified_head_put = pg_verified_head_put,
	.doc_insert = pg_doc_insert,
	.doc_scan = pg_doc_scan,
};
