/* test_ipv6.c - IPv6 header, extension headers, payload length, summary,
 * fragment reassembly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/ipfrag.h"

/* pcaps/ipv6-ext.pcap frame 1: hop-by-hop (router alert, PadN) then an
 * ICMPv6 echo request. */
static const char hbh_echo[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 00 1e 00 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 00 05 02 00 00 01 00 80 00"
	"2d fd 7a 01 00 01 74 61 70 69 72 2d 69 70 76 36"
	"2d 65 78 74";

/* pcaps/ipv6-ext.pcap frame 3: destination options (PadN 4) then UDP. */
static const char dstopt_udp[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 00 1e 3c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 11 00 01 04 00 00 00 00 9c 41"
	"27 0f 00 16 64 c2 74 61 70 69 72 2d 69 70 76 36"
	"2d 65 78 74";

/* pcaps/ipv6-ext.pcap frame 4: the ICMPv6 port unreachable that frame 3
 * caused, quoting it whole. */
static const char unreach[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 86 dd 60 0d"
	"2f c8 00 4e 3a 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 01 04 55 01 00 00 00 00 60 00"
	"00 00 00 1e 3c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 11 00 01 04 00 00 00 00 9c 41"
	"27 0f 00 16 64 c2 74 61 70 69 72 2d 69 70 76 36"
	"2d 65 78 74";

/* pcaps/ipv6-ext.pcap frame 5: type 0 routing header, two addresses. */
static const char rt0_echo[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 00 3e 2b 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 04 00 00 00 00 00 00 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 99 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 02 80 00"
	"2d fb 7a 01 00 03 74 61 70 69 72 2d 69 70 76 36"
	"2d 65 78 74";

/* pcaps/ipv6-ext.pcap frame 7: segment routing header (type 4). */
static const char srh_echo[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 00 3e 2b 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 04 04 00 01 00 00 00 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 02 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 98 80 00"
	"2d fa 7a 01 00 04 74 61 70 69 72 2d 69 70 76 36"
	"2d 65 78 74";

/* pcaps/ipv6-ext.pcap frame 9: an atomic fragment (offset 0, M = 0). */
static const char frag_atomic[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 00 1e 2c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 00 00 00 7a 05 00 00 80 00"
	"2d f9 7a 01 00 05 74 61 70 69 72 2d 69 70 76 36"
	"2d 65 78 74";

/* pcaps/ipv6-ext.pcap frame 11: hop-by-hop (Pad1, Pad1, PadN),
 * destination options, type 0 routing, destination options, ICMPv6. */
static const char chain4[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 00 56 00 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3c 00 00 00 01 02 00 00 2b 00"
	"01 04 00 00 00 00 3c 04 00 00 00 00 00 00 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 97 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 02 3a 00"
	"01 04 00 00 00 00 80 00 2d f8 7a 01 00 06 74 61"
	"70 69 72 2d 69 70 76 36 2d 65 78 74";

/* pcaps/ipv6-ext.pcap frame 13, first 96 of 1294 bytes: the first
 * fragment of a 1240-byte echo request. */
static const char frag_first[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 04 d8 2c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 00 00 01 7a 07 00 00 80 00"
	"8a fd 7a 01 00 07 54 54 54 54 54 54 54 54 54 54"
	"54 54 54 54 54 54 54 54 54 54 54 54 54 54 54 54";

/* pcaps/ipv6-ext.pcap frame 14, first 80 of 638 bytes: the second
 * fragment (offset 1232). */
static const char frag_second[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 02 48 2c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 00 04 d0 7a 07 00 00 54 54"
	"54 54 54 54 54 54 54 54 54 54 54 54 54 54 54 54";

/* pcaps/tcp6-curl-http.pcap frame 1: a SYN, with a flow label. */
static const char tcp_syn[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 0e"
	"c7 c4 00 28 06 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 ab 4c 1f 40 3e f8 d8 2b 00 00"
	"00 00 a0 02 fd 20 fb 64 00 00 02 04 05 a0 04 02"
	"08 0a a9 74 70 80 00 00 00 00 01 03 03 0a";

/* ../shared/corpus/tcpdump/OSPFv3_with_AH.pcap frame 1: AH, then
 * OSPFv3 (which tapir does not dissect). */
static const char ah_ospf[] =
	"33 33 00 00 00 05 c2 00 68 b3 00 01 86 dd 6e 00"
	"00 00 00 3c 33 01 fe 80 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 01 ff 02 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 05 59 04 00 00 00 00 01 00 00 00"
	"00 13 21 d3 a9 5c 5f fd 4d 18 46 22 b9 f8 03 01"
	"00 24 01 01 01 01 00 00 00 01 fb 86 00 00 00 00"
	"00 05 01 00 00 13 00 0a 00 28 00 00 00 00 00 00"
	"00 00";

/* ../shared/corpus/tcpdump/ipv6_no_next_header.pcap frame 1. */
static const char no_next[] =
	"00 50 56 c0 00 08 00 0c 29 78 25 49 86 dd 60 00"
	"00 00 00 14 3b 40 20 05 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 01 20 08 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 01 04 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00";

/* ../shared/corpus/tcpdump/ipv6-srh-ext-header.pcap frame 1: a segment
 * routing header carrying a whole IPv6 packet (next header 41). */
static const char srh_ip6ip6[] =
	"08 00 27 20 6b cf 08 00 27 c2 2d a5 86 dd 60 08"
	"89 ad 00 90 2b 40 00 0a 00 0b 00 0c 00 12 00 00"
	"00 00 00 00 00 01 00 0a 00 0b 00 0c 00 02 00 00"
	"00 00 00 f1 00 00 29 04 04 01 01 00 00 00 00 0a"
	"00 0b 00 0c 00 03 00 00 00 00 00 00 00 d6 00 0a"
	"00 0b 00 0c 00 02 00 00 00 00 00 f1 00 00 60 08"
	"89 ad 00 40 3a 40 00 0a 00 0b 00 0c 00 12 00 00"
	"00 00 00 00 00 01 00 b2 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 02 80 00 63 5e 06 ee 00 01 03 c5"
	"47 5a 00 00 00 00 0a 5e 00 00 00 00 00 00 10 11"
	"12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21"
	"22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31"
	"32 33 34 35 36 37";

/* Offsets in the Ethernet frames above. */
enum {
	IP = 14,
	PLEN = IP + 4,
	NXT = IP + 6,
	EXT = IP + 40,   /* first extension header */
	EXT_LEN = EXT + 1,
};

static size_t load(const char *hex, uint8_t *b, size_t cap)
{
	return th_hex(hex, b, cap);
}

static const uint8_t addr1[16] = {0xfd, 0, 0, 0x99, [15] = 1};
static const uint8_t addr2[16] = {0xfd, 0, 0, 0x99, [15] = 2};

static void test_ipv6_fixed_header(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(tcp_syn, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "ipv6");
	assert_int_equal(th_uint(p, "ipv6.version"), 6);
	assert_int_equal(th_uint(p, "ipv6.tclass"), 0);
	assert_int_equal(th_uint(p, "ipv6.tclass.dscp"), 0);
	assert_int_equal(th_uint(p, "ipv6.flow"), 0xec7c4);
	assert_int_equal(th_uint(p, "ipv6.plen"), 40);
	assert_int_equal(th_uint(p, "ipv6.nxt"), 6);
	assert_int_equal(th_uint(p, "ipv6.hlim"), 64);
	const tp_field *src = th_field(p, "ipv6.src");
	assert_non_null(src);
	assert_int_equal(src->off, IP + 8);
	assert_int_equal(src->vlen, 16);
	assert_memory_equal(src->v.p, addr1, 16);
	assert_memory_equal(th_field(p, "ipv6.dst")->v.p, addr2, 16);
	/* the flow label covers the low 20 bits of bytes 1-3 */
	assert_int_equal(th_field(p, "ipv6.flow")->off, IP + 1);
	assert_int_equal(th_field(p, "ipv6.tclass.dscp")->level, 1);
	/* the addresses are published for the layers above */
	const tp_layer *l = &p->layers[li];
	assert_int_equal(l->addr.family, 6);
	assert_memory_equal(l->addr.src, addr1, 16);
	assert_memory_equal(l->addr.dst, addr2, 16);
	assert_int_equal(l->len, 40);
	assert_int_equal(l->payload_len, 40);
	assert_true(th_has_layer(p, "tcp"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	/* TCP right after the header prints the addresses with its ports */
	const char *s = th_summary(p);
	const char *want = "IP6 fd00:99::1.43852 > fd00:99::2.8000: Flags [S]";
	assert_int_equal(strncmp(s, want, strlen(want)), 0);
}

/* ipv6.addr: hidden, the source then the destination; none in a lean
 * run; none when the destination is cut off (a truncated header). */
static void test_ipv6_addr(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = th_hex(hbh_echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	th_expect_alias_pair(p, "ipv6.addr", b + 22, b + 38, 16);
	p = th_dissect_lean(1, b, n, n);
	assert_int_equal(th_count(p, "ipv6.addr"), 0);
	assert_int_equal(th_count(p, "ipv6.src"), 1);
	p = th_dissect(1, b, 50, n);
	assert_int_equal(th_count(p, "ipv6.addr"), 0);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
}

static void test_ipv6_traffic_class(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(tcp_syn, b, sizeof b);
	/* DSCP 46 (EF) and ECN CE: class 0xbb */
	b[IP] = 0x6b;
	b[IP + 1] = 0xbe;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.tclass"), 0xbb);
	assert_int_equal(th_uint(p, "ipv6.tclass.dscp"), 46);
	assert_int_equal(th_uint(p, "ipv6.tclass.ecn"), 3);
	assert_int_equal(th_uint(p, "ipv6.flow"), 0xec7c4);
}

static void test_ipv6_hop_by_hop(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "ipv6");
	assert_int_equal(th_uint(p, "ipv6.nxt"), 0);
	assert_int_equal(th_uint(p, "ipv6.hopopts.nxt"), 58);
	assert_int_equal(th_uint(p, "ipv6.hopopts.len"), 0);
	assert_int_equal(th_uint(p, "ipv6.hopopts.len_oct"), 8);
	assert_int_equal(th_count(p, "ipv6.opt"), 2);
	assert_int_equal(th_uint(p, "ipv6.opt.type"), 0x05);
	assert_int_equal(th_uint(p, "ipv6.opt.length"), 2);
	assert_int_equal(th_uint(p, "ipv6.opt.router_alert"), 0);
	/* the header nests under its item, options one level deeper */
	const tp_field *hop = th_field(p, "ipv6.hopopts");
	assert_int_equal(hop->level, 0);
	assert_int_equal(hop->off, EXT);
	assert_int_equal(hop->len, 8);
	assert_int_equal(th_field(p, "ipv6.hopopts.nxt")->level, 1);
	assert_int_equal(th_field(p, "ipv6.opt")->level, 1);
	assert_int_equal(th_field(p, "ipv6.opt")->len, 4);
	assert_int_equal(th_field(p, "ipv6.opt.type")->level, 2);
	assert_int_equal(th_field(p, "ipv6.opt.type.action")->level, 3);
	assert_int_equal(p->layers[li].len, 48);
	assert_int_equal(p->layers[li].payload_len, 22);
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: HBH ICMP6, echo "
			    "request, id 31233, seq 1, length 22");
}

static void test_ipv6_dstopts_udp(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(dstopt_udp, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.dstopts.nxt"), 17);
	assert_int_equal(th_uint(p, "ipv6.dstopts.len_oct"), 8);
	assert_int_equal(th_uint(p, "ipv6.opt.type"), 0x01);
	assert_int_equal(th_field(p, "ipv6.opt.padn")->vlen, 4);
	assert_true(th_has_layer(p, "udp"));
	/* An extension header first: IPv6 prints the addresses, UDP only
	 * its ports (needs the UDP dissector). */
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: DSTOPT 40001 > 9999: "
			    "UDP, length 14");
}

static void test_ipv6_routing_type0(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rt0_echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.routing.nxt"), 58);
	assert_int_equal(th_uint(p, "ipv6.routing.len"), 4);
	assert_int_equal(th_uint(p, "ipv6.routing.len_oct"), 40);
	assert_int_equal(th_uint(p, "ipv6.routing.type"), 0);
	assert_int_equal(th_uint(p, "ipv6.routing.segleft"), 0);
	assert_int_equal(th_count(p, "ipv6.routing.src.addr"), 2);
	assert_memory_equal(th_field(p, "ipv6.routing.src.addr")->v.p,
			    b + EXT + 8, 16);
	assert_true(th_has_event(p, "ipv6.routing.deprecated"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: RT6 (len=4, type=0 "
			    "[Deprecated], segleft=0, [0]fd00:99::99, "
			    "[1]fd00:99::2) ICMP6, echo request, id 31233, "
			    "seq 3, length 22");
}

static void test_ipv6_routing_srh(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(srh_echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.routing.type"), 4);
	assert_int_equal(th_uint(p, "ipv6.routing.srh.last_entry"), 1);
	assert_int_equal(th_uint(p, "ipv6.routing.srh.flags"), 0);
	assert_int_equal(th_field(p, "ipv6.routing.srh.tag")->vlen, 2);
	assert_int_equal(th_count(p, "ipv6.routing.srh.addr"), 2);
	assert_false(th_has_event(p, "ipv6.routing.deprecated"));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: RT6 (len=4, type=4, "
			    "segleft=0, last-entry=1, tag=0, [0]fd00:99::2, "
			    "[1]fd00:99::98) ICMP6, echo request, id 31233, "
			    "seq 4, length 22");
}

static void test_ipv6_fragment_atomic(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(frag_atomic, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.nxt"), 58);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.offset"), 0);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.more"), 0);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.ident"), 0x7a050000);
	assert_int_equal(th_field(p, "ipv6.fraghdr")->len, 8);
	/* the whole message is here: its checksum is checked */
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (0|22) ICMP6, "
			    "echo request, id 31233, seq 5, length 22");
}

static void test_ipv6_fragment_first(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(frag_first, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, 1294);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.offset"), 0);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.more"), 1);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.ident"), 0x7a070000);
	/* offset 0: the next header is dissected; the message is not whole */
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 2);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (0|1232) ICMP6, "
			    "echo request, id 31233, seq 7, length 1232");
}

static void test_ipv6_fragment_later(void **state)
{
	(void)state;
	uint8_t b[700];
	size_t n = load(frag_second, b, sizeof b);
	/* the rest of the fragment is more of the same 'T' bytes */
	memset(b + n, 0x54, 638 - n);
	tp_pkt *p = th_dissect(1, b, 638, 638);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.offset"), 154);
	assert_int_equal(th_uint(p, "ipv6.fraghdr.more"), 0);
	/* not the first fragment: the payload is data, not ICMPv6 */
	assert_false(th_has_layer(p, "icmpv6"));
	unsigned di = th_layer(p, "data");
	assert_int_equal(p->layers[di].off, EXT + 8);
	assert_int_equal(th_uint(p, "data.len"), 576);
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (1232|576)");
}

static void test_ipv6_chain(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(chain4, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "ipv6");
	assert_int_equal(th_count(p, "ipv6.hopopts"), 1);
	assert_int_equal(th_count(p, "ipv6.dstopts"), 2);
	assert_int_equal(th_count(p, "ipv6.routing"), 1);
	assert_int_equal(th_count(p, "ipv6.opt.pad1"), 2);
	assert_int_equal(th_count(p, "ipv6.opt.type"), 5);
	assert_int_equal(p->layers[li].len, 40 + 8 + 8 + 40 + 8);
	assert_int_equal(th_uint(p, "icmpv6.echo.sequence_number"), 6);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: HBH DSTOPT RT6 "
			    "(len=4, type=0 [Deprecated], segleft=0, "
			    "[0]fd00:99::97, [1]fd00:99::2) DSTOPT ICMP6, echo "
			    "request, id 31233, seq 6, length 22");
}

static void test_ipv6_ah(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ah_ospf, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.tclass"), 0xe0);
	assert_int_equal(th_uint(p, "ah.next_header"), 89);
	assert_int_equal(th_uint(p, "ah.length"), 4);
	assert_int_equal(th_uint(p, "ah.spi"), 0x100);
	assert_int_equal(th_uint(p, "ah.sequence"), 0x13);
	assert_int_equal(th_field(p, "ah.icv")->vlen, 12);
	assert_int_equal(th_field(p, "ah.icv")->off, EXT + 12);
	assert_int_equal(p->layers[th_layer(p, "ipv6")].len, 40 + 24);
	/* OSPF is not dissected: its bytes are data */
	assert_int_equal(th_uint(p, "data.len"), 36);
	assert_string_equal(th_summary(p),
			    "IP6 fe80::1 > ff02::5: AH(spi=0x00000100,seq=0x13,"
			    "icv=0x21d3a95c5ffd4d184622b9f8):  ip-proto-89 36");
	/* (tcpdump's ip_demux_print puts a space before "ip-proto") */
}

static void test_ipv6_esp(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	/* the same 30 bytes of payload, said to be ESP */
	b[NXT] = 50;
	memcpy(b + EXT, "\x00\x00\x12\x34\x00\x00\x00\x07", 8);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "esp.spi"), 0x1234);
	assert_int_equal(th_uint(p, "esp.sequence"), 7);
	assert_false(th_has_layer(p, "icmpv6"));
	assert_int_equal(th_uint(p, "data.len"), 22);
	assert_string_equal(th_summary(p), "IP6 fd00:99::1 > fd00:99::2: "
					   "ESP(spi=0x00001234,seq=0x7), "
					   "length 30");
}

static void test_ipv6_no_next_header(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(no_next, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.nxt"), 59);
	assert_int_equal(th_uint(p, "data.len"), 20);
	assert_string_equal(th_summary(p), "IP6 2005::1 > 2008::1: no next "
					   "header");
}

static void test_ipv6_in_ipv6(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(srh_ip6ip6, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "ipv6.src"), 2);
	assert_int_equal(th_uint(p, "ipv6.routing.nxt"), 41);
	assert_int_equal(th_uint(p, "ipv6.routing.segleft"), 1);
	int inner = tp_find_layer(p, "ipv6", th_layer(p, "ipv6") + 1);
	assert_true(inner > 0);
	assert_false(p->layers[inner].embedded);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_string_equal(th_summary(p),
			    "IP6 a:b:c:12::1 > a:b:c:2::f1:0: RT6 (len=4, "
			    "type=4, segleft=1, last-entry=1, tag=0, "
			    "[0]a:b:c:3::d6, [1]a:b:c:2::f1:0) IP6 a:b:c:12::1 "
			    "> b2::2: ICMP6, echo request, id 1774, seq 1, "
			    "length 64");
}

/* ---- damage ----------------------------------------------------------- */

static void test_ipv6_truncations(void **state)
{
	(void)state;
	const char *pk[] = {hbh_echo, dstopt_udp, rt0_echo, srh_echo,
			    frag_atomic, chain4, ah_ospf, srh_ip6ip6, unreach};
	for (size_t i = 0; i < sizeof pk / sizeof pk[0]; i++) {
		uint8_t b[256];
		size_t n = load(pk[i], b, sizeof b);
		th_every_truncation(1, b, n, n);
	}
	/* cut inside the fixed header: what was read is kept */
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, IP + 20, n);
	assert_int_equal(th_uint(p, "ipv6.plen"), 30);
	assert_null(th_field(p, "ipv6.src"));
	assert_true(th_has_event(p, "_ws.short"));
	/* tcpdump prints not even "IP6" (corpus ipv6_39_byte_header.pcap);
	 * tapir's own marker follows */
	assert_string_equal(th_summary(p), " [|ip6]");
	/* cut inside an option */
	p = th_dissect(1, b, EXT + 5, n);
	assert_int_equal(th_uint(p, "ipv6.opt.type"), 0x05);
	assert_null(th_field(p, "ipv6.opt.router_alert"));
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

static void test_ipv6_bumped_lengths(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	th_expect_bump(1, b, n, PLEN, 2, 12, 0);
	th_expect_bump(1, b, n, EXT_LEN, 1, 12, 0);
	th_expect_bump(1, b, n, EXT + 3, 1, 12, 0); /* router alert */
	th_expect_bump(1, b, n, EXT + 7, 1, 12, 0); /* PadN */
	n = load(rt0_echo, b, sizeof b);
	th_expect_bump(1, b, n, EXT_LEN, 1, 10, 0);
	th_expect_bump(1, b, n, EXT + 3, 1, 0, 0); /* segments left */
	n = load(srh_echo, b, sizeof b);
	th_expect_bump(1, b, n, EXT + 4, 1, 10, 0); /* last entry */
	n = load(frag_atomic, b, sizeof b);
	th_expect_bump(1, b, n, EXT + 2, 2, 0, 0); /* offset */
	n = load(chain4, b, sizeof b);
	for (size_t at = EXT_LEN; at < 118; at += 8) {
		if (at == EXT_LEN + 24) /* inside the routing addresses */
			at = EXT_LEN + 56;
		assert_true(th_bump(1, b, n, at, 1).malformed > 0);
	}
	n = load(ah_ospf, b, sizeof b);
	th_expect_bump(1, b, n, EXT_LEN, 1, 5, 0);
	n = load(unreach, b, sizeof b);
	th_expect_bump(1, b, n, PLEN, 2, 11, 0);
	th_expect_bump(1, b, n, EXT + 8 + 4, 2, 0, 0); /* quoted plen */
}

static void test_ipv6_bad_version(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	b[IP] = 0x40;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.version"), 4);
	assert_true(th_has_event(p, "ipv6.bogus_ipv6_version"));
	assert_null(th_field(p, "ipv6.src"));
	assert_false(th_has_layer(p, "icmpv6"));
	assert_int_equal(p->layers[th_layer(p, "ipv6")].addr.family, 0);
	assert_string_equal(th_summary(p),
			    "IP6 version error: 4 != 6 [malformed ipv6: Bogus "
			    "IP version]");
}

static void test_ipv6_plen_past_frame(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	b[PLEN + 1] = 64; /* 30 are there */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.plen_exceeds_framing"));
	/* what is there is still dissected; tcpdump's length is the one
	 * the header claims (64 - 8), its -v has no checksum text */
	assert_int_equal(th_uint(p, "icmpv6.echo.sequence_number"), 1);
	assert_null(strstr(th_summary_v(p, 1), "sum"));
	assert_string_equal(th_summary(p),
			    "IP6 truncated-ip6 - 34 bytes missing!fd00:99::1 "
			    "> fd00:99::2: HBH ICMP6, echo request, id 31233, "
			    "seq 1, length 56 [malformed ipv6: IPv6 payload "
			    "length is larger than the frame]");
}

static void test_ipv6_plen_clamps_padding(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	memset(b + n, 0xee, 6); /* Ethernet padding after the packet */
	tp_pkt *p = th_dissect(1, b, n + 6, n + 6);
	unsigned li = th_layer(p, "ipv6");
	assert_int_equal(p->layers[li].payload_len, 22);
	assert_int_equal(th_uint(p, "data.len"), 14);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
}

static void test_ipv6_plen_in_error(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(unreach, b, sizeof b);
	b[EXT + 8 + 5] = 0xff; /* the quoted packet claims 255 bytes */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "ipv6.plen"), 2);
	assert_false(th_has_event(p, "ipv6.plen_exceeds_framing"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_count(p, "ipv6.dstopts.nxt"), 1);
	/* the same damage outside an error is reported */
	n = load(dstopt_udp, b, sizeof b);
	b[PLEN + 1] = 0xff;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.plen_exceeds_framing"));
}

static void test_ipv6_plen_zero(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(tcp_syn, b, sizeof b);
	b[PLEN + 1] = 0;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.plen_zero"));
	assert_int_equal(p->layers[th_layer(p, "ipv6")].payload_len, 0);
}

static void test_ipv6_ext_past_payload(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	b[EXT_LEN] = 5; /* 48 bytes, 30 are there */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.ext.length_past_payload"));
	assert_int_equal(th_uint(p, "ipv6.hopopts.len_oct"), 48);
	assert_false(th_has_layer(p, "icmpv6"));
	/* the options that are there were read */
	assert_int_equal(th_uint(p, "ipv6.opt.type"), 0x05);
}

static void test_ipv6_ext_past_plen(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(frag_atomic, b, sizeof b);
	b[PLEN + 1] = 4; /* a fragment header needs 8 */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.ext.length_past_payload"));
	assert_false(th_has_event(p, "_ws.malformed"));
	/* the four bytes there are read; the identification is not */
	assert_int_equal(th_uint(p, "ipv6.fraghdr.offset"), 0);
	assert_null(th_field(p, "ipv6.fraghdr.ident"));
	assert_false(th_has_layer(p, "icmpv6"));
	/* a payload too short for a hop-by-hop header's first two bytes */
	n = load(hbh_echo, b, sizeof b);
	b[PLEN + 1] = 1;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.ext.length_past_payload"));
	assert_null(th_field(p, "ipv6.hopopts.len"));
}

static void test_ipv6_option_past_header(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	b[EXT + 7] = 5; /* PadN of 5 in the header's last byte */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.opt.invalid_len"));
	/* the header length is sound: the walk goes on past it */
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	/* a router alert of the wrong length */
	n = load(hbh_echo, b, sizeof b);
	b[EXT + 3] = 1;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.opt.invalid_len"));
	assert_null(th_field(p, "ipv6.opt.router_alert"));
	assert_int_equal(th_count(p, "ipv6.opt.pad1"), 1);
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
}

static void test_ipv6_too_many_ext(void **state)
{
	(void)state;
	enum { N = 20 };
	uint8_t b[IP + 40 + N * 8];
	size_t n = load(hbh_echo, b, sizeof b);
	assert_true(n >= IP + 40);
	b[PLEN] = 0;
	b[PLEN + 1] = N * 8;
	b[NXT] = 60;
	for (unsigned i = 0; i < N; i++) {
		uint8_t *h = b + EXT + i * 8;
		static const uint8_t opt[8] = {60, 0, 1, 4, 0, 0, 0, 0};
		memcpy(h, opt, 8);
		if (i == N - 1)
			h[0] = 59;
	}
	n = sizeof b;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.ext.too_many"));
	assert_int_equal(th_count(p, "ipv6.dstopts"), TP_MAX_IPV6_EXT);
	assert_int_equal(th_uint(p, "data.len"), (N - TP_MAX_IPV6_EXT) * 8);
	char want[512] = "IP6 fd00:99::1 > fd00:99::2: ";
	for (unsigned i = 0; i < TP_MAX_IPV6_EXT; i++)
		strcat(want, "DSTOPT ");
	strcat(want, " [malformed ipv6: Too many IPv6 extension headers: "
		     "the rest was not dissected]");
	assert_string_equal(th_summary(p), want);
	th_every_truncation(1, b, n, n);
}

static void test_ipv6_jumbo(void **state)
{
	(void)state;
	enum { JUMBO = 8 + 65536, WIRE = IP + 40 + JUMBO };
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	b[PLEN] = b[PLEN + 1] = 0;
	/* hop-by-hop: jumbo payload option (RFC 2675 2) */
	static const uint8_t hbh[8] = {58, 0, 0xc2, 4, 0, 1, 0, 8};
	memcpy(b + EXT, hbh, 8);
	/* a capture of the first bytes of a jumbogram */
	tp_pkt *p = th_dissect(1, b, n, WIRE);
	assert_int_equal(th_uint(p, "ipv6.opt.jumbo"), JUMBO);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	unsigned ii = th_layer(p, "icmpv6");
	assert_int_equal(p->layers[ii].len + p->layers[ii].payload_len,
			 65536);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: HBH ICMP6, echo "
			    "request, id 31233, seq 1, length 65536");
	/* longer than the frame */
	b[EXT + 5] = 2;
	p = th_dissect(1, b, n, WIRE);
	assert_true(th_has_event(p, "ipv6.plen_exceeds_framing"));
	/* a jumbo option with a payload length: not a jumbogram */
	b[PLEN + 1] = 30;
	b[EXT + 5] = 1;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.opt.jumbo.prohibited"));
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
}

static void test_ipv6_jumbo_missing(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	b[PLEN + 1] = 0;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.opt.jumbo.missing"));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: HBH [No valid Jumbo "
			    "Payload Hop-by-Hop option found] (invalid) "
			    "[malformed ipv6: IPv6 payload length equals 0 and "
			    "Hop-By-Hop present and Jumbo Payload option "
			    "missing]");
}

