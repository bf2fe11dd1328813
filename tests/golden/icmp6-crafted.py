#!/usr/bin/env python3
"""icmp6-crafted.py - writes icmp6-crafted.pcap next to this script: ICMPv6
(neighbor discovery with every option kind, bumped and zero option
lengths, cut options, MLDv1/v2, errors, node information, router
renumbering, mobility) and IPv6 extension headers (option lists, bad
option lengths, jumbo, home address, cut headers, atomic fragments, UDP
with a zero checksum) crafted to compare tapir's one-line and -v/-vv/-vvv
text with tcpdump 4.99.3's (the goldens icmp6-crafted*.out hold tapir's
text; it equals tcpdump -nn's but for tapir's own markers after it:
" [|icmpv6]", " [|ipv6]", " [malformed ...]").  Run: python3 icmp6-crafted.py
"""
import os
import struct

def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b))
    while s>>16: s=(s&0xffff)+(s>>16)
    return (~s)&0xffff
def ip6(src,dst,nh,payload,hlim=255,plen=None):
    return struct.pack('!IHBB',0x60000000,len(payload) if plen is None else plen,nh,hlim)+src+dst+payload
def icmp6(src,dst,typ,code,body,fix=True):
    m=struct.pack('!BBH',typ,code,0)+body
    if fix:
        ph=src+dst+struct.pack('!I3xB',len(m),58)
        c=csum(ph+m); m=m[:2]+struct.pack('!H',c)+m[4:]
    return m
def eth(p): return b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x86\xdd'+p
def pcap(fn,pkts,snap=65535):
    with open(fn,'wb') as f:
        f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1))
        for i,(p,caplen) in enumerate(pkts):
            c=p[:caplen] if caplen is not None else p
            f.write(struct.pack('<IIII',1000+i,0,len(c),len(p))+c)
A=bytes.fromhex('fe800000000000000000000000000001')
B=bytes.fromhex('ff020000000000000000000000000001')


