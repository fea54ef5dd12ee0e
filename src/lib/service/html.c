/* SPDX-License-Identifier: MIT */
/*
 * html.c - GET /: the dashboard, one server-rendered HTML page.
 *
 * The newest runs first (50, or ?limit= up to 200), each with its stages
 * (status, attempts, duration), its gates and its evidence files, rendered
 * from the same run detail as /api/v1/runs/<id> so that the page and the
 * API cannot disagree.  Inline CSS, no script, no external asset: the page
 * works offline and under a strict Content-Security-Policy (the front end
 * sends one).  Every value is HTML-escaped (& < > " '), since run data
 * comes from specs, file names and logs that anyone may have written.
 */
#include "service/service_int.h"

#include <inttypes.h>

#include "specgate/sg.h"
#include "util/utctime.h"

#define RUNS_DEFAULT 50
#define RUNS_MAX 200

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin:0 0 .3em}"
    "h3{font-size:.95em;margin:.6em 0 .2em}"
    ".run{border:1px solid #ccc;border-radius:6px;padding:.8em;"
    "margin:0 0 1em}"
    "table{border-collapse:collapse}td,th{padding:.15em .6em;"
    "text-align:left;border-bottom:1px solid #eee}"
    ".meta{color:#555}code{font-size:.9em}"
    ".st{padding:0 .4em;border-radius:3px;background:#ddd}"
    ".st-success,.st-healthy,.st-pass{background:#c8f0c8}"
    ".st-warning,.st-warn,.st-retry{background:#f8e8a8}"
    ".st-failure,.st-fail,.st-unhealthy,.st-cancelled{background:#f4c0c0}"
    ".st-missing{background:#f4c0c0;font-weight:bold}"
    ".st-skipped{background:#eee;color:#666}";

static void
esc(struct sg_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			sg_buf_puts(b, "&amp;");
			break;
		case '<':
			sg_buf_puts(b, "&lt;");
			break;
		case '>':
			sg_buf_puts(b, "&gt;");
			break;
		case '"':
			sg_buf_puts(b, "&quot;");
			break;
		case '\'':
			sg_buf_puts(b, "&#39;");
			break;
		default:
			sg_buf_putc(b, *s);
		}
	}
}

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

			esc(b, one);
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
		esc(b, str(s, "stage"));
		sg_buf_puts(b, "</td><td>");
		status_span(b, str(s, "status"));
		sg_buf_printf(b, "</td><td>%" JSON_INTEGER_FORMAT
				 "</td><td>%" JSON_INTEGER_FORMAT " s</td><td>",
		    json_integer_value(json_object_get(s, "attempts")),
		    json_integer_value(json_object_get(s, "duration_seconds")));
		esc(b, str(s, "output"));
		sg_buf_puts(b, "</td></tr>\n");
	}
	sg_buf_puts(b, "</table>\n");
}

static void
render_gates(struct sg_buf *b, const json_t *gates)
{
	size_t i;
	json_t *g;

	sg_buf_puts(b, "<h3>Gates</h3><ul class=\"gates\">\n");
	json_array_foreach(gates, i, g) {
		sg_buf_puts(b, "<li>");
		esc(b, str(g, "gate"));
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
	sg_buf_puts(b, "<table class=\"files\"><tr><th>file</th><th>bytes"
		       "</th><th>SHA-256</th></tr>\n");
	json_array_foreach(files, i, f) {
		sg_buf_puts(b, "<tr><td>");
		esc(b, str(f, "path"));
		sg_buf_printf(b, "</td><td>%" JSON_INTEGER_FORMAT
				 "</td><td><code>",
		    json_integer_value(json_object_get(f, "size")));
		esc(b, str(f, "sha256"));
		sg_buf_puts(b, "</code></td></tr>\n");
	}
	sg_buf_puts(b, "</table>\n");
}

static void
render_run(struct sg_buf *b, const json_t *d)
{
	const json_t *run = json_object_get(d, "run");

	sg_buf_puts(b, "<section class=\"run\"><h2>Run ");
	esc(b, str(run, "run_id"));
	sg_buf_puts(b, " ");
	status_span(b, str(run, "status"));
	sg_buf_puts(b, "</h2>\n<p class=\"meta\">feature ");
	esc(b, str(run, "feature_id"));
	sg_buf_puts(b, " &middot; mode ");
	esc(b, str(run, "mode"));
	sg_buf_puts(b, " &middot; started ");
	esc(b, str(run, "started_at"));
	sg_buf_puts(b, " &middot; finished ");
	esc(b, str(run, "finished_at"));
	sg_buf_puts(b, " &middot; bundle ");
	esc(b, str(run, "bundle"));
	if (json_string_value(json_object_get(run, "continues"))) {
		sg_buf_puts(b, " &middot; continues ");
		esc(b, str(run, "continues"));
	}
	if (json_string_value(json_object_get(run, "continued_by"))) {
		sg_buf_puts(b, " &middot; continued by ");
		esc(b, str(run, "continued_by"));
	}
	sg_buf_puts(b, "</p>\n");
	render_stages(b, json_object_get(d, "stages"));
	render_gates(b, json_object_get(d, "gates"));
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
header(struct sg_buf *b, struct sg_service *svc, bool healthy)
{
	char now[SG_UTC_ISO_SIZE];

	if (sg_utc_iso(now, sg_utc_now()) < 0)
		now[0] = '\0';
	sg_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
			 "<meta charset=\"utf-8\"><title>specgate: ");
	esc(b, svc->project);
	sg_buf_printf(b, "</title><style>%s</style></head><body>\n"
			 "<h1>specgate: ", style);
	esc(b, svc->project);
	sg_buf_puts(b, "</h1>\n<p class=\"meta\">health ");
	status_span(b, healthy ? "healthy" : "unhealthy");
	sg_buf_puts(b, " &middot; mode ");
	esc(b, svc->mode);
	sg_buf_puts(b, " &middot; specgate ");
	esc(b, sg_version());
	sg_buf_puts(b, " (");
	esc(b, sg_commit());
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

	json_decref(health);
	if (v && *v) {
		char *end;

		limit = strtol(v, &end, 10);
		if (*end || limit < 1 || limit > RUNS_MAX)
			limit = RUNS_DEFAULT;
	}
	sg_buf_init(&b, 0);
	header(&b, svc, healthy);
	f.limit = (uint64_t)limit;
	if (sg_service__store_get(&st, svc, &err) < 0 ||
	    sg_store_run_list(st, &f, collect_cb, &p, &err) < 0) {
		sg_buf_puts(&b, "<p class=\"error\">cannot read the store: ");
		esc(&b, err.message);
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
			esc(&b, err.message);
			sg_buf_puts(&b, "</p>\n");
			sg_error_release(&err);
			continue;
		}
		render_run(&b, d);
		json_decref(d);
	}
	sg_buf_puts(&b, "</body></html>\n");
	for (size_t i = 0; i < p.runs.len; i++)
		free_run_copy(p.runs.items[i]);
	sg_vec_release(&p.runs);
	sg_service__store_put(svc, st);
	sg_error_release(&err);
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	r->body = sg_buf_detach(&b, &r->len);
}
