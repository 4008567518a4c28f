#!/bin/bash
# tests/bench/rxpath-bench.sh — `make bench`: where a received packet's time goes (issue
# 14, item 1) and what holding pure ACKs until the next poll (src/net/ackq.h) changes.
#   firmware  tests/qemu/uboot-arm64-tcp.sh and ovmf-x64-tcp.sh with TCP_MODES: one
#             `tcprecv --profile` of 8 MiB per entry, tcp-ack-coalesce alternating 0 / 1;
#             the first connection is a warm-up (TCG translates the code on first use)
#             and is left out;
#   hosted    build/host/wireboot on a TAP device, `tcprecv --profile` of HOSTED_BYTES
#             (64 MiB) per connection, modes alternating the same way.
# Each profile line (src/script/cmds_net.c tcprecv_profile) gives the time in the link's
# receive calls (with a frame / finding nothing), the frame → pbuf copy, lwIP input,
# link transmits, lwIP timers, the stream copy and the caller (CRC-32, loop), per
# received frame and as shares.  Medians per mode; the "Receive path" section of
# docs/benchmarks.md is replaced.  Env: RXPATH_FW (default "uboot-arm64 ovmf-x64"),
# RXPATH_PAIRS (3), HOSTED_BYTES, WB, BENCH_DOC.
set -u
. "$(dirname "$0")/../rig/rig.sh"
WB=${WB:-$RIG_TOP/build/host/wireboot}
FWS=${RXPATH_FW:-uboot-arm64 ovmf-x64}
PAIRS=${RXPATH_PAIRS:-3}
HBYTES=${HOSTED_BYTES:-67108864}
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
[ -x "$WB" ] || rig_die "$WB not built (make build/host/wireboot)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
modes="1"
for i in $(seq "$PAIRS"); do modes="$modes 0 1"; done
ok=1

# hosted: one wireboot run, one connection per mode
(
	rig_init rxpath
	rig_bridge
	rig_tap tap0
	rig_dnsmasq
	rig_bg tcpsend python3 "$RIG_TOP/tests/rig/tcpsend.py" --port 5001 --bytes "$HBYTES" --bind 192.0.2.1
	rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 30 || rig_die "tcpsend did not start"
	{
		printf '%s\n' '#!ipxe' dhcp
		for m in $modes; do printf '%s\n' "set tcp-ack-coalesce $m" "tcprecv --profile 192.0.2.1 5001"; done
	} >"$RIG_DIR/recv.ipxe"
	timeout -k 5 900 ip netns exec "$RIG_NS" "$WB" run --tap tap0 "$RIG_DIR/recv.ipxe" >"$out/hosted.log" 2>&1
) || ok=0
for fw in $FWS; do
	TCP_MODES="$modes" bash "$RIG_TOP/tests/qemu/$fw-tcp.sh" >"$out/$fw.log" 2>&1 || { ok=0; tail -5 "$out/$fw.log"; }
done

RIG_TOP="$RIG_TOP" python3 - "$out" "$DOC" "$modes" "$HBYTES" $FWS <<'PY'
import os, re, statistics, sys
sys.path.insert(0, os.path.join(os.environ.get('RIG_TOP', '.'), 'tests', 'bench'))
import benchdoc
out, doc, modes, hbytes, fws = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4]), sys.argv[5:]
PARTS = ["link rx", "empty polls", "pbuf copy", "lwIP input", "link tx", "timers", "stream copy", "caller"]

def parse(path):
    """One dict per connection, in order: rate, frames, sent, per-frame us and shares.
    (The firmware test prints every result line first, then every profile.)"""
    res, prof = [], []
    for line in open(path, errors="replace"):
        m = re.search(r"tcprecv: (\d+) bytes in (\d+) ms", line)
        if m and "profile" not in line:
            res.append({"bytes": int(m.group(1)), "ms": int(m.group(2))})
            continue
        m = re.search(r"tcprecv: profile: (\d+) ms, (\d+) frames received \(\d+/s\), (\d+) sent", line)
        if m:
            prof.append({"frames": int(m.group(2)), "sent": int(m.group(3))})
            continue
        for key, tag in (("us", "us per received frame:"), ("share", "share of time %:")):
            if prof and tag in line:
                prof[-1][key] = {n.strip(): float(v) for n, v in re.findall(r"([a-zA-Z][a-zA-Z ]*?) ([0-9.]+)(?:,|$)", line.split(tag, 1)[1].strip())}
    return [dict(r, **p) for r, p in zip(res, prof) if "us" in p and "share" in p] if len(res) == len(prof) else []

