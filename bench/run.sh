#!/usr/bin/env bash
# run.sh - tapir against tcpdump, tshark and tcpflow, side by side on the same files.
#
#   bench/run.sh [--quick] [--runs N] [--data DIR] [--no-hosts] [--no-verify]
#                [--markdown FILE] [--only REGEX]
#
# Times every command RUNS times (default 3) in rounds: each round runs
# every command once, tapir next to its peer, the order reversed every
# other round (the machine is shared and noisy: the ratios of one run are
# what counts, not the absolute times).  Reports the median wall time, the
# peak RSS (/usr/bin/time -v "Maximum resident set size", the largest of
# the runs), nanoseconds per packet, the time against the floor of the same
# file (a bare counting pcap_loop, bench/pcapcount.c, built here with
# cc -O2 -lpcap), and for each pair the ratio tapir/peer with the target of
# issue 5.  Every command writes to /dev/null; --export-streams, tcpflow and
# both --export-objects http write into $EXPORT_DIR (default
# /dev/shm/tapir-bench-export, a tmpfs:
# on this machine's ext4 creating a file costs ~0.5 ms, which would
# measure the disk, not the tools).
#
# Files (made by sudo bench/make-realistic.sh; DIR default /tmp/tapir-bench-data):
#   big.pcap        ~1.1 GB: default output, -v, tshark -r, BPF, memory
#   realistic.pcap  ~110 MB, "the slice": tshark -V, follow, export, fields,
#                   conv, JSON; and the per-packet cost against big.pcap
#   hosts16.pcap    ~330 MB, 20 000 hosts in one /16 (tcpdump #1136)
# --quick uses the slice in place of big.pcap (about 2 minutes for 3 runs
# instead of about 7); --no-hosts skips hosts16.pcap (tcpdump needs ~14 s
# a run there).
# Before timing, --verify (the default) checks once on the slice that
# tapir and the peer agree: -T fields, follow and conv byte for byte with
# tshark, the line count of the default output with tcpdump's, the bytes
# exported with tcpflow's.
#
# --markdown FILE also writes the tables to FILE; --only REGEX times only
# the commands whose id (e.g. tapir.B, tcpdump.B, tapirexport.S, tcpflow.S,
# count.H: see the job lines below) matches the extended REGEX.
# Environment: TAPIR (default ./src/tapir), DATA, EXPORT_DIR, FIELDS (the
# -e list), FOLLOW (default tcp.stream==0).  Needs tcpdump, tshark,
# tcpflow, libpcap-dev, GNU time (apt-get install tcpdump tshark tcpflow
# libpcap-dev time).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
TAPIR=${TAPIR:-$top/src/tapir}
DATA=${DATA:-/tmp/tapir-bench-data}
EXPORT_DIR=${EXPORT_DIR:-/dev/shm/tapir-bench-export}
FOLLOW=${FOLLOW:-tcp.stream==0}
FIELDS=${FIELDS:-frame.number frame.time_epoch ip.src ip.dst ipv6.src ipv6.dst tcp.srcport tcp.dstport tcp.stream tcp.seq tcp.ack tcp.len udp.stream}
runs=3 quick=0 hosts=1 verify=1 md='' only=''
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--runs) runs=$2; shift ;;
	--data) DATA=$2; shift ;;
	--no-hosts) hosts=0 ;;
	--no-verify) verify=0 ;;
	--markdown) md=$2; shift ;;
	--only) only=$2; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d'; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
TIME=/usr/bin/time
for t in tcpdump tshark tcpflow cc; do
	command -v $t >/dev/null || { echo "run.sh: needs $t (apt-get install tcpdump tshark tcpflow gcc libpcap-dev time)" >&2; exit 1; }
