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
    /* the table as retain cac prints it: CSV, 2 decimals */
    retain_print p = {stdout, RETAIN_FORMAT_CSV, 2, 0};
    retain_writer *w;
    if (retain_cac_write(rows, join, &p, &w, &d) != RETAIN_OK)
        return 1;
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
