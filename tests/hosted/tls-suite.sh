#!/bin/bash
# tls-suite.sh — the order of the TLS client's cipher-suite offer (src/tls/tls.c):
# AES-GCM first only where BearSSL runs AES on AES instructions, else
# ChaCha20-Poly1305 first.  nginx with `ssl_prefer_server_ciphers off` and both
# suites enabled takes the client's first suite it has, so the negotiated suite
# shows the order:
#   - default on this host: what /proc/cpuinfo implies (flag "aes": AES-GCM and
#     "AES hw, GHASH pclmul" records; none: ChaCha20);
#   - forced "no AES instructions" (`fetch --tls-no-aesni`, setting `tls-no-aesni 1`
#     in a script): ChaCha20-Poly1305, with BearSSL's fastest ChaCha20/Poly1305
#     (sse2 on x86_64, ctmulq on 64-bit);
#   - a server with AES-GCM only still works in that mode (software AES ct64 /
#     GHASH ctmul64: the suite set is unchanged, only the order);
# over kernel sockets and over lwIP (`run` with the settings), RSA and ECDSA servers;
# `tlsbench` names the same implementations and times both suites.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig tls-suite
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
# rig.sh's list (OpenSSL's DEFAULT) has both AES-GCM and ChaCha20-Poly1305; the server
# preference is off by nginx's default already, said here so that the test means it
BOTH="ssl_prefer_server_ciphers off;"
# AES-GCM only: OpenSSL's cipher string replaced after nginx's own ssl_ciphers
AESONLY="ssl_prefer_server_ciphers off; ssl_conf_command CipherString ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0;"
rig_nginx_tls web "443|$P/good-ec.chain.pem|$P/good-ec.key|$BOTH" \
	"8443|$P/good-rsa.chain.pem|$P/good-rsa.key|$BOTH" \
	"8444|$P/good-ec.chain.pem|$P/good-ec.key|$AESONLY"
www=$RIG_DIR/web-www
head -c 1048576 /dev/urandom >"$www/one.bin"
want=$(sha256sum "$www/one.bin" | cut -d' ' -f1)
out=$RIG_DIR/out
mkdir -p "$out"

if grep -qw aes /proc/cpuinfo; then
	host_suite=AES128-GCM host_first=AES-GCM host_why="AES instructions" host_rec="AES hw, GHASH pclmul"
	host_aesrec=$host_rec
else
	host_suite=CHACHA20-POLY1305 host_first=ChaCha20-Poly1305 host_why="no AES instructions"
	host_rec="ChaCha20 sse2, Poly1305 ctmulq" host_aesrec="AES ct64, GHASH ctmul64"
fi
echo "info: this CPU: ${host_why}: expecting $host_suite by default"
NOAES_REC="ChaCha20 sse2, Poly1305 ctmulq"
[ "$(uname -m)" = x86_64 ] || NOAES_REC="ChaCha20 ct, Poly1305 ctmulq"

fetch() {  # ID ARGS...
	local id=$1; shift
	WB_LOG=$RIG_DIR/$id.log
	timeout -k 5 60 ip netns exec "$RIG_NS" "$WB" fetch --tls-verbose --trust "$P/root.pem" "$@" >"$WB_LOG" 2>&1 </dev/null
	WB_RC=$?
	sed "s/^/    [$id] /" "$WB_LOG" | grep -v '\] http: [0-9.]* [KM]iB of' | head -20
	wb_check_sane "$id"
}
# suite ID KEYALG SUITE FIRST WHY RECORDS — the verbose handshake line of the last run
suite() {
	local id=$1 alg=$2 cs=$3 first=$4 why=$5 rec=$6
	wb_expect_out "$id: negotiated ECDHE-$alg-$cs, $first offered first ($why), records $rec" \
		"^TLS: TLS 1\\.2 with ECDHE-$alg-$cs[-A-Z0-9]*, [^ ]+: handshake done in [0-9]+ ms; offered $first first \\($why\\); records: $rec\$"
}

