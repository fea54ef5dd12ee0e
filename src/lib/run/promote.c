/* SPDX-License-Identifier: MIT */
/*
 * promote.c - the checks of `specgate promote RUN --to ENV` and the record
 * of a promotion (specgate/run.h, docs/deploy.md).
 *
 * Everything is read from the store and from the bundles, each bundle
 * file checked against the digest its manifest lists: a promotion stands
 * on evidence, not on what a listing says.  The record of a promotion,
 * .specgate/promotions/<env>/<run>.json, only points at the promoting
 * run: the check of the next environment reads that run's status from
 * the store and its deploy.json from its bundle.
 */
#include "run/run_int.h"

#include <jansson.h>
#include <string.h>

#include "hash/digest.h"
#include "specgate/approval.h"
#include "specgate/evidence.h"
#include "specgate/store.h"
#include "sys/dir.h"
#include "sys/fs.h"
#include "util/util.h"

#define PROMOTIONS ".specgate/promotions"
#define DOC_MAX (16u << 20)

/*
 * A run that succeeded: success, or warning (sandbox findings; the same
 * findings fail a compliance run).
 */
static bool
succeeded(const struct sg_run *run)
{
	return run->status_enum == SG_RUN_SUCCESS ||
	    run->status_enum == SG_RUN_WARNING;
}

/* A run's bundle directory, absolute. */
static char *
bundle_dir(const struct sg_config *cfg, const struct sg_run *run)
{
	return run->bundle[0] == '/' ? sg_xstrdup(run->bundle) :
	    sg_xasprintf("%s/%s", cfg->root, run->bundle);
}

/*
 * A run's manifest (*m, its digest in sha) and, when the manifest lists
 * it, the file name of its bundle as a JSON document (*doc; NULL when not
 * listed).  SG_EVERIFY when the file differs from the manifest.
 */
static int
bundle_doc(json_t **doc, struct sg_manifest *m, char *sha,
    const struct sg_config *cfg, const struct sg_run *run, const char *name,
    struct sg_error *err)
{
	char *dir, *text = NULL, *path = NULL;
	const char *want = NULL;
	struct sg_buf b;
	char got[65];
	int error;

	*doc = NULL;
	if (!run->bundle)
		return sg_error_set(err, SG_EGATE, "run %s has no bundle",
		    run->run_id);
	dir = bundle_dir(cfg, run);
	sg_buf_init(&b, 0);
	if ((error = sg_evidence_read_manifest(&text, dir, err)) < 0 ||
	    (error = sg_sha256_hex(sha, text, strlen(text), err)) < 0 ||
	    (error = sg_manifest_parse(m, text, strlen(text), err)) < 0)
		goto out;
	for (size_t i = 0; name && i < m->nfiles; i++)
		if (!strcmp(m->files[i].path, name))
			want = m->files[i].sha256;
	if (!want)
		goto out;
	path = sg_xasprintf("%s/%s", dir, name);
	if ((error = sg_fs_read_file(&b, path, DOC_MAX, err)) < 0 ||
	    (error = sg_sha256_hex(got, b.ptr, b.len, err)) < 0)
		goto out;
	if (strcmp(got, want)) {
		error = sg_error_set(err, SG_EVERIFY, "%s: sha256 %s, its "
		    "manifest lists %s", path, got, want);
		goto out;
	}
	if (!(*doc = json_loadb(b.ptr, b.len, 0, NULL)))
		error = sg_error_set(err, SG_EVERIFY, "%s is not JSON", path);
out:
	sg_buf_release(&b);
	free(path);
	free(text);
	free(dir);
	return error;
}

/* The number of approvals in a run's approvals.json (0: none). */
static int
count_approvals(size_t *n, const struct sg_config *cfg,
    const struct sg_run *run, struct sg_error *err)
{
	struct sg_manifest m;
	char sha[65];
	json_t *doc = NULL;
	int error;

	*n = 0;
	memset(&m, 0, sizeof(m));
	if (run->bundle && (error = bundle_doc(&doc, &m, sha, cfg, run,
	    "approvals.json", err)) < 0) {
		sg_manifest_release(&m);
		return error;
	}
	*n = json_array_size(json_object_get(doc, "approvals"));
	json_decref(doc);
	sg_manifest_release(&m);
	return 0;
}

