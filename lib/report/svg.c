/* A laid-out chart as SVG markup: every mark one element, text as <text>,
 * coordinates written without the process locale. */
#include <stdio.h>
#include <string.h>

#include <retain/chart.h>
#include <retain/number.h>

#include "render.h"

/* A coordinate: two decimals at most, trailing zeros dropped. */
static const char *coord(double v, char *buf)
{
    if (!retain_format_real(v, 2, buf))
        strcpy(buf, "0");
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    return buf;
}

void rt_xml_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static void colour(FILE *out, const char *attr, int32_t rgb)
{
    if (rgb == RETAIN_NO_COLOUR)
        fprintf(out, " %s=\"none\"", attr);
    else
        fprintf(out, " %s=\"#%06X\"", attr, (unsigned)rgb);
}

static void data_attrs(FILE *out, const retain_mark *m, const char *what)
{
    if (!m->data)
        return;
    fprintf(out, " class=\"mark %s\"", what);
    if (m->series_name) {
        fputs(" data-series=\"", out);
        rt_xml_text(out, m->series_name);
        fputc('"', out);
    }
}

static void points(FILE *out, const retain_mark *m)
{
    char a[RETAIN_NUMBER_BUFSIZE], b[RETAIN_NUMBER_BUFSIZE];
    for (size_t i = 0; i < m->npts; i++)
        fprintf(out, "%s%s,%s", i ? " " : "", coord(m->pts[2 * i], a), coord(m->pts[2 * i + 1], b));
}

retain_status retain_chart_svg(const retain_chart *c, FILE *out, bool standalone)
{
    char a[RETAIN_NUMBER_BUFSIZE], b[RETAIN_NUMBER_BUFSIZE], w[RETAIN_NUMBER_BUFSIZE],
        h[RETAIN_NUMBER_BUFSIZE];
    const char *id = retain_chart_id(c);
    if (standalone)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<svg%s class=\"chart\" id=\"%s\" viewBox=\"0 0 %s %s\" width=\"%s\" height=\"%s\"",
            standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "", id,
            coord(retain_chart_width(c), w), coord(retain_chart_height(c), h), w, h);
    fprintf(out,
            " role=\"img\" aria-labelledby=\"%s-title\" data-marks=\"%zu\""
            " font-family=\"DejaVu Sans, Verdana, sans-serif\">\n",
            id, retain_chart_data_marks(c));
    fprintf(out, "<title id=\"%s-title\">", id);
    rt_xml_text(out, retain_chart_title(c));
    fputs("</title>\n", out);
    for (size_t i = 0; i < retain_chart_marks(c); i++) {
        const retain_mark *m = retain_chart_mark(c, i);
        switch (m->kind) {
        case RETAIN_MARK_RECT:
            fprintf(out, "<rect x=\"%s\" y=\"%s\"", coord(m->x, a), coord(m->y, b));
            fprintf(out, " width=\"%s\" height=\"%s\"", coord(m->w, w), coord(m->h, h));
            colour(out, "fill", m->fill);
            data_attrs(out, m, "bar");
            fputs("/>\n", out);
            break;
        case RETAIN_MARK_LINE:
            fprintf(out, "<line x1=\"%s\" y1=\"%s\"", coord(m->x, a), coord(m->y, b));
            fprintf(out, " x2=\"%s\" y2=\"%s\"", coord(m->x + m->w, w), coord(m->y + m->h, h));
            colour(out, "stroke", m->stroke);
            fprintf(out, " stroke-width=\"%s\"/>\n", coord(m->stroke_width, a));
            break;
        case RETAIN_MARK_PATH:
            fputs("<polyline points=\"", out);
            points(out, m);
            fputs("\" fill=\"none\"", out);
            colour(out, "stroke", m->stroke);
            fprintf(out, " stroke-width=\"%s\" stroke-linejoin=\"round\"",
                    coord(m->stroke_width, a));
            data_attrs(out, m, "curve");
            fputs("/>\n", out);
            break;
        case RETAIN_MARK_AREA:
            fputs("<polygon points=\"", out);
            points(out, m);
            fputc('"', out);
            colour(out, "fill", m->fill);
            fprintf(out, " fill-opacity=\"%s\"", coord(m->opacity, a));
            data_attrs(out, m, "band");
            fputs("/>\n", out);
            break;
        case RETAIN_MARK_DOT:
            fprintf(out, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\"", coord(m->x, a), coord(m->y, b),
                    coord(m->w, w));
            colour(out, "fill", m->fill);
            data_attrs(out, m, "point");
            fputs("/>\n", out);
            break;
        case RETAIN_MARK_TEXT:
            fprintf(out, "<text x=\"%s\" y=\"%s\" font-size=\"%s\"", coord(m->x, a), coord(m->y, b),
                    coord(m->size, w));
            if (m->anchor)
                fprintf(out, " text-anchor=\"%s\"", m->anchor < 0 ? "start" : "end");
            else
                fputs(" text-anchor=\"middle\"", out);
            if (m->bold)
                fputs(" font-weight=\"bold\"", out);
            if (m->vertical)
                fprintf(out, " transform=\"rotate(-90 %s %s)\"", coord(m->x, a), coord(m->y, b));
            colour(out, "fill", m->fill);
            fputc('>', out);
            rt_xml_text(out, m->text);
            fputs("</text>\n", out);
            break;
        }
    }
    fputs("</svg>\n", out);
    return ferror(out) ? RETAIN_ERR_IO : RETAIN_OK;
}
