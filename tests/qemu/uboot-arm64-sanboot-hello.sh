#!/bin/bash
# uboot-arm64-sanboot-hello: `sanboot` of an iSCSI LUN on U-Boot arm64, end to end
# through the firmware's own partition and FAT drivers, with a tiny EFI application
# as the boot file.
#
# tgtd (mutual CHAP) serves a 48 MiB GPT image built here (sgdisk; one EFI System
# Partition, FAT16 by mkfs.vfat, tests/efi/hello.c's application copied in with mcopy
# as \EFI\BOOT\BOOTAA64.EFI).  wireboot (EMBED= a script: dhcp, credentials,
# `sanboot iscsi:192.0.2.1:::1:IQN`) logs in, publishes the LUN as EFI Block IO,
# U-Boot binds the partition and FAT, wireboot LoadImages the file by its device
# path and starts it.  Checked: the progress lines (login with mutual CHAP, LUN size,
# "booting"), hello's markers (it ran, it was loaded from a device with a file
# system whose device path goes through our iSCSI node), the keep-alive (hello idles
# 15 s like a boot menu, with no disk I/O: the firmware timer must ping the target;
# then it reads a 200000-byte file, size and byte sum checked), the return to the
# script, the drive unhooked and logged out (tgtd has no connection left), no secret on
# the console.
# Negative run: a wrong reverse-password → the console names mutual CHAP, no
# "booting" line, nothing published (no drive line), the application never runs.
# HTTP run (issue 16): the same image from nginx, `sanboot http://USER:PASS@…/disk.img?QUERY`:
# hello says its device path has a URI node (UEFI §10.3.4.27) holding exactly
# http://192.0.2.1/disk.img (no user info, no query: no secret in a device path), idles
# 15 s and reads DATA.BIN through the HTTP device (size and sum); neither the password nor
# the query on the console.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh

NAME=uboot-arm64-sanboot-hello
IQN=iqn.2026-11.test.wireboot:hello
USER_IN=wbinit SECRET_IN=init-secret-2026
USER_OUT=wbtarget SECRET_OUT=target-secret-26

qemu_need qemu-system-aarch64 "$UBOOT_ARM64_BIN" tgtd tgtadm sgdisk mkfs.vfat mcopy dnsmasq nginx
rig_init sanhello
t0=$(date +%s.%N)

# ---- the disk: GPT, one ESP holding hello.efi as the default boot file
make -s build/efi-aa64/hello.efi || rig_die "hello.efi build failed"
img=$RIG_DIR/disk.img esp=$RIG_DIR/esp.img
truncate -s 48M "$img"
sgdisk -o -n 1:2048:+40M -t 1:ef00 -c 1:ESP "$img" >/dev/null || rig_die "sgdisk failed"
truncate -s 40M "$esp"
mkfs.vfat -F 16 -n WBESP "$esp" >/dev/null || rig_die "mkfs.vfat failed"
mmd -i "$esp" ::/EFI ::/EFI/BOOT || rig_die "mmd failed"
mcopy -i "$esp" build/efi-aa64/hello.efi ::/EFI/BOOT/BOOTAA64.EFI || rig_die "mcopy failed"
# read by hello after its 15 s idle wait: 200000 random bytes, checked by size and byte sum
head -c 200000 /dev/urandom >"$RIG_DIR/data.bin"
mcopy -i "$esp" "$RIG_DIR/data.bin" ::/EFI/BOOT/DATA.BIN || rig_die "mcopy DATA.BIN failed"
data_sum=$(python3 -c 'import sys; print(sum(open(sys.argv[1], "rb").read()) % 2**32)' "$RIG_DIR/data.bin")
dd if="$esp" of="$img" bs=512 seek=2048 conv=notrunc status=none || rig_die "dd failed"
rm -f "$esp"

