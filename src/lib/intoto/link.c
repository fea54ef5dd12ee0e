/* SPDX-License-Identifier: MIT */
/*
 * link.c - in-toto link metadata: building, signing, checking signed
 * metadata, and the in-toto 1.x key id (specgate/intoto.h).
 *
 * A link is kept as plain C data while it is built (the runner adds files
 * and commands as a stage runs) and turned into JSON once, when it is
 * signed: the signature is over the canonical JSON of "signed" (the same
 * bytes securesystemslib makes), and the file is that object pretty
 * printed with sorted keys, which any JSON reader, in-toto's included,
 * reads back to the same object.
 *
 * Signatures in in-toto metadata are hex; the bytes are those of a .sig
 * file (DER ECDSA-SHA256 or raw Ed25519), so checking goes through
 * sg_verify_blob() after re-encoding, and the sign module stays the only
 * one that knows OpenSSL.
 */
#include "intoto/intoto_int.h"

#include <string.h>

#include "hash/digest.h"

struct sg_intoto_link {
	char *name;
	struct sg_intoto_artifact *materials;
	size_t nmaterials;
	struct sg_intoto_artifact *products;
	size_t nproducts;
	json_t *command;     /* array of strings */
	json_t *byproducts;  /* object */
	json_t *environment; /* object */
};

static const char *const hash_algorithms[] = {"sha256", "sha512"};

int
sg_intoto_key_json(json_t **out, const struct sg_key *key,
    struct sg_error *err)
{
	json_t *k = NULL;
	json_t *algs = json_array();
	char id[SG_KEYID_HEX_LEN + 1];
	char *canon = NULL;
	size_t len;
	int error;

	*out = NULL;
	for (size_t i = 0; i < 2; i++)
		json_array_append_new(algs, json_string(hash_algorithms[i]));
	if ((error = sg_key_public_json(&k, key, err)) < 0)
		goto out;
	json_object_set(k, "keyid_hash_algorithms", algs);
	if ((error = sg_canon_json_str(&canon, &len, k, 0, err)) < 0 ||
	    (error = sg_sha256_hex(id, canon, len, err)) < 0)
		goto out;
	json_object_set_new(k, "keyid", json_string(id));
	*out = k;
	k = NULL;
out:
	free(canon);
	json_decref(k);
	json_decref(algs);
	return error;
}

int
sg_intoto_keyid(char *out, const struct sg_key *key, struct sg_error *err)
{
	json_t *k;
	int error;

	if ((error = sg_intoto_key_json(&k, key, err)) < 0)
		return error;
	memcpy(out, json_string_value(json_object_get(k, "keyid")),
	    SG_KEYID_HEX_LEN + 1);
	json_decref(k);
	return 0;
}

bool
sg_intoto__is_sha256(const char *s)
{
	size_t i;

	for (i = 0; s && s[i]; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s && i == SG_SHA256_HEX_LEN;
}

void
sg_intoto_link_new(struct sg_intoto_link **out, const char *name)
{
	struct sg_intoto_link *l = sg_xcalloc(1, sizeof(*l));

	l->name = sg_xstrdup(name);
	l->command = json_array();
	l->byproducts = json_object();
	l->environment = json_object();
	*out = l;
}

static void
artifacts_free(struct sg_intoto_artifact *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)v[i].path);
		free((char *)v[i].sha256);
	}
	free(v);
}

void
sg_intoto_link_free(struct sg_intoto_link *l)
{
	if (!l)
		return;
	free(l->name);
	artifacts_free(l->materials, l->nmaterials);
	artifacts_free(l->products, l->nproducts);
	json_decref(l->command);
	json_decref(l->byproducts);
	json_decref(l->environment);
	free(l);
}

const char *
sg_intoto_link_name(const struct sg_intoto_link *l)
{
	return l->name;
}

