"""Turn strongSwan charon `ike = 4` logs into Wireshark IKE decryption tables.

Debian 12's strongSwan 5.9.8 does not ship the save-keys plugin, so the lab
extracts the key dumps from the charon logs and pairs every key block with
its IKE SA by *trying* it on the captured messages (ICV check, AEAD tag or
CBC padding sanity).  The log itself names no SPIs.  libreswan's tcpdump -E
key lines (`secrets=`) name their SPIs but are checked the same way.

The captured messages come from tshark for UDP; IKE over TCP (RFC 8229), which
Wireshark 4.0 cannot dissect, is reassembled and framed here (tcp_ike_records).

Usable standalone:
    keys.py CAPTURE LOG [LOG...] [--out DIR]   writes DIR/ikev2_decryption_table
                                              and/or DIR/ikev1_decryption_table
"""

import hashlib
import hmac
import re
import struct
import subprocess
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import (AESCCM, AESGCM,
                                                         ChaCha20Poly1305)

try:  # cryptography >= 43 moved 3DES
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover
    TripleDES = algorithms.TripleDES

HDR_RE = re.compile(r'(\d+)\[IKE\] (.+?) => (\d+) bytes @ 0x[0-9a-f]+')
ROW_RE = re.compile(r'(\d+)\[IKE\]\s+(\d+): ((?:[0-9A-F]{2} )*[0-9A-F]{2})')

V2_LABELS = {
    'Sk_d secret': 'd', 'Sk_ai secret': 'ai', 'Sk_ar secret': 'ar',
    'Sk_ei secret': 'ei', 'Sk_er secret': 'er', 'Sk_pi secret': 'pi',
    'Sk_pr secret': 'pr',
}
V1_LABELS = {
    'SKEYID secret': 'skeyid', 'SKEYID_d secret': 'skeyid_d',
    'SKEYID_a secret': 'skeyid_a', 'SKEYID_e secret': 'skeyid_e',
    'encryption key Ka': 'ka', 'initial IV': 'iv',
}


def parse_log(path):
    """Return (v2_blocks, v1_blocks): lists of dicts label->bytes, log order."""
    dumps = []          # (label, bytes) in log order
    pending = {}        # thread -> [label, expected_len, bytearray]
    with open(path, errors='replace') as f:
        for line in f:
            m = HDR_RE.search(line)
            if m:
                thr, label, n = m.group(1), m.group(2).strip(), int(m.group(3))
                if n == 0:
                    dumps.append((thr, label, b''))
                else:
                    pending[thr] = [label, n, bytearray()]
                continue
            m = ROW_RE.search(line)
            if m and m.group(1) in pending:
                thr = m.group(1)
                lab, n, buf = pending[thr]
                want = min(16, n - len(buf))
                toks = m.group(3).split(' ')[:want]
                buf.extend(bytes.fromhex(''.join(toks)))
                if len(buf) >= n:
                    dumps.append((thr, lab, bytes(buf)))
                    del pending[thr]
    v2, v1 = [], []
    cur2, cur1 = {}, {}
    for thr, label, data in dumps:
        if label in V2_LABELS:
            key = V2_LABELS[label]
            if key == 'd':
                cur2[thr] = {}
            blk = cur2.setdefault(thr, {})
            blk[key] = data
            if key == 'pr':
                v2.append(cur2.pop(thr))
        elif label in V1_LABELS:
            key = V1_LABELS[label]
            if key == 'skeyid':
                cur1[thr] = {}
            blk = cur1.setdefault(thr, {})
            blk[key] = data
            if key == 'iv':
                v1.append(cur1.pop(thr))
    return v2, v1


def dedup(blocks, field):
    seen, out = set(), []
    for b in blocks:
        k = tuple(sorted((kk, vv) for kk, vv in b.items()))
        if k in seen:
            continue
        seen.add(k)
        out.append(b)
    return out


