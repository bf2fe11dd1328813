#!/bin/sh
# run.sh - byte-exact check of TCP reassembly on the messy captures.
#
# For every pcaps/messy-*.pcap and each line of its messy-*.sha256
# ("tcp.stream==N client|server SHA256 BYTES what..."), runs
#   tapir -r F --follow tcp.stream==N --follow-format raw --direction D | sha256sum
# and compares with the SHA-256 of the bytes that the receiving program
# really got (recorded by pcaps/make-messy.sh).  One line per check; exit 1
# on any mismatch, 77 (skip) when the tapir binary is missing.
#
#   tests/messy/run.sh            (in make check: top_srcdir/top_builddir set)
#   tests/messy/run.sh --tshark   the same checks against tshark's follow
#                                 (proves the captures hold every byte)
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
mode=tapir
[ "${1:-}" = --tshark ] && mode=tshark

if [ $mode = tapir ] && [ ! -x "$tapir" ]; then
	echo "SKIP: no tapir binary at $tapir"
	exit 77
fi
if [ $mode = tshark ] && ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark is not installed"
	exit 77
fi
command -v sha256sum >/dev/null 2>&1 || { echo "SKIP: no sha256sum"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-messy.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0 fail=0
for sums in "$top_srcdir"/pcaps/messy-*.sha256; do
	[ -f "$sums" ] || continue
	pcap=${sums%.sha256}.pcap
	name=$(basename "$pcap")
	if [ ! -f "$pcap" ]; then
		echo "FAIL $name: capture missing"
		fail=$((fail + 1))
		continue
	fi
	while read -r stream dir want bytes what; do
		case $stream in tcp.stream==*) ;; *) continue ;; esac
		n=${stream#tcp.stream==}
		if [ $mode = tapir ]; then
			"$tapir" -r "$pcap" --follow "$stream" --follow-format raw \
				--direction "$dir" >"$tmp/out" 2>"$tmp/err"
		else
			python3 "$top_srcdir/tests/compare-follow.py" --dump-tshark \
				"$pcap" "$n" "$dir" >"$tmp/out" 2>"$tmp/err"
		fi
		rc=$?
		got=$(sha256sum <"$tmp/out" | cut -d' ' -f1)
		size=$(wc -c <"$tmp/out" | tr -d ' ')
		if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
			echo "ok   $name $stream $dir: $size bytes ($what)"
			pass=$((pass + 1))
		else
			echo "FAIL $name $stream $dir: exit $rc, $size bytes (want $bytes), sha256 $got, want $want ($what)"
			sed 's/^/     stderr: /' "$tmp/err" | head -5
			fail=$((fail + 1))
		fi
	done <"$sums"
done
if [ $((pass + fail)) -eq 0 ]; then
	echo "FAIL: no pcaps/messy-*.sha256 found under $top_srcdir"
	exit 1
fi
echo "messy ($mode): $pass passed, $fail failed"
[ $fail -eq 0 ]
