#!/usr/bin/python3
"""Reference implementation of SPEC.md's churn by lifecycle stage, `retain churn`.

Independent of the C code: written straight from the metric definitions (retain-metrics(7))
("Input", "Days, activity, as-of", "Periods", "Churn by lifecycle stage")
and the stage-list grammar of include/retain/churn.h, favouring obvious
correctness over speed.  Standard library only (the period helpers and the
exact rounding come from trc.py, the reference of `retain rate`).

Input: a canonical CSV (what `retain norm` writes) with a header naming
`start` and `end` (ISO dates YYYY-MM-DD, `end` may be empty), optionally
`mrr` (plain decimal such as 1234.50; empty = 0), and the columns named by
--by and --reason.  Names are compared case-insensitively, with spaces and
underscores alike.  Other columns are ignored.

    churn.py [--stages LIST] [--as-of YYYY-MM-DD] [--by COL] [--reason COL]
             [--period day|week|month|quarter|year] [--from P] [--to P]
             [--precision N] [FILE|-]

Output: CSV, columns (in this order, the bracketed ones when asked for)
    [COL,][period,]stage,from_day,to_day,[reason,]entered,churned,churn_pct,
    share_pct[,mrr_entered,mrr_churned,mrr_churn_pct]
the revenue columns when the header has an `mrr` column.

Exit status: 0 ok, 64 usage (bad --stages, a missing column, no row on or
before as-of), 65 data error (`line N: ...` on stderr).

The metric, per life (SPEC "Lives": a customer's rows merged over
overlaps, back-to-back rows and gaps of at most --merge-gap days; see
lives.py, which also fixes a life's segment, MRR and reason):
  * as-of = --as-of, else the latest start.  Rows with start > as-of are
    ignored; an end > as-of is treated as empty.  What follows says "row"
    for a life.
  * t = (end, or as-of when empty) - start, in days; churned = end not empty.
  * stage k = [from_k, to_k) (to_k = infinity for the last stage):
    entered = rows with t >= from_k; churned = churned rows with
    from_k <= t < to_k; churn_pct = churned / entered x 100 (empty when
    entered = 0); share_pct = churned / all churned rows (of the segment,
    and of the period) x 100 (empty when there are none).
  * revenue: the same sums weighted by MRR (empty MRR = 0); mrr_churn_pct =
    mrr_churned / mrr_entered x 100, empty when mrr_entered = 0.
  * --period P: for each period from the one holding the earliest (kept)
    start to the one holding as-of: a row is in stage k during P when SOME
    DAY d of P with d <= as-of has from_k <= d - start < to_k and
    d - start <= t.  entered counts such rows (checked day by day, brute
    force); churned counts churned rows whose end falls in P with t in
    stage k.
  * --by COL: one block per value of COL (byte order; the empty value is a
    segment of its own, first).  --reason COL: one row per stage and
    reason, for every reason seen among the churned rows (all segments, all
    periods; byte order; an empty reason is "unknown", merged with a
    literal "unknown"); entered is the stage's, churned that of the reason.

Choices where SPEC leaves room (kept in one place so they are easy to audit):
  * A row whose cells all equal an earlier row's is left out (retain's
    exact duplicate rows, retain-metrics(7)).
  * Rounding is half away from zero on the exact fraction; a value that
    rounds to zero prints without a sign.  Money prints with
    min(precision, 6) decimals (amounts are exact to the millionth).
  * With --reason and no churned row at all, each stage gets one row with
    an empty reason (its entered shown, churned 0).
  * No row starting on or before as-of: usage error (64), nothing printed.
  * Stage lists: see parse_stages().  A bare last name that reads as a
    number (`-365`, ` 365`, `+30`) is refused: SPEC's days are whole
    numbers above 0, and a silently renamed open stage would hide a typo.
"""

import argparse
import csv
import datetime as dt
import io
import os
import re
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trc  # noqa: E402  (period_bounds, next_period_start, period_label)
import lives as lv  # noqa: E402  (SPEC's lives)

ONE_DAY = dt.timedelta(days=1)
LIFECYCLE = ("onboarding", "renewal", "long-term")


