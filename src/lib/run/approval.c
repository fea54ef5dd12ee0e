/* SPDX-License-Identifier: MIT */
/*
 * approval.c - approvals before deploy in compliance (specgate/approval.h)
 * and the run's hook before the deploy stage (run_int.h).
 *
 * Why files beside the store and a trail record, rather than a table: an
 * approval is a signed document that an auditor checks with openssl, so
 * its exact bytes must be kept; the audit record `deploy approved` of the
 * waiting run carries their SHA-256 in the hash chain, so the store still
 * vouches for each approval, and no store backend has to learn a new
 * kind of row (docs/decisions.md).
 *
 * Every check is made again at resume (sg_approval_load()): a key removed
 * from approvals.keys, an edited document or a bundle that changed since
 * the approval make the approval count for nothing (SG_EVERIFY).
 */
#include "specgate/approval.h"

#include <jansson.h>
#include <string.h>

#include "evidence/hash.h"
#include "run/run_deploy.h"
#include "run/run_int.h"
#include "hash/digest.h"
#include "specgate/audit.h"
#include "specgate/evidence.h"
#include "sys/dir.h"
#include "sys/fs.h"
#include "util/utctime.h"
#include "util/util.h"

#define DOC_MAX (64 * 1024)

/* Find the run `run_id` of any feature: its feature id, and how many. */
struct find {
	char fid[SG_FEATURE_ID_SIZE];
	size_t n;
};

static int
find_cb(const struct sg_run *r, void *payload)
{
	struct find *f = payload;

	if (!f->n++)
		snprintf(f->fid, sizeof(f->fid), "%s", r->feature_id);
	return 0;
}

int
sg_approval_find_run(struct sg_run **out, struct sg_store *st,
    const char *run_id, struct sg_error *err)
{
	struct sg_run_filter flt = SG_RUN_FILTER_INIT;
	struct find f = {"", 0};
	int error;

	*out = NULL;
	flt.run_id = run_id;
	if ((error = sg_store_run_list(st, &flt, find_cb, &f, err)) < 0)
		goto out;
	if (!f.n)
		error = sg_error_set(err, SG_ENOTFOUND,
		    "no run '%.40s' in the store", run_id);
	else if (f.n > 1)
		error = sg_error_set(err, SG_EINVAL,
		    "run id '%.40s' is a run of %zu features", run_id, f.n);
	if (error)
		goto out;
	error = sg_store_run_get(out, st, f.fid, run_id, err);
out:
	return error;
}

bool
sg_approval_needed(const struct sg_config *cfg)
{
	return cfg->mode == SG_MODE_COMPLIANCE && cfg->approvals_required > 0;
}

static char *
from_root(const struct sg_config *cfg, const char *rel)
{
	if (rel[0] == '/' || !strcmp(cfg->root_rel, "."))
		return sg_xstrdup(rel);
	return sg_xasprintf("%s/%s", cfg->root_rel, rel);
}

static char *
approvals_dir(const struct sg_config *cfg, const struct sg_run *run)
{
	char *rel = sg_xasprintf(".specgate/approvals/%s/%s", run->feature_id,
	    run->run_id);
	char *p = from_root(cfg, rel);

	free(rel);
	return p;
}

/* The key ids of approvals.keys, in *ids (n entries), and the keys. */
struct allowed {
	struct sg_key **keys;
	char (*ids)[65];
	size_t n;
};

static void
allowed_release(struct allowed *a)
{
	for (size_t i = 0; i < a->n; i++)
		sg_key_free(a->keys[i]);
	free(a->keys);
	free(a->ids);
}

static int
allowed_load(struct allowed *a, const struct sg_config *cfg,
    struct sg_error *err)
{
	size_t n = cfg->approval_keys.n;
	char *path;
	int error = 0;

	memset(a, 0, sizeof(*a));
	if (!n)
		return sg_error_set(err, SG_EINVAL,
		    "approvals.keys lists no public key: nobody may approve");
	a->keys = sg_xcalloc(n, sizeof(*a->keys));
	a->ids = sg_xcalloc(n, sizeof(*a->ids));
	for (size_t i = 0; i < n && !error; i++) {
		path = from_root(cfg, cfg->approval_keys.items[i]);
		error = sg_key_load_public(&a->keys[i], path, err);
		free(path);
		if (!error) {
			a->n++;
			error = sg_key_id(a->ids[i], a->keys[i], err);
		}
	}
	return error;
}

