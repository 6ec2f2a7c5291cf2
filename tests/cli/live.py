#!/usr/bin/env python3
"""analyze -i: live capture. A lab capture's UDP payloads are sent again over the loopback
interface (initiator 127.0.0.1, responder 127.0.0.2, same ports, same bytes, so its keys
still decrypt them) while ikescope captures on lo. Checks:
  - --duration: the JSON report holds the SA with the outcome and signature checks that the
    same bytes give when read from the file;
  - Ctrl-C (SIGINT) ends the capture and still writes a whole report;
  - --idle: a failed negotiation is reported while the capture goes on, not only at its end;
  - a missing interface is one clear line and exit 2.
Needs root (capture, and ports 500/4500); exits 77 (skip) without it.

Usage: live.py IKESCOPE SOURCE_ROOT"""
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

exe, root = os.path.abspath(sys.argv[1]), sys.argv[2]
PCAPS = os.path.join(root, "pcaps")
failures = []

if os.geteuid() != 0:
    print("SKIP: live capture needs root")
    sys.exit(77)


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)


def udp_payloads(path):
    """(time, src, sport, dst, dport, payload) of every unfragmented IPv4 UDP packet."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), "classic little-endian pcap expected"
    link = struct.unpack("<I", data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        l2 = 14 if link == 1 else 16 if link == 113 else 0
        if link == 1 and pkt[12:14] != b"\x08\x00":
            continue
        ip = pkt[l2:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        if struct.unpack(">H", ip[6:8])[0] & 0x3FFF:
            continue  # fragments: not replayed
        ihl = (ip[0] & 15) * 4
        sport, dport, ulen = struct.unpack(">HHH", ip[ihl:ihl + 6])
        out.append((sec + usec / 1e6, socket.inet_ntoa(ip[12:16]), sport, socket.inet_ntoa(ip[16:20]), dport,
                    ip[ihl + 8:ihl + ulen]))
    return out


def replay(path):
    pkts = udp_payloads(path)
    hosts = {}
    for _, src, _, dst, _, _ in pkts:
        for h in (src, dst):
            hosts.setdefault(h, f"127.0.0.{len(hosts) + 1}")
    socks = {}
    for _, src, sport, dst, dport, payload in pkts:
        key = (hosts[src], sport)
        if key not in socks:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(key)
            socks[key] = s
        socks[key].sendto(payload, (hosts[dst], dport))
        time.sleep(0.02)
    for s in socks.values():
        s.close()
    return len(pkts)


def start(*args):
    return subprocess.Popen([exe, "analyze", "-i", "lo", "--fail-on", "never", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_ready():
    time.sleep(1.5)  # the capture is open well before this


scenario = os.path.join(PCAPS, "ikev2-psk-aesgcm")
keys = os.path.join(scenario, "ikev2_decryption_table")
cap = os.path.join(scenario, "capture.pcap")
from_file = json.loads(subprocess.run([exe, "analyze", "--format", "json", "--fail-on", "never", "--keys", keys, cap],
                                      capture_output=True, text=True).stdout)

# --duration
p = start("--format", "json", "--keys", keys, "--duration", "6")
wait_ready()
sent = replay(cap)
out, err = p.communicate(timeout=30)
try:
    doc = json.loads(out)
except ValueError:
    doc = {"sas": [], "inputs": []}
check("--duration: exits by itself, 0", p.returncode == 0, (p.returncode, err))
check("the capture filter (with its 802.1Q half) is accepted", "filter was refused" not in err, err)
sas = [s for s in doc["sas"] if s["spi_i"] == from_file["sas"][0]["spi_i"]]
check("--duration: the replayed SA is in the report", len(sas) == 1, [s["spi_i"] for s in doc["sas"]])
if sas:
    f0 = from_file["sas"][0]
    check("live: the same outcome as from the file", sas[0]["outcome"] == f0["outcome"],
          (sas[0]["outcome"], f0["outcome"], sas[0]["evidence"]))
    check("live: decrypted with the same keys",
          [m["decryption"] for m in sas[0]["messages"]] == [m["decryption"] for m in f0["messages"]],
          [m["decryption"] for m in sas[0]["messages"]])
check("live: the input is named live:lo and counted",
      doc["inputs"] and doc["inputs"][0]["path"] == "live:lo" and doc["inputs"][0]["ike_messages"] >= len(f0["messages"]),
      doc["inputs"])

# SIGINT
p = start("--format", "json", "--keys", keys)
wait_ready()
replay(cap)
time.sleep(0.5)
p.send_signal(signal.SIGINT)
out, err = p.communicate(timeout=30)
try:
    doc = json.loads(out)
    whole = True
except ValueError:
    whole, doc = False, {"sas": []}
check("Ctrl-C: ends the capture with a whole report", whole and p.returncode == 0 and len(doc["sas"]) >= 1,
      (p.returncode, out[-300:], err))

# --idle: a refused negotiation shows up while the capture still runs.
refused = os.path.join(PCAPS, "ikev2-no-proposal", "capture.pcap")
p = start("--idle", "1", "--duration", "20")
wait_ready()
replay(refused)
t0, seen = time.time(), ""
while time.time() - t0 < 10 and "IKE SA #" not in seen:
    r, _, _ = select.select([p.stdout], [], [], 0.5)
    if r:
        seen += os.read(p.stdout.fileno(), 65536).decode()
check("--idle 1: the failed SA is reported before the capture ends", "IKE SA #" in seen and p.poll() is None,
      seen[:300])
p.send_signal(signal.SIGINT)
rest, err = p.communicate(timeout=30)
check("--idle 1: its finding is there", "proposal.no_common" in seen + rest, (seen + rest)[:600])

# A missing interface
r = subprocess.run([exe, "analyze", "-i", "no-such-if0"], capture_output=True, text=True)
check("missing interface: exit 2 and one line naming it",
      r.returncode == 2 and "no-such-if0" in r.stderr and len(r.stderr.strip().splitlines()) == 1, (r.returncode, r.stderr))
r = subprocess.run([exe, "analyze", "-i", "lo", cap], capture_output=True, text=True)
check("files and -i together: a usage error", r.returncode == 2 and "not both" in r.stderr, r.stderr)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
