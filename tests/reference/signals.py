"""Independent reference for retain risk, nps and activation, written from
SPEC.md ("Other tables", "NPS", "Signals and health", "Time to value",
"Lives") and the choices their man pages state. Plain Python, exact
fractions; it never calls or imports retain's code.

Tables are lists of dicts with already-parsed values (days as
datetime.date, amounts as Fraction); check-signals.py writes the CSV files
and parses them for both sides."""
import datetime as dt
import math
from fractions import Fraction

ONE_DAY = dt.timedelta(days=1)


def round_half_away(x, decimals):
    """x (a Fraction) rounded half away from zero, as text."""
    q = Fraction(10) ** decimals
    v = abs(x) * q
    n = int(v)
    if v - n >= Fraction(1, 2):
        n += 1
    if x < 0 and n != 0:
        n = -n
    s = str(abs(n)).rjust(decimals + 1, '0')
    body = s[:-decimals] + '.' + s[-decimals:] if decimals else s
    return ('-' if n < 0 else '') + body


def pct(num, den, decimals=2):
    if den == 0:
        return ''
    return round_half_away(Fraction(num) * 100 / den, decimals)


def money(x):
    return round_half_away(Fraction(x), 2)


# ---- lives ------------------------------------------------------------------

class Customer:
    def __init__(self, cid):
        self.id = cid
        self.rows = []   # (start, end or None, mrr, segment)
        self.lives = []  # (start, end or None, segment)


def build_customers(rows, as_of, gap=0):
    """rows: dicts id, start, end (None), mrr (Fraction), seg. Rows starting
    after as_of are ignored, ends after it are open; rows at most gap days
    apart are one life (--merge-gap)."""
    custs = {}
    for r in rows:
        if r['start'] > as_of:
            continue
        end = r['end'] if r['end'] is not None and r['end'] <= as_of else None
        c = custs.setdefault(r['id'], Customer(r['id']))
        c.rows.append((r['start'], end, r['mrr'], r.get('seg', '')))
    far = dt.date(9999, 12, 31)
    for c in custs.values():
        spans = sorted(((s, e if e is not None else far) for s, e, _, _ in c.rows))
        merged = []
        for s, e in spans:
            if s >= e and gap == 0:
                continue  # serves no day (with a gap it takes part, as in lives)
            if merged and (s - merged[-1][1]).days <= gap:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        if not merged:
            merged = [list(spans[0])]  # rows of no day only: a 0-day life
        for s, e in merged:
            c.lives.append((s, None if e == far else e, life_segment(c, s)))
    return custs


def life_segment(c, start):
    serving = [(m, seg) for s, e, m, seg in c.rows
               if s <= start and (e is None or start < e)]
    if serving:
        best = max(m for m, _ in serving)
        return min(seg.encode() for m, seg in serving if m == best).decode()
    zero = [seg for s, e, m, seg in c.rows if s == start and e == start]
    return min(x.encode() for x in zero).decode() if zero else ''


def life_on(c, d):
    for s, e, seg in c.lives:
        if s <= d and (e is None or d < e):
            return (s, e, seg)
    return None


def mrr_on(c, d):
    serving = [m for s, e, m, _ in c.rows if s <= d and (e is None or d < e)]
    if not serving and life_on(c, d):
        # a day of a merged gap: the MRR of the last day served before it
        last = max(e for s, e, m, _ in c.rows if e is not None and s < e <= d)
        return mrr_on(c, last - ONE_DAY)
    return sum(serving, Fraction(0))


# ---- risk -----------------------------------------------------------------

SIGNALS = ['silent', 'usage_drop', 'tickets_up', 'revenue_down', 'missed_renewal',
           'nps_below_9']
DEFAULT_WEIGHTS = dict(zip(SIGNALS, [40, 20, 20, 25, 30, 20]))


def anniversary_in(start, c):
    year = max(start.year + 1, c.year - 1)
    while True:
        d = start.day
        while True:
            try:
                a = dt.date(year, start.month, d)
                break
            except ValueError:
                d -= 1
        if a >= c:
            return (a - c).days
        year += 1


def stage_name(t):
    return 'onboarding' if t < 90 else 'renewal' if t < 365 else 'long-term'


