#!/usr/bin/python3
"""Reference implementation of SPEC.md's retention rate (TRC), `retain rate`.

Independent of the C code: written straight from the metric definitions (retain-metrics(7))
("Input", "Days, activity, as-of", "Periods", "Retention rate (TRC)"),
favouring obvious correctness over speed.  Standard library only.

Input: a canonical CSV with a header naming the columns `id`, `start`, `end`
(ISO dates YYYY-MM-DD, `end` may be empty); other columns are ignored.  If
the header names none of them, the first three columns are taken as
id,start,end.

    trc.py [--period day|week|month|quarter|year] [--as-of YYYY-MM-DD]
           [--from LABEL] [--to LABEL] [--precision N] [FILE|-]

Exit status: 0 ok, 64 usage, 65 data error (`line N: ...` on stderr).

Choices where SPEC leaves room (kept in one place so they are easy to audit):
  * churn_pct is 100 - retention_pct as printed (retention 3.125 -> 3.13,
    churn 96.87), so that the two always sum to 100, as retain does; pass
    --churn-exact to round 100 - the exact retention instead (96.88).
  * Rounding is half away from zero; a value that rounds to zero prints
    without a sign.
  * --from/--to narrow (intersect) the default range; they never widen it.
  * An input with no row starting on or before as-of prints the header only.
"""

import argparse
import csv
import datetime as dt
import io
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lives as lv  # noqa: E402  (SPEC's lives: --merge-gap)

HEADER = ("period,customers_start,new,reactivated,lost,customers_end,"
          "retention_pct,churn_pct,kept,kept_pct")
ONE_DAY = dt.timedelta(days=1)


class DataError(Exception):
    pass


# --------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------

def period_bounds(period, d):
    """First and last day (p0, p1) of the period of kind `period` holding d."""
    if period == "day":
        return d, d
    if period == "week":
        p0 = d - dt.timedelta(days=d.isoweekday() - 1)  # Monday
        return p0, p0 + dt.timedelta(days=6)
    if period == "month":
        p0 = d.replace(day=1)
    elif period == "quarter":
        p0 = dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    elif period == "year":
        p0 = dt.date(d.year, 1, 1)
    else:
        raise ValueError(period)
    return p0, next_period_start(period, p0) - ONE_DAY


def next_period_start(period, p0):
    """First day of the period after the one starting on p0."""
    if period == "day":
        return p0 + ONE_DAY
    if period == "week":
        return p0 + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    m = p0.month - 1 + months
    return dt.date(p0.year + m // 12, m % 12 + 1, 1)


def period_label(period, p0):
    if period == "day":
        return p0.isoformat()
    if period == "week":
        iso = p0.isocalendar()
        return "%04d-W%02d" % (iso[0], iso[1])
    if period == "month":
        return "%04d-%02d" % (p0.year, p0.month)
    if period == "quarter":
        return "%04d-Q%d" % (p0.year, (p0.month - 1) // 3 + 1)
    return "%04d" % p0.year


def parse_label(period, label):
    """First day of the period named by `label` (inverse of period_label)."""
    try:
        if period == "day":
            d = parse_iso_date(label)
        elif period == "week":
            y, w = label.split("-W")
            if len(y) != 4 or len(w) != 2:
                raise ValueError
            d = dt.date.fromisocalendar(int(y), int(w), 1)
        elif period == "month":
            y, m = label.split("-")
            if len(y) != 4 or len(m) != 2:
                raise ValueError
            d = dt.date(int(y), int(m), 1)
        elif period == "quarter":
            y, q = label.split("-Q")
            if len(y) != 4 or q not in ("1", "2", "3", "4"):
                raise ValueError
            d = dt.date(int(y), 3 * (int(q) - 1) + 1, 1)
        else:
            if len(label) != 4:
                raise ValueError
            d = dt.date(int(label), 1, 1)
    except ValueError:
        raise SystemExit_usage("bad %s label: %r" % (period, label))
    if period_label(period, period_bounds(period, d)[0]) != label:
        raise SystemExit_usage("bad %s label: %r" % (period, label))
    return period_bounds(period, d)[0]


def SystemExit_usage(msg):
    sys.stderr.write("trc.py: %s\n" % msg)
    return SystemExit(64)


# --------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------

def parse_iso_date(s):
    if len(s) != 10 or s[4] != "-" or s[7] != "-":
        raise ValueError("not YYYY-MM-DD: %r" % s)
    return dt.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))


