/* SPDX-License-Identifier: MIT */
/*
 * bundle.c - writing a bundle: staging, checkpoints, the audit stage's
 * manifest and seal, publishing (specgate/evidence.h).
 *
 * The order of publishing, and why (docs/internals/evidence.md has the
 * case-by-case argument; docs/decisions.md the choice):
 *
 *	1. every file is written in the staging directory and fsynced as it
 *	   is written; the run's checkpoints are appended to the trail as
 *	   they happen (sg_bundle_checkpoint())
 *	2. checkpoints.log, then manifest.json (the digest of every other
 *	   file and the trail head after the run's checkpoints), fsynced;
 *	   the staging directory and its subdirectories fsynced
 *	3. the seal: one audit record, stage audit, output manifest.json
 *	   with the manifest's SHA-256, appended (durable at commit)
 *	4. under the feature's lock: rename the staging directory to its
 *	   final name, fsync the feature directory, `latest`, retention
 *
 * A bundle under its final name is therefore always complete and sealed:
 * the rename is the last thing that happens to it.  A crash before 3
 * leaves an unsealed staging directory and, at most, checkpoints of a run
 * that never closed (the trail stays valid; reconciliation closes the run
 * with `audit cancelled`).  A crash between 3 and 4 leaves a sealed,
 * complete staging directory whose every byte the trail vouches for, which
 * reconciliation renames into place (roll forward).
 *
 * Why the manifest records the head *before* its seal rather than after:
 * the seal holds the manifest's digest, so the manifest cannot contain the
 * seal's hash.  The manifest's bytes are protected by the seal, every
 * other file by the manifest, the trail up to the run by the head.
 *
 * Staging directories are born as ".new-XXXXXXXXXX", locked, then renamed
 * ".staging-XXXXXXXXXX": a staging directory is never seen unlocked while
 * its owner lives, which is how reconciliation tells a dead run from a
 * slow one without a race.
 */
#include "specgate/evidence.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "evidence/evidence_int.h"
#include "hash/digest.h"
#include "specgate/intoto.h"
#include "specgate/sys/signer.h"
#include "util/utctime.h"

#define MAX_SUBDIRS 8

/* A checkpoint as recorded, with the seq the trail gave it. */
struct cp {
	enum sg_stage_id stage;
	char status[24];
	char *output;
	char sha256[65];
	char *detail;
	char ts[SG_UTC_ISO_SIZE];
	uint64_t seq;
};

struct sg_bundle {
	struct sg_evidence_options o; /* strings below */
	char *root;
	char *reports_opt;
	char *reports_path; /* relative to the cwd */
	struct sg_dir reports;
	struct sg_dir fdir;    /* reports/<fid> */
	struct sg_dir staging; /* locked for the bundle's life */
	char *staging_name;    /* ".staging-..." in fdir */
	char *staging_store;   /* relative to the root, for the store */
	char fid[SG_FEATURE_ID_SIZE];
	bool has_run;
	char run_id[SG_RUN_ID_SIZE];
	char mode[16];
	char mode_floor[16]; /* "" unless above mode */
	char *project;
	char *project_version;
	time_t started;
	enum sg_stage_id to;
	char *continues;	 /* the waiting run continued, or NULL */
	char *continues_sha;	 /* its manifest's SHA-256 */
	struct cp *cps;
	size_t ncps;
	struct sg_audit_head head; /* after the last checkpoint */
	enum sg_bundle_state state;
	bool closed; /* an audit record closes the run in the trail */
	char *subdirs[MAX_SUBDIRS];
	size_t nsubdirs;
	struct sg_signer *signer; /* borrowed; NULL: an unsigned bundle */
	char *unsigned_why;	  /* said in the manifest when unsigned */
	struct sg_intoto_link *deps; /* materials of the links written */
	struct sg_intoto_link *subjects; /* declared artifacts (products) */
	bool has_source;		 /* sg_bundle_set_source() called */
	bool src_found, src_dirty;
	char *src_url, *src_ref, *src_commit;
	sg_bundle_derived_fn derived; /* the release report, or NULL */
	void *derived_payload;
	bool in_derived;	/* inside derived(): what is written is kept */
	char **derived_names;	/* the files derived() wrote */
	size_t nderived;
};

static const char *
stage_name(enum sg_stage_id s)
{
	return sg_stage_name(s);
}

/* Create ".new-*", lock it, then rename it ".staging-*" (see the top). */
static int
make_staging(struct sg_bundle *b, struct sg_error *err)
{
	char *tmp = NULL;
	char *rel;
	bool locked;
	int error;

	if ((error = sg_dir_make_temp(&tmp, &b->fdir, ".new-",
		 SG_EVIDENCE__DIR_MODE, err)) < 0)
		return error;
	if ((error = sg_dir_open(&b->staging, &b->fdir, tmp, SG_DIR_NOFOLLOW,
		 err)) < 0 ||
	    (error = sg_dir_lock(&locked, &b->staging, false, err)) < 0)
		goto out;
	if (!locked) {
		error = sg_error_set(err, SG_EIO,
		    "'%s' is locked by another process", b->staging.path);
		goto out;
	}
	b->staging_name = sg_xasprintf(SG_EVIDENCE__STAGING_PREFIX "%s",
	    tmp + strlen(".new-"));
	if ((error = sg_dir_rename(&b->fdir, tmp, &b->fdir, b->staging_name,
		 SG_DIR_NOREPLACE, err)) < 0)
		goto out;
	free(b->staging.path);
	b->staging.path = sg_evidence__join(b->fdir.path, b->staging_name);
	rel = sg_xasprintf("%s/%s", b->fid, b->staging_name);
	b->staging_store = sg_evidence__store_path(&b->o, rel);
	free(rel);
out:
	if (error && !b->staging_name)
		sg_dir_remove_tree(&b->fdir, tmp, NULL);
	free(tmp);
	return error;
}