/* Whether RUN was promoted with success to env (its record, its run). */
static int
promoted_to(bool *yes, char *why, size_t why_size, struct sg_store *st,
    const struct sg_config *cfg, const char *run_id, const char *env,
    struct sg_error *err)
{
	char *path = sg_xasprintf("%s/%s/%s/%s.json", cfg->root, PROMOTIONS,
	    env, run_id);
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_manifest m;
	struct sg_run *promo = NULL;
	struct sg_buf b;
	json_t *rec = NULL, *dj = NULL;
	const char *pid;
	char sha[65];
	int error = 0;

	*yes = false;
	memset(&m, 0, sizeof(m));
	sg_buf_init(&b, 0);
	snprintf(why, why_size, "run %s was not promoted to %s", run_id, env);
	if (sg_fs_read_file(&b, path, 4096, &mine) < 0 ||
	    !(rec = json_loadb(b.ptr, b.len, 0, NULL)) ||
	    !(pid = json_string_value(json_object_get(rec, "run"))))
		goto out;
	if ((error = sg_approval_find_run(&promo, st, pid, &mine)) < 0) {
		error = 0;
		goto out;
	}
	if (!succeeded(promo)) {
		snprintf(why, why_size, "the promotion of run %s to %s (run "
		    "%s) ended %s", run_id, env, pid, promo->status);
		goto out;
	}
	if ((error = bundle_doc(&dj, &m, sha, cfg, promo, "deploy.json",
		 err)) < 0)
		goto out;
	*yes = dj && !strcmp(json_string_value(json_object_get(dj,
	    "environment")) ? json_string_value(json_object_get(dj,
	    "environment")) : "", env) &&
	    !strcmp(json_string_value(json_object_get(dj, "promotes")) ?
	    json_string_value(json_object_get(dj, "promotes")) : "", run_id);
	if (!*yes)
		snprintf(why, why_size, "the deploy.json of run %s does not "
		    "say it promoted run %s to %s", pid, run_id, env);
out:
	json_decref(rec);
	json_decref(dj);
	sg_manifest_release(&m);
	sg_buf_release(&b);
	sg_error_release(&mine);
	sg_run_free(promo);
	free(path);
	return error;
}

/*
 * Whose artifacts: RUN's when its bundle lists artifacts.json, else the
 * run it continues (a continuation deploys, it does not build).
 */
static int
artifact_source(struct sg_promotion *p, struct sg_store *st,
    const struct sg_config *cfg, const struct sg_run *run,
    struct sg_error *err)
{
	struct sg_manifest m;
	struct sg_run *from = NULL;
	json_t *doc = NULL;
	char sha[65];
	int error;

	memset(&m, 0, sizeof(m));
	if ((error = bundle_doc(&doc, &m, sha, cfg, run, "artifacts.json",
		 err)) < 0)
		goto out;
	if (doc || !run->continues) {
		snprintf(p->source, sizeof(p->source), "%s", run->run_id);
		memcpy(p->source_manifest_sha256, sha, 65);
		goto out;
	}
	sg_manifest_release(&m);
	memset(&m, 0, sizeof(m));
	if ((error = sg_approval_find_run(&from, st, run->continues,
		 err)) < 0 ||
	    (error = bundle_doc(&doc, &m, sha, cfg, from, NULL, err)) < 0)
		goto out;
	snprintf(p->source, sizeof(p->source), "%s", from->run_id);
	memcpy(p->source_manifest_sha256, sha, 65);
out:
	json_decref(doc);
	sg_manifest_release(&m);
	sg_run_free(from);
	return error;
}

int
sg_promote_check(struct sg_promotion *out, struct sg_store *st,
    const struct sg_config *cfg, const char *run_id, const char *env,
    struct sg_error *err)
{
	const struct sg_environment *e;
	struct sg_run *run = NULL;
	char why[300];
	size_t idx = 0;
	bool yes;
	int error;

