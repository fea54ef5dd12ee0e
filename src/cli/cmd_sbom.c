/* SPDX-License-Identifier: MIT */
/*
 * cmd_sbom.c - `specgate sbom [DIR]`: print the project's CycloneDX 1.6
 * SBOM, the document the build stage of a run writes as
 * sbom.cyclonedx.json (without the run's properties).
 *
 * The work is libspecgate's (sg_sbom_build); this file loads the
 * configuration from DIR (found by walking up from it, as everywhere),
 * prints the notes on what was left out to stderr and the document to
 * stdout.  --admindir and --ld-cache point the Debian lookups at another
 * system image (tests use a made-up dpkg database).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/sbom.h"

static int
sbom_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"admindir", required_argument, NULL, 'A'},
		{"ld-cache", required_argument, NULL, 'L'},
		{NULL, 0, NULL, 0},
	};
	struct sg_config_options copts = SG_CONFIG_OPTIONS_INIT;
	struct sg_sbom_options opts = SG_SBOM_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_sbom *sbom = NULL;
	const char *admindir = NULL, *ld_cache = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'A')
			admindir = optarg;
		else if (ch == 'L')
			ld_cache = optarg;
		else if ((rc = cli_common_opt(cli, &cli_cmd_sbom, ch,
		    optarg)) >= 0)
			return rc;
	}
	if (argc - optind > 1)
		return cli_usage(&cli_cmd_sbom);
	copts.cwd = optind < argc ? argv[optind] : NULL;
	copts.config_file = cli->config_file;
	copts.mode = cli->mode;
	if (sg_config_load(&cfg, &copts, &err) < 0)
		goto fail;
	if (cli->verbosity >= 0)
		for (size_t i = 0; i < cfg->warnings.n; i++)
			fprintf(stderr, "%s\n", cfg->warnings.items[i]);
	sg_sbom_options_from_config(&opts, cfg);
	opts.dpkg_admindir = admindir;
	opts.ld_cache = ld_cache;
	if (sg_sbom_build(&sbom, &opts, &err) < 0)
		goto fail;
	if (cli->verbosity >= 0)
		for (size_t i = 0; i < sbom->nwarnings; i++)
			cli_warnf("%s", sbom->warnings[i]);
	fwrite(sbom->json, 1, sbom->len, stdout);
	rc = cli_finish_stdout(EXIT_OK);
	goto out;
fail:
	rc = cli_fail(&err);
out:
	sg_sbom_free(sbom);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_sbom = {
	.name = "sbom",
	.usage = "sbom [--admindir DIR] [--ld-cache FILE] [DIR]",
	.summary = "print the project's CycloneDX 1.6 SBOM",
	.help =
	    "Prints the software bill of materials of the project at DIR (or\n"
	    "the one the current directory is in) as CycloneDX 1.6 JSON: the\n"
	    "build stage's artifacts with their SHA-256, the Debian packages\n"
	    "that ship the shared libraries their ELF files need, the packages\n"
	    "of package-lock.json, requirements.txt, go.sum and Cargo.lock\n"
	    "files under the project, the components declared under\n"
	    "sbom.components in specgate.yaml, and the HTTP endpoints the spec\n"
	    "names.  Notes on what was left out go to standard error.  With\n"
	    "SOURCE_DATE_EPOCH set, identical inputs give identical bytes.\n"
	    "See docs/formats.md.\n"
	    "\n"
	    "  --admindir DIR   the dpkg database (default /var/lib/dpkg)\n"
	    "  --ld-cache FILE  the loader cache (default /etc/ld.so.cache)\n"
	    "\n"
	    "Exit status: 0, 2 for a lockfile or ELF file that cannot be read\n"
	    "as its format or a bad sbom.components entry, 5 for an I/O "
	    "error.\n",
	.exec = sbom_exec,
};
