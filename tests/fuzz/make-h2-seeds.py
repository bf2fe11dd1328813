#!/usr/bin/env python3
"""make-h2-seeds.py - the HTTP/2 seeds and dictionaries of the fuzzers.

    tests/fuzz/make-h2-seeds.py [TOP_SRCDIR]

Writes tests/fuzz/corpus/fuzz_http2/h2-* (byte 0: bytes beyond the
captured ones, then frames dissected without state),
tests/fuzz/corpus/fuzz_stream/h2-* (a conversation on port 80 in
fuzz_stream.c's record format: prior knowledge, Upgrade: h2c, a long
frame, CONTINUATION, a gap) and tests/fuzz/dict/fuzz_http2.dict
(fuzz_stream.dict gets the same HTTP/2 tokens after its own).
"""
import gzip
import os
import struct
import sys

PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'


def fr(t, fl, sid, pl, length=None):
    n = len(pl) if length is None else length
    return struct.pack('>I', n)[1:] + bytes([t, fl]) + struct.pack('>I', sid) + pl


REQ = b'\x82\x84\x86\x41\x01t'           # GET / http :authority t
RESP = b'\x88\x0f\x10\x0atext/plain'     # 200, content-type
HUFF = b'\x82\x86\x84\x41\x8c\xf1\xe3\xc2\xe5\xf2\x3a\x6b\xa0\xab\x90\xf4\xff'
SETTINGS = b''.join(struct.pack('>HI', i, v) for i, v in
                    [(1, 4096), (2, 0), (3, 100), (4, 65535), (5, 16384),
                     (6, 8192), (8, 1), (0x99, 7)])

FRAMES = {
    'data': fr(0, 1, 1, b'hello'),
    'data-padded': fr(0, 9, 1, b'\x03abc\0\0\0'),
    'headers-prio-padded': fr(1, 0x2d, 1, b'\x02\x80\0\0\x07\x0f' + REQ + b'\0\0'),
    'headers-huffman': fr(1, 5, 1, HUFF),
    'headers-size-update': fr(1, 5, 1, b'\x3f\xe1\x1f' + REQ + b'\x40\x03x-a\x01v\xbe'),
    'priority': fr(2, 0, 3, b'\0\0\0\x01\xc8'),
    'rst': fr(3, 0, 1, b'\0\0\0\x08'),
    'settings': fr(4, 0, 0, SETTINGS),
    'settings-ack': fr(4, 1, 0, b''),
    'push': fr(5, 4, 1, b'\0\0\0\x02' + REQ),
    'ping': fr(6, 0, 0, b'12345678'),
    'pong': fr(6, 1, 0, b'12345678'),
    'goaway': fr(7, 0, 0, b'\0\0\0\x07\0\0\0\x0bcalm'),
    'wu': fr(8, 0, 0, b'\0\x01\0\0') + fr(8, 0, 3, b'\x80\0\x01\0'),
    'continuation': fr(1, 0, 1, b'\x82\x84') + fr(9, 4, 1, b'\x86'),
    'unknown': fr(0x20, 0xff, 9, b'xyz'),
    'bumped': fr(0, 0, 1, b'abc', 0xffffff),
    'preface': PREFACE + fr(4, 0, 0, SETTINGS) + fr(1, 5, 1, REQ),
}


def stream_input(convo, flags=0x40):
    """fuzz_stream's input: header, SYN, SYN/ACK, ACK, then (dir, bytes)."""
    out = bytearray([flags, 1, 2, 3, 4, 0])
    out += bytes([0x02, 0, 0, 0, 0x03, 0, 0, 0, 0x00, 0, 0, 0])
    for d, b in convo:
        for i in range(0, len(b), 1024):
            c = b[i:i + 1024]
            n = len(c)
            out += bytes([d | (n >> 8) << 6, 0, n & 0xff, 0]) + c
    return bytes(out)


