#!/bin/bash
# run.sh - live capture, end to end, in two network namespaces this test
# makes itself (a veth pair; traffic only between them; removed at exit).
#
#  1. exact counts: 5 pings and 7 UDP datagrams captured on the peer with a
#     BPF filter; the totals line says 17 captured;
#  2. the -w file read back by tapir equals what tcpdump reads from it;
#     SIGINT at once after the last packet loses none of them;
#  3. SIGINT in the middle of a flood leaves a valid file whose packet
#     count equals tapir's "captured" total;
#  4. rotation: -C with -W makes a ring of numbered files, each valid;
#     -G with -W stops after the files are made; --pcapng round trip;
#  5. privileges and the sandbox: capture runs as the -Z user, a forbidden
#     socket() is refused and execve kills the process.
# Needs root, iproute2, ping and tcpdump.  Exit 77 (skipped) otherwise.
# Prints "live: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${top_srcdir:-$here/../..}" && pwd)
bin=${TAPIR:-$(cd "${top_builddir:-$top}" && pwd)/src/tapir}
A=tapir-live-a-$$ B=tapir-live-b-$$ # unique: parallel runs must not clash
ADDR_A=10.98.0.1 ADDR_B=10.98.0.2

skip() { echo "live: skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root"
for t in ip ping tcpdump timeout; do
	command -v $t >/dev/null || skip "needs $t"
done

work=$(mktemp -d /tmp/tapir-live.XXXXXX)
chmod 0777 "$work" # rotation creates files after dropping root
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del $A 2>/dev/null
	ip netns del $B 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
ip netns add $A 2>/dev/null || skip "cannot create network namespaces"
ip netns add $B || skip "cannot create network namespaces"
ip link add vA netns $A type veth peer name vB netns $B ||
	skip "cannot create a veth pair"
ip -n $A addr add $ADDR_A/24 dev vA
ip -n $B addr add $ADDR_B/24 dev vB
ip -n $A link set vA up; ip -n $A link set lo up
ip -n $B link set vB up; ip -n $B link set lo up
ip netns exec $A ping -c 1 -W 2 $ADDR_B >/dev/null || skip "veth does not pass traffic"

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # description, then a command that must succeed
	local what=$1; shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

# Start tapir in namespace B in the background; wait until it listens.
start_tapir() { # stderr-file, args...
	local errf=$1; shift
	ip netns exec $B "$bin" -i vB "$@" 2> "$errf" &
	TAPIR_PID=$!
	pids+=("$TAPIR_PID")
	for _ in $(seq 100); do
		grep -q "listening on" "$errf" 2>/dev/null && return 0
		kill -0 "$TAPIR_PID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
stop_tapir() { # signal [delay]; a tapir that already exited is a failure
	sleep "${2:-0.3}" # let the last packets reach the ring buffer
	if kill -0 "$TAPIR_PID" 2>/dev/null; then
		kill -"$1" "$TAPIR_PID"
		wait "$TAPIR_PID"
		TAPIR_RC=$?
	else
		wait "$TAPIR_PID"
		TAPIR_RC=$?
		bad "tapir exited before it was stopped (exit $TAPIR_RC)"
	fi
}
udp_send() { # count port
	ip netns exec $A bash -c "for i in \$(seq $1); do echo tapir-\$i > /dev/udp/$ADDR_B/$2; done"
}
count() { "$bin" -r "$1" -T fields -e frame.number 2>/dev/null | wc -l; }

# ---- 1. exact counts with a capture filter --------------------------
f1=$work/counts.pcap
filter="icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply or udp dst port 6000"
if start_tapir "$work/e1" -w "$f1" -U --immediate-mode "$filter"; then
	ip netns exec $A ping -c 5 -i 0.2 -q $ADDR_B >/dev/null
	udp_send 7 6000
	stop_tapir INT
	check "capture exits 0 on SIGINT (got $TAPIR_RC)" [ "$TAPIR_RC" = 0 ]
	check "17 packets in the file (got $(count "$f1"))" [ "$(count "$f1")" = 17 ]
	check "totals say 17 captured" grep -qx "17 packets captured" "$work/e1"
	check "totals say dropped by kernel" grep -q "packets dropped by kernel" "$work/e1"
	n8=$("$bin" -r "$f1" -T fields -e icmp.type | grep -cx 8)
	n0=$("$bin" -r "$f1" -T fields -e icmp.type | grep -cx 0)
	nu=$("$bin" -r "$f1" -T fields -e udp.dstport | grep -cx 6000)
	check "5 echo requests, 5 replies, 7 UDP ($n8/$n0/$nu)" [ "$n8/$n0/$nu" = 5/5/7 ]
	# ---- 2. round trip: what tapir wrote, tcpdump reads alike ----
	check "tcpdump reads the -w file as tapir does (-XX)" \
		diff <(TZ=UTC tcpdump -nn -XX -r "$f1" 2>/dev/null) \
		     <(TZ=UTC "$bin" -XX -r "$f1")
	check "tcpdump counts 17" [ "$(tcpdump -r "$f1" 2>/dev/null | wc -l)" = 17 ]
else
	bad "tapir did not start: $(cat "$work/e1")"
fi

# ---- 2b. SIGINT right after the last packet loses nothing -----------
# Without immediate mode the kernel holds packets in a ring block until
# the block's timeout; tapir drains it after the signal.
f1b=$work/nolose.pcap
if start_tapir "$work/e1b" -w "$f1b" icmp; then
	ip netns exec $A ping -c 3 -i 0.2 -q $ADDR_B >/dev/null
	stop_tapir INT 0
	check "SIGINT at once after 3 pings: all 6 packets written ($(count "$f1b"))" \
		[ "$(count "$f1b")" = 6 ]
	check "SIGINT at once: totals say 6 captured" \
		grep -qx "6 packets captured" "$work/e1b"
else
	bad "tapir did not start: $(cat "$work/e1b")"
fi

# ---- 3. SIGINT in the middle of a flood -----------------------------
f2=$work/flood.pcap
if start_tapir "$work/e2" -w "$f2" icmp; then
	ip netns exec $A ping -c 2000 -i 0.002 -q $ADDR_B >/dev/null 2>&1 &
	ping_pid=$!
	pids+=("$ping_pid")
	sleep 1
	stop_tapir INT
	wait "$ping_pid" 2>/dev/null
	total=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$work/e2")
	n=$(count "$f2")
	check "SIGINT mid-flood: exit 0 (got $TAPIR_RC)" [ "$TAPIR_RC" = 0 ]
	check "SIGINT mid-flood: file valid for tapir (exit 0)" \
		bash -c "'$bin' -r '$f2' -q > /dev/null"
	check "SIGINT mid-flood: file valid for tcpdump" \
		bash -c "tcpdump -r '$f2' > /dev/null 2>&1"
	check "SIGINT mid-flood: $n in the file = $total captured, > 0" \
		[ -n "$total" ] && [ "$n" = "$total" ] && [ "$n" -gt 0 ]
else
	bad "tapir did not start: $(cat "$work/e2")"
fi

# ---- 4. rotation and pcapng ------------------------------------------
f3=$work/ring.pcap
if start_tapir "$work/e3" -w "$f3" -C 1k -W 3 icmp; then
	ip netns exec $A ping -c 40 -i 0.01 -q $ADDR_B >/dev/null
	stop_tapir TERM
	names=$(cd "$work" && ls ring.pcap* | tr '\n' ' ')
	check "-C 1k -W 3: three files ring.pcap0..2 ($names)" \
		[ "$names" = "ring.pcap0 ring.pcap1 ring.pcap2 " ]
	all=0
	for g in "$work"/ring.pcap*; do
		k=$(count "$g"); all=$((all + k))
		check "ring file ${g##*/} valid and non-empty ($k)" [ "$k" -gt 0 ]
		check "ring file ${g##*/} at most ~1k + one packet" \
			[ "$(stat -c %s "$g")" -le $((1024 + 24 + 16 + 1514)) ]
	done
	check "ring kept fewer than all 80 packets ($all)" [ "$all" -lt 80 ]
	check "ring wrapped as the capture user without an error" \
		bash -c "! grep -q 'tapir:.*denied' '$work/e3'"
	check "ring: SIGTERM exit 0 (got $TAPIR_RC)" [ "$TAPIR_RC" = 0 ]
else
	bad "tapir did not start: $(cat "$work/e3")"
fi

f4="$work/sec-%s.pcap"
if start_tapir "$work/e4" -w "$f4" -G 1 -W 2 icmp; then
	ip netns exec $A ping -c 40 -i 0.1 -q $ADDR_B >/dev/null 2>&1 &
	ping_pid=$!
	pids+=("$ping_pid")
	for _ in $(seq 80); do kill -0 "$TAPIR_PID" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$TAPIR_PID" 2>/dev/null; then
		bad "-G 1 -W 2: still running after 8 s"
		stop_tapir KILL
	else
		wait "$TAPIR_PID"; TAPIR_RC=$?
		check "-G 1 -W 2: stops by itself, exit 0 (got $TAPIR_RC)" [ "$TAPIR_RC" = 0 ]
	fi
	kill "$ping_pid" 2>/dev/null; wait "$ping_pid" 2>/dev/null
	nf=$(ls "$work"/sec-*.pcap 2>/dev/null | wc -l)
	check "-G 1 -W 2: two strftime-named files ($nf)" [ "$nf" = 2 ]
else
	bad "tapir did not start: $(cat "$work/e4")"
fi

f5=$work/out.pcapng
if start_tapir "$work/e5" -w "$f5" --pcapng -U icmp; then
	ip netns exec $A ping -c 3 -i 0.2 -q $ADDR_B >/dev/null
	stop_tapir INT
	check "--pcapng: tapir reads 6 packets back" [ "$(count "$f5")" = 6 ]
	check "--pcapng: tcpdump reads it alike" \
		diff <(TZ=UTC tcpdump -nn -r "$f5" 2>/dev/null) <(TZ=UTC "$bin" -r "$f5")
else
	bad "tapir did not start: $(cat "$work/e5")"
fi

# ---- 4b. --tls live: a report as soon as the handshake ends ----------
# openssl s_server in B, s_client in A sending one line; the report must
# be on tapir's output while tapir still runs (flushed per report).
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$work/k.pem" -out "$work/c.pem" -days 2 \
		-subj /CN=live.tapir.test >/dev/null 2>&1
	ip netns exec $B openssl s_server -accept 4433 -cert "$work/c.pem" \
		-key "$work/k.pem" -quiet >/dev/null 2>&1 < /dev/null &
	pids+=("$!")
	sleep 0.5
	if start_tapir "$work/e7" --tls -T json "tcp port 4433" > "$work/tls.json"; then
		(echo hello; sleep 1) | ip netns exec $A timeout 5 openssl s_client \
			-connect $ADDR_B:4433 -servername live.tapir.test -quiet \
			>/dev/null 2>&1
		seen=0
		for _ in $(seq 40); do
			grep -q '"sni":"live.tapir.test"' "$work/tls.json" && { seen=1; break; }
			sleep 0.05
		done
		check "--tls -i: the report is out while the capture runs" [ "$seen" = 1 ]
		stop_tapir INT
		check "--tls -i: one established report, valid JSON" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1 and r[0]["outcome"] == "established", r
assert r[0]["server"].endswith(":4433") and r[0]["version"], r' "$work/tls.json"
	else
		bad "tapir did not start: $(cat "$work/e7")"
	fi
else
	echo "note: no openssl: the --tls live check skipped"
fi

# ---- 5. privileges and the sandbox -----------------------------------
if start_tapir "$work/e6" -w "$work/priv.pcap" -Z nobody icmp; then
	sleep 0.2
	uid=$(awk '/^Uid:/ {print $2 "," $3 "," $4}' /proc/"$TAPIR_PID"/status)
	nob=$(id -u nobody)
	check "-Z nobody: capturing as uid $nob ($uid)" [ "$uid" = "$nob,$nob,$nob" ]
	ip netns exec $A ping -c 2 -i 0.2 -q $ADDR_B >/dev/null
	stop_tapir INT
	check "-Z nobody: 4 packets still written" [ "$(count "$work/priv.pcap")" = 4 ]
else
	bad "tapir did not start: $(cat "$work/e6")"
fi
if "$bin" --sandbox-selftest=socket -r "$top/pcaps/arp.pcap" 2>/dev/null |
	grep -q "refused"; then
	ok "sandbox: socket() after set-up is refused"
	"$bin" --sandbox-selftest=exec -r "$top/pcaps/arp.pcap" >/dev/null 2>&1
	rc=$?
	check "sandbox: execve kills the process with SIGSYS (rc $rc)" [ "$rc" = $((128 + 31)) ]
	"$bin" --sandbox-selftest=open -r "$top/pcaps/arp.pcap" >/dev/null 2>&1
	check "sandbox: opening a file after set-up is refused" [ $? = 0 ]
	check "sandbox: --no-sandbox lets socket() through" \
		bash -c "'$bin' --no-sandbox --sandbox-selftest=socket -r '$top/pcaps/arp.pcap' | grep -q allowed"
else
	echo "note: this build has no sandbox (AddressSanitizer): sandbox checks skipped"
fi

echo "live: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
