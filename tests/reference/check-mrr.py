#!/usr/bin/python3
"""Randomized differential test of `retain mrr` against mrr.py.

    check-mrr.py RETAIN_BINARY [--seeds N] [--first-seed K] [--seed K]
                 [--keep DIR] [-v]

For each seed it builds a small random subscription table: 1..25 customers
with plan changes on the day the previous row ends (up, down, to another
plan), downgrades to a free plan (MRR 0) and back, win-backs after a gap,
overlapping add-ons, rows with end = start, open rows and ends after
as-of; segment values with commas, quotes, accents and the empty value.
It picks --period (day only on short tables), maybe --as-of, --from/--to,
--merge-gap, --by, --annual, --customers, -p, and writes the table in a
random dialect the reader supports: , ; or TAB; UTF-8 with or without BOM
or Windows-1252 (--encoding cp1252); LF or CRLF; recognised header
aliases; ISO dates, ISO date-times, %d/%m/%Y or %m/%d/%Y, Unix seconds or
milliseconds (--date-format epoch, epoch-ms); amounts 1234.50, $1,234.50,
1234.50 EUR, decimal comma 1 234,50 or 1.234,50 EUR (--decimal ,), minor
units (--cents) or annual amounts (--arr: MRR = ARR / 12 to the cent, half
away from zero).  stdout must equal mrr.py's on the canonical data, byte
for byte, with exit status 0.

On retain's own output it also checks, on every period and segment, that
mrr_end = mrr_start + new + reactivation + expansion - contraction -
churned + moved_in - moved_out to the cent and that each period starts
where the one before ended; and, with --period year, that nrr_pct is the
sum of m1 over the customers paying at the start of the year (from
--customers) over the sum of their m0.  Last line: `N passed, M failed`.
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
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mrr as ref  # noqa: E402

D = dt.date
ONE = dt.timedelta(days=1)
PLANS = ["basic", "pro", "team", "", "Équipe", 'big, "quoted"', "Zeta"]
EPOCH = D(1970, 1, 1)


def gen_rows(rng, span):
    """Rows: id, start, end (None), cents (MRR in cents), seg."""
    base = D(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    rows = []
    for c in range(rng.randint(1, 25)):
        cid = rng.choice(["C%03d" % c, "c-%d" % c, "Société %d" % c, "%d" % (9612000100 + c)])
        at = base + dt.timedelta(days=rng.randrange(0, span))
        cents = rng.choice([0, 900, 4900, 9900, 12345, 50000, 250000])
        seg = rng.choice(PLANS)
        for _ in range(rng.randint(1, 4)):
            length = rng.choice([0, 1, 13, 30, 31, 45, 90, 200]) if rng.random() < 0.9 else 0
            end = at + dt.timedelta(days=length) if rng.random() < 0.75 else None
            rows.append({"id": cid, "start": at, "end": end, "cents": cents, "seg": seg})
            how = rng.random()
            if end is None:
                # an add-on beside it, or nothing more
                at = at + dt.timedelta(days=rng.randrange(0, 60))
                cents = rng.choice([0, 1500, 2500])
                seg = rng.choice(PLANS)
                continue
            if how < 0.35:  # a plan change on the day: up, down, free, or the same
                at = end
                cents = rng.choice([0, cents, cents * 2, cents // 2 + 1, 7700])
                if rng.random() < 0.4:
                    seg = rng.choice(PLANS)
            elif how < 0.65:  # a win-back after a gap
                at = end + dt.timedelta(days=rng.choice([1, 2, 5, 10, 40, 120]))
                cents = rng.choice([cents, 9900, 0])
            else:  # an overlap
                at = at + dt.timedelta(days=rng.randrange(0, max(1, length)))
                cents = rng.choice([1000, 2500, cents])
                seg = rng.choice(PLANS)
    return rows


def gen_dialect(rng):
    enc = "cp1252" if rng.random() < 0.2 else "utf-8"
    dl = {
        "delim": rng.choice([",", ";", "\t"]),
        "bom": enc == "utf-8" and rng.random() < 0.3,
        "eol": rng.choice(["\n", "\r\n"]),
        "enc": enc,
        "date": rng.choices(["iso", "datetime", "dmy", "mdy", "epoch", "epoch-ms"],
                            [4, 2, 1, 1, 1, 1])[0],
        "money": rng.choices(["plain", "dollar", "eur", "comma", "dots", "cents", "arr"],
                             [3, 1, 1, 1, 1, 1, 1])[0],
    }
    mrr_head = {"cents": "plan_amount", "arr": rng.choice(["ARR (converted)", "arr"])}.get(
        dl["money"], rng.choice(["mrr", "MRR", "monthly_revenue", "Monthly Revenue"]))
    dl["cols"] = [("id", rng.choice(["customer_id", "Record ID", "Account ID", "id"])),
                  ("start", rng.choice(["signup_date", "start_date", "Became a Customer Date"])),
                  ("end", rng.choice(["churn_date", "cancel_date", "end_date", "Churn Date"])),
                  ("mrr", mrr_head), ("seg", "Plan"), ("note", "Company name")]
    rng.shuffle(dl["cols"])
    return dl


def flags(dl):
    f = []
    if dl["enc"] != "utf-8":
        f += ["--encoding", dl["enc"]]
    fmt = {"dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y", "epoch": "epoch", "epoch-ms": "epoch-ms"}
    if dl["date"] in fmt:
        f += ["--date-format", fmt[dl["date"]]]
    if dl["money"] in ("comma", "dots"):
        f += ["--decimal", ","]
    if dl["money"] == "cents":
        f += ["--cents"]
    if dl["money"] == "arr":
        f += ["--arr"]
    return f


def fmt_date(dl, d, rng):
    s = dl["date"]
    secs = (d - EPOCH).days * 86400 + rng.randrange(0, 86400)
    if s == "epoch":
        return str(secs)
    if s == "epoch-ms":
        return str(secs * 1000 + rng.randrange(0, 1000))
    if s == "dmy":
        return d.strftime("%d/%m/%Y")
    if s == "mdy":
        return d.strftime("%m/%d/%Y")
    if s == "datetime":
        return d.isoformat() + rng.choice([" 09:30", "T23:59:00Z", " 00:00"])
    return d.isoformat()


def grouped(units, sep):
    s = str(units)
    parts = []
    while len(s) > 3:
        parts.insert(0, s[-3:])
        s = s[:-3]
    return sep.join([s] + parts)


def fmt_money(dl, cents):
    """The amount as the export writes it (for --arr, cents is the ARR)."""
    u, c = divmod(cents, 100)
    m = dl["money"]
    if m == "cents":
        return str(cents)
    if m == "dollar":
        return "$%s.%02d" % (grouped(u, ","), c)
    if m == "eur":
        return "%d.%02d EUR" % (u, c)
    if m == "comma":
        return "%s,%02d" % (grouped(u, " "), c)
    if m == "dots":
        return "%s,%02d EUR" % (grouped(u, "."), c)
    return "%d.%02d" % (u, c)


def cell(dl, v):
    if any(ch in v for ch in (dl["delim"], '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v


def render(dl, rows, rng):
    lines = [dl["delim"].join(cell(dl, h) for _, h in dl["cols"])]
    for r in rows:
        out = []
        for key, _ in dl["cols"]:
            v = {"id": r["id"], "start": fmt_date(dl, r["start"], rng),
                 "end": "" if r["end"] is None else fmt_date(dl, r["end"], rng),
                 "mrr": fmt_money(dl, r["written"]), "seg": r["seg"], "note": "Acme; Inc."}[key]
            out.append(cell(dl, v))
        r["cells"] = tuple(out)
        lines.append(dl["delim"].join(out))
    text = dl["eol"].join(lines) + dl["eol"]
    data = text.encode(dl["enc"])
    return b"\xef\xbb\xbf" + data if dl["bom"] else data


def monthly(dl, r):
    """The MRR as SPEC reads it, exact."""
    if dl["money"] != "arr":
        return Fraction(r["cents"], 100)
    q = Fraction(r["written"], 12)  # in cents: half away from zero
    n = int(q)
    return Fraction(n + (1 if q - n >= Fraction(1, 2) else 0), 100)


def make_case(seed):
    rng = random.Random(seed)
    kind = rng.choices(["day", "week", "month", "quarter", "year"], [1, 2, 4, 2, 2])[0]
    rows = gen_rows(rng, 40 if kind == "day" else 500)
    dl = gen_dialect(rng)
    for r in rows:
        r["written"] = r["cents"] * 12 + rng.choice([0, 0, 5, 6, 11]) if dl["money"] == "arr" \
            else r["cents"]
    starts = sorted(r["start"] for r in rows)
    opts = {"period": kind, "as_of": None, "frm": None, "to": None, "gap": 0, "by": False,
            "annual": rng.random() < 0.15, "customers": rng.random() < 0.25,
            "precision": rng.choice([2, 2, 2, 3, 0])}
    if rng.random() < 0.4:
        opts["as_of"] = rng.choice(starts) + dt.timedelta(days=rng.choice([0, 3, 100]))
    if rng.random() < 0.3:
        opts["gap"] = rng.choice([1, 5, 10, 60])
    opts["by"] = rng.random() < 0.5
    as_of = opts["as_of"] or starts[-1]
    observed = [d for d in starts if d <= as_of]
    if rng.random() < 0.25 and kind != "day":
        opts["frm"] = ref.bounds(kind, rng.choice(observed))[0]
    if rng.random() < 0.2 and kind != "day":
        cand = ref.bounds(kind, rng.choice(observed))[0]
        if cand <= ref.bounds(kind, as_of)[0] and (opts["frm"] is None or cand >= opts["frm"]):
            opts["to"] = cand
    return rng, rows, dl, opts


def command(binary, dl, opts, path):
    cmd = [binary, "mrr", "-q", "--period", opts["period"]] + flags(dl)
    if opts["as_of"]:
        cmd += ["--as-of", opts["as_of"].isoformat()]
    if opts["frm"]:
        cmd += ["--from", opts["frm"].isoformat()]
    if opts["to"]:
        cmd += ["--to", ref.label(opts["period"], opts["to"])]
    if opts["gap"]:
        cmd += ["--merge-gap", str(opts["gap"])]
    if opts["by"]:
        cmd += ["--by", "Plan"]
    if opts["annual"]:
        cmd += ["--annual"]
    if opts["customers"]:
        cmd += ["--customers"]
    return cmd + ["-p", str(opts["precision"]), path]


def distinct(rows):
    """A row repeating another cell for cell counts once (retain-metrics(7))."""
    seen, out = set(), []
    for r in rows:
        if r["cells"] not in seen:
            seen.add(r["cells"])
            out.append(r)
    return out


def expected(rows, dl, opts, customers=None):
    rows = distinct(rows)
    canon = [{"id": r["id"], "start": r["start"], "end": r["end"], "mrr": monthly(dl, r),
              "seg": r["seg"]} for r in rows]
    res = ref.compute(canon, opts["period"], opts["as_of"], opts["frm"], opts["to"],
                      opts["gap"], opts["by"])
    cust = opts["customers"] if customers is None else customers
    return ref.render(*res, opts["period"], "Plan" if opts["by"] else None, opts["annual"],
                      cust, opts["precision"])


def check_identity(out, by):
    """The identity to the cent on every line of a table, and continuity."""
    problems = []
    prev = {}
    for r in csv.DictReader(io.StringIO(out)):
        g = r.get("Plan", "")
        v = {k: Decimal(x) for k, x in r.items() if k not in ("Plan", "period") and x != ""}
        start = v.get("mrr_start", v.get("arr_start"))
        end = v.get("mrr_end", v.get("arr_end"))
        moved = v.get("moved_in", 0) - v.get("moved_out", 0)
        if end != start + v["new"] + v["reactivation"] + v["expansion"] - v["contraction"] \
                - v["churned"] + moved:
            problems.append("identity fails on %s %s" % (g, r["period"]))
        if g in prev and prev[g] != start:
            problems.append("%s %s does not start where the period before ended" %
                            (g, r["period"]))
        prev[g] = end
    return problems


def check_year_nrr(binary, dl, path):
    """--period year: nrr_pct = sum of m1 / sum of m0 over those with m0 > 0."""
    base = [binary, "mrr", "-q", "--period", "year", "-p", "4"] + flags(dl) + [path]
    t = subprocess.run(base, capture_output=True, text=True)
    c = subprocess.run(base[:-1] + ["--customers", path], capture_output=True, text=True)
    if t.returncode or c.returncode:
        return ["--period year failed: %s%s" % (t.stderr, c.stderr)]
    m0, m1 = {}, {}
    for r in csv.DictReader(io.StringIO(c.stdout)):
        if Decimal(r["m0"]) > 0:
            m0[r["period"]] = m0.get(r["period"], 0) + Fraction(Decimal(r["m0"]))
            m1[r["period"]] = m1.get(r["period"], 0) + Fraction(Decimal(r["m1"]))
    problems = []
    for r in csv.DictReader(io.StringIO(t.stdout)):
        want = ref.ratio(m1.get(r["period"], 0), m0.get(r["period"], 0), 100, 4)
        if r["nrr_pct"] != want:
            problems.append("year %s: nrr_pct %s, customers give %s" %
                            (r["period"], r["nrr_pct"], want))
    return problems


def run_seed(binary, seed, tmpdir, verbose):
    rng, rows, dl, opts = make_case(seed)
    path = os.path.join(tmpdir, "t%d.csv" % seed)
    if rng.random() < 0.2:  # a stacked export: some rows twice
        rows = rows + [dict(r) for r in rng.sample(rows, rng.randint(1, len(rows)))]
    with open(path, "wb") as f:
        f.write(render(dl, rows, rng))
    cmd = command(binary, dl, opts, path)
    p = subprocess.run(cmd, capture_output=True)
    want = expected(rows, dl, opts)
    got = p.stdout.decode("utf-8", "replace")
    problems = []
    if p.returncode != 0:
        problems.append("exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")))
    elif got != want:
        problems.append("stdout differs from mrr.py")
    if not problems and not opts["customers"] and opts["precision"] >= 2:
        problems += check_identity(got, opts["by"])
    if not problems and seed % 4 == 0:
        problems += check_year_nrr(binary, dl, path)
    if problems or verbose:
        print("seed %d: %s" % (seed, " ".join(cmd)))
    if problems:
        for pr in problems:
            print("  " + pr)
        with open(path, "rb") as f:
            print("  file: %r" % f.read()[:3000])
        got_lines, want_lines = got.splitlines(), want.splitlines()
        for i in range(max(len(got_lines), len(want_lines))):
            a = got_lines[i] if i < len(got_lines) else "<none>"
            b = want_lines[i] if i < len(want_lines) else "<none>"
            if a != b:
                print("  line %d:\n    retain: %s\n    mrr.py: %s" % (i + 1, a, b))
                break
    else:
        os.unlink(path)
    return not problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--keep")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    seeds = [a.seed] if a.seed is not None else range(a.first_seed, a.first_seed + a.seeds)
    tmpdir = a.keep or tempfile.mkdtemp(prefix="check-mrr.")
    os.makedirs(tmpdir, exist_ok=True)
    passed = failed = 0
    for s in seeds:
        if run_seed(a.binary, s, tmpdir, a.v):
            passed += 1
        else:
            failed += 1
    if not a.keep and failed == 0:
        os.rmdir(tmpdir)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
