/* SPDX-License-Identifier: MIT */
/*
 * render.c - the report in Markdown or HTML, through the Mustache engine
 * (specgate/template.h) and two built-in templates.
 *
 * The templates render a *view*: a copy of the report with what a
 * template cannot compute added (short digests, whether a status is a
 * pass, numbers written for people, the charts).  Mustache's {{ }} escapes
 * & < > " ' for HTML; for Markdown every string of the view is first
 * given a backslash before the characters GitHub-flavoured Markdown would
 * read as markup (\ ` * _ [ ] | ~) and its line breaks made spaces, so a
 * file name or a finding's message stays text inside a table cell, and
 * the character references that {{ }} then writes are what CommonMark
 * turns back into the characters.  No raw HTML goes into the Markdown:
 * GitHub strips it from job summaries and comments.
 *
 * Rejected: printf-built pages (as the dashboard is): the templates show
 * the whole page in one place, and the engine is already there and fuzzed.
 */
#include "report/report_int.h"

#include <math.h>

#include "specgate/template.h"

static const char md_template[] =
    "## Release report: {{project}}, run {{run_id}}\n"
    "\n"
    "**{{verdict.status}}**: {{verdict.headline}}\n"
    "\n"
    "{{#has_reasons}}\n"
    "Why it is not a plain pass:\n"
    "\n"
    "{{#verdict.reasons}}\n"
    "- {{.}}\n"
    "{{/verdict.reasons}}\n"
    "\n"
    "{{/has_reasons}}\n"
    "| Run | |\n"
    "|---|---|\n"
    "| feature | `{{feature_id}}` |\n"
    "| mode | {{mode}} |\n"
    "| started | {{run.started_at}} |\n"
    "| finished | {{#run.finished_at}}{{run.finished_at}}"
    "{{/run.finished_at}}{{^run.finished_at}}{{#in_bundle}}at the seal "
    "of this bundle{{/in_bundle}}{{/run.finished_at}} |\n"
    "| bundle | [{{run.bundle}}]({{run.href}}) |\n"
    "{{#continues}}\n"
    "| continues | approved run {{run_id}}, "
    "[manifest.json]({{manifest_source.href}}) "
    "`{{manifest_source.sha12}}` |\n"
    "{{/continues}}\n"
    "\n"
    "### Metrics\n"
    "\n"
    "| Metric | Target | Actual | Status | Evidence |\n"
    "|---|---|---|---|---|\n"
    "{{#metrics}}\n"
    "| {{metric}} | {{target}} | {{actual}} | "
    "{{#ok}}{{status}}{{/ok}}{{^ok}}**{{status}}**{{/ok}} | "
    "{{>source}} |\n"
    "{{/metrics}}\n"
    "\n"
    "### Stages\n"
    "\n"
    "| Stage | Status | Run | Retries | Wall time | Peak RSS | Detail |\n"
    "|---|---|---|---|---|---|---|\n"
    "{{#stages}}\n"
    "| {{stage}} | {{status}} | {{run_id}} | {{retries}} | {{wall_s}} | {{rss_s}} | {{detail}} |\n"
    "{{/stages}}\n"
    "\n"
    "### Approvals\n"
    "\n"
    "{{#has_approvals}}\n"
    "| Approver key | Comment | When | Evidence |\n"
    "|---|---|---|---|\n"
    "{{#approvals}}\n"
    "| `{{keyid16}}` | {{comment}} | {{timestamp}} | {{>source}} |\n"
    "{{/approvals}}\n"
    "{{/has_approvals}}\n"
    "{{^has_approvals}}\n"
    "No approval recorded in the bundle.\n"
    "{{/has_approvals}}\n"
    "\n"
    "### SBOM\n"
    "\n"
    "{{#sbom}}\n"
    "{{components}} components ({{types_s}}), {{services}} services"
    "{{#has_endpoints}}, endpoints {{endpoints_s}}{{/has_endpoints}}; "
    "CycloneDX {{spec_version}}, {{>source}}\n"
    "{{/sbom}}\n"
    "{{^sbom}}\n"
    "No SBOM in the bundle (the build stage did not run).\n"
    "{{/sbom}}\n"
    "\n"
    "### Environment\n"
    "\n"
    "{{#environment}}\n"
    "| Environment | |\n"
    "|---|---|\n"
    "| project | {{project}} {{project_version}} |\n"
    "| mode | {{mode}} |\n"
    "| deploy | {{deploy_status}}{{#deploy_attempts}}, "
    "{{deploy_attempts}} attempt(s), {{deploy_commands}} command(s)"
    "{{/deploy_attempts}} |\n"
    "| health URL | {{health_url}} |\n"
    "| last health probe | {{last_probe}} |\n"
    "| specgate | {{tool_version}} ({{tool_commit}}) |\n"
    "| evidence | {{#source}}{{>file}}{{/source}}"
    "{{^source}}{{#manifest_source}}{{>file}}{{/manifest_source}}"
    "{{/source}} |\n"
    "{{/environment}}\n"
    "\n"
    "### Risks\n"
    "\n"
    "{{#has_risks}}\n"
    "| Rank | Severity | Code | Finding | Where | Evidence |\n"
    "|---|---|---|---|---|---|\n"
    "{{#risks}}\n"
    "| {{rank}} | {{severity}} | {{code}} | {{what}} | {{where}} | "
    "{{>source}} |\n"
    "{{/risks}}\n"
    "{{/has_risks}}\n"
    "{{^has_risks}}\n"
    "No open finding.\n"
    "{{/has_risks}}\n"
    "{{#trends}}\n"
    "\n"
    "### Trend since {{since}}\n"
    "\n"
    "| Run | Status | Line coverage | Tests passed | Retries | Failures "
    "| Wall time | Evidence |\n"
    "|---|---|---|---|---|---|---|---|\n"
    "{{#runs}}\n"
    "| {{run_id}} | {{status}} | {{line_percent_s}} | {{pass_s}} | "
    "{{retries}} | {{failures}} | {{wall_s}} | {{>source}} |\n"
    "{{/runs}}\n"
    "{{/trends}}\n"
    "\n"
    "### Evidence\n"
    "\n"
    "| Run | File | SHA-256 |\n"
    "|---|---|---|\n"
    "{{#evidence}}\n"
    "| {{run_id}} | [{{file}}]({{href}}) | {{#sha256}}`{{sha256}}`"
    "{{/sha256}}{{^sha256}}{{>sealed}}{{/sha256}} |\n"
    "{{/evidence}}\n"
    "\n"
    "Made by specgate from the bundle and the store only; every figure "
    "names the file it was read from and that file's SHA-256 "
    "(`sha256sum` checks it).{{#in_bundle}} {{>in_bundle}}{{/in_bundle}}"
    "\n";

