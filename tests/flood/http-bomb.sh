#!/bin/sh
# http-bomb.sh - decompression bombs over HTTP (tests/flood/http-bomb-gen.py): three
# responses of 1 GiB of zeros compressed to ~1 MB (gzip with
# Content-Length, gzip chunked, raw deflate).  Through -V, -X, -T fields
# with http.file_data and --export-objects, each under FLOOD_RSS_MAX_MIB
# (default 64) MiB and prelude.sh's 120 s: every body is cut at a cap
# (the event in the tree, "capped" in index.tsv), never decoded whole.
. "$(dirname "$0")/prelude.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-httpflood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 755 "$tmp"
python3 "$top_srcdir/tests/flood/http-bomb-gen.py" "$tmp/bomb.pcap" || exit 1
fail=0
for args in "-V" "-X" "-T fields -e frame.number -e http.file_data" "--export-objects http,$tmp/x"; do
	# shellcheck disable=SC2086 # a word list on purpose
	if ! run "$tmp/bomb.pcap" $args; then
		verdict="FAIL (exit status: $(head -c 200 "$tmp/err"))"
	elif [ "${RSS:-0}" -gt $((rss_max * 1024)) ]; then
		verdict="FAIL (peak RSS above $rss_max MiB)"
	else
		verdict=ok
	fi
	case $args in
	-V)
		[ "$(grep -c 'http.body.capped' "$tmp/out")" = 3 ] ||
			verdict="FAIL (not 3 capped events)" ;;
	-X)
		[ "$(grep -c 'Uncompressed entity body' "$tmp/out")" = 3 ] ||
			verdict="FAIL (not 3 decoded bodies shown)" ;;
	--export*)
		[ "$(grep -c '	capped at' "$tmp/x/index.tsv")" = 3 ] ||
			verdict="FAIL (not 3 capped objects in index.tsv)"
		for f in "$tmp"/x/bomb*; do
			[ "$(wc -c <"$f")" -le $((16 * 1048576)) ] ||
				verdict="FAIL (${f##*/} past the 16 MiB cap)"
		done ;;
	esac
	case $verdict in FAIL*) fail=$((fail + 1)) ;; esac
	printf '%-50s %6s KiB %6s s CPU %6s s  %s\n' "$args" "$RSS" "$CPU" "$WALL" "$verdict"
done
[ $fail -eq 0 ]
