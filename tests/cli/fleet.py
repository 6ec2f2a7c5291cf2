#!/usr/bin/env python3
"""The fleet store: analyze --store FILE and ikescope fleet FILE.
  - runs from several captures add up; the same capture analysed again (with keys this
    time) replaces its SAs and findings instead of counting them twice;
  - fleet's text and JSON agree with what the reports said;
  - two runs writing at once both land;
  - pre-shared key candidates never reach the store;
  - --since, and clear errors for a missing store, a non-store and an unwritable path.

Usage: fleet.py IKESCOPE SOURCE_ROOT"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

exe, root = os.path.abspath(sys.argv[1]), sys.argv[2]
PCAPS = os.path.join(root, "pcaps")
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)


def analyze(store, scenario, *extra):
    d = os.path.join(PCAPS, scenario)
    args = [a.replace("@", d + "/") for a in extra]
    return subprocess.run([exe, "analyze", "--store", store, "--format", "json", "--fail-on", "never", *args,
                           os.path.join(d, "capture.pcap")], capture_output=True, text=True, timeout=120)


def fleet(store, *extra):
    r = subprocess.run([exe, "fleet", "--format", "json", *extra, store], capture_output=True, text=True, timeout=60)
    return r, (json.loads(r.stdout) if r.returncode == 0 else None)


SCENARIOS = ["ikev2-no-peer-cert", "ikev2-untrusted-root", "ikev2-psk-mismatch", "ikev1-main-psk"]

with tempfile.TemporaryDirectory() as tmp:
    store = os.path.join(tmp, "fleet.db")
    reports = {}
    for s in SCENARIOS:
        r = analyze(store, s)
        check(f"{s}: analyze --store succeeds", r.returncode == 0, r.stderr)
        reports[s] = json.loads(r.stdout)
    r, doc = fleet(store)
    want_sas = sum(len(d["sas"]) for d in reports.values())
    check("fleet: every SA of every run, and the runs", doc and doc["sas"] == want_sas and doc["runs"] == 4,
          (doc, want_sas))
    outcomes = {}
    for d in reports.values():
        for sa in d["sas"]:
            outcomes[sa["outcome"]] = outcomes.get(sa["outcome"], 0) + 1
    check("fleet: outcomes as the reports gave them", doc and doc["outcomes"] == outcomes, (doc and doc["outcomes"], outcomes))
    rules = {}
    for d in reports.values():
        hit = {(f["rule"], f["sa"]) for f in d["findings"] if f["severity"] in ("error", "warning")}
        for rule, _ in hit:
            rules[rule] = rules.get(rule, 0) + 1
    got = {p["rule"]: p["sas"] for p in doc["problems"]} if doc else {}
    check("fleet: problems counted per SA as the reports gave them", got == rules, (got, rules))
    nopeer = next((p for p in doc["problems"] if p["rule"] == "auth.no_peer_cert"), None) if doc else None
    check("fleet: a problem names its Windows code", nopeer and nopeer["windows_code"] == 13847, nopeer)

    # The same capture again, with keys: replaced, not added.
    r = analyze(store, "ikev2-no-peer-cert", "--keys", "@ikev2_decryption_table")
    keyed = json.loads(r.stdout)
    r, doc2 = fleet(store)
    check("re-analysis: the SA is replaced, the run is counted", doc2 and doc2["sas"] == want_sas and doc2["runs"] == 5,
          doc2)
    db = sqlite3.connect(store)
    spi = keyed["sas"][0]["spi_i"]
    stored = sorted((r, c) for r, c in db.execute(
        "SELECT rule, confidence FROM findings JOIN sas ON sas.id = findings.sa WHERE sas.spi_i = ?", (spi,)))
    want = sorted((f["rule"], f["confidence"]) for f in keyed["findings"] if f["sa"] == keyed["sas"][0]["id"])
    check("re-analysis: the SA's findings are those of the keyed run", stored == want, (stored, want))
    db.close()

    # Two runs at once.
    procs = [subprocess.Popen([exe, "analyze", "--store", store, "--fail-on", "never",
                               os.path.join(PCAPS, s, "capture.pcap")], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for s in ("ikev2-ecdsa", "ikev2-chacha20")]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    r, doc3 = fleet(store)
    check("two runs at once: both land", all(p.returncode == 0 for p in procs) and doc3 and doc3["runs"] == 7,
          (errs, doc3 and doc3["runs"]))

    # PSK candidates never reach the store (nor its write-ahead log).
    secret = "fleet-store-candidate-31337"
    r = analyze(store, "ikev2-psk-mismatch", "--keys", "@charon-initiator.log", "--psk", secret)
    check("--psk with --store: succeeds", r.returncode == 0, r.stderr)
    blob = b"".join(open(os.path.join(tmp, f), "rb").read() for f in os.listdir(tmp) if f.startswith("fleet.db"))
    check("--psk with --store: the candidate is nowhere in the store", secret.encode() not in blob)

    # Text form.
    t = subprocess.run([exe, "fleet", store], capture_output=True, text=True)
    check("fleet text: the totals and the sections", t.returncode == 0 and "IKE SAs from 8 runs" in t.stdout
          and "Problems" in t.stdout and "Peer pairs with failing SAs" in t.stdout, t.stdout + t.stderr)
    r, doc4 = fleet(store, "--since", "2099-01-01")
    check("--since after everything: nothing counted", doc4 and doc4["sas"] == 0 and doc4["problems"] == [], doc4)

    # Errors.
    r = subprocess.run([exe, "fleet", os.path.join(tmp, "missing.db")], capture_output=True, text=True)
    check("fleet on a missing store: exit 2, one line", r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1,
          r.stderr)
    other = os.path.join(tmp, "other.db")
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    r = subprocess.run([exe, "fleet", other], capture_output=True, text=True)
    check("fleet on another database: says it is not a store", r.returncode == 2 and "not an ikescope store" in r.stderr,
          r.stderr)
    r = subprocess.run([exe, "analyze", "--store", tmp, os.path.join(PCAPS, "ikev2-natt", "capture.pcap")],
                       capture_output=True, text=True)
    check("--store on a directory: exit 2, names it, no report", r.returncode == 2 and tmp in r.stderr
          and not r.stdout, (r.returncode, r.stderr))

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
