# tests/rig/sanboot.sh — the SAN boot end-to-end test body, run per firmware by thin
# scripts (tests/qemu/uboot-arm64-sanboot.sh, tests/qemu/ovmf-x64-sanboot.sh,
# tests/qemu/uboot-x64-sanboot.sh, and the
# *-diskless*.sh ones).  Sourced
# by bash after tests/qemu/lib.sh and tests/rig/disk.sh.
#
#   sanboot_e2e_test FW [diskless [static]]    FW: uboot-arm64 | ovmf-x64 | uboot-x64
#                                              (uboot-x64: not diskless)
#
#   wireboot (EMBED=tests/qemu/https.ipxe, TRUST= the rig's test root CA)
#     dhcp → chain https://boot.test/boot.ipxe (nginx, ECDSA certificate checked)
#   boot.ipxe sets the CHAP credentials and `sanboot iscsi:192.0.2.1:::1:IQN`
#     → login with mutual CHAP to tgtd, LUN 1 = the test disk (tests/rig/mkdisk.sh)
#     → EFI Block IO, the firmware binds the GPT partition and FAT32
#     → \EFI\BOOT\BOOTAA64.EFI / BOOTX64.EFI = GRUB, which reads Debian's kernel and the
#       initramfs (32 MiB payload) through our Block IO, all over iSCSI
#   Linux's EFI stub calls ExitBootServices: wireboot logs out, then the initramfs
#   checks the payload's SHA-256, prints WIREBOOT-MARKER and powers off.
#
# Checked: the HTTPS script ran, login (CHAP MD5, mutual) and "booting" lines, GRUB's
# line, exactly one marker with payload=OK and the image's hash, the iBFT (OVMF: Linux
# finds it in ACPI naming the target and our initiator; U-Boot: skipped, no ACPI;
# sanboot_ibft_check), wireboot's logout line
# at ExitBootServices and tgtd left with no connection, no secret on the console, the
# machine powered off.  Printed: seconds from QEMU's start to GRUB and to the marker.
# uboot-x64 (U-Boot qemu-x86_64): the disk is tests/rig/disk.sh's --uboot variant (its
# kernel command line has DISK_UBOOT_X64_CMDLINE, without which Linux dies on that
# firmware, docs/iscsi.md "U-Boot x86_64"); no ACPI table protocol, as on U-Boot arm64;
# no ACPI S5, so Linux halts instead of powering off (DISK_HALT_RE is waited for).
#
# diskless (docs/diskless.md): the disk is tests/rig/mkdisk.sh --root's image; its
# initramfs logs in to the same target itself (iscsistart, mutual CHAP), mounts
# partition 2 (ext4, found by PARTUUID) and its /sbin/init prints "WIREBOOT-ROOT marker
# root=/dev/sdX2 fstype=ext4 from=iscsi" and counts its boots in
# /var/lib/wireboot/boots.  Where /init takes the target from is the image's root_from
# (mkdisk.sh's DISK_ROOT_FROM): on U-Boot arm64 the kernel command line (Linux logs in
# as its own initiator name; wireboot says the firmware has no ACPI), on OVMF x86_64 the
# iBFT wireboot installed (`iscsistart -b`: Linux logs in as wireboot's initiator name,
# the command line names no target).  Checked instead of the payload and the iBFT
# fields: /init's "target from ..." line, tgtd saw Linux's own session (polled with
# tgtadm while QEMU runs), the marker, boots=1 last=none; then QEMU is started again on
# the same tgtd LUN and the second boot must print boots=2 last=<the line boot 1 wrote>
# (the write survived).  OVMF's image is built with GRUB_TIMEOUT=0 (unless set).
# diskless static (OVMF): boot.ipxe gives wireboot the static address 192.0.2.77 after
# the chain (ifclose, clear net0/dhcp-server, set net0/ip…, ifopen), so the iBFT's NIC
# says origin 1 (manual) and /init configures that address with `iscsistart -N`
# instead of asking DHCP.

# sanboot_ibft_check FW LOG TARGET-IQN — the iSCSI Boot Firmware Table as Linux sees it.
# OVMF has EFI_ACPI_TABLE_PROTOCOL: wireboot says "described to the OS by an iBFT
# (N bytes)" and the test disk's /init finds /sys/firmware/acpi/tables/iBFT, N bytes,
# naming the target and the initiator wireboot logged in as, CHAP type 2 (mutual).
# U-Boot has no ACPI: wireboot says so, sanboot goes on, /init finds no table.
# sanboot_kibft LOG FIELD WANT — /sys/firmware/ibft/FIELD as /init printed it
sanboot_kibft() {
	local got
	got=$(tr -d '\r' <"$1" | sed -n "s|^WIREBOOT-KIBFT $2=||p" | head -1)
	if [ -n "$3" ] && [ "$got" = "$3" ]; then rig_pass "$NAME-kibft-$2"
	else rig_fail "$NAME-kibft-$2" "Linux's iscsi_ibft says '$got', want '$3'"; fi
}

