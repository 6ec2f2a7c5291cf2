#!/usr/bin/env bash
# Measures ikescope against a bare libpcap loop and tshark on the same large capture.
# Usage: bench/run.sh [SOURCE.pcap] [COPIES]   (needs a built build/ and tshark, hyperfine optional)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-pcaps/ikev2-cert-rsa-aescbc/capture.pcap}
copies=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/make_big.py "$src" "$work/big.pcap" "$copies"
cc -O2 -o "$work/pcap_loop" bench/pcap_loop.c -lpcap
ls -l "$work/big.pcap" | awk '{printf "capture: %.1f MB\n", $5/1e6}'
measure() {
    local name=$1; shift
    /usr/bin/time -f "$name: %e s, %M KiB max RSS" "$@" >/dev/null 2>"$work/time" || true
    tail -1 "$work/time"
}
measure "libpcap loop       " "$work/pcap_loop" "$work/big.pcap"
measure "ikescope text      " build/src/cli/ikescope analyze --fail-on never "$work/big.pcap"
measure "ikescope json      " build/src/cli/ikescope analyze --format json --fail-on never "$work/big.pcap"
measure "tshark -Y isakmp   " tshark -n -r "$work/big.pcap" -Y isakmp
measure "tshark -V isakmp   " tshark -n -r "$work/big.pcap" -Y isakmp -V