def part_t1(pk):
    tgt=bytes.fromhex('fe800000000000000000000000000002')
    def ns(opts): return eth(ip6(A,B,58,icmp6(A,B,135,0,b'\0'*4+tgt+opts)))
    pk.append((ns(bytes([1,1,2,0,0,0,0,1])),None))             # ok
    pk.append((ns(bytes([1,0,2,0,0,0,0,1])),None))             # len 0
    pk.append((ns(bytes([1,2,2,0,0,0,0,1])),None))             # len bumped past end
    pk.append((ns(bytes([1,1,2,0,0,0,0,1])),14+40+24+5))       # option cut by snap
    pk.append((ns(bytes([1,1,2,0,0,0,0,1])),14+40+24+1))       # 1 byte of option
    pk.append((ns(bytes([3,4])+bytes(30)),None))               # prefix info
    pk.append((ns(bytes([3,4])+bytes(30)),14+40+24+20))        # prefix cut
    pk.append((ns(bytes([3,1])+bytes(6)),None))                # prefix len 1
    pk.append((ns(bytes([5,1,0,0,0,0,5,0xdc])),None))          # mtu
    pk.append((ns(bytes([5,2,0,0,0,0,5,0xdc])+bytes(8)),None)) # mtu badlen
    pk.append((ns(bytes([99,1,0,0,0,0,5,0xdc,1,1,0,0,0,0,0,0])),None)) # unknown then lladdr
    pk.append((ns(bytes([24,1,0x40,0x08,0,0,0,5])),None))     # route info len1
    pk.append((ns(bytes([24,4,0x40,0x08,0,0,0,5])+bytes(24)),None))     # route info len4
    pk.append((ns(bytes([25,1,0,0,0,0,0,5])),None))     # rdnss no addr
    pk.append((ns(bytes([25,2,0,0,0,0,0,5])+bytes(8)),None))     # rdnss half addr
    pk.append((ns(bytes([31,2,0,0,0,0,0,5,3])+b'abc'+bytes(4)),None))     # dnssl
    pk.append((ns(bytes([31,1,0,0,0,0,0,5])),None))     # dnssl empty
    pk.append((ns(bytes([4,1,0,0,0,0,0,0])),None))     # redirected hdr
    pk.append((ns(bytes([7,1,0,0,0,0,0,5,8,1,0,0,0,1,0,2])),None))     # advint, hainfo
    pk.append((ns(b''),None))
    pk.append((eth(ip6(A,B,58,icmp6(A,B,135,0,b'\0'*4+tgt[:8]))),None))     # NS short
    pk.append((eth(ip6(A,B,58,icmp6(A,B,133,0,b'\0'*4+bytes([1,1,2,0,0,0,0,1])))),None))     # RS
    pk.append((eth(ip6(A,B,58,icmp6(A,B,134,0,bytes([64,0xf8,0,30,0,0,0,1,0,0,0,2])+bytes([1,1,2,0,0,0,0,1])))),None))     # RA
    pk.append((eth(ip6(A,B,58,icmp6(A,B,134,0,bytes([64,0xf8,0,30,0,0,0,1,0,0])))),None))     # RA short
    pk.append((eth(ip6(A,B,58,icmp6(A,B,136,0,bytes([0xe0,0,0,0])+tgt+bytes([2,1,2,0,0,0,0,1])))),None))     # NA
    pk.append((eth(ip6(A,B,58,icmp6(A,B,136,0,bytes([0,0,0,0])+tgt))),None))     # NA no flags
    pk.append((eth(ip6(A,B,58,icmp6(A,B,137,0,bytes(4)+tgt+A+bytes([1,1,2,0,0,0,0,1])))),None))     # redirect
    pk.append((eth(ip6(A,B,58,icmp6(A,B,137,0,bytes(4)+tgt+A+bytes([4,2,0,0,0,0,0,0,0x60,0,0,0,0,0,0,0])))),None))     # redirect w/ redirected hdr
    m=icmp6(A,B,128,0,bytes([0,1,0,2])+b'abcd'); m=m[:2]+b'\x12\x34'+m[4:]
    pk.append((eth(ip6(A,B,58,m)),None))   # bad cksum
    pk.append((eth(ip6(A,B,58,icmp6(A,B,128,0,bytes([0,1,0,2])+b'abcd'))),14+40+10))   # echo cut
    pk.append((eth(ip6(A,B,58,icmp6(A,B,200,0,bytes([0,1,0,2])+b'abcde'))),None))   # unknown type odd
    pk.append((eth(ip6(A,B,58,icmp6(A,B,1,7,bytes(4)+ip6(A,B,17,bytes(8))))),None))   # unreach unknown code
    pk.append((eth(ip6(A,B,58,icmp6(A,B,130,0,bytes([0,10,0,0])+B))),None))   # mld1 query
    pk.append((eth(ip6(A,B,58,icmp6(A,B,131,0,bytes([0,10,0,0])+B))),None))   # mld1 report
    pk.append((eth(ip6(A,B,58,icmp6(A,B,130,0,bytes([0x80,10,0,0])+B+bytes([0x0a,130,0,2])+A+B))),None))   # mld2 q
    pk.append((eth(ip6(A,B,58,icmp6(A,B,130,0,bytes([0x80,10,0,0])+B+bytes([0x0a,130,0,3])+A+B))),None))   # mld2 q bad n
    pk.append((eth(ip6(A,B,58,icmp6(A,B,143,0,bytes([0,0,0,2])+bytes([1,0,0,1])+B+A+bytes([9,0,0,0])+B))),None))   # mld2 report
    pk.append((eth(ip6(A,B,58,icmp6(A,B,143,0,bytes([0,0,0,2])+bytes([1,0,0,1])+B+A))),None))   # mld2 report bad
    pk.append((eth(ip6(A,B,58,icmp6(A,B,2,0,bytes([0,0,5,0xdc])+ip6(A,B,17,bytes(8))))),None))   # toobig
    pk.append((eth(ip6(A,B,58,icmp6(A,B,3,0,bytes(4)+ip6(A,B,17,bytes(8))))),None))   # timex
    pk.append((eth(ip6(A,B,58,icmp6(A,B,4,1,bytes([0,0,0,40])+ip6(A,B,17,bytes(8))))),None))   # param
    pk.append((eth(ip6(A,B,58,icmp6(A,B,1,4,bytes(4)+ip6(A,B,6,bytes(8))))),None))   # unreach port tcp
    pk.append((eth(ip6(A,B,58,icmp6(A,B,1,4,bytes(4)+ip6(A,B,6,bytes(8))))),14+40+8+20))   # unreach cut
    pk.append((eth(ip6(A,B,58,icmp6(A,B,144,0,bytes([0x12,0x34,0,0])))),None))
    pk.append((eth(ip6(A,B,58,icmp6(A,B,145,0,bytes([0x12,0x34,0,0])+A+B))),None))
    pk.append((eth(ip6(A,B,58,icmp6(A,B,146,0,bytes([0x12,0x34,0,0])))),None))
    pk.append((eth(ip6(A,B,58,icmp6(A,B,147,0,bytes([0x12,0x34,0xc0,0])+bytes([1,1,2,0,0,0,0,1])))),None))
    pk.append((eth(ip6(A,B,58,icmp6(A,B,141,0,bytes(4)+bytes([1,1,2,0,0,0,0,1])))),None))
    pk.append((eth(ip6(A,B,58,icmp6(A,B,129,0,bytes([0,1,0,2])))),None))


