#!/usr/bin/env python3
"""websocket-gen.py - hostile WebSocket captures for tests/flood/websocket.sh.

    tests/flood/websocket-gen.py KIND OUT.pcap [--count N]

Each is one TCP connection to port 80: the handshake, an HTTP Upgrade to
websocket answered 101 (the stream is then WebSocket's), then:
  huge   the client sends a masked frame whose 64-bit length claims 2^63
         bytes (MSB set: MALFORMED) and the server one claiming 2^63-1,
         each followed by N segments of 1400 bytes of its payload
  tiny   N tiny frames each way, 1400 bytes of them a segment: masked
         empty pings from the client (6 bytes), empty pongs from the
         server (2 bytes)
"""
import argparse
import struct

ETH = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])
CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])


def csum(b):
    s = sum((b[i] << 8) | b[i + 1] for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Conn:
    """Both directions' sequence numbers; frames in capture order."""

    def __init__(self):
        self.seq = [1000, 90000]
        self.frames = []

    def seg(self, d, data=b'', flags=0x18):
        src, dst = (CLI, SRV) if d == 0 else (SRV, CLI)
        sp, dp = (40004, 80) if d == 0 else (80, 40004)
        t = struct.pack('>HHIIBBHHH', sp, dp, self.seq[d], self.seq[1 - d],
                        0x50, flags, 65535, 0, 0) + data
        tot = 20 + len(t)
        h = bytearray([0x45, 0, tot >> 8, tot & 255, 0, 1, 0, 0, 64, 6,
                       0, 0]) + src + dst
        h[10:12] = struct.pack('>H', csum(bytes(h)))
        self.frames.append(ETH + bytes(h) + t)
        self.seq[d] += len(data) + (1 if flags & 0x02 else 0)

    def stream(self, d, data):
        for i in range(0, len(data), 1400):
            self.seg(d, data[i:i + 1400])


def opened():
    c = Conn()
    c.seg(0, flags=0x02)
    c.seg(1, flags=0x12)
    c.seg(0, flags=0x10)
    c.seg(0, b'GET /chat HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n'
          b'Connection: Upgrade\r\n\r\n')
    c.seg(1, b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n'
          b'Connection: Upgrade\r\n\r\n')
    return c


def huge(n):
    c = opened()
    c.seg(0, b'\x82\xff' + struct.pack('>Q', 1 << 63) + b'\x11\x22\x33\x44')
    c.seg(1, b'\x82\x7f' + struct.pack('>Q', (1 << 63) - 1))
    for _ in range(n):
        c.seg(0, b'\xa5' * 1400)
        c.seg(1, b'\x5a' * 1400)
    return c.frames


def tiny(n):
    c = opened()
    c.stream(0, b'\x89\x80\x01\x02\x03\x04' * n)
    c.stream(1, b'\x8a\x00' * n)
    return c.frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['huge', 'tiny'])
    ap.add_argument('out')
    ap.add_argument('--count', type=int, default=100000)
    a = ap.parse_args()
    frames = (huge if a.kind == 'huge' else tiny)(a.count)
    with open(a.out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for k, fr in enumerate(frames):
            f.write(struct.pack('<IIII', 1000 + k // 1000, k % 1000 * 1000,
                                len(fr), len(fr)))
            f.write(fr)


if __name__ == '__main__':
    main()
