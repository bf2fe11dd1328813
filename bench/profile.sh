#!/usr/bin/env bash
# profile.sh - instructions per packet (callgrind) and where they go, plus perf when allowed.
#
#   bench/profile.sh [--packets N] [--data DIR] [--out DIR] [--no-perf]
#
# Cuts the first N packets (default 20 000) of DIR/realistic.pcap (made by
# bench/make-realistic.sh) into a slice and runs under
# valgrind --tool=callgrind:
#   tapir -r SLICE                       (default one-line output)
#   tapir -V -r SLICE                    (detail tree)
#   tapir -r SLICE --export-streams DIR  (reassembly to files)
#   tcpdump -nn -r SLICE, tcpdump -nn -v -r SLICE, pcapcount SLICE  (for scale)
# and prints instructions per packet for each, then for each tapir command
# the top functions by self and by inclusive cost (callgrind_annotate).
# Instruction counts are repeatable on a noisy machine, unlike times.
# Then, when the kernel allows perf (perf_event_paranoid, root), perf stat
# (instructions, cycles, IPC) of tapir -r and tcpdump -nn -r on the whole
# realistic.pcap and perf record/report of tapir -r on it.
# The callgrind files stay in OUT (default /tmp/tapir-bench-profile) for
# callgrind_annotate --auto=yes FILE (per line) or kcachegrind.
# tapir runs with --no-sandbox -Z root (valgrind cannot run under the
# seccomp filter, and the output file is written as root).
# Needs valgrind (apt-get install valgrind), tcpdump, cc, libpcap-dev;
# perf (linux-perf) optional.  About 20 seconds.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
TAPIR=${TAPIR:-$top/src/tapir}
DATA=/tmp/tapir-bench-data OUT=/tmp/tapir-bench-profile npk=20000 perf=1
while [ $# -gt 0 ]; do
	case $1 in
	--packets) npk=$2; shift ;;
	--data) DATA=$2; shift ;;
	--out) OUT=$2; shift ;;
	--no-perf) perf=0 ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d'; exit 0 ;;
	*) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
command -v valgrind >/dev/null || { echo "profile.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -r "$DATA/realistic.pcap" ] || { echo "profile.sh: no $DATA/realistic.pcap: run sudo bench/make-realistic.sh" >&2; exit 1; }
mkdir -p "$OUT"
slice=$OUT/slice.pcap
tcpdump -r "$DATA/realistic.pcap" -c "$npk" -w "$slice" 2>/dev/null
npk=$(tcpdump -r "$slice" 2>/dev/null | wc -l)
cc -O2 -g -o "$OUT/pcapcount" "$top/bench/pcapcount.c" -lpcap || exit 1
T=("$TAPIR" --no-sandbox -Z root)

slug() { echo "$1" | tr -c 'a-zA-Z0-9\n' _; }
# cg NAME CMD...: callgrind the command, print its instructions per packet
cg() {
	local name=$1 slug
	shift
	slug=$(slug "$name")
	rm -rf "$OUT/export"
	valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$slug" "$@" >/dev/null 2>"$OUT/vg.$slug" ||
		{ echo "profile.sh: $name failed:"; tail -5 "$OUT/vg.$slug"; }
	local ir
	ir=$(sed -n 's/^==[0-9]*== Collected : //p' "$OUT/vg.$slug")
	printf '| %-38s | %14s | %8s |\n' "$name" "$ir" "$(awk -v i="$ir" -v n="$npk" 'BEGIN { printf "%.0f", i / n }')"
}
echo "slice: the first $npk packets of realistic.pcap ($(stat -c %s "$slice") bytes)"
echo
printf '| %-38s | %14s | %8s |\n' command "instructions" "per pkt"
printf '|%s|%s|%s|\n' "----------------------------------------" "---------------:" "---------:"
cg "tapir -r" "${T[@]}" -r "$slice"
cg "tapir -V -r" "${T[@]}" -V -r "$slice"
cg "tapir -r --export-streams" "${T[@]}" -r "$slice" --export-streams "$OUT/export"
cg "tcpdump -nn -r" tcpdump -Z root -nn -r "$slice"
cg "tcpdump -nn -v -r" tcpdump -Z root -nn -v -r "$slice"
cg "pcapcount" "$OUT/pcapcount" "$slice"
rm -rf "$OUT/export"

for name in "tapir -r" "tapir -V -r" "tapir -r --export-streams"; do
	f="$OUT/cg.$(slug "$name")"
	echo
	echo "== $name: self cost (top 25) =="
	callgrind_annotate "$f" 2>/dev/null | sed -n '/^Ir .*file:function/,$p' | sed -n '3,27p' |
		sed -E "s#/[^ ]*/(src|dissectors|include)/#\1/#"
	echo
	echo "== $name: inclusive cost (top 30) =="
	callgrind_annotate --inclusive=yes "$f" 2>/dev/null | sed -n '/^Ir .*file:function/,$p' |
		grep -v -e '(below main)' -e 'ld-linux' -e '__libc_start' | sed -n '3,32p' |
		sed -E "s#/[^ ]*/(src|dissectors|include)/#\1/#"
done

[ "$perf" = 1 ] || exit 0
if ! command -v perf >/dev/null || ! perf stat -e task-clock true >/dev/null 2>&1; then
	echo
	echo "(perf not available here: skipped)"
	exit 0
fi
S=$DATA/realistic.pcap
echo
echo "== perf stat on $(basename "$S") =="
for c in "tapir -r" "tcpdump -nn -r"; do
	if [ "$c" = "tapir -r" ]; then set -- "$TAPIR" -r "$S"; else set -- tcpdump -nn -r "$S"; fi
	perf stat -x, -e instructions,cycles,task-clock -o "$OUT/perfstat" "$@" >/dev/null 2>&1
	awk -F, -v c="$c" '/instructions/ { i = $1 } /cycles/ { y = $1 } /task-clock/ { t = $1 }
		END { if (i + 0 > 0 && y + 0 > 0)
			printf "%-16s %6.2f G instructions, %6.2f G cycles, IPC %.2f, %.0f ms CPU\n", c, i / 1e9, y / 1e9, i / y, t
		else
			printf "%-16s %.0f ms CPU (no hardware counters in this VM)\n", c, t }' "$OUT/perfstat"
done
echo
echo "== perf record: tapir -r $(basename "$S"), self cost by symbol (top 25) =="
perf record -q -F 2999 -o "$OUT/perf.data" "$TAPIR" --no-sandbox -r "$S" >/dev/null 2>&1
perf report -i "$OUT/perf.data" --stdio --no-children --percent-limit 0.7 2>/dev/null |
	grep -v '^#' | grep -v '^$' | head -25
