#!/usr/bin/env python3
"""ws-echo.py - a tiny WebSocket (RFC 6455) echo server and client, standard
library only, for make-http-captures.sh's http-websocket.pcap.

  ws-echo.py server ADDR PORT   serve one connection: the opening handshake
                                (101, Sec-WebSocket-Accept from SHA-1), then
                                echo every text and binary message (frames
                                unmasked), answer a ping with a pong and a
                                close with a close
  ws-echo.py client ADDR PORT   the handshake (checks the accept key), then,
                                every frame masked with a fixed key sequence
                                (deterministic bytes): two text frames, a
                                text message in two fragments (text without
                                FIN, then continuation), a 300-byte binary
                                frame (16-bit length), a 70 000-byte binary
                                frame (64-bit length), a ping and a close;
                                it waits for each answer and checks it

Exits non-zero when anything differs from what RFC 6455 says.
"""
import base64
import hashlib
import socket
import struct
import sys

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
KEY = b"dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455's example nonce


def accept_of(key):
    return base64.b64encode(hashlib.sha1(key + GUID).digest())


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("connection closed")
        b += c
    return b


def recv_head(s):
    b = b""
    while b"\r\n\r\n" not in b:
        c = s.recv(1)
        if not c:
            raise EOFError("connection closed in the head")
        b += c
    return b


def frame(opcode, payload, fin=True, mask=None):
    b = bytes([(0x80 if fin else 0) | opcode])
    m = 0x80 if mask else 0
    n = len(payload)
    if n < 126:
        b += bytes([m | n])
    elif n < 65536:
        b += bytes([m | 126]) + struct.pack("!H", n)
    else:
        b += bytes([m | 127]) + struct.pack("!Q", n)
    if mask:
        b += mask
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
    return b + payload


def read_frame(s):
    h = recv_exact(s, 2)
    fin, opcode = h[0] >> 7, h[0] & 15
    n = h[1] & 127
    if n == 126:
        n = struct.unpack("!H", recv_exact(s, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", recv_exact(s, 8))[0]
    mask = recv_exact(s, 4) if h[1] & 0x80 else None
    p = recv_exact(s, n)
    if mask:
        p = bytes(c ^ mask[i % 4] for i, c in enumerate(p))
    return fin, opcode, mask is not None, p


def server(addr, port):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    print("listening", flush=True)
    s, _ = ls.accept()
    head = recv_head(s).decode("latin-1")
    key = None
    for line in head.split("\r\n")[1:]:
        if line.lower().startswith("sec-websocket-key:"):
            key = line.split(":", 1)[1].strip().encode()
    if not key or "upgrade: websocket" not in head.lower():
        raise SystemExit("not a WebSocket opening handshake")
    s.sendall(b"HTTP/1.1 101 Switching Protocols\r\n"
              b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Accept: " + accept_of(key) + b"\r\n\r\n")
    while True:
        fin, op, masked, p = read_frame(s)
        if not masked:
            raise SystemExit("a client frame not masked")
        if op in (0, 1, 2):
            s.sendall(frame(op, p, fin))
        elif op == 9:
            s.sendall(frame(10, p))
        elif op == 8:
            s.sendall(frame(8, p[:2]))
            break
    s.close()
    ls.close()


def client(addr, port):
    s = socket.create_connection((addr, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(b"GET /chat HTTP/1.1\r\nHost: " + addr.encode() + b"\r\n"
              b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: " + KEY + b"\r\n"
              b"Sec-WebSocket-Version: 13\r\n\r\n")
    head = recv_head(s)
    if not head.startswith(b"HTTP/1.1 101 ") or accept_of(KEY) not in head:
        raise SystemExit("bad handshake answer: %r" % head)
    masks = iter(bytes([0x37 + 16 * i, 0xfa, 0x21 + i, 0x3d]) for i in range(16))
    big = bytes((i * 13 + (i >> 9)) & 255 for i in range(70000))
    sends = [
        (1, b"Hello, tapir", True),
        (1, b"A second text frame", True),
        (1, b"fragmented ", False),
        (0, b"message", True),
        (2, bytes(range(256)) + bytes(range(44)), True),
        (2, big, True),
        (9, b"ping!", True),
        (8, struct.pack("!H", 1000) + b"bye", True),
    ]
    for op, p, fin in sends:
        s.sendall(frame(op, p, fin, next(masks)))
        rfin, rop, rmasked, rp = read_frame(s)
        want = {9: 10, 8: 8}.get(op, op)
        wantp = p[:2] if op == 8 else p
        if rop != want or rp != wantp or rmasked or rfin != fin:
            raise SystemExit("bad answer to opcode %d" % op)
    s.close()


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("server", "client"):
        raise SystemExit(__doc__)
    (server if sys.argv[1] == "server" else client)(sys.argv[2], int(sys.argv[3]))
