#!/usr/bin/python3
"""Randomized differential test of `retain churn` against churn.py.

    check-churn.py RETAIN_BINARY [--seeds N] [--first-seed K] [--seed K]
                   [--shrink] [--keep DIR] [-v]

For each seed (K, K+1, ..., K+N-1; default 0..199) it builds a small random
subscription table: 1..30 customers with 1..3 rows each (win-backs: a later
row of the same id after a gap, a renewal on the day the previous row
ends, an overlap, a second plan from the same day), --merge-gap, zero-length
rows (end == start), tenures
ending exactly on and next to stage edges (t = from - 1, from, from + 1 for
every stage edge, and always 89, 90, 91, 364, 365, 366), open rows, ends
after as-of; MRR amounts (some empty = 0), a segment column and a churn
reason column (empty reasons, a literal "unknown", values with commas,
quotes, non-ASCII, and upper/lower case to check the byte order).  It picks
a --stages list (default, named, range-named, random day lists), maybe an
--as-of (inside the data, on an end, after everything, before everything),
maybe --by, --reason, --period of each kind and --precision, and writes the
table in a random dialect SPEC says retain reads without pre-processing
(, ; TAB; BOM; LF/CRLF; header aliases; ISO dates, ISO date-times,
%d/%m/%Y or %m/%d/%Y with --date-format; money 1234.50, $1,234.50,
1234.50 EUR, or with --decimal , 1 234,50 / 1.234,50 EUR; quoting;
distractor columns such as `Create Date`).  It runs

    RETAIN_BINARY churn [OPTIONS] FILE

and compares stdout byte for byte (and exit status 0) with churn.py on the
canonical data.  About 8% of the seeds are usage errors instead (a bad
--stages list: unsorted, zero, negative, duplicate or empty names, a bare
name before the last item; or a --by/--reason column that does not exist;
or an --as-of before every start): they pass when retain exits 64 with
nothing on stdout and a message on stderr.

Every mismatch prints the seed, the command, the file (CR/TAB/BOM made
visible), the canonical data, both outputs and a line diff, with a NOTE
when the difference is a known kind.  --shrink also greedily removes rows
while the mismatch persists.  Deterministic given the seeds.  Last line:
`N passed, M failed`.  Exit 1 when anything failed.
"""

import argparse
import datetime as dt
import difflib
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import churn  # noqa: E402

D = dt.date
DAY = dt.timedelta(days=1)

ID_ALIASES = ["customer_id", "Record ID", "Account ID", "id"]
START_ALIASES = ["signup_date", "start_date", "Became a Customer Date", "Start Date"]
END_ALIASES = ["churn_date", "cancel_date", "cancellation_date", "end_date", "Churn Date"]
MRR_ALIASES = ["mrr", "MRR", "monthly_revenue", "Monthly Revenue"]
BY_NAMES = ["Plan", "plan", "Segment", "Billing Country"]
REASON_NAMES = ["Churn Reason", "churn_reason", "Reason"]

SEGMENTS = ["Basic", "Pro", "Enterprise", "", "pro", "Zoë", "A, B", 'The "X" plan']
REASONS = ["Price", "Budget cuts", "", "unknown", "Switched, to competitor",
           "Émile", "price", "Poor onboarding", 'said "bye"']

ANCHORS = [D(2020, 12, 28), D(2021, 1, 1), D(2024, 2, 29), D(2023, 12, 31),
           D(2024, 12, 30), D(2022, 1, 3), D(2023, 3, 31), D(2023, 6, 30)]

SPAN_DAYS = {"day": (20, 70), "week": (60, 300), "month": (150, 1100),
             "quarter": (200, 1600), None: (200, 1600), "year": (300, 2200)}

