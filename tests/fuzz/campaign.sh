#!/bin/sh
# tests/fuzz/campaign.sh: a long fuzzing campaign, run by hand (not in CI).
#
#   tests/fuzz/campaign.sh [-b BUILD] [-t SECONDS] [-s SLICE] [-p PAUSE]
#                          [-l LOCK] [-w WORK] [-r RECORD] HARNESS...
#
# Fuzzes each HARNESS (reader, rate, churn, ...: BUILD/tests/fuzz/fuzz-NAME,
# built with -DRETAIN_FUZZ=ON) for SECONDS of fuzzing (default 1800), one
# harness at a time, on one core, under nice -n 19. The time is cut into
# slices of SLICE seconds (60) with PAUSE seconds (5) between them; each
# slice resumes the corpus of the last one, kept in WORK/NAME/corpus
# (default /var/tmp/retain-fuzz, outside the repository). With -l LOCK
# (or $RETAIN_FUZZ_LOCK) each slice holds a shared flock on LOCK, so that
# whoever takes it exclusively (a benchmark) waits at most one slice and
# the campaign waits while they hold it; the time spent waiting is not
# counted as fuzzing. Several campaigns at once hold LOCK in turns that
# overlap, which could make the exclusive taker wait for ever: a slice
# first passes through an exclusive flock on LOCK.gate, which a benchmark
# holds while it waits for LOCK and while it runs:
#
#     flock LOCK.gate flock LOCK BENCHMARK...
#
# A harness stops early at its first finding (a crash, a disagreement, a
# leak, a hang past 10 s, an allocation past 1 GiB): the input is kept in
# WORK/NAME/artifacts. Each harness's result (date, commit, seconds of
# fuzzing, executions, findings, corpus size) is appended to RECORD
# (tests/fuzz/CAMPAIGN.md). To stop cleanly: touch WORK/STOP (or send
# SIGTERM); the harness under way is recorded as stopped, with the time
# it ran, and the next campaign naming it resumes it (WORK/NAME/state holds
# its seconds and executions so far), so that its line then gives the
# whole run.
#
# libFuzzer runs every file of the corpus again when a slice starts, and
# a slice's new inputs are kept even once later ones cover more: when the
# directory has grown past twice its last minimised size, it is minimised
# again (-merge=1) between slices; that time is not counted either.
set -eu
cd "$(dirname "$0")/../.."

build=build-fuzz total=1800 slice=60 pause=5 lock=${RETAIN_FUZZ_LOCK:-}
work=/var/tmp/retain-fuzz record=tests/fuzz/CAMPAIGN.md
while getopts b:t:s:p:l:w:r: o; do
    case $o in
    b) build=$OPTARG ;;
    t) total=$OPTARG ;;
    s) slice=$OPTARG ;;
    p) pause=$OPTARG ;;
    l) lock=$OPTARG ;;
    w) work=$OPTARG ;;
    r) record=$OPTARG ;;
    *) exit 64 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
    echo "usage: tests/fuzz/campaign.sh [-b BUILD] [-t SECONDS] [-s SLICE] [-p PAUSE] [-l LOCK] [-w WORK] [-r RECORD] HARNESS..." >&2
    exit 64
fi
for name in "$@"; do
    [ -x "$build/tests/fuzz/fuzz-$name" ] || {
        echo "campaign: no $build/tests/fuzz/fuzz-$name (cmake -DRETAIN_FUZZ=ON)" >&2
        exit 66
    }
