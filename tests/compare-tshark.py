#!/usr/bin/env python3
"""compare-tshark.py - tapir's fields against tshark's, packet by packet.

For every capture given (files or folders), runs
    tshark -r FILE -T fields -e F1 -e F2 ...
    tapir  -r FILE -T fields -e F1 -e F2 ...
and compares each cell (every occurrence of a field, joined with ',' as
tshark does).  Only packets of link types tapir dissects are counted.
Prints the agreement per field and overall, and the captures with the most
differing cells.  Exit 0 when tshark is not installed (nothing to compare).

    tests/compare-tshark.py [--tapir src/tapir] [--fields a,b | --all-fields]
                            [--checksums] [--no-defrag] [--examples N]
                            [--exclude a,b] [--strict] [-v] PATH...

--all-fields compares every field both tools know for the layers tapir
dissects: each field of `tapir -G fields` whose name `tshark -G fields`
also lists (as a field, or as a protocol: tcp.options.mss, ipv6.hopopts),
plus frame.time, frame.time_relative, frame.time_delta and the other frame
fields, less frame.encap_type (see BY_DESIGN).  Protocol lines (`-e ip`,
`-e tcp`) are not compared: tshark prints its tree label there ("Internet
Protocol Version 4, Src: ..."), with MAC addresses named from its
manufacturer database; tapir does not take them.

--checksums turns on tshark's checksum validation (ip, tcp, udp: off by
default in Wireshark, which then reports every *.checksum.status as 2,
"unverified"); tapir always validates.  Without it the *.checksum.status
and *.checksum_bad* fields are left out of --all-fields, since the
difference is a preference, not a dissection.  With it, a partial
(offloaded) TCP/UDP checksum is status 5 "Offloaded" and no bad-checksum
warning in tapir, status 0 "Bad" with the warning in tshark: those cells
differ by design.

Both run with TZ=UTC (frame.time is local time).  Both reassemble IPv4/IPv6
fragments by default (tshark's ip.defragment and ipv6.defragment, tapir's
fragment table), so the transport fields of a fragmented datagram are on
the frame that completes it.  --no-defrag turns reassembly off in both
(tshark's prefs, tapir's --no-defrag): both then dissect the first
fragment's transport header where it is.

Per field: agreement over all cells where either tool has a value, and
within scope: leaving out packets with a protocol tapir does not dissect
below the compared layers (a tunnel: GRE, VXLAN ...), and the
frame.protocols/data.* cells of payloads tshark hands to a protocol tapir
does not have (HTTP, DNS, TLS ...).  A '*' marks a field that differs
within scope.

--strict exits 1 when any compared cell within scope differs (for pcaps/,
where tapir must be byte-identical).  --examples N prints the first N
differing cells of each field; -v prints every one.
"""
import argparse
import collections
import concurrent.futures
import os
import shutil
import subprocess
import sys

FIELDS = ["eth.src", "eth.dst", "vlan.id", "ip.src", "ip.dst", "ipv6.src",
          "ipv6.dst", "ip.proto", "tcp.srcport", "tcp.dstport",
          "udp.srcport", "udp.dstport", "tcp.flags", "icmp.type",
          "icmp.code", "icmpv6.type", "icmpv6.code"]
# frame fields -T fields takes besides those of the dissectors
FRAME_EXTRA = ["frame.number", "frame.time", "frame.time_epoch",
               "frame.time_relative", "frame.time_delta",
               "frame.time_delta_displayed", "frame.len", "frame.cap_len",
               "frame.protocols"]
LINKTYPES = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}
NO_DEFRAG_TSHARK = ["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"]
NO_DEFRAG_TAPIR = ["--no-defrag"]
CHECKSUMS_TSHARK = ["-o", "ip.check_checksum:TRUE",
                    "-o", "tcp.check_checksum:TRUE",
                    "-o", "udp.check_checksum:TRUE"]
# fields that only say whether tshark checked a checksum (see --checksums)
CHECKSUM_PREF = {"ip.checksum.status", "ip.checksum_bad",
                 "ip.checksum_bad.expert", "tcp.checksum.status",
                 "tcp.checksum_bad", "tcp.checksum_bad.expert",
                 "udp.checksum.status", "udp.checksum_bad",
                 "udp.checksum_bad.expert", "ip.checksum_calculated",
                 "tcp.checksum_calculated", "udp.checksum_calculated"}
# tshark protocol names that are not layers of their own in tapir
PSEUDO = {"ethertype", "data", "frame", "_ws.short", "_ws.malformed",
          "_ws.expert", "ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr",
          "ipv6.dstopts", "ah", "esp", "sll2"}
CHUNK = 200
ENV = dict(os.environ, TZ="UTC", LC_ALL="C")


def tapir_protocols(tapir):
    out = run([tapir, "-G", "protocols"]) or []
    return {line.split("\t")[1] for line in out if "\t" in line}


