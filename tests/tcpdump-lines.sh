#!/bin/sh
# tcpdump-lines.sh - tapir's one-line output against tcpdump's on every
# capture of pcaps/ and on a generated capture of 5 000 connections open
# at once, with and without BPF filters that drop handshakes: every TCP
# line must equal tcpdump's up to and including `length N`
# (tests/compare-tcpdump.py says how).  Skips (77) without tcpdump.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
[ -x "$tapir" ] || { echo "SKIP: no tapir binary at $tapir"; exit 77; }
command -v tcpdump >/dev/null 2>&1 || { echo "SKIP: tcpdump is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-tcpdump.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/gen-manyconn.py" "$tmp/manyconn.pcap" || exit 1
python3 "$top_srcdir/tests/compare-tcpdump.py" --tapir "$tapir" \
	"$top_srcdir"/pcaps/*.pcap "$top_srcdir"/pcaps/*.pcapng \
	"$tmp/manyconn.pcap"
