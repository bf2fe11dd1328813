#!/usr/bin/env bash
# make-tls-captures.sh - TLS captures (issue 19): openssl s_client against
# s_server with TLS 1.3 and 1.2, several cipher suites, RSA and ECDSA
# certificates, session resumption, a HelloRetryRequest, failed
# handshakes, and curl against nginx.
#
# Usage:  sudo pcaps/make-tls-captures.sh [all|openssl|resume|hrr|fail|fields|curl]
#         (root: network namespaces; default all)
#
# Network rules, as make-http2-captures.sh: traffic only between two
# namespaces this script creates (tapir-tls-a <-> tapir-tls-b over a veth
# pair vtls-a/vtls-b, 10.99.83.0/24), removed on exit; only the processes
# started here are stopped, by PID.  Idempotent: stale namespaces of the
# same names are deleted first, captures overwritten.
# Packages: openssl nginx-light curl tcpdump iproute2.
#
# Certificates: made here with openssl in a temporary directory (not
# kept): an RSA 2048 CA "tapir test CA", an RSA 2048 server certificate
# (CN tls.tapir.test; SANs tls.tapir.test, www.tapir.test, 10.99.83.2)
# and an ECDSA P-256 one (CN ecdsa.tapir.test; SANs ecdsa.tapir.test,
# tls.tapir.test, 10.99.83.2), both issued by the CA, valid
# 2026-01-01 to 2036-01-01, serials 0x1000-0x1002.  Their keys are new
# each run, so their SHA-256s (printed at the end) are too.
# s_server -www answers "GET / HTTP/1.0" with its status page; every
# s_client sends that request (stdin) with -ign_eof, so it reads the
# answer (and TLS 1.3's NewSessionTickets) until the server closes.
#
# tls-openssl.pcap (port 443: s_server with the RSA cert (-cert_chain: CA
# sent too) and the ECDSA one (-dcert), -alpn http/1.1; port 8443:
# s_server with the ECDSA cert only), one s_client each:
#   1. 443 TLS 1.3, -servername tls.tapir.test -alpn h2,http/1.1;
#   2. 443 TLS 1.3 -ciphersuites TLS_AES_256_GCM_SHA384, RSA-PSS only
#      (-sigalgs rsa_pss_rsae_sha256): the RSA certificate;
#   3. 443 TLS 1.2 -cipher ECDHE-RSA-AES128-GCM-SHA256, SNI, ALPN;
#   4. 443 TLS 1.2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305 (ECDSA cert);
#   5. 443 TLS 1.2 -cipher AES256-SHA (RSA key exchange), no SNI
#      (-noservername);
#   6. 8443 TLS 1.3 -servername ecdsa.tapir.test.
# tls-resume.pcap (port 443, s_server RSA cert), pairs of s_client, the
#   first -sess_out, the second -sess_in the same session:
#   1-2. TLS 1.2 with a session ticket; 3-4. TLS 1.2 -no_ticket: by
#   session id; 5-6. TLS 1.3: PSK from the NewSessionTicket.
# tls-hrr.pcap (port 443, s_server -groups P-256): s_client -groups
#   X25519:P-256 sends an X25519 key share: HelloRetryRequest, the second
#   ClientHello with a P-256 key share, the handshake completes.
# tls-fail.pcap (port 443):
#   1. TLS 1.2, s_client -verify_return_error with no CA: the client's
#      fatal alert unknown_ca (48) in clear;
#   2. the same in TLS 1.3: the alert is in clear too (OpenSSL's client
#      checks the certificate before it sends its Finished, still
#      writing with no keys);
#   3. no shared cipher: s_server -tls1_2 -cipher AES128-SHA, s_client
#      -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384: the server's
#      handshake_failure (40);
#   4. version refused: s_server -tls1_2, s_client -tls1_1 (at
#      @SECLEVEL=0, which OpenSSL 3 needs for TLS 1.1): the server's
#      protocol_version (70).
# tls-fields.pcap (issue 19's messages after the hellos; a client
#   certificate "tapir test client" (RSA 2048, clientAuth) from the CA):
#   1. 443 TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256, s_server -Verify 1: a
#      CertificateRequest (RSA/DSS/ECDSA sign, the CA's name), the
#      client's Certificate and CertificateVerify;
#   2. 4433 TLS 1.2 DHE-RSA-AES128-GCM-SHA256: DHE parameters (ffdhe2048
#      p), the client's Yc;
#   3. 4433 (s_server -status_file: a good OCSP response for the RSA
#      certificate, signed by the CA) TLS 1.2 s_client -status: the
#      status_request extension and a CertificateStatus message;
#   4. 8443 (-Verify 1, @SECLEVEL=0) TLS 1.0 DHE-RSA-AES128-SHA with the
#      client certificate: a ServerKeyExchange and CertificateVerify
#      without a signature algorithm (before TLS 1.2).
# tls-curl.pcap (port 443, nginx-light `listen 443 ssl http2`, both
#   certificates), curl --cacert ca.pem --resolve tls.tapir.test:443:...
#   one connection each: 1. --tlsv1.3 --http2; 2. --tlsv1.3 --http1.1;
#   3. --tlsv1.2 --tls-max 1.2 --http2; 4. --tlsv1.2 --tls-max 1.2
#   --http1.1 (GET /index.html).
set -euo pipefail
WHICH=${1:-all}
case $WHICH in all | openssl | resume | hrr | fail | fields | curl) ;; *) echo "usage: $0 [all|openssl|resume|hrr|fail|fields|curl]" >&2; exit 2 ;; esac

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_A=tapir-tls-a
NS_B=tapir-tls-b
IF_A=vtls-a
IF_B=vtls-b
IP_A=10.99.83.1
IP_B=10.99.83.2
NAME=tls.tapir.test