sanboot_ibft_check() {
	local fw=$1 log=$2 iqn=$3 ini n line
	ini=$(tr -d '\r' <"$log" | sed -n 's/^sanboot: iscsi:[^ ]*: logging in as \([^ ]*\) (from .*/\1/p' | head -1)
	case $fw in
	ovmf-x64)
		n=$(tr -d '\r' <"$log" | sed -n 's/^sanboot: drive 0x80: described to the OS by an iBFT (\([0-9]*\) bytes)$/\1/p' | head -1)
		if [ -n "$n" ]; then rig_pass "$NAME-ibft-installed"
		else rig_fail "$NAME-ibft-installed" "no 'described to the OS by an iBFT' line"; fi
		line=$(tr -d '\r' <"$log" | grep -ao 'WIREBOOT-IBFT [^[:cntrl:]]*' | head -1)
		echo "info: $NAME: initiator $ini, Linux: ${line:-no WIREBOOT-IBFT line}"
		if [ -n "$ini" ] && [ -n "$n" ] &&
			[ "$line" = "WIREBOOT-IBFT present tables=1 bytes=$n target=$iqn initiator=$ini chap=2" ]; then
			rig_pass "$NAME-ibft-seen-by-linux"
		else
			rig_fail "$NAME-ibft-seen-by-linux" "want 'WIREBOOT-IBFT present tables=1 bytes=$n target=$iqn initiator=$ini chap=2'"
		fi
		# Linux's own iBFT driver (iscsi_ibft, in the x86_64 test disk's initramfs)
		sanboot_kibft "$log" initiator/initiator-name "$ini"
		sanboot_kibft "$log" target0/target-name "$iqn"
		sanboot_kibft "$log" target0/ip-addr 192.0.2.1
		sanboot_kibft "$log" target0/port 3260
		sanboot_kibft "$log" target0/chap-type 2
		sanboot_kibft "$log" target0/chap-name wbinit
		sanboot_kibft "$log" target0/rev-chap-name wbtarget
		sanboot_kibft "$log" ethernet0/origin 3
		sanboot_kibft "$log" ethernet0/gateway 192.0.2.1
		sanboot_kibft "$log" ethernet0/subnet-mask 255.255.255.0
		sanboot_kibft "$log" ethernet0/mac "$(echo "$ini" | sed -n 's/.*:mac-\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)$/\1:\2:\3:\4:\5:\6/p')"
		if tr -d '\r' <"$log" | grep -aEq 'WIREBOOT-KIBFT ethernet0/device=/sys/devices/pci[0-9a-f:]+/[0-9a-f:.]+$'; then
			rig_pass "$NAME-kibft-nic-pci-device"
		else rig_fail "$NAME-kibft-nic-pci-device" "the NIC's PCI bus/device/function names no PCI device"; fi
		# --no-describe: drive 0x81 hooked, and nothing said about describing it
		qemu_check_out no-describe-hooked "^sanhook: drive 0x81: $iqn\$"
		# (negative checks count once the last extra hook's line is on the console)
		qemu_expect_absent no-describe-honoured '^sanunhook: drive 0x82 unhooked$' '^sanhook: drive 0x81: (described|the firmware has no)'
		# drive 0x82's iBFT, withdrawn by sanunhook (tables=1 above: only 0x80's is left)
		qemu_check_out ibft-second-drive-described '^sanhook: drive 0x82: described to the OS by an iBFT \([0-9]+ bytes\)$'
		qemu_check_out ibft-second-drive-unhooked '^sanunhook: drive 0x82 unhooked$'
		qemu_expect_absent extra-hooks '^sanunhook: drive 0x82 unhooked$' '^sanhook-failed$'
		;;
	*)
		qemu_check_out ibft-skipped-no-acpi '^sanboot: drive 0x80: the firmware has no EFI_ACPI_TABLE_PROTOCOL'
		if tr -d '\r' <"$log" | grep -aq 'WIREBOOT-IBFT absent'; then rig_pass "$NAME-ibft-absent-in-linux"
		else rig_fail "$NAME-ibft-absent-in-linux" "no 'WIREBOOT-IBFT absent' line from /init"; fi
		;;
	esac
}

# sanboot_boot1_line LOG — what boot 1 appended to /var/lib/wireboot/boots: its init
# writes "boot 1 on DEV at T s"; T is not printed, so the check below matches the shape
sanboot_boot1_line() {
	local dev
	dev=$(tr -d '\r' <"$1" | sed -n 's/^WIREBOOT-ROOT marker root=\([^ ]*\) .*/\1/p' | head -1)
	echo "boot 1 on ${dev:-?} at "
}

