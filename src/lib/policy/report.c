/* SPDX-License-Identifier: MIT */
/*
 * report.c - spec-validation-report.json (schema
 * "specgate/spec-validation-report/v1", fields in docs/formats.md).
 *
 * Built as a jansson tree and dumped with sorted keys and a fixed real
 * precision, so that the same validation gives the same bytes.  Every
 * number in it was measured by sg_validate(): counts, digests, the ranges
 * actually applied, each rule's outcome per scenario.
 */
#include "specgate/validate.h"

#include <jansson.h>

#include "util/util.h"

static json_t *
loc_pair(json_t *obj, const char *lk, const char *ck, struct sg_loc loc)
{
	json_object_set_new(obj, lk, json_integer(loc.line));
	json_object_set_new(obj, ck, json_integer(loc.column));
	return obj;
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
range(const struct sg_range *r)
{
	return json_pack("[f, f]", r->min, r->max);
}

static json_t *
policy_json(const struct sg_validation *v)
{
	return json_pack("{s:s, s:{s:o, s:o, s:o, s:o}, s:{s:s, s:s, s:s}}",
	    "mode", sg_mode_name(v->mode), "ranges", "cpu",
	    range(&v->ranges.cpu), "memory", range(&v->ranges.memory),
	    "storage", range(&v->ranges.storage), "story_points",
	    range(&v->ranges.story_points), "units", "cpu", "cores", "memory",
	    "MB", "storage", "MB");
}

static const char *
outcome(bool ok)
{
	return ok ? "pass" : "fail";
}

static json_t *
scenario_json(const struct sg_validation *v,
    const struct sg_validated_scenario *s)
{
	json_t *o = json_object();
	json_t *tags = json_array();
	json_t *res = json_object();
	bool pass = s->tag_ok && s->ranges_ok && s->steps_ok;

	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "keyword", json_string(s->keyword));
	loc_pair(o, "line", "column", s->loc);
	json_object_set_new(o, "scenario_line", json_integer(s->scenario_loc.line));
	json_object_set_new(o, "rule", str_or_null(s->rule));
	for (size_t i = 0; i < s->ntags; i++)
		json_array_append_new(tags, json_string(s->tags[i]));
	json_object_set_new(o, "tags", tags);

	json_object_set_new(res, "declared", json_boolean(s->resource_tag));
	json_object_set_new(res, "level",
	    json_string(sg_resource_level_name(s->level)));
	json_object_set_new(res, "tag", str_or_null(s->resource_tag));
	if (s->resource_tag)
		loc_pair(res, "line", "column", s->resource_loc);
	json_object_set_new(res, "valid", json_boolean(s->resources_valid));
	if (s->resources_valid) {
		json_object_set_new(res, "cpu", json_real(s->resources.cpu));
		json_object_set_new(res, "memory_mb",
		    json_integer((json_int_t)s->resources.memory_mb));
		json_object_set_new(res, "storage_mb",
		    json_integer((json_int_t)s->resources.storage_mb));
		json_object_set_new(res, "story_points",
		    json_integer((json_int_t)s->resources.story_points));
	}
	json_object_set_new(o, "resources", res);
	json_object_set_new(o, "steps",
	    json_pack("{s:i, s:i, s:i, s:i}", "total", (int)s->nsteps, "given",
		(int)s->ngiven, "when", (int)s->nwhen, "then", (int)s->nthen));
	json_object_set_new(o, "rules",
	    json_pack("{s:s, s:s, s:s}", "resource-tag", outcome(s->tag_ok),
		"resource-ranges",
		s->tag_ok ? outcome(s->ranges_ok) : "not_checked",
		"given-when-then", outcome(s->steps_ok)));
	json_object_set_new(o, "result",
	    json_string(pass ? "pass" :
		v->mode == SG_MODE_COMPLIANCE ? "error" : "warning"));
	return o;
}

