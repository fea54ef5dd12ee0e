/* SPDX-License-Identifier: MIT */
/*
 * cmd_generate.c - `specgate generate [--templates DIR|SET] [--out DIR]
 * [--data] [PATH...]`: render a template set over the spec's data model
 * (docs/templates.md) into files that specgate owns, or print the model.
 *
 * The spec is validated first, as `specgate validate` does (a file that
 * cannot be checked stops us with exit 2; findings do not: a spec with a
 * missing resource tag still gets its tests), then the model is built and
 * the set rendered (src/lib/generate).  Every file written, removed or
 * left alone is printed; a target that is the user's (no ownership
 * header) is a finding, SG401 user-file-kept: a warning in sandbox, an
 * error in compliance (exit 1), never an overwrite.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/generate.h"
#include "specgate/validate.h"
#include "util/util.h"

#define DEFAULT_SET "c-cmocka"
#define DEFAULT_OUT "tests/generated"

/* A path from specgate.yaml is the root's; make it the cwd's. */
static char *
from_root(const struct sg_config *cfg, const char *p)
{
	if (p[0] == '/' || !strcmp(cfg->root_rel, "."))
		return sg_xstrdup(p);
	return sg_xasprintf("%s/%s", cfg->root_rel, p);
}

/* A set name stays a name; a directory is the root's. */
static char *
set_from_root(const struct sg_config *cfg, const char *t)
{
	for (size_t i = 0; sg_generate_builtin_sets[i]; i++)
		if (!strcmp(sg_generate_builtin_sets[i], t))
			return sg_xstrdup(t);
	return from_root(cfg, t);
}

static void
print_result(const struct cli *cli, const struct sg_generate_result *r,
    enum sg_mode mode, const char *feature_id)
{
	bool err = mode == SG_MODE_COMPLIANCE;

	for (size_t i = 0; i < r->nfiles; i++) {
		const struct sg_generated_file *f = &r->files[i];

		switch (f->action) {
		case SG_GEN_WRITTEN:
			if (cli->verbosity >= 0)
				printf("wrote %s\n", f->path);
			break;
		case SG_GEN_REMOVED:
			if (cli->verbosity >= 0)
				printf("removed %s\n", f->path);
			break;
		case SG_GEN_UNCHANGED:
			if (cli->verbosity > 0)
				printf("unchanged %s\n", f->path);
			break;
		case SG_GEN_KEPT:
			if (cli->verbosity >= 0 || err)
				printf("%s: %s%s%s: it has no specgate "
				       "header, so it is yours: left as it is, "
				       "not regenerated [SG401 user-file-kept]\n",
				    f->path, cli_color(stdout, err ?
				    CLI_COLOR_ERROR : CLI_COLOR_WARNING),
				    err ? "error" : "warning",
				    cli_color(stdout, CLI_COLOR_RESET));
			break;
		}
	}
	if (cli->verbosity >= 0)
		printf("%zu file%s: %zu written, %zu unchanged, %zu removed, "
		       "%zu kept (feature id %s)\n",
		    r->nfiles, r->nfiles == 1 ? "" : "s", r->nwritten,
		    r->nunchanged, r->nremoved, r->nkept, feature_id);
}

static int
generate_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"templates", required_argument, NULL, 't'},
		{"out", required_argument, NULL, 'o'},
		{"data", no_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	struct sg_validate_options vopts = SG_VALIDATE_OPTIONS_INIT;
	struct sg_generate_options gopts;
	struct sg_generate_result res;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_validation *v = NULL;
	struct sg_config *cfg = NULL;
	const struct sg_stage_config *st;
	const char *templates = NULL;
	const char *out_opt = NULL;
	char *set = NULL;
	char *out = NULL;
	json_t *model = NULL;
	char *text = NULL;
	bool data = false;
	size_t n;
	int code;
	int ch;

	memset(&res, 0, sizeof(res));
	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 't') {
			templates = optarg;
			continue;
		}
		if (ch == 'o') {
			out_opt = optarg;
			continue;
		}
		if (ch == 'd') {
			data = true;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_generate, ch,
			 optarg)) >= 0)
			return code;
	}
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		return code;
	st = &cfg->stages[SG_STAGE_GENERATE];
	set = templates ? sg_xstrdup(templates) : st->templates ?
	    set_from_root(cfg, st->templates) : sg_xstrdup(DEFAULT_SET);
	out = out_opt ? sg_xstrdup(out_opt) :
	    from_root(cfg, st->out ? st->out : DEFAULT_OUT);
	n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	if (!*out) {
		code = cli_usage(&cli_cmd_generate);
		goto out;
	}
	vopts.mode = cfg->mode;
	vopts.ranges = &cfg->policy[cfg->mode];
	if (optind < argc) {
		vopts.root = ".";
		vopts.paths = (const char *const *)argv + optind;
		vopts.npaths = (size_t)(argc - optind);
	} else {
		vopts.root = cfg->root_rel;
		vopts.paths = (const char *const *)cfg->features.items;
		vopts.npaths = cfg->features.n;
	}
	vopts.details = true;
	vopts.keep_going = false;
	if (sg_validate(&v, &vopts, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (data) {
		if (sg_generate_model(&model, v, cfg->project, &err) < 0) {
			code = cli_fail(&err);
			goto out;
		}
		text = json_dumps(model, JSON_INDENT(2) | JSON_SORT_KEYS);
		if (!text) {
			cli_errorf("cannot print the data model");
			code = EXIT_SYSTEM;
			goto out;
		}
		printf("%s\n", text);
		code = cli_finish_stdout(EXIT_OK);
		goto out;
	}
	gopts.templates = set;
	gopts.out_dir = out;
	if (sg_generate(&res, v, cfg->project, &gopts, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	print_result(cli, &res, cfg->mode, v->feature_id);
	code = res.nkept && cfg->mode == SG_MODE_COMPLIANCE ? EXIT_GATE :
	    EXIT_OK;
	code = cli_finish_stdout(code);
out:
	free(text);
	free(set);
	free(out);
	json_decref(model);
	sg_generate_result_release(&res);
	sg_validation_free(v);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_generate = {
	.name = "generate",
	.usage = "generate [--templates DIR|SET] [--out DIR] [--data] [PATH...]",
	.summary = "generate tests from the spec with Mustache templates",
	.help =
	    "Validates the spec under PATH (default: the features directories\n"
	    "of specgate.yaml), builds its data model (docs/templates.md) and\n"
	    "renders a template set into DIR: by default one test per scenario\n"
	    "and one pending step function per distinct step.\n"
	    "\n"
	    "Options:\n"
	    "  --templates SET|DIR  c-cmocka (default) or pytest, built in; or\n"
	    "                       a directory of project/, feature/ and\n"
	    "                       partials/ *.mustache files\n"
	    "                       (default: stages.generate.templates)\n"
	    "  --out DIR            where the files go (default:\n"
	    "                       stages.generate.out, else tests/generated)\n"
	    "  --data               print the data model (JSON) instead\n"
	    "\n"
	    "Every generated file carries the header 'generated by specgate\n"
	    "from feature id X; do not edit'.  A file at a target path without\n"
	    "it is yours: it is never overwritten (finding SG401, an error in\n"
	    "compliance).  Files with the header that the spec no longer\n"
	    "produces are removed.  A second run over the same spec writes\n"
	    "nothing.\n"
	    "\n"
	    "Exit status: 0 done; 1 a file of yours was kept (compliance); 2\n"
	    "bad input (a spec file that cannot be checked, a template error at\n"
	    "file:line:col, no such set); 5 system error.\n",
	.exec = generate_exec,
};
