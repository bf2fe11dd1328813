#!/bin/sh
# icmp6-crafted.sh - tapir's one-line and -v/-vv/-vvv text against
# tcpdump -nn's on tests/golden/icmp6-crafted.pcap (ICMPv6 and IPv6
# extension headers crafted by icmp6-crafted.py: hostile lengths, cuts).
# tapir's own markers after tcpdump's text (" [|icmpv6]", " [|ipv6]",
# " [malformed ...]") are removed from its lines; everything else must be
# identical.  Skipped (77) without tcpdump.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${top_srcdir:-$here/..}" && pwd)
bin=${TAPIR:-$(cd "${top_builddir:-$top}" && pwd)/src/tapir}
cap=$top/tests/golden/icmp6-crafted.pcap
command -v tcpdump >/dev/null 2>&1 || { echo "SKIP: no tcpdump"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for lv in "" -v -vv -vvv; do
	TZ=UTC tcpdump -nn $lv -r "$cap" >"$tmp/td" 2>/dev/null
	TZ=UTC "$bin" -n $lv -r "$cap" 2>/dev/null |
		sed 's/ \[malformed [^]]*\]//g; s/ \[|icmpv6\]//; s/ \[|ipv6\]//' \
			>"$tmp/tp"
	n=$(diff "$tmp/td" "$tmp/tp" | grep -c '^<')
	echo "icmp6-crafted.pcap ${lv:-(line)}: $(wc -l <"$tmp/td") lines, $n differ"
	if [ "$n" -ne 0 ]; then
		diff "$tmp/td" "$tmp/tp" | head -20
		fail=1
	fi
done
exit $fail
