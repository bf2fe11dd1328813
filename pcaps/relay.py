#!/usr/bin/env python3
"""relay.py - an impairing Ethernet relay between two interfaces (user-space netem).

Used by make-messy.sh: three network namespaces A - R - B, R owns one end of
each veth pair (IF_A towards A, IF_B towards B) and runs this relay, which
copies every Ethernet frame from one interface to the other with AF_PACKET
raw sockets, and on the way impairs IP frames with a seeded RNG:

  drop       the frame is not forwarded            (--drop P)
  delay      every frame waits --delay MS + uniform(0, --jitter MS)
  reorder    with probability --reorder P, a frame waits an extra
             uniform(--reorder-min, --reorder-max) MS, so later frames
             overtake it
  duplicate  with probability --dup P, a second copy is sent
             uniform(0, --dup-spread MS) after the first

ARP and IPv6 neighbour discovery (ICMPv6 types 133-137) are forwarded
unimpaired after --delay MS only (A and B are on one subnet and resolve
each other through the relay).  Frames are kept in a time-ordered queue;
frames with equal due time keep their arrival order.

Both legs (A->B and B->A) are impaired with the same rates unless
--legs ab or --legs ba restricts the impairment to one of them.

Checksums: if a frame arrives with a checksum still to be filled in
(TP_STATUS_CSUMNOTREADY: the sender offloaded it), the TCP/UDP checksum is
computed here before the frame is sent on, so the receiver does not drop it.
make-messy.sh turns checksum and segmentation offload off anyway; frames
larger than the MTU (GSO) cannot be relayed and are counted as "oversize".

Python 3 standard library only; needs root (or CAP_NET_RAW) in R.

  relay.py --if-a veth-mra --if-b veth-mrb --seed 1 --drop 0.02 --dup 0.02 \
           --reorder 0.1 [--ready FILE] [--stats FILE]

The relay runs until SIGTERM/SIGINT, then prints its counters (JSON) to
--stats FILE (or stderr).
"""
import argparse
import heapq
import json
import os
import random
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_STATISTICS = 6
PACKET_OUTGOING = 4
TP_STATUS_CSUMNOTREADY = 1 << 3
AUX_FMT = "=IIIHHHH"  # struct tpacket_auxdata
AUX_LEN = struct.calcsize(AUX_FMT)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--if-a", required=True, help="interface towards A")
    p.add_argument("--if-b", required=True, help="interface towards B")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--drop", type=float, default=0.0)
    p.add_argument("--dup", type=float, default=0.0)
    p.add_argument("--reorder", type=float, default=0.0)
    p.add_argument("--delay", type=float, default=1.0, help="ms, every frame")
    p.add_argument("--jitter", type=float, default=0.5, help="ms, uniform")
    p.add_argument("--reorder-min", type=float, default=3.0, help="ms")
    p.add_argument("--reorder-max", type=float, default=15.0, help="ms")
    p.add_argument("--dup-spread", type=float, default=5.0, help="ms")
    p.add_argument("--legs", choices=("ab", "ba", "both"), default="both",
                   help="which legs are impaired (default both)")
    p.add_argument("--mtu", type=int, default=1500)
    p.add_argument("--ready", help="file created once the sockets are bound")
    p.add_argument("--stats", help="file for the JSON counters (default stderr)")
    a = p.parse_args(argv)
    for name in ("drop", "dup", "reorder"):
        v = getattr(a, name)
        if not 0.0 <= v <= 1.0:
            p.error("--%s must be between 0 and 1" % name)
    if a.reorder_min > a.reorder_max:
        p.error("--reorder-min > --reorder-max")
    return a


