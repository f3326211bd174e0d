/* retain/chart.h - one chart model for every chart of a report, rendered
 * the same way as SVG markup and through cairo (PDF).
 *
 * A chart holds data: categories along x (periods, stages, channels) or a
 * numeric x (days), and series of values. retain_chart_layout() turns it
 * into marks in a box of the given size: rectangles, lines, filled areas
 * and text, with axes whose ticks fall on round numbers (1, 2 or 5 times a
 * power of ten), category labels thinned so that none overlaps the next,
 * series labels spread so that none covers another, and the Okabe-Ito
 * palette (distinct for the common colour-vision deficiencies; viridis for
 * heatmaps). The renderers draw the marks and nothing else, so that the SVG
 * and the PDF of a chart show the same thing; text stays text in both.
 *
 * Marks that stand for data (a bar, a heatmap cell, a point, a curve, a
 * band) are flagged `data`: SVG gives them class "mark", so that a test can
 * count them against the table they come from. A value that is undefined
 * (an empty cell) draws no mark: never a zero. */
#ifndef RETAIN_CHART_H
#define RETAIN_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <retain/lang.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RETAIN_CHART_LINES,   /* categories along x; a line with points per series */
    RETAIN_CHART_BARS,    /* categories along x; series stacked, negative values below 0 */
    RETAIN_CHART_GROUPED, /* categories along x; series side by side */
    RETAIN_CHART_HEATMAP, /* series are rows, categories columns; values 0..100 */
    RETAIN_CHART_STEPS    /* numeric x; step curves from points, with optional bands */
} retain_chart_kind;

typedef struct retain_chart retain_chart;

/* A new empty chart. id names it in SVG (letters, digits, '-'), title is
 * shown above it, both copied. NULL when out of memory. Free with
 * retain_chart_free(). */
RETAIN_API retain_chart *retain_chart_new(retain_chart_kind kind, const char *id,
                                          const char *title);

/* Axis titles (NULL for none), the unit appended to y tick labels ("%",
 * or NULL), and the language of tick labels. Copied. */
RETAIN_API retain_status retain_chart_axes(retain_chart *c, const char *x_title,
                                           const char *y_title, const char *y_unit,
                                           retain_lang lang);

/* Fixes the y range instead of fitting it to the data (KM curves: 0..1). */
RETAIN_API void retain_chart_y_range(retain_chart *c, double lo, double hi);

/* Fits the y range to the data and value too (0 for an amount's line). */
RETAIN_API void retain_chart_y_include(retain_chart *c, double value);

/* y tick labels as value x scale (KM survival 0..1 shown as 0..100 %). */
RETAIN_API void retain_chart_y_scale(retain_chart *c, double scale);

/* Appends a category (x label, or heatmap column); its index is the count
 * before the call. Copied. */
RETAIN_API retain_status retain_chart_category(retain_chart *c, const char *label);

/* Appends a series (heatmap row); *index receives its index (may be NULL).
 * Its colour is the next of the palette unless colour is given (0xRRGGBB;
 * -1 for the next). Copied. */
RETAIN_API retain_status retain_chart_series(retain_chart *c, const char *name, int32_t colour,
                                             size_t *index);

/* The value of a series at a category (categorical kinds). Values not set
 * are undefined and draw nothing. RETAIN_ERR_USAGE for an index out of
 * range or a value that is not finite. */
RETAIN_API retain_status retain_chart_value(retain_chart *c, size_t series, size_t category,
                                            double value);

/* A point of a step curve (STEPS): at x the curve takes y from then on;
 * with a band, low..high around it. Points come in increasing x. */
RETAIN_API retain_status retain_chart_point(retain_chart *c, size_t series, double x, double y,
                                            bool band, double low, double high);

/* The counts, for callers and tests. */
RETAIN_API size_t retain_chart_categories(const retain_chart *c);
RETAIN_API size_t retain_chart_series_count(const retain_chart *c);
RETAIN_API const char *retain_chart_id(const retain_chart *c);
RETAIN_API const char *retain_chart_title(const retain_chart *c);