BAD_STAGES = [
    ("unsorted", "365,90"), ("unsorted", "30,90,60"), ("equal", "90,90"),
    ("unsorted", "onboarding:90,renewal:30,rest"), ("zero", "0,90"),
    ("zero", "a:0,b"), ("negative", "-90,365"), ("negative", "30,-90,365"),
    ("negative", "90,-365"), ("negative", "trial:-14,rest"),
    ("duplicate names", "a:30,a:90,b"), ("duplicate names", "x:30,y:90,x"),
    ("duplicate names", "30-90:30,90,365"), ("empty name", ":90,rest"),
    ("empty name", "a:30,:90,b"), ("empty stage", "90,365,"),
    ("empty stage", ""), ("bare name not last", "onboarding,renewal:365"),
    ("bare name not last", "a:30,b,c:90"), ("not a whole number", "90,3.5,365"),
    ("not a number", "a:ninety,b"), ("not a whole number", "a:1.5,b"), ("empty item", "90,,365"),
]


# --------------------------------------------------------------------------
# Case generation
# --------------------------------------------------------------------------

def gen_stages(rng):
    r = rng.random()
    if r < 0.35:
        return None
    if r < 0.42:
        return "90,365"
    if r < 0.52:
        return rng.choice(["onboarding:90,renewal:365,long-term",
                           "trial:14,onboarding:90,renewal:365,loyal",
                           "first-month:30,first-year:365,later",
                           "a:1,b:2,c:3,d", "only-one"])
    pool = [1, 2, 7, 14, 30, 60, 89, 90, 91, 180, 364, 365, 366, 730]
    days = sorted(rng.sample(pool, rng.randint(1, 4)))
    named = rng.random() < 0.3
    items = []
    for i, d in enumerate(days):
        if named and rng.random() < 0.7:
            items.append("s%d:%d" % (i, d))
        else:
            items.append(str(d))
    if named and rng.random() < 0.5:
        items.append("last")
    return ",".join(items)


def gen_rows(rng, stages, period):
    anchor = rng.choice(ANCHORS) if rng.random() < 0.6 else \
        D(2016, 1, 1) + dt.timedelta(days=rng.randrange(365 * 10))
    a, b = SPAN_DAYS[period]
    span = rng.randint(a, b)
    lo = anchor - dt.timedelta(days=rng.randint(0, span))
    edges = sorted({s[1] for s in stages[1:]} | {89, 90, 364, 365})
    tenures = sorted({x for e in edges for x in (e - 1, e, e + 1) if x >= 0})

    def tenure():
        r = rng.random()
        if r < 0.12:
            return 0
        if r < 0.5:
            return rng.choice(tenures)
        return rng.randint(1, max(2, span))

    rows = []
    for i in range(rng.randint(1, 30)):
        cid = "C%03d" % i
        start = lo + dt.timedelta(days=rng.randint(0, span))
        for _ in range(rng.choices([1, 2, 3], [6, 3, 1])[0]):
            end = None if rng.random() < 0.3 else start + dt.timedelta(days=tenure())
            rows.append({"id": cid, "start": start, "end": end,
                         "cents": rng.choice([0, 0, 99, 4999, 12345, 123450, 250000,
                                              1, rng.randint(0, 10 ** 7)]),
                         "mrr_empty": rng.random() < 0.1,
                         "seg": rng.choice(SEGMENTS),
                         "why": rng.choice(REASONS)})
            if rng.random() < 0.15:  # a second plan from the same day (lives: segment rule)
                rows.append(dict(rows[-1], seg=rng.choice(SEGMENTS),
                                 cents=rng.choice([0, 4999, 123450, rows[-1]["cents"]]),
                                 end=None if rng.random() < 0.3 else
                                 start + dt.timedelta(days=tenure()),
                                 why=rng.choice(REASONS)))
            if end is None:
                break
            # renewals (0), short and long gaps, overlaps (< 0)
            start = end + dt.timedelta(days=rng.choice([0, 0, 1, 5, 30, -10,
                                                        rng.randint(1, 400)]))
    rng.shuffle(rows)
    return rows, lo, lo + dt.timedelta(days=span)


