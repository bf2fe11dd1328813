#!/bin/sh
# run.sh - flood captures: tapir's peak memory stays under the caps and its
# run time grows linearly.
#
# Generates with tests/flood/gen.py, in a temporary directory:
#   syn    1 000 000 TCP SYNs, each a new flow      (and a 500 000 half)
#   frag4    100 000 IPv4 first fragments, never completed (and 50 000)
#   frag6    100 000 IPv6 first fragments, never completed (and 50 000)
# then for each file runs, under /usr/bin/time -v,
#   tapir -r F --stats conv,tcp >/dev/null
#   tapir -r F >/dev/null
# and prints peak RSS, wall and CPU time.  Fails when a peak RSS is above
# FLOOD_RSS_MAX_MIB (default 64) or when CPU time (user+sys) of the full
# file is more than FLOOD_RATIO_MAX (default 2.6) times that of the half
# (checked only when the full run takes at least 0.3 s of CPU; shorter
# runs are too noisy to judge).  Exit 77 (skip) when tapir, python3 or
# /usr/bin/time is missing (Debian: apt-get install time).
#
# Then the hostile files (each generated small, run under the same
# ceilings, checked for the exit status and for the stderr line that says
# what was cut or odd):
#   gap          a TCP stream with a 1 GiB hole: --follow raw, --export-streams
#                (the file must be sparse: the hole is not written), print
#   snaplen0     a pcap header with snaplen 0
#   caplen-over  records longer than the header's snaplen
#   pcapng-huge  a pcapng block claiming 4 GiB: the packets before it, then
#                the damage line and exit status 3
#
# Then data in tiny pieces (issue 14: reassembly caps are in bytes, not
# pieces), each at full and half size, under the same ceilings and the
# same linearity check, its output checked:
#   tiny-tcp     200 000 bytes as one-byte TCP segments, last first:
#                --follow raw gives every byte, nothing missing
#   tiny-frag4   a 64 000-byte UDP datagram in 8 000 IPv4 fragments,
#                random order, 400 sent twice: -T fields shows it
#                reassembled (ip.reassembled.length, udp.length, checksum)
#   tiny-frag6   a 32 000-byte UDP datagram in 4 000 IPv6 fragments, last
#                first: likewise
#
#   tests/flood/run.sh [KIND...]   KIND: syn frag4 frag6 gap snaplen0
#                                  caplen-over pcapng-huge tiny-tcp
#                                  tiny-frag4 tiny-frag6 (default all)
. "$(dirname "$0")/prelude.sh"

kinds=${*:-syn frag4 frag6 gap snaplen0 caplen-over pcapng-huge tiny-tcp tiny-frag4 tiny-frag6}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-flood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# measure FILE ARGS... -> sets RSS (KiB), WALL (s), CPU (s), RC
# (one thread: the printer thread's spinning depends on the machine's
# load, not on the work, and would make the CPU ratio meaningless)
measure() {
	f=$1
	shift
	$TIME -v -o "$tmp/time" timeout 600 "$tapir" --threads 1 -r "$f" "$@" >/dev/null 2>"$tmp/err"
	RC=$?
	RSS=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time")
	WALL=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*: //p' "$tmp/time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tmp/time")
	# the exit status of tapir, not of time
	if grep -q 'Command exited with non-zero status' "$tmp/time"; then
		RC=$(sed -n 's/.*Command exited with non-zero status //p' "$tmp/time")
	fi
}

tapir_lines() { "$tapir" -r "$1" 2>/dev/null | wc -l; }

# tiny_check KIND N FILE: the data in tiny pieces came out whole
tiny_check() {
	case $1 in
	tiny-tcp)
		python3 "$top_srcdir/tests/flood/gen.py" tiny-data "$tmp/want" --count "$2" || exit 1
		"$tapir" -r "$3" --follow tcp.stream==0 --follow-format raw >"$tmp/got" 2>"$tmp/err"
		if ! cmp -s "$tmp/got" "$tmp/want" || grep -q missing "$tmp/err"; then
			echo "$1 $2: FAIL (the stream is not whole: $(wc -c <"$tmp/got") of $2 bytes; $(head -c 200 "$tmp/err"))"
			fail=$((fail + 1))
		fi ;;
	tiny-frag*)
		got=$("$tapir" -r "$3" -T fields -e ip.reassembled.length -e ipv6.reassembled.length \
			-e udp.length -e udp.checksum.status 2>&1 | awk -F'\t' '$3 != ""')
		len=$((8 * $2))
		case $1 in tiny-frag4) want="$len		$len	1" ;; *) want="	$len	$len	1" ;; esac
		if [ "$got" != "$want" ]; then
			echo "$1 $2: FAIL (not reassembled: '$got', want '$want')"
			fail=$((fail + 1))
		fi ;;
	esac
}

fail=0
printf '%-6s %9s  %-16s %8s %7s %7s %8s %6s  %s\n' \
	FILE PACKETS ARGS "RSS MiB" "WALL s" "CPU s" "HALF CPU" RATIO VERDICT
