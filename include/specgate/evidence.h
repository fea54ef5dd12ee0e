/* SPDX-License-Identifier: MIT */
/*
 * evidence.h - run bundles: the directory a run leaves its evidence in,
 * how it gets there without ever being seen half-written, retention, the
 * recovery of runs that died, and the verification of every bundle against
 * the audit trail (docs/product.md §6; docs/internals/evidence.md).
 *
 *	reports/<feature-id>/<run-id>/		a published bundle
 *	reports/<feature-id>/latest -> <run-id>	the newest published run
 *	reports/<feature-id>/.staging-XXXXXXXXXX/	a bundle being written
 *	reports/archive/YYYYMMDD/<feature-id>/<run-id>/	archived runs
 *
 * Life of a bundle (struct sg_bundle), as a run drives it:
 *
 *	sg_bundle_begin()	mkdir reports/<fid>, create and lock a staging
 *				directory; the run records its path in the
 *				store (sg_run_new.bundle) so that a crashed
 *				run can be found and cleaned up
 *	sg_bundle_set_run()	the run id the store allocated
 *	sg_bundle_write()	stage output files, each fsynced
 *	sg_bundle_checkpoint()	append checkpoints to the audit trail
 *	sg_bundle_publish()	the audit stage: checkpoints.log, manifest.json
 *				(every file's digest and the trail head), the
 *				audit record that seals the manifest, rename
 *				into place, `latest`, retention
 *	sg_bundle_abort()	instead of publishing, after a failure
 *	sg_bundle_free()	release (and unlock) it
 *
 * The crash-safety argument (the order of these steps, and why a run
 * killed at any moment leaves a consistent trail and no half bundle under
 * a final name) is in docs/internals/evidence.md and docs/decisions.md.
 *
 * Concurrency: any number of processes may write bundles of the same
 * feature at once.  Each has its own staging directory; the publish step
 * (rename, latest, retention) runs under a lock on reports/<fid>.  A
 * struct sg_bundle belongs to one thread.
 *
 * Errors: SG_EIO for anything the file system or the store refused (a full
 * disk, a read-only reports directory: exit 5); SG_EINVAL for bad
 * arguments; SG_EVERIFY from verification.
 */
#ifndef SPECGATE_EVIDENCE_H
#define SPECGATE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "specgate/audit.h"
#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/intoto.h"
#include "specgate/sign.h"
#include "specgate/store.h"

#define SG_MANIFEST_SCHEMA "specgate/manifest/v1"
#define SG_BUNDLE_MANIFEST "manifest.json"
#define SG_BUNDLE_CHECKPOINTS "checkpoints.log"
#define SG_BUNDLE_MANIFEST_SIG "manifest.json.sig"
#define SG_BUNDLE_PROVENANCE "provenance.intoto.json"
#define SG_BUNDLE_LINKS "links"
/* The release report the audit stage writes (sg_bundle_set_derived()). */
#define SG_BUNDLE_REPORT_MD "report.md"
#define SG_BUNDLE_REPORT_HTML "report.html"

#define SG_EVIDENCE_OPTIONS_VERSION 1

/* Where the bundles are, and the retention policy. */
struct sg_evidence_options {
	unsigned version;     /* SG_EVIDENCE_OPTIONS_VERSION */
	const char *root;     /* project root (from the cwd, or absolute) */
	const char *reports;  /* bundle root, from root unless absolute */
	unsigned active_runs; /* runs kept per feature id (>= 1) */
};

#define SG_EVIDENCE_OPTIONS_INIT                                               \
	{SG_EVIDENCE_OPTIONS_VERSION, ".", "reports", 20}

/* A bundle being written by a run.  Opaque. */
struct sg_bundle;

/* Where a bundle is in its life. */
enum sg_bundle_state {
	SG_BUNDLE_STAGING = 0, /* being written; nothing sealed */
	SG_BUNDLE_SEALED,      /* the trail seals its manifest; not renamed */
	SG_BUNDLE_PUBLISHED,   /* under its final name */
};

