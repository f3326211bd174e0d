/* Unit tests for the table kinds of retain/reader.h: roles and recognised
 * headers per kind, the one name matcher, precedence, conversions of the
 * other tables (events, tickets, survey, orders, referrals, deals), their
 * errors, and --arr, --cents, --end-inclusive, epochs and month names. */
#define _GNU_SOURCE /* fmemopen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/reader.h>

#define MAX_ROWS 16

typedef struct {
    size_t n;
    retain_row rows[MAX_ROWS];
    char text[MAX_ROWS][6][32]; /* copies: id, kind, referred, deal, source, reason */
} collector;

static void keep(char *dst, const char *src, size_t len)
{
    assert_true(len < 32);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static retain_status collect(const retain_row *row, void *user, retain_diag *diag)
{
    (void)diag;
    collector *c = user;
    assert_true(c->n < MAX_ROWS);
    c->rows[c->n] = *row;
    keep(c->text[c->n][0], row->id, row->id_len);
    keep(c->text[c->n][1], row->kind, row->kind_len);
    keep(c->text[c->n][2], row->referred, row->referred_len);
    keep(c->text[c->n][3], row->deal, row->deal_len);
    keep(c->text[c->n][4], row->source, row->source_len);
    keep(c->text[c->n][5], row->reason, row->reason_len);
    c->n++;
    return RETAIN_OK;
}

static collector C;

static retain_status read_kind(const retain_reader_options *o, const char *text, retain_diag *diag)
{
    memset(&C, 0, sizeof C);
    retain_reader *r = retain_reader_new(o, diag);
    if (!r)
        return diag->status;
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    retain_status st = retain_reader_read(r, f, collect, &C, diag);
    fclose(f);
    retain_reader_free(r);
    return st;
}

static retain_reader_options kind_options(retain_table_kind kind)
{
    retain_reader_options o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    return o;
}

static void assert_ok(retain_status st, const retain_diag *diag)
{
    if (st != RETAIN_OK)
        fail_msg("read failed with %d at line %lu: %s (hint: %s)", (int)st, diag->line,
                 diag->message, diag->hint);
}

static void assert_error(retain_status st, const retain_diag *diag, retain_status want,
                         unsigned long line, const char *part)
{
    if (st != want || diag->line != line || !strstr(diag->message, part))
        fail_msg("got status %d line %lu \"%s\", wanted %d line %lu with \"%s\"", (int)st,
                 diag->line, diag->message, (int)want, line, part);
}

static retain_day ymd(int y, int m, int d)
{
    retain_day out = 0;
    assert_true(retain_day_from_ymd(y, m, d, &out));
    return out;
}

/* ---- declarations ---------------------------------------------------------- */

static void test_kinds_and_roles(void **state)
{
    (void)state;
    const char *names[] = {"customers", "events",    "tickets", "survey",
                           "orders",    "referrals", "deals"};
    for (int k = 0; k < RETAIN_TABLE_KINDS; k++) {
        assert_string_equal(retain_table_kind_name((retain_table_kind)k), names[k]);
        const retain_role_info *roles;
        size_t n = retain_table_kind_roles((retain_table_kind)k, &roles);
        assert_true(n >= 3);
        for (size_t i = 0; i < n; i++) {
            assert_non_null(roles[i].name);
            assert_non_null(retain_role_header((retain_table_kind)k, roles[i].role, 0));
        }
    }
    assert_null(retain_table_kind_name(RETAIN_TABLE_KINDS));
    const retain_role_info *roles;
    assert_int_equal(retain_table_kind_roles(RETAIN_TABLE_KINDS, &roles), 0);
    assert_int_equal(retain_table_kind_roles(RETAIN_TABLE_SURVEY, &roles), 3);
    assert_string_equal(roles[2].name, "score");
    assert_true(roles[2].required);
    assert_string_equal(retain_role_header(RETAIN_TABLE_DEALS, RETAIN_COL_STAGE, 0), "Deal Stage");
    assert_null(retain_role_header(RETAIN_TABLE_EVENTS, RETAIN_COL_SCORE, 0));
}

static void test_name_equal(void **state)
{
    (void)state;
    assert_true(retain_name_equal("Date de résiliation", "date_de_resiliation"));
    assert_true(retain_name_equal("DATE DE RÉSILIATION", "date de resiliation"));
    assert_true(retain_name_equal("motif de resiliation", "Motif de Résiliation"));
    assert_true(retain_name_equal("N° client", "no client"));
    assert_true(retain_name_equal("  Customer__ID ", "customer id"));
    assert_true(retain_name_equal("Date\xc2\xa0"
                                  "de début",
                                  "date de debut"));
    assert_true(retain_name_equal("Cœur", "coeur"));
    assert_true(retain_name_equal("Straße", "strasse"));
    assert_true(retain_name_equal("Łódź", "lodz"));
    assert_false(retain_name_equal("start", "started"));
    assert_false(retain_name_equal("customerid", "customer id"));
    assert_false(retain_name_equal("", "a"));
    assert_true(retain_name_equal("", "  "));
    /* the table reader matches the same way */
    retain_column_role role;
    assert_true(retain_column_recognised("Date de Début", &role));
    assert_int_equal(role, RETAIN_COL_START);
    assert_true(retain_column_recognised_as(RETAIN_TABLE_SURVEY,
                                            "How likely are you to recommend us?", &role));
    assert_int_equal(role, RETAIN_COL_SCORE);
    assert_false(retain_column_recognised("ARR (converted)", NULL)); /* needs --arr */
}

/* ---- the customer table ------------------------------------------------------ */

static void test_stripe_precedence(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_CUSTOMERS);
    retain_diag diag;
    /* customer over id, ended_at over canceled_at */
    retain_status st = read_kind(&o,
                                 "id,customer,start_date,canceled_at,ended_at\n"
                                 "sub_1,cus_A,2024-01-01,2024-03-05,2024-04-01\n",
                                 &diag);
    assert_ok(st, &diag);
    assert_string_equal(C.text[0][0], "cus_A");
    assert_int_equal(C.rows[0].end, ymd(2024, 4, 1));
    /* two columns at the same rank stay ambiguous */
    st = read_kind(&o, "customer_id,customer,start\nA,B,2024-01-01\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 1, "both \"customer_id\" and \"customer\"");
    assert_non_null(strstr(diag.hint, "--id"));
}