def risk_row(c, cust, tables, o):
    """The figures of one customer as of day c, or None when not active."""
    life = life_on(cust, c)
    if life is None:
        return None
    r = {'id': cust.id, 'mrr': mrr_on(cust, c), 'tenure': (c - life[0]).days, 'seg': life[2]}
    sig = set()
    ev = [e for e in tables.get('events', []) if e['id'] == cust.id and e['day'] <= c]
    if 'events' in tables:
        act = [e for e in ev if o['activity'] is None or e['kind'] == o['activity']]
        last = max((e['day'] for e in act), default=None)
        since = last if last is not None and last > life[0] else life[0]
        r['days_silent'] = (c - since).days
        if r['days_silent'] >= o['silence']:
            sig.add('silent')
        w = o['window']
        u1 = sum((e['value'] for e in act if (c - e['day']).days < w), Fraction(0))
        u0 = sum((e['value'] for e in act if w <= (c - e['day']).days < 2 * w), Fraction(0))
        r['usage'] = pct(u1 - u0, u0)
        if u0 > 0 and (u1 - u0) * 100 / u0 <= -o['drop']:
            sig.add('usage_drop')
    if 'tickets' in tables:
        tk = [t for t in tables['tickets'] if t['id'] == cust.id and t['day'] <= c]
        t1 = sum(1 for t in tk if (c - t['day']).days < 30)
        t0 = sum(1 for t in tk if 30 <= (c - t['day']).days < 60)
        r['tickets'], r['tickets_before'] = t1, t0
        if t1 >= 3 and t1 >= 2 * t0:
            sig.add('tickets_up')
    r0 = r1 = None
    if 'orders' in tables:
        od = [x for x in tables['orders'] if x['id'] == cust.id and x['day'] <= c]
        r1 = sum((x['amount'] for x in od if (c - x['day']).days < 90), Fraction(0))
        r0 = sum((x['amount'] for x in od if 90 <= (c - x['day']).days < 180), Fraction(0))
        if len(od) >= 2 and (c - max(x['day'] for x in od)).days > 365 + o['grace']:
            sig.add('missed_renewal')
    elif o['has_mrr']:
        r1, r0 = r['mrr'], mrr_on(cust, c - 90 * ONE_DAY)
    if r1 is not None:
        r['revenue'] = pct(r1 - r0, r0)
        if r0 > 0 and (r1 - r0) * 100 / r0 <= -o['revenue_drop']:
            sig.add('revenue_down')
    r['renewal'] = anniversary_in(life[0], c)
    if 'survey' in tables:
        ans = [a for a in tables['survey'] if a['id'] == cust.id and a['day'] <= c]
        if ans:
            latest = max(ans, key=lambda a: (a['day'], a['line']))
            r['nps'] = latest['score']
            if latest['score'] < 9:
                sig.add('nps_below_9')
        else:
            r['nps'] = ''
    health = max(0, 100 - sum(o['weights'][s] for s in sig))
    r['signals'] = ';'.join(s for s in SIGNALS if s in sig)
    r['health'] = health
    r['zone'] = 1 if health >= o['zones'][0] else 2 if health >= o['zones'][1] else 3
    r['life'] = life
    return r


def risk(custs, tables, o, as_of):
    rows = [x for x in (risk_row(as_of, cu, tables, o) for cu in custs.values()) if x]
    rows.sort(key=lambda x: (-x['zone'], -x['mrr'], x['id'].encode()))
    return rows


def risk_table(custs, tables, o, as_of):
    cols = ['id'] + (['plan'] if o['by'] else []) + (['mrr'] if o['has_mrr'] else [])
    cols += ['tenure_days', 'stage']
    if 'events' in tables:
        cols += ['days_silent', 'usage_change_pct']
    if 'tickets' in tables:
        cols += ['tickets', 'tickets_before']
    if 'orders' in tables or o['has_mrr']:
        cols += ['revenue_change_pct']
    cols += ['renewal_in_days'] + (['nps'] if 'survey' in tables else [])
    cols += ['signals', 'health', 'zone']
    out = [','.join(cols)]
    for r in risk(custs, tables, o, as_of):
        cells = [r['id']] + ([r['seg']] if o['by'] else [])
        if o['has_mrr']:
            cells.append(money(r['mrr']))
        cells += [str(r['tenure']), stage_name(r['tenure'])]
        if 'events' in tables:
            cells += [str(r['days_silent']), r['usage']]
        if 'tickets' in tables:
            cells += [str(r['tickets']), str(r['tickets_before'])]
        if 'orders' in tables or o['has_mrr']:
            cells.append(r['revenue'])
        cells.append(str(r['renewal']))
        if 'survey' in tables:
            cells.append(str(r['nps']))
        cells += [r['signals'], str(r['health']), str(r['zone'])]
        out.append(','.join(cells))
    return out


