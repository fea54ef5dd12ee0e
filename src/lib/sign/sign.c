/* SPDX-License-Identifier: MIT */
/*
 * sign.c - signers and detached signatures.
 *
 * A struct sg_signer is a function table (specgate/sys/signer.h) and its
 * context, plus the public key and key id computed once when it is made.
 * The one table here, the file signer, wraps a private struct sg_key and
 * signs with EVP_DigestSign: SHA-256 and DER-encoded (r, s) for P-256,
 * PureEdDSA for Ed25519 (no pre-hash: the message goes in whole).
 *
 * A .sig file is the base64 of those signature bytes, the format of
 * `cosign sign-blob`, so that `base64 -d` and `openssl dgst -verify` (or
 * `openssl pkeyutl -verify -rawin` for Ed25519) check it without us.
 * Verification decodes strictly and names what is wrong: bad base64, a
 * signature that is not DER (or not 64 bytes for Ed25519), or a signature
 * that does not match.  The last cannot tell "another key" from "changed
 * data": both are one failed equation, and the message says so.
 *
 * Base64 is ours rather than EVP_EncodeBlock/EVP_DecodeBlock: those skip
 * leading whitespace, do not report where the input is bad and return
 * lengths that include the padding, and both directions are twenty lines.
 */
#include "specgate/sign.h"

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "sign/sign_int.h"
#include "specgate/sys/signer.h"
#include "sys/fs.h"

#define ED25519_SIG_LEN 64

struct sg_signer {
	const struct sg_signer_ops *ops;
	void *ctx;
	struct sg_key *pub;		 /* the public key, owned */
	char keyid[SG_KEYID_HEX_LEN + 1];
};

