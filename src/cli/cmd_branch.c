/* SPDX-License-Identifier: MIT */
/*
 * cmd_branch.c - `specgate branch`: claim (or find) the feature branch of
 * the project's spec, as the preflight stage of a run does, and optionally
 * commit files on it the way the generate and validate stages do.
 *
 * The work is libspecgate's (branch.h): this file computes the feature id
 * of the configured features directories, asks the store (when there is
 * one) whether the run named in a claim ref is still active, and prints
 * the outcome as "key: value" lines or, with --json, one object.
 *
 * Exit status: 0 when a branch was created or reused, and for a project
 * outside any git repository in sandbox (a warning); 1 when every
 * candidate is taken, or no repository in compliance (findings); 2 bad
 * usage or input; 5 git or I/O failure.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/branch.h"
#include "specgate/specset.h"
#include "util/util.h"

struct branch_args {
	const char *run_id;
	const char *commit; /* "generate", "auto-fix", or NULL */
	bool release;
	char **paths;
	size_t npaths;
};

static void
print_text(const struct sg_branch_claim *c,
    const struct sg_branch_commit_result *cr, bool committed)
{
	printf("status: %s\n", sg_branch_status_name(c->status));
	if (c->name[0])
		printf("branch: %s\n", c->name);
	if (c->tip[0])
		printf("tip: %s\n", c->tip);
	for (size_t i = 0; i < c->nskipped; i++)
		printf("skipped: %s: %s %s\n", c->skipped[i].name,
		    sg_branch_reason_name(c->skipped[i].reason),
		    c->skipped[i].reason == SG_BRANCH_HELD ?
			c->skipped[i].holder :
			c->skipped[i].commit);
	if (committed)
		printf("commit: %s%s\n", cr->commit,
		    cr->committed ? "" : " (nothing to commit)");
}

static void
print_json(const struct sg_branch_claim *c,
    const struct sg_branch_commit_result *cr, bool committed, bool finding)
{
	printf("{");
	cli_json_field(stdout, true, "status",
	    sg_branch_status_name(c->status));
	cli_json_field(stdout, false, "feature_id", c->feature_id);
	cli_json_field(stdout, false, "branch", c->name[0] ? c->name : NULL);
	printf(", \"variant\": %u", c->variant);
	cli_json_field(stdout, false, "tip", c->tip[0] ? c->tip : NULL);
	printf(", \"unborn\": %s, \"detached_head\": %s, \"finding\": %s",
	    c->unborn ? "true" : "false", c->detached ? "true" : "false",
	    finding ? "true" : "false");
	cli_json_field(stdout, false, "run_id",
	    c->run_id[0] ? c->run_id : NULL);
	cli_json_field(stdout, false, "repository", c->workdir);
	cli_json_field(stdout, false, "message", c->message);
	printf(", \"skipped\": [");
	for (size_t i = 0; i < c->nskipped; i++) {
		printf("%s{", i ? ", " : "");
		cli_json_field(stdout, true, "branch", c->skipped[i].name);
		cli_json_field(stdout, false, "reason",
		    sg_branch_reason_name(c->skipped[i].reason));
		cli_json_field(stdout, false, "commit",
		    c->skipped[i].commit[0] ? c->skipped[i].commit : NULL);
		cli_json_field(stdout, false, "held_by",
		    c->skipped[i].holder[0] ? c->skipped[i].holder : NULL);
		printf("}");
	}
	printf("]");
	if (committed) {
		cli_json_field(stdout, false, "commit", cr->commit);
		printf(", \"committed\": %s",
		    cr->committed ? "true" : "false");
	}
	printf("}\n");
}

static int
parse_args(struct branch_args *a, struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"run", required_argument, NULL, 'r'},
		{"release", no_argument, NULL, 'R'},
		{"commit", required_argument, NULL, 'C'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'r')
			a->run_id = optarg;
		else if (ch == 'R')
			a->release = true;
		else if (ch == 'C')
			a->commit = optarg;
		else if ((rc = cli_common_opt(cli, &cli_cmd_branch, ch,
			      optarg)) >= 0)
			return rc;
	}
	a->paths = argv + optind;
	a->npaths = (size_t)(argc - optind);
	if ((a->commit && strcmp(a->commit, "generate") &&
		strcmp(a->commit, "auto-fix")) ||
	    (a->npaths && !a->commit) || (a->release && !a->run_id))
		return cli_usage(&cli_cmd_branch);
	return -1;
}

static int
feature_id(char *out, const struct sg_config *cfg, struct sg_error *err)
{
	struct sg_specset *set = NULL;
	int error;

	error = sg_specset_collect(&set, cfg->root_rel,
	    (const char *const *)cfg->features.items, cfg->features.n, 0, err);
	if (!error)
		error = sg_specset_feature_id(out, set, err);
	sg_specset_free(set);
	return error;
}