def p_value(x1, n1, x2, n2):
    if n1 <= 0 or n2 <= 0 or x1 + x2 == 0 or x1 + x2 == n1 + n2:
        return None
    p1, p2, p = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def risk_summary(custs, tables, o, as_of):
    now = risk(custs, tables, o, as_of)
    back_day = as_of - o['horizon'] * ONE_DAY
    back = [x for x in (risk_row(back_day, cu, tables, o) for cu in custs.values()) if x]
    allc = len(now)
    allm = sum((x['mrr'] for x in now), Fraction(0))
    cols = ['zone', 'customers', 'customers_pct'] + (['mrr', 'mrr_pct'] if o['has_mrr'] else [])
    cols += ['backtest_customers', 'backtest_churned', 'churned_pct', 'p_value']
    out = [','.join(cols)]
    bt = {}
    for z in (1, 2, 3):
        inz = [x for x in back if x['zone'] == z]
        bt[z] = (sum(1 for x in inz if x['life'][1] is not None), len(inz))
    for z in (1, 2, 3):
        zs = [x for x in now if x['zone'] == z]
        m = sum((x['mrr'] for x in zs), Fraction(0))
        cells = [str(z), str(len(zs)), pct(len(zs), allc)]
        if o['has_mrr']:
            cells += [money(m), pct(m, allm)]
        cells += [str(bt[z][1]), str(bt[z][0]), pct(bt[z][0], bt[z][1])]
        pv = p_value(bt[z][0], bt[z][1], bt[1][0], bt[1][1]) if z > 1 else None
        cells.append('' if pv is None else '~%.4f' % pv)
        out.append(','.join(cells))
    return out


# ---- periods ----------------------------------------------------------------

def period_of(kind, d):
    if kind == 'day':
        return d.toordinal()
    if kind == 'week':
        return (d.toordinal() - d.isoweekday()) // 7
    if kind == 'month':
        return d.year * 12 + d.month - 1
    if kind == 'quarter':
        return d.year * 4 + (d.month - 1) // 3
    return d.year


