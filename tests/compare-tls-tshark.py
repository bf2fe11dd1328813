#!/usr/bin/env python3
"""compare-tls-tshark.py - tapir's TLS fields against tshark's, packet by
packet and field by field.

    tests/compare-tls-tshark.py [--tapir PATH] [--examples N]
                                [--all-corpus] [--corpus DIR]
                                [--tshark-arg ARG]... [CAPTURE_OR_DIR...]

Both tools run as
    TOOL -r CAPTURE -T fields -E occurrence=a -E aggregator=, \\
        -e frame.number -e FIELD...
with the fields of FIELDS below (Wireshark's tls.* names).  A field that
tshark does not know (tshark 4.0 has JA3/JA3S but no JA4) is left out
for both, and the run says so; one that tapir does not know (TOOL -G
fields) is left out too, named, and counts as a difference.
--tshark-arg passes an argument to tshark alone (e.g. -d
tcp.port==4433,tls: tshark finds TLS by port).  tshark runs with
--disable-protocol quic (TLS handshakes inside QUIC are not tapir's)
unless --quic.

A packet is compared on a field when either tool gives it a value there;
the values are equal when their comma-separated items are, an item that
reads as a number (0x1302, 22) compared by value, others as text.
Printed per capture: the packets with a TLS field in either tool, then
per field: packets compared, equal, and the first N differences (frame,
tshark's value, tapir's); at the end, per field over all captures and a
total line: (packet, field) pairs compared, equal, the agreement rate,
and how many packets agree on every field.

CAPTURE_OR_DIR: pcap/pcapng files (.gz too), directories walked for
them.  --all-corpus adds every capture of the shared corpus (--corpus,
default ../shared/corpus beside the checkout) in which tshark finds a
tls.handshake (files with no TLS record header bytes, 16 03 xx or a
SSLv2 ClientHello's, in their packets are not asked).

Before tapir dissects TLS, the script is checked with tshark standing in
for tapir: --tapir "$(command -v tshark)" agrees on everything; a
wrapper that changes tshark's output (e.g. sed on a cipher suite)
makes the differences show.

Known: fq/inet_tls12-ipv4-linkframe-keylog.pcapng carries its TLS
secrets in a pcapng Decryption Secrets Block, which tshark uses on its
own: it shows the encrypted Finished messages (type 20, their
verify_data) and the close_notify alerts (desc 0), which a tool that
does not decrypt cannot.  tshark's tls.record.content_type leaves out TLS 1.3's
encrypted records (their type is tls.record.opaque_type there).
fq/tls_testtls.com.http1.1-tls1.2.pcap: tshark's tls.handshake.sig_hash_alg
also holds the signature algorithms of the signed certificate timestamps
inside the server's certificates (X.509's SCT list extension, which it
reads with TLS's digitally-signed struct); tapir's are the messages'.

Exit 0 if every compared value is equal, 1 if any differs, 2 on usage
errors, a tool that cannot run or no capture with TLS.
"""
import argparse
import gzip
import importlib.util
import os
import re
import shutil
import subprocess
import sys