static void test_ipv6_hbh_not_first(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(dstopt_udp, b, sizeof b);
	b[EXT] = 0; /* destination options, then hop-by-hop */
	b[EXT + 8] = 17;
	b[EXT + 9] = 0;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.hopopts.not_first"));
	assert_int_equal(th_uint(p, "ipv6.hopopts.nxt"), 17);
}

static void test_ipv6_routing_bad_lengths(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rt0_echo, b, sizeof b);
	b[EXT_LEN] = 3; /* type 0 needs an even length */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.routing.invalid_length"));
	assert_int_equal(th_count(p, "ipv6.routing.src.addr"), 1);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: RT6 (len=3, type=0 "
			    "[Deprecated], segleft=0 (invalid length 3) "
			    "(invalid) [malformed ipv6: Invalid IPv6 Routing "
			    "header length]");
	/* more segments left than addresses */
	n = load(rt0_echo, b, sizeof b);
	b[EXT + 3] = 5;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.routing.invalid_segleft"));
	/* a segment list longer than the header */
	n = load(srh_echo, b, sizeof b);
	b[EXT + 4] = 9;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.routing.invalid_length"));
	assert_int_equal(th_count(p, "ipv6.routing.srh.addr"), 2);
}

static void test_ipv6_routing_unknown_type(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rt0_echo, b, sizeof b);
	b[EXT + 2] = 200;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_field(p, "ipv6.routing.unknown_data")->vlen,
			 36);
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: RT6 (len=4, "
			    "type=200, segleft=0 (unknown type) (invalid)");
}

