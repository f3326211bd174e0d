/* Unit tests for retain/reader.h on in-memory input: dialects, header
 * mapping, line numbers, conversions, errors and skip_bad. */
#define _GNU_SOURCE /* fmemopen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <retain/reader.h>

/* ---- collecting rows ---------------------------------------------------- */

#define MAX_ROWS 64
#define MAX_EXTRA 4

typedef struct {
    unsigned long line;
    char id[64];
    size_t id_len;
    retain_day start, end;
    bool has_end;
    retain_money mrr;
    bool has_mrr;
    char extra[MAX_EXTRA][64];
    size_t extra_len[MAX_EXTRA];
} got_row;

typedef struct {
    size_t n_extra;
    size_t n;
    got_row rows[MAX_ROWS];
    size_t calls;
    size_t stop_at; /* return stop_status on this call (1-based); 0 never */
    retain_status stop_status;
} collector;

static retain_status collect(const retain_row *row, void *user, retain_diag *diag)
{
    collector *c = user;
    c->calls++;
    if (c->stop_at && c->calls == c->stop_at) {
        diag->status = c->stop_status;
        snprintf(diag->message, sizeof diag->message, "stopped by the callback");
        return c->stop_status;
    }
    if (c->n == MAX_ROWS)
        return RETAIN_OK; /* only the first rows are kept */
    got_row *g = &c->rows[c->n++];
    memset(g, 0, sizeof *g);
    g->line = row->line;
    assert_true(row->id_len > 0 && row->id_len < sizeof g->id);
    memcpy(g->id, row->id, row->id_len);
    g->id_len = row->id_len;
    g->start = row->start;
    g->end = row->end;
    g->has_end = row->has_end;
    g->mrr = row->mrr;
    g->has_mrr = row->has_mrr;
    for (size_t k = 0; k < c->n_extra && k < MAX_EXTRA; k++) {
        assert_true(row->extra_len[k] < sizeof g->extra[k]);
        assert_int_equal(row->extra[k][row->extra_len[k]], '\0'); /* NUL-terminated */
        memcpy(g->extra[k], row->extra[k], row->extra_len[k]);
        g->extra_len[k] = row->extra_len[k];
    }
    return RETAIN_OK;
}

static retain_reader_options defaults(void)
{
    retain_reader_options o;
    memset(&o, 0, sizeof o);
    return o;
}

/* Reads len bytes of text; the reader is left in *out when out is not
 * NULL (the caller frees it), else freed. */
static retain_status read_bytes(const retain_reader_options *o, const char *text, size_t len,
                                collector *c, retain_diag *diag, retain_reader **out)
{
    memset(c->rows, 0, sizeof c->rows);
    c->n = 0;
    c->calls = 0;
    c->n_extra = o->n_extra;
    retain_diag_clear(diag);
    retain_reader *r = retain_reader_new(o, diag);
    if (!r)
        fail_msg("reader_new failed: %s", diag->message);
    FILE *f = len ? fmemopen((void *)text, len, "r") : fopen("/dev/null", "r");
    assert_non_null(f);
    retain_status st = retain_reader_read(r, f, collect, c, diag);
    fclose(f);
    if (out)
        *out = r;
    else
        retain_reader_free(r);
    return st;
}

static retain_status read_text(const retain_reader_options *o, const char *text, collector *c,
                               retain_diag *diag, retain_reader **out)
{
    return read_bytes(o, text, strlen(text), c, diag, out);
}

static retain_day ymd(int y, int m, int d)
{
    retain_day out = 0;
    assert_true(retain_day_from_ymd(y, m, d, &out));
    return out;
}

static void assert_ok(retain_status st, const retain_diag *diag)
{
    if (st != RETAIN_OK)
        fail_msg("read failed with %d at line %lu: %s", (int)st, diag->line, diag->message);
}

static void assert_row(const got_row *g, unsigned long line, const char *id)
{
    if (g->line != line || g->id_len != strlen(id) || memcmp(g->id, id, g->id_len) != 0)
        fail_msg("row \"%.*s\" at line %lu, expected \"%s\" at line %lu", (int)g->id_len, g->id,
                 g->line, id, line);
}

static collector C; /* large: static */

/* ---- dialects ----------------------------------------------------------- */

