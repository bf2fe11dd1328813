#!/usr/bin/env python3
"""make-follow-reorder.py - writes follow-reorder.pcap (no packets sent).

One TCP connection 10.99.0.1:40500 -> 10.99.0.2:8000 whose segments are
placed by hand where tshark's follow and a plain reassembler cut them
differently, for the --follow golden tests:

  - the client's 60 bytes come as [25,45), [15,35) (overlapping it), then
    [0,15) and [45,60): tshark prints the chunks 15, 20, 10, 15 (the
    waiting segment that starts at the next byte first, then what is new
    in the other one), not 15, 10, 20;
  - the server's answer comes as its second segment, then its first;
    the second holds exactly 8 bytes ending in a space (tshark's hex line
    keeps that space) and the first a 16-byte line ending in two spaces;
  - TAB bytes in both directions (tshark's ascii prints them as '.').

Both sides' bytes are the same in every copy (no conflicting overlap).
Checksums are right; timestamps 1 ms apart from 2024-01-01 00:00:00 UTC.

    pcaps/make-follow-reorder.py [OUT]     (default: follow-reorder.pcap
                                            next to this script)
"""
import os
import struct
import sys

CMAC, SMAC = bytes.fromhex("020000009901"), bytes.fromhex("020000009902")
CIP, SIP = bytes([10, 99, 0, 1]), bytes([10, 99, 0, 2])
CPORT, SPORT = 40500, 8000
CISN, SISN = 1000, 5000
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01

CDATA = b"PUT /a\tb HTTP/1.1\r\nHost: t\r\nX:\ttab\r\n\r\nbody\tone\ttwo\tsix\r\n\r\n\x00\x01"
assert len(CDATA) == 60, len(CDATA)
# 36 bytes, its second hex line (16 bytes) ending in two spaces
S1 = b"HTTP/1.1 200 OK\n" + b"X-Tab:\tyes\r\nAB  " + b"\r\n\r\n"
S2 = b"done ok "                               # exactly 8, the last a space
SDATA = S1 + S2


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src_is_client, seq, ack, flags, data=b""):
    sip, dip = (CIP, SIP) if src_is_client else (SIP, CIP)
    sp, dp = (CPORT, SPORT) if src_is_client else (SPORT, CPORT)
    smac, dmac = (CMAC, SMAC) if src_is_client else (SMAC, CMAC)
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xffffffff, ack & 0xffffffff,
                      5 << 4, flags, 64240, 0, 0) + data
    ph = sip + dip + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0x1234, 0x4000,
                     64, 6, 0, sip, dip)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dmac + smac + b"\x08\x00" + ip + tcp


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "follow-reorder.pcap")
    c0, s0 = CISN + 1, SISN + 1
    n = len(CDATA)

    def cseg(a, b, ack=s0):
        return frame(True, c0 + a, ack, ACK | PSH, CDATA[a:b])

    pkts = [
        frame(True, CISN, 0, SYN),
        frame(False, SISN, c0, SYN | ACK),
        frame(True, c0, s0, ACK),
        cseg(25, 45),
        cseg(15, 35),
        cseg(0, 15),
        frame(False, s0, c0 + 45, ACK),
        cseg(45, 60),
        frame(False, s0, c0 + n, ACK),
        frame(False, s0 + len(S1), c0 + n, ACK | PSH, S2),
        frame(False, s0, c0 + n, ACK | PSH, S1),
        frame(True, c0 + n, s0 + len(SDATA), ACK),
        frame(True, c0 + n, s0 + len(SDATA), ACK | FIN),
        frame(False, s0 + len(SDATA), c0 + n + 1, ACK | FIN),
        frame(True, c0 + n + 1, s0 + len(SDATA) + 1, ACK),
    ]
    t0 = 1704067200
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", t0, 1000 * (i + 1), len(p), len(p)) + p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
