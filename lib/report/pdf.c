/* A document as a vector PDF: cairo draws, pango lays the text out, blocks
 * flow down A4 or Letter pages (retain/document.h). */
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include <retain/retain.h>

#include "docblocks.h"
#include "render.h"

#define MARGIN 42.0
#define BODY 9.0
#define ROW_H 13.5

typedef struct {
    cairo_t *cr;
    double y;
    int page;
    const retain_doc *doc;
    double page_w, page_h, text_w; /* points */
} flow;

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                      : CAIRO_STATUS_WRITE_ERROR;
}

static void footer(flow *f)
{
    char n[32];
    snprintf(n, sizeof n, "%d", f->page);
    rt_cairo_text(f->cr, MARGIN, f->page_h - MARGIN / 2, f->doc->title, 7, false, -1, 0x777777);
    rt_cairo_text(f->cr, f->page_w - MARGIN, f->page_h - MARGIN / 2, n, 7, false, 1, 0x777777);
}

/* Starts a new page unless h more points fit on this one. */
static void need(flow *f, double h)
{
    if (f->y + h <= f->page_h - MARGIN)
        return;
    footer(f);
    cairo_show_page(f->cr);
    f->page++;
    f->y = MARGIN;
}

static double col_width(cairo_t *cr, const rt_block *b, size_t col)
{
    double best = 0;
    for (size_t k = col; k < b->ncells; k += b->ncols) {
        double w, h;
        rt_cairo_measure(cr, b->cells[k].text, BODY, k < b->ncols, 0, &w, &h);
        if (w > best)
            best = w;
    }
    return best + 12;
}

static int32_t tone_rgb(retain_tone t)
{
    return t == RETAIN_TONE_GOOD ? 0x006B4F : t == RETAIN_TONE_BAD ? 0xB23A00 : 0x222222;
}

static void table(flow *f, const rt_block *b)
{
    double w[16], total = 0;
    for (size_t c = 0; c < b->ncols; c++)
        total += w[c] = col_width(f->cr, b, c);
    if (total > f->text_w) { /* the first column gives way, down to a third */
        double over = total - f->text_w, give = w[0] - f->text_w / 3;
        if (give > over)
            give = over;
        if (give > 0)
            w[0] -= give, total -= give;
        for (size_t c = 0; c < b->ncols && total > f->text_w; c++)
            w[c] *= f->text_w / total;
    }
    size_t rows = b->ncells / b->ncols;
    need(f, ROW_H * (rows < 4 ? (double)rows + 0.5 : 4.5));
    for (size_t r = 0; r < rows; r++) {
        need(f, ROW_H);
        double x = MARGIN;
        double base = f->y + BODY + 1;
        for (size_t c = 0; c < b->ncols; c++) {
            const rt_cell *cell = &b->cells[r * b->ncols + c];
            bool head = r == 0;
            /* a first-column text too wide is cut at the column */
            cairo_save(f->cr);
            cairo_rectangle(f->cr, x, f->y, w[c] - 4, ROW_H);
            cairo_clip(f->cr);
            if (c == 0)
                rt_cairo_text(f->cr, x, base, cell->text, BODY, head, -1, tone_rgb(cell->tone));
            else
                rt_cairo_text(f->cr, x + w[c] - 6, base, cell->text, BODY,
                              head || cell->tone != RETAIN_TONE_PLAIN, 1, tone_rgb(cell->tone));
            cairo_restore(f->cr);
            x += w[c];
        }
        f->y += ROW_H;
        cairo_move_to(f->cr, MARGIN, f->y - 2);
        cairo_line_to(f->cr, MARGIN + (total < f->text_w ? total : f->text_w), f->y - 2);
        cairo_set_line_width(f->cr, r == 0 ? 1.0 : 0.4);
        cairo_set_source_rgb(f->cr, r == 0 ? 0.5 : 0.85, r == 0 ? 0.5 : 0.85, r == 0 ? 0.5 : 0.85);
        cairo_stroke(f->cr);
    }
    f->y += 8;
}

