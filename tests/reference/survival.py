#!/usr/bin/python3
"""Reference implementation of SPEC.md's survival (`retain survival`).

Independent of the C code: written from SPEC.md ("Survival", "Days,
activity, as-of") and the textbook formulas, brute force over a list of
lives, standard library only.

    survival.py [--as-of YYYY-MM-DD] [--by COL] [--unit day|week|month]
                [--conf LEVEL] [--summary [--horizon T] | --compare]
                [--precision N] [FILE|-]
    survival.py --lives FILE ...   # FILE has group,t,event (durations in
                                   # days; group ignored without --by group)

Input: a canonical CSV with `id`, `start`, `end` (ISO dates, empty end =
active) and the --by column. Output: the table `retain survival` prints.

Formulas (what R's survival::survfit, survdiff and survRM2 compute):
  * One observation per life (SPEC "Lives": a customer's rows merged over
    overlaps, back-to-back rows and gaps of at most --merge-gap days, a
    life's segment from the row of largest MRR serving its first day; see
    lives.py): t = (end if end <= as-of else as-of) - start, event = end
    <= as-of.
  * S(t) = prod over event times u <= t of (1 - d_u / n_u); n_u counts the
    lives with t >= u (events before censorings at equal t).
  * Greenwood: v(t) = sum d_u / (n_u (n_u - d_u)); log-log interval
    S^exp(+-z sqrt(v) / log S), z = NormalDist().inv_cdf((1 + conf) / 2);
    empty when S is 0 or 1.
  * Median: first event time with S <= 1/2; when S == 1/2 (exactly, in
    fractions here) the middle between that time and the next event time
    (or the last observed time).
  * RMST to tau: the integral of S over [0, tau], computed on Fractions;
    SE^2 = sum over event times u <= tau of A(u)^2 d_u / (n_u (n_u - d_u)),
    A(u) = integral of S over [u, tau] (terms with n_u = d_u left out).
  * Log-rank: O - E and V summed over pooled event times; chi2 = x' V^-1 x
    on all groups with E > 0 but the first; p from the closed forms of the
    chi-square tail for integer df (not the incomplete gamma function).
"""

import argparse
import csv
import datetime as dt
import math
import os
import sys
from fractions import Fraction
from statistics import NormalDist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lives as lv  # noqa: E402  (SPEC's lives)


def read_rows(f, by, as_of, gap=0):
    """The lives of the table (SPEC "Lives", lives.py) as (group, t, event)."""
    rows = []
    for r in csv.DictReader(f):
        s = dt.date.fromisoformat(r["start"])
        e = dt.date.fromisoformat(r["end"]) if r.get("end") else None
        m = r.get("mrr") or "0"
        rows.append({"id": r["id"], "start": s, "end": e, "mrr": Fraction(m),
                     "seg": r[by] if by else ""})
    if as_of is None:
        as_of = max(r["start"] for r in rows)
    out = []
    for life in lv.lives(rows, as_of, gap):
        if life["end"] is not None:
            out.append((life["seg"], (life["end"] - life["start"]).days, True))
        else:
            out.append((life["seg"], (as_of - life["start"]).days, False))
    return out


def read_lives(f, by):
    out = []
    for r in csv.DictReader(f):
        out.append((r["group"] if by else "", int(r["t"]), r["event"] == "1"))
    return out


def curve(lives):
    """[(t, n, d, c, S as Fraction, greenwood as Fraction or None)]."""
    times = sorted({t for t, _ in lives})
    s, v, out = Fraction(1), Fraction(0), []
    for u in times:
        n = sum(1 for t, _ in lives if t >= u)
        d = sum(1 for t, ev in lives if t == u and ev)
        c = sum(1 for t, ev in lives if t == u and not ev)
        if d:
            s *= Fraction(n - d, n)
            v = v + Fraction(d, n * (n - d)) if n > d and v is not None else None
        out.append((u, n, d, c, s, v))
    return out


