#!/usr/bin/python3
"""retain survival against R's survival package (survfit.R: survfit with
log-log intervals, quantile.survfit's median, survdiff's log-rank test) on
random lives and on Gehan's (1965) 6-MP trial.

    check-survival-r.py RETAIN_BINARY [--seeds N] [--rscript PATH] [-v]

Each seed draws lives (1..60 in 1..3 groups, durations 0..400 days with
ties, about a third censored) and writes them as subscription rows that
retain merges into exactly those lives (one row per customer, a start
`t` days before its end, an open row ending after as-of for a censored
one). retain's curves (-p 6), --summary medians and --compare test must
equal R's to the printed precision (curve cells and the chi-square to
1e-6, the p-value to its printed digits); the table's lines must be
R's, line for line. Last line: `N passed, M failed`.
"""

import argparse
import csv
import datetime as dt
import io
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = dt.date(2025, 1, 1)

GEHAN = {"6-MP": [(6, 1), (6, 1), (6, 1), (6, 0), (7, 1), (9, 0), (10, 1), (10, 0), (11, 0),
                  (13, 1), (16, 1), (17, 0), (19, 0), (20, 0), (22, 1), (23, 1), (25, 0),
                  (32, 0), (32, 0), (34, 0), (35, 0)],
         "placebo": [(1, 1), (1, 1), (2, 1), (2, 1), (3, 1), (4, 1), (4, 1), (5, 1), (5, 1),
                     (8, 1), (8, 1), (8, 1), (8, 1), (11, 1), (11, 1), (12, 1), (12, 1),
                     (15, 1), (17, 1), (22, 1), (23, 1)]}


def rows_of(lives):
    """Customer rows whose lives are exactly (group, t days, event)."""
    out = ["id,start,end,group"]
    for i, (g, t, e) in enumerate(lives):
        if e:
            end = AS_OF - dt.timedelta(days=1 + i % 50)
            out.append(f"L{i},{end - dt.timedelta(days=t)},{end},{g}")
        else:
            out.append(f"L{i},{AS_OF - dt.timedelta(days=t)},,{g}")
    return "\n".join(out) + "\n"


def r_all(rscript, cases):
    """R's blocks of every case, one Rscript run: {case: {block: rows}}."""
    text = "case,group,t,event\n" + "".join(
        f"{k},{g},{t},{e}\n" for k, (_, lives) in enumerate(cases) for g, t, e in lives)
    p = subprocess.run([rscript, os.path.join(HERE, "survfit.R")], input=text,
                       capture_output=True, text=True, check=True)
    out, case, name = {}, None, None
    for line in p.stdout.splitlines():
        if line.startswith("## "):
            case = int(line[3:])
            out[case] = {}
        elif line.startswith("# "):
            name = line[2:]
            out[case][name] = []
        else:
            out[case][name].append(line)
    return {k: {n: list(csv.DictReader(io.StringIO("\n".join(v)))) for n, v in b.items()}
            for k, b in out.items()}


def retain(binary, args, table):
    p = subprocess.run([binary, "survival", "--as-of", AS_OF.isoformat(), "--by", "group"]
                       + args + ["-"], input=table, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"retain survival {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return list(csv.DictReader(io.StringIO(p.stdout)))


def near(a, b, tol):
    if a == "" or b == "":
        return a == "" and (b == "" or b == "NA")
    return abs(float(a) - float(b)) <= tol


def check(binary, r, lives, verbose):
    """The differences from R's blocks r, as lines (none: agreed)."""
    table = rows_of(lives)
    bad = []
    got = retain(binary, ["-p", "6"], table)
    want = r["curves"]
    if len(got) != len(want):
        bad.append(f"curves: {len(got)} lines, R {len(want)}")
    for a, b in zip(got, want):
        if a["group"] != b["group"] or float(a["t"]) != float(b["t"]):
            bad.append(f"curve line {a} vs R {b}")
            break
        for k in ("at_risk", "events", "censored"):
            if int(a[k]) != int(float(b[k])):
                bad.append(f"{a['group']} t={a['t']} {k}: {a[k]} vs R {b[k]}")
        s = float(b["survival"])
        for k in ("survival", "ci_low", "ci_high"):
            # R has no interval at S = 1 (upper 1) or S = 0: retain leaves it empty
            rk = b[k] if 0 < s < 1 or k == "survival" else ""
            if not near(a[k], rk, 1.5e-6):
                bad.append(f"{a['group']} t={a['t']} {k}: {a[k]} vs R {b[k]}")
    med = {m["group"]: m["median"] for m in r["medians"]}
    for a in retain(binary, ["--summary", "-p", "6"], table):
        if not near(a["median"], med.get(a["group"], ""), 1.5e-6):
            bad.append(f"{a['group']} median: {a['median']} vs R {med.get(a['group'])}")
    lr = r["logrank"][0] if r.get("logrank") else None
    if lr and int(lr["df"]) == 0:  # one group adds anything: retain leaves the test empty
        for a in retain(binary, ["--compare", "-p", "6"], table):
            if a["chisq"] or a["df"] or a["p_value"]:
                bad.append(f"log-rank of df 0: {a['chisq']},{a['df']},{a['p_value']} (R: none)")
            break
    elif lr:
        for a in retain(binary, ["--compare", "-p", "6"], table):
            if not near(a["chisq"], lr["chisq"], 1.5e-6) or int(a["df"]) != int(lr["df"]):
                bad.append(f"log-rank chisq/df: {a['chisq']},{a['df']} vs R {lr['chisq']},{lr['df']}")
            p, rp = float(a["p_value"]), float(lr["p_value"])
            digits = a["p_value"].split(".")[-1] if "e" not in a["p_value"] else ""
            tol = 0.51 * 10 ** -len(digits) if digits else 0.051 * rp
            if abs(p - rp) > tol + 1e-12:
                bad.append(f"p_value: {a['p_value']} vs R {lr['p_value']}")
            break
    if verbose:
        print(f"  {len(lives)} lives, {len(got)} curve lines")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--seeds", type=int, default=60)
    ap.add_argument("--rscript", default="Rscript")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    cases = [("gehan (weeks as days)", [(g, t, e) for g, ls in GEHAN.items() for t, e in ls])]
    for seed in range(a.seeds):
        rng = random.Random(seed)
        groups = ["a", "b", "c"][:rng.randint(1, 3)]
        scale = rng.choice([5, 30, 400])
        lives = [(rng.choice(groups), rng.randint(0, scale), int(rng.random() < 0.65))
                 for _ in range(rng.randint(1, 60))]
        cases.append((f"seed {seed}", lives))
    passed = failed = 0
    r = r_all(a.rscript, cases)
    for k, (name, lives) in enumerate(cases):
        bad = check(a.binary, r[k], lives, a.v)
        if bad:
            failed += 1
            print(f"{name}: " + "\n  ".join(bad[:10]))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
