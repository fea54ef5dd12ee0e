/* SPDX-License-Identifier: MIT */
/*
 * dpkg.c - from a DT_NEEDED soname to the Debian package that ships it.
 *
 * Step 1, soname -> file, the way ld.so(8) finds it, minus the parts that
 * depend on the environment of one process (LD_LIBRARY_PATH, LD_PRELOAD,
 * hwcaps subdirectories):
 *
 *	a name with a '/'	used as it is
 *	DT_RUNPATH/DT_RPATH	each directory, $ORIGIN replaced
 *	/etc/ld.so.cache	the entries for that name (format
 *				"glibc-ld.so.cache1.1", what ldconfig writes
 *				since glibc 2.32)
 *	default directories	/lib/TRIPLET, /usr/lib/TRIPLET, /lib, /usr/lib
 *				(and lib64 for 64-bit objects)
 *
 * and each candidate must be an ELF file of the same class and machine as
 * the artifact, which is what keeps a 32-bit libc in /lib32 from answering
 * for a 64-bit program (the cache's per-entry flags say the same thing in
 * a less portable way).
 *
 * Step 2, file -> package: dpkg's own database.  /var/lib/dpkg/status
 * gives the installed packages with their versions and architectures;
 * info/PKG[:ARCH].list the files each one shipped.  The lists are read
 * once per SBOM, only for the paths wanted (a sorted array searched per
 * line), which is what `dpkg -S` does too.  A path is also tried in its
 * merged-/usr twin ("/lib/x/libc.so.6" and "/usr/lib/x/libc.so.6") and
 * through its canonical path, because Debian 12 ships libc6 under /lib
 * while ldconfig may report /usr/lib, and the other way round.
 *
 * The admin directory, the cache and a prefix for every library path are
 * options, so that tests can give a made-up system.
 */
#include "sbom/sbom_int.h"

#include "sys/dir.h"
#include "sys/fs.h"
#include "sys/map.h"

struct dpkg_pkg {
	char *name;
	char *arch;
	char *version;
};

struct dpkg_want {
	char *path;
	const struct dpkg_pkg *owner; /* NULL until found */
};

struct sg_dpkg {
	char *admindir;
	char *ld_cache;
	char *lib_root;
	struct dpkg_pkg *pkgs; /* sorted by name, arch */
	size_t npkgs, cap;
	struct dpkg_want *want; /* sorted by path once owners() runs */
	size_t nwant, wantcap;
	struct sg_buf cache;	/* ld.so.cache bytes, loaded on first use */
	bool cache_loaded;
};

static int
cmp_pkg(const void *a, const void *b)
{
	const struct dpkg_pkg *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->arch, y->arch);
}

static const struct dpkg_pkg *
find_pkg(const struct sg_dpkg *d, const char *name, size_t nlen,
    const char *arch)
{
	/* linear in the run of equal names: a few at most */
	size_t lo = 0, hi = d->npkgs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(d->pkgs[mid].name, name, nlen);

		if (!c && d->pkgs[mid].name[nlen])
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < d->npkgs; i++) {
		if (strncmp(d->pkgs[i].name, name, nlen) ||
		    d->pkgs[i].name[nlen])
			break;
		if (!arch || !strcmp(d->pkgs[i].arch, arch))
			return &d->pkgs[i];
	}
	return NULL;
}

static void
add_pkg(struct sg_dpkg *d, const char *name, size_t nl, const char *arch,
    size_t al, const char *ver, size_t vl)
{
	struct dpkg_pkg *p;

	if (d->npkgs == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->pkgs = sg_xreallocarray(d->pkgs, d->cap, sizeof(*d->pkgs));
	}
	p = &d->pkgs[d->npkgs++];
	p->name = sg_xstrndup(name, nl);
	p->arch = sg_xstrndup(arch, al);
	p->version = sg_xstrndup(ver, vl);
}

int
sg_dpkg__parse_status(struct sg_dpkg *d, const char *data, size_t len,
    struct sg_error *err)
{
	const char *p = data, *end = data + len;
	const char *name = NULL, *arch = NULL, *ver = NULL;
	size_t nl = 0, al = 0, vl = 0;
	bool installed = false;

