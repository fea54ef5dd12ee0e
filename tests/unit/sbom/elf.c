/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/sbom/elf.c: a hand-made 32-bit big-endian and
 * 64-bit little-endian image (the layouts of the System V ABI, written
 * here byte by byte), and the corruptions the reader must refuse without
 * reading outside the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sbom/sbom_int.h"

/* where the 64-bit image's dynamic array starts: after 2 headers */
#define DYN64 (64 + 2 * 56)

static unsigned char img[512];
static size_t img_len;

static void
put(size_t off, uint64_t v, unsigned size, bool be)
{
	for (unsigned i = 0; i < size; i++)
		img[off + (be ? size - 1 - i : i)] = (unsigned char)(v >> (8 * i));
}

/*
 * ELF header, PT_LOAD (whole file at 0x1000), PT_DYNAMIC, the dynamic
 * array (DT_NEEDED "libz.so.1", DT_NEEDED "libm.so.6", DT_SONAME, DT_STRTAB,
 * DT_STRSZ, DT_NULL) and the string table.
 */
static void
make(bool is64, bool be)
{
	static const char strtab[] = "\0libz.so.1\0libm.so.6\0libq.so.2";
	size_t eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, w = is64 ? 8 : 4;
	size_t dyn = eh + 2 * ph, dsz = 6 * 2 * w, str = dyn + dsz;
	size_t total = str + sizeof(strtab);
	uint64_t base = 0x1000;
	uint64_t d[6][2] = {{1, 1}, {1, 11}, {14, 21}, {5, base + str},
	    {10, sizeof(strtab)}, {0, 0}};

	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = is64 ? 2 : 1;
	img[5] = be ? 2 : 1;
	img[6] = 1;
	put(16, 3, 2, be);
	put(18, is64 ? 62 : 20, 2, be);
	if (is64) {
		put(32, eh, 8, be);
		put(52, eh, 2, be);
		put(54, ph, 2, be);
		put(56, 2, 2, be);
		put(eh, 1, 4, be);
		put(eh + 8, 0, 8, be);
		put(eh + 16, base, 8, be);
		put(eh + 32, total, 8, be);
		put(eh + ph, 2, 4, be);
		put(eh + ph + 8, dyn, 8, be);
		put(eh + ph + 16, base + dyn, 8, be);
		put(eh + ph + 32, dsz, 8, be);
	} else {
		put(28, eh, 4, be);
		put(40, eh, 2, be);
		put(42, ph, 2, be);
		put(44, 2, 2, be);
		put(eh, 1, 4, be);
		put(eh + 4, 0, 4, be);
		put(eh + 8, base, 4, be);
		put(eh + 16, total, 4, be);
		put(eh + ph, 2, 4, be);
		put(eh + ph + 4, dyn, 4, be);
		put(eh + ph + 8, base + dyn, 4, be);
		put(eh + ph + 16, dsz, 4, be);
	}
	for (size_t i = 0; i < 6; i++) {
		put(dyn + i * 2 * w, d[i][0], (unsigned)w, be);
		put(dyn + i * 2 * w + w, d[i][1], (unsigned)w, be);
	}
	memcpy(img + str, strtab, sizeof(strtab));
	img_len = total;
}

static void
check_good(bool is64, bool be)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_elf_info info;

	make(is64, be);
	assert_int_equal(sg_elf_parse(&info, img, img_len, "x", &err), 0);
	assert_int_equal(info.elfclass, is64 ? 64 : 32);
	assert_int_equal(info.big_endian, be);
	assert_int_equal(info.machine, is64 ? 62 : 20);
	assert_int_equal(info.type, 3);
	assert_int_equal(info.nneeded, 2);
	assert_string_equal(info.needed[0], "libz.so.1");
	assert_string_equal(info.needed[1], "libm.so.6");
	assert_string_equal(info.soname, "libq.so.2");
	sg_elf_info_release(&info);
}

static void
four_layouts(void **state)
{
	(void)state;
	check_good(false, true);
	check_good(false, false);
	check_good(true, true);
	check_good(true, false);
}

static void
expect_bad(const char *what)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_elf_info info;

	assert_int_equal(sg_elf_parse(&info, img, img_len, "x", &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, what));
	sg_elf_info_release(&info);
	sg_error_release(&err);
}

static void
corruptions_are_refused(void **state)
{
	(void)state;
	make(true, false);
	img_len = 40;
	expect_bad("too short");
	make(true, false);
	img[4] = 3;
	expect_bad("EI_CLASS");
	make(true, false);
	put(32, 0xfffffffffffffff0ull, 8, false); /* e_phoff */
	expect_bad("program headers lie outside");
	make(false, true);
	put(52 + 32 + 16, 0x7fffffff, 4, true); /* PT_DYNAMIC p_filesz */
	expect_bad("PT_DYNAMIC lies outside");
	make(true, false);
	put(DYN64 + 16 * 3 + 8, 0x9999999, 8, false); /* DT_STRTAB */
	expect_bad("DT_STRTAB is in no loaded segment");
	make(true, false);
	put(DYN64 + 8, 5000, 8, false); /* DT_NEEDED index */
	expect_bad("DT_NEEDED name");
	make(true, false);
	img_len -= 1; /* the last string loses its NUL: SONAME dropped */
	{
		struct sg_error err = SG_ERROR_INIT;
		struct sg_elf_info info;

		assert_int_equal(sg_elf_parse(&info, img, img_len, "x", &err),
		    0);
		assert_null(info.soname);
		sg_elf_info_release(&info);
	}
}

static void
static_and_relocatable_need_nothing(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_elf_info info;

	(void)state;
	make(true, false);
	put(56, 0, 2, false); /* e_phnum 0 */
	assert_int_equal(sg_elf_parse(&info, img, img_len, "x", &err), 0);
	assert_int_equal(info.nneeded, 0);
	sg_elf_info_release(&info);
	make(true, false);
	put(64 + 56, 4, 4, false); /* PT_DYNAMIC becomes PT_NOTE */
	assert_int_equal(sg_elf_parse(&info, img, img_len, "x", &err), 0);
	assert_int_equal(info.nneeded, 0);
	sg_elf_info_release(&info);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(four_layouts),
		cmocka_unit_test(corruptions_are_refused),
		cmocka_unit_test(static_and_relocatable_need_nothing),
	};

	return cmocka_run_group_tests_name("sbom/elf", tests, NULL, NULL);
}
