/* The customer-table reader: header mapping and field conversion on the
 * records that csvstream (libcsv on a thread of its own) hands over. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <retain/reader.h>

#include "columns.h"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "csvstream.h"
#include "internal.h"

#define SKIP_LINES_KEPT 8
#define FOOTER_MAX 32 /* records of a report footer, at most */

/* A possible report footer: records that are not data (another field
 * count, an empty id or date) from one on. It is a footer if nothing but
 * such records follows to the end of the input; a data row after it makes
 * its first record the error it is. One for the part read in order, one
 * for the chunk from the end being read. */
typedef struct {
    bool pending;
    bool seen_data;        /* a data row came before, in this part */
    unsigned long line;    /* of its first record (in its chunk, for one) */
    unsigned long records; /* in it */
    retain_diag diag;      /* what its first record would fail with */
    char text[100];        /* its first non-empty cell, quoted */
} footer_state;

/* A file of the table, for the lines of duplicate rows: its name and, when
 * chunks were taken from its end, the line each chunk starts on. */
typedef struct {
    char *name;
    unsigned long *chunk_line; /* [chunk]: chunk 1 .. nchunks */
    size_t nchunks;
} file_info;

/* Where a row is, as an order key in the table: the file's index in the
 * top byte, then the line for a row read in order, or a flag, the chunk
 * (inverted: chunks are taken from the end backwards) and the line in
 * the chunk. Numbers compare as the rows come in the files. */
#define PLACE_FILE_SHIFT 56
#define PLACE_CHUNK (1ULL << 55)
#define PLACE_CHUNKS 0x7FFFFFUL

/* A value the reader hands over: a role or an extra column. */
#define SLOT_EXTRA RETAIN_COL_ROLES

struct retain_reader {
    /* options */
    retain_table_kind kind;
    char delimiter;
    char *column[RETAIN_COL_ROLES];
    uint32_t want, required; /* role sets */
    bool need_mrr, ignore_mrr;
    bool arr, cents, end_inclusive;
    char *encoding;
    retain_date_format *date_format;
    char *date_format_text;
    char decimal;
    /* No --decimal: in a semicolon file the amounts tell the separator
     * (decimal_auto), the first one that does decides it for the file
     * (decimal_line, 0 while none did): see convert_money. */
    char decimal_opt;
    bool decimal_auto;
    unsigned long decimal_line;
    const char *const *extra;
    size_t n_extra;
    bool skip_bad;
    bool empty_ok; /* a header and no row is an empty table */
    bool unordered;
    /* the options, their texts the reader's copies: for a read again in
     * order (see recheck_in_order) */
    retain_reader_options opt;

    /* several files of one table */
    char opt_delimiter;
    unsigned long reads;
    char *name, *first_name;
    uint32_t first_roles;
    char first_column[RETAIN_COL_ROLES][64];

    /* header */
    unsigned long header_line;
    bool header_done;
    rt_buf header;    /* NUL-separated names as in the file */
    size_t ncols;     /* fields in the header */
    size_t *name_off; /* offsets into header */
    size_t name_cap;
    int *slot_col;  /* column of each slot, -1 when absent */
    int *col_slot;  /* first slot of each column, -1 when unused */
    int *slot_next; /* next slot on the same column */
    size_t nslots;
    uint32_t *used; /* the slots that have a column, nused of them */
    size_t nused;

    /* current record, and the row made of it */
    retain_row row;
    const char **slot_ptr;
    size_t *slot_len;
    const char **extra_ptr;
    size_t *extra_len;
    unsigned long rec_line;
    unsigned long rec_chunk; /* 0, or the chunk from the end it is in: then
                                rec_line counts from the chunk's start */
    rt_csvstream *stream;    /* during a read */

    /* outcome */
    retain_row_fn fn;
    void *user;
    retain_diag *diag;
    retain_status status;
    unsigned long rows, skipped;
    uint64_t money_total; /* |mrr| of the rows handed over, in all the table's
                             files read so far: see rt_money_tally */
    uint64_t money_base;  /* money_total before the file being read */
    size_t max_segments;  /* distinct values of extra[0] allowed, 0: any */
    /* A row that does not fit the total or the segment cap (over), in an
     * unordered read that took chunks from the end (stealing): the cap is
     * passed in the order the rows came, not that of the file, so the
     * first problem in the file is found by reading it again (recheck). */
    bool stealing, over, recheck;
    /* For that read again: the byte (from the input's start) of the
     * chunk with a problem held back, -1 when none; after the read,
     * whether it was passed between records and its line. */
    long long mark;
    bool mark_ok;
    unsigned long mark_line;
    uint64_t *seg_hash; /* their hashes (never 0), open addressing */
    size_t seg_n, seg_cap;
    unsigned long skipped_lines[SKIP_LINES_KEPT];
    retain_diag first_skip;   /* why the first skipped row was bad */
    unsigned long empty_rows; /* of empty cells only, skipped */
    footer_state front_footer, back_footer;
    bool tail_footer; /* all after the chunk read last is footer (or nothing) */
    unsigned long footer_records, footer_line, footer_chunk;
    char footer_text[100];

    /* Problems in chunks from the end (unordered reads), kept apart until
     * the part before them was read: an earlier problem wins. Chunks come
     * from the end backwards, so each one's problems precede those kept. */
    retain_status back_status;
    retain_diag back_diag;
    unsigned long back_diag_chunk;
    unsigned long back_skipped, back_skip_chunk, back_skip_in_chunk;
    struct {
        unsigned long chunk, line;
    } back_skips[SKIP_LINES_KEPT];
    retain_diag back_first_skip;
    unsigned long back_first_skip_chunk;

    /* exact duplicate rows (customer tables, unless keep_duplicates):
     * fingerprints, and the files for the lines of places */
    bool dedup;
    file_info *files;
    size_t nfiles;
};

/* ---- options ---------------------------------------------------------- */

retain_status retain_reader_set_name(retain_reader *r, const char *name)
{
    char *copy = name ? strdup(name) : NULL;
    if (name && !copy)
        return RETAIN_ERR_NOMEM;
    free(r->name);
    r->name = copy;
    return RETAIN_OK;
}

bool retain_encoding_known(const char *name)
{
    return rt_encoding_known(name);
}

/* The option that names a role's column, for messages: --id, --events-date. */
static const char *role_flag(const retain_reader *r, int role, char *buf, size_t size)
{
    const retain_role_info *ri = rt_role_info(r->kind, (retain_column_role)role);
    if (r->kind == RETAIN_TABLE_CUSTOMERS)
        snprintf(buf, size, "--%s", ri->name);
    else
        snprintf(buf, size, "--%s-%s", retain_table_kind_name(r->kind), ri->name);
    return buf;
}

static const char *role_what(const retain_reader *r, int role)
{
    return rt_role_info(r->kind, (retain_column_role)role)->what;
}

/* The roles to look for and those that must be there. */
static bool choose_roles(retain_reader *r, const retain_reader_options *o, retain_diag *diag)
{
    const retain_role_info *roles;
    size_t n = retain_table_kind_roles(o->kind, &roles);
    uint32_t all = 0, required = 0;
    for (size_t i = 0; i < n; i++) {
        all |= RETAIN_ROLE_BIT(roles[i].role);
        if (roles[i].required)
            required |= RETAIN_ROLE_BIT(roles[i].role);
    }
    for (int k = 0; k < RETAIN_COL_ROLES; k++) {
        if (o->column[k] && !(all & RETAIN_ROLE_BIT(k))) {
            rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "a %s table has no column role %d",
                    retain_table_kind_name(o->kind), k);
            return false;
        }
    }
    uint32_t want = o->want ? o->want & all : all & ~RETAIN_ROLE_BIT(RETAIN_COL_REASON);
    if (r->kind == RETAIN_TABLE_CUSTOMERS && r->ignore_mrr)
        want &= ~RETAIN_ROLE_BIT(RETAIN_COL_MRR);
    if (r->need_mrr)
        required |= RETAIN_ROLE_BIT(RETAIN_COL_MRR);
    required = ((required | o->require) & all) & ~o->optional;
    for (int k = 0; k < RETAIN_COL_ROLES; k++)
        if (o->column[k])
            want |= RETAIN_ROLE_BIT(k);
    r->want = want | required;
    r->required = required;
    return true;
}

