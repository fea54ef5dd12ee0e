/* SPDX-License-Identifier: MIT */
/*
 * store.h - the store: where specgate keeps its runs and its audit trail.
 *
 * A store is named by a URL (docs/product.md §2.2, `store:`):
 *
 *	sqlite:PATH		an SQLite file; PATH is relative to the project
 *				root unless it starts with '/'.  The default is
 *				sqlite:.specgate/state.db; the directory that
 *				holds the file is created with mode 0700.
 *	postgres://...		(also postgresql://) a schema in a
 *				PostgreSQL database, reached through libpq:
 *				the URL is libpq's (sslmode, host=/socket/dir
 *				...), with ~/.pgpass and PG* variables.  The
 *				database must exist; its tables are created.
 *				sg_store_location() is the URL with its
 *				password masked.
 *
 * This header covers opening a store and the runs table: run-id allocation,
 * status updates, listing.  The audit trail, which lives in the same store,
 * has its own header (specgate/audit.h).  Backends implement the function
 * table of specgate/sys/store_backend.h; nothing here depends on which one
 * is behind a handle.
 *
 * Concurrency: any number of processes may use one store at the same time.
 * Writes that must not interleave (allocating a run id, appending to the
 * audit trail) run in a transaction that excludes every other writer, and
 * wait up to the busy timeout for it.  A struct sg_store is one connection:
 * it is not thread-safe and must not cross a fork().  Each thread opens its
 * own (a connection is cheap), which is why a store is not reference
 * counted.
 *
 * Strings: every enumerated value (mode, run status) is passed and stored
 * as its lower-case name ("sandbox", "awaiting_approval"), the names
 * docs/product.md uses, so that the store is readable with standard tools and
 * callers with their own enums (config.h) convert with their *_name()
 * functions.  Timestamps are ISO 8601 UTC to the second,
 * "2025-09-24T14:04:40Z".
 *
 * Errors: SG_EINVAL for a bad argument (a malformed URL, feature id, mode or
 * status), SG_ENOTFOUND for a run or store that does not exist, SG_EIO for
 * anything the store itself failed at (the message includes the
 * database's).
 */
#ifndef SPECGATE_STORE_H
#define SPECGATE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "specgate/error.h"
#include "specgate/ids.h"
#include "specgate/states.h"
#include "specgate/audit_record.h"

#define SG_STORE_DEFAULT_URL "sqlite:.specgate/state.db"

/* A store handle: one connection to one store.  Opaque. */
struct sg_store;

enum sg_store_open_flags {
	/* Fail with SG_ENOTFOUND instead of creating a store that is absent. */
	SG_STORE_OPEN_NO_CREATE = (1 << 0),
};

#define SG_STORE_OPTIONS_VERSION 1

struct sg_store_options {
	unsigned version;	  /* SG_STORE_OPTIONS_VERSION */
	const char *root;	  /* project root for relative paths; NULL: cwd */
	unsigned busy_timeout_ms; /* wait for other writers; 0: 10000 */
	unsigned flags;		  /* enum sg_store_open_flags */
};

#define SG_STORE_OPTIONS_INIT {SG_STORE_OPTIONS_VERSION, NULL, 0, 0}

/*
 * Open the store named by `url` (NULL: SG_STORE_DEFAULT_URL) and bring its
 * schema up to date, applying each pending migration in a transaction of
 * its own.  opts may be NULL for the defaults.  *out (OUT) is owned by the
 * caller and closed with sg_store_close(); it is NULL on failure.
 *
 * Errors: SG_EINVAL for a URL that is malformed or of an unknown scheme
 * (the message never repeats a postgres:// URL's password); SG_ENOTFOUND
 * with SG_STORE_OPEN_NO_CREATE when the store does not exist; SG_EIO when
 * it cannot be opened (a database server that cannot be reached: the
 * message names the host) or migrated, or when its schema is newer than
 * this library knows.
 */
int sg_store_open(struct sg_store **out, const char *url,
    const struct sg_store_options *opts, struct sg_error *err);

/* Close st, rolling back anything left uncommitted.  st may be NULL. */
void sg_store_close(struct sg_store *st);

