#!/bin/bash
# tests/bench/boot-bench.sh — `make bench`: time from QEMU's start to the Linux payload
# marker (tests/rig/mkdisk.sh's WIREBOOT-MARKER) for U-Boot arm64 booting the test disk
# two ways, alternately, in the same run:
#   local  the image attached as virtio-blk; U-Boot's distro boot starts GRUB from it
#          (tests/qemu/uboot-arm64-localdisk.sh) — the limit;
#   iscsi  wireboot: DHCP, the boot script over HTTPS, sanboot with mutual CHAP, GRUB and
#          Linux reading the same image through wireboot's Block IO from tgtd
#          (tests/qemu/uboot-arm64-sanboot.sh).
# Every run must print payload=OK (a wrong read is a failed run).  RUNS runs each
# (default 3); medians and their ratio replace the "SAN boot time" section of
# docs/benchmarks.md.  Goal (issue 5): iscsi within 1.5x local.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-3}
DOC=${BENCH_DOC:-$TOP/docs/benchmarks.md}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
ok=1
for i in $(seq 1 "$RUNS"); do
	for how in local iscsi; do
		case $how in
		local) t=tests/qemu/uboot-arm64-localdisk.sh ;;
		iscsi) t=tests/qemu/uboot-arm64-sanboot.sh ;;
		esac
		out=$(bash "$TOP/$t" 2>&1)
		rc=$?
		secs=$(echo "$out" | sed -n 's/^info: .*: boot-to-marker \([0-9.]*\) s.*/\1/p' | head -1)
		if [ "$rc" = 0 ] && [ -n "$secs" ] && echo "$out" | grep -q 'PASS: .*payload-ok'; then
			echo "bench: $how run $i: $secs s to the marker"
			echo "$how $secs" >>"$results"
		else
			echo "bench: $how run $i FAILED (exit $rc)"
			echo "$out" | grep -E '^FAIL' | head -5
			ok=0
		fi
	done
done

python3 - "$results" "$DOC" "$TOP" <<'PY'
import os, statistics, sys
res, doc, top = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, os.path.join(top, 'tests', 'bench'))
import benchdoc
runs = {"local": [], "iscsi": []}
for l in open(res):
    how, s = l.split()
    runs[how].append(float(s))
if not runs["local"] or not runs["iscsi"]:
    sys.exit(1)
med = {k: statistics.median(v) for k, v in runs.items()}
ratio = med["iscsi"] / med["local"]
fmt = lambda v: " / ".join(f"{x:.1f}" for x in v)
section = f"""## SAN boot time (tests/bench/boot-bench.sh)

U-Boot 2023.01 arm64 under QEMU (TCG, no KVM), seconds from QEMU's start to Linux's
`WIREBOOT-MARKER payload=OK` line for the test disk (tests/rig/mkdisk.sh: GPT, ESP with
GRUB, Debian's arm64 kernel, an initramfs carrying a 32 MiB payload whose SHA-256 Linux
checks).  **local**: the image as virtio-blk, U-Boot's distro boot starts GRUB.
**iscsi**: wireboot.efi loaded by U-Boot, DHCP, boot script over HTTPS, `sanboot` with
mutual CHAP from tgtd in a network namespace, GRUB and Linux's EFI stub reading kernel and
initramfs through wireboot's Block IO.  Runs alternate; median of {len(runs['local'])} each.
Both include U-Boot's own start (and its 2 s autoboot delay) and GRUB's 2 s menu timeout.
Overwritten by every `make bench`.  Goal: iscsi within 1.5x local.

| date | machine | local s | iscsi s | ratio iscsi/local |
|---|---|---|---|---|
| {benchdoc.now()} | {benchdoc.machine()} | {med['local']:.1f} | {med['iscsi']:.1f} | {ratio:.2f} |

Individual runs (s): local {fmt(runs['local'])}; iscsi {fmt(runs['iscsi'])}.
"""
benchdoc.replace_section(doc, "SAN boot time", section)
print(section)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a boot failed or gave no marker)"
exit 1
