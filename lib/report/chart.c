/* The chart model: data in, marks out (retain/chart.h). The renderers
 * (svg.c, cairo.c) only draw the marks laid out here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <retain/chart.h>
#include <retain/number.h>

#include "internal.h"

typedef struct {
    char *name;
    int32_t colour;
    double *v; /* per category; def says which are set */
    bool *def;
    size_t nv;
    double *px, *py, *plo, *phi; /* STEPS points */
    size_t np, capp;
} series;

struct retain_chart {
    retain_chart_kind kind;
    char *id, *title, *x_title, *y_title, *y_unit;
    retain_lang lang;
    bool fixed_y, has_include;
    double y_lo, y_hi, y_scale, include;
    char **cats;
    size_t ncat, capcat;
    series *ser;
    size_t nser, capser;
    /* layout */
    retain_mark *marks;
    size_t nmarks, capmarks, ndata;
    double width, height;
    bool failed; /* out of memory during layout */
    bool lost;   /* out of memory while data came in: layout fails */
};

/* Fonts of the layout, in points. */
#define TITLE_SIZE 10.5
#define LABEL_SIZE 8.0
#define SMALL_SIZE 7.0

retain_chart *retain_chart_new(retain_chart_kind kind, const char *id, const char *title)
{
    retain_chart *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->kind = kind;
    c->y_scale = 1;
    c->id = rt_strdup(id ? id : "chart");
    c->title = rt_strdup(title ? title : "");
    if (!c->id || !c->title) {
        retain_chart_free(c);
        return NULL;
    }
    return c;
}

