#!/bin/sh
# make-x509.sh - the certificates test_x509 reads (DER), made with the
# openssl command line; run again only to replace them (the test holds
# the values `openssl x509 -noout -text -fingerprint -sha256` printed for
# these very files, so new ones mean new expected values there).
#   rsa.der      RSA 2048, sha256WithRSAEncryption, v3, a serial with
#                its top bit set (DER adds a 00), C/ST/O/CN subject, SANs
#                of five kinds (2 dNSName, IPv4, IPv6, rfc822Name, URI),
#                critical basicConstraints
#   ec.der       P-256, ecdsa-with-SHA256, notAfter 26 years on (after
#                2049: a GeneralizedTime), self-signed
#   ed25519.der  Ed25519, no extensions but the default ones
#   dsa.der      DSA 2048, dsa_with_SHA256
set -e
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/rsa.key" \
	-subj "/C=NZ/ST=Otago/O=tapir test/CN=rsa.tapir.test" \
	-set_serial 0x9f0102030405060708 -days 3650 -sha256 \
	-addext "basicConstraints=critical,CA:FALSE" \
	-addext "subjectAltName=DNS:rsa.tapir.test,DNS:www.tapir.test,IP:10.1.2.3,IP:2001:db8::1,email:ops@tapir.test,URI:https://tapir.test/" \
	-outform DER -out rsa.der 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$t/ec.key" -subj "/O=tapir test/CN=ec.tapir.test" \
	-set_serial 7 -days 9500 -sha256 -outform DER -out ec.der 2>/dev/null
openssl req -x509 -newkey ed25519 -nodes -keyout "$t/ed.key" \
	-subj "/CN=ed25519.tapir.test" -set_serial 1 -days 365 \
	-outform DER -out ed25519.der 2>/dev/null
openssl dsaparam -out "$t/dsa.param" 2048 2>/dev/null
openssl req -x509 -newkey "dsa:$t/dsa.param" -nodes -keyout "$t/dsa.key" \
	-subj "/CN=dsa.tapir.test" -set_serial 2 -days 365 -sha256 \
	-outform DER -out dsa.der 2>/dev/null
for c in rsa ec ed25519 dsa; do
	echo "== $c.der"
	openssl x509 -inform DER -in $c.der -noout -text -fingerprint -sha256 |
		grep -E 'Serial|Signature Algorithm|Issuer:|Subject:|Not |Public-Key|Public Key Algorithm|DNS:|Fingerprint' |
		sort -u
done
