#!/bin/bash
# uboot-arm64: compressed images on firmware (issue 12).  wireboot (EMBED=gzip.ipxe)
# fetches tests/efi/hello.c's EFI application gzip'd and zlib'd from the boot volume and
# starts it: `chain` of the .gz, `kernel` + `boot` of the zlib one (both inflated
# automatically), `imgextract` into a new image then `imgexec`; a copy with a bad CRC-32
# and a cap below the size are refused with their own messages; then Debian's arm64
# kernel (build/deps/disk/arm64, an uncompressed EFI-stub Image) gzip'd, started by
# `kernel` + `boot`, must reach its EFI stub's first message.  The kernel then runs
# without a root file system: the test ends at the stub's messages (QEMU killed by PID).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_test_begin uboot-arm64 gzip gzip python3
kernel=$(ls build/deps/disk/arm64/kernel/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$kernel" ] || rig_die "no arm64 kernel in build/deps/disk/arm64/kernel/boot: run scripts/deps.sh"
qemu_test_build tests/qemu/gzip.ipxe build/efi-aa64/hello.efi
esp=$RIG_DIR/esp
gzip -9n -c build/efi-aa64/hello.efi >"$esp/hello.efi.gz"
python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(open(sys.argv[1], "rb").read(), 9))' \
	build/efi-aa64/hello.efi >"$esp/hello.efi.z"
# the same gzip with its CRC-32 (the trailer's first 4 bytes) changed
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[-8] ^= 1; sys.stdout.buffer.write(d)' \
	"$esp/hello.efi.gz" >"$esp/bad.efi.gz"
nice gzip -6n -c "$kernel" >"$esp/vmlinuz.gz"
echo "info: $NAME: hello.efi $(stat -c %s build/efi-aa64/hello.efi) bytes, .gz $(stat -c %s "$esp/hello.efi.gz"), .z $(stat -c %s "$esp/hello.efi.z"); kernel $(stat -c %s "$kernel") bytes, .gz $(stat -c %s "$esp/vmlinuz.gz")"
qemu_test_boot
QEMU_TIMEOUT=120 qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
	"expect@$QEMU_FIRST:gzip-test-start" \
	"expect@60:gzip-test-done" \
	"expect@180:EFI stub: Booting Linux Kernel" \
	"expect@60:EFI stub: Exiting boot services"
rc=$?
qemu_check_out gz-inflated '^hello\.efi\.gz: gzip image inflated, [0-9]+ bytes -> 4096 bytes$'
qemu_check_out gz-started '^hello-efi-args: gz-args$'
qemu_check_out zlib-inflated '^hello\.efi\.z: zlib image inflated, [0-9]+ bytes -> 4096 bytes$'
qemu_check_out zlib-started '^hello-efi-args: zl-args$'
qemu_check_out imgextract-note '^hello\.efi\.gz: gzip image inflated into h2, '
qemu_check_out imgextract-stat '^h2 : 4096 bytes \[EFI\]'
qemu_check_out imgextract-started '^hello-efi-args: ex-args$'
qemu_check_out bad-crc-message 'chain: gzip: CRC-32 of the inflated data does not match the trailer \(corrupt image\) \(bad\.efi\.gz\)'
qemu_check_out bad-crc-caught '^bad-crc-caught$'
qemu_check_out cap-message 'chain: inflate: output larger than imgextract-max .*\(hello\.efi\.gz: imgextract-max is 1024 bytes\)'
qemu_check_out cap-caught '^cap-caught$'
qemu_check_out kernel-inflated '^vmlinuz\.gz: gzip image inflated, [0-9.]+ MiB -> [0-9.]+ MiB'
qemu_check_out kernel-efi-stub 'EFI stub: Booting Linux Kernel'
qemu_expect_absent kernel-kept-running 'EFI stub: Exiting boot services' '^kernel-returned'
echo "info: $NAME: QEMU run rc=$rc took $(qemu_elapsed "$QEMU_T1") s (total with build $(qemu_elapsed "$QEMU_T0") s)"
if [ "$rc" = 0 ]; then rig_pass "$NAME-kernel-reached"; else rig_fail "$NAME-kernel-reached" "expect.py rc=$rc"; fi
qemu_keep_log "$QEMU_LOG"
rig_finish
