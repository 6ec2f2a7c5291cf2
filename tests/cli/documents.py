#!/usr/bin/env python3
"""--format markdown and --format html: the same SAs, findings and counts as the JSON report,
on every capture in pcaps/ (with its keys and CAs) and the external fixtures; the HTML
parses, with only the elements ikescope writes; and wire bytes that look like Markdown or
HTML (an IKEv1 Aggressive Mode identity, in the clear) come out escaped, so a hostile
capture cannot put a link, an image, a script or a table cell into a ticket or a page.

Usage: documents.py IKESCOPE SOURCE_ROOT FIXTURES"""
import html
import html.parser
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

exe, root, fixtures = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
failures = []


def check(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        failures.append(name)


def run(fmt, args):
    r = subprocess.run([exe, "analyze", "--format", fmt, *args], capture_output=True, text=True, timeout=120)
    return r


def captures():
    pcaps = os.path.join(root, "pcaps")
    for name in sorted(os.listdir(pcaps)):
        d = os.path.join(pcaps, name)
        cap = os.path.join(d, "capture.pcap")
        if not os.path.exists(cap):
            continue
        args = []
        for k in ("ikev2_decryption_table", "ikev1_decryption_table"):
            if os.path.exists(os.path.join(d, k)):
                args += ["--keys", os.path.join(d, k)]
        for f in sorted(os.listdir(d)):
            if f.startswith("ca-") and f.endswith(".pem"):
                args += ["--ca", os.path.join(d, f)]
        yield name, args + [cap]
    tracking = os.path.join(root, "tests", "regress", "tracking")
    for f in sorted(os.listdir(tracking)):
        if f.endswith(".pcap"):
            yield "tracking/" + f, [os.path.join(tracking, f)]
    for dirpath, _, files in os.walk(fixtures):
        for f in sorted(files):
            if f.endswith((".pcap", ".pcapng")):
                yield os.path.relpath(os.path.join(dirpath, f), fixtures), [os.path.join(dirpath, f)]


def compare(name, args):
    j, m = run("json", args), run("markdown", args)
    check(f"{name}: same exit status", j.returncode == m.returncode, (j.returncode, m.returncode))
    doc = json.loads(j.stdout)
    md = m.stdout
    check(f"{name}: starts with the title", md.startswith("# ikescope report\n"), md[:80])
    heads = re.findall(r"^## IKE SA #(\d+): IKEv(\d), (\w+)$", md, re.M)
    alike = dict(re.findall(r"^IKE SA #(\d+) \w+ .* like #(\d+)  $", md, re.M))
    full = {h[0] for h in heads}
    check(f"{name}: one section per SA with its outcome, or one line naming an earlier SA in full",
          [(str(s["id"]), str(s["version"]), s["outcome"]) for s in doc["sas"] if str(s["id"]) in full] == heads
          and len(heads) + len(alike) == len(doc["sas"]) and set(alike.values()) <= full,
          (heads, alike, [s["id"] for s in doc["sas"]]))
    items = re.findall(r"^- \*\*(ERROR|WARNING|info)\*\* `([a-z0-9_.]+)`", md, re.M)
    want = [({"error": "ERROR", "warning": "WARNING"}.get(f["severity"], "info"), f["rule"])
            for f in doc["findings"] if f["sa"] == 0 or str(f["sa"]) in full]
    check(f"{name}: every finding of the SAs in full, with its severity", sorted(items) == sorted(want),
          (items, want))
    if alike:
        check(f"{name}: an SA on one line has the findings of the SA it names",
              all(sorted((f["rule"], f["severity"]) for f in doc["findings"] if str(f["sa"]) == a) ==
                  sorted((f["rule"], f["severity"]) for f in doc["findings"] if str(f["sa"]) == b)
                  for a, b in alike.items()), alike)
    sev = [f["severity"] for f in doc["findings"]]
    counts = [len(doc["sas"]), sev.count("error"), sev.count("warning"), sev.count("info")]
    line = re.search(r"^(\d+) IKE SAs? · \*\*(\d+) errors?\*\*, (\d+) warnings?, (\d+) info", md, re.M)
    check(f"{name}: the counts of the JSON findings",
          line and [int(x) for x in line.groups()] == counts, (line and line.groups(), counts))
    compare_html(name, args, doc)
    if name.endswith("reflection.pcap"):
        check(f"{name}: SAs alike are one line each, with the note", len(alike) == 30 and "--full" in md,
              len(alike))
        whole = run("markdown", ["--full", *args]).stdout
        check(f"{name}: --full writes every SA in full",
              len(re.findall(r"^## IKE SA #", whole, re.M)) == len(doc["sas"]), len(doc["sas"]))
    # Tables stay tables: every row of a table has its column count.
    for block in re.findall(r"(?:^\|.*\|\n)+", md, re.M):
        rows = block.splitlines()
        cols = {len(re.findall(r"(?<!\\)\|", r)) for r in rows}
        check(f"{name}: table rows of one width", len(cols) == 1, rows[:3])


ALLOWED = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li", "b", "br", "code",
           "table", "tr", "th", "td", "a", "details", "summary", "pre"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.bad, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k not in ("class", "id", "href", "charset", "lang") or (k == "href" and not v.startswith("#sa-")):
                self.bad.append((tag, k, v))

    def handle_data(self, data):
        self.text.append(data)


def compare_html(name, args, doc):
    h = run("html", args)
    page = Page()
    page.feed(h.stdout)
    check(f"{name} html: a whole page", h.stdout.startswith("<!DOCTYPE html>") and h.stdout.rstrip().endswith("</html>"),
          h.stdout[-80:])
    check(f"{name} html: only ikescope's elements and attributes", set(page.tags) <= ALLOWED and not page.bad,
          (set(page.tags) - ALLOWED, page.bad[:3]))
    like = re.findall(r'<p class="like">IKE SA #(\d+) ', h.stdout)
    full = set(re.findall(r'<h2 id="sa-(\d+)">', h.stdout))
    check(f"{name} html: one section per SA, or one line", page.tags.count("h2") + len(like) == len(doc["sas"]),
          (page.tags.count("h2"), len(like), len(doc["sas"])))
    items = re.findall(r'<li><b class="(error|warning|info)">', h.stdout)
    want = [f["severity"] for f in doc["findings"] if f["sa"] == 0 or str(f["sa"]) in full]
    check(f"{name} html: every finding of the SAs in full", sorted(items) == sorted(want), (items, want))
    return page


def hostile_capture(path):
    """IKEv1 Aggressive Mode message 1 whose FQDN identity is Markdown and HTML."""
    # No CR or LF: RFC 7296 section 3.5 forbids terminators, and ikescope flags them.
    ident = b"<img src=x onerror=alert(1)>|[click](javascript:alert(2))`code`**bold**&amp;~~gone~~"
    attrs = struct.pack(">HHHHHHHH", 0x8001, 7, 0x8002, 2, 0x8003, 1, 0x8004, 14) + struct.pack(">HH", 0x800E, 128)
    transform = struct.pack(">BBHBBH", 0, 0, 8 + len(attrs), 1, 1, 0) + attrs
    proposal = struct.pack(">BBHBBBB", 0, 0, 8 + len(transform), 1, 1, 0, 1) + transform
    sa = struct.pack(">BBHII", 4, 0, 12 + len(proposal), 1, 1) + proposal  # next: KE
    ke = struct.pack(">BBH", 10, 0, 4 + 256) + bytes(range(256))  # next: Nonce
    nonce = struct.pack(">BBH", 5, 0, 4 + 16) + bytes(16)  # next: ID
    idp = struct.pack(">BBHBBH", 0, 0, 8 + len(ident), 2, 17, 500) + ident
    body = sa + ke + nonce + idp
    isakmp = bytes.fromhex("1122334455667788") + bytes(8) + struct.pack(">BBBBII", 1, 0x10, 4, 0, 0, 28 + len(body)) + body
    udp = struct.pack(">HHHH", 500, 500, 8 + len(isakmp), 0) + isakmp
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes([192, 0, 2, 1]),
                     bytes([192, 0, 2, 2]))
    s = sum(struct.unpack(">10H", ip))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    ip = ip[:10] + struct.pack(">H", ~s & 0xFFFF) + ip[12:]
    frame = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00" + ip + udp
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        f.write(struct.pack("<IIII", 1764000000, 0, len(frame), len(frame)) + frame)


for name, args in captures():
    compare(name, args)

with tempfile.TemporaryDirectory() as tmp:
    cap = os.path.join(tmp, "hostile-identity.pcap")
    hostile_capture(cap)
    md = run("markdown", ["--fail-on", "never", cap]).stdout
    check("hostile identity: the capture is read and the identity shown", "onerror" in md, md[:2000])
    for raw in ("<img", "](", "`code`", "**bold**", "&amp;", "~~gone"):
        check(f"hostile identity: {raw!r} does not reach the report unescaped",
              not re.search(r"(?<!\\)" + re.escape(raw), md),
              [l for l in md.splitlines() if "onerror" in l])
    page = Page()
    page.feed(run("html", ["--fail-on", "never", cap]).stdout)
    check("hostile identity in html: no element or attribute from the wire",
          set(page.tags) <= ALLOWED and not page.bad, (set(page.tags) - ALLOWED, page.bad))
    check("hostile identity in html: shown as text", any("<img src=x onerror" in t for t in page.text),
          [t for t in page.text if "onerror" in t])
    text = run("text", ["--fail-on", "never", cap]).stdout
    check("hostile identity: the text report shows it too", "onerror" in text, text[:1500])

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