def ike_messages(pcap):
    """Return list of (frame, raw IKE message bytes) from a capture: UDP via tshark,
    then the IKE messages of RFC 8229 TCP streams (frame = the record's last segment)."""
    out = subprocess.run(
        ['tshark', '-n', '-r', pcap, '-Y', 'isakmp', '-T', 'fields',
         '-e', 'frame.number', '-e', 'udp.srcport', '-e', 'udp.payload'],
        capture_output=True, text=True, timeout=120, check=True).stdout
    msgs = []
    for line in out.splitlines():
        parts = line.split('\t')
        if len(parts) < 3 or not parts[2]:
            continue
        raw = bytes.fromhex(parts[2].replace(':', ''))
        if raw[:4] == b'\0\0\0\0' and len(raw) > 32:     # RFC 3948 non-ESP marker
            raw = raw[4:]
        if len(raw) >= 28:
            msgs.append((int(parts[0]), raw))
    for rec in tcp_ike_records(pcap)[0]:
        if rec['ike'] is not None and len(rec['ike']) >= 28:
            msgs.append((rec['frames'][-1], rec['ike']))
    return sorted(msgs, key=lambda m: m[0])


def tcp_ike_records(pcap, port=4500):
    """RFC 8229 on TCP port 4500: reassemble each direction by sequence number, skip the
    "IKETCP" prefix (section 4), split the 2-octet length-framed records (section 3).
    Returns ([{prefix, length, frames, ike}], number of TCP segments with data), records
    in capture order; ike is the IKE message after the non-ESP marker (None for ESP).
    A direction with a gap is framed up to the gap."""
    out = subprocess.run(
        ['tshark', '-n', '-r', pcap, '-Y', 'tcp.port == %d' % port, '-T', 'fields',
         '-E', 'occurrence=f', '-e', 'frame.number', '-e', 'ip.src', '-e', 'ipv6.src',
         '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.dstport',
         '-e', 'tcp.seq_raw', '-e', 'tcp.flags.syn', '-e', 'tcp.payload'],
        capture_output=True, text=True, timeout=120, check=True).stdout
    dirs, nseg = {}, 0
    for line in out.splitlines():
        f = line.split('\t')
        if len(f) < 10:
            continue
        key = (f[1] or f[2], f[3], f[4] or f[5], f[6])
        d = dirs.setdefault(key, {'isn': None, 'segs': []})
        seq = int(f[7])
        if f[8] in ('1', 'True'):
            d['isn'] = (seq + 1) & 0xffffffff
        data = bytes.fromhex(f[9].replace(':', ''))
        if data:
            nseg += 1
            d['segs'].append((seq, int(f[0]), data))
    records = []
    for d in dirs.values():
        if not d['segs']:
            continue
        base = d['isn'] if d['isn'] is not None else d['segs'][0][0]
        buf, spans = bytearray(), []       # spans: (start, end, frame)
        for seq, frame, data in sorted(d['segs'], key=lambda x: ((x[0] - base) & 0xffffffff, x[1])):
            rel = (seq - base) & 0xffffffff
            if rel > len(buf):
                break                      # gap: nothing after it can be framed
            new = data[len(buf) - rel:]
            if new:
                spans.append((len(buf), len(buf) + len(new), frame))
                buf += new

        def frames(a, b):
            return sorted({fr for s, e, fr in spans if s < b and e > a})
        off = 0
        if buf[:6] == b'IKETCP':
            records.append({'prefix': True, 'length': 6, 'frames': frames(0, 6), 'ike': None})
            off = 6
        while off + 2 <= len(buf):
            n = struct.unpack('>H', buf[off:off + 2])[0]
            if n < 2 + 4 or off + n > len(buf):
                break                      # impossible length, or the record is incomplete
            body = bytes(buf[off + 2:off + n])
            records.append({'prefix': False, 'length': n, 'frames': frames(off, off + n),
                            'ike': body[4:] if body[:4] == b'\0\0\0\0' else None})
            off += n
    records.sort(key=lambda r: r['frames'][-1])
    return records, nseg


