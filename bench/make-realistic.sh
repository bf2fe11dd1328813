#!/usr/bin/env bash
# make-realistic.sh - the benchmark captures: real programs over a veth pair.
#
#   sudo bench/make-realistic.sh [OUTDIR]        (default /tmp/tapir-bench-data)
#
# Makes two network namespaces (tapir-bench-a, tapir-bench-b) joined by a
# veth pair at MTU 1500 with 10.98.0.1/24 + fd00:98::1/64 (client side) and
# 10.98.0.2/24 + fd00:98::2/64 (server side); nothing else is reachable.
# Offloads are off on both ends (no TSO/GSO/GRO superframes, no partial
# checksums), so the capture holds what a wire at MTU 1500 would carry.
# The server namespace runs nginx (HTTP on :80, HTTPS on :443 with a
# self-signed certificate made here by openssl) and dnsmasq (DNS on :53);
# the client namespace runs, all at once so any slice of the capture mixes
# them:
#   - many short HTTP/1.1 connections (curl, Connection: close), IPv4 and IPv6
#   - HTTP/1.1 keep-alive connections carrying 20 requests each
#   - many short TLS connections (curl -k, TLS 1.3 and TLS 1.2)
#   - long transfers (8 MiB over HTTP and HTTPS, rate-limited so they span
#     the capture)
#   - DNS queries with dig (A, AAAA, MX, TXT, CNAME, NXDOMAIN; some over TCP)
# tcpdump -w (default snaplen) on the server's end writes
#   OUTDIR/realistic.pcap   ~110 MB, the "slice" of the benchmarks
# then bench/grow-pcap.py makes
#   OUTDIR/big.pcap         10 time-shifted readdressed copies, ~1.1 GB
#   OUTDIR/hosts16.pcap     3 copies (~330 MB) whose IPv4 flows have their
#                           client side spread over 20 000 hosts of
#                           10.98.0.0/16 (tcpdump issue #1136; a copy holds
#                           ~8 000 IPv4 flows, DNS queries included)
# Response sizes, URLs and DNS names come from a seeded generator (SEED),
# so every run makes the same traffic (timing and TCP details differ).
#
# Environment: BATCHES (default 100: the amount of traffic), SEED (1),
# COPIES (10), HOSTS (20000), HOSTS_COPIES (3), SKIP_GROW=1 (only realistic.pcap).
# Needs root, iproute2, ethtool, tcpdump, nginx (apt-get install nginx-light
# or nginx), dnsmasq (dnsmasq-base), dig (dnsutils), curl, openssl, python3.
# Runs in about a minute (capture ~30 s, growing ~20 s).  The namespaces
# and every process started here are removed on exit (by PID).
set -euo pipefail

