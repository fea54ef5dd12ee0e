/* SPDX-License-Identifier: MIT */
/*
 * html.c - GET /: the dashboard, one server-rendered HTML page.
 *
 * The newest runs first (50, or ?limit= up to 200), each with a one-line
 * summary (status, line coverage, tests, SAST, approvers), its stages
 * (status, attempts, duration), its gates and its evidence files (folded
 * away behind a <details>: digests are for auditors), rendered
 * from the same run detail as /api/v1/runs/<id> so that the page and the
 * API cannot disagree.  Inline CSS, no script, no external asset: the page
 * works offline and under a strict Content-Security-Policy (the front end
 * sends one).  Every value is HTML-escaped (& < > " '), since run data
 * comes from specs, file names and logs that anyone may have written.
 *
 * A continuation (deployed by `specgate resume`) wrote no gate documents:
 * its gates are those of the run it continues (approvals.json's
 * approved_run_id), shown as such, so a release reads as one.  An
 * unhealthy service says why (the health document's errors).
 */
#include "service/service_int.h"

#include <inttypes.h>

#include "specgate/sg.h"
#include "sys/fs.h"
#include "util/utctime.h"

#define RUNS_DEFAULT 50
#define RUNS_MAX 200

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin:0 0 .3em}"
    "h3{font-size:.95em;margin:.6em 0 .2em}"
    ".run{border:1px solid #ccc;border-radius:6px;padding:.8em;"
    "margin:0 0 1em}"
    "table{border-collapse:collapse;max-width:100%}td,th{padding:.15em .6em;"
    "text-align:left;border-bottom:1px solid #eee;vertical-align:top}"
    "td code{overflow-wrap:anywhere}"
    ".meta{color:#555}code{font-size:.9em}"
    ".st{padding:0 .4em;border-radius:3px;background:#ddd}"
    ".st-success,.st-healthy,.st-pass{background:#c8f0c8}"
    ".st-warning,.st-warn,.st-retry{background:#f8e8a8}"
    ".st-failure,.st-fail,.st-unhealthy,.st-cancelled{background:#f4c0c0}"
    ".st-missing{background:#f4c0c0;font-weight:bold}"
    ".st-skipped{background:#eee;color:#555}"
    ".summary{font-weight:600}summary{cursor:pointer}"
    /* A phone (390 px): nothing wider than the screen; file names and
     * digests (not words) wrap inside their cell. */
    "@media (max-width:40em){body{margin:.6em}.run{padding:.5em}"
    "td,th{padding:.15em .3em}table{font-size:.93em}"
    "td:last-child,.files td:first-child{overflow-wrap:anywhere}}";

/* A string member of o, or "-". */
static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

