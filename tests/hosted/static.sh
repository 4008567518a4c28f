#!/bin/bash
# static.sh — static configuration (no DHCP server on the link): set net0/ip,
# netmask, gateway, dns; ifopen applies them; ping, DNS and ifstat work; a bad
# address is refused; ifclose takes the address away.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig static nodhcp
# DNS only (no DHCP): dnsmasq answers boot.test, serves no leases
rig_bg dnsmasq-dns dnsmasq -k --conf-file=/dev/null --user=root --group=root \
	--interface=br0 --bind-interfaces --no-resolv --no-hosts --port=53 \
	--host-record=boot.test,192.0.2.1 --log-facility="$RIG_DIR/dns.log" --log-queries
rig_wait_listen udp 53 10 || rig_die "dnsmasq (DNS) did not start"

wb_run static 60 <<'SCRIPT'
#!ipxe
set net0/ip 192.0.2.50
set net0/netmask 255.255.255.0
set net0/gateway 192.0.2.1
set net0/dns 192.0.2.1
ifopen net0
echo IP=${ip}
ping --count 2 192.0.2.1
nslookup srv boot.test
echo SRV=${srv}
ifstat net0
ifclose net0
ping --count 1 192.0.2.1 || echo AFTERCLOSE=failed
SCRIPT
wb_expect_ok "static: script succeeds"
rig_expect_eq "static: unqualified ip" "$(wb_val IP)" "192.0.2.50"
wb_expect_out "static: ping over the static address" '64 bytes from 192\.0\.2\.1'
rig_expect_eq "static: DNS through the static dns server" "$(wb_val SRV)" "192.0.2.1"
wb_expect_out "static: ifstat shows the address" 'ip 192\.0\.2\.50 netmask 255\.255\.255\.0 gateway 192\.0\.2\.1'
wb_expect_out "static: ifstat counts frames" 'RX: [1-9][0-9]* frames'
rig_expect_eq "static: nothing works after ifclose" "$(wb_val AFTERCLOSE)" "failed"
# the kernel side saw our ARP/ICMP from 192.0.2.50
if rig_ns ip neigh show dev br0 | grep -q '^192\.0\.2\.50 '; then
	rig_pass "static: the bridge learned 192.0.2.50"
else
	rig_fail "static: the bridge learned 192.0.2.50" "$(rig_ns ip neigh show dev br0)"
fi

wb_run badip 30 <<'SCRIPT'
#!ipxe
set net0/ip 192.0.2.300
SCRIPT
wb_expect_fail "static: invalid address refused" 'not a valid value for net0/ip' 10
rig_finish
