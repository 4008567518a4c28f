#!/bin/bash
# tests/rig/codesign.sh DIR — a code-signing test PKI made with openssl at run time, in DIR,
# and a sign helper for the imgverify tests (tests/hosted/imgverify.sh, the QEMU one).
#
#   root.pem        "wireboot Code Signing Root" (RSA-2048, CA): the anchor (CODESIGN_TRUST=)
#   inter.pem       "wireboot Code Signing Intermediate" (CA), signed by the root
#   cs-rsa          RSA-2048 signer "wireboot rsa signer", extendedKeyUsage codeSigning
#   cs-ec           ECDSA P-256 signer "wireboot ec signer", codeSigning
#   cs-noeku        RSA signer "wireboot tls server", extendedKeyUsage serverAuth only
#   cs-expired      RSA signer "wireboot expired signer", codeSigning, valid 2019-2020
#   cs-crit         RSA signer "wireboot critical eku", extendedKeyUsage critical, codeSigning
#                   (refused: BearSSL refuses critical extensions it does not process)
#   cs-unknown      RSA signer "wireboot stranger", codeSigning, under another root (other-root.pem)
# Each signer X has DIR/X.pem and DIR/X.key, issued by the intermediate (but cs-unknown).
#
# After sourcing with CODESIGN_DIR set:  codesign_sign SIGNER IMG SIG [extra openssl args]
# signs as sites do: openssl cms -sign -binary -noattr … -certfile inter.pem -outform DER.
codesign_sign() {
	local s=$1 in=$2 out=$3; shift 3
	openssl cms -sign -binary -noattr -in "$in" -signer "$CODESIGN_DIR/$s.pem" \
		-inkey "$CODESIGN_DIR/$s.key" -certfile "$CODESIGN_DIR/${CODESIGN_CERTFILE:-inter.pem}" \
		-outform DER -out "$out" "$@"
}
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0   # sourced: only the function (and no set -e)
set -eu

dir=${1:?usage: codesign.sh DIR}
mkdir -p "$dir/newcerts"
cd "$dir"
cat > ca.cnf <<'CNF'
[ ca ]
default_ca = tca
[ tca ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
policy = pol_any
default_md = sha256
copy_extensions = none
unique_subject = no
[ pol_any ]
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_cs ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_cs_crit ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_tls ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
: > index.txt
echo 2000 > serial
q() { "$@" >/dev/null 2>&1 || { echo "codesign: failed: $*" >&2; "$@"; exit 1; }; }
key() { if [ "$2" = ec ]; then q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
	else q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; fi; }
# cert NAME KIND CN CA CAKEY EXT [START END]
cert() {
	key "$1.key" "$2"
	q openssl req -new -config ca.cnf -key "$1.key" -subj "/CN=$3" -out "$1.csr"
	if [ -n "${6:-}" ] && [ -n "${7:-}" ]; then
		q openssl ca -batch -config ca.cnf -in "$1.csr" -cert "$4" -keyfile "$5" -extensions "$6" \
			-out "$1.pem" -notext -startdate "$7" -enddate "$8"
	else
		q openssl ca -batch -config ca.cnf -in "$1.csr" -cert "$4" -keyfile "$5" -extensions "$6" \
			-out "$1.pem" -notext -days 3650
	fi
}
root() {
	key "$1.key" rsa
	q openssl req -new -config ca.cnf -key "$1.key" -subj "/CN=$2" -out "$1.csr"
	q openssl ca -batch -selfsign -config ca.cnf -in "$1.csr" -keyfile "$1.key" -extensions v3_root \
		-out "$1.pem" -notext -days 3650
}
root root "wireboot Code Signing Root"
cert inter rsa "wireboot Code Signing Intermediate" root.pem root.key v3_ca
cert cs-rsa rsa "wireboot rsa signer" inter.pem inter.key v3_cs
cert cs-ec ec "wireboot ec signer" inter.pem inter.key v3_cs
cert cs-noeku rsa "wireboot tls server" inter.pem inter.key v3_tls
cert cs-crit rsa "wireboot critical eku" inter.pem inter.key v3_cs_crit
cert cs-expired rsa "wireboot expired signer" inter.pem inter.key v3_cs 20190101000000Z 20200101000000Z
root other-root "Other Code Signing Root"
cert cs-unknown rsa "wireboot stranger" other-root.pem other-root.key v3_cs
echo "codesign: made in $dir"
