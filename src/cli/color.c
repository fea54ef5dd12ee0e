/* SPDX-License-Identifier: MIT */
/*
 * color.c - colour for the words people scan for: "error", "warning" and
 * a stage's verdict, on a terminal only.
 *
 * The rules are the usual ones (no-color.org, git's color.ui): colour when
 * the stream is a terminal and TERM is not "dumb"; never when NO_COLOR is
 * set to anything non-empty; --color=always or --color=never (given before
 * or after the command) overrides both.  stdout and stderr are judged
 * apart, so `specgate validate | less` loses colour on the findings while
 * errors on the terminal keep it.  Only SGR sequences are written, and
 * only around a word, never across a line end.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int choice = -1; /* -1 auto, 0 never, 1 always */

int
cli_color_set(const char *when)
{
	if (!when || !strcmp(when, "always"))
		choice = 1;
	else if (!strcmp(when, "never"))
		choice = 0;
	else if (!strcmp(when, "auto"))
		choice = -1;
	else {
		cli_errorf("--color wants always, never or auto, not '%s'", when);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static bool
enabled(FILE *f)
{
	const char *no = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (choice >= 0)
		return choice == 1;
	if (no && no[0])
		return false;
	if (!term || !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}

const char *
cli_color(FILE *f, enum cli_color c)
{
	static const char *const sgr[] = {
		[CLI_COLOR_RESET] = "\033[m",
		[CLI_COLOR_ERROR] = "\033[1;31m",
		[CLI_COLOR_WARNING] = "\033[1;33m",
		[CLI_COLOR_OK] = "\033[32m",
	};

	return enabled(f) ? sgr[c] : "";
}

enum cli_color
cli_color_of_status(const char *status)
{
	if (!strcmp(status, "success") || !strcmp(status, "approved") ||
	    !strcmp(status, "pass"))
		return CLI_COLOR_OK;
	if (!strcmp(status, "warning") || !strcmp(status, "retry") ||
	    !strcmp(status, "awaiting_approval") ||
	    !strcmp(status, "missing") || !strcmp(status, "skipped"))
		return CLI_COLOR_WARNING;
	return CLI_COLOR_ERROR;
}
