/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - process creation and the other raw calls of the pipeline
 * runner (sys/spawn.h).
 *
 * vfork() rather than posix_spawn(): the child needs setpgid(), chdir() and
 * a report of a failed chdir() through the same pipe as a failed exec, and
 * glibc's posix_spawn_file_actions_addchdir_np() is not portable.  Between
 * vfork() and execve() the child calls only async-signal-safe functions
 * that change nothing in the memory it shares with the parent (errno
 * aside, which the parent does not read before it sets it itself).
 *
 * vfork() and not fork(): fork() copies the page tables of a process that
 * maps some forty libraries, 0.6 to 1.4 ms per command on the benchmark
 * machine, against about 0.1 ms; a stage's command costs that each time.
 * The parent blocks every signal around vfork(), so that no handler of
 * the parent's can run in the child, on the shared memory, before the
 * child has reset every disposition; the child then unblocks them all.
 */
#include "sys/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

static int sigpipe_w = -1;
static int sigpipe_r = -1;
static struct sigaction saved[NCAUGHT];

void
sg_sys_close(int fd)
{
	int e = errno;

	if (fd >= 0)
		close(fd);
	errno = e;
}

int
sg_sys_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		sg_sys_close(fds[0]);
		sg_sys_close(fds[1]);
		return -1;
	}
	return 0;
}

ssize_t
sg_sys_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/* In the child: report errno through the pipe and die. */
static void
child_fail(int fd)
{
	int e = errno;
	ssize_t r;

	do
		r = write(fd, &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	_exit(127);
}

static void
child(int notify, const char *cmd, const char *cwd, char *const *envp,
    int out_fd, int err_fd)
{
	char *argv[] = {"sh", "-c", (char *)cmd, NULL};
	struct sigaction sa;
	sigset_t all;
	int null;

	setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if ((null = open("/dev/null", O_RDONLY)) < 0 ||
	    dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		child_fail(notify);
	if (cwd && chdir(cwd) < 0)
		child_fail(notify);
	execve("/bin/sh", argv, envp ? envp : environ);
	child_fail(notify);
}

int
sg_sys_spawn_shell(pid_t *out_pid, int *exec_failed, const char *cmd,
    const char *cwd, char *const *envp, int out_fd, int err_fd)
{
	struct sg_sys_exit ex;
	sigset_t all;
	sigset_t old;
	int p[2];
	int child_errno = 0;
	int e;
	ssize_t r;
	pid_t pid;

	*exec_failed = 0;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0)
		child(p[1], cmd, cwd, envp, out_fd, err_fd);
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		sg_sys_close(p[0]);
		sg_sys_close(p[1]);
		errno = e;
		return -1;
	}
	/* Both sides set the group, so that it exists whoever runs first. */
	setpgid(pid, pid);
	sg_sys_close(p[1]);
	r = sg_sys_read(p[0], &child_errno, sizeof(child_errno));
	sg_sys_close(p[0]);
	if (r == (ssize_t)sizeof(child_errno)) {
		sg_sys_wait(&ex, pid, 0);
		*exec_failed = 1;
		errno = child_errno;
		return -1;
	}
	*out_pid = pid;
	return 0;
}

int
sg_sys_poll_in(const int *fds, short *revents, size_t n, int timeout_ms)
{
	struct pollfd pfd[8];
	int r;

	if (n > 8) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	r = poll(pfd, n, timeout_ms);
	if (r < 0 && errno == EINTR)
		r = 0;
	for (size_t i = 0; i < n; i++)
		revents[i] = r > 0 ? pfd[i].revents : 0;
	return r;
}

int
sg_sys_wait(struct sg_sys_exit *out, pid_t pid, int nohang)
{
	struct rusage ru;
	int status;
	pid_t r;

	do
		r = wait4(pid, &status, nohang ? WNOHANG : 0, &ru);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return r < 0 ? -1 : 0;
	memset(out, 0, sizeof(*out));
	if (WIFEXITED(status)) {
		out->exit_code = WEXITSTATUS(status);
	} else {
		out->exit_code = -1;
		out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
	out->user_us = (uint64_t)ru.ru_utime.tv_sec * 1000000 +
	    (uint64_t)ru.ru_utime.tv_usec;
	out->sys_us = (uint64_t)ru.ru_stime.tv_sec * 1000000 +
	    (uint64_t)ru.ru_stime.tv_usec;
	out->maxrss_kb = (uint64_t)ru.ru_maxrss;
	return 1;
}

int
sg_sys_kill_group(pid_t pgid, int sig)
{
	if (kill(-pgid, sig) < 0 && errno != ESRCH)
		return -1;
	return 0;
}

int
sg_sys_group_alive(pid_t pgid)
{
	return kill(-pgid, 0) == 0 || errno == EPERM;
}

uint64_t
sg_sys_monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
sg_sys_monotonic_ms(void)
{
	return sg_sys_monotonic_us() / 1000;
}

static void
on_signal(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;

	if (write(sigpipe_w, &c, 1) < 0) {
		/* full pipe: a signal is already pending, which is enough */
	}
	errno = e;
}

int
sg_sys_sigpipe_open(int *out_fd)
{
	struct sigaction sa;
	int p[2];

	if (sigpipe_r >= 0) {
		*out_fd = sigpipe_r;
		return 0;
	}
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	sigpipe_r = p[0];
	sigpipe_w = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &sa, &saved[i]);
	*out_fd = sigpipe_r;
	return 0;
}

void
sg_sys_sigpipe_close(void)
{
	if (sigpipe_r < 0)
		return;
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &saved[i], NULL);
	sg_sys_close(sigpipe_r);
	sg_sys_close(sigpipe_w);
	sigpipe_r = sigpipe_w = -1;
}

int
sg_sys_sigpipe_read(int fd)
{
	unsigned char c[16];
	int sig = 0;
	ssize_t r;

	while ((r = sg_sys_read(fd, c, sizeof(c))) > 0)
		sig = c[r - 1];
	return sig;
}

const char *
sg_sys_signal_name(int sig)
{
	const char *s = sigabbrev_np(sig);

	return s ? s : "?";
}

int
sg_sys_glob(const char *root, const char *pattern,
    void (*cb)(const char *match, void *payload), void *payload)
{
	char full[4096];
	size_t skip;
	glob_t g;
	int r;

	if (!strcmp(root, ".")) {
		snprintf(full, sizeof(full), "%s", pattern);
		skip = 0;
	} else {
		snprintf(full, sizeof(full), "%s/%s", root, pattern);
		skip = strlen(root) + 1;
	}
	r = glob(full, GLOB_ERR, NULL, &g);
	if (r == GLOB_NOMATCH)
		return 0;
	if (r) {
		errno = r == GLOB_NOSPACE ? ENOMEM : EIO;
		return -1;
	}
	for (size_t i = 0; i < g.gl_pathc; i++)
		cb(g.gl_pathv[i] + skip, payload);
	r = (int)g.gl_pathc;
	globfree(&g);
	return r;
}
