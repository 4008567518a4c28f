#!/bin/bash
# tcp-isn.sh — RFC 6528 initial sequence numbers on the wire: wireboot (lwIP over TAP)
# opens CONNS TCP connections to one server, a raw capture in the namespace records
# each SYN's sequence number, and tests/rig/tcpsyn.py checks that consecutive ISNs are
# not predictable from each other (steps spread over 2^32, no repeated steps, no
# constant bits).  lwIP's default (6510 + tcp_ticks) fails every one of these.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig tcp-isn
CONNS=${TCP_ISN_CONNS:-48}
PORT=5002
rig_bg tcpsend python3 "$RIG_TOP/tests/rig/tcpsend.py" --port $PORT --bytes 1000 --bind 192.0.2.1
rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 30 || rig_die "tcpsend.py did not start"
rig_bg syncap python3 "$RIG_TOP/tests/rig/tcpsyn.py" capture --ifname "$WB_TAP" --dst 192.0.2.1 --port $PORT
rig_wait_file "$RIG_DIR/syncap.out" '^listening' 30 || rig_die "tcpsyn.py capture did not start"

{
	echo '#!ipxe'
	echo 'dhcp'
	for _ in $(seq "$CONNS"); do echo "tcprecv 192.0.2.1 $PORT"; done
} >"$RIG_DIR/conns.in"
wb_run conns 300 <"$RIG_DIR/conns.in"   # (not in a pipeline: WB_RC etc. are set here)
wb_expect_ok "tcp-isn: $CONNS connections succeed"
n=$(grep -cE '^tcprecv: 1000 bytes in ' "$WB_LOG")
rig_expect_eq "tcp-isn: $CONNS x 1000 bytes received" "$n" "$CONNS"

sleep 0.5   # the capture has printed every SYN it saw by now (lines are flushed)
rig_stop syncap
while IFS='|' read -r verdict name detail; do
	case $verdict in
	PASS) rig_pass "tcp-isn: $name" ;;
	FAIL) rig_fail "tcp-isn: $name" "$detail" ;;
	*) echo "    $verdict" ;;
	esac
done < <(python3 "$RIG_TOP/tests/rig/tcpsyn.py" check "$RIG_DIR/syncap.out" --want "$CONNS")
rig_finish
