#!/bin/bash
# tests/rig/mkdisk.sh ARCH [OUT.img] [--root] — the test disk image wireboot SAN-boots
# (docs/dev/testdisk.md).  ARCH: arm64 | x86_64.  OUT defaults to build/disk/test-ARCH.img.
#
# --root: the diskless-root variant (docs/diskless.md; OUT defaults to
# build/disk/test-ARCH-root.img; needs tests/rig/rootdeps.sh ARCH first): the initramfs
# carries iscsistart, its libraries and the iSCSI/virtio-net/ext4 modules instead of the
# payload, logs in to the target named on the kernel command line (or, when it names
# none, in the firmware's iBFT: DISK_ROOT_FROM below), finds partition 2 by
# its PARTUUID, mounts it and switch_roots to its /sbin/init, which prints
# "WIREBOOT-ROOT marker root=DEV fstype=ext4 from=iscsi|other", appends a line to
# /var/lib/wireboot/boots, prints "WIREBOOT-ROOT boots=N last=<the previous line|none>"
# and powers off.  Partition 2 (Linux filesystem, PARTUUID $root_partuuid below) is an
# ext4 file system made from a folder with mkfs.ext4 -d.  Knobs (with the defaults
# tests/rig/sanboot.sh uses): DISK_ROOT_PORTAL (192.0.2.1), DISK_ROOT_TARGET
# (iqn.2026-11.test.wireboot:disk), DISK_ROOT_INITIATOR (iqn.2026-11.test.wireboot:linux),
# DISK_ROOT_CHAP (wbinit:init-secret-2026), DISK_ROOT_RCHAP (wbtarget:target-secret-26;
# empty: one-way CHAP), DISK_ROOT_MIB (size of partition 2, default 32).
# DISK_ROOT_FROM: where /init takes the target from — cmdline (the default for arm64:
# the DISK_ROOT_* names, initiator and secrets go on the kernel command line as
# wireboot.iscsi= wireboot.initiator= wireboot.chap= wireboot.rchap=) or ibft (the default
# for x86_64: the command line names no target, only the console and root=PARTUUID=;
# /init logs in with `iscsistart -b` to what the firmware's iBFT names, see
# docs/diskless.md; the DISK_ROOT_PORTAL..RCHAP knobs are then unused).
#
# GPT disk, partition 1 = EFI System Partition (FAT32) holding
#   \EFI\BOOT\BOOTAA64.EFI (BOOTX64.EFI)  GRUB (grub-mkstandalone) with an embedded grub.cfg
#   \boot\vmlinuz                         Debian's kernel
#   \boot\initrd.img                      newc initramfs: static busybox, /init, and a 32 MiB
#                                         random payload whose SHA-256 /init checks
# /init prints exactly one line "WIREBOOT-MARKER payload=OK|BAD sha256=<hex>" and powers
# off; before it "WIREBOOT-IBFT present tables=N bytes=N target=IQN initiator=IQN
# chap=0|1|2" when the firmware left iSCSI Boot Firmware Tables in ACPI (the first one's
# facts), else "WIREBOOT-IBFT absent"; on x86_64, whose initramfs also holds Linux's iscsi_ibft
# module (from tests/rig/rootdeps.sh), "WIREBOOT-KIBFT FIELD=VALUE" lines: the table as that driver reads it.  OUT.info gets the facts as key=value lines (payload_sha256, sizes, layout).
#
# Built from the packages scripts/deps.sh unpacks into build/deps/disk/ (no network
# here), with no loop devices, no mounts and nothing that needs root: the FAT file
# system is made in a file (mkfs.vfat + mtools), the GPT with sgdisk on the image file,
# and the ESP is copied into place with dd.
#
# Cached: a build is reused while this script, newc.py, the package versions and the
# knobs below are unchanged (a cached call costs a few milliseconds).
# Knobs: GRUB_TIMEOUT (menu timeout in s, default 2), GRUB_TIMEOUT_STYLE (countdown:
#        the default, the menu appears on Esc; menu: drawn at once, which costs ~16 s
#        under TCG on OVMF with a VGA console), DISK_PAYLOAD_MIB (default 32),
#        DISK_CMDLINE_EXTRA (appended to the kernel command line),
#        DISK_KERNEL_GZIP=1 (store the kernel gzip -9 compressed; GRUB's gzio module
#        inflates it while loading: arm64's 31 MiB Image becomes ~11 MiB, at the cost
#        of a few seconds of inflating under TCG).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "mkdisk: error: $*" >&2; exit 1; }