retain_status retain_chart_axes(retain_chart *c, const char *x_title, const char *y_title,
                                const char *y_unit, retain_lang lang)
{
    free(c->x_title);
    free(c->y_title);
    free(c->y_unit);
    c->x_title = rt_strdup(x_title);
    c->y_title = rt_strdup(y_title);
    c->y_unit = rt_strdup(y_unit);
    c->lang = lang;
    if ((x_title && !c->x_title) || (y_title && !c->y_title) || (y_unit && !c->y_unit))
        return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

void retain_chart_y_range(retain_chart *c, double lo, double hi)
{
    c->fixed_y = isfinite(lo) && isfinite(hi) && lo < hi;
    c->y_lo = lo;
    c->y_hi = hi;
}

void retain_chart_y_include(retain_chart *c, double value)
{
    if (isfinite(value)) {
        c->has_include = true;
        c->include = value;
    }
}

void retain_chart_y_scale(retain_chart *c, double scale)
{
    c->y_scale = isfinite(scale) && scale > 0 ? scale : 1;
}

retain_status retain_chart_category(retain_chart *c, const char *label)
{
    if (!rt_grow((void **)&c->cats, &c->capcat, c->ncat + 1, sizeof *c->cats) ||
        !(c->cats[c->ncat] = rt_strdup(label ? label : "")))
        return c->lost = true, RETAIN_ERR_NOMEM;
    c->ncat++;
    return RETAIN_OK;
}

retain_status retain_chart_series(retain_chart *c, const char *name, int32_t colour, size_t *index)
{
    if (!rt_grow((void **)&c->ser, &c->capser, c->nser + 1, sizeof *c->ser))
        return c->lost = true, RETAIN_ERR_NOMEM;
    series *s = &c->ser[c->nser];
    memset(s, 0, sizeof *s);
    if (!(s->name = rt_strdup(name ? name : "")))
        return c->lost = true, RETAIN_ERR_NOMEM;
    s->colour = colour >= 0 ? colour : retain_palette(c->nser);
    if (index)
        *index = c->nser;
    c->nser++;
    return RETAIN_OK;
}

retain_status retain_chart_value(retain_chart *c, size_t si, size_t category, double value)
{
    if (si >= c->nser || category >= c->ncat || !isfinite(value))
        return RETAIN_ERR_USAGE;
    series *s = &c->ser[si];
    if (s->nv < c->ncat) {
        double *v = realloc(s->v, c->ncat * sizeof *v);
        if (!v)
            return c->lost = true, RETAIN_ERR_NOMEM;
        s->v = v;
        bool *d = realloc(s->def, c->ncat * sizeof *d);
        if (!d)
            return c->lost = true, RETAIN_ERR_NOMEM;
        s->def = d;
        for (size_t i = s->nv; i < c->ncat; i++)
            s->def[i] = false, s->v[i] = 0;
        s->nv = c->ncat;
    }
    s->v[category] = value;
    s->def[category] = true;
    return RETAIN_OK;
}

retain_status retain_chart_point(retain_chart *c, size_t si, double x, double y, bool band,
                                 double low, double high)
{
    if (si >= c->nser || !isfinite(x) || !isfinite(y))
        return RETAIN_ERR_USAGE;
    series *s = &c->ser[si];
    if (s->np && x < s->px[s->np - 1])
        return RETAIN_ERR_USAGE;
    if (s->np == s->capp) {
        size_t n = s->capp ? s->capp * 2 : 64;
        double **a[4] = {&s->px, &s->py, &s->plo, &s->phi};
        for (int k = 0; k < 4; k++) { /* each kept as soon as it moved */
            double *q = realloc(*a[k], n * sizeof *q);
            if (!q)
                return c->lost = true, RETAIN_ERR_NOMEM;
            *a[k] = q;
        }
        s->capp = n;
    }
    bool ok = band && isfinite(low) && isfinite(high);
    s->px[s->np] = x;
    s->py[s->np] = y;
    s->plo[s->np] = ok ? low : y;
    s->phi[s->np] = ok ? high : y;
    s->np++;
    return RETAIN_OK;
}

size_t retain_chart_categories(const retain_chart *c)
{
    return c->ncat;
}
size_t retain_chart_series_count(const retain_chart *c)
{
    return c->nser;
}
const char *retain_chart_id(const retain_chart *c)
{
    return c->id;
}
const char *retain_chart_title(const retain_chart *c)
{
    return c->title;
}
size_t retain_chart_marks(const retain_chart *c)
{
    return c->nmarks;
}
const retain_mark *retain_chart_mark(const retain_chart *c, size_t i)
{
    return i < c->nmarks ? &c->marks[i] : NULL;
}
size_t retain_chart_data_marks(const retain_chart *c)
{
    return c->ndata;
}
double retain_chart_width(const retain_chart *c)
{
    return c->width;
}
double retain_chart_height(const retain_chart *c)
{
    return c->height;
}

static bool defined(const series *s, size_t i)
{
    return i < s->nv && s->def[i];
}

/* ---- palette ---- */

int32_t retain_palette(size_t i)
{
    /* Okabe & Ito (2008), yellow late: it reads poorly as text on white */
    static const int32_t okabe_ito[] = {0x0072B2, 0xE69F00, 0x009E73, 0xD55E00,
                                        0xCC79A7, 0x56B4E9, 0xF0E442, 0x000000};
    return okabe_ito[i % (sizeof okabe_ito / sizeof okabe_ito[0])];
}

int32_t retain_sequential(double t)
{
    /* viridis at nine stops, interpolated */
    static const int32_t stops[] = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C,
                                    0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725};
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    double f = t * 8;
    int i = (int)f;
    if (i >= 8)
        return stops[8];
    f -= i;
    int32_t out = 0;
    for (int sh = 16; sh >= 0; sh -= 8) {
        double a = (stops[i] >> sh) & 0xFF, b = (stops[i + 1] >> sh) & 0xFF;
        out |= (int32_t)lround(a + (b - a) * f) << sh;
    }
    return out;
}

static bool dark(int32_t rgb)
{
    double r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    return 0.299 * r + 0.587 * g + 0.114 * b < 140;
}

/* ---- ticks and labels ---- */

size_t retain_ticks(double lo, double hi, size_t max_ticks, double *first, double *step,
                    int *decimals)
{
    if (!isfinite(lo) || !isfinite(hi) || lo > hi)
        return 0;
    if (max_ticks < 3)
        max_ticks = 3; /* a range across 0 needs three */
    if (hi - lo <= 1e-12 * fmax(1, fabs(lo))) {
        double d = lo == 0 ? 1 : fabs(lo) * 0.1;
        lo -= lo == 0 ? 0 : d;
        hi += d;
    }
    double raw = (hi - lo) / (double)(max_ticks - 1);
    double mag = pow(10, floor(log10(raw)));
    static const double mult[] = {1, 2, 5};
    for (int decade = 0; decade < 4; decade++, mag *= 10) {
        for (size_t m = 0; m < 3; m++) {
            double s = mult[m] * mag;
            double f = floor(lo / s + 1e-9) * s, l = ceil(hi / s - 1e-9) * s;
            size_t n = (size_t)llround((l - f) / s) + 1;
            if (n <= max_ticks || decade == 3) {
                *first = f == 0 ? 0 : f; /* no -0 */
                *step = s;
                int d = (int)-floor(log10(s) + 1e-9);
                *decimals = d > 0 ? d : 0;
                return n;
            }
        }
    }
    return 0;
}