/* The evidence of a figure: the file, linked, and its digest. */
static const char md_file[] = "[{{file}}]({{href}}) "
    "{{#sha12}}`{{sha12}}`{{/sha12}}{{^sha12}}{{>sealed}}{{/sha12}}";
static const char md_source[] =
    "{{#source}}{{>file}}{{/source}}{{^source}}none{{/source}}";

static const char html_template[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<title>Release report: {{project}}, run {{run_id}}</title>\n"
    "<style>{{{css}}}</style></head>\n<body><main>\n"
    "<h1>Release report: {{project}}, run {{run_id}}</h1>\n"
    "<p class=\"verdict\"><span class=\"st st-{{verdict.status}}\">"
    "{{verdict.status}}</span> {{verdict.headline}}</p>\n"
    "{{#has_reasons}}<p>Why it is not a plain pass:</p>\n<ul>\n"
    "{{#verdict.reasons}}<li>{{.}}</li>\n{{/verdict.reasons}}</ul>\n"
    "{{/has_reasons}}"
    "<table><caption>Run</caption>\n"
    "<tr><th scope=\"row\">feature</th><td><code>{{feature_id}}</code>"
    "</td></tr>\n"
    "<tr><th scope=\"row\">mode</th><td>{{mode}}</td></tr>\n"
    "<tr><th scope=\"row\">started</th><td>{{run.started_at}}</td></tr>\n"
    "<tr><th scope=\"row\">finished</th><td>{{#run.finished_at}}"
    "{{run.finished_at}}{{/run.finished_at}}{{^run.finished_at}}"
    "{{#in_bundle}}at the seal of this bundle{{/in_bundle}}"
    "{{/run.finished_at}}</td></tr>\n"
    "<tr><th scope=\"row\">bundle</th><td><a href=\"{{run.href}}\">"
    "{{run.bundle}}</a></td></tr>\n"
    "{{#continues}}<tr><th scope=\"row\">continues</th><td>approved run "
    "{{run_id}}, {{#manifest_source}}{{>file}}{{/manifest_source}}</td>"
    "</tr>\n{{/continues}}"
    "</table>\n"
    "<h2>Metrics</h2>\n<table class=\"metrics\"><caption>Every gate: "
    "target, actual, status and the evidence file</caption>\n"
    "<tr><th scope=\"col\">Metric</th><th scope=\"col\">Target</th>"
    "<th scope=\"col\">Actual</th><th scope=\"col\">Status</th>"
    "<th scope=\"col\">Evidence</th></tr>\n"
    "{{#metrics}}<tr><td>{{metric}}</td><td>{{target}}</td>"
    "<td>{{actual}}</td><td><span class=\"st st-{{status}}\">{{status}}"
    "</span></td><td>{{>source}}</td></tr>\n{{/metrics}}"
    "</table>\n"
    "<h2>Stages</h2>\n{{{charts.duration}}}\n"
    "<table><caption>Stages of the release</caption>\n"
    "<tr><th scope=\"col\">Stage</th><th scope=\"col\">Status</th>"
    "<th scope=\"col\">Run</th><th scope=\"col\">Retries</th>"
    "<th scope=\"col\">Wall time</th><th scope=\"col\">Peak RSS</th>"
    "<th scope=\"col\">Detail</th></tr>\n"
    "{{#stages}}<tr><td>{{stage}}</td><td><span class=\"st st-{{status}}\">"
    "{{status}}</span></td><td>{{run_id}}</td><td>{{retries}}</td>"
    "<td>{{wall_s}}</td><td>{{rss_s}}</td><td>{{detail}}</td></tr>\n"
    "{{/stages}}</table>\n"
    "<h2>Approvals</h2>\n"
    "{{#has_approvals}}<table><caption>Signed approvals</caption>\n"
    "<tr><th scope=\"col\">Approver key</th><th scope=\"col\">Comment</th>"
    "<th scope=\"col\">When</th><th scope=\"col\">Evidence</th></tr>\n"
    "{{#approvals}}<tr><td><code title=\"{{keyid}}\">{{keyid16}}</code>"
    "</td><td>{{comment}}</td><td>{{timestamp}}</td><td>{{>source}}</td>"
    "</tr>\n{{/approvals}}</table>\n{{/has_approvals}}"
    "{{^has_approvals}}<p>No approval recorded in the bundle.</p>\n"
    "{{/has_approvals}}"
    "<h2>SBOM</h2>\n"
    "{{#sbom}}<p>{{components}} components ({{types_s}}), {{services}} "
    "services{{#has_endpoints}}, endpoints {{endpoints_s}}"
    "{{/has_endpoints}}; CycloneDX {{spec_version}}, {{>source}}</p>\n"
    "{{/sbom}}"
    "{{^sbom}}<p>No SBOM in the bundle (the build stage did not run).</p>\n"
    "{{/sbom}}"
    "<h2>Environment</h2>\n"
    "{{#environment}}<table><caption>Where it went</caption>\n"
    "<tr><th scope=\"row\">project</th><td>{{project}} {{project_version}}"
    "</td></tr>\n"
    "<tr><th scope=\"row\">mode</th><td>{{mode}}</td></tr>\n"
    "<tr><th scope=\"row\">deploy</th><td>{{deploy_status}}"
    "{{#deploy_attempts}}, {{deploy_attempts}} attempt(s), "
    "{{deploy_commands}} command(s){{/deploy_attempts}}</td></tr>\n"
    "<tr><th scope=\"row\">health URL</th><td>{{health_url}}</td></tr>\n"
    "<tr><th scope=\"row\">last health probe</th><td>{{last_probe}}</td>"
    "</tr>\n"
    "<tr><th scope=\"row\">specgate</th><td>{{tool_version}} "
    "({{tool_commit}})</td></tr>\n"
    "<tr><th scope=\"row\">evidence</th><td>{{#source}}{{>file}}"
    "{{/source}}{{^source}}{{#manifest_source}}{{>file}}"
    "{{/manifest_source}}{{/source}}</td></tr>\n"
    "</table>\n{{/environment}}"
    "<h2>Risks</h2>\n"
    "{{#has_risks}}<table><caption>Open findings, ranked</caption>\n"
    "<tr><th scope=\"col\">Rank</th><th scope=\"col\">Severity</th>"
    "<th scope=\"col\">Code</th><th scope=\"col\">Finding</th>"
    "<th scope=\"col\">Where</th><th scope=\"col\">Evidence</th></tr>\n"
    "{{#risks}}<tr><td>{{rank}}</td><td><span class=\"st st-{{severity}}\">"
    "{{severity}}</span></td><td>{{code}}</td><td>{{what}}</td>"
    "<td>{{where}}</td><td>{{>source}}</td></tr>\n{{/risks}}</table>\n"
    "{{/has_risks}}"
    "{{^has_risks}}<p>No open finding.</p>\n{{/has_risks}}"
    "{{#trends}}<h2>Trend since {{since}}</h2>\n"
    "{{{charts.quality}}}\n{{{charts.retries}}}\n"
    "<table><caption>Runs since {{since}}</caption>\n"
    "<tr><th scope=\"col\">Run</th><th scope=\"col\">Status</th>"
    "<th scope=\"col\">Line coverage</th><th scope=\"col\">Tests passed"
    "</th><th scope=\"col\">Retries</th><th scope=\"col\">Failures</th>"
    "<th scope=\"col\">Wall time</th><th scope=\"col\">Evidence</th></tr>\n"
    "{{#runs}}<tr><td>{{run_id}}</td><td>{{status}}</td>"
    "<td>{{line_percent_s}}</td><td>{{pass_s}}</td><td>{{retries}}</td>"
    "<td>{{failures}}</td><td>{{wall_s}}</td><td>{{>source}}</td></tr>\n"
    "{{/runs}}</table>\n{{/trends}}"
    "<h2>Evidence</h2>\n"
    "<details><summary>{{evidence_count}} files and their SHA-256"
    "</summary>\n<table><caption>Every file a figure was read from"
    "</caption>\n<tr><th scope=\"col\">Run</th><th scope=\"col\">File</th>"
    "<th scope=\"col\">SHA-256</th></tr>\n"
    "{{#evidence}}<tr><td>{{run_id}}</td><td><a href=\"{{href}}\">"
    "{{file}}</a></td><td>{{#sha256}}<code>{{sha256}}</code>{{/sha256}}"
    "{{^sha256}}{{>sealed}}{{/sha256}}</td></tr>\n"
    "{{/evidence}}</table></details>\n"
    "<p class=\"meta\">Made by specgate from the bundle and the store "
    "only; every figure names the file it was read from and that file's "
    "SHA-256. Made at {{timestamp}}.{{#in_bundle}} {{>in_bundle}}"
    "{{/in_bundle}}</p>\n"
    "</main></body></html>\n";

static const char html_file[] =
    "<a href=\"{{href}}\">{{file}}</a> {{#sha12}}<code title=\"SHA-256 "
    "{{sha256}}\">{{sha12}}</code>{{/sha12}}{{^sha12}}{{>sealed}}"
    "{{/sha12}}";

/*
 * The report in its own bundle cites that bundle's manifest without a
 * digest (specgate/release.h, sg_report_build_staged()).
 */
static const char sealed[] = "(lists this report; sealed by the audit "
    "trail)";
static const char in_bundle[] = "This report is a file of the bundle it "
    "reports on: the bundle's manifest lists it with its SHA-256 and is "
    "signed, so the report names manifest.json without a digest; the "
    "audit trail's seal holds the manifest's (specgate verify checks "
    "both).";
static const char html_source[] =
    "{{#source}}{{>file}}{{/source}}{{^source}}none{{/source}}";

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;"
    "max-width:75em;padding:0 1em;color:#1a1a1a;background:#fff}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.4em 0 1em}"
    "caption{text-align:left;font-weight:600;padding:.2em 0}"
    "td,th{padding:.2em .6em;text-align:left;border-bottom:1px solid #ccc;"
    "vertical-align:top;overflow-wrap:break-word}"
    "td code,td a{overflow-wrap:anywhere}"
    "@media (max-width:40em){td,th{overflow-wrap:anywhere}}"
    "a{color:#0b4f9c}code{font-size:.9em}"
    ".meta{color:#444}"
    ".st{padding:0 .4em;border-radius:3px;background:#e4e4e4;color:#1a1a1a}"
    ".st-pass,.st-success{background:#cdeccd}"
    ".st-warning,.st-retry,.st-awaiting_approval{background:#f6e3a1}"
    ".st-fail,.st-failure,.st-missing,.st-error,.st-cancelled"
    "{background:#f5c6c6}"
    ".verdict{font-size:1.1em}"
    "figure{margin:.5em 0}svg{max-width:100%;height:auto}"
    "svg text{font:12px system-ui,sans-serif;fill:#1a1a1a}"
    ".s1{fill:#2b6cb0;stroke:#2b6cb0}.s2{fill:#b7541b;stroke:#b7541b}"
    ".ln{fill:none;stroke-width:2}.ax{stroke:#777}"
    "@media print{a{color:#000}}";

static const char *
sget(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool
is_ok(const char *s)
{
	return s && (!strcmp(s, "pass") || !strcmp(s, "success") ||
	    !strcmp(s, "skipped"));
}

/* Add sha12 next to every sha256 and ok next to every status. */
static void
decorate(json_t *v)
{
	const char *k;
	size_t i;
	json_t *x;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			decorate(x);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, k, x)
		decorate(x);
	if (sget(v, "sha256") && strlen(sget(v, "sha256")) >= 12)
		json_object_set_new(v, "sha12",
		    json_stringn(sget(v, "sha256"), 12));
	if (sget(v, "status"))
		json_object_set_new(v, "ok", json_boolean(is_ok(sget(v,
		    "status"))));
}

/* v with `decimals` decimals and a unit: "1.234 s", "88.9 %". */
static json_t *
fmt(int decimals, double v, const char *unit)
{
	char *s = sg_xasprintf("%.*f %s", decimals, v, unit);
	json_t *j = json_string(s);

	free(s);
	return j;
}

/* Backslash before what GFM reads as markup; line breaks as spaces. */
static json_t *
md_string(const char *s)
{
	struct sg_buf b;
	json_t *j;
	char *t;

	sg_buf_init(&b, 0);
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r')
			sg_buf_putc(&b, ' ');
		else {
			if (strchr("\\`*_[]|~", *s))
				sg_buf_putc(&b, '\\');
			sg_buf_putc(&b, *s);
		}
	}
	t = sg_buf_detach(&b, NULL);
	j = json_string(t ? t : "");
	free(t);
	return j;
}