# sanboot_diskless_check LOG N LAST FROM-RE — the diskless root's lines in LOG: /init's
# "target from ..." line matches FROM-RE; exactly one root marker naming an ext4 root on
# an iSCSI session's disk, partition 2; boots=N and a last= that is LAST ("none"), or
# starts with LAST (the previous boot's line).
sanboot_diskless_check() {
	local log=$1 n=$2 want=$3 m b
	qemu_check_out initrd-target-source "$4"
	m=$(tr -d '\r' <"$log" | grep -aoE "$DISK_MARKER_RE")
	echo "info: $NAME: ${m:-no root marker}; $(tr -d '\r' <"$log" | grep -ao 'WIREBOOT-ROOT boots=.*' | head -1)"
	tr -d '\r' <"$log" | grep -aE '^(wireboot-initrd|iscsistart|WIREBOOT-ROOT (failed|iscsid|session))' | sed 's/^/console: /'
	if [ "$(printf '%s\n' "$m" | grep -c .)" = 1 ] &&
		printf '%s\n' "$m" | grep -qE '^WIREBOOT-ROOT marker root=/dev/sd[a-z]+2 fstype=ext4 from=iscsi$'; then
		rig_pass "$NAME-root-on-iscsi"
	else rig_fail "$NAME-root-on-iscsi" "want one 'WIREBOOT-ROOT marker root=/dev/sdX2 fstype=ext4 from=iscsi'"; fi
	qemu_check_out initrd-iscsi-session '^wireboot-initrd: session up at [0-9.]+ s: 1 session\(s\)$'
	# the seed's settings as the kernel holds them (docs/diskless.md)
	qemu_check_out root-session-timeouts '^wireboot-initrd: timeouts: recovery_tmo=86400 recv_tmo=0 ping_tmo=0$'
	# the root's init started iscsid, which took the session over (logged in again with
	# the node record made from sysfs + the command line) and manages it; the timeouts
	# are the record's: the seed's, or open-iscsi's defaults in the outage control run
	qemu_check_out iscsid-manages-session '^WIREBOOT-ROOT iscsid pid=[0-9]+ session=[0-9]+ state=LOGGED_IN/NO CHANGE at [0-9.]+ s$'
	if [ "${OUTAGE_CONTROL:-0}" = 1 ]; then
		qemu_check_out iscsid-session-timeouts '^WIREBOOT-ROOT session timeouts: recovery_tmo=120 recv_tmo=5 ping_tmo=5 state=LOGGED_IN$'
	else
		qemu_check_out iscsid-session-timeouts '^WIREBOOT-ROOT session timeouts: recovery_tmo=86400 recv_tmo=0 ping_tmo=0 state=LOGGED_IN$'
	fi
	b=$(tr -d '\r' <"$log" | sed -n 's/^WIREBOOT-ROOT boots=\([0-9]*\) last=\(.*\)$/\1|\2/p' | head -1)
	local last=${b#*|}
	if [ -n "$b" ] && [ "${b%%|*}" = "$n" ] &&
		{ { [ "$want" = none ] && [ "$last" = none ]; } ||
			{ [ "$want" != none ] && [[ $last == "$want"[0-9]*" s" ]]; }; }; then
		rig_pass "$NAME-boots-$n"
	else rig_fail "$NAME-boots-$n" "got '${b:+boots=${b%%|*} last=$last}', want boots=$n last=$want..."; fi
}

# ---- outage (tests/qemu/uboot-arm64-outage.sh) ---------------------------------------
# sanboot_outage_stopper LOG PID SECS OUT — run in the background: when the root's loop
# says "WIREBOOT-OUTAGE loop start" in LOG, SIGSTOP PID (the rig's tgtd), SECS seconds
# later SIGCONT it; "stop T" and "cont T" (date +%s.%N) go to OUT.  Gives up when the test
# shell is gone or after 15 minutes.
sanboot_outage_stopper() {
	local log=$1 pid=$2 secs=$3 out=$4
	for _ in $(seq 4500); do
		kill -0 $$ 2>/dev/null || return 0
		tr -d '\r' <"$log" 2>/dev/null | grep -aq '^WIREBOOT-OUTAGE loop start' && break
		sleep 0.2
	done
	tr -d '\r' <"$log" 2>/dev/null | grep -aq '^WIREBOOT-OUTAGE loop start' || return 0
	kill -STOP "$pid" || return 0
	echo "stop $(date +%s.%N)" >>"$out"
	sleep "$secs"
	kill -CONT "$pid"
	echo "cont $(date +%s.%N)" >>"$out"
}

# sanboot_tgtd_poll OUT — run in the background: tgtd's sessions, once a second, as
# "UNIXTIME I_T nexus: N" / "UNIXTIME Initiator: IQN ..." lines (a tgtadm call blocks
# while tgtd is stopped); stops when the test shell is gone or after 30 minutes.
sanboot_tgtd_poll() {
	local out=$1 t
	for _ in $(seq 1800); do
		kill -0 $$ 2>/dev/null || return 0
		t=$(date +%s)
		rig_tgtadm --op show --mode target 2>&1 | grep -aE 'I_T nexus:|Initiator:' | sed "s/^[[:space:]]*/$t /" >>"$out"
		sleep 1
	done
}

# sanboot_nexus_of OUT IQN FROM TO — the last I_T nexus tgtd listed for initiator IQN
# between the unix times FROM and TO (sanboot_tgtd_poll's output)
sanboot_nexus_of() {
	awk -v iqn="$2" -v a="$3" -v b="$4" '
		$1 < a || $1 > b { next }
		$2 == "I_T" { nx = $4; next }
		$2 == "Initiator:" && $3 == iqn { got = nx }
		END { print got }' "$1"
}

# sanboot_outage_check LOG TIMES POLL IQN SECS — the verdict on the outage boot (LOG its
# console, TIMES the stopper's stop/cont lines, POLL sanboot_tgtd_poll's output).
# OUTAGE_CONTROL=1 (the control run, open-iscsi's default timeouts): printed, not judged.
sanboot_outage_check() {
	local log=$1 times=$2 poll=$3 lini=$4 secs=$5 stop cont done_ before after c
	stop=$(awk '$1 == "stop" {print $2}' "$times" 2>/dev/null)
	cont=$(awk '$1 == "cont" {print $2}' "$times" 2>/dev/null)
	done_=$(tr -d '\r' <"$log" | grep -a '^WIREBOOT-OUTAGE loop done' | head -1)
	tr -d '\r' <"$log" | grep -aE '^(WIREBOOT-OUTAGE|WIREBOOT-ROOT (iscsid|session)|iscsiadm:|iscsid:|dmesg:)' | sed 's/^/console: /'
	echo "info: $NAME: tgtd stopped at ${stop:-never}, continued at ${cont:-never} (SIGSTOP for $secs s)"
	before=$(sanboot_nexus_of "$poll" "$lini" 0 "${stop%.*}")
	after=$(sanboot_nexus_of "$poll" "$lini" "$((${cont%.*} + 0))" 9999999999)
	echo "info: $NAME: tgtd's I_T nexus of $lini: before the stop ${before:-none}, last after it ${after:-none}"
	if [ "${OUTAGE_CONTROL:-0}" = 1 ]; then
		echo "info: $NAME: control run (OUTAGE_CONTROL=1): ${done_:-no 'loop done' line}"
		tr -d '\r' <"$log" | grep -aE 'I/O error|EXT4-fs (error|warning)|Buffer I/O|remount|read-only' | sed 's/^/info: control: /' | head -20
		return 0
	fi
	if tr -d '\r' <"$log" | grep -aq '^WIREBOOT-OUTAGE loop start'; then rig_pass "$NAME-loop-started"
	else rig_fail "$NAME-loop-started" "no 'WIREBOOT-OUTAGE loop start' line"; fi
	if [ -n "$stop" ] && [ -n "$cont" ] && awk -v a="$stop" -v b="$cont" -v s="$secs" 'BEGIN { exit !(b - a >= s) }'; then
		rig_pass "$NAME-target-stopped-${secs}s"
	else rig_fail "$NAME-target-stopped-${secs}s" "stop '$stop' cont '$cont'"; fi
	if [[ $done_ =~ ^WIREBOOT-OUTAGE\ loop\ done\ rounds=[0-9]+\ errors=0\ check=OK\  ]]; then
		rig_pass "$NAME-loop-done-no-errors"
	else rig_fail "$NAME-loop-done-no-errors" "got '${done_:-nothing}', want 'WIREBOOT-OUTAGE loop done rounds=N errors=0 check=OK ...'"; fi
	# the outage reached the loop: a round blocked while tgtd was stopped
	if tr -d '\r' <"$log" | grep -aqE '^WIREBOOT-OUTAGE round [0-9]+ took [0-9]+ s \(stalled\)'; then rig_pass "$NAME-io-blocked-during-outage"
	else rig_fail "$NAME-io-blocked-during-outage" "no round stalled: did the stop reach the loop?"; fi
	# no I/O error reached the file system.  A readahead is the exception the kernel
	# makes by design: it is fail-fast (REQ_RAHEAD, flag 0x80000 in Linux 6.1), so when
	# the SCSI error handler gives up on it (cmd_age=45s: 30 s command timeout + 15 s
	# abort timeout) it is failed, not retried, and logged as an "I/O error"; nothing
	# waits for it, the page is read again by the normal path after the relogin.  Any
	# other I/O error line (a write, a read without REQ_RAHEAD), a buffer I/O error or
	# an ext4 error fails the test.
	local l ra=0 bad=()
	while IFS= read -r l; do
		if [[ $l =~ I/O\ error,\ dev\ [a-z]+,\ sector\ [0-9]+\ op\ 0x0:\(READ\)\ flags\ (0x[0-9a-f]+) ]] &&
			(((${BASH_REMATCH[1]} & 0x80000) != 0)); then
			ra=$((ra + 1))
		else
			bad+=("$l")
		fi
	done < <(tr -d '\r' <"$log" | grep -aE 'I/O error|EXT4-fs (error|warning)|Buffer I/O error|blk_update_request|Remounting filesystem read-only|aborting journal')
	echo "info: $NAME: $ra failed readahead(s) in the kernel log (fail-fast by design, see docs/diskless.md)"
	if [ ${#bad[@]} = 0 ]; then rig_pass "$NAME-no-io-error-in-kernel-log"
	else
		rig_fail "$NAME-no-io-error-in-kernel-log" "${bad[0]}"
		tr -d '\r' <"$log" | grep -a '^dmesg: ' | tail -40
	fi
	# the session after the outage.  Two paths were observed with a 60 s stop: usually a
	# SCSI command times out (30 s), its abort times out (15 s) and libiscsi drops the
	# session ("detected conn error (1021)"); iscsid then logs in again once tgtd is
	# back (its second "operational after recovery": the first is its takeover at start)
	# and tgtd lists a new I_T nexus.  Sometimes libiscsi restarts the command timer
	# once (the command made progress since it was queued) and tgtd answers before the
	# second expiry at ~60 s: the session is never dropped, tgtd keeps the nexus.  Both
	# are fine; a connection error without iscsid's relogin and tgtd's new nexus is not.
	# (the takeover at iscsid's start may show a 1020, TCP connection closed: not counted)
	local relog
	relog=$(tr -d '\r' <"$log" | grep -acE '^iscsid: .*connection[0-9]+:[0-9]+ is operational after recovery')
	if tr -d '\r' <"$log" | grep -aqE '^dmesg: .*connection[0-9]+:[0-9]+: detected conn error \(10(11|21|22)\)'; then
		echo "info: $NAME: the session was dropped during the outage (SCSI error handling) and logged in again"
		if [ "$relog" -ge 2 ]; then rig_pass "$NAME-iscsid-relogin"
		else rig_fail "$NAME-iscsid-relogin" "the kernel dropped the session but iscsid did not say 'is operational after recovery' after it"; fi
		if [ -n "$before" ] && [ -n "$after" ] && [ "$after" != "$before" ]; then rig_pass "$NAME-tgtd-new-session-after-outage"
		else rig_fail "$NAME-tgtd-new-session-after-outage" "I_T nexus before '$before', after '$after'"; fi
	else
		echo "info: $NAME: the session was not dropped (tgtd answered again before the SCSI error handler gave up): no relogin needed"
		if [ -n "$before" ] && [ "$after" = "$before" ]; then rig_pass "$NAME-tgtd-same-session-after-outage"
		else rig_fail "$NAME-tgtd-same-session-after-outage" "no connection error, yet the I_T nexus went from '$before' to '$after'"; fi
	fi
	# the seed's settings still hold after the relogin
	if [ "$(tr -d '\r' <"$log" | grep -ac '^WIREBOOT-ROOT session timeouts: recovery_tmo=86400 recv_tmo=0 ping_tmo=0 state=LOGGED_IN$')" -ge 2 ]; then
		rig_pass "$NAME-timeouts-after-recovery"
	else rig_fail "$NAME-timeouts-after-recovery" "want 'recovery_tmo=86400 recv_tmo=0 ping_tmo=0 state=LOGGED_IN' after iscsid's start and after the loop"; fi
}

# ---- shell (make demo) ---------------------------------------------------------------
SANBOOT_PROMPT='wireboot-diskless:/# '
SANBOOT_SHELL_CMDS=("mount | grep ' / '" "cat /sys/class/iscsi_session/*/targetname" "iscsiadm -m session" "df -h /")

# sanboot_shell_steps — expect.py steps at the diskless root's shell: with a terminal on
# stdin the console is handed over (qemu_drive stays the user's until QEMU ends),
# otherwise SANBOOT_SHELL_CMDS are typed, then poweroff -f.
sanboot_shell_steps() {
	local c
	SANBOOT_STEPS=("expect@120:WIREBOOT-ROOT shell" "expect@60:$SANBOOT_PROMPT")
	if [ -t 0 ] && [ -t 1 ]; then
		SANBOOT_STEPS+=("interact" "wait@10")
		return 0
	fi
	for c in "${SANBOOT_SHELL_CMDS[@]}"; do SANBOOT_STEPS+=("line:$c" "expect@60:$SANBOOT_PROMPT"); done
	SANBOOT_STEPS+=("line:poweroff -f" "wait@60")
}

# sanboot_shell_check LOG IQN — what the typed commands printed
sanboot_shell_check() {
	local log=$1 iqn=$2
	if [ -t 0 ] && [ -t 1 ]; then
		echo "info: $NAME: interactive session (nothing checked at the prompt)"
		return 0
	fi
	qemu_check_out shell-prompt "^$SANBOOT_PROMPT"
	qemu_check_out shell-root-is-sdX2-ext4 '^/dev/sd[a-z]+2 on / type ext4 '
	qemu_check_out shell-session-target "^${iqn//./\\.}\$"
	qemu_check_out shell-iscsiadm-session "^tcp: \\[[0-9]+\\] 192\\.0\\.2\\.1:3260,1 ${iqn//./\\.} \\(non-flash\\)\$"
}

# sanboot_build_esp — the test PKI in $RIG_DIR/pki, wireboot.efi for $QEMU_ARCH with
# tests/qemu/https.ipxe embedded and the test root trusted (check "$NAME-build"; the
# shared build is rebuilt without them afterwards), and the ESP in $RIG_DIR/esp.
sanboot_build_esp() {
	bash tests/rig/pki.sh "$RIG_DIR/pki" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
	if QEMU_TRUST="$RIG_DIR/pki/root.pem" qemu_build "$QEMU_ARCH" tests/qemu/https.ipxe "$RIG_DIR/wireboot.efi"; then
		rig_pass "$NAME-build"
	else
		rig_fail "$NAME-build"
		rig_finish
	fi
	make -s TRUST= EMBED= "build/efi-$QEMU_ARCH/wireboot.efi" >/dev/null 2>&1 || true   # no test CA left in the build
	qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" "$QEMU_ARCH"
}

# ---- the test ----------------------------------------------------------------------------
sanboot_e2e_test() {
	local iqn=iqn.2026-11.test.wireboot:disk
	local user_in=wbinit secret_in=init-secret-2026
	local user_out=wbtarget secret_out=target-secret-26
	local arch bootefi t0 log conns mode=${2:-payload} poller="" stopper="" root=0
	local lini=iqn.2026-11.test.wireboot:linux outage_secs=${OUTAGE_SECS:-60}
	local rootfrom="" ini fromre net=${3:-dhcp} sip=192.0.2.77
	qemu_fw "$1"
	NAME=$1-sanboot
	case $mode in
	payload) ;;
	diskless | outage | shell)
		root=1
		NAME=$1-$mode
		[ "$mode" = diskless ] && [ "$net" != dhcp ] && NAME=$1-diskless-$net
		[ "$mode" = shell ] && NAME=$1-demo
		[ "$mode" = outage ] && [ "${OUTAGE_CONTROL:-0}" = 1 ] && NAME=$1-outage-control
		# disk_boot times this line instead of the payload marker
		local DISK_MARKER_RE='WIREBOOT-ROOT marker root=[^ ]* fstype=[^ ]* from=[a-z]*'
		;;
	*) rig_die "sanboot_e2e_test: unknown mode $mode" ;;
	esac
	case $1 in
	uboot-arm64) arch=arm64 bootefi=BOOTAA64 ;;
	ovmf-x64) arch=x86_64 bootefi=BOOTX64 ;;
	uboot-x64) arch=x86_64 bootefi=BOOTX64
		[ "$mode" != diskless ] || rig_die "sanboot_e2e_test: no diskless image for $1" ;;
	*) rig_die "sanboot_e2e_test: no disk image for $1" ;;
	esac
	qemu_need "${QEMU_FW_NEED[@]}" tgtd tgtadm dnsmasq nginx openssl chronyd
	rig_init "$QEMU_FW_TAG-san"
	t0=$(date +%s.%N)
	if [ "$1" = uboot-x64 ]; then disk_image "$arch" --uboot
	elif [ $root = 0 ]; then disk_image "$arch"
	elif [ "$1" = ovmf-x64 ]; then GRUB_TIMEOUT=${GRUB_TIMEOUT:-0} disk_image "$arch" --root
	else disk_image "$arch" --root; fi
	[ $root = 0 ] || rootfrom=$(disk_info root_from)
	cp "$DISK_IMG" "$RIG_DIR/disk.img"   # tgtd opens its backing file read-write
	cp "$DISK_IMG.info" "$RIG_DIR/disk.img.info"
	# what the root's /sbin/init does after counting its boots (mkdisk-root.sh), in the copy
	case $mode in
	outage)
		disk_root_put "$RIG_DIR/disk.img" /etc/wireboot/mode "outage ${OUTAGE_MIN:-90}"
		# the control run: open-iscsi's shipped defaults in the node record iscsid uses
		[ "${OUTAGE_CONTROL:-0}" = 1 ] && disk_root_put "$RIG_DIR/disk.img" /etc/wireboot/iscsi.settings \
			"$(printf '%s\n' node.session.timeo.replacement_timeout=120 \
				'node.conn[0].timeo.noop_out_interval=5' 'node.conn[0].timeo.noop_out_timeout=5')"
		;;
	shell) disk_root_put "$RIG_DIR/disk.img" /etc/wireboot/mode shell ;;
	esac
	rig_pass "$NAME-image"
	sanboot_build_esp

	rig_bridge
	rig_tap tap0
	rig_dnsmasq
	rig_ntp
	rig_nginx_tls web "443|$RIG_DIR/pki/good-ec.chain.pem|$RIG_DIR/pki/good-ec.key"
	# OVMF first hooks and unhooks two more drives: 0x81 with --no-describe (no iBFT),
	# 0x82 described as another initiator (an iBFT that sanunhook must withdraw: Linux
	# must see one table, naming the initiator of drive 0x80; a table identical to one
	# already loaded would be dropped as a duplicate by Linux, hence the other name)
	local extra=()
	[ "$1" = ovmf-x64 ] && [ $root = 0 ] && extra=(
		"sanhook --drive 0x81 --no-describe iscsi:192.0.2.1:::1:$iqn || echo sanhook-failed"
		"sanunhook --drive 0x81" "set initiator-iqn iqn.2026-11.test.wireboot:withdrawn"
		"sanhook --drive 0x82 iscsi:192.0.2.1:::1:$iqn || echo sanhook-failed"
		"sanunhook --drive 0x82" "clear initiator-iqn")
	[ "$net" = static ] && extra=("ifclose net0" "clear net0/dhcp-server" "set net0/ip $sip"
		"set net0/netmask 255.255.255.0" "set net0/gateway 192.0.2.1" "ifopen net0")
	printf '%s\n' '#!ipxe' 'echo sanboot-e2e-script' "set username $user_in" "set password $secret_in" \
		"set reverse-username $user_out" "set reverse-password $secret_out" "${extra[@]}" \
		"sanboot iscsi:192.0.2.1:::1:$iqn || echo sanboot-failed" >"$RIG_DIR/web-www/boot.ipxe"
	rig_tgtd "$iqn" "$RIG_DIR/disk.img" "$user_in" "$secret_in" "$user_out" "$secret_out"
	# SANBOOT_LOSS=PCT: that share of the packets dropped each way between the guest and
	# the servers for the whole boot (rig_loss: DHCP, HTTPS, login, GRUB's reads, Linux's)
	if [ -n "${SANBOOT_LOSS:-}" ]; then
		rig_loss "$SANBOOT_LOSS"
		NAME=$NAME-loss$SANBOOT_LOSS
	fi

	qemu_fw_boot tap0 "$RIG_DIR/esp"
	log=$RIG_DIR/console.log
	local tail=("wait@120")
	[ "$1" = uboot-x64 ] && tail=("expect@120:$DISK_HALT_RE")
	case $mode in
	diskless) tail=("expect@120:WIREBOOT-ROOT boots=" "wait@120") ;;
	outage)
		tail=("expect@120:WIREBOOT-ROOT boots=" "expect@120:WIREBOOT-OUTAGE loop start"
			"expect@900:WIREBOOT-OUTAGE loop done" "wait@120")
		# SIGSTOP tgtd (the PID this rig started) when the loop starts; whatever happens,
		# cleanup continues it first (its own stop command needs it running)
		RIG_CLEANUP_CMDS=("kill -CONT $(rig_pid tgtd)" "${RIG_CLEANUP_CMDS[@]}")
		sanboot_outage_stopper "$log" "$(rig_pid tgtd)" "$outage_secs" "$RIG_DIR/outage-times" &
		stopper=$!
		;;
	shell)
		sanboot_shell_steps
		tail=("${SANBOOT_STEPS[@]}")
		;;
	esac
	if [ $root = 1 ]; then
		# tgtd's sessions, to see Linux's own login (and, outage, its new one)
		sanboot_tgtd_poll "$RIG_DIR/tgtd-sessions.log" &
		poller=$!
	fi
	disk_boot "$log" "${QEMU_PRE[@]}" \
		"expect@$QEMU_FIRST:sanboot-e2e-script" \
		"expect@120:sanboot: booting" \
		"expect@300:$DISK_GRUB_RE" \
		"expect@${DISK_MARKER_TIMEOUT:-900}:$DISK_MARKER_RE" \
		"${tail[@]}"
	[ -z "${SANBOOT_LOSS:-}" ] || echo "info: $NAME: packets dropped guest->servers, servers->guest: $(rig_loss_counts)"
	[ -z "$poller" ] || { kill "$poller"; wait "$poller" 2>/dev/null; }
	[ -z "$stopper" ] || { kill "$stopper" 2>/dev/null; wait "$stopper" 2>/dev/null; kill -CONT "$(rig_pid tgtd)"; }
	if [ "$mode" = shell ] && [ -t 0 ] && [ -t 1 ]; then echo "info: $NAME: expect.py rc=$DISK_RC (interactive: not timed)"
	else echo "info: $NAME: expect.py rc=$DISK_RC; GRUB line at ${DISK_T_GRUB:-never} s, marker at ${DISK_T_MARKER:-never} s after QEMU start"; fi
	if [ $root = 1 ]; then
		[ -n "$DISK_T_MARKER" ] && echo "info: $NAME: boot-to-root-marker $DISK_T_MARKER s (QEMU start to WIREBOOT-ROOT marker: wireboot, GRUB, Linux, its own iSCSI login, switch_root)"
	else
		[ -n "$DISK_T_MARKER" ] && echo "info: $NAME: boot-to-marker $DISK_T_MARKER s (QEMU start to WIREBOOT-MARKER, over iSCSI)"
		[ -n "$(disk_bootefi_to_marker)" ] && echo "info: $NAME: bootefi-to-marker $(disk_bootefi_to_marker) s (U-Boot's bootefi echo to WIREBOOT-MARKER)"
	fi
	QEMU_LOG=$log
	tr -d '\r' <"$log" | grep -aE '^(sanboot|sanhook|sanunhook|san:|san )' | sed 's/^/console: /'
	qemu_check_out script-over-https '^sanboot-e2e-script$'
	qemu_check_out login-mutual-chap "^sanboot: iscsi:192\.0\.2\.1:::1:$iqn login ok \(CHAP MD5, mutual\), LUN 1: [0-9]+ blocks of 512 bytes"
	qemu_check_out booting-line "^sanboot: booting \\\\EFI\\\\BOOT\\\\$bootefi\\.EFI\$"
	if [ $root = 1 ]; then
		ini=$(tr -d '\r' <"$log" | sed -n 's/^sanboot: iscsi:[^ ]*: logging in as \([^ ]*\) (from .*/\1/p' | head -1)
		if [ "$rootfrom" = ibft ]; then
			# Linux logs in as the iBFT's initiator, wireboot's; the port is the table's
			# origin 3 (DHCP) or, static, 1 (manual)
			fromre="^wireboot-initrd: target from the iBFT: ${iqn//./\\.} at 192\\.0\\.2\\.1:3260 as ${ini//./\\.} \\(NIC 52:54:00:12:34:57, origin $([ "$net" = static ] && echo 1 || echo 3)\\)\$"
			qemu_check_out ibft-installed '^sanboot: drive 0x80: described to the OS by an iBFT \([0-9]+ bytes\)$'
			if [ "$net" = static ]; then
				qemu_check_out initrd-ibft-nic-static "^wireboot-initrd: eth0: ${sip//./\\.}/24 by the iBFT's static address \\(iscsistart -N\\) at "
			elif [ -n "$ini" ] && tr -d '\r' <"$log" | grep -aq "^wireboot-initrd: eth0: 192\.0\.2\.[0-9]*/24 by DHCP (the iBFT had 192\.0\.2\.[0-9]*) at "; then
				rig_pass "$NAME-initrd-ibft-nic-dhcp"
			else rig_fail "$NAME-initrd-ibft-nic-dhcp" "no 'eth0: ... by DHCP (the iBFT had ...)' line from /init"; fi
			# what Linux got: console, the log level, the root's PARTUUID and nothing else
			qemu_check_out cmdline-names-no-target '^wireboot-initrd: kernel command line: (BOOT_IMAGE=[^ ]+ )?console=ttyS0 quiet loglevel=3 panic=-1 root=PARTUUID=57495245-424f-4f54-8000-000000000003 *$'
			grep -q '^cmdline=[^ ]*\( [^ ]*\)* root=PARTUUID=' "$RIG_DIR/disk.img.info" && ! grep -q '^cmdline=.*wireboot\.' "$RIG_DIR/disk.img.info" &&
				rig_pass "$NAME-image-cmdline-no-target" || rig_fail "$NAME-image-cmdline-no-target" "$(grep '^cmdline=' "$RIG_DIR/disk.img.info")"
			# the same name as wireboot's: Linux's session is the second I_T nexus of that name
			lini=$ini
			local nx
			nx=$(awk -v i="$lini" '/I_T nexus:/ {n = $NF} $2 == "Initiator:" && $3 == i {print n}' "$RIG_DIR/tgtd-sessions.log" | sort -un | tr '\n' ' ')
			echo "info: $NAME: tgtd's I_T nexus numbers seen for $lini: ${nx:-none}"
			if [ -n "$lini" ] && [ "$(echo $nx | wc -w)" -ge 2 ]; then
				rig_pass "$NAME-tgtd-saw-linux-session"
			else rig_fail "$NAME-tgtd-saw-linux-session" "tgtadm never listed a second session of initiator $lini (wireboot's, then Linux's)"; fi
		else
			fromre="^wireboot-initrd: target from the kernel command line: ${iqn//./\\.} at 192\\.0\\.2\\.1:3260 as ${lini//./\\.}\$"
			if grep -aq "Initiator: $lini" "$RIG_DIR/tgtd-sessions.log"; then rig_pass "$NAME-tgtd-saw-linux-session"
			else rig_fail "$NAME-tgtd-saw-linux-session" "tgtadm never listed initiator $lini"; fi
			qemu_check_out ibft-skipped-no-acpi '^sanboot: drive 0x80: the firmware has no EFI_ACPI_TABLE_PROTOCOL'
		fi
		sanboot_diskless_check "$log" 1 none "$fromre"
	else
		disk_marker_check "$NAME" "$log" "$RIG_DIR/disk.img"
		sanboot_ibft_check "$1" "$log" "$iqn"
	fi
	case $mode in
	outage) sanboot_outage_check "$log" "$RIG_DIR/outage-times" "$RIG_DIR/tgtd-sessions.log" "$lini" "$outage_secs" ;;
	shell) sanboot_shell_check "$log" "$iqn" ;;
	esac
	qemu_check_out logout-at-exit-boot-services '^san: drive 0x80: (logged out|logout sent and connection closed) before the OS took over'
	# (negative checks count once the run got there: the boot started, wireboot's last line)
	qemu_expect_absent no-failure '^sanboot: booting' '^sanboot-failed$'
	qemu_expect_absent no-secret-on-console '^san: drive 0x80: (logged out|logout sent)' "$secret_in|$secret_out"
	if [ $root = 0 ]; then
		# (Linux's own session ends with QEMU's exit, unannounced: tgtd may keep it)
		conns=$(rig_tgtadm --op show --mode conn --tid 1 2>&1)
		if echo "$conns" | grep -q 'Connection'; then rig_fail "$NAME-tgtd-no-connection-left" "tgtd still has: $conns"
		else rig_pass "$NAME-tgtd-no-connection-left"; fi
	fi
	local off=powered-off
	[ "$1" = uboot-x64 ] && off=halted
	if [ "$mode" = shell ] && [ -t 0 ] && [ -t 1 ]; then
		echo "info: $NAME: console handed back (expect.py rc=$DISK_RC)"
	elif [ "$DISK_RC" = 0 ]; then rig_pass "$NAME-$off"
	else rig_fail "$NAME-$off" "expect.py rc=$DISK_RC (2: a step timed out, 3: QEMU ended before the step)"; fi
	if [ "$mode" = diskless ]; then
		# boot 2: the same rig and tgtd LUN, QEMU started again
		qemu_keep_log "$log"
		log=$RIG_DIR/console2.log
		qemu_fw_boot tap0 "$RIG_DIR/esp"
		disk_boot "$log" "${QEMU_PRE[@]}" \
			"expect@$QEMU_FIRST:sanboot-e2e-script" \
			"expect@120:sanboot: booting" \
			"expect@300:$DISK_GRUB_RE" \
			"expect@${DISK_MARKER_TIMEOUT:-900}:$DISK_MARKER_RE" \
			"expect@120:WIREBOOT-ROOT boots=" "wait@120"
		echo "info: $NAME: boot 2: expect.py rc=$DISK_RC; root marker at ${DISK_T_MARKER:-never} s after QEMU start"
		QEMU_LOG=$log
		NAME=$NAME-boot2
		sanboot_diskless_check "$log" 2 "$(sanboot_boot1_line "$RIG_DIR/console.log")" "$fromre"
		if [ "$DISK_RC" = 0 ]; then rig_pass "$NAME-powered-off"
		else rig_fail "$NAME-powered-off" "expect.py rc=$DISK_RC"; fi
		qemu_expect_absent no-secret-on-console '^san: drive 0x80: (logged out|logout sent)' "$secret_in|$secret_out"
	fi
	echo "info: $NAME: total $(qemu_elapsed "$t0") s"
	qemu_keep_log "$log"
	rig_finish
}

