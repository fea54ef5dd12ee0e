/* SPDX-License-Identifier: MIT */
/*
 * dsse.c - provenance: an in-toto Statement v1 with a SLSA provenance v1
 * predicate, in a DSSE envelope (sg_intoto_provenance(),
 * sg_intoto_verify_dsse()).
 *
 * DSSE signs the pre-authentication encoding, not the JSON, so the
 * payload bytes are signed exactly as they travel (base64 in the
 * envelope): anyone can check the signature with base64(1), printf(1) and
 * openssl(1) (docs/signing.md shows how), with no canonical JSON.  The
 * signature is the .sig format's bytes (DER ECDSA-SHA256 or Ed25519), in
 * base64 as DSSE says; keyid is the in-toto key id.
 */
#include "intoto/intoto_int.h"

#include <string.h>

#include "util/utctime.h"

void
sg_intoto_pae(char **out, size_t *outlen, const char *type, const void *body,
    size_t bodylen)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	sg_buf_printf(&b, "DSSEv1 %zu %s %zu ", strlen(type), type, bodylen);
	sg_buf_put(&b, body, bodylen);
	*out = sg_buf_detach(&b, outlen);
}

static json_t *
descriptors(const struct sg_intoto_artifact *v, size_t n, const char *key)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:{s:s}}", key,
		    v[i].path, "digest", "sha256", v[i].sha256));
	return a;
}

/* The spec files, then the git source the run started from. */
static json_t *
dependencies(const struct sg_intoto_provenance *p)
{
	json_t *a = descriptors(p->deps, p->ndeps, "uri");
	json_t *src;
	char *uri;

	if (!p->source_commit || !*p->source_commit)
		return a;
	src = json_pack("{s:{s:s}, s:{s:b}}", "digest", "gitCommit",
	    p->source_commit, "annotations", "dirty", p->source_dirty);
	if (p->source_url) {
		uri = sg_xasprintf("git+%s@%s", p->source_url,
		    p->source_ref ? p->source_ref : p->source_commit);
		json_object_set_new(src, "uri", json_string(uri));
		free(uri);
	} else {
		json_object_set_new(src, "name", json_string("source"));
		if (p->source_ref)
			json_object_set_new(json_object_get(src,
			    "annotations"), "ref", json_string(p->source_ref));
	}
	json_array_append_new(a, src);
	return a;
}

static int
statement(json_t **out, const struct sg_intoto_provenance *p,
    struct sg_error *err)
{
	char started[SG_UTC_ISO_SIZE];
	char finished[SG_UTC_ISO_SIZE];
	json_t *pred;

	if (sg_utc_iso(started, p->started) < 0 ||
	    sg_utc_iso(finished, p->finished) < 0)
		return sg_error_set(err, SG_EINVAL,
		    "the run's times are out of range");
	pred = json_pack("{s:{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s}, "
			 "s:o}, s:{s:{s:s, s:{s:s, s:s}}, s:{s:s, s:s, "
			 "s:s}}}",
	    "buildDefinition", "buildType", SG_INTOTO_BUILD_TYPE,
	    "externalParameters", "project", p->project, "version",
	    p->project_version, "feature_id", p->feature_id, "mode", p->mode,
	    "internalParameters", "specgate", SG_VERSION, "commit", SG_COMMIT,
	    "resolvedDependencies", dependencies(p),
	    "runDetails", "builder", "id",
	    "https://specgate.dev/specgate@" SG_VERSION, "version", "specgate",
	    SG_VERSION, "commit", SG_COMMIT, "metadata", "invocationId",
	    p->run_id, "startedOn", started, "finishedOn", finished);
	*out = json_pack("{s:s, s:o, s:s, s:o}", "_type", SG_INTOTO_STATEMENT,
	    "subject", descriptors(p->subjects, p->nsubjects, "name"),
	    "predicateType", SG_INTOTO_SLSA, "predicate", pred);
	return 0;
}

