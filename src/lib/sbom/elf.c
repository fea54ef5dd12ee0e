/* SPDX-License-Identifier: MIT */
/*
 * elf.c - the shared libraries an ELF object asks for (DT_NEEDED), read by
 * hand from the bytes: 32- and 64-bit, little- and big-endian.
 *
 * The path is the dynamic loader's, not the linker's: program headers,
 * PT_DYNAMIC for the dynamic array, and the PT_LOAD segments to turn the
 * DT_STRTAB address into a file offset.  Section headers are optional in a
 * runnable object (`strip --strip-section-headers`), program headers are
 * not, so this reads what ld.so reads.
 *
 * Every field comes from an untrusted file: each offset, size and count is
 * checked against the image before it is used, sums are checked for
 * overflow, and every string must end inside the string table.  A failure
 * is SG_EINVAL naming the file and what was wrong, never a crash
 * (tests/fuzz/fuzz_elf.c).  Why not libelf: one more library for forty
 * lines of reading, and its own error model to translate.
 */
#include "sbom/sbom_int.h"

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_NEEDED 1
#define DT_STRTAB 5
#define DT_STRSZ 10
#define DT_SONAME 14
#define DT_RPATH 15
#define DT_RUNPATH 29

struct img {
	const unsigned char *p;
	size_t len;
	bool be;
	bool is64;
	const char *name;
};

static uint64_t
rd(const struct img *m, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		unsigned k = m->be ? i : size - 1 - i;

		v = (v << 8) | m->p[off + k];
	}
	return v;
}

/* true when [off, off + n) lies inside the image */
static bool
inside(const struct img *m, uint64_t off, uint64_t n)
{
	return off <= m->len && n <= m->len - off;
}

bool
sg_elf_is_elf(const void *p, size_t n)
{
	return n >= 4 && !memcmp(p, "\177ELF", 4);
}

struct seg {
	uint64_t type, off, vaddr, filesz;
};

static int
bad(const struct img *m, struct sg_error *err, const char *what)
{
	return sg_error_set_at(err, SG_EINVAL, m->name, 0, 0,
	    "malformed ELF file: %s", what);
}

static void
read_seg(struct seg *s, const struct img *m, uint64_t at)
{
	if (m->is64) {
		s->type = rd(m, at, 4);
		s->off = rd(m, at + 8, 8);
		s->vaddr = rd(m, at + 16, 8);
		s->filesz = rd(m, at + 32, 8);
	} else {
		s->type = rd(m, at, 4);
		s->off = rd(m, at + 4, 4);
		s->vaddr = rd(m, at + 8, 4);
		s->filesz = rd(m, at + 16, 4);
	}
}

/* The file offset of virtual address v, from the PT_LOAD segments. */
static bool
vaddr_to_off(uint64_t *out, const struct img *m, uint64_t phoff,
    unsigned phentsize, unsigned phnum, uint64_t v)
{
	for (unsigned i = 0; i < phnum; i++) {
		struct seg s;

		read_seg(&s, m, phoff + (uint64_t)i * phentsize);
		if (s.type != PT_LOAD || v < s.vaddr || v - s.vaddr >= s.filesz)
			continue;
		if (s.off > UINT64_MAX - (v - s.vaddr))
			return false;
		*out = s.off + (v - s.vaddr);
		return *out < m->len;
	}
	return false;
}

/* The string at strtab + idx, which must end within the table. */
static char *
dyn_string(const struct img *m, uint64_t strtab, uint64_t strsz, uint64_t idx)
{
	uint64_t limit = m->len - strtab;
	const char *s, *end;

	if (strsz && strsz < limit)
		limit = strsz;
	if (idx >= limit)
		return NULL;
	s = (const char *)m->p + strtab + idx;
	end = memchr(s, '\0', limit - idx);
	if (!end || !sg_sbom__text_ok(s, (size_t)(end - s)) || end == s)
		return NULL;
	return sg_xstrndup(s, (size_t)(end - s));
}

