#!/bin/sh
# dhcp.sh - hostile DHCP captures (tests/flood/dhcp-gen.py), each at full
# and half size, under tapir with /usr/bin/time:
#   xid    200 000 DISCOVERs, each a new transaction, and their OFFERs:
#          the exchange table stays at its cap (4096), answers still
#          pair with the request just before them
#   chain   20 000 packets with option 119 a chain of 126 backward
#          pointers, 127 empty relay sub-options and 255 PXE pads
# Fails when a peak RSS is above FLOOD_RSS_MAX_MIB (default 64), when the
# full file takes more than FLOOD_RATIO_MAX (2.6) times the CPU of the half
# (judged from 0.3 s of CPU on), over 60 s, or when the output is wrong
# (a line per packet; the last OFFER pairs with its DISCOVER; each chain
# packet gives the 65 names within the hop cap, then MALFORMED).  Exit 77 (skip)
# without tapir, python3 or /usr/bin/time.
. "$(dirname "$0")/prelude.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-dhcp-flood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

fail=0
check() { # what condition-text
	echo "$1: FAIL ($2)"
	fail=$((fail + 1))
}

for kind in xid chain; do
	case $kind in xid) n=200000 ;; chain) n=20000 ;; esac
	half=$((n / 2))
	python3 "$top_srcdir/tests/flood/dhcp-gen.py" $kind "$tmp/$kind.pcap" --count $n || exit 1
	python3 "$top_srcdir/tests/flood/dhcp-gen.py" $kind "$tmp/$kind-half.pcap" --count $half || exit 1
	for args in "" "-T fields -e dhcp.tapir.request_in -e dhcp.option.dhcp_dns_domain_search_list_fqdn -e _ws.malformed"; do
		# shellcheck disable=SC2086 # a word list on purpose
		run "$tmp/$kind-half.pcap" $args
		hcpu=$CPU hrss=$RSS
		# shellcheck disable=SC2086
		run "$tmp/$kind.pcap" $args
		ratio=$(awk -v a="$CPU" -v b="$hcpu" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		printf '%-6s %7d  %-10s RSS %6.1f MiB  CPU %6s s (half %s, ratio %s)  wall %s s\n' \
			"$kind" "$n" "$(if [ -n "$args" ]; then echo fields; else echo line; fi)" "$(awk -v k="$RSS" 'BEGIN { print k / 1024 }')" \
			"$CPU" "$hcpu" "$ratio" "$WALL"
		if [ "$RSS" -gt $((rss_max * 1024)) ] || [ "$hrss" -gt $((rss_max * 1024)) ]; then
			check "$kind" "peak RSS above $rss_max MiB"
		fi
		if awk -v a="$CPU" -v r="$ratio" -v m="$ratio_max" 'BEGIN { exit !(a >= 0.3 && r != "-" && r + 0 > m) }'; then
			check "$kind" "not linear: full/half CPU $ratio"
		fi
		if awk -v w="$WALL" 'BEGIN { exit !(w > 60) }'; then
			check "$kind" "over 60 s"
		fi
		lines=$(wc -l <"$tmp/out")
		want=$n
		[ $kind = xid ] && want=$((2 * n - 1))
		[ "$lines" = "$want" ] || check "$kind" "$lines lines, want $want"
		case $kind,$args in
		xid,)
			# the last OFFER answers the DISCOVER three packets before
			tail -1 "$tmp/out" | grep -q "| answers Discover #$((want - 3)) after" ||
				check xid "the last OFFER does not pair: $(tail -1 "$tmp/out")" ;;
		xid,-T*)
			[ "$(tail -1 "$tmp/out")" = "$((want - 3))		" ] ||
				check xid "fields of the last OFFER: $(tail -1 "$tmp/out")" ;;
		chain,-T*)
			# "a", then 64 names through 1..64 pointers (the hop cap), MALFORMED
			names=$(printf 'a,%.0s' $(seq 65))
			[ "$(sort -u "$tmp/out")" = "	${names%,}	_ws.malformed" ] ||
				check chain "want 65 names and malformed: $(sort -u "$tmp/out" | head -c 300)" ;;
		esac
	done
done
[ $fail = 0 ] || exit 1
