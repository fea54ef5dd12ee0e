/* SPDX-License-Identifier: MIT */
/*
 * approval.h - manual approval before deploy in compliance mode
 * (docs/product.md §3 and §5.4; docs/internals/run.md, "Approvals").
 *
 * A compliance run whose deploy stage would run stops before it when
 * `approvals.required` > 0: checkpoint `deploy awaiting_approval`, the
 * bundle published as it is (run status `awaiting_approval`), the store's
 * run `awaiting_approval`, SG_EWAIT.  An approval is a JSON document
 * (schema specgate/approval/v1: feature id, run id, mode, the waiting
 * bundle's manifest SHA-256, the approver's key id, time, comment) with a
 * detached signature by a key listed in `approvals.keys`.  It is kept
 * beside the store in .specgate/approvals/<fid>/<run-id>/<keyid>.json
 * (and .json.sig), and an audit record `deploy approved` of the waiting
 * run names it with its SHA-256, so the trail vouches for its bytes.
 * `resume` checks every approval again and runs a continuation run that
 * deploys and carries approvals.json.
 */
#ifndef SPECGATE_APPROVAL_H
#define SPECGATE_APPROVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/ids.h"
#include "specgate/sign.h"
#include "specgate/store.h"

#define SG_APPROVAL_SCHEMA "specgate/approval/v1"

/* One approval: the signed document's bytes and its signature (base64). */
struct sg_approval {
	char *document;	 /* the exact bytes signed, NUL-terminated */
	size_t len;
	char *signature; /* base64 of the DER signature (a .sig body) */
	char keyid[65];	 /* the approver's key id */
	char sha256[65]; /* of document */
};

/* A build artifact of the waiting run, as approved and as found again. */
struct sg_approval_artifact {
	char *path;	 /* relative to the project root */
	char sha256[65]; /* artifacts.json's, equal to the file's now */
};

/*
 * The approvals of one waiting run, sorted by key id: one per key (an
 * approval is kept under its key id, so one key approves once, and
 * required: N means N distinct keys).
 */
struct sg_approval_set {
	char feature_id[SG_FEATURE_ID_SIZE];
	char run_id[SG_RUN_ID_SIZE];
	char manifest_sha256[65]; /* of the waiting bundle */
	char signer_keyid[65];	  /* the key that signed its evidence, or "" */
	struct sg_approval *items;
	size_t n;
	/* sg_approval_check_artifacts(): the artifacts re-hashed. */
	struct sg_approval_artifact *artifacts;
	size_t nartifacts;
};

/* true when a run of cfg stops before deploy (compliance, required > 0). */
bool sg_approval_needed(const struct sg_config *cfg);

/*
 * Find the run `run_id` in the store (any feature): *out (OUT: free with
 * sg_run_free()).  SG_ENOTFOUND when the store does not know it,
 * SG_EINVAL when several features have a run of that id.
 */
int sg_approval_find_run(struct sg_run **out, struct sg_store *st,
    const char *run_id, struct sg_error *err);

/*
 * Record an approval of `run` by signer: refuse (SG_EINVAL) a run that is
 * not awaiting approval or was already resumed, a signer whose key is not
 * in cfg->approval_keys, the key that signed the run's evidence (its
 * manifest's signer: separation of duties), and a second approval by the
 * same key; then write the document and its signature, and append
 * `deploy approved` to the trail.  *out (OUT) is the approval
 * (sg_approval_release()).
 */
int sg_approval_add(struct sg_approval *out, struct sg_store *st,
    const struct sg_config *cfg, const struct sg_run *run,
    struct sg_signer *signer, const char *comment, struct sg_error *err);

/*
 * Load and check every approval of the waiting `run`: each signature
 * against the listed keys, each document's run, feature and manifest
 * digest against the run's bundle, and that no approval is by the key
 * that signed the run's evidence.  SG_EVERIFY when one does not hold;
 * SG_EINVAL for a run not awaiting approval or already resumed.
 */
int sg_approval_load(struct sg_approval_set *out,
    const struct sg_config *cfg, const struct sg_run *run,
    struct sg_error *err);

/*
 * Separation of duties at resume: SG_EVERIFY when an approval of set is
 * by `keyid`, the key that will sign the continuation's evidence.
 */
int sg_approval_check_signer(const struct sg_approval_set *set,
    const char *keyid, struct sg_error *err);

/*
 * Approved bytes are the deployed bytes: read the waiting bundle's
 * artifacts.json (checked against its manifest, whose digest the
 * approvals sign) and hash every artifact it lists again in the project.
 * SG_EVERIFY naming the first file that differs, with both digests (or
 * saying it is missing); on success set->artifacts lists them.  A waiting
 * run that declared no artifacts passes with none.
 */
int sg_approval_check_artifacts(struct sg_approval_set *set,
    const struct sg_config *cfg, const struct sg_run *run,
    struct sg_error *err);

/*
 * Hash set->artifacts again (the continuation, just before its deploy
 * commands): SG_EVERIFY as above when one changed since the check.
 */
int sg_approval_rehash_artifacts(const struct sg_approval_set *set,
    const struct sg_config *cfg, struct sg_error *err);

/* approvals.json for a set, NUL-terminated in *out (OUT: free()). */
int sg_approval_json(char **out, size_t *len, const struct sg_approval_set *set,
    const char *run_id, const char *mode, const char *timestamp,
    struct sg_error *err);

void sg_approval_release(struct sg_approval *a);
void sg_approval_set_release(struct sg_approval_set *set);

#endif /* SPECGATE_APPROVAL_H */
