/* SPDX-License-Identifier: MIT */
/*
 * resources.c - the audit stage's own documents (run_int.h):
 *
 *   resource-estimates.json   what the spec declares (per scenario, and
 *                             totals), the mode's limits, what each stage
 *                             measured, and whether it stays within them
 *   artifacts.json            every artifact a stage declared, with its
 *                             SHA-256 (only when there is one)
 *   report.md, report.html    the release report (specgate/release.h),
 *                             made from the bundle itself once every
 *                             other document is in it, before the
 *                             manifest (sg_bundle_set_derived())
 *
 * Totals (docs/formats.md, resource-estimates.json): cpu, memory and
 * storage are the maximum over the scenarios (one scenario runs at a
 * time), story points the sum.  The
 * checks: the declared maxima against the mode's upper limits, and each
 * stage's last attempt against the same limits, memory as its largest
 * peak RSS and, in compliance, cpu as its average cores (CPU seconds over
 * wall seconds, from one second of wall up).  stage.c applies the same
 * judgement (sg_run__usage_exceeds()) to every attempt in compliance.
 * Story points have no total limit (the range is per scenario, which
 * preflight checks).  Measured figures are a process tree's, from wait4():
 * a service a stage started in the background is not in them.
 * docs/formats.md describes every field.
 */
#include "run/run_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "run/run_usage.h"
#include "specgate/release.h"
#include "util/utctime.h"
#include "util/util.h"

static json_t *
base_doc(const struct sg_run__ctx *c, const char *schema, const char *ts)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "schema", schema,
	    "feature_id", c->out->feature_id, "run_id", c->out->run_id, "mode",
	    sg_mode_name(c->cfg->mode), "timestamp", ts);
}

static json_t *
range_json(const struct sg_range *r)
{
	return json_pack("{s:f, s:f}", "min", r->min, "max", r->max);
}

struct totals {
	bool any;
	double cpu;
	uint64_t memory_mb;
	uint64_t storage_mb;
	uint64_t story_points;
	size_t without; /* scenarios with no valid resource tag */
};

static json_t *
declared_json(struct totals *t, const struct sg_validation *v)
{
	json_t *a = json_array();

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < v->nfiles; i++) {
		const struct sg_validated_file *f = &v->files[i];

		for (size_t j = 0; j < f->nscenarios; j++) {
			const struct sg_validated_scenario *sc =
			    &f->scenarios[j];
			const struct sg_resources *r = &sc->resources;

			if (!sc->resources_valid) {
				t->without++;
				continue;
			}
			t->any = true;
			if (r->cpu > t->cpu)
				t->cpu = r->cpu;
			if (r->memory_mb > t->memory_mb)
				t->memory_mb = r->memory_mb;
			if (r->storage_mb > t->storage_mb)
				t->storage_mb = r->storage_mb;
			t->story_points += r->story_points;
			json_array_append_new(a,
			    json_pack("{s:s, s:i, s:s, s:s, s:f, s:I, s:I, "
				      "s:I}",
				"file", f->name, "line", (int)sc->loc.line,
				"scenario", sc->name ? sc->name : "", "level",
				sg_resource_level_name(sc->level), "cpu",
				r->cpu, "memory_mb", (json_int_t)r->memory_mb,
				"storage_mb", (json_int_t)r->storage_mb,
				"story_points",
				(json_int_t)r->story_points));
		}
	}
	return a;
}

/* Append a check; returns whether it holds. */
static bool
check(json_t *checks, const char *what, double value, double limit)
{
	bool ok = value <= limit;

	json_array_append_new(checks,
	    json_pack("{s:s, s:f, s:f, s:b}", "check", what, "value", value,
		"limit", limit, "ok", ok));
	return ok;
}

void
sg_run__attempt_usage(struct sg_run__usage *u,
    const struct sg_stage_result *r, unsigned attempt)
{
	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < r->ncommands; i++) {
		const struct sg_proc_result *p = &r->commands[i].result;

		if (r->commands[i].attempt != attempt)
			continue;
		u->user_us += p->user_us;
		u->sys_us += p->sys_us;
		u->wall_us += p->wall_us;
		if (p->maxrss_kb > u->maxrss_kb)
			u->maxrss_kb = p->maxrss_kb;
	}
}

