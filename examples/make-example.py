#!/usr/bin/python3
"""Write the bundled example exports, deterministically.

    python3 examples/make-example.py [--canonical DIR]

writes examples/hubspot-export.csv (~300 subscription rows, HubSpot
companies export, 2023-01 .. 2025-06) and examples/french-export.csv (~100
rows, French Excel export).  Fixed seeds: rerunning gives identical bytes.
With --canonical DIR it also writes DIR/hubspot-export.canonical.csv and
DIR/french-export.canonical.csv (`id,start,end,mrr`, ISO dates) for checking
retain against tests/reference/trc.py; those are not part of the example.
"""

import argparse
import datetime as dt
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST = dt.date(2023, 1, 1)
LAST = dt.date(2025, 6, 30)  # the last day a customer can start

PLANS = [("Starter", 49, 99), ("Growth", 199, 499), ("Pro", 600, 1500),
         ("Enterprise", 2000, 6000)]
PLAN_W = [5, 4, 2, 1]
REASONS = ["Price", "Switched to competitor", "Budget cuts", "Missing feature",
           "Went out of business", "Poor onboarding", "No longer needed", ""]


def month_starts(a, b):
    d = a.replace(day=1)
    while d <= b:
        yield d
        d = (d + dt.timedelta(days=32)).replace(day=1)


def simulate(rng, per_month, churn_p, winback_p, upgrade_p):
    """A subscription book: list of (customer, start, end|None, mrr, plan)."""
    rows = []
    cust = 0
    for m in month_starts(FIRST, LAST):
        n = max(1, int(rng.gauss(per_month(m), 1.5)))
        for _ in range(n):
            cust += 1
            dim = ((m + dt.timedelta(days=32)).replace(day=1) - m).days
            start = m + dt.timedelta(days=rng.randrange(dim))
            if start > LAST:
                continue
            plan = rng.choices(PLANS, PLAN_W)[0]
            mrr = round(rng.uniform(plan[1], plan[2]) / 5) * 5 - rng.choice([0, 0, 0.01, 0.5])
            s = start
            while True:
                # months of tenure: geometric with the monthly churn hazard
                months = 0
                while rng.random() > churn_p and months < 60:
                    months += 1
                end = s + dt.timedelta(days=int(30.44 * months) + rng.randrange(28))
                if end > LAST + dt.timedelta(days=90):
                    end = None
                elif end <= s:
                    end = s + dt.timedelta(days=rng.choice([0, 3, 12]))
                # an add-on (extra seats) overlapping the current row and
                # ending with it
                if rng.random() < upgrade_p:
                    span = (end - s).days if end else (LAST - s).days
                    up = s + dt.timedelta(days=rng.randrange(max(1, span)))
                    if up <= LAST:
                        rows.append((cust, up, end, round(mrr * 0.3, 2),
                                     "Add-on"))
                rows.append((cust, s, end, mrr, plan[0]))
                if end is None or rng.random() > winback_p:
                    break
                s = end + dt.timedelta(days=rng.randint(30, 300))
                if s > LAST:
                    break
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


# ------------------------------------------------------------------ HubSpot

PREFIX = ["Blue", "North", "Bright", "Silver", "Rapid", "Green", "Iron",
          "Summit", "Harbor", "Pixel", "Quantum", "Cedar", "Atlas", "Nova",
          "Orbit", "Maple", "Granite", "Lumen", "Vertex", "Coastal"]
CORE = ["Analytics", "Logistics", "Bakery", "Dental", "Robotics", "Media",
        "Labs", "Outfitters", "Consulting", "Software", "Foods", "Health",
        "Legal", "Design", "Energy", "Motors", "Travel", "Studios"]
SUFFIX = ["Inc.", ", Inc.", "LLC", ", LLC", "Ltd", "Co.", "Group", "GmbH",
          "& Sons", ""]
COUNTRIES = ["United States"] * 6 + ["Canada", "United Kingdom", "Germany",
                                     "Australia", "France", "Netherlands"]


def company(rng, i):
    name = "%s %s" % (rng.choice(PREFIX), rng.choice(CORE))
    suf = rng.choice(SUFFIX)
    if suf:
        name = name + (suf if suf.startswith(",") else " " + suf)
    r = rng.random()
    if r < 0.04:
        name = '%s "%s"' % (name, rng.choice(["The Original", "Beta", "Europe"]))
    elif r < 0.05:
        name = name + "\nAccounts Payable"
    return name


