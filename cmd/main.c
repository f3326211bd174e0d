/* retain: the command table and dispatch. Each subcommand lives in its own
 * file, described by a cli_command (see cli.h). */
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "cli.h"
#include "commands.h"

static const cli_command *const commands[] = {
    &rate_command,     &churn_command,  &norm_command,   &cohort_command, &survival_command,
    &ltv_command,      &cac_command,    &risk_command,   &nps_command,    &activation_command,
    &score_command,    &report_command, &repeat_command, &rfm_command,    &clv_command,
    &referral_command, &mrr_command,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* The program itself, for its own messages ("retain: ..."). */
static const cli_command top = {.name = ""};

static void usage(FILE *out)
{
    fputs("Usage: retain COMMAND [OPTIONS] [FILE]\n"
          "       retain help COMMAND | --help | --version\n"
          "Retention analytics for customer tables exported from a CRM (CSV in, CSV out).\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\n"
          "'retain COMMAND --help' or 'man retain-COMMAND' tells more about each.\n"
          "\n"
          "Examples:\n"
          "  retain rate crm.csv\n"
          "  retain rate -S 200 -E 210 -N 30\n"
          "  retain norm --date-format %d/%m/%Y --decimal , export-fr.csv | retain rate\n",
          out);
}

static const cli_command *find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static int flush_stdout(void)
{
    cli c;
    cli_init(&c, &top);
    return cli_flush_stdout(&c);
}

static int run(const cli_command *cmd, int argc, char **argv)
{
    cli c;
    cli_init(&c, cmd);
    int code = cmd->run(&c, argc, argv);
    cli_done(&c);
    return code;
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
    if (strcmp(name, "--bash-completion") == 0) { /* for the build: see cmd/completion.c */
        cli_completion_bash(commands, N_COMMANDS, stdout);
        return flush_stdout();
    }
    if (strcmp(name, "help") == 0) {
        if (argc == 2) {
            usage(stdout);
            return flush_stdout();
        }
        const cli_command *cmd = find(argv[2]);
        if (!cmd) {
            fprintf(stderr, "retain: no command '%s'; see 'retain --help'\n", argv[2]);
            return EXIT_USAGE;
        }
        char *args[] = {argv[2], "--help", NULL};
        return run(cmd, 2, args);
    }
    const cli_command *cmd = find(name);
    if (!cmd) {
        fprintf(stderr, "retain: no command '%s'; see 'retain --help'\n", name);
        return EXIT_USAGE;
    }
    /* getopt_long prefixes its messages with argv[0]: make it "retain CMD" */
    char prog[64];
    snprintf(prog, sizeof prog, "retain %s", cmd->name);
    argv[1] = prog;
    return run(cmd, argc - 1, argv + 1);
}
