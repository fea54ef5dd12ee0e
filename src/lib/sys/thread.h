/* SPDX-License-Identifier: MIT */
/*
 * thread.h - the one way the library uses threads: run a function on a
 * few workers at once and wait for all of them (fork/join), for work that
 * splits into independent items, such as hashing many files.
 *
 * There is no pool that outlives a call and no shared state but what the
 * caller passes: the workers of one call share `payload`, and take their
 * items from it themselves (an atomic counter in the caller's struct), so
 * that a slow item does not hold up a fixed slice of the others.  A worker
 * must not use a struct sg_store or any other per-thread object it did
 * not create itself.
 */
#ifndef SG_SYS_THREAD_H
#define SG_SYS_THREAD_H

#include "util/util.h"

/* A worker: `worker` is 0 .. n - 1; 0 runs on the calling thread. */
typedef void (*sg_thread_fn)(unsigned worker, void *payload);

/*
 * Run fn on n workers (n >= 1): n - 1 new threads and the caller, and
 * return when all have returned.  When a thread cannot be created, its
 * worker runs on the caller after the others (the work still gets done,
 * only with less parallelism), so this never fails.
 */
void sg_thread_run(unsigned n, sg_thread_fn fn, void *payload);

/* How many CPUs this process may run on (sched_getaffinity), at least 1. */
unsigned sg_thread_ncpus(void);

#endif /* SG_SYS_THREAD_H */
