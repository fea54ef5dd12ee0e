/* SPDX-License-Identifier: MIT */
/*
 * store_backend.h - the function table a store backend implements
 * (HACKING.md, Modules and headers), for implementers only: users of the
 * library open stores with specgate/store.h and never see this.
 *
 * The split: a backend is dumb storage with transactions.  Everything that
 * must behave the same on every backend lives above it, in the library:
 * URL parsing, argument checks, run-id allocation (src/lib/store/store.c),
 * the audit chain's canonical bytes, hashing and verification
 * (src/lib/audit/).  So a PostgreSQL backend gets run ids and a verifiable
 * trail by implementing the operations below with the guarantees stated
 * for each, and nothing else.  The SQLite backend (st_sqlite.c) is the
 * reference; docs/internals/store.md maps each guarantee to SQLite and to
 * PostgreSQL.
 *
 * Conventions for every operation:
 *  - `conn` is what connect() returned.  The library never uses one from two
 *    threads at once, nor after a fork().
 *  - Return 0 or a negative SG_E* code, with the details in err: SG_EIO for
 *    a storage failure (with the database's own message), and for a writer
 *    transaction that could not start within the busy timeout.
 *  - Strings passed in are borrowed for the call.  Strings passed to a
 *    callback are borrowed for that call and are never NULL unless the
 *    field's comment says so.
 *  - Data operations are called either inside a transaction opened with
 *    begin() or outside one; outside, each is atomic on its own.
 *  - A callback's non-zero return stops the iteration; the operation
 *    returns that value unchanged, after releasing what it holds.
 *
 * Versioning: the library refuses a table whose version is not
 * SG_STORE_BACKEND_VERSION.  Adding an operation bumps it.
 */
#ifndef SPECGATE_SYS_STORE_BACKEND_H
#define SPECGATE_SYS_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/audit_record.h"
#include "specgate/error.h"
#include "specgate/store.h"

#define SG_STORE_BACKEND_VERSION 3

enum sg_store_txn {
	/*
	 * A consistent snapshot for reading: every read in the transaction
	 * sees the store as it was when the transaction started (SQLite:
	 * BEGIN, in WAL mode; PostgreSQL: REPEATABLE READ, READ ONLY).  It
	 * must not block writers, nor be blocked by them.
	 */
	SG_STORE_TXN_READ = 0,
	/*
	 * A writer that excludes every other writer of the store, in this
	 * and in other processes, from begin() to commit() or rollback(),
	 * and that reads the latest committed data (SQLite: BEGIN IMMEDIATE;
	 * PostgreSQL: BEGIN, then a transaction-level advisory lock taken by
	 * every writer).  Waits up to the busy timeout for the others, then
	 * fails with SG_EIO.  Readers are not blocked.
	 */
	SG_STORE_TXN_WRITE = 1,
};

/* One stored document of a run, as doc_scan() passes it. */
typedef int (*sg_store_doc_row_cb)(const char *feature_id,
    const char *run_id, const char *path, const void *data, size_t len,
    void *payload);

/* What run_update() changes.  NULL leaves a field as it is. */
struct sg_store_run_change {
	const char *status;	 /* new status (never NULL) */
	const char *finished_at; /* new finished_at; NULL: set it to NULL */
	const char *bundle;	 /* new bundle; NULL: keep */
};

struct sg_store_backend {
	unsigned version;   /* SG_STORE_BACKEND_VERSION */
	const char *scheme; /* the URL scheme it serves, "sqlite" */

	/*
	 * Connect to the store at `location` (for SQLite an absolute or
	 * ./-relative path, the URL without its scheme; for PostgreSQL the
	 * whole URL, which may hold a password: a message names the store by
	 * the URL masked, sg_url_mask()), creating it unless opts->flags has
	 * SG_STORE_OPEN_NO_CREATE (then SG_ENOTFOUND when it is absent; a
	 * server's store is its schema in an existing database, never the
	 * database itself), and migrate its schema to the
	 * latest version, each migration atomic with its schema_version row.
	 * opts is never NULL and busy_timeout_ms is never 0.  *out (OUT) is
	 * the connection, released by disconnect().
	 */
	int (*connect)(void **out, const char *location,
	    const struct sg_store_options *opts, struct sg_error *err);

	/* Disconnect, rolling back an open transaction.  conn may be NULL. */
	void (*disconnect)(void *conn);

	/* The applied schema version, and the latest this backend knows. */
	unsigned (*schema_version)(void *conn, unsigned *out_latest);

	/* Start a transaction (see enum sg_store_txn).  Never nested. */
	int (*begin)(void *conn, enum sg_store_txn kind, struct sg_error *err);

	/*
	 * Commit.  On return 0 the changes are durable: they survive a
	 * crash of the process or of the machine (SQLite: synchronous=FULL;
	 * PostgreSQL: synchronous_commit=on).  On failure the transaction is
	 * rolled back.
	 */
	int (*commit)(void *conn, struct sg_error *err);

	/* Abandon the transaction, if one is open.  Cannot fail. */
	void (*rollback)(void *conn);

