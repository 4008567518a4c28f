#!/bin/bash
# uboot-arm64-sanboot-lio: the SAN boot against Linux's LIO target instead of tgtd.
# U-Boot arm64 (QEMU virt, TCG) starts wireboot, whose embedded script gets an address
# by DHCP (dnsmasq), sets the initiator name the target's ACL allows and the CHAP
# accounts, and SAN-boots LUN 0 of LIO (tests/rig/lio.sh: a second QEMU guest, x86_64,
# Debian's kernel, iblock backstore over a copy of the arm64 test disk, set up with the
# same targetcli commands as docs/deploy.md's LIO recipe, turned into configfs writes) → GRUB → Linux's initramfs checks
# the 32 MiB payload read through wireboot's Block IO and prints the marker.
# Checked: login with mutual CHAP on LUN 0 (the algorithm LIO chose is printed), the
# booting line, GRUB, exactly one marker with payload=OK and the image's hash, the logout
# at ExitBootServices, no secret on either console, the machine powered off.  Printed:
# the seconds from QEMU's start to GRUB and to the marker (two TCG guests share the CPU).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/lio.sh
qemu_fw uboot-arm64
NAME=uboot-arm64-sanboot-lio
qemu_need "${QEMU_FW_NEED[@]}" qemu-system-x86_64 dnsmasq
( lio_deps ) || { echo "FAIL: $NAME: tests/rig/lio.sh deps failed"; exit 1; }
rig_init "$QEMU_FW_TAG-lio"
disk_image arm64
cp "$DISK_IMG" "$RIG_DIR/disk.img"
cp "$DISK_IMG.info" "$RIG_DIR/disk.img.info"
ini=iqn.2026-12.example.boot:node1
user_in=wbinit secret_in=init-secret-2026 user_out=wbtarget secret_out=target-secret-26
printf '%s\n' '#!ipxe' 'echo sanboot-lio-script' 'dhcp' "set initiator-iqn $ini" \
	"set username $user_in" "set password $secret_in" \
	"set reverse-username $user_out" "set reverse-password $secret_out" \
	"sanboot iscsi:$LIO_IP:::0:$LIO_IQN || echo sanboot-failed" >"$RIG_DIR/boot.ipxe"
if qemu_build "$QEMU_ARCH" "$RIG_DIR/boot.ipxe" "$RIG_DIR/wireboot.efi"; then rig_pass "$NAME-build"
else rig_fail "$NAME-build"; rig_finish; fi
make -s TRUST= EMBED= "build/efi-$QEMU_ARCH/wireboot.efi" >/dev/null 2>&1 || true   # no test script left in the build
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" "$QEMU_ARCH"

rig_bridge
rig_tap tap0
RIG_ROOT_PATH="" RIG_BOOTFILE="" rig_dnsmasq
LIO_ACLS=$ini LIO_USER=$user_in LIO_SECRET=$secret_in LIO_MUSER=$user_out LIO_MSECRET=$secret_out \
	lio_start "$RIG_DIR/disk.img"
if lio_wait_ready 240; then rig_pass "$NAME-lio-up"; else rig_fail "$NAME-lio-up"; rig_finish; fi

qemu_fw_boot tap0 "$RIG_DIR/esp"
log=$RIG_DIR/console.log
disk_boot "$log" "${QEMU_PRE[@]}" \
	"expect@$QEMU_FIRST:sanboot-lio-script" \
	"expect@180:sanboot: booting" \
	"expect@400:$DISK_GRUB_RE" \
	"expect@${DISK_MARKER_TIMEOUT:-900}:$DISK_MARKER_RE" \
	"wait@120"
echo "info: $NAME: expect.py rc=$DISK_RC; GRUB line at ${DISK_T_GRUB:-never} s, marker at ${DISK_T_MARKER:-never} s after QEMU start"
[ -n "$DISK_T_MARKER" ] && echo "info: $NAME: boot-to-marker $DISK_T_MARKER s (QEMU start to WIREBOOT-MARKER, over iSCSI from LIO)"
QEMU_LOG=$log
tr -d '\r' <"$log" | grep -aE '^(sanboot|san:|san )' | sed 's/^/console: /'
qemu_check_out script-ran '^sanboot-lio-script$'
qemu_check_out login-as-acl-initiator "^sanboot: iscsi:[^ ]*: logging in as ${ini//./\\.} \\(from "
qemu_check_out login-mutual-chap-lun0 "^sanboot: iscsi:${LIO_IP//./\\.}:::0:${LIO_IQN//./\\.} login ok \\(CHAP [A-Z0-9-]+, mutual\\), LUN 0: [0-9]+ blocks of 512 bytes"
echo "info: $NAME: $(tr -d '\r' <"$log" | grep -ao 'login ok (CHAP [^,]*' | head -1)"
qemu_check_out booting-line '^sanboot: booting \\EFI\\BOOT\\BOOTAA64\.EFI$'
disk_marker_check "$NAME" "$log" "$RIG_DIR/disk.img"
qemu_check_out logout-at-exit-boot-services '^san: drive 0x80: (logged out|logout sent and connection closed) before the OS took over'
qemu_expect_absent no-failure '^sanboot: booting' '^sanboot-failed$'
qemu_expect_absent no-secret-on-console '^san: drive 0x80: (logged out|logout sent)' "$secret_in|$secret_out"
if grep -qE -- "$secret_in|$secret_out" "$LIO_LOG"; then rig_fail "$NAME-no-secret-on-target-console"
else rig_pass "$NAME-no-secret-on-target-console"; fi
if [ "$DISK_RC" = 0 ]; then rig_pass "$NAME-powered-off"
else rig_fail "$NAME-powered-off" "expect.py rc=$DISK_RC (2: a step timed out, 3: QEMU ended before the step)"; fi
rig_finish
