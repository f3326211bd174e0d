/* Unit tests for retain/chart.h: ticks at round numbers, label thinning and
 * spreading, one data mark per defined value, SVG that keeps text as text,
 * and numbers in the report's language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <retain/chart.h>
#include <retain/lang.h>

static void ticks(double lo, double hi, size_t max, double first, double step, size_t n, int dec)
{
    double f, s;
    int d;
    size_t got = retain_ticks(lo, hi, max, &f, &s, &d);
    if (got != n || fabs(f - first) > 1e-9 || fabs(s - step) > 1e-12 || d != dec)
        fail_msg("ticks(%g, %g, %zu) = %zu from %g step %g (%d decimals); expected %zu from %g "
                 "step %g (%d)",
                 lo, hi, max, got, f, s, d, n, first, step, dec);
}

static void test_ticks_round(void **state)
{
    (void)state;
    ticks(0, 100, 6, 0, 20, 6, 0);
    ticks(0, 100, 11, 0, 10, 11, 0);
    ticks(62.5, 93.1, 5, 60, 10, 5, 0);
    ticks(0, 1, 6, 0, 0.2, 6, 1);
    ticks(0, 0.037, 5, 0, 0.01, 5, 2);
    ticks(-31577.91, 45986.41, 6, -40000, 20000, 6, 0);
    ticks(3, 3, 5, 2.6, 0.2, 5, 1);  /* one value: widened around it */
    ticks(0, 0, 5, 0, 0.5, 3, 1);    /* zero: 0..1 */
    ticks(0, 1000, 2, 0, 500, 3, 0); /* at least three */
    ticks(0, 730, 8, 0, 200, 5, 0);  /* days */
    ticks(17, 1234, 6, 0, 500, 4, 0);
}

static void test_ticks_cover(void **state)
{
    (void)state;
    /* for many ranges: round steps, covering, within the tick budget */
    for (int i = 1; i < 2000; i++) {
        double lo = -(double)(i % 37) * 13.7, hi = lo + (double)i * 0.731;
        for (size_t max = 3; max < 12; max++) {
            double f, s;
            int d;
            size_t n = retain_ticks(lo, hi, max, &f, &s, &d);
            assert_true(n >= 2 && n <= max);
            assert_true(f <= lo + 1e-9 && f + s * (double)(n - 1) >= hi - 1e-9);
            double mant = s / pow(10, floor(log10(s) + 1e-9));
            assert_true(fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9 || fabs(mant - 5) < 1e-9);
        }
    }
    double f, s;
    int d;
    assert_int_equal(retain_ticks(NAN, 1, 5, &f, &s, &d), 0);
    assert_int_equal(retain_ticks(2, 1, 5, &f, &s, &d), 0);
}

static void test_labels_thin(void **state)
{
    (void)state;
    double x[12], w[12];
    for (int i = 0; i < 12; i++)
        x[i] = 20.0 * i, w[i] = 30;
    /* 30-wide labels 20 apart: every second one leaves 10 >= 4 */
    assert_int_equal(retain_labels_thin(x, w, 12, 4), 2);
    for (int i = 0; i < 12; i++)
        w[i] = 10;
    assert_int_equal(retain_labels_thin(x, w, 12, 4), 1);
    for (int i = 0; i < 12; i++)
        w[i] = 75;
    assert_int_equal(retain_labels_thin(x, w, 12, 4), 4);
    assert_int_equal(retain_labels_thin(x, w, 1, 4), 1);
}

static void test_labels_spread(void **state)
{
    (void)state;
    double y[5] = {50, 51, 49, 200, 52};
    retain_labels_spread(y, 5, 10, 0, 300);
    /* order kept (ties by index), no two closer than 10 */
    double sorted[5] = {y[2], y[0], y[1], y[4], y[3]};
    for (int i = 1; i < 5; i++)
        assert_true(sorted[i] - sorted[i - 1] >= 10 - 1e-9);
    assert_true(y[2] == 49 && y[3] == 200);
    /* against the bottom: pushed back up inside */
    double z[3] = {95, 96, 97};
    retain_labels_spread(z, 3, 10, 0, 100);
    assert_true(z[2] <= 100 && z[1] <= z[2] - 10 && z[0] <= z[1] - 10);
    assert_true(fabs(z[2] - 100) < 1e-9);
}

static void test_text_width(void **state)
{
    (void)state;
    assert_true(retain_text_width("", 8, false) == 0);
    assert_true(retain_text_width("2024-03", 8, false) > retain_text_width("2024", 8, false));
    assert_true(retain_text_width("MRR", 8, true) > retain_text_width("MRR", 8, false));
    /* a multi-byte letter counts once */
    assert_true(fabs(retain_text_width("é", 10, false) - retain_text_width("e", 10, false)) < 1e-9);
}