done
[ -x $TIME ] || { echo "run.sh: needs $TIME (apt-get install time)" >&2; exit 1; }
[ -x "$TAPIR" ] || { echo "run.sh: no tapir at $TAPIR (TAPIR=...)" >&2; exit 1; }
S=$DATA/realistic.pcap B=$DATA/big.pcap H=$DATA/hosts16.pcap
[ "$quick" = 1 ] && B=$S
for f in $S $B; do
	[ -r "$f" ] || { echo "run.sh: no $f: run sudo bench/make-realistic.sh first" >&2; exit 1; }
done
[ "$hosts" = 1 ] && [ ! -r "$H" ] && { echo "run.sh: no $H (--no-hosts to skip)" >&2; exit 1; }
FILES=$(printf '%s\n' "$S" "$B" | sort -u)
[ "$hosts" = 1 ] && FILES="$FILES $H"

W=$(mktemp -d /tmp/tapir-bench-run.XXXXXX) || exit 1
cleanup() { rm -rf "$W" "$EXPORT_DIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cc -O2 -Wall -o "$W/pcapcount" "$top/bench/pcapcount.c" -lpcap || exit 1
COUNT=$W/pcapcount
efl=()
for f in $FIELDS; do efl+=(-e "$f"); done

# ------------------------------------------------------------ packets --
declare -A NPKT
for f in $FILES; do
	cat "$f" >/dev/null   # into the page cache
	NPKT[$f]=$("$COUNT" "$f" | cut -d' ' -f1)
done

# ---------------------------------------------------------------- jobs --
# job ID FILE LABEL PREP -- CMD...: one command to time; PREP runs
# (untimed) before each run.  Jobs are timed in the order declared.
J_ID=() J_FILE=() J_LABEL=() J_PREP=() J_CMD=()
declare -A IDX
job() {
	local id=$1 file=$2 label=$3 prep=$4
	shift 5
	[ -z "$only" ] || [[ $id =~ $only ]] || return 0
	IDX[$id]=${#J_ID[@]}
	J_ID+=("$id") J_FILE+=("$file") J_LABEL+=("$label") J_PREP+=("$prep")
	J_CMD+=("$(printf '%q ' "$@")")
}
# pair NAME TAPIR_ID PEER_ID TARGET: a row of the comparison table;
# TARGET is the largest tapir/peer time ratio that meets issue 5 ("-": none)
C_NAME=() C_T=() C_P=() C_TARGET=()
pair() { C_NAME+=("$1") C_T+=("$2") C_P+=("$3") C_TARGET+=("$4"); }
has() { [ -n "${IDX[$1]+x}" ]; }

ex=$EXPORT_DIR
job count.B "$B" "pcap_loop count (floor)" "" -- "$COUNT" "$B"
job cat.B "$B" "cat > /dev/null" "" -- cat "$B"
job tcpdump.B "$B" "tcpdump -nn -r" "" -- tcpdump -nn -r "$B"
job tapir.B "$B" "tapir -r" "" -- "$TAPIR" -r "$B"
job tcpdumpv.B "$B" "tcpdump -nn -v -r" "" -- tcpdump -nn -v -r "$B"
job tapirv.B "$B" "tapir -V -r" "" -- "$TAPIR" -V -r "$B"
job tapirtv.B "$B" "tapir -v -r (tcpdump's verbose text)" "" -- "$TAPIR" -v -r "$B"
# the default (a read-ahead thread) against one thread and against the
# printer thread as well (issue 14)
job tapirt1.B "$B" "tapir -r --threads 1" "" -- "$TAPIR" -r "$B" --threads 1
job tapirt3.B "$B" "tapir -r --threads 3" "" -- "$TAPIR" -r "$B" --threads 3
job countbpf.B "$B" "pcap_loop count 'tcp port 443' (floor)" "" -- "$COUNT" "$B" "tcp port 443"
job tcpdumpbpf.B "$B" "tcpdump -nn -r 'tcp port 443'" "" -- tcpdump -nn -r "$B" "tcp port 443"
job tapirbpf.B "$B" "tapir -r 'tcp port 443'" "" -- "$TAPIR" -r "$B" "tcp port 443"
job tapirconv.B "$B" "tapir --stats conv" "" -- "$TAPIR" -r "$B" --stats conv
# three quarters: past the point where the flow table reaches its cap
# (65536 flows, at about 70% of big.pcap); before it, memory grows with
# the flows, as it must
half=$(( ${NPKT[$B]} * 3 / 4 ))
job tapirhalf.B "$B" "tapir -r -c $half (the first three quarters)" "" -- "$TAPIR" -r "$B" -c "$half"
job tshark.B "$B" "tshark -n -r" "" -- tshark -n -r "$B"
# --tls (issue 19): one JSON report per TLS connection against tshark
# printing the ClientHellos' fields (the same facts a line each)
tlsf=(-e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst
      -e tcp.dstport -e tls.handshake.extensions_server_name
      -e tls.handshake.extensions_alpn_str
      -e tls.handshake.extensions.supported_version -e tls.handshake.ja3)
job tapirtls.B "$B" "tapir --tls -T json" "" -- "$TAPIR" -r "$B" --tls -T json
job tsharktls.B "$B" "tshark -Y tls.handshake.type==1 -T fields -e ... (11 fields)" "" -- \
	tshark -n -r "$B" -Y "tls.handshake.type==1" -T fields "${tlsf[@]}"
if [ "$quick" = 0 ]; then
	job count.S "$S" "pcap_loop count (floor)" "" -- "$COUNT" "$S"
	job cat.S "$S" "cat > /dev/null" "" -- cat "$S"
	job tcpdump.S "$S" "tcpdump -nn -r" "" -- tcpdump -nn -r "$S"
	job tapir.S "$S" "tapir -r" "" -- "$TAPIR" -r "$S"
	job tapirv.S "$S" "tapir -V -r" "" -- "$TAPIR" -V -r "$S"
fi
job tapirvt1.S "$S" "tapir -V -r --threads 1" "" -- "$TAPIR" -V -r "$S" --threads 1
job tapirvt3.S "$S" "tapir -V -r --threads 3" "" -- "$TAPIR" -V -r "$S" --threads 3
job tsharkV.S "$S" "tshark -n -V -r" "" -- tshark -n -V -r "$S"
job tapirfollow.S "$S" "tapir --follow $FOLLOW --follow-format hexraw" "" -- \
	"$TAPIR" -r "$S" --follow "$FOLLOW" --follow-format hexraw
job tsharkfollow.S "$S" "tshark -q -z follow,tcp,raw,${FOLLOW##*==}" "" -- \
	tshark -n -r "$S" -q -z "follow,tcp,raw,${FOLLOW##*==}"
job tapirexport.S "$S" "tapir --export-streams DIR" "rm -rf $ex" -- "$TAPIR" -r "$S" --export-streams "$ex"
job tcpflow.S "$S" "tcpflow -o DIR" "rm -rf $ex; mkdir -p $ex" -- tcpflow -r "$S" -o "$ex"
job tapirexporttcp.S "$S" "tapir --export-streams DIR tcp" "rm -rf $ex" -- "$TAPIR" -r "$S" --export-streams "$ex" tcp
job tcpflowtcp.S "$S" "tcpflow -o DIR tcp" "rm -rf $ex; mkdir -p $ex" -- tcpflow -r "$S" -o "$ex" tcp
job tapirexpobj.S "$S" "tapir --export-objects http,DIR" "rm -rf $ex" -- "$TAPIR" -r "$S" --export-objects "http,$ex"
job tsharkexpobj.S "$S" "tshark -q --export-objects http,DIR" "rm -rf $ex; mkdir -p $ex" -- tshark -n -r "$S" -q --export-objects "http,$ex"
job tapirfields.S "$S" "tapir -T fields -e ... ($(echo $FIELDS | wc -w) fields)" "" -- "$TAPIR" -r "$S" -T fields "${efl[@]}"
job tsharkfields.S "$S" "tshark -T fields -e ... (the same)" "" -- tshark -n -r "$S" -T fields "${efl[@]}"
# -Y (issue 21): the same display filter in both
yexpr='ip.addr == 10.98.0.2 and tcp.port == 443'
job tapiry.S "$S" "tapir -Y '$yexpr'" "" -- "$TAPIR" -r "$S" -Y "$yexpr"
job tsharky.S "$S" "tshark -Y '$yexpr'" "" -- tshark -n -r "$S" -Y "$yexpr"
job tapirconv.S "$S" "tapir --stats conv,tcp" "" -- "$TAPIR" -r "$S" --stats conv,tcp
job tsharkconv.S "$S" "tshark -q -z conv,tcp" "" -- tshark -n -r "$S" -q -z conv,tcp
# -T json joins the day tapir has it
if "$TAPIR" -r "$top/pcaps/tcp-curl-http.pcap" -T json -c 1 >/dev/null 2>&1; then
	job tapirjson.S "$S" "tapir -T json" "" -- "$TAPIR" -r "$S" -T json
	job tsharkjson.S "$S" "tshark -T json" "" -- tshark -n -r "$S" -T json
fi
if [ "$hosts" = 1 ]; then
	job count.H "$H" "pcap_loop count (floor)" "" -- "$COUNT" "$H"
	job tcpdump.H "$H" "tcpdump -nn -r" "" -- tcpdump -nn -r "$H"
	job tapir.H "$H" "tapir -r" "" -- "$TAPIR" -r "$H"
fi

pair "default one-line: tapir -r vs tcpdump -nn -r" tapir.B tcpdump.B 0.3333
pair "default one-line vs the counting floor (x floor)" tapir.B count.B 5
pair "-v verbose line vs tcpdump -nn -v (no target)" tapirtv.B tcpdumpv.B -
pair "-V tree vs tcpdump -nn -v (no target)" tapirv.B tcpdumpv.B -
pair "default one-line vs tshark -r (no target)" tapir.B tshark.B -
pair "-V tree vs tshark -V (slice)" tapirv.S tsharkV.S 0.1
has tapirv.S || pair "-V tree vs tshark -V (slice)" tapirv.B tsharkV.S 0.1
has tapirjson.S && pair "-T json vs tshark -T json (slice)" tapirjson.S tsharkjson.S 0.02
pair "--follow one stream vs tshark -z follow (slice)" tapirfollow.S tsharkfollow.S 0.1
# tcpflow exports TCP only; tapir by default TCP and UDP (twice the files
# on the slice), so the target is on the pair that does the same work
pair "--export-streams vs tcpflow, both 'tcp' (slice)" tapirexporttcp.S tcpflowtcp.S 0.5
pair "--export-streams (TCP and UDP) vs tcpflow (TCP only; no target)" tapirexport.S tcpflow.S -
pair "--export-objects http vs tshark's (slice)" tapirexpobj.S tsharkexpobj.S 0.1
pair "BPF 'tcp port 443': tapir vs tcpdump" tapirbpf.B tcpdumpbpf.B 1
pair "--tls -T json vs tshark -Y tls.handshake.type==1 -T fields" tapirtls.B tsharktls.B 0.05
pair "-Y 'ip.addr == X and tcp.port == 443' vs tshark -Y (slice)" tapiry.S tsharky.S 0.05
pair "-T fields vs tshark -T fields (slice; no target)" tapirfields.S tsharkfields.S -
pair "--stats conv,tcp vs tshark -z conv,tcp (slice; no target)" tapirconv.S tsharkconv.S -
# the default against one thread: never slower (CPU s: first table)
pair "default one-line vs --threads 1 (no target)" tapir.B tapirt1.B -
pair "--threads 3 (printer thread) vs --threads 1, one-line (no target)" tapirt3.B tapirt1.B -
pair "-V tree, default vs --threads 1 (slice; no target)" tapirv.S tapirvt1.S -
has tapirv.S || pair "-V tree, default vs --threads 1 (slice; no target)" tapirv.B tapirvt1.S -
pair "-V tree, --threads 3 vs --threads 1 (slice; no target)" tapirvt3.S tapirvt1.S -


# ------------------------------------------------------------- verify --
checks=
if [ "$verify" = 1 ]; then
	echo "verifying on $(basename "$S") ..." >&2
	v() { checks="$checks- $1: $2"$'\n'; }
	"$TAPIR" -r "$S" -T fields "${efl[@]}" > "$W/a" 2>/dev/null
	tshark -n -r "$S" -T fields "${efl[@]}" > "$W/b" 2>/dev/null
	cmpout() { if cmp -s "$W/a" "$W/b"; then echo "identical ($(wc -l < "$W/a") lines)"; else
		echo "DIFFER: $(diff "$W/a" "$W/b" | grep -c '^[<>]') lines of $(wc -l < "$W/b")"; fi; }
	v "-T fields, tapir vs tshark" "$(cmpout)"
	"$TAPIR" -r "$S" --follow "$FOLLOW" --follow-format hexraw > "$W/a" 2>/dev/null
	tshark -n -r "$S" -q -z "follow,tcp,raw,${FOLLOW##*==}" > "$W/b" 2>/dev/null
	v "--follow $FOLLOW hexraw vs tshark -z follow,tcp,raw" "$(cmpout)"
	"$TAPIR" -r "$S" -Y "$yexpr" -T fields -e frame.number > "$W/a" 2>/dev/null
	tshark -n -r "$S" -Y "$yexpr" -T fields -e frame.number > "$W/b" 2>/dev/null
	v "-Y '$yexpr' frames, tapir vs tshark" "$(cmpout)"
	# --tls: a report per connection with a ClientHello and a
	# ServerHello, as many as tshark counts (on the slice)
	ntls=$("$TAPIR" -r "$S" --tls -T json 2>/dev/null | grep -c '"version":')
	nts=$(tshark -n -r "$S" -Y "tls.handshake.type==1 || tls.handshake.type==2" -T fields -e tcp.stream -e tls.handshake.type 2>/dev/null |
		awk -F'\t' '$2 ~ /(^|,)1(,|$)/ { c[$1] = 1 } $2 ~ /(^|,)2(,|$)/ { s[$1] = 1 } END { n = 0; for (k in c) if (k in s) n++; print n }')
	v "--tls reports with both hellos vs tshark's streams with both" "$ntls vs $nts"
	"$TAPIR" -r "$S" --stats conv,tcp > "$W/a" 2>/dev/null
	tshark -n -r "$S" -q -z conv,tcp > "$W/b" 2>/dev/null
	v "--stats conv,tcp vs tshark -q -z conv,tcp" "$(cmpout)"
	a=$("$TAPIR" -r "$S" 2>/dev/null | wc -l) b=$(tcpdump -nn -r "$S" 2>/dev/null | wc -l)
	v "default output lines, tapir vs tcpdump" "$a vs $b ($(basename "$S") has ${NPKT[$S]} packets)"
	a=$("$TAPIR" -r "$B" "tcp port 443" 2>/dev/null | wc -l) b=$(tcpdump -nn -r "$B" "tcp port 443" 2>/dev/null | wc -l)
	v "'tcp port 443' lines, tapir vs tcpdump ($(basename "$B"))" "$a vs $b"
	rm -rf "$ex"; "$TAPIR" -r "$S" --export-streams "$ex" tcp 2>/dev/null
	a="$(find "$ex" -type f ! -name index.tsv | wc -l) files, $(find "$ex" -type f ! -name index.tsv -printf '%s\n' | awk '{s+=$1} END {print s+0}') bytes"
	rm -rf "$ex"; mkdir -p "$ex"; tcpflow -r "$S" -o "$ex" tcp >/dev/null 2>&1
	b="$(find "$ex" -type f ! -name report.xml | wc -l) files, $(find "$ex" -type f ! -name report.xml -printf '%s\n' | awk '{s+=$1} END {print s+0}') bytes"
	v "export 'tcp', tapir vs tcpflow" "$a vs $b"
	rm -rf "$ex"; "$TAPIR" -r "$S" --export-streams "$ex" 2>/dev/null
	v "export (everything), tapir" "$(find "$ex" -type f ! -name index.tsv | wc -l) files (TCP and UDP; tcpflow writes TCP only)"
	# --export-objects: tapir finds every object tshark finds (by SHA-256)
	rm -rf "$ex"; "$TAPIR" -r "$S" --export-objects "http,$ex" 2>/dev/null
	tail -n +2 "$ex/index.tsv" | cut -f8 | sort > "$W/a"
	rm -rf "$ex"; mkdir -p "$ex"; tshark -n -r "$S" -q --export-objects "http,$ex" >/dev/null 2>&1
	find "$ex" -type f -exec sha256sum {} + | cut -d' ' -f1 | sort > "$W/b"
	v "--export-objects http, tapir vs tshark" "$(wc -l < "$W/a") objects vs $(wc -l < "$W/b"), $(comm -13 "$W/a" "$W/b" | wc -l) of tshark's not in tapir's"
	rm -rf "$ex"
	printf '%s' "$checks" >&2
fi

# --------------------------------------------------------------- time --
run_job() { # index round
	local i=$1 r=$2 t0 t1 rss rc cpu
	[ -n "${J_PREP[i]}" ] && eval "${J_PREP[i]}"
	eval "set -- ${J_CMD[i]}"
	t0=$(date +%s%N)
	$TIME -v -o "$W/time" "$@" >/dev/null 2>"$W/err"
	t1=$(date +%s%N)
	rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$W/time")
	rc=$(sed -n 's/^[[:space:]]*Exit status: //p' "$W/time")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%d", s * 1e6 }' "$W/time")
	echo "$(( (t1 - t0) / 1000 )) ${rss:-0} ${rc:-?} ${cpu:-0}" >> "$W/res.${J_ID[i]}"
	case ${J_ID[i]} in tapir*) [ -s "$W/err" ] && head -c 300 "$W/err" | head -2 > "$W/stderr.${J_ID[i]}" ;; esac
}
n=${#J_ID[@]}
t_start=$(date +%s)
for ((r = 1; r <= runs; r++)); do
	echo "round $r of $runs ($n commands) ..." >&2
	if ((r % 2)); then order=$(seq 0 $((n - 1))); else order=$(seq $((n - 1)) -1 0); fi
	for i in $order; do run_job "$i" "$r"; done
done
rm -rf "$ex"

# -------------------------------------------------------------- table --
declare -A MED RSS RC CPU
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
floor_of() { case $1 in "$B") echo count.B ;; "$H") echo count.H ;; *) has count.S && echo count.S || echo count.B ;; esac; }
for ((i = 0; i < n; i++)); do
	id=${J_ID[i]}
	MED[$id]=$(cut -d' ' -f1 "$W/res.$id" | median)
	RSS[$id]=$(cut -d' ' -f2 "$W/res.$id" | sort -n | tail -1)
	RC[$id]=$(cut -d' ' -f3 "$W/res.$id" | sort -u | tr '\n' ' ')
	CPU[$id]=$(cut -d' ' -f4 "$W/res.$id" | median)
