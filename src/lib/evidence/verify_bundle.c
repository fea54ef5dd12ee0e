/* SPDX-License-Identifier: MIT */
/*
 * verify_bundle.c - `specgate verify BUNDLE`: one bundle, offline
 * (sg_evidence_verify_bundle()).
 *
 * What is checked, in order, every failure a problem naming the file:
 *
 *	1. manifest.json parses; with a store, the run's audit records
 *	   (sg_evidence__check_bundle(): the seal over manifest.json, every
 *	   file's size and digest, checkpoints.log) and the whole chain up
 *	   to the head the manifest records (sg_audit_verify()); without
 *	   one, the files against the manifest (sg_evidence__check_files())
 *	2. the key: the pinned one (--key) must be the one the manifest
 *	   names; without a pin, the manifest's key is used and a note says
 *	   that nothing outside the bundle vouches for it
 *	3. every signed document's .sig (the JSON documents, report.md,
 *	   report.html) and manifest.json.sig
 *	4. every link: its signature, its name, its run, each product (and
 *	   each material that is a file of the bundle) against the file's
 *	   digest; a link per stage
 *	5. provenance.intoto.json: the DSSE signature, every subject
 *	   (a bundle file against the manifest, a declared artifact against
 *	   artifacts.json)
 *	6. the layout, when one is given (--layout): its signature and its
 *	   expiry (a root.layout copied into a bundle is not part of it, and
 *	   is reported as added)
 *
 * The digests of the files the manifest lists were checked in step 1, so
 * steps 4 and 5 compare against the manifest; only the files written
 * after it (manifest.json and its .sig) are hashed again.  A verification
 * reads and never writes.
 */
#include "evidence/evidence_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "hash/digest.h"
#include "sys/fs.h"
#include "util/utctime.h"

struct vb {
	const struct sg_bundle_verify_options *o;
	const struct sg_manifest_file **byname; /* m.files sorted by path */
	struct sg_evidence_report *r;
	struct sg_dir d;
	struct sg_manifest m;
	const struct sg_key *key;
	struct sg_error *err;
	json_t *artifacts; /* artifacts.json's list, read once, or NULL */
	bool artifacts_read;
	bool partial; /* rebuilt from the store: absent files not checked */
};

static void
vproblem(struct vb *v, const char *rel, const char *fmt, ...)
    SG_PRINTF(3, 4);

static void
vproblem(struct vb *v, const char *rel, const char *fmt, ...)
{
	struct sg_evidence_problem *p;
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->r->problems = sg_xreallocarray(v->r->problems, v->r->nproblems + 1,
	    sizeof(*v->r->problems));
	p = &v->r->problems[v->r->nproblems++];
	p->where = rel ? sg_evidence__join(v->o->path, rel) :
			 sg_xstrdup(v->o->path);
	p->message = sg_xstrdup(msg);
	p->seq = 0;
}

static void
vnote(struct vb *v, const char *fmt, ...) SG_PRINTF(2, 3);

static void
vnote(struct vb *v, const char *fmt, ...)
{
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->r->notes = sg_xreallocarray(v->r->notes, v->r->nnotes + 1,
	    sizeof(*v->r->notes));
	v->r->notes[v->r->nnotes++] = sg_xstrdup(msg);
}

static void
problem_cb(const char *where, const char *message, uint64_t seq,
    void *payload)
{
	struct vb *v = payload;
	struct sg_evidence_problem *p;

	v->r->problems = sg_xreallocarray(v->r->problems, v->r->nproblems + 1,
	    sizeof(*v->r->problems));
	p = &v->r->problems[v->r->nproblems++];
	p->where = sg_xstrdup(where);
	p->message = sg_xstrdup(message);
	p->seq = seq;
}

static void
mismatch_cb(const char *rel, const char *what, void *payload)
{
	vproblem(payload, rel, "'%s' %s", rel, what);
}

/*
 * The feature and run a bundle path names, when its last two components
 * are a feature id and a run id (reports/<fid>/<rid>, or archived): then
 * the manifest is parsed once, by sg_evidence__check_bundle(), which also
 * checks that it is the manifest of that run.  (It is the biggest JSON
 * document of a bundle with many artifacts.)
 */
