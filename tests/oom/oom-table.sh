#!/bin/bash
# oom-table.sh RETAIN SHIM: an allocation made to fail while a table is
# being written ends in exit 71, "out of memory" and nothing on stdout;
# never in exit 0 with a truncated table.
#
# For each command below (their tables written by libretain), the run is counted (RETAIN_ALLOC_COUNT), then
# each of its last TAIL allocations is made to fail in turn: the writer's
# allocations come last (it keeps the cells of a -f table to align them).
# Each such run must give exit 0 and the whole table, or exit 71 with an
# empty stdout and the one out-of-memory message. At least one run per
# command must have failed (else nothing was tested).
set -u
RETAIN=$1
SHIM=$2
TAIL=${TAIL:-40}
FIXTURES=$(cd "$(dirname "$0")/../fixtures" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$FIXTURES" || exit 99
fail=0
check() { # name, then the command's arguments
    local name=$1
    shift
    RETAIN_ALLOC_COUNT=$tmp/n LD_PRELOAD=$SHIM "$RETAIN" "$@" >"$tmp/want" 2>"$tmp/err" || {
        echo "$name: fails without injection"; fail=1; return; }
    local total
    total=$(cat "$tmp/n")
    local from=$((total > TAIL ? total - TAIL : 1)) failed=0
    for ((n = from; n <= total; n++)); do
        RETAIN_FAIL_ALLOC=$n LD_PRELOAD=$SHIM "$RETAIN" "$@" >"$tmp/out" 2>"$tmp/err"
        code=$?
        if [ "$code" = 0 ]; then
            cmp -s "$tmp/want" "$tmp/out" || {
                echo "$name: allocation $n/$total failed: exit 0 with another table"; fail=1; }
        elif [ "$code" = 71 ]; then
            failed=$((failed + 1))
            [ -s "$tmp/out" ] && { echo "$name: allocation $n/$total: exit 71 but stdout not empty"; fail=1; }
            grep -qx "retain $1: out of memory" "$tmp/err" || {
                echo "$name: allocation $n/$total: exit 71, stderr:"; cat "$tmp/err"; fail=1; }
        else
            echo "$name: allocation $n/$total failed: exit $code"; cat "$tmp/err"; fail=1
        fi
    done
    [ "$failed" -gt 0 ] || { echo "$name: no injected failure reached the program"; fail=1; }
    echo "$name: $((total - from + 1)) runs, $failed out of memory, allocations $from..$total"
}
check cohort-wide-table cohort --wide --format table canonical.csv
check rate-table rate --format table --by plan canonical.csv
check churn-json churn --format json --by plan canonical.csv
check survival-table survival --format table --by plan canonical.csv
check cac-table cac --format table --spend-table spend.csv --by Plan ../../examples/hubspot-export.csv
check ltv-table ltv --format table --by Plan ../../examples/hubspot-export.csv
check nps-table nps --format table --period quarter signals-survey.csv
check activation-table activation --format table --events signals-events.csv --event report \
    --period quarter signals-crm.csv
check norm-table norm --format table --keep plan canonical.csv
exit $fail
