#!/usr/bin/env python3
"""`ikescope keys convert` and key files end to end, over the lab captures in pcaps/:
charon logs need --capture (and get their SAs' SPIs from it), the converted Wireshark
tables equal the lab-verified ones and make both ikescope and tshark decrypt the capture,
whole libreswan pluto logs are key files, output is mode 0600 and no message carries key
material. Usage: keys_convert.py IKESCOPE SOURCE_ROOT"""
import glob
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

exe, root = sys.argv[1:3]
pcaps = os.path.join(root, "pcaps")
failures = []
HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")


def run(*args, env=None):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120, env=env)


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)


def key_runs(*paths):
    """Every long hex run in the key files: SPIs, and the key bytes themselves."""
    runs = set()
    for p in paths:
        text = open(p, errors="replace").read()
        runs.update(m.lower() for m in HEX_RUN.findall(text))
        # charon dumps keys as "9E 26 73 ..." rows: take each row's bytes too
        for row in re.findall(r"\d+: ((?:[0-9A-F]{2} ){4,}[0-9A-F]{2})", text):
            runs.add(row.replace(" ", "").lower())
    return runs


def assert_no_key_material(name, text, paths):
    """No key bytes in messages (SPIs may appear: they are in the capture anyway)."""
    spis = set()
    for p in paths:
        spis.update(s.lower() for s in re.findall(r"\b(?:0x)?([0-9a-fA-F]{16})\b", open(p, errors="replace").read()))
    leaks = [r for r in key_runs(*paths) if r not in spis and len(r) >= 16 and r[:16] in text.lower().replace(" ", "")]
    check(name + ": no key material in messages", not leaks, f"{len(leaks)} key(s) echoed")


def rows(path):
    if not os.path.exists(path):
        return set()
    return {l.strip() for l in open(path) if l.strip() and not l.startswith("#")}


def analyze(capture, *keyfiles):
    args = ["analyze", "--format", "json", "--fail-on", "never"]
    for k in keyfiles:
        args += ["--keys", k]
    r = run(*args, capture)
    return r, (json.loads(r.stdout) if r.returncode == 0 and r.stdout else None)


def decryption(doc):
    """Per message (frames, decryption state) of every encrypted message."""
    return [(tuple(m["frames"]), m["decryption"]) for s in doc["sas"] for m in s["messages"] if m["encrypted"]]


def tshark_fields(capture, tables):
    """tshark's payload types and identities per frame, with the given tables in its default profile."""
    with tempfile.TemporaryDirectory() as conf:
        os.makedirs(os.path.join(conf, "wireshark"))
        for name, path in tables.items():
            shutil.copy(path, os.path.join(conf, "wireshark", name))
        env = dict(os.environ, XDG_CONFIG_HOME=conf)
        res = subprocess.run(["tshark", "-n", "-r", capture, "-Y", "isakmp", "-T", "fields", "-E", "separator=|",
                              "-e", "frame.number", "-e", "isakmp.typepayload", "-e", "isakmp.id.data.fqdn",
                              "-e", "isakmp.id.data.ipv4_addr"],
                             capture_output=True, text=True, timeout=120, env=env)
    return res.stdout


have_tshark = shutil.which("tshark") is not None
if not have_tshark:
    print("SKIP (partly): tshark is not installed; the tshark checks need it (apt-get install tshark)")

scenarios = sorted(d for d in glob.glob(os.path.join(pcaps, "*"))
                   if os.path.exists(os.path.join(d, "charon-initiator.log")) and
                   os.path.exists(os.path.join(d, "capture.pcap")))
