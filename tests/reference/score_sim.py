"""Simulated customers, events and tickets for the retain score tests.

Each customer switches between engaged (an event on 40 % of days, several
per day) and disengaged (1 % of days) about every 120 days. Its daily churn
hazard is logistic: -7 + 0.05 x days of silence (capped at 150) - 0.15 x
events of the last 7 days (mode "signal"), a constant 0.3 % ("random"), or
that constant with a ticket logged on each churn day ("leak": a feature
that would predict churn perfectly if data after the cutoff leaked into
it). Deterministic for a seed. Written from SPEC, independent of retain.
"""
import datetime
import math
import random

AS_OF = datetime.date(2025, 6, 30)


def day(d):
    return (AS_OF - datetime.timedelta(days=d)).isoformat()


def simulate(mode, n=2000, seed=7, days=1200):
    """Returns (customers, events, tickets): lists of CSV rows (as lists)."""
    rng = random.Random(seed)
    customers, events, tickets = [], [], []
    plans = ["Basic", "Pro", "Enterprise"]
    for i in range(n):
        cid = "C%05d" % i
        start = rng.randrange(1, days)  # days before as-of
        engaged, last, churn_at = True, start, None
        recent = []  # days (counted down) with their events
        for d in range(start, -1, -1):  # d: days before as-of, decreasing
            if rng.random() < 1 / 120:
                engaged = not engaged
            if rng.random() < (0.4 if engaged else 0.01):
                k = 1 + rng.randrange(3) if engaged else 1
                events.append([cid, day(d), "login", str(k)])
                recent.append((d, k))
                last = d
            recent = [(x, k) for x, k in recent if x < d + 7]
            if mode == "signal":
                silence = min(last - d, 150)
                usage = sum(k for _, k in recent)
                h = 1 / (1 + math.exp(-(-7 + 0.05 * silence - 0.15 * usage)))
            else:
                h = 0.003
            if rng.random() < h:
                churn_at = d - 1  # the first day without service
                break
        end = ""
        if churn_at is not None and churn_at >= 0:
            end = day(churn_at)
            if mode == "leak":
                tickets.append([cid, end, "cancel"])
        mrr = "%d.00" % (20 + rng.randrange(480))
        customers.append([cid, day(start), end, mrr, plans[i % 3]])
    return customers, events, tickets


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def write_all(directory, mode, **kw):
    customers, events, tickets = simulate(mode, **kw)
    write(directory + "/customers.csv",
          ["customer_id", "start_date", "churn_date", "mrr", "plan"], customers)
    write(directory + "/events.csv", ["customer_id", "date", "event", "value"], events)
    write(directory + "/tickets.csv", ["customer_id", "date", "type"], tickets)


if __name__ == "__main__":
    # score_sim.py MODE DIR [N [DAYS [SEED]]]: writes DIR/customers.csv,
    # DIR/events.csv and DIR/tickets.csv
    import sys
    args = sys.argv[1:]
    n = int(args[2]) if len(args) > 2 else 2000
    days = int(args[3]) if len(args) > 3 else 1200
    seed = int(args[4]) if len(args) > 4 else 7
    write_all(args[1], args[0], n=n, days=days, seed=seed)
