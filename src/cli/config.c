/* SPDX-License-Identifier: MIT */
/*
 * config.c - loading the configuration for any subcommand that needs it:
 * the global --mode and --config flags go into struct sg_config_options,
 * the library does the rest, and the warnings it returns (unknown keys in
 * sandbox mode) are printed here, since the core never prints.  Also what
 * several commands derive from it: the store and the bundle locations.
 */
#include "cli.h"

#include <stdio.h>

int
cli_load_config(struct cli *cli, struct sg_config **out)
{
	struct sg_config_options opts = SG_CONFIG_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	int code;

	opts.config_file = cli->config_file;
	opts.mode = cli->mode;
	if (sg_config_load(out, &opts, &err) < 0) {
		code = cli_fail(&err);
		sg_error_release(&err);
		return code;
	}
	if (cli->verbosity >= 0)
		for (size_t i = 0; i < (*out)->warnings.n; i++)
			fprintf(stderr, "%s\n", (*out)->warnings.items[i]);
	return EXIT_OK;
}

int
cli_check_floor(const struct sg_config *cfg, const char *hint)
{
	char msg[256];

	if (!sg_config_below_floor(cfg, msg, sizeof(msg)))
		return EXIT_OK;
	fprintf(stderr, "%s: error: %s%s%s\n", cfg->mode_floor_origin, msg,
	    hint ? " " : "", hint ? hint : "");
	return EXIT_USAGE;
}

int
cli_open_store(const struct sg_config *cfg, bool create, struct sg_store **out)
{
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	int error;
	int code = EXIT_OK;

	opts.root = cfg->root;
	if (!create)
		opts.flags |= SG_STORE_OPEN_NO_CREATE;
	error = sg_store_open(out, cfg->store, &opts, &err);
	if (error == SG_ENOTFOUND && !create)
		error = 0;
	else if (error)
		code = cli_fail(&err);
	sg_error_release(&err);
	return code;
}

void
cli_evidence_options(struct sg_evidence_options *out,
    const struct sg_config *cfg)
{
	struct sg_evidence_options o = SG_EVIDENCE_OPTIONS_INIT;

	o.root = cfg->root_rel;
	o.reports = cfg->reports;
	o.active_runs = cfg->active_runs;
	*out = o;
}
