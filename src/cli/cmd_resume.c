/* SPDX-License-Identifier: MIT */
/*
 * cmd_resume.c - `specgate resume RUN`: continue a compliance run that
 * stopped before deploy, once approvals.required distinct keys approved
 * it (specgate/approval.h).
 *
 * The waiting run's bundle is sealed and stays as it is.  The
 * continuation is a new run of the same feature (its own run id and
 * bundle): preflight checks the spec again (a changed spec fails deploy),
 * validate, generate and build are `skipped` ("--from deploy"), deploy
 * writes approvals.json (every approval, its exact signed bytes and its
 * signature) and then runs its commands, audit seals the bundle.  The
 * waiting run then takes the continuation's final status in the store.
 *
 * Exit status as `specgate run`; 3 while approvals are missing; 4 when a
 * stored approval does not verify; 2 for an unknown run or one that is not
 * awaiting approval.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/approval.h"
#include "specgate/run.h"
#include "specgate/sign.h"

/* Run the continuation and close the waiting run. */
static int
resume(struct cli *cli, struct sg_store *st, const struct sg_config *cfg,
    const struct sg_run *run, struct sg_approval_set *set)
{
	struct sg_run_options opts = SG_RUN_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_signer *signer = NULL;
	struct sg_run_outcome o;
	char *why = NULL;
	int cancel_fd = -1;
	int code;
	int error;

	memset(&o, 0, sizeof(o));
	if ((code = cli_run_prepare(&opts, &signer, &why, cli, cfg)) !=
	    EXIT_OK)
		goto out;
	/* The key that will sign the continuation approves nothing of it. */
	if (signer && sg_approval_check_signer(set, sg_signer_keyid(signer),
		&err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (sg_proc_cancel_open(&cancel_fd, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	opts.from = SG_STAGE_DEPLOY;
	opts.progress = cli_stage_line;
	opts.cancel_fd = cancel_fd;
	opts.payload = cli;
	opts.approvals = set;
	error = sg_run_execute(&o, st, &opts, &err);
	sg_proc_cancel_close();
	if (*o.run_id && cli->verbosity >= 0) {
		printf("run %s of feature %s (continues run %s): %s\n",
		    o.run_id, o.feature_id, run->run_id,
		    sg_run_status_name(o.status));
		if (o.published)
			printf("bundle: %s\n", o.bundle.path);
	}
	/* The store gave the waiting run the continuation's final status. */
	code = error ? cli_fail(&err) : EXIT_OK;
out:
	sg_run_outcome_release(&o);
	sg_signer_free(signer);
	free(why);
	sg_error_release(&err);
	return code;
}

static int
resume_exec(struct cli *cli, int argc, char **argv)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_approval_set set = {0};
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	struct sg_run *run = NULL;
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((rc = cli_common_opt(cli, &cli_cmd_resume, ch, optarg)) >=
		    0)
			return rc;
	if (argc - optind != 1)
		return cli_usage(&cli_cmd_resume);
	if ((rc = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (rc = cli_check_floor(cfg, NULL)) != EXIT_OK ||
	    (rc = cli_check_profile(cfg, NULL)) != EXIT_OK ||
	    (rc = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	if (sg_approval_find_run(&run, st, argv[optind], &err) < 0 ||
	    sg_approval_load(&set, cfg, run, &err) < 0)
		goto fail;
	if (run->mode_enum != cfg->mode) {
		cli_errorf("run %s is a %s run: resume it in mode %s "
			   "(--mode %s)",
		    run->run_id, run->mode, run->mode, run->mode);
		rc = EXIT_USAGE;
		goto out;
	}
	if (set.n < cfg->approvals_required) {
		cli_errorf("run %s of feature %s has %zu of the %u approvals "
			   "it needs (specgate approve %s --key KEY)",
		    run->run_id, run->feature_id, set.n,
		    cfg->approvals_required, run->run_id);
		rc = EXIT_WAIT;
		goto out;
	}
	/* Approved bytes are the deployed bytes: before any run exists. */
	if (sg_approval_check_artifacts(&set, cfg, run, &err) < 0)
		goto fail;
	rc = resume(cli, st, cfg, run, &set);
	goto out;
fail:
	rc = cli_fail(&err);
out:
	sg_approval_set_release(&set);
	sg_run_free(run);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_resume = {
	.name = "resume",
	.usage = "resume RUN",
	.summary = "continue an approved compliance run: deploy and audit",
	.help =
	    "Check every approval of run RUN again (signature, listed key,\n"
	    "run, feature and the waiting bundle's manifest SHA-256) and,\n"
	    "once approvals.required distinct keys approved it, run the\n"
	    "continuation: a new run of the same feature whose deploy stage\n"
	    "writes approvals.json and runs the deploy commands, and whose\n"
	    "audit stage publishes its bundle.  RUN then takes the\n"
	    "continuation's final status.\n"
	    "\n"
	    "Exit status: as 'specgate run'; 3 while approvals are missing;\n"
	    "4 when a stored approval does not verify; 2 for an unknown run\n"
	    "or one that is not awaiting approval.\n",
	.exec = resume_exec,
};
