#!/usr/bin/env python3
"""The rule registry and the knowledge base, checked from outside.

Usage: run.py IKESCOPE SOURCE_ROOT FIXTURES

- every rule id the sources can emit (string literals given to an_rule_add, assigned to
  a rule variable, or in a rule table row) and every rule in a report over the lab
  captures, the golden cases and the external fixtures is in `ikescope rules`;
- `ikescope rules` (text and JSON) lists every registry row;
- `ikescope explain` works for every code in windows-ike-errors.tsv (decimal, hex and
  name), every IKEv1 and IKEv2 error notify (name and number) and every rule; an
  unknown X gives one line on stderr and exit 2.
"""
import glob
import json
import os
import re
import subprocess
import sys

exe, root, fixtures = sys.argv[1:4]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def run(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


# --- the registry, as the tool lists it -------------------------------------------------
res = run("rules", "--format", "json")
if res.returncode != 0:
    print(f"FAIL rules --format json: exit {res.returncode}: {res.stderr.strip()}")
    sys.exit(1)
rules = json.loads(res.stdout)["rules"]
ids = [r["id"] for r in rules]
registry = set(ids)
if len(ids) != len(registry):
    fail("duplicate ids in the registry: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
for r in rules:
    for key in ("title", "meaning"):
        if not r[key].strip():
            fail(f"rule {r['id']}: empty {key}")
    if r["severity"] not in ("info", "warning", "error") or r["confidence"] not in ("certain", "likely"):
        fail(f"rule {r['id']}: bad severity or confidence")
text = run("rules")
if text.returncode != 0:
    fail(f"rules: exit {text.returncode}")
listed = {line.split()[0] for line in text.stdout.splitlines()[1:] if line.strip()}
if listed != registry:
    fail(f"rules (text) and rules --format json differ: {sorted(listed ^ registry)}")

# --- ids the sources can emit ---------------------------------------------------------
ID = r'"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"'
emitted = {}
sources = glob.glob(os.path.join(root, "src/analyze/*.c"))
for path in sources:
    src = open(path).read()
    found = set(re.findall(r"an_rule_add\(\s*\w+,\s*" + ID, src))
    found |= set(re.findall(r"\brule\s*=\s*(?:[^;]*\?\s*)?" + ID, src))
    found |= set(re.findall(r"\brule\s*=\s*[^;]*:\s*" + ID, src))
    found |= set(re.findall(r"\{\s*[12],\s*\d+,\s*" + ID, src))  # notify_rules[] rows
    found |= set(re.findall(r"input_warning\(\s*\w+,\s*" + ID, src))
    for i in found:
        emitted.setdefault(i, os.path.relpath(path, root))
# Parser anomalies become findings under their own names (rules.c rule_anomalies).
msg_c = open(os.path.join(root, "src/ike/msg.c")).read()
for name in re.findall(r'\[IKE_AN_\w+\]\s*=\s*' + ID, msg_c):
    if name != "ike.none":
        emitted.setdefault(name, "src/ike/msg.c")
if len(emitted) < 20:
    fail(f"only {len(emitted)} rule ids found in the sources: the patterns no longer match the code")
for i, where in sorted(emitted.items()):
    if i not in registry:
        fail(f"{where} emits rule '{i}', which is not in the registry (src/analyze/rule_registry.c)")
print(f"ok   {len(emitted)} rule ids in the sources, all in the registry of {len(registry)}")

# --- ids the tool emits on real captures -----------------------------------------------
runs = []
for line in open(os.path.join(root, "tests/golden/cases.txt")):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, capture, *extra = line.split()
    extra = [a for a in extra if not a.startswith("exit=")]  # the golden test's expected status
    res_path = lambda a: os.path.join(fixtures, a[4:]) if a.startswith("ext:") else os.path.join(root, a)
    runs.append((name, [res_path(a) if a.startswith(("ext:", "pcaps/")) else a for a in extra],
                 res_path(capture)))
for cap in sorted(glob.glob(os.path.join(root, "pcaps/*/capture.pcap*"))):
    keys = []
    for k in sorted(glob.glob(os.path.join(os.path.dirname(cap), "ikev[12]_decryption_table"))):
        keys += ["--keys", k]
    runs.append((os.path.relpath(cap, root), keys, cap))
for cap in sorted(glob.glob(os.path.join(fixtures, "**/*"), recursive=True)):
    if re.search(r"\.(pcap|pcapng|cap)(\.gz)?$", cap):
        runs.append((os.path.relpath(cap, fixtures), [], cap))
seen = set()
ran = 0
for name, extra, cap in runs:
    if not os.path.exists(cap):
        continue
    res = run("analyze", "--format", "json", "--fail-on", "never", *extra, cap)
    if res.returncode not in (0, 2) or not res.stdout:
        fail(f"analyze {name}: exit {res.returncode}: {res.stderr.strip()[:200]}")
        continue
    ran += 1
    for f in json.loads(res.stdout)["findings"]:
        seen.add(f["rule"])
        if f["rule"] not in registry:
            fail(f"analyze {name}: finding '{f['rule']}' is not in the registry")
print(f"ok   {ran} captures analysed, {len(seen)} distinct rules emitted, all in the registry")

# --- explain --------------------------------------------------------------------------
MEANING = re.compile(r"^What it means:\n  \S", re.M)


def explain_ok(x, must):
    res = run("explain", x)
    if res.returncode != 0:
        fail(f"explain {x}: exit {res.returncode}: {res.stderr.strip()}")
    elif not MEANING.search(res.stdout):
        fail(f"explain {x}: no meaning")
    elif must.lower() not in res.stdout.lower():
        fail(f"explain {x}: '{must}' not in the output")
    return res.stdout


tsv = os.path.join(root, "..", "shared", "reference", "windows-ike-errors.tsv")
if not os.path.exists(tsv):
    tsv = os.path.join(fixtures, "..", "..", "reference", "windows-ike-errors.tsv")
if os.path.exists(tsv):
    rows = [line.rstrip("\n").split("\t") for line in open(tsv)]
else:
    # A clone without ../shared (a newcomer's): the table generated from the TSV
    # (tools/gen-windows-errors.sh) lists the same codes.
    print(f"note: {tsv} is missing; taking the codes from src/analyze/windows_errors.c")
    gen = open(os.path.join(root, "src/analyze/windows_errors.c")).read()
    rows = [[c, "0x%04X" % int(c), n] for c, n in re.findall(r'\{ (\d+), "(ERROR_IPSEC_IKE_\w+)" \}', gen)]
codes = 0
for parts in rows:
    if len(parts) < 3 or not parts[0].isdigit():
        continue
    code, hexcode, name = int(parts[0]), parts[1], parts[2]
    explain_ok(str(code), name)
    explain_ok(hexcode, name)
    explain_ok(name.lower(), name)
    codes += 1
print(f"ok   explain: {codes} Windows codes (decimal, hex, name)")

# Error notifies from the name tables: IKEv2 below 16384, IKEv1 below 8192.
names_c = open(os.path.join(root, "src/ike/names.c")).read()
notifies = 0
for table, version, limit in (("v2_notify", 2, 16384), ("v1_notify", 1, 8192)):
    body = names_c[names_c.index(f"static const struct name_entry {table}[]"):]
    body = body[:body.index("};")]
    for value, name in re.findall(r'\.value = (\d+), \.name = "(\w+)"', body):
        if int(value) >= limit:
            continue
        header = f"{name} (IKEv{version} error notify {value})"
        explain_ok(value, header)
        explain_ok(name.lower(), header)
        notifies += 1
print(f"ok   explain: {notifies} error notifies (number, name)")

for r in ids:
    explain_ok(r, r)
explain_ok("AUTH.No_Peer_Cert", "auth.no_peer_cert")
explain_ok("0x363f", "ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH")
print(f"ok   explain: {len(ids)} rules")

# The three seed errors name every cause the public pages give.
for code in ("13826", "13847", "13887"):
    out = run("explain", code).stdout.lower()
    for cause in ("chain.untrusted_root", "chain.missing_intermediate", "trusted root", "cert.not_yet_valid",
                  "crl", "computer store", "group policy", "not visible on the wire"):
        if cause not in out:
            fail(f"explain {code}: the cause '{cause}' is not named")

# Rule ids the knowledge base names must exist ("chain.*" names a family).
FAMILIES = "proposal|ke|auth|cert|chain|ts|internal_address|cp|ike|temporary|child_sa|notify|decrypt|peer|" \
           "path|capture|ikev1|id|psk"
for kb in ("src/analyze/kb_windows.c", "src/analyze/kb_notify.c"):
    body = open(os.path.join(root, kb)).read()
    for m in re.finditer(r"\b(?:" + FAMILIES + r")\.[a-z0-9_]+(?:\.[a-z0-9_]+)*", body):
        token = m.group(0)
        if body[m.end():m.end() + 2] == ".*" or re.search(r"\.(cer|pem|p12|pfx|conf|secrets|pcap|pcapng)$", token):
            continue
        if token not in registry:
            fail(f"{kb} names rule '{token}', which is not in the registry")
print("ok   rule ids named by the knowledge base exist")

for bad in ("no.such_rule", "99999", "0x", "ERROR_IPSEC_IKE_NOPE", "NOT_A_NOTIFY"):
    res = run("explain", bad)
    if res.returncode != 2 or res.stdout or len(res.stderr.strip().splitlines()) != 1:
        fail(f"explain {bad}: want one line on stderr and exit 2, got exit {res.returncode}")
print("ok   explain: unknown input refused")

print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
