#!/bin/sh
# run.sh - golden tests: tapir's output over pcaps/ against expected files.
#
#   tests/golden/run.sh              run every test in TESTLIST
#   tests/golden/run.sh -u NAME...   regenerate NAME's expected output on
#                                    purpose (review the diff before commit)
#
# TESTLIST lines: NAME CAPTURE ARGS...   ('#' starts a comment; ARGS
# are shell words, so quote a filter expression; CAPTURE "stdin:FILE"
# runs tapir -r - with FILE on standard input).  The
# expected output is tests/golden/NAME.out: stdout and stderr of
#   TZ=UTC tapir -r CAPTURE ARGS   run inside pcaps/,
# plus a last line "[exit N]" when the exit status is not 0.  The word
# EXPORTDIR in ARGS stands for a fresh directory (--export-streams
# EXPORTDIR): after the output come its index.tsv and, for each stream
# file, its size and SHA-256.  Any test
# whose name does not end in -malformed must also show no malformed
# packet.  Prints "N passed, N failed" and exits non-zero on a failure.
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
	*) if grep -q '\[malformed\|\[Malformed' "$outdir/$name.out"; then
		echo "FAIL: $name shows a malformed packet:"
		grep -m3 '\[malformed\|\[Malformed' "$outdir/$name.out"
		ok=0
	   fi ;;
	esac
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done < "$list"
[ -n "$update" ] && exit 0
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
