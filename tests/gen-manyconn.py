#!/usr/bin/env python3
"""gen-manyconn.py - N TCP connections, all open at once, for the relative
sequence numbers of the one-line output.

    tests/gen-manyconn.py OUT.pcap [--count N]

Every connection (client 10.0.x.y:port -> 192.0.2.1:80) does its three-way
handshake; then each sends one data segment and the server ACKs it, in
the same order: the first connections' data comes after N handshakes, so
a table that forgets connections (tcpdump's never does) re-bases them.
Classic pcap, Ethernet, IPv4, checksums right.
"""
import argparse
import struct

SERVER = bytes([192, 0, 2, 1])


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, sp, dp, seq, ack, flags, data=b''):
    tcp = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags,
                      64240, 0, 0) + data
    ph = src + dst + struct.pack('!BBH', 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack('!H', csum(ph + tcp)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000,
                     64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return bytes.fromhex('020000000002020000000001' '0800') + ip + tcp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--count', type=int, default=5000)
    a = ap.parse_args()
    recs = []
    conns = []
    for i in range(a.count):
        c = bytes([10, 0, (i >> 8) & 0xFF, i & 0xFF])
        sp = 1024 + i % 60000
        cs, ss = (i * 2654435761) & 0xFFFFFFFF, (i * 40503 + 7) & 0xFFFFFFFF
        conns.append((c, sp, cs, ss))
        recs.append(frame(c, SERVER, sp, 80, cs, 0, 0x02))
        recs.append(frame(SERVER, c, 80, sp, ss, cs + 1, 0x12))
        recs.append(frame(c, SERVER, sp, 80, cs + 1, ss + 1, 0x10))
    for c, sp, cs, ss in conns:
        recs.append(frame(c, SERVER, sp, 80, cs + 1, ss + 1, 0x18, b'x' * 10))
        recs.append(frame(SERVER, c, 80, sp, ss + 1, (cs + 11) & 0xFFFFFFFF, 0x10))
    with open(a.out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for n, r in enumerate(recs):
            f.write(struct.pack('<IIII', 1700000000 + n // 100000,
                                n % 100000 * 10, len(r), len(r)) + r)


if __name__ == '__main__':
    main()
