#!/bin/bash
# claims-dhcp.sh — SECURITY.md: "Replies must match our xid and MAC; ACK/NAK must come from
# the server we chose" (issue 20).  tests/rig/baddhcp.py answers with well-formed replies
# that belong to another exchange: a wrong xid (offering .151), a wrong chaddr (.152), an
# ACK from 192.0.2.2 when 192.0.2.1 was chosen (.153); and an ACK without a server
# identifier (option 54, which RFC 2131 requires in an ACK; .154), dropped as malformed.
#   - alone, each is ignored: dhcp fails, says how many it ignored and why, and no address
#     from them is applied or printed;
#   - sent before or after the right reply (.150 from 192.0.2.1) in the same burst, the
#     client binds .150 from 192.0.2.1 (a decoy arriving after the right ACK must not
#     replace it either).
set -u
. "$(dirname "$0")/lib.sh"
wb_rig claimsdhcp nodhcp

# baddhcp_run MODE — baddhcp.py in MODE on br0, then `dhcp` printing the bound IP= and
# SERVER=; the responder is left running for the caller's checks (rig_stop baddhcp-MODE)
baddhcp_run() {
	rig_bg "baddhcp-$1" python3 "$RIG_TOP/tests/rig/baddhcp.py" br0 "$1"
	rig_wait_file "$RIG_DIR/baddhcp-$1.out" '^baddhcp:' 10
	wb_run "$1" 60 <<'EOF2'
#!ipxe
dhcp
echo IP=${net0/ip}
echo SERVER=${net0/dhcp-server}
EOF2
}

for mode in wrong-xid wrong-mac other-server no-server-id; do
	case $mode in
	wrong-xid) bad=192.0.2.151 why='transaction id [0-9a-f]{8} is not ours \([0-9a-f]{8}\)' ;;
	wrong-mac) bad=192.0.2.152 why='client hardware address ([0-9a-f]{2}:){5}[0-9a-f]{2} is not ours' ;;
	other-server) bad=192.0.2.153 why='ACK from server 192\.0\.2\.2, not the one chosen \(192\.0\.2\.1\)' ;;
	no-server-id) bad=192.0.2.154 why='ACK without a server identifier \(option 54\)' ;;
	esac
	case $mode in
	no-server-id) why="malformed repl(y|ies); last: $why" ;;
	*) why="repl(y|ies) for another exchange; last: $why" ;;
	esac
	baddhcp_run "$mode"
	want='sent OFFER \(wrong-xid\)'
	[ "$mode" = wrong-mac ] && want='sent OFFER \(wrong-mac\)'
	[ "$mode" = other-server ] && want='sent ACK \(other-server\)'
	[ "$mode" = no-server-id ] && want='sent ACK \(no-server-id\)'
	rig_expect_grep "$mode: the foreign reply was sent" "$RIG_DIR/baddhcp-$mode.out" "$want"
	wb_expect_fail "$mode: ignored, dhcp fails" 'DHCP: no offer or acknowledgement' 40
	wb_expect_out "$mode: the client says what it ignored and why" \
		"^DHCP: ignored [0-9]+ $why\$"
	if grep -q "${bad//./\\.}" "$WB_LOG"; then rig_fail "$mode: no address from the foreign reply" "$(grep -m1 "${bad//./\\.}" "$WB_LOG")"
	else rig_pass "$mode: no address from the foreign reply"; fi
	rig_stop "baddhcp-$mode"
done

for mode in decoys-first decoys-after; do
	baddhcp_run "$mode"
	rig_expect_grep "$mode: decoy ACKs were sent with the right one" "$RIG_DIR/baddhcp-$mode.out" 'sent ACK \(no-server-id\)'
	wb_expect_ok "$mode: dhcp succeeds"
	rig_expect_eq "$mode: the right address is bound" "$(wb_val IP)" 192.0.2.150
	rig_expect_eq "$mode: from the chosen server" "$(wb_val SERVER)" 192.0.2.1
	rig_stop "baddhcp-$mode"
done

rig_finish
