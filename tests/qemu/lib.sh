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
QEMU_EMBEDS=()

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
	[ -z "$embed" ] || QEMU_EMBEDS+=("$embed")   # for qemu_secrets
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
	# The app prints which entropy source it uses at start (src/app/app.c): a missing
	# line is a failure.  RNG=yes (virtio-rng present): it must be the firmware's RNG
	# protocol; RNG=no: it must say that there is none.
	local ent
	ent=$(tr -d '\r' <"$log" | grep -a -m1 'entropy: ')
	if [ -z "$ent" ]; then
		rig_fail "$name-entropy-line" "no 'entropy: ' line on the console (console log: $log)"
		return 0
	fi
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

# qemu_secrets — the secrets the running QEMU test configured, one per line: QEMU_SECRETS
# (a test's own, blank-separated) and the values of every `set [SCOPE/]password` /
# `set [SCOPE/]reverse-password` in the scripts it built in (qemu_build's EMBED=) or wrote
# under RIG_DIR (served by the rig, or built in from there).  Values shorter than 8 bytes are
# left out (they occur in ordinary text).  Not covered: secrets a test would type at the
# firmware's prompt (U-Boot echoes `setenv bootargs ...` itself).
qemu_secrets() {
	local v
	{
		for v in ${QEMU_SECRETS:-}; do echo "$v"; done
		{ [ ${#QEMU_EMBEDS[@]} = 0 ] || cat "${QEMU_EMBEDS[@]}" 2>/dev/null
		  [ -z "${RIG_DIR:-}" ] || find "$RIG_DIR" -name '*.ipxe' -type f -exec cat {} + 2>/dev/null; } |
			perl "$QEMU_TOP/tests/rig/script-secrets.pl"
	} | awk 'length($0) >= 8' | sort -u
}

# qemu_check_no_secret LOG — when the test configured secrets (qemu_secrets), none of them
# may be on the console: PASS/FAIL "$NAME-no-configured-secret-on-console".
qemu_check_no_secret() {
	local log=$1 list
	list=$(qemu_secrets)
	[ -n "$list" ] || return 0
	# (a negative check: it counts only when wireboot ran on this console, its banner seen)
	if ! tr -d '\r' <"$log" 2>/dev/null | grep -Eaq 'wireboot [0-9]+\.[0-9]+\.[0-9]+[^ ]* \('; then
		rig_fail "$NAME-no-configured-secret-on-console" "no wireboot banner in $log: wireboot never ran, nothing to check"
	elif tr -d '\r' <"$log" | grep -Faq -f <(echo "$list"); then
		rig_fail "$NAME-no-configured-secret-on-console" "one on console line $(tr -d '\r' <"$log" | grep -Fan -f <(echo "$list") | head -1 | cut -d: -f1) of $log"
	else
		rig_pass "$NAME-no-configured-secret-on-console ($(echo "$list" | wc -l) looked for)"
	fi
}

# qemu_keep_log LOG — where every QEMU test finishes a console log: check it for configured
# secrets (qemu_check_no_secret), and keep it next to the build when the test failed.
qemu_keep_log() {
	qemu_check_no_secret "$1"
	[ "$RIG_FAILS" = 0 ] && return 0
	mkdir -p "$QEMU_TOP/build/test-logs"
	cp "$1" "$QEMU_TOP/build/test-logs/$(basename "$0" .sh).console.log" 2>/dev/null &&
		echo "info: console log kept in build/test-logs/$(basename "$0" .sh).console.log"
}

# ---- firmware-parameterised tests --------------------------------------------------
# qemu_fw FW — uboot-arm64 | uboot-x64 | ovmf-x64: QEMU_ARCH (aa64|x64), QEMU_FW_NEED
# (for qemu_need), QEMU_FW_TAG (short netns tag).
qemu_fw() {
	QEMU_FW=$1
	case $1 in
	uboot-arm64) QEMU_ARCH=aa64 QEMU_FW_TAG=uba QEMU_MAC=52:54:00:12:34:56 QEMU_RNG=yes
		QEMU_FW_NEED=(qemu-system-aarch64 "$UBOOT_ARM64_BIN") ;;
	# U-Boot x86 uses its default ethaddr, not QEMU's mac=; it has no EFI_RNG_PROTOCOL
	uboot-x64) QEMU_ARCH=x64 QEMU_FW_TAG=ubx QEMU_MAC=52:52:52:52:52:52 QEMU_RNG=no
		QEMU_FW_NEED=(qemu-system-x86_64 "$UBOOT_X64_ROM") ;;
	ovmf-x64) QEMU_ARCH=x64 QEMU_FW_TAG=ovmf QEMU_MAC=52:54:00:12:34:57 QEMU_RNG=yes
		QEMU_FW_NEED=(qemu-system-x86_64 "$OVMF_FD") ;;
	*) rig_die "qemu_fw: unknown firmware $1" ;;
	esac
}