done
sec() { awk -v u="$1" 'BEGIN { printf (u < 10000000 ? "%.3f" : "%.2f"), u / 1e6 }'; }
out() { printf '%s\n' "$*"; [ -n "$md" ] && printf '%s\n' "$*" >> "$md"; }
[ -n "$md" ] && : > "$md"
out ""
out "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Debian $(cat /etc/debian_version), $(uname -r)"
case $TAPIR in
"$top"/*) built="git $(git -C "$top" log -1 --format=%h 2>/dev/null)$(git -C "$top" diff --quiet HEAD -- src dissectors include 2>/dev/null || echo ' + uncommitted changes')" ;;
*) built="$TAPIR" ;;
esac
out "$("$TAPIR" --version 2>&1 | head -1) ($built), $(tcpdump --version 2>&1 | head -1), $(tcpdump --version 2>&1 | sed -n 2p), $(tshark --version 2>/dev/null | head -1 | awk '{ print $1, $3 }'), $(tcpflow -V 2>&1 | head -1)"
for f in $FILES; do
	out "$(basename "$f"): $(stat -c %s "$f") bytes, ${NPKT[$f]} packets"
done | sort -u
out "$runs runs each, alternating; median wall time; peak RSS = largest of the runs; $(($(date +%s) - t_start)) s in all."
out ""
out "| command | file | median s | CPU s | peak MiB | ns/packet | x floor |"
out "|---|---|---:|---:|---:|---:|---:|"
for ((i = 0; i < n; i++)); do
	id=${J_ID[i]} f=${J_FILE[i]}
	fl=$(floor_of "$f")
	bad=
	[ "${RC[$id]}" = "0 " ] || bad=" (exit ${RC[$id]% })"
	out "| ${J_LABEL[i]}$bad | $(basename "$f") | $(sec "${MED[$id]}") | $(sec "${CPU[$id]}") | $(awk -v k="${RSS[$id]}" 'BEGIN { printf "%.1f", k / 1024 }') | $(awk -v u="${MED[$id]}" -v p="${NPKT[$f]}" 'BEGIN { printf "%.0f", u * 1000 / p }') | $(has "$fl" && awk -v a="${MED[$id]}" -v b="${MED[$fl]}" 'BEGIN { printf "%.1f", a / b }' || echo -) |"
done
out ""
out "| comparison | tapir s | peer s | tapir/peer | peer/tapir | target tapir/peer | met |"
out "|---|---:|---:|---:|---:|---:|---|"
for ((c = 0; c < ${#C_NAME[@]}; c++)); do
	a=${C_T[c]} b=${C_P[c]} tg=${C_TARGET[c]}
	has "$a" && has "$b" || continue
	ratio=$(awk -v a="${MED[$a]}" -v b="${MED[$b]}" 'BEGIN { printf "%.3f", a / b }')
	inv=$(awk -v a="${MED[$a]}" -v b="${MED[$b]}" 'BEGIN { printf "%.1fx", b / a }')
	if [ "$tg" = - ]; then met="-" tgs="-"
	elif [ "$b" = count.B ]; then
		# against the floor: the target is tapir <= tg x floor
		ratio=$(awk -v a="${MED[$a]}" -v b="${MED[$b]}" 'BEGIN { printf "%.1fx", a / b }') inv="-"
		tgs="<= ${tg}x floor"
		met=$(awk -v a="${MED[$a]}" -v b="${MED[$b]}" -v t="$tg" 'BEGIN { print (a / b <= t ? "yes" : "NO") }')
	else
		tgs="<= $tg"
		met=$(awk -v r="$ratio" -v t="$tg" 'BEGIN { print (r <= t ? "yes" : "NO") }')
	fi
	out "| ${C_NAME[c]} | $(sec "${MED[$a]}") | $(sec "${MED[$b]}") | $ratio | $inv | $tgs | $met |"
done
# memory and scaling
mib() { awk -v k="${RSS[$1]}" 'BEGIN { printf "%.1f", k / 1024 }'; }
nsp() { awk -v u="${MED[$1]}" -v p="${NPKT[$2]}" 'BEGIN { printf "%.0f", u * 1000 / p }'; }
out ""
out "| scaling and memory | measured | target | met |"
out "|---|---|---|---|"
maxr=0
for id in tapir.B tapirv.B tapirbpf.B tapirconv.B; do
	has $id && [ "${RSS[$id]}" -gt "$maxr" ] && maxr=${RSS[$id]}
done
has tapir.B && has tshark.B &&
	out "| tapir peak RSS on $(basename "$B") (-r, -v, BPF, --stats conv) | $(awk -v k=$maxr 'BEGIN { printf "%.1f", k / 1024 }') MiB (tshark -r: $(mib tshark.B) MiB) | < 64 MiB | $(awk -v k=$maxr 'BEGIN { print (k < 65536 ? "yes" : "NO") }') |"
has tapirtls.B &&
	out "| tapir --tls peak RSS on $(basename "$B") | $(mib tapirtls.B) MiB (tshark -Y: $(mib tsharktls.B) MiB) | < 64 MiB | $(awk -v k="${RSS[tapirtls.B]}" 'BEGIN { print (k < 65536 ? "yes" : "NO") }') |"
has tapir.B && has tapirhalf.B &&
	out "| tapir -r peak RSS, first three quarters of $(basename "$B") -> all of it (the flow table is full at ~70%) | $(mib tapirhalf.B) -> $(mib tapir.B) MiB | flat (< 1.1x) | $(awk -v a="${RSS[tapirhalf.B]}" -v b="${RSS[tapir.B]}" 'BEGIN { print (b < 1.1 * a ? "yes" : "NO") }') |"
if has tapir.S && has tapir.B && has tcpdump.S && has tcpdump.B && [ "$B" != "$S" ]; then
	out "| tapir -r peak RSS, $(basename "$S") -> $(basename "$B") ($(( ${NPKT[$B]} / ${NPKT[$S]} ))x the packets) | $(mib tapir.S) -> $(mib tapir.B) MiB | - | - |"
	out "| tapir -r ns/packet, $(basename "$S") -> $(basename "$B") | $(nsp tapir.S "$S") -> $(nsp tapir.B "$B") | linear (big <= 1.15x slice) | $(awk -v a="$(nsp tapir.S "$S")" -v b="$(nsp tapir.B "$B")" 'BEGIN { print (b <= 1.15 * a ? "yes" : "NO") }') |"
	out "| tcpdump -nn -r ns/packet, $(basename "$S") -> $(basename "$B") | $(nsp tcpdump.S "$S") -> $(nsp tcpdump.B "$B") | - | - |"
fi
base=tapir.S tbase=tcpdump.S
has tapir.S || base=tapir.B tbase=tcpdump.B
if has tapir.H && has $base; then
	out "| tapir -r ns/packet, $(basename "$S") -> $(basename "$H") (20 000 hosts in a /16) | $(nsp $base "$S") -> $(nsp tapir.H "$H") ($(mib tapir.H) MiB) | no degradation (< 1.25x) | $(awk -v a="$(nsp $base "$S")" -v b="$(nsp tapir.H "$H")" 'BEGIN { print (b < 1.25 * a ? "yes" : "NO") }') |"
fi
if has tcpdump.H && has $tbase; then
	out "| tcpdump -nn -r ns/packet, $(basename "$S") -> $(basename "$H") | $(nsp $tbase "$S") -> $(nsp tcpdump.H "$H") ($(awk -v a="$(nsp $tbase "$S")" -v b="$(nsp tcpdump.H "$H")" 'BEGIN { printf "%.1fx", b / a }')) | - | - |"
fi
notes=
for ((i = 0; i < n; i++)); do
	id=${J_ID[i]}
	[ -s "$W/stderr.$id" ] && notes="$notes- ${J_LABEL[i]} ($(basename "${J_FILE[i]}")): \`$(tr '\n' ' ' < "$W/stderr.$id" | sed 's/ *$//')\`"$'\n'
done
if [ -n "$notes" ]; then
	out ""
	out "tapir's standard error (last run):"
	out ""
	out "${notes%$'\n'}"
fi
if [ -n "$checks" ]; then
	out ""
	out "Checks on $(basename "$S") (untimed):"
	out ""
	out "${checks%$'\n'}"
fi
