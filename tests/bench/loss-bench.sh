#!/bin/bash
# tests/bench/loss-bench.sh — `make bench`: what packet loss costs (issue 18).  Packets are
# dropped at random in each direction between the guest and the servers (tests/rig/rig.sh
# rig_loss: nftables in the test namespace, one wire packet per drop), at each RATE
# against 0 % in the same run:
#   read   `wireboot preflight iscsi --tap --tcp-window 35040 --read-all` (lwIP, U-Boot's
#          24-segment window): a 24 MiB LUN from tgtd; the read phase's MiB/s as preflight
#          reports it (login done → last byte) and the whole run's wall time (DHCP, login,
#          read, logout) from this script's clock; SHA-256 must match;
#   https  `wireboot fetch --tap` of 64 MiB from nginx over TLS, wall time from process
#          start to exit, SHA-256 must match;
#   boot   U-Boot arm64 under QEMU: tests/qemu/uboot-arm64-sanboot-loss.sh (DHCP, HTTPS
#          script, mutual CHAP, GRUB and Linux reading over iSCSI, payload verified by
#          Linux) with SANBOOT_LOSS=RATE; seconds from QEMU's start to the payload marker.
# RUNS runs each (default 3; boot BOOT_RUNS, default 1), medians; the "Lossy network"
# section of docs/benchmarks.md is replaced.  Env: RATES (default "0.5 2 5"), RUNS,
# BOOT_RUNS, BOOT_RATES (default "2 5"), WB, BENCH_DOC.
set -u
. "$(dirname "$0")/../rig/rig.sh"
WB=${WB:-$RIG_TOP/build/host/wireboot}
RATES=${RATES:-0.5 2 5}
BOOT_RATES=${BOOT_RATES:-2 5}
RUNS=${RUNS:-3}
BOOT_RUNS=${BOOT_RUNS:-1}
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
IQN=iqn.2026-11.test:disk
[ -x "$WB" ] || rig_die "$WB not built (make build/host/wireboot)"
results=$(mktemp)
rig_init lossbench
trap 'rm -f "$results"; rig_cleanup' EXIT
rig_bridge
rig_tap tap0
rig_dnsmasq
IMG=$RIG_DIR/disk.img
head -c $((24 * 1024 * 1024)) /dev/urandom >"$IMG"
want=$(sha256sum "$IMG" | cut -d' ' -f1)
rig_tgtd "$IQN" "$IMG" "" ""
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
rig_nginx_tls web "443|$P/good-ec.chain.pem|$P/good-ec.key"
head -c 67108864 /dev/urandom >"$RIG_DIR/web-www/big.bin"
want_big=$(sha256sum "$RIG_DIR/web-www/big.bin" | cut -d' ' -f1)

