#!/usr/bin/env python3
"""dhcp-crafted.py - writes tests/golden/dhcp-crafted.pcap: DHCP packets
no real client or server sends, for the golden tests (tcpdump's text,
-v to -vvv, on each; tshark's fields): every option tapir decodes in one
ACK (PXE sub-options, relay agent, FQDN, UUID, domain search, classless
routes), option overload, hostile lengths and sub-lengths, option 119
pointer forwards and to itself, a BOOTP packet, CMU vendor data, an
unknown cookie, no End option, lease query types.

    python3 tests/dhcp-crafted.py tests/golden/dhcp-crafted.pcap \
        [tests/golden/dhcp-cuts.pcap]

The second file holds the first packet (the ACK with every option) cut
by the capture at lengths across the BOOTP header, sname, file, the
cookie and the options (caplen < len).

Ethernet/IPv4/UDP framed with correct checksums; no scapy needed.  The
helpers (bootp, frame, opt, write) serve tests/flood/dhcp-gen.py too."""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(s):
    return bytes(int(x) for x in s.split('.'))


def bootp(op=1, xid=0x1234abcd, chaddr=b'\x02\x00\x00\x00\x99\x02',
          opts=b'', ciaddr='0.0.0.0', yiaddr='0.0.0.0', siaddr='0.0.0.0',
          giaddr='0.0.0.0', sname=b'', file=b'', flags=0, htype=1, hlen=6,
          hops=0, secs=0, cookie=b'\x63\x82\x53\x63'):
    h = struct.pack('!BBBBIHH', op, htype, hlen, hops, xid, secs, flags)
    h += ip4(ciaddr) + ip4(yiaddr) + ip4(siaddr) + ip4(giaddr)
    h += chaddr.ljust(16, b'\0') + sname.ljust(64, b'\0')
    h += file.ljust(128, b'\0')
    return h + cookie + opts


def frame(payload, src='0.0.0.0', dst='255.255.255.255', sport=68,
          dport=67, mac=b'\x02\x00\x00\x00\x99\x02'):
    udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    ps = ip4(src) + ip4(dst) + struct.pack('!BBH', 0, 17, len(udp))
    c = csum(ps + udp) or 0xffff
    udp = udp[:6] + struct.pack('!H', c) + udp[8:]
    iph = struct.pack('!BBHHHBBH', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0)
    iph += ip4(src) + ip4(dst)
    iph = iph[:10] + struct.pack('!H', csum(iph)) + iph[12:]
    eth = b'\xff' * 6 + mac + b'\x08\x00'
    return eth + iph + udp


def opt(code, data):
    return bytes([code, len(data)]) + data


def write(path, frames, cuts=None):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            cap = cuts[i] if cuts else len(fr)
            f.write(struct.pack('<IIII', 1700000000 + i, i * 1000,
                                cap, len(fr)))
            f.write(fr[:cap])


