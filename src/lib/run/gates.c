/* SPDX-License-Identifier: MIT */
/*
 * gates.c - the validate stage's built-in work: the quality gates
 * (specgate/gate.h) read after the stage's commands succeeded, written as
 * spec-coverage.json and sast-summary.json into the bundle.
 *
 * The order is docs/internals/gate.md's: coverage, the tests mapped to the
 * preflight's scenarios, SAST; then the two documents.  The gates' result
 * is folded into the validate stage's last checkpoint (status and detail,
 * its output spec-coverage.json) rather than given checkpoints of its own,
 * so that a checkpoint stays "an attempt ended" for the trail's readers
 * (the service counts attempts from them); the documents, listed in the
 * manifest and the stage's link, carry every figure and finding.
 *
 * A gate input that cannot be read (malformed XML, a SARIF of another
 * version) fails the stage in both modes, as a failed command would: the
 * stage could not do its work.  Findings follow the mode: warnings in
 * sandbox, errors in compliance (the stage fails and the run stops).
 * Each finding is also a line of logs/validate.log and of the outcome's
 * gate_findings, as `file:line:col: error|warning: message [code name]`.
 */
#include "run/run_int.h"

#include <string.h>

#include "specgate/gate.h"
#include "util/utctime.h"
#include "util/util.h"

#define SPEC_COVERAGE "spec-coverage.json"
#define SAST_SUMMARY "sast-summary.json"

struct inputs {
	char **cov, **tests, **sast;
	size_t ncov, ntests, nsast;
};

static void
inputs_release(struct inputs *in)
{
	sg_gate_files_free(in->cov, in->ncov);
	sg_gate_files_free(in->tests, in->ntests);
	sg_gate_files_free(in->sast, in->nsast);
	memset(in, 0, sizeof(*in));
}

static int
inputs_find(struct inputs *in, const struct sg_config *cfg,
    struct sg_error *err)
{
	int error;

	memset(in, 0, sizeof(*in));
	if ((error = sg_gate_files(&in->cov, &in->ncov, cfg->root_rel,
		 &cfg->coverage.files, err)) < 0 ||
	    (error = sg_gate_files(&in->tests, &in->ntests, cfg->root_rel,
		 &cfg->test_files, err)) < 0 ||
	    (error = sg_gate_files(&in->sast, &in->nsast, cfg->root_rel,
		 &cfg->sast_files, err)) < 0)
		inputs_release(in);
	return error;
}

bool
sg_run__gates_wanted(const struct sg_run__ctx *c)
{
	struct sg_error err = SG_ERROR_INIT;
	struct inputs in;
	bool any;

	if (inputs_find(&in, c->cfg, &err) < 0) {
		sg_error_release(&err);
		return true; /* the stage will say what is wrong */
	}
	any = in.ncov || in.ntests || in.nsast;
	inputs_release(&in);
	return any;
}

/* Findings into the log and the outcome's lines. */
static void
record(struct sg_run__ctx *c, struct sg_buf *log,
    const struct sg_policy_result *res)
{
	struct sg_run_outcome *o = c->out;

	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sg_finding *f = &res->findings[i];
		char *line = sg_xasprintf("%s:%u:%u: %s: %s [%s %s]",
		    f->file ? f->file : "", f->loc.line, f->loc.column,
		    f->severity == SG_SEV_ERROR ? "error" : "warning",
		    f->message, sg_finding_id(f->code),
		    sg_finding_name(f->code));

		sg_buf_printf(log, "%s\n", line);
		o->gate_findings = sg_xreallocarray(o->gate_findings,
		    o->ngate_findings + 1, sizeof(*o->gate_findings));
		o->gate_findings[o->ngate_findings++] = line;
		if (f->severity == SG_SEV_ERROR)
			o->gate_errors++;
		else
			o->gate_warnings++;
	}
}

/* The inputs could not be read: the stage fails. */
static void
unreadable(struct sg_run__work *w, struct sg_buf *log, const char *gate,
    const struct sg_error *e)
{
	w->status = "failure";
	snprintf(w->detail, sizeof(w->detail), "%s gate: %.400s", gate,
	    e->message);
	sg_buf_printf(log, "-- %s\n", w->detail);
}

static void
summary(struct sg_run__work *w, const struct sg_coverage *cov,
    const struct sg_spec_map *map, const struct sg_sarif *sarif,
    enum sg_sarif_level fail_on, const struct sg_run_outcome *o)
{
	char covs[64] = "none";
	double p;

