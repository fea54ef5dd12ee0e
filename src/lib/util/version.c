/* SPDX-License-Identifier: MIT */
/*
 * version.c - the version and commit, fixed at build time by the Makefile
 * (-DSG_VERSION, -DSG_COMMIT from `git rev-parse`), never looked up at run
 * time.
 */
#include "specgate/sg.h"

const char *
sg_version(void)
{
	return SG_VERSION;
}

const char *
sg_commit(void)
{
	return SG_COMMIT;
}