static double
usage_cores(const struct sg_run__usage *u)
{
	return u->wall_us ? (double)(u->user_us + u->sys_us) /
	    (double)u->wall_us : 0;
}

static bool
cpu_judged(const struct sg_run__ctx *c, const struct sg_run__usage *u)
{
	return c->cfg->mode == SG_MODE_COMPLIANCE &&
	    u->wall_us >= (uint64_t)SG_RUN__CPU_MIN_WALL_MS * 1000;
}

bool
sg_run__usage_exceeds(const struct sg_run__ctx *c,
    const struct sg_run__usage *u, char *why, size_t why_size)
{
	const struct sg_mode_policy *lim = &c->cfg->policy[c->cfg->mode];
	const char *mode = sg_mode_name(c->cfg->mode);
	double rss = (double)u->maxrss_kb / 1024.0;

	if (rss > lim->memory.max) {
		snprintf(why, why_size, "resources exceeded: peak RSS %.1f MB "
		    "over the limit of %g MB (policy.%s.memory)", rss,
		    lim->memory.max, mode);
		return true;
	}
	if (cpu_judged(c, u) && usage_cores(u) > lim->cpu.max) {
		snprintf(why, why_size, "resources exceeded: %.2f cores on "
		    "average over %.1f s, over the limit of %g (policy.%s.cpu)",
		    usage_cores(u), (double)u->wall_us / 1e6, lim->cpu.max,
		    mode);
		return true;
	}
	return false;
}

/*
 * The checks judge each stage's last attempt (its commands, not its
 * rollback's): the attempt whose outcome counts.  In compliance an
 * attempt over the limits has already failed in the runner (stage.c), so
 * a stage that passed a retry within them is not failed again here.
 */
static json_t *
measured_json(bool *ok, json_t *checks, const struct sg_run__ctx *c)
{
	const struct sg_mode_policy *lim = &c->cfg->policy[c->cfg->mode];
	json_t *a = json_array();
	struct sg_run__usage u;
	char what[64];

	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		const struct sg_stage_result *r = &c->out->stages[s];
		double cpu = (double)(r->user_us + r->sys_us) / 1e6;
		double wall = (double)r->wall_us / 1e6;
		double rss = (double)r->maxrss_kb / 1024.0;
		double cores = wall > 0 ? cpu / wall : 0;

		if (!r->ncommands)
			continue;
		json_array_append_new(a,
		    json_pack("{s:s, s:s?, s:I, s:I, s:f, s:f, s:f, s:f, s:f, "
			      "s:f}",
			"stage", sg_stage_name((enum sg_stage_id)s), "status",
			r->status, "commands", (json_int_t)r->ncommands,
			"attempts", (json_int_t)r->attempts, "wall_seconds",
			wall, "cpu_seconds", cpu, "user_seconds",
			(double)r->user_us / 1e6, "sys_seconds",
			(double)r->sys_us / 1e6, "peak_rss_mb", rss,
			"average_cores", cores));
		sg_run__attempt_usage(&u, r, r->attempts);
		snprintf(what, sizeof(what), "%s peak_rss_mb",
		    sg_stage_name((enum sg_stage_id)s));
		*ok &= check(checks, what, (double)u.maxrss_kb / 1024.0,
		    lim->memory.max);
		if (!cpu_judged(c, &u))
			continue;
		snprintf(what, sizeof(what), "%s average_cores",
		    sg_stage_name((enum sg_stage_id)s));
		*ok &= check(checks, what, usage_cores(&u), lim->cpu.max);
	}
	return a;
}

static int
resource_estimates(struct sg_run__ctx *c, const char *ts,
    struct sg_error *err)
{
	const struct sg_mode_policy *lim = &c->cfg->policy[c->cfg->mode];
	json_t *doc = base_doc(c, "specgate/resource-estimates/v1", ts);
	json_t *checks = json_array();
	json_t *scen;
	struct totals t;
	bool ok = true;

