/* SPDX-License-Identifier: MIT */
/*
 * report.c - the report model (specgate/report/v1, docs/formats.md): one
 * run, found in the store, read from its bundle.
 *
 * Every figure is read from a file that the bundle's manifest lists, after
 * checking that the bytes read hash to the manifest's digest; the file and
 * its digest go with the figure (`source`) and into `evidence`, so that a
 * reader can check any number with sha256sum and jq.  The manifest itself
 * is sealed by the audit trail (`specgate verify` checks that); the report
 * gives its digest too.
 *
 * A continuation (deployed after approval) and the run it continues are one
 * release: a document the continuation lacks, and a stage it skipped, come
 * from the approved run's bundle, whose manifest must be the one approved.
 */
#include "report/report_int.h"

#include <math.h>

#include "hash/digest.h"
#include "sys/fs.h"
#include "util/utctime.h"

/* One bundle the report reads: the run's, or the approved run's. */
struct bundle {
	char *run_id;
	char *path; /* as located, from the cwd */
	char *href; /* the same without "./", percent-encoded */
	json_t *manifest;
	struct sg_manifest m;
	json_t *msrc;	 /* manifest.json's source */
	json_t *cps;	 /* checkpoints.log: [[stage, status], ...] */
	json_t *cps_src;
	json_t *res;	 /* resource-estimates.json */
	json_t *res_src;
};

struct ctx {
	struct sg_store *st;
	const struct sg_report_options *o;
	json_t *evidence; /* [source], in the order first used */
	struct bundle *run;
	struct bundle *approved; /* NULL unless a continuation */
	bool staged; /* the report for the run's own bundle (links from it) */
	struct sg_error *err;
};

static void
bundle_free(struct bundle *b)
{
	if (!b)
		return;
	free(b->run_id);
	free(b->path);
	free(b->href);
	json_decref(b->manifest);
	sg_manifest_release(&b->m);
	json_decref(b->msrc);
	json_decref(b->cps);
	json_decref(b->cps_src);
	json_decref(b->res);
	json_decref(b->res_src);
	free(b);
}

/* p as a URL path: every byte but A-Z a-z 0-9 - . _ ~ / as %XX. */
static char *
href_of(const char *p)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sg_buf b;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	sg_buf_init(&b, 0);
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			sg_buf_putc(&b, c);
		} else {
			sg_buf_putc(&b, '%');
			sg_buf_putc(&b, hex[c >> 4]);
			sg_buf_putc(&b, hex[c & 15]);
		}
	}
	return sg_buf_detach(&b, NULL);
}

/*
 * sha256 NULL: the manifest of the bundle that the report is written
 * into, which lists the report and so cannot be cited by digest (the
 * audit trail's seal holds its digest).  An empty href (that bundle
 * itself) links the file by its name.
 */
static json_t *
source_new(const struct bundle *b, const char *file, const char *sha256)
{
	char *name = href_of(file);
	json_t *s = json_pack("{s:s,s:s,s:s?,s:s++}", "run_id", b->run_id,
	    "file", file, "sha256", sha256, "href", b->href,
	    *b->href ? "/" : "", name);

	if (!s)
		SG_BUG("json_pack failed");
	free(name);
	return s;
}

/* Record s in the evidence list once (by run and file). */
static void
evidence_add(struct ctx *c, json_t *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(c->evidence, i, e)
		if (json_equal(json_object_get(e, "run_id"),
			json_object_get(s, "run_id")) &&
		    json_equal(json_object_get(e, "file"),
			json_object_get(s, "file")))
			return;
	json_array_append(c->evidence, s);
}

/*
 * Read the bundle file `name` into raw (when not NULL) and, for JSON, into
 * *doc; *src gets its source.  Nothing (0, *doc and *src NULL) when the
 * manifest does not list it: an unlisted file is not evidence.
 */
static int
read_file(struct ctx *c, struct bundle *b, const char *name, json_t **doc,
    struct sg_buf *raw, json_t **src)
{
	const struct sg_manifest_file *f = NULL;
	char hex[65];
	struct sg_buf buf;
	json_error_t je;
	char *path;
	int error;

	if (doc)
		*doc = NULL;
	*src = NULL;
	for (size_t i = 0; i < b->m.nfiles; i++)
		if (!b->m.files[i].is_link && !strcmp(b->m.files[i].path, name))
			f = &b->m.files[i];
	if (!f)
		return 0;
	sg_buf_init(&buf, SG_REPORT_DOC_MAX);
	path = sg_xasprintf("%s/%s", b->path, name);
	if ((error = sg_fs_read_file(&buf, path, SG_REPORT_DOC_MAX,
		 c->err)) < 0 ||
	    (error = sg_sha256_hex(hex, buf.ptr, buf.len, c->err)) < 0)
		goto out;
	if (strcmp(hex, f->sha256)) {
		error = sg_error_set(c->err, SG_EVERIFY,
		    "%s: SHA-256 %s, but the manifest lists %s: the bundle "
		    "was changed after the run (specgate verify %s)",
		    path, hex, f->sha256, b->path);
		goto out;
	}
	if (doc) {
		*doc = json_loadb(buf.ptr, buf.len, 0, &je);
		if (!*doc || !json_is_object(*doc)) {
			json_decref(*doc);
			*doc = NULL;
			error = sg_error_set(c->err, SG_EINVAL,
			    "%s:%d:%d: not a JSON object: %s", path, je.line,
			    je.column, je.text);
			goto out;
		}
	}
	if (raw)
		sg_buf_put(raw, buf.ptr, buf.len);
	*src = source_new(b, name, hex);
	evidence_add(c, *src);
out:
	free(path);
	sg_buf_release(&buf);
	return error;
}

