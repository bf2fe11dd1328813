#!/usr/bin/env python3
"""dns-gen.py - hostile DNS captures for tests/flood/dns.sh.

    tests/flood/dns-gen.py KIND OUT.pcap [--count N]

KIND:
  chain   N UDP responses, each ~1400 bytes of questions whose names are
          pointers to the name before (a backward chain: the k-th name
          takes k hops, the hop cap stops it at 64)
  loop    N UDP messages of questions that point at themselves, at each
          other and forwards (every one MALFORMED at once)
  long    N UDP responses whose records' names are 63-byte labels
          chained to the previous name by a pointer (255-byte names, past
          that "<Name too long>")
  tcp     one TCP connection carrying N DNS messages of 14 bytes, then a
          length prefix of 65535 that never completes
"""
import argparse
import struct

ETH = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])


def ipv4(proto, payload):
    tot = 20 + len(payload)
    h = bytearray([0x45, 0, tot >> 8, tot & 255, 0, 1, 0, 0, 64, proto,
                   0, 0, 10, 0, 0, 2, 10, 0, 0, 1])
    s = sum((h[i] << 8) | h[i + 1] for i in range(0, 20, 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    h[10], h[11] = (~s >> 8) & 255, ~s & 255
    return ETH + bytes(h) + payload


def udp(msg):
    return ipv4(17, struct.pack('>HHHH', 53, 40000, 8 + len(msg), 0) + msg)


def tcp(seq, data, flags=0x18):
    return ipv4(6, struct.pack('>HHIIBBHHH', 40001, 53, seq, 1, 0x50, flags,
                               65535, 0, 0) + data)


def chain(i):
    m = bytearray(struct.pack('>HHHHHH', i & 0xffff, 0x8180, 0, 0, 0, 0))
    m += b'\x01a\x00\x00\x01\x00\x01'
    prev, n = 12, 1
    while len(m) + 6 <= 1400:
        here = len(m)
        m += bytes([0xc0 | prev >> 8, prev & 255, 0, 1, 0, 1])
        prev, n = here, n + 1
    m[4:6] = struct.pack('>H', n)
    return bytes(m)


def loop(i):
    m = bytearray(struct.pack('>HHHHHH', i & 0xffff, 0x0100, 0, 0, 0, 0))
    n = 0
    while len(m) + 8 <= 1400:
        here = len(m)
        kind = n % 3
        if kind == 0:    # itself
            m += bytes([0xc0 | here >> 8, here & 255])
        elif kind == 1:  # forwards, to the next name
            nxt = here + 6
            m += bytes([0xc0 | nxt >> 8, nxt & 255])
        else:            # a label, then a pointer back to the label
            m += b'\x01b' + bytes([0xc0 | here >> 8, here & 255])
        m += b'\x00\x01\x00\x01'
        n += 1
    m[4:6] = struct.pack('>H', n)
    return bytes(m)


def longnames(i):
    m = bytearray(struct.pack('>HHHHHH', i & 0xffff, 0x8180, 0, 0, 0, 0))
    prev, n = None, 0
    while len(m) + 64 + 2 + 14 <= 1400:
        here = len(m)
        m += b'\x3f' + b'x' * 63
        m += bytes([0xc0 | prev >> 8, prev & 255]) if prev else b'\x00'
        m += struct.pack('>HHIH', 1, 1, 60, 4) + b'\x01\x02\x03\x04'
        prev, n = here, n + 1
    m[6:8] = struct.pack('>H', n)
    return bytes(m)


def write(out, frames):
    with open(out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for k, fr in enumerate(frames):
            f.write(struct.pack('<IIII', 1000 + k // 1000,
                                (k % 1000) * 1000, len(fr), len(fr)))
            f.write(fr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['chain', 'loop', 'long', 'tcp'])
    ap.add_argument('out')
    ap.add_argument('--count', type=int, default=5000)
    a = ap.parse_args()
    if a.kind == 'tcp':
        frames = [tcp(0, b'', 0x02)]
        seq = 1
        msg = struct.pack('>HHHHHHHH', 12, 0x1234, 0x0100, 0, 0, 0, 0, 0)[:14]
        per = 100
        for k in range(0, a.count, per):
            data = msg * min(per, a.count - k)
            frames.append(tcp(seq, data))
            seq += len(data)
        frames.append(tcp(seq, b'\xff\xff' + b'z' * 1000))
        write(a.out, frames)
        return
    make = {'chain': chain, 'loop': loop, 'long': longnames}[a.kind]
    write(a.out, [udp(make(i)) for i in range(a.count)])


if __name__ == '__main__':
    main()