int
sg_bundle_begin(struct sg_bundle **out, const struct sg_evidence_options *opts,
    const char *feature_id, struct sg_error *err)
{
	struct sg_bundle *b;
	bool created = false;
	int error;

	*out = NULL;
	if (opts->version != SG_EVIDENCE_OPTIONS_VERSION)
		SG_BUG("struct sg_evidence_options of an unknown version");
	if (!sg_feature_id_is_valid(feature_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid feature id '%.20s'", feature_id);
	b = sg_xcalloc(1, sizeof(*b));
	b->root = sg_xstrdup(opts->root ? opts->root : ".");
	b->reports_opt = sg_xstrdup(opts->reports ? opts->reports : "reports");
	b->o = *opts;
	b->o.root = b->root;
	b->o.reports = b->reports_opt;
	b->reports.fd = b->fdir.fd = b->staging.fd = -1;
	memcpy(b->fid, feature_id, SG_FEATURE_ID_SIZE);
	b->reports_path = sg_evidence__reports_path(&b->o);
	if ((error = sg_dir_make_all(b->reports_path, SG_EVIDENCE__DIR_MODE,
		 err)) < 0 ||
	    (error = sg_dir_open(&b->reports, NULL, b->reports_path, 0,
		 err)) < 0 ||
	    (error = sg_dir_make(&created, &b->reports, feature_id,
		 SG_EVIDENCE__DIR_MODE, err)) < 0)
		goto out;
	/* A new feature directory must survive a crash before its bundle. */
	if (created && (error = sg_dir_sync(&b->reports, err)) < 0)
		goto out;
	if ((error = sg_dir_open(&b->fdir, &b->reports, feature_id,
		 SG_DIR_NOFOLLOW, err)) < 0 ||
	    (error = make_staging(b, err)) < 0)
		goto out;
	*out = b;
	b = NULL;
out:
	sg_bundle_free(b);
	return error;
}

const char *
sg_bundle_staging(const struct sg_bundle *b)
{
	return b->staging_store;
}

enum sg_bundle_state
sg_bundle_state(const struct sg_bundle *b)
{
	return b->state;
}

int
sg_bundle_set_run(struct sg_bundle *b, const struct sg_bundle_run *run,
    struct sg_error *err)
{
	if (run->version != SG_BUNDLE_RUN_VERSION)
		SG_BUG("struct sg_bundle_run of an unknown version");
	if (b->has_run)
		SG_BUG("sg_bundle_set_run() twice");
	if (!sg_run_id_is_valid(run->run_id))
		return sg_error_set(err, SG_EINVAL, "invalid run id '%.24s'",
		    run->run_id ? run->run_id : "");
	if ((unsigned)run->mode >= SG_MODE_COUNT)
		SG_BUG("sg_bundle_set_run() in an unknown mode");
	snprintf(b->run_id, sizeof(b->run_id), "%s", run->run_id);
	snprintf(b->mode, sizeof(b->mode), "%s", sg_mode_name(run->mode));
	snprintf(b->mode_floor, sizeof(b->mode_floor), "%s",
	    run->mode_floor ? run->mode_floor : "");
	b->project = sg_xstrdup(run->project ? run->project : "");
	b->project_version = sg_xstrdup(run->project_version ?
		run->project_version : "");
	b->started = run->started ? run->started : sg_utc_now();
	b->to = run->to;
	if (run->continues) {
		b->continues = sg_xstrdup(run->continues);
		b->continues_sha = sg_xstrdup(run->continues_manifest_sha256 ?
			run->continues_manifest_sha256 : "");
	}
	b->has_run = true;
	return 0;
}

/* A file name the caller may write: "a" or "dir/a", no dot names. */
static bool
name_ok(const char *name)
{
	const char *slash = strchr(name, '/');

	if (!*name || *name == '.' || strchr(name, '\\'))
		return false;
	if (slash && (strchr(slash + 1, '/') || slash[1] == '.' ||
			 !slash[1]))
		return false;
	return strcmp(name, SG_BUNDLE_MANIFEST) &&
	    strcmp(name, SG_BUNDLE_CHECKPOINTS);
}

/* Open (creating) the subdirectory of name's first component. */
static int
subdir(struct sg_dir *out, struct sg_bundle *b, const char *dir,
    struct sg_error *err)
{
	bool created = false;
	int error;

	if ((error = sg_dir_make(&created, &b->staging, dir,
		 SG_EVIDENCE__DIR_MODE, err)) < 0)
		return error;
	if (created) {
		if (b->nsubdirs == MAX_SUBDIRS)
			return sg_error_set(err, SG_EINVAL,
			    "a bundle has at most %d subdirectories",
			    MAX_SUBDIRS);
		b->subdirs[b->nsubdirs++] = sg_xstrdup(dir);
	}
	return sg_dir_open(out, &b->staging, dir, SG_DIR_NOFOLLOW, err);
}

static int
write_file(struct sg_bundle *b, const char *name, const void *data,
    size_t len, char *out_sha256, struct sg_error *err)
{
	struct sg_dir sub = SG_DIR_INIT;
	const char *slash = strchr(name, '/');
	char *dir = NULL;
	int error;

	if (out_sha256 &&
	    (error = sg_sha256_hex(out_sha256, data, len, err)) < 0)
		return error;
	if (!slash)
		return sg_dir_write_file(&b->staging, name, data, len,
		    SG_EVIDENCE__FILE_MODE, err);
	dir = sg_xstrndup(name, (size_t)(slash - name));
	if ((error = subdir(&sub, b, dir, err)) < 0)
		goto out;
	error = sg_dir_write_file(&sub, slash + 1, data, len,
	    SG_EVIDENCE__FILE_MODE, err);
out:
	sg_dir_close(&sub);
	free(dir);
	return error;
}

int
sg_bundle_write(struct sg_bundle *b, const char *name, const void *data,
    size_t len, char *out_sha256, struct sg_error *err)
{
	if (b->state != SG_BUNDLE_STAGING)
		SG_BUG("sg_bundle_write() after the seal");
	int error;

	if (!name_ok(name))
		return sg_error_set(err, SG_EINVAL,
		    "'%s' cannot be a file of a bundle", name);
	if ((error = write_file(b, name, data, len, out_sha256, err)) < 0)
		return error;
	if (b->in_derived) {
		b->derived_names = sg_xreallocarray(b->derived_names,
		    b->nderived + 1, sizeof(*b->derived_names));
		b->derived_names[b->nderived++] = sg_xstrdup(name);
	}
	return 0;
}

void
sg_bundle_set_derived(struct sg_bundle *b, sg_bundle_derived_fn fn,
    void *payload)
{
	b->derived = fn;
	b->derived_payload = payload;
}

void
sg_bundle_set_signer(struct sg_bundle *b, struct sg_signer *signer,
    const char *why)
{
	b->signer = signer;
	free(b->unsigned_why);
	b->unsigned_why = why ? sg_xstrdup(why) : NULL;
}

bool
sg_bundle_is_signed(const struct sg_bundle *b)
{
	return b->signer != NULL;
}

int
sg_bundle_write_link(struct sg_bundle *b, struct sg_intoto_link *l,
    struct sg_error *err)
{
	const struct sg_intoto_artifact *m;
	char *text = NULL;
	char *name = NULL;
	char *path = NULL;
	size_t len;
	size_t n;
	int error;

	if (!b->signer)
		return 0;
	if (!b->has_run)
		SG_BUG("sg_bundle_write_link() before sg_bundle_set_run()");
	sg_intoto_link_env(l, "mode", b->mode);
	sg_intoto_link_env(l, "feature_id", b->fid);
	sg_intoto_link_env(l, "run_id", b->run_id);
	if ((error = sg_intoto_link_sign(&text, &len, &name, l, b->signer,
		 err)) < 0)
		goto out;
	path = sg_xasprintf(SG_BUNDLE_LINKS "/%s", name);
	if ((error = sg_bundle_write(b, path, text, len, NULL, err)) < 0)
		goto out;
	if (!b->deps)
		sg_intoto_link_new(&b->deps, "deps");
	m = sg_intoto_link_materials(l, &n);
	for (size_t i = 0; i < n; i++)
		if ((error = sg_intoto_link_material(b->deps, m[i].path,
			 m[i].sha256, err)) < 0)
			goto out;
out:
	free(path);
	free(name);
	free(text);
	return error;
}

void
sg_bundle_set_source(struct sg_bundle *b, bool found, const char *url,
    const char *ref, const char *commit, bool dirty)
{
	free(b->src_url);
	free(b->src_ref);
	free(b->src_commit);
	b->has_source = true;
	b->src_found = found;
	b->src_dirty = dirty;
	b->src_url = url ? sg_xstrdup(url) : NULL;
	b->src_ref = ref ? sg_xstrdup(ref) : NULL;
	b->src_commit = commit && *commit ? sg_xstrdup(commit) : NULL;
}

int
sg_bundle_add_subject(struct sg_bundle *b, const char *path,
    const char *sha256, struct sg_error *err)
{
	if (!b->subjects)
		sg_intoto_link_new(&b->subjects, "subjects");
	return sg_intoto_link_material(b->subjects, path, sha256, err);
}

/* Fill in an audit record for checkpoint cp of b. */
static void
to_record(struct sg_audit_record *r, const struct sg_bundle *b,
    const struct cp *cp)
{
	memset(r, 0, sizeof(*r));
	r->timestamp = cp->ts;
	r->run_id = b->run_id;
	r->feature_id = b->fid;
	r->stage = stage_name(cp->stage);
	r->status = cp->status;
	r->output = cp->output;
	r->output_sha256 = cp->sha256;
	r->mode = b->mode;
}

static void
cp_release(struct cp *cp)
{
	free(cp->output);
	free(cp->detail);
}

static int
cp_init(struct cp *cp, const struct sg_checkpoint *c, struct sg_error *err)
{
	memset(cp, 0, sizeof(*cp));
	if (c->stage < 0 || c->stage >= SG_STAGE_COUNT)
		SG_BUG("checkpoint of an unknown stage");
	if (!sg_audit_status_is_valid(c->status))
		return sg_error_set(err, SG_EINVAL,
		    "invalid checkpoint status '%.24s'",
		    c->status ? c->status : "");
	snprintf(cp->status, sizeof(cp->status), "%s", c->status);
	cp->stage = c->stage;
	cp->output = c->output && *c->output ? sg_xstrdup(c->output) : NULL;
	if (cp->output && c->output_sha256)
		snprintf(cp->sha256, sizeof(cp->sha256), "%s",
		    c->output_sha256);
	cp->detail = c->detail ? sg_xstrdup(c->detail) : NULL;
	if (sg_utc_iso(cp->ts, c->when ? c->when : sg_utc_now()) < 0)
		return sg_error_set(err, SG_EINVAL,
		    "checkpoint time %lld is out of range",
		    (long long)c->when);
	return 0;
}

int
sg_bundle_checkpoint(struct sg_bundle *b, struct sg_store *st,
    const struct sg_checkpoint *cps, size_t n, struct sg_error *err)
{
	struct sg_audit_record *recs;
	struct sg_audit_head head;
	struct cp *mine;
	int error = 0;

	if (!b->has_run || b->state != SG_BUNDLE_STAGING || b->closed)
		SG_BUG("sg_bundle_checkpoint() out of order");
	if (!n)
		return 0;
	/* Zeroed: cp_release() of any of them is safe on failure. */
	mine = sg_xcalloc(n, sizeof(*mine));
	recs = sg_xcalloc(n, sizeof(*recs));
	for (size_t i = 0; i < n; i++) {
		if ((error = cp_init(&mine[i], &cps[i], err)) < 0)
			goto out;
		to_record(&recs[i], b, &mine[i]);
	}
	if ((error = sg_audit_append(&head, st, recs, n, err)) < 0)
		goto out;
	b->head = head;
	b->cps = sg_xreallocarray(b->cps, b->ncps + n, sizeof(*b->cps));
	for (size_t i = 0; i < n; i++) {
		mine[i].seq = head.seq - n + 1 + i;
		b->cps[b->ncps++] = mine[i];
	}
out:
	/* On success the checkpoints now belong to b. */
	for (size_t i = 0; error && i < n; i++)
		cp_release(&mine[i]);
	free(mine);
	free(recs);
	return error;
}

/* checkpoints.log: the run's checkpoints and the audit stage's own. */
static void
checkpoint_log(struct sg_buf *out, const struct sg_bundle *b,
    const struct cp *audit)
{
	struct sg_audit_record r;
	char line[SG_AUDIT_LINE_SIZE];

	for (size_t i = 0; i <= b->ncps; i++) {
		to_record(&r, b, i < b->ncps ? &b->cps[i] : audit);
		sg_audit_format_line(line, sizeof(line), &r);
		sg_buf_puts(out, line);
		sg_buf_putc(out, '\n');
	}
}

static json_t *
str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* One entry per stage that has checkpoints: its last one, and a count. */
static json_t *
stages_json(const struct sg_bundle *b, const struct cp *audit)
{
	json_t *a = json_array();

	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		const struct cp *last = NULL;
		unsigned attempts = 0;

		for (size_t i = 0; i <= b->ncps; i++) {
			const struct cp *cp = i < b->ncps ? &b->cps[i] : audit;

			if ((int)cp->stage == s) {
				last = cp;
				attempts++;
			}
		}
		if (!last)
			continue;
		json_array_append_new(a,
		    json_pack("{s:s, s:s, s:I, s:o, s:o, s:s, s:o}", "stage",
			stage_name(last->stage), "status", last->status,
			"checkpoints", (json_int_t)attempts, "output",
			str_or_null(last->output), "sha256",
			str_or_null(last->sha256), "timestamp", last->ts,
			"detail", str_or_null(last->detail)));
	}
	return a;
}

static json_t *
files_json(const struct sg_hash_item *items, size_t n)
{
	json_t *a = json_array();
	json_t *f;

	for (size_t i = 0; i < n; i++) {
		f = json_pack("{s:s, s:s, s:I, s:s}", "path", items[i].path,
		    "type", items[i].type == SG_FS_SYMLINK ? "symlink" : "file",
		    "size", (json_int_t)items[i].size, "sha256",
		    items[i].sha256);
		if (items[i].type == SG_FS_SYMLINK)
			json_object_set_new(f, "target",
			    json_string(items[i].target));
		json_array_append_new(a, f);
	}
	return a;
}

/* "signing": who signed the bundle's documents, or why nobody did. */
static int
signing_json(json_t **out, const struct sg_bundle *b, struct sg_error *err)
{
	const struct sg_key *key;
	char id[SG_KEYID_HEX_LEN + 1];
	char iid[SG_KEYID_HEX_LEN + 1];
	char *pem = NULL;
	int error;

	*out = NULL;
	if (!b->signer) {
		*out = json_pack("{s:b, s:s}", "signed", 0, "reason",
		    b->unsigned_why ? b->unsigned_why : "no signing key");
		return 0;
	}
	key = sg_signer_public_key(b->signer);
	if ((error = sg_key_id(id, key, err)) < 0 ||
	    (error = sg_intoto_keyid(iid, key, err)) < 0 ||
	    (error = sg_key_public_pem(&pem, key, err)) < 0)
		return error;
	*out = json_pack("{s:b, s:s, s:s, s:s, s:s}", "signed", 1, "keyid",
	    id, "intoto_keyid", iid, "key_type",
	    sg_key_type_name(sg_key_get_type(key)), "public_key", pem);
	free(pem);
	return 0;
}

static int
render_manifest(char **out, const struct sg_bundle *b,
    const struct cp *audit, const struct sg_hash_item *items, size_t n,
    const char *run_status, struct sg_error *err)
{
	char now[SG_UTC_ISO_SIZE];
	char started[SG_UTC_ISO_SIZE];
	json_t *doc;
	json_t *seqs;
	json_t *signing;
	int error;

	*out = NULL;
	if (sg_utc_iso(now, sg_utc_report_now()) < 0 ||
	    sg_utc_iso(started, b->started) < 0)
		return sg_error_set(err, SG_EINVAL,
		    "the clock is out of range");
	if ((error = signing_json(&signing, b, err)) < 0)
		return error;
	seqs = json_array();
	for (size_t i = 0; i < b->ncps; i++)
		json_array_append_new(seqs,
		    json_integer((json_int_t)b->cps[i].seq));
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s}", "schema",
	    SG_MANIFEST_SCHEMA, "feature_id", b->fid, "run_id", b->run_id,
	    "mode", b->mode, "timestamp", now);
	json_object_set_new(doc, "tool",
	    json_pack("{s:s, s:s, s:s}", "name", "specgate", "version",
		SG_VERSION, "commit", SG_COMMIT));
	if (b->mode_floor[0])
		json_object_set_new(doc, "mode_floor",
		    json_string(b->mode_floor));
	json_object_set_new(doc, "project",
	    json_pack("{s:s, s:s}", "name", b->project, "version",
		b->project_version));
	json_object_set_new(doc, "run",
	    json_pack("{s:s, s:s, s:s}", "status", run_status, "started",
		started, "to", stage_name(b->to)));
	/* A continuation names its waiting run: one release, one record. */
	if (b->continues)
		json_object_set_new(doc, "continues",
		    json_pack("{s:s, s:s}", "run_id", b->continues,
			"manifest_sha256", b->continues_sha));
	json_object_set_new(doc, "stages", stages_json(b, audit));
	json_object_set_new(doc, "files", files_json(items, n));
	json_object_set_new(doc, "signing", signing);
	if (b->has_source)
		json_object_set_new(doc, "source", json_pack("{s:b, s:s?, "
		    "s:s?, s:s?, s:b}", "git", b->src_found, "repository",
		    b->src_url, "ref", b->src_ref, "commit", b->src_commit,
		    "dirty", b->src_dirty));
	json_object_set_new(doc, "audit_trail",
	    json_pack("{s:I, s:s, s:o}", "seq", (json_int_t)b->head.seq,
		"hash", b->head.hash, "records", seqs));
	*out = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(doc);
	if (!*out)
		return sg_error_set(err, SG_EIO, "cannot render manifest.json");
	return 0;
}

