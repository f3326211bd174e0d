#!/usr/bin/env bash
# retain benchmark: throughput of `retain rate` / `retain norm` against a bare
# libcsv parse and against the same TRC computation in pandas, DuckDB and
# Miller, plus an output cross-check.  Markdown report on stdout, progress on
# stderr.  See bench/README.md.
#
#   bench/run.sh [--quick] [--rounds N] [--sizes "1000000 10000000"]
#                [--event-rows N] [--only-events]
#
# Environment:
#   RETAIN            retain binary (default: <repo>/build/retain)
#   BENCH_DATA        where exports and scratch files go (default: /dev/shm/retain-bench)
#   MILLER_MAX_ROWS   largest export Miller is run on (default: 2000000)
#   BENCH_NO_INSTALL  set to 1 to never run apt-get / npm
#   BENCH_ORDERS, BENCH_MRR, BENCH_REFERRAL
#                     set to 0 to leave out bench/orders.sh, mrr.sh, referral.sh
#                     (run after the tables above, with the same rounds and sizes)
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RETAIN=${RETAIN:-$root/build/retain}
DATA=${BENCH_DATA:-/dev/shm/retain-bench}
MILLER_MAX_ROWS=${MILLER_MAX_ROWS:-2000000}
PY=/usr/bin/python3

rounds=3
sizes="1000000 10000000"
event_rows=50000000
only_events=0
while [ $# -gt 0 ]; do
    case $1 in
    --quick) rounds=1; sizes=100000; event_rows=200000 ;;
    --event-rows) event_rows=$2; shift ;;
    --only-events) only_events=1 ;;
    --rounds) rounds=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 1; }

mkdir -p "$DATA" || die "cannot create $DATA"
# scratch (built tools, outputs, timings) is private to this run, so that two
# runs sharing $DATA cannot overwrite each other's outputs
work=$(mktemp -d "$DATA/run.XXXXXX") || die "cannot create a scratch directory in $DATA"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"

# ---------------------------------------------------------------- packages
need=()
command -v cc >/dev/null || need+=(gcc)
[ -f /usr/include/csv.h ] || need+=(libcsv-dev)
[ -x /usr/bin/time ] || need+=(time)
"$PY" -c 'import pandas' 2>/dev/null || need+=(python3-pandas)
command -v mlr >/dev/null || need+=(miller)
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ] && [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing Debian packages: ${need[*]}"
        apt-get update -qq >&2 || log "apt-get update failed"
        for p in "${need[@]}"; do
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >&2 || log "could not install $p"
        done
    else
        log "missing packages (${need[*]}) and not root with apt-get: continuing without them"
    fi
fi
[ -x /usr/bin/time ] || die "/usr/bin/time is needed (Debian package: time)"
command -v cc >/dev/null || die "a C compiler is needed"

duck_ok=0 duck_why=""
if ! command -v node >/dev/null; then
    duck_why="node not installed"
else
    if [ ! -d "$here/reference/node_modules/@duckdb/node-api" ] && [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
        log "installing @duckdb/node-api (npm ci in bench/reference)"
        (cd "$here/reference" && npm ci --no-audit --no-fund >&2) || log "npm ci failed"
    fi
    if [ -d "$here/reference/node_modules/@duckdb/node-api" ]; then
        duck_ok=1
    else
        duck_why="@duckdb/node-api not installed (npm ci in bench/reference failed)"
    fi
fi
pandas_ok=0 pandas_why="python3-pandas not importable by $PY"
"$PY" -c 'import pandas' 2>/dev/null && pandas_ok=1
mlr_ok=0 mlr_why="mlr (Debian package miller) not installed"
command -v mlr >/dev/null && mlr_ok=1

# ---------------------------------------------------------------- build
cflags="-O2 -std=c99 -Wall -Wextra"
cc $cflags -o "$work/bin/gen-crm" "$here/gen-crm.c" || die "building gen-crm failed"
cc $cflags -o "$work/bin/gen-events" "$here/gen-events.c" || die "building gen-events failed"
bare_ok=0 bare_why="libcsv-dev missing or csv-bare failed to build"
cc $cflags -o "$work/bin/csv-bare" "$here/csv-bare.c" -lcsv && bare_ok=1

retain_ok=0 retain_why=""
if [ ! -x "$RETAIN" ]; then
    retain_why="$RETAIN not found (build it: cmake -B build && cmake --build build, or set RETAIN)"
else
    retain_ok=1
fi

# ---------------------------------------------------------------- helpers
now() { date +%s.%N; }

# run_timed NAME OUTFILE CMD... : one timed run; appends "NAME round secs rss_kb status" to timings
run_timed() {
    local name=$1 out=$2 t0 t1 st rss
    shift 2
    t0=$(now)
    /usr/bin/time -f '%M %U %S' -o "$work/rss.tmp" "$@" >"$out" 2>"$work/$name.err"
    st=$?
    t1=$(now)
    read -r rss user sys < <(tail -n 1 "$work/rss.tmp" 2>/dev/null)
    case $rss in '' | *[!0-9]*) rss=0 ;; esac
    case $user in '' | *[!0-9.]*) user=0 ;; esac
    case $sys in '' | *[!0-9.]*) sys=0 ;; esac
    # fields: name, round, wall s, peak RSS KiB, exit status, user CPU s (the
    # machine may be shared: CPU time is the steadier figure), system CPU s
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')" "$rss" "$st" "$user" "$sys" >>"$timings"
    if [ $st -ne 0 ]; then
        log "  $name: exit $st: $(head -c 300 "$work/$name.err")"
    fi
    return $st
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print ""; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# coldiff A B: which columns differ, and in how many rows (files of equal shape)
coldiff() {
    awk -F, 'NR==FNR {a[FNR]=$0; next}
        FNR==1 {for (i=1; i<=NF; i++) h[i]=$i; next}
        {split(a[FNR], x, ","); for (i=1; i<=NF; i++) if (x[i] != $i) c[i]++}
        END {if (length(a) != FNR) printf "row counts differ (%d vs %d lines); ", length(a), FNR;
             s=""; for (i=1; i in h; i++) if (c[i]) s = s (s=="" ? "" : ", ") h[i] " " c[i];
             print (s=="" ? "no cell differs" : "rows differing per column: " s)}' "$1" "$2"
}