def main():
    E = b'\xff'
    fr = []

    def add(**kw):
        fr.append(frame(bootp(**kw)))


    pxe = opt(6, b'\x03') + opt(8, b'\x80\x00\x01' + ip4('10.0.0.1')) + opt(9, b'\x80\x00\x04menu') + opt(10, b'\x05boot') + opt(71, b'\x80\x00\x00\x00') + b'\xff'
    o82 = opt(1, b'eth0/1') + opt(2, b'\x00\x11\x22') + opt(5, ip4('10.1.0.0')) + opt(9, b'\x00\x00\x00\x01\x00')
    dom = b'\x07example\x03com\x00\x03sub\xc0\x00'
    routes = b'\x18\x0a\x01\x02' + ip4('10.99.0.1') + b'\x00' + ip4('10.99.0.254') + b'\x20' + ip4('1.2.3.4') + ip4('10.0.0.9')
    opts = (opt(53, b'\x05') + opt(1, ip4('255.255.255.0')) + opt(3, ip4('10.0.0.1') + ip4('10.0.0.2')) + opt(6, ip4('8.8.8.8')) +
      opt(12, b'myhost') + opt(15, b'example.com') + opt(28, ip4('10.0.0.255')) + opt(42, ip4('10.0.0.3')) +
      opt(60, b'PXEClient:Arch:00000:UNDI:002001') + opt(43, pxe) + opt(50, ip4('10.0.0.7')) + opt(51, b'\x00\x00\x0e\x10') +
      opt(54, ip4('10.0.0.1')) + opt(55, bytes([1,3,6,15,119,121,249,252,43,66,67])) + opt(57, b'\x05\xdc') + opt(58, b'\x00\x00\x07\x08') + opt(59, b'\x00\x00\x0c\x4e') +
      opt(61, b'\x01\x02\x00\x00\x00\x99\x02') + opt(66, b'tftp.example') + opt(67, b'pxelinux.0') + opt(81, b'\x05\x00\x00host.example.com') +
      opt(82, o82) + opt(93, b'\x00\x07') + opt(94, b'\x01\x02\x01') + opt(97, b'\x00' + bytes(range(16))) + opt(116, b'\x01') +
      opt(119, dom) + opt(121, routes) + opt(249, routes) + opt(252, b'http://wpad/wpad.dat\n') + opt(200, b'\x01\x02\x03') + E)
    fr.append(frame(bootp(op=2, opts=opts, yiaddr='10.0.0.7', sname=b'srv', file=b'boot.img'), '10.0.0.1', '10.0.0.7', 67, 68))
    opts2 = (opt(53, b'\x01') + opt(61, b'\x00myclient') +
             opt(81, b'\x04\x00\x00\x04host\x07example\x00') + opt(52, b'\x03') + E)
    add(opts=opts2, sname=opt(12, b'fromsname') + E,
        file=opt(15, b'fromfile.com') + E)
    add(opts=opt(53, b'\x03') + opt(61, b'\xff\x00\x00\x00\x01\x00\x01\x02\x03') +
        opt(119, b'\x03abc\xc0\x05\x00') + E)
    add(opts=b'\x00\x00\x00' + opt(53, b'\x01\x02') + opt(53, b'\x09') + opt(53, b'\x0d') + opt(53, b'\x0e') + b'\x00' + E + b'\x00\x00')
    add(opts=opt(77, b'\x00\x01') + opt(61, b'') + opt(46, b'') + opt(52, b'') + opt(77, b'\x02ab\x01c') + opt(46, b'\x08') + opt(52, b'\x01') + E)
    add(opts=opt(121, b'\x18\x0a\x01\x02\x01') + opt(121, b'\x00\x01\x02\x03\x04\x20\x01') + opt(82, b'\x01\x00\x06\x02ab\x07') + E)
    add(opts=opt(55, b'') + opt(12, b'a\x00b\x7f\x80\xff\x0a') + opt(12, b'') + opt(81, b'\x00\x00\x00') + opt(81, b'\x01\x00\x05x'))
    add(opts=opt(12, b'abc')[:2] + b'ab')   # option runs past end
    add(sname=b'S'*64, file=b'F'*128, opts=E)
    add(cookie=b'\0\0\0\0', opts=b'')
    add(cookie=b'CMU\0', opts=b'\x00\x00\x00\x01' + ip4('255.255.0.0') + ip4('1.2.3.4') + b'\0'*32)
    add(cookie=b'\x12\x34\x56\x78', opts=b'')
    add(htype=6, hlen=6, hops=3, secs=7, flags=0x8001, ciaddr='1.1.1.1', siaddr='2.2.2.2', giaddr='3.3.3.3', opts=E)
    add(op=3, htype=1, hlen=16, opts=E)
    add(op=2, htype=1, hlen=6, opts=opt(53,b'\x06') + opt(56, b'wrong network') + E)
    add(opts=opt(53, b'\x01'))  # no end
    add(opts=opt(53, b'\x01') + b'\x00' * 5)  # pads, no end
    add(opts=opt(53, b'\x08') + opt(55, bytes([0, 255, 200, 53])) + opt(82, b'\x06\x03abc\x05\x01\x00') + E)
    add(opts=opt(119, b'\xc0\x00') + E)
    write(sys.argv[1], fr)
    if len(sys.argv) > 2:
        # 42: the BOOTP header's first byte; 240: the cookie's end
        at = [0, 1, 2, 5, 11, 14, 30, 44, 50, 108, 120, 236, 238, 240, 241,
              243, 260, 300, 400, 500]
        write(sys.argv[2], [fr[0]] * len(at), [42 + a for a in at])


if __name__ == '__main__':
    main()
