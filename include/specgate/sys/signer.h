/* SPDX-License-Identifier: MIT */
/*
 * signer.h - the function table a signer implements (HACKING.md, Modules
 * and headers), for implementers only: users make signers with
 * sg_signer_from_key() in specgate/sign.h and sign through
 * sg_signer_sign().
 *
 * A signer holds one key somewhere (a file loaded into memory today; a KMS
 * or an HSM later) and knows only how to sign bytes and describe its public
 * key.  Everything above it (base64, .sig files, canonical JSON, in-toto
 * envelopes) is the library's, so a new backend is a sign() and a
 * public_key() that meet the guarantees below.
 *
 * Conventions: return 0 or a negative SG_E* code with the details in err;
 * `ctx` is what the caller gave sg_signer_new(), owned by the signer from
 * then on and passed to free() exactly once.
 *
 * Versioning: sg_signer_new() refuses a table whose version is not
 * SG_SIGNER_OPS_VERSION.  Adding an operation bumps it.
 */
#ifndef SPECGATE_SYS_SIGNER_H
#define SPECGATE_SYS_SIGNER_H

#include <stddef.h>

#include "specgate/error.h"
#include "specgate/sign.h"

#define SG_SIGNER_OPS_VERSION 1

struct sg_signer_ops {
	unsigned version; /* SG_SIGNER_OPS_VERSION */
	const char *name; /* "file", "pkcs11"...: for messages */
	/*
	 * Sign n bytes at p with the scheme of the key: DER ECDSA over
	 * SHA-256 of the bytes for P-256, PureEdDSA for Ed25519.  *sig
	 * (OUT: malloc'ed, the caller frees it) and *siglen get the result.
	 */
	int (*sign)(void *ctx, unsigned char **sig, size_t *siglen,
	    const void *p, size_t n, struct sg_error *err);
	/*
	 * A new struct sg_key holding only the public key, in *out (OUT:
	 * sg_key_free()).  Called once, by sg_signer_new().
	 */
	int (*public_key)(void *ctx, struct sg_key **out, struct sg_error *err);
	/* Release ctx (wiping key material).  ctx may be NULL. */
	void (*free)(void *ctx);
};

/*
 * A signer over `ops` and `ctx` in *out (OUT: sg_signer_free()).  The
 * signer owns ctx from now on, also when this fails (ops->free(ctx) is
 * called then).  SG_EINVAL for an ops table of another version.
 */
int sg_signer_new(struct sg_signer **out, const struct sg_signer_ops *ops,
    void *ctx, struct sg_error *err);

/* The public key of signer (borrowed: lives as long as the signer). */
const struct sg_key *sg_signer_public_key(const struct sg_signer *signer);

#endif /* SPECGATE_SYS_SIGNER_H */
