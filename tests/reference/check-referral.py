#!/usr/bin/python3
"""Randomized differential test of `retain referral` (the tier table,
--summary, --ambassadors) against referral.py, written from SPEC.md and
retain-referral(1).

    check-referral.py RETAIN_BINARY [--seeds N] [--first-seed K] [--customers N] [-v]

Each seed builds a small CRM: renewals and win-backs, churned referrers,
referrals whose company signed before them (not successful), leads and
empty referred ids, referrals after as-of, referrers unknown to the CRM,
rewards or none; deals won, lost and open, closed after as-of, sources
with no decided or no won deal; NPS answers (two on one day), events or
none, a spend table or none (periods after as-of, unknown amounts); and
random --as-of, --reward-pct, --margin. Counts and exact values
(arpu, spend, rewards, cost, cac, rates, medians, means, MRR) must equal
the reference rounded half away from zero; churn_pct, ltv, ltv_cac and
roi_pct (floating point in retain) within one unit of the last decimal.
Last line: `N passed, M failed`; exit 1 when anything failed.
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
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import referral as R  # noqa: E402
import trc as T  # noqa: E402

BASE = dt.date(2021, 1, 1)
SPAN = (dt.date(2025, 9, 30) - BASE).days


def day(n):
    return BASE + dt.timedelta(days=n)


def money(rng):
    return Fraction(rng.randrange(1000, 300000), 100)


def world(rng, customers=None):
    n = customers or rng.randint(3, 30)
    ids = ["C%02d" % i for i in range(n)]
    crm, line = [], 2
    for cid in ids:
        s = rng.randrange(SPAN - 30)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            length = rng.randint(1, 900)
            e = s + length if rng.random() < 0.5 else None
            m = money(rng) if rng.random() < 0.93 else None
            crm.append((line, cid, day(s), None if e is None else day(e), m, None))
            line += 1
            if e is None:
                break
            s = e if rng.random() < 0.5 else e + rng.randint(1, 200)
            if s >= SPAN:
                break
    if all(r[4] is None for r in crm):
        crm[0] = crm[0][:4] + (Fraction(100), None)
    first = {}
    for r in crm:
        first[r[1]] = min(first.get(r[1], r[2]), r[2])
    refs = []
    for k in range(rng.randint(1, 30)):
        who = rng.choice(ids) if rng.random() < 0.9 else "X%d" % rng.randrange(3)
        if rng.random() < 0.25 and refs:
            who = refs[-1][1]  # one referrer, several referrals
        u = rng.random()
        if u < 0.6:
            target = rng.choice(ids)
            d = first[target] - dt.timedelta(days=rng.randint(-60, 150))
        elif u < 0.8:
            target, d = "L%d" % rng.randrange(100), day(rng.randrange(SPAN))
        else:
            target, d = "", day(rng.randrange(SPAN))
        if d < BASE:
            d = BASE
        reward = Fraction(rng.randrange(100, 30000), 100) if rng.random() < 0.5 else None
        refs.append((k + 2, who, target, d, reward))
    if rng.random() < 0.2:
        refs = [x[:4] + (None,) for x in refs]
    deals = []
    sources = ["Referrals", "Paid Search", "Organic", "Social"]
    for k in range(rng.randint(1, 25)):
        created = day(rng.randrange(SPAN))
        src = rng.choice(sources)
        outcome = rng.choice(["won", "lost", "open"])
        if src == "Social" and outcome == "won":
            outcome = "lost"  # a source with no won deal
        closed = None
        if outcome != "open" or rng.random() < 0.3:
            closed = created + dt.timedelta(days=rng.randint(0, 200))
        if outcome == "won" and rng.random() < 0.1:
            closed = None
        deals.append((k + 2, src, created, outcome, closed))
    answers = []
    for k in range(rng.randint(1, 40)):
        cid = rng.choice(ids)
        d = day(rng.randrange(SPAN))
        if answers and rng.random() < 0.15:
            cid, d = answers[-1][1], answers[-1][2]
        answers.append((k + 2, cid, d, rng.choice([10, 10, 9, 9, 8, 7, 6, 3, 0])))
    events = None
    if rng.random() < 0.6:
        events = [(k + 2, rng.choice(ids), day(rng.randrange(SPAN)))
                  for k in range(rng.randint(1, 60))]
    spend = None
    if rng.random() < 0.6:
        spend = []
        m0 = dt.date(2022 + rng.randrange(3), 1 + rng.randrange(12), 1)
        for k in range(rng.randint(1, 24)):
            p = dt.date(m0.year + (m0.month - 1 + k) // 12, (m0.month - 1 + k) % 12 + 1, 1)
            for ch in ["referral", "paid_search", "events"]:
                if rng.random() < 0.6:
                    amount = money(rng) if rng.random() < 0.97 else None
                    spend.append((p, ch if rng.random() < 0.9 else ch.title(), amount))
        if not spend:
            spend.append((m0, "referral", Fraction(500)))
    return crm, refs, deals, answers, events, spend


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def dec(x):
    return "" if x is None else "%.2f" % x  # inputs have at most 2 decimals


def iso(d):
    return "" if d is None else d.isoformat()


def fmt(x, exact=True):
    if x is None:
        return ""
    return T.round_half_away(Fraction(x), 2)


def close(a, b):
    """b (reference) against a (retain): within one unit of the 2nd decimal."""
    if a == "" or b == "":
        return a == b
    return abs(Fraction(a) - Fraction(b)) <= Fraction(1, 100)


def expected_tables(ref, events_given):
    tiers = [["id", "active", "tenure_days", "nps", "referrals", "successful",
              "successful_24m", "tier", "why", "candidate"]]
    for t in ref["tiers"]:
        tiers.append([t["id"], "yes" if t["active"] else "no",
                      "" if t["tenure"] is None else str(t["tenure"]),
                      "" if t["nps"] is None else str(t["nps"]), str(t["referrals"]),
                      str(t["successful"]), str(t["successful_24m"]), R.TIERS[t["tier"]],
                      t["why"], "yes" if t["candidate"] else ""])
    summary = [["group", "name", "deals", "won", "lost", "open", "close_rate_pct",
                "median_days_to_close", "mean_days_to_close", "customers", "new_customers",
                "arpu", "churn_pct", "ltv", "spend", "rewards", "cost", "cac", "ltv_cac",
                "roi_pct"]]
    for s in ref["sources"]:
        summary.append(["source", s["name"], str(s["deals"]), str(s["won"]), str(s["lost"]),
                        str(s["open"]), fmt(s["close_rate"]), fmt(s["median"]), fmt(s["mean"])]
                       + [""] * 11)
    for g in ref["groups"]:
        summary.append(["customers", g["name"]] + [""] * 7 + [
            str(g["customers"]), str(g["new"]), fmt(g["arpu"]), "~" + fmt(g["churn_pct"]),
            "~" + fmt(g["ltv"]), fmt(g["spend"]), fmt(g["rewards"]), fmt(g["cost"]),
            fmt(g["cac"]), "~" + fmt(g["ltv_cac"]), "~" + fmt(g["roi"])])
    amb = [["referrer", "active", "tier", "referrals", "successful", "successful_24m",
            "conversion_pct", "mrr_brought", "median_days_to_sign"]]
    for a in ref["ambassadors"]:
        amb.append([a["id"], "yes" if a["active"] else "no", R.TIERS[a["tier"]],
                    str(a["referrals"]), str(a["successful"]), str(a["successful_24m"]),
                    fmt(Fraction(100 * a["successful"], a["referrals"])), fmt(a["mrr"]),
                    fmt(a["median"])])
    return tiers, summary, amb


def compare(name, got_text, want):
    got = list(csv.reader(io.StringIO(got_text)))
    problems = []
    if len(got) != len(want):
        problems.append("%s: %d rows, reference %d" % (name, len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        if len(g) != len(w):
            problems.append("%s row %d: %r against %r" % (name, i, g, w))
            continue
        for j, (a, b) in enumerate(zip(g, w)):
            ok = close(a, b[1:]) if b.startswith("~") else a == b
            if not ok:
                problems.append("%s row %d column %s: retain %r, reference %r"
                                % (name, i, want[0][j], a, b))
    return problems


def run_seed(binary, seed, verbose, customers=None):
    rng = random.Random(seed)
    crm, refs, deals, answers, events, spend = world(rng, customers)
    as_of = None
    if rng.random() < 0.5:  # on or after the first start: else nothing to be as of
        lo = (min(r[2] for r in crm) - BASE).days
        as_of = day(rng.randrange(lo, SPAN))
    reward_pct = None
    if rng.random() < 0.3:
        reward_pct = rng.choice([Fraction(15), Fraction(10), Fraction(25, 2), Fraction(0)])
    margin = Fraction(4, 5) if rng.random() < 0.3 else Fraction(1)
    with tempfile.TemporaryDirectory() as tmp:
        p = lambda n: os.path.join(tmp, n)  # noqa: E731
        write(p("crm.csv"), ["customer_id", "signup_date", "churn_date", "mrr"],
              [[r[1], iso(r[2]), iso(r[3]), dec(r[4])] for r in crm])
        write(p("ref.csv"), ["referrer_id", "referred_id", "referral_date", "reward"],
              [[x[1], x[2], iso(x[3]), dec(x[4])] for x in refs])
        write(p("deals.csv"), ["deal_id", "source", "created", "outcome", "closed"],
              [["D%d" % x[0], x[1], iso(x[2]), x[3] if x[3] != "open" or rng.random() < 0.5
                else "", iso(x[4])] for x in deals])
        write(p("survey.csv"), ["customer_id", "date", "score"],
              [[a[1], iso(a[2]), a[3]] for a in answers])
        args = [binary, "referral", "-q", "--referrals", p("ref.csv"), "--deals",
                p("deals.csv"), "--survey", p("survey.csv")]
        if events is not None:
            write(p("events.csv"), ["customer_id", "date"], [[e[1], iso(e[2])] for e in events])
            args += ["--events", p("events.csv")]
        if spend is not None:
            write(p("spend.csv"), ["period", "channel", "spend"],
                  [[s[0].strftime("%Y-%m"), s[1], dec(s[2])] for s in spend])
            args += ["--spend-table", p("spend.csv")]
        if as_of is not None:
            args += ["--as-of", as_of.isoformat()]
        if reward_pct is not None:
            args += ["--reward-pct", str(float(reward_pct))]
        if margin != 1:
            args += ["--margin", "0.8"]
        args.append(p("crm.csv"))
        ref = R.compute(crm, refs, deals, answers, events, spend, as_of, reward_pct, margin)
        want = expected_tables(ref, events is not None)
        problems = []
        for name, extra, table in (("tiers", [], want[0]), ("summary", ["--summary"], want[1]),
                                   ("ambassadors", ["--ambassadors"], want[2])):
            cmd = args[:2] + extra + args[2:]
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode != 0:
                problems.append("%s: exit %d: %s" % (name, out.returncode, out.stderr.strip()))
                continue
            problems += compare(name, out.stdout, table)
        if problems:
            print("seed %d: %s" % (seed, " ".join(args[:2] + args[2:])))
            for line in problems[:20]:
                print("  " + line)
            if verbose:
                for n in ("crm.csv", "ref.csv", "deals.csv", "survey.csv"):
                    print("  --- %s\n%s" % (n, open(p(n)).read()))
        return not problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("retain")
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--customers", type=int, help="this many customers in each CRM (default: "
                    "3 to 30): a large table is walked on two threads")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    passed = failed = 0
    for seed in range(a.first_seed, a.first_seed + a.seeds):
        if run_seed(a.retain, seed, a.v, a.customers):
            passed += 1
        else:
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
