/* SPDX-License-Identifier: MIT */
/*
 * lcov.c - the lcov tracefile reader (geninfo(1) "TRACEFILE FORMAT").
 *
 * Hand-written and streaming: one line at a time through the chunked
 * reader, so a tracefile of any size is read in the memory of its longest
 * line plus the per-line data it names.  Records:
 *
 *	SF:<path>			starts a source
 *	DA:<line>,<hits>[,<checksum>]	a line and its hit count
 *	BRDA:<line>,<block>,<branch>,<taken>	a branch; taken "-": the
 *					block never ran (found, not hit)
 *	end_of_record			ends it
 *
 * TN, FN, FNDA, FNF, FNH, LF, LH, BRF, BRH, VER and the other summary or
 * function lines are recognised and ignored: the figures come from DA and
 * BRDA (coverage.c says why).  A DA or BRDA outside SF..end_of_record, a
 * number that is not one, or a line that is no record is an error naming
 * file:line.  lcov 2's exception branches ("e0" blocks) count like others.
 */
#include "gate/gate_int.h"

/* Split s at commas into at most n fields; returns the number found. */
static size_t
split(char *s, char **f, size_t *flen, size_t n)
{
	size_t k = 0;
	char *c;

	while (k < n) {
		f[k] = s;
		c = strchr(s, ',');
		flen[k] = c ? (size_t)(c - s) : strlen(s);
		k++;
		if (!c)
			break;
		s = c + 1;
	}
	return k;
}

static bool
parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t v;

	if (!sg_gate__parse_u64(s, len, &v) || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A hit count: digits, or a negative count (gcov's oddities) as 0. */
static bool
parse_hits(const char *s, size_t len, uint64_t *out)
{
	if (len > 1 && s[0] == '-' && sg_gate__parse_u64(s + 1, len - 1, out)) {
		*out = 0;
		return true;
	}
	if (len > 19) { /* more hits than a uint64: saturate */
		for (size_t i = 0; i < len; i++)
			if (s[i] < '0' || s[i] > '9')
				return false;
		*out = UINT64_MAX;
		return true;
	}
	return sg_gate__parse_u64(s, len, out);
}

static int
bad(struct sg_error *err, struct gate_lines *r, const char *what)
{
	return sg_error_set_at(err, SG_EINVAL, r->path, r->lineno, 1,
	    "%s in lcov tracefile", what);
}

static int
da(struct cov_src *src, char *v, struct gate_lines *r, struct sg_error *err)
{
	char *f[3];
	size_t fl[3];
	uint32_t line;
	uint64_t hits;
	size_t n = split(v, f, fl, 3);

	if (!src)
		return bad(err, r, "DA outside a source (no SF before it)");
	if (n < 2 || !parse_u32(f[0], fl[0], &line) ||
	    !parse_hits(f[1], fl[1], &hits))
		return bad(err, r, "malformed DA:<line>,<hits>");
	sg_gate__cov_line(src, line, hits);
	return 0;
}

static int
brda(struct cov_src *src, char *v, struct gate_lines *r, struct sg_error *err)
{
	char *f[4];
	size_t fl[4];
	uint32_t line, block, branch;
	uint64_t taken = 0;
	uint32_t exc = 0;

	if (!src)
		return bad(err, r, "BRDA outside a source (no SF before it)");
	if (split(v, f, fl, 4) != 4)
		return bad(err, r, "malformed BRDA:<line>,<block>,<branch>,<taken>");
	if (fl[1] > 1 && f[1][0] == 'e') { /* lcov 2: exception branch */
		f[1]++;
		fl[1]--;
		exc = 0x80000000u;
	}
	if (!parse_u32(f[0], fl[0], &line) || !parse_u32(f[1], fl[1], &block) ||
	    !parse_u32(f[2], fl[2], &branch) ||
	    (!(fl[3] == 1 && f[3][0] == '-') && !parse_hits(f[3], fl[3], &taken)))
		return bad(err, r, "malformed BRDA:<line>,<block>,<branch>,<taken>");
	sg_gate__cov_branch(src, line, block | exc, branch, taken, 0);
	return 0;
}

static bool
ignored(const char *line)
{
	static const char *const tags[] = {"TN:", "FN:", "FNDA:", "FNF:",
	    "FNH:", "LF:", "LH:", "BRF:", "BRH:", "VER:", "FNL:", "FNA:",
	    "MCDC:", "MRF:", "MRH:"};

	for (size_t i = 0; i < SG_ARRAY_SIZE(tags); i++)
		if (!strncmp(line, tags[i], strlen(tags[i])))
			return true;
	return false;
}

int
sg_gate__lcov_read(struct cov_acc *a, const char *path, struct sg_error *err)
{
	struct gate_lines r;
	struct cov_src *src = NULL;
	char *line;
	size_t len;
	int got;
	int error;

	if ((error = sg_gate__lines_open(&r, path, err)) < 0)
		return error;
	while ((got = sg_gate__lines_next(&r, &line, &len, err)) > 0) {
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		if (!len) {
			continue;
		} else if (!strncmp(line, "SF:", 3)) {
			if (!line[3]) {
				error = bad(err, &r, "empty SF: path");
				goto out;
			}
			src = sg_gate__cov_src(a, line + 3);
			if (!src) {
				error = sg_error_set_at(err, SG_ETOOBIG, path,
				    r.lineno, 1, "more than %u sources",
				    SG_GATE_MAX_COV_FILES);
				goto out;
			}
		} else if (!strncmp(line, "DA:", 3)) {
			if ((error = da(src, line + 3, &r, err)) < 0)
				goto out;
		} else if (!strncmp(line, "BRDA:", 5)) {
			if ((error = brda(src, line + 5, &r, err)) < 0)
				goto out;
		} else if (!strcmp(line, "end_of_record")) {
			src = NULL;
		} else if (!ignored(line)) {
			error = bad(err, &r, "not a tracefile record");
			goto out;
		}
	}
	error = got;
out:
	sg_gate__lines_close(&r);
	return error;
}