	memset(out, 0, sizeof(*out));
	if (!cfg->nenvs)
		return sg_error_set(err, SG_EINVAL, "no environments are "
		    "configured (environments: in specgate.yaml)");
	if (!(e = sg_config_environment(cfg, env, &idx))) {
		struct sg_buf names;

		sg_buf_init(&names, 0);
		for (size_t i = 0; i < cfg->nenvs; i++)
			sg_buf_printf(&names, "%s%s", i ? ", " : "",
			    cfg->envs[i].name);
		error = sg_error_set(err, SG_EINVAL, "no environment '%s' "
		    "(environments: %s)", env, names.ptr);
		sg_buf_release(&names);
		return error;
	}
	out->env = e;
	if ((error = sg_approval_find_run(&run, st, run_id, err)) < 0)
		return error;
	snprintf(out->run_id, sizeof(out->run_id), "%s", run->run_id);
	snprintf(out->feature_id, sizeof(out->feature_id), "%s",
	    run->feature_id);
	if (!succeeded(run)) {
		error = sg_error_set(err, SG_EGATE, "run %s is %s: only a run "
		    "that succeeded (success, or warning: sandbox findings) is "
		    "promoted", run->run_id, run->status);
		goto out;
	}
	if (run->mode_enum == SG_MODE_COUNT || run->mode_enum < e->min_mode) {
		error = sg_error_set(err, SG_EGATE, "run %s is a %s run; "
		    "environment %s takes %s runs (min_mode, %s)", run->run_id,
		    run->mode, e->name, sg_mode_name(e->min_mode), e->origin);
		goto out;
	}
	if (cfg->mode < e->min_mode) {
		error = sg_error_set(err, SG_EGATE, "a promotion to %s runs "
		    "in mode %s at least (min_mode, %s): --mode %s", e->name,
		    sg_mode_name(e->min_mode), e->origin,
		    sg_mode_name(e->min_mode));
		goto out;
	}
	if (idx > 0) {
		if ((error = promoted_to(&yes, why, sizeof(why), st, cfg,
			 run->run_id, cfg->envs[idx - 1].name, err)) < 0)
			goto out;
		if (!yes) {
			error = sg_error_set(err, SG_EGATE, "%s: a run goes to "
			    "%s after %s (specgate promote %s --to %s)", why,
			    e->name, cfg->envs[idx - 1].name, run->run_id,
			    cfg->envs[idx - 1].name);
			goto out;
		}
	}
	if ((error = count_approvals(&out->approvals, cfg, run, err)) < 0)
		goto out;
	if (out->approvals < e->approvals) {
		error = sg_error_set(err, SG_EGATE, "environment %s requires "
		    "%u approval%s (%s) and run %s carries %zu: promote the "
		    "continuation of an approved compliance run (specgate "
		    "approve, specgate resume)", e->name, e->approvals,
		    e->approvals == 1 ? "" : "s", e->origin, run->run_id,
		    out->approvals);
		goto out;
	}
	error = artifact_source(out, st, cfg, run, err);
out:
	sg_run_free(run);
	return error;
}

int
sg_promote_record(const struct sg_config *cfg, const struct sg_promotion *p,
    const char *promo_run_id, struct sg_error *err)
{
	char *dir = sg_xasprintf("%s/%s/%s", cfg->root, PROMOTIONS,
	    p->env->name);
	char *path = sg_xasprintf("%s/%s.json", dir, p->run_id);
	json_t *doc = json_pack("{s:s, s:s, s:s}", "environment",
	    p->env->name, "promotes", p->run_id, "run", promo_run_id);
	char *text = doc ? json_dumps(doc, JSON_SORT_KEYS) : NULL;
	int error;

	if (!text)
		error = sg_error_set(err, SG_EIO, "cannot render %s", path);
	else if (!(error = sg_dir_make_all(dir, 0755, err)))
		error = sg_fs_write_atomic(path, text, strlen(text), 0644,
		    err);
	free(text);
	json_decref(doc);
	free(path);
	free(dir);
	return error;
}
