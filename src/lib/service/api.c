/* SPDX-License-Identifier: MIT */
/*
 * api.c - the read-only JSON API (docs/formats.md, "The service's API"):
 *
 *	GET /api/v1/runs?feature_id=&mode=&status=&limit=&offset=
 *	GET /api/v1/runs/<run-id>[?feature_id=]
 *	GET /api/v1/audit?after=<seq>&limit=
 *
 * Every parameter is checked before the store is asked, and a bad one is
 * a 400 with a stable code; so is a run id that is not exactly
 * YYYYMMDDHHMMSS[-N], which is also what keeps "../" and friends out of
 * every path built from it.  The run detail (sg_service__run_detail) is
 * shared with the dashboard: it is the one place that joins a run's store
 * row, its audit records and its bundle.
 */
#include "service/service_int.h"

#include <errno.h>
#include <inttypes.h>

#include "specgate/audit.h"
#include "specgate/config.h"
#include "specgate/ids.h"
#include "sys/fs.h"

#define LIMIT_DEFAULT 50
#define LIMIT_MAX 500
#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX 1000

static const char *const where_names[] = {
	[SG_BUNDLE_NONE] = "none",
	[SG_BUNDLE_ACTIVE] = "active",
	[SG_BUNDLE_ARCHIVED] = "archived",
	[SG_BUNDLE_PENDING] = "pending",
};

static const char *
arg(const struct sg_service_request *req, const char *name)
{
	const char *v = req->arg ? req->arg(name, req->arg_payload) : NULL;

	return v && *v ? v : NULL;
}

/* A decimal integer in [0, max] into *out; false when it is not one. */
static bool
parse_uint(uint64_t *out, const char *s, uint64_t max)
{
	uint64_t v = 0;

	if (!*s || strlen(s) > 15)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* The bundle path from the project root (for people), or the path. */
static const char *
from_root(const struct sg_service *svc, const char *path)
{
	size_t n = strlen(svc->root);

	if (!strncmp(path, svc->root, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

json_t *
sg_service__run_summary(struct sg_service *svc, const struct sg_run *run)
{
	enum sg_bundle_where where = SG_BUNDLE_NONE;
	char *path = NULL;
	json_t *j;

	/* Locating is best effort: a run without a bundle says "none". */
	if (sg_evidence_locate(&path, &where, &svc->eo, run->feature_id,
		run->run_id, run->bundle, NULL) < 0)
		where = SG_BUNDLE_NONE;
	j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s}", "run_id",
	    run->run_id, "feature_id", run->feature_id, "mode", run->mode,
	    "status", run->status, "started_at", run->started_at,
	    "finished_at", run->finished_at, "bundle",
	    path ? from_root(svc, path) : NULL, "where", where_names[where]);
	if (!j)
		SG_BUG("json_pack failed");
	/* One release, one record: the waiting run and its continuation. */
	json_object_set_new(j, "continues", run->continues ?
	    json_string(run->continues) : json_null());
	json_object_set_new(j, "continued_by", run->continued_by ?
	    json_string(run->continued_by) : json_null());
	free(path);
	return j;
}

struct list_state {
	struct sg_service *svc;
	json_t *runs;
};

static int
list_cb(const struct sg_run *run, void *payload)
{
	struct list_state *s = payload;

	json_array_append_new(s->runs, sg_service__run_summary(s->svc, run));
	return 0;
}

void
sg_service__runs(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct list_state s = {svc, NULL};
	struct sg_store *st = NULL;
	enum sg_mode mode;
	const char *v;
	uint64_t limit = LIMIT_DEFAULT, offset = 0;
	json_t *doc;

	if ((v = arg(req, "feature_id")) && !sg_feature_id_is_valid(v)) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "feature_id must be 12 lowercase hex digits");
		return;
	}
	f.feature_id = v;
	if ((v = arg(req, "mode")) && sg_mode_parse(&mode, v) < 0) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "mode must be sandbox or compliance");
		return;
	}
	f.mode = v;
	if ((v = arg(req, "status")) && !sg_run_status_is_valid(v)) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "status must be a run status (running, awaiting_approval, "
		    "success, warning, failure, cancelled)");
		return;
	}
	f.status = v;
	if (((v = arg(req, "limit")) && !parse_uint(&limit, v, LIMIT_MAX)) ||
	    !limit) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "limit must be an integer from 1 to %d", LIMIT_MAX);
		return;
	}
	if ((v = arg(req, "offset")) && !parse_uint(&offset, v, 1000000000000)) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "offset must be a non-negative integer");
		return;
	}
	/* One more than asked: whether there is a next page. */
	f.limit = limit + 1;
	f.offset = offset;
	s.runs = json_array();
	if (sg_service__store_get(&st, svc, &err) < 0) {
		sg_service__reply_error(r, 503, "store_unavailable", "%s",
		    err.message);
		goto out;
	}
	if (sg_store_run_list(st, &f, list_cb, &s, &err) < 0) {
		sg_store_close(st);
		st = NULL;
		sg_service__reply_error(r, 500, "store_error", "%s",
		    err.message);
		goto out;
	}
	doc = json_pack("{s:I,s:I,s:o}", "limit", (json_int_t)limit, "offset",
	    (json_int_t)offset, "next_offset",
	    json_array_size(s.runs) > limit ?
		json_integer((json_int_t)(offset + limit)) :
		json_null());
	if (json_array_size(s.runs) > limit)
		json_array_remove(s.runs, limit);
	json_object_set(doc, "runs", s.runs);
	sg_service__reply_json(r, 200, doc);
	json_decref(doc);
