/* The blocks of a document, shared by its writers (document.c, pdf.c). */
#ifndef RETAIN_REPORT_DOCBLOCKS_H
#define RETAIN_REPORT_DOCBLOCKS_H

#include <retain/document.h>

/* Charts are laid out this wide (points): the text width of an A4 page
 * with 42-point margins. */
#define RT_CHART_WIDTH 510.0

typedef enum {
    RT_BLOCK_HEADING,
    RT_BLOCK_PARAGRAPH,
    RT_BLOCK_ITEM,
    RT_BLOCK_TABLE,
    RT_BLOCK_CHART
} rt_block_kind;

typedef struct {
    char *text;
    retain_tone tone;
} rt_cell;

typedef struct {
    rt_block_kind kind;
    char *text; /* heading, paragraph, item; a table's id */
    size_t ncols;
    rt_cell *cells; /* header row first */
    size_t ncells, capcells;
    retain_chart *chart;
} rt_block;

struct retain_doc {
    retain_lang lang;
    char *title, *subtitle;
    rt_block *blocks;
    size_t nblocks, cap;
};

#endif
