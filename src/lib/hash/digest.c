/* SPDX-License-Identifier: MIT */
/*
 * digest.c - SHA-256 over OpenSSL 3's EVP API.
 *
 * Data flow: bytes come from the caller (update) or from sys/fs.c
 * (sg_fs_read on an fd, 1 MiB at a time into a buffer owned by the
 * context) and go to EVP_DigestUpdate; the digest comes back from
 * EVP_DigestFinal_ex, after which the context is restarted with
 * EVP_DigestInit_ex2 on the digest fetched at init, so that the next
 * message pays no algorithm fetch.  Every OpenSSL failure drains the
 * thread's error queue into the struct sg_error (first reason kept), so no
 * stale entries leak into the next OpenSSL user.
 *
 * Rejected: the low-level SHA256_Init/Update/Final API (deprecated in
 * OpenSSL 3, and it bypasses providers); EVP_Digest() one-shots for files
 * (they need the whole file in memory); EVP_sha256() in every init (an
 * implicit fetch per message, which shows up when hashing 10,000 small
 * files: we fetch once per context with EVP_MD_fetch()); mmap of the files
 * (no faster than read(2) for files this size, and SIGBUS on truncation).
 */
#include "hash/digest.h"

#include <errno.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "sys/fs.h"

/* Drain OpenSSL's error queue into err: "<what>: <first reason>". */
static int
ossl_fail(struct sg_error *err, const char *what)
{
	unsigned long e;
	char reason[256];

	e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	else
		snprintf(reason, sizeof(reason), "unknown OpenSSL error");
	ERR_clear_error();
	return sg_error_set(err, SG_EIO, "sha256: %s failed: %s", what, reason);
}

int
sg_sha256_init(struct sg_sha256 *h, struct sg_error *err)
{
	int error = 0;

	memset(h, 0, sizeof(*h));
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!h->md) {
		error = ossl_fail(err, "fetching the digest");
		goto out;
	}
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx) {
		error = ossl_fail(err, "allocating a digest context");
		goto out;
	}
	if (!EVP_DigestInit_ex2(h->ctx, h->md, NULL))
		error = ossl_fail(err, "starting a digest");
out:
	return error;
}

int
sg_sha256_update(struct sg_sha256 *h, const void *p, size_t n,
    struct sg_error *err)
{
	if (!n)
		return 0;
	if (!EVP_DigestUpdate(h->ctx, p, n))
		return ossl_fail(err, "updating a digest");
	return 0;
}

/* Start a new message in h, whatever state the last one was left in. */
static int
restart(struct sg_sha256 *h, struct sg_error *err)
{
	if (!EVP_DigestInit_ex2(h->ctx, h->md, NULL))
		return ossl_fail(err, "starting a digest");
	return 0;
}

int
sg_sha256_final(struct sg_sha256 *h, unsigned char *out,
    struct sg_error *err)
{
	unsigned int len = 0;
	int error = 0;

	if (!EVP_DigestFinal_ex(h->ctx, out, &len) || len != SG_SHA256_LEN)
		error = ossl_fail(err, "finishing a digest");
	/* Restart even after a failure: h must stay usable (see the header). */
	if (restart(h, err) < 0 && !error)
		error = SG_EIO;
	return error;
}

void
sg_sha256_release(struct sg_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h->buf);
	memset(h, 0, sizeof(*h));
}

int
sg_sha256_buf(unsigned char *out, const void *p, size_t n,
    struct sg_error *err)
{
	struct sg_sha256 h;
	int error;

	if ((error = sg_sha256_init(&h, err)) < 0)
		goto out;
	if ((error = sg_sha256_update(&h, p, n, err)) < 0)
		goto out;
	error = sg_sha256_final(&h, out, err);
out:
	sg_sha256_release(&h);
	return error;
}

int
sg_sha256_hex(char *out, const void *p, size_t n, struct sg_error *err)
{
	unsigned char md[SG_SHA256_LEN];
	int error;

	out[0] = '\0';
	if ((error = sg_sha256_buf(md, p, n, err)) < 0)
		return error;
	sg_hex_lower(out, md, sizeof(md));
	return 0;
}

int
sg_sha256_fd(unsigned char *out, struct sg_sha256 *h, int fd,
    const char *path, uint64_t max, struct sg_error *err)
{
	uint64_t total = 0;
	ssize_t n;
	int error = 0;

	if (!h->buf)
		h->buf = sg_xmalloc(SG_SHA256_CHUNK);
	for (;;) {
		n = sg_fs_read(fd, h->buf, SG_SHA256_CHUNK);
		if (n < 0) {
			error = sg_error_set_errno(err,
			    errno == EISDIR ? SG_EINVAL : SG_EIO, errno,
			    "cannot read '%s'", path);
			goto out;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > max) {
			error = sg_error_set(err, SG_ETOOBIG,
			    "'%s' is too large (the limit is %llu bytes)", path,
			    (unsigned long long)max);
			goto out;
		}
		if ((error = sg_sha256_update(h, h->buf, (size_t)n, err)) < 0)
			goto out;
	}
	error = sg_sha256_final(h, out, err);
out:
	if (error)
		restart(h, NULL);
	return error;
}

int
sg_sha256_path(unsigned char *out, const char *path, uint64_t max,
    struct sg_error *err)
{
	struct sg_sha256 h;
	int fd = -1;
	int error;

	memset(&h, 0, sizeof(h));
	if ((error = sg_fs_open_read(&fd, path, 0, NULL, err)) < 0)
		goto out;
	if ((error = sg_sha256_init(&h, err)) < 0)
		goto out;
	error = sg_sha256_fd(out, &h, fd, path, max, err);
out:
	sg_sha256_release(&h);
	sg_fs_close(fd);
	return error;
}

void
sg_hex_lower(char *out, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}
