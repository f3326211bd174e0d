#!/bin/sh
# expected-goldens.sh RETAIN: the goldens of tests/fixtures/expected, which
# the independent tests/reference/trc.py wrote (make-fixtures.py), are
# what retain rate prints for each of the four exports that describe the
# same customers (tests/fixtures/README.md, "Goldens").
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../fixtures" || exit 2
fail=0
n=0
check() { # golden, then the arguments
    want=expected/$1
    shift
    n=$((n + 1))
    if ! "$bin" rate "$@" 2>/dev/null | cmp -s - "$want"; then
        echo "expected-goldens: retain rate $* differs from $want"
        fail=1
    fi
}
for f in canonical.csv hubspot.csv salesforce.csv "--date-format %d/%m/%Y --decimal , french.csv"; do
    # shellcheck disable=SC2086 # the flags are words
    set -- $f
    check rate-month.csv "$@"
    for p in week quarter year day; do
        check rate-$p.csv --period $p "$@"
    done
    check rate-month-asof-2023-12-31.csv --as-of 2023-12-31 "$@"
done
check rate-month-date-format.csv --date-format %d/%m/%Y bad-date-format.csv
echo "expected-goldens: $n tables checked"
exit $fail