double retain_text_width(const char *text, double size, bool bold)
{
    double em = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char ch = *p;
        if ((ch & 0xC0) == 0x80)
            continue; /* a continuation byte: counted with its lead */
        if (ch >= '0' && ch <= '9')
            em += 0.636;
        else if (ch >= 'A' && ch <= 'Z')
            em += ch == 'I' ? 0.3 : ch == 'M' || ch == 'W' ? 0.86 : 0.7;
        else if (ch == ' ' || ch == '.' || ch == ',' || ch == ':' || ch == ';' || ch == '\'')
            em += 0.318;
        else if (ch == 'i' || ch == 'l' || ch == 'j')
            em += 0.278;
        else if (ch == 'm' || ch == 'w')
            em += 0.9;
        else if (ch == '%')
            em += 0.95;
        else if (ch == 0xE2 && p[1] == 0x80 && p[2] == 0xAF)
            em += 0.2; /* narrow no-break space */
        else
            em += 0.6;
    }
    return em * size * (bold ? 1.1 : 1.0);
}

size_t retain_labels_thin(const double *x, const double *w, size_t n, double gap)
{
    for (size_t k = 1; k < n; k++) {
        bool ok = true;
        for (size_t i = 0; i + k < n && ok; i += k)
            ok = x[i + k] - x[i] >= (w[i] + w[i + k]) / 2 + gap;
        if (ok)
            return k;
    }
    return n ? n : 1;
}

