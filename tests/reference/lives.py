#!/usr/bin/python3
"""Reference of SPEC.md's lives ("Lives: contracts, renewals, win-backs").

Independent of the C code, written from the SPEC wording, brute force.
Standard library only.  Shared by churn.py, survival.py and mrr.py.

A row is a dict with at least "id", "start" (datetime.date), "end" (date
or None when open); optionally "mrr" (Fraction), "seg" and "why" (str or
None).  lives(rows, as_of, gap) applies as-of first (SPEC "Days, activity,
as-of": rows with start > as-of are ignored, an end > as-of is empty), then
per customer sorts its rows by start and walks them: a row joins the
current life when it starts on or before the day the service of the
previous ones ends (the largest end so far, open = never) plus `gap` days;
otherwise it starts a new life.  Each life is a dict

    id, start, end (None when open at as-of), index (0 first, 1.. win-backs),
    seg, mrr, why

Choices where SPEC leaves room (kept here to be audited in one place):
  * seg (SPEC): of the rows starting on the life's first day, those that
    serve it (end > start or open) decide: largest MRR, ties the smallest
    value in byte order; when none serves (only zero-length rows start the
    life), the same rule among those.
  * mrr: the MRR of the life's first day, the sum over the rows starting
    it that serve that day (none serving: the sum over the zero-length
    rows starting it).
  * why: the reason of the row whose end is the life's end; several: a
    non-empty reason before an empty one, then the smallest in byte order.
"""

from fractions import Fraction


def _bytes(s):
    return (s or "").encode("utf-8")


def clamp(rows, as_of):
    """SPEC's as-of: rows starting later are ignored, later ends are empty."""
    out = []
    for r in rows:
        if r["start"] > as_of:
            continue
        end = r["end"] if r["end"] is not None and r["end"] <= as_of else None
        out.append(dict(r, end=end))
    return out


def _first_day(members, start):
    first = [r for r in members if r["start"] == start]
    serving = [r for r in first if r["end"] is None or r["end"] > start]
    deciders = serving or first
    best = sorted(deciders, key=lambda r: (-r.get("mrr", Fraction(0)), _bytes(r.get("seg"))))[0]
    mrr = sum((r.get("mrr", Fraction(0)) for r in deciders), Fraction(0))
    return best.get("seg", ""), mrr


def _reason(members, end):
    enders = [r for r in members if r["end"] == end]
    whys = [r.get("why") for r in enders]
    if any(w is None for w in whys):
        return None
    return sorted(whys, key=lambda w: (w == "", _bytes(w)))[0]


def lives(rows, as_of, gap=0):
    """The lives of the rows observed at as-of, customers in order of id."""
    by_id = {}
    for r in clamp(rows, as_of):
        by_id.setdefault(r["id"], []).append(r)
    out = []
    for cid in sorted(by_id, key=_bytes):
        rs = sorted(by_id[cid], key=lambda r: r["start"])
        groups = []
        reach = None  # the day service ends, for the life being built; "open"
        for r in rs:
            if groups and (reach == "open" or
                           (r["start"] - reach).days <= gap):
                groups[-1].append(r)
            else:
                groups.append([r])
                reach = None
            if r["end"] is None:
                reach = "open"
            elif reach != "open" and (reach is None or r["end"] > reach):
                reach = r["end"]
        for k, g in enumerate(groups):
            start = g[0]["start"]
            end = None if any(r["end"] is None for r in g) else max(r["end"] for r in g)
            seg, mrr = _first_day(g, start)
            why = _reason(g, end) if end is not None else None
            out.append({"id": cid, "index": k, "start": start, "end": end,
                        "seg": seg, "mrr": mrr, "why": why})
    return out