class UsageError(Exception):
    pass


class DataError(Exception):
    pass


# --------------------------------------------------------------------------
# Stages
# --------------------------------------------------------------------------

def parse_stages(spec):
    """Stage list -> [(name, from_day, to_day or None)].

    Grammar (include/retain/churn.h): comma-separated items; an item is
    DAYS (a whole number above 0: the first day of the next stage),
    NAME:DAYS (the stage ending there is NAME), or, last only, a bare NAME
    naming the open last stage.  Days must increase.  Unnamed stages are
    called onboarding, renewal, long-term when the list is exactly two bare
    day counts (the default 90,365), else by their range: "30-90", "365+".
    Names must be non-empty and distinct."""
    text = "90,365" if spec is None else spec
    items = text.split(",")
    bounds = [0]
    names = []  # names[i]: name of stage i or None
    for i, item in enumerate(items):
        last = i == len(items) - 1
        if ":" in item:
            name, days = item.split(":", 1)
            if not re.fullmatch(r"[0-9]+", days):
                raise UsageError("--stages %s: days must be whole numbers" % text)
            if name == "":
                raise UsageError("--stages %s: an empty stage name" % text)
        elif re.fullmatch(r"[0-9]+", item):
            name, days = None, item
        else:
            if not last:
                raise UsageError("--stages %s: only the last stage goes without days"
                                 % text)
            if item == "":
                raise UsageError("--stages %s: an empty stage" % text)
            if re.fullmatch(r"\s*[-+]?[0-9]+\s*", item):
                raise UsageError("--stages %s: days must be whole numbers above 0"
                                 % text)
            names.append(item)
            break
        d = int(days)
        if d <= 0:
            raise UsageError("--stages %s: days must be above 0" % text)
        if d <= bounds[-1] and len(bounds) > 1:
            raise UsageError("--stages %s: days must increase" % text)
        bounds.append(d)
        names.append(name)
    while len(names) < len(bounds):
        names.append(None)
    any_name = any(n is not None for n in names)
    stages = []
    for k, lo in enumerate(bounds):
        hi = bounds[k + 1] if k + 1 < len(bounds) else None
        name = names[k]
        if name is None:
            if not any_name and len(bounds) == 3:
                name = LIFECYCLE[k]
            elif hi is None:
                name = "%d+" % lo
            else:
                name = "%d-%d" % (lo, hi)
        if any(s[0] == name for s in stages):
            raise UsageError("--stages %s: the name %r is used twice" % (text, name))
        stages.append((name, lo, hi))
    return stages


# --------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------

def norm_name(s):
    return s.strip().lower().replace(" ", "_")


def parse_iso_date(s):
    if len(s) != 10 or s[4] != "-" or s[7] != "-":
        raise ValueError("not YYYY-MM-DD: %r" % s)
    return dt.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))


def parse_money(s):
    s = s.strip()
    if s == "":
        return Fraction(0)
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", s):
        raise ValueError("not a plain amount: %r" % s)
    return Fraction(s)