	/*
	 * Insert a run unless one with the same (feature_id, run_id) exists:
	 * *out_inserted (OUT) is false then, and nothing changes.  A clash
	 * must not abort the enclosing transaction (SQLite and PostgreSQL:
	 * INSERT ... ON CONFLICT (feature_id, run_id) DO NOTHING).  Every
	 * field is already checked; finished_at and bundle may be NULL.
	 */
	int (*run_insert)(bool *out_inserted, void *conn,
	    const struct sg_run *run, struct sg_error *err);

	/*
	 * Apply `change` to the run (feature_id, run_id); *out_found (OUT)
	 * is false when there is no such run.
	 */
	int (*run_update)(bool *out_found, void *conn, const char *feature_id,
	    const char *run_id, const struct sg_store_run_change *change,
	    struct sg_error *err);

	/*
	 * Call cb for each run matching every non-NULL field of filter
	 * (never NULL; exact string comparison), newest first: by
	 * started_at descending, then by insertion order descending; after
	 * skipping filter->offset, at most filter->limit (0: all).
	 * finished_at, bundle, continues and continued_by (from the
	 * claims, below) may be NULL in the runs passed.
	 */
	int (*run_list)(void *conn, const struct sg_run_filter *filter,
	    sg_run_cb cb, void *payload, struct sg_error *err);

	/*
	 * Record that `continuation_id` continues the waiting run
	 * (feature_id, run_id), unless a claim of that run (or by that
	 * continuation) exists: *out_inserted (OUT) is false then, nothing
	 * changes, and the enclosing transaction is not aborted (INSERT ...
	 * ON CONFLICT DO NOTHING).  Called inside a write transaction.
	 */
	int (*claim_insert)(bool *out_inserted, void *conn,
	    const char *feature_id, const char *run_id,
	    const char *continuation_id, const char *claimed_at,
	    struct sg_error *err);

	/*
	 * The claim that names run_id of feature_id, as the waiting run
	 * (by_continuation false: *out the continuation) or as the
	 * continuation (true: *out the waiting run); out (SG_RUN_ID_SIZE
	 * bytes) is "" when there is none.
	 */
	int (*claim_get)(char *out, void *conn, const char *feature_id,
	    const char *run_id, bool by_continuation, struct sg_error *err);

	/*
	 * The last record's seq and hash (OUT: out), or seq 0 and the
	 * genesis hash when the trail is empty.  Inside a write
	 * transaction, no other writer can change it until commit.
	 */
	int (*audit_head)(struct sg_audit_head *out, void *conn,
	    struct sg_error *err);

	/*
	 * Insert one record as given, every field already computed and
	 * checked by the library.  A record whose seq exists is SG_EIO (the
	 * write transaction makes that a bug, or a second writer that
	 * ignores the protocol).  The stored fields must read back
	 * byte for byte.
	 */
	int (*audit_insert)(void *conn, const struct sg_audit_record *rec,
	    struct sg_error *err);

	/*
	 * Call cb for each record matching every non-NULL field of filter
	 * (never NULL) with seq > filter->after_seq, at most filter->limit
	 * (0: all), in ascending seq order, with every field as stored (a
	 * NULL column is passed as "").  This is the hot loop of
	 * verification (a million records in well under a second): stream
	 * the rows, do not collect them, and do not allocate per row.
	 */
	int (*audit_scan)(void *conn, const struct sg_audit_filter *filter,
	    sg_audit_record_cb cb, void *payload, struct sg_error *err);

	/*
	 * The head that the last good `audit verify` reached (*found false,
	 * out untouched, when none is recorded), and recording a new one
	 * (appended: earlier ones are kept, the newest counts), with the
	 * time and "full" or "incremental".
	 */
	int (*verified_head_get)(struct sg_audit_head *out, bool *found,
	    void *conn, struct sg_error *err);
	int (*verified_head_put)(void *conn, const struct sg_audit_head *head,
	    const char *verified_at, const char *how, struct sg_error *err);

	/*
	 * Documents of a run's bundle (run_documents).  doc_insert() stores
	 * the len bytes of data (binary; may hold NUL) as the document
	 * `path` of the run, every argument already checked by the library
	 * (the caps included); an existing (feature_id, run_id, path) is
	 * SG_EIO.  doc_scan() calls cb for each document of run_id of
	 * feature_id, or of every run when both are NULL, ordered by
	 * feature_id, run_id and path, with the bytes as stored.
	 */
	int (*doc_insert)(void *conn, const char *feature_id,
	    const char *run_id, const char *path, const void *data,
	    size_t len, struct sg_error *err);
	int (*doc_scan)(void *conn, const char *feature_id, const char *run_id,
	    sg_store_doc_row_cb cb, void *payload, struct sg_error *err);
};

/* The SQLite backend (sqlite:PATH). */
extern const struct sg_store_backend sg_store_sqlite_backend;

/* The PostgreSQL backend (postgres://, postgresql://; libpq). */
extern const struct sg_store_backend sg_store_pg_backend;

#endif /* SPECGATE_SYS_STORE_BACKEND_H */
