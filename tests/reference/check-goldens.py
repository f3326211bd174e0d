#!/usr/bin/python3
"""Cross-check of the goldens of retain churn, cohort and survival
(tests/e2e/cases/{churn,cohort,survival}-*) against the independent
references churn.py, cohort.py and survival.py.

    check-goldens.py [REPO_ROOT] [-v]

For every golden case that succeeds (no `code` file, or 0) and prints CSV,
whose command is one `retain CMD OPTIONS FILE` (or `... - <<'CSV'` with the
table inline, or `< FILE`) on a table this script can read, it writes the
table as canonical CSV (id, start, end, mrr, then the other columns under
their own names) with its own parser of each fixture's dialect, written
from the files themselves (a list below: which header is which column,
day-first dates, grouped amounts with a currency), runs the reference with
the same metric options and compares its stdout with the golden `out`
byte for byte. The dialect options (--date-format, --decimal) are what the
canonical writing consumes. Cases it cannot run (JSON or aligned output,
pipelines, printf inputs, options a reference lacks) are listed
as skipped with the reason; the test fails when a compared case differs,
or when fewer than MIN_COMPARED cases were compared (the parser broke).
"""

import csv
import datetime as dt
import io
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MIN_COMPARED = 40

# How each fixture names its columns: (id, start, end, mrr) headers.
DIALECTS = {
    "canonical.csv": ("id", "start", "end", "mrr"),
    "hubspot.csv": ("Record ID", "Became a Customer Date", "Churn Date", "MRR"),
    "hubspot-export.csv": ("Record ID", "Became a Customer Date", "Churn Date", "MRR"),
    "salesforce.csv": ("Account ID", "Start Date", "Cancellation Date", "Monthly Revenue"),
    "french.csv": ("customer_id", "start_date", "end_date", "monthly_revenue"),
    "contracts-renewals.csv": ("customer_id", "start_date", "end_date", "mrr"),
    "logrank-strong.csv": ("id", "start", "end", None),
}

REFERENCES = {"churn": "churn.py", "cohort": "cohort.py", "survival": "survival.py"}
# the options each reference takes (with an argument: True)
TAKES = {
    "churn": {"--stages": True, "--as-of": True, "--by": True, "--reason": True,
              "--period": True, "--merge-gap": True, "--from": True, "--to": True,
              "-p": True},
    "cohort": {"--period": True, "--as-of": True, "--by": True, "--revenue": False,
               "--wide": False, "--from": True, "--to": True, "-p": True},
    "survival": {"--as-of": True, "--by": True, "--unit": True, "--conf": True,
                 "--summary": False, "--horizon": True, "--compare": False,
                 "--merge-gap": True, "-p": True},
}


def day(text, day_first):
    """A date cell: YYYY-MM-DD, optionally followed by a time (the day
    counts), or DD/MM/YYYY with --date-format %d/%m/%Y."""
    text = text.strip()
    if not text:
        return ""
    if day_first:
        d, m, y = text.split("/")
        return dt.date(int(y), int(m), int(d)).isoformat()
    return dt.date.fromisoformat(text[:10]).isoformat()


def amount(text, decimal_comma):
    """A money cell: $1,234.50, 1234.50 USD, or with --decimal , 1 234,50 EUR."""
    t = re.sub(r"[^\d,.\-]", "", text.replace("\u00a0", " "))
    if decimal_comma:
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    return t


def canonical(path, text, day_first, decimal_comma):
    name = os.path.basename(path)
    cols = DIALECTS.get(name)
    if cols is None:
        return None
    if name == "french.csv":  # what the file is, with or without the options
        day_first = decimal_comma = True
    delim = ";" if name == "french.csv" else ","
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delim))
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    idx = [header.index(c) if c in header else None for c in cols]
    rest = [i for i in range(len(header)) if i not in idx]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "start", "end", "mrr"] + [header[i] for i in rest])
    for r in body:
        r = r + [""] * (len(header) - len(r))
        mrr = amount(r[idx[3]], decimal_comma) if idx[3] is not None else ""
        w.writerow([r[idx[0]], day(r[idx[1]], day_first), day(r[idx[2]], day_first), mrr]
                   + [r[i] for i in rest])
    return out.getvalue()


