#!/bin/bash
# tftp.sh — `wireboot fetch tftp://…` (proto/tftp_client.c) against the real servers
# in the test namespace — dnsmasq's TFTP (port 69), tftpd-hpa (port 2069), atftpd
# (port 1069, the one with RFC 7440 windowsize; tests/rig/atftpd.sh) — over kernel
# sockets and over lwIP on a TAP device: files of several sizes with their SHA-256,
# block-number wrap past 65535 (16-byte blocks), windowsize taken (atftpd) and the
# fallback where it is not (dnsmasq, tftpd-hpa), a missing file's error code and text;
# then a scripted peer (tests/rig/tftppeer.py, port 3069) for what real servers do
# not do on demand: a forged packet from another port (ERROR 5, not accepted),
# duplicates, out-of-order and lost blocks, options ignored / refused / an empty OACK,
# an OACK beyond what was asked, a wrong opcode, and a stall bounded by --timeout;
# last, the image commands (imgfetch, chain) with tftp:// URLs.
set -u
. "$(dirname "$0")/lib.sh"
ATFTPD=$RIG_TOP/build/deps/atftpd/usr/sbin/atftpd
[ -x "$ATFTPD" ] || bash "$RIG_TOP/tests/rig/atftpd.sh" >/dev/null || { echo "FAIL: tftp: no atftpd (scripts/deps.sh)"; exit 1; }
wb_rig tftp nodhcp
root="$RIG_DIR/tftp"
mkdir -p "$root/sub"
echo "hello over tftp" >"$root/small.txt"
head -c 512 /dev/urandom >"$root/exact512.bin"       # a whole block: ends with an empty DATA
head -c 1468 /dev/urandom >"$root/exact1468.bin"
: >"$root/empty.bin"
head -c $((3 * 1024 * 1024 + 17)) /dev/urandom >"$root/sub/mid.bin"
head -c $((1100 * 1024)) /dev/urandom >"$root/wrap.bin"   # > 65535 blocks of 16 bytes
head -c $((33 * 1024 * 1024 + 5)) /dev/urandom >"$root/wrap33.bin"   # > 65535 blocks of 512
head -c $((200 * 1024)) /dev/urandom >"$root/peer.bin"
cat >"$root/chained.ipxe" <<'S'
#!ipxe
echo CHAINED-OVER-TFTP
S
chmod -R a+rX "$root"
rig_dnsmasq --enable-tftp --tftp-root="$root"
rig_bg atftpd "$ATFTPD" --daemon --no-fork --user root --group root --port 1069 \
	--bind-address 192.0.2.1 --logfile "$RIG_DIR/atftpd.log" "$root"
rig_bg tftpd-hpa in.tftpd -L -u root -a 192.0.2.1:2069 -s "$root"
rig_bg tftppeer python3 "$RIG_TOP/tests/rig/tftppeer.py" --bind 192.0.2.1 --port 3069 --root "$root"
rig_wait_file "$RIG_DIR/tftppeer.out" '^listening' 10 || rig_die "tftppeer did not start"
out="$RIG_DIR/out"
mkdir -p "$out"

# fetch ID TIMEOUT MODE ARGS... — MODE sock (kernel sockets in the netns) or tap (lwIP)
fetch() {
	local id=$1 t=$2 mode=$3; shift 3
	if [ "$mode" = tap ]; then
		wb_exec "$id" "$t" "$WB" fetch --progress --tap "$WB_TAP" "$@" </dev/null
	else
		wb_exec "$id" "$t" "$WB" fetch --progress "$@" </dev/null
	fi
}
sum() { sha256sum "$1" | cut -d' ' -f1; }
# expect_file NAME SRC — fetched ok and the printed SHA-256 is the source file's
expect_file() {
	wb_expect_ok "$1"
	wb_expect_out "$1: sha256" "^sha256 $(sum "$2")\$"
}

