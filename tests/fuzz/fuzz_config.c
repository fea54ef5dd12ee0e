/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c - libFuzzer entry point for the configuration loader: the
 * input is a specgate.yaml, loaded from memory with an empty environment
 * and no .env (sg_config__load_buffer), then printed both ways, so the
 * YAML reader, the schema and the dump all see it.  Any exit other than 0
 * or a clean error is a bug: a crash, a leak, a sanitizer report, a hang.
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
	if (!sg_config__load_buffer(&cfg, (const char *)data, size, NULL, 0,
		&opts, &err)) {
		sg_config_dump(&text, cfg, false);
		free(text);
		sg_config_dump(&text, cfg, true);
		free(text);
		(void)sg_config_origin(cfg, "stages.deploy.retries");
	}
	sg_config_free(cfg);
	sg_error_release(&err);
	return 0;
}