/*
 * Start a bundle for feature_id: create reports/<fid>/ if needed and a
 * new staging directory in it, and lock the staging directory for as long
 * as the bundle lives.  *out (OUT) is freed with sg_bundle_free().
 */
int sg_bundle_begin(struct sg_bundle **out,
    const struct sg_evidence_options *opts, const char *feature_id,
    struct sg_error *err);

/*
 * The staging directory, relative to the project root ("reports/<fid>/
 * .staging-XXXXXXXXXX"): what the run records as its bundle in the store
 * while it runs.  Borrowed.
 */
const char *sg_bundle_staging(const struct sg_bundle *b);

#define SG_BUNDLE_RUN_VERSION 1

/* The run a bundle belongs to.  Strings are copied by sg_bundle_set_run(). */
struct sg_bundle_run {
	unsigned version;	 /* SG_BUNDLE_RUN_VERSION */
	const char *run_id;	 /* from sg_store_run_create() */
	enum sg_mode mode;	 /* the manifest and links get its word */
	const char *project;	 /* the project's name, for the manifest */
	const char *project_version; /* its version */
	time_t started;		 /* when the run started (real clock) */
	enum sg_stage_id to;	 /* the last stage it was asked to reach */
	/*
	 * The project's mode floor when it is above `mode` (a sandbox run
	 * of a compliance project that stops before deploy), else NULL:
	 * the manifest's "mode_floor".
	 */
	const char *mode_floor;
	/*
	 * A continuation (`specgate resume`): the waiting run it continues
	 * and that run's manifest SHA-256, for the manifest's `continues`;
	 * NULL otherwise.
	 */
	const char *continues;
	const char *continues_manifest_sha256;
};

#define SG_BUNDLE_RUN_INIT                                                     \
	{SG_BUNDLE_RUN_VERSION, NULL, SG_MODE_SANDBOX, NULL, NULL, 0,        \
	    SG_STAGE_AUDIT, NULL, NULL, NULL}

/* Name the run of b (once, before anything is checkpointed). */
int sg_bundle_set_run(struct sg_bundle *b, const struct sg_bundle_run *run,
    struct sg_error *err);

/*
 * Signing (docs/signing.md).  With a signer (borrowed: it must outlive the
 * bundle; the run loads its key once), publishing signs every JSON document
 * (FILE.json.sig), writes provenance.intoto.json and the audit stage's
 * in-toto link, and signs manifest.json last (manifest.json.sig).  Without
 * one (signer NULL), the bundle is unsigned and its manifest says so,
 * with `why`.  Call before sg_bundle_publish(); may be called again.
 */
void sg_bundle_set_signer(struct sg_bundle *b, struct sg_signer *signer,
    const char *why);

/* true when b has a signer. */
bool sg_bundle_is_signed(const struct sg_bundle *b);

/*
 * Sign the in-toto link l with the bundle's signer, after adding mode,
 * feature_id and run_id to its environment, and write it as
 * links/<stage>.<keyid8>.link.  Its materials become the provenance's
 * resolved dependencies.  Nothing (and 0) for an unsigned bundle.
 */
int sg_bundle_write_link(struct sg_bundle *b, struct sg_intoto_link *l,
    struct sg_error *err);

/*
 * A subject of the provenance: a declared artifact (its path from the
 * project root, its SHA-256).  With none, the subjects are the files the
 * stages before audit left in the bundle.
 */
int sg_bundle_add_subject(struct sg_bundle *b, const char *path,
    const char *sha256, struct sg_error *err);

/*
 * The git source the run started from (sg_branch_source()): the
 * manifest's `source` and the provenance's resolvedDependencies.  url,
 * ref may be NULL; commit NULL or "" when there is none.  Copied.
 */
void sg_bundle_set_source(struct sg_bundle *b, bool found, const char *url,
    const char *ref, const char *commit, bool dirty);