# ---- HTTPS-SAN (issue 16) ------------------------------------------------------------
# sanboot_https_test FW [verify] — the same chain as sanboot_e2e_test's payload mode, but
# the disk is an image that nginx (TLS, the rig's ECDSA certificate, checked against the
# built-in test root) serves at https://boot.test/disk.img: `sanboot https://…` reads
# every block GRUB and Linux's EFI stub ask for with Range GETs over TLS.  No iSCSI
# target runs at all, so the kernel and initramfs can only come over HTTPS.
#
# Checked: the "open (HTTPS, server …)" line (read-only, the image's size), that
# --no-describe is implied (no iBFT), GRUB, exactly one marker with payload=OK and the
# image's hash, in nginx's log only 206 answers for
# /disk.img and at least the kernel's and initramfs's bytes sent, the machine powered off.
# verify: the boot script says `sanboot --verify --map-sha256 HEX https://…` with a
# manifest made by `wireboot mkmap` at test time (HEX: the SHA-256 of the manifest
# file); the console must say the SHA-256 matched and that every chunk is verified.
# Then a second run with one byte of the image's first chunk (its MBR boot code,
# unused by GPT firmware) changed after mkmap: the firmware's first read fails with
# the chunk's message, no file system is found, GRUB never starts, sanboot fails.
# SANBOOT_HTTPS_PLAIN_TOO=1 (boot-https-bench.sh): verify runs the good boot twice, the
# first without --verify (timing both).
sanboot_https_script() {   # FILE SANBOOT-ARGS...
	local f=$1; shift
	printf '%s\n' '#!ipxe' 'echo sanboot-https-script' "sanboot $* || echo sanboot-failed" >"$f"
}

