/* SPDX-License-Identifier: MIT */
/*
 * cmd_verify_blob.c - `specgate verify-blob FILE --sig SIG --key PUB`:
 * check a detached signature, offline, as openssl would.  Prints "verified
 * OK" and exits 0, or names what failed (bad base64, a malformed or
 * truncated signature, a signature that does not match) and exits 4.
 */
#include "cli.h"

#include <getopt.h>

#include "specgate/sign.h"

static int
verify_blob_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"key", required_argument, NULL, 'k'},
		{"sig", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key = NULL;
	const char *keyf = NULL;
	const char *sigf = NULL;
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'k')
			keyf = optarg;
		else if (ch == 's')
			sigf = optarg;
		else if ((rc = cli_common_opt(cli, &cli_cmd_verify_blob, ch,
			      optarg)) >= 0)
			return rc;
	}
	if (argc - optind != 1 || !keyf || !sigf)
		return cli_usage(&cli_cmd_verify_blob);
	if (sg_key_load_public(&key, keyf, &err) < 0 ||
	    sg_verify_file(key, argv[optind], sigf, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (cli->verbosity >= 0)
		printf("verified OK\n");
	rc = EXIT_OK;
out:
	sg_key_free(key);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_verify_blob = {
	.name = "verify-blob",
	.usage = "verify-blob FILE --sig SIG --key PUB",
	.summary = "check a detached signature",
	.help =
	    "SIG holds the base64 of a DER ECDSA-SHA256 (or raw Ed25519)\n"
	    "signature over FILE's bytes, as `specgate sign`, `cosign\n"
	    "sign-blob` or `openssl dgst -sha256 -sign` (then base64)\n"
	    "make it.\n"
	    "PUB is the SPKI PEM public key.  Prints \"verified OK\".\n"
	    "\n"
	    "Exit status: 0 verified, 4 verification failed (bad base64, a\n"
	    "truncated or garbled signature, another key, a changed file), 2\n"
	    "for a missing file or a PUB that is not a public key.\n",
	.exec = verify_blob_exec,
};
