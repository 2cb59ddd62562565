#!/bin/bash
# A throwaway test PKI for the IKE tests and the demo, made with the
# openssl command line in a few seconds. Nothing it writes is ever
# committed: every run makes new keys.
#
#   tools/pki/mkpki.sh DIR [--ecdsa] [--days N]
#
# DIR receives (PEM, keys unencrypted, mode 600):
#   ca1.pem ca1.key   CA1: "CN=ikevti test CA1, O=ikevti test"
#   ca2.pem ca2.key   CA2: "CN=ikevti test CA2, O=ikevti test"
#   r1.key            R1's key pair (one per router, as IOS's default
#                     general-purpose keys serve every trustpoint)
#   r1-ca1.pem        R1 enrolled under CA1: "CN=R1.example.net",
#                     subjectAltName IP:192.168.0.1, DNS:r1.example.net
#   r1-ca2.pem        R1 enrolled under CA2 (same names, same key)
#   r2.key r2-ca1.pem r2-ca2.pem   R2: CN=R2.example.net, IP:192.168.0.2,
#                     DNS:r2.example.net, under CA1 and CA2
#
# The routers are the two gateways of the seed documents (R1 192.168.0.1,
# R2 192.168.0.2). Keys are RSA 2048 by default, NIST P-256 with --ecdsa
# (CAs and routers alike); the four keys are made in parallel (RSA key
# generation is what takes time in a TCG guest). Prints one summary line
# and exits non-zero on any openssl failure.
set -eu

dir="" keytype=rsa days=30
while [ $# -gt 0 ]; do
	case "$1" in
	--ecdsa) keytype=ecdsa; shift ;;
	--days) days=$2; shift 2 ;;
	-h|--help) sed -n '2,23p' "$0"; exit 0 ;;
	-*) echo "mkpki: unknown option $1" >&2; exit 2 ;;
	*) [ -z "$dir" ] || { echo "mkpki: one DIR only" >&2; exit 2; }
	   dir=$1; shift ;;
	esac
done
[ -n "$dir" ] || { sed -n '2,23p' "$0" >&2; exit 2; }
mkdir -p "$dir"
umask 077

newkey() {	# newkey FILE
	if [ $keytype = ecdsa ]; then
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
			-pkeyopt ec_param_enc:named_curve -out "$1" 2>/dev/null
	else
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
			-out "$1" 2>/dev/null
	fi
}

# A self-signed CA: mkca NAME SUBJECT
mkca() {
	openssl req -new -x509 -sha256 -days "$days" -key "$dir/$1.key" \
		-subj "$2" -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash" \
		-out "$dir/$1.pem"
}

# A router certificate, one openssl run (each costs about a second in a
# TCG guest): mkcert ROUTER CA CN IP DNS (key ROUTER.key)
mkcert() {
	local key=$dir/$1.key ca=$2 ku="digitalSignature"
	[ $keytype = rsa ] && ku="digitalSignature,keyEncipherment"
	openssl req -new -sha256 -days "$days" -key "$key" -subj "$3" \
		-CA "$dir/$ca.pem" -CAkey "$dir/$ca.key" \
		-set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
		-addext "basicConstraints=critical,CA:FALSE" \
		-addext "keyUsage=critical,$ku" \
		-addext "subjectAltName=IP:$4,DNS:$5" \
		-addext "subjectKeyIdentifier=hash" \
		-addext "authorityKeyIdentifier=keyid" \
		-out "$dir/$1-$ca.pem"
}

pids=()
for k in ca1 ca2 r1 r2; do
	newkey "$dir/$k.key" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || { echo "mkpki: key generation failed" >&2; exit 1; }
done
mkca ca1 "/O=ikevti test/CN=ikevti test CA1"
mkca ca2 "/O=ikevti test/CN=ikevti test CA2"
for ca in ca1 ca2; do
	mkcert r1 $ca "/CN=R1.example.net" 192.168.0.1 r1.example.net
	mkcert r2 $ca "/CN=R2.example.net" 192.168.0.2 r2.example.net
done
chmod 644 "$dir"/*.pem
for ca in ca1 ca2; do
	openssl verify -CAfile "$dir/$ca.pem" "$dir/r1-$ca.pem" "$dir/r2-$ca.pem" \
		>/dev/null || { echo "mkpki: certificates of $ca do not verify" >&2; exit 1; }
done
echo "mkpki: $keytype PKI in $dir: ca1 ca2 (.pem .key), r1 r2 (.key), r1-ca1 r1-ca2 r2-ca1 r2-ca2 (.pem)"
