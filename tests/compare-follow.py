#!/usr/bin/env python3
"""compare-follow.py - tapir's reassembled TCP streams against tshark's follow.

For every TCP stream of every capture, and each direction, compares the
bytes of

    tapir  -r FILE --follow tcp.stream==N --follow-format raw --direction client|server
    tshark -r FILE -q -z follow,tcp,raw,N     (hex lines; decoded per node)

and reports streams compared, equal, differing (file, stream, direction,
first differing offset) and skipped (with the reason).

    tests/compare-follow.py [--tapir src/tapir] [--files PATH...] [--limit N]
                            [--mode raw|hexraw] [--batch N] [-j N] [-v] [PATH...]

PATHs (or --files) are capture files or folders; the default is pcaps/*.pcap*
and ../shared/corpus/{fq,retina,tcpdump}/* next to this source tree
($TAPIR_CORPUS instead of ../shared/corpus if set).  The whole default set
(about 850 files, 490 TCP streams) takes about 5 minutes with -j 2.

How tshark's output maps to tapir's directions (tshark 4.0, checked on
crafted captures): "Node 0" is the sender of the first packet of the stream,
whatever it is (SYN, SYN/ACK, a pure ACK); lines indented by a tab are what
node 1 sent, the others what node 0 sent.  tapir's client is the sender of
the first SYN without ACK, else the receiver of the first SYN/ACK, else the
sender of the first packet, so the script works out
each stream's client from tshark's per-packet fields and compares tapir's
client direction with the tshark node at that address:port.  With
--mode hexraw tapir runs once per stream with --follow-format hexraw and its
own "Node 0/1" banner is matched to tshark's by address:port.

When tshark's output is incomplete: tshark 4.0 prints a chunk
"[N bytes missing in capture file]" followed by a NUL byte (as hex) where a
gap was acknowledged by the receiver, and prints nothing at all for data
after a gap that was never acknowledged (the rest of the direction is
silently dropped).  So a direction is skipped when
  - tshark printed the missing marker, or
  - the captured segments of the direction (tcp.seq_raw, tcp.len from
    tshark's fields, relative to the SYN or to the lowest sequence number)
    do not cover one contiguous range (a gap in the capture), or
  - a frame with payload is cut by the snapshot length, or
  - tshark's bytes are fewer than that contiguous range (tshark dropped
    data it had).
Exit status: 0 all compared directions equal, 1 some differ, 77 tshark or
tapir missing.

--text compares the text itself, byte for byte, for every TCP and UDP
stream of each capture (default: pcaps/ only) and each of tshark's formats:

    tshark -q -r FILE -z follow,P,F,N
    tapir  -r FILE -z follow,P,F,N
    tapir  -r FILE --follow P.stream==N --follow-format F'   (F' = hexraw for raw)

for P in tcp, udp and F in ascii, hex, raw: the banner, tshark's node
order, every chunk where tshark cuts it (reordered segments included) and
each line of the hex dump.  Known differences, where tshark is wrong and
tapir keeps the right thing, are listed in TEXT_KNOWN (capture, stream,
reason): they are reported as "known", never as equal, and a known entry
that no longer differs is reported too (so the list stays true).  tests/
follow-tshark.sh runs --text and the raw mode on pcaps/ under make check.
Also usable as a helper:

    tests/compare-follow.py --dump-tshark FILE N client|server|0|1 > bytes

writes the bytes tshark's follow gives for one direction (client/server by
tapir's rule, or tshark's node 0/1), for tests/messy/run.sh --tshark.
"""
import argparse
import collections
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
MISSING = re.compile(rb"\[(\d+) bytes? missing in capture file\]\x00?")
FIELDS = ["tcp.stream", "_ws.col.Source", "tcp.srcport", "tcp.seq_raw",
          "tcp.len", "tcp.flags.syn", "tcp.flags.ack", "frame.len",
          "frame.cap_len", "frame.protocols", "_ws.col.Destination",
          "tcp.dstport"]
MOD = 1 << 32
# tapir's exit 3: damaged input, read up to the damage (as tshark does)
TAPIR_OK = (0, 3)