static void test_french_headers(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_CUSTOMERS);
    o.want = RETAIN_ROLE_BIT(RETAIN_COL_ID) | RETAIN_ROLE_BIT(RETAIN_COL_START) |
             RETAIN_ROLE_BIT(RETAIN_COL_END) | RETAIN_ROLE_BIT(RETAIN_COL_REASON);
    retain_diag diag;
    retain_status st = read_kind(&o,
                                 "N° client;Date de souscription;Date de début;Date de fin;"
                                 "Date de résiliation;Motif\n"
                                 "C1;2023-12-20;2024-01-01;2024-06-30;2024-05-02;Prix\n",
                                 &diag);
    assert_ok(st, &diag);
    assert_string_equal(C.text[0][0], "C1");
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 1));
    assert_int_equal(C.rows[0].end, ymd(2024, 6, 30));
    assert_string_equal(C.text[0][5], "Prix");
}

static void test_arr_and_cents(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_CUSTOMERS);
    o.need_mrr = true;
    retain_diag diag;
    const char *sf = "Account ID,Contract Start Date,Contract End Date,ARR (converted)\n"
                     "001A,2024-01-01,2024-12-31,1000.06\n"
                     "001B,2024-01-01,,-1000.06\n"
                     "001C,2024-01-01,,0.06\n";
    retain_status st = read_kind(&o, sf, &diag);
    assert_error(st, &diag, RETAIN_ERR_USAGE, 1, "no MRR column");
    assert_non_null(strstr(diag.hint, "--arr"));
    o.arr = true;
    o.end_inclusive = true;
    st = read_kind(&o, sf, &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].mrr, 83340000);        /* 1000.06 / 12 = 83.338.. -> 83.34 */
    assert_int_equal(C.rows[1].mrr, -83340000);       /* half away from zero, both signs */
    assert_int_equal(C.rows[2].mrr, 10000);           /* 0.005 -> 0.01 */
    assert_int_equal(C.rows[0].end, ymd(2025, 1, 1)); /* the last day + 1 */
    /* an inclusive end the day before the start is a row of no day */
    st = read_kind(&o, "id,start,end,arr\nA,2024-01-02,2024-01-01,12\n", &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].end, C.rows[0].start);
    st = read_kind(&o, "id,start,end,arr\nA,2024-01-03,2024-01-01,12\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "last day 2024-01-01 is more than a day before");

    o = kind_options(RETAIN_TABLE_CUSTOMERS);
    o.need_mrr = true;
    const char *stripe = "customer,start_date,ended_at,plan_amount\ncus_1,2024-01-01,,1999\n";
    st = read_kind(&o, stripe, &diag);
    assert_error(st, &diag, RETAIN_ERR_USAGE, 1, "no MRR column");
    assert_non_null(strstr(diag.hint, "--cents"));
    o.cents = true;
    st = read_kind(&o, stripe, &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].mrr, 19990000);
}

