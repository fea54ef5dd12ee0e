/* SPDX-License-Identifier: MIT */
/*
 * chainhash.h - the SHA-256 the audit trail needs: the digest of a buffer
 * as 64 lowercase hex digits, with a context that is reused from record to
 * record.
 *
 * Private to the library.  It predates the full SHA-256 wrapper beside it
 * (hash/digest.h: sg_sha256_init/update/final, sg_sha256_hex, sg_hex_lower)
 * and could be folded into it.  Like digest.c, it includes OpenSSL's EVP digest API (only
 * src/lib/hash/ and src/lib/sign/ include OpenSSL); its error queue is
 * drained into struct sg_error here, as SG_EIO.
 *
 * Why a context at all: verifying a trail hashes one small message per
 * record, a million of them.  EVP_Digest() fetches the algorithm from the
 * provider on every call; a context that holds the fetched EVP_MD and one
 * EVP_MD_CTX costs that once (and still uses SHA-NI when the CPU has it).
 * A context is not thread-safe; use one per thread.
 */
#ifndef SG_HASH_CHAINHASH_H
#define SG_HASH_CHAINHASH_H

#include <stddef.h>

#include "util/util.h"

#define SG_CHAINHASH_HEX_SIZE 65 /* 64 hex digits and a NUL */

struct sg_chainhash;

/*
 * Allocate a context into *out (OUT: owned by the caller, freed with
 * sg_chainhash_free()).  SG_EIO, with OpenSSL's reason, when SHA-256 is not
 * available.
 */
int sg_chainhash_new(struct sg_chainhash **out, struct sg_error *err);

/* Free h.  h may be NULL. */
void sg_chainhash_free(struct sg_chainhash *h);

/*
 * SHA-256 of the n bytes at p, as 64 lowercase hex digits and a NUL in out
 * (OUT: SG_CHAINHASH_HEX_SIZE bytes).  SG_EIO on an OpenSSL failure.
 */
int sg_chainhash_hex(char *out, struct sg_chainhash *h, const void *p,
    size_t n, struct sg_error *err);

/* One shot, with a context of its own: as sg_chainhash_hex(). */
int sg_chainhash_hex_once(char *out, const void *p, size_t n,
    struct sg_error *err);

#endif /* SG_HASH_CHAINHASH_H */
