/* SPDX-License-Identifier: MIT */
/*
 * svg.c - the report's charts: inline SVG written here, no script, no
 * external asset, so that they show in any browser, in print and in an
 * archived copy of the page.
 *
 * Each chart is an <svg role="img"> named by its <title> and described by
 * its <desc> (what a screen reader says), with every value also written as
 * text next to its bar or point, so that no figure is given by colour or
 * position alone; the report's tables hold the same figures.  Colours come
 * from the page's CSS classes (s1, s2).
 */
#include "report/report_int.h"

#include <math.h>

#define W 720.0     /* viewBox width */
#define LEFT 130.0  /* room for the labels */
#define RIGHT 70.0  /* room for the values */
#define ROW 22.0    /* one bar */
#define TOP 28.0

/* <figure><svg ...><title/><desc/>: id is unique in the page. */
static void
open_svg(struct sg_buf *b, const char *id, const char *title,
    const char *desc, double h)
{
	sg_buf_printf(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" "
			 "role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
			 "height=\"%.0f\" aria-labelledby=\"t-%s d-%s\">"
			 "<title id=\"t-%s\">",
	    W, h, W, h, id, id, id);
	sg_buf_xml_escape(b, title, SG_XML_APOS);
	sg_buf_printf(b, "</title><desc id=\"d-%s\">", id);
	sg_buf_xml_escape(b, desc, SG_XML_APOS);
	sg_buf_puts(b, "</desc>");
}

static void
value_text(struct sg_buf *b, double v, const char *unit)
{
	if (isnan(v))
		sg_buf_puts(b, "n/a");
	else if (v == floor(v) && fabs(v) < 1e9)
		sg_buf_printf(b, "%.0f%s%s", v, *unit && *unit != '%' ? " " :
		    "", unit);
	else
		sg_buf_printf(b, "%.3g%s%s", v, *unit && *unit != '%' ? " " :
		    "", unit);
}

void
sg_report__svg_bars(struct sg_buf *b, const char *id, const char *title, const char *desc,
    const char *const *labels, const double *values, size_t n,
    const char *unit)
{
	double max = 0, h = TOP + ROW * (double)n + 10, span = W - LEFT - RIGHT;

	for (size_t i = 0; i < n; i++)
		if (!isnan(values[i]) && values[i] > max)
			max = values[i];
	if (max <= 0)
		max = 1;
	open_svg(b, id, title, desc, h);
	sg_buf_puts(b, "<text x=\"0\" y=\"16\" font-weight=\"bold\">");
	sg_buf_xml_escape(b, title, SG_XML_APOS);
	sg_buf_puts(b, "</text>");
	for (size_t i = 0; i < n; i++) {
		double y = TOP + ROW * (double)i;
		double w = isnan(values[i]) ? 0 : span * values[i] / max;

		sg_buf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" "
				 "text-anchor=\"end\">", LEFT - 8, y + 14);
		sg_buf_xml_escape(b, labels[i], SG_XML_APOS);
		sg_buf_printf(b, "</text><rect class=\"s1\" x=\"%.0f\" "
				 "y=\"%.1f\" width=\"%.1f\" height=\"%.0f\"/>"
				 "<text x=\"%.1f\" y=\"%.1f\">",
		    LEFT, y + 2, w < 1 ? 1 : w, ROW - 6, LEFT + w + 6, y + 14);
		value_text(b, values[i], unit);
		sg_buf_puts(b, "</text>");
	}
	sg_buf_puts(b, "</svg></figure>");
}

