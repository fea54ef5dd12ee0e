/* SPDX-License-Identifier: MIT */
/*
 * store.c - opening a store by URL, and the runs API, over the backend
 * function table (specgate/sys/store_backend.h).
 *
 * Everything here is backend-independent on purpose: the URL grammar, the
 * checks on every argument, and run-id allocation.  Allocation is a loop
 * inside one writer transaction: try YYYYMMDDHHMMSS, then -2, -3... with
 * an insert that does nothing on a UNIQUE (feature_id, run_id) clash.  The
 * writer transaction makes the loop race-free; the constraint makes it
 * safe even if a backend's writer lock were weaker than promised (the
 * insert of a taken id is refused, never duplicated).
 *
 * Rejected: choosing max(suffix) + 1 with one SELECT (needs LIKE patterns
 * and text-to-number parsing in SQL, which differ between backends, for a
 * case - two runs of one spec in one second - that is rare), and a
 * process-local counter (does not help across processes, which is the
 * point).
 */
#include "specgate/store.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"
#include "sys/dir.h"
#include "util/utctime.h"

#define DEFAULT_BUSY_TIMEOUT_MS 10000u
#define MAX_CLASHES 10000u /* run ids per feature and second */

/*
 * The URL schemes we know.  A file backend's location is a path (relative
 * to the root, its directory created); a server's is the whole URL, which
 * its client library parses, and which may hold a password: the store's
 * name in messages is then the URL masked (sg_url_mask()).
 */
static const struct {
	const char *scheme;
	const struct sg_store_backend *be;
	bool file; /* sqlite:PATH */
} schemes[] = {
	{"sqlite", &sg_store_sqlite_backend, true},
	{"postgres", &sg_store_pg_backend, false},
	{"postgresql", &sg_store_pg_backend, false},
};

bool
sg_run_status_is_valid(const char *s)
{
	enum sg_run_status st;

	return sg_run_status_parse(&st, s) == 0;
}

bool
sg_run_status_is_final(const char *s)
{
	enum sg_run_status st;

	return sg_run_status_parse(&st, s) == 0 && sg_run_status_final(st);
}

bool
sg_store__mode_is_valid(const char *s)
{
	enum sg_mode m;

	return sg_mode_parse(&m, s) == 0;
}

/*
 * A server's URL (postgres://...): handed to the backend whole, named in
 * messages masked.  Only its shape is checked here; the client library
 * parses the rest and says what is wrong with it.
 */
static int
server_url(char **out_location, char **out_shown, const char *url,
    const char *rest, struct sg_error *err)
{
	if (!strncmp(rest, "//", 2)) {
		*out_location = sg_xstrdup(url);
		*out_shown = sg_url_mask(url);
		return 0;
	}
	/* Not a URL that masking understands: it is not repeated at all. */
	return sg_error_set(err, SG_EINVAL,
	    "a store URL of scheme '%.*s' must read "
	    "postgres://[USER[:PASSWORD]@][HOST][:PORT]/DATABASE[?PARAMS]",
	    (int)(rest - url - 1), url);
}

/*
 * Split a store URL into its backend and location.  *out_location (OUT) is
 * a new string: the path for sqlite:, prefixed with the root (or "./") when
 * relative, so that SQLite never reads it as a URI or a special name; the
 * whole URL for a server.  *out_shown (OUT) is what messages and
 * sg_store_location() show: the path, or the URL masked.
 */
static int
parse_url(const struct sg_store_backend **out_be, char **out_location,
    char **out_shown, const char *url, const char *root,
    struct sg_error *err)
{
	const char *colon;
	const char *rest;
	size_t n;

