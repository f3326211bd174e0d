/* What the renderers of lib/report share; nothing here is exported. */
#ifndef RETAIN_REPORT_RENDER_H
#define RETAIN_REPORT_RENDER_H

#include <stdio.h>

#include <cairo.h>

#include <retain/chart.h>

/* Writes s with & < > " escaped for XML and HTML text and attributes. */
void rt_xml_text(FILE *out, const char *s);

/* Draws a laid-out chart with cairo (text with pango), its top left at
 * the current origin of cr, in the chart's own units (points). */
void rt_chart_cairo(const retain_chart *c, cairo_t *cr);

/* Draws text with pango at (x, y) on its baseline, anchored -1 start, 0
 * middle, 1 end; returns its width. */
double rt_cairo_text(cairo_t *cr, double x, double y, const char *text, double size, bool bold,
                     int anchor, int32_t rgb);

/* The width and height of text laid out with pango, wrapped at width when
 * width > 0. */
void rt_cairo_measure(cairo_t *cr, const char *text, double size, bool bold, double width,
                      double *w, double *h);

/* Draws text wrapped at width, its top at y; returns its height. */
double rt_cairo_paragraph(cairo_t *cr, double x, double y, double width, const char *text,
                          double size, bool bold, int32_t rgb);

#endif