out:
	json_decref(s.runs);
	sg_service__store_put(svc, st);
	sg_error_release(&err);
}

/* One stage's figures while the run's records go by. */
struct stage_acc {
	bool seen;
	const char *status; /* static: the last checkpoint's */
	unsigned checkpoints;
	unsigned attempts;
	unsigned retries;
	int64_t duration;
	json_t *last; /* the last checkpoint object (borrowed) */
};

struct detail_state {
	json_t *cps;
	json_t *approvals;
	struct stage_acc stages[SG_STAGE_COUNT];
	int64_t prev;
};

/* A checkpoint's status: *out, and its static word ("unknown": none). */
static const char *
static_status(const char *s, enum sg_checkpoint_status *out)
{
	if (sg_checkpoint_status_parse(out, s) < 0)
		*out = (enum sg_checkpoint_status)SG_CP_STATUS_COUNT;
	return sg_checkpoint_status_name(*out); /* "unknown" for the last */
}

static int
detail_cb(const struct sg_audit_record *rec, void *payload)
{
	struct detail_state *d = payload;
	int64_t at = sg_service__iso_seconds(rec->timestamp);
	enum sg_checkpoint_status st;
	const char *word = static_status(rec->status, &st);
	enum sg_stage_id stage;
	struct stage_acc *a;
	json_t *cp;

	cp = json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?,s:s}", "seq",
	    (json_int_t)rec->seq, "timestamp", rec->timestamp, "stage",
	    rec->stage, "status", rec->status, "output",
	    strcmp(rec->output, "-") ? rec->output : NULL, "output_sha256",
	    rec->output_sha256[0] ? rec->output_sha256 : NULL, "hash",
	    rec->hash);
	if (!cp)
		SG_BUG("json_pack failed");
	json_array_append_new(d->cps, cp);
	if (st == SG_CP_APPROVED)
		json_array_append_new(d->approvals, json_pack("{s:I,s:s}",
		    "seq", (json_int_t)rec->seq, "timestamp", rec->timestamp));
	if (sg_stage_parse(&stage, rec->stage) < 0)
		return 0;
	a = &d->stages[stage];
	a->seen = true;
	a->status = word;
	a->checkpoints++;
	if (st == SG_CP_RETRY)
		a->retries++;
	if (st == SG_CP_RETRY || st == SG_CP_SUCCESS || st == SG_CP_WARNING ||
	    st == SG_CP_FAILURE)
		a->attempts++;
	if (st != SG_CP_SKIPPED && at >= 0 && d->prev >= 0 &&
	    at >= d->prev)
		a->duration += at - d->prev;
	if (at >= 0)
		d->prev = at;
	a->last = cp;
	return 0;
}

