#define _GNU_SOURCE /* memmem, open_memstream */
/* Unit tests for retain/report.h: a company of five customers whose June
 * figures are worked out by hand (kept differs from retention, MRR moves
 * four ways, one answer names no customer), read through the Markdown a
 * C program gets from the library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <retain/report.h>

static retain_day day(int y, int m, int d)
{
    retain_day out;
    assert_true(retain_day_from_ymd(y, m, d, &out));
    return out;
}

static void customer(retain_report *r, unsigned long line, const char *id, retain_day start,
                     retain_day end, bool has_end, int64_t mrr)
{
    retain_row row;
    memset(&row, 0, sizeof row);
    row.line = line;
    row.id = id;
    row.id_len = strlen(id);
    row.start = start;
    row.end = end;
    row.has_end = has_end;
    row.mrr = mrr * RETAIN_MONEY_SCALE;
    row.has_mrr = true;
    retain_diag diag;
    assert_int_equal(retain_report_row(&row, r, &diag), RETAIN_OK);
}

static void answer(retain_report *r, unsigned long line, const char *id, retain_day d, int score)
{
    retain_row row;
    memset(&row, 0, sizeof row);
    row.line = line;
    row.id = id;
    row.id_len = strlen(id);
    row.date = d;
    row.has_date = true;
    row.score = score;
    row.has_score = true;
    retain_diag diag;
    assert_int_equal(retain_report_answers(&row, r, &diag), RETAIN_OK);
}

/* May 31: A 100, B 50, D 200 (S = 3, MRR 350). June: B leaves on the
 * 15th, C joins on the 5th and leaves on the 20th, D goes from 200 to
 * 300 on the 10th, E joins on the 10th at 40. June 30: A, D, E (E = 3,
 * N = 2, MRR 440). Retention (3 - 2) / 3 = 33.33 %, kept 2 / 3 = 66.67 %;
 * new 40, expansion 100, churned 50: NRR 400 / 350 = 114.29 %, GRR 300 /
 * 350 = 85.71 %. June answers: A 10, D 9, E 3 and ZZ (no customer) 10:
 * NPS (2 - 1) / 3 = 33.33; E is the one to call. */
static retain_report *company(void)
{
    retain_report_options o = {.period = RETAIN_PERIOD_MONTH,
                               .has_as_of = true,
                               .as_of = day(2025, 6, 30),
                               .segment_extra = -1,
                               .reason_extra = -1,
                               .precision = 2,
                               .other_tables = true};
    retain_diag diag;
    retain_report *r = retain_report_new(&o, &diag);
    assert_non_null(r);
    customer(r, 2, "A", day(2025, 1, 1), 0, false, 100);
    customer(r, 3, "B", day(2025, 1, 1), day(2025, 6, 15), true, 50);
    customer(r, 4, "C", day(2025, 6, 5), day(2025, 6, 20), true, 30);
    customer(r, 5, "D", day(2025, 3, 1), day(2025, 6, 10), true, 200);
    customer(r, 6, "D", day(2025, 6, 10), 0, false, 300);
    customer(r, 7, "E", day(2025, 6, 10), 0, false, 40);
    answer(r, 2, "A", day(2025, 6, 2), 10);
    answer(r, 3, "D", day(2025, 6, 3), 9);
    answer(r, 4, "ZZ", day(2025, 6, 4), 10);
    answer(r, 5, "E", day(2025, 6, 25), 3);
    assert_int_equal(retain_report_finish(r, &diag), RETAIN_OK);
    return r;
}

static char *markdown(const retain_report *r)
{
    char dir[] = "/tmp/retain-report-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    retain_diag diag;
    assert_int_equal(retain_doc_write_markdown(retain_report_document(r), f, dir, "c", &diag),
                     RETAIN_OK);
    fclose(f);
    static const char *const charts[] = {"retention-trend", "mrr-movements", "cohorts", "survival",
                                         "churn-stages"};
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "%s/%s.svg", dir, charts[i]);
        assert_int_equal(unlink(path), 0);
    }
    assert_int_equal(rmdir(dir), 0);
    return buf;
}

static void has(const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("no %s in\n%s", want, text);
}

static void test_headline(void **state)
{
    (void)state;
    retain_report *r = company();
    char *md = markdown(r);
    has(md, "| Customers | 3 | 3 | 0 |");
    has(md, "| New customers | 2 |");
    has(md, "| Retention (TRC) | 33.33% |");
    has(md, "| Customers kept | 66.67% |");
    has(md, "| MRR | 440.00 | 350.00 | +90.00 |");
    has(md, "| NRR | 114.29% |");
    has(md, "| GRR | 85.71% |");
    has(md, "| NPS | 33.33 |");
    has(md, "![MRR movements](c/mrr-movements.svg)");
    has(md, "| E | 40.00 | 3 | Jun 25, 2025 | 20 |"); /* the one to call */
    free(md);
    unsigned long line;
    assert_int_equal(retain_report_unknown(r, RETAIN_TABLE_SURVEY, &line), 1);
    assert_int_equal(line, 4);
    retain_report_free(r);
}

/* The MRR movements chart: one bar per movement that is not 0 (June: new,
 * expansion, churned; no reactivation, no contraction; the earlier months
 * only their new customers). */
static void test_movements_marks(void **state)
{
    (void)state;
    retain_report *r = company();
    const retain_doc *d = retain_report_document(r);
    const retain_chart *moves = NULL;
    for (size_t i = 0; i < retain_doc_charts(d); i++)
        if (strcmp(retain_chart_id(retain_doc_chart_at(d, i)), "mrr-movements") == 0)
            moves = retain_doc_chart_at(d, i);
    assert_non_null(moves);
    assert_int_equal(retain_chart_categories(moves), 6); /* 2025-01 .. 2025-06 */
    /* January new A + B, March new D, June new, expansion, churned */
    assert_int_equal(retain_chart_data_marks(moves), 1 + 1 + 3);
    retain_report_free(r);
}

static void test_paper(void **state)
{
    (void)state;
    retain_report *r = company();
    const retain_paper papers[3] = {RETAIN_PAPER_ANY, RETAIN_PAPER_A4, RETAIN_PAPER_LETTER};
    char *pdf[3];
    size_t len[3];
    for (int k = 0; k < 3; k++) {
        FILE *f = open_memstream(&pdf[k], &len[k]);
        assert_int_equal(
            retain_doc_write_pdf(retain_report_document(r), f, day(2025, 6, 30), papers[k]),
            RETAIN_OK);
        fclose(f);
    }
    /* A4 unless Letter is asked for */
    assert_true(len[0] == len[1] && memcmp(pdf[0], pdf[1], len[0]) == 0);
    assert_non_null(memmem(pdf[2], len[2], "612 792", 7));
    assert_null(memmem(pdf[1], len[1], "612 792", 7));
    for (int k = 0; k < 3; k++)
        free(pdf[k]);
    retain_paper p;
    assert_true(retain_paper_parse("letter", &p) && p == RETAIN_PAPER_LETTER);
    assert_true(retain_paper_parse("a4", &p) && p == RETAIN_PAPER_A4);
    assert_false(retain_paper_parse("A4", &p));
    assert_false(retain_paper_parse("legal", &p));
    retain_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headline),
        cmocka_unit_test(test_movements_marks),
        cmocka_unit_test(test_paper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
