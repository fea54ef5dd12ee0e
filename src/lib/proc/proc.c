/* SPDX-License-Identifier: MIT */
/*
 * proc.c - running one command to its end (specgate/proc.h).
 *
 * One loop, three inputs (the command's stdout, its stderr, the cancel
 * self-pipe) and deadlines on the monotonic clock, recomputed every turn:
 *
 *	state		event		action
 *	RUNNING		output		redact, pass on
 *	RUNNING		timeout		TERM the group -> TERMED
 *	RUNNING		cancel byte	TERM the group -> TERMED
 *	TERMED		kill deadline	KILL the group -> KILLED
 *	TERMED		group empty	-> KILLED (nothing to do)
 *	any		every turn	wait4(WNOHANG): ended?
 *
 * A command that was sent TERM is only over when its whole group is gone:
 * a child that ignores TERM outlives the shell, and gets KILL at the kill
 * deadline.
 *
 * Exits are found by polling wait4() rather than by SIGCHLD, so that the
 * library installs no handler of its own while a command runs: after both
 * pipes reach EOF (the usual sign of an exit) it looks every 1 ms (50
 * times, then 2, 4... ms apart), and every 100 ms while a pipe is open.
 *
 * The turn's poll timeout is the nearest of: the active deadline, the
 * next tick (1 s), and the next look for an exit.  After the shell exits
 * the pipes get 200 ms to drain (a background child may hold them), then
 * the loop ends.
 */
#include "specgate/proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sys/spawn.h"
#include "util/util.h"

#define TICK_MS 1000
#define CHILD_CHECK_MS 100
#define DRAIN_MS 200

enum pstate { P_RUNNING, P_TERMED, P_KILLED };

struct loop {
	const struct sg_proc_options *o;
	struct sg_proc_result *r;
	int fds[3]; /* the output pipes (1, 2), the cancel fd or -1 */
	struct sg_redact_stream rs[2];
	pid_t pid;
	enum pstate state;
	bool exited;
	uint64_t start_ms;
	uint64_t kill_at; /* 0: none */
	uint64_t drain_until;
	uint64_t next_tick;
	int cur_stream;
	uint64_t backoff; /* ms between looks for an exit after EOF */
	unsigned looks;	  /* looks so far */
	uint64_t start_us;
};

uint64_t
sg_proc_now_ms(void)
{
	return sg_sys_monotonic_ms();
}

const char *
sg_proc_signal_name(int sig)
{
	return sg_sys_signal_name(sig);
}

bool
sg_proc_result_ok(const struct sg_proc_result *r)
{
	return !r->exec_failed && !r->timed_out && !r->cancelled &&
	    r->exit_code == 0;
}

const char *
sg_proc_result_describe(char *buf, size_t size,
    const struct sg_proc_result *r, uint64_t timeout_ms)
{
	if (r->exec_failed)
		snprintf(buf, size, "could not start /bin/sh: %s",
		    strerror(r->spawn_errno));
	else if (r->timed_out)
		snprintf(buf, size, "timed out after %llu ms (TERM%s)",
		    (unsigned long long)timeout_ms,
		    r->killed ? ", then KILL" : "");
	else if (r->cancelled)
		snprintf(buf, size, "cancelled (%s)",
		    sg_sys_signal_name(r->cancel_signal));
	else if (r->signal)
		snprintf(buf, size, "killed by signal %s",
		    sg_sys_signal_name(r->signal));
	else if (r->exit_code == 127)
		snprintf(buf, size, "exit 127 (command not found)");
	else if (r->exit_code == 126)
		snprintf(buf, size, "exit 126 (command not executable)");
	else
		snprintf(buf, size, "exit %d", r->exit_code);
	return buf;
}

static void
emit(const char *data, size_t len, void *payload)
{
	struct loop *l = payload;

	if (l->o->output)
		l->o->output(l->cur_stream, data, len, l->o->payload);
}

static void
pass_on(struct loop *l, int i, const char *data, size_t len)
{
	l->cur_stream = i + 1;
	sg_redact_feed(l->o->redact, &l->rs[i], data, len, emit, l);
}

