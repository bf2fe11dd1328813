#!/usr/bin/env python3
"""to-pcap.py - a fuzz input as a capture, for tests/regress/.

    tests/fuzz/to-pcap.py HARNESS INPUT OUT.pcap

fuzz_pipeline inputs keep their link type; fuzz_<dissector> inputs are
wrapped in what carries that dissector (an Ethernet header for arp, vlan,
llc...; an IPv4 header for tcp, udp, icmp; IPv6 for icmpv6), with the
cut of byte 0 as the difference between the record's length and its
captured length.  (fuzz_stream inputs stay in tests/fuzz/corpus/fuzz_stream,
replayed by make check.)
"""
import struct, sys

PIPE_LT = [1, 113, 276, 0, 108, 101, 228, 229, 147]  # fuzz_pipeline.c
LINK = {'eth': 1, 'sll': 113, 'sll2': 276, 'null': 0, 'raw': 101,
        'ip': 228, 'ipv6': 229}
ETHERTYPE = {'arp': 0x0806, 'vlan': 0x8100, 'ieee8021ad': 0x88a8}
IPPROTO = {'tcp': 6, 'udp': 17, 'icmp': 1}


def main():
    harness, src, out = sys.argv[1:4]
    data = open(src, 'rb').read()
    name = harness[len('fuzz_'):]
    if name == 'pipeline':
        if len(data) < 2:
            sys.exit('input too short')
        lt, cut, frame = PIPE_LT[data[0] % len(PIPE_LT)], data[1] % 32, data[2:]
        cut = min(cut, len(frame))
        frame, wire = frame[:len(frame) - cut], len(frame)
    else:
        if len(data) < 1:
            sys.exit('input too short')
        body, extra = data[1:], data[0]
        if name in LINK:
            lt, frame = LINK[name], body
        elif name in ETHERTYPE or name == 'llc':
            et = ETHERTYPE.get(name, len(body))
            lt, frame = 1, b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01' + struct.pack('>H', min(et, 0xffff)) + body
        elif name in IPPROTO:
            tl = 20 + len(body) + extra
            lt = 228
            frame = struct.pack('>BBHHHBBH4s4s', 0x45, 0, tl & 0xffff, 0, 0, 64,
                                IPPROTO[name], 0, b'\x0a\0\0\x01', b'\x0a\0\0\x02') + body
        elif name == 'icmpv6':
            lt = 229
            frame = struct.pack('>IHBB16s16s', 0x60000000, (len(body) + extra) & 0xffff, 58, 64,
                                b'\xfd' + b'\0' * 14 + b'\x01', b'\xfd' + b'\0' * 14 + b'\x02') + body
        else:
            sys.exit(f'unknown harness {harness}')
        wire = len(frame) + extra
    with open(out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 262144, lt))
        f.write(struct.pack('<IIII', 1700000000, 0, len(frame), wire) + frame)


if __name__ == '__main__':
    main()