	scen = declared_json(&t, c->out->validation);
	if (t.any) {
		ok &= check(checks, "declared cpu", t.cpu, lim->cpu.max);
		ok &= check(checks, "declared memory_mb", (double)t.memory_mb,
		    lim->memory.max);
		ok &= check(checks, "declared storage_mb",
		    (double)t.storage_mb, lim->storage.max);
	}
	json_object_set_new(doc, "declared",
	    json_pack("{s:o, s:I, s:o}", "scenarios", scen,
		"scenarios_without_resources", (json_int_t)t.without, "totals",
		t.any ? json_pack("{s:f, s:I, s:I, s:I}", "cpu", t.cpu,
			    "memory_mb", (json_int_t)t.memory_mb,
			    "storage_mb", (json_int_t)t.storage_mb,
			    "story_points", (json_int_t)t.story_points) :
			json_null()));
	json_object_set_new(doc, "limits",
	    json_pack("{s:o, s:o, s:o, s:o}", "cpu", range_json(&lim->cpu),
		"memory_mb", range_json(&lim->memory), "storage_mb",
		range_json(&lim->storage), "story_points",
		range_json(&lim->story_points)));
	json_object_set_new(doc, "measured",
	    json_pack("{s:o}", "stages", measured_json(&ok, checks, c)));
	json_object_set_new(doc, "checks", checks);
	json_object_set_new(doc, "compliance_status",
	    json_string(ok ? "within_limits" : "exceeded"));
	c->out->resources_exceeded = !ok;
	return sg_run__write_json(c, SG_STAGE_AUDIT, "resource-estimates.json",
	    doc, err);
}

static int
artifacts(struct sg_run__ctx *c, const char *ts, struct sg_error *err)
{
	json_t *doc;
	json_t *a = json_array();

	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		const struct sg_stage_result *r = &c->out->stages[s];

		for (size_t i = 0; i < r->nartifacts; i++)
			json_array_append_new(a,
			    json_pack("{s:s, s:s, s:s, s:I, s:s}", "stage",
				sg_stage_name((enum sg_stage_id)s), "path",
				r->artifacts[i].path, "type",
				r->artifacts[i].is_link ? "symlink" : "file",
				"size", (json_int_t)r->artifacts[i].size,
				"sha256", r->artifacts[i].sha256));
	}
	if (!json_array_size(a)) {
		json_decref(a);
		return 0;
	}
	doc = base_doc(c, "specgate/artifacts/v1", ts);
	json_object_set_new(doc, "artifacts", a);
	return sg_run__write_json(c, SG_STAGE_AUDIT, "artifacts.json", doc,
	    err);
}

int
sg_run__audit_documents(struct sg_run__ctx *c, struct sg_error *err)
{
	char ts[SG_UTC_ISO_SIZE];
	int error;

	if (sg_utc_iso(ts, sg_utc_report_now()) < 0)
		return sg_error_set(err, SG_EIO, "the clock is out of range");
	if ((error = resource_estimates(c, ts, err)) < 0)
		return error;
	return artifacts(c, ts, err);
}

int
sg_run__report(struct sg_bundle *b, const char *staging,
    const char *draft_manifest, void *payload, struct sg_error *err)
{
	static const struct {
		const char *name;
		enum sg_report_format fmt;
	} docs[] = {
		{SG_BUNDLE_REPORT_MD, SG_REPORT_MD},
		{SG_BUNDLE_REPORT_HTML, SG_REPORT_HTML},
	};
	struct sg_run__ctx *c = payload;
	struct sg_report_options ro = SG_REPORT_OPTIONS_INIT;
	json_t *doc = NULL;
	char *text = NULL;
	size_t len = 0;
	int error;

	ro.eo = c->eo;
	ro.feature_id = c->out->feature_id;
	ro.run_id = c->out->run_id;
	if ((error = sg_report_build_staged(&doc, c->st, &ro, staging,
		 draft_manifest, err)) < 0)
		return error;
	for (size_t i = 0; i < SG_ARRAY_SIZE(docs) && !error; i++) {
		if ((error = sg_report_render(&text, &len, doc, docs[i].fmt,
			 err)) == 0)
			error = sg_bundle_write(b, docs[i].name, text, len,
			    NULL, err);
		free(text);
		text = NULL;
	}
	json_decref(doc);
	return error;
}
