#!/usr/bin/python3
"""Reference implementation of SPEC.md's revenue retention, `retain mrr`.

Written from the definitions ("Revenue retention", "Lives", "Days, activity,
as-of", "Periods") and from retain-mrr(1) where SPEC leaves room, not from
the C code: brute force, day by day, on exact decimals.  Standard library
only.

Input: a canonical CSV with the columns `id`, `start`, `end`, `mrr` (ISO
dates, `end` empty = open, `mrr` a plain decimal) and, with --by COL, COL.

    mrr.py [--period day|week|month|quarter|year] [--as-of YYYY-MM-DD]
           [--from LABEL] [--to LABEL] [--merge-gap G] [--by COL]
           [--annual] [--customers] [--precision N] [FILE|-]

Choices where SPEC is silent (as retain-mrr(1) documents them):
  * m1 of a period that ends after as-of is the MRR on as-of.
  * customers_start / customers_end count customers with MRR > 0.
  * A row with end = start serves no day and adds nothing.
  * On a gap of at most G days between a customer's served days the MRR
    and segment are those of the last day before the gap.
  * revenue_churn_pct is 100 - grr_pct as rounded.
  * --customers: rows where m0 > 0 or m1 > 0, by id (bytes) then period.
"""

import argparse
import csv
import datetime as dt
import sys
from decimal import Decimal
from fractions import Fraction

ONE = dt.timedelta(days=1)


# ---- periods --------------------------------------------------------------

def bounds(kind, d):
    """First and last day of the period of `kind` holding day d."""
    if kind == "day":
        return d, d
    if kind == "week":
        p0 = d - dt.timedelta(days=d.isoweekday() - 1)
        return p0, p0 + dt.timedelta(days=6)
    if kind == "month":
        p0 = d.replace(day=1)
    elif kind == "quarter":
        p0 = dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    else:
        p0 = dt.date(d.year, 1, 1)
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    y, m = divmod(p0.month - 1 + months, 12)
    return p0, dt.date(p0.year + y, m + 1, 1) - ONE