retain_reader *retain_reader_new(const retain_reader_options *o, retain_diag *diag)
{
    retain_reader *r = calloc(1, sizeof *r);
    if (!r) {
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        return NULL;
    }
    if (o->delimiter && o->delimiter != ',' && o->delimiter != ';' && o->delimiter != '\t' &&
        o->delimiter != '|') {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "delimiter must be ',', ';', '|' or a tab");
        goto fail;
    }
    if (o->decimal && o->decimal != '.' && o->decimal != ',') {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "decimal separator must be '.' or ','");
        goto fail;
    }
    if ((unsigned)o->kind >= RETAIN_TABLE_KINDS) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "no such table kind: %d", (int)o->kind);
        goto fail;
    }
    if (o->encoding && !rt_encoding_known(o->encoding)) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                "unknown encoding \"%s\": say utf-8, cp1252, latin1, latin9 or utf-16",
                o->encoding);
        goto fail;
    }
    if (o->encoding && !(r->encoding = strdup(o->encoding)))
        goto nomem;
    r->kind = o->kind;
    r->delimiter = r->opt_delimiter = o->delimiter;
    r->need_mrr = o->need_mrr && o->kind == RETAIN_TABLE_CUSTOMERS;
    r->ignore_mrr = o->ignore_mrr && !r->need_mrr;
    r->arr = o->arr;
    r->cents = o->cents;
    r->end_inclusive = o->end_inclusive;
    if (!choose_roles(r, o, diag))
        goto fail;
    r->decimal = o->decimal ? o->decimal : '.';
    r->decimal_opt = o->decimal;
    r->extra = o->extra;
    r->n_extra = o->n_extra;
    r->skip_bad = o->skip_bad;
    r->empty_ok = o->empty_ok;
    r->unordered = o->unordered;
    r->max_segments = o->n_extra ? o->max_segments : 0;
    r->dedup = o->kind == RETAIN_TABLE_CUSTOMERS && !o->keep_duplicates;
    r->mark = -1;
    r->opt = *o;
    for (int i = 0; i < RETAIN_COL_ROLES; i++) {
        if (o->column[i] && !(r->column[i] = strdup(o->column[i])))
            goto nomem;
        r->opt.column[i] = r->column[i];
    }
    if (o->date_format) {
        r->date_format = retain_date_format_new(o->date_format, diag);
        if (!r->date_format)
            goto fail;
        if (!(r->date_format_text = strdup(o->date_format)))
            goto nomem;
    }
    r->opt.date_format = r->date_format_text;
    r->opt.encoding = r->encoding;
    r->nslots = SLOT_EXTRA + r->n_extra;
    r->slot_col = malloc(r->nslots * sizeof *r->slot_col);
    r->slot_next = malloc(r->nslots * sizeof *r->slot_next);
    r->used = malloc(r->nslots * sizeof *r->used);
    r->slot_ptr = calloc(r->nslots, sizeof *r->slot_ptr);
    r->slot_len = calloc(r->nslots, sizeof *r->slot_len);
    r->extra_ptr = calloc(r->n_extra + 1, sizeof *r->extra_ptr);
    r->extra_len = calloc(r->n_extra + 1, sizeof *r->extra_len);
    if (!r->slot_col || !r->slot_next || !r->used || !r->slot_ptr || !r->slot_len ||
        !r->extra_ptr || !r->extra_len)
        goto nomem;
    return r;
nomem:
    rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
fail:
    retain_reader_free(r);
    return NULL;
}

void retain_reader_free(retain_reader *r)
{
    if (!r)
        return;
    for (int i = 0; i < RETAIN_COL_ROLES; i++)
        free(r->column[i]);
    retain_date_format_free(r->date_format);
    free(r->date_format_text);
    free(r->encoding);
    free(r->name);
    free(r->first_name);
    rt_buf_free(&r->header);
    free(r->name_off);
    free(r->slot_col);
    free(r->col_slot);
    free(r->slot_next);
    free(r->used);
    free(r->slot_ptr);
    free(r->slot_len);
    free(r->extra_ptr);
    free(r->extra_len);
    free(r->seg_hash);
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].name);
        free(r->files[i].chunk_line);
    }
    free(r->files);
    free(r);
}

unsigned long retain_reader_rows(const retain_reader *r)
{
    return r->rows;
}

unsigned long retain_reader_skipped(const retain_reader *r, unsigned long *first_lines, size_t max)
{
    for (size_t i = 0; i < max && i < SKIP_LINES_KEPT && i < r->skipped; i++)
        first_lines[i] = r->skipped_lines[i];
    return r->skipped;
}

unsigned long retain_reader_place_line(const retain_reader *r, uint64_t place, const char **file)
{
    size_t f = (size_t)(place >> PLACE_FILE_SHIFT);
    const file_info *fi = f < r->nfiles ? &r->files[f] : NULL;
    if (file)
        *file = fi ? fi->name : NULL;
    if (!(place & PLACE_CHUNK))
        return (unsigned long)(place & (PLACE_CHUNK - 1));
    unsigned long chunk = PLACE_CHUNKS - (unsigned long)((place >> 32) & PLACE_CHUNKS);
    unsigned long line = (unsigned long)(place & 0xFFFFFFFFu);
    return fi && chunk <= fi->nchunks ? fi->chunk_line[chunk] + line : 0;
}

const retain_diag *retain_reader_first_skip(const retain_reader *r)
{
    return r->skipped ? &r->first_skip : NULL;
}

size_t retain_reader_expected_rows(const retain_reader *r)
{
    return r->stream ? rt_csvstream_estimate(r->stream) : 0;
}

unsigned long retain_reader_footer(const retain_reader *r, unsigned long *line, const char **text)
{
    if (line)
        *line = r->footer_records ? r->footer_line : 0;
    if (text)
        *text = r->footer_records ? r->footer_text : NULL;
    return r->footer_records;
}

unsigned long retain_reader_empty_rows(const retain_reader *r)
{
    return r->empty_rows;
}

char retain_reader_delimiter(const retain_reader *r)
{
    return r->delimiter;
}

static const char *header_name(const retain_reader *r, size_t col)
{
    return r->header.data + r->name_off[col];
}

const char *retain_reader_column(const retain_reader *r, retain_column_role role)
{
    if (!r->header_done || r->slot_col[role] < 0)
        return NULL;
    return header_name(r, (size_t)r->slot_col[role]);
}

/* ---- header ----------------------------------------------------------- */

/* The header's names, for messages: "a, b, c"; when they do not all fit,
 * the first ones and ", ... (N more)", never a name cut short. */
static void list_columns(const retain_reader *r, char *buf, size_t size)
{
    enum { TAIL = 32 }; /* room kept for ", ... (N more)" */
    size_t o = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < r->ncols; c++) {
        const char *name = header_name(r, c);
        size_t need = strlen(name) + (c ? 2 : 0);
        bool last = c + 1 == r->ncols;
        if (o + need + (last ? 0 : TAIL) >= size) {
            snprintf(buf + o, size - o, "%s... (%zu more)", c ? ", " : "", r->ncols - c);
            return;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s%s", c ? ", " : "", name);
    }
}

static retain_status missing_column(retain_reader *r, retain_status st, const char *what)
{
    char cols[200];
    list_columns(r, cols, sizeof cols);
    return rt_fail(r->diag, st, r->header_line, NULL, "%s; the header has: %s", what, cols);
}

/* Two columns whose names are alike: a hint that leads somewhere (the
 * exact name, which an option takes over a name only alike; or, for the
 * same name twice, renaming one). */
static void hint_alike(retain_reader *r, int a, int b, const char *flag)
{
    const char *x = header_name(r, (size_t)a), *y = header_name(r, (size_t)b);
    if (strcmp(x, y) == 0)
        rt_hint(r->diag, "columns %d and %d have the same name: rename one of them in the header",
                a + 1, b + 1);
    else if (flag)
        rt_hint(r->diag, "choose one with %s and its exact name, e.g. %s \"%s\"", flag, flag, x);
    else
        rt_hint(r->diag, "give the exact name of one, e.g. \"%s\"", x);
}

/* Finds the column for a name given in the options: the one column named
 * so, or among several alike (retain_name_equal), the one spelt exactly
 * so. */
static retain_status find_named(retain_reader *r, const char *name, const char *flag, int *col)
{
    *col = -1;
    int other = -1, exact = -1, exacts = 0;
    for (size_t c = 0; c < r->ncols; c++) {
        if (!retain_name_equal(header_name(r, c), name))
            continue;
        if (strcmp(header_name(r, c), name) == 0)
            exact = (int)c, exacts++;
        if (*col < 0)
            *col = (int)c;
        else if (other < 0)
            other = (int)c;
    }
    if (other >= 0 && exacts == 1) {
        *col = exact;
    } else if (other >= 0) {
        rt_fail(r->diag, RETAIN_ERR_DATA, r->header_line, NULL,
                "the header has two columns named \"%s\"", name);
        hint_alike(r, *col, other, flag);
        return RETAIN_ERR_DATA;
    }
    if (*col < 0) {
        char what[160];
        if (flag)
            snprintf(what, sizeof what, "%s %s: no such column", flag, name);
        else
            snprintf(what, sizeof what, "no column \"%s\"", name);
        return missing_column(r, RETAIN_ERR_USAGE, what);
    }
    return RETAIN_OK;
}