static void test_ipv6_ah_bogus_length(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ah_ospf, b, sizeof b);
	b[EXT_LEN] = 0; /* (0 + 2) * 4 = 8 < 12 */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ah.bogus_length"));
	assert_null(th_field(p, "ah.spi"));
}

/* ---- reassembly (a session with a fragment table) ------------------- */

/* pcaps/ipv6-frag.pcap frames 1-3: the echo request of `ping -6 -s 3000`
 * (fd00:99::1 -> fd00:99::2, ident 0x2ce8e360) in three fragments:
 * payload offsets 0, 1448 and 2896, M on the first two.  Each frame is
 * its Ethernet, IPv6 and fragment headers, as captured, then its part of
 * the 3008-byte ICMPv6 message: the echo header, ping's 16-byte
 * timestamp, then bytes 0x10, 0x11, ... (rebuilt by icmp6_msg(); the
 * result is the captured frames byte for byte, and the ICMPv6 checksum
 * over the whole message is good). */
static const char v6frag_hdr[3][200] = {
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 06"
	"9f 2d 05 b0 2c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 00 00 01 2c e8 e3 60",
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 06"
	"9f 2d 05 b0 2c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 00 05 a9 2c e8 e3 60",
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 06"
	"9f 2d 00 78 2c 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 3a 00 0b 50 2c e8 e3 60",
};
static const uint32_t v6frag_off[3] = {0, 1448, 2896};
static const uint32_t v6frag_len[3] = {1448, 1448, 112};

