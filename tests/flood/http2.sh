#!/bin/sh
# http2.sh - hostile HTTP/2 captures (tests/flood/http2-gen.py), each one
# connection on port 80 with prior knowledge: an HPACK bomb (20 blocks,
# each a 16 KiB header inserted then indexed 10 000 times), a
# CONTINUATION flood (100 000 after one HEADERS), a gzip bomb in DATA
# (1 GiB of zeros), 100 000 streams opened, a SETTINGS/PING flood
# (100 000 of each, both ways), and 1000 connections each holding a
# 64 000-byte header block open (never ended: charged to the memory cap,
# not 64 MB of buffers).  Each runs through -V, -T fields and
# --export-objects http,DIR (the streams also --stats http2) under
# FLOOD_RSS_MAX_MIB (default 64) MiB and 60 s: headers past the list cap
# not shown (http2.header_size_exceeded), the joined block capped at
# 64 KiB (http2.header.block_too_long), the body cut at a cap
# (http2.body.capped, "capped" in index.tsv), the stream table bounded,
# every frame counted.  Exit 77 (skip) when tapir, python3 or
# /usr/bin/time is missing.
. "$(dirname "$0")/prelude.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-h2flood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 755 "$tmp"
fail=0
# count TOKEN: how many times TOKEN is a comma-separated value of $tmp/out
count() {
	tr ',\t' '\n\n' <"$tmp/out" | grep -cx "$1"
}
for kind in hpack cont gzip streams ping blocks; do
	python3 "$top_srcdir/tests/flood/http2-gen.py" $kind "$tmp/$kind.pcap" || exit 1
	for args in "-V" "-T fields -e http2.type -e http2.header.count" "--export-objects http,$tmp/x" "--stats http2"; do
		[ "$args" = "--stats http2" ] && [ $kind != streams ] && continue
		rm -rf "$tmp/x"
		# shellcheck disable=SC2086 # a word list on purpose
		flood_run "$tmp/$kind.pcap" $args
		case $kind/$args in
		hpack/-V)
			n=$(grep -c 'http2.header_size_exceeded' "$tmp/out")
			[ "$n" = 20 ] || verdict="FAIL ($n header_size_exceeded, not 20)" ;;
		hpack/-T*)
			# each block: the headers under the cap only (7 of 10 005)
			n=$(cut -f2 "$tmp/out" | grep -cx 7)
			m=$(cut -f2 "$tmp/out" | grep -v '^$' | grep -cvx 7)
			[ "$n" = 20 ] && [ "$m" = 0 ] ||
				verdict="FAIL ($n blocks of 7 headers, $m others)" ;;
		cont/-V)
			n=$(grep -c 'http2.header.block_too_long' "$tmp/out")
			[ "$n" = 1 ] || verdict="FAIL ($n block_too_long, not 1)" ;;
		cont/-T*)
			n=$(cut -f1 "$tmp/out" | count 9)
			[ "$n" = 100000 ] || verdict="FAIL ($n CONTINUATIONs)" ;;
		gzip/-V)
			n=$(grep -c 'http2.body.capped' "$tmp/out")
			w=$(grep -c 'http2.window.exceeded' "$tmp/out")
			[ "$n" = 1 ] && [ "$w" = 0 ] ||
				verdict="FAIL ($n body.capped, $w window.exceeded)" ;;
		gzip/--export*)
			[ "$(grep -c '	capped at' "$tmp/x/index.tsv")" = 1 ] ||
				verdict="FAIL (no capped object in index.tsv)"
			[ "$(wc -c <"$tmp/x/bomb")" -le $((16 * 1048576)) ] ||
				verdict="FAIL (bomb past the 16 MiB cap)" ;;
		streams/-T*)
			n=$(cut -f1 "$tmp/out" | count 1)
			[ "$n" = 100000 ] || verdict="FAIL ($n HEADERS)" ;;
		streams/--stats*)
			grep -q '^  opened  *100000$' "$tmp/out" &&
				grep -q '^  peak open at once  *256$' "$tmp/out" ||
				verdict="FAIL (not 100000 streams, 256 open at most)" ;;
		ping/-T*)
			p=$(cut -f1 "$tmp/out" | count 6)
			s=$(cut -f1 "$tmp/out" | count 4)
			[ "$p" = 200000 ] && [ "$s" = 200004 ] ||
				verdict="FAIL ($p PINGs, $s SETTINGS)" ;;
		blocks/-T*)
			# the blocks held fill the memory cap (16 MiB), the later
			# flows go without state: said on stderr
			grep -q 'reassembly memory peak' "$tmp/err" ||
				verdict="FAIL (the memory cap never reached)" ;;
		esac
		flood_say "$kind" "$args"
	done
done
[ $fail -eq 0 ]
