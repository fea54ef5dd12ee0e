/* SPDX-License-Identifier: MIT */
/*
 * sign_int.h - what the files of src/lib/sign/ share and nobody else sees:
 * the layout of struct sg_key (an EVP_PKEY, kept as void * so that this
 * header, like the public one, stays free of OpenSSL), the drain of
 * OpenSSL's error queue into struct sg_error (HACKING.md, System
 * interfaces), and the
 * canonical JSON writer into a struct sg_buf.
 */
#ifndef SG_SIGN_SIGN_INT_H
#define SG_SIGN_SIGN_INT_H

#include <stdbool.h>

#include "specgate/sign.h"
#include "util/util.h"

struct sg_key {
	void *pkey;		/* EVP_PKEY *, owned */
	enum sg_key_type type;
	bool private;		/* pkey holds the private key */
};

/*
 * Drain OpenSSL's error queue into err as `code`: "<message>: <first
 * reason>" (the reason string alone, without OpenSSL's numeric prefix).
 * Returns code.  The queue is empty afterwards.
 */
int sg_sign__ossl_fail(struct sg_error *err, int code, const char *fmt, ...)
    SG_PRINTF(3, 4);

/*
 * Wrap an EVP_PKEY (void * here) into a new struct sg_key after checking
 * it is P-256 or Ed25519: SG_EINVAL naming `name` otherwise.  Takes
 * ownership of pkey, also on failure.
 */
int sg_sign__key_wrap(struct sg_key **out, void *pkey, bool private,
    const char *name, struct sg_error *err);

/* Append the canonical JSON of json to out (see sg_canon_json_str()). */
int sg_canon__json(struct sg_buf *out, const json_t *json,
    struct sg_error *err);

#endif /* SG_SIGN_SIGN_INT_H */
