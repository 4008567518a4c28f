#!/bin/bash
# U-Boot 2023.01 arm64: 802.1Q through U-Boot's SNP.  wireboot (EMBED) creates
# net0-10, gets an address by DHCP from the dnsmasq that serves VLAN 10 only
# (198.51.100.0/24), and pings that server over the tagged link.  The address printed
# must be the VLAN server's lease, and the untagged server must have leased nothing.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_test_begin uboot-arm64 vlan dnsmasq
cat >"$RIG_DIR/vlan.ipxe" <<'SCRIPT'
#!ipxe
vcreate --tag 10 net0
dhcp net0-10
echo wireboot-vlan-ip=${net0-10/ip}
ping --count 2 198.51.100.1
ifstat net0-10
echo vlan-test-done
SCRIPT
qemu_test_build "$RIG_DIR/vlan.ipxe"
rig_dnsmasq
rig_vlan 10
qemu_test_boot
log=$QEMU_LOG
qemu_drive "$log" "${QEMU_PRE[@]}" \
	"expect@120:vlan-test-done" \
	"expect@30:wireboot> " \
	"line:exit" \
	"$QEMU_EXIT_STEP"
rc=$?
got=$(tr -d '\r' <"$log" | grep -a -o 'wireboot-vlan-ip=[0-9.]*' | tail -1 | cut -d= -f2)
lease=$(rig_lease_ip "$QEMU_MAC" "$RIG_DIR/dnsmasq-vlan10.leases")
echo "info: $NAME: app printed '$got', VLAN dnsmasq leased '$lease'"
rig_expect_eq "$NAME-ip-matches-vlan-lease" "$got" "${lease:-<none>}"
case "$got" in 198.51.100.*) rig_pass "$NAME-ip-in-vlan-subnet" ;;
*) rig_fail "$NAME-ip-in-vlan-subnet" "'$got'" ;; esac
rig_expect_eq "$NAME-untagged-server-leased-nothing" "$(rig_lease_ip "$QEMU_MAC")" ""
if tr -d '\r' <"$log" | grep -aq '198\.51\.100\.1: 2/2 replies'; then
	rig_pass "$NAME-ping-over-vlan"
else
	rig_fail "$NAME-ping-over-vlan" "no '2/2 replies' line"
fi
qemu_test_end $rc
