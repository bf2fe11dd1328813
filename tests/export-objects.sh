#!/bin/sh
# export-objects.sh - --export-objects http,DIR on pcaps/http-nginx.pcap
# (and the range parts of pcaps/http-range.pcap):
# every served file (pcaps/README.md lists their SHA-256: index.html,
# big.bin, words.txt, the last one chunked and gzip'd) is exported
# byte-identical, index.tsv's SHA-256 column is each file's, and tapir
# finds every object tshark's --export-objects http finds (by SHA-256;
# that part is skipped without tshark).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
[ -x "$tapir" ] || { echo "SKIP: no tapir binary at $tapir"; exit 77; }
cap=$top_srcdir/pcaps/http-nginx.pcap
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-expobj.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 755 "$tmp"
fail=0
"$tapir" -r "$cap" --export-objects "http,$tmp/t" >"$tmp/log" 2>&1 ||
	{ echo "FAIL: tapir exited non-zero:"; cat "$tmp/log"; exit 1; }
# the served files, by name and SHA-256, from pcaps/README.md
for f in index.html big.bin words.txt; do
	want=$(tr '\n' ' ' <"$top_srcdir/pcaps/README.md" |
		grep -o "\`$f\` *[0-9a-f]\{64\}" | grep -o '[0-9a-f]\{64\}')
	[ -n "$want" ] || { echo "FAIL: no SHA-256 of $f in pcaps/README.md"; fail=1; continue; }
	got=$(sha256sum <"$tmp/t/$f" 2>/dev/null | cut -d' ' -f1)
	if [ "$got" != "$want" ]; then
		echo "FAIL: $f: sha256 $got, served $want"; fail=1
	else
		echo "ok $f $got"
	fi
done
# index.tsv: each row's SHA-256 and size are its file's
tail -n +2 "$tmp/t/index.tsv" | while IFS='	' read -r fr st h2 host uri ct size sha comp file; do
	got=$(sha256sum <"$tmp/t/$file" | cut -d' ' -f1)
	n=$(wc -c <"$tmp/t/$file")
	[ "$got" = "$sha" ] && [ "$n" -eq "$size" ] ||
		{ echo "FAIL: index row of $file: $sha $size, file $got $n"; exit 1; }
done || fail=1
# at least every object tshark finds
if command -v tshark >/dev/null 2>&1; then
	mkdir "$tmp/w"
	tshark -r "$cap" -q --export-objects "http,$tmp/w" >/dev/null 2>&1
	nt=0 nmiss=0
	for f in "$tmp"/w/*; do
		[ -f "$f" ] || continue
		nt=$((nt + 1))
		s=$(sha256sum <"$f" | cut -d' ' -f1)
		grep -q "	$s	" "$tmp/t/index.tsv" ||
			{ echo "FAIL: tshark's ${f##*/} ($s) not exported"; nmiss=$((nmiss + 1)); }
	done
	nw=$(($(wc -l <"$tmp/t/index.tsv") - 1))
	echo "tshark: $nt objects, tapir: $nw, $nmiss of tshark's missing"
	[ "$nmiss" = 0 ] || fail=1
	[ "$nt" -gt 0 ] || { echo "FAIL: tshark exported nothing"; fail=1; }
fi
# Range requests (pcaps/http-range.pcap): each single-range 206 is those
# bytes of big.bin, made as make-http-captures.sh makes it
if command -v python3 >/dev/null 2>&1; then
	"$tapir" -r "$top_srcdir/pcaps/http-range.pcap" --export-objects "http,$tmp/r" >"$tmp/log" 2>&1 ||
		{ echo "FAIL: tapir exited non-zero on http-range.pcap:"; cat "$tmp/log"; fail=1; }
	python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + (i >> 8)) & 255 for i in range(100000)))' >"$tmp/big.bin"
	head -c 100 "$tmp/big.bin" >"$tmp/want0"
	tail -c +1001 "$tmp/big.bin" | head -c 1000 >"$tmp/want1"
	for pair in "want0 big.bin" "want1 big-1.bin"; do
		set -- $pair
		if cmp -s "$tmp/$1" "$tmp/r/$2"; then
			echo "ok range $2 ($(wc -c <"$tmp/r/$2") bytes)"
		else
			echo "FAIL: range part $2 is not the served bytes"; fail=1
		fi
	done
fi
# HTTP/2 (pcaps/make-http2-captures.sh): every object exported whole from
# the four captures has the SHA-256 of a served file (pcaps/README.md's
# table: the gzip'd words.txt decoded, pushed files, the POST's echo; not
# nghttpd's 404 page), the
# index names its HTTP/2 stream, and every served file but cut.html (its
# response is in the packets http2-midcut.pcap dropped) is among them
served=$(sed -n '/^## HTTP\/2 captures/,$p' "$top_srcdir/pcaps/README.md" |
	grep -o '^| [^|]* | [0-9a-f]\{64\} |' | sed 's/^| \([^ ]*\).* | \([0-9a-f]\{64\}\) |$/\1 \2/')
[ "$(printf '%s\n' "$served" | grep -c .)" -ge 10 ] ||
	{ echo "FAIL: no HTTP/2 SHA-256 table in pcaps/README.md"; fail=1; }
: >"$tmp/h2all"
for c in nghttp curl upgrade midcut; do
	"$tapir" -r "$top_srcdir/pcaps/http2-$c.pcap" --export-objects "http,$tmp/h2-$c" >"$tmp/log" 2>&1 ||
		{ echo "FAIL: tapir exited non-zero on http2-$c.pcap:"; cat "$tmp/log"; fail=1; continue; }
	# (awk: a tab IFS would fold an empty host column)
	tail -n +2 "$tmp/h2-$c/index.tsv" | awk -F'\t' '{print $3, $5, $8, $10, $9}' |
	while read -r h2 uri sha file comp; do
		# nghttpd's own 404 page is no served file
		[ "$comp" = complete ] && [ "$uri" != /missing ] || continue
		case $h2 in ''|-|*[!0-9]*) echo "FAIL: http2-$c: $file without a stream id"; exit 1 ;; esac
		printf '%s\n' "$served" | grep -q " $sha\$" ||
			{ echo "FAIL: http2-$c: $file ($uri, stream $h2): $sha is no served file"; exit 1; }
		echo "$sha" >>"$tmp/h2all"
	done || fail=1
done
printf '%s\n' "$served" | while read -r name sha; do
	[ "$name" = /cut.html ] && continue
	grep -q "^$sha\$" "$tmp/h2all" ||
		{ echo "FAIL: HTTP/2: $name ($sha) never exported whole"; exit 1; }
	echo "ok http2 $name $sha"
done || fail=1
# never outside DIR, never through a link, never over a file: a name
# taken by a symbolic link is numbered past
# (both directories writable by the user tapir drops to when root)
mkdir "$tmp/l" "$tmp/v"
chmod 777 "$tmp/l" "$tmp/v"
ln -s "$tmp/v/victim" "$tmp/l/big.bin"
"$tapir" -r "$cap" --export-objects "http,$tmp/l" >"$tmp/log" 2>&1 ||
	{ echo "FAIL: tapir exited non-zero (link):"; cat "$tmp/log"; fail=1; }
[ -e "$tmp/v/victim" ] && { echo "FAIL: wrote through a symbolic link"; fail=1; }
grep -q '	big-1.bin$' "$tmp/l/index.tsv" || { echo "FAIL: big.bin not numbered past the link"; fail=1; }
[ $fail = 0 ] && echo "PASS"
exit $fail
