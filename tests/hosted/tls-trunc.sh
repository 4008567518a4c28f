#!/bin/bash
# tls-trunc.sh — how `wireboot fetch` takes the end of an HTTPS connection, and the
# server certificate's extendedKeyUsage, against a Python TLS 1.2 peer
# (tests/rig/tlspeer.py) with the rig's test PKI, over kernel sockets and over lwIP
# on the TAP device:
#   - a body without Content-Length or chunks (it ends at the close) whose TCP
#     connection ends without TLS close_notify — a FIN anyone on the path can forge —
#     is a truncation error and leaves no file; with close_notify it is complete;
#   - with Content-Length or chunked, a TCP close without close_notify after the
#     whole body is fine (many servers do that); one cut short is still an error;
#   - a server certificate whose extendedKeyUsage is clientAuth only is refused with
#     its own message; one without extendedKeyUsage, or with anyExtendedKeyUsage,
#     is accepted;
#   - the same through `imgfetch` in `wireboot run --tap` (app/fetch.c, the path the
#     firmware build takes): no image is kept of a truncated body.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig tls-trunc
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
peer=$RIG_TOP/tests/rig/tlspeer.py
# peer NAME PORT CASE — a tlspeer on PORT with the PKI case's chain and key
peer() {
	rig_bg "$1" python3 "$peer" --bind 192.0.2.1 --port "$2" --cert "$P/$3.chain.pem" --key "$P/$3.key"
	rig_wait_file "$RIG_DIR/$1.out" '^listening' 10 || rig_die "$1 did not start"
}
peer tlspeer 8446 good-ec
peer eku-clientauth 8447 eku-clientauth
peer eku-noeku 8448 eku-noeku
peer eku-anyeku 8449 eku-anyeku
out=$RIG_DIR/out
mkdir -p "$out"
python3 "$peer" --print-body >"$RIG_DIR/body"

fetch() {  # ID MODE ARGS...
	local id=$1 mode=$2; shift 2
	WB_LOG=$RIG_DIR/$id.log
	if [ "$mode" = tap ]; then
		timeout -k 5 60 ip netns exec "$RIG_NS" "$WB" fetch --tap "$WB_TAP" --trust "$P/root.pem" "$@" \
			>"$WB_LOG" 2>&1 </dev/null
	else
		timeout -k 5 60 ip netns exec "$RIG_NS" "$WB" fetch --trust "$P/root.pem" "$@" >"$WB_LOG" 2>&1 </dev/null
	fi
	WB_RC=$?
	WB_SECS=0
	sed "s/^/    [$id] /" "$WB_LOG" | head -20
	echo "    [$id] exit $WB_RC"
	wb_check_sane "$id"
}
# complete ID MODE URL — fetched, exit 0, same bytes as the peer's body
complete() {
	fetch "$1" "$2" "$3" -o "$out/$1"
	wb_expect_ok "$1: fetched"
	rig_check "$1: whole body" cmp -s "$RIG_DIR/body" "$out/$1"
}

for mode in sock tap; do
	# kernel sockets: the IP literal (an IP SAN of every test certificate); lwIP: the
	# name through dnsmasq
	[ $mode = sock ] && h=192.0.2.1 || h=boot.test
	u=https://$h:8446

	fetch "$mode-fin" $mode "$u/until-close/fin" -o "$out/$mode-fin"
	wb_expect_fail "$mode-fin: body ending at a TCP close without close_notify is a truncation error" \
		"until-close/fin: HTTPS: connection closed without TLS close_notify before the body's end; the body may be truncated"
	rig_expect_eq "$mode-fin: exit status 1" "$WB_RC" 1
	rig_check "$mode-fin: no file left claiming success" test ! -e "$out/$mode-fin"
	if grep -q '^fetch: .* bytes to ' "$WB_LOG"; then rig_fail "$mode-fin: no success line"
	else rig_pass "$mode-fin: no success line"; fi

	complete "$mode-notify" $mode "$u/until-close/notify"
	complete "$mode-length" $mode "$u/length/fin"
	complete "$mode-chunked" $mode "$u/chunked/fin"

	fetch "$mode-short" $mode "$u/length-short/fin" -o "$out/$mode-short"
	wb_expect_fail "$mode-short: Content-Length body cut short, no close_notify: body truncated" \
		'HTTP: body truncated'
	rig_check "$mode-short: no file left" test ! -e "$out/$mode-short"

	fetch "$mode-eku-clientauth" $mode "https://$h:8447/length/fin" -o "$out/$mode-eku-clientauth"
	wb_expect_fail "$mode-eku-clientauth: clientAuth-only server certificate refused, named" \
		"TLS: server certificate is not for TLS servers: its extendedKeyUsage lists clientAuth, not serverAuth: subject CN=boot.test"
	wb_expect_out "$mode-eku-clientauth: command error" \
		"wireboot fetch: .*: TLS: server certificate is not for TLS servers \(extendedKeyUsage without serverAuth"
	rig_check "$mode-eku-clientauth: no file left" test ! -e "$out/$mode-eku-clientauth"
	complete "$mode-eku-noeku" $mode "https://$h:8448/length/fin"
	complete "$mode-eku-anyeku" $mode "https://$h:8449/length/fin"
done

# the image commands (app/fetch.c, the firmware's path) over lwIP: the truncated body
# is an error and no image of it is kept; the complete ones are images
wb_run imgfetch 90 --trust "$P/root.pem" <<'SCRIPT'
#!ipxe
dhcp
imgfetch --name cut https://boot.test:8446/until-close/fin || echo IMGFETCH-CUT-FAILED
imgfetch --name whole https://boot.test:8446/until-close/notify
imgfetch --name length https://boot.test:8446/length/fin
imgfetch --name eku https://boot.test:8447/length/fin || echo IMGFETCH-EKU-FAILED
imgstat
SCRIPT
wb_expect_ok "imgfetch: script ran"
wb_expect_out "imgfetch: truncated body is an error" \
	"imgfetch: HTTPS: connection closed without TLS close_notify before the body's end; the body may be truncated"
wb_expect_out "imgfetch: truncated body failed" '^IMGFETCH-CUT-FAILED'
if grep -q '^cut : ' "$WB_LOG"; then rig_fail "imgfetch: no image of a truncated body"
else rig_pass "imgfetch: no image of a truncated body"; fi
wb_expect_out "imgfetch: body ended by close_notify kept whole" '^whole : 100000 bytes'
wb_expect_out "imgfetch: Content-Length body without close_notify kept whole" '^length : 100000 bytes'
wb_expect_out "imgfetch: clientAuth-only server certificate refused" '^IMGFETCH-EKU-FAILED'
sed 's/^/    [tlspeer] /' "$RIG_DIR/tlspeer.out"
rig_finish