# ---- two builds: right and wrong reverse-password
mkscript() {   # FILE REVERSE-SECRET
	cat >"$1" <<EOF
#!ipxe
echo sanboot-test-start
dhcp
set username $USER_IN
set password $SECRET_IN
set reverse-username $USER_OUT
set reverse-password $2
set initiator-iqn iqn.2026-11.test.wireboot:client
sanboot iscsi:192.0.2.1:::1:$IQN || echo sanboot-failed
echo sanboot-test-done
EOF
}
mkscript "$RIG_DIR/good.ipxe" "$SECRET_OUT"
mkscript "$RIG_DIR/bad.ipxe" "wrong-target-secret"
HTTP_PASS=pw-hello-http-61 HTTP_QUERY=tok-hello-http-62
printf '%s\n' '#!ipxe' 'echo sanboot-test-start' 'dhcp' \
	"sanboot http://wbuser:$HTTP_PASS@192.0.2.1/disk.img?token=$HTTP_QUERY || echo sanboot-failed" \
	'echo sanboot-test-done' >"$RIG_DIR/http.ipxe"
mkdir -p "$RIG_DIR/esp-good" "$RIG_DIR/esp-bad" "$RIG_DIR/esp-http" "$RIG_DIR/www"
if qemu_build aa64 "$RIG_DIR/good.ipxe" "$RIG_DIR/esp-good/wireboot.efi" &&
   qemu_build aa64 "$RIG_DIR/bad.ipxe" "$RIG_DIR/esp-bad/wireboot.efi" &&
   qemu_build aa64 "$RIG_DIR/http.ipxe" "$RIG_DIR/esp-http/wireboot.efi"; then
	rig_pass "$NAME-build"
else
	rig_fail "$NAME-build"
	rig_finish
fi
make -s EMBED= build/efi-aa64/wireboot.efi >/dev/null 2>&1 || true   # no test script left in the build

rig_bridge
rig_tap tap0
rig_dnsmasq
rig_tgtd "$IQN" "$img" "$USER_IN" "$SECRET_IN" "$USER_OUT" "$SECRET_OUT"

run() {   # DIR LOG
	qemu_uboot_arm64 tap0 "$1"
	qemu_uboot_steps
	QEMU_LOG=$2
	qemu_drive "$QEMU_LOG" "${QEMU_STEPS[@]}" \
		"expect@120:sanboot-test-start" \
		"expect@300:sanboot-test-done" \
		"expect@30:wireboot> " \
		"line:exit" \
		"expect@30:=> "
}
con() { tr -d '\r' <"$QEMU_LOG"; }
has() {   # ID ERE
	if con | grep -Eq -- "$2"; then rig_pass "$NAME-$1"; else rig_fail "$NAME-$1" "no /$2/ on the console"; fi
}
hasnt() {   # ID ERE — counted only once the script's last line is on the console
	qemu_expect_absent "$1" '^sanboot-test-done$' "$2"
}

# ---- positive run
t1=$(date +%s.%N)
run "$RIG_DIR/esp-good" "$RIG_DIR/console-good.log"
rc=$?
echo "info: $NAME: QEMU run took $(qemu_elapsed "$t1") s"
if [ $rc = 0 ]; then rig_pass "$NAME-ran-to-the-end"; else rig_fail "$NAME-ran-to-the-end" "expect.py rc=$rc"; fi
con | grep -E '^(sanboot|san|hello-efi)' | sed 's/^/console: /'
has login-mutual-chap "^sanboot: iscsi:192\.0\.2\.1:::1:$IQN login ok \(CHAP MD5, mutual\), LUN 1: 98304 blocks of 512 bytes \(48 MiB\)"
has booting-line '^sanboot: booting \\EFI\\BOOT\\BOOTAA64\.EFI$'
has efi-started '^hello-efi-marker: started$'
has efi-device-has-fs '^hello-efi-device: file system$'
# 15 s with no disk I/O, then a file read: the session stayed up, the timer pinged
has efi-idle-wait '^hello-efi-wait: 15 s without disk I/O$'
has data-after-idle "^hello-efi-data: 200000 bytes sum $data_sum\$"
pings=$(con | sed -n 's/^sanboot: drive 0x80: .* \([0-9]*\) pings sent, \([0-9]*\) answered$/\1 \2/p' | tail -1)
echo "info: $NAME: keep-alive pings sent/answered while the application idled: ${pings:-none}"
if [ -n "$pings" ] && [ "${pings% *}" -ge 1 ] && [ "${pings#* }" -ge 1 ]; then rig_pass "$NAME-keepalive-timer-pinged"
else rig_fail "$NAME-keepalive-timer-pinged" "no NOP-Out ping sent and answered during the 15 s idle"; fi
has efi-returned '^hello-efi-marker: returning$'
has sanboot-returned '^sanboot: \\EFI\\BOOT\\BOOTAA64\.EFI returned \(success\)$'
has unhooked '^sanboot: drive 0x80 unhooked$'
hasnt no-failure '^sanboot-failed$'
has script-goes-on '^sanboot-test-done$'
has efi-device-path-iscsi '^hello-efi-device: iSCSI path$'   # LoadImage by our device path
hasnt no-secret-on-console "$SECRET_IN|$SECRET_OUT"
conns=$(rig_tgtadm --op show --mode conn --tid 1 2>&1)
if ! con | grep -q ' login ok '; then rig_fail "$NAME-logged-out" "never logged in: nothing to log out of"
elif echo "$conns" | grep -q 'Connection'; then rig_fail "$NAME-logged-out" "tgtd still has: $conns"
else rig_pass "$NAME-logged-out"; fi
qemu_keep_log "$QEMU_LOG"

