/* retain rate: retention rate (TRC) per period, or the one-line formula. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"

enum { OPT_S = 'S', OPT_E = 'E', OPT_N = 'N' };

static void usage(FILE *out)
{
    fputs("Usage: retain rate [OPTIONS] [FILE]\n"
          "       retain rate -S COUNT -E COUNT [-N COUNT]\n"
          "Retention rate (TRC) per period from a customer table (CSV; stdin when FILE\n"
          "is absent or '-'), or from three counts.\n"
          "\n"
          "For each period: customers_start S (active the day before it starts), new,\n"
          "reactivated (won back), lost = S + N - E, customers_end E (active on its last\n"
          "day), retention_pct = (E - N) / S x 100, churn_pct = 100 - retention_pct.\n"
          "\n"
          "Metric options:\n"
          "      --period P         day, week (ISO), month (default), quarter or year\n"
          "      --as-of DATE       observation day (default: the latest start)\n"
          "      --from PERIOD      first period to report (label such as 2024-03, or a date)\n"
          "      --to PERIOD        last period to report (default: the one holding as-of)\n"
          "      --by COL           one block of periods per value of column COL\n"
          "  -S, --customers-start N  one-liner: customers at the start of the period\n"
          "  -E, --customers-end N    one-liner: customers at its end\n"
          "  -N, --new N              one-liner: customers acquired during it (default 0)\n"
          "  -v, --verbose          report rows, customers, memory and speed on stderr\n"
          "\n",
          out);
    cli_help_input(out);
    fputc('\n', out);
    cli_help_output(out);
    fputs("\nExamples:\n"
          "  retain rate crm.csv\n"
          "  retain rate --period quarter --by plan --format table crm.csv\n"
          "  retain rate --date-format %d/%m/%Y --decimal , export-fr.csv\n"
          "  retain rate -S 200 -E 210 -N 30          # prints 90.00\n"
          "\n",
          out);
    cli_help_exit(out);
}

/* retain rate -S -E -N: the formula on three counts. */
static int one_liner(cli *c, long long s, long long e, long long n)
{
    if (e > s + n)
        return cli_usage_error(c, "customers at the end (%lld) cannot exceed start + new (%lld)", e,
                               s + n);
    char buf[RETAIN_NUMBER_BUFSIZE];
    retain_retention_pct(s, e, n, c->precision, buf);
    printf("%s\n", buf);
    return cli_flush_stdout(c);
}

static int print_table(cli *c, const retain_rate *rate, const retain_rate_options *o)
{
    static const char *const cols[] = {"period", "customers_start", "new",           "reactivated",
                                       "lost",   "customers_end",   "retention_pct", "churn_pct"};
    const char *names[9];
    size_t ncols = 0;
    if (c->by)
        names[ncols++] = c->by;
    for (size_t i = 0; i < 8; i++)
        names[ncols++] = cols[i];
    retain_writer *w = retain_writer_new(stdout, c->format, names, ncols, false);
    if (!w) {
        fprintf(stderr, "retain %s: out of memory\n", c->cmd);
        return EXIT_OSERR;
    }
    retain_status st = RETAIN_OK;
    for (size_t g = 0; g < retain_rate_segments(rate) && st == RETAIN_OK; g++) {
        size_t seglen;
        const char *seg = retain_rate_segment(rate, g, &seglen);
        for (size_t p = 0; p < retain_rate_periods(rate) && st == RETAIN_OK; p++) {
            retain_rate_row row;
            char label[16], pct[RETAIN_NUMBER_BUFSIZE];
            retain_rate_get(rate, g, p, &row);
            retain_period_label(o->period, row.period, label);
            if (c->by)
                st = retain_writer_text(w, seg, seglen);
            if (st == RETAIN_OK)
                st = retain_writer_text(w, label, strlen(label));
            int64_t v[5] = {row.customers_start, row.new_customers, row.reactivated, row.lost,
                            row.customers_end};
            for (int i = 0; i < 5 && st == RETAIN_OK; i++)
                st = retain_writer_int(w, v[i]);
            int64_t joined = row.new_customers + row.reactivated;
            bool defined = retain_retention_pct(row.customers_start, row.customers_end, joined,
                                                c->precision, pct);
            if (st == RETAIN_OK)
                st = defined ? retain_writer_number(w, pct) : retain_writer_empty(w);
            defined =
                retain_churn_pct(row.customers_start, row.customers_end, joined, c->precision, pct);
            if (st == RETAIN_OK)
                st = defined ? retain_writer_number(w, pct) : retain_writer_empty(w);
            if (st == RETAIN_OK)
                st = retain_writer_end_row(w);
        }
    }
    return cli_finish_output(c, w);
}

