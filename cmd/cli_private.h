/* What the cli_*.c files (the subcommand skeleton of cli.h, one file per
 * concern) share among themselves; no subcommand includes it. */
#ifndef RETAIN_CLI_PRIVATE_H
#define RETAIN_CLI_PRIVATE_H

#include <stddef.h>

#include "cli.h"

/* An input option (every command reading a table has them): one line of
 * cli_input_options each, in cli_help.c. */
typedef struct {
    const char *name;
    int short_key; /* 0: long only */
    const char *arg;
    const char *help;
    enum { IN_TEXT, IN_FLAG, IN_PARSE } kind;
    size_t offset; /* IN_TEXT, IN_FLAG: the field of retain_reader_options */
    bool (*parse)(cli *c, const char *arg); /* IN_PARSE */
} cli_input_opt;

#define CLI_IN_TEXT(name, arg, field, help)                                                        \
    {                                                                                              \
        name, 0, arg, help, IN_TEXT, offsetof(retain_reader_options, field), NULL                  \
    }
#define CLI_IN_FLAG(name, field, help)                                                             \
    {                                                                                              \
        name, 0, NULL, help, IN_FLAG, offsetof(retain_reader_options, field), NULL                 \
    }
#define CLI_IN_PARSE(name, short_key, arg, fn, help)                                               \
    {                                                                                              \
        name, short_key, arg, help, IN_PARSE, 0, fn                                                \
    }

extern const cli_input_opt cli_input_options[];
extern const size_t cli_n_input;
/* The output and general options, every command's; ends with {NULL}. */
extern const cli_opt cli_output_options[];

/* The short option of a key: a letter is its own, other keys have none. */
static inline int cli_short_of(int key)
{
    return key > 0 && key < 256 ? key : 0;
}

/* Prints "retain CMD: ", or "retain: " for the program itself, on stderr. */
void cli_prefix(const cli *c);

/* Seconds on the monotonic clock (for -v). */
double cli_now(void);

#endif
