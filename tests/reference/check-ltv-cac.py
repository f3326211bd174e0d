#!/usr/bin/python3
"""Independent check of the LTV and CAC goldens (tests/e2e/cases/ltv-*,
cac-*) on examples/hubspot-export.csv and tests/fixtures/spend.csv.

Written from SPEC.md ("LTV and CAC", "Retention rate (TRC)") without the C
code: parses the export with the csv module, computes per Plan the ARPU of
the customers active on as-of, the mean monthly TRC churn of the 12 last
full months, the observed revenue (MRR x days served / (365.25/12)), the
LTV, and the new customers per month for CAC; then compares with the
numbers in the golden files, to the printed precision.

    check-ltv-cac.py [REPO_ROOT]      exit 0 when every number agrees
"""

import csv
import datetime as dt
import os
import sys
from collections import defaultdict

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
CASES = os.path.join(ROOT, "tests", "e2e", "cases")
failures = 0


def day(text):
    return dt.date.fromisoformat(text[:10]) if text.strip() else None


def money(text):
    return float(text.replace("$", "").replace(",", "").strip())


def load():
    rows = []
    with open(os.path.join(ROOT, "examples", "hubspot-export.csv"), newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            rows.append((r["Plan"], r["Record ID"], day(r["Became a Customer Date"]),
                         day(r["Churn Date"]), money(r["MRR"])))
    return rows


def month_bounds(y, m):
    p0 = dt.date(y, m, 1)
    p1 = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    return p0, p1


def months_between(a, b):
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month):
        yield y, m
        y, m = (y + (m == 12), m % 12 + 1)


def serves(row, d, as_of):
    start, end = row[2], row[3]
    if end is not None and end > as_of:
        end = None
    return start <= d and (end is None or d < end)


def per_plan(rows, as_of, window=12):
    out = {}
    for plan in sorted({r[0] for r in rows}):
        rs = [r for r in rows if r[0] == plan and r[2] <= as_of]
        by_cust = defaultdict(list)
        for r in rs:
            by_cust[r[1]].append(r)
        active = {c for c, v in by_cust.items() if any(serves(r, as_of, as_of) for r in v)}
        arpu = sum(r[4] for c in active for r in by_cust[c] if serves(r, as_of, as_of)) / len(active)
        revenue = 0.0
        for r in rs:
            end = r[3] if r[3] is not None and r[3] <= as_of else as_of + dt.timedelta(days=1)
            revenue += r[4] * (end - r[2]).days / (365.25 / 12)
        # TRC per month, brute force
        first = min(r[2] for r in rs)
        months = [ym for ym in months_between(first, as_of) if month_bounds(*ym)[1] <= as_of]
        churns = []
        for ym in months[-window:]:
            p0, p1 = month_bounds(*ym)
            before = p0 - dt.timedelta(days=1)
            s = {c for c, v in by_cust.items() if any(serves(r, before, as_of) for r in v)}
            e = {c for c, v in by_cust.items() if any(serves(r, p1, as_of) for r in v)}
            n = {c for c, v in by_cust.items() if c not in s and any(p0 <= r[2] <= p1 for r in v)}
            if s:
                churns.append(1 - (len(e) - len(n)) / len(s))
        churn = sum(churns) / len(churns)
        out[plan] = dict(customers=len(active), arpu=arpu, churn=churn, months=len(churns),
                         seen=len(by_cust), observed=revenue / len(by_cust))
    return out


def close(what, got, want, decimals=2):
    global failures
    if got == "" and want is None:
        return
    if want is None or got == "" or abs(float(got) - want) > 0.5 * 10 ** -decimals + 1e-9:
        print(f"MISMATCH {what}: golden {got!r}, reference {want!r}")
        failures += 1


def golden(case):
    with open(os.path.join(CASES, case, "out"), newline="") as f:
        return list(csv.DictReader(f))


def main():
    rows = load()
    as_of = max(r[2] for r in rows)
    plans = per_plan(rows, as_of)
    ltv, printed = {}, {}
    for g in golden("ltv-example-by-plan"):
        printed[g["Plan"]] = g
        p = plans[g["Plan"]]
        value = p["arpu"] * 0.8 / p["churn"] if p["churn"] else None
        ltv[g["Plan"]] = value
        close(f"{g['Plan']} customers", g["customers"], p["customers"], 0)
        close(f"{g['Plan']} arpu", g["arpu"], p["arpu"])
        close(f"{g['Plan']} churn_pct", g["churn_pct"], 100 * p["churn"])
        close(f"{g['Plan']} churn_months", g["churn_months"], p["months"], 0)
        close(f"{g['Plan']} ltv", g["ltv"], value)
        close(f"{g['Plan']} customers_seen", g["customers_seen"], p["seen"], 0)
        close(f"{g['Plan']} observed_revenue", g["observed_revenue"], p["observed"])

    # the piped LTV of retain rate's rows: 90 x 0.75 / churn
    for g in golden("ltv-pipe-rate"):
        c = float(g["churn_pct"]) / 100 if g["churn_pct"] else 0
        close(f"pipe {g['Plan']} {g['period']} ltv", g["ltv"], 67.5 / c if c else None)

    # CAC: spend per month and Plan (labels normalised), new = customers
    # whose first row starts in the month
    spend = defaultdict(float)
    with open(os.path.join(ROOT, "tests", "fixtures", "spend.csv"), newline="") as f:
        for r in csv.DictReader(f):
            y, m = r["period"].split("-")
            if r["spend"]:
                spend[(f"{int(y):04d}-{int(m):02d}", r["channel"])] += money(r["spend"])
    first = {}
    for r in rows:
        key = (r[0], r[1])
        first[key] = min(first.get(key, r[2]), r[2])
    new = defaultdict(int)
    for (plan, _), d in first.items():
        new[(f"{d.year:04d}-{d.month:02d}", plan)] += 1
    for g in golden("cac-pipe-ltv"):
        key = (g["period"], g["Plan"])
        if g["new"] != "":
            close(f"cac {key} new", g["new"], new.get(key, 0), 0)
        if g["spend"] != "":
            close(f"cac {key} spend", g["spend"], spend[key])
        cac = spend[key] / new[key] if g["spend"] and new.get(key) else None
        close(f"cac {key} cac", g["cac"], cac)
        close(f"cac {key} ltv", g["ltv"], ltv.get(g["Plan"]))
        # through the pipe come the numbers as retain ltv printed them
        p = printed.get(g["Plan"])
        lt = float(p["ltv"]) if p else None
        close(f"cac {key} ltv_cac", g["ltv_cac"], lt / cac if cac and lt else None)
        pay = cac / (float(p["arpu"]) * 0.8) if cac is not None and p else None
        close(f"cac {key} payback", g["payback_periods"], pay)
        want_warn = "LTV:CAC below 3" if cac and lt and lt / cac < 3 else ""
        if g["warning"] != want_warn:
            print(f"MISMATCH cac {key} warning: {g['warning']!r} vs {want_warn!r}")
            globals()["failures"] += 1
    print(f"check-ltv-cac: {'ok' if failures == 0 else str(failures) + ' mismatches'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
