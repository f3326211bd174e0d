/* A report's blocks, and their HTML and Markdown (retain/document.h). The
 * PDF writer is in pdf.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <retain/document.h>

#include "docblocks.h"
#include "internal.h"
#include "render.h"

static char *dup(const char *s)
{
    return rt_strdup(s ? s : "");
}

retain_doc *retain_doc_new(retain_lang lang, const char *title, const char *subtitle)
{
    retain_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->lang = lang;
    d->title = dup(title);
    d->subtitle = subtitle ? dup(subtitle) : NULL;
    if (!d->title || (subtitle && !d->subtitle)) {
        retain_doc_free(d);
        return NULL;
    }
    return d;
}

retain_lang retain_doc_lang(const retain_doc *doc)
{
    return doc->lang;
}

static rt_block *block(retain_doc *d, rt_block_kind kind)
{
    if (!rt_grow((void **)&d->blocks, &d->cap, d->nblocks + 1, sizeof *d->blocks))
        return NULL;
    rt_block *b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

static retain_status text_block(retain_doc *d, rt_block_kind kind, const char *text)
{
    char *t = dup(text);
    if (!t)
        return RETAIN_ERR_NOMEM;
    rt_block *b = block(d, kind);
    if (!b) {
        free(t);
        return RETAIN_ERR_NOMEM;
    }
    b->text = t;
    return RETAIN_OK;
}

retain_status retain_doc_heading(retain_doc *doc, const char *text)
{
    return text_block(doc, RT_BLOCK_HEADING, text);
}
retain_status retain_doc_paragraph(retain_doc *doc, const char *text)
{
    return text_block(doc, RT_BLOCK_PARAGRAPH, text);
}
retain_status retain_doc_item(retain_doc *doc, const char *text)
{
    return text_block(doc, RT_BLOCK_ITEM, text);
}

retain_status retain_doc_table(retain_doc *doc, const char *id, size_t ncols,
                               const char *const *header)
{
    if (ncols < 1 || ncols > 16)
        return RETAIN_ERR_USAGE;
    rt_block *b = block(doc, RT_BLOCK_TABLE);
    if (!b)
        return RETAIN_ERR_NOMEM;
    b->ncols = ncols;
    b->text = id ? dup(id) : NULL;
    if (id && !b->text)
        return RETAIN_ERR_NOMEM;
    for (size_t i = 0; i < ncols; i++)
        if (retain_doc_cell(doc, header[i], RETAIN_TONE_PLAIN) != RETAIN_OK)
            return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

retain_status retain_doc_cell(retain_doc *doc, const char *text, retain_tone tone)
{
    rt_block *b = doc->nblocks ? &doc->blocks[doc->nblocks - 1] : NULL;
    if (!b || b->kind != RT_BLOCK_TABLE)
        return RETAIN_ERR_USAGE;
    if (!rt_grow((void **)&b->cells, &b->capcells, b->ncells + 1, sizeof *b->cells))
        return RETAIN_ERR_NOMEM;
    char *t = dup(text);
    if (!t)
        return RETAIN_ERR_NOMEM;
    b->cells[b->ncells].text = t;
    b->cells[b->ncells].tone = tone;
    b->ncells++;
    return RETAIN_OK;
}

retain_status retain_doc_chart(retain_doc *doc, retain_chart *chart, double height)
{
    retain_status st = retain_chart_layout(chart, RT_CHART_WIDTH, height);
    rt_block *b = st == RETAIN_OK ? block(doc, RT_BLOCK_CHART) : NULL;
    if (!b) {
        retain_chart_free(chart);
        return st == RETAIN_OK ? RETAIN_ERR_NOMEM : st;
    }
    b->chart = chart;
    return RETAIN_OK;
}

size_t retain_doc_charts(const retain_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nblocks; i++)
        n += doc->blocks[i].kind == RT_BLOCK_CHART;
    return n;
}

const retain_chart *retain_doc_chart_at(const retain_doc *doc, size_t k)
{
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].kind == RT_BLOCK_CHART && k-- == 0)
            return doc->blocks[i].chart;
    return NULL;
}

void retain_doc_free(retain_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nblocks; i++) {
        rt_block *b = &doc->blocks[i];
        free(b->text);
        for (size_t k = 0; k < b->ncells; k++)
            free(b->cells[k].text);
        free(b->cells);
        retain_chart_free(b->chart);
    }
    free(doc->blocks);
    free(doc->title);
    free(doc->subtitle);
    free(doc);
}

/* ---- HTML ---- */

