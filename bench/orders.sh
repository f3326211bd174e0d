#!/usr/bin/env bash
# Orders benchmark: `retain rfm` (the streaming per-customer summaries and
# the RFM scores) and `retain clv --fit-only` (the same, then the BG/NBD and
# Gamma-Gamma fits) on synthetic order exports (bench/gen-orders.c), against
# a bare libcsv parse of the same file (bench/csv-bare.c). Markdown on
# stdout, progress on stderr. run.sh calls it; on its own:
#
#   bench/orders.sh [--quick] [--rounds N] [--sizes "1000000 10000000"]
#
# Environment: RETAIN (default <repo>/build/retain), BENCH_DATA (default
# /dev/shm/retain-bench).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
bench_setup orders.sh 2,12 "$@"
cc -O2 -o "$work/gen-orders" "$here/gen-orders.c" -lm || die "building gen-orders failed"

status=0
echo "## Orders: retain rfm and retain clv"
echo
echo "Synthetic exports from \`bench/gen-orders.c\` (\`customer_id,order_date,amount\`, in date order,"
echo "BG/NBD-like customers over three years), read from $DATA; medians of $rounds interleaved rounds."
echo "Times are wall clock; **CPU** is user time (the machine may be shared)."
echo
for n in $sizes; do
    f=$DATA/orders-$n.csv
    if [ ! -s "$f" ]; then
        log "generating $f"
        "$work/gen-orders" "$n" >"$f.tmp.$$" 2>"$work/gen.err" && mv "$f.tmp.$$" "$f" || die "gen-orders failed"
    fi
    bytes=$(stat -c %s "$f")
    mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
    rm -f "$work"/bare "$work"/rfm "$work"/clv
    for r in $(seq "$rounds"); do
        log "orders $n: round $r"
        cat "$f" >/dev/null
        run bare "$work/csv-bare" "$f" || status=1
        run rfm "$RETAIN" rfm "$f" || status=1
        cp "$work/err" "$work/rfm.v" 2>/dev/null
        "$RETAIN" rfm -v "$f" >/dev/null 2>"$work/rfm.v" || status=1
        run clv "$RETAIN" clv --fit-only "$f" || status=1
        cp "$work/clv.out" "$work/params"
    done
    [ -s "$work/bare" ] && [ -s "$work/rfm" ] && [ -s "$work/clv" ] || { status=1; continue; }
    customers=$(sed -n 's/.* rows, \([0-9]*\) customers.*/\1/p' "$work/rfm.v")
    state=$(sed -n 's/.*(\([0-9.]*\) bytes per customer).*/\1/p' "$work/rfm.v")
    bw=$(col 1 bare) rw=$(col 1 rfm) cw=$(col 1 clv) ru=$(col 2 rfm) cu=$(col 2 clv)
    rss=$(col 3 rfm) crss=$(col 3 clv)
    echo "### $n orders ($mb MB, $customers customers)"
    echo
    echo "| command | median s | CPU s | MB/s | peak RSS MiB | vs csv-bare |"
    echo "|---|---:|---:|---:|---:|---:|"
    awk -v b="$bytes" -v bw="$bw" -v bu="$(col 2 bare)" -v brss="$(col 3 bare)" 'BEGIN {
        printf "| csv-bare (libcsv, empty callbacks) | %.3f | %.3f | %.1f | %.1f | 1.000 |\n", bw, bu, b / 1e6 / bw, brss / 1024 }'
    awk -v b="$bytes" -v w="$rw" -v u="$ru" -v m="$rss" -v bw="$bw" 'BEGIN {
        printf "| `retain rfm` | %.3f | %.3f | %.1f | %.1f | %.3f |\n", w, u, b / 1e6 / w, m / 1024, bw / w }'
    awk -v b="$bytes" -v w="$cw" -v u="$cu" -v m="$crss" -v bw="$bw" 'BEGIN {
        printf "| `retain clv --fit-only` | %.3f | %.3f | %.1f | %.1f | %.3f |\n", w, u, b / 1e6 / w, m / 1024, bw / w }'
    echo
    awk -v c="$customers" -v s="$state" -v m="$rss" -v cw="$cw" -v rw="$rw" -v cu="$cu" -v ru="$ru" 'BEGIN {
        printf "- per-customer state: %s bytes per customer (`-v`); peak RSS of `retain rfm` %.0f bytes per customer\n", s, m * 1024 / c
        printf "- the fits (BG/NBD, then Gamma-Gamma) on %d customers: %.2f s wall, %.2f s CPU (`clv --fit-only` less `rfm`)\n", c, cw - rw, cu - ru }'
    echo "- fitted on this export: $(grep -E '^(bgnbd|gamma_gamma),' "$work/params" | tr '\n' ' ')"
    echo
done
exit $status
