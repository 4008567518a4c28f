#!/bin/bash
# U-Boot 2023.01 x86_64 (QEMU i440fx, TCG): the same DHCP check as uboot-arm64-dhcp.sh
# for the x86_64 build (built with -mgeneral-regs-only: this U-Boot leaves SSE off).
# No EFI_RNG_PROTOCOL here; the app must still get its address.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=uboot-x64-dhcp
MAC=52:52:52:52:52:52   # U-Boot x86 uses its default ethaddr (see lib.sh)

qemu_need qemu-system-x86_64 "$UBOOT_X64_ROM" dnsmasq
rig_init ubx-dhcp
t0=$(date +%s.%N)
if ! qemu_build x64 tests/qemu/dhcp.ipxe "$RIG_DIR/wireboot.efi"; then
	rig_fail "$NAME-build"
	rig_finish
fi
rig_pass "$NAME-build"
rig_bridge
rig_tap tap0
rig_dnsmasq
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" x64
qemu_uboot_x64 tap0 "$RIG_DIR/esp"
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
qemu_dhcp_check "$log" "$MAC" "$NAME" no
if [ $rc = 0 ]; then
	rig_pass "$NAME-exit-to-uboot"
else
	rig_fail "$NAME-exit-to-uboot" "expect.py rc=$rc"
fi
qemu_keep_log "$log"
rig_finish
