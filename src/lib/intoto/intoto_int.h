/* SPDX-License-Identifier: MIT */
/*
 * intoto_int.h - what the files of src/lib/intoto/ share: the JSON of an
 * artifact list, signing a "signed" object into in-toto metadata, and
 * printing a document the way every specgate document is printed.
 */
#ifndef SG_INTOTO_INT_H
#define SG_INTOTO_INT_H

#include <stdbool.h>

#include "specgate/intoto.h"
#include "specgate/sys/signer.h"
#include "util/util.h"

/* true when s is 64 lower-case hex digits. */
bool sg_intoto__is_sha256(const char *s);

/* {path: {"sha256": hex}} of n artifacts (a new reference). */
json_t *sg_intoto__artifacts_json(const struct sg_intoto_artifact *v,
    size_t n);

/*
 * {"signatures": [{"keyid", "sig": hex}], "signed": signed_obj} as text in
 * *out (OUT: free()), the signature over the canonical JSON of signed_obj.
 */
int sg_intoto__sign_metadata(char **out, size_t *len, json_t *signed_obj,
    struct sg_signer *signer, struct sg_error *err);

/* doc as pretty JSON, keys sorted, a final newline (OUT: free()). */
char *sg_intoto__dump(const json_t *doc, size_t *len);

#endif /* SG_INTOTO_INT_H */
