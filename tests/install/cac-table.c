/* The CAC table of the README's example, computed by a C program through
 * the installed libretain alone (tests/install-check.sh builds it with
 * pkg-config and compares its output with 'retain cac'):
 *
 *   cac-table SPEND.csv LTV.csv CUSTOMERS.csv
 *
 * prints what
 *
 *   retain cac --spend-table SPEND.csv --ltv-table LTV.csv --by Plan \
 *       --from 2025-04 CUSTOMERS.csv
 *
 * prints. */
#include <retain/retain.h>
#include <stdio.h>
#include <string.h>

static retain_table *read_table(const char *path)
{
    FILE *f = fopen(path, "rb");
    retain_table *t = NULL;
    retain_diag d;
    if (!f || retain_table_read(f, 0, &t, &d) != RETAIN_OK)
        t = NULL;
    if (f)
        fclose(f);
    return t;
}

static void put(retain_writer *w, retain_value v)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    if (v.defined && retain_format_real(v.value, 2, buf))
        retain_writer_number(w, buf);
    else
        retain_writer_empty(w);
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    const char *by = "Plan";
    retain_rate_options ro = {.period = RETAIN_PERIOD_MONTH, .segments = true};
    ro.has_from = retain_period_parse(RETAIN_PERIOD_MONTH, "2025-04", &ro.from);
    retain_table *spend = read_table(argv[1]), *ltv = read_table(argv[2]);
    retain_acquisition *rows = retain_acquisition_new();
    retain_rate *rate = retain_rate_new(&ro);
    retain_diag d;
    retain_spend_options so = {
        .period = ro.period, .has_from = true, .from = ro.from, .segment = by};
    if (!spend || !ltv || !rows || !rate ||
        retain_spend_table_add(rows, spend, &so, NULL, &d) != RETAIN_OK)
        return 1;
    /* the new customers per month and Plan */
    const char *extra[] = {by};
    retain_reader_options in = {.ignore_mrr = true, .extra = extra, .n_extra = 1};
    retain_reader *reader = retain_reader_new(&in, &d);
    FILE *f = fopen(argv[3], "rb");
    if (!reader || !f ||
        retain_reader_read(reader, f, retain_rate_add_row, rate, &d) != RETAIN_OK ||
        retain_rate_finish(rate, &d) != RETAIN_OK || retain_acquisition_add_rate(rows, rate))
        return 1;
    fclose(f);
    retain_cac_join_options jo = {
        .min_ratio = 3, .ltv_table = ltv, .segment = by, .period = ro.period};
    retain_cac_join *join = retain_cac_join_new(&jo, &d);
    if (!join)
        return 1;
    const char *cols[] = {"period", "Plan", "spend",   "new",
                          "cac",    "ltv",  "ltv_cac", retain_cac_join_payback_name(join),
                          "warning"};
    retain_writer *w = retain_writer_new(stdout, RETAIN_FORMAT_CSV, cols, 9, true);
    if (!w)
        return 1;
    for (size_t i = 0; i < retain_acquisition_rows(rows); i++) {
        const retain_acquisition_row *row = retain_acquisition_row_at(rows, i);
        retain_cac_row out;
        char label[16], buf[RETAIN_NUMBER_BUFSIZE];
        if (retain_cac_join_row(join, row, &out, &d) != RETAIN_OK)
            return 1;
        retain_period_label(ro.period, row->period, label);
        retain_writer_text(w, label, strlen(label));
        retain_writer_text(w, row->channel, row->channel_len);
        retain_money_format(row->spend, 2, buf);
        row->spend_defined ? retain_writer_number(w, buf) : retain_writer_empty(w);
        row->has_new ? retain_writer_int(w, row->new_customers) : retain_writer_empty(w);
        retain_format_money_ratio(row->spend, row->new_customers, 2, buf);
        out.cac.defined ? retain_writer_number(w, buf) : retain_writer_empty(w);
        put(w, out.ltv);
        put(w, out.ltv_cac);
        put(w, out.payback);
        out.below_min_ratio ? retain_writer_text(w, "LTV:CAC below 3", 15) : retain_writer_empty(w);
        retain_writer_end_row(w);
    }
    int code = retain_writer_finish(w) == RETAIN_OK ? 0 : 1;
    retain_writer_free(w);
    retain_cac_join_free(join);
    retain_reader_free(reader);
    retain_rate_free(rate);
    retain_acquisition_free(rows);
    retain_table_free(spend);
    retain_table_free(ltv);
    return code;
}