	for (;;) {
		const char *nlp = p < end ? memchr(p, '\n', (size_t)(end - p)) :
		    NULL;
		const char *le = nlp ? nlp : end;
		size_t n = (size_t)(le - p);

		if (p >= end || !n) {
			/* the end of a paragraph */
			if (installed && name && ver && arch && nl && vl &&
			    al && sg_sbom__text_ok(name, nl) &&
			    sg_sbom__text_ok(ver, vl) &&
			    sg_sbom__text_ok(arch, al))
				add_pkg(d, name, nl, arch, al, ver, vl);
			name = arch = ver = NULL;
			installed = false;
			if (p >= end)
				break;
			p = le + 1;
			continue;
		}
#define FIELD(f) (n > sizeof(f) - 1 && !memcmp(p, f, sizeof(f) - 1))
		if (FIELD("Package: ")) {
			name = p + 9, nl = n - 9;
		} else if (FIELD("Version: ")) {
			ver = p + 9, vl = n - 9;
		} else if (FIELD("Architecture: ")) {
			arch = p + 14, al = n - 14;
		} else if (FIELD("Status: ")) {
			installed = n >= 18 &&
			    !memcmp(p + n - 10, " installed", 10);
		}
#undef FIELD
		p = nlp ? nlp + 1 : end;
	}
	if (d->npkgs > 1)
		qsort(d->pkgs, d->npkgs, sizeof(*d->pkgs), cmp_pkg);
	(void)err;
	return 0;
}

int
sg_dpkg_open(struct sg_dpkg **out, const struct sg_dpkg_options *opts,
    struct sg_error *err)
{
	struct sg_dpkg *d = sg_xcalloc(1, sizeof(*d));

	(void)err;
	d->admindir = sg_xstrdup(opts && opts->admindir ? opts->admindir :
	    "/var/lib/dpkg");
	d->ld_cache = sg_xstrdup(opts && opts->ld_cache ? opts->ld_cache :
	    "/etc/ld.so.cache");
	d->lib_root = sg_xstrdup(opts && opts->lib_root ? opts->lib_root : "");
	sg_buf_init(&d->cache, 0);
	*out = d;
	return 0;
}

/*
 * Read the status file, when there is a file to look up: an SBOM without
 * ELF artifacts never pays for the 800 KB of a typical status file.
 */
static int
load_status(struct sg_dpkg *d, struct sg_error *err)
{
	struct sg_buf b;
	char *path;
	int error;

	sg_buf_init(&b, 0);
	path = sg_xasprintf("%s/status", d->admindir);
	error = sg_fs_read_file(&b, path, SG_SBOM_MAX_DPKG_FILE, err);
	if (error == SG_ENOTFOUND) {
		/* not a Debian system: no package is known, which is fine */
		sg_error_release(err);
		error = 0;
	} else if (!error) {
		error = sg_dpkg__parse_status(d, b.ptr, b.len, err);
	}
	free(path);
	sg_buf_release(&b);
	return error;
}

void
sg_dpkg_free(struct sg_dpkg *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->npkgs; i++) {
		free(d->pkgs[i].name);
		free(d->pkgs[i].arch);
		free(d->pkgs[i].version);
	}
	for (size_t i = 0; i < d->nwant; i++)
		free(d->want[i].path);
	free(d->pkgs);
	free(d->want);
	sg_buf_release(&d->cache);
	free(d->admindir);
	free(d->ld_cache);
	free(d->lib_root);
	free(d);
}

/* ---- soname -> file ---- */

static const char *
triplet(unsigned machine, unsigned elfclass, bool be)
{
	switch (machine) {
	case 62:
		return "x86_64-linux-gnu";
	case 3:
		return "i386-linux-gnu";
	case 183:
		return "aarch64-linux-gnu";
	case 40:
		return "arm-linux-gnueabihf";
	case 243:
		return "riscv64-linux-gnu";
	case 21:
		return "powerpc64le-linux-gnu";
	case 22:
		return "s390x-linux-gnu";
	case 8:
		return elfclass == 64 ? "mips64el-linux-gnuabi64" :
		    (be ? "mips-linux-gnu" : "mipsel-linux-gnu");
	default:
		return NULL;
	}
}

/* true when lib_root + path is an ELF object like info. */
static bool
matches(struct sg_dpkg *d, const struct sg_elf_info *info, const char *path)
{
	char *full = sg_xasprintf("%s%s", d->lib_root, path);
	struct sg_error e = SG_ERROR_INIT;
	unsigned char hdr[20];
	ssize_t n = 0;
	int fd;
	bool ok = false;

	if (sg_fs_open_read(&fd, full, 0, NULL, &e) == 0) {
		n = sg_fs_read(fd, hdr, sizeof(hdr));
		sg_fs_close(fd);
		if (n == (ssize_t)sizeof(hdr) && sg_elf_is_elf(hdr, 4)) {
			unsigned cls = hdr[4] == 2 ? 64 : 32;
			bool be = hdr[5] == 2;
			unsigned mach = be ? (unsigned)(hdr[18] << 8 | hdr[19]) :
			    (unsigned)(hdr[19] << 8 | hdr[18]);

			ok = cls == info->elfclass && be == info->big_endian &&
			    mach == info->machine;
		}
	}
	sg_error_release(&e);
	free(full);
	return ok;
}

