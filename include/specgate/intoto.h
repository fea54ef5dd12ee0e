/* SPDX-License-Identifier: MIT */
/*
 * intoto.h - in-toto attestations: link metadata (v0.9, what
 * `in-toto-verify` 1.x reads), the signed layout of specgate's pipeline,
 * and a DSSE envelope holding a SLSA provenance v1 statement
 * (docs/internals/intoto.md; docs/signing.md for the formats).
 *
 *	link	{"signatures": [{"keyid", "sig": hex}], "signed": {"_type":
 *		"link", "name", "command", "materials", "products",
 *		"byproducts", "environment"}}, the signature over the
 *		canonical JSON of "signed" (sg_canon_json_str())
 *	layout	the same envelope around {"_type": "layout", "expires",
 *		"keys", "steps", "inspect", "readme"}
 *	DSSE	{"payloadType", "payload": base64, "signatures": [{"keyid",
 *		"sig": base64}]}, the signature over the pre-authentication
 *		encoding "DSSEv1 <len> <type> <len> <payload>"
 *
 * Key ids.  in-toto 1.x (securesystemslib 0.26, what Debian ships) names a
 * key by SHA-256 over the canonical JSON of {"keyid_hash_algorithms":
 * ["sha256", "sha512"], "keytype", "keyval", "scheme"}: that is the id in
 * links, layouts, link file names and DSSE signatures
 * (sg_intoto_keyid()).  `specgate key id` prints the newer form without
 * keyid_hash_algorithms (sg_key_id()); both are documented.
 *
 * A link is built, then signed: the pipeline runner fills one struct
 * sg_intoto_link per stage (the stage name, the files it read and wrote
 * with their SHA-256, the command, its exit status and output) and hands
 * it to sg_bundle_write_link() (evidence.h), which signs it with the
 * run's signer and writes links/<stage>.<keyid8>.link.
 *
 * Ownership: strings passed in are copied; `**out` results are the
 * caller's (free() or the named free function).  A link belongs to one
 * thread.
 */
#ifndef SPECGATE_INTOTO_H
#define SPECGATE_INTOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "specgate/error.h"
#include "specgate/sign.h"

#define SG_INTOTO_STREAM_MAX 4096 /* bytes of stdout/stderr kept in a link */
#define SG_INTOTO_LINK_MAX (64u << 20) /* a link file larger is refused */
#define SG_INTOTO_DSSE_TYPE "application/vnd.in-toto+json"
#define SG_INTOTO_STATEMENT "https://in-toto.io/Statement/v1"
#define SG_INTOTO_SLSA "https://slsa.dev/provenance/v1"
#define SG_INTOTO_BUILD_TYPE "https://specgate.dev/run/v1"

/* A file and its SHA-256 (64 lower-case hex digits). */
struct sg_intoto_artifact {
	const char *path;
	const char *sha256;
};

/* The in-toto 1.x key id of key (see the top): 65 bytes in out (OUT). */
int sg_intoto_keyid(char *out, const struct sg_key *key,
    struct sg_error *err);

/*
 * The key as a layout lists it: {"keyid", "keyid_hash_algorithms",
 * "keytype", "keyval": {"public"}, "scheme"} in *out (OUT: json_decref()).
 */
int sg_intoto_key_json(json_t **out, const struct sg_key *key,
    struct sg_error *err);

/* A link being built.  Opaque. */
struct sg_intoto_link;

/* A new link for step `name` (OUT: sg_intoto_link_free()). */
void sg_intoto_link_new(struct sg_intoto_link **out, const char *name);

void sg_intoto_link_free(struct sg_intoto_link *l);

/* The step name (borrowed). */
const char *sg_intoto_link_name(const struct sg_intoto_link *l);

/*
 * Record a file the step read (material) or wrote (product).  A path
 * given twice keeps the last digest.  SG_EINVAL for a digest that is not
 * 64 lower-case hex digits or an empty path.
 */
int sg_intoto_link_material(struct sg_intoto_link *l, const char *path,
    const char *sha256, struct sg_error *err);
int sg_intoto_link_product(struct sg_intoto_link *l, const char *path,
    const char *sha256, struct sg_error *err);

/* The materials recorded so far (borrowed, until the next change). */
const struct sg_intoto_artifact *sg_intoto_link_materials(
    const struct sg_intoto_link *l, size_t *n);

/* Append argv[0..n) to the command (one call per command run). */
void sg_intoto_link_command(struct sg_intoto_link *l,
    const char *const *argv, size_t n);

/*
 * The byproducts: the return value and the first SG_INTOTO_STREAM_MAX
 * bytes of stdout and stderr (NULL: none), as text (invalid UTF-8 bytes
 * become U+FFFD).
 */
