#!/bin/bash
# progress.sh RETAIN: the progress line shows on a terminal only, not with
# --quiet, and is erased. RETAIN_PROGRESS_AFTER=0 makes it show at once
# (the threshold is 2 s otherwise); script(1) gives the run a terminal. As-of
# on the last day of a month: no note of a partial last period on stderr.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v script >/dev/null || { echo "progress: no script(1), skipped"; exit 0; }
cd "$(dirname "$0")/../fixtures" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
export RETAIN_PROGRESS_AFTER=0
# a terminal: the line, then its erasure; the table unchanged
script -qec "'$bin' rate --as-of 2024-06-30 canonical.csv >'$tmp/out'" /dev/null >"$tmp/tty"
grep -q 'retain rate: canonical.csv: .* MiB read, [0-9]* rows, [0-9]* rows/s' "$tmp/tty" ||
    { echo "progress: no progress line on a terminal"; fail=1; }
[ "$(tail -c 4 "$tmp/tty" | od -An -c | tr -d ' ')" = '\r033[K' ] ||
    { echo "progress: the line is not erased at the end"; fail=1; }
"$bin" rate --as-of 2024-06-30 canonical.csv | cmp -s - "$tmp/out" || { echo "progress: the table differs"; fail=1; }
# --quiet on a terminal: nothing
script -qec "'$bin' rate -q --as-of 2024-06-30 canonical.csv >/dev/null" /dev/null >"$tmp/quiet"
[ ! -s "$tmp/quiet" ] || { echo "progress: a line with --quiet"; fail=1; }
# not a terminal: nothing
"$bin" rate --as-of 2024-06-30 canonical.csv 2>"$tmp/err" >/dev/null
[ ! -s "$tmp/err" ] || { echo "progress: a line when stderr is not a terminal"; fail=1; }
exit $fail
