#!/usr/bin/env python3
"""gen.py - flood captures for tapir's memory caps: SYNs and never-completed fragments.

    tests/flood/gen.py KIND OUT.pcap [--count N] [--pps R]

KIND:
  syn    N TCP SYNs (default 1 000 000), each from its own source
         address and port (10.0.0.1.. with ports 1024..61023, cycling) to
         one server 192.0.2.1:80; every SYN opens a new flow.
  frag4  N IPv4 first fragments (default 100 000): UDP, offset 0, MF set,
         64 bytes of payload, each with its own IP ID (and source address
         every 65 536), never followed by the rest.
  frag6  N IPv6 first fragments (default 100 000): Fragment header with
         offset 0, M set, its own 32-bit identification, 64 bytes of UDP,
         never completed.
  gap    one TCP connection, N data segments of 1000 bytes each way
         around a hole of 1 GiB in the client's stream (default 1000):
         the segment after the hole is 2^30 bytes ahead.
  tiny-tcp    one TCP connection whose client sends N bytes (default
              200 000) as one-byte segments, last byte first; then the
              server's ACK of all of it and the FIN handshake
  tiny-frag4  one UDP datagram of 8*N bytes (UDP header included; default
              N = 8000: 64 000 bytes) in N IPv4 fragments of 8 bytes, in a
              random order (fixed seed), every 20th followed by a copy
  tiny-frag6  one UDP datagram of 8*N bytes (default N = 4000: 32 000
              bytes) in N IPv6 fragments of 8 bytes, last first
  tiny-data   the N bytes tiny-tcp's client sends (no pcap header)
  snaplen0    N small UDP packets in a file whose header says snaplen 0
  caplen-over N packets of 1514 bytes in a file whose snaplen is 96
  pcapng-huge pcapng: N packets, then a block claiming a 4 GiB length
Packets are R per second of capture time (default 100 000), so the whole
file lies within the idle and fragment timeouts: only the caps bound memory.
Classic little-endian pcap, microseconds, Ethernet; IPv4 and TCP checksums
are right, UDP checksums are 0 (the datagrams never complete).
Written with struct (no scapy): a million SYNs take a few seconds.
"""
import argparse
import struct
import sys

ETH_SRC = bytes.fromhex("020000000001")
ETH_DST = bytes.fromhex("020000000002")
SERVER4 = bytes([192, 0, 2, 1])
SERVER6 = bytes.fromhex("20010db8000000000000000000000001")
BASE_TS = 1700000000


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def wsum(b):
    """Sum of the 16-bit big-endian words of b (even length)."""
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


def pcap_header(snaplen=262144):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1)


def rec(i, pps, frame):
    t = i * 1000000 // pps
    return struct.pack("<IIII", BASE_TS + t // 1000000, t % 1000000,
                       len(frame), len(frame)) + frame


def ip4_header(src, dst, proto, payload_len, ident, frag):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, ident, frag,
                    64, proto, 0, src, dst)
    c = (~fold(wsum(h))) & 0xFFFF
    return h[:10] + struct.pack("!H", c) + h[12:]


def src4(i):
    a = 0x0A000001 + i
    return struct.pack("!I", a)