static bool
try_dir(char **out, struct sg_dpkg *d, const struct sg_elf_info *info,
    const char *dir, size_t dlen, const char *soname)
{
	char *p = sg_xasprintf("%.*s/%s", (int)dlen, dir, soname);

	if (matches(d, info, p)) {
		*out = p;
		return true;
	}
	free(p);
	return false;
}

static void
load_cache(struct sg_dpkg *d)
{
	struct sg_error e = SG_ERROR_INIT;

	d->cache_loaded = true;
	if (sg_fs_read_file(&d->cache, d->ld_cache, 64u << 20, &e) < 0)
		sg_buf_truncate(&d->cache, 0);
	sg_error_release(&e);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* Look soname up in ld.so.cache (new format, host byte order: LE). */
static bool
try_cache(char **out, struct sg_dpkg *d, const struct sg_elf_info *info,
    const char *soname)
{
	static const char magic[] = "glibc-ld.so.cache1.1";
	const unsigned char *c;
	size_t len;
	uint32_t nlibs;

	if (!d->cache_loaded)
		load_cache(d);
	c = (const unsigned char *)d->cache.ptr;
	len = d->cache.len;
	if (len < 48 || memcmp(c, magic, sizeof(magic) - 1))
		return false;
	nlibs = le32(c + 20);
	if (nlibs > (len - 48) / 24)
		return false;
	for (uint32_t i = 0; i < nlibs; i++) {
		const unsigned char *e = c + 48 + (size_t)i * 24;
		uint32_t k = le32(e + 4), v = le32(e + 8);
		const char *ks, *vs;

		if (k >= len || v >= len || !memchr(c + k, '\0', len - k) ||
		    !memchr(c + v, '\0', len - v))
			continue;
		ks = (const char *)c + k;
		vs = (const char *)c + v;
		if (strcmp(ks, soname) || vs[0] != '/')
			continue;
		if (matches(d, info, vs)) {
			*out = sg_xstrdup(vs);
			return true;
		}
	}
	return false;
}

static bool
try_runpath(char **out, struct sg_dpkg *d, const struct sg_elf_info *info,
    const char *origin, const char *soname)
{
	const char *p = info->runpath;

	while (p && *p) {
		size_t n = strcspn(p, ":");
		char *dir;
		bool ok = false;

		if (n >= 7 && !strncmp(p, "$ORIGIN", 7))
			dir = sg_xasprintf("%s%.*s", origin, (int)(n - 7), p + 7);
		else if (n >= 9 && !strncmp(p, "${ORIGIN}", 9))
			dir = sg_xasprintf("%s%.*s", origin, (int)(n - 9), p + 9);
		else
			dir = sg_xstrndup(p, n);
		if (*dir && !strchr(dir, '$'))
			ok = try_dir(out, d, info, dir, strlen(dir), soname);
		free(dir);
		if (ok)
			return true;
		p += n;
		if (*p == ':')
			p++;
	}
	return false;
}

int
sg_dpkg_find_lib(char **out, struct sg_dpkg *d, const struct sg_elf_info *info,
    const char *origin, const char *soname, struct sg_error *err)
{
	const char *t = triplet(info->machine, info->elfclass, info->big_endian);
	const char *dirs[] = {"/lib", "/usr/lib", "/lib64", "/usr/lib64"};

	*out = NULL;
	(void)err;
	if (strchr(soname, '/')) {
		if (soname[0] == '/' && matches(d, info, soname))
			*out = sg_xstrdup(soname);
		return 0;
	}
	if (try_runpath(out, d, info, origin, soname) ||
	    try_cache(out, d, info, soname))
		return 0;
	for (size_t i = 0; t && i < 2; i++) {
		char *dir = sg_xasprintf("%s/%s", dirs[i], t);
		bool ok = try_dir(out, d, info, dir, strlen(dir), soname);

		free(dir);
		if (ok)
			return 0;
	}
	for (size_t i = 0; i < SG_ARRAY_SIZE(dirs); i++) {
		if (i >= 2 && info->elfclass != 64)
			break;
		if (try_dir(out, d, info, dirs[i], strlen(dirs[i]), soname))
			return 0;
	}
	return 0;
}

/* ---- file -> package ---- */

void
sg_dpkg_want(struct sg_dpkg *d, const char *path)
{
	if (d->nwant == d->wantcap) {
		d->wantcap = d->wantcap ? d->wantcap * 2 : 16;
		d->want = sg_xreallocarray(d->want, d->wantcap,
		    sizeof(*d->want));
	}
	d->want[d->nwant].path = sg_xstrdup(path);
	d->want[d->nwant].owner = NULL;
	d->nwant++;
}

static int
cmp_want(const void *a, const void *b)
{
	return strcmp(((const struct dpkg_want *)a)->path,
	    ((const struct dpkg_want *)b)->path);
}

static struct dpkg_want *
find_want(const struct sg_dpkg *d, const char *path)
{
	struct dpkg_want key = {.path = (char *)path};

	return d->nwant ? bsearch(&key, d->want, d->nwant, sizeof(*d->want),
	    cmp_want) : NULL;
}

/* Match the lines of one .list file against the wanted paths. */
static void
scan_list(struct sg_dpkg *d, const struct dpkg_pkg *pkg, const char *data,
    size_t len)
{
	const char *p = data, *end = data + len;
	char line[4096];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		struct dpkg_want *w;

		if (n && n < sizeof(line) && *p == '/') {
			memcpy(line, p, n);
			line[n] = '\0';
			if ((w = find_want(d, line)) && !w->owner)
				w->owner = pkg;
		}
		p = nl ? nl + 1 : end;
	}
}

