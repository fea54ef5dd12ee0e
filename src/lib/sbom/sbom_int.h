/* SPDX-License-Identifier: MIT */
/*
 * sbom_int.h - what the files of src/lib/sbom/ share: the component set
 * every reader adds to, the ELF reader, the lockfile readers, the dpkg
 * lookup and the purl encoder.  The readers work on bytes in memory, so
 * that the fuzz harnesses and unit tests call them without files.
 *
 *	set.c		the component set (arena, dedup by bom-ref, graph)
 *	elf.c		DT_NEEDED of an ELF image, 32/64-bit, both byte orders
 *	lockfile.c	package-lock.json, requirements.txt, go.sum, Cargo.lock
 *	dpkg.c		soname -> file (ld.so.cache, multiarch dirs) -> package
 *	purl.c		package URLs (percent-encoding, parsing declared ones)
 *	sbom.c		the driver and the CycloneDX writer
 *
 * Every string of a set lives in the set's arena; components are never
 * freed one by one.
 */
#ifndef SG_SBOM_INT_H
#define SG_SBOM_INT_H

#include "specgate/sbom.h"

#include "util/util.h"

/* A dependsOn edge (a list in the arena). */
struct sg_sbom__dep {
	const char *ref;
	struct sg_sbom__dep *next;
};

struct sg_sbom__comp {
	const char *type;    /* "library", "application", "file" */
	const char *group;   /* or NULL */
	const char *name;
	const char *version; /* or NULL */
	const char *purl;    /* or NULL */
	const char *ref;     /* bom-ref, unique in the document */
	const char *hash_alg; /* "SHA-256", "SHA-512", ... or NULL */
	const char *hash;    /* lower-case hex, or NULL */
	const char *source;  /* where it was found: property specgate:source */
	const char *note;    /* property specgate:note, or NULL */
	struct sg_sbom__dep *deps;
	size_t seq; /* order of addition: the first of equal refs wins */
};

struct sg_sbom__set {
	struct sg_arena arena;
	struct sg_vec comps;		/* struct sg_sbom__comp * */
	struct sg_sbom__dep *root_deps; /* what the project depends on */
	struct sg_vec warnings;		/* char *, malloc'd */
	size_t nwarnings_dropped;
};

#define SG_SBOM__MAX_WARNINGS 200

void sg_sbom__set_init(struct sg_sbom__set *set);
void sg_sbom__set_release(struct sg_sbom__set *set);

/* A new component, zeroed, in the set (SG_ETOOBIG past the cap: NULL). */
struct sg_sbom__comp *sg_sbom__add(struct sg_sbom__set *set);

/* Copy n bytes into the arena as a string. */
const char *sg_sbom__str(struct sg_sbom__set *set, const char *s, size_t n);

/* Add an edge from `from` (NULL: the project) to `to`. */
void sg_sbom__depend(struct sg_sbom__set *set, struct sg_sbom__comp *from,
    const char *to);

void sg_sbom__warn(struct sg_sbom__set *set, const char *fmt, ...)
    SG_PRINTF(2, 3);

/*
 * Sort the components by bom-ref and merge those that share one (their
 * edges are joined; the first one's fields win).  Afterwards comps is
 * sorted and unique; sg_sbom__find() works.
 */
void sg_sbom__set_finish(struct sg_sbom__set *set);
struct sg_sbom__comp *sg_sbom__find(const struct sg_sbom__set *set,
    const char *ref);

/* true when n bytes at s are UTF-8 without NUL or control characters. */
bool sg_sbom__text_ok(const char *s, size_t n);

/* ---- purl.c ---- */

/*
 * Append s (n bytes) percent-encoded as a purl component to b: every byte
 * but A-Z a-z 0-9 . - _ ~ : becomes %XX (upper-case hex).
 */
void sg_sbom__purl_enc(struct sg_buf *b, const char *s, size_t n);

/*
 * "pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS" in the arena, in the
 * canonical form of purl-spec: namespace and name normalised as TYPE's
 * definition says (purl.c), each part encoded (namespace segment by
 * segment); namespace may be NULL.  qualifiers: nqualifiers pairs
 * {key, value, key, value...} (NULL when none), written sorted.
 */
const char *sg_sbom__purl(struct sg_sbom__set *set, const char *type,
    const char *ns, const char *name, const char *version,
    const char *const *qualifiers, size_t nqualifiers);

/*
 * Add the declared component `purl` (from specgate.yaml) to set: type,
 * namespace, name and version decoded from it.  SG_EINVAL when it is not
 * "pkg:TYPE/[NS/]NAME@VERSION[?...][#...]" with valid percent-escapes.
 */
