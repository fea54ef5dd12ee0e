/* SPDX-License-Identifier: MIT */
/*
 * codegen.c - the generate stage's built-in generator: when
 * stages.generate.templates is set, render that template set over the
 * spec's data model (src/lib/generate, docs/templates.md) into
 * stages.generate.out before the stage's own commands run.  What it
 * writes is then committed on the feature branch and listed in
 * generated-files.json like anything the commands change
 * (featbranch.c).
 *
 * The model is built from the validation that preflight made, so the
 * generated tests are those of the spec the run checked.  A file of the
 * user's at a target path (no ownership header) is left alone and
 * logged as SG401; in compliance that fails the attempt, since the
 * tests the spec asks for could not be written.
 */
#include "run/run_int.h"

#include <string.h>

#include "run/run_work.h"
#include "specgate/generate.h"
#include "specgate/validate.h"

#define DEFAULT_OUT "tests/generated"

static bool
builtin(const char *t)
{
	for (size_t i = 0; sg_generate_builtin_sets[i]; i++)
		if (!strcmp(sg_generate_builtin_sets[i], t))
			return true;
	return false;
}

static char *
under_root(const struct sg_config *cfg, const char *p)
{
	if (p[0] == '/' || !strcmp(cfg->root_rel, "."))
		return sg_xstrdup(p);
	return sg_xasprintf("%s/%s", cfg->root_rel, p);
}

int
sg_run__generate(struct sg_run__ctx *c, struct sg_buf *log, bool *ok,
    char *why, size_t why_size, struct sg_error *err)
{
	const struct sg_stage_config *st = &c->cfg->stages[SG_STAGE_GENERATE];
	const struct sg_validation *v = c->out->validation;
	struct sg_generate_options o;
	struct sg_generate_result r;
	struct sg_error mine = SG_ERROR_INIT;
	char *set = NULL;
	char *out = NULL;
	int error = 0;
	int e;

	*ok = true;
	memset(&r, 0, sizeof(r));
	if (!st->templates)
		return 0;
	if (!v) {
		*ok = false;
		snprintf(why, why_size, "no validated spec to generate from");
		sg_buf_printf(log, "-- %s\n", why);
		return 0;
	}
	set = builtin(st->templates) ? sg_xstrdup(st->templates) :
	    under_root(c->cfg, st->templates);
	out = under_root(c->cfg, st->out ? st->out : DEFAULT_OUT);
	o.templates = set;
	o.out_dir = out;
	sg_buf_printf(log, "-- generate: template set %s into %s\n", set, out);
	e = sg_generate(&r, v, c->cfg->project, &o, &mine);
	if (e == SG_EIO) {
		error = sg_error_set(err, SG_EIO, "%s", mine.message);
		goto out;
	}
	if (e < 0) {
		*ok = false;
		snprintf(why, why_size, "generate: %.400s", mine.message);
		sg_buf_printf(log, "-- %s\n", why);
		goto out;
	}
	for (size_t i = 0; i < r.nfiles; i++) {
		static const char *const verb[] = {"wrote", "unchanged",
		    "kept (no specgate header: the user's) [SG401]", "removed"};

		sg_buf_printf(log, "--   %s %s\n", verb[r.files[i].action],
		    r.files[i].path);
	}
	sg_buf_printf(log, "-- generate: %zu written, %zu unchanged, %zu "
	    "removed, %zu kept\n", r.nwritten, r.nunchanged, r.nremoved,
	    r.nkept);
	if (r.nkept && c->cfg->mode == SG_MODE_COMPLIANCE) {
		*ok = false;
		snprintf(why, why_size, "generate: %zu file%s of the user's "
		    "stand where generated files go [SG401 user-file-kept]",
		    r.nkept, r.nkept == 1 ? "" : "s");
	}
out:
	sg_generate_result_release(&r);
	sg_error_release(&mine);
	free(set);
	free(out);
	return error;
}