def gen_dialect(rng, has_mrr, by_col, reason_col):
    dl = {
        "delim": rng.choice([",", ",", ";", "\t"]),
        "bom": rng.random() < 0.25,
        "eol": rng.choice(["\n", "\r\n"]),
        "quote_all": rng.random() < 0.15,
        "date": rng.choices(["iso", "datetime", "dmy", "mdy"], [4, 2, 1, 1])[0],
        "decimal": "," if rng.random() < 0.3 else ".",
    }
    cols = [("id", rng.choice(ID_ALIASES)), ("start", rng.choice(START_ALIASES)),
            ("end", rng.choice(END_ALIASES))]
    if has_mrr:
        cols.append(("mrr", rng.choice(MRR_ALIASES)))
    if by_col:
        cols.append(("seg", by_col))
    if reason_col:
        cols.append(("why", reason_col))
    for key, h in rng.sample([("name", "Company name"), ("create", "Create Date"),
                              ("note", "Notes")], rng.randint(0, 2)):
        cols.append((key, h))
    rng.shuffle(cols)
    dl["cols"] = cols
    return dl


def make_case(seed):
    rng = random.Random(seed)
    case = {"seed": seed, "error": None, "missing": None}
    r = rng.random()
    if r < 0.05:
        case["error"], case["stages"] = rng.choice(BAD_STAGES)
    else:
        case["stages"] = gen_stages(rng)
    stages = churn.parse_stages(None if case["error"] else case["stages"])
    period = rng.choice(["day", "week", "month", "quarter", "year"]) \
        if rng.random() < 0.45 else None
    case["period"] = period
    rows, lo, hi = gen_rows(rng, stages, period)
    case["rows"] = rows
    # --from/--to (months without --period): a label or a date near the data
    for bound in ("from", "to"):
        if rows and rng.random() < 0.15:
            starts = [r["start"] for r in rows if r.get("start")]
            if starts:
                d = rng.choice(starts) + dt.timedelta(days=rng.randrange(-40, 200))
                kind = period or "month"
                case[bound] = d.isoformat() if rng.random() < 0.3 or kind == "day" \
                    else churn.trc.period_label(kind, churn.trc.period_bounds(kind, d)[0])
    case["has_mrr"] = rng.random() < 0.75
    use_by, use_reason = rng.random() < 0.35, rng.random() < 0.35
    by_col = rng.choice(BY_NAMES) if use_by or rng.random() < 0.2 else None
    reason_col = rng.choice(REASON_NAMES) if use_reason or rng.random() < 0.2 else None
    case["by"] = by_col if use_by else None
    case["reason"] = reason_col if use_reason else None
    if case["by"] and rng.random() < 0.2:  # matched case-insensitively
        case["by_arg"] = case["by"].upper()
    else:
        case["by_arg"] = case["by"]
    if not case["error"] and rng.random() < 0.03:
        case["error"] = "missing column"
        case["missing"] = rng.choice(["by", "reason"])
        if case["missing"] == "by":
            case["by"] = case["by_arg"] = "No Such Column"
        else:
            case["reason"] = "No Such Column"
    case["as_of"] = None
    r = rng.random()
    ends = [x["end"] for x in rows if x["end"]]
    if r < 0.25:
        case["as_of"] = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
    elif r < 0.35 and ends:
        case["as_of"] = rng.choice(ends) + dt.timedelta(days=rng.choice([-1, 0, 0, 1]))
    elif r < 0.4:
        case["as_of"] = hi + dt.timedelta(days=rng.randint(1, 900))
    elif r < 0.42:
        case["as_of"] = min(x["start"] for x in rows) - dt.timedelta(days=rng.randint(1, 30))
    case["precision"] = rng.choice([0, 1, 3, 4, 9]) if rng.random() < 0.1 else None
    case["merge_gap"] = rng.choice([None, None, 0, 1, 5, 30, 400])
    case["format_flag"] = rng.random() < 0.1  # an explicit -f csv
    case["dl"] = gen_dialect(rng, case["has_mrr"], by_col, reason_col)
    for x in rows:
        x["q"] = rng.random() < 0.2
        x["hour"], x["minute"] = rng.randint(0, 23), rng.randint(0, 59)
        x["money_style"] = rng.randint(0, 4)
        x["name"] = rng.choice(["Acme, Inc.", 'The "Best" Shop', "Plain Co",
                                "Multi\nLine GmbH", "Émile & Zoë SARL", ""])
        x["why_open"] = rng.random() < 0.3  # a reason on a row that is still open
    return case


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------

