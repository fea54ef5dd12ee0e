/* SPDX-License-Identifier: MIT */
/*
 * cmd_audit.c - `specgate audit log` and `specgate audit verify`.
 *
 * log prints the checkpoint lines of the audit trail, oldest first, in
 * the format of checkpoints.log (docs/product.md §6.2), filtered by
 * feature, run, stage and status; --json prints the records with their
 * sequence numbers and hashes.
 *
 * verify checks the trail and every bundle (sg_evidence_verify()) and
 * prints one problem a line, the trail's first bad record first:
 *
 *	audit trail: error: audit record 7 was edited: ...; the first bundle
 *	    whose manifest disagrees: reports/005cc0262265/20250924140440 ...
 *	reports/.../checkpoints.log: error: 'checkpoints.log' has SHA-256 ...
 *
 * then a summary.  Exit 0 when everything checks out, 4 when not, 5 when
 * the store or a file could not be read.
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "specgate/audit.h"

#define LOG_USAGE                                                              \
	"audit log [--feature ID] [--run RUN] [--stage S] [--status S]"

struct log_state {
	bool json;
	size_t n;
};

static int
log_cb(const struct sg_audit_record *r, void *payload)
{
	struct log_state *s = payload;
	char line[SG_AUDIT_LINE_SIZE];

	if (!s->json) {
		sg_audit_format_line(line, sizeof(line), r);
		printf("%s\n", line);
		s->n++;
		return 0;
	}
	printf("%s{\"seq\": %" PRIu64, s->n++ ? ",\n " : "", r->seq);
	cli_json_field(stdout, false, "timestamp", r->timestamp);
	cli_json_field(stdout, false, "run_id", r->run_id);
	cli_json_field(stdout, false, "feature_id", r->feature_id);
	cli_json_field(stdout, false, "stage", r->stage);
	cli_json_field(stdout, false, "status", r->status);
	cli_json_field(stdout, false, "output", r->output);
	cli_json_field(stdout, false, "output_sha256",
	    *r->output_sha256 ? r->output_sha256 : NULL);
	cli_json_field(stdout, false, "mode", r->mode);
	cli_json_field(stdout, false, "prev_hash", r->prev_hash);
	cli_json_field(stdout, false, "hash", r->hash);
	printf("}");
	return 0;
}

static int
check_word(const char *what, const char *v, bool (*ok)(const char *))
{
	if (v && !ok(v)) {
		cli_errorf("unknown %s '%s'", what, v);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int
audit_log(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"feature", required_argument, NULL, 'F'},
		{"run", required_argument, NULL, 'R'},
		{"stage", required_argument, NULL, 'S'},
		{"status", required_argument, NULL, 'T'},
		{NULL, 0, NULL, 0},
	};
	struct sg_audit_filter f = SG_AUDIT_FILTER_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	struct log_state s = {cli->json, 0};
	int code;
	int ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			f.feature_id = optarg;
			continue;
		case 'R':
			f.run_id = optarg;
			continue;
		case 'S':
			f.stage = optarg;
			continue;
		case 'T':
			f.status = optarg;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_audit, ch, optarg)) >=
		    0)
			return code;
	}
	s.json = cli->json;
	if (optind < argc)
		return cli_usage(&cli_cmd_audit);
	if ((code = check_word("stage", f.stage, sg_audit_stage_is_valid)) ||
	    (code = check_word("status", f.status, sg_audit_status_is_valid)))
		return code;
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	if (s.json)
		printf("[");
	if (st && sg_audit_foreach(st, &f, log_cb, &s, &err) < 0) {
		if (s.json)
			printf("]\n");
		code = cli_fail(&err);
		goto out;
	}
	if (s.json)
		printf("]\n");
	code = EXIT_OK;
out:
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

static void
print_report_json(const struct sg_evidence_report *r)
{
	printf("{\"ok\": %s, \"records\": %" PRIu64 ", \"head\": {\"seq\": "
	       "%" PRIu64,
	    r->nproblems ? "false" : "true", r->records, r->head.seq);
	cli_json_field(stdout, false, "hash", r->head.hash);
	printf("}, \"bundles\": %zu, \"pending\": %zu, \"files\": %zu, "
	       "\"problems\": [",
	    r->bundles, r->pending, r->files);
	for (size_t i = 0; i < r->nproblems; i++) {
		printf("%s{", i ? ", " : "");
		cli_json_field(stdout, true, "where", r->problems[i].where);
		cli_json_field(stdout, false, "message",
		    r->problems[i].message);
		printf(", \"seq\": %" PRIu64 "}", r->problems[i].seq);
	}
	printf("], \"notes\": [");
	for (size_t i = 0; i < r->nnotes; i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, r->notes[i]);
	}
	printf("]}\n");
}

static void
print_report(const struct cli *cli, const struct sg_evidence_report *r)
{
	for (size_t i = 0; i < r->nproblems; i++)
		printf("%s: error: %s\n", r->problems[i].where,
		    r->problems[i].message);
	if (cli->verbosity < 0)
		return;
	for (size_t i = 0; i < r->nnotes; i++)
		printf("note: %s\n", r->notes[i]);
	printf("audit trail: %" PRIu64 " records, head %" PRIu64 " %.12s; "
	       "%zu bundle%s (%zu pending), %zu files: %s\n",
	    r->records, r->head.seq, r->head.hash, r->bundles,
	    r->bundles == 1 ? "" : "s", r->pending, r->files,
	    r->nproblems ? "VERIFICATION FAILED" : "ok");
}

int
cli_verify_verdict(const struct cli *cli, const struct sg_evidence_report *r,
    int error, const struct sg_error *err)
{
	if (error && error != SG_EVERIFY)
		return cli_fail(err);
	if (cli->json)
		print_report_json(r);
	else
		print_report(cli, r);
	return error ? EXIT_VERIFY : EXIT_OK;
}

static int
audit_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"incremental", no_argument, NULL, 'I'},
		{NULL, 0, NULL, 0},
	};
	struct sg_evidence_options eo;
	struct sg_evidence_report r;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	struct sg_audit_head from;
	bool incremental = false;
	bool found = false;
	int error;
	int code;
	int ch;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'I') {
			incremental = true;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_audit, ch, optarg)) >=
		    0)
			return code;
	}
	if (optind < argc)
		return cli_usage(&cli_cmd_audit);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	cli_evidence_options(&eo, cfg);
	if (incremental && st &&
	    sg_store_verified_head(st, &from, &found, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	error = sg_evidence_verify_from(&r, &eo, st, found ? &from : NULL,
	    &err);
	/*
	 * The head a good verification reached is what the next
	 * incremental one starts from.  Failing to record it does not make
	 * this verification wrong: a warning, and the next one is longer.
	 */
	if (!error && st && r.head.seq &&
	    sg_store_verified_head_record(st, &r.head, found, &mine) < 0)
		cli_warnf("cannot record the verified head: %s", mine.message);
	code = cli_verify_verdict(cli, &r, error, &err);
