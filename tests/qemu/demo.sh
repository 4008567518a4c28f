#!/bin/bash
# make demo — U-Boot 2023.01 arm64 in QEMU, in a private network namespace with
# dnsmasq and nginx (HTTPS, a test PKI made now); wireboot, built with
# EMBED=tests/qemu/demo.ipxe and TRUST=<the test root CA>, runs dhcp, chains
# https://boot.test/boot.ipxe (which greets, shows the interface and the settings
# HTTPS relies on), then opens its prompt.
#   On a terminal: the console is yours (try `show net0/ip`, `ifstat`, `help`, `exit`;
#   Ctrl-] leaves QEMU).  Everything is cleaned up afterwards.
#   Without a terminal (CI): types `show net0/ip` and `exit`, checks, quits.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=demo

qemu_need qemu-system-aarch64 "$UBOOT_ARM64_BIN" dnsmasq nginx openssl
rig_init demo
bash tests/rig/pki.sh "$RIG_DIR/pki" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
QEMU_TRUST="$RIG_DIR/pki/root.pem" qemu_build aa64 tests/qemu/demo.ipxe "$RIG_DIR/wireboot.efi" ||
	rig_die "build failed"
make -s TRUST= build/efi-aa64/wireboot.efi >/dev/null 2>&1 || true   # leave no test CA in build/
rig_bridge
rig_tap tap0
rig_dnsmasq
rig_ntp
rig_nginx_tls web "443|$RIG_DIR/pki/good-ec.chain.pem|$RIG_DIR/pki/good-ec.key"
cat >"$RIG_DIR/web-www/boot.ipxe" <<'SCRIPT'
#!ipxe
echo
echo Hello from https://boot.test/boot.ipxe, checked against the built-in test CA.
echo This machine: ${net0/ip} (${builtin/platform} ${builtin/buildarch}), DHCP server ${net0/dhcp-server}
echo Trust anchors: ${builtin/trust}, entropy: ${builtin/entropy}
ifstat net0
SCRIPT
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" aa64
qemu_uboot_arm64 tap0 "$RIG_DIR/esp"
qemu_uboot_steps
log=$RIG_DIR/console.log

if [ -t 0 ] && [ -t 1 ]; then
	echo "demo: booting U-Boot arm64 under QEMU (TCG); wireboot will get an address from"
	echo "demo: dnsmasq (192.0.2.0/24, inside namespace $RIG_NS) and open its prompt."
	echo "demo: at 'wireboot> ' try: show net0/ip | ifstat | help | exit.  Ctrl-] quits QEMU."
	QEMU_ECHO=1 qemu_drive "$log" "${QEMU_STEPS[@]}" "expect@120:wireboot> " interact
	echo
	echo "demo: done (namespace and temporary files removed)"
	exit 0
fi

qemu_drive "$log" "${QEMU_STEPS[@]}" \
	"expect@120:Hello from https://boot.test/boot.ipxe" \
	"expect@60:wireboot> " \
	"line:show net0/ip" \
	"expect@20:192\\.0\\.2\\.[0-9]+" \
	"expect@20:wireboot> " \
	"line:exit" \
	"expect@30:=> "
rc=$?
tr -d '\r' <"$log" | sed -n '/Booting \/wireboot.efi/,$p'
if [ $rc = 0 ]; then rig_pass "$NAME"; else rig_fail "$NAME" "expect.py rc=$rc"; fi
qemu_keep_log "$log"
rig_finish
