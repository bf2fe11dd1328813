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
import importlib.util
import os
import struct

# the frame and BOOTP builders of tests/dhcp-crafted.py
_spec = importlib.util.spec_from_file_location(
    "dhcp_crafted", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 "..", "dhcp-crafted.py"))
crafted = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crafted)
opt = crafted.opt


def packet(op, xid, mac, opts, src, dst, sport, dport, yiaddr='0.0.0.0',
           srcmac=None):
    p = crafted.bootp(op=op, xid=xid, chaddr=mac, opts=opts + b'\xff',
                      yiaddr=yiaddr)
    return crafted.frame(p, src, dst, sport, dport, srcmac or mac)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['xid', 'chain'])
    ap.add_argument('out')
    ap.add_argument('--count', type=int, default=1000)
    a = ap.parse_args()
    zero, bcast, server = '0.0.0.0', '255.255.255.255', '10.99.1.1'
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
                fr = packet(1, i + 1, mac, opt(53, b'\x01'), zero, bcast,
                            68, 67)
            else:
                opts = (opt(53, b'\x01') + opt(119, chain) +
                        opt(82, b'\x01\x00' * 127) +
                        opt(60, b'PXEClient') + opt(43, b'\x00' * 255))
                fr = packet(1, i + 1, mac, opts, zero, bcast, 68, 67)
            f.write(struct.pack('<IIII', 1700000000 + i // 1000,
                                (i % 1000) * 1000, len(fr), len(fr)))
            f.write(fr)
            if a.kind == 'xid' and i:
                prev = b'\x02' + struct.pack('!I', i - 1) + b'\x01'
                fr = packet(2, i, prev, opt(53, b'\x02'), server, bcast, 67,
                            68, '10.99.1.9', b'\x02\0\0\0\x99\x11')
                f.write(struct.pack('<IIII', 1700000000 + i // 1000,
                                    (i % 1000) * 1000 + 1, len(fr), len(fr)))
                f.write(fr)


if __name__ == '__main__':
    main()