static bool
named_run(char **fid, char **rid, const char *path)
{
	char *p = sg_xstrdup(path);
	size_t n = strlen(p);
	char *slash;
	bool ok = false;

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	slash = strrchr(p, '/');
	if (slash && sg_run_id_is_valid(slash + 1)) {
		*slash = '\0';
		*rid = sg_xstrdup(slash + 1);
		slash = strrchr(p, '/');
		*fid = sg_xstrdup(slash ? slash + 1 : p);
		ok = sg_feature_id_is_valid(*fid);
		if (!ok) {
			free(*fid);
			free(*rid);
			*fid = *rid = NULL;
		}
	}
	free(p);
	return ok;
}

/* Step 1.  fid, rid: the run (owned: freed here), or NULL: v->m's. */
static int
check_files(struct vb *v, char *fid, char *rid)
{
	struct sg_evidence__record *recs = NULL;
	struct sg_audit_verify_result res;
	struct sg_error verr = SG_ERROR_INIT;
	size_t nrecs = 0;
	size_t nfiles = 0;
	int error;

	if (v->o->st) {
		if (!fid) {
			fid = sg_xstrdup(v->m.feature_id);
			rid = sg_xstrdup(v->m.run_id);
		}
		if ((error = sg_evidence__run_records(&recs, &nrecs, v->o->st,
			 fid, rid, v->err)) < 0)
			goto out;
		sg_manifest_release(&v->m);
		if ((error = sg_evidence__check_bundle(&v->m, &nfiles, &v->d,
			 v->o->path, fid, rid, recs, nrecs, v->partial,
			 problem_cb, v, v->err)) < 0)
			goto out;
		/* a manifest that does not parse is a problem already */
		if (!v->m.run_id || !v->m.head.seq)
			goto counted;
		memset(&res, 0, sizeof(res));
		error = sg_audit_verify(&res, v->o->st, &v->m.head, 1, &verr);
		v->r->records = res.records;
		v->r->head = res.head;
		if (error == SG_EVERIFY)
			problem_cb("audit trail", verr.message, res.bad_seq, v);
		else if (error) {
			sg_error_set(v->err, error, "%s", verr.message);
			goto out;
		}
		error = 0;
	} else {
		vnote(v, "no store: the audit trail was not checked, only the "
			 "files against the manifest");
		if ((error = sg_evidence__check_files(&nfiles, &v->d, &v->m,
			 v->partial, mismatch_cb, v, v->err)) < 0)
			goto out;
	}
counted:
	v->r->files = nfiles;
out:
	free(fid);
	free(rid);
	sg_error_release(&verr);
	sg_evidence__records_free(recs, nrecs);
	return error;
}

