/* SPDX-License-Identifier: MIT */
/*
 * signer.c - loading the signing key for the commands that sign (sign,
 * run, layout): the passphrase from SPECGATE_KEY_PASSWORD or the terminal
 * (passphrase.c), the library's checks (mode bits in compliance), and the
 * run's rule for a missing key (docs/signing.md):
 *
 *	key file missing	sandbox: a warning, an unsigned bundle
 *				compliance: preflight fails, exit 2
 *	key unusable		(wrong passphrase, not a key, lax mode in
 *				compliance): exit 2 in both modes, since a
 *				key was configured and the user meant it
 *
 * The key is loaded once per command and wiped when the signer is freed.
 * cli_run_prepare() is the signer-and-profile set-up that `run` and
 * `resume` share.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "specgate/run.h"
#include "specgate/sign.h"

#include "passphrase.h"

int
cli_load_signer(struct sg_signer **out, struct cli *cli, const char *keyf,
    bool strict)
{
	struct sg_key_options opts = SG_KEY_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key = NULL;
	char *warning = NULL;
	char *pass = NULL;
	size_t passlen = 0;
	bool encrypted;
	int rc = EXIT_OK;

	*out = NULL;
	if (sg_key_file_is_encrypted(&encrypted, keyf, &err) < 0)
		goto fail;
	if (encrypted &&
	    (rc = cli_passphrase(&pass, &passlen, false, keyf)) != EXIT_OK)
		goto out;
	opts.passphrase = pass;
	opts.passlen = passlen;
	opts.strict = strict;
	if (sg_key_load_private(&key, &warning, keyf, &opts, &err) < 0)
		goto fail;
	if (warning && cli->verbosity >= 0)
		cli_warnf("%s", warning);
	if (sg_signer_from_key(out, key, &err) < 0)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&err);
out:
	free(warning);
	sg_secret_free(pass, passlen);
	sg_error_release(&err);
	return rc;
}

int
cli_run_signer(struct sg_signer **out, char **why, struct cli *cli,
    const struct sg_config *cfg)
{
	struct sg_error err = SG_ERROR_INIT;
	bool encrypted;
	char *keyf;
	int rc;

	*out = NULL;
	*why = NULL;
	if (!cfg->signing_key || !*cfg->signing_key) {
		*why = strdup("no signing key configured (signing.key)");
		return EXIT_OK;
	}
	if (cfg->signing_key[0] == '/' || !strcmp(cfg->root_rel, "."))
		keyf = strdup(cfg->signing_key);
	else if (asprintf(&keyf, "%s/%s", cfg->root_rel, cfg->signing_key) < 0)
		keyf = NULL;
	if (!keyf)
		abort();
	if (sg_key_file_is_encrypted(&encrypted, keyf, &err) == SG_ENOTFOUND) {
		if (asprintf(why, "no signing key: '%s' does not exist",
			keyf) < 0)
			abort();
		rc = EXIT_OK;
		if (cfg->mode == SG_MODE_COMPLIANCE) {
			cli_errorf("preflight: compliance mode needs a signing "
				   "key: '%s' does not exist (make one with "
				   "`specgate keygen`, or set signing.key or "
				   "SPECGATE_SIGNING_KEY)",
			    keyf);
			rc = EXIT_USAGE;
		} else if (cli->verbosity >= 0) {
			cli_warnf("%s: the bundle will not be signed (sandbox)",
			    *why);
		}
		goto out;
	}
	rc = cli_load_signer(out, cli, keyf, cfg->mode == SG_MODE_COMPLIANCE);
out:
	sg_error_release(&err);
	free(keyf);
	return rc;
}

int
cli_run_prepare(struct sg_run_options *opts, struct sg_signer **signer,
    char **why, struct cli *cli, const struct sg_config *cfg)
{
	int code;

	if ((code = cli_run_signer(signer, why, cli, cfg)) != EXIT_OK ||
	    (code = cli_check_profile(cfg, *signer ? sg_signer_keyid(*signer) :
						     NULL)) != EXIT_OK)
		return code;
	opts->cfg = cfg;
	opts->signer = *signer;
	opts->unsigned_why = *why;
	return EXIT_OK;
}