static const char css[] =
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{font-family:\"DejaVu Sans\",Verdana,Arial,sans-serif;color:#222;background:#fff;"
    "max-width:800px;margin:24px auto;padding:0 16px;font-size:14px;line-height:1.4}\n"
    "h1{font-size:24px;margin:0 0 4px}\n"
    ".sub{color:#555;margin:0 0 16px}\n"
    "h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:2px;"
    "break-after:avoid}\n"
    "table{border-collapse:collapse;margin:8px 0 12px;break-inside:avoid}\n"
    "th,td{padding:3px 10px;border-bottom:1px solid #e4e4e4;vertical-align:top}\n"
    "th{text-align:left;border-bottom:1.5px solid #888;font-weight:bold}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".good{color:#006B4F;font-weight:bold}\n"
    ".bad{color:#B23A00;font-weight:bold}\n"
    "figure{margin:12px 0 18px;break-inside:avoid}\n"
    "svg.chart{width:100%;height:auto;display:block}\n"
    "ul{margin:6px 0 12px;padding-left:22px}\n"
    "@page{margin:14mm}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
    "h1{font-size:18pt}h2{font-size:13pt}}\n";

static void html_cell(FILE *out, const rt_cell *c, bool head, bool num)
{
    const char *tag = head ? "th" : "td";
    fprintf(out, "<%s", tag);
    const char *cls = c->tone == RETAIN_TONE_GOOD  ? " good"
                      : c->tone == RETAIN_TONE_BAD ? " bad"
                                                   : "";
    if (num || *cls)
        fprintf(out, " class=\"%s%s\"", num ? "n" : "", num ? cls : cls + 1);
    fputc('>', out);
    rt_xml_text(out, c->text);
    fprintf(out, "</%s>", tag);
}

bool retain_paper_parse(const char *name, retain_paper *out)
{
    if (strcmp(name, "a4") == 0)
        *out = RETAIN_PAPER_A4;
    else if (strcmp(name, "letter") == 0)
        *out = RETAIN_PAPER_LETTER;
    else
        return false;
    return true;
}

bool retain_doc_format_parse(const char *name, retain_doc_format *out)
{
    if (strcmp(name, "html") == 0)
        *out = RETAIN_DOC_HTML;
    else if (strcmp(name, "pdf") == 0)
        *out = RETAIN_DOC_PDF;
    else if (strcmp(name, "md") == 0)
        *out = RETAIN_DOC_MARKDOWN;
    else
        return false;
    return true;
}

retain_status retain_doc_output_check(const retain_doc_output *o, retain_diag *diag)
{
    if (o->format == RETAIN_DOC_MARKDOWN && o->paper != RETAIN_PAPER_ANY)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "--paper is the page size of -f pdf and html, not of md");
    if (o->format == RETAIN_DOC_MARKDOWN && !o->assets)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "-f md writes its charts as SVG files: name their directory with "
                       "--assets DIR");
    return RETAIN_OK;
}

retain_status retain_doc_write(const retain_doc *doc, const retain_doc_output *o, FILE *out,
                               retain_diag *diag)
{
    if (o->format == RETAIN_DOC_PDF)
        return retain_doc_write_pdf(doc, out, o->date, o->paper);
    if (o->format == RETAIN_DOC_MARKDOWN)
        return retain_doc_write_markdown(doc, out, o->assets, o->assets, diag);
    return retain_doc_write_html(doc, out, o->paper);
}