def part_t2(pk):
    def udp(src,dst,sp,dp,data,ck=None):
        u=struct.pack('!HHHH',sp,dp,8+len(data),0)+data
        if ck is None:
            ph=src+dst+struct.pack('!I3xB',len(u),17); c=csum(ph+u) or 0xffff
        else: c=ck
        return u[:6]+struct.pack('!H',c)+u[8:]
    pk.append((eth(ip6(A,B,17,udp(A,B,1000,2000,b'hello',0))),None))
    pk.append((eth(ip6(A,B,17,udp(A,B,1000,2000,b'hello'))),None))
    pk.append((eth(ip6(A,B,17,udp(A,B,1000,2000,b'hello',0x1234))),None))
    # atomic fragment udp
    fr=struct.pack('!BBHI',17,0,0,0x11223344)
    pk.append((eth(ip6(A,B,44,fr+udp(A,B,1000,2000,b'hello',0))),None))
    pk.append((eth(ip6(A,B,44,fr+udp(A,B,1000,2000,b'hello'))),None))
    # atomic frag icmp6
    pk.append((eth(ip6(A,B,44,struct.pack('!BBHI',58,0,0,0x11223344)+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))
    # hbh with options variants
    def hbh(nh,opts):
        b=bytes([nh,(len(opts)+2)//8-1])+opts; return b
    pk.append((eth(ip6(A,B,0,hbh(58,bytes([5,2,0,0,1,0]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))
    pk.append((eth(ip6(A,B,0,hbh(58,bytes([5,3,0,0,0,1]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))  # rtalert bad len
    pk.append((eth(ip6(A,B,0,hbh(58,bytes([0x3e,2,0,0,1,0]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))  # unknown opt
    pk.append((eth(ip6(A,B,0,hbh(58,bytes([1,9,0,0,1,0]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))  # padn past end
    pk.append((eth(ip6(A,B,0,hbh(58,bytes([0xc2,4,0,1,0,0]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))  # jumbo with plen!=0
    pk.append((eth(ip6(A,B,60,hbh(58,bytes([0xc9,16])+A+bytes([1,2,0,0,0,0]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))  # homeaddr
    pk.append((eth(ip6(A,B,60,hbh(58,bytes([0xc9,20])+A+bytes([0,1,0,0x44,2]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))  # homeaddr subopts
    pk.append((eth(ip6(A,B,0,hbh(58,bytes([5,2,0,0,1,0]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),14+40+5))  # cut in hbh
    pk.append((eth(ip6(A,B,43,bytes([58,2,0,0,0,0,0,1])+A+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))  # rt0 rsv=1


def part_t3(pk):
    def hbh(nh,opts): return bytes([nh,(len(opts)+2)//8-1])+opts
    pk.append((eth(ip6(A,B,60,hbh(58,bytes([5,3,0,0,0,1]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))
    pk.append((eth(ip6(A,B,60,hbh(58,bytes([1,9,0,0,0,1]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))
    pk.append((eth(ip6(A,B,60,hbh(58,bytes([0xc2,4,0,1,0,0]))+icmp6(A,B,128,0,bytes([0,1,0,2]),False))),None))


def part_t4(pk):
    def ni(t,code,qtype,fl,data,cut=None):
        m=icmp6(A,B,t,code,struct.pack('!HH',qtype,fl)+b'NONCE123'+data)
        pk.append((eth(ip6(A,B,58,m)), None if cut is None else 54+cut))
    ni(139,0,0,0,b'')
    ni(139,0,1,1,b'')
    ni(139,0,1,0,b'xx')
    ni(139,0,3,0x7f,A)
    ni(139,0,3,0,A+b'x')
    ni(139,1,2,0,b'\x03www\x07example\x03com\x00')
    ni(139,1,2,0,b'\x03www\x07example')
    ni(139,1,2,0,b'\x0bwww.exa\x01mple')
    ni(139,1,2,0,b'\x09www\x00\x00\x00')
    ni(139,2,4,0,b'\x0a\x00\x00\x01')
    ni(139,2,4,0,b'\x0a\x00\x00')
    ni(139,7,2,0,b'abc')
    ni(139,0,2,0,b'')
    ni(140,0,0,0,b'')
    ni(140,1,0,0,b'ab')
    ni(140,2,0,0,b'')
    ni(140,0,2,1,b'\x00\x00\x00\x05\x03www\x07example\x03com\x00')
    ni(140,0,2,0,b'\x00\x00\x00\x05\x0dwww.example.x')
    ni(140,0,3,0x41,b'\x00\x00\x00\x05'+A+b'\xff\xff\xff\xff'+B+b'xx')
    ni(140,0,1,1,b'')
    ni(140,0,9,0,b'')
    ni(140,0,3,0,b'\x00\x00\x00\x05'+A, cut=20)
    ni(139,0,3,0,A, cut=12)
    ni(139,0,3,0,A, cut=14)
    pk.append((eth(ip6(A,B,58,icmp6(A,B,139,0,bytes(4)))),None))


def part_t5(pk):
    def rr(code,flags,rsv,match,uses,cut=None):
        body=struct.pack('!IBBHI',7,3,flags,9,rsv)+match+b''.join(uses)
        m=icmp6(A,B,138,code,body[0:0]+body)
        pk.append((eth(ip6(A,B,58,m)),None if cut is None else 54+cut))
    def match(op,ln): return struct.pack('!BBBBBBH',op,ln,1,48,2,64,0)+B
    def use(fl,vl,pl): return struct.pack('!BBBBIII',48,16,0xc0,0x40,vl,pl,fl)+A
    rr(0,0xf8,0,match(1,7),[use(0xc0000000,0xffffffff,5)])
    rr(0,0,5,match(9,11),[use(0,1,0xffffffff),use(0x40000000,2,3)])
    rr(0,0,0,match(2,4),[use(0,1,1)])
    rr(0,0,0,match(2,2),[])
    rr(1,0x10,0,b'',[])
    rr(255,0,0,b'',[])
    rr(7,0,0,b'',[])
    rr(0,0,0,match(1,7),[use(0,1,1)],cut=50)
    rr(0,0,0,match(1,7),[use(0,1,1)],cut=30)
    rr(0,0,0,match(1,7),[use(0,1,1)],cut=12)



def part_cuts(pk):
    # every type cut in its first bytes (tcpdump's first reads)
    for t in (128, 1, 135, 141, 143, 130, 2, 3, 4, 137, 133, 134, 136,
              200, 250, 155, 139, 140, 138, 144, 145, 146, 147, 142, 132,
              131):
        m = eth(ip6(A, B, 58, icmp6(A, B, t, 0, bytes(40))))
        for c in range(54, 54 + 9):
            pk.append((m, c))


def part_rpl(pk):
    # RPL DIO, DAO, DAO-ACK: flags, options, cuts
    def rpl(code,body,cut=None):
        m=eth(ip6(A,B,58,icmp6(A,B,155,code,body)))
        pk.append((m,None if cut is None else 54+cut))
    dio=struct.pack('!BBHBBBB',1,2,256,0x88|0x02,7,0,0)+B+bytes([0,2,4,1,0,5,3,0,0xaa])
    rpl(1,dio)
    rpl(1,struct.pack('!BBHBBBB',1,2,256,0x38,7,0,0)+B)
    rpl(1,dio,cut=20)
    dao=struct.pack('!BBBB',42,0xc0,0,9)+A+bytes([5,3,1,2,3,0,0])
    rpl(2,dao)
    rpl(2,struct.pack('!BBBB',42,0x80,0,9)+bytes([1,0]))
    rpl(2,struct.pack('!BBBB',42,0x40,0,9)+A[:8])
    rpl(2,struct.pack('!BBBB',42,0x40,0,9)+A,cut=12)
    rpl(2,bytes([42,0]))
    rpl(3,struct.pack('!BBBB',43,0x80,11,0)+B+bytes([0,0]))
    rpl(3,struct.pack('!BBBB',43,0,11,1))
    rpl(3,struct.pack('!BBBB',43,0x80,11,0)+B[:4])
    rpl(3,bytes([43]))
    rpl(0,bytes(4))
    rpl(0x85,bytes(4))
    rpl(9,bytes(4))
    for c in range(4,40): rpl(2,dao,cut=c)


def part_rt(pk):
    # routing headers (types 0, 2, 3, 4, unknown; cuts), fragments, ESP, AH
    echo=icmp6(A,B,128,0,bytes([0,1,0,2]),False)
    def rt(typ,segleft,hl,rest,cut=None,nh=58,payload=echo):
        h=bytes([nh,hl,typ,segleft])+rest
        pk.append((eth(ip6(A,B,43,h+payload)),None if cut is None else 54+cut))
    rt(0,1,2,bytes([0,0,0,5])+B)
    rt(0,0,4,bytes(4)+A+B)
    rt(0,0,3,bytes(4)+A+B[:8])
    rt(2,1,2,bytes(4)+B)
    rt(2,0,4,bytes(4)+A+B)
    rt(4,1,4,bytes([1,0x80,0x12,0x34])+A+B)
    rt(4,0,4,bytes([3,0,0,0])+A+B)
    rt(4,0,2,bytes([0,0,0,0])+A)
    rt(3,1,2,bytes([0x44,0,0,0])+B)
    rt(9,0,0,bytes(4))
    rt(0,0,2,bytes(4)+A,nh=17,payload=struct.pack('!HHHH',1,2,8,0))
    for c in range(0,30): rt(4,1,4,bytes([1,0,0,0])+A+B,cut=c)
    # fragments with -v: non-first, first of udp, atomic with next header none
    fr=lambda off,m,nh: struct.pack('!BBHI',nh,0,(off<<3)|m,0xdeadbeef)
    pk.append((eth(ip6(A,B,44,fr(0,1,17)+struct.pack('!HHHH',1,2,100,0)+bytes(8))),None))
    pk.append((eth(ip6(A,B,44,fr(5,0,17)+bytes(16))),None))
    pk.append((eth(ip6(A,B,44,fr(0,0,59))),None))
    pk.append((eth(ip6(A,B,44,fr(0,1,6)+bytes(20))),None))
    pk.append((eth(ip6(A,B,59,b'')),None))
    pk.append((eth(ip6(A,B,50,struct.pack('!II',0x100,7)+bytes(8))),None))
    pk.append((eth(ip6(A,B,51,bytes([58,4,0,0])+struct.pack('!II',0x100,7)+bytes(12)+echo)),None))


def part_misc(pk):
    # unknown next headers, a payload length past the frame, a fragment
    # header cut after its offset
    pk.append((eth(ip6(A, B, 12, bytes(20))), None))
    pk.append((eth(ip6(A, B, 0, bytes([12, 0, 1, 4, 0, 0, 0, 0]) +
                       bytes(20))), None))
    pk.append((eth(ip6(A, B, 60, bytes([12, 0, 1, 4, 0, 0, 0, 0]) +
                       bytes(20))), None))
    pk.append((eth(ip6(A, B, 51, bytes([12, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                                        0x13]) + bytes(48))), None))
    echo = icmp6(A, B, 128, 0, bytes([0, 1, 0, 2]) + b'payload')
    pk.append((eth(ip6(A, B, 58, echo, plen=64)), None))
    pk.append((eth(ip6(A, B, 0, bytes([58, 0, 5, 2, 0, 0, 1, 0]) + echo,
                       plen=100)), None))
    fr = struct.pack('!BBHI', 17, 0, 1, 0x11223344) + bytes(16)
    pk.append((eth(ip6(A, B, 44, fr)), 54 + 4))
    pk.append((eth(ip6(A, B, 44, fr)), 54 + 6))


def part_found(pk):
    # cases a random mutation of this file found different from tcpdump
    echo = icmp6(A, B, 128, 0, bytes([0, 1, 0, 2]), False)
    pad = bytes([1, 4, 0, 0, 0, 0])
    pk.append((eth(ip6(A, B, 0, bytes([0, 0]) + pad + bytes([58, 0]) +
                       pad + echo)), None))                # HBH twice
    pk.append((eth(ip6(A, B, 60, bytes([0, 0]) + pad + bytes([58, 0]) +
                       pad + echo)), None))                # HBH not first
    ah = bytes([58, 4, 0, 0x94]) + struct.pack('!II', 0x100, 7) + bytes(12)
    pk.append((eth(ip6(A, B, 51, ah + echo)), None))       # AH reserved
    pk.append((eth(ip6(A, B, 51, ah + echo)), 54 + 10))    # AH cut
    pk.append((eth(ip6(A, B, 51, b'', plen=40)), None))    # AH missing
    pk.append((eth(ip6(A, B, 50, struct.pack('!II', 5, 6), plen=30)),
               None))                                      # ESP alone
    pk.append((eth(ip6(A, B, 50, b'', plen=30)), None))    # ESP missing
    udp = struct.pack('!HHHH', 1000, 2000, 13, 0) + b'hello'
    pk.append((eth(ip6(A, B, 17, udp[:4], plen=13)), None))  # UDP cut
    pk.append((eth(ip6(A, B, 17, udp[:2], plen=13)), None))
    srh = bytes([58, 20, 4, 0, 3, 0, 0, 0]) + A + B
    pk.append((eth(ip6(A, B, 43, srh)), None))             # SRH past end
    use = struct.pack('!BBBBIII', 48, 16, 0, 0, 1, 2, 0x00000100) + A
    rr = struct.pack('!IBBHI', 7, 0, 0, 0, 0) + \
        struct.pack('!BBBBBBH', 9, 7, 0, 48, 0, 0, 0) + B + use
    pk.append((eth(ip6(A, B, 58, icmp6(A, B, 138, 0, rr))), None))
    quote = bytearray(ip6(A, B, 17, bytes(8)))
    quote[0] = 0x90                                        # not version 6
    pk.append((eth(ip6(A, B, 58, icmp6(A, B, 3, 0, bytes(4) +
                                       bytes(quote)))), None))


def main():
    pk = []
    for f in (part_t1, part_t2, part_t3, part_t4, part_t5, part_cuts,
              part_rpl, part_rt, part_misc,
              part_found):
        f(pk)
    here = os.path.dirname(os.path.abspath(__file__))
    pcap(os.path.join(here, "icmp6-crafted.pcap"), pk)


if __name__ == "__main__":
    main()