static const struct sg_key *
allowed_find(const struct allowed *a, const char *keyid)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->ids[i], keyid))
			return a->keys[i];
	return NULL;
}

/*
 * The SHA-256 of the waiting bundle's manifest.json, and the key id of
 * the key that signed the bundle (signer, 65 bytes: "" when unsigned).
 * m (OUT, may be NULL) gets the manifest parsed.
 */
static int
manifest_sha(char *out, char *signer, struct sg_manifest *m,
    const struct sg_config *cfg, const struct sg_run *run,
    struct sg_error *err)
{
	struct sg_manifest mine;
	struct sg_key *key = NULL;
	char *path;
	char *text = NULL;
	int error;

	*signer = '\0';
	memset(&mine, 0, sizeof(mine));
	if (!m)
		m = &mine;
	memset(m, 0, sizeof(*m));
	if (!run->bundle)
		return sg_error_set(err, SG_EINVAL,
		    "run %s of feature %s has no bundle", run->run_id,
		    run->feature_id);
	path = from_root(cfg, run->bundle);
	if ((error = sg_evidence_read_manifest(&text, path, err)) < 0 ||
	    (error = sg_sha256_hex(out, text, strlen(text), err)) < 0 ||
	    (error = sg_manifest_parse(m, text, strlen(text), err)) < 0)
		goto out;
	if (m->is_signed && m->public_key &&
	    ((error = sg_key_parse_public(&key, m->public_key,
		  strlen(m->public_key), SG_BUNDLE_MANIFEST, err)) < 0 ||
		(error = sg_key_id(signer, key, err)) < 0))
		goto out;
out:
	sg_key_free(key);
	sg_manifest_release(&mine);
	free(text);
	free(path);
	return error;
}

static int
waiting(const struct sg_run *run, struct sg_error *err)
{
	if (run->continued_by)
		return sg_error_set(err, SG_EINVAL,
		    "run %s of feature %s was already resumed by run %s",
		    run->run_id, run->feature_id, run->continued_by);
	if (run->status_enum != SG_RUN_AWAITING_APPROVAL)
		return sg_error_set(err, SG_EINVAL,
		    "run %s of feature %s is not awaiting approval (its status "
		    "is %s)",
		    run->run_id, run->feature_id, run->status);
	return 0;
}

void
sg_approval_release(struct sg_approval *a)
{
	if (!a)
		return;
	free(a->document);
	free(a->signature);
	memset(a, 0, sizeof(*a));
}

void
sg_approval_set_release(struct sg_approval_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		sg_approval_release(&set->items[i]);
	free(set->items);
	for (size_t i = 0; i < set->nartifacts; i++)
		free(set->artifacts[i].path);
	free(set->artifacts);
	memset(set, 0, sizeof(*set));
}

static int
document(struct sg_approval *a, const struct sg_run *run, const char *msha,
    const char *comment, struct sg_error *err)
{
	char ts[SG_UTC_ISO_SIZE];
	json_t *doc;
	int error;

	if (sg_utc_iso(ts, sg_utc_report_now()) < 0)
		return sg_error_set(err, SG_EIO, "the clock is out of range");
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "schema",
	    SG_APPROVAL_SCHEMA, "feature_id", run->feature_id, "run_id",
	    run->run_id, "mode", run->mode, "manifest_sha256", msha, "keyid",
	    a->keyid, "timestamp", ts, "comment", comment ? comment : "");
	if (!doc)
		return sg_error_set(err, SG_EINVAL,
		    "the approval's comment is not valid UTF-8");
	error = sg_canon_json_str(&a->document, &a->len, doc, DOC_MAX, err);
	json_decref(doc);
	return error;
}