static void
close_stream(struct loop *l, int i)
{
	l->cur_stream = i + 1;
	sg_redact_flush(l->o->redact, &l->rs[i], emit, l);
	sg_sys_close(l->fds[i]);
	l->fds[i] = -1;
}

/* Read what is there on stream i; EOF closes it. */
static void
drain(struct loop *l, int i)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = sg_sys_read(l->fds[i], buf, sizeof(buf));
		if (n > 0) {
			pass_on(l, i, buf, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		close_stream(l, i);
		return;
	}
}

static void
terminate(struct loop *l, uint64_t now)
{
	sg_sys_kill_group(l->pid, SIGTERM);
	/* A stopped process cannot die of TERM until it is continued. */
	sg_sys_kill_group(l->pid, SIGCONT);
	l->state = P_TERMED;
	l->kill_at = now + (l->o->grace_ms ? l->o->grace_ms : SG_PROC_GRACE_MS);
}

/* The events whose time has come, then the next turn's poll timeout. */
static int
on_time(struct loop *l, uint64_t now)
{
	uint64_t next = l->next_tick;

	if (l->state == P_RUNNING && l->o->timeout_ms &&
	    now >= l->start_ms + l->o->timeout_ms) {
		l->r->timed_out = true;
		terminate(l, now);
	}
	if (l->state == P_TERMED && now >= l->kill_at) {
		sg_sys_kill_group(l->pid, SIGKILL);
		l->r->killed = true;
		l->state = P_KILLED;
	}
	if (now >= l->next_tick) {
		if (l->o->tick)
			l->o->tick(now - l->start_ms, l->o->payload);
		l->next_tick = now + TICK_MS;
		next = l->next_tick;
	}
	if (l->state == P_RUNNING && l->o->timeout_ms &&
	    l->start_ms + l->o->timeout_ms < next)
		next = l->start_ms + l->o->timeout_ms;
	if (l->state == P_TERMED && l->kill_at < next)
		next = l->kill_at;
	if (l->exited && l->drain_until > now && l->drain_until < next)
		next = l->drain_until;
	if (l->exited && l->state == P_TERMED && now + CHILD_CHECK_MS < next)
		next = now + CHILD_CHECK_MS;
	if (!l->exited && l->fds[0] < 0 && l->fds[1] < 0) {
		/* Both pipes closed: the shell is exiting; look again soon. */
		if (now + l->backoff < next)
			next = now + l->backoff;
		/* 1 ms looks for the first 50, then slower and slower. */
		if (++l->looks > 50 && l->backoff < CHILD_CHECK_MS)
			l->backoff *= 2;
	} else if (!l->exited && now + CHILD_CHECK_MS < next) {
		next = now + CHILD_CHECK_MS;
	}
	return next > now ? (int)(next - now) : 0;
}

static void
on_cancel(struct loop *l, uint64_t now)
{
	int sig = sg_sys_sigpipe_read(l->fds[2]);

	if (!sig)
		return;
	/* Remembered even during a timeout's grace: the run must stop. */
	l->r->cancelled = true;
	l->r->cancel_signal = sig;
	if (l->state == P_RUNNING)
		terminate(l, now);
}

static void
reap(struct loop *l, uint64_t now)
{
	struct sg_sys_exit ex;

	if (l->exited || sg_sys_wait(&ex, l->pid, 1) != 1)
		return;
	l->exited = true;
	l->drain_until = now + DRAIN_MS;
	l->r->exit_code = ex.exit_code;
	l->r->signal = ex.signal;
	l->r->user_us = ex.user_us;
	l->r->sys_us = ex.sys_us;
	l->r->maxrss_kb = ex.maxrss_kb;
}

