/* csv-bare: the "bare parse" baseline for the retain benchmark.
 *
 *   csv-bare FILE
 *
 * Parses FILE with libcsv (empty callbacks, CSV_STRICT | CSV_STRICT_FINI |
 * CSV_APPEND_NULL, the options retain uses), reading it with fread in 1 MiB
 * blocks, and prints the bytes and rows (records, header included) parsed.
 * Nothing else is done with the data: this is the speed retain is compared
 * with.
 *
 *   cc -O2 -o csv-bare csv-bare.c -lcsv      (Debian: libcsv-dev)
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    (void)data;
}

static void on_record(int c, void *data)
{
    (void)c;
    ++*(unsigned long long *)data;
}

int main(int argc, char **argv)
{
    enum { BLK = 1 << 20 };
    struct csv_parser p;
    static char buf[BLK];
    unsigned long long bytes = 0, rows = 0;
    size_t n;
    FILE *f;

    if (argc != 2) {
        fputs("usage: csv-bare FILE\n", stderr);
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fputs("csv-bare: csv_init failed\n", stderr);
        return 1;
    }
    while ((n = fread(buf, 1, BLK, f)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_record, &rows) != n) {
            fprintf(stderr, "csv-bare: %s: parse error near byte %llu: %s\n", argv[1], bytes,
                    csv_strerror(csv_error(&p)));
            return 1;
        }
        bytes += n;
    }
    if (ferror(f)) {
        perror(argv[1]);
        return 1;
    }
    if (csv_fini(&p, on_field, on_record, &rows) != 0) {
        fprintf(stderr, "csv-bare: %s: %s at end of file\n", argv[1], csv_strerror(csv_error(&p)));
        return 1;
    }
    csv_free(&p);
    fclose(f);
    printf("bytes=%llu rows=%llu\n", bytes, rows);
    return 0;
}
