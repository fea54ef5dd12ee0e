/* SPDX-License-Identifier: MIT */
/*
 * digest.h - SHA-256 for the rest of the library: streaming, one-shot over
 * a buffer, and over a file read in 1 MiB chunks.
 *
 * The implementation is OpenSSL 3's EVP API (digest.c), which uses the
 * SHA-NI or AVX2 code paths of the CPU.  Only src/lib/hash/ (digests, the
 * EVP digest API alone) and src/lib/sign/ (keys and signatures) include
 * OpenSSL, so this header deals in plain bytes and an opaque context.  OpenSSL's error queue is drained into struct sg_error here, at
 * the boundary, as SG_EIO (a digest failing is the library failing, never
 * bad input).
 *
 * Lifecycle of struct sg_sha256 (one message at a time, reusable):
 *
 *	sg_sha256_init(&h, err)		fetch SHA-256, start a message
 *	sg_sha256_update(&h, p, n, err)	any number of times
 *	sg_sha256_final(&h, md, err)	md = digest; h starts a new one
 *	sg_sha256_release(&h)		always, even after a failed init
 *
 * Reusing one context for many messages (final restarts it) is what keeps
 * hashing 10,000 small files cheap: the digest is fetched from the provider
 * once, and the 1 MiB read buffer of sg_sha256_fd() is allocated once.
 * A context is not thread-safe; use one per thread.
 */
#ifndef SG_HASH_DIGEST_H
#define SG_HASH_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define SG_SHA256_LEN 32	     /* bytes of a digest */
#define SG_SHA256_HEX_LEN 64	     /* hex digits of a digest, no NUL */
#define SG_SHA256_CHUNK (1u << 20) /* read size of the file hashers */

struct sg_sha256 {
	void *md;	    /* EVP_MD *, fetched once by init */
	void *ctx;	    /* EVP_MD_CTX * */
	unsigned char *buf; /* SG_SHA256_CHUNK bytes, allocated on first use */
};

/*
 * Set up h and start a message.  On failure (SG_EIO, with OpenSSL's reason
 * in err) h is still safe to pass to sg_sha256_release().
 */
int sg_sha256_init(struct sg_sha256 *h, struct sg_error *err);

/* Add n bytes at p (p may be NULL when n is 0).  SG_EIO on failure. */
int sg_sha256_update(struct sg_sha256 *h, const void *p, size_t n,
    struct sg_error *err);

/*
 * Finish the message, writing its digest to out (OUT: SG_SHA256_LEN bytes),
 * and start a new one in h.  SG_EIO on failure.
 */
int sg_sha256_final(struct sg_sha256 *h, unsigned char *out,
    struct sg_error *err);

/* Free what h holds.  h may be NULL or already released. */
void sg_sha256_release(struct sg_sha256 *h);

/* One shot: the digest of n bytes at p into out (SG_SHA256_LEN bytes). */
int sg_sha256_buf(unsigned char *out, const void *p, size_t n,
    struct sg_error *err);

/* One shot, as lower-case hex: out gets 64 digits and a NUL (65 bytes). */
int sg_sha256_hex(char *out, const void *p, size_t n, struct sg_error *err);

/*
 * Hash everything read from fd until end of file into out (SG_SHA256_LEN
 * bytes), in chunks of SG_SHA256_CHUNK, with h as the context (h must be
 * initialised; it is ready for a new message afterwards, even on failure).
 * `path` only names the file in messages.  More than `max` bytes is
 * SG_ETOOBIG: the check is made while reading, so a file that grew since it
 * was measured is still refused.  A read error is SG_EIO naming the path.
 * fd is left open.
 */
int sg_sha256_fd(unsigned char *out, struct sg_sha256 *h, int fd,
    const char *path, uint64_t max, struct sg_error *err);

/*
 * Open the regular file `path` (following symlinks) and hash it as
 * sg_sha256_fd() does, with a context of its own.  Errors are those of
 * sg_fs_open_read() and sg_sha256_fd().
 */
int sg_sha256_path(unsigned char *out, const char *path, uint64_t max,
    struct sg_error *err);

/*
 * Write n bytes at p as 2n lower-case hex digits and a NUL to out (OUT:
 * 2n + 1 bytes).
 */
void sg_hex_lower(char *out, const unsigned char *p, size_t n);

#endif /* SG_HASH_DIGEST_H */