def read_rows(text, by=None, reason=None):
    """Canonical CSV text -> (rows, has_mrr); a row is a dict with start,
    end (None when open), mrr (Fraction), seg, why (None without --reason)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError("line 1: no header")
    names = [norm_name(h) for h in header]

    def col(name, what):
        if norm_name(name) not in names:
            raise UsageError("no column %r for %s; the header has: %s"
                             % (name, what, ", ".join(header)))
        return names.index(norm_name(name))

    ci, cs, ce = col("id", "id"), col("start", "start"), col("end", "end")
    cm = names.index("mrr") if "mrr" in names else None
    cb = col(by, "--by") if by is not None else None
    cr = col(reason, "--reason") if reason is not None else None
    rows = []
    seen = set()  # retain-metrics(7) "Exact duplicate rows": a row repeated cell for cell counts once
    for fields in reader:
        line = reader.line_num
        if not fields:
            continue
        fields = fields + [""] * (len(header) - len(fields))
        if tuple(fields) in seen:
            continue
        seen.add(tuple(fields))
        s, e = fields[cs].strip(), fields[ce].strip()
        try:
            start = parse_iso_date(s)
            end = parse_iso_date(e) if e != "" else None
            mrr = parse_money(fields[cm]) if cm is not None else Fraction(0)
        except ValueError as x:
            raise DataError("line %d: %s" % (line, x))
        if end is not None and end < start:
            raise DataError("line %d: end before start" % line)
        rows.append({"id": fields[ci].strip(), "start": start, "end": end, "mrr": mrr,
                     "seg": fields[cb] if cb is not None else "",
                     "why": fields[cr] if cr is not None else None})
    return rows, cm is not None


# --------------------------------------------------------------------------
# The metric
# --------------------------------------------------------------------------

def fmt_pct(num, den, precision):
    if den == 0:
        return ""
    return trc.round_half_away(Fraction(num) / Fraction(den) * 100, precision)


def fmt_money(x, precision):
    return trc.round_half_away(Fraction(x), min(precision, 6))


def in_stage(days, stage):
    _, lo, hi = stage
    return lo <= days and (hi is None or days < hi)


def byte_key(s):
    return s.encode("utf-8")


def period_start(period, text):
    """First day of the period named by --from/--to: a label of the period
    kind, or a date YYYY-MM-DD standing for the period holding it."""
    if period != "day" and len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return trc.period_bounds(period, parse_iso_date(text))[0]
        except ValueError:
            raise UsageError("bad --from/--to: %r" % text)
    try:
        return trc.parse_label(period, text)
    except SystemExit:
        raise UsageError("bad --from/--to: %r" % text)


def churn_table(rows, stages, as_of=None, by=None, reason=None, period=None,
                precision=2, revenue=False, late_end_reasons=False, gap=0,
                from_label=None, to_label=None):
    """Return the output as a list of rows (lists of cells), header first.
    late_end_reasons (NOT SPEC, for diagnosing a difference): the reason
    grid also lists the reasons of rows whose end is after as-of."""
    if period is None and (from_label is not None or to_label is not None):
        period = "month"  # --from/--to narrow periods: months unless --period
    header = ([by] if by is not None else []) + (["period"] if period else []) + \
        ["stage", "from_day", "to_day"] + (["reason"] if reason is not None else []) + \
        ["entered", "churned", "churn_pct", "share_pct"] + \
        (["mrr_entered", "mrr_churned", "mrr_churn_pct"] if revenue else [])
    if as_of is None:
        if not rows:
            raise DataError("no data rows")
        as_of = max(r["start"] for r in rows)
    # SPEC: rows starting after as-of are ignored; a later end is unknown;
    # then the rows of a customer are merged into its lives
    kept = []
    for r in lv.lives(rows, as_of, gap):
        if r["start"] > as_of:
            continue
        end = r["end"] if r["end"] is not None and r["end"] <= as_of else None
        t = ((end if end is not None else as_of) - r["start"]).days
        why = None
        if r["why"] is not None:
            why = r["why"] if r["why"] != "" else "unknown"
        kept.append(dict(r, end=end, t=t, churned=end is not None, why=why,
                         late=False))
    if not kept:
        raise UsageError("no subscription starts on or before as-of %s" % as_of)

    segments = sorted({r["seg"] for r in kept}, key=byte_key)
    if reason is not None:
        reasons = sorted({r["why"] for r in kept if r["churned"] or
                          (late_end_reasons and r["late"])}, key=byte_key)
        reason_rows = reasons or [""]
    else:
        reasons, reason_rows = [], [None]

    # Periods: (label, p0, p1), or one pseudo-period spanning all time.
    if period:
        plist = []
        p0 = trc.period_bounds(period, min(r["start"] for r in kept))[0]
        last = trc.period_bounds(period, as_of)[0]
        # --from/--to narrow the periods (retain-metrics(7), "Periods")
        if from_label is not None:
            p0 = max(p0, period_start(period, from_label))
        if to_label is not None:
            last = min(last, period_start(period, to_label))
        if p0 > last:
            raise UsageError("no period to report")
        while p0 <= last:
            p1 = trc.next_period_start(period, p0) - ONE_DAY
            plist.append((trc.period_label(period, p0), p0, p1))
            p0 = p1 + ONE_DAY
    else:
        plist = [(None, None, None)]

    out = [header]
    for seg in segments:
        srows = [r for r in kept if r["seg"] == seg]
        for label, p0, p1 in plist:
            if period:
                ents = [[r for r in srows if in_stage_during(r, st, p0, p1, as_of)]
                        for st in stages]
                ended = [r for r in srows if r["churned"] and p0 <= r["end"] <= p1]
            else:
                ents = [[r for r in srows if r["t"] >= st[1]] for st in stages]
                ended = [r for r in srows if r["churned"]]
            all_churned = len(ended)
            for k, st in enumerate(stages):
                entered = ents[k]
                n_ent = len(entered)
                m_ent = sum((r["mrr"] for r in entered), Fraction(0))
                for why in reason_rows:
                    ch = [r for r in ended if in_stage(r["t"], st)
                          and (why is None or r["why"] == why)]
                    n_ch = len(ch)
                    m_ch = sum((r["mrr"] for r in ch), Fraction(0))
                    cells = []
                    if by is not None:
                        cells.append(seg)
                    if period:
                        cells.append(label)
                    cells += [st[0], str(st[1]), "" if st[2] is None else str(st[2])]
                    if why is not None:
                        cells.append(why)
                    cells += [str(n_ent), str(n_ch), fmt_pct(n_ch, n_ent, precision),
                              fmt_pct(n_ch, all_churned, precision)]
                    if revenue:
                        cells += [fmt_money(m_ent, precision), fmt_money(m_ch, precision),
                                  fmt_pct(m_ch, m_ent, precision)]
                    out.append(cells)
    return out


def in_stage_during(r, stage, p0, p1, as_of):
    """SPEC, literally: some day d of [p0, p1] with d <= as-of has
    from <= d - start < to and d - start <= t.  Days before the start
    (d - start < 0 <= from) or after start + t cannot qualify, so only
    those in between are tried, one by one."""
    d = max(p0, r["start"])
    last = min(p1, as_of, r["start"] + dt.timedelta(days=r["t"]))
    while d <= last:
        x = (d - r["start"]).days
        if in_stage(x, stage) and x <= r["t"] and d <= as_of:
            return True
        d += ONE_DAY
    return False


def csv_cell(v):
    if ',' in v or '"' in v or '\r' in v or '\n' in v:
        return '"' + v.replace('"', '""') + '"'
    return v


def to_csv(table):
    return "".join(",".join(csv_cell(c) for c in row) + "\n" for row in table)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default="-")
    ap.add_argument("--stages")
    ap.add_argument("--as-of")
    ap.add_argument("--by")
    ap.add_argument("--reason")
    ap.add_argument("--period", choices=["day", "week", "month", "quarter", "year"])
    ap.add_argument("--precision", type=int, default=2)
    ap.add_argument("--merge-gap", type=int, default=0)
    ap.add_argument("--from", dest="from_label")
    ap.add_argument("--to", dest="to_label")
    ap.add_argument("--late-end-reasons", action="store_true",
                    help="not SPEC: also list the reasons of rows ending after as-of")
    a = ap.parse_args(argv)
    try:
        if not 0 <= a.precision <= 9:
            raise UsageError("bad --precision")
        stages = parse_stages(a.stages)
        as_of = None
        if a.as_of is not None:
            try:
                as_of = parse_iso_date(a.as_of)
            except ValueError:
                raise UsageError("bad --as-of: %r" % a.as_of)
        if a.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(a.file, "rb") as f:
                data = f.read()
        rows, has_mrr = read_rows(data.decode("utf-8-sig"), a.by, a.reason)
        table = churn_table(rows, stages, as_of, a.by, a.reason, a.period,
                            a.precision, has_mrr, a.late_end_reasons, a.merge_gap,
                            a.from_label, a.to_label)
    except UsageError as e:
        sys.stderr.write("churn.py: %s\n" % e)
        return 64
    except DataError as e:
        sys.stderr.write("churn.py: %s\n" % e)
        return 65
    sys.stdout.write(to_csv(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