# busy_pct: % of all CPUs busy over one second (while we run nothing)
busy_pct() {
    local a b
    a=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); d = y[2] - x[2]; p = (d > 0) ? 100 * (y[1] - x[1]) / d : 0; printf "%d", p}'
}
busy_notes=""
note_busy() { # WHEN
    local p
    p=$(busy_pct)
    log "  machine busy before $1: $p %"
    if [ "$p" -ge 15 ]; then
        busy_notes="$busy_notes $1: ${p}%;"
    fi
}

# ---------------------------------------------------------------- header
ncpu=$(nproc)
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
mem=$(free -g | awk '/^Mem:/ {print $2}')
echo "# retain benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $ncpu cores ($cpu), ${mem} GiB RAM, data on $(df -h "$DATA" | awk 'NR==2 {print $1}') ($DATA)"
if [ $retain_ok = 1 ]; then
    rv=$("$RETAIN" --version 2>/dev/null | head -n 1)
    echo "- retain: \`$RETAIN\` (${rv:-no --version}; repo HEAD $(cd "$root" && git log -1 --format='%h %cd' --date=short 2>/dev/null || echo 'none')$(cd "$root" && [ -n "$(git status --porcelain -- lib cmd include 2>/dev/null)" ] && echo ', work tree modified'))"
else
    echo "- retain: skipped: $retain_why"
fi
echo "- runs: $rounds per command, interleaved (A B C ... A B C ...), file warmed before each round; medians"
echo "- MB = 10^6 bytes; RSS = peak resident set (\`/usr/bin/time -f %M\`), largest over the runs"
[ $duck_ok = 1 ] && echo "- DuckDB: $(cd "$here/reference" && node -e 'console.log(require("@duckdb/node-api/package.json").version)' 2>/dev/null), threads: ${DUCKDB_THREADS:-all $ncpu cores}; pandas $("$PY" -c 'import pandas; print(pandas.__version__)' 2>/dev/null); $(mlr --version 2>/dev/null)"
echo

status=0

