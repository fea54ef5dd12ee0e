/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the readers of src/lib/sys/release.c that `serve` uses to
 * watch a release: the supervisor's state file, a keyed cgroup file
 * (cpu.stat), and the CPU time and resident memory of a process group.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "../../harness/tmpdir.h"
#include "../../harness/unit.h"

#include "sys/release.h"

static void
put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

SG_TEST(the_state_file_as_the_supervisor_writes_it)
{
	char *dir = sg_test_tmpdir();
	char path[4096];
	struct sg_release_state st;

	put(dir, "R.state.json", "{\"supervisor_pid\": 12, \"pid\": 34, "
	    "\"state\": \"restarting\", \"restarts\": 2, \"restart_limit\": 3, "
	    "\"last_exit\": \"signal 9\"}\n");
	snprintf(path, sizeof(path), "%s/R.state.json", dir);
	assert_int_equal(sg_release_state_read(&st, path), 0);
	assert_int_equal(st.supervisor_pid, 12);
	assert_int_equal(st.pid, 34);
	assert_string_equal(st.state, "restarting");
	assert_int_equal(st.restarts, 2);
	assert_int_equal(st.restart_limit, 3);

	put(dir, "R.state.json", "{\"pid\": 34, \"state\": \"running\"}");
	assert_int_equal(sg_release_state_read(&st, path), -1);
	assert_int_equal(errno, EINVAL);
	put(dir, "R.state.json", "not json");
	assert_int_equal(sg_release_state_read(&st, path), -1);
	assert_int_equal(errno, EINVAL);
	snprintf(path, sizeof(path), "%s/none.state.json", dir);
	assert_int_equal(sg_release_state_read(&st, path), -1);
	assert_int_equal(errno, ENOENT);
	sg_test_rmtree(dir);
	free(dir);
}

SG_TEST(a_keyed_cgroup_file)
{
	char *dir = sg_test_tmpdir();
	uint64_t v = 0;

	put(dir, "cpu.stat", "usage_usec 1234567\nuser_usec 1000000\n"
	    "system_usec 234567\nnr_periods 0\n");
	assert_int_equal(sg_cgroup_read_key(&v, dir, "cpu.stat", "usage_usec"),
	    0);
	assert_true(v == 1234567);
	assert_int_equal(sg_cgroup_read_key(&v, dir, "cpu.stat",
	    "system_usec"), 0);
	assert_true(v == 234567);
	/* a key is a whole word: "usage" is not "usage_usec" */
	assert_int_equal(sg_cgroup_read_key(&v, dir, "cpu.stat", "usage"), -1);
	assert_int_equal(sg_cgroup_read_key(&v, dir, "cpu.stat", "nr"), -1);
	assert_int_equal(sg_cgroup_read_key(&v, dir, "none", "usage_usec"), -1);
	put(dir, "memory.max", "max\n");
	assert_int_equal(sg_cgroup_read_u64(&v, dir, "memory.max"), 0);
	assert_true(v == UINT64_MAX);
	sg_test_rmtree(dir);
	free(dir);
}

SG_TEST(a_process_group_uses_memory_and_a_group_with_no_one_is_esrch)
{
	uint64_t ticks = 0, rss = 0;
	volatile uint64_t x = 0;

	/* this process burns some 50 ms of CPU: its group has used some */
	for (uint64_t i = 0; i < 50000000; i++)
		x += i;
	assert_int_equal(sg_sys_pgroup_usage(&ticks, &rss, getpgrp()), 0);
	assert_true(ticks > 0);
	assert_true(rss > 0);
	assert_true(sg_sys_clock_ticks() > 0);
	/* pid_max is at most 2^22: no process group has this id */
	assert_int_equal(sg_sys_pgroup_usage(&ticks, &rss, (1 << 22) + 7),
	    -1);
	assert_int_equal(errno, ESRCH);
	assert_true(ticks == 0 && rss == 0);
}

SG_TEST_MAIN("sys/release")
