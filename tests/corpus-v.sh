#!/bin/sh
# corpus-v.sh - tapir -v, -vv, -vvv against tcpdump on the captures of the
# tcpdump corpus that hold only protocols tapir dissects, as listed (with
# why any differs) in tests/golden/CORPUS-V.  The corpus is not in the
# repository: it is ../shared/corpus/tcpdump next to the source tree (CI
# has it), or CORPUS=DIR; without it the test is skipped (exit 77).
# A capture differing in more lines than its entry allows fails the run.
#
# The list was picked with tshark (see the top of CORPUS-V); to pick it
# again:  for f in DIR/*.pcap*; do tshark -n -r $f -T fields
#         -e frame.protocols; done  and keep the captures whose protocols
#         are all among those named there.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${top_srcdir:-$here/..}" && pwd)
corpus=${CORPUS:-$top/../shared/corpus/tcpdump}
if [ ! -d "$corpus" ]; then
	echo "SKIP: no corpus at $corpus"
	exit 77
fi
LIST=$here/golden/CORPUS-V PCAPS=$corpus exec sh "$here/compare-tcpdump-v.sh"