declare -A SERVER=([dnsmasq]=69 [atftpd]=1069 [hpa]=2069)
for mode in sock tap; do
	for srv in dnsmasq atftpd hpa; do
		base=tftp://192.0.2.1:${SERVER[$srv]}
		for f in small.txt exact512.bin exact1468.bin empty.bin sub/mid.bin; do
			fetch "$mode-$srv-${f//\//_}" 120 $mode "$base/$f" -o "$out/x"
			expect_file "$mode $srv: $f" "$root/$f"
		done
		# windowsize: atftpd takes it, dnsmasq and tftpd-hpa leave it out of the OACK
		fetch "$mode-$srv-window" 120 $mode "$base/sub/mid.bin" -o "$out/x"
		if [ $srv = atftpd ]; then
			wb_expect_out "$mode $srv: windowsize 16 agreed" '^tftp: blksize 1468, window 16, tsize given'
		else
			wb_expect_out "$mode $srv: no windowsize in the OACK: lock-step" '^tftp: blksize 1468, window 1, tsize given'
		fi
		fetch "$mode-$srv-missing" 60 $mode "$base/missing.bin" -o "$out/missing"
		wb_expect_fail "$mode $srv: missing file: code and text" 'server error 1: .*[Nn]ot found.*TFTP: server says file not found' 30
		rig_check "$mode $srv: no file left after a failure" test ! -e "$out/missing"
	done
	# block numbers past 65535: 68,750 blocks of 16 bytes (dnsmasq, tftpd-hpa); atftpd
	# refuses blocks under 512 bytes, so 33 MiB in 67,584+ blocks of 512 there
	for srv in dnsmasq atftpd hpa; do
		if [ $srv = atftpd ]; then bs=512 f=wrap33.bin; else bs=16 f=wrap.bin; fi
		fetch "$mode-$srv-wrap" 300 $mode --tftp-blksize $bs "tftp://192.0.2.1:${SERVER[$srv]}/$f" -o "$out/x"
		expect_file "$mode $srv: over 65535 blocks: block number wraps" "$root/$f"
		wb_expect_out "$mode $srv: blksize $bs agreed" "^tftp: blksize $bs, "
	done
done