static size_t count_marks(const retain_chart *c, bool data)
{
    size_t n = 0;
    for (size_t i = 0; i < retain_chart_marks(c); i++)
        n += retain_chart_mark(c, i)->data == data;
    return n;
}

static void test_bars_marks(void **state)
{
    (void)state;
    retain_chart *c = retain_chart_new(RETAIN_CHART_BARS, "mrr", "MRR movements");
    assert_non_null(c);
    size_t gain, loss;
    assert_int_equal(retain_chart_category(c, "2025-01"), RETAIN_OK);
    assert_int_equal(retain_chart_category(c, "2025-02"), RETAIN_OK);
    assert_int_equal(retain_chart_category(c, "2025-03"), RETAIN_OK);
    assert_int_equal(retain_chart_series(c, "new", -1, &gain), RETAIN_OK);
    assert_int_equal(retain_chart_series(c, "churned", -1, &loss), RETAIN_OK);
    assert_int_equal(retain_chart_value(c, gain, 0, 1200), RETAIN_OK);
    assert_int_equal(retain_chart_value(c, loss, 0, -300), RETAIN_OK);
    assert_int_equal(retain_chart_value(c, gain, 1, 800), RETAIN_OK);
    assert_int_equal(retain_chart_value(c, loss, 2, 0), RETAIN_OK); /* zero: no bar */
    assert_int_equal(retain_chart_value(c, loss, 3, 1), RETAIN_ERR_USAGE);
    assert_int_equal(retain_chart_value(c, loss, 1, NAN), RETAIN_ERR_USAGE);
    assert_int_equal(retain_chart_layout(c, 600, 260), RETAIN_OK);
    assert_int_equal(retain_chart_data_marks(c), 3);
    assert_int_equal(count_marks(c, true), 3);
    /* gains above the zero line, losses below */
    double zero = -1;
    for (size_t i = 0; i < retain_chart_marks(c); i++) {
        const retain_mark *m = retain_chart_mark(c, i);
        if (m->kind == RETAIN_MARK_LINE && m->stroke == 0x888888)
            zero = m->y;
    }
    assert_true(zero > 0);
    for (size_t i = 0; i < retain_chart_marks(c); i++) {
        const retain_mark *m = retain_chart_mark(c, i);
        if (!m->data)
            continue;
        if (strcmp(m->series_name, "new") == 0)
            assert_true(fabs(m->y + m->h - zero) < 1e-6);
        else
            assert_true(fabs(m->y - zero) < 1e-6);
        assert_true(m->h > 0 && m->y >= 0 && m->y + m->h <= 260);
    }
    assert_int_equal(retain_chart_layout(c, 100, 50), RETAIN_ERR_USAGE);
    retain_chart_free(c);
}

static void test_lines_and_heatmap(void **state)
{
    (void)state;
    retain_chart *c = retain_chart_new(RETAIN_CHART_LINES, "trend", "Retention");
    size_t s;
    for (int i = 0; i < 30; i++) {
        char label[16];
        snprintf(label, sizeof label, "2024-%02d", i % 12 + 1);
        retain_chart_category(c, label);
    }
    retain_chart_series(c, "TRC", -1, &s);
    for (int i = 1; i < 30; i++) /* the first period is undefined */
        retain_chart_value(c, s, (size_t)i, 80 + i % 7);
    retain_chart_axes(c, NULL, NULL, "%", RETAIN_LANG_EN);
    assert_int_equal(retain_chart_layout(c, 500, 220), RETAIN_OK);
    assert_int_equal(retain_chart_data_marks(c), 29);
    /* 30 labels of 2024-01 do not fit 500 points: thinned, never overlapping */
    size_t labels = 0;
    double prev_right = -1e9;
    for (size_t i = 0; i < retain_chart_marks(c); i++) {
        const retain_mark *m = retain_chart_mark(c, i);
        if (m->kind != RETAIN_MARK_TEXT || strncmp(m->text, "2024-", 5) != 0)
            continue;
        double w = retain_text_width(m->text, m->size, m->bold);
        assert_true(m->x - w / 2 >= prev_right);
        prev_right = m->x + w / 2;
        labels++;
    }
    assert_true(labels > 3 && labels < 30);
    retain_chart_free(c);

    c = retain_chart_new(RETAIN_CHART_HEATMAP, "cohorts", "Cohorts");
    for (int k = 0; k < 4; k++)
        retain_chart_category(c, k == 0 ? "0" : k == 1 ? "1" : k == 2 ? "2" : "3");
    for (int r = 0; r < 4; r++) {
        char name[16];
        snprintf(name, sizeof name, "2024-Q%d", r + 1);
        retain_chart_series(c, name, -1, &s);
        for (int k = 0; k < 4 - r; k++) /* a triangle */
            retain_chart_value(c, s, (size_t)k, 100 - 10 * k);
    }
    assert_int_equal(retain_chart_layout(c, 400, 200), RETAIN_OK);
    assert_int_equal(retain_chart_data_marks(c), 10);
    retain_chart_free(c);
}

