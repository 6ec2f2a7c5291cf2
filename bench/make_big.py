#!/usr/bin/env python3
"""Builds large benchmark captures out of a small lab capture (classic pcap, Ethernet).

  make_big.py sas SRC OUT COPIES [--keys TABLE --keys-out OUT_TABLE] [--noise N]
      Repeats every packet of SRC COPIES times. Each copy gets fresh SPIs (the low four
      bytes of both SPIs become the copy number) and is shifted by the capture's span
      (rounded up to a whole second), so every copy is its own, later, IKE SA.
      SPIs are rewritten in the IKE header only: UDP 500 and 4500 (after the four-byte
      non-ESP marker; ESP-in-UDP and NAT keepalives are left alone) and the first IP
      fragment of a fragmented datagram (the later fragments hold no IKE header).
      UDP checksums are recomputed (IPv4 and IPv6), or zeroed for fragmented IPv4.
      --keys TABLE: SRC's Wireshark ikev2_decryption_table. Writes --keys-out with one
      row per copy (SPIs rewritten the same way, SK_* unchanged) and, because the ICV of
      an encrypted message covers the IKE header and so the SPIs, recomputes the ICV of
      every SK/SKF message with SK_ai/SK_ar, so that decryption still verifies. Only
      for HMAC integrity (not AEAD: there the header is AAD of the cipher itself).
      --noise N: after each copy's IKE packets, N non-IKE packets between the same two
      hosts, spread evenly over the gap before the next copy (the file stays in time
      order): UDP 443 (1200 B payload), TCP 443 (1448 B, one stream whose sequence
      numbers go on across copies, valid checksum), ESP-in-UDP on 4500 (1400 B), a DNS
      A query and NAT keepalives on 4500, cycled in that order.

  make_big.py pending SRC OUT COUNT [--rate R]
      COUNT IKE_SA_INIT requests (the first one in SRC) with fresh initiator SPIs, R per
      second of capture time (default 20), never answered: many concurrent SAs that
      never finish, for the idle timeout and the live-SA bound.

  OUT (and OUT_TABLE) are written as OUT.part and renamed when complete, so an
  interrupted run never leaves a truncated capture that looks finished.
"""
import argparse
import csv
import hashlib
import hmac
import os
import struct
import sys

INTEG = {  # Wireshark ikev2_decryption_table integrity names -> (hash, ICV bytes)
    "HMAC_MD5_96": (hashlib.md5, 12),
    "HMAC_SHA1_96": (hashlib.sha1, 12),
    "HMAC_SHA2_256_128": (hashlib.sha256, 16),
    "HMAC_SHA2_384_192": (hashlib.sha384, 24),
    "HMAC_SHA2_512_256": (hashlib.sha512, 32),
}


def read_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        sys.exit("make_big: %s must be a little-endian classic pcap" % path)
    nano = magic == 0xA1B23C4D
    if struct.unpack("<I", data[20:24])[0] != 1:
        sys.exit("make_big: %s must have Ethernet link type" % path)
    recs, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        recs.append([sec, frac, bytearray(data[off + 16:off + 16 + incl]), orig])
        off += 16 + incl
    return data[:24], recs, nano


def csum(data):
    if len(data) & 1:
        data = bytes(data) + b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


class Udp:
    """Where things are in one Ethernet frame carrying UDP (None if it does not)."""

    def __init__(self, pkt):
        self.ok = False
        eth = 14
        et = struct.unpack(">H", pkt[12:14])[0] if len(pkt) >= 14 else 0
        while et in (0x8100, 0x88A8) and len(pkt) >= eth + 4:
            et = struct.unpack(">H", pkt[eth + 2:eth + 4])[0]
            eth += 4
        self.ip = eth
        self.fragmented = False
        if et == 0x0800 and len(pkt) >= eth + 20:
            self.v6 = False
            ihl = (pkt[eth] & 15) * 4
            flags_off = struct.unpack(">H", pkt[eth + 6:eth + 8])[0]
            if pkt[eth + 9] != 17 or flags_off & 0x1FFF:  # not UDP, or a later fragment
                return
            self.fragmented = bool(flags_off & 0x2000)
            self.udp = eth + ihl
        elif et == 0x86DD and len(pkt) >= eth + 40:
            self.v6 = True
            if pkt[eth + 6] != 17:  # extension headers (fragments included): left alone
                return
            self.udp = eth + 40
        else:
            return
        if len(pkt) < self.udp + 8:
            return
        self.sport, self.dport, self.ulen = struct.unpack(">HHH", pkt[self.udp:self.udp + 6])
        self.ok = True

    def ike_offset(self, pkt):
        """Offset of the IKE header, or None (ESP-in-UDP, keepalive, other ports)."""
        p = self.udp + 8
        if 4500 in (self.sport, self.dport):
            if pkt[p:p + 4] != b"\0\0\0\0":
                return None
            p += 4
        elif 500 not in (self.sport, self.dport):
            return None
        return p if len(pkt) >= p + 28 else None

    def fix_checksum(self, pkt):
        c = self.udp + 6
        if self.fragmented:
            if self.v6:
                sys.exit("make_big: fragmented IPv6 UDP is not supported")
            pkt[c:c + 2] = b"\0\0"  # IPv4 allows "no checksum"; the datagram spans fragments
            return
        if not self.v6 and pkt[c:c + 2] == b"\0\0":
            return
        seg = pkt[self.udp:self.udp + self.ulen]
        seg[6:8] = b"\0\0"
        if self.v6:
            pseudo = pkt[self.ip + 8:self.ip + 40] + struct.pack(">IxxxB", self.ulen, 17)
        else:
            pseudo = pkt[self.ip + 12:self.ip + 20] + struct.pack(">xBH", 17, self.ulen)
        v = 0xFFFF - csum(pseudo + seg)
        pkt[c:c + 2] = struct.pack(">H", v or 0xFFFF)


