#!/bin/bash
# sweep.sh - read every capture of the public corpus with a sanitizer
# build: no crash, no AddressSanitizer / UBSan / LeakSanitizer report, no
# run longer than the time limit, and an exit status of 0, 1 (not a
# capture file) or 3 (damaged file).  Each file is read four times: with
# -V (the detail tree), -vvv -e, the default one-line output, and
# --tls -T json (the TLS connection reports).
#
#   tests/sweep.sh [TAPIR_BINARY] [CORPUS_DIR...]
# Defaults: ./_build-asan/src/tapir, ../shared/corpus.
set -u
bin=${1:-./_build-asan/src/tapir}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(../shared/corpus)
limit=${SWEEP_TIMEOUT:-10}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}
pass=0 fail=0
log=$(mktemp)
while IFS= read -r -d '' f; do
	case "$f" in */SOURCE|*.md|*.txt) continue ;; esac
	for args in "-V" "-vvv -e" "" "--tls -T json"; do
		# shellcheck disable=SC2086
		timeout "$limit" "$bin" -n $args -r "$f" > /dev/null 2> "$log"
		rc=$?
		why=""
		if [ $rc -eq 124 ]; then why="took over ${limit}s"
		elif [ $rc -ge 128 ]; then why="killed by signal $((rc - 128))"
		elif [ $rc -ne 0 ] && [ $rc -ne 1 ] && [ $rc -ne 3 ]; then why="exit $rc"
		elif grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error' "$log"; then why="sanitizer report"
		fi
		if [ -n "$why" ]; then
			fail=$((fail + 1))
			echo "FAIL: tapir -n $args -r $f: $why"
			grep -m5 'ERROR\|runtime error\|SUMMARY' "$log"
		else
			pass=$((pass + 1))
		fi
	done
done < <(find "${dirs[@]}" -type f -print0 | sort -z)
rm -f "$log"
echo "sweep: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
