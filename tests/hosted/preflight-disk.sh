#!/bin/bash
# preflight-disk.sh — `wireboot preflight iscsi` inspects the LUN it logged into: the
# partition table, the EFI System Partition's FAT file system and the removable-media
# boot file, read through the SAN layer from tgtd (mutual CHAP).  The LUN is the test
# boot disk (tests/rig/mkdisk.sh arm64: GPT, FAT32 ESP, GRUB as \EFI\BOOT\BOOTAA64.EFI);
# a LUN of random bytes must be refused as unbootable, as must the same disk judged for
# x86_64 or with a --filename that is not on it.
. "$(dirname "$0")/lib.sh"

wb_iscsi_names iqn.2026-11.test:bootdisk

bash "$RIG_TOP/tests/rig/mkdisk.sh" arm64 "$RIG_TOP/build/disk/test-arm64.img" ||
	{ echo "FAIL: preflight-disk: tests/rig/mkdisk.sh arm64 failed"; exit 1; }
wb_rig pfdisk nodhcp
# tgtd gets a copy: the shared image stays untouched whatever the target does
IMG="$RIG_DIR/disk.img"
cp "$RIG_TOP/build/disk/test-arm64.img" "$IMG"
rig_tgtd "$IQN" "$IMG" "$USER_" "$SECRET" "$MUSER" "$MSECRET"

pf() {
	PF_SECRET=$SECRET PF_RSECRET=$MSECRET wb_preflight "$1" "$2" "$ROOT" \
		--user "$USER_" --reverse-user "$MUSER" "${@:3}"
}

pf arm64 60
wb_expect_ok "boot disk: bootable on arm64 (exit 0)"
wb_expect_out "GPT found through the SAN reads" '^GPT: primary header at LBA 1'
wb_expect_out "ESP is partition 1" '^partition 1: .*EFI System.*\[ESP\]'
wb_expect_out "ESP's FAT32 read" '^ESP: partition 1, FAT32, label "WIREBOOT"'
wb_expect_out "BOOTAA64.EFI is an arm64 PE32+ EFI application" \
	'^\\EFI\\BOOT\\BOOTAA64.EFI: [0-9]+ bytes, PE32\+ arm64 \(0xaa64\), EFI application'
wb_expect_out "BOOTX64.EFI reported missing" '^\\EFI\\BOOT\\BOOTX64.EFI: missing'
wb_expect_out "verdict OK for arm64" '^verdict \(arm64\): OK'
wb_expect_out "logout after the check" '^logout ok$'
# the size the report gives must be the size of GRUB's file in the image
want=$(mdir -i "$IMG@@$((2048 * 512))" -b /EFI/BOOT >/dev/null 2>&1 &&
	mdir -i "$IMG@@$((2048 * 512))" /EFI/BOOT/BOOTAA64.EFI 2>/dev/null | awk '/BOOTAA64/ {print $3}' | tr -d ' ')
if [ -n "$want" ] && grep -q "BOOTAA64.EFI: $want bytes" "$WB_LOG"; then
	rig_pass "BOOTAA64.EFI size equals what mtools reads ($want)"
else rig_fail "BOOTAA64.EFI size equals what mtools reads" "mtools says '$want'"; fi

pf x86 60 --arch x86_64
wb_expect_fail "same disk for x86_64: refused, BOOTX64.EFI missing" \
	'would not boot on x86_64: \\EFI\\BOOT\\BOOTX64.EFI is missing on the ESP'
if [ "$WB_RC" = 1 ]; then rig_pass "x86_64: exit 1"; else rig_fail "x86_64: exit 1" "exit $WB_RC"; fi

pf fname 60 --filename '\EFI\debian\grubaa64.efi'
wb_expect_fail "--filename not on the disk: refused naming it" 'grubaa64.efi.* missing|missing.*grubaa64.efi'

pf badarch 20 --arch mips
wb_expect_fail "unknown --arch refused" 'bad --arch'

# the same target with a LUN of random bytes: no partition table
rig_tgtadm --op delete --mode logicalunit --tid 1 --lun 1 || rig_die "tgtadm: delete LUN failed"
head -c $((8 * 1024 * 1024)) /dev/urandom >"$RIG_DIR/random.img"
rig_tgtadm --op new --mode logicalunit --tid 1 --lun 1 -b "$RIG_DIR/random.img" || rig_die "tgtadm: new LUN failed"
pf random 60
wb_expect_fail "random LUN: refused as unbootable" 'would not boot on arm64: .*(partition table|MBR|GPT)'
pf nodisk 60 --no-disk
wb_expect_ok "random LUN with --no-disk: login and capacity only"
if grep -q '^disk:' "$WB_LOG"; then rig_fail "--no-disk prints no disk report"; else rig_pass "--no-disk prints no disk report"; fi

if grep -rqE -- "$SECRET|$MSECRET" "$RIG_DIR"/*.log; then rig_fail "no secret in any output"
else rig_pass "no secret in any output"; fi

rig_finish
