#!/usr/bin/env python3
"""--endpoint-log on real and hand-written endpoint logs. Every lab scenario's own daemon
logs (charon and pluto) are read beside its capture, with and without keys: the lab's
daemons and its wire tell one story, so no scenario may get endpoint.disagrees, and the
failures get the endpoint's reason; the hand-written Windows netevents XML and Security
event 4653 exports (tests/cli/data/, in Microsoft's documented shapes) agree with the wire
on 13887 and 13801; no key material from a charon log at ike=4 reaches any output.
Usage: endpoint_log.py IKESCOPE SOURCE_ROOT"""
import json
import os
import re
import subprocess
import sys

exe, root = os.path.abspath(sys.argv[1]), sys.argv[2]
PCAPS = os.path.join(root, "pcaps")
DATA = os.path.join(root, "tests", "cli", "data")
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)


def run(*args):
    return subprocess.run([exe, "analyze", *args], capture_output=True, text=True, timeout=120)


def logs_of(folder):
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder))
            if re.match(r"(charon|pluto)-(initiator|responder)\.log$", n)]


def endpoint_findings(doc):
    return [f for f in doc["findings"] if f["rule"].startswith("endpoint.")]


scenarios = 0
for name in sorted(os.listdir(PCAPS)):
    folder = os.path.join(PCAPS, name)
    logs = logs_of(folder) if os.path.isdir(folder) else []
    if not logs or name.startswith("ikev2-tampered"):
        continue  # a tampered capture is meant to disagree with its logs
    scenarios += 1
    ep = [a for log in logs for a in ("--endpoint-log", log)]
    keys = [a for k in ("ikev2_decryption_table", "ikev1_decryption_table", "ikescope-keys.txt")
            if os.path.exists(os.path.join(folder, k)) for a in ("--keys", os.path.join(folder, k))]
    for label, extra in (("without keys", []), ("with keys", keys)):
        r = run("--format", "json", "--fail-on", "never", *ep, *extra, os.path.join(folder, "capture.pcap"))
        if r.returncode != 0:
            check(f"{name} {label}: runs", False, r.stderr)
            continue
        doc = json.loads(r.stdout)
        found = endpoint_findings(doc)
        bad = [f["title"] for f in found if f["rule"] == "endpoint.disagrees"]
        check(f"{name} {label}: the logs and the wire agree", not bad, bad)
        md = open(os.path.join(folder, "scenario.md")).read()
        if "expected outcome: **failed**" in md:
            check(f"{name} {label}: the endpoint's reason is reported", any(
                f["rule"] == "endpoint.reason" for f in found), [f["rule"] for f in doc["findings"]])
        # No byte of key material from the logs in the report.
        text = r.stdout
        for line in open(os.path.join(folder, "ikev2_decryption_table")).read().split(",") \
                if os.path.exists(os.path.join(folder, "ikev2_decryption_table")) else []:
            if re.fullmatch(r"[0-9a-f]{32,}", line):
                check(f"{name} {label}: no key in the report", line not in text.lower(), "key found")
check("every lab scenario with daemon logs was read", scenarios >= 30, scenarios)

# The reason given by each kind of log, with keys and trust anchors, agrees with the verdict.
P = os.path.join(PCAPS, "ikev2-untrusted-root")
r = run("--format", "json", "--keys", os.path.join(P, "ikev2_decryption_table"), "--ca", os.path.join(P, "ca-root.pem"),
        "--endpoint-log", os.path.join(P, "charon-initiator.log"),
        "--endpoint-log", os.path.join(DATA, "netevents-untrusted-root.xml"),
        "--endpoint-log", os.path.join(DATA, "security-4653-untrusted-root.xml"), os.path.join(P, "capture.pcap"))
doc = json.loads(r.stdout)
titles = [f["detail"] for f in endpoint_findings(doc)]
check("charon: 'no issuer certificate found' agrees with chain.untrusted_root",
      any("no issuer certificate found" in t and "chain.untrusted_root" in t for t in titles), titles)
check("netevents XML: 13887 agrees with chain.untrusted_root",
      any("Windows WFP net event" in t and "13887" in t and "chain.untrusted_root" in t for t in titles), titles)
check("netevents XML: the event two hours later is not this SA's", not any("13805" in t for t in titles), titles)
check("Security 4653 XML: the reason text maps to 13887",
      any("event 4653" in t and "13887" in t for t in titles), titles)
P = os.path.join(PCAPS, "ikev2-psk-mismatch")
r = run("--format", "json", "--keys", os.path.join(P, "ikev2_decryption_table"),
        "--endpoint-log", os.path.join(DATA, "security-4653-psk-mismatch.csv"), os.path.join(P, "capture.pcap"))
doc = json.loads(r.stdout)
f = next((x for x in endpoint_findings(doc)), None)
check("Security 4653 CSV (local time, no zone): 13801 agrees with auth.failed, from the responder",
      f is not None and f["rule"] == "endpoint.reason" and "13801" in f["detail"] and "responder" in f["title"], f)

# A file that is no endpoint log: one line, exit 2.
r = run("--endpoint-log", os.path.join(PCAPS, "README.md"), os.path.join(P, "capture.pcap"))
check("not an endpoint log: one line, exit 2", r.returncode == 2 and r.stderr.count("\n") == 1
      and "not an endpoint log" in r.stderr, r.stderr)
r = run("--endpoint-log", "/nonexistent/charon.log", os.path.join(P, "capture.pcap"))
check("missing endpoint log: one line naming it, exit 2",
      r.returncode == 2 and r.stderr.count("\n") == 1 and "/nonexistent/charon.log" in r.stderr, r.stderr)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
