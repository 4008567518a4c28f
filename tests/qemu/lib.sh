# tests/qemu/lib.sh — helpers for the QEMU end-to-end tests (sourced by bash).
#
#   . tests/qemu/lib.sh            (also sources tests/rig/rig.sh)
#   qemu_build aa64|x64 EMBED OUT  build wireboot.efi with EMBED=, copy it to OUT
#   qemu_esp DIR EFI aa64|x64      FAT tree: DIR/wireboot.efi, DIR/EFI/BOOT/BOOT{AA64,X64}.EFI
#   qemu_uboot_arm64 TAP DIR       sets QEMU_CMD: U-Boot arm64 (virt), DIR as a vvfat disk
#   qemu_uboot_x64 TAP DIR         sets QEMU_CMD: U-Boot x86_64, DIR as a vvfat disk
#   qemu_ovmf_x64 TAP DIR          sets QEMU_CMD: OVMF x86_64, DIR autoboots
#   qemu_drive LOG STEP...         run QEMU_CMD in the rig's netns under tests/qemu/expect.py
#   qemu_uboot_steps               STEP list up to U-Boot's prompt with wireboot loaded+started
#
# The disk is QEMU's vvfat (a FAT file system synthesised from a directory, with an
# MBR partition table: U-Boot sees partition virtio 0:1).  Nothing is mounted, no
# loop devices.  QEMU runs inside the rig's network namespace so it can open the tap;
# expect.py kills it by PID, and rig_cleanup kills anything left in the namespace.

QEMU_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$QEMU_TOP/tests/rig/rig.sh"

UBOOT_ARM64_BIN=${UBOOT_ARM64_BIN:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}
UBOOT_X64_ROM=${UBOOT_X64_ROM:-/usr/lib/u-boot/qemu-x86_64/u-boot.rom}
OVMF_FD=${OVMF_FD:-/usr/share/ovmf/OVMF.fd}
QEMU_CMD=()