int sg_sbom__add_declared(struct sg_sbom__set *set, const char *purl,
    struct sg_error *err);

/* ---- elf.c ---- */

struct sg_elf_info {
	unsigned elfclass; /* 32 or 64 */
	bool big_endian;
	unsigned machine;  /* e_machine */
	unsigned type;	   /* e_type: 2 ET_EXEC, 3 ET_DYN */
	char **needed;	   /* DT_NEEDED strings, in order (malloc'd) */
	size_t nneeded;
	char *runpath;	   /* DT_RUNPATH, else DT_RPATH, or NULL */
	char *soname;	   /* DT_SONAME or NULL */
};

#define SG_ELF_MAX_NEEDED 4096

/* true when the n bytes at p start with the ELF magic. */
bool sg_elf_is_elf(const void *p, size_t n);

/*
 * Read the dynamic section of the ELF image in len bytes at data, through
 * the program headers (PT_DYNAMIC, PT_LOAD to map DT_STRTAB), every offset
 * and size checked against len.  `name` names the file in messages.  A
 * static executable gives no needed entries.  SG_EINVAL for an image whose
 * headers point outside it or contradict each other.  Release with
 * sg_elf_info_release() either way.
 */
int sg_elf_parse(struct sg_elf_info *out, const unsigned char *data,
    size_t len, const char *name, struct sg_error *err);

void sg_elf_info_release(struct sg_elf_info *info);

/* ---- lockfile.c ---- */

enum sg_lockfile_kind {
	SG_LOCK_NPM,	  /* package-lock.json v2/v3 */
	SG_LOCK_PIP,	  /* requirements.txt */
	SG_LOCK_GOSUM,	  /* go.sum */
	SG_LOCK_CARGO,	  /* Cargo.lock */
	SG_LOCK_NONE,
};

/* The kind of lockfile a file name is ("Cargo.lock"), or SG_LOCK_NONE. */
enum sg_lockfile_kind sg_lockfile_kind_of(const char *basename);

/*
 * Add the packages of a lockfile of `kind` (len bytes at data; `name`, its
 * path relative to the root, names it in messages and in each component's
 * specgate:source) to set, with their edges and the project's.  Odd
 * entries are warnings; SG_EINVAL (with line and column) when the file
 * cannot be read as its format at all.
 */
int sg_lockfile_parse(struct sg_sbom__set *set, enum sg_lockfile_kind kind,
    const char *name, const char *data, size_t len, struct sg_error *err);

/* ---- dpkg.c ---- */

struct sg_dpkg;

struct sg_dpkg_options {
	const char *admindir; /* NULL: /var/lib/dpkg */
	const char *ld_cache; /* NULL: /etc/ld.so.cache */
	const char *lib_root; /* NULL: "" */
};

/*
 * A lookup in the dpkg database of opts (nothing is read yet: the status
 * file is read by sg_dpkg_owners(), the loader cache on first use).
 */
int sg_dpkg_open(struct sg_dpkg **out, const struct sg_dpkg_options *opts,
    struct sg_error *err);
void sg_dpkg_free(struct sg_dpkg *d);

/*
 * Parse the text of a dpkg status file into d (tests and fuzzing):
 * paragraphs of Package, Status, Version, Architecture.
 */
int sg_dpkg__parse_status(struct sg_dpkg *d, const char *data, size_t len,
    struct sg_error *err);

/*
 * Resolve soname as the dynamic loader would for an object of `info`'s
 * class and machine (origin: the object's directory, for $ORIGIN): *out
 * (OUT, malloc'd) the path found, or NULL when none was.
 */
int sg_dpkg_find_lib(char **out, struct sg_dpkg *d,
    const struct sg_elf_info *info, const char *origin, const char *soname,
    struct sg_error *err);

/*
 * Record that `path` is wanted; sg_dpkg_owners() then reads the status
 * file and every .list file once, and fills in the owners of all the
 * wanted paths.  A missing status file or info directory means no
 * package is known (not Debian), not an error.
 */
void sg_dpkg_want(struct sg_dpkg *d, const char *path);
int sg_dpkg_owners(struct sg_dpkg *d, struct sg_error *err);

/* The package owning path (after sg_dpkg_owners()), or false. */
bool sg_dpkg_owner(const struct sg_dpkg *d, const char *path,
    const char **name, const char **version, const char **arch);

#endif /* SG_SBOM_INT_H */
