/* retain report: the monthly or quarterly report of a company as one HTML
 * file, a PDF, or Markdown with its charts as SVG files. */
#include <string.h>

#include <retain/report.h>

#include "cli.h"
#include "commands.h"
#include "signals.h"
#include "tables.h"

enum {
    OPT_STAGES = OPT_FIRST_FREE,
    OPT_MARGIN,
    OPT_GOALS,
    OPT_LANG,
    OPT_ASSETS,
    OPT_ACCOUNT,
    OPT_EVENTS,
    OPT_TICKETS,
    OPT_SURVEY,
    OPT_ROI,
    OPT_SPEND_TABLE,
    OPT_PAPER,
};

static const cli_opt options[] = {
    {CLI_PERIOD("month (default) or quarter: the period reported is\nthe one holding as-of")},
    {CLI_AS_OF},
    {CLI_BY("Kaplan-Meier curves, CAC and LTV:CAC by the values of\ncolumn COL (a channel)")},
    {CLI_MERGE_GAP},
    {"stages", OPT_STAGES, "LIST", "tenure stages in days (default 90,365), as retain churn"},
    {"margin", OPT_MARGIN, "M", "gross margin for LTV, 0.8 or 80% (default 1)"},
    {"goals", OPT_GOALS, "FILE", "goals: columns metric, target, higher_is_better"},
    {"lang", OPT_LANG, "L", "en (default) or fr: labels, numbers and dates"},
    {"assets", OPT_ASSETS, "DIR", "md: the directory the chart SVG files go to"},
    {"account", OPT_ACCOUNT, "ID", "the quarterly business review of customer ID instead"},
    {"events", OPT_EVENTS, "FILE", "product events: next steps; --account: usage by kind"},
    {"tickets", OPT_TICKETS, "FILE", "support tickets"},
    {"survey", OPT_SURVEY, "FILE", "NPS answers: detractors to call, expansion candidates"},
    {"roi", OPT_ROI, "FILE", "--account: ROI figures: columns metric, before, after, unit"},
    {"spend-table", OPT_SPEND_TABLE, "FILE",
     "spend per period (and channel): CAC and LTV:CAC, as\nretain cac --spend-table"},
    {"paper", OPT_PAPER, "SIZE",
     "a4 or letter: the PDF's pages (default a4); HTML asks\nfor it when printed "
     "(default: the printer's paper)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command report_command = {
    .name = "report",
    .summary = "the monthly or quarterly report as HTML, PDF or Markdown, with charts",
    .usage = "Usage: retain report [OPTIONS] [FILE]\n"
             "       retain report --account ID [--events F] [--tickets F] [--survey F] [FILE]\n"
             "The report of the month (or quarter) holding as-of, from a customer table (CSV;\n"
             "stdin when FILE is absent or '-'): headline figures against the previous\n"
             "period and the same period a year earlier, goals against results, charts\n"
             "(retention trend, MRR movements, cohort heatmap, Kaplan-Meier curves, churn by\n"
             "stage and reason), next steps. Every figure is the one the subcommand prints\n"
             "for the same input (retain rate, churn, cohort, survival, mrr, ltv, nps); a\n"
             "section without its input is left out and named under \"Not included\".\n"
             "With --account: the quarterly business review of one customer (its goals,\n"
             "usage and tickets by kind against the quarter before, NPS answers, MRR\n"
             "history, tenure, next renewal, ROI, next steps from its signals).\n",
    .options = options,
    .examples =
        "  retain report crm.csv > report.html\n"
        "  retain report --period quarter --as-of 2025-06-30 -f pdf crm.csv > q2.pdf\n"
        "  retain report -f md --assets charts --lang fr crm.csv > rapport.md\n"
        "  retain report --account 8387683344 -f pdf --paper letter --events events.csv \\\n"
        "      --survey nps.csv --roi roi.csv crm.csv > qbr.pdf\n",
    .format_help = "html (default: one self-contained file), pdf or md",
    .tables = (const retain_table_kind[]){RETAIN_TABLE_EVENTS, RETAIN_TABLE_TICKETS,
                                          RETAIN_TABLE_SURVEY, 0},
    .run = run,
};

/* The tables of --events, --tickets and --survey, in that order: their
 * kind, their rows into a company report and into a review, and what a
 * row is (for the note on rows naming no customer). */
static const struct {
    retain_table_kind kind;
    retain_row_fn report, review;
    const char *what;
} others[3] = {
    {RETAIN_TABLE_EVENTS, retain_report_events, retain_qbr_events, "event"},
    {RETAIN_TABLE_TICKETS, retain_report_tickets, retain_qbr_tickets, "ticket"},
    {RETAIN_TABLE_SURVEY, retain_report_answers, retain_qbr_answers, "answer"},
};

static int read_goals(cli *c, retain_report *r, retain_qbr *q, const char *path)
{
    retain_table *t = NULL;
    int code = cli_read_small(c, path, 0, &t);
    retain_diag diag;
    if (code == EXIT_OK &&
        (r ? retain_report_goals(r, t, &diag) : retain_qbr_goals(q, t, &diag)) != RETAIN_OK)
        code = cli_report_file(c, path, &diag);
    retain_table_free(t);
    return code;
}

/* The document on stdout; out->date is set to as_of. */
static int write_doc(cli *c, const retain_doc *doc, retain_doc_output *out, retain_day as_of)
{
    retain_diag diag;
    retain_diag_clear(&diag);
    out->date = as_of;
    retain_status st = retain_doc_write(doc, out, stdout, &diag);
    if (st == RETAIN_ERR_OPEN)
        return cli_report(c, &diag);
    if (st == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    return cli_flush_stdout(c);
}

/* retain report --account ID */
static int review(cli *c, int argc, char **argv, const retain_qbr_options *o, const char *goals,
                  const char *roi, const char *const *path, retain_doc_output *out)
{
    retain_diag diag;
    retain_qbr *q = retain_qbr_new(o, &diag);
    retain_table *roi_table = NULL;
    int code = q ? EXIT_OK : cli_report(c, &diag);
    if (code == EXIT_OK && goals)
        code = read_goals(c, NULL, q, goals);
    if (code == EXIT_OK && roi && (code = cli_read_small(c, roi, 0, &roi_table)) == EXIT_OK &&
        retain_qbr_roi(q, roi_table, &diag) != RETAIN_OK)
        code = cli_report_file(c, roi, &diag);
    if (code == EXIT_OK)
        code = cli_read_table(c, argc, argv, retain_qbr_customer, q, NULL);
    for (int k = 0; k < 3 && code == EXIT_OK; k++)
        if (path[k])
            code = cli_read_other(c, others[k].kind, path[k], 0, 0, 0, others[k].review, q);
    if (code == EXIT_OK && retain_qbr_finish(q, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK)
        code = write_doc(c, retain_qbr_document(q), out, retain_qbr_as_of(q));
    retain_qbr_free(q);
    retain_table_free(roi_table);
    return code;
}

static int run(cli *c, int argc, char **argv)
{
    const char *stages_spec = NULL, *goals = NULL, *account = NULL, *roi = NULL;
    const char *spend = NULL;
    const char *path[3] = {NULL, NULL, NULL};
    retain_doc_output out = {RETAIN_DOC_HTML, RETAIN_PAPER_ANY, NULL, 0};
    retain_report_options o = {.segment_extra = -1, .reason_extra = -1, .margin = 1};
    const cli_arg args[] = {
        CLI_ARG_TEXT(OPT_STAGES, &stages_spec),
        CLI_ARG_NUMBER(OPT_MARGIN, &o.margin, NULL, CLI_NUM_FRACTION, "a fraction above 0, up to 1",
                       1e-9, 1),
        CLI_ARG_TEXT(OPT_GOALS, &goals),
        CLI_ARG_TEXT(OPT_ASSETS, &out.assets),
        CLI_ARG_TEXT(OPT_ACCOUNT, &account),
        CLI_ARG_TEXT(OPT_EVENTS, &path[0]),
        CLI_ARG_TEXT(OPT_TICKETS, &path[1]),
        CLI_ARG_TEXT(OPT_SURVEY, &path[2]),
        CLI_ARG_TEXT(OPT_ROI, &roi),
        CLI_ARG_TEXT(OPT_SPEND_TABLE, &spend),
        {0},
    };
    cli_args(c, args);
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        switch (opt) {
        case OPT_LANG:
            if (!retain_lang_parse(optarg, &o.lang))
                return cli_usage_error(c, "--lang takes en or fr, not '%s'", optarg);
            break;
        case OPT_PAPER:
            if (!retain_paper_parse(optarg, &out.paper))
                return cli_usage_error(c, "--paper takes a4 or letter, not '%s'", optarg);
            break;
        case 'f':
            if (!retain_doc_format_parse(optarg, &out.format))
                return cli_usage_error(c, "--format takes html, pdf or md, not '%s'", optarg);
            break;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    retain_diag diag;
    if (retain_doc_output_check(&out, &diag) != RETAIN_OK)
        return cli_report(c, &diag);
    if (c->period_given && c->period != RETAIN_PERIOD_MONTH && c->period != RETAIN_PERIOD_QUARTER)
        return cli_usage_error(c, "--period takes month or quarter for a report");
    o.period = c->period;
    o.precision = c->precision;
    o.merge_gap = c->merge_gap;
    o.other_tables = path[0] || path[1] || path[2];
    o.has_as_of = c->has_as_of;
    o.as_of = c->as_of;
    retain_stages *stages = retain_stages_parse(stages_spec, &diag);
    if (!stages)
        return cli_report(c, &diag);
    o.stages = stages;
    if (account) {
        retain_qbr_options qo = retain_qbr_options_of(&o, account);
        int code = review(c, argc, argv, &qo, goals, roi, path, &out);
        retain_stages_free(stages);
        return code;
    }
    if (roi)
        return retain_stages_free(stages), cli_usage_error(c, "--roi goes with --account");
    if (c->by) { /* cli_read_table gives the --by column as the first extra one */
        o.segment_extra = 0;
        o.segment_name = c->by;
    }
    c->input.want = RETAIN_REPORT_COLUMNS;
    c->name_mrr = true; /* a negative MRR is named as retain mrr names it */
    retain_report *r = retain_report_new(&o, &diag);
    int code = r ? EXIT_OK : cli_report(c, &diag);
    if (code == EXIT_OK && goals)
        code = read_goals(c, r, NULL, goals);
    retain_table *spend_table = NULL;
    if (code == EXIT_OK && spend && (code = cli_read_small(c, spend, 0, &spend_table)) == EXIT_OK &&
        retain_report_spend(r, spend_table, &diag) != RETAIN_OK)
        code = cli_report_file(c, spend, &diag);
    if (code == EXIT_OK)
        code = cli_read_table(c, argc, argv, retain_report_row, r, NULL);
    for (int k = 0; k < 3 && code == EXIT_OK; k++)
        if (path[k])
            code = cli_read_other(c, others[k].kind, path[k], 0, 0, 0, others[k].report, r);
    if (code == EXIT_OK && retain_report_finish(r, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) /* as retain rate says it */
        CLI_REPORT_DUPLICATES(c, retain_report_duplicates, r);
    for (int k = 0; k < 3 && code == EXIT_OK; k++) {
        unsigned long line;
        uint64_t unknown = path[k] ? retain_report_unknown(r, others[k].kind, &line) : 0;
        if (unknown) /* as retain nps says it */
            signals_note_unknown(c, path[k], unknown, others[k].what, line);
    }
    if (code == EXIT_OK) {
        cli_verbose(c, 0, 0);
        code = write_doc(c, retain_report_document(r), &out, retain_report_as_of(r));
    }
    retain_report_free(r);
    retain_table_free(spend_table);
    retain_stages_free(stages);
    return code;
}
