/* Parsing a command line: getopt_long over the command's option table and
 * the common ones, which are handled here. See cli.h. */
#include <string.h>

#include "cli_private.h"
#include "tables.h"

static void add_option(cli *c, size_t *n, const char *name, int key, bool has_arg)
{
    c->longopts[(*n)++] =
        (struct option){name, has_arg ? required_argument : no_argument, NULL, key};
    int s = cli_short_of(key);
    if (s) {
        size_t len = strlen(c->shortopts);
        c->shortopts[len++] = (char)s;
        if (has_arg)
            c->shortopts[len++] = ':';
        c->shortopts[len] = '\0';
    }
}

void cli_init(cli *c, const cli_command *spec)
{
    optind = 0; /* getopt starts anew for each command */
    memset(c, 0, sizeof *c);
    c->spec = spec;
    c->cmd = spec->name;
    c->filename = "stdin";
    c->format = RETAIN_FORMAT_CSV;
    c->precision = 2;
    c->period = RETAIN_PERIOD_MONTH;
    c->max_segments = CLI_MAX_SEGMENTS_DEFAULT;
    size_t n = 0;
    for (const cli_opt *o = spec->options; o && o->name; o++)
        add_option(c, &n, o->name, o->key, o->arg != NULL);
    for (size_t i = 0; i < cli_n_input; i++) {
        const cli_input_opt *o = &cli_input_options[i];
        add_option(c, &n, o->name, o->short_key ? o->short_key : OPT_INPUT_FIRST + (int)i,
                   o->arg != NULL);
    }
    cli_tables_add(c, &n);
    for (const cli_opt *o = cli_output_options; o->name; o++)
        if (o->key != OPT_EXCEL_SAFE || !spec->format_help)
            add_option(c, &n, o->name, o->key, o->arg != NULL);
    c->longopts[n] = (struct option){NULL, 0, NULL, 0};
}

void cli_args(cli *c, const cli_arg *args)
{
    c->args = args;
}

/* The option as the user typed it, for messages. */
static void note_option(cli *c, char **argv, int opt)
{
    static char name[80];
    const char *typed = NULL;
    if (optind >= 1 && optarg && optarg != argv[optind - 1])
        typed = argv[optind - 1]; /* --name=value or -Xvalue */
    else if (optind >= 2 && optarg)
        typed = argv[optind - 2];
    else if (optind >= 1)
        typed = argv[optind - 1];
    const char *longname = NULL;
    for (const struct option *o = c->longopts; o->name; o++)
        if (o->val == opt)
            longname = o->name;
    if (typed && strncmp(typed, "--", 2) == 0 && longname)
        snprintf(name, sizeof name, "--%s", longname);
    else if (cli_short_of(opt))
        snprintf(name, sizeof name, "-%c", opt);
    else
        snprintf(name, sizeof name, "--%s", longname ? longname : "?");
    c->option = name;
}

static const cli_input_opt *input_option(int opt)
{
    for (size_t i = 0; i < cli_n_input; i++)
        if (opt == (cli_input_options[i].short_key ? cli_input_options[i].short_key
                                                   : OPT_INPUT_FIRST + (int)i))
            return &cli_input_options[i];
    return NULL;
}

/* A date option (--as-of, the commands' own): false when arg is none, the
 * usage error said. */
static bool read_date(cli *c, const char *arg, retain_day *day)
{
    if (retain_date_parse(arg, strlen(arg), NULL, day))
        return true;
    cli_usage_error(c, "%s takes a date such as 2024-03-31, not '%s'", c->option, arg);
    return false;
}

/* Handles a common or input option: 1 handled, 0 not one, -1 usage error
 * said. */
