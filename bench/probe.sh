#!/usr/bin/env bash
# bench/probe.sh: hostile inputs under a 4 GB address-space limit. Each must
# end within seconds with a clear error naming what to change (or a right
# answer), never by the OOM killer. Prints one line per case: exit code,
# wall and user CPU seconds (the machine may be shared), peak RSS, and the
# first lines of stderr.
#
#   bench/probe.sh [RETAIN]     (data in $PROBE_DATA, default /dev/shm/retain-probe)
set -u
here=$(cd "$(dirname "$0")" && pwd)
RETAIN=${1:-$here/../build/retain}
D=${PROBE_DATA:-/dev/shm/retain-probe}
LIMIT_KB=${PROBE_LIMIT_KB:-4000000}
mkdir -p "$D"
py=python3

gen() { # gen FILE PYTHON-CODE: writes FILE once
    [ -s "$D/$1" ] || $py -c "$2" >"$D/$1.tmp" && mv "$D/$1.tmp" "$D/$1" 2>/dev/null
    true
}
# 1 MiB of blank lines before a 1M-row export (the row estimate)
gen blank-start.csv "
import sys, random
w = sys.stdout.write
w('\n' * (1 << 20)); w('id,start,end,mrr\n')
r = random.Random(1)
for i in range(1000000):
    w('c%d,2023-%02d-%02d,,%d.00\n' % (i, 1 + i % 12, 1 + i % 28, 10 + i % 90))"
# --by on a column of 1M distinct values
gen distinct.csv "
import sys
w = sys.stdout.write
w('id,start,end,mrr,plan\n')
for i in range(1000000):
    w('c%d,2023-%02d-%02d,,10.00,p%d\n' % (i, 1 + i % 12, 1 + i % 28, i))"
# a 200 MB line of 'a,'
gen long-line.csv "
import sys
sys.stdout.write('id,start,end\n'); sys.stdout.write('a,' * 100000000 + '\n')"
# an unclosed quote near the start of a 50 MB file
gen unclosed.csv "
import sys
w = sys.stdout.write
w('id,start,end\n\"a,2024-01-01,\n')
for i in range(1000000):
    w('c%d,2023-01-01,2023-06-01,x\n' % i)"
# one customer, 18000 disjoint one-day rows over 99 years
gen one-customer.csv "
import sys, datetime
w = sys.stdout.write
w('id,start,end\n')
d = datetime.date(1925, 1, 1)
for i in range(18000):
    s = d + datetime.timedelta(days=2 * i)
    w('a,%s,%s\n' % (s, s + datetime.timedelta(days=1)))"
# a mistyped year in a 35-byte file
printf 'id,start,end\na,1025-01-20,\nb,2025-01-20,\n' >"$D/typo.csv"
# ids read as MRR
gen ids-as-mrr.csv "
import sys
w = sys.stdout.write
w('Record ID,Became a Customer Date,Churn Date,MRR\n')
for i in range(100000):
    w('96120%05d,2024-01-%02d,,10.00\n' % (i, 1 + i % 28))"
# binary
[ -s "$D/random.bin" ] || head -c 50000000 /dev/urandom >"$D/random.bin"
# many segments x periods
gen seg-periods.csv "
import sys
w = sys.stdout.write
w('id,start,end,plan\n')
for i in range(200000):
    w('c%d,%d-%02d-01,,p%d\n' % (i, 1930 + i % 95, 1 + i % 12, i % 5000))"

probe() { # probe NAME ARGS...
    local name=$1 t0 t1 code rss
    shift
    t0=$(date +%s.%N)
    (ulimit -v "$LIMIT_KB"; /usr/bin/time -f '%M %U' -o "$D/rss" timeout 120 "$RETAIN" "$@" \
        >"$D/out" 2>"$D/err")
    code=$?
    t1=$(date +%s.%N)
    read -r rss user < <(tail -n 1 "$D/rss" 2>/dev/null)
    printf '| %s | `retain %s` | %s | %.1f | %s | %s | %s |\n' "$name" \
        "$(echo "$*" | sed "s|$D/||g")" "$code" "$(echo "$t1 - $t0" | bc)" "${user:-?}" \
        "$((${rss:-0} / 1024))" \
        "$(grep -v '^Try' "$D/err" | head -n 2 | tr '\n' ' ' | sed "s|$D/||g" | cut -c1-200)"
}

echo "| case | command | exit | s | user s | peak RSS MiB | stderr |"
echo "|---|---|---:|---:|---:|---:|---|"
probe blank-start rate "$D/blank-start.csv"
probe blank-start-churn churn "$D/blank-start.csv"
probe blank-start-ltv ltv "$D/blank-start.csv"
probe distinct-by-churn churn --by plan "$D/distinct.csv"
probe distinct-by-survival survival --by plan "$D/distinct.csv"
probe distinct-by-cohort cohort --by plan "$D/distinct.csv"
probe distinct-by-rate rate --by plan "$D/distinct.csv"
probe long-line rate "$D/long-line.csv"
probe unclosed-quote cohort "$D/unclosed.csv"
probe one-customer-day rate --period day "$D/one-customer.csv"
probe typo-year cohort "$D/typo.csv"
probe as-of-9999 rate --as-of 9999-12-31 "$D/typo.csv"
probe as-of-9999-cohort cohort --as-of 9999-12-31 "$D/one-customer.csv"
probe ids-as-mrr ltv --mrr "Record ID" "$D/ids-as-mrr.csv"
probe binary rate "$D/random.bin"
probe seg-periods cohort --by plan --period week "$D/seg-periods.csv"
probe seg-periods-rate rate --by plan --period week "$D/seg-periods.csv"
probe seg-periods-cohort-month cohort --by plan "$D/seg-periods.csv"
