#!/bin/bash
# imgverify.sh — signed images (issue 12): imgverify and imgtrust over HTTP (nginx, lwIP on
# the TAP device), with a code-signing PKI made at run time (tests/rig/codesign.sh) and
# signatures made as sites make them (openssl cms -sign -binary -noattr … -outform DER).
# wireboot is linked here three ways from the sanitized library: with the test root as
# CODESIGN_TRUST= (most cases), as TRUST= (imgverify falls back to the TLS anchors), and
# the plain build/san/wireboot (no anchors: refused, says how to fix).
#
# Good: RSA and ECDSA signers, --signer with the right CN, signed attributes, kernel +
# imgverify + boot; the verified script runs, imgstat says [TRUSTED], the signature image
# is freed (kept with --keep).  Bad, each with its own message and the script not run:
# modified image, wrong --signer, signer without codeSigning, expired signer, the detached
# signature of another image, truncated DER, a signer under another root; imgtrust refuses
# an unverified image (chain, boot); --permanent is not undone by a later imgtrust --allow,
# not even from a verified script.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig imgverify
CS=$RIG_DIR/cs
bash "$RIG_TOP/tests/rig/codesign.sh" "$CS" >"$RIG_DIR/codesign.log" 2>&1 || { cat "$RIG_DIR/codesign.log"; rig_die "codesign.sh failed"; }
export CODESIGN_DIR=$CS
. "$RIG_TOP/tests/rig/codesign.sh"

# link_wb OUT TRUSTCONV-ARGS... — wireboot (ASan+UBSan) with its own trust.c
link_wb() {
	local out=$1; shift
	"$RIG_TOP/build/tools/trustconv" -o "$out.trust.c" "$@" 2>"$out.trust.log" &&
	clang -std=c11 -O1 -fsanitize=address,undefined -I"$RIG_TOP/src" -I"$RIG_TOP/build/deps/bearssl/inc" \
		-c "$out.trust.c" -o "$out.trust.o" &&
	clang -fsanitize=address,undefined -o "$out" "$RIG_TOP/build/san/obj/src/cli/main.o" \
		"$RIG_TOP/build/san/obj/build/san/embed.o" "$out.trust.o" "$RIG_TOP/build/san/libwb.a" \
		"$RIG_TOP/build/san/libbearssl.a" || rig_die "could not link $out (make build/san/wireboot first)"
}
WB_PLAIN=$WB
link_wb "$RIG_DIR/wb-codesign" -s "$CS/root.pem"
link_wb "$RIG_DIR/wb-tls" -t "$CS/root.pem"
WB=$RIG_DIR/wb-codesign

www=$RIG_DIR/www
mkdir -p "$www"
printf '#!ipxe\necho signed-script-ran\n' >"$www/good.ipxe"
printf '#!ipxe\necho other-script-ran\n' >"$www/other.ipxe"
printf '#!ipxe\necho unsigned-script-ran\n' >"$www/unsigned.ipxe"
printf '#!ipxe\necho escape-start\nimgtrust --allow || echo escape-blocked\nchain http://192.0.2.1/unsigned.ipxe || echo escape-refused\n' >"$www/escape.ipxe"
{ cat "$www/good.ipxe"; echo 'echo injected'; } >"$www/mod.ipxe"
codesign_sign cs-rsa "$www/good.ipxe" "$www/good.ipxe.sig"
codesign_sign cs-ec "$www/good.ipxe" "$www/good.ipxe.ecsig"
codesign_sign cs-rsa "$www/other.ipxe" "$www/other.ipxe.sig"
codesign_sign cs-rsa "$www/escape.ipxe" "$www/escape.ipxe.sig"
codesign_sign cs-noeku "$www/good.ipxe" "$www/good.ipxe.noeku"
codesign_sign cs-expired "$www/good.ipxe" "$www/good.ipxe.expired"
CODESIGN_CERTFILE=other-root.pem codesign_sign cs-unknown "$www/good.ipxe" "$www/good.ipxe.unknown"
openssl cms -sign -binary -in "$www/good.ipxe" -signer "$CS/cs-rsa.pem" -inkey "$CS/cs-rsa.key" \
	-certfile "$CS/inter.pem" -outform DER -out "$www/good.ipxe.attrs"
