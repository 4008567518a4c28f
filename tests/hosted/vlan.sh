#!/bin/bash
# vlan.sh — 802.1Q: vcreate/dhcp on net0-10 against the VLAN's own dnsmasq, duplicate
# vcreate refused, vdestroy, net0 still fine afterwards.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig vlan
rig_vlan 10

wb_run vlan 120 <<'EOF2'
#!ipxe
vcreate --tag 10 net0
dhcp net0-10
echo VMAC=${net0-10/mac}
echo MAC=${net0/mac}
echo VIP=${net0-10/ip}
echo VGW=${net0-10/gateway}
EOF2
wb_expect_ok "vlan: vcreate + dhcp net0-10"
vip=$(wb_val VIP)
vmac=$(wb_mac VMAC); [ -n "$vmac" ] || vmac=$(wb_mac)
case "$vip" in 198.51.100.1[0-9][0-9]) rig_pass "vlan: address in VLAN pool" ;; *) rig_fail "vlan: address in VLAN pool" "'$vip'" ;; esac
rig_expect_eq "vlan: address equals VLAN dnsmasq lease" "$vip" "$(rig_lease_ip "$vmac" "$RIG_DIR/dnsmasq-vlan10.leases")"
rig_expect_eq "vlan: gateway" "$(wb_val VGW)" 198.51.100.1
if grep -q DHCPDISCOVER "$RIG_DIR/dnsmasq.log"; then rig_fail "vlan: untagged server saw nothing"
else rig_pass "vlan: untagged server saw nothing"; fi

wb_run dup 60 <<'EOF2'
#!ipxe
vcreate --tag 10 net0
vcreate --tag 10 net0
EOF2
wb_expect_fail "vlan: duplicate vcreate refused" 'already exists' 30

wb_run destroy 120 <<'EOF2'
#!ipxe
vcreate --tag 10 net0
vdestroy net0-10
echo DESTROYED=yes
ifstat net0-10 || echo GONE=yes
dhcp net0
echo IP=${net0/ip}
EOF2
wb_expect_ok "vlan: vdestroy then dhcp net0"
rig_expect_eq "vlan: vdestroy works" "$(wb_val DESTROYED)" yes
rig_expect_eq "vlan: net0-10 gone after vdestroy" "$(wb_val GONE)" yes
ip=$(wb_val IP)
case "$ip" in 192.0.2.1[0-9][0-9]) rig_pass "vlan: dhcp net0 after vdestroy" ;; *) rig_fail "vlan: dhcp net0 after vdestroy" "'$ip'" ;; esac

wb_run nodev 60 <<'EOF2'
#!ipxe
vdestroy net0-99
EOF2
wb_expect_fail "vlan: vdestroy of unknown interface fails" 'no such interface|not found' 20

rig_finish