/*
 * Documents made from the bundle itself (the release report, report.md
 * and report.html): the audit stage calls fn once, after every other
 * document is written and signed and before the manifest, with the
 * staging directory (a path from the cwd) and a draft of the manifest:
 * the manifest as it would be without fn's documents (the same run,
 * stages and files with their digests; no digest of its own, since the
 * manifest will list what fn writes).  fn writes its documents with
 * sg_bundle_write(); with a signer each gets a FILE.sig, and the manifest
 * lists them all.  A failure of fn is a failure of the audit stage.
 */
typedef int (*sg_bundle_derived_fn)(struct sg_bundle *b,
    const char *staging, const char *draft_manifest, void *payload,
    struct sg_error *err);

void sg_bundle_set_derived(struct sg_bundle *b, sg_bundle_derived_fn fn,
    void *payload);

/*
 * Whether the bundle file rel is a document that gets a detached
 * signature (FILE.sig): every JSON document but a link, and the release
 * report (report.md, report.html).
 */
bool sg_bundle_is_signed_document(const char *rel);

/*
 * Write the file `name` of the bundle ("spec-validation-report.json",
 * "logs/preflight.log": one level of subdirectory at most, created as
 * needed), fsynced.  The name must be new.  *out_sha256 (OUT, 65 bytes,
 * may be NULL) gets the SHA-256 of the bytes written.
 */
int sg_bundle_write(struct sg_bundle *b, const char *name, const void *data,
    size_t len, char *out_sha256, struct sg_error *err);

/* A checkpoint of a stage, as the run reports it. */
struct sg_checkpoint {
	enum sg_stage_id stage;
	const char *status;	   /* success, warning, failure, skipped... */
	const char *output;	   /* the stage's main output file, or NULL */
	const char *output_sha256; /* its digest (sg_bundle_write()), or NULL */
	const char *detail;	   /* one line for the manifest, or NULL */
	time_t when;		   /* 0: now (the real clock) */
};

/*
 * Record n checkpoints: append them to the audit trail, in one
 * transaction, and keep them for checkpoints.log and the manifest.  The
 * trail head after them is what the manifest will record.
 */
int sg_bundle_checkpoint(struct sg_bundle *b, struct sg_store *st,
    const struct sg_checkpoint *cps, size_t n, struct sg_error *err);

/* What publishing did. */
struct sg_bundle_published {
	char *path;		    /* the bundle, from the cwd (owned) */
	char *store_path;	    /* the same, relative to the project root */
	struct sg_audit_head head;  /* the trail head the manifest records */
	struct sg_audit_head seal;  /* the audit record sealing the manifest */
	size_t nfiles;		    /* files listed in the manifest */
	size_t documents;	    /* documents stored with the seal */
	size_t documents_left_out;  /* past the store's caps */
	char **archived;	    /* runs moved to the archive (paths) */
	size_t narchived;
};

/* Free what p holds (not p).  p may be NULL. */
void sg_bundle_published_release(struct sg_bundle_published *p);

/*
 * The audit stage.  In order: write checkpoints.log (every checkpoint of
 * the run and the audit stage's own, `status`); hash every file of the
 * staging directory; write manifest.json (files, stage results, the run's
 * status `run_status`, the trail head after the run's checkpoints); sync
 * the staging directory; append the audit record whose output is
 * manifest.json with its SHA-256 (the seal); then, under the feature's
 * lock, rename the staging directory to reports/<fid>/<run-id>, point
 * `latest` at the newest published run, and move runs beyond
 * active_runs to the archive.
 *
 * *out (OUT) says where it went.  On failure sg_bundle_state() tells how
 * far it got: STAGING (nothing sealed: sg_bundle_abort() it), SEALED (the
 * trail holds the seal; the staging directory is complete and is left for
 * sg_evidence_reconcile() to publish), PUBLISHED (the bundle is in place;
 * `latest` or retention failed).
 */
int sg_bundle_publish(struct sg_bundle_published *out, struct sg_bundle *b,
    struct sg_store *st, enum sg_run_status run_status,
    struct sg_error *err);

