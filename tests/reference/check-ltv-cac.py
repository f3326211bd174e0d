#!/usr/bin/python3
"""Independent check of the LTV and CAC goldens (tests/e2e/cases/ltv-*,
cac-*) on examples/hubspot-export.csv and tests/fixtures/spend.csv.

Written from SPEC.md ("LTV and CAC", "Retention rate (TRC)") without the C
code: parses the export with the csv module and computes per Plan, with
ltvcac.py (shared with check-ltv-cac-random.py), the ARPU of the customers
active on as-of, the mean monthly TRC churn of the 12 last full months, the
observed revenue (MRR x days served / (365.25/12)), the LTV, and the new
customers per month for CAC; then compares with the numbers in the golden
files, to the printed precision.

    check-ltv-cac.py [REPO_ROOT]      exit 0 when every number agrees
"""

import csv
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ltvcac import day, money, month_label, new_customers  # noqa: E402
import ltvcac as L  # noqa: E402

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
CASES = os.path.join(ROOT, "tests", "e2e", "cases")
failures = 0


def load():
    """ltvcac.py rows: (line, id, start, end, mrr, Plan)."""
    rows = []
    with open(os.path.join(ROOT, "examples", "hubspot-export.csv"), newline="", encoding="utf-8-sig") as f:
        for i, r in enumerate(csv.DictReader(f), 2):
            rows.append((i, r["Record ID"], day(r["Became a Customer Date"]),
                         day(r["Churn Date"]), money(r["MRR"]), r["Plan"]))
    return rows


def per_plan(rows, as_of, window=12, **kw):
    out = {}
    for plan, v in L.ltv_table(rows, as_of, by=True, window=window, **kw):
        out[plan] = dict(customers=v["customers"], arpu=v["arpu"], churn=v["churn_pct"] / 100,
                         months=v["churn_months"], seen=v["customers_seen"],
                         observed=v["observed_revenue"])
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

    # --from/--to: the churn of the months 2024-07 .. 2025-03 only
    # and --to with --window 3: the three months up to 2025-03
    for case, kw in (("ltv-from-to", dict(from_p=day("2024-07-01"), to_p=day("2025-03-01"))),
                     ("ltv-to-window", dict(window=3, to_p=day("2025-03-01")))):
        ranged = per_plan(rows, as_of, **kw)
        for g in golden(case):
            p = ranged[g["Plan"]]
            close(f"{case} {g['Plan']} churn_pct", g["churn_pct"],
                  None if p["churn"] is None else 100 * p["churn"])
            close(f"{case} {g['Plan']} churn_months", g["churn_months"], p["months"], 0)
            close(f"{case} {g['Plan']} arpu", g["arpu"], p["arpu"])
            close(f"{case} {g['Plan']} ltv", g["ltv"],
                  p["arpu"] * 0.8 / p["churn"] if p["churn"] else None)

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
    new = {(month_label(p), plan): n for (p, plan), n in new_customers(rows, as_of, True).items()}
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
        close(f"cac {key} payback", g["payback_months"], pay)
        want_warn = "LTV:CAC below 3" if cac and lt and lt / cac < 3 else ""
        if g["warning"] != want_warn:
            print(f"MISMATCH cac {key} warning: {g['warning']!r} vs {want_warn!r}")
            globals()["failures"] += 1
    print(f"check-ltv-cac: {'ok' if failures == 0 else str(failures) + ' mismatches'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
