/* SPDX-License-Identifier: MIT */
/*
 * cmd_runs.c - `specgate runs [RUN]`: the runs in the store, newest first,
 * or one run with its checkpoints (from the audit trail) and its files
 * (from its bundle's manifest).
 *
 * RUN is a run id, or FEATURE/RUN when several features have a run with
 * that id (the store says so, exit 2).  Where the bundle is comes from the
 * reports tree, not the store: runs move to the archive long after the
 * store recorded them.
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/audit.h"

static const char *const where_names[] = {
	[SG_BUNDLE_NONE] = "none",
	[SG_BUNDLE_ACTIVE] = "active",
	[SG_BUNDLE_ARCHIVED] = "archived",
	[SG_BUNDLE_PENDING] = "pending",
};

struct list_state {
	const struct cli *cli;
	const struct sg_evidence_options *eo;
	size_t n;
	int error;
	struct sg_error *err;
};

static int
list_cb(const struct sg_run *run, void *payload)
{
	struct list_state *s = payload;
	enum sg_bundle_where where;
	char *path = NULL;

	if (sg_evidence_locate(&path, &where, s->eo, run->feature_id,
		run->run_id, run->bundle, s->err) < 0)
		return -1;
	if (s->cli->json) {
		printf("%s{", s->n ? ",\n " : "");
		cli_json_field(stdout, true, "run_id", run->run_id);
		cli_json_field(stdout, false, "feature_id", run->feature_id);
		cli_json_field(stdout, false, "mode", run->mode);
		cli_json_field(stdout, false, "status", run->status);
		cli_json_field(stdout, false, "started_at", run->started_at);
		cli_json_field(stdout, false, "finished_at", run->finished_at);
		cli_json_field(stdout, false, "bundle", path);
		cli_json_field(stdout, false, "where", where_names[where]);
		cli_json_field(stdout, false, "continues", run->continues);
		cli_json_field(stdout, false, "continued_by",
		    run->continued_by);
		printf("}");
	} else {
		/* STATUS as wide as the longest word, awaiting_approval */
		if (!s->n)
			printf("%-18s %-12s %-10s %-17s %-20s %s\n", "RUN",
			    "FEATURE", "MODE", "STATUS", "STARTED", "BUNDLE");
		printf("%-18s %-12s %-10s %-17s %-20s %s%s%s%s%s%s%s\n",
		    run->run_id, run->feature_id, run->mode, run->status,
		    run->started_at, path ? path : "-",
		    where == SG_BUNDLE_ARCHIVED ? " (archived)" : "",
		    where == SG_BUNDLE_PENDING ? " (staging)" : "",
		    run->continues ? "  continues " : "",
		    run->continues ? run->continues : "",
		    run->continued_by ? "  continued by " : "",
		    run->continued_by ? run->continued_by : "");
	}
	s->n++;
	free(path);
	return 0;
}

static int
list_runs(struct cli *cli, struct sg_store *st,
    const struct sg_evidence_options *eo)
{
	struct sg_error err = SG_ERROR_INIT;
	struct list_state s = {cli, eo, 0, 0, &err};
	int code = EXIT_OK;

	if (cli->json)
		printf("[");
	if (st && sg_store_run_list(st, NULL, list_cb, &s, &err) < 0)
		code = cli_fail(&err);
	if (cli->json)
		printf("]\n");
	else if (!s.n && code == EXIT_OK && cli->verbosity >= 0)
		printf("no runs yet\n");
	sg_error_release(&err);
	return code;
}

/* One checkpoint of the run: a line, or a JSON object. */
struct show_state {
	bool json;
	size_t n;
};

static int
checkpoint_cb(const struct sg_audit_record *r, void *payload)
{
	struct show_state *s = payload;
	char line[SG_AUDIT_LINE_SIZE];

	if (!s->json) {
		sg_audit_format_line(line, sizeof(line), r);
		printf("  %s\n", line);
	} else {
		printf("%s{\"seq\": %" PRIu64, s->n ? ", " : "", r->seq);
		cli_json_field(stdout, false, "timestamp", r->timestamp);
		cli_json_field(stdout, false, "stage", r->stage);
		cli_json_field(stdout, false, "status", r->status);
		cli_json_field(stdout, false, "output", r->output);
		cli_json_field(stdout, false, "hash", r->hash);
		printf("}");
	}
	s->n++;
	return 0;
}

static void
print_files(const struct sg_manifest *m)
{
	printf("files:\n");
	for (size_t i = 0; i < m->nfiles; i++)
		printf("  %-32s %10" PRIu64 "  %s%s%s\n", m->files[i].path,
		    m->files[i].size, m->files[i].sha256,
		    m->files[i].is_link ? " -> " : "",
		    m->files[i].is_link ? m->files[i].target : "");
}

