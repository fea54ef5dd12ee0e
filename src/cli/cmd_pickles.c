/* SPDX-License-Identifier: MIT */
/*
 * cmd_pickles.c - `specgate pickles FILE`: parse one .feature file and
 * print its pickles, or its parse errors, as Cucumber-messages NDJSON on
 * stdout, the format of Cucumber's conformance data.  It is the parser's
 * window for tests and for comparing with Cucumber's own tools.
 *
 * The lines are streamed, one pickle at a time, after a first pass that
 * measures the expansion against the caps (struct sg_pickle_limits): a file
 * whose Outlines would expand past one prints nothing on stdout and its
 * located error on stderr (exit 2), instead of hundreds of megabytes.  An
 * `# encoding:` header is honoured as validate honours it.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

#include "specgate/gherkin.h"
#include "sys/fs.h"

#define PICKLES_MAX_FILE (64u << 20)

static int
write_line(const char *data, size_t len, void *payload, struct sg_error *err)
{
	(void)payload;
	if (fwrite(data, 1, len, stdout) != len)
		return sg_error_set(err, SG_EIO, "cannot write to standard "
		    "output");
	return 0;
}

static int
pickles_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_buf data;
	struct sg_gh_document *doc = NULL;
	const char *path;
	const char *text;
	char *utf8 = NULL;
	size_t len;
	int ch;
	int rc;
	int code = EXIT_OK;

	sg_buf_init(&data, 0);
	while ((ch = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1) {
		rc = cli_common_opt(cli, &cli_cmd_pickles, ch, optarg);
		if (rc >= 0) {
			code = rc;
			goto out;
		}
	}
	if (argc - optind != 1) {
		code = cli_usage(&cli_cmd_pickles);
		goto out;
	}
	path = argv[optind];
	/*
	 * A file that cannot be read, or is not UTF-8, is bad input here
	 * (exit 2) whatever the cause: the parser never saw a document.
	 */
	if (sg_fs_read_file(&data, path, PICKLES_MAX_FILE, &err) < 0 ||
	    sg_gherkin_decode(&text, &len, &utf8, path, data.ptr, data.len,
		PICKLES_MAX_FILE, &err) < 0 ||
	    sg_gherkin_parse(&doc, path, text, len, NULL, &err) < 0) {
		cli_fail(&err);
		code = EXIT_USAGE;
		goto out;
	}
	if ((rc = sg_gherkin_write_ndjson(doc, NULL, write_line, NULL,
		 &err)) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (doc->nerrors)
		code = EXIT_USAGE;
out:
	free(utf8);
	sg_gherkin_document_free(doc);
	sg_buf_release(&data);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_pickles = {
	.name = "pickles",
	.usage = "pickles FILE",
	.summary = "print the pickles of a .feature file as NDJSON",
	.help = "Parses FILE as Gherkin and prints one Cucumber-messages line\n"
		"per pickle ({\"pickle\":...}), or one per parse error\n"
		"({\"parseError\":...}), with FILE as the uri.\n\n"
		"An '# encoding: NAME' header among the first comment lines is\n"
		"honoured (the text is converted to UTF-8).  A file whose\n"
		"pickles would exceed a cap (docs/limits.md) prints nothing.\n\n"
		"Exit status: 0 parsed, 2 parse errors (printed on stdout),\n"
		"or a file that cannot be read, is not UTF-8 or expands past\n"
		"a cap (on stderr).\n",
	.exec = pickles_exec,
};
