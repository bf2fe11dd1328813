#!/usr/bin/env bash
# make-messy.sh - regenerate the "messy" TCP captures: real transfers (nc, curl)
# through an impairing user-space relay (relay.py), for the reassembly tests.
#
# Usage:  sudo pcaps/make-messy.sh [NAME...]     (needs root: network namespaces)
#         NAME: nc nc6 http heavy (default: all)
#
# Topology (all made here, removed on exit):
#
#   tapir-ma            tapir-mr (relay.py)             tapir-mb
#   veth-ma  <------->  veth-mra  ==relay==  veth-mrb  <------->  veth-mb
#   10.99.0.1/24                                          10.99.0.2/24
#   fd00:99::1/64                                         fd00:99::2/64
#
# A and B share one subnet and resolve each other (ARP/ND) through the relay;
# tapir-mr has no addresses and IPv6 off, it only copies frames.  Traffic never
# leaves these three namespaces.  Only processes started here are killed, by PID.
#
# Capture point: tcpdump runs in tapir-mr on veth-mra, the relay's side towards
# A.  It sees A's frames as A sent them (before the relay impairs them) and
# B's frames as the relay delivers them to A (after impairment).  So:
#   - A->B data: every segment A sent, including the retransmissions of the
#     segments the relay dropped (retransmissions, spurious retransmissions);
#   - B->A data: what A received: reordered, duplicated, with holes that are
#     filled later by B's retransmissions (which also pass the relay).
# Every byte that the receiving application got crossed veth-mra at least
# once, so the follow output must reproduce the files exactly.
#
# The transferred data is pseudo-random with fixed seeds, so the file
# contents and the SHA-256 files (messy-*.sha256) are the same on every run;
# packet timing, ports chosen by the kernel, ISNs and which frames the relay
# impairs are not.

set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_A=tapir-ma
NS_R=tapir-mr
NS_B=tapir-mb
IF_A=veth-ma
IF_RA=veth-mra
IF_RB=veth-mrb
IF_B=veth-mb
MAC_A=02:00:00:00:99:01
MAC_B=02:00:00:00:99:02
MAC_RA=02:00:00:00:99:a1
MAC_RB=02:00:00:00:99:b1
IP4_A=10.99.0.1
IP4_B=10.99.0.2
IP6_A=fd00:99::1
IP6_B=fd00:99::2
PY=/usr/bin/python3

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'make-messy.sh: error: %s\n' "$*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, raw sockets): sudo $0"

