#!/bin/bash
# tests/bench/tcp-bench.sh — `make bench`: TCP receive throughput of the hosted wireboot
# (lwIP over a TAP device) against the kernel's TCP, same server, same stream.
#
# In a netns: br0 192.0.2.1 with tcpsend.py (default kernel socket settings) and
# dnsmasq; wireboot on tap0 does `dhcp` then `tcprecv 192.0.2.1 PORT`; the kernel client
# is tcprecv.py in a second namespace joined to br0 by a veth pair.  RUNS runs each
# (default 3), medians compared; every run's crc32 must match the server's.  Results
# replace the "TCP receive" section of docs/benchmarks.md.
#
# Env: BENCH_BYTES (default 64 MiB), RUNS (3), WB (build/host/wireboot), BENCH_DOC.
set -u
. "$(dirname "$0")/../rig/rig.sh"
WB=${WB:-$RIG_TOP/build/host/wireboot}
BYTES=${BENCH_BYTES:-67108864}
RUNS=${RUNS:-3}
PORT=5001
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
[ -x "$WB" ] || rig_die "$WB not built (make build/host/wireboot)"

rig_init bench
rig_bridge
rig_tap tap0
rig_dnsmasq
rig_client k 192.0.2.20/24
rig_bg tcpsend python3 "$RIG_TOP/tests/rig/tcpsend.py" --port "$PORT" --bytes "$BYTES" --bind 192.0.2.1
rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 30 || { cat "$RIG_DIR/tcpsend.out"; rig_die "tcpsend did not start"; }
want=$(awk '/^crc32/ {print $2}' "$RIG_DIR/tcpsend.out")
echo "bench: server stream $BYTES bytes crc32 $want"

cat >"$RIG_DIR/recv.ipxe" <<EOS
#!ipxe
dhcp
tcprecv 192.0.2.1 $PORT
EOS

results="$RIG_DIR/results"
: >"$results"
ok=1
for i in $(seq "$RUNS"); do
	out=$(timeout -k 5 600 ip netns exec "$RIG_NS" "$WB" run --tap tap0 "$RIG_DIR/recv.ipxe" 2>&1)
	rc=$?
	line=$(echo "$out" | grep -E '^tcprecv: [0-9]+ bytes' | tail -1)
	echo "bench: wireboot run $i (exit $rc): ${line:-$out}"
	# tcprecv: <bytes> bytes in <ms> ms (<rate> KiB/s) crc32 <hex>
	set -- $line
	if [ "$rc" = 0 ] && [ -n "$line" ]; then
		echo "wireboot $2 $5 ${10}" >>"$results"
	else
		echo "wireboot 0 0 none" >>"$results"; ok=0
	fi
	out=$(timeout -k 5 600 ip netns exec "$RIG_CLIENT" python3 "$RIG_TOP/tests/rig/tcprecv.py" 192.0.2.1 "$PORT" 2>&1)
	echo "bench: kernel   run $i: $out"
	set -- $out
	if [ "${1:-}" = bytes ]; then echo "kernel $2 $4 $6" >>"$results"; else echo "kernel 0 0 none" >>"$results"; ok=0; fi
done

mkdir -p "$(dirname "$DOC")"
RIG_TOP="$RIG_TOP" python3 - "$results" "$want" "$BYTES" "$DOC" <<'PY'
import os, statistics, sys
sys.path.insert(0, os.path.join(os.environ.get('RIG_TOP', '.'), 'tests', 'bench'))
import benchdoc
res, want, nbytes, doc = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
runs = {"wireboot": [], "kernel": []}
crc_ok = True
for l in open(res):
    who, b, ms, crc = l.split()
    b, ms = int(b), float(ms)
    ok = b == nbytes and crc.lower() == want.lower() and ms > 0
    crc_ok &= ok
    runs[who].append(b / 1048576 / (ms / 1000) if ok else 0.0)
med = {k: statistics.median(v) if v else 0.0 for k, v in runs.items()}
ratio = med["wireboot"] / med["kernel"] if med["kernel"] else 0.0
machine, date = benchdoc.machine(), benchdoc.now()
fmt = lambda v: " / ".join(f"{x:.1f}" for x in v)
section = f"""## TCP receive (tests/bench/tcp-bench.sh)

Hosted `build/host/wireboot` (lwIP over a TAP device, `dhcp` then `tcprecv`) against the
kernel's TCP (`tests/rig/tcprecv.py` over a veth pair), both receiving the same
deterministic stream from `tests/rig/tcpsend.py` (kernel default socket settings) on a
Linux bridge in a network namespace.  Median of {len(runs['wireboot'])} runs each.
Overwritten by every `make bench`.

Method: both receivers time the same span with their own clock, from the connection
being open to the server's EOF, and compute CRC-32 of every byte as it arrives (wireboot's
`tcprecv` line; tcprecv.py's `ms`); rate = bytes / that time.

| date | machine | bytes | wireboot MiB/s | kernel MiB/s | ratio | crc32 matched |
|---|---|---|---|---|---|---|
| {date} | {machine} | {nbytes} | {med['wireboot']:.1f} | {med['kernel']:.1f} | {ratio:.2f} | {'yes' if crc_ok else 'NO'} ({want}) |

Individual runs (MiB/s): wireboot {fmt(runs['wireboot'])}; kernel {fmt(runs['kernel'])}.
"""
benchdoc.replace_section(doc, "TCP receive", section)
print(section)
sys.exit(0 if crc_ok else 1)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a run failed or crc32 mismatch)"
exit 1
