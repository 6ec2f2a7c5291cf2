#!/usr/bin/env python3
"""Golden JSON tests: `ikescope analyze --format json` over real captures must equal the
reviewed expectation in tests/golden/expected/NAME.json.

Usage: run.py IKESCOPE SOURCE_ROOT FIXTURES [--regen]
  --regen rewrites the expectations; review the diff (git diff tests/golden) before committing.
Cases live in tests/golden/cases.txt: NAME  CAPTURE  exit=N  [EXTRA ARGS...]; a CAPTURE
starting with `ext:` is read from the external fixtures folder, others from the source tree.
exit=N is the exit status the case must end with under the default --fail-on error (0: no
error finding, 1: at least one, 2: an input error such as a truncated file); the JSON is
compared as well.
"""
import difflib
import json
import os
import subprocess
import sys


def normalise(doc):
    doc["tool"]["version"] = "VERSION"
    for inp in doc["inputs"]:
        inp["path"] = os.path.basename(inp["path"])
    for f in doc["findings"]:
        f["detail"] = f["detail"].replace(os.getcwd(), ".")
    return doc


def resolve(arg, root, fixtures):
    if arg.startswith("ext:"):
        return os.path.join(fixtures, arg[4:])
    return os.path.join(root, arg)


def main():
    exe, root, fixtures = sys.argv[1:4]
    regen = "--regen" in sys.argv[4:]
    cases_file = os.path.join(root, "tests/golden/cases.txt")
    failed = skipped = passed = 0
    for line in open(cases_file):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, capture, *extra = line.split()
        want_exit = [int(a[5:]) for a in extra if a.startswith("exit=")]
        extra = [a for a in extra if not a.startswith("exit=")]
        if len(want_exit) != 1:
            print(f"FAIL {name}: cases.txt must give the expected exit status once (exit=0, 1 or 2)")
            failed += 1
            continue
        path = resolve(capture, root, fixtures)
        extra = [resolve(a, root, fixtures) if a.startswith(("ext:", "pcaps/")) else a for a in extra]
        # Paths inside the document are made relative so expectations do not depend on the checkout.
        if not os.path.exists(path):
            print(f"SKIP {name}: {path} is missing")
            skipped += 1
            continue
        res = subprocess.run([exe, "analyze", "--format", "json", *extra, path],
                             capture_output=True, text=True, timeout=120)
        if res.returncode != want_exit[0]:
            print(f"FAIL {name}: exit {res.returncode}, the case expects {want_exit[0]}: {res.stderr.strip()}")
            failed += 1
            continue
        got = json.dumps(normalise(json.loads(res.stdout)), indent=2, sort_keys=True) + "\n"
        exp_path = os.path.join(root, "tests/golden/expected", name + ".json")
        if regen:
            with open(exp_path, "w") as f:
                f.write(got)
            print(f"wrote {exp_path}")
            continue
        if not os.path.exists(exp_path):
            print(f"FAIL {name}: no expectation {exp_path}; run with --regen and review it")
            failed += 1
            continue
        want = open(exp_path).read()
        if got != want:
            print(f"FAIL {name}:")
            sys.stdout.writelines(list(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), "expected", "got"))[:80])
            failed += 1
        else:
            print(f"ok   {name}")
            passed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    if failed:
        return 1
    return 77 if passed == 0 and skipped else 0


if __name__ == "__main__":
    sys.exit(main())
