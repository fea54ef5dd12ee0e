/* SPDX-License-Identifier: MIT */
/*
 * run_usage.h - what a stage's attempt used and the mode's limits on it
 * (resources.c measures and judges; stage.c fails an attempt over them in
 * compliance; the audit stage's resource-estimates.json reports them).
 */
#ifndef SG_RUN_USAGE_H
#define SG_RUN_USAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/run_int.h"

/*
 * What one attempt of a stage used, from its commands' rusage (wait4):
 * CPU (user + sys), wall (the commands' own walls, summed) and the largest
 * peak RSS of one command (resources.c).
 */
struct sg_run__usage {
	uint64_t user_us;
	uint64_t sys_us;
	uint64_t wall_us;
	uint64_t maxrss_kb;
};

/*
 * Average cores are only judged over at least this much wall time: below
 * it, a command's CPU is mostly fork and exec (docs/formats.md).
 */
#define SG_RUN__CPU_MIN_WALL_MS 1000

void sg_run__attempt_usage(struct sg_run__usage *u,
    const struct sg_stage_result *r, unsigned attempt);

/*
 * Whether u exceeds the mode's upper limits: peak RSS against
 * policy.<mode>.memory, and in compliance average cores against
 * policy.compliance.cpu (when the wall reaches SG_RUN__CPU_MIN_WALL_MS).
 * why (OUT) says which limit, with both figures.
 */
bool sg_run__usage_exceeds(const struct sg_run__ctx *c,
    const struct sg_run__usage *u, char *why, size_t why_size);

#endif /* SG_RUN_USAGE_H */
