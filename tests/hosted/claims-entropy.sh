#!/bin/bash
# claims-entropy.sh — SECURITY.md, randomness: TLS draws its seed from wb_entropy(); without
# a platform RNG that is the timer-jitter source (src/core/jitter.c), "each batch passing
# the SP 800-90B §4.4 repetition-count and adaptive-proportion health tests or the fetch
# fails" (issue 20).
#
# The hosted wireboot plays a firmware without EFI_RNG_PROTOCOL through WB_HOST_ENTROPY
# (src/platform/host/plat_host.c): "timer" — the jitter source on the real clock;
# "stuck-timer" — the same with a clock that ticks at every 1000th read, so every sample
# is the same count (what a timer without jitter gives).  `wireboot fetch https://…` over
# kernel sockets connects to a scripted peer that records every byte it receives:
#   - getrandom (default) and "timer": the peer receives a TLS ClientHello (the harness
#     works, and the jitter source passes its health tests on a real clock);
#   - "stuck-timer": the fetch fails with WB_EENTROPYHEALTH's message, the peer saw the
#     TCP connection and received no byte: no ClientHello went out.
. "$(dirname "$0")/lib.sh"
if [ ! -x "$WB" ]; then echo "FAIL: claims-entropy: $WB not built (make build/san/wireboot)"; exit 1; fi
rig_init claimsent
rig_bridge

# the peer: one line per connection, "conn N: B bytes, first byte XX" once the client
# closed (or after 10 s of silence)
cat >"$RIG_DIR/peer.py" <<'PY'
import socket, sys
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("192.0.2.1", int(sys.argv[1])))
ls.listen(4)
print("listening", flush=True)
n = 0
while True:
    c, _ = ls.accept()
    n += 1
    c.settimeout(10)
    got = b""
    try:
        while len(got) < 65536:
            d = c.recv(4096)
            if not d:
                break
            got += d
            if len(got) >= 5 and len(got) >= 5 + int.from_bytes(got[3:5], "big"):
                break   # one whole TLS record: enough
    except OSError:
        pass
    c.close()
    print("conn %d: %d bytes, first byte %s" % (n, len(got), got[:1].hex() or "none"), flush=True)
PY
rig_bg peer python3 "$RIG_DIR/peer.py" 8491
rig_wait_file "$RIG_DIR/peer.out" '^listening' 10 || rig_die "the recording peer did not start"

# fetch ID MODE — wireboot fetch with WB_HOST_ENTROPY=MODE (empty: unset); then the
# peer's line for this connection in PEER (empty if it saw none)
conns=0
fetch() {
	local id=$1 mode=$2
	if [ -n "$mode" ]; then
		wb_exec "$id" 60 env WB_HOST_ENTROPY="$mode" "$WB" fetch https://192.0.2.1:8491/boot.ipxe -o "$RIG_DIR/$id.out"
	else
		wb_exec "$id" 60 env -u WB_HOST_ENTROPY "$WB" fetch https://192.0.2.1:8491/boot.ipxe -o "$RIG_DIR/$id.out"
	fi
	conns=$((conns + 1))
	rig_wait_file "$RIG_DIR/peer.out" "^conn $conns: " 15
	PEER=$(grep "^conn $conns: " "$RIG_DIR/peer.out")
	echo "    [$id] peer: ${PEER:-saw no connection}"
}

for mode in getrandom timer; do
	fetch "$mode" "$([ $mode = timer ] && echo timer)"
	if [[ $PEER =~ ^conn\ [0-9]+:\ [1-9][0-9]*\ bytes,\ first\ byte\ 16$ ]]; then
		rig_pass "$mode: a TLS ClientHello reached the peer"
	else
		rig_fail "$mode: a TLS ClientHello reached the peer" "peer: ${PEER:-no connection}"
	fi
	if grep -q 'no entropy' "$WB_LOG"; then
		rig_fail "$mode: no entropy error" "$(grep 'no entropy' "$WB_LOG" | head -1)"
	else rig_pass "$mode: no entropy error"; fi
done

fetch stuck stuck-timer
wb_expect_fail "stuck-timer: the fetch fails with the health-test error" \
	'no entropy: the timer-jitter source failed its health tests'
if [[ $PEER =~ ^conn\ [0-9]+:\ 0\ bytes ]]; then
	rig_pass "stuck-timer: the TCP connection was made and no byte (no ClientHello) sent"
else
	rig_fail "stuck-timer: the TCP connection was made and no byte (no ClientHello) sent" "peer: ${PEER:-no connection}"
fi
if [ -s "$RIG_DIR/stuck.out" ]; then rig_fail "stuck-timer: no file written" "$RIG_DIR/stuck.out has data"
else rig_pass "stuck-timer: no file written"; fi
rig_finish
