#!/usr/bin/env python3
"""Differential test: every IKE message ikescope reports must match what tshark dissects.

For each capture (everything under pcaps/ and the external fixtures) both tools run live;
per IKE message we compare SPIs, exchange type, message ID, flags and the cleartext
payload types; decrypted with the Wireshark tables beside a capture, also the inner payload
types, notify types, ID types and ID values (names and addresses), and the serial numbers
and subjectAltName DNS names of the certificates in CERT payloads. Messages are matched by the frame of the last packet that made them. Not compared: frames
holding several IKE headers (TCP, IKEv1 fragments with tshark's reassembly), headers too
damaged for tshark to fill in, payloads of messages tshark also finds malformed, messages
tshark does not see that ikescope flags with an anomaly, and IKE over TCP (RFC 8229) that
tshark does not dissect (see TCP_REASON). A message only ikescope flags is compared all the
same; a difference beside a payload-chain anomaly is listed as explained. Every message
left out is counted and listed, so a false anomaly cannot hide a difference.

Usage: tshark_diff.py IKESCOPE CAPTURE_DIR... ; exit 77 (skip) without tshark.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Our payload labels back to wire type numbers, per IKE version.
V2_LABELS = {"SA": 33, "KE": 34, "IDi": 35, "IDr": 36, "CERT": 37, "CERTREQ": 38,
             "AUTH": 39, "Ni": 40, "Nr": 40, "N": 41, "D": 42, "V": 43, "TSi": 44,
             "TSr": 45, "SK": 46, "CP": 47, "EAP": 48, "GSPM": 49, "IDg": 50, "GSA": 51,
             "KD": 52, "SKF": 53, "PS": 54}
V1_LABELS = {"SA": 1, "KE": 4, "IDii": 5, "IDir": 5, "IDci": 5, "IDcr": 5, "ID": 5, "CERT": 6, "CR": 7,
             "HASH": 8, "SIG": 9, "Ni": 10, "Nr": 10, "N": 11, "D": 12, "VID": 13,
             "ATTR": 14, "SAK": 15, "SAT": 16, "KD": 17, "SEQ": 18, "POP": 19, "NAT-D": 20,
             "NAT-OA": 21, "GAP": 22, "FRAG": 132, "P": 2, "T": 3}
# Draft NAT-T payload numbers print as the RFC 3947 names.
V1_ALIASES = {130: 20, 131: 21}
# tshark lists proposal (2) and transform (3) substructures among payload types.
SUBSTRUCTURES = {2, 3}

# ID payload values both tools print the same way (names and addresses), compared as a
# sorted list since tshark aggregates each field separately.
ID_VALUE_FIELDS = ["isakmp.id.data.fqdn", "isakmp.id.data.user_fqdn", "isakmp.id.data.ipv4_addr",
                   "isakmp.id.data.ipv6_addr"]
ID_VALUE_TYPES = {"FQDN", "RFC822_ADDR", "IPV4_ADDR", "IPV6_ADDR", "IPV4_ADDR_SUBNET", "IPV6_ADDR_SUBNET"}


# Certificates in CERT payloads (x509af/x509ce, dissected in decrypted payloads too): serial
# numbers in payload order and the subjectAltName DNS names, per message.
CERT_FIELDS = ["x509af.serialNumber", "x509ce.dNSName"]


def field(cols, i):
    return [v for v in cols[i].split(",") if v] if len(cols) > i else []


def serial_hex(v):
    """tshark shows the INTEGER's content octets, with the sign octet 00; ikescope whole octets without it."""
    v = v.lower().replace(":", "")
    while len(v) > 2 and v.startswith("00"):
        v = v[2:]
    return v


def id_value(ident):
    """Our ID value as tshark's field shows it: for IKEv1 subnets only the address."""
    v = ident["value"]
    return v.split("/", 1)[0] if ident["type"].endswith("_SUBNET") else v

CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")

