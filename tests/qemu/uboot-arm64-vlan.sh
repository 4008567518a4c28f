#!/bin/bash
# U-Boot 2023.01 arm64: 802.1Q through U-Boot's SNP.  wireboot (EMBED) creates
# net0-10, gets an address by DHCP from the dnsmasq that serves VLAN 10 only
# (198.51.100.0/24), and pings that server over the tagged link.  The address printed
# must be the VLAN server's lease, and the untagged server must have leased nothing.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=uboot-arm64-vlan
MAC=52:54:00:12:34:56

qemu_need qemu-system-aarch64 "$UBOOT_ARM64_BIN" dnsmasq
rig_init uba-vlan
cat >"$RIG_DIR/vlan.ipxe" <<'SCRIPT'
#!ipxe
vcreate --tag 10 net0
dhcp net0-10
echo wireboot-vlan-ip=${net0-10/ip}
ping --count 2 198.51.100.1
ifstat net0-10
echo vlan-test-done
SCRIPT
if ! qemu_build aa64 "$RIG_DIR/vlan.ipxe" "$RIG_DIR/wireboot.efi"; then
	rig_fail "$NAME-build"
	rig_finish
fi
rig_pass "$NAME-build"
rig_bridge
rig_tap tap0
rig_dnsmasq
rig_vlan 10
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" aa64
qemu_uboot_arm64 tap0 "$RIG_DIR/esp"
qemu_uboot_steps
log=$RIG_DIR/console.log
t1=$(date +%s.%N)
qemu_drive "$log" "${QEMU_STEPS[@]}" \
	"expect@120:vlan-test-done" \
	"expect@30:wireboot> " \
	"line:exit" \
	"expect@30:=> "
rc=$?
echo "info: $NAME: QEMU run took $(qemu_elapsed "$t1") s"
got=$(tr -d '\r' <"$log" | grep -a -o 'wireboot-vlan-ip=[0-9.]*' | tail -1 | cut -d= -f2)
lease=$(rig_lease_ip "$MAC" "$RIG_DIR/dnsmasq-vlan10.leases")
echo "info: $NAME: app printed '$got', VLAN dnsmasq leased '$lease'"
rig_expect_eq "$NAME-ip-matches-vlan-lease" "$got" "${lease:-<none>}"
case "$got" in 198.51.100.*) rig_pass "$NAME-ip-in-vlan-subnet" ;;
*) rig_fail "$NAME-ip-in-vlan-subnet" "'$got'" ;; esac
rig_expect_eq "$NAME-untagged-server-leased-nothing" "$(rig_lease_ip "$MAC")" ""
if tr -d '\r' <"$log" | grep -aq '198\.51\.100\.1: 2/2 replies'; then
	rig_pass "$NAME-ping-over-vlan"
else
	rig_fail "$NAME-ping-over-vlan" "no '2/2 replies' line"
fi
if [ $rc = 0 ]; then rig_pass "$NAME-exit-to-uboot"; else rig_fail "$NAME-exit-to-uboot" "expect.py rc=$rc"; fi
qemu_keep_log "$log"
rig_finish