/*
 * Where st lives, for messages: the path of an SQLite file, or a
 * PostgreSQL URL with its password masked.  Borrowed, valid until
 * sg_store_close().
 */
const char *sg_store_location(const struct sg_store *st);

/*
 * Whether runners on other machines may write to st: true for a database
 * server (PostgreSQL), false for an SQLite file, which lives in one
 * checkout.  A run in a shared store is not necessarily this checkout's
 * (its staging directory, its lock and its bundle may be elsewhere).
 */
bool sg_store_is_shared(const struct sg_store *st);

/*
 * The schema version st is at (the highest migration applied), and in
 * *out_latest (OUT, may be NULL) the highest this library knows.
 */
unsigned sg_store_schema_version(const struct sg_store *st,
    unsigned *out_latest);

/*
 * Runs.
 *
 * A run is named by its feature id and run id together: run ids are unique
 * per feature id only.  Run statuses:
 *
 *	running			started, not finished
 *	awaiting_approval	stopped before deploy until `specgate approve`
 *	success warning failure cancelled	finished; these are final
 *
 * finished_at is set when a run reaches a final status and is NULL before.
 */

/* One run, as stored.  Every string is NUL-terminated. */
struct sg_run {
	const char *feature_id;	 /* 12 lowercase hex digits */
	const char *run_id;	 /* "20250924140440", "20250924140440-2"... */
	const char *mode;	 /* "sandbox" | "compliance" */
	const char *status;	 /* see above */
	const char *started_at;	 /* ISO UTC */
	const char *finished_at; /* ISO UTC, or NULL while not final */
	const char *bundle;	 /* bundle directory, or NULL when not set */
	/*
	 * The release links (sg_store_run_continue()): the waiting run this
	 * run continues, and the run that continued this one; NULL when
	 * there is none.
	 */
	const char *continues;
	const char *continued_by;
	/*
	 * The mode and status as enums, which is what code compares: the
	 * store (store.c) fills them from the words above for every run it
	 * returns; SG_MODE_COUNT or SG_RUN_STATUS_COUNT for a word it does
	 * not know (a hand-edited store), which matches no state.  The words
	 * are what the backends keep (a backend leaves these two alone) and
	 * what output prints.
	 */
	enum sg_mode mode_enum;
	enum sg_run_status status_enum;
};

#define SG_RUN_NEW_VERSION 1

/* What a new run starts with (sg_store_run_create()). */
struct sg_run_new {
	unsigned version;	   /* SG_RUN_NEW_VERSION */
	const char *feature_id;	   /* required */
	enum sg_mode mode;	   /* required */
	enum sg_run_status status; /* a status that is not final */
	const char *bundle; /* NULL: set later with sg_store_run_update() */
	time_t started;	    /* start time and run-id source; 0: now */
};

#define SG_RUN_NEW_INIT                                                        \
	{SG_RUN_NEW_VERSION, NULL, SG_MODE_SANDBOX, SG_RUN_RUNNING, NULL, 0}

/*
 * Record a new run and give it a run id (OUT: `out`, SG_RUN_ID_SIZE bytes):
 * the UTC start time as YYYYMMDDHHMMSS, or, when that id is taken for the
 * same feature id, the first free one of YYYYMMDDHHMMSS-2, -3, ...  The
 * choice and the insertion happen in one write transaction against the
 * UNIQUE (feature_id, run_id) constraint, so processes starting runs of one
 * feature in the same second get distinct ids.
 *
 * Errors: SG_EINVAL for a malformed feature id, mode, status or a final
 * status; SG_EIO when the store fails, is busy beyond the timeout, or when
 * 10000 ids of one second are taken.
 */
int sg_store_run_create(char *out, struct sg_store *st,
    const struct sg_run_new *run, struct sg_error *err);

/*
 * Change a run's status to `status` and, when not NULL, its bundle
 * directory.  `when` (0: now) becomes finished_at when the status is final.
 * A run that is already final cannot change any more (SG_EINVAL).
 *
 * Errors: SG_EINVAL for a malformed status or a final run; SG_ENOTFOUND
 * when there is no such run; SG_EIO when the store fails.
 */
int sg_store_run_update(struct sg_store *st, const char *feature_id,
    const char *run_id, enum sg_run_status status, const char *bundle,
    time_t when, struct sg_error *err);