def run(cmd, timeout, ok=(0,)):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout after %d s" % timeout
    except OSError as e:
        return None, str(e)
    if p.returncode not in ok:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return p.stdout, "exit %d%s" % (p.returncode, (": " + err[-1]) if err else "")
    return p.stdout, None


def endpoint(addr, port):
    return ("[%s]:%s" % (addr, port)) if ":" in addr else ("%s:%s" % (addr, port))


def flag(v):
    return v in ("1", "True", "true")


class Dir:
    """What tshark's fields say about one sender of one stream."""
    __slots__ = ("segs", "isn", "truncated")

    def __init__(self):
        self.segs = []
        self.isn = None
        self.truncated = False

    def coverage(self):
        """(contiguous, length): do the captured segments cover one range
        from the start of the direction, and how long it is."""
        if not self.segs:
            return True, 0
        if self.isn is not None:
            base = (self.isn + 1) % MOD
        else:
            first = self.segs[0][0]
            low = min(((s - first + (1 << 31)) % MOD) - (1 << 31) for s, _ in self.segs)
            base = (first + low) % MOD
        iv = []
        for s, n in self.segs:
            r = (s - base) % MOD
            if r >= 1 << 31:  # before the start (data on a SYN's sequence number)
                r -= MOD
            lo, hi = max(r, 0), r + n
            if hi > lo:
                iv.append((lo, hi))
        iv.sort()
        end = 0
        for lo, hi in iv:
            if lo > end:
                return False, end
            end = max(end, hi)
        return True, end


class Stream:
    __slots__ = ("client", "synack_dst", "first", "first_dst", "dirs")

    def __init__(self):
        self.client = None      # sender of the first SYN without ACK
        self.synack_dst = None  # receiver of the first SYN/ACK
        self.first = None       # sender of the first packet
        self.first_dst = None
        self.dirs = collections.defaultdict(Dir)

    def tapir_client(self):
        return self.client or self.synack_dst or self.first


