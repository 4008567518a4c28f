# tests/rig/disk.sh — the test disk image (tests/rig/mkdisk.sh, docs/dev/testdisk.md) in
# QEMU tests.  Sourced by bash after tests/qemu/lib.sh (which sources tests/rig/rig.sh).
#
#   disk_image ARCH [--root]      build or reuse build/disk/test-ARCH.img (--root: the
#                                 diskless-root variant test-ARCH-root.img): DISK_IMG
#   disk_image x86_64 --uboot     test-x86_64-uboot.img: the same with DISK_UBOOT_X64_CMDLINE
#                                 on the kernel command line (U-Boot x86_64, see below)
#   disk_info KEY [IMG]           a value from IMG.info (default DISK_IMG)
#   disk_uboot_arm64 IMG          QEMU_CMD: U-Boot qemu_arm64, IMG as virtio-blk, no NIC
#   disk_ovmf_x64 IMG             QEMU_CMD: OVMF x86_64 (q35), IMG as virtio-blk, no NIC
#   disk_uboot_x64 IMG            QEMU_CMD: U-Boot qemu-x86_64 (i440fx), IMG as virtio-blk
#   disk_boot LOG STEP...         run QEMU_CMD (qemu_drive) and time the console lines:
#                                 DISK_RC, DISK_T_GRUB, DISK_T_MARKER (s since QEMU start),
#                                 DISK_T_BOOTEFI (s since QEMU start to U-Boot's echo of the
#                                 first typed `bootefi` command, when there is one)
#   disk_root_put IMG PATH TEXT   write TEXT (+ newline) as the file PATH into partition 2
#                                 (ext4) of IMG, a copy of the --root image (debugfs -w)
#   disk_marker_check NAME LOG [IMG]  PASS/FAIL lines: GRUB ran, exactly one marker,
#                                 payload=OK with the hash IMG.info says
#
# The marker /init prints: "WIREBOOT-MARKER payload=OK|BAD sha256=<hex>"; GRUB prints
# "wireboot-test: GRUB loading linux" just before it loads the kernel.

DISK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DISK_IMG=""
DISK_RC=""
DISK_T_GRUB=""
DISK_T_MARKER=""
DISK_T_BOOTEFI=""
DISK_BOOTEFI_RE='=> bootefi '
DISK_GRUB_RE='wireboot-test: GRUB loading linux'
DISK_MARKER_RE='WIREBOOT-MARKER payload=[A-Z]+ sha256=[0-9a-f]*'
# U-Boot 2023.01 qemu-x86_64 hands Linux a machine that Debian's kernel cannot boot on
# without two parameters (docs/iscsi.md "U-Boot x86_64"; the same with a local disk):
#  - its variable MTRRs cover only the boot ROM (default type uncached), so Linux's
#    mtrr_trim_uncached_memory() drops all of RAM and panics before the console is up
#    ("Cannot find place for new RAMDISK"): disable_mtrr_trim;
#  - its SetVirtualAddressMap() runs code and touches data outside the regions its
#    memory map marks as runtime, and page-faults in Linux's EFI page tables
#    (efi_enter_virtual_mode): efi=noruntime (Linux then uses no EFI runtime service).
DISK_UBOOT_X64_CMDLINE=${DISK_UBOOT_X64_CMDLINE-disable_mtrr_trim efi=noruntime}
# what Linux prints when /init's poweroff -f finds no way to power off (U-Boot x86_64:
# no ACPI S5, so the kernel halts and QEMU keeps running)
DISK_HALT_RE='reboot: System halted'

# disk_image ARCH — arm64 | x86_64.  mkdisk.sh caches: ~0 s when nothing changed.
disk_image() {
	if [ "${2:-}" = --root ]; then
		DISK_IMG=$DISK_TOP/build/disk/test-$1-root.img
		bash "$DISK_TOP/tests/rig/mkdisk.sh" "$1" "$DISK_IMG" --root ||
			rig_die "tests/rig/mkdisk.sh $1 --root failed (scripts/deps.sh run? see above)"
		return 0
	fi
	if [ "${2:-}" = --uboot ]; then
		DISK_IMG=$DISK_TOP/build/disk/test-$1-uboot.img
		DISK_CMDLINE_EXTRA="$DISK_UBOOT_X64_CMDLINE${DISK_CMDLINE_EXTRA:+ $DISK_CMDLINE_EXTRA}" \
			bash "$DISK_TOP/tests/rig/mkdisk.sh" "$1" "$DISK_IMG" ||
			rig_die "tests/rig/mkdisk.sh $1 (for U-Boot x86_64) failed (scripts/deps.sh run? see above)"
		return 0
	fi
	DISK_IMG=$DISK_TOP/build/disk/test-$1.img
	bash "$DISK_TOP/tests/rig/mkdisk.sh" "$1" "$DISK_IMG" ||
		rig_die "tests/rig/mkdisk.sh $1 failed (scripts/deps.sh run? see above)"
}

