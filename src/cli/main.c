/* SPDX-License-Identifier: MIT */
/*
 * main.c - `specgate`: parse the global options, find the subcommand in the
 * table and run it.  Global options come before the command, as with git:
 *
 *	specgate [--mode M] [--config FILE] [--json] [-q|-v] COMMAND [ARGS]
 *
 * Each subcommand parses its own options (getopt_long, permuted so that
 * `specgate validate features --json` also works: the global flags --json,
 * -q, -v and --mode are accepted after the command too).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

const struct cli_cmd *const cli_cmds[] = {
	&cli_cmd_init,
	&cli_cmd_id,
	&cli_cmd_validate,
	&cli_cmd_pickles,
	&cli_cmd_render,
	&cli_cmd_generate,
	&cli_cmd_run,
	&cli_cmd_runs,
	&cli_cmd_report,
	&cli_cmd_approve,
	&cli_cmd_resume,
	&cli_cmd_promote,
	&cli_cmd_audit,
	&cli_cmd_store,
	&cli_cmd_archive,
	&cli_cmd_sbom,
	&cli_cmd_serve,
	&cli_cmd_smoke,
	&cli_cmd_branch,
	&cli_cmd_fix_whitespace,
	&cli_cmd_config,
	&cli_cmd_doctor,
	&cli_cmd_keygen,
	&cli_cmd_key,
	&cli_cmd_sign,
	&cli_cmd_verify_blob,
	&cli_cmd_coverage,
	&cli_cmd_junit,
	&cli_cmd_sarif,
	&cli_cmd_layout,
	&cli_cmd_verify,
	&cli_cmd_completion,
	&cli_cmd_help,
	&cli_cmd_version,
	NULL,
};

const struct cli_cmd *
cli_find(const char *name)
{
	for (size_t i = 0; cli_cmds[i]; i++)
		if (!strcmp(cli_cmds[i]->name, name))
			return cli_cmds[i];
	return NULL;
}

int
cli_exit_code(int code)
{
	switch (code) {
	case SG_OK:
		return EXIT_OK;
	case SG_EGATE:
		return EXIT_GATE;
	case SG_EINVAL:
	case SG_ENOTFOUND:
	case SG_ETOOBIG:
		return EXIT_USAGE;
	case SG_EWAIT:
		return EXIT_WAIT;
	case SG_EVERIFY:
		return EXIT_VERIFY;
	case SG_ECANCELED:
		return EXIT_CANCELED;
	default:
		return EXIT_SYSTEM;
	}
}

static void
vmsg(const char *level, const char *fmt, va_list ap) SG_PRINTF(2, 0);

static void
vmsg(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "specgate: %s%s%s: ",
	    cli_color(stderr, level[0] == 'e' ? CLI_COLOR_ERROR :
						CLI_COLOR_WARNING),
	    level, cli_color(stderr, CLI_COLOR_RESET));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_stage_line(enum sg_stage_id stage, const char *status,
    const char *detail, void *payload)
{
	const struct cli *cli = payload;

	if (cli->json || cli->verbosity < 0)
		return;
	printf("%s: %s%s%s%s\n", sg_stage_name(stage), status,
	    detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
}

void
cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("error", fmt, ap);
	va_end(ap);
}

void
cli_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning", fmt, ap);
	va_end(ap);
}

int
cli_fail(const struct sg_error *err)
{
	const char *on = cli_color(stderr, CLI_COLOR_ERROR);
	const char *off = cli_color(stderr, CLI_COLOR_RESET);

	if (err->file && err->line && err->column)
		fprintf(stderr, "%s:%u:%u: %serror%s: %s\n", err->file,
		    err->line, err->column, on, off, err->message);
	else if (err->file && err->line)
		fprintf(stderr, "%s:%u: %serror%s: %s\n", err->file, err->line,
		    on, off, err->message);
	else if (err->file)
		fprintf(stderr, "%s: %serror%s: %s\n", err->file, on, off,
		    err->message);
	else
		cli_errorf("%s", err->message[0] ? err->message :
		    sg_error_name(err->code));
	return cli_exit_code(err->code ? err->code : SG_EIO);
}

int
cli_usage(const struct cli_cmd *cmd)
{
	fprintf(stderr, "usage: specgate %s\n", cmd->usage);
	fprintf(stderr, "Try 'specgate help %s' for more.\n", cmd->name);
	return EXIT_USAGE;
}

int
cli_finish_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_errorf("cannot write to standard output: %s",
		    strerror(errno));
		return EXIT_SYSTEM;
	}
	return code;
}

static void
main_usage(FILE *f)
{
	fprintf(f,
	    "usage: specgate [--mode M] [--config FILE] [--json] [-q|-v] "
	    "COMMAND [ARGS]\n"
	    "       specgate --help | --version\n\n"
	    "Commands:\n");
	for (size_t i = 0; cli_cmds[i]; i++)
		fprintf(f, "  %-11s %s\n", cli_cmds[i]->name,
		    cli_cmds[i]->summary);
	fprintf(f,
	    "\nGlobal options:\n"
	    "  --mode M       sandbox or compliance (overrides SPECGATE_MODE "
	    "and specgate.yaml)\n"
	    "  --config FILE  use FILE instead of looking for specgate.yaml\n"
	    "  --json         print one JSON document instead of text\n"
	    "  -q, --quiet    print errors only\n"
	    "  -v, --verbose  print more detail\n"
	    "  --color[=WHEN] always, never or auto (default: on a terminal,\n"
	    "                 unless NO_COLOR is set)\n"
	    "\nExit status: 0 success, 1 a gate or stage failed, 2 bad usage, "
	    "config or input,\n"
	    "3 waiting for approval, 4 verification failed, 5 system error,\n"
	    "130 interrupted (SIGINT or SIGTERM).\n"
	    "See specgate(1) and 'specgate help COMMAND'.\n");
}

/* "'valdate' is not a specgate command", with the nearest one if any. */
static int
unknown_command(const char *name)
{
	const char *names[64];
	const char *near;
	size_t n = 0;

	for (size_t i = 0; cli_cmds[i] && n < SG_ARRAY_SIZE(names); i++)
		names[n++] = cli_cmds[i]->name;
	near = sg_similar(name, names, n);
	if (near)
		cli_errorf("'%s' is not a specgate command; did you mean "
			   "'%s'?",
		    name, near);
	else
		cli_errorf("'%s' is not a specgate command; see 'specgate "
			   "--help'",
		    name);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"mode", required_argument, NULL, 'm'},
		{"config", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"color", optional_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli = {0};
	const struct cli_cmd *cmd;
	int ch;

	cli.progname = "specgate";
#ifdef __GLIBC__
	/*
	 * Keep up to 16 MiB of freed memory at the heap's top instead of
	 * giving it back to the kernel above 128 KiB (glibc's default):
	 * the PostgreSQL store's audit scan frees a result of about 1.3 MB
	 * per FETCH, and each trim (brk, a TLB flush) and page fault after
	 * it cost two thirds of `audit verify`'s CPU time over a
	 * PostgreSQL trail (bench/pg-store.sh).
	 */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
#endif
	/* "+": stop at the command name; it parses its own options. */
	while ((ch = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			cli.mode = optarg;
			break;
		case 'c':
			cli.config_file = optarg;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'q':
			cli.verbosity = -1;
			break;
		case 'v':
			cli.verbosity = 1;
			break;
		case 'C':
			if (cli_color_set(optarg) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case 'h':
			main_usage(stdout);
			return cli_finish_stdout(EXIT_OK);
		case 'V':
			printf("specgate %s (%s)\n", sg_version(), sg_commit());
			return cli_finish_stdout(EXIT_OK);
		default:
			main_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = cli_find(argv[optind]);
	if (!cmd)
		return unknown_command(argv[optind]);
	argc -= optind;
	argv += optind;
	cli.argv = argv;
	optind = 0; /* reset getopt for the subcommand (GNU: 0 re-inits) */
	return cli_finish_stdout(cmd->exec(&cli, argc, argv));
}