static const double *sort_key;
static int by_key(const void *a, const void *b)
{
    double x = sort_key[*(const size_t *)a], y = sort_key[*(const size_t *)b];
    if (x != y)
        return x < y ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void retain_labels_spread(double *y, size_t n, double h, double lo, double hi)
{
    if (n == 0)
        return;
    size_t small[64], *ord = n <= 64 ? small : malloc(n * sizeof *ord);
    if (!ord)
        return;
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    sort_key = y;
    qsort(ord, n, sizeof *ord, by_key);
    bool room = (double)(n - 1) * h <= hi - lo;
    if (room && y[ord[0]] < lo)
        y[ord[0]] = lo;
    for (size_t j = 1; j < n; j++) /* push down what overlaps the one above */
        if (y[ord[j]] < y[ord[j - 1]] + h)
            y[ord[j]] = y[ord[j - 1]] + h;
    if (room && y[ord[n - 1]] > hi) { /* then up from the bottom */
        y[ord[n - 1]] = hi;
        for (size_t j = n - 1; j-- > 0;)
            if (y[ord[j]] > y[ord[j + 1]] - h)
                y[ord[j]] = y[ord[j + 1]] - h;
    }
    if (ord != small)
        free(ord);
}

/* ---- marks ---- */

static void clear_marks(retain_chart *c)
{
    for (size_t i = 0; i < c->nmarks; i++) {
        free((void *)c->marks[i].text);
        free((void *)c->marks[i].pts);
    }
    c->nmarks = c->ndata = 0;
    c->failed = false;
}

static retain_mark *add(retain_chart *c, retain_mark_kind kind)
{
    if (c->failed)
        return NULL;
    if (!rt_grow((void **)&c->marks, &c->capmarks, c->nmarks + 1, sizeof *c->marks)) {
        c->failed = true;
        return NULL;
    }
    retain_mark *m = &c->marks[c->nmarks++];
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->fill = m->stroke = RETAIN_NO_COLOUR;
    m->opacity = 1;
    return m;
}

static void rect(retain_chart *c, double x, double y, double w, double h, int32_t fill,
                 const char *series_name)
{
    retain_mark *m = add(c, RETAIN_MARK_RECT);
    if (!m)
        return;
    m->x = x, m->y = y, m->w = w, m->h = h;
    m->fill = fill;
    if (series_name) {
        m->data = true;
        m->series_name = series_name;
        c->ndata++;
    }
}

static void line(retain_chart *c, double x0, double y0, double x1, double y1, int32_t colour,
                 double width)
{
    retain_mark *m = add(c, RETAIN_MARK_LINE);
    if (!m)
        return;
    m->x = x0, m->y = y0, m->w = x1 - x0, m->h = y1 - y0;
    m->stroke = colour;
    m->stroke_width = width;
}

static retain_mark *text(retain_chart *c, double x, double y, const char *s, double size,
                         int anchor, bool bold, int32_t colour)
{
    retain_mark *m = add(c, RETAIN_MARK_TEXT);
    if (!m)
        return NULL;
    m->x = x, m->y = y;
    m->size = size;
    m->anchor = anchor;
    m->bold = bold;
    m->fill = colour;
    if (!(m->text = rt_strdup(s)))
        c->failed = true;
    return m;
}

/* A PATH or AREA mark that takes pts (malloc'd, npts pairs). */
static retain_mark *poly(retain_chart *c, retain_mark_kind kind, double *pts, size_t npts)
{
    retain_mark *m = add(c, kind);
    if (!m) {
        free(pts);
        return NULL;
    }
    m->pts = pts;
    m->npts = npts;
    return m;
}

/* ---- layout ---- */

typedef struct {
    double left, top, right, bottom; /* the plot area */
    double lo, hi;                   /* y range */
    double x_lo, x_hi;               /* STEPS x range */
} frame;

static double ypos(const frame *f, double v)
{
    return f->bottom - (v - f->lo) / (f->hi - f->lo) * (f->bottom - f->top);
}

static double xpos(const frame *f, double v)
{
    return f->left + (v - f->x_lo) / (f->x_hi - f->x_lo) * (f->right - f->left);
}

/* A number for a tick or a value label, in the chart's language. */
static void number(const retain_chart *c, double v, int decimals, const char *unit, char *out)
{
    char plain[RETAIN_NUMBER_BUFSIZE];
    retain_format_real(v, decimals, plain);
    size_t n = retain_lang_number(c->lang, plain, out);
    if (unit && *unit && n + 8 < RETAIN_LANG_BUFSIZE) {
        if (c->lang == RETAIN_LANG_FR && strcmp(unit, "%") == 0)
            strcpy(out + n, "\xE2\x80\xAF%"); /* 40 % */
        else
            strcat(out, unit);
    }
}

static void data_range(const retain_chart *c, double *lo, double *hi, bool *any)
{
    *lo = INFINITY, *hi = -INFINITY, *any = false;
    for (size_t k = 0; k < c->ncat; k++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < c->nser; s++) {
            if (!defined(&c->ser[s], k))
                continue;
            double v = c->ser[s].v[k];
            *any = true;
            if (c->kind == RETAIN_CHART_BARS) {
                if (v > 0)
                    pos += v;
                else
                    neg += v;
                *lo = fmin(*lo, neg), *hi = fmax(*hi, pos);
            } else {
                *lo = fmin(*lo, v), *hi = fmax(*hi, v);
            }
        }
    }
    for (size_t s = 0; s < c->nser; s++)
        for (size_t i = 0; i < c->ser[s].np; i++) {
            *any = true;
            *lo = fmin(*lo, fmin(c->ser[s].py[i], c->ser[s].plo[i]));
            *hi = fmax(*hi, fmax(c->ser[s].py[i], c->ser[s].phi[i]));
        }
    if (!*any)
        *lo = 0, *hi = 1;
    if (c->kind == RETAIN_CHART_BARS || c->kind == RETAIN_CHART_GROUPED)
        *lo = fmin(*lo, 0), *hi = fmax(*hi, 0);
    if (c->has_include)
        *lo = fmin(*lo, c->include), *hi = fmax(*hi, c->include);
}

/* The legend of swatches at the top, wrapping; returns its height. */
static double legend(retain_chart *c, double x0, double y0, double width, bool draw)
{
    double x = x0, y = y0, row = LABEL_SIZE + 5;
    for (size_t s = 0; s < c->nser; s++) {
        double w = 12 + retain_text_width(c->ser[s].name, LABEL_SIZE, false) + 12;
        if (x > x0 && x + w > x0 + width)
            x = x0, y += row;
        if (draw) {
            rect(c, x, y + 1, 8, 8, c->ser[s].colour, NULL);
            text(c, x + 12, y + 8.5, c->ser[s].name, LABEL_SIZE, -1, false, 0x333333);
        }
        x += w;
    }
    return y - y0 + row;
}

