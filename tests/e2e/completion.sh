#!/bin/bash
# completion.sh RETAIN COMPLETION_SCRIPT: the bash completion generated
# from the option tables completes commands, options and their values, and
# offers every long option each command's --help lists.
set -u
bin=$1
# shellcheck disable=SC1090
. "$2"
fail=0
complete_line() { # the words of a command line; prints the completions
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    _retain
    printf '%s\n' "${COMPREPLY[@]}"
}
expect() { # want, then the words
    local want=$1
    shift
    if ! complete_line "$@" | grep -qx -- "$want"; then
        echo "completion: '$*' does not offer '$want'"
        fail=1
    fi
}
expect rate retain ra
expect survival retain help surv
expect --period retain rate --per
expect quarter retain rate --period q
expect json retain cohort -f j
expect --spend-table retain cac --spend-t
n=0
for cmd in $("$bin" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}'); do
    offered=$(complete_line retain "$cmd" --)
    for opt in $("$bin" "$cmd" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z0-9-]+'); do
        n=$((n + 1))
        grep -qx -- "$opt" <<<"$offered" || { echo "completion: retain $cmd: $opt not offered"; fail=1; }
    done
done
echo "completion: $n options of every command checked"
exit $fail