/* Every string of v for Markdown, but URLs and hex (href, sha*). */
static void
md_escape(json_t *v)
{
	const char *k;
	size_t i;
	json_t *x;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (json_is_string(x))
				json_array_set_new(v, i,
				    md_string(json_string_value(x)));
			else
				md_escape(x);
		}
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, k, x) {
		if (json_is_string(x)) {
			if (strcmp(k, "href") && strncmp(k, "sha", 3) &&
			    strcmp(k, "keyid16"))
				json_object_set_new(v, k,
				    md_string(json_string_value(x)));
		} else {
			md_escape(x);
		}
	}
}

static void
charts(json_t *view)
{
	json_t *ch = json_object(), *stages = json_object_get(view, "stages");
	json_t *runs = json_object_get(json_object_get(view, "trends"), "runs");
	size_t n = json_array_size(stages), k = 0, i;
	const char **labels = sg_xcalloc(n + 1, sizeof(*labels));
	double *vals = sg_xcalloc(n + 1, sizeof(*vals));
	struct sg_buf b;
	json_t *s;

	json_array_foreach(stages, i, s)
		if (json_is_number(json_object_get(s, "wall_seconds"))) {
			labels[k] = sget(s, "stage");
			vals[k++] = json_number_value(json_object_get(s,
			    "wall_seconds"));
		}
	sg_buf_init(&b, 0);
	if (k)
		sg_report__svg_bars(&b, "duration", "Wall time per stage",
		    "Seconds from the first command of a stage to the end of "
		    "its last attempt, from resource-estimates.json; the "
		    "table below has the same figures.", labels, vals, k, "s");
	json_object_set_new(ch, "duration", json_string(b.ptr ? b.ptr : ""));
	sg_buf_release(&b);
	free(labels);
	free(vals);
	n = json_array_size(runs);
	if (n) {
		const char **rl = sg_xcalloc(n, sizeof(*rl));
		double *cov = sg_xcalloc(n, sizeof(*cov));
		double *pass = sg_xcalloc(n, sizeof(*pass));
		double *ret = sg_xcalloc(n, sizeof(*ret));
		double *fail = sg_xcalloc(n, sizeof(*fail));
		struct sg_report_series q[2] = {
			{"line coverage %", "s1", cov},
			{"tests passed %", "s2", pass},
		};
		struct sg_report_series r[2] = {
			{"retries", "s1", ret},
			{"failed checkpoints", "s2", fail},
		};
		double max = 1;

		json_array_foreach(runs, i, s) {
			json_t *lp = json_object_get(s, "line_percent");
			json_t *pr = json_object_get(s, "pass_rate");

			rl[i] = sget(s, "run_id");
			cov[i] = json_is_number(lp) ? json_number_value(lp) :
						      NAN;
			pass[i] = json_is_number(pr) ? json_number_value(pr) :
						       NAN;
			ret[i] = (double)json_integer_value(json_object_get(s,
			    "retries"));
			fail[i] = (double)json_integer_value(json_object_get(s,
			    "failures"));
			if (ret[i] > max)
				max = ret[i];
			if (fail[i] > max)
				max = fail[i];
		}
		sg_buf_init(&b, 0);
		sg_report__svg_series(&b, "quality", "Coverage and tests across runs",
		    "Line coverage and the share of tests passed, in percent, "
		    "per run, oldest first, from each run's spec-coverage.json; "
		    "the table below has the same figures.", rl, n, q, 2, 100,
		    false, "%");
		json_object_set_new(ch, "quality", json_string(b.ptr));
		sg_buf_release(&b);
		sg_buf_init(&b, 0);
		sg_report__svg_series(&b, "retries", "Retries and failures across runs",
		    "Retry and failure checkpoints per run, oldest first, from "
		    "each run's checkpoints.log; the table below has the same "
		    "figures.", rl, n, r, 2, max, true, "");
		json_object_set_new(ch, "retries", json_string(b.ptr));
		sg_buf_release(&b);
		free(rl);
		free(cov);
		free(pass);
		free(ret);
		free(fail);
	}
	json_object_set_new(view, "charts", ch);
}

