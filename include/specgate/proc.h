/* SPDX-License-Identifier: MIT */
/*
 * proc.h - the process runner of the pipeline: one shell command at a time,
 * with a timeout, live output, secrets redacted, and what it cost.
 *
 * sg_proc_run() spawns `/bin/sh -c COMMAND` in a directory, in a process
 * group of its own, and drives it with one poll loop over its stdout, its
 * stderr and the cancel self-pipe, against absolute monotonic deadlines
 * recomputed on every turn:
 *
 *	deadline	the command's timeout: SIGTERM to the whole group
 *	kill deadline	deadline + grace: SIGKILL to the whole group
 *	cancel		a byte on cancel_fd (SIGINT/SIGTERM caught by
 *			sg_proc_cancel_open()): the same TERM, then KILL
 *
 * Output is passed through the redactor (sg_redact_*) before anybody sees
 * it, then to the output callback, in the order it arrived.  When the
 * shell has exited, its pipes are drained until EOF or for at most 200 ms
 * (a background child may hold them open: it is left running, since a
 * deploy step may start a service on purpose; a timeout or cancel kills
 * the whole group instead).  wait4() gives the exit status or signal and
 * the rusage of the shell and the children it waited for.
 *
 * The design is in docs/internals/proc.md.
 */
#ifndef SPECGATE_PROC_H
#define SPECGATE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/error.h"

/* The grace between SIGTERM and SIGKILL when none is given. */
#define SG_PROC_GRACE_MS 10000u

/*
 * Secrets to take out of output.  A redactor holds copies of the secret
 * values (wiped when freed); values shorter than SG_REDACT_MIN bytes are
 * ignored, since masking every "1" would make logs unreadable and hide
 * nothing.  Occurrences are replaced with SG_REDACT_MASK.
 */
#define SG_REDACT_MIN 4
#define SG_REDACT_MASK "[REDACTED]"

struct sg_redact;

/* A new redactor with no secrets.  Free with sg_redact_free(). */
struct sg_redact *sg_redact_new(void);
void sg_redact_free(struct sg_redact *r);

/* Add a secret value (copied).  Short or repeated values are ignored. */
void sg_redact_add(struct sg_redact *r, const char *value);

/* How many secrets r holds. */
size_t sg_redact_count(const struct sg_redact *r);

/*
 * true when an environment variable of this name holds a secret by its
 * name: it contains TOKEN, PASSWORD, SECRET or KEY (any case).
 */
bool sg_redact_name_is_secret(const char *name);

/*
 * The state of one output stream.  A secret may arrive split across two
 * reads: the stream holds back the longest tail that is still the start of
 * a secret, until the next bytes (or the flush) decide.  Zero it (or use
 * SG_REDACT_STREAM_INIT) before use; release with sg_redact_stream_release.
 */
struct sg_redact_stream {
	char *held;
	size_t nheld;
};

#define SG_REDACT_STREAM_INIT {NULL, 0}

typedef void (*sg_redact_emit_cb)(const char *data, size_t len,
    void *payload);

/* Feed len bytes of s; what is safe to show goes to emit. */
void sg_redact_feed(const struct sg_redact *r, struct sg_redact_stream *s,
    const char *data, size_t len, sg_redact_emit_cb emit, void *payload);

/* The stream ended: emit what was held back. */
void sg_redact_flush(const struct sg_redact *r, struct sg_redact_stream *s,
    sg_redact_emit_cb emit, void *payload);

void sg_redact_stream_release(struct sg_redact_stream *s);

/*
 * len bytes of text with every secret of r replaced by SG_REDACT_MASK, in
 * one piece (a command line, a detail): a new string, *outlen (may be
 * NULL) its length.  r may be NULL.
 */
char *sg_redact_text(const struct sg_redact *r, const char *text, size_t len,
    size_t *outlen);

