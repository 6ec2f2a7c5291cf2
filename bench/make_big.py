#!/usr/bin/env python3
"""Builds a large capture by repeating the IKE negotiations of a source pcap many times,
each copy with fresh SPIs (so every copy is its own SA) and later timestamps.
Usage: make_big.py SOURCE.pcap OUT.pcap COPIES"""
import struct
import sys

src, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
magic = struct.unpack("<I", data[:4])[0]
if magic not in (0xa1b2c3d4, 0xa1b23c4d):
    sys.exit("make_big: the source must be a little-endian classic pcap")
header, records, off = data[:24], [], 24
while off + 16 <= len(data):
    sec, frac, incl, orig = struct.unpack("<IIII", data[off:off + 16])
    records.append((sec, frac, bytearray(data[off + 16:off + 16 + incl]), orig))
    off += 16 + incl
spis = set()
for _, _, pkt, _ in records:
    # Collect the SPIs at the start of each UDP payload on 500 (Ethernet + IPv4 only).
    if len(pkt) > 42 + 16 and pkt[12:14] == b"\x08\x00" and pkt[23] == 17:
        ihl = (pkt[14] & 15) * 4
        udp = 14 + ihl
        sport, dport = struct.unpack(">HH", pkt[udp:udp + 4])
        ike = udp + 8 + (4 if 4500 in (sport, dport) else 0)
        spis.update({bytes(pkt[ike:ike + 8]), bytes(pkt[ike + 8:ike + 16])})
spis.discard(b"\0" * 8)
span = records[-1][0] - records[0][0] + 1
with open(out, "wb") as f:
    f.write(header)
    for c in range(copies):
        tag = struct.pack(">I", c)
        for sec, frac, pkt, orig in records:
            p = bytes(pkt)
            for s in spis:
                p = p.replace(s, s[:4] + tag)
            f.write(struct.pack("<IIII", sec + c * span, frac, len(p), orig))
            f.write(p)
