#!/bin/bash
# OVMF x86_64 (QEMU q35, TCG): wireboot.efi built with EMBED=dhcp.ipxe autoboots as
# \EFI\BOOT\BOOTX64.EFI, drives OVMF's VirtioNetDxe through SNP (opened exclusively,
# which detaches EDK2's own network stack), gets an address from dnsmasq; the address
# it prints must be the one dnsmasq leased.  Then `exit` must return to the firmware.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=ovmf-x64-dhcp
MAC=52:54:00:12:34:57

qemu_need qemu-system-x86_64 "$OVMF_FD" dnsmasq
rig_init ovmf-dhcp
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
qemu_ovmf_x64 tap0 "$RIG_DIR/esp"
log=$RIG_DIR/console.log
t1=$(date +%s.%N)
# After the app returns, BDS moves on to its next boot option (OVMF: the UiApp
# setup menu): seeing BdsDxe start something shows the firmware survived our exit
# (links shut down, SNP closed, the NIC handed back with ConnectController).
qemu_drive "$log" \
	"expect@300:wireboot-ip=[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+" \
	"expect@60:wireboot> " \
	"line:exit" \
	"expect@60:BdsDxe: (loading|starting)|Boot Manager"
rc=$?
echo "info: $NAME: QEMU run took $(qemu_elapsed "$t1") s (total with build $(qemu_elapsed "$t0") s)"
qemu_dhcp_check "$log" "$MAC" "$NAME"
if [ $rc = 0 ]; then
	rig_pass "$NAME-exit-to-firmware"
else
	rig_fail "$NAME-exit-to-firmware" "expect.py rc=$rc"
fi
qemu_keep_log "$log"
rig_finish
