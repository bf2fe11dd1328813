#!/usr/bin/env python3
"""pcap-byteswap.py - rewrite a classic pcap file in the other (or a chosen) byte order.

Usage: pcap-byteswap.py IN.pcap OUT.pcap [--to big|little|swap]   (default: big)

Only the file header and the per-record headers change byte order; packet
bytes are copied untouched.  Microsecond (0xa1b2c3d4) and nanosecond
(0xa1b23c4d) magics are both handled.  No third-party modules needed.
"""
import struct
import sys

MAGICS = {0xA1B2C3D4: "usec", 0xA1B23C4D: "nsec"}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    src, dst = argv[1], argv[2]
    to = "big"
    if len(argv) >= 5 and argv[3] == "--to":
        to = argv[4]
    data = open(src, "rb").read()
    if len(data) < 24:
        sys.exit("pcap-byteswap: %s: too short for a pcap header" % src)
    for bo in ("<", ">"):
        (magic,) = struct.unpack(bo + "I", data[:4])
        if magic in MAGICS:
            in_bo = bo
            break
    else:
        sys.exit("pcap-byteswap: %s: not a classic pcap file" % src)
    out_bo = {"big": ">", "little": "<", "swap": ">" if in_bo == "<" else "<"}[to]

    magic, vmaj, vmin, thiszone, sigfigs, snaplen, linktype = struct.unpack(in_bo + "IHHiIII", data[:24])
    out = [struct.pack(out_bo + "IHHiIII", magic, vmaj, vmin, thiszone, sigfigs, snaplen, linktype)]
    off, n = 24, 0
    while off < len(data):
        if off + 16 > len(data):
            sys.exit("pcap-byteswap: %s: truncated record header at offset %d" % (src, off))
        ts_sec, ts_frac, incl, orig = struct.unpack(in_bo + "IIII", data[off:off + 16])
        body = data[off + 16:off + 16 + incl]
        if len(body) != incl:
            sys.exit("pcap-byteswap: %s: truncated record at offset %d" % (src, off))
        out.append(struct.pack(out_bo + "IIII", ts_sec, ts_frac, incl, orig))
        out.append(body)
        off += 16 + incl
        n += 1
    with open(dst, "wb") as f:
        f.write(b"".join(out))
    print("pcap-byteswap: %s -> %s: %d records, %s-endian, %s timestamps"
          % (src, dst, n, "big" if out_bo == ">" else "little", MAGICS[magic]), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
