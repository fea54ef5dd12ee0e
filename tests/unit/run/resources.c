/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/run/resources.c: what one attempt of a stage
 * used (its own commands only, not another attempt's nor the rollback's)
 * and when that is over the mode's limits: peak RSS in either mode,
 * average cores in compliance only and only over a long enough wall.
 * The run as a whole is in execute.c and tests/integration/t0720-plan.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include "run/run_int.h"
#include "run/run_usage.h"

/* One command of attempt a that used user+sys CPU over wall, peak rss. */
static struct sg_run_command
cmd(unsigned a, uint64_t user_us, uint64_t sys_us, uint64_t wall_us,
    uint64_t rss_kb)
{
	struct sg_run_command c;

	memset(&c, 0, sizeof(c));
	c.attempt = a;
	c.result.user_us = user_us;
	c.result.sys_us = sys_us;
	c.result.wall_us = wall_us;
	c.result.maxrss_kb = rss_kb;
	return c;
}

SG_TEST(an_attempt_sums_its_own_commands)
{
	struct sg_run_command cmds[4];
	struct sg_stage_result r;
	struct sg_run__usage u;

	cmds[0] = cmd(1, 100, 10, 1000, 5000);
	cmds[1] = cmd(2, 200, 20, 2000, 3000);
	cmds[2] = cmd(2, 300, 30, 3000, 7000);
	cmds[3] = cmd(0, 9999, 9999, 9999, 99999); /* the rollback's */
	memset(&r, 0, sizeof(r));
	r.commands = cmds;
	r.ncommands = 4;
	sg_run__attempt_usage(&u, &r, 2);
	assert_int_equal(u.user_us, 500);
	assert_int_equal(u.sys_us, 50);
	assert_int_equal(u.wall_us, 5000);
	/* the largest one command's peak, not a sum */
	assert_int_equal(u.maxrss_kb, 7000);
	sg_run__attempt_usage(&u, &r, 3);
	assert_int_equal(u.user_us + u.sys_us + u.wall_us + u.maxrss_kb, 0);
}

/* A context whose configuration allows mem MB and cpu cores in mode. */
static void
limits(struct sg_run__ctx *c, struct sg_config *cfg, enum sg_mode mode,
    double mem, double cpu)
{
	memset(c, 0, sizeof(*c));
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = mode;
	cfg->policy[mode].memory.max = mem;
	cfg->policy[mode].cpu.max = cpu;
	c->cfg = cfg;
}

SG_TEST(peak_rss_over_the_limit_in_either_mode)
{
	struct sg_run__usage u = {0, 0, 10000, 200 * 1024};
	struct sg_config *cfg;
	struct sg_run__ctx c;
	char why[256];

	cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	limits(&c, cfg, SG_MODE_SANDBOX, 256, 1);
	assert_false(sg_run__usage_exceeds(&c, &u, why, sizeof(why)));
	limits(&c, cfg, SG_MODE_SANDBOX, 128, 1);
	assert_true(sg_run__usage_exceeds(&c, &u, why, sizeof(why)));
	assert_string_equal(why, "resources exceeded: peak RSS 200.0 MB over "
	    "the limit of 128 MB (policy.sandbox.memory)");
	limits(&c, cfg, SG_MODE_COMPLIANCE, 128, 1);
	assert_true(sg_run__usage_exceeds(&c, &u, why, sizeof(why)));
	assert_non_null(strstr(why, "(policy.compliance.memory)"));
	free(cfg);
}

SG_TEST(cores_are_judged_in_compliance_over_a_long_wall)
{
	/* 3 cores on average over 2 s */
	struct sg_run__usage u = {5000000, 1000000, 2000000, 1024};
	struct sg_run__usage brief = {1500000, 0, 500000, 1024};
	struct sg_config *cfg;
	struct sg_run__ctx c;
	char why[256];

	cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	limits(&c, cfg, SG_MODE_COMPLIANCE, 256, 2);
	assert_true(sg_run__usage_exceeds(&c, &u, why, sizeof(why)));
	assert_string_equal(why, "resources exceeded: 3.00 cores on average "
	    "over 2.0 s, over the limit of 2 (policy.compliance.cpu)");
	/* under SG_RUN__CPU_MIN_WALL_MS the cores are fork and exec */
	assert_false(sg_run__usage_exceeds(&c, &brief, why, sizeof(why)));
	limits(&c, cfg, SG_MODE_COMPLIANCE, 256, 4);
	assert_false(sg_run__usage_exceeds(&c, &u, why, sizeof(why)));
	/* sandbox does not judge cores */
	limits(&c, cfg, SG_MODE_SANDBOX, 256, 2);
	assert_false(sg_run__usage_exceeds(&c, &u, why, sizeof(why)));
	free(cfg);
}

SG_TEST_MAIN("run/resources")