# hostile KIND COUNT WANT_EXIT STDERR_REGEX ARGS...: one run, its checks
hostile() {
	hk=$1 hn=$2 want=$3 re=$4
	shift 4
	[ -f "$tmp/$hk.pcap" ] ||
		python3 "$top_srcdir/tests/flood/gen.py" "$hk" "$tmp/$hk.pcap" --count "$hn" || exit 1
	measure "$tmp/$hk.pcap" "$@"
	verdict=ok
	if [ "$RC" != "$want" ]; then
		verdict="FAIL (exit $RC, want $want: $(head -c 200 "$tmp/err"))"
	elif [ -n "$re" ] && ! grep -qE "$re" "$tmp/err"; then
		verdict="FAIL (stderr lacks /$re/: $(head -c 200 "$tmp/err"))"
	elif [ "$RSS" -gt $((rss_max * 1024)) ]; then
		verdict="FAIL (peak RSS above $rss_max MiB)"
	elif awk -v w="$WALL" 'BEGIN { exit !(w > 30) }'; then
		verdict="FAIL (over 30 s)"
	fi
	case $verdict in FAIL*) fail=$((fail + 1)) ;; esac
	printf '%-11s %7d  %-28s %8s %7s %7s  %s\n' "$hk" "$hn" "${*:-(print)}" \
		"$(awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }')" "$WALL" "$CPU" "$verdict"
}

for kind in $kinds; do
	case $kind in
	syn) n=1000000 ;;
	frag4 | frag6) n=100000 ;;
	gap)
		hostile gap 2000 0 '1073741824 bytes of the stream are missing' \
			--follow tcp.stream==0 --follow-format raw
		rm -rf "$tmp/exp"
		hostile gap 2000 0 '' --export-streams "$tmp/exp"
		# the client file: 2 x 2000 x 1000 bytes around a 1 GiB hole,
		# written sparse (under 64 MiB on disk), the gap in index.tsv
		f=$(ls "$tmp"/exp/tcp-000000-010.000.000.001.* 2>/dev/null)
		size=$(stat -c %s "$f" 2>/dev/null) disk=$(du -k "$f" 2>/dev/null | cut -f1)
		if [ "$size" != $((4000000 + 1073741824)) ] || [ "${disk:-99999999}" -gt 65536 ] ||
			! grep -q "	1073741824	1	" "$tmp/exp/index.tsv"; then
			echo "gap: FAIL (export: size ${size:-none}, ${disk:-?} KiB on disk, index: $(tail -1 "$tmp/exp/index.tsv" 2>/dev/null))"
			fail=$((fail + 1))
		fi
		rm -rf "$tmp/exp"
		hostile gap 2000 0 ''
		continue ;;
	snaplen0)
		hostile snaplen0 1000 0 'snaplen 0'
		continue ;;
	caplen-over)
		hostile caplen-over 1000 0 '1000 records are longer than the file.s snaplen'
		continue ;;
	pcapng-huge)
		hostile pcapng-huge 1000 3 'damaged at packet 1001.*claims 4294967292 bytes'
		if [ "$(tapir_lines "$tmp/pcapng-huge.pcap")" != 1000 ]; then
			echo "pcapng-huge: FAIL (the 1000 packets before the damage are not all printed)"
			fail=$((fail + 1))
		fi
		continue ;;
	tiny-tcp) n=200000 ;;
	tiny-frag4) n=8000 ;;
	tiny-frag6) n=4000 ;;
	*) echo "unknown kind $kind"; exit 2 ;;
	esac
	half=$((n / 2))
	python3 "$top_srcdir/tests/flood/gen.py" "$kind" "$tmp/$kind.pcap" --count $n || exit 1
	python3 "$top_srcdir/tests/flood/gen.py" "$kind" "$tmp/$kind-half.pcap" --count $half || exit 1
	# the argument lists to measure, '@' between words, '-' for none
	case $kind in
	tiny-tcp) argsets="--follow@tcp.stream==0@--follow-format@raw" ;;
	tiny-frag*) argsets="-T@fields@-e@udp.length" ;;
	*) argsets="--stats@conv,tcp -" ;;
	esac
	case $kind in tiny-*)
		tiny_check "$kind" "$half" "$tmp/$kind-half.pcap"
		tiny_check "$kind" "$n" "$tmp/$kind.pcap" ;;
	esac
	for argw in $argsets; do
		args=$(echo "$argw" | tr @ ' ')
		[ "$args" = - ] && args=
		# shellcheck disable=SC2086 # $args is a word list on purpose
		measure "$tmp/$kind-half.pcap" $args
		hcpu=$CPU hrss=$RSS hrc=$RC
		# shellcheck disable=SC2086
		measure "$tmp/$kind.pcap" $args
		verdict=ok
		if [ "$RC" != 0 ] || [ "$hrc" != 0 ]; then
			verdict="FAIL (exit $RC/$hrc: $(head -c 200 "$tmp/err"))"
		fi
		rss_mib=$(awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }')
		ratio=$(awk -v a="$CPU" -v b="$hcpu" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		if awk -v k="$RSS" -v h="$hrss" -v m="$rss_max" 'BEGIN { exit !(k > m * 1024 || h > m * 1024) }'; then
			verdict="FAIL (peak RSS above $rss_max MiB)"
		elif awk -v a="$CPU" -v r="$ratio" -v m="$ratio_max" 'BEGIN { exit !(a >= 0.3 && r != "-" && r + 0 > m) }'; then
			verdict="FAIL (not linear: full/half CPU above $ratio_max)"
		elif awk -v a="$CPU" 'BEGIN { exit !(a < 0.3) }'; then
			verdict="ok (too short to judge linearity)"
		fi
		case $verdict in FAIL*) fail=$((fail + 1)) ;; esac
		printf '%-6s %9d  %-16s %8s %7s %7s %8s %6s  %s\n' \
			"$kind" "$n" "${args:-(print)}" "$rss_mib" "$WALL" "$CPU" "$hcpu" "$ratio" "$verdict"
	done
	rm -f "$tmp/$kind.pcap" "$tmp/$kind-half.pcap"
done
echo "flood: $fail failed (limits: peak RSS $rss_max MiB, full/half CPU $ratio_max)"
[ $fail -eq 0 ]
