#!/usr/bin/env python3
"""dhcp-gen.py - hostile DHCP captures for tests/flood/dhcp.sh.

    tests/flood/dhcp-gen.py KIND OUT.pcap --count N

KIND:
  xid    N DHCP DISCOVERs, each a new transaction id and client address
         (every one a new entry for the exchange table), each followed by
         an OFFER for the previous one: the table must stay capped
  chain  N packets whose option 119 is a chain of backward pointers as
         long as an option allows (each pointer to the one before), plus
         option 82 full of empty sub-options and 43 under PXEClient: the
         name reader must stop at its hop cap, in bounded time
"""
import argparse
import struct


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def frame(payload, src, dst, sport, dport, mac):
    udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    iph = struct.pack('!BBHHHBBH', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0)
    iph += src + dst
    iph = iph[:10] + struct.pack('!H', csum(iph)) + iph[12:]
    return b'\xff' * 6 + mac + b'\x08\x00' + iph + udp


def bootp(op, xid, mac, opts, yiaddr=b'\0' * 4):
    h = struct.pack('!BBBBIHH', op, 1, 6, 0, xid, 0, 0)
    h += b'\0' * 4 + yiaddr + b'\0' * 8 + mac.ljust(16, b'\0')
    return h + b'\0' * 192 + b'\x63\x82\x53\x63' + opts + b'\xff'


def opt(code, data):
    return bytes([code, len(data)]) + data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['xid', 'chain'])
    ap.add_argument('out')
    ap.add_argument('--count', type=int, default=1000)
    a = ap.parse_args()
    zero, bcast = b'\0' * 4, b'\xff' * 4
    server = bytes([10, 99, 1, 1])
    # 119: "a", then pointers each to the one before (126 of them)
    chain = b'\x01a\x00'
    for i in range(126):
        to = 0 if i == 0 else 3 + 2 * (i - 1)
        chain += bytes([0xc0 | to >> 8, to & 0xff])
    chain = chain[:255]
    with open(a.out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(a.count):
            mac = b'\x02' + struct.pack('!I', i) + b'\x01'
            if a.kind == 'xid':
                p = bootp(1, i + 1, mac, opt(53, b'\x01'))
                fr = frame(p, zero, bcast, 68, 67, mac)
            else:
                opts = (opt(53, b'\x01') + opt(119, chain) +
                        opt(82, b'\x01\x00' * 127) +
                        opt(60, b'PXEClient') + opt(43, b'\x00' * 255))
                fr = frame(bootp(1, i + 1, mac, opts), zero, bcast, 68, 67,
                           mac)
            f.write(struct.pack('<IIII', 1700000000 + i // 1000,
                                (i % 1000) * 1000, len(fr), len(fr)))
            f.write(fr)
            if a.kind == 'xid' and i:
                prev = b'\x02' + struct.pack('!I', i - 1) + b'\x01'
                p = bootp(2, i, prev, opt(53, b'\x02'), bytes([10, 99, 1, 9]))
                fr = frame(p, server, bcast, 67, 68, b'\x02\0\0\0\x99\x11')
                f.write(struct.pack('<IIII', 1700000000 + i // 1000,
                                    (i % 1000) * 1000 + 1, len(fr), len(fr)))
                f.write(fr)


if __name__ == '__main__':
    main()
