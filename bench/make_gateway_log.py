#!/usr/bin/env python3
"""Writes a day of a busy gateway's charon log, for timing --endpoint-log against a large
capture (docs/performance.md, "Endpoint logs").

  make_gateway_log.py OUT LINES [--peers N]

Each statement is an outcome charon logs ("IKE_SA ... established between", "no issuer
certificate found", "received AUTHENTICATION_FAILED notify error"), for one of N peers
(default 10,000) in 198.18.0.0/15, after the datagram line its worker thread logs for
it (as charon does at its default log level), spread over a day: none of them is one of the lab
captures' addresses, so every statement is a candidate only for SAs of its own peer."""
import argparse

STATEMENTS = (
    "IKE_SA gw[{n}] established between 203.0.113.1[gw.example]...{peer}[client{n}.example]",
    "no issuer certificate found for \"C=XX, O=Example, CN=client{n}.example\"",
    "received AUTHENTICATION_FAILED notify error",
)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("lines", type=int)
    ap.add_argument("--peers", type=int, default=10000)
    a = ap.parse_args()
    with open(a.out + ".part", "w") as f:
        for n in range(a.lines):
            k = n % a.peers
            peer = f"198.{18 + (k >> 16 & 1)}.{k >> 8 & 255}.{k & 255}"
            sec = n * 86400 // max(a.lines, 1)
            stamp = f"{MONTHS[11]}  5 {sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
            thread = 1 + n % 16
            f.write(f"{stamp} {thread:02d}[NET] received packet: from {peer}[4500] to 203.0.113.1[4500] "
                    f"(540 bytes)\n")
            f.write(f"{stamp} {thread:02d}[IKE] " + STATEMENTS[n % 3].format(n=n, peer=peer) + "\n")
    import os
    os.replace(a.out + ".part", a.out)


if __name__ == "__main__":
    main()