static json_t *
stages_json(const struct detail_state *d)
{
	json_t *arr = json_array();
	const struct stage_acc *a;

	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		a = &d->stages[s];
		if (!a->seen)
			continue;
		json_array_append_new(arr, json_pack(
		    "{s:s,s:s,s:i,s:i,s:i,s:I,s:O,s:O,s:O}", "stage",
		    sg_stage_name(s), "status", a->status, "checkpoints",
		    a->checkpoints, "attempts", a->attempts, "retries",
		    a->retries, "duration_seconds", (json_int_t)a->duration,
		    "output", json_object_get(a->last, "output"),
		    "output_sha256", json_object_get(a->last, "output_sha256"),
		    "timestamp", json_object_get(a->last, "timestamp")));
	}
	return arr;
}

/* The bundle's files as its manifest lists them. */
static json_t *
artifacts_json(const char *bundle, const struct sg_service__stored *stored)
{
	const struct sg_buf *sb = sg_service__stored_get(stored,
	    SG_BUNDLE_MANIFEST);
	struct sg_manifest m;
	json_t *arr = json_array();
	char *text = NULL;

	memset(&m, 0, sizeof(m));
	if (!bundle && sb)
		text = sg_xstrndup(sb->ptr, sb->len);
	if ((!bundle && !text) ||
	    (!text && sg_evidence_read_manifest(&text, bundle, NULL) < 0) ||
	    sg_manifest_parse(&m, text, strlen(text), NULL) < 0)
		goto out;
	for (size_t i = 0; i < m.nfiles; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:s}",
		    "path", m.files[i].path, "type",
		    m.files[i].is_link ? "symlink" : "file", "size",
		    (json_int_t)m.files[i].size, "sha256", m.files[i].sha256));
out:
	sg_manifest_release(&m);
	free(text);
	return arr;
}

int
sg_service__run_detail(json_t **out, struct sg_service *svc,
    struct sg_store *st, const struct sg_run *run, struct sg_error *err)
{
	struct sg_audit_filter f = SG_AUDIT_FILTER_INIT;
	enum sg_bundle_where where = SG_BUNDLE_NONE;
	struct sg_service__stored stored;
	struct detail_state d;
	char *bundle = NULL;
	json_t *doc;
	int error;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	memset(&stored, 0, sizeof(stored));
	d.cps = json_array();
	d.approvals = json_array();
	d.prev = sg_service__iso_seconds(run->started_at);
	f.feature_id = run->feature_id;
	f.run_id = run->run_id;
	if ((error = sg_audit_foreach(st, &f, detail_cb, &d, err)) < 0)
		goto out;
	if (sg_evidence_locate(&bundle, &where, &svc->eo, run->feature_id,
		run->run_id, run->bundle, NULL) < 0)
		bundle = NULL;
	/* Not here (another runner's): what the store keeps of it. */
	if (!bundle && (error = sg_service__stored_load(&stored, st,
			    run->feature_id, run->run_id, err)) < 0)
		goto out;
	doc = json_pack("{s:o,s:o,s:O,s:o,s:o,s:O}", "run",
	    sg_service__run_summary(svc, run), "stages", stages_json(&d),
	    "checkpoints", d.cps, "gates", bundle ?
		sg_service__gates_json(bundle) :
		sg_service__gates_json_stored(&stored),
	    "artifacts", artifacts_json(bundle, &stored), "approvals",
	    d.approvals);
	if (!doc)
		SG_BUG("json_pack failed");
	*out = doc;
out:
	json_decref(d.cps);
	json_decref(d.approvals);
	sg_service__stored_release(&stored);
	free(bundle);
	return error;
}