/* Whether an alias may be used with the options: annual amounts only with
 * arr (and then only they, for MRR), minor units only with cents. */
static bool alias_usable(const retain_reader *r, int role, const rt_alias *a)
{
    if (a->flags & RT_ALIAS_CENTS && !r->cents)
        return false;
    if (role == RETAIN_COL_MRR && r->kind == RETAIN_TABLE_CUSTOMERS && !(a->flags & RT_ALIAS_CENTS))
        return r->arr == ((a->flags & RT_ALIAS_ARR) != 0);
    return true;
}

/* The first alias a column matches among the usable ones (usable true)
 * or among those the options rule out; NULL when none. */
static const rt_alias *column_alias(const retain_reader *r, int role, size_t c, bool usable)
{
    const rt_alias *al = rt_aliases(r->kind, (retain_column_role)role);
    for (const rt_alias *a = al; a && a->name; a++)
        if (alias_usable(r, role, a) == usable && rt_alias_matches(a, header_name(r, c)))
            return a;
    return NULL;
}

/* Finds the column for a role from the aliases: the best rank wins, two
 * columns at the best rank are ambiguous. */
static retain_status find_alias(retain_reader *r, int role, int *col)
{
    int best = -1, other = -1;
    *col = -1;
    for (size_t c = 0; c < r->ncols; c++) {
        const rt_alias *a = column_alias(r, role, c, true);
        if (!a)
            continue;
        int rank = a->rank;
        if (*col < 0 || rank < best) {
            *col = (int)c;
            best = rank;
            other = -1;
        } else if (rank == best && other < 0) {
            other = (int)c;
        }
    }
    if (other >= 0) {
        char flag[64];
        const char *x = header_name(r, (size_t)*col), *y = header_name(r, (size_t)other);
        rt_fail(r->diag, RETAIN_ERR_DATA, r->header_line, NULL,
                "both \"%s\" and \"%s\" look like the %s column", x, y, role_what(r, role));
        role_flag(r, role, flag, sizeof flag);
        if (retain_name_equal(x, y))
            hint_alike(r, *col, other, flag);
        else
            rt_hint(r->diag, "choose one with %s COLUMN", flag);
        return RETAIN_ERR_DATA;
    }
    return RETAIN_OK;
}

/* A required column that is missing: the message, and a hint that says
 * what to do. */
static retain_status no_column(retain_reader *r, int role)
{
    char what[200], flag[64];
    const rt_alias *al = rt_aliases(r->kind, (retain_column_role)role);
    role_flag(r, role, flag, sizeof flag);
    const rt_alias *example = al;
    while (example[1].name && !alias_usable(r, role, example))
        example++;
    snprintf(what, sizeof what, "no %s column (looked for \"%s\" and the like)", role_what(r, role),
             example->name);
    /* as for a column named with an option: the command needs one more
     * option, or another file (the message lists the header's columns) */
    missing_column(r, RETAIN_ERR_USAGE, what);
    const char *trap = NULL, *unusable = NULL;
    const rt_alias *why = NULL;
    for (size_t c = 0; c < r->ncols; c++) {
        if (!why && (why = column_alias(r, role, c, false)) != NULL)
            unusable = header_name(r, c);
        if (!trap && role == RETAIN_COL_START && r->kind == RETAIN_TABLE_CUSTOMERS &&
            (retain_name_equal(header_name(r, c), "create_date") ||
             retain_name_equal(header_name(r, c), "close_date")))
            trap = header_name(r, c);
    }
    const char *one = r->ncols == 1 ? header_name(r, 0) : "";
    if (strpbrk(one, ",;\t|"))
        rt_hint(r->diag, "the header is one column: is the delimiter right? (-d)");
    else if (why && why->flags & RT_ALIAS_CENTS)
        rt_hint(r->diag, "\"%s\" looks like minor units (cents): say --cents", unusable);
    else if (why && why->flags & RT_ALIAS_ARR)
        rt_hint(r->diag, "\"%s\" looks annual: say --arr (MRR = ARR / 12)", unusable);
    else if (why)
        rt_hint(r->diag, "\"%s\" looks monthly: drop --arr, or name the annual column with --mrr",
                unusable);
    else if (trap)
        rt_hint(r->diag,
                "\"%s\" is not a customer's first day in CRM exports; if it is here, say %s "
                "\"%s\"",
                trap, flag, trap);
    else
        rt_hint(r->diag, "name it with %s COLUMN", flag);
    return RETAIN_ERR_USAGE;
}

static bool wanted(const retain_reader *r, int role)
{
    return (r->want & RETAIN_ROLE_BIT(role)) != 0;
}

static bool required(const retain_reader *r, int role)
{
    return (r->required & RETAIN_ROLE_BIT(role)) != 0;
}

/* The files of one table must map their columns to the same roles: the
 * first one's are kept, and the others are checked against them. */
static retain_status same_roles(retain_reader *r)
{
    uint32_t roles = 0;
    for (int k = 0; k < RETAIN_COL_ROLES; k++)
        if (r->slot_col[k] >= 0)
            roles |= RETAIN_ROLE_BIT(k);
    if (r->reads == 1) {
        r->first_roles = roles;
        for (int k = 0; k < RETAIN_COL_ROLES; k++)
            snprintf(r->first_column[k], sizeof r->first_column[k], "%s",
                     r->slot_col[k] >= 0 ? header_name(r, (size_t)r->slot_col[k]) : "");
        free(r->first_name);
        r->first_name = r->name ? strdup(r->name) : NULL;
        return RETAIN_OK;
    }
    if (roles == r->first_roles)
        return RETAIN_OK;
    int k = 0;
    while (!((roles ^ r->first_roles) & RETAIN_ROLE_BIT(k)))
        k++;
    const char *first = r->first_name ? r->first_name : "the first file";
    if (roles & RETAIN_ROLE_BIT(k))
        rt_fail(r->diag, RETAIN_ERR_DATA, r->header_line, NULL,
                "the header maps to other roles than %s's: it has a %s column (\"%s\"), %s has "
                "none",
                first, role_what(r, k), header_name(r, (size_t)r->slot_col[k]), first);
    else
        rt_fail(r->diag, RETAIN_ERR_DATA, r->header_line, NULL,
                "the header maps to other roles than %s's: it has no %s column, %s has \"%s\"",
                first, role_what(r, k), first, r->first_column[k]);
    rt_hint(r->diag, "the files of one table need the same columns; name them with the "
                     "column options, or read the files apart");
    return RETAIN_ERR_DATA;
}

static retain_status map_header(retain_reader *r)
{
    retain_status st;
    for (size_t c = 0; c < r->ncols; c++) {
        const char *name = header_name(r, c);
        size_t len = strlen(name);
        if (rt_utf8_valid_prefix(name, len) != len) {
            char q[120];
            rt_quote(q, sizeof q, name, len);
            rt_fail(r->diag, RETAIN_ERR_DATA, r->header_line, NULL,
                    "column %zu of the header is not UTF-8 text: %s", c + 1, q);
            rt_hint(r->diag, "say --encoding cp1252 (Windows, Excel) or --encoding latin1");
            return RETAIN_ERR_DATA;
        }
    }
    for (int role = 0; role < RETAIN_COL_ROLES; role++) {
        int col = -1;
        r->slot_col[role] = -1;
        if (!wanted(r, role))
            continue; /* not needed: not even looked for */
        char flag[64];
        st = r->column[role]
                 ? find_named(r, r->column[role], role_flag(r, role, flag, sizeof flag), &col)
                 : find_alias(r, role, &col);
        if (st != RETAIN_OK)
            return st;
        if (col < 0 && required(r, role))
            return no_column(r, role);
        r->slot_col[role] = col;
    }
    if (r->kind == RETAIN_TABLE_DEALS && wanted(r, RETAIN_COL_OUTCOME) &&
        r->slot_col[RETAIN_COL_OUTCOME] < 0 && r->slot_col[RETAIN_COL_STAGE] < 0) {
        missing_column(r, RETAIN_ERR_USAGE,
                       "no deal outcome column (looked for \"outcome\", \"Deal Stage\", "
                       "\"Stage\" and the like)");
        rt_hint(r->diag, "name it with --deals-outcome COLUMN (won, lost, open) or "
                         "--deals-stage COLUMN (a CRM stage)");
        return RETAIN_ERR_USAGE;
    }
    if (r->slot_col[RETAIN_COL_OUTCOME] >= 0)
        r->slot_col[RETAIN_COL_STAGE] = -1; /* an outcome says it plainly */
    for (size_t k = 0; k < r->n_extra; k++) {
        int col;
        st = find_named(r, r->extra[k], NULL, &col);
        if (st != RETAIN_OK)
            return st;
        r->slot_col[SLOT_EXTRA + k] = col;
    }
    r->col_slot = malloc(r->ncols * sizeof *r->col_slot);
    if (!r->col_slot)
        return rt_fail(r->diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t c = 0; c < r->ncols; c++)
        r->col_slot[c] = -1;
    r->nused = 0;
    for (size_t s = 0; s < r->nslots; s++)
        if (r->slot_col[s] >= 0)
            r->used[r->nused++] = (uint32_t)s;
    for (size_t s = r->nslots; s-- > 0;) {
        r->slot_next[s] = -1;
        int c = r->slot_col[s];
        if (c >= 0) {
            r->slot_next[s] = r->col_slot[c];
            r->col_slot[c] = (int)s;
        }
    }
    r->header_done = true;
    return same_roles(r);
}

