#!/bin/bash
# uboot-arm64-proxydhcp: autoboot (no embedded script) over U-Boot's SNP on a network
# where one dnsmasq hands out addresses only and a second dnsmasq in proxy mode
# (192.0.2.2, pxe-service ARM64_EFI) supplies the boot file: the address must be the
# first one's lease for the firmware's MAC, dnsmasq must be asked on port 4011 (it
# sends UEFI clients there), and autoboot must chain exactly tftp://192.0.2.2/FILE
# (until the TFTP client is merged: the "cannot fetch" error names that URI; after: the
# script on the proxy's TFTP server prints its marker).  Then `exit` back to U-Boot.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_test_begin uboot-arm64 proxydhcp dnsmasq
qemu_test_build ""
RIG_BOOTFILE="" RIG_ROOT_PATH="" rig_dnsmasq
mkdir -p "$RIG_DIR/tftp/wireboot"
printf '#!ipxe\necho proxydhcp-qemu-marker\n' >"$RIG_DIR/tftp/wireboot/boot.ipxe"
rig_proxydhcp proxy 192.0.2.2 "$RIG_DIR/tftp" --pxe-service=ARM64_EFI,"wireboot",wireboot/boot.ipxe
qemu_test_boot
qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
	"expect@$QEMU_FIRST:autoboot: chain tftp://" \
	"expect@60:wireboot> " \
	'line:echo wireboot-ip=${net0/ip} pxe=${proxydhcp/filename},${proxydhcp/next-server}' \
	"expect@30:pxe=[^$]" \
	"expect@30:wireboot> " \
	"line:exit" \
	"$QEMU_EXIT_STEP"
rc=$?
qemu_dhcp_check "$QEMU_LOG" "$QEMU_MAC" "$NAME" "$QEMU_RNG"
qemu_check_out asked-4011 '^proxyDHCP: asking 192\.0\.2\.2 port 4011$'
qemu_check_out settings '^wireboot-ip=[0-9.]+ pxe=wireboot/boot\.ipxe,192\.0\.2\.2$'
if tr -d '\r' <"$QEMU_LOG" | grep -q 'cannot fetch this URI here'; then
	qemu_check_out chain-uri 'chain: .*cannot fetch this URI here.*\(tftp://192\.0\.2\.2/wireboot/boot\.ipxe\)$'
else
	qemu_check_out tftp-script-ran '^proxydhcp-qemu-marker$'
fi
qemu_test_end $rc
