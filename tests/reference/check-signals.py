#!/usr/bin/env python3
"""Differential test of retain risk, nps and activation against the
independent reference signals.py, on random tables: customers with no
events, events before the start or after as-of, unknown ids, ids with
spaces around them, date-times near midnight in other zones (the day as
written), back-to-back rows, win-backs, rows of no day, answers of one day,
decimal values; random thresholds, weights, periods and options.

    check-signals.py RETAIN [--seeds N]

Cells marked ~ in the reference (p-values, margins of error: floating
point) must agree within one unit of their last decimal; every other byte
must be equal."""
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import signals as ref  # noqa: E402

BASE = dt.date(2024, 1, 1)
ZONES = ['Z', '-08:00', '-05:00', '+00:00', '+01:00', '+05:30', '+09:00', '+14:00', '-11:00']


def day(n):
    return BASE + dt.timedelta(days=n)


def stamp(rng, d):
    """An ISO date or date-time for day d as written, often near midnight."""
    r = rng.random()
    if r < 0.4:
        return d.isoformat()
    if r < 0.7:
        t = rng.choice(['23:59:59', '00:00:01', '23:30', '00:05:00'])
    else:
        t = '%02d:%02d:%02d' % (rng.randrange(24), rng.randrange(60), rng.randrange(60))
    sep = 'T' if rng.random() < 0.8 else ' '
    return d.isoformat() + sep + t + rng.choice(ZONES)


def amount(rng):
    return Fraction(rng.randrange(0, 200000), 100)


def write(path, header, rows):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def make_world(rng, tmp):
    ids = ['C%02d' % i for i in range(rng.randint(1, 14))]
    crm = []
    for cid in ids:
        s = rng.randrange(0, 330)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            kind = rng.random()
            if kind < 0.15:
                e = s  # a row of no day
            elif kind < 0.45:
                e = None
            else:
                e = s + rng.randrange(1, 200)
            crm.append({'id': cid, 'start': day(s), 'end': None if e is None else day(e),
                        'mrr': amount(rng), 'seg': rng.choice(['Basic', 'Pro', 'Ent'])})
            # next row back to back, overlapping, or after a gap (win-back)
            s = (e if e is not None else s) + rng.choice([0, 0, -3, 5, 40])
            s = max(s, 0)
    rng.shuffle(crm)
    write(os.path.join(tmp, 'crm.csv'), ['customer_id', 'signup_date', 'churn_date', 'mrr', 'plan'],
          [[(' ' + r['id']) if rng.random() < 0.1 else r['id'], r['start'].isoformat(),
            '' if r['end'] is None else r['end'].isoformat(), '%.2f' % float(r['mrr']), r['seg']]
           for r in crm])
    known = ids + ['X9'] * 1  # an unknown id

    def some_id():
        return rng.choice(known) if rng.random() < 0.93 else 'ZZ'

    tables = {}
    with_value = rng.random() < 0.7
    ev, evrows = [], []
    for i in range(rng.randint(0, 60)):
        cid, d = some_id(), day(rng.randrange(0, 420))
        kind = rng.choice(['login', 'login', 'report', 'invite'])
        v = Fraction(rng.choice([1, 2, 3, 5, 10, 25]), rng.choice([1, 1, 2])) if with_value else Fraction(1)
        ev.append({'id': cid, 'day': d, 'kind': kind, 'value': v, 'line': i + 2})
        row = [cid, stamp(rng, d), kind]
        if with_value:
            row.append(str(v.numerator) if v.denominator == 1 else '%s' % float(v))
        evrows.append(row)
    if not ev:  # an events table needs a row to have a latest date
        d = day(rng.randrange(0, 420))
        ev.append({'id': 'ZZ', 'day': d, 'kind': 'login', 'value': Fraction(1), 'line': 2})
        evrows.append(['ZZ', d.isoformat(), 'login'] + (['1'] if with_value else []))
    write(os.path.join(tmp, 'events.csv'), ['customer_id', 'timestamp', 'event'] +
          (['value'] if with_value else []), evrows)
    tables['events'] = ev
    tk = [{'id': some_id(), 'day': day(rng.randrange(300, 420))} for _ in range(rng.randint(1, 30))]
    write(os.path.join(tmp, 'tickets.csv'), ['customer_id', 'created_at'],
          [[t['id'], stamp(rng, t['day'])] for t in tk])
    tables['tickets'] = tk
    sv = []
    for i in range(rng.randint(1, 25)):
        d = day(rng.randrange(0, 420))
        sv.append({'id': some_id(), 'day': d, 'score': rng.randrange(11), 'line': i + 2})
        if rng.random() < 0.2 and sv:  # another answer the same day
            sv.append({'id': sv[-1]['id'], 'day': d, 'score': rng.randrange(11), 'line': i + 3})
    for i, a in enumerate(sv):
        a['line'] = i + 2
    write(os.path.join(tmp, 'survey.csv'), ['customer_id', 'submitted_at', 'score'],
          [[a['id'], stamp(rng, a['day']), a['score']] for a in sv])
    tables['survey'] = sv
    od = [{'id': some_id(), 'day': day(rng.randrange(-400, 420)), 'amount': amount(rng)}
          for _ in range(rng.randint(1, 20))]
    write(os.path.join(tmp, 'orders.csv'), ['customer_id', 'order_date', 'amount'],
          [[x['id'], x['day'].isoformat(), '%.2f' % float(x['amount'])] for x in od])
    tables['orders'] = od
    return crm, tables