def fmt_date(dl, d, r):
    s = dl["date"]
    if s == "dmy":
        return d.strftime("%d/%m/%Y")
    if s == "mdy":
        return d.strftime("%m/%d/%Y")
    if s == "datetime":
        return "%sT%02d:%02d:00Z" % (d.isoformat(), r["hour"], r["minute"]) \
            if r["hour"] % 2 else "%s %02d:%02d" % (d.isoformat(), r["hour"], r["minute"])
    return d.isoformat()


def group(digits, sep):
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def fmt_money(dl, r):
    if r["mrr_empty"]:
        return ""
    units, cents = divmod(r["cents"], 100)
    st = r["money_style"]
    if dl["decimal"] == ".":
        if st == 0:
            return "%d.%02d" % (units, cents)
        if st == 1:
            return "$%s.%02d" % (group(str(units), ","), cents)
        if st == 2:
            return "%d.%02d EUR" % (units, cents)
        if st == 3 and cents == 0:
            return "%d" % units
        return "%d.%d" % (units, cents) if cents % 10 == 0 and cents else \
            "%d.%02d" % (units, cents)
    if st == 0:
        return "%d,%02d" % (units, cents)
    if st == 1:
        return "%s,%02d" % (group(str(units), " "), cents)
    if st == 2:
        return "%s,%02d EUR" % (group(str(units), "."), cents)
    if st == 3:
        return "%s,%02d\u00a0€" % (group(str(units), "\u00a0"), cents)
    return "%d,%02d" % (units, cents)