	if (cov) {
		p = sg_coverage_percent(cov->lines_hit, cov->lines_found);
		if (p < 0)
			snprintf(covs, sizeof(covs), "no data");
		else
			snprintf(covs, sizeof(covs), "%.1f%%", p);
	}
	snprintf(w->detail, sizeof(w->detail),
	    "gates: coverage %s; tests %llu passed, %llu failed; spec coverage "
	    "%zu of %zu scenarios; SAST %s%llu at or above %s; %zu errors, "
	    "%zu warnings",
	    covs, (unsigned long long)map->totals.passed,
	    (unsigned long long)(map->totals.failed + map->totals.errors),
	    map->ncovered, map->nscenarios, sarif ? "" : "missing, ",
	    (unsigned long long)(sarif ? sg_sarif_at_or_above(sarif, fail_on) :
		0), sg_sarif_level_name(fail_on), o->gate_errors,
	    o->gate_warnings);
}

int
sg_run__gates(struct sg_run__ctx *c, struct sg_buf *log,
    struct sg_run__work *w, struct sg_error *err)
{
	const struct sg_config *cfg = c->cfg;
	struct sg_policy_result cres = SG_POLICY_RESULT_INIT(cfg->mode);
	struct sg_policy_result sres = SG_POLICY_RESULT_INIT(cfg->mode);
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_doc_meta meta;
	struct sg_coverage *cov = NULL;
	struct sg_spec_map *map = NULL;
	struct sg_sarif *sarif = NULL;
	enum sg_sarif_level fail_on = SG_SARIF_ERROR;
	struct inputs in;
	char ts[SG_UTC_ISO_SIZE];
	char *doc = NULL;
	int error = 0;

	memset(&in, 0, sizeof(in));
	sg_buf_printf(log, "== validate: gates ==\n");
	if (cfg->sast_fail_on)
		sg_sarif_level_parse(&fail_on, cfg->sast_fail_on);
	if (inputs_find(&in, cfg, &mine) < 0) {
		unreadable(w, log, "input", &mine);
		goto out;
	}
	if (in.ncov) {
		if (sg_coverage_read(&cov, (const char *const *)in.cov,
			in.ncov, &mine) < 0) {
			unreadable(w, log, "coverage", &mine);
			goto out;
		}
		sg_coverage_check(cov, cfg->root_rel);
	}
	sg_gate_coverage(&cres, cov, cfg->coverage.min,
	    in.ncov ? in.cov[0] : "");
	if (sg_spec_map_new(&map, c->out->validation) < 0)
		SG_BUG("sg_spec_map_new failed");
	if (in.ntests && sg_spec_map_read(map, (const char *const *)in.tests,
			     in.ntests, &mine) < 0) {
		unreadable(w, log, "tests", &mine);
		goto out;
	}
	sg_gate_tests(&cres, in.ntests ? map : NULL);
	if (in.nsast && sg_sarif_read(&sarif, (const char *const *)in.sast,
			    in.nsast, &mine) < 0) {
		unreadable(w, log, "SAST", &mine);
		goto out;
	}
	sg_gate_sast(&sres, sarif, fail_on, in.nsast ? in.sast[0] : "");
	for (size_t i = 0; i < in.ncov; i++)
		sg_buf_printf(log, "-- coverage input %s\n", in.cov[i]);
	for (size_t i = 0; i < in.ntests; i++)
		sg_buf_printf(log, "-- tests input %s\n", in.tests[i]);
	for (size_t i = 0; i < in.nsast; i++)
		sg_buf_printf(log, "-- SAST input %s\n", in.sast[i]);
	record(c, log, &cres);
	record(c, log, &sres);
	if (sg_utc_iso(ts, sg_utc_report_now()) < 0) {
		error = sg_error_set(err, SG_EIO, "the clock is out of range");
		goto out;
	}
	meta.feature_id = c->out->feature_id;
	meta.run_id = c->out->run_id;
	meta.mode = cfg->mode;
	meta.timestamp = ts;
	if ((error = sg_spec_coverage_report(&doc, &meta, map, cov,
		 cfg->coverage.min, &cres, err)) < 0 ||
	    (error = sg_run__write(c, SG_STAGE_VALIDATE, SPEC_COVERAGE, doc,
		 strlen(doc), w->sha256, err)) < 0)
		goto out;
	free(doc);
	doc = NULL;
	if ((error = sg_sast_summary_report(&doc, &meta, sarif, fail_on,
		 &sres, err)) < 0 ||
	    (error = sg_run__write(c, SG_STAGE_VALIDATE, SAST_SUMMARY, doc,
		 strlen(doc), NULL, err)) < 0)
		goto out;
	snprintf(w->output, sizeof(w->output), "%s", SPEC_COVERAGE);
	w->status = cres.nerrors || sres.nerrors ? "failure" :
	    cres.nwarnings || sres.nwarnings	 ? "warning" :
						   "success";
	summary(w, cov, map, sarif, fail_on, c->out);
	sg_buf_printf(log, "-- %s\n", w->detail);
out:
	free(doc);
	sg_policy_result_release(&cres);
	sg_policy_result_release(&sres);
	sg_coverage_free(cov);
	sg_spec_map_free(map);
	sg_sarif_free(sarif);
	inputs_release(&in);
	sg_error_release(&mine);
	return error;
}
