#!/bin/bash
# U-Boot 2023.01 x86_64 — no EFI_RNG_PROTOCOL here, so TLS is seeded from the
# timer-jitter source (its health tests must pass on this firmware): wireboot built with EMBED=https.ipxe and TRUST=<the rig's test root CA>
# runs dhcp, then `chain https://boot.test/boot.ipxe` from nginx (ECDSA P-256
# server certificate under an intermediate); that script prints a marker and chains
# hello.efi by a relative URI, which prints its own marker and load options and
# returns.  The console must show both markers, and nginx must have served both
# files over TLS.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=uboot-x64-https

qemu_need qemu-system-x86_64 "$UBOOT_X64_ROM" dnsmasq nginx openssl
rig_init ubx-https
t0=$(date +%s.%N)
bash tests/rig/pki.sh "$RIG_DIR/pki" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
if ! QEMU_TRUST="$RIG_DIR/pki/root.pem" qemu_build x64 tests/qemu/https.ipxe "$RIG_DIR/wireboot.efi" ||
   ! make -s build/efi-x64/hello.efi; then
	rig_fail "$NAME-build"
	rig_finish
fi
rig_pass "$NAME-build"
rig_bridge
rig_tap tap0
rig_dnsmasq
rig_ntp
rig_nginx_tls web "443|$RIG_DIR/pki/good-ec.chain.pem|$RIG_DIR/pki/good-ec.key"
printf '#!ipxe\necho https-script-marker\nchain hello.efi from-https\necho https-script-end\n' >"$RIG_DIR/web-www/boot.ipxe"
cp build/efi-x64/hello.efi "$RIG_DIR/web-www/hello.efi"
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" x64
qemu_uboot_x64 tap0 "$RIG_DIR/esp"
qemu_uboot_steps
log=$RIG_DIR/console.log
t1=$(date +%s.%N)
qemu_drive "$log" "${QEMU_STEPS[@]}" \
	"expect@120:https-script-marker" \
	"expect@120:https-chain-returned" \
	"expect@30:wireboot> " \
	"line:exit" \
	"expect@30:=> "
rc=$?
echo "info: $NAME: QEMU run took $(qemu_elapsed "$t1") s (total with build $(qemu_elapsed "$t0") s)"
# the same build must not leak the test CA into later builds
make -s -C . TRUST= build/efi-x64/wireboot.efi >/dev/null 2>&1 || true
clean=$(tr -d '\r' <"$log")
check_out() {  # NAME REGEX (ERE) on the console
	if grep -Eq -- "$2" <<<"$clean"; then rig_pass "$NAME-$1"; else rig_fail "$NAME-$1" "no /$2/ on the console"; fi
}
check_out entropy-is-jitter '^entropy: EFI_RNG_PROTOCOL missing; using timer-jitter'
check_out script-over-https '^https-script-marker$'
check_out efi-over-https '^hello-efi-marker: started$'
check_out efi-args '^hello-efi-args: from-https$'
check_out efi-returned '^hello-efi-marker: returning$'
check_out script-goes-on '^https-script-end$'
rig_expect_grep "$NAME-nginx-served-script" "$RIG_DIR/web-access.log" 'GET /boot.ipxe HTTP/1.1" 200'
rig_expect_grep "$NAME-nginx-served-efi" "$RIG_DIR/web-access.log" 'GET /hello.efi HTTP/1.1" 200'
if [ $rc = 0 ]; then rig_pass "$NAME-exit-to-firmware"; else rig_fail "$NAME-exit-to-firmware" "expect.py rc=$rc"; fi
qemu_keep_log "$log"
rig_finish
