/* SPDX-License-Identifier: MIT */
/*
 * cmd_sign.c - `specgate sign FILE`: write FILE.sig, the base64 of the
 * signature over FILE's bytes (cosign sign-blob's format; docs/signing.md).
 *
 * The key is --key, else signing.key of the configuration (which also
 * gives the mode: in compliance, a key file that group or others may read
 * is refused; in sandbox, it is a warning).  An encrypted key takes its
 * passphrase from SPECGATE_KEY_PASSWORD or the terminal.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

#include "specgate/sign.h"

static int
sign_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"key", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_signer *signer = NULL;
	const char *keyf = NULL;
	const char *sigf = NULL;
	char *defsig = NULL;
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'k')
			keyf = optarg;
		else if (ch == 'o')
			sigf = optarg;
		else if ((rc = cli_common_opt(cli, &cli_cmd_sign, ch,
			      optarg)) >= 0)
			return rc;
	}
	if (argc - optind != 1)
		return cli_usage(&cli_cmd_sign);
	if ((rc = cli_load_config(cli, &cfg)) != EXIT_OK)
		goto out;
	if (!keyf)
		keyf = cfg->signing_key;
	if (!keyf) {
		cli_errorf("no signing key: use --key, signing.key in "
			   "specgate.yaml or SPECGATE_SIGNING_KEY");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!sigf) {
		if (asprintf(&defsig, "%s.sig", argv[optind]) < 0)
			abort();
		sigf = defsig;
	}
	rc = cli_load_signer(&signer, cli, keyf,
	    cfg->mode == SG_MODE_COMPLIANCE);
	if (rc != EXIT_OK)
		goto out;
	if (sg_sign_file(signer, argv[optind], sigf, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (cli->verbosity >= 0)
		fprintf(stderr, "specgate: wrote %s (key %.8s)\n", sigf,
		    sg_signer_keyid(signer));
	rc = EXIT_OK;
out:
	free(defsig);
	sg_signer_free(signer);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_sign = {
	.name = "sign",
	.usage = "sign FILE [--key KEY] [--out SIG]",
	.summary = "write a detached signature FILE.sig",
	.help =
	    "FILE.sig (or SIG) gets the base64 of the signature over FILE's\n"
	    "bytes: DER ECDSA-SHA256, or raw Ed25519 (the cosign sign-blob\n"
	    "format).  KEY defaults to signing.key of specgate.yaml\n"
	    "(SPECGATE_SIGNING_KEY); its passphrase comes from\n"
	    "SPECGATE_KEY_PASSWORD or the terminal.  In compliance mode a key\n"
	    "file that group or others may access is refused.\n"
	    "Check by hand with:\n"
	    "  openssl dgst -sha256 -verify KEY.pub \\\n"
	    "      -signature <(base64 -d SIG) FILE\n"
	    "\n"
	    "Exit status: 0, 2 for bad usage, a missing or bad key, a wrong\n"
	    "passphrase, 5 for an I/O error.\n",
	.exec = sign_exec,
};
