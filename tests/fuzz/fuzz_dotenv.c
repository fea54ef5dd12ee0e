/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dotenv.c - libFuzzer entry point for the .env reader: the input is
 * a .env file beside an empty specgate.yaml, so the values it sets for
 * SPECGATE_* also go through the checks of the environment layer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "config/config_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const envp[] = {NULL};
	struct sg_config_options opts = SG_CONFIG_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	char *text = NULL;

	opts.environ = envp;
	if (!sg_config__load_buffer(&cfg, "", 0, (const char *)data, size,
		&opts, &err)) {
		sg_config_dump(&text, cfg, true);
		free(text);
	}
	sg_config_free(cfg);
	sg_error_release(&err);
	return 0;
}