static void test_steps_svg(void **state)
{
    (void)state;
    retain_chart *c = retain_chart_new(RETAIN_CHART_STEPS, "km", "Survival & <bands>");
    size_t a, b;
    retain_chart_series(c, "Pro", -1, &a);
    retain_chart_series(c, "Starter", -1, &b);
    retain_chart_y_range(c, 0, 1);
    retain_chart_y_scale(c, 100);
    retain_chart_axes(c, "days", NULL, "%", RETAIN_LANG_FR);
    retain_chart_point(c, a, 0, 1, false, 0, 0);
    retain_chart_point(c, a, 30, 0.9, true, 0.8, 0.95);
    retain_chart_point(c, a, 400, 0.7, true, 0.6, 0.8);
    retain_chart_point(c, b, 0, 1, false, 0, 0);
    retain_chart_point(c, b, 100, 0.72, false, 0, 0);
    assert_int_equal(retain_chart_point(c, b, 50, 0.7, false, 0, 0), RETAIN_ERR_USAGE);
    assert_int_equal(retain_chart_layout(c, 500, 240), RETAIN_OK);
    /* two curves, one band (Starter has none) */
    assert_int_equal(retain_chart_data_marks(c), 3);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(retain_chart_svg(c, f, true), RETAIN_OK);
    fclose(f);
    assert_non_null(strstr(buf, "<title id=\"km-title\">Survival &amp; &lt;bands&gt;</title>"));
    assert_non_null(strstr(buf, "class=\"mark band\" data-series=\"Pro\""));
    assert_non_null(strstr(buf, ">Starter</text>"));
    assert_non_null(strstr(buf, ">100\xE2\x80\xAF%</text>")); /* French: 100 % */
    assert_null(strstr(buf, "nan"));
    free(buf);
    retain_chart_free(c);
}

static void lang(retain_lang l, const char *in, const char *expect)
{
    char buf[RETAIN_LANG_BUFSIZE];
    retain_lang_number(l, in, buf);
    if (strcmp(buf, expect) != 0)
        fail_msg("%s -> \"%s\", expected \"%s\"", in, buf, expect);
}

static void test_lang(void **state)
{
    (void)state;
    lang(RETAIN_LANG_EN, "1234.50", "1,234.50");
    lang(RETAIN_LANG_EN, "-1234567",
         "\xE2\x88\x92"
         "1,234,567");
    lang(RETAIN_LANG_EN, "999.99", "999.99");
    lang(RETAIN_LANG_EN, "", "");
    lang(RETAIN_LANG_EN, "n/a", "n/a");
    lang(RETAIN_LANG_FR, "1234.50", "1234,50"); /* four digits stay together */
    lang(RETAIN_LANG_FR, "12345.5",
         "12\xE2\x80\xAF"
         "345,5");
    lang(RETAIN_LANG_FR, "0.35", "0,35");
    char buf[RETAIN_LANG_BUFSIZE];
    retain_day d;
    retain_day_from_ymd(2025, 6, 30, &d);
    retain_lang_date(RETAIN_LANG_EN, d, buf);
    assert_string_equal(buf, "Jun 30, 2025");
    retain_lang_date(RETAIN_LANG_FR, d, buf);
    assert_string_equal(buf, "30 juin 2025");
    retain_day_from_ymd(2025, 8, 1, &d);
    retain_lang_date(RETAIN_LANG_FR, d, buf);
    assert_string_equal(buf, "1er août 2025");
    assert_string_equal(retain_lang_label(RETAIN_LANG_FR, "Goals"), "Objectifs");
    assert_string_equal(retain_lang_label(RETAIN_LANG_EN, "Goals"), "Goals");
    retain_lang l;
    assert_true(retain_lang_parse("fr", &l) && l == RETAIN_LANG_FR);
    assert_false(retain_lang_parse("de", &l));
}

static void test_palette(void **state)
{
    (void)state;
    assert_int_equal(retain_palette(0), 0x0072B2);
    assert_int_equal(retain_palette(8), retain_palette(0));
    assert_int_equal(retain_sequential(0), 0x440154);
    assert_int_equal(retain_sequential(1), 0xFDE725);
    assert_int_equal(retain_sequential(-3), 0x440154);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_round),
        cmocka_unit_test(test_ticks_cover),
        cmocka_unit_test(test_labels_thin),
        cmocka_unit_test(test_labels_spread),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_bars_marks),
        cmocka_unit_test(test_lines_and_heatmap),
        cmocka_unit_test(test_steps_svg),
        cmocka_unit_test(test_lang),
        cmocka_unit_test(test_palette),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
