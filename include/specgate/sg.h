/* SPDX-License-Identifier: MIT */
/*
 * sg.h - libspecgate's umbrella header and version.
 *
 * libspecgate is the core of specgate: it parses specs and configuration,
 * evaluates policy and (in later modules) runs the pipeline and writes the
 * evidence.  It never prints, never exits and never parses argv; the
 * `specgate` CLI and the HTTP service are thin front ends over it.
 */
#ifndef SPECGATE_SG_H
#define SPECGATE_SG_H

#include "specgate/error.h"

#ifndef SG_VERSION
#define SG_VERSION "0.0.0-dev"
#endif
#ifndef SG_COMMIT
#define SG_COMMIT "unknown"
#endif

/* The version and the git commit this library was built from (static). */
const char *sg_version(void);
const char *sg_commit(void);

#endif /* SPECGATE_SG_H */