/* checkpoints.log as [[stage, status], ...] (fields 4 and 5). */
static json_t *
parse_checkpoints(const char *p, size_t n)
{
	json_t *arr = json_array();
	const char *end = p + n, *nl;

	for (; p < end; p = nl + 1) {
		const char *f[6];
		size_t nf = 0;
		const char *q;

		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		f[nf++] = p;
		for (q = p; q + 3 <= nl && nf < 6; q++)
			if (!memcmp(q, " | ", 3)) {
				f[nf++] = q + 3;
				q += 2;
			}
		if (nf == 6) {
			char *stage = sg_xstrndup(f[3],
			    (size_t)(f[4] - 3 - f[3]));
			char *status = sg_xstrndup(f[4],
			    (size_t)(f[5] - 3 - f[4]));

			json_array_append_new(arr,
			    json_pack("[s,s]", stage, status));
			free(stage);
			free(status);
		}
		if (nl == end)
			break;
	}
	return arr;
}

/*
 * From the bundle the report is written into (reports/<fid>/<run-id>
 * once published), the link to another published bundle at path: an
 * active one is a sibling, an archived one is under
 * reports/archive/YYYYMMDD/<fid>/<run-id> (its last four components).
 */
static char *
staged_href(const char *path, enum sg_bundle_where where, const char *run_id)
{
	const char *p = path + strlen(path);
	char *tail, *h;

	if (where != SG_BUNDLE_ARCHIVED) {
		tail = href_of(run_id);
		h = sg_xasprintf("../%s", tail);
		free(tail);
		return h;
	}
	for (int k = 0; k < 4 && p > path; k++)
		while (--p > path && *p != '/')
			;
	tail = href_of(*p == '/' ? p + 1 : p);
	h = sg_xasprintf("../../%s", tail);
	free(tail);
	return h;
}

/*
 * The manifest (text, whose SHA-256 is hex, or NULL for a draft) of b and
 * what every part of the report reads: checkpoints.log and
 * resource-estimates.json.
 */
static int
bundle_open(struct bundle *b, struct ctx *c, const char *text,
    const char *hex)
{
	struct sg_buf raw;
	int error;

	sg_buf_init(&raw, SG_REPORT_DOC_MAX);
	if ((error = sg_manifest_parse(&b->m, text, strlen(text), c->err)) < 0)
		goto out;
	b->manifest = json_loads(text, 0, NULL);
	if (!json_is_object(b->manifest)) {
		error = sg_error_set(c->err, SG_EINVAL,
		    "%s/manifest.json: not a JSON object", b->path);
		goto out;
	}
	b->msrc = source_new(b, SG_BUNDLE_MANIFEST, hex);
	evidence_add(c, b->msrc);
	if ((error = read_file(c, b, SG_BUNDLE_CHECKPOINTS, NULL, &raw,
		 &b->cps_src)) < 0 ||
	    (error = read_file(c, b, "resource-estimates.json", &b->res, NULL,
		 &b->res_src)) < 0)
		goto out;
	b->cps = parse_checkpoints(raw.ptr ? raw.ptr : "", raw.len);
out:
	sg_buf_release(&raw);
	return error;
}

/* Locate and load the bundle of run_id (feature c's): manifest and all. */
static int
bundle_load(struct bundle **out, struct ctx *c, const char *feature_id,
    const char *run_id)
{
	enum sg_bundle_where where = SG_BUNDLE_NONE;
	struct bundle *b = sg_xcalloc(1, sizeof(*b));
	struct sg_run *run = NULL;
	char hex[65];
	char *text = NULL;
	int error;

	*out = NULL;
	b->run_id = sg_xstrdup(run_id);
	if ((error = sg_store_run_get(&run, c->st, feature_id, run_id,
		 c->err)) < 0 ||
	    (error = sg_evidence_locate(&b->path, &where, c->o->eo,
		 run->feature_id, run->run_id, run->bundle, c->err)) < 0)
		goto out;
	if (!b->path || where == SG_BUNDLE_PENDING) {
		error = sg_error_set(c->err, SG_ENOTFOUND,
		    "run %s has no published bundle (status %s)", run_id,
		    run->status);
		goto out;
	}
	b->href = c->staged ? staged_href(b->path, where, run_id) :
	    href_of(b->path);
	if ((error = sg_evidence_read_manifest(&text, b->path, c->err)) < 0 ||
	    (error = sg_sha256_hex(hex, text, strlen(text), c->err)) < 0 ||
	    (error = bundle_open(b, c, text, hex)) < 0)
		goto out;
	*out = b;
	b = NULL;
out:
	free(text);
	sg_run_free(run);
	bundle_free(b);
	return error;
}

/* The document `name` of the release: the run's, else the approved run's. */
static int
find_doc(struct ctx *c, const char *name, json_t **doc, json_t **src)
{
	int error;

	if ((error = read_file(c, c->run, name, doc, NULL, src)) < 0 || *doc ||
	    !c->approved)
		return error;
	return read_file(c, c->approved, name, doc, NULL, src);
}

