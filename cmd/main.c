/* retain: the command table and dispatch. Each subcommand lives in its own
 * file and parses its own options. */
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "cli.h"
#include "commands.h"

static const struct command {
    const char *name;
    cmd_fn fn;
    const char *summary;
} commands[] = {
    {"rate", cmd_rate, "retention rate (TRC) per period: start, new, won back, lost, end"},
    {"churn", cmd_churn, "churn by lifecycle stage (onboarding, renewal, long-term), by reason"},
    {"norm", cmd_norm, "rewrite any export as the canonical table id,start,end,mrr"},
    {"cohort", cmd_cohort, "cohort retention table: customers (or MRR) kept by age"},
    {"survival", cmd_survival, "Kaplan-Meier survival over tenure, median, RMST, log-rank"},
    {"ltv", cmd_ltv, "lifetime value from flags, a customer table, or piped churn_pct rows"},
    {"cac", cmd_cac, "acquisition cost per period and channel, LTV:CAC and payback"},
};

static void usage(FILE *out)
{
    fputs("Usage: retain COMMAND [OPTIONS] [FILE]\n"
          "       retain help COMMAND | --help | --version\n"
          "Retention analytics for customer tables exported from a CRM (CSV in, CSV out).\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "'retain COMMAND --help' or 'man retain-COMMAND' tells more about each.\n"
          "\n"
          "Examples:\n"
          "  retain rate crm.csv\n"
          "  retain rate -S 200 -E 210 -N 30\n"
          "  retain norm --date-format %d/%m/%Y --decimal , export-fr.csv | retain rate\n",
          out);
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int flush_stdout(void)
{
    cli c;
    cli_init(&c, "");
    c.cmd = "";
    return cli_flush_stdout(&c);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return flush_stdout();
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("retain %s (libcsv %d.%d.%d)\n", retain_version(), CSV_MAJOR, CSV_MINOR,
               CSV_RELEASE);
        return flush_stdout();
    }
    if (strcmp(name, "help") == 0) {
        if (argc == 2) {
            usage(stdout);
            return flush_stdout();
        }
        const struct command *cmd = find(argv[2]);
        if (!cmd) {
            fprintf(stderr, "retain: no command '%s'; see 'retain --help'\n", argv[2]);
            return EXIT_USAGE;
        }
        char *args[] = {argv[2], "--help", NULL};
        return cmd->fn(2, args);
    }
    const struct command *cmd = find(name);
    if (!cmd) {
        fprintf(stderr, "retain: no command '%s'; see 'retain --help'\n", name);
        return EXIT_USAGE;
    }
    /* getopt_long prefixes its messages with argv[0]: make it "retain CMD" */
    char prog[64];
    snprintf(prog, sizeof prog, "retain %s", cmd->name);
    argv[1] = prog;
    return cmd->fn(argc - 1, argv + 1);
}
