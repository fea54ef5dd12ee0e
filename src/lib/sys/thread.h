/* SPDX-License-Identifier: MIT */
/*
 * thread.h - run one function on several threads and wait for them: the
 * only pthread use of the library.  The work itself is shared through a
 * queue the callers build (an atomic index over an array), so a thread
 * that cannot be created costs speed, never work: its share is done by
 * the others.
 */
#ifndef SG_SYS_THREAD_H
#define SG_SYS_THREAD_H

#include <stddef.h>

/* Online CPUs (at least 1). */
unsigned sg_sys_ncpu(void);

/*
 * Call fn(args[i]) for each i < n, each on its own thread (args[0] on the
 * calling thread), and return when all have returned.  When a thread
 * cannot be created its fn is not called: callers pull work from a shared
 * queue, so the remaining threads do it.
 */
void sg_thread_run_all(void (*fn)(void *), void *const *args, size_t n);

#endif /* SG_SYS_THREAD_H */