static json_t *
file_json(const struct sg_validation *v, const struct sg_validated_file *f)
{
	json_t *o = json_object();
	json_t *sc = json_array();

	json_object_set_new(o, "path", json_string(f->path));
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "sha256", json_string(f->sha256));
	json_object_set_new(o, "size", json_integer((json_int_t)f->size));
	json_object_set_new(o, "status",
	    json_string(f->status == SG_FILE_PARSED ? "parsed" : "parse_error"));
	json_object_set_new(o, "skipped",
	    json_boolean(f->status != SG_FILE_PARSED &&
		v->mode == SG_MODE_SANDBOX));
	if (f->feature) {
		json_t *feat = json_object();

		json_object_set_new(feat, "name", json_string(f->feature));
		json_object_set_new(feat, "keyword", json_string(f->keyword));
		json_object_set_new(feat, "language", str_or_null(f->language));
		loc_pair(feat, "line", "column", f->feature_loc);
		json_object_set_new(o, "feature", feat);
	} else {
		json_object_set_new(o, "feature", json_null());
	}
	for (size_t i = 0; i < f->nscenarios; i++)
		json_array_append_new(sc, scenario_json(v, &f->scenarios[i]));
	json_object_set_new(o, "scenarios", sc);
	return o;
}

static json_t *
findings_json(const struct sg_validation *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->result.nfindings; i++) {
		const struct sg_finding *f = &v->result.findings[i];
		json_t *o = json_object();

		json_object_set_new(o, "code", json_string(sg_finding_id(f->code)));
		json_object_set_new(o, "name",
		    json_string(sg_finding_name(f->code)));
		json_object_set_new(o, "severity",
		    json_string(f->severity == SG_SEV_ERROR ? "error" :
							       "warning"));
		json_object_set_new(o, "file", json_string(f->file));
		loc_pair(o, "line", "column", f->loc);
		json_object_set_new(o, "message", json_string(f->message));
		json_array_append_new(a, o);
	}
	return a;
}

int
sg_validation_report(char **out, const struct sg_validation *v,
    const char *run_id, const char *timestamp, struct sg_error *err)
{
	json_t *doc = json_object();
	json_t *files = json_array();
	json_t *warn = json_array();
	const char *result;
	char *text;

	*out = NULL;
	result = v->result.nerrors ? "fail" :
		 v->result.nwarnings ? "warning" : "pass";
	json_object_set_new(doc, "schema",
	    json_string("specgate/spec-validation-report/v1"));
	json_object_set_new(doc, "feature_id", json_string(v->feature_id));
	json_object_set_new(doc, "run_id", str_or_null(run_id));
	json_object_set_new(doc, "mode", json_string(sg_mode_name(v->mode)));
	json_object_set_new(doc, "timestamp", json_string(timestamp));
	json_object_set_new(doc, "tool",
	    json_pack("{s:s, s:s, s:s}", "name", "specgate", "version",
		SG_VERSION, "commit", SG_COMMIT));
	json_object_set_new(doc, "policy", policy_json(v));
	json_object_set_new(doc, "summary",
	    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "files",
		(json_int_t)v->nfiles, "features", (json_int_t)v->nfeatures,
		"scenarios", (json_int_t)v->nscenarios, "files_skipped",
		(json_int_t)v->nskipped, "errors",
		(json_int_t)v->result.nerrors, "warnings",
		(json_int_t)v->result.nwarnings, "result", result));
	for (size_t i = 0; i < v->nfiles; i++)
		json_array_append_new(files, file_json(v, &v->files[i]));
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "findings", findings_json(v));
	for (size_t i = 0; i < v->nwarnings; i++)
		json_array_append_new(warn, json_string(v->warnings[i]));
	json_object_set_new(doc, "warnings", warn);

	text = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2) |
	    JSON_REAL_PRECISION(12));
	json_decref(doc);
	if (!text)
		return sg_error_set(err, SG_EIO,
		    "cannot render the validation report");
	*out = text;
	return 0;
}
