/* SPDX-License-Identifier: MIT */
/*
 * fuzz_junit.c - libFuzzer entry point for the two XML readers
 * (src/lib/gate/junit_cobertura.c): the input is read as JUnit XML through the
 * scenario map (an empty one) and as Cobertura XML through the coverage
 * reader, so libxml2's reader settings and both state machines see every
 * input.  Invariant: the totals add up.
 */
#include <stdint.h>
#include <stdlib.h>

#include "specgate/gate.h"

#include "gate_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_coverage *cov = NULL;
	struct sg_spec_map *map = NULL;
	const char *path = gate_input(data, size);
	const struct sg_test_totals *t;

	sg_spec_map_new(&map, NULL);
	if (!sg_spec_map_read(map, &path, 1, &err)) {
		t = &map->totals;
		if (t->passed + t->failed + t->errors + t->skipped != t->tests)
			abort();
	}
	sg_spec_map_free(map);
	sg_error_release(&err);
	sg_error_init(&err);
	if (!sg_coverage_read(&cov, &path, 1, &err))
		if (cov->lines_hit > cov->lines_found)
			abort();
	sg_coverage_free(cov);
	sg_error_release(&err);
	return 0;
}