static const char *
sget(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_int_t
iget(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The gate words; bundles before them said "warn". */
static const char *
word(const char *r)
{
	if (!r)
		return "skipped";
	return !strcmp(r, "warn") ? "warning" : r;
}

/*
 * A gate's result from the findings of doc whose code is in `codes`:
 * "missing" when one of `missing` is there (its input never appeared),
 * "fail" with an error, "warning" with a warning, else "pass" (the
 * dashboard's rule, src/lib/service/gates.c).
 */
static const char *
gate_word(const json_t *doc, const char *codes, const char *missing)
{
	bool absent = false, e = false, w = false;
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(doc, "findings"), i, f) {
		const char *code = sget(f, "code"), *sev = sget(f, "severity");

		if (!code || strlen(code) != 5)
			continue;
		if (strstr(missing, code))
			absent = true;
		if (!strstr(codes, code))
			continue;
		if (sev && !strcmp(sev, "error"))
			e = true;
		else
			w = true;
	}
	return absent ? "missing" : e ? "fail" : w ? "warning" : "pass";
}

static void
metric(json_t *arr, const char *name, const char *target, char *actual,
    const char *status, json_t *src)
{
	json_t *m = json_pack("{s:s,s:s,s:s,s:s,s:O?}", "metric", name,
	    "target", target, "actual", actual, "status", status, "source",
	    src);

	if (!m)
		SG_BUG("json_pack failed");
	json_array_append_new(arr, m);
	free(actual);
}

/* A number as people write it: 0.1, 128, 3.8 (at most 3 decimals). */
static char *
num(double v)
{
	char *s = sg_xasprintf("%.3f", v), *p;

	if ((p = strchr(s, '.'))) {
		size_t n = strlen(s);

		while (n > 0 && s[n - 1] == '0')
			s[--n] = '\0';
		if (n > 0 && s[n - 1] == '.')
			s[--n] = '\0';
	}
	return s;
}

static double
dget(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static int
gate_metrics(struct ctx *c, json_t *metrics, json_t *docs)
{
	json_t *svr, *cov, *sast, *s1, *s2, *s3, *cc, *t, *sc, *bl;
	const char *mode = sget(c->run->manifest, "mode");
	const char *st;
	double lp, mn;
	int error;

	if ((error = find_doc(c, "spec-validation-report.json", &svr,
		 &s1)) < 0)
		return error;
	json_object_set_new(docs, "spec", svr ? svr : json_null());
	json_object_set_new(docs, "spec_src", s1 ? s1 : json_null());
	if ((error = find_doc(c, "spec-coverage.json", &cov, &s2)) < 0)
		return error;
	json_object_set_new(docs, "cov", cov ? cov : json_null());
	json_object_set_new(docs, "cov_src", s2 ? s2 : json_null());
	if ((error = find_doc(c, "sast-summary.json", &sast, &s3)) < 0)
		return error;
	json_object_set_new(docs, "sast", sast ? sast : json_null());
	json_object_set_new(docs, "sast_src", s3 ? s3 : json_null());

	t = json_object_get(svr, "summary");
	metric(metrics, "spec findings", "0 errors",
	    t ? sg_xasprintf("%" JSON_INTEGER_FORMAT " errors, %"
		JSON_INTEGER_FORMAT " warnings", iget(t, "errors"),
		iget(t, "warnings")) : sg_xstrdup("not checked"),
	    t ? word(sget(t, "result")) : "skipped", s1);

	cc = json_object_get(cov, "code_coverage");
	lp = dget(cc, "line_percent");
	mn = dget(cc, "min");
	{
		char *tg = isnan(mn) ? sg_xstrdup("measured") : NULL;
		char *a = NULL;

		if (!tg) {
			char *m = num(mn);

			tg = sg_xasprintf(">= %s %% of lines", m);
			free(m);
		}
		if (!cov || !json_is_object(cc))
			a = sg_xstrdup("not measured");
		else if (isnan(lp))
			a = sg_xstrdup("no lines found");
		else
			a = sg_xasprintf("%.1f %% (%" JSON_INTEGER_FORMAT
					 " of %" JSON_INTEGER_FORMAT " lines)",
			    lp, iget(cc, "lines_hit"), iget(cc, "lines_found"));
		metric(metrics, "code coverage", tg, a,
		    cov ? gate_word(cov, "SG301 SG302 SG303", "SG303") :
			  "skipped", s2);
		free(tg);
	}
	t = json_object_get(cov, "tests");
	metric(metrics, "tests", "0 failed",
	    json_is_object(t) ? sg_xasprintf("%" JSON_INTEGER_FORMAT
		" passed, %" JSON_INTEGER_FORMAT " failed, %" JSON_INTEGER_FORMAT
		" errors, %" JSON_INTEGER_FORMAT " skipped of %"
		JSON_INTEGER_FORMAT, iget(t, "passed"), iget(t, "failed"),
		iget(t, "errors"), iget(t, "skipped"), iget(t, "total")) :
		sg_xstrdup("no test results"),
	    cov ? gate_word(cov, "SG311 SG313", "SG313") : "skipped", s2);
	sc = json_object_get(cov, "spec_coverage");
	lp = dget(sc, "percent");
	metric(metrics, "spec coverage", "every scenario tested",
	    json_is_object(sc) ? sg_xasprintf("%" JSON_INTEGER_FORMAT " of %"
		JSON_INTEGER_FORMAT " scenarios%s", iget(sc, "covered"),
		iget(sc, "scenarios"), "") : sg_xstrdup("not measured"),
	    cov ? gate_word(cov, "SG312", "SG313") : "skipped", s2);
	if (json_is_object(sc) && !isnan(lp)) {
		/* The percent as the document rounded it. */
		json_t *m = json_array_get(metrics, json_array_size(metrics) - 1);
		char *a = sg_xasprintf("%s (%.1f %%)", sget(m, "actual"), lp);

		json_object_set_new(m, "actual", json_string(a));
		free(a);
	}
	bl = json_object_get(sast, "by_level");
	st = sast ? gate_word(sast, "SG321 SG322", "SG322") : "skipped";
	{
		char *tg = sg_xasprintf("0 at or above %s",
		    sget(sast, "fail_on") ? sget(sast, "fail_on") : "error");

		metric(metrics, "SAST", tg,
		    !sast ? sg_xstrdup("not analysed") :
		    json_is_true(json_object_get(sast, "present")) ?
			sg_xasprintf("%" JSON_INTEGER_FORMAT
			    " at or above (%" JSON_INTEGER_FORMAT
			    " results: %" JSON_INTEGER_FORMAT " error, %"
			    JSON_INTEGER_FORMAT " warning, %" JSON_INTEGER_FORMAT
			    " note; %" JSON_INTEGER_FORMAT " suppressed)",
			    iget(sast, "at_or_above_fail_on"),
			    iget(sast, "results"), iget(bl, "error"),
			    iget(bl, "warning"), iget(bl, "note"),
			    iget(sast, "suppressed")) :
			sg_xstrdup("no SARIF results"), st, s3);
		free(tg);
	}
	(void)mode;
	return 0;
}

/* Whether b's resource-estimates.json has a check named name. */
static bool
has_check(const struct bundle *b, const char *name)
{
	size_t i;
	json_t *k;

	json_array_foreach(json_object_get(b->res, "checks"), i, k)
		if (sget(k, "check") && !strcmp(sget(k, "check"), name))
			return true;
	return false;
}

/*
 * One metric per resource check of b.  For the approved run of a
 * continuation (`skip` the continuation), only the checks the
 * continuation has not made itself: the declared figures come from the
 * same spec, the stages it skipped were measured in the approved run.
 */
static void
resource_metrics(json_t *metrics, struct bundle *b, const struct bundle *skip)
{
	bool compliance = b->m.mode_enum == SG_MODE_COMPLIANCE;
	size_t i;
	json_t *k;

	if (!b->res)
		return;
	json_array_foreach(json_object_get(b->res, "checks"), i, k) {
		if (skip && sget(k, "check") && has_check(skip, sget(k,
		    "check")))
			continue;
		char *name = sg_xasprintf("resources: %s", sget(k, "check") ?
		    sget(k, "check") : "?");
		char *lim = num(dget(k, "limit"));
		char *tg = sg_xasprintf("<= %s", lim);
		bool ok = json_is_true(json_object_get(k, "ok"));

		metric(metrics, name, tg, num(dget(k, "value")),
		    ok ? "pass" : compliance ? "fail" :
		    "warning", b->res_src);
		free(name);
		free(lim);
		free(tg);
	}
}

/* Checkpoints of `stage` with `status` in checkpoints.log. */
static json_int_t
count_cps(const struct bundle *b, const char *stage, const char *status)
{
	json_int_t n = 0;
	size_t i;
	json_t *p;

	json_array_foreach(b->cps, i, p)
		if ((!stage || !strcmp(json_string_value(json_array_get(p, 0)),
				  stage)) &&
		    !strcmp(json_string_value(json_array_get(p, 1)), status))
			n++;
	return n;
}

/* The measured stage of resource-estimates.json, or NULL. */
static json_t *
measured(const struct bundle *b, const char *stage)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(json_object_get(b->res,
	    "measured"), "stages"), i, m)
		if (sget(m, "stage") && !strcmp(sget(m, "stage"), stage))
			return m;
	return NULL;
}

