#!/usr/bin/python3
"""Monthly retention rate (TRC) as in SPEC.md "Retention rate (TRC)", in pandas.

    /usr/bin/python3 trc_pandas.py EXPORT.csv

Reads a comma-separated export with columns customer_id, signup_date,
churn_date (ISO dates, empty churn_date = active) and prints

    period,customers_start,new,reactivated,lost,customers_end,retention_pct,churn_pct

one line per month from the month of the earliest signup to the month of
as-of (= the latest signup_date).  This is an independent re-implementation
used by bench/run.sh to check retain's output; it must stay byte-identical to
trc_duckdb.mjs.

Definitions (SPEC.md): a row serves every day d with start <= d < end; a
customer is active on d when any of its rows serves d.  Rows starting after
as-of are ignored, an end after as-of is treated as empty.  For month m with
first day p0 and last day p1: S = customers active on p0 - 1, E = active on
p1, new / reactivated = customers not in S with a row starting in the month
whose first row ever starts in the month / started earlier; lost = S + N - E;
retention_pct = (E - N) / S * 100 rounded half away from zero to 2 decimals,
churn_pct = 100 - retention_pct; both empty when S = 0.

Method: a customer's rows are merged into disjoint islands of activity.  The
only days that matter are the checkpoints c_k = (first day of month m0+k) - 1,
k = 0..M; an island [s, e) covers c_k exactly when mi(s) + 1 <= k <= mi(e),
mi being the month index relative to m0.  S_m = #islands covering c_m,
E_m = #islands covering c_{m+1}.
"""
import sys

import numpy as np
import pandas as pd


def main(path):
    df = pd.read_csv(
        path,
        usecols=["customer_id", "signup_date", "churn_date"],
        dtype={"customer_id": str, "signup_date": str, "churn_date": str},
    )
    start = pd.to_datetime(df["signup_date"], format="%Y-%m-%d")
    end = pd.to_datetime(df["churn_date"], format="%Y-%m-%d")  # NaT when empty

    s = start.values.astype("datetime64[D]").astype(np.int64)
    e_nat = end.isna().values
    e = end.values.astype("datetime64[D]").astype(np.int64)
    bad = ~e_nat & (e < s)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        sys.exit(f"{path}:{i + 2}: churn_date before signup_date")

    as_of = int(s.max())
    keep = s <= as_of  # rows starting after as-of are ignored (none by default)
    INF = np.int64(1 << 20)  # a day number after any real date
    e = np.where(e_nat | (e > as_of), INF, e)

    code = pd.factorize(df["customer_id"])[0].astype(np.int64)
    s, e, code = s[keep], e[keep], code[keep]

    # absolute month numbers (year*12 + month-1)
    def month_no(days):
        d = days.astype("datetime64[D]")
        y = d.astype("datetime64[Y]").astype(np.int64) + 1970
        m = d.astype("datetime64[M]").astype(np.int64) % 12
        return y * 12 + m

    ms = month_no(s)
    m0 = int(ms.min())
    M = int(month_no(np.array([as_of]))[0]) - m0 + 1  # number of periods
    mi_s = ms - m0

    # ---- merge each customer's rows into disjoint islands
    order = np.lexsort((s, code))
    c_o, s_o, mis_o, e_o = code[order], s[order], mi_s[order], e[order]
    BIG = np.int64(1 << 21)  # > INF: customer code dominates the key
    run = np.maximum.accumulate(c_o * BIG + e_o) - c_o * BIG  # running max end per customer
    first = np.ones(len(c_o), dtype=bool)
    first[1:] = (c_o[1:] != c_o[:-1]) | (s_o[1:] > run[:-1])
    isl = np.cumsum(first) - 1
    last = np.ones(len(c_o), dtype=bool)
    last[:-1] = first[1:]
    isl_code = c_o[first]
    isl_lo = mis_o[first] + 1  # first checkpoint covered
    # island end = running max at its last row; its month index:
    isl_e = run[last]
    isl_hi = np.where(isl_e == INF, M, 0)
    fin = isl_e != INF
    isl_hi[fin] = month_no(isl_e[fin]) - m0
    isl_hi = isl_hi + 1  # exclusive
    assert len(isl_code) == int(isl[-1]) + 1 if len(isl) else True

    # ---- active customers at checkpoints 0..M
    delta = np.zeros(M + 2, dtype=np.int64)
    ok = isl_lo < isl_hi
    np.add.at(delta, isl_lo[ok], 1)
    np.add.at(delta, isl_hi[ok], -1)
    active = np.cumsum(delta)[: M + 1]
    S = active[:M]
    E = active[1 : M + 1]

    # ---- new and reactivated
    K = np.int64(M + 2)
    pairs = np.unique(code * K + mi_s)
    p_code, p_m = pairs // K, pairs % K
    first_m = np.full(int(code.max()) + 1, M, dtype=np.int64)
    np.minimum.at(first_m, code, mi_s)
    isl_key = isl_code * K + isl_lo  # sorted: islands are in (code, start) order
    idx = np.searchsorted(isl_key, pairs, side="right") - 1
    safe = np.maximum(idx, 0)
    in_s = (idx >= 0) & (isl_code[safe] == p_code) & (isl_hi[safe] > p_m)
    fm = first_m[p_code]
    new = np.bincount(p_m[~in_s & (fm == p_m)], minlength=M)[:M]
    react = np.bincount(p_m[~in_s & (fm < p_m)], minlength=M)[:M]

    out = ["period,customers_start,new,reactivated,lost,customers_end,retention_pct,churn_pct"]
    for k in range(M):
        y, mo = divmod(m0 + k, 12)
        sk, ek, nk, rk = int(S[k]), int(E[k]), int(new[k]), int(react[k])
        n = nk + rk
        lost = sk + n - ek
        if sk == 0:
            ret = churn = ""
        else:
            q = half_away((ek - n) * 10000, sk)  # hundredths of a percent
            ret, churn = fmt2(q), fmt2(10000 - q)
        out.append(f"{y:04d}-{mo + 1:02d},{sk},{nk},{rk},{lost},{ek},{ret},{churn}")
    sys.stdout.write("\n".join(out) + "\n")


def half_away(num, den):
    """round(num / den) with halves away from zero, exact integers (den > 0)."""
    q = (abs(num) * 2 + den) // (2 * den)
    return -q if num < 0 else q


def fmt2(h):
    sign = "-" if h < 0 else ""
    h = abs(h)
    return f"{sign}{h // 100}.{h % 100:02d}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: trc_pandas.py EXPORT.csv")
    main(sys.argv[1])
