/* SPDX-License-Identifier: MIT */
/*
 * cmd_id.c - `specgate id [PATH...]`: print the feature id of the specs.
 *
 * The work is libspecgate's (sg_specset_collect, sg_specset_hash,
 * sg_specset_feature_id); this file parses the options, prints the
 * warnings to stderr, and prints either the id alone or, with --json,
 * {"feature_id": "...", "files": [{"name": "...", "sha256": "..."}]}.
 *
 * JSON strings are written with cli_json_string() (json.c) rather than
 * through jansson because spec file names are bytes, not UTF-8 (the id
 * itself is always computed over the raw bytes).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/specset.h"

static void
print_json(const struct sg_specset *set, const char *id)
{
	printf("{\"feature_id\": \"%s\", \"files\": [", id);
	for (size_t i = 0; i < set->nfiles; i++) {
		printf("%s{\"name\": ", i ? ", " : "");
		cli_json_string(stdout, set->files[i].name);
		printf(", \"sha256\": \"%s\"}", set->files[i].sha256);
	}
	printf("]}\n");
}

static int
id_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_specset *set = NULL;
	struct sg_config *cfg = NULL;
	const char *const *paths;
	const char *root = ".";
	size_t npaths;
	char id[SG_FEATURE_ID_LEN + 1];
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((rc = cli_common_opt(cli, &cli_cmd_id, ch, optarg)) >= 0)
			return rc;
	if (optind < argc) {
		paths = (const char *const *)(argv + optind);
		npaths = (size_t)(argc - optind);
	} else {
		/* the configured features directories, under the project root */
		if ((rc = cli_load_config(cli, &cfg)) != EXIT_OK)
			return rc;
		root = cfg->root_rel;
		paths = (const char *const *)cfg->features.items;
		npaths = cfg->features.n;
	}
	if (sg_specset_collect(&set, root, paths, npaths, 0, &err) < 0)
		goto fail;
	if (cli->verbosity >= 0)
		for (size_t i = 0; i < set->nwarnings; i++)
			cli_warnf("%s", set->warnings[i]);
	if (cli->json && sg_specset_hash(set, &err) < 0)
		goto fail;
	if (sg_specset_feature_id(id, set, &err) < 0)
		goto fail;
	if (cli->json)
		print_json(set, id);
	else
		printf("%s\n", id);
	rc = EXIT_OK;
	goto out;
fail:
	rc = cli_fail(&err);
out:
	sg_specset_free(set);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_id = {
	.name = "id",
	.usage = "id [--json] [PATH...]",
	.summary = "print the feature id of the specs",
	.help =
	    "The feature id is the first 12 hex digits of SHA-256 over the\n"
	    "sha256sum lines of every *.feature file, sorted bytewise by name\n"
	    "(see docs/feature-id.md).  PATHs are directories, searched\n"
	    "recursively, or single .feature files; the default is the features\n"
	    "directories of specgate.yaml.  With one directory, names are\n"
	    "relative to it; otherwise to the project root (the current\n"
	    "directory for PATHs given here).  Symlinks inside the tree are not followed.\n"
	    "\n"
	    "  --json   print {\"feature_id\", \"files\": [{\"name\", "
	    "\"sha256\"}]}\n"
	    "\n"
	    "Exit status: 0, 2 for a bad path, no .feature file, a symlink\n"
	    "loop or an unreadable file, 5 for an I/O error.\n",
	.exec = id_exec,
};