void
sg_service__run(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req)
{
	struct sg_error err = SG_ERROR_INIT;
	const char *id = req->path + strlen("/api/v1/runs/");
	const char *fid = arg(req, "feature_id");
	struct sg_store *st = NULL;
	struct sg_run *run = NULL;
	json_t *doc = NULL;
	int error;

	if (!sg_run_id_is_valid(id)) {
		sg_service__reply_error(r, 400, "invalid_run_id",
		    "a run id is YYYYMMDDHHMMSS or YYYYMMDDHHMMSS-N");
		goto out;
	}
	if (fid && !sg_feature_id_is_valid(fid)) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "feature_id must be 12 lowercase hex digits");
		goto out;
	}
	if (sg_service__store_get(&st, svc, &err) < 0) {
		sg_service__reply_error(r, 503, "store_unavailable", "%s",
		    err.message);
		goto out;
	}
	error = sg_store_run_get(&run, st, fid, id, &err);
	if (error == SG_ENOTFOUND) {
		sg_service__reply_error(r, 404, "run_not_found", "%s",
		    err.message);
	} else if (error == SG_EINVAL) {
		sg_service__reply_error(r, 409, "ambiguous_run",
		    "%s; add ?feature_id=", err.message);
	} else if (error < 0 ||
	    sg_service__run_detail(&doc, svc, st, run, &err) < 0) {
		sg_store_close(st);
		st = NULL;
		sg_service__reply_error(r, 500, "store_error", "%s",
		    err.message);
	} else {
		sg_service__reply_json(r, 200, doc);
	}
out:
	json_decref(doc);
	sg_run_free(run);
	sg_service__store_put(svc, st);
	sg_error_release(&err);
}

static int
audit_cb(const struct sg_audit_record *rec, void *payload)
{
	json_t *arr = payload;

	json_array_append_new(arr, json_pack(
	    "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
	    (json_int_t)rec->seq, "timestamp", rec->timestamp, "run_id",
	    rec->run_id, "feature_id", rec->feature_id, "stage", rec->stage,
	    "status", rec->status, "output", rec->output, "output_sha256",
	    rec->output_sha256, "mode", rec->mode, "prev_hash", rec->prev_hash,
	    "hash", rec->hash));
	return 0;
}

void
sg_service__audit(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req)
{
	struct sg_audit_filter f = SG_AUDIT_FILTER_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;
	uint64_t after = 0, limit = AUDIT_LIMIT_DEFAULT;
	const char *v;
	json_t *recs = NULL, *last, *doc;

	if ((v = arg(req, "after")) && !parse_uint(&after, v, INT64_MAX)) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "after must be a sequence number (a non-negative integer)");
		return;
	}
	if (((v = arg(req, "limit")) &&
	    !parse_uint(&limit, v, AUDIT_LIMIT_MAX)) || !limit) {
		sg_service__reply_error(r, 400, "invalid_parameter",
		    "limit must be an integer from 1 to %d", AUDIT_LIMIT_MAX);
		return;
	}
	f.after_seq = after;
	f.limit = limit;
	recs = json_array();
	if (sg_service__store_get(&st, svc, &err) < 0) {
		sg_service__reply_error(r, 503, "store_unavailable", "%s",
		    err.message);
		goto out;
	}
	if (sg_audit_foreach(st, &f, audit_cb, recs, &err) < 0) {
		sg_store_close(st);
		st = NULL;
		sg_service__reply_error(r, 500, "store_error", "%s",
		    err.message);
		goto out;
	}
	last = json_array_get(recs, json_array_size(recs) - 1);
	doc = json_pack("{s:I,s:I,s:I,s:O}", "after", (json_int_t)after,
	    "limit", (json_int_t)limit, "next_after",
	    last ? json_integer_value(json_object_get(last, "seq")) :
		   (json_int_t)after,
	    "records", recs);
	sg_service__reply_json(r, 200, doc);
	json_decref(doc);
out:
	json_decref(recs);
	sg_service__store_put(svc, st);
	sg_error_release(&err);
}