# Why messages ikescope frames from TCP port 4500 are not compared when tshark shows no
# ISAKMP there (checked with Wireshark 4.0.17; a tshark that does dissect them is compared).
TCP_REASON = ("Wireshark has no RFC 8229 dissector: 'tcpencap' is Cisco's IPsec-over-TCP "
              "(16-octet trailer; it shows each segment as ESP) and 'isakmp' on a TCP port "
              "reads each segment as a bare ISAKMP message, length field and all")


def tcp_ike_frames(path):
    """Frames carrying TCP payload on port 4500, where ikescope frames RFC 8229 records."""
    res = subprocess.run(["tshark", "-n", "-r", path, "-Y", "tcp.port == 4500 && tcp.len > 0",
                          "-T", "fields", "-e", "frame.number"],
                         capture_output=True, text=True, timeout=120)
    return {int(x) for x in res.stdout.split()}


def label_type(version, label):
    base = label.split("(", 1)[0]
    if base == "UNKNOWN":
        return int(label[len("UNKNOWN("):-1])
    table = V2_LABELS if version == 2 else V1_LABELS
    if base not in table:
        raise KeyError(f"label {label!r} has no type mapping")
    return table[base]


def norm_types(version, types):
    out = []
    for t in types:
        if t in SUBSTRUCTURES:
            continue
        if version == 1:
            t = V1_ALIASES.get(t, t)
        out.append(t)
    return out


def key_tables(path):
    """Wireshark decryption tables that sit beside a capture (the pcaps/ layout)."""
    folder = os.path.dirname(path)
    return [os.path.join(folder, t) for t in ("ikev2_decryption_table", "ikev1_decryption_table")
            if os.path.exists(os.path.join(folder, t))]


def tshark_messages(path, tables=()):
    fields = ["frame.number", "isakmp.ispi", "isakmp.rspi", "isakmp.exchangetype",
              "isakmp.messageid", "isakmp.flags", "isakmp.typepayload", "isakmp.version",
              "_ws.expert.message", "isakmp.notify.msgtype", "isakmp.id.type"] + ID_VALUE_FIELDS + CERT_FIELDS
    cmd = ["tshark", "-n", "-r", path, "-Y", "isakmp && !icmp && !icmpv6", "-T", "fields", "-E", "separator=|",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        cmd += ["-e", f]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as conf:
        if tables:
            # tshark reads the tables from its default profile: $XDG_CONFIG_HOME/wireshark/.
            os.makedirs(os.path.join(conf, "wireshark"))
            for t in tables:
                shutil.copy(t, os.path.join(conf, "wireshark", os.path.basename(t)))
            env["XDG_CONFIG_HOME"] = conf
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    msgs, damaged = {}, set()
    for line in res.stdout.splitlines():
        cols = line.split("|")
        if len(cols) < 8 or not cols[1]:
            continue
        frame = int(cols[0])
        ispis, rspis = cols[1].split(","), cols[2].split(",")
        exch, mids, flags = cols[3].split(","), cols[4].split(","), cols[5].split(",")
        versions = cols[7].split(",")
        if len(ispis) != 1:
            damaged.add(frame)  # several IKE headers in one frame (TCP, IKEv1 fragments): not compared
            continue
        if not (exch[0] and mids[0] and flags[0] and versions[0]):
            damaged.add(frame)  # header too damaged for tshark to fill in; not compared
            continue
        version = int(versions[0], 16) >> 4
        types = [int(x) for x in cols[6].split(",") if x]
        msgs[frame] = {
            "spi_i": ispis[0], "spi_r": rspis[0], "exchange": int(exch[0]),
            "msg_id": int(mids[0], 16), "flags": int(flags[0], 16), "version": version,
            "types": norm_types(version, types),
            "malformed": "Malformed" in cols[8] if len(cols) > 8 else False,
            "notifies": [int(x) for x in cols[9].split(",") if x] if len(cols) > 9 else [],
            "ids": [int(x) for x in cols[10].split(",") if x] if len(cols) > 10 else [],
            "id_values": sorted(v for c in cols[11:11 + len(ID_VALUE_FIELDS)] for v in c.split(",") if v),
            "cert_serials": [serial_hex(v) for v in field(cols, 11 + len(ID_VALUE_FIELDS))],
            "cert_dns": sorted(field(cols, 12 + len(ID_VALUE_FIELDS))),
        }
    return msgs, damaged


def ikescope_messages(exe, path, tables=()):
    keys = [a for t in tables for a in ("--keys", t)]
    res = subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never", *keys, path],
                         capture_output=True, text=True, timeout=120)
    if res.returncode not in (0, 1, 2):
        raise RuntimeError(f"ikescope crashed on {path} (exit {res.returncode}): {res.stderr}")
    try:
        doc = json.loads(res.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"ikescope wrote no JSON for {path} (exit {res.returncode}): {res.stderr.strip()}")
    msgs = {}
    for sa in doc["sas"]:
        for m in sa["messages"]:
            frame = m["frames"][-1]
            types = [label_type(sa["version"], p) for p in m["payloads"]]
            msgs[frame] = {
                "spi_i": m["spi_i"], "spi_r": m["spi_r"], "exchange": m["exchange_type"],
                "msg_id": m["msg_id"], "flags": m["flags"], "version": sa["version"],
                "types": norm_types(sa["version"], types), "anomalies": m["anomalies"],
                "inner_count": m.get("inner_payloads", 0),
                "notifies": m["notify_types"], "ids": m["id_types"], "decrypted": m["decrypted"],
                "id_values": sorted(id_value(i) for i in m["identities"] if i["type"] in ID_VALUE_TYPES),
                "cert_serials": [], "cert_dns": [], "retransmission": m["retransmission"],
            }
        for c in sa.get("certificates", []):
            m = msgs[sa["messages"][c["message"]]["frames"][-1]]
            if c.get("serial"):
                m["cert_serials"].append(c["serial"])
            m["cert_dns"] = sorted(m["cert_dns"] + [x[4:] for x in c.get("san") or [] if x.startswith("DNS:")])
    return msgs