def label(kind, p0):
    if kind == "day":
        return p0.isoformat()
    if kind == "week":
        y, w, _ = p0.isocalendar()
        return "%d-W%02d" % (y, w)
    if kind == "month":
        return "%04d-%02d" % (p0.year, p0.month)
    if kind == "quarter":
        return "%04d-Q%d" % (p0.year, (p0.month - 1) // 3 + 1)
    return "%04d" % p0.year


def parse_period(kind, text):
    """A label of the kind, or a date: the first day of its period."""
    try:
        return bounds(kind, dt.date.fromisoformat(text))[0]
    except ValueError:
        pass
    if kind == "week":
        y, w = text.split("-W")
        return dt.date.fromisocalendar(int(y), int(w), 1)
    if kind == "month":
        y, m = text.split("-")
        return dt.date(int(y), int(m), 1)
    if kind == "quarter":
        y, q = text.split("-Q")
        return dt.date(int(y), 3 * (int(q) - 1) + 1, 1)
    if kind == "year":
        return dt.date(int(text), 1, 1)
    raise ValueError(text)


# ---- one customer's MRR on a day -------------------------------------------

def seg_key(s):
    return s.encode("utf-8")


class Customer:
    def __init__(self, rows, gap):
        # rows: (start, end or None, mrr Fraction, segment); end = start serves nothing
        self.rows = [r for r in rows if r[1] is None or r[1] > r[0]]
        self.gap = gap
        paid = [r[0] for r in self.rows if r[2] > 0]
        self.first_paid = min(paid) if paid else None

    def serving(self, d):
        return [r for r in self.rows if r[0] <= d and (r[1] is None or d < r[1])]

    def on(self, d):
        """(MRR, segment) on day d; (0, None) when not served."""
        rows = self.serving(d)
        if not rows and self.gap > 0:
            ends = [r[1] for r in self.rows if r[1] is not None and r[1] <= d]
            starts = [r[0] for r in self.rows if r[0] > d]
            if ends and starts and min(starts) - max(ends) <= dt.timedelta(days=self.gap):
                return self.on(max(ends) - ONE)
        if not rows:
            return Fraction(0), None
        best = min(rows, key=lambda r: (-r[2], seg_key(r[3])))
        return sum((r[2] for r in rows), Fraction(0)), best[3]


# ---- the table ------------------------------------------------------------

def compute(rows, kind="month", as_of=None, frm=None, to=None, gap=0, by=False):
    """rows: dicts id, start, end (None), mrr (Fraction), seg.  Returns
    (periods [(p0, p1, day of m1)], segments, table {(seg, i): dict},
    per_customer [(id, i, m0, m1, movement, seg, from_seg)])."""
    if as_of is None:
        as_of = max(r["start"] for r in rows)
    kept = [r for r in rows if r["start"] <= as_of]
    if not kept:
        raise SystemExit("no row starts on or before as-of")
    by_id = {}
    for r in kept:
        end = r["end"] if r["end"] is not None and r["end"] <= as_of else None
        by_id.setdefault(r["id"], []).append((r["start"], end, r["mrr"], r["seg"] if by else ""))
    customers = {k: Customer(v, gap) for k, v in by_id.items()}
    first = bounds(kind, min(r["start"] for r in kept))[0]
    last = bounds(kind, as_of)[0]
    if frm is not None and frm > first:
        first = frm
    if to is not None and to < last:
        last = to
    periods = []
    p0 = first
    while p0 <= last:
        b = bounds(kind, p0)
        periods.append((b[0], b[1], min(b[1], as_of)))
        p0 = b[1] + ONE
    segments = sorted({r["seg"] if by else "" for r in kept}, key=seg_key)
    names = ("customers_start", "customers_end", "mrr_start", "new", "expansion",
             "reactivation", "contraction", "churned", "moved_in", "moved_out", "mrr_end")
    table = {(g, i): {n: Fraction(0) for n in names}
             for g in segments for i in range(len(periods))}
    per_customer = []
    for cid, c in customers.items():
        for i, (p0, p1, d1) in enumerate(periods):
            m0, g0 = c.on(p0 - ONE)
            m1, g1 = c.on(d1)
            if m0 > 0:
                table[(g0, i)]["mrr_start"] += m0
                table[(g0, i)]["customers_start"] += 1
            if m1 > 0:
                table[(g1, i)]["mrr_end"] += m1
                table[(g1, i)]["customers_end"] += 1
            if m0 == 0 and m1 == 0:
                continue
            if m0 == 0:
                what = "reactivation" if c.first_paid < p0 else "new"
                table[(g1, i)][what] += m1
            elif m1 == 0:
                what = "churned"
                table[(g0, i)]["churned"] += m0
            elif g0 != g1:
                what = "moved"
                table[(g0, i)]["moved_out"] += m0
                table[(g1, i)]["moved_in"] += m1
            elif m1 > m0:
                what = "expansion"
                table[(g1, i)]["expansion"] += m1 - m0
            elif m1 < m0:
                what = "contraction"
                table[(g1, i)]["contraction"] += m0 - m1
            else:
                what = "flat"
            seg = g1 if m1 > 0 else g0
            per_customer.append((cid, i, m0, m1, what, seg, g0 if what == "moved" else ""))
    per_customer.sort(key=lambda x: (x[0].encode("utf-8"), x[1]))
    return periods, segments, table, per_customer


def rnd(x, decimals):
    """x (a Fraction) rounded half away from zero, as text, never -0."""
    q = Fraction(10) ** decimals
    n = abs(x) * q
    units = int(n)
    if n - units >= Fraction(1, 2):
        units += 1
    if x < 0 and units:
        units = -units
    s = str(abs(units)).rjust(decimals + 1, "0")
    s = s if decimals == 0 else s[:-decimals] + "." + s[-decimals:]
    return ("-" if units < 0 else "") + s


def ratio(num, den, scale, decimals):
    return "" if den == 0 else rnd(Fraction(num) * scale / den, decimals)


def render(periods, segments, table, per_customer, kind, by_col=None, annual=False,
           customers=False, precision=2):
    k = 12 if annual else 1
    out = []
    if customers:
        head = ["id", "period"] + ([by_col, "moved_from"] if by_col else []) + ["m0", "m1",
                                                                               "movement"]
        out.append(",".join(head))
        for cid, i, m0, m1, what, seg, frm in per_customer:
            cells = [cid, label(kind, periods[i][0])]
            if by_col:
                cells += [seg, frm]
            cells += [rnd(m0 * k, precision), rnd(m1 * k, precision), what]
            out.append(",".join(quote(v) for v in cells))
        return "\n".join(out) + "\n"
    head = (([by_col] if by_col else []) +
            ["period", "customers_start", "customers_end", "arr_start" if annual else "mrr_start",
             "new", "expansion", "reactivation", "contraction", "churned"] +
            (["moved_in", "moved_out"] if by_col else []) +
            ["arr_end" if annual else "mrr_end", "nrr_pct", "grr_pct", "quick_ratio",
             "revenue_churn_pct"])
    out.append(",".join(head))
    for g in segments:
        for i, (p0, _, _) in enumerate(periods):
            t = {n: v * (k if n.startswith(("mrr", "new", "exp", "rea", "con", "chu", "mov"))
                         else 1) for n, v in table[(g, i)].items()}
            cells = ([g] if by_col else []) + [label(kind, p0), str(int(t["customers_start"])),
                                               str(int(t["customers_end"]))]
            money = ["mrr_start", "new", "expansion", "reactivation", "contraction", "churned"]
            if by_col:
                money += ["moved_in", "moved_out"]
            cells += [rnd(t[n], precision) for n in money + ["mrr_end"]]
            s, lost = t["mrr_start"], t["contraction"] + t["churned"]
            grr = ratio(s - lost, s, 100, precision)
            cells.append(ratio(s + t["expansion"] - lost, s, 100, precision))
            cells.append(grr)
            cells.append(ratio(t["new"] + t["reactivation"] + t["expansion"], lost, 1, precision))
            cells.append("" if grr == "" else rnd(100 - Fraction(Decimal(grr)), precision))
            out.append(",".join(quote(v) for v in cells))
    return "\n".join(out) + "\n"


def quote(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--period", default="month",
                    choices=["day", "week", "month", "quarter", "year"])
    ap.add_argument("--as-of")
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--to")
    ap.add_argument("--merge-gap", type=int, default=0)
    ap.add_argument("--by")
    ap.add_argument("--annual", action="store_true")
    ap.add_argument("--customers", action="store_true")
    ap.add_argument("--precision", "-p", type=int, default=2)
    ap.add_argument("file", nargs="?", default="-")
    a = ap.parse_args()
    f = sys.stdin if a.file == "-" else open(a.file, newline="", encoding="utf-8")
    rows = []
    for line, r in enumerate(csv.DictReader(f), start=2):
        start = dt.date.fromisoformat(r["start"])
        end = dt.date.fromisoformat(r["end"]) if r["end"] else None
        mrr = Fraction(Decimal(r["mrr"] or "0"))
        if (end is not None and end < start) or mrr < 0:
            print("line %d: bad row" % line, file=sys.stderr)
            return 65
        rows.append({"id": r["id"], "start": start, "end": end, "mrr": mrr,
                     "seg": r[a.by] if a.by else ""})
    as_of = dt.date.fromisoformat(a.as_of) if a.as_of else None
    frm = parse_period(a.period, a.frm) if a.frm else None
    to = parse_period(a.period, a.to) if a.to else None
    res = compute(rows, a.period, as_of, frm, to, a.merge_gap, a.by is not None)
    sys.stdout.write(render(*res, a.period, a.by, a.annual, a.customers, a.precision))
    return 0


if __name__ == "__main__":
    sys.exit(main())
