#!/bin/sh
# json-lines.sh - -T json and -T ek over every capture of pcaps/ (and of
# CORPUS=DIR when given): every line parses as JSON (Python's json, which
# also rejects invalid UTF-8), there is one object per packet (as many as
# -T fields -e frame.number prints lines), frame.number counts 1, 2, ...,
# each layer has a name and a fields object with no key twice, and -T ek
# alternates the bulk API's action line {"index":{"_index":NAME}} and a
# document with a numeric "timestamp" and no '.' in any key.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
tapir=${TAPIR:-$top_builddir/src/tapir}
[ -x "$tapir" ] || { echo "SKIP: no tapir binary at $tapir"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapir-json.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cat >"$tmp/check.py" <<'PY'
import json, sys
mode, want, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def nodup(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a key twice: %r" % keys)
    return dict(pairs)
def keys_ok(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if "." in k:
                raise ValueError("ek key with a dot: " + k)
            keys_ok(v)
    elif isinstance(o, list):
        for v in o:
            keys_ok(v)
data = open(path, "rb").read()
lines = data.split(b"\n")
if lines[-1] != b"":
    sys.exit("last line not ended")
lines = lines[:-1]
docs = []
for i, raw in enumerate(lines):
    o = json.loads(raw.decode("utf-8"), object_pairs_hook=nodup)
    if mode == "ek" and i % 2 == 0:
        idx = o["index"]["_index"]
        if list(o) != ["index"] or list(o["index"]) != ["_index"] or \
           not isinstance(idx, str) or not idx:
            sys.exit("line %d: not an index action: %r" % (i + 1, o))
        continue
    if mode == "ek":
        if not isinstance(o.get("timestamp"), int):
            sys.exit("line %d: no numeric timestamp" % (i + 1))
        keys_ok(o)
    docs.append(o)
if mode == "ek" and len(lines) % 2:
    sys.exit("an action line without its document")
if len(docs) != want:
    sys.exit("%d objects for %d packets" % (len(docs), want))
num = "frame.number" if mode == "json" else "frame_number"
for n, o in enumerate(docs, 1):
    if o["frame"].get(num) != n:
        sys.exit("object %d: frame.number %r" % (n, o["frame"].get(num)))
    for l in o["layers"]:
        if not isinstance(l["name"], str) or not isinstance(l["fields"], dict):
            sys.exit("object %d: bad layer %r" % (n, l))
print("%s %d" % (mode, len(docs)))
PY
fail=0 n=0
for cap in "$top_srcdir"/pcaps/*.pcap "$top_srcdir"/pcaps/*.pcapng \
	"$top_srcdir"/pcaps/*.gz ${CORPUS:+$(find "$CORPUS" -type f)}; do
	[ -f "$cap" ] || continue
	"$tapir" -r "$cap" -T fields -e frame.number >"$tmp/f" 2>/dev/null
	rc=$?
	[ $rc -le 3 ] || { echo "FAIL: $cap: -T fields exit $rc"; fail=1; continue; }
	want=$(wc -l <"$tmp/f")
	for mode in json ek; do
		"$tapir" -r "$cap" -T $mode >"$tmp/o" 2>"$tmp/e"
		rc=$?
		if [ $rc -gt 3 ]; then
			echo "FAIL: $cap -T $mode: exit $rc"; fail=1; continue
		fi
		if ! python3 "$tmp/check.py" $mode "$want" "$tmp/o" >"$tmp/r" 2>&1; then
			echo "FAIL: $cap -T $mode:"; tail -3 "$tmp/r"; fail=1
		fi
	done
	n=$((n + 1))
done
echo "$n captures, each -T json and -T ek checked"
exit $fail