/* The manifest's stage entry of b named stage, or NULL. */
static json_t *
mstage(const struct bundle *b, const char *stage)
{
	size_t i;
	json_t *s;

	json_array_foreach(json_object_get(b->manifest, "stages"), i, s)
		if (sget(s, "stage") && !strcmp(sget(s, "stage"), stage))
			return s;
	return NULL;
}

/*
 * The stages of the release in pipeline order: the run's, where a stage
 * it skipped ran in the approved run, that one's.
 */
static json_t *
stages_json(struct ctx *c, json_t *metrics, json_int_t *retries)
{
	json_t *arr = json_array();
	size_t i;
	json_t *s;

	*retries = 0;
	json_array_foreach(json_object_get(c->run->manifest, "stages"), i, s) {
		struct bundle *b = c->run;
		const char *name = sget(s, "stage");
		json_t *row, *m, *o;

		if (!name)
			continue;
		if (c->approved && sget(s, "status") &&
		    !strcmp(sget(s, "status"), "skipped") &&
		    (o = mstage(c->approved, name)) && sget(o, "status") &&
		    strcmp(sget(o, "status"), "skipped")) {
			b = c->approved;
			s = o;
		}
		m = measured(b, name);
		row = json_pack("{s:s,s:s,s:s,s:s?,s:I,s:I,s:O?,s:O?}",
		    "stage", name, "run_id", b->run_id, "status",
		    sget(s, "status") ? sget(s, "status") : "unknown",
		    "detail", sget(s, "detail"), "checkpoints",
		    iget(s, "checkpoints"), "retries",
		    count_cps(b, name, "retry"), "source", b->msrc,
		    "checkpoints_source", b->cps_src);
		if (!row)
			SG_BUG("json_pack failed");
		*retries += count_cps(b, name, "retry");
		if (m) {
			json_object_set(row, "wall_seconds",
			    json_object_get(m, "wall_seconds"));
			json_object_set(row, "cpu_seconds",
			    json_object_get(m, "cpu_seconds"));
			json_object_set(row, "peak_rss_mb",
			    json_object_get(m, "peak_rss_mb"));
			json_object_set(row, "attempts",
			    json_object_get(m, "attempts"));
			json_object_set(row, "measured_source", b->res_src);
			char *what = sg_xasprintf("wall time: %s", name);

			metric(metrics, what, "n/a", sg_xasprintf("%.3f s",
				dget(m, "wall_seconds")),
			    sget(s, "status") ? sget(s, "status") : "unknown",
			    b->res_src);
			free(what);
		}
		json_array_append_new(arr, row);
	}
	return arr;
}