def encrypted(pkt, ike, end):
    """Whether the IKEv2 message's payload chain reaches SK (46) or SKF (53)."""
    if pkt[ike + 17] >> 4 != 2:
        return False
    nxt, p = pkt[ike + 16], ike + 28
    while nxt not in (0, 46, 53) and p + 4 <= end:
        nxt, plen = pkt[p], struct.unpack(">H", pkt[p + 2:p + 4])[0]
        if plen < 4:
            return False
        p += plen
    return nxt in (46, 53)


def load_keys(path):
    rows = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        f = next(csv.reader([line]))
        integ = f[7].split(" ")[0]
        if integ not in INTEG:
            sys.exit("make_big: integrity %r: only HMAC tables can have their ICVs recomputed" % f[7])
        rows.append((bytes.fromhex(f[0]), bytes.fromhex(f[1]), f, INTEG[integ]))
    return rows


def sas(args):
    header, recs, nano = read_pcap(args.src)
    keys = load_keys(args.keys) if args.keys else []
    # Pre-compute, per record, where its IKE header is and what its key row is.
    plan = []
    for rec in recs:
        u = Udp(rec[2])
        ike = u.ike_offset(rec[2]) if u.ok else None
        icv = None
        if ike is not None and keys:
            spi_i = bytes(rec[2][ike:ike + 8])
            row = next((k for k in keys if k[0] == spi_i), None)
            end = ike + struct.unpack(">I", rec[2][ike + 24:ike + 28])[0]
            if row and encrypted(rec[2], ike, end):
                if u.fragmented:
                    sys.exit("make_big: cannot recompute the ICV of an IP-fragmented message")
                f, (h, n) = row[2], row[3]
                key = bytes.fromhex(f[5] if rec[2][ike + 19] & 0x08 else f[6])
                icv = (key, h, n, end)
        plan.append((u if ike is not None else None, ike, icv))
    first = recs[0][0]
    span = recs[-1][0] - first + 1
    unit = 1000000000 if nano else 1000000
    if args.noise:
        # Noise goes between a copy's last packet and the next copy's first one.
        last = recs[-1][0] * unit + recs[-1][1]
        if (first + span) * unit + recs[0][1] - last < unit // 2:
            span += 1
        gap = (first + span) * unit + recs[0][1] - last
        noise_at = [last + (i + 1) * gap // (args.noise + 1) for i in range(args.noise)]
        noise = Noise(recs, args.noise)
    out_keys = open(args.keys_out + ".part", "w") if args.keys_out else None
    with open(args.out + ".part", "wb") as f:
        f.write(header)
        for c in range(args.copies):
            tag = struct.pack(">I", c)
            shift = c * span
            for (sec, frac, pkt, orig), (u, ike, icv) in zip(recs, plan):
                if u is not None:
                    p = bytearray(pkt)
                    if p[ike:ike + 8] != bytes(8):
                        p[ike + 4:ike + 8] = tag
                    if p[ike + 8:ike + 16] != bytes(8):
                        p[ike + 12:ike + 16] = tag
                    if icv:
                        key, h, n, end = icv
                        p[end - n:end] = hmac.new(key, bytes(p[ike:end - n]), h).digest()[:n]
                    u.fix_checksum(p)
                else:
                    p = pkt
                f.write(struct.pack("<IIII", sec + shift, frac, len(p), orig))
                f.write(p)
            if args.noise:
                for i, p in enumerate(noise.copy(c)):
                    t = noise_at[i] + shift * unit
                    f.write(struct.pack("<IIII", t // unit, t % unit, len(p), len(p)))
                    f.write(p)
            if out_keys:
                for spi_i, spi_r, row, _ in keys:
                    r = list(row)
                    r[0] = (spi_i[:4] + tag).hex()
                    r[1] = (spi_r[:4] + tag).hex() if spi_r != bytes(8) else r[1]
                    out_keys.write(",".join('"%s"' % x if i in (4, 7) else x for i, x in enumerate(r)) + "\n")
    if out_keys:
        out_keys.close()
        os.replace(args.keys_out + ".part", args.keys_out)
    os.replace(args.out + ".part", args.out)


class Noise:
    """N non-IKE frames between the hosts of the source's first IKE packet, for one copy."""

    def __init__(self, recs, n):
        tmpl = next(r[2] for r in recs if Udp(r[2]).ok and Udp(r[2]).ike_offset(r[2]) is not None)
        u = Udp(tmpl)
        if u.v6:
            sys.exit("make_big: --noise needs an IPv4 source")
        self.n = n
        self.eth = bytes(tmpl[:u.ip])
        self.src, self.dst = bytes(tmpl[u.ip + 12:u.ip + 16]), bytes(tmpl[u.ip + 16:u.ip + 20])
        self.tcp_per_copy = len([i for i in range(n) if i % 5 == 1])
        self.ident = 0

    def ip4(self, proto, payload):
        self.ident = (self.ident + 1) & 0xFFFF
        hdr = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), self.ident, 0x4000,
                                    64, proto, 0, self.src, self.dst))
        hdr[10:12] = struct.pack(">H", 0xFFFF - csum(hdr))
        return self.eth + bytes(hdr) + payload

    def udp(self, sport, dport, body):
        # IPv4 UDP checksum 0 = none (RFC 768); RFC 3948 recommends it for ESP-in-UDP.
        return self.ip4(17, struct.pack(">HHHH", sport, dport, 8 + len(body), 0) + body)

    def tcp(self, seq, body):
        hdr = bytearray(struct.pack(">HHIIBBHHH", 50001, 443, seq & 0xFFFFFFFF, 1, 0x50, 0x18, 502, 0, 0))
        seg = bytes(hdr) + body
        pseudo = self.src + self.dst + struct.pack(">xBH", 6, len(seg))
        hdr[16:18] = struct.pack(">H", (0xFFFF - csum(pseudo + seg)) or 0xFFFF)
        return self.ip4(6, bytes(hdr) + body)

    def copy(self, c):
        out, k = [], 0
        for i in range(self.n):
            kind = i % 5
            if kind == 0:  # UDP 443 (QUIC-sized, not QUIC)
                p = self.udp(50000, 443, bytes([0x40 | (i & 0x3F)]) + bytes(1199))
            elif kind == 1:  # TCP 443 data segment, one stream over the whole file
                p = self.tcp(1 + (c * self.tcp_per_copy + k) * 1448, bytes(1448))
                k += 1
            elif kind == 2:  # ESP-in-UDP (RFC 3948): SPI, sequence, ciphertext
                p = self.udp(4500, 4500, struct.pack(">II", 0xC1A0B0D0, (c * self.n + i + 1) & 0xFFFFFFFF)
                             + bytes(1392))
            elif kind == 3:  # DNS query, A record of www.example.com
                q = b"\x03www\x07example\x03com\x00" + struct.pack(">HH", 1, 1)
                p = self.udp(53000, 53, struct.pack(">HHHHHH", (c * self.n + i) & 0xFFFF, 0x0100, 1, 0, 0, 0) + q)
            else:  # NAT-T keepalive (RFC 3948 section 2.3)
                p = self.udp(4500, 4500, b"\xff")
            out.append(p)
        return out


