#!/bin/sh
# compare-tcpdump-v.sh - tapir -v, -vv, -vvv (and -e -v) against tcpdump's
# verbose text, line by line, on every capture of pcaps/.
#
#   tests/compare-tcpdump-v.sh            every capture, a table of counts
#   tests/compare-tcpdump-v.sh -d FILE    the differing lines of one capture
#   PCAPS=DIR tests/compare-tcpdump-v.sh  the captures of DIR instead
#   LIST=FILE PCAPS=DIR ...               only the captures FILE names,
#       with FILE's allowances instead of ALLOW (tests/corpus-v.sh)
#
# Run by `make check` when tcpdump and python3 are installed (exit 77,
# skipped, when not).  Both programs read the same file with TZ=UTC:
#   tcpdump -nn LEVEL -r FILE     tapir -n LEVEL -r FILE
# (tcpdump 4.99 reads pcapng but not gzip: a .gz capture is inflated to a
# temporary file first).  The two outputs are compared line by line
# (difflib; a line is "differing" when it is not in the longest matching
# sequence) after three rules, applied to tcpdump's side only:
#
#  R1 application text after TCP: tcpdump's line goes on after tapir's
#     ", length N" with ": " (HTTP) or " " (DNS) and that printer's text, and
#     with -v the request's lines follow, each starting with a TAB.  That
#     text belongs to the application-layer issues: the line is compared
#     up to and including "length N", the TAB lines after it are dropped.
#     Not for the printers tapir has (TCP ports 80, 8080 and 53: HTTP and
#     DNS read each segment as tcpdump does) nor for an RST's data at -v
#     (" [RST ...]"): those lines are compared whole.
#  R2 application text after UDP: where tapir prints "UDP, length N"
#     after the ports (and tcpdump's checksum notice, if any), tcpdump's
#     port printer (DNS ...) prints its own text instead: the line is
#     compared up to and including the ports and the checksum notice, and
#     the printer's further lines (starting with a TAB) are dropped.
#  R3 timestamps: a fraction of a second out of range is marked
#     "(invalid us)" / "(invalid ns)" by tapir as by tcpdump 4.99.6;
#     the installed 4.99.3 prints the same number without the marker, so
#     the marker is removed from tapir's line.
#  R4 tapir's own markers: " [malformed PROTO: why]" is tapir's addition
#     after tcpdump's text (tcpdump has none); it is removed from tapir's
#     line.
#  R5 tapir's own notes: " | text" at the end of a line (the DNS
#     pairing: " | reply to #N in T ms", " | retransmission of #N",
#     " | duplicate reply, first #N", " | no query seen"; the DHCP
#     exchange: "| answers Request #3 after 2.227 ms") is tapir's
#     addition after tcpdump's text; it is removed from tapir's line.
#
# ALLOW below lists the captures that still differ, each with why and the
# most differing lines allowed at each level: a capture that differs more,
# or one not listed that differs at all, fails the run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${top_srcdir:-$here/..}" && pwd)
bin=${TAPIR:-$(cd "${top_builddir:-$top}" && pwd)/src/tapir}
command -v tcpdump >/dev/null 2>&1 || { echo "SKIP: no tcpdump"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

one=""
if [ "${1:-}" = "-d" ]; then
	one=$2
fi

TAPIR=$bin PCAPS=${PCAPS:-$top/pcaps} TMP=$tmp ONE=$one LIST=${LIST:-} \
	python3 - <<'EOF'
import difflib, gzip, os, re, subprocess, sys

# capture: (why, {level: most differing lines allowed})
ALLOW = {
    # packet 25 is an ICMP error quoting an ICMP error: tapir dissects
    # one level of quote (tshark too), tcpdump prints the inner quote
    "icmp-errors.pcap": ("an error quoted in an error (one level)", 3),
    # differences the default one-line output has too (not -v's)
    "sll2-any.pcap": ("interface names of a Linux cooked v2 capture", 4),
    # libpcap 1.10 (under tcpdump 4.99.3) refuses a pcapng file whose
    # interfaces have different link types: tcpdump prints nothing
    "pcapng-mixed.pcapng": ("tcpdump cannot read it (mixed link types)",
                            16),
}
LEVELS = [["-v"], ["-vv"], ["-vvv"], ["-e", "-v"]]

tapir, pcaps, tmp, one, lst = (os.environ[k] for k in (
    "TAPIR", "PCAPS", "TMP", "ONE", "LIST"))
if lst:
    # "capture  N  why": at most N differing lines at each level
    ALLOW, LEVELS = {}, [["-v"], ["-vv"], ["-vvv"]]
    for line in open(lst):
        if line.strip() and not line.startswith("#"):
            name, n, why = (line.rstrip("\n").split(None, 2) + [""])[:3]
            ALLOW[name] = (why, int(n))
env = dict(os.environ, TZ="UTC", LC_ALL="C")


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env=env)
    return r.stdout.decode("utf-8", "replace").split("\n")[:-1]