def q(v, delim=","):
    if any(c in v for c in (delim, '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v


def hub_money(rng, x):
    s = "{:,.2f}".format(x)
    r = rng.random()
    if r < 0.6:
        s = "$" + s
    return q(s) if (rng.random() < 0.7 or "," in s) else s


def hub_dt(rng, d):
    return "%s %02d:%02d" % (d.isoformat(), rng.randint(7, 23), rng.choice([0, 5, 15, 30, 42, 59]))


def hubspot(path, canon):
    rng = random.Random(20230101)
    rows = simulate(rng, lambda m: 6 + (m - FIRST).days / 130.0, 0.045, 0.25,
                    0.05)
    ids, names = {}, {}
    out = ["Record ID,Company name,Create Date,Became a Customer Date,"
           "Churn Date,Churn Reason,MRR,Plan,Country"]
    cout = ["id,start,end,mrr"]
    for cust, s, e, mrr, plan in rows:
        if cust not in ids:
            ids[cust] = str(8_100_000_000 + rng.randrange(900_000_000))
            names[cust] = (company(rng, cust), rng.choice(COUNTRIES))
        create = s - dt.timedelta(days=rng.randint(3, 400))
        reason = rng.choice(REASONS) if e else ""
        out.append(",".join([
            ids[cust], q(names[cust][0]), hub_dt(rng, create), hub_dt(rng, s),
            hub_dt(rng, e) if e else "", q(reason), hub_money(rng, mrr), plan,
            q(names[cust][1])]))
        cout.append("%s,%s,%s,%.2f" % (ids[cust], s, e or "", mrr))
    with open(path, "wb") as f:
        f.write(("\n".join(out) + "\n").encode())
    if canon:
        with open(canon, "w") as f:
            f.write("\n".join(cout) + "\n")
    return len(rows)


# ------------------------------------------------------------------ French

FR_A = ["Boulangerie", "Cabinet", "Atelier", "Pharmacie", "Librairie",
        "Garage", "Fromagerie", "Agence", "Brasserie", "Société", "Maison",
        "Clinique"]
FR_B = ["Dupont", "Lefèvre", "du Château", "de l'Étoile", "Müller",
        "Beaulieu", "Côte Sud", "Saint-Éloi", "Gérard & Fils", "des Près",
        "Noël", "Hélène"]
FR_FORM = ["SARL", "SAS", "SA", "EURL", ""]
FR_PAYS = ["France"] * 6 + ["Belgique", "Suisse", "Luxembourg", "Canada",
                            "Côte d'Ivoire"]
FR_OFFRE = {"Starter": "Essentiel", "Growth": "Croissance", "Pro": "Pro",
            "Enterprise": "Entreprise", "Add-on": "Option"}


def fr_money(rng, x):
    whole, cents = ("%.2f" % x).split(".")
    w = int(whole)
    sep = rng.choice([" ", "\u00a0", "\u202f"])
    if w >= 1000:
        whole = "%d%s%03d" % (w // 1000, sep, w % 1000)
    return "%s,%s%s€" % (whole, cents, rng.choice([" ", "\u00a0"]))


def french(path, canon):
    rng = random.Random(1789)
    rows = simulate(rng, lambda m: 2.8 + (m - FIRST).days / 500.0, 0.04, 0.2,
                    0.03)
    ids, names = {}, {}
    out = ["customer_id;Raison sociale;start_date;end_date;monthly_revenue;"
           "Offre;Pays;Motif de résiliation"]
    cout = ["id,start,end,mrr"]
    motifs = ["Prix trop élevé", "Passé à la concurrence", "Cessation d'activité",
              "Fonctionnalité manquante", "Budget réduit; projet gelé", ""]
    for cust, s, e, mrr, plan in rows:
        if cust not in ids:
            ids[cust] = "CLI-%05d" % (10000 + len(ids) * 37 % 90000)
            names[cust] = ("%s %s %s" % (rng.choice(FR_A), rng.choice(FR_B),
                                         rng.choice(FR_FORM))).strip()
            names[cust] = (names[cust], rng.choice(FR_PAYS))
        motif = rng.choice(motifs) if e else ""
        out.append(";".join([
            ids[cust], q(names[cust][0], ";"), s.strftime("%d/%m/%Y"),
            e.strftime("%d/%m/%Y") if e else "", fr_money(rng, mrr),
            FR_OFFRE[plan], q(names[cust][1], ";"), q(motif, ";")]))
        cout.append("%s,%s,%s,%.2f" % (ids[cust], s, e or "", mrr))
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + ("\r\n".join(out) + "\r\n").encode())
    if canon:
        with open(canon, "w") as f:
            f.write("\n".join(cout) + "\n")
    return len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--canonical", metavar="DIR")
    a = ap.parse_args()
    c = a.canonical
    n1 = hubspot(os.path.join(HERE, "hubspot-export.csv"),
                 c and os.path.join(c, "hubspot-export.canonical.csv"))
    n2 = french(os.path.join(HERE, "french-export.csv"),
                c and os.path.join(c, "french-export.canonical.csv"))
    print("hubspot-export.csv: %d rows; french-export.csv: %d rows" % (n1, n2))


if __name__ == "__main__":
    main()