out:
	sg_error_release(&mine);
	sg_evidence_report_release(&r);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

static int
audit_exec(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(&cli_cmd_audit);
	if (!strcmp(argv[1], "log"))
		return audit_log(cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return audit_verify(cli, argc - 1, argv + 1);
	cli_errorf("unknown audit command '%s' (expected log or verify)",
	    argv[1]);
	return cli_usage(&cli_cmd_audit);
}

const struct cli_cmd cli_cmd_audit = {
	.name = "audit",
	.usage = LOG_USAGE "\n       specgate audit verify [--incremental]",
	.summary = "print the audit trail, or verify it and every bundle",
	.help =
	    "audit log prints the checkpoints of the audit trail, oldest\n"
	    "first, one a line as in checkpoints.log:\n"
	    "  TIMESTAMP | RUN | FEATURE | STAGE | STATUS | OUTPUT\n"
	    "  --feature ID  --run RUN  --stage S  --status S   filter\n"
	    "  --json        the records, with their seq, prev_hash and hash\n"
	    "\n"
	    "audit verify recomputes the hash chain of the trail and checks\n"
	    "it against the head every bundle's manifest recorded, and checks\n"
	    "every bundle (active and archived): its manifest is the one its\n"
	    "audit record sealed, every file matches the manifest's size and\n"
	    "SHA-256, nothing is missing or added, checkpoints.log matches\n"
	    "the trail.  Prints each problem, the first bad audit record\n"
	    "first, naming the bundle whose manifest disagrees.  A good\n"
	    "verification records the head it reached in the store.\n"
	    "  --incremental start from the head the last good verification\n"
	    "                recorded: check that it is still in the trail,\n"
	    "                then only the records after it and the bundles\n"
	    "                of their runs (all of it when none is recorded)\n"
	    "  --json        the verdict as JSON\n"
	    "\n"
	    "Exit status: 0, 2 bad usage, 4 verification failed, 5 the store\n"
	    "or a file could not be read.\n",
	.exec = audit_exec,
};
