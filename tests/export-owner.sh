#!/bin/sh
# export-owner.sh - --export-streams run as root: index.tsv and the stream
# files must belong to the same user, the capture user tapir drops to
# (issue 14: index.tsv was made before the drop and stayed root's).
# Runs only as root (exit 77, skipped, otherwise).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
[ -x "$tapir" ] || { echo "SKIP: no tapir binary at $tapir"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: not root (the privilege drop needs root)"; exit 77; }
# tapir's capture user: "tapir" if it exists, else "nobody" (as tcpdump)
user=tapir
id "$user" >/dev/null 2>&1 || user=nobody
id "$user" >/dev/null 2>&1 || { echo "SKIP: neither user tapir nor nobody exists"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-owner.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 755 "$tmp"
fail=0
for cap in tcp-curl-http.pcap dns-dig.pcap; do
	out=$tmp/${cap%.pcap}
	if ! "$tapir" -r "$top_srcdir/pcaps/$cap" --export-streams "$out" >"$tmp/log" 2>&1; then
		echo "FAIL $cap: tapir exited non-zero:"; cat "$tmp/log"; fail=1; continue
	fi
	want=$(id -u "$user"):$(id -g "$user")
	n=0
	for f in "$out" "$out"/*; do
		got=$(stat -c %u:%g "$f")
		n=$((n + 1))
		if [ "$got" != "$want" ]; then
			echo "FAIL $cap: $(basename "$f") owned by $got, want $want ($user)"
			fail=1
		fi
	done
	[ -f "$out/index.tsv" ] || { echo "FAIL $cap: no index.tsv"; fail=1; }
	[ "$n" -ge 3 ] || { echo "FAIL $cap: only $n entries"; fail=1; }
	[ $fail = 0 ] && echo "ok   $cap: the directory, index.tsv and $((n - 2)) stream files all $want ($user)"
done
exit $fail