# ---------------------------------------------------------------- edge cases
# Small hand-made file with overlapping, adjacent, zero-length and win-back rows,
# churn after as-of, negative and half-way rates: every implementation must
# print the expected table byte for byte.
echo "## Edge cases (bench/reference/edge-cases.csv)"
echo
edge=$here/reference/edge-cases.csv
"$PY" "$here/reference/trc_naive.py" "$edge" >"$work/edge.expected" || die "trc_naive.py failed on edge-cases.csv"
edge_check() { # NAME CMD...
    local name=$1
    shift
    if "$@" >"$work/edge.$name" 2>"$work/edge.$name.err"; then
        if cmp -s "$work/edge.expected" "$work/edge.$name"; then
            echo "- $name: identical to the expected table"
        else
            echo "- $name: **DIFFERS** from the expected table ($(coldiff "$work/edge.expected" "$work/edge.$name")):"
            echo
            echo '```diff'
            diff -u --label expected --label "$name" "$work/edge.expected" "$work/edge.$name" | head -n 40
            echo '```'
            status=1
        fi
    else
        echo "- $name: **failed**: \`$(head -c 300 "$work/edge.$name.err" | tr '\n' ' ')\`"
        status=1
    fi
}
[ $pandas_ok = 1 ] && edge_check pandas "$PY" "$here/reference/trc_pandas.py" "$edge"
[ $duck_ok = 1 ] && edge_check duckdb node "$here/reference/trc_duckdb.mjs" "$edge"
[ $mlr_ok = 1 ] && edge_check miller mlr --icsv --from "$edge" put -q -f "$here/reference/trc_miller.mlr"
if [ $retain_ok = 1 ]; then
    # the comparators compute TRC's eight columns; kept, kept_pct left out
    trc_columns() { "$RETAIN" rate -q "$@" | cut -d, -f1-8; }
    edge_check retain trc_columns "$edge"
else
    echo "- retain: skipped: $retain_why"
fi
echo