static void y_axis(retain_chart *c, const frame *f, double first, double step, size_t n, int dec)
{
    int shown = dec;
    double scale = c->y_scale;
    for (double s = scale; s >= 10 && shown > 0; s /= 10)
        shown--;
    for (size_t i = 0; i < n; i++) {
        double v = first + step * (double)i;
        double y = ypos(f, v);
        line(c, f->left, y, f->right, y, fabs(v) < step * 1e-6 ? 0x888888 : 0xE3E3E3,
             fabs(v) < step * 1e-6 ? 0.8 : 0.5);
        char label[RETAIN_LANG_BUFSIZE];
        number(c, v * scale, shown, c->y_unit, label);
        text(c, f->left - 4, y + LABEL_SIZE * 0.35, label, LABEL_SIZE, 1, false, 0x444444);
    }
    if (c->y_title) {
        retain_mark *m =
            text(c, 9, (f->top + f->bottom) / 2, c->y_title, LABEL_SIZE, 0, false, 0x444444);
        if (m)
            m->vertical = true;
    }
}

/* Category labels under the plot, every k-th so that none overlaps. */
static void x_categories(retain_chart *c, const frame *f)
{
    if (!c->ncat)
        return;
    double *x = malloc(c->ncat * sizeof *x), *w = malloc(c->ncat * sizeof *w);
    if (!x || !w) {
        free(x);
        free(w);
        c->failed = true;
        return;
    }
    double band = (f->right - f->left) / (double)c->ncat;
    for (size_t i = 0; i < c->ncat; i++) {
        x[i] = f->left + band * ((double)i + 0.5);
        w[i] = retain_text_width(c->cats[i], LABEL_SIZE, false);
    }
    size_t k = retain_labels_thin(x, w, c->ncat, 4);
    for (size_t i = 0; i < c->ncat; i += k)
        text(c, x[i], f->bottom + LABEL_SIZE + 4, c->cats[i], LABEL_SIZE, 0, false, 0x444444);
    free(x);
    free(w);
}

/* Series names at the right end of their lines, spread apart. */
static void end_labels(retain_chart *c, const frame *f, const double *last_y)
{
    if (c->nser < 2)
        return;
    double *y = malloc(c->nser * sizeof *y);
    if (!y) {
        c->failed = true;
        return;
    }
    for (size_t s = 0; s < c->nser; s++)
        y[s] = (isfinite(last_y[s]) ? last_y[s] : f->bottom) + LABEL_SIZE * 0.35;
    retain_labels_spread(y, c->nser, LABEL_SIZE + 2, f->top + LABEL_SIZE, f->bottom);
    for (size_t s = 0; s < c->nser; s++)
        text(c, f->right + 5, y[s], c->ser[s].name, LABEL_SIZE, -1, true, c->ser[s].colour);
    free(y);
}

static double end_label_room(const retain_chart *c, double width)
{
    if (c->nser < 2 || c->kind == RETAIN_CHART_BARS || c->kind == RETAIN_CHART_GROUPED)
        return 8;
    double w = 0;
    for (size_t s = 0; s < c->nser; s++)
        w = fmax(w, retain_text_width(c->ser[s].name, LABEL_SIZE, true));
    return fmin(w + 10, width * 0.3);
}

