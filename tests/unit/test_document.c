/* Unit tests for retain/document.h: the three writers say the same thing,
 * HTML refers to nothing outside itself, PDF bytes do not depend on the
 * clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <retain/document.h>

static retain_doc *sample(void)
{
    retain_doc *d = retain_doc_new(RETAIN_LANG_EN, "Monthly report", "June 2025 <&>");
    assert_non_null(d);
    assert_int_equal(retain_doc_heading(d, "Headline figures"), RETAIN_OK);
    const char *head[] = {"Metric", "2025-06", "vs previous period"};
    assert_int_equal(retain_doc_table(d, "headline", 3, head), RETAIN_OK);
    assert_int_equal(retain_doc_cell(d, "Customers", RETAIN_TONE_PLAIN), RETAIN_OK);
    assert_int_equal(retain_doc_cell(d, "155", RETAIN_TONE_PLAIN), RETAIN_OK);
    assert_int_equal(retain_doc_cell(d, "+5", RETAIN_TONE_GOOD), RETAIN_OK);
    retain_chart *c = retain_chart_new(RETAIN_CHART_GROUPED, "stages", "Churn by stage");
    size_t s;
    retain_chart_category(c, "onboarding");
    retain_chart_category(c, "renewal");
    retain_chart_series(c, "churn %", -1, &s);
    retain_chart_value(c, s, 0, 12.98);
    retain_chart_value(c, s, 1, 28.04);
    assert_int_equal(retain_doc_chart(d, c, 200), RETAIN_OK);
    assert_int_equal(retain_doc_item(d, "Call | Acme"), RETAIN_OK);
    assert_int_equal(retain_doc_item(d, "Call Beta"), RETAIN_OK);
    assert_int_equal(retain_doc_paragraph(d, "Not included: NPS (no survey table)."), RETAIN_OK);
    assert_int_equal(retain_doc_charts(d), 1);
    assert_int_equal(retain_chart_data_marks(retain_doc_chart_at(d, 0)), 2);
    return d;
}

static char *render(retain_doc *d, int kind, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    retain_status st;
    if (kind == 0)
        st = retain_doc_write_html(d, f, RETAIN_PAPER_ANY);
    else if (kind == 1)
        st = retain_doc_write_pdf(d, f, 20269, RETAIN_PAPER_ANY);
    else {
        char dir[] = "/tmp/retain-doc-XXXXXX";
        assert_non_null(mkdtemp(dir));
        st = retain_doc_write_markdown(d, f, dir, "assets", NULL);
        char path[64];
        snprintf(path, sizeof path, "%s/stages.svg", dir);
        assert_int_equal(access(path, R_OK), 0);
        unlink(path);
        rmdir(dir);
    }
    fclose(f);
    assert_int_equal(st, RETAIN_OK);
    return buf;
}

static void test_html(void **state)
{
    (void)state;
    retain_doc *d = sample();
    size_t len;
    char *html = render(d, 0, &len);
    assert_non_null(strstr(html, "<p class=\"sub\">June 2025 &lt;&amp;&gt;</p>"));
    assert_non_null(strstr(html, "<td class=\"n good\">+5</td>"));
    assert_non_null(strstr(html, "<svg class=\"chart\" id=\"stages\""));
    assert_non_null(strstr(html, "<ul>\n<li>Call | Acme</li>\n<li>Call Beta</li>\n</ul>"));
    /* nothing to fetch: no URL, no script */
    assert_null(strstr(html, "http"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "url("));
    free(html);
    retain_doc_free(d);
}

static void test_pdf_same_bytes(void **state)
{
    (void)state;
    retain_doc *d = sample();
    size_t a_len, b_len;
    char *a = render(d, 1, &a_len);
    sleep(1); /* a clock in the file would show now */
    char *b = render(d, 1, &b_len);
    assert_true(a_len > 1000 && memcmp(a, "%PDF-", 5) == 0);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    free(a);
    free(b);
    retain_doc_free(d);
}

static void test_markdown(void **state)
{
    (void)state;
    retain_doc *d = sample();
    size_t len;
    char *md = render(d, 2, &len);
    assert_non_null(strstr(md, "| Metric | 2025-06 | vs previous period |\n|---|---:|---:|\n"
                               "| Customers | 155 | +5 |\n"));
    assert_non_null(strstr(md, "![Churn by stage](assets/stages.svg)"));
    assert_non_null(strstr(md, "- Call | Acme\n- Call Beta\n\n"));
    free(md);
    retain_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_pdf_same_bytes),
        cmocka_unit_test(test_markdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