def parse(case_dir):
    """(command, options, table path or None, inline table or None), or a
    reason to skip."""
    with open(os.path.join(case_dir, "cmd")) as f:
        lines = [ln for ln in f.read().split("\n") if not ln.startswith("#")]
    text = "\n".join(lines).strip()
    inline = None
    m = re.match(r"(retain [^\n]*?)\s*<<'CSV'\n(.*)\nCSV$", text, re.S)
    if m:
        text, inline = m.group(1), m.group(2) + "\n"
    if "\n" in text or "|" in text or "printf" in text:
        return "a pipeline or several commands"
    words = shlex.split(text.replace("<", " < "))
    if words[0] != "retain" or words[1] not in REFERENCES:
        return "not one retain command"
    cmd, words = words[1], words[2:]
    path = None
    if "<" in words:
        k = words.index("<")
        path, words = words[k + 1], words[:k] + words[k + 2:]
    elif inline is None:
        path, words = words[-1], words[:-1]
    elif words and words[-1] == "-":
        words = words[:-1]
    return cmd, words, path, inline


def run_case(case_dir, verbose):
    """None when the golden agrees, a message when it does not, or
    ('skip', reason)."""
    got = parse(case_dir)
    if isinstance(got, str):
        return ("skip", got)
    cmd, words, path, inline = got
    opts, day_first, decimal_comma, tsv = [], False, False, False
    i = 0
    while i < len(words):
        w = words[i]
        arg = words[i + 1] if i + 1 < len(words) else None
        if w in ("-f", "--format"):
            if arg not in ("csv", "tsv"):
                return ("skip", "output format " + arg)
            tsv = arg == "tsv"
            i += 2
            continue
        if w == "--date-format":
            if arg != "%d/%m/%Y":
                return ("skip", "date format " + arg)
            day_first = True
        elif w == "--decimal":
            decimal_comma = arg == ","
        elif w in TAKES[cmd]:
            name = "--precision" if (w == "-p" and cmd == "churn") else w
            opts += [name, arg] if TAKES[cmd][w] else [name]
            i += 2 if TAKES[cmd][w] else 1
            continue
        else:
            return ("skip", "option %s (not in %s)" % (w, REFERENCES[cmd]))
        i += 2
    if inline is not None:  # a canonical table, maybe without mrr
        text, name = inline, "canonical.csv"
    else:
        full = os.path.normpath(os.path.join(ROOT, "tests", "fixtures", path))
        with open(full, encoding="utf-8") as f:
            text = f.read()
        name = full
    table = canonical(name, text, day_first, decimal_comma)
    if table is None:
        return ("skip", "no dialect listed for " + os.path.basename(name))
    ref = subprocess.run([sys.executable, os.path.join(HERE, REFERENCES[cmd])] + opts + ["-"],
                         input=table, capture_output=True, text=True)
    with open(os.path.join(case_dir, "out"), newline="") as f:
        want = f.read()
    if tsv:  # the same cells, tab-separated (none holds a tab or a quote here)
        ref.stdout = "".join("\t".join(r) + "\n" for r in csv.reader(io.StringIO(ref.stdout)))
    if ref.returncode == 0 and ref.stdout == want:
        if verbose:
            print("ok   %s: %s %s" % (os.path.basename(case_dir), REFERENCES[cmd], " ".join(opts)))
        return None
    return "%s: %s %s -> exit %d\n%s\ngolden:\n%s\nreference:\n%s" % (
        os.path.basename(case_dir), REFERENCES[cmd], " ".join(opts), ref.returncode,
        ref.stderr, want, ref.stdout)


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv[1:]
    global ROOT
    if args:
        ROOT = os.path.abspath(args[0])
    cases = os.path.join(ROOT, "tests", "e2e", "cases")
    compared = failed = 0
    skipped = []
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        if name.split("-")[0] not in REFERENCES:
            continue
        code = os.path.join(d, "code")
        if os.path.exists(code) and open(code).read().strip() != "0":
            continue
        r = run_case(d, verbose)
        if isinstance(r, tuple):
            skipped.append("%s (%s)" % (name, r[1]))
            continue
        compared += 1
        if r:
            failed += 1
            print("MISMATCH " + r)
    if verbose:
        for s in skipped:
            print("skip " + s)
    print("check-goldens: %d goldens compared, %d differ, %d skipped"
          % (compared, failed, len(skipped)))
    return 1 if failed or compared < MIN_COMPARED else 0


if __name__ == "__main__":
    sys.exit(main())
