#!/usr/bin/env python3
"""Writes the tables beside examples/hubspot-export.csv that retain report
reads: product events, support tickets and NPS answers of the first half
of 2025 for the customers active then, and a goals and an ROI file.
Fixed seed: running it again rewrites the same bytes. Every figure is
invented.

    python3 examples/make-report-examples.py
"""
import csv
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20250630)
FIRST, LAST = datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)


def day(text):
    return datetime.date.fromisoformat(text[:10]) if text.strip() else None


customers = {}
with open(os.path.join(HERE, "hubspot-export.csv"), newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        start, end = day(row["Became a Customer Date"]), day(row["Churn Date"])
        if start > LAST or (end and end <= FIRST):
            continue
        c = customers.setdefault(row["Record ID"], {"start": start, "end": end,
                                                     "plan": row["Plan"]})
        c["start"] = min(c["start"], start)
        if end is None or c["end"] is None:  # any open row: still a customer
            c["end"] = None
        else:
            c["end"] = max(c["end"], end)

events, tickets, answers = [], [], []
seats_by_plan = {"Starter": 3, "Growth": 8, "Pro": 15, "Enterprise": 60, "Add-on": 5}
for cid in sorted(customers):
    c = customers[cid]
    lo = max(c["start"], FIRST)
    hi = min(c["end"] - datetime.timedelta(days=1), LAST) if c["end"] else LAST
    if lo > hi:
        continue
    seats = seats_by_plan.get(c["plan"], 5)
    trend = rng.choice([-0.25, -0.1, 0.0, 0.1, 0.2, 0.35])  # usage drifting down or up
    fading = c["end"] is not None and rng.random() < 0.7      # churners go quiet first
    last_event = hi
    if c["end"] is None and rng.random() < 0.12:              # and some still paying
        last_event = min(hi, LAST - datetime.timedelta(days=75))
    d = lo
    while d <= last_event:
        weeks = (d - FIRST).days / 7.0  # a row every four weeks holds their counts
        level = max(0.05, 1 + trend * weeks / 26 - (0.6 if fading and (hi - d).days < 45 else 0))
        for kind, base in (("login", 16.0), ("report_created", 4.8), ("export", 1.6)):
            n = int(rng.gauss(base * seats * level, base * seats * 0.15))
            if n > 0:
                events.append((cid, d.isoformat(), kind, n))
        seats = max(1, seats + rng.choice([-1, 0, 0, 0, 1, 1, 2]) * (1 if trend >= 0 else -1))
        events.append((cid, d.isoformat(), "seats", seats))
        d += datetime.timedelta(days=28)
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])):
        t = lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))
        tickets.append((cid, t.isoformat(), rng.choice(["bug", "billing", "how-to", "outage"])))
    if rng.random() < 0.6:
        t = lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))
        score = rng.choice([10, 10, 9, 9, 9, 8, 8, 7, 6, 5, 3]) if trend >= 0 and not fading \
            else rng.choice([9, 8, 7, 6, 6, 5, 4, 2])
        answers.append((cid, t.isoformat(), score))


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(sorted(rows, key=lambda r: (r[1], r[0], str(r[2]))))


write("events.csv", ["customer_id", "date", "event", "value"], events)
write("tickets.csv", ["customer_id", "created_at", "type"], tickets)
write("survey.csv", ["customer_id", "submitted_at", "score"], answers)
with open(os.path.join(HERE, "goals.csv"), "w", encoding="utf-8") as f:
    f.write("metric,target,higher_is_better\n"
            "customers,160,yes\n"
            "retention_pct,95,yes\n"
            "churn_pct:onboarding,5,no\n"
            "ltv,12000,yes\n"
            "nrr_pct,100,yes\n"
            "nps,0,yes\n")
with open(os.path.join(HERE, "account-goals.csv"), "w", encoding="utf-8") as f:
    f.write("metric,target,higher_is_better\n"
            "usage:report_created,1200,yes\n"
            "tickets:bug,1,no\n"
            "health,75,yes\n")
with open(os.path.join(HERE, "roi.csv"), "w", encoding="utf-8") as f:
    f.write("metric,before,after,unit\n"
            "Hours to close the books,40,12,hours per month\n"
            "Churned customers spotted early,2,9,per quarter\n"
            "Report preparation,6,0.5,hours per report\n")