static void test_epoch_dates(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_CUSTOMERS);
    o.date_format = "epoch";
    retain_diag diag;
    /* 1704153599 = 2024-01-01T23:59:59Z; 1704153600 the next day */
    retain_status st = read_kind(&o,
                                 "customer,start_date,ended_at\n"
                                 "A,1704153599,1704153600\nB,-1,0.5\n",
                                 &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 1));
    assert_int_equal(C.rows[0].end, ymd(2024, 1, 2));
    assert_int_equal(C.rows[1].start, ymd(1969, 12, 31));
    assert_int_equal(C.rows[1].end, ymd(1970, 1, 1));
    o.date_format = "epoch-ms";
    st = read_kind(&o, "customer,start_date\nA,1704153599999\n", &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 1));
    st = read_kind(&o, "customer,start_date\nA,2024-01-01\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "expected a date in the form epoch-ms");
}

/* ---- other kinds ---------------------------------------------------------------- */

static void test_events(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_EVENTS);
    retain_diag diag;
    retain_status st = read_kind(&o,
                                 "id,user_id,event,timestamp,quantity\n"
                                 "e1,A,login,2024-03-01T23:30:00-08:00,\n"
                                 "e2,B,seats,2024-03-02 00:15:00+02:00,2.5\n",
                                 &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.n, 2);
    assert_string_equal(C.text[0][0], "A"); /* user_id over id */
    assert_string_equal(C.text[0][1], "login");
    assert_int_equal(C.rows[0].date, ymd(2024, 3, 1)); /* the day as written */
    assert_true(C.rows[0].has_date);
    assert_int_equal(C.rows[0].value, 1000000);
    assert_int_equal(C.rows[1].date, ymd(2024, 3, 2));
    assert_int_equal(C.rows[1].value, 2500000);
    /* a column named by option; HubSpot's Create Date when there is no other */
    o.column[RETAIN_COL_ID] = "Company";
    st = read_kind(&o, "Company,Create Date\nX,2024-05-06\n", &diag);
    assert_ok(st, &diag);
    assert_string_equal(C.text[0][0], "X");
    assert_int_equal(C.rows[0].date, ymd(2024, 5, 6));
    assert_string_equal(C.text[0][1], "");
    /* no date column */
    o = kind_options(RETAIN_TABLE_EVENTS);
    st = read_kind(&o, "customer_id,event\nA,login\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_USAGE, 1, "no event date column");
    assert_non_null(strstr(diag.message, "the header has: customer_id, event"));
    assert_non_null(strstr(diag.hint, "--events-date"));
    /* a bad value, an empty date */
    st = read_kind(&o, "customer_id,date,value\nA,2024-01-01,lots\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "expected a number");
    assert_string_equal(diag.column, "value");
    st = read_kind(&o, "customer_id,date\nA,2024-01-01\nB,\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 3, "empty event date");
    /* a column the kind does not have */
    o.column[RETAIN_COL_SCORE] = "x";
    assert_null(retain_reader_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
}

static void test_survey_scores(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_SURVEY);
    retain_diag diag;
    retain_status st = read_kind(&o,
                                 "customer_id,submitted_at,How likely are you to recommend us?\n"
                                 "A,2024-01-01,0\nB,2024-01-02,10\nC,2024-01-03,07\n",
                                 &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].score, 0);
    assert_true(C.rows[0].has_score);
    assert_int_equal(C.rows[1].score, 10);
    assert_int_equal(C.rows[2].score, 7);
    const char *bad[] = {"11", "9.5", "neuf", "-1", "1e1", "100"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "customer_id,date,score\nA,2024-01-01,8\nB,2024-01-02,%s\n",
                 bad[i]);
        st = read_kind(&o, text, &diag);
        assert_error(st, &diag, RETAIN_ERR_DATA, 3, "expected a score");
        assert_string_equal(diag.column, "score");
    }
    /* anonymous answers, when the id is optional */
    st = read_kind(&o, "date,nps\n2024-01-01,9\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_USAGE, 1, "no customer id column");
    o.optional = RETAIN_ROLE_BIT(RETAIN_COL_ID);
    st = read_kind(&o, "date,nps\n2024-01-01,9\n", &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].id_len, 0);
    assert_int_equal(C.rows[0].score, 9);
    /* a survey without a date column */
    st = read_kind(&o, "customer_id,score\nA,9\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_USAGE, 1, "no answer date column");
}

static void test_orders(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_ORDERS);
    o.decimal = ',';
    retain_diag diag;
    retain_status st = read_kind(&o,
                                 "Code client;Date de commande;Montant\n"
                                 "C1;15 janv. 2024;1 234,50 €\nC2;16-Sep-2023;12\n",
                                 &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "expected a date like 2024-03-15");
    o.date_format = "%d %b %Y";
    st = read_kind(&o, "Code client;Date de commande;Montant\nC1;15 janv. 2024;1 234,50 EUR\n",
                   &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].date, ymd(2024, 1, 15));
    assert_int_equal(C.rows[0].amount, 1234500000);
    assert_true(C.rows[0].has_amount);
    o = kind_options(RETAIN_TABLE_ORDERS);
    o.cents = true;
    st = read_kind(&o, "customer,created,amount_paid\ncus_1,1704153599,4999\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "expected a date");
    assert_non_null(strstr(diag.hint, "epoch"));
    o.date_format = "epoch";
    st = read_kind(&o, "customer,created,amount_paid\ncus_1,1704153599,4999\n", &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.rows[0].amount, 49990000);
    st = read_kind(&o, "customer,created,amount\ncus_1,1704153599,\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "empty order amount");
}

static void test_referrals(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_REFERRALS);
    retain_diag diag;
    retain_status st = read_kind(&o,
                                 "referrer_id,referred_id,referral_date,reward\n"
                                 "A,B,2024-01-01,100\nA,,2024-02-01,\n",
                                 &diag);
    assert_ok(st, &diag);
    assert_string_equal(C.text[0][0], "A");
    assert_string_equal(C.text[0][2], "B");
    assert_true(C.rows[0].has_amount);
    assert_int_equal(C.rows[0].amount, 100000000);
    assert_string_equal(C.text[1][2], "");
    assert_false(C.rows[1].has_amount);
    st = read_kind(&o, "referrer_id,referred_id,date\n,B,2024-01-01\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "empty referrer id");
}

static void test_deals(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_DEALS);
    retain_diag diag;
    /* HubSpot: Record ID is the deal, Deal Stage its outcome */
    retain_status st =
        read_kind(&o,
                  "Record ID,Deal Name,Deal Stage,Original Source,Create Date,Close Date\n"
                  "11,Acme,Closed Won,Referrals,2024-01-05 10:00,2024-02-01 09:00\n"
                  "12,Bolt,closedlost,Organic Search,2024-01-06,2024-03-01\n"
                  "13,Corp,Appointment Scheduled,Paid Search,2024-01-07,2024-06-30\n",
                  &diag);
    assert_ok(st, &diag);
    assert_int_equal(C.n, 3);
    assert_string_equal(C.text[0][3], "11");
    assert_string_equal(C.text[0][4], "Referrals");
    assert_int_equal(C.rows[0].outcome, RETAIN_DEAL_WON);
    assert_int_equal(C.rows[0].date, ymd(2024, 1, 5));
    assert_int_equal(C.rows[0].closed, ymd(2024, 2, 1));
    assert_int_equal(C.rows[1].outcome, RETAIN_DEAL_LOST);
    assert_int_equal(C.rows[2].outcome, RETAIN_DEAL_OPEN);
    assert_int_equal(C.rows[0].id_len, 0); /* no customer column */
    /* Salesforce opportunities */
    st = read_kind(&o,
                   "Opportunity ID,Account ID,Stage,Lead Source,Created Date,Close Date\n"
                   "006A,001A,Closed Won,Partner,2024-01-05,2024-02-01\n"
                   "006B,,Closed Maybe,Web,2024-01-05,2024-02-01\n",
                   &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 3, "a closed stage that is neither won nor lost");
    assert_string_equal(diag.column, "Stage");
    /* an outcome column is strict */
    st = read_kind(&o,
                   "deal_id,source,created,outcome\nD1,referral,2024-01-01,won\n"
                   "D2,referral,2024-01-01,\nD3,web,2024-01-02,pending\n",
                   &diag);
    assert_error(st, &diag, RETAIN_ERR_DATA, 4, "expected a deal outcome: won, lost or open");
    st = read_kind(&o, "deal_id,source,created\nD1,referral,2024-01-01\n", &diag);
    assert_error(st, &diag, RETAIN_ERR_USAGE, 1, "no deal outcome column");
}

