#!/usr/bin/env python3
"""grow-pcap.py - grow a capture by concatenating time-shifted, readdressed copies.

    bench/grow-pcap.py IN.pcap OUT.pcap [--copies N] [--hosts H]

Copy k (k = 0 .. N-1) is the input shifted in time by k * (its span + 1 s),
with every IPv4 address a.b.c.d in a packet header (and in ARP) rewritten
to a.b.(c+k).d and every IPv6 address's fourth 16-bit group increased by
k (fd00:98::1 becomes fd00:98:0:k::1; also in ARP and in neighbour
discovery targets; multicast and broadcast addresses stay), so the flows of each copy stay
distinct from those of every other copy.  Copy 0 keeps the input's
addresses, so the first copy is the input itself (bar checksums).

--hosts H (the many-hosts-in-one-prefix variant, tcpdump issue #1136):
the client side of every IPv4 TCP/UDP flow (the endpoint with the
ephemeral port, else the first sender) gets its own address instead, one
of H addresses a.b.X.Y of the input's /16 (X = 0 .. H/250, Y = 3 .. 252,
so servers at a.b.k.1 and a.b.k.2 stay apart); flows are numbered in
order of appearance across all copies and flow i gets host i mod H.

Checksums: the IPv4 header checksum and the TCP, UDP and ICMPv6
checksums (whose pseudo-header holds the addresses) are recomputed on
every packet that is complete (captured length = wire length, not a
fragment); a UDP checksum of 0 (none) stays 0.  Python stdlib only.
Reads pcap (either byte order, micro- or nanosecond); writes the same
format.  About 1.5 million packets a minute on one core.
"""
import argparse
import struct
import sys


def csum(data):
    """RFC 1071 Internet checksum of data (a 16-bit sum modulo 2^16 - 1)."""
    if len(data) & 1:
        data += b"\0"
    m = int.from_bytes(data, "big") % 0xFFFF
    s = m if m else (0xFFFF if any(data) else 0)
    return 0xFFFF - s


