#!/usr/bin/env python3
"""Implementations named from behaviour (src/analyze/fingerprint.c) against the truth: every
IKEv2 lab scenario in pcaps/ says which daemon ran on each side (scenario.md: "libreswan
pluto" on a side's line, strongSwan charon otherwise). Each guess must name that daemon or
be absent; a wrong name fails. The external captures must not crash it, and a side whose
Vendor IDs name it gets no guess.

Usage: run.py IKESCOPE PCAPS_DIR FIXTURES
"""
import json
import os
import re
import subprocess
import sys


def analyze(exe, path):
    res = subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never", path],
                         capture_output=True, text=True, timeout=60)
    return json.loads(res.stdout)


def truth(md):
    text = open(md).read()
    sides = {}
    for role in ("initiator", "responder"):
        m = re.search(r"^- \*\*%s[^\n]*" % role, text, re.M)
        if m:
            sides[role] = "libreswan" if "libreswan pluto" in m.group(0) else "strongSwan"
    return sides


def main():
    exe, pcaps, fixtures = sys.argv[1:4]
    failed = named = 0
    for name in sorted(os.listdir(pcaps)):
        md = os.path.join(pcaps, name, "scenario.md")
        cap = os.path.join(pcaps, name, "capture.pcap")
        if not os.path.exists(md) or not os.path.exists(cap):
            continue
        doc = analyze(exe, cap)
        if not doc["sas"] or doc["sas"][0]["version"] != 2:
            continue
        want = truth(md)
        sa = doc["sas"][0]
        for role, expected in want.items():
            guess = sa[role].get("implementation_guess")
            if guess is None:
                continue
            named += 1
            if guess["name"] != expected or guess["confidence"] != "likely":
                print(f"FAIL {name}: {role} guessed {guess}, the lab ran {expected}")
                failed += 1
    if named < 20:
        print(f"FAIL only {named} sides named across the lab captures: the signatures no longer fit")
        failed += 1
    for root, _, files in os.walk(fixtures):
        for f in sorted(files):
            if not f.endswith((".pcap", ".pcapng", ".cap")):
                continue
            doc = analyze(exe, os.path.join(root, f))
            for sa in doc["sas"]:
                for role in ("initiator", "responder"):
                    side = sa[role]
                    if side["implementation"] and side.get("implementation_guess"):
                        print(f"FAIL {f}: {role} named by Vendor ID and guessed too")
                        failed += 1
    print(f"{named} lab sides named from behaviour; {failed} failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