ME=make-tls-captures.sh
WORK_TAG=tapir-tls-captures
# shellcheck source=pcaps/netns.sh
. "$OUT/netns.sh"
for t in tcpdump ip openssl nginx curl ss timeout; do
    command -v "$t" >/dev/null 2>&1 || die "missing $t (packages tcpdump iproute2 openssl nginx-light curl)"
done
netns_up

# ---- certificates (openssl ca: fixed validity and serials) ----
PKI="$WORK/pki"
mkdir -p "$PKI/new"
: >"$PKI/index.txt"
echo 1000 >"$PKI/serial"
cat >"$PKI/ca.cnf" <<CNF
[ca]
default_ca = tapir
[tapir]
dir = $PKI
database = $PKI/index.txt
new_certs_dir = $PKI/new
serial = $PKI/serial
certificate = $PKI/ca.pem
private_key = $PKI/ca.key
default_md = sha256
policy = anything
unique_subject = no
email_in_dn = no
[v3_cli]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[anything]
organizationName = optional
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_srv]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = \$ENV::SAN
CNF
export SAN=DNS:unused
# issue NAME KEYFILE SUBJECT EXTENSIONS [ca args...]
issue() {
    local name=$1 key=$2 subj=$3 ext=$4
    shift 4
    openssl req -new -key "$key" -subj "$subj" -out "$PKI/$name.csr" 2>>"$WORK/pki.err"
    openssl ca -batch -notext -config "$PKI/ca.cnf" -extensions "$ext" \
        -startdate 20260101000000Z -enddate 20360101000000Z \
        -in "$PKI/$name.csr" -out "$PKI/$name.pem" "$@" 2>>"$WORK/pki.err" ||
        die "openssl ca $name: $(cat "$WORK/pki.err")"
}
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/ca.key" 2>/dev/null
issue ca "$PKI/ca.key" "/O=tapir test/CN=tapir test CA" v3_ca -selfsign -keyfile "$PKI/ca.key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/rsa.key" 2>/dev/null
SAN="DNS:$NAME,DNS:www.tapir.test,IP:$IP_B" issue rsa "$PKI/rsa.key" "/O=tapir test/CN=$NAME" v3_srv
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$PKI/ecdsa.key" 2>/dev/null
SAN="DNS:ecdsa.tapir.test,DNS:$NAME,IP:$IP_B" issue ecdsa "$PKI/ecdsa.key" "/O=tapir test/CN=ecdsa.tapir.test" v3_srv
openssl verify -CAfile "$PKI/ca.pem" "$PKI/rsa.pem" "$PKI/ecdsa.pem" >/dev/null || die "certificates do not verify"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/cli.key" 2>/dev/null
issue cli "$PKI/cli.key" "/O=tapir test/CN=tapir test client" v3_cli
chmod 644 "$PKI"/*

# s_server PORT ARGS...: openssl s_server -www on B's address
s_server() {
    local port=$1
    shift
    start_server "$port" openssl s_server -www -accept "$IP_B:$port" "$@"
}
# client EXPECT PORT ARGS...: one openssl s_client connection sending
# "GET / HTTP/1.0"; EXPECT ok: it must end with the server's answer
# (HTTP/1.0 200 ok), fail: it must fail (s_client exit status not 0)
client() {
    local expect=$1 port=$2 rc=0
    shift 2
    printf 'GET / HTTP/1.0\r\n\r\n' | in_a timeout 10 openssl s_client -connect "$IP_B:$port" -ign_eof "$@" \
        >"$WORK/client.out" 2>&1 || rc=$?
    printf '### %s s_client -connect %s:%s %s (exit %d)\n' "$expect" "$IP_B" "$port" "$*" "$rc" >>"$WORK/clients.log"
    grep -E '^(Protocol|New|    Cipher|Verify return|ALPN|.*alert)' "$WORK/client.out" >>"$WORK/clients.log" || true
    if [[ $expect == ok ]]; then
        [[ $rc -eq 0 ]] && grep -q 'HTTP/1.0 200 ok' "$WORK/client.out" ||
            die "s_client $* ($rc): $(tail -20 "$WORK/client.out")"
    else
        [[ $rc -ne 0 ]] || die "s_client $* succeeded, a failure was meant: $(tail -20 "$WORK/client.out")"
    fi
    sleep 0.2
}
CA=(-CAfile "$PKI/ca.pem")
RSA=(-cert "$PKI/rsa.pem" -key "$PKI/rsa.key" -cert_chain "$PKI/ca.pem")
ECDSA=(-cert "$PKI/ecdsa.pem" -key "$PKI/ecdsa.key")
DUAL=("${RSA[@]}" -dcert "$PKI/ecdsa.pem" -dkey "$PKI/ecdsa.key")
: >"$WORK/clients.log"

if [[ $WHICH == all || $WHICH == openssl ]]; then
    log "tls-openssl.pcap"
    s_server 443 "${DUAL[@]}" -alpn http/1.1
    s_server 8443 "${ECDSA[@]}"
    start_capture "$OUT/tls-openssl.pcap" "tcp port 443 or tcp port 8443"
    client ok 443 "${CA[@]}" -tls1_3 -servername "$NAME" -alpn h2,http/1.1
    client ok 443 "${CA[@]}" -tls1_3 -servername "$NAME" -ciphersuites TLS_AES_256_GCM_SHA384 -sigalgs rsa_pss_rsae_sha256
    client ok 443 "${CA[@]}" -tls1_2 -servername "$NAME" -alpn h2,http/1.1 -cipher ECDHE-RSA-AES128-GCM-SHA256
    client ok 443 "${CA[@]}" -tls1_2 -servername "$NAME" -cipher ECDHE-ECDSA-CHACHA20-POLY1305
    client ok 443 "${CA[@]}" -tls1_2 -noservername -cipher AES256-SHA
    client ok 8443 "${CA[@]}" -tls1_3 -servername ecdsa.tapir.test
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == resume ]]; then
    log "tls-resume.pcap"
    s_server 443 "${RSA[@]}"
    start_capture "$OUT/tls-resume.pcap" "tcp port 443"
    S=(-servername "$NAME" "${CA[@]}")
    client ok 443 "${S[@]}" -tls1_2 -sess_out "$WORK/s12t.pem"
    client ok 443 "${S[@]}" -tls1_2 -sess_in "$WORK/s12t.pem"
    grep -q '^Reused' "$WORK/client.out" || die "TLS 1.2 ticket: not resumed"
    client ok 443 "${S[@]}" -tls1_2 -no_ticket -sess_out "$WORK/s12i.pem"
    client ok 443 "${S[@]}" -tls1_2 -no_ticket -sess_in "$WORK/s12i.pem"
    grep -q '^Reused' "$WORK/client.out" || die "TLS 1.2 session id: not resumed"
    client ok 443 "${S[@]}" -tls1_3 -sess_out "$WORK/s13.pem"
    client ok 443 "${S[@]}" -tls1_3 -sess_in "$WORK/s13.pem"
    grep -q '^Reused' "$WORK/client.out" || die "TLS 1.3 PSK: not resumed"
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == hrr ]]; then
    log "tls-hrr.pcap"
    s_server 443 "${RSA[@]}" -groups P-256
    start_capture "$OUT/tls-hrr.pcap" "tcp port 443"
    client ok 443 "${CA[@]}" -tls1_3 -servername "$NAME" -groups X25519:P-256
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == fail ]]; then
    log "tls-fail.pcap"
    s_server 443 "${RSA[@]}"
    start_capture "$OUT/tls-fail.pcap" "tcp port 443"
    # no -CAfile: the system's CAs, which do not hold tapir's
    client fail 443 -tls1_2 -servername "$NAME" -verify_return_error -no-CAfile -no-CApath -no-CAstore
    client fail 443 -tls1_3 -servername "$NAME" -verify_return_error -no-CAfile -no-CApath -no-CAstore
    stop_server
    s_server 443 "${RSA[@]}" -tls1_2 -cipher AES128-SHA
    client fail 443 "${CA[@]}" -tls1_2 -servername "$NAME" -cipher ECDHE-RSA-AES256-GCM-SHA384
    stop_server
    s_server 443 "${RSA[@]}" -tls1_2
    client fail 443 "${CA[@]}" -tls1_1 -servername "$NAME" -cipher 'DEFAULT:@SECLEVEL=0'
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == fields ]]; then
    log "tls-fields.pcap"
    # a good OCSP response for the RSA certificate, signed by the CA
    openssl ocsp -issuer "$PKI/ca.pem" -cert "$PKI/rsa.pem" -no_nonce -reqout "$WORK/ocsp.req" 2>>"$WORK/pki.err" ||
        die "ocsp request: $(cat "$WORK/pki.err")"
    openssl ocsp -index "$PKI/index.txt" -CA "$PKI/ca.pem" -rsigner "$PKI/ca.pem" -rkey "$PKI/ca.key" \
        -reqin "$WORK/ocsp.req" -respout "$WORK/ocsp.der" -ndays 3650 >/dev/null 2>>"$WORK/pki.err" ||
        die "ocsp response: $(cat "$WORK/pki.err")"
    CLI=(-cert "$PKI/cli.pem" -key "$PKI/cli.key")
    s_server 443 "${RSA[@]}" "${CA[@]}" -Verify 1
    s_server 4433 "${RSA[@]}" -status_file "$WORK/ocsp.der"
    s_server 8443 "${RSA[@]}" "${CA[@]}" -Verify 1 -cipher 'ALL:@SECLEVEL=0'
    start_capture "$OUT/tls-fields.pcap" "tcp port 443 or tcp port 4433 or tcp port 8443"
    client ok 443 "${CA[@]}" "${CLI[@]}" -tls1_2 -servername "$NAME" -cipher ECDHE-RSA-AES128-GCM-SHA256
    client ok 4433 "${CA[@]}" -tls1_2 -servername "$NAME" -cipher DHE-RSA-AES128-GCM-SHA256
    client ok 4433 "${CA[@]}" -tls1_2 -servername "$NAME" -status
    grep -q 'OCSP Response Status: successful' "$WORK/client.out" || die "no OCSP response stapled"
    client ok 8443 "${CA[@]}" "${CLI[@]}" -tls1 -servername "$NAME" -cipher 'DHE-RSA-AES128-SHA:@SECLEVEL=0'
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == curl ]]; then
    log "tls-curl.pcap"
    mkdir -p "$WORK/www"
    cat >"$WORK/www/index.html" <<'HTML'
<!doctype html>
<title>tapir over TLS</title>
<p>Hello from tapir, through nginx with TLS.</p>
HTML
    touch -d '2026-01-01 00:00:00 UTC' "$WORK/www/index.html"
    cat >"$WORK/nginx.conf" <<CONF
daemon off;
master_process off;
user root;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 64; }
http {
    access_log off;
    types { text/html html; }
    server {
        listen $IP_B:443 ssl http2;
        server_name $NAME;
        ssl_certificate $PKI/rsa.pem;
        ssl_certificate_key $PKI/rsa.key;
        ssl_certificate $PKI/ecdsa.pem;
        ssl_certificate_key $PKI/ecdsa.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $WORK/www;
    }
}
CONF
    start_server 443 nginx -c "$WORK/nginx.conf" -p "$WORK"
    start_capture "$OUT/tls-curl.pcap" "tcp port 443"
    for opts in '--tlsv1.3 --http2' '--tlsv1.3 --http1.1' '--tlsv1.2 --tls-max 1.2 --http2' '--tlsv1.2 --tls-max 1.2 --http1.1'; do
        # shellcheck disable=SC2086 # opts are meant to split
        cmd=(curl -sS -v --max-time 10 --cacert "$PKI/ca.pem" --resolve "$NAME:443:$IP_B" $opts -o /dev/null "https://$NAME/index.html")
        in_a "${cmd[@]}" >"$WORK/curl.out" 2>&1 || die "curl $opts: $(cat "$WORK/curl.out")"
        printf '### curl %s\n' "$opts" >>"$WORK/clients.log"
        grep -E 'SSL connection using|ALPN: server accepted|< HTTP/' "$WORK/curl.out" >>"$WORK/clients.log" || true
        sleep 0.2
    done
    stop_capture
    stop_server
fi

log "what the clients said:"
cat "$WORK/clients.log" >&2
log "certificates (SHA-256 of the DER):"
for c in ca rsa ecdsa; do
    printf '%-6s %s  %s\n' "$c" "$(openssl x509 -in "$PKI/$c.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')" \
        "$(openssl x509 -in "$PKI/$c.pem" -noout -subject -serial | tr '\n' ' ')" >&2
done
for f in openssl resume hrr fail fields curl; do
    [[ -f "$OUT/tls-$f.pcap" ]] && printf '%s %s bytes\n' "tls-$f.pcap" "$(stat -c %s "$OUT/tls-$f.pcap")" >&2
done
log "done"