#define ICMP6_MSG_LEN 3008

static void icmp6_msg(uint8_t *m)
{
	static const char head[] = "80 00 bd cf 6d ff 00 01 fd 55 01 6b 00 00"
				   "00 00 64 8f 0a 00 00 00 00 00";
	size_t n = th_hex(head, m, 24);
	for (size_t i = n; i < ICMP6_MSG_LEN; i++)
		m[i] = (uint8_t)(i - 24 + 0x10);
}

static size_t v6frag_frame(int i, uint8_t *b, size_t cap)
{
	static uint8_t msg[ICMP6_MSG_LEN];
	icmp6_msg(msg);
	size_t n = th_hex(v6frag_hdr[i], b, cap);
	assert_int_equal(n, EXT + 8);
	assert_true(n + v6frag_len[i] <= cap);
	memcpy(b + n, msg + v6frag_off[i], v6frag_len[i]);
	return n + v6frag_len[i];
}

/* pcaps/ipv6-ext.pcap frames 13 and 14 (1294 and 638 bytes): scapy's
 * 1808-byte echo request (header, then 1800 'T') in two fragments; the
 * constants above hold their heads, the rest is 'T'. */
/* The occurrence `n` (0-based) of a field, or fail. */
static const tp_field *nth(const tp_pkt *p, const char *abbrev, int n)
{
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0 && n-- == 0)
			return &p->fields[i];
	fail_msg("no %s", abbrev);
	return NULL;
}