static void test_comma(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    retain_reader *r;
    retain_status st =
        read_text(&o, "id,start,end\na,2024-01-02,2024-02-03\nb,2024-01-05,\n", &C, &diag, &r);
    assert_ok(st, &diag);
    assert_int_equal(retain_reader_delimiter(r), ',');
    assert_int_equal(retain_reader_rows(r), 2);
    assert_int_equal(C.n, 2);
    assert_row(&C.rows[0], 2, "a");
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 2));
    assert_true(C.rows[0].has_end);
    assert_int_equal(C.rows[0].end, ymd(2024, 2, 3));
    assert_false(C.rows[0].has_mrr);
    assert_row(&C.rows[1], 3, "b");
    assert_false(C.rows[1].has_end); /* empty end = still active */
    assert_string_equal(retain_reader_column(r, RETAIN_COL_ID), "id");
    assert_string_equal(retain_reader_column(r, RETAIN_COL_START), "start");
    assert_string_equal(retain_reader_column(r, RETAIN_COL_END), "end");
    assert_null(retain_reader_column(r, RETAIN_COL_MRR));
    unsigned long lines[4];
    assert_int_equal(retain_reader_skipped(r, lines, 4), 0);
    assert_null(retain_reader_first_skip(r));
    retain_reader_free(r);
}

static void test_semicolon_and_tab(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    retain_reader *r;
    assert_ok(read_text(&o, "customer_id;signup_date;churn_date\na;2024-01-02;\n", &C, &diag, &r),
              &diag);
    assert_int_equal(retain_reader_delimiter(r), ';');
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "a");
    retain_reader_free(r);

    assert_ok(read_text(&o, "id\tstart\tend\na b\t2024-01-02\t2024-01-09\n", &C, &diag, &r), &diag);
    assert_int_equal(retain_reader_delimiter(r), '\t');
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "a b");
    assert_int_equal(C.rows[0].end, ymd(2024, 1, 9));
    retain_reader_free(r);
}

static void test_detection_ignores_quoted_delimiters(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    retain_reader *r;
    /* two commas inside quotes, two semicolons outside */
    assert_ok(read_text(&o, "\"Name, Last, First\";id;start\n\"Doe, J, X\";a;2024-01-02\n", &C,
                        &diag, &r),
              &diag);
    assert_int_equal(retain_reader_delimiter(r), ';');
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "a");
    retain_reader_free(r);
}

static void test_explicit_delimiter(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    o.delimiter = ';';
    retain_diag diag;
    retain_reader *r;
    /* more commas than semicolons, but the option decides */
    assert_ok(read_text(&o, "id;start;note\na,b,c;2024-01-02;x,y,z\n", &C, &diag, &r), &diag);
    assert_int_equal(retain_reader_delimiter(r), ';');
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "a,b,c");
    retain_reader_free(r);
}

static void test_bom_removed(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    retain_reader *r;
    assert_ok(read_text(&o, "\xEF\xBB\xBFid,start\na,2024-01-02\n", &C, &diag, &r), &diag);
    assert_string_equal(retain_reader_column(r, RETAIN_COL_ID), "id");
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "a");
    retain_reader_free(r);

    /* a BOM before a quoted first header name */
    assert_ok(read_text(&o, "\xEF\xBB\xBF\"id\",\"start\"\n\"a\",\"2024-01-02\"\n", &C, &diag, &r),
              &diag);
    assert_string_equal(retain_reader_column(r, RETAIN_COL_ID), "id");
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "a");
    retain_reader_free(r);
}

static void test_crlf_and_lone_cr(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_ok(read_text(&o, "id,start,end\r\na,2024-01-02,\r\nb,2024-01-03,2024-01-04\r\n", &C,
                        &diag, NULL),
              &diag);
    assert_int_equal(C.n, 2);
    assert_row(&C.rows[0], 2, "a");
    assert_false(C.rows[0].has_end); /* no stray \r in the last field */
    assert_row(&C.rows[1], 3, "b");
    assert_int_equal(C.rows[1].end, ymd(2024, 1, 4));

    assert_ok(read_text(&o, "id,start\rA,2024-01-02\rB,2024-01-03\r", &C, &diag, NULL), &diag);
    assert_int_equal(C.n, 2);
    assert_row(&C.rows[0], 2, "A");
    assert_row(&C.rows[1], 3, "B");
    assert_int_equal(C.rows[1].start, ymd(2024, 1, 3));

    /* no final line end */
    assert_ok(read_text(&o, "id,start\na,2024-01-02", &C, &diag, NULL), &diag);
    assert_int_equal(C.n, 1);
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 2));
}