static json_t *
approvals_json(struct ctx *c, json_t *doc, json_t *src)
{
	json_t *arr = json_array();
	size_t i;
	json_t *a;

	json_array_foreach(json_object_get(doc, "approvals"), i, a) {
		const char *text = sget(a, "document");
		json_t *d = text ? json_loads(text, 0, NULL) : NULL;

		json_array_append_new(arr, json_pack(
		    "{s:s?,s:s?,s:s?,s:s?,s:s?,s:O}", "keyid", sget(a, "keyid"),
		    "comment", sget(d, "comment"), "timestamp",
		    sget(d, "timestamp"), "document_sha256",
		    sget(a, "document_sha256"), "approved_run_id",
		    sget(d, "run_id"), "source", src));
		json_decref(d);
	}
	return arr;
}

static json_t *
sbom_json(json_t *bom, json_t *src)
{
	json_t *types, *origins, *endpoints;
	size_t i, j;
	json_t *v, *p, *e;

	if (!bom)
		return json_null();
	types = json_object();
	origins = json_object();
	endpoints = json_array();
	json_array_foreach(json_object_get(bom, "components"), i, v) {
		const char *t = sget(v, "type") ? sget(v, "type") : "?";

		json_object_set_new(types, t, json_integer(
		    iget(types, t) + 1));
		json_array_foreach(json_object_get(v, "properties"), j, p)
			if (sget(p, "name") && sget(p, "value") &&
			    !strcmp(sget(p, "name"), "specgate:source"))
				json_object_set_new(origins, sget(p, "value"),
				    json_integer(iget(origins,
					sget(p, "value")) + 1));
	}
	json_array_foreach(json_object_get(bom, "services"), i, v)
		json_array_foreach(json_object_get(v, "endpoints"), j, e)
			json_array_append(endpoints, e);
	return json_pack("{s:s?,s:s?,s:I,s:o,s:o,s:I,s:o,s:O}", "spec_version",
	    sget(bom, "specVersion"), "serial_number",
	    sget(bom, "serialNumber"), "components",
	    (json_int_t)json_array_size(json_object_get(bom, "components")),
	    "by_type", types, "by_source", origins, "services",
	    (json_int_t)json_array_size(json_object_get(bom, "services")),
	    "endpoints", endpoints, "source", src);
}

static json_t *
environment_json(struct ctx *c, json_t *dep, json_t *src)
{
	json_t *h = json_object_get(dep, "health");
	json_t *last = json_array_get(h, json_array_size(h) - 1);
	json_t *ds = mstage(c->run, "deploy");
	json_t *tool = json_object_get(c->run->manifest, "tool");
	json_t *proj = json_object_get(c->run->manifest, "project");
	json_t *env;

	env = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:O}", "project",
	    sget(proj, "name"), "project_version", sget(proj, "version"),
	    "mode", sget(c->run->manifest, "mode"), "tool_version",
	    sget(tool, "version"), "tool_commit", sget(tool, "commit"),
	    "deploy_status", sget(ds, "status"), "manifest_source",
	    c->run->msrc);
	if (!env)
		SG_BUG("json_pack failed");
	if (dep) {
		json_object_set(env, "health_url",
		    json_object_get(dep, "health_url"));
		json_object_set(env, "deploy_attempts",
		    json_object_get(dep, "attempts"));
		json_object_set_new(env, "deploy_commands", json_integer(
		    (json_int_t)json_array_size(json_object_get(dep,
			"commands"))));
		json_object_set_new(env, "health_probes",
		    json_integer((json_int_t)json_array_size(h)));
		if (last)
			json_object_set(env, "last_probe",
			    json_object_get(last, "summary"));
		json_object_set(env, "source", src);
	}
	return env;
}

static int
sev_rank(const char *s)
{
	if (!s)
		return 3;
	if (!strcmp(s, "error"))
		return 0;
	if (!strcmp(s, "warning"))
		return 1;
	return 2;
}

static void
risk(json_t *arr, const char *sev, const char *code, const char *what,
    const char *where, json_t *src)
{
	json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:O?}",
	    "severity", sev, "code", code ? code : "-", "what", what, "where",
	    where ? where : "-", "source", src));
}

static int
risk_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int rx = sev_rank(sget(x, "severity")), ry = sev_rank(sget(y,
	    "severity"));

	if (rx != ry)
		return rx - ry;
	/* Same severity: the order they were found in (stable). */
	return (int)(iget(x, "n") - iget(y, "n"));
}

static void
findings_risks(json_t *arr, const json_t *doc, json_t *src)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(doc, "findings"), i, f) {
		char *where = sget(f, "file") && *sget(f, "file") ?
		    sg_xasprintf("%s:%" JSON_INTEGER_FORMAT ":%"
			JSON_INTEGER_FORMAT, sget(f, "file"), iget(f, "line"),
			iget(f, "column")) : NULL;
		char *what = sg_xasprintf("%s: %s", sget(f, "name") ?
		    sget(f, "name") : "finding", sget(f, "message") ?
		    sget(f, "message") : "");

		risk(arr, sget(f, "severity") ? sget(f, "severity") : "warning",
		    sget(f, "code"), what, where, src);
		free(where);
		free(what);
	}
}