def fmt(x, decimals):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return ""
    if isinstance(x, Fraction):  # exact: half away from zero, as retain rounds
        q = abs(x) * 10 ** decimals
        n = (q.numerator * 2 + q.denominator) // (2 * q.denominator)
        r = ("-" if x < 0 else "") + str(n // 10 ** decimals)
        if decimals:
            r += "." + str(n % 10 ** decimals).rjust(decimals, "0")
        if r.startswith("-") and set(r[1:]) <= set("0."):
            r = r[1:]
        return r
    r = f"{float(x):.{decimals}f}"
    if r.startswith("-") and set(r[1:]) <= set("0."):
        r = r[1:]
    return r


def ci(s, v, conf):
    if s == 0 or s == 1 or v is None:
        return None, None
    z = NormalDist().inv_cdf((1 + conf) / 2)
    ls = math.log(float(s))
    w = z * math.sqrt(float(v)) / abs(ls)
    return (math.exp(-math.exp(math.log(-ls) + w)),
            math.exp(-math.exp(math.log(-ls) - w)))


def median(cv):
    ev = [(u, s) for u, n, d, c, s, v in cv if d]
    for i, (u, s) in enumerate(ev):
        if s < Fraction(1, 2):
            return Fraction(u)
        if s == Fraction(1, 2):
            end = ev[i + 1][0] if i + 1 < len(ev) else cv[-1][0]
            return Fraction(u + end, 2)
    return None


def rmst(cv, tau):
    if cv[-1][0] < tau and cv[-1][4] > 0:
        return None, None

    def area(a, b):  # integral of S over [a, b]
        total, prev_t, prev_s = Fraction(0), Fraction(0), Fraction(1)
        knots = [(Fraction(u), s) for u, n, d, c, s, v in cv] + [(Fraction(tau), None)]
        for u, s in knots:
            lo, hi = max(prev_t, a), min(u, b)
            if hi > lo:
                total += (hi - lo) * prev_s
            prev_t = u
            if s is not None:
                prev_s = s
        return total

    var = Fraction(0)
    for u, n, d, c, s, v in cv:
        if d and u <= tau and n > d:
            var += area(Fraction(u), tau) ** 2 * Fraction(d, n * (n - d))
    return area(Fraction(0), tau), math.sqrt(var)


def chisq_upper(x, df):
    """P(X > x), closed forms for integer df."""
    h = x / 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for k in range(1, df // 2):
            term *= h / k
            total += term
        return math.exp(-h) * total
    p = math.erfc(math.sqrt(h))
    term = math.sqrt(h) * math.exp(-h) / math.gamma(1.5)
    for k in range(1, (df + 1) // 2):
        p += term
        term *= h / (k + 0.5)
    return p


def solve(a, b):
    """Gaussian elimination with partial pivoting on Fractions."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for i in range(n):
        p = max(range(i, n), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        if m[i][i] == 0:
            return None
        for r in range(i + 1, n):
            f = m[r][i] / m[i][i]
            for k in range(i, n + 1):
                m[r][k] -= f * m[i][k]
    x = [Fraction(0)] * n
    for i in reversed(range(n)):
        x[i] = (m[i][n] - sum(m[i][k] * x[k] for k in range(i + 1, n))) / m[i][i]
    return x


def logrank(groups, lives):
    o = {g: Fraction(0) for g in groups}
    e = {g: Fraction(0) for g in groups}
    var = {(g, h): Fraction(0) for g in groups for h in groups}
    for u in sorted({t for _, t, ev in lives if ev}):
        n = {g: sum(1 for gg, t, _ in lives if gg == g and t >= u) for g in groups}
        d = {g: sum(1 for gg, t, ev in lives if gg == g and t == u and ev) for g in groups}
        nt, dt_ = sum(n.values()), sum(d.values())
        for g in groups:
            o[g] += d[g]
            e[g] += Fraction(n[g] * dt_, nt)
            if nt > 1:
                for h in groups:
                    var[g, h] += (Fraction(dt_ * (nt - dt_), nt - 1) * Fraction(n[g], nt)
                                  * ((g == h) - Fraction(n[h], nt)))
    keep = [g for g in groups if e[g] > 0][1:]
    if not keep:
        return o, e, None
    x = [o[g] - e[g] for g in keep]
    sol = solve([[var[g, h] for h in keep] for g in keep], x)
    if sol is None:
        return o, e, None
    chi = float(sum(a * b for a, b in zip(x, sol)))
    return o, e, (chi, len(keep), chisq_upper(chi, len(keep)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--as-of")
    ap.add_argument("--by")
    ap.add_argument("--unit", default="day", choices=["day", "week", "month"])
    ap.add_argument("--conf", type=float, default=0.95)
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--horizon", type=float)
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--precision", "-p", type=int, default=2)
    ap.add_argument("--lives", action="store_true")
    ap.add_argument("--merge-gap", type=int, default=0)
    ap.add_argument("file", nargs="?", default="-")
    a = ap.parse_args()
    f = sys.stdin if a.file == "-" else open(a.file, newline="", encoding="utf-8-sig")
    if a.lives:
        lives = read_lives(f, a.by)
    else:
        as_of = dt.date.fromisoformat(a.as_of) if a.as_of else None
        lives = read_rows(f, a.by, as_of, a.merge_gap)
    unit = {"day": 1, "week": 7, "month": Fraction(36525, 1200)}[a.unit]
    pd = max(4, a.precision)
    groups = sorted({g for g, _, _ in lives}, key=lambda g: g.encode())
    curves = {g: curve([(t, ev) for gg, t, ev in lives if gg == g]) for g in groups}
    lead = [a.by] if a.by else []
    out = csv.writer(sys.stdout, lineterminator="\n")

    def tfmt(t):
        return str(t) if unit == 1 else fmt(Fraction(t) / unit, pd)

    if a.summary:
        out.writerow(lead + ["lives", "events", "censored", "median", "horizon", "rmst",
                             "rmst_se"])
        tau = (Fraction(a.horizon) * unit if a.horizon is not None
               else min(cv[-1][0] for cv in curves.values()))
        for g in groups:
            cv = curves[g]
            ev = sum(x[2] for x in cv)
            ce = sum(x[3] for x in cv)
            m = median(cv)
            r, se = rmst(cv, tau)
            out.writerow(([g] if a.by else []) + [
                ev + ce, ev, ce, fmt(m / unit if m is not None else None, a.precision),
                fmt(Fraction(tau) / unit, a.precision),
                fmt(r / unit if r is not None else None, a.precision),
                fmt(se / float(unit) if se is not None else None, a.precision)])
    elif a.compare:
        out.writerow(lead + ["lives", "events", "expected", "chisq", "df", "p_value"])
        o, e, test = logrank(groups, lives)
        for g in groups:
            row = [g, sum(1 for gg, _, _ in lives if gg == g), int(o[g]),
                   fmt(e[g], a.precision)]
            if test:
                chi, df, p = test
                d = pd
                if 0 < p < 1:
                    d = max(d, min(9, -math.floor(math.log10(p)) + 1))
                # below 1e-9: two significant digits in exponent form, never 0
                # (retain-survival(1), p_value)
                row += [fmt(chi, a.precision), df, "%.1e" % p if 0 < p < 1e-9 else fmt(p, d)]
            else:
                row += ["", "", ""]
            out.writerow(row)
    else:
        out.writerow(lead + ["t", "at_risk", "events", "censored", "survival", "ci_low",
                             "ci_high"])
        for g in groups:
            for u, n, d, c, s, v in curves[g]:
                lo, hi = ci(s, v, a.conf)
                out.writerow(([g] if a.by else []) + [
                    tfmt(u), n, d, c, fmt(s, pd), fmt(lo, pd), fmt(hi, pd)])


if __name__ == "__main__":
    main()