static int
add_artifact(struct sg_intoto_artifact **v, size_t *n, const char *path,
    const char *sha256, struct sg_error *err)
{
	if (!path || !*path)
		return sg_error_set(err, SG_EINVAL, "an artifact has no path");
	if (!sg_intoto__is_sha256(sha256))
		return sg_error_set(err, SG_EINVAL,
		    "'%s': not a SHA-256 in hex", path);
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*v)[i].path, path)) {
			free((char *)(*v)[i].sha256);
			(*v)[i].sha256 = sg_xstrdup(sha256);
			return 0;
		}
	}
	*v = sg_xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].path = sg_xstrdup(path);
	(*v)[*n].sha256 = sg_xstrdup(sha256);
	(*n)++;
	return 0;
}

int
sg_intoto_link_material(struct sg_intoto_link *l, const char *path,
    const char *sha256, struct sg_error *err)
{
	return add_artifact(&l->materials, &l->nmaterials, path, sha256, err);
}

int
sg_intoto_link_product(struct sg_intoto_link *l, const char *path,
    const char *sha256, struct sg_error *err)
{
	return add_artifact(&l->products, &l->nproducts, path, sha256, err);
}

const struct sg_intoto_artifact *
sg_intoto_link_materials(const struct sg_intoto_link *l, size_t *n)
{
	*n = l->nmaterials;
	return l->materials;
}

void
sg_intoto_link_command(struct sg_intoto_link *l, const char *const *argv,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_array_append_new(l->command, json_string(argv[i]));
}

/* The first SG_INTOTO_STREAM_MAX bytes of a stream, as valid UTF-8. */
static json_t *
stream_json(const char *s, size_t n)
{
	struct sg_buf b;
	json_t *j;

	if (!s)
		return json_string("");
	if (n > SG_INTOTO_STREAM_MAX)
		n = SG_INTOTO_STREAM_MAX;
	sg_buf_init(&b, 0);
	sg_buf_put_utf8(&b, s, n);
	j = json_stringn(b.ptr, b.len);
	sg_buf_release(&b);
	return j;
}

void
sg_intoto_link_byproducts(struct sg_intoto_link *l, int retval,
    const char *out, size_t outlen, const char *errs, size_t errlen)
{
	json_object_set_new(l->byproducts, "return-value",
	    json_integer(retval));
	json_object_set_new(l->byproducts, "stdout", stream_json(out, outlen));
	json_object_set_new(l->byproducts, "stderr", stream_json(errs,
	    errlen));
}

void
sg_intoto_link_env(struct sg_intoto_link *l, const char *key,
    const char *value)
{
	json_object_set_new(l->environment, key, json_string(value));
}

json_t *
sg_intoto__artifacts_json(const struct sg_intoto_artifact *v, size_t n)
{
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, v[i].path,
		    json_pack("{s:s}", "sha256", v[i].sha256));
	return o;
}

int
sg_intoto__sign_metadata(char **out, size_t *len, json_t *signed_obj,
    struct sg_signer *signer, struct sg_error *err)
{
	const struct sg_key *key = sg_signer_public_key(signer);
	char id[SG_KEYID_HEX_LEN + 1];
	unsigned char *sig = NULL;
	char *canon = NULL;
	char *hex = NULL;
	size_t clen;
	size_t siglen;
	json_t *doc = NULL;
	int error;

	*out = NULL;
	if ((error = sg_intoto_keyid(id, key, err)) < 0 ||
	    (error = sg_canon_json_str(&canon, &clen, signed_obj, 0, err)) <
		0 ||
	    (error = sg_signer_sign(&sig, &siglen, signer, canon, clen,
		 err)) < 0)
		goto out;
	hex = sg_xmalloc(2 * siglen + 1);
	sg_hex_lower(hex, sig, siglen);
	doc = json_pack("{s:[{s:s, s:s}], s:O}", "signatures", "keyid", id,
	    "sig", hex, "signed", signed_obj);
	*out = sg_intoto__dump(doc, len);
out:
	json_decref(doc);
	free(hex);
	free(sig);
	free(canon);
	return error;
}

char *
sg_intoto__dump(const json_t *doc, size_t *len)
{
	char *s = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2));
	char *t;

	if (!s)
		SG_BUG("json_dumps() of a document we built failed");
	t = sg_xasprintf("%s\n", s);
	free(s);
	if (len)
		*len = strlen(t);
	return t;
}

