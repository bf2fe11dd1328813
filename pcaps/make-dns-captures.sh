#!/usr/bin/env bash
# make-dns-captures.sh - DNS captures: dig asking dnsmasq for every record
# type tapir decodes, over UDP and TCP, and a truncated UDP answer that dig
# retries over TCP.
#
# Usage:  sudo pcaps/make-dns-captures.sh   (root: network namespaces)
#
# Network rules, as make-captures.sh: traffic only between two namespaces
# this script creates (tapir-dns-a <-> tapir-dns-b over a veth pair,
# 10.99.53.0/24 and fd00:53::/64), removed on exit; only the processes
# started here are stopped, by PID.  Idempotent: stale namespaces of the
# same names are deleted first and the captures overwritten.
#
# Captures:
#   dns-types.pcap  UDP: A AAAA CNAME NS PTR MX TXT SOA SRV CAA NAPTR HINFO
#                   DS DNSKEY RRSIG NSEC NSEC3 SVCB HTTPS, NXDOMAIN, EDNS
#                   client subnet, NSID and padding options; then A, MX,
#                   SRV and NSEC3 again over TCP.
#   dns-tc.pcap     a TXT answer too big for dig's 512-byte buffer: the UDP
#                   answer comes back truncated (TC) and dig asks again over
#                   TCP, whose answer spans segments.
# The DNSSEC and SVCB/HTTPS records are served with dnsmasq's --dns-rr
# (their data hex below, made by hand: fixed keys and signatures, never
# checked by anybody).
set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_A=tapir-dns-a
NS_B=tapir-dns-b
IF_A=vdns-a
IF_B=vdns-b
IP4_A=10.99.53.1
IP4_B=10.99.53.2
IP6_A=fd00:53::1
IP6_B=fd00:53::2

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'make-dns-captures.sh: error: %s\n' "$*" >&2; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root: sudo $0"
for t in tcpdump ip dig dnsmasq ss; do
    command -v "$t" >/dev/null 2>&1 || die "missing $t (packages tcpdump iproute2 dnsutils dnsmasq-base)"
done

WORK="$(mktemp -d /tmp/tapir-dns-captures.XXXXXX)"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]:-}"; do
        [[ -n $p ]] || continue
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    ip netns del "$NS_A" 2>/dev/null || true
    ip netns del "$NS_B" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

in_a() { ip netns exec "$NS_A" "$@"; }

ip netns del "$NS_A" 2>/dev/null || true
ip netns del "$NS_B" 2>/dev/null || true
ip netns add "$NS_A"
ip netns add "$NS_B"
for ns in "$NS_A" "$NS_B"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
    ip netns exec "$ns" ip link set lo up
done
ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
ip -n "$NS_A" addr add "$IP4_A/24" dev "$IF_A"
ip -n "$NS_B" addr add "$IP4_B/24" dev "$IF_B"
ip -n "$NS_A" addr add "$IP6_A/64" dev "$IF_A" nodad
ip -n "$NS_B" addr add "$IP6_B/64" dev "$IF_B" nodad
ip -n "$NS_A" link set "$IF_A" up
ip -n "$NS_B" link set "$IF_B" up
# no ARP/ND in the captures
MAC_A=$(ip -n "$NS_A" -br link show "$IF_A" | awk '{print $3}')
MAC_B=$(ip -n "$NS_B" -br link show "$IF_B" | awk '{print $3}')
ip -n "$NS_A" neigh replace "$IP4_B" lladdr "$MAC_B" dev "$IF_A" nud permanent
ip -n "$NS_B" neigh replace "$IP4_A" lladdr "$MAC_A" dev "$IF_B" nud permanent
ip -n "$NS_A" neigh replace "$IP6_B" lladdr "$MAC_B" dev "$IF_A" nud permanent
ip -n "$NS_B" neigh replace "$IP6_A" lladdr "$MAC_A" dev "$IF_B" nud permanent

BIGTXT=$(printf 'tapir-%03d-0123456789abcdefghijklmnopqrstuvwxyz,' $(seq 1 40))

