#!/usr/bin/env python3
"""compare-http2-nghttp.py - the HTTP/2 frames tapir finds in a capture
against the client's own frame log (nghttp -v), connection by connection
and direction by direction.

    tests/compare-http2-nghttp.py CAPTURE LOG [--tapir PATH] [--tshark]
                                  [--server-port N] [--examples N]
    tests/compare-http2-nghttp.py --headers CAPTURE [--tapir PATH]
                                  [--examples N]

LOG is nghttp -v's stdout: the lines
    [  0.003] send HEADERS frame <length=40, flags=0x25, stream_id=13>
    [  0.004] recv SETTINGS frame <length=18, flags=0x00, stream_id=0>
("send" = client to server), split into connections by the lines
"### connection N: <command>" that pcaps/make-http2-captures.sh writes
(none: one connection).  Lines that begin "### cut: " (frames in the
packets cut from http2-midcut.pcap) are not frames of the capture.

The capture is read with
    tapir -r CAPTURE -T fields -E occurrence=a -E aggregator=, \\
        -e tcp.stream -e tcp.srcport -e tcp.dstport \\
        -e http2.type -e http2.streamid -e http2.flags -e http2.length
one packet a line, several frames in a packet comma-joined in order.
nghttp logs a header block in HEADERS + CONTINUATION frames as one
HEADERS frame (length: all of them, flags: the first's and END_HEADERS):
the capture's CONTINUATION frames are folded so before comparing.
The log's N-th connection is the capture's N-th TCP stream (tcp.stream
order: first appearance); the client is the side whose port is not the
server port (--server-port, else the lower port of the pair).  Each
direction's frames (type, stream id, flags, length) are compared as
sequences: printed per capture are the frames in the log, the frames
the tool found, those equal (in order), and the first differences.
With --tshark the same is done for tshark 4.0 (its http2.* field names
are the same), twice: as a user runs it ("tshark": its heuristic needs
the client preface first) and with -d tcp.port==8080,http2 ("tshark
-d"), to show which frames tshark misses.  LOG "-" takes "tshark -d"'s
frames for the reference (http2-curl.pcap has no nghttp log).  Exit 1 if tapir's
frames differ from the log's anywhere, 0 if all equal, 2 on usage
errors or a tool that cannot run.

--headers: http2.header.name / http2.header.value per packet, tapir's
against tshark's (aggregator 0x1f, values may hold commas): the packets
where either has headers, those equal (header by header, in order),
the first differences, the agreement rate.  A header tshark names
<unknown> (a dynamic-table entry it never saw: http2-midcut.pcap) is not
compared but counted and shown with tapir's pair.  Exit 1 if any packet
differs.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys

TYPES = {'DATA': 0, 'HEADERS': 1, 'PRIORITY': 2, 'RST_STREAM': 3,
         'SETTINGS': 4, 'PUSH_PROMISE': 5, 'PING': 6, 'GOAWAY': 7,
         'WINDOW_UPDATE': 8, 'CONTINUATION': 9, 'ALTSVC': 10,
         'ORIGIN': 12, 'PRIORITY_UPDATE': 16}
NAMES = {v: k for k, v in TYPES.items()}
FRAME = re.compile(r'^\[\s*[0-9.]+\] (send|recv) (\w+) frame <length=(\d+), '
                   r'flags=0x([0-9a-fA-F]+), stream_id=(\d+)>')
# nghttp's line for a frame type it has no name for
FRAME_EXT = re.compile(r'^\[\s*[0-9.]+\] (send|recv) .*frame <length=(\d+), '
                       r'type=(\d+), flags=0x([0-9a-fA-F]+), stream_id=(\d+)>')
# tshark's heuristic needs the client preface: not in a capture cut
# mid-connection, not before a server's SETTINGS sent first
TSHARK_OPTS = ['-d', 'tcp.port==8080,http2']
# tshark's name for a header from a dynamic-table entry it never saw
UNKNOWN = '<unknown>'
CONN = re.compile(r'^### connection (\d+): (.*)')
FIELDS = ['tcp.stream', 'tcp.srcport', 'tcp.dstport', 'http2.type',
          'http2.streamid', 'http2.flags', 'http2.length']


def show(f):
    """A frame (type, sid, flags, length) as nghttp names it."""
    t, sid, fl, ln = f
    return '%s[%d] flags=0x%02x length=%d' % (NAMES.get(t, 'type%d' % t),
                                               sid, fl, ln)


def read_log(path):
    """[(command, {'send': [frame...], 'recv': [frame...]})...]"""
    conns = []
    for line in open(path, encoding='utf-8', errors='replace'):
        m = CONN.match(line)
        if m:
            conns.append((m.group(2).strip(), {'send': [], 'recv': []}))
            continue
        m = FRAME.match(line)
        if m:
            d, name, ln, fl, sid = m.groups()
            if name not in TYPES:
                sys.exit('%s: unknown frame type name %s' % (path, name))
            f = (TYPES[name], int(sid), int(fl, 16), int(ln))
        else:
            m = FRAME_EXT.match(line)
            if not m:
                continue
            d, ln, ty, fl, sid = m.groups()
            f = (int(ty), int(sid), int(fl, 16), int(ln))
        if not conns:
            conns.append(('(one connection)', {'send': [], 'recv': []}))
        conns[-1][1][d].append(f)
    return conns


def run_fields(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    except OSError as e:
        sys.stderr.write('%s: %s\n' % (cmd[0], e))
        sys.exit(2)
    if r.returncode != 0:
        sys.stderr.write('%s failed (%d): %s\n' % (
            ' '.join(cmd), r.returncode,
            r.stderr.decode('utf-8', 'replace').strip()[:500]))
        sys.exit(2)
    return r.stdout.decode('utf-8', 'replace').splitlines()


def num(s):
    return int(s, 0) if s.startswith('0x') else int(s)


def read_capture(cmd, server_port):
    """Frames per TCP stream and direction, every TCP stream in index
    order (with frames or not): [(stream, {'send': [...], 'recv':
    [...]})...]; packets whose http2 columns do not line up are an error
    of the tool, kept apart."""
    streams, bad = {}, []
    for n, line in enumerate(run_fields(cmd), 1):
        c = line.split('\t')
        if len(c) < len(FIELDS):
            c += [''] * (len(FIELDS) - len(c))
        if not c[0]:
            continue
        stream, sp, dp = int(c[0]), int(c[1]), int(c[2])
        dirs = streams.setdefault(stream, {'send': [], 'recv': []})
        if not c[3]:
            continue
        cols = [x.split(',') for x in c[3:7]]
        if len({len(x) for x in cols}) != 1:
            bad.append('packet %d: http2 columns of unequal length: %s'
                       % (n, '\t'.join(c[3:7])))
            continue
        sport = server_port if server_port else min(sp, dp)
        d = 'recv' if sp == sport else 'send'
        for t, sid, fl, ln in zip(*cols):
            dirs[d].append((num(t), num(sid), num(fl), num(ln)))
    return [(k, streams[k]) for k in sorted(streams)], bad


def fold(conns):
    """nghttp logs a header block sent or received in HEADERS (or
    PUSH_PROMISE) + CONTINUATION frames as one HEADERS frame: the length
    of all, the flags of the first with END_HEADERS (0x4).  The same for
    the capture's frames, in place; returns how many CONTINUATION frames
    were folded."""
    n = 0
    for _, dirs in conns:
        for d in dirs:
            out = []
            for f in dirs[d]:
                if (f[0] == 9 and out and out[-1][0] in (1, 5)
                        and out[-1][1] == f[1] and not out[-1][2] & 4):
                    t, sid, fl, ln = out[-1]
                    out[-1] = (t, sid, fl | (f[2] & 4), ln + f[3])
                    n += 1
                else:
                    out.append(f)
            dirs[d] = out
    return n


def diff(ref, got, limit):
    """(equal, [difference text...]) of two frame sequences."""
    sm = difflib.SequenceMatcher(None, ref, got, autojunk=False)
    equal = sum(b.size for b in sm.get_matching_blocks())
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == 'equal':
            continue
        where = 'at reference frame %d' % (i1 + 1)
        if op in ('replace', 'delete'):
            for f in ref[i1:i2]:
                out.append('%s: only in the reference: %s' % (where, show(f)))
        if op in ('replace', 'insert'):
            for f in got[j1:j2]:
                out.append('%s: only in the capture:   %s' % (where, show(f)))
    return equal, out[:limit] + (['... %d more' % (len(out) - limit)]
                                 if len(out) > limit else [])


def compare(label, ref_conns, got_conns, bad, limit):
    """Print the comparison of one tool; True if all equal."""
    nref = sum(len(d['send']) + len(d['recv']) for _, d in ref_conns)
    ngot = sum(len(d['send']) + len(d['recv']) for _, d in got_conns)
    lines, equal_all = [], 0
    ok = not bad and len(ref_conns) == len(got_conns)
    if len(ref_conns) != len(got_conns):
        lines.append('  %d connections in the reference, %d TCP streams in '
                     'the capture' % (len(ref_conns), len(got_conns)))
    for i in range(max(len(ref_conns), len(got_conns))):
        rname, rd = ref_conns[i] if i < len(ref_conns) else (
            '(none)', {'send': [], 'recv': []})
        gs, gd = got_conns[i] if i < len(got_conns) else (
            None, {'send': [], 'recv': []})
        for d, who in (('send', 'client->server'), ('recv', 'server->client')):
            eq, dl = diff(rd[d], gd[d], limit)
            equal_all += eq
            if dl or len(rd[d]) != len(gd[d]):
                ok = False
                lines.append('  connection %d (tcp.stream %s: %s) %s: %d in '
                             'the reference, %d found, %d equal'
                             % (i + 1, gs, rname, who, len(rd[d]),
                                len(gd[d]), eq))
                lines += ['    ' + x for x in dl]
    print('%-10s frames in the reference %d, found %d, equal %d%s'
          % (label + ':', nref, ngot, equal_all, '' if ok else '  DIFFER'))
    for b in bad[:limit]:
        print('  ' + b)
    for x in lines:
        print(x)
    return ok


def fields_cmd(tool, capture, fields, agg=','):
    cmd = [tool, '-r', capture, '-T', 'fields', '-E', 'occurrence=a',
           '-E', 'aggregator=' + agg]
    for f in fields:
        cmd += ['-e', f]
    return cmd


def tshark_path():
    t = shutil.which('tshark')
    if not t:
        sys.stderr.write('tshark not found (apt-get install tshark)\n')
        sys.exit(2)
    return t


def headers(args):
    """--headers: tapir's header names and values against tshark's."""
    sep = '\x1f'
    f = ['frame.number', 'http2.header.name', 'http2.header.value']

    def rows(tool):
        out = {}
        for line in run_fields(fields_cmd(tool[0], args.capture, f, sep)
                               + tool[1:]):
            c = (line.split('\t') + ['', ''])[:3]
            if c[1] or c[2]:
                names, values = c[1].split(sep), c[2].split(sep)
                out[int(c[0])] = list(zip(names, values)) if len(
                    names) == len(values) else ('unequal', names, values)
        return out
    a, b = rows([args.tapir]), rows([tshark_path()] + TSHARK_OPTS)
    # tshark lists a header from a dynamic-table entry it never saw as
    # <unknown> with an empty value; tapir shows no name or value for it
    # (http2.header.unknown_index instead): such headers are counted, not
    # compared
    excused = []
    for n, hs in list(b.items()):
        if isinstance(hs, list) and any(h[0] == UNKNOWN for h in hs):
            excused += [(n, k + 1) for k, h in enumerate(hs)
                        if h[0] == UNKNOWN]
            b[n] = [h for h in hs if h[0] != UNKNOWN]
            if not b[n]:
                del b[n]
    frames = sorted(set(a) | set(b))
    same, diffs, bad = 0, [], []
    for n in frames:
        ta, tb = a.get(n, []), b.get(n, [])
        why = None
        if isinstance(ta, tuple) or isinstance(tb, tuple):
            why = 'names and values do not pair up: tapir %r, tshark %r' % (
                ta, tb)
        elif len(ta) != len(tb):
            why = 'tapir %d headers, tshark %d' % (len(ta), len(tb))
        else:
            for k, (x, y) in enumerate(zip(ta, tb)):
                if x != y:
                    why = 'header %d: tapir %r, tshark %r' % (k + 1, x, y)
                    break
        if why is None:
            same += 1
        else:
            bad.append((n, why))
    # a block split over HEADERS and CONTINUATION in several packets:
    # tshark shows each fragment's whole headers in its packet, tapir the
    # block in the packet that ends it; the same headers in the same
    # order over a run of such packets are equal
    k, moved = 0, 0
    while k < len(bad):
        j = k
        while j + 1 < len(bad) and bad[j + 1][0] == frames[
                frames.index(bad[j][0]) + 1]:
            j += 1
        run = [x[0] for x in bad[k:j + 1]]
        cat = lambda t: [h for n in run if isinstance(t.get(n, []), list)
                         for h in t.get(n, [])]
        if j > k and cat(a) == cat(b):
            same += len(run)
            moved += len(run)
        else:
            diffs += ['  frame %d: %s' % x for x in bad[k:j + 1]]
        k = j + 1
    diffs = diffs[:args.examples]
    if moved:
        diffs.insert(0, '  (%d packets hold a header block split over '
                     'HEADERS and CONTINUATION: equal as a run)' % moved)
    print('%s: packets with headers: tapir %d, tshark %d; compared %d, '
          'equal %d (%.1f%%); headers tshark could not decode (%s, not '
          'compared): %d' % (args.capture, len(a), len(b), len(frames), same,
                             100.0 * same / len(frames) if frames else 100.0,
                             UNKNOWN, len(excused)))
    for x in diffs:
        print(x)
    for n, k in excused[:args.examples]:
        print('  frame %d, header %d: tshark %s' % (n, k, UNKNOWN))
    return 0 if same == len(frames) else 1


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(
        description='HTTP/2 frames in a capture against nghttp -v\'s log')
    ap.add_argument('capture')
    ap.add_argument('log', nargs='?')
    ap.add_argument('--tapir', default=os.path.join(here, '..', 'src',
                                                    'tapir'))
    ap.add_argument('--tshark', action='store_true',
                    help='also compare tshark\'s frames with the log')
    ap.add_argument('--headers', action='store_true',
                    help='compare http2.header.name/value with tshark\'s')
    ap.add_argument('--server-port', type=int, default=0)
    ap.add_argument('--examples', type=int, default=8)
    args = ap.parse_args()
    if args.headers:
        return headers(args)
    if not args.log:
        ap.error('LOG is needed (or --headers)')
    if args.log == '-' and not args.tshark:
        ap.error('LOG "-" takes tshark\'s frames for the reference: --tshark')
    print('%s:' % args.capture)
    tsh = {}
    if args.tshark:
        # as a user runs it (heuristics only), and told port 8080 is HTTP/2
        for label, opts in (('tshark', []), ('tshark -d', TSHARK_OPTS)):
            tsh[label] = read_capture(fields_cmd(tshark_path(), args.capture,
                                                 FIELDS) + opts,
                                      args.server_port)
    if args.log == '-':
        ref = [('tcp.stream %d' % k, d) for k, d in tsh['tshark -d'][0]]
    else:
        ref = read_log(args.log)
    got = read_capture(fields_cmd(args.tapir, args.capture, FIELDS),
                       args.server_port)
    if args.log != '-':
        n = fold(got[0])
        for label in tsh:
            fold(tsh[label][0])
        if n:
            print('(%d CONTINUATION frames folded into their HEADERS or '
                  'PUSH_PROMISE, as nghttp logs them)' % n)
    ok = compare('tapir', ref, got[0], got[1], args.examples)
    for label in tsh if args.log != '-' else ():
        compare(label, ref, tsh[label][0], tsh[label][1], args.examples)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