int
sg_approval_add(struct sg_approval *out, struct sg_store *st,
    const struct sg_config *cfg, const struct sg_run *run,
    struct sg_signer *signer, const char *comment, struct sg_error *err)
{
	struct sg_audit_record rec;
	struct allowed al;
	char ts[SG_UTC_ISO_SIZE];
	char msha[65];
	char evsigner[65];
	char output[96];
	char *dir = approvals_dir(cfg, run);
	char *path = NULL;
	char *sigpath = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&al, 0, sizeof(al));
	snprintf(out->keyid, sizeof(out->keyid), "%s",
	    sg_signer_keyid(signer));
	if ((error = waiting(run, err)) < 0 ||
	    (error = allowed_load(&al, cfg, err)) < 0)
		goto out;
	if (!allowed_find(&al, out->keyid)) {
		error = sg_error_set(err, SG_EINVAL,
		    "key %.16s... is not listed in approvals.keys: it may not "
		    "approve run %s",
		    out->keyid, run->run_id);
		goto out;
	}
	if ((error = manifest_sha(msha, evsigner, NULL, cfg, run, err)) < 0)
		goto out;
	if (!strcmp(evsigner, out->keyid)) {
		error = sg_error_set(err, SG_EINVAL,
		    "key %.16s... signed the evidence of run %s: the key that "
		    "signs a run may not approve it (separation of duties)",
		    out->keyid, run->run_id);
		goto out;
	}
	path = sg_xasprintf("%s/%s.json", dir, out->keyid);
	sigpath = sg_xasprintf("%s.sig", path);
	if (sg_fs_exists(path)) {
		error = sg_error_set(err, SG_EINVAL,
		    "key %.16s... has already approved run %s", out->keyid,
		    run->run_id);
		goto out;
	}
	if ((error = document(out, run, msha, comment, err)) < 0 ||
	    (error = sg_sha256_hex(out->sha256, out->document, out->len,
		 err)) < 0 ||
	    (error = sg_sign_blob(&out->signature, signer, out->document,
		 out->len, err)) < 0 ||
	    (error = sg_dir_make_all(dir, 0755, err)) < 0 ||
	    (error = sg_fs_write_atomic(sigpath, out->signature,
		 strlen(out->signature), 0644, err)) < 0)
		goto out;
	/* The document last, and only if absent: two approvals race here. */
	error = sg_fs_write_new(path, out->document, out->len, 0644, false,
	    err);
	if (error == SG_EINVAL) {
		sg_error_release(err);
		error = sg_error_set(err, SG_EINVAL,
		    "key %.16s... has already approved run %s", out->keyid,
		    run->run_id);
	}
	if (error)
		goto out;
	if (sg_utc_iso(ts, sg_utc_now()) < 0) {
		error = sg_error_set(err, SG_EIO, "the clock is out of range");
		goto out;
	}
	snprintf(output, sizeof(output), "approval-%.16s.json", out->keyid);
	memset(&rec, 0, sizeof(rec));
	rec.timestamp = ts;
	rec.run_id = run->run_id;
	rec.feature_id = run->feature_id;
	rec.stage = "deploy";
	rec.status = sg_checkpoint_status_name(SG_CP_APPROVED);
	rec.output = output;
	rec.output_sha256 = out->sha256;
	rec.mode = run->mode;
	error = sg_audit_append(NULL, st, &rec, 1, err);
out:
	if (error)
		sg_approval_release(out);
	allowed_release(&al);
	free(dir);
	free(path);
	free(sigpath);
	return error;
}

/* The document's field `key` is `want`, else a problem. */
static int
field_is(const json_t *doc, const char *key, const char *want,
    const char *name, struct sg_error *err)
{
	const char *v = json_string_value(json_object_get(doc, key));

	if (!v || strcmp(v, want))
		return sg_error_set(err, SG_EVERIFY,
		    "%s: %s is '%.80s', expected '%s'", name, key,
		    v ? v : "(none)", want);
	return 0;
}

static int
load_one(struct sg_approval *a, const struct allowed *al, const char *dir,
    const char *file, const struct sg_approval_set *set,
    struct sg_error *err)
{
	const struct sg_key *key;
	struct sg_buf doc;
	struct sg_buf sig;
	json_t *j = NULL;
	char *path = sg_xasprintf("%s/%s", dir, file);
	char *sigpath = sg_xasprintf("%s.sig", path);
	int error;