# qemu_fw_boot TAP DIR — start QEMU_FW on DIR.  Sets QEMU_PRE (the steps that get
# wireboot running: U-Boot's prompt and bootefi; none for OVMF, which autoboots),
# QEMU_FIRST (seconds to allow for the first wireboot output) and QEMU_EXIT_STEP
# (what shows the firmware took over again after `exit`).
qemu_fw_boot() {
	case $QEMU_FW in
	uboot-arm64) qemu_uboot_arm64 "$1" "$2" ;;
	uboot-x64) qemu_uboot_x64 "$1" "$2" ;;
	ovmf-x64) qemu_ovmf_x64 "$1" "$2" ;;
	esac
	if [ "$QEMU_FW" = ovmf-x64 ]; then
		QEMU_PRE=() QEMU_FIRST=300
		QEMU_EXIT_STEP="expect@60:BdsDxe: (loading|starting)|Boot Manager"
	else
		qemu_uboot_steps
		QEMU_PRE=("${QEMU_STEPS[@]}") QEMU_FIRST=120
		QEMU_EXIT_STEP="expect@30:=> "
	fi
}

# qemu_check_out NAME REGEX — ERE on the console log (CRs removed) of the last run.
qemu_check_out() {
	if tr -d '\r' <"$QEMU_LOG" | grep -Eq -- "$2"; then rig_pass "$NAME-$1"
	else rig_fail "$NAME-$1" "no /$2/ on the console"; fi
}

# qemu_expect_absent ID MARKER PATTERN — a negative check that counts only once the run
# got there: PASS "$NAME-ID" when the console log (QEMU_LOG, CRs removed) shows MARKER (an
# ERE the run prints after the point PATTERN is about) and no PATTERN (ERE); FAIL when
# PATTERN is there, and FAIL when MARKER is not (QEMU or the script died first: a dead
# run proves no absence).
qemu_expect_absent() {
	if ! tr -d '\r' <"$QEMU_LOG" 2>/dev/null | grep -Eaq -- "$2"; then
		rig_fail "$NAME-$1" "no /$2/ on the console: the run never got there, so no /$3/ proves nothing"
	elif tr -d '\r' <"$QEMU_LOG" | grep -Eaq -- "$3"; then
		rig_fail "$NAME-$1" "/$3/ on the console"
	else
		rig_pass "$NAME-$1"
	fi
}

# The frame of a firmware test (qemu_image_test and the others below):
#   qemu_test_begin FW TEST [NEEDS...]  firmware facts, NAME=FW-TEST, tools, a rig
#   qemu_test_build SCRIPT [TARGETS...] wireboot.efi with EMBED=SCRIPT (+ make TARGETS);
#                                       a failed build ends the test; then a bridge + tap0
#   qemu_test_boot                      the ESP (add files to $RIG_DIR/esp before), QEMU
#                                       started; QEMU_LOG set
#   qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" ... "$QEMU_EXIT_STEP"; qemu_test_end $?
#                                       exit-to-firmware from expect.py's status, the log
#                                       kept on failure, the rig's totals
qemu_test_begin() {
	qemu_fw "$1"
	NAME=$1-$2
	qemu_need "${QEMU_FW_NEED[@]}" "${@:3}"
	rig_init "$QEMU_FW_TAG-$2"
	QEMU_T0=$(date +%s.%N)
}

