#!/bin/bash
# inspect.sh — `wireboot inspect IMAGE`: disk images built with Debian's own tools
# (sgdisk, sfdisk, mkfs.vfat -F 12/16/32, mtools), with wireboot's real PE images as
# the boot files; each case asserts the exit status and the exact verdict line.
#   good GPT (FAT32, FAT16), good MBR (FAT12), --filename with a long name, missing file,
#   wrong-arch PE, non-PE file, EFI driver, no partition table, no ESP, ESP not FAT,
#   corrupted primary GPT header (backup used), both GPT headers corrupted, no protective
#   MBR; --ls.
. "$(dirname "$0")/lib.sh"

AA64=$RIG_TOP/build/efi-aa64/wireboot.efi
X64=$RIG_TOP/build/efi-x64/wireboot.efi
for f in "$WB" "$AA64" "$X64"; do
	[ -f "$f" ] || { echo "FAIL: inspect: $f not built (make build/san/wireboot build/efi-aa64/wireboot.efi build/efi-x64/wireboot.efi)"; exit 1; }
done
for t in sgdisk sfdisk mkfs.vfat mcopy mmd; do
	command -v $t >/dev/null || { echo "FAIL: inspect: $t missing (scripts/deps.sh installs gdisk fdisk dosfstools mtools)"; exit 1; }
done
rig_init inspect
D=$RIG_DIR
export MTOOLS_SKIP_CHECK=1

# insp ID EXPECTED_RC VERDICT_LINE ARGS... — run, check sanity, exit status and the exact verdict line
insp() {
	local id=$1 want_rc=$2 want=$3; shift 3
	WB_LOG="$D/$id.log"
	timeout -k 5 60 "$WB" inspect "$@" >"$WB_LOG" 2>&1 </dev/null
	WB_RC=$?
	sed "s/^/    [$id] /" "$WB_LOG"
	echo "    [$id] exit $WB_RC"
	wb_check_sane "$id"
	if [ "$WB_RC" != "$want_rc" ]; then
		rig_fail "$id: exit $want_rc" "exit $WB_RC"
	else
		rig_pass "$id: exit $want_rc"
	fi
	if grep -Fxq -- "$want" "$WB_LOG"; then
		rig_pass "$id: verdict line"
	else
		rig_fail "$id: verdict line" "want: $want"
	fi
}

# gpt_img FILE FATBITS — 64 MiB GPT: ESP (partition 1, 40 MiB at 1 MiB) + Linux filesystem
gpt_img() {
	truncate -s 64M "$1"
	sgdisk -n 1:2048:+40M -t 1:EF00 -c 1:"EFI system partition" -n 2:0:0 -t 2:8300 -c 2:root "$1" >/dev/null
	mkfs.vfat -F "$2" -n ESP$2 --offset 2048 "$1" $((40 * 1024)) >/dev/null 2>&1
	mmd -i "$1@@1M" ::/EFI ::/EFI/BOOT
}
put() { mcopy -o -i "$1@@$2" "$3" "::$4"; }

# 1. GPT + FAT32 with the arm64 image: bootable for arm64, not for x86_64
gpt_img "$D/g32.img" 32
put "$D/g32.img" 1M "$AA64" /EFI/BOOT/BOOTAA64.EFI
insp gpt-fat32 0 'verdict (arm64): OK: \EFI\BOOT\BOOTAA64.EFI is an arm64 EFI application ('"$(stat -c %s "$AA64")"' bytes)' "$D/g32.img" --arch arm64
wb_expect_out "gpt-fat32: ESP found as FAT32" '^ESP: partition 1, FAT32, label "ESP32"'
wb_expect_out "gpt-fat32: GPT partition names" '^partition 1: LBA 2048-83967 \(40 MiB\) EFI System "EFI system partition" \[ESP\]$'
wb_expect_out "gpt-fat32: backup header checked" '^GPT: backup header at LBA 131071: ok$'
wb_expect_out "gpt-fat32: PE details" '^\\EFI\\BOOT\\BOOTAA64.EFI: [0-9]+ bytes, PE32\+ arm64 \(0xaa64\), EFI application \(subsystem 10\)'
insp missing-file 1 'verdict (x86_64): \EFI\BOOT\BOOTX64.EFI is missing on the ESP' "$D/g32.img" --arch x86_64

