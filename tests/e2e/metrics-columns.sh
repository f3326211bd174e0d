#!/bin/sh
# metrics-columns.sh RETAIN MANPAGE: the columns retain-metrics(7) lists
# are the columns the commands print.
#
# In the man page, a block
#   .\" columns: retain CMD OPTIONS FILE
#   .TP / .TQ entries tagged .B name (a fixed column) or .I NAME (a
#   placeholder, such as the --by column: any one name)
#   .\" end columns
# lists a header. The command runs in tests/fixtures (stdin from
# /dev/null); the first line of its output, split at commas, must be the
# listed names in order. Every block is checked; a page without blocks
# fails (the parser would be broken). POSIX sh and awk.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
page=$2
fixtures=$(cd "$(dirname "$0")/../fixtures" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/metrics-columns.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' 0
# one line per block: the command, a TAB, the listed names (placeholders
# as *), space-separated
awk '
/^\.\\" columns: / { sub(/^\.\\" columns: retain /, ""); cmd = $0; names = ""; inblock = 1; next }
/^\.\\" end columns/ { if (inblock) print cmd "\t" names; inblock = 0; next }
inblock && /^\.(TP|TQ)$/ { tag = 1; next }
inblock && tag && /^\.B / { n = $0; sub(/^\.B /, "", n); gsub(/\\-/, "-", n); names = names (names ? " " : "") n; tag = 0; next }
inblock && tag && /^\.I / { names = names (names ? " " : "") "*"; tag = 0; next }
{ tag = 0 }
' "$page" >"$tmp/blocks"
[ -s "$tmp/blocks" ] || { echo "metrics-columns: no column blocks in $page"; exit 1; }
fail=0
count=0
while IFS="	" read -r cmd names; do
    count=$((count + 1))
    # shellcheck disable=SC2086 # the options are words
    header=$(cd "$fixtures" && "$bin" $cmd </dev/null 2>"$tmp/err" | head -n 1 | tr ',' ' ')
    set -f
    set -- $names
    want=$#
    got=0
    mismatch=0
    for h in $header; do
        got=$((got + 1))
        if [ $# -eq 0 ]; then
            mismatch=1
            break
        fi
        [ "$1" = "*" ] || [ "$1" = "$h" ] || mismatch=1
        shift
    done
    set +f
    if [ "$mismatch" = 1 ] || [ "$got" != "$want" ]; then
        echo "metrics-columns: retain $cmd"
        echo "  retain-metrics(7) lists: $names"
        echo "  the command prints:      $header"
        sed 's/^/  stderr: /' "$tmp/err"
        fail=1
    fi
done <"$tmp/blocks"
echo "metrics-columns: $count headers checked"
exit $fail