int
sg_intoto_provenance(char **out, const struct sg_intoto_provenance *p,
    struct sg_signer *signer, struct sg_error *err)
{
	char id[SG_KEYID_HEX_LEN + 1];
	json_t *st = NULL;
	json_t *env = NULL;
	char *body = NULL;
	char *pae = NULL;
	char *b64body = NULL;
	char *b64sig = NULL;
	unsigned char *sig = NULL;
	size_t bodylen;
	size_t paelen;
	size_t siglen;
	int error;

	*out = NULL;
	if (p->version != SG_INTOTO_PROVENANCE_VERSION)
		SG_BUG("struct sg_intoto_provenance of an unknown version");
	if ((error = statement(&st, p, err)) < 0 ||
	    (error = sg_intoto_keyid(id, sg_signer_public_key(signer),
		 err)) < 0)
		goto out;
	body = sg_intoto__dump(st, &bodylen);
	sg_intoto_pae(&pae, &paelen, SG_INTOTO_DSSE_TYPE, body, bodylen);
	if ((error = sg_signer_sign(&sig, &siglen, signer, pae, paelen,
		 err)) < 0)
		goto out;
	sg_base64_encode(&b64body, body, bodylen);
	sg_base64_encode(&b64sig, sig, siglen);
	env = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "payloadType",
	    SG_INTOTO_DSSE_TYPE, "payload", b64body, "signatures", "keyid", id,
	    "sig", b64sig);
	*out = sg_intoto__dump(env, NULL);
out:
	json_decref(env);
	json_decref(st);
	free(body);
	free(pae);
	free(b64body);
	free(b64sig);
	free(sig);
	return error;
}

int
sg_intoto_verify_dsse(json_t **statement_out, const char *text, size_t len,
    const struct sg_key *key, const char *name, struct sg_error *err)
{
	struct sg_error derr = SG_ERROR_INIT;
	char id[SG_KEYID_HEX_LEN + 1];
	json_error_t jerr;
	json_t *doc;
	json_t *st = NULL;
	json_t *sg;
	const char *type;
	const char *payload;
	const char *sig = NULL;
	unsigned char *body = NULL;
	size_t bodylen;
	char *pae = NULL;
	size_t paelen;
	size_t i;
	int error = 0;

	if (statement_out)
		*statement_out = NULL;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return sg_error_set(err, SG_EVERIFY,
		    "'%s' is not JSON (line %d: %s)", name, jerr.line,
		    jerr.text);
	type = json_string_value(json_object_get(doc, "payloadType"));
	payload = json_string_value(json_object_get(doc, "payload"));
	if (!type || strcmp(type, SG_INTOTO_DSSE_TYPE) || !payload) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s' is not a DSSE envelope of type %s", name,
		    SG_INTOTO_DSSE_TYPE);
		goto out;
	}
	if ((error = sg_intoto_keyid(id, key, err)) < 0)
		goto out;
	json_array_foreach(json_object_get(doc, "signatures"), i, sg) {
		const char *k = json_string_value(json_object_get(sg,
		    "keyid"));

		if (k && !strcmp(k, id))
			sig = json_string_value(json_object_get(sg, "sig"));
	}
	if (!sig) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s' has no signature by key %.8s", name, id);
		goto out;
	}
	if (sg_base64_decode(&body, &bodylen, payload, strlen(payload),
		&derr) < 0) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s': the payload is not base64: %s", name,
		    derr.message);
		goto out;
	}
	sg_intoto_pae(&pae, &paelen, type, body, bodylen);
	if ((error = sg_verify_blob(key, pae, paelen, sig, strlen(sig), name,
		 name, err)) < 0)
		goto out;
	st = json_loadb((const char *)body, bodylen, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (!st || strcmp(json_string_value(json_object_get(st, "_type")) ?
			      json_string_value(json_object_get(st, "_type")) :
			      "",
		       SG_INTOTO_STATEMENT)) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s': the payload is not an in-toto Statement v1", name);
		goto out;
	}
	if (statement_out) {
		*statement_out = st;
		st = NULL;
	}
out:
	json_decref(st);
	json_decref(doc);
	free(body);
	free(pae);
	sg_error_release(&derr);
	return error;
}
