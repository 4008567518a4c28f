#!/bin/bash
# proxydhcp.sh — a proxyDHCP beside the DHCP server (issue 13): one dnsmasq hands out
# addresses only (no boot file, no root-path), a second dnsmasq in proxy mode
# (`dhcp-range=…,proxy`, pxe-service, its own TFTP server) at 192.0.2.2 supplies the
# boot file.  wireboot must take the address from the first, the boot file and
# next-server from the proxy (its port-4011 answer: dnsmasq sends UEFI clients there),
# publish them as proxydhcp/filename and proxydhcp/next-server, and autoboot must chain
# exactly tftp://192.0.2.2/FILE; a boot menu, a proxy with dhcp-boot, a DHCP server that
# is its own PXE server.  Then the negative cases with tests/rig/proxyforge.py:
# a proxy offer for another exchange (xid) is dropped; port-4011 answers from another
# port or address are not taken; an offer with option 60
# "PXEClient" *and* an address is an ordinary offer (taken as the lease, not as a proxy's).
set -u
. "$(dirname "$0")/lib.sh"
RIG_BOOTFILE="" RIG_ROOT_PATH=""          # the DHCP server gives no boot information
wb_rig proxydhcp

PROXY=192.0.2.2
FILE=wireboot/boot.ipxe
MARKER=proxydhcp-tftp-script-ran-4f1c
TFTP="$RIG_DIR/tftp"
mkdir -p "$TFTP/wireboot"
printf '#!ipxe\necho %s\nexit 0\n' "$MARKER" >"$TFTP/$FILE"
# one service per UEFI client architecture (7 x64, 11 arm64), as a site would list them
rig_proxydhcp proxy "$PROXY" "$TFTP" --dhcp-match=set:uuid97,option:client-machine-id \
	--pxe-service=7,"wireboot x64",wireboot/boot.ipxe \
	--pxe-service=11,"wireboot arm64",wireboot/boot.ipxe

wb_boot() {   # wb_boot ID TIMEOUT: `wireboot boot` (autoboot), stdin from the caller
	cat >"$RIG_DIR/$1.in"
	wb_exec "$1" "$2" "$WB" boot --tap "$WB_TAP" <"$RIG_DIR/$1.in"
}

SHOW='dhcp net0
echo MAC=${net0/mac}
echo IP=${net0/ip}
echo DHCPSERVER=${net0/dhcp-server}
echo NFILE=${net0/filename}
echo PFILE=${proxydhcp/filename}
echo PNS=${proxydhcp/next-server}
echo PSRV=${proxydhcp/dhcp-server}'

# ---- 1. the address from the DHCP server, the boot file from the proxy ----------------
# (this host has no SMBIOS table: a UUID set by hand stands in for the firmware's)
wb_run settings 60 <<<"#!ipxe
set smbios/uuid 00112233-4455-6677-8899-aabbccddeeff
$SHOW
ifclose net0
echo CLOSED=\${proxydhcp/filename}:\${proxydhcp/next-server}"
wb_expect_ok "proxydhcp: dhcp net0 succeeds"
mac=$(wb_mac)
lease=$(rig_lease_ip "$mac")
rig_expect_eq "proxydhcp: net0/ip is the DHCP server's lease" "$(wb_val IP)" "${lease:-no lease for $mac}"
rig_expect_eq "proxydhcp: net0/dhcp-server is the DHCP server" "$(wb_val DHCPSERVER)" 192.0.2.1
rig_expect_eq "proxydhcp: net0/filename stays empty (the DHCP server gave none)" "$(wb_val NFILE)" ""
rig_expect_eq "proxydhcp: proxydhcp/filename is the proxy's" "$(wb_val PFILE)" "$FILE"
rig_expect_eq "proxydhcp: proxydhcp/next-server is the proxy" "$(wb_val PNS)" "$PROXY"
rig_expect_eq "proxydhcp: proxydhcp/dhcp-server is the proxy" "$(wb_val PSRV)" "$PROXY"
rig_expect_eq "proxydhcp: ifclose removes the proxy's settings with the lease" "$(wb_val CLOSED)" ":"
wb_expect_out "proxydhcp: the proxy's offer had no file: asked on port 4011" "proxyDHCP: asking $PROXY port 4011\$"
rig_expect_grep "proxydhcp: the proxy answered the DISCOVER on port 67" "$RIG_DIR/dnsmasq-proxy.log" 'PXE\(eth0\) .*proxy'
rig_expect_grep "proxydhcp: option 97 (client UUID) sent" "$RIG_DIR/dnsmasq-proxy.log" 'tags: .*uuid97'
rig_expect_grep "proxydhcp: the proxy saw user class wireboot" "$RIG_DIR/dnsmasq-proxy.log" 'user class: wireboot'
rig_expect_grep "proxydhcp: the DHCP server tagged user class and PXE vendor class" "$RIG_DIR/dnsmasq.log" 'tags: .*(wbuser.*pxeclient|pxeclient.*wbuser)'