# 2. GPT + FAT16, both architectures' files; a distribution path with a long name
gpt_img "$D/g16.img" 16
put "$D/g16.img" 1M "$AA64" /EFI/BOOT/BOOTAA64.EFI
put "$D/g16.img" 1M "$X64" /EFI/BOOT/BOOTX64.EFI
mmd -i "$D/g16.img@@1M" ::/EFI/debian
put "$D/g16.img" 1M "$AA64" /EFI/debian/grubaa64.efi
put "$D/g16.img" 1M "$X64" "/EFI/debian/Shim for x86-64 machines.efi"
insp gpt-fat16-x64 0 'verdict (x86_64): OK: \EFI\BOOT\BOOTX64.EFI is an x86_64 EFI application ('"$(stat -c %s "$X64")"' bytes)' "$D/g16.img" --arch x86_64
wb_expect_out "gpt-fat16: FAT16" '^ESP: partition 1, FAT16, label "ESP16"'
insp san-filename 0 'verdict (arm64): OK: \EFI\debian\grubaa64.efi is an arm64 EFI application ('"$(stat -c %s "$AA64")"' bytes)' "$D/g16.img" --arch arm64 --filename '\EFI\debian\grubaa64.efi'
insp long-name 0 'verdict (x86_64): OK: \efi\DEBIAN\SHIM FOR X86-64 MACHINES.EFI is an x86_64 EFI application ('"$(stat -c %s "$X64")"' bytes)' "$D/g16.img" --arch x86_64 --filename '\efi\DEBIAN\SHIM FOR X86-64 MACHINES.EFI'
# --ls: a directory of the ESP with its long names and sizes; a missing one fails
insp ls 0 'verdict (arm64): OK: \EFI\BOOT\BOOTAA64.EFI is an arm64 EFI application ('"$(stat -c %s "$AA64")"' bytes)' "$D/g16.img" --ls '\efi\debian'
wb_expect_out "ls: long name with its size" "^  ---  *$(stat -c %s "$X64")  Shim for x86-64 machines\.efi\$"
wb_expect_out "ls: 8.3 name shown lower-case (NT case flags)" "^  ---  *$(stat -c %s "$AA64")  grubaa64\.efi\$"
insp ls-missing 1 'ls \EFI\nothing: not found' "$D/g16.img" --ls '\EFI\nothing'

# 3. MBR (type 0xEF) + FAT12
truncate -s 8M "$D/mbr.img"
printf 'start=2048, size=8192, type=ef, bootable\n' | sfdisk -q "$D/mbr.img"
mkfs.vfat -F 12 -n ESP12 --offset 2048 "$D/mbr.img" 4096 >/dev/null 2>&1
mmd -i "$D/mbr.img@@1M" ::/EFI ::/EFI/BOOT
put "$D/mbr.img" 1M "$AA64" /EFI/BOOT/BOOTAA64.EFI
insp mbr-fat12 0 'verdict (arm64): OK: \EFI\BOOT\BOOTAA64.EFI is an arm64 EFI application ('"$(stat -c %s "$AA64")"' bytes)' "$D/mbr.img"
wb_expect_out "mbr-fat12: MBR partition 1 is the ESP" '^partition 1: LBA 2048-10239 \(4 MiB\) 0xEF EFI System bootable \[ESP\]$'
wb_expect_out "mbr-fat12: FAT12" '^ESP: partition 1, FAT12, label "ESP12"'

