/* SPDX-License-Identifier: MIT */
/*
 * gates.c - the quality gates (specgate/gate.h) inside a run: each gate's
 * input is read after the stage that produces it, and the gates are
 * checked, written as spec-coverage.json and sast-summary.json into the
 * bundle, after the last of those stages.
 *
 * Binding: gates.coverage.stage, gates.tests.stage and gates.sast.stage
 * (validate, generate or build; default validate) name the stage whose
 * commands write the input; integration tests that need the build set
 * `tests: {stage: build}`.  The input is read (parsed into memory) right
 * after that stage's commands succeeded, so a later stage that cleans
 * the directory does not lose it; the checks wait for the last bound
 * stage (the "gate stage"), because spec-coverage.json holds both the
 * coverage and the tests.  Nothing is silently ignored: a configured
 * input that never appeared is a `missing` finding (SG303, SG313,
 * SG322); a bound stage with no commands still runs to read its inputs
 * when one exists or the gates are configured in specgate.yaml; and an
 * input that a later stage rewrites after it was read is said in that
 * stage's log and as a warning line of the gate findings, naming the
 * stage to bind it to.
 *
 * The order of the checks is docs/internals/gate.md's: coverage, the
 * tests mapped to the preflight's scenarios, SAST; then the two
 * documents.  The gates' result is folded into the gate stage's last
 * checkpoint (status and detail, its output spec-coverage.json) rather
 * than given checkpoints of its own, so that a checkpoint stays "an
 * attempt ended" for the trail's readers (the service counts attempts
 * from them); the documents, listed in the manifest and the stage's
 * link, carry every figure and finding.
 *
 * A gate input that cannot be read (malformed XML, a SARIF of another
 * version) fails the stage that read it in both modes, as a failed
 * command would: the stage could not do its work.  Findings follow the
 * mode: warnings in sandbox, errors in compliance (the stage fails and
 * the run stops).  Each finding is also a line of the stage's log and of
 * the outcome's gate_findings, as `file:line:col: error|warning: message
 * [code name]`.
 */
#include "run/run_int.h"

#include <stdlib.h>
#include <string.h>

#include "hash/digest.h"
#include "run/run_work.h"
#include "specgate/gate.h"
#include "util/utctime.h"
#include "util/util.h"

#define SPEC_COVERAGE "spec-coverage.json"
#define SAST_SUMMARY "sast-summary.json"

enum { G_COVERAGE, G_TESTS, G_SAST, G_COUNT };

static const char *const gate_key[G_COUNT] = {"coverage", "tests", "sast"};
static const char *const gate_title[G_COUNT] = {"coverage", "tests",
	"SAST"};

/* What the run read so far; lives from the first bound stage to the end. */
struct sg_run__gatestate {
	bool read[G_COUNT];	 /* its bound stage read it */
	enum sg_stage_id at[G_COUNT];
	char **files[G_COUNT];	 /* the inputs read */
	size_t nfiles[G_COUNT];
	char (*sha[G_COUNT])[65]; /* their digests when read */
	struct sg_coverage *cov;
	struct sg_spec_map *map;
	struct sg_sarif *sarif;
	bool checked; /* the gate stage wrote the documents */
};

static const struct sg_strlist *
patterns(const struct sg_config *cfg, int g)
{
	return g == G_COVERAGE ? &cfg->coverage.files :
	    g == G_TESTS       ? &cfg->test_files :
				 &cfg->sast_files;
}

enum sg_stage_id
sg_run__gate_stage(const struct sg_config *cfg, int g)
{
	enum sg_stage_id id = SG_STAGE_VALIDATE;

	if (cfg->gate_stage[g])
		sg_stage_parse(&id, cfg->gate_stage[g]);
	return id;
}

