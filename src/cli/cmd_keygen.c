/* SPDX-License-Identifier: MIT */
/*
 * cmd_keygen.c - `specgate keygen`: make a key pair, write PREFIX.key (the
 * PKCS#8 private key, encrypted unless --no-password, mode 0600) and
 * PREFIX.pub (SPKI), and print the key id.
 *
 * Both files are checked before either is written, so that a refusal to
 * overwrite never leaves a new .key beside an old .pub.  The directory of
 * PREFIX is made (0700) when missing: .specgate/keys/ holds secrets.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "specgate/sign.h"

#include "passphrase.h"

#define DEFAULT_PREFIX ".specgate/keys/specgate"

/* mkdir -p the directory part of path, new directories 0700. */
static int
make_parent(const char *path)
{
	char *dir = strdup(path);
	char *slash;
	int rc = EXIT_OK;

	if (!dir)
		abort();
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		goto out;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		goto fail;
	goto out;
fail:
	cli_errorf("cannot create directory '%s': %s", dir, strerror(errno));
	rc = EXIT_SYSTEM;
out:
	free(dir);
	return rc;
}

struct keygen_args {
	enum sg_key_type type;
	const char *prefix;
	bool no_password;
	bool force;
};

static int
keygen_write(struct cli *cli, const struct keygen_args *a, const char *keyf,
    const char *pubf)
{
	struct sg_key_options opts = SG_KEY_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key = NULL;
	char *pass = NULL;
	size_t passlen = 0;
	char id[SG_KEYID_HEX_LEN + 1];
	int rc;

	if (!a->no_password &&
	    (rc = cli_passphrase(&pass, &passlen, true, keyf)) != EXIT_OK)
		goto out;
	if ((rc = make_parent(keyf)) != EXIT_OK)
		goto out;
	opts.passphrase = pass;
	opts.passlen = passlen;
	opts.replace = a->force;
	if (sg_key_generate(&key, a->type, &err) < 0 ||
	    sg_key_write_private(key, keyf, &opts, &err) < 0 ||
	    sg_key_write_public(key, pubf, a->force, &err) < 0 ||
	    sg_key_id(id, key, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (cli->json) {
		printf("{");
		cli_json_field(stdout, true, "keyid", id);
		cli_json_field(stdout, false, "type",
		    sg_key_type_name(a->type));
		cli_json_field(stdout, false, "private_key", keyf);
		cli_json_field(stdout, false, "public_key", pubf);
		printf(", \"encrypted\": %s}\n", pass ? "true" : "false");
	} else {
		printf("%s\n", id);
	}
	if (cli->verbosity >= 0 && !cli->json)
		fprintf(stderr, "specgate: wrote %s (%s%s) and %s\n", keyf,
		    sg_key_type_name(a->type),
		    pass ? ", encrypted" : ", NOT encrypted", pubf);
	rc = EXIT_OK;
out:
	sg_secret_free(pass, passlen);
	sg_key_free(key);
	sg_error_release(&err);
	return rc;
}

static int
keygen_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"type", required_argument, NULL, 't'},
		{"out", required_argument, NULL, 'o'},
		{"no-password", no_argument, NULL, 'n'},
		{"force", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct keygen_args a = {
		SG_KEY_ECDSA_P256, DEFAULT_PREFIX, false, false};
	struct sg_error err = SG_ERROR_INIT;
	char *keyf = NULL;
	char *pubf = NULL;
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (sg_key_type_parse(&a.type, optarg, &err) < 0) {
				rc = cli_fail(&err);
				goto out;
			}
			break;
		case 'o':
			a.prefix = optarg;
			break;
		case 'n':
			a.no_password = true;
			break;
		case 'f':
			a.force = true;
			break;
		default:
			if ((rc = cli_common_opt(cli, &cli_cmd_keygen, ch,
				 optarg)) >= 0)
				goto out;
		}
	}
	if (optind < argc || !*a.prefix) {
		rc = cli_usage(&cli_cmd_keygen);
		goto out;
	}
	if (asprintf(&keyf, "%s.key", a.prefix) < 0 ||
	    asprintf(&pubf, "%s.pub", a.prefix) < 0)
		abort();
	if (!a.force && (access(keyf, F_OK) == 0 || access(pubf, F_OK) == 0)) {
		cli_errorf("'%s' already exists (--force replaces it)",
		    access(keyf, F_OK) == 0 ? keyf : pubf);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = keygen_write(cli, &a, keyf, pubf);
out:
	free(keyf);
	free(pubf);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_keygen = {
	.name = "keygen",
	.usage = "keygen [--type ecdsa-p256|ed25519] [--out PREFIX] "
		 "[--no-password] [--force]",
	.summary = "make a signing key pair and print its key id",
	.help =
	    "Writes PREFIX.key, the private key as PKCS#8 PEM encrypted\n"
	    "with scrypt and AES-256-CBC (mode 0600), and PREFIX.pub, the\n"
	    "public key as SPKI PEM, then prints the key id\n"
	    "(docs/signing.md).  The\n"
	    "passphrase comes from SPECGATE_KEY_PASSWORD, else it is asked\n"
	    "twice on the terminal.\n"
	    "\n"
	    "  --type T       ecdsa-p256 (default) or ed25519\n"
	    "  --out PREFIX   default .specgate/keys/specgate\n"
	    "  --no-password  write the private key unencrypted (throwaway\n"
	    "                 keys)\n"
	    "  --force        replace existing files\n"
	    "\n"
	    "Exit status: 0, 2 for bad usage, an existing file or no way to\n"
	    "get a passphrase, 5 for an I/O error.\n",
	.exec = keygen_exec,
};