h=192.0.2.1
fetch default-ec https://$h/one.bin -o "$out/default-ec"
wb_expect_ok "default-ec: fetched"
rig_expect_eq "default-ec: sha256" "$(sed -n 's/^sha256 //p' "$WB_LOG")" "$want"
suite default-ec ECDSA "$host_suite" "$host_first" "$host_why" "$host_rec"

fetch default-rsa https://$h:8443/one.bin -o "$out/default-rsa"
wb_expect_ok "default-rsa: fetched"
suite default-rsa RSA "$host_suite" "$host_first" "$host_why" "$host_rec"

fetch noaes-ec --tls-no-aesni https://$h/one.bin -o "$out/noaes-ec"
wb_expect_ok "noaes-ec: fetched"
rig_expect_eq "noaes-ec: sha256" "$(sed -n 's/^sha256 //p' "$WB_LOG")" "$want"
suite noaes-ec ECDSA CHACHA20-POLY1305 ChaCha20-Poly1305 "no AES instructions" "$NOAES_REC"

fetch noaes-rsa --tls-no-aesni https://$h:8443/one.bin -o "$out/noaes-rsa"
wb_expect_ok "noaes-rsa: fetched"
suite noaes-rsa RSA CHACHA20-POLY1305 ChaCha20-Poly1305 "no AES instructions" "$NOAES_REC"

# the same suite set: AES-GCM still negotiates in the no-AES order, in software
fetch noaes-aesonly --tls-no-aesni https://$h:8444/one.bin -o "$out/noaes-aesonly"
wb_expect_ok "noaes-aesonly: fetched"
rig_expect_eq "noaes-aesonly: sha256" "$(sed -n 's/^sha256 //p' "$WB_LOG")" "$want"
suite noaes-aesonly ECDSA AES128-GCM ChaCha20-Poly1305 "no AES instructions" "AES ct64, GHASH ctmul64"

# the firmware's path (app/fetch.c over lwIP): settings tls-verbose / tls-no-aesni
wb_run script-default 60 --trust "$P/root.pem" <<'SCRIPT'
dhcp
set tls-verbose 1
imgfetch --name a https://boot.test/one.bin
SCRIPT
wb_expect_ok "script-default: fetched"
suite script-default ECDSA "$host_suite" "$host_first" "$host_why" "$host_rec"
wb_run script-noaes 60 --trust "$P/root.pem" <<'SCRIPT'
dhcp
set tls-verbose 1
set tls-no-aesni 1
imgfetch --name a https://boot.test/one.bin
SCRIPT
wb_expect_ok "script-noaes: fetched"
suite script-noaes ECDSA CHACHA20-POLY1305 ChaCha20-Poly1305 "no AES instructions" "$NOAES_REC"
wb_run script-quiet 60 --trust "$P/root.pem" <<'SCRIPT'
dhcp
imgfetch --name a https://boot.test/one.bin
SCRIPT
wb_expect_ok "script-quiet: fetched"
if grep -q '^TLS: TLS 1.2 with' "$WB_LOG"; then rig_fail "script-quiet: no handshake line without tls-verbose"
else rig_pass "script-quiet: no handshake line without tls-verbose"; fi

# tlsbench: the record crypto alone, with the implementations the records use
wb_run tlsbench 60 <<'SCRIPT'
tlsbench 4
set tls-no-aesni 1
tlsbench 4
SCRIPT
wb_expect_ok "tlsbench: ran"
n=$(grep -Ec '^tlsbench: (ChaCha20-Poly1305|AES-128-GCM) \([^)]+\): 4 MiB in [0-9]+ ms \([0-9]+ KiB/s\)$' "$WB_LOG")
rig_expect_eq "tlsbench: four figures" "$n" 4
wb_expect_out "tlsbench: CPU's AES implementation by default" "^tlsbench: AES-128-GCM \\($host_aesrec\\)"
wb_expect_out "tlsbench: software AES with tls-no-aesni" "^tlsbench: AES-128-GCM \\(AES ct64, GHASH ctmul64\\)"
wb_expect_out "tlsbench: ChaCha20 implementation" "^tlsbench: ChaCha20-Poly1305 \\($NOAES_REC\\)"
rig_finish