static int
show_run(struct cli *cli, struct sg_store *st,
    const struct sg_evidence_options *eo, const char *arg)
{
	struct sg_audit_filter f = SG_AUDIT_FILTER_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct show_state ss = {cli->json, 0};
	enum sg_bundle_where where = SG_BUNDLE_NONE;
	struct sg_manifest m;
	struct sg_run *run = NULL;
	const char *slash = strchr(arg, '/');
	char *fid = slash ? strndup(arg, (size_t)(slash - arg)) : NULL;
	char *manifest = NULL;
	char *path = NULL;
	int code = EXIT_OK;

	memset(&m, 0, sizeof(m));
	if (!st) {
		cli_errorf("no run '%s': nothing has run yet", arg);
		code = EXIT_USAGE;
		goto out;
	}
	if (sg_store_run_get(&run, st, fid, slash ? slash + 1 : arg,
		&err) < 0 ||
	    sg_evidence_locate(&path, &where, eo, run->feature_id,
		run->run_id, run->bundle, &err) < 0)
		goto fail;
	if (path && sg_evidence_read_manifest(&manifest, path, &err) == 0)
		sg_manifest_parse(&m, manifest, strlen(manifest), NULL);
	sg_error_release(&err);
	f.feature_id = run->feature_id;
	f.run_id = run->run_id;
	if (cli->json) {
		printf("{\"run\": {");
		cli_json_field(stdout, true, "run_id", run->run_id);
		cli_json_field(stdout, false, "feature_id", run->feature_id);
		cli_json_field(stdout, false, "mode", run->mode);
		cli_json_field(stdout, false, "status", run->status);
		cli_json_field(stdout, false, "started_at", run->started_at);
		cli_json_field(stdout, false, "finished_at", run->finished_at);
		cli_json_field(stdout, false, "continues", run->continues);
		cli_json_field(stdout, false, "continued_by",
		    run->continued_by);
		printf("}");
		cli_json_field(stdout, false, "bundle", path);
		cli_json_field(stdout, false, "where", where_names[where]);
		printf(", \"checkpoints\": [");
	} else {
		printf("run %s of feature %s\nmode: %s\nstatus: %s\n"
		       "started: %s\nfinished: %s\nbundle: %s%s%s%s\n"
		       "checkpoints:\n",
		    run->run_id, run->feature_id, run->mode, run->status,
		    run->started_at, run->finished_at ? run->finished_at : "-",
		    path ? path : "-", path ? " (" : "",
		    path ? where_names[where] : "", path ? ")" : "");
		if (run->continues)
			printf("continues: %s\n", run->continues);
		if (run->continued_by)
			printf("continued by: %s\n", run->continued_by);
	}
	if (sg_audit_foreach(st, &f, checkpoint_cb, &ss, &err) < 0)
		goto fail;
	if (cli->json)
		printf("], \"manifest\": %s}\n", manifest ? manifest : "null");
	else if (m.nfiles)
		print_files(&m);
	goto out;
fail:
	if (cli->json && ss.n)
		printf("]}\n");
	code = cli_fail(&err);
out:
	sg_manifest_release(&m);
	free(manifest);
	free(path);
	free(fid);
	sg_run_free(run);
	sg_error_release(&err);
	return code;
}

static int
runs_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_evidence_options eo;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((code = cli_common_opt(cli, &cli_cmd_runs, ch, optarg)) >=
		    0)
			return code;
	if (argc - optind > 1)
		return cli_usage(&cli_cmd_runs);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	cli_evidence_options(&eo, cfg);
	if (optind < argc)
		code = show_run(cli, st, &eo, argv[optind]);
	else
		code = list_runs(cli, st, &eo);
out:
	sg_store_close(st);
	sg_config_free(cfg);
	return code;
}

const struct cli_cmd cli_cmd_runs = {
	.name = "runs",
	.usage = "runs [RUN]",
	.summary = "list the runs, newest first, or show one",
	.help =
	    "Without RUN, list every run in the store, newest first: run id,\n"
	    "feature id, mode, status, start time and where its bundle is\n"
	    "(reports/<feature-id>/<run-id>, or in reports/archive/).\n"
	    "With RUN (a run id, or FEATURE/RUN when the id is ambiguous),\n"
	    "show that run: its status and times, its checkpoints from the\n"
	    "audit trail, and the files its bundle's manifest lists.\n"
	    "\n"
	    "  --json   print JSON (one run: with its manifest)\n"
	    "\n"
	    "Exit status: 0, 2 for an unknown or ambiguous RUN, 5 when the\n"
	    "store cannot be read.\n",
	.exec = runs_exec,
};