static int
loop_run(struct loop *l, struct sg_error *err)
{
	short rev[3];
	uint64_t now;
	int timeout;

	for (;;) {
		now = sg_sys_monotonic_ms();
		reap(l, now);
		if (l->exited && l->state == P_TERMED &&
		    !sg_sys_group_alive(l->pid))
			l->state = P_KILLED; /* nobody left to kill */
		if (l->exited && l->state != P_TERMED &&
		    ((l->fds[0] < 0 && l->fds[1] < 0) || now >= l->drain_until))
			return 0;
		timeout = on_time(l, now);
		if (sg_sys_poll_in(l->fds, rev, 3, timeout) < 0)
			return sg_error_set_errno(err, SG_EIO, errno,
			    "cannot poll the output of '%s'", l->o->command);
		for (int i = 0; i < 2; i++)
			if (l->fds[i] >= 0 && rev[i])
				drain(l, i);
		if (l->fds[2] >= 0 && rev[2])
			on_cancel(l, sg_sys_monotonic_ms());
	}
}

int
sg_proc_run(struct sg_proc_result *out, const struct sg_proc_options *opts,
    struct sg_error *err)
{
	struct loop l;
	int po[2] = {-1, -1};
	int pe[2] = {-1, -1};
	int failed = 0;
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->exit_code = -1;
	if (opts->version != SG_PROC_OPTIONS_VERSION)
		SG_BUG("struct sg_proc_options of an unknown version");
	if (!opts->command)
		return sg_error_set(err, SG_EINVAL, "no command to run");
	memset(&l, 0, sizeof(l));
	l.o = opts;
	l.r = out;
	if (sg_sys_pipe(po) < 0 || sg_sys_pipe(pe) < 0) {
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot make a pipe for '%s'", opts->command);
		goto out;
	}
	l.backoff = 1;
	l.start_us = sg_sys_monotonic_us();
	l.start_ms = l.start_us / 1000;
	l.next_tick = l.start_ms + TICK_MS;
	if (sg_sys_spawn_shell(&l.pid, &failed, opts->command, opts->cwd,
		opts->env, po[1], pe[1]) < 0) {
		if (failed) {
			out->exec_failed = true;
			out->spawn_errno = errno;
		} else {
			error = sg_error_set_errno(err, SG_EIO, errno,
			    "cannot start '%s'", opts->command);
		}
		goto out;
	}
	sg_sys_close(po[1]);
	sg_sys_close(pe[1]);
	po[1] = pe[1] = -1;
	l.fds[0] = po[0];
	l.fds[1] = pe[0];
	l.fds[2] = opts->cancel_fd;
	po[0] = pe[0] = -1;
	if ((error = loop_run(&l, err)) < 0) {
		sg_sys_kill_group(l.pid, SIGKILL);
		sg_sys_wait(&(struct sg_sys_exit){0}, l.pid, 0);
	}
	for (int i = 0; i < 2; i++)
		if (l.fds[i] >= 0)
			close_stream(&l, i);
out:
	out->wall_us = l.start_us ? sg_sys_monotonic_us() - l.start_us : 0;
	sg_sys_close(po[0]);
	sg_sys_close(po[1]);
	sg_sys_close(pe[0]);
	sg_sys_close(pe[1]);
	return error;
}

int
sg_proc_sleep(uint64_t ms, int cancel_fd)
{
	uint64_t until = sg_sys_monotonic_ms() + ms;
	uint64_t now;
	short rev;
	int sig;

	do {
		now = sg_sys_monotonic_ms();
		if (cancel_fd < 0) {
			if (now < until)
				sg_sys_poll_in(NULL, NULL, 0,
				    (int)(until - now));
			continue;
		}
		if (sg_sys_poll_in(&cancel_fd, &rev, 1,
			now < until ? (int)(until - now) : 0) > 0 &&
		    (sig = sg_sys_sigpipe_read(cancel_fd)))
			return sig;
	} while (sg_sys_monotonic_ms() < until);
	return 0;
}

int
sg_proc_cancel_open(int *out_fd, struct sg_error *err)
{
	if (sg_sys_sigpipe_open(out_fd) < 0)
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot catch signals");
	return 0;
}

void
sg_proc_cancel_close(void)
{
	sg_sys_sigpipe_close();
}
