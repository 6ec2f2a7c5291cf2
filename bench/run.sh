#!/usr/bin/env bash
# bench/run.sh: ikescope against a bare libpcap loop and tshark, on large captures built
# from the lab captures in pcaps/. Method and results: docs/performance.md.
#
# Usage: bench/run.sh [speed] [memory] [profile]     (default: all three)
#   speed    wall time, CPU time and max RSS of every tool on captures (a)-(d)
#   memory   ikescope max RSS at 1x, 4x, 16x the capture size for (a), (c) and (d)
#   profile  callgrind instruction counts and top functions on mid-size (a), (c), (d);
#            perf time samples on the full-size ones (when perf record works)
# Environment:
#   BUILD=build-bench    release build dir, relative to the repository or absolute
#                        (set up here if missing, brought up to date with ninja)
#   RUNS=3               runs per ikescope / libpcap measurement (median wall reported)
#   TSHARK_RUNS=1        runs per tshark measurement (tshark -T json takes minutes)
#   TSHARK_TIMEOUT=300   seconds after which a tshark run is stopped ("> N" in the table)
#   SCALE=1              multiply every capture size (0.02: a smoke run of about 20 s)
#   WORK=/some/dir       where captures go (default: a temp dir, removed on exit);
#                        KEEP=1 keeps the temp dir. Captures already in WORK are reused.
# Output: Markdown tables on stdout; every single run in $WORK/log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
BUILD=${BUILD:-build-bench}
RUNS=${RUNS:-3}
TSHARK_RUNS=${TSHARK_RUNS:-1}
TSHARK_TIMEOUT=${TSHARK_TIMEOUT:-300}
SCALE=${SCALE:-1}
sections=${*:-speed memory profile}
src=pcaps/ikev2-cert-rsa-aescbc

