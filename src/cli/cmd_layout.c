/* SPDX-License-Identifier: MIT */
/*
 * cmd_layout.c - `specgate layout`: write the signed in-toto layout of the
 * project's pipeline (sg_intoto_layout(); docs/signing.md shows how to
 * check a bundle with it and in-toto-verify).
 *
 * The layout names the spec directories (features:) and the build
 * artifacts (stages.build.artifacts) of the configuration, and the
 * signing key's public part as every step's functionary.  Its expiry is
 * --expires from now (default 365d): a number and a unit, s m h or d.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "specgate/intoto.h"
#include "specgate/sign.h"
#include "specgate/sys/signer.h"

/* "90d" -> seconds; false for anything else (or more than 100 years). */
static bool
parse_expiry(long long *out, const char *s)
{
	char *end;
	long long n;
	long long unit;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end == s || n <= 0 || !*end || end[1])
		return false;
	switch (*end) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return false;
	}
	if (n > 36500LL * 86400 / unit)
		return false;
	*out = n * unit;
	return true;
}

static int
layout_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"key", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{"expires", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0},
	};
	struct sg_intoto_layout_options lo = SG_INTOTO_LAYOUT_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_signer *signer = NULL;
	const char *keyf = NULL;
	const char *outf = "root.layout";
	const char *expires = "365d";
	char id[SG_KEYID_HEX_LEN + 1];
	char *text = NULL;
	long long secs;
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'k')
			keyf = optarg;
		else if (ch == 'o')
			outf = optarg;
		else if (ch == 'e')
			expires = optarg;
		else if ((rc = cli_common_opt(cli, &cli_cmd_layout, ch,
			      optarg)) >= 0)
			return rc;
	}
	if (optind != argc)
		return cli_usage(&cli_cmd_layout);
	if (!parse_expiry(&secs, expires)) {
		cli_errorf("invalid --expires '%s' (a number and s, m, h or "
			   "d, at most 100 years: 365d)",
		    expires);
		return EXIT_USAGE;
	}
	if ((rc = cli_load_config(cli, &cfg)) != EXIT_OK)
		goto out;
	if (!keyf)
		keyf = cfg->signing_key;
	if ((rc = cli_load_signer(&signer, cli, keyf,
		 cfg->mode == SG_MODE_COMPLIANCE)) != EXIT_OK)
		goto out;
	lo.expires = time(NULL) + (time_t)secs;
	lo.features = (const char *const *)cfg->features.items;
	lo.nfeatures = cfg->features.n;
	lo.artifacts =
	    (const char *const *)cfg->stages[SG_STAGE_BUILD].artifacts.items;
	lo.nartifacts = cfg->stages[SG_STAGE_BUILD].artifacts.n;
	for (int s = 0; s < SG_STAGE_COUNT && s < 6; s++) {
		lo.commands[s] =
		    (const char *const *)cfg->stages[s].run.items;
		lo.ncommands[s] = cfg->stages[s].run.n;
	}
	if (sg_intoto_layout(&text, &lo, signer, &err) < 0 ||
	    sg_intoto_keyid(id, sg_signer_public_key(signer), &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!strcmp(outf, "-")) {
		fputs(text, stdout);
	} else {
		FILE *f = fopen(outf, "w");

		if (!f || fputs(text, f) < 0 || fclose(f)) {
			cli_errorf("cannot write '%s': %s", outf,
			    strerror(errno));
			rc = EXIT_SYSTEM;
			goto out;
		}
	}
	if (cli->verbosity >= 0)
		fprintf(stderr, "specgate: wrote %s (functionary key %s)\n",
		    outf, id);
	rc = EXIT_OK;
out:
	free(text);
	sg_signer_free(signer);
	sg_config_free(cfg);
	sg_error_release(&err);
	return cli_finish_stdout(rc);
}

const struct cli_cmd cli_cmd_layout = {
	.name = "layout",
	.usage = "layout [--expires DURATION] [--key KEY] [--out FILE]",
	.summary = "write the signed in-toto layout of the pipeline",
	.help =
	    "FILE (default root.layout; - for stdout) gets an in-toto layout\n"
	    "signed by KEY (default signing.key): one step per stage, whose\n"
	    "functionary is KEY, with artifact rules that chain each stage's\n"
	    "products into the later stages' materials (MATCH, then DISALLOW\n"
	    "*), and an inspection that matches every file of a bundle\n"
	    "against the link of the stage that made it.  DURATION (default\n"
	    "365d: s, m, h or d) is how long it stays valid.  Check a bundle\n"
	    "with it (in a copy: in-toto-verify writes bundle.link):\n"
	    "  in-toto-verify --layout root.layout --layout-keys KEY.json \\\n"
	    "      --key-types ecdsa --link-dir links\n"
	    "(KEY.json: the securesystemslib form of KEY.pub;\n"
	    "docs/signing.md).\n"
	    "\n"
	    "Exit status: 0, 2 for bad usage or an unusable key, 5 for an\n"
	    "I/O error.\n",
	.exec = layout_exec,
};