static int
read_dynamic(struct sg_elf_info *out, const struct img *m, const struct seg *dyn,
    uint64_t phoff, unsigned phentsize, unsigned phnum, struct sg_error *err)
{
	unsigned esz = m->is64 ? 16 : 8, w = m->is64 ? 8 : 4;
	uint64_t n = dyn->filesz / esz, strtab_v = 0, strsz = 0, strtab;
	uint64_t soname = UINT64_MAX, runpath = UINT64_MAX, rpath = UINT64_MAX;
	bool has_strtab = false;
	size_t nneeded = 0;

	if (!inside(m, dyn->off, dyn->filesz))
		return bad(m, err, "PT_DYNAMIC lies outside the file");
	/* first pass: the string table and how many DT_NEEDED */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t tag = rd(m, dyn->off + i * esz, w);
		uint64_t val = rd(m, dyn->off + i * esz + w, w);

		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB)
			has_strtab = true, strtab_v = val;
		else if (tag == DT_STRSZ)
			strsz = val;
		else if (tag == DT_NEEDED)
			nneeded++;
		else if (tag == DT_SONAME)
			soname = val;
		else if (tag == DT_RUNPATH)
			runpath = val;
		else if (tag == DT_RPATH)
			rpath = val;
	}
	if (!nneeded && soname == UINT64_MAX && runpath == UINT64_MAX &&
	    rpath == UINT64_MAX)
		return 0;
	if (!has_strtab)
		return bad(m, err, "dynamic strings without DT_STRTAB");
	if (nneeded > SG_ELF_MAX_NEEDED)
		return bad(m, err, "too many DT_NEEDED entries");
	if (!vaddr_to_off(&strtab, m, phoff, phentsize, phnum, strtab_v))
		return bad(m, err, "DT_STRTAB is in no loaded segment");
	out->needed = nneeded ? sg_xcalloc(nneeded, sizeof(*out->needed)) :
	    NULL;
	for (uint64_t i = 0; i < n && out->nneeded < nneeded; i++) {
		uint64_t tag = rd(m, dyn->off + i * esz, w);
		uint64_t val = rd(m, dyn->off + i * esz + w, w);
		char *s;

		if (tag == DT_NULL)
			break;
		if (tag != DT_NEEDED)
			continue;
		if (!(s = dyn_string(m, strtab, strsz, val)))
			return bad(m, err, "a DT_NEEDED name is not a string "
					   "of the string table");
		out->needed[out->nneeded++] = s;
	}
	if (soname != UINT64_MAX)
		out->soname = dyn_string(m, strtab, strsz, soname);
	if (runpath == UINT64_MAX)
		runpath = rpath;
	if (runpath != UINT64_MAX)
		out->runpath = dyn_string(m, strtab, strsz, runpath);
	return 0;
}

int
sg_elf_parse(struct sg_elf_info *out, const unsigned char *data, size_t len,
    const char *name, struct sg_error *err)
{
	struct img m = {data, len, false, false, name};
	uint64_t phoff;
	unsigned phentsize, phnum, ehsize;

	memset(out, 0, sizeof(*out));
	if (len < 52 || !sg_elf_is_elf(data, len))
		return bad(&m, err, "too short for an ELF header");
	if (data[4] != 1 && data[4] != 2)
		return bad(&m, err, "EI_CLASS is neither 32- nor 64-bit");
	if (data[5] != 1 && data[5] != 2)
		return bad(&m, err, "EI_DATA is neither little- nor big-endian");
	m.is64 = data[4] == 2;
	m.be = data[5] == 2;
	if (m.is64 && len < 64)
		return bad(&m, err, "too short for an ELF header");
	out->elfclass = m.is64 ? 64 : 32;
	out->big_endian = m.be;
	out->type = (unsigned)rd(&m, 16, 2);
	out->machine = (unsigned)rd(&m, 18, 2);
	if (m.is64) {
		phoff = rd(&m, 32, 8);
		ehsize = (unsigned)rd(&m, 52, 2);
		phentsize = (unsigned)rd(&m, 54, 2);
		phnum = (unsigned)rd(&m, 56, 2);
	} else {
		phoff = rd(&m, 28, 4);
		ehsize = (unsigned)rd(&m, 40, 2);
		phentsize = (unsigned)rd(&m, 42, 2);
		phnum = (unsigned)rd(&m, 44, 2);
	}
	if (ehsize < (m.is64 ? 64u : 52u))
		return bad(&m, err, "e_ehsize is too small");
	if (!phnum)
		return 0; /* a relocatable object: nothing to load */
	if (phnum == 0xffff)
		return bad(&m, err, "PN_XNUM program header counts are not "
				    "supported");
	if (phentsize < (m.is64 ? 56u : 32u))
		return bad(&m, err, "e_phentsize is too small");
	if (!inside(&m, phoff, (uint64_t)phentsize * phnum))
		return bad(&m, err, "the program headers lie outside the file");
	for (unsigned i = 0; i < phnum; i++) {
		struct seg s;

		read_seg(&s, &m, phoff + (uint64_t)i * phentsize);
		if (s.type == PT_DYNAMIC)
			return read_dynamic(out, &m, &s, phoff, phentsize,
			    phnum, err);
	}
	return 0; /* static */
}

void
sg_elf_info_release(struct sg_elf_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->nneeded; i++)
		free(info->needed[i]);
	free(info->needed);
	free(info->runpath);
	free(info->soname);
	memset(info, 0, sizeof(*info));
}