static void test_quoted_fields_and_lines(void **state)
{
    (void)state;
    static const char *const extra[] = {"note"};
    retain_reader_options o = defaults();
    o.extra = extra;
    o.n_extra = 1;
    retain_diag diag;
    assert_ok(read_text(&o,
                        "id,start,note\n"                             /* 1 */
                        "\"a,1\",2024-01-02,\"he said \"\"hi\"\"\"\n" /* 2 */
                        "b,2024-01-03,\"multi\nline\nnote\"\n"        /* 3-5 */
                        "c,2024-01-04,x\n"                            /* 6 */
                        "\n"                                          /* 7 */
                        "d,2024-01-05,\"\"\n",                        /* 8 */
                        &C, &diag, NULL),
              &diag);
    assert_int_equal(C.n, 4);
    assert_row(&C.rows[0], 2, "a,1");
    assert_string_equal(C.rows[0].extra[0], "he said \"hi\"");
    assert_row(&C.rows[1], 3, "b");
    assert_string_equal(C.rows[1].extra[0], "multi\nline\nnote");
    assert_int_equal(C.rows[1].start, ymd(2024, 1, 3));
    assert_row(&C.rows[2], 6, "c");
    assert_string_equal(C.rows[2].extra[0], "x");
    assert_row(&C.rows[3], 8, "d");
    assert_int_equal(C.rows[3].extra_len[0], 0);

    /* the same with CRLF, and a CRLF inside the quotes */
    assert_ok(read_text(&o, "id,start,note\r\nb,2024-01-03,\"x\r\ny\"\r\nc,2024-01-04,z\r\n", &C,
                        &diag, NULL),
              &diag);
    assert_int_equal(C.n, 2);
    assert_row(&C.rows[0], 2, "b");
    assert_string_equal(C.rows[0].extra[0], "x\r\ny");
    assert_row(&C.rows[1], 4, "c");
}

/* ---- header mapping ----------------------------------------------------- */

static void check_aliases(const char *header, const char *id, const char *start, const char *end)
{
    char text[256];
    snprintf(text, sizeof text, "%s\nx,2024-01-02,2024-02-03\n", header);
    retain_reader_options o = defaults();
    retain_diag diag;
    retain_reader *r;
    retain_status st = read_text(&o, text, &C, &diag, &r);
    if (st != RETAIN_OK)
        fail_msg("header \"%s\": %s", header, diag.message);
    assert_string_equal(retain_reader_column(r, RETAIN_COL_ID), id);
    assert_string_equal(retain_reader_column(r, RETAIN_COL_START), start);
    assert_string_equal(retain_reader_column(r, RETAIN_COL_END), end);
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "x");
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 2));
    assert_true(C.rows[0].has_end);
    assert_int_equal(C.rows[0].end, ymd(2024, 2, 3));
    retain_reader_free(r);
}

static void test_header_aliases(void **state)
{
    (void)state;
    check_aliases("Record ID,Became a Customer Date,Churn Date", "Record ID",
                  "Became a Customer Date", "Churn Date");
    check_aliases("Account ID,start_date,cancel_date", "Account ID", "start_date", "cancel_date");
    check_aliases("customer_id,signup_date,cancellation_date", "customer_id", "signup_date",
                  "cancellation_date");
    check_aliases("CUSTOMER ID,Signup_Date,End Date", "CUSTOMER ID", "Signup_Date", "End Date");
    check_aliases("Customer_Id,START DATE,end_date", "Customer_Id", "START DATE", "end_date");
    check_aliases("record_id,became_a_customer_date,CHURN_DATE", "record_id",
                  "became_a_customer_date", "CHURN_DATE");
}

static void test_mrr_aliases(void **state)
{
    (void)state;
    static const char *const headers[] = {"mrr", "MRR", "monthly_revenue", "Monthly Revenue"};
    for (size_t i = 0; i < 4; i++) {
        char text[128];
        snprintf(text, sizeof text, "id,start,%s\na,2024-01-02,12.5\n", headers[i]);
        retain_reader_options o = defaults();
        o.need_mrr = true;
        retain_diag diag;
        retain_reader *r;
        assert_ok(read_text(&o, text, &C, &diag, &r), &diag);
        assert_string_equal(retain_reader_column(r, RETAIN_COL_MRR), headers[i]);
        assert_true(C.rows[0].has_mrr);
        assert_int_equal(C.rows[0].mrr, 12500000);
        retain_reader_free(r);
    }
}

static void test_explicit_columns(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    o.column[RETAIN_COL_ID] = "kunde"; /* case-insensitive */
    o.column[RETAIN_COL_START] = "BEGINN";
    o.column[RETAIN_COL_END] = "vertrag ende"; /* space and underscore alike */
    o.column[RETAIN_COL_MRR] = "Umsatz";
    retain_diag diag;
    retain_reader *r;
    assert_ok(read_text(&o,
                        "id,Kunde,Beginn,Vertrag_Ende,start,Umsatz\n"
                        "1,K1,2024-01-02,2024-03-01,2020-01-01,7\n",
                        &C, &diag, &r),
              &diag);
    assert_string_equal(retain_reader_column(r, RETAIN_COL_ID), "Kunde");
    assert_string_equal(retain_reader_column(r, RETAIN_COL_START), "Beginn");
    assert_string_equal(retain_reader_column(r, RETAIN_COL_END), "Vertrag_Ende");
    assert_int_equal(C.n, 1);
    assert_row(&C.rows[0], 2, "K1");
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 2));
    assert_int_equal(C.rows[0].end, ymd(2024, 3, 1));
    assert_int_equal(C.rows[0].mrr, 7000000);
    retain_reader_free(r);

    /* a column named in the options must exist */
    o = defaults();
    o.column[RETAIN_COL_START] = "Anfang";
    assert_int_equal(read_text(&o, "id,start\na,2024-01-02\n", &C, &diag, NULL), RETAIN_ERR_USAGE);
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    assert_non_null(strstr(diag.message, "Anfang"));
    assert_int_equal(C.calls, 0);
}

