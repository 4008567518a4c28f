#!/bin/bash
# claims-tls.sh — SECURITY.md, TLS: "TLS 1.2 only, ECDHE with AES-GCM or ChaCha20-Poly1305
# ... no SHA-1/MD5" (issue 20), against real servers.  Driver tests/tls/tlsget.c (as in
# tls.sh: kernel sockets + tls_wrap, ASan+UBSan).
#   - tests/rig/weaktls.py (Python ssl) offers only one weak choice per port: RSA key
#     exchange with CBC, RSA key exchange with GCM, ECDHE with CBC, TLS 1.1 only, TLS 1.3
#     only: each refused with a message saying there is no common version/suite, and the
#     server saw no handshake succeed; the same server with ECDHE-RSA-AES128-GCM: served.
#   - tests/rig/tlshello.py records the ClientHello: TLS 1.2, only the six ECDHE AEAD
#     suites offered; its ServerHello picks TLS_RSA_WITH_AES_128_CBC_SHA anyway: refused.
#   - nginx with certificates from tests/rig/pki.sh: a leaf signed with MD5, and a
#     SHA-256 leaf under an intermediate signed with SHA-1: refused, naming the hash.
. "$(dirname "$0")/lib.sh"
top=$RIG_TOP
wb_build_tlsget claims-tls
drv=$TLSGET

rig_init claimstls
rig_bridge
P=$RIG_DIR/pki
"$top/tests/rig/pki.sh" "$P" >/dev/null || { echo "FAIL: claims-tls: pki.sh"; exit 1; }
rig_nginx_tls ctls "8458|$P/sha1.chain.pem|$P/sha1.key" "8465|$P/md5.chain.pem|$P/md5.key" \
	"8466|$P/sha1-inter.chain.pem|$P/sha1-inter.key" "8443|$P/good-rsa.chain.pem|$P/good-rsa.key"
rig_bg weaktls python3 "$top/tests/rig/weaktls.py" --cert "$P/good-rsa.chain.pem" --key "$P/good-rsa.key" \
	--bind 192.0.2.1 8470:1.2:ECDHE-RSA-AES128-GCM-SHA256 8471:1.2:AES128-SHA 8472:1.2:AES128-GCM-SHA256 \
	8473:1.2:ECDHE-RSA-AES128-SHA+ECDHE-RSA-AES128-SHA256 8474:1.1:ECDHE-RSA-AES128-SHA 8475:1.3:DEFAULT
rig_wait_file "$RIG_DIR/weaktls.out" '^listening' 10 || rig_die "weaktls.py did not start"
rig_bg tlshello python3 "$top/tests/rig/tlshello.py" 192.0.2.1 8480 002f
rig_wait_file "$RIG_DIR/tlshello.out" '^listening' 10 || rig_die "tlshello.py did not start"

get() {   # get ID PORT [tlsget options]
	local id=$1 port=$2; shift 2
	WB_LOG=$RIG_DIR/$id.log
	timeout -k 5 30 ip netns exec "$RIG_NS" "$drv" --trust "$P/root.pem" "$@" 192.0.2.1 "$port" boot.test / \
		>"$WB_LOG" 2>&1
	WB_RC=$?
	sed "s/^/    [$id] /" "$WB_LOG"
	echo "    [$id] exit $WB_RC"
	wb_check_sane "$id"
}
refused() {   # refused ID PORT PATTERN
	get "$1" "$2"
	if [ "$WB_RC" = 2 ] && grep -Eq -- "^REFUSED: .*$3" "$WB_LOG"; then rig_pass "$1: refused with its message"
	else rig_fail "$1: refused with its message" "exit $WB_RC, want /$3/"; fi
}
# server_saw PORT PATTERN NAME — weaktls.py's line for the last connection to PORT
server_saw() {
	local line
	line=$(grep "^$1: " "$RIG_DIR/weaktls.out" | tail -1)
	if echo "$line" | grep -Eq -- "$2"; then rig_pass "$3 ($line)"; else rig_fail "$3" "server: ${line:-nothing}"; fi
}

get ecdhe-gcm 8470 -v
if [ "$WB_RC" = 0 ] && grep -q 'hello from weaktls' "$WB_LOG"; then rig_pass "ecdhe-gcm: served (the harness works)"
else rig_fail "ecdhe-gcm: served (the harness works)" "exit $WB_RC"; fi
server_saw 8470 'handshake ok ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2' "ecdhe-gcm: server agreed ECDHE-RSA-AES128-GCM, TLS 1.2"

nocommon='alert 40 \(handshake_failure\): no common protocol version or cipher suite \(wireboot offers TLS 1\.2 ECDHE AEAD suites\)'
for c in rsa-cbc:8471 rsa-gcm:8472 ecdhe-cbc:8473 tls11:8474 tls13:8475; do
	id=${c%:*} port=${c#*:}
	pat=$nocommon
	[ "$id" = tls13 ] && pat='alert 70 \(protocol_version\): no common protocol version \(wireboot speaks TLS 1\.2 only\)'
	refused "$id" "$port" "$pat"
	server_saw "$port" 'handshake failed' "$id: the server's handshake failed too"
	if grep -q '^CIPHER: ' "$WB_LOG"; then rig_fail "$id: no cipher negotiated" "$(grep '^CIPHER: ' "$WB_LOG")"
	else rig_pass "$id: no cipher negotiated"; fi
done

# what the client offers, and what it does when the server picks something else anyway
get forced-rsa-cbc 8480
if [ "$WB_RC" = 2 ] && grep -Eq '^REFUSED: .*no common cipher suite' "$WB_LOG"; then
	rig_pass "forced-rsa-cbc: a ServerHello with an unoffered suite is refused"
else rig_fail "forced-rsa-cbc: a ServerHello with an unoffered suite is refused" "exit $WB_RC"; fi
rig_wait_file "$RIG_DIR/tlshello.out" '^client closed' 10
rig_expect_grep "forced-rsa-cbc: the ServerHello was sent" "$RIG_DIR/tlshello.out" '^sent ServerHello 002f'
offer=$(sed -n 's/^hello: version \(....\) suites \(.*\)$/\1 \2/p' "$RIG_DIR/tlshello.out" | head -1)
rig_expect_eq "ClientHello: version TLS 1.2" "${offer%% *}" 0303
# RFC 5289 / RFC 7905: ECDHE-{ECDSA,RSA} with AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305;
# 00ff (renegotiation SCSV) carries no algorithm
want=$(printf '%s\n' c02b c02f c02c c030 cca9 cca8 | sort | tr '\n' ,)
got=$(echo "${offer#* }" | tr , '\n' | grep -v '^00ff$' | sort | tr '\n' ,)
rig_expect_eq "ClientHello: only the six ECDHE AEAD suites offered" "$got" "$want"

# weak signature hashes (sha1: the leaf, as in tls.sh; here MD5, and SHA-1 on the intermediate)
get good 8443
if [ "$WB_RC" = 0 ]; then rig_pass "good-rsa from the same nginx: served"; else rig_fail "good-rsa from the same nginx: served" "exit $WB_RC"; fi
refused md5 8465 "server certificate is signed with MD5, which is refused"
refused sha1 8458 "server certificate is signed with SHA-1, which is refused"
refused sha1-inter 8466 "is signed with SHA-1, which is refused.*SHA-1 Intermediate|SHA-1 Intermediate.*is signed with SHA-1, which is refused"
rig_finish