case ${1:-} in -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;; esac
OUT=${1:-/tmp/tapir-bench-data}
BATCHES=${BATCHES:-100}
SEED=${SEED:-1}
COPIES=${COPIES:-10}
HOSTS=${HOSTS:-20000}
HOSTS_COPIES=${HOSTS_COPIES:-3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
A=tapir-bench-a B=tapir-bench-b
IP4_A=10.98.0.1 IP4_B=10.98.0.2 IP6_A=fd00:98::1 IP6_B=fd00:98::2

die() { echo "make-realistic.sh: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces): sudo $0"
for t in ip ethtool tcpdump nginx dnsmasq dig curl openssl python3; do
	command -v $t >/dev/null ||
		die "needs $t (apt-get install iproute2 ethtool tcpdump nginx-light dnsmasq-base dnsutils curl openssl python3)"
done
mkdir -p "$OUT"

W=$(mktemp -d /tmp/tapir-bench-make.XXXXXX)
chmod 755 "$W"
PIDS=()    # still running (a PID leaves the list once waited for)
forget() { local p k=(); for p in "${PIDS[@]:-}"; do [ "$p" = "$1" ] || k+=("$p"); done; PIDS=("${k[@]:-}"); }
cleanup() {
	local p
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] || continue
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------- network --
ip netns del $A 2>/dev/null || true
ip netns del $B 2>/dev/null || true
ip netns add $A
ip netns add $B
ip link add vA netns $A type veth peer name vB netns $B
for s in "$A vA $IP4_A $IP6_A" "$B vB $IP4_B $IP6_B"; do
	set -- $s
	ip -n "$1" link set lo up
	ip -n "$1" link set "$2" mtu 1500 up
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" addr add "$4/64" dev "$2" nodad
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 ||
		ip netns exec "$1" ethtool -K "$2" tso off gso off tx off >/dev/null
done

# ------------------------------------------------------------- content --
log "content, certificate, configuration (seed $SEED, $BATCHES batches)"
mkdir -p "$W/www" "$W/batches" "$W/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=bench.test \
	-addext subjectAltName=DNS:bench.test,IP:$IP4_B,IP:$IP6_B \
	-keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
python3 - "$W" "$SEED" "$BATCHES" "$IP4_B" "$IP6_B" <<'EOF'
import os, random, sys
w, seed, batches, ip4, ip6 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rng = random.Random(seed)
words = ("packet capture stream flow segment header frame window option "
         "dissector table server client request response latency buffer").split()
# 80 pages: sizes log-normal around 4 KiB (mean ~9 KiB), text and binary
pages = []
for i in range(80):
    size = int(min(max(rng.lognormvariate(8.3, 1.3), 120), 600000))
    if i % 4 == 3:
        name, body = "img%02d.bin" % i, rng.randbytes(size)
    else:
        text = []
        n = 0
        while n < size:
            line = "<p>" + " ".join(rng.choice(words) for _ in range(12)) + "</p>\n"
            text.append(line)
            n += len(line)
        name, body = "page%02d.html" % i, ("".join(text))[:size].encode()
    open(os.path.join(w, "www", name), "wb").write(body)
    pages.append(name)
big = rng.randbytes(8 << 20)
open(os.path.join(w, "www", "large.bin"), "wb").write(big)
hosts = ["http://%s" % ip4, "http://[%s]" % ip6]
tls = ["https://%s" % ip4, "https://[%s]" % ip6]
def curl_cfg(path, base, n, close):
    with open(path, "w") as f:
        if close:
            f.write('header = "Connection: close"\n')
        for _ in range(n):
            f.write('url = "%s/%s"\noutput = "/dev/null"\n' % (base, rng.choice(pages)))
names = ["www", "api", "cdn", "mail", "static", "img", "login", "db"]
for b in range(batches):
    d = os.path.join(w, "batches", "%03d" % b)
    os.makedirs(d)
    curl_cfg(os.path.join(d, "http.cfg"), hosts[b % 5 == 4], 40, True)
    curl_cfg(os.path.join(d, "keep.cfg"), hosts[b % 2], 20, False)
    curl_cfg(os.path.join(d, "tls.cfg"), tls[b % 5 == 4], 12, True)
    with open(os.path.join(d, "dig.txt"), "w") as f:
        for q in range(60):
            r = rng.random()
            srv = "@" + (ip6 if rng.random() < 0.25 else ip4)
            opts = "+tries=1 +time=2" + (" +tcp" if rng.random() < 0.03 else "")
            if r < 0.45:
                line = "%s%d.bench.test A" % (rng.choice(names), rng.randrange(500))
            elif r < 0.75:
                line = "%s%d.bench.test AAAA" % (rng.choice(names), rng.randrange(500))
            elif r < 0.82:
                line = "bench.test MX"
            elif r < 0.88:
                line = "txt.bench.test TXT"
            elif r < 0.94:
                line = "alias.bench.test A"
            else:
                line = "host%d.nx.test A" % rng.randrange(100000)
            f.write("%s %s %s\n" % (srv, line, opts))
EOF
cat > "$W/nginx.conf" <<EOF
user nobody nogroup;
worker_processes 1;
pid $W/nginx.pid;
error_log $W/nginx-error.log;
daemon off;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	keepalive_requests 1000;
	client_body_temp_path $W/tmp; proxy_temp_path $W/tmp;
	fastcgi_temp_path $W/tmp; uwsgi_temp_path $W/tmp; scgi_temp_path $W/tmp;
	types { text/html html; application/octet-stream bin; }
	server {
		listen $IP4_B:80; listen [$IP6_B]:80;
		listen $IP4_B:443 ssl; listen [$IP6_B]:443 ssl;
		ssl_certificate $W/cert.pem; ssl_certificate_key $W/key.pem;
		ssl_protocols TLSv1.2 TLSv1.3;
		root $W/www;
	}
}
EOF

# ------------------------------------------------------------- servers --
ip netns exec $B nginx -e "$W/nginx-error.log" -p "$W" -c "$W/nginx.conf" &
PIDS+=($!)
ip netns exec $B dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
	--bind-interfaces --listen-address=$IP4_B,$IP6_B --user=root \
	--pid-file="$W/dnsmasq.pid" --log-facility="$W/dnsmasq.log" \
	--address=/bench.test/10.20.30.40 --address=/bench.test/fd00:20::40 \
	--mx-host=bench.test,mail.bench.test,10 --txt-record=txt.bench.test,"v=bench1 tapir" \
	--cname=alias.bench.test,www1.bench.test --host-record=www1.bench.test,10.20.30.41 \
	--local=/nx.test/ &
PIDS+=($!)
for _ in $(seq 100); do
	ip netns exec $A curl -s -o /dev/null "http://$IP4_B/page00.html" 2>/dev/null &&
		ip netns exec $A dig +short +tries=1 +time=1 @$IP4_B www.bench.test >/dev/null 2>&1 && break
	sleep 0.1
done
ip netns exec $A curl -sf -o /dev/null "http://$IP4_B/page00.html" || die "nginx did not start ($(cat "$W/nginx-error.log"))"

# ------------------------------------------------------------- capture --
pcap=$OUT/realistic.pcap
rm -f "$pcap"
ip netns exec $B tcpdump -i vB -B 262144 -Z root -w "$pcap" 2> "$W/tcpdump.err" &
TPID=$!
PIDS+=("$TPID")
for _ in $(seq 100); do grep -q "listening on" "$W/tcpdump.err" && break; sleep 0.05; done
sleep 0.3
log "capturing: $BATCHES batches of 40 short HTTP, 20 keep-alive, 12 TLS connections and 60 DNS queries, 3 workers; 4 long transfers"
t0=$(date +%s)
worker() { # first step: the batches i with i % 3 == $1
	local i d
	for ((i = $1; i < BATCHES; i += 3)); do
		d=$W/batches/$(printf %03d $i)
		ip netns exec $A curl -s -K "$d/http.cfg" || true
		ip netns exec $A dig -f "$d/dig.txt" >/dev/null 2>&1 || true
		ip netns exec $A curl -s -k --tls-max "$([ $((i % 3)) = 1 ] && echo 1.2 || echo 1.3)" -K "$d/tls.cfg" || true
		if [ $((i % 4)) = 0 ]; then ip netns exec $A curl -s -K "$d/keep.cfg" || true; fi
	done
}
longs() {
	sleep 2
	for u in http://$IP4_B https://[$IP6_B] http://[$IP6_B] https://$IP4_B; do
		ip netns exec $A curl -s -k --limit-rate 1200K -o /dev/null "$u/large.bin" || true
		sleep 1
	done
}
jobs_=()
for w in 0 1 2; do
	worker $w &
	jobs_+=($!)
done
longs &
jobs_+=($!)
PIDS+=("${jobs_[@]}")
for p in "${jobs_[@]}"; do wait "$p" || true; forget "$p"; done
sleep 0.5
kill -INT $TPID
wait $TPID || true
forget $TPID
log "captured in $(($(date +%s) - t0)) s: $(grep -E 'captured|dropped' "$W/tcpdump.err" | tr '\n' ' ')"
grep -q '^0 packets dropped by kernel' "$W/tcpdump.err" ||
	echo "make-realistic.sh: warning: tcpdump dropped packets" >&2
ls -l "$pcap" >&2

[ "${SKIP_GROW:-0}" = 1 ] && exit 0
log "growing: $COPIES copies -> $OUT/big.pcap"
python3 "$HERE/grow-pcap.py" "$pcap" "$OUT/big.pcap" --copies "$COPIES"
log "many hosts in one /16: $HOSTS hosts, $HOSTS_COPIES copies -> $OUT/hosts16.pcap"
python3 "$HERE/grow-pcap.py" "$pcap" "$OUT/hosts16.pcap" --copies "$HOSTS_COPIES" --hosts "$HOSTS"
ls -l "$OUT" >&2
