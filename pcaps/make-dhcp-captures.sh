#!/usr/bin/env bash
# make-dhcp-captures.sh - tapir's DHCP captures, made by real programs:
# dnsmasq (server) and ISC dhclient (client) in two network namespaces.
#
# Usage:  sudo pcaps/make-dhcp-captures.sh     (root: network namespaces)
# Needs:  apt-get install -y dnsmasq-base isc-dhcp-client tcpdump iproute2
#
# Network rules (as make-captures.sh): traffic only between two network
# namespaces this script creates (tapir-dhcp-s <-> tapir-dhcp-c over a veth
# pair, 10.99.1.0/24); nothing else is touched.  dhclient runs with its
# own script (-sf) that only sets the address on the client's veth: it
# never writes /etc/resolv.conf or routes of the host.  The namespaces are removed on
# exit; only processes started here are killed, by PID.  KEEP=1 keeps
# the work directory (logs of dnsmasq and dhclient) for a look.
#
# Captures (each a tcpdump of the client's side, ports 67 and 68):
#   dhcp-dora.pcap    DISCOVER, OFFER, REQUEST, ACK, then a RELEASE
#                     (dhclient -r); options 1 3 6 12 15 28 42 51 54 55
#                     57 58 59 61 81 119 121 252 among them
#   dhcp-nak.pcap     a stale lease outside the subnet: INIT-REBOOT
#                     REQUEST, NAK from the authoritative server, then a
#                     fresh DORA
#   dhcp-nooffer.pcap a client the server ignores: DISCOVERs, no OFFER
set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_S=tapir-dhcp-s
NS_C=tapir-dhcp-c
IF_S=vdhcp-s
IF_C=vdhcp-c
MAC_S=02:00:00:00:99:11
MAC_C=02:00:00:00:99:12
MAC_IGNORED=02:00:00:00:99:13
IP_S=10.99.1.1

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'make-dhcp-captures.sh: error: %s\n' "$*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (network namespaces): sudo $0"
for t in dnsmasq dhclient tcpdump ip; do
    command -v "$t" >/dev/null 2>&1 || die "missing $t: apt-get install -y dnsmasq-base isc-dhcp-client tcpdump iproute2"
done

WORK="$(mktemp -d /tmp/tapir-dhcp.XXXXXX)"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]:-}"; do
        [[ -n $p ]] || continue
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    ip netns del "$NS_S" 2>/dev/null || true
    ip netns del "$NS_C" 2>/dev/null || true
    if [[ ${KEEP:-0} = 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

inS() { ip netns exec "$NS_S" "$@"; }
inC() { ip netns exec "$NS_C" "$@"; }

setup() {
    ip netns del "$NS_S" 2>/dev/null || true
    ip netns del "$NS_C" 2>/dev/null || true
    ip netns add "$NS_S"
    ip netns add "$NS_C"
    ip link add "$IF_S" netns "$NS_S" address "$MAC_S" type veth \
        peer name "$IF_C" netns "$NS_C" address "$MAC_C"
    inS ip addr add "$IP_S/24" dev "$IF_S"
    inS ip link set lo up
    inS ip link set "$IF_S" up
    inC ip link set lo up
    inC ip link set "$IF_C" up
    # no IPv6 chatter (router solicitations, MLD) on the captures
    inS sysctl -qw net.ipv6.conf."$IF_S".disable_ipv6=1
    inC sysctl -qw net.ipv6.conf."$IF_C".disable_ipv6=1
    # dhclient's script: the address on the client's veth and nothing
    # else (never the host's /etc/resolv.conf), so that the unicast
    # RELEASE can be sent
    cat > "$WORK/script.sh" <<'EOF'
#!/bin/sh
case "$reason" in
BOUND|RENEW|REBIND|REBOOT)
    ip -4 addr flush dev "$interface"
    ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
EXPIRE|FAIL|RELEASE|STOP)
    ip -4 addr flush dev "$interface" ;;
esac
exit 0
EOF
    chmod +x "$WORK/script.sh"
    cat > "$WORK/dhclient.conf" <<'EOF'
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
option wpad code 252 = string;
send host-name "tapir-client";
send fqdn.fqdn "tapir-client.tapir.test";
send dhcp-client-identifier 1:02:00:00:00:99:12;
request subnet-mask, broadcast-address, routers, domain-name-servers,
        domain-name, domain-search, host-name, ntp-servers,
        rfc3442-classless-static-routes, wpad;
timeout 12;
initial-interval 1;
EOF
}