def open_sock(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((ifname, ETH_P_ALL))
    s.setblocking(False)
    return s


def csum16(data, start=0):
    if len(data) & 1:
        data += b"\0"
    s = start + sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def fix_checksum(frame):
    """Fill in the TCP/UDP checksum of an offloaded frame (untagged
    Ethernet, IPv4 without fragmentation or IPv6 without extension
    headers).  Returns the new frame, or the old one if not applicable."""
    if len(frame) < 14:
        return frame
    etype = struct.unpack_from("!H", frame, 12)[0]
    off = 14
    if etype == 0x0800 and len(frame) >= off + 20:
        ihl = (frame[off] & 0x0F) * 4
        tot = struct.unpack_from("!H", frame, off + 2)[0]
        proto = frame[off + 9]
        if struct.unpack_from("!H", frame, off + 6)[0] & 0x3FFF:
            return frame  # fragment
        l4 = off + ihl
        end = off + tot
        pseudo = frame[off + 12:off + 20] + struct.pack("!BBH", 0, proto, end - l4)
    elif etype == 0x86DD and len(frame) >= off + 40:
        proto = frame[off + 6]
        plen = struct.unpack_from("!H", frame, off + 4)[0]
        l4 = off + 40
        end = l4 + plen
        pseudo = frame[off + 8:off + 40] + struct.pack("!IxxxB", plen, proto)
    else:
        return frame
    if end > len(frame) or l4 >= end:
        return frame
    if proto == 6:
        co = l4 + 16
    elif proto == 17:
        co = l4 + 6
    else:
        return frame
    if co + 2 > end:
        return frame
    seg = bytearray(frame[l4:end])
    seg[co - l4:co - l4 + 2] = b"\0\0"
    c = (~csum16(bytes(seg), csum16(pseudo))) & 0xFFFF
    if proto == 17 and c == 0:
        c = 0xFFFF
    out = bytearray(frame)
    struct.pack_into("!H", out, co, c)
    return bytes(out)


def is_control(frame):
    """ARP and IPv6 neighbour discovery pass without impairment."""
    if len(frame) < 14:
        return True
    etype = struct.unpack_from("!H", frame, 12)[0]
    if etype == 0x0806:
        return True
    if etype == 0x86DD and len(frame) >= 55 and frame[20] == 58:
        return 133 <= frame[54] <= 137
    return etype not in (0x0800, 0x86DD)


class Leg:
    def __init__(self, name, rx, tx, impaired):
        self.name, self.rx, self.tx, self.impaired = name, rx, tx, impaired
        self.c = dict(received=0, sent=0, dropped=0, duplicated=0,
                      reordered=0, control=0, oversize=0, csum_fixed=0,
                      send_errors=0)


def main(argv):
    a = parse_args(argv)
    rng = random.Random(a.seed)
    sa, sb = open_sock(a.if_a), open_sock(a.if_b)
    legs = {sa.fileno(): Leg("ab", sa, sb, a.legs in ("ab", "both")),
            sb.fileno(): Leg("ba", sb, sa, a.legs in ("ba", "both"))}
    maxlen = a.mtu + 14
    queue = []  # (due, order, leg, frame)
    order = 0
    stop = []

    def on_signal(signum, frame):
        stop.append(signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    if a.ready:
        with open(a.ready, "w") as f:
            f.write("%d\n" % os.getpid())

    ms = 1e-3
    while not stop:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, leg, fr = heapq.heappop(queue)
            try:
                leg.tx.send(fr)
                leg.c["sent"] += 1
            except OSError:
                leg.c["send_errors"] += 1
        timeout = max(0.0, queue[0][0] - now) if queue else 0.5
        try:
            r, _, _ = select.select([sa, sb], [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for s in r:
            leg = legs[s.fileno()]
            while True:
                try:
                    fr, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(AUX_LEN))
                except (BlockingIOError, InterruptedError):
                    break
                except OSError as e:  # the interface went away
                    print("relay.py: %s: %s" % (leg.name, e), file=sys.stderr)
                    stop.append(0)
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                leg.c["received"] += 1
                for lvl, typ, data in anc:
                    if lvl == SOL_PACKET and typ == PACKET_AUXDATA and len(data) >= AUX_LEN:
                        status = struct.unpack_from(AUX_FMT, data)[0]
                        if status & TP_STATUS_CSUMNOTREADY:
                            fr = fix_checksum(fr)
                            leg.c["csum_fixed"] += 1
                if len(fr) > maxlen:
                    leg.c["oversize"] += 1
                    continue
                delay = a.delay
                if is_control(fr) or not leg.impaired:
                    if is_control(fr):
                        leg.c["control"] += 1
                    due = [now + delay * ms]
                else:
                    if rng.random() < a.drop:
                        leg.c["dropped"] += 1
                        continue
                    delay += rng.uniform(0, a.jitter)
                    if rng.random() < a.reorder:
                        delay += rng.uniform(a.reorder_min, a.reorder_max)
                        leg.c["reordered"] += 1
                    due = [now + delay * ms]
                    if rng.random() < a.dup:
                        due.append(due[0] + rng.uniform(0, a.dup_spread) * ms)
                        leg.c["duplicated"] += 1
                for d in due:
                    order += 1
                    heapq.heappush(queue, (d, order, leg, fr))

    out = {}
    for leg in legs.values():
        st = leg.rx.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        leg.c["kernel_drops"] = struct.unpack("II", st)[1]
        leg.c["pending"] = sum(1 for q in queue if q[2] is leg)
        out[leg.name] = leg.c
    text = json.dumps(out, sort_keys=True)
    if a.stats:
        with open(a.stats, "w") as f:
            f.write(text + "\n")
    else:
        print(text, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
