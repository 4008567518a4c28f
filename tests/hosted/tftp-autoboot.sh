#!/bin/bash
# tftp-autoboot.sh — autoboot (`wireboot boot`, no embedded script) with a bare DHCP boot
# filename, as PXE networks give it: dnsmasq `dhcp-boot=FILE,,NEXT-SERVER` (siaddr) and
# its own TFTP server; wireboot must fetch tftp://NEXT-SERVER/FILE (the name
# percent-encoded: here it holds a space and a '$', which must reach the server as they
# are and never be expanded) and run it.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig tftpboot nodhcp
root="$RIG_DIR/tftp"
mkdir -p "$root/pxe"
cat >"$root/pxe/boot \$x.ipxe" <<'S'
#!ipxe
echo BOOTED-OVER-TFTP from ${net0/next-server}
S
chmod -R a+rX "$root"
RIG_ROOT_PATH=none RIG_BOOTFILE='pxe/boot $x.ipxe,,192.0.2.1' \
	rig_dnsmasq --enable-tftp --tftp-root="$root"

echo "exit 7" >"$RIG_DIR/boot.in"
wb_exec boot 60 "$WB" boot --tap "$WB_TAP" <"$RIG_DIR/boot.in"
wb_expect_out "autoboot: bare filename + next-server -> tftp:// URL" 'autoboot: chain tftp://192\.0\.2\.1/pxe/boot%20%24x\.ipxe'
wb_expect_out "autoboot: the script came over TFTP and ran" '^BOOTED-OVER-TFTP from 192\.0\.2\.1'
rig_expect_eq "autoboot: then the prompt (its exit 7)" "$WB_RC" 7
if grep -q 'dnsmasq-tftp.*sent .*pxe/boot \$x.ipxe' "$RIG_DIR/dnsmasq.log"; then
	rig_pass "autoboot: dnsmasq served the file under its real name"
else
	rig_fail "autoboot: dnsmasq served the file under its real name" "$(grep -i tftp "$RIG_DIR/dnsmasq.log" | tail -3)"
fi
rig_finish