/* <span class="st st-STATUS">STATUS</span>; the class only for [a-z_]. */
static void
status_span(struct sg_buf *b, const char *status)
{
	bool plain = status[0] != '\0';

	for (const char *p = status; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			plain = false;
	sg_buf_puts(b, "<span class=\"st");
	if (plain)
		sg_buf_printf(b, " st-%s", status);
	sg_buf_puts(b, "\">");
	/* awaiting_approval reads "awaiting approval"; the class keeps it. */
	for (const char *p = status; *p; p++) {
		if (*p == '_') {
			sg_buf_putc(b, ' ');
		} else {
			char one[2] = {*p, '\0'};

			sg_buf_xml_escape(b, one, SG_XML_APOS);
		}
	}
	sg_buf_puts(b, "</span>");
}

static void
render_stages(struct sg_buf *b, const json_t *stages)
{
	size_t i;
	json_t *s;

	sg_buf_puts(b, "<h3>Stages</h3><table class=\"stages\"><tr><th>stage"
		       "</th><th>status</th><th>attempts</th><th>duration</th>"
		       "<th>output</th></tr>\n");
	json_array_foreach(stages, i, s) {
		sg_buf_puts(b, "<tr><td>");
		sg_buf_xml_escape(b, str(s, "stage"), SG_XML_APOS);
		sg_buf_puts(b, "</td><td>");
		status_span(b, str(s, "status"));
		sg_buf_printf(b, "</td><td>%" JSON_INTEGER_FORMAT
				 "</td><td>%" JSON_INTEGER_FORMAT " s</td><td>",
		    json_integer_value(json_object_get(s, "attempts")),
		    json_integer_value(json_object_get(s, "duration_seconds")));
		sg_buf_xml_escape(b, str(s, "output"), SG_XML_APOS);
		sg_buf_puts(b, "</td></tr>\n");
	}
	sg_buf_puts(b, "</table>\n");
}

static void
render_gates(struct sg_buf *b, const json_t *gates, bool approved)
{
	size_t i;
	json_t *g;

	sg_buf_puts(b, approved ? "<h3>Gates (of the approved run)</h3>" :
				  "<h3>Gates</h3>");
	sg_buf_puts(b, "<ul class=\"gates\">\n");
	json_array_foreach(gates, i, g) {
		sg_buf_puts(b, "<li>");
		sg_buf_xml_escape(b, str(g, "gate"), SG_XML_APOS);
		sg_buf_puts(b, ": ");
		status_span(b, str(g, "result"));
		if (json_object_get(g, "errors"))
			sg_buf_printf(b,
			    " (%" JSON_INTEGER_FORMAT " errors, "
			    "%" JSON_INTEGER_FORMAT " warnings)",
			    json_integer_value(json_object_get(g, "errors")),
			    json_integer_value(json_object_get(g, "warnings")));
		sg_buf_puts(b, "</li>\n");
	}
	sg_buf_puts(b, "</ul>\n");
}

static void
render_files(struct sg_buf *b, const json_t *files)
{
	size_t i;
	json_t *f;

	sg_buf_puts(b, "<h3>Evidence</h3>");
	if (!json_array_size(files)) {
		sg_buf_puts(b, "<p class=\"meta\">no bundle manifest</p>\n");
		return;
	}
	sg_buf_printf(b, "<details><summary>%zu files with their size and "
			 "SHA-256</summary>\n", json_array_size(files));
	sg_buf_puts(b, "<table class=\"files\"><tr><th>file</th><th>bytes"
		       "</th><th>SHA-256</th></tr>\n");
	json_array_foreach(files, i, f) {
		sg_buf_puts(b, "<tr><td>");
		sg_buf_xml_escape(b, str(f, "path"), SG_XML_APOS);
		sg_buf_printf(b, "</td><td>%" JSON_INTEGER_FORMAT
				 "</td><td><code>",
		    json_integer_value(json_object_get(f, "size")));
		sg_buf_xml_escape(b, str(f, "sha256"), SG_XML_APOS);
		sg_buf_puts(b, "</code></td></tr>\n");
	}
	sg_buf_puts(b, "</table></details>\n");
}

/* A JSON object from the bundle file bundle/name (under root), or NULL. */
static json_t *
bundle_doc(const struct sg_service *svc, const char *bundle, const char *name)
{
	struct sg_buf buf;
	json_t *doc = NULL;
	char *path;

	if (!bundle)
		return NULL;
	sg_buf_init(&buf, 16u << 20);
	path = bundle[0] == '/' ? sg_xasprintf("%s/%s", bundle, name) :
	    sg_xasprintf("%s/%s/%s", svc->root, bundle, name);
	if (sg_fs_read_file(&buf, path, 16u << 20, NULL) == 0)
		doc = json_loadb(buf.ptr, buf.len, 0, NULL);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	free(path);
	sg_buf_release(&buf);
	return doc;
}

static const json_t *
find_gate(const json_t *gates, const char *name)
{
	size_t i;
	json_t *g;

	json_array_foreach(gates, i, g)
		if (!strcmp(str(g, "gate"), name))
			return g;
	return NULL;
}

/*
 * The one-line summary: status, the figures of the gates, the approvers
 * (key id and comment) of a continuation.  *gates_out gets the gates to
 * show: the run's, or for a continuation those of the approved run (a
 * new reference, or NULL for the run's own).
 */
static void
render_summary(struct sg_buf *b, struct sg_service *svc, const json_t *d,
    json_t **gates_out)
{
	const json_t *run = json_object_get(d, "run");
	const json_t *gates = json_object_get(d, "gates");
	json_t *appr = bundle_doc(svc, json_string_value(json_object_get(run,
	    "bundle")), "approvals.json");
	const char *arid = json_string_value(json_object_get(appr,
	    "approved_run_id"));
	const json_t *g, *v;
	size_t i;
	json_t *a;

	*gates_out = NULL;
	if (arid) {
		enum sg_bundle_where where;
		char *path = NULL;

		if (sg_evidence_locate(&path, &where, &svc->eo,
			str(run, "feature_id"), arid, NULL, NULL) == 0 && path)
			gates = *gates_out = sg_service__gates_json(path);
		free(path);
	}
	sg_buf_puts(b, "<p class=\"summary\">");
	status_span(b, str(run, "status"));
	g = find_gate(gates, "coverage");
	v = json_object_get(g, "line_percent");
	if (json_is_number(v))
		sg_buf_printf(b, " &middot; coverage %.1f %%",
		    json_number_value(v));
	else
		sg_buf_puts(b, " &middot; coverage not measured");
	g = find_gate(gates, "tests");
	v = json_object_get(g, "tests");
	if (json_is_object(v))
		sg_buf_printf(b, " &middot; tests %" JSON_INTEGER_FORMAT
				 " of %" JSON_INTEGER_FORMAT " passed",
		    json_integer_value(json_object_get(v, "passed")),
		    json_integer_value(json_object_get(v, "total")));
	else
		sg_buf_puts(b, " &middot; no test results");
	g = find_gate(gates, "sast");
	v = json_object_get(g, "at_or_above_fail_on");
	if (json_is_integer(v))
		sg_buf_printf(b, " &middot; SAST %" JSON_INTEGER_FORMAT
				 " at or above the threshold",
		    json_integer_value(v));
	else
		sg_buf_puts(b, " &middot; SAST not analysed");
	if (arid) {
		sg_buf_puts(b, " &middot; deploys approved run ");
		sg_buf_xml_escape(b, arid, SG_XML_APOS);
	}
	json_array_foreach(json_object_get(appr, "approvals"), i, a) {
		const char *text = json_string_value(json_object_get(a,
		    "document"));
		json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
		const char *kid = str(a, "keyid");

		sg_buf_puts(b, i ? ", " : " &middot; approved by ");
		sg_buf_puts(b, "<code>");
		sg_buf_put(b, kid, strnlen(kid, 16));
		sg_buf_puts(b, "</code>");
		if (json_string_value(json_object_get(doc, "comment")) &&
		    *str(doc, "comment")) {
			sg_buf_puts(b, " (&ldquo;");
			sg_buf_xml_escape(b, str(doc, "comment"), SG_XML_APOS);
			sg_buf_puts(b, "&rdquo;)");
		}
		json_decref(doc);
	}
	sg_buf_puts(b, "</p>\n");
	json_decref(appr);
}

static void
render_run(struct sg_buf *b, struct sg_service *svc, const json_t *d)
{
	json_t *approved_gates;
	const json_t *run = json_object_get(d, "run");

	sg_buf_puts(b, "<section class=\"run\"><h2>Run ");
	sg_buf_xml_escape(b, str(run, "run_id"), SG_XML_APOS);
	sg_buf_puts(b, " ");
	status_span(b, str(run, "status"));
	sg_buf_puts(b, "</h2>\n<p class=\"meta\">feature ");
	sg_buf_xml_escape(b, str(run, "feature_id"), SG_XML_APOS);
	sg_buf_puts(b, " &middot; mode ");
	sg_buf_xml_escape(b, str(run, "mode"), SG_XML_APOS);
	sg_buf_puts(b, " &middot; started ");
	sg_buf_xml_escape(b, str(run, "started_at"), SG_XML_APOS);
	sg_buf_puts(b, " &middot; finished ");
	sg_buf_xml_escape(b, str(run, "finished_at"), SG_XML_APOS);
	sg_buf_puts(b, " &middot; bundle ");
	sg_buf_xml_escape(b, str(run, "bundle"), SG_XML_APOS);
	if (json_string_value(json_object_get(run, "continues"))) {
		sg_buf_puts(b, " &middot; continues ");
		sg_buf_xml_escape(b, str(run, "continues"), SG_XML_APOS);
	}
	if (json_string_value(json_object_get(run, "continued_by"))) {
		sg_buf_puts(b, " &middot; continued by ");
		sg_buf_xml_escape(b, str(run, "continued_by"), SG_XML_APOS);
	}
	sg_buf_puts(b, "</p>\n");
	render_summary(b, svc, d, &approved_gates);
	render_stages(b, json_object_get(d, "stages"));
	render_gates(b, approved_gates ? approved_gates :
	    json_object_get(d, "gates"), approved_gates != NULL);
	json_decref(approved_gates);
	render_files(b, json_object_get(d, "artifacts"));
	sg_buf_puts(b, "</section>\n");
}

struct page_state {
	struct sg_vec runs; /* struct sg_run copies (owned strings) */
};

static int
collect_cb(const struct sg_run *run, void *payload)
{
	struct page_state *p = payload;
	struct sg_run *c = sg_xcalloc(1, sizeof(*c));

	c->feature_id = sg_xstrdup(run->feature_id);
	c->run_id = sg_xstrdup(run->run_id);
	c->mode = sg_xstrdup(run->mode);
	c->status = sg_xstrdup(run->status);
	c->started_at = sg_xstrdup(run->started_at);
	c->finished_at = run->finished_at ? sg_xstrdup(run->finished_at) : NULL;
	c->bundle = run->bundle ? sg_xstrdup(run->bundle) : NULL;
	c->continues = run->continues ? sg_xstrdup(run->continues) : NULL;
	c->continued_by = run->continued_by ? sg_xstrdup(run->continued_by) :
	    NULL;
	sg_vec_push(&p->runs, c);
	return 0;
}

static void
free_run_copy(struct sg_run *c)
{
	free((char *)c->feature_id);
	free((char *)c->run_id);
	free((char *)c->mode);
	free((char *)c->status);
	free((char *)c->started_at);
	free((char *)c->finished_at);
	free((char *)c->bundle);
	free((char *)c->continues);
	free((char *)c->continued_by);
	free(c);
}

static void
header(struct sg_buf *b, struct sg_service *svc, bool healthy,
    const json_t *health)
{
	size_t i;
	json_t *e;

	char now[SG_UTC_ISO_SIZE];

	if (sg_utc_iso(now, sg_utc_now()) < 0)
		now[0] = '\0';
	sg_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
			 "<meta charset=\"utf-8\"><meta name=\"viewport\" "
			 "content=\"width=device-width, initial-scale=1\">"
			 "<title>specgate: ");
	sg_buf_xml_escape(b, svc->project, SG_XML_APOS);
	sg_buf_printf(b, "</title><style>%s</style></head><body><main>\n"
			 "<h1>specgate: ", style);
	sg_buf_xml_escape(b, svc->project, SG_XML_APOS);
	sg_buf_puts(b, "</h1>\n<p class=\"meta\">health ");
	status_span(b, healthy ? "healthy" : "unhealthy");
	/* Why, from the health document: "store: ...", "reports: ...". */
	json_array_foreach(json_object_get(health, "errors"), i, e) {
		sg_buf_puts(b, i ? "; " : " (");
		sg_buf_xml_escape(b, json_string_value(e), SG_XML_APOS);
	}
	if (json_array_size(json_object_get(health, "errors")))
		sg_buf_puts(b, ")");
	sg_buf_puts(b, " &middot; mode ");
	sg_buf_xml_escape(b, svc->mode, SG_XML_APOS);
	sg_buf_puts(b, " &middot; specgate ");
	sg_buf_xml_escape(b, sg_version(), SG_XML_APOS);
	sg_buf_puts(b, " (");
	sg_buf_xml_escape(b, sg_commit(), SG_XML_APOS);
	sg_buf_printf(b, ") &middot; page made %s &middot; runs newest first"
			 "</p>\n", now);
}

