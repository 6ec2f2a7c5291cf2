#!/usr/bin/env python3
"""Builds the tracking regression captures in this folder from lab captures in pcaps/:
odd shapes that real captures have (see README.md here). Deterministic: run it again and
the files come out byte for byte the same.

Usage: make.py [SOURCE_ROOT]
"""
import hashlib
import os
import struct
import sys


def read_pcap(path):
    data = open(path, "rb").read()
    magic, _, _, _, _, snap, link = struct.unpack("<IHHiIII", data[:24])
    assert magic == 0xA1B2C3D4 and link == 1, "little-endian Ethernet pcap expected"
    recs, off = [], 24
    while off < len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        recs.append([sec, usec, bytearray(data[off + 16:off + 16 + incl])])
        off += 16 + incl
    return snap, recs


def write_pcap(path, snap, recs):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snap, 1))
        for sec, usec, pkt in recs:
            f.write(struct.pack("<IIII", sec, usec, len(pkt), len(pkt)) + bytes(pkt))


def ip_checksum(hdr):
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def set_ipv4(pkt, src=None, dst=None, sport=None, dport=None):
    """Rewrites addresses and UDP ports of an Ethernet/IPv4/UDP packet; the UDP checksum
    becomes 0 (none, allowed for UDP over IPv4) and the IP header checksum is redone."""
    ihl = (pkt[14] & 0x0F) * 4
    if src:
        pkt[26:30] = bytes(src)
    if dst:
        pkt[30:34] = bytes(dst)
    u = 14 + ihl
    if sport is not None:
        pkt[u:u + 2] = struct.pack("!H", sport)
    if dport is not None:
        pkt[u + 2:u + 4] = struct.pack("!H", dport)
    pkt[u + 6:u + 8] = b"\0\0"
    pkt[24:26] = b"\0\0"
    pkt[24:26] = struct.pack("!H", ip_checksum(bytes(pkt[14:14 + ihl])))
    return pkt


def swap_direction(pkt):
    ihl = (pkt[14] & 0x0F) * 4
    u = 14 + ihl
    src, dst = bytes(pkt[26:30]), bytes(pkt[30:34])
    sport, dport = struct.unpack("!HH", pkt[u:u + 4])
    pkt[0:6], pkt[6:12] = bytes(pkt[6:12]), bytes(pkt[0:6])
    return set_ipv4(pkt, dst, src, dport, sport)


