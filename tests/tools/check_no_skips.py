#!/usr/bin/env python3
"""tools/check-no-skips fails on a meson skip, on a Criterion test skipped inside a passing
suite, and on a script's SKIP line; and passes a clean log.

Usage: check_no_skips.py SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

CASES = [
    ("clean", [{"name": "unit / a", "result": "OK", "stdout": "[====] Synthesis: Tested: 3", "stderr": ""}], 0),
    ("meson skip", [{"name": "lab / live", "result": "SKIP", "stdout": "", "stderr": ""}], 1),
    ("criterion skip", [{"name": "capture / files", "result": "OK", "stdout": "",
                         "stderr": "[SKIP] fixtures::counts_match_tshark: IKESCOPE_FIXTURES is missing\n"}], 1),
    ("script skip", [{"name": "golden", "result": "OK", "stdout": "SKIP zeek: file is missing\n", "stderr": ""}], 1),
]


def main():
    tool = os.path.join(sys.argv[1], "tools", "check-no-skips")
    failed = 0
    for name, entries, want in CASES:
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "meson-logs"))
            with open(os.path.join(d, "meson-logs", "testlog.json"), "w") as f:
                for e in entries:
                    f.write(json.dumps(e) + "\n")
            r = subprocess.run([sys.executable, tool, d], capture_output=True, text=True, timeout=30)
            ok = r.returncode == want and (want == 0 or "skipped under CI=true" in r.stdout)
            print(("ok   " if ok else "FAIL ") + f"{name}: exit {r.returncode} {r.stdout.strip()}")
            failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