int
sg_signer_new(struct sg_signer **out, const struct sg_signer_ops *ops,
    void *ctx, struct sg_error *err)
{
	struct sg_signer *s;
	int error;

	*out = NULL;
	if (ops->version != SG_SIGNER_OPS_VERSION) {
		ops->free(ctx);
		return sg_error_set(err, SG_EINVAL,
		    "signer '%s' has interface version %u, not %u", ops->name,
		    ops->version, SG_SIGNER_OPS_VERSION);
	}
	s = sg_xcalloc(1, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	if ((error = ops->public_key(ctx, &s->pub, err)) < 0 ||
	    (error = sg_key_id(s->keyid, s->pub, err)) < 0) {
		sg_signer_free(s);
		return error;
	}
	*out = s;
	return 0;
}

void
sg_signer_free(struct sg_signer *signer)
{
	if (!signer)
		return;
	signer->ops->free(signer->ctx);
	sg_key_free(signer->pub);
	free(signer);
}

const char *
sg_signer_keyid(const struct sg_signer *signer)
{
	return signer->keyid;
}

const struct sg_key *
sg_signer_public_key(const struct sg_signer *signer)
{
	return signer->pub;
}

int
sg_signer_sign(unsigned char **sig, size_t *siglen, struct sg_signer *signer,
    const void *p, size_t n, struct sg_error *err)
{
	*sig = NULL;
	*siglen = 0;
	return signer->ops->sign(signer->ctx, sig, siglen, p, n, err);
}

/* The file signer: ctx is the private struct sg_key. */
static int
file_sign(void *ctx, unsigned char **sig, size_t *siglen, const void *p,
    size_t n, struct sg_error *err)
{
	struct sg_key *key = ctx;
	EVP_MD_CTX *md;
	const char *mdname = key->type == SG_KEY_ED25519 ? NULL : "SHA256";
	size_t len = 0;
	int error = 0;

	if (!(md = EVP_MD_CTX_new()))
		return sg_sign__ossl_fail(err, SG_EIO, "cannot sign");
	if (EVP_DigestSignInit_ex(md, NULL, mdname, NULL, NULL, key->pkey,
		NULL) != 1 ||
	    EVP_DigestSign(md, NULL, &len, p, n) != 1) {
		error = sg_sign__ossl_fail(err, SG_EIO, "cannot sign");
		goto out;
	}
	*sig = sg_xmalloc(len);
	if (EVP_DigestSign(md, *sig, &len, p, n) != 1) {
		error = sg_sign__ossl_fail(err, SG_EIO, "cannot sign");
		free(*sig);
		*sig = NULL;
		goto out;
	}
	*siglen = len;
out:
	EVP_MD_CTX_free(md);
	return error;
}

static int
file_public_key(void *ctx, struct sg_key **out, struct sg_error *err)
{
	struct sg_key *key = ctx;
	char *pem;
	int error;

	if ((error = sg_key_public_pem(&pem, key, err)) < 0)
		return error;
	error = sg_key_parse_public(out, pem, strlen(pem), "public key", err);
	free(pem);
	return error;
}

static void
file_free(void *ctx)
{
	sg_key_free(ctx);
}

static const struct sg_signer_ops file_signer_ops = {
	.version = SG_SIGNER_OPS_VERSION,
	.name = "file",
	.sign = file_sign,
	.public_key = file_public_key,
	.free = file_free,
};

int
sg_signer_from_key(struct sg_signer **out, struct sg_key *key,
    struct sg_error *err)
{
	*out = NULL;
	if (!key->private) {
		sg_key_free(key);
		return sg_error_set(err, SG_EINVAL,
		    "cannot sign with a public key");
	}
	return sg_signer_new(out, &file_signer_ops, key, err);
}

int
sg_sign_blob(char **out, struct sg_signer *signer, const void *p, size_t n,
    struct sg_error *err)
{
	unsigned char *sig;
	size_t siglen;
	int error;

	*out = NULL;
	if ((error = sg_signer_sign(&sig, &siglen, signer, p, n, err)) < 0)
		return error;
	sg_base64_encode(out, sig, siglen);
	free(sig);
	return 0;
}

/* The signature's shape, before any arithmetic: DER (r, s), or 64 bytes. */
static int
check_shape(const struct sg_key *key, const unsigned char *sig,
    size_t siglen, const char *signame, struct sg_error *err)
{
	const unsigned char *q = sig;
	ECDSA_SIG *es;

	if (key->type == SG_KEY_ED25519) {
		if (siglen != ED25519_SIG_LEN)
			return sg_error_set(err, SG_EVERIFY,
			    "'%s' is not an Ed25519 signature: %zu bytes, "
			    "not %d (truncated?)", signame, siglen,
			    ED25519_SIG_LEN);
		return 0;
	}
	es = d2i_ECDSA_SIG(NULL, &q, (long)siglen);
	if (!es || q != sig + siglen) {
		ECDSA_SIG_free(es);
		ERR_clear_error();
		return sg_error_set(err, SG_EVERIFY,
		    "'%s' is not a DER ECDSA signature (truncated or "
		    "garbled)", signame);
	}
	ECDSA_SIG_free(es);
	return 0;
}

int
sg_verify_blob(const struct sg_key *key, const void *p, size_t n,
    const char *sig, size_t siglen, const char *name, const char *signame,
    struct sg_error *err)
{
	unsigned char *raw = NULL;
	size_t rawlen;
	EVP_MD_CTX *md = NULL;
	const char *mdname = key->type == SG_KEY_ED25519 ? NULL : "SHA256";
	struct sg_error derr = SG_ERROR_INIT;
	char keyid[SG_KEYID_HEX_LEN + 1];
	char *compact;
	size_t clen = 0;
	int rc;
	int error;

	/* line breaks anywhere: base64(1) wraps at 76 columns */
	compact = sg_xmalloc(siglen + 1);
	for (size_t i = 0; i < siglen; i++)
		if (!strchr(" \t\r\n", sig[i]) || !sig[i])
			compact[clen++] = sig[i];
	if (sg_base64_decode(&raw, &rawlen, compact, clen, &derr) < 0) {
		error = sg_error_set(err, SG_EVERIFY, "'%s' is not base64: %s",
		    signame, derr.message);
		goto out;
	}
	if ((error = check_shape(key, raw, rawlen, signame, err)) < 0)
		goto out;
	if (!(md = EVP_MD_CTX_new()) ||
	    EVP_DigestVerifyInit_ex(md, NULL, mdname, NULL, NULL, key->pkey,
		NULL) != 1) {
		error = sg_sign__ossl_fail(err, SG_EIO, "cannot verify");
		goto out;
	}
	rc = EVP_DigestVerify(md, raw, rawlen, p, n);
	ERR_clear_error();
	if (rc != 1) {
		if (sg_key_id(keyid, key, err) < 0) {
			error = err ? err->code : SG_EIO;
			goto out;
		}
		error = sg_error_set(err, SG_EVERIFY,
		    "bad signature: '%s' does not match '%s' under key %.8s "
		    "(another key made it, or the file changed since)",
		    signame, name, keyid);
	}
out:
	EVP_MD_CTX_free(md);
	free(raw);
	free(compact);
	sg_error_release(&derr);
	return error;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
sg_base64_encode(char **out, const void *p, size_t n)
{
	const unsigned char *s = p;
	char *o;
	unsigned long v;
	size_t i;

	o = *out = sg_xmalloc((n + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)s[i] << 16 | s[i + 1] << 8 | s[i + 2];
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = b64[v >> 6 & 63];
		*o++ = b64[v & 63];
	}
	if (i < n) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
}

/* The 6-bit value of a base64 digit, or -1. */
static int
b64_value(unsigned char c)
{
	const char *q;

	if (!c)
		return -1;
	q = strchr(b64, c);
	return q ? (int)(q - b64) : -1;
}

int
sg_base64_decode(unsigned char **out, size_t *outlen, const char *s,
    size_t len, struct sg_error *err)
{
	unsigned char *o;
	unsigned long v = 0;
	size_t pad = 0;
	size_t n = 0;
	int d;

	*out = NULL;
	*outlen = 0;
	if (!len || len % 4)
		return sg_error_set(err, SG_EINVAL,
		    "%zu characters, not a positive multiple of 4 "
		    "(truncated?)", len);
	while (pad < 2 && s[len - 1 - pad] == '=')
		pad++;
	o = sg_xmalloc(len / 4 * 3);
	for (size_t i = 0; i < len - pad; i++) {
		if ((d = b64_value((unsigned char)s[i])) < 0) {
			free(o);
			return sg_error_set(err, SG_EINVAL,
			    "bad character at offset %zu", i);
		}
		v = v << 6 | (unsigned long)d;
		if (i % 4 == 3) {
			o[n++] = (unsigned char)(v >> 16);
			o[n++] = (unsigned char)(v >> 8);
			o[n++] = (unsigned char)v;
			v = 0;
		}
	}
	/* the last group: 2 or 3 digits; leftover bits must be zero */
	if (pad == 2) {
		if (v & 0xf)
			goto bad_tail;
		o[n++] = (unsigned char)(v >> 4);
	} else if (pad == 1) {
		if (v & 0x3)
			goto bad_tail;
		o[n++] = (unsigned char)(v >> 10);
		o[n++] = (unsigned char)(v >> 2);
	}
	*out = o;
	*outlen = n;
	return 0;
bad_tail:
	free(o);
	return sg_error_set(err, SG_EINVAL, "non-canonical padding at the end");
}

int
sg_sign_file(struct sg_signer *signer, const char *path, const char *sigpath,
    struct sg_error *err)
{
	struct sg_buf b;
	char *sig = NULL;
	int error;

	sg_buf_init(&b, SG_SIGN_BLOB_MAX);
	if ((error = sg_fs_read_file(&b, path, SG_SIGN_BLOB_MAX, err)) < 0 ||
	    (error = sg_sign_blob(&sig, signer, b.ptr, b.len, err)) < 0)
		goto out;
	error = sg_fs_write_atomic(sigpath, sig, strlen(sig), 0644, err);
out:
	free(sig);
	sg_buf_release(&b);
	return error;
}

int
sg_verify_file(const struct sg_key *key, const char *path,
    const char *sigpath, struct sg_error *err)
{
	struct sg_buf data;
	struct sg_buf sig;
	int error;

	sg_buf_init(&data, SG_SIGN_BLOB_MAX);
	sg_buf_init(&sig, SG_SIG_FILE_MAX);
	error = sg_fs_read_file(&sig, sigpath, SG_SIG_FILE_MAX, err);
	if (error == SG_ETOOBIG) {
		sg_error_release(err);
		error = sg_error_set(err, SG_EVERIFY,
		    "'%s' is not a signature: larger than %u bytes", sigpath,
		    SG_SIG_FILE_MAX);
	}
	if (error < 0 ||
	    (error = sg_fs_read_file(&data, path, SG_SIGN_BLOB_MAX, err)) < 0)
		goto out;
	error = sg_verify_blob(key, data.ptr, data.len, sig.ptr, sig.len, path,
	    sigpath, err);
out:
	sg_buf_release(&sig);
	sg_buf_release(&data);
	return error;
}

void
sg_secret_free(void *p, size_t n)
{
	if (!p)
		return;
	sg_memzero(p, n);
	free(p);
}