ip netns exec "$NS_B" dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll \
    --conf-file=/dev/null --pid-file="$WORK/dnsmasq.pid" --user=root --group=root \
    --bind-interfaces --listen-address="$IP4_B" --listen-address="$IP6_B" \
    --except-interface=lo --log-facility=- --port=53 --edns-packet-max=4096 \
    --host-record=tapir.test,"$IP4_B","$IP6_B" \
    --host-record=web.tapir.test,10.99.53.80 \
    --cname=alias.tapir.test,tapir.test \
    --ptr-record=2.53.99.10.in-addr.arpa,tapir.test \
    --mx-host=tapir.test,mail.tapir.test,10 \
    --txt-record=tapir.test,"hello from tapir","second string" \
    --txt-record=big.tapir.test,"$BIGTXT","$BIGTXT","$BIGTXT" \
    --srv-host=_http._tcp.tapir.test,web.tapir.test,80,0,5 \
    --caa-record=tapir.test,0,issue,ca.tapir.test \
    --naptr-record=tapir.test,100,10,U,E2U+sip,'!^.*$!sip:info@tapir.test!' \
    --dns-rr=tapir.test,2,036e7331057461706972047465737400 \
    --dns-rr=tapir.test,6,036e73310574617069720474657374000a686f73746d617374657205746170697204746573740078c425fd00000e1000000258000151800000012c \
    --dns-rr=tapir.test,13,05494e54454c054c494e5558 \
    --dns-rr=tapir.test,43,30390d02000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
    --dns-rr=tapir.test,48,0101030d404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f \
    --dns-rr=tapir.test,46,00010d0200000e106b36ec806b0e0e003039057461706972047465737400808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf \
    --dns-rr=tapir.test,47,037777770574617069720474657374000006620180080003 \
    --dns-rr=tapir.test,50,0101000a04aabbccdd14000102030405060708090a0b0c0d0e0f101112130006400080080002 \
    --dns-rr=tapir.test,64,00010373766305746170697204746573740000000002000100010003026832 \
    --dns-rr=tapir.test,65,000100000100060268320268330003000201bb000400040a63350200060010fd000053000000000000000000000002 \
    --local=/invalid/ 2>"$WORK/dnsmasq.log" &
SRV=$!
PIDS+=("$SRV")
for ((i = 0; i < 100; i++)); do
    ip netns exec "$NS_B" ss -Hlnu "sport = :53" | grep -q . &&
        ip netns exec "$NS_B" ss -Hlnt "sport = :53" | grep -q . && break
    sleep 0.1
done

CAP_PID=
cap_start() {
    rm -f "$1"
    ip netns exec "$NS_A" tcpdump -Z root -U --immediate-mode -w "$1" -i "$IF_A" "port 53" 2>"$WORK/cap.err" &
    CAP_PID=$!
    PIDS+=("$CAP_PID")
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$WORK/cap.err" 2>/dev/null && { sleep 0.3; return 0; }
        sleep 0.1
    done
    die "tcpdump did not start"
}
cap_stop() { sleep 0.5; kill -INT "$CAP_PID"; wait "$CAP_PID" || true; }

dig=(dig +tries=1 +time=2)
log "dns-types.pcap"
cap_start "$OUT/dns-types.pcap"
for t in A AAAA MX TXT NS SOA HINFO CAA NAPTR DS DNSKEY RRSIG NSEC NSEC3 TYPE64 TYPE65; do
    in_a "${dig[@]}" @"$IP4_B" tapir.test "$t" >/dev/null
done
in_a "${dig[@]}" @"$IP4_B" alias.tapir.test A >/dev/null
in_a "${dig[@]}" @"$IP4_B" -x "$IP4_B" >/dev/null
in_a "${dig[@]}" @"$IP4_B" _http._tcp.tapir.test SRV >/dev/null
in_a "${dig[@]}" @"$IP4_B" nothing.invalid A >/dev/null
in_a "${dig[@]}" @"$IP4_B" +subnet=10.99.53.0/24 +nsid +padding=128 tapir.test A >/dev/null
in_a "${dig[@]}" @"$IP6_B" +subnet=fd00:53::/56 tapir.test AAAA >/dev/null
for t in A MX NSEC3; do
    in_a "${dig[@]}" +tcp @"$IP4_B" tapir.test "$t" >/dev/null
done
in_a "${dig[@]}" +tcp @"$IP4_B" _http._tcp.tapir.test SRV >/dev/null
cap_stop

log "dns-tc.pcap"
cap_start "$OUT/dns-tc.pcap"
in_a "${dig[@]}" +bufsize=512 @"$IP4_B" big.tapir.test TXT >/dev/null
cap_stop
log "done"
