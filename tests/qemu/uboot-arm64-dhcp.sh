#!/bin/bash
# U-Boot 2023.01 arm64 (QEMU virt, TCG): wireboot.efi built with EMBED=dhcp.ipxe gets
# an address over U-Boot's SNP from dnsmasq in the rig; the address it prints must be
# the one dnsmasq leased.  Then `exit` at the wireboot prompt must return to U-Boot.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=uboot-arm64-dhcp
MAC=52:54:00:12:34:56

qemu_need qemu-system-aarch64 "$UBOOT_ARM64_BIN" dnsmasq
rig_init uba-dhcp
t0=$(date +%s.%N)
if ! qemu_build aa64 tests/qemu/dhcp.ipxe "$RIG_DIR/wireboot.efi"; then
	rig_fail "$NAME-build"
	rig_finish
fi
rig_pass "$NAME-build"
rig_bridge
rig_tap tap0
rig_dnsmasq
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" aa64
qemu_uboot_arm64 tap0 "$RIG_DIR/esp"
qemu_uboot_steps
log=$RIG_DIR/console.log
t1=$(date +%s.%N)
qemu_drive "$log" "${QEMU_STEPS[@]}" \
	"expect@120:wireboot-ip=[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+" \
	"expect@30:wireboot> " \
	"line:exit" \
	"expect@30:=> "
rc=$?
echo "info: $NAME: QEMU run ${rc:+rc=$rc }took $(qemu_elapsed "$t1") s (total with build $(qemu_elapsed "$t0") s)"
qemu_dhcp_check "$log" "$MAC" "$NAME"
if [ $rc = 0 ]; then
	rig_pass "$NAME-exit-to-uboot"
else
	rig_fail "$NAME-exit-to-uboot" "expect.py rc=$rc"
fi
qemu_keep_log "$log"
rig_finish
