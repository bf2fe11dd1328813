#!/bin/sh
# dns.sh - hostile DNS captures (tests/flood/dns-gen.py): compression
# chains at the hop cap, pointer loops and forward pointers, 255-byte
# names, a TCP stream of tiny messages ending in a length that never
# completes.  Each runs through the one-line output at -vvv, the -V tree,
# -T fields with Info, and --stats dns, under a ceiling of
# FLOOD_RSS_MAX_MIB (default 64) MiB and 60 s each; the loops must come
# out MALFORMED, the chains must stop at the hop cap.  Exit 77 (skip)
# when tapir, python3 or /usr/bin/time is missing.
. "$(dirname "$0")/prelude.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-dnsflood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
for kind in chain loop long tcp; do
	python3 "$top_srcdir/tests/flood/dns-gen.py" $kind "$tmp/$kind.pcap" --count 3000 || exit 1
	for args in "-vvv" "-V" "-T fields -e dns.qry.name -e dns.resp.name -e _ws.col.Info" "--stats dns"; do
		# shellcheck disable=SC2086
		flood_run "$tmp/$kind.pcap" $args
		case $kind/$args in
		loop/-vvv)
			grep -q 'BAD PTR' "$tmp/out" && grep -q 'malformed dns: Name compression pointer' "$tmp/out" ||
				verdict="FAIL (no <BAD PTR> / malformed on the loops)" ;;
		chain/-V)
			grep -q 'dns.name.bad_pointer' "$tmp/out" ||
				verdict="FAIL (the chain did not stop at the hop cap)" ;;
		long/-T*)
			grep -q '<Name too long>' "$tmp/out" ||
				verdict="FAIL (no <Name too long>)" ;;
		esac
		flood_say "$kind" "$args"
	done
done
[ $fail -eq 0 ]