static void lay_lines(retain_chart *c, const frame *f, double *last_y)
{
    double band = (f->right - f->left) / (double)(c->ncat ? c->ncat : 1);
    for (size_t s = 0; s < c->nser; s++) {
        series *se = &c->ser[s];
        size_t run = 0;
        double *pts = NULL;
        for (size_t k = 0; k <= c->ncat; k++) {
            if (k < c->ncat && defined(se, k)) {
                if (!pts && !(pts = malloc(2 * (c->ncat - k) * sizeof *pts))) {
                    c->failed = true;
                    return;
                }
                pts[2 * run] = f->left + band * ((double)k + 0.5);
                pts[2 * run + 1] = ypos(f, se->v[k]);
                last_y[s] = pts[2 * run + 1];
                run++;
                continue;
            }
            if (pts) {
                retain_mark *m = poly(c, RETAIN_MARK_PATH, pts, run);
                if (m)
                    m->stroke = se->colour, m->stroke_width = 1.6;
                pts = NULL;
                run = 0;
            }
        }
        for (size_t k = 0; k < c->ncat; k++) {
            if (!defined(se, k))
                continue;
            retain_mark *m = add(c, RETAIN_MARK_DOT);
            if (!m)
                return;
            m->x = f->left + band * ((double)k + 0.5);
            m->y = ypos(f, se->v[k]);
            m->w = c->ncat > 40 ? 1.4 : 2.4;
            m->fill = se->colour;
            m->data = true;
            m->series_name = se->name;
            c->ndata++;
        }
    }
}

static void lay_bars(retain_chart *c, const frame *f)
{
    double band = (f->right - f->left) / (double)(c->ncat ? c->ncat : 1);
    bool grouped = c->kind == RETAIN_CHART_GROUPED;
    double bw = band * (grouped ? 0.8 : 0.7);
    double sub = grouped && c->nser ? bw / (double)c->nser : bw;
    for (size_t k = 0; k < c->ncat; k++) {
        double x0 = f->left + band * (double)k + (band - bw) / 2;
        double pos = 0, neg = 0;
        for (size_t s = 0; s < c->nser; s++) {
            series *se = &c->ser[s];
            if (!defined(se, k) || se->v[k] == 0)
                continue;
            double v = se->v[k], a, b;
            if (grouped)
                a = fmax(v, 0), b = fmin(v, 0);
            else if (v > 0)
                a = pos + v, b = pos, pos += v;
            else
                a = neg, b = neg + v, neg += v;
            double x = grouped ? x0 + sub * (double)s : x0;
            double ya = ypos(f, a), yb = ypos(f, b);
            rect(c, x + (grouped ? 0.5 : 0), ya, sub - (grouped ? 1 : 0), yb - ya, se->colour,
                 se->name);
            if (grouped) { /* the value over its bar, when it fits */
                char label[RETAIN_LANG_BUFSIZE];
                number(c, v, fabs(v) >= 100 || v == floor(v) ? 0 : 1, NULL, label);
                if (retain_text_width(label, SMALL_SIZE, false) <= sub + 6)
                    text(c, x + sub / 2, v >= 0 ? ya - 2 : yb + SMALL_SIZE, label, SMALL_SIZE, 0,
                         false, 0x333333);
            }
        }
    }
}

static void lay_heatmap(retain_chart *c, const frame *f)
{
    double cw = (f->right - f->left) / (double)(c->ncat ? c->ncat : 1);
    double ch = (f->bottom - f->top) / (double)(c->nser ? c->nser : 1);
    size_t every = 1;
    while (ch * (double)every < LABEL_SIZE + 1)
        every++;
    for (size_t s = 0; s < c->nser; s++) {
        series *se = &c->ser[s];
        double y = f->top + ch * (double)s;
        if (s % every == 0)
            text(c, f->left - 4, y + ch / 2 + LABEL_SIZE * 0.35, se->name, LABEL_SIZE, 1, false,
                 0x444444);
        for (size_t k = 0; k < c->ncat; k++) {
            if (!defined(se, k))
                continue;
            int32_t fill = retain_sequential(se->v[k] / 100);
            rect(c, f->left + cw * (double)k, y, cw, ch, fill, se->name);
            char label[RETAIN_LANG_BUFSIZE];
            number(c, se->v[k], 0, NULL, label);
            if (ch >= SMALL_SIZE + 1 && retain_text_width(label, SMALL_SIZE, false) + 2 <= cw)
                text(c, f->left + cw * ((double)k + 0.5), y + ch / 2 + SMALL_SIZE * 0.35, label,
                     SMALL_SIZE, 0, false, dark(fill) ? 0xFFFFFF : 0x000000);
        }
    }
    /* the scale: five swatches 0..100 */
    double lx = f->right + 10, sw = 10;
    for (int i = 0; i <= 4; i++) {
        double y = f->top + (double)i * (sw + 4);
        rect(c, lx, y, sw, sw, retain_sequential(1 - i / 4.0), NULL);
        char label[RETAIN_LANG_BUFSIZE];
        number(c, 100 - 25 * i, 0, "%", label);
        text(c, lx + sw + 3, y + sw - 1.5, label, SMALL_SIZE, -1, false, 0x444444);
    }
}

