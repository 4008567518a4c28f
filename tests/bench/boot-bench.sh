#!/bin/bash
# tests/bench/boot-bench.sh — `make bench`: time from U-Boot's `bootefi` to the Linux
# payload marker (tests/rig/mkdisk.sh's WIREBOOT-MARKER) for U-Boot arm64 booting the
# test disk two ways, alternately, in the same run, both started the same way (a key
# stops U-Boot's autoboot, `virtio scan`, `load virtio 0:1`, `bootefi`: qemu_uboot_steps)
# and both clocks started at U-Boot's echo of that `bootefi` line:
#   local  the image attached as virtio-blk; bootefi starts its GRUB
#          (tests/qemu/uboot-arm64-localdisk.sh with DISK_BOOTEFI=1) — the limit;
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
		out=$(DISK_BOOTEFI=1 bash "$TOP/$t" 2>&1)
		rc=$?
		secs=$(echo "$out" | sed -n 's/^info: .*: bootefi-to-marker \([0-9.]*\) s.*/\1/p' | head -1)
		total=$(echo "$out" | sed -n 's/^info: .*: boot-to-marker \([0-9.]*\) s.*/\1/p' | head -1)
		if [ "$rc" = 0 ] && [ -n "$secs" ] && [ -n "$total" ] && echo "$out" | grep -q 'PASS: .*payload-ok'; then
			echo "bench: $how run $i: $secs s from bootefi to the marker ($total s from QEMU's start)"
			echo "$how $secs" >>"$results"
			echo "$how-total $total" >>"$results"
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
runs = {"local": [], "iscsi": [], "local-total": [], "iscsi-total": []}
for l in open(res):
    how, s = l.split()
    runs[how].append(float(s))
if not runs["local"] or not runs["iscsi"]:
    sys.exit(1)
med = {k: statistics.median(v) for k, v in runs.items()}
ratio = med["iscsi"] / med["local"]
# the disk's facts from the image measured (tests/rig/mkdisk.sh writes them), not fixed text
info = {}
try:
    for l in open(os.path.join(top, "build", "disk", "test-arm64.img.info")):
        k, _, v = l.rstrip("\n").partition("=")
        info[k] = v
except OSError:
    pass
payload = f"{int(info['payload_bytes']) // 1048576} MiB" if info.get("payload_bytes", "").isdigit() else "a"
grub_t = f"GRUB's {info['grub_timeout']} s menu timeout" if info.get("grub_timeout") else "GRUB's menu timeout"
kernel = info.get("kernel", "Debian's arm64 kernel")
fmt = lambda v: " / ".join(f"{x:.1f}" for x in v)
section = f"""## SAN boot time (tests/bench/boot-bench.sh)

U-Boot arm64 (Debian's u-boot-qemu) under QEMU (TCG, no KVM) booting the test disk
(tests/rig/mkdisk.sh: GPT, ESP with GRUB, {kernel}, an initramfs carrying a
{payload} payload whose SHA-256 Linux checks) to Linux's `WIREBOOT-MARKER payload=OK` line.
**local**: the image as virtio-blk, its GRUB started by `bootefi`.  **iscsi**: wireboot.efi
started by `bootefi`: DHCP, boot script over HTTPS, `sanboot` with mutual CHAP from tgtd
in a network namespace, GRUB and Linux's EFI stub reading kernel and initramfs through
wireboot's Block IO.  Runs alternate; median of {len(runs['local'])} each.  Overwritten by every
`make bench`.  Goal: iscsi within 1.5x local.

Method: both runs are started the same way (a key stops U-Boot's autoboot, then `virtio
scan`, `load virtio 0:1 …`, `bootefi`: tests/qemu/lib.sh qemu_uboot_steps) and both clocks
start at U-Boot's echo of the `bootefi` line and stop at the marker line, as the console
reader sees them (tests/rig/disk.sh disk_boot).  Both include {grub_t}; the
iscsi time also includes wireboot's DHCP and HTTPS fetch.  QEMU start → marker is shown
too (U-Boot's own start and the typing of the commands, the same on both sides).

| date | machine | local s | iscsi s | ratio iscsi/local | local s from QEMU start | iscsi s from QEMU start |
|---|---|---|---|---|---|---|
| {benchdoc.now()} | {benchdoc.machine()} | {med['local']:.1f} | {med['iscsi']:.1f} | {ratio:.2f} | {med['local-total']:.1f} | {med['iscsi-total']:.1f} |

Individual runs (s, bootefi → marker): local {fmt(runs['local'])}; iscsi {fmt(runs['iscsi'])}.
"""
benchdoc.replace_section(doc, "SAN boot time", section)
print(section)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a boot failed or gave no marker)"
exit 1
