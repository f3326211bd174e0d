#!/usr/bin/env python3
"""retain report: its figures are the subcommands' figures (rate, churn,
ltv, nps, risk, cac, mrr; MRR, NRR, GRR
and the movements also from the rows by retain-mrr(1)'s definitions), by
month and by quarter; its charts have
one mark per value of the tables they draw, it says what it left out, and
two runs give the same bytes (HTML, PDF, Markdown and its SVG files, in any
locale). Then the PDF through poppler: pdftotext finds the headline
figures, pdftoppm renders every page.

usage: check-report.py RETAIN SOURCE_DIR WORK_DIR
"""
import calendar
import csv
import io
import os
import re
import shutil
import subprocess
import sys

RETAIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
CRM = os.path.join(SRC, "examples", "hubspot-export.csv")
AS_OF = "2025-06-30"
failures = []


def run(args, env=None, binary=False):
    p = subprocess.run([RETAIN] + args, capture_output=True, env=env)
    if p.returncode != 0:
        sys.exit("retain %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr.decode()))
    return p.stdout if binary else p.stdout.decode()


def table(args):
    return list(csv.DictReader(io.StringIO(run(args))))


def check(cond, what):
    if not cond:
        failures.append(what)


def plain(text):
    """A figure as the report spells it, back to retain's plain number."""
    t = text.replace("\u2212", "-").replace(",", "").replace("%", "").replace(" pt", "")
    return "" if t == "\u2014" else t.strip()


os.makedirs(WORK, exist_ok=True)
assets = os.path.join(WORK, "assets")
shutil.rmtree(assets, ignore_errors=True)
os.makedirs(assets)
EX = os.path.join(SRC, "examples")
tables = ["--events", os.path.join(EX, "events.csv"), "--tickets", os.path.join(EX, "tickets.csv"),
          "--survey", os.path.join(EX, "survey.csv")]
common = ["--as-of", AS_OF, "--by", "Plan"] + tables + [CRM]
md = run(["report", "-f", "md", "--assets", assets] + common)

# ---- the headline figures are those of retain rate, churn and ltv ----
rows = {}
for line in md.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 6 and cells[0] not in ("Metric", "---"):
        rows[cells[0]] = [plain(c) for c in cells[1:]]
check("Customers" in rows, "no Customers row in the headline table:\n" + md[:2000])
rate = {r["period"]: r for r in table(["rate", "--as-of", AS_OF, CRM])}
periods = ["2025-06", "2025-05", "2024-06"]
for label, col in [("Customers", "customers_end"), ("New customers", "new"), ("Lost", "lost"),
                   ("Retention (TRC)", "retention_pct"), ("Churn (TRC)", "churn_pct"),
                   ("Customers kept", "kept_pct")]:
    got = rows.get(label, ["?"] * 5)
    want = [rate[p][col] for p in periods]
    check([got[0], got[1], got[3]] == want, "%s: report %s, retain rate %s" % (label, got, want))
    if want[0] and want[1]:
        diff = "%+.2f" % (float(want[0]) - float(want[1]))
        if col in ("customers_end", "new", "lost"):
            diff = "%+d" % (int(want[0]) - int(want[1]))
        check(got[2].replace("+", "") == diff.replace("+", "") or got[2] == diff,
              "%s: change %s, expected %s" % (label, got[2], diff))
churn = table(["churn", "--period", "month", "--as-of", AS_OF, CRM])
for stage in ("onboarding", "renewal", "long-term"):
    got = rows.get("Churn by stage: " + stage, ["?"] * 5)
    want = [next(r["churn_pct"] for r in churn if r["period"] == p and r["stage"] == stage)
            for p in periods]
    check([got[0], got[1], got[3]] == ["" if w == "" else w for w in want],
          "churn %s: report %s, retain churn %s" % (stage, got, want))
for when, idx in ((AS_OF, 0), ("2025-05-31", 1), ("2024-06-30", 3)):
    ltv = table(["ltv", "--as-of", when, CRM])[0]
    check(rows.get("ARPU", ["?"] * 5)[idx] == ltv["arpu"],
          "ARPU as of %s: report %s, retain ltv %s" % (when, rows.get("ARPU"), ltv["arpu"]))
    check(rows.get("LTV", ["?"] * 5)[idx] == ltv["ltv"],
          "LTV as of %s: report %s, retain ltv %s" % (when, rows.get("LTV"), ltv["ltv"]))

# MRR, NRR, GRR and the movements, from the rows as retain norm reads them,
# by the definitions of retain-mrr(1) (point to point: m0 on the day before
# the period, m1 on its last day; MRR on a day the sum over the rows
# serving it); then the same figures through retain mrr
from datetime import date, timedelta
from fractions import Fraction

subs = [(r["id"], date.fromisoformat(r["start"]), date.fromisoformat(r["end"]) if r["end"]
         else None, Fraction(r["mrr"] or "0")) for r in table(["norm", CRM])]
AS_OF_DAY = date.fromisoformat(AS_OF)


def mrr_on(day):
    out = {}
    for i, start, end, m in subs:
        if start <= day and (end is None or day < end) and start <= AS_OF_DAY:
            out[i] = out.get(i, 0) + m
    return out


def paid_before(i, day):
    return any(j == i and m > 0 and start < day and (end is None or end > start)
               for j, start, end, m in subs)


def month_bounds(label):
    """The first and last day of a month (2025-06) or a quarter (2025-Q2),
    the last cut at as-of."""
    y, rest = label.split("-")
    y = int(y)
    first_month, months = (3 * int(rest[1]) - 2, 3) if rest[0] == "Q" else (int(rest), 1)
    first = date(y, first_month, 1)
    after = first_month + months
    last = date(y + (after - 1) // 12, (after - 1) % 12 + 1, 1) - timedelta(days=1)
    return first, min(last, AS_OF_DAY)


def fmt(x, d=2):
    q = abs(x) * 10 ** d
    n = int(q) + (1 if q - int(q) >= Fraction(1, 2) else 0)  # half away from zero
    t = "%d.%0*d" % (n // 10 ** d, d, n % 10 ** d)
    return "-" + t if x < 0 and n else t


def movements(label):
    p0, p1 = month_bounds(label)
    m0, m1 = mrr_on(p0 - timedelta(days=1)), mrr_on(p1)
    mv = dict.fromkeys(("new", "expansion", "reactivation", "contraction", "churned"), 0)
    for i in set(m0) | set(m1):
        a, b = m0.get(i, 0), m1.get(i, 0)
        if a == 0 < b:
            mv["reactivation" if paid_before(i, p0) else "new"] += b
        elif 0 < a < b:
            mv["expansion"] += b - a
        elif 0 < b < a:
            mv["contraction"] += a - b
        elif a > 0 == b:
            mv["churned"] += a
    start, end = sum(m0.values()), sum(m1.values())
    assert end == start + mv["new"] + mv["reactivation"] + mv["expansion"] - mv["contraction"] \
        - mv["churned"]
    nrr = fmt((start + mv["expansion"] - mv["contraction"] - mv["churned"]) * 100 / start)
    grr = fmt((start - mv["contraction"] - mv["churned"]) * 100 / start)
    return mv, fmt(end), nrr, grr


want = {p: movements(p) for p in periods}
for label, k in (("MRR", 1), ("NRR", 2), ("GRR", 3)):
    got = rows.get(label, ["?"] * 5)
    check([got[0], got[1], got[3]] == [want[p][k] for p in periods],
          "%s: report %s, from the rows %s" % (label, got, [want[p][k] for p in periods]))
moves_periods = [r["period"] for r in table(["rate", "--as-of", AS_OF, CRM])][-12:]
moves_marks = sum(1 for p in moves_periods for v in movements(p)[0].values() if v)
# The same by quarter: the report with --period quarter against rate, nps
# and mrr --period quarter and the movements from the rows
qassets = os.path.join(WORK, "assets-quarter")
os.makedirs(qassets, exist_ok=True)
qmd = run(["report", "-f", "md", "--assets", qassets, "--period", "quarter"] + common)
qrows = {}
for line in qmd.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 6 and cells[0] not in ("Metric", "---"):
        qrows[cells[0]] = [plain(c) for c in cells[1:]]
quarters = ["2025-Q2", "2025-Q1", "2024-Q2"]
qwant = {}
by_q = {r["period"]: r for r in table(["rate", "--period", "quarter", "--as-of", AS_OF, CRM])}
for label, col in (("Customers", "customers_end"), ("Retention (TRC)", "retention_pct"),
                   ("Customers kept", "kept_pct")):
    qwant[label] = [by_q[q][col] for q in quarters]
by_q = {r["period"]: r for r in table(["nps", "--period", "quarter", "--as-of", AS_OF,
                                       os.path.join(EX, "survey.csv"), CRM])}
qwant["NPS"] = [by_q[q]["nps"] if q in by_q else "" for q in quarters]
for label, k in (("MRR", 1), ("NRR", 2), ("GRR", 3)):
    qwant[label] = [movements(q)[k] for q in quarters]
for label, want_q in qwant.items():
    got = qrows.get(label, ["?"] * 5)
    check([got[0], got[1], got[3]] == want_q,
          "--period quarter %s: report %s, expected %s" % (label, got, want_q))

# retain mrr's own table
by_period = {r["period"]: r for r in table(["mrr", "--as-of", AS_OF, CRM])}
for label, col in (("MRR", "mrr_end"), ("NRR", "nrr_pct"), ("GRR", "grr_pct")):
    got = rows.get(label, ["?"] * 5)
    mine = [by_period[p][col] for p in periods]
    check([got[0], got[1], got[3]] == mine, "%s: report %s, retain mrr %s" % (label, got, mine))
by_q = {r["period"]: r for r in table(["mrr", "--period", "quarter", "--as-of", AS_OF, CRM])}
for label, col in (("MRR", "mrr_end"), ("NRR", "nrr_pct"), ("GRR", "grr_pct")):
    got = qrows.get(label, ["?"] * 5)
    mine = [by_q[q][col] for q in quarters]
    check([got[0], got[1], got[3]] == mine,
          "--period quarter %s: report %s, retain mrr %s" % (label, got, mine))
check(moves_marks == sum(1 for p in moves_periods for col in
                         ("new", "expansion", "reactivation", "contraction", "churned")
                         if float(by_period[p][col])),
      "MRR movements: retain mrr has other non-zero movements")

# NPS: retain nps over the same survey and customers, the report's periods
nps = {r["period"]: r for r in table(["nps", "--as-of", AS_OF, os.path.join(EX, "survey.csv"),
                                      CRM])}
got = rows.get("NPS", ["?"] * 5)
want = [nps[p]["nps"] if p in nps else "" for p in periods]
check([got[0], got[1], got[3]] == want and want[0], "NPS: report %s, retain nps %s" % (got, want))
if want[0] and want[1]:
    check(float(got[2]) == round(float(want[0]) - float(want[1]), 2),
          "NPS: change %s against %s" % (got[2], want))

# ---- the next steps are retain risk's rows, largest MRR first ----
risk = table(["risk", "--as-of", AS_OF, "--window", "30"] + tables + [CRM])


def top(rows):
    rows = sorted(rows, key=lambda r: (-float(r["mrr"]), r["id"]))[:5]
    return [[r["id"], r["mrr"], r["health"], r["nps"], r["signals"].replace(";", ", ")]
            for r in rows]


def md_table(first_header):
    out, on = [], False
    for line in md.splitlines():
        cells = [c.strip().replace("\\_", "_") for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == first_header:
            on = True
        elif on and line.startswith("|") and cells[0] != "---":
            out.append([cells[0], plain(cells[1])] + cells[2:])
        elif on and not line.startswith("|"):
            break
    return out


for title, want in (("Accounts at risk (zone 3)", top(r for r in risk if r["zone"] == "3")),
                    ("Expansion candidates", top(
                        r for r in risk if r["nps"] != "" and int(r["nps"]) >= 9
                        and r["usage_change_pct"] != "" and float(r["usage_change_pct"]) > 0))):
    got = md_table(title)
    check(got == want and (want or title == "Expansion candidates"),
          "%s: report %s, retain risk %s" % (title, got, want))

# the detractors to call: retain nps --below 9's call list, those with an MRR
calls = table(["nps", "--below", "9", "--as-of", AS_OF, os.path.join(EX, "survey.csv"), CRM])
want = [[r["id"], r["mrr"], r["score"], r["date"], r["tenure_days"]] for r in calls
        if r["mrr"] != ""][:5]
got = [[c[0], c[1], c[2], c[3], plain(c[4])] for c in md_table("Detractors to call (below 9)")]
for g in got:  # "May 7, 2025" back to 2025-05-07
    m = re.match(r"(\w{3}) (\d+), (\d{4})$", g[3])
    if m:
        g[3] = "%s-%02d-%02d" % (m.group(3), list(calendar.month_abbr).index(m.group(1)),
                                 int(m.group(2)))
check(got == want and want, "Detractors to call: report %s, retain nps --below 9 %s" % (got, want))

# ---- CAC and LTV:CAC by channel are retain cac's rows of the period ----
FIX = os.path.join(SRC, "tests", "fixtures")
os.makedirs(os.path.join(WORK, "assets-bare"), exist_ok=True)
for when, period in (("2025-02-28", "2025-02"), ("2025-03-31", "2025-03")):
    crm = os.path.join(FIX, "crm-channels.csv")
    spend = os.path.join(FIX, "spend-channels.csv")
    doc = run(["report", "-f", "md", "--assets", os.path.join(WORK, "assets-bare"), "--as-of",
               when, "--by", "channel", "--spend-table", spend, crm])
    got, on = [], False
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "Channel":
            on = True
        elif on and line.startswith("|") and cells[0] != "---":
            got.append([cells[0]] + [plain(c) for c in cells[1:]])
        elif on and not line.startswith("|"):
            break
    ltv = subprocess.run([RETAIN, "ltv", "--as-of", when, "--by", "channel", crm],
                         capture_output=True, check=True).stdout
    cac = subprocess.run([RETAIN, "cac", "--spend-table", spend, "--by", "channel", "--as-of", when,
                          "--ltv-table", "-", crm], input=ltv, capture_output=True,
                         check=True).stdout.decode()
    want = [[r["channel"], r["spend"], r["new"], r["cac"], r["ltv"], r["ltv_cac"]]
            for r in csv.DictReader(io.StringIO(cac)) if r["period"] == period]
    check(got == want and want, "CAC by channel as of %s: report %s, retain cac %s"
          % (when, got, want))

# ---- one data mark per value of the tables the charts draw ----
def marks(name):
    path = os.path.join(assets, name + ".svg")
    if not os.path.exists(path):
        failures.append("no chart " + path)
        return -1
    return len(re.findall(r'class="mark ', open(path, encoding="utf-8").read()))

all_rate = table(["rate", "--as-of", AS_OF, CRM])
expect = {"retention-trend": sum(1 for r in all_rate[-24:] if r["retention_pct"] != ""),
          "mrr-movements": moves_marks}
cohort = table(["cohort", "--as-of", AS_OF, CRM])
names = []
for r in cohort:
    if r["cohort"] != "mean" and r["cohort"] not in names:
        names.append(r["cohort"])
last = set(names[-12:])
expect["cohorts"] = sum(1 for r in cohort if r["cohort"] in last and r["cohort_size"] != "0"
                        and r["pct"] != "")
surv = table(["survival", "--as-of", AS_OF, "--by", "Plan", CRM])
segs = sorted(set(r["Plan"] for r in surv))
banded = set(r["Plan"] for r in surv if r["ci_low"] != "")
expect["survival"] = len(segs) + len(banded) if 2 <= len(segs) <= 6 else 2
expect["churn-stages"] = sum(1 for r in table(["churn", "--as-of", AS_OF, CRM])
                             if r["churn_pct"] != "")
reasons = table(["churn", "--as-of", AS_OF, "--reason", "Churn Reason", CRM])
total = {}
for r in reasons:
    total[r["reason"]] = total.get(r["reason"], 0) + int(r["churned"])
order = sorted(total, key=lambda k: (-total[k], k.encode()))
shown = order if len(order) <= 8 else order[:7]
cells = set()
for r in reasons:
    group = r["reason"] if r["reason"] in shown else "other"
    if int(r["churned"]):
        cells.add((r["stage"], group))
expect["churn-reasons"] = len(cells)
for name, n in expect.items():
    check(marks(name) == n, "chart %s: %d marks, expected %d" % (name, marks(name), n))
with open(os.path.join(WORK, "expected-marks.txt"), "w") as f:
    for name, n in sorted(expect.items()):
        f.write("%s %d\n" % (name, n))

# ---- what is left out is named ----
check("## Not included" in md and "- CAC and LTV:CAC by channel: " in md,
      "no 'Not included' list:\n" + md[-800:])
bare_assets = os.path.join(WORK, "assets-bare")
os.makedirs(bare_assets, exist_ok=True)
bare = run(["report", "-f", "md", "--assets", bare_assets, "--as-of", AS_OF,  # no other table
            os.path.join(SRC, "tests", "fixtures", "canonical.csv")])
check("churn-reasons" not in bare and "Churn by reason: no churn reason column" in bare
      and "Next steps: no events" in bare, "a table without reasons or events: " + bare[-600:])

# ---- same bytes: twice, and in another locale and zone ----
env = dict(os.environ, LC_ALL="fr_FR.UTF-8", TZ="Pacific/Kiritimati")
for fmt in ("html", "pdf"):
    a = run(["report", "-f", fmt] + common, binary=True)
    b = run(["report", "-f", fmt] + common, env=env, binary=True)
    check(a == b, "-f %s: two runs differ" % fmt)
    with open(os.path.join(WORK, "report." + fmt), "wb") as f:
        f.write(a)
fr = run(["report", "--lang", "fr", "--goals", os.path.join(SRC, "examples", "goals.csv")]
         + common, binary=True)
check(fr == run(["report", "--lang", "fr", "--goals", os.path.join(SRC, "examples", "goals.csv")]
                + common, env=env, binary=True), "--lang fr: two runs differ")
with open(os.path.join(WORK, "report-fr.html"), "wb") as f:
    f.write(fr)
svg = {n: open(os.path.join(assets, n), "rb").read() for n in os.listdir(assets)}
md2 = run(["report", "-f", "md", "--assets", assets] + common, env=env)
check(md == md2 and svg == {n: open(os.path.join(assets, n), "rb").read()
                            for n in os.listdir(assets)}, "-f md: two runs differ")

# ---- the HTML's structure: one title, the sections in order, the headline
# table with the Markdown's rows, each chart an inline SVG in a figure, no
# script and no external reference; --paper asks for its page size ----
from html.parser import HTMLParser


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.h, self.text, self.stack, self.headline_rows = [], [], None, [], 0
        self.urls, self.figure_svgs, self.style = [], 0, ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag in ("h1", "h2", "style"):
            self.text = ""
        if tag == "table":
            self.stack.append(a.get("id"))
        if tag == "tr" and self.stack and self.stack[-1] == "headline":
            self.headline_rows += 1
        if tag == "svg" and "chart" in a.get("class", "") and self.tags[-2:-1] == ["figure"]:
            self.figure_svgs += 1
        for k in ("src", "href", "xlink:href"):
            if k in a:
                self.urls.append(a[k])

    def handle_endtag(self, tag):
        if tag in ("h1", "h2"):
            self.h.append((tag, self.text))
            self.text = None
        if tag == "style":
            self.style, self.text = self.text, None
        if tag == "table" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.text is not None:
            self.text += data


def outline(doc):
    o = Outline()
    o.feed(doc.decode())
    return o


html = outline(open(os.path.join(WORK, "report.html"), "rb").read())
heads = [t for tag, t in html.h if tag == "h2"]
check([t for tag, t in html.h if tag == "h1"] == ["Monthly report 2025-06"], "HTML h1: %s" % html.h)
check(heads == ["Headline figures", "Charts", "Next steps", "Not included"],
      "HTML sections: %s" % heads)
check(html.headline_rows == 1 + len(rows), "HTML headline table: %d rows, Markdown %d"
      % (html.headline_rows, len(rows)))
check(html.figure_svgs == html.tags.count("svg") == len(expect),
      "HTML: %d charts in figures, %d svg, %d expected" % (html.figure_svgs,
                                                          html.tags.count("svg"), len(expect)))
check("script" not in html.tags and "link" not in html.tags and "img" not in html.tags
      and not [u for u in html.urls if not u.startswith("#")] and "url(" not in html.style,
      "HTML: a script, link, image or URL: %s" % html.urls)
check("@page{margin:14mm}" in html.style and "@page{size" not in html.style,
      "HTML without --paper: the printer's page size")
for paper, css in (("a4", "@page{size:A4}"), ("letter", "@page{size:letter}")):
    style = outline(run(["report", "--paper", paper] + common, binary=True)).style
    check(css in style, "HTML --paper %s: no %s" % (paper, css))

# ---- the QBR of one account: its charts against the tables it reads ----
ACCOUNT = "8340915945"
ex = EX
qbr_args = ["report", "--account", ACCOUNT, "--as-of", AS_OF,
            "--events", os.path.join(ex, "events.csv"), "--tickets", os.path.join(ex, "tickets.csv"),
            "--survey", os.path.join(ex, "survey.csv"), "--goals", os.path.join(ex, "account-goals.csv"),
            "--roi", os.path.join(ex, "roi.csv"), CRM]
qbr = run(qbr_args, binary=True)
check(qbr == run(qbr_args, env=env, binary=True), "--account: two runs differ")
with open(os.path.join(WORK, "qbr.html"), "wb") as f:
    f.write(qbr)
usage = {}
for r in csv.DictReader(open(os.path.join(ex, "events.csv"), encoding="utf-8")):
    if r["customer_id"] != ACCOUNT or r["event"] == "seats" or r["date"] > AS_OF:
        continue
    q = "now" if r["date"] >= "2025-04-01" else "before" if r["date"] >= "2025-01-01" else None
    if q:
        usage[(r["event"], q)] = usage.get((r["event"], q), 0) + float(r["value"])
starts = [row["Became a Customer Date"][:10] for row in
          csv.DictReader(open(CRM, encoding="utf-8")) if row["Record ID"] == ACCOUNT]
month_ends = ["%d-%02d-%02d" % (y, m, calendar.monthrange(y, m)[1])
              for y, m in [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 7)]]
qbr_marks = {"usage": sum(1 for v in usage.values() if v),
             "mrr-history": sum(1 for d in month_ends if d >= min(starts))}
with open(os.path.join(WORK, "qbr-marks.txt"), "w") as f:
    for name, n in sorted(qbr_marks.items()):
        f.write("%s %d\n" % (name, n))
text = qbr.decode()
for want in ("Quarterly business review: " + ACCOUNT, "Usage and adoption", "NPS answers",
             "Next renewal", "Hours to close the books", "missed by"):
    check(want in text, "the QBR has no %r" % want)

# ---- the PDF through poppler ----
pdf = os.path.join(WORK, "report.pdf")
if shutil.which("pdftotext") and shutil.which("pdftoppm"):
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                          check=True).stdout.decode()
    for want in ["Monthly report 2025-06", "Headline figures", rate["2025-06"]["customers_end"],
                 rate["2025-06"]["retention_pct"] + "%", rows.get("LTV", ["?"])[0]]:
        want_spelled = re.sub(r"^(\d+)(\d{3})\.", r"\1,\2.", want)
        check(want_spelled in text, "pdftotext does not find %r" % want_spelled)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, check=True).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    check("Page size:       595.28 x 841.89 pts (A4)" in info, "the PDF is not on A4:\n" + info)
    # --paper letter: Letter pages, the same text
    letter = os.path.join(WORK, "report-letter.pdf")
    with open(letter, "wb") as f:
        f.write(run(["report", "-f", "pdf", "--paper", "letter"] + common, binary=True))
    linfo = subprocess.run(["pdfinfo", letter], capture_output=True, check=True).stdout.decode()
    check("Page size:       612 x 792 pts (letter)" in linfo, "--paper letter:\n" + linfo)
    ltext = subprocess.run(["pdftotext", "-layout", letter, "-"], capture_output=True,
                           check=True).stdout.decode()
    for label in ("Customers kept", "NPS", "Detractors to call (below 9)", "Not included"):
        check(label in text and label in ltext, "pdftotext: no %r on A4 or Letter" % label)
    out = os.path.join(WORK, "page")
    for old in os.listdir(WORK):
        if old.startswith("page-"):
            os.remove(os.path.join(WORK, old))
    subprocess.run(["pdftoppm", "-r", "50", "-png", pdf, out], check=True)
    rendered = [n for n in os.listdir(WORK) if n.startswith("page-") and n.endswith(".png")]
    check(pages >= 2 and len(rendered) == pages,
          "pdftoppm rendered %d of %d pages" % (len(rendered), pages))
else:
    print("check-report: no poppler-utils; the PDF checks are skipped")

if failures:
    print("\n".join("check-report: " + f for f in failures))
    sys.exit(1)
print("check-report: %d charts, figures equal, same bytes, PDF readable" % len(expect))
