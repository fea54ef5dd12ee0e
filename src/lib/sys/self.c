/* SPDX-License-Identifier: MIT */
/*
 * self.c - process figures from /proc/self, free space, writability, file
 * identity, a mutex and the monotonic clock (sys/self.h).
 *
 * The /proc files are read with plain read(2) into a small stack buffer:
 * they are generated text of a few hundred bytes, and a scrape of /metrics
 * must not allocate for them.
 */
#include "sys/self.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "sys/fs.h"

/* Read a small /proc file into buf (NUL-terminated); -1 with errno. */
static int
read_small(char *buf, size_t size, const char *path)
{
	ssize_t n;
	size_t len = 0;
	int fd;
	int e;

	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	e = errno;
	close(fd);
	errno = e;
	buf[len] = '\0';
	return len ? 0 : -1;
}

int
sg_proc_rss(uint64_t *out)
{
	char buf[256];
	unsigned long long size, resident;
	long page = sysconf(_SC_PAGESIZE);

	if (read_small(buf, sizeof(buf), "/proc/self/statm") < 0)
		return -1;
	if (sscanf(buf, "%llu %llu", &size, &resident) != 2 || page <= 0) {
		errno = EINVAL;
		return -1;
	}
	*out = (uint64_t)resident * (uint64_t)page;
	return 0;
}

int
sg_proc_open_fds(uint64_t *out)
{
	struct dirent *de;
	uint64_t n = 0;
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	/* The directory stream's own descriptor is not ours to count. */
	*out = n ? n - 1 : 0;
	return 0;
}

int
sg_proc_max_fds(uint64_t *out)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	*out = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
	return 0;
}

int
sg_proc_start_time(double *out)
{
	char stat[4096];
	unsigned long long ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);
	struct timespec boot, real;
	const char *p;
	int field;

	if (read_small(stat, sizeof(stat), "/proc/self/stat") < 0)
		return -1;
	/* Field 2 is "(comm)" and may hold spaces: count from its end. */
	p = strrchr(stat, ')');
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || hz <= 0 || sscanf(p, " %llu", &ticks) != 1) {
		errno = EINVAL;
		return -1;
	}
	/*
	 * Field 22 is the start in clock ticks after boot: subtract the time
	 * since then from the real clock (rather than read btime from
	 * /proc/stat, whose interrupt lines make it large).
	 */
	if (clock_gettime(CLOCK_BOOTTIME, &boot) < 0 ||
	    clock_gettime(CLOCK_REALTIME, &real) < 0)
		return -1;
	*out = (double)real.tv_sec + (double)real.tv_nsec / 1e9 -
	    ((double)boot.tv_sec + (double)boot.tv_nsec / 1e9 -
		(double)ticks / (double)hz);
	return 0;
}

int
sg_fs_free_bytes(uint64_t *out, const char *path, struct sg_error *err)
{
	struct statvfs sv;
	int e;

	if (statvfs(path, &sv) < 0) {
		e = errno;
		return sg_error_set_errno(err,
		    e == ENOENT || e == ENOTDIR ? SG_ENOTFOUND : SG_EIO, e,
		    "cannot read the free space of '%s'", path);
	}
	*out = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
	return 0;
}

int
sg_fs_check_writable_dir(const char *path, struct sg_error *err)
{
	struct stat st;
	int e;

	if (stat(path, &st) < 0) {
		e = errno;
		if (e == ENOENT)
			return sg_error_set(err, SG_ENOTFOUND,
			    "'%s' does not exist", path);
		return sg_error_set_errno(err, SG_EIO, e, "cannot stat '%s'",
		    path);
	}
	if (!S_ISDIR(st.st_mode))
		return sg_error_set(err, SG_EINVAL, "'%s' is not a directory",
		    path);
	if (faccessat(AT_FDCWD, path, W_OK | X_OK, AT_EACCESS) < 0) {
		e = errno;
		return sg_error_set_errno(err,
		    e == EACCES || e == EROFS || e == EPERM ? SG_EINVAL : SG_EIO,
		    e, "cannot write to '%s'", path);
	}
	return 0;
}

int
sg_fs_id(struct sg_fs_id *out, const char *path, struct sg_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return sg_fs__errno(err, errno, "stat", path);
	out->dev = (uint64_t)st.st_dev;
	out->ino = (uint64_t)st.st_ino;
	out->size = (uint64_t)st.st_size;
	out->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
	    st.st_mtim.tv_nsec;
	out->ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 +
	    st.st_ctim.tv_nsec;
	return 0;
}

bool
sg_fs_id_equal(const struct sg_fs_id *a, const struct sg_fs_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

void
sg_mutex_init(struct sg_mutex *mu)
{
	if (pthread_mutex_init(&mu->m, NULL))
		SG_BUG("pthread_mutex_init failed");
}

void
sg_mutex_lock(struct sg_mutex *mu)
{
	if (pthread_mutex_lock(&mu->m))
		SG_BUG("pthread_mutex_lock failed");
}

void
sg_mutex_unlock(struct sg_mutex *mu)
{
	if (pthread_mutex_unlock(&mu->m))
		SG_BUG("pthread_mutex_unlock failed");
}

void
sg_mutex_release(struct sg_mutex *mu)
{
	pthread_mutex_destroy(&mu->m);
}

uint64_t
sg_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
