#!/bin/sh
# run.sh - the threads change nothing: the read-ahead thread (--threads
# 2, the default with two CPUs) and the printer thread (--threads 3, never
# by default).
#
# Every golden test (tests/golden/TESTLIST) run with --threads 1, 2 and 3
# gives the same stdout, stderr and exit status, byte for byte (the
# goldens run with the default: this is what runs one thread and the
# printer thread over pcaps/).  Then tapir reads a FIFO that stays open
# (not a regular file: no read-ahead), and its thread count in /proc is
# checked: 1 by default (-r, -v, -x, -T fields), 2 with --threads 3.
# Prints "N identical, N differ"; exits non-zero on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${top_srcdir:-$here/../..}" && pwd)
bin=${TAPIR:-$(cd "${top_builddir:-$top}" && pwd)/src/tapir}
list=$top/tests/golden/TESTLIST
outdir=${TMPDIR:-/tmp}/tapir-threads.$$
mkdir -p "$outdir"
trap 'rm -rf "$outdir"' EXIT

run_one() { # threads capture args
	n=$1 cap=$2
	# EXPORTDIR: a fresh directory, outside the source tree (as in
	# tests/golden/run.sh); its index is part of the output compared
	exp=$outdir/export
	rm -rf "$exp"
	eval "set -- $(printf '%s' "$3" | sed "s|EXPORTDIR|$exp|g")"
	(cd "$top/pcaps" || exit 0
	 case "$cap" in
	 stdin:*) TZ=UTC LC_ALL=C "$bin" --threads "$n" -r - "$@" < "${cap#stdin:}" 2>&1 ;;
	 none) TZ=UTC LC_ALL=C "$bin" --threads "$n" "$@" 2>&1 ;;
	 *) TZ=UTC LC_ALL=C "$bin" --threads "$n" -r "$cap" "$@" 2>&1 ;;
	 esac
	 echo "[exit $?]"
	 [ -f "$exp/index.tsv" ] && cat "$exp/index.tsv"
	 exit 0)
}

same=0 differ=0
while read -r name cap args; do
	case "$name" in ''|'#'*) continue ;; esac
	run_one 1 "$cap" "$args" > "$outdir/1"
	run_one 2 "$cap" "$args" > "$outdir/2"
	run_one 3 "$cap" "$args" > "$outdir/3"
	if cmp -s "$outdir/1" "$outdir/2" && cmp -s "$outdir/1" "$outdir/3"; then
		same=$((same + 1))
	else
		echo "FAIL: $name: --threads 1, 2 and 3 differ (tapir -r $cap $args)"
		diff -u "$outdir/1" "$outdir/2" | head -20
		diff -u "$outdir/1" "$outdir/3" | head -20
		differ=$((differ + 1))
	fi
done < "$list"
echo "threads: $same identical, $differ differ"

# threads of tapir ARGS -r FIFO while it waits for more packets
fifo=$outdir/fifo
bad=0
count_threads() { # expected args...
	want=$1
	shift
	rm -f "$fifo"
	mkfifo "$fifo" || return 1
	"$bin" -l "$@" -r "$fifo" > "$outdir/fifo.out" 2>&1 &
	pid=$!
	exec 3> "$fifo"
	# more than zlib's 256 KiB read-ahead, which waits for a full buffer
	cat "$top/pcaps/messy-http.pcap" >&3
	i=0 # until the packets are printed: tapir waits for more
	while [ ! -s "$outdir/fifo.out" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	sleep 0.1
	got=$(ls "/proc/$pid/task" 2>/dev/null | wc -l)
	exec 3>&-
	wait $pid
	if [ "$got" != "$want" ]; then
		echo "FAIL: tapir $* -r FIFO runs $got threads, not $want"
		bad=$((bad + 1))
	fi
}
count_threads 1
count_threads 1 -v
count_threads 1 -x
count_threads 1 -T fields -e frame.number
count_threads 2 --threads 3
count_threads 2 -v --threads 3
count_threads 1 -v --threads 2
count_threads 1 -v --threads 1
echo "threads: FIFO: one thread by default, two with the printer: $((8 - bad)) of 8 right"
[ "$differ" -eq 0 ] && [ "$same" -gt 0 ] && [ "$bad" -eq 0 ]
