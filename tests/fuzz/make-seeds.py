#!/usr/bin/env python3
"""make-seeds.py - seed inputs for the fuzz harnesses, cut from captures.

    tests/fuzz/make-seeds.py OUTDIR CAPTURE_OR_DIR...

For every frame of every pcap/pcapng (gzip too) it writes:
  OUTDIR/fuzz_pipeline/  the frame with the harness's 2-byte header
  OUTDIR/fuzz_<name>/    the bytes where dissector <name> starts
                         (eth, vlan, ip, tcp, ...), with the 1-byte header
  OUTDIR/fuzz_stream/    each TCP conversation as the stream harness's
                         records (fuzz_stream.c)
Inputs are deduplicated and capped per harness; libFuzzer's -merge keeps
the ones that add coverage (tests/fuzz/run.sh).
"""
import gzip, hashlib, os, struct, sys

CAP = 6000      # per harness
PER_FILE = 40   # per harness and capture, so every capture contributes
PIPE_LT = [1, 113, 276, 0, 108, 101, 228, 229, 147]  # fuzz_pipeline.c
LT_DISS = {1: 'eth', 113: 'sll', 276: 'sll2', 0: 'null', 108: 'null',
           101: 'raw', 228: 'ip', 229: 'ipv6', 12: 'raw', 14: 'raw'}
counts = {}
file_counts = {}


def put(out, harness, data):
    if counts.get(harness, 0) >= CAP or len(data) > 4096:
        return
    if file_counts.get(harness, 0) >= PER_FILE:
        return
    file_counts[harness] = file_counts.get(harness, 0) + 1
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(d, name)
    if not os.path.exists(path):
        with open(path, 'wb') as f:
            f.write(data)
        counts[harness] = counts.get(harness, 0) + 1


