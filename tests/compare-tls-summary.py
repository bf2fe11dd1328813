#!/usr/bin/env python3
"""compare-tls-summary.py - tapir's --tls connection summaries against
tshark's handshake fields, connection by connection.

    tests/compare-tls-summary.py [--tapir PATH] [--examples N]
                                 [--all-corpus] [--corpus DIR]
                                 [CAPTURE_OR_DIR...]

tapir runs as `tapir --tls -T json -r CAPTURE` (one JSON object per TLS
connection, keyed by its tcp.stream); tshark as `tshark -r CAPTURE -Y
'tls.handshake.type==1 || tls.handshake.type==2' -T fields` with
tcp.stream and the hello fields.  Per connection (tcp.stream) tshark's
side is built as --tls sums it up:

  sni      the first ClientHello's extensions_server_name
  ja3      the first ClientHello's JA3
  alpn_offered  the first ClientHello's ALPN list
  version  the last ServerHello's supported_version, else its
           tls.handshake.version (a HelloRetryRequest is a ServerHello
           for tshark 4.0 too: the last one is the real one)
  cipher   the last ServerHello's cipher suite (tapir's cipher_id: the
           number, as tshark's -T fields gives it)
  alpn     the last ServerHello's ALPN (TLS 1.2 and below; TLS 1.3 sends
           it encrypted: tapir says "(encrypted)", not compared)
  ja3s     the last ServerHello's JA3S
  alert    the first alert in the clear, when no application data came
           before it: tapir's outcome "failed" with that alert's code
           (and a connection tapir calls failed must have one)

Counted: the connections with a ClientHello and a ServerHello in each
tool (the acceptance: "as many as tshark counts ClientHellos with a
ServerHello"), and per key, connections compared and equal.  tshark
runs with --disable-protocol quic, as compare-tls-tshark.py.

Exit 0 if the counts and every compared value agree, 1 if not, 2 on
usage errors.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
# the capture walk, runner and corpus list of compare-tls-tshark.py
_spec = importlib.util.spec_from_file_location(
    'compare_tls_tshark', os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'compare-tls-tshark.py'))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)
TS_FIELDS = ['tcp.stream', 'tls.handshake.type',
             'tls.handshake.extensions_server_name', 'tls.handshake.ja3',
             'tls.handshake.extensions_alpn_str',
             'tls.handshake.extensions.supported_version',
             'tls.handshake.version', 'tls.handshake.ciphersuite',
             'tls.handshake.ja3s']
KEYS = ['sni', 'ja3', 'alpn_offered', 'version', 'cipher', 'alpn', 'ja3s',
        'alert']
VERSIONS = {0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1',
            0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3'}


def num(x):
    try:
        return int(x, 0)
    except ValueError:
        return None


def tshark_conns(tshark, path):
    cmd = [tshark, '-r', path] + base.NO_QUIC + [
        '-Y', 'tls.handshake.type==1 || tls.handshake.type==2',
        '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=;']
    for f in TS_FIELDS:
        cmd += ['-e', f]
    conns = {}
    for line in base.run_lenient(cmd):
        c = line.split('\t') + [''] * len(TS_FIELDS)
        if not c[0]:
            continue
        st, types = int(c[0].split(';')[0]), c[1].split(';')
        d = conns.setdefault(st, {'ch': False, 'sh': False})
        if '1' in types and not d['ch']:
            d['ch'] = True
            d['sni'] = c[2].split(';')[0]
            d['ja3'] = c[3].split(';')[0]
            d['alpn_offered'] = [a for a in c[4].split(';') if a]
        if '2' in types:
            d['sh'] = True
            sv = [num(v) for v in c[5].split(';') if v]
            hv = [num(v) for v in c[6].split(';') if v]
            # the ServerHello's values are the packet's (a packet with
            # a ServerHello carries no ClientHello)
            v = sv[-1] if sv else (hv[-1] if hv else None)
            d['version'] = VERSIONS.get(v, v)
            cs = [num(x) for x in c[7].split(';') if x]
            d['cipher'] = cs[-1] if cs else None
            al = [a for a in c[4].split(';') if a]
            d['alpn'] = al[-1] if al else None
            d['ja3s'] = c[8].split(';')[-1]
    # the first alert in the clear, when no application data came before
    # it (tshark's tls.app_data; in TLS 1.3 every record after the
    # ServerHello is application data outside, so any alert in the
    # clear): the handshake failed with it
    cmd = [tshark, '-r', path] + base.NO_QUIC + [
        '-Y', 'tls.alert_message.desc || tls.app_data', '-T', 'fields',
        '-E', 'occurrence=f', '-e', 'tcp.stream',
        '-e', 'tls.alert_message.desc', '-e', 'tls.app_data']
    data = set()
    for line in base.run_lenient(cmd):
        c = line.split('\t') + ['', '', '']
        if not c[0] or int(c[0]) not in conns:
            continue
        st = int(c[0])
        d = conns[st]
        if 'alert' in d:
            continue
        tls13 = d.get('version') == 'TLS 1.3'
        if c[1] and (tls13 or st not in data):
            d['alert'] = int(c[1])
        elif c[2]:
            data.add(st)
    return conns


def tapir_conns(tapir, path):
    r = subprocess.run([tapir, '--tls', '-T', 'json', '-r', path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    conns = {}
    for line in r.stdout.decode('utf-8').splitlines():
        o = json.loads(line)       # must be valid JSON, every line
        conns[o['stream']] = o
    return conns


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tapir', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'tapir'))
    ap.add_argument('--tshark', default='tshark')
    ap.add_argument('--examples', type=int, default=3)
    ap.add_argument('--all-corpus', action='store_true')
    ap.add_argument('--corpus', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared',
        'corpus'))
    ap.add_argument('paths', nargs='*')
    a = ap.parse_args()
    caps = list(base.files(a.paths)) if a.paths else []
    if a.all_corpus:
        caps += base.corpus(a.tshark, a.corpus, base.NO_QUIC)
    if not caps:
        sys.stderr.write('no capture\n')
        return 2
    cmp = {k: 0 for k in KEYS}
    eq = {k: 0 for k in KEYS}
    n_ts = n_tp = 0
    bad = 0
    for path in caps:
        ts, tp = tshark_conns(a.tshark, path), tapir_conns(a.tapir, path)
        full_ts = {s for s, d in ts.items() if d['ch'] and d['sh']}
        full_tp = {s for s, o in tp.items() if 'sni' in o and
                   'version' in o}
        n_ts += len(full_ts)
        n_tp += len(full_tp)
        shown = 0
        lines = []
        if full_ts != full_tp:
            bad += 1
            lines.append('  connections with both hellos: tshark %d, '
                         'tapir %d (only tshark: %s; only tapir: %s)' % (
                             len(full_ts), len(full_tp),
                             sorted(full_ts - full_tp)[:5],
                             sorted(full_tp - full_ts)[:5]))
        for st in sorted(full_ts & full_tp):
            d, o = ts[st], tp[st]
            for k in KEYS:
                want = d.get(k)
                got = o.get(k, '' if k in ('ja3', 'ja3s') else None)
                if k == 'cipher':   # tshark's fields give the number
                    got = o.get('cipher_id')
                if k == 'alert':
                    if want is None and o.get('outcome') != 'failed':
                        continue
                    al = o.get('alert', {})
                    got = al.get('code') if o.get('outcome') == 'failed' \
                        else None
                if k == 'alpn' and (got == '(encrypted)' or
                                    (want is None and got is None)):
                    continue
                if k == 'sni' and want == '' and got == '':
                    pass
                cmp[k] += 1
                if want == got:
                    eq[k] += 1
                else:
                    bad += 1
                    if shown < a.examples:
                        shown += 1
                        lines.append('  stream %d %s: tshark %r, tapir %r'
                                     % (st, k, want, got))
        print('%s: %d connections (tshark %d)' % (
            os.path.relpath(path), len(full_tp), len(full_ts)))
        for ln in lines:
            print(ln)
    tot_c = sum(cmp.values())
    tot_e = sum(eq.values())
    for k in KEYS:
        print('%-14s %6d compared, %6d equal' % (k, cmp[k], eq[k]))
    print('connections with both hellos: tshark %d, tapir %d' % (n_ts, n_tp))
    print('total: %d of %d values equal (%.2f%%) in %d captures' % (
        tot_e, tot_c, 100.0 * tot_e / tot_c if tot_c else 100.0,
        len(caps)))
    return 0 if bad == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
