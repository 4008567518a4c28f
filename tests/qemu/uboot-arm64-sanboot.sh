#!/bin/bash
# uboot-arm64-sanboot: the whole chain on U-Boot arm64 (QEMU virt, TCG).
#
#   wireboot (EMBED=tests/qemu/https.ipxe, TRUST= the rig's test root CA)
#     dhcp → chain https://boot.test/boot.ipxe (nginx, ECDSA certificate checked)
#   boot.ipxe sets the CHAP credentials and `sanboot iscsi:192.0.2.1:::1:IQN`
#     → login with mutual CHAP to tgtd, LUN 1 = the test disk (tests/rig/mkdisk.sh)
#     → EFI Block IO, U-Boot binds the GPT partition and FAT32
#     → \EFI\BOOT\BOOTAA64.EFI = GRUB, which reads Debian's kernel and the initramfs
#       (32 MiB payload) through our Block IO, all over iSCSI
#   Linux's EFI stub calls ExitBootServices: wireboot logs out, then the initramfs
#   checks the payload's SHA-256, prints WIREBOOT-MARKER and powers off.
#
# Checked: the HTTPS script ran, login (CHAP MD5, mutual) and "booting" lines, GRUB's
# line, exactly one marker with payload=OK and the image's hash, wireboot's logout line
# at ExitBootServices and tgtd left with no connection, no secret on the console, the
# machine powered off.  Printed: seconds from QEMU's start to GRUB and to the marker.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh

NAME=uboot-arm64-sanboot
IQN=iqn.2026-11.test.wireboot:disk
USER_IN=wbinit SECRET_IN=init-secret-2026
USER_OUT=wbtarget SECRET_OUT=target-secret-26

qemu_need qemu-system-aarch64 "$UBOOT_ARM64_BIN" tgtd tgtadm dnsmasq nginx openssl chronyd
rig_init sanboot
t0=$(date +%s.%N)
disk_image arm64
cp "$DISK_IMG" "$RIG_DIR/disk.img"   # tgtd opens its backing file read-write
cp "$DISK_IMG.info" "$RIG_DIR/disk.img.info"
rig_pass "$NAME-image"
bash tests/rig/pki.sh "$RIG_DIR/pki" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
mkdir -p "$RIG_DIR/esp"
if QEMU_TRUST="$RIG_DIR/pki/root.pem" qemu_build aa64 tests/qemu/https.ipxe "$RIG_DIR/esp/wireboot.efi"; then
	rig_pass "$NAME-build"
else
	rig_fail "$NAME-build"
	rig_finish
fi
make -s TRUST= EMBED= build/efi-aa64/wireboot.efi >/dev/null 2>&1 || true   # no test CA left in the build

rig_bridge
rig_tap tap0
rig_dnsmasq
rig_ntp
rig_nginx_tls web "443|$RIG_DIR/pki/good-ec.chain.pem|$RIG_DIR/pki/good-ec.key"
cat >"$RIG_DIR/web-www/boot.ipxe" <<EOF
#!ipxe
echo sanboot-e2e-script
set username $USER_IN
set password $SECRET_IN
set reverse-username $USER_OUT
set reverse-password $SECRET_OUT
sanboot iscsi:192.0.2.1:::1:$IQN || echo sanboot-failed
EOF
rig_tgtd "$IQN" "$RIG_DIR/disk.img" "$USER_IN" "$SECRET_IN" "$USER_OUT" "$SECRET_OUT"

qemu_uboot_arm64 tap0 "$RIG_DIR/esp"
qemu_uboot_steps
log=$RIG_DIR/console.log
disk_boot "$log" "${QEMU_STEPS[@]}" \
	"expect@120:sanboot-e2e-script" \
	"expect@120:sanboot: booting" \
	"expect@300:$DISK_GRUB_RE" \
	"expect@${DISK_MARKER_TIMEOUT:-600}:$DISK_MARKER_RE" \
	"wait@60"
echo "info: $NAME: expect.py rc=$DISK_RC; GRUB line at ${DISK_T_GRUB:-never} s, marker at ${DISK_T_MARKER:-never} s after QEMU start"
[ -n "$DISK_T_MARKER" ] && echo "info: $NAME: boot-to-marker $DISK_T_MARKER s (QEMU start to WIREBOOT-MARKER, over iSCSI)"
QEMU_LOG=$log
con() { tr -d '\r' <"$log"; }
has() {   # ID ERE
	if con | grep -Eaq -- "$2"; then rig_pass "$NAME-$1"; else rig_fail "$NAME-$1" "no /$2/ on the console"; fi
}
con | grep -aE '^(sanboot|san:|san )' | sed 's/^/console: /'
has script-over-https '^sanboot-e2e-script$'
has login-mutual-chap "^sanboot: iscsi:192\.0\.2\.1:::1:$IQN login ok \(CHAP MD5, mutual\), LUN 1: [0-9]+ blocks of 512 bytes"
has booting-line '^sanboot: booting \\EFI\\BOOT\\BOOTAA64\.EFI$'
disk_marker_check "$NAME" "$log" "$RIG_DIR/disk.img"
has logout-at-exit-boot-services '^san: drive 0x80: (logged out|logout sent and connection closed) before the OS took over'
if con | grep -aq '^sanboot-failed$'; then rig_fail "$NAME-no-failure"; else rig_pass "$NAME-no-failure"; fi
if con | grep -Faq -e "$SECRET_IN" -e "$SECRET_OUT"; then rig_fail "$NAME-no-secret-on-console"
else rig_pass "$NAME-no-secret-on-console"; fi
conns=$(rig_tgtadm --op show --mode conn --tid 1 2>&1)
if echo "$conns" | grep -q 'Connection'; then rig_fail "$NAME-tgtd-no-connection-left" "tgtd still has: $conns"
else rig_pass "$NAME-tgtd-no-connection-left"; fi
if [ "$DISK_RC" = 0 ]; then rig_pass "$NAME-powered-off"
else rig_fail "$NAME-powered-off" "expect.py rc=$DISK_RC (2: a step timed out, 3: QEMU ended before the step)"; fi
echo "info: $NAME: tgtd log tail:"; tail -5 "$RIG_DIR/tgtd.out" 2>/dev/null | sed "s/^/tgtd: /"
echo "info: $NAME: total $(qemu_elapsed "$t0") s"
qemu_keep_log "$log"
rig_finish
