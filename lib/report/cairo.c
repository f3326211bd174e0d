/* A laid-out chart drawn with cairo, its text laid out by pango: the PDF
 * twin of svg.c, mark for mark. */
#include <math.h>

#include <pango/pangocairo.h>

#include "render.h"

static void set_rgb(cairo_t *cr, int32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                          (rgb & 0xFF) / 255.0, alpha);
}

static PangoLayout *layout(cairo_t *cr, const char *text, double size, bool bold, double width)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans");
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

void rt_cairo_measure(cairo_t *cr, const char *text, double size, bool bold, double width,
                      double *w, double *h)
{
    PangoLayout *l = layout(cr, text, size, bold, width);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    *w = (double)pw / PANGO_SCALE;
    *h = (double)ph / PANGO_SCALE;
    g_object_unref(l);
}

double rt_cairo_text(cairo_t *cr, double x, double y, const char *text, double size, bool bold,
                     int anchor, int32_t rgb)
{
    PangoLayout *l = layout(cr, text, size, bold, 0);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    double w = (double)pw / PANGO_SCALE;
    double base = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
    set_rgb(cr, rgb == RETAIN_NO_COLOUR ? 0 : rgb, 1);
    cairo_move_to(cr, x - (anchor < 0 ? 0 : anchor == 0 ? w / 2 : w), y - base);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return w;
}

double rt_cairo_paragraph(cairo_t *cr, double x, double y, double width, const char *text,
                          double size, bool bold, int32_t rgb)
{
    PangoLayout *l = layout(cr, text, size, bold, width);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    set_rgb(cr, rgb, 1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

static void polyline(cairo_t *cr, const retain_mark *m)
{
    for (size_t i = 0; i < m->npts; i++) {
        if (i == 0)
            cairo_move_to(cr, m->pts[0], m->pts[1]);
        else
            cairo_line_to(cr, m->pts[2 * i], m->pts[2 * i + 1]);
    }
}

void rt_chart_cairo(const retain_chart *c, cairo_t *cr)
{
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < retain_chart_marks(c); i++) {
        const retain_mark *m = retain_chart_mark(c, i);
        switch (m->kind) {
        case RETAIN_MARK_RECT:
            cairo_rectangle(cr, m->x, m->y, m->w, m->h);
            set_rgb(cr, m->fill, m->opacity);
            cairo_fill(cr);
            break;
        case RETAIN_MARK_LINE:
            cairo_move_to(cr, m->x, m->y);
            cairo_line_to(cr, m->x + m->w, m->y + m->h);
            set_rgb(cr, m->stroke, 1);
            cairo_set_line_width(cr, m->stroke_width);
            cairo_stroke(cr);
            break;
        case RETAIN_MARK_PATH:
            polyline(cr, m);
            set_rgb(cr, m->stroke, 1);
            cairo_set_line_width(cr, m->stroke_width);
            cairo_stroke(cr);
            break;
        case RETAIN_MARK_AREA:
            polyline(cr, m);
            cairo_close_path(cr);
            set_rgb(cr, m->fill, m->opacity);
            cairo_fill(cr);
            break;
        case RETAIN_MARK_DOT:
            cairo_new_sub_path(cr);
            cairo_arc(cr, m->x, m->y, m->w, 0, 2 * M_PI);
            set_rgb(cr, m->fill, 1);
            cairo_fill(cr);
            break;
        case RETAIN_MARK_TEXT:
            if (m->vertical) {
                cairo_save(cr);
                cairo_translate(cr, m->x, m->y);
                cairo_rotate(cr, -M_PI / 2);
                rt_cairo_text(cr, 0, 0, m->text, m->size, m->bold, m->anchor, m->fill);
                cairo_restore(cr);
            } else {
                rt_cairo_text(cr, m->x, m->y, m->text, m->size, m->bold, m->anchor, m->fill);
            }
            break;
        }
    }
    cairo_restore(cr);
}
