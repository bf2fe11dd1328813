# prelude.sh - sourced by the flood tests (run.sh, dhcp.sh, http.sh): where tapir
# is, the ceilings, and the reasons to skip (exit 77): no tapir binary, a
# sanitizer build (memory figures would mean nothing), no /usr/bin/time
# (Debian: apt-get install time), no python3.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
rss_max=${FLOOD_RSS_MAX_MIB:-64}
ratio_max=${FLOOD_RATIO_MAX:-2.6}
TIME=/usr/bin/time

[ -x "$tapir" ] || { echo "SKIP: no tapir binary at $tapir"; exit 77; }
# Sanitizer builds use several times the memory by design: nothing to judge.
if grep -qE '^SAN_CFLAGS = .*-fsanitize' "$top_builddir/Makefile" 2>/dev/null; then
	echo "SKIP: sanitizer build (memory figures would mean nothing)"
	exit 77
fi
[ -x $TIME ] || { echo "SKIP: $TIME missing (apt-get install time)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }

# run FILE ARGS...: tapir on one thread over FILE into $tmp/out and
# $tmp/err (the caller's $tmp), 120 s at most; RSS (KiB), CPU and WALL
# (s) set from GNU time, RC the exit status; returns RC.
run() {
	f=$1
	shift
	$TIME -v -o "$tmp/time" timeout 120 "$tapir" --threads 1 -r "$f" "$@" \
		>"$tmp/out" 2>"$tmp/err"
	RC=$?
	RSS=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time")
	CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tmp/time")
	WALL=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*: //p' "$tmp/time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	return $RC
}

# check WHAT WHY: a failure, counted in $fail
fail=0
check() {
	echo "$1: FAIL ($2)"
	fail=$((fail + 1))
}

# flood_run CAPTURE ARGS...: tapir on CAPTURE (one thread) under $TIME and
# a 60 s timeout, its output in $tmp/out and $tmp/err; sets rss (KiB),
# wall and verdict: "ok", or "FAIL (...)" for an exit status other than 0
# or a peak RSS above rss_max MiB.
flood_run() {
	cap=$1
	shift
	$TIME -v -o "$tmp/time" timeout 60 "$tapir" --threads 1 -r "$cap" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time")
	wall=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*: //p' "$tmp/time")
	verdict=ok
	if [ "$rc" != 0 ]; then
		verdict="FAIL (exit $rc: $(head -c 200 "$tmp/err"))"
	elif [ "${rss:-0}" -gt $((rss_max * 1024)) ]; then
		verdict="FAIL (peak RSS above $rss_max MiB)"
	fi
}

# flood_say KIND ARGS: the run's line (verdict, RSS, time); a FAIL counts
# in $fail.
flood_say() {
	case $verdict in FAIL*) fail=$((fail + 1)) ;; esac
	printf '%-6s %-44.44s %6s KiB %8s  %s\n' "$1" "$2" "$rss" "$wall" "$verdict"
}
