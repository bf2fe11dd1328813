#!/usr/bin/env python3
"""icmp-crafted.py - ICMP messages no live capture here produces.

Writes icmp-errors.pcap (Ethernet, microseconds): every ICMP message type
tcpdump -v prints its own way, with the checksums right unless said:

   1 port unreachable quoting a UDP header (8 bytes, a router's quote)
   2 port unreachable quoting a TCP header cut at 8 bytes
   3 time exceeded quoting a whole UDP datagram with a bad UDP checksum
   4 time exceeded quoting a whole TCP segment (header with options)
   5 host unreachable quoting an ICMP echo request cut at 8 bytes
   6 redirect to host quoting UDP
   7 parameter problem (octet 20) quoting an IPv4 header with options
   8 source quench quoting UDP
   9 need to frag (mtu 1400) quoting TCP
  10 protocol unreachable quoting protocol 200
  11 echo request with a wrong ICMP checksum
  12 timestamp request, 13 timestamp reply
  14 router advertisement (2 addresses), 15 router solicitation
  16 address mask request, 17 address mask reply
  18 information request
  19 port unreachable whose quote is cut inside the IP header
  20 port unreachable with nothing quoted
  21 time exceeded quoting a non-first fragment
  22 time exceeded with an RFC 4884 length and an MPLS label stack
     extension object (traceroute through an MPLS network)
  23 port unreachable quoting a UDP header with a bumped UDP length
  24 unknown type 42 code 0
  25 time exceeded quoting an ICMP error (an error about an error)

Needs no third-party modules:  python3 icmp-crafted.py  (in pcaps/).
"""
import struct

SRC = bytes([10, 99, 0, 2])
DST = bytes([10, 99, 0, 1])
ROUTER = bytes([10, 99, 0, 254])


def cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip(proto, payload, src=SRC, dst=DST, ident=1, ttl=64, frag=0,
       options=b"", tos=0, tlen=None):
    hl = 20 + len(options)
    if tlen is None:
        tlen = hl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, tos, tlen, ident, frag,
                    ttl, proto, 0, src, dst) + options
    h = h[:10] + struct.pack("!H", cksum(h)) + h[12:]
    return h + payload


def udp(sport, dport, data, src=DST, dst=SRC, good=True):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ph = src + dst + struct.pack("!BBH", 0, 17, len(u))
    s = cksum(ph + u) or 0xFFFF
    if not good:
        s ^= 0x1111
    return u[:6] + struct.pack("!H", s) + u[8:]


def tcp(sport, dport, seq, ack, flags, options=b"", data=b"", src=DST,
        dst=SRC):
    off = (20 + len(options)) // 4
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags,
                    64240, 0, 0) + options + data
    ph = src + dst + struct.pack("!BBH", 0, 6, len(t))
    return t[:16] + struct.pack("!H", cksum(ph + t)) + t[18:]


def icmp(typ, code, rest, body=b"", good=True):
    m = struct.pack("!BBH", typ, code, 0) + rest + body
    s = cksum(m)
    if not good:
        s ^= 0x0101
    return m[:2] + struct.pack("!H", s) + m[4:]


def echo(ident, seq, data=b"abcdefghijklmnop", src=DST, dst=SRC):
    return ip(1, icmp(8, 0, struct.pack("!HH", ident, seq), data), src, dst,
              ident=77)


def quote_of(pkt, n):
    """the first n bytes of an IP datagram, as a router quotes it"""
    return pkt[:n]


def error(typ, code, quoted, rest=b"\0\0\0\0", src=ROUTER):
    return ip(1, icmp(typ, code, rest, quoted), src, DST, ident=555,
              tos=0xC0)


U = ip(17, udp(40000, 9999, b"tapir udp datagram\n"), DST, SRC, ident=100)
UBAD = ip(17, udp(40001, 9999, b"bad sum", good=False), DST, SRC, ident=101)
T = ip(6, tcp(37362, 8000, 179055222, 0, 0x02,
              b"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00"
              b"\x00\x00\x01\x03\x03\x07"), DST, SRC, ident=102)
