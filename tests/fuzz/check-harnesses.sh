#!/bin/bash
# check-harnesses.sh - every dissector in the registry has its fuzz
# harness (tests/fuzz/local.mk), and every harness has a saved corpus.
# A new dissector fails this test until gen-local-mk.sh lists it.
: "${top_srcdir:=.}" "${top_builddir:=.}"
have=$(sed -n 's/^FUZZ_DISSECTORS = //p' "$top_srcdir/tests/fuzz/local.mk" | tr ' ' '\n' | sort)
want=$("$top_builddir/src/tapir" -G protocols | cut -f2 | grep -vx 'frame\|data' | sort)
rc=0
if [ "$have" != "$want" ]; then
	echo "fuzz harnesses and registry differ (< registry, > local.mk):"
	diff <(echo "$want") <(echo "$have") 2>/dev/null ||
		{ echo "registry: $want" | tr '\n' ' '; echo; echo "local.mk: $have" | tr '\n' ' '; echo; }
	echo "run: tests/fuzz/gen-local-mk.sh $(echo $want) > tests/fuzz/local.mk"
	rc=1
fi
for h in $(sed -n 's/^FUZZ_HARNESSES = //p' "$top_srcdir/tests/fuzz/local.mk"); do
	d="$top_srcdir/tests/fuzz/corpus/$h"
	if [ -z "$(ls -A "$d" 2>/dev/null)" ]; then
		echo "no saved corpus for $h ($d)"
		rc=1
	fi
done
[ $rc = 0 ] && echo "fuzz harnesses: $(echo "$have" | wc -l) dissectors, each with a harness and a corpus"
exit $rc
