#!/usr/bin/env python3
"""http2-gen.py - hostile HTTP/2 captures for tests/flood/http2.sh.

    tests/flood/http2-gen.py KIND OUT.pcap [--count N]

Each is one TCP connection to port 80 with prior knowledge (the client
preface, SETTINGS both ways), then:
  hpack      the server allows a 64 KiB table; N header blocks (default
             20), each a size update, one 16 KiB literal inserted and then
             indexed 10 000 times (HEADERS + CONTINUATIONs of 16 KiB):
             160 MB of headers a block from 26 KiB
  cont       a HEADERS without END_HEADERS and N CONTINUATIONs (default
             100 000) of 16 bytes, the last with END_HEADERS: a 1.6 MB
             header block
  gzip       a GET answered by a 200 with content-encoding gzip and N GiB
             (default 1) of zeros gzip'd in DATA frames of 16 KiB
  streams    N requests (default 100 000) on streams 1, 3, 5, ... each a
             HEADERS with END_STREAM, never answered: N streams open
  ping       N SETTINGS and N PINGs from the client (default 100 000),
             the server's SETTINGS ACKs and PONGs
  blocks     N connections (default 1000) each with a header block left
             open: a HEADERS without END_HEADERS and 64 000 bytes of
             CONTINUATION, never ended (the blocks held are charged to
             the reassembly memory cap)
"""
import argparse
import struct
import zlib

ETH = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])
CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
MSS = 1400