# ---------------------------------------------------------------- per size
[ $only_events = 1 ] && sizes=""
for n in $sizes; do
    f=$DATA/crm-$n.csv
    if [ ! -s "$f" ]; then
        log "generating $f"
        "$work/bin/gen-crm" "$n" >"$f.tmp.$$" && mv "$f.tmp.$$" "$f" || die "gen-crm failed"
    fi
    bytes=$(stat -c %s "$f")
    mb=$(awk -v b="$bytes" 'BEGIN {printf "%.6f", b / 1e6}')
    timings=$work/timings-$n.tsv
    : >"$timings"

    # command list: name|label|skip-reason
    names=() labels=() skips=()
    add() { names+=("$1"); labels+=("$2"); skips+=("$3"); }
    add bare "csv-bare (libcsv, empty callbacks)" "$([ $bare_ok = 1 ] || echo "$bare_why")"
    add rate "\`retain rate\`" "$([ $retain_ok = 1 ] || echo "$retain_why")"
    add norm "\`retain norm >/dev/null\`" "$([ $retain_ok = 1 ] || echo "$retain_why")"
    add churn "\`retain churn\`" "$([ $retain_ok = 1 ] || echo "$retain_why")"
    add cohort "\`retain cohort\`" "$([ $retain_ok = 1 ] || echo "$retain_why")"
    add survival "\`retain survival\`" "$([ $retain_ok = 1 ] || echo "$retain_why")"
    add mrr "\`retain mrr\`" "$([ $retain_ok = 1 ] || echo "$retain_why")"
    add pandas "pandas (trc_pandas.py)" "$([ $pandas_ok = 1 ] || echo "$pandas_why")"
    add duckdb "DuckDB (trc_duckdb.mjs)" "$([ $duck_ok = 1 ] || echo "$duck_why")"
    mskip=""
    [ $mlr_ok = 1 ] || mskip=$mlr_why
    [ -z "$mskip" ] && [ "$n" -gt "$MILLER_MAX_ROWS" ] &&
        mskip="$n rows > MILLER_MAX_ROWS=$MILLER_MAX_ROWS: Miller keeps every row as maps, measured ~4 GB and ~45 s per 1M rows here"
    add miller "Miller (trc_miller.mlr)" "$mskip"

    failed=" "
    for ((round = 1; round <= rounds; round++)); do
        log "== $n rows, round $round/$rounds"
        note_busy "$n rows round $round"
        cat "$f" >/dev/null # warm
        for i in "${!names[@]}"; do
            nm=${names[$i]}
            [ -n "${skips[$i]}" ] && continue
            case $failed in *" $nm "*) continue ;; esac
            log "  $nm"
            case $nm in
            bare) run_timed bare "$work/bare.out" "$work/bin/csv-bare" "$f" ;;
            rate) run_timed rate "$work/rate.csv" "$RETAIN" rate "$f" ;;
            norm) run_timed norm /dev/null "$RETAIN" norm "$f" ;;
            churn) run_timed churn /dev/null "$RETAIN" churn "$f" ;;
            cohort) run_timed cohort /dev/null "$RETAIN" cohort "$f" ;;
            survival) run_timed survival /dev/null "$RETAIN" survival "$f" ;;
            mrr) run_timed mrr /dev/null "$RETAIN" mrr "$f" ;;
            pandas) run_timed pandas "$work/pandas.csv" "$PY" "$here/reference/trc_pandas.py" "$f" ;;
            duckdb) run_timed duckdb "$work/duckdb.csv" node "$here/reference/trc_duckdb.mjs" "$f" ;;
            miller) run_timed miller "$work/miller.csv" mlr --icsv --from "$f" put -q -f "$here/reference/trc_miller.mlr" ;;
            esac || failed="$failed$nm "
        done
        if [ $round = 1 ]; then # keep the first round's outputs for the check
            for o in rate pandas duckdb miller; do
                [ -f "$work/$o.csv" ] && cp "$work/$o.csv" "$work/$o.first.csv"
            done
            # TRC's eight columns (the comparators compute no kept, kept_pct)
            [ -f "$work/rate.first.csv" ] && cut -d, -f1-8 "$work/rate.csv" >"$work/rate.first.csv"
        fi
    done

    # ---- table
    echo "## $n rows ($(printf '%.1f' "$mb") MB, $(basename "$f"))"
    echo
    # customers in the export, for peak RSS per customer (the fixed few MiB
    # of the process included)
    customers=0
    [ $retain_ok = 1 ] && customers=$("$RETAIN" rate -v "$f" 2>&1 >/dev/null | sed -n 's/.* rows, \([0-9]*\) customers.*/\1/p' | tail -n 1)
    case $customers in '' | *[!0-9]*) customers=0 ;; esac
    echo "| command | median s | user+sys s | MB/s | peak RSS MiB | RSS bytes per customer | speed vs csv-bare | runs (s) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    for i in "${!names[@]}"; do
        nm=${names[$i]}
        if [ -n "${skips[$i]}" ]; then
            echo "| ${labels[$i]} | | | | | | | skipped: ${skips[$i]} |"
            continue
        fi
        case $failed in *" $nm "*)
            echo "| ${labels[$i]} | | | | | | | failed: \`$(head -c 200 "$work/$nm.err" | tr '\n|' '  ')\` |"
            status=1
            continue ;;
        esac
        med=$(awk -F'\t' -v n="$nm" '$1==n {print $3}' "$timings" | median)
        cpu=$(awk -F'\t' -v n="$nm" '$1==n {print $6 + $7}' "$timings" | median)
        rss=$(awk -F'\t' -v n="$nm" '$1==n && $4>m {m=$4} END {print m+0}' "$timings")
        all=$(awk -F'\t' -v n="$nm" '$1==n {printf "%s%.3f", (c++ ? " " : ""), $3}' "$timings")
        # per-round ratio t(csv-bare)/t(cmd), median over rounds
        rel=$(awk -F'\t' -v n="$nm" '$1=="bare" {b[$2]=$3} $1==n {t[$2]=$3} END {for (r in t) if (r in b && t[r] > 0) print b[r]/t[r]}' "$timings" | median)
        [ -n "$rel" ] && rel=$(printf '%.3f' "$rel")
        per=$(awk -v r="$rss" -v c="$customers" 'BEGIN {if (c > 0) printf "%.0f", r * 1024 / c}')
        [ $nm = bare ] && per=""
        printf '| %s | %.3f | %.2f | %.1f | %.1f | %s | %s | %s |\n' "${labels[$i]}" "$med" "${cpu:-0}" "$(awk -v a="$mb" -v b="$med" 'BEGIN {print a / b}')" \
            "$(awk -v a="$rss" 'BEGIN {print a / 1024}')" "$per" "${rel:--}" "$all"
        [ "$nm" = rate ] && rate_rel=$rel
    done
    echo
    if [ $retain_ok = 1 ]; then
        # the per-customer state each command reports with -v
        per=""
        for cmd in rate churn survival cohort mrr; do
            b=$("$RETAIN" $cmd -v "$f" 2>&1 >/dev/null | sed -n 's/.*(\([0-9.]*\) bytes per customer).*/\1/p' | tail -n 1)
            per="$per${per:+, }\`$cmd\` ${b:-?}"
        done
        echo "State per customer (\`-v\`, bytes): $per."
        echo
    fi
    if [ $retain_ok = 1 ] && [ $bare_ok = 1 ] && [ -n "${rate_rel:-}" ]; then
        verdict=PASS
        awk -v r="$rate_rel" 'BEGIN {exit !(r >= 0.70)}' || verdict="BELOW TARGET"
        echo "**retain rate / csv-bare speed: $rate_rel** (median of per-round ratios; target >= 0.70: $verdict)"
        echo
    fi
    unset rate_rel
    if [ -n "$busy_notes" ]; then
        echo "**Warning: other processes were using the CPU** (share of both cores busy, sampled for 1 s before a round, nothing of ours running):$busy_notes the figures are unreliable, and two-thread programs (retain, DuckDB) lose more than one-thread ones (csv-bare)."
        echo
    fi
    busy_notes=""

    # ---- output cross-check
    echo "Output check ($n rows):"
    echo
    ref=""
    for o in pandas duckdb miller rate; do
        [ -s "$work/$o.first.csv" ] || continue
        case $failed in *" $o "*) continue ;; esac
        if [ -z "$ref" ]; then
            ref=$o
            echo "- $o: reference ($(($(wc -l <"$work/$o.first.csv") - 1)) periods)"
            continue
        fi
        who=$o
        [ $o = rate ] && who="retain rate"
        if cmp -s "$work/$ref.first.csv" "$work/$o.first.csv"; then
            echo "- $who: identical to $ref"
        else
            echo "- $who: **DIFFERS** from $ref ($(coldiff "$work/$ref.first.csv" "$work/$o.first.csv")):"
            echo
            echo '```diff'
            diff -u --label "$ref" --label "$who" "$work/$ref.first.csv" "$work/$o.first.csv" | head -n 40
            echo '```'
            status=1
        fi
    done
    [ -z "$ref" ] && echo "- nothing to compare"
    rm -f "$work"/{rate,pandas,duckdb,miller}.first.csv "$work"/{rate,pandas,duckdb,miller}.csv
    echo
