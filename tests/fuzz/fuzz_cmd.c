/* libFuzzer harness over one subcommand's entry (compiled once per
 * command with -DFUZZ_COMMAND=NAME_command): the input is a customer
 * table (or, for the commands that read one, a spend, LTV, events,
 * tickets, survey, orders, goals, ROI or referrals table, a model or
 * fitted parameters; an orders table for repeat, rfm and clv; nps's
 * survey), run with options chosen by its first two bytes. The report
 * runs as HTML (no set asks for -f pdf, whose cairo rendering is slow, nor
 * for -f md, which writes files with --assets). Every run must end with a
 * documented exit code; ASan and UBSan catch the rest (crashes, leaks,
 * overflows). Run with -close_fd_mask=2 to drop the commands' messages;
 * stdout goes to /dev/null. FUZZ_VERBOSE=1 in the environment: each run's
 * command line and exit code on stderr. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fuzz.h"

#ifndef FUZZ_COMMAND
#error "compile with -DFUZZ_COMMAND=rate_command (or another command)"
#endif

/* Option sets; "@" is the input's path. */
static const char *const options[][3] = {
    {NULL},
    {"--skip-bad"},
    {"--by", "plan"},
    {"-f", "table"},
    {"-f", "json"},
    {"--as-of", "2024-06-30"},
    {"--period", "week"},
    {"--period", "quarter"},
    {"--period", "day"},
    {"--date-format", "%d/%m/%Y"},
    {"--decimal", ","},
    {"-p", "0"},
    {"--revenue"},
    {"--wide"},
    {"--reason", "reason"},
    {"--stages", "30,90,365"},
    {"--summary"},
    {"--compare", "--by", "plan"},
    {"--method", "survival"},
    {"--keep", "plan"},
    {"--spend-table", "@"},
    {"--ltv-table", "@"},
    {"--spend-table", "@", "--by"},
    {"--mrr", "id"},
    {"--end", "start"},
    {"--as-of", "9999-12-31"},
    {"--as-of", "1025-01-20"},
    {"--customers"},
    {"--annual", "--arr"},
    {"--merge-gap", "30"},
    {"--events", "@"},
    {"--events", "@", "--tickets"},
    {"--referrals", "@"},
    {"--latest"},
    {"--below", "9"},
    {"--cents"},
    /* activation, score, repeat, rfm, clv, report */
    {"--events", "@", "--onboarding"},
    {"--event", "login"},
    {"--within", "30"},
    {"--survey", "@"},
    {"--orders", "@"},
    {"--tickets", "@"},
    {"--horizon", "30"},
    {"--train-days", "60"},
    {"--report"},
    {"--features"},
    {"--apply", "@"},
    {"--c", "0.5"},
    {"--unit", "week"},
    {"--holdout-from", "2024-01-01"},
    {"--model", "sbg"},
    {"--fit-only"},
    {"--with-params", "@"},
    {"--months", "3"},
    {"--discount", "5%"},
    {"--period", "year"},
    {"--lang", "fr"},
    {"--account", "C001"},
    {"--goals", "@"},
    {"--roi", "@"},
    {"--margin", "80%"},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

/* The runs take place in a directory of their own, for the files an
 * option names: score's --model sbg (meant for clv) writes a file "sbg". */
static char dir[] = "/tmp/retain-fuzz-XXXXXX";
static int home = -1; /* the directory the harness started in */

static void remove_dir(void)
{
    char path[sizeof dir + 8];
    snprintf(path, sizeof path, "%s/sbg", dir);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    int null = open("/dev/null", O_WRONLY);
    if (null < 0 || dup2(null, 1) < 0)
        abort();
    close(null);
    home = open(".", O_RDONLY | O_DIRECTORY);
    if (home < 0 || !mkdtemp(dir))
        abort();
    atexit(remove_dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    FILE *f = fuzz_file(data + 2, size - 2);
    char path[64];
    fuzz_path(f, path, sizeof path);
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)FUZZ_COMMAND.name;
    for (int k = 0; k < 2; k++) {
        const char *const *set = options[data[k] % N_OPTIONS];
        for (int i = 0; i < 3 && set[i]; i++)
            argv[argc++] = (char *)(strcmp(set[i], "@") == 0 ? path : set[i]);
    }
    argv[argc++] = path;
    argv[argc] = NULL;
    if (chdir(dir) != 0)
        abort();
    cli c;
    cli_init(&c, &FUZZ_COMMAND);
    int code = FUZZ_COMMAND.run(&c, argc, argv);
    cli_done(&c); /* as main.c: what the run kept (the table's reader) */
    if (fchdir(home) != 0)
        abort();
    fflush(stdout);
    clearerr(stdout);
    fclose(f);
    if (getenv("FUZZ_VERBOSE")) { /* what ran: to read a reproducer */
        fprintf(stderr, "fuzz: retain");
        for (int i = 0; i < argc; i++)
            fprintf(stderr, " %s", argv[i]);
        fprintf(stderr, ": exit %d\n", code);
    }
    FUZZ_CHECK(code == 0 || code == 64 || code == 65 || code == 66 || code == 71 || code == 74);
    return 0;
}