static void test_missing_required_column(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(read_text(&o, "name,signup_date\nJoe,2024-01-02\n", &C, &diag, NULL),
                     RETAIN_ERR_USAGE);
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    assert_int_equal(diag.line, 1);
    /* a usage error, as a column named with an option that is not there:
     * the message lists the header's names */
    assert_non_null(strstr(diag.message, "name"));
    assert_non_null(strstr(diag.message, "signup_date"));
    assert_int_equal(C.calls, 0);

    assert_int_equal(read_text(&o, "id,end\na,2024-01-02\n", &C, &diag, NULL), RETAIN_ERR_USAGE);
    assert_non_null(strstr(diag.message, "end"));

    /* need_mrr: the mrr column must exist; without it the command's
     * request is what cannot be met (a usage error: name it with --mrr) */
    o.need_mrr = true;
    assert_int_equal(read_text(&o, "id,start\na,2024-01-02\n", &C, &diag, NULL), RETAIN_ERR_USAGE);
}

static void test_create_date_is_not_a_start(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(read_text(&o, "Record ID,Create Date,Close Date\n1,2024-01-02,2024-02-03\n",
                               &C, &diag, NULL),
                     RETAIN_ERR_USAGE);
    assert_non_null(strstr(diag.message, "Create Date"));
    assert_true(strstr(diag.hint, "Create Date") || strstr(diag.hint, "Close Date"));
}

static void test_extra_columns(void **state)
{
    (void)state;
    static const char *const extra[] = {"plan", "Country"};
    retain_reader_options o = defaults();
    o.extra = extra;
    o.n_extra = 2;
    retain_diag diag;
    assert_ok(read_text(&o, "id,country,start,plan\n1,FR,2024-01-02,pro\n2,,2024-01-03,\n", &C,
                        &diag, NULL),
              &diag);
    assert_int_equal(C.n, 2);
    assert_string_equal(C.rows[0].extra[0], "pro");
    assert_int_equal(C.rows[0].extra_len[0], 3);
    assert_string_equal(C.rows[0].extra[1], "FR");
    assert_int_equal(C.rows[1].extra_len[0], 0);
    assert_int_equal(C.rows[1].extra_len[1], 0);

    /* a --by column that is not there is a usage error */
    static const char *const missing[] = {"plan"};
    o.extra = missing;
    o.n_extra = 1;
    assert_int_equal(read_text(&o, "id,start\na,2024-01-02\n", &C, &diag, NULL), RETAIN_ERR_USAGE);
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    assert_non_null(strstr(diag.message, "plan"));
    assert_int_equal(C.calls, 0);
}

/* ---- errors ------------------------------------------------------------- */

