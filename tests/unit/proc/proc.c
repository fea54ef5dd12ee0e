/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/proc/proc.c: exit codes and signals, output on
 * both streams, an exec failure reported through the CLOEXEC pipe, a
 * timeout that kills the group (TERM, then KILL), a cancel byte, rusage,
 * the environment, and the retry sleep cut short by a cancel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "specgate/proc.h"
#include "sys/spawn.h"
#include "util/util.h"

struct seen {
	struct sg_buf out;
	struct sg_buf err;
	unsigned ticks;
};

static void
on_output(int stream, const char *data, size_t len, void *payload)
{
	struct seen *s = payload;

	sg_buf_put(stream == 1 ? &s->out : &s->err, data, len);
}

static void
on_tick(uint64_t elapsed, void *payload)
{
	struct seen *s = payload;

	(void)elapsed;
	s->ticks++;
}

static int
run(struct sg_proc_result *r, struct seen *s, const char *cmd,
    uint64_t timeout_ms, const char *cwd, char *const *env)
{
	struct sg_proc_options o = SG_PROC_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	int error;

	sg_buf_init(&s->out, 0);
	sg_buf_init(&s->err, 0);
	s->ticks = 0;
	o.command = cmd;
	o.cwd = cwd;
	o.env = env;
	o.timeout_ms = timeout_ms;
	o.grace_ms = 200;
	o.output = on_output;
	o.tick = on_tick;
	o.payload = s;
	error = sg_proc_run(r, &o, &err);
	sg_error_release(&err);
	return error;
}

static void
seen_release(struct seen *s)
{
	sg_buf_release(&s->out);
	sg_buf_release(&s->err);
}

static void
proc_exit_and_output(void **state)
{
	struct sg_proc_result r;
	struct seen s;

	(void)state;
	assert_int_equal(run(&r, &s, "echo out; echo err >&2; exit 7", 0,
			     NULL, NULL), 0);
	assert_int_equal(r.exit_code, 7);
	assert_int_equal(r.signal, 0);
	assert_false(sg_proc_result_ok(&r));
	assert_string_equal(s.out.ptr, "out\n");
	assert_string_equal(s.err.ptr, "err\n");
	assert_true(r.wall_us > 0);
	seen_release(&s);
	assert_int_equal(run(&r, &s, "true", 0, NULL, NULL), 0);
	assert_true(sg_proc_result_ok(&r));
	seen_release(&s);
}

static void
proc_signal(void **state)
{
	struct sg_proc_result r;
	struct seen s;
	char how[128];

	(void)state;
	assert_int_equal(run(&r, &s, "kill -SEGV $$", 0, NULL, NULL), 0);
	assert_int_equal(r.exit_code, -1);
	assert_int_equal(r.signal, SIGSEGV);
	assert_string_equal(sg_proc_result_describe(how, sizeof(how), &r, 0),
	    "killed by signal SEGV");
	seen_release(&s);
}

static void
proc_exec_failure(void **state)
{
	struct sg_proc_result r;
	struct seen s;
	char how[128];

	(void)state;
	assert_int_equal(run(&r, &s, "true", 0, "/nonexistent/dir", NULL),
	    0);
	assert_true(r.exec_failed);
	assert_int_equal(r.spawn_errno, ENOENT);
	assert_false(sg_proc_result_ok(&r));
	sg_proc_result_describe(how, sizeof(how), &r, 0);
	assert_non_null(strstr(how, "could not start /bin/sh"));
	seen_release(&s);
	assert_int_equal(run(&r, &s, "no-such-program-here", 0, NULL, NULL),
	    0);
	assert_false(r.exec_failed);
	assert_int_equal(r.exit_code, 127);
	seen_release(&s);
}

static void
proc_timeout_kills_the_group(void **state)
{
	struct sg_proc_result r;
	struct seen s;
	long pgid;

	(void)state;
	assert_int_equal(run(&r, &s,
			     "echo $$; sh -c 'trap \"\" TERM; sleep 30' & "
			     "sleep 30",
			     300, NULL, NULL),
	    0);
	assert_true(r.timed_out);
	assert_true(r.killed);
	pgid = strtol(s.out.ptr, NULL, 10);
	assert_true(pgid > 1);
	/* The killed orphans are init's to reap: give it a moment. */
	for (int i = 0; i < 200 && sg_sys_group_alive((pid_t)pgid); i++)
		sg_proc_sleep(10, -1);
	assert_false(sg_sys_group_alive((pid_t)pgid));
	seen_release(&s);
}

static void
proc_env_and_ticks(void **state)
{
	char *env[] = {"ONLY=this", NULL};
	struct sg_proc_result r;
	struct seen s;

	(void)state;
	assert_int_equal(run(&r, &s, "echo $ONLY; sleep 1.2", 0, "/", env),
	    0);
	assert_string_equal(s.out.ptr, "this\n");
	assert_true(s.ticks >= 1);
	seen_release(&s);
}

static void
proc_rusage(void **state)
{
	struct sg_proc_result r;
	struct seen s;

	(void)state;
	assert_int_equal(run(&r, &s,
			     "head -c 30000000 /dev/zero | cksum >/dev/null",
			     0, NULL, NULL),
	    0);
	assert_true(sg_proc_result_ok(&r));
	assert_true(r.user_us + r.sys_us > 0);
	assert_true(r.maxrss_kb > 0);
	seen_release(&s);
}

static void
proc_cancel(void **state)
{
	struct sg_proc_options o = SG_PROC_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_proc_result r;
	int fd = -1;

	(void)state;
	assert_int_equal(sg_proc_cancel_open(&fd, &err), 0);
	/* A pending cancel: the sleep returns at once with the signal. */
	raise(SIGTERM);
	assert_int_equal(sg_proc_sleep(60000, fd), SIGTERM);
	assert_int_equal(sg_proc_sleep(0, fd), 0);
	raise(SIGINT);
	o.command = "sleep 30";
	o.cancel_fd = fd;
	o.grace_ms = 200;
	assert_int_equal(sg_proc_run(&r, &o, &err), 0);
	assert_true(r.cancelled);
	assert_int_equal(r.cancel_signal, SIGINT);
	assert_int_equal(r.signal, SIGTERM);
	sg_proc_cancel_close();
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proc_exit_and_output),
		cmocka_unit_test(proc_signal),
		cmocka_unit_test(proc_exec_failure),
		cmocka_unit_test(proc_timeout_kills_the_group),
		cmocka_unit_test(proc_env_and_ticks),
		cmocka_unit_test(proc_rusage),
		cmocka_unit_test(proc_cancel),
	};

	return cmocka_run_group_tests_name("proc/proc", tests, NULL, NULL);
}