/* ---- dialects: encodings, sep=, empty rows, footers ----------------------- */

static retain_status read_counted(const retain_reader_options *o, const char *text, size_t len,
                                  retain_diag *diag, unsigned long *empty, unsigned long *footer,
                                  unsigned long *footer_line)
{
    memset(&C, 0, sizeof C);
    retain_reader *r = retain_reader_new(o, diag);
    if (!r)
        return diag->status;
    FILE *f = fmemopen((void *)text, len, "r");
    retain_status st = retain_reader_read(r, f, collect, &C, diag);
    fclose(f);
    *empty = retain_reader_empty_rows(r);
    *footer = retain_reader_footer(r, footer_line, NULL);
    retain_reader_free(r);
    return st;
}

static void test_encodings(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_CUSTOMERS);
    retain_diag diag;
    unsigned long empty, footer, fline;
    /* Windows-1252: N\xB0 client, D\xE9but, an euro sign */
    const char cp[] = "N\xB0 client;Date de d\xE9"
                      "but;Motif\r\nC\xE9line;2024-01-01;\x80\r\n";
    retain_status st = read_counted(&o, cp, sizeof cp - 1, &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 1, "not UTF-8 text");
    assert_non_null(strstr(diag.hint, "--encoding cp1252"));
    o.encoding = "cp1252";
    st = read_counted(&o, cp, sizeof cp - 1, &diag, &empty, &footer, &fline);
    assert_ok(st, &diag);
    assert_string_equal(C.text[0][0], "C\xC3\xA9line");
    /* a byte cp1252 does not define, with its line */
    const char bad[] = "id,start\nA,2024-01-01\nB\x81,2024-01-02\n";
    st = read_counted(&o, bad, sizeof bad - 1, &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 3, "byte 0x81 is not cp1252 text");
    /* UTF-16 little-endian with its BOM, as Excel's "Unicode text" */
    const char u16[] = "\xFF\xFEi\0d\0\t\0s\0t\0a\0r\0t\0\n\0\xE9\0\t\0"
                       "2\0000\0002\0004\0-\0000\0001\0-\0000\0002\0\n\0";
    o.encoding = "utf-16";
    st = read_counted(&o, u16, sizeof u16 - 1, &diag, &empty, &footer, &fline);
    assert_ok(st, &diag);
    assert_string_equal(C.text[0][0], "\xC3\xA9");
    assert_int_equal(C.rows[0].start, ymd(2024, 1, 2));
    /* an odd byte at the end */
    st = read_counted(&o, u16, sizeof u16 - 2, &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 2, "ends inside a utf-16 character");
    o.encoding = "klingon";
    assert_null(retain_reader_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    assert_true(retain_encoding_known("CP1252"));
    assert_false(retain_encoding_known("klingon"));
}