# disk_info KEY [IMG]
disk_info() {
	local img=${2:-$DISK_IMG}
	sed -n "s/^$1=//p" "$img.info" | head -1
}

# disk_uboot_arm64 IMG — the same machine as qemu_uboot_arm64 without a network: the
# image read-only as a virtio-mmio disk.  U-Boot's autoboot (distro boot) finds
# \EFI\BOOT\BOOTAA64.EFI on it by itself.
disk_uboot_arm64() {
	QEMU_CMD=(ip netns exec "$RIG_NS" qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1024
		-nographic -no-reboot -nic none -bios "$UBOOT_ARM64_BIN"
		-device virtio-rng-device
		-drive "if=none,id=d0,format=raw,readonly=on,file=$1"
		-device virtio-blk-device,drive=d0)
}

# disk_ovmf_x64 IMG — the same machine as qemu_ovmf_x64 without a network; OVMF boots
# \EFI\BOOT\BOOTX64.EFI from the disk (bootindex=0).
disk_ovmf_x64() {
	QEMU_CMD=(ip netns exec "$RIG_NS" qemu-system-x86_64 -M q35 -m 512
		-nographic -no-reboot -nic none -bios "$OVMF_FD"
		-device virtio-rng-pci
		-drive "if=none,id=d0,format=raw,readonly=on,file=$1"
		-device virtio-blk-pci,drive=d0,bootindex=0)
}

# disk_uboot_x64 IMG — qemu_uboot_x64's machine without a network, IMG read-only as
# virtio-blk-pci.  U-Boot x86's autoboot does not look at virtio: DISK_PRE holds the
# steps that stop it, scan virtio and start \EFI\BOOT\BOOTX64.EFI with bootefi.
disk_uboot_x64() {
	QEMU_CMD=(ip netns exec "$RIG_NS" qemu-system-x86_64 -m 512
		-nographic -no-reboot -nic none -bios "$UBOOT_X64_ROM"
		-drive "if=none,id=d0,format=raw,readonly=on,file=$1"
		-device virtio-blk-pci,drive=d0)
	DISK_PRE=(
		"expect@60:Hit any key to stop autoboot"
		"send: "
		"expect@20:=> "
		"line:virtio scan"
		"expect@20:=> "
		"line:load virtio 0:1 \${kernel_addr_r} EFI/BOOT/BOOTX64.EFI"
		"expect@30:bytes read.*\\n.*=> "
		"line:bootefi \${kernel_addr_r}"
	)
}

# disk_boot LOG STEP... — qemu_drive with the console echoed into a line reader that
# notes when the GRUB line and the marker appear (seconds since QEMU was started, one
# decimal).  DISK_SHOW=1 also prints the console as it comes (make demo); with an
# "interact" step and a terminal on stdin and stdout, QEMU's console is the terminal's.
# Sets DISK_RC (expect.py's status), DISK_T_GRUB and DISK_T_MARKER (empty when the line
# never came).
disk_boot() {
	local log=$1; shift
	local t0 stamps=$RIG_DIR/disk-stamps.$$
	: >"$stamps"
	t0=$(date +%s.%N)
	if [ -t 0 ] && [ -t 1 ] && [[ " $* " == *" interact "* ]]; then
		# the console goes to the user's terminal as it is (no line reader, no timings)
		QEMU_ECHO=1 qemu_drive "$log" "$@"
		DISK_RC=$? DISK_T_GRUB="" DISK_T_MARKER="" DISK_T_BOOTEFI=""
		return 0
	fi
	QEMU_ECHO=1 qemu_drive "$log" "$@" | {
		local line show
		while IFS= read -r line; do
			# (without the shell's cursor position query ESC [6n: no terminal answers it here,
			# and a terminal showing this would answer into the user's next prompt)
			if [ "${DISK_SHOW:-0}" = 1 ]; then
				show=${line%$'\r'}
				printf '%s\n' "${show//$'\e[6n'/}"
			fi
			if [[ $line =~ $DISK_BOOTEFI_RE ]]; then
				echo "bootefi $(qemu_elapsed "$t0")" >>"$stamps"
			fi
			if [[ $line =~ $DISK_GRUB_RE ]]; then
				echo "grub $(qemu_elapsed "$t0")" >>"$stamps"
			fi
			if [[ $line =~ $DISK_MARKER_RE ]]; then
				echo "marker $(qemu_elapsed "$t0")" >>"$stamps"
			fi
		done
	}
	DISK_RC=${PIPESTATUS[0]}
	DISK_T_GRUB=$(awk '$1 == "grub" {print $2; exit}' "$stamps")
	DISK_T_MARKER=$(awk '$1 == "marker" {print $2; exit}' "$stamps")
	DISK_T_BOOTEFI=$(awk '$1 == "bootefi" {print $2; exit}' "$stamps")
}