void sg_intoto_link_byproducts(struct sg_intoto_link *l, int retval,
    const char *out, size_t outlen, const char *errs, size_t errlen);

/* environment[key] = value (a string).  specgate sets mode, feature_id,
 * run_id and, for a stage that did not run, status and reason. */
void sg_intoto_link_env(struct sg_intoto_link *l, const char *key,
    const char *value);

/*
 * Sign l with signer: the link file's text (pretty JSON, keys sorted,
 * final newline) in *out (OUT: free()), its length in *len, and its file
 * name "<name>.<keyid8>.link" in *name (OUT: free(); may be NULL).
 */
int sg_intoto_link_sign(char **out, size_t *len, char **name,
    const struct sg_intoto_link *l, struct sg_signer *signer,
    struct sg_error *err);

/*
 * Check the signed metadata (a link or a layout) in `len` bytes at text:
 * JSON, {"signatures", "signed"}, a signature whose keyid is key's in-toto
 * key id and that verifies over the canonical JSON of "signed".  *signed_out
 * (OUT: json_decref(); may be NULL) gets "signed".  SG_EVERIFY, naming
 * `name` and saying what is wrong, for anything else.
 */
int sg_intoto_verify_metadata(json_t **signed_out, const char *text,
    size_t len, const struct sg_key *key, const char *name,
    struct sg_error *err);

#define SG_INTOTO_LAYOUT_VERSION 1

/* What `specgate layout` needs to know of the project. */
struct sg_intoto_layout_options {
	unsigned version;		/* SG_INTOTO_LAYOUT_VERSION */
	time_t expires;			/* when the layout stops being valid */
	const char *const *features;	/* spec directories, from the root */
	size_t nfeatures;
	const char *const *artifacts;	/* build artifacts declared */
	size_t nartifacts;
	/*
	 * Each stage's commands (stages.<s>.run), indexed by enum
	 * sg_stage_id (6 stages): a step's expected_command is
	 * ["/bin/sh", "-c", CMD] for each, URLs masked as the run's links
	 * record them.
	 */
	const char *const *commands[6];
	size_t ncommands[6];
};

#define SG_INTOTO_LAYOUT_INIT                                                  \
	{SG_INTOTO_LAYOUT_VERSION, 0, NULL, 0, NULL, 0, {NULL}, {0}}

/*
 * The layout of specgate's pipeline, signed by signer, whose key is also
 * every step's functionary: one step per stage, the products of each
 * stage matched as the materials of the later ones, DISALLOW * after the
 * rules of each list, and an inspection "bundle" that records the bundle
 * directory it runs in and matches every file against the step that made
 * it.  Text in *out (OUT: free()).
 */
int sg_intoto_layout(char **out, const struct sg_intoto_layout_options *o,
    struct sg_signer *signer, struct sg_error *err);

#define SG_INTOTO_PROVENANCE_VERSION 1

/* The facts of a run that its provenance states. */
struct sg_intoto_provenance {
	unsigned version;	/* SG_INTOTO_PROVENANCE_VERSION */
	const struct sg_intoto_artifact *subjects; /* what the run made */
	size_t nsubjects;
	const struct sg_intoto_artifact *deps; /* what it read (the spec) */
	size_t ndeps;
	const char *project;
	const char *project_version;
	const char *feature_id;
	const char *run_id;
	const char *mode;
	time_t started;
	time_t finished;
	/*
	 * The git source (commit NULL: none): a resolvedDependency
	 * {"uri": "git+URL@REF", "digest": {"gitCommit": COMMIT},
	 * "annotations": {"dirty": DIRTY}}; without a URL, "name": "source".
	 */
	const char *source_url;
	const char *source_ref;
	const char *source_commit;
	bool source_dirty;
};

/*
 * A DSSE envelope (pretty JSON, final newline) around an in-toto
 * Statement v1 whose predicate is SLSA provenance v1, signed by signer,
 * in *out (OUT: free()).
 */
int sg_intoto_provenance(char **out, const struct sg_intoto_provenance *p,
    struct sg_signer *signer, struct sg_error *err);

/*
 * Check a DSSE envelope: its payload type, a signature by key over the
 * pre-authentication encoding, a payload that is an in-toto Statement.
 * *statement (OUT: json_decref(); may be NULL) gets the statement.
 * SG_EVERIFY naming `name` otherwise.
 */
int sg_intoto_verify_dsse(json_t **statement, const char *text, size_t len,
    const struct sg_key *key, const char *name, struct sg_error *err);

/* The DSSE pre-authentication encoding of (type, body) in *out (OUT). */
void sg_intoto_pae(char **out, size_t *outlen, const char *type,
    const void *body, size_t bodylen);

#endif /* SPECGATE_INTOTO_H */