static size_t ext_frag_frame(int i, uint8_t *b, size_t cap)
{
	size_t n = load(i ? frag_second : frag_first, b, cap);
	size_t len = i ? 638 : 1294;
	assert_true(len <= cap);
	memset(b + n, 0x54, len - n);
	return len;
}

/* A packet record and a session of its own, as main.c wires them. */

static void assert_v6_held(const tp_pkt *p, size_t datalen, const char *sum)
{
	assert_false(th_has_layer(p, "icmpv6"));
	assert_int_equal(th_uint(p, "data.len"), datalen);
	assert_int_equal(p->layers[th_layer(p, "data")].off, EXT + 8);
	assert_true(th_has_event(p, "ipv6.fragment.held"));
	assert_int_equal(th_count(p, "ipv6.fragment"), 0);
	assert_null(p->reasm);
	assert_string_equal(th_summary(p), sum);
}

static void test_ipv6_defrag_in_order(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = v6frag_frame(0, b, sizeof b);
	/* the first fragment's ICMPv6 header waits too (the line is
	 * tcpdump's: from this fragment's bytes) */
	assert_v6_held(th_sess_feed(&d, 1, b, n, n), 1448,
		       "IP6 fd00:99::1 > fd00:99::2: frag (0|1448) ICMP6, "
		       "echo request, id 28159, seq 1, length 1448");
	n = v6frag_frame(1, b, sizeof b);
	assert_v6_held(th_sess_feed(&d, 2, b, n, n), 1448,
		       "IP6 fd00:99::1 > fd00:99::2: frag (1448|1448)");
	assert_int_equal(th_frag_dgrams(&d), 1);
	n = v6frag_frame(2, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 3, b, n, n);
	assert_int_equal(th_frag_dgrams(&d), 0);
	assert_int_equal(p->reasm_len, ICMP6_MSG_LEN);
	unsigned li = th_layer(p, "icmpv6");
	assert_true(p->layers[li].reassembled);
	assert_int_equal(p->layers[li].off, 0);
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	/* verified over all 3008 bytes and the pseudo-header */
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(th_count(p, "ipv6.fragments"), 1);
	assert_int_equal(th_field(p, "ipv6.fragments")->def->type, TP_FT_NONE);
	assert_int_equal(th_count(p, "ipv6.fragment"), 3);
	for (int i = 0; i < 3; i++) {
		const tp_field *f = nth(p, "ipv6.fragment", i);
		assert_int_equal(f->def->type, TP_FT_FRAMENUM);
		assert_int_equal(f->v.u, (uint64_t)i + 1);
	}
	assert_int_equal(th_uint(p, "ipv6.fragment.count"), 3);
	assert_int_equal(th_uint(p, "ipv6.reassembled.length"), ICMP6_MSG_LEN);
	uint8_t msg[ICMP6_MSG_LEN];
	icmp6_msg(msg);
	assert_memory_equal(p->reasm, msg, ICMP6_MSG_LEN);
	assert_memory_equal(th_field(p, "ipv6.reassembled.data")->v.p, msg,
			    ICMP6_MSG_LEN);
	assert_false(th_has_kind(p, TP_EV_WARN));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	/* this frame's own fragment header; the line is tcpdump's, which
	 * does not reassemble */
	assert_int_equal(th_uint(p, "ipv6.fraghdr.offset"), 362);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (2896|112)");
	th_sess_free(&d);
}