# qemu_need TOOL... — fail the test early (and clearly) when something is missing.
qemu_need() {
	local t
	for t in "$@"; do
		case $t in
		/*) [ -e "$t" ] || rig_die "$t missing: run scripts/deps.sh" ;;
		*) command -v "$t" >/dev/null || rig_die "$t missing: run scripts/deps.sh" ;;
		esac
	done
	python3 -c 'import pexpect' 2>/dev/null || rig_die "python3-pexpect missing: run scripts/deps.sh"
}

# qemu_build aa64|x64 EMBED OUT — build with EMBED= (may be empty) and copy to OUT at
# once: other tests rebuild the same output with other EMBED= scripts.
qemu_build() {
	local arch=$1 embed=$2 out=$3
	# TRUST= (QEMU_TRUST) for the tests that need built-in trust anchors
	make -C "$QEMU_TOP" --no-print-directory EMBED="$embed" TRUST="${QEMU_TRUST:-}" \
		"build/efi-$arch/wireboot.efi" >"$out.build.log" 2>&1 || {
		tail -30 "$out.build.log" >&2
		return 1
	}
	cp "$QEMU_TOP/build/efi-$arch/wireboot.efi" "$out"
}

# qemu_esp DIR EFI aa64|x64 — the directory QEMU turns into a FAT disk.
qemu_esp() {
	local dir=$1 efi=$2 arch=$3 boot
	[ "$arch" = aa64 ] && boot=BOOTAA64.EFI || boot=BOOTX64.EFI
	mkdir -p "$dir/EFI/BOOT"
	cp "$efi" "$dir/wireboot.efi"
	cp "$efi" "$dir/EFI/BOOT/$boot"
}

# qemu_uboot_arm64 TAP DIR — U-Boot 2023.01 qemu_arm64, virtio-mmio NIC on TAP,
# virtio-rng (gives EFI_RNG_PROTOCOL), DIR as a read-only vvfat virtio disk.
qemu_uboot_arm64() {
	local tap=$1 dir=$2
	QEMU_CMD=(ip netns exec "$RIG_NS" qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1024
		-nographic -no-reboot -bios "$UBOOT_ARM64_BIN"
		-device virtio-rng-device
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no"
		-device virtio-net-device,netdev=n0,mac=52:54:00:12:34:56
		-drive "if=none,id=d0,format=raw,readonly=on,file=fat:$dir"
		-device virtio-blk-device,drive=d0)
}

# qemu_ovmf_x64 TAP DIR — OVMF under TCG; the NIC without QEMU's iPXE option ROM
# (romfile=) so that OVMF's own VirtioNetDxe provides SNP; DIR autoboots through
# \EFI\BOOT\BOOTX64.EFI.
qemu_ovmf_x64() {
	local tap=$1 dir=$2
	QEMU_CMD=(ip netns exec "$RIG_NS" qemu-system-x86_64 -M q35 -m 512
		-nographic -no-reboot -bios "$OVMF_FD"
		-device virtio-rng-pci
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no"
		-device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:57,romfile=
		-drive "if=none,id=d0,format=raw,readonly=on,file=fat:$dir"
		-device virtio-blk-pci,drive=d0,bootindex=0)
}

# qemu_uboot_x64 TAP DIR — U-Boot 2023.01 qemu-x86_64 (i440fx), virtio-net-pci on TAP
# (no option ROM), DIR as a vvfat virtio-blk-pci disk.  This U-Boot has no RNG driver,
# and it programs the NIC with its own default ethaddr 52:52:52:52:52:52 whatever
# MAC QEMU was given (SNP's CurrentAddress reports that one, correctly).
qemu_uboot_x64() {
	local tap=$1 dir=$2
	QEMU_CMD=(ip netns exec "$RIG_NS" qemu-system-x86_64 -m 512
		-nographic -no-reboot -bios "$UBOOT_X64_ROM"
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no"
		-device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:58,romfile=
		-drive "if=none,id=d0,format=raw,readonly=on,file=fat:$dir"
		-device virtio-blk-pci,drive=d0)
}

# qemu_drive LOG STEP... — run QEMU_CMD under expect.py; console copied to LOG.
# QEMU_ECHO=1 also shows the console on stdout.
qemu_drive() {
	local log=$1; shift
	local echo=()
	[ "${QEMU_ECHO:-0}" = 1 ] && echo=(--echo)
	python3 "$QEMU_TOP/tests/qemu/expect.py" --log "$log" --timeout "${QEMU_TIMEOUT:-60}" "${echo[@]}" \
		"$@" -- "${QEMU_CMD[@]}"
}

# qemu_uboot_steps — steps that stop U-Boot's autoboot and start wireboot.efi from
# the vvfat disk (empty bootargs so that no load options reach the app).
qemu_uboot_steps() {
	QEMU_STEPS=(
		"expect@60:Hit any key to stop autoboot"
		"send: "
		"expect@20:=> "
		"line:setenv bootargs"
		"expect@10:=> "
		"line:virtio scan"
		"expect@20:=> "
		"line:load virtio 0:1 \${kernel_addr_r} wireboot.efi"
		"expect@30:bytes read.*\\n.*=> "
		"line:bootefi \${kernel_addr_r}"
	)
}

# qemu_elapsed T0 — seconds since T0 (from date +%s.%N) with one decimal.
qemu_elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# qemu_dhcp_check LOG MAC NAME [RNG=yes|no] — the PASS/FAIL lines shared by the DHCP tests: the
# address the app printed as "wireboot-ip=A.B.C.D" must be the one dnsmasq leased to MAC.
qemu_dhcp_check() {
	local log=$1 mac=$2 name=$3 got lease
	got=$(tr -d '\r' <"$log" | grep -a -o 'wireboot-ip=[0-9.]*' | tail -1 | cut -d= -f2)
	lease=$(rig_lease_ip "$mac")
	echo "info: $name: app printed '${got}', dnsmasq leased '${lease}' to $mac"
	if [ -z "$got" ]; then
		rig_fail "$name-ip-printed" "no wireboot-ip= line (console log: $log)"
	else
		rig_pass "$name-ip-printed"
	fi
	if [ -n "$got" ] && [ "$got" = "$lease" ]; then
		rig_pass "$name-ip-matches-lease"
	else
		rig_fail "$name-ip-matches-lease" "app '${got}' vs lease '${lease}'"
	fi
	# The app may print which entropy source it uses (optional: skipped when it is
	# silent).  RNG=yes (virtio-rng present): it must be the firmware's RNG protocol;
	# RNG=no: it must say that there is none.
	local ent
	ent=$(tr -d '\r' <"$log" | grep -ai -m1 'entropy')
	[ -n "$ent" ] || return 0
	if [ "${4:-yes}" = yes ]; then
		if echo "$ent" | grep -qi 'none\|no entropy\|absent\|missing'; then
			rig_fail "$name-entropy-efi-rng" "$ent"
		elif echo "$ent" | grep -q 'EFI_RNG_PROTOCOL'; then
			rig_pass "$name-entropy-efi-rng"
		else
			rig_fail "$name-entropy-efi-rng" "$ent"
		fi
	else
		if echo "$ent" | grep -qi 'none\|no entropy\|absent\|missing'; then
			rig_pass "$name-entropy-absent-noted"
		else
			rig_fail "$name-entropy-absent-noted" "$ent"
		fi
	fi
}

# qemu_keep_log LOG — keep the console log of a failed run next to the build.
qemu_keep_log() {
	[ "$RIG_FAILS" = 0 ] && return 0
	mkdir -p "$QEMU_TOP/build/test-logs"
	cp "$1" "$QEMU_TOP/build/test-logs/$(basename "$0" .sh).console.log" 2>/dev/null &&
		echo "info: console log kept in build/test-logs/$(basename "$0" .sh).console.log"
}