/* What the templates need beyond the report. */
static json_t *
make_view(json_t *report, bool md)
{
	json_t *v = json_deep_copy(report), *s, *sb, *arr;
	struct sg_buf b;
	const char *k;
	size_t i;
	json_t *x;
	char *t;

	json_object_set_new(v, "has_reasons", json_boolean(json_array_size(
	    json_object_get(json_object_get(v, "verdict"), "reasons")) > 0));
	json_object_set_new(v, "has_approvals", json_boolean(
	    json_array_size(json_object_get(v, "approvals")) > 0));
	json_object_set_new(v, "has_risks", json_boolean(
	    json_array_size(json_object_get(v, "risks")) > 0));
	json_object_set_new(v, "evidence_count", json_integer((json_int_t)
	    json_array_size(json_object_get(v, "evidence"))));
	json_object_set(json_object_get(v, "run"), "href",
	    json_object_get(json_object_get(v, "run"), "bundle"));
	if (!md)
		json_object_set_new(v, "css", json_string(css));
	json_array_foreach(json_object_get(v, "stages"), i, s) {
		json_t *w = json_object_get(s, "wall_seconds");
		json_t *r = json_object_get(s, "peak_rss_mb");

		json_object_set_new(s, "wall_s", json_is_number(w) ?
		    fmt(3, json_number_value(w), "s") : json_string("-"));
		json_object_set_new(s, "rss_s", json_is_number(r) ?
		    fmt(1, json_number_value(r), "MB") : json_string("-"));
	}
	json_array_foreach(json_object_get(v, "approvals"), i, s)
		if (sget(s, "keyid"))
			json_object_set_new(s, "keyid16",
			    json_stringn(sget(s, "keyid"), 16));
	if (json_is_object(sb = json_object_get(v, "sbom"))) {
		sg_buf_init(&b, 0);
		json_object_foreach(json_object_get(sb, "by_type"), k, x)
			sg_buf_printf(&b, "%s%" JSON_INTEGER_FORMAT " %s",
			    b.len ? ", " : "", json_integer_value(x), k);
		t = sg_buf_detach(&b, NULL);
		json_object_set_new(sb, "types_s", json_string(t && *t ? t :
		    "none"));
		free(t);
		arr = json_object_get(sb, "endpoints");
		sg_buf_init(&b, 0);
		json_array_foreach(arr, i, x)
			sg_buf_printf(&b, "%s%s", i ? ", " : "",
			    json_string_value(x));
		t = sg_buf_detach(&b, NULL);
		json_object_set_new(sb, "endpoints_s", json_string(t ? t : ""));
		json_object_set_new(sb, "has_endpoints",
		    json_boolean(json_array_size(arr) > 0));
		free(t);
	}
	json_array_foreach(json_object_get(json_object_get(v, "trends"),
	    "runs"), i, s) {
		json_t *lp = json_object_get(s, "line_percent");
		json_t *w = json_object_get(s, "wall_seconds");

		json_object_set_new(s, "line_percent_s", json_is_number(lp) ?
		    fmt(1, json_number_value(lp), "%") : json_string("-"));
		json_object_set_new(s, "wall_s", json_is_number(w) ?
		    fmt(3, json_number_value(w), "s") : json_string("-"));
		if (json_object_get(s, "tests_total")) {
			t = sg_xasprintf("%" JSON_INTEGER_FORMAT " of %"
					 JSON_INTEGER_FORMAT " (%.1f %%)",
			    json_integer_value(json_object_get(s,
				"tests_passed")),
			    json_integer_value(json_object_get(s,
				"tests_total")),
			    json_number_value(json_object_get(s,
				"pass_rate")));
			json_object_set_new(s, "pass_s", json_string(t));
			free(t);
		} else {
			json_object_set_new(s, "pass_s", json_string("-"));
		}
		if (!json_object_get(s, "source"))
			json_object_set_new(s, "source", json_null());
	}
	decorate(v);
	if (md)
		md_escape(v);
	else
		charts(v);
	return v;
}

