#!/bin/bash
# OVMF x86_64: the image commands on firmware.  wireboot (EMBED=image.ipxe) chains a
# script from the boot volume (file: URI; it runs in place and its exit ends only
# it), fetches tests/efi/hello.c's EFI application, gives it a command line with
# imgargs and starts it through LoadImage/StartImage (from memory): the
# application prints its marker and the load options it received, returns, and the
# script goes on; a missing file is an error that || catches.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=ovmf-x64-image

qemu_need qemu-system-x86_64 "$OVMF_FD"
rig_init ovmf-image
t0=$(date +%s.%N)
if ! qemu_build x64 tests/qemu/image.ipxe "$RIG_DIR/wireboot.efi" || ! make -s build/efi-x64/hello.efi; then
	rig_fail "$NAME-build"
	rig_finish
fi
rig_pass "$NAME-build"
rig_bridge
rig_tap tap0
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" x64
cp build/efi-x64/hello.efi tests/qemu/sub.ipxe "$RIG_DIR/esp/"
qemu_ovmf_x64 tap0 "$RIG_DIR/esp"
log=$RIG_DIR/console.log
t1=$(date +%s.%N)
qemu_drive "$log" \
	"expect@300:image-test-start" \
	"expect@60:image-test-done" \
	"expect@30:wireboot> " \
	"line:exit" \
	"expect@60:BdsDxe: (loading|starting)|Boot Manager"
rc=$?
echo "info: $NAME: QEMU run took $(qemu_elapsed "$t1") s (total with build $(qemu_elapsed "$t0") s)"
clean=$(tr -d '\r' <"$log")
check_out() {  # NAME REGEX (ERE) on the console
	if grep -Eq -- "$2" <<<"$clean"; then rig_pass "$NAME-$1"; else rig_fail "$NAME-$1" "no /$2/ on the console"; fi
}
check_out script-chained '^sub-script-ran$'
if grep -q 'sub-script-never' <<<"$clean"; then rig_fail "$NAME-exit-ends-chained-script"; else rig_pass "$NAME-exit-ends-chained-script"; fi
check_out imgstat-lists '^hello : [0-9]+ bytes \[EFI\] "first second"'
check_out efi-started '^hello-efi-marker: started$'
check_out efi-got-load-options '^hello-efi-args: first second$'
check_out efi-returned '^hello-efi-marker: returning$'
check_out script-goes-on '^after-efi rc-ok$'
check_out chain-efi-args '^hello-efi-args: direct-args$'
check_out missing-file-caught '^missing-caught$'
if grep -q 'chain-efi-failed' <<<"$clean"; then rig_fail "$NAME-chain-efi"; else rig_pass "$NAME-chain-efi"; fi
if [ $rc = 0 ]; then rig_pass "$NAME-exit-to-firmware"; else rig_fail "$NAME-exit-to-firmware" "expect.py rc=$rc"; fi
qemu_keep_log "$log"
rig_finish
