#!/usr/bin/env python3
"""Command-line behaviour: help, version, exit codes, errors, -o, gzip and multi-file input,
80-column text. Usage: run.py IKESCOPE SOURCE_ROOT FIXTURES"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

exe, root, fixtures = sys.argv[1:4]
failures = []


def run(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=60)


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)


r = run("--version")
check("--version", r.returncode == 0 and r.stdout.startswith("ikescope "), r.stdout)
r = run("--help")
check("--help", r.returncode == 0 and "analyze" in r.stdout, r.stdout)
r = run("analyze", "--help")
check("analyze --help", r.returncode == 0 and "--format" in r.stdout and "--fail-on" in r.stdout)
r = run()
check("no command is a usage error", r.returncode == 2)
r = run("frobnicate")
check("unknown command", r.returncode == 2 and "frobnicate" in r.stderr)
r = run("analyze")
check("analyze without files", r.returncode == 2 and "no capture file" in r.stderr)
r = run("analyze", "--format", "xml", "x.pcap")
check("bad --format", r.returncode == 2 and "xml" in r.stderr)
r = run("analyze", "/nonexistent/file.pcap")
check("missing file names the file in one line",
      r.returncode == 2 and "/nonexistent/file.pcap" in r.stderr and r.stderr.count("\n") == 1, r.stderr)

with tempfile.TemporaryDirectory() as tmp:
    notpcap = os.path.join(tmp, "notes.txt")
    open(notpcap, "w").write("this is not a capture\n" * 10)
    r = run("analyze", notpcap)
    check("not a capture", r.returncode == 2 and "notes.txt" in r.stderr and r.stderr.count("\n") == 1, r.stderr)

    client = os.path.join(fixtures, "zeek-spicy-ipsec/ipsec_client.pcap")
    pi2 = os.path.join(fixtures, "tcpdump/ikev2pI2.pcap")
    if not os.path.exists(client):
        print("SKIP: external fixtures missing; the remaining CLI checks need them")
    else:
        r = run("analyze", client)
        check("error finding exits 1", r.returncode == 1, r.stderr)
        r = run("analyze", "--fail-on", "never", client)
        check("--fail-on never exits 0", r.returncode == 0, r.stderr)
        long_lines = [l for l in r.stdout.splitlines() if len(l) > 80]
        check("text report fits 80 columns", not long_lines, long_lines[:3])

        out = os.path.join(tmp, "report.json")
        r = run("analyze", "--format", "json", "--fail-on", "never", "-o", out, client)
        doc = json.load(open(out))
        check("-o writes JSON", r.returncode == 0 and r.stdout == "" and doc["schema"] == "ikescope/1")

        gz = os.path.join(tmp, "client.pcap.gz")
        with open(client, "rb") as src, gzip.open(gz, "wb") as dst:
            shutil.copyfileobj(src, dst)
        r = run("analyze", "--format", "json", "--fail-on", "never", gz)
        docgz = json.loads(r.stdout)
        check("gzip input reads like the plain file", [s["messages"] for s in docgz["sas"]] ==
              [s["messages"] for s in doc["sas"]])

        r = run("analyze", "--format", "json", "--fail-on", "never", client, pi2)
        both = json.loads(r.stdout)
        pi2_only = json.loads(run("analyze", "--format", "json", "--fail-on", "never", pi2).stdout)
        check("two inputs are listed", [os.path.basename(i["path"]) for i in both["inputs"]] ==
              ["ipsec_client.pcap", "ikev2pI2.pcap"])
        firsts = [s["first_seen"] for s in both["sas"]]
        check("SAs of merged inputs come in time order", firsts == sorted(firsts), firsts)
        check("two inputs give all their SAs", len(both["sas"]) == len(doc["sas"]) + len(pi2_only["sas"]))
        ins = {m["input"] for s in both["sas"] for m in s["messages"]}
        check("messages name their input", ins == {0, 1}, ins)

        trunc = os.path.join(tmp, "truncated.pcap")
        data = open(client, "rb").read()
        open(trunc, "wb").write(data[: len(data) - 100])
        r = run("analyze", "--format", "json", trunc)
        check("truncated capture: exit 2, message names the file", r.returncode == 2 and
              "truncated.pcap" in r.stderr, r.stderr)
        check("truncated capture: the rest is still reported", json.loads(r.stdout)["sas"] != [])

sys.exit(1 if failures else 0)
