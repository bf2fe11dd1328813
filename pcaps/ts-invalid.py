#!/usr/bin/env python3
"""ts-invalid.py - captures whose fractions of a second are out of range.

Rewrites icmp-ping.pcap (classic pcap, little-endian, microseconds) so that
records 2, 4 and 6 carry a fraction of a second no valid file holds:

  ts-invalid-us.pcap  microsecond magic; fractions 1000000, 4294967295 and
                      2147483648 us (the packet bytes are unchanged)
  ts-invalid-ns.pcap  nanosecond magic (a1b23c4d); every fraction times
                      1000, then records 2, 4 and 6 get 1000000000,
                      4294967295 and 2147483648 ns

tcpdump 4.99.6 prints such a fraction as it is, then "(invalid us)" or
"(invalid ns)"; tapir does the same (tests/golden).  Needs no third-party
modules:  python3 ts-invalid.py  (in pcaps/).
"""
import struct

BAD = {1: 1000000, 3: 4294967295, 5: 2147483648}


def rewrite(src, dst, nano):
    data = open(src, "rb").read()
    magic, = struct.unpack("<I", data[:4])
    assert magic == 0xA1B2C3D4, "expects a little-endian microsecond pcap"
    out = bytearray(data[:24])
    if nano:
        out[0:4] = struct.pack("<I", 0xA1B23C4D)
    off, i = 24, 0
    while off + 16 <= len(data):
        sec, frac, caplen, length = struct.unpack("<IIII", data[off:off + 16])
        if nano:
            frac *= 1000
        if i in BAD:
            frac = BAD[i] * (1000 if nano and BAD[i] == 1000000 else 1)
        out += struct.pack("<IIII", sec, frac, caplen, length)
        out += data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        i += 1
    open(dst, "wb").write(bytes(out))


rewrite("icmp-ping.pcap", "ts-invalid-us.pcap", False)
rewrite("icmp-ping.pcap", "ts-invalid-ns.pcap", True)