struct partials {
	const char *source; /* {{>source}}: the figure's source, or "none" */
	const char *file;   /* {{>file}}: the source in context */
};

static int
load_partial(void *arg, const char *name, struct sg_template_source *out,
    struct sg_error *err)
{
	const struct partials *p = arg;
	const char *text = !strcmp(name, "source") ? p->source :
	    !strcmp(name, "file") ? p->file : !strcmp(name, "sealed") ?
	    sealed : !strcmp(name, "in_bundle") ? in_bundle : NULL;

	(void)err;
	if (!text)
		return SG_ENOTFOUND;
	out->text = sg_xstrdup(text);
	out->len = strlen(text);
	out->where = NULL;
	return 0;
}

int
sg_report_render(char **out, size_t *len, json_t *report,
    enum sg_report_format f, struct sg_error *err)
{
	struct sg_template_options to = SG_TEMPLATE_OPTIONS_INIT;
	struct partials p;
	struct sg_template *t = NULL;
	const char *src;
	json_t *view = NULL;
	int error;

	*out = NULL;
	*len = 0;
	if (!json_is_object(report) || !sget(report, "schema") ||
	    strcmp(sget(report, "schema"), SG_REPORT_SCHEMA))
		return sg_error_set(err, SG_EINVAL, "not a %s document",
		    SG_REPORT_SCHEMA);
	if (f == SG_REPORT_JSON) {
		*out = json_dumps(report, JSON_INDENT(2) | JSON_SORT_KEYS);
		if (!*out)
			SG_BUG("json_dumps failed");
		*len = strlen(*out);
		/* A text file ends with a newline. */
		*out = sg_xrealloc(*out, *len + 2);
		(*out)[(*len)++] = '\n';
		(*out)[*len] = '\0';
		return 0;
	}
	src = f == SG_REPORT_MD ? md_template : html_template;
	p.source = f == SG_REPORT_MD ? md_source : html_source;
	p.file = f == SG_REPORT_MD ? md_file : html_file;
	to.loader = load_partial;
	to.loader_arg = &p;
	to.max_output = SG_REPORT_DOC_MAX;
	view = make_view(report, f == SG_REPORT_MD);
	if ((error = sg_template_parse(&t, f == SG_REPORT_MD ? "report.md" :
		 "report.html", src, strlen(src), err)) < 0)
		goto out;
	error = sg_template_render(t, view, &to, out, len, err);
out:
	sg_template_free(t);
	json_decref(view);
	return error;
}