	sg_buf_init(&doc, 0);
	sg_buf_init(&sig, 0);
	memset(a, 0, sizeof(*a));
	snprintf(a->keyid, sizeof(a->keyid), "%.*s",
	    (int)(strlen(file) - strlen(".json")), file);
	if (!(key = allowed_find(al, a->keyid))) {
		error = sg_error_set(err, SG_EVERIFY,
		    "%s: key %.16s... is not (or no longer) in approvals.keys",
		    path, a->keyid);
		goto out;
	}
	if ((error = sg_fs_read_file(&doc, path, DOC_MAX, err)) < 0 ||
	    (error = sg_fs_read_file(&sig, sigpath, 4096, err)) < 0 ||
	    (error = sg_verify_blob(key, doc.ptr, doc.len, sig.ptr, sig.len,
		 path, sigpath, err)) < 0)
		goto out;
	if (!(j = json_loadb(doc.ptr, doc.len, 0, NULL))) {
		error = sg_error_set(err, SG_EVERIFY, "%s: not JSON", path);
		goto out;
	}
	if ((error = field_is(j, "schema", SG_APPROVAL_SCHEMA, path, err)) <
		0 ||
	    (error = field_is(j, "feature_id", set->feature_id, path, err)) <
		0 ||
	    (error = field_is(j, "run_id", set->run_id, path, err)) < 0 ||
	    (error = field_is(j, "manifest_sha256", set->manifest_sha256, path,
		 err)) < 0 ||
	    (error = field_is(j, "keyid", a->keyid, path, err)) < 0 ||
	    (error = sg_sha256_hex(a->sha256, doc.ptr, doc.len, err)) < 0)
		goto out;
	a->len = doc.len;
	a->document = sg_buf_detach(&doc, NULL);
	a->signature = sg_buf_detach(&sig, NULL);
out:
	json_decref(j);
	sg_buf_release(&doc);
	sg_buf_release(&sig);
	free(path);
	free(sigpath);
	return error;
}

int
sg_approval_load(struct sg_approval_set *out, const struct sg_config *cfg,
    const struct sg_run *run, struct sg_error *err)
{
	struct sg_dirent *ents = NULL;
	struct sg_dir d = SG_DIR_INIT;
	struct allowed al;
	char *dir = approvals_dir(cfg, run);
	size_t nents = 0;
	size_t len;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&al, 0, sizeof(al));
	snprintf(out->feature_id, sizeof(out->feature_id), "%s",
	    run->feature_id);
	snprintf(out->run_id, sizeof(out->run_id), "%s", run->run_id);
	if ((error = waiting(run, err)) < 0 ||
	    (error = allowed_load(&al, cfg, err)) < 0 ||
	    (error = manifest_sha(out->manifest_sha256, out->signer_keyid,
		 NULL, cfg, run, err)) < 0)
		goto out;
	error = sg_dir_open(&d, NULL, dir, 0, err);
	if (error == SG_ENOTFOUND) {
		sg_error_release(err);
		error = 0;
		goto out;
	}
	if (error || (error = sg_dir_list(&ents, &nents, &d, NULL, err)) < 0)
		goto out;
	out->items = sg_xcalloc(nents ? nents : 1, sizeof(*out->items));
	for (size_t i = 0; i < nents; i++) {
		len = strlen(ents[i].name);
		if (len < 5 || strcmp(ents[i].name + len - 5, ".json"))
			continue;
		if ((error = load_one(&out->items[out->n], &al, dir,
			 ents[i].name, out, err)) < 0)
			goto out;
		out->n++;
		/* Separation of duties: the run's signer approves nothing. */
		if ((error = sg_approval_check_signer(out, out->signer_keyid,
			 err)) < 0)
			goto out;
	}
	/* One approval per key: file names are key ids, but say it. */
	for (size_t i = 0; i < out->n; i++)
		for (size_t j = i + 1; j < out->n; j++)
			if (!strcmp(out->items[i].keyid, out->items[j].keyid)) {
				error = sg_error_set(err, SG_EVERIFY,
				    "key %.16s... approved run %s twice",
				    out->items[i].keyid, run->run_id);
				goto out;
			}
