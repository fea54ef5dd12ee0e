/* SPDX-License-Identifier: MIT */
/*
 * layout.c - the in-toto layout of specgate's pipeline (sg_intoto_layout()).
 *
 * One step per stage, in order, all with the signer's key as functionary
 * (threshold 1).  The rules chain the stages' outputs:
 *
 *	preflight  materials  ALLOW <features dir>/ *, DISALLOW *
 *		   products   ALLOW its outputs, DISALLOW *
 *	validate .. deploy
 *		   materials  MATCH * WITH PRODUCTS FROM each earlier step,
 *			      ALLOW <features dir>/ *, DISALLOW *
 *		   products   ALLOW its outputs (and, for build, the declared
 *			      artifacts), DISALLOW *
 *	audit	   materials  MATCH * WITH PRODUCTS FROM each earlier
 *			      step, DISALLOW *
 *		   products   ALLOW checkpoints.log, manifest.json, *.sig,
 *			      provenance.intoto.json, DISALLOW *
 *
 * and an inspection, "bundle", run by in-toto-verify in the bundle
 * directory, records every file there and MATCHes each against the step
 * that produced it; root.layout itself is allowed, anything else is
 * DISALLOWed.  So a changed byte in any file that a link names fails the
 * MATCH and then the DISALLOW; a changed link fails its signature.  The
 * inspection's command is `true`: it only has to exist, in-toto records
 * the files around it.  (in-toto leaves out *.link* files when recording,
 * so links/ is not an artifact of itself.)
 *
 * A stage that did not run has an empty link (status skipped in its
 * environment): its rules hold trivially, and the layout is the same for
 * every run of the project.
 *
 * expected_command: ["/bin/sh", "-c", CMD] for each of the stage's
 * configured commands, URLs masked (sg_url_mask()) as the runner masks
 * them; a run's link records its last attempt's commands the same way
 * (src/lib/run/links.c), so in-toto-verify's command alignment holds for
 * a stage that ran all its commands (and warns, truthfully, for one that
 * was skipped or stopped early).
 */
#include "intoto/intoto_int.h"

#include <string.h>

#include "specgate/config.h"
#include "util/utctime.h"

/* The files each stage writes into the bundle (docs/product.md §5.2). */
static const char *const outputs[SG_STAGE_COUNT][10] = {
	{"spec-validation-report.json", "logs/preflight.log", NULL},
	{"spec-coverage.json", "sast-summary.json", "logs/validate.log",
	    "logs/validate-rollback.log", NULL},
	{"generated-files.json", "logs/generate.log",
	    "logs/generate-rollback.log", NULL},
	{"sbom.cyclonedx.json", "logs/build.log", "logs/build-rollback.log",
	    NULL},
	{"deploy.json", "logs/deploy.log", "logs/deploy-rollback.log",
	    "approvals.json", NULL},
	{"checkpoints.log", "manifest.json", "provenance.intoto.json",
	    "resource-estimates.json", "artifacts.json", "report.md",
	    "report.html", "*.sig", NULL},
};

static json_t *
rule2(const char *verb, const char *pattern)
{
	return json_pack("[s, s]", verb, pattern);
}

static json_t *
match_from(const char *step)
{
	return json_pack("[s, s, s, s, s, s]", "MATCH", "*", "WITH",
	    "PRODUCTS", "FROM", step);
}

static void
allow_features(json_t *rules, const struct sg_intoto_layout_options *o)
{
	for (size_t i = 0; i < o->nfeatures; i++) {
		char *p = sg_xasprintf("%s/*", o->features[i]);

		json_array_append_new(rules, rule2("ALLOW", p));
		free(p);
	}
}

static json_t *
step_json(int s, const struct sg_intoto_layout_options *o, const char *id)
{
	json_t *mat = json_array();
	json_t *prod = json_array();
	json_t *cmd = json_array();

	for (int k = 0; k < s; k++)
		json_array_append_new(mat,
		    match_from(sg_stage_name((enum sg_stage_id)k)));
	if (s != SG_STAGE_AUDIT)
		allow_features(mat, o);
	json_array_append_new(mat, rule2("DISALLOW", "*"));
	for (int k = 0; outputs[s][k]; k++)
		json_array_append_new(prod, rule2("ALLOW", outputs[s][k]));
	for (size_t i = 0; s == SG_STAGE_BUILD && i < o->nartifacts; i++)
		json_array_append_new(prod, rule2("ALLOW", o->artifacts[i]));
	json_array_append_new(prod, rule2("DISALLOW", "*"));
	for (size_t i = 0; i < o->ncommands[s]; i++) {
		char *m = sg_url_mask(o->commands[s][i]);

		json_array_append_new(cmd, json_string("/bin/sh"));
		json_array_append_new(cmd, json_string("-c"));
		json_array_append_new(cmd, json_string(m));
		free(m);
	}
	return json_pack("{s:s, s:s, s:i, s:[s], s:o, s:o, s:o}", "_type",
	    "step", "name", sg_stage_name((enum sg_stage_id)s), "threshold", 1,
	    "pubkeys", id, "expected_command", cmd, "expected_materials", mat,
	    "expected_products", prod);
}

static json_t *
inspection_json(void)
{
	json_t *mat = json_array();

	for (int k = 0; k < SG_STAGE_COUNT; k++)
		json_array_append_new(mat,
		    match_from(sg_stage_name((enum sg_stage_id)k)));
	json_array_append_new(mat, rule2("ALLOW", "root.layout"));
	json_array_append_new(mat, rule2("DISALLOW", "*"));
	return json_pack("{s:s, s:s, s:[s], s:o, s:[[s, s]]}", "_type",
	    "inspection", "name", "bundle", "run", "true",
	    "expected_materials", mat, "expected_products", "ALLOW", "*");
}

int
sg_intoto_layout(char **out, const struct sg_intoto_layout_options *o,
    struct sg_signer *signer, struct sg_error *err)
{
	char expires[SG_UTC_ISO_SIZE];
	json_t *key = NULL;
	json_t *steps;
	json_t *layout = NULL;
	const char *id;
	int error;

	*out = NULL;
	if (o->version != SG_INTOTO_LAYOUT_VERSION)
		SG_BUG("struct sg_intoto_layout_options of an unknown version");
	if (sg_utc_iso(expires, o->expires) < 0)
		return sg_error_set(err, SG_EINVAL,
		    "the expiry %lld is out of range", (long long)o->expires);
	if ((error = sg_intoto_key_json(&key, sg_signer_public_key(signer),
		 err)) < 0)
		return error;
	id = json_string_value(json_object_get(key, "keyid"));
	steps = json_array();
	for (int s = 0; s < SG_STAGE_COUNT; s++)
		json_array_append_new(steps, step_json(s, o, id));
	layout = json_pack("{s:s, s:s, s:s, s:{s:O}, s:o, s:[o]}", "_type",
	    "layout", "expires", expires, "readme",
	    "specgate pipeline: preflight validate generate build deploy "
	    "audit (docs/signing.md)",
	    "keys", id, key, "steps", steps, "inspect", inspection_json());
	error = sg_intoto__sign_metadata(out, NULL, layout, signer, err);
	json_decref(layout);
	json_decref(key);
	return error;
}
