/* SPDX-License-Identifier: MIT */
/*
 * cmd_help.c - `specgate help [COMMAND]` and `specgate version`, and the
 * option handling shared by every subcommand.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "util/util.h"

void
cli_print_help(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "usage: specgate %s\n\n%s\n", cmd->usage, cmd->summary);
	if (cmd->help && cmd->help[0])
		fprintf(f, "\n%s", cmd->help);
}

/*
 * After getopt_long refused an unknown long option (it printed why): the
 * option of cmd nearest to it, from cmd's synopsis and the common ones.
 */
static void
suggest_option(const struct cli *cli, const struct cli_cmd *cmd)
{
	static const char *const common[] = {"--json", "--quiet",
	    "--verbose", "--mode", "--color", "--help"};
	const char *cands[48];
	char words[48][32];
	char bad[64];
	const char *arg, *p, *near;
	size_t n = 0;

	if (!cli->argv || optind < 1 || optopt != 0)
		return;
	arg = cli->argv[optind - 1];
	if (!arg || strncmp(arg, "--", 2))
		return;
	snprintf(bad, sizeof(bad), "%.*s", (int)strcspn(arg, "="), arg);
	for (size_t i = 0; i < SG_ARRAY_SIZE(common); i++)
		cands[n++] = common[i];
	for (p = strstr(cmd->usage, "--"); p && n < SG_ARRAY_SIZE(cands);
	     p = strstr(p + 2, "--")) {
		size_t len = 2 + strspn(p + 2,
		    "abcdefghijklmnopqrstuvwxyz0123456789-");

		if (len == 2 || len >= sizeof(words[0]))
			continue;
		memcpy(words[n], p, len);
		words[n][len] = '\0';
		cands[n] = words[n];
		n++;
	}
	if ((near = sg_similar(bad, cands, n)))
		fprintf(stderr, "specgate: did you mean '%s'?\n", near);
}

int
cli_common_opt(struct cli *cli, const struct cli_cmd *cmd, int ch,
    const char *arg)
{
	switch (ch) {
	case 'j':
		cli->json = true;
		return -1;
	case 'q':
		cli->verbosity = -1;
		return -1;
	case 'v':
		cli->verbosity = 1;
		return -1;
	case 'm':
		cli->mode = arg;
		return -1;
	case 'C':
		return cli_color_set(arg) == EXIT_OK ? -1 : EXIT_USAGE;
	case 'h':
		cli_print_help(stdout, cmd);
		return EXIT_OK;
	default:
		suggest_option(cli, cmd);
		return cli_usage(cmd);
	}
}

static int
help_exec(struct cli *cli, int argc, char **argv)
{
	const struct cli_cmd *cmd;

	(void)cli;
	if (argc > 2)
		return cli_usage(&cli_cmd_help);
	if (argc < 2) {
		printf("usage: specgate [--mode M] [--config FILE] [--json] "
		       "[-q|-v] COMMAND [ARGS]\n\nCommands:\n");
		for (size_t i = 0; cli_cmds[i]; i++)
			printf("  %-11s %s\n", cli_cmds[i]->name,
			    cli_cmds[i]->summary);
		printf("\nSee 'specgate help COMMAND' and specgate(1).\n");
		return EXIT_OK;
	}
	cmd = cli_find(argv[1]);
	if (!cmd) {
		cli_errorf("no such command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	cli_print_help(stdout, cmd);
	return EXIT_OK;
}

const struct cli_cmd cli_cmd_help = {
	.name = "help",
	.usage = "help [COMMAND]",
	.summary = "show the commands, or one command's options",
	.help = "",
	.exec = help_exec,
};

static int
version_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1)
		if ((rc = cli_common_opt(cli, &cli_cmd_version, ch,
			 optarg)) >= 0)
			return rc;
	if (argc - optind > 0)
		return cli_usage(&cli_cmd_version);
	if (cli->json)
		printf("{\"version\":\"%s\",\"commit\":\"%s\"}\n", sg_version(),
		    sg_commit());
	else
		printf("specgate %s (%s)\n", sg_version(), sg_commit());
	return EXIT_OK;
}

const struct cli_cmd cli_cmd_version = {
	.name = "version",
	.usage = "version",
	.summary = "print the version and the commit it was built from",
	.help = "",
	.exec = version_exec,
};
