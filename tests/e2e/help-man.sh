#!/bin/sh
# help-man.sh RETAIN_BINARY MAN_DIR
#
# Checks that the man pages document exactly the options the binary has.
# For each command listed in the Commands section of 'RETAIN_BINARY --help':
#   - MAN_DIR/retain-CMD.1 exists, and MAN_DIR/retain.1 refers to it;
#   - the long options (--name) of 'RETAIN_BINARY CMD --help' and of the
#     OPTIONS section of retain-CMD.1 are the same set;
#   - so are the short options (-d, -f, -p, -S ...), and the pairs of a short
#     option with its long form (-d with --delimiter).
# A man page retain-X.1 for a command the binary does not list also fails.
#
# Where the options are read:
#   --help   lines that start with blanks then '-': "  -d, --delimiter C  text"
#            gives -d and --delimiter (the option names and one argument
#            name are read; the description after them is not).
#   man page the tag lines of the OPTIONS section (the line after .TP or
#            .TQ, or the argument of .IP), with roff escapes undone:
#            \fB\-\-name\fR, \-\-name, .BI \-S ", \-\-customers\-start " N.
#            Mentions of options in running text do not count: an option is
#            documented when it has its own entry.
#
# Prints what is missing on which side and exits 1 on any mismatch, 0 when
# everything agrees. POSIX sh, awk, sed, sort, comm.

set -u
LC_ALL=C
export LC_ALL

if [ $# -ne 2 ]; then
    echo "usage: $0 RETAIN_BINARY MAN_DIR" >&2
    exit 2
fi
bin=$1
mandir=$2
if [ ! -x "$bin" ]; then
    echo "help-man: $bin: not an executable" >&2
    exit 2
fi
if [ ! -d "$mandir" ]; then
    echo "help-man: $mandir: not a directory" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/help-man.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' 0
trap 'exit 2' HUP INT TERM

fail=0
problem() {
    echo "help-man: $*"
    fail=1
}

# Reads option specs, one per line ("-d, --delimiter C", "--keep COL[,COL]"),
# and prints one line per finding: "L --name", "S -x", "P -x --name".
# Per line: option tokens, each optionally followed by one argument name;
# the first other token ends the spec.
spec_options() {
    awk '
    {
        gsub(/[,\t]/, " ")
        n = split($0, tok, " ")
        short = ""; long = ""; prev_opt = 0
        for (i = 1; i <= n; i++) {
            t = tok[i]
            sub(/=.*/, "", t)
            if (t ~ /^--[A-Za-z0-9][-A-Za-z0-9]*$/) {
                print "L " t
                if (long == "") long = t
                prev_opt = 1
            } else if (t ~ /^-[A-Za-z0-9]$/) {
                print "S " t
                if (short == "") short = t
                prev_opt = 1
            } else if (prev_opt) {
                prev_opt = 0 # its argument, such as COL or FMT
            } else {
                break
            }
        }
        if (short != "" && long != "")
            print "P " short " " long
    }'
}

# The option specs of 'retain CMD --help'.
help_specs() {
    "$bin" "$1" --help | sed -n 's/^[ 	][ 	]*\(-.*\)$/\1/p'
}

# The option tag lines of the OPTIONS section of a man page, as plain text.
man_specs() {
    awk '
    /^\.SH/ {
        name = $0
        sub(/^\.SH[ \t]*/, "", name)
        gsub(/"/, "", name)
        in_opts = (name == "OPTIONS")
        tag = 0
        next
    }
    !in_opts { next }
    /^\.\\"/ { next }                      # a comment
    /^\.(TP|TQ)([ \t]|$)/ { tag = 1; next }
    /^\.IP[ \t]/ { line = $0; sub(/^\.IP[ \t]+/, "", line); print line; tag = 0; next }
    tag { print; tag = 0 }
    ' "$1" |
        sed -e 's/^\.[A-Z][A-Z]*[ 	]*//' \
            -e 's/\\f\[[^]]*\]//g' -e 's/\\f([A-Za-z][A-Za-z]//g' -e 's/\\f[A-Za-z0-9]//g' \
            -e 's/\\(aq/'"'"'/g' -e 's/\\(em/ /g' -e 's/\\(en/ /g' \
            -e 's/\\[-]/-/g' -e 's/\\[~ ]/ /g' -e 's/\\[&|^c]//g' -e 's/\\e/\\/g' \
            -e 's/"//g'
}

# Prints the second field of lines of kind K ("L", "S" or "P") of a findings
# file, sorted and unique.
kind() {
    sed -n "s/^$1 //p" "$2" | sort -u
}

# Commands listed by 'retain --help': the lines after "Commands:" up to a
# blank line, first word of each.
"$bin" --help > "$tmp/usage" 2>&1 || problem "'$bin --help' failed"
awk '
    /^Commands:/ { on = 1; next }
    on && /^[ \t]*$/ { exit }
    on { print $1 }
' "$tmp/usage" > "$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
    problem "no Commands section in '$bin --help'"
    exit 1
fi

if [ ! -f "$mandir/retain.1" ]; then
    problem "$mandir/retain.1 is missing"
fi

while read -r cmd; do
    page="$mandir/retain-$cmd.1"
    if [ ! -f "$page" ]; then
        problem "$cmd: no man page $page"
        continue
    fi
    if [ -f "$mandir/retain.1" ] &&
        ! grep -q -F -e "retain\\-$cmd" -e "retain-$cmd" "$mandir/retain.1"; then
        problem "$cmd: retain.1 does not refer to retain-$cmd(1)"
    fi

    if ! help_specs "$cmd" > "$tmp/help.spec" 2> "$tmp/help.err"; then
        problem "$cmd: '$bin $cmd --help' failed: $(cat "$tmp/help.err")"
        continue
    fi
    spec_options < "$tmp/help.spec" > "$tmp/help.found"
    man_specs "$page" | spec_options > "$tmp/man.found"

    if [ ! -s "$tmp/help.found" ]; then
        problem "$cmd: found no option in '$bin $cmd --help'"
    fi
    if [ ! -s "$tmp/man.found" ]; then
        problem "$cmd: found no option entry in the OPTIONS section of $page"
    fi

    for k in L S P; do
        case $k in
        L) what="long option" ;;
        S) what="short option" ;;
        P) what="short/long pair" ;;
        esac
        kind "$k" "$tmp/help.found" > "$tmp/help.$k"
        kind "$k" "$tmp/man.found" > "$tmp/man.$k"
        comm -23 "$tmp/help.$k" "$tmp/man.$k" > "$tmp/only-help"
        comm -13 "$tmp/help.$k" "$tmp/man.$k" > "$tmp/only-man"
        while read -r o; do
            problem "$cmd: $what '$o' is in '$(basename "$bin") $cmd --help' but not in $page"
        done < "$tmp/only-help"
        while read -r o; do
            problem "$cmd: $what '$o' is in $page but not in '$(basename "$bin") $cmd --help'"
        done < "$tmp/only-man"
    done
done < "$tmp/commands"

# Pages for commands the binary does not have.
for page in "$mandir"/retain-*.1; do
    [ -f "$page" ] || continue
    cmd=$(basename "$page" .1)
    cmd=${cmd#retain-}
    if ! grep -qx "$cmd" "$tmp/commands"; then
        problem "$page: no command '$cmd' in '$(basename "$bin") --help'"
    fi
done

if [ "$fail" -eq 0 ]; then
    echo "help-man: $(wc -l < "$tmp/commands" | tr -d ' ') commands, --help and man pages agree"
fi
exit "$fail"