void
sg_service__dashboard(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req)
{
	struct sg_run_filter f = SG_RUN_FILTER_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct page_state p = {SG_VEC_INIT};
	struct sg_store *st = NULL;
	const char *v = req->arg ? req->arg("limit", req->arg_payload) : NULL;
	struct sg_buf b;
	json_t *health, *d;
	bool healthy = sg_service__health(&health, svc);
	long limit = RUNS_DEFAULT;

	if (v && *v) {
		char *end;

		limit = strtol(v, &end, 10);
		if (*end || limit < 1 || limit > RUNS_MAX)
			limit = RUNS_DEFAULT;
	}
	sg_buf_init(&b, 0);
	header(&b, svc, healthy, health);
	json_decref(health);
	f.limit = (uint64_t)limit;
	if (sg_service__store_get(&st, svc, &err) < 0 ||
	    sg_store_run_list(st, &f, collect_cb, &p, &err) < 0) {
		sg_buf_puts(&b, "<p class=\"error\">cannot read the store: ");
		sg_buf_xml_escape(&b, err.message, SG_XML_APOS);
		sg_buf_puts(&b, "</p>\n");
		sg_store_close(st);
		st = NULL;
	} else if (!p.runs.len) {
		sg_buf_puts(&b, "<p>No runs yet.</p>\n");
	}
	for (size_t i = 0; st && i < p.runs.len; i++) {
		if (sg_service__run_detail(&d, svc, st, p.runs.items[i],
			&err) < 0) {
			sg_buf_puts(&b, "<p class=\"error\">");
			sg_buf_xml_escape(&b, err.message, SG_XML_APOS);
			sg_buf_puts(&b, "</p>\n");
			sg_error_release(&err);
			continue;
		}
		render_run(&b, svc, d);
		json_decref(d);
	}
	sg_buf_puts(&b, "</main></body></html>\n");
	for (size_t i = 0; i < p.runs.len; i++)
		free_run_copy(p.runs.items[i]);
	sg_vec_release(&p.runs);
	sg_service__store_put(svc, st);
	sg_error_release(&err);
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	r->body = sg_buf_detach(&b, &r->len);
}
