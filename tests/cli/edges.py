#!/usr/bin/env python3
"""Issue 16, the edges: reports that cannot be written, limits checked before reading, one
line per usage error, options that do nothing, messages that do not contradict themselves,
and hostile inputs refused with an exact message (tests/regress/). Every check compares the
whole of stderr and the exit status. Usage: edges.py IKESCOPE SOURCE_ROOT"""
import os
import resource
import signal
import subprocess
import sys
import tempfile

exe, root = os.path.abspath(sys.argv[1]), sys.argv[2]
failures = []
PCAPS = os.path.join(root, "pcaps")
REGRESS = os.path.join(root, "tests", "regress")
NO_PEER_CERT = os.path.join(PCAPS, "ikev2-no-peer-cert")


def run(*args, cwd=None, stdout=None, preexec=None):
    return subprocess.run([exe, *args], stdout=stdout if stdout else subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60, cwd=cwd, preexec_fn=preexec)


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)


def expect(name, r, status, stderr):
    """Exact exit status and exact stderr."""
    check(name, r.returncode == status and r.stderr == stderr,
          f"status {r.returncode} (want {status}), stderr {r.stderr!r} (want {stderr!r})")


def small_files(limit):
    """For preexec_fn: files may grow to `limit` bytes; beyond, write(2) fails with EFBIG."""
    def pre():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return pre


capture = os.path.join(NO_PEER_CERT, "capture.pcap")
table = os.path.join(NO_PEER_CERT, "ikev2_decryption_table")

# ---- A report that cannot be written is an error ------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    expect("-o /dev/full is an error", run("analyze", "-o", "/dev/full", capture), 2,
           "ikescope: /dev/full: cannot write the report: No space left on device\n")
    with open("/dev/full", "w") as full:
        expect("stdout on a full disk is an error", run("analyze", capture, stdout=full), 2,
               "ikescope: standard output: cannot write the report: No space left on device\n")
    report = os.path.join(tmp, "report.json")
    with open(report, "w") as f:
        f.write("the previous report\n")
    r = run("analyze", "-f", "json", "-o", "report.json", capture, cwd=tmp, preexec=small_files(1000))
    expect("a report cut short by the file size limit is an error", r, 2,
           "ikescope: report.json: cannot write the report: File too large\n")
    check("a failed -o leaves the previous file as it was", open(report).read() == "the previous report\n")
    check("a failed -o leaves no temporary file", os.listdir(tmp) == ["report.json"], os.listdir(tmp))
    r = run("analyze", "-f", "json", "-o", "report.json", capture, cwd=tmp)
    check("a written -o replaces the file whole", r.returncode == 1 and open(report).read().startswith("{"),
          r.stderr)
    check("no temporary file after a written -o", os.listdir(tmp) == ["report.json"], os.listdir(tmp))
    expect("-o into a missing directory", run("analyze", "-o", "nodir/r.txt", capture, cwd=tmp), 2,
           "ikescope: nodir/r.txt: cannot write the report: No such file or directory\n")

    expect("keys convert -o /dev/full says the failure and claims nothing",
           run("keys", "convert", "--to", "ikescope", "-o", "/dev/full", table), 2,
           "ikescope keys convert: /dev/full: cannot write the keys: No space left on device\n")
    with open("/dev/full", "w") as full:
        expect("keys convert to a full stdout", run("keys", "convert", "--to", "ikescope", table, stdout=full), 2,
               "ikescope keys convert: standard output: cannot write the keys: No space left on device\n")
    r = run("keys", "convert", "--to", "ikescope", "-o", "k.keylog", table, cwd=tmp, preexec=small_files(100))
    expect("keys convert cut short by the file size limit", r, 2,
           "ikescope keys convert: k.keylog: cannot write the keys: File too large\n")
    check("a failed keys convert leaves no file", sorted(os.listdir(tmp)) == ["report.json"], os.listdir(tmp))

# ---- Limits before reading ----------------------------------------------------------------
# Sparse files one byte over each limit: the exact size in the message can only come from
# fstat (a bounded read stops one byte past the limit and never learns it), and a 1 GiB read
# would take seconds and a gigabyte of memory.
LIMITS = [  # (file, size, options, message)
    ("big.keys", (1 << 30) + 1, ["--keys"],
     "ikescope: {p}: 1073741825 bytes, larger than 1 GiB (cut the log down to the connection attempt)\n"),
    ("big.psk", (1 << 20) + 1, ["--psk-file"],
     "ikescope: {p}: cannot read the --psk-file: 1048577 bytes, larger than 1 MiB\n"),
    ("big-ca.pem", (64 << 20) + 1, ["--ca"],
     "ikescope: {p}: the --ca file is 67108865 bytes, larger than 64 MiB\n"),
    ("big-int.pem", (64 << 20) + 1, ["--intermediate"],
     "ikescope: {p}: the --intermediate file is 67108865 bytes, larger than 64 MiB\n"),
    ("big.crl", (64 << 20) + 1, ["--ca", os.path.join(NO_PEER_CERT, "ca-root.pem"), "--crl"],
     "ikescope: {p}: the --crl file is 67108865 bytes, larger than 64 MiB\n"),
]
with tempfile.TemporaryDirectory() as tmp:
    for name, size, opts, message in LIMITS:
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.truncate(size)
        expect(f"{opts[-1]} over its limit is refused from its size", run("analyze", *opts, path, capture), 2,
               message.format(p=path))
    big = os.path.join(tmp, "big.keys")
    expect("keys convert refuses a key file over 1 GiB from its size", run("keys", "convert", "--to", "ikescope", big),
           2, f"ikescope: {big}: 1073741825 bytes, larger than 1 GiB (cut the log down to the connection attempt)\n")

