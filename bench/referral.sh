#!/usr/bin/env bash
# Referral benchmark: `retain referral` (the tier table, and --summary) on
# the synthetic CRM export of bench/gen-crm.c with a generated referrals
# table (REFERRALS rows, referrer and referred drawn among the export's
# ids, 20 % of them leads not signed, half with a reward), against a bare
# libcsv parse of the export (bench/csv-bare.c). Markdown on stdout,
# progress on stderr. On its own:
#
#   bench/referral.sh [--quick] [--rounds N] [--sizes "1000000 10000000"]
#                     [--referrals N]
#
# Environment: RETAIN (default <repo>/build/retain), BENCH_DATA (default
# /dev/shm/retain-bench). Where the machine is shared, run 10M rows only
# under the lock the other benchmarks take too (`flock LOCK bench/referral.sh`).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
# --referrals N is this script's own; the rest is bench_setup's
referrals=100000 referrals_given=0 args=()
while [ $# -gt 0 ]; do
    case $1 in
    --referrals) referrals=$2; referrals_given=1; shift ;;
    *) args+=("$1") ;;
    esac
    shift
done
bench_setup referral.sh 2,14 "${args[@]}"
[ "$sizes" = 100000 ] && [ $referrals_given = 0 ] && referrals=10000 # --quick

status=0
echo "## Referral programmes: retain referral"
echo
echo "The export of \`bench/gen-crm.c\` with a referrals table of $referrals rows (deterministic:"
echo "referrer and referred among the export's ids, dates 2018-2024, 20 % leads, half with a"
echo "reward), read from $DATA; medians of $rounds interleaved rounds. Times are wall clock;"
echo "**CPU** is user time (the machine may be shared): the CPU ratio is the fairer one there."
echo
for n in $sizes; do
    crm_export "$n"
    ref=$DATA/referrals-$n-$referrals.csv
    if [ ! -s "$ref" ]; then
        log "generating $ref"
        awk -v n="$referrals" -v ids="$((n * 9 / 10))" 'BEGIN {
            srand(17); print "referrer_id,referred_id,referral_date,reward"
            for (i = 0; i < n; i++) {
                a = 1 + int(rand() * ids); b = 1 + int(rand() * ids)
                printf "C%08d,%s,%04d-%02d-%02d,%s\n", a, rand() < 0.8 ? sprintf("C%08d", b) : "",
                    2018 + int(rand() * 7), 1 + int(rand() * 12), 1 + int(rand() * 28),
                    rand() < 0.5 ? sprintf("%d.00", 100 + int(rand() * 900)) : ""
            }
        }' >"$ref.tmp.$$" && mv "$ref.tmp.$$" "$ref" || die "generating the referrals failed"
    fi
    bytes=$(stat -c %s "$f")
    rbytes=$(stat -c %s "$ref")
    mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
    rm -f "$work"/bare "$work"/tiers "$work"/summary
    for r in $(seq "$rounds"); do
        log "referral $n: round $r"
        cat "$f" "$ref" >/dev/null
        run bare "$work/csv-bare" "$f" || status=1
        run summary "$RETAIN" referral -q --summary --referrals "$ref" "$f" || status=1
        run tiers "$RETAIN" referral -q --referrals "$ref" "$f" || status=1
    done
    "$RETAIN" referral -v --summary --referrals "$ref" "$f" >/dev/null 2>"$work/v" || status=1
    [ -s "$work/bare" ] && [ -s "$work/summary" ] && [ -s "$work/tiers" ] || { status=1; continue; }
    customers=$(sed -n 's/.* rows, \([0-9]*\) customers.*/\1/p' "$work/v")
    state=$(sed -n 's/.*(\([0-9.]*\) bytes per customer).*/\1/p' "$work/v")
    echo "### $n rows ($mb MB, $customers customers) and $referrals referrals"
    echo
    echo "| command | median s | CPU s | MB/s | peak RSS MiB | vs csv-bare (wall) | vs csv-bare (CPU) |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    bw=$(col 1 bare) bu=$(col 2 bare)
    awk -v b="$bytes" -v w="$bw" -v u="$bu" -v m="$(col 3 bare)" 'BEGIN {
        printf "| csv-bare (libcsv, empty callbacks) | %.3f | %.3f | %.1f | %.1f | 1.000 | 1.000 |\n", w, u, b / 1e6 / w, m / 1024 }'
    for cmd in summary tiers; do
        label='`retain referral --summary`'
        [ "$cmd" = tiers ] && label='`retain referral` (tier table, written to $DATA)'
        awk -v l="$label" -v b="$((bytes + rbytes))" -v w="$(col 1 $cmd)" -v u="$(col 2 $cmd)" \
            -v m="$(col 3 $cmd)" -v bw="$bw" -v bu="$bu" 'BEGIN {
            printf "| %s | %.3f | %.3f | %.1f | %.1f | %.3f | %.3f |\n", l, w, u, b / 1e6 / w, m / 1024, bw / w, bu / u }'
    done
    echo
    awk -v c="$customers" -v s="$state" -v m="$(col 3 summary)" 'BEGIN {
        printf "- state: %s bytes per customer (`-v`: the event accumulator, the per-customer record, the tier rows); peak RSS of `--summary` %.0f bytes per customer\n", s, m * 1024 / c }'
    echo
done
exit $status