declare -A PKG=(
    [tcpdump]=tcpdump [ip]=iproute2 [nc]=netcat-openbsd [curl]=curl
    [ethtool]=ethtool [ss]=iproute2 [sha256sum]=coreutils [timeout]=coreutils
    [capinfos]=wireshark-common
)
missing=()
for t in "${!PKG[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t (package ${PKG[$t]})")
done
[[ -x $PY ]] || missing+=("$PY (package python3)")
if ((${#missing[@]})); then
    printf 'make-messy.sh: missing tools:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'install with:\n  apt-get install -y tcpdump iproute2 netcat-openbsd curl ethtool coreutils wireshark-common python3\n' >&2
    exit 1
fi
nc -h 2>&1 | grep -qi openbsd || die "nc is not netcat-openbsd"

WANT=("$@")
((${#WANT[@]})) || WANT=(nc nc6 http heavy)
for w in "${WANT[@]}"; do
    case $w in nc | nc6 | http | heavy) ;; *) die "unknown capture '$w' (nc nc6 http heavy)" ;; esac
done

# ------------------------------------------------------- setup/cleanup ----
WORK="$(mktemp -d /tmp/tapir-messy.XXXXXX)"
PIDS=()

cleanup() {
    local p
    for p in "${PIDS[@]:-}"; do
        [[ -n $p ]] || continue
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    ip netns del "$NS_A" 2>/dev/null || true
    ip netns del "$NS_R" 2>/dev/null || true
    ip netns del "$NS_B" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_a() { ip netns exec "$NS_A" "$@"; }
# Background programs start as `ip netns exec NS PROG ... &` directly, not
# through a shell function: then $! is the program itself (ip execs it) and
# SIGINT/SIGTERM reach it, instead of a subshell that ignores SIGINT.

# no offloads: the relay copies frames of at most MTU bytes with their
# checksums filled in (GSO super-frames cannot cross an AF_PACKET relay)
no_offload() {  # no_offload NS IF
    ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 ||
        ip netns exec "$1" ethtool -K "$2" tx off >/dev/null
}

setup_netns() {
    log "creating namespaces $NS_A <-> $NS_R (relay) <-> $NS_B"
    local ns
    for ns in "$NS_A" "$NS_R" "$NS_B"; do
        ip netns del "$ns" 2>/dev/null || true
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    for ns in "$NS_A" "$NS_B"; do
        ip netns exec "$ns" sysctl -qw \
            net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.default.router_solicitations=0 \
            net.ipv6.conf.default.use_tempaddr=0 \
            net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.all.router_solicitations=0
    done
    # the relay namespace sends nothing of its own
    ip netns exec "$NS_R" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    ip link add "$IF_A" address "$MAC_A" netns "$NS_A" type veth \
        peer name "$IF_RA" address "$MAC_RA" netns "$NS_R"
    ip link add "$IF_B" address "$MAC_B" netns "$NS_B" type veth \
        peer name "$IF_RB" address "$MAC_RB" netns "$NS_R"
    no_offload "$NS_A" "$IF_A"
    no_offload "$NS_B" "$IF_B"
    no_offload "$NS_R" "$IF_RA"
    no_offload "$NS_R" "$IF_RB"
    ip -n "$NS_A" addr add "$IP4_A/24" dev "$IF_A"
    ip -n "$NS_B" addr add "$IP4_B/24" dev "$IF_B"
    ip -n "$NS_A" addr add "$IP6_A/64" dev "$IF_A" nodad
    ip -n "$NS_B" addr add "$IP6_B/64" dev "$IF_B" nodad
    ip -n "$NS_R" link set "$IF_RA" promisc on up
    ip -n "$NS_R" link set "$IF_RB" promisc on up
    ip -n "$NS_A" link set "$IF_A" up
    ip -n "$NS_B" link set "$IF_B" up
    sleep 1
}

# ------------------------------------------------------------ helpers ----
# helper.py: data files, the HTTP server, stream numbers from a capture
cat >"$WORK/helper.py" <<'EOF'
import os, random, socket, struct, sys, threading

def gen(path, size, seed):
    with open(path, "wb") as f:
        f.write(random.Random(seed).randbytes(size))

def streams(path):
    """TCP 4-tuples in order of first appearance (= tshark's tcp.stream
    when no port pair is reused), as 'ip:port ip:port' of the first packet."""
    d = open(path, "rb").read()
    magic = struct.unpack_from("<I", d, 0)[0]
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), "little-endian pcap expected"
    off, seen, out = 24, set(), []
    while off + 16 <= len(d):
        incl = struct.unpack_from("<I", d, off + 8)[0]
        fr = d[off + 16:off + 16 + incl]
        off += 16 + incl
        et = struct.unpack_from("!H", fr, 12)[0]
        if et == 0x0800 and fr[23] == 6:
            ihl = (fr[14] & 15) * 4
            src, dst = socket.inet_ntop(socket.AF_INET, fr[26:30]), socket.inet_ntop(socket.AF_INET, fr[30:34])
            l4 = 14 + ihl
        elif et == 0x86DD and fr[20] == 6:
            src, dst = socket.inet_ntop(socket.AF_INET6, fr[22:38]), socket.inet_ntop(socket.AF_INET6, fr[38:54])
            l4 = 54
        else:
            continue
        sp, dp = struct.unpack_from("!HH", fr, l4)
        key = frozenset([(src, sp), (dst, dp)])
        if key not in seen:
            seen.add(key)
            out.append("%s:%d %s:%d" % (src, sp, dst, dp))
    print("\n".join(out))

def serve(addr, port, nconn, outdir, docfile):
    """Tiny HTTP/1.1 server, one request per connection: GET returns
    docfile, PUT stores the body.  It records every byte it received and
    every byte it sent, per client port, as the ground truth."""
    doc = open(docfile, "rb").read()
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(8)
    open(os.path.join(outdir, "listening"), "w").close()

    def handle(c, peer):
        rx = bytearray()
        while b"\r\n\r\n" not in rx:
            b = c.recv(65536)
            if not b:
                break
            rx += b
        head, _, body = bytes(rx).partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        method, path = lines[0].split(b" ")[:2]
        hdrs = {}
        for l in lines[1:]:
            k, _, v = l.partition(b":")
            hdrs[k.strip().lower()] = v.strip()
        if method == b"PUT":
            want = int(hdrs.get(b"content-length", b"0"))
            while len(body) < want:
                b = c.recv(65536)
                if not b:
                    break
                rx += b
                body += b
            with open(os.path.join(outdir, "put-%d.body" % peer[1]), "wb") as f:
                f.write(body)
            msg = b"stored %d bytes\n" % len(body)
            resp = (b"HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(msg)) + msg
        else:
            resp = (b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(doc)) + doc
        c.sendall(resp)
        c.shutdown(socket.SHUT_WR)
        while True:  # the client's remaining bytes, until its FIN
            b = c.recv(65536)
            if not b:
                break
            rx += b
        c.close()
        for name, data in (("rx", rx), ("tx", resp)):
            with open(os.path.join(outdir, "%s-%d" % (name, peer[1])), "wb") as f:
                f.write(data)

    ts = []
    for _ in range(nconn):
        c, peer = ls.accept()
        t = threading.Thread(target=handle, args=(c, peer))
        t.start()
        ts.append(t)
    for t in ts:
        t.join()

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "streams":
        streams(sys.argv[2])
    elif cmd == "serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
EOF
helper() { "$PY" "$WORK/helper.py" "$@"; }

# gen FILE SIZE SEED: pseudo-random bytes, the same on every run
gen() { [[ -f $1 ]] || helper gen "$1" "$2" "$3"; }

wait_listen() {  # wait_listen NS PORT
    local i
    for ((i = 0; i < 100; i++)); do
        ip netns exec "$1" ss -Hlnt "sport = :$2" | grep -q . && return 0
        sleep 0.1
    done
    die "nothing listening on tcp/$2 in $1"
}

RELAY_PID=
RELAY_STATS=
# relay_start ARGS... : start relay.py in tapir-mr, wait until ready
relay_start() {
    local ready="$WORK/relay.ready" i
    RELAY_STATS="$WORK/relay.stats"
    rm -f "$ready" "$RELAY_STATS"
    ip netns exec "$NS_R" "$PY" "$OUT/relay.py" --if-a "$IF_RA" --if-b "$IF_RB" \
        --ready "$ready" --stats "$RELAY_STATS" "$@" &
    RELAY_PID=$!
    PIDS+=("$RELAY_PID")
    for ((i = 0; i < 100; i++)); do
        [[ -s $ready ]] && return 0
        kill -0 "$RELAY_PID" 2>/dev/null || die "relay.py exited"
        sleep 0.1
    done
    die "relay.py did not become ready"
}
relay_stop() {
    kill -TERM "$RELAY_PID" 2>/dev/null || true
    wait "$RELAY_PID" 2>/dev/null || true
    RELAY_PID=
    [[ -s $RELAY_STATS ]] || die "relay.py wrote no counters"
    log "relay counters: $(cat "$RELAY_STATS")"
    # frames lost inside the relay host itself would make the capture lie
    ! grep -o '"oversize": [0-9]*' "$RELAY_STATS" | grep -vq ': 0$' ||
        die "relay saw frames above the MTU (offload still on?)"
}

CAP_PID=
CAP_ERR=
cap_start() {  # cap_start FILE FILTER
    local file=$1 i
    CAP_ERR="$WORK/$(basename "$file").err"
    rm -f "$file"
    ip netns exec "$NS_R" tcpdump -Z root -U --immediate-mode -B 8192 -i "$IF_RA" -w "$file" "$2" 2>"$CAP_ERR" &
    CAP_PID=$!
    PIDS+=("$CAP_PID")
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$CAP_ERR" 2>/dev/null && { sleep 0.3; return 0; }
        kill -0 "$CAP_PID" 2>/dev/null || { cat "$CAP_ERR" >&2; die "tcpdump for $file exited"; }
        sleep 0.1
    done
    die "tcpdump for $file did not become ready"
}
cap_stop() {
    sleep 0.5
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
    CAP_PID=
    grep -E 'dropped by kernel' "$CAP_ERR" >&2 || true
    grep -q '^0 packets dropped by kernel' "$CAP_ERR" || die "tcpdump dropped packets"
}

# stream_of PCAP PORT: tcp.stream number of the connection with client PORT
stream_of() {
    helper streams "$1" | awk -v p=":$2 " '{ if (index($0 " ", p)) { print NR - 1; exit } }'
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

# ----------------------------------------------------------- captures ----
# nc_transfer NAME FAMILY(4|6) CPORT SPORT FILE_AB FILE_BA : one nc
# connection, FILE_AB sent A->B and FILE_BA sent B->A at the same time
nc_transfer() {
    local name=$1 fam=$2 cport=$3 sport=$4 fab=$5 fba=$6 dst src
    if [[ $fam == 6 ]]; then dst=$IP6_B src=$IP6_A; else dst=$IP4_B src=$IP4_A; fi
    local psrc=$src pdst=$dst
    [[ $fam == 4 ]] || { psrc="[$src]"; pdst="[$dst]"; }
    ip netns exec "$NS_B" timeout 120 nc -"$fam" -N -l "$dst" "$sport" <"$fba" >"$WORK/$name.gotB" &
    local srv=$!
    PIDS+=("$srv")
    wait_listen "$NS_B" "$sport"
    in_a timeout 120 nc -"$fam" -N -p "$cport" "$dst" "$sport" <"$fab" >"$WORK/$name.gotA" ||
        die "$name: nc client failed"
    wait "$srv" || die "$name: nc server failed"
    cmp -s "$fab" "$WORK/$name.gotB" || die "$name: B did not receive the A->B file intact"
    cmp -s "$fba" "$WORK/$name.gotA" || die "$name: A did not receive the B->A file intact"
    NC_LINES+=("$(printf '%s %s:%s %s:%s' "$fab $fba" "$psrc" "$cport" "$pdst" "$sport")")
}

# write_nc_sha PCAP SHAFILE: one line per direction of each nc connection
write_nc_sha() {
    local pcap=$1 shaf=$2 l fab fba cl sv n
    : >"$shaf"
    for l in "${NC_LINES[@]}"; do
        read -r fab fba cl sv <<<"$l"
        n=$(stream_of "$pcap" "${cl##*:}")
        [[ -n $n ]] || die "no stream for $cl in $pcap"
        printf 'tcp.stream==%s client %s %s nc %s -> %s\n' "$n" "$(sha "$fab")" "$(size "$fab")" "$cl" "$sv" >>"$shaf"
        printf 'tcp.stream==%s server %s %s nc %s -> %s\n' "$n" "$(sha "$fba")" "$(size "$fba")" "$sv" "$cl" >>"$shaf"
    done
}

cap_nc() {
    log "messy-nc.pcap (nc IPv4, 300 KB A->B + 200 KB B->A, 2% drop, 2% dup, 10% reorder)"
    gen "$WORK/nc-ab.bin" 307200 1001
    gen "$WORK/nc-ba.bin" 204800 1002
    relay_start --seed 11 --drop 0.02 --dup 0.02 --reorder 0.10
    cap_start "$OUT/messy-nc.pcap" tcp
    NC_LINES=()
    nc_transfer nc 4 40101 5001 "$WORK/nc-ab.bin" "$WORK/nc-ba.bin"
    cap_stop
    relay_stop
    write_nc_sha "$OUT/messy-nc.pcap" "$OUT/messy-nc.sha256"
}

cap_nc6() {
    log "messy-nc6.pcap (nc IPv6, 200 KB A->B + 100 KB B->A, 2% drop, 2% dup, 10% reorder)"
    gen "$WORK/nc6-ab.bin" 204800 1601
    gen "$WORK/nc6-ba.bin" 102400 1602
    relay_start --seed 61 --drop 0.02 --dup 0.02 --reorder 0.10
    cap_start "$OUT/messy-nc6.pcap" tcp
    NC_LINES=()
    nc_transfer nc6 6 40601 5006 "$WORK/nc6-ab.bin" "$WORK/nc6-ba.bin"
    cap_stop
    relay_stop
    write_nc_sha "$OUT/messy-nc6.pcap" "$OUT/messy-nc6.sha256"
}

cap_heavy() {
    log "messy-heavy.pcap (nc IPv4, 2 connections in turn, 150 KB each way, 5% drop, 5% dup, 20% reorder)"
    gen "$WORK/hv1-ab.bin" 153600 2001
    gen "$WORK/hv1-ba.bin" 153600 2002
    gen "$WORK/hv2-ab.bin" 65536 2003
    gen "$WORK/hv2-ba.bin" 1000 2004
    relay_start --seed 21 --drop 0.05 --dup 0.05 --reorder 0.20 --reorder-max 30
    cap_start "$OUT/messy-heavy.pcap" tcp
    NC_LINES=()
    nc_transfer heavy1 4 40201 5002 "$WORK/hv1-ab.bin" "$WORK/hv1-ba.bin"
    nc_transfer heavy2 4 40202 5002 "$WORK/hv2-ab.bin" "$WORK/hv2-ba.bin"
    cap_stop
    relay_stop
    write_nc_sha "$OUT/messy-heavy.pcap" "$OUT/messy-heavy.sha256"
}

cap_http() {
    log "messy-http.pcap (curl GET 256 KB and curl -T 128 KB PUT at once, IPv4, 2% drop, 2% dup, 10% reorder)"
    local port=8080 get=40301 put=40302 srvdir="$WORK/httpd" n
    mkdir -p "$srvdir"
    gen "$WORK/http-doc.bin" 262144 3001
    gen "$WORK/http-put.bin" 131072 3002
    relay_start --seed 31 --drop 0.02 --dup 0.02 --reorder 0.10
    cap_start "$OUT/messy-http.pcap" tcp
    ip netns exec "$NS_B" timeout 120 "$PY" "$WORK/helper.py" serve "$IP4_B" "$port" 2 "$srvdir" "$WORK/http-doc.bin" &
    local srv=$!
    PIDS+=("$srv")
    wait_listen "$NS_B" "$port"
    local curl=(timeout 60 curl -s --noproxy '*' --max-time 60 -H 'Expect:')
    ip netns exec "$NS_A" "${curl[@]}" --local-port "$get" -o "$WORK/http-got.bin" "http://$IP4_B:$port/doc.bin" &
    local c1=$!
    PIDS+=("$c1")
    ip netns exec "$NS_A" "${curl[@]}" --local-port "$put" -T "$WORK/http-put.bin" -o /dev/null "http://$IP4_B:$port/upload.bin" &
    local c2=$!
    PIDS+=("$c2")
    wait "$c1" || die "curl GET failed"
    wait "$c2" || die "curl PUT failed"
    wait "$srv" || die "http server failed"
    cap_stop
    relay_stop
    cmp -s "$WORK/http-doc.bin" "$WORK/http-got.bin" || die "curl did not get the document intact"
    cmp -s "$WORK/http-put.bin" "$srvdir/put-$put.body" || die "the server did not get the PUT body intact"
    local shaf="$OUT/messy-http.sha256" p what
    : >"$shaf"
    for p in "$get" "$put"; do
        if [[ $p == "$get" ]]; then what="curl GET 256 KB"; else what="curl -T PUT 128 KB"; fi
        n=$(stream_of "$OUT/messy-http.pcap" "$p")
        [[ -n $n ]] || die "no stream for port $p"
        printf 'tcp.stream==%s client %s %s %s: request as the server read it\n' \
            "$n" "$(sha "$srvdir/rx-$p")" "$(size "$srvdir/rx-$p")" "$what" >>"$shaf"
        printf 'tcp.stream==%s server %s %s %s: response as the server sent it\n' \
            "$n" "$(sha "$srvdir/tx-$p")" "$(size "$srvdir/tx-$p")" "$what" >>"$shaf"
    done
    sort -o "$shaf" "$shaf"
}

summary() {
    log "summary"
    local f
    printf '%-22s %8s %7s\n' FILE BYTES PACKETS
    for f in "$OUT"/messy-*.pcap; do
        printf '%-22s %8s %7s\n' "$(basename "$f")" "$(size "$f")" \
            "$(capinfos -c -M "$f" | sed -n 's/^Number of packets: *//p')"
    done
}

# ------------------------------------------------------------------ main ----
setup_netns
for w in "${WANT[@]}"; do
    "cap_$w"
done
summary
log "done; captures and messy-*.sha256 are in $OUT"
