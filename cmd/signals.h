/* What retain risk, nps and activation share: reading the customer table
 * and the event tables into one event accumulator (retain/events.h), the
 * note on rows whose id is no customer. */
#ifndef RETAIN_CMD_SIGNALS_H
#define RETAIN_CMD_SIGNALS_H

#include "cli.h"

/* Reads the customer table at path ("-": stdin) into ev, the --by column
 * as the segment, then closes the customers. Returns the exit code. */
int signals_read_customers(cli *c, const char *path, retain_events *ev);

/* Reads an event table of a kind at path into ev; then, on stderr, how
 * many of its rows name no customer. Returns the exit code. */
int signals_read_events(cli *c, retain_table_kind kind, const char *path, retain_events *ev);

/* Notes on stderr that n rows (what: "row", "answer") of the table at
 * path name no customer, with the line of the first when known. */
void signals_note_unknown(const cli *c, const char *path, uint64_t n, const char *what,
                          unsigned long line);

/* The latest date of an events table (a first pass over it, for the
 * default as-of), in *day. Returns the exit code; a usage error for stdin,
 * which cannot be read twice, or a data error when the table is empty. */
int signals_latest_date(cli *c, retain_table_kind kind, const char *path, const char *why,
                        retain_day *day);

/* A guess of that latest date from the end of the file
 * (retain_reader_guess_latest), in *day with *found; nothing found for
 * stdin or a file that cannot seek. Returns the exit code. */
int signals_guess_latest(cli *c, retain_table_kind kind, const char *path, retain_day *day,
                         bool *found);

#endif