OPTS = b"\x94\x04\x00\x00\x01\x01\x01\x00"  # RA, NOP, NOP, NOP, EOL

packets = [
    error(3, 3, quote_of(U, 28)),
    error(3, 3, quote_of(T, 28)),
    error(11, 0, UBAD),
    error(11, 0, T),
    error(3, 1, quote_of(echo(9, 3), 28)),
    error(5, 1, quote_of(U, 28), rest=ROUTER),
    error(12, 0, quote_of(ip(17, udp(40002, 9999, b"x"), DST, SRC,
                             options=OPTS), 36),
          rest=b"\x14\0\0\0"),
    error(4, 0, quote_of(U, 28)),
    error(3, 4, quote_of(T, 28), rest=b"\0\0\x05\x78"),
    error(3, 2, ip(200, b"\x01\x02\x03\x04\x05\x06\x07\x08", DST, SRC)),
    ip(1, icmp(8, 0, struct.pack("!HH", 31, 1), b"0123456789", good=False),
       DST, SRC, ident=7),
    ip(1, icmp(13, 0, struct.pack("!HH", 5, 1),
               struct.pack("!III", 30466496, 0, 0)), DST, SRC, ident=8),
    ip(1, icmp(14, 0, struct.pack("!HH", 5, 1),
               struct.pack("!III", 30466496, 30466497, 30466498)), SRC,
       DST, ident=9),
    ip(1, icmp(9, 0, struct.pack("!BBH", 2, 2, 1800),
               ROUTER + struct.pack("!I", 10) + SRC + struct.pack("!I", 0)),
       ROUTER, bytes([224, 0, 0, 1]), ident=10),
    ip(1, icmp(10, 0, b"\0\0\0\0"), DST, bytes([224, 0, 0, 2]), ident=11),
    ip(1, icmp(17, 0, struct.pack("!HH", 6, 1), b"\0\0\0\0"), DST, SRC,
       ident=12),
    ip(1, icmp(18, 0, struct.pack("!HH", 6, 1), b"\xff\xff\xff\x00"), SRC,
       DST, ident=13),
    ip(1, icmp(15, 0, struct.pack("!HH", 7, 1)), DST, SRC, ident=14),
    error(3, 3, quote_of(U, 12)),
    error(3, 3, b""),
    error(11, 1, quote_of(ip(17, b"\x00" * 16, DST, SRC, frag=0x0010,
                             tlen=548), 28)),
]
# time exceeded, RFC 4884 length (32 words: 128 bytes of quote, padded),
# then an extension structure with one MPLS label stack object
q = quote_of(U, 28) + b"\0" * 100
obj = struct.pack("!HBB", 8, 1, 1) + struct.pack("!I", (16001 << 12) |
                                                 (0 << 9) | (1 << 8) | 1)
ext = b"\x20\x00\x00\x00" + obj
ext = ext[:2] + struct.pack("!H", cksum(ext)) + ext[4:]
packets.append(error(11, 0, q + ext, rest=b"\0\x20\0\0"))
bumped = bytearray(quote_of(U, 28))
bumped[24:26] = struct.pack("!H", 4000)
packets.append(error(3, 3, bytes(bumped)))
packets.append(ip(1, icmp(42, 0, b"\0\0\0\0"), DST, SRC, ident=15))
packets.append(error(11, 0, quote_of(error(3, 3, quote_of(U, 28),
                                           src=DST), 56)))


def frame(p):
    return (b"\x02\x00\x00\x00\x99\x01\x02\x00\x00\x00\x99\xfe\x08\x00" + p)


out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
for i, p in enumerate(packets):
    f = frame(p)
    out += struct.pack("<IIII", 1795595000 + i, 1000 * i, len(f), len(f))
    out += f
open("icmp-errors.pcap", "wb").write(bytes(out))
