#!/bin/sh
# http.sh - hostile HTTP/1.x framing captures (tests/flood/http-gen.py),
# each at full and half size, under tapir with /usr/bin/time:
#   headers    60 requests of 10 000 header lines (~190 KB, past the
#              64 KiB cap): each MALFORMED once, the request after it
#              found again and its response paired with it
#   pipeline   20 000 pipelined requests, then their 204s: 8 wait at
#              most, so exactly 8 responses are paired
#   chunks     100 000 one-byte chunks with extensions, then a size of
#              2^64: one MALFORMED
#   halfheads  20 000 connections each holding a partial header block:
#              the stream states and buffers count against the
#              reassembly memory cap, which the run reports reaching
# Fails when a peak RSS is above FLOOD_RSS_MAX_MIB (default 64), when the
# full file takes more than FLOOD_RATIO_MAX (2.6) times the CPU of the
# half (judged from 0.3 s of CPU on), over 60 s, or when the output is
# wrong (a line per packet and the counts above).  Exit 77 (skip) without
# tapir, python3 or /usr/bin/time.
. "$(dirname "$0")/prelude.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-http-flood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

count() { # PATTERN: occurrences in the output
	grep -o "$1" "$tmp/out" | wc -l | tr -d ' '
}

for kind in headers pipeline chunks halfheads; do
	case $kind in
	headers) n=60 ;; pipeline) n=20000 ;; chunks) n=100000 ;; halfheads) n=20000 ;;
	esac
	half=$((n / 2))
	python3 "$top_srcdir/tests/flood/http-gen.py" $kind "$tmp/h.pcap" --count $half >/dev/null || exit 1
	pkts=$(python3 "$top_srcdir/tests/flood/http-gen.py" $kind "$tmp/f.pcap" --count $n) || exit 1
	run "$tmp/h.pcap"
	hcpu=$CPU hrss=$RSS
	run "$tmp/f.pcap"
	ratio=$(awk -v a="$CPU" -v b="$hcpu" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	printf '%-9s %7d  RSS %6.1f MiB  CPU %6s s (half %s, ratio %s)  wall %s s\n' \
		"$kind" "$n" "$(awk -v k="$RSS" 'BEGIN { print k / 1024 }')" \
		"$CPU" "$hcpu" "$ratio" "$WALL"
	if [ "$RSS" -gt $((rss_max * 1024)) ] || [ "$hrss" -gt $((rss_max * 1024)) ]; then
		check $kind "peak RSS above $rss_max MiB"
	fi
	if awk -v a="$CPU" -v r="$ratio" -v m="$ratio_max" 'BEGIN { exit !(a >= 0.3 && r != "-" && r + 0 > m) }'; then
		check $kind "not linear: full/half CPU $ratio"
	fi
	if awk -v w="$WALL" 'BEGIN { exit !(w > 60) }'; then
		check $kind "over 60 s"
	fi
	lines=$(wc -l <"$tmp/out")
	[ "$lines" = "$pkts" ] || check $kind "$lines lines, want $pkts"
	case $kind in
	headers)
		m=$(count 'malformed http: Header block longer than 65536 bytes')
		[ "$m" = "$n" ] || check headers "$m header caps, want $n"
		r=$(count '| reply to #')
		[ "$r" = "$n" ] || check headers "$r responses paired, want $n" ;;
	pipeline)
		r=$(count '| reply to #')
		[ "$r" = 8 ] || check pipeline "$r responses paired, want 8" ;;
	chunks)
		m=$(count 'malformed http: Bad chunk size line')
		[ "$m" = 1 ] || check chunks "$m bad chunk sizes, want 1" ;;
	halfheads)
		grep -q 'application states refused' "$tmp/err" ||
			check halfheads "the cap is not reported: $(cat "$tmp/err")" ;;
	esac
done
[ $fail = 0 ] || exit 1