/*
 * The final name must be free, active or archived, before the seal: a
 * store only knows its own run ids, and a reports directory that another
 * store wrote into (the store was moved, or SPECGATE_DATABASE_URL changed)
 * may hold the same one.  Failing here leaves nothing behind; failing at
 * the rename would leave a sealed bundle that cannot be published.
 */
static int
check_free(struct sg_bundle *b, struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_fs_stat st;
	char *rel;
	int e1;
	int e2;

	rel = sg_xasprintf(SG_EVIDENCE__ARCHIVE "/%.8s/%s/%s", b->run_id,
	    b->fid, b->run_id);
	e1 = sg_dir_lstat(&st, &b->fdir, b->run_id, &mine);
	sg_error_release(&mine);
	e2 = sg_dir_lstat(&st, &b->reports, rel, &mine);
	sg_error_release(&mine);
	free(rel);
	if (e1 != SG_ENOTFOUND || e2 != SG_ENOTFOUND)
		return sg_error_set(err, SG_EIO,
		    "a bundle of run %s of feature %s already exists in '%s' "
		    "(%s): is the reports directory shared with another store?",
		    b->run_id, b->fid, b->reports_path,
		    e1 != SG_ENOTFOUND ? "active" : "archived");
	return 0;
}

static bool
is_link(const char *path)
{
	return !strncmp(path, SG_BUNDLE_LINKS "/", strlen(SG_BUNDLE_LINKS) + 1);
}

