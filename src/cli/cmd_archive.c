/* SPDX-License-Identifier: MIT */
/*
 * cmd_archive.c - `specgate archive`: retention on demand.
 *
 * First the runs whose process died are finished (sg_evidence_reconcile():
 * a sealed bundle left in staging is published, an unsealed one closed as
 * cancelled), then every feature keeps its retention.active_runs newest
 * runs and the older ones move to reports/archive/YYYYMMDD/<fid>/<run-id>/
 * (sg_evidence_archive()).  Nothing is deleted.  Prints one line per thing
 * done; --json prints {"reconciled": [...], "archived": [...]}.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct notes {
	char **v;
	size_t n;
};

static void
collect(const char *feature_id, const char *run_id, const char *what,
    void *payload)
{
	struct notes *ns = payload;
	size_t len = strlen(feature_id) + strlen(run_id) + strlen(what) + 32;
	char *s = malloc(len);
	char **v;

	v = realloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	if (!s || !v) {
		free(s);
		if (v)
			ns->v = v;
		return;
	}
	ns->v = v;
	if (!strcmp(run_id, "-"))
		snprintf(s, len, "feature %s: %s", feature_id, what);
	else
		snprintf(s, len, "run %s of feature %s: %s", run_id,
		    feature_id, what);
	ns->v[ns->n++] = s;
}

static void
print_notes(const char *key, const struct notes *ns, bool last)
{
	printf("\"%s\": [", key);
	for (size_t i = 0; i < ns->n; i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, ns->v[i]);
	}
	printf("]%s", last ? "" : ", ");
}

static void
free_notes(struct notes *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int
archive_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_evidence_options eo;
	struct sg_error err = SG_ERROR_INIT;
	struct notes reconciled = {NULL, 0};
	struct notes archived = {NULL, 0};
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((code = cli_common_opt(cli, &cli_cmd_archive, ch,
			 optarg)) >= 0)
			return code;
	if (optind < argc)
		return cli_usage(&cli_cmd_archive);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	cli_evidence_options(&eo, cfg);
	if ((st && sg_evidence_reconcile(&eo, NULL, st, collect, &reconciled,
		       &err) < 0) ||
	    sg_evidence_archive(&eo, NULL, collect, &archived, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (cli->json) {
		printf("{");
		print_notes("reconciled", &reconciled, false);
		print_notes("archived", &archived, true);
		printf("}\n");
	} else if (cli->verbosity >= 0) {
		for (size_t i = 0; i < reconciled.n; i++)
			printf("%s\n", reconciled.v[i]);
		for (size_t i = 0; i < archived.n; i++)
			printf("%s\n", archived.v[i]);
		printf("%zu run%s archived, %zu reconciled (keeping %u run%s "
		       "per feature)\n",
		    archived.n, archived.n == 1 ? "" : "s", reconciled.n,
		    cfg->active_runs, cfg->active_runs == 1 ? "" : "s");
	}
	code = EXIT_OK;
out:
	free_notes(&reconciled);
	free_notes(&archived);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_archive = {
	.name = "archive",
	.usage = "archive",
	.summary = "apply retention now: move old runs to reports/archive/",
	.help =
	    "Finish the runs whose process died (a bundle that was sealed in\n"
	    "the audit trail is renamed into place; an unsealed one is\n"
	    "closed as cancelled), then keep the retention.active_runs newest\n"
	    "runs of each feature and move the older ones to\n"
	    "reports/archive/YYYYMMDD/<feature-id>/<run-id>/, YYYYMMDD being\n"
	    "the run's own date.  Nothing is deleted; 'latest' always names a\n"
	    "run that stays.  The audit stage of every run does the same for\n"
	    "its feature.\n"
	    "\n"
	    "  --json   print {\"reconciled\": [...], \"archived\": [...]}\n"
	    "\n"
	    "Exit status: 0, 5 when a move or the store failed.\n",
	.exec = archive_exec,
};
