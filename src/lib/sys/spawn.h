/* SPDX-License-Identifier: MIT */
/*
 * spawn.h - the raw process calls of the pipeline runner (the policy is in
 * src/lib/proc/): spawn `/bin/sh -c CMD` in its own process group with an
 * exec-failure pipe, pipes, poll, wait4 with rusage, signals to a group,
 * the monotonic clock, and a self-pipe for SIGINT/SIGTERM.
 *
 * Like the rest of src/lib/sys/, each wrapper retries on EINTR, opens
 * every descriptor with O_CLOEXEC, and returns -1 with errno set on
 * failure.  The exec-failure pipe is musl's posix_spawn() trick: the child
 * writes errno to a CLOEXEC pipe when chdir() or execve() fails, so a
 * successful exec closes the pipe with nothing in it and the parent's read
 * returns 0; a failure returns the child's errno.  That tells "the program
 * could not be started" apart from "it started and exited 127".
 */
#ifndef SG_SYS_SPAWN_H
#define SG_SYS_SPAWN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What wait4() said about a child that ended. */
struct sg_sys_exit {
	int exit_code;	    /* WEXITSTATUS, or -1 when signalled */
	int signal;	    /* WTERMSIG, or 0 */
	uint64_t user_us;   /* user CPU, microseconds */
	uint64_t sys_us;    /* system CPU, microseconds */
	uint64_t maxrss_kb; /* peak resident set, KiB */
};

/*
 * Start `/bin/sh -c cmd` in directory cwd with environment envp (NULL: the
 * caller's), stdin from /dev/null, stdout to out_fd, stderr to err_fd, in
 * a new process group whose id is the child's pid.  Signals the parent
 * catches are reset to their defaults in the child and its signal mask is
 * emptied.  Returns 0 and *out_pid; -1 with errno set when the process
 * could not be created or the exec (or chdir) failed in the child, in
 * which case *exec_failed is 1 and the child has been reaped.
 */
int sg_sys_spawn_shell(pid_t *out_pid, int *exec_failed, const char *cmd,
    const char *cwd, char *const *envp, int out_fd, int err_fd);

/* pipe2(O_CLOEXEC); the read end (fds[0]) is made non-blocking. */
int sg_sys_pipe(int fds[2]);

/* close(2), keeping errno.  fd < 0 is a no-op. */
void sg_sys_close(int fd);

/* read(2), retried on EINTR. */
ssize_t sg_sys_read(int fd, void *buf, size_t n);

/*
 * poll(2) on n descriptors (events POLLIN): revents[i] gets each one's
 * events.  EINTR counts as "nothing ready" (returns 0), so that the
 * caller recomputes its deadlines and tries again.
 */
int sg_sys_poll_in(const int *fds, short *revents, size_t n, int timeout_ms);

/*
 * wait4(2) for pid.  Returns 1 and *out when it ended, 0 when it is still
 * running (nohang), -1 on error.
 */
int sg_sys_wait(struct sg_sys_exit *out, pid_t pid, int nohang);

/* kill(-pgid, sig): every process of the group.  ESRCH is not an error. */
int sg_sys_kill_group(pid_t pgid, int sig);

/* true while a process of group pgid exists (kill(-pgid, 0)). */
int sg_sys_group_alive(pid_t pgid);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t sg_sys_monotonic_ms(void);

/* CLOCK_MONOTONIC in microseconds. */
uint64_t sg_sys_monotonic_us(void);

/*
 * The cancel self-pipe: catch SIGINT and SIGTERM (and SIGHUP) with a
 * handler that writes the signal's number to a non-blocking pipe, whose
 * read end is returned in *out_fd.  Once per process; undone by
 * sg_sys_sigpipe_close(), which restores the previous handlers.
 */
int sg_sys_sigpipe_open(int *out_fd);
void sg_sys_sigpipe_close(void);

/* The last signal number written to the self-pipe (drains it), or 0. */
int sg_sys_sigpipe_read(int fd);

/* The signal's name without "SIG" ("TERM", "KILL"), never NULL. */
const char *sg_sys_signal_name(int sig);

/*
 * glob(3) `pattern` relative to directory `root`: each match, relative to
 * root, is passed to cb.  Returns the number of matches (0: none), or -1
 * with errno set (ENOMEM, an unreadable directory).
 */
int sg_sys_glob(const char *root, const char *pattern,
    void (*cb)(const char *match, void *payload), void *payload);

#endif /* SG_SYS_SPAWN_H */