done

# ---------------------------------------------------------------- French export
# The same rows as a French Excel export (BOM, ';', CRLF, dd/mm/yyyy, decimal
# comma) must give retain the same table as the comma export.
if [ $retain_ok = 1 ] && [ $only_events = 0 ]; then
    echo "## French Excel export (100000 rows)"
    echo
    fr=$DATA/crm-100000-fr.csv en=$DATA/crm-100000.csv
    [ -s "$fr" ] || { "$work/bin/gen-crm" --french 100000 >"$fr.tmp.$$" && mv "$fr.tmp.$$" "$fr"; }
    [ -s "$en" ] || { "$work/bin/gen-crm" 100000 >"$en.tmp.$$" && mv "$en.tmp.$$" "$en"; }
    "$RETAIN" rate "$en" >"$work/fr.expected" 2>"$work/fr.err" || echo "- retain rate on the comma export failed: \`$(head -c 300 "$work/fr.err")\`"
    if "$RETAIN" rate --date-format '%d/%m/%Y' --decimal , "$fr" >"$work/fr.out" 2>"$work/fr.err"; then
        if cmp -s "$work/fr.expected" "$work/fr.out"; then
            echo "- \`retain rate --date-format %d/%m/%Y --decimal , \` on it: identical to the comma export"
        else
            echo "- \`retain rate --date-format %d/%m/%Y --decimal ,\`: **DIFFERS** from the comma export:"
            echo
            echo '```diff'
            diff -u --label comma --label french "$work/fr.expected" "$work/fr.out" | head -n 30
            echo '```'
            status=1
        fi
    else
        echo "- \`retain rate --date-format %d/%m/%Y --decimal ,\`: **failed**: \`$(head -c 300 "$work/fr.err" | tr '\n' ' ')\`"
        status=1
    fi
    echo
fi

