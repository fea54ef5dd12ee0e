/* SPDX-License-Identifier: MIT */
/*
 * hash.c - streaming SHA-256 of many files, on several threads (hash.h).
 *
 * Data flow per worker: take the next item index from an atomic counter;
 * open it under the root (sys/dir.c, never leaving the root, never
 * following the last component); read it in chunks into the worker's
 * buffer and feed each chunk to the worker's SHA-256 context
 * (hash/digest.c, OpenSSL EVP, SHA-NI where the CPU has it); write the hex
 * digest into the item.  Each worker owns its context and buffer, and
 * writes only to the items it took, so the workers share nothing but the
 * counter and the error slot.
 *
 * Per-file cost is what decides the small-file case: one openat2, one
 * fstat, one read that comes back short (the end of the file: a second
 * read that returns 0 is saved when fstat's size has been reached), one
 * close.  sha256sum does an extra fstat, a fadvise and reads through stdio.
 *
 * The chunk is SG_SHA256_CHUNK, 1 MiB, as for the other file hashers: on
 * a 2 GB file in the page cache, 64 KiB, 256 KiB and 1 MiB chunks took
 * 1.50, 1.46 and 1.42 s (means of 8, +-0.04 s): the fewer system calls
 * win over keeping the chunk in L2, by a little.
 *
 * Errors: each worker keeps its first failure in a slot of its own; the
 * others stop at their next item, and after the join the failure with the
 * lowest item index is reported.  Every item below it had been taken
 * already (the counter only grows) and was finished before the join, so
 * that is the first failing item in list order, as one thread would have
 * reported.  No lock is needed: the slots are not shared.
 */
#include "evidence/hash.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "hash/digest.h"
#include "sys/thread.h"

#define CHUNK SG_SHA256_CHUNK
/*
 * Below this many files per thread, a thread costs more than it saves:
 * on 2 vCPUs, 256 small files took 11.2 ms on one thread and 12.0 ms on
 * two, 1024 files 21.3 and 18.9 ms, 4096 files 65.9 and 43.4 ms
 * (docs/internals/evidence.md).
 */
#define DEFAULT_MIN_PER_THREAD 256

/* A worker's first failure. */
struct slot {
	bool failed;
	size_t index;
	struct sg_error err;
};

struct job {
	struct sg_hash_item *items;
	size_t n;
	const struct sg_dir *root;
	atomic_size_t next;
	atomic_bool failed;
	struct slot *slots; /* one per worker */
};

static int
hash_link(struct sg_hash_item *it, struct sg_sha256 *h,
    const struct sg_dir *root, struct sg_error *err)
{
	unsigned char md[SG_SHA256_LEN];
	int error;

	if ((error = sg_dir_readlink(&it->target, root, it->path, err)) < 0)
		return error;
	it->type = SG_FS_SYMLINK;
	it->size = strlen(it->target);
	if ((error = sg_sha256_update(h, it->target, it->size, err)) < 0 ||
	    (error = sg_sha256_final(h, md, err)) < 0)
		return error;
	sg_hex_lower(it->sha256, md, sizeof(md));
	return 0;
}

static int
hash_fd(struct sg_hash_item *it, struct sg_sha256 *h, unsigned char *buf,
    int fd, uint64_t size, const struct sg_dir *root, struct sg_error *err)
{
	unsigned char md[SG_SHA256_LEN];
	uint64_t total = 0;
	ssize_t n;
	int error;

	for (;;) {
		n = sg_fs_read(fd, buf, CHUNK);
		if (n < 0)
			return sg_error_set_errno(err, SG_EIO, errno,
			    "cannot read '%s/%s'", root->path, it->path);
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > SG_HASH_MAX_FILE)
			return sg_error_set(err, SG_ETOOBIG,
			    "'%s/%s' is too large to hash", root->path,
			    it->path);
		if ((error = sg_sha256_update(h, buf, (size_t)n, err)) < 0)
			return error;
		/* A short read at the size fstat gave is the end. */
		if ((size_t)n < CHUNK && total >= size)
			break;
	}
	if ((error = sg_sha256_final(h, md, err)) < 0)
		return error;
	it->type = SG_FS_FILE;
	it->size = total;
	sg_hex_lower(it->sha256, md, sizeof(md));
	return 0;
}

static int
hash_one(struct sg_hash_item *it, struct sg_sha256 *h, unsigned char *buf,
    const struct sg_dir *root, struct sg_error *err)
{
	struct sg_fs_stat st;
	int fd = -1;
	int error;

	it->target = NULL;
	if ((error = sg_dir_open_file(&fd, &st, root, it->path, err)) < 0)
		return error;
	if (st.type == SG_FS_SYMLINK)
		return hash_link(it, h, root, err);
	error = hash_fd(it, h, buf, fd, st.size, root, err);
	sg_fs_close(fd);
	return error;
}

static void
worker(unsigned id, void *payload)
{
	struct job *job = payload;
	struct slot *slot = &job->slots[id];
	struct sg_sha256 h;
	unsigned char *buf;
	size_t i = 0;

	buf = sg_xmalloc(CHUNK);
	if (sg_sha256_init(&h, &slot->err) < 0)
		goto fail;
	while (!atomic_load(&job->failed)) {
		i = atomic_fetch_add(&job->next, 1);
		if (i >= job->n)
			goto out;
		if (hash_one(&job->items[i], &h, buf, job->root, &slot->err) <
		    0)
			goto fail;
	}
	goto out;
fail:
	slot->failed = true;
	slot->index = i;
	atomic_store(&job->failed, true);
out:
	sg_sha256_release(&h);
	free(buf);
}

int
sg_hash_files(struct sg_hash_item *items, size_t n,
    const struct sg_dir *root, const struct sg_hash_options *opts,
    struct sg_error *err)
{
	struct sg_hash_options o = SG_HASH_OPTIONS_INIT;
	struct slot *bad = NULL;
	struct job job;
	unsigned threads;
	int error = 0;

	if (opts)
		o = *opts;
	if (o.version != SG_HASH_OPTIONS_VERSION)
		SG_BUG("struct sg_hash_options of an unknown version");
	if (!o.min_per_thread)
		o.min_per_thread = DEFAULT_MIN_PER_THREAD;
	threads = o.threads ? o.threads : sg_thread_ncpus();
	if (threads > n / o.min_per_thread)
		threads = (unsigned)(n / o.min_per_thread);
	if (threads < 1)
		threads = 1;
	for (size_t i = 0; i < n; i++)
		items[i].target = NULL;
	memset(&job, 0, sizeof(job));
	job.items = items;
	job.n = n;
	job.root = root;
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, false);
	job.slots = sg_xcalloc(threads, sizeof(*job.slots));
	sg_thread_run(threads, worker, &job);
	for (unsigned w = 0; w < threads; w++) {
		if (job.slots[w].failed &&
		    (!bad || job.slots[w].index < bad->index))
			bad = &job.slots[w];
	}
	if (bad)
		error = sg_error_set(err,
		    bad->err.code ? bad->err.code : SG_EIO, "%s",
		    bad->err.message);
	for (unsigned w = 0; w < threads; w++)
		sg_error_release(&job.slots[w].err);
	free(job.slots);
	return error;
}

void
sg_hash_items_release(struct sg_hash_item *items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		free(items[i].target);
		items[i].target = NULL;
	}
}
