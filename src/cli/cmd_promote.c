/* SPDX-License-Identifier: MIT */
/*
 * cmd_promote.c - `specgate promote RUN --to ENV`: deploy exactly the
 * artifacts of a run that succeeded into one of the environments of
 * specgate.yaml, in their order (docs/deploy.md, "Environments and
 * promotion").
 *
 * sg_promote_check() decides whether RUN may go to ENV (an environment
 * of the config; RUN succeeded; its mode and the promotion's reach ENV's
 * min_mode; RUN reached the environment before ENV; RUN carries ENV's
 * approvals).  The promotion is then a new run of the same feature, as a
 * continuation is: preflight checks the spec again (a changed spec fails
 * deploy), validate, generate and build are `skipped` ("--from deploy"),
 * deploy uses ENV's target and health URL over stages.deploy's and
 * deploys the artifacts of RUN's bundle, and deploy.json names the
 * environment and RUN.  A promotion that succeeded is recorded for the
 * next environment's check.
 *
 * Exit status as `specgate run`; 1 when a rule refuses the promotion;
 * 2 for an unknown environment or run; 4 when a bundle file differs from
 * its manifest.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/run.h"
#include "specgate/sign.h"
#include "util/util.h"

/*
 * The deploy stage as env has it: its target ("commands": none) and its
 * health URL over stages.deploy's.  EXIT_USAGE when the target lacks
 * what it needs, or nothing would be deployed.
 */
static int
apply_env(struct sg_config *cfg, const struct sg_environment *e)
{
	struct sg_stage_config *sc = &cfg->stages[SG_STAGE_DEPLOY];

	if (e->target) {
		free(sc->target);
		sc->target = strcmp(e->target, "commands") ?
		    sg_xstrdup(e->target) : NULL;
	}
	if (e->health_url) {
		free(sc->health_url);
		sc->health_url = sg_xstrdup(e->health_url);
	}
	if (sc->target && !strcmp(sc->target, "local") && !sc->start) {
		cli_errorf("environment %s (%s) uses the local target: "
			   "stages.deploy.start must say how to start a "
			   "release", e->name, e->origin);
		return EXIT_USAGE;
	}
	if (sc->target && !strcmp(sc->target, "kubernetes") && !sc->image) {
		cli_errorf("environment %s (%s) uses the kubernetes target: "
			   "stages.deploy.image must name the container image",
		    e->name, e->origin);
		return EXIT_USAGE;
	}
	if (!sc->target && !sc->run.n) {
		cli_errorf("environment %s (%s) deploys nothing: no target "
			   "and no stages.deploy.run commands",
		    e->name, e->origin);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int
promote(struct cli *cli, struct sg_store *st, const struct sg_config *cfg,
    const struct sg_promotion *p)
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
	if (sg_proc_cancel_open(&cancel_fd, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	opts.from = SG_STAGE_DEPLOY;
	opts.progress = cli_stage_line;
	opts.cancel_fd = cancel_fd;
	opts.payload = cli;
	opts.promote = p;
	error = sg_run_execute(&o, st, &opts, &err);
	sg_proc_cancel_close();
	if (!error && (o.status == SG_RUN_SUCCESS ||
	    o.status == SG_RUN_WARNING) &&
	    sg_promote_record(cfg, p, o.run_id, &err) < 0)
		error = -1;
	if (*o.run_id && cli->verbosity >= 0) {
		printf("run %s of feature %s (promotes run %s to %s): %s\n",
		    o.run_id, o.feature_id, p->run_id, p->env->name,
		    sg_run_status_name(o.status));
		if (o.published)
			printf("bundle: %s\n", o.bundle.path);
	}
	code = error ? cli_fail(&err) : EXIT_OK;
out:
	sg_run_outcome_release(&o);
	sg_signer_free(signer);
	free(why);
	sg_error_release(&err);
	return code;
}

static int
promote_exec(struct cli *cli, int argc, char **argv)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_promotion p;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	const char *env = NULL;
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"to", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 't') {
			env = optarg;
			continue;
		}
		if ((rc = cli_common_opt(cli, &cli_cmd_promote, ch, optarg)) >=
		    0)
			return rc;
	}
	if (argc - optind != 1 || !env)
		return cli_usage(&cli_cmd_promote);
	if ((rc = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (rc = cli_check_floor(cfg, NULL)) != EXIT_OK ||
	    (rc = cli_check_profile(cfg, NULL)) != EXIT_OK ||
	    (rc = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	if (sg_promote_check(&p, st, cfg, argv[optind], env, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if ((rc = apply_env(cfg, p.env)) != EXIT_OK)
		goto out;
	rc = promote(cli, st, cfg, &p);
out:
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_promote = {
	.name = "promote",
	.usage = "promote RUN --to ENV",
	.summary = "deploy a run that succeeded into the next environment",
	.help =
	    "Deploy exactly the artifacts of run RUN (from its bundle, each\n"
	    "checked against its manifest) into environment ENV of\n"
	    "specgate.yaml's environments:, with ENV's target and health URL.\n"
	    "RUN must have succeeded, in a mode at least ENV's min_mode, and,\n"
	    "unless ENV is the first environment, have been promoted with\n"
	    "success to the environment before ENV; it must carry ENV's\n"
	    "approvals (promote the continuation of an approved compliance\n"
	    "run).  The promotion is a new run of the same feature whose\n"
	    "deploy.json names the environment and RUN.\n"
	    "\n"
	    "Exit status: as 'specgate run'; 1 when a rule refuses the\n"
	    "promotion; 2 for an unknown environment or run; 4 when a bundle\n"
	    "file differs from its manifest.\n",
	.exec = promote_exec,
};