/*
 * The documents the run writes for the audit stage before it publishes
 * (resource-estimates.json, artifacts.json): products of audit, not
 * materials, so root.layout's audit step allows them.
 */
static bool
is_audit_document(const char *path)
{
	return !strcmp(path, "resource-estimates.json") ||
	    !strcmp(path, "artifacts.json");
}

static bool
is_json(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && !strcmp(path + n - 5, ".json");
}

bool
sg_bundle_is_signed_document(const char *rel)
{
	return (is_json(rel) && !is_link(rel)) ||
	    !strcmp(rel, SG_BUNDLE_REPORT_MD) ||
	    !strcmp(rel, SG_BUNDLE_REPORT_HTML);
}

/* The files of the staging directory that keep(path) wants, hashed. */
static int
hash_some(struct sg_hash_item **out, size_t *nout, struct sg_bundle *b,
    bool (*keep)(const char *, const void *), const void *arg,
    struct sg_error *err)
{
	struct sg_evidence__listing l = {NULL, NULL, 0, 0};
	struct sg_hash_item *items;
	size_t n = 0;
	int error;

	*out = NULL;
	*nout = 0;
	if ((error = sg_evidence__list_files(&l, &b->staging, err)) < 0)
		goto out;
	items = sg_xcalloc(l.n + 1, sizeof(*items));
	for (size_t i = 0; i < l.n; i++) {
		if (keep(l.paths[i], arg)) {
			items[n++].path = l.paths[i];
			l.paths[i] = NULL; /* now items[]'s */
		}
	}
	error = sg_hash_files(items, n, &b->staging, NULL, err);
	*out = items;
	*nout = n;
out:
	sg_evidence__listing_release(&l);
	return error;
}

