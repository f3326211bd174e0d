#!/usr/bin/python3
"""Randomized differential test of `retain rate` against trc.py.

    check-rate.py RETAIN_BINARY [--seeds N] [--first-seed K] [--seed K]
                  [--shrink] [--keep DIR] [-v]

For each seed (K, K+1, ..., K+N-1; default 0..199) it builds a small random
customer table (1..40 customers; win-backs, overlapping rows of one customer,
zero-length rows, rows on period boundaries, ISO-week year boundaries, leap
days), picks a --period and sometimes an --as-of, writes the table in a
random dialect that SPEC says retain must read without pre-processing
(, ; TAB delimiters; optional UTF-8 BOM; LF or CRLF; recognised header
aliases in random case with spaces or underscores; ISO dates, ISO
date-times, or %d/%m/%Y / %m/%d/%Y with --date-format; quoted ids, ids with
the delimiter or quotes inside; distractor columns), runs

    RETAIN_BINARY rate [--period P] [--as-of D] [--date-format F] FILE

and compares its stdout byte for byte (and exit status 0) with trc.py on the
canonical data.  Every mismatch prints the seed, the file, the canonical
data, the command and both outputs; with --shrink it also greedily removes
rows while the mismatch persists and prints the smallest input found.
Deterministic given the seeds.  Last line: `N passed, M failed`.
Exit 1 when anything failed.
"""

import argparse
import csv
import datetime as dt
import io
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trc  # noqa: E402

PLAIN = False
D = dt.date
ONE = dt.timedelta(days=1)

ID_ALIASES = ["customer_id", "Record ID", "Account ID"]
START_ALIASES = ["signup_date", "start_date", "Became a Customer Date"]
END_ALIASES = ["churn_date", "cancel_date", "cancellation_date", "end_date",
               "Churn Date"]

# Anchors around which the dates of a table cluster.
ANCHORS = [
    D(2020, 12, 28),  # ISO 2020-W53 Monday; 2021-01-04 is 2021-W01
    D(2021, 1, 1),
    D(2015, 12, 28),  # 2015-W53
    D(2026, 12, 28),  # 2026-W53
    D(2024, 2, 29),   # leap day
    D(2020, 2, 29),
    D(2023, 12, 31),
    D(2024, 12, 30),  # 2025-W01 starts on 2024-12-30
    D(2019, 12, 30),  # 2020-W01 starts on 2019-12-30
    D(2022, 1, 3),    # 2022-W01; 2022-01-01/02 belong to 2021-W52
    D(2023, 3, 31),
    D(2023, 6, 30),
]

SPAN_DAYS = {"day": (3, 45), "week": (14, 200), "month": (40, 800),
             "quarter": (120, 1500), "year": (200, 2500)}


# --------------------------------------------------------------------------
# Table generation
# --------------------------------------------------------------------------

def boundary_days(lo, hi):
    """Period boundaries (first days, last days) between lo and hi."""
    out = []
    d = lo
    while d <= hi:
        if d.day == 1 or d.isoweekday() == 1 or (d + ONE).day == 1 or \
                (d.month == 2 and d.day == 29) or d.isoweekday() == 7:
            out.append(d)
        d += ONE
    return out or [lo]


