#!/usr/bin/env python3
"""gen-big.py - a big capture of many concurrent TCP connections, for the reassembly memory bench.

    bench/gen-big.py OUT.pcap [--size 1G] [--conns 20000] [--concurrent 5000]
                     [--ooo 0.02] [--retx 0.01] [--loss 0.01] [--lossy 0.05]
                     [--seed 1] [--manifest FILE]

Connections open (SYN, SYN/ACK, ACK), the client sends a request of
100..2000 bytes, the server answers with a response whose size averages
what makes the file --size bytes in all, both sides ACK every second
segment, and the connection closes with FIN/ACK both ways.  Up to
--concurrent connections are open at once; every packet comes from a
connection picked at random, so their segments interleave.  Impairments,
per data segment:
  --ooo    the segment is held back and sent after the next one (out of order)
  --retx   the segment is sent again one to three segments later (retransmission)
  --loss   the segment is missing from the capture (a gap the reassembler
           must report); only in a --lossy fraction of the connections, so
           most streams are complete.
Payload bytes come from one seeded 1 MiB random block at a per-direction
offset, so a retransmission repeats the bytes it retransmits.  IPv4 header
checksums are right; TCP checksums are 0 (not computed, for speed).
Stream numbers are tshark's: connection i is tcp.stream i.  --manifest
writes one line per connection (tab-separated): stream, client, server,
bytes client->server, bytes server->client, segments lost from the capture
each way, offset of each direction's bytes in the block (the block is the
first 1 MiB of random.Random(seed).randbytes, so a checker can rebuild
every stream's bytes).
Writes about 40 MB/s (1 GB in about half a minute on one core).
"""
import argparse
import random
import struct
import sys

MSS = 1448
BLOCK_SIZE = 1 << 20
ETH = bytes.fromhex("020000000002" "020000000001") + b"\x08\x00"
ETH_R = bytes.fromhex("020000000001" "020000000002") + b"\x08\x00"
F_FIN, F_SYN, F_RST, F_PSH, F_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def parse_size(s):
    mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    s = s.strip().lower()
    if s and s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(s)


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


class Conn:
    __slots__ = ("idx", "cip", "sip", "cport", "sport", "isn", "req", "resp",
                 "boff", "lossy", "lost", "gen")


