#!/usr/bin/env python3
"""Builds the hostile inputs in this folder, each refused (or cut short) with an exact
message that tests/cli/edges.py pins. Deterministic.

Usage: make.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
IKE = bytes(range(28))  # 28 bytes that sit where an IKE header would


def pcap_header(snap=65535, link=1):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snap, link)


def record(data, caplen=None, wirelen=None, sec=1000):
    caplen = len(data) if caplen is None else caplen
    return struct.pack("<IIII", sec, 0, caplen, wirelen if wirelen is not None else caplen) + data


def main():
    frame = bytes(12) + b"\x08\x00" + bytes(20) + IKE  # Ethernet, IPv4-looking, 62 bytes
    # A record longer than libpcap's largest snap length (262144) is built by the test
    # itself (tests/cli/edges.py), not kept here: it is 300 KB. One merely above the file's
    # own snap length is read, as libpcap and Wireshark read it.
    # A record whose bytes end before its length says: the file was cut.
    with open(os.path.join(HERE, "truncated-record.pcap"), "wb") as f:
        f.write(pcap_header() + record(frame) + struct.pack("<IIII", 1001, 0, 62, 62) + frame[:20])
    # pcapng: a Section Header Block, then a block whose length is absurd (3 GiB).
    shb_body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
    shb = struct.pack("<II", 0x0A0D0D0A, 12 + len(shb_body)) + shb_body + struct.pack("<I", 12 + len(shb_body))
    absurd = struct.pack("<II", 0x00000006, 0xC0000000) + bytes(16)
    with open(os.path.join(HERE, "pcapng-absurd-block-length.pcapng"), "wb") as f:
        f.write(shb + absurd)


if __name__ == "__main__":
    main()
