#!/bin/bash
# uboot-arm64-bootcmd: docs/deploy.md's "permanent boot" recipe for U-Boot boards.  The
# lines of the page's uboot-bootcmd block are typed at U-Boot's prompt, with U-Boot's
# except saveenv (QEMU 7.2's emulated NOR flash times out U-Boot 2023.01's buffered
# writes, so the environment cannot be saved here), then `run bootcmd`, which is what
# U-Boot's autoboot does at power-on: wireboot.efi (the only file on the disk, so
# U-Boot's default distro boot could not find it by itself) must start and print its
# embedded script's marker, and its `exit` returns to U-Boot.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_test_begin uboot-arm64 bootcmd
printf '#!ipxe\necho wireboot-started-by-bootcmd\nexit\n' >"$RIG_DIR/bootcmd.ipxe"
qemu_test_build "$RIG_DIR/bootcmd.ipxe"
qemu_test_boot
lines=()
while IFS= read -r l; do [ -n "$l" ] && lines+=("$l"); done < <(awk '
	$0 == "<!-- deploy: uboot-bootcmd -->" { st = 1; next }
	st == 1 && /^```/ { st = 2; next } st == 2 && /^```/ { exit } st == 2' docs/deploy.md)
[ ${#lines[@]} -ge 2 ] || { rig_fail "$NAME-doc-block" "no uboot-bootcmd block in docs/deploy.md"; rig_finish; }
rig_pass "$NAME-doc-block"
# only wireboot.efi on the ESP: U-Boot's default distro boot must not find it by itself
rm -rf "$RIG_DIR/esp/EFI"
steps=("expect@60:Hit any key to stop autoboot" "send: " "expect@20:=> ")
for l in "${lines[@]}"; do
	# saveenv: Debian's QEMU 7.2 flash times U-Boot's buffered flash writes out
	# ("Flash buffer write timeout"), so persistence is not what this run can check
	[ "$l" = saveenv ] && continue
	steps+=("line:$l" "expect@20:=> ")
done
# what U-Boot's autoboot does at the next power-on: run the saved bootcmd
steps+=("line:run bootcmd" "expect@$QEMU_FIRST:wireboot-started-by-bootcmd" "$QEMU_EXIT_STEP")
qemu_drive "$QEMU_LOG" "${steps[@]}"
qemu_test_end $?
