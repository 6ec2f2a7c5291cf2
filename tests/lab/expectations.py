#!/usr/bin/env python3
"""Checks ikescope against the ground truth written into every pcaps/*/scenario.md:
the SA outcome must match, and every expected finding whose rule ikescope already
implements must be reported. Expected findings of rules still to come are listed as
pending, so each later rule lands with its expectation already in place.

Usage: expectations.py IKESCOPE PCAPS_DIR
"""
import json
import os
import re
import subprocess
import sys

# Rules this version implements; a scenario expecting one of them must get it.
IMPLEMENTED = {
    "auth.failed", "auth.no_peer_cert", "proposal.no_common", "ke.invalid_group_retry",
    "peer.no_response", "path.fragments_lost", "ts.unacceptable", "proposal.weak",
    "ikev1.aggressive_psk",
    "cert.expired", "cert.not_yet_valid", "cert.key_usage", "cert.eku_mismatch", "cert.revoked",
    "chain.missing_intermediate", "chain.untrusted_root", "id.mismatch",
    "psk.mismatch", "auth.invalid_signature", "auth.sha1_refused", "revocation.fetched",
    "revocation.unreachable",
}
PKI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pki")
# Context rows in scenario.md that describe, not accuse; optional for every version.
INFO_ROWS = {"ike.fragmented", "ip.fragmented", "nat.detected", "sa.rekeyed"}


def expectations(md):
    text = open(md).read()
    m = re.search(r"SA outcome: \*\*(\w+)\*\*", text)
    rules = re.findall(r"^\| `([a-z0-9_.]+)` \|", text, re.M)
    return (m.group(1) if m else None), rules


def expected_rows(md):
    """rule -> (severity, Windows code or None) from the findings table."""
    rows = {}
    for rule, sev, win in re.findall(r"^\| `([a-z0-9_.]+)` \| *(\w+) *\| *([^|]*?) *\|", open(md).read(), re.M):
        code = re.match(r"(\d+)", win)
        rows[rule] = (sev, int(code.group(1)) if code else None)
    return rows


def strict_problems(doc, rows):
    """Every error or warning ikescope reports must be a row of the table, with the same
    severity and Windows code (info findings are optional context either way)."""
    problems = []
    for f in doc["findings"]:
        if f["severity"] == "info":
            continue
        row = rows.get(f["rule"])
        code = f["windows_error"]["code"] if f["windows_error"] else None
        if row is None:
            problems.append(f"{f['severity']} {f['rule']} (\"{f['title']}\") is not in scenario.md's table")
        elif (f["severity"], code) != row:
            problems.append(f"{f['rule']}: {f['severity']}/{code}, the table says {row[0]}/{row[1]}")
    return problems


KEY_FILES = ("ikev2_decryption_table", "ikev1_decryption_table", "ikescope-keys.txt",
             "tcpdump-secrets.txt", "charon-initiator.log", "charon-responder.log",
             "pluto-initiator.log", "pluto-responder.log")


def undecrypted_with(exe, folder, keyfile):
    """Encrypted messages that one key file alone leaves undecrypted (the issue asks
    every scenario to decrypt completely with each key format it provides)."""
    res = subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never", "--keys", keyfile,
                          os.path.join(folder, "capture.pcap")], capture_output=True, text=True, timeout=60)
    if re.search(r"holds no .*key", res.stderr):
        return []  # a log without key dumps (that daemon never derived keys): nothing to check
    doc = json.loads(res.stdout)
    return [m["frames"][-1] for s in doc["sas"] for m in s["messages"]
            if m["encrypted"] and m["decryption"] not in ("ok", "fragment")]


def key_args(folder):
    args = []
    for name in ("ikev2_decryption_table", "ikev1_decryption_table", "ikescope-keys.txt"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            args += ["--keys", path]
    return args


def pem_body(path):
    """The base64 of a PEM certificate, to compare files whatever their line ends."""
    text = open(path).read()
    m = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S)
    return re.sub(r"\s", "", m.group(1)) if m else None