typedef enum {
    RETAIN_MARK_RECT, /* x, y, w, h */
    RETAIN_MARK_LINE, /* from (x, y) to (x + w, y + h) */
    RETAIN_MARK_PATH, /* an open polyline through pts */
    RETAIN_MARK_AREA, /* a closed filled polygon through pts */
    RETAIN_MARK_DOT,  /* a point at (x, y), radius w */
    RETAIN_MARK_TEXT  /* text at (x, y) on its baseline */
} retain_mark_kind;

#define RETAIN_NO_COLOUR (-1)

typedef struct {
    retain_mark_kind kind;
    bool data;               /* stands for data (SVG class "mark") */
    double x, y, w, h;       /* points, origin top left, y down */
    const double *pts;       /* PATH, AREA: npts pairs x, y */
    size_t npts;             /* pairs */
    int32_t fill, stroke;    /* 0xRRGGBB or RETAIN_NO_COLOUR */
    double stroke_width;     /* points */
    double opacity;          /* of the fill, 0..1 */
    const char *text;        /* TEXT: UTF-8 */
    double size;             /* TEXT: font size in points */
    int anchor;              /* TEXT: -1 start, 0 middle, 1 end */
    bool bold;               /* TEXT */
    bool vertical;           /* TEXT: turned 90 degrees anticlockwise */
    const char *series_name; /* data marks: the series (NULL when none) */
} retain_mark;

/* Lays the chart out in a width x height box (points). Called again, it
 * lays out anew. RETAIN_ERR_USAGE when the box is too small for anything
 * (under 120 x 80), RETAIN_ERR_NOMEM (also when a category, series, value
 * or point could not be added for want of memory: a chart missing data is
 * never drawn). */
RETAIN_API retain_status retain_chart_layout(retain_chart *c, double width, double height);

/* After layout: the marks in drawing order, owned by the chart, valid until
 * the next layout or free. */
RETAIN_API size_t retain_chart_marks(const retain_chart *c);
RETAIN_API const retain_mark *retain_chart_mark(const retain_chart *c, size_t i);
/* Data marks, the figure a test compares with its table. */
RETAIN_API size_t retain_chart_data_marks(const retain_chart *c);
RETAIN_API double retain_chart_width(const retain_chart *c);
RETAIN_API double retain_chart_height(const retain_chart *c);

/* Writes the laid-out chart as one <svg> element (UTF-8, text as <text>,
 * a <title> for screen readers). standalone adds the XML declaration and
 * namespace for a file of its own. RETAIN_ERR_IO when writing fails. */
RETAIN_API retain_status retain_chart_svg(const retain_chart *c, FILE *out, bool standalone);

RETAIN_API void retain_chart_free(retain_chart *c);

/* The parts of the layout, for tests and for other charts. */

/* Ticks at round numbers covering [lo, hi] with at most max_ticks ticks
 * (taken as 3 when below: a range across 0 needs three): the step is 1, 2 or 5 x 10^k, the first
 * tick the largest multiple of the step <= lo, the last the smallest >= hi. *decimals is the number
 * of decimals the step needs. Returns the tick count, 0 when lo or hi is not finite or lo > hi. A
 * range of one value is widened around it. */
RETAIN_API size_t retain_ticks(double lo, double hi, size_t max_ticks, double *first, double *step,
                               int *decimals);

/* The width of text at a font size, as the layout estimates it (DejaVu
 * Sans metrics: the same on every machine, so layouts are deterministic). */
RETAIN_API double retain_text_width(const char *text, double size, bool bold);

/* The smallest k >= 1 such that showing labels 0, k, 2k... of n labels
 * centred at x[i] with widths w[i] leaves at least gap between neighbours. */
RETAIN_API size_t retain_labels_thin(const double *x, const double *w, size_t n, double gap);

/* Moves n labels' positions y[i] (each of height h) the least it can so
 * that no two are closer than h, keeping their order and, when there is
 * room, lo <= y <= hi. */
RETAIN_API void retain_labels_spread(double *y, size_t n, double h, double lo, double hi);

/* Colours: the i-th of the categorical palette (Okabe-Ito, black last), and
 * a value 0..1 on the sequential scale (viridis). 0xRRGGBB. */
RETAIN_API int32_t retain_palette(size_t i);
RETAIN_API int32_t retain_sequential(double t);

#ifdef __cplusplus
}
#endif
#endif
