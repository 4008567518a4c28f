#!/bin/bash
# uboot-arm64: the wedge, on purpose.  With a 256 KiB window the sender's burst overruns
# U-Boot 2023.01's 32-buffer virtio-net ring and the NIC stops receiving for good
# (docs/dev/uboot-virtio-wedge.md).  wireboot must say so in one line, within seconds,
# naming the firmware's fault — not leave a silent read timeout.  This also guards the
# analysis: if this U-Boot stops wedging (a fixed firmware), the test fails and the
# U-Boot window in efi_misc.c can be revisited.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_test_begin uboot-arm64 tcpwedge dnsmasq
printf '%s\n' '#!ipxe' 'set tcp-window 262144' dhcp 'tcprecv 192.0.2.1 5001' >"$RIG_DIR/wedge.ipxe"
qemu_test_build "$RIG_DIR/wedge.ipxe"
rig_dnsmasq
rig_bg tcpsend python3 tests/rig/tcpsend.py --port 5001 --bytes 67108864 --count 1 --bind 192.0.2.1
rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 10 || rig_die "tcpsend did not start"
qemu_test_boot
# the line comes about 5 s after the last frame (2 s quiet, 3 probes a second apart);
# the read itself times out 30 s after the last data
qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
	"expect@$((QEMU_FIRST + 30)):tcp: nothing received from 192\\.0\\.2\\.1:5001 for [0-9]+ s, not even answers to 3 keep-alive probes: the peer is gone or this NIC stopped receiving; on this U-Boot \\(before 2025\\.10\\) a virtio-net NIC stops receiving for good" \
	"expect@60:tcprecv: timed out" \
	"expect@10:wireboot> " \
	"line:exit" \
	"$QEMU_EXIT_STEP"
rc=$?
qemu_test_end $rc
