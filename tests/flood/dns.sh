#!/bin/sh
# dns.sh - hostile DNS captures (tests/flood/dns-gen.py): compression
# chains at the hop cap, pointer loops and forward pointers, 255-byte
# names, a TCP stream of tiny messages ending in a length that never
# completes.  Each runs through the one-line output at -vvv, the -V tree,
# -T fields with Info, and --stats dns, under a ceiling of
# FLOOD_RSS_MAX_MIB (default 64) MiB and 60 s each; the loops must come
# out MALFORMED, the chains must stop at the hop cap.  Exit 77 (skip)
# when tapir, python3 or /usr/bin/time is missing.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
rss_max=${FLOOD_RSS_MAX_MIB:-64}
TIME=/usr/bin/time
[ -x "$tapir" ] || { echo "SKIP: no tapir binary at $tapir"; exit 77; }
if grep -qE '^SAN_CFLAGS = .*-fsanitize' "$top_builddir/Makefile" 2>/dev/null; then
	echo "SKIP: sanitizer build"
	exit 77
fi
[ -x $TIME ] || { echo "SKIP: $TIME missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-dnsflood.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
for kind in chain loop long tcp; do
	python3 "$top_srcdir/tests/flood/dns-gen.py" $kind "$tmp/$kind.pcap" --count 3000 || exit 1
	for args in "-vvv" "-V" "-T fields -e dns.qry.name -e dns.resp.name -e _ws.col.Info" "--stats dns"; do
		# shellcheck disable=SC2086
		$TIME -v -o "$tmp/time" timeout 60 "$tapir" --threads 1 -r "$tmp/$kind.pcap" $args >"$tmp/out" 2>"$tmp/err"
		rc=$?
		rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time")
		wall=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*: //p' "$tmp/time")
		verdict=ok
		if [ "$rc" != 0 ]; then
			verdict="FAIL (exit $rc: $(head -c 200 "$tmp/err"))"
		elif [ "${rss:-0}" -gt $((rss_max * 1024)) ]; then
			verdict="FAIL (peak RSS above $rss_max MiB)"
		fi
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
		case $verdict in FAIL*) fail=$((fail + 1)) ;; esac
		printf '%-6s %-44s %6s KiB %8s  %s\n' "$kind" "$args" "$rss" "$wall" "$verdict"
	done
done
[ $fail -eq 0 ]