head -c 1000 "$www/good.ipxe.sig" >"$www/good.ipxe.trunc"
cp "$www/good.ipxe.sig" "$www/mod.ipxe.sig"   # the good signature next to a modified image
rig_nginx "$www"
U=http://192.0.2.1

# good signatures
wb_run rsa 90 <<EOF
#!ipxe
dhcp
imgtrust --permanent
imgfetch $U/good.ipxe
imgverify good.ipxe $U/good.ipxe.sig
imgstat
boot good.ipxe
EOF
wb_expect_ok "RSA signer: verified image runs under imgtrust --permanent"
wb_expect_out "RSA signer: says who signed" '^imgverify: good.ipxe: SHA-256 signature by CN=wireboot rsa signer \(issuer CN=wireboot Code Signing Intermediate\) verified$'
wb_expect_out "RSA signer: imgstat says [TRUSTED]" '^good.ipxe : [0-9]+ bytes \[script\] \[TRUSTED\]'
wb_expect_out "RSA signer: the script ran" '^signed-script-ran$'
if grep -q '^good.ipxe.sig :' "$WB_LOG"; then rig_fail "signature image freed without --keep"; else rig_pass "signature image freed without --keep"; fi

wb_run ec 90 <<EOF
#!ipxe
dhcp
imgtrust
kernel $U/good.ipxe
set signer wireboot ec signer
imgverify --keep --signer \${signer} good.ipxe $U/good.ipxe.ecsig
imgstat
boot
EOF
wb_expect_ok "ECDSA signer: kernel + imgverify --signer + boot"
wb_expect_out "ECDSA signer: says who signed" 'signature by CN=wireboot ec signer .* verified$'
wb_expect_out "ECDSA signer: the script ran" '^signed-script-ran$'
wb_expect_out "--keep keeps the signature image" '^good.ipxe.ecsig : [0-9]+ bytes \[data\]'

wb_run attrs 90 <<EOF
#!ipxe
dhcp
imgtrust
imgverify $U/good.ipxe $U/good.ipxe.attrs
boot good.ipxe
EOF
wb_expect_ok "signed attributes (openssl without -noattr): verified and run"
wb_expect_out "signed attributes: the script ran" '^signed-script-ran$'

# bad signatures: IMAGE SIGNATURE [--signer] → expected message
bad() {  # ID NAME IMAGE SIG MESSAGE-ERE [imgverify options]
	local id=$1 name=$2 img=$3 sig=$4 pat=$5 opts=${6:-}
	wb_run "$id" 90 <<EOF
#!ipxe
dhcp
imgtrust
imgfetch $U/$img
imgverify $opts $img $U/$sig || goto refused
echo verify-accepted
boot $img
exit 0
:refused
echo verify-refused
boot $img || echo boot-refused
exit 3
EOF
	if [ "$WB_RC" = 3 ]; then rig_pass "$name: imgverify failed"; else rig_fail "$name: imgverify failed" "exit $WB_RC"; fi
	wb_expect_out "$name: its message" "$pat"
	wb_expect_out "$name: boot refused the unverified image" '^boot-refused$'
	if grep -q 'script-ran$' "$WB_LOG"; then rig_fail "$name: the image did not run"; else rig_pass "$name: the image did not run"; fi
}
bad mod "modified image" mod.ipxe mod.ipxe.sig \
	"imgverify: signature: the image's digest does not match the signature"
bad signer "wrong signer" good.ipxe good.ipxe.sig \
	'imgverify: signature: signed by another signer than --signer names' '--signer someone-else'