def secrets_blocks(lines):
    """Key blocks from tcpdump -E lines `ikev2 I|R 0xSPIi 0xSPIr integ:0xKEY encr:0xKEY`
    (libreswan): I carries SK_ai/SK_ei, R carries SK_ar/SK_er; one block per SPI pair."""
    blocks = {}
    for line in lines:
        f = line.split()
        if len(f) != 6 or f[0] != 'ikev2' or f[1] not in ('I', 'R'):
            continue
        blk = blocks.setdefault((f[2], f[3]), {})
        side = 'i' if f[1] == 'I' else 'r'
        for field, name in ((f[4], 'a'), (f[5], 'e')):
            hexkey = field.split(':0x', 1)[1] if ':0x' in field else ''
            if hexkey:
                blk[name + side] = bytes.fromhex(hexkey)
    return list(blocks.values())


def sk_payload(msg):
    """Locate the SK/SKF payload; return (offset, hdrlen) or None."""
    np = msg[16]
    off = 28
    while np not in (0, 46, 53):
        if off + 4 > len(msg):
            return None
        nxt = msg[off]
        plen = struct.unpack('>H', msg[off + 2:off + 4])[0]
        if plen < 4:
            return None
        off += plen
        np = nxt
    if np == 0:
        return None
    return off, (8 if np == 53 else 4)


INTEG = {  # SK_a length -> (name for Wireshark, digest, icv length)
    16: ('HMAC_MD5_96 [RFC2403]', hashlib.md5, 12),
    20: ('HMAC_SHA1_96 [RFC2404]', hashlib.sha1, 12),
    32: ('HMAC_SHA2_256_128 [RFC4868]', hashlib.sha256, 16),
    48: ('HMAC_SHA2_384_192 [RFC4868]', hashlib.sha384, 24),
    64: ('HMAC_SHA2_512_256 [RFC4868]', hashlib.sha512, 32),
}


def plausible(plain, first_np):
    """Sanity of a decrypted SK body: pad length and first payload header."""
    if not plain:
        return False
    pad = plain[-1]
    body = plain[:len(plain) - 1 - pad] if pad < len(plain) else None
    if body is None:
        return False
    if first_np == 0:
        return True
    if len(body) < 4:
        return len(body) == 0
    plen = struct.unpack('>H', body[2:4])[0]
    return 4 <= plen <= len(body) and body[0] <= 53


def try_v2(msg, blk):
    """Try a key block on one message; return (enc_name, integ_name) or None."""
    loc = sk_payload(msg)
    if not loc:
        return None
    off, hl = loc
    initiator = bool(msg[19] & 0x08)
    ke = blk.get('ei' if initiator else 'er', b'')
    ka = blk.get('ai' if initiator else 'ar', b'')
    first_np = msg[off]
    if ka:
        if len(ka) not in INTEG:
            return None
        iname, dig, icvlen = INTEG[len(ka)]
        if hmac.new(ka, msg[:-icvlen], dig).digest()[:icvlen] != msg[-icvlen:]:
            return None
        body = msg[off + hl:len(msg) - icvlen]
        cands = []
        if len(ke) in (16, 24, 32):
            cands.append(('AES-CBC-%d [RFC3602]' % (len(ke) * 8), 'aes-cbc', ke))
        if len(ke) == 24:
            cands.append(('3DES [RFC2451]', '3des', ke))
        if len(ke) in (20, 28, 36):
            cands.append(('AES-CTR-%d [RFC5930]' % ((len(ke) - 4) * 8), 'aes-ctr', ke))
        for name, mode, key in cands:
            try:
                if mode == 'aes-cbc':
                    iv, ct = body[:16], body[16:]
                    d = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
                elif mode == '3des':
                    iv, ct = body[:8], body[8:]
                    d = Cipher(TripleDES(key), modes.CBC(iv)).decryptor()
                else:
                    iv, ct = body[:8], body[8:]
                    ctr = key[-4:] + iv + b'\0\0\0\1'
                    d = Cipher(algorithms.AES(key[:-4]), modes.CTR(ctr)).decryptor()
                plain = d.update(ct) + d.finalize()
            except ValueError:
                continue
            if plausible(plain, first_np):
                return name, iname
        return None
    # AEAD: no integrity key
    aad = msg[:off + hl]
    iv = msg[off + hl:off + hl + 8]
    ct = msg[off + hl + 8:]
    for icv in (16, 12, 8):
        tries = []
        if len(ke) in (20, 28, 36):
            tries.append(('AES-GCM-%d with %d octet ICV [RFC5282]' % ((len(ke) - 4) * 8, icv),
                          lambda k=ke, i=icv: AESGCM(k[:-4]).decrypt(k[-4:] + iv, ct, aad)
                          if i == 16 else _gcm_short(k, iv, ct, aad, i)))
        if len(ke) in (19, 27, 35):
            tries.append(('AES-CCM-%d with %d octet ICV [RFC5282]' % ((len(ke) - 3) * 8, icv),
                          lambda k=ke, i=icv: AESCCM(k[:-3], tag_length=i).decrypt(
                              k[-3:] + iv, ct, aad)))
        if len(ke) == 36 and icv == 16:
            tries.append(('CHACHA20-POLY1305 [RFC7634]',
                          lambda k=ke: ChaCha20Poly1305(k[:-4]).decrypt(k[-4:] + iv, ct, aad)))
        for name, fn in tries:
            try:
                fn()
                return name, 'NONE [RFC4306]'
            except Exception:
                continue
    return None