# ---- one line per usage error ----------------------------------------------------------------
capture = os.path.join(NO_PEER_CERT, "capture.pcap")
expect("an unknown analyze option is one line", run("analyze", "--foo", capture), 2,
       "ikescope analyze: unknown option '--foo'; run 'ikescope analyze --help'\n")
expect("an unknown short option is one line, naming the letter", run("analyze", "-x", capture), 2,
       "ikescope analyze: unknown option '-x'; run 'ikescope analyze --help'\n")
expect("an option without its value is one line", run("analyze", "--keys"), 2,
       "ikescope analyze: option '--keys' needs a value; run 'ikescope analyze --help'\n")
expect("a value given to an option that takes none is one line", run("analyze", "--help=yes", capture), 2,
       "ikescope analyze: unknown option '--help'; run 'ikescope analyze --help'\n")
expect("keys convert: an unknown option is one line", run("keys", "convert", "--bogus"), 2,
       "ikescope keys convert: unknown option '--bogus'; run 'ikescope keys convert --help'\n")
expect("rules: an unknown option is one line", run("rules", "--bogus"), 2,
       "ikescope rules: unknown option '--bogus'; run 'ikescope rules --help'\n")

# ---- options that do nothing are said ----------------------------------------------------------
psk_dir = os.path.join(PCAPS, "ikev2-psk-aesgcm")
psk_cap = os.path.join(psk_dir, "capture.pcap")
r = run("analyze", "--psk", "", "--keys", os.path.join(psk_dir, "charon-initiator.log"), psk_cap)
check("an empty --psk is a warning, and the run goes on", r.returncode in (0, 1) and
      r.stderr == "ikescope analyze: warning: --psk #1 is empty and is ignored\n", (r.returncode, r.stderr))
want_nokeys = ("ikescope analyze: warning: --psk and --psk-file need keys that carry SK_pi/SK_pr (a charon log at "
               "ike = 4, or an ikescope key log with them or with the DH secret); no --keys were given, so no "
               "pre-shared key can be checked\n")
r = run("analyze", "--psk", "x", psk_cap)
check("--psk without --keys says what is missing", r.stderr == want_nokeys, r.stderr)
r = run("analyze", "--psk", "x", "--keys", os.path.join(psk_dir, "ikev2_decryption_table"), psk_cap)
check("--psk with a Wireshark table (no SK_pi/SK_pr) says what is missing",
      r.stderr == want_nokeys.replace("no --keys were given", "the keys given carry none"), r.stderr)
r = run("analyze", "--psk", "x", "--keys", os.path.join(psk_dir, "charon-initiator.log"), psk_cap)
check("--psk with a charon log warns of nothing", r.stderr == "", r.stderr)

# ---- messages that do not contradict themselves --------------------------------------------------
# An IKEv2 message whose ICV verifies but whose Pad Length is impossible (built by
# tests/regress/tracking/make.py with the lab's keys): the finding must not talk of IKEv1.
import json
bad_pad = os.path.join(REGRESS, "tracking", "ikev2-impossible-padding.pcap")
r = run("analyze", "-f", "json", "--keys", os.path.join(NO_PEER_CERT, "ikev2_decryption_table"), bad_pad)
found = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "ike.sk.decrypt_failed"] if r.stdout else []
check("an IKEv2 decryption failure after a passing ICV never mentions IKEv1",
      len(found) == 1 and "IKEv1" not in found[0]["detail"] and "integrity check passed" in found[0]["detail"],
      found)

# ---- hostile inputs refused with an exact message (tests/regress/hostile/make.py) ----------------
hostile = os.path.join(REGRESS, "hostile")
p = os.path.join(hostile, "truncated-record.pcap")
expect("a record cut short by the end of the file", run("analyze", p), 2,
       f"ikescope: {p}: packet 2: the file ends in the middle of a packet record (truncated capture); "
       "analysed the 1 packet before it\n")
p = os.path.join(hostile, "pcapng-absurd-block-length.pcapng")
expect("a pcapng block of absurd length", run("analyze", p), 2,
       f"ikescope: {p}: a block of 3221225472 bytes is larger than the 16 MiB ikescope accepts (corrupt capture?)\n")
with tempfile.TemporaryDirectory() as tmp:
    import struct
    p = os.path.join(tmp, "caplen-above-snaplen.pcap")
    frame = bytes(12) + b"\x08\x00" + bytes(48)
    with open(p, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        f.write(struct.pack("<IIII", 1000, 0, len(frame), len(frame)) + frame)
        f.write(struct.pack("<IIII", 1001, 0, 300000, 300000) + bytes(300000))
    expect("a captured length above the snap length", run("analyze", p), 2,
           f"ikescope: {p}: packet 2: invalid packet capture length 300000, bigger than snaplen of 65535; "
           "analysed the 1 packet before it\n")

# ---- end of the checks --------------------------------------------------------------------
if failures:
    print(f"{len(failures)} edge check(s) failed: " + ", ".join(failures))
    sys.exit(1)
print("all edge checks passed")