qemu_test_build() {
	if ! qemu_build "$QEMU_ARCH" "$1" "$RIG_DIR/wireboot.efi" ||
	   { [ $# -gt 1 ] && ! make -s "${@:2}"; }; then
		rig_fail "$NAME-build"
		rig_finish
	fi
	rig_pass "$NAME-build"
	rig_bridge
	rig_tap tap0
	qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" "$QEMU_ARCH"
}

qemu_test_boot() {
	qemu_fw_boot tap0 "$RIG_DIR/esp"
	QEMU_LOG=$RIG_DIR/console.log
	QEMU_T1=$(date +%s.%N)
}

qemu_test_end() {
	echo "info: $NAME: QEMU run rc=$1 took $(qemu_elapsed "$QEMU_T1") s (total with build $(qemu_elapsed "$QEMU_T0") s)"
	if [ "$1" = 0 ]; then rig_pass "$NAME-exit-to-firmware"; else rig_fail "$NAME-exit-to-firmware" "expect.py rc=$1"; fi
	qemu_keep_log "$RIG_DIR/console.log"
	rig_finish
}

# qemu_image_test FW — the image commands on firmware.  wireboot (EMBED=image.ipxe)
# chains a script from the boot volume (file: URI; it runs in place and its exit
# ends only it), fetches tests/efi/hello.c's EFI application, gives it a command line
# with imgargs and starts it through LoadImage/StartImage (from memory): it prints
# its marker and the load options it received, returns, and the script goes on; a
# missing file is an error that || catches.
qemu_image_test() {
	local rc
	qemu_test_begin "$1" image
	qemu_test_build tests/qemu/image.ipxe "build/efi-$QEMU_ARCH/hello.efi"
	cp "build/efi-$QEMU_ARCH/hello.efi" tests/qemu/sub.ipxe "$RIG_DIR/esp/"
	qemu_test_boot
	qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
		"expect@$QEMU_FIRST:image-test-start" \
		"expect@60:image-test-done" \
		"expect@30:wireboot> " \
		"line:exit" \
		"$QEMU_EXIT_STEP"
	rc=$?
	qemu_check_out script-chained '^sub-script-ran$'
	qemu_expect_absent exit-ends-chained-script '^image-test-done$' 'sub-script-never'
	qemu_check_out imgstat-lists '^hello : [0-9]+ bytes \[EFI\] "first second"'
	qemu_check_out efi-started '^hello-efi-marker: started$'
	qemu_check_out efi-got-load-options '^hello-efi-args: first second$'
	qemu_check_out efi-returned '^hello-efi-marker: returning$'
	qemu_check_out script-goes-on '^after-efi rc-ok$'
	qemu_check_out chain-efi-args '^hello-efi-args: direct-args$'
	qemu_check_out missing-file-caught '^missing-caught$'
	qemu_expect_absent chain-efi '^image-test-done$' 'chain-efi-failed'
	qemu_test_end $rc
}

# qemu_https_test FW — wireboot built with EMBED=https.ipxe and TRUST=<the rig's test
# root CA> runs dhcp, then `chain https://boot.test/boot.ipxe` from nginx (ECDSA
# P-256 server certificate under an intermediate); that script prints a marker and
# chains hello.efi by a relative URI, which prints its own marker and load options
# and returns.  The console must show both markers, and nginx must have served both
# files over TLS.  On firmware without EFI_RNG_PROTOCOL (U-Boot x86_64) the banner
# must say the timer-jitter source seeds TLS.  nginx (server preference off, as by
# its default, and ChaCha20-Poly1305 and AES-GCM both enabled) takes the client's
# first suite: no EFI build runs AES on AES instructions (BearSSL has no arm64 AES
# code; the x86_64 build has no AES-NI), so wireboot must offer ChaCha20-Poly1305
# first and the records run on BearSSL's ChaCha20 ct and Poly1305 ctmulq.
qemu_https_test() {
	local rc
	qemu_test_begin "$1" https dnsmasq nginx openssl
	bash tests/rig/pki.sh "$RIG_DIR/pki" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
	QEMU_TRUST="$RIG_DIR/pki/root.pem" qemu_test_build tests/qemu/https.ipxe "build/efi-$QEMU_ARCH/hello.efi"
	# the test CA must not stay in later builds
	make -s TRUST= "build/efi-$QEMU_ARCH/wireboot.efi" >/dev/null 2>&1 || true
	rig_dnsmasq
	rig_ntp
	rig_nginx_tls web "443|$RIG_DIR/pki/good-ec.chain.pem|$RIG_DIR/pki/good-ec.key|ssl_prefer_server_ciphers off;"
	printf '#!ipxe\necho https-script-marker\nchain hello.efi from-https\necho https-script-end\n' >"$RIG_DIR/web-www/boot.ipxe"
	cp "build/efi-$QEMU_ARCH/hello.efi" "$RIG_DIR/web-www/hello.efi"
	qemu_test_boot
	qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
		"expect@$QEMU_FIRST:https-script-marker" \
		"expect@120:https-chain-returned" \
		"expect@30:wireboot> " \
		"line:exit" \
		"$QEMU_EXIT_STEP"
	rc=$?
	[ "$QEMU_FW" = uboot-x64 ] &&
		qemu_check_out entropy-is-jitter '^entropy: EFI_RNG_PROTOCOL missing; using timer-jitter'
	qemu_check_out script-over-https '^https-script-marker$'
	qemu_check_out tls-chacha20-first '^TLS: TLS 1\.2 with ECDHE-ECDSA-CHACHA20-POLY1305, boot\.test: handshake done in [0-9]+ ms; offered ChaCha20-Poly1305 first \(no AES instructions\); records: ChaCha20 ct, Poly1305 ctmulq$'
	qemu_check_out efi-over-https '^hello-efi-marker: started$'
	qemu_check_out efi-args '^hello-efi-args: from-https$'
	qemu_check_out efi-returned '^hello-efi-marker: returning$'
	qemu_check_out script-goes-on '^https-script-end$'
	rig_expect_grep "$NAME-nginx-served-script" "$RIG_DIR/web-access.log" 'GET /boot.ipxe HTTP/1.1" 200'
	rig_expect_grep "$NAME-nginx-served-efi" "$RIG_DIR/web-access.log" 'GET /hello.efi HTTP/1.1" 200'
	qemu_test_end $rc
}

# qemu_dhcp_test FW — wireboot.efi built with EMBED=dhcp.ipxe gets an address over the
# firmware's SNP from dnsmasq in the rig (on OVMF: SNP opened exclusively, which
# detaches EDK2's own network stack); the address it prints must be the one dnsmasq
# leased to the firmware's MAC, and its entropy line must match the firmware (U-Boot
# x86_64 has no EFI_RNG_PROTOCOL: it must say so and still get its address).  Then
# `exit` at the wireboot prompt must return to the firmware (U-Boot's prompt; on OVMF
# BDS starting its next boot option shows the links were shut down, SNP closed and
# the NIC handed back with ConnectController).
qemu_dhcp_test() {
	local rc
	qemu_test_begin "$1" dhcp dnsmasq
	qemu_test_build tests/qemu/dhcp.ipxe
	rig_dnsmasq
	qemu_test_boot
	qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
		"expect@$QEMU_FIRST:wireboot-ip=[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+" \
		"expect@60:wireboot> " \
		"line:exit" \
		"$QEMU_EXIT_STEP"
	rc=$?
	qemu_dhcp_check "$QEMU_LOG" "$QEMU_MAC" "$NAME" "$QEMU_RNG"
	qemu_test_end $rc
}

# qemu_tcp_test FW — bulk TCP receive must not wedge the firmware's NIC (U-Boot's
# virtio-net ring is 32 frames: wireboot's window is 24×1460 there; EDK2's is 256 KiB,
# see efi_misc.c and docs/dev/uboot-virtio-wedge.md).  A kernel-default TCP sender in
# the rig (tests/rig/tcpsend.py) serves TCP_BYTES (8 MiB) on each connection; wireboot
# (dhcp, then one `tcprecv --profile` per entry of TCP_MODES, default "0 1") must
# receive every byte with the sender's crc32 on every connection.  A mode is the
# tcp-ack-coalesce setting for that connection: 0 sends every ACK as lwIP makes it, 1
# (the default) holds pure ACKs until the next poll (src/net/ackq.h).  --profile: where
# the receive path's time went (printed as info lines, checked to be there;
# tests/bench/rxpath-bench.sh reads them).  TCP_WINDOW=BYTES (test-only, for the
# per-window measurements): `set tcp-window` before the transfers.
qemu_tcp_test() {
	local rc i l got_bytes got_crc want_crc bytes=${TCP_BYTES:-8388608} port=5001 lines prof m
	local modes=(${TCP_MODES:-0 1}) steps=()
	qemu_test_begin "$1" tcp dnsmasq
	{
		printf '%s\n' '#!ipxe' ${TCP_WINDOW:+"set tcp-window $TCP_WINDOW"} dhcp
		for i in "${!modes[@]}"; do
			printf '%s\n' "set tcp-ack-coalesce ${modes[$i]}" "tcprecv --profile 192.0.2.1 $port" \
				"echo tcp-conn$((i + 1))-done"
		done
	} >"$RIG_DIR/tcp.ipxe"
	qemu_test_build "$RIG_DIR/tcp.ipxe"
	rig_dnsmasq
	rig_bg tcpsend python3 tests/rig/tcpsend.py --port "$port" --bytes "$bytes" --count "${#modes[@]}" \
		--bind 192.0.2.1
	rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 10 || rig_die "tcpsend did not start"
	want_crc=$(awk '/^crc32/ { print $2 }' "$RIG_DIR/tcpsend.out")
	qemu_test_boot
	for i in "${!modes[@]}"; do
		steps+=("expect@$([ "$i" = 0 ] && echo $((QEMU_FIRST + 120)) || echo 240):tcp-conn$((i + 1))-done")
	done
	qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
		"${steps[@]}" \
		"expect@60:wireboot> " \
		"line:exit" \
		"$QEMU_EXIT_STEP"
	rc=$?
	mapfile -t lines < <(tr -d '\r' <"$QEMU_LOG" | grep -a '^tcprecv: .* crc32 ')
	for i in "${!modes[@]}"; do
		l=${lines[$i]:-}
		echo "info: mode ${modes[$i]}: $l"
		got_bytes=$(echo "$l" | sed -n 's/^tcprecv: \([0-9]*\) bytes.*/\1/p')
		got_crc=$(echo "$l" | sed -n 's/.*crc32 \([0-9a-fA-F]\{8\}\).*/\1/p')
		rig_expect_eq "$NAME-conn$((i + 1))-bytes" "$got_bytes" "$bytes"
		rig_expect_eq "$NAME-conn$((i + 1))-crc32" "${got_crc,,}" "$want_crc"
	done
	prof=$(tr -d '\r' <"$QEMU_LOG" | grep -a '^tcprecv: profile: ')
	printf 'info: %s\n' "$prof"
	# every frame of the transfer went through the timed path: at least bytes/1460 of them
	mapfile -t lines < <(echo "$prof" | sed -n 's/.* ms, \([0-9]*\) frames received.*, \([0-9]*\) sent, .*/\1 \2/p')
	for i in "${!modes[@]}"; do
		l=${lines[$i]:-}
		rig_check "$NAME-profile$((i + 1))" test "${l%% *}" -ge $((bytes / 1460)) 2>/dev/null
	done
	# held ACKs: a connection with mode 1 sent fewer frames than the one with mode 0 before it
	for i in "${!modes[@]}"; do
		[ "$i" -gt 0 ] && [ "${modes[$i]}" = 1 ] && [ "${modes[$((i - 1))]}" = 0 ] || continue
		l=${lines[$((i - 1))]:-}
		rig_check "$NAME-fewer-acks$((i + 1))" test "$(echo "${lines[$i]:-}" | cut -d' ' -f2)" -lt "${l##* }" 2>/dev/null
	done
	qemu_test_end $rc   # (exit-to-firmware: the NIC did not wedge)
}

# qemu_menu_test FW — the interactive console over the serial line (on OVMF through
# EDK2's terminal driver, which turns ANSI key sequences into scan codes).
# wireboot.efi built with EMBED=menu.ipxe shows a menu (3 items, a separator, a
# default, a long timeout): Down, Up, Up and Enter choose the first item (the
# separator is skipped); the same menu again is answered by its hot key.  Then the
# shell: a command typed with Left, Right and inserts; Up recalls it for a second run;
# Tab completes a command name and lists the candidates of an ambiguous prefix; `exit`
# returns to the firmware.
qemu_menu_test() {
	local rc clean up='\x1b[A' down='\x1b[B' right='\x1b[C' left='\x1b[D'
	qemu_test_begin "$1" menu
	qemu_test_build tests/qemu/menu.ipxe
	qemu_test_boot
	# (expect.py's regexes run on the raw console stream: "\r\n" line ends, ANSI escapes)
	qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
		"expect@$QEMU_FIRST:menu-test-start" \
		"expect@30:> Second item" \
		"send:$down" \
		"expect@10:> Third item" \
		"send:$up" \
		"expect@10:> Second item" \
		"send:$up" \
		"expect@10:> First item" \
		"send:$up" \
		"sleep:1" \
		"send:\\r" \
		"expect@10:chosen1=alpha" \
		"expect@30:> Second item" \
		"send:g" \
		"expect@10:chosen2=gamma" \
		"expect@30:wireboot> " \
		"line:eho edit-k${left}o${left}${left}${left}${left}${left}${left}${left}${left}${left}${left}${right}c" \
		"expect@10:\\nedit-ok\\r*\\n" \
		"expect@10:wireboot> " \
		"line:${up}2" \
		"expect@10:\\nedit-ok2\\r*\\n" \
		"expect@10:wireboot> " \
		"send:if\\t" \
		"expect@10:ifconf +ifopen +ifclose +ifstat" \
		"expect@10:wireboot> if" \
		"send:\\x15" \
		"line:ech\\ttab-ok" \
		"expect@10:\\ntab-ok\\r*\\n" \
		"expect@10:wireboot> " \
		"line:set colour blue" \
		"expect@10:wireboot> " \
		"line:show col\\t" \
		"expect@10:colour.* = blue" \
		"expect@10:wireboot> " \
		"send:\\x04" \
		"$QEMU_EXIT_STEP"
	rc=$?
	# the checks run on the console log with the ANSI escapes removed
	clean=$RIG_DIR/console.clean
	tr -d '\r' <"$QEMU_LOG" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' >"$clean"
	local QEMU_LOG=$clean
	qemu_check_out menu-drawn '^Wireboot test menu$'
	qemu_check_out menu-separator '^    ---- separator ----$'
	qemu_check_out arrows-skip-gap-choose-first '^chosen1=alpha$'
	qemu_check_out hotkey-chooses '^chosen2=gamma$'
	qemu_check_out line-editing '^edit-ok$'
	qemu_check_out history-recall '^edit-ok2$'
	qemu_check_out completion-lists-candidates 'ifconf +ifopen +ifclose +ifstat'
	qemu_check_out completion-completes '^tab-ok$'
	qemu_check_out completion-setting-name '^wireboot> show colour $'
	qemu_test_end $rc
}

# qemu_linuxboot_test FW [CASES] — direct Linux boot as iPXE scripts write it: `kernel
# https://…/vmlinuz ARGS` + `initrd https://…/…` + `boot`, Debian's own kernel (from
# scripts/deps.sh, build/deps/disk/{arm64,amd64}) and initramfs images made here with
# tests/rig/newc.py, served by nginx over HTTPS.  wireboot (built in: dhcp, then `chain
# https://boot.test/boot.ipxe`) runs one case per QEMU run (Linux powers off at the end);
# the test rewrites boot.ipxe between runs.  The kernel's EFI stub says how it got its
# initrd ("Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path" / "... from command
# line option"); /init prints "WIREBOOT-MARKER payload=OK|BAD extra=OK|BAD|absent".
#   lf2     one initrd (initrd.img, newc, 1 MiB random payload whose SHA-256 /init
#           checks); first `chain bad.efi` ("MZ" + junk: LoadImage must refuse it with
#           its own message, and withdraw what it installed), then hello.efi booted twice
#           (it must see the file system on its device handle; the second boot must
#           work), then the kernel with `… initrd=initrd.img` as iPXE users write it:
#           the stub must take the initrd by LoadFile2; extra=absent.
#   two     two initrds: the first gzip-compressed with a length that is not a multiple of
#           4, the second (`initrd --name extra.cpio`) a newc archive adding
#           /extra/second.txt, which the first's /init checks (extra=OK).  Without the
#           4-byte padding between them the kernel finds no cpio header where the second
#           starts and drops it (extra=absent).
#   sfs     `set initrd-loadfile2 0`: no LoadFile2; the command line says
#           initrd=\BOOT.IMG and the image is fetched as `initrd --name boot.img`: the stub
#           must read it from the file system on its device handle (case-insensitive,
#           leading backslash) — "Loaded initrd from command line option", payload OK.
qemu_linuxboot_test() {
	local rc case cases=${2:-lf2 two sfs} debarch console kernel bb work gzlen i extra_sha
	qemu_test_begin "$1" linuxboot dnsmasq nginx openssl gzip
	case $QEMU_ARCH in aa64) debarch=arm64 console=ttyAMA0 ;; *) debarch=amd64 console=ttyS0 ;; esac
	kernel=$(ls "build/deps/disk/$debarch/kernel/boot/"vmlinuz-* 2>/dev/null | head -1)
	bb=build/deps/disk/$debarch/busybox/bin/busybox
	[ -n "$kernel" ] && [ -x "$bb" ] || rig_die "no kernel or busybox under build/deps/disk/$debarch: run scripts/deps.sh"
	bash tests/rig/pki.sh "$RIG_DIR/pki" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
	QEMU_TRUST="$RIG_DIR/pki/root.pem" qemu_test_build tests/qemu/https.ipxe "build/efi-$QEMU_ARCH/hello.efi"
	make -s TRUST= "build/efi-$QEMU_ARCH/wireboot.efi" >/dev/null 2>&1 || true
	rig_dnsmasq
	rig_ntp
	rig_nginx_tls web "443|$RIG_DIR/pki/good-ec.chain.pem|$RIG_DIR/pki/good-ec.key"
	www=$RIG_DIR/web-www
	cp "$kernel" "$www/vmlinuz"
	cp "build/efi-$QEMU_ARCH/hello.efi" "$www/hello.efi"
	{ printf 'MZ'; head -c 4094 /dev/urandom; } >"$www/bad.efi"   # "MZ", then no PE header

	# ---- the initramfs images ----
	work=$RIG_DIR/initrd
	mkdir -p "$work"
	head -c 1048576 /dev/urandom >"$work/payload.bin"
	head -c 4099 /dev/urandom >"$work/second.txt"
	extra_sha=$(sha256sum "$work/second.txt" | cut -d' ' -f1)
	cat >"$work/init" <<INIT
#!/bin/busybox sh
bb=/bin/busybox
\$bb mount -t proc proc /proc
\$bb mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
got=\$(\$bb sha256sum /payload.bin | \$bb cut -d' ' -f1)
if [ "\$got" = "$(sha256sum "$work/payload.bin" | cut -d' ' -f1)" ]; then p=OK; else p=BAD; fi
if [ ! -e /extra/second.txt ]; then e=absent
elif [ "\$(\$bb sha256sum /extra/second.txt | \$bb cut -d' ' -f1)" = "$extra_sha" ]; then e=OK
else e=BAD; fi
echo "WIREBOOT-MARKER payload=\$p extra=\$e cmdline=\$(\$bb cat /proc/cmdline)"
\$bb poweroff -f
INIT
	python3 tests/rig/newc.py "$www/initrd.img" \
		dir:bin:755 dir:dev:755 dir:proc:755 chr:dev/console:600:5:1 \
		"file:bin/busybox:755:$bb" sym:bin/sh:busybox \
		"file:init:755:$work/init" "file:payload.bin:444:$work/payload.bin" ||
		rig_die "newc.py failed"
	# the same archive gzip'd, grown by a byte of padding inside a file until the
	# compressed length is not a multiple of 4 (what makes the 4-byte padding matter)
	for i in 0 1 2 3 4 5 6 7; do
		gzip -9nc "$www/initrd.img" >"$www/initrd-gz.img"
		gzlen=$(stat -c %s "$www/initrd-gz.img")
		[ $((gzlen % 4)) != 0 ] && break
		echo >>"$work/init"
		python3 tests/rig/newc.py "$www/initrd.img" \
			dir:bin:755 dir:dev:755 dir:proc:755 chr:dev/console:600:5:1 \
			"file:bin/busybox:755:$bb" sym:bin/sh:busybox \
			"file:init:755:$work/init" "file:payload.bin:444:$work/payload.bin"
	done
	[ $((gzlen % 4)) != 0 ] || rig_die "could not make a gzip'd initrd of a length that is not a multiple of 4"
	echo "info: $NAME: initrd.img $(stat -c %s "$www/initrd.img") bytes, initrd-gz.img $gzlen bytes (mod 4 = $((gzlen % 4)))"
	python3 tests/rig/newc.py "$www/second.cpio" dir:extra:755 "file:extra/second.txt:444:$work/second.txt" ||
		rig_die "newc.py failed"

	for case in $cases; do
		local args="console=$console loglevel=3 panic=-1 wbcase=$case"
		# U-Boot x86_64 + Debian's kernel need these whatever loads it (docs/iscsi.md,
		# "U-Boot x86_64: the kernel needs disable_mtrr_trim efi=noruntime")
		[ "$QEMU_FW" = uboot-x64 ] && args="$args ${DISK_UBOOT_X64_CMDLINE-disable_mtrr_trim efi=noruntime}"
		case $case in
		lf2) printf '%s\n' '#!ipxe' 'initrd https://boot.test/initrd.img' \
			'chain https://boot.test/bad.efi || echo bad-pe-refused' \
			'kernel https://boot.test/hello.efi first-run' 'boot' 'boot || echo second-boot-failed' \
			'echo hello-twice-done' "kernel https://boot.test/vmlinuz $args initrd=initrd.img" \
			'boot' 'echo linuxboot-returned' >"$www/boot.ipxe" ;;
		two) printf '%s\n' '#!ipxe' "kernel https://boot.test/vmlinuz $args" \
			'initrd https://boot.test/initrd-gz.img' 'initrd --name extra.cpio https://boot.test/second.cpio' \
			'imgstat' 'boot' 'echo linuxboot-returned' >"$www/boot.ipxe" ;;
		sfs) printf '%s\n' '#!ipxe' 'set initrd-loadfile2 0' "kernel https://boot.test/vmlinuz $args initrd=\\BOOT.IMG" \
			'initrd --name boot.img https://boot.test/initrd.img' 'boot' 'echo linuxboot-returned' >"$www/boot.ipxe" ;;
		*) rig_die "qemu_linuxboot_test: unknown case $case" ;;
		esac
		rm -rf "$RIG_DIR/esp"
		qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" "$QEMU_ARCH"
		qemu_test_boot
		QEMU_LOG=$RIG_DIR/console-$case.log
		qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
			"expect@$QEMU_FIRST:wireboot [0-9]+\\.[0-9]+" \
			"expect@${QEMU_LINUX_TIMEOUT:-400}:WIREBOOT-MARKER|linuxboot-returned|Kernel panic" \
			"expect@20:\\n"
		rc=$?
		cat "$QEMU_LOG" >>"$RIG_DIR/console.log"
		echo "info: $NAME-$case: QEMU run rc=$rc took $(qemu_elapsed "$QEMU_T1") s"
		[ "$rc" = 0 ] && rig_pass "$NAME-$case-ran" || rig_fail "$NAME-$case-ran" "expect.py rc=$rc (log $QEMU_LOG)"
		qemu_check_out "$case-cmdline-as-load-options" "WIREBOOT-MARKER .*cmdline=.*wbcase=$case"
		case $case in
		lf2)
			# an EFI application started with initrds fetched: it sees the file system on
			# its device handle, returns, and a second `boot` installs everything again
			# a bad PE: LoadImage refuses it, the message says so and what to check, and
			# the handles installed for it are gone (the next boot installs them again)
			qemu_check_out lf2-bad-pe-named '^image: the firmware.s LoadImage refused it as a PE image \(EFI_(LOAD_ERROR|UNSUPPORTED)'
			qemu_check_out lf2-bad-pe-what-to-do 'chain: image: the firmware.s LoadImage refused it as a PE/COFF image: is it an EFI application .*for this CPU'
			qemu_check_out lf2-bad-pe-caught '^bad-pe-refused$'
			rig_expect_eq "$NAME-lf2-hello-twice-sees-fs" \
				"$(tr -d '\r' <"$QEMU_LOG" | grep -c '^hello-efi-device: file system$')" 2
			qemu_expect_absent lf2-second-boot-works '^hello-twice-done$' 'second-boot-failed'
			qemu_check_out lf2-wireboot-says '^image: initrd: 1 image, [0-9]+ bytes, by LoadFile2'
			qemu_check_out lf2-stub-used-loadfile2 'Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path'
			qemu_check_out lf2-marker '^WIREBOOT-MARKER payload=OK extra=absent ' ;;
		two)
			qemu_check_out two-imgstat-initrd '^extra\.cpio : [0-9]+ bytes \[data\] \[INITRD\]'
			qemu_check_out two-wireboot-says '^image: initrd: 2 images, [0-9]+ bytes, by LoadFile2'
			qemu_check_out two-stub-used-loadfile2 'Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path'
			qemu_check_out two-marker-second-initrd-seen '^WIREBOOT-MARKER payload=OK extra=OK ' ;;
		sfs)
			qemu_check_out sfs-wireboot-says '^image: initrd: 1 image, [0-9]+ bytes, by name only'
			qemu_expect_absent sfs-no-loadfile2 'WIREBOOT-MARKER' 'LINUX_EFI_INITRD_MEDIA_GUID'
			qemu_check_out sfs-stub-used-cmdline 'Loaded initrd from command line option'
			qemu_check_out sfs-marker '^WIREBOOT-MARKER payload=OK extra=absent ' ;;
		esac
	done
	rig_expect_grep "$NAME-nginx-served-kernel" "$RIG_DIR/web-access.log" 'GET /vmlinuz HTTP/1.1" 200'
	qemu_keep_log "$RIG_DIR/console.log"
	echo "info: $NAME: total $(qemu_elapsed "$QEMU_T0") s"
	rig_finish
}
