/* SPDX-License-Identifier: MIT */
/*
 * passphrase.c - where a key's passphrase comes from: SPECGATE_KEY_PASSWORD
 * when it is set (CI), else the controlling terminal, read with echo off
 * (twice when a new key is made).  The passphrase is never echoed, logged
 * or stored; every copy is wiped (sg_secret_free) once the key is written
 * or loaded.
 *
 * The terminal is /dev/tty, not stdin, so that `specgate sign FILE <data`
 * still asks the person; with no terminal and no variable there is nobody
 * to ask, which is exit 2 with a message saying what to set.  The CLI may
 * call POSIX directly (HACKING.md: only the core is confined to
 * src/lib/sys/).
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "specgate/sign.h"

#include "passphrase.h"

#define PASS_MAX 1024

/*
 * The terminal's settings while echo is off, so that a signal (^C, ^Z,
 * a kill) puts them back before the default action: a shell left without
 * echo is the classic bug of passphrase prompts.
 */
static volatile sig_atomic_t tty_saved;
static int tty_fd = -1;
static struct termios tty_old;

static void
restore_and_reraise(int sig)
{
	if (tty_saved)
		tcsetattr(tty_fd, TCSANOW, &tty_old);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
catch_signals(bool on)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGTSTP};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? restore_and_reraise : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * Read one line from the terminal fd with echo off into buf (NUL-ended).
 * Echo goes off before the prompt is shown, and comes back without a
 * flush: a line typed as soon as the prompt appears (a fast typist, a
 * script on a pty) is read, never discarded by TCSAFLUSH in between.
 */
static int
read_hidden(int fd, const char *prompt, char *buf, size_t size)
{
	struct termios old;
	struct termios quiet;
	size_t n = 0;
	ssize_t r;
	char c;
	int rc = 0;

	if (tcgetattr(fd, &old) < 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	tty_fd = fd;
	tty_old = old;
	tty_saved = 1;
	catch_signals(true);
	if (tcsetattr(fd, TCSANOW, &quiet) < 0 ||
	    write(fd, prompt, strlen(prompt)) < 0) {
		tcsetattr(fd, TCSANOW, &old);
		catch_signals(false);
		tty_saved = 0;
		return -1;
	}
	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	if (r < 0)
		rc = -1;
	tcsetattr(fd, TCSANOW, &old);
	tty_saved = 0;
	catch_signals(false);
	if (write(fd, "\n", 1) < 0)
		rc = -1;
	return rc;
}

int
cli_passphrase(char **out, size_t *len, bool twice, const char *what)
{
	const char *env = getenv("SPECGATE_KEY_PASSWORD");
	char *a = NULL;
	char *b = NULL;
	char *prompt;
	int fd = -1;
	int rc = EXIT_USAGE;

	*out = NULL;
	*len = 0;
	if (env && *env) {
		*out = strdup(env);
		if (!*out)
			abort();
		*len = strlen(env);
		return EXIT_OK;
	}
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || !isatty(fd)) {
		cli_errorf("a passphrase is needed for '%s': set "
			   "SPECGATE_KEY_PASSWORD or run on a terminal%s",
		    what, twice ? " (--no-password for a throwaway key)" : "");
		goto out;
	}
	a = calloc(1, PASS_MAX);
	b = calloc(1, PASS_MAX);
	if (!a || !b)
		abort();
	prompt = twice ? "New passphrase: " : "Passphrase: ";
	if (read_hidden(fd, prompt, a, PASS_MAX) < 0 ||
	    (twice && read_hidden(fd, "Repeat it: ", b, PASS_MAX) < 0)) {
		cli_errorf("cannot read the passphrase from the terminal: %s",
		    strerror(errno));
		rc = EXIT_SYSTEM;
		goto out;
	}
	if (!*a) {
		cli_errorf("the passphrase is empty");
		goto out;
	}
	if (twice && strcmp(a, b)) {
		cli_errorf("the passphrases do not match");
		goto out;
	}
	*len = strlen(a);
	*out = a;
	a = NULL;
	rc = EXIT_OK;
out:
	sg_secret_free(a, PASS_MAX);
	sg_secret_free(b, PASS_MAX);
	if (fd >= 0)
		close(fd);
	return rc;
}
