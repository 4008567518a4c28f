#!/bin/bash
# https.sh — `wireboot fetch` over HTTPS against nginx with the run-time test PKI
# (tests/rig/pki.sh), over kernel sockets and over lwIP on the TAP device:
# --trust ROOT makes a server under the intermediate work (RSA-2048 and ECDSA
# P-256), a 64 MiB file's SHA-256 matches; without --trust the build's anchors (none
# here) refuse it and say how to fix it; a bad certificate is refused with its own
# message (expired, wrong host); an https → http redirect is refused.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig https
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
rig_nginx_tls web "443|$P/good-rsa.chain.pem|$P/good-rsa.key|location = /down { return 302 http://192.0.2.1/x; }" \
	"8444|$P/good-ec.chain.pem|$P/good-ec.key" \
	"8450|$P/expired.chain.pem|$P/expired.key" \
	"8452|$P/wronghost.chain.pem|$P/wronghost.key"
www=$RIG_DIR/web-www
echo "hello over https" >"$www/small.txt"
head -c 67108864 /dev/urandom >"$www/big.bin"
want_big=$(sha256sum "$www/big.bin" | cut -d' ' -f1)
out=$RIG_DIR/out
mkdir -p "$out"

fetch() {  # ID MODE ARGS...
	local id=$1 mode=$2; shift 2
	WB_LOG=$RIG_DIR/$id.log
	if [ "$mode" = tap ]; then
		timeout -k 5 120 ip netns exec "$RIG_NS" "$WB" fetch --tap "$WB_TAP" "$@" >"$WB_LOG" 2>&1 </dev/null
	else
		timeout -k 5 120 ip netns exec "$RIG_NS" "$WB" fetch "$@" >"$WB_LOG" 2>&1 </dev/null
	fi
	WB_RC=$?
	WB_SECS=0
	sed "s/^/    [$id] /" "$WB_LOG" | grep -v '\] http: [0-9.]* [KM]iB of' | head -20
	wb_check_sane "$id"
}

for mode in sock tap; do
	# kernel sockets resolve with the host's resolver (nothing here): use the IP
	# literal, which the server certificates carry as an IP SAN; lwIP asks dnsmasq
	[ $mode = sock ] && h=192.0.2.1 || h=boot.test
	fetch "$mode-rsa" $mode --trust "$P/root.pem" https://$h/small.txt -o "$out/$mode-rsa"
	wb_expect_ok "$mode: https with --trust (RSA-2048 server)"
	if cmp -s "$out/$mode-rsa" "$www/small.txt"; then rig_pass "$mode: content over https"
	else rig_fail "$mode: content over https"; fi
	fetch "$mode-ec" $mode --trust "$P/root.pem" https://$h:8444/small.txt -o "$out/$mode-ec"
	wb_expect_ok "$mode: https with --trust (ECDSA P-256 server)"
	fetch "$mode-big" $mode --trust "$P/root.pem" https://$h/big.bin -o "$out/$mode-big"
	wb_expect_ok "$mode: 64 MiB over https"
	rig_expect_eq "$mode: 64 MiB sha256" "$(sed -n 's/^sha256 //p' "$WB_LOG")" "$want_big"
	fetch "$mode-notrust" $mode https://$h/small.txt -o "$out/$mode-notrust"
	wb_expect_fail "$mode: no anchors: refused, says how to fix" 'no trust anchors|TRUST=|--trust'
	fetch "$mode-expired" $mode --trust "$P/root.pem" https://$h:8450/small.txt -o "$out/x"
	wb_expect_fail "$mode: expired certificate refused, named" 'expired on .*subject CN=boot.test'
	fetch "$mode-wronghost" $mode --trust "$P/root.pem" https://$h:8452/small.txt -o "$out/x"
	wb_expect_fail "$mode: wrong host name refused, named" "host name '$h' does not match"
	fetch "$mode-down" $mode --trust "$P/root.pem" https://$h/down -o "$out/x"
	# the refusal's own message (err.h WB_EHTTPDOWNGRADE), not any line quoting the URLs
	wb_expect_fail "$mode: https → http redirect refused" "^wireboot fetch: https://$h/down: HTTP: redirect from https:// to http:// refused\$"
done
rig_finish
