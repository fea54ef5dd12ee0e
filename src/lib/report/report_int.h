/* SPDX-License-Identifier: MIT */
/*
 * report_int.h - what the files of src/lib/report/ share: the charts
 * (svg.c) that the HTML rendering (render.c) draws from the report model
 * that report.c builds.
 */
#ifndef SG_REPORT_REPORT_INT_H
#define SG_REPORT_REPORT_INT_H

#include <jansson.h>

#include "specgate/release.h"
#include "util/util.h"

/* Cap of a rendered report and of one bundle file read (docs/limits.md). */
#define SG_REPORT_DOC_MAX ((size_t)64 << 20)

/* One series of a chart: a name, a CSS class and one value per label. */
struct sg_report_series {
	const char *name;
	const char *cls;     /* "s1", "s2": the colour, from the page's CSS */
	const double *values; /* NaN: no value (a run without the figure) */
};

/*
 * id names the chart in the page (its title is "t-ID").
 * Horizontal bars, one per label (durations per stage): an <svg> with a
 * <title> and <desc> for people who cannot see it, values written at the
 * end of each bar so that it reads in print without colour.
 */
void sg_report__svg_bars(struct sg_buf *b, const char *id,
    const char *title,
    const char *desc, const char *const *labels, const double *values,
    size_t n, const char *unit);

/*
 * Lines across runs (coverage and test pass rate, 0-100), one point per
 * label, or grouped bars (retries and failures per run) when `bars`.
 */
void sg_report__svg_series(struct sg_buf *b, const char *id,
    const char *title,
    const char *desc, const char *const *labels, size_t n,
    const struct sg_report_series *series, size_t nseries, double max,
    bool bars, const char *unit);

#endif /* SG_REPORT_REPORT_INT_H */