int
sg_intoto_link_sign(char **out, size_t *len, char **name,
    const struct sg_intoto_link *l, struct sg_signer *signer,
    struct sg_error *err)
{
	char id[SG_KEYID_HEX_LEN + 1];
	json_t *s;
	int error;

	*out = NULL;
	if (name)
		*name = NULL;
	s = json_pack("{s:s, s:s, s:O, s:o, s:o, s:O, s:O}", "_type", "link",
	    "name", l->name, "command", l->command, "materials",
	    sg_intoto__artifacts_json(l->materials, l->nmaterials),
	    "products", sg_intoto__artifacts_json(l->products, l->nproducts),
	    "byproducts", l->byproducts, "environment", l->environment);
	if ((error = sg_intoto__sign_metadata(out, len, s, signer, err)) < 0)
		goto out;
	if (name) {
		if ((error = sg_intoto_keyid(id,
			 sg_signer_public_key(signer), err)) < 0)
			goto out;
		*name = sg_xasprintf("%s.%.8s.link", l->name, id);
	}
out:
	if (error) {
		free(*out);
		*out = NULL;
	}
	json_decref(s);
	return error;
}

/* Hex to bytes; false for odd lengths or other characters. */
static bool
unhex(unsigned char **out, size_t *outlen, const char *s)
{
	size_t n = strlen(s);
	unsigned char *p;

	if (n % 2)
		return false;
	p = sg_xmalloc(n / 2 + 1);
	for (size_t i = 0; i < n; i += 2) {
		int hi = sg_hexval(s[i]);
		int lo = sg_hexval(s[i + 1]);

		if (hi < 0 || lo < 0) {
			free(p);
			return false;
		}
		p[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	*out = p;
	*outlen = n / 2;
	return true;
}

int
sg_intoto_verify_metadata(json_t **signed_out, const char *text, size_t len,
    const struct sg_key *key, const char *name, struct sg_error *err)
{
	char id[SG_KEYID_HEX_LEN + 1];
	json_error_t jerr;
	json_t *doc;
	json_t *sigs;
	json_t *sobj;
	json_t *sg;
	const char *hex = NULL;
	unsigned char *raw = NULL;
	char *b64 = NULL;
	char *canon = NULL;
	size_t rawlen;
	size_t clen;
	size_t i;
	int error = 0;

	if (signed_out)
		*signed_out = NULL;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return sg_error_set(err, SG_EVERIFY,
		    "'%s' is not JSON (line %d: %s)", name, jerr.line,
		    jerr.text);
	sigs = json_object_get(doc, "signatures");
	sobj = json_object_get(doc, "signed");
	if (!json_is_array(sigs) || !json_is_object(sobj)) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s' is not in-toto metadata (no \"signatures\" and "
		    "\"signed\")", name);
		goto out;
	}
	if ((error = sg_intoto_keyid(id, key, err)) < 0)
		goto out;
	json_array_foreach(sigs, i, sg) {
		const char *k = json_string_value(json_object_get(sg,
		    "keyid"));

		if (k && !strcmp(k, id)) {
			hex = json_string_value(json_object_get(sg, "sig"));
			break;
		}
	}
	if (!hex) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s' has no signature by key %.8s (signed by another "
		    "key?)", name, id);
		goto out;
	}
	if (!unhex(&raw, &rawlen, hex)) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s': the signature is not hex (garbled)", name);
		goto out;
	}
	if (sg_canon_json_str(&canon, &clen, sobj, 0, err) < 0) {
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s': \"signed\" has no canonical form (%s)", name,
		    err ? err->message : "");
		goto out;
	}
	sg_base64_encode(&b64, raw, rawlen);
	if ((error = sg_verify_blob(key, canon, clen, b64, strlen(b64), name,
		 name, err)) < 0)
		goto out;
	if (signed_out)
		*signed_out = json_incref(sobj);
out:
	free(canon);
	free(b64);
	free(raw);
	json_decref(doc);
	return error;
}