def csum(b):
    s = sum((b[i] << 8) | b[i + 1] for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def fr(t, fl, sid, pl):
    return struct.pack('>I', len(pl))[1:] + bytes([t, fl]) + struct.pack('>I', sid) + pl


def hint(v, prefix, first):
    """An HPACK integer of `prefix` bits after the bits of `first`."""
    m = (1 << prefix) - 1
    if v < m:
        return bytes([first | v])
    out = [first | m]
    v -= m
    while v >= 128:
        out.append(v & 127 | 128)
        v >>= 7
    out.append(v)
    return bytes(out)


def lit(name, value):
    """A literal with incremental indexing, new name, no Huffman."""
    return (b'\x40' + hint(len(name), 7, 0) + name + hint(len(value), 7, 0) +
            value)


REQ = b'\x82\x84\x86\x41\x01t'


class Conn:
    """Both directions' sequence numbers; frames in capture order."""

    def __init__(self, f, port=40008, k=0):
        self.f = f
        self.port = port
        self.seq = [1000, 90000]
        self.k = k
        self.buf = [b'', b'']

    def seg(self, d, data=b'', flags=0x18):
        src, dst = (CLI, SRV) if d == 0 else (SRV, CLI)
        sp, dp = (self.port, 80) if d == 0 else (80, self.port)
        t = struct.pack('>HHIIBBHHH', sp, dp, self.seq[d], self.seq[1 - d],
                        0x50, flags, 65535, 0, 0) + data
        tot = 20 + len(t)
        h = bytearray([0x45, 0, tot >> 8, tot & 255, 0, 1, 0, 0, 64, 6,
                       0, 0]) + src + dst
        h[10:12] = struct.pack('>H', csum(bytes(h)))
        fb = ETH + bytes(h) + t
        self.f.write(struct.pack('<IIII', 1000 + self.k // 1000,
                                 self.k % 1000 * 1000, len(fb), len(fb)))
        self.f.write(fb)
        self.k += 1
        self.seq[d] += len(data) + (1 if flags & 0x02 else 0)

    def send(self, d, data):
        """Bytes queued, written a full segment at a time."""
        self.buf[d] += data
        while len(self.buf[d]) >= MSS:
            self.seg(d, self.buf[d][:MSS])
            self.buf[d] = self.buf[d][MSS:]

    def flush(self, d):
        if self.buf[d]:
            self.seg(d, self.buf[d])
            self.buf[d] = b''


def opened(f, srv_settings=b'', port=40008, k=0):
    c = Conn(f, port, k)
    c.seg(0, flags=0x02)
    c.seg(1, flags=0x12)
    c.seg(0, flags=0x10)
    c.send(0, PREFACE + fr(4, 0, 0, b''))
    c.flush(0)
    c.send(1, fr(4, 0, 0, srv_settings) + fr(4, 1, 0, b''))
    c.flush(1)
    c.send(0, fr(4, 1, 0, b''))
    c.flush(0)
    return c


def block_frames(sid, block, es):
    """A header block as HEADERS + CONTINUATIONs of 16 KiB."""
    parts = [block[i:i + 16384] for i in range(0, len(block), 16384)]
    out = b''
    for i, p in enumerate(parts):
        last = i == len(parts) - 1
        if i == 0:
            out += fr(1, (4 if last else 0) | (1 if es else 0), sid, p)
        else:
            out += fr(9, 4 if last else 0, sid, p)
    return out


def hpack(f, n):
    c = opened(f, struct.pack('>HI', 1, 65536))
    for i in range(n):
        block = (hint(65536, 5, 0x20) + REQ +
                 lit(b'x-bomb', bytes([0x61 + i % 26]) * 16384) +
                 b'\xbe' * 10000)
        c.send(0, block_frames(1 + 2 * i, block, True))
    c.flush(0)


def cont(f, n):
    c = opened(f)
    c.send(0, fr(1, 1, 1, REQ))
    for i in range(n):
        c.send(0, fr(9, 4 if i == n - 1 else 0, 1, b'\x00\x01a\x01b' * 3 + b'\x82'))
    c.flush(0)


def gzip_bomb(f, gib):
    c = opened(f, struct.pack('>HI', 4, 0x7fffffff))
    # the windows opened wide: the bomb is no flow-control fault
    c.send(0, fr(8, 0, 0, b'\x7f\x00\x00\x00') +
           fr(1, 5, 1, b'\x82\x44\x05/bomb\x86\x41\x01t') +
           fr(8, 0, 1, b'\x7f\x00\x00\x00'))
    c.flush(0)
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    zero = bytes(1 << 20)
    body = b''.join([z.compress(zero) for _ in range(gib * 1024)] + [z.flush()])
    # 200, content-encoding gzip (26), content-type (31), not indexed
    c.send(1, fr(1, 4, 1, b'\x88\x0f\x0b\x04gzip'
                 b'\x0f\x10\x18application/octet-stream'))
    for i in range(0, len(body), 16384):
        part = body[i:i + 16384]
        c.send(1, fr(0, 1 if i + 16384 >= len(body) else 0, 1, part))
    c.flush(1)


def streams(f, n):
    c = opened(f)
    for i in range(n):
        c.send(0, fr(1, 5, 1 + 2 * i, REQ))
    c.flush(0)


def ping(f, n):
    c = opened(f)
    for i in range(n):
        c.send(0, fr(4, 0, 0, struct.pack('>HI', 3, 100)) +
               fr(6, 0, 0, struct.pack('>Q', i)))
        c.send(1, fr(4, 1, 0, b'') + fr(6, 1, 0, struct.pack('>Q', i)))
    c.flush(0)
    c.flush(1)


def blocks(f, n):
    k = 0
    for i in range(n):
        c = opened(f, port=10000 + i, k=k)
        c.send(0, fr(1, 0, 1, REQ))
        for _ in range(4):
            c.send(0, fr(9, 0, 1, b'\x82' * 16000))
        c.flush(0)
        k = c.k


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['hpack', 'cont', 'gzip', 'streams',
                                     'ping', 'blocks'])
    ap.add_argument('out')
    ap.add_argument('--count', type=int)
    a = ap.parse_args()
    fn, dflt = {'hpack': (hpack, 20), 'cont': (cont, 100000),
                'gzip': (gzip_bomb, 1), 'streams': (streams, 100000),
                'ping': (ping, 100000), 'blocks': (blocks, 1000)}[a.kind]
    with open(a.out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        fn(f, a.count if a.count is not None else dflt)


if __name__ == '__main__':
    main()
