/* SPDX-License-Identifier: MIT */
/*
 * cmd_fix_whitespace.c - `specgate fix-whitespace [PATH...]`: the built-in
 * whitespace fixer (fix.h), meant for a stage's `fix:` list.
 *
 * PATHs are files or directories (walked, dot-directories skipped).
 * Without PATH the files git tracks below the current directory are fixed:
 * the sources, never build output or a reports directory whose signed
 * files must not change by a byte.  Outside a git repository a PATH is
 * then required.
 *
 * Prints the path of each file rewritten (with -v also "clean", "binary"
 * and "skipped" ones); --json prints {"fixed": [...], "binary": [...],
 * "checked": N}.  Exit 0 whether or not anything changed.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/branch.h"
#include "specgate/fix.h"
#include "sys/fs.h"

struct fix_out {
	const struct cli *cli;
	struct sg_strlist fixed; /* for --json; borrowed vec of copies */
	struct sg_strlist binary;
	size_t checked;
};

static void
push(struct sg_strlist *l, const char *s)
{
	l->items = sg_xreallocarray(l->items, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = sg_xstrdup(s);
}

static void
strlist_release(struct sg_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
}

static void
on_file(const char *path, enum sg_fix_result r, void *payload)
{
	static const char *const names[] = {
		[SG_FIX_CLEAN] = "clean",
		[SG_FIX_FIXED] = "fixed",
		[SG_FIX_BINARY] = "binary",
		[SG_FIX_SKIPPED] = "skipped",
	};
	struct fix_out *o = payload;

	o->checked++;
	if (o->cli->json) {
		if (r == SG_FIX_FIXED)
			push(&o->fixed, path);
		else if (r == SG_FIX_BINARY)
			push(&o->binary, path);
	} else if (r == SG_FIX_FIXED) {
		printf("%s\n", path);
	} else if (o->cli->verbosity > 0) {
		printf("%s: %s\n", path, names[r]);
	}
}

static void
print_list(const char *key, const struct sg_strlist *l, bool first)
{
	printf("%s\"%s\": [", first ? "" : ", ", key);
	for (size_t i = 0; i < l->n; i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, l->items[i]);
	}
	printf("]");
}

/* The tracked files: fix the regular ones, skip what is gone or a gitlink. */
static int
fix_tracked(struct fix_out *o, struct sg_error *err)
{
	struct sg_fs_stat st;
	char **paths = NULL;
	size_t n;
	int error;

	if ((error = sg_branch_tracked_files(&paths, &n, ".", err)) < 0) {
		if (error == SG_ENOTFOUND) {
			sg_error_release(err);
			error = sg_error_set(err, SG_EINVAL,
			    "not in a git repository: name the files to fix");
		}
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (sg_fs_lstat(&st, paths[i], NULL) < 0 ||
		    st.type == SG_FS_DIR)
			continue;
		if ((error = sg_fix_whitespace_path(NULL, paths[i], on_file, o,
			 err)) < 0)
			goto out;
	}
out:
	sg_branch_paths_free(paths);
	return error;
}

static int
fix_whitespace_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct fix_out o = {cli, {NULL, 0}, {NULL, 0}, 0};
	int ch;
	int rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((rc = cli_common_opt(cli, &cli_cmd_fix_whitespace, ch,
			 optarg)) >= 0)
			return rc;
	if (optind == argc) {
		if (fix_tracked(&o, &err) < 0)
			goto fail;
	}
	for (int i = optind; i < argc; i++)
		if (sg_fix_whitespace_path(NULL, argv[i], on_file, &o, &err) <
		    0)
			goto fail;
	if (cli->json) {
		printf("{");
		print_list("fixed", &o.fixed, true);
		print_list("binary", &o.binary, false);
		printf(", \"checked\": %zu}\n", o.checked);
	}
	rc = EXIT_OK;
	goto out;
fail:
	rc = cli_fail(&err);
out:
	strlist_release(&o.fixed);
	strlist_release(&o.binary);
	sg_error_release(&err);
	return rc;
}

const struct cli_cmd cli_cmd_fix_whitespace = {
	.name = "fix-whitespace",
	.usage = "fix-whitespace [--json] [PATH...]",
	.summary = "remove trailing blanks, add missing final newlines",
	.help =
	    "Removes spaces and tabs at the end of lines and adds the newline\n"
	    "missing at the end of a file, rewriting only the files that\n"
	    "change (atomically, permission bits kept).  Files holding a NUL\n"
	    "byte are binary and left alone; symlinks are not followed.\n"
	    "PATHs are files or directories (walked; directories whose name\n"
	    "starts with '.' are skipped).  Without PATH: the files git\n"
	    "tracks below the current directory.  Prints each file changed\n"
	    "(-v: every file and what happened to it).  For a stage's fix\n"
	    "list: `fix: [\"specgate fix-whitespace\"]`.\n"
	    "\n"
	    "  --json   print {\"fixed\": [...], \"binary\": [...], "
	    "\"checked\": N}\n"
	    "\n"
	    "Exit status: 0 (whether or not a file changed), 2 a path that\n"
	    "does not exist, a file over 64 MiB, or no PATH outside a git\n"
	    "repository, 5 I/O error.\n",
	.exec = fix_whitespace_exec,
};
