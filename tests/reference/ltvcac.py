"""Reference LTV and CAC (SPEC.md "LTV and CAC"; man/retain-ltv.1 and
man/retain-cac.1), shared by check-ltv-cac.py (goldens) and
check-ltv-cac-random.py (randomized differential test).

Independent of the C code. Standard library only; every value is an exact
Fraction (MRR and spend are decimals, a month is 365.25/12 days, the
Kaplan-Meier survival is a product of fractions), so rounding can be
checked to the last printed digit.

Customer rows are tuples (line, id, start, end-or-None, mrr-or-None, seg),
the first four as trc.py's rows; mrr None is an empty cell ("no amount",
adds nothing); seg is the --by value (or None).

Choices where SPEC and the man pages leave room, in one place:
  * churn is the mean of the exact monthly TRC churns (1 - (E - N) / S),
    months with S = 0 left out; the window is the --window last calendar
    months ending on or before as-of (months before the data count in the
    window but are undefined).
  * With --by each segment is a table of its own (its rows only); the
    as-of is the one of the whole input; a segment without a row starting
    on or before as-of has no output row.
  * CAC: with channels, each channel is a customer table of its own (as
    retain rate --by): a customer switching plan is new in the new plan at
    its first row there (the goldens on hubspot-export.csv say so); a channel
    is "known" when some row starting on or before as-of has it; the
    customer table spans the months from the earliest start (on or before
    as-of) to as-of.
"""

import datetime as dt
import os
import sys
from collections import defaultdict
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trc as _trc          # noqa: E402  SPEC's TRC, brute force
import survival as _surv    # noqa: E402  Kaplan-Meier
import lives as _lives      # noqa: E402  SPEC's lives

ONE_DAY = dt.timedelta(days=1)
MONTH_DAYS = Fraction(36525, 1200)     # 365.25 / 12


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------

def day(text):
    text = text.strip()
    return dt.date.fromisoformat(text[:10]) if text else None


def money(text):
    """'1234.5', '$1,234.50', '1234.50 EUR' -> Fraction; '' -> None."""
    t = text.strip()
    if not t:
        return None
    t = t.replace("$", "").replace("EUR", "").replace(",", "").replace(" ", "")
    return Fraction(t)


def round_half_away(x, precision):
    return _trc.round_half_away(Fraction(x), precision)


def month_of(d):
    return d.replace(day=1)


def month_label(p0):
    return "%04d-%02d" % (p0.year, p0.month)