static void test_sep_line_empty_rows_footer(void **state)
{
    (void)state;
    retain_reader_options o = kind_options(RETAIN_TABLE_CUSTOMERS);
    retain_diag diag;
    unsigned long empty, footer, fline;
    const char *t = "sep=;\r\nid;start;end\r\nA;2024-01-01;\r\n;;\r\nB;2024-01-02;x\r\n";
    retain_status st = read_counted(&o, t, strlen(t), &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 5, "expected a date"); /* the lines count sep= */
    t = "\"sep=,\"\nid,start\nA,2024-01-01\n,\n\"\"\n\"Generated By: Jane\"\n"
        "\"Confidential Information - Do Not Distribute\"\n";
    st = read_counted(&o, t, strlen(t), &diag, &empty, &footer, &fline);
    assert_ok(st, &diag);
    assert_int_equal(C.n, 1);
    assert_int_equal(empty, 2);
    assert_int_equal(footer, 2);
    assert_int_equal(fline, 6);
    /* a totals row is a footer too */
    t = "id,start,mrr\nA,2024-01-01,10\nB,2024-01-02,20\nTotal,,30\n";
    st = read_counted(&o, t, strlen(t), &diag, &empty, &footer, &fline);
    assert_ok(st, &diag);
    assert_int_equal(footer, 1);
    assert_int_equal(fline, 4);
    /* ... unless data follows it: then it is the error */
    t = "id,start,mrr\nA,2024-01-01,10\nTotal,,30\nB,2024-01-02,20\n";
    st = read_counted(&o, t, strlen(t), &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 3, "empty start date");
    /* a customer row with an empty start at the end is no footer */
    t = "id,start\nA,2024-01-01\nB,\n";
    st = read_counted(&o, t, strlen(t), &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 3, "empty start date");
    /* nor is a bad date */
    t = "id,start\nA,2024-01-01\nTotal,nope\n";
    st = read_counted(&o, t, strlen(t), &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 3, "expected a date");
    /* more than 32 lines is no footer */
    char big[4096] = "id,start\nA,2024-01-01\n";
    for (int i = 0; i < 33; i++)
        strcat(big, "\"note\"\n");
    st = read_counted(&o, big, strlen(big), &diag, &empty, &footer, &fline);
    assert_error(st, &diag, RETAIN_ERR_DATA, 3, "1 fields, but the header has 2");
}