/* Every open finding, ranked: errors first, then warnings, then notes. */
static json_t *
risks_json(struct ctx *c, json_t *docs, json_t *stages)
{
	json_t *arr = json_array(), *sast = json_object_get(docs, "sast");
	json_t **v;
	size_t i, n;
	json_t *r, *s;

	json_array_foreach(stages, i, s) {
		const char *st = sget(s, "status");

		if (st && (!strcmp(st, "failure") || !strcmp(st, "cancelled"))) {
			char *what = sg_xasprintf("stage %s: %s: %s",
			    sget(s, "stage"), st, sget(s, "detail") ?
			    sget(s, "detail") : "");

			risk(arr, "error", NULL, what, NULL,
			    json_object_get(s, "source"));
			free(what);
		}
	}
	findings_risks(arr, json_object_get(docs, "spec"),
	    json_object_get(docs, "spec_src"));
	findings_risks(arr, json_object_get(docs, "cov"),
	    json_object_get(docs, "cov_src"));
	findings_risks(arr, sast, json_object_get(docs, "sast_src"));
	json_array_foreach(json_object_get(sast, "by_rule"), i, r) {
		json_int_t e = iget(r, "error"), w = iget(r, "warning");
		char *what;

		if (!e && !w)
			continue;
		what = sg_xasprintf("SAST rule %s: %" JSON_INTEGER_FORMAT
				    " error, %" JSON_INTEGER_FORMAT " warning",
		    sget(r, "rule") && *sget(r, "rule") ? sget(r, "rule") :
			"(no rule)", e, w);
		risk(arr, e ? "error" : "warning", "SARIF", what, NULL,
		    json_object_get(docs, "sast_src"));
		free(what);
	}
	for (struct bundle *b = c->run; b; b = b == c->run ? c->approved :
							    NULL) {
		json_array_foreach(json_object_get(b->res, "checks"), i, r) {
			char *what, *v1, *v2;

			if (json_is_true(json_object_get(r, "ok")))
				continue;
			v1 = num(dget(r, "value"));
			v2 = num(dget(r, "limit"));
			what = sg_xasprintf("resources: %s is %s, over the "
					    "limit %s", sget(r, "check"), v1, v2);
			risk(arr, b->m.mode_enum == SG_MODE_COMPLIANCE ?
			    "error" : "warning", NULL, what, NULL, b->res_src);
			free(what);
			free(v1);
			free(v2);
		}
	}
	/* Rank: a stable sort by severity. */
	n = json_array_size(arr);
	v = sg_xcalloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i] = json_incref(json_array_get(arr, i));
		json_object_set_new(v[i], "n", json_integer((json_int_t)i));
	}
	qsort(v, n, sizeof(*v), risk_cmp);
	json_array_clear(arr);
	for (i = 0; i < n; i++) {
		json_object_del(v[i], "n");
		json_object_set_new(v[i], "rank", json_integer((json_int_t)i +
		    1));
		json_array_append_new(arr, v[i]);
	}
	free(v);
	return arr;
}

/* The verdict: the run's status and why it is not a plain pass. */
static json_t *
verdict_json(struct ctx *c, const struct sg_run *run, json_t *metrics,
    json_t *stages)
{
	static const char *const bad[] = {"fail", "failure", "missing",
		"warning", "cancelled", "awaiting_approval"};
	json_t *reasons = json_array();
	struct sg_buf b;
	size_t i;
	json_t *m, *v;
	char *line;

	/* A stage that did not succeed, with its manifest's detail. */
	json_array_foreach(stages, i, m)
		for (size_t k = 1; k < SG_ARRAY_SIZE(bad); k++)
			if (sget(m, "status") && !strcmp(sget(m, "status"),
							     bad[k])) {
				line = sg_xasprintf("stage %s: %s (%s)",
				    sget(m, "stage"), sget(m, "status"),
				    sget(m, "detail") ? sget(m, "detail") :
					"no detail");
				json_array_append_new(reasons,
				    json_string(line));
				free(line);
			}
	/* A gate that did not pass (stage wall times are said above). */
	json_array_foreach(metrics, i, m)
		for (size_t k = 0; k < SG_ARRAY_SIZE(bad); k++)
			if (sget(m, "status") && !strcmp(sget(m, "status"),
							     bad[k]) &&
			    strncmp(sget(m, "metric"), "wall time", 9)) {
				line = sg_xasprintf("%s: %s (%s)",
				    sget(m, "metric"), sget(m, "status"),
				    sget(m, "actual"));
				json_array_append_new(reasons,
				    json_string(line));
				free(line);
			}
	sg_buf_init(&b, 0);
	sg_buf_printf(&b, "run %s: %s", run->run_id, run->status);
	if (c->approved)
		sg_buf_printf(&b, ", deployed after approval of run %s",
		    c->approved->run_id);
	line = sg_buf_detach(&b, NULL);
	v = json_pack("{s:s,s:s,s:o}", "status", run->status, "headline", line,
	    "reasons", reasons);
	free(line);
	return v;
}

/* since: "YYYY-MM-DD" or ISO UTC, as an ISO UTC lower bound in out. */
static int
parse_since(char *out, const char *s, struct sg_error *err)
{
	const char *orig = s;
	char iso[SG_UTC_ISO_SIZE + 16];

	if (strlen(s) == 10) {
		snprintf(iso, sizeof(iso), "%sT00:00:00Z", s);
		s = iso;
	}
	if (strlen(s) != SG_UTC_ISO_SIZE - 1 || !sg_utc_is_iso(s))
		return sg_error_set(err, SG_EINVAL,
		    "--since '%s': expected YYYY-MM-DD or "
		    "YYYY-MM-DDTHH:MM:SSZ (UTC)", orig);
	memcpy(out, s, SG_UTC_ISO_SIZE);
	return 0;
}

struct trend_state {
	const char *since;
	struct sg_vec ids; /* char *, newest first */
	struct sg_vec statuses;
	struct sg_vec started;
	bool more; /* a run past SG_REPORT_TREND_MAX was left out */
};

static int
trend_cb(const struct sg_run *run, void *payload)
{
	struct trend_state *t = payload;

	if (strcmp(run->started_at, t->since) < 0)
		return 1; /* newest first: every later one is older */
	if (t->ids.len >= SG_REPORT_TREND_MAX) {
		t->more = true;
		return 1;
	}
	sg_vec_push(&t->ids, sg_xstrdup(run->run_id));
	sg_vec_push(&t->statuses, sg_xstrdup(run->status));
	sg_vec_push(&t->started, sg_xstrdup(run->started_at));
	return 0;
}

