/* retain/document.h - a report as a document: headings, paragraphs,
 * tables, charts and lists, written as one self-contained HTML file, as
 * Markdown with its charts as SVG files, or as a vector PDF (cairo).
 *
 * The document keeps its blocks in order; the writers render the same
 * blocks, so the three formats say the same thing. Output is a function of
 * the blocks alone: no clock, no random identifier (the PDF's dates are
 * the date given to retain_doc_write_pdf), so two runs give the same
 * bytes. */
#ifndef RETAIN_DOCUMENT_H
#define RETAIN_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <retain/chart.h>
#include <retain/date.h>
#include <retain/lang.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retain_doc retain_doc;

/* A new document in lang, with a title and a subtitle line (may be NULL),
 * both copied. NULL when out of memory. Free with retain_doc_free(). */
RETAIN_API retain_doc *retain_doc_new(retain_lang lang, const char *title, const char *subtitle);
RETAIN_API retain_lang retain_doc_lang(const retain_doc *doc);

/* A section heading, a paragraph, a bullet item (consecutive items form one
 * list). Text is UTF-8, copied. */
RETAIN_API retain_status retain_doc_heading(retain_doc *doc, const char *text);
RETAIN_API retain_status retain_doc_paragraph(retain_doc *doc, const char *text);
RETAIN_API retain_status retain_doc_item(retain_doc *doc, const char *text);

/* How a table cell reads: plain, or good / bad news (shown in colour, and
 * the text itself must say it too: a sign, "hit", "missed"). */
typedef enum { RETAIN_TONE_PLAIN, RETAIN_TONE_GOOD, RETAIN_TONE_BAD } retain_tone;

/* Starts a table of ncols columns (1..16) with a header row (copied); the
 * first column is text, the others are figures (right-aligned). id names
 * it in HTML (NULL for none). Then retain_doc_cell() fills it left to
 * right, row by row. */
RETAIN_API retain_status retain_doc_table(retain_doc *doc, const char *id, size_t ncols,
                                          const char *const *header);
RETAIN_API retain_status retain_doc_cell(retain_doc *doc, const char *text, retain_tone tone);

/* Adds a chart, laid out at the document's chart width (510 points, the
 * text width of an A4 page) and the given height. The document takes the
 * chart: it frees it, also when this call fails. */
RETAIN_API retain_status retain_doc_chart(retain_doc *doc, retain_chart *chart, double height);

/* The document's charts, in order, for callers and tests. */
RETAIN_API size_t retain_doc_charts(const retain_doc *doc);
RETAIN_API const retain_chart *retain_doc_chart_at(const retain_doc *doc, size_t i);

/* Paper sizes. RETAIN_PAPER_ANY: an HTML page prints on the paper chosen
 * when printing; a PDF is on A4. */
typedef enum { RETAIN_PAPER_ANY, RETAIN_PAPER_A4, RETAIN_PAPER_LETTER } retain_paper;

/* "a4" or "letter" (lower case) into *out; false for anything else. */
RETAIN_API bool retain_paper_parse(const char *name, retain_paper *out);

/* One HTML file: inline CSS and SVG, no script, no external reference;
 * lays out on screen and on A4 or Letter paper (14 mm margins), and asks
 * the browser for the given paper when it is not RETAIN_PAPER_ANY (CSS
 * @page size). */
RETAIN_API retain_status retain_doc_write_html(const retain_doc *doc, FILE *out,
                                               retain_paper paper);

/* Markdown (GitHub's tables); each chart is written as assets_dir/ID.svg
 * (the directory must exist) and referenced as assets_ref/ID.svg.
 * RETAIN_ERR_OPEN when a chart file cannot be written (diag says which). */
RETAIN_API retain_status retain_doc_write_markdown(const retain_doc *doc, FILE *out,
                                                   const char *assets_dir, const char *assets_ref,
                                                   retain_diag *diag);

/* A vector PDF on A4 pages (RETAIN_PAPER_ANY or _A4: 595.28 x 841.89
 * points) or Letter pages (612 x 792 points), 42-point margins (cairo;
 * text with pango, searchable). date is the creation and modification
 * date written in its metadata. */
RETAIN_API retain_status retain_doc_write_pdf(const retain_doc *doc, FILE *out, retain_day date,
                                              retain_paper paper);

/* The formats of a document, as retain report's -f names them: "html",
 * "pdf" or "md" into *out; false for anything else. */
typedef enum { RETAIN_DOC_HTML, RETAIN_DOC_PDF, RETAIN_DOC_MARKDOWN } retain_doc_format;
RETAIN_API bool retain_doc_format_parse(const char *name, retain_doc_format *out);

/* How retain_doc_write() writes a document. */
typedef struct {
    retain_doc_format format;
    retain_paper paper; /* html and pdf */
    const char *assets; /* md: the directory of the chart files, also their reference */
    retain_day date;    /* pdf: the date of its metadata */
} retain_doc_output;

/* Whether o can be written, before the document is made: RETAIN_ERR_USAGE
 * (diag) for md with a paper other than RETAIN_PAPER_ANY or without
 * assets. */
RETAIN_API retain_status retain_doc_output_check(const retain_doc_output *o, retain_diag *diag);

/* Writes doc on out as o says, by retain_doc_write_html(), _pdf() or
 * _markdown(); their errors (RETAIN_ERR_OPEN for a chart file of md, with
 * diag). o and doc stay the caller's. */
RETAIN_API retain_status retain_doc_write(const retain_doc *doc, const retain_doc_output *o,
                                          FILE *out, retain_diag *diag);

RETAIN_API void retain_doc_free(retain_doc *doc);

#ifdef __cplusplus
}
#endif
#endif