def tshark_fields(path, timeout):
    cmd = ["tshark", "-n", "-r", path, "-Y", "tcp", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=l"]
    for f in FIELDS:
        cmd += ["-e", f]
    out, err = run(cmd, timeout)
    streams = collections.OrderedDict()
    if out is None:
        return None, err
    for line in out.decode("utf-8", "replace").splitlines():
        c = line.split("\t")
        if len(c) < len(FIELDS) or not c[0].isdigit():
            continue
        if "icmp" in c[9].split(":"):
            continue  # a TCP header quoted in an ICMP error
        st = streams.setdefault(int(c[0]), Stream())
        snd = endpoint(c[1], c[2])
        if st.first is None:
            st.first = snd
            st.first_dst = endpoint(c[10], c[11])
        syn, ack = flag(c[5]), flag(c[6])
        d = st.dirs[snd]
        try:
            seq, ln = int(c[3]), int(c[4] or 0)
            flen, clen = int(c[7]), int(c[8])
        except ValueError:
            continue
        if syn:
            if d.isn is None:
                d.isn = seq
            if not ack and st.client is None:
                st.client = snd
            if ack and st.synack_dst is None:
                st.synack_dst = endpoint(c[10], c[11])
            seq += 1
        if ln > 0:
            if clen < flen:
                d.truncated = True
            d.segs.append((seq % MOD, ln))
    return streams, err


def parse_follow(text):
    """tshark (or tapir hexraw) follow,tcp,raw output -> {stream: (nodes,
    [bytes node0, bytes node1], [missing node0, missing node1])}"""
    res = {}
    cur = None
    for line in text.splitlines():
        if line.startswith("Filter: tcp.stream eq "):
            sid = int(line.split()[-1])
            cur = res[sid] = [["", ""], [bytearray(), bytearray()], [0, 0]]
            continue
        if cur is None:
            continue
        if line.startswith("Node 0: "):
            cur[0][0] = line[8:]
            continue
        if line.startswith("Node 1: "):
            cur[0][1] = line[8:]
            continue
        if line.startswith("====") or line.startswith("Follow: ") or not line.strip():
            continue
        node = 1 if line.startswith("\t") else 0
        h = line.strip()
        try:
            b = bytes.fromhex(h)
        except ValueError:
            continue
        m = MISSING.fullmatch(b)
        if m:
            cur[2][node] += int(m.group(1))
            continue
        cur[1][node] += b
    return res


def tshark_follow(path, sids, batch, timeout):
    res = {}
    for i in range(0, len(sids), batch):
        cmd = ["tshark", "-n", "-r", path, "-q"]
        for s in sids[i:i + batch]:
            cmd += ["-z", "follow,tcp,raw,%d" % s]
        out, err = run(cmd, timeout)
        if out is None:
            return res, err
        res.update(parse_follow(out.decode("ascii", "replace")))
    return res, None


# --text: streams of pcaps/ where tshark's text is wrong and tapir's is
# kept: {(capture file name, "tcp"|"udp", stream): reason}.
TEXT_KNOWN = {
    ("snaplen64-truncated.pcap", "tcp", 0):
        "every frame is cut inside its TCP options by the 64-byte snapshot "
        "length: tshark's TCP dissector throws before its follow tap, so it "
        "prints no endpoints ('Node 0: :0') and no data; tapir names both "
        "and reports the 87 and 259 bytes the capture lacks",
}
# icmp-errors.pcap: every TCP/UDP stream is made only of datagrams quoted
# in ICMP errors (crafted: nothing was sent on them).  Both number them
# (udp.stream/tcp.stream) and neither follows quoted bytes; tshark's follow
# tap never runs for a quote, so it prints 'Node 0: :0', tapir names the
# endpoints of the stream it numbered.
for _proto, _n in (("tcp", 0), ("udp", 0), ("udp", 1), ("udp", 2)):
    TEXT_KNOWN[("icmp-errors.pcap", _proto, _n)] = (
        "a stream of ICMP-quoted datagrams only: no data either way; "
        "tshark prints 'Node 0: :0', tapir the stream's endpoints")
TEXT_FORMATS = ("ascii", "hex", "raw")
BLOCK = re.compile(rb"\n={67}\nFollow: (tcp|udp),(ascii|hex|raw)\nFilter: \1\.stream eq (\d+)\n")


def text_streams(path, timeout):
    """{"tcp": [ids], "udp": [ids]} from tshark's per-packet stream fields."""
    out, err = run(["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=a",
                    "-E", "aggregator=,", "-e", "tcp.stream", "-e", "udp.stream"], timeout)
    res = {"tcp": set(), "udp": set()}
    if out is None:
        return None, err
    for line in out.decode("ascii", "replace").splitlines():
        c = line.split("\t")
        for proto, cell in zip(("tcp", "udp"), c):
            for v in cell.split(","):
                if v.strip().isdigit():
                    res[proto].add(int(v))
    return {k: sorted(v) for k, v in res.items()}, err


def split_blocks(text):
    """tshark's output of several -z follow -> {(proto, fmt, N): bytes}."""
    res = {}
    ms = list(BLOCK.finditer(text))
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(text)
        key = (m.group(1).decode(), m.group(2).decode(), int(m.group(3)))
        res[key] = text[m.start():end]
    return res


def compare_text(path, a):
    """Every stream and format of one capture: (counters, differences,
    known differences, log lines)."""
    cnt, diffs, known, log = collections.Counter(), [], [], []
    streams, err = text_streams(path, a.timeout)
    if streams is None:
        log.append("%s: tshark: %s" % (path, err))
        cnt["errors"] += 1
        return cnt, diffs, known, log
    keys = [(p, f, n) for p in ("tcp", "udp") for n in streams[p] for f in TEXT_FORMATS]
    if not keys:
        return cnt, diffs, known, log
    cnt["files"] += 1
    cnt["streams"] += len(streams["tcp"]) + len(streams["udp"])
    theirs = {}
    for i in range(0, len(keys), a.batch):
        cmd = ["tshark", "-n", "-r", path, "-q"]
        for p, f, n in keys[i:i + a.batch]:
            cmd += ["-z", "follow,%s,%s,%d" % (p, f, n)]
        out, err = run(cmd, a.timeout)
        if out is None:
            log.append("%s: tshark follow: %s" % (path, err))
            cnt["errors"] += 1
            return cnt, diffs, known, log
        theirs.update(split_blocks(out))
    name = os.path.basename(path)
    for p, f, n in keys:
        want = theirs.get((p, f, n))
        why = TEXT_KNOWN.get((name, p, n))
        runs = [["-z", "follow,%s,%s,%d" % (p, f, n)],
                ["--follow", "%s.stream==%d" % (p, n), "--follow-format",
                 "hexraw" if f == "raw" else f]]
        for args in runs:
            what = "%s %s" % (path, " ".join(args))
            cnt["compared"] += 1
            got, e = run([a.tapir, "-r", path] + args, a.timeout, TAPIR_OK)
            if want is None or e:
                diffs.append("%s: %s" % (what, e or "tshark printed nothing"))
                cnt["differ"] += 1
                continue
            same = got == want
            if why:
                known.append((why, "%s: %s" % (what, "differs" if not same else
                                               "EQUAL NOW: drop it from TEXT_KNOWN")))
                cnt["known"] += 1
                if same:
                    cnt["differ"] += 1
                    diffs.append("%s: listed in TEXT_KNOWN but equal" % what)
                continue
            if same:
                cnt["equal"] += 1
                if a.verbose:
                    log.append("equal %s: %d bytes" % (what, len(got)))
                continue
            gl, wl = got.split(b"\n"), want.split(b"\n")
            k = next((i for i in range(min(len(gl), len(wl))) if gl[i] != wl[i]),
                     min(len(gl), len(wl)))
            diffs.append("%s: line %d differs (tapir %d lines, tshark %d)\n    tapir:  %r\n    tshark: %r"
                         % (what, k + 1, len(gl), len(wl), gl[k][:100] if k < len(gl) else b"",
                            wl[k][:100] if k < len(wl) else b""))
            cnt["differ"] += 1
    return cnt, diffs, known, log


def main_text(a, files):
    cnt, diffs, known = collections.Counter(), [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for c, d, k, log in ex.map(lambda p: compare_text(p, a), files):
            cnt.update(c)
            diffs.extend(d)
            known.extend(k)
            for line in log:
                print(line)
    print("compare-follow --text: %d files with streams, %d streams (tcp and udp), "
          "formats %s, tapir %s" % (cnt["files"], cnt["streams"], ",".join(TEXT_FORMATS), a.tapir))
    print("  outputs compared:    %d (-z follow and --follow for each stream and format)"
          % cnt["compared"])
    print("  byte-identical:      %d" % cnt["equal"])
    print("  known differences:   %d" % cnt["known"])
    for why in sorted(set(w for w, _ in known)):
        print("    why: " + why)
        for w, line in known:
            if w == why:
                print("      " + line)
    print("  differing:           %d" % cnt["differ"])
    for line in diffs:
        print("  " + line)
    if cnt["errors"]:
        print("  errors:              %d" % cnt["errors"])
    return 1 if diffs or cnt["errors"] else 0


def first_diff(a, b):
    n = min(len(a), len(b))
    lo, hi = 0, n
    if a[:n] == b[:n]:
        return n
    while hi - lo > 4096:  # bisect on big chunks, then scan
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    for i in range(lo, hi):
        if a[i] != b[i]:
            return i
    return hi


def find_files(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for f in sorted(os.listdir(p)):
                fp = os.path.join(p, f)
                if os.path.isfile(fp) and not f.endswith((".md", ".txt", ".sha256", ".sh", ".py")) \
                        and f != "SOURCE":
                    out.append(fp)
        elif os.path.isfile(p):
            out.append(p)
        else:
            out.extend(sorted(g for g in glob.glob(p) if os.path.isfile(g)))
    return out


def default_paths():
    corpus = os.environ.get("TAPIR_CORPUS") or os.path.join(TOP, "..", "shared", "corpus")
    if not os.path.isdir(corpus):
        print("compare-follow.py: no corpus at %s (set TAPIR_CORPUS); pcaps/ only" % corpus)
    return ([os.path.join(TOP, "pcaps", "*.pcap*")] +
            [os.path.join(corpus, d) for d in ("fq", "retina", "tcpdump")])


def dump_tshark(path, sid, which, timeout):
    fol, err = tshark_follow(path, [sid], 1, timeout)
    if err or sid not in fol:
        sys.exit("compare-follow.py: tshark: %s" % (err or "no output"))
    nodes, data, missing = fol[sid]
    if which in ("0", "1"):
        n = int(which)
    else:
        streams, err = tshark_fields(path, timeout)
        if streams is None or sid not in streams:
            sys.exit("compare-follow.py: tshark fields: %s" % (err or "no stream %d" % sid))
        cl = streams[sid].tapir_client()
        n = nodes.index(cl) if cl in nodes else 0
        if which == "server":
            n = 1 - n
    if missing[n]:
        print("compare-follow.py: tshark marks %d bytes missing" % missing[n], file=sys.stderr)
    sys.stdout.buffer.write(bytes(data[n]))
    return 0


class Budget:
    """--limit: streams still to compare, shared by the worker threads."""

    def __init__(self, n):
        self.left = n if n > 0 else None
        self.lock = threading.Lock()

    def take(self, n):
        with self.lock:
            if self.left is None:
                return n
            k = min(n, self.left)
            self.left -= k
            return k

    def exhausted(self):
        with self.lock:
            return self.left is not None and self.left <= 0


def tapir_failure(err):
    return "tapir failed: " + re.sub(r"tcp\.stream \d+", "tcp.stream N", err)


def compare_file(path, a, budget):
    """Compare every TCP stream of one capture: (counters, skip reasons,
    differences, verbose lines)."""
    cnt, skips, diffs, log = collections.Counter(), collections.Counter(), [], []
    if budget.exhausted():
        return cnt, skips, diffs, log
    streams, err = tshark_fields(path, a.timeout)
    if not streams:
        if err and a.verbose:
            log.append("%s: tshark: %s" % (path, err))
        return cnt, skips, diffs, log
    sids = list(streams)[:budget.take(len(streams))]
    if not sids:
        return cnt, skips, diffs, log
    cnt["files"] += 1
    cnt["streams"] += len(sids)
    fol, err = tshark_follow(path, sids, a.batch, a.timeout)
    if err:
        log.append("%s: tshark follow: %s" % (path, err))
    for sid in sids:
        st = streams[sid]
        if sid not in fol:
            skips["tshark printed no follow output"] += 2
            continue
        nodes, tdata, tmiss = fol[sid]
        if nodes == [":0", ":0"]:  # tshark found no payload at all
            nodes = [st.first, st.first_dst]
        cl = st.tapir_client()
        nodes_ok = cl in nodes
        n_client = nodes.index(cl) if nodes_ok else 0
        tap_node = {0: b"", 1: b""}
        terr = None
        if a.mode == "raw":
            tap = {}
            for d in ("client", "server"):
                out, e = run([a.tapir, "-r", path, "--follow", "tcp.stream==%d" % sid,
                              "--follow-format", "raw", "--direction", d], a.timeout,
                             TAPIR_OK)
                if e:
                    terr = e
                    break
                tap[d] = out
            tap_node = {n_client: tap.get("client"), 1 - n_client: tap.get("server")}
        else:
            out, e = run([a.tapir, "-r", path, "--follow", "tcp.stream==%d" % sid,
                          "--follow-format", "hexraw"], a.timeout, TAPIR_OK)
            if e:
                terr = e
            else:
                r = parse_follow(out.decode("ascii", "replace")).get(sid)
                if r is None:
                    terr = "no follow output for stream %d" % sid
                else:
                    tnodes, tb, _ = r
                    if sorted(tnodes) != sorted(nodes):
                        terr = "other endpoints than tshark's"
                        log.append("%s tcp.stream==%d: tapir nodes %s, tshark %s"
                                   % (path, sid, tnodes, nodes))
                    else:
                        tap_node = {nodes.index(tnodes[i]): tb[i] for i in (0, 1)}
        for node in (0, 1):
            dname = ("client" if node == n_client else "server") if nodes_ok else "node%d" % node
            where = "%s tcp.stream==%d %s" % (path, sid, dname)
            d = st.dirs.get(nodes[node]) or Dir()
            contiguous, span = d.coverage()
            reason = None
            if tmiss[node]:
                reason = "tshark marks bytes missing"
            elif not contiguous:
                reason = "gap in the capture (never acknowledged: tshark stops there)"
            elif d.truncated:
                reason = "frame cut by the snapshot length"
            elif len(tdata[node]) < span:
                reason = "tshark gives fewer bytes than the captured range"
            elif terr:
                reason = tapir_failure(terr)
            if reason:
                skips[reason] += 1
                if a.verbose:
                    log.append("skip  %s: %s" % (where, reason))
                continue
            cnt["compared"] += 1
            mine, theirs = bytes(tap_node[node]), bytes(tdata[node])
            if mine == theirs:
                cnt["equal"] += 1
                if not theirs:
                    cnt["empty"] += 1
                if a.verbose:
                    log.append("equal %s: %d bytes" % (where, len(theirs)))
                continue
            other = bytes(tdata[1 - node])
            note = ""
            if mine == other and other:
                note = " (equal to tshark's other node: client/server swapped?)"
            off = first_diff(mine, theirs)
            diffs.append("%s: first difference at offset %d (tapir %d bytes, tshark %d)%s"
                         % (where, off, len(mine), len(theirs), note))
            cnt["differ"] += 1
            if a.verbose:
                log.append("DIFF  " + diffs[-1])
    return cnt, skips, diffs, log


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--files", nargs="+", help="captures or folders (instead of the default set)")
    ap.add_argument("--tapir", default=os.path.join(".", "src", "tapir"))
    ap.add_argument("--limit", type=int, default=0, help="compare at most N streams in all")
    ap.add_argument("--mode", choices=("raw", "hexraw"), default="raw")
    ap.add_argument("--batch", type=int, default=50, help="-z follow per tshark run")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per tool run")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="captures in parallel")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--dump-tshark", nargs=3, metavar=("FILE", "N", "DIR"))
    ap.add_argument("--text", action="store_true",
                    help="compare the follow text of every format (default files: pcaps/)")
    a = ap.parse_args()

    if not shutil.which("tshark"):
        print("compare-follow.py: tshark is not installed; nothing to compare")
        return 77
    if a.dump_tshark:
        f, n, d = a.dump_tshark
        return dump_tshark(f, int(n), d, a.timeout)
    if not (os.path.isfile(a.tapir) and os.access(a.tapir, os.X_OK)):
        print("compare-follow.py: no tapir binary at %s (--tapir PATH)" % a.tapir)
        return 77

    if a.text:
        return main_text(a, find_files(((a.files or []) + a.paths) or
                                       [os.path.join(TOP, "pcaps", "*.pcap*")]))
    files = find_files(((a.files or []) + a.paths) or default_paths())
    budget = Budget(a.limit)
    cnt, skips, diffs = collections.Counter(), collections.Counter(), []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for c, s, d, log in ex.map(lambda p: compare_file(p, a, budget), files):
            cnt.update(c)
            skips.update(s)
            diffs.extend(d)
            for line in log:
                print(line)
    print("compare-follow: %d files with TCP, %d streams, tapir %s, mode %s"
          % (cnt["files"], cnt["streams"], a.tapir, a.mode))
    print("  directions compared: %d" % cnt["compared"])
    print("  equal:               %d (%d of them empty in both)" % (cnt["equal"], cnt["empty"]))
    print("  differing:           %d" % cnt["differ"])
    print("  skipped:             %d" % sum(skips.values()))
    for r, n in skips.most_common():
        print("    %6d  %s" % (n, r))
    if diffs:
        print("differing directions:")
        for line in diffs:
            print("  " + line)
    if cnt["compared"]:
        print("agreement: %.2f%% of compared directions"
              % (100.0 * cnt["equal"] / cnt["compared"]))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
