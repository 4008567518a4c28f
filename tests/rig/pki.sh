#!/bin/bash
# tests/rig/pki.sh DIR — make the TLS test PKI with openssl, at run time, in DIR.
#
# Good:  root.pem (RSA-2048 "wireboot Test Root CA") → inter.pem (RSA-2048
#        "wireboot Test Intermediate CA") → leaf for boot.test + IP 192.0.2.1:
#        good-rsa (RSA-2048), good-ec (ECDSA P-256), good-root (chain sent with
#        the root too); client.pem/client.key (client certificate from the root).
# Bad:   expired, notyet, wronghost (other.test), unknownca (other root +
#        intermediate), selfsigned, nointer (leaf only), notca (leaf signed by a
#        CA:FALSE certificate), rsa1024, sha1 (leaf signature SHA-1),
#        eku-clientauth (extendedKeyUsage clientAuth only), md5 (leaf signature MD5),
#        sha1-inter (intermediate signed with SHA-1).
# EKU:   eku-noeku (none), eku-anyeku (anyExtendedKeyUsage), eku-botheku
#        (clientAuth, serverAuth): accepted, like good-* (serverAuth).
# Each case X has DIR/X.chain.pem (what the server sends) and DIR/X.key.
set -eu
dir=${1:?usage: pki.sh DIR}
mkdir -p "$dir"
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
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${ENV::SAN}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_notca ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
[ v3_leaf_clientauth ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = ${ENV::SAN}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf_noeku ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = ${ENV::SAN}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf_anyeku ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = anyExtendedKeyUsage
subjectAltName = ${ENV::SAN}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf_botheku ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth, serverAuth
subjectAltName = ${ENV::SAN}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
mkdir -p newcerts
: > index.txt
echo 1000 > serial
export SAN="DNS:boot.test, IP:192.0.2.1"

q() { "$@" >/dev/null 2>&1 || { echo "pki: failed: $*" >&2; "$@"; exit 1; }; }
key_rsa() { q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"${2:-2048}" -out "$1"; }
key_ec() { q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
csr() { q openssl req -new -config ca.cnf -key "$1" -subj "/CN=$2" -out "$3"; }
# sign CSR CACERT CAKEY EXT OUT [START END] [MD]
sign() {
	local start=${6:-} end=${7:-} md=${8:-sha256}
	q openssl ca -batch -config ca.cnf -in "$1" -cert "$2" -keyfile "$3" -extensions "$4" -out "$5" \
		-notext -md "$md" ${start:+-startdate "$start"} ${end:+-enddate "$end"} ${start:+} \
		$( [ -z "$start" ] && echo -days 365 )
}
# root NAME CN: self-signed CA
root() {
	key_rsa "$1.key"
	csr "$1.key" "$2" "$1.csr"
	q openssl ca -batch -selfsign -config ca.cnf -in "$1.csr" -keyfile "$1.key" -extensions v3_root \
		-out "$1.pem" -notext -days 3650
}

root root "wireboot Test Root CA"
key_rsa inter.key
csr inter.key "wireboot Test Intermediate CA" inter.csr
sign inter.csr root.pem root.key v3_ca inter.pem

# leaf CASE KEYKIND CN CA CAKEY [start end] [md] [bits]
leaf() {
	local c=$1 kind=$2 cn=$3 ca=$4 cakey=$5
	if [ "$kind" = ec ]; then key_ec "$c.key"; else key_rsa "$c.key" "${9:-2048}"; fi
	csr "$c.key" "$cn" "$c.csr"
	sign "$c.csr" "$ca" "$cakey" "${LEAF_EXT:-v3_leaf}" "$c.pem" "${6:-}" "${7:-}" "${8:-sha256}"
}

leaf good-rsa rsa boot.test inter.pem inter.key
cat good-rsa.pem inter.pem > good-rsa.chain.pem
leaf good-ec ec boot.test inter.pem inter.key
cat good-ec.pem inter.pem > good-ec.chain.pem
cp good-rsa.key good-root.key
cat good-rsa.pem inter.pem root.pem > good-root.chain.pem

leaf expired rsa boot.test inter.pem inter.key 20190101000000Z 20200101000000Z
cat expired.pem inter.pem > expired.chain.pem
leaf notyet rsa boot.test inter.pem inter.key 20990101000000Z 21000101000000Z
cat notyet.pem inter.pem > notyet.chain.pem
SAN="DNS:other.test" leaf wronghost rsa other.test inter.pem inter.key
cat wronghost.pem inter.pem > wronghost.chain.pem

root root2 "Unknown Test Root CA"
key_rsa inter2.key
csr inter2.key "Unknown Test Intermediate CA" inter2.csr
sign inter2.csr root2.pem root2.key v3_ca inter2.pem
leaf unknownca rsa boot.test inter2.pem inter2.key
cat unknownca.pem inter2.pem > unknownca.chain.pem

key_rsa selfsigned.key
q openssl req -new -x509 -config ca.cnf -key selfsigned.key -subj "/CN=boot.test" -days 365 \
	-addext "subjectAltName=$SAN" -addext "basicConstraints=critical,CA:FALSE" -out selfsigned.pem
cp selfsigned.pem selfsigned.chain.pem

leaf nointer rsa boot.test inter.pem inter.key
cp nointer.pem nointer.chain.pem

key_rsa notca-signer.key
csr notca-signer.key "Not A CA Signer" notca-signer.csr
sign notca-signer.csr root.pem root.key v3_notca notca-signer.pem
leaf notca rsa boot.test notca-signer.pem notca-signer.key
cat notca.pem notca-signer.pem > notca.chain.pem

leaf rsa1024 rsa boot.test inter.pem inter.key "" "" sha256 1024
cat rsa1024.pem inter.pem > rsa1024.chain.pem
leaf sha1 rsa boot.test inter.pem inter.key "" "" sha1
cat sha1.pem inter.pem > sha1.chain.pem

key_ec client.key
csr client.key "wireboot test client" client.csr
sign client.csr root.pem root.key v3_client client.pem
cp good-rsa.key clientauth.key
cp good-rsa.chain.pem clientauth.chain.pem

# extendedKeyUsage of the server certificate (boot.test, IP 192.0.2.1, from the
# intermediate; good-* list serverAuth): clientAuth only (refused: a client
# certificate), none at all, anyExtendedKeyUsage, clientAuth + serverAuth
for e in clientauth noeku anyeku botheku; do
	LEAF_EXT=v3_leaf_$e leaf eku-$e ec boot.test inter.pem inter.key
	cat eku-$e.pem inter.pem > eku-$e.chain.pem
done

# weak signature hashes beyond sha1 (tests/hosted/claims-tls.sh): md5 (leaf signed with
# MD5), sha1-inter (a SHA-256 leaf under an intermediate the root signed with SHA-1)
leaf md5 rsa boot.test inter.pem inter.key "" "" md5
cat md5.pem inter.pem > md5.chain.pem
key_rsa inter-sha1.key
csr inter-sha1.key "wireboot Test SHA-1 Intermediate CA" inter-sha1.csr
sign inter-sha1.csr root.pem root.key v3_ca inter-sha1.pem "" "" sha1
leaf sha1-inter rsa boot.test inter-sha1.pem inter-sha1.key
cat sha1-inter.pem inter-sha1.pem > sha1-inter.chain.pem

echo "pki: made in $dir"