static int
byname_cmp(const void *a, const void *b)
{
	const struct sg_manifest_file *const *x = a;
	const struct sg_manifest_file *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/*
 * The manifest's digest of rel, or NULL when it does not list it: a
 * binary search, since links and the provenance name every artifact.
 */
static const char *
listed(struct vb *v, const char *rel)
{
	struct sg_manifest_file key;
	const struct sg_manifest_file *kp = &key;
	const struct sg_manifest_file **hit;

	if (!v->byname) {
		v->byname = sg_xcalloc(v->m.nfiles + 1, sizeof(*v->byname));
		for (size_t i = 0; i < v->m.nfiles; i++)
			v->byname[i] = &v->m.files[i];
		qsort(v->byname, v->m.nfiles, sizeof(*v->byname),
		    byname_cmp);
	}
	key.path = (char *)rel;
	hit = bsearch(&kp, v->byname, v->m.nfiles, sizeof(*v->byname),
	    byname_cmp);
	return hit ? (*hit)->sha256 : NULL;
}

/* The digest of a bundle file: the manifest's, or hashed (out, 65). */
static const char *
digest_of(struct vb *v, const char *rel, char *out)
{
	struct sg_error mine = SG_ERROR_INIT;
	const char *d = listed(v, rel);
	struct sg_buf b;

	if (d)
		return d;
	if (!sg_evidence__after_manifest(rel))
		return NULL;
	sg_buf_init(&b, 0);
	if (sg_evidence__read_entry(&b, &v->d, rel, &mine) < 0 ||
	    sg_sha256_hex(out, b.ptr ? b.ptr : "", b.len, &mine) < 0)
		out = NULL;
	sg_buf_release(&b);
	sg_error_release(&mine);
	return out;
}

/* Step 2: the key to check signatures with, into *own when parsed. */
static int
pick_key(struct vb *v, struct sg_key **own)
{
	struct sg_error mine = SG_ERROR_INIT;
	char id[SG_KEYID_HEX_LEN + 1];
	int error = 0;

	if (!v->m.is_signed) {
		if (v->o->key || v->m.mode_enum == SG_MODE_COMPLIANCE)
			vproblem(v, SG_BUNDLE_MANIFEST,
			    "the bundle is not signed (%s)",
			    v->m.unsigned_why ? v->m.unsigned_why : "");
		else
			vnote(v, "the bundle is not signed (%s): only its "
				 "digests were checked",
			    v->m.unsigned_why ? v->m.unsigned_why : "");
		return 0;
	}
	if (v->o->key) {
		v->key = v->o->key;
		if ((error = sg_intoto_keyid(id, v->key, v->err)) < 0)
			return error;
		if (!v->m.keyid || strcmp(id, v->m.keyid))
			vproblem(v, SG_BUNDLE_MANIFEST,
			    "signed by key %.8s, not by the expected key %.8s",
			    v->m.keyid ? v->m.keyid : "(none)", id);
		return 0;
	}
	if (!v->m.public_key ||
	    sg_key_parse_public(own, v->m.public_key,
		strlen(v->m.public_key), SG_BUNDLE_MANIFEST, &mine) < 0) {
		vproblem(v, SG_BUNDLE_MANIFEST,
		    "names no usable public key: %s",
		    *mine.message ? mine.message : "none");
		sg_error_release(&mine);
		return 0;
	}
	v->key = *own;
	vnote(v, "no --key: signatures were checked with the key the "
		 "manifest names (%.8s); pin the signer with --key PUB",
	    v->m.keyid ? v->m.keyid : "");
	return 0;
}

static void
check_sig(struct vb *v, const char *rel)
{
	struct sg_error mine = SG_ERROR_INIT;
	char *path = sg_evidence__join(v->o->path, rel);
	char *sig = sg_xasprintf("%s.sig", path);
	struct sg_fs_stat st;

	/* Not in the store (past its caps): named by the caller. */
	if (v->partial && strcmp(rel, SG_BUNDLE_MANIFEST) &&
	    (sg_fs_lstat(&st, path, &mine) < 0 ||
		sg_fs_lstat(&st, sig, &mine) < 0)) {
		sg_error_release(&mine);
		free(sig);
		free(path);
		return;
	}
	if (sg_verify_file(v->key, path, sig, &mine) < 0)
		vproblem(v, rel, "%s", mine.message);
	sg_error_release(&mine);
	free(sig);
	free(path);
}

/* Step 3. */
static void
check_sigs(struct vb *v)
{
	for (size_t i = 0; i < v->m.nfiles; i++) {
		const char *p = v->m.files[i].path;

		if (sg_bundle_is_signed_document(p))
			check_sig(v, p);
	}
	check_sig(v, SG_BUNDLE_MANIFEST);
}

/*
 * The digest artifacts.json records for a project file a stage declared
 * (build/app): a product that lives outside the bundle.  artifacts.json
 * itself is covered by the manifest, so a product matching it is as
 * checked as the bundle can make it; the file itself is not read.
 */
static const char *
artifact_digest(struct vb *v, const char *path)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_buf text;
	json_t *doc, *a;
	size_t i;

	if (!v->artifacts_read) {
		v->artifacts_read = true;
		sg_buf_init(&text, 0);
		if (sg_evidence__read_entry(&text, &v->d, "artifacts.json",
			&mine) == 0 &&
		    (doc = json_loadb(text.ptr, text.len, 0, NULL))) {
			v->artifacts = json_incref(json_object_get(doc,
			    "artifacts"));
			json_decref(doc);
		}
		sg_buf_release(&text);
		sg_error_release(&mine);
	}
	json_array_foreach(v->artifacts, i, a) {
		const char *p = json_string_value(json_object_get(a, "path"));

		if (p && !strcmp(p, path))
			return json_string_value(json_object_get(a, "sha256"));
	}
	return NULL;
}

/* Products (and bundle materials) of a link against the files. */
static void
check_artifacts(struct vb *v, const char *rel, json_t *arts, bool products,
    size_t *outside)
{
	char buf[SG_SHA256_HEX_LEN + 1];
	const char *path;
	json_t *a;

	json_object_foreach(arts, path, a) {
		const char *want = json_string_value(json_object_get(a,
		    "sha256"));
		const char *have = digest_of(v, path, buf);

		if (!have && !products) {
			(*outside)++;
			continue;
		}
		if (!have && (have = artifact_digest(v, path))) {
			(*outside)++;
			if (!want || strcmp(want, have))
				vproblem(v, rel, "product '%s' has SHA-256 "
				    "%.12s... in the link, %.12s... in "
				    "artifacts.json", path,
				    want ? want : "(none)", have);
			continue;
		}
		if (!have)
			vproblem(v, rel, "product '%s' is not in the bundle",
			    path);
		else if (!want || strcmp(want, have))
			vproblem(v, rel,
			    "%s '%s' has SHA-256 %.12s... in the link, "
			    "%.12s... in the bundle",
			    products ? "product" : "material", path,
			    want ? want : "(none)", have);
	}
}

