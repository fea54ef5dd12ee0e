/* SPDX-License-Identifier: MIT */
/*
 * cmd_approve.c - `specgate approve RUN --key KEY [--comment TEXT]`: sign
 * an approval of a compliance run that waits before deploy
 * (specgate/approval.h does the checks, the document and the trail).
 *
 * The key is a private key whose public key is listed in approvals.keys;
 * its passphrase comes from SPECGATE_KEY_PASSWORD or the terminal, as for
 * `specgate sign`.  Exit 0; 2 for a refusal (unknown run, a run that is not
 * awaiting approval, a key not in approvals.keys, a second approval by the
 * same key, a wrong passphrase); 5 for an I/O or store error.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

#include "specgate/approval.h"
#include "specgate/sign.h"

static int
approve_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"key", required_argument, NULL, 'k'},
		{"comment", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_approval a = {0};
	struct sg_config *cfg = NULL;
	struct sg_signer *signer = NULL;
	struct sg_store *st = NULL;
	struct sg_run *run = NULL;
	const char *keyf = NULL;
	const char *comment = NULL;
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'k')
			keyf = optarg;
		else if (ch == 'c')
			comment = optarg;
		else if ((rc = cli_common_opt(cli, &cli_cmd_approve, ch,
			      optarg)) >= 0)
			return rc;
	}
	if (argc - optind != 1 || !keyf)
		return cli_usage(&cli_cmd_approve);
	if ((rc = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (rc = cli_check_floor(cfg, NULL)) != EXIT_OK ||
	    (rc = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	if (sg_approval_find_run(&run, st, argv[optind], &err) < 0)
		goto fail;
	if ((rc = cli_load_signer(&signer, cli, keyf, true)) != EXIT_OK)
		goto out;
	if (sg_approval_add(&a, st, cfg, run, signer, comment, &err) < 0)
		goto fail;
	if (cli->verbosity >= 0)
		printf("approved run %s of feature %s with key %.16s... "
		       "(approval-%.16s.json, sha256 %.12s...)\n",
		    run->run_id, run->feature_id, a.keyid, a.keyid, a.sha256);
	rc = EXIT_OK;
	goto out;
fail:
	rc = cli_fail(&err);
out:
	sg_approval_release(&a);
	sg_run_free(run);
	sg_signer_free(signer);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_approve = {
	.name = "approve",
	.usage = "approve RUN --key KEY [--comment TEXT]",
	.summary = "sign an approval of a compliance run awaiting approval",
	.help =
	    "Record an approval of run RUN, which stopped before deploy\n"
	    "(status awaiting_approval).  The approval names the run, its\n"
	    "feature id, the SHA-256 of the waiting bundle's manifest.json,\n"
	    "the approver's key id, the time and TEXT; it is signed with KEY,\n"
	    "whose public key must be listed in approvals.keys, kept in\n"
	    ".specgate/approvals/<feature-id>/<run-id>/<keyid>.json (and\n"
	    ".json.sig), and recorded in the audit trail as `deploy approved`.\n"
	    "'specgate resume RUN' continues once approvals.required distinct\n"
	    "keys have approved.\n"
	    "\n"
	    "Exit status: 0; 2 when refused (unknown run, a run not awaiting\n"
	    "approval, a key not in approvals.keys, a key that already\n"
	    "approved this run, a wrong passphrase); 5 for an I/O or store\n"
	    "error.\n",
	.exec = approve_exec,
};
