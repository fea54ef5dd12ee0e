/* SPDX-License-Identifier: MIT */
/*
 * chainhash.c - SHA-256 to hex over OpenSSL 3's EVP API, for the audit
 * chain (chainhash.h).
 *
 * The algorithm is fetched once per context (EVP_MD_fetch) and the one
 * EVP_MD_CTX is restarted for each message, which is what keeps a
 * million-record verification in the hundreds of milliseconds: no fetch
 * and no allocation per message, and the compression function is
 * OpenSSL's (SHA-NI when the CPU has it).
 */
#include "hash/chainhash.h"

#include <openssl/err.h>
#include <openssl/evp.h>

struct sg_chainhash {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
};

/* Turn OpenSSL's error queue into err, and empty the queue. */
static void
ossl_fail(struct sg_error *err, const char *what)
{
	char reason[256];
	unsigned long e;

	e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	else
		snprintf(reason, sizeof(reason), "unknown OpenSSL error");
	ERR_clear_error();
	sg_error_set(err, SG_EIO, "SHA-256: %s: %s", what, reason);
}

int
sg_chainhash_new(struct sg_chainhash **out, struct sg_error *err)
{
	struct sg_chainhash *h;
	int error = 0;

	h = sg_xcalloc(1, sizeof(*h));
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!h->md) {
		ossl_fail(err, "cannot fetch the digest");
		error = SG_EIO;
		goto out;
	}
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx) {
		ossl_fail(err, "cannot allocate a context");
		error = SG_EIO;
		goto out;
	}
	if (!EVP_DigestInit_ex2(h->ctx, h->md, NULL)) {
		ossl_fail(err, "cannot start a digest");
		error = SG_EIO;
		goto out;
	}
out:
	if (error) {
		sg_chainhash_free(h);
		h = NULL;
	}
	*out = h;
	return error;
}

void
sg_chainhash_free(struct sg_chainhash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h);
}

static void
hex_lower(char *out, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
sg_chainhash_hex(char *out, struct sg_chainhash *h, const void *p, size_t n,
    struct sg_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	/*
	 * A NULL type restarts the digest the context already holds,
	 * without freeing and allocating the provider's state again (which
	 * passing h->md would do for every record).
	 */
	if (!EVP_DigestInit_ex2(h->ctx, NULL, NULL) ||
	    !EVP_DigestUpdate(h->ctx, p, n) ||
	    !EVP_DigestFinal_ex(h->ctx, md, &len) || len != 32) {
		ossl_fail(err, "cannot hash");
		return SG_EIO;
	}
	hex_lower(out, md, len);
	return 0;
}

int
sg_chainhash_hex_once(char *out, const void *p, size_t n,
    struct sg_error *err)
{
	struct sg_chainhash *h;
	int error;

	if ((error = sg_chainhash_new(&h, err)) < 0)
		return error;
	error = sg_chainhash_hex(out, h, p, n, err);
	sg_chainhash_free(h);
	return error;
}
