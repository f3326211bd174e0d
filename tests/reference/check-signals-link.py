#!/usr/bin/env python3
"""Does retain find the link between warning signs and churn where there is
one, and only there? On bench/gen-events.c's data, where 75 % of the
churners fall silent, use less, open tickets and answer as detractors
before they leave, the backtest of `retain risk --summary` must show zone 3
churning more than zone 1 and `retain nps --churn 90` detractors churning
more than promoters, both with p < 0.001; and the onboarding churn of late
activations must exceed that of early ones. On the same world with
--no-link (churn independent of every signal), neither may claim a
difference: every p-value >= 0.01.

    check-signals-link.py RETAIN GEN_EVENTS"""
import csv
import os
import subprocess
import sys
import tempfile


def table(retain, args, cwd):
    p = subprocess.run([retain] + args, cwd=cwd, capture_output=True, text=True, check=True)
    return list(csv.DictReader(p.stdout.splitlines()))


def num(x):
    return float(x) if x != '' else None


def main():
    retain, gen = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    fails = []
    for link in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([gen] + ([] if link else ['--no-link']) +
                           ['--seed', '7', '--events', '300000', '3000', tmp], check=True,
                           capture_output=True)
            zones = table(retain, ['risk', '-q', '--events', 'events.csv', '--tickets',
                                   'tickets.csv', '--survey', 'survey.csv', '--summary',
                                   'crm.csv'], tmp)
            groups = table(retain, ['nps', '-q', '--churn', '90', 'survey.csv', 'crm.csv'], tmp)
            onb = table(retain, ['activation', '-q', '--events', 'events.csv', '--event',
                                 'report', '--onboarding', 'crm.csv'], tmp)
            name = 'linked' if link else 'no link'
            z1, z3 = zones[0], zones[2]
            g = {r['group']: r for r in groups}
            print('%s: backtest churn zone 1 %s%% (%s), zone 2 %s%% (p %s), zone 3 %s%% (%s, p %s); '
                  'nps churn promoters %s%%, passives %s%% (p %s), detractors %s%% (p %s); '
                  'onboarding churn early %s%%, late %s%%' % (
                      name, z1['churned_pct'], z1['backtest_customers'], zones[1]['churned_pct'],
                      zones[1]['p_value'], z3['churned_pct'], z3['backtest_customers'],
                      z3['p_value'], g['promoter']['churned_pct'], g['passive']['churned_pct'],
                      g['passive']['p_value'], g['detractor']['churned_pct'],
                      g['detractor']['p_value'], onb[0]['onboarding_churn_pct'],
                      onb[1]['onboarding_churn_pct']))
            if link:
                if not (num(z3['churned_pct']) > num(z1['churned_pct']) and
                        num(z3['p_value']) < 0.001):
                    fails.append('linked: zone 3 does not churn more than zone 1')
                if not (num(g['detractor']['churned_pct']) > num(g['promoter']['churned_pct']) and
                        num(g['detractor']['p_value']) < 0.001):
                    fails.append('linked: detractors do not churn more than promoters')
                if not num(onb[1]['onboarding_churn_pct']) > num(onb[0]['onboarding_churn_pct']):
                    fails.append('linked: late activations do not churn more in onboarding')
            else:
                for r in zones[1:]:
                    if r['p_value'] != '' and num(r['p_value']) < 0.01:
                        fails.append('no link: zone %s claims a difference (p %s)' %
                                     (r['zone'], r['p_value']))
                for k in ('passive', 'detractor'):
                    if g[k]['p_value'] != '' and num(g[k]['p_value']) < 0.01:
                        fails.append('no link: %ss claim a difference (p %s)' %
                                     (k, g[k]['p_value']))
    for f in fails:
        print('FAIL: ' + f)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
