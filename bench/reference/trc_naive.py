#!/usr/bin/python3
"""Monthly TRC straight from the SPEC.md wording, in plain Python (no pandas).

    /usr/bin/python3 trc_naive.py EXPORT.csv

Slow (customers x months), meant for small files: it is the oracle the two
fast references (trc_pandas.py, trc_duckdb.mjs) were checked against, and
bench/run.sh --quick uses it as a third opinion.  Same input and output as
trc_pandas.py.
"""
import csv
import sys
from collections import defaultdict
from datetime import date, timedelta


def main(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rd = csv.reader(f)
        hdr = rd.__next__()
        ci, si, ei = hdr.index("customer_id"), hdr.index("signup_date"), hdr.index("churn_date")
        rows = [(r[ci], date.fromisoformat(r[si]), date.fromisoformat(r[ei]) if r[ei] else None) for r in rd]
    as_of = max(s for _, s, _ in rows)
    by = defaultdict(list)
    for cid, s, e in rows:
        if s > as_of:
            continue
        if e is not None and e < s:
            sys.exit(f"{path}: {cid}: churn_date before signup_date")
        if e is not None and e > as_of:
            e = None
        by[cid].append((s, e))

    def active(rs, d):
        return any(s <= d and (e is None or d < e) for s, e in rs)

    first = min(s for rs in by.values() for s, _ in rs)
    y, m = first.year, first.month
    out = ["period,customers_start,new,reactivated,lost,customers_end,retention_pct,churn_pct"]
    while (y, m) <= (as_of.year, as_of.month):
        p0 = date(y, m, 1)
        p1 = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
        S = E = new = react = 0
        for rs in by.values():
            ins = active(rs, p0 - timedelta(days=1))
            S += ins
            E += active(rs, p1)
            if not ins and any(p0 <= s <= p1 for s, _ in rs):
                if min(s for s, _ in rs) >= p0:
                    new += 1
                else:
                    react += 1
        n = new + react
        if S == 0:
            ret = churn = ""
        else:
            num = (E - n) * 10000
            q = (abs(num) * 2 + S) // (2 * S)
            q = -q if num < 0 else q
            ret, churn = fmt2(q), fmt2(10000 - q)
        out.append(f"{y:04d}-{m:02d},{S},{new},{react},{S + n - E},{E},{ret},{churn}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    sys.stdout.write("\n".join(out) + "\n")


def fmt2(h):
    return f"{'-' if h < 0 else ''}{abs(h) // 100}.{abs(h) % 100:02d}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: trc_naive.py EXPORT.csv")
    main(sys.argv[1])