def trust_args(folder):
    """What the initiator trusted, as scenario.md says ("trusts `root-a`, `int-b`"), as --ca;
    the folder's other CA files (the unrelated root, for reference) as --intermediate, so a
    chain to them is complete but untrusted; every crl-*.pem as --crl."""
    md = open(os.path.join(folder, "scenario.md")).read()
    m = re.search(r"^- \*\*initiator[^\n]*?trusts ([^;\n]+)", md, re.M)
    trusted = set(re.findall(r"`([a-z0-9-]+)`", m.group(1))) if m else set()
    bodies = {pem_body(os.path.join(PKI, n + ".crt")) for n in trusted
              if os.path.exists(os.path.join(PKI, n + ".crt"))}
    args = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith("ca-") and name.endswith(".pem"):
            # A CA issued for this run only (ca-fresh-root.pem) is no lab PKI file: its name says.
            own = name[3:-4] in trusted
            args += ["--ca" if own or pem_body(path) in bodies else "--intermediate", path]
    if any(a == "--ca" for a in args):
        args += [x for name in sorted(os.listdir(folder)) if name.startswith("crl-") and name.endswith(".pem")
                 for x in ("--crl", os.path.join(folder, name))]
    return args


def lab_psks():
    """Scenario name -> the responder's pre-shared key, for the IKEv2 PSK scenarios of
    tests/lab/ikelab/scenarios.py (the lab's throw-away test keys)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    from ikelab import scenarios
    return {s["name"]: s["resp"]["psk"] for s in scenarios.S
            if s["resp"] and s["resp"]["auth"] == "psk" and s["resp"]["version"] == 2 and s["resp"]["psk"]}


def psk_args(folder, psk):
    """The responder's key as the one candidate, with the initiator's charon log as keys:
    Wireshark tables carry no SK_pi/SK_pr, the log does (RFC 7296 §2.15 needs them)."""
    log = os.path.join(folder, "charon-initiator.log")
    if not psk or not os.path.exists(log):
        return []
    return ["--psk", psk]


# Failures whose shape the wire shows without keys (issue: honest outcomes without keys).
KEYLESS_VISIBLE = {"auth.failed", "auth.no_peer_cert"}


def keyless_problems(exe, folder, outcome, rules):
    """The same capture without any key: never `established` for a failure, never more than
    the wire shows for a success, and the failures whose shape is visible reported as
    findings (likely). A scenario.md line `- without keys: not visible: RULE, ...` exempts
    rules whose shape a capture cannot show (say, a tampered message in a capture that went
    on as the untouched one did)."""
    res = subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never",
                          os.path.join(folder, "capture.pcap")], capture_output=True, text=True, timeout=60)
    doc = json.loads(res.stdout)
    got = [s["outcome"] for s in doc["sas"]]
    found = {f["rule"] for f in doc["findings"]}
    problems = []
    if outcome in ("failed", "incomplete") and "established" in got[:1]:
        problems.append(f"without keys: outcome {got} for a {outcome} scenario")
    if outcome == "established" and got[:1] not in (["established"], ["unknown"]):
        problems.append(f"without keys: outcome {got} for an established scenario")
    m = re.search(r"^- without keys: not visible: (.*)$", open(os.path.join(folder, "scenario.md")).read(), re.M)
    exempt = set(re.findall(r"[a-z0-9_.]+", m.group(1))) if m else set()
    missing = sorted(r for r in rules if r in KEYLESS_VISIBLE and r not in found and r not in exempt)
    if missing:
        problems.append(f"without keys: missing {missing} (got {sorted(found)})")
    loud = sorted({f["rule"] for f in doc["findings"] if f["severity"] in ("error", "warning")} - set(rules))
    if loud:
        problems.append(f"without keys: errors or warnings the scenario does not expect: {loud}")
    return problems


# Rules that need trust anchors (or CRLs) to be certain: with --ca they may come on top of
# what the same capture gives without, and nothing else may differ. A likely id.mismatch
# (the responder refused without showing itself) is claimed only once the initiator's chain
# is shown good, which takes the anchors when the responder's requests cannot be named.
TRUST_RULES_PREFIX = ("chain.", "cert.revoked", "id.mismatch")


def loud(doc):
    return {f["rule"] for f in doc["findings"] if f["severity"] in ("error", "warning")}


def without_ca_problems(exe, folder, keys, psk, with_ca):
    """The same keys without --ca/--intermediate/--crl: the same verdicts, less at most the
    chain verdicts, and no error or warning the run with the anchors does not give."""
    res = subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never", *keys, *psk,
                          os.path.join(folder, "capture.pcap")], capture_output=True, text=True, timeout=60)
    doc = json.loads(res.stdout)
    plain, anchored = loud(doc), loud(with_ca)
    problems = []
    extra = sorted(plain - anchored)
    if extra:
        problems.append(f"without --ca: {extra} that the run with --ca does not give")
    only_ca = sorted(r for r in anchored - plain if not r.startswith(TRUST_RULES_PREFIX))
    if only_ca:
        problems.append(f"without --ca: {only_ca} missing, and they need no trust anchor")
    return problems


def full_key_problems(exe, folder, outcome):
    """With both daemons' logs, every signature AUTH of a success is valid. Only charon logs
    SK_pi/SK_pr (pluto keeps them inside NSS even at plutodebug=all,private), so a scenario
    with no charon log has nothing to complete the check with."""
    logs = [os.path.join(folder, n) for n in ("charon-initiator.log", "charon-responder.log",
                                              "pluto-initiator.log", "pluto-responder.log")
            if os.path.exists(os.path.join(folder, n))]
    if outcome != "established" or not any("charon" in os.path.basename(p) for p in logs) \
            or "auth.invalid_signature" in expectations(os.path.join(folder, "scenario.md"))[1]:
        return []
    keys = [a for path in logs for a in ("--keys", path)]
    res = subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never", *keys,
                          os.path.join(folder, "capture.pcap")], capture_output=True, text=True, timeout=60)
    doc = json.loads(res.stdout)
    problems = []
    for sa in doc["sas"]:
        for c in sa.get("auth_checks", []):
            if c["result"] not in ("valid",):
                problems.append(f"full keys: SA {sa['id']} {c['sender']} AUTH is {c['result']} ({c.get('reason')})")
    return problems


def main():
    exe, pcaps = sys.argv[1], sys.argv[2]
    if not os.path.isdir(pcaps):
        print(f"SKIP: {pcaps} is missing")
        return 77
    failed = pending_total = 0
    psks = lab_psks()
    for name in sorted(os.listdir(pcaps)):
        folder = os.path.join(pcaps, name)
        md = os.path.join(folder, "scenario.md")
        if name.startswith(".") or not os.path.exists(md):
            continue
        outcome, rules = expectations(md)
        psk = psk_args(folder, psks.get(name))
        keys = ["--keys", os.path.join(folder, "charon-initiator.log")] if psk else key_args(folder)
        res = subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never", *keys, *psk,
                              *trust_args(folder), os.path.join(folder, "capture.pcap")],
                             capture_output=True, text=True, timeout=60)
        doc = json.loads(res.stdout)
        got_outcomes = [s["outcome"] for s in doc["sas"]]
        got_rules = {f["rule"] for f in doc["findings"]}
        problems = []
        if outcome and (not got_outcomes or got_outcomes[0] != outcome):
            problems.append(f"outcome {got_outcomes} expected {outcome}")
        missing = [r for r in rules if r in IMPLEMENTED and r not in got_rules]
        if missing:
            problems.append(f"missing findings {missing} (got {sorted(got_rules)})")
        if psk and outcome == "established":
            # Both sides hold the responder's key: each AUTH must match it, candidate 1.
            checks = {c["sender"]: (c["result"], c["candidate"]) for s in doc["sas"][:1] for c in s["psk_checks"]}
            if checks != {"initiator": ("matched", 1), "responder": ("matched", 1)} or "psk.matched" not in got_rules \
                    or "psk.mismatch" in got_rules:
                problems.append(f"PSK AUTH not matched on both sides: {checks}, findings {sorted(got_rules)}")
        problems += strict_problems(doc, expected_rows(md))
        encrypted = any(m["encrypted"] for s in doc["sas"] for m in s["messages"])
        for kf in KEY_FILES:
            path = os.path.join(folder, kf)
            if not encrypted or not os.path.exists(path):
                continue
            # Each daemon's log holds the keys of the SAs it took part in; the responder
            # log of a scenario whose responder never derived keys has none.
            left = undecrypted_with(exe, folder, path)
            if left:
                problems.append(f"{kf} leaves frames {left[:8]} undecrypted")
        problems += keyless_problems(exe, folder, outcome, rules)
        if trust_args(folder):
            problems += without_ca_problems(exe, folder, keys, psk, doc)
        problems += full_key_problems(exe, folder, outcome)
        pending = [r for r in rules if r not in IMPLEMENTED and r not in INFO_ROWS]
        pending_total += len(pending)
        print(f"{'ok  ' if not problems else 'FAIL'} {name}: {outcome}"
              + (f"; pending rules: {', '.join(pending)}" if pending else ""))
        for p in problems:
            print(f"     {p}")
        failed += bool(problems)
    print(f"{failed} scenario(s) disagree; {pending_total} expected findings wait for rules not written yet")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