out:
	if (error)
		sg_approval_set_release(out);
	sg_dirent_free(ents, nents);
	sg_dir_close(&d);
	allowed_release(&al);
	free(dir);
	return error;
}

int
sg_approval_check_signer(const struct sg_approval_set *set,
    const char *keyid, struct sg_error *err)
{
	if (!keyid || !*keyid)
		return 0;
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->items[i].keyid, keyid))
			return sg_error_set(err, SG_EVERIFY,
			    "the approval by key %.16s... does not count: that "
			    "key signs the evidence of run %s or of its "
			    "continuation, and the key that signs a run may "
			    "not approve it (separation of duties)",
			    keyid, set->run_id);
	return 0;
}

/* The digest `path` has now under the project root; why on failure. */
static int
hash_now(char *out, const struct sg_dir *root, const char *path,
    struct sg_error *err)
{
	struct sg_hash_item item;
	int error;

	memset(&item, 0, sizeof(item));
	item.path = path;
	if ((error = sg_hash_files(&item, 1, root, NULL, err)) == 0)
		memcpy(out, item.sha256, 65);
	sg_hash_items_release(&item, 1);
	return error;
}

int
sg_approval_rehash_artifacts(const struct sg_approval_set *set,
    const struct sg_config *cfg, struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_dir root = SG_DIR_INIT;
	char now[65];
	int error = 0;

	if (!set->nartifacts)
		return 0;
	if ((error = sg_dir_open(&root, NULL, cfg->root_rel, 0, err)) < 0)
		return error;
	for (size_t i = 0; i < set->nartifacts && !error; i++) {
		const struct sg_approval_artifact *a = &set->artifacts[i];

		if (hash_now(now, &root, a->path, &mine) < 0)
			error = sg_error_set(err, SG_EVERIFY,
			    "%s: approved with SHA-256 %s (artifacts.json of "
			    "run %s), now unreadable: %s",
			    a->path, a->sha256, set->run_id, mine.message);
		else if (strcmp(now, a->sha256))
			error = sg_error_set(err, SG_EVERIFY,
			    "%s: approved with SHA-256 %s (artifacts.json of "
			    "run %s), on disk %s: the approved bytes are not "
			    "the ones that would be deployed",
			    a->path, a->sha256, set->run_id, now);
		sg_error_release(&mine);
	}
	sg_dir_close(&root);
	return error;
}

int
sg_approval_check_artifacts(struct sg_approval_set *set,
    const struct sg_config *cfg, const struct sg_run *run,
    struct sg_error *err)
{
	struct sg_manifest m;
	struct sg_buf text;
	json_t *doc = NULL;
	json_t *a;
	const char *listed_sha = NULL;
	char msha[65];
	char signer[65];
	char sha[65];
	char *bundle = NULL;
	char *path = NULL;
	size_t i;
	int error;

