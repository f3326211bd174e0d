#!/bin/bash
# valgrind.sh RETAIN [CASE...]: every e2e golden case (tests/e2e/cases, or
# the ones named) with the binary under valgrind's memcheck: an invalid
# read or write, a use of uninitialised memory, or a definite or indirect
# leak makes the case fail (exit 99 instead of its own), as a difference
# from its goldens does. Slow (a minute or more per hundred cases): not a
# ctest, run it after touching memory handling:
#
#   nice tests/e2e/valgrind.sh build/retain
#
# Prints the failing cases with their valgrind reports, then a count.
set -u
RETAIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# fontconfig and pango keep their caches until exit (retain report's PDF)
cat >"$tmp/supp" <<'SUPP'
{
   fontconfig-and-pango-caches
   Memcheck:Leak
   match-leak-kinds: definite,indirect
   ...
   obj:*/libfontconfig.so*
}
SUPP
cat >"$tmp/retain" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --suppressions=$tmp/supp \\
    --log-file=$tmp/log.%p "$RETAIN" "\$@"
WRAP
chmod +x "$tmp/retain"
if [ $# -gt 0 ]; then
    cases=("$@")
else
    cases=("$here"/cases/*/)
fi
fail=0 n=0
for c in "${cases[@]}"; do
    c=${c%/}
    [ -d "$c" ] || c=$here/cases/$c
    n=$((n + 1))
    rm -f "$tmp"/log.*
    if ! out=$(bash "$here/run-case.sh" "$tmp/retain" "$c" 2>&1); then
        fail=$((fail + 1))
        echo "== ${c##*/}"
        echo "$out" | head -n 20
        cat "$tmp"/log.* 2>/dev/null | head -n 40
    fi
done
echo "valgrind.sh: $n cases, $fail failed"
[ "$fail" = 0 ]
