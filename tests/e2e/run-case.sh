#!/bin/bash
# run-case.sh RETAIN CASE_DIR: runs one end-to-end case and compares it.
#
# A case is a directory holding:
#   cmd   shell lines run from tests/fixtures, where `retain` is the binary
#         under test (pipelines allowed; they run with pipefail)
#   out   expected stdout (absent: stdout must be empty)
#   err   expected stderr (absent: stderr must be empty)
#   code  expected exit status (absent: 0)
# Runs under a French locale setting when one is installed, to show that
# the output does not depend on it.
set -u
RETAIN=$1
CASE=$(cd "$2" && pwd)
FIXTURES=$(cd "$(dirname "$0")/../fixtures" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

retain() { env LC_ALL=fr_FR.UTF-8 LANG=fr_FR.UTF-8 "$RETAIN" "$@"; }
export -f retain 2>/dev/null || true
export RETAIN

(
    cd "$FIXTURES" || exit 99
    set -o pipefail
    . "$CASE/cmd"
) >"$tmp/out" 2>"$tmp/err"
code=$?

want_code=0
[ -f "$CASE/code" ] && want_code=$(cat "$CASE/code")
fail=0
if [ "$code" != "$want_code" ]; then
    echo "exit status: got $code, want $want_code"
    fail=1
fi
for stream in out err; do
    want=/dev/null
    [ -f "$CASE/$stream" ] && want="$CASE/$stream"
    if ! cmp -s "$want" "$tmp/$stream"; then
        echo "std$stream differs (--- want, +++ got):"
        diff -u "$want" "$tmp/$stream" | head -40
        fail=1
    fi
done
if [ "$fail" = 1 ]; then
    echo "case: $CASE"
    echo "cmd:  $(cat "$CASE/cmd")"
fi
exit $fail