/* One run of the trend: its figures, from its own bundle only. */
static int
trend_point(json_t **out, struct ctx *c, const char *fid, const char *rid,
    const char *status, const char *started)
{
	struct bundle *b = NULL;
	json_t *p, *cov = NULL, *src = NULL, *t, *cc, *s;
	double wall = 0;
	bool any = false;
	size_t i;
	int error;

	p = json_pack("{s:s,s:s,s:s}", "run_id", rid, "status", status,
	    "started_at", started);
	*out = p;
	error = bundle_load(&b, c, fid, rid);
	if (error == SG_ENOTFOUND) {
		sg_error_release(c->err);
		sg_error_init(c->err);
		return 0;
	}
	if (error < 0)
		return error;
	if ((error = read_file(c, b, "spec-coverage.json", &cov, NULL,
		 &src)) < 0)
		goto out;
	json_object_set(p, "source", b->msrc);
	cc = json_object_get(cov, "code_coverage");
	json_object_set(p, "line_percent", json_object_get(cc,
	    "line_percent") ? json_object_get(cc, "line_percent") :
	    json_null());
	t = json_object_get(cov, "tests");
	if (json_is_object(t) && iget(t, "total") > 0) {
		json_object_set(p, "tests_passed", json_object_get(t,
		    "passed"));
		json_object_set(p, "tests_total", json_object_get(t, "total"));
		json_object_set_new(p, "pass_rate", json_real(
		    round(1000.0 * (double)iget(t, "passed") /
			(double)iget(t, "total")) / 10.0));
	}
	if (src)
		json_object_set(p, "coverage_source", src);
	json_object_set_new(p, "retries", json_integer(count_cps(b, NULL,
	    "retry")));
	json_object_set_new(p, "failures", json_integer(count_cps(b, NULL,
	    "failure")));
	json_object_set(p, "checkpoints_source", b->cps_src);
	json_array_foreach(json_object_get(json_object_get(b->res,
	    "measured"), "stages"), i, s)
		if (json_is_number(json_object_get(s, "wall_seconds"))) {
			wall += dget(s, "wall_seconds");
			any = true;
		}
	if (any) {
		json_object_set_new(p, "wall_seconds", json_real(wall));
		json_object_set(p, "measured_source", b->res_src);
	}
out:
	json_decref(cov);
	json_decref(src);
	bundle_free(b);
	return error;
}

static int
trends_json(json_t **out, struct ctx *c, const char *fid)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	char since[SG_UTC_ISO_SIZE];
	struct trend_state t = {since, SG_VEC_INIT, SG_VEC_INIT, SG_VEC_INIT,
	    false};
	json_t *runs, *p;
	int error;

	*out = json_null();
	if (!c->o->since)
		return 0;
	runs = json_array();
	if ((error = parse_since(since, c->o->since, c->err)) < 0)
		goto out;
	f.feature_id = fid;
	error = sg_store_run_list(c->st, &f, trend_cb, &t, c->err);
	if (error < 0)
		goto out;
	error = 0;
	for (size_t i = t.ids.len; i-- > 0;) {
		if ((error = trend_point(&p, c, fid, t.ids.items[i],
			 t.statuses.items[i], t.started.items[i])) < 0) {
			json_decref(p);
			goto out;
		}
		json_array_append_new(runs, p);
	}
	*out = json_pack("{s:s,s:O,s:b}", "since", since, "runs", runs,
	    "truncated", t.more);
out:
	json_decref(runs);
	for (size_t i = 0; i < t.ids.len; i++) {
		free(t.ids.items[i]);
		free(t.statuses.items[i]);
		free(t.started.items[i]);
	}
	sg_vec_release(&t.ids);
	sg_vec_release(&t.statuses);
	sg_vec_release(&t.started);
	return error;
}

struct latest_state {
	char *fid;
	char *rid;
};

static int
latest_cb(const struct sg_run *run, void *payload)
{
	struct latest_state *l = payload;

	l->fid = sg_xstrdup(run->feature_id);
	l->rid = sg_xstrdup(run->run_id);
	return 1;
}

/*
 * The run the continuation continues: the manifest's continues.run_id
 * when the bundle has one, else approvals.json's approved_run_id.  Its
 * manifest must hash to the digest that was approved.
 */
static int
load_approved(struct ctx *c, const char *fid, json_t *approvals)
{
	json_t *cont = json_object_get(c->run->manifest, "continues");
	const char *rid = sget(cont, "run_id");
	const char *want = sget(cont, "manifest_sha256");
	const char *got;
	int error;

	if (!rid) {
		rid = sget(approvals, "approved_run_id");
		want = sget(approvals, "approved_manifest_sha256");
	}
	if (!rid)
		return 0;
	if ((error = bundle_load(&c->approved, c, fid, rid)) < 0)
		return error;
	got = sget(c->approved->msrc, "sha256");
	if (want && strcmp(want, got))
		return sg_error_set(c->err, SG_EVERIFY,
		    "%s/manifest.json: SHA-256 %s, but run %s was approved "
		    "with %s", c->approved->path, got, c->run->run_id, want);
	return 0;
}

