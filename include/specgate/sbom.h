/* SPDX-License-Identifier: MIT */
/*
 * sbom.h - the software bill of materials of a project: a CycloneDX 1.6
 * JSON document (sbom.cyclonedx.json) built from what is really there.
 *
 * Components come from three places, each read, never assumed:
 *
 *   artifacts	the files matched by the build stage's `artifacts` globs,
 *		with their SHA-256.  An ELF file's DT_NEEDED libraries are
 *		resolved to files (ld.so.cache, then the standard multiarch
 *		directories) and the files to the Debian packages that ship
 *		them (the dpkg database), with their installed versions and
 *		pkg:deb purls.
 *   lockfiles	package-lock.json (v2/v3), requirements.txt (pinned
 *		`name==version` lines), go.sum and Cargo.lock found under
 *		the project root.
 *   declared	the purls listed under `sbom: {components: [...]}` in
 *		specgate.yaml.
 *
 * plus, when the spec names HTTP endpoints in its steps ("When I call GET
 * /v1/ping"), one service with those endpoints and /healthz and /metrics.
 * A `dependencies` graph lists every bom-ref once; no ref dangles.
 *
 * The output is byte-identical for identical inputs when SOURCE_DATE_EPOCH
 * is set: components, services and dependencies are sorted, keys are
 * written in a fixed order, and the serialNumber is derived from a hash of
 * the rest of the document (docs/internals/sbom.md).
 *
 * Ownership: the options and everything they point to are borrowed for
 * the call.  sg_sbom_build() hands over a new struct sg_sbom that the
 * caller frees with sg_sbom_free().
 */
#ifndef SPECGATE_SBOM_H
#define SPECGATE_SBOM_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/config.h"
#include "specgate/error.h"

/* Caps on inputs: past them the build fails with SG_ETOOBIG. */
#define SG_SBOM_MAX_LOCKFILE (64u << 20)   /* bytes of one lockfile */
#define SG_SBOM_MAX_ELF (4ull << 30)	    /* bytes of one ELF artifact */
#define SG_SBOM_MAX_DPKG_FILE (64u << 20)  /* bytes of status or a .list */
#define SG_SBOM_MAX_COMPONENTS 1000000	    /* components in one document */
#define SG_SBOM_LOCKFILE_DEPTH 8	    /* directory levels searched */

struct sg_sbom_options {
	unsigned version; /* SG_SBOM_OPTIONS_VERSION */
	const char *root; /* project root (cwd-relative or absolute) */
	const char *project;	     /* main component's name */
	const char *project_version; /* and version */
	/* Globs relative to root (stages.build.artifacts). */
	const char *const *artifacts;
	size_t nartifacts;
	/* Declared components: purls ("pkg:generic/zlib@1.3.1"). */
	const char *const *components;
	size_t ncomponents;
	/* Features directories relative to root, for the endpoints. */
	const char *const *features;
	size_t nfeatures;
	/* In a run: written to metadata.properties; NULL outside one. */
	const char *mode;
	const char *feature_id;
	const char *run_id;
	/* Where to look things up; NULL: the system's. */
	const char *dpkg_admindir; /* default /var/lib/dpkg */
	const char *ld_cache;	   /* default /etc/ld.so.cache */
	const char *lib_root;	   /* prefix of library paths, default "" */
	bool no_lockfiles;	   /* do not search the root for lockfiles */
	/* stages.deploy.health.url: its path is an endpoint of the service */
	const char *health_url;
};

#define SG_SBOM_OPTIONS_VERSION 1
#define SG_SBOM_OPTIONS_INIT                                                   \
	{SG_SBOM_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0, \
	    NULL, NULL, NULL, NULL, NULL, NULL, false, NULL}

/* A built document. */
struct sg_sbom {
	char *json;	   /* the document, NUL-terminated, ends in "\n" */
	size_t len;	   /* strlen(json) */
	size_t ncomponents; /* entries of "components" */
	/*
	 * Notes on what was left out and why ("requirements.txt:4: 'flask'
	 * is not pinned (name==version); left out"), in the order met.
	 */
	char **warnings;
	size_t nwarnings;
};

/*
 * Fill the project fields of opts from a loaded configuration: root,
 * project, project_version, the build stage's artifacts, the declared
 * sbom.components and the features directories.  The pointers borrow
 * from cfg, which must outlive opts.  Run fields are left alone.
 */
void sg_sbom_options_from_config(struct sg_sbom_options *opts,
    const struct sg_config *cfg);

/*
 * Build the SBOM described by opts into *out (OUT: free with
 * sg_sbom_free()).  Errors (err names the file, and line:column where
 * there is one):
 *
 *	SG_EINVAL	a lockfile that cannot be parsed, an artifact with
 *			ELF magic whose headers are inconsistent, a declared
 *			component that is not a purl with a name and version
 *	SG_ETOOBIG	an input past the caps above
 *	SG_ENOTFOUND	the root does not exist
 *	SG_EIO		reading failed
 *
 * A glob that matches nothing, an odd lockfile entry, a library that
 * cannot be found or that no package ships: a warning in (*out)->warnings,
 * not a failure.  On failure *out is NULL.
 */
int sg_sbom_build(struct sg_sbom **out, const struct sg_sbom_options *opts,
    struct sg_error *err);

/* Free a document.  sbom may be NULL. */
void sg_sbom_free(struct sg_sbom *sbom);

#endif /* SPECGATE_SBOM_H */
