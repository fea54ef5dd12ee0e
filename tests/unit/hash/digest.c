/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/hash/digest.c: SHA-256 against the FIPS 180-2
 * vectors, streaming in odd chunk sizes against one-shot, context reuse,
 * the file hashers (chunk boundaries, the size cap) and the hex helper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include <fcntl.h>
#include <unistd.h>

#include "hash/digest.h"

#define MILLION_A                                                              \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

SG_TEST(known_vectors)
{
	struct sg_error err = SG_ERROR_INIT;
	char hex[SG_SHA256_HEX_LEN + 1];
	char *a;

	(void)state;
	assert_int_equal(sg_sha256_hex(hex, "", 0, &err), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
	assert_int_equal(sg_sha256_hex(hex, "abc", 3, &err), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(sg_sha256_hex(hex,
			     "abcdbcdecdefdefgefghfghighijhijk"
			     "ijkljklmklmnlmnomnopnopq",
			     56, &err),
	    0);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
				 "a33ce45964ff2167f6ecedd419db06c1");
	a = malloc(1000000);
	memset(a, 'a', 1000000);
	assert_int_equal(sg_sha256_hex(hex, a, 1000000, &err), 0);
	assert_string_equal(hex, MILLION_A);
	free(a);
	assert_int_equal(err.code, 0);
}

/* Feeding the same bytes in chunks of any size gives the one-shot digest. */
SG_TEST(streaming_equals_one_shot)
{
	static const size_t steps[] = {1, 2, 3, 7, 55, 56, 63, 64, 65, 127,
		4093, 65537};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_sha256 h;
	unsigned char want[SG_SHA256_LEN];
	unsigned char got[SG_SHA256_LEN];
	unsigned char *data;
	size_t len = 200003;

	(void)state;
	data = malloc(len);
	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 131 + (i >> 7));
	assert_int_equal(sg_sha256_buf(want, data, len, &err), 0);
	assert_int_equal(sg_sha256_init(&h, &err), 0);
	for (size_t s = 0; s < SG_ARRAY_SIZE(steps); s++) {
		/* h is reused: final starts a new message each time. */
		for (size_t off = 0; off < len; off += steps[s]) {
			size_t n = len - off < steps[s] ? len - off : steps[s];

			assert_int_equal(
			    sg_sha256_update(&h, data + off, n, &err), 0);
		}
		assert_int_equal(sg_sha256_final(&h, got, &err), 0);
		assert_memory_equal(got, want, SG_SHA256_LEN);
	}
	/* An empty message after reuse, and a zero-length update. */
	assert_int_equal(sg_sha256_update(&h, NULL, 0, &err), 0);
	assert_int_equal(sg_sha256_final(&h, got, &err), 0);
	assert_int_equal(sg_sha256_buf(want, "", 0, &err), 0);
	assert_memory_equal(got, want, SG_SHA256_LEN);
	sg_sha256_release(&h);
	sg_sha256_release(&h); /* twice is harmless */
	sg_sha256_release(NULL);
	free(data);
}

SG_TEST(hex_is_lower_case)
{
	static const unsigned char bytes[] = {0x00, 0x0f, 0xa0, 0xff, 0x5c};
	char hex[2 * sizeof(bytes) + 1];

	(void)state;
	sg_hex_lower(hex, bytes, sizeof(bytes));
	assert_string_equal(hex, "000fa0ff5c");
	sg_hex_lower(hex, bytes, 0);
	assert_string_equal(hex, "");
}

static char *
write_temp(const void *p, size_t n)
{
	char *path = strdup("/tmp/sg-digest-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
	return path;
}

/* Files crossing the 1 MiB chunk, and a million 'a' from disk. */
SG_TEST(files_hash_like_buffers)
{
	static const size_t sizes[] = {0, 1, SG_SHA256_CHUNK - 1,
		SG_SHA256_CHUNK, SG_SHA256_CHUNK + 1, 3 * SG_SHA256_CHUNK + 17};
	struct sg_error err = SG_ERROR_INIT;
	unsigned char want[SG_SHA256_LEN];
	unsigned char got[SG_SHA256_LEN];
	char hex[SG_SHA256_HEX_LEN + 1];
	unsigned char *data;
	char *path;

	(void)state;
	data = malloc(sizes[SG_ARRAY_SIZE(sizes) - 1]);
	for (size_t i = 0; i < sizes[SG_ARRAY_SIZE(sizes) - 1]; i++)
		data[i] = (unsigned char)(i ^ (i >> 11));
	for (size_t s = 0; s < SG_ARRAY_SIZE(sizes); s++) {
		path = write_temp(data, sizes[s]);
		assert_int_equal(sg_sha256_buf(want, data, sizes[s], &err), 0);
		assert_int_equal(sg_sha256_path(got, path, UINT64_MAX, &err),
		    0);
		assert_memory_equal(got, want, SG_SHA256_LEN);
		unlink(path);
		free(path);
	}
	memset(data, 'a', 1000000);
	path = write_temp(data, 1000000);
	assert_int_equal(sg_sha256_path(got, path, 1000000, &err), 0);
	sg_hex_lower(hex, got, sizeof(got));
	assert_string_equal(hex, MILLION_A);
	unlink(path);
	free(path);
	free(data);
}

/* One byte over the cap is SG_ETOOBIG naming the file; h stays usable. */
SG_TEST(file_over_the_cap_is_refused)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_sha256 h;
	unsigned char got[SG_SHA256_LEN];
	char hex[SG_SHA256_HEX_LEN + 1];
	char *path;
	int fd;

	(void)state;
	path = write_temp("abcd", 4);
	assert_int_equal(sg_sha256_path(got, path, 3, &err), SG_ETOOBIG);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "too large"));
	sg_error_release(&err);

	assert_int_equal(sg_sha256_init(&h, &err), 0);
	fd = open(path, O_RDONLY);
	assert_int_equal(sg_sha256_fd(got, &h, fd, path, 2, &err), SG_ETOOBIG);
	sg_error_release(&err);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(sg_sha256_fd(got, &h, fd, path, 4, &err), 0);
	sg_hex_lower(hex, got, sizeof(got));
	assert_string_equal(hex, "88d4266fd4e6338d13b845fcf289579d"
				 "209c897823b9217da3e161936f031589");
	close(fd);
	sg_sha256_release(&h);
	unlink(path);
	free(path);
}

SG_TEST(missing_file_is_not_found)
{
	struct sg_error err = SG_ERROR_INIT;
	unsigned char got[SG_SHA256_LEN];

	(void)state;
	assert_int_equal(sg_sha256_path(got, "/nonexistent/x.feature",
			     UINT64_MAX, &err),
	    SG_ENOTFOUND);
	assert_string_equal(err.message,
	    "'/nonexistent/x.feature' does not exist");
	sg_error_release(&err);
	assert_int_equal(sg_sha256_path(got, "/tmp", UINT64_MAX, &err),
	    SG_EINVAL);
	sg_error_release(&err);
}

SG_TEST_MAIN("hash/digest")
