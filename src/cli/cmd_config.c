/* SPDX-License-Identifier: MIT */
/*
 * cmd_config.c - `specgate config [--json]`: the effective configuration,
 * one "key: value  # origin" line per key, or one JSON object with --json.
 * Loading it is the whole job, so a bad specgate.yaml, .env or SPECGATE_*
 * value fails here exactly as it would fail any other command (exit 2
 * with file:line:column; 5 when a file cannot be read).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

static int
config_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_config *cfg = NULL;
	char *text = NULL;
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1)
		if ((code = cli_common_opt(cli, &cli_cmd_config, ch,
			 optarg)) >= 0)
			return code;
	if (optind != argc)
		return cli_usage(&cli_cmd_config);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		return code;
	sg_config_dump(&text, cfg, cli->json);
	fputs(text, stdout);
	free(text);
	sg_config_free(cfg);
	return EXIT_OK;
}

const struct cli_cmd cli_cmd_config = {
	.name = "config",
	.usage = "config [--json]",
	.summary = "print the effective configuration and where each value "
		   "comes from",
	.help = "Each line is \"key: value  # origin\", in the order of "
		"specgate.yaml(5).\n"
		"The origin is one of: default; specgate.yaml:LINE:COLUMN; "
		".env:LINE;\n"
		"env SPECGATE_...; --mode or --config; search (root and file, "
		"found by\n"
		"walking up from the working directory).  Stages are listed "
		"when configured.\n"
		"With --json, one object {\"key\": {\"value\": ..., "
		"\"origin\": ...}}.\n"
		"\n"
		"Exit status: 0; 2 for a configuration error, printed as\n"
		"FILE:LINE:COLUMN: error: MESSAGE; 5 when a file cannot be "
		"read.\n",
	.exec = config_exec,
};
