/* SPDX-License-Identifier: MIT */
/*
 * release.h - the release report of one run (`specgate report`): a
 * summary verdict, a metrics table (target, actual, status) for every
 * gate, the stages, the approvals, the SBOM, the environment and the open
 * findings ranked, each figure tied to the bundle file it was read from
 * and that file's SHA-256; and, from a date on, the trends across runs
 * (docs/report.md, docs/internals/report.md).
 *
 * Two steps.  sg_report_build() reads the store (which run, where its
 * bundle is) and the bundles (every figure), and returns the report as a
 * JSON document (schema specgate/report/v1, docs/formats.md): that is the
 * `json` format, and the model the other formats are rendered from.
 * sg_report_render() turns it into Markdown (GitHub-flavoured: tables, no
 * HTML, fit for a job summary or a pull-request comment) or into one
 * HTML page with inline SVG charts and no script.  Nothing here prints.
 *
 * A figure comes from a bundle file only when the bundle's manifest lists
 * that file, and only when the bytes read hash to the digest the manifest
 * lists: a report cannot be made from evidence that was changed after the
 * run (SG_EVERIFY).  Rejected: taking figures from the store or from the
 * dashboard's API: the store keeps checkpoints, not figures, and the
 * bundle is the signed record an auditor checks.
 */
#ifndef SPECGATE_RELEASE_H
#define SPECGATE_RELEASE_H

#include <stddef.h>

#include <jansson.h>

#include "specgate/error.h"
#include "specgate/evidence.h"
#include "specgate/store.h"

#define SG_REPORT_SCHEMA "specgate/report/v1"

/* Runs a trend reads at most (docs/limits.md). */
#define SG_REPORT_TREND_MAX 200

enum sg_report_format {
	SG_REPORT_JSON,
	SG_REPORT_MD,
	SG_REPORT_HTML,
};

#define SG_REPORT_OPTIONS_VERSION 1

struct sg_report_options {
	unsigned version;			/* SG_REPORT_OPTIONS_VERSION */
	const struct sg_evidence_options *eo;	/* where the bundles are */
	const char *feature_id;			/* NULL: any */
	const char *run_id;			/* NULL: the newest run */
	const char *since; /* "YYYY-MM-DD" or ISO UTC: trends; NULL: none */
};

#define SG_REPORT_OPTIONS_INIT {SG_REPORT_OPTIONS_VERSION, NULL, NULL, NULL, NULL}

/*
 * Build the report of one run into *out (OUT, a new reference).
 *
 * A deployed continuation (a run started by `specgate resume`) is
 * reported as one release with the run it continues: the documents the
 * continuation did not write (the validate stage's gates, the SBOM) and
 * the stages it skipped come from the approved run's bundle, found by
 * the manifest's `continues.run_id` when there is one, else by
 * approvals.json's `approved_run_id`; that bundle's manifest must hash to
 * the digest the approvals name.
 *
 * Errors: SG_ENOTFOUND for no such run, no run at all, or a run without a
 * published manifest; SG_EINVAL for an ambiguous run id or a bad `since`;
 * SG_EVERIFY when a file differs from its manifest's digest or the
 * approved bundle is not the one approved; SG_EIO when the store or a
 * file cannot be read.
 */
int sg_report_build(json_t **out, struct sg_store *st,
    const struct sg_report_options *opts, struct sg_error *err);

/*
 * The report that the audit stage writes into the run's own bundle
 * (report.md, report.html; sg_bundle_set_derived()), before that bundle
 * is sealed: bundle is its staging directory (from the cwd) and
 * draft_manifest the manifest as it will be but for the report.  The
 * figures come from the files the draft lists, checked against its
 * digests, and from the approved run's published bundle for a
 * continuation (through the store, as sg_report_build() does); the run's
 * status and start are the draft's, and there is no finish yet.  Links
 * are relative to the bundle (a file by its name, another bundle by
 * ../RUN-ID).  The manifest is cited without a digest (`sha256` null):
 * it lists the report, so the report cannot hold the manifest's digest;
 * the audit trail's seal does.  `in_bundle` is true.  opts->since must
 * be NULL (no trend); opts->eo locates the approved bundle.
 */
int sg_report_build_staged(json_t **out, struct sg_store *st,
    const struct sg_report_options *opts, const char *bundle,
    const char *draft_manifest, struct sg_error *err);

/* Parse "json", "md" or "html" into *out; SG_EINVAL otherwise. */
int sg_report_format_parse(enum sg_report_format *out, const char *s,
    struct sg_error *err);

/*
 * Render a report made by sg_report_build() in fmt into *out (malloc'd,
 * NUL-terminated; *len its length).  SG_EINVAL for a document that is not
 * a report; SG_ETOOBIG past the template engine's output cap.
 */
int sg_report_render(char **out, size_t *len, json_t *report,
    enum sg_report_format fmt, struct sg_error *err);

#endif /* SPECGATE_RELEASE_H */