/*
 * Commit a->paths, or without paths every change against the branch tip
 * except the evidence (the reports directory, .specgate).
 */
static int
commit(struct sg_branch_commit_result *out, const struct sg_branch_claim *c,
    const struct branch_args *a, const struct sg_config *cfg,
    struct sg_error *err)
{
	const char *const exclude[] = {cfg->reports, ".specgate"};
	enum sg_branch_commit_kind kind = !strcmp(a->commit, "auto-fix") ?
	    SG_BRANCH_COMMIT_AUTOFIX :
	    SG_BRANCH_COMMIT_GENERATE;
	char **changes = NULL;
	size_t n;
	int error;

	if (a->npaths)
		return sg_branch_commit(out, c, kind,
		    (const char *const *)a->paths, a->npaths, err);
	error = sg_branch_changes(&changes, &n, c, exclude,
	    SG_ARRAY_SIZE(exclude), err);
	if (!error)
		error = sg_branch_commit(out, c, kind,
		    (const char *const *)changes, n, err);
	sg_branch_paths_free(changes);
	return error;
}

static int
branch_exec(struct cli *cli, int argc, char **argv)
{
	struct sg_branch_options o = SG_BRANCH_OPTIONS_INIT;
	struct sg_branch_claim c = {0};
	struct sg_branch_commit_result cr = {0};
	struct branch_args a = {0};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	char id[SG_FEATURE_ID_LEN + 1];
	bool finding;
	int rc;

	if ((rc = parse_args(&a, cli, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (rc = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	if (feature_id(id, cfg, &err) < 0)
		goto fail;
	o.root = cfg->root;
	o.feature_id = id;
	o.run_id = a.run_id;
	o.mode = cfg->mode;
	if (st) {
		o.is_active = sg_branch_store_is_active;
		o.payload = st;
	}
	if (sg_branch_claim(&c, &o, &err) < 0)
		goto fail;
	if (a.commit && (c.status == SG_BRANCH_CREATED ||
			    c.status == SG_BRANCH_REUSED) &&
	    commit(&cr, &c, &a, cfg, &err) < 0)
		goto fail;
	if (a.release && sg_branch_release(&c, &err) < 0)
		goto fail;
	finding = sg_branch_finding(&c, cfg->mode);
	if (cli->json)
		print_json(&c, &cr, a.commit != NULL, finding);
	else
		print_text(&c, &cr, a.commit != NULL && c.name[0]);
	if (cli->verbosity >= 0 && (finding || c.status == SG_BRANCH_NO_REPO))
		fprintf(stderr, "specgate: %s: %s\n",
		    finding ? "error" : "warning", c.message);
	rc = finding ? EXIT_GATE : EXIT_OK;
	goto out;
fail:
	rc = cli_fail(&err);
out:
	sg_branch_claim_release(&c);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_branch = {
	.name = "branch",
	.usage = "branch [--json] [--run RUN [--release]] "
		 "[--commit generate|auto-fix [PATH...]]",
	.summary = "claim the feature branch of the spec; commit files on it",
	.help =
	    "Claims auto/spec-implementation/<feature-id> in the git\n"
	    "repository that holds the project, as a run's preflight does:\n"
	    "a new branch at HEAD's commit, or the branch of an earlier run\n"
	    "of the same spec.  A branch with commits specgate did not make\n"
	    "for this spec (no 'Specgate-Feature-Id: <id>' trailer), or one\n"
	    "that another active run holds, is taken: sandbox tries -v2 to\n"
	    "-v5, compliance stops.  The working tree, index and HEAD are\n"
	    "never changed.  See docs/internals/branch.md.\n"
	    "\n"
	    "  --run RUN     hold the branch for run RUN (a claim ref under\n"
	    "                refs/specgate/claims/), as `specgate run` does\n"
	    "  --release     drop RUN's claim afterwards\n"
	    "  --commit KIND commit the PATHs (relative to the project root;\n"
	    "                without PATH, every file that differs from the\n"
	    "                branch, the reports directory and .specgate left\n"
	    "                out) on the branch: 'generate' (feat(auto):\n"
	    "                implement spec <id>) or 'auto-fix' (auto-fix:\n"
	    "                minor issues)\n"
	    "  --json        print one JSON object\n"
	    "\n"
	    "Exit status: 0 claimed (or no repository, in sandbox: a\n"
	    "warning), 1 taken, or no repository in compliance, 2 bad usage\n"
	    "or spec, 5 git or I/O error.\n",
	.exec = branch_exec,
};
