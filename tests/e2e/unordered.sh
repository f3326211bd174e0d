#!/bin/bash
# retain rate reads a large regular file with libcsv on both cores, taking
# chunks from the file's end (lib/io/csvstream.c); from a pipe it reads in
# order. Both must print the same bytes and exit the same way, whatever
# the dialect, and wherever a bad row is. Files of 10-12 MB (chunks are
# taken from 8 MB).
#   unordered.sh RETAIN
set -u
retain=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

# gen NAME DELIM EOL QUOTING BAD_ROWS: a CRM export of 220,000 rows
gen() {
    python3 - "$dir/$1" "$2" "$3" "$4" "$5" <<'PY'
import random, sys
path, d, eol, quoting, bad = sys.argv[1:6]
eol = {"lf": "\n", "crlf": "\r\n"}[eol]
bad = {int(x): kind for x, kind in (b.split(":") for b in bad.split()) } if bad else {}
rnd = random.Random(7)
out = ["\ufeff" if d == ";" else "", d.join(["Customer ID", "Start Date", "End Date", "Plan"]) + eol]
for r in range(220000):
    cid = "C%06d" % rnd.randrange(150000)  # win-backs: ids repeat
    y, m, day = rnd.randrange(2018, 2024), rnd.randrange(1, 13), rnd.randrange(1, 29)
    start = "%04d-%02d-%02d" % (y, m, day)
    end = "" if rnd.random() < 0.4 else "%04d-%02d-%02d" % (y + rnd.randrange(1, 3), m, day)
    plan = rnd.choice(["Basic", "Pro", "Team"])
    if quoting == "some" and r % 97 == 5:
        plan = '"Pro, ""annual""' + eol + 'contract"'
    kind = bad.get(r)
    if kind == "date":
        start = "%04d-02-30" % y
    elif kind == "quote":
        plan = '"never closed'
    elif kind == "ragged":
        plan += d + "extra"
    out.append(d.join([cid, start, end, plan]) + eol)
open(path, "w", encoding="utf-8", newline="").write("".join(out))
PY
}

# same NAME OPTIONS...: regular file and pipe give the same result
same() {
    local name=$1
    shift
    "$retain" rate "$@" "$dir/$name" >"$dir/a.out" 2>"$dir/a.err"
    local a=$?
    cat "$dir/$name" | "$retain" rate "$@" >"$dir/b.out" 2>"$dir/b.err"
    local b=$?
    sed -i "s|$dir/$name|FILE|g; s|retain rate: stdin|retain rate: FILE|; s|first: stdin|first: FILE|" "$dir/a.err" "$dir/b.err"
    if [ $a != $b ] || ! cmp -s "$dir/a.out" "$dir/b.out" || ! cmp -s "$dir/a.err" "$dir/b.err"; then
        echo "FAIL: $name $*: exit $a vs $b"
        diff "$dir/a.out" "$dir/b.out" | head -5
        diff "$dir/a.err" "$dir/b.err" | head -5
        fail=1
    else
        echo "ok: $name $* (exit $a, $(wc -l <"$dir/a.out") lines)"
    fi
}

gen plain.csv , lf none ""
same plain.csv
same plain.csv --period quarter --by Plan
gen quoted.csv , crlf some ""
same quoted.csv --by Plan
gen french.csv ";" crlf some ""
same french.csv --period year
gen late-date.csv , lf none "219990:date"
same late-date.csv
same late-date.csv --skip-bad
gen two-bad.csv , lf some "1000:date 200000:ragged"
same two-bad.csv
same two-bad.csv --skip-bad
gen many-bad.csv , lf none "5:date 70000:ragged 150000:date 180000:ragged 181000:date 219000:date 219500:ragged 219999:date"
same many-bad.csv --skip-bad
gen unclosed.csv , lf none "120000:quote"
same unclosed.csv
gen unclosed-late.csv , lf some "219000:quote"
same unclosed-late.csv
exit $fail