for tool in python3 cc tshark timeout /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install time tshark)" >&2; exit 2; }
done
[[ $BUILD == /* ]] || BUILD=$root/$BUILD
# Always ninja: a stale build would measure old code (a no-op when up to date).
[[ -d $BUILD ]] || meson setup "$BUILD" -Dtests=false -Dbuildtype=release >&2
ninja -C "$BUILD" >&2
ikescope=$BUILD/src/cli/ikescope
# What is measured: the source tree the build came from, and its commit if it has one.
srcdir=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["directories"]["source"])' \
    "$BUILD/meson-info/meson-info.json")
commit=$(git -C "$srcdir" describe --always --dirty 2>/dev/null || cat "$srcdir/.commit" 2>/dev/null || echo unknown)
buildtype=$(meson introspect --buildoptions "$BUILD" |
    python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))')

if [[ -n ${WORK:-} ]]; then
    work=$WORK; mkdir -p "$work"
else
    work=$(mktemp -d /tmp/ikescope-bench.XXXXXX)
    [[ -n ${KEEP:-} ]] || trap 'rm -rf "$work"' EXIT
fi
log=$work/log
: >"$log"
cc -O2 -o "$work/pcap_loop" bench/pcap_loop.c -lpcap

n() { python3 -c "print(max(16, round($1 * $SCALE)))"; }
A=$(n 50000)      # (a) copies of the 10-packet negotiation
B=$(n 5000)       # (b) copies, each followed by 50 non-IKE packets
C=$(n 200000)     # (c) unanswered IKE_SA_INIT requests, 100 per second
D=$(n 50000)      # (d) like (a), with a matching key table
RATE=100

# mk OUT ARGS...: build capture OUT once (reused when WORK is reused). make_big.py writes
# to a temporary name first, so an interrupted run leaves no truncated capture behind.
mk() {
    local out=$1; shift
    [[ -s $out ]] && return 0
    python3 bench/make_big.py "$@" >&2
}
cap_a() { mk "$work/a$1.pcap" sas "$src/capture.pcap" "$work/a$1.pcap" "$1"; }
cap_b() { mk "$work/b$1.pcap" sas "$src/capture.pcap" "$work/b$1.pcap" "$1" --noise 50; }
cap_c() { mk "$work/c$1.pcap" pending "$src/capture.pcap" "$work/c$1.pcap" "$1" --rate $RATE; }
cap_d() {
    mk "$work/d$1.pcap" sas "$src/capture.pcap" "$work/d$1.pcap" "$1" \
        --keys "$src/ikev2_decryption_table" --keys-out "$work/d$1.keys"
    # tshark reads its key table from its configuration directory.
    mkdir -p "$work/xdg$1/wireshark"
    cp "$work/d$1.keys" "$work/xdg$1/wireshark/ikev2_decryption_table"
}
# An empty configuration for the tshark runs without keys.
mkdir -p "$work/xdg-empty/wireshark"

packets() { "$work/pcap_loop" "$1" | cut -d' ' -f1; }
describe() { # one line per capture: packets, size
    local f=$1
    printf -- '- %s: %s packets, %.1f MB\n' "$(basename "$f")" "$(packets "$f")" \
        "$(stat -c %s "$f" | awk '{print $1/1e6}')"
}

# measure RUNS TIMEOUT LABEL CMD...: one table row for CMD on $FILE (stdout to /dev/null):
# median wall seconds, its CPU seconds (user+sys), packets/s and MB/s from that wall,
# max RSS over the runs. TIMEOUT 0 = none.
measure() {
    local runs=$1 limit=$2 label=$3; shift 3
    local pk mb rows=() rss=0 stopped=
    pk=$(packets "$FILE")
    mb=$(stat -c %s "$FILE" | awk '{print $1/1e6}')
    local pre=()
    ((limit > 0)) && pre=(timeout "$limit")
    for ((i = 0; i < runs; i++)); do
        local t0=$EPOCHREALTIME rc=0
        /usr/bin/time -f "%U %S %M" -o "$work/t" "${pre[@]}" "$@" >/dev/null 2>"$work/err" || rc=$?
        local t1=$EPOCHREALTIME
        local w u s r
        w=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
        read -r u s r < <(tail -1 "$work/t")
        echo "$CASE | $label | run $i: rc $rc, wall $w s, user $u s, sys $s s, max RSS $r KiB :: $*" >>"$log"
        if ((rc == 124)); then stopped=1; rss=$((r > rss ? r : rss)); break; fi
        if ((rc != 0)); then
            echo "run.sh: $label on $FILE exited with $rc:" >&2; tail -3 "$work/err" >&2
        fi
        rows+=("$w $(awk "BEGIN{print $u + $s}")")
        rss=$((r > rss ? r : rss))
    done
    if [[ -n $stopped ]]; then
        printf '| %s | %s | > %s (stopped) | | | | > %.1f |\n' "$CASE" "$label" "$limit" "$(awk "BEGIN{print $rss/1024}")"
        return
    fi
    local med cpu
    read -r med cpu < <(printf '%s\n' "${rows[@]}" | sort -g | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
    awk -v c="$CASE" -v l="$label" -v w="$med" -v cpu="$cpu" -v pk="$pk" -v mb="$mb" -v rss="$rss" 'BEGIN {
        printf "| %s | %s | %.3f | %.2f | %.0f | %.0f | %.1f |\n", c, l, w, cpu, pk / w, mb / w, rss / 1024 }'
}

tools() { # tools [KEYS XDG]: every tool on $FILE
    local keys=${1:-} xdg=${2:-$work/xdg-empty}
    local k=()
    [[ -n $keys ]] && k=(--keys "$keys")
    measure "$RUNS" 0 "libpcap loop" "$work/pcap_loop" "$FILE"
    measure "$RUNS" 0 "ikescope text" "$ikescope" analyze "${k[@]}" --fail-on never "$FILE"
    measure "$RUNS" 0 "ikescope json" "$ikescope" analyze "${k[@]}" --format json --fail-on never "$FILE"
    measure "$TSHARK_RUNS" "$TSHARK_TIMEOUT" "tshark -Y isakmp" \
        env XDG_CONFIG_HOME="$xdg" tshark -n -r "$FILE" -Y isakmp
    measure "$TSHARK_RUNS" "$TSHARK_TIMEOUT" "tshark -Y isakmp -T json" \
        env XDG_CONFIG_HOME="$xdg" tshark -n -r "$FILE" -Y isakmp -T json
}

header() {
    echo
    echo "| case | tool | wall s | CPU s | packets/s | MB/s | max RSS MiB |"
    echo "|---|---|---:|---:|---:|---:|---:|"
}

if [[ " $sections " == *" speed "* ]]; then
    d16=$((D / 16))
    cap_a "$A"; cap_b "$B"; cap_c "$C"; cap_d "$D"; cap_d "$d16"
    echo "## speed (RUNS=$RUNS, TSHARK_RUNS=$TSHARK_RUNS, TSHARK_TIMEOUT=$TSHARK_TIMEOUT, SCALE=$SCALE)"
    echo
    echo "- machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "- $("$ikescope" --version) ($buildtype) from $srcdir, commit $commit"
    echo "- $(tshark --version 2>/dev/null | sed -n 1p || true)"
    for f in "$work/a$A.pcap" "$work/b$B.pcap" "$work/c$C.pcap" "$work/d$D.pcap" "$work/d$d16.pcap"; do
        describe "$f"
    done
    header
    CASE="(a) $A SAs"; FILE=$work/a$A.pcap; tools
    CASE="(b) $B SAs + non-IKE"; FILE=$work/b$B.pcap; tools
    CASE="(c) $C unanswered"; FILE=$work/c$C.pcap; tools
    CASE="(d) $D SAs, keys"; FILE=$work/d$D.pcap; tools "$work/d$D.keys" "$work/xdg$D"
    CASE="(d) $d16 SAs, keys"; FILE=$work/d$d16.pcap; tools "$work/d$d16.keys" "$work/xdg$d16"
fi

if [[ " $sections " == *" memory "* ]]; then
    echo
    echo "## memory: ikescope as the capture grows (1 run each)"
    header
    a1=$((A / 16)); c1=$((C / 16)); d1=$((D / 16))   # 16x is exactly 16 times 1x
    for mult in 1 4 16; do
        a=$((a1 * mult)); c=$((c1 * mult)); d=$((d1 * mult))
        cap_a "$a"; cap_c "$c"; cap_d "$d"
        CASE="(a) $a SAs (${mult}x)"; FILE=$work/a$a.pcap
        measure 1 0 "ikescope text" "$ikescope" analyze --fail-on never "$FILE"
        measure 1 0 "ikescope json" "$ikescope" analyze --format json --fail-on never "$FILE"
        CASE="(c) $c unanswered (${mult}x)"; FILE=$work/c$c.pcap
        measure 1 0 "ikescope text" "$ikescope" analyze --fail-on never "$FILE"
        measure 1 0 "ikescope json" "$ikescope" analyze --format json --fail-on never "$FILE"
        CASE="(d) $d SAs, keys (${mult}x)"; FILE=$work/d$d.pcap
        measure 1 0 "ikescope text" "$ikescope" analyze --keys "$work/d$d.keys" --fail-on never "$FILE"
    done
fi

if [[ " $sections " == *" profile "* ]]; then
    command -v valgrind >/dev/null || { echo "run.sh: valgrind is missing" >&2; exit 2; }
    pa=$(n 2000); pc=$(n 20000); pd=$(n 10000)   # (d) big enough for the key lookup to show
    cap_a "$pa"; cap_c "$pc"; cap_d "$pd"
    echo
    echo "## profile: callgrind instructions (Ir)"
    echo
    echo "| run | Ir total | Ir per packet |"
    echo "|---|---:|---:|"
    prof() { # prof NAME FILE CMD...
        local name=$1 f=$2; shift 2
        valgrind --tool=callgrind --callgrind-out-file="$work/cg.$name" "$@" >/dev/null 2>"$work/cg.$name.err" || true
        local ir pk
        ir=$(awk '/^summary:/ {print $2}' "$work/cg.$name")
        pk=$(packets "$f")
        printf '| %s | %s | %s |\n' "$name" "$ir" "$((ir / pk))"
    }
    prof "libpcap-loop-a$pa" "$work/a$pa.pcap" "$work/pcap_loop" "$work/a$pa.pcap"
    prof "ikescope-text-a$pa" "$work/a$pa.pcap" "$ikescope" analyze --fail-on never "$work/a$pa.pcap"
    prof "ikescope-json-a$pa" "$work/a$pa.pcap" "$ikescope" analyze -f json --fail-on never "$work/a$pa.pcap"
    prof "ikescope-text-keys-d$pd" "$work/d$pd.pcap" "$ikescope" analyze -k "$work/d$pd.keys" --fail-on never "$work/d$pd.pcap"
    prof "ikescope-text-c$pc" "$work/c$pc.pcap" "$ikescope" analyze --fail-on never "$work/c$pc.pcap"
    for name in "ikescope-text-a$pa" "ikescope-json-a$pa" "ikescope-text-keys-d$pd" "ikescope-text-c$pc"; do
        echo
        echo "### top 12 functions (self Ir): $name"
        echo
        echo '```'
        # awk, not head: with pipefail, head closing the pipe early would end the script.
        callgrind_annotate --threshold=100 "$work/cg.$name" 2>/dev/null |
            awk '/^ *[0-9,]+ +\(/ && !/PROGRAM TOTALS/ && ++n <= 12' |
            sed -E 's#  [^ ]*/([^/ ]+:)#  \1#; s# \[/[^]]*/([^]/]*)\]# [\1]#'
        echo '```'
    done
    # Time samples on the full-size captures, where callgrind would take too long. perf
    # needs no hardware counters for cpu-clock; on a machine where it does not run at all,
    # this part is skipped.
    if perf record -q -e cpu-clock -o "$work/perf.check" true >/dev/null 2>&1; then
        cap_a "$A"; cap_c "$C"; cap_d "$D"
        pperf() { # pperf NAME CMD...
            local name=$1; shift
            perf record -q -e cpu-clock -F 999 -o "$work/perf.$name" "$@" >/dev/null 2>"$work/perf.$name.err" || true
            echo
            echo "### perf: top 10 functions (self time): $name"
            echo
            echo '```'
            perf report -i "$work/perf.$name" --no-children --stdio 2>/dev/null |
                awk '/^ +[0-9.]+%/ && ++n <= 10 {print $1, $3, $5}'
            echo '```'
        }
        pperf "ikescope-text-a$A" "$ikescope" analyze --fail-on never "$work/a$A.pcap"
        pperf "ikescope-json-a$A" "$ikescope" analyze -f json --fail-on never "$work/a$A.pcap"
        pperf "ikescope-text-keys-d$D" "$ikescope" analyze -k "$work/d$D.keys" --fail-on never "$work/d$D.pcap"
        pperf "ikescope-text-c$C" "$ikescope" analyze --fail-on never "$work/c$C.pcap"
    else
        echo "run.sh: perf record does not work here; perf profiles skipped" >&2
    fi
fi
echo
echo "(every run: $log)" >&2