/* pcaps/ipv6-ext.pcap frames 14 then 13: the first fragment completes. */
static void test_ipv6_defrag_reverse(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1400];
	size_t n = ext_frag_frame(1, b, sizeof b);
	assert_v6_held(th_sess_feed(&d, 14, b, n, n), 576,
		       "IP6 fd00:99::1 > fd00:99::2: frag (1232|576)");
	n = ext_frag_frame(0, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 15, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	assert_int_equal(th_uint(p, "icmpv6.echo.sequence_number"), 7);
	assert_int_equal(th_uint(p, "ipv6.reassembled.length"), 1808);
	assert_int_equal(nth(p, "ipv6.fragment", 0)->v.u, 15);
	assert_int_equal(nth(p, "ipv6.fragment", 1)->v.u, 14);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (0|1232) ICMP6, "
			    "echo request, id 31233, seq 7, length 1232");
	th_sess_free(&d);
}

/* Atomic fragments (RFC 6946) are not reassembled; --no-defrag leaves
 * fragments as they are. */
static void test_ipv6_defrag_atomic_and_off(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = load(frag_atomic, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_null(p->reasm);
	assert_int_equal(p->nevents, 0);
	assert_int_equal(th_frag_dgrams(&d), 0);
	th_sess_free(&d);

	th_sess_init(&d, false);
	assert_null(d.s->frags);
	n = v6frag_frame(0, b, sizeof b);
	p = th_sess_feed(&d, 1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (0|1448) ICMP6, "
			    "echo request, id 28159, seq 1, length 1448");
	n = v6frag_frame(2, b, sizeof b);
	p = th_sess_feed(&d, 3, b, n, n);
	assert_null(p->reasm);
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (2896|112)");
	th_sess_free(&d);
}

/* RFC 5722: an overlapping fragment discards the datagram; an exact
 * duplicate does not (RFC 8200 4.5). */
static void test_ipv6_defrag_overlap_discards(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = v6frag_frame(0, b, sizeof b);
	th_sess_feed(&d, 1, b, n, n);
	tp_pkt *p = th_sess_feed(&d, 2, b, n, n);
	assert_true(th_has_event(p, "ipv6.fragment.overlap"));
	assert_false(th_has_event(p, "ipv6.fragment.error"));
	assert_int_equal(th_frag_dgrams(&d), 1);
	/* the second fragment 8 bytes early (offset 180 * 8 = 1440) */
	n = v6frag_frame(1, b, sizeof b);
	b[EXT + 2] = 0x05;
	b[EXT + 3] = 0xa1;
	p = th_sess_feed(&d, 3, b, n, n);
	assert_true(th_has_event(p, "ipv6.fragment.overlap"));
	assert_true(th_has_event(p, "ipv6.fragment.overlap.conflict"));
	assert_true(th_has_event(p, "ipv6.fragment.error"));
	assert_false(th_has_event(p, "ipv6.fragment.held"));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: frag (1440|1448)");
	assert_int_equal(th_frag_dgrams(&d), 0);
	/* the rest never completes */
	n = v6frag_frame(1, b, sizeof b);
	th_sess_feed(&d, 4, b, n, n);
	n = v6frag_frame(2, b, sizeof b);
	p = th_sess_feed(&d, 5, b, n, n);
	assert_false(th_has_layer(p, "icmpv6"));
	assert_int_equal(th_frag_dgrams(&d), 1);
	th_sess_free(&d);
}

/* Every cut of every fragment frame: no crash, the table untouched,
 * and the whole frames still reassemble afterwards. */
static void test_ipv6_defrag_every_truncation(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	uint64_t number = 1;
	for (int i = 0; i < 3; i++) {
		size_t n = v6frag_frame(i, b, sizeof b);
		for (size_t cut = 0; cut < n; cut++) {
			tp_pkt *p = th_sess_feed(&d, number++, b, cut, n);
			assert_int_equal(th_frag_dgrams(&d), 0);
			assert_null(p->reasm);
			(void)th_summary(p);
		}
	}
	tp_pkt *p = NULL;
	for (int i = 0; i < 3; i++) {
		size_t n = v6frag_frame(i, b, sizeof b);
		p = th_sess_feed(&d, number++, b, n, n);
	}
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(th_uint(p, "ipv6.reassembled.length"), ICMP6_MSG_LEN);
	assert_int_equal(nth(p, "ipv6.fragment", 2)->v.u, number - 1);
	th_sess_free(&d);
}

/* ---- tcpdump -v/-vv/-vvv ------------------------------------------- */

static void test_ipv6_verbose_ext(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 1)),
			    "HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] "
			    "ICMP6, echo request, id 31233, seq 1");
	assert_string_equal(th_after_addrs(th_summary(p)),
			    "HBH ICMP6, echo request, id 31233, seq 1, "
			    "length 22");
	n = load(chain4, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(
		th_after_addrs(th_summary_v(p, 2)),
		"HBH (pad1)(pad1)(padn) DSTOPT (padn) RT6 (len=4, type=0 "
		"[Deprecated], segleft=0, rsv=0x0, [0]fd00:99::97, "
		"[1]fd00:99::2) DSTOPT (padn) [icmp6 sum ok] ICMP6, echo "
		"request, id 31233, seq 6");
	/* rsv only when not zero without -v */
	assert_null(strstr(th_summary(p), "rsv="));
	n = load(srh_echo, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 1),
			       "last-entry=1, flags=0x0, tag=0, "));
	assert_null(strstr(th_summary(p), "flags="));
	/* an atomic fragment: the id with -v, no checksum after it */
	n = load(frag_atomic, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 1)),
			    "frag (0x7a050000:0|22) ICMP6, echo request, id "
			    "31233, seq 5");
	assert_string_equal(th_after_addrs(th_summary(p)),
			    "frag (0|22) ICMP6, echo request, id 31233, seq "
			    "5, length 22");
}

