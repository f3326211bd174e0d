#!/bin/bash
# oom-sweep.sh RETAIN SHIM COMMAND: every allocation of one subcommand's run
# on a small fixture made to fail in turn (tests/oom/failmalloc.c).
#
# The run is counted first (RETAIN_ALLOC_COUNT: allocations since main),
# then for N = 1..count (every N; a dense sample, every STRIDE-th, when the
# count is over MAX_RUNS, default 200; MAX_RUNS=0: every N whatever the
# count) the N-th allocation fails; then for every 4th of
# those N, every allocation from the N-th on (memory that stays
# exhausted: what reports the error must not need memory). Each such run
# must end in one of two ways:
#   - exit 71, nothing on stdout, a stderr whose one new line is
#     "retain COMMAND: out of memory" (other lines only notes the normal
#     run also prints), no crash;
#   - exit 0 with the normal run's stdout and stderr byte for byte (an
#     allocation the C library can do without, such as a stdio buffer).
# Never another exit status, a signal, a truncated table or a different
# message. Under a sanitized build (SANITIZED=1) the shim forwards to
# AddressSanitizer's allocator, so that LeakSanitizer reports any block a
# failure path forgot to free: its report fails the run (lsan.supp: the
# one leak inside GSL).
#
# Not swept: the allocations LIBLINEAR makes inside train() (retain score's
# fit), which failmalloc.c neither counts nor fails. LIBLINEAR uses
# malloc's result unchecked and allocates with C++ new, whose failure
# throws std::bad_alloc through C code: the process aborts (SIGABRT), and
# no caller in the same process can turn that into exit 71 (only running
# the fit in a child process could). What train() allocates is a few
# vectors per training row and per feature, a fraction of the problem
# retain builds just before with checked allocations (a row of feature
# nodes per training customer and cutoff, about 16 bytes per feature each,
# and the labels), so that memory running out shows there first, as exit
# 71. Since operator new's calls come from libstdc++, which the shim skips
# for LIBLINEAR's sake, no library's C++ allocations are swept either; every
# malloc, calloc and realloc call of retain and of the C libraries (libcsv,
# GSL, cairo, pango, the C library) is.
set -u
RETAIN=$1
SHIM=$2
CMD=$3
MAX_RUNS=${MAX_RUNS:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
FIXTURES=$HERE/../fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$FIXTURES" || exit 99

# The fixture each command is swept on: small, and reaching the command's
# main paths (segments, several input tables, a fit).
case $CMD in
rate) args=(rate --by plan canonical.csv) ;;
churn) args=(churn --by plan --period quarter canonical.csv) ;;
cohort) args=(cohort --by plan canonical.csv) ;;
survival) args=(survival --by plan canonical.csv) ;;
ltv) args=(ltv --by plan canonical.csv) ;;
cac) args=(cac --spend-table spend-total.csv canonical.csv) ;;
norm) args=(norm canonical.csv) ;;
risk) args=(risk --events signals-events.csv --tickets signals-tickets.csv --survey signals-survey.csv --orders signals-orders.csv signals-crm.csv) ;;
nps) args=(nps signals-survey.csv) ;;
activation) args=(activation --events signals-events.csv --event login signals-crm.csv) ;;
score) args=(score --events score-events.csv score-crm.csv) ;;
repeat) args=(repeat orders-extremes.csv) ;;
rfm) args=(rfm -f table orders-extremes.csv) ;;
clv) args=(clv orders-extremes.csv) ;;
report) args=(report canonical.csv) ;;
mrr) args=(mrr --by plan --customers mrr-example.csv) ;;
referral) args=(referral --as-of 2025-06-30 --referrals referral-referrals.csv --deals referral-hubspot-deals.csv --spend-table referral-spend.csv referral-crm.csv) ;;
*)
    echo "oom-sweep.sh: no fixture for $CMD"
    exit 99
    ;;
esac

export LC_ALL=C
if [ "${SANITIZED:-0}" = 1 ]; then
    export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1
    export LSAN_OPTIONS=suppressions=$HERE/lsan.supp:print_suppressions=0
fi
run() { # run N [MODE]: the run with the N-th allocation failing (0: none)
    RETAIN_FAIL_ALLOC=$1 RETAIN_FAIL_ALLOC_MODE=${2:-once} RETAIN_ALLOC_COUNT=$tmp/n \
        LD_PRELOAD=$SHIM "$RETAIN" "${args[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null
}

run 0
code=$?
[ "$code" = 0 ] || {
    echo "$CMD: exit $code without injection:"
    cat "$tmp/err"
    exit 1
}
mv "$tmp/out" "$tmp/want"
mv "$tmp/err" "$tmp/want-err"
total=$(cat "$tmp/n")
stride=1
[ "$MAX_RUNS" = 0 ] || stride=$(((total + MAX_RUNS - 1) / MAX_RUNS))
[ "$stride" -ge 1 ] || stride=1
# each N once; then every 4th of them with memory exhausted from N on
# (RETAIN_FAIL_ALLOC_MODE=from: the error paths must not need memory)
plan=()
for ((n = 1; n <= total; n += stride)); do plan+=("$n once"); done
for ((n = 1; n <= total; n += 4 * stride)); do plan+=("$n from"); done
fail=0 runs=0 nomem=0 survived=0
for step in "${plan[@]}"; do
    read -r n mode <<<"$step"
    run "$n" "$mode"
    code=$?
    runs=$((runs + 1))
    what=""
    if [ "$code" = 0 ]; then
        if cmp -s "$tmp/want" "$tmp/out" && cmp -s "$tmp/want-err" "$tmp/err"; then
            survived=$((survived + 1))
        else
            what="exit 0 with another output"
        fi
    elif [ "$code" = 71 ]; then
        nomem=$((nomem + 1))
        # the out-of-memory line once; any other line one the normal run prints
        if [ -s "$tmp/out" ]; then
            what="exit 71 but stdout not empty"
        elif [ "$(grep -cx "retain $CMD: out of memory" "$tmp/err")" != 1 ]; then
            what="exit 71 without the one out-of-memory line"
        elif grep -vx "retain $CMD: out of memory" "$tmp/err" | grep -vxFf "$tmp/want-err" | grep -q .; then
            what="exit 71 with other messages"
        fi
    else
        what="exit $code"
    fi
    if [ -n "$what" ]; then
        echo "$CMD: allocation $n/$total failed ($mode): $what; stderr:"
        head -n 30 "$tmp/err"
        fail=$((fail + 1))
        [ "$fail" -ge 10 ] && break
    fi
done
[ "$nomem" -gt 0 ] || {
    echo "$CMD: no injected failure reached the program"
    fail=1
}
echo "$CMD (${args[*]}): $runs runs over $total allocations (every $stride, then every $((4 * stride)) from on): $nomem out of memory, $survived unaffected, $fail wrong"
[ "$fail" = 0 ]