# Anomalies that say the payload chain itself is broken: where two parsers stop reading it
# may differ, so a difference beside one of these is reported as explained, not as a failure.
STRUCTURAL = ("ike.payload.", "ike.header.length_mismatch", "ike.capture.incomplete", "ike.truncated")


def structural(anomalies):
    return any(a.startswith(STRUCTURAL) for a in anomalies)


def compare(path, exe, decrypt=False):
    tables = key_tables(path) if decrypt else ()
    want, damaged = tshark_messages(path, tables)
    got = ikescope_messages(exe, path, tables)
    problems, over_tcp = [], 0
    skipped_damaged, flagged_only, unseen_flagged, explained = [], [], [], []
    before = 0
    for frame, t in sorted(want.items()):
        g = got.get(frame)
        if g is None:
            problems.append(f"frame {frame}: tshark sees an IKE message, ikescope does not")
            continue
        for key in ("spi_i", "spi_r", "exchange", "msg_id", "flags"):
            if t[key] != g[key]:
                problems.append(f"frame {frame}: {key} tshark={t[key]} ikescope={g[key]}")
        # Payload chains of damaged messages legitimately differ in where each tool stops:
        # only a message tshark too finds malformed goes uncompared. One that only ikescope
        # flags is compared all the same, so a false anomaly cannot hide a difference.
        if t["malformed"]:
            skipped_damaged.append(frame)
            continue
        if g["anomalies"]:
            flagged_only.append(frame)
            before = len(problems)
        if decrypt:
            # Both decrypted with the same tables: inner payloads, notifies and IDs must agree.
            if t["types"] != g["types"]:
                problems.append(f"frame {frame}: decrypted payloads tshark={t['types']} ikescope={g['types']}")
            if t["notifies"] != g["notifies"]:
                problems.append(f"frame {frame}: notify types tshark={t['notifies']} ikescope={g['notifies']}")
            if t["ids"] != g["ids"]:
                problems.append(f"frame {frame}: ID types tshark={t['ids']} ikescope={g['ids']}")
            if t["id_values"] != g["id_values"]:
                problems.append(f"frame {frame}: ID values tshark={t['id_values']} ikescope={g['id_values']}")
            # ikescope lists a certificate once, where it was first sent, not on retransmissions.
            for key in ("cert_serials", "cert_dns") if not g["retransmission"] else ():
                if t[key] != g[key]:
                    problems.append(f"frame {frame}: certificate {key[5:]} tshark={t[key]} ikescope={g[key]}")
            continue
        ours = g["types"][:len(g["types"]) - g["inner_count"]] if g["inner_count"] else g["types"]
        if t["types"] != ours:
            problems.append(f"frame {frame}: payloads tshark={t['types']} ikescope={ours}")
        if t["id_values"] != g["id_values"]:
            problems.append(f"frame {frame}: cleartext ID values tshark={t['id_values']} ikescope={g['id_values']}")
        if g["anomalies"] and len(problems) > before and structural(g["anomalies"]):
            # The payload chain itself is damaged (ikescope says how); tshark stops elsewhere
            # without calling it malformed. Reported with the anomaly, not hidden.
            explained.append(f"{frame} ({', '.join(g['anomalies'])}): {'; '.join(problems[before:])}")
            del problems[before:]
    unseen = sorted(set(got) - set(want) - damaged)
    tcp = tcp_ike_frames(path) if unseen else set()
    for frame in unseen:
        # tshark gives up on some damaged headers that ikescope still parses and flags.
        if got[frame]["anomalies"]:
            unseen_flagged.append(f"{frame} ({', '.join(got[frame]['anomalies'])})")
            continue
        if frame in tcp:
            over_tcp += 1
            continue
        problems.append(f"frame {frame}: ikescope reports an IKE message tshark does not see")
    notes = []
    if skipped_damaged:
        notes.append(f"{len(skipped_damaged)} malformed to both tools, payloads not compared (frames "
                     f"{', '.join(map(str, skipped_damaged[:8]))})")
    if flagged_only:
        notes.append(f"{len(flagged_only)} flagged by ikescope only, compared anyway")
    if explained:
        notes.append(f"{len(explained)} differ where ikescope finds the payload chain damaged: "
                     f"{' | '.join(explained[:3])}")
    if unseen_flagged:
        notes.append(f"{len(unseen_flagged)} tshark does not see, each with an ikescope anomaly: "
                     f"{'; '.join(unseen_flagged[:5])}")
    return len(want), problems, over_tcp, notes


