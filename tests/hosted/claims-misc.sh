#!/bin/bash
# claims-misc.sh — SECURITY.md claims about what is printed (issue 20):
#   URIs: "user info and query strings are never printed by the HTTP client": a fetch
#   whose URL, and whose redirects' Location headers, carry user:password@ and
#   ?token=..., through two redirects to an 8 MiB file served at 4 MiB/s (so progress
#   lines are printed), over kernel sockets (`wireboot fetch`) and over lwIP (`imgfetch`),
#   and a 404 for such a URL: the redirect, progress and error lines are there, none
#   shows a password or a query value (the server's log shows the queries did arrive).
set -u
. "$(dirname "$0")/lib.sh"
wb_rig claimsmisc
www="$RIG_DIR/www"
mkdir -p "$www"
head -c $((8 * 1024 * 1024)) /dev/urandom >"$www/big.bin"
P1=pw-SeCrEt-1111 P2=rpw-SeCrEt-2222 Q1=tok-SeCrEt-5555 Q2=tok2-SeCrEt-6666 Q3=tok3-SeCrEt-7777
rig_nginx "$www" "
	location = /r1 { return 302 http://ruser:$P2@192.0.2.1/r2?token2=$Q2; }
	location = /r2 { return 302 /big.bin?token3=$Q3; }
	location = /big.bin { limit_rate 4m; }"
url="http://wbuser:$P1@192.0.2.1/r1?token=$Q1"

# hidden NAME — none of the passwords or query values in the last output; the markers
# that prove the lines in question were printed are checked by the caller
hidden() {
	local s found=
	for s in "$P1" "$P2" "$Q1" "$Q2" "$Q3" wbuser ruser; do grep -Fq -- "$s" "$WB_LOG" && found="$found $s"; done
	if [ -z "$found" ]; then rig_pass "$1: no user info or query value printed"
	else rig_fail "$1: no user info or query value printed" "printed:$found"; fi
}
markers() {   # markers NAME — the redirect lines and progress lines were printed
	local n
	n=$(grep -cE '^http: 302 [A-Za-z ]+ -> http://' "$WB_LOG")
	rig_expect_eq "$1: both redirects were printed" "$n" 2
	wb_expect_out "$1: a progress line was printed" '^http: [0-9.]+ [KM]iB of (8192\.0 KiB|8\.0 MiB) \([0-9]+%\) at [0-9.]+ [KM]iB/s$'
	wb_expect_out "$1: the final progress line was printed" '^http: (8192\.0 KiB|8\.0 MiB) of (8192\.0 KiB|8\.0 MiB) \(100%\) at [0-9.]+ [KM]iB/s, done$'
}

wb_exec fetch-sock 60 "$WB" fetch --progress "$url" -o "$RIG_DIR/big.sock" </dev/null
wb_expect_ok "sock: fetched through both redirects"
rig_check "sock: the content is the file's" cmp -s "$www/big.bin" "$RIG_DIR/big.sock"
markers sock
hidden sock

wb_run fetch-tap 90 <<EOF2
#!ipxe
dhcp
imgfetch --name big $url
imgstat
EOF2
wb_expect_ok "tap: imgfetch through both redirects"
markers tap
hidden tap

wb_exec missing-sock 60 "$WB" fetch --progress "http://wbuser:$P1@192.0.2.1/missing?token=$Q1" -o "$RIG_DIR/missing" </dev/null
wb_expect_fail "404: fails with the status" '404 Not Found' 30
wb_expect_out "404: the error line names the URL (host and path)" 'http://192\.0\.2\.1/missing'
hidden 404

for q in "token=$Q1" "token2=$Q2" "token3=$Q3"; do
	rig_expect_grep "the server received $q (the URLs were used)" "$RIG_DIR/nginx-access.log" "$q"
done
rig_finish