def read_pcap(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 24:
        sys.exit("grow-pcap.py: %s: too short for a pcap header" % path)
    magic = raw[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        sys.exit("grow-pcap.py: %s: not a pcap file (pcapng: convert with editcap -F pcap)" % path)
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(e + "I", raw[20:24])[0]
    recs = []
    off = 24
    hdr = struct.Struct(e + "IIII")
    while off + 16 <= len(raw):
        sec, frac, cl, wl = hdr.unpack_from(raw, off)
        if off + 16 + cl > len(raw):
            break
        recs.append((sec, frac, wl, raw[off + 16:off + 16 + cl]))
        off += 16 + cl
    return raw[:24], e, nano, linktype, recs


class Grower:
    def __init__(self, copies, hosts):
        self.copies = copies
        self.hosts = hosts
        self.flows = {}       # (copy, canonical 5-tuple) -> (client ip, host)
        self.nflows = 0

    def v4(self, a, k):
        if not k or a[0] >= 224 or a == b"\0\0\0\0":
            return a  # multicast, broadcast, unspecified: as they are
        return a[:2] + bytes(((a[2] + k) & 0xFF,)) + a[3:]

    def v6(self, a, k):
        if not k or a[0] == 0xFF or not any(a):
            return a  # multicast, unspecified: as they are
        g = (struct.unpack_from("!H", a, 6)[0] + k) & 0xFFFF
        return a[:6] + struct.pack("!H", g) + a[8:]

    def host_addr(self, base, i):
        h = i % self.hosts
        return base[:2] + bytes((h // 250, 3 + h % 250))

    def client_of(self, k, proto, src, dst, sp, dp):
        """(client ip in the input, its new address) for a TCP/UDP packet."""
        a, b = (src, sp), (dst, dp)
        key = (k, proto) + ((a, b) if a <= b else (b, a))
        got = self.flows.get(key)
        if got is None:
            if (sp >= 1024) != (dp >= 1024):
                cli = src if sp >= 1024 else dst
            else:
                cli = src
            got = (cli, self.host_addr(cli, self.nflows))
            self.nflows += 1
            self.flows[key] = got
        return got

    def ipv4(self, p, o, k):
        """Rewrite the IPv4 packet at offset o of bytearray p."""
        if len(p) < o + 20 or p[o] >> 4 != 4:
            return
        ihl = (p[o] & 15) * 4
        if ihl < 20 or len(p) < o + ihl:
            return
        tot = struct.unpack_from("!H", p, o + 2)[0]
        frag = struct.unpack_from("!H", p, o + 6)[0] & 0x3FFF
        proto = p[o + 9]
        src, dst = bytes(p[o + 12:o + 16]), bytes(p[o + 16:o + 20])
        nsrc, ndst = self.v4(src, k), self.v4(dst, k)
        l4 = o + ihl
        whole = frag == 0 and tot >= ihl and len(p) >= o + tot
        if self.hosts and proto in (6, 17) and frag == 0 and len(p) >= l4 + 4:
            sp, dp = struct.unpack_from("!HH", p, l4)
            cli, addr = self.client_of(k, proto, src, dst, sp, dp)
            if src == cli:
                nsrc = addr
            else:
                ndst = addr
        p[o + 12:o + 16] = nsrc
        p[o + 16:o + 20] = ndst
        p[o + 10:o + 12] = b"\0\0"
        p[o + 10:o + 12] = struct.pack("!H", csum(bytes(p[o:o + ihl])))
        if not whole:
            return
        seg = l4, o + tot
        self.l4sum(p, proto, seg, nsrc + ndst + struct.pack("!BBH", 0, proto, tot - ihl))

    def l4sum(self, p, proto, seg, pseudo):
        a, b = seg
        if proto == 6 and b - a >= 20:
            at = a + 16
        elif proto == 17 and b - a >= 8:
            at = a + 6
            if p[at] == 0 and p[at + 1] == 0:
                return  # no checksum (IPv4)
        elif proto == 58 and b - a >= 4:
            at = a + 2
        else:
            return
        p[at:at + 2] = b"\0\0"
        c = csum(pseudo + bytes(p[a:b]))
        if proto == 17 and c == 0:
            c = 0xFFFF
        p[at:at + 2] = struct.pack("!H", c)

    def ipv6(self, p, o, k):
        if len(p) < o + 40 or p[o] >> 4 != 6:
            return
        plen = struct.unpack_from("!H", p, o + 4)[0]
        nxt = p[o + 6]
        src, dst = self.v6(bytes(p[o + 8:o + 24]), k), self.v6(bytes(p[o + 24:o + 40]), k)
        p[o + 8:o + 24] = src
        p[o + 24:o + 40] = dst
        a = o + 40
        # hop-by-hop, routing, destination options: skip; a fragment: leave
        while nxt in (0, 43, 60) and len(p) >= a + 8:
            nxt, a = p[a], a + (p[a + 1] + 1) * 8
        if nxt == 44 or len(p) < o + 40 + plen or a > o + 40 + plen:
            return
        if nxt == 58 and len(p) >= a + 24 and p[a] in (135, 136, 137):
            # neighbour discovery: the target address is one of ours
            p[a + 8:a + 24] = self.v6(bytes(p[a + 8:a + 24]), k)
        if nxt not in (6, 17, 58):
            return
        ln = o + 40 + plen - a
        pseudo = src + dst + struct.pack("!IxxxB", ln, nxt)
        self.l4sum(p, nxt, (a, o + 40 + plen), pseudo)

    def arp(self, p, o, k):
        if len(p) < o + 28 or p[o + 4] != 6 or p[o + 5] != 4:
            return
        p[o + 14:o + 18] = self.v4(bytes(p[o + 14:o + 18]), k)
        p[o + 24:o + 28] = self.v4(bytes(p[o + 24:o + 28]), k)

    def packet(self, data, wl, linktype, k):
        if k == 0 and not self.hosts:
            return data
        p = bytearray(data)
        if linktype == 1:           # Ethernet, 802.1Q tags
            o, et = 12, None
            while len(p) >= o + 2:
                et = struct.unpack_from("!H", p, o)[0]
                if et in (0x8100, 0x88A8):
                    o += 4
                    continue
                o += 2
                break
        elif linktype == 113:       # Linux cooked v1
            o, et = 16, struct.unpack_from("!H", p, 14)[0] if len(p) >= 16 else None
        elif linktype in (12, 101):  # raw IP
            o, et = 0, {4: 0x0800, 6: 0x86DD}.get(p[0] >> 4 if p else 0)
        else:
            return data
        if et == 0x0800:
            self.ipv4(p, o, k)
        elif et == 0x86DD:
            self.ipv6(p, o, k)
        elif et == 0x0806:
            self.arp(p, o, k)
        return bytes(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--hosts", type=int, default=0,
                    help="give the client side of every IPv4 flow one of H addresses of the /16")
    a = ap.parse_args()
    if not 1 <= a.copies <= 256:
        ap.error("--copies: 1 to 256")
    if not 0 <= a.hosts <= 250 * 256:
        ap.error("--hosts: at most 64000")
    head, e, nano, linktype, recs = read_pcap(a.inp)
    if not recs:
        sys.exit("grow-pcap.py: %s: no packets" % a.inp)
    unit = 1000000000 if nano else 1000000
    t0 = recs[0][0] * unit + recs[0][1]
    t1 = max(r[0] * unit + r[1] for r in recs)
    shift = t1 - t0 + unit
    g = Grower(a.copies, a.hosts)
    rh = struct.Struct(e + "IIII")
    n = 0
    with open(a.out, "wb", buffering=1 << 22) as f:
        f.write(head)
        for k in range(a.copies):
            d = k * shift
            out = []
            for sec, frac, wl, data in recs:
                t = sec * unit + frac + d
                pk = g.packet(data, wl, linktype, k)
                out.append(rh.pack(t // unit, t % unit, len(pk), wl))
                out.append(pk)
                n += 1
                if len(out) >= 8192:
                    f.write(b"".join(out))
                    out.clear()
            f.write(b"".join(out))
    msg = "grow-pcap.py: %s: %d packets, %d copies" % (a.out, n, a.copies)
    if a.hosts:
        msg += ", %d IPv4 flows over %d client hosts" % (g.nflows, min(g.nflows, a.hosts))
    print(msg, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