static void test_unterminated_quote(void **state)
{
    (void)state;
    static const char text[] = "id,start\n"       /* 1 */
                               "a,2024-01-02\n"   /* 2 */
                               "\"b,2024-01-03\n" /* 3 */
                               "c,2024-01-04\n";  /* 4 */
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(read_text(&o, text, &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(diag.status, RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3); /* where the record starts */
    assert_int_equal(C.calls, 1);   /* the row before it was read */
    /* broken quoting fails even with skip_bad */
    o.skip_bad = true;
    assert_int_equal(read_text(&o, text, &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
}

static void test_malformed_quote(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(
        read_text(&o, "id,start,note\na,2024-01-02,x\nb,2024-01-03,\"x\"y\n", &C, &diag, NULL),
        RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
    /* the quote goes wrong on the second line of a record that starts on 3 */
    assert_int_equal(read_text(&o,
                               "id,start,note\na,2024-01-02,x\nb,2024-01-03,\"one\ntwo\" x\n"
                               "c,2024-01-04,y\n",
                               &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
}

static void test_ragged_rows(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(read_text(&o, "id,start\na,2024-01-02\nb,2024-01-03,extra\nc,2024-01-04\n", &C,
                               &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
    assert_int_equal(C.calls, 1);
    assert_int_equal(read_text(&o, "id,start,end\na,2024-01-02,\nb,2024-01-03\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
    /* after a multi-line record (a data row follows: else the lone "c" at
     * the end would be a report footer, see test_kinds) */
    assert_int_equal(
        read_text(&o, "id,start\n\"a\nb\",2024-01-02\nc\nd,2024-01-03\n", &C, &diag, NULL),
        RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 4);
}

static void test_bad_dates(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(read_text(&o, "id,start\na,2024-01-02\nb,2024-02-30\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.status, RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
    assert_string_equal(diag.column, "start");
    assert_non_null(strstr(diag.message, "2024-02-30"));

    assert_int_equal(
        read_text(&o, "id,Signup Date,end\na,2024-01-02,2024-13-01\n", &C, &diag, NULL),
        RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 2);
    assert_string_equal(diag.column, "end");

    /* day-first dates without a format: the hint names --date-format */
    assert_int_equal(read_text(&o, "id,Signup Date\na,15/03/2024\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 2);
    assert_string_equal(diag.column, "Signup Date");
    assert_non_null(strstr(diag.hint, "date-format"));

    /* empty start */
    assert_int_equal(read_text(&o, "id,start\na,\n", &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 2);
    assert_string_equal(diag.column, "start");
}

static void test_end_before_start(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(read_text(&o, "id,start,end\na,2024-03-01,2024-02-01\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 2);
    assert_string_equal(diag.column, "end");
    assert_int_equal(C.calls, 0);
    /* end == start is a row (it serves no day) */
    assert_ok(read_text(&o, "id,start,end\na,2024-03-01,2024-03-01\n", &C, &diag, NULL), &diag);
    assert_int_equal(C.n, 1);
    assert_int_equal(C.rows[0].end, C.rows[0].start);
}

static void test_date_format_option(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    o.date_format = "%d/%m/%Y";
    retain_diag diag;
    assert_ok(read_text(&o, "id,start,end\na,15/03/2024,1/4/2024\n", &C, &diag, NULL), &diag);
    assert_int_equal(C.rows[0].start, ymd(2024, 3, 15));
    assert_int_equal(C.rows[0].end, ymd(2024, 4, 1));
    assert_int_equal(read_text(&o, "id,start\na,30/02/2024\n", &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 2);
    assert_string_equal(diag.column, "start");
    /* date-times in ISO files: the date as written */
    o = defaults();
    assert_ok(read_text(&o, "id,start\na,2024-03-15T23:30:00-05:00\n", &C, &diag, NULL), &diag);
    assert_int_equal(C.rows[0].start, ymd(2024, 3, 15));
}

static void test_empty_inputs(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(read_bytes(&o, "", 0, &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(diag.status, RETAIN_ERR_DATA);
    assert_true(diag.message[0] != '\0');
    assert_int_equal(read_text(&o, "id,start\n", &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(diag.status, RETAIN_ERR_DATA);
    assert_int_equal(read_text(&o, "id,start", &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(read_text(&o, "\n\n", &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(C.calls, 0);
}

static void test_utf16(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    static const char le[] = "\xFF\xFEi\0d\0,\0s\0t\0a\0r\0t\0\n\0";
    assert_int_equal(read_bytes(&o, le, sizeof le - 1, &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 1);
    assert_non_null(strstr(diag.message, "UTF-16"));
    static const char be[] = "\xFE\xFF\0i\0d\0,\0s\0t\0a\0r\0t\0\n";
    assert_int_equal(read_bytes(&o, be, sizeof be - 1, &C, &diag, NULL), RETAIN_ERR_DATA);
    assert_non_null(strstr(diag.message, "UTF-16"));
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    assert_int_equal(
        read_text(&o, "id,start\nok,2024-01-01\nab\xC3(,2024-01-02\n", &C, &diag, NULL),
        RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
    assert_string_equal(diag.column, "id");
    assert_int_equal(read_text(&o, "id,start\ncaf\xE9,2024-01-02\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 2);
    /* valid multi-byte UTF-8 is fine */
    assert_ok(read_text(&o, "id,start\ncaf\xC3\xA9-\xE2\x82\xAC,2024-01-02\n", &C, &diag, NULL),
              &diag);
    assert_row(&C.rows[0], 2, "caf\xC3\xA9-\xE2\x82\xAC");
}

/* A byte that is not ASCII, or a NUL past the first bytes' check, is seen
 * anywhere in a block (its check reads 64 bytes a turn, then the tail one
 * by one): the last 24 rows cover every lane, the last whole turns and
 * the tail. */
static void test_non_ascii_anywhere_in_a_block(void **state)
{
    (void)state;
    enum { ROWS = 300, ROW = 20, BAD = 24 }; /* "idXXXXXX,2024-01-01\n" */
    static char text[9 + ROWS * ROW + 1];
    retain_reader_options o = defaults();
    retain_diag diag;
    for (int bad = ROWS - BAD; bad < ROWS; bad++) {
        for (int at = 0; at < 8; at++) {
            char *p = text + sprintf(text, "id,start\n");
            for (int k = 0; k < ROWS; k++)
                p += sprintf(p, "id%06d,2024-01-01\n", k);
            size_t len = (size_t)(p - text);
            text[9 + bad * ROW + at] = at % 2 ? (char)0xE9 : '\0'; /* Latin-1 e acute */
            assert_int_equal(read_bytes(&o, text, len, &C, &diag, NULL), RETAIN_ERR_DATA);
            assert_int_equal(diag.line, bad + 2);
            assert_string_equal(diag.column, "id");
        }
    }
}

static void test_skip_bad(void **state)
{
    (void)state;
    static const char text[] = "id,start,end\n"            /* 1 */
                               "a,2024-01-02,\n"           /* 2 ok */
                               "b,2024-02-30,\n"           /* 3 impossible date */
                               "c,2024-01-03,\n"           /* 4 ok */
                               "d,2024-01-05,2024-01-01\n" /* 5 end < start */
                               "e,2024-01-06,,x\n"         /* 6 ragged */
                               "f,,\n"                     /* 7 empty start */
                               "g,2024-01-07,\n";          /* 8 ok */
    retain_reader_options o = defaults();
    o.skip_bad = true;
    retain_diag diag;
    retain_reader *r;
    assert_ok(read_text(&o, text, &C, &diag, &r), &diag);
    assert_int_equal(retain_reader_rows(r), 3);
    assert_int_equal(C.n, 3);
    assert_row(&C.rows[0], 2, "a");
    assert_row(&C.rows[1], 4, "c");
    assert_row(&C.rows[2], 8, "g");
    unsigned long lines[8] = {0};
    assert_int_equal(retain_reader_skipped(r, lines, 8), 4);
    assert_int_equal(lines[0], 3);
    assert_int_equal(lines[1], 5);
    assert_int_equal(lines[2], 6);
    assert_int_equal(lines[3], 7);
    unsigned long two[3] = {0, 0, 99};
    assert_int_equal(retain_reader_skipped(r, two, 2), 4);
    assert_int_equal(two[0], 3);
    assert_int_equal(two[1], 5);
    assert_int_equal(two[2], 99); /* max respected */
    const retain_diag *first = retain_reader_first_skip(r);
    assert_non_null(first);
    assert_int_equal(first->line, 3);
    assert_string_equal(first->column, "start");
    retain_reader_free(r);

    /* nothing valid at all */
    assert_int_equal(read_text(&o, "id,start\na,2024-02-30\nb,x\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(C.calls, 0);
}

/* In a semicolon file without --decimal, the first amount that reads
 * with one separator only decides; an amount that reads two ways before
 * that is refused; a comma file keeps the point. */
static void test_decimal_detected_in_semicolon_files(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    /* 1234 and 1 250 tell nothing, 12,5 decides: 1,234 is then 1.234 */
    assert_ok(read_text(&o,
                        "id;start;mrr\na;2024-01-02;1234\nb;2024-01-03;1 250\n"
                        "c;2024-01-04;12,5\nd;2024-01-05;1,234\n",
                        &C, &diag, NULL),
              &diag);
    assert_int_equal(C.n, 4);
    assert_int_equal(C.rows[0].mrr, 1234000000);
    assert_int_equal(C.rows[1].mrr, 1250000000);
    assert_int_equal(C.rows[2].mrr, 12500000);
    assert_int_equal(C.rows[3].mrr, 1234000);
    /* a decimal point decides too; thousands commas then group */
    assert_ok(
        read_text(&o, "id;start;mrr\na;2024-01-02;99.90\nb;2024-01-03;1,234\n", &C, &diag, NULL),
        &diag);
    assert_int_equal(C.rows[1].mrr, 1234000000);
    /* ambiguous before any decision: refused, with both readings */
    assert_int_equal(
        read_text(&o, "id;start;mrr\na;2024-01-02;7\nb;2024-01-03;1,234\n", &C, &diag, NULL),
        RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
    assert_non_null(strstr(diag.message, "ambiguous"));
    assert_non_null(strstr(diag.message, "1.234"));
    assert_non_null(strstr(diag.message, "1234.00"));
    assert_non_null(strstr(diag.hint, "--decimal ,"));
    /* the other separator after a decision: an error naming that line */
    assert_int_equal(
        read_text(&o, "id;start;mrr\na;2024-01-02;1,5\nb;2024-01-03;2.50\n", &C, &diag, NULL),
        RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 3);
    assert_non_null(strstr(diag.hint, "line 2"));
    /* given, the option wins: 1,234 is 1234 with '.' */
    o.decimal = '.';
    assert_ok(read_text(&o, "id;start;mrr\nb;2024-01-03;1,234\n", &C, &diag, NULL), &diag);
    assert_int_equal(C.rows[0].mrr, 1234000000);
    /* a comma file is not a French export: "12,50" still needs the flag */
    o = defaults();
    assert_int_equal(read_text(&o, "id,start,mrr\na,2024-01-02,\"12,50\"\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
}

/* The latest day guessed from the end of a file: exact when the tail
 * holds it, the tail's latest otherwise (the caller checks), nothing for
 * a stream that cannot seek; the file is left at its start. */
static void test_guess_latest_from_the_tail(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("customer_id,timestamp,event\n", f);
    fputs("A,2024-12-31T23:00:00+01:00,login\n", f); /* the latest, first */
    for (int i = 0; i < 400; i++)
        fprintf(f, "C%03d,2024-0%d-1%dT10:00:00Z,login\n", i, 1 + i % 9, i % 10);
    fputs("Z,\"2024-10-05\",\"multi\nline\"\n", f);
    rewind(f);
    retain_reader_options o = defaults();
    o.kind = RETAIN_TABLE_EVENTS;
    retain_day day = 0;
    bool found = false;
    assert_int_equal(retain_reader_guess_latest(&o, f, 1 << 20, &day, &found), RETAIN_OK);
    assert_true(found);
    assert_int_equal(day, ymd(2024, 12, 31));
    assert_int_equal(ftell(f), 0);
    /* a tail of 300 bytes misses line 2: its own latest */
    assert_int_equal(retain_reader_guess_latest(&o, f, 300, &day, &found), RETAIN_OK);
    assert_true(found);
    assert_true(day < ymd(2024, 12, 31));
    assert_true(day >= ymd(2024, 9, 10));
    assert_int_equal(ftell(f), 0);
    fclose(f);
    int p[2];
    assert_int_equal(pipe(p), 0);
    FILE *r = fdopen(p[0], "r");
    assert_non_null(r);
    close(p[1]);
    assert_int_equal(retain_reader_guess_latest(&o, r, 1 << 20, &day, &found), RETAIN_OK);
    assert_false(found);
    fclose(r);
}

static void test_money_options(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    o.decimal = ',';
    retain_diag diag;
    assert_ok(read_text(&o,
                        "id;start;mrr\na;2024-01-02;1.234,50\nb;2024-01-03;\n"
                        "c;2024-01-04;1 234,50 \xE2\x82\xAC\n",
                        &C, &diag, NULL),
              &diag);
    assert_int_equal(C.n, 3);
    assert_true(C.rows[0].has_mrr);
    assert_int_equal(C.rows[0].mrr, 1234500000);
    assert_false(C.rows[1].has_mrr);
    assert_true(C.rows[2].has_mrr);
    assert_int_equal(C.rows[2].mrr, 1234500000);

    /* a decimal comma read with '.': the line, the column and a hint */
    o = defaults();
    assert_int_equal(read_text(&o, "id,start,mrr\na,2024-01-02,\"12,50\"\n", &C, &diag, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 2);
    assert_string_equal(diag.column, "mrr");
    assert_non_null(strstr(diag.hint, "--decimal"));

    /* ignore_mrr: a command that needs no revenue does not fail on it */
    o.ignore_mrr = true;
    assert_ok(read_text(&o, "id,start,mrr\na,2024-01-02,garbage\n", &C, &diag, NULL), &diag);
    assert_int_equal(C.n, 1);
    assert_false(C.rows[0].has_mrr);
}

static void test_callback_error_stops(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    retain_diag diag;
    C.stop_at = 2;
    C.stop_status = RETAIN_ERR_IO;
    retain_status st =
        read_text(&o, "id,start\na,2024-01-01\nb,2024-01-02\nc,2024-01-03\n", &C, &diag, NULL);
    C.stop_at = 0;
    assert_int_equal(st, RETAIN_ERR_IO);
    assert_int_equal(C.calls, 2);
    assert_string_equal(diag.message, "stopped by the callback");
}

static void test_bad_options(void **state)
{
    (void)state;
    retain_diag diag;
    retain_reader_options o = defaults();
    o.delimiter = 'x';
    assert_null(retain_reader_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    o = defaults();
    o.decimal = ';';
    assert_null(retain_reader_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    o = defaults();
    o.date_format = "%Q";
    assert_null(retain_reader_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
}

/* ---- a larger input: many batches, line numbers kept ---------------- */

#define BIG_ROWS 20000

static char *big_input(size_t *len, unsigned long *line_of)
{
    size_t cap = (size_t)BIG_ROWS * 48 + 64, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    n += (size_t)snprintf(s + n, cap - n, "id,start,note\n");
    unsigned long line = 2;
    for (int i = 0; i < BIG_ROWS; i++) {
        line_of[i] = line;
        if (i % 1000 == 999) {
            n += (size_t)snprintf(s + n, cap - n, "c%d,2024-01-%02d,\"a\nb\nc\"\n", i, 1 + i % 28);
            line += 3;
        } else {
            n += (size_t)snprintf(s + n, cap - n, "c%d,2024-01-%02d,n\n", i, 1 + i % 28);
            line += 1;
        }
    }
    *len = n;
    return s;
}

typedef struct {
    const unsigned long *line_of;
    size_t calls, bad;
    size_t stop_at;
} big_check;

static retain_status check_big(const retain_row *row, void *user, retain_diag *diag)
{
    big_check *b = user;
    size_t i = b->calls++;
    char id[16];
    int n = snprintf(id, sizeof id, "c%zu", i);
    if (row->line != b->line_of[i] || row->id_len != (size_t)n || memcmp(row->id, id, n) != 0)
        b->bad++;
    if (b->stop_at && b->calls == b->stop_at) {
        diag->status = RETAIN_ERR_USAGE;
        snprintf(diag->message, sizeof diag->message, "enough");
        return RETAIN_ERR_USAGE;
    }
    return RETAIN_OK;
}

/* A missing column named in a header too long for the message: the first
 * names whole, then how many were left out. */
static void test_missing_column_long_header(void **state)
{
    (void)state;
    retain_reader_options o = defaults();
    const char *extra[] = {"segment"};
    o.extra = extra;
    o.n_extra = 1;
    char text[2048] = "id,start,end";
    for (int i = 0; i < 40; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), ",a_rather_long_column_%02d", i);
    strcat(text, "\nx,2024-01-01,\n");
    retain_diag diag;
    retain_status st = read_text(&o, text, &C, &diag, NULL);
    assert_int_equal(st, RETAIN_ERR_USAGE);
    const char *list =
        strstr(diag.message, "the header has: id, start, end, a_rather_long_column_00");
    assert_non_null(list);
    const char *more = strstr(list, ", ... (");
    assert_non_null(more);
    unsigned left = 0;
    assert_int_equal(sscanf(more, ", ... (%u more)", &left), 1);
    /* every name before the "..." is whole; the count makes up the 43 */
    size_t listed = 1;
    for (const char *p = list; p < more; p++)
        listed += *p == ',';
    assert_int_equal(listed + left, 43);
    assert_string_equal(strchr(more, ')'), ")");
}

static void test_many_rows(void **state)
{
    (void)state;
    static unsigned long line_of[BIG_ROWS];
    size_t len;
    char *text = big_input(&len, line_of);
    for (int pass = 0; pass < 2; pass++) {
        retain_reader_options o = defaults();
        retain_diag diag;
        retain_reader *r = retain_reader_new(&o, &diag);
        assert_non_null(r);
        FILE *f = fmemopen(text, len, "r");
        assert_non_null(f);
        big_check b = {line_of, 0, 0, pass == 1 ? 5000 : 0};
        retain_status st = retain_reader_read(r, f, check_big, &b, &diag);
        fclose(f);
        if (pass == 0) {
            assert_ok(st, &diag);
            assert_int_equal(b.calls, BIG_ROWS);
            assert_int_equal(retain_reader_rows(r), BIG_ROWS);
        } else {
            /* the callback stops the read half-way */
            assert_int_equal(st, RETAIN_ERR_USAGE);
            assert_int_equal(b.calls, 5000);
            assert_string_equal(diag.message, "enough");
        }
        assert_int_equal(b.bad, 0);
        retain_reader_free(r);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comma),
        cmocka_unit_test(test_semicolon_and_tab),
        cmocka_unit_test(test_detection_ignores_quoted_delimiters),
        cmocka_unit_test(test_explicit_delimiter),
        cmocka_unit_test(test_bom_removed),
        cmocka_unit_test(test_crlf_and_lone_cr),
        cmocka_unit_test(test_quoted_fields_and_lines),
        cmocka_unit_test(test_header_aliases),
        cmocka_unit_test(test_mrr_aliases),
        cmocka_unit_test(test_explicit_columns),
        cmocka_unit_test(test_missing_required_column),
        cmocka_unit_test(test_create_date_is_not_a_start),
        cmocka_unit_test(test_extra_columns),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_malformed_quote),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_end_before_start),
        cmocka_unit_test(test_date_format_option),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_non_ascii_anywhere_in_a_block),
        cmocka_unit_test(test_skip_bad),
        cmocka_unit_test(test_money_options),
        cmocka_unit_test(test_guess_latest_from_the_tail),
        cmocka_unit_test(test_decimal_detected_in_semicolon_files),
        cmocka_unit_test(test_callback_error_stops),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_missing_column_long_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
