/* SPDX-License-Identifier: MIT */
/*
 * gate_input.h - what the gate harnesses share: the readers take paths
 * (they stream from a file descriptor), so each input is written to one
 * scratch file per process first.  Header-only, test code.
 */
#ifndef SG_FUZZ_GATE_INPUT_H
#define SG_FUZZ_GATE_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The scratch file holding data (the same path on every call). */
static inline const char *
gate_input(const uint8_t *data, size_t size)
{
	static char path[64];
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/specgate-fuzz.%ld",
		    (long)getpid());
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f))
		abort();
	return path;
}

#endif /* SG_FUZZ_GATE_INPUT_H */
