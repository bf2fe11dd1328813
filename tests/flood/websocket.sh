#!/bin/sh
# websocket.sh - hostile WebSocket captures (tests/flood/websocket-gen.py)
# after an HTTP Upgrade: frames claiming 2^63 and 2^63-1 bytes followed
# by 3000 segments of payload each way, and 100 000 tiny frames each way.
# Each runs through the one-line output, -v, the -V tree, -T fields and
# --stats http under a ceiling of FLOOD_RSS_MAX_MIB (default 64) MiB and
# 60 s: the long frames are never gathered (their payload comes as it
# comes), the 2^63 one is MALFORMED, every tiny frame is counted.  Exit
# 77 (skip) when tapir, python3 or /usr/bin/time is missing.
. "$(dirname "$0")/prelude.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-wsflood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
for kind in huge tiny; do
	count=100000
	[ $kind = huge ] && count=3000
	python3 "$top_srcdir/tests/flood/websocket-gen.py" $kind "$tmp/$kind.pcap" --count $count || exit 1
	for args in "-nn" "-v" "-V" "-T fields -e websocket.opcode -e websocket.payload_length_ext_64 -e data.len -e _ws.col.Info" "--stats http"; do
		# shellcheck disable=SC2086
		flood_run "$tmp/$kind.pcap" $args
		case $kind/$args in
		huge/-V)
			[ "$(grep -c 'websocket.payload_length.bad' "$tmp/out")" = 1 ] &&
				[ "$(grep -c 'websocket.frame.long' "$tmp/out")" = 2 ] ||
				verdict="FAIL (not one MALFORMED 2^63 and two long frames)" ;;
		huge/-T*)
			# every payload byte reached the data layer, none gathered
			n=$(awk -F'\t' '{s += $3} END {print s}' "$tmp/out")
			[ "$n" = $((2 * 3000 * 1400)) ] ||
				verdict="FAIL (data.len sums to $n)" ;;
		tiny/-T*)
			n=$(cut -f1 "$tmp/out" | tr ',' '\n' | grep -c '^9$')
			m=$(cut -f1 "$tmp/out" | tr ',' '\n' | grep -c '^10$')
			[ "$n" = 100000 ] && [ "$m" = 100000 ] ||
				verdict="FAIL ($n pings, $m pongs)" ;;
		tiny/-nn)
			grep -q 'HTTP | WebSocket Ping \[FIN\] \[MASKED\] | WebSocket Ping.* | 225 more WebSocket frames$' "$tmp/out" ||
				verdict="FAIL (no notes on the line)" ;;
		esac
		flood_say "$kind" "$args"
	done
done
[ $fail -eq 0 ]