	sg_buf_init(&text, 0);
	memset(&m, 0, sizeof(m));
	if ((error = manifest_sha(msha, signer, &m, cfg, run, err)) < 0)
		goto out;
	if (strcmp(msha, set->manifest_sha256)) {
		error = sg_error_set(err, SG_EVERIFY,
		    "the manifest of run %s changed since its approvals were "
		    "checked", run->run_id);
		goto out;
	}
	for (i = 0; i < m.nfiles; i++)
		if (!strcmp(m.files[i].path, "artifacts.json"))
			listed_sha = m.files[i].sha256;
	if (!listed_sha) /* no declared artifacts: nothing was approved */
		goto out;
	bundle = from_root(cfg, run->bundle);
	path = sg_xasprintf("%s/artifacts.json", bundle);
	if ((error = sg_fs_read_file(&text, path, 16u << 20, err)) < 0 ||
	    (error = sg_sha256_hex(sha, text.ptr ? text.ptr : "", text.len,
		 err)) < 0)
		goto out;
	if (strcmp(sha, listed_sha)) {
		error = sg_error_set(err, SG_EVERIFY,
		    "%s: SHA-256 %s, the approved manifest says %s", path, sha,
		    listed_sha);
		goto out;
	}
	if (!(doc = json_loadb(text.ptr, text.len, 0, NULL))) {
		error = sg_error_set(err, SG_EVERIFY, "%s: not JSON", path);
		goto out;
	}
	json_array_foreach(json_object_get(doc, "artifacts"), i, a) {
		const char *p = json_string_value(json_object_get(a, "path"));
		const char *h = json_string_value(json_object_get(a,
		    "sha256"));
		struct sg_approval_artifact *x;

		if (!p || !h || strlen(h) != 64) {
			error = sg_error_set(err, SG_EVERIFY,
			    "%s: artifact %zu has no path or sha256", path, i);
			goto out;
		}
		set->artifacts = sg_xreallocarray(set->artifacts,
		    set->nartifacts + 1, sizeof(*set->artifacts));
		x = &set->artifacts[set->nartifacts++];
		x->path = sg_xstrdup(p);
		memcpy(x->sha256, h, 65);
	}
	error = sg_approval_rehash_artifacts(set, cfg, err);
out:
	json_decref(doc);
	sg_manifest_release(&m);
	sg_buf_release(&text);
	free(bundle);
	free(path);
	return error;
}

int
sg_approval_json(char **out, size_t *len, const struct sg_approval_set *set,
    const char *run_id, const char *mode, const char *timestamp,
    struct sg_error *err)
{
	json_t *list = json_array();
	json_t *arts = json_array();
	json_t *doc;

	*out = NULL;
	for (size_t i = 0; i < set->nartifacts; i++)
		json_array_append_new(arts, json_pack("{s:s, s:s}", "path",
		    set->artifacts[i].path, "sha256",
		    set->artifacts[i].sha256));
	for (size_t i = 0; i < set->n; i++)
		json_array_append_new(list, json_pack(
		    "{s:s, s:s, s:s, s:s}", "keyid", set->items[i].keyid,
		    "document", set->items[i].document, "document_sha256",
		    set->items[i].sha256, "signature",
		    set->items[i].signature));
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "schema",
	    "specgate/approvals/v1", "feature_id", set->feature_id, "run_id",
	    run_id, "mode", mode, "timestamp", timestamp, "approved_run_id",
	    set->run_id, "approved_manifest_sha256", set->manifest_sha256,
	    "approvals", list);
	if (doc)
		json_object_set_new(doc, "approved_artifacts", arts);
	else
		json_decref(arts);
	if (!doc || !(*out = json_dumps(doc, JSON_INDENT(2) |
	    JSON_SORT_KEYS))) {
		json_decref(doc);
		return sg_error_set(err, SG_EIO, "approvals.json: out of memory");
	}
	json_decref(doc);
	*len = strlen(*out);
	return 0;
}

/*
 * The hook before deploy.  Nothing to do outside compliance, when nothing
 * is required, when deploy would not run anyway (an earlier failure, a
 * cancel, --to, no commands).  With opts->approvals (resume): the bundle
 * gets approvals.json and the trail `deploy approved`, and deploy runs.
 * Without: `deploy awaiting_approval` and c->waiting.
 */