/* The last stage a gate is bound to: where the gates are checked. */
static enum sg_stage_id
gate_stage(const struct sg_config *cfg)
{
	enum sg_stage_id last = SG_STAGE_VALIDATE;

	for (int g = 0; g < G_COUNT; g++)
		if (sg_run__gate_stage(cfg, g) > last)
			last = sg_run__gate_stage(cfg, g);
	return last;
}

/* Whether specgate.yaml (or the environment) names a gate's inputs. */
static bool
configured(const struct sg_config *cfg)
{
	static const char *const keys[] = {"gates.coverage.files",
		"gates.tests.files", "gates.sast.files", "gates.coverage.stage",
		"gates.tests.stage", "gates.sast.stage"};

	for (size_t i = 0; i < SG_ARRAY_SIZE(keys); i++) {
		const char *o = sg_config_origin(cfg, keys[i]);

		if (o && strcmp(o, "default"))
			return true;
	}
	return false;
}

bool
sg_run__gates_wanted(const struct sg_run__ctx *c, enum sg_stage_id id)
{
	struct sg_error err = SG_ERROR_INIT;
	bool bound = false;
	bool any = false;

	for (int g = 0; g < G_COUNT; g++)
		if (sg_run__gate_stage(c->cfg, g) == id)
			bound = true;
	if (!bound)
		return false;
	if (configured(c->cfg) ||
	    (c->gates && id == gate_stage(c->cfg)))
		return true;
	for (int g = 0; g < G_COUNT && !any; g++) {
		char **files = NULL;
		size_t n = 0;

		if (sg_run__gate_stage(c->cfg, g) != id)
			continue;
		if (sg_gate_files(&files, &n, c->cfg->root_rel,
			patterns(c->cfg, g), &err) < 0) {
			sg_error_release(&err);
			return true; /* the stage will say what is wrong */
		}
		any = n > 0;
		sg_gate_files_free(files, n);
	}
	return any;
}

void
sg_run__gates_release(struct sg_run__ctx *c)
{
	struct sg_run__gatestate *gs = c->gates;

	if (!gs)
		return;
	for (int g = 0; g < G_COUNT; g++) {
		sg_gate_files_free(gs->files[g], gs->nfiles[g]);
		free(gs->sha[g]);
	}
	sg_coverage_free(gs->cov);
	sg_spec_map_free(gs->map);
	sg_sarif_free(gs->sarif);
	free(gs);
	c->gates = NULL;
}

