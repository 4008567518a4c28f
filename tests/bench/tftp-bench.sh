#!/bin/bash
# tests/bench/tftp-bench.sh — `make bench`: TFTP download of a 64 MiB file from atftpd
# (Debian's TFTP server with RFC 7440 windowsize, unpacked by tests/rig/atftpd.sh) in
# the rig, in the same run: wireboot over kernel sockets and over lwIP on a TAP device,
# each with windowsize 16 (the default) and lock-step (--tftp-window 1), and curl's
# tftp:// client (lock-step: curl has no windowsize), all at blksize 1468; median of
# RUNS (default 5) runs, rates as each tool reports them, every file checked with sha256sum.  Ratios: each
# against curl, and windowed against lock-step.  Replaces the "TFTP download" section
# of docs/benchmarks.md.
set -u
cd "$(dirname "$0")/../.."
. tests/rig/rig.sh
WB=${WB:-$RIG_TOP/build/host/wireboot}
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
RUNS=${RUNS:-5}
BYTES=${TFTP_BENCH_BYTES:-67108864}
ATFTPD=$RIG_TOP/build/deps/atftpd/usr/sbin/atftpd
command -v curl >/dev/null || rig_die "curl is not installed (scripts/deps.sh)"
[ -x "$ATFTPD" ] || bash tests/rig/atftpd.sh || rig_die "no atftpd (scripts/deps.sh)"

rig_init tbench
rig_bridge
rig_tap tap0
rig_dnsmasq
rig_client cl 192.0.2.50/24
root=$RIG_DIR/tftp
mkdir -p "$root"
head -c "$BYTES" /dev/urandom >"$root/big.bin"
chmod -R a+rX "$root"
want=$(sha256sum "$root/big.bin" | cut -d' ' -f1)
rig_bg atftpd "$ATFTPD" --daemon --no-fork --user root --group root --port 69 \
	--bind-address 192.0.2.1 --logfile "$RIG_DIR/atftpd.log" "$root"
sleep 1
results=$RIG_DIR/results
: >"$results"

rate_of() {  # the "at N MiB/s, done" of wireboot's final progress line → MiB/s
	sed -n 's/.* at \([0-9.]*\) \([KMG]\)iB\/s, done.*/\1 \2/p' | tail -1 |
		awk '{ m = ($2 == "G") ? 1024 : ($2 == "K") ? 1/1024 : 1; printf "%.1f", $1 * m }'
}
# one NAME NS CMD... — run CMD (writing $RIG_DIR/o), check the file, record MiB/s as the
# tool reports it (wireboot: its progress line, from the request on, so lwIP's DHCP is
# not counted; curl: --write-out speed_download)
one() {
	local name=$1 ns=$2 out ok v; shift 2
	rm -f "$RIG_DIR/o"
	out=$(timeout -k 5 600 ip netns exec "$ns" "$@" 2>&1)
	ok=$([ -f "$RIG_DIR/o" ] && [ "$(sha256sum "$RIG_DIR/o" | cut -d' ' -f1)" = "$want" ] && echo 1 || echo 0)
	if [ "$name" = curl ]; then
		v=$(awk -v b="$out" 'BEGIN { printf "%.1f", b / 1048576 }')
	else
		v=$(rate_of <<<"$out")
	fi
	echo "$name ${v:-0} $ok" >>"$results"
	tail -1 "$results" | sed 's/^/bench: /'
}
url=tftp://192.0.2.1/big.bin
for i in $(seq "$RUNS"); do
	one sock-w16 "$RIG_CLIENT" "$WB" fetch --progress --no-hash "$url" -o "$RIG_DIR/o"
	one sock-w1 "$RIG_CLIENT" "$WB" fetch --progress --no-hash --tftp-window 1 "$url" -o "$RIG_DIR/o"
	one lwip-w16 "$RIG_NS" "$WB" fetch --progress --no-hash --tap tap0 "$url" -o "$RIG_DIR/o"
	one lwip-w1 "$RIG_NS" "$WB" fetch --progress --no-hash --tap tap0 --tftp-window 1 "$url" -o "$RIG_DIR/o"
	one curl "$RIG_CLIENT" curl -s --tftp-blksize 1468 -o "$RIG_DIR/o" -w '%{speed_download}' "$url"
done

mkdir -p "$(dirname "$DOC")"
RIG_TOP="$RIG_TOP" python3 - "$results" "$BYTES" "$DOC" <<'PY'
import os, statistics, sys
sys.path.insert(0, os.path.join(os.environ.get('RIG_TOP', '.'), 'tests', 'bench'))
import benchdoc
res, nbytes, doc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs, allok = {}, True
for l in open(res):
    who, v, ok = l.split()
    runs.setdefault(who, []).append(float(v or 0))
    allok &= ok == "1"
med = {k: statistics.median(v) for k, v in runs.items()}
r = lambda k, base: (med.get(k, 0) / med[base]) if med.get(base) else 0.0
machine, date = benchdoc.machine(), benchdoc.now()
fmt = lambda k: " / ".join(f"{x:.1f}" for x in runs.get(k, []))
section = f"""## TFTP download (tests/bench/tftp-bench.sh)

A {nbytes // 1048576} MiB file from atftpd (Debian's `atftpd`, which takes RFC 7440 windowsize)
on a Linux bridge in a network namespace, blksize 1468 (one Ethernet frame per block).
`wireboot fetch` over kernel sockets (from a veth-attached namespace) and over lwIP on a
TAP device, each with windowsize 16 (the default it asks for) and lock-step
(`--tftp-window 1`), and curl's tftp:// client (lock-step: curl has no windowsize), in the
same run; median of {len(runs.get('curl', []))} runs each, rates as each tool reports them (wireboot from
its request on, so lwIP's DHCP is not counted), every file checked with sha256sum. The machine is shared with other jobs (2 cores), so
absolute numbers are noisy; the ratios within one run are the result. Overwritten by every
`make bench`.

| date | machine | sockets w16 MiB/s | sockets w1 MiB/s | lwIP w16 MiB/s | lwIP w1 MiB/s | curl MiB/s | sockets w16 / w1 | lwIP w16 / w1 | sockets w16 / curl | lwIP w16 / curl | SHA-256 matched |
|---|---|---|---|---|---|---|---|---|---|---|---|
| {date} | {machine} | {med.get('sock-w16', 0):.1f} | {med.get('sock-w1', 0):.1f} | {med.get('lwip-w16', 0):.1f} | {med.get('lwip-w1', 0):.1f} | {med.get('curl', 0):.1f} | {r('sock-w16', 'sock-w1'):.2f} | {r('lwip-w16', 'lwip-w1'):.2f} | {r('sock-w16', 'curl'):.2f} | {r('lwip-w16', 'curl'):.2f} | {'yes' if allok else 'NO'} |

Individual runs (MiB/s): sockets w16 {fmt('sock-w16')}; sockets w1 {fmt('sock-w1')}; lwIP w16 {fmt('lwip-w16')}; lwIP w1 {fmt('lwip-w1')}; curl {fmt('curl')}.
"""
benchdoc.replace_section(doc, "TFTP download", section)
print(section)
PY
rig_finish
