#!/usr/bin/env python3
"""http-gen.py - hostile HTTP/1.x framing captures for tests/flood/http.sh.

    tests/flood/http-gen.py KIND OUT.pcap --count N

KIND:
  headers   N connections to port 80, each a request with 10 000 header
            lines (~190 KB, past the 64 KiB header cap) in 1400-byte
            segments, then a plain "GET /after-N": the cap makes the
            block MALFORMED, the request after it is found again, and its
            response pairs with it
  pipeline  one connection: N requests pipelined 50 to a segment, then N
            "204" responses 50 to a segment: 8 wait at most, the others
            are paired with none (a warning each), in bounded memory
  chunks    one response whose body is N chunks of one byte, each with a
            chunk extension, then a chunk size of 2^64: MALFORMED there
  halfheads N connections, each sending the first 1000 bytes of a header
            block and never the rest: every flow holds a partial head in
            the stream layer's buffers, which the reassembly memory cap
            bounds
"""
import argparse
import importlib.util
import os
import struct
import sys

# the pcap and TCP frame builders of tests/flood/gen.py
_spec = importlib.util.spec_from_file_location(
    "flood_gen", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "gen.py"))
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

SEG = 1400


class Conv:
    """One TCP connection client:sport -> server:80, its frames as pcap
    records."""

    def __init__(self, out, client, sport):
        self.out, self.client, self.sport = out, client, sport
        self.seq = [1000, 5000000]
        self.open()

    def frame(self, d, flags, payload=b""):
        src, dst = (self.client, gen.SERVER4) if d == 0 else (gen.SERVER4, self.client)
        sp, dp = (self.sport, 80) if d == 0 else (80, self.sport)
        f = gen.tcp4(src, dst, sp, dp, self.seq[d] & 0xFFFFFFFF,
                     self.seq[1 - d] & 0xFFFFFFFF, flags, payload)
        self.out.append(f)
        self.seq[d] += len(payload) + (1 if flags & 0x03 else 0)

    def open(self):
        self.frame(0, 0x02)
        self.frame(1, 0x12)
        self.frame(0, 0x10)

    def send(self, d, data):
        for i in range(0, len(data), SEG):
            self.frame(d, 0x18, data[i:i + SEG])

    def close(self):
        self.frame(0, 0x11)
        self.frame(1, 0x11)
        self.frame(0, 0x10)


def gen_headers(n, out):
    block = b"".join(b"X-Flood-%05d: v\r\n" % k for k in range(10000))
    for i in range(n):
        c = Conv(out, gen.src4(i), 20000 + i % 40000)
        c.send(0, b"GET /flood HTTP/1.1\r\nHost: x\r\n" + block + b"\r\n")
        c.send(0, b"GET /after-%d HTTP/1.1\r\nHost: x\r\n\r\n" % i)
        c.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        c.close()


def gen_pipeline(n, out):
    c = Conv(out, gen.CLIENT4, 40000)
    req = b"GET /p HTTP/1.1\r\nHost: x\r\n\r\n"
    rsp = b"HTTP/1.1 204 No Content\r\n\r\n"
    for i in range(0, n, 50):
        c.frame(0, 0x18, req * min(50, n - i))
    for i in range(0, n, 50):
        c.frame(1, 0x18, rsp * min(50, n - i))
    c.close()


def gen_chunks(n, out):
    c = Conv(out, gen.CLIENT4, 40001)
    c.send(0, b"GET /chunks HTTP/1.1\r\nHost: x\r\n\r\n")
    body = b"1;e=x\r\na\r\n" * n + b"10000000000000000\r\n" + b"z" * 100
    c.send(1, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    c.close()


def gen_halfheads(n, out):
    head = (b"GET /half HTTP/1.1\r\nHost: x\r\n" +
            b"".join(b"X-Half-%04d: v\r\n" % k for k in range(200)))[:1000]
    for i in range(n):
        c = Conv(out, gen.src4(i), 30000 + i % 30000)
        c.send(0, head)


KINDS = {"headers": gen_headers, "pipeline": gen_pipeline,
         "chunks": gen_chunks, "halfheads": gen_halfheads}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=sorted(KINDS))
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=100)
    a = ap.parse_args()
    with open(a.out, "wb") as f:
        f.write(gen.pcap_header())
        frames = []
        KINDS[a.kind](a.count, frames)
        f.write(b"".join(gen.rec(i, 100000, fr) for i, fr in enumerate(frames)))
    print(len(frames))  # the packets written
    return 0


if __name__ == "__main__":
    sys.exit(main())
