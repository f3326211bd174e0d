#!/usr/bin/python3
"""Randomized differential test of `retain rfm` and `retain repeat` against
orders.py (SPEC's summaries, RFM scores and repeat table, brute force).

    check-orders.py RETAIN_BINARY [--seeds N] [--first-seed K] [-v]

Each seed builds a small order table (1..30 customers, several orders on
one day, orders in date order, amounts with cents, ties in frequency,
recency and monetary value, cohorts across year and ISO-week boundaries),
picks the command and its options (--unit, --as-of, --period, --within,
-p) and compares retain's stdout byte for byte with orders.py's.
Deterministic given the seeds; last line `N passed, M failed`; exit 1 on
any failure.
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "orders.py")


def table(rng):
    start = dt.date(rng.choice([2020, 2023, 2024]), rng.choice([1, 2, 12]), rng.randint(1, 28))
    rows = []
    for c in range(rng.randint(1, 30)):
        cid = f"c{c:02d}" if rng.random() < 0.8 else f"C-{rng.randint(100, 999)}"
        d = start + dt.timedelta(days=rng.randint(0, 120))
        for _ in range(rng.choice([1, 1, 2, 3, 5, 8])):
            for _ in range(rng.choice([1, 1, 1, 2])):  # same-day orders
                amount = rng.choice(["10.00", "9.99", "25.50", "100", "0.01", "33.33"])
                rows.append((d, cid, amount))
            d += dt.timedelta(days=rng.choice([1, 7, 14, 30, 31, 90]))
    rows.sort(key=lambda r: r[0])  # date order, as exports come
    # distinct ids are what they are; a reused random id merges customers, fine
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("retain")
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(a.first_seed, a.first_seed + a.seeds):
            rng = random.Random(seed)
            rows = table(rng)
            path = os.path.join(tmp, "orders.csv")
            with open(path, "w") as f:
                f.write("customer_id,order_date,amount\n")
                for d, c, m in rows:
                    f.write(f"{c},{d.isoformat()},{m}\n")
            opts = []
            cmd = rng.choice(["rfm", "repeat"])
            if rng.random() < 0.5:
                opts += ["--as-of", (rows[0][0] + dt.timedelta(days=rng.randint(0, 200))).isoformat()]
            if rng.random() < 0.3:
                opts += ["--precision", str(rng.randint(0, 4))]
            if cmd == "rfm" and rng.random() < 0.5:
                opts += ["--unit", "week"]
            if cmd == "repeat":
                opts += ["--period", rng.choice(["week", "month", "quarter", "year"])]
                if rng.random() < 0.5:
                    opts += ["--within", str(rng.choice([0, 1, 7, 30, 100]))]
            got = subprocess.run([a.retain, cmd] + opts + [path], capture_output=True, text=True)
            want = subprocess.run([sys.executable, REF, cmd] + opts + [path], capture_output=True,
                                  text=True)
            if got.returncode == 0 and got.stdout == want.stdout:
                passed += 1
                continue
            if got.returncode == 65 and "no order" in got.stderr and want.returncode != 0:
                passed += 1  # as-of before every order: both refuse
                continue
            failed += 1
            print(f"seed {seed}: retain {cmd} {' '.join(opts)}")
            print(open(path).read())
            print("retain:", got.returncode, got.stderr)
            print(got.stdout)
            print("orders.py:", want.returncode, want.stderr)
            print(want.stdout)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