static void lay_steps(retain_chart *c, const frame *f, double *last_y)
{
    for (size_t s = 0; s < c->nser; s++) {
        series *se = &c->ser[s];
        if (!se->np)
            continue;
        size_t n = 2 * se->np; /* a horizontal and a vertical segment per step */
        bool band = false;
        for (size_t i = 0; i < se->np; i++)
            band = band || se->plo[i] != se->py[i] || se->phi[i] != se->py[i];
        if (band) {
            double *pts = malloc(2 * 2 * n * sizeof *pts);
            if (!pts) {
                c->failed = true;
                return;
            }
            size_t j = 0;
            for (size_t i = 0; i < se->np; i++) { /* the upper edge, left to right */
                double x1 = i + 1 < se->np ? se->px[i + 1] : se->px[i];
                pts[j++] = xpos(f, se->px[i]), pts[j++] = ypos(f, se->phi[i]);
                pts[j++] = xpos(f, x1), pts[j++] = ypos(f, se->phi[i]);
            }
            for (size_t i = se->np; i-- > 0;) { /* the lower one back */
                double x1 = i + 1 < se->np ? se->px[i + 1] : se->px[i];
                pts[j++] = xpos(f, x1), pts[j++] = ypos(f, se->plo[i]);
                pts[j++] = xpos(f, se->px[i]), pts[j++] = ypos(f, se->plo[i]);
            }
            retain_mark *m = poly(c, RETAIN_MARK_AREA, pts, j / 2);
            if (m) {
                m->fill = se->colour, m->opacity = c->nser > 2 ? 0.1 : 0.18;
                m->data = true, m->series_name = se->name;
                c->ndata++;
            }
        }
        double *pts = malloc(2 * n * sizeof *pts);
        if (!pts) {
            c->failed = true;
            return;
        }
        size_t j = 0;
        for (size_t i = 0; i < se->np; i++) {
            double x1 = i + 1 < se->np ? se->px[i + 1] : se->px[i];
            pts[j++] = xpos(f, se->px[i]), pts[j++] = ypos(f, se->py[i]);
            pts[j++] = xpos(f, x1), pts[j++] = ypos(f, se->py[i]);
        }
        last_y[s] = ypos(f, se->py[se->np - 1]);
        retain_mark *m = poly(c, RETAIN_MARK_PATH, pts, j / 2);
        if (m) {
            m->stroke = se->colour, m->stroke_width = 1.6;
            m->data = true, m->series_name = se->name;
            c->ndata++;
        }
    }
}

static void x_numeric(retain_chart *c, const frame *f)
{
    double first, step;
    int dec;
    size_t max = (size_t)((f->right - f->left) / 50);
    size_t n = retain_ticks(f->x_lo, f->x_hi, max < 3 ? 3 : max, &first, &step, &dec);
    for (size_t i = 0; i < n; i++) {
        double v = first + step * (double)i;
        if (v < f->x_lo - 1e-9 || v > f->x_hi + 1e-9)
            continue;
        double x = xpos(f, v);
        line(c, x, f->bottom, x, f->bottom + 3, 0x888888, 0.5);
        char label[RETAIN_LANG_BUFSIZE];
        number(c, v, dec, NULL, label);
        text(c, x, f->bottom + LABEL_SIZE + 4, label, LABEL_SIZE, 0, false, 0x444444);
    }
}

