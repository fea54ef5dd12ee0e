/* SPDX-License-Identifier: MIT */
/*
 * links.c - the in-toto link of each stage, from what the stage did
 * (struct sg_stage_result), written just before the audit stage publishes
 * so that a stage that stopped, failed or was skipped still has its link:
 * in-toto-verify wants one per step of the layout.
 *
 *	materials	preflight: the spec files; later stages: none (their
 *			inputs are the project's sources, which no layout
 *			rule names yet; docs/decisions.md)
 *	products	the bundle files the stage wrote (its log, its
 *			report) and, for build, its declared artifacts, the
 *			only ones root.layout allows (src/lib/intoto/layout.c)
 *	command		the commands of the last attempt (the one whose
 *			products these are), each as /bin/sh -c CMD, masked:
 *			what root.layout's expected_command says for a
 *			stage that ran all its commands
 *	byproducts	the last command's return value (128 + signal when
 *			one ended it, -1 when it could not start) and the
 *			tails of its output, already redacted
 *	environment	status and detail of the stage's last checkpoint
 *			(mode, feature id and run id are the bundle's)
 */
#include "run/run_int.h"

#include <stdio.h>
#include <string.h>

#include "specgate/intoto.h"
#include "util/util.h"

static int
retval(const struct sg_proc_result *r)
{
	if (r->exec_failed)
		return -1;
	if (r->signal)
		return 128 + r->signal;
	return r->exit_code;
}

static int
stage_link(struct sg_run__ctx *c, enum sg_stage_id s, struct sg_error *err)
{
	const struct sg_stage_result *r = &c->out->stages[s];
	const struct sg_validation *v = c->out->validation;
	struct sg_intoto_link *l = NULL;
	int error = 0;

	sg_intoto_link_new(&l, sg_stage_name(s));
	for (size_t i = 0; s == SG_STAGE_PREFLIGHT && i < v->nfiles; i++)
		if ((error = sg_intoto_link_material(l, v->files[i].path,
			 v->files[i].sha256, err)) < 0)
			goto out;
	for (size_t i = 0; i < r->nfiles; i++)
		if ((error = sg_intoto_link_product(l, r->files[i],
			 r->files_sha256[i], err)) < 0)
			goto out;
	for (size_t i = 0; s == SG_STAGE_BUILD && i < r->nartifacts; i++)
		if ((error = sg_intoto_link_product(l, r->artifacts[i].path,
			 r->artifacts[i].sha256, err)) < 0)
			goto out;
	for (size_t i = 0; i < r->ncommands; i++) {
		const char *argv[3] = {"/bin/sh", "-c", r->commands[i].command};

		if (r->commands[i].attempt && r->commands[i].attempt ==
		    r->attempts)
			sg_intoto_link_command(l, argv, 3);
	}
	if (r->ncommands) {
		char n[16];

		snprintf(n, sizeof(n), "%u", r->attempts);
		sg_intoto_link_env(l, "attempts", n);
	}
	if (r->ncommands) {
		const struct sg_run_command *last = &r->commands[r->ncommands - 1];

		sg_intoto_link_byproducts(l, retval(&last->result),
		    last->stdout_tail,
		    last->stdout_tail ? strlen(last->stdout_tail) : 0,
		    last->stderr_tail,
		    last->stderr_tail ? strlen(last->stderr_tail) : 0);
	} else if (s == SG_STAGE_PREFLIGHT) {
		sg_intoto_link_byproducts(l, v->result.nerrors ? 1 : 0, NULL, 0,
		    NULL, 0);
	}
	sg_intoto_link_env(l, "status", r->status ? r->status : "skipped");
	if (r->detail)
		sg_intoto_link_env(l, "detail", r->detail);
	error = sg_bundle_write_link(c->b, l, err);
out:
	sg_intoto_link_free(l);
	return error;
}

int
sg_run__links(struct sg_run__ctx *c, struct sg_error *err)
{
	int error = 0;

	if (!sg_bundle_is_signed(c->b))
		return 0;
	for (int s = SG_STAGE_PREFLIGHT; s < SG_STAGE_AUDIT && !error; s++)
		error = stage_link(c, (enum sg_stage_id)s, err);
	return error;
}