/* ---- rows --------------------------------------------------------------- */

/* A skipped row of a chunk from the end: it comes before those of the
 * chunks taken earlier, after those of its own chunk. */
static void skip_back_row(retain_reader *r)
{
    if (r->back_skip_chunk != r->rec_chunk) {
        r->back_skip_chunk = r->rec_chunk;
        r->back_skip_in_chunk = 0;
        if (r->diag) {
            r->back_first_skip = *r->diag;
            r->back_first_skip_chunk = r->rec_chunk;
        }
    }
    size_t at = r->back_skip_in_chunk++, kept = r->back_skipped;
    if (at < SKIP_LINES_KEPT) {
        if (kept >= SKIP_LINES_KEPT)
            kept = SKIP_LINES_KEPT - 1;
        memmove(&r->back_skips[at + 1], &r->back_skips[at], (kept - at) * sizeof r->back_skips[0]);
        r->back_skips[at].chunk = r->rec_chunk;
        r->back_skips[at].line = r->rec_line;
    }
    r->back_skipped++;
}

static void skip_row(retain_reader *r)
{
    if (r->rec_chunk) {
        skip_back_row(r);
        return;
    }
    if (r->skipped == 0 && r->diag)
        r->first_skip = *r->diag;
    if (r->skipped < SKIP_LINES_KEPT)
        r->skipped_lines[r->skipped] = r->rec_line;
    r->skipped++;
}

/* A bad value: fails the read, or skips the row with skip_bad. */
static bool bad_row(retain_reader *r)
{
    if (r->skip_bad) {
        skip_row(r);
        return true;
    }
    r->status = r->diag ? r->diag->status : RETAIN_ERR_DATA;
    return false;
}

static const char *slot_column_name(const retain_reader *r, size_t slot)
{
    return header_name(r, (size_t)r->slot_col[slot]);
}

static bool looks_day_first(const char *s, size_t len)
{
    /* 1-2 digits, '/', '.' or '-', 1-2 digits, same separator, 4 digits */
    size_t i = 0, a = 0, b = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, a++;
    if (a < 1 || a > 2 || i >= len || (s[i] != '/' && s[i] != '.' && s[i] != '-'))
        return false;
    char sep = s[i++];
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, b++;
    if (b < 1 || b > 2 || i >= len || s[i] != sep)
        return false;
    return true;
}

/* Why the date of a slot is not one: the error in r->diag; false. */
__attribute__((noinline, cold)) static bool date_failed(retain_reader *r, size_t slot)
{
    const char *s = r->slot_ptr[slot];
    size_t len = r->slot_len[slot];
    char q[100];
    rt_quote(q, sizeof q, s, len);
    const char *col = slot_column_name(r, slot);
    if (r->date_format) {
        rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, col,
                "expected a date in the form %s, got %s", r->date_format_text, q);
        return false;
    }
    bool iso_shape = len >= 10 && s[4] == '-' && s[7] == '-';
    for (size_t i = 0; iso_shape && i < 10; i++)
        iso_shape = i == 4 || i == 7 || (s[i] >= '0' && s[i] <= '9');
    retain_day day;
    if (iso_shape && len > 10 && retain_date_parse(s, 10, NULL, &day)) {
        /* a real day, then what is neither a time nor nothing */
        size_t blanks = 10;
        while (blanks < len && (s[blanks] == ' ' || s[blanks] == '\t'))
            blanks++;
        char tail[60];
        rt_quote(tail, sizeof tail, s + 10, len - 10);
        if (blanks == len)
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, col,
                    "expected a date like 2024-03-15, got %s: blanks after the date", q);
        else
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, col,
                    "expected a date like 2024-03-15 or a date-time like 2024-03-15T10:30:00, got "
                    "%s: %s after the date is not a time",
                    q, tail);
        return false;
    }
    if (iso_shape && (len == 10 || s[10] == 'T' || s[10] == ' ')) {
        /* what is wrong: the month, or the day in it */
        int y = atoi(s), m = atoi(s + 5);
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int n = m >= 1 && m <= 12 ? mdays[m - 1] : 0;
        if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
            n = 29;
        if (n)
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, col,
                    "no such day: %s (%.7s has %d days)", q, s, n);
        else
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, col, "no such day: %s (no month %.2s)",
                    q, s + 5);
        return false;
    }
    rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, col, "expected a date like 2024-03-15, got %s",
            q);
    size_t digits = 0;
    while (digits < len && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if ((digits == len || (s[digits] == '.' && digits == 10)) && digits >= 9 && digits <= 13) {
        rt_hint(r->diag, "a Unix time? say --date-format %s", digits > 11 ? "epoch-ms" : "epoch");
        return false;
    }
    if (looks_day_first(s, len)) {
        int first = atoi(s);
        const char *p = s;
        while (*p >= '0' && *p <= '9')
            p++;
        int second = atoi(p + 1);
        if (first > 12)
            rt_hint(r->diag, "for day-first dates, say --date-format %%d/%%m/%%Y");
        else if (second > 12)
            rt_hint(r->diag, "for month-first (US) dates, say --date-format %%m/%%d/%%Y");
        else
            rt_hint(r->diag, "say --date-format %%d/%%m/%%Y (day first) or %%m/%%d/%%Y "
                             "(month first, US)");
    }
    return false;
}

/* The date of a slot; false with the error in r->diag. The rows' path:
 * the errors' stack frame is date_failed's. */
static inline bool convert_date(retain_reader *r, size_t slot, retain_day *out)
{
    return retain_date_parse(r->slot_ptr[slot], r->slot_len[slot], r->date_format, out) ||
           date_failed(r, slot);
}

/* An amount of a semicolon file read without --decimal, while no amount
 * before it told the separator: one that reads with only one of them
 * decides it for the file (1 234,50, 12,5 and 1.234,50 say ','; 1234.50
 * says '.'); one that reads the same with both (1234, 1 234) says
 * nothing; one that reads as two different amounts (1,234: 1234 or 1.234)
 * is refused. Returns RETAIN_MONEY_OK with *out, or another error
 * (diag filled for an ambiguous amount: *ambiguous). */
static retain_money_error detect_decimal(retain_reader *r, size_t slot, retain_money *out,
                                         bool *ambiguous)
{
    const char *s = r->slot_ptr[slot];
    size_t len = r->slot_len[slot];
    retain_money point, comma;
    retain_money_error ep = retain_money_parse(s, len, '.', &point);
    retain_money_error ec = retain_money_parse(s, len, ',', &comma);
    *ambiguous = false;
    if (ep == RETAIN_MONEY_OK && ec == RETAIN_MONEY_OK && point == comma) {
        *out = point;
        return RETAIN_MONEY_OK;
    }
    if (ep == RETAIN_MONEY_OK && ec == RETAIN_MONEY_OK) {
        char q[100], a[32], b[32];
        rt_quote(q, sizeof q, s, len);
        retain_money_format(point, -1, a);
        retain_money_format(comma, -1, b);
        bool comma_first = memchr(s, ',', len) != NULL; /* 1,234 rather than 1.234 */
        rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, slot),
                "ambiguous amount %s: %s with a decimal %s, or %s with %s grouping thousands; no "
                "amount before it shows which",
                q, comma_first ? b : a, comma_first ? "comma" : "point", comma_first ? a : b,
                comma_first ? "the comma" : "the point");
        rt_hint(r->diag, "say --decimal , (decimal comma) or --decimal . (decimal point)");
        *ambiguous = true;
        return RETAIN_MONEY_SYNTAX;
    }
    if (ep == RETAIN_MONEY_OK || ec == RETAIN_MONEY_OK) {
        r->decimal = ep == RETAIN_MONEY_OK ? '.' : ',';
        r->decimal_line = r->rec_line ? r->rec_line : 1;
        *out = ep == RETAIN_MONEY_OK ? point : comma;
        return RETAIN_MONEY_OK;
    }
    return ep;
}

/* Why the amount of a slot is not one (e, from parsing it): the error in
 * r->diag; false. */