# ---- negative run: the target proves itself with another secret
run "$RIG_DIR/esp-bad" "$RIG_DIR/console-bad.log"
rc=$?
if [ $rc = 0 ]; then rig_pass "$NAME-bad-ran-to-the-end"; else rig_fail "$NAME-bad-ran-to-the-end" "expect.py rc=$rc"; fi
con | grep -E '^(sanboot|san|hello-efi|bad\.ipxe)' | sed 's/^/console: /'
has bad-names-mutual-chap '^sanboot: iscsi:.*[Mm]utual CHAP'
has bad-caught '^sanboot-failed$'
hasnt bad-no-booting '^sanboot: booting'
hasnt bad-nothing-published '^sanboot: drive 0x80'
hasnt bad-efi-never-ran 'hello-efi-marker'
hasnt bad-no-secret-on-console "$SECRET_IN|$SECRET_OUT|wrong-target-secret"
if [ "$RIG_FAILS" != 0 ]; then
	mkdir -p build/test-logs && cp "$QEMU_LOG" "build/test-logs/$NAME.bad.console.log"
fi

# ---- HTTP run: the same image from nginx (range requests), a URI device path node
cp "$img" "$RIG_DIR/www/disk.img"
rig_nginx "$RIG_DIR/www"
fails0=$RIG_FAILS
run "$RIG_DIR/esp-http" "$RIG_DIR/console-http.log"
rc=$?
if [ $rc = 0 ]; then rig_pass "$NAME-http-ran-to-the-end"; else rig_fail "$NAME-http-ran-to-the-end" "expect.py rc=$rc"; fi
con | grep -E '^(sanboot|san|hello-efi)' | sed 's/^/console: /'
has http-open '^sanboot: http://192\.0\.2\.1/disk\.img\?\.\.\. open \(HTTP, not encrypted, server 192\.0\.2\.1:80\): 98304 blocks of 512 bytes \(48 MiB\), read-only$'
has http-efi-started '^hello-efi-marker: started$'
has http-efi-device-has-fs '^hello-efi-device: file system$'
has http-efi-device-path-uri '^hello-efi-device: URI path http://192\.0\.2\.1/disk\.img$'
has http-data-after-idle "^hello-efi-data: 200000 bytes sum $data_sum\$"
has http-sanboot-returned '^sanboot: \\EFI\\BOOT\\BOOTAA64\.EFI returned \(success\)$'
has http-counts '^sanboot: drive 0x80: [0-9]+ reads, [0-9]+ KiB, [0-9]+ range requests, [0-9]+ reconnects, [0-9]+ reissued$'
hasnt http-no-failure '^sanboot-failed$'
hasnt http-no-secret-on-console "$HTTP_PASS|$HTTP_QUERY"
if [ "$RIG_FAILS" != "$fails0" ]; then
	mkdir -p build/test-logs && cp "$QEMU_LOG" "build/test-logs/$NAME.http.console.log"
fi
echo "info: $NAME: total $(qemu_elapsed "$t0") s"
rig_finish