def _gcm_short(k, iv, ct, aad, icv):
    """GCM with a truncated tag: recompute the full tag and compare its prefix."""
    from cryptography.hazmat.primitives.ciphers import Cipher as C
    key, salt = k[:-4], k[-4:]
    body, tag = ct[:-icv], ct[-icv:]
    d = C(algorithms.AES(key), modes.CTR(salt + iv + b'\0\0\0\2')).decryptor()
    plain = d.update(body) + d.finalize()
    e = C(algorithms.AES(key), modes.GCM(salt + iv)).encryptor()
    e.authenticate_additional_data(aad)
    e.update(plain)
    e.finalize()
    if e.tag[:icv] != tag:
        raise ValueError('tag')
    return plain


def match_v2(msgs, blocks):
    """Return rows (spii, spir, block, enc_name, integ_name) in capture order."""
    rows, done = [], set()
    for frame, msg in msgs:
        if msg[17] >> 4 != 2:
            continue
        spis = (msg[0:8], msg[8:16])
        if spis in done or spis[1] == b'\0' * 8:
            continue
        for blk in blocks:
            r = try_v2(msg, blk)
            if r:
                rows.append((spis[0], spis[1], blk, r[0], r[1]))
                done.add(spis)
                break
    return rows


def v1_defrag(msgs):
    """Reassemble IKEv1 (Cisco-style, strongSwan/Windows) fragments: payload 132."""
    out, pend = [], {}
    for frame, msg in msgs:
        if msg[17] >> 4 != 1 or msg[16] != 132 or len(msg) < 36:
            out.append((frame, msg))
            continue
        p = msg[28:]
        plen = struct.unpack('>H', p[2:4])[0]
        fid, num, flags = struct.unpack('>HBB', p[4:8])
        key = (msg[0:16], fid)
        pend.setdefault(key, {})[num] = p[8:plen]
        if flags & 1:
            parts = pend.pop(key)
            if sorted(parts) == list(range(1, len(parts) + 1)):
                out.append((frame, b''.join(parts[i] for i in sorted(parts))))
    return out


def match_v1(msgs, blocks):
    """Return rows (icookie, ka) for IKEv1 SAs.

    Phase 1 messages 5/6 (main mode) or the aggressive mode's encrypted
    follow-ups are CBC-encrypted; a key is accepted when decryption with the
    logged initial IV yields a plausible payload chain.
    """
    rows, done = [], set()
    for frame, msg in v1_defrag(msgs):
        if len(msg) < 28 or msg[17] >> 4 != 1 or not (msg[19] & 0x01):
            continue
        ick = msg[0:8]
        if ick in done:
            continue
        ct = msg[28:]
        for blk in blocks:
            ka, iv = blk.get('ka', b''), blk.get('iv', b'')
            if not ka or not iv:
                continue
            for alg, bs in ((lambda: algorithms.AES(ka), 16), (lambda: TripleDES(ka), 8)):
                if len(ct) % bs or len(iv) < bs:
                    continue
                try:
                    d = Cipher(alg(), modes.CBC(iv[:bs])).decryptor()
                    plain = d.update(ct) + d.finalize()
                except ValueError:
                    continue
                np = msg[16]
                if len(plain) >= 4 and plain[1] == 0 and np in (5, 6, 8, 9) and \
                        4 <= struct.unpack('>H', plain[2:4])[0] <= len(plain):
                    rows.append((ick, ka))
                    done.add(ick)
                    break
            if ick in done:
                break
    return rows