static struct sg_run__gatestate *
state(struct sg_run__ctx *c)
{
	if (!c->gates) {
		c->gates = sg_xcalloc(1, sizeof(*c->gates));
		if (sg_spec_map_new(&c->gates->map, c->out->validation) < 0)
			SG_BUG("sg_spec_map_new failed");
	}
	return c->gates;
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
	w->done = true;
	w->status = SG_CP_FAILURE;
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

/* A warning line of the gate findings (not a finding of a gate code). */
static void
note(struct sg_run__ctx *c, struct sg_buf *log, const char *line)
{
	struct sg_run_outcome *o = c->out;

	sg_buf_printf(log, "%s\n", line);
	o->gate_findings = sg_xreallocarray(o->gate_findings,
	    o->ngate_findings + 1, sizeof(*o->gate_findings));
	o->gate_findings[o->ngate_findings++] = sg_xstrdup(line);
}

/*
 * After a stage: an input read after an earlier stage that this one
 * rewrote, or a new file matching the gate's patterns, was not what the
 * gate read.  Say so, naming the stage to bind the gate to; returns how
 * many.
 */
static size_t
check_unchanged(struct sg_run__ctx *c, enum sg_stage_id id,
    struct sg_buf *log)
{
	struct sg_run__gatestate *gs = c->gates;
	struct sg_error err = SG_ERROR_INIT;
	size_t changed = 0;

	for (int g = 0; gs && g < G_COUNT; g++) {
		char **files = NULL;
		size_t n = 0;

		if (!gs->read[g] || gs->at[g] >= id)
			continue;
		if (sg_gate_files(&files, &n, c->cfg->root_rel,
			patterns(c->cfg, g), &err) < 0) {
			sg_error_release(&err);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned char d[32];
			char hex[65];
			size_t k;
			char *line;

			for (k = 0; k < gs->nfiles[g] &&
			     strcmp(gs->files[g][k], files[i]); k++)
				;
			if (k < gs->nfiles[g]) {
				if (sg_sha256_path(d, files[i], UINT64_MAX,
					&err) < 0) {
					sg_error_release(&err);
					continue;
				}
				sg_hex_lower(hex, d, sizeof(d));
				if (!strcmp(hex, gs->sha[g][k]))
					continue;
			}
			line = sg_xasprintf("%s: %s: %s during %s, "
			    "after the %s gate read its inputs (after %s): "
			    "not counted; set gates.%s.stage: %s [gate-input-"
			    "changed]",
			    files[i], c->cfg->mode == SG_MODE_COMPLIANCE ?
			    "error" : "warning",
			    k < gs->nfiles[g] ? "rewritten" :
			    "written", sg_stage_name(id), gate_title[g],
			    sg_stage_name(gs->at[g]), gate_key[g],
			    sg_stage_name(id));
			note(c, log, line);
			free(line);
			changed++;
		}
		sg_gate_files_free(files, n);
	}
	return changed;
}

/* Read the inputs of the gates bound to stage id; false: unreadable. */
static bool
read_inputs(struct sg_run__ctx *c, enum sg_stage_id id, struct sg_buf *log,
    struct sg_run__work *w)
{
	struct sg_run__gatestate *gs = state(c);
	struct sg_error mine = SG_ERROR_INIT;
	bool ok = false;

	for (int g = 0; g < G_COUNT; g++) {
		const char *const *f;
		size_t n;

		if (sg_run__gate_stage(c->cfg, g) != id || gs->read[g])
			continue;
		if (sg_gate_files(&gs->files[g], &gs->nfiles[g],
			c->cfg->root_rel, patterns(c->cfg, g), &mine) < 0) {
			unreadable(w, log, "input", &mine);
			goto out;
		}
		gs->read[g] = true;
		gs->at[g] = id;
		f = (const char *const *)gs->files[g];
		n = gs->nfiles[g];
		gs->sha[g] = sg_xcalloc(n + 1, sizeof(*gs->sha[g]));
		for (size_t i = 0; i < n; i++) {
			unsigned char d[32];

			sg_buf_printf(log, "-- %s input %s (read after %s)\n",
			    gate_title[g], f[i], sg_stage_name(id));
			if (sg_sha256_path(d, f[i], UINT64_MAX, &mine) < 0) {
				unreadable(w, log, gate_title[g], &mine);
				goto out;
			}
			sg_hex_lower(gs->sha[g][i], d, sizeof(d));
		}
		if (!n)
			sg_buf_printf(log, "-- %s input: none of %s matched "
			    "after %s\n", gate_title[g],
			    patterns(c->cfg, g)->n ?
			    patterns(c->cfg, g)->items[0] : "(no pattern)",
			    sg_stage_name(id));
		if (!n)
			continue;
		if (g == G_COVERAGE) {
			if (sg_coverage_read(&gs->cov, f, n, &mine) < 0) {
				unreadable(w, log, "coverage", &mine);
				goto out;
			}
			sg_coverage_check(gs->cov, c->cfg->root_rel);
		} else if (g == G_TESTS) {
			if (sg_spec_map_read(gs->map, f, n, &mine) < 0) {
				unreadable(w, log, "tests", &mine);
				goto out;
			}
		} else if (sg_sarif_read(&gs->sarif, f, n, &mine) < 0) {
			unreadable(w, log, "SAST", &mine);
			goto out;
		}
	}
	ok = true;
out:
	sg_error_release(&mine);
	return ok;
}

/* Read the gates bound to id; after the gate stage, check and write them. */
static int
gates_at(struct sg_run__ctx *c, enum sg_stage_id id, struct sg_buf *log,
    struct sg_run__work *w, struct sg_error *err)
{
	const struct sg_config *cfg = c->cfg;
	struct sg_policy_result cres = SG_POLICY_RESULT_INIT(cfg->mode);
	struct sg_policy_result sres = SG_POLICY_RESULT_INIT(cfg->mode);
	struct sg_run__gatestate *gs;
	struct sg_doc_meta meta;
	enum sg_sarif_level fail_on = SG_SARIF_ERROR;
	char ts[SG_UTC_ISO_SIZE];
	char *doc = NULL;
	bool bound = false;
	int error = 0;

	for (int g = 0; g < G_COUNT; g++)
		if (sg_run__gate_stage(cfg, g) == id)
			bound = true;
	if (!bound || (c->gates && c->gates->checked))
		return 0;
	sg_buf_printf(log, "== %s: gates ==\n", sg_stage_name(id));
	if (!read_inputs(c, id, log, w) || id != gate_stage(cfg))
		return 0;
	gs = c->gates;
	gs->checked = true;
	if (cfg->sast_fail_on)
		sg_sarif_level_parse(&fail_on, cfg->sast_fail_on);
	sg_gate_coverage(&cres, gs->cov, cfg->coverage.min,
	    gs->nfiles[G_COVERAGE] ? gs->files[G_COVERAGE][0] : "");
	sg_gate_tests(&cres, gs->nfiles[G_TESTS] ? gs->map : NULL);
	sg_gate_sast(&sres, gs->sarif, fail_on,
	    gs->nfiles[G_SAST] ? gs->files[G_SAST][0] : "");
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
	if ((error = sg_spec_coverage_report(&doc, &meta, gs->map, gs->cov,
		 cfg->coverage.min, &cres, err)) < 0 ||
	    (error = sg_run__write(c, id, SPEC_COVERAGE, doc, strlen(doc),
		 w->sha256, err)) < 0)
		goto out;
	free(doc);
	doc = NULL;
	if ((error = sg_sast_summary_report(&doc, &meta, gs->sarif, fail_on,
		 &sres, err)) < 0 ||
	    (error = sg_run__write(c, id, SAST_SUMMARY, doc, strlen(doc), NULL,
		 err)) < 0)
		goto out;
	snprintf(w->output, sizeof(w->output), "%s", SPEC_COVERAGE);
	w->done = true;
	w->status = cres.nerrors || sres.nerrors     ? SG_CP_FAILURE :
	    cres.nwarnings || sres.nwarnings ? SG_CP_WARNING :
					       SG_CP_SUCCESS;
	summary(w, gs->cov, gs->map, gs->sarif, fail_on, c->out);
	sg_buf_printf(log, "-- %s\n", w->detail);
out:
	free(doc);
	sg_policy_result_release(&cres);
	sg_policy_result_release(&sres);
	return error;
}

int
sg_run__gates(struct sg_run__ctx *c, enum sg_stage_id id, struct sg_buf *log,
    struct sg_run__work *w, struct sg_error *err)
{
	bool strict = c->cfg->mode == SG_MODE_COMPLIANCE;
	size_t changed = check_unchanged(c, id, log);
	size_t n;
	int error;

	if ((error = gates_at(c, id, log, w, err)) < 0 || !changed)
		return error;
	/* a stale input is a finding of the stage that changed it */
	if (strict)
		c->out->gate_errors += changed;
	else
		c->out->gate_warnings += changed;
	if (strict)
		w->status = SG_CP_FAILURE;
	else if (!w->done || w->status == SG_CP_SUCCESS)
		w->status = SG_CP_WARNING;
	w->done = true;
	n = strlen(w->detail);
	snprintf(w->detail + n, sizeof(w->detail) - n, "%s%zu gate input%s "
	    "changed after %s read", n ? "; " : "", changed,
	    changed == 1 ? "" : "s", changed == 1 ? "it was" : "they were");
	return 0;
}