# disk_bootefi_to_marker — seconds from U-Boot's `bootefi` echo to the marker (one
# decimal), empty when either never came
disk_bootefi_to_marker() {
	[ -n "$DISK_T_BOOTEFI" ] && [ -n "$DISK_T_MARKER" ] &&
		awk -v a="$DISK_T_BOOTEFI" -v b="$DISK_T_MARKER" 'BEGIN { printf "%.1f", b - a }'
}

# disk_root_put IMG PATH TEXT — a file in the root file system of IMG (a copy of the
# --root image: its .info must sit next to it, for root_start_lba), e.g. the mode file
# /etc/wireboot/mode that the root's /sbin/init reads.  debugfs works on the image file
# at the partition's offset (its unix I/O manager's "?offset=" option): no loop device,
# no mount; the file's parent directory must exist.  The cached image is never touched.
disk_root_put() {
	local img=$1 path=$2 lba tmp got
	case $img in "$DISK_TOP"/build/disk/*) rig_die "disk_root_put: $img is the cached image, not a copy" ;; esac
	lba=$(disk_info root_start_lba "$img")
	[ -n "$lba" ] || rig_die "disk_root_put: $img.info has no root_start_lba (not a --root image?)"
	command -v debugfs >/dev/null || rig_die "debugfs missing (e2fsprogs)"
	tmp=$(mktemp) || rig_die "mktemp failed"
	printf '%s\n' "$3" >"$tmp"
	debugfs -w -R "rm $path" "$img?offset=$((lba * 512))" >/dev/null 2>&1   # when it exists
	debugfs -w -R "write $tmp $path" "$img?offset=$((lba * 512))" >"$tmp.log" 2>&1
	got=$(debugfs -R "cat $path" "$img?offset=$((lba * 512))" 2>/dev/null)
	rm -f "$tmp"
	[ "$got" = "$3" ] || { cat "$tmp.log" >&2; rm -f "$tmp.log"; rig_die "disk_root_put: could not write $path into partition 2 of $img"; }
	rm -f "$tmp.log"
}

# disk_marker_check NAME LOG [IMG] — the verdict on a boot's console log.
disk_marker_check() {
	local name=$1 log=$2 img=${3:-$DISK_IMG} want markers n got
	want=$(disk_info payload_sha256 "$img")
	if tr -d '\r' <"$log" | grep -Eaq "$DISK_GRUB_RE"; then
		rig_pass "$name-grub-ran"
	else
		rig_fail "$name-grub-ran" "no '$DISK_GRUB_RE' line on the console"
	fi
	markers=$(tr -d '\r' <"$log" | grep -Eao "$DISK_MARKER_RE")
	n=$(printf '%s' "$markers" | grep -c WIREBOOT-MARKER)
	if [ "$n" = 1 ]; then
		rig_pass "$name-one-marker"
	else
		rig_fail "$name-one-marker" "$n marker lines on the console (want exactly 1)"
	fi
	got=$(printf '%s\n' "$markers" | head -1)
	echo "info: $name: marker: ${got:-none}; payload sha256 from the image's .info: $want"
	if [ -n "$want" ] && [ "$got" = "WIREBOOT-MARKER payload=OK sha256=$want" ]; then
		rig_pass "$name-payload-ok"
	else
		rig_fail "$name-payload-ok" "want 'WIREBOOT-MARKER payload=OK sha256=$want'"
	fi
}

# disk_localdisk_test FW — uboot-arm64 | ovmf-x64 | uboot-x64: boot the test image attached locally
# as virtio-blk (the baseline the SAN boot is measured against), through the firmware's
# own removable-media boot, GRUB and Linux to the marker; the machine must then power
# off (U-Boot x86_64: the image with DISK_UBOOT_X64_CMDLINE, started by bootefi, and
# the kernel halts instead: DISK_HALT_RE).  Prints "info: NAME: boot-to-marker S s" (from QEMU's start).  DISK_GRUB_ONLY=1
# stops at GRUB's line (firmware/kernel combinations too slow to reach the marker).
# DISK_BOOTEFI=1 (uboot-arm64): instead of distro boot, start GRUB the way wireboot is
# started in the SAN boot (qemu_uboot_steps: a key stops autoboot, `virtio scan`, `load`,
# `bootefi`), and also print "bootefi-to-marker S s" (tests/bench/boot-bench.sh).
disk_localdisk_test() {
	local fw=$1 arch name log end=("wait@60") DISK_PRE=()
	case $fw in
	uboot-arm64) arch=arm64 ;;
	ovmf-x64) arch=x86_64 ;;
	uboot-x64) arch=x86_64 end=("expect@60:$DISK_HALT_RE") ;;
	*) rig_die "disk_localdisk_test: unknown firmware $fw" ;;
	esac
	name=$fw-localdisk
	case $fw in
	uboot-arm64) qemu_need qemu-system-aarch64 "$UBOOT_ARM64_BIN" ;;
	ovmf-x64) qemu_need qemu-system-x86_64 "$OVMF_FD" ;;
	uboot-x64) qemu_need qemu-system-x86_64 "$UBOOT_X64_ROM" ;;
	esac
	if [ "$fw" = uboot-x64 ]; then rig_init ld-ubx; disk_image "$arch" --uboot
	else rig_init "ld-$arch"; disk_image "$arch"; fi
	rig_pass "$name-image"
	echo "info: $name: $(basename "$DISK_IMG") $(($(disk_info image_bytes) / 1048576)) MiB, ESP $(($(disk_info esp_bytes) / 1048576)) MiB, kernel $(disk_info kernel)"
	echo "info: $name: kernel command line: $(disk_info cmdline)"
	case $fw in
	uboot-arm64) disk_uboot_arm64 "$DISK_IMG"
		if [ "${DISK_BOOTEFI:-0}" = 1 ]; then
			qemu_uboot_steps
			DISK_PRE=("${QEMU_STEPS[@]}")
			DISK_PRE[7]='line:load virtio 0:1 ${kernel_addr_r} EFI/BOOT/BOOTAA64.EFI'
		fi ;;
	ovmf-x64) disk_ovmf_x64 "$DISK_IMG" ;;
	uboot-x64) disk_uboot_x64 "$DISK_IMG" ;;
	esac
	log=$RIG_DIR/console.log
	if [ "${DISK_GRUB_ONLY:-0}" = 1 ]; then
		disk_boot "$log" "${DISK_PRE[@]}" "expect@180:$DISK_GRUB_RE"
	else
		disk_boot "$log" "${DISK_PRE[@]}" "expect@180:$DISK_GRUB_RE" "expect@${DISK_MARKER_TIMEOUT:-400}:$DISK_MARKER_RE" \
			"${end[@]}"
	fi
	echo "info: $name: expect.py rc=$DISK_RC; GRUB line at ${DISK_T_GRUB:-never} s, marker at ${DISK_T_MARKER:-never} s after QEMU start"
	if [ "${DISK_GRUB_ONLY:-0}" = 1 ]; then
		if [ -n "$DISK_T_GRUB" ]; then rig_pass "$name-grub-ran"; else rig_fail "$name-grub-ran" "rc=$DISK_RC"; fi
	else
		disk_marker_check "$name" "$log"
		[ -n "$DISK_T_MARKER" ] && echo "info: $name: boot-to-marker $DISK_T_MARKER s"
		[ -n "$(disk_bootefi_to_marker)" ] && echo "info: $name: bootefi-to-marker $(disk_bootefi_to_marker) s"
		if [ "$DISK_RC" = 0 ] && [ "$fw" = uboot-x64 ]; then
			rig_pass "$name-halted"
		elif [ "$DISK_RC" = 0 ]; then
			rig_pass "$name-powered-off"
		else
			rig_fail "$name-$([ "$fw" = uboot-x64 ] && echo halted || echo powered-off)" "expect.py rc=$DISK_RC (2: a step timed out, 3: QEMU ended before the step)"
		fi
	fi
	qemu_keep_log "$log"
	rig_finish
}