__attribute__((noinline, cold)) static bool money_failed(retain_reader *r, size_t slot,
                                                         retain_money_error e)
{
    const char *s = r->slot_ptr[slot];
    size_t len = r->slot_len[slot];
    char q[100];
    rt_quote(q, sizeof q, s, len);
    const char *col = slot_column_name(r, slot);
    rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, col,
            e == RETAIN_MONEY_RANGE ? "amount out of range: %s"
                                    : "expected an amount such as 1234.50, got %s",
            q);
    if (r->decimal_auto && r->decimal_line &&
        (e == RETAIN_MONEY_DECIMAL_COMMA || e == RETAIN_MONEY_DECIMAL_POINT))
        rt_hint(r->diag,
                "the amounts before it (from line %lu) have a decimal %s; say --decimal , or "
                "--decimal . to choose",
                r->decimal_line, r->decimal == ',' ? "comma" : "point");
    else if (e == RETAIN_MONEY_DECIMAL_COMMA)
        rt_hint(r->diag, "for decimal commas (1 234,50), say --decimal ,");
    else if (e == RETAIN_MONEY_DECIMAL_POINT)
        rt_hint(r->diag, "this looks like a decimal point: drop --decimal ,");
    return false;
}

/* The amount of a slot; false with the error in r->diag. */
static inline bool convert_money(retain_reader *r, size_t slot, retain_money *out)
{
    bool ambiguous = false;
    retain_money_error e =
        r->decimal_auto && !r->decimal_line
            ? detect_decimal(r, slot, out, &ambiguous)
            : retain_money_parse(r->slot_ptr[slot], r->slot_len[slot], r->decimal, out);
    if (e == RETAIN_MONEY_OK)
        return true;
    return !ambiguous && money_failed(r, slot, e);
}

/* An amount of a role: money, in minor units with cents. */
static bool convert_amount(retain_reader *r, size_t slot, retain_money *out)
{
    if (!convert_money(r, slot, out))
        return false;
    if (r->cents) /* exact: half away from zero below a millionth of a unit */
        *out = (*out >= 0 ? *out + 50 : *out - 50) / 100;
    return true;
}

/* MRR = ARR / 12, to the cent, half away from zero. */
static retain_money monthly_of_annual(retain_money arr)
{
    const retain_money cent = RETAIN_MONEY_SCALE / 100;
    retain_money q = arr / (12 * cent), rem = arr % (12 * cent);
    if (2 * (rem < 0 ? -rem : rem) >= 12 * cent)
        q += arr < 0 ? -1 : 1;
    return q * cent;
}

static bool empty_cell(retain_reader *r, int role)
{
    rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, (size_t)role), "empty %s",
            role_what(r, role));
    return false;
}

/* Whether the row has the role's column and a value in it. */
static bool has_value(const retain_reader *r, int role)
{
    return r->slot_col[role] >= 0 && r->slot_len[role] > 0;
}

static void take_text(const retain_reader *r, int role, const char **p, size_t *len)
{
    if (r->slot_col[role] >= 0) {
        *p = r->slot_ptr[role];
        *len = r->slot_len[role];
    } else {
        *p = "";
        *len = 0;
    }
}

/* A score: an integer 0..10, nothing else. */
static bool convert_score(retain_reader *r, int *out)
{
    const char *s = r->slot_ptr[RETAIN_COL_SCORE];
    size_t len = r->slot_len[RETAIN_COL_SCORE];
    int v = 0;
    bool ok = len >= 1 && len <= 2;
    for (size_t i = 0; ok && i < len; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = v * 10 + (s[i] - '0');
    }
    if (ok && v <= 10) {
        *out = v;
        return true;
    }
    char q[100];
    rt_quote(q, sizeof q, s, len);
    rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, RETAIN_COL_SCORE),
            "expected a score, a whole number from 0 to 10, got %s", q);
    return false;
}

/* A deal's outcome or stage, folded: ASCII lower case, without blanks,
 * underscores and hyphens ("Closed Won" is "closedwon"). */
static void fold_outcome(const char *s, size_t len, char *buf, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++) {
        char c = s[i];
        if (c == ' ' || c == '_' || c == '-')
            continue;
        buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    buf[n] = '\0';
}

/* outcome: won, lost, open or empty (and "Closed Won", "Closed Lost");
 * stage: the same, any other stage being open, except a "closed" one that
 * is neither won nor lost. */
static bool convert_outcome(retain_reader *r, int role, retain_deal_outcome *out)
{
    const char *s = r->slot_ptr[role];
    size_t len = r->slot_len[role];
    char f[32];
    fold_outcome(s, len, f, sizeof f);
    if (strcmp(f, "won") == 0 || strcmp(f, "closedwon") == 0) {
        *out = RETAIN_DEAL_WON;
        return true;
    }
    if (strcmp(f, "lost") == 0 || strcmp(f, "closedlost") == 0) {
        *out = RETAIN_DEAL_LOST;
        return true;
    }
    *out = RETAIN_DEAL_OPEN;
    if (f[0] == '\0' || strcmp(f, "open") == 0 ||
        (role == RETAIN_COL_STAGE && strncmp(f, "closed", 6) != 0 && len < 100))
        return true;
    char q[100];
    rt_quote(q, sizeof q, s, len);
    rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, (size_t)role),
            role == RETAIN_COL_STAGE ? "a closed stage that is neither won nor lost: %s"
                                     : "expected a deal outcome: won, lost or open, got %s",
            q);
    return false;
}

/* The customer table's row. */
static bool build_customer(retain_reader *r, retain_row *row)
{
    if (row->id_len == 0)
        return empty_cell(r, RETAIN_COL_ID);
    if (r->slot_len[RETAIN_COL_START] == 0) {
        empty_cell(r, RETAIN_COL_START);
        rt_hint(r->diag, "--skip-bad skips such rows (contacts that never became customers)");
        return false;
    }
    if (!convert_date(r, RETAIN_COL_START, &row->start))
        return false;
    if (has_value(r, RETAIN_COL_END)) {
        if (!convert_date(r, RETAIN_COL_END, &row->end))
            return false;
        row->has_end = true;
        if (r->end_inclusive && row->end < RETAIN_DAY_MAX)
            row->end++;
        if (row->end < row->start) {
            char a[11], b[11];
            retain_day_format(r->end_inclusive ? row->end - 1 : row->end, a);
            retain_day_format(row->start, b);
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, RETAIN_COL_END),
                    r->end_inclusive ? "last day %s is more than a day before start %s"
                                     : "end %s is before start %s",
                    a, b);
            return false;
        }
    }
    if (has_value(r, RETAIN_COL_MRR)) {
        if (!convert_amount(r, RETAIN_COL_MRR, &row->mrr))
            return false;
        if (r->arr)
            row->mrr = monthly_of_annual(row->mrr);
        if (!rt_money_tally(&r->money_total, row->mrr)) {
            r->over = true;
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, RETAIN_COL_MRR),
                    "the amounts add up to more than 9223372036854.775807 by this row: "
                    "no total of them could be exact");
            rt_hint(r->diag, "is this the monthly revenue? name the right column with --mrr COL");
            return false;
        }
        row->has_mrr = true;
    }
    take_text(r, RETAIN_COL_REASON, &row->reason, &row->reason_len);
    return true;
}

/* The row of any other kind. */
static bool build_other(retain_reader *r, retain_row *row)
{
    if (row->id_len == 0 && required(r, RETAIN_COL_ID))
        return empty_cell(r, RETAIN_COL_ID);
    if (has_value(r, RETAIN_COL_DATE)) {
        if (!convert_date(r, RETAIN_COL_DATE, &row->date))
            return false;
        row->has_date = true;
    } else if (required(r, RETAIN_COL_DATE)) {
        return empty_cell(r, RETAIN_COL_DATE);
    }
    take_text(r, RETAIN_COL_KIND, &row->kind, &row->kind_len);
    row->value = RETAIN_MONEY_SCALE;
    if (has_value(r, RETAIN_COL_VALUE)) {
        retain_money v;
        const char *s = r->slot_ptr[RETAIN_COL_VALUE];
        size_t len = r->slot_len[RETAIN_COL_VALUE];
        if (retain_money_parse(s, len, r->decimal, &v) != RETAIN_MONEY_OK) {
            char q[100];
            rt_quote(q, sizeof q, s, len);
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, RETAIN_COL_VALUE),
                    "expected a number, got %s", q);
            return false;
        }
        row->value = v;
    }
    if (has_value(r, RETAIN_COL_SCORE)) {
        if (!convert_score(r, &row->score))
            return false;
        row->has_score = true;
    } else if (required(r, RETAIN_COL_SCORE)) {
        empty_cell(r, RETAIN_COL_SCORE);
        rt_hint(r->diag, "--skip-bad skips such rows (questions not answered)");
        return false;
    }
    if (has_value(r, RETAIN_COL_AMOUNT)) {
        if (!convert_amount(r, RETAIN_COL_AMOUNT, &row->amount))
            return false;
        row->has_amount = true;
    } else if (required(r, RETAIN_COL_AMOUNT)) {
        return empty_cell(r, RETAIN_COL_AMOUNT);
    }
    take_text(r, RETAIN_COL_REFERRED, &row->referred, &row->referred_len);
    take_text(r, RETAIN_COL_DEAL, &row->deal, &row->deal_len);
    take_text(r, RETAIN_COL_SOURCE, &row->source, &row->source_len);
    int outcome = r->slot_col[RETAIN_COL_OUTCOME] >= 0 ? RETAIN_COL_OUTCOME : RETAIN_COL_STAGE;
    if (r->slot_col[outcome] >= 0 && !convert_outcome(r, outcome, &row->outcome))
        return false;
    if (has_value(r, RETAIN_COL_CLOSED)) {
        if (!convert_date(r, RETAIN_COL_CLOSED, &row->closed))
            return false;
        row->has_closed = true;
    }
    return true;
}

