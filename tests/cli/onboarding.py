#!/usr/bin/env python3
"""What a newcomer's first mistakes get: a mistyped subcommand ("did you mean"), and a
text export given as a capture (the hint to save the capture itself). One line on stderr,
exit status 2, as `ikescope --help` states.

Usage: onboarding.py IKESCOPE
"""
import os
import subprocess
import sys
import tempfile

failed = 0


def check(what, ok, detail=""):
    global failed
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    failed += not ok


def main():
    exe = sys.argv[1]
    r = subprocess.run([exe, "analyse", "x.pcap"], capture_output=True, text=True, timeout=30)
    check("'analyse' suggests 'analyze' in one line, exit 2",
          r.returncode == 2 and r.stderr == "ikescope: unknown command 'analyse'; did you mean 'analyze'? "
                                             "Run 'ikescope --help'\n" and not r.stdout, (r.returncode, r.stderr))
    r = subprocess.run([exe, "frobnicate"], capture_output=True, text=True, timeout=30)
    check("a far word gets no suggestion",
          r.returncode == 2 and r.stderr == "ikescope: unknown command 'frobnicate'; run 'ikescope --help'\n",
          (r.returncode, r.stderr))
    with tempfile.TemporaryDirectory() as d:
        text = os.path.join(d, "export.txt")
        with open(text, "w") as f:
            f.write("    1 0.000000000    192.0.2.1 → 192.0.2.2    ISAKMP 506 IKE_SA_INIT MID=00 Initiator Request\n")
        r = subprocess.run([exe, "analyze", text], capture_output=True, text=True, timeout=30)
        lines = r.stderr.splitlines()
        check("a text export gets the hint to save the capture as pcap or pcapng, exit 2",
              r.returncode == 2 and len(lines) == 1 and text in lines[0] and "text or hex export" in lines[0]
              and "pcapng" in lines[0], (r.returncode, r.stderr))
        binary = os.path.join(d, "random.bin")
        with open(binary, "wb") as f:
            f.write(bytes([0x00, 0xff, 0x13, 0x37]) * 8)
        r = subprocess.run([exe, "analyze", binary], capture_output=True, text=True, timeout=30)
        check("binary junk gets no text hint", r.returncode == 2 and "text" not in r.stderr, r.stderr)
    print(f"{failed} failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
