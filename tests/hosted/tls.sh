#!/bin/bash
# tests/hosted/tls.sh — src/tls against nginx with a test PKI made at run time
# (tests/rig/pki.sh): good servers (RSA-2048, ECDSA P-256, root sent too, IP
# literal, client certificate; extendedKeyUsage serverAuth, none, any, or
# clientAuth + serverAuth) must work; each bad certificate (also one whose
# extendedKeyUsage is clientAuth only) must be refused with its own message
# naming the check and the certificate.  Driver:
# tests/tls/tlsget.c (kernel sockets + tls_wrap), built here under ASan+UBSan.
. "$(dirname "$0")/lib.sh"
top=$RIG_TOP
wb_build_tlsget tls
drv=$TLSGET

rig_init tls
rig_bridge
P=$RIG_DIR/pki
"$top/tests/rig/pki.sh" "$P" >/dev/null || { echo "FAIL: tls: pki.sh"; exit 1; }

cases="good-rsa:8443 good-ec:8444 good-root:8445 expired:8450 notyet:8451 wronghost:8452
	unknownca:8453 selfsigned:8454 nointer:8455 notca:8456 rsa1024:8457 sha1:8458
	eku-clientauth:8461 eku-noeku:8462 eku-anyeku:8463 eku-botheku:8464"
specs=()
for c in $cases; do specs+=("${c#*:}|$P/${c%:*}.chain.pem|$P/${c%:*}.key"); done
specs+=("8460|$P/clientauth.chain.pem|$P/clientauth.key|ssl_verify_client on; ssl_client_certificate $P/root.pem;")
rig_nginx_tls tls "${specs[@]}"

TRUST_OPT=(--trust "$P/root.pem")
# get ID PORT NAME [tlsget options] — run the driver in the namespace
get() {
	local id=$1 port=$2 name=$3; shift 3
	WB_LOG=$RIG_DIR/$id.log
	timeout -k 5 30 ip netns exec "$RIG_NS" "$drv" "${TRUST_OPT[@]}" "$@" 192.0.2.1 "$port" "$name" / \
		>"$WB_LOG" 2>&1
	WB_RC=$?
	sed "s/^/    [$id] /" "$WB_LOG"
	echo "    [$id] exit $WB_RC"
	wb_check_sane "$id"
}
ok() { # ID PORT NAME [opts]
	get "$@"
	if [ "$WB_RC" = 0 ] && grep -q "hello from tls" "$WB_LOG"; then rig_pass "$1: served"
	else rig_fail "$1: served" "exit $WB_RC"; fi
}
refused() { # ID PORT PATTERN [opts] — refusal line must match PATTERN
	local id=$1 port=$2 pat=$3; shift 3
	get "$id" "$port" boot.test "$@"
	if [ "$WB_RC" = 2 ] && grep -Eq -- "^REFUSED: .*$pat" "$WB_LOG"; then rig_pass "$id: refused with its message"
	else rig_fail "$id: refused with its message" "exit $WB_RC, want /$pat/"; fi
	grep '^REFUSED: ' "$WB_LOG" >>"$RIG_DIR/messages"
}

ok good-rsa 8443 boot.test -v
rig_expect_grep "good-rsa: ECDHE-RSA AEAD suite" "$RIG_DIR/good-rsa.log" '^CIPHER: ECDHE-RSA-(AES128-GCM|AES256-GCM|CHACHA20)'
ok good-ec 8444 boot.test -v
rig_expect_grep "good-ec: ECDHE-ECDSA AEAD suite" "$RIG_DIR/good-ec.log" '^CIPHER: ECDHE-ECDSA-'
ok good-root 8445 boot.test
ok good-ip 8443 192.0.2.1
ok good-intermediate-anchor 8455 boot.test --trust "$P/inter.pem"

V='subject CN=[^,]+, issuer CN=[^,]+, valid [0-9-]+ [0-9:]+ to [0-9-]+ [0-9:]+ UTC'
refused expired 8450 "server certificate expired on 2020-01-01 00:00:00 UTC .*subject CN=boot.test, issuer CN=wireboot Test Intermediate CA, valid 2019-01-01"
refused notyet 8451 "server certificate not valid before 2099-01-01 00:00:00 UTC .*$V"
refused wronghost 8452 "host name 'boot.test' does not match the server certificate \(it is for DNS:other.test\): subject CN=other.test"
refused unknownca 8453 "chain ends at CA 'Unknown Test Intermediate CA' whose issuer 'Unknown Test Root CA' is not a trust anchor \(unknown CA\): $V"
refused selfsigned 8454 "server certificate is self-signed and not a trust anchor: subject CN=boot.test, issuer CN=boot.test"
refused nointer 8455 "issuer 'wireboot Test Intermediate CA' of the server certificate was not sent by the server .*missing intermediate.*: $V"
refused notca 8456 "certificate 'boot.test' is signed by 'Not A CA Signer', which is not a CA.*: subject CN=Not A CA Signer, issuer CN=wireboot Test Root CA"
refused rsa1024 8457 "server certificate has a 1024-bit RSA key; at least 2048 bits required: $V"
refused sha1 8458 "server certificate is signed with SHA-1, which is refused.*: $V"
refused eku-clientauth 8461 "server certificate is not for TLS servers: its extendedKeyUsage lists clientAuth, not serverAuth: subject CN=boot.test, issuer CN=wireboot Test Intermediate CA"
ok eku-none 8462 boot.test
ok eku-any 8463 boot.test
ok eku-client-and-server 8464 boot.test
refused notime 8443 "current time unknown.*run 'ntp SERVER'.*: $V" --no-time
get wrongip 8443 192.0.2.2
if [ "$WB_RC" = 2 ] && grep -q "REFUSED: TLS: host name '192.0.2.2' does not match the server certificate (no IP SAN for it" "$WB_LOG"; then
	rig_pass "wrongip: IP literal checked against IP SANs"; else rig_fail "wrongip: IP literal checked against IP SANs"; fi
TRUST_OPT=()
refused notrust 8443 "no trust anchors configured, cannot verify the server"
TRUST_OPT=(--trust "$P/root.pem")

# client certificate: without one nginx answers 400; with one, the page
get clientauth-none 8460 boot.test
if grep -q "400 No required SSL certificate was sent" "$WB_LOG"; then rig_pass "clientauth-none: server demands a certificate"
else rig_fail "clientauth-none: server demands a certificate"; fi
ok clientauth 8460 boot.test --cert "$P/client.pem" --key "$P/client.key"

n=$(sort -u "$RIG_DIR/messages" | wc -l); t=$(wc -l <"$RIG_DIR/messages")
rig_expect_eq "every refusal message is distinct" "$n" "$t"
rig_finish
