#!/usr/bin/env python3
"""Writes the small subset of Wycheproof signature vectors that tests/unit/analyze/test_wycheproof.c
reads, from a checkout of github.com/C2SP/wycheproof (testvectors_v1/).

Usage: extract.py WYCHEPROOF_CHECKOUT
Each output line: tcId result spki-der-hex msg-hex sig-hex (result: valid, invalid, acceptable).
Of each file, the first PER_KIND valid and the first PER_KIND invalid tests (acceptable ones
are skipped: the test has nothing to assert on them), in file order.
"""
import base64
import json
import os
import sys

PER_KIND = 25
FILES = [
    "ecdsa_secp256r1_sha256_p1363_test",
    "ecdsa_secp384r1_sha384_p1363_test",
    "ecdsa_secp521r1_sha512_p1363_test",
    "ecdsa_secp256r1_sha256_test",
    "rsa_signature_2048_sha256_test",
    "rsa_pss_2048_sha256_mgf1_32_test",
    "ed25519_test",
    "ed448_test",
]


def spki(group):
    pem = group["publicKeyPem"]
    body = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
    return base64.b64decode(body).hex()


def main():
    src = os.path.join(sys.argv[1], "testvectors_v1")
    here = os.path.dirname(os.path.abspath(__file__))
    for name in FILES:
        doc = json.load(open(os.path.join(src, name + ".json")))
        out, kept = [], {"valid": 0, "invalid": 0}
        for g in doc["testGroups"]:
            key = spki(g)
            for t in g["tests"]:
                if kept.get(t["result"], PER_KIND) == PER_KIND:
                    continue
                kept[t["result"]] += 1
                out.append("%d %s %s %s %s" % (t["tcId"], t["result"], key, t["msg"] or "-", t["sig"] or "-"))
        n = len(out)
        with open(os.path.join(here, name + ".txt"), "w") as f:
            f.write("# %s: %d tests of wycheproof testvectors_v1/%s.json (see extract.py)\n" % (doc["algorithm"], n, name))
            f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