int cmd_rate(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_INPUT_LONGOPTS,
        CLI_OUTPUT_LONGOPTS,
        {"period", required_argument, NULL, OPT_PERIOD},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"by", required_argument, NULL, OPT_BY},
        {"customers-start", required_argument, NULL, OPT_S},
        {"customers-end", required_argument, NULL, OPT_E},
        {"new", required_argument, NULL, OPT_N},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    cli c;
    cli_init(&c, "rate");
    retain_rate_options o = {.period = RETAIN_PERIOD_MONTH};
    const char *from = NULL, *to = NULL;
    bool period_given = false, verbose = false;
    long long counts[3] = {-1, -1, -1}; /* S, E, N */
    int opt;
    int ended = EXIT_OK;
    while ((opt = cli_next_option(&c, argc, argv, "d:f:p:S:E:N:v", longopts, usage, &ended)) !=
           -1) {
        if (opt == CLI_DONE)
            return ended;
        switch (opt) {
        case OPT_PERIOD:
            period_given = true;
            if (!retain_period_kind_parse(optarg, &o.period))
                return cli_usage_error(&c,
                                       "--period takes day, week, month, quarter or year, "
                                       "not '%s'",
                                       optarg);
            break;
        case OPT_AS_OF:
            if (!cli_parse_date(optarg, &o.as_of))
                return cli_usage_error(&c, "--as-of takes a date such as 2024-03-31, not '%s'",
                                       optarg);
            o.has_as_of = true;
            break;
        case 'v':
            verbose = true;
            break;
        case OPT_FROM:
            from = optarg;
            break;
        case OPT_TO:
            to = optarg;
            break;
        case OPT_S:
        case OPT_E:
        case OPT_N: {
            int i = opt == OPT_S ? 0 : opt == OPT_E ? 1 : 2;
            if (!cli_parse_count(optarg, &counts[i]) || counts[i] > (1LL << 40))
                return cli_usage_error(&c, "-%c takes a count of customers, not '%s'", opt, optarg);
            break;
        }
        default:
            fprintf(stderr, "Try 'retain rate --help'.\n");
            return EXIT_USAGE;
        }
    }
    /* periods are read once --period is known, whatever the option order */
    if (from && !retain_period_parse(o.period, from, &o.from))
        return cli_usage_error(&c, "--from '%s' is not a %s (e.g. %s) nor a date", from,
                               retain_period_kind_name(o.period),
                               o.period == RETAIN_PERIOD_WEEK ? "2024-W09" : "2024-03");
    if (to && !retain_period_parse(o.period, to, &o.to))
        return cli_usage_error(&c, "--to '%s' is not a %s (e.g. %s) nor a date", to,
                               retain_period_kind_name(o.period),
                               o.period == RETAIN_PERIOD_WEEK ? "2024-W09" : "2024-03");
    o.has_from = from != NULL;
    o.has_to = to != NULL;

    if (counts[0] >= 0 || counts[1] >= 0 || counts[2] >= 0) {
        if (counts[0] < 0 || counts[1] < 0)
            return cli_usage_error(&c, "the one-liner needs -S and -E (and -N, default 0)");
        if (optind < argc)
            return cli_usage_error(&c, "the one-liner -S/-E/-N takes no input file");
        if (c.by || from || to || o.has_as_of || period_given || c.input.skip_bad)
            return cli_usage_error(&c, "the one-liner -S/-E/-N takes no table options "
                                       "(--period, --as-of, --from, --to, --by, --skip-bad)");
        return one_liner(&c, counts[0], counts[1], counts[2] < 0 ? 0 : counts[2]);
    }

    c.input.ignore_mrr = true; /* the rate counts customers, not revenue */
    c.input.unordered = true;  /* its counts do not depend on the order of rows */
    cli_rate_sink x = {retain_rate_new(&o), NULL, c.by != NULL, false};
    if (!x.rate) {
        fprintf(stderr, "retain rate: out of memory\n");
        return EXIT_OSERR;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int code = cli_read_table(&c, argc, argv, cli_rate_row, &x, &x.reader);
    retain_diag diag;
    if (code == EXIT_OK && retain_rate_finish(x.rate, &diag) != RETAIN_OK)
        code = cli_report(&c, &diag);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (verbose && code == EXIT_OK) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        size_t customers = retain_rate_customers(x.rate);
        size_t bytes = retain_rate_customer_bytes(x.rate);
        fprintf(stderr,
                "retain rate: %s: %lu rows, %zu customers in %.3f s; customer state %.1f MiB "
                "(%.1f bytes per customer)\n",
                c.filename, c.rows, customers, secs, (double)bytes / (1 << 20),
                customers ? (double)bytes / (double)customers : 0.0);
    }
    if (code == EXIT_OK)
        code = print_table(&c, x.rate, &o);
    retain_rate_free(x.rate);
    return code;
}
