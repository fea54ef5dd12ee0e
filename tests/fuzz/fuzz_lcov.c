/* SPDX-License-Identifier: MIT */
/*
 * fuzz_lcov.c - libFuzzer entry point for the lcov tracefile reader
 * (src/lib/gate/lcov.c) and the coverage merge: the input is a
 * tracefile.  Checks invariants as well as memory safety: no source has
 * more lines or branches hit than found, and the totals are the sums.
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
	const char *path;
	uint64_t lf = 0;
	char *json = NULL;

	if (size && data[0] == '<') /* that is Cobertura: fuzz_junit's */
		return 0;
	path = gate_input(data, size);
	if (!sg_coverage_read(&cov, &path, 1, &err)) {
		for (size_t i = 0; i < cov->nfiles; i++) {
			if (cov->files[i].lines_hit > cov->files[i].lines_found ||
			    cov->files[i].branches_hit >
				cov->files[i].branches_found)
				abort();
			lf += cov->files[i].lines_found;
		}
		if (lf != cov->lines_found)
			abort();
		sg_coverage_check(cov, "/nonexistent");
		sg_coverage_json(&json, cov, &err);
		free(json);
	}
	sg_coverage_free(cov);
	sg_error_release(&err);
	return 0;
}
