#!/usr/bin/env python3
"""http-bomb-gen.py - hostile HTTP bodies for tests/flood/http-bomb.sh.

    tests/flood/http-bomb-gen.py OUT.pcap [--gib N] [--conns K]

K connections (default 3) to port 80, each a GET and a response whose
body is N GiB (default 1) of zeros compressed: by turns gzip with
Content-Length, gzip chunked (a chunk per segment), and raw deflate with
Content-Length.  About 1 MB of capture per GiB: a decompression bomb.
"""
import argparse
import struct
import zlib

ETH = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])
MSS = 1400


def ipv4(src, dst, payload):
    tot = 20 + len(payload)
    h = bytearray([0x45, 0, tot >> 8, tot & 255, 0, 1, 0, 0, 64, 6,
                   0, 0, 10, 0, 0, src, 10, 0, 0, dst])
    s = sum((h[i] << 8) | h[i + 1] for i in range(0, 20, 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    h[10], h[11] = (~s >> 8) & 255, ~s & 255
    return ETH + bytes(h) + payload


def seg(c, d, seq, ack, flags, data=b''):
    sp, dp = (40000 + c, 80) if d == 0 else (80, 40000 + c)
    src, dst = (1, 2) if d == 0 else (2, 1)
    return ipv4(src, dst, struct.pack('>HHIIBBHHH', sp, dp, seq, ack, 0x50,
                                      flags, 65535, 0, 0) + data)


def bomb(gib, wbits):
    z = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zero = bytes(1 << 20)
    out = [z.compress(zero) for _ in range(gib * 1024)]
    out.append(z.flush())
    return b''.join(out)


def conn(c, kind, body):
    f = []
    s0, s1 = 1000, 50000
    f.append(seg(c, 0, s0, 0, 0x02))
    f.append(seg(c, 1, s1, s0 + 1, 0x12))
    s0 += 1
    s1 += 1
    f.append(seg(c, 0, s0, s1, 0x10))
    req = b'GET /bomb%d HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n' % c
    f.append(seg(c, 0, s0, s1, 0x18, req))
    s0 += len(req)
    if kind == 'chunked':
        head = (b'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n'
                b'Transfer-Encoding: chunked\r\n\r\n')
        parts = [head]
        for i in range(0, len(body), MSS - 16):
            b = body[i:i + MSS - 16]
            parts.append(b'%x\r\n' % len(b) + b + b'\r\n')
        parts.append(b'0\r\n\r\n')
        data = b''.join(parts)
    else:
        enc = b'gzip' if kind == 'gzip' else b'deflate'
        data = (b'HTTP/1.1 200 OK\r\nContent-Encoding: ' + enc +
                b'\r\nContent-Length: %d\r\n\r\n' % len(body)) + body
    for i in range(0, len(data), MSS):
        f.append(seg(c, 1, s1 + i, s0, 0x18, data[i:i + MSS]))
    s1 += len(data)
    f.append(seg(c, 0, s0, s1, 0x11))
    f.append(seg(c, 1, s1, s0 + 1, 0x11))
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--gib', type=int, default=1)
    ap.add_argument('--conns', type=int, default=3)
    a = ap.parse_args()
    bodies = {'gzip': bomb(a.gib, 31), 'deflate': bomb(a.gib, -15)}
    bodies['chunked'] = bodies['gzip']
    frames = []
    for c in range(a.conns):
        kind = ('gzip', 'chunked', 'deflate')[c % 3]
        frames += conn(c, kind, bodies[kind])
    with open(a.out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', i // 1000, (i % 1000) * 1000,
                                len(fr), len(fr)))
            f.write(fr)


if __name__ == '__main__':
    main()
