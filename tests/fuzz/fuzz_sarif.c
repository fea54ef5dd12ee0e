/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sarif.c - libFuzzer entry point for the streaming SARIF reader
 * (src/lib/gate/sarif.c): its JSON scanner, the skim of captured values,
 * the level resolution.  Invariants: the counts by level add up to the
 * results, and so do the counts by rule and by file.  (Whether jansson
 * accepts the same documents is not checked: the scanner does not check
 * the UTF-8 of strings it skips, and accepts a BOM.)
 */
#include <stdint.h>
#include <stdlib.h>

#include "specgate/gate.h"

#include "gate_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t
sum(const struct sg_sarif_count *c, size_t n)
{
	uint64_t t = 0;

	for (size_t i = 0; i < n; i++)
		t += c[i].total;
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_sarif *s = NULL;
	const char *path = gate_input(data, size);
	char *json = NULL;

	if (!sg_sarif_read(&s, &path, 1, &err)) {
		uint64_t n = 0;

		for (int l = 0; l < SG_SARIF_LEVELS; l++)
			n += s->by_level[l];
		if (n != s->results || sum(s->rules, s->nrules) != n ||
		    sum(s->files, s->nfiles_hit) != n)
			abort();
		sg_sarif_json(&json, s, SG_SARIF_ERROR, &err);
		free(json);
	}
	sg_sarif_free(s);
	sg_error_release(&err);
	return 0;
}
