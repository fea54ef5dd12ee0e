/* SPDX-License-Identifier: MIT */
/*
 * fuzz_lockfile.c - libFuzzer entry point for the four lockfile readers
 * of the SBOM (src/lib/sbom/lockfile.c).  The first byte picks the format
 * (0 package-lock.json, 1 requirements.txt, 2 go.sum, 3 Cargo.lock, modulo
 * 4), the rest is the file.  The set is then finished as the SBOM does,
 * which sorts, merges and walks every edge the reader added.
 */
#include <stddef.h>
#include <stdint.h>

#include "sbom/sbom_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"package-lock.json",
	    "requirements.txt", "go.sum", "Cargo.lock"};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_sbom__set set;
	unsigned kind;

	if (!size)
		return 0;
	kind = data[0] % 4;
	sg_sbom__set_init(&set);
	if (!sg_lockfile_parse(&set, (enum sg_lockfile_kind)kind, names[kind],
	    (const char *)data + 1, size - 1, &err)) {
		sg_sbom__set_finish(&set);
		for (size_t i = 0; i < set.comps.len; i++) {
			struct sg_sbom__comp *c = set.comps.items[i];

			for (struct sg_sbom__dep *d = c->deps; d; d = d->next)
				(void)sg_sbom__find(&set, d->ref);
		}
	}
	sg_sbom__set_release(&set);
	sg_error_release(&err);
	return 0;
}