# 4. wrong-arch PE, non-PE file, an EFI driver
gpt_img "$D/bad.img" 32
put "$D/bad.img" 1M "$X64" /EFI/BOOT/BOOTAA64.EFI
insp wrong-arch 1 'verdict (arm64): \EFI\BOOT\BOOTAA64.EFI is a PE image for x86_64 (machine 0x8664), not arm64' "$D/bad.img" --arch arm64
printf '#!ipxe\necho not an EFI application\n' >"$D/script.ipxe"
put "$D/bad.img" 1M "$D/script.ipxe" /EFI/BOOT/BOOTAA64.EFI
insp not-pe 1 'verdict (arm64): \EFI\BOOT\BOOTAA64.EFI is not a PE image (PE: no MZ signature (not a PE/EFI image))' "$D/bad.img"
# the arm64 image with its Subsystem patched to 11 (EFI boot service driver)
cp "$AA64" "$D/driver.efi"
lfanew=$(od -An -tu4 -j60 -N4 "$AA64" | tr -d ' ')
printf '\x0b\x00' | dd of="$D/driver.efi" bs=1 seek=$((lfanew + 24 + 68)) conv=notrunc status=none
put "$D/bad.img" 1M "$D/driver.efi" /EFI/BOOT/BOOTAA64.EFI
insp efi-driver 1 'verdict (arm64): \EFI\BOOT\BOOTAA64.EFI is not an EFI application (subsystem 11: EFI boot service driver)' "$D/bad.img"

# 5. no partition table; no ESP; an ESP that is not FAT
truncate -s 16M "$D/blank.img"
insp no-table 1 'verdict (arm64): no partition table (no GPT header at LBA 1 and no MBR signature in sector 0)' "$D/blank.img"
truncate -s 16M "$D/noesp.img"
sgdisk -n 1:2048:0 -t 1:8300 "$D/noesp.img" >/dev/null
insp no-esp 1 'verdict (arm64): no EFI System Partition (GPT type C12A7328-F81F-11D2-BA4B-00A0C93EC93B or MBR type 0xEF)' "$D/noesp.img"
truncate -s 16M "$D/nofat.img"
sgdisk -n 1:2048:0 -t 1:EF00 "$D/nofat.img" >/dev/null
insp esp-not-fat 1 'verdict (arm64): ESP (partition 1) is not FAT: FAT: boot sector/BPB invalid (not a FAT file system)' "$D/nofat.img"

# 6. corrupted GPT: primary header only → the backup is used; both → refused
cp "$D/g32.img" "$D/gcor.img"
printf '\xff' | dd of="$D/gcor.img" bs=1 seek=$((512 + 40)) conv=notrunc status=none
insp gpt-primary-corrupt 0 'verdict (arm64): OK: \EFI\BOOT\BOOTAA64.EFI is an arm64 EFI application ('"$(stat -c %s "$AA64")"' bytes)' "$D/gcor.img"
wb_expect_out "gpt-primary-corrupt: warns and uses the backup" '^warning: GPT: primary header unusable \(GPT: header CRC32 mismatch \(header corrupted\)\); using the backup at LBA 131071$'
printf '\xff' | dd of="$D/gcor.img" bs=1 seek=$((131071 * 512 + 40)) conv=notrunc status=none
insp gpt-both-corrupt 1 'verdict (arm64): GPT damaged: primary: GPT: header CRC32 mismatch (header corrupted); backup: GPT: header CRC32 mismatch (header corrupted)' "$D/gcor.img"
# a valid GPT behind a wiped sector 0: firmware (EDK2, U-Boot) ignores it
cp "$D/g32.img" "$D/nopmbr.img"
dd if=/dev/zero of="$D/nopmbr.img" bs=512 count=1 conv=notrunc status=none
insp no-protective-mbr 1 'verdict (arm64): GPT without a protective MBR: GPT: sector 0 has no protective MBR (a type EE entry starting at LBA 1); firmware ignores such a GPT' "$D/nopmbr.img"

# 7. usage errors exit 2
"$WB" inspect "$D/g32.img" --arch mips >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then rig_pass "unknown --arch: exit 2"; else rig_fail "unknown --arch: exit 2" "exit $rc"; fi
"$WB" inspect "$D/does-not-exist.img" >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then rig_pass "missing image file: exit 2"; else rig_fail "missing image file: exit 2" "exit $rc"; fi

rig_finish