/*
 * Look a run up.  feature_id may be NULL to search every feature; then a
 * run id that several features share is SG_EINVAL (ambiguous, naming
 * them).  *out (OUT) is owned by the caller and freed with sg_run_free().
 *
 * Errors: SG_ENOTFOUND when there is no such run; SG_EIO.
 */
int sg_store_run_get(struct sg_run **out, struct sg_store *st,
    const char *feature_id, const char *run_id, struct sg_error *err);

/*
 * The head of the audit trail that the last good `audit verify` reached,
 * where the next `audit verify --incremental` starts (*found false when no
 * verification was recorded), and recording one (`incremental`: how it
 * was verified, kept for the record).  A recorded head is only a starting
 * point: the incremental verification checks that it is still in the
 * trail.
 */
struct sg_audit_head; /* specgate/audit_record.h */
int sg_store_verified_head(struct sg_store *st, struct sg_audit_head *out,
    bool *found, struct sg_error *err);
int sg_store_verified_head_record(struct sg_store *st,
    const struct sg_audit_head *head, bool incremental,
    struct sg_error *err);

/*
 * Called by sg_store_run_continue() inside its writer transaction, after
 * the claim and the continuation's row are in and before the commit: what
 * must be atomic with the claim (the audit record that names it,
 * sg_audit_append_in_txn()).  A negative return rolls everything back and
 * is returned.  run_id is the continuation's.
 */
typedef int (*sg_store_claim_cb)(struct sg_store *st, const char *run_id,
    void *payload, struct sg_error *err);

/*
 * Resume a waiting run: in one writer transaction, check that the run
 * (run->feature_id, waiting_run_id) is `awaiting_approval` and that no
 * run has claimed it, create the continuation as sg_store_run_create()
 * does (its run id in `out`), record the claim (waiting run ->
 * continuation) and call cb (may be NULL).  Either all of it happens or
 * nothing does.
 *
 * When the continuation later reaches a final status
 * (sg_store_run_update()), the waiting run takes the same status in the
 * same transaction: a release is one record.
 *
 * Errors: SG_EINVAL when the waiting run is already claimed (the message
 * says "already resumed by run X"; `holder` (OUT, SG_RUN_ID_SIZE bytes,
 * may be NULL) gets X) or not awaiting approval; SG_ENOTFOUND when there
 * is no such run; SG_EIO as sg_store_run_create().
 */
int sg_store_run_continue(char *out, char *holder, struct sg_store *st,
    const struct sg_run_new *run, const char *waiting_run_id,
    sg_store_claim_cb cb, void *payload, struct sg_error *err);

/* What sg_store_copy() copied. */
struct sg_store_copy_stats {
	uint64_t runs;		   /* runs, with their claims */
	uint64_t records;	   /* audit records */
	uint64_t documents;	   /* stored bundle documents */
	struct sg_audit_head head; /* the destination's head after it */
};

/*
 * Copy the whole history of src into dst, which must be empty (no run, no
 * audit record): every run as it is (ids, statuses, times, bundles), the
 * resume claims (each stamped with its continuation's start), every
 * stored bundle document (sg_store_documents_put()), and every
 * audit record byte for byte, so that the copy's chain and head are the
 * source's and `audit verify` passes on it.  It reads one snapshot of src
 * and writes dst in one writer transaction: all of it or nothing.  The
 * verified heads are not copied: the copy has not been verified yet.
 * Either store may be of either backend.  out (OUT) says what was copied.
 *
 * Errors: SG_EINVAL when dst is not empty; SG_EIO when either store fails.
 */
int sg_store_copy(struct sg_store_copy_stats *out, struct sg_store *dst,
    struct sg_store *src, struct sg_error *err);

/*
 * Bundle documents.  A sealed run keeps the signed documents of its bundle
 * in the store beside its records (manifest.json and its .sig,
 * checkpoints.log, the JSON reports and their .sig, the in-toto links, the
 * release report), so that it can be verified where its bundle directory
 * is not (`specgate verify --store`).  Logs and artifacts are never
 * stored.  A document is named by its path in the bundle: relative, at
 * most SG_STORE_DOCUMENT_PATH_MAX bytes, no empty, "." or ".." component.
 *
 * Caps (docs/limits.md): a document of more than SG_STORE_DOCUMENT_MAX
 * bytes, or one that would take the run's total past
 * SG_STORE_RUN_DOCUMENTS_MAX, is not stored; the documents are taken in
 * the order given, so a caller puts the manifest first.
 */
