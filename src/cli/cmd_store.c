/* SPDX-License-Identifier: MIT */
/*
 * cmd_store.c - `specgate store migrate [URL]` and `specgate store copy
 * FROM TO`: the store's schema and history, whatever its backend.
 *
 * migrate opens the store (URL, or the configured one), which applies
 * every pending migration, and says which schema version it is at; a
 * store newer than this specgate is refused (exit 5) before anything is
 * written.  Every command migrates a store it opens anyway: migrate is for
 * doing it on purpose, once, before runners of a new version start (a DBA
 * may want to see it done).
 *
 * copy moves a whole history (runs, claims, the audit trail byte for byte)
 * into an empty store, SQLite to PostgreSQL or back (sg_store_copy()):
 * `audit verify` then passes on the destination with the same head.
 * Relative sqlite: paths are relative to the project root, as in
 * specgate.yaml.  URLs are printed masked.
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#define MIGRATE_USAGE "store migrate [URL]"
#define COPY_USAGE "store copy FROM TO"

/* Parse the common options of a store subcommand; -1 to go on. */
static int
store_opts(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if ((code = cli_common_opt(cli, &cli_cmd_store, ch, optarg)) >=
		    0)
			return code;
	}
	return -1;
}

/* Open url (creating and migrating it) under the project's root. */
static int
open_url(struct sg_store **out, const struct sg_config *cfg, const char *url)
{
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	int code = EXIT_OK;

	opts.root = cfg->root;
	if (sg_store_open(out, url, &opts, &err) < 0)
		code = cli_fail(&err);
	sg_error_release(&err);
	return code;
}

static int
store_migrate(struct cli *cli, int argc, char **argv)
{
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	unsigned latest;
	unsigned v;
	int code;

	if ((code = store_opts(cli, argc, argv)) >= 0)
		return code;
	if (argc - optind > 1)
		return cli_usage(&cli_cmd_store);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = open_url(&st, cfg,
		 optind < argc ? argv[optind] : cfg->store)) != EXIT_OK)
		goto out;
	v = sg_store_schema_version(st, &latest);
	if (cli->json) {
		printf("{");
		cli_json_field(stdout, true, "store", sg_store_location(st));
		printf(", \"schema_version\": %u, \"latest\": %u}\n", v, latest);
	} else if (cli->verbosity >= 0) {
		printf("store %s: schema version %u (the latest this specgate "
		       "knows: %u)\n",
		    sg_store_location(st), v, latest);
	}
out:
	sg_store_close(st);
	sg_config_free(cfg);
	return code;
}

static int
store_copy(struct cli *cli, int argc, char **argv)
{
	struct sg_store_copy_stats stats;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_store *src = NULL;
	struct sg_store *dst = NULL;
	int code;

	if ((code = store_opts(cli, argc, argv)) >= 0)
		return code;
	if (argc - optind != 2)
		return cli_usage(&cli_cmd_store);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = open_url(&src, cfg, argv[optind])) != EXIT_OK ||
	    (code = open_url(&dst, cfg, argv[optind + 1])) != EXIT_OK)
		goto out;
	if (sg_store_copy(&stats, dst, src, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (cli->json) {
		printf("{");
		cli_json_field(stdout, true, "from", sg_store_location(src));
		cli_json_field(stdout, false, "to", sg_store_location(dst));
		printf(", \"runs\": %" PRIu64 ", \"records\": %" PRIu64
		       ", \"documents\": %" PRIu64
		       ", \"head\": {\"seq\": %" PRIu64 ", \"hash\": \"%s\"}}\n",
		    stats.runs, stats.records, stats.documents, stats.head.seq,
		    stats.head.hash);
	} else if (cli->verbosity >= 0) {
		printf("copied %" PRIu64 " runs and %" PRIu64
		       " audit records (%" PRIu64 " bundle documents) from %s "
		       "to %s\n"
		       "head: %" PRIu64 " %s\n",
		    stats.runs, stats.records, stats.documents,
		    sg_store_location(src),
		    sg_store_location(dst), stats.head.seq, stats.head.hash);
	}
out:
	sg_store_close(dst);
	sg_store_close(src);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

static int
store_exec(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(&cli_cmd_store);
	if (!strcmp(argv[1], "migrate"))
		return store_migrate(cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "copy"))
		return store_copy(cli, argc - 1, argv + 1);
	cli_errorf("unknown store command '%s' (expected migrate or copy)",
	    argv[1]);
	return cli_usage(&cli_cmd_store);
}

const struct cli_cmd cli_cmd_store = {
	.name = "store",
	.usage = MIGRATE_USAGE "\n       specgate " COPY_USAGE,
	.summary = "bring a store's schema up to date, or copy its history",
	.help =
	    "store migrate applies the schema migrations the store (URL, or\n"
	    "the configured one: store:, SPECGATE_DATABASE_URL) lacks, and\n"
	    "prints the schema version it is at.  Every command migrates the\n"
	    "store it opens; this does it on purpose, before runners of a new\n"
	    "specgate start.  A store newer than this specgate is refused.\n"
	    "\n"
	    "store copy copies every run, resume claim, audit record and\n"
	    "stored bundle document (verify --store) of\n"
	    "the store FROM into the store TO, which must be empty, in one\n"
	    "transaction: sqlite:PATH to postgres://... or back.  The audit\n"
	    "trail is copied byte for byte: `audit verify` against TO passes\n"
	    "with the same head.  Prints what it copied and the head.\n"
	    "  --json        the result as JSON\n"
	    "\n"
	    "URLs are printed with their password masked.  Exit status: 0,\n"
	    "2 bad usage or a destination that is not empty, 5 a store that\n"
	    "cannot be reached, read or written, or is newer than this\n"
	    "specgate.\n",
	.exec = store_exec,
};