def captures(dirs):
    for d in dirs:
        if os.path.isfile(d):
            yield d
            continue
        for root, dirs, files in os.walk(d):
            dirs[:] = [x for x in dirs if not x.startswith(".")]  # the lab's work in progress
            for f in sorted(files):
                if f.endswith(CAPTURE_SUFFIXES):
                    yield os.path.join(root, f)


def main():
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed; the differential test needs it (apt-get install tshark)")
        return 77
    exe, dirs = sys.argv[1], sys.argv[2:]
    dirs = [d for d in dirs if os.path.exists(d)]
    if not dirs:
        print("SKIP: no capture folders found")
        return 77
    failed = 0
    total = skipped = not_compared = 0
    for path in sorted(set(captures(dirs))):
        for decrypt in ([False, True] if key_tables(path) else [False]):
            try:
                n, problems, over_tcp, notes = compare(path, exe, decrypt)
            except RuntimeError as e:
                n, problems, over_tcp, notes = 0, [str(e)], 0, []
            total += n
            skipped += over_tcp
            status = "ok" if not problems else "FAIL"
            how = " (decrypted with its Wireshark tables)" if decrypt else ""
            tcp = f"; {over_tcp} over TCP not compared ({TCP_REASON})" if over_tcp else ""
            print(f"{status}: {path}{how}: {n} IKE messages{tcp}")
            for note in notes:
                print(f"    note: {note}")
            not_compared += sum(int(note.split()[0]) for note in notes if "compared anyway" not in note)
            for p in problems[:20]:
                print(f"    {p}")
            if problems:
                failed += 1
    print(f"{total} messages compared; {skipped} IKE-over-TCP messages not compared "
          f"(tshark cannot dissect RFC 8229); {not_compared} damaged messages not compared or explained "
          f"by an anomaly (each listed above); {failed} capture(s) differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
