#!/bin/bash
# tests/bench/boot-https-bench.sh — `make bench`: SAN boot time over HTTPS (issue 16) against
# iSCSI and a local disk, in the same run, on U-Boot arm64 (QEMU TCG).  Each clock runs
# from U-Boot's echo of `bootefi` to Linux's `WIREBOOT-MARKER payload=OK` line (as
# boot-bench.sh, whose method this shares):
#   local   tests/qemu/uboot-arm64-localdisk.sh (DISK_BOOTEFI=1): virtio-blk, the limit;
#   iscsi   tests/qemu/uboot-arm64-sanboot.sh: sanboot iscsi:… (tgtd, mutual CHAP);
#   https   tests/qemu/uboot-arm64-sanboot-https.sh with SANBOOT_HTTPS_PLAIN_TOO=1: first
#           `sanboot https://boot.test/disk.img` (nginx over TLS, range requests), then
#   verify  the same with `--verify --map-sha256` (every 64 KiB chunk checked with
#           SHA-256 before the firmware sees it); the script's tampered-image run follows
#           and must be refused (its own check).
# Every run must pass its test (payload=OK); a failed run is not counted.  RUNS runs of
# each (default 3; RUNS=1 is allowed and the section says how many), medians replace the
# "HTTPS-SAN boot time" section of docs/benchmarks.md.  Goal (issue 16): https within
# 1.2x iscsi.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-3}
DOC=${BENCH_DOC:-$TOP/docs/benchmarks.md}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
ok=1
# get OUT NAME — bootefi-to-marker and boot-to-marker of test NAME in OUT
get() {
	echo "$(echo "$1" | sed -n "s/^info: $2: bootefi-to-marker \\([0-9.]*\\) s.*/\\1/p" | head -1)" \
		"$(echo "$1" | sed -n "s/^info: $2: boot-to-marker \\([0-9.]*\\) s.*/\\1/p" | head -1)"
}
for i in $(seq 1 "$RUNS"); do
	for how in local iscsi https; do
		case $how in
		local) t=tests/qemu/uboot-arm64-localdisk.sh ;;
		iscsi) t=tests/qemu/uboot-arm64-sanboot.sh ;;
		https) t=tests/qemu/uboot-arm64-sanboot-https.sh ;;
		esac
		out=$(SANBOOT_HTTPS_PLAIN_TOO=1 DISK_BOOTEFI=1 nice bash "$TOP/$t" 2>&1)
		rc=$?
		if [ "$rc" != 0 ] || ! echo "$out" | grep -q 'PASS: .*payload-ok'; then
			echo "bench: $how run $i FAILED (exit $rc)"
			echo "$out" | grep -E '^FAIL' | head -5
			ok=0
			continue
		fi
		case $how in
		https) names="https:uboot-arm64-sanboot-https-plain verify:uboot-arm64-sanboot-https-verify" ;;
		*) names="$how:[^:]*" ;;
		esac
		for n in $names; do
			read -r secs total <<<"$(get "$out" "${n#*:}")"
			if [ -n "$secs" ] && [ -n "$total" ]; then
				echo "bench: ${n%%:*} run $i: $secs s from bootefi to the marker ($total s from QEMU's start)"
				echo "${n%%:*} $secs" >>"$results"
				echo "${n%%:*}-total $total" >>"$results"
			else
				echo "bench: ${n%%:*} run $i: no timing lines"
				ok=0
			fi
		done
	done
done

python3 - "$results" "$DOC" "$TOP" <<'PY'
import os, statistics, sys
res, doc, top = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, os.path.join(top, 'tests', 'bench'))
import benchdoc
kinds = ["local", "iscsi", "https", "verify"]
runs = {k: [] for k in kinds + [k + "-total" for k in kinds]}
for l in open(res):
    how, s = l.split()
    runs[how].append(float(s))
if not all(runs[k] for k in kinds):
    sys.exit(1)
med = {k: statistics.median(v) for k, v in runs.items()}
fmt = lambda v: " / ".join(f"{x:.1f}" for x in v)
n = len(runs["https"])
section = f"""## HTTPS-SAN boot time (tests/bench/boot-https-bench.sh)

U-Boot arm64 under QEMU (TCG, no KVM) booting the same test disk as "SAN boot time"
to Linux's `WIREBOOT-MARKER payload=OK` line, four ways in one run: **local** (virtio-blk),
**iscsi** (`sanboot iscsi:…`, tgtd, mutual CHAP), **https** (`sanboot https://…`: nginx
over TLS 1.2, range requests; docs/san-https.md) and **verify** (the same with
`--verify --map-sha256`: every 64 KiB chunk checked with SHA-256 first).  Clocks from
U-Boot's echo of `bootefi` to the marker (method as in "SAN boot time"); all but local
include wireboot's DHCP and HTTPS script fetch.  Median of {n} run{'s' if n != 1 else ''} each
(RUNS={n}{'; one run only: read the figures as indicative' if n == 1 else ''}).  Goal (issue 16): https within 1.2x iscsi.

| date | machine | local s | iscsi s | https s | verify s | https/iscsi | verify/iscsi |
|---|---|---|---|---|---|---|---|
| {benchdoc.now()} | {benchdoc.machine()} | {med['local']:.1f} | {med['iscsi']:.1f} | {med['https']:.1f} | {med['verify']:.1f} | {med['https'] / med['iscsi']:.2f} | {med['verify'] / med['iscsi']:.2f} |

Individual runs (s, bootefi → marker): local {fmt(runs['local'])}; iscsi {fmt(runs['iscsi'])}; https {fmt(runs['https'])}; verify {fmt(runs['verify'])}.
From QEMU's start (medians): local {med['local-total']:.1f}, iscsi {med['iscsi-total']:.1f}, https {med['https-total']:.1f}, verify {med['verify-total']:.1f} s.
"""
benchdoc.replace_section(doc, "HTTPS-SAN boot time", section)
print(section)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a boot failed or gave no marker)"
exit 1
