"""Reference of `retain referral` (SPEC.md "Referral programmes";
man/retain-referral.1 and the retain referral section of
man/retain-metrics.7), for check-referral.py.

Independent of the C code, brute force, standard library only; every
value is an exact Fraction. It reuses the other references: lives.py (a
customer's lives), ltvcac.py (retain ltv's ARPU, churn and LTV of a set of
rows) and trc.py's rounding.

Inputs (Python values, as the checker wrote them to CSV):
  crm       [(line, id, start, end or None, mrr Fraction or None, None)]
  referrals [(line, referrer, referred ('' for none), date, reward or None)]
  deals     [(line, source, created, outcome 'won'|'lost'|'open', closed or None)]
  answers   [(line, id, date, score)]
  events    [(line, id, date)] or None (no --events)
  spend     [(month first day, channel, amount or None)] or None

Choices where SPEC leaves room, as the man page states them:
  * a referral is successful when the referred id is a customer whose
    first life starts on or after the referral's day (and by as-of); each
    row counts, so two referrers of one company are both successful;
  * 24 months ending on as-of: dated after as-of's day two years earlier
    (29 February: the 28th);
  * silent: as-of - the last event on or before as-of, or, without one
    since the current life started, as-of - its start, >= 60 days (as
    retain risk's days_silent);
  * the tier table lists the customers active on as-of and the former
    customers who made a referral, sorted by tier, successful_24m,
    successful (more first), id bytes;
  * the spend window: from the first day of the earliest spend period to
    the last day of the latest, cut at as-of; spend rows of periods after
    as-of are left out; without a spend table, every day up to as-of;
  * new customers of a group: first life starting in the window; rewards:
    of the referrals dated in the window, or P % x 12 x the first-day MRR
    of each new referred customer (rounded to the millionth);
  * CAC = cost / new, ROI = (LTV x new - cost) / cost x 100 (referred).
"""

import datetime as dt
import os
import sys
from collections import defaultdict
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lives as _lives  # noqa: E402
import ltvcac as _ltv  # noqa: E402

TIERS = ["", "advocate", "referrer", "ambassador"]


def _b(s):
    return s.encode("utf-8")


def _round6(x):
    """x (>= 0) rounded half away from zero to the millionth."""
    return Fraction(int(x * 1000000 + Fraction(1, 2)), 1000000)


def two_years_before(d):
    try:
        return d.replace(year=d.year - 2)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 2, day=28)