static void
hashed_free(struct sg_hash_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		free((char *)items[i].path);
	sg_hash_items_release(items, n);
	free(items);
}

/* What the stages before audit left: everything but links and the log. */
static bool
keep_pre(const char *path, const void *arg)
{
	(void)arg;
	return !is_link(path) && strcmp(path, SG_BUNDLE_CHECKPOINTS) &&
	    !is_audit_document(path);
}

/* What the audit stage wrote: not a link, not in pre. */
struct pre {
	const struct sg_hash_item *v;
	size_t n;
};

static bool
keep_audit(const char *path, const void *arg)
{
	const struct pre *p = arg;

	if (is_link(path))
		return false;
	for (size_t i = 0; i < p->n; i++) {
		if (!strcmp(p->v[i].path, path))
			return false;
	}
	return true;
}

static int
sign_path(struct sg_bundle *b, const char *name, struct sg_error *err)
{
	char *path = sg_evidence__join(b->staging.path, name);
	char *sig = sg_xasprintf("%s.sig", path);
	int error = sg_sign_file(b->signer, path, sig, err);

	free(sig);
	free(path);
	return error;
}

static struct sg_intoto_artifact *
artifacts(const struct sg_hash_item *items, size_t n)
{
	struct sg_intoto_artifact *a = sg_xcalloc(n + 1, sizeof(*a));

	for (size_t i = 0; i < n; i++) {
		a[i].path = items[i].path;
		a[i].sha256 = items[i].sha256;
	}
	return a;
}

/*
 * The audit stage's signatures, before the manifest: the provenance
 * (its subjects: what the stages before audit left in the bundle, pre),
 * then FILE.sig for every JSON document.
 */