/* How far b got. */
enum sg_bundle_state sg_bundle_state(const struct sg_bundle *b);

/*
 * Give up a bundle that was not sealed: when checkpoints of the run are in
 * the trail, append the audit stage's `status` ("failure" or "cancelled")
 * without an output, so that the trail says the run ended without a
 * bundle; then remove the staging directory.  A sealed bundle is left as
 * it is (its staging directory is complete; reconciliation publishes it).
 * Best effort: returns the first failure but does all it can.
 */
int sg_bundle_abort(struct sg_bundle *b, struct sg_store *st,
    const char *status, struct sg_error *err);

/* Release b and its lock.  b may be NULL. */
void sg_bundle_free(struct sg_bundle *b);

/*
 * Recovery.  A run whose store status is still `running` but whose owner
 * is gone (its staging directory's lock is free) died: reconciliation
 * finishes what it can prove and closes the rest.
 *
 *	the bundle was published		the store gets the manifest's
 *						status and the bundle path
 *	sealed, staging complete and intact	published now (roll forward)
 *	not sealed				`audit cancelled` appended to
 *						the trail (if none closes the
 *						run yet), staging removed, run
 *						`cancelled`
 *
 * A run whose lock is held is alive and left alone.  Then staging
 * directories that no running run names and nobody holds are removed
 * (left by runs that failed, or that never got a run id).  Only the runs
 * and directories of feature_id when it is not NULL.  `cb` (may be NULL) is
 * called once per run handled, with a line saying what was done.
 */
typedef void (*sg_evidence_note_cb)(const char *feature_id,
    const char *run_id, const char *what, void *payload);

int sg_evidence_reconcile(const struct sg_evidence_options *opts,
    const char *feature_id, struct sg_store *st, sg_evidence_note_cb cb,
    void *payload, struct sg_error *err);

/*
 * Retention for every feature under the reports directory (or only
 * feature_id, when not NULL): keep the active_runs newest runs, move the
 * older ones to reports/archive/YYYYMMDD/<fid>/<run-id>/ (the run's own
 * date), and point `latest` at the newest.  Nothing is deleted.  cb gets
 * "archived reports/archive/..." per run moved.
 */
int sg_evidence_archive(const struct sg_evidence_options *opts,
    const char *feature_id, sg_evidence_note_cb cb, void *payload,
    struct sg_error *err);

/* Where a run's bundle is now: published, archived, or being written. */
enum sg_bundle_where {
	SG_BUNDLE_NONE = 0,
	SG_BUNDLE_ACTIVE,   /* reports/<fid>/<run-id> */
	SG_BUNDLE_ARCHIVED, /* reports/archive/YYYYMMDD/<fid>/<run-id> */
	SG_BUNDLE_PENDING,  /* its staging directory (run still in the store
			       as running, or sealed and not yet renamed) */
};

/*
 * Find the bundle of run (feature_id, run_id): *out_path (OUT, malloc'd,
 * relative to the cwd; NULL when there is none) and *out_where.  `staging`
 * is the run's bundle column from the store (may be NULL), relative to the
 * project root.
 */
int sg_evidence_locate(char **out_path, enum sg_bundle_where *out_where,
    const struct sg_evidence_options *opts, const char *feature_id,
    const char *run_id, const char *staging, struct sg_error *err);

/*
 * Read the manifest of the bundle at `path` (relative to the cwd): its
 * text (*out, malloc'd, NUL-terminated), capped at 16 MiB.  SG_ENOTFOUND
 * when there is none.
 */
int sg_evidence_read_manifest(char **out, const char *path,
    struct sg_error *err);

/* One file as a manifest lists it. */
struct sg_manifest_file {
	char *path;	  /* relative to the bundle: "logs/preflight.log" */
	bool is_link;	  /* a symlink, recorded as its target */
	uint64_t size;	  /* bytes (a link: of its target text) */
	char sha256[65];  /* of the bytes (a link: of its target text) */
	char *target;	  /* a symlink's target, or NULL */
};

