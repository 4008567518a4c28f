#!/bin/bash
# tests/unit/data/cms/make.sh — regenerate the CMS signature vectors of tests/unit/test_cms.c
# (and the seeds of tests/fuzz/fuzz_cms.c) with openssl and tests/rig/codesign.sh.  The
# certificates are valid for ten years from the day this ran; the unit test checks dates
# against a time inside that window that it reads from the certificates, so they do not age.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$top/tests/rig/codesign.sh" "$work/pki" >/dev/null
export CODESIGN_DIR=$work/pki
. "$top/tests/rig/codesign.sh"
cd "$here"
rm -f ./*.der ./*.sig image.bin
printf 'wireboot cms test image\n' >image.bin
head -c 3000 /dev/urandom >>image.bin
openssl x509 -in "$CODESIGN_DIR/root.pem" -outform DER -out root.der
openssl x509 -in "$CODESIGN_DIR/other-root.pem" -outform DER -out other-root.der
codesign_sign cs-rsa image.bin rsa.sig
codesign_sign cs-ec image.bin ec.sig
codesign_sign cs-rsa image.bin rsa-ski.sig -keyid
codesign_sign cs-rsa image.bin rsa-sha384.sig -md sha384
codesign_sign cs-ec image.bin ec-sha512.sig -md sha512
codesign_sign cs-rsa image.bin rsa-sha1.sig -md sha1
codesign_sign cs-noeku image.bin noeku.sig
codesign_sign cs-expired image.bin expired.sig
codesign_sign cs-crit image.bin crit.sig
codesign_sign cs-rsa image.bin nocerts.sig -nocerts
CODESIGN_CERTFILE=root.pem codesign_sign cs-rsa image.bin nointer.sig
CODESIGN_CERTFILE=other-root.pem codesign_sign cs-unknown image.bin unknown.sig
# with signed attributes (openssl's default without -noattr): RFC 5652 §5.4
for k in rsa ec; do
	openssl cms -sign -binary -in image.bin -signer "$CODESIGN_DIR/cs-$k.pem" -inkey "$CODESIGN_DIR/cs-$k.key" \
		-certfile "$CODESIGN_DIR/inter.pem" -outform DER -out "$k-attrs.sig"
done
openssl cms -sign -binary -noattr -in image.bin -signer "$CODESIGN_DIR/cs-rsa.pem" -inkey "$CODESIGN_DIR/cs-rsa.key" \
	-certfile "$CODESIGN_DIR/inter.pem" -outform PEM -out rsa-pem.sig
echo "cms vectors made in $here"
