#!/usr/bin/env bash
# make-captures.sh - regenerate tapir's own test captures with real programs.
#
# Usage:  sudo pcaps/make-captures.sh            (needs root: network namespaces)
#
# Network rules: traffic only ever goes over loopback or between two network
# namespaces this script creates itself (tapir-a <-> tapir-b over a veth pair,
# 10.99.0.0/24 and fd00:99::/64).  Nothing is sent to any other address.
# The namespaces are removed on exit; only processes started here are killed,
# by PID.  The script is idempotent: it deletes stale namespaces of the same
# name first and overwrites the captures it produces.
#
# Captures built "in user space" (VLAN tagging of real frames, big-endian
# rewrite, gzip) are derived from the real captures; the scapy-crafted
# packets (IPv4/IPv6/TCP options, IPv6 extension headers) are really sent
# over the veth with scapy's sendp() and captured with tcpdump together with
# the real kernel's answers.

set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_A=tapir-a
NS_B=tapir-b
IF_A=veth-a
IF_B=veth-b
MAC_A=02:00:00:00:99:01
MAC_B=02:00:00:00:99:02
IP4_A=10.99.0.1
IP4_B=10.99.0.2
IP6_A=fd00:99::1
IP6_B=fd00:99::2
HTTP_PORT=8000
UDP_PORT=5555
CLOSED_PORT=9999
PY=/usr/bin/python3       # Debian's python3: python3-scapy lives there

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'make-captures.sh: error: %s\n' "$*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, raw sockets): sudo $0"

# ---------------------------------------------------------------- tools ----
# tool -> Debian package that provides it
declare -A PKG=(
    [tcpdump]=tcpdump [ip]=iproute2 [ping]=iputils-ping [arping]=arping
    [dig]=dnsutils [nc]=netcat-openbsd [curl]=curl [gzip]=gzip
    [dumpcap]=wireshark-common [editcap]=wireshark-common
    [mergecap]=wireshark-common [capinfos]=wireshark-common [ss]=iproute2
    [dnsmasq]=dnsmasq-base
    [dhclient]=isc-dhcp-client
)
missing=()
for t in "${!PKG[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t (package ${PKG[$t]})")
done
[[ -x $PY ]] || missing+=("$PY (package python3)")
if [[ -x $PY ]] && ! "$PY" -c 'import scapy.all' >/dev/null 2>&1; then
    missing+=("python module scapy for $PY (package python3-scapy)")
