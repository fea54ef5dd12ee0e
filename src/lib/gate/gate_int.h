/* SPDX-License-Identifier: MIT */
/*
 * gate_int.h - what the files of src/lib/gate/ share: a chunked line
 * reader over a file descriptor (for lcov, whose files can be large and
 * must not be read whole), a string-keyed table (sources, rules, files),
 * and the coverage accumulator that the lcov and Cobertura readers fill.
 *
 * The table is open addressing with linear probing over power-of-two
 * slots; keys are owned copies.  It exists because three readers need
 * "find or add by name" over inputs that can name a million things, and
 * a sorted vector re-sorted per insert would be quadratic.
 */
#ifndef SG_GATE_INT_H
#define SG_GATE_INT_H

#include "specgate/gate.h"

#include <jansson.h>

#include "util/util.h"

/* A string -> index table.  Indices are dense, in insertion order. */
struct gate_map {
	char **keys;	/* by index, owned */
	size_t n;	/* keys */
	size_t *slots;	/* index + 1, 0: empty */
	size_t nslots;	/* power of two */
};

void sg_gate__map_init(struct gate_map *m);
void sg_gate__map_release(struct gate_map *m);
/* The index of key in *out: true, or false when it is not there. */
bool sg_gate__map_get(const struct gate_map *m, const char *key, size_t len,
    size_t *out);
/* The index of key, added when new (*added true then). */
size_t sg_gate__map_put(struct gate_map *m, const char *key, size_t len,
    bool *added);

/* A line reader: one line at a time, bounded by SG_GATE_MAX_LINE. */
struct gate_lines {
	int fd;
	const char *path;
	char *buf;
	size_t len, off; /* bytes in buf, start of the next line */
	size_t cap;
	bool eof;
	unsigned lineno;
};

/* Open path; errors as sg_fs_open_read (SG_ENOTFOUND, SG_EINVAL, SG_EIO). */
int sg_gate__lines_open(struct gate_lines *r, const char *path,
    struct sg_error *err);
/*
 * The next line without its "\n" (or "\r\n") in *line and *len, NUL-
 * terminated: 1, 0 at end of file, or SG_ETOOBIG, SG_EIO or SG_EINVAL
 * (a NUL byte) naming path:line.
 */
int sg_gate__lines_next(struct gate_lines *r, char **line, size_t *len,
    struct sg_error *err);
void sg_gate__lines_close(struct gate_lines *r);

/* The first bytes of a file (for telling formats apart). */
int sg_gate__peek(const char *path, char *out, size_t n, size_t *got,
    struct sg_error *err);

/*
 * Coverage being read: per source, lines and branches, merged at the end.
 * Counts are kept in 32 bits, saturated: only "hit or not" and small
 * condition counts matter to the figures, and the per-line data is what a
 * large tracefile costs in memory (8 bytes a line, not 16).
 */
struct cov_line {
	uint32_t line;
	uint32_t hits;
};

struct cov_branch {
	uint32_t line;
	uint32_t block;
	uint32_t branch;
	uint32_t taken;
	uint32_t total; /* Cobertura: conditions on the line; lcov: 0 */
};

struct cov_src {
	struct cov_line *lines;
	size_t nlines, caplines;
	struct cov_branch *branches;
	size_t nbranches, capbranches;
};

struct cov_acc {
	struct gate_map names;
	struct cov_src *srcs; /* by map index */
	size_t capsrcs;
	struct sg_strlist sources; /* Cobertura <source> directories */
};

void sg_gate__cov_init(struct cov_acc *a);
/*
 * The source named key (added when new); NULL past SG_GATE_MAX_COV_FILES.
 * The pointer is valid until the next call (the array may move).
 */
struct cov_src *sg_gate__cov_src(struct cov_acc *a, const char *key);
void sg_gate__cov_line(struct cov_src *s, uint32_t line, uint64_t hits);
void sg_gate__cov_branch(struct cov_src *s, uint32_t line, uint32_t block,
    uint32_t branch, uint64_t taken, uint64_t total);

int sg_gate__lcov_read(struct cov_acc *a, const char *path,
    struct sg_error *err);
int sg_gate__cobertura_read(struct cov_acc *a, const char *path,
    struct sg_error *err);

/* The coverage figures as a jansson object (sg_coverage_json's). */
json_t *sg_gate__coverage_tree(const struct sg_coverage *cov);

/* Strict unsigned decimal of a whole string; false when it is not one. */
bool sg_gate__parse_u64(const char *s, size_t len, uint64_t *out);

/* The SARIF level of a string; -1 when it is none of the four. */
int sg_gate__level(const char *s);

#endif /* SG_GATE_INT_H */
