#!/usr/bin/env bash
# MRR benchmark: `retain mrr` (monthly MRR movements, NRR, GRR) on the
# generated CRM export (bench/gen-crm.c) against a bare libcsv parse of the
# same file (bench/csv-bare.c) and against DuckDB computing the same
# movements in SQL (bench/reference/mrr_duckdb.mjs), whose table must be
# byte-identical. Markdown on stdout, progress on stderr. run.sh calls it;
# on its own:
#
#   bench/mrr.sh [--quick] [--rounds N] [--sizes "1000000 10000000"]
#
# Environment: RETAIN (default <repo>/build/retain), BENCH_DATA (default
# /dev/shm/retain-bench), DUCKDB_THREADS (default: all cores).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
bench_setup mrr.sh 2,13 "$@"
duck=0
if command -v node >/dev/null && [ -d "$here/reference/node_modules/@duckdb/node-api" ]; then
    duck=1
else
    log "mrr.sh: no DuckDB (node and @duckdb/node-api in bench/reference: npm ci there)"
fi

# per-round ratio wall(csv-bare) / wall(NAME), median over rounds
rel() { paste "$work/bare" "$work/$1" | awk '{print $1 / $4}' | median; }

status=0
echo "## MRR movements: retain mrr"
echo
echo "The CRM export of \`bench/gen-crm.c\` (\`customer_id,signup_date,churn_date,mrr,plan,channel\`),"
echo "read from $DATA; medians of $rounds interleaved rounds. \`retain mrr\` with its defaults"
echo "(months, as-of the latest start); DuckDB computes the same table in SQL"
echo "(\`bench/reference/mrr_duckdb.mjs\`). Times are wall clock; **CPU** is user time, all"
echo "threads (the machine may be shared)."
echo
for n in $sizes; do
    crm_export "$n"
    bytes=$(stat -c %s "$f")
    mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
    rm -f "$work"/bare "$work"/mrr "$work"/duckdb
    for r in $(seq "$rounds"); do
        log "mrr $n: round $r"
        cat "$f" >/dev/null
        run bare "$work/csv-bare" "$f" || status=1
        run mrr "$RETAIN" mrr -q "$f" || status=1
        [ $duck = 1 ] && { run duckdb node "$here/reference/mrr_duckdb.mjs" "$f" || status=1; }
    done
    "$RETAIN" mrr -q -v "$f" >/dev/null 2>"$work/mrr.v" || status=1
    [ -s "$work/bare" ] && [ -s "$work/mrr" ] || { status=1; continue; }
    customers=$(sed -n 's/.* rows, \([0-9]*\) customers.*/\1/p' "$work/mrr.v")
    state=$(sed -n 's/.*(\([0-9.]*\) bytes per customer).*/\1/p' "$work/mrr.v")
    echo "### $n rows ($mb MB, $customers customers)"
    echo
    echo "| command | median s | CPU s | MB/s | peak RSS MiB | vs csv-bare |"
    echo "|---|---:|---:|---:|---:|---:|"
    line() { # LABEL NAME
        awk -v l="$1" -v b="$bytes" -v w="$(col 1 "$2")" -v u="$(col 2 "$2")" -v m="$(col 3 "$2")" \
            -v r="$(rel "$2")" 'BEGIN {
            printf "| %s | %.3f | %.3f | %.1f | %.1f | %.3f |\n", l, w, u, b / 1e6 / w, m / 1024, r }'
    }
    line "csv-bare (libcsv, empty callbacks)" bare
    line "\`retain mrr\`" mrr
    [ -s "$work/duckdb" ] && line "DuckDB, the same movements in SQL" duckdb
    echo
    ratio=$(rel mrr)
    verdict=PASS
    awk -v r="$ratio" 'BEGIN {exit !(r >= 0.70)}' || verdict="BELOW TARGET"
    awk -v c="$customers" -v s="$state" -v m="$(col 3 mrr)" -v r="$ratio" -v v="$verdict" 'BEGIN {
        printf "- **retain mrr / csv-bare speed: %.3f** (target >= 0.70: %s)\n", r, v
        printf "- per-customer state: %s bytes per customer (`-v`); peak RSS %.0f bytes per customer\n", s, m * 1024 / c }'
    if [ -s "$work/duckdb" ]; then
        if cmp -s "$work/mrr.out" "$work/duckdb.out"; then
            echo "- output: DuckDB's table is identical to retain's ($(($(wc -l <"$work/mrr.out") - 1)) months)"
        else
            echo "- output: DuckDB's table **DIFFERS** from retain's:"
            echo
            echo '```diff'
            diff -u --label retain --label duckdb "$work/mrr.out" "$work/duckdb.out" | head -n 20
            echo '```'
            status=1
        fi
    fi
    echo
done
exit $status
