/* SPDX-License-Identifier: MIT */
/*
 * evidence_int.h - what the files of src/lib/evidence/ share: the names
 * and paths of the reports tree, run-id order, the manifest as data, and
 * the steps of publishing that reconciliation and `specgate archive`
 * repeat (latest, retention, verifying a bundle's files).
 *
 * Paths: every function works through open directories (sys/dir.h).  The
 * path strings kept next to them are relative to the working directory
 * (for messages and for what the CLI prints) or to the project root (what
 * the store records), never resolved again.
 */
#ifndef SG_EVIDENCE_INT_H
#define SG_EVIDENCE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence/hash.h"
#include "specgate/audit.h"
#include "specgate/evidence.h"
#include "sys/dir.h"
#include "util/util.h"

#define SG_EVIDENCE__ARCHIVE "archive"
#define SG_EVIDENCE__LATEST "latest"
#define SG_EVIDENCE__LATEST_TMP "latest.tmp"
#define SG_EVIDENCE__STAGING_PREFIX ".staging-"
#define SG_EVIDENCE__MANIFEST_MAX (16u << 20)
#define SG_EVIDENCE__FILE_MODE 0644
#define SG_EVIDENCE__DIR_MODE 0755

/* "a/b" for a path and a name, without "./" when the path is ".". */
char *sg_evidence__join(const char *dir, const char *name);

/* The reports directory as a path relative to the cwd (malloc'd). */
char *sg_evidence__reports_path(const struct sg_evidence_options *o);

/*
 * A path under the reports directory, relative to the project root (what
 * the store records): "reports/<rel>" (malloc'd).
 */
char *sg_evidence__store_path(const struct sg_evidence_options *o,
    const char *rel);

/*
 * Every entry under a bundle directory that is not a directory, as a path
 * relative to it ("logs/preflight.log"), sorted per directory, at most 8
 * levels deep (a deeper directory is listed as an entry).
 */
struct sg_evidence__listing {
	char **paths;
	enum sg_fs_type *types;
	size_t n;
	size_t cap;
};

int sg_evidence__list_files(struct sg_evidence__listing *out,
    const struct sg_dir *d, struct sg_error *err);

void sg_evidence__listing_release(struct sg_evidence__listing *l);

/*
 * Read the regular file rel of d into out (at most 16 MiB); SG_ENOTFOUND
 * when absent, SG_EINVAL for a symlink.
 */
int sg_evidence__read_entry(struct sg_buf *out, const struct sg_dir *d,
    const char *rel, struct sg_error *err);

/*
 * true for the files a manifest cannot list because they are written
 * after it: manifest.json, manifest.json.sig, links/audit.<keyid8>.link
 * (docs/signing.md says why, and what protects them instead).
 */
bool sg_evidence__after_manifest(const char *rel);

/*
 * Check the files of the bundle directory d against m: every listed file
 * exists with its type, size, digest (and a link's target), and nothing
 * else is there but manifest.json.  With `partial` (a bundle rebuilt from
 * the documents the store keeps, `verify --store`), a listed file that is
 * absent is not checked, and the caller says so.  Each mismatch is passed to cb (path
 * relative to d, and what is wrong); returns 0 after checking everything,
 * or a negative code when the check itself could not be made (SG_EIO).
 * *nchecked (OUT) counts the files hashed.
 */
typedef void (*sg_evidence__mismatch_cb)(const char *rel, const char *what,
    void *payload);

int sg_evidence__check_files(size_t *nchecked, const struct sg_dir *d,
    const struct sg_manifest *m, bool partial, sg_evidence__mismatch_cb cb,
    void *payload, struct sg_error *err);

/*
 * The published runs of a feature directory (names that are run ids and
 * directories), sorted oldest first.  *out (OUT) is freed with
 * sg_dirent_free().
 */
int sg_evidence__list_runs(struct sg_dirent **out, size_t *n,
    const struct sg_dir *fdir, struct sg_error *err);

/*
 * Under the feature's lock (the caller holds it on fdir): point `latest`
 * at the newest published run (or remove it when there is none), then
 * move the runs beyond active_runs to reports/archive/YYYYMMDD/<fid>/, and
 * sync what changed.  reports is the reports directory.  Each run moved is
 * passed to cb as its new path relative to the cwd.
 */
int sg_evidence__retain(const struct sg_dir *reports,
    const struct sg_dir *fdir, const char *feature_id, unsigned active_runs,
    sg_evidence_note_cb cb, void *payload, struct sg_error *err);

/*
 * The audit records of one run, in seq order, copied (a few per run).
 * *out (OUT) is freed with sg_evidence__records_free().
 */
struct sg_evidence__record {
	struct sg_audit_record r; /* strings point into `buf` */
	char *buf;
};

int sg_evidence__run_records(struct sg_evidence__record **out, size_t *n,
    struct sg_store *st, const char *feature_id, const char *run_id,
    struct sg_error *err);

void sg_evidence__records_free(struct sg_evidence__record *recs, size_t n);

/* The record that seals the run's manifest, or NULL. */
const struct sg_evidence__record *sg_evidence__seal(
    const struct sg_evidence__record *recs, size_t n);

/* The audit record that closes the run (any audit-stage record), or NULL. */
const struct sg_evidence__record *sg_evidence__closing(
    const struct sg_evidence__record *recs, size_t n);

/*
 * checkpoints.log as the trail says it must be: the checkpoint line of
 * each record, up to and including the seal, each ending in a newline.
 */
void sg_evidence__checkpoint_lines(struct sg_buf *out,
    const struct sg_evidence__record *recs, size_t n);

/*
 * Check the bundle at d (relative path `path`, for messages) of run
 * (feature_id, run_id) against its trail records: the manifest is the one
 * sealed, its files match, checkpoints.log matches the trail.  Problems go
 * to cb as (where, message, seq); returns 0 when the check could be made
 * (problems or not), SG_EIO otherwise.  *m (OUT) is the parsed manifest
 * when it could be read (release it), and *nfiles the files checked.
 */
typedef void (*sg_evidence__problem_cb)(const char *where,
    const char *message, uint64_t seq, void *payload);

int sg_evidence__check_bundle(struct sg_manifest *m, size_t *nfiles,
    const struct sg_dir *d, const char *path, const char *feature_id,
    const char *run_id, const struct sg_evidence__record *recs, size_t n,
    bool partial, sg_evidence__problem_cb cb, void *payload,
    struct sg_error *err);

/*
 * sg_evidence_verify_bundle() of a bundle rebuilt from the store's
 * documents (partial: a file the manifest lists and the directory lacks
 * is not checked; the caller names them).
 */
int sg_evidence__verify_bundle(struct sg_evidence_report *out,
    const struct sg_bundle_verify_options *o, bool partial,
    struct sg_error *err);

#endif /* SG_EVIDENCE_INT_H */