# ---- the scripted peer
peer=tftp://192.0.2.1:3069
for mode in sock tap; do
	fetch "$mode-peer-win" 60 $mode "$peer/win/peer.bin" -o "$out/x"
	expect_file "$mode peer: windowsize 16" "$root/peer.bin"
	wb_expect_out "$mode peer: window 16 agreed" '^tftp: blksize 1468, window 16'
	fetch "$mode-peer-win4" 60 $mode --tftp-window 4 "$peer/win/peer.bin" -o "$out/x"
	wb_expect_out "$mode peer: --tftp-window 4 asked and agreed" '^tftp: blksize 1468, window 4'
	fetch "$mode-peer-nowin" 60 $mode --tftp-window 1 "$peer/win/peer.bin" -o "$out/x"
	expect_file "$mode peer: --tftp-window 1: lock-step" "$root/peer.bin"
	wb_expect_out "$mode peer: no windowsize asked" '^tftp: blksize 1468, window 1'

	n0=$(grep -c '^stray: got ERROR 5' "$RIG_DIR/tftppeer.out")
	fetch "$mode-peer-tid" 60 $mode "$peer/tid/peer.bin" -o "$out/x"
	expect_file "$mode peer: DATA from another port not accepted" "$root/peer.bin"
	wb_expect_out "$mode peer: it was counted as foreign" ', 1 foreign$'
	n1=$(grep -c '^stray: got ERROR 5' "$RIG_DIR/tftppeer.out")
	rig_check "$mode peer: the other port got ERROR 5" test "$n1" -gt "$n0"

	fetch "$mode-peer-dup" 60 $mode "$peer/dup/peer.bin" -o "$out/x"
	expect_file "$mode peer: every block twice" "$root/peer.bin"
	wb_expect_out "$mode peer: duplicates counted" ', [1-9][0-9]* duplicates,'
	fetch "$mode-peer-ooo" 60 $mode "$peer/ooo/peer.bin" -o "$out/x"
	expect_file "$mode peer: out of order and lost blocks" "$root/peer.bin"
	wb_expect_out "$mode peer: out-of-order counted" ' [1-9][0-9]* out of order,'
	fetch "$mode-peer-lossy" 120 $mode "$peer/lossy/peer.bin" -o "$out/x"
	expect_file "$mode peer: 1 packet in 5 lost" "$root/peer.bin"
	fetch "$mode-peer-lossy1" 120 $mode --tftp-window 1 "$peer/lossy/peer.bin" -o "$out/x"
	expect_file "$mode peer: lock-step, 1 packet in 5 lost (retransmission)" "$root/peer.bin"
	wb_expect_out "$mode peer: we retransmitted" ', [1-9][0-9]* retransmits,'

	fetch "$mode-peer-plain" 60 $mode "$peer/plain/peer.bin" -o "$out/x"
	expect_file "$mode peer: options ignored (DATA 1 at once)" "$root/peer.bin"
	wb_expect_out "$mode peer: options ignored: 512, lock-step, no tsize" '^tftp: blksize 512, window 1, tsize unknown'
	fetch "$mode-peer-emptyoack" 60 $mode "$peer/emptyoack/peer.bin" -o "$out/x"
	expect_file "$mode peer: OACK without options" "$root/peer.bin"
	wb_expect_out "$mode peer: empty OACK: 512, lock-step" '^tftp: blksize 512, window 1, tsize unknown'
	fetch "$mode-peer-err8" 60 $mode "$peer/err8/peer.bin" -o "$out/x"
	expect_file "$mode peer: options refused (ERROR 8): asked again plainly" "$root/peer.bin"
	wb_expect_out "$mode peer: the fallback is reported" '\(options refused\)'
	fetch "$mode-peer-bigblk" 60 $mode "$peer/bigblk/peer.bin" -o "$out/x"
	wb_expect_fail "$mode peer: OACK blksize beyond what was asked refused" 'TFTP: server acknowledged an option we did not ask for or a value beyond' 20
	fetch "$mode-peer-wrongop" 60 $mode "$peer/wrongop/peer.bin" -o "$out/x"
	wb_expect_fail "$mode peer: an ACK from the server refused" 'TFTP: server sent a packet that makes no sense now' 20
	fetch "$mode-peer-stall" 60 $mode --timeout 3 "$peer/stall/peer.bin" -o "$out/x"
	wb_expect_fail "$mode peer: a stalled server is bounded by --timeout 3" 'TFTP: no answer from the server in time' 12
	rig_check "$mode peer: no file left after the stall" test ! -e "$out/x"
	fetch "$mode-noserver" 60 $mode --timeout 2 "tftp://192.0.2.1:4069/x" -o "$out/x"
	wb_expect_fail "$mode: no server at all: --timeout 2" 'TFTP: no answer from the server in time' 10
done

# ---- the image commands: imgfetch and chain take tftp:// (DHCP from the rig's dnsmasq)
wb_run img 120 <<'S'
#!ipxe
dhcp
imgfetch --name mid tftp://192.0.2.1:1069/sub/mid.bin
imgstat mid
chain tftp://192.0.2.1/chained.ipxe
S
wb_expect_ok "imgfetch + chain over tftp"
wb_expect_out "chain tftp://: the chained script ran" '^CHAINED-OVER-TFTP'
wb_expect_out "imgfetch tftp://: the image has the file's size" "mid.*$(stat -c %s "$root/sub/mid.bin")"
wb_run img-missing 60 <<'S'
#!ipxe
dhcp
imgfetch tftp://192.0.2.1/nope.bin
S
wb_expect_fail "imgfetch of a missing tftp file: code and text" 'server error 1: .*not found' 30
wb_run img-timeout 60 <<'S'
#!ipxe
dhcp
imgfetch --timeout 2000 tftp://192.0.2.1:3069/stall/peer.bin
S
wb_expect_fail "imgfetch --timeout bounds a stalled tftp server" 'TFTP: no answer from the server in time' 15
rig_finish