static int
sign_documents(struct sg_bundle *b, const struct sg_hash_item *pre,
    size_t npre, struct sg_error *err)
{
	struct sg_intoto_provenance p;
	struct sg_intoto_artifact *subjects = artifacts(pre, npre);
	struct sg_evidence__listing l = {NULL, NULL, 0, 0};
	char *text = NULL;
	int error;

	memset(&p, 0, sizeof(p));
	p.version = SG_INTOTO_PROVENANCE_VERSION;
	p.subjects = subjects;
	p.nsubjects = npre;
	/* The declared artifacts, when there are any: what a verifier
	 * holding the binary looks for (docs/signing.md). */
	if (b->subjects)
		p.subjects = sg_intoto_link_materials(b->subjects,
		    &p.nsubjects);
	p.deps = b->deps ? sg_intoto_link_materials(b->deps, &p.ndeps) : NULL;
	p.project = b->project;
	p.project_version = b->project_version;
	p.feature_id = b->fid;
	p.run_id = b->run_id;
	p.mode = b->mode;
	p.started = b->started;
	p.finished = sg_utc_now();
	p.source_url = b->src_url;
	p.source_ref = b->src_ref;
	p.source_commit = b->src_commit;
	p.source_dirty = b->src_dirty;
	if ((error = sg_intoto_provenance(&text, &p, b->signer, err)) < 0 ||
	    (error = write_file(b, SG_BUNDLE_PROVENANCE, text, strlen(text),
		 NULL, err)) < 0 ||
	    (error = sg_evidence__list_files(&l, &b->staging, err)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		if (sg_bundle_is_signed_document(l.paths[i]) &&
		    (error = sign_path(b, l.paths[i], err)) < 0)
			goto out;
	}
out:
	sg_evidence__listing_release(&l);
	free(subjects);
	free(text);
	return error;
}

/*
 * The audit stage's link, after manifest.json and its .sig: materials are
 * what the earlier stages left (pre), products what audit wrote.
 */
static int
audit_link(struct sg_bundle *b, const struct sg_hash_item *pre, size_t npre,
    struct sg_error *err)
{
	struct sg_intoto_link *l = NULL;
	struct sg_hash_item *mine = NULL;
	struct pre p = {pre, npre};
	size_t n = 0;
	int error;

	if ((error = hash_some(&mine, &n, b, keep_audit, &p, err)) < 0)
		goto out;
	sg_intoto_link_new(&l, stage_name(SG_STAGE_AUDIT));
	for (size_t i = 0; i < npre; i++)
		if ((error = sg_intoto_link_material(l, pre[i].path,
			 pre[i].sha256, err)) < 0)
			goto out;
	for (size_t i = 0; i < n; i++)
		if ((error = sg_intoto_link_product(l, mine[i].path,
			 mine[i].sha256, err)) < 0)
			goto out;
	error = sg_bundle_write_link(b, l, err);
out:
	sg_intoto_link_free(l);
	hashed_free(mine, n);
	return error;
}

/*
 * The documents made from the bundle (sg_bundle_set_derived()), from a
 * draft of the manifest over the files *l hashed in *items; then *l and
 * *items are the files with them, the digests of the others reused (the
 * new listing holds the old one in its order, plus the new names; a
 * file not found there is hashed again, which is only slower).
 */
static int
derived(struct sg_bundle *b, const struct cp *audit,
    struct sg_evidence__listing *l, struct sg_hash_item **items,
    const char *run_status, struct sg_error *err)
{
	struct sg_evidence__listing l2 = {NULL, NULL, 0, 0};
	struct sg_hash_item *v2 = NULL, *fresh = NULL;
	size_t *at = NULL;
	size_t nfresh = 0, j = 0;
	char *draft = NULL;
	int error;

	if ((error = render_manifest(&draft, b, audit, *items, l->n,
		 run_status, err)) < 0)
		return error;
	b->in_derived = true;
	error = b->derived(b, b->staging.path, draft, b->derived_payload,
	    err);
	b->in_derived = false;
	free(draft);
	for (size_t i = 0; !error && b->signer && i < b->nderived; i++)
		error = sign_path(b, b->derived_names[i], err);
	if (error < 0 ||
	    (error = sg_evidence__list_files(&l2, &b->staging, err)) < 0)
		goto out;
	v2 = sg_xcalloc(l2.n + 1, sizeof(*v2));
	fresh = sg_xcalloc(l2.n + 1, sizeof(*fresh));
	at = sg_xcalloc(l2.n + 1, sizeof(*at));
	for (size_t i = 0; i < l2.n; i++) {
		const struct sg_hash_item *o = j < l->n ? &(*items)[j] : NULL;

		v2[i].path = l2.paths[i];
		if (o && !strcmp(o->path, l2.paths[i])) {
			v2[i].type = o->type;
			v2[i].size = o->size;
			memcpy(v2[i].sha256, o->sha256, sizeof(o->sha256));
			v2[i].target = o->target ? sg_xstrdup(o->target) :
						   NULL;
			j++;
		} else {
			at[nfresh] = i;
			fresh[nfresh++].path = l2.paths[i];
		}
	}
	if ((error = sg_hash_files(fresh, nfresh, &b->staging, NULL,
		 err)) < 0)
		goto out;
	for (size_t k = 0; k < nfresh; k++) {
		v2[at[k]] = fresh[k];
		fresh[k].target = NULL; /* now v2's */
	}
	sg_hash_items_release(*items, l->n);
	free(*items);
	sg_evidence__listing_release(l);
	*items = v2;
	*l = l2;
	v2 = NULL;
	l2.paths = NULL;
	l2.types = NULL;
	l2.n = 0;
out:
	if (v2)
		sg_hash_items_release(v2, l2.n);
	free(v2);
	if (fresh)
		sg_hash_items_release(fresh, nfresh);
	free(fresh);
	free(at);
	sg_evidence__listing_release(&l2);
	return error;
}

/*
 * The documents of the bundle the store keeps with its records
 * (sg_store_documents_put()): manifest.json and its .sig, checkpoints.log,
 * the JSON documents and every .sig, the in-toto links, the release
 * report.  Never the logs nor the artifacts (anything else in a
 * subdirectory), which stay with the bundle.
 */
static bool
is_stored_document(const char *rel)
{
	size_t n = strlen(rel);

	if (is_link(rel))
		return !strchr(rel + strlen(SG_BUNDLE_LINKS) + 1, '/');
	if (strchr(rel, '/'))
		return false;
	return !strcmp(rel, SG_BUNDLE_CHECKPOINTS) ||
	    sg_bundle_is_signed_document(rel) ||
	    !strcmp(rel, SG_BUNDLE_MANIFEST) ||
	    (n > 4 && !strcmp(rel + n - 4, ".sig"));
}

/* Where a document goes in the order of sg_store_documents_put(). */
static int
doc_rank(const char *rel)
{
	if (!strcmp(rel, SG_BUNDLE_MANIFEST))
		return 0;
	if (!strcmp(rel, SG_BUNDLE_MANIFEST_SIG))
		return 1;
	if (!strcmp(rel, SG_BUNDLE_CHECKPOINTS))
		return 2;
	return 3;
}

struct seal_txn {
	struct sg_audit_record *r;
	struct sg_audit_head *seal;
};

static int
seal_in_txn(struct sg_store *st, void *payload, struct sg_error *err)
{
	struct seal_txn *t = payload;

	return sg_audit_append_in_txn(t->seal, st, t->r, 1, err);
}

/*
 * Step 3: the seal, and in the same writer transaction the bundle's
 * documents, so that a sealed run has its documents in the store and an
 * unsealed one has none.  A document past the caps is left out (the
 * manifest first, so that it is the last to go); verify --store says
 * which.
 */
static int
store_documents(struct sg_bundle *b, struct sg_store *st,
    struct sg_audit_record *r, struct sg_bundle_published *out,
    struct sg_error *err)
{
	struct sg_evidence__listing l = {NULL, NULL, 0, 0};
	struct sg_error mine = SG_ERROR_INIT;
	struct seal_txn t = {r, &out->seal};
	struct sg_store_document *docs = NULL;
	struct sg_buf *bufs = NULL;
	size_t n = 0;
	size_t stored = 0;
	int error;

	if ((error = sg_evidence__list_files(&l, &b->staging, err)) < 0)
		goto out;
	docs = sg_xcalloc(l.n + 1, sizeof(*docs));
	bufs = sg_xcalloc(l.n + 1, sizeof(*bufs));
	for (int rank = 0; rank <= 3; rank++) {
		for (size_t i = 0; i < l.n; i++) {
			const char *rel = l.paths[i];

			if (l.types[i] != SG_FS_FILE ||
			    !is_stored_document(rel) || doc_rank(rel) != rank)
				continue;
			sg_buf_init(&bufs[n], 0);
			error = sg_evidence__read_entry(&bufs[n], &b->staging,
			    rel, &mine);
			sg_error_release(&mine);
			if (error == SG_ETOOBIG) {
				/* past every cap: not stored */
				sg_buf_release(&bufs[n]);
				out->documents_left_out++;
				continue;
			}
			if (error < 0) {
				sg_buf_release(&bufs[n]);
				error = sg_error_set(err, SG_EIO,
				    "cannot read '%s' of the bundle to store "
				    "it", rel);
				goto out;
			}
			docs[n].path = rel;
			docs[n].data = bufs[n].ptr;
			docs[n].len = bufs[n].len;
			n++;
		}
	}
	if ((error = sg_store_documents_put(&stored, st, b->fid, b->run_id,
		 docs, n, seal_in_txn, &t, err)) < 0)
		goto out;
	out->documents = stored;
	out->documents_left_out += n - stored;
out:
	for (size_t i = 0; i < n; i++)
		sg_buf_release(&bufs[i]);
	free(bufs);
	free(docs);
	sg_evidence__listing_release(&l);
	return error;
}

/* Steps 2 and 3: checkpoints.log, manifest.json, syncs, the seal. */
static int
seal(struct sg_bundle *b, struct sg_store *st, const char *run_status,
    struct sg_bundle_published *out, struct sg_error *err)
{
	struct sg_evidence__listing l = {NULL, NULL, 0, 0};
	struct sg_hash_item *items = NULL;
	struct sg_hash_item *pre = NULL;
	size_t npre = 0;
	struct sg_dir sub = SG_DIR_INIT;
	struct sg_audit_record r;
	struct cp audit;
	struct sg_buf log;
	char *manifest = NULL;
	int error;

	memset(&audit, 0, sizeof(audit));
	audit.stage = SG_STAGE_AUDIT;
	snprintf(audit.status, sizeof(audit.status), "success");
	audit.output = sg_xstrdup(SG_BUNDLE_MANIFEST);
	sg_buf_init(&log, 0);
	if (sg_utc_iso(audit.ts, sg_utc_now()) < 0) {
		error = sg_error_set(err, SG_EINVAL,
		    "the clock is out of range");
		goto out;
	}
	checkpoint_log(&log, b, &audit);
	if ((error = check_free(b, err)) < 0 ||
	    (error = write_file(b, SG_BUNDLE_CHECKPOINTS, log.ptr, log.len,
		 NULL, err)) < 0)
		goto out;
	if (b->signer &&
	    ((error = hash_some(&pre, &npre, b, keep_pre, NULL, err)) < 0 ||
		(error = sign_documents(b, pre, npre, err)) < 0))
		goto out;
	if ((error = sg_evidence__list_files(&l, &b->staging, err)) < 0)
		goto out;
	items = sg_xcalloc(l.n + 1, sizeof(*items));
	for (size_t i = 0; i < l.n; i++)
		items[i].path = l.paths[i];
	if ((error = sg_hash_files(items, l.n, &b->staging, NULL, err)) < 0 ||
	    (b->derived && (error = derived(b, &audit, &l, &items, run_status,
		 err)) < 0) ||
	    (error = render_manifest(&manifest, b, &audit, items, l.n,
		 run_status, err)) < 0 ||
	    (error = write_file(b, SG_BUNDLE_MANIFEST, manifest,
		 strlen(manifest), audit.sha256, err)) < 0)
		goto out;
	if (b->signer &&
	    ((error = sign_path(b, SG_BUNDLE_MANIFEST, err)) < 0 ||
		(error = audit_link(b, pre, npre, err)) < 0))
		goto out;
	for (size_t i = 0; i < b->nsubdirs; i++) {
		if ((error = sg_dir_open(&sub, &b->staging, b->subdirs[i],
			 SG_DIR_NOFOLLOW, err)) < 0 ||
		    (error = sg_dir_sync(&sub, err)) < 0)
			goto out;
		sg_dir_close(&sub);
	}
	if ((error = sg_dir_sync(&b->staging, err)) < 0)
		goto out;
	to_record(&r, b, &audit);
	if ((error = store_documents(b, st, &r, out, err)) < 0)
		goto out;
	b->state = SG_BUNDLE_SEALED;
	b->closed = true;
	out->head = b->head;
	out->nfiles = l.n;
out:
	sg_dir_close(&sub);
	sg_hash_items_release(items, l.n);
	free(items);
	hashed_free(pre, npre);
	sg_evidence__listing_release(&l);
	free(manifest);
	cp_release(&audit);
	sg_buf_release(&log);
	return error;
}

static void
note_archived(const char *feature_id, const char *run_id, const char *what,
    void *payload)
{
	struct sg_bundle_published *p = payload;

	(void)feature_id;
	(void)run_id;
	p->archived = sg_xreallocarray(p->archived, p->narchived + 1,
	    sizeof(*p->archived));
	p->archived[p->narchived++] = sg_xstrdup(what);
}

/* Step 4, under the feature's lock. */
static int
publish(struct sg_bundle *b, struct sg_bundle_published *out,
    struct sg_error *err)
{
	struct sg_dir lock = SG_DIR_INIT;
	char *rel;
	int error;

	if ((error = sg_dir_open(&lock, &b->reports, b->fid, SG_DIR_NOFOLLOW,
		 err)) < 0 ||
	    (error = sg_dir_lock(NULL, &lock, true, err)) < 0 ||
	    (error = sg_dir_rename(&b->fdir, b->staging_name, &b->fdir,
		 b->run_id, SG_DIR_NOREPLACE, err)) < 0)
		goto out;
	b->state = SG_BUNDLE_PUBLISHED;
	rel = sg_xasprintf("%s/%s", b->fid, b->run_id);
	out->path = sg_evidence__join(b->reports_path, rel);
	out->store_path = sg_evidence__store_path(&b->o, rel);
	free(rel);
	/*
	 * The rename must be durable before `latest` can name the bundle:
	 * POSIX does not order two renames in a directory across a crash.
	 */
	if ((error = sg_dir_sync(&b->fdir, err)) < 0)
		goto out;
	error = sg_evidence__retain(&b->reports, &b->fdir, b->fid,
	    b->o.active_runs, note_archived, out, err);
out:
	sg_dir_close(&lock);
	return error;
}

int
sg_bundle_publish(struct sg_bundle_published *out, struct sg_bundle *b,
    struct sg_store *st, enum sg_run_status run_status,
    struct sg_error *err)
{
	int error;

	memset(out, 0, sizeof(*out));
	if (!b->has_run || b->state != SG_BUNDLE_STAGING || b->closed)
		SG_BUG("sg_bundle_publish() out of order");
	/* A run awaiting approval publishes what it did (approval.h). */
	if (!sg_run_status_final(run_status) &&
	    run_status != SG_RUN_AWAITING_APPROVAL)
		SG_BUG("sg_bundle_publish() of a run that is not final");
	/* the manifest's JSON gets the word */
	if ((error = seal(b, st, sg_run_status_name(run_status), out,
		 err)) < 0)
		return error;
	return publish(b, out, err);
}

void
sg_bundle_published_release(struct sg_bundle_published *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->store_path);
	for (size_t i = 0; i < p->narchived; i++)
		free(p->archived[i]);
	free(p->archived);
	memset(p, 0, sizeof(*p));
}

