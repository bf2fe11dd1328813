#!/bin/sh
# replay.sh - every saved fuzz input (tests/fuzz/corpus/<harness>/) through
# its harness's replay program; in a sanitizer build (./configure
# --enable-asan --enable-ubsan) any report fails the test.
: "${top_srcdir:=.}" "${top_builddir:=.}"
rc=0 total=0
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
for h in $(sed -n 's/^FUZZ_HARNESSES = //p' "$top_srcdir/tests/fuzz/local.mk"); do
	prog="$top_builddir/tests/fuzz/${h}_replay"
	dir="$top_srcdir/tests/fuzz/corpus/$h"
	[ -d "$dir" ] || continue
	n=$(find "$dir" -type f | wc -l)
	# stderr kept for a failure only (fuzz_stream's follow reports gaps)
	if ! find "$dir" -type f -print0 | sort -z |
		xargs -0 -n 500 "$prog" > /dev/null 2> "${TMPDIR:-/tmp}/replay.$$"; then
		echo "FAIL: $h: a saved input failed (run $prog on $dir/* to see which)"
		tail -40 "${TMPDIR:-/tmp}/replay.$$"
		rc=1
	fi
	rm -f "${TMPDIR:-/tmp}/replay.$$"
	total=$((total + n))
done
echo "replay: $total saved inputs"
exit $rc
