#!/usr/bin/env python3
"""compare-http-tshark.py - tapir's HTTP fields against tshark's, packet by
packet, on every packet either tool calls HTTP in the captures given.

    tests/compare-http-tshark.py [--tapir src/tapir] [--fields F,F...]
                                 [--examples N] FILE_OR_DIR...

tshark runs with -o http.desegment_body:FALSE (tapir's layout: a message
head in the frame that completes it, the body's other segments as
Continuation).  Both print -T fields for frame.number and the fields
(default: method, URI, version, host, code, phrase, content type and
length, pairing, Info); rows are compared cell by cell.  Prints per file
the packets compared (those with a message head: a method or a status
code; body continuations are left out, as tapir dissects them in stream
order, after a hole is filled, where tshark shows each segment at once)
and those that differ (with examples), then the agreement rate.  Exit 0 always (a report), 2 when tshark is missing.

At 5afdd7cd on pcaps/ and ../shared/corpus: 42 of 56 message heads agree
on every default field (the 2 more: pcaps/http-websocket.pcap's upgrade).
The 14 others:
   4  ARCNET link layers tapir does not dissect: no HTTP layer at all
   4  HTTP inside TLS that tshark decrypts with the capture's keylog
   3  http-nginx.pcap: pipelined responses, which tshark pairs with the
      latest request seen (or none), tapir in order: tshark is wrong
   3  follow-reorder.pcap, messy-http.pcap: heads in out-of-order
      segments that tshark with desegment_body off does not dissect,
      tapir does after reassembly
"""
import argparse
import importlib.util
import os
import shutil
import subprocess
import sys

# the capture walk of compare-dns-tshark.py (files(paths), EXTS)
_spec = importlib.util.spec_from_file_location(
    'compare_dns_tshark',
    os.path.join(os.path.dirname(os.path.abspath(__file__)),
                 'compare-dns-tshark.py'))
_dns = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_dns)
files = _dns.files

FIELDS = ['http.request.method', 'http.request.uri', 'http.request.full_uri',
          'http.request.version',
          'http.host', 'http.response.code', 'http.response.phrase',
          'http.content_type', 'http.content_length', 'http.transfer_encoding',
          'http.request_in', 'http.prev_request_in', '_ws.col.Info']


def rows(cmd):
    """Frame -> cells of the packets with a message head (a method or a
    status code: the last two columns asked)."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = {}
    for line in r.stdout.decode('utf-8', 'replace').splitlines():
        cells = line.split('\t')
        # tshark's Protocol may name the body's dissector: HTTP/XML
        if (len(cells) > 4 and cells[1].startswith('HTTP') and
                (cells[-1] or cells[-2])):
            out[cells[0]] = cells[2:-2]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    for opt, kw in (('--tapir', {'default': 'src/tapir'}),
                    ('--fields', {'default': ','.join(FIELDS)}),
                    ('--examples', {'type': int, 'default': 3}),
                    ('paths', {'nargs': '+'})):
        ap.add_argument(opt, **kw)
    a = ap.parse_args()
    if not shutil.which('tshark'):
        print('compare-http-tshark: no tshark')
        return 2
    fl = a.fields.split(',')
    ef = []
    for f in ['frame.number', '_ws.col.Protocol'] + fl + [
            'http.request.method', 'http.response.code']:
        ef += ['-e', f]
    total = same = 0
    for path in files(a.paths):
        ts = rows(['tshark', '-r', path, '-o', 'http.desegment_body:FALSE',
                   '-T', 'fields'] + ef)
        tp = rows([a.tapir, '-r', path, '-T', 'fields'] + ef)
        keys = sorted(set(ts) | set(tp), key=int)
        if not keys:
            continue
        bad = [k for k in keys if ts.get(k) != tp.get(k)]
        total += len(keys)
        same += len(keys) - len(bad)
        print(f'{path}: {len(keys)} HTTP message heads, {len(bad)} differ')
        for k in bad[:a.examples]:
            print(f'  frame {k}')
            for f, x, y in zip(fl, ts.get(k, [''] * len(fl)),
                               tp.get(k, [''] * len(fl))):
                if x != y:
                    print(f'    {f}: tshark {x!r} tapir {y!r}')
    if total:
        print(f'agreement: {same}/{total} = {100.0 * same / total:.1f}%')
    return 0


if __name__ == '__main__':
    sys.exit(main())