sanboot_https_boot() {   # LOG — one QEMU run to the marker (or to its end); DISK_* set
	qemu_fw_boot tap0 "$RIG_DIR/esp"
	disk_boot "$1" "${QEMU_PRE[@]}" \
		"expect@$QEMU_FIRST:sanboot-https-script" \
		"expect@120:sanboot: booting" \
		"expect@300:$DISK_GRUB_RE" \
		"expect@${DISK_MARKER_TIMEOUT:-900}:$DISK_MARKER_RE" \
		"wait@120"
}

# sanboot_https_check LOG VERIFY — the verdict on one good boot
sanboot_https_check() {
	local log=$1 verify=$2 img=$RIG_DIR/web-www/disk.img blocks n206 nother bytes want
	QEMU_LOG=$log
	tr -d '\r' <"$log" | grep -aE '^(sanboot|sanhook|san:|san )' | sed 's/^/console: /'
	qemu_check_out script-over-https '^sanboot-https-script$'
	blocks=$(($(stat -c %s "$img") / 512))
	qemu_check_out open-line "^sanboot: https://boot\\.test/disk\\.img open \\(HTTPS, server boot\\.test:443\\): $blocks blocks of 512 bytes \\([0-9]+ MiB\\), read-only"
	qemu_check_out no-ibft '^sanboot: drive 0x80: not described to the OS \(--no-describe implied: an iBFT describes only iSCSI disks\)$'
	if [ "$verify" = 1 ]; then
		qemu_check_out map-sha256-matched '^sanboot: manifest https://boot\.test/disk\.img\.wbmap: SHA-256 matches --map-sha256$'
		qemu_check_out verified-open "open \\(HTTPS.*, verified against the manifest \\([0-9]+ chunks of 64 KiB\\)\$"
	fi
	qemu_check_out booting-line "^sanboot: booting \\\\EFI\\\\BOOT\\\\$SANBOOT_BOOTEFI\\.EFI\$"
	disk_marker_check "$NAME" "$log" "$img"
	# what nginx sent: only partial content for the image, the payload's bytes at least
	n206=$(awk '$7 == "/disk.img" && $9 == 206' "$RIG_DIR/web-access.log" | wc -l)
	nother=$(awk '$7 == "/disk.img" && $9 != 206' "$RIG_DIR/web-access.log" | wc -l)
	bytes=$(awk '$7 == "/disk.img" && $9 == 206 { s += $10 } END { print s + 0 }' "$RIG_DIR/web-access.log")
	want=$(($(disk_info kernel_bytes "$img") + $(disk_info initrd_bytes "$img")))
	echo "info: $NAME: nginx: $n206 answers 206 for /disk.img ($((bytes >> 20)) MiB), $nother others; kernel + initrd $((want >> 20)) MiB"
	if [ "$n206" -gt 0 ] && [ "$nother" = 0 ]; then rig_pass "$NAME-only-206"
	else rig_fail "$NAME-only-206" "$n206 answers 206, $nother other answers for /disk.img"; fi
	if [ "$want" -gt 0 ] && [ "$bytes" -ge "$want" ]; then rig_pass "$NAME-kernel-initrd-over-https"
	else rig_fail "$NAME-kernel-initrd-over-https" "nginx sent $bytes bytes of disk.img, kernel + initrd are $want"; fi
	if [ "$DISK_RC" = 0 ]; then rig_pass "$NAME-powered-off"
	else rig_fail "$NAME-powered-off" "expect.py rc=$DISK_RC (2: a step timed out, 3: QEMU ended before the step)"; fi
	echo "info: $NAME: expect.py rc=$DISK_RC; GRUB line at ${DISK_T_GRUB:-never} s, marker at ${DISK_T_MARKER:-never} s after QEMU start"
	[ -n "$DISK_T_MARKER" ] && echo "info: $NAME: boot-to-marker $DISK_T_MARKER s (QEMU start to WIREBOOT-MARKER, over HTTPS-SAN)"
	[ -n "$(disk_bootefi_to_marker)" ] && echo "info: $NAME: bootefi-to-marker $(disk_bootefi_to_marker) s (U-Boot's bootefi echo to WIREBOOT-MARKER)"
	qemu_keep_log "$log"
}