def gen_table(rng, period):
    """Return (rows, lo, hi): rows = list of dicts with id/start/end (end None
    = open) in canonical form."""
    anchor = rng.choice(ANCHORS) if rng.random() < 0.7 else \
        D(2016, 1, 1) + dt.timedelta(days=rng.randrange(365 * 10))
    a, b = SPAN_DAYS[period]
    span = rng.randint(a, b)
    lo = anchor - dt.timedelta(days=rng.randint(0, span))
    hi = lo + dt.timedelta(days=span)
    bounds = boundary_days(lo, hi)

    def day():
        r = rng.random()
        if r < 0.45:
            return rng.choice(bounds)
        if r < 0.55:
            return anchor + dt.timedelta(days=rng.randint(-3, 3))
        return lo + dt.timedelta(days=rng.randint(0, span))

    def after(d, maxgap=None):
        """A day >= d (sometimes == d), within the span mostly."""
        r = rng.random()
        if r < 0.08:
            return d
        if r < 0.5:
            cands = [x for x in bounds if x > d]
            if cands:
                return rng.choice(cands[:8])
        gap = rng.randint(1, max(1, maxgap or span // 2))
        return d + dt.timedelta(days=gap)

    big = rng.random() < 0.03
    ids = gen_ids(rng, rng.randint(200, 800) if big else rng.randint(1, 40))
    rows = []
    special32 = rng.random() < 0.08
    if special32:
        # 32 customers active on a period boundary, so retention can land on
        # an exact half at 2 decimals (k/32*100 = 3.125 k).
        ids = gen_ids(rng, 32 + rng.randint(0, 6))
        s0 = lo
        for i, cid in enumerate(ids):
            if i < 32:
                st = s0
                en = None if rng.random() < 0.6 else after(lo + dt.timedelta(days=span // 3))
            else:
                st = day()
                en = None if rng.random() < 0.5 else after(st)
            rows.append({"id": cid, "start": st, "end": en})
        return rows, lo, hi

    for cid in ids:
        kind = rng.choices(
            ["single", "open", "winback", "overlap", "zero", "many"],
            [3, 3, 3, 2, 1, 1])[0]
        if kind == "single":
            s = day()
            rows.append({"id": cid, "start": s, "end": after(s)})
        elif kind == "open":
            rows.append({"id": cid, "start": day(), "end": None})
        elif kind == "winback":
            s1 = day()
            e1 = after(s1)
            s2 = after(e1)  # may equal e1: a gapless renewal
            e2 = None if rng.random() < 0.5 else after(s2)
            rows += [{"id": cid, "start": s1, "end": e1},
                     {"id": cid, "start": s2, "end": e2}]
        elif kind == "overlap":
            s1 = day()
            e1 = after(s1)
            s2 = s1 + dt.timedelta(days=rng.randint(0, max(0, (e1 - s1).days)))
            e2 = None if rng.random() < 0.4 else after(s2)
            rows += [{"id": cid, "start": s1, "end": e1},
                     {"id": cid, "start": s2, "end": e2}]
        elif kind == "zero":
            s = day()
            rows.append({"id": cid, "start": s, "end": s})
            if rng.random() < 0.5:
                s2 = after(s)
                rows.append({"id": cid, "start": s2,
                             "end": None if rng.random() < 0.5 else after(s2)})
        else:
            s = day()
            for _ in range(rng.randint(3, 5)):
                e = after(s) if rng.random() < 0.8 else None
                rows.append({"id": cid, "start": s, "end": e})
                s = after(e) if e else after(s)
    rng.shuffle(rows)
    return rows, lo, hi


def gen_ids(rng, n):
    styles = rng.sample(["num", "code", "name", "delim", "quote", "sf", "zeros"],
                        rng.randint(1, 3))
    names = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark",
             "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Vandelay"]
    out, seen = [], set()
    i = 0
    while len(out) < n:
        i += 1
        st = rng.choice(styles)
        if st == "num":
            cid = str(rng.randint(1, 99999999))
        elif st == "code":
            cid = "C%03d" % rng.randint(0, 999)
        elif st == "name":
            cid = "%s %d" % (rng.choice(names), i)
        elif st == "zeros":
            # "7", "07", "007": distinct strings, distinct customers
            cid = "0" * rng.randint(0, 2) + str(rng.randint(1, 12 if n <= 30 else 2000))
        elif st == "delim":
            cid = "%s, %s & Co %d" % (rng.choice(names), rng.choice(names), i)
        elif st == "quote":
            cid = '%s "%d" Ltd' % (rng.choice(names), i)
        else:
            cid = "0015g0000" + "".join(
                rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789")
                for _ in range(9))
        if cid not in seen:
            seen.add(cid)
            out.append(cid)
    return out


# --------------------------------------------------------------------------
# Dialect
# --------------------------------------------------------------------------

def header_variant(rng, name):
    if rng.random() < 0.5:
        name = name.replace("_", " ") if "_" in name else name.replace(" ", "_")
    r = rng.random()
    if r < 0.25:
        return name.lower()
    if r < 0.45:
        return name.upper()
    if r < 0.6:
        return name.title()
    if r < 0.8:
        return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)
    return name


def gen_dialect(rng, rows):
    dl = {
        "delim": rng.choice([",", ";", "\t"]),
        "bom": rng.random() < 0.3,
        "eol": rng.choice(["\n", "\r\n"]),
        "quote_all": rng.random() < 0.1,
        "date": rng.choices(["iso", "datetime", "mixed", "dmy", "mdy"],
                            [3, 2, 1, 2, 2])[0],
        "dt_style": rng.choice(["Tz", "Toff", "space", "Tms", "Tnosec", "Tus"]),
    }
    id_h = header_variant(rng, rng.choice(ID_ALIASES))
    st_h = header_variant(rng, rng.choice(START_ALIASES))
    en_h = header_variant(rng, rng.choice(END_ALIASES))
    cols = [("id", id_h), ("start", st_h)]
    all_open = all(r["end"] is None for r in rows)
    if not (all_open and rng.random() < 0.5):
        cols.append(("end", en_h))
    extras = [("name", "Company name"), ("create", "Create Date"),
              ("close", "Close Date"), ("plan", "Plan"), ("mrr", "MRR"),
              ("note", "Notes")]
    for key, h in rng.sample(extras, rng.randint(0, 3)):
        cols.append((key, h))
    rng.shuffle(cols)
    dl["cols"] = cols
    # Per-row rendering choices, fixed now so that a subset re-renders alike.
    for r in rows:
        r["q_id"] = rng.random() < 0.25
        r["q_end_empty"] = rng.random() < 0.15
        r["dt_s"] = rng.random() < 0.5
        r["dt_e"] = rng.random() < 0.5
        r["hour"] = rng.randint(0, 23)
        r["minute"] = rng.randint(0, 59)
        r["name"] = rng.choice(["Acme, Inc.", 'The "Best" Shop', "Plain Co",
                                "Multi\nLine GmbH", "Émile & Zoë SARL", ""])
        r["mrr"] = rng.choice(["1234.5", "$1,234.50", "99", "1234.50 EUR",
                               "0", ""])
        r["plan"] = rng.choice(["Basic", "Pro", "Enterprise"])
        r["create"] = r["start"] - dt.timedelta(days=rng.randint(0, 400))
    return dl


def fmt_date(dl, d, use_dt, r):
    style = dl["date"]
    if style == "dmy":
        return d.strftime("%d/%m/%Y")
    if style == "mdy":
        return d.strftime("%m/%d/%Y")
    if style == "iso" or (style == "mixed" and not use_dt):
        return d.isoformat()
    h, m = r["hour"], r["minute"]
    s = dl["dt_style"]
    if s == "Tz":
        return "%sT%02d:%02d:00Z" % (d.isoformat(), h, m)
    if s == "Toff":
        sign = "+" if h % 2 else "-"
        return "%sT%02d:%02d:00%s%02d:00" % (d.isoformat(), h, m, sign, h % 12)
    if s == "space":
        return "%s %02d:%02d" % (d.isoformat(), h, m)
    if s == "Tms":
        return "%sT%02d:%02d:05.123Z" % (d.isoformat(), h, m)
    if s == "Tus":
        return "%sT%02d:%02d:59.999999+05:30" % (d.isoformat(), h, m)
    return "%sT%02d:%02d" % (d.isoformat(), h, m)


def quote(dl, v, force=False):
    if force or dl["quote_all"] or any(c in v for c in (dl["delim"], '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v


def render(dl, rows):
    out = []
    out.append(dl["delim"].join(quote(dl, h) for _, h in dl["cols"]))
    for r in rows:
        fields = []
        for key, _ in dl["cols"]:
            if key == "id":
                fields.append(quote(dl, r["id"], r["q_id"]))
            elif key == "start":
                fields.append(quote(dl, fmt_date(dl, r["start"], r["dt_s"], r)))
            elif key == "end":
                if r["end"] is None:
                    fields.append('""' if r["q_end_empty"] else "")
                else:
                    fields.append(quote(dl, fmt_date(dl, r["end"], r["dt_e"], r)))
            elif key == "create" or key == "close":
                fields.append(quote(dl, fmt_date(dl, r["create"], False, r)))
            elif key == "name":
                fields.append(quote(dl, r["name"]))
            elif key == "mrr":
                fields.append(quote(dl, r["mrr"]))
            elif key == "plan":
                fields.append(quote(dl, r["plan"]))
            else:
                fields.append(quote(dl, "note %s" % r["plan"].lower()))
        out.append(dl["delim"].join(fields))
    text = dl["eol"].join(out) + ("" if dl.get("no_final_eol") else dl["eol"])
    data = text.encode("utf-8")
    if dl["bom"]:
        data = b"\xef\xbb\xbf" + data
    return data


def canonical_csv(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "start", "end"])
    for r in rows:
        w.writerow([r["id"], r["start"].isoformat(),
                    "" if r["end"] is None else r["end"].isoformat()])
    return buf.getvalue()


# --------------------------------------------------------------------------
# One case
# --------------------------------------------------------------------------

def make_case(seed):
    rng = random.Random(seed)
    period = rng.choices(["day", "week", "month", "quarter", "year"],
                         [1, 2, 3, 2, 1])[0]
    rows, lo, hi = gen_table(rng, period)
    as_of = None
    r = rng.random()
    if r < 0.3:
        as_of = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
    elif r < 0.4:
        as_of = rng.choice([x["start"] for x in rows] +
                           [x["end"] for x in rows if x["end"]])
    elif r < 0.43:
        as_of = hi + dt.timedelta(days=rng.randint(1, 400))
    dl = gen_dialect(rng, rows)
    pass_period = period != "month" or rng.random() < 0.5
    case = {"seed": seed, "period": period, "as_of": as_of, "rows": rows,
            "dl": dl, "pass_period": pass_period, "from": None, "to": None,
            "precision": None}
    # Extras drawn from a second generator, so that --plain leaves the
    # table, dialect and command of each seed as they were.
    x = random.Random(seed * 7919 + 1)
    dl["no_final_eol"] = x.random() < 0.15
    if PLAIN:
        dl["no_final_eol"] = False
        return case
    labels = [l.split(",")[0] for l in expected(case).splitlines()[1:]]
    if labels and x.random() < 0.2:
        i = x.randrange(len(labels))
        j = x.randrange(i, len(labels))
        r = x.random()
        if r < 0.4:
            case["from"], case["to"] = labels[i], labels[j]
        elif r < 0.7:
            case["from"] = labels[i]
        else:
            case["to"] = labels[j]
    if x.random() < 0.1:
        case["precision"] = x.randint(0, 4)
    case["merge_gap"] = x.choice([None, None, None, 0, 1, 3, 31, 200])
    return case


def trc_args(case):
    return {"from_label": case.get("from"), "to_label": case.get("to"),
            "precision": 2 if case.get("precision") is None else case["precision"],
            "gap": case.get("merge_gap") or 0}


def expected_note(case, rows=None):
    """Whether SPEC wants the partial-period note on stderr."""
    rows = case["rows"] if rows is None else rows
    t = [(0, r["id"], r["start"], r["end"]) for r in rows]
    partial = []
    trc.trc(t, case["period"], case["as_of"], partial=partial, **trc_args(case))
    return any(partial)


def expected(case, rows=None):
    rows = case["rows"] if rows is None else rows
    t = [(0, r["id"], r["start"], r["end"]) for r in rows]
    lines = trc.trc(t, case["period"], case["as_of"], **trc_args(case))
    return "".join(l + "\n" for l in lines)


def expected_alt(case, rows=None):
    rows = case["rows"] if rows is None else rows
    t = [(0, r["id"], r["start"], r["end"]) for r in rows]
    lines = trc.trc(t, case["period"], case["as_of"], churn_from_rounded=True,
                    **trc_args(case))
    return "".join(l + "\n" for l in lines)


def command(binary, case, path):
    cmd = [binary, "rate"]
    if case["pass_period"]:
        cmd += ["--period", case["period"]]
    if case["as_of"] is not None:
        cmd += ["--as-of", case["as_of"].isoformat()]
    if case.get("from"):
        cmd += ["--from", case["from"]]
    if case.get("to"):
        cmd += ["--to", case["to"]]
    if case.get("precision") is not None:
        cmd += ["--precision", str(case["precision"])]
    if case.get("merge_gap") is not None:
        cmd += ["--merge-gap", str(case["merge_gap"])]
    if case["dl"]["date"] == "dmy":
        cmd += ["--date-format", "%d/%m/%Y"]
    elif case["dl"]["date"] == "mdy":
        cmd += ["--date-format", "%m/%d/%Y"]
    return cmd + [path]


def run(binary, case, rows, tmpdir):
    path = os.path.join(tmpdir, "case-%d.csv" % case["seed"])
    data = render(case["dl"], rows)
    with open(path, "wb") as f:
        f.write(data)
    cmd = command(binary, case, path)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=30)
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired:
        out, err, rc = b"", b"(timeout)", -1
    return data, cmd, out, err, rc


def fails(binary, case, rows, tmpdir):
    if case.get("from") or case.get("to"):
        # Keep --from/--to inside the shrunk table's default range: outside
        # it SPEC only says they "narrow" the range.
        plain = dict(case, **{"from": None, "to": None})
        labels = [l.split(",")[0] for l in expected(plain, rows).splitlines()[1:]]
        if any(x and x not in labels for x in (case.get("from"), case.get("to"))):
            return False
    _, _, out, _, rc = run(binary, case, rows, tmpdir)
    return rc != 0 or out != expected(case, rows).encode()


def shrink(binary, case, tmpdir):
    """Greedy: drop whole customers, then single rows, while still failing."""
    rows = list(case["rows"])
    changed = True
    while changed:
        changed = False
        for cid in list(dict.fromkeys(r["id"] for r in rows)):
            cand = [r for r in rows if r["id"] != cid]
            if cand and fails(binary, case, cand, tmpdir):
                rows, changed = cand, True
        for i in range(len(rows) - 1, -1, -1):
            cand = rows[:i] + rows[i + 1:]
            if cand and fails(binary, case, cand, tmpdir):
                rows, changed = cand, True
    return rows


def show_bytes(data):
    """The file, one physical line per output line, with CR/TAB/BOM visible."""
    s = data.decode("utf-8", "replace")
    s = s.replace("\ufeff", "<BOM>").replace("\t", "<TAB>").replace("\r", "<CR>")
    return "".join("    | " + l + "\n" for l in s.split("\n"))


def report(binary, case, rows, tmpdir, title):
    data, cmd, out, err, rc = run(binary, case, rows, tmpdir)
    exp = expected(case, rows)
    p = sys.stdout.write
    p("=== %s: seed %d ===\n" % (title, case["seed"]))
    dl = case["dl"]
    p("dialect: delim=%r bom=%s eol=%r final_eol=%s date=%s dt_style=%s cols=%s\n" % (
        dl["delim"], dl["bom"], dl["eol"], not dl.get("no_final_eol"), dl["date"], dl["dt_style"],
        [h for _, h in dl["cols"]]))
    p("command: %s\n" % " ".join(
        "'%s'" % c if (" " in c or "%" in c) else c for c in cmd))
    p("file (%d bytes):\n%s" % (len(data), show_bytes(data)))
    p("canonical data:\n%s" % "".join(
        "    | " + l + "\n" for l in canonical_csv(rows).splitlines()))
    p("expected (trc.py%s):\n%s" % (
        "".join(" %s %s" % (k, v) for k, v in (
            ("--period", case["period"]), ("--as-of", case["as_of"]),
            ("--from", case.get("from")), ("--to", case.get("to")),
            ("--precision", case.get("precision"))) if v is not None),
        "".join("    | " + l + "\n" for l in exp.splitlines())))
    p("retain (exit %d):\n%s" % (rc, "".join(
        "    | " + l + "\n" for l in out.decode("utf-8", "replace").splitlines())))
    if err:
        p("retain stderr:\n%s" % "".join(
            "    | " + l + "\n" for l in err.decode("utf-8", "replace").splitlines()))
    if rc == 0 and out == expected_alt(case, rows).encode():
        p("NOTE: retain matches trc.py --churn-from-rounded: the only difference "
          "is churn_pct = 100 - rounded(retention_pct) vs rounded(100 - exact).\n")
    p("\n")


def main():
    ap = argparse.ArgumentParser(description="differential test of retain rate")
    ap.add_argument("binary")
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--seed", type=int, action="append",
                    help="run only this seed (repeatable)")
    ap.add_argument("--shrink", action="store_true",
                    help="also print a minimised input for each failure")
    ap.add_argument("--keep", help="write failing inputs into this directory")
    ap.add_argument("--strict-empty", action="store_true",
                    help="when no row starts on or before as-of, require the "
                    "header-only table trc.py prints (default: also accept a "
                    "non-zero exit with empty stdout; SPEC is silent)")
    ap.add_argument("--plain", action="store_true",
                    help="only the flags --period/--as-of/--date-format (no "
                    "--from/--to/--precision) and always a final line end")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    global PLAIN
    PLAIN = a.plain
    binary = os.path.abspath(a.binary) if os.sep in a.binary else a.binary
    seeds = a.seed or range(a.first_seed, a.first_seed + a.seeds)
    passed = failed = empty_errors = 0
    failed_seeds = []
    with tempfile.TemporaryDirectory(prefix="check-rate-") as tmpdir:
        for seed in seeds:
            case = make_case(seed)
            data, cmd, out, err, rc = run(binary, case, case["rows"], tmpdir)
            note = b"observed up to as-of" in err
            if rc == 0 and out == expected(case).encode() and note == expected_note(case):
                passed += 1
                if a.verbose:
                    print("seed %d ok (%s, %d rows)" % (
                        seed, case["period"], len(case["rows"])))
                continue
            if (not a.strict_empty and rc > 0 and out == b""
                    and expected(case) == trc.HEADER + "\n"):
                passed += 1
                empty_errors += 1
                if a.verbose:
                    print("seed %d: no row on or before as-of; retain exit %d: "
                          "%s" % (seed, rc, err.decode("utf-8", "replace").strip()))
                continue
            failed += 1
            failed_seeds.append(seed)
            report(binary, case, case["rows"], tmpdir, "MISMATCH")
            if a.keep:
                os.makedirs(a.keep, exist_ok=True)
                with open(os.path.join(a.keep, "seed-%d.csv" % seed), "wb") as f:
                    f.write(data)
            if a.shrink:
                small = shrink(binary, case, tmpdir)
                report(binary, case, small, tmpdir, "MINIMISED")
    if empty_errors:
        print("note: %d case(s) had no row starting on or before as-of; retain "
              "exited non-zero there instead of printing the header only "
              "(accepted: SPEC is silent; --strict-empty to count as failures)"
              % empty_errors)
    if failed_seeds:
        print("failed seeds: %s" % " ".join(map(str, failed_seeds)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
