/* SPDX-License-Identifier: MIT */
/*
 * cmd_key.c - `specgate key id PUB`: print the key id of a public key (the
 * securesystemslib/in-toto formula, docs/signing.md), so that an auditor
 * can match a key file to the ids in links and layouts.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/sign.h"

static int
key_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key = NULL;
	char id[SG_KEYID_HEX_LEN + 1];
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((rc = cli_common_opt(cli, &cli_cmd_key, ch, optarg)) >= 0)
			return rc;
	if (argc - optind != 2 || strcmp(argv[optind], "id"))
		return cli_usage(&cli_cmd_key);
	if (sg_key_load_public(&key, argv[optind + 1], &err) < 0 ||
	    sg_key_id(id, key, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (cli->json) {
		printf("{");
		cli_json_field(stdout, true, "path", argv[optind + 1]);
		cli_json_field(stdout, false, "keyid", id);
		printf("}\n");
	} else {
		printf("%s\n", id);
	}
	rc = EXIT_OK;
out:
	sg_key_free(key);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_key = {
	.name = "key",
	.usage = "key id PUB",
	.summary = "print the key id of a public key",
	.help =
	    "PUB is an SPKI PEM public key (ECDSA P-256 or Ed25519).  The\n"
	    "id is SHA-256 over the canonical JSON of the securesystemslib\n"
	    "key object {\"keytype\", \"scheme\", \"keyval\": {\"public\"}}\n"
	    "(current securesystemslib).  in-toto links and layouts name the\n"
	    "key by the in-toto 1.x id, which also hashes\n"
	    "\"keyid_hash_algorithms\" (docs/signing.md).\n"
	    "\n"
	    "Exit status: 0, 2 for a missing file or one that is not a public\n"
	    "key.\n",
	.exec = key_exec,
};
