#!/bin/bash
# compare-tshark.sh - the display filters of tests/filter/EXPRS against
# tshark -Y on the captures of pcaps/: the same frame numbers selected.
#
#   tests/filter/compare-tshark.sh [TAPIR]
#
# Each line of EXPRS is an expression (tshark 4.0's syntax: sets with
# commas).  For every capture of pcaps/ (FILTER_ALL=1; by default, in
# make check, eight that cover the protocols) both tools run
# `-r CAPTURE -Y EXPR -T fields -e frame.number`; the lists must be
# equal.  tapir runs a second time as `-r CAPTURE -Y EXPR -#` (the
# one-line text, its frame numbers first): that run filters lean
# records when the expression allows it (tp_filter_lean), and must
# select the same frames.  Skipped (exit 77)
# without tshark.  Prints "filter: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${top_srcdir:-$here/../..}" && pwd)
bin=${1:-${TAPIR:-$(cd "${top_builddir:-$top}" && pwd)/src/tapir}}
command -v tshark >/dev/null || { echo "filter: skipped: no tshark"; exit 77; }
pass=0 fail=0
if [ "${FILTER_ALL:-0}" = 1 ]; then
	caps=("$top"/pcaps/*.pcap)
else
	caps=()
	for c in http-nginx dns-dig dhcp-dora tls-fail icmp-errors \
		 icmp6-ping vlan-8021q messy-http; do
		caps+=("$top/pcaps/$c.pcap")
	done
fi
while IFS= read -r expr; do
	case "$expr" in ''|'#'*) continue ;; esac
	for c in "${caps[@]}"; do
		[ -f "$c" ] || continue
		a=$("$bin" -r "$c" -Y "$expr" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
		b=$(tshark -n -r "$c" -Y "$expr" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
		l=$("$bin" -r "$c" -Y "$expr" -# 2>/dev/null | awk '{printf "%s ", $1}')
		if [ "$a" = "$b" ] && [ "$l" = "$b" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $(basename "$c"): -Y '$expr'"
			echo "  tshark: ${b:0:200}"
			echo "  tapir:  ${a:0:200}"
			echo "  tapir -#: ${l:0:200}"
		fi
	done
done < "$here/EXPRS"
echo "filter: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