def later(rec, seconds):
    t = rec[0] * 1000000 + rec[1] + int(seconds * 1e6)
    return [t // 1000000, t % 1000000, bytearray(rec[2])]


def v1_iv(last_p1_block, msg_id):
    """RFC 2409 Appendix B: the IV of a new exchange is the hash (here SHA-1, the SA's) of
    the last phase-1 CBC block and the message ID, cut to the block size."""
    return hashlib.sha1(last_p1_block + msg_id).digest()[:16]


def responder_delete(root, out):
    """IKEv1 main mode + quick mode, the initiator's Delete of the ISAKMP SA, then the
    responder's own Delete (same cookies, a message ID of its own) half a second later, as
    some peers send: the initiator's Delete decrypted with the lab key (AES-CBC-128, SHA-1)
    and encrypted again under the new message ID. Its HASH(1) is left as it was (SKEYID_a
    is not in the key table), which is fine for tracking: nothing here checks it."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    folder = os.path.join(root, "pcaps/ikev1-main-psk")
    snap, recs = read_pcap(os.path.join(folder, "capture.pcap"))
    key = bytes.fromhex(open(os.path.join(folder, "ikev1_decryption_table")).read().split(",")[1].strip())
    def ike(pkt):
        """Offset of the IKE header: after UDP, and after the non-ESP marker on port 4500."""
        u = 14 + (pkt[14] & 0x0F) * 4
        return u + 8 + (4 if struct.unpack("!H", pkt[u + 2:u + 4])[0] == 4500 else 0)
    mm6 = recs[7][2]  # frame 8: main mode message 6, the last phase-1 message
    last_block = bytes(mm6[len(mm6) - 16:])
    delete = bytes(recs[-1][2])  # frame 13: the initiator's Delete of the ISAKMP SA
    h = ike(delete)
    old_id, body = delete[h + 20:h + 24], delete[h + 28:]
    dec = Cipher(algorithms.AES(key), modes.CBC(v1_iv(last_block, old_id))).decryptor()
    plain = dec.update(body) + dec.finalize()
    new_id = b"\x5e\xed\x00\x01"
    enc = Cipher(algorithms.AES(key), modes.CBC(v1_iv(last_block, new_id))).encryptor()
    pkt = bytearray(delete)
    pkt[h + 20:h + 24] = new_id
    pkt[h + 28:] = enc.update(plain) + enc.finalize()
    echo = later(recs[-1], 0.5)
    echo[2] = swap_direction(pkt)
    write_pcap(out, snap, recs + [echo])


def reordered(root, out):
    """The rekey capture with its first rekey (frames 11-14) moved after the second
    (frames 17-20), as a careless merge leaves it: time goes backwards at frame 15."""
    snap, recs = read_pcap(os.path.join(root, "pcaps/ikev2-rekey/capture.pcap"))
    moved = recs[10:14]
    rest = recs[:10] + recs[14:20]
    write_pcap(out, snap, rest + moved + recs[20:])


def reflection(root, out):
    """Backscatter: 40 hosts each answer an IKEv2 IKE_SA_INIT that claims to come from the
    capture host, with the same initiator SPI; the host never sent it (it was spoofed), so
    the capture holds only the answers."""
    snap, recs = read_pcap(os.path.join(root, "pcaps/ikev2-cert-rsa-aescbc/capture.pcap"))
    answer = recs[3]  # frame 4: the responder's IKE_SA_INIT response
    ihl = (answer[2][14] & 0x0F) * 4
    ike = 14 + ihl + 8
    res = []
    for k in range(40):
        r = later(answer, k * 0.013)
        pkt = r[2]
        set_ipv4(pkt, src=[203, 0, 113, 10 + k])
        pkt[ike + 8:ike + 16] = struct.pack("!Q", 0x5EED000000000000 + 7919 * (k + 1))  # own SPIr
        res.append(r)
    write_pcap(out, snap, res)


def payload(next_type, body):
    return struct.pack("!BBH", next_type, 0, 4 + len(body)) + body


def v2_proposal(num, last, transforms):
    """RFC 7296 §3.3.1: an IKE proposal (no SPI) of (type, id, key_bits) transforms."""
    tf = b""
    for i, (ttype, tid, bits) in enumerate(transforms):
        attr = struct.pack("!HH", 0x800E, bits) if bits else b""
        tf += struct.pack("!BBHBBH", 0 if i == len(transforms) - 1 else 3, 0, 8 + len(attr), ttype, 0, tid) + attr
    return struct.pack("!BBHBBBB", 0 if last else 2, 0, 8 + len(tf), num, 1, 0, len(transforms)) + tf


def windows_default_refused(root, out):
    """The lab's NO_PROPOSAL_CHOSEN capture with the initiator's IKE_SA_INIT rewritten to
    what the Windows built-in client offers by default (MS-IKEE; seen in real Windows
    captures): AES-CBC-256, AES-CBC-128 and 3DES, each with SHA-1 and MODP-1024, and its
    'MS NT5 ISAKMPOAKLEY' Vendor ID (Windows 10, version 9). The responder's refusal is
    the lab's own."""
    snap, recs = read_pcap(os.path.join(root, "pcaps/ikev2-no-proposal/capture.pcap"))
    req = recs[2][2]
    u = 14 + (req[14] & 0x0F) * 4
    ike = u + 8
    sha1_1024 = [(3, 2, 0), (2, 2, 0), (4, 2, 0)]  # INTEG HMAC-SHA1-96, PRF HMAC-SHA1, MODP-1024
    props = (v2_proposal(1, False, [(1, 12, 256)] + sha1_1024) + v2_proposal(2, False, [(1, 12, 128)] + sha1_1024)
             + v2_proposal(3, True, [(1, 3, 0)] + sha1_1024))
    ke = struct.pack("!HH", 2, 0) + bytes(range(128))
    nonce = bytes((7 * i) & 0xFF for i in range(32))
    vid = bytes.fromhex("1e2b516905991c7d7c96fcbfb587e461") + struct.pack("!I", 9)
    body = payload(34, props) + payload(40, ke) + payload(43, nonce) + payload(0, vid)
    hdr = bytearray(req[ike:ike + 28])
    hdr[16] = 33  # first payload: SA
    hdr[24:28] = struct.pack("!I", 28 + len(body))
    pkt = bytearray(req[:ike]) + hdr + body
    pkt[16:18] = struct.pack("!H", len(pkt) - 14)  # IP total length
    pkt[u + 4:u + 6] = struct.pack("!H", len(pkt) - u)  # UDP length
    recs[2][2] = set_ipv4(pkt)
    write_pcap(out, snap, recs)


def impossible_padding(root, out):
    """The responder's last INFORMATIONAL response of ikev2-no-peer-cert (an empty SK),
    re-encrypted with the lab's keys (AES-CBC-256, HMAC-SHA2-256-128) after its Pad Length
    byte was set to 255, more than the 15 bytes the ciphertext holds, and its ICV computed
    anew: the integrity check passes, decryption cannot (RFC 7296 §3.14)."""
    import hmac
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    folder = os.path.join(root, "pcaps/ikev2-no-peer-cert")
    snap, recs = read_pcap(os.path.join(folder, "capture.pcap"))
    row = open(os.path.join(folder, "ikev2_decryption_table")).read().split(",")
    sk_er, sk_ar = bytes.fromhex(row[3]), bytes.fromhex(row[6])
    pkt = recs[-1][2]  # frame 10, responder to initiator, UDP 4500
    u = 14 + (pkt[14] & 0x0F) * 4
    ike = u + 8 + 4  # after the non-ESP marker
    msg = bytearray(pkt[ike:])
    iv, ct = bytes(msg[32:48]), bytes(msg[48:len(msg) - 16])
    dec = Cipher(algorithms.AES(sk_er), modes.CBC(iv)).decryptor()
    plain = bytearray(dec.update(ct) + dec.finalize())
    plain[-1] = 255
    enc = Cipher(algorithms.AES(sk_er), modes.CBC(iv)).encryptor()
    msg[48:len(msg) - 16] = enc.update(bytes(plain)) + enc.finalize()
    msg[len(msg) - 16:] = hmac.new(sk_ar, bytes(msg[:len(msg) - 16]), hashlib.sha256).digest()[:16]
    pkt[ike:] = msg
    recs[-1][2] = set_ipv4(pkt)
    write_pcap(out, snap, recs)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../..")
    here = os.path.dirname(os.path.abspath(__file__))
    responder_delete(root, os.path.join(here, "ikev1-responder-delete.pcap"))
    reordered(root, os.path.join(here, "time-backwards.pcap"))
    reflection(root, os.path.join(here, "reflection.pcap"))
    windows_default_refused(root, os.path.join(here, "windows-default-refused.pcap"))
    impossible_padding(root, os.path.join(here, "ikev2-impossible-padding.pcap"))


if __name__ == "__main__":
    main()
