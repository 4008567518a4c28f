#!/bin/bash
# ovmf-x64 with UEFI Secure Boot on (SECURITY.md, fetched images: "handed to the firmware's
# LoadImage ... where enabled, Secure Boot decide"; issue 20).  Debian's ovmf ships
# OVMF_CODE_4M.snakeoil.fd with OVMF_VARS_4M.snakeoil.fd, whose PK, KEK and db hold the
# "snakeoil" test key; its private key and certificate come with it
# (/usr/share/ovmf/PkKek-1-snakeoil.{key,pem}, passphrase "snakeoil").  wireboot.efi
# (EMBED=tests/qemu/secureboot.ipxe) and tests/efi/hello.c's hello.efi are signed with
# it by sbsign (sbsigntool).  Two boots, each from a fresh copy of the variable store:
#   1. the unsigned wireboot.efi as \EFI\BOOT\BOOTX64.EFI: the firmware refuses it
#      ("Access Denied" from its boot manager) and wireboot never prints its banner —
#      Secure Boot is enforcing;
#   2. the signed one: wireboot starts, `chain file:/hello.efi` (unsigned) is refused
#      with wireboot's Secure Boot message (WB_ESECUREBOOT) and hello never runs, then
#      `chain file:/hello-signed.efi` starts hello (its marker and load options).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
SB_CODE=${SB_CODE:-/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd}
SB_VARS=${SB_VARS:-/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd}
SB_KEY=${SB_KEY:-/usr/share/ovmf/PkKek-1-snakeoil.key}
SB_CERT=${SB_CERT:-/usr/share/ovmf/PkKek-1-snakeoil.pem}
qemu_test_begin ovmf-x64 secureboot sbsign sbverify openssl "$SB_CODE" "$SB_VARS" "$SB_KEY" "$SB_CERT"
qemu_test_build tests/qemu/secureboot.ipxe build/efi-x64/hello.efi

# sign with the snakeoil key (its PEM is encrypted: a clear copy in the rig's directory)
openssl pkey -in "$SB_KEY" -passin pass:snakeoil -out "$RIG_DIR/sb.key" 2>"$RIG_DIR/sign.log" &&
	sbsign --key "$RIG_DIR/sb.key" --cert "$SB_CERT" --output "$RIG_DIR/wireboot-signed.efi" \
		"$RIG_DIR/wireboot.efi" >>"$RIG_DIR/sign.log" 2>&1 &&
	sbsign --key "$RIG_DIR/sb.key" --cert "$SB_CERT" --output "$RIG_DIR/hello-signed.efi" \
		build/efi-x64/hello.efi >>"$RIG_DIR/sign.log" 2>&1 &&
	sbverify --cert "$SB_CERT" "$RIG_DIR/wireboot-signed.efi" >>"$RIG_DIR/sign.log" 2>&1 &&
	sbverify --cert "$SB_CERT" "$RIG_DIR/hello-signed.efi" >>"$RIG_DIR/sign.log" 2>&1
if [ $? = 0 ]; then rig_pass "$NAME-signed"; else cat "$RIG_DIR/sign.log"; rig_fail "$NAME-signed"; rig_finish; fi
if sbverify --cert "$SB_CERT" build/efi-x64/hello.efi >/dev/null 2>&1; then
	rig_fail "$NAME-hello-unsigned" "build/efi-x64/hello.efi verifies: the refusal below would prove nothing"
else rig_pass "$NAME-hello-unsigned"; fi

# sb_boot DIR — QEMU_CMD: OVMF with Secure Boot (SMM, secure pflash), a fresh copy of
# the enrolled variable store, DIR as the vvfat boot disk, the NIC as qemu_ovmf_x64's
sb_boot() {
	cp "$SB_VARS" "$RIG_DIR/vars.fd"
	QEMU_CMD=(ip netns exec "$RIG_NS" qemu-system-x86_64 -M q35,smm=on -m 512
		-nographic -no-reboot
		-global driver=cfi.pflash01,property=secure,value=on
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$SB_CODE"
		-drive "if=pflash,format=raw,unit=1,file=$RIG_DIR/vars.fd"
		-device virtio-rng-pci
		-netdev "tap,id=n0,ifname=tap0,script=no,downscript=no"
		-device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:57,romfile=
		-drive "if=none,id=d0,format=raw,readonly=on,file=fat:$1"
		-device virtio-blk-pci,drive=d0,bootindex=0)
}

# 1. unsigned wireboot: refused by the firmware
mkdir -p "$RIG_DIR/esp-unsigned"
qemu_esp "$RIG_DIR/esp-unsigned" "$RIG_DIR/wireboot.efi" x64
sb_boot "$RIG_DIR/esp-unsigned"
QEMU_LOG=$RIG_DIR/console-unsigned.log
QEMU_T1=$(date +%s.%N)
qemu_drive "$QEMU_LOG" "expect@300:BdsDxe: failed to load Boot[0-9A-F]+ .*Access Denied"
rc1=$?
echo "info: $NAME: boot 1 (unsigned wireboot) rc=$rc1 took $(qemu_elapsed "$QEMU_T1") s"
NAME=ovmf-x64-secureboot-unsigned-wireboot
qemu_check_out refused-by-firmware 'BdsDxe: failed to load Boot[0-9A-F]+ .*Access Denied'
qemu_expect_absent never-started 'BdsDxe: failed to load Boot[0-9A-F]+ .*Access Denied' '^wireboot [0-9]|secureboot-test-start'
qemu_keep_log "$QEMU_LOG"
NAME=ovmf-x64-secureboot

# 2. signed wireboot: starts; an unsigned image it loads is refused, a signed one runs
rm -f "$RIG_DIR/esp/wireboot.efi" "$RIG_DIR/esp/EFI/BOOT/BOOTX64.EFI"
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot-signed.efi" x64
cp build/efi-x64/hello.efi "$RIG_DIR/hello-signed.efi" "$RIG_DIR/esp/"
sb_boot "$RIG_DIR/esp"
QEMU_LOG=$RIG_DIR/console.log
QEMU_T1=$(date +%s.%N)
qemu_drive "$QEMU_LOG" \
	"expect@300:secureboot-test-start" \
	"expect@120:secureboot-test-done" \
	"expect@30:wireboot> " \
	"line:exit" \
	"expect@60:BdsDxe: (loading|starting)|Boot Manager"
rc=$?
qemu_check_out signed-wireboot-started '^secureboot-test-start$'
qemu_check_out unsigned-refused-by-secure-boot '^image: the firmware.s Secure Boot refused it \(EFI_(SECURITY_VIOLATION|ACCESS_DENIED)\)$'
qemu_check_out refusal-says-what-to-do 'image refused by UEFI Secure Boot .*sign it with an enrolled key, enroll its certificate or hash, or turn Secure Boot off'
qemu_check_out unsigned-chain-failed '^unsigned-refused$'
qemu_expect_absent unsigned-never-ran '^secureboot-test-done$' 'hello-efi-args: unsigned-args'
qemu_check_out signed-image-ran '^hello-efi-args: signed-args$'
qemu_expect_absent signed-image-chain-ok '^secureboot-test-done$' '^signed-failed'
qemu_test_end $rc