	colon = strchr(url, ':');
	if (!colon || colon == url)
		return sg_error_set(err, SG_EINVAL,
		    "store URL '%s' has no scheme (expected sqlite:PATH or "
		    "postgres://...)",
		    url);
	n = (size_t)(colon - url);
	rest = colon + 1;
	for (size_t i = 0; i < SG_ARRAY_SIZE(schemes); i++) {
		if (strlen(schemes[i].scheme) != n ||
		    strncasecmp(url, schemes[i].scheme, n))
			continue;
		if (!schemes[i].file) {
			*out_be = schemes[i].be;
			return server_url(out_location, out_shown, url, rest,
			    err);
		}
		if (!*rest)
			return sg_error_set(err, SG_EINVAL,
			    "store URL '%s' names no file (expected "
			    "sqlite:PATH)",
			    url);
		if (!strncmp(rest, "//", 2)) {
			/* sqlite://user:pass@...: no password in messages. */
			char *shown = sg_url_mask(url);
			int e = sg_error_set(err, SG_EINVAL,
			    "store URL '%s': write sqlite:PATH (relative to "
			    "the project root) or sqlite:/ABSOLUTE/PATH",
			    shown);

			free(shown);
			return e;
		}
		*out_be = schemes[i].be;
		if (*rest == '/')
			*out_location = sg_xstrdup(rest);
		else
			*out_location = sg_xasprintf("%s/%s",
			    root && *root ? root : ".", rest);
		*out_shown = sg_xstrdup(*out_location);
		return 0;
	}
	return sg_error_set(err, SG_EINVAL,
	    "unknown store URL scheme '%.*s' (expected sqlite:PATH or "
	    "postgres://...)",
	    (int)(n > 32 ? 32 : n), url);
}

/* Create the directory that will hold the file at `path`, mode 0700. */
static int
make_parent(const char *path, struct sg_error *err)
{
	char *dir;
	char *slash;
	int error = 0;

	dir = sg_xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		error = sg_dir_make_all(dir, 0700, err);
	}
	free(dir);
	return error;
}

int
sg_store_open(struct sg_store **out, const char *url,
    const struct sg_store_options *opts, struct sg_error *err)
{
	struct sg_store_options o = SG_STORE_OPTIONS_INIT;
	const struct sg_store_backend *be = NULL;
	struct sg_store *st = NULL;
	char *location = NULL;
	char *shown = NULL;
	int error = 0;

	*out = NULL;
	if (opts)
		o = *opts;
	if (o.version != SG_STORE_OPTIONS_VERSION)
		SG_BUG("struct sg_store_options of an unknown version");
	if (!o.busy_timeout_ms)
		o.busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
	if (!url)
		url = SG_STORE_DEFAULT_URL;
	if ((error = parse_url(&be, &location, &shown, url, o.root, err)) < 0)
		goto out;
	if (be->version != SG_STORE_BACKEND_VERSION)
		SG_BUG("store backend of an unknown version");
	if (be == &sg_store_sqlite_backend &&
	    !(o.flags & SG_STORE_OPEN_NO_CREATE) &&
	    (error = make_parent(location, err)) < 0)
		goto out;
	st = sg_xcalloc(1, sizeof(*st));
	st->be = be;
	st->shared = be != &sg_store_sqlite_backend;
	st->location = shown;
	shown = NULL;
	if ((error = be->connect(&st->conn, location, &o, err)) < 0)
		goto out;
	*out = st;
	st = NULL;
out:
	sg_store_close(st);
	/* a server's URL may hold a password */
	if (location)
		sg_memzero(location, strlen(location));
	free(location);
	free(shown);
	return error;
}

void
sg_store_close(struct sg_store *st)
{
	if (!st)
		return;
	if (st->conn)
		st->be->disconnect(st->conn);
	free(st->location);
	free(st);
}

const char *
sg_store_location(const struct sg_store *st)
{
	return st->location;
}

bool
sg_store_is_shared(const struct sg_store *st)
{
	return st->shared;
}

unsigned
sg_store_schema_version(const struct sg_store *st, unsigned *out_latest)
{
	unsigned latest;
	unsigned v;

	v = st->be->schema_version(st->conn, &latest);
	if (out_latest)
		*out_latest = latest;
	return v;
}

int
sg_store__begin(struct sg_store *st, enum sg_store_txn kind,
    struct sg_error *err)
{
	int error;

	if (st->in_txn)
		SG_BUG("nested store transaction");
	if ((error = st->be->begin(st->conn, kind, err)) < 0)
		return error;
	st->in_txn = true;
	return 0;
}