now() { date +%s.%N; }
for i in $(seq "$RUNS"); do
	for pct in 0 $RATES; do
		rig_loss "$pct"
		t0=$(now)
		out=$(timeout -k 5 900 ip netns exec "$RIG_NS" "$WB" preflight iscsi --no-disk --tap tap0 \
			--tcp-window 35040 --timeout 60 "iscsi:192.0.2.1:::1:$IQN" --read-all --depth 8 2>&1)
		t1=$(now)
		ok=0; echo "$out" | grep -q "^sha256 $want\$" && ok=1
		rate=$(echo "$out" | sed -n 's/^rate: \([0-9.]*\) MiB.*/\1/p')
		echo "read $pct ${rate:-0} $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') $ok $(rig_loss_counts | tr ' ' '/')" | tee -a "$results"
	done
	for pct in 0 2; do
		rig_loss "$pct"
		t0=$(now)
		out=$(timeout -k 5 900 ip netns exec "$RIG_NS" "$WB" fetch --progress --tap tap0 --trust "$P/root.pem" --timeout 60 \
			https://boot.test/big.bin -o "$RIG_DIR/big.out" 2>&1 </dev/null)
		t1=$(now)
		ok=0; [ "$(sha256sum "$RIG_DIR/big.out" 2>/dev/null | cut -d' ' -f1)" = "$want_big" ] && ok=1
		rm -f "$RIG_DIR/big.out"
		echo "https $pct 0 $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') $ok $(rig_loss_counts | tr ' ' '/')" | tee -a "$results"
	done
done
rig_loss 0
rig_cleanup

for i in $(seq "$BOOT_RUNS"); do
	for pct in 0 $BOOT_RATES; do
		out=$(SANBOOT_LOSS=$pct bash "$RIG_TOP/tests/qemu/uboot-arm64-sanboot-loss.sh" 2>&1)
		rc=$?
		secs=$(echo "$out" | sed -n 's/^info: .*: boot-to-marker \([0-9.]*\) s.*/\1/p' | head -1)
		drops=$(echo "$out" | sed -n 's/^info: .*servers->guest: \([0-9]*\) \([0-9]*\)$/\1\/\2/p' | head -1)
		ok=0; [ "$rc" = 0 ] && [ -n "$secs" ] && echo "$out" | grep -q 'PASS: .*payload-ok' && ok=1
		echo "boot $pct 0 ${secs:-0} $ok ${drops:-0/0}" | tee -a "$results"
	done
done

mkdir -p "$(dirname "$DOC")"
python3 - "$results" "$DOC" "$RIG_TOP" <<'PY'
import statistics, sys
sys.path.insert(0, sys.argv[3] + "/tests/bench")
import benchdoc
res, doc = sys.argv[1], sys.argv[2]
rows = {}
allok = True
for l in open(res):
    kind, pct, rate, secs, ok, drops = l.split()
    rows.setdefault((kind, float(pct)), []).append((float(rate), float(secs), drops))
    allok &= ok == "1"
med = lambda kind, pct, i: statistics.median(r[i] for r in rows[(kind, pct)]) if (kind, pct) in rows else 0.0
def table(kind, what, col):
    base = med(kind, 0.0, col)
    out = []
    for (k, pct) in sorted(x for x in rows if x[0] == kind):
        v = med(k, pct, col)
        ratio = (v / base) if base else 0
        drops = ", ".join(r[2] for r in rows[(k, pct)])
        out.append(f"| {pct:g} % | {v:.2f} | {ratio:.2f} | {drops} |")
    return f"| loss each way | {what} (median) | vs 0 % | dropped guest→servers/servers→guest per run |\n|---|---|---|---|\n" + "\n".join(out)
section = f"""## Lossy network (tests/bench/loss-bench.sh)

Random loss in both directions between the guest and the servers (nftables `numgen random`
in the test namespace, one wire packet per drop), each rate against 0 % in the same run.
Run at {benchdoc.now()} on {benchdoc.machine()}; every run's data
verified by SHA-256: {'yes' if allok else 'NO — see the script output'}.

**SAN read**, hosted, lwIP on a TAP device with U-Boot's 24-segment window
(`preflight --tap --tcp-window 35040 --read-all`, 24 MiB LUN, 8 commands in flight). Method:
the read phase's rate as preflight reports it (login done → last byte), median of
{len(rows.get(('read', 0.0), []))} runs:

{table('read', 'MiB/s', 0)}

Whole preflight run (DHCP, login, read, logout), seconds from this script's clock:

{table('read', 's', 1)}

**HTTPS download**, hosted `wireboot fetch --tap`, 64 MiB, seconds from process start to
exit (same clock for both rates):

{table('https', 's', 1)}

**SAN boot on U-Boot arm64** (QEMU TCG; `uboot-arm64-sanboot-loss.sh`: DHCP, HTTPS script,
mutual CHAP, GRUB and Linux read over iSCSI, payload verified by Linux), seconds from QEMU's
start to the payload marker:

{table('boot', 's', 1)}
"""
benchdoc.replace_section(doc, "Lossy network", section)
print(section)
PY
