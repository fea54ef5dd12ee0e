/* SPDX-License-Identifier: MIT */
/*
 * resource.c - the @resource: tag grammar.
 *
 * A hand-written scanner rather than sscanf or a regex: the system we
 * replace used a regex and accepted `story_points=1.5` as 1.  Here each value
 * is scanned character by character, every key must appear exactly once,
 * and anything else (an unknown key, a sign, an exponent, a fourth decimal,
 * whitespace) is refused with a message naming the offending part.
 */
#include "specgate/policy.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

#define PREFIX "@resource:"
#define MAX_DIGITS 9

bool
sg_is_resource_tag(const char *name)
{
	return !strncmp(name, PREFIX, sizeof(PREFIX) - 1);
}

/* Scan 1..MAX_DIGITS decimal digits; returns the count (0: none/too many). */
static size_t
scan_digits(const char *s, size_t len, uint64_t *out)
{
	size_t i;
	uint64_t v = 0;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (i == MAX_DIGITS)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return i;
}

static bool
parse_cpu(const char *s, size_t len, double *out)
{
	uint64_t whole;
	uint64_t frac;
	size_t n;
	size_t m;

	n = scan_digits(s, len, &whole);
	if (!n)
		return false;
	if (n == len) {
		*out = (double)whole;
		return true;
	}
	if (s[n] == 'm' && n + 1 == len) {
		*out = (double)whole / 1000.0;
		return true;
	}
	if (s[n] != '.')
		return false;
	m = scan_digits(s + n + 1, len - n - 1, &frac);
	if (!m || m > 3 || n + 1 + m != len)
		return false;
	/* exact to the millicore: 0.1 stays 0.1, not 0.1000000000000000055 */
	for (size_t k = m; k < 3; k++)
		frac *= 10;
	*out = (double)(whole * 1000 + frac) / 1000.0;
	return true;
}

static bool
parse_mb(const char *s, size_t len, uint64_t *out)
{
	uint64_t v;
	size_t n;

	n = scan_digits(s, len, &v);
	if (!n)
		return false;
	if (n == len) {
		*out = v;
		return true;
	}
	if (len - n == 2 && !memcmp(s + n, "Mi", 2)) {
		*out = v;
		return true;
	}
	if (len - n == 2 && !memcmp(s + n, "Gi", 2)) {
		*out = v * 1024;
		return true;
	}
	return false;
}

enum key { K_CPU, K_MEMORY, K_STORAGE, K_POINTS, K_COUNT };

static const char *const key_names[K_COUNT] = {
	"cpu", "memory", "storage", "story_points"};

static const char *const key_forms[K_COUNT] = {
	"cores with at most 3 decimals (0.25) or millicores (250m)",
	"an integer number of MB (512), or with Mi or Gi (512Mi, 2Gi)",
	"an integer number of MB (100), or with Mi or Gi (100Mi, 1Gi)",
	"a whole number (3)",
};

int
sg_resource_parse(struct sg_resources *out, const char *tag, char *why,
    size_t whylen)
{
	bool seen[K_COUNT] = {false};
	const char *p;
	const char *end;

	memset(out, 0, sizeof(*out));
	if (!sg_is_resource_tag(tag)) {
		snprintf(why, whylen, "'%s' is not a @resource: tag", tag);
		return SG_EINVAL;
	}
	p = tag + sizeof(PREFIX) - 1;
	end = p + strlen(p);
	if (p == end) {
		snprintf(why, whylen, "'%s' lists no values; write "
		    "@resource:cpu=0.1,memory=128,storage=10,story_points=1",
		    tag);
		return SG_EINVAL;
	}
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *item_end = comma ? comma : end;
		const char *eq = memchr(p, '=', (size_t)(item_end - p));
		const char *val;
		size_t vlen;
		int k;
		bool ok;

		if (!eq) {
			snprintf(why, whylen, "'%.*s' is not key=value",
			    (int)(item_end - p), p);
			return SG_EINVAL;
		}
		for (k = 0; k < K_COUNT; k++)
			if ((size_t)(eq - p) == strlen(key_names[k]) &&
			    !memcmp(p, key_names[k], (size_t)(eq - p)))
				break;
		if (k == K_COUNT) {
			snprintf(why, whylen, "unknown key '%.*s'; the keys are "
			    "cpu, memory, storage and story_points",
			    (int)(eq - p), p);
			return SG_EINVAL;
		}
		if (seen[k]) {
			snprintf(why, whylen, "'%s' is given twice",
			    key_names[k]);
			return SG_EINVAL;
		}
		seen[k] = true;
		val = eq + 1;
		vlen = (size_t)(item_end - val);
		switch (k) {
		case K_CPU:
			ok = parse_cpu(val, vlen, &out->cpu);
			break;
		case K_MEMORY:
			ok = parse_mb(val, vlen, &out->memory_mb);
			break;
		case K_STORAGE:
			ok = parse_mb(val, vlen, &out->storage_mb);
			break;
		default:
			ok = scan_digits(val, vlen, &out->story_points) ==
			    vlen && vlen > 0;
			break;
		}
		if (!ok) {
			snprintf(why, whylen, "%s='%.*s' is not valid; write %s",
			    key_names[k], (int)vlen, val, key_forms[k]);
			return SG_EINVAL;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	for (int k = 0; k < K_COUNT; k++) {
		if (!seen[k]) {
			snprintf(why, whylen, "'%s' is missing; a resource tag "
			    "names cpu, memory, storage and story_points",
			    key_names[k]);
			return SG_EINVAL;
		}
	}
	return 0;
}