sanboot_https_test() {
	local verify=0 t0 log hex name0 www
	[ "${2:-}" = verify ] && verify=1
	qemu_fw "$1"
	NAME=$1-sanboot-https
	case $1 in
	uboot-arm64) SANBOOT_ARCH=arm64 SANBOOT_BOOTEFI=BOOTAA64 ;;
	ovmf-x64) SANBOOT_ARCH=x86_64 SANBOOT_BOOTEFI=BOOTX64 ;;
	*) rig_die "sanboot_https_test: no disk image for $1" ;;
	esac
	qemu_need "${QEMU_FW_NEED[@]}" dnsmasq nginx openssl chronyd
	rig_init "$QEMU_FW_TAG-sanh"
	t0=$(date +%s.%N)
	disk_image "$SANBOOT_ARCH"
	www=$RIG_DIR/web-www
	mkdir -p "$www"
	cp "$DISK_IMG" "$www/disk.img"
	cp "$DISK_IMG.info" "$www/disk.img.info"
	rig_pass "$NAME-image"
	if [ $verify = 1 ]; then
		make -s build/host/wireboot >/dev/null || rig_die "build/host/wireboot failed to build"
		build/host/wireboot mkmap "$www/disk.img" >"$RIG_DIR/mkmap.out" 2>&1 || {
			cat "$RIG_DIR/mkmap.out"; rig_die "wireboot mkmap failed"; }
		hex=$(sha256sum "$www/disk.img.wbmap" | cut -d' ' -f1)
		# mkmap's line ends with the manifest's own SHA-256, which is what the script needs
		if [ "$(awk '{print $NF}' "$RIG_DIR/mkmap.out")" = "$hex" ]; then rig_pass "$NAME-mkmap-prints-sha256"
		else rig_fail "$NAME-mkmap-prints-sha256" "mkmap said '$(cat "$RIG_DIR/mkmap.out")', sha256sum $hex"; fi
	fi
	sanboot_build_esp
	rig_bridge
	rig_tap tap0
	rig_dnsmasq
	rig_ntp
	rig_nginx_tls web "443|$RIG_DIR/pki/good-ec.chain.pem|$RIG_DIR/pki/good-ec.key|keepalive_requests 100000;"

	name0=$NAME
	if [ $verify = 0 ] || [ "${SANBOOT_HTTPS_PLAIN_TOO:-0}" = 1 ]; then
		[ $verify = 1 ] && NAME=$name0-plain
		sanboot_https_script "$www/boot.ipxe" https://boot.test/disk.img
		log=$RIG_DIR/console-plain.log
		sanboot_https_boot "$log"
		SANBOOT_T_PLAIN=$DISK_T_MARKER
		sanboot_https_check "$log" 0
		: >"$RIG_DIR/web-access.log"
		NAME=$name0
	fi
	if [ $verify = 1 ]; then
		NAME=$name0-verify
		sanboot_https_script "$www/boot.ipxe" --verify --map-sha256 "$hex" https://boot.test/disk.img
		log=$RIG_DIR/console-verify.log
		sanboot_https_boot "$log"
		SANBOOT_T_VERIFY=$DISK_T_MARKER
		sanboot_https_check "$log" 1
		# the tampered image: one byte of chunk 0 changed after mkmap
		NAME=$name0-tampered
		printf '\x5a' | dd of="$www/disk.img" bs=1 seek=7 conv=notrunc status=none
		cmp -s "$DISK_IMG" "$www/disk.img" && rig_die "the image did not change"
		log=$RIG_DIR/console-tampered.log
		qemu_fw_boot tap0 "$RIG_DIR/esp"
		disk_boot "$log" "${QEMU_PRE[@]}" \
			"expect@$QEMU_FIRST:sanboot-https-script" \
			"expect@120:sanboot-failed" "expect@60:https-chain-returned"
		QEMU_LOG=$log
		tr -d '\r' <"$log" | grep -aE '^(sanboot|san:)' | sed 's/^/console: /'
		qemu_check_out opened-verified "open \\(HTTPS.*, verified against the manifest"
		qemu_check_out chunk-0-refused '^san: drive 0x80: .*chunk 0[^0-9]'
		qemu_check_out sanboot-failed '^sanboot-failed$'
		# (the good boots never return to sanboot, which prints the drive's counts then)
		qemu_check_out read-stats '^sanboot: drive 0x80: [0-9]+ reads, [0-9]+ KiB, [0-9]+ range requests, 0 reconnects, 0 reissued$'
		qemu_expect_absent no-grub '^sanboot-failed$' "$DISK_GRUB_RE|^sanboot: booting .*returned|WIREBOOT-MARKER"
		qemu_keep_log "$log"
	fi
	NAME=$name0
	echo "info: $NAME: total $(qemu_elapsed "$t0") s"
	rig_finish
}
