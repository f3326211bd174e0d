#!/usr/bin/python3
"""Randomized differential test of `retain ltv` (customer tables) and
`retain cac` (spend tables) against ltvcac.py (which reuses trc.py and
survival.py), written from SPEC.md and the man pages retain-ltv(1) and
retain-cac(1).

    check-ltv-cac-random.py RETAIN_BINARY [--seeds N] [--first-seed K]
                            [--seed K] [--no-shrink] [--loose-ties] [-v]

Each seed builds a small customer table (win-backs, overlapping and
zero-length rows, ends after as-of, empty MRR, MRR with cents or as
"$1,234.50", two plans and two channels, sometimes changed on a win-back) and a spend table (periods
before the data or after as-of, channels without customers or without
spend, labels such as 2024-3 or a date, amounts as "1,000.50", repeated
rows to sum), then runs

  retain ltv [--by plan] [--as-of D] [--window N] [--margin M]
             [--discount PCT] [--method survival --horizon H] [-p P]
  retain cac --spend-table S [--by plan] [--as-of D] [--from P] [--to P] [-p P]
             (spend with or without a channel column)

and compares every cell: counts exactly, amounts and rates to the printed
precision, rounded half away from zero from the exact value (both roundings
are accepted only when the exact value is within 1e-9 of a tie without
being one: an exact tie such as 7.625 must print 7.63). Every
mismatch is printed with the seed, the command, the cell, both values, the
rule of the man page that decides, and a minimised input (rows dropped one
at a time while the same cell still disagrees). Last line:
`N passed, M failed`; exit 1 when anything failed.
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
import ltvcac as L  # noqa: E402

RULES = {
    "customers": "retain-ltv(1): customers active on as-of (end after as-of treated as empty)",
    "arpu": "retain-ltv(1): mean over active customers of the MRR summed over their rows "
            "active on as-of (empty MRR adds nothing); half away from zero (retain(1))",
    "margin": "--margin as given, to the precision",
    "churn_pct": "retain-ltv(1): mean of the exact monthly TRC churn_pct over the --window last "
                 "months ending on or before as-of, months with S = 0 left out",
    "churn_months": "retain-ltv(1): months averaged",
    "discount_pct": "--discount as given",
    "horizon_months": "--horizon",
    "ltv": "SPEC: ARPU x m x (1 + d) / (d + c) (empty when d + c = 0); survival: "
           "ARPU x m x sum_{k<H} S(k x 365.25/12 days) / (1 + d)^k",
    "customers_seen": "retain-ltv(1): customers with a row starting on or before as-of",
    "observed_revenue": "retain-ltv(1): mean over customers seen of sum MRR x days served "
                        "(as-of included) / (365.25/12)",
    "spend": "retain-cac(1): rows of the same period and channel summed; empty = unknown",
    "new": "retain-cac(1): customers whose first row starts in the period; empty outside "
           "the customer table's periods or for a channel without customers",
    "cac": "SPEC: spend / new, empty when new is 0 or the spend unknown",
}


# --------------------------------------------------------------------------
# Random inputs
# --------------------------------------------------------------------------

def customers(rng):
    base = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
    span = rng.choice([40, 120, 400, 700])
    rows = []
    for i in range(rng.randint(1, 25)):
        plan = rng.choice(["Basic", "Pro", "Pro"])
        chan = rng.choice(["ads", "seo", "seo"])
        s = base + dt.timedelta(days=rng.randrange(span))
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            k = rng.random()
            if k < 0.35:
                e = ""
            elif k < 0.42:
                e = s.isoformat()
            else:
                e = (s + dt.timedelta(days=rng.choice(
                    [1, 30, 31, 61, rng.randrange(1, 500)]))).isoformat()
            mrr = rng.choice(["", "10", "99.99", "250.5", "12.125", "0",
                              '"$1,234.50"', "49"])
            rows.append(f"C{i},{s},{e},{mrr},{plan},{chan}")
            if rng.random() < 0.15:   # won back on another plan or channel
                plan, chan = rng.choice(["Basic", "Pro"]), rng.choice(["ads", "seo"])
            # a win-back later, or an overlapping row
            s = s + dt.timedelta(days=rng.randrange(-40, 250))
    rng.shuffle(rows)
    return ["id,start,end,mrr,plan,channel"] + rows


def spend(rng, lo, hi, with_channel, chan_col):
    """Spend rows over [lo - 2 months, hi + 2 months]."""
    first = L.add_months(L.month_of(lo), -2)
    n = (hi.year - first.year) * 12 + hi.month - first.month + 3
    lines = ["period,spend," + chan_col if with_channel else "period,spend"]
    used = {}
    for _ in range(rng.randint(0, 10)):
        p = L.add_months(first, rng.randrange(n))
        style = rng.random()
        if style < 0.15:
            label = "%d-%d" % (p.year, p.month)
        elif style < 0.25:
            label = (p + dt.timedelta(days=rng.randrange(28))).isoformat()
        else:
            label = L.month_label(p)
        ch = rng.choice(["Basic", "Pro", "Partners"]) if chan_col == "plan" \
            else rng.choice(["ads", "seo", "tv"])
        key = (p, ch if with_channel else None)
        amount = rng.choice(["", "0", "100", "1200", '"1,000.50"', "333.33", "7.5"])
        # an empty amount and a number for the same key: left out (SPEC is silent)
        if key in used and (amount == "") != (used[key] == ""):
            continue
        used[key] = amount
        lines.append(f"{label},{amount},{ch}" if with_channel else f"{label},{amount}")
    return lines


def parse_customers(lines):
    out = []
    for i, f in enumerate(csv.reader(io.StringIO("\n".join(lines[1:]))), 2):
        out.append((i, f[0], L.day(f[1]), L.day(f[2]), L.money(f[3]), f[4] if len(f) > 4 else None,
                    f[5] if len(f) > 5 else None))
    return out


def ltv_options(rng, starts):
    o = {}
    if rng.random() < 0.4:
        o["by"] = True
    if rng.random() < 0.35:
        o["as_of"] = rng.choice(starts) + dt.timedelta(days=rng.choice([0, 1, 15, 45, 100]))
    if rng.random() < 0.5:
        o["window"] = rng.choice([1, 2, 3, 6, 13])
    lo, hi = min(starts), max(starts)
    if "window" not in o and rng.random() < 0.25:  # --from replaces --window
        d = lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))
        o["from"] = rng.choice([L.month_label(d), d.isoformat()])
    if rng.random() < 0.25:
        d = hi - dt.timedelta(days=rng.randrange(0, 120))
        o["to"] = rng.choice([L.month_label(d), d.isoformat()])
    if rng.random() < 0.5:
        o["margin"] = rng.choice(["0.8", "0.35", "1", "0", "0.125"])
    if rng.random() < 0.35:
        o["discount"] = rng.choice(["0", "1", "2.5", "10"])
    if rng.random() < 0.35:
        o["horizon"] = rng.choice([1, 2, 5, 12, 36])
    if rng.random() < 0.25:
        o["p"] = rng.choice([0, 1, 3, 4])
    return o


def cac_options(rng, starts):
    o = {"mode": rng.choice(["total", "by-plan", "by-plan-channel-col", "channel"])}
    if rng.random() < 0.3:
        o["as_of"] = rng.choice(starts) + dt.timedelta(days=rng.choice([0, 20, 60]))
    if rng.random() < 0.3:
        lo, hi = min(starts), max(starts)
        d = lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))
        o["from"] = rng.choice([L.month_label(d), d.isoformat()])
    if rng.random() < 0.3:
        d = max(starts) - dt.timedelta(days=rng.randrange(0, 90))
        o["to"] = rng.choice([L.month_label(d), d.isoformat()])
    if rng.random() < 0.2:
        o["p"] = rng.choice([0, 3])
    return o


# --------------------------------------------------------------------------
# Commands and references
# --------------------------------------------------------------------------

def ltv_argv(o):
    a = ["ltv"]
    if o.get("by"):
        a += ["--by", "plan"]
    if "as_of" in o:
        a += ["--as-of", o["as_of"].isoformat()]
    if "window" in o:
        a += ["--window", str(o["window"])]
    for k in ("from", "to"):
        if k in o:
            a += ["--" + k, o[k]]
    if "margin" in o:
        a += ["--margin", o["margin"]]
    if "discount" in o:
        a += ["--discount", o["discount"]]
    if "horizon" in o:
        a += ["--method", "survival", "--horizon", str(o["horizon"])]
    if "p" in o:
        a += ["-p", str(o["p"])]
    return a


def ltv_reference(crow, o):
    rows = [(ln, cid, s, e, m, plan) for ln, cid, s, e, m, plan, ch in crow]
    fp = L.month_from_text(o["from"]) if "from" in o else None
    tp = L.month_from_text(o["to"]) if "to" in o else None
    if fp or tp:  # retain-ltv(1): a range that leaves no month of the data's: 64
        as_of = o.get("as_of") or max(r[2] for r in rows)
        lo = max([L.month_of(min(r[2] for r in rows if r[2] <= as_of))] + ([fp] if fp else []))
        hi = min([L.month_of(as_of)] + ([tp] if tp else []))
        if lo > hi:
            return None, 64
    table = L.ltv_table(rows, o.get("as_of"), o.get("by", False),
                        window=o.get("window", 12), from_p=fp, to_p=tp,
                        margin=Fraction(o.get("margin", "1")),
                        discount=Fraction(o.get("discount", "0")) / 100,
                        horizon=o.get("horizon"))
    cols = L.LTV_SURVIVAL_COLUMNS if "horizon" in o else L.LTV_COLUMNS
    header = (["plan"] if o.get("by") else []) + cols
    out = []
    for seg, v in table:
        row = {"plan": seg} if o.get("by") else {}
        row.update({c: v[c] for c in cols})
        out.append(row)
    return header, out


def cac_argv(o, spath):
    a = ["cac", "--spend-table", spath]
    if o["mode"].startswith("by-plan"):
        a += ["--by", "plan"]
    if "as_of" in o:
        a += ["--as-of", o["as_of"].isoformat()]
    if "from" in o:
        a += ["--from", o["from"]]
    if "to" in o:
        a += ["--to", o["to"]]
    if "p" in o:
        a += ["-p", str(o["p"])]
    return a


def cac_reference(crow, slines, o):
    mode = o["mode"]
    col = {"total": None, "by-plan": "plan", "by-plan-channel-col": "plan",
           "channel": "channel"}[mode]
    rows = [(ln, cid, s, e, m, (plan if col == "plan" else ch))
            for ln, cid, s, e, m, plan, ch in crow]
    srows = []
    for f in list(csv.reader(io.StringIO("\n".join(slines[1:])))):
        srows.append((L.month_from_text(f[0]), f[2] if len(f) > 2 else None, L.money(f[1])))
    fp = L.month_from_text(o["from"]) if "from" in o else None
    tp = L.month_from_text(o["to"]) if "to" in o else None
    # retain(1): an empty or future report range is a usage error (64); the
    # range is the months from the first start to as-of, narrowed by --from/--to
    as_of = o.get("as_of") or max(r[2] for r in rows)
    lo = max([L.month_of(min(r[2] for r in rows if r[2] <= as_of))] + ([fp] if fp else []))
    hi = min([L.month_of(as_of)] + ([tp] if tp else []))
    if lo > hi:
        return None, 64
    table = L.cac_table(rows, srows, o.get("as_of"), col is not None, fp, tp)
    header = ["period"] + ([col] if col else []) + ["spend", "new", "cac"]
    out = []
    for p, ch, s, n, c in table:
        r = {"period": L.month_label(p), "spend": s, "new": n, "cac": c}
        if col:
            r[col] = ch
        out.append(r)
    return header, out


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------

EXACT_TIES = True     # --loose-ties sets it False


def near_tie(x, p):
    y = abs(Fraction(x)) * 10 ** p
    frac = y - (y.numerator // y.denominator)
    # an exact tie must round away from zero (retain(1): 0.125 -> 0.13)
    lowest = 0 if EXACT_TIES else -1
    return lowest < abs(frac - Fraction(1, 2)) <= Fraction(1, 10 ** 9) * max(1, y)


def cell_ok(col, got, want, p):
    if want is None:
        return got == ""
    if isinstance(want, str):
        return got == want
    if col in L.COUNTS:
        return got == str(want)
    exact = L.round_half_away(want, p)
    if got == exact:
        return True
    if near_tie(want, p):
        y = Fraction(want) * 10 ** p
        down = y.numerator // y.denominator
        alt = L.round_half_away(Fraction(down, 10 ** p), p)
        return got == alt
    return False


def verdict(col, got, want_text):
    """Which side SPEC / the man pages support, for the report."""
    if col == "exit":
        return "reference: retain(1) exit statuses"
    if "(exact" in want_text:
        exact = want_text.split("(exact ")[1].rstrip(")")
        printed = want_text.split(" ")[0]
        if got and got != printed and abs(float(got) - float(exact)) <= 0.5 * 10 ** -(
                len(printed.split(".")[1]) if "." in printed else 0) + 1e-12:
            return ("reference: a decimal tie rounds half away from zero (retain(1), "
                    "'as SQL's ROUND on a numeric'); retain rounds the binary double")
    if col == "ltv" and got == "":
        return ("reference: SPEC's formula is defined (only a 0 denominator gives an empty "
                "cell); retain leaves it empty, e.g. for a mean churn above 100 %")
    return "reference, per the rule above (check the minimal input by hand)"


def show(col, want, p):
    if want is None:
        return "(empty)"
    if isinstance(want, str) or col in L.COUNTS:
        return str(want)
    return "%s (exact %.9g)" % (L.round_half_away(want, p), float(want))


def compare(stdout, header, rows, p):
    """[(key, column, got, want-text)]; key None for a table-level problem."""
    got = list(csv.reader(io.StringIO(stdout)))
    if not got or got[0] != header:
        return [(None, "header", ",".join(got[0]) if got else "(no output)", ",".join(header))]
    body = got[1:]
    keycols = [c for c in header if c in ("plan", "channel", "period")]
    out = []
    if len(body) != len(rows):
        gk = [tuple(r[:len(keycols)]) for r in body]
        wk = [tuple("" if w[c] is None else w[c] for c in keycols) for w in rows]
        out.append((None, "rows", str(gk), str(wk)))
        return out
    for g, w in zip(body, rows):
        key = "/".join("" if w[c] is None else w[c] for c in keycols)
        for i, c in enumerate(header):
            if not cell_ok(c, g[i], w[c], p):
                out.append((key, c, g[i], show(c, w[c], p)))
    return out


class Case:
    def __init__(self, binary, tmp, cmd, clines, slines, o):
        self.binary, self.tmp, self.cmd = binary, tmp, cmd
        self.clines, self.slines, self.o = clines, slines, o

    def run(self, clines=None, slines=None):
        clines = self.clines if clines is None else clines
        slines = self.slines if slines is None else slines
        cpath = os.path.join(self.tmp, "customers.csv")
        spath = os.path.join(self.tmp, "spend.csv")
        with open(cpath, "w") as f:
            f.write("\n".join(clines) + "\n")
        crow = parse_customers(clines)
        if self.cmd == "ltv":
            argv = ltv_argv(self.o)
            header, rows = ltv_reference(crow, self.o)
        else:
            with open(spath, "w") as f:
                f.write("\n".join(slines) + "\n")
            argv = cac_argv(self.o, spath)
            header, rows = cac_reference(crow, slines, self.o)
        r = subprocess.run([self.binary] + argv + [cpath], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, env={"LC_ALL": "C"})
        if header is None:
            if r.returncode == rows:
                return argv, r, []
            return argv, r, [(None, "exit", "%d: %s" % (r.returncode, r.stderr.strip()),
                              "%d (empty or future report range, retain(1))" % rows)]
        if r.returncode != 0:
            return argv, r, [(None, "exit", "%d: %s" % (r.returncode, r.stderr.strip()), "0")]
        return argv, r, compare(r.stdout, header, rows, self.o.get("p", 2))

    def valid(self, clines):
        # as-of before every start is a usage error: not a test
        starts = [L.day(line.split(",")[1]) for line in clines[1:]]
        return bool(starts) and ("as_of" not in self.o or min(starts) <= self.o["as_of"])

    def shrink(self, target):
        """Drop rows while the same (column) mismatch remains."""
        c, s = list(self.clines), list(self.slines)

        def same(cl, sl):
            if not self.valid(cl):
                return False
            return any(m[1] == target for m in self.run(cl, sl)[2])

        changed = True
        while changed:
            changed = False
            for i in range(len(c) - 1, 0, -1):
                if same(c[:i] + c[i + 1:], s):
                    c = c[:i] + c[i + 1:]
                    changed = True
            for i in range(len(s) - 1, 0, -1):
                if same(c, s[:i] + s[i + 1:]):
                    s = s[:i] + s[i + 1:]
                    changed = True
        return c, s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("retain")
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--loose-ties", action="store_true",
                    help="accept either rounding of an exact decimal tie (7.625 -> 7.62)")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    global EXACT_TIES
    EXACT_TIES = not a.loose_ties
    seeds = [a.seed] if a.seed is not None else range(a.first_seed, a.first_seed + a.seeds)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            rng = random.Random(seed)
            clines = customers(rng)
            starts = sorted(L.day(x.split(",")[1]) for x in clines[1:])
            lo, hi = starts[0], starts[-1]
            lo_ltv = ltv_options(rng, starts)
            co = cac_options(rng, starts)
            with_ch = co["mode"] != "total"
            # channel values follow the customer column they are matched with
            slines = spend(rng, lo, hi, with_ch, "plan" if co["mode"].startswith("by-plan")
                           else "channel")
            if co["mode"] == "by-plan-channel-col":
                slines[0] = "period,spend,channel"
            for cmd, o in (("ltv", lo_ltv), ("cac", co)):
                case = Case(a.retain, tmp, cmd, clines, slines, o)
                argv, r, bad = case.run()
                if not bad:
                    passed += 1
                    if a.v:
                        print(f"seed {seed}: ok retain {' '.join(argv)}")
                    continue
                failed += 1
                print(f"=== seed {seed}: retain {' '.join(argv)} customers.csv")
                for key, col, got, want in bad[:8]:
                    print(f"  {key or '-'} {col}: retain {got!r}, reference {want}")
                    if col in RULES:
                        print(f"      rule: {RULES[col]}")
                    print(f"      right: {verdict(col, got, want)}")
                if len(bad) > 8:
                    print(f"  ... {len(bad) - 8} more")
                if not a.no_shrink:
                    c, s = case.shrink(bad[0][1])
                    argv2, r2, bad2 = case.run(c, s)
                    print("  minimal input, customers.csv:")
                    print("    " + "\n    ".join(c))
                    if cmd == "cac":
                        print("  spend.csv:")
                        print("    " + "\n    ".join(s))
                    print("  retain output:")
                    print("    " + "\n    ".join(r2.stdout.splitlines()))
                    for key, col, got, want in bad2[:4]:
                        print(f"    -> {key or '-'} {col}: retain {got!r}, reference {want}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