int
sg_dpkg_owners(struct sg_dpkg *d, struct sg_error *err)
{
	struct sg_dir info = SG_DIR_INIT;
	struct sg_dirent *ents = NULL;
	struct sg_buf b;
	size_t nents = 0, w;
	char *dir;
	int error;

	if (!d->nwant)
		return 0;
	if ((error = load_status(d, err)) < 0 || !d->npkgs)
		return error;
	qsort(d->want, d->nwant, sizeof(*d->want), cmp_want);
	w = 0;
	for (size_t i = 0; i < d->nwant; i++) {
		if (w && !strcmp(d->want[w - 1].path, d->want[i].path))
			free(d->want[i].path);
		else
			d->want[w++] = d->want[i];
	}
	d->nwant = w;
	sg_buf_init(&b, 0);
	dir = sg_xasprintf("%s/info", d->admindir);
	if ((error = sg_dir_open(&info, NULL, dir, 0, err)) < 0) {
		if (error == SG_ENOTFOUND) {
			sg_error_release(err);
			error = 0;
		}
		goto out;
	}
	if ((error = sg_dir_list(&ents, &nents, &info, NULL, err)) < 0)
		goto out;
	for (size_t i = 0; i < nents; i++) {
		const char *name = ents[i].name, *colon;
		size_t len = strlen(name), nl;
		const struct dpkg_pkg *pkg;
		char *path;

		if (ents[i].type != SG_FS_FILE || len < 6 ||
		    strcmp(name + len - 5, ".list"))
			continue;
		len -= 5;
		colon = memchr(name, ':', len);
		nl = colon ? (size_t)(colon - name) : len;
		if (colon) {
			char *arch = sg_xstrndup(colon + 1, len - nl - 1);

			pkg = find_pkg(d, name, nl, arch);
			free(arch);
		} else {
			pkg = find_pkg(d, name, nl, NULL);
		}
		if (!pkg)
			continue; /* a list of a package no longer installed */
		path = sg_xasprintf("%s/%s", dir, name);
		sg_buf_truncate(&b, 0);
		error = sg_fs_read_file(&b, path, SG_SBOM_MAX_DPKG_FILE, err);
		free(path);
		if (error < 0)
			goto out;
		scan_list(d, pkg, b.ptr, b.len);
	}
out:
	sg_dirent_free(ents, nents);
	sg_dir_close(&info);
	sg_buf_release(&b);
	free(dir);
	return error;
}

bool
sg_dpkg_owner(const struct sg_dpkg *d, const char *path, const char **name,
    const char **version, const char **arch)
{
	struct dpkg_want *w = find_want(d, path);

	if (!w || !w->owner)
		return false;
	*name = w->owner->name;
	*version = w->owner->version;
	*arch = w->owner->arch;
	return true;
}