static void block(flow *f, const rt_block *b, const rt_block *next)
{
    double w, h;
    switch (b->kind) {
    case RT_BLOCK_HEADING:
        /* kept with what follows */
        need(f, 26 + (next && next->kind == RT_BLOCK_CHART ? retain_chart_height(next->chart)
                                                           : 3 * ROW_H));
        f->y += 8;
        rt_cairo_paragraph(f->cr, MARGIN, f->y, f->text_w, b->text, 13, true, 0x222222);
        f->y += 18;
        cairo_move_to(f->cr, MARGIN, f->y);
        cairo_line_to(f->cr, MARGIN + f->text_w, f->y);
        cairo_set_source_rgb(f->cr, 0.8, 0.8, 0.8);
        cairo_set_line_width(f->cr, 0.6);
        cairo_stroke(f->cr);
        f->y += 6;
        break;
    case RT_BLOCK_PARAGRAPH:
        rt_cairo_measure(f->cr, b->text, BODY, false, f->text_w, &w, &h);
        need(f, h);
        f->y += rt_cairo_paragraph(f->cr, MARGIN, f->y, f->text_w, b->text, BODY, false, 0x222222);
        f->y += 6;
        break;
    case RT_BLOCK_ITEM:
        rt_cairo_measure(f->cr, b->text, BODY, false, f->text_w - 14, &w, &h);
        need(f, h);
        rt_cairo_text(f->cr, MARGIN + 4, f->y + BODY, "\xE2\x80\xA2", BODY, false, -1, 0x222222);
        f->y += rt_cairo_paragraph(f->cr, MARGIN + 14, f->y, f->text_w - 14, b->text, BODY, false,
                                   0x222222);
        f->y += next && next->kind == RT_BLOCK_ITEM ? 2 : 8;
        break;
    case RT_BLOCK_TABLE:
        table(f, b);
        break;
    case RT_BLOCK_CHART:
        need(f, retain_chart_height(b->chart));
        cairo_save(f->cr);
        cairo_translate(f->cr, MARGIN, f->y);
        rt_chart_cairo(b->chart, f->cr);
        cairo_restore(f->cr);
        f->y += retain_chart_height(b->chart) + 10;
        break;
    }
}

retain_status retain_doc_write_pdf(const retain_doc *doc, FILE *out, retain_day date,
                                   retain_paper paper)
{
    /* ISO 216 A4 (210 x 297 mm) and US Letter (8.5 x 11 in), in points */
    double w = paper == RETAIN_PAPER_LETTER ? 612 : 595.28;
    double h = paper == RETAIN_PAPER_LETTER ? 792 : 841.89;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return RETAIN_ERR_NOMEM;
    }
    /* the dates are the report's, not the clock's: two runs, same bytes */
    char when[32], day[11];
    retain_day_format(date, day);
    snprintf(when, sizeof when, "%sT00:00:00Z", day);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, doc->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "retain report");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, when);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, when);
    cairo_t *cr = cairo_create(s);
    flow f = {cr, MARGIN, 1, doc, w, h, w - 2 * MARGIN};
    f.y += rt_cairo_paragraph(cr, MARGIN, f.y, f.text_w, doc->title, 18, true, 0x222222) + 2;
    if (doc->subtitle)
        f.y += rt_cairo_paragraph(cr, MARGIN, f.y, f.text_w, doc->subtitle, BODY, false, 0x555555);
    f.y += 6;
    for (size_t i = 0; i < doc->nblocks; i++)
        block(&f, &doc->blocks[i], i + 1 < doc->nblocks ? &doc->blocks[i + 1] : NULL);
    footer(&f);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS || fflush(out) != 0 || ferror(out))
        return cs == CAIRO_STATUS_NO_MEMORY ? RETAIN_ERR_NOMEM : RETAIN_ERR_IO;
    return RETAIN_OK;
}