# dnsmasq as the DHCP server only (--port=0: no DNS), authoritative (so
# a request for an address it does not know gets a NAK), with options
# that exercise the decoder: domain search (119), classless routes (121),
# NTP (42), WPAD (252).
start_server() {
    ip netns exec "$NS_S" dnsmasq --no-daemon --conf-file=/dev/null --port=0 \
        --interface="$IF_S" --bind-interfaces --except-interface=lo --no-ping \
        --dhcp-range=10.99.1.50,10.99.1.60,255.255.255.0,1h \
        --dhcp-authoritative --dhcp-leasefile="$WORK/dnsmasq.leases" \
        --dhcp-option=option:router,$IP_S \
        --dhcp-option=option:dns-server,$IP_S \
        --dhcp-option=option:domain-name,tapir.test \
        --dhcp-option=option:domain-search,tapir.test,example.com \
        --dhcp-option=option:ntp-server,$IP_S \
        --dhcp-option=option:classless-static-route,10.77.0.0/16,$IP_S,0.0.0.0/0,$IP_S \
        --dhcp-option=252,"http://wpad.tapir.test/wpad.dat" \
        --dhcp-host="$MAC_IGNORED",ignore \
        --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log" \
        --log-dhcp &
    PIDS+=($!)
    sleep 1
}

start_capture() { # file
    local err="$WORK/$(basename "$1").err" i
    rm -f "$1"
    ip netns exec "$NS_C" tcpdump -Z root -U --immediate-mode -i "$IF_C" \
        -s 0 -w "$1" 'udp port 67 or udp port 68' 2>"$err" &
    CAP=$!
    PIDS+=("$CAP")
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$err" 2>/dev/null && { sleep 0.3; return 0; }
        kill -0 "$CAP" 2>/dev/null || { cat "$err" >&2; die "tcpdump for $1 exited"; }
        sleep 0.1
    done
    die "tcpdump for $1 did not become ready"
}

stop_capture() {
    sleep 1
    kill -INT "$CAP"
    wait "$CAP" || true
}

dhclient_run() { # extra args...
    inC dhclient -4 -v -1 -cf "$WORK/dhclient.conf" -sf "$WORK/script.sh" \
        -lf "$WORK/dhclient.leases" -pf "$WORK/dhclient.pid" "$@" "$IF_C" \
        >>"$WORK/dhclient.log" 2>&1 || true
}

cap_dora() {
    log "dhcp-dora.pcap: DORA, then a release"
    rm -f "$WORK/dhclient.leases"
    start_capture "$OUT/dhcp-dora.pcap"
    dhclient_run
    sleep 1
    dhclient_run -r
    stop_capture
}

cap_nak() {
    log "dhcp-nak.pcap: a stale lease outside the subnet is refused"
    cat > "$WORK/dhclient.leases" <<EOF
lease {
  interface "$IF_C";
  fixed-address 10.99.2.77;
  option subnet-mask 255.255.255.0;
  option dhcp-server-identifier $IP_S;
  option dhcp-lease-time 3600;
  renew 4 2037/12/31 00:00:00;
  rebind 4 2037/12/31 00:00:00;
  expire 4 2037/12/31 00:00:00;
}
EOF
    start_capture "$OUT/dhcp-nak.pcap"
    dhclient_run
    sleep 1
    dhclient_run -r
    stop_capture
}

cap_nooffer() {
    log "dhcp-nooffer.pcap: DISCOVERs the server ignores"
    rm -f "$WORK/dhclient.leases"
    inC ip link set "$IF_C" address "$MAC_IGNORED"
    sed -i 's/^send dhcp-client-identifier.*/send dhcp-client-identifier 1:02:00:00:00:99:13;/; s/^timeout 12;/timeout 8;/' \
        "$WORK/dhclient.conf"
    start_capture "$OUT/dhcp-nooffer.pcap"
    dhclient_run
    stop_capture
    inC ip link set "$IF_C" address "$MAC_C"
}

setup
start_server
cap_dora
cap_nak
cap_nooffer
for f in dhcp-dora dhcp-nak dhcp-nooffer; do
    printf '%-20s %s packets\n' "$f.pcap" \
        "$(tcpdump -nn -r "$OUT/$f.pcap" 2>/dev/null | wc -l)" >&2
done
log "done"
