#!/usr/bin/python3
"""SPEC's order summaries, RFM scores and repeat table in plain Python 3
(standard library only), written from SPEC.md ("Repeat purchases and
customer value from orders") and retain-rfm(1) / retain-repeat(1), not from
the C code. Brute force: every customer's orders are kept and sorted.

    orders.py rfm [--unit day|week] [--as-of D] [--precision N] FILE
    orders.py repeat [--period week|month|quarter|year] [--as-of D]
              [--within DAYS] [--precision N] FILE

FILE is canonical: a header `customer_id,order_date,amount`, ISO dates,
plain decimal amounts. Choices where SPEC leaves room (as the man pages
state them): customers in order of first appearance; the median of a
cohort is over its repeat buyers of (last - first) / (purchase days - 1),
the mean of the middle two for an even count; ratios round half away from
zero from the exact fraction.
"""
import argparse
import csv
import datetime as dt
import sys
from fractions import Fraction as F


def rnd(q, decimals):
    """q rounded half away from zero to `decimals` decimals, as text."""
    scale = 10 ** decimals
    v = abs(q) * scale
    n = int(v)
    if v - n >= F(1, 2):
        n += 1
    sign = "-" if q < 0 and n != 0 else ""
    s = str(n).rjust(decimals + 1, "0")
    return sign + (s[:-decimals] + "." + s[-decimals:] if decimals else s)


def money(text):
    return F(text)


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    order, days = [], {}
    for r in rows:
        c = r["customer_id"]
        if c not in days:
            order.append(c)
            days[c] = {}
        d = dt.date.fromisoformat(r["order_date"])
        days[c][d] = days[c].get(d, F(0)) + money(r["amount"])
    return order, days


def summaries(order, days, as_of):
    """(id, first, last, x, repeat spend) of customers with a purchase up to as_of."""
    out = []
    for c in order:
        ds = sorted(d for d in days[c] if d <= as_of)
        if not ds:
            continue
        out.append((c, ds[0], ds[-1], len(ds) - 1, sum(days[c][d] for d in ds[1:])))
    return out


def latest(days):
    return max(d for c in days for d in days[c])


def scores(values, better_high):
    """1 + floor(5 k / n), k = the values strictly worse."""
    n = len(values)
    out = []
    for v in values:
        k = sum(1 for w in values if (w < v if better_high else w > v))
        out.append(1 + (5 * k) // n)
    return out


def rfm(args):
    order, days = read(args.file)
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else latest(days)
    s = summaries(order, days, as_of)
    unit = 7 if args.unit == "week" else 1
    R = scores([(as_of - last).days for _, _, last, _, _ in s], False)
    Fs = scores([x for *_, x, _ in s], True)
    M = scores([spend / x if x else F(0) for *_, x, spend in s], True)
    print("id,frequency,recency,T,monetary,R,F,M,rfm")
    for i, (c, first, last, x, spend) in enumerate(s):
        def t(days_):
            return str(days_) if unit == 1 else rnd(F(days_, 7), args.precision)
        mon = rnd(spend / x if x else F(0), args.precision)
        print(f"{c},{x},{t((last - first).days)},{t((as_of - first).days)},{mon},"
              f"{R[i]},{Fs[i]},{M[i]},{R[i]}{Fs[i]}{M[i]}")


def period_of(kind, d):
    if kind == "week":
        y, w, _ = d.isocalendar()
        return (y, w)
    if kind == "month":
        return (d.year, d.month)
    if kind == "quarter":
        return (d.year, (d.month - 1) // 3 + 1)
    return (d.year,)


def label(kind, p):
    if kind == "week":
        return f"{p[0]}-W{p[1]:02d}"
    if kind == "month":
        return f"{p[0]}-{p[1]:02d}"
    if kind == "quarter":
        return f"{p[0]}-Q{p[1]}"
    return f"{p[0]}"


def periods(kind, a, b):
    """Every period from the one of day a to the one of day b."""
    out, d = [], a
    while d <= b:
        p = period_of(kind, d)
        if not out or out[-1] != p:
            out.append(p)
        d += dt.timedelta(days=1)
    return out


def repeat(args):
    order, days = read(args.file)
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else latest(days)
    s = []
    for c in order:
        ds = sorted(d for d in days[c] if d <= as_of)
        if ds:
            s.append(ds)
    first = min(ds[0] for ds in s)
    print("cohort,customers,repeaters,repeat_pct,purchases_per_customer,median_days_between")
    for p in periods(args.period, first, as_of):
        cs = [ds for ds in s if period_of(args.period, ds[0]) == p]
        n = len(cs)
        rep = sum(1 for ds in cs if len(ds) > 1 and
                  (args.within is None or (ds[1] - ds[0]).days <= args.within))
        gaps = sorted(F((ds[-1] - ds[0]).days, len(ds) - 1) for ds in cs if len(ds) > 1)
        if gaps:
            m = len(gaps)
            med = gaps[m // 2] if m % 2 else (gaps[m // 2 - 1] + gaps[m // 2]) / 2
            med_s = rnd(med, args.precision)
        else:
            med_s = ""
        pct = rnd(F(100 * rep, n), args.precision) if n else ""
        ppc = rnd(F(sum(len(ds) for ds in cs), n), args.precision) if n else ""
        print(f"{label(args.period, p)},{n},{rep},{pct},{ppc},{med_s}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["rfm", "repeat"])
    ap.add_argument("--unit", default="day")
    ap.add_argument("--period", default="month")
    ap.add_argument("--as-of")
    ap.add_argument("--within", type=int)
    ap.add_argument("--precision", type=int, default=2)
    ap.add_argument("file")
    args = ap.parse_args()
    (rfm if args.command == "rfm" else repeat)(args)


if __name__ == "__main__":
    sys.exit(main())