retain_status retain_chart_layout(retain_chart *c, double width, double height)
{
    if (!(width >= 120) || !(height >= 80))
        return RETAIN_ERR_USAGE;
    if (c->lost)
        return RETAIN_ERR_NOMEM; /* a value its caller could not add */
    clear_marks(c);
    c->width = width, c->height = height;
    frame f;
    f.top = 6 + TITLE_SIZE + 6;
    text(c, 0, 6 + TITLE_SIZE * 0.8, c->title, TITLE_SIZE, -1, true, 0x222222);
    bool bars = c->kind == RETAIN_CHART_BARS || c->kind == RETAIN_CHART_GROUPED;
    if (bars && c->nser > 1)
        f.top += legend(c, 0, f.top, width, true) + 2;
    double lo, hi, first = 0, step = 1;
    bool any;
    data_range(c, &lo, &hi, &any);
    if (c->fixed_y)
        lo = c->y_lo, hi = c->y_hi;
    f.bottom = height - (LABEL_SIZE + 8) - (c->x_title ? LABEL_SIZE + 4 : 0);
    size_t nt = 0;
    int dec = 0;
    double left = c->y_title ? 16 : 4;
    if (c->kind == RETAIN_CHART_HEATMAP) {
        f.lo = 0, f.hi = 1;
        for (size_t s = 0; s < c->nser; s++)
            left = fmax(left, retain_text_width(c->ser[s].name, LABEL_SIZE, false) + 8);
        f.left = left;
        f.right = width - 44;
    } else {
        size_t max = (size_t)((f.bottom - f.top) / 26);
        nt = retain_ticks(lo, hi, max < 3 ? 3 : max, &first, &step, &dec);
        f.lo = first, f.hi = first + step * (double)(nt - 1);
        if (c->fixed_y)
            f.lo = lo, f.hi = hi;
        double wmax = 0;
        for (size_t i = 0; i < nt; i++) {
            char label[RETAIN_LANG_BUFSIZE];
            int shown = dec;
            for (double s = c->y_scale; s >= 10 && shown > 0; s /= 10)
                shown--;
            number(c, (first + step * (double)i) * c->y_scale, shown, c->y_unit, label);
            wmax = fmax(wmax, retain_text_width(label, LABEL_SIZE, false));
        }
        f.left = left + wmax + 6;
        f.right = width - end_label_room(c, width);
    }
    f.x_lo = 0, f.x_hi = 1;
    if (c->kind == RETAIN_CHART_STEPS) {
        for (size_t s = 0; s < c->nser; s++)
            if (c->ser[s].np)
                f.x_hi = fmax(f.x_hi, c->ser[s].px[c->ser[s].np - 1]);
        double xf, xs;
        int xd;
        size_t xn = retain_ticks(0, f.x_hi, 8, &xf, &xs, &xd);
        if (xn)
            f.x_hi = xf + xs * (double)(xn - 1);
    }
    if (f.right - f.left < 40 || f.bottom - f.top < 30)
        return RETAIN_ERR_USAGE;
    if (c->kind != RETAIN_CHART_HEATMAP)
        y_axis(c, &f, first, step, nt, dec);
    double *last_y = malloc((c->nser ? c->nser : 1) * sizeof *last_y);
    if (!last_y)
        return RETAIN_ERR_NOMEM;
    for (size_t s = 0; s < c->nser; s++)
        last_y[s] = NAN;
    switch (c->kind) {
    case RETAIN_CHART_LINES:
        lay_lines(c, &f, last_y);
        end_labels(c, &f, last_y);
        x_categories(c, &f);
        break;
    case RETAIN_CHART_BARS:
    case RETAIN_CHART_GROUPED:
        lay_bars(c, &f);
        x_categories(c, &f);
        break;
    case RETAIN_CHART_HEATMAP:
        lay_heatmap(c, &f);
        x_categories(c, &f);
        break;
    case RETAIN_CHART_STEPS:
        lay_steps(c, &f, last_y);
        end_labels(c, &f, last_y);
        x_numeric(c, &f);
        break;
    }
    free(last_y);
    if (c->x_title)
        text(c, (f.left + f.right) / 2, height - 3, c->x_title, LABEL_SIZE, 0, false, 0x444444);
    return c->failed ? RETAIN_ERR_NOMEM : RETAIN_OK;
}

void retain_chart_free(retain_chart *c)
{
    if (!c)
        return;
    clear_marks(c);
    free(c->marks);
    for (size_t i = 0; i < c->ncat; i++)
        free(c->cats[i]);
    free(c->cats);
    for (size_t s = 0; s < c->nser; s++) {
        series *se = &c->ser[s];
        free(se->name);
        free(se->v);
        free(se->def);
        free(se->px);
        free(se->py);
        free(se->plo);
        free(se->phi);
    }
    free(c->ser);
    free(c->id);
    free(c->title);
    free(c->x_title);
    free(c->y_title);
    free(c->y_unit);
    free(c);
}
