#!/usr/bin/env python3
"""compare-tshark.py - tapir's fields against tshark's, packet by packet.

For every capture given (files or folders), runs
    tshark -r FILE -T fields -e F1 -e F2 ...
    tapir  -r FILE -T fields -e F1 -e F2 ...
and compares each cell (every occurrence of a field, joined with ',' as
tshark does).  Only packets of link types tapir dissects are counted.
Prints the agreement per field and overall, and the captures with the most
differing cells.  Exit 0 when tshark is not installed (nothing to compare).

    tests/compare-tshark.py [--tapir src/tapir] [--fields a,b] [--no-defrag]
                            [-v] PATH...

Both reassemble IPv4/IPv6 fragments by default (tshark's ip.defragment and
ipv6.defragment, tapir's fragment table), so the transport fields of a
fragmented datagram are on the frame that completes it.  --no-defrag turns
reassembly off in both (tshark's prefs, tapir's --no-defrag): both then
dissect the first fragment's transport header where it is.
"""
import argparse
import collections
import os
import shutil
import subprocess
import sys

FIELDS = ["eth.src", "eth.dst", "vlan.id", "ip.src", "ip.dst", "ipv6.src",
          "ipv6.dst", "ip.proto", "tcp.srcport", "tcp.dstport",
          "udp.srcport", "udp.dstport", "tcp.flags", "icmp.type",
          "icmp.code", "icmpv6.type", "icmpv6.code"]
LINKTYPES = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}
NO_DEFRAG_TSHARK = ["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"]
NO_DEFRAG_TAPIR = ["--no-defrag"]
# tshark protocol names that are not layers of their own in tapir
PSEUDO = {"ethertype", "data", "frame", "_ws.short", "_ws.malformed",
          "_ws.expert", "ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr",
          "ipv6.dstopts", "ah", "esp", "sll2"}


def tapir_protocols(tapir):
    out = run([tapir, "-G", "protocols"]) or []
    return {line.split("\t")[1] for line in out if "\t" in line}


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


def run(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout.decode("utf-8", "replace").splitlines()


def captures(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in sorted(files):
                    if f in ("SOURCE",) or f.endswith((".md", ".sh", ".py", ".txt")):
                        continue
                    yield os.path.join(root, f)
        else:
            yield p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tapir", default="src/tapir")
    ap.add_argument("--fields", default=",".join(FIELDS))
    ap.add_argument("-v", action="store_true", help="print every differing cell")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--no-defrag", action="store_true",
                    help="IP reassembly off in both tools")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    if not shutil.which("tshark"):
        print("compare-tshark: tshark is not installed; nothing compared")
        return 0
    fields = a.fields.split(",")
    eargs = [x for f in fields for x in ("-e", f)]
    ts_opts = NO_DEFRAG_TSHARK if a.no_defrag else []
    tp_opts = NO_DEFRAG_TAPIR if a.no_defrag else []
    known = tapir_protocols(a.tapir)
    scope_agree = scope_total = 0
    outside = collections.Counter()
    agree = collections.Counter()
    total = collections.Counter()
    per_file = collections.Counter()
    nfiles = npk = 0
    for f in captures(a.paths):
        ts = run(["tshark", "-n", "-r", f] + ts_opts +
                 ["-T", "fields", "-e", "frame.protocols"] + eargs)
        tp = run([a.tapir, "-r", f] + tp_opts +
                 ["-T", "fields", "-e", "frame.encap_type"] + eargs)
        if ts is None or tp is None:
            print(f"{f}: timed out", file=sys.stderr)
            continue
        if not tp:
            continue
        nfiles += 1
        for i, (lt, lp) in enumerate(zip(ts, tp)):
            cp = lp.split("\t")
            ct = lt.split("\t")
            try:
                linktype = int(cp[0])
            except ValueError:
                continue
            if linktype not in LINKTYPES:
                continue
            npk += 1
            cp = cp[1:]
            tunnel = out_of_scope(ct[0], known)
            ct = ct[1:]
            for k, name in enumerate(fields):
                vt = ct[k] if k < len(ct) else ""
                vp = cp[k] if k < len(cp) else ""
                if not vt and not vp:
                    continue
                total[name] += 1
                if tunnel is None:
                    scope_total += 1
                    scope_agree += vt == vp
                if vt == vp:
                    agree[name] += 1
                else:
                    if tunnel is not None:
                        outside[tunnel] += 1
                    per_file[f] += 1
                    if a.v:
                        where = f" (inside {tunnel})" if tunnel else ""
                        print(f"{f} #{i + 1} {name}: tshark '{vt}' "
                              f"tapir '{vp}'{where}")
    print(f"compared {npk} packets in {nfiles} captures")
    allt = sum(total.values())
    alla = sum(agree.values())
    for name in fields:
        if total[name]:
            print(f"  {name:14} {agree[name]:8}/{total[name]:<8} "
                  f"{100.0 * agree[name] / total[name]:7.3f}%")
    if allt:
        print(f"  {'all':14} {alla:8}/{allt:<8} {100.0 * alla / allt:7.3f}%")
    if scope_total:
        print(f"within scope (no protocol tapir lacks below the compared "
              f"layers): {scope_agree}/{scope_total} "
              f"{100.0 * scope_agree / scope_total:.3f}%")
    if outside:
        print("differing cells inside protocols tapir does not dissect yet:")
        for x, n in outside.most_common(12):
            print(f"  {n:6}  {x}")
    if per_file:
        print("captures with the most differing cells:")
        for f, n in per_file.most_common(a.top):
            print(f"  {n:6}  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