/* Notes the row's segment (extra column 0); false past max_segments or
 * when out of memory (diag filled). Distinct values are told apart by a
 * 64-bit hash: a collision could only let one more segment through. */
static bool count_segment(retain_reader *r)
{
    uint64_t h = XXH3_64bits(r->slot_ptr[SLOT_EXTRA], r->slot_len[SLOT_EXTRA]) | 1;
    size_t mask = r->seg_cap - 1, i = r->seg_cap ? (size_t)h & mask : 0;
    for (; r->seg_cap && r->seg_hash[i]; i = (i + 1) & mask)
        if (r->seg_hash[i] == h)
            return true;
    if (r->seg_n == r->max_segments) {
        r->over = true;
        rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, slot_column_name(r, SLOT_EXTRA),
                "more than %zu distinct values: too many segments", r->max_segments);
        rt_hint(r->diag, "is this the column to group by? --max-segments N raises the cap");
        return false;
    }
    if (2 * (r->seg_n + 1) > r->seg_cap) { /* grow: at most half full */
        size_t cap = r->seg_cap ? 2 * r->seg_cap : 64;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t) {
            rt_fail(r->diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
            return false;
        }
        for (size_t k = 0; k < r->seg_cap; k++) {
            size_t j = (size_t)r->seg_hash[k] & (cap - 1);
            while (r->seg_hash[k] && t[j])
                j = (j + 1) & (cap - 1);
            if (r->seg_hash[k])
                t[j] = r->seg_hash[k];
        }
        free(r->seg_hash);
        r->seg_hash = t;
        r->seg_cap = cap;
        mask = cap - 1;
        for (i = (size_t)h & mask; t[i]; i = (i + 1) & mask)
            ;
    }
    r->seg_hash[i] = h;
    r->seg_n++;
    return true;
}

/* Turns the fields of a complete record into a row; false when it is bad. */
/* The row is the reader's (see reset_row): only the fields of the kind
 * that change from row to row are set, not the whole struct, which would
 * cost a large part of the consumer's time on the fast path. */
static bool build_row(retain_reader *r, retain_row *row)
{
    row->line = r->rec_chunk ? 0 : r->rec_line;
    take_text(r, RETAIN_COL_ID, &row->id, &row->id_len);
    bool ok;
    if (r->kind == RETAIN_TABLE_CUSTOMERS) {
        row->end = 0;
        row->has_end = false;
        row->mrr = 0;
        row->has_mrr = false;
        ok = build_customer(r, row);
    } else {
        row->date = row->closed = 0;
        row->has_date = row->has_score = row->has_amount = row->has_closed = false;
        row->score = 0;
        row->amount = 0;
        row->outcome = RETAIN_DEAL_OPEN;
        ok = build_other(r, row);
    }
    if (!ok)
        return false;
    if (r->max_segments && !count_segment(r))
        return false;
    for (size_t k = 0; k < r->n_extra; k++) {
        r->extra_ptr[k] = r->slot_ptr[SLOT_EXTRA + k];
        r->extra_len[k] = r->slot_len[SLOT_EXTRA + k];
    }
    return true;
}

/* Before a read: the row handed to the callback, every field empty. */
static void reset_row(retain_reader *r)
{
    retain_row *row = &r->row;
    memset(row, 0, sizeof *row);
    row->id = row->reason = row->kind = row->referred = row->deal = row->source = "";
    row->value = RETAIN_MONEY_SCALE;
    row->extra = r->extra_ptr;
    row->extra_len = r->extra_len;
}

/* ---- records ---------------------------------------------------------- */

