#!/usr/bin/python3
"""Reference implementation of SPEC.md's cohort table (`retain cohort`).

Independent of the C code: written from SPEC.md ("Cohorts", "Days,
activity, as-of", "Periods"), brute force: for every cohort and age it
checks every row of every customer of the cohort on the age's last day.
Periods, labels and rounding come from trc.py (the reference TRC).

    cohort.py [--period week|month|quarter|year] [--as-of YYYY-MM-DD]
              [--from P] [--to P] [--by COL] [--revenue] [--wide]
              [--precision N] [FILE|-]

Input: canonical CSV with `id`, `start`, `end` (ISO dates, empty = active),
`mrr` (plain decimal, empty = 0) and the --by column.

  * cohort of a customer (segment, id): the period of its earliest start;
    cohort_size: its customers; starting MRR: the MRR of the customer's
    rows that start on that earliest day.
  * active(c, k): customers with a row serving the last day of period
    c + k (start <= d < end, an end after as-of counts as empty); mrr(c, k):
    the MRR of the cohort's rows serving that day.
  * pct = active / size x 100 (--revenue: mrr / starting MRR x 100), exact
    and rounded half away from zero; empty when the denominator is 0.
  * mean: sums over the cohorts that reached the age, then the same ratio.
  * --from/--to: only the cohorts of those periods are reported (and
    pooled in the mean); their ages still run to as-of.
"""

import argparse
import csv
import datetime as dt
import os
import sys
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trc import period_bounds, next_period_start, period_label, parse_label  # noqa: E402
from trc import round_half_away  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--period", default="month", choices=["week", "month", "quarter", "year"])
    ap.add_argument("--as-of")
    ap.add_argument("--by")
    ap.add_argument("--revenue", action="store_true")
    ap.add_argument("--wide", action="store_true")
    ap.add_argument("--from", dest="from_label")
    ap.add_argument("--to", dest="to_label")
    ap.add_argument("--precision", "-p", type=int, default=2)
    ap.add_argument("file", nargs="?", default="-")
    a = ap.parse_args()
    f = sys.stdin if a.file == "-" else open(a.file, newline="", encoding="utf-8-sig")
    rows = []
    for r in csv.DictReader(f):
        s = dt.date.fromisoformat(r["start"])
        e = dt.date.fromisoformat(r["end"]) if r.get("end") else None
        mrr = Fraction(Decimal(r["mrr"])) if r.get("mrr") else Fraction(0)
        rows.append(((r[a.by] if a.by else ""), r["id"], s, e, mrr))
    as_of = dt.date.fromisoformat(a.as_of) if a.as_of else max(r[2] for r in rows)
    rows = [r for r in rows if r[2] <= as_of]
    rows = [(g, i, s, e if e is not None and e <= as_of else None, m) for g, i, s, e, m in rows]

    periods = []  # (p0, p1) from the earliest start's period to as-of's
    p0, _ = period_bounds(a.period, min(r[2] for r in rows))
    while p0 <= as_of:
        periods.append(period_bounds(a.period, p0))
        p0 = next_period_start(a.period, p0)
    index = {p[0]: k for k, p in enumerate(periods)}
    # --from/--to: the cohorts reported (a label, or a date standing for the
    # period holding it); their ages still run to as-of
    lo, hi = 0, len(periods) - 1
    for text, is_from in ((a.from_label, True), (a.to_label, False)):
        if text is None:
            continue
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            p = period_bounds(a.period, dt.date.fromisoformat(text))[0]
        else:
            p = parse_label(a.period, text)
        k = sum(1 for q in periods if q[0] < p)  # cohorts before it
        if is_from:
            lo = max(lo, k)
        else:
            hi = min(hi, k if k < len(periods) and periods[k][0] == p else k - 1)
    if lo > hi:
        sys.stderr.write("cohort.py: no period to report\n")
        sys.exit(64)

    def serves(row, d):
        return row[2] <= d and (row[3] is None or d < row[3])

    customers = {}
    for r in rows:
        customers.setdefault((r[0], r[1]), []).append(r)
    segments = sorted({g for g, _ in customers}, key=lambda g: g.encode())
    n = len(periods)
    pd = min(a.precision, 6)

    def money(x):
        return round_half_away(x, pd)

    def pct(num, den):
        return round_half_away(Fraction(num) / den * 100, a.precision) if den else ""

    out = csv.writer(sys.stdout, lineterminator="\n")
    head = ([a.by] if a.by else []) + ["cohort", "cohort_size"]
    if a.revenue:
        head.append("starting_mrr")
    out.writerow(head + ([str(k) for k in range(n - lo)] if a.wide
                         else ["age", "mrr" if a.revenue else "active", "pct"]))
    for g in segments:
        cells = {}  # (cohort, age) -> (size, start_mrr, active, mrr)
        sizes = [[0, Fraction(0)] for _ in range(n)]
        members = [[] for _ in range(n)]
        for (gg, _), rs in customers.items():
            if gg != g:
                continue
            first = min(r[2] for r in rs)
            c = index[period_bounds(a.period, first)[0]]
            sizes[c][0] += 1
            sizes[c][1] += sum(r[4] for r in rs if r[2] == first)
            members[c].append(rs)
        for c in range(n):
            for k in range(n - c):
                day = periods[c + k][1]
                act = sum(1 for rs in members[c] if any(serves(r, day) for r in rs))
                mrr = sum((r[4] for rs in members[c] for r in rs if serves(r, day)), Fraction(0))
                cells[c, k] = (sizes[c][0], sizes[c][1], act, mrr)
        table = [(period_label(a.period, periods[c][0]),
                  [cells[c, k] for k in range(n - c)], sizes[c]) for c in range(lo, hi + 1)]
        mean = []
        for k in range(n - lo):
            got = [cells[c, k] for c in range(lo, min(hi, n - 1 - k) + 1)]
            mean.append(tuple(sum(x[i] for x in got) for i in range(4)))
        table.append(("mean", mean, mean[0][:2]))
        for label, line, size in table:
            lead = ([g] if a.by else []) + [label]
            if a.wide:
                row = lead + [size[0]] + ([money(size[1])] if a.revenue else [])
                for k in range(n - lo):
                    if k < len(line):
                        sz, sm, act, mrr = line[k]
                        row.append(pct(mrr, sm) if a.revenue else pct(act, sz))
                    else:
                        row.append("")
                out.writerow(row)
                continue
            for k, (sz, sm, act, mrr) in enumerate(line):
                row = lead + [sz] + ([money(sm)] if a.revenue else []) + [k]
                row += ([money(mrr), pct(mrr, sm)] if a.revenue else [act, pct(act, sz)])
                out.writerow(row)


if __name__ == "__main__":
    main()
