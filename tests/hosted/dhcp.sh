#!/bin/bash
# dhcp.sh — DHCP on net0 against dnsmasq: address = dnsmasq's lease, options published
# as settings, user class "wireboot", the PXE vendor class and client arch (option 93) sent.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig dhcp

wb_run dhcp 90 <<'EOF2'
#!ipxe
dhcp net0
echo MAC=${net0/mac}
echo IP=${net0/ip}
echo UIP=${ip}
echo NETMASK=${net0/netmask}
echo GATEWAY=${net0/gateway}
echo DNS=${net0/dns}
echo DOMAIN=${net0/domain}
echo ROOTPATH=${net0/root-path}
echo FILENAME=${net0/filename}
echo DHCPSERVER=${net0/dhcp-server}
echo UROOTPATH=${root-path}
EOF2
wb_expect_ok "dhcp: dhcp net0 succeeds"
mac=$(wb_mac)
lease=$(rig_lease_ip "$mac")
ip=$(wb_val IP)
if [ -n "$lease" ]; then rig_expect_eq "dhcp: net0/ip equals dnsmasq lease for $mac" "$ip" "$lease"
else rig_fail "dhcp: net0/ip equals dnsmasq lease" "no lease for MAC '$mac' in $(cat "$RIG_DIR/dnsmasq.leases")"; fi
case "$ip" in 192.0.2.1[0-9][0-9]) rig_pass "dhcp: address in pool" ;; *) rig_fail "dhcp: address in pool" "'$ip'" ;; esac
rig_expect_eq "dhcp: unqualified \${ip} equals \${net0/ip}" "$(wb_val UIP)" "$ip"
rig_expect_eq "dhcp: netmask" "$(wb_val NETMASK)" 255.255.255.0
rig_expect_eq "dhcp: gateway" "$(wb_val GATEWAY)" 192.0.2.1
rig_expect_eq "dhcp: dns" "$(wb_val DNS)" 192.0.2.1
rig_expect_eq "dhcp: domain" "$(wb_val DOMAIN)" test
rig_expect_eq "dhcp: root-path" "$(wb_val ROOTPATH)" "$RIG_ROOT_PATH"
rig_expect_eq "dhcp: unqualified root-path" "$(wb_val UROOTPATH)" "$RIG_ROOT_PATH"
rig_expect_eq "dhcp: filename" "$(wb_val FILENAME)" "$RIG_BOOTFILE"
rig_expect_eq "dhcp: dhcp-server" "$(wb_val DHCPSERVER)" 192.0.2.1
rig_wait_file "$RIG_DIR/dnsmasq.log" 'DHCPACK' 3
rig_expect_grep "dhcp: server saw user class wireboot" "$RIG_DIR/dnsmasq.log" 'tags: .*wbuser'
rig_expect_grep "dhcp: server saw vendor class PXEClient (proxyDHCP servers answer it)" "$RIG_DIR/dnsmasq.log" 'tags: .*pxeclient'
rig_expect_grep "dhcp: vendor class is PXEClient:Arch:<arch>:UNDI:003016" "$RIG_DIR/dnsmasq.log" 'vendor class: PXEClient:Arch:000(07|11):UNDI:003016'
rig_expect_grep "dhcp: server saw client arch (option 93)" "$RIG_DIR/dnsmasq.log" 'tags: .*arch'
rig_expect_grep "dhcp: full DORA in server log" "$RIG_DIR/dnsmasq.log" "DHCPACK\\(br0\\) $ip"
rig_finish