static void
check_link(struct vb *v, const char *rel, bool *seen, size_t *outside)
{
	struct sg_error mine = SG_ERROR_INIT;
	char id[SG_KEYID_HEX_LEN + 1];
	struct sg_buf text;
	json_t *s = NULL;
	const char *name;
	const char *run;
	char *want = NULL;
	enum sg_stage_id st;

	sg_buf_init(&text, 0);
	if (sg_evidence__read_entry(&text, &v->d, rel, &mine) < 0 ||
	    sg_intoto_verify_metadata(&s, text.ptr, text.len, v->key, rel,
		&mine) < 0) {
		vproblem(v, rel, "%s", mine.message);
		goto out;
	}
	name = json_string_value(json_object_get(s, "name"));
	run = json_string_value(json_object_get(json_object_get(s,
	    "environment"), "run_id"));
	if (sg_intoto_keyid(id, v->key, &mine) < 0 || !name ||
	    strcmp(json_string_value(json_object_get(s, "_type")) ?
		       json_string_value(json_object_get(s, "_type")) : "",
		"link")) {
		vproblem(v, rel, "is not an in-toto link");
		goto out;
	}
	want = sg_xasprintf(SG_BUNDLE_LINKS "/%s.%.8s.link", name, id);
	if (strcmp(want, rel))
		vproblem(v, rel, "is the link of step '%s': its name should "
				 "be '%s' (renamed or swapped)",
		    name, want);
	if (!run || strcmp(run, v->m.run_id))
		vproblem(v, rel, "is a link of run %s, not of run %s (swapped)",
		    run ? run : "(none)", v->m.run_id);
	if (sg_stage_parse(&st, name) == 0)
		seen[st] = true;
	check_artifacts(v, rel, json_object_get(s, "products"), true, outside);
	check_artifacts(v, rel, json_object_get(s, "materials"), false,
	    outside);
out:
	free(want);
	json_decref(s);
	sg_buf_release(&text);
	sg_error_release(&mine);
}

/* Step 4: the links the manifest lists, and the audit link after it. */
static int
check_links(struct vb *v)
{
	struct sg_dirent *ents = NULL;
	struct sg_error mine = SG_ERROR_INIT;
	bool seen[SG_STAGE_COUNT] = {false};
	size_t outside = 0;
	size_t n = 0;
	char *rel;

	if (sg_dir_list(&ents, &n, &v->d, SG_BUNDLE_LINKS, &mine) < 0)
		vproblem(v, SG_BUNDLE_LINKS, "%s", mine.message);
	for (size_t i = 0; i < n; i++) {
		rel = sg_xasprintf(SG_BUNDLE_LINKS "/%s", ents[i].name);
		check_link(v, rel, seen, &outside);
		free(rel);
	}
	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		if (!seen[s])
			vproblem(v, SG_BUNDLE_LINKS,
			    "no valid link for stage %s",
			    sg_stage_name((enum sg_stage_id)s));
	}
	if (outside)
		vnote(v, "%zu link materials and products are outside the "
			 "bundle (the spec files, declared artifacts): their "
			 "digests are recorded, not checked",
		    outside);
	sg_dirent_free(ents, n);
	sg_error_release(&mine);
	return 0;
}

