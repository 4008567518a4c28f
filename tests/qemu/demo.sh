#!/bin/bash
# make demo — U-Boot 2023.01 arm64 in QEMU, in a private network namespace with
# dnsmasq; wireboot runs tests/qemu/demo.ipxe (dhcp, ifstat) and opens its prompt.
#   On a terminal: the console is yours (try `show net0/ip`, `ifstat`, `help`, `exit`;
#   Ctrl-] leaves QEMU).  Everything is cleaned up afterwards.
#   Without a terminal (CI): types `show net0/ip` and `exit`, checks, quits.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=demo

qemu_need qemu-system-aarch64 "$UBOOT_ARM64_BIN" dnsmasq
rig_init demo
qemu_build aa64 tests/qemu/demo.ipxe "$RIG_DIR/wireboot.efi" || rig_die "build failed"
rig_bridge
rig_tap tap0
rig_dnsmasq
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" aa64
qemu_uboot_arm64 tap0 "$RIG_DIR/esp"
qemu_uboot_steps
log=$RIG_DIR/console.log

if [ -t 0 ] && [ -t 1 ]; then
	echo "demo: booting U-Boot arm64 under QEMU (TCG); wireboot will get an address from"
	echo "demo: dnsmasq (192.0.2.0/24, inside namespace $RIG_NS) and open its prompt."
	echo "demo: at 'wireboot> ' try: show net0/ip | ifstat | help | exit.  Ctrl-] quits QEMU."
	QEMU_ECHO=1 qemu_drive "$log" "${QEMU_STEPS[@]}" "expect@120:wireboot> " interact
	echo
	echo "demo: done (namespace and temporary files removed)"
	exit 0
fi

qemu_drive "$log" "${QEMU_STEPS[@]}" \
	"expect@120:wireboot> " \
	"line:show net0/ip" \
	"expect@20:192\\.0\\.2\\.[0-9]+" \
	"expect@20:wireboot> " \
	"line:exit" \
	"expect@30:=> "
rc=$?
tr -d '\r' <"$log" | sed -n '/Booting \/wireboot.efi/,$p'
if [ $rc = 0 ]; then rig_pass "$NAME"; else rig_fail "$NAME" "expect.py rc=$rc"; fi
qemu_keep_log "$log"
rig_finish