int
sg_bundle_abort(struct sg_bundle *b, struct sg_store *st,
    const char *status, struct sg_error *err)
{
	struct sg_checkpoint c = {SG_STAGE_AUDIT, status, NULL, NULL, NULL, 0};
	struct sg_audit_record r;
	struct cp cp;
	int error = 0;

	if (b->state != SG_BUNDLE_STAGING)
		return 0;
	if (b->ncps && !b->closed) {
		if ((error = cp_init(&cp, &c, err)) < 0)
			return error;
		to_record(&r, b, &cp);
		error = sg_audit_append(NULL, st, &r, 1, err);
		cp_release(&cp);
		if (error)
			return error;
		b->closed = true;
	}
	return 0;
}

void
sg_bundle_free(struct sg_bundle *b)
{
	if (!b)
		return;
	/*
	 * A bundle that was neither sealed nor published goes, while its
	 * lock is still held: nobody else may have it.  (Best effort: what
	 * is left is found by reconciliation.)
	 */
	if (b->staging_name && b->state == SG_BUNDLE_STAGING)
		sg_dir_remove_tree(&b->fdir, b->staging_name, NULL);
	sg_dir_close(&b->staging);
	sg_dir_close(&b->fdir);
	sg_dir_close(&b->reports);
	for (size_t i = 0; i < b->ncps; i++)
		cp_release(&b->cps[i]);
	free(b->cps);
	for (size_t i = 0; i < b->nsubdirs; i++)
		free(b->subdirs[i]);
	for (size_t i = 0; i < b->nderived; i++)
		free(b->derived_names[i]);
	free(b->derived_names);
	free(b->staging_name);
	free(b->staging_store);
	free(b->reports_path);
	free(b->project);
	free(b->project_version);
	free(b->continues);
	free(b->continues_sha);
	free(b->root);
	free(b->reports_opt);
	free(b->unsigned_why);
	sg_intoto_link_free(b->deps);
	sg_intoto_link_free(b->subjects);
	free(b->src_url);
	free(b->src_ref);
	free(b->src_commit);
	free(b);
}
