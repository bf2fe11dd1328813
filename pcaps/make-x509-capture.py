#!/usr/bin/env python3
"""make-x509-capture.py - pcaps/tls-x509-kinds.pcap: one TLS 1.2 flight
(ServerHello, Certificate) from 10.0.0.1:443 over three TCP segments,
whose Certificate carries the four certificates of tests/unit/data (RSA
with six SAN kinds, EC with a GeneralizedTime, Ed25519, DSA), so that
tshark and tapir can be compared on what loopback captures lack.
    pcaps/make-x509-capture.py     (from the top of the tree)
"""
import struct


def be(n, w):
    return n.to_bytes(w, "big")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main():
    d = "tests/unit/data"
    ders = [open(f"{d}/{c}.der", "rb").read()
            for c in ("rsa", "ec", "ed25519", "dsa")]
    certs = b"".join(be(len(c), 3) + c for c in ders)
    body = be(len(certs), 3) + certs
    msg = b"\x0b" + be(len(body), 3) + body
    sh_body = b"\x03\x03" + bytes(32) + b"\x00" + b"\xc0\x2f" + b"\x00"
    sh = b"\x02" + be(len(sh_body), 3) + sh_body
    rec = b"\x16\x03\x03" + be(len(sh) + len(msg), 2) + sh + msg
    src, dst = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    pkts = []
    for off in range(0, len(rec), 1400):
        chunk = rec[off:off + 1400]
        tcp = struct.pack("!HHIIBBHHH", 443, 50000, 1000 + off, 1, 5 << 4,
                          0x18, 65535, 0, 0)
        ph = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(chunk))
        tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp + chunk)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(chunk),
                         off // 1400 + 1, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        eth = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00"
        pkts.append(eth + ip + tcp + chunk)
    with open("pcaps/tls-x509-kinds.pcap", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", 1796680800 + i, 0, len(p), len(p)))
            f.write(p)


if __name__ == "__main__":
    main()
