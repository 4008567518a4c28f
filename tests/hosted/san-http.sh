#!/bin/bash
# san-http.sh — `wireboot preflight http` (san/san_http.c, the HTTP(S) range block device)
# against real nginx over TLS (Range support is nginx's default) serving a random 24 MiB
# image: --read-all's SHA-256 equals sha256sum of the file, over kernel sockets and over
# lwIP (--tap), with one and with several connections; and the refusal cases against a
# misbehaving peer (tests/rig/httppeer.py --image): 200 with the whole file, another
# range, a changed ETag / Last-Modified, a range truncated and closed every time — each
# exits non-zero with its own message naming the byte range, and no SHA-256 is printed
# (no data was used); a range truncated once and connections dropped after every 3
# requests are survived (reconnect and reissue) with the file's SHA-256; a manifest that
# does not match names the chunk.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig san-http
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
rig_nginx_tls web "443|$P/good-rsa.chain.pem|$P/good-rsa.key"
www=$RIG_DIR/web-www
head -c $((24 << 20)) /dev/urandom >"$www/disk.img"
want=$(sha256sum "$www/disk.img" | cut -d' ' -f1)
# the misbehaving peer serves a smaller image of its own (plain HTTP)
head -c $((4 << 20)) /dev/urandom >"$RIG_DIR/peer.img"
want_peer=$(sha256sum "$RIG_DIR/peer.img" | cut -d' ' -f1)
rig_bg httppeer python3 "$RIG_TOP/tests/rig/httppeer.py" --bind 192.0.2.1 --port 8080 --image "$RIG_DIR/peer.img"
rig_wait_file "$RIG_DIR/httppeer.out" '^listening' 10 || rig_die "httppeer did not start"

pf() {  # ID MODE ARGS...
	local id=$1 mode=$2; shift 2
	if [ "$mode" = tap ]; then
		wb_exec "$id" 120 "$WB" preflight http --tap "$WB_TAP" "$@" </dev/null
	else
		wb_exec "$id" 120 "$WB" preflight http "$@" </dev/null
	fi
}
sha() { sed -n 's/^sha256 //p' "$WB_LOG"; }

for mode in sock tap; do
	[ $mode = sock ] && h=192.0.2.1 || h=boot.test
	pf "$mode-tls" $mode --trust "$P/root.pem" --no-disk --read-all --chunk 65536 "https://$h/disk.img"
	wb_expect_ok "$mode: preflight http over TLS (nginx)"
	wb_expect_out "$mode: size from the probe" '^capacity 49152 blocks x 512 bytes = 25165824 bytes, read-only'
	rig_expect_eq "$mode: --read-all SHA-256 = sha256sum" "$(sha)" "$want"
	pf "$mode-tls4" $mode --trust "$P/root.pem" --no-disk --read-all --connections 4 --depth 8 \
		--request-size 131072 "https://$h/disk.img"
	wb_expect_ok "$mode: 4 connections, depth 8"
	rig_expect_eq "$mode: 4 connections: SHA-256 = sha256sum" "$(sha)" "$want"
	pf "$mode-notrust" $mode --no-disk "https://$h/disk.img"
	wb_expect_fail "$mode: without --trust the server is refused" 'no trust anchors|TRUST=|--trust'
done

# the peer: survived cases (data still exact)
u=http://192.0.2.1:8080/img
pf peer-ok sock --no-disk --read-all "$u/ok/a"
wb_expect_ok "peer: exact ranges"
rig_expect_eq "peer: SHA-256" "$(sha)" "$want_peer"
pf peer-drop sock --no-disk --read-all --connections 2 --depth 4 --request-size 65536 "$u/drop-3/a"
wb_expect_ok "peer: every connection dropped after 3 requests: survived"
rig_expect_eq "peer: dropped connections: SHA-256 still exact" "$(sha)" "$want_peer"
wb_expect_out "peer: dropped connections: reconnects counted" '^recovery: [1-9][0-9]* reconnects'
pf peer-drop-tap tap --no-disk --read-all --request-size 65536 "$u/drop-3/b"
wb_expect_ok "peer (lwIP): connections dropped: survived"
rig_expect_eq "peer (lwIP): dropped connections: SHA-256 still exact" "$(sha)" "$want_peer"
pf peer-trunc1 sock --no-disk --read-all "$u/trunc-5/a"
wb_expect_ok "peer: one range truncated + closed: reissued"
rig_expect_eq "peer: truncated once: SHA-256 still exact" "$(sha)" "$want_peer"

# the peer: refusals, each its own message, no SHA-256 (no data used)
refuse() {  # NAME PATH PATTERN [ARGS...]
	local name=$1 path=$2 pat=$3; shift 3
	pf "peer-$name" sock --no-disk --read-all "$@" "$u/$path"
	wb_expect_fail "peer: $name refused" "$pat"
	if [ -n "$(sha)" ]; then rig_fail "peer: $name: no SHA-256 (no data used)" "printed one"
	else rig_pass "peer: $name: no SHA-256 (no data used)"; fi
}
refuse whole-at-open whole-1/a 'wireboot preflight: HTTP SAN: .*answered 200 \(the whole file\) instead of 206'
refuse whole-mid-use whole-4/a 'read-all: HTTP SAN: bytes [0-9]+-[0-9]+ of http://192.0.2.1:8080/img/whole-4/a: the server answered 200'
refuse other-range shift-3/a 'read-all: HTTP SAN: asked bytes [0-9]+-[0-9]+ of .*, the server answered bytes [0-9]+-[0-9]+; refused'
refuse etag-changed etag-3/a 'read-all: HTTP SAN: bytes [0-9]+-[0-9]+ of .*: the ETag changed \("v2", was "v1"\)'
refuse lm-changed lm-3/a 'read-all: HTTP SAN: bytes [0-9]+-[0-9]+ of .*: Last-Modified changed'
refuse truncated-always truncall-3/a 'read-all: HTTP SAN: bytes [0-9]+-[0-9]+ of .*: the connection closed in the middle of an answer; given up after 3 reissues'

# a manifest: made for this image it passes; for another image (same size) it names the chunk
"$WB" mkmap -o "$RIG_DIR/peer.wbmap" "$RIG_DIR/peer.img" >/dev/null 2>&1 || rig_die "mkmap failed"
pf peer-map sock --no-disk --read-all --map "$RIG_DIR/peer.wbmap" "$u/ok/b"
wb_expect_ok "peer: verified by a matching manifest"
rig_expect_eq "peer: manifest: SHA-256" "$(sha)" "$want_peer"
cp "$RIG_DIR/peer.img" "$RIG_DIR/other.img"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(3 * 65536 + 100); b = f.read(1); f.seek(-1, 1); f.write(bytes([b[0] ^ 1]))' "$RIG_DIR/other.img"
"$WB" mkmap -o "$RIG_DIR/other.wbmap" "$RIG_DIR/other.img" >/dev/null 2>&1 || rig_die "mkmap failed"
refuse map-mismatch ok/c 'read-all: HTTP SAN: chunk 3 \(bytes 196608-262143\) of .* does not match its SHA-256' \
	--map "$RIG_DIR/other.wbmap"
rig_finish
