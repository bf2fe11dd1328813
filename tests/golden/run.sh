#!/bin/sh
# run.sh - golden tests: tapir's output over pcaps/ against expected files.
#
#   tests/golden/run.sh              run every test in TESTLIST
#   tests/golden/run.sh -u NAME...   regenerate NAME's expected output on
#                                    purpose (review the diff before commit)
#
# TESTLIST lines: NAME CAPTURE ARGS...   ('#' starts a comment; ARGS
# are shell words, so quote a filter expression; CAPTURE "stdin:FILE"
# runs tapir -r - with FILE on standard input, CAPTURE "none" runs it
# without -r: ARGS say where packets come from).  The
# expected output is tests/golden/NAME.out: stdout and stderr of
#   TZ=UTC tapir -r CAPTURE ARGS   run inside pcaps/,
# plus a last line "[exit N]" when the exit status is not 0.  The word
# EXPORTDIR in ARGS stands for a fresh directory (--export-streams
# EXPORTDIR): after the output come its index.tsv and, for each stream
# file, its size and SHA-256.  Any test whose name does not end in
# -malformed must also have no malformed packet, whatever it prints: the
# same capture with the test's filter, -c, -d and reassembly options,
# asked for -T fields -e _ws.malformed.  Prints "N passed, N failed" and
# exits non-zero on a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${top_srcdir:-$here/../..}" && pwd)
bin=${TAPIR:-$(cd "${top_builddir:-$top}" && pwd)/src/tapir}
list=$here/TESTLIST
outdir=${TMPDIR:-/tmp}/tapir-golden.$$
mkdir -p "$outdir"
trap 'rm -rf "$outdir"' EXIT

update=""
if [ "${1:-}" = "-u" ]; then
	shift
	update=" $* "
	[ -n "$*" ] || { echo "usage: $0 -u NAME..." >&2; exit 2; }
fi

run_one() { # name capture args
	cap=$2
	exp=$outdir/export.$1
	rm -rf "$exp"
	eval "set -- $(printf '%s' "$3" | sed "s|EXPORTDIR|$exp|g")"
	(cd "$top/pcaps" || exit 0
	 case "$cap" in
	 stdin:*) TZ=UTC LC_ALL=C "$bin" -r - "$@" < "${cap#stdin:}" 2>&1 ;;
	 none) TZ=UTC LC_ALL=C "$bin" "$@" 2>&1 ;;
	 *) TZ=UTC LC_ALL=C "$bin" -r "$cap" "$@" 2>&1 ;;
	 esac
	 rc=$?; [ $rc -ne 0 ] && echo "[exit $rc]"; exit 0)
	if [ -d "$exp" ]; then
		echo "[index.tsv]"
		cat "$exp/index.tsv"
		for f in "$exp"/*; do
			case $f in */index.tsv) continue ;; esac
			echo "[${f##*/}] $(wc -c <"$f") bytes, sha256 $(sha256sum <"$f" | cut -d' ' -f1)"
		done
		rm -rf "$exp"
	fi
}

# The packet-selecting and dissecting arguments of a test (the filter,
# -c, -d, -F, the reassembly switches and caps), without its output
# options, each single-quoted for eval.
sel_args() {
	fields=0
	case " $* " in *" -T fields "*|*" -Tfields "*) fields=1 ;; esac
	while [ $# -gt 0 ]; do
		case "$1" in
		-c|-d|-F|--max-flows|--flow-timeout|--reasm-dir-cap|--reasm-mem-cap)
			printf "'%s' '%s' " "$1" "${2:-}"; shift ;;
		--no-defrag|--no-reassembly|-c?*|-d?*) printf "'%s' " "$1" ;;
		-e) [ $fields = 1 ] && shift ;;
		-T|-E|-z|-O|--stats|--follow|--follow-format|--direction|--follow-out|--export-streams|--export-objects|--threads|--time-stamp-precision|-w|-C|-W|-G|-Z|-r|--file-list)
			shift ;;
		-*) ;;
		*) printf "'%s' " "$(printf %s "$1" | sed "s/'/'\\\\''/g")" ;;
		esac
		[ $# -gt 0 ] && shift
	done
}

# Whatever a test prints, its packets must not be malformed: ask the
# record itself (-T fields -e _ws.malformed), not the text.
malformed_in() { # capture args
	cap=$1
	case "$cap" in none) return 1 ;; stdin:*) cap=${cap#stdin:} ;; esac
	eval "set -- $2"
	sel=$(sel_args "$@")
	eval "set -- $sel"
	(cd "$top/pcaps" && "$bin" -r "$cap" "$@" -T fields -e frame.number \
		-e _ws.malformed 2>/dev/null) | grep -m3 '_ws.malformed'
}

pass=0 fail=0
while read -r name cap args; do
	case "$name" in ''|'#'*) continue ;; esac
	if [ -n "$update" ]; then
		case "$update" in *" $name "*) ;; *) continue ;; esac
		run_one "$name" "$cap" "$args" > "$here/$name.out"
		echo "updated $name.out"
		continue
	fi
	run_one "$name" "$cap" "$args" > "$outdir/$name.out"
	ok=1
	if ! diff -u "$here/$name.out" "$outdir/$name.out" > "$outdir/$name.diff" 2>&1; then
		echo "FAIL: $name (tapir -r $cap $args)"
		head -40 "$outdir/$name.diff"
		ok=0
	fi
	case "$name" in
	*-malformed) ;;
	*) if m=$(malformed_in "$cap" "$args"); then
		echo "FAIL: $name has malformed packets (frame numbers):"
		echo "$m"
		ok=0
	   fi ;;
	esac
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done < "$list"
[ -n "$update" ] && exit 0
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