def _median(v):
    v = sorted(v)
    n = len(v)
    if not n:
        return None
    return Fraction(v[n // 2]) if n % 2 else Fraction(v[n // 2 - 1] + v[n // 2], 2)


def _month_end(p0):
    return _ltv.add_months(p0, 1) - dt.timedelta(days=1)


def compute(crm, referrals, deals=None, answers=None, events=None, spend=None, as_of=None,
            reward_pct=None, margin=Fraction(1), silence=60):
    if as_of is None:
        as_of = max(r[2] for r in crm)
    known = {r[1] for r in crm}
    dicts = [{"id": cid, "start": s, "end": e, "mrr": m or Fraction(0), "seg": ""}
             for _, cid, s, e, m, _ in crm]
    lives = defaultdict(list)
    for life in _lives.lives(dicts, as_of):
        lives[life["id"]].append(life)
    first = {c: ls[0]["start"] for c, ls in lives.items()}
    first_mrr = {c: ls[0]["mrr"] for c, ls in lives.items()}
    current = {c: ls[-1] for c, ls in lives.items() if ls[-1]["end"] is None}
    day24 = two_years_before(as_of)

    refs = [x for x in referrals if x[3] <= as_of]
    unknown = [x for x in refs if x[1] not in known]
    refs = [x for x in refs if x[1] in known]

    def ok(x):
        return x[2] in first and first[x[2]] >= x[3]

    # referrers
    by_ref = defaultdict(list)
    for x in refs:
        by_ref[x[1]].append(x)
    stats = {}
    for who, xs in by_ref.items():
        good = [x for x in xs if ok(x)]
        stats[who] = dict(
            referrals=len(xs), successful=len(good),
            successful_24m=sum(1 for x in good if x[3] > day24),
            mrr=sum((first_mrr[x[2]] for x in good), Fraction(0)),
            median=_median([(first[x[2]] - x[3]).days for x in good]))
    referred = {x[2] for x in refs if ok(x)}

    # NPS and silence
    nps = {}
    for line, cid, d, score in sorted(answers or [], key=lambda a: (a[2], a[0])):
        if d <= as_of and cid in known:
            nps[cid] = score
    last_event = {}
    for line, cid, d in events or []:
        if d <= as_of and cid in known and (cid not in last_event or d > last_event[cid]):
            last_event[cid] = d

    tiers = []
    for cid in known:
        st = stats.get(cid)
        active = cid in current
        if not active and not st:
            continue
        t = dict(id=cid, active=active, tenure=None, nps=nps.get(cid),
                 referrals=st["referrals"] if st else 0,
                 successful=st["successful"] if st else 0,
                 successful_24m=st["successful_24m"] if st else 0,
                 tier=0, candidate=False, silent=None, days_silent=None)
        if active:
            t["tenure"] = (as_of - current[cid]["start"]).days
            if events is not None:
                # as retain risk: since the last event, or the current
                # life's start when it has had none since
                since = max(last_event.get(cid, current[cid]["start"]), current[cid]["start"])
                t["days_silent"] = (as_of - since).days
                t["silent"] = t["days_silent"] >= silence
            if t["successful_24m"] >= 5:
                t["tier"] = 3
            elif t["successful"] >= 1:
                t["tier"] = 2
            elif t["tenure"] >= 365 and t["nps"] is not None and t["nps"] >= 9 and not t["silent"]:
                t["tier"] = 1
            t["candidate"] = t["nps"] is not None and t["nps"] >= 9 and t["tier"] < 2
        t["why"] = why(t)
        tiers.append(t)
    tiers.sort(key=lambda t: (-t["tier"], -t["successful_24m"], -t["successful"], _b(t["id"])))
    tier_of = {t["id"]: t["tier"] for t in tiers}

    ambassadors = []
    for who, st in stats.items():
        ambassadors.append(dict(st, id=who, active=who in current, tier=tier_of.get(who, 0)))
    ambassadors.sort(key=lambda a: (-a["successful"], -a["mrr"], _b(a["id"])))

    # sources
    src = defaultdict(lambda: dict(deals=0, won=0, lost=0, open=0, days=[]))
    for line, source, created, outcome, closed in deals or []:
        if created > as_of:
            continue
        if closed is not None and closed > as_of:
            outcome = "open"
        s = src[source]
        s["deals"] += 1
        s[outcome] += 1
        if outcome == "won" and closed is not None:
            s["days"].append((closed - created).days)
    sources = []
    for name in sorted(src, key=_b):
        s = src[name]
        decided = s["won"] + s["lost"]
        sources.append(dict(name=name, deals=s["deals"], won=s["won"], lost=s["lost"],
                            open=s["open"],
                            close_rate=Fraction(100 * s["won"], decided) if decided else None,
                            median=_median(s["days"]),
                            mean=Fraction(sum(s["days"]), len(s["days"])) if s["days"] else None))

    # groups
    lo, hi = None, as_of
    spend_sum = [Fraction(0), Fraction(0)]
    spend_unknown = [False, False]
    if spend is not None:
        kept = [r for r in spend if r[0] <= as_of]
        if kept:
            lo = min(r[0] for r in kept)
            hi = min(_month_end(max(r[0] for r in kept)), as_of)
        else:
            lo = as_of + dt.timedelta(days=1)
        for p0, channel, amount in kept:
            g = 0 if channel.replace("_", " ").strip().lower() == "referral" else 1
            if amount is None:
                spend_unknown[g] = True
            else:
                spend_sum[g] += amount
    new = [0, 0]
    pct_rewards = Fraction(0)
    for cid, f in first.items():
        if (lo is None or f >= lo) and f <= hi:
            g = 0 if cid in referred else 1
            new[g] += 1
            if g == 0 and reward_pct is not None:
                pct_rewards += _round6(first_mrr[cid] * 12 * reward_pct / 100)
    has_rewards = reward_pct is not None or any(x[4] is not None for x in refs)
    if reward_pct is not None:
        rewards = pct_rewards
    else:
        rewards = sum((x[4] for x in refs if x[4] is not None and (lo is None or x[3] >= lo)
                       and x[3] <= hi), Fraction(0))
    observed = _ltv.observe(crm, as_of)
    groups = []
    for g, name in enumerate(["referred", "other"]):
        rows = [r for r in observed if (r[1] in referred) == (g == 0)]
        v = _ltv.ltv_segment(rows, as_of, margin=margin) if rows else dict(
            customers=0, arpu=None, churn_pct=None, ltv=None)
        has_mrr = any(r[4] is not None for r in crm)
        ltv = v["ltv"] if has_mrr else None
        has_spend = spend is not None and not spend_unknown[g]
        has_cost = has_spend or (g == 0 and has_rewards)
        cost = (spend_sum[g] if has_spend else 0) + (rewards if g == 0 else 0)
        cac = Fraction(cost, 1) / new[g] if has_cost and new[g] else None
        groups.append(dict(
            name=name, customers=v["customers"], new=new[g],
            arpu=v["arpu"] if has_mrr else None, churn_pct=v["churn_pct"], ltv=ltv,
            spend=spend_sum[g] if has_spend else None,
            rewards=(rewards if has_rewards else None) if g == 0 else None,
            cost=cost if has_cost else None, cac=cac,
            ltv_cac=ltv / cac if ltv is not None and cac else None,
            roi=(ltv * new[g] - cost) / cost * 100
            if g == 0 and has_cost and cost > 0 and ltv is not None else None))
    return dict(as_of=as_of, tiers=tiers, sources=sources, groups=groups,
                ambassadors=ambassadors, unknown=len(unknown))


def why(t):
    if not t["active"]:
        return "no longer a customer"
    if t["tier"] == 3:
        return "%d successful referrals in 24 months" % t["successful_24m"]
    if t["tier"] == 2:
        return "%d successful referral%s" % (t["successful"], "s" if t["successful"] > 1 else "")
    if t["tier"] == 1:
        return "%d days, NPS %d%s" % (t["tenure"], t["nps"],
                                      ", not silent" if t["silent"] is not None else "")
    parts = []
    if t["tenure"] < 365:
        parts.append("%d days, under 365" % t["tenure"])
    if t["nps"] is None:
        parts.append("no NPS answer")
    elif t["nps"] < 9:
        parts.append("NPS %d, below 9" % t["nps"])
    if t["silent"]:
        parts.append("silent for %d days" % t["days_silent"])
    return "; ".join(parts)