/* Step 5. */
static void
check_provenance(struct vb *v)
{
	struct sg_error mine = SG_ERROR_INIT;
	char buf[SG_SHA256_HEX_LEN + 1];
	struct sg_buf text;
	json_t *st = NULL;
	json_t *subj;
	size_t i;

	sg_buf_init(&text, 0);
	if (sg_evidence__read_entry(&text, &v->d, SG_BUNDLE_PROVENANCE,
		&mine) < 0 ||
	    sg_intoto_verify_dsse(&st, text.ptr, text.len, v->key,
		SG_BUNDLE_PROVENANCE, &mine) < 0) {
		vproblem(v, SG_BUNDLE_PROVENANCE, "%s", mine.message);
		goto out;
	}
	json_array_foreach(json_object_get(st, "subject"), i, subj) {
		const char *name = json_string_value(json_object_get(subj,
		    "name"));
		const char *want = json_string_value(json_object_get(
		    json_object_get(subj, "digest"), "sha256"));
		const char *have = name ? digest_of(v, name, buf) : NULL;

		if (!have && name)
			have = artifact_digest(v, name);

		if (!have || !want || strcmp(have, want))
			vproblem(v, SG_BUNDLE_PROVENANCE,
			    "subject '%s' does not match the bundle (%s)",
			    name ? name : "?",
			    have ? "another SHA-256" : "missing");
	}
out:
	json_decref(st);
	sg_buf_release(&text);
	sg_error_release(&mine);
}

/* Step 6: the layout given (--layout), named by its own path. */
static void
check_layout(struct vb *v)
{
	struct sg_error mine = SG_ERROR_INIT;
	char now[SG_UTC_ISO_SIZE];
	const char *path = v->o->layout;
	struct sg_buf text;
	json_t *s = NULL;
	const char *expires;
	char msg[700];

	if (!path)
		return;
	sg_buf_init(&text, 0);
	if (sg_fs_read_file(&text, path, SG_EVIDENCE__MANIFEST_MAX,
		&mine) < 0 ||
	    sg_intoto_verify_metadata(&s, text.ptr, text.len, v->key, path,
		&mine) < 0) {
		problem_cb(path, mine.message, 0, v);
		goto out;
	}
	expires = json_string_value(json_object_get(s, "expires"));
	if (sg_utc_iso(now, sg_utc_now()) < 0 || !expires ||
	    !sg_utc_is_iso(expires) || strcmp(expires, now) < 0) {
		snprintf(msg, sizeof(msg), "the layout expired at %s",
		    expires ? expires : "(none)");
		problem_cb(path, msg, 0, v);
	}
out:
	json_decref(s);
	sg_buf_release(&text);
	sg_error_release(&mine);
}

static int verify_bundle(struct sg_evidence_report *out,
    const struct sg_bundle_verify_options *o, bool nested, bool partial,
    struct sg_error *err);

/*
 * Step 7, a continuation (`specgate resume`): the waiting run it names
 * was what the approvers signed, so it is verified too, from its bundle
 * beside this one (reports/<fid>/<run-id>, or in the archive): the same
 * checks with the same key and store, its manifest's digest against the
 * one this manifest records, and, with the store, the claim naming this
 * run as its continuation.  Its problems are this bundle's.
 */
static int
check_continued(struct vb *v)
{
	struct sg_bundle_verify_options o = *v->o;
	struct sg_evidence_report sub;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_run *run = NULL;
	char *text = NULL;
	char *parent = sg_xstrdup(v->o->path);
	char *path = NULL;
	char *slash;
	char sha[65];
	int error = 0;

	memset(&sub, 0, sizeof(sub));
	while (strlen(parent) > 1 && parent[strlen(parent) - 1] == '/')
		parent[strlen(parent) - 1] = '\0';
	slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	path = slash ? sg_evidence__join(parent, v->m.continues) :
		       sg_xstrdup(v->m.continues);
	/* reports/<fid>/<run-id>, or archived: reports/archive/DAY/<fid>/. */
	if (sg_run_id_is_valid(v->m.continues) && slash &&
	    sg_evidence_read_manifest(&text, path, &mine) < 0 &&
	    (slash = strrchr(parent, '/'))) {
		char *rel = sg_xasprintf(SG_EVIDENCE__ARCHIVE "/%.8s/%s/%s",
		    v->m.continues, slash + 1, v->m.continues);
		char *alt;

		*slash = '\0';
		alt = sg_evidence__join(parent, rel);
		free(rel);
		sg_error_release(&mine);
		if (sg_evidence_read_manifest(&text, alt, &mine) == 0) {
			free(path);
			path = alt;
		} else {
			free(alt);
		}
	}
	if (!sg_run_id_is_valid(v->m.continues) ||
	    (!text && sg_evidence_read_manifest(&text, path, &mine) < 0)) {
		vproblem(v, SG_BUNDLE_MANIFEST,
		    "continues run %.24s, whose bundle is missing (looked for "
		    "'%s')", v->m.continues, path);
		goto out;
	}
	if (sg_sha256_hex(sha, text, strlen(text), &mine) == 0 &&
	    (!v->m.continues_manifest_sha256 ||
		strcmp(sha, v->m.continues_manifest_sha256)))
		vproblem(v, SG_BUNDLE_MANIFEST,
		    "continues run %s, whose manifest has SHA-256 %.12s..., "
		    "not the approved %.12s...", v->m.continues, sha,
		    v->m.continues_manifest_sha256 ?
			v->m.continues_manifest_sha256 : "(none)");
	if (v->o->st &&
	    sg_store_run_get(&run, v->o->st, v->m.feature_id, v->m.continues,
		&mine) == 0 &&
	    (!run->continued_by || strcmp(run->continued_by, v->m.run_id)))
		vproblem(v, SG_BUNDLE_MANIFEST,
		    "continues run %s, which the store says was continued by "
		    "%s", v->m.continues,
		    run->continued_by ? run->continued_by : "no run");
	o.path = path;
	o.layout = NULL;
	error = verify_bundle(&sub, &o, true, v->partial, &mine);
	if (error && error != SG_EVERIFY) {
		vproblem(v, SG_BUNDLE_MANIFEST,
		    "continues run %s, whose bundle cannot be verified: %s",
		    v->m.continues, mine.message);
		error = 0;
		goto out;
	}
	error = 0;
	for (size_t i = 0; i < sub.nproblems; i++)
		problem_cb(sub.problems[i].where, sub.problems[i].message,
		    sub.problems[i].seq, v);
	v->r->files += sub.files;
	v->r->bundles += sub.bundles;
	vnote(v, "the approved run %s it continues was verified too: '%s' "
		 "(%zu problem%s)", v->m.continues, path, sub.nproblems,
	    sub.nproblems == 1 ? "" : "s");
out:
	sg_evidence_report_release(&sub);
	sg_run_free(run);
	sg_error_release(&mine);
	free(text);
	free(parent);
	free(path);
	return error;
}

