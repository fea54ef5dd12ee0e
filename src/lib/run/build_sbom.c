/* SPDX-License-Identifier: MIT */
/*
 * build_sbom.c - the build stage's built-in work: sbom.cyclonedx.json
 * (specgate/sbom.h) written into the bundle after the stage's commands
 * succeeded and its artifacts were hashed, so that the SBOM describes what
 * was really built.  The document carries the run's mode, feature id and
 * run id (metadata.properties) and is the build checkpoint's output; the
 * library's warnings (a glob that matched nothing, an unpinned
 * requirement) go to logs/build.log.  An SBOM that cannot be built (a
 * lockfile that does not parse) fails the stage in both modes: the stage
 * could not do its work.
 */
#include "run/run_int.h"

#include <stdio.h>

#include "run/run_work.h"
#include "specgate/sbom.h"
#include "util/util.h"

#define SBOM "sbom.cyclonedx.json"

int
sg_run__sbom(struct sg_run__ctx *c, struct sg_buf *log,
    struct sg_run__work *w, struct sg_error *err)
{
	struct sg_sbom_options o = SG_SBOM_OPTIONS_INIT;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_sbom *sb = NULL;
	int error = 0;

	sg_buf_printf(log, "== build: SBOM ==\n");
	sg_sbom_options_from_config(&o, c->cfg);
	o.mode = sg_mode_name(c->cfg->mode);
	o.feature_id = c->out->feature_id;
	o.run_id = c->out->run_id;
	if (sg_sbom_build(&sb, &o, &mine) < 0) {
		w->done = true;
		w->status = SG_CP_FAILURE;
		snprintf(w->detail, sizeof(w->detail), "SBOM: %.400s",
		    mine.message);
		sg_buf_printf(log, "-- %s\n", w->detail);
		goto out;
	}
	for (size_t i = 0; i < sb->nwarnings; i++)
		sg_buf_printf(log, "-- SBOM warning: %s\n", sb->warnings[i]);
	if ((error = sg_run__write(c, SG_STAGE_BUILD, SBOM, sb->json, sb->len,
		 w->sha256, err)) < 0)
		goto out;
	snprintf(w->output, sizeof(w->output), "%s", SBOM);
	w->done = true;
	w->status = SG_CP_SUCCESS;
	snprintf(w->detail, sizeof(w->detail),
	    "SBOM: %zu components, %zu warnings", sb->ncomponents,
	    sb->nwarnings);
	sg_buf_printf(log, "-- %s\n", w->detail);
out:
	sg_sbom_free(sb);
	sg_error_release(&mine);
	return error;
}