/* Option areas made hostile: each option's length byte at every value,
 * the header cut at every length, printed at -vvv (guarded buffers). */
static void test_ipv6_verbose_hostile(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(hbh_echo, b, sizeof b);
	/* the router alert (at EXT + 2) with a length of 3 */
	b[EXT + 3] = 3;
	tp_pkt *p = th_dissect(1, b, n, n);
	const char *want = "HBH (rtalert: invalid len 3) [|hbhopt]";
	assert_memory_equal(th_after_addrs(th_summary_v(p, 3)), want,
			    strlen(want));
	/* tcpdump says so without -v too */
	assert_memory_equal(th_after_addrs(th_summary(p)), want, strlen(want));
	for (unsigned v = 0; v < 256; v++) {
		b[EXT + 3] = (uint8_t)v;
		p = th_dissect(1, b, n, n);
		const char *line = th_after_addrs(th_summary_v(p, 3));
		if (v == 2)
			assert_memory_equal(line, "HBH (rtalert: 0x0000) ", 22);
		else
			assert_non_null(strstr(line, "[|hbhopt]"));
	}
	/* the PadN (at EXT + 6) running past the header */
	n = load(hbh_echo, b, sizeof b);
	b[EXT + 7] = 9;
	p = th_dissect(1, b, n, n);
	assert_memory_equal(th_after_addrs(th_summary_v(p, 1)),
			    "HBH (rtalert: 0x0000)  [|hbhopt]", 32);
	/* cut inside the header: no "HBH", as tcpdump */
	n = load(hbh_echo, b, sizeof b);
	for (size_t cut = EXT; cut < EXT + 8; cut++) {
		p = th_dissect(1, b, cut, n);
		assert_memory_equal(th_after_addrs(th_summary_v(p, 2)),
				    " [|hbhopt]", 10);
	}
	/* a fragment header cut: tcpdump's [|frag6] and nothing of it */
	n = load(frag_atomic, b, sizeof b);
	for (size_t cut = EXT; cut < EXT + 8; cut++) {
		p = th_dissect(1, b, cut, n);
		assert_memory_equal(th_after_addrs(th_summary_v(p, 1)),
				    " [|frag6]", 9);
	}
	/* a routing header cut: its text as far as it goes, then [|rt6] */
	n = load(rt0_echo, b, sizeof b);
	p = th_dissect(1, b, EXT + 4, n);
	assert_memory_equal(th_after_addrs(th_summary(p)),
			    "RT6 (len=4, type=0 [Deprecated], segleft=0 [|rt6]",
			    49);
	for (size_t cut = EXT + 1; cut < EXT + 24; cut++) {
		p = th_dissect(1, b, cut, n);
		assert_non_null(strstr(th_summary_v(p, 2), " [|rt6]"));
	}
	/* none of it: ip6_print's own check */
	p = th_dissect(1, b, EXT, n);
	assert_memory_equal(th_after_addrs(th_summary(p)), " [|ip6]", 7);
	const char *pk[] = {hbh_echo, dstopt_udp, chain4, frag_atomic};
	for (size_t i = 0; i < sizeof pk / sizeof pk[0]; i++) {
		n = load(pk[i], b, sizeof b);
		th_every_truncation(1, b, n, EXT + 8);
		for (size_t at = EXT + 2; at < EXT + 8; at++)
			(void)th_bump(1, b, n, at, 1);
	}
}

