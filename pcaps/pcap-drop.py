#!/usr/bin/env python3
"""pcap-drop.py - copy a classic pcap without some of its frames.

    pcaps/pcap-drop.py IN.pcap OUT.pcap N [N...]

N: the frame numbers to leave out (1 = the first frame).  The file header
and every other record are copied byte for byte (either byte order, us or
ns magic).  Made for captures that lack a segment the peers still
acknowledge, e.g. the golden tests' tcp-tail-gap.pcap:

    pcaps/pcap-drop.py pcaps/tcp-curl-http.pcap tests/golden/tcp-tail-gap.pcap 8
"""
import struct
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip())
    src, dst = sys.argv[1], sys.argv[2]
    drop = {int(n) for n in sys.argv[3:]}
    data = open(src, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        sys.exit("%s: not a classic pcap" % src)
    out = [data[:24]]
    pos, n = 24, 0
    while pos + 16 <= len(data):
        incl = struct.unpack(end + "I", data[pos + 8:pos + 12])[0]
        rec = data[pos:pos + 16 + incl]
        if len(rec) < 16 + incl:
            sys.exit("%s: truncated record %d" % (src, n + 1))
        n += 1
        if n not in drop:
            out.append(rec)
        pos += 16 + incl
    with open(dst, "wb") as f:
        f.write(b"".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