OURS_ONLY = {'CHACHA20-POLY1305 [RFC7634]': 'CHACHA20_POLY1305'}
PRF_BY_LEN = {20: 'PRF_HMAC_SHA1', 32: 'PRF_HMAC_SHA2_256', 48: 'PRF_HMAC_SHA2_384',
              64: 'PRF_HMAC_SHA2_512', 16: 'PRF_HMAC_MD5'}


def write_tables(pcap, logs, outdir, secrets=()):
    """logs: charon logs; secrets: tcpdump -E key lines (libreswan), tried after them."""
    v2, v1 = [], []
    for log in logs:
        a, b = parse_log(log)
        v2 += a
        v1 += b
    v2, v1 = dedup(v2, 'ei'), dedup(v1, 'ka')
    nlog = len(v2)
    v2 += secrets_blocks(secrets)
    msgs = ike_messages(pcap)
    res = {'v2_blocks': nlog, 'v1_blocks': len(v1), 'tcpdump_sas': len(v2) - nlog,
           'v2_rows': [], 'v1_rows': []}
    rows2 = match_v2(msgs, v2)
    # Wireshark 4.0 knows no ChaCha20-Poly1305 and rejects the whole table on an
    # unknown name: such SAs go to ikescope's own format instead.
    ours = [r for r in rows2 if r[3] in OURS_ONLY]
    if ours:
        with open(outdir + '/ikescope-keys.txt', 'w') as f:
            f.write('# ikescope-keys v1: IKE SAs Wireshark cannot express (converted from the '
                    'charon logs)\n')
            for spii, spir, blk, enc, integ in ours:
                f.write('ikescope-keys v1 version=2 spi_i=%s spi_r=%s encr=%s encr_bits=256 integ=NONE prf=%s '
                        'sk_d=%s sk_ei=%s sk_er=%s sk_pi=%s sk_pr=%s\n' % (
                            spii.hex(), spir.hex(), OURS_ONLY[enc],
                            PRF_BY_LEN.get(len(blk['d']), 'PRF_HMAC_SHA2_256'), blk['d'].hex(),
                            blk['ei'].hex(), blk['er'].hex(), blk['pi'].hex(), blk['pr'].hex()))
                res['v2_rows'].append((spii.hex(), spir.hex(), enc, integ))
    rows2 = [r for r in rows2 if r[3] not in OURS_ONLY]
    if rows2:
        with open(outdir + '/ikev2_decryption_table', 'w') as f:
            for spii, spir, blk, enc, integ in rows2:
                ai = blk.get('ai', b'').hex() if integ != 'NONE [RFC4306]' else ''
                ar = blk.get('ar', b'').hex() if integ != 'NONE [RFC4306]' else ''
                f.write('%s,%s,%s,%s,"%s",%s,%s,"%s"\n' % (
                    spii.hex(), spir.hex(), blk['ei'].hex(), blk['er'].hex(),
                    enc, ai, ar, integ))
                res['v2_rows'].append((spii.hex(), spir.hex(), enc, integ))
    rows1 = match_v1(msgs, v1)
    if rows1:
        with open(outdir + '/ikev1_decryption_table', 'w') as f:
            for ick, ka in rows1:
                f.write('%s,%s\n' % (ick.hex(), ka.hex()))
                res['v1_rows'].append(ick.hex())
    return res


if __name__ == '__main__':
    args = sys.argv[1:]
    out = '.'
    if '--out' in args:
        i = args.index('--out')
        out = args[i + 1]
        del args[i:i + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    print(write_tables(args[0], args[1:], out))
