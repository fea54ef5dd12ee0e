/* SPDX-License-Identifier: MIT */
/*
 * config.c - loading the configuration for any subcommand that needs it:
 * the global --mode and --config flags go into struct sg_config_options,
 * the library does the rest, and the warnings it returns (unknown keys in
 * sandbox mode) are printed here, since the core never prints.
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