retain_status retain_doc_write_html(const retain_doc *doc, FILE *out, retain_paper paper)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            doc->lang == RETAIN_LANG_FR ? "fr" : "en");
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", out);
    rt_xml_text(out, doc->title);
    fprintf(out, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<h1>", css,
            paper == RETAIN_PAPER_A4       ? "@page{size:A4}\n"
            : paper == RETAIN_PAPER_LETTER ? "@page{size:letter}\n"
                                           : "");
    rt_xml_text(out, doc->title);
    fputs("</h1>\n", out);
    if (doc->subtitle) {
        fputs("<p class=\"sub\">", out);
        rt_xml_text(out, doc->subtitle);
        fputs("</p>\n", out);
    }
    for (size_t i = 0; i < doc->nblocks; i++) {
        const rt_block *b = &doc->blocks[i];
        switch (b->kind) {
        case RT_BLOCK_HEADING:
            fputs("<h2>", out);
            rt_xml_text(out, b->text);
            fputs("</h2>\n", out);
            break;
        case RT_BLOCK_PARAGRAPH:
            fputs("<p>", out);
            rt_xml_text(out, b->text);
            fputs("</p>\n", out);
            break;
        case RT_BLOCK_ITEM:
            if (i == 0 || doc->blocks[i - 1].kind != RT_BLOCK_ITEM)
                fputs("<ul>\n", out);
            fputs("<li>", out);
            rt_xml_text(out, b->text);
            fputs("</li>\n", out);
            if (i + 1 == doc->nblocks || doc->blocks[i + 1].kind != RT_BLOCK_ITEM)
                fputs("</ul>\n", out);
            break;
        case RT_BLOCK_TABLE:
            fputs("<table", out);
            if (b->text) {
                fputs(" id=\"", out);
                rt_xml_text(out, b->text);
                fputc('"', out);
            }
            fputs(">\n<thead><tr>", out);
            for (size_t k = 0; k < b->ncells; k++) {
                if (k == b->ncols)
                    fputs("</tr></thead>\n<tbody>\n<tr>", out);
                else if (k > b->ncols && k % b->ncols == 0)
                    fputs("</tr>\n<tr>", out);
                html_cell(out, &b->cells[k], k < b->ncols, k % b->ncols != 0);
            }
            fputs(b->ncells > b->ncols ? "</tr>\n</tbody>\n</table>\n"
                                       : "</tr></thead>\n</table>\n",
                  out);
            break;
        case RT_BLOCK_CHART:
            fputs("<figure>\n", out);
            retain_chart_svg(b->chart, out, false);
            fputs("</figure>\n", out);
            break;
        }
    }
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? RETAIN_ERR_IO : RETAIN_OK;
}

/* ---- Markdown ---- */

static void md_text(FILE *out, const char *s, bool cell)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]<>|#", *s) && (cell || *s != '|'))
            fputc('\\', out);
        fputc(*s == '\n' ? ' ' : *s, out);
    }
}

retain_status retain_doc_write_markdown(const retain_doc *doc, FILE *out, const char *assets_dir,
                                        const char *assets_ref, retain_diag *diag)
{
    fputs("# ", out);
    md_text(out, doc->title, false);
    fputs("\n\n", out);
    if (doc->subtitle) {
        md_text(out, doc->subtitle, false);
        fputs("\n\n", out);
    }
    for (size_t i = 0; i < doc->nblocks; i++) {
        const rt_block *b = &doc->blocks[i];
        switch (b->kind) {
        case RT_BLOCK_HEADING:
            fputs("## ", out);
            md_text(out, b->text, false);
            fputs("\n\n", out);
            break;
        case RT_BLOCK_PARAGRAPH:
            md_text(out, b->text, false);
            fputs("\n\n", out);
            break;
        case RT_BLOCK_ITEM:
            fputs("- ", out);
            md_text(out, b->text, false);
            fputs(i + 1 < doc->nblocks && doc->blocks[i + 1].kind == RT_BLOCK_ITEM ? "\n" : "\n\n",
                  out);
            break;
        case RT_BLOCK_TABLE:
            for (size_t k = 0; k < b->ncells; k++) {
                fputs(k % b->ncols == 0 ? "| " : " | ", out);
                md_text(out, b->cells[k].text, true);
                if (k % b->ncols == b->ncols - 1) {
                    fputs(" |\n", out);
                    if (k + 1 == b->ncols) {
                        for (size_t j = 0; j < b->ncols; j++)
                            fputs(j == 0 ? "|---" : "|---:", out);
                        fputs("|\n", out);
                    }
                }
            }
            fputc('\n', out);
            break;
        case RT_BLOCK_CHART: {
            const char *id = retain_chart_id(b->chart);
            size_t n = strlen(assets_dir) + strlen(id) + 8;
            char *path = malloc(n);
            if (!path)
                return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
            snprintf(path, n, "%s/%s.svg", assets_dir, id);
            FILE *f = fopen(path, "wb");
            retain_status st = f ? retain_chart_svg(b->chart, f, true) : RETAIN_ERR_OPEN;
            if (f && fclose(f) != 0)
                st = RETAIN_ERR_IO;
            if (st != RETAIN_OK) {
                rt_fail(diag, RETAIN_ERR_OPEN, 0, NULL, "cannot write %s: %s", path,
                        strerror(errno));
                free(path);
                return RETAIN_ERR_OPEN;
            }
            free(path);
            fputs("![", out);
            md_text(out, retain_chart_title(b->chart), false);
            fprintf(out, "](%s/%s.svg)\n\n", assets_ref, id);
            break;
        }
        }
    }
    return ferror(out) ? rt_fail(diag, RETAIN_ERR_IO, 0, NULL, "write error") : RETAIN_OK;
}
