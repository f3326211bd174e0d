#!/usr/bin/env python3
"""Opens HTML reports in headless Chromium over the DevTools protocol (a
pipe, no port, no network): no console error, no exception, no request but
the file itself, every chart present with the expected number of marks, no
horizontal overflow on an A4 or a Letter page; printed to PDF at A4 and
at Letter (Chromium's print), each PDF has pages of that size (pdfinfo)
and holds the report's title and last heading (pdftotext): nothing is
cut. Saves a screenshot, and the two PDFs beside it.

usage: check-html.py [--scale S --max-height PX] CHROMIUM REPORT.html EXPECTED-MARKS|- SCREENSHOT.png [...]
Each report comes with a file of "chart-id count" lines ('-': only check
that every chart has marks). --scale and --max-height shrink and cut the
screenshots (the README's). Exits 77 (skipped) without Chromium.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

args = sys.argv[1:]
SCALE, MAX_HEIGHT = 1.0, 100000
while args and args[0].startswith("--"):
    if args[0] == "--scale":
        SCALE = float(args[1])
    elif args[0] == "--max-height":
        MAX_HEIGHT = int(args[1])
    args = args[2:]
CHROMIUM = args[0]
if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
    print("check-html: no %s: skipped" % CHROMIUM)
    sys.exit(77)
jobs = [args[i:i + 3] for i in range(1, len(args), 3)]
TIMEOUT = 60


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="retain-chromium-")
        import fcntl
        r, self.to_child = os.pipe()
        self.from_child, w = os.pipe()
        # out of the way of 3 and 4, where the child wants them
        to_child_r, from_child_w = fcntl.fcntl(r, fcntl.F_DUPFD, 10), fcntl.fcntl(w, fcntl.F_DUPFD, 10)
        os.close(r)
        os.close(w)

        def fds():  # the child reads commands on fd 3 and writes on fd 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
             "--hide-scrollbars", "--mute-audio", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        want = self.next_id
        while True:
            m = self.read()
            if m.get("id") == want:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})

    def read(self):
        deadline = time.time() + TIMEOUT
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise RuntimeError("no answer from Chromium")
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        m = json.loads(raw)
        if "method" in m:
            self.events.append(m)
        return m

    def wait_event(self, method, session):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e["method"] == method and e.get("sessionId") == session:
                    del self.events[i]
                    return e
            self.read()
        raise RuntimeError("no %s" % method)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


COUNT = """JSON.stringify([...document.querySelectorAll('svg.chart')].map(s => ({
  id: s.id, marks: s.querySelectorAll('.mark').length,
  declared: +s.getAttribute('data-marks'), width: s.getBoundingClientRect().width})))"""
FITS = "document.documentElement.scrollWidth <= window.innerWidth"

failures = []
b = Browser()
try:
    for html, expected, shot in jobs:
        url = "file://" + os.path.abspath(html)
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Network", "Runtime", "Log", "Page"):
            b.send(domain + ".enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 860, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, s)
        b.events = [e for e in b.events if e.get("sessionId") != s]
        b.send("Page.navigate", {"url": url}, s)
        b.wait_event("Page.loadEventFired", s)
        charts = json.loads(b.send("Runtime.evaluate", {"expression": COUNT,
                                                         "returnByValue": True}, s)
                            ["result"]["value"])
        want = {}
        if expected != "-":
            for line in open(expected):
                name, n = line.split()
                want[name] = int(n)
        got = {c["id"]: c["marks"] for c in charts}
        for name, n in want.items():
            if got.get(name) != n:
                failures.append("%s: chart %s has %s marks, expected %d" % (html, name,
                                                                            got.get(name), n))
        for c in charts:
            if c["marks"] == 0 or c["marks"] != c["declared"] or c["width"] < 300:
                failures.append("%s: chart %s: %d marks (declared %d), %d px wide" % (
                    html, c["id"], c["marks"], c["declared"], c["width"]))
        if not charts:
            failures.append("%s: no chart" % html)
        # A4 and Letter, 14 mm margins, at 96 px per inch: nothing wider
        b.send("Emulation.setEmulatedMedia", {"media": "print"}, s)
        for paper, width in (("A4", 688), ("Letter", 710)):
            b.send("Emulation.setDeviceMetricsOverride",
                   {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, s)
            fits = b.send("Runtime.evaluate", {"expression": FITS, "returnByValue": True},
                          s)["result"]["value"]
            if not fits:
                failures.append("%s: wider than a %s page" % (html, paper))
        # Chromium's print at A4 and Letter, as a person prints the file
        heads = json.loads(b.send("Runtime.evaluate", {"expression": """JSON.stringify([
            document.querySelector('h1').textContent,
            [...document.querySelectorAll('h2')].pop().textContent])""", "returnByValue": True},
            s)["result"]["value"])
        for paper, w_in, h_in, pts in (("a4", 210 / 25.4, 297 / 25.4, (595, 842)),
                                       ("letter", 8.5, 11, (612, 792))):
            pdf = b.send("Page.printToPDF", {"paperWidth": w_in, "paperHeight": h_in,
                                             "printBackground": True}, s)
            path = shot[:-4] + "-" + paper + ".pdf"
            with open(path, "wb") as f:
                f.write(base64.b64decode(pdf["data"]))
            if not shutil.which("pdfinfo"):
                continue
            info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
            size = [float(x) for x in info.split("Page size:")[1].split("pts")[0].split(" x ")]
            if abs(size[0] - pts[0]) > 1.5 or abs(size[1] - pts[1]) > 1.5:  # Chromium's rounding
                failures.append("%s: printed on %s: pages of %s pts" % (html, paper, size))
            text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                                  text=True).stdout
            for want in heads:
                if want not in text:
                    failures.append("%s: printed on %s: no %r" % (html, paper, want))
        b.send("Emulation.setEmulatedMedia", {"media": "screen"}, s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 860, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, s)
        height = b.send("Runtime.evaluate",
                        {"expression": "document.documentElement.scrollHeight",
                         "returnByValue": True}, s)["result"]["value"]
        png = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                "clip": {"x": 0, "y": 0, "width": 860,
                                                         "height": min(height, MAX_HEIGHT),
                                                         "scale": SCALE}}, s)
        with open(shot, "wb") as f:
            f.write(base64.b64decode(png["data"]))
        for e in [e for e in b.events if e.get("sessionId") == s]:
            p = e["params"]
            if e["method"] == "Network.requestWillBeSent" and p["request"]["url"] != url:
                failures.append("%s: a request for %s" % (html, p["request"]["url"]))
            elif e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning",
                                                                             "assert"):
                failures.append("%s: console %s: %s" % (html, p["type"], p["args"]))
            elif e["method"] == "Runtime.exceptionThrown":
                failures.append("%s: exception %s" % (html, p["exceptionDetails"]))
            elif e["method"] == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                failures.append("%s: log %s: %s" % (html, p["entry"]["level"],
                                                    p["entry"]["text"]))
        b.send("Target.closeTarget", {"targetId": target})
        print("check-html: %s: %d charts, %s marks, screenshot %s" % (
            html, len(charts), sum(got.values()), shot))
finally:
    b.close()
if failures:
    print("\n".join("check-html: " + f for f in failures))
    sys.exit(1)