def convos():
    c = PREFACE + fr(4, 0, 0, SETTINGS) + fr(1, 5, 1, REQ) + fr(1, 4, 3, b'\x83\x84\x86') + fr(0, 1, 3, b'posted')
    s = fr(4, 0, 0, b'') + fr(4, 1, 0, b'') + fr(1, 4, 1, RESP) + fr(0, 1, 1, b'x' * 100) + fr(1, 5, 3, b'\x8d')
    yield 'h2-prior-knowledge', [(0, c), (1, s)]
    up = (b'GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\n'
          b'Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n')
    r101 = b'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n'
    yield 'h2-upgrade', [(0, up), (1, r101 + fr(4, 0, 0, b'') + fr(1, 4, 1, RESP) + fr(0, 1, 1, b'up!')),
                         (0, PREFACE + fr(4, 0, 0, b'') + fr(4, 1, 0, b''))]
    gz = gzip.compress(b'hello world\n' * 50, mtime=0)
    yield 'h2-gzip-body', [(0, PREFACE + fr(4, 0, 0, b'') + fr(1, 5, 1, REQ)),
                           (1, fr(4, 0, 0, b'') + fr(1, 4, 1, b'\x88\x5a\x04gzip') + fr(0, 1, 1, gz))]
    yield 'h2-continuation-push', [
        (0, PREFACE + fr(4, 0, 0, b'') + fr(1, 1, 1, b'\x82\x84') + fr(9, 0, 1, b'\x86\x41') + fr(9, 4, 1, b'\x03xyz')),
        (1, fr(4, 0, 0, b'') + fr(5, 4, 1, b'\0\0\0\x02\x82\x44\x04/css') + fr(1, 4, 1, b'\x88') + fr(1, 5, 2, b'\x88')
         + fr(3, 0, 1, b'\0\0\0\x08'))]
    yield 'h2-midconnection', [(0, fr(1, 5, 5, b'\xbe\x82\x84') + fr(0, 9, 5, b'\xc8abc'))]


def dict_lines():
    lines = ['preface="%s"' % ''.join('\\x%02x' % c for c in PREFACE)]
    for t in range(10):
        for fl in sorted({0, 1, 4, 5, 8, 9, 0x20, 0x24, 0x25, 0x2d}):
            h = fr(t, fl, 0 if t in (4, 6, 7) else 1, b'', 0)
            lines.append('h2_t%d_f%02x="%s"' % (t, fl, ''.join('\\x%02x' % c for c in h[3:])))
    for name, b in [('len_max', b'\xff\xff\xff'), ('len_1m', b'\x10\x00\x09'),
                    ('sid_r', b'\x80\x00\x00\x01'), ('type_unknown', b'\x20'),
                    ('size_update', b'\x3f\xe1\x1f'), ('lit_inc', b'\x40'),
                    ('lit_noidx', b'\x00'), ('lit_never', b'\x10'),
                    ('idx_big', b'\xff\xff\xff\xff\x0f'), ('huff_len', b'\x8c'),
                    ('huff_www', b'\xf1\xe3\xc2\xe5\xf2\x3a\x6b\xa0\xab\x90\xf4\xff'),
                    ('huff_eos', b'\xff\xff\xff\xff'), ('setting_iws', b'\x00\x04\x7f\xff\xff\xff'),
                    ('setting_hts', b'\x00\x01\x00\x00\x00\x00'), ('wu_max', b'\x7f\xff\xff\xff')]:
        lines.append('%s="%s"' % (name, ''.join('\\x%02x' % c for c in b)))
    for i in range(0x82, 0xbf):
        lines.append('idx_%02x="\\x%02x"' % (i, i))
    return lines


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
    fz = os.path.join(top, 'tests', 'fuzz')
    for name, b in FRAMES.items():
        with open(os.path.join(fz, 'corpus', 'fuzz_http2', 'h2-' + name), 'wb') as f:
            f.write(b'\0' + b)
    for name, cv in convos():
        with open(os.path.join(fz, 'corpus', 'fuzz_stream', name), 'wb') as f:
            f.write(stream_input(cv))
    d = dict_lines()
    with open(os.path.join(fz, 'dict', 'fuzz_http2.dict'), 'w') as f:
        f.write('# HTTP/2 frame heads (type, flags, stream), the preface and HPACK bytes:\n'
                '# written by tests/fuzz/make-h2-seeds.py\n' + '\n'.join(d) + '\n')
    # fuzz_stream's port 80 is HTTP's: its tokens, then HTTP/2's
    with open(os.path.join(fz, 'dict', 'fuzz_http.dict')) as f:
        http = f.read()
    with open(os.path.join(fz, 'dict', 'fuzz_stream.dict'), 'w') as f:
        f.write('# fuzz_stream: fuzz_http.dict (port 80 is HTTP\'s), then the HTTP/2\n'
                '# tokens of fuzz_http2.dict; written by tests/fuzz/make-h2-seeds.py\n' +
                http + '\n'.join(d) + '\n')

if __name__ == '__main__':
    main()