/* What a manifest.json says that verification and `runs` use. */
struct sg_manifest {
	char *feature_id;
	char *run_id;
	char *mode;
	char *run_status;	   /* the run's final status */
	char *continues;	   /* the waiting run a continuation
				      continues, or NULL */
	char *continues_manifest_sha256; /* that run's manifest digest */
	struct sg_audit_head head; /* the trail after the run's checkpoints */
	uint64_t *records;	   /* seqs of the run's checkpoints */
	size_t nrecords;
	struct sg_manifest_file *files;
	size_t nfiles;
	bool is_signed;	   /* "signing": {"signed": true} */
	char *keyid;	   /* the in-toto key id of the signer, or NULL */
	char *public_key;  /* its SPKI PEM, or NULL */
	char *unsigned_why; /* why an unsigned bundle is, or NULL */
	/*
	 * mode and run_status as enums, which is what code compares,
	 * parsed by sg_manifest_parse(); SG_MODE_COUNT or
	 * SG_RUN_STATUS_COUNT for a word it does not know (or a manifest
	 * that did not parse), which matches no state.  The words are the
	 * document's, for output.
	 */
	enum sg_mode mode_enum;
	enum sg_run_status run_status_enum;
};

/*
 * Parse a manifest (the text of sg_evidence_read_manifest()) into *out
 * (OUT; release it with sg_manifest_release() either way).  SG_EINVAL,
 * saying what is wrong, for anything that is not a manifest of
 * SG_MANIFEST_SCHEMA.
 */
int sg_manifest_parse(struct sg_manifest *out, const char *text, size_t len,
    struct sg_error *err);

/* Free what m holds (not m).  m may be NULL. */
void sg_manifest_release(struct sg_manifest *m);

/* One problem verification found. */
struct sg_evidence_problem {
	char *where;   /* a bundle path, "path/file", or "audit trail" */
	char *message; /* what is wrong */
	uint64_t seq;  /* the audit record concerned, or 0 */
};

struct sg_evidence_report {
	size_t bundles;		/* bundles checked (active + archived) */
	size_t pending;		/* sealed or running bundles in staging */
	size_t files;		/* files whose digests were checked */
	uint64_t records;	/* audit records verified */
	struct sg_audit_head head; /* the trail's last good record */
	struct sg_evidence_problem *problems; /* in the order found */
	size_t nproblems;
	char **notes;		/* not problems: runs in progress, ... */
	size_t nnotes;
};

/* Free what r holds (not r).  r may be NULL. */
void sg_evidence_report_release(struct sg_evidence_report *r);

/*
 * `specgate audit verify`: recompute the whole audit trail against the
 * heads recorded by every bundle's manifest (sg_audit_verify()), and check
 * every bundle (active, archived, and sealed ones still in staging): its
 * manifest is the one its audit record sealed, every file matches its size
 * and digest and none is missing or extra, checkpoints.log is the trail's
 * records of the run, and `latest` points at a bundle of its feature.
 * Every sealed run in the trail must have its bundle.  st may be NULL (no
 * store): then any bundle is a problem (its trail is missing).
 *
 * Returns 0 when all is well, SG_EVERIFY when out->problems is not empty
 * (the first problem is the one to show first: the trail's first bad
 * record, with the bundle whose manifest disagrees), SG_EIO when reading
 * failed.  *out (OUT) is filled either way.
 */
int sg_evidence_verify(struct sg_evidence_report *out,
    const struct sg_evidence_options *opts, struct sg_store *st,
    struct sg_error *err);

/*
 * `specgate audit verify --incremental`: as sg_evidence_verify(), from
 * `from`, the head an earlier good verification reached (NULL: the full
 * verification).  The chain is checked with sg_audit_verify_from() (the
 * head must still be in the trail); the bundles checked are those of the
 * runs that the records after the head name, and the seals after it must
 * have their bundles.  What it does not look at again: bundles of older
 * runs, `latest`, and (where checked) the runs index of older runs.
 * out->records and out->bundles count what was checked.
 */