def g_fields(cmd):
    """{abbrev: kind} from `-G fields` ('F' field or 'P' protocol)."""
    names = {}
    for line in run(cmd + ["-G", "fields"], timeout=300) or []:
        c = line.split("\t")
        if c[0] == "F" and len(c) > 2:
            names.setdefault(c[2], "F")
        elif c[0] == "P" and len(c) > 2:
            names.setdefault(c[2], "P")
    return names


# Same name, different meaning on purpose: left out of --all-fields.
BY_DESIGN = {
    # tshark numbers Wiretap's encapsulations (WTAP_ENCAP_*: Linux cooked
    # capture is 25), tapir prints the capture's link type (LINKTYPE_*:
    # 113); both say 1 for Ethernet.
    "frame.encap_type",
}


def all_fields(tapir, checksums):
    mine = g_fields([tapir])
    theirs = g_fields(["tshark"])
    out = [f for f in FRAME_EXTRA if f in mine]
    for f, kind in mine.items():
        if kind != "F" or f in out or f not in theirs or f in BY_DESIGN:
            continue
        if not checksums and f in CHECKSUM_PREF:
            continue
        out.append(f)
    return out


def out_of_scope(protos, known):
    """A protocol tapir does not dissect below the last layer tapir does
    (a tunnel: GRE, VXLAN, ERSPAN ...), or None."""
    layers = protos.split(":")
    last = max((i for i, x in enumerate(layers) if x in known - {"data"}),
               default=-1)
    for x in layers[:last]:
        if x not in known and x not in PSEUDO:
            return x
    return None


def run(cmd, timeout=300):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=timeout,
                           env=ENV)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout.decode("utf-8", "replace").split("\n")[:-1]