static int common_option(cli *c, int opt, const char *arg)
{
    if (cli_table_option(c, opt, arg))
        return 1;
    for (const cli_arg *a = c->args; a && a->key; a++) {
        if (a->key != opt)
            continue;
        if (a->number && !cli_number(c, arg, a->kind, a->what, a->min, a->max, a->number))
            return -1;
        if (a->count && !cli_count(c, arg, a->what, (long long)a->min, (long long)a->max, a->count))
            return -1;
        if (a->day && !read_date(c, arg, a->day))
            return -1;
        if (a->given)
            *a->given = true;
        if (a->text)
            *a->text = arg;
        return 1;
    }
    const cli_input_opt *in = input_option(opt);
    if (in) {
        char *field = (char *)&c->input + in->offset;
        switch (in->kind) {
        case IN_TEXT:
            memcpy(field, &arg, sizeof arg);
            return 1;
        case IN_FLAG:
            *(bool *)field = true;
            return 1;
        case IN_PARSE:
            return in->parse(c, arg) ? 1 : -1;
        }
    }
    switch (opt) {
    case 'f':
        if (c->spec->format_help)
            return 0; /* the command's own formats */
        if (!retain_format_parse(arg, &c->format))
            return cli_usage_error(c, "--format takes csv, tsv, json or table, not '%s'", arg), -1;
        return 1;
    case 'p': {
        long long p;
        if (!cli_count(c, arg, "a whole number from 0 to 9", 0, 9, &p))
            return -1;
        c->precision = (int)p;
        c->precision_given = true;
        return 1;
    }
    case 'v':
        c->verbose = true;
        return 1;
    case OPT_EXCEL_SAFE:
        c->excel_safe = true;
        return 1;
    case 'q':
        c->quiet = true;
        return 1;
    case OPT_AS_OF:
        if (!read_date(c, arg, &c->as_of))
            return -1;
        c->has_as_of = true;
        return 1;
    case OPT_PERIOD:
        if (!retain_period_kind_parse(arg, &c->period) ||
            (!c->spec->period_day && c->period == RETAIN_PERIOD_DAY))
            return cli_usage_error(c, "--period takes %sweek, month, quarter or year, not '%s'",
                                   c->spec->period_day ? "day, " : "", arg),
                   -1;
        c->period_given = true;
        return 1;
    case OPT_FROM:
        c->from_text = arg;
        return 1;
    case OPT_TO:
        c->to_text = arg;
        return 1;
    case OPT_BY:
        c->by = arg;
        return 1;
    case OPT_MAX_SEGMENTS: {
        long long n;
        if (!cli_count(c, arg, "a number of segments from 1 to 100000000", 1, 100000000, &n))
            return -1;
        c->max_segments = (size_t)n;
        return 1;
    }
    case OPT_MERGE_GAP: {
        long long days;
        if (!cli_count(c, arg, "a number of days from 0 to 36525", 0, RETAIN_MERGE_GAP_MAX, &days))
            return -1;
        c->merge_gap = (int32_t)days;
        return 1;
    }
    }
    return 0;
}

const char *cli_period_example(retain_period_kind kind)
{
    static const char *const example[] = {"2024-03-15", "2024-W09", "2024-03", "2024-Q1", "2024"};
    return example[kind];
}

/* --from and --to, once --period is known. */
static bool read_range(cli *c)
{
    const char *text[2] = {c->from_text, c->to_text};
    int32_t *out[2] = {&c->from, &c->to};
    bool *has[2] = {&c->has_from, &c->has_to};
    for (int i = 0; i < 2; i++) {
        if (!text[i])
            continue;
        if (!retain_period_parse(c->period, text[i], out[i])) {
            cli_usage_error(c, "--%s '%s' is not a %s (e.g. %s) nor a date", i ? "to" : "from",
                            text[i], retain_period_kind_name(c->period),
                            cli_period_example(c->period));
            return false;
        }
        *has[i] = true;
    }
    return true;
}

int cli_next(cli *c, int argc, char **argv)
{
    for (;;) {
        int opt = getopt_long(argc, argv, c->shortopts, c->longopts, NULL);
        if (opt == -1) {
            if (!read_range(c)) {
                c->code = EXIT_USAGE;
                return CLI_DONE;
            }
            return -1;
        }
        if (opt == '?') { /* getopt_long said what was wrong */
            fprintf(stderr, "Try 'retain %s --help'.\n", c->cmd);
            c->code = EXIT_USAGE;
            return CLI_DONE;
        }
        note_option(c, argv, opt);
        if (opt == 'h') {
            cli_help(c->spec, stdout);
            c->code = cli_flush_stdout(c);
            return CLI_DONE;
        }
        int handled = common_option(c, opt, optarg);
        if (handled < 0) {
            c->code = EXIT_USAGE;
            return CLI_DONE;
        }
        if (handled == 0)
            return opt;
    }
}
