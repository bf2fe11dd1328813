#!/usr/bin/env python3
"""compare-dhcp-tshark.py - tapir's DHCP fields against tshark's, on
every DHCP packet of the captures given (files or folders); with
--tcpdump, tapir's text of every BOOTP/DHCP packet against tcpdump's.

    tests/compare-dhcp-tshark.py [--tapir src/tapir] [--examples N]
                                 [--fields a,b] PATH...
    tests/compare-dhcp-tshark.py --tcpdump [--tapir src/tapir] PATH...

The fields are every dhcp.* field of `tapir -G fields` that `tshark -G
fields` also lists (tapir's own dhcp.tapir.* have no tshark counterpart),
plus _ws.col.Info and _ws.col.Protocol.  The packets are those tshark
calls DHCP (-Y dhcp).  Both run with TZ=UTC over the whole file (so
both see the same flows); each cell (a field of a packet, every
occurrence joined with ',' as tshark does) is compared, and a cell
empty on both sides does not count.

Prints the agreement per field, overall, overall again once the
differences known to be tshark's mistakes are set aside (TSHARK_SLIPS
below, each with its reason), and once more without the differences by
design (BY_DESIGN: where tshark gives up on a packet), then examples of
every field that still differs.  Packets on a link layer tapir does not
dissect (802.11) are left out and counted.  Exit 0 always (a report), 77 without tshark.
"""
import argparse
import os
import re
import subprocess
import sys

# Differences that are tshark 4.0's, not tapir's: field -> (why, a
# function mapping tapir's cell to what tshark prints).
# --tcpdump: both read each capture with TZ=UTC at -nn, -v, -vv and
# -vvv; the output is cut into packets (a packet starts with a line that
# does not start with a space or a TAB), and the packets whose tcpdump
# text holds "BOOTP/DHCP" are compared: tapir's text, once its own notes
# are removed (" | ..." at the end of a line: the DHCP exchange;
# " [malformed ...]" after tcpdump's text), must begin with tcpdump's.
# It prints the counts per level and each differing packet, and exits 1
# when one differs.

def _end_type(cell):
    # option 255 (End) is the only option with that code
    return ",".join("0" if x == "255" else x for x in cell.split(","))


TSHARK_SLIPS = {
    "dhcp.option.type": (
        "tshark shows the End option's type as 0 (its tree label says "
        "'(255) End', the field's value is 0: tshark adds the item "
        "without its value); tapir says 255",
        _end_type),
}


# Differences by design, per cell: (why, test(tshark_cell, tapir_cell,
# tshark's Info of the packet)).
def _stopped(x, y, info):
    # tshark gives up at its first exception in a packet (the header cut
    # by the capture, an option it cannot parse): the fields after it
    # are missing; tapir reads each one that was captured and goes on
    return (x == "" or len(y) > len(x) and y.startswith(x)) and (
        "[Malformed Packet]" in info or
        "[Packet size limited during capture]" in info)


def _info_tail(x, y, info):
    # tshark's Info ends with its exception's note, and names a MAC's
    # maker from its manufacturer database ("00:00:00_00:00:00");
    # tapir has neither
    for tail in ("[Malformed Packet]", "[Packet size limited during capture]"):
        if x.endswith(tail):
            x = x[:-len(tail)]
    return x == y or (x.startswith("Boot Request from ") and
                      x.split(" (")[0] == y.split(" (")[0])


BY_DESIGN = [
    ("tshark stops at its first exception in a packet; tapir dissects "
     "every field that was captured", None, _stopped),
    ("tshark's Info: its exception note and maker names",
     "_ws.col.Info", _info_tail),
]


def run(cmd):
    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env=env)
    return p.stdout.decode("utf-8", "replace").splitlines()


def field_names(tapir):
    ours = set()
    for line in run([tapir, "-G", "fields"]):
        parts = line.split("\t")
        if len(parts) > 2 and parts[0] == "F" and \
                parts[2].startswith("dhcp.") and \
                not parts[2].startswith("dhcp.tapir."):
            ours.add(parts[2])
    theirs = set()
    for line in run(["tshark", "-G", "fields"]):
        parts = line.split("\t")
        if len(parts) > 2 and parts[2].startswith("dhcp."):
            theirs.add(parts[2])
    return sorted(ours & theirs) + ["_ws.col.Info", "_ws.col.Protocol"]