int
sg_store__commit(struct sg_store *st, struct sg_error *err)
{
	if (!st->in_txn)
		SG_BUG("commit without a store transaction");
	st->in_txn = false;
	return st->be->commit(st->conn, err);
}

void
sg_store__rollback(struct sg_store *st)
{
	if (!st->in_txn)
		return;
	st->in_txn = false;
	st->be->rollback(st->conn);
}

static int
check_run_new(const struct sg_run_new *run, struct sg_error *err)
{
	if (run->version != SG_RUN_NEW_VERSION)
		SG_BUG("struct sg_run_new of an unknown version");
	if (!sg_feature_id_is_valid(run->feature_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid feature id '%.40s' (expected 12 lowercase hex "
		    "digits)",
		    run->feature_id ? run->feature_id : "");
	if ((unsigned)run->mode >= SG_MODE_COUNT)
		SG_BUG("a new run in an unknown mode");
	if ((unsigned)run->status >= SG_RUN_STATUS_COUNT)
		SG_BUG("a new run with an unknown status");
	if (sg_run_status_final(run->status))
		return sg_error_set(err, SG_EINVAL,
		    "a new run cannot start '%s'",
		    sg_run_status_name(run->status));
	return 0;
}

/*
 * Inside a writer transaction: the first free run id of the second
 * run->started (or now), and the run's row.  `out` gets the id.
 */
static int
allocate(char *out, struct sg_store *st, const struct sg_run_new *run,
    struct sg_error *err)
{
	char base[SG_UTC_COMPACT_SIZE];
	char started[SG_UTC_ISO_SIZE];
	struct sg_run r = {0};
	bool inserted = false;
	time_t t;
	int error = 0;

	t = run->started ? run->started : sg_utc_now();
	if (sg_utc_compact(base, t) < 0 || sg_utc_iso(started, t) < 0)
		return sg_error_set(err, SG_EINVAL,
		    "run start time %lld is out of range", (long long)t);
	r.feature_id = run->feature_id;
	r.run_id = out;
	/* the backends keep text: states become words here */
	r.mode = sg_mode_name(run->mode);
	r.status = sg_run_status_name(run->status);
	r.started_at = started;
	r.bundle = run->bundle;
	for (unsigned n = 1; n <= MAX_CLASHES && !inserted; n++) {
		if (n == 1)
			snprintf(out, SG_RUN_ID_SIZE, "%s", base);
		else
			snprintf(out, SG_RUN_ID_SIZE, "%s-%u", base, n);
		if ((error = st->be->run_insert(&inserted, st->conn, &r,
			 err)) < 0)
			return error;
	}
	if (!inserted)
		return sg_error_set(err, SG_EIO,
		    "store '%s': no free run id left for feature %s at %s",
		    st->location, run->feature_id, base);
	return 0;
}

int
sg_store_run_create(char *out, struct sg_store *st,
    const struct sg_run_new *run, struct sg_error *err)
{
	int error;

	*out = '\0';
	if ((error = check_run_new(run, err)) < 0)
		return error;
	if ((error = sg_store__begin(st, SG_STORE_TXN_WRITE, err)) < 0 ||
	    (error = allocate(out, st, run, err)) < 0)
		goto out;
	error = sg_store__commit(st, err);
out:
	if (error) {
		sg_store__rollback(st);
		*out = '\0';
	}
	return error;
}

static size_t
size0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copy s to *p and move *p past it; NULL stays NULL. */
static const char *
put(char **p, const char *s)
{
	char *d = *p;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(d, s, n);
	*p += n;
	return d;
}

/* Copy a run into one allocation: the struct, then its strings. */
static struct sg_run *
run_dup(const struct sg_run *r)
{
	struct sg_run *copy;
	size_t size;
	char *p;

	size = sizeof(*copy) + size0(r->feature_id) + size0(r->run_id) +
	    size0(r->mode) + size0(r->status) + size0(r->started_at) +
	    size0(r->finished_at) + size0(r->bundle) + size0(r->continues) +
	    size0(r->continued_by);
	copy = sg_xcalloc(1, size);
	p = (char *)(copy + 1);
	copy->feature_id = put(&p, r->feature_id);
	copy->run_id = put(&p, r->run_id);
	copy->mode = put(&p, r->mode);
	copy->status = put(&p, r->status);
	copy->started_at = put(&p, r->started_at);
	copy->finished_at = put(&p, r->finished_at);
	copy->bundle = put(&p, r->bundle);
	copy->continues = put(&p, r->continues);
	copy->continued_by = put(&p, r->continued_by);
	copy->mode_enum = r->mode_enum;
	copy->status_enum = r->status_enum;
	return copy;
}

void
sg_run_free(struct sg_run *run)
{
	free(run);
}

/* A caller's callback, behind typed_cb(). */
struct typed {
	sg_run_cb cb;
	void *payload;
};

/*
 * A backend's run with its enums filled in, for the caller's callback.  A
 * word the library does not know (a hand-edited store) is listed all the
 * same, as SG_MODE_COUNT or SG_RUN_STATUS_COUNT, so that one bad row does
 * not hide the others and the words can still be shown.
 */
static int
typed_cb(const struct sg_run *run, void *payload)
{
	struct typed *t = payload;
	struct sg_run r = *run;

	if (sg_mode_parse(&r.mode_enum, run->mode) < 0)
		r.mode_enum = (enum sg_mode)SG_MODE_COUNT;
	if (sg_run_status_parse(&r.status_enum, run->status) < 0)
		r.status_enum = (enum sg_run_status)SG_RUN_STATUS_COUNT;
	return t->cb(&r, t->payload);
}

/* The backend's run_list(), each run typed (typed_cb()). */
static int
list_typed(struct sg_store *st, const struct sg_run_filter *f,
    sg_run_cb cb, void *payload, struct sg_error *err)
{
	struct typed t = {cb, payload};

	return st->be->run_list(st->conn, f, typed_cb, &t, err);
}

/* What sg_store_run_get() collects: the first match, and a second. */
struct get_state {
	struct sg_run *first;
	char *other_feature; /* the feature id of a second match */
};

static int
get_cb(const struct sg_run *run, void *payload)
{
	struct get_state *g = payload;

	if (!g->first) {
		g->first = run_dup(run);
		return 0;
	}
	g->other_feature = sg_xstrdup(run->feature_id);
	return 1;
}

static int
check_run_key(const char *feature_id, const char *run_id,
    struct sg_error *err)
{
	if (feature_id && !sg_feature_id_is_valid(feature_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid feature id '%.40s' (expected 12 lowercase hex "
		    "digits)",
		    feature_id);
	if (!sg_run_id_is_valid(run_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid run id '%.40s' (expected YYYYMMDDHHMMSS or "
		    "YYYYMMDDHHMMSS-N)",
		    run_id ? run_id : "");
	return 0;
}

int
sg_store_run_get(struct sg_run **out, struct sg_store *st,
    const char *feature_id, const char *run_id, struct sg_error *err)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct get_state g = {NULL, NULL};
	int error;

	*out = NULL;
	if ((error = check_run_key(feature_id, run_id, err)) < 0)
		goto out;
	f.feature_id = feature_id;
	f.run_id = run_id;
	f.limit = 2;
	error = list_typed(st, &f, get_cb, &g, err);
	if (error < 0)
		goto out;
	error = 0;
	if (!g.first) {
		error = sg_error_set(err, SG_ENOTFOUND, "no run '%s'%s%s",
		    run_id, feature_id ? " for feature " : "",
		    feature_id ? feature_id : "");
	} else if (g.other_feature) {
		error = sg_error_set(err, SG_EINVAL,
		    "run id '%s' is ambiguous: features %s and %s both have "
		    "it; name the feature",
		    run_id, g.first->feature_id, g.other_feature);
	} else {
		*out = g.first;
		g.first = NULL;
	}
out:
	sg_run_free(g.first);
	free(g.other_feature);
	return error;
}

/*
 * Inside sg_store_run_update()'s transaction: the waiting run that a
 * continuation continues takes its final status (and keeps its bundle).
 */
static int
close_waiting(struct sg_store *st, const char *feature_id,
    const char *waiting_run_id, const struct sg_store_run_change *change,
    struct sg_error *err)
{
	struct sg_store_run_change c = {change->status, change->finished_at,
		NULL};
	struct sg_run *w = NULL;
	bool found = false;
	int error;

	if ((error = sg_store_run_get(&w, st, feature_id, waiting_run_id,
		 err)) < 0)
		return error;
	if (w->status_enum == SG_RUN_AWAITING_APPROVAL)
		error = st->be->run_update(&found, st->conn, feature_id,
		    waiting_run_id, &c, err);
	sg_run_free(w);
	return error;
}

int
sg_store_run_update(struct sg_store *st, const char *feature_id,
    const char *run_id, enum sg_run_status status, const char *bundle,
    time_t when, struct sg_error *err)
{
	struct sg_store_run_change change = {sg_run_status_name(status), NULL,
		bundle};
	char finished[SG_UTC_ISO_SIZE];
	struct sg_run *run = NULL;
	bool found = false;
	int error;

	if (!feature_id)
		SG_BUG("sg_store_run_update() without a feature id");
	if ((error = check_run_key(feature_id, run_id, err)) < 0)
		return error;
	if ((unsigned)status >= SG_RUN_STATUS_COUNT)
		SG_BUG("an unknown run status");
	if (sg_run_status_final(status)) {
		if (sg_utc_iso(finished, when ? when : sg_utc_now()) < 0)
			return sg_error_set(err, SG_EINVAL,
			    "run finish time %lld is out of range",
			    (long long)when);
		change.finished_at = finished;
	}
	if ((error = sg_store__begin(st, SG_STORE_TXN_WRITE, err)) < 0)
		goto out;
	if ((error = sg_store_run_get(&run, st, feature_id, run_id, err)) < 0)
		goto out;
	if (sg_run_status_final(run->status_enum)) {
		error = sg_error_set(err, SG_EINVAL,
		    "run '%s' of feature %s has already finished (%s)", run_id,
		    feature_id, run->status);
		goto out;
	}
	error = st->be->run_update(&found, st->conn, feature_id, run_id,
	    &change, err);
	if (error < 0)
		goto out;
	if (!found) {
		error = sg_error_set(err, SG_EIO,
		    "store '%s': run '%s' vanished during its update",
		    st->location, run_id);
		goto out;
	}
	/* A continuation's final status is its waiting run's too. */
	if (change.finished_at && run->continues &&
	    (error = close_waiting(st, feature_id, run->continues, &change,
		 err)) < 0)
		goto out;
	error = sg_store__commit(st, err);
out:
	if (error)
		sg_store__rollback(st);
	sg_run_free(run);
	return error;
}

int
sg_store_run_continue(char *out, char *holder, struct sg_store *st,
    const struct sg_run_new *run, const char *waiting_run_id,
    sg_store_claim_cb cb, void *payload, struct sg_error *err)
{
	char now[SG_UTC_ISO_SIZE];
	char other[SG_RUN_ID_SIZE];
	struct sg_run *w = NULL;
	bool inserted = false;
	int error;

	*out = '\0';
	if (holder)
		*holder = '\0';
	if ((error = check_run_new(run, err)) < 0 ||
	    (error = check_run_key(run->feature_id, waiting_run_id, err)) < 0)
		return error;
	if (sg_utc_iso(now, sg_utc_now()) < 0)
		return sg_error_set(err, SG_EINVAL, "the clock is out of range");
	if ((error = sg_store__begin(st, SG_STORE_TXN_WRITE, err)) < 0 ||
	    (error = sg_store_run_get(&w, st, run->feature_id,
		 waiting_run_id, err)) < 0 ||
	    (error = st->be->claim_get(other, st->conn, run->feature_id,
		 waiting_run_id, false, err)) < 0)
		goto out;
	if (*other) {
		if (holder)
			snprintf(holder, SG_RUN_ID_SIZE, "%s", other);
		error = sg_error_set(err, SG_EINVAL,
		    "run %s of feature %s was already resumed by run %s",
		    waiting_run_id, run->feature_id, other);
		goto out;
	}
	if (w->status_enum != SG_RUN_AWAITING_APPROVAL) {
		error = sg_error_set(err, SG_EINVAL,
		    "run %s of feature %s is not awaiting approval (its "
		    "status is %s)",
		    waiting_run_id, run->feature_id, w->status);
		goto out;
	}
	if ((error = allocate(out, st, run, err)) < 0 ||
	    (error = st->be->claim_insert(&inserted, st->conn,
		 run->feature_id, waiting_run_id, out, now, err)) < 0)
		goto out;
	if (!inserted) {
		/* The writer transaction excludes this; a weaker backend. */
		error = sg_error_set(err, SG_EIO,
		    "store '%s': the claim of run %s clashed inside its "
		    "transaction",
		    st->location, waiting_run_id);
		goto out;
	}
	if (cb && (error = cb(st, out, payload, err)) < 0)
		goto out;
	error = sg_store__commit(st, err);
out:
	if (error) {
		sg_store__rollback(st);
		*out = '\0';
	}
	sg_run_free(w);
	return error;
}

int
sg_store_run_list(struct sg_store *st, const struct sg_run_filter *filter,
    sg_run_cb cb, void *payload, struct sg_error *err)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;

	if (filter)
		f = *filter;
	if (f.version != SG_RUN_FILTER_VERSION)
		SG_BUG("struct sg_run_filter of an unknown version");
	if (f.feature_id && !sg_feature_id_is_valid(f.feature_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid feature id '%.40s' (expected 12 lowercase hex "
		    "digits)",
		    f.feature_id);
	if (f.run_id && !sg_run_id_is_valid(f.run_id))
		return sg_error_set(err, SG_EINVAL,
		    "invalid run id '%.40s' (expected YYYYMMDDHHMMSS or "
		    "YYYYMMDDHHMMSS-N)",
		    f.run_id);
	if (f.status && !sg_run_status_is_valid(f.status))
		return sg_error_set(err, SG_EINVAL,
		    "invalid run status '%.40s'", f.status);
	if (f.mode && !sg_store__mode_is_valid(f.mode))
		return sg_error_set(err, SG_EINVAL,
		    "invalid mode '%.40s' (expected sandbox or compliance)",
		    f.mode);
	return list_typed(st, &f, cb, payload, err);
}

int
sg_store_verified_head(struct sg_store *st, struct sg_audit_head *out,
    bool *found, struct sg_error *err)
{
	return st->be->verified_head_get(out, found, st->conn, err);
}

int
sg_store_verified_head_record(struct sg_store *st,
    const struct sg_audit_head *head, bool incremental,
    struct sg_error *err)
{
	char now[SG_UTC_ISO_SIZE];

	if (!head->seq || strnlen(head->hash, sizeof(head->hash)) != 64)
		return sg_error_set(err, SG_EINVAL,
		    "a verified head names a record (seq %" PRIu64 ")",
		    head->seq);
	if (sg_utc_iso(now, sg_utc_now()) < 0)
		return sg_error_set(err, SG_EIO, "cannot format the time");
	return st->be->verified_head_put(st->conn, head, now,
	    incremental ? "incremental" : "full", err);
}

/* What sg_store_copy() carries from the source's listing. */
struct copy_runs {
	struct sg_vec runs; /* struct sg_run *, newest first */
};

static int
collect_run(const struct sg_run *run, void *payload)
{
	struct copy_runs *c = payload;

	sg_vec_push(&c->runs, run_dup(run));
	return 0;
}

/* The destination of a record scan: insert each record as it is. */
struct copy_records {
	struct sg_store *dst;
	struct sg_error *err;
	uint64_t n;
};

static int
copy_record(const struct sg_audit_record *rec, void *payload)
{
	struct copy_records *c = payload;
	int error;

	if ((error = c->dst->be->audit_insert(c->dst->conn, rec, c->err)) < 0)
		return error;
	c->n++;
	return 0;
}

/* Inside dst's writer transaction: true when it has no run and no record. */
static int
check_empty(struct sg_store *dst, struct sg_error *err)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct sg_audit_head head;
	struct get_state g = {NULL, NULL};
	int error;

	f.limit = 1;
	if ((error = list_typed(dst, &f, get_cb, &g, err)) < 0 ||
	    (error = dst->be->audit_head(&head, dst->conn, err)) < 0)
		goto out;
	if (g.first || head.seq)
		error = sg_error_set(err, SG_EINVAL,
		    "store '%s' is not empty (%s); copy into a new store",
		    dst->location, g.first ? "it has runs" :
					     "it has an audit trail");
out:
	sg_run_free(g.first);
	return error;
}

/* Inside both transactions: the runs, oldest first, then their claims. */
static int
copy_runs(struct sg_store *dst, struct copy_runs *c, struct sg_error *err)
{
	struct sg_run *r;
	bool inserted;
	int error;

	for (size_t i = c->runs.len; i-- > 0;) {
		r = c->runs.items[i];
		if ((error = dst->be->run_insert(&inserted, dst->conn, r,
			 err)) < 0)
			return error;
		if (!inserted)
			return sg_error_set(err, SG_EIO,
			    "store '%s': run %s of feature %s is there twice",
			    dst->location, r->run_id, r->feature_id);
	}
	/* A claim is named by its continuation, which started when it was. */
	for (size_t i = c->runs.len; i-- > 0;) {
		r = c->runs.items[i];
		if (!r->continues)
			continue;
		if ((error = dst->be->claim_insert(&inserted, dst->conn,
			 r->feature_id, r->continues, r->run_id, r->started_at,
			 err)) < 0)
			return error;
	}
	return 0;
}

/* The destination of a document scan: insert each as it is. */
struct copy_docs {
	struct sg_store *dst;
	struct sg_error *err;
	uint64_t n;
};

static int
copy_doc(const char *feature_id, const char *run_id, const char *path,
    const void *data, size_t len, void *payload)
{
	struct copy_docs *c = payload;
	int error;

	if ((error = c->dst->be->doc_insert(c->dst->conn, feature_id, run_id,
		 path, data, len, c->err)) < 0)
		return error;
	c->n++;
	return 0;
}

int
sg_store_copy(struct sg_store_copy_stats *out, struct sg_store *dst,
    struct sg_store *src, struct sg_error *err)
{
	struct copy_docs cd = {dst, err, 0};
	struct sg_audit_filter all = SG_AUDIT_FILTER_INIT;
	struct copy_runs c = {SG_VEC_INIT};
	struct copy_records cr = {dst, err, 0};
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = sg_store__begin(src, SG_STORE_TXN_READ, err)) < 0 ||
	    (error = sg_store__begin(dst, SG_STORE_TXN_WRITE, err)) < 0 ||
	    (error = check_empty(dst, err)) < 0 ||
	    (error = src->be->run_list(src->conn, &(struct sg_run_filter)
		SG_RUN_FILTER_INIT, collect_run, &c, err)) < 0 ||
	    (error = copy_runs(dst, &c, err)) < 0 ||
	    (error = src->be->doc_scan(src->conn, NULL, NULL, copy_doc, &cd,
		 err)) < 0 ||
	    (error = src->be->audit_scan(src->conn, &all, copy_record, &cr,
		 err)) < 0 ||
	    (error = dst->be->audit_head(&out->head, dst->conn, err)) < 0)
		goto out;
	error = sg_store__commit(dst, err);
	out->runs = c.runs.len;
	out->records = cr.n;
	out->documents = cd.n;
out:
	if (error)
		sg_store__rollback(dst);
	sg_store__rollback(src);
	for (size_t i = 0; i < c.runs.len; i++)
		sg_run_free(c.runs.items[i]);
	sg_vec_release(&c.runs);
	return error;
}

/*
 * A document's path in a bundle: relative, short, without an empty, "."
 * or ".." component, nor a byte that is a control character.
 */
static bool
doc_path_ok(const char *p)
{
	size_t n = strnlen(p, SG_STORE_DOCUMENT_PATH_MAX + 1);
	const char *c = p;

	if (!n || n > SG_STORE_DOCUMENT_PATH_MAX || *p == '/')
		return false;
	for (const char *q = p; *q; q++) {
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			return false;
	}
	while (*c) {
		size_t k = strcspn(c, "/");

		if (!k || (k == 1 && c[0] == '.') ||
		    (k == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += k;
		if (*c == '/' && !*++c)
			return false;
	}
	return true;
}

static int
doc_ids(const char *feature_id, const char *run_id, struct sg_error *err)
{
	if (!feature_id || !sg_feature_id_is_valid(feature_id))
		return sg_error_set(err, SG_EINVAL, "invalid feature id '%.40s'",
		    feature_id ? feature_id : "");
	if (!run_id || !sg_run_id_is_valid(run_id))
		return sg_error_set(err, SG_EINVAL, "invalid run id '%.40s'",
		    run_id ? run_id : "");
	return 0;
}

int
sg_store_documents_put(size_t *out_stored, struct sg_store *st,
    const char *feature_id, const char *run_id,
    struct sg_store_document *docs, size_t n, sg_store_txn_cb cb,
    void *payload, struct sg_error *err)
{
	size_t total = 0;
	size_t stored = 0;
	int error;

	if (out_stored)
		*out_stored = 0;
	if ((error = doc_ids(feature_id, run_id, err)) < 0)
		return error;
	for (size_t i = 0; i < n; i++) {
		docs[i].stored = false;
		if (!docs[i].path || !doc_path_ok(docs[i].path))
			return sg_error_set(err, SG_EINVAL,
			    "invalid document path '%.80s'",
			    docs[i].path ? docs[i].path : "");
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(docs[i].path, docs[j].path))
				return sg_error_set(err, SG_EINVAL,
				    "document '%.80s' given twice",
				    docs[i].path);
		}
		if (docs[i].len > SG_STORE_DOCUMENT_MAX ||
		    docs[i].len > SG_STORE_RUN_DOCUMENTS_MAX - total)
			continue;
		total += docs[i].len;
		docs[i].stored = true;
	}
	if ((error = sg_store__begin(st, SG_STORE_TXN_WRITE, err)) < 0)
		return error;
	for (size_t i = 0; i < n; i++) {
		if (!docs[i].stored)
			continue;
		if ((error = st->be->doc_insert(st->conn, feature_id, run_id,
			 docs[i].path, docs[i].data ? docs[i].data : "",
			 docs[i].len, err)) < 0)
			goto out;
		stored++;
	}
	if (cb && (error = cb(st, payload, err)) != 0)
		goto out;
	error = sg_store__commit(st, err);
out:
	if (error) {
		sg_store__rollback(st);
		for (size_t i = 0; i < n; i++)
			docs[i].stored = false;
		return error;
	}
	if (out_stored)
		*out_stored = stored;
	return 0;
}

/* What sg_store_documents_foreach() checks on the way. */
struct doc_read {
	struct sg_store *st;
	sg_store_document_cb cb;
	void *payload;
	struct sg_error *err;
	size_t total;
};

static int
doc_read_cb(const char *feature_id, const char *run_id, const char *path,
    const void *data, size_t len, void *payload)
{
	struct doc_read *r = payload;

	(void)feature_id;
	(void)run_id;
	if (!doc_path_ok(path))
		return sg_error_set(r->err, SG_EIO,
		    "store '%s' holds a document with a malformed path "
		    "'%.80s'", r->st->location, path);
	if (len > SG_STORE_DOCUMENT_MAX ||
	    len > SG_STORE_RUN_DOCUMENTS_MAX - r->total)
		return sg_error_set(r->err, SG_EIO,
		    "store '%s': document '%.80s' is past the caps (%zu "
		    "bytes; at most %u per document, %u per run)",
		    r->st->location, path, len, SG_STORE_DOCUMENT_MAX,
		    SG_STORE_RUN_DOCUMENTS_MAX);
	r->total += len;
	return r->cb(path, data, len, r->payload);
}

int
sg_store_documents_foreach(struct sg_store *st, const char *feature_id,
    const char *run_id, sg_store_document_cb cb, void *payload,
    struct sg_error *err)
{
	struct doc_read r = {st, cb, payload, err, 0};
	int error;

	if ((error = doc_ids(feature_id, run_id, err)) < 0)
		return error;
	return st->be->doc_scan(st->conn, feature_id, run_id, doc_read_cb, &r,
	    err);
}