/* How one command ended.  Times in microseconds, memory in KiB. */
struct sg_proc_result {
	int exit_code;	     /* 0-255, or -1 (signalled, not started) */
	int signal;	     /* the signal that ended it, or 0 */
	bool exec_failed;    /* /bin/sh could not be started (spawn_errno) */
	int spawn_errno;
	bool timed_out;	     /* killed for its timeout */
	bool cancelled;	     /* killed because a cancel signal came */
	int cancel_signal;   /* that signal (SIGINT, SIGTERM...) */
	bool killed;	     /* SIGKILL was needed after the grace period */
	uint64_t wall_us;
	uint64_t user_us;
	uint64_t sys_us;
	uint64_t maxrss_kb;
};

/* true when r is a success (exit 0). */
bool sg_proc_result_ok(const struct sg_proc_result *r);

/*
 * One line saying how it ended: "exit 0", "exit 127 (command not found)",
 * "killed by signal KILL", "timed out after 2s (TERM, then KILL)",
 * "cancelled (INT)", "could not start /bin/sh: ...".  Writes into buf.
 */
const char *sg_proc_result_describe(char *buf, size_t size,
    const struct sg_proc_result *r, uint64_t timeout_ms);

/* Output, already redacted: stream 1 is stdout, 2 stderr. */
typedef void (*sg_proc_output_cb)(int stream, const char *data, size_t len,
    void *payload);

/* About once a second while the command runs: elapsed since it started. */
typedef void (*sg_proc_tick_cb)(uint64_t elapsed_ms, void *payload);

#define SG_PROC_OPTIONS_VERSION 1

struct sg_proc_options {
	unsigned version;	   /* SG_PROC_OPTIONS_VERSION */
	const char *command;	   /* for /bin/sh -c */
	const char *cwd;	   /* NULL: the current directory */
	char *const *env;	   /* "K=V" array; NULL: inherit */
	uint64_t timeout_ms;	   /* 0: none */
	uint64_t grace_ms;	   /* TERM to KILL; 0: SG_PROC_GRACE_MS */
	const struct sg_redact *redact; /* may be NULL */
	int cancel_fd;		   /* -1: not cancellable */
	sg_proc_output_cb output;  /* may be NULL */
	sg_proc_tick_cb tick;	   /* may be NULL */
	void *payload;		   /* for both callbacks */
};

#define SG_PROC_OPTIONS_INIT                                                   \
	{SG_PROC_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, NULL, -1, NULL,      \
	    NULL, NULL}

/*
 * Run one command to its end (exit, timeout, or cancel).  Returns 0 with
 * *out (OUT) filled whenever the command was attempted, including when
 * /bin/sh could not be started (out->exec_failed); SG_EIO only when the
 * runner itself failed (no pipe, no fork, a poll error), after killing
 * what it had started.  SG_EINVAL for a NULL command.
 */
int sg_proc_run(struct sg_proc_result *out, const struct sg_proc_options *opts,
    struct sg_error *err);

/*
 * Wait ms milliseconds, or until a byte arrives on cancel_fd (-1: none),
 * whichever comes first: the retry interval.  Returns the signal number
 * that cancelled the wait, or 0 when the time ran out.  ms 0 only looks
 * whether a cancel is pending.
 */
int sg_proc_sleep(uint64_t ms, int cancel_fd);

/* A signal's name without "SIG" ("TERM", "INT"), never NULL. */
const char *sg_proc_signal_name(int sig);

/* The monotonic clock, in milliseconds. */
uint64_t sg_proc_now_ms(void);

/*
 * Catch SIGINT, SIGTERM and SIGHUP for the rest of a run: each writes its
 * number to a self-pipe whose read end is *out_fd (OUT), to pass as
 * cancel_fd.  sg_proc_cancel_close() restores the previous handlers.
 * Returns 0 or SG_EIO.
 */
int sg_proc_cancel_open(int *out_fd, struct sg_error *err);
void sg_proc_cancel_close(void);

#endif /* SPECGATE_PROC_H */
