#!/bin/bash
# record-case.sh RETAIN NAME 'COMMAND LINE': creates tests/e2e/cases/NAME
# from what the binary does now. Read the files it writes before you commit
# them: a golden is only as good as the review it got. For numbers, prefer
# goldens computed independently (tests/reference/trc.py).
set -eu
RETAIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir="$(cd "$(dirname "$0")" && pwd)/cases/$2"
mkdir -p "$dir"
printf '%s\n' "$3" >"$dir/cmd"
FIXTURES=$(cd "$(dirname "$0")/../fixtures" && pwd)
retain() { "$RETAIN" "$@"; }
set +e
(cd "$FIXTURES" && set -o pipefail && . "$dir/cmd") >"$dir/out" 2>"$dir/err"
code=$?
set -e
[ -s "$dir/out" ] || rm -f "$dir/out"
[ -s "$dir/err" ] || rm -f "$dir/err"
if [ "$code" != 0 ]; then echo "$code" >"$dir/code"; else rm -f "$dir/code"; fi
echo "== $2 (exit $code)"
cat "$dir/err" 2>/dev/null || true