def quote(dl, v, force=False):
    if force or dl["quote_all"] or any(c in v for c in (dl["delim"], '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v


def cells(dl, r):
    """The cells of a row as the file has them (before quoting)."""
    f = []
    for key, _ in dl["cols"]:
        if key == "id":
            v = r["id"]
        elif key == "start":
            v = fmt_date(dl, r["start"], r)
        elif key == "end":
            v = "" if r["end"] is None else fmt_date(dl, r["end"], r)
        elif key == "mrr":
            v = fmt_money(dl, r)
        elif key == "seg":
            v = r["seg"]
        elif key == "why":
            v = r["why"] if r["end"] is not None or r["why_open"] else ""
        elif key == "create":
            v = fmt_date(dl, r["start"] - dt.timedelta(days=r["minute"] * 3), r)
        elif key == "name":
            v = r["name"]
        else:
            v = "note"
        f.append((key, v))
    return f


def render(dl, rows):
    out = [dl["delim"].join(quote(dl, h) for _, h in dl["cols"])]
    for r in rows:
        out.append(dl["delim"].join(quote(dl, v, key == "id" and r["q"]) for key, v in cells(dl, r)))
    data = (dl["eol"].join(out) + dl["eol"]).encode("utf-8")
    return b"\xef\xbb\xbf" + data if dl["bom"] else data


def canonical_rows(case, rows):
    """The rows as churn.py's churn_table takes them."""
    out = []
    for r in rows:
        why = None
        if case["reason"]:
            why = r["why"] if r["end"] is not None or r["why_open"] else ""
        out.append({"id": r["id"], "start": r["start"], "end": r["end"],
                    "mrr": Fraction(0) if r["mrr_empty"] or not case["has_mrr"]
                    else Fraction(r["cents"], 100),
                    "seg": r["seg"] if case["by"] else "", "why": why})
    return out


def canonical_csv(case, rows):
    head = ["id", "start", "end"] + (["mrr"] if case["has_mrr"] else []) + \
        ([case["by_arg"]] if case["by"] else []) + ([case["reason"]] if case["reason"] else [])
    lines = [head]
    for r, c in zip(rows, canonical_rows(case, rows)):
        line = [r["id"], r["start"].isoformat(), r["end"].isoformat() if r["end"] else ""]
        if case["has_mrr"]:
            line.append("" if r["mrr_empty"] else "%d.%02d" % divmod(r["cents"], 100))
        if case["by"]:
            line.append(c["seg"])
        if case["reason"]:
            line.append(c["why"])
        lines.append(line)
    return "".join(",".join(churn.csv_cell(x) for x in line) + "\n" for line in lines)


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

def expected(case, rows, late_end_reasons=False):
    """(exit status, stdout) that SPEC wants: 0 and the table, or 64 and
    nothing (then any message on stderr)."""
    if case["error"]:
        return 64, ""
    seen, distinct = set(), []  # a row repeated cell for cell counts once
    for r in rows:
        key = tuple(v for _, v in cells(case["dl"], r))
        if key not in seen:
            seen.add(key)
            distinct.append(r)
    rows = distinct
    try:
        stages = churn.parse_stages(case["stages"])
        table = churn.churn_table(
            canonical_rows(case, rows), stages, case["as_of"], case["by_arg"],
            case["reason"], case["period"],
            2 if case["precision"] is None else case["precision"], case["has_mrr"],
            late_end_reasons, case["merge_gap"] or 0, case.get("from"), case.get("to"))
    except churn.UsageError:
        return 64, ""
    return 0, churn.to_csv(table)


def command(binary, case, path):
    cmd = [binary, "churn"]
    if case["stages"] is not None:
        cmd += ["--stages", case["stages"]]
    if case["as_of"] is not None:
        cmd += ["--as-of", case["as_of"].isoformat()]
    if case["by"]:
        cmd += ["--by", case["by_arg"]]
    if case["reason"]:
        cmd += ["--reason", case["reason"]]
    if case["period"]:
        cmd += ["--period", case["period"]]
    for bound in ("from", "to"):
        if case.get(bound):
            cmd += ["--" + bound, case[bound]]
    if case["precision"] is not None:
        cmd += ["-p", str(case["precision"])]
    if case["merge_gap"] is not None:
        cmd += ["--merge-gap", str(case["merge_gap"])]
    if case["format_flag"]:
        cmd += ["-f", "csv"]
    dl = case["dl"]
    if dl["date"] == "dmy":
        cmd += ["--date-format", "%d/%m/%Y"]
    elif dl["date"] == "mdy":
        cmd += ["--date-format", "%m/%d/%Y"]
    if dl["decimal"] == ",":
        cmd += ["--decimal", ","]
    return cmd + [path]


def run(binary, case, rows, tmpdir):
    path = os.path.join(tmpdir, "case-%d.csv" % case["seed"])
    data = render(case["dl"], rows)
    with open(path, "wb") as f:
        f.write(data)
    cmd = command(binary, case, path)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired:
        out, err, rc = b"", b"(timeout)", -1
    return data, cmd, out, err, rc


def verdict(case, rows, out, err, rc):
    want_rc, want_out = expected(case, rows)
    if want_rc == 0:
        return rc == 0 and out == want_out.encode()
    return rc == want_rc and out == b"" and err != b""


def notes(case, rows, out):
    """Explanations of known kinds of difference, and who is right per SPEC."""
    msgs = []
    if case["error"] and case["error"] != "missing column":
        msgs.append("--stages %r is %s: SPEC/churn.h (days are increasing whole "
                    "numbers above 0, names distinct and non-empty) and the issue want "
                    "a usage error (64), nothing on stdout: churn.py is right."
                    % (case["stages"], case["error"]))
    if case["reason"] and not case["error"] and \
            out.decode("utf-8", "replace") == expected(case, rows, late_end_reasons=True)[1]:
        msgs.append("retain lists in the reason grid the reasons of rows whose end is "
                    "after as-of (it matches churn.py --late-end-reasons).  By SPEC an end "
                    "after as-of is treated as empty: those rows have not churned, so their "
                    "reasons are not among the churned rows' reasons.  churn.py is right "
                    "(lib/metrics/churn.c interns the reason of every row with an end in "
                    "retain_churn_add, before as-of is known).")
    return msgs


def show(data):
    s = data.decode("utf-8", "replace")
    s = s.replace("\ufeff", "<BOM>").replace("\t", "<TAB>").replace("\r", "<CR>")
    return "".join("    | " + l + "\n" for l in s.split("\n"))


def report(binary, case, rows, tmpdir, title):
    data, cmd, out, err, rc = run(binary, case, rows, tmpdir)
    want_rc, want = expected(case, rows)
    p = sys.stdout.write
    p("=== %s: seed %d ===\n" % (title, case["seed"]))
    dl = case["dl"]
    p("dialect: delim=%r bom=%s eol=%r date=%s decimal=%r cols=%s\n" % (
        dl["delim"], dl["bom"], dl["eol"], dl["date"], dl["decimal"],
        [h for _, h in dl["cols"]]))
    p("command: %s\n" % " ".join("'%s'" % c if any(x in c for x in " %,\"") or c == ""
                                  else c for c in cmd))
    p("file (%d bytes):\n%s" % (len(data), show(data)))
    p("canonical data (for churn.py):\n%s" % "".join(
        "    | " + l + "\n" for l in canonical_csv(case, rows).splitlines()))
    if want_rc:
        p("expected: exit %d, nothing on stdout, a message on stderr\n" % want_rc)
    else:
        p("expected (churn.py):\n%s" % "".join("    | " + l + "\n" for l in want.splitlines()))
    p("retain (exit %d):\n%s" % (rc, "".join(
        "    | " + l + "\n" for l in out.decode("utf-8", "replace").splitlines())))
    if err:
        p("retain stderr:\n%s" % "".join(
            "    | " + l + "\n" for l in err.decode("utf-8", "replace").splitlines()))
    if want_rc == 0 and rc == 0:
        diff = list(difflib.unified_diff(want.splitlines(), out.decode(
            "utf-8", "replace").splitlines(), "churn.py", "retain", lineterm="", n=0))
        p("diff:\n%s" % "".join("    " + l + "\n" for l in diff[:60]))
    for m in notes(case, rows, out):
        p("NOTE: %s\n" % m)
    p("\n")


def shrink(binary, case, tmpdir):
    rows = list(case["rows"])
    changed = True
    while changed:
        changed = False
        for i in range(len(rows) - 1, -1, -1):
            cand = rows[:i] + rows[i + 1:]
            if not cand:
                continue
            _, _, out, err, rc = run(binary, case, cand, tmpdir)
            if not verdict(case, cand, out, err, rc):
                rows, changed = cand, True
    return rows


def main():
    ap = argparse.ArgumentParser(description="differential test of retain churn")
    ap.add_argument("binary")
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--seed", type=int, action="append", help="run only this seed")
    ap.add_argument("--shrink", action="store_true")
    ap.add_argument("--keep", help="write failing inputs into this directory")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary) if os.sep in a.binary else a.binary
    seeds = a.seed or range(a.first_seed, a.first_seed + a.seeds)
    passed = failed = 0
    failed_seeds = []
    with tempfile.TemporaryDirectory(prefix="check-churn-") as tmpdir:
        for seed in seeds:
            case = make_case(seed)
            data, cmd, out, err, rc = run(binary, case, case["rows"], tmpdir)
            if verdict(case, case["rows"], out, err, rc):
                passed += 1
                if a.verbose:
                    print("seed %d ok (%s, %d rows, stages %r%s)" % (
                        seed, case["period"] or "no period", len(case["rows"]),
                        case["stages"], ", " + case["error"] if case["error"] else ""))
                continue
            failed += 1
            failed_seeds.append(seed)
            report(binary, case, case["rows"], tmpdir, "MISMATCH")
            if a.keep:
                os.makedirs(a.keep, exist_ok=True)
                with open(os.path.join(a.keep, "seed-%d.csv" % seed), "wb") as f:
                    f.write(data)
            if a.shrink and not case["error"]:
                small = shrink(binary, case, tmpdir)
                report(binary, case, small, tmpdir, "MINIMISED")
    if failed_seeds:
        print("failed seeds: %s" % " ".join(map(str, failed_seeds)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
