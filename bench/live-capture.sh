#!/bin/bash
# live-capture.sh - packet loss of `tapir -w` against `tcpdump -w` under a
# flood, side by side on the same traffic and the same buffer size.
#
# Two network namespaces made here (a veth pair, traffic only between
# them): tcpreplay --topspeed sends a capture from one side; tapir or
# tcpdump writes what arrives on the other to a file.  Each tool runs
# ROUNDS times, alternating, and the table shows for each run what was
# sent, what the tool wrote, and what the kernel says it dropped.
#
#   sudo bench/live-capture.sh [ROUNDS] [BUFFER_KIB] [PACKETS]
# Needs root, iproute2, tcpreplay, tcpdump, python3.  Defaults: 3 rounds,
# -B 4096, 200 000 packets (copies of pcaps/tcp-curl-http.pcap).
set -u
rounds=${1:-3}
buf=${2:-4096}
npk=${3:-200000}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${TAPIR:-$top/src/tapir}
A=tapir-bench-a B=tapir-bench-b
for t in ip tcpreplay tcpdump python3; do
	command -v $t >/dev/null || { echo "needs $t (apt-get install iproute2 tcpreplay tcpdump python3)"; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)"; exit 1; }
work=$(mktemp -d /tmp/tapir-bench.XXXXXX)
chmod 0777 "$work"
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
ip netns add $A && ip netns add $B
ip link add vA netns $A type veth peer name vB netns $B
ip -n $A link set vA up; ip -n $B link set vB up
ip -n $B link set lo up

# The traffic: the curl capture's 12 frames repeated (Ethernet, 66 to
# 252 bytes), addressed to the peer's MAC so nothing filters them out.
python3 - "$top/pcaps/tcp-curl-http.pcap" "$work/flood.pcap" "$npk" <<'EOF'
import struct, sys
src = open(sys.argv[1], 'rb').read()
recs, off = [], 24
while off < len(src):
    cl = struct.unpack('<I', src[off + 8:off + 12])[0]
    recs.append(src[off:off + 16 + cl]); off += 16 + cl
with open(sys.argv[2], 'wb') as f:
    f.write(src[:24])
    for i in range(int(sys.argv[3])):
        f.write(recs[i % len(recs)])
EOF

run() { # tool -> "written dropped"
	local tool=$1 out=$work/out.pcap err=$work/err
	rm -f "$out"
	if [ "$tool" = tapir ]; then
		ip netns exec $B "$bin" -i vB -B "$buf" -w "$out" 2> "$err" &
	else
		ip netns exec $B tcpdump -i vB -B "$buf" -w "$out" 2> "$err" &
	fi
	local pid=$!
	for _ in $(seq 100); do grep -q "listening on" "$err" && break; sleep 0.05; done
	ip netns exec $A tcpreplay --topspeed -q -i vA "$work/flood.pcap" > "$work/replay" 2>&1
	sleep 1
	kill -INT $pid; wait $pid
	local written dropped
	written=$(tcpdump -r "$out" 2>/dev/null | wc -l)
	dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$err")
	echo "$written ${dropped:-?}"
}

printf '%-8s %5s %10s %10s %10s\n' tool round sent written dropped
declare -A sumw sumd
for r in $(seq "$rounds"); do
	# alternate which tool goes first, so neither always meets a
	# warmer or busier machine
	if [ $((r % 2)) = 1 ]; then order="tcpdump tapir"; else order="tapir tcpdump"; fi
	for tool in $order; do
		read -r w d < <(run $tool)
		printf '%-8s %5s %10s %10s %10s\n' "$tool" "$r" "$npk" "$w" "$d"
		sumw[$tool]=$(( ${sumw[$tool]:-0} + w ))
		sumd[$tool]=$(( ${sumd[$tool]:-0} + ${d/\?/0} ))
	done
done
for tool in tcpdump tapir; do
	printf '%-8s %5s %10s %10s %10s   (mean of %s rounds)\n' "$tool" mean "$npk" \
		$(( sumw[$tool] / rounds )) $(( sumd[$tool] / rounds )) "$rounds"
done
echo "(-B $buf KiB; $(nproc) cores; $(uname -r))"
