/* SPDX-License-Identifier: MIT */
/*
 * fuzz_elf.c - libFuzzer entry point for the ELF reader of the SBOM
 * (src/lib/sbom/elf.c): the input is the whole file.  Every DT_NEEDED
 * name returned must be a NUL-terminated string, which strlen checks
 * under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sbom/sbom_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_elf_info info;
	size_t total = 0;

	if (!sg_elf_parse(&info, data, size, "fuzz", &err)) {
		for (size_t i = 0; i < info.nneeded; i++)
			total += strlen(info.needed[i]);
		if (info.runpath)
			total += strlen(info.runpath);
	}
	(void)total;
	sg_elf_info_release(&info);
	sg_error_release(&err);
	return 0;
}