# ---------------------------------------------------------------- event tables
# The event-table commands on a product-events export of about $event_rows
# rows (bench/gen-events.c: one customer per ~100 events, ISO date-times in
# six zones, written customer after customer), against the bare libcsv parse
# of the same file: retain risk with --as-of (one pass) and without (the
# default as-of, guessed from the file's end: one pass when right), with
# --summary (the backtest), retain activation; the same rows sorted by their
# timestamp as product logs usually come (every row then needs a lookup of
# its customer); retain nps on the survey table. Figures: wall clock (retain
# reads on two threads), user+sys CPU, peak RSS and RSS per customer of the
# customer table: memory must grow with the customers, never with the rows.
if [ $retain_ok = 1 ] && [ $bare_ok = 1 ] && [ "$event_rows" -gt 0 ]; then
    ed=$DATA/events-$event_rows
    customers=$((event_rows / 100))
    if [ ! -s "$ed/events.csv" ]; then
        log "generating $ed ($customers customers)"
        mkdir -p "$ed" && "$work/bin/gen-events" --events "$event_rows" "$customers" "$ed" >&2 ||
            die "gen-events failed"
    fi
    ef=$ed/events.csv es=$ed/events-by-time.csv
    if [ ! -s "$es" ]; then
        log "sorting $ef by timestamp into $es"
        { head -n 1 "$ef" && tail -n +2 "$ef" | LC_ALL=C TMPDIR=$DATA nice -n 19 sort -t, -k2,2 -S 25%; } >"$es.tmp.$$" &&
            mv "$es.tmp.$$" "$es" || die "sorting the events failed"
    fi
    rows=$(($(wc -l <"$ef") - 1))
    ncust=$(($(wc -l <"$ed/crm.csv") - 1))
    mb=$(awk -v b="$(stat -c %s "$ef")" 'BEGIN {printf "%.6f", b / 1e6}')
    smb=$(awk -v b="$(stat -c %s "$ed/survey.csv")" 'BEGIN {printf "%.6f", b / 1e6}')
    srows=$(($(wc -l <"$ed/survey.csv") - 1))
    timings=$work/timings-events.tsv
    : >"$timings"
    asof="--as-of 2024-12-31"
    for ((round = 1; round <= rounds; round++)); do
        log "== events ($rows rows), round $round/$rounds"
        note_busy "events round $round"
        cat "$ef" "$es" "$ed/survey.csv" "$ed/crm.csv" >/dev/null
        run_timed bare /dev/null "$work/bin/csv-bare" "$ef"
        run_timed risk_as_of "$work/risk.csv" "$RETAIN" risk -q $asof --events "$ef" "$ed/crm.csv"
        run_timed risk /dev/null "$RETAIN" risk -q --events "$ef" "$ed/crm.csv"
        run_timed risk_summary /dev/null "$RETAIN" risk -q $asof --events "$ef" --summary "$ed/crm.csv"
        run_timed activation /dev/null "$RETAIN" activation -q --events "$ef" --event report "$ed/crm.csv"
        run_timed bare_by_time /dev/null "$work/bin/csv-bare" "$es"
        run_timed risk_by_time "$work/risk-by-time.csv" "$RETAIN" risk -q $asof --events "$es" "$ed/crm.csv"
        run_timed bare_survey /dev/null "$work/bin/csv-bare" "$ed/survey.csv"
        run_timed nps /dev/null "$RETAIN" nps -q "$ed/survey.csv"
    done
    active=$(($(wc -l <"$work/risk.csv") - 1))
    echo "## Event tables: $rows event rows ($(printf '%.1f' "$mb") MB), $ncust customers ($active active on as-of)"
    echo
    echo "| command | median s | user+sys s | MB/s | peak RSS MiB | RSS per customer | vs csv-bare (wall) | runs (s) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    for nm in bare risk_as_of risk risk_summary activation bare_by_time risk_by_time bare_survey nps; do
        base=bare fmb=$mb per=1
        case $nm in
        bare) label="csv-bare (libcsv, empty callbacks) on the events" per="" ;;
        risk_as_of) label="\`retain risk --as-of D --events\` (one pass)" ;;
        risk) label="\`retain risk --events\` (default as-of, guessed from the file's end: one pass when right)" ;;
        risk_summary) label="\`retain risk --as-of D --summary\` (backtest)" ;;
        activation) label="\`retain activation --event report\`" ;;
        bare_by_time) label="csv-bare on the same rows sorted by time" base=bare_by_time per="" ;;
        risk_by_time) label="\`retain risk --as-of D\` on the rows sorted by time" base=bare_by_time ;;
        bare_survey) label="csv-bare on the survey ($srows rows, $(printf '%.1f' "$smb") MB)" base=bare_survey fmb=$smb per="" ;;
        nps) label="\`retain nps\` on the survey alone (no customer table)" base=bare_survey fmb=$smb per="" ;;
        esac
        med=$(awk -F'\t' -v n="$nm" '$1==n {print $3}' "$timings" | median)
        [ -z "$med" ] && { echo "| $label | | | | | | | failed |"; status=1; continue; }
        cpu=$(awk -F'\t' -v n="$nm" '$1==n {print $6 + $7}' "$timings" | median)
        rss=$(awk -F'\t' -v n="$nm" '$1==n && $4>m {m=$4} END {print m+0}' "$timings")
        all=$(awk -F'\t' -v n="$nm" '$1==n {printf "%s%.3f", (c++ ? " " : ""), $3}' "$timings")
        rel=$(awk -F'\t' -v n="$nm" -v b="$base" '$1==b {t0[$2]=$3} $1==n {t[$2]=$3} END {for (r in t) if (r in t0 && t[r] > 0) print t0[r]/t[r]}' "$timings" | median)
        [ -n "$per" ] && per="$(awk -v r="$rss" -v c="$ncust" 'BEGIN {printf "%.0f", r * 1024 / c}') B"
        printf '| %s | %.3f | %.2f | %.1f | %.1f | %s | %.3f | %s |\n' "$label" "$med" "${cpu:-0}" \
            "$(awk -v a="$fmb" -v b="$med" 'BEGIN {print a / b}')" "$(awk -v a="$rss" 'BEGIN {print a / 1024}')" \
            "$per" "$rel" "$all"
        [ $nm = risk_as_of ] && risk_rel=$rel
    done
    echo
    verdict=PASS
    awk -v r="$risk_rel" 'BEGIN {exit !(r >= 0.70)}' || verdict="BELOW TARGET"
    state=$("$RETAIN" risk -v $asof --events "$ef" "$ed/crm.csv" 2>&1 >/dev/null | sed -n 's/.*customer state \(.*\); peak.*/\1/p' | tail -n 1)
    echo "**retain risk (one pass) / csv-bare speed: $(printf '%.3f' "$risk_rel")** (wall clock, median of per-round ratios; target >= 0.70: $verdict). RSS per customer: peak RSS / the $ncust customers of the customer table (the process's fixed few MiB included); the per-customer state itself (\`retain risk -v\`): ${state:-not reported}."
    echo
    if cmp -s "$work/risk.csv" "$work/risk-by-time.csv"; then
        echo "- the rows sorted by time give the same table (cmp)"
    else
        echo "- the rows sorted by time give **another table**"
        status=1
    fi
    echo
    if [ -n "$busy_notes" ]; then
        echo "**Warning: other processes were using the CPU** ($busy_notes): the figures are unreliable."
        echo
    fi
fi

# ---------------------------------------------------------------- orders
# retain rfm and retain clv --fit-only on order exports (bench/orders.sh)
if [ $retain_ok = 1 ] && [ "${BENCH_ORDERS:-1}" = 1 ]; then
    RETAIN=$RETAIN BENCH_DATA=$DATA "$here/orders.sh" --rounds "$rounds" --sizes "$sizes" || status=1
fi

# ---------------------------------------------------------------- mrr
# retain mrr's monthly movements against bare libcsv and DuckDB (bench/mrr.sh)
if [ $retain_ok = 1 ] && [ "${BENCH_MRR:-1}" = 1 ]; then
    RETAIN=$RETAIN BENCH_DATA=$DATA "$here/mrr.sh" --rounds "$rounds" --sizes "$sizes" || status=1
fi

# ---------------------------------------------------------------- referral
# retain referral with a 100k-row referrals table (bench/referral.sh)
if [ $retain_ok = 1 ] && [ "${BENCH_REFERRAL:-1}" = 1 ]; then
    RETAIN=$RETAIN BENCH_DATA=$DATA "$here/referral.sh" --rounds "$rounds" --sizes "$sizes" || status=1
fi

exit $status
