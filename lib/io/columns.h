/* Table kinds, their roles and the headers recognised for them; the one
 * header-name matcher. Not exported (retain/reader.h has the public part). */
#ifndef RETAIN_COLUMNS_H
#define RETAIN_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include <retain/reader.h>

/* A recognised header. Lower ranks win where a table has columns for the
 * same role at two ranks; two columns at the best rank are ambiguous. */
typedef struct {
    const char *name;
    unsigned char rank;
    unsigned char flags;
} rt_alias;

enum {
    RT_ALIAS_ARR = 1,      /* an annual amount: recognised for MRR only with --arr */
    RT_ALIAS_CENTS = 2,    /* minor units: recognised only with --cents */
    RT_ALIAS_CONTAINS = 4, /* any header containing the name */
};

/* The aliases of a role in a kind, ended by a NULL name; NULL when the kind
 * has no such role. */
const rt_alias *rt_aliases(retain_table_kind kind, retain_column_role role);

/* The role's declaration in a kind; NULL when the kind has no such role. */
const retain_role_info *rt_role_info(retain_table_kind kind, retain_column_role role);

/* Whether part occurs in name, both compared as retain_name_equal() does. */
bool rt_name_contains(const char *name, const char *part);

/* Whether an alias matches a header name. */
bool rt_alias_matches(const rt_alias *a, const char *name);

#endif