/* The report of run, whose bundle c->run is loaded. */
static int
assemble(json_t **out, struct ctx *c, const struct sg_run *run)
{
	char now[SG_UTC_ISO_SIZE];
	json_t *doc = NULL, *metrics = json_array(), *docs = json_object();
	json_t *appr = NULL, *asrc = NULL, *bom = NULL, *bsrc = NULL;
	json_t *dep = NULL, *dsrc = NULL, *stages, *trends = NULL;
	json_int_t retries;
	int error;

	if ((error = read_file(c, c->run, "approvals.json", &appr, NULL,
		 &asrc)) < 0 ||
	    (error = load_approved(c, run->feature_id, appr)) < 0 ||
	    (error = gate_metrics(c, metrics, docs)) < 0 ||
	    (error = find_doc(c, "sbom.cyclonedx.json", &bom, &bsrc)) < 0 ||
	    (error = read_file(c, c->run, "deploy.json", &dep, NULL,
		 &dsrc)) < 0)
		goto out;
	if (c->approved)
		resource_metrics(metrics, c->approved, c->run);
	resource_metrics(metrics, c->run, NULL);
	stages = stages_json(c, metrics, &retries);
	metric(metrics, "retries", "0", sg_xasprintf("%" JSON_INTEGER_FORMAT,
	    retries), retries ? "warning" : "pass", c->run->cps_src);
	if ((error = trends_json(&trends, c, run->feature_id)) < 0) {
		json_decref(stages);
		goto out;
	}
	if (sg_utc_iso(now, sg_utc_report_now()) < 0)
		SG_BUG("clock out of range");
	doc = json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s?,s:s},s:s?,"
			"s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:O}",
	    "schema", SG_REPORT_SCHEMA, "feature_id", run->feature_id,
	    "run_id", run->run_id, "mode", run->mode, "timestamp", now,
	    "run", "status", run->status, "started_at", run->started_at,
	    "finished_at", run->finished_at, "bundle",
	    *c->run->href ? c->run->href : ".",
	    "project", sget(json_object_get(c->run->manifest, "project"),
		"name"),
	    "verdict", verdict_json(c, run, metrics, stages), "metrics",
	    json_incref(metrics), "stages", stages, "approvals",
	    approvals_json(c, appr, asrc), "sbom", sbom_json(bom, bsrc),
	    "environment", environment_json(c, dep, dsrc), "risks",
	    risks_json(c, docs, stages), "trends", trends, "evidence",
	    c->evidence);
	if (!doc)
		SG_BUG("json_pack failed");
	json_object_set_new(doc, "continues", c->approved ?
	    json_pack("{s:s,s:s,s:O}", "run_id", c->approved->run_id,
		"bundle", c->approved->href, "manifest_source",
		c->approved->msrc) : json_null());
	json_object_set_new(doc, "in_bundle", json_boolean(c->staged));
	*out = doc;
out:
	json_decref(metrics);
	json_decref(docs);
	json_decref(appr);
	json_decref(asrc);
	json_decref(bom);
	json_decref(bsrc);
	json_decref(dep);
	json_decref(dsrc);
	return error;
}

int
sg_report_build(json_t **out, struct sg_store *st,
    const struct sg_report_options *opts, struct sg_error *err)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct latest_state l = {NULL, NULL};
	struct ctx c;
	struct sg_run *run = NULL;
	int error;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.o = opts;
	c.err = err;
	c.evidence = json_array();
	if (!opts->run_id) {
		f.feature_id = opts->feature_id;
		f.limit = 1;
		if ((error = sg_store_run_list(st, &f, latest_cb, &l,
			 err)) < 0)
			goto out;
		if (!l.rid) {
			error = sg_error_set(err, SG_ENOTFOUND,
			    "no run to report: nothing has run yet");
			goto out;
		}
	}
	if ((error = sg_store_run_get(&run, st, l.fid ? l.fid :
		 opts->feature_id, l.rid ? l.rid : opts->run_id, err)) < 0 ||
	    (error = bundle_load(&c.run, &c, run->feature_id, run->run_id)) <
		0)
		goto out;
	error = assemble(out, &c, run);
out:
	json_decref(c.evidence);
	bundle_free(c.run);
	bundle_free(c.approved);
	sg_run_free(run);
	free(l.fid);
	free(l.rid);
	return error;
}

int
sg_report_build_staged(json_t **out, struct sg_store *st,
    const struct sg_report_options *opts, const char *bundle,
    const char *draft_manifest, struct sg_error *err)
{
	struct sg_run run;
	struct ctx c;
	json_t *r;
	int error;

	*out = NULL;
	if (opts->since)
		SG_BUG("sg_report_build_staged() with a trend");
	memset(&c, 0, sizeof(c));
	memset(&run, 0, sizeof(run));
	c.st = st;
	c.o = opts;
	c.err = err;
	c.staged = true;
	c.evidence = json_array();
	c.run = sg_xcalloc(1, sizeof(*c.run));
	c.run->path = sg_xstrdup(bundle);
	c.run->href = sg_xstrdup("");
	if (!(r = json_loads(draft_manifest, 0, NULL)) ||
	    !sget(r, "run_id"))
		SG_BUG("a draft manifest without its run");
	c.run->run_id = sg_xstrdup(sget(r, "run_id"));
	json_decref(r);
	if ((error = bundle_open(c.run, &c, draft_manifest, NULL)) < 0)
		goto out;
	r = json_object_get(c.run->manifest, "run");
	run.feature_id = sget(c.run->manifest, "feature_id");
	run.run_id = sget(c.run->manifest, "run_id");
	run.mode = sget(c.run->manifest, "mode");
	run.status = sget(r, "status");
	run.started_at = sget(r, "started");
	run.finished_at = NULL; /* at the seal, after this report */
	if (!run.feature_id || !run.run_id || !run.mode || !run.status ||
	    !run.started_at)
		SG_BUG("a draft manifest without its run");
	error = assemble(out, &c, &run);
out:
	json_decref(c.evidence);
	bundle_free(c.run);
	bundle_free(c.approved);
	return error;
}

int
sg_report_format_parse(enum sg_report_format *out, const char *s,
    struct sg_error *err)
{
	if (!strcmp(s, "json"))
		*out = SG_REPORT_JSON;
	else if (!strcmp(s, "md"))
		*out = SG_REPORT_MD;
	else if (!strcmp(s, "html"))
		*out = SG_REPORT_HTML;
	else
		return sg_error_set(err, SG_EINVAL,
		    "--format '%s': expected md, html or json", s);
	return 0;
}