#define SG_STORE_DOCUMENT_MAX (4u << 20)	/* 4 MiB per document */
#define SG_STORE_RUN_DOCUMENTS_MAX (16u << 20) /* 16 MiB per run */
#define SG_STORE_DOCUMENT_PATH_MAX 255

struct sg_store_document {
	const char *path; /* in the bundle: "links/build.0123abcd.link" */
	const void *data; /* its bytes (borrowed) */
	size_t len;
	bool stored;	  /* OUT: false when a cap left it out */
};

/* Called inside the writer transaction (sg_audit_append_in_txn()). */
typedef int (*sg_store_txn_cb)(struct sg_store *st, void *payload,
    struct sg_error *err);

/*
 * Store the n documents of run (feature_id, run_id) that fit the caps, in
 * order, setting each one's `stored`; then call cb (may be NULL) in the
 * same writer transaction, and commit: the documents and what cb wrote
 * (the seal of the bundle) are one atomic change.  *out_stored (OUT, may
 * be NULL) counts the documents stored.
 *
 * Errors: SG_EINVAL for a malformed id or path, or a path given twice;
 * SG_EIO when the store fails (documents of that run already stored
 * included); cb's error, unchanged.  Nothing is stored on failure.
 */
int sg_store_documents_put(size_t *out_stored, struct sg_store *st,
    const char *feature_id, const char *run_id,
    struct sg_store_document *docs, size_t n, sg_store_txn_cb cb,
    void *payload, struct sg_error *err);

/*
 * Called for each stored document of a run, in path order; data is
 * borrowed for the call.  Non-zero stops the iteration and is returned.
 */
typedef int (*sg_store_document_cb)(const char *path, const void *data,
    size_t len, void *payload);

/*
 * The stored documents of run (feature_id, run_id), in one snapshot.  A
 * run with none calls cb never (and returns 0).  SG_EIO when the store
 * fails or holds a document past the caps or with a malformed path
 * (written by something other than specgate).
 */
int sg_store_documents_foreach(struct sg_store *st, const char *feature_id,
    const char *run_id, sg_store_document_cb cb, void *payload,
    struct sg_error *err);

/* Free a run returned by sg_store_run_get().  run may be NULL. */
void sg_run_free(struct sg_run *run);

#define SG_RUN_FILTER_VERSION 1

/* Which runs sg_store_run_list() returns.  NULL and 0 mean "any". */
struct sg_run_filter {
	unsigned version;	/* SG_RUN_FILTER_VERSION */
	const char *feature_id; /* only this feature */
	const char *run_id;	/* only this run id */
	const char *status;	/* only runs with this status */
	const char *mode;	/* only runs in this mode */
	uint64_t limit;		/* at most this many; 0: no limit */
	uint64_t offset;	/* skip this many first (paging) */
};

#define SG_RUN_FILTER_INIT {SG_RUN_FILTER_VERSION, NULL, NULL, NULL, NULL, 0, 0}

/*
 * Called once per run.  `run` and its strings are borrowed for the call
 * only.  Return 0 to go on; anything else stops the listing and is what
 * sg_store_run_list() returns.  The callback must not use the store.
 */
typedef int (*sg_run_cb)(const struct sg_run *run, void *payload);

/*
 * Call cb for each run that passes filter (NULL: every run), newest first
 * (by start time, then by creation order).  Returns 0, the callback's
 * non-zero value, SG_EINVAL for a malformed filter, or SG_EIO.
 */
int sg_store_run_list(struct sg_store *st, const struct sg_run_filter *filter,
    sg_run_cb cb, void *payload, struct sg_error *err);

/* true when s is a run status named above. */
bool sg_run_status_is_valid(const char *s);

/* true when s is a final run status (success warning failure cancelled). */
bool sg_run_status_is_final(const char *s);

#endif /* SPECGATE_STORE_H */
