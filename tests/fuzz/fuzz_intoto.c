/* SPDX-License-Identifier: MIT */
/*
 * fuzz_intoto.c - libFuzzer entry point for what `specgate verify` parses
 * from a bundle it does not trust: in-toto metadata (links, layouts;
 * sg_intoto_verify_metadata()) and DSSE envelopes (sg_intoto_verify_dsse()),
 * checked against a fixed Ed25519 public key whose in-toto key id the
 * corpus uses, so that inputs get past the key lookup into hex, base64,
 * canonical JSON and the signature check.  Any input must give 0 or
 * SG_EVERIFY, never a crash or another code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/intoto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEACINQSu8HCcacCc9NXov8bLNCZ8cUzj/ZGzy/GDdjdlM=\n"
    "-----END PUBLIC KEY-----\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sg_key *key;
	struct sg_error err = SG_ERROR_INIT;
	json_t *out = NULL;
	int e1;
	int e2;

	if (size > 65536)
		return 0;
	if (!key && sg_key_parse_public(&key, pem, strlen(pem), "fuzz",
			&err) < 0)
		abort();
	e1 = sg_intoto_verify_metadata(&out, (const char *)data, size, key,
	    "fuzz", &err);
	json_decref(out);
	out = NULL;
	sg_error_release(&err);
	e2 = sg_intoto_verify_dsse(&out, (const char *)data, size, key,
	    "fuzz", &err);
	json_decref(out);
	sg_error_release(&err);
	if ((e1 && e1 != SG_EVERIFY) || (e2 && e2 != SG_EVERIFY))
		abort();
	return 0;
}