void
sg_report__svg_series(struct sg_buf *b, const char *id, const char *title, const char *desc,
    const char *const *labels, size_t n,
    const struct sg_report_series *series, size_t nseries, double max,
    bool bars, const char *unit)
{
	double plot_h = 160, top = TOP + 20;
	double h = top + plot_h + (n > 5 ? 110 : 60);
	double span = W - LEFT - 20, step = span / (double)(n ? n : 1);

	if (max <= 0)
		max = 1;
	open_svg(b, id, title, desc, h);
	sg_buf_puts(b, "<text x=\"0\" y=\"16\" font-weight=\"bold\">");
	sg_buf_xml_escape(b, title, SG_XML_APOS);
	sg_buf_puts(b, "</text>");
	/* The legend: a swatch and the series' name, never colour alone. */
	for (size_t k = 0; k < nseries; k++) {
		double x = LEFT + 200 * (double)k;

		sg_buf_printf(b, "<rect class=\"%s\" x=\"%.0f\" y=\"%.0f\" "
				 "width=\"12\" height=\"12\"/><text x=\"%.0f\" "
				 "y=\"%.0f\">",
		    series[k].cls, x, TOP - 4, x + 16, TOP + 6);
		sg_buf_xml_escape(b, series[k].name, SG_XML_APOS);
		sg_buf_puts(b, "</text>");
	}
	/* Axis: 0 and max. */
	sg_buf_printf(b, "<line class=\"ax\" x1=\"%.0f\" y1=\"%.0f\" "
			 "x2=\"%.0f\" y2=\"%.0f\"/>"
			 "<line class=\"ax\" x1=\"%.0f\" y1=\"%.0f\" "
			 "x2=\"%.0f\" y2=\"%.0f\"/>",
	    LEFT, top, LEFT, top + plot_h, LEFT, top + plot_h, W - 20,
	    top + plot_h);
	sg_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">",
	    LEFT - 6, top + plot_h);
	value_text(b, 0, unit);
	sg_buf_printf(b, "</text><text x=\"%.0f\" y=\"%.0f\" "
			 "text-anchor=\"end\">", LEFT - 6, top + 10);
	value_text(b, max, unit);
	sg_buf_puts(b, "</text>");
	for (size_t k = 0; k < nseries; k++) {
		const double *v = series[k].values;
		bool pen = false;

		if (!bars) {
			sg_buf_printf(b, "<polyline class=\"ln %s\" "
					 "fill=\"none\" points=\"",
			    series[k].cls);
			for (size_t i = 0; i < n; i++) {
				if (isnan(v[i]))
					continue;
				sg_buf_printf(b, "%s%.1f,%.1f", pen ? " " : "",
				    LEFT + step * ((double)i + 0.5),
				    top + plot_h - plot_h * v[i] / max);
				pen = true;
			}
			sg_buf_puts(b, "\"/>");
		}
		for (size_t i = 0; i < n; i++) {
			double x = LEFT + step * ((double)i + 0.5);
			double y = isnan(v[i]) ? top + plot_h :
			    top + plot_h - plot_h * v[i] / max;
			double bw = step / (double)(nseries + 1);

			if (bars) {
				double bx = LEFT + step * (double)i +
				    bw * ((double)k + 0.5);

				sg_buf_printf(b, "<rect class=\"%s\" "
						 "x=\"%.1f\" y=\"%.1f\" "
						 "width=\"%.1f\" "
						 "height=\"%.1f\"/>",
				    series[k].cls, bx, y, bw,
				    top + plot_h - y);
				x = bx + bw / 2;
			} else if (!isnan(v[i])) {
				sg_buf_printf(b, "<circle class=\"%s\" "
						 "cx=\"%.1f\" cy=\"%.1f\" "
						 "r=\"3\"/>",
				    series[k].cls, x, y);
			}
			sg_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
					 "text-anchor=\"middle\">",
			    x, y - 5 - (bars ? 0 : 12.0 * (double)k));
			value_text(b, v[i], unit);
			sg_buf_puts(b, "</text>");
		}
	}
	/* More labels than fit side by side are turned to read upwards. */
	for (size_t i = 0; i < n; i++) {
		double x = LEFT + step * ((double)i + 0.5), y = top + plot_h + 18;

		if (n > 5)
			sg_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" "
					 "text-anchor=\"end\" "
					 "transform=\"rotate(-30 %.1f %.0f)\">",
			    x, y, x, y);
		else
			sg_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" "
					 "text-anchor=\"middle\">", x, y);
		sg_buf_xml_escape(b, labels[i], SG_XML_APOS);
		sg_buf_puts(b, "</text>");
	}
	sg_buf_puts(b, "</svg></figure>");
}