int sg_evidence_verify_from(struct sg_evidence_report *out,
    const struct sg_evidence_options *opts, struct sg_store *st,
    const struct sg_audit_head *from, struct sg_error *err);

#define SG_BUNDLE_VERIFY_VERSION 1

/* What `specgate verify BUNDLE` checks one bundle with. */
struct sg_bundle_verify_options {
	unsigned version;	  /* SG_BUNDLE_VERIFY_VERSION */
	const char *path;	  /* the bundle directory, from the cwd */
	const struct sg_key *key; /* the expected signer (--key), or NULL */
	struct sg_store *st;	  /* the audit trail, or NULL (not checked) */
	const char *layout;	  /* a layout file to check, or NULL */
};

#define SG_BUNDLE_VERIFY_INIT {SG_BUNDLE_VERIFY_VERSION, NULL, NULL, NULL, NULL}

/*
 * Verify one bundle offline (docs/signing.md, "Verifying a bundle"):
 * every digest of its manifest; with st, the seal, checkpoints.log and the
 * audit trail up to the head the manifest records; every .sig, every
 * in-toto link (signature, name, run, products and bundle materials
 * against the files, one per stage), the provenance's signature and
 * subjects, and o->layout when given (signature, expiry).  Signatures
 * are checked with o->key, which must be the key the manifest names;
 * without one, with the manifest's key (a note says so).  An unsigned
 * bundle is a problem in compliance or when a key is pinned, a note
 * otherwise.
 *
 * *out (OUT) lists the problems and notes.  Returns 0, SG_EVERIFY when
 * there are problems, or SG_EIO/SG_ENOTFOUND when the bundle or the store
 * could not be read.
 */
int sg_evidence_verify_bundle(struct sg_evidence_report *out,
    const struct sg_bundle_verify_options *o, struct sg_error *err);

#define SG_STORED_VERIFY_VERSION 1

/* What `specgate verify --store RUN` checks a run with. */
struct sg_stored_verify_options {
	unsigned version;	  /* SG_STORED_VERIFY_VERSION */
	struct sg_store *st;	  /* the store holding the run (required) */
	const char *feature_id;	  /* the run's feature; NULL: any */
	const char *run_id;	  /* the run */
	const struct sg_key *key; /* the expected signer (--key), or NULL */
	const char *layout;	  /* a layout file to check, or NULL */
	const char *tmpdir;	  /* NULL: $TMPDIR, else /tmp */
};

#define SG_STORED_VERIFY_INIT                                                  \
	{SG_STORED_VERIFY_VERSION, NULL, NULL, NULL, NULL, NULL, NULL}

/*
 * Verify a run from the store alone, without its bundle directory
 * (docs/store.md, "Verifying a run from the store"): the documents the
 * store keeps with the run (sg_store_documents_put()) are written into a
 * private directory (mode 0700, under tmpdir, removed before returning)
 * named as a bundle, and checked as sg_evidence_verify_bundle() checks a
 * bundle with the store: the seal over manifest.json, each stored
 * document's size and digest against the manifest, checkpoints.log and
 * the trail, every .sig and manifest.json.sig, the links, the
 * provenance, the layout when given; a continuation's approved run the
 * same way from its own stored documents.  The files the manifest lists
 * that the store does not keep (logs, artifacts, a document past the
 * caps) are not checked: a note names them.  Problems name
 * "store:<feature-id>/<run-id>/<file>".
 *
 * Returns 0, SG_EVERIFY when there are problems (a run with no stored
 * document is one), SG_ENOTFOUND when the store has no such run,
 * SG_EINVAL when run_id is malformed or names runs of several features
 * (give feature_id), SG_EIO when the store or the directory fails.
 */
int sg_evidence_verify_stored(struct sg_evidence_report *out,
    const struct sg_stored_verify_options *o, struct sg_error *err);

#endif /* SPECGATE_EVIDENCE_H */