def frames(path):
    """yield (linktype, bytes) of every record; stops at damage."""
    try:
        with open(path, 'rb') as f:
            raw = f.read()
        if raw[:2] == b'\x1f\x8b':
            raw = gzip.decompress(raw)
    except Exception:
        return
    if len(raw) < 24:
        return
    magic = raw[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    elif magic == b'\x0a\x0d\x0d\x0a':
        yield from pcapng(raw)
        return
    else:
        return
    lt = struct.unpack(e + 'I', raw[20:24])[0] & 0xffff
    off = 24
    while off + 16 <= len(raw):
        _, _, incl, _ = struct.unpack(e + 'IIII', raw[off:off + 16])
        off += 16
        if incl > 262144 or off + incl > len(raw):
            return
        yield lt, raw[off:off + incl]
        off += incl


def pcapng(raw):
    off, e, lts = 0, '<', []
    while off + 12 <= len(raw):
        if raw[off:off + 4] == b'\x0a\x0d\x0d\x0a':
            e = '<' if raw[off + 8:off + 12] == b'\x4d\x3c\x2b\x1a' else '>'
            lts = []
        btype, blen = struct.unpack(e + 'II', raw[off:off + 8])
        if blen < 12 or off + blen > len(raw):
            return
        body = raw[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 2:
            lts.append(struct.unpack(e + 'H', body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            iface, _, _, cap, _ = struct.unpack(e + 'IIIII', body[:20])
            if iface < len(lts):
                yield lts[iface], body[20:20 + cap]
        elif btype == 3 and len(body) >= 4 and lts:
            yield lts[0], body[4:]
        off += blen


def l3(out, ethertype, b, flows):
    if ethertype == 0x0806:
        put(out, 'fuzz_arp', b'\0' + b)
    elif ethertype == 0x0800:
        ipv4(out, b, flows)
    elif ethertype == 0x86dd:
        ipv6(out, b, flows)


def l4(out, proto, b, key, flows):
    name = {1: 'fuzz_icmp', 6: 'fuzz_tcp', 17: 'fuzz_udp',
            58: 'fuzz_icmpv6'}.get(proto)
    if name:
        put(out, name, b'\0' + b)
    if proto == 6 and len(b) >= 20:
        flows.setdefault(key, []).append(b)


def ipv4(out, b, flows):
    put(out, 'fuzz_ip', b'\0' + b)
    if len(b) < 20 or b[0] >> 4 != 4:
        return
    ihl = (b[0] & 15) * 4
    if struct.unpack('>H', b[6:8])[0] & 0x1fff:
        return
    key = (b[12:16], b[16:20])
    l4(out, b[9], b[ihl:], key, flows)


def ipv6(out, b, flows):
    put(out, 'fuzz_ipv6', b'\0' + b)
    if len(b) < 40:
        return
    nh, off = b[6], 40
    while nh in (0, 43, 60) and off + 8 <= len(b):
        nh, off = b[off], off + (b[off + 1] + 1) * 8
    l4(out, nh, b[off:], (b[8:24], b[24:40]), flows)


def eth_payload(out, b, flows):
    if len(b) < 14:
        return
    et, off = struct.unpack('>H', b[12:14])[0], 14
    while et in (0x8100, 0x88a8) and off + 4 <= len(b):
        put(out, 'fuzz_vlan' if et == 0x8100 else 'fuzz_ieee8021ad',
            b'\0' + b[off:])
        et, off = struct.unpack('>H', b[off + 2:off + 4])[0], off + 4
    if et <= 1500:
        put(out, 'fuzz_llc', b'\0' + b[off:])
    else:
        l3(out, et, b[off:], flows)


def dissect(out, lt, b, flows):
    if lt in PIPE_LT:
        put(out, 'fuzz_pipeline', bytes([PIPE_LT.index(lt), 0]) + b)
    name = LT_DISS.get(lt)
    if name:
        put(out, 'fuzz_' + name, b'\0' + b)
    if lt == 1:
        eth_payload(out, b, flows)
    elif lt == 113 and len(b) >= 16:
        l3(out, struct.unpack('>H', b[14:16])[0], b[16:], flows)
    elif lt == 276 and len(b) >= 20:
        l3(out, struct.unpack('>H', b[0:2])[0], b[20:], flows)
    elif lt in (0, 108) and len(b) >= 4:
        fam = struct.unpack('<I', b[:4])[0]
        if fam == 2 or struct.unpack('>I', b[:4])[0] == 2:
            ipv4(out, b[4:], flows)
        elif fam in (10, 24, 28, 30) or struct.unpack('>I', b[:4])[0] in (24, 28, 30):
            ipv6(out, b[4:], flows)
    elif lt in (101, 12, 14, 228, 229) and b:
        (ipv4 if b[0] >> 4 == 4 else ipv6)(out, b, flows)


def stream_seed(out, segs, v6):
    """TCP segments of one address pair -> fuzz_stream records."""
    first = segs[0]
    ports0 = first[0:4]
    isn = [struct.unpack('>I', first[4:8])[0], None]
    head = bytes([4 if v6 else 0, isn[0] >> 24 & 255, isn[0] >> 16 & 255, 0, 0, 0])
    nxt = [None, None]
    rec = bytearray(head)
    for t in segs[:200]:
        d = 0 if t[0:4] == ports0 else 1
        hl = (t[12] >> 4) * 4
        flags, seq = t[13], struct.unpack('>I', t[4:8])[0]
        pl = t[hl:][:1023]
        if nxt[d] is None:
            nxt[d] = seq
        delta = (seq - nxt[d] + 2**31) % 2**32 - 2**31
        delta = max(-128, min(127, delta))
        kind = 3 if flags & 4 else 1 if flags & 2 else 2 if flags & 1 else 0
        n = len(pl)
        rec += bytes([d | kind << 1 | (n >> 8) << 6, delta & 255, n & 255, 0]) + pl
        nxt[d] = (seq + n + (1 if flags & 3 else 0)) % 2**32
    put(out, 'fuzz_stream', bytes(rec))


def main():
    out, srcs = sys.argv[1], sys.argv[2:]
    files = []
    for s in srcs:
        if os.path.isdir(s):
            for dp, _, fs in os.walk(s):
                files += [os.path.join(dp, f) for f in sorted(fs)]
        else:
            files.append(s)
    for path in files:
        flows = {}
        file_counts.clear()
        for lt, b in frames(path):
            dissect(out, lt, b, flows)
        for key, segs in list(flows.items())[:50]:
            stream_seed(out, segs, len(key[0]) == 16)
    for h in sorted(counts):
        print(f'{h}: {counts[h]} seeds')


if __name__ == '__main__':
    main()
