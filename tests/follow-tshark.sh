#!/bin/sh
# follow-tshark.sh - --follow against tshark's -z follow on every stream of
# pcaps/ (make check; skipped when tshark is not installed):
#   1. the text, byte for byte: every TCP and UDP stream, formats ascii,
#      hex and raw, as -z follow,P,F,N and as --follow P.stream==N
#      (compare-follow.py --text; known differences listed there, with why)
#   2. the bytes of each direction: --follow-format raw --direction
#      client|server against tshark's node (compare-follow.py, raw mode)
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
[ -x "$tapir" ] || { echo "SKIP: no tapir binary at $tapir"; exit 77; }
command -v tshark >/dev/null 2>&1 ||
	{ echo "SKIP: tshark is not installed (bootstrap installs it)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
py="python3 $top_srcdir/tests/compare-follow.py --tapir $tapir"
$py --text "$top_srcdir"/pcaps/*.pcap* || exit 1
$py "$top_srcdir"/pcaps/*.pcap* || exit 1
