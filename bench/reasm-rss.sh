#!/bin/sh
# reasm-rss.sh - peak memory and time of tapir's reassembly on a ~1 GB capture.
#
# Generates with bench/gen-big.py a capture of many concurrent TCP
# connections with payload (default 20 000 connections, 5 000 open at a
# time, interleaved, 2% out-of-order segments, 1% retransmissions, 1%
# capture loss in 5% of the connections), then measures under
# /usr/bin/time -v:
#   tapir -r big.pcap --export-streams DIR    (reassembly of every stream)
#   tapir -r big.pcap --stats conv
#   tshark -r big.pcap -q -z conv,tcp         (only with --with-tshark:
#                                              minutes and gigabytes)
# and prints a table: peak RSS, wall and CPU time, plus what the export
# wrote against what the generator sent.  The capture and the export go to
# a temporary directory under $TMPDIR (default /tmp), removed at the end
# unless --keep.  Fails (exit 1) when tapir's peak RSS is above
# --rss-max MiB (default 64) or tapir exits with an error.
#
#   bench/reasm-rss.sh [--size 1G] [--conns 20000] [--concurrent 5000]
#                      [--with-tshark] [--keep] [--rss-max 64]
top=$(cd "$(dirname "$0")/.." && pwd)
tapir=${TAPIR:-$top/src/tapir}
size=1G conns=20000 concurrent=5000 with_tshark=0 keep=0 rss_max=64
while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift ;;
	--conns) conns=$2; shift ;;
	--concurrent) concurrent=$2; shift ;;
	--with-tshark) with_tshark=1 ;;
	--keep) keep=1 ;;
	--rss-max) rss_max=$2; shift ;;
	-h | --help) sed -n '2,21p' "$0"; exit 0 ;;
	*) echo "reasm-rss.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
TIME=/usr/bin/time
[ -x "$tapir" ] || { echo "reasm-rss.sh: no tapir binary at $tapir (TAPIR=...)"; exit 1; }
[ -x $TIME ] || { echo "reasm-rss.sh: $TIME missing (apt-get install time)"; exit 1; }
if [ "$with_tshark" = 1 ] && ! command -v tshark >/dev/null 2>&1; then
	echo "reasm-rss.sh: --with-tshark but tshark is not installed"; exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tapir-reasm.XXXXXX") || exit 1
chmod 755 "$work"
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pcap=$work/big.pcap
echo "generating $pcap ($size, $conns connections, $concurrent at a time) ..."
t0=$(date +%s)
python3 "$top/bench/gen-big.py" "$pcap" --size "$size" --conns "$conns" \
	--concurrent "$concurrent" --manifest "$work/manifest.tsv" || exit 1
echo "  done in $(($(date +%s) - t0)) s: $(du -h "$pcap" | cut -f1)"

# measure NAME CMD... : one table row
rows=
fail=0
measure() {
	name=$1
	shift
	$TIME -v -o "$work/time" "$@" >/dev/null 2>"$work/err"
	rc=$?
	grep -q 'Command exited with non-zero status' "$work/time" &&
		rc=$(sed -n 's/.*Command exited with non-zero status //p' "$work/time")
	rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time")
	wall=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*: //p' "$work/time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }')
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$work/time")
	rss_mib=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
	verdict=ok
	case $name in
	tapir*)
		if [ "$rc" != 0 ]; then
			verdict="FAIL exit $rc: $(tail -n 1 "$work/err")"
			fail=1
		elif awk -v k="$rss" -v m="$rss_max" 'BEGIN { exit !(k > m * 1024) }'; then
			verdict="FAIL above $rss_max MiB"
			fail=1
		fi ;;
	*) [ "$rc" = 0 ] || verdict="exit $rc" ;;
	esac
	rows="$rows$(printf '| %-46s | %9s | %7s | %7s | %s |' "$name" "$rss_mib" "$wall" "$cpu" "$verdict")
"
}

measure "tapir --export-streams DIR" "$tapir" -r "$pcap" --export-streams "$work/export"
nfiles=$(find "$work/export" -type f ! -name index.tsv 2>/dev/null | wc -l)
nbytes=$(find "$work/export" -type f ! -name index.tsv -printf '%s\n' 2>/dev/null |
	awk '{ s += $1 } END { print s + 0 }')
# the export against what the generator sent: byte and gap counts of every
# direction (index.tsv), and the content of up to 1000 complete directions
verify=$(python3 - "$work/manifest.tsv" "$work/export" <<'EOF'
import os, random, sys
man, exp = sys.argv[1:3]
block = random.Random(1).randbytes(1 << 20)
block += block
idx = {}
try:
    with open(os.path.join(exp, "index.tsv")) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            idx[(int(r["stream"]), r["direction"])] = r
except OSError as e:
    print("no index.tsv (%s)" % e.strerror)
    sys.exit(0)
bad, checked, content_bad, content_checked, all_lost = [], 0, 0, 0, 0
for line in open(man):
    c = line.rstrip("\n").split("\t")
    sid = int(c[0])
    for d, size, lost, boff in (("client", int(c[3]), int(c[5]), int(c[7])),
                                ("server", int(c[4]), int(c[6]), int(c[8]))):
        checked += 1
        r = idx.get((sid, d))
        if r is None:
            if lost and size <= lost * 1448:
                all_lost += 1  # not a byte of it in the capture
            else:
                bad.append("%d %s: not exported" % (sid, d))
            continue
        got, gap, gaps = int(r["bytes"]), int(r["gap_bytes"]), int(r["gaps"])
        if got + gap != size or (gaps > 0) != (lost > 0):
            bad.append("%d %s: %d bytes + %d in %d gaps, sent %d with %d segments lost"
                       % (sid, d, got, gap, gaps, size, lost))
            continue
        if lost == 0 and content_checked < 1000:
            content_checked += 1
            with open(os.path.join(exp, r["file"]), "rb") as f:
                if f.read() != block[boff:boff + size]:
                    content_bad += 1
                    bad.append("%d %s: content differs" % (sid, d))
print("%d of %d directions as sent (byte and gap counts); content of %d complete"
      " directions checked, %d differ" % (checked - len(bad) - all_lost, checked,
                                          content_checked, content_bad))
if all_lost:
    print("           %d directions had every segment lost from the capture and"
          " are not in index.tsv" % all_lost)
for b in bad[:10]:
    print("           " + b)
EOF
)
rm -rf "$work/export"
measure "tapir --stats conv" "$tapir" -r "$pcap" --stats conv
if [ "$with_tshark" = 1 ]; then
	measure "tshark -q -z conv,tcp" tshark -n -r "$pcap" -q -z conv,tcp
fi

packets=$(python3 -c '
import struct, sys
f = open(sys.argv[1], "rb"); f.read(24); n = 0
while True:
    h = f.read(16)
    if len(h) < 16: break
    f.seek(struct.unpack("<IIII", h)[2], 1); n += 1
print(n)' "$pcap")
expect=$(awk -F'\t' '{ b += $4 + $5; l += $6 + $7 } END { printf "%d bytes of payload, %d segments lost from the capture", b, l }' "$work/manifest.tsv")

echo
echo "capture: $(stat -c %s "$pcap") bytes, $packets packets, $conns TCP connections ($expect)"
echo "export:  $nfiles files, $nbytes bytes (lost segments are holes: counted in the file sizes when not at the end)"
echo "         $verify"
echo
printf '| %-46s | %9s | %7s | %7s | %s |\n' "command (-r big.pcap)" "peak MiB" "wall s" "CPU s" "verdict"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------------------" "-----------" "---------" "---------" "--------"
printf '%s' "$rows"
exit $fail
