#!/bin/bash
# run.sh - make fuzz: every harness for FUZZ_SECONDS seconds with libFuzzer.
#   tests/fuzz/run.sh SRCDIR BUILDDIR HARNESS...   (FUZZ_ONLY limits them)
# Each harness starts from its saved corpus (tests/fuzz/corpus/<h>) and
# the seeds cut by make-seeds.py (tests/fuzz/seeds/<h>, not committed);
# afterwards the saved corpus is re-minimised with -merge=1 so it keeps
# every input that adds coverage.  Crashes, leaks, timeouts (10 s) and
# inputs over 512 MiB of memory are findings: saved in
# tests/fuzz/findings/<h>/, and the run fails.  Each harness's run time
# and executions are appended to tests/fuzz/LEDGER.tsv (seconds are CPU
# seconds, from GNU time).  FUZZ_SECONDS=0
# runs the saved inputs once and fuzzes nothing.
set -u
src=$1 build=$2
shift 2
secs=${FUZZ_SECONDS:-60}
only=${FUZZ_ONLY:-}
ledger="$src/tests/fuzz/LEDGER.tsv"
[ -f "$ledger" ] || printf 'date\tcommit\tharness\tseconds\texecutions\tfindings\n' > "$ledger"
commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
dict() { # a dictionary for the text protocols, when the harness has one
	local d=$1
	# the stream harness's port 80 is HTTP's: its methods and headers
	# (fuzz_stream.dict: those and HTTP/2's, when there)
	[ "$d" = fuzz_stream ] && [ ! -f "$src/tests/fuzz/dict/$d.dict" ] && d=fuzz_http
	[ -f "$src/tests/fuzz/dict/$d.dict" ] && echo "-dict=$src/tests/fuzz/dict/$d.dict"
}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
bad=0 total_execs=0
for h in "$@"; do
	if [ -n "$only" ] && ! printf ' %s ' $only | grep -q " $h "; then continue; fi
	prog="$build/tests/fuzz/$h"
	corpus="$src/tests/fuzz/corpus/$h"
	work="$build/tests/fuzz/work/$h"
	seeds="$build/tests/fuzz/seeds/$h"
	finds="$build/tests/fuzz/findings/$h"
	mkdir -p "$corpus" "$work" "$finds"
	dirs=("$work" "$corpus")
	[ -d "$seeds" ] && dirs+=("$seeds")
	log="$build/tests/fuzz/$h.fuzzlog"
	# FUZZ_SECONDS=0: only run the saved inputs (libFuzzer's 0 is "forever")
	if [ "$secs" = 0 ]; then limit=-runs=0; else limit=-max_total_time=$secs; fi
	# CPU seconds of the fuzzer (user + system), not wall time: a run
	# paused for a benchmark (kill -STOP) does not count its pause
	/usr/bin/time -f 'cpu %U %S' -o "$log.time" \
	"$prog" "$limit" -timeout=10 -rss_limit_mb=512 \
		-max_len=4096 -print_final_stats=1 $(dict "$h") \
		-artifact_prefix="$finds/" "${dirs[@]}" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	ran=$(awk '/^cpu / { printf "%d", $2 + $3 }' "$log.time" 2>/dev/null)
	nfind=$(find "$finds" -type f | wc -l)
	if [ $rc -ne 0 ] || [ "$nfind" -gt 0 ]; then
		echo "FINDING: $h (exit $rc): $(grep -m1 -E 'ERROR|SUMMARY|timeout|out-of-memory' "$log")"
		ls "$finds"
		bad=1
	fi
	# keep what adds coverage: minimise saved corpus + new inputs
	tmp="$build/tests/fuzz/merge.$h"
	rm -rf "$tmp" && mkdir -p "$tmp"
	if "$prog" -merge=1 -timeout=10 -rss_limit_mb=512 -max_len=4096 \
		"$tmp" "${dirs[@]}" > "$log.merge" 2>&1; then
		rm -rf "$corpus" && mv "$tmp" "$corpus"
	else
		rm -rf "$tmp"
	fi
	[ "$secs" = 0 ] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$commit" "$h" \
		"${ran:-$secs}" "${execs:-0}" "$nfind" >> "$ledger"
	echo "fuzz: $h ${ran:-$secs} s, ${execs:-0} executions, $(ls "$corpus" | wc -l) saved inputs, $nfind findings"
	total_execs=$((total_execs + ${execs:-0}))
done
echo "fuzz: $total_execs executions in all; ledger $ledger"
exit $bad
