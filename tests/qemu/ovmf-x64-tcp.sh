#!/bin/bash
# OVMF x86_64: bulk TCP receive with the EDK2 window (256 KiB, see efi_misc.c).
# A kernel-default TCP sender in the rig (tests/rig/tcpsend.py) serves 8 MiB; wireboot
# (EMBED: dhcp, then `tcprecv` twice) must receive every byte with the sender's crc32,
# and a second connection afterwards must still work (the NIC did not wedge).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=ovmf-x64-tcp
BYTES=${TCP_BYTES:-8388608}
PORT=5001

qemu_need qemu-system-x86_64 "$OVMF_FD" dnsmasq
rig_init ovmf-tcp
cat >"$RIG_DIR/tcp.ipxe" <<SCRIPT
#!ipxe
dhcp
tcprecv 192.0.2.1 $PORT
echo tcp-first-done
tcprecv 192.0.2.1 $PORT
echo tcp-second-done
SCRIPT
if ! qemu_build x64 "$RIG_DIR/tcp.ipxe" "$RIG_DIR/wireboot.efi"; then
	rig_fail "$NAME-build"
	rig_finish
fi
rig_pass "$NAME-build"
rig_bridge
rig_tap tap0
rig_dnsmasq
rig_bg tcpsend python3 tests/rig/tcpsend.py --port "$PORT" --bytes "$BYTES" --count 2 --bind 192.0.2.1
rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 10 || rig_die "tcpsend did not start"
want_crc=$(awk '/^crc32/ { print $2 }' "$RIG_DIR/tcpsend.out")
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" x64
qemu_ovmf_x64 tap0 "$RIG_DIR/esp"
log=$RIG_DIR/console.log
t1=$(date +%s.%N)
qemu_drive "$log" \
	"expect@240:tcp-first-done" \
	"expect@240:tcp-second-done" \
	"expect@30:wireboot> " \
	"line:exit" \
	"expect@60:BdsDxe: (loading|starting)|Boot Manager"
rc=$?
echo "info: $NAME: QEMU run took $(qemu_elapsed "$t1") s"
mapfile -t lines < <(tr -d '\r' <"$log" | grep -a '^tcprecv: .* crc32 ')
printf 'info: %s\n' "${lines[@]}"
for i in 0 1; do
	l=${lines[$i]:-}
	got_bytes=$(echo "$l" | sed -n 's/^tcprecv: \([0-9]*\) bytes.*/\1/p')
	got_crc=$(echo "$l" | sed -n 's/.*crc32 \([0-9a-fA-F]\{8\}\).*/\1/p')
	rig_expect_eq "$NAME-conn$((i + 1))-bytes" "$got_bytes" "$BYTES"
	rig_expect_eq "$NAME-conn$((i + 1))-crc32" "${got_crc,,}" "$want_crc"
done
if [ $rc = 0 ]; then rig_pass "$NAME-no-wedge"; else rig_fail "$NAME-no-wedge" "expect.py rc=$rc"; fi
qemu_keep_log "$log"
rig_finish