ENDS_LEN = re.compile(r", length \d+$")
UDP_TAIL = re.compile(r"(UDP, (bad )?length \d+( > \d+)?)$")
INVALID = re.compile(r" \(invalid [un]s\)")
MALFORMED = re.compile(r" \[malformed [^]]*\]")
NOTE = re.compile(r" \| [^\t]*$")
# a TCP line (IPv4 or IPv6 endpoints) with tcpdump's text after length N
# that tapir prints too (R1 does not apply)
OURS_PORTS = {"80", "8080", "53"}
ENDPOINTS = re.compile(r"\.(\d+) > [^ ]*\.(\d+): Flags ")


def ours(x, rest):
    m = ENDPOINTS.search(x)
    return rest.startswith(" [RST") or rest.startswith(" [!RST") or \
        (m is not None and (m.group(1) in OURS_PORTS or
                            m.group(2) in OURS_PORTS))


def normalize(td, tp):
    """Rules R1-R3 (see the top of this file)."""
    tp = [NOTE.sub("", MALFORMED.sub("", INVALID.sub("", x))) for x in tp]
    tpset = set(tp)
    out, cut, drop_tabs = [], 0, False
    for x in td:
        if drop_tabs and x.startswith("\t"):
            cut += 1
            continue
        drop_tabs = False
        if x in tpset:
            out.append(x)
            continue
        m = re.match(r"(.*, length \d+):? ", x)
        if m and m.group(1) in tpset and \
                not ours(x, x[len(m.group(1)):]):              # R1
            out.append(m.group(1))
            cut += 1
            drop_tabs = True
            continue
        done = False
        for y in tp_by_prefix.get(x.split(": ")[0], ()):      # R2
            u = UDP_TAIL.search(y)
            if u and x.startswith(y[:u.start()]) and \
                    not x[u.start():].startswith("UDP, "):
                out.append(y)
                cut += 1
                done = True
                drop_tabs = True  # the port printer's further lines
                break
        if not done:
            out.append(x)
    return out, tp, cut


total = {}
failed = False
files = sorted(f for f in os.listdir(pcaps)
               if re.search(r"\.(pcap|pcapng)(\.gz)?$", f))
if lst:
    files = [f for f in sorted(ALLOW) if os.path.exists(
        os.path.join(pcaps, f))]
if one:
    files = [os.path.basename(one)]
print("%-26s %-6s %7s %7s %6s %6s" % ("capture", "level", "lines", "same",
                                     "app", "differ"))
for f in files:
    path = os.path.join(pcaps, f)
    if f.endswith(".gz"):
        plain = os.path.join(tmp, f[:-3])
        with gzip.open(path) as g, open(plain, "wb") as o:
            o.write(g.read())
        path = plain
    for lv in LEVELS:
        name = " ".join(lv)
        td = run(["tcpdump", "-nn"] + lv + ["-r", path])
        tp = run([tapir, "-n"] + lv + ["-r", path])
        tp_by_prefix = {}
        for y in tp:
            y = NOTE.sub("", MALFORMED.sub("", INVALID.sub("", y)))
            tp_by_prefix.setdefault(y.split(": ")[0], []).append(y)
        a, b, cut = normalize(td, tp)
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        same = sum(blk.size for blk in sm.get_matching_blocks())
        differ = max(len(a), len(b)) - same
        t = total.setdefault(name, [0, 0, 0, 0, 0])
        t[0] += 1
        t[1] += len(a)
        t[2] += same
        t[3] += cut
        t[4] += differ
        allowed = ALLOW.get(f, ("", 0))[1]
        bad = differ > allowed
        failed |= bad
        if differ or one:
            print("%-26s %-6s %7d %7d %6d %6d%s" % (
                f, name, len(a), same, cut, differ,
                "  FAIL (allowed %d)" % allowed if bad else
                ("  allowed: " + ALLOW[f][0] if differ else "")))
        if one and differ:
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op != "equal":
                    for x in a[i1:i2]:
                        print("  tcpdump: " + x)
                    for y in b[j1:j2]:
                        print("  tapir:   " + y)
print()
print("level   files   lines    same  app-cut  differing")
for name, t in total.items():
    print("%-6s %6d %7d %7d %8d %10d" % (name, t[0], t[1], t[2], t[3], t[4]))
sys.exit(1 if failed else 0)
EOF