def add_months(p0, k):
    m = p0.month - 1 + k
    return dt.date(p0.year + m // 12, m % 12 + 1, 1)


def month_from_text(text):
    """A spend-table or --from/--to period: 2024-03, 2024-3 or a date."""
    t = text.strip()
    if len(t) >= 10:
        return month_of(day(t))
    y, m = t.split("-")
    if len(y) != 4 or not 1 <= len(m) <= 2:
        raise ValueError(text)
    return dt.date(int(y), int(m), 1)


# --------------------------------------------------------------------------
# Customer table: LTV
# --------------------------------------------------------------------------

def observe(rows, as_of):
    """Rows kept at as-of (start <= as-of), end after as-of made None."""
    out = []
    for line, cid, start, end, mrr, seg in rows:
        if start > as_of:
            continue
        if end is not None and end > as_of:
            end = None
        out.append((line, cid, start, end, mrr, seg))
    return out


def serves(row, d):
    return row[2] <= d and (row[3] is None or d < row[3])


def monthly_churns(rows, as_of, window, from_p=None, to_p=None):
    """Exact churn fractions of the `window` last calendar months ending on
    or before as-of, from trc.py's counts; undefined months left out.
    from_p, to_p (first days of months, retain ltv --from/--to): the
    months from from_p (instead of the window) to to_p (when it is before
    the last full month)."""
    last = month_of(as_of)
    if add_months(last, 1) - ONE_DAY > as_of:
        last = add_months(last, -1)
    if to_p is not None and to_p < last:
        last = to_p
    first = from_p if from_p is not None else add_months(last, -(window - 1))
    data_first = month_of(min(r[2] for r in rows))
    first = max(first, data_first)
    if first > last:
        return []
    lines = _trc.trc([r[:4] for r in rows], "month", as_of,
                     month_label(first), month_label(last), 2)
    out = []
    for line in lines[1:]:
        f = line.split(",")
        s, new, re_, e = int(f[1]), int(f[2]), int(f[3]), int(f[5])
        if s:
            out.append(1 - Fraction(e - new - re_, s))
    return out


def km_lives(rows, as_of, seg=None):
    """survival.py's observations (t days, event): the lives (SPEC "Lives",
    lives.py) of the rows (already observed), those of segment seg only
    when seg is not None (a life's segment from its first day's rows)."""
    dicts = [{"id": cid, "start": start, "end": end, "mrr": mrr or Fraction(0),
              "seg": s or ""} for _, cid, start, end, mrr, s in rows]
    out = []
    for life in _lives.lives(dicts, as_of):
        if seg is not None and life["seg"] != seg:
            continue
        if life["end"] is not None:
            out.append(((life["end"] - life["start"]).days, True))
        else:
            out.append(((as_of - life["start"]).days, False))
    return out


def km_at(cv, t):
    s = Fraction(1)
    for u, n, d, c, su, v in cv:
        if u <= t:
            s = su
    return s


def survival_sum(rows, as_of, horizon, d, seg=None):
    """sum_{k=0}^{H-1} S(k months) / (1 + d)^k."""
    cv = _surv.curve(km_lives(rows, as_of, seg))
    total = Fraction(0)
    for k in range(horizon):
        total += km_at(cv, k * MONTH_DAYS) / (1 + d) ** k
    return total


def ltv_segment(rows, as_of, window=12, margin=Fraction(1), discount=Fraction(0),
                horizon=None, all_rows=None, seg=None, from_p=None, to_p=None):
    """The numbers of one output row of `retain ltv` (customer table).
    rows: this segment's rows, observed at as-of.  discount is a fraction.
    all_rows, seg: every segment's rows and this one's name, for the lives
    of --method survival (a customer's lives span its segments).
    Undefined values are None."""
    by_cust = defaultdict(list)
    for r in rows:
        by_cust[r[1]].append(r)
    active = [c for c, rs in by_cust.items() if any(serves(r, as_of) for r in rs)]
    arpu = None
    if active:
        arpu = Fraction(sum((r[4] or 0) for c in active for r in by_cust[c]
                            if serves(r, as_of)), len(active))
    churns = monthly_churns(rows, as_of, window, from_p, to_p)
    churn = sum(churns, Fraction(0)) / len(churns) if churns else None
    ltv = None
    if horizon is None:
        if arpu is not None and churn is not None and discount + churn != 0:
            ltv = arpu * margin * (1 + discount) / (discount + churn)
    elif arpu is not None and km_lives(rows if all_rows is None else all_rows, as_of, seg):
        # (a segment no life belongs to has no curve: its LTV is undefined)
        ltv = arpu * margin * survival_sum(rows if all_rows is None else all_rows, as_of,
                                           horizon, discount, seg)
    revenue = Fraction(0)
    for _, _, start, end, mrr, _ in rows:
        stop = end if end is not None else as_of + ONE_DAY
        revenue += (mrr or 0) * (stop - start).days / MONTH_DAYS
    return dict(customers=len(active), arpu=arpu, margin=margin,
                churn_pct=None if churn is None else 100 * churn,
                churn_months=len(churns), discount_pct=100 * discount,
                horizon_months=horizon, ltv=ltv, customers_seen=len(by_cust),
                observed_revenue=revenue / len(by_cust) if by_cust else None)


def ltv_table(rows, as_of=None, by=False, **kw):
    """[(segment or None, ltv_segment dict)], segments sorted."""
    if as_of is None:
        as_of = max(r[2] for r in rows)
    kept = observe(rows, as_of)
    if not by:
        return [(None, ltv_segment(kept, as_of, **kw))] if kept else []
    out = []
    for seg in sorted({r[5] for r in kept}):
        out.append((seg, ltv_segment([r for r in kept if r[5] == seg], as_of, all_rows=kept,
                                     seg=seg, **kw)))
    return out


LTV_COLUMNS = ["customers", "arpu", "margin", "churn_pct", "churn_months",
               "discount_pct", "ltv", "customers_seen", "observed_revenue"]
LTV_SURVIVAL_COLUMNS = LTV_COLUMNS[:6] + ["horizon_months"] + LTV_COLUMNS[6:]
COUNTS = {"customers", "churn_months", "customers_seen", "horizon_months", "new"}


# --------------------------------------------------------------------------
# CAC from a spend table
# --------------------------------------------------------------------------

def new_customers(rows, as_of, channel):
    """{(month p0, channel value or None): new customers} (first row ever;
    with channels, the first row in that channel, as retain rate --by)."""
    first = {}
    for r in observe(rows, as_of):
        k = (r[5], r[1]) if channel else r[1]
        if k not in first or r[2] < first[k][2]:
            first[k] = r
    new = defaultdict(int)
    for r in first.values():
        new[(month_of(r[2]), r[5] if channel else None)] += 1
    return new


def cac_table(rows, spend_rows, as_of=None, channel=False, from_p=None, to_p=None):
    """spend_rows: (month p0, channel or None, Fraction or None).
    -> [(p0, channel, spend, new, cac)] in output order; None = empty."""
    if as_of is None:
        as_of = max(r[2] for r in rows)
    kept = observe(rows, as_of)
    new = new_customers(rows, as_of, channel)
    lo = month_of(min(r[2] for r in kept)) if kept else None
    hi = month_of(as_of)
    known = {r[5] for r in kept}
    spend, has_spend = {}, set()
    for p, ch, amount in spend_rows:
        key = (p, ch if channel else None)
        has_spend.add(key)
        if amount is not None:
            spend[key] = spend.get(key, 0) + amount
    keys = has_spend | {k for k, n in new.items() if n}
    out = []
    for p, ch in sorted(keys, key=lambda k: (k[0], k[1] or "")):
        if from_p is not None and p < from_p or to_p is not None and p > to_p:
            continue
        s = spend.get((p, ch))
        inside = lo is not None and lo <= p <= hi and (not channel or ch in known)
        n = new.get((p, ch), 0) if inside else None
        c = s / n if s is not None and n else None
        out.append((p, ch, s, n, c))
    return out