/* IPv6 UDP with a zero checksum: tcpdump calls it bad and says what it
 * should have been (RFC 8200 8.1 forbids zero). */
static void test_ipv6_verbose_udp_zero(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(dstopt_udp, b, sizeof b);
	size_t udp = EXT + 8;
	tp_pkt *p = th_dissect(1, b, n, n);
	const char *ok = strstr(th_summary_v(p, 1), "[udp sum ok] ");
	assert_non_null(ok);
	unsigned sum = (unsigned)b[udp + 6] << 8 | b[udp + 7];
	b[udp + 6] = b[udp + 7] = 0;
	p = th_dissect(1, b, n, n);
	char want[64];
	snprintf(want, sizeof want, "[bad udp cksum 0x0000 -> 0x%04x!] ",
		 sum);
	assert_non_null(strstr(th_summary_v(p, 1), want));
	/* not all captured: nothing */
	p = th_dissect(1, b, n - 1, n);
	assert_null(strstr(th_summary_v(p, 1), "cksum"));
}

/* ../shared/corpus/tcpdump/ipv6-routing-header.pcap frame 3: UDP behind
 * a type 0 routing header with a segment left: its checksum is over the
 * final destination (RFC 8200 8.1), as tshark and tcpdump verify it. */
static const char rt0_udp[] =
	"00 13 c4 c7 84 f0 00 12 3f ae 22 f7 86 dd 60 00"
	"00 00 00 20 2b 04 22 00 00 00 00 00 02 44 02 12"
	"3f ff fe ae 22 f7 22 00 00 00 00 00 02 40 00 02"
	"00 00 00 00 00 04 11 02 00 01 00 00 00 00 22 00"
	"00 00 00 00 02 10 00 02 00 00 00 00 00 04 16 0d"
	"16 0a 00 08 27 b6";

static void test_ipv6_udp_final_dst(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rt0_udp, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "udp.checksum.status"), 1);
	assert_int_equal(th_uint(p, "udp.checksum_calculated"), 0x27b6);
	assert_non_null(strstr(th_summary_v(p, 1), "5645 > 5642: [udp sum ok] "
						   "UDP, length 0"));
	/* every segment visited: the header's destination is final */
	b[EXT + 3] = 0;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "udp.checksum.status"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_verbose_ext),
		cmocka_unit_test(test_ipv6_udp_final_dst),
		cmocka_unit_test(test_ipv6_verbose_hostile),
		cmocka_unit_test(test_ipv6_verbose_udp_zero),
		cmocka_unit_test(test_ipv6_fixed_header),
		cmocka_unit_test(test_ipv6_addr),
		cmocka_unit_test(test_ipv6_traffic_class),
		cmocka_unit_test(test_ipv6_hop_by_hop),
		cmocka_unit_test(test_ipv6_dstopts_udp),
		cmocka_unit_test(test_ipv6_routing_type0),
		cmocka_unit_test(test_ipv6_routing_srh),
		cmocka_unit_test(test_ipv6_fragment_atomic),
		cmocka_unit_test(test_ipv6_fragment_first),
		cmocka_unit_test(test_ipv6_fragment_later),
		cmocka_unit_test(test_ipv6_chain),
		cmocka_unit_test(test_ipv6_ah),
		cmocka_unit_test(test_ipv6_esp),
		cmocka_unit_test(test_ipv6_no_next_header),
		cmocka_unit_test(test_ipv6_in_ipv6),
		cmocka_unit_test(test_ipv6_truncations),
		cmocka_unit_test(test_ipv6_bumped_lengths),
		cmocka_unit_test(test_ipv6_bad_version),
		cmocka_unit_test(test_ipv6_plen_past_frame),
		cmocka_unit_test(test_ipv6_plen_clamps_padding),
		cmocka_unit_test(test_ipv6_plen_in_error),
		cmocka_unit_test(test_ipv6_plen_zero),
		cmocka_unit_test(test_ipv6_ext_past_payload),
		cmocka_unit_test(test_ipv6_ext_past_plen),
		cmocka_unit_test(test_ipv6_option_past_header),
		cmocka_unit_test(test_ipv6_too_many_ext),
		cmocka_unit_test(test_ipv6_jumbo),
		cmocka_unit_test(test_ipv6_jumbo_missing),
		cmocka_unit_test(test_ipv6_hbh_not_first),
		cmocka_unit_test(test_ipv6_routing_bad_lengths),
		cmocka_unit_test(test_ipv6_routing_unknown_type),
		cmocka_unit_test(test_ipv6_ah_bogus_length),
		cmocka_unit_test(test_ipv6_defrag_in_order),
		cmocka_unit_test(test_ipv6_defrag_reverse),
		cmocka_unit_test(test_ipv6_defrag_atomic_and_off),
		cmocka_unit_test(test_ipv6_defrag_overlap_discards),
		cmocka_unit_test(test_ipv6_defrag_every_truncation),
	};
	return cmocka_run_group_tests_name("ipv6", tests, NULL, NULL);
}