def run(retain, args, cwd):
    p = subprocess.run([retain] + args, cwd=cwd, capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL='C'))
    return p.returncode, p.stdout.splitlines(), p.stderr


def same(want, got):
    if len(want) != len(got):
        return False
    for w, g in zip(want, got):
        wc, gc = w.split(','), g.split(',')
        if len(wc) != len(gc):
            return False
        for a, b in zip(wc, gc):
            if a.startswith('~'):
                if b == '' or abs(float(a[1:]) - float(b)) > 1.01 * 10 ** -len(a.split('.')[1]):
                    return False
            elif a != b:
                return False
    return True


def check(seed, retain, tmp):
    rng = random.Random(seed)
    crm, tables = make_world(rng, tmp)
    fails = []

    def compare(args, want, what):
        code, out, err = run(retain, args, tmp)
        if code != 0 or not same(want, out):
            fails.append('seed %d: %s: retain %s\n  exit %d %s\n  want: %s\n  got:  %s' % (
                seed, what, ' '.join(args), code, err.strip()[:300], '\n        '.join(want[:8]),
                '\n        '.join(out[:8])))

    for a in crm:
        a['id'] = a['id'].strip()

    def rows(by):  # without --by every life is in segment ""
        return crm if by else [dict(r, seg='') for r in crm]

    gap = rng.choice([0, 0, 0, 3, 30])
    gap_args = ['--merge-gap', str(gap)] if gap else []
    # ---- risk
    given = [k for k in ('tickets', 'survey', 'orders') if rng.random() < 0.6]
    o = {'activity': rng.choice([None, None, 'login']), 'silence': rng.choice([60, 10, 30]),
         'window': rng.choice([7, 3, 14]), 'drop': rng.choice([10, 0, 50]),
         'revenue_drop': 10, 'grace': rng.choice([30, 0]), 'horizon': rng.choice([90, 30, 120]),
         'weights': dict(ref.DEFAULT_WEIGHTS), 'zones': (75, 50), 'by': rng.random() < 0.3,
         'has_mrr': True}
    args = ['risk', '--events', 'events.csv'] + gap_args
    for k in given:
        args += ['--' + k, k + '.csv']
    if o['activity']:
        args += ['--activity', o['activity']]
    args += ['--silence', str(o['silence']), '--window', str(o['window']), '--drop',
             str(o['drop']), '--grace', str(o['grace']), '--horizon', str(o['horizon'])]
    if rng.random() < 0.4:
        o['weights']['silent'] = rng.randrange(0, 101)
        o['weights']['nps_below_9'] = rng.randrange(0, 101)
        args += ['--weights', 'silent=%d,nps_below_9=%d' % (o['weights']['silent'],
                                                           o['weights']['nps_below_9'])]
    if rng.random() < 0.3:
        o['zones'] = (90, 40)
        args += ['--zones', '90,40']
    if o['by']:
        args += ['--by', 'plan']
    if rng.random() < 0.4:
        as_of = day(rng.randrange(100, 420))
        args += ['--as-of', as_of.isoformat()]
    else:
        as_of = max(e['day'] for e in tables['events'])
    t = {'events': tables['events']}
    for k in given:
        t[k] = tables[k]
    custs = ref.build_customers(rows(o['by']), as_of, gap)
    summary = rng.random() < 0.4
    if summary:
        want = ref.risk_summary(custs, t, o, as_of)
        compare(args + ['--summary', 'crm.csv'], want, 'risk --summary')
    else:
        want = ref.risk_table(custs, t, o, as_of)
        compare(args + ['crm.csv'], want, 'risk')
    # ---- nps
    known = {r['id'] for r in crm}
    with_crm = rng.random() < 0.7
    mode = rng.choice(['periods', 'periods', 'below', 'churn'])
    if mode == 'churn' and not with_crm:
        mode = 'periods'
    no = {'as_of': None, 'below': None, 'churn': None, 'latest': rng.random() < 0.4,
          'period': rng.choice(['month', 'quarter', 'week']), 'by': with_crm and rng.random() < 0.4}
    args = ['nps', '--period', no['period']] + gap_args
    if rng.random() < 0.3:
        no['as_of'] = day(rng.randrange(50, 420))
        args += ['--as-of', no['as_of'].isoformat()]
    if no['latest']:
        args.append('--latest')
    if no['by']:
        args += ['--by', 'plan']
    if mode == 'below':
        no['below'] = rng.choice([9, 7, 11])
        args += ['--below', str(no['below'])]
    elif mode == 'churn':
        no['churn'] = rng.choice([30, 90])
        args += ['--churn', str(no['churn'])]
    ans = [a for a in tables['survey'] if not with_crm or a['id'] in known]
    if no['as_of'] is not None:
        ans = [a for a in ans if a['day'] <= no['as_of']]
    if ans:
        nps_as_of = no['as_of'] or max(a['day'] for a in ans)
        ncust = None
        if with_crm:
            # customers whose rows all start after as-of are still customers
            ncust = ref.build_customers(rows(no['by']), nps_as_of, gap)
            for cid in known:
                ncust.setdefault(cid, ref.Customer(cid))
        want = ref.nps(tables['survey'], ncust, no)
        compare(args + ['survey.csv'] + (['crm.csv'] if with_crm else []), want, 'nps ' + mode)
    # ---- activation
    ao = {'event': rng.choice([None, 'report', 'login']), 'within': rng.choice([30, 7, 0]),
          'period': rng.choice(['month', 'quarter', 'week']), 'by': rng.random() < 0.3,
          'onboarding': rng.random() < 0.4}
    args = ['activation', '--events', 'events.csv', '--within', str(ao['within']), '--period',
            ao['period']] + gap_args
    if ao['event']:
        args += ['--event', ao['event']]
    if ao['by']:
        args += ['--by', 'plan']
    if ao['onboarding']:
        args.append('--onboarding')
    if rng.random() < 0.3:
        a_as_of = day(rng.randrange(100, 420))
        args += ['--as-of', a_as_of.isoformat()]
    else:
        a_as_of = max(r['start'] for r in crm)
    acust = ref.build_customers(rows(ao['by']), a_as_of, gap)
    if acust:
        want = ref.activation(acust, tables['events'], ao, a_as_of)
        compare(args + ['crm.csv'], want, 'activation')
    return fails


def main():
    retain = os.path.abspath(sys.argv[1])
    seeds = int(sys.argv[sys.argv.index('--seeds') + 1]) if '--seeds' in sys.argv else 200
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(seeds):
            fails += check(seed, retain, tmp)
            if len(fails) >= 5:
                break
    for f in fails:
        print(f)
    print('check-signals: %d seeds, %s' % (seeds, 'FAILED' if fails else 'all equal'))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
