#!/usr/bin/env python3
"""CI smoke run of one fuzz target (built with fuzz/standalone.c): every seed once, plus
the regression inputs kept under tests/regress/. A crash or sanitizer report fails it.

Usage: smoke.py EXE captures|keyfiles|endpointlogs SOURCE_ROOT
"""
import os
import subprocess
import sys

KEY_FILES = ("ikev1_decryption_table", "ikev2_decryption_table", "ikescope-keys.txt", "tcpdump-secrets.txt",
             "charon-initiator.log", "charon-responder.log", "pluto-initiator.log", "pluto-responder.log")


def seeds(kind, root):
    pcaps = os.path.join(root, "pcaps")
    out = []
    for name in sorted(os.listdir(pcaps)):
        folder = os.path.join(pcaps, name)
        if not os.path.isdir(folder):
            continue
        if kind == "captures":
            out += [os.path.join(folder, "capture.pcap")] if os.path.exists(os.path.join(folder, "capture.pcap")) else []
        elif kind == "endpointlogs":
            out += [os.path.join(folder, f) for f in KEY_FILES if f.endswith(".log") and os.path.exists(os.path.join(folder, f))]
        else:
            out += [os.path.join(folder, f) for f in KEY_FILES if os.path.exists(os.path.join(folder, f))]
    if kind == "endpointlogs":
        data = os.path.join(root, "tests", "cli", "data")
        out += [os.path.join(data, f) for f in sorted(os.listdir(data))] if os.path.isdir(data) else []
    regress = os.path.join(root, "tests", "regress")
    for dirpath, _, files in os.walk(regress):
        for f in sorted(files):
            is_capture = f.endswith((".pcap", ".pcapng", ".gz", ".cap"))
            is_fuzz_find = os.path.basename(dirpath).startswith("fuzz-" + kind)
            if (kind == "captures" and is_capture) or is_fuzz_find:
                out.append(os.path.join(dirpath, f))
    return out


def main():
    exe, kind, root = sys.argv[1:4]
    inputs = seeds(kind, root)
    if not inputs:
        print(f"FAIL: no {kind} seeds under {root}")
        return 1
    res = subprocess.run([exe, *inputs], capture_output=True, text=True, timeout=600)
    sys.stdout.write(res.stdout[-2000:])
    sys.stderr.write(res.stderr[-4000:])
    print(f"{os.path.basename(exe)}: {len(inputs)} {kind}, exit {res.returncode}")
    return res.returncode


if __name__ == "__main__":
    sys.exit(main())