def captures(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in sorted(files):
                    if f in ("SOURCE",) or f.endswith(
                            (".md", ".sh", ".py", ".txt", ".sha256")):
                        continue
                    yield os.path.join(root, f)
        else:
            yield p


def glue(parts, nkey):
    """Lines of several runs over the same packets, side by side (the
    first nkey cells of each run after the first repeat the keys)."""
    if any(p is None for p in parts):
        return None
    n = min(len(p) for p in parts)
    out = []
    for i in range(n):
        line = parts[0][i]
        for p in parts[1:]:
            rest = p[i].split("\t", nkey)
            line += "\t" + rest[nkey] if len(rest) > nkey else "\t"
        out.append(line)
    return out


def both(f, a, fields):
    ts_opts = NO_DEFRAG_TSHARK if a.no_defrag else []
    if a.checksums:
        ts_opts = ts_opts + CHECKSUMS_TSHARK
    tp_opts = NO_DEFRAG_TAPIR if a.no_defrag else []
    tp = []
    # the two key columns are not asked for again: tshark prints a field
    # named twice in its last column only (tapir does the same)
    rest = [x for x in fields if x not in KEYS]
    keys = ["-e", KEYS[0], "-e", KEYS[1]]
    eargs = [x for name in rest for x in ("-e", name)]
    ts = run(["tshark", "-n", "-r", f] + ts_opts + ["-T", "fields"] + keys +
             eargs)
    # in chunks (tapir takes up to TP_MAX_E, 4096, -e fields a run)
    for k in range(0, max(len(rest), 1), CHUNK):
        eargs = [x for name in rest[k:k + CHUNK] for x in ("-e", name)]
        tp.append(run([a.tapir, "-r", f] + tp_opts + ["-T", "fields"] +
                      keys + eargs))
    return f, ts, glue(tp, 2)


KEYS = ("frame.protocols", "frame.encap_type")


# Fields that differ only because tshark hands the payload to a protocol
# tapir does not dissect yet (HTTP, DNS ...), or keeps it for reassembly
# of one.
PAYLOAD = {"frame.protocols", "data.data", "data.len"}


def beyond(ts_protos, tp_protos):
    """The protocol tshark dissects above tapir's last layer, or None."""
    mine = tp_protos[:-5] if tp_protos.endswith(":data") else tp_protos
    if ts_protos == tp_protos or not ts_protos.startswith(mine):
        return None
    rest = ts_protos[len(mine):].lstrip(":").split(":")
    # nothing after tcp: tshark keeps the bytes for a reassembly, or does
    # not hand them on at all (retransmissions, out-of-order segments:
    # tcp.no_subdissector_on_error, on by default)
    return rest[0] or "(not handed on by tshark's tcp)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tapir", default="src/tapir")
    ap.add_argument("--fields", default=",".join(FIELDS))
    ap.add_argument("--all-fields", action="store_true",
                    help="every field both tools know (see the top)")
    ap.add_argument("--exclude", default="",
                    help="fields to leave out (comma-separated)")
    ap.add_argument("--checksums", action="store_true",
                    help="tshark validates ip/tcp/udp checksums too")
    ap.add_argument("-v", action="store_true",
                    help="print every differing cell")
    ap.add_argument("--examples", type=int, default=0,
                    help="print the first N differing cells of each field")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 when any cell differs")
    ap.add_argument("--no-defrag", action="store_true",
                    help="IP reassembly off in both tools")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    if not shutil.which("tshark"):
        print("compare-tshark: tshark is not installed; nothing compared")
        return 0
    if a.all_fields:
        fields = all_fields(a.tapir, a.checksums)
    else:
        fields = a.fields.split(",")
    skip = set(x for x in a.exclude.split(",") if x)
    fields = [f for f in fields if f not in skip]
    known = tapir_protocols(a.tapir)
    scope_agree = scope_total = 0
    outside = collections.Counter()
    above = collections.Counter()
    excused = collections.Counter()
    in_total = collections.Counter()  # within scope, per field
    in_agree = collections.Counter()
    agree = collections.Counter()
    total = collections.Counter()
    per_file = collections.Counter()
    examples = collections.defaultdict(list)
    nfiles = npk = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
        jobs = [ex.submit(both, f, a, fields) for f in captures(a.paths)]
        for job in jobs:
            f, ts, tp = job.result()
            if ts is None or tp is None:
                print(f"{f}: timed out", file=sys.stderr)
                continue
            if not tp:
                continue
            nfiles += 1
            for i, (lt, lp) in enumerate(zip(ts, tp)):
                cp = lp.split("\t")
                ct = lt.split("\t")
                if len(cp) < 2 or len(ct) < 2:
                    continue
                try:
                    linktype = int(cp[1])  # tapir's is the pcap link type
                except ValueError:
                    continue
                if linktype not in LINKTYPES:
                    continue
                npk += 1
                app = beyond(ct[0], cp[0])
                tunnel = out_of_scope(ct[0], known)
                key = {KEYS[0]: (ct[0], cp[0]), KEYS[1]: (ct[1], cp[1])}
                ct = ct[2:]
                cp = cp[2:]
                k = -1
                for name in fields:
                    if name in key:
                        vt, vp = key[name]
                    else:
                        k += 1
                        vt = ct[k] if k < len(ct) else ""
                        vp = cp[k] if k < len(cp) else ""
                    if not vt and not vp:
                        continue
                    total[name] += 1
                    upper = app if name in PAYLOAD and vt != vp else None
                    if tunnel is None and upper is None:
                        scope_total += 1
                        scope_agree += vt == vp
                        in_total[name] += 1
                        in_agree[name] += vt == vp
                    if vt == vp:
                        agree[name] += 1
                        continue
                    if tunnel is not None:
                        outside[tunnel] += 1
                    elif upper is not None:
                        above[upper] += 1
                        excused[name] += 1
                        continue
                    per_file[f] += 1
                    where = f" (inside {tunnel})" if tunnel else ""
                    line = (f"{f} #{i + 1} {name}: tshark '{vt}' "
                            f"tapir '{vp}'{where}")
                    if a.v:
                        print(line)
                    elif tunnel is None and len(examples[name]) < a.examples:
                        examples[name].append(line)
    print(f"compared {npk} packets in {nfiles} captures, "
          f"{len(fields)} fields")
    allt = sum(total.values())
    alla = sum(agree.values())
    width = max([len(x) for x in fields] + [14])
    print(f"  {'field':{width}} {'all cells':>17} {'':8} "
          f"{'within scope':>17}")
    for name in fields:
        if total[name]:
            mark = "" if in_agree[name] == in_total[name] else "  *"
            inside = ""
            if in_total[name]:
                inside = (f"{in_agree[name]:8}/{in_total[name]:<8} "
                          f"{100.0 * in_agree[name] / in_total[name]:7.3f}%")
            print(f"  {name:{width}} {agree[name]:8}/{total[name]:<8} "
                  f"{100.0 * agree[name] / total[name]:7.3f}%  "
                  f"{inside}{mark}")
    unseen = [x for x in fields if not total[x]]
    if unseen:
        print(f"  ({len(unseen)} fields in no packet of either tool)")
    if allt:
        print(f"  {'all':{width}} {alla:8}/{allt:<8} "
              f"{100.0 * alla / allt:7.3f}%")
    if scope_total:
        print(f"within scope (no protocol tapir lacks below the compared "
              f"layers, payloads tapir leaves as data): {scope_agree}/{scope_total} "
              f"{100.0 * scope_agree / scope_total:.3f}%")
    if above:
        print("differing frame.protocols/data.* cells where tshark "
              "dissects the payload (not counted within scope):")
        for x, n in above.most_common(12):
            print(f"  {n:6}  {x}")
    if outside:
        print("differing cells inside protocols tapir does not dissect yet:")
        for x, n in outside.most_common(12):
            print(f"  {n:6}  {x}")
    if per_file:
        print("captures with the most differing cells:")
        for f, n in per_file.most_common(a.top):
            print(f"  {n:6}  {f}")
    for name in fields:
        for line in examples.get(name, []):
            print(line)
    if a.strict and scope_agree != scope_total:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