int
sg_evidence_verify_bundle(struct sg_evidence_report *out,
    const struct sg_bundle_verify_options *o, struct sg_error *err)
{
	return verify_bundle(out, o, false, false, err);
}

int
sg_evidence__verify_bundle(struct sg_evidence_report *out,
    const struct sg_bundle_verify_options *o, bool partial,
    struct sg_error *err)
{
	return verify_bundle(out, o, false, partial, err);
}

static int
verify_bundle(struct sg_evidence_report *out,
    const struct sg_bundle_verify_options *o, bool nested, bool partial,
    struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_key *own = NULL;
	struct sg_buf text;
	struct vb v;
	char *fid = NULL;
	char *rid = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&v, 0, sizeof(v));
	if (o->version != SG_BUNDLE_VERIFY_VERSION)
		SG_BUG("struct sg_bundle_verify_options of an unknown version");
	v.o = o;
	v.partial = partial;
	v.r = out;
	v.err = err;
	v.d.fd = -1;
	sg_buf_init(&text, 0);
	if ((error = sg_dir_open(&v.d, NULL, o->path, 0, err)) < 0)
		goto out;
	out->bundles = 1;
	if (!o->st || !named_run(&fid, &rid, o->path)) {
		error = sg_evidence__read_entry(&text, &v.d,
		    SG_BUNDLE_MANIFEST, &mine);
		if (!error)
			error = sg_manifest_parse(&v.m, text.ptr, text.len,
			    &mine);
		if (error) {
			vproblem(&v, SG_BUNDLE_MANIFEST, "%s", mine.message);
			error = 0;
			goto out;
		}
	}
	error = check_files(&v, fid, rid);
	fid = rid = NULL; /* check_files() freed them */
	if (error < 0)
		goto out;
	if (!v.m.run_id) /* check_bundle() could not parse it again */
		goto out;
	if ((error = pick_key(&v, &own)) < 0)
		goto out;
	if (v.key) {
		check_sigs(&v);
		check_links(&v);
		check_provenance(&v);
		check_layout(&v);
	}
	if (v.m.continues && !nested)
		error = check_continued(&v);
out:
	if (!error && out->nproblems)
		error = sg_error_set(err, SG_EVERIFY,
		    "%zu problem%s in bundle '%s'", out->nproblems,
		    out->nproblems == 1 ? "" : "s", o->path);
	sg_key_free(own);
	free(fid);
	free(rid);
	free(v.byname);
	json_decref(v.artifacts);
	sg_manifest_release(&v.m);
	sg_dir_close(&v.d);
	sg_buf_release(&text);
	sg_error_release(&mine);
	return error;
}