# ---- 2. autoboot chains tftp://PROXY/FILE ----------------------------------------------
wb_boot autoboot 90 <<<'exit 7'
wb_expect_out "proxydhcp: autoboot chains the proxy's boot file as tftp://PROXY/FILE" "^autoboot: chain tftp://$PROXY/$FILE\$"
wb_expect_out "proxydhcp: autoboot ran the script from the proxy's TFTP server" "^$MARKER"
rig_expect_grep "proxydhcp: the proxy's TFTP server sent $FILE" "$RIG_DIR/dnsmasq-proxy.log" "sent .*$FILE"

# ---- 3. a boot menu (two services for our architecture): the first item, pxebs/ ---------
rig_stop dnsmasq-proxy
MENU=192.0.2.4
rig_proxydhcp menu "$MENU" "$TFTP" \
	--pxe-service=7,"first",wireboot/menu1.ipxe --pxe-service=7,"second",other.ipxe \
	--pxe-service=11,"first",wireboot/menu1.ipxe --pxe-service=11,"second",other.ipxe
wb_boot menu 90 <<<'echo BS=${pxebs/filename} BSNS=${pxebs/next-server}
exit 7'
wb_expect_out "proxydhcp: menu: asked the proxy, then for the first item" "proxyDHCP: asking $MENU port 4011 for boot item 32768 \\(the menu's first\\)"
rig_expect_eq "proxydhcp: menu: pxebs/filename is the first item's" "$(wb_val BS)" "wireboot/menu1.ipxe BSNS=$MENU"
wb_expect_out "proxydhcp: menu: autoboot chains the boot server's file" "^autoboot: chain tftp://$MENU/wireboot/menu1\\.ipxe\$"
rig_expect_grep "proxydhcp: menu: the boot server answered the item" "$RIG_DIR/dnsmasq-menu.log" 'PXE\(eth0\) 192\.0\.2\.[0-9]+ .*wireboot/menu1\.ipxe'

# ---- 4. dhcp-boot in the proxy, no service for our architecture: the offer's own file ----
rig_stop dnsmasq-menu
DIRECT=192.0.2.5
rig_proxydhcp direct "$DIRECT" "$TFTP" --pxe-service=x86PC,"BIOS only",undionly --dhcp-boot=direct/boot.ipxe
wb_run direct 60 <<<"#!ipxe
$SHOW"
rig_expect_eq "proxydhcp: offer with a file: proxydhcp/filename" "$(wb_val PFILE)" direct/boot.ipxe
rig_expect_eq "proxydhcp: offer with a file: proxydhcp/next-server" "$(wb_val PNS)" "$DIRECT"
if grep -q 'port 4011' "$WB_LOG"; then rig_fail "proxydhcp: offer with a file: no port-4011 request"
else rig_pass "proxydhcp: offer with a file: no port-4011 request"; fi

# ---- 5. the DHCP server's boot file wins over the proxy's --------------------------------
rig_stop dnsmasq-main
RIG_BOOTFILE=http://boot.test/own.ipxe rig_dnsmasq
wb_boot own 90 <<<'echo PF=${proxydhcp/filename}
exit 7'
wb_expect_out "proxydhcp: lease with a file: autoboot chains the lease's" 'autoboot: chain \$\{net0/filename\}'
# wireboot does not wait for a proxy offer when the lease names a file (docs/pxe.md): the
# proxy's offer is kept and published when it came before the lease — most runs here —
# and not otherwise; either way it never replaces the lease's file
if grep -q '^proxyDHCP: offer from ' "$WB_LOG"; then
	rig_expect_eq "proxydhcp: lease with a file: the proxy's offer (received) still published" "$(wb_val PF)" direct/boot.ipxe
else
	rig_expect_eq "proxydhcp: lease with a file: no proxy offer before the lease, none published" "$(wb_val PF)" ""
fi
if grep -q 'port 4011' "$WB_LOG"; then rig_fail "proxydhcp: lease with a file: no port-4011 request"
else rig_pass "proxydhcp: lease with a file: no port-4011 request"; fi
rig_stop dnsmasq-main
RIG_BOOTFILE="" rig_dnsmasq

# ---- 6. docs/pxe.md's tagged services: wireboot.efi for firmware, the script for wireboot
rig_stop dnsmasq-direct
TAGGED=192.0.2.6
rig_proxydhcp tagged "$TAGGED" "$TFTP" --dhcp-userclass=set:wireboot,wireboot \
	--pxe-service=tag:!wireboot,ARM64_EFI,"wireboot",wireboot.efi \
	--pxe-service=tag:wireboot,ARM64_EFI,"boot script",wireboot/boot.ipxe \
	--pxe-service=tag:!wireboot,x86-64_EFI,"wireboot",wireboot.efi \
	--pxe-service=tag:wireboot,x86-64_EFI,"boot script",wireboot/boot.ipxe