if not scenarios:
    print("SKIP: no lab captures with charon logs in pcaps/ (produced by the lab setup)")
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp:
    ref = os.path.join(pcaps, "ikev2-cert-libreswan")
    charon = os.path.join(ref, "charon-initiator.log")
    capture = os.path.join(ref, "capture.pcap")

    # 1. SPI-less keys without --capture: one clear line, nothing written.
    out = os.path.join(tmp, "nocap")
    r = run("keys", "convert", "--to", "wireshark", "-o", out, charon)
    check("charon log without --capture fails", r.returncode == 2, r.stderr)
    check("... in one line that says to pass --capture",
          r.stderr.count("\n") == 1 and "--capture" in r.stderr, r.stderr)
    check("... and writes no table", not glob.glob(out + "*"), glob.glob(out + "*"))
    assert_no_key_material("no --capture", r.stderr, [charon])

    # 2. Every scenario: convert with --capture, compare with the lab table, decrypt with the result.
    converted = 0
    for d in scenarios:
        name = os.path.basename(d)
        log, cap = os.path.join(d, "charon-initiator.log"), os.path.join(d, "capture.pcap")
        base = os.path.join(tmp, name)
        r = run("keys", "convert", "--to", "wireshark", "--capture", cap, "-o", base, log)
        if "holds no key dumps" in r.stderr:
            check(f"{name}: a log without keys is an error, not an empty table",
                  r.returncode == 2 and not glob.glob(base + "*"), r.stderr)
            continue
        check(f"{name}: convert --capture", r.returncode == 0, r.stderr)
        if r.returncode != 0:
            continue
        assert_no_key_material(f"{name}: convert", r.stderr + r.stdout, [log])
        v2, v1 = base + ".ikev2_decryption_table", base + ".ikev1_decryption_table"
        for t in (v2, v1):
            check(f"{name}: {os.path.basename(t)} is mode 0600", stat.S_IMODE(os.stat(t).st_mode) == 0o600)
        got = rows(v2) | rows(v1)
        if name == "ikev2-chacha20":
            check(f"{name}: ChaCha20 has no Wireshark name: skipped and said so",
                  not got and "1 skipped" in r.stderr, r.stderr)
            continue
        check(f"{name}: rows carry SPIs", got and all(re.match(r"^[0-9a-f]{16},", l) for l in got))
        lab = rows(os.path.join(d, "ikev2_decryption_table")) | rows(os.path.join(d, "ikev1_decryption_table"))
        if lab:
            check(f"{name}: the rows equal the lab-verified table", got == lab,
                  f"{len(got)} rows, {len(lab)} in the lab table, {len(got & lab)} alike")
        converted += 1

        # ikescope decrypts with the table exactly as with the log itself.
        keys = [t for t in (v2, v1) if rows(t)]
        r1, with_table = analyze(cap, *keys)
        r2, with_log = analyze(cap, log)
        check(f"{name}: analyze --keys converted table", with_table is not None, r1.stderr)
        if with_table and with_log:
            states = decryption(with_table)
            check(f"{name}: decrypts like the charon log does", states == decryption(with_log),
                  f"{states} vs {decryption(with_log)}")
            check(f"{name}: some message decrypted", any(s in ("ok", "fragment") for _, s in states), states)

        # tshark decrypts with the table as with the lab's own.
        if have_tshark and lab:
            mine = tshark_fields(cap, {os.path.basename(t)[len(name) + 1:]: t for t in keys})
            labs = tshark_fields(cap, {t: os.path.join(d, t) for t in ("ikev2_decryption_table",
                                                                       "ikev1_decryption_table")
                                       if os.path.exists(os.path.join(d, t))})
            none = tshark_fields(cap, {})
            check(f"{name}: tshark decrypts with the converted table as with the lab table", mine == labs)
            check(f"{name}: tshark shows more with the table than without", mine != none)
    check("scenarios converted", converted > 0, converted)

    # 3. The reference scenario in full: every encrypted message decrypts; identities appear in tshark.
    base = os.path.join(tmp, "ref")
    r = run("keys", "convert", "--to", "wireshark", "--capture", capture, "-o", base, charon)
    r1, doc = analyze(capture, base + ".ikev2_decryption_table") if r.returncode == 0 else (r, None)
    states = [s for _, s in decryption(doc)] if doc else []
    check("ikev2-cert-libreswan: every encrypted message decrypts with the converted table",
          states and all(s in ("ok", "fragment") for s in states), states)
    if have_tshark:
        fields = tshark_fields(capture, {"ikev2_decryption_table": base + ".ikev2_decryption_table"}) \
            if r.returncode == 0 else ""
        check("tshark reads the identities once decrypted", "moon.lab.ikescope.test" in fields and
              "sun.lab.ikescope.test" in fields, fields[-400:])

    # 4. --to ikescope gets SPIs from the capture too, and stays lossless without one.
    ours = os.path.join(tmp, "ours.keys")
    r = run("keys", "convert", "--to", "ikescope", "--capture", capture, "-o", ours, charon)
    text = open(ours).read() if os.path.exists(ours) else ""
    check("--to ikescope --capture fills in the SPIs",
          r.returncode == 0 and "spi_i=d4e1c6172e716e9c spi_r=c48dce7e857dab55" in text, r.stderr)
    r = run("keys", "convert", "--to", "ikescope", charon)
    check("--to ikescope without --capture keeps SPI-less sets (lossless)",
          r.returncode == 0 and "ikescope-keys v1 version=2" in r.stdout and "spi_i=" not in r.stdout, r.stderr)

    # 5. A capture of another connection: nothing matches, so nothing is written.
    other = os.path.join(pcaps, "ikev2-psk-aesgcm", "capture.pcap")
    out = os.path.join(tmp, "stranger")
    r = run("keys", "convert", "--to", "wireshark", "--capture", other, "-o", out, charon)
    check("keys of another connection: error, no table",
          r.returncode == 2 and r.stderr.count("\n") == 1 and "none of the" in r.stderr and not glob.glob(out + "*"),
          r.stderr)
    r = run("keys", "convert", "--to", "wireshark", "--capture", "/nonexistent.pcap", "-o", out, charon)
    check("unreadable capture: error naming it", r.returncode == 2 and "/nonexistent.pcap" in r.stderr, r.stderr)

    # 6. A whole libreswan pluto log is a key file.
    for log in sorted(glob.glob(os.path.join(pcaps, "*", "pluto-*.log"))):
        d = os.path.dirname(log)
        name = os.path.basename(d)
        r, doc = analyze(os.path.join(d, "capture.pcap"), log)
        check(f"{name}: analyze --keys {os.path.basename(log)}", doc is not None, r.stderr)
        assert_no_key_material(f"{name}: pluto log", r.stderr, [log])
        if not doc:
            continue
        states = [s for _, s in decryption(doc)]
        if os.path.exists(os.path.join(d, "tcpdump-secrets.txt")):
            check(f"{name}: every encrypted message decrypts with the pluto log",
                  states and all(s in ("ok", "fragment") for s in states) and
                  any(m["decrypted"] for s in doc["sas"] for m in s["messages"]), states)
            out = os.path.join(tmp, name + "-pluto")
            r = run("keys", "convert", "--to", "wireshark", "-o", out, log)
            check(f"{name}: pluto log converts without a capture (it names SPIs)",
                  r.returncode == 0 and rows(out + ".ikev2_decryption_table") == rows(os.path.join(d, "ikev2_decryption_table")),
                  r.stderr)
        else:
            check(f"{name}: a pluto log without key lines warns how to get them",
                  "plutodebug" in r.stderr and r.stderr.count("\n") == 1, r.stderr)

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all key conversion checks passed")