def conn_frames(c, rng, a, block):
    """The frames of one connection in wire order, impairments applied."""
    ip = (c.cip, c.sip)
    port = (c.cport, c.sport)
    eth = (ETH, ETH_R)
    seq = [c.isn[0], c.isn[1]]
    ident = [rng.randrange(65536), rng.randrange(65536)]

    def frame(d, flags, sq, ack, payload=b""):
        ident[d] = (ident[d] + 1) & 0xFFFF
        tot = 40 + len(payload)
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, ident[d], 0x4000, 64, 6, 0,
                        ip[d], ip[1 - d])
        cs = (~fold(sum(struct.unpack("!10H", h)))) & 0xFFFF
        h = h[:10] + struct.pack("!H", cs) + h[12:]
        t = struct.pack("!HHIIBBHHH", port[d], port[1 - d], sq & 0xFFFFFFFF,
                        ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
        return eth[d] + h + t + payload

    yield frame(0, F_SYN, seq[0], 0)
    yield frame(1, F_SYN | F_ACK, seq[1], seq[0] + 1)
    seq[0] += 1
    seq[1] += 1
    yield frame(0, F_ACK, seq[0], seq[1])
    for d, total in ((0, c.req), (1, c.resp)):
        held = None   # an out-of-order segment waiting for the next one
        held_off = 0
        again = []    # [countdown, frame]: retransmissions to come
        off = 0
        nseg = 0
        start = seq[d]
        while off < total or held or again:
            out = []
            if off < total:
                n = min(MSS, total - off)
                b = c.boff[d] + off
                pl = block[b:b + n]
                f = frame(d, F_ACK | (F_PSH if off + n == total else 0),
                          start + off, seq[1 - d], pl)
                off += n
                nseg += 1
                retx = rng.random() < a.retx
                if c.lossy and rng.random() < a.loss:
                    if not retx:  # else the retransmission fills the hole
                        c.lost[d] += 1
                elif held is None and off < total and rng.random() < a.ooo:
                    held = f
                    held_off = off - n
                else:
                    out.append(f)
                    if held is not None:
                        out.append(held)
                        held = None
                if retx:
                    again.append([rng.randint(1, 3), f])
            else:
                if held is not None:
                    out.append(held)
                    held = None
                for r in again:
                    r[0] = 0
            for r in again:
                r[0] -= 1
            due = [r for r in again if r[0] <= 0]
            again = [r for r in again if r[0] > 0]
            out.extend(r[1] for r in due)
            for f in out:
                yield f
            if nseg % 2 == 0 or off >= total:
                # the receiver acknowledges what it has: not past a held
                # segment (segments lost from the capture did arrive)
                yield frame(1 - d, F_ACK, seq[1 - d],
                            start + (held_off if held is not None else off))
        seq[d] = start + total
    # close: server FIN, client FIN/ACK, server ACK
    yield frame(1, F_FIN | F_ACK, seq[1], seq[0])
    yield frame(0, F_FIN | F_ACK, seq[0], seq[1] + 1)
    yield frame(1, F_ACK, seq[1] + 1, seq[0] + 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--size", default="1G", help="about this many bytes in all (K, M, G)")
    ap.add_argument("--conns", type=int, default=20000)
    ap.add_argument("--concurrent", type=int, default=5000)
    ap.add_argument("--ooo", type=float, default=0.02)
    ap.add_argument("--retx", type=float, default=0.01)
    ap.add_argument("--loss", type=float, default=0.01)
    ap.add_argument("--lossy", type=float, default=0.05, help="fraction of connections with --loss")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--manifest")
    a = ap.parse_args()
    size = parse_size(a.size)
    if a.conns <= 0 or a.concurrent <= 0 or size <= 0:
        ap.error("--conns, --concurrent and --size must be positive")

    rng = random.Random(a.seed)
    block = rng.randbytes(BLOCK_SIZE)
    block += block[:BLOCK_SIZE]  # slices never wrap
    # wire bytes per payload byte: 54 header + 16 record per 1448, plus ACKs
    overhead = 1.0 + (70 + 35) / MSS
    mean_resp = max(1000, int(size / overhead / a.conns) - 1050)
    manifest = open(a.manifest, "w") if a.manifest else None

    def new_conn(i):
        c = Conn()
        c.idx = i
        c.cip = struct.pack("!I", 0x0A400000 + i // 250 * 256 + i % 250 + 1)
        c.sip = struct.pack("!I", 0x0A020001 + i % 100)
        c.cport = 1024 + i % 60000
        c.sport = 80 if i % 3 else 443
        c.isn = (rng.getrandbits(32), rng.getrandbits(32))
        c.req = rng.randint(100, 2000)
        c.resp = rng.randint(mean_resp // 5, mean_resp * 9 // 5)
        c.boff = (rng.randrange(BLOCK_SIZE), rng.randrange(BLOCK_SIZE))
        c.lossy = rng.random() < a.lossy
        c.lost = [0, 0]
        c.gen = conn_frames(c, rng, a, block)
        return c

    active = []
    opened = 0
    npkt = 0
    t_us = 0
    ts0 = 1700000000
    with open(a.out, "wb", buffering=1 << 20) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        buf = []
        while active or opened < a.conns:
            # open connections in order (stream numbers), up to the limit
            while opened < a.conns and (len(active) < a.concurrent):
                c = new_conn(opened)
                opened += 1
                # its SYN goes out now, so stream numbers follow the index
                fr = next(c.gen)
                buf.append(struct.pack("<IIII", ts0 + t_us // 1000000, t_us % 1000000,
                                       len(fr), len(fr)) + fr)
                t_us += 3
                npkt += 1
                active.append(c)
            k = rng.randrange(len(active))
            c = active[k]
            try:
                fr = next(c.gen)
            except StopIteration:
                active[k] = active[-1]
                active.pop()
                if manifest:
                    manifest.write("%d\t%s:%d\t%s:%d\t%d\t%d\t%d\t%d\t%d\t%d\n" % (
                        c.idx, ".".join(map(str, c.cip)), c.cport,
                        ".".join(map(str, c.sip)), c.sport, c.req, c.resp,
                        c.lost[0], c.lost[1], c.boff[0], c.boff[1]))
                continue
            buf.append(struct.pack("<IIII", ts0 + t_us // 1000000, t_us % 1000000,
                                   len(fr), len(fr)) + fr)
            t_us += 3
            npkt += 1
            if len(buf) >= 4096:
                f.write(b"".join(buf))
                buf.clear()
        f.write(b"".join(buf))
    if manifest:
        manifest.close()
    print("gen-big.py: %s: %d packets, %d connections" % (a.out, npkt, a.conns), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
