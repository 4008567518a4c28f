#!/bin/bash
# san-http-script.sh — `sanhook https://…` from a script on the hosted build (issue 16,
# the script side; the device itself is tested by the san-http*.sh tests of
# san/san_http.c): nginx over TLS (the rig's test root given with --trust, as
# chain-https.sh) serves a 4 MiB image and its .wbmap manifest, made here in Python
# from wbmap.h's format, independently of `wireboot mkmap`.  The hosted build cannot
# publish a disk (plat_san_publish: -WB_ENOTSUP), so each sanhook ends there: what is
# checked is everything before it.
#   - plain: the open line (HTTPS, server, blocks, read-only); the URL's user info and
#     query never on the console (shown as "?...");
#   - --verify --map-sha256 of the manifest: "SHA-256 matches", the open line says
#     every chunk is verified (64 chunks of 64 KiB);
#   - --map-sha256 of something else: refused before the image is opened (nginx never
#     sees a request for it);
#   - --verify without --map-sha256: the detached signature disk.img.wbmap.sig, made
#     with openssl cms as imgverify's, verified with the code-signing anchors; a
#     missing signature and the signature of another file are refused;
#   - --map URI: the manifest from elsewhere;
#   - --verify on an iscsi: URI and a malformed --map-sha256: usage errors.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig sanhttpscript
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
CS=$RIG_DIR/cs
bash "$RIG_TOP/tests/rig/codesign.sh" "$CS" >"$RIG_DIR/codesign.log" 2>&1 || { cat "$RIG_DIR/codesign.log"; rig_die "codesign.sh failed"; }
export CODESIGN_DIR=$CS
. "$RIG_TOP/tests/rig/codesign.sh"
# wireboot (ASan+UBSan) with the code-signing test root built in (as imgverify.sh)
"$RIG_TOP/build/tools/trustconv" -o "$RIG_DIR/wb.trust.c" -s "$CS/root.pem" 2>"$RIG_DIR/wb.trust.log" &&
	clang -std=c11 -O1 -fsanitize=address,undefined -I"$RIG_TOP/src" -I"$RIG_TOP/build/deps/bearssl/inc" \
		-c "$RIG_DIR/wb.trust.c" -o "$RIG_DIR/wb.trust.o" &&
	clang -fsanitize=address,undefined -o "$RIG_DIR/wb-cs" "$RIG_TOP/build/san/obj/src/cli/main.o" \
		"$RIG_TOP/build/san/obj/build/san/embed.o" "$RIG_DIR/wb.trust.o" "$RIG_TOP/build/san/libwb.a" \
		"$RIG_TOP/build/san/libbearssl.a" || rig_die "could not link wireboot with the code-signing root"
WB=$RIG_DIR/wb-cs

www=$RIG_DIR/web-www
mkdir -p "$www/other"
head -c $((4 << 20)) /dev/urandom >"$www/disk.img"
# the manifest, version 1 (src/san/wbmap.h): magic, chunk size, algorithm, image size, hashes
mkmap_py() {   # IMAGE OUT
	python3 - "$1" "$2" <<'PY'
import hashlib, struct, sys
data = open(sys.argv[1], "rb").read()
cs = 65536
out = b"WBMAP1\n\0" + struct.pack("<IIQ", cs, 1, len(data))
out += b"".join(hashlib.sha256(data[i:i + cs]).digest() for i in range(0, len(data), cs))
open(sys.argv[2], "wb").write(out)
PY
}
mkmap_py "$www/disk.img" "$www/disk.img.wbmap"
cp "$www/disk.img.wbmap" "$www/other/elsewhere.wbmap"
HEX=$(sha256sum "$www/disk.img.wbmap" | cut -d' ' -f1)
OTHER=$(printf 'not the manifest' | sha256sum | cut -d' ' -f1)
codesign_sign cs-rsa "$www/disk.img.wbmap" "$www/disk.img.wbmap.sig"
printf 'another file\n' >"$www/another"
codesign_sign cs-rsa "$www/another" "$www/other/elsewhere.wbmap.sig"   # not the manifest's
rig_nginx_tls web "443|$P/good-ec.chain.pem|$P/good-ec.key"
U=https://boot.test/disk.img
BLOCKS=$(((4 << 20) / 512))
OPEN="open \\(HTTPS, server boot\\.test:443\\): $BLOCKS blocks of 512 bytes \\(4 MiB\\), read-only"
no_out() {   # NAME PATTERN — the last run printed nothing matching PATTERN
	if grep -Eq -- "$2" "$WB_LOG"; then rig_fail "$1" "/$2/ in the output"; else rig_pass "$1"; fi
}
img_gets() { grep -c 'GET /disk.img ' "$RIG_DIR/web-access.log"; }