wb_run tagged 60 <<<"#!ipxe
$SHOW"
rig_expect_eq "proxydhcp: tagged services: wireboot gets the script, not wireboot.efi" "$(wb_val PFILE)" "$FILE"
rig_expect_eq "proxydhcp: tagged services: from the proxy" "$(wb_val PNS)" "$TAGGED"
rig_stop dnsmasq-tagged

# ---- 7. the DHCP server is its own PXE server (dnsmasq pxe-service, no proxy range): its
# lease has option 60 PXEClient, a two-item menu and no file: the first item from it
rig_stop dnsmasq-main
RIG_BOOTFILE="" rig_dnsmasq \
	--pxe-service=7,"first",wireboot/menu1.ipxe --pxe-service=7,"second",other.ipxe \
	--pxe-service=11,"first",wireboot/menu1.ipxe --pxe-service=11,"second",other.ipxe
wb_run selfpxe 60 <<<"#!ipxe
$SHOW
echo BS=\${pxebs/filename} BSNS=\${pxebs/next-server}"
wb_expect_out "proxydhcp: DHCP server with PXE: recognised" 'proxyDHCP: the DHCP server 192\.0\.2\.1 is also the PXE server'
wb_expect_out "proxydhcp: DHCP server with PXE: first item asked of it" 'proxyDHCP: asking 192\.0\.2\.1 port 4011 for boot item 32768'
rig_expect_eq "proxydhcp: DHCP server with PXE: pxebs/filename" "$(wb_val BS)" "wireboot/menu1.ipxe BSNS=192.0.2.1"
rig_expect_eq "proxydhcp: DHCP server with PXE: the address is its lease" "$(wb_val DHCPSERVER)" 192.0.2.1
rig_stop dnsmasq-main
RIG_BOOTFILE="" rig_dnsmasq

# ---- 8. a proxy offer for another exchange is dropped ----------------------------------
rig_bg forge-xid python3 "$RIG_TOP/tests/rig/proxyforge.py" br0 other-xid
rig_wait_file "$RIG_DIR/forge-xid.out" '^proxyforge:' 10 || rig_die "proxyforge.py did not start"
wb_run otherxid 60 <<<"#!ipxe
$SHOW"
wb_expect_ok "proxydhcp: other xid: dhcp net0 succeeds"
rig_expect_grep "proxydhcp: other xid: the forged proxy offer was sent" "$RIG_DIR/forge-xid.out" 'sent OFFER'
rig_expect_eq "proxydhcp: other xid: no proxydhcp/filename" "$(wb_val PFILE)" ""
rig_expect_eq "proxydhcp: other xid: no proxydhcp/next-server" "$(wb_val PNS)" ""
rig_expect_eq "proxydhcp: other xid: address still the DHCP server's" "$(wb_val DHCPSERVER)" 192.0.2.1
rig_stop forge-xid

# ---- 9. port-4011 answers from another port or address are not taken -------------------
rig_ns ip addr add 192.0.2.3/32 dev br0     # the forged proxy answers ARP for it
rig_bg forge-4011 python3 "$RIG_TOP/tests/rig/proxyforge.py" br0 bad-4011
rig_wait_file "$RIG_DIR/forge-4011.out" '^proxyforge:' 10 || rig_die "proxyforge.py did not start"
wb_run bad4011 60 <<<"#!ipxe
$SHOW"
wb_expect_ok "proxydhcp: bad port-4011 answers: dhcp net0 still succeeds"
rig_expect_grep "proxydhcp: bad port-4011 answers: both were sent" "$RIG_DIR/forge-4011.out" 'sent ACK from port 67, ACK from 192\.0\.2\.7'
wb_expect_out "proxydhcp: bad port-4011 answers: none taken, said so" '^proxyDHCP: no answer on port 4011 .*\(asked 192\.0\.2\.3\)$'
rig_expect_eq "proxydhcp: bad port-4011 answers: no proxydhcp/filename" "$(wb_val PFILE)" ""
rig_stop forge-4011
rig_ns ip addr del 192.0.2.3/32 dev br0

# ---- 10. option 60 PXEClient with an address: an ordinary offer --------------------------
rig_stop dnsmasq-main
rig_bg forge-addr python3 "$RIG_TOP/tests/rig/proxyforge.py" br0 with-address
rig_wait_file "$RIG_DIR/forge-addr.out" '^proxyforge:' 10 || rig_die "proxyforge.py did not start"
wb_run withaddr 60 <<<"#!ipxe
$SHOW"
wb_expect_ok "proxydhcp: PXEClient offer with an address: dhcp net0 succeeds"
rig_expect_eq "proxydhcp: PXEClient offer with an address: taken as the lease" "$(wb_val IP)" 192.0.2.160
rig_expect_eq "proxydhcp: PXEClient offer with an address: its server" "$(wb_val DHCPSERVER)" 192.0.2.3
rig_expect_eq "proxydhcp: PXEClient offer with an address: its file is net0/filename" "$(wb_val NFILE)" notproxy.ipxe
rig_expect_eq "proxydhcp: PXEClient offer with an address: not a proxy's" "$(wb_val PFILE)" ""
rig_finish