def captures(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in sorted(files):
                    if f.endswith((".pcap", ".pcapng", ".cap")):
                        yield os.path.join(root, f)
        else:
            yield p


def table(cmd, nfields):
    rows = {}
    for line in run(cmd):
        cells = line.split("\t")
        if len(cells) < nfields + 1 or not cells[0].isdigit():
            continue
        rows[int(cells[0])] = cells[1:nfields + 1]
    return rows


NOTE = re.compile(r" \| [^\t\n]*$", re.M)
MARK = re.compile(r" \[malformed [^]]*\]")


def packets(text):
    out = []
    for line in text.splitlines():
        if line and not line[0] in " \t" or not out:
            out.append(line)
        else:
            out[-1] += "\n" + line
    return out


def text_main(a):
    if subprocess.run(["sh", "-c", "command -v tcpdump"],
                      stdout=subprocess.DEVNULL).returncode:
        print("SKIP: no tcpdump")
        return 77
    bad = 0
    for lv in ([], ["-v"], ["-vv"], ["-vvv"]):
        n = same = 0
        for path in captures(a.paths):
            td = packets("\n".join(run(["tcpdump", "-nn"] + lv + ["-r", path])))
            if not any("BOOTP/DHCP" in x for x in td):
                continue
            tp = packets("\n".join(run([a.tapir, "-n"] + lv + ["-r", path])))
            if len(td) != len(tp):
                print("%s %s: %d packets in tcpdump's text, %d in tapir's"
                      % (path, " ".join(lv), len(td), len(tp)))
                bad += 1
                continue
            for i, (x, y) in enumerate(zip(td, tp)):
                if "BOOTP/DHCP" not in x:
                    continue
                n += 1
                y = MARK.sub("", NOTE.sub("", y))
                if y.startswith(x):
                    same += 1
                    continue
                bad += 1
                print("differs: %s %s packet %d\n  tcpdump: %r\n  tapir:   %r"
                      % (path, " ".join(lv), i + 1, x[-300:], y[-300:]))
        print("%-5s %d BOOTP/DHCP packets, %d begin with tcpdump's text"
              % (" ".join(lv) or "-nn", n, same))
    return 1 if bad else 0



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tapir", default="src/tapir")
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--fields")
    ap.add_argument("--tcpdump", action="store_true")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    if a.tcpdump:
        return text_main(a)
    if subprocess.run(["sh", "-c", "command -v tshark"],
                      stdout=subprocess.DEVNULL).returncode:
        print("SKIP: no tshark")
        return 77
    fields = a.fields.split(",") if a.fields else field_names(a.tapir)
    ef = sum((["-e", f] for f in fields), [])
    stats = {f: [0, 0, 0, 0] for f in fields}  # compared, same, slips, design
    unlinked = 0
    ef = sum((["-e", f] for f in fields + ["_ws.col.Info"]), [])
    iinfo = len(fields)
    examples = {f: [] for f in fields}
    npkts = nfiles = 0
    for path in captures(a.paths):
        frames = [int(x) for x in run(["tshark", "-r", path, "-Y", "dhcp",
                                       "-T", "fields", "-e",
                                       "frame.number"]) if x.isdigit()]
        if not frames:
            continue
        nfiles += 1
        ts = table(["tshark", "-r", path, "-T", "fields",
                    "-e", "frame.number"] + ef, len(fields) + 1)
        tp = table([a.tapir, "-r", path, "-T", "fields",
                    "-e", "frame.number"] + ef, len(fields) + 1)
        for n in frames:
            npkts += 1
            t = ts.get(n, [""] * (len(fields) + 1))
            p = tp.get(n, [""] * (len(fields) + 1))
            if not p[fields.index("_ws.col.Protocol")]:
                unlinked += 1  # a link layer tapir does not dissect
                continue
            for i, f in enumerate(fields):
                x, y = t[i], p[i]
                if not x and not y:
                    continue
                s = stats[f]
                s[0] += 1
                if x == y:
                    s[1] += 1
                    s[2] += 1
                    continue
                slip = TSHARK_SLIPS.get(f)
                if slip and slip[1](y) == x:
                    s[2] += 1
                    continue
                if any((g is None or g == f) and test(x, y, t[iinfo])
                       for _, g, test in BY_DESIGN):
                    s[3] += 1
                    continue
                if len(examples[f]) < a.examples:
                    examples[f].append((path, n, x, y))
    tot = sum(s[0] for s in stats.values())
    same = sum(s[1] for s in stats.values())
    slips = sum(s[2] - s[1] for s in stats.values())
    design = sum(s[3] for s in stats.values())
    print("%d DHCP packets in %d captures (%d more on a link layer tapir "
          "does not dissect, left out), %d fields, %d cells compared"
          % (npkts - unlinked, nfiles, unlinked, len(fields), tot))
    print("%-56s %6s %6s %6s %6s" % ("field", "cells", "same", "slips",
                                     "design"))
    for f in fields:
        s = stats[f]
        if s[0] and s[1] != s[0]:
            print("%-56s %6d %6d %6d %6d" % (f, s[0], s[1], s[2] - s[1],
                                             s[3]))
    if tot:
        print("agreement: %d/%d = %.2f%%; with tshark's known slips "
              "(%d) set aside %.2f%%; with the differences by design (%d) "
              "too %.2f%%" % (same, tot, 100.0 * same / tot, slips,
                              100.0 * (same + slips) / tot, design,
                              100.0 * (same + slips + design) / tot))
    for f, (why, _) in TSHARK_SLIPS.items():
        print("tshark slip, %s: %s" % (f, why))
    for why, f, _ in BY_DESIGN:
        print("by design%s: %s" % (", " + f if f else "", why))
    for f in fields:
        for path, n, x, y in examples[f]:
            print("differs: %s frame %d %s\n  tshark: %s\n  tapir:  %s"
                  % (path, n, f, x[:200], y[:200]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