# ---- plain, with user info and a query that must not be shown -----------------------
wb_run plain 90 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook https://wbuser:pw-sanhttp-77@boot.test/disk.img?token=tok-sanhttp-88 || echo SANHOOK-FAILED
EOF
wb_expect_out "plain: opened over HTTPS, size and read-only" "^sanhook: https://boot\\.test/disk\\.img\\?\\.\\.\\. $OPEN\$"
wb_expect_out "plain: the hosted build cannot publish (the step after opening)" '^sanhook: drive 0x80: .*preflight'
wb_expect_out "plain: the script goes on" '^SANHOOK-FAILED$'
no_out "plain: no password or query on the console" 'pw-sanhttp-77|tok-sanhttp-88|wbuser'

# ---- --verify --map-sha256 -------------------------------------------------------------
wb_run maphash 90 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook --verify --map-sha256 $HEX $U || echo SANHOOK-FAILED
EOF
wb_expect_out "map-sha256: the manifest's SHA-256 matches" '^sanhook: manifest https://boot\.test/disk\.img\.wbmap: SHA-256 matches --map-sha256$'
wb_expect_out "map-sha256: every chunk verified" "^sanhook: https://boot\\.test/disk\\.img $OPEN, verified against the manifest \\(64 chunks of 64 KiB\\)\$"

n0=$(img_gets)
wb_run maphashbad 90 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook --map-sha256 $OTHER $U || echo SANHOOK-FAILED
EOF
wb_expect_out "map-sha256 wrong: refused, not trusted" '^sanhook: manifest https://boot\.test/disk\.img\.wbmap: its SHA-256 differs from --map-sha256; not trusted, nothing hooked$'
wb_expect_out "map-sha256 wrong: the script goes on" '^SANHOOK-FAILED$'
no_out "map-sha256 wrong: the image is not opened" ' open \(HTTPS'
rig_expect_eq "map-sha256 wrong: nginx saw no request for the image" "$(img_gets)" "$n0"

# ---- a signed manifest -----------------------------------------------------------------
wb_run signed 90 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook --verify $U || echo SANHOOK-FAILED
EOF
wb_expect_out "signature: verified with the code-signing anchors" '^sanhook: manifest https://boot\.test/disk\.img\.wbmap: SHA-256 signature by CN=.+ verified$'
wb_expect_out "signature: every chunk verified" "$OPEN, verified against the manifest \\(64 chunks of 64 KiB\\)\$"

wb_run sigwrong 90 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook --map https://boot.test/other/elsewhere.wbmap $U || echo SANHOOK-FAILED
EOF
wb_expect_out "signature of another file: refused" '^sanhook: manifest https://boot\.test/other/elsewhere\.wbmap: signature: .*; not trusted, nothing hooked$'
no_out "signature of another file: the image is not opened" ' open \(HTTPS'

rm "$www/disk.img.wbmap.sig"
wb_run signone 90 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook --verify $U || echo SANHOOK-FAILED
EOF
wb_expect_out "no --map-sha256, no signature: refused" '^sanhook: manifest https://boot\.test/disk\.img\.wbmap: no --map-sha256 and its signature \(\.sig\) could not be fetched: '
wb_expect_out "no signature: the script goes on" '^SANHOOK-FAILED$'

wb_run mapuri 90 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook --map https://boot.test/other/elsewhere.wbmap --map-sha256 $HEX $U || echo SANHOOK-FAILED
EOF
wb_expect_out "--map URI: the manifest from there" '^sanhook: manifest https://boot\.test/other/elsewhere\.wbmap: SHA-256 matches --map-sha256$'
wb_expect_out "--map URI: verified open" "$OPEN, verified against the manifest"

# ---- usage ----------------------------------------------------------------------------------
wb_run usage 60 --trust "$P/root.pem" <<EOF
#!ipxe
dhcp
sanhook --verify --map-sha256 $HEX iscsi:192.0.2.1::::iqn.2026-11.test:x || echo ISCSI-VERIFY-REFUSED
sanhook --map-sha256 12ab $U || echo SHORT-HEX-REFUSED
EOF
wb_expect_out "usage: --verify is for http(s) only" '^sanhook: --verify, --map and --map-sha256 are for http:// and https:// disks only$'
wb_expect_out "usage: iscsi --verify refused" '^ISCSI-VERIFY-REFUSED$'
wb_expect_out "usage: --map-sha256 wants 64 hex digits" '^sanhook: --map-sha256 wants the manifest.s SHA-256 as 64 hex digits$'
wb_expect_out "usage: short hex refused" '^SHORT-HEX-REFUSED$'
rig_finish
