/* SPDX-License-Identifier: MIT */
/*
 * self.h - what a long-running process needs to know about itself and
 * about the file systems it writes to: resident memory, open descriptors
 * and start time (for /metrics), free space and writability of a
 * directory, a file's identity (to notice that a key file changed), and a
 * mutex.  Linux first: the process figures come from /proc/self, as the
 * Prometheus client libraries read them.
 */
#ifndef SG_SYS_SELF_H
#define SG_SYS_SELF_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

/* Resident set size in bytes (/proc/self/statm); -1 with errno. */
int sg_proc_rss(uint64_t *out);

/* Open file descriptors (entries of /proc/self/fd); -1 with errno. */
int sg_proc_open_fds(uint64_t *out);

/* The limit on open descriptors (RLIMIT_NOFILE, soft); -1 with errno. */
int sg_proc_max_fds(uint64_t *out);

/*
 * When this process started, in seconds since the epoch (/proc/self/stat
 * field 22, ticks after boot, against CLOCK_BOOTTIME); -1 with errno.
 */
int sg_proc_start_time(double *out);

/*
 * Bytes available to an unprivileged user on the file system of `path`
 * (statvfs f_bavail * f_frsize).  SG_ENOTFOUND, SG_EIO naming the path.
 */
int sg_fs_free_bytes(uint64_t *out, const char *path, struct sg_error *err);

/*
 * 0 when `path` is a directory the effective user may create files in
 * (faccessat W_OK|X_OK, AT_EACCESS); SG_ENOTFOUND, SG_EINVAL ("'p' is not
 * a directory", "cannot write to 'p': ..."), SG_EIO.
 */
int sg_fs_check_writable_dir(const char *path, struct sg_error *err);

/* Who a file is now: equal ids mean the same unchanged file, probably. */
struct sg_fs_id {
	uint64_t dev;
	uint64_t ino;
	uint64_t size;
	int64_t mtime_ns;
	int64_t ctime_ns;
};

/* stat(2) `path` into *out; errors as sg_fs_stat(). */
int sg_fs_id(struct sg_fs_id *out, const char *path, struct sg_error *err);

bool sg_fs_id_equal(const struct sg_fs_id *a, const struct sg_fs_id *b);

/* A mutex; these abort on the errors POSIX leaves to programmer bugs. */
struct sg_mutex {
	pthread_mutex_t m;
};

void sg_mutex_init(struct sg_mutex *mu);
void sg_mutex_lock(struct sg_mutex *mu);
void sg_mutex_unlock(struct sg_mutex *mu);
void sg_mutex_release(struct sg_mutex *mu);

/* The monotonic clock in milliseconds (CLOCK_MONOTONIC). */
uint64_t sg_clock_ms(void);

#endif /* SG_SYS_SELF_H */