def read_rows(text):
    """Canonical CSV text -> list of (line, id, start, end-or-None)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return []
    names = [h.strip().lower() for h in header]
    if all(n in names for n in ("id", "start", "end")):
        ci, cs, ce = names.index("id"), names.index("start"), names.index("end")
    else:
        ci, cs, ce = 0, 1, 2
    rows = []
    for fields in reader:
        line = reader.line_num
        if not fields:
            continue
        fields = fields + [""] * (3 - len(fields))
        cid, s, e = fields[ci], fields[cs].strip(), fields[ce].strip()
        try:
            start = parse_iso_date(s)
        except ValueError:
            raise DataError("line %d: bad start date %r" % (line, s))
        end = None
        if e != "":
            try:
                end = parse_iso_date(e)
            except ValueError:
                raise DataError("line %d: bad end date %r" % (line, e))
            if end < start:
                raise DataError("line %d: end before start" % line)
        rows.append((line, cid, start, end))
    return rows


# --------------------------------------------------------------------------
# The metric
# --------------------------------------------------------------------------

def serves(row, d):
    """SPEC: a row serves every day d with start <= d < end (end None = open)."""
    _, _, start, end = row
    return start <= d and (end is None or d < end)


def round_half_away(x, precision):
    """Fraction -> decimal string, half away from zero, `precision` decimals."""
    scale = 10 ** precision
    mag = abs(x) * scale
    q = mag.numerator // mag.denominator
    if (mag - q) * 2 >= 1:
        q += 1
    neg = x < 0 and q != 0
    digits = str(q).rjust(precision + 1, "0")
    if precision > 0:
        body = digits[:-precision] + "." + digits[-precision:]
    else:
        body = digits
    return ("-" if neg else "") + body


def trc(rows, period="month", as_of=None, from_label=None, to_label=None,
        precision=2, churn_from_rounded=True, gap=0, partial=None):
    """Return the list of output lines (header included).  gap: --merge-gap
    (a customer is active on the days of its lives, gaps included).
    partial: a list that receives True when as-of falls before the last
    day of the last period reported (SPEC: a note on stderr)."""
    if as_of is None:
        if not rows:
            return [HEADER]
        as_of = max(r[2] for r in rows)  # latest start
    # Rows starting after as-of are ignored; an end after as-of is unknown.
    kept = []
    for r in rows:
        line, cid, start, end = r
        if start > as_of:
            continue
        if end is not None and end > as_of:
            end = None
        kept.append((line, cid, start, end))
    if not kept:
        return [HEADER]

    by_customer = {}
    for r in kept:
        by_customer.setdefault(r[1], []).append(r)

    spans = {}
    for life in lv.lives([{"id": r[1], "start": r[2], "end": r[3]} for r in kept], as_of, gap):
        spans.setdefault(life["id"], []).append((life["start"], life["end"]))

    def active(cid, d):
        return any(s <= d and (e is None or d < e) for s, e in spans[cid])

    first = period_bounds(period, min(r[2] for r in kept))[0]
    last = period_bounds(period, as_of)[0]
    if from_label is not None:
        first = max(first, parse_label(period, from_label))
    if to_label is not None:
        last = min(last, parse_label(period, to_label))

    out = [HEADER]
    p0 = first
    while p0 <= last:
        p1 = next_period_start(period, p0) - ONE_DAY
        S = {c for c in by_customer if active(c, p0 - ONE_DAY)}
        new = set()
        reactivated = set()
        for c, rs in by_customer.items():
            if c in S:
                continue
            if not any(p0 <= r[2] <= p1 for r in rs):
                continue
            if any(r[2] < p0 for r in rs):
                reactivated.add(c)
            else:
                new.add(c)
        E = {c for c in by_customer if active(c, p1)}
        n_s, n_new, n_re, n_e = len(S), len(new), len(reactivated), len(E)
        N = n_new + n_re
        lost = n_s + N - n_e
        # Sanity (not part of the output): E is within S u N.
        assert E <= S | new | reactivated, (p0, E - S - new - reactivated)
        if n_s == 0:
            ret = churn = ""
        else:
            r = Fraction(n_e - N, n_s) * 100
            ret = round_half_away(r, precision)
            if churn_from_rounded:
                churn = round_half_away(100 - Fraction(ret), precision)
            else:
                churn = round_half_away(100 - r, precision)
        kept_n = len(S & E)  # SPEC: customers of S still active on p1
        kept_pct = round_half_away(Fraction(kept_n, n_s) * 100, precision) if n_s else ""
        out.append("%s,%d,%d,%d,%d,%d,%s,%s,%d,%s" % (
            period_label(period, p0), n_s, n_new, n_re, lost, n_e, ret, churn, kept_n,
            kept_pct))
        if partial is not None and next_period_start(period, p0) > last:
            partial.append(as_of < p1)
        p0 = next_period_start(period, p0)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default="-")
    ap.add_argument("--period", default="month",
                    choices=["day", "week", "month", "quarter", "year"])
    ap.add_argument("--as-of")
    ap.add_argument("--from", dest="from_label")
    ap.add_argument("--to", dest="to_label")
    ap.add_argument("--precision", type=int, default=2)
    ap.add_argument("--merge-gap", type=int, default=0)
    ap.add_argument("--churn-from-rounded", action="store_true", default=True,
                    help="churn_pct = 100 - retention_pct as printed (the default)")
    ap.add_argument("--churn-exact", dest="churn_from_rounded", action="store_false",
                    help="churn_pct rounded from the exact 100 - retention")
    a = ap.parse_args(argv)
    if a.precision < 0:
        raise SystemExit_usage("bad --precision")
    as_of = None
    if a.as_of is not None:
        try:
            as_of = parse_iso_date(a.as_of)
        except ValueError:
            raise SystemExit_usage("bad --as-of: %r" % a.as_of)
    if a.file == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(a.file, "rb") as f:
            data = f.read()
    text = data.decode("utf-8-sig")
    try:
        rows = read_rows(text)
    except DataError as e:
        sys.stderr.write("%s\n" % e)
        return 65
    partial = []
    lines = trc(rows, a.period, as_of, a.from_label, a.to_label,
                a.precision, a.churn_from_rounded, a.merge_gap, partial)
    sys.stdout.write("".join(l + "\n" for l in lines))
    if any(partial):
        sys.stderr.write("trc.py: the last period is observed up to as-of\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