static retain_status read_header(retain_reader *r, const rt_batch *b, const rt_record *rec)
{
    r->ncols = rec->n;
    r->name_off = malloc((rec->n ? rec->n : 1) * sizeof *r->name_off);
    if (!r->name_off)
        return rt_fail(r->diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (uint32_t i = 0; i < rec->n; i++) {
        uint32_t f = rec->first + i;
        r->name_off[i] = r->header.len;
        /* each name is kept with its NUL */
        if (!rt_buf_append(&r->header, b->arena + b->off[f], b->len[f] + 1))
            return rt_fail(r->diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    /* each file its own separator, when none was given: see convert_money */
    r->decimal = r->decimal_opt ? r->decimal_opt : '.';
    r->decimal_auto = !r->decimal_opt && rt_csvstream_delimiter(r->stream) == ';';
    r->decimal_line = 0;
    return map_header(r);
}

static bool all_empty(const rt_batch *b, const rt_record *rec)
{
    for (uint32_t i = 0; i < rec->n; i++)
        if (b->len[rec->first + i] != 0)
            return false;
    return true;
}

/* Whether a record that is not data could start a report footer: no
 * date where the table has its required date, and another number of
 * fields, or no id, or words where the id is ("Grand Totals (12
 * records)", "Total"). */
static bool looks_like_footer(const retain_reader *r, const rt_batch *b, const rt_record *rec)
{
    int date = r->kind == RETAIN_TABLE_CUSTOMERS ? RETAIN_COL_START : RETAIN_COL_DATE;
    int dc = r->slot_col[date], ic = r->slot_col[RETAIN_COL_ID];
    if (dc >= 0 && (uint32_t)dc < rec->n && b->len[rec->first + (uint32_t)dc] > 0)
        return false;
    if (rec->n != r->ncols || ic < 0)
        return true;
    const char *id = b->arena + b->off[rec->first + (uint32_t)ic];
    return id[0] == '\0' || strchr(id, ' ') || strncasecmp(id, "total", 5) == 0 ||
           strncasecmp(id, "sum", 3) == 0 || strncasecmp(id, "somme", 5) == 0;
}

/* Checks a complete record and builds its row; false with diag filled
 * when it is bad. */
static bool check_record(retain_reader *r, const rt_batch *b, const rt_record *rec, retain_row *row)
{
    if (rec->n != r->ncols) {
        rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, NULL, "%u fields, but the header has %zu",
                rec->n, r->ncols);
        if (rec->n > r->ncols)
            rt_hint(r->diag, "a value with a delimiter in it must be quoted");
        return false;
    }
    /* a file in another encoding is caught in any column, used or not */
    for (uint32_t i = 0; !b->ascii && i < rec->n; i++) {
        uint32_t f = rec->first + i;
        if (!rt_is_utf8(b->arena + b->off[f], b->len[f])) {
            char q[100];
            rt_quote(q, sizeof q, b->arena + b->off[f], b->len[f]);
            rt_fail(r->diag, RETAIN_ERR_DATA, r->rec_line, header_name(r, i), "not UTF-8 text: %s",
                    q);
            rt_hint(r->diag, "say --encoding cp1252 (Windows, Excel) or --encoding latin1");
            return false;
        }
    }
    for (size_t k = 0; k < r->nused; k++) { /* the slots with a column */
        size_t slot = r->used[k];
        uint32_t f = rec->first + (uint32_t)r->slot_col[slot];
        r->slot_ptr[slot] = b->arena + b->off[f];
        r->slot_len[slot] = b->len[f];
    }
    return build_row(r, row);
}

static void start_footer(retain_reader *r, footer_state *fs, const rt_batch *b,
                         const rt_record *rec)
{
    fs->pending = true;
    fs->line = r->rec_line;
    fs->records = 1;
    fs->diag = *r->diag;
    fs->text[0] = '\0';
    for (uint32_t i = 0; i < rec->n; i++) {
        uint32_t f = rec->first + i;
        if (b->len[f]) {
            rt_quote(fs->text, sizeof fs->text, b->arena + b->off[f], b->len[f]);
            break;
        }
    }
    retain_diag_clear(r->diag);
}

/* The possible footer was not one: its first record fails the read. */
static void footer_failed(retain_reader *r, footer_state *fs)
{
    *r->diag = fs->diag;
    r->rec_line = fs->line;
    r->status = fs->diag.status;
    fs->pending = false;
}

/* Where the current record is (retain_row.place). */
static uint64_t record_place(const retain_reader *r)
{
    uint64_t file = (uint64_t)(r->reads - 1) << PLACE_FILE_SHIFT;
    if (!r->rec_chunk)
        return file | r->rec_line;
    return file | PLACE_CHUNK | ((uint64_t)(PLACE_CHUNKS - r->rec_chunk) << 32) |
           (r->rec_line & 0xFFFFFFFFu);
}

static void read_record(retain_reader *r, const rt_batch *b, const rt_record *rec)
{
    r->rec_line = rec->line;
    r->rec_chunk = b->chunk;
    if (!r->header_done) {
        r->header_line = rec->line;
        r->status = read_header(r, b, rec);
        return;
    }
    if (all_empty(b, rec)) {
        r->empty_rows++; /* Excel's ";;;;" rows */
        return;
    }
    footer_state *fs = b->chunk ? &r->back_footer : &r->front_footer;
    retain_row *row = &r->row;
    if (fs->pending) {
        retain_diag *diag = r->diag, scratch;
        r->diag = &scratch;
        /* a row past the total's or the segments' cap is a data row: the
         * cap is the table's, and the rows before decide whether it is
         * passed, not the row's shape */
        bool data = check_record(r, b, rec, row) || r->over;
        r->over = false;
        r->diag = diag;
        if (data || ++fs->records > FOOTER_MAX)
            footer_failed(r, fs);
        return;
    }
    if (!check_record(r, b, rec, row)) {
        bool over = r->over;
        r->over = false;
        if (over && r->stealing && rt_csvstream_chunks(r->stream) > 0) {
            r->recheck = true; /* see recheck_in_order */
            r->status = RETAIN_ERR_DATA;
            return;
        }
        if (!r->skip_bad && looks_like_footer(r, b, rec))
            start_footer(r, fs, b, rec);
        else
            bad_row(r);
        return;
    }
    fs->seen_data = true;
    if (r->dedup) {
        uint64_t fp = rec->fingerprint; /* computed where it was parsed */
        row->fingerprint = fp ? fp : 1; /* 0 is none */
        row->place = record_place(r);
    }
    r->rows++;
    r->status = r->fn(row, r->user, r->diag);
}

/* At the end of a chunk from the end: a footer in it stands if all after
 * it is footer too; else its first record is the error. */
static void end_chunk(retain_reader *r, const rt_batch *b)
{
    footer_state *fs = &r->back_footer;
    if (fs->pending && r->tail_footer) {
        r->footer_records += fs->records;
        r->footer_line = fs->line;
        r->footer_chunk = b->chunk;
        memcpy(r->footer_text, fs->text, sizeof r->footer_text);
        r->tail_footer = !fs->seen_data;
        fs->pending = false;
    } else if (fs->pending) {
        r->rec_chunk = b->chunk;
        footer_failed(r, fs);
    } else {
        r->tail_footer = false;
    }
    memset(fs, 0, sizeof *fs);
}

/* A problem in a chunk from the end: kept, and no more chunks are taken,
 * while the records before that chunk are read. */
static void hold_back_error(retain_reader *r, rt_csvstream *cs)
{
    r->back_status = r->status;
    r->back_diag = *r->diag;
    r->back_diag.line = r->rec_line; /* the callback's row had line 0 */
    r->back_diag_chunk = r->rec_chunk;
    r->status = RETAIN_OK;
    retain_diag_clear(r->diag);
    rt_csvstream_stop_stealing(cs);
}

/* Once the producer's part is read without a problem: the chunks' problems
 * and skipped rows, with their lines in the file. */
static retain_status join_chunks(retain_reader *r, const rt_csvstream *cs, retain_diag *diag)
{
    if (!rt_csvstream_chunks_valid(cs))
        /* cannot happen: a wrong cut means broken quoting, which the
         * producer reports on its way to the end */
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "the file's quoting could not be followed to its end");
    if (r->back_status != RETAIN_OK) {
        *diag = r->back_diag;
        diag->line = rt_csvstream_line(cs, r->back_diag_chunk, r->back_diag.line);
        return r->back_status;
    }
    retain_status st = rt_csvstream_chunk_error(cs, diag);
    if (st != RETAIN_OK)
        return st;
    if (r->back_skipped == 0)
        return RETAIN_OK;
    if (r->skipped == 0) {
        r->first_skip = r->back_first_skip;
        r->first_skip.line =
            rt_csvstream_line(cs, r->back_first_skip_chunk, r->back_first_skip.line);
    }
    for (size_t i = 0; r->skipped + i < SKIP_LINES_KEPT && i < r->back_skipped; i++)
        r->skipped_lines[r->skipped + i] =
            rt_csvstream_line(cs, r->back_skips[i].chunk, r->back_skips[i].line);
    r->skipped += r->back_skipped;
    return RETAIN_OK;
}

/* Whether chunks may be taken from the end of the file, which hands rows
 * over out of order. Rows past the total's or the segments' cap are
 * found in the file's order after all (recheck_in_order), but with
 * skip_bad they are skipped, and which ones are depends on the order: such
 * a read stays in order. In a semicolon file without --decimal, the
 * first amount that tells the separator decides it for the file: chunks
 * are taken once it did, in the part read in order. */
static bool may_steal(const retain_reader *r)
{
    bool total = !r->ignore_mrr && r->slot_col[RETAIN_COL_MRR] >= 0;
    bool money = total || r->slot_col[RETAIN_COL_AMOUNT] >= 0;
    if (r->skip_bad && (total || r->max_segments))
        return false;
    return !(r->decimal_auto && money && !r->decimal_line);
}

static retain_status no_row(const retain_row *row, void *user, retain_diag *diag)
{
    (void)row;
    (void)user;
    (void)diag;
    return RETAIN_OK;
}

/* An unordered read passed the total's or the segments' cap (over) with
 * rows from chunks among those read: the file has a problem, but which
 * comes first in the file's order is not known yet. The file (a regular
 * one: chunks were taken) is read again from `at`, in order, handing no
 * row over, up to its first problem, which the read reports as an
 * ordered read would. Except for a problem held back from the last chunk
 * taken (a row's, the callback's, or libcsv's), which comes first when its
 * line, counted from the line the read again found at the chunk's start,
 * is before that problem's. The rare error path: its cost does not
 * matter. */
static retain_status recheck_in_order(retain_reader *r, FILE *in, long long at,
                                      const rt_csvstream *cs, retain_diag *diag)
{
    retain_diag held, over = *diag;
    memset(&held, 0, sizeof held);
    bool held_row = r->back_status != RETAIN_OK;
    retain_status held_status =
        held_row ? r->back_status : rt_csvstream_chunk_error_from(cs, 0, &held);
    if (held_row)
        held = r->back_diag; /* its line counts from the chunk's start */
    retain_reader_options o = r->opt;
    o.unordered = false;
    o.keep_duplicates = true; /* no fingerprints: they make no problem */
    retain_reader *again = retain_reader_new(&o, diag);
    if (!again)
        return diag->status;
    again->mark = held_status != RETAIN_OK ? rt_csvstream_last_chunk(cs) : -1;
    again->money_total = r->money_base; /* the files before this one's */
    retain_status st;
    if (at < 0 || fseeko(in, (off_t)at, SEEK_SET) != 0)
        st = rt_fail(diag, RETAIN_ERR_IO, 0, NULL, "cannot read the input again: %s",
                     strerror(errno));
    else
        st = retain_reader_read(again, in, no_row, NULL, diag);
    unsigned long first = again->mark_line;
    bool known = again->mark_ok;
    retain_reader_free(again);
    if (st == RETAIN_ERR_NOMEM || st == RETAIN_ERR_IO)
        return st;
    if (held_status != RETAIN_OK && known && (st == RETAIN_OK || diag->line > first + held.line)) {
        if (!held_row)
            return rt_csvstream_chunk_error_from(cs, first, diag);
        *diag = held;
        diag->line += first;
        return held_status;
    }
    if (st != RETAIN_OK)
        return st;
    /* cannot happen: the rows read past the cap, read in order, pass it */
    *diag = over;
    if (r->rec_chunk)
        diag->line = 0;
    return over.status;
}

retain_status retain_reader_read(retain_reader *r, FILE *in, retain_row_fn fn, void *user,
                                 retain_diag *diag)
{
    retain_diag scratch_diag;
    if (!diag)
        diag = &scratch_diag;
    retain_diag_clear(diag);
    r->fn = fn;
    r->user = user;
    r->diag = diag;
    r->status = RETAIN_OK;
    r->money_base = r->money_total; /* the table's total, over its files */
    r->stealing = r->over = r->recheck = false;
    r->seg_n = 0;
    if (r->seg_hash)
        memset(r->seg_hash, 0, r->seg_cap * sizeof *r->seg_hash);
    if (r->reads++ > 0) { /* the next file of the table: its own dialect and header */
        r->header_done = false;
        r->header.len = 0;
        free(r->name_off);
        free(r->col_slot);
        r->name_off = NULL;
        r->col_slot = NULL;
        r->ncols = 0;
        r->rows = r->skipped = r->empty_rows = 0;
        r->back_status = RETAIN_OK;
        r->back_skipped = r->back_skip_chunk = r->back_skip_in_chunk = 0;
        r->back_first_skip_chunk = r->back_diag_chunk = 0;
    }
    r->delimiter = r->opt_delimiter;
    reset_row(r);
    if (r->dedup) { /* this file's name, for the lines of its duplicates */
        file_info *f = realloc(r->files, (r->nfiles + 1) * sizeof *f);
        if (!f)
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        r->files = f;
        f = &r->files[r->nfiles++];
        memset(f, 0, sizeof *f);
        if (r->name && !(f->name = strdup(r->name)))
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    long long at = ftello(in); /* for a read again (recheck_in_order) */
    rt_csvstream *cs = rt_csvstream_start_marked(in, r->delimiter, r->encoding, r->mark, r->dedup);
    if (!cs)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    r->stream = cs;
    const rt_batch *b;
    memset(&r->front_footer, 0, sizeof r->front_footer);
    memset(&r->back_footer, 0, sizeof r->back_footer);
    r->tail_footer = true;
    r->footer_records = r->footer_chunk = 0;
    while (r->status == RETAIN_OK && (b = rt_csvstream_next(cs)) != NULL) {
        for (size_t i = 0; i < b->nrec && r->status == RETAIN_OK; i++)
            read_record(r, b, &b->rec[i]);
        if (r->recheck) {
            rt_csvstream_release(cs, b);
            break;
        }
        if (b->chunk && r->status == RETAIN_OK)
            end_chunk(r, b);
        if (b->chunk && r->status != RETAIN_OK) {
            r->tail_footer = false;
            hold_back_error(r, cs);
        }
        rt_csvstream_release(cs, b);
        if (r->unordered && !r->stealing && r->header_done && r->status == RETAIN_OK &&
            may_steal(r)) {
            rt_csvstream_allow_steal(cs);
            r->stealing = true;
        }
    }
    retain_diag stream_diag;
    retain_status stream_status = rt_csvstream_stop(cs, &stream_diag);
    r->delimiter = rt_csvstream_delimiter(cs);
    unsigned long lines = rt_csvstream_lines(cs);
    r->stream = NULL;
    r->mark_ok = rt_csvstream_mark_line(cs, &r->mark_line);
    if (r->recheck) {
        retain_status st = recheck_in_order(r, in, at, cs, diag);
        rt_csvstream_free(cs);
        r->footer_records = 0;
        return st;
    }

    /* the first problem in the file wins: records before a parse error
     * were all read above, and the producer's part comes before the
     * chunks taken from the end */
    retain_status st = r->status;
    if (st == RETAIN_OK && stream_status != RETAIN_OK) {
        *diag = stream_diag;
        st = stream_status;
    }
    /* the part read in order ends in a possible footer: one, if all after
     * it is footer too */
    footer_state *ff = &r->front_footer;
    if (st == RETAIN_OK && ff->pending && r->tail_footer) {
        r->footer_records += ff->records;
        r->footer_line = ff->line;
        r->footer_chunk = 0;
        memcpy(r->footer_text, ff->text, sizeof r->footer_text);
    } else if (st == RETAIN_OK && ff->pending) {
        *diag = ff->diag;
        st = diag->status;
    }
    if (st == RETAIN_OK && rt_csvstream_chunks(cs) > 0)
        st = join_chunks(r, cs, diag);
    if (st == RETAIN_OK && r->footer_records && r->footer_chunk)
        r->footer_line = rt_csvstream_line(cs, r->footer_chunk, r->footer_line);
    size_t nchunks = rt_csvstream_chunks(cs);
    if (st == RETAIN_OK && r->dedup && nchunks > 0) { /* where its chunks start */
        file_info *f = &r->files[r->nfiles - 1];
        if (!(f->chunk_line = malloc((nchunks + 1) * sizeof *f->chunk_line)))
            st = rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        for (size_t c = 1; f->chunk_line && c <= nchunks; c++)
            f->chunk_line[c] = rt_csvstream_line(cs, c, 0);
        f->nchunks = f->chunk_line ? nchunks : 0;
    }
    rt_csvstream_free(cs);
    if (st != RETAIN_OK) {
        r->footer_records = 0; /* its line may not be known */
        if (diag->status == RETAIN_OK)
            diag->status = st;
        return st;
    }
    if (!r->header_done)
        return rt_fail(diag, RETAIN_ERR_DATA, 1, NULL, "empty input: no header line");
    if (r->rows == 0 && r->skipped == 0 && r->empty_ok)
        return RETAIN_OK; /* an empty table, as asked */
    if (r->rows == 0 && r->skipped == 0)
        return rt_fail(diag, RETAIN_ERR_DATA, lines > 1 ? lines - 1 : 1, NULL,
                       "no data rows after the header");
    if (r->rows == 0)
        return rt_fail(diag, RETAIN_ERR_DATA, r->skipped_lines[0], NULL,
                       "no valid rows: all %lu were skipped", r->skipped);
    return RETAIN_OK;
}

/* ---- a guess of the latest day, from the end of a file ----------------- */

typedef struct {
    bool any;
    retain_day latest;
    retain_table_kind kind;
} latest_guess;

static retain_status guess_row(const retain_row *row, void *user, retain_diag *diag)
{
    (void)diag;
    latest_guess *g = user;
    bool has = g->kind == RETAIN_TABLE_CUSTOMERS || row->has_date;
    retain_day d = g->kind == RETAIN_TABLE_CUSTOMERS ? row->start : row->date;
    if (has && (!g->any || d > g->latest)) {
        g->latest = d;
        g->any = true;
    }
    return RETAIN_OK;
}

retain_status retain_reader_guess_latest(const retain_reader_options *o, FILE *in, size_t bytes,
                                         retain_day *day, bool *found)
{
    *found = false;
    off_t size;
    if (fseeko(in, 0, SEEK_END) != 0 || (size = ftello(in)) <= 0 || fseeko(in, 0, SEEK_SET) != 0)
        return RETAIN_OK;
    /* the header line, then the tail from its first line start */
    size_t cap = bytes + 65536;
    char *buf = malloc(cap);
    if (!buf)
        return RETAIN_ERR_NOMEM;
    size_t n = fread(buf, 1, 65536 < (size_t)size ? 65536 : (size_t)size, in), head = 0;
    while (head < n && buf[head] != '\n')
        head++;
    size_t len = 0;
    if (head < n) {
        len = ++head;
        off_t from = size - (off_t)bytes > (off_t)head ? size - (off_t)bytes : (off_t)head;
        if (fseeko(in, from, SEEK_SET) == 0) {
            size_t t = fread(buf + len, 1, (size_t)(size - from), in), skip = 0;
            if (from > (off_t)head) { /* from a line start on */
                while (skip < t && buf[len + skip] != '\n')
                    skip++;
                skip = skip < t ? skip + 1 : t;
            }
            memmove(buf + len, buf + len + skip, t - skip);
            len += t - skip;
        }
    }
    clearerr(in);
    retain_status st = RETAIN_OK;
    FILE *m = len > head ? fmemopen(buf, len, "r") : NULL;
    if (m) {
        retain_reader_options g = *o;
        g.want =
            RETAIN_ROLE_BIT(RETAIN_COL_ID) |
            RETAIN_ROLE_BIT(o->kind == RETAIN_TABLE_CUSTOMERS ? RETAIN_COL_START : RETAIN_COL_DATE);
        g.extra = NULL;
        g.n_extra = 0;
        g.skip_bad = true;
        g.unordered = false;
        g.keep_duplicates = true;
        g.max_segments = 0;
        g.ignore_mrr = true;
        g.need_mrr = false;
        retain_diag diag;
        retain_reader *r = retain_reader_new(&g, &diag);
        latest_guess lg = {false, 0, o->kind};
        if (!r)
            st = diag.status == RETAIN_ERR_NOMEM ? RETAIN_ERR_NOMEM : RETAIN_OK;
        else if (retain_reader_read(r, m, guess_row, &lg, &diag) == RETAIN_ERR_NOMEM)
            st = RETAIN_ERR_NOMEM;
        retain_reader_free(r);
        fclose(m);
        if (st == RETAIN_OK && lg.any) {
            *day = lg.latest;
            *found = true;
        }
    }
    free(buf);
    if (fseeko(in, 0, SEEK_SET) != 0)
        *found = false;
    return st;
}