def gen_syn(n, pps, out):
    # TCP SYN: 20-byte header + MSS, SACK-perm, WS options (12 bytes)
    opts = bytes([2, 4, 0x05, 0xB4, 4, 2, 1, 3, 3, 7, 1, 1])
    tcplen = 20 + len(opts)
    eth = ETH_DST + ETH_SRC + b"\x08\x00"
    const = wsum(SERVER4) + 6 + tcplen + 80 + ((tcplen // 4) << 12 | 0x02) + 64240 + wsum(opts)
    for i in range(n):
        src = src4(i)
        sport = 1024 + i % 60000
        seq = (i * 2654435761) & 0xFFFFFFFF
        c = (~fold(const + wsum(src) + sport + (seq >> 16) + (seq & 0xFFFF))) & 0xFFFF
        tcp = struct.pack("!HHIIBBHHH", sport, 80, seq, 0, (tcplen // 4) << 4, 0x02,
                          64240, c, 0) + opts
        yield rec(i, pps, eth + ip4_header(src, SERVER4, 6, tcplen, i & 0xFFFF, 0) + tcp)


def udp_payload(i):
    data = struct.pack("!I", i) * 14  # 56 bytes: UDP header + 56 = 64
    return data


def gen_frag4(n, pps, out):
    eth = ETH_DST + ETH_SRC + b"\x08\x00"
    for i in range(n):
        src = src4(i >> 16)
        data = udp_payload(i)
        # the UDP header of the whole datagram (claims 1000 bytes; the rest never comes)
        udp = struct.pack("!HHHH", 40000, 9, 8 + 1000, 0)
        frag = 0x2000  # MF, offset 0
        yield rec(i, pps, eth + ip4_header(src, SERVER4, 17, len(udp) + len(data), i & 0xFFFF, frag)
                  + udp + data)


def gen_frag6(n, pps, out):
    eth = ETH_DST + ETH_SRC + b"\x86\xdd"
    src = bytes.fromhex("20010db8000000000000000000000002")
    for i in range(n):
        data = udp_payload(i)
        udp = struct.pack("!HHHH", 40000, 9, 8 + 1000, 0)
        fh = struct.pack("!BBHI", 17, 0, 0x0001, (i * 2654435761 + 1) & 0xFFFFFFFF)  # offset 0, M
        pl = fh + udp + data
        ip6 = struct.pack("!IHBB16s16s", 0x60000000, len(pl), 44, 64, src, SERVER6)
        yield rec(i, pps, eth + ip6 + pl)


CLIENT4 = bytes([10, 0, 0, 1])


def tcp4(src, dst, sport, dport, seq, ack, flags, payload):
    tl = 20 + len(payload)
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ps = wsum(src) + wsum(dst) + 6 + tl
    c = (~fold(ps + wsum(t + (b"\0" if tl % 2 else b"")))) & 0xFFFF
    t = t[:16] + struct.pack("!H", c) + t[18:]
    return ETH_DST + ETH_SRC + b"\x08\x00" + ip4_header(src, dst, 6, tl, 0, 0x4000) + t


def gen_gap(n, pps, out):
    cs, ss = 1000, 5000000  # ISNs
    c, s = cs + 1, ss + 1
    pkts = [tcp4(CLIENT4, SERVER4, 40000, 80, cs, 0, 0x02, b""),
            tcp4(SERVER4, CLIENT4, 80, 40000, ss, c, 0x12, b""),
            tcp4(CLIENT4, SERVER4, 40000, 80, c, s, 0x10, b"")]
    i = 0
    for r in pkts:
        yield rec(i, pps, r)
        i += 1
    body = bytes(range(256)) * 4
    for half in range(2):
        for k in range(n):
            yield rec(i, pps, tcp4(CLIENT4, SERVER4, 40000, 80, c & 0xFFFFFFFF, s, 0x18, body[:1000]))
            i += 1
            c += 1000
            yield rec(i, pps, tcp4(SERVER4, CLIENT4, 80, 40000, s, c & 0xFFFFFFFF, 0x18, body[:1000]))
            i += 1
            s += 1000
        if half == 0:
            c += 1 << 30  # the hole: 1 GiB never captured
    yield rec(i, pps, tcp4(CLIENT4, SERVER4, 40000, 80, c & 0xFFFFFFFF, s, 0x11, b""))
    yield rec(i + 1, pps, tcp4(SERVER4, CLIENT4, 80, 40000, s, (c + 1) & 0xFFFFFFFF, 0x11, b""))
    yield rec(i + 2, pps, tcp4(CLIENT4, SERVER4, 40000, 80, (c + 1) & 0xFFFFFFFF, s + 1, 0x10, b""))


def tiny_bytes(n):
    """The payload of the tiny-* captures: every byte says where it is."""
    return bytes(((i * 131) + (i >> 9)) & 0xFF for i in range(n))


def gen_tiny_tcp(n, pps, out):
    cs, ss = 7000, 9000000
    c, s = cs + 1, ss + 1
    data = tiny_bytes(n)
    i = 0
    for r in (tcp4(CLIENT4, SERVER4, 40001, 80, cs, 0, 0x02, b""),
              tcp4(SERVER4, CLIENT4, 80, 40001, ss, c, 0x12, b""),
              tcp4(CLIENT4, SERVER4, 40001, 80, c, s, 0x10, b"")):
        yield rec(i, pps, r)
        i += 1
    for k in range(n - 1, -1, -1):
        yield rec(i, pps, tcp4(CLIENT4, SERVER4, 40001, 80, (c + k) & 0xFFFFFFFF, s, 0x18,
                               data[k:k + 1]))
        i += 1
    e = (c + n) & 0xFFFFFFFF
    for r in (tcp4(SERVER4, CLIENT4, 80, 40001, s, e, 0x10, b""),
              tcp4(CLIENT4, SERVER4, 40001, 80, e, s, 0x11, b""),
              tcp4(SERVER4, CLIENT4, 80, 40001, s, (e + 1) & 0xFFFFFFFF, 0x11, b""),
              tcp4(CLIENT4, SERVER4, 40001, 80, (e + 1) & 0xFFFFFFFF, s + 1, 0x10, b"")):
        yield rec(i, pps, r)
        i += 1


def gen_tiny_data(n, pps, out):
    yield tiny_bytes(n)


def tiny_udp(n8, src, dst, v6):
    """A UDP datagram of n8 bytes in all, its checksum right."""
    body = tiny_bytes(n8 - 8)
    u = struct.pack("!HHHH", 40002, 9, n8, 0) + body
    if v6:
        ps = wsum(src) + wsum(dst) + (n8 >> 16) + (n8 & 0xFFFF) + 17
    else:
        ps = wsum(src) + wsum(dst) + 17 + n8
    c = (~fold(ps + wsum(u + (b"\0" if n8 % 2 else b"")))) & 0xFFFF
    return u[:6] + struct.pack("!H", c or 0xFFFF) + u[8:]


def gen_tiny_frag4(n, pps, out):
    import random
    eth = ETH_DST + ETH_SRC + b"\x08\x00"
    u = tiny_udp(8 * n, CLIENT4, SERVER4, False)
    order = list(range(n))
    random.Random(4).shuffle(order)
    i = 0
    for j, k in enumerate(order):
        frag = (0x2000 if k < n - 1 else 0) | k
        pkt = rec(i, pps, eth + ip4_header(CLIENT4, SERVER4, 17, 8, 0x5151, frag)
                  + u[8 * k:8 * k + 8])
        for _ in range(2 if j % 20 == 0 and j < n - 1 else 1):
            yield pkt
            i += 1


def gen_tiny_frag6(n, pps, out):
    eth = ETH_DST + ETH_SRC + b"\x86\xdd"
    src = bytes.fromhex("20010db8000000000000000000000002")
    u = tiny_udp(8 * n, src, SERVER6, True)
    i = 0
    for k in range(n - 1, -1, -1):
        fh = struct.pack("!BBHI", 17, 0, (k << 3) | (1 if k < n - 1 else 0), 0x61616161)
        pl = fh + u[8 * k:8 * k + 8]
        ip6 = struct.pack("!IHBB16s16s", 0x60000000, len(pl), 44, 64, src, SERVER6)
        yield rec(i, pps, eth + ip6 + pl)
        i += 1


def small_udp(i):
    udp = struct.pack("!HHHH", 40000, 9, 8 + 4, 0) + struct.pack("!I", i)
    return ETH_DST + ETH_SRC + b"\x08\x00" + ip4_header(CLIENT4, SERVER4, 17, len(udp), i & 0xFFFF, 0) + udp


def gen_snaplen0(n, pps, out):
    for i in range(n):
        yield rec(i, pps, small_udp(i))


def gen_caplen_over(n, pps, out):
    for i in range(n):
        yield rec(i, pps, tcp4(CLIENT4, SERVER4, 40000, 80, 1 + 1460 * i, 1, 0x18, bytes(1460)))


def gen_pcapng_huge(n, pps, out):
    def block(t, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", t, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    yield block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    yield block(1, struct.pack("<HHI", 1, 0, 262144))
    for i in range(n):
        f = small_udp(i)
        t = (BASE_TS * 1000000 + i * 1000000 // pps)
        yield block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(f), len(f)) + f)
    # an Enhanced Packet Block claiming 4 GiB - 4, then a few bytes of it
    yield struct.pack("<II", 6, 0xFFFFFFFC) + bytes(64)


# kind -> (generator, default count, file header or None)
KINDS = {"syn": (gen_syn, 1000000, pcap_header()),
         "frag4": (gen_frag4, 100000, pcap_header()),
         "frag6": (gen_frag6, 100000, pcap_header()),
         "gap": (gen_gap, 1000, pcap_header()),
         "tiny-tcp": (gen_tiny_tcp, 200000, pcap_header()),
         "tiny-data": (gen_tiny_data, 200000, None),
         "tiny-frag4": (gen_tiny_frag4, 8000, pcap_header()),
         "tiny-frag6": (gen_tiny_frag6, 4000, pcap_header()),
         "snaplen0": (gen_snaplen0, 1000, pcap_header(0)),
         "caplen-over": (gen_caplen_over, 1000, pcap_header(96)),
         "pcapng-huge": (gen_pcapng_huge, 1000, None)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=sorted(KINDS))
    ap.add_argument("out")
    ap.add_argument("--count", type=int)
    ap.add_argument("--pps", type=int, default=100000)
    a = ap.parse_args()
    fn, default, header = KINDS[a.kind]
    n = a.count if a.count is not None else default
    if n < 0 or a.pps <= 0:
        ap.error("--count >= 0 and --pps > 0")
    with open(a.out, "wb") as f:
        if header:
            f.write(header)
        buf = []
        for r in fn(n, a.pps, f):
            buf.append(r)
            if len(buf) >= 8192:
                f.write(b"".join(buf))
                buf.clear()
        f.write(b"".join(buf))
    return 0


if __name__ == "__main__":
    sys.exit(main())