bad noeku "signer without codeSigning" good.ipxe good.ipxe.noeku \
	'imgverify: good.ipxe: signer CN=wireboot tls server: its extendedKeyUsage lists serverAuth, not codeSigning'
bad expired "expired signer" good.ipxe good.ipxe.expired \
	'imgverify: good.ipxe: expired: certificate CN=wireboot expired signer .*valid until 2020-01-01'
bad another "signature of another image" good.ipxe other.ipxe.sig \
	"imgverify: signature: the image's digest does not match the signature"
bad trunc "truncated signature" good.ipxe good.ipxe.trunc \
	'imgverify: signature: DER truncated'
bad unknown "signer under another root" good.ipxe good.ipxe.unknown \
	'imgverify: signature: the signer.s certificate chain does not lead to a code-signing trust anchor'
bad notsig "an image as its own signature" good.ipxe good.ipxe \
	'imgverify: signature: not a CMS SignedData'
bad notsig2 "a script as the signature" good.ipxe other.ipxe \
	'imgverify: signature: not a CMS SignedData'

# imgtrust refuses what was not verified
wb_run untrusted 90 <<EOF
#!ipxe
dhcp
imgtrust
chain $U/unsigned.ipxe
EOF
wb_expect_fail "imgtrust: chain of an unverified script refused" \
	'chain: image: not trusted, and imgtrust requires trusted images \(verify it with imgverify first\) \(unsigned.ipxe\)'
if grep -q '^unsigned-script-ran$' "$WB_LOG"; then rig_fail "imgtrust: the unverified script did not run"; else rig_pass "imgtrust: the unverified script did not run"; fi

wb_run allow 90 <<EOF
#!ipxe
dhcp
imgtrust
imgtrust --allow
chain $U/unsigned.ipxe
EOF
wb_expect_ok "imgtrust --allow (not permanent) lets unverified images run again"
wb_expect_out "imgtrust --allow: the script ran" '^unsigned-script-ran$'

wb_run permanent 90 <<EOF
#!ipxe
dhcp
imgtrust --permanent
imgverify $U/escape.ipxe $U/escape.ipxe.sig
boot escape.ipxe
imgtrust --allow || echo allow-refused
chain $U/unsigned.ipxe
EOF
wb_expect_fail "--permanent: an unverified script is still refused at the end" 'chain: image: not trusted.*\(unsigned.ipxe\)'
wb_expect_out "--permanent: the verified script ran" '^escape-start$'
wb_expect_out "--permanent: a verified script cannot undo it" '^escape-blocked$'
wb_expect_out "--permanent: … nor chain an unverified one" '^escape-refused$'
wb_expect_out "--permanent: imgtrust --allow later fails with its message" \
	'imgtrust: image trust: the requirement was made permanent \(imgtrust --permanent\) and cannot be changed'
wb_expect_out "--permanent: later imgtrust --allow failed" '^allow-refused$'
if grep -q '^unsigned-script-ran$' "$WB_LOG"; then rig_fail "--permanent: the unverified script never ran"; else rig_pass "--permanent: the unverified script never ran"; fi

# the anchors: TRUST= when there is no CODESIGN_TRUST=; none at all
WB=$RIG_DIR/wb-tls
wb_run tls-anchors 90 <<EOF
#!ipxe
dhcp
imgverify $U/good.ipxe $U/good.ipxe.sig
EOF
wb_expect_ok "TRUST= anchors serve imgverify when CODESIGN_TRUST= is not given"
WB=$WB_PLAIN
wb_run no-anchors 90 <<EOF
#!ipxe
dhcp
imgverify $U/good.ipxe $U/good.ipxe.sig
EOF
wb_expect_fail "no anchors built in: refused, says how to fix" \
	'imgverify: signature: no code-signing trust anchors in this build \(build with TRUST= or CODESIGN_TRUST=\)'
rig_finish