def _sibling(name):
    """The module of tests/NAME.py (a name with dashes); no
    tests/__pycache__ left behind."""
    sys.dont_write_bytecode = True
    spec = importlib.util.spec_from_file_location(
        name.replace('-', '_'), os.path.join(
            os.path.dirname(os.path.abspath(__file__)), name + '.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# the capture walk of compare-dns-tshark.py (files(paths), EXTS); the
# strict command runner of compare-http2-nghttp.py (exit 2 on failure)
files = _sibling('compare-dns-tshark').files
run_strict = _sibling('compare-http2-nghttp').run_fields

FIELDS = ['tls.record.content_type', 'tls.record.version',
          'tls.handshake.type', 'tls.handshake.version',
          'tls.handshake.ciphersuite',
          'tls.handshake.extensions_server_name',
          'tls.handshake.extensions_alpn_str',
          'tls.handshake.extensions.supported_version',
          'tls.handshake.ja3', 'tls.handshake.ja3_full',
          'tls.handshake.ja3s', 'tls.handshake.ja3s_full',
          'tls.handshake.ja4', 'tls.handshake.ja4_r',
          'tls.alert_message.desc',
          # the key exchange and the messages after the hellos
          'tls.handshake.server_curve_type',
          'tls.handshake.server_named_curve',
          'tls.handshake.server_point_len', 'tls.handshake.server_point',
          'tls.handshake.p_len', 'tls.handshake.p',
          'tls.handshake.g_len', 'tls.handshake.g',
          'tls.handshake.ys_len', 'tls.handshake.ys',
          'tls.handshake.modulus_len', 'tls.handshake.modulus',
          'tls.handshake.exponent_len', 'tls.handshake.exponent',
          'tls.handshake.hint_len', 'tls.handshake.sig_hash_alg',
          'tls.handshake.sig_len', 'tls.handshake.sig',
          'tls.handshake.epms_len', 'tls.handshake.epms',
          'tls.handshake.yc_len', 'tls.handshake.yc',
          'tls.handshake.client_point_len', 'tls.handshake.client_point',
          'tls.handshake.identity_len',
          'tls.handshake.client_cert_vrfy.sig_len',
          'tls.handshake.client_cert_vrfy.sig',
          'tls.handshake.cert_types_count', 'tls.handshake.cert_type',
          'tls.handshake.dnames_len', 'tls.handshake.dname_len',
          'tls.handshake.certificate_request_context_length',
          'tls.handshake.ocsp_response_len',
          'tls.handshake.session_ticket_lifetime_hint',
          'tls.handshake.session_ticket_length',
          # extensions
          'tls.handshake.extension.type', 'tls.handshake.extension.len',
          'tls.handshake.extensions_status_request_type',
          'tls.handshake.extensions_status_request_responder_ids_len',
          'tls.handshake.extensions_status_request_exts_len',
          'tls.handshake.extension.heartbeat.mode',
          'tls.compress_certificate.algorithm', 'tls.record_size_limit',
          'tls.handshake.extensions.psk.identities.length',
          'tls.handshake.extensions.psk.identity.identity_length',
          'tls.handshake.extensions.psk.identity.identity',
          'tls.handshake.extensions.psk.identity.obfuscated_ticket_age',
          'tls.handshake.extensions.psk.binders_len',
          'tls.handshake.extensions.psk.identity.selected',
          'tls.extension.psk_ke_mode',
          'tls.handshake.extensions_alps_alpn_str',
          'tls.handshake.extensions_alps_len',
          'tls.handshake.extensions_alps_alpn_str_len',
          'tls.handshake.extensions_status_request_len',
          'tls.handshake.extensions_status_request_list_len',
          'tls.compress_certificate.algorithms_length',
          'tls.extension.psk_ke_modes_length',
          'tls.handshake.ocsp_response_list_len',
          'tls.handshake.key_update.request_update',
          'tls.handshake.hint', 'tls.handshake.identity',
          # subtree heads (present: 1)
          'tls.handshake.cert_types', 'tls.handshake.dnames',
          'tls.handshake.dname', 'tls.handshake.verify_data',
          'tls.handshake.extensions.psk.binders',
          'tls.handshake.extensions_alps_alpn_list']
# a TLS record header (handshake, TLS 1.0-1.3 / SSL 3.0), a DTLS one
# (1.0, 1.2) or an SSLv2 ClientHello (2-byte length with the top bit,
# type 1, version 2 or 3.x)
TLS_BYTES = re.compile(rb'\x16\x03[\x00-\x04]|\x16\xfe[\xfd\xff]|'
                       rb'[\x80-\xff].\x01\x00\x02|'
                       rb'[\x80-\xff].\x01\x03[\x00-\x04]', re.S)
# TLS inside QUIC (CRYPTO frames) is not issue 19's: tshark runs
# without its QUIC dissector unless --quic
NO_QUIC = ['--disable-protocol', 'quic']


def run_lenient(cmd):
    """stdout lines of cmd, also when it fails (a capture cut short: the
    failure is told, what it printed used); exit 2 if it cannot run."""
    if not shutil.which(cmd[0]):
        sys.stderr.write('%s: not found or not executable\n' % cmd[0])
        sys.exit(2)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        err = r.stderr.decode('utf-8', 'replace').strip().splitlines()
        print('  (%s exit %d: %s)' % (os.path.basename(cmd[0]),
                                      r.returncode, err[-1] if err else ''))
    return r.stdout.decode('utf-8', 'replace').splitlines()


def known_fields(tool):
    """The fields of FIELDS the tool knows (TOOL -G fields)."""
    names = set()
    for line in run_strict([tool, '-G', 'fields']):
        c = line.split('\t')
        if len(c) > 2 and c[0] == 'F':
            names.add(c[2])
    return [f for f in FIELDS if f in names]


def table(tool, capture, fields, extra=()):
    """frame number -> [value per field] of the packets with a value in
    any field."""
    cmd = [tool, '-r', capture] + list(extra) + [
        '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,',
        '-e', 'frame.number']
    for f in fields:
        cmd += ['-e', f]
    out = {}
    for line in run_lenient(cmd):
        c = line.split('\t')
        c += [''] * (len(fields) + 1 - len(c))
        if c[0] and any(c[1:]):
            out[int(c[0])] = c[1:len(fields) + 1]
    return out


def item(x):
    try:
        return int(x, 0) if x[:2].lower() == '0x' else int(x)
    except ValueError:
        return x


def same(a, b):
    return a == b or [item(x) for x in a.split(',')] == [
        item(x) for x in b.split(',')]


def show(a, b):
    """tshark's value and tapir's, long ones cut, with the first item
    that differs."""
    x, y = a.split(','), b.split(',')
    k = next((i for i, (p, q) in enumerate(zip(x, y))
              if item(p) != item(q)), min(len(x), len(y)))
    cut = lambda v: repr(v) if len(v) <= 100 else repr(v[:97] + '...')
    return 'tshark %s, tapir %s (item %d: %r, %r)' % (
        cut(a), cut(b), k + 1, x[k] if k < len(x) else None,
        y[k] if k < len(y) else None)


def has_tls_bytes(path):
    """Any TLS handshake record header in the file (gunzipped)?"""
    try:
        op = gzip.open if path.endswith('.gz') else open
        with op(path, 'rb') as fh:
            return TLS_BYTES.search(fh.read()) is not None
    except (OSError, EOFError):
        return True         # let tshark say


def corpus(tshark, root, extra):
    """The corpus captures in which tshark finds a tls.handshake."""
    out = []
    for path in files([root]):
        if has_tls_bytes(path) and run_lenient(
                [tshark, '-r', path] + list(extra) +
                ['-Y', 'tls.handshake', '-T', 'fields',
                 '-e', 'frame.number']):
            out.append(path)
    return out


class Tally:
    def __init__(self, fields):
        self.cmp = {f: 0 for f in fields}
        self.eq = {f: 0 for f in fields}
        self.packets = self.packets_eq = self.captures = 0


def compare(path, tshark, tapir, fields, extra, examples, total):
    """Print the comparison of one capture into total; the number of
    values that differ."""
    ts = table(tshark, path, fields, extra)
    tp = table(tapir, path, fields)
    frames = sorted(set(ts) | set(tp))
    if not frames:
        return 0
    total.captures += 1
    print('%s: packets with TLS fields: tshark %d, tapir %d'
          % (path, len(ts), len(tp)))
    empty = [''] * len(fields)
    diffs = 0
    for i, f in enumerate(fields):
        cmp = eq = 0
        ex = []
        for n in frames:
            a, b = ts.get(n, empty)[i], tp.get(n, empty)[i]
            if not a and not b:
                continue
            cmp += 1
            if same(a, b):
                eq += 1
            elif len(ex) < examples:
                ex.append('    frame %d: %s' % (n, show(a, b)))
        total.cmp[f] += cmp
        total.eq[f] += eq
        diffs += cmp - eq
        if cmp:
            print('  %-44s compared %5d, equal %5d%s'
                  % (f, cmp, eq, '' if cmp == eq else '  DIFFER'))
            for x in ex:
                print(x)
    for n in frames:
        total.packets += 1
        if all(same(a, b) for a, b in zip(ts.get(n, empty),
                                          tp.get(n, empty))):
            total.packets_eq += 1
    return diffs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('paths', nargs='*', metavar='CAPTURE_OR_DIR')
    ap.add_argument('--tapir', default=os.path.join(here, '..', 'src',
                                                    'tapir'))
    ap.add_argument('--examples', type=int, default=5)
    ap.add_argument('--all-corpus', action='store_true')
    ap.add_argument('--corpus', default=os.path.normpath(os.path.join(
        here, '..', '..', 'shared', 'corpus')))
    ap.add_argument('--tshark-arg', action='append', default=[])
    ap.add_argument('--quic', action='store_true',
                    help='keep tshark\'s QUIC dissector (TLS in QUIC)')
    a = ap.parse_args()
    tshark = shutil.which('tshark')
    if not tshark:
        sys.stderr.write('compare-tls-tshark: tshark not found '
                         '(apt-get install tshark)\n')
        return 2
    if not a.paths and not a.all_corpus:
        ap.error('no capture (CAPTURE_OR_DIR or --all-corpus)')
    if not a.quic:
        a.tshark_arg = NO_QUIC + a.tshark_arg
    fields = known_fields(tshark)
    skipped = [f for f in FIELDS if f not in fields]
    if skipped:
        print('fields tshark does not know, not compared: %s'
              % ', '.join(skipped))
    # a field tshark has and tapir not (yet) is a difference, reported
    # once; the others are compared
    ours = known_fields(a.tapir)
    missing = [f for f in fields if f not in ours]
    if missing:
        print('fields tapir (%s) does not know, not compared: %s  DIFFER'
              % (a.tapir, ', '.join(missing)))
        fields = [f for f in fields if f in ours]
    paths = list(files(a.paths))
    if a.all_corpus:
        if not os.path.isdir(a.corpus):
            sys.stderr.write('compare-tls-tshark: no corpus at %s\n'
                             % a.corpus)
            return 2
        found = corpus(tshark, a.corpus, a.tshark_arg)
        print('corpus %s: %d captures with a tls.handshake'
              % (os.path.normpath(a.corpus), len(found)))
        paths += [p for p in found if p not in paths]
    total = Tally(fields)
    diffs = 0
    for p in paths:
        diffs += compare(p, tshark, a.tapir, fields, a.tshark_arg,
                         a.examples, total)
    ncmp, neq = sum(total.cmp.values()), sum(total.eq.values())
    if not ncmp:
        print('no TLS fields in %d captures' % len(paths))
        return 2
    print('all %d captures with TLS fields (of %d), per field:'
          % (total.captures, len(paths)))
    for f in fields:
        if total.cmp[f]:
            print('  %-44s compared %6d, equal %6d (%.2f%%)'
                  % (f, total.cmp[f], total.eq[f],
                     100.0 * total.eq[f] / total.cmp[f]))
    print('total: %d captures, %d packets with TLS fields (%d equal on '
          'every field), %d values compared, %d equal: agreement %.2f%%'
          % (total.captures, total.packets, total.packets_eq, ncmp, neq,
             100.0 * neq / ncmp))
    return 1 if diffs or missing else 0


if __name__ == '__main__':
    sys.exit(main())
