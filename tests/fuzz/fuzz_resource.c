/* SPDX-License-Identifier: MIT */
/*
 * fuzz_resource.c - libFuzzer entry point for the @resource: tag grammar
 * (src/lib/policy/resource.c).  The input is used as a tag text after a
 * "@resource:" prefix (half the time) so that the fuzzer spends its time
 * inside the key=value scanner.  Checks an invariant as well as memory
 * safety: whatever is accepted re-parses to the same values when printed
 * back in canonical form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_resources r;
	struct sg_resources again;
	char why[512];
	char canon[256];
	char *tag;
	size_t off = 0;

	if (size > 4096)
		return 0;
	tag = malloc(size + 16);
	if (size && (data[0] & 1)) {
		memcpy(tag, "@resource:", 10);
		off = 10;
		data++;
		size--;
	}
	memcpy(tag + off, data, size);
	tag[off + size] = '\0';
	if (sg_resource_parse(&r, tag, why, sizeof(why)) == 0) {
		snprintf(canon, sizeof(canon),
		    "@resource:cpu=%.0fm,memory=%llu,storage=%llu,"
		    "story_points=%llu",
		    r.cpu * 1000.0, (unsigned long long)r.memory_mb,
		    (unsigned long long)r.storage_mb,
		    (unsigned long long)r.story_points);
		/* memory/storage in Gi may exceed 9 digits once converted */
		if (r.memory_mb < 1000000000ull && r.storage_mb < 1000000000ull &&
		    r.cpu * 1000.0 < 1e9) {
			if (sg_resource_parse(&again, canon, why, sizeof(why)) ||
			    again.cpu != r.cpu || again.memory_mb != r.memory_mb ||
			    again.storage_mb != r.storage_mb ||
			    again.story_points != r.story_points)
				abort();
		}
	}
	free(tag);
	return 0;
}
