#!/usr/bin/env python3
"""tls-crafted.py - writes tests/golden/tls-crafted.pcap: TLS handshake
messages and extensions no client or server at hand (openssl 3.0, curl)
sends, for the golden tests and tests/compare-tls-tshark.py: one TCP
connection to port 443 with

  client: a ClientHello with status_request, status_request_v2,
          heartbeat, compress_certificate (zlib, brotli, zstd),
          record_size_limit, session_ticket (a ticket), extended master
          secret, encrypt_then_mac, signature_algorithms_cert,
          certificate_authorities (two names), post_handshake_auth,
          application_settings (ALPS: h2, http/1.1), a GREASE and a real
          encrypted_client_hello (0xfe0d, by number), early_data and a
          pre_shared_key (two identities, two binders) last;
  server: a TLS 1.2 ServerHello choosing TLS_DHE_RSA_WITH_AES_128_CBC_SHA
          with heartbeat and record_size_limit, a ServerKeyExchange (DHE:
          p, g, Ys, signature), a CertificateRequest (three types, two
          algorithms, a name), a CertificateStatus (an OCSP response's
          bytes), ServerHelloDone;
  client: an empty Certificate, a ClientKeyExchange (Yc), a
          CertificateVerify and a Finished (in the clear: no
          ChangeCipherSpec before it), a KeyUpdate;

then a second connection (port 8443, found by TLS's port list) with a
ServerHello choosing TLS_PSK_WITH_AES_128_CBC_SHA, a ServerKeyExchange
with a PSK identity hint and a ClientKeyExchange with the identity, and
a third (port 465) choosing TLS_RSA_EXPORT_WITH_RC4_40_MD5 in SSL 3.0:
an RSA-export ServerKeyExchange with no signature algorithm and the
SSL 3.0 ClientKeyExchange (an encrypted pre-master secret with no length).

    python3 tests/tls-crafted.py tests/golden/tls-crafted.pcap

Ethernet/IPv4/TCP framed with correct checksums; no scapy needed."""
import importlib
import os
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
csum = importlib.import_module('dhcp-crafted').csum  # Internet checksum


def u8(n):
    return struct.pack('!B', n)


def u16(n):
    return struct.pack('!H', n)


def u24(n):
    return struct.pack('!I', n)[1:]


def v8(b):
    return u8(len(b)) + b


def v16(b):
    return u16(len(b)) + b


def v24(b):
    return u24(len(b)) + b


def ext(t, data=b''):
    return u16(t) + v16(data)


def hs(t, body):
    return u8(t) + v24(body)


def record(ct, body, ver=0x0303):
    return u8(ct) + u16(ver) + v16(body)


RANDOM_C = bytes(range(32))
# a DistinguishedName: CN=A
DN_A = bytes.fromhex('300c310a300806035504030c0141')
RANDOM_S = bytes(range(100, 132))


def client_hello():
    exts = b''.join([
        ext(0x0a0a),                                  # GREASE
        ext(0, v16(u8(0) + v16(b'crafted.tapir.test'))),
        ext(5, u8(1) + v16(b'') + v16(b'')),          # status_request
        ext(17, v16(u8(2) + v16(v16(b'') + v16(b'')))),   # v2, ocsp_multi
        ext(15, u8(1)),                               # heartbeat
        ext(27, v8(u16(1) + u16(2) + u16(3))),        # compress_certificate
        ext(28, u16(16385)),                          # record_size_limit
        ext(35, b'\x5a' * 16),                        # session_ticket
        ext(23), ext(22),                             # EMS, ETM
        ext(10, v16(u16(0x1d) + u16(0x17))),
        ext(13, v16(u16(0x0403) + u16(0x0804))),
        ext(50, v16(u16(0x0401) + u16(0x0503))),      # sig_algs_cert
        ext(47, v16(v16(DN_A) + v16(b'\x30\x00'))),
        ext(49),                                      # post_handshake_auth
        ext(17513, v16(v8(b'h2') + v8(b'http/1.1'))),  # ALPS
        ext(0xfe0d, b'\x00\x00\x01\x00\x01\x07' + b'\xee' * 10),  # ECH
        ext(0xfe0d, b'\x01'),                         # ECH (inner)
        ext(43, v8(u16(0x0304) + u16(0x0303))),
        ext(45, v8(u8(1))),
        ext(42),                                      # early_data
        ext(41, v16(v16(b'\x11' * 8) + struct.pack('!I', 123456) +
                    v16(b'\x22' * 5) + struct.pack('!I', 7)) +
            v16(v8(b'\x33' * 32) + v8(b'\x44' * 32))),
    ])
    body = (u16(0x0303) + RANDOM_C + v8(b'') +
            v16(u16(0x1301) + u16(0x0033) + u16(0x008c)) + v8(b'\0') +
            v16(exts))
    return record(22, hs(1, body), 0x0301)


