/* SPDX-License-Identifier: MIT */
/*
 * cmd_render.c - `specgate render TEMPLATE --data FILE.json [--partials
 * DIR]`: render one Mustache template against a JSON document and print
 * the text, so that users can debug their templates with the engine the
 * generator uses (src/lib/template).
 *
 * The engine does no I/O; this file is its loader: {{>name}} and
 * {{<name}} read DIR/name.mustache (DIR defaults to the template's
 * directory).  A name is a relative path: empty, "." and ".." components
 * and absolute names are refused (exit 2), so neither a template nor a
 * dynamic name taken from the data ({{>*name}}) reaches outside DIR.  A
 * partial that does not exist renders as the empty string, as the spec
 * says, with a warning (unless -q) because that is usually a typo.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "specgate/template.h"
#include "sys/fs.h"

#define RENDER_MAX_TEMPLATE (16u << 20) /* a template or a partial */
#define RENDER_MAX_DATA (64u << 20)     /* the --data document */

struct loader {
	const char *dir;
	bool warn;
};

/* Is name a relative path with no empty, "." or ".." component? */
static bool
safe_name(const char *name)
{
	const char *p = name;

	if (!*p || *p == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/')
			p++;
		if (!*p && p[-1] == '/')
			return false;
	}
	return true;
}

static int
load_partial(void *arg, const char *name, struct sg_template_source *out,
	     struct sg_error *err)
{
	struct loader *l = arg;
	struct sg_buf b;
	char *path;
	int error;

	if (!safe_name(name))
		return sg_error_set(
		    err, SG_EINVAL,
		    "partial name '%s' is refused: it must be a relative "
		    "path under '%s' without '.' or '..' components",
		    name, l->dir);
	path = sg_xasprintf("%s/%s.mustache", l->dir, name);
	sg_buf_init(&b, 0);
	error = sg_fs_read_file(&b, path, RENDER_MAX_TEMPLATE, err);
	if (error == SG_ENOTFOUND) {
		if (l->warn)
			cli_warnf("no partial '%s' (%s): it renders as nothing",
				  name, path);
		free(path);
		sg_buf_release(&b);
		return SG_ENOTFOUND;
	}
	if (error < 0) {
		free(path);
		sg_buf_release(&b);
		return error;
	}
	out->text = sg_buf_detach(&b, &out->len);
	out->where = path;
	return 0;
}

static int
load_data(json_t **out, const char *path, struct sg_error *err)
{
	struct sg_buf b;
	json_error_t jerr;
	int error;

	sg_buf_init(&b, 0);
	if ((error = sg_fs_read_file(&b, path, RENDER_MAX_DATA, err)) < 0)
		goto out;
	*out = json_loadb(
	    b.ptr, b.len,
	    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!*out)
		error =
		    sg_error_set_at(err, SG_EINVAL, path,
				    jerr.line > 0 ? (unsigned)jerr.line : 0,
				    jerr.column > 0 ? (unsigned)jerr.column : 0,
				    "invalid JSON: %s", jerr.text);
out:
	sg_buf_release(&b);
	return error;
}

/* The directory of path ("." when it has none), allocated. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return sg_xstrdup(".");
	if (slash == path)
		return sg_xstrdup("/");
	return sg_xstrndup(path, (size_t)(slash - path));
}

static int
render_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"data", required_argument, NULL, 'd'},
	    {"partials", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	struct sg_template_options opts = SG_TEMPLATE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_template *t = NULL;
	struct loader l = {NULL, true};
	struct sg_buf src;
	const char *data_path = NULL;
	const char *partials = NULL;
	const char *path;
	char *dir = NULL;
	json_t *data = NULL;
	char *out = NULL;
	size_t len = 0;
	int code = EXIT_OK;
	int ch;
	int rc;

	sg_buf_init(&src, 0);
	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'd') {
			data_path = optarg;
			continue;
		}
		if (ch == 'p') {
			partials = optarg;
			continue;
		}
		if ((rc = cli_common_opt(cli, &cli_cmd_render, ch, optarg)) >=
		    0) {
			code = rc;
			goto out;
		}
	}
	if (argc - optind != 1 || !data_path) {
		code = cli_usage(&cli_cmd_render);
		goto out;
	}
	path = argv[optind];
	if (partials && !sg_fs_is_dir(partials)) {
		cli_errorf("'%s' is not a directory", partials);
		code = EXIT_USAGE;
		goto out;
	}
	dir = partials ? sg_xstrdup(partials) : dir_of(path);
	l.dir = dir;
	l.warn = cli->verbosity >= 0;
	opts.loader = load_partial;
	opts.loader_arg = &l;
	if (sg_fs_read_file(&src, path, RENDER_MAX_TEMPLATE, &err) < 0 ||
	    sg_template_parse(&t, path, src.ptr, src.len, &err) < 0 ||
	    load_data(&data, data_path, &err) < 0 ||
	    sg_template_render(t, data, &opts, &out, &len, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	fwrite(out, 1, len, stdout);
	code = cli_finish_stdout(EXIT_OK);
out:
	free(out);
	free(dir);
	json_decref(data);
	sg_template_free(t);
	sg_buf_release(&src);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_render = {
    .name = "render",
    .usage = "render TEMPLATE --data FILE.json [--partials DIR]",
    .summary = "render a Mustache template with JSON data",
    .help = "Renders TEMPLATE (Mustache: the spec's interpolation,\n"
	    "sections, inverted sections, comments, partials, set\n"
	    "delimiters, inheritance and dynamic names; no lambdas) with\n"
	    "the JSON document FILE.json as its context and prints the\n"
	    "text on stdout.\n\n"
	    "  --data FILE.json   the context (any JSON value)\n"
	    "  --partials DIR     where {{>name}} and {{<name}} are read:\n"
	    "                     DIR/name.mustache (default: the\n"
	    "                     template's directory); a missing partial\n"
	    "                     renders as nothing, with a warning\n\n"
	    "Exit status: 0 rendered; 2 a template error (TEMPLATE:line:col),\n"
	    "invalid JSON (FILE:line:col), a refused partial name or a cap\n"
	    "(docs/limits.md); 5 a file could not be read.\n",
    .exec = render_exec,
};