done
mkdir -p "$work"
rm -f "$work/STOP"
# a stop: the fuzzer (whose pid the slice wrote once it held the lock) and
# the flock waiting for it, if any
stop() {
    touch "$work/STOP"
    [ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true
    [ ! -s "$dir/started" ] || kill "$(sed -n 2p "$dir/started")" 2>/dev/null || true
}
trap stop TERM INT
here=$(pwd)

if [ ! -f "$record" ]; then
    cat >"$record" <<'EOF'
# Fuzzing campaigns

Written by `tests/fuzz/campaign.sh` (one line per harness run); seconds are
seconds of fuzzing, on one core, under `nice -n 19`, in slices of a minute.
Findings: crashes (and disagreements, undefined behaviour), hangs (a run
past 10 s), leaks, out-of-memory (past 1 GiB).

| date (UTC) | commit | harness | seconds | executions | crashes | hangs | leaks | oom | corpus (files) | result |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|
EOF
fi

count() { # count DIR PATTERN: files of DIR matching PATTERN
    find "$1" -maxdepth 1 -type f -name "$2" | wc -l | tr -d ' '
}

fuzz() { # fuzz ARGS...: one run of the harness, nice, under the lock
    # the clock starts once the lock is held: flock runs the sh that notes
    # the time and its pid, then becomes the fuzzer
    set -- sh -c 'printf "%s\n%s\n" "$(date +%s)" $$ >"$0"; exec "$@"' "$dir/started" \
        "$dir/fuzz-$name" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 $opts \
        -dict="$here/tests/fuzz/retain.dict" -artifact_prefix="$dir/artifacts/" "$@"
    [ -z "$lock" ] || set -- sh -c 'flock "$0.gate" true && exec flock -s "$0" "$@"' "$lock" "$@"
    rm -f "$dir/started"
    nice -n 19 "$@" >"$dir/log" 2>&1 &
    pid=$!
    code=0
    wait "$pid" || code=$?
    pid=
    end=$(date +%s)
    start=$(sed -n 1p "$dir/started" 2>/dev/null)
    start=${start:-$end}
    return "$code"
}

minimise() { # the corpus minimised again, when it has grown past twice its last size
    files=$(count "$dir/corpus" '*')
    [ "$files" -gt $((2 * ${minimised:-0} + 200)) ] || return 0
    rm -rf "$dir/corpus.new"
    mkdir "$dir/corpus.new"
    if fuzz -merge=1 "$dir/corpus.new" "$dir/corpus"; then
        rm -rf "$dir/corpus"
        mv "$dir/corpus.new" "$dir/corpus"
        minimised=$(count "$dir/corpus" '*')
        echo "campaign: $name: corpus minimised from $files to $minimised files" >&2
    else
        rm -rf "$dir/corpus.new"
        minimised=$files
    fi
}

for name in "$@"; do
    [ -e "$work/STOP" ] && break
    dir=$work/$name
    mkdir -p "$dir/corpus" "$dir/artifacts"
    # a copy, so that rebuilding during the campaign changes nothing (build
    # from the commit recorded)
    commit=$(git rev-parse --short HEAD)
    git diff --quiet HEAD -- lib cmd include tests/fuzz ":!tests/fuzz/CAMPAIGN.md" || commit="$commit+changes"
    cp "$build/tests/fuzz/fuzz-$name" "$dir/fuzz-$name"
    seeds=$here/tests/fuzz/corpus/cmd opts=-close_fd_mask=2
    [ "$name" = reader ] && seeds=$here/tests/fuzz/corpus/reader opts=-max_len=65536
    done_s=0 runs=0 result=clean minimised=0 resumed=""
    if [ -f "$dir/state" ]; then
        read -r done_s runs <"$dir/state"
        resumed=" (resumed at $done_s s)"
    fi
    while [ "$done_s" -lt "$total" ]; do
        if [ -e "$work/STOP" ]; then
            result=stopped
            break
        fi
        minimise
        [ -e "$work/STOP" ] && continue
        left=$((total - done_s))
        [ "$left" -lt "$slice" ] || left=$slice
        code=0
        fuzz -max_total_time="$left" -print_final_stats=1 "$dir/corpus" "$seeds" || code=$?
        done_s=$((done_s + end - start))
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
        runs=$((runs + ${n:-0}))
        echo "$done_s $runs" >"$dir/state"
        if [ "$code" -ne 0 ]; then
            if [ -e "$work/STOP" ]; then
                result=stopped
            else
                result="finding (exit $code): see $dir/artifacts and $dir/log.$done_s"
                cp "$dir/log" "$dir/log.$done_s"
            fi
            break
        fi
        sleep "$pause"
    done
    [ "$result" = stopped ] || rm -f "$dir/state"
    [ "$result" != stopped ] || result="stopped: to be resumed"
    a=$dir/artifacts
    crashes=$(($(count "$a" 'crash-*') + $(count "$a" 'deadly-*')))
    printf '| %s | %s | %s | %d | %d | %d | %d | %d | %d | %d | %s |\n' \
        "$(date -u '+%Y-%m-%d %H:%M')" "$commit" "$name" "$done_s" "$runs" "$crashes" \
        "$(count "$a" 'timeout-*')" "$(count "$a" 'leak-*')" "$(count "$a" 'oom-*')" \
        "$(count "$dir/corpus" '*')" "$result$resumed" >>"$record"
    echo "campaign: $name: $done_s s, $runs runs, $result$resumed" >&2
done
