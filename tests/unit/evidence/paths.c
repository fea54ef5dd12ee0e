/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/evidence/paths.c: path joining.  What is a
 * feature id or a run id, and how run ids order: tests/unit/util/ids.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include "evidence/evidence_int.h"

SG_TEST(paths_are_joined_without_dot_slash)
{
	struct sg_evidence_options o = SG_EVIDENCE_OPTIONS_INIT;
	char *p;

	(void)state;
	p = sg_evidence__reports_path(&o);
	assert_string_equal(p, "reports");
	free(p);
	o.root = "../..";
	p = sg_evidence__reports_path(&o);
	assert_string_equal(p, "../../reports");
	free(p);
	o.reports = "/srv/evidence";
	p = sg_evidence__reports_path(&o);
	assert_string_equal(p, "/srv/evidence");
	free(p);
	p = sg_evidence__join("a/", "b");
	assert_string_equal(p, "a/b");
	free(p);
}

SG_TEST_MAIN("evidence/paths")
