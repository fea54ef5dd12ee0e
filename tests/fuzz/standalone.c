/* SPDX-License-Identifier: MIT */
/*
 * standalone.c - replay a libFuzzer corpus without libFuzzer, so that
 * `make check` runs every committed input through every harness with the
 * normal compiler (and under ASan/UBSan with SANITIZE=1).
 *
 *	fuzz_target [--tap] FILE|DIR...
 *
 * With --tap each input is one TAP test line; a crash aborts the process,
 * which tests/run counts as a failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int tap;
static int n;

static int
run_file(const char *path)
{
	FILE *f;
	uint8_t *data;
	long len;

	if (!(f = fopen(path, "rb"))) {
		perror(path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(len > 0 ? (size_t)len : 1);
	if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		fclose(f);
		free(data);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)len);
	free(data);
	n++;
	if (tap)
		printf("ok %d - %s\n", n, path);
	return 0;
}

static int
run_path(const char *path)
{
	struct stat st;
	struct dirent **ents;
	int m;
	int rc = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	m = scandir(path, &ents, NULL, alphasort);
	if (m < 0) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < m; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path,
			    ents[i]->d_name);
			rc |= run_path(sub);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tap"))
			tap = 1;
		else
			rc |= run_path(argv[i]);
	}
	if (tap)
		printf("1..%d\n", n);
	return rc;
}
