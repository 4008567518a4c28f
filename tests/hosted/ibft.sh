#!/bin/bash
# ibft.sh — `wireboot ibft FILE`: validate and show an iSCSI Boot Firmware Table (the
# tool for looking at /sys/firmware/acpi/tables/iBFT on a booted Linux).  Tables: the
# fuzz seeds (built by src/san/ibft.c: mutual CHAP with 20-byte secrets, and no CHAP),
# a copy with one byte changed (checksum), one with the target name's NUL overwritten
# and the checksum fixed (string check), a non-table file, a missing file.  Checked:
# exit status, the exact initiator/NIC/target lines, and that no secret is printed.
. "$(dirname "$0")/lib.sh"

[ -x "$WB" ] || { echo "FAIL: ibft: $WB not built (make build/san/wireboot)"; exit 1; }
rig_init ibft
D=$RIG_DIR
C=$RIG_TOP/tests/fuzz/corpus/fuzz_ibft

# run ID WANT_RC FILE — run, check sanity and exit status
run() {
	WB_LOG="$D/$1.log"
	timeout -k 5 30 "$WB" ibft "$3" >"$WB_LOG" 2>&1 </dev/null
	WB_RC=$?
	sed "s/^/    [$1] /" "$WB_LOG"
	wb_check_sane "$1"
	if [ "$WB_RC" = "$2" ]; then rig_pass "$1: exit $2"; else rig_fail "$1: exit $2" "exit $WB_RC"; fi
}
line() { # ID EXACT-LINE
	if grep -Fxq -- "$2" "$D/$1.log"; then rig_pass "$1: ${2%%:*} line"
	else rig_fail "$1: ${2%%:*} line" "want: $2"; fi
}

run mutual 0 "$C/mutual"
line mutual 'ibft: 432 bytes, OEM "WBOOT " "WIREBOOT", checksum ok'
line mutual 'initiator: flags 0x03 name iqn.2026-11.io.wireboot:seed'
line mutual 'nic0: flags 0x07 ip 192.0.2.50/24 origin dhcp gateway 192.0.2.1 dns 192.0.2.1 dns2 - dhcp 192.0.2.1 vlan 10 mac 52:54:00:12:34:56 pci 00:03.0 hostname client1'
line mutual 'target0: flags 0x03 ip 192.0.2.1 port 3260 lun 0001-0000-0000-0000 nic 0 name iqn.2026-11.test:disk chap mutual chap-name wbinit chap-secret (set, 20 bytes, not shown) reverse-chap-name wbtarget reverse-chap-secret (set, 20 bytes, not shown)'
# the secrets are in the file (the OS needs them) but never on the output
if grep -aq seed-secret-one-2026 "$C/mutual" && grep -aq seed-secret-two-2026 "$C/mutual"; then
	rig_pass "mutual: the table holds both secrets"
else rig_fail "mutual: the table holds both secrets"; fi
if grep -q 'seed-secret' "$D/mutual.log"; then rig_fail "mutual: no secret printed"
else rig_pass "mutual: no secret printed"; fi

run nochap 0 "$C/nochap"
line nochap 'target0: flags 0x03 ip 192.0.2.1 port 3260 lun 0001-0000-0000-0000 nic 0 name iqn.2026-11.test:disk chap none chap-name - chap-secret - reverse-chap-name - reverse-chap-secret -'

cp "$C/mutual" "$D/badsum"
printf 'X' | dd of="$D/badsum" bs=1 seek=100 conv=notrunc 2>/dev/null
run badsum 1 "$D/badsum"
line badsum "ibft: $D/badsum (432 bytes): iBFT: bad table header (signature, length, revision or checksum)"

# target name's NUL (offset from the Target structure at 256: length +34, offset +36)
python3 - "$C/mutual" "$D/nonul" <<'PY'
import struct, sys
t = bytearray(open(sys.argv[1], 'rb').read())
n, off = struct.unpack_from('<HH', t, 256 + 34)
t[off + n] = ord('x')
t[9] = 0
t[9] = (-sum(t)) & 0xff
open(sys.argv[2], 'wb').write(t)
PY
run nonul 1 "$D/nonul"
line nonul "ibft: $D/nonul (432 bytes): iBFT: a string is out of the table or not NUL-terminated"

run notable 1 /etc/hostname
run missing 2 "$D/does-not-exist"
rig_finish