def period_label(kind, p):
    if kind == 'day':
        return dt.date.fromordinal(p).isoformat()
    if kind == 'week':
        monday = dt.date.fromordinal(p * 7 + 1)
        y, w, _ = monday.isocalendar()
        return '%04d-W%02d' % (y, w)
    if kind == 'month':
        return '%04d-%02d' % (p // 12, p % 12 + 1)
    if kind == 'quarter':
        return '%04d-Q%d' % (p // 4, p % 4 + 1)
    return '%04d' % p


# ---- nps ------------------------------------------------------------------

def group(score):
    return 'promoter' if score >= 9 else 'passive' if score >= 7 else 'detractor'


def nps(answers, custs, o):
    """answers: dicts id (or None), day, score, line. custs: None without a
    customer table. Returns the lines of the table retain nps prints."""
    ans = [a for a in answers if o['as_of'] is None or a['day'] <= o['as_of']]
    if custs is not None:
        ans = [a for a in ans if a['id'] in custs]
    as_of = o['as_of'] if o['as_of'] is not None else max(a['day'] for a in ans)
    if o['below'] is not None:
        latest = {}
        for a in ans:
            if a['id'] is None:
                continue
            k = (a['day'], a['line'])
            if a['id'] not in latest or k >= (latest[a['id']]['day'], latest[a['id']]['line']):
                latest[a['id']] = a
        rows = []
        for cid, a in latest.items():
            if a['score'] >= o['below']:
                continue
            life = life_on(custs[cid], as_of) if custs is not None else None
            m = mrr_on(custs[cid], as_of) if life else Fraction(0)
            rows.append((m, a['score'], cid, a, life))
        rows.sort(key=lambda x: (-x[0], x[1], x[2].encode()))
        out = ['id,score,date' + (',mrr,tenure_days' if custs is not None else '')]
        for m, s, cid, a, life in rows:
            line = '%s,%d,%s' % (cid, s, a['day'].isoformat())
            if custs is not None:
                line += ',%s,%d' % (money(m), (as_of - life[0]).days) if life else ',,'
            out.append(line)
        return out
    if o['churn'] is not None:
        h = o['churn']
        cnt = {g: [0, 0] for g in ('promoter', 'passive', 'detractor')}
        for a in ans:
            life = life_on(custs[a['id']], a['day'])
            if life is None or (a['day'] - as_of).days + h > 0:
                continue
            g = cnt[group(a['score'])]
            g[0] += 1
            g[1] += life[1] is not None and (life[1] - a['day']).days <= h
        out = ['group,answers,churned,churned_pct,p_value']
        for g in ('promoter', 'passive', 'detractor'):
            pv = None if g == 'promoter' else p_value(cnt[g][1], cnt[g][0], cnt['promoter'][1],
                                                       cnt['promoter'][0])
            out.append('%s,%d,%d,%s,%s' % (g, cnt[g][0], cnt[g][1], pct(cnt[g][1], cnt[g][0]),
                                           '' if pv is None else '~%.4f' % pv))
        return out
    kind = o['period']
    cells = {}

    def seg_of(a):
        if not o['by'] or custs is None:
            return ''
        life = life_on(custs[a['id']], a['day'])
        return life[2] if life else ''
    counted = ans
    if o['latest']:
        last = {}
        for a in ans:
            k = (a['id'], period_of(kind, a['day']))
            if k not in last or (a['day'], a['line']) >= (last[k]['day'], last[k]['line']):
                last[k] = a
        counted = list(last.values())
    for a in counted:
        key = (seg_of(a), period_of(kind, a['day']))
        c = cells.setdefault(key, [0, 0, 0, 0])
        c[0] += 1
        c[{'promoter': 1, 'passive': 2, 'detractor': 3}[group(a['score'])]] += 1
    first = period_of(kind, min(a['day'] for a in ans))
    last_p = max(first, period_of(kind, as_of))
    segs = sorted({seg_of(a) for a in ans}, key=lambda s: s.encode())
    head = (['plan'] if o['by'] else []) + ['period', 'responses', 'promoters', 'passives',
                                            'detractors', 'promoters_pct', 'passives_pct',
                                            'detractors_pct', 'nps', 'moe']
    out = [','.join(head)]
    for s in segs:
        for p in range(first, last_p + 1):
            n, pr, pa, de = cells.get((s, p), [0, 0, 0, 0])
            moe = ''
            if n:
                v = (Fraction(pr + de) * n - (pr - de) ** 2) / Fraction(n) ** 3
                moe = '~%.2f' % (1.96 * 100 * math.sqrt(v))
            row = ([s] if o['by'] else []) + [period_label(kind, p), str(n), str(pr), str(pa),
                                              str(de), pct(pr, n), pct(pa, n), pct(de, n),
                                              pct(pr - de, n), moe]
            out.append(','.join(row))
    return out


# ---- activation ---------------------------------------------------------------

def km_median(obs):
    """obs: (t, event). R's rule for the median of the Kaplan-Meier curve."""
    times = sorted({t for t, _ in obs})
    at_risk = len(obs)
    s = Fraction(1)
    steps = []
    for t in times:
        d = sum(1 for x, e in obs if x == t and e)
        c = sum(1 for x, e in obs if x == t and not e)
        if d:
            s *= 1 - Fraction(d, at_risk)
        steps.append((t, d, s))
        at_risk -= d + c
    for i, (t, d, sv) in enumerate(steps):
        if d == 0 or sv > Fraction(1, 2):
            continue
        if sv != Fraction(1, 2):
            return Fraction(t)
        end = steps[-1][0]
        for t2, d2, _ in steps[i + 1:]:
            if d2:
                end = t2
                break
        return Fraction(t + end, 2)
    return None


def activation(custs, events, o, as_of):
    per = {}
    onb = {}
    segs = set()
    first_cohort = None
    for cu in custs.values():
        s, e, seg = cu.lives[0]
        segs.add(seg)
        coh = period_of(o['period'], s)
        first_cohort = coh if first_cohort is None else min(first_cohort, coh)
        acts = [x['day'] for x in events if x['id'] == cu.id and
                (o['event'] is None or x['kind'] == o['event']) and s <= x['day'] and
                (e is None or x['day'] < e) and x['day'] <= as_of]
        observed = ((e if e is not None else as_of) - s).days
        if acts:
            t, ev = (min(acts) - s).days, True
        else:
            t, ev = observed, False
        early = ev and t <= o['within']
        cell = per.setdefault((seg, coh), [0, 0, []])
        cell[0] += 1
        cell[1] += early
        cell[2].append((t, ev))
        if s <= as_of - 90 * ONE_DAY and observed > o['within']:
            b = onb.setdefault(seg, [0, 0, 0, 0])
            churned = e is not None and (e - s).days < 90
            if early:
                b[0] += 1
                b[1] += churned
            else:
                b[2] += 1
                b[3] += churned
    segs = sorted(segs, key=lambda x: x.encode())
    lead = ['plan'] if o['by'] else []
    if o['onboarding']:
        out = [','.join(lead + ['group', 'customers', 'churned', 'onboarding_churn_pct'])]
        for sg in segs:
            b = onb.get(sg, [0, 0, 0, 0])
            for name, n, ch in (('early', b[0], b[1]), ('late_or_never', b[2], b[3])):
                out.append(','.join(([sg] if o['by'] else []) + [name, str(n), str(ch),
                                                                  pct(ch, n)]))
        return out
    out = [','.join(lead + ['cohort', 'customers', 'activated', 'activated_pct', 'median_days'])]
    last = period_of(o['period'], as_of)
    for sg in segs:
        for p in range(first_cohort, last + 1):
            n, a, obs = per.get((sg, p), [0, 0, []])
            med = km_median(obs) if obs else None
            out.append(','.join(([sg] if o['by'] else []) + [
                period_label(o['period'], p), str(n), str(a), pct(a, n),
                '' if med is None else round_half_away(med, 2)]))
    return out