def pending(args):
    header, recs, nano = read_pcap(args.src)
    for sec, frac, pkt, orig in recs:
        u = Udp(pkt)
        ike = u.ike_offset(pkt) if u.ok else None
        if ike is not None and pkt[ike + 18] == 34 and pkt[ike + 8:ike + 16] == bytes(8):
            break
    else:
        sys.exit("make_big: no IKE_SA_INIT request in %s" % args.src)
    unit = 1000000000 if nano else 1000000
    step = unit // args.rate
    with open(args.out + ".part", "wb") as f:
        f.write(header)
        p = bytearray(pkt)
        for c in range(args.count):
            p[ike + 4:ike + 8] = struct.pack(">I", c)
            u.fix_checksum(p)
            t = frac + c * step
            f.write(struct.pack("<IIII", sec + t // unit, t % unit, len(p), orig))
            f.write(p)
    os.replace(args.out + ".part", args.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("sas")
    a.add_argument("src")
    a.add_argument("out")
    a.add_argument("copies", type=int)
    a.add_argument("--keys")
    a.add_argument("--keys-out")
    a.add_argument("--noise", type=int, default=0)
    b = sub.add_parser("pending")
    b.add_argument("src")
    b.add_argument("out")
    b.add_argument("count", type=int)
    b.add_argument("--rate", type=int, default=20)
    args = ap.parse_args()
    if args.cmd == "sas" and bool(args.keys) != bool(args.keys_out):
        sys.exit("make_big: --keys and --keys-out go together")
    sas(args) if args.cmd == "sas" else pending(args)


if __name__ == "__main__":
    main()
