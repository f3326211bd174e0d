# bench/common.sh: what the per-command benchmarks (orders.sh, mrr.sh,
# referral.sh)
# share, sourced by them after `here` (their directory) is set:
#
#   bench_setup NAME HELP "$@"   parses --quick, --rounds N, --sizes "...",
#       -h (prints lines HELP of the script, e.g. 2,12); sets root, RETAIN,
#       DATA, rounds, sizes, work (a scratch directory in $DATA, removed at
#       exit) and builds csv-bare in it
#   run NAME CMD...   one timed run: appends "wall user maxrss_kb" to
#       $work/NAME, its stdout in $work/NAME.out, stderr in $work/err
#   median, col N NAME   the median of stdin / of column N of $work/NAME
#   crm_export N   sets f to $DATA/crm-N.csv, made by gen-crm (built in
#       $work at the first need) when it is not there yet
#
# Environment: RETAIN (default <repo>/build/retain), BENCH_DATA (default
# /dev/shm/retain-bench).

log() { printf '%s\n' "$*" >&2; }
die() { log "$bench_name: $*"; exit 1; }

bench_setup() {
    bench_name=$1
    local help=$2
    shift 2
    root=$(cd "$here/.." && pwd)
    RETAIN=${RETAIN:-$root/build/retain}
    DATA=${BENCH_DATA:-/dev/shm/retain-bench}
    rounds=3
    sizes="1000000 10000000"
    while [ $# -gt 0 ]; do
        case $1 in
        --quick) rounds=1; sizes=100000 ;;
        --rounds) rounds=$2; shift ;;
        --sizes) sizes=$2; shift ;;
        -h | --help) sed -n "${help}p" "$0"; exit 0 ;;
        *) echo "$bench_name: unknown argument: $1" >&2; exit 2 ;;
        esac
        shift
    done
    [ -x /usr/bin/time ] || die "/usr/bin/time is needed (Debian package: time)"
    [ -x "$RETAIN" ] || die "no retain binary at $RETAIN"
    mkdir -p "$DATA" || die "cannot create $DATA"
    work=$(mktemp -d "$DATA/${bench_name%.sh}.XXXXXX") || die "cannot create a scratch directory"
    trap 'rm -rf "$work"' EXIT
    cc -O2 -o "$work/csv-bare" "$here/csv-bare.c" -lcsv || die "building csv-bare failed"
}

run() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %M' -o "$work/t" "$@" >"$work/$name.out" 2>"$work/err" || {
        log "$bench_name: $name failed: $(head -c 300 "$work/err")"
        return 1
    }
    cat "$work/t" >>"$work/$name"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
col() { awk -v c="$1" '{print $c}' "$work/$2" | median; }

crm_export() {
    f=$DATA/crm-$1.csv
    [ -s "$f" ] && return 0
    [ -x "$work/gen-crm" ] || cc -O2 -o "$work/gen-crm" "$here/gen-crm.c" -lm ||
        die "building gen-crm failed"
    log "generating $f"
    "$work/gen-crm" "$1" >"$f.tmp.$$" && mv "$f.tmp.$$" "$f" || die "gen-crm failed"
}