fi
if ((${#missing[@]})); then
    printf 'make-captures.sh: missing tools:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'install with:\n  apt-get update && echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections\n' >&2
    printf '  DEBIAN_FRONTEND=noninteractive apt-get install -y tcpdump iproute2 iputils-ping arping dnsutils dnsmasq-base netcat-openbsd curl python3 python3-scapy wireshark-common tshark\n' >&2
    exit 1
fi
# nc must be the OpenBSD flavour (-N, -u -l PORT syntax)
nc -h 2>&1 | grep -qi openbsd || die "nc is not netcat-openbsd"

# ------------------------------------------------------- setup/cleanup ----
WORK="$(mktemp -d /tmp/tapir-captures.XXXXXX)"
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
trap 'exit 130' INT TERM

in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

setup_netns() {
    log "creating namespaces $NS_A <-> $NS_B"
    ip netns del "$NS_A" 2>/dev/null || true
    ip netns del "$NS_B" 2>/dev/null || true
    ip netns add "$NS_A"
    ip netns add "$NS_B"
    local ns
    for ns in "$NS_A" "$NS_B"; do
        # quiet IPv6: no DAD, no router solicitations, no temp addresses
        ip netns exec "$ns" sysctl -qw \
            net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.default.router_solicitations=0 \
            net.ipv6.conf.default.use_tempaddr=0 \
            net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.all.router_solicitations=0
        ip -n "$ns" link set lo up
    done
    ip link add "$IF_A" address "$MAC_A" netns "$NS_A" type veth \
        peer name "$IF_B" address "$MAC_B" netns "$NS_B"
    ip -n "$NS_A" addr add "$IP4_A/24" dev "$IF_A"
    ip -n "$NS_B" addr add "$IP4_B/24" dev "$IF_B"
    ip -n "$NS_A" addr add "$IP6_A/64" dev "$IF_A" nodad
    ip -n "$NS_B" addr add "$IP6_B/64" dev "$IF_B" nodad
    # let tapir-b process segment routing headers (ipv6-ext.pcap gets a reply)
    ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.seg6_enabled=1 "net.ipv6.conf.$IF_B.seg6_enabled=1"
    ip -n "$NS_A" link set "$IF_A" up
    ip -n "$NS_B" link set "$IF_B" up
    # let the initial MLD reports die down before anything is captured
    sleep 3
}

# static neighbour entries: captures that do not want ARP/ND stay clean
static_neigh() {
    ip -n "$NS_A" neigh replace "$IP4_B" lladdr "$MAC_B" dev "$IF_A" nud permanent
    ip -n "$NS_B" neigh replace "$IP4_A" lladdr "$MAC_A" dev "$IF_B" nud permanent
    ip -n "$NS_A" neigh replace "$IP6_B" lladdr "$MAC_B" dev "$IF_A" nud permanent
    ip -n "$NS_B" neigh replace "$IP6_A" lladdr "$MAC_A" dev "$IF_B" nud permanent
}
flush_neigh() {
    ip -n "$NS_A" neigh flush dev "$IF_A" nud all 2>/dev/null || true
    ip -n "$NS_B" neigh flush dev "$IF_B" nud all 2>/dev/null || true
    # permanent entries survive "flush"; delete them explicitly
    ip -n "$NS_A" neigh del "$IP4_B" dev "$IF_A" 2>/dev/null || true
    ip -n "$NS_B" neigh del "$IP4_A" dev "$IF_B" 2>/dev/null || true
    ip -n "$NS_A" neigh del "$IP6_B" dev "$IF_A" 2>/dev/null || true
    ip -n "$NS_B" neigh del "$IP6_A" dev "$IF_B" 2>/dev/null || true
}

# ------------------------------------------------------------ capturing ----
CAP_PID=
CAP_ERR=
# cap_start NS FILE TCPDUMP-ARGS... : start tcpdump in NS, wait until ready
cap_start() {
    local ns=$1 file=$2; shift 2
    CAP_ERR="$WORK/$(basename "$file").err"
    rm -f "$file"
    ip netns exec "$ns" tcpdump -Z root -U --immediate-mode -w "$file" "$@" 2>"$CAP_ERR" &
    CAP_PID=$!
    PIDS+=("$CAP_PID")
    local i
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$CAP_ERR" 2>/dev/null && { sleep 0.3; return 0; }
        kill -0 "$CAP_PID" 2>/dev/null || { cat "$CAP_ERR" >&2; die "tcpdump for $file exited"; }
        sleep 0.1
    done
    die "tcpdump for $file did not become ready"
}
# cap_stop: give the last packets a moment, then SIGINT tcpdump and wait
cap_stop() {
    sleep 0.5
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
    CAP_PID=
}

# bg NS CMD... : start a helper in NS in the background, PID in BG_PID
BG_PID=
bg() {
    local ns=$1; shift
    ip netns exec "$ns" "$@" &
    BG_PID=$!
    PIDS+=("$BG_PID")
}
stop_bg() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

wait_listen() {  # wait_listen NS PROTO(t|u) PORT
    local i
    for ((i = 0; i < 100; i++)); do
        ip netns exec "$1" ss -Hln"$2" "sport = :$3" | grep -q . && return 0
        sleep 0.1
    done
    die "nothing listening on $2/$3 in $1"
}

# -------------------------------------------------------------- captures ----
ICMP6_ND='icmp6 and (ip6[40] == 135 or ip6[40] == 136)'
# IPv6 traffic minus ND and multicast (MLD reports etc.)
IP6_UNICAST="ip6 and not ip6 multicast and not ($ICMP6_ND)"

cap_arp() {
    log "arp.pcap (arping -c 2)"
    flush_neigh
    cap_start "$NS_A" "$OUT/arp.pcap" -i "$IF_A" arp
    in_a arping -q -c 2 -i "$IF_A" "$IP4_B" || true
    cap_stop
    static_neigh
}

cap_icmp_ping() {
    log "icmp-ping.pcap (ARP + ping -c 3)"
    flush_neigh
    cap_start "$NS_A" "$OUT/icmp-ping.pcap" -i "$IF_A" 'arp or icmp'
    in_a ping -q -n -c 3 -i 0.2 "$IP4_B" >/dev/null
    cap_stop
    static_neigh
}

cap_icmp_ping_ns() {
    log "icmp-ping-ns.pcap (nanosecond timestamps, ping -c 2)"
    static_neigh
    cap_start "$NS_A" "$OUT/icmp-ping-ns.pcap" --time-stamp-precision=nano -i "$IF_A" icmp
    in_a ping -q -n -c 2 -i 0.2 "$IP4_B" >/dev/null
    cap_stop
}

cap_icmp6_ping() {
    log "icmp6-ping.pcap (ND + ping -6 -c 3)"
    flush_neigh
    cap_start "$NS_A" "$OUT/icmp6-ping.pcap" -i "$IF_A" \
        "icmp6 and (ip6[40] == 128 or ip6[40] == 129 or ip6[40] == 135 or ip6[40] == 136)"
    in_a ping -6 -q -n -c 3 -i 0.2 "$IP6_B" >/dev/null
    cap_stop
    static_neigh
}

cap_icmp_unreach() {
    static_neigh
    log "icmp-unreach.pcap (UDP to closed port -> ICMP port unreachable)"
    cap_start "$NS_A" "$OUT/icmp-unreach.pcap" -i "$IF_A" 'udp or icmp'
    echo "tapir: is anybody there?" | in_a nc -u -w1 "$IP4_B" "$CLOSED_PORT" || true
    cap_stop
    log "icmp6-unreach.pcap (UDP/IPv6 to closed port -> ICMPv6 unreachable)"
    cap_start "$NS_A" "$OUT/icmp6-unreach.pcap" -i "$IF_A" "udp or (icmp6 and not ($ICMP6_ND))"
    echo "tapir: is anybody there?" | in_a nc -6 -u -w1 "$IP6_B" "$CLOSED_PORT" || true
    cap_stop
}

cap_udp_nc() {
    static_neigh
    log "udp-nc.pcap (nc -u, 3 datagrams + 1 reply on port $UDP_PORT)"
    # server: prints what it gets, answers once after 1.2 s
    bg "$NS_B" bash -c "exec nc -u -l $IP4_B $UDP_PORT >'$WORK/udp-server.out' < <(sleep 1.2; echo 'hello back from tapir-b')"
    local srv=$BG_PID
    wait_listen "$NS_B" u "$UDP_PORT"
    cap_start "$NS_A" "$OUT/udp-nc.pcap" -i "$IF_A" "udp port $UDP_PORT or icmp"
    { echo "tapir udp datagram 1"; sleep 0.3
      echo "tapir udp datagram 2"; sleep 0.3
      echo "tapir udp datagram 3"; sleep 1.5; } |
        in_a nc -u -w1 -p 40000 "$IP4_B" "$UDP_PORT" >/dev/null || true
    cap_stop
    stop_bg "$srv"
}

start_http() {
    mkdir -p "$WORK/www"
    printf 'Hello from tapir-b!\nThis small file is served by python3 -m http.server.\n' >"$WORK/www/hello.txt"
    bg "$NS_B" "$PY" -m http.server "$HTTP_PORT" --bind :: -d "$WORK/www" 2>"$WORK/http.log" >/dev/null
    HTTP_PID=$BG_PID
    wait_listen "$NS_B" t "$HTTP_PORT"
}

cap_tcp_curl() {
    static_neigh
    start_http
    local curl=(curl -s --noproxy '*' -o /dev/null --max-time 5)
    log "tcp-curl-http.pcap (curl -> python3 -m http.server, IPv4)"
    cap_start "$NS_A" "$OUT/tcp-curl-http.pcap" -i "$IF_A" "tcp port $HTTP_PORT"
    in_a "${curl[@]}" "http://$IP4_B:$HTTP_PORT/hello.txt"
    sleep 0.3
    cap_stop
    log "tcp6-curl-http.pcap (curl -> python3 -m http.server, IPv6)"
    cap_start "$NS_A" "$OUT/tcp6-curl-http.pcap" -i "$IF_A" "tcp port $HTTP_PORT"
    in_a "${curl[@]}" -g "http://[$IP6_B]:$HTTP_PORT/hello.txt"
    sleep 0.3
    cap_stop
    log "snaplen64-truncated.pcap (same curl, tcpdump -s 64)"
    cap_start "$NS_A" "$OUT/snaplen64-truncated.pcap" -s 64 -i "$IF_A" "tcp port $HTTP_PORT"
    in_a "${curl[@]}" "http://$IP4_B:$HTTP_PORT/hello.txt"
    sleep 0.3
    cap_stop
    stop_bg "$HTTP_PID"
}

cap_tcp_rst() {
    static_neigh
    log "tcp-rst.pcap (nc -z to closed port, IPv4 + IPv6 -> RST)"
    cap_start "$NS_A" "$OUT/tcp-rst.pcap" -i "$IF_A" "tcp port $CLOSED_PORT"
    in_a nc -z -w1 "$IP4_B" "$CLOSED_PORT" || true
    in_a nc -6 -z -w1 "$IP6_B" "$CLOSED_PORT" || true
    cap_stop
}

cap_dns() {
    static_neigh
    log "dns-dig.pcap (dig -> dnsmasq in $NS_B: UDP A/AAAA/MX/TXT/NXDOMAIN, IPv6, TCP)"
    bg "$NS_B" dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll \
        --conf-file=/dev/null --pid-file="$WORK/dnsmasq.pid" --user=root --group=root \
        --bind-interfaces --listen-address="$IP4_B" --listen-address="$IP6_B" \
        --except-interface=lo --log-facility=- --port=53 \
        --address=/tapir.test/"$IP4_B" --address=/tapir.test/"$IP6_B" \
        --mx-host=tapir.test,mail.tapir.test,10 \
        --txt-record=tapir.test,"hello from tapir" \
        --local=/invalid/ 2>"$WORK/dnsmasq.log"
    local srv=$BG_PID
    wait_listen "$NS_B" u 53
    wait_listen "$NS_B" t 53
    cap_start "$NS_A" "$OUT/dns-dig.pcap" -i "$IF_A" "port 53"
    local dig=(dig +tries=1 +time=2)
    in_a "${dig[@]}" @"$IP4_B" tapir.test A >/dev/null
    in_a "${dig[@]}" @"$IP4_B" tapir.test AAAA >/dev/null
    in_a "${dig[@]}" @"$IP4_B" tapir.test MX >/dev/null
    in_a "${dig[@]}" @"$IP4_B" tapir.test TXT >/dev/null
    in_a "${dig[@]}" @"$IP4_B" nothing.invalid A >/dev/null
    in_a "${dig[@]}" @"$IP6_B" tapir.test AAAA >/dev/null
    in_a "${dig[@]}" +tcp @"$IP4_B" tapir.test A >/dev/null
    sleep 0.3
    cap_stop
    stop_bg "$srv"
}

cap_lo_tcp() {
    log "lo-tcp.pcap (nc TCP over 127.0.0.1 on lo inside $NS_A)"
    bg "$NS_A" bash -c "exec nc -l 127.0.0.1 7777 >'$WORK/lo-server.out' < <(echo 'hello from the tapir nc server')"
    local srv=$BG_PID
    wait_listen "$NS_A" t 7777
    cap_start "$NS_A" "$OUT/lo-tcp.pcap" -i lo 'tcp port 7777'
    echo "hello from the tapir nc client" | in_a nc -N -w2 127.0.0.1 7777 >/dev/null || true
    sleep 0.3
    cap_stop
    stop_bg "$srv"
}

cap_sll() {
    static_neigh
    local dlt file
    for dlt in LINUX_SLL LINUX_SLL2; do
        if [[ $dlt == LINUX_SLL ]]; then file=sll-any.pcap; else file=sll2-any.pcap; fi
        log "$file (tcpdump -i any -y $dlt; ping veth peer + 127.0.0.1)"
        cap_start "$NS_A" "$OUT/$file" -i any -y "$dlt" icmp
        in_a ping -q -n -c 1 "$IP4_B" >/dev/null
        in_a ping -q -n -c 1 127.0.0.1 >/dev/null
        cap_stop
    done
}

cap_pcapng_mixed() {
    static_neigh
    log "pcapng-mixed.pcapng (dumpcap -i $IF_A [EN10MB] -i any -y LINUX_SLL)"
    local f="$OUT/pcapng-mixed.pcapng" err="$WORK/dumpcap.err" i
    rm -f "$f"
    ip netns exec "$NS_A" dumpcap -n -i "$IF_A" -f icmp -i any -y LINUX_SLL -f icmp \
        -w "$f" 2>"$err" &
    CAP_PID=$!
    PIDS+=("$CAP_PID")
    for ((i = 0; i < 100; i++)); do
        grep -q 'Capturing on' "$err" && break
        kill -0 "$CAP_PID" 2>/dev/null || { cat "$err" >&2; die "dumpcap exited"; }
        sleep 0.1
    done
    sleep 0.5
    in_a ping -q -n -c 2 -i 0.2 "$IP4_B" >/dev/null
    cap_stop
    chmod 644 "$f"
}

cap_frag() {
    static_neigh
    log "ipv4-frag.pcap (ping -s 3000 -c 2, MTU 1500)"
    cap_start "$NS_A" "$OUT/ipv4-frag.pcap" -i "$IF_A" icmp
    in_a ping -q -n -c 2 -i 0.2 -s 3000 "$IP4_B" >/dev/null
    cap_stop
    log "ipv6-frag.pcap (ping -6 -s 3000 -c 2, MTU 1500)"
    cap_start "$NS_A" "$OUT/ipv6-frag.pcap" -i "$IF_A" "$IP6_UNICAST"
    in_a ping -6 -q -n -c 2 -i 0.2 -s 3000 "$IP6_B" >/dev/null
    cap_stop
}

# scapy-crafted packets, really sent over the veth (sendp) with the kernel's answers
cap_scapy() {
    static_neigh
    start_http
    local spy="$WORK/craft.py"
    cat >"$spy" <<'EOF'
import sys, time
from scapy.all import (Ether, IP, IPv6, ICMP, UDP, TCP, ICMPv6EchoRequest, Raw,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                       IPv6ExtHdrFragment, IPv6ExtHdrSegmentRouting, RouterAlert,
                       PadN, Pad1, IPOption, IPOption_RR, IPOption_Timestamp, IPOption_NOP,
                       IPOption_EOL, IPOption_Router_Alert, fragment6, sendp, conf)
conf.verb = 0
which, iface, mac_a, mac_b, ip4_a, ip4_b, ip6_a, ip6_b, http = sys.argv[1:10]
http = int(http)
E = Ether(src=mac_a, dst=mac_b)

def send(pkts):
    for p in pkts:
        sendp(p, iface=iface)
        time.sleep(0.2)

if which == "ipv6-ext":
    pl = b"tapir-ipv6-ext"
    pkts = [
        # 1. hop-by-hop (router alert, PadN added by scapy) + echo request
        #    (Linux drops a header with more than 7 bytes of consecutive padding)
        E/IPv6(src=ip6_a, dst=ip6_b)/IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
          /ICMPv6EchoRequest(id=0x7a01, seq=1, data=pl),
        # 2. destination options (PadN) + UDP to a closed port
        E/IPv6(src=ip6_a, dst=ip6_b)/IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")])
          /UDP(sport=40001, dport=9999)/Raw(pl),
        # 3. routing header type 0, segments left 0 (last address = final destination) + echo request
        E/IPv6(src=ip6_a, dst=ip6_b)/IPv6ExtHdrRouting(type=0, segleft=0, addresses=["fd00:99::99", ip6_b])
          /ICMPv6EchoRequest(id=0x7a01, seq=3, data=pl),
        # 4. segment routing header (type 4), segments left 0 + echo request
        E/IPv6(src=ip6_a, dst=ip6_b)/IPv6ExtHdrSegmentRouting(addresses=[ip6_b, "fd00:99::98"], segleft=0, lastentry=1)
          /ICMPv6EchoRequest(id=0x7a01, seq=4, data=pl),
        # 5. atomic fragment (offset 0, M=0) + echo request
        E/IPv6(src=ip6_a, dst=ip6_b)/IPv6ExtHdrFragment(id=0x7a050000, offset=0, m=0)
          /ICMPv6EchoRequest(id=0x7a01, seq=5, data=pl),
        # 6. a chain: HBH / DestOpt / Routing / DestOpt + echo request
        E/IPv6(src=ip6_a, dst=ip6_b)/IPv6ExtHdrHopByHop(options=[Pad1(), Pad1(), PadN(optdata=b"\0\0")])
          /IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")])
          /IPv6ExtHdrRouting(type=0, segleft=0, addresses=["fd00:99::97", ip6_b])
          /IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")])
          /ICMPv6EchoRequest(id=0x7a01, seq=6, data=pl),
    ]
    # 7. real fragmentation: 1800-byte echo request in fragments of <= 1280 bytes
    big = IPv6(src=ip6_a, dst=ip6_b)/IPv6ExtHdrFragment(id=0x7a070000)/ICMPv6EchoRequest(id=0x7a01, seq=7, data=b"T" * 1800)
    pkts += [E/f for f in fragment6(big, 1280)]
    send(pkts)

elif which == "ipv4-options":
    pl = b"tapir-ipv4-options"
    pkts = [
        # 1. record route, echo request (Linux echoes the option in the reply)
        E/IP(src=ip4_a, dst=ip4_b, options=[IPOption_RR(routers=["0.0.0.0"] * 8)])/ICMP(id=0x7a02, seq=1)/Raw(pl),
        # 2. timestamp, timestamps only (flag 0), 3 empty slots, echo request
        E/IP(src=ip4_a, dst=ip4_b, options=[IPOption(b"\x44\x10\x05\x00" + b"\0" * 12)])/ICMP(id=0x7a02, seq=2)/Raw(pl),
        # 3. timestamp + address (flag 1), 2 empty slots, then NOP NOP NOP EOL, echo request
        E/IP(src=ip4_a, dst=ip4_b, options=[IPOption(b"\x44\x14\x05\x01" + b"\0" * 16), IPOption_NOP(),
                                            IPOption_NOP(), IPOption_NOP(), IPOption_EOL()])
          /ICMP(id=0x7a02, seq=3)/Raw(pl),
        # 4. router alert + NOP + EOL, UDP to a closed port -> ICMP unreachable quoting the options
        E/IP(src=ip4_a, dst=ip4_b, options=[IPOption_Router_Alert(), IPOption_NOP(), IPOption_NOP(),
                                            IPOption_NOP(), IPOption_EOL()])/UDP(sport=40002, dport=9999)/Raw(pl),
        # 5. deliberately bad timestamp option (pointer 9 with flag 1) -> ICMP parameter problem
        E/IP(src=ip4_a, dst=ip4_b, options=[IPOption(b"\x44\x0c\x09\x01" + b"\0" * 8)])/ICMP(id=0x7a02, seq=5)/Raw(pl),
    ]
    send(pkts)

elif which == "tcp-options":
    sport = 40003
    syn_opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (123456789, 0)), ("NOP", None),
                ("WScale", 7),
                ("TFO", (0x7a7a0102, 0x03040506)),                    # kind 34, 8-byte cookie
                (30, b"\x01\x81"),                                     # kind 30, MP_CAPABLE v1, flags A|H
                ("NOP", None), ("NOP", None)]
    sack_opts = [("NOP", None), ("NOP", None),
                 ("SAck", (1001, 2001, 3001, 4001, 5001, 6001)),       # three SACK blocks
                 ("NOP", None), ("NOP", None), ("Timestamp", (123456999, 424242))]
    misc_opts = [("MSS", 1400), ("NOP", None), ("NOP", None),
                 (253, b"\x7a\x7a\xde\xad"),                            # RFC 6994 experimental, ExID 0x7a7a
                 ("EOL", None)]
    pkts = [
        # 1. SYN with everything to the listening http server -> real SYN/ACK (then our kernel RSTs)
        E/IP(src=ip4_a, dst=ip4_b)/TCP(sport=sport, dport=http, seq=1000, flags="S", window=64240, options=syn_opts),
        # 2. ACK with SACK blocks + timestamps (no such connection -> RST)
        E/IP(src=ip4_a, dst=ip4_b)/TCP(sport=sport, dport=http, seq=1001, ack=7000, flags="A", window=502, options=sack_opts),
        # 3. SYN with an RFC 6994 experimental option, to a closed port -> RST/ACK
        E/IP(src=ip4_a, dst=ip4_b)/TCP(sport=sport + 1, dport=9999, seq=5000, flags="S", window=1024, options=misc_opts),
    ]
    send(pkts)
EOF
    local args=("$IF_A" "$MAC_A" "$MAC_B" "$IP4_A" "$IP4_B" "$IP6_A" "$IP6_B" "$HTTP_PORT")
    log "ipv6-ext.pcap (scapy sendp: IPv6 extension headers + kernel replies)"
    cap_start "$NS_A" "$OUT/ipv6-ext.pcap" -i "$IF_A" "$IP6_UNICAST"
    in_a "$PY" "$spy" ipv6-ext "${args[@]}"
    cap_stop
    log "ipv4-options.pcap (scapy sendp: IPv4 options + kernel replies)"
    cap_start "$NS_A" "$OUT/ipv4-options.pcap" -i "$IF_A" "ip"
    in_a "$PY" "$spy" ipv4-options "${args[@]}"
    cap_stop
    log "tcp-options.pcap (scapy sendp: TCP options + kernel replies)"
    cap_start "$NS_A" "$OUT/tcp-options.pcap" -i "$IF_A" "tcp"
    in_a "$PY" "$spy" tcp-options "${args[@]}"
    cap_stop
    stop_bg "$HTTP_PID"
}

# --------------------------------------------------- derived captures ----
derive_vlan() {
    log "vlan-8021q.pcap / vlan-qinq.pcap (scapy: icmp-ping.pcap re-tagged)"
    "$PY" - "$OUT/icmp-ping.pcap" "$OUT/vlan-8021q.pcap" "$OUT/vlan-qinq.pcap" <<'EOF'
import sys
from scapy.all import rdpcap, wrpcap, Ether, Dot1Q, Dot1AD, conf
conf.verb = 0
src, out_q, out_qinq = sys.argv[1:4]
pkts = rdpcap(src)
q, qq = [], []
for p in pkts:
    e = p[Ether]
    inner = e.payload.copy()
    a = Ether(src=e.src, dst=e.dst, type=0x8100)/Dot1Q(prio=0, id=0, vlan=100, type=e.type)/inner
    b = Ether(src=e.src, dst=e.dst, type=0x88a8)/Dot1AD(prio=3, id=0, vlan=200, type=0x8100)/Dot1Q(prio=0, vlan=100, type=e.type)/inner
    for n, lst in ((a, q), (b, qq)):
        n = Ether(bytes(n))
        n.time = p.time
        lst.append(n)
wrpcap(out_q, q, linktype=1)
wrpcap(out_qinq, qq, linktype=1)
EOF
}

derive_misc() {
    log "icmp-ping-be.pcap (big-endian rewrite with pcap-byteswap.py)"
    "$PY" "$OUT/pcap-byteswap.py" "$OUT/icmp-ping.pcap" "$OUT/icmp-ping-be.pcap"
    log "ts-invalid-us.pcap, ts-invalid-ns.pcap (ts-invalid.py)"
    (cd "$OUT" && "$PY" ts-invalid.py)
    log "icmp-ping.pcap.gz, tcp-curl-http.pcapng.gz (gzip -n)"
    gzip -n -9 -c "$OUT/icmp-ping.pcap" >"$OUT/icmp-ping.pcap.gz"
    editcap -F pcapng "$OUT/tcp-curl-http.pcap" "$WORK/tcp-curl-http.pcapng"
    gzip -n -9 -c "$WORK/tcp-curl-http.pcapng" >"$OUT/tcp-curl-http.pcapng.gz"
}

summary() {
    log "summary"
    local f n
    printf '%-28s %8s %7s  %s\n' FILE BYTES PACKETS LINKTYPE
    for f in "$OUT"/*.pcap "$OUT"/*.pcapng "$OUT"/*.gz; do
        [[ -e $f ]] || continue
        # capinfos reads pcap, pcapng and gzip'ed files alike
        n=$(capinfos -c -M "$f" 2>/dev/null | sed -n 's/^Number of packets: *//p' || true)
        printf '%-28s %8s %7s  %s\n' "$(basename "$f")" "$(stat -c %s "$f")" "$n" \
            "$(capinfos -E "$f" 2>/dev/null | sed -n 's/^File encapsulation: *//p')"
    done
}

# ------------------------------------------------------------------ main ----
setup_netns
static_neigh
cap_arp
cap_icmp_ping
cap_icmp_ping_ns
cap_icmp6_ping
cap_icmp_unreach
cap_udp_nc
cap_tcp_curl
cap_tcp_rst
cap_dns
cap_lo_tcp
cap_sll
cap_pcapng_mixed
cap_frag
cap_scapy
derive_vlan
derive_misc
"$OUT/make-dhcp-captures.sh"
summary
"$OUT/make-dns-captures.sh"
"$OUT/make-http-captures.sh"
log "done; captures are in $OUT"