arch=${1:-}
root=0
out=""
for a in "${@:2}"; do
	case $a in
	--root) root=1 ;;
	-*) die "unknown option $a" ;;
	*) out=$a ;;
	esac
done
case $arch in
arm64) debarch=arm64 grubfmt=arm64-efi bootefi=BOOTAA64.EFI console=ttyAMA0 ;;
x86_64) debarch=amd64 grubfmt=x86_64-efi bootefi=BOOTX64.EFI console=ttyS0 ;;
*) die "usage: mkdisk.sh arm64|x86_64 [OUT.img] [--root]" ;;
esac
if [ -z "$out" ]; then
	if [ $root = 1 ]; then out=$top/build/disk/test-$arch-root.img; else out=$top/build/disk/test-$arch.img; fi
fi
case $out in /*) ;; *) out=$PWD/$out ;; esac
GRUB_TIMEOUT=${GRUB_TIMEOUT:-2}
GRUB_TIMEOUT_STYLE=${GRUB_TIMEOUT_STYLE:-countdown}
DISK_PAYLOAD_MIB=${DISK_PAYLOAD_MIB:-32}
DISK_CMDLINE_EXTRA=${DISK_CMDLINE_EXTRA:-}
DISK_KERNEL_GZIP=${DISK_KERNEL_GZIP:-0}
case $GRUB_TIMEOUT_STYLE in menu | countdown | hidden) ;; *) die "GRUB_TIMEOUT_STYLE: menu, countdown or hidden" ;; esac
case $GRUB_TIMEOUT in '' | *[!0-9]*) die "GRUB_TIMEOUT must be a number of seconds" ;; esac
case $DISK_KERNEL_GZIP in 0 | 1) ;; *) die "DISK_KERNEL_GZIP must be 0 or 1" ;; esac
case $DISK_PAYLOAD_MIB in '' | *[!0-9]* | 0) die "DISK_PAYLOAD_MIB must be a positive number" ;; esac

deps=$top/build/deps/disk/$debarch
[ -s "$deps/versions" ] || die "$deps/versions missing: run scripts/deps.sh"
grubdir=$deps/grub/usr/lib/grub/$grubfmt
kernel=$(ls "$deps"/kernel/boot/vmlinuz-* 2>/dev/null | head -1)
busybox=$deps/busybox/bin/busybox
[ -d "$grubdir" ] || die "$grubdir missing: run scripts/deps.sh"
[ -n "$kernel" ] || die "no vmlinuz in $deps/kernel/boot: run scripts/deps.sh"
[ -x "$busybox" ] || die "$busybox missing: run scripts/deps.sh"
for t in grub-mkstandalone sgdisk mkfs.vfat mcopy mmd python3 sha256sum; do
	command -v "$t" >/dev/null || die "$t missing: run scripts/deps.sh"
done

cmdline="console=$console quiet loglevel=3 panic=-1${DISK_CMDLINE_EXTRA:+ $DISK_CMDLINE_EXTRA}"

# ---- diskless root (--root) -------------------------------------------------------------
root_partuuid=57495245-424f-4f54-8000-000000000003
root_fsuuid=57495245-424f-4f54-8000-000000000004
rootdeps=$deps/root
# Linux's own iBFT reader (iscsi_boot_sysfs, iscsi_ibft) for the plain x86_64 image, from
# the modules tests/rig/rootdeps.sh took out of the same kernel package; none on arm64
# (no ACPI on U-Boot, so no iBFT to read)
ibftmods=()
if [ $root = 0 ] && [ "$debarch" = amd64 ]; then
	ibftmods=("$rootdeps/modules/iscsi_boot_sysfs.ko" "$rootdeps/modules/iscsi_ibft.ko")
	[ -f "${ibftmods[0]}" ] && [ -f "${ibftmods[1]}" ] || die "$rootdeps/modules has no iscsi_ibft: run tests/rig/rootdeps.sh amd64"
fi
if [ $root = 1 ]; then
	DISK_ROOT_PORTAL=${DISK_ROOT_PORTAL:-192.0.2.1}
	DISK_ROOT_TARGET=${DISK_ROOT_TARGET:-iqn.2026-11.test.wireboot:disk}
	DISK_ROOT_INITIATOR=${DISK_ROOT_INITIATOR:-iqn.2026-11.test.wireboot:linux}
	DISK_ROOT_CHAP=${DISK_ROOT_CHAP-wbinit:init-secret-2026}
	DISK_ROOT_RCHAP=${DISK_ROOT_RCHAP-wbtarget:target-secret-26}
	DISK_ROOT_MIB=${DISK_ROOT_MIB:-32}
	case $DISK_ROOT_MIB in '' | *[!0-9]* | 0) die "DISK_ROOT_MIB must be a positive number" ;; esac
	for v in DISK_ROOT_PORTAL DISK_ROOT_TARGET DISK_ROOT_INITIATOR DISK_ROOT_CHAP DISK_ROOT_RCHAP; do
		case ${!v} in *[[:space:]\'\"\$\;]*) die "$v must not contain blanks, quotes, \$ or ;" ;; esac
	done
	case $DISK_ROOT_CHAP in '' | *:*) ;; *) die "DISK_ROOT_CHAP must be USER:SECRET" ;; esac
	case $DISK_ROOT_RCHAP in '' | *:*) ;; *) die "DISK_ROOT_RCHAP must be USER:SECRET" ;; esac
	# ---- where the target comes from (ibftroot) ----
	case $arch in x86_64) DISK_ROOT_FROM=${DISK_ROOT_FROM:-ibft} ;; *) DISK_ROOT_FROM=${DISK_ROOT_FROM:-cmdline} ;; esac
	case $DISK_ROOT_FROM in ibft | cmdline) ;; *) die "DISK_ROOT_FROM must be ibft or cmdline" ;; esac
	[ -s "$rootdeps/modules/order-ibft" ] || die "$rootdeps has no modules/order-ibft: run tests/rig/rootdeps.sh $debarch"
	# ---- end where the target comes from ----
	[ -s "$rootdeps/modules/order" ] && [ -x "$rootdeps/iscsi/iscsistart" ] ||
		die "$rootdeps incomplete: run tests/rig/rootdeps.sh $debarch"
	command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 missing (e2fsprogs)"
	if [ "$DISK_ROOT_FROM" = cmdline ]; then
		cmdline="$cmdline wireboot.iscsi=iscsi:$DISK_ROOT_PORTAL:::1:$DISK_ROOT_TARGET wireboot.initiator=$DISK_ROOT_INITIATOR"
		[ -z "$DISK_ROOT_CHAP" ] || cmdline="$cmdline wireboot.chap=$DISK_ROOT_CHAP"
		[ -z "$DISK_ROOT_RCHAP" ] || cmdline="$cmdline wireboot.rchap=$DISK_ROOT_RCHAP"
	fi
	cmdline="$cmdline root=PARTUUID=$root_partuuid"
fi

# ---- cache ---------------------------------------------------------------------------
key=$( {
	echo "arch=$arch timeout=$GRUB_TIMEOUT/$GRUB_TIMEOUT_STYLE payload=$DISK_PAYLOAD_MIB gzip=$DISK_KERNEL_GZIP cmdline=$cmdline"
	cat "$0" "$top/tests/rig/newc.py" "$deps/versions"
	if [ $root = 1 ]; then
		echo "root=1 mib=$DISK_ROOT_MIB from=$DISK_ROOT_FROM"
		cat "$top/tests/rig/mkdisk-root.sh"
		cat "$rootdeps/versions" "$rootdeps/modules/order" "$rootdeps/modules/order-ibft"
	else cat "${ibftmods[@]}" 2>/dev/null; fi
} | sha256sum | cut -c1-16)
if [ -f "$out" ] && [ -f "$out.info" ] && grep -qx "key=$key" "$out.info"; then
	exit 0
fi

mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9
# another caller may have built it while this one waited for the lock
if [ -f "$out" ] && [ -f "$out.info" ] && grep -qx "key=$key" "$out.info"; then
	exit 0
fi
echo "mkdisk: building $out ($arch, key $key)" >&2
work=$(mktemp -d "$(dirname "$out")/.mkdisk.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- initramfs -------------------------------------------------------------------------
if [ $root = 1 ]; then
	. "$top/tests/rig/mkdisk-root.sh"
else
payload=$work/payload.bin
head -c $((DISK_PAYLOAD_MIB * 1024 * 1024)) /dev/urandom >"$payload"
[ "$(stat -c %s "$payload")" = $((DISK_PAYLOAD_MIB * 1024 * 1024)) ] || die "short read from /dev/urandom"
phash=$(sha256sum "$payload" | cut -d' ' -f1)

# /init runs as PID 1.  The expected hash is part of the script; the payload is hashed
# by busybox's sha256sum.  poweroff -f: no init system to tell, QEMU exits (-no-reboot).
cat >"$work/init" <<INIT
#!/bin/busybox sh
# wireboot test disk: check the payload, print the marker, power off.
bb=/bin/busybox
\$bb mount -t proc proc /proc
\$bb mount -t sysfs sysfs /sys
\$bb mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
echo "wireboot-test: init started at \$(\$bb cut -d' ' -f1 /proc/uptime) s after kernel start"
expected=$phash
got=\$(\$bb sha256sum /payload.bin | \$bb cut -d' ' -f1)
if [ -n "\$got" ] && [ "\$got" = "\$expected" ]; then result=OK; else result=BAD; fi
echo "wireboot-test: payload hashed at \$(\$bb cut -d' ' -f1 /proc/uptime) s"
# The iBFT the firmware (wireboot) left in ACPI, if any: its size and the two names,
# read at the spec's offsets (Control at 48: initiator offset +8, target offset +12;
# Initiator name length/offset at +70/+72; Target name at +34/+36).  The table also
# holds the CHAP secrets: never print more than the names.
# Linux names a lone table iBFT, several iBFT1, iBFT2 …: count them, read the first.
n=\$(\$bb ls /sys/firmware/acpi/tables 2>/dev/null | \$bb grep -c '^iBFT')
t=/sys/firmware/acpi/tables/\$(\$bb ls /sys/firmware/acpi/tables 2>/dev/null | \$bb grep '^iBFT' | \$bb head -1)
u16() { echo \$((\$(\$bb od -An -tu2 -j"\$2" -N2 "\$1"))); }
u8() { echo \$((\$(\$bb od -An -tu1 -j"\$2" -N1 "\$1"))); }
str() { \$bb dd if="\$1" bs=1 skip="\$3" count="\$2" 2>/dev/null; }
if [ "\$n" -gt 0 ] && [ -f \$t ]; then
	ini=\$(u16 \$t 56) tgt=\$(u16 \$t 60)
	echo "WIREBOOT-IBFT present tables=\$n bytes=\$(\$bb wc -c <\$t | \$bb tr -d ' ') target=\$(str \$t \$(u16 \$t \$((tgt + 34))) \$(u16 \$t \$((tgt + 36)))) initiator=\$(str \$t \$(u16 \$t \$((ini + 70))) \$(u16 \$t \$((ini + 72)))) chap=\$(u8 \$t \$((tgt + 32)))"
else
	echo "WIREBOOT-IBFT absent"
fi
# With Linux's iBFT reader (ibftmods): what the kernel's own iBFT driver parsed (names,
# addresses, flags; chap-secret and rev-chap-name-secret are never read).
if [ -f /lib/iscsi_ibft.ko ] && \$bb insmod /lib/iscsi_boot_sysfs.ko && \$bb insmod /lib/iscsi_ibft.ko; then
	for f in initiator/initiator-name ethernet0/ip-addr ethernet0/subnet-mask ethernet0/origin \
		ethernet0/gateway ethernet0/primary-dns ethernet0/dhcp ethernet0/mac ethernet0/flags \
		target0/ip-addr target0/port target0/lun target0/chap-type target0/target-name \
		target0/chap-name target0/rev-chap-name target0/flags; do
		echo "WIREBOOT-KIBFT \$f=\$(\$bb cat /sys/firmware/ibft/\$f 2>/dev/null)"
	done
	echo "WIREBOOT-KIBFT ethernet0/device=\$(\$bb readlink -f /sys/firmware/ibft/ethernet0/device)"
fi
echo "WIREBOOT-MARKER payload=\$result sha256=\$got"
\$bb poweroff -f
INIT

kmods=()
[ ${#ibftmods[@]} = 0 ] || kmods=(dir:lib:755 "file:lib/iscsi_boot_sysfs.ko:644:${ibftmods[0]}"
	"file:lib/iscsi_ibft.ko:644:${ibftmods[1]}")
python3 "$top/tests/rig/newc.py" "$work/initrd.img" \
	dir:bin:755 dir:dev:755 dir:proc:755 dir:sys:755 dir:tmp:1777 \
	chr:dev/console:600:5:1 chr:dev/null:666:1:3 \
	"file:bin/busybox:755:$busybox" sym:bin/sh:busybox \
	"file:init:755:$work/init" \
	"file:payload.bin:444:$payload" "${kmods[@]}"
fi

# ---- GRUB ----------------------------------------------------------------------------
# grub-mkstandalone's memdisk is (memdisk) and root starts there: search the ESP by
# the kernel's file name.  The echo line lets tests see that GRUB ran.
cat >"$work/grub.cfg" <<CFG
set timeout=$GRUB_TIMEOUT
set timeout_style=$GRUB_TIMEOUT_STYLE
set default=0
search --no-floppy --set=root --file /boot/vmlinuz
menuentry "wireboot test disk ($arch)$([ $root = 0 ] || echo ', root on iSCSI')" {
	echo "wireboot-test: GRUB loading linux from \$root"
	linux /boot/vmlinuz $cmdline
	initrd /boot/initrd.img
}
CFG
mods="part_gpt fat search search_fs_file normal configfile echo linux"
[ "$DISK_KERNEL_GZIP" = 1 ] && mods="$mods gzio"
grub-mkstandalone -O "$grubfmt" -d "$grubdir" -o "$work/$bootefi" \
	--modules="$mods" --install-modules="$mods" \
	--locales="" --themes="" --fonts="" --compress=no \
	"boot/grub/grub.cfg=$work/grub.cfg" || die "grub-mkstandalone failed"

# ---- kernel ---------------------------------------------------------------------------
vmlinuz=$kernel
if [ "$DISK_KERNEL_GZIP" = 1 ]; then
	vmlinuz=$work/vmlinuz.gz
	gzip -9nc "$kernel" >"$vmlinuz"
fi

# ---- ESP (FAT32 in a file) -----------------------------------------------------------
# Size: the files + 6% (FATs, directories, slack) + 2 MiB, rounded up to whole MiB.
# FAT32 needs >= 65525 clusters: take the largest cluster (512 B .. 32 KiB) that still
# gives 65525 + 2% of them.
files_bytes=$(($(stat -c %s "$vmlinuz") + $(stat -c %s "$work/initrd.img") + $(stat -c %s "$work/$bootefi")))
esp_mib=$(((files_bytes * 106 / 100 + 2 * 1048576 + 1048575) / 1048576))
min_mib=$(((65525 * 102 / 100 * 512 + 1048575) / 1048576 + 2))
[ "$esp_mib" -ge "$min_mib" ] || esp_mib=$min_mib
esp_bytes=$((esp_mib * 1048576))
spc=1
while [ $spc -lt 64 ] && [ $((esp_bytes / (512 * spc * 2))) -ge $((65525 * 102 / 100)) ]; do
	spc=$((spc * 2))
done
esp=$work/esp.img
truncate -s "$esp_bytes" "$esp"
# fixed volume id and label: the image differs between builds only in the payload
mkfs.vfat -F 32 -S 512 -s "$spc" -i 57425442 -n WIREBOOT "$esp" >"$work/mkfs.log" 2>&1 ||
	die "mkfs.vfat failed: $(cat "$work/mkfs.log")"
export MTOOLS_SKIP_CHECK=1
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/boot
mcopy -i "$esp" "$work/$bootefi" "::/EFI/BOOT/$bootefi"
mcopy -i "$esp" "$vmlinuz" ::/boot/vmlinuz
mcopy -i "$esp" "$work/initrd.img" ::/boot/initrd.img

# ---- GPT disk --------------------------------------------------------------------------
# 1 MiB before the ESP (protective MBR, primary GPT, alignment), 1 MiB after (backup GPT).
esp_lba=2048
esp_sectors=$((esp_bytes / 512))
img_bytes=$((esp_bytes + 2 * 1048576))
rootpart=()
if [ $root = 1 ]; then
	# partition 2 right after the ESP (both whole MiB): Linux filesystem, fixed PARTUUID
	root_lba=$((esp_lba + esp_sectors))
	root_sectors=$((DISK_ROOT_MIB * 2048))
	img_bytes=$((img_bytes + DISK_ROOT_MIB * 1048576))
	rootpart=(-n "2:$root_lba:+$root_sectors" -t 2:8300 -c "2:wireboot root" -u "2:$root_partuuid")
fi
img=$work/disk.img
truncate -s "$img_bytes" "$img"
sgdisk --disk-guid=57495245-424f-4f54-8000-000000000001 \
	-n "1:$esp_lba:+$esp_sectors" -t 1:ef00 -c "1:EFI System" \
	-u 1:57495245-424f-4f54-8000-000000000002 "${rootpart[@]}" "$img" >"$work/sgdisk.log" 2>&1 ||
	die "sgdisk failed: $(cat "$work/sgdisk.log")"
dd if="$esp" of="$img" bs=1M seek=1 conv=notrunc status=none
if [ $root = 1 ]; then
	dd if="$work/root.ext4" of="$img" bs=512 seek="$root_lba" conv=notrunc status=none
	sgdisk -i 2 "$img" 2>/dev/null | grep -qi "unique GUID: $root_partuuid" ||
		die "partition 2 of $img does not have PARTUUID $root_partuuid"
fi
sgdisk -v "$img" >"$work/verify.log" 2>&1 || die "sgdisk -v: $(cat "$work/verify.log")"
sgdisk -p "$img" 2>/dev/null | grep -Eq "^ +1 +$esp_lba +$((esp_lba + esp_sectors - 1)) .* EF00 " ||
	die "the GPT on $img does not have the ESP as partition 1: $(sgdisk -p "$img" 2>&1)"

{
	echo "key=$key"
	echo "arch=$arch"
	echo "image_bytes=$img_bytes"
	echo "image_sha256=$(sha256sum "$img" | cut -d' ' -f1)"
	echo "partition_table=gpt"
	echo "esp_partition=1"
	echo "esp_start_lba=$esp_lba"
	echo "esp_sectors=$esp_sectors"
	echo "esp_bytes=$esp_bytes"
	echo "esp_fs=fat32"
	echo "esp_cluster_bytes=$((spc * 512))"
	echo "esp_bootloader=/EFI/BOOT/$bootefi"
	echo "grub_efi_bytes=$(stat -c %s "$work/$bootefi")"
	echo "grub_timeout=$GRUB_TIMEOUT"
	echo "grub_timeout_style=$GRUB_TIMEOUT_STYLE"
	echo "kernel=$(basename "$kernel")"
	echo "kernel_bytes=$(stat -c %s "$kernel")"
	echo "kernel_gzip=$DISK_KERNEL_GZIP"
	echo "vmlinuz_bytes=$(stat -c %s "$vmlinuz")"
	echo "initrd_bytes=$(stat -c %s "$work/initrd.img")"
	# the CHAP secrets stay in the image's grub.cfg only
	echo "cmdline=$(echo "$cmdline" | sed 's/\(wireboot\.r\{0,1\}chap=[^: ]*:\)[^ ]*/\1<secret>/g')"
	if [ $root = 1 ]; then
		echo "root_from=$DISK_ROOT_FROM"
		echo "root_partition=2"
		echo "root_start_lba=$root_lba"
		echo "root_sectors=$root_sectors"
		echo "root_partuuid=$root_partuuid"
		echo "root_fs=ext4"
		echo "root_fsuuid=$root_fsuuid"
		sed 's/^/package:/' "$rootdeps/versions"
	else
		echo "payload_bytes=$((DISK_PAYLOAD_MIB * 1048576))"
		echo "payload_sha256=$phash"
	fi
	sed 's/^/package:/' "$deps/versions"
} >"$work/info"
mv "$img" "$out"
mv "$work/info" "$out.info"
echo "mkdisk: $out: $((img_bytes / 1048576)) MiB, ESP $esp_mib MiB (FAT32, $((spc * 512))-byte clusters)" >&2
