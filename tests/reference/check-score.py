#!/usr/bin/env python3
"""Differential check of `retain score` on simulated customers.

An independent reference written from SPEC ("Churn probability") and
retain-score(1), never calling retain's logic: it reads the feature table
retain prints (--features), standardises the training rows itself, fits
the same L2-regularised, class-weighted logistic regression by Newton's
method (and an unpenalised one, to measure what the regularisation does),
and computes the held-out AUC (mid-ranks), Brier score and top-decile lift
itself. Then:

- on data whose churn follows silence and usage (score_sim "signal"):
  retain's coefficients equal the reference's within the solver's
  tolerance, and stay within the regularisation's effect of the
  unpenalised fit; silence raises the risk, usage lowers it; the held-out
  AUC is clearly above 0.5 and the report calls the score informative;
- on random churn: AUC near 0.5, and stderr says the score is not
  informative;
- with a ticket logged on every churn day (a perfect predictor if the
  future leaked into the features): no churner has a ticket in its
  features, the tickets coefficient is 0 and the held-out AUC stays near
  0.5.

check-score.py RETAIN [--keep DIR]
"""
import csv
import io
import math
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score_sim  # noqa: E402

BIAS = 10.0
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(retain, args):
    p = subprocess.run([retain, "score"] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def report(text):
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[(row["section"], row["name"])] = row["value"]
    return out


def solve(a, b):
    """Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        piv = m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / piv
            if f:
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def fit(z, y, weight, c):
    """Minimises 1/2 |w|^2 + c sum_i c_i log(1 + exp(-s_i w.z_i)), z with
    the bias column last; c None: no penalty (a tiny ridge for safety)."""
    k = len(z[0])
    w = [0.0] * k
    for _ in range(50):
        g = [0.0] * k
        h = [[0.0] * k for _ in range(k)]
        for zi, yi in zip(z, y):
            t = sum(a * b for a, b in zip(w, zi))
            p = 1 / (1 + math.exp(-t)) if t > -700 else 0.0
            ci = weight if yi else 1.0
            r = ci * (p - yi)
            q = ci * p * (1 - p)
            for a in range(k):
                if zi[a]:
                    g[a] += r * zi[a]
                    qa = q * zi[a]
                    ha = h[a]
                    for b in range(a, k):
                        if zi[b]:
                            ha[b] += qa * zi[b]
        scale = c if c is not None else 1.0
        reg = 1.0 if c is not None else 1e-9
        for a in range(k):
            g[a] = reg * w[a] + scale * g[a]
            for b in range(a, k):
                h[a][b] = scale * h[a][b] + (reg if a == b else 0.0)
                h[b][a] = h[a][b]
        step = solve(h, [-v for v in g])
        w = [a + b for a, b in zip(w, step)]
        if max(abs(v) for v in step) < 1e-10:
            break
    return w


def auc(p, y):
    order = sorted(range(len(p)), key=lambda i: p[i])
    ranks = [0.0] * len(p)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and p[order[j + 1]] == p[order[i]]:
            j += 1
        for t in range(i, j + 1):
            ranks[order[t]] = (i + j) / 2 + 1
        i = j + 1
    n1 = sum(y)
    n0 = len(y) - n1
    s = sum(r for r, v in zip(ranks, y) if v)
    return (s - n1 * (n1 + 1) / 2) / (n1 * n0)


def reference(features_csv, c):
    rows = list(csv.reader(io.StringIO(features_csv)))
    head, rows = rows[0], rows[1:]
    names = head[4:]
    train = [r for r in rows if r[1] == "train"]
    held = [r for r in rows if r[1] == "heldout"]

    def values(r):
        return [float(v) if v != "" else None for v in r[4:]]

    xt = [values(r) for r in train]
    yt = [int(r[3]) for r in train]
    k = len(names)
    mean, sd = [], []
    for j in range(k):
        col = [x[j] for x in xt if x[j] is not None]
        m = sum(col) / len(col) if col else 0.0
        v = sum((a - m) ** 2 for a in col) / len(col) if col else 0.0
        s = math.sqrt(v)
        if s <= 1e-12 * abs(m):
            s = 0.0
        mean.append(m)
        sd.append(s)

    def std(x):
        return [0.0 if (x[j] is None or sd[j] == 0) else (x[j] - mean[j]) / sd[j]
                for j in range(k)] + [BIAS]

    zt = [std(x) for x in xt]
    n1 = sum(yt)
    weight = (len(yt) - n1) / n1
    out = {}
    for label, cc in (("penalised", c), ("unpenalised", None)):
        w = fit(zt, yt, weight, cc)
        w[k] -= math.log(weight) / BIAS  # the prior correction
        out[label] = w
    w = out["penalised"]
    zh = [std(values(r)) for r in held]
    yh = [int(r[3]) for r in held]
    ph = [1 / (1 + math.exp(-sum(a * b for a, b in zip(w, z)))) for z in zh]
    order = sorted(range(len(ph)), key=lambda i: (-ph[i], i))
    top = order[: max(1, len(ph) // 10)] if len(ph) >= 10 else order[:1]
    lift = (sum(yh[i] for i in top) / len(top)) / (sum(yh) / len(yh))
    brier = sum((p - v) ** 2 for p, v in zip(ph, yh)) / len(yh)
    return names, out, auc(ph, yh), brier, lift, rows


def main():
    retain = sys.argv[1]
    keep = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--keep" else None
    with tempfile.TemporaryDirectory() as tmp:
        d = keep or tmp
        # 1. churn driven by silence and usage
        score_sim.write_all(d, "signal", n=1500, days=1000, seed=11)
        base = ["--events", d + "/events.csv", "--as-of", "2025-06-30", d + "/customers.csv"]
        code, rep, err = run(retain, ["--report"] + base)
        check(code == 0, "signal: --report exit %d: %s" % (code, err))
        r = report(rep)
        code, feats, err = run(retain, ["--features"] + base)
        check(code == 0, "signal: --features exit %d" % code)
        c = float(r[("model", "c")])
        names, w, ref_auc, ref_brier, ref_lift, _ = reference(feats, c)
        worst = 0.0
        for j, name in enumerate(names):
            got = float(r[("coefficient", name)])
            pen, unpen = w["penalised"][j], w["unpenalised"][j]
            worst = max(worst, abs(got - pen))
            check(abs(got - pen) <= 2e-3 + 1e-2 * abs(pen),
                  "signal: coefficient %s: retain %.4f, reference %.4f" % (name, got, pen))
            check(abs(got - unpen) <= abs(pen - unpen) + 5e-3 + 1e-2 * abs(unpen),
                  "signal: coefficient %s: retain %.4f, unpenalised %.4f, beyond the "
                  "regularisation's effect %.4f" % (name, got, unpen, abs(pen - unpen)))
        got_int = float(r[("model", "intercept")])
        check(abs(got_int - w["penalised"][-1] * BIAS) <= 5e-3,
              "signal: intercept %.4f, reference %.4f" % (got_int, w["penalised"][-1] * BIAS))
        got_auc = float(r[("heldout", "auc")])
        check(abs(got_auc - ref_auc) <= 2e-3, "signal: AUC %.4f, reference %.4f" % (got_auc, ref_auc))
        check(abs(float(r[("heldout", "brier")]) - ref_brier) <= 2e-3, "signal: Brier")
        check(abs(float(r[("heldout", "top_decile_lift")]) - ref_lift) <= 0.15, "signal: lift")
        check(float(r[("coefficient", "days_silent")]) > 0.3, "signal: silence raises the risk")
        check(float(r[("coefficient", "usage_change_pct")]) < 0 or
              float(r[("coefficient", "usage_change_missing")]) > 0,
              "signal: less usage raises the risk")
        check(got_auc > 0.7, "signal: held-out AUC %.3f clearly above 0.5" % got_auc)
        check(r[("heldout", "informative")] == "yes", "signal: informative")
        print("signal: held-out AUC %.4f (reference %.4f), Brier %s, top-decile lift %s, C %s; "
              "largest coefficient gap %.2g" % (got_auc, ref_auc, r[("heldout", "brier")],
                                                 r[("heldout", "top_decile_lift")], c, worst))

        # 2. random churn
        score_sim.write_all(d, "random", n=1500, days=1000, seed=12)
        code, rep, err = run(retain, ["--report"] + base)
        r = report(rep)
        a = float(r[("heldout", "auc")])
        check(0.4 < a < 0.6, "random: AUC %.3f near 0.5" % a)
        check(r[("heldout", "informative")] == "no" and "not informative" in err,
              "random: said not informative (%s)" % err.strip())
        print("random: held-out AUC %.4f; stderr: %s" % (a, err.strip()))

        # 3. a ticket on every churn day: a leak would make it perfect
        score_sim.write_all(d, "leak", n=1500, days=1000, seed=13)
        leak = ["--tickets", d + "/tickets.csv"] + base
        code, rep, err = run(retain, ["--report"] + leak)
        r = report(rep)
        a = float(r[("heldout", "auc")])
        check(a < 0.6, "leak: held-out AUC %.3f stays honest" % a)
        check(float(r[("coefficient", "tickets")]) == 0, "leak: tickets coefficient 0")
        code, feats, err = run(retain, ["--features"] + leak)
        rows = list(csv.DictReader(io.StringIO(feats)))
        check(all(row["tickets"] == "0" for row in rows), "leak: a ticket of the future counted")
        churners = sum(1 for row in rows if row["churned"] == "1")
        check(churners > 100, "leak: %d churner rows" % churners)
        print("leak: held-out AUC %.4f over %d churner rows with no ticket counted" % (a, churners))
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