/* A header and no row: a data error, unless empty_ok (a side table with
 * nothing in it yet); rows that were all skipped still fail. */
static void test_header_only(void **state)
{
    (void)state;
    retain_diag d;
    retain_reader_options o = kind_options(RETAIN_TABLE_TICKETS);
    assert_int_equal(read_kind(&o, "customer_id,created_at\n", &d), RETAIN_ERR_DATA);
    assert_string_equal(d.message, "no data rows after the header");
    o.empty_ok = true;
    assert_ok(read_kind(&o, "customer_id,created_at\n", &d), &d);
    assert_int_equal(C.n, 0);
    o.skip_bad = true;
    assert_int_equal(read_kind(&o, "customer_id,created_at\nA,not a day\n", &d), RETAIN_ERR_DATA);
    assert_int_equal(d.line, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_and_roles),
        cmocka_unit_test(test_name_equal),
        cmocka_unit_test(test_stripe_precedence),
        cmocka_unit_test(test_french_headers),
        cmocka_unit_test(test_arr_and_cents),
        cmocka_unit_test(test_epoch_dates),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_survey_scores),
        cmocka_unit_test(test_orders),
        cmocka_unit_test(test_referrals),
        cmocka_unit_test(test_deals),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_sep_line_empty_rows_footer),
        cmocka_unit_test(test_header_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