rows, good = [], True
for name, path in [("hosted (TAP)", os.path.join(out, "hosted.log"))] + [(fw, os.path.join(out, fw + ".log")) for fw in fws]:
    conns = parse(path) if os.path.exists(path) else []
    if len(conns) != len(modes):
        good = False
        rows.append(f"| {name} | — | run failed ({len(conns)} of {len(modes)} connections profiled) |" + " |" * 13)
        continue
    meas = list(zip(modes, conns))[1:]   # the first connection warms up
    med = {}
    for mode in ("0", "1"):
        cs = [c for m, c in meas if m == mode]
        med[mode] = {
            "rate": statistics.median(c["bytes"] / 1048576 / (c["ms"] / 1000) for c in cs),
            "sent": statistics.median(c["sent"] / c["frames"] for c in cs),
            "us": {p: statistics.median(c["us"].get(p, 0.0) for c in cs) for p in PARTS},
            "share": {p: statistics.median(c["share"].get(p, 0.0) for c in cs) for p in PARTS},
            "rates": [c["bytes"] / 1048576 / (c["ms"] / 1000) for c in cs],
        }
    for mode in ("0", "1"):
        d = med[mode]
        ratio = f"{med['1']['rate'] / med['0']['rate']:.2f}" if mode == "1" and med["0"]["rate"] else ""
        rows.append(f"| {name} | {'held until next poll' if mode == '1' else 'each ACK sent'} | {d['rate']:.1f} | {ratio} | {d['sent']:.2f} | "
                    + " | ".join(f"{d['us'][p]:.1f} ({d['share'][p]:.0f} %)" for p in PARTS) + " |")
    rows.append(f"| {name} | runs (MiB/s) | " + "; ".join(f"{'held' if m == '1' else 'each'} {r:.1f}" for m in ("0", "1") for r in med[m]["rates"]) + " |" + " |" * 10)

section = f"""## Receive path (tests/bench/rxpath-bench.sh)

Where a received packet's time goes, measured inside wireboot with the platform's cycle
counter (CNTVCT_EL0 on arm64, the TSC on x86_64, nanoseconds hosted) by `tcprecv
--profile` (src/script/cmds_net.c; struct net_prof in src/net/net.h): a kernel TCP sender
(tests/rig/tcpsend.py, default settings) streams to wireboot's lwIP; on firmware 8 MiB per
connection over the firmware's SNP (U-Boot 2023.01 arm64 virtio-net and OVMF x86_64
virtio-net under QEMU TCG: window 6 × 1460 on U-Boot, 256 KiB on OVMF), hosted
{hbytes >> 20} MiB per connection over a TAP device.  Connections alternate between the
two settings of `tcp-ack-coalesce`: **each ACK sent** (0: as lwIP makes them) and **held
until next poll** (1, the default: src/net/ackq.h), {len(modes) // 2} of each, after one
warm-up connection that is not counted.  Overwritten by every `make bench`.

Method: per connection, µs per received frame in each part (the parts do not overlap;
link tx counts every transmit — ACKs and window updates — wherever it is made from, and
on firmware includes the time SNP Transmit waits for the device) and its share of the
connection's time; "caller" is what is left: tcprecv's CRC-32 and loop.  Medians per
setting; rate = bytes / the connection's time; "sent / received" = frames transmitted per
frame received.

| where | ACKs | MiB/s | held / each | sent / received | {' | '.join(PARTS)} |
|---|---|---|---|---|{'---|' * len(PARTS)}
""" + "\n".join(rows) + f"""

Run at {benchdoc.now()} on {benchdoc.machine()}.
"""
benchdoc.replace_section(doc, "Receive path", section)
print(section)
sys.exit(0 if good else 1)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a run failed)"
exit 1