def server_hello(cs, ver=0x0303, exts=b''):
    body = u16(ver) + RANDOM_S + v8(b'\x77' * 32) + u16(cs) + u8(0)
    if exts:
        body += v16(exts)
    return hs(2, body)


def conn1():
    c1 = client_hello()
    sh = server_hello(0x0033, exts=ext(15, u8(2)) + ext(28, u16(4096)))
    ske = hs(12, v16(b'\xfb' * 64) + v16(b'\x02') + v16(b'\x5e' * 64) +
             u16(0x0601) + v16(b'\x51' * 32))
    cr = hs(13, v8(u8(1) + u8(2) + u8(64)) + v16(u16(0x0401) + u16(0x0403)) +
            v16(v16(DN_A)))
    cs = hs(22, u8(1) + v24(b'\x30\x03\x0a\x01\x00'))
    shd = hs(14, b'')
    s1 = record(22, sh + ske + cr + cs + shd)
    cert = hs(11, v24(b''))
    cke = hs(16, v16(b'\xc1' * 64))
    cv = hs(15, u16(0x0804) + v16(b'\xcf' * 48))
    fin = hs(20, b'\xf1' * 12)
    ku = hs(24, u8(1))
    c2 = record(22, cert + cke + cv) + record(22, fin) + record(22, ku)
    return [(0, c1), (1, s1), (0, c2)]


def conn2():
    ch = client_hello()
    s = record(22, server_hello(0x008c) + hs(12, v16(b'hint-of-tapir')) +
               hs(14, b''))
    c = record(22, hs(16, v16(b'client-identity')))
    return [(0, ch), (1, s), (0, c)]


def conn3():
    body = (u16(0x0300) + RANDOM_C + v8(b'') + v16(u16(0x0003)) +
            v8(b'\0'))
    ch = record(22, hs(1, body), 0x0300)
    s = record(22, server_hello(0x0003, 0x0300) +
               hs(12, v16(b'\xa5' * 64) + v16(b'\x01\x00\x01') +
                  v16(b'\x5b' * 64)) + hs(14, b''), 0x0300)
    c = record(22, hs(16, b'\xe9' * 64), 0x0300)
    return [(0, ch), (1, s), (0, c)]


def frame(src, dst, sport, dport, seq, ack, flags, payload):
    sip, dip = bytes([10, 9, 19, src]), bytes([10, 9, 19, dst])
    tcp = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0) + payload
    ph = sip + dip + struct.pack('!BBH', 0, 6, len(tcp))
    tcp = tcp[:16] + u16(csum(ph + tcp)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, sip, dip)
    ip = ip[:10] + u16(csum(ip)) + ip[12:]
    eth = b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01' + b'\x08\x00'
    return eth + ip + tcp


def conversation(cport, sport, msgs):
    seq = [1000, 5000]
    hosts = (1, 2)
    ports = (cport, sport)
    out = []

    def send(d, flags, data=b''):
        out.append(frame(hosts[d], hosts[1 - d], ports[d], ports[1 - d],
                         seq[d], seq[1 - d], flags, data))
        seq[d] += len(data) + (1 if flags & 0x03 else 0)

    send(0, 0x02)
    send(1, 0x12)
    send(0, 0x10)
    for d, data in msgs:
        send(d, 0x18, data)
    send(0, 0x11)
    send(1, 0x11)
    send(0, 0x10)
    return out


def write(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', 1767225600 + i, 0, len(fr), len(fr)))
            f.write(fr)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write(sys.argv[1], conversation(40001, 443, conn1()) +
          conversation(40002, 8443, conn2()) +
          conversation(40003, 465, conn3()))