int
sg_run__approval(struct sg_run__ctx *c, struct sg_error *err)
{
	const struct sg_config *cfg = c->cfg;
	const struct sg_approval_set *set = c->opts->approvals;
	const struct sg_stage_config *sc = &cfg->stages[SG_STAGE_DEPLOY];
	struct sg_error mine = SG_ERROR_INIT;
	char detail[600];
	char ts[SG_UTC_ISO_SIZE];
	char sha[65];
	char *json = NULL;
	size_t len = 0;
	int error;

	/*
	 * A promotion deploys a run that was approved (or not) already:
	 * sg_promote_check() counted the approvals its environment needs.
	 * The spec must still be the one that run built.
	 */
	if (c->opts->promote && !c->failed && !c->cancelled &&
	    strcmp(c->opts->promote->feature_id, c->out->feature_id)) {
		c->failed = true;
		c->out->failed_stage = SG_STAGE_DEPLOY;
		snprintf(detail, sizeof(detail), "promotion to %s: the spec "
		    "changed since run %s (feature %s, now %s): promote a run "
		    "of this spec", c->opts->promote->env->name,
		    c->opts->promote->run_id, c->opts->promote->feature_id,
		    c->out->feature_id);
		return sg_run__checkpoint(c, SG_STAGE_DEPLOY, SG_CP_FAILURE, NULL,
		    NULL, detail, err);
	}
	if (c->opts->promote && !c->failed && !c->cancelled &&
	    SG_STAGE_DEPLOY >= c->opts->from &&
	    SG_STAGE_DEPLOY <= c->opts->to) {
		bool ok;
		char why[400];

		if ((error = sg_run__promote_artifacts(c, &ok, why,
			 sizeof(why), err)) < 0 || ok)
			return error;
		c->failed = true;
		c->out->failed_stage = SG_STAGE_DEPLOY;
		c->out->artifacts_changed = true;
		snprintf(detail, sizeof(detail), "promotion of run %s to %s: "
		    "%s", c->opts->promote->run_id,
		    c->opts->promote->env->name, why);
		return sg_run__checkpoint(c, SG_STAGE_DEPLOY, SG_CP_FAILURE, NULL,
		    NULL, detail, err);
	}
	if (c->opts->promote)
		return 0;
	if (!sg_approval_needed(cfg) || c->failed || c->cancelled ||
	    SG_STAGE_DEPLOY < c->opts->from || SG_STAGE_DEPLOY > c->opts->to ||
	    (!sc->run.n && !sc->artifacts.n && !sc->target))
		return 0;
	if (!set || set->n < cfg->approvals_required) {
		c->waiting = true;
		snprintf(detail, sizeof(detail),
		    "needs %u approval%s (approvals.required): specgate "
		    "approve %s",
		    cfg->approvals_required,
		    cfg->approvals_required == 1 ? "" : "s", c->out->run_id);
		return sg_run__checkpoint(c, SG_STAGE_DEPLOY,
		    SG_CP_AWAITING_APPROVAL, NULL, NULL, detail, err);
	}
	if (strcmp(set->feature_id, c->out->feature_id)) {
		c->failed = true;
		c->out->failed_stage = SG_STAGE_DEPLOY;
		snprintf(detail, sizeof(detail),
		    "the spec changed since run %s was approved (feature %s, "
		    "now %s)",
		    set->run_id, set->feature_id, c->out->feature_id);
		return sg_run__checkpoint(c, SG_STAGE_DEPLOY, SG_CP_FAILURE, NULL,
		    NULL, detail, err);
	}
	/*
	 * The approved artifacts once more, just before deploy's commands:
	 * `resume` checked them before the run existed; this narrows the
	 * window to the commands themselves (docs/decisions.md).
	 */
	if (sg_approval_rehash_artifacts(set, cfg, &mine) < 0) {
		c->failed = true;
		c->out->failed_stage = SG_STAGE_DEPLOY;
		c->out->artifacts_changed = true;
		error = sg_run__checkpoint(c, SG_STAGE_DEPLOY, SG_CP_FAILURE, NULL,
		    NULL, mine.message, err);
		sg_error_release(&mine);
		return error;
	}
	if (sg_utc_iso(ts, sg_utc_report_now()) < 0)
		return sg_error_set(err, SG_EIO, "the clock is out of range");
	if ((error = sg_approval_json(&json, &len, set, c->out->run_id,
		 sg_mode_name(cfg->mode), ts, err)) < 0 ||
	    (error = sg_run__write(c, SG_STAGE_DEPLOY, "approvals.json", json,
		 len, sha, err)) < 0)
		goto out;
	snprintf(detail, sizeof(detail), "%zu of %u approvals of run %s",
	    set->n, cfg->approvals_required, set->run_id);
	error = sg_run__checkpoint(c, SG_STAGE_DEPLOY, SG_CP_APPROVED,
	    "approvals.json", sha, detail, err);
out:
	free(json);
	return error;
}
