/* test_icmp6.c - ICMPv6: echo, ND with options, MLD, errors, checksum. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* pcaps/icmp6-ping.pcap frame 1: neighbor solicitation with a source
 * link-layer address option. */
static const char ns[] =
	"33 33 ff 00 00 02 02 00 00 00 99 01 86 dd 60 00"
	"00 00 00 20 3a ff fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 ff 02 00 00 00 00 00 00 00 00"
	"00 01 ff 00 00 02 87 00 e3 64 00 00 00 00 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 02 01 01"
	"02 00 00 00 99 01";

/* pcaps/icmp6-ping.pcap frame 2: the neighbor advertisement. */
static const char na[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 86 dd 60 00"
	"00 00 00 20 3a ff fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 88 00 81 ce 60 00 00 00 fd 00"
	"00 99 00 00 00 00 00 00 00 00 00 00 00 02 02 01"
	"02 00 00 00 99 02";

/* pcaps/icmp6-ping.pcap frame 3: echo request with 56 bytes of data. */
static const char echo[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 06"
	"9f 2d 00 40 3a 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 80 00 c2 ed 59 a1 00 01 ea 55"
	"01 6b 00 00 00 00 ae 2a 0f 00 00 00 00 00 10 11"
	"12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21"
	"22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31"
	"32 33 34 35 36 37";

/* pcaps/ipv6-ext.pcap frame 4: port unreachable quoting a UDP datagram
 * sent behind a destination options header. */
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

/* ../shared/corpus/tcpdump/icmpv6.pcap frame 1: router advertisement with
 * prefix, RDNSS, DNSSL, MTU, source link-layer address, advertisement
 * interval and home agent options. */
static const char ra[] =
	"33 33 00 00 00 01 b0 99 28 c8 d6 6c 86 dd 60 00"
	"00 00 00 b0 3a ff fe 80 00 00 00 00 00 00 b2 99"
	"28 ff fe c8 d6 6c ff 02 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 01 86 00 24 01 40 20 00 0f 00 00"
	"00 00 00 00 00 00 03 04 48 c0 00 27 8d 00 00 09"
	"3a 80 00 00 00 00 22 22 33 33 44 44 55 55 66 00"
	"00 00 00 00 00 00 19 05 00 00 00 00 00 05 ab cd"
	"00 00 00 00 00 00 00 00 00 00 00 00 ef ef 12 34"
	"56 78 00 00 00 00 00 00 00 00 00 00 00 01 1f 07"
	"00 00 00 00 00 05 07 65 78 61 6d 70 6c 65 03 63"
	"6f 6d 00 07 65 78 61 6d 70 6c 65 03 6f 72 67 00"
	"04 64 6f 6d 31 04 64 6f 6d 32 03 74 6c 64 00 00"
	"00 00 00 00 00 00 05 01 00 00 00 00 00 64 01 01"
	"b0 99 28 c8 d6 6c 07 01 00 00 00 00 13 88 08 01"
	"00 00 c3 51 00 0f";

/* ../shared/corpus/tcpdump/icmpv6.pcap frame 3: MLDv2 general query
 * behind a hop-by-hop router alert. */
static const char mld2_query[] =
	"33 33 00 00 00 01 b0 a8 6e 0c d4 e8 86 dd 60 00"
	"00 00 00 24 00 01 fe 80 00 00 00 00 00 00 b2 a8"
	"6e ff fe 0c d4 e8 ff 02 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 01 3a 00 05 02 00 00 01 00 82 00"
	"62 3a 27 10 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 02 3c 00 00";

/* ../shared/corpus/tcpdump/babel.pcap frame 25: MLDv2 report with two
 * records; the Linux cooked header replaced by an Ethernet one. */
static const char mld2_report[] =
	"33 33 00 00 00 16 02 00 00 00 00 01 86 dd"
	"60 00 00 00 00 38 00 01 fe 80 00 00 00 00 00 00"
	"68 d3 12 35 d0 68 1f 9e ff 02 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 16 3a 00 05 02 00 00 01 00"
	"8f 00 3f 60 00 00 00 02 04 00 00 00 ff 02 00 00"
	"00 00 00 00 00 00 00 00 00 01 00 06 04 00 00 00"
	"ff 02 00 00 00 00 00 00 cc a6 c0 f9 e1 82 53 59";

/* ../shared/corpus/tcpdump/ipv6-routing-header.pcap frame 1: echo request
 * behind a type 0 routing header with a segment left: the checksum is
 * over the final destination (RFC 8200 8.1). */
static const char rt0_segleft[] =
	"00 13 c4 c7 84 f0 00 12 3f ae 22 f7 86 dd 60 00"
	"00 00 00 20 2b 04 22 00 00 00 00 00 02 44 02 12"
	"3f ff fe ae 22 f7 22 00 00 00 00 00 02 40 00 02"
	"00 00 00 00 00 04 3a 02 00 01 00 00 00 00 22 00"
	"00 00 00 00 02 10 00 02 00 00 00 00 00 04 80 00"
	"d3 ab 00 00 00 00";

/* ../shared/corpus/tcpdump/icmpv6-length-zero.pcapng frame 1: payload
 * length 0, next header ICMPv6, bytes after it. */
static const char len_zero[] =
	"33 33 00 00 00 01 00 21 28 08 f1 50 86 dd 60 00"
	"00 00 00 00 3a ff fe 80 00 00 00 00 00 00 02 5a"
	"28 ff fe 08 f1 50 6e 02 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 41 88 00 0b 20 20 80 00 00 fe 80"
	"00 00 00 aa aa aa aa aa aa aa aa aa aa aa aa aa"
	"aa aa aa aa aa aa";

enum {
	IP = 14,
	PLEN = IP + 4,
	ICMP = IP + 40,      /* without extension headers */
	NS_OPT = ICMP + 24,  /* first option of a solicitation */
	MLD = ICMP + 8,      /* behind the hop-by-hop header */
};

static size_t load(const char *hex, uint8_t *b, size_t cap)
{
	return th_hex(hex, b, cap);
}

static void test_icmp6_neighbor_solicitation(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ns, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "icmpv6");
	assert_int_equal(th_uint(p, "icmpv6.type"), 135);
	assert_int_equal(th_uint(p, "icmpv6.code"), 0);
	assert_int_equal(th_uint(p, "icmpv6.checksum"), 0xe364);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(th_field(p, "icmpv6.reserved")->vlen, 4);
	const tp_field *t = th_field(p, "icmpv6.nd.ns.target_address");
	assert_non_null(t);
	assert_int_equal(t->off, ICMP + 8);
	assert_memory_equal(t->v.p, b + ICMP + 8, 16);
	assert_int_equal(th_uint(p, "icmpv6.opt.type"), 1);
	assert_int_equal(th_uint(p, "icmpv6.opt.length"), 1);
	const tp_field *ll = th_field(p, "icmpv6.opt.src_linkaddr");
	assert_non_null(ll);
	assert_int_equal(ll->vlen, 6);
	assert_memory_equal(ll->v.p, b + NS_OPT + 2, 6);
	assert_int_equal(th_field(p, "icmpv6.opt.linkaddr")->vlen, 6);
	assert_int_equal(th_field(p, "icmpv6.opt")->level, 0);
	assert_int_equal(th_field(p, "icmpv6.opt")->len, 8);
	assert_int_equal(th_field(p, "icmpv6.opt.type")->level, 1);
	assert_int_equal(p->layers[li].len, 32);
	assert_int_equal(p->layers[li].payload_len, 0);
	assert_false(th_has_layer(p, "data"));
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p), "IP6 fd00:99::1 > ff02::1:ff00:2: "
					   "ICMP6, neighbor solicitation, who "
					   "has fd00:99::2, length 32");
}

static void test_icmp6_neighbor_advertisement(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(na, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.nd.na.flag"), 0x60000000);
	assert_int_equal(th_uint(p, "icmpv6.nd.na.flag.r"), 0);
	assert_int_equal(th_uint(p, "icmpv6.nd.na.flag.s"), 1);
	assert_int_equal(th_uint(p, "icmpv6.nd.na.flag.o"), 1);
	assert_int_equal(th_uint(p, "icmpv6.nd.na.flag.rsv"), 0);
	assert_int_equal(th_field(p, "icmpv6.nd.na.flag.s")->level, 1);
	assert_non_null(th_field(p, "icmpv6.nd.na.target_address"));
	assert_non_null(th_field(p, "icmpv6.opt.target_linkaddr"));
	assert_null(th_field(p, "icmpv6.opt.src_linkaddr"));
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_string_equal(th_summary(p), "IP6 fd00:99::2 > fd00:99::1: "
					   "ICMP6, neighbor advertisement, tgt "
					   "is fd00:99::2, length 32");
}

static void test_icmp6_echo(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "icmpv6");
	assert_int_equal(th_uint(p, "icmpv6.echo.identifier"), 0x59a1);
	assert_int_equal(th_uint(p, "icmpv6.echo.sequence_number"), 1);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(p->layers[li].len, 8);
	assert_int_equal(p->layers[li].payload_len, 56);
	/* the echo data is a data layer, as tshark's data.data */
	const tp_field *d = th_field(p, "data.data");
	assert_non_null(d);
	assert_int_equal(d->off, ICMP + 8);
	assert_int_equal(d->vlen, 56);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: ICMP6, echo request, "
			    "id 22945, seq 1, length 64");
	/* echo reply */
	b[ICMP] = 129;
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: ICMP6, echo reply, "
			    "id 22945, seq 1, length 64");
}

static void test_icmp6_bad_checksum(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo, b, sizeof b);
	b[ICMP + 20] ^= 0x40; /* one data bit */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 0);
	assert_true(th_has_event(p, "icmpv6.checksum_bad.expert"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	/* a message not all captured is not verified */
	p = th_dissect(1, b, n - 1, n);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 2);
	assert_false(th_has_event(p, "icmpv6.checksum_bad.expert"));
}

static void test_icmp6_checksum_final_destination(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rt0_segleft, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ipv6.routing.segleft"), 1);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	/* with no segment left the header's destination is the final one,
	 * and this checksum does not match it */
	b[IP + 40 + 3] = 0;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 0);
}

static void test_icmp6_router_advertisement(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ra, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.type"), 134);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(th_uint(p, "icmpv6.nd.ra.cur_hop_limit"), 64);
	assert_int_equal(th_uint(p, "icmpv6.nd.ra.flag"), 0x20);
	assert_int_equal(th_uint(p, "icmpv6.nd.ra.flag.h"), 1);
	assert_int_equal(th_uint(p, "icmpv6.nd.ra.flag.m"), 0);
	assert_int_equal(th_uint(p, "icmpv6.nd.ra.flag.prf"), 0);
	assert_int_equal(th_uint(p, "icmpv6.nd.ra.router_lifetime"), 15);
	assert_int_equal(th_count(p, "icmpv6.opt"), 7);
	assert_int_equal(th_uint(p, "icmpv6.opt.prefix.length"), 72);
	assert_int_equal(th_uint(p, "icmpv6.opt.prefix.flag"), 0xc0);
	assert_int_equal(th_uint(p, "icmpv6.opt.prefix.flag.l"), 1);
	assert_int_equal(th_uint(p, "icmpv6.opt.prefix.flag.a"), 1);
	assert_int_equal(th_uint(p, "icmpv6.opt.prefix.valid_lifetime"),
			 2592000);
	assert_int_equal(th_uint(p, "icmpv6.opt.prefix.preferred_lifetime"),
			 604800);
	static const uint8_t pfx[16] = {0x22, 0x22, 0x33, 0x33, 0x44, 0x44,
					0x55, 0x55, 0x66};
	assert_memory_equal(th_field(p, "icmpv6.opt.prefix")->v.p, pfx, 16);
	assert_int_equal(th_uint(p, "icmpv6.opt.rdnss.lifetime"), 5);
	assert_int_equal(th_count(p, "icmpv6.opt.rdnss"), 2);
	assert_int_equal(th_count(p, "icmpv6.opt.dnssl"), 3);
	const tp_field *dn = th_field(p, "icmpv6.opt.dnssl");
	assert_int_equal(dn->vlen, 11);
	assert_memory_equal(dn->v.p, "example.com", 11);
	assert_int_equal(th_uint(p, "icmpv6.opt.mtu"), 100);
	assert_int_equal(th_uint(p, "icmpv6.opt.advertisement_interval"), 5000);
	assert_int_equal(th_uint(p, "icmpv6.opt.home_agent_preference"), 50001);
	assert_int_equal(th_uint(p, "icmpv6.opt.home_agent_lifetime"), 15);
	assert_int_equal(th_field(p, "icmpv6.opt.src_linkaddr")->vlen, 6);
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p), "IP6 fe80::b299:28ff:fec8:d66c > "
					   "ff02::1: ICMP6, router "
					   "advertisement, length 176");
}

static void test_icmp6_mld2_query(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(mld2_query, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.type"), 130);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(th_uint(p, "icmpv6.mld.maximum_response_code"), 10000);
	assert_int_equal(th_uint(p, "icmpv6.mld.flag"), 2);
	assert_int_equal(th_uint(p, "icmpv6.mld.flag.qrv"), 2);
	assert_int_equal(th_uint(p, "icmpv6.mld.flag.s"), 0);
	assert_int_equal(th_uint(p, "icmpv6.mld.qqi"), 60);
	assert_int_equal(th_uint(p, "icmpv6.mld.nb_sources"), 0);
	assert_non_null(th_field(p, "icmpv6.mld.multicast_address"));
	assert_string_equal(th_summary(p),
			    "IP6 fe80::b2a8:6eff:fe0c:d4e8 > ff02::1: HBH "
			    "ICMP6, multicast listener query v2 [gaddr ::], "
			    "length 28");
}

static void test_icmp6_mld1(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(mld2_query, b, sizeof b);
	/* the same query cut to MLDv1's 24 bytes (RFC 3810 8.1) */
	b[PLEN + 1] = 8 + 24;
	n -= 4;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.mld.maximum_response_delay"),
			 10000);
	assert_null(th_field(p, "icmpv6.mld.maximum_response_code"));
	/* tcpdump runs the MLD text on without a separator */
	assert_string_equal(th_summary(p),
			    "IP6 fe80::b2a8:6eff:fe0c:d4e8 > ff02::1: HBH "
			    "ICMP6, multicast listener querymax resp delay: "
			    "10000 addr: ::, length 24");
	b[MLD] = 132;
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary(p),
			    "IP6 fe80::b2a8:6eff:fe0c:d4e8 > ff02::1: HBH "
			    "ICMP6, multicast listener donemax resp delay: "
			    "10000 addr: ::, length 24");
}

static void test_icmp6_mld2_report(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(mld2_report, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.type"), 143);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(th_uint(p, "icmpv6.mldr.nb_mcast_records"), 2);
	assert_int_equal(th_count(p, "icmpv6.mldr.mar"), 2);
	assert_int_equal(th_uint(p, "icmpv6.mldr.mar.record_type"), 4);
	assert_int_equal(th_uint(p, "icmpv6.mldr.mar.nb_sources"), 0);
	const tp_field *ma = th_field(p, "icmpv6.mldr.mar.multicast_address");
	assert_int_equal(ma->off, MLD + 8 + 4);
	assert_int_equal(ma->level, 1);
	assert_int_equal(th_field(p, "icmpv6.mldr.mar")->len, 20);
	assert_string_equal(th_summary(p),
			    "IP6 fe80::68d3:1235:d068:1f9e > ff02::16: HBH "
			    "ICMP6, multicast listener report v2, 2 group "
			    "record(s), length 48");
}

static void test_icmp6_mld2_report_past_end(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(mld2_report, b, sizeof b);
	b[MLD + 7] = 3; /* three records claimed, two there */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmpv6.mldr.past_end"));
	assert_int_equal(th_count(p, "icmpv6.mldr.mar"), 2);
	n = load(mld2_report, b, sizeof b);
	b[MLD + 8 + 3] = 2; /* 32 bytes of sources: 20 are left */
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmpv6.mldr.past_end"));
	assert_int_equal(th_count(p, "icmpv6.mldr.mar.source_address"), 0);
}

static void test_icmp6_unreachable(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(unreach, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "icmpv6");
	assert_int_equal(th_uint(p, "icmpv6.type"), 1);
	assert_int_equal(th_uint(p, "icmpv6.code"), 4);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 1);
	assert_int_equal(th_field(p, "icmpv6.reserved")->vlen, 4);
	assert_int_equal(p->layers[li].len, 8);
	assert_int_equal(p->layers[li].payload_len, 70);
	/* the quoted packet is dissected as further, embedded layers */
	assert_true(p->in_error);
	assert_int_equal(th_count(p, "ipv6.src"), 2);
	assert_int_equal(th_count(p, "ipv6.dstopts.nxt"), 1);
	unsigned ql = li + 1;
	assert_true(ql < p->nlayers);
	assert_string_equal(p->layers[ql].d->name, "ipv6");
	assert_true(p->layers[ql].embedded);
	assert_false(p->layers[li].embedded);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	/* the port comes from the quoted UDP header (the UDP dissector, or
	 * the bytes it left) */
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::2 > fd00:99::1: ICMP6, destination "
			    "unreachable, unreachable port, fd00:99::2 udp "
			    "port 9999, length 78");
}

static void test_icmp6_unreachable_udp_fields(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(unreach, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	/* needs the UDP dissector: the quoted ports as tshark shows them */
	assert_int_equal(th_uint(p, "udp.srcport"), 40001);
	assert_int_equal(th_uint(p, "udp.dstport"), 9999);
}

static void test_icmp6_error_texts(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(unreach, b, sizeof b);
	static const struct {
		uint8_t type, code, word[4];
		const char *text;
	} cases[] = {
		{1, 0, {0}, "destination unreachable, unreachable route "
			    "fd00:99::2"},
		{1, 1, {0}, "destination unreachable,  unreachable "
			    "prohibited fd00:99::2"},
		{1, 2, {0}, "destination unreachable, beyond scope "
			    "fd00:99::2, source address fd00:99::1"},
		{1, 3, {0}, "destination unreachable, unreachable address "
			    "fd00:99::2"},
		{2, 0, {0, 0, 5, 0}, "packet too big, mtu 1280"},
		{3, 0, {0}, "time exceeded in-transit for fd00:99::2"},
		{3, 1, {0}, "time exceeded in-transit (reassembly)"},
		{4, 0, {0, 0, 0, 6}, "parameter problem, erroneous - octet 6"},
		{4, 1, {0, 0, 0, 40}, "parameter problem, next header - octet "
				      "40"},
		{4, 2, {0, 0, 0, 42}, "parameter problem, option - octet 42"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		b[ICMP] = cases[i].type;
		b[ICMP + 1] = cases[i].code;
		memcpy(b + ICMP + 4, cases[i].word, 4);
		tp_pkt *p = th_dissect(1, b, n, n);
		char want[256] = "IP6 fd00:99::2 > fd00:99::1: ICMP6, ";
		strcat(want, cases[i].text);
		strcat(want, ", length 78");
		assert_string_equal(th_summary(p), want);
		assert_int_equal(th_count(p, "ipv6.src"), 2);
	}
	b[ICMP] = 2;
	b[ICMP + 1] = 0;
	memcpy(b + ICMP + 4, "\x00\x00\x05\x00", 4);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.mtu"), 1280);
	b[ICMP] = 4;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.pointer"), 1280);
	/* an unknown unreachable code: tcpdump dumps the bytes, no length */
	b[ICMP] = 1;
	b[ICMP + 1] = 9;
	p = th_dissect(1, b, n, n);
	const char *want = "IP6 fd00:99::2 > fd00:99::1: ICMP6, destination "
			   "unreachable, unknown unreach code (9)\n"
			   "\t0x0000:  0109 ";
	assert_memory_equal(th_summary(p), want, strlen(want));
	/* -vv: no dump, no length */
	assert_string_equal(th_summary_v(p, 2) +
				    strlen(th_summary_v(p, 2)) - 24,
			    "unknown unreach code (9)");
}

static void test_icmp6_unreachable_tcp(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(unreach, b, sizeof b);
	b[ICMP + 8 + 40] = 6; /* the quoted destination options say TCP */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_layer(p, "tcp"));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::2 > fd00:99::1: ICMP6, destination "
			    "unreachable, unreachable port, fd00:99::2 tcp "
			    "port 9999, length 78");
}

static void test_icmp6_quote_cut(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(unreach, b, sizeof b);
	/* only 20 bytes of the invoking packet quoted */
	b[PLEN + 1] = 8 + 20;
	n = ICMP + 8 + 20;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "ipv6.plen"), 2);
	assert_int_equal(th_count(p, "ipv6.src"), 1);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::2 > fd00:99::1: ICMP6, destination "
			    "unreachable, unreachable port [|icmp6]");
	/* nothing quoted at all */
	b[PLEN + 1] = 8;
	n = ICMP + 8;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "ipv6.plen"), 1);
	assert_false(p->in_error);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::2 > fd00:99::1: ICMP6, destination "
			    "unreachable, unreachable port [|icmp6]");
}

static void test_icmp6_error_in_error(void **state)
{
	(void)state;
	uint8_t b[300];
	size_t n = load(unreach, b, sizeof b);
	/* a time exceeded quoting the whole unreachable (its IPv6 part) */
	size_t q = n - IP;
	memmove(b + ICMP + 8, b + IP, q);
	memset(b + ICMP, 0, 8);
	b[ICMP] = 3;
	b[PLEN] = 0;
	b[PLEN + 1] = (uint8_t)(8 + q);
	n = ICMP + 8 + q;
	tp_pkt *p = th_dissect(1, b, n, n);
	/* the quoted error and what it quotes, as tshark follows them
	 * (eth:ethertype:ipv6:icmpv6:ipv6:icmpv6:ipv6:ipv6.dstopts:udp:data) */
	assert_int_equal(th_count(p, "icmpv6.type"), 2);
	assert_int_equal(th_count(p, "ipv6.src"), 3);
	assert_true(th_has_layer(p, "udp"));
	assert_int_equal(th_uint(p, "udp.dstport"), 9999);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::2 > fd00:99::1: ICMP6, time exceeded "
			    "in-transit for fd00:99::1, length 126");
}

static void test_icmp6_option_length_zero(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ns, b, sizeof b);
	b[NS_OPT + 1] = 0; /* RFC 4861 4.6: invalid, discard */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmpv6.invalid_option_length"));
	assert_int_equal(th_uint(p, "icmpv6.opt.type"), 1);
	assert_int_equal(th_uint(p, "icmpv6.opt.length"), 0);
	assert_null(th_field(p, "icmpv6.opt.linkaddr"));
	/* the rest of the message is not walked, nor left as data */
	assert_false(th_has_layer(p, "data"));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > ff02::1:ff00:2: ICMP6, neighbor "
			    "solicitation, who has fd00:99::2, length 32 "
			    "[malformed icmpv6: Invalid Option Length]");
	/* an option longer than the message */
	n = load(ns, b, sizeof b);
	b[NS_OPT + 1] = 2;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmpv6.invalid_option_length"));
	/* a prefix information option too short for its fields */
	n = load(ns, b, sizeof b);
	b[NS_OPT] = 3;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmpv6.invalid_option_length"));
	assert_null(th_field(p, "icmpv6.opt.prefix"));
	assert_int_equal(th_field(p, "icmpv6.unknown_data")->vlen, 6);
}

static void test_icmp6_too_many_options(void **state)
{
	(void)state;
	enum { NOPT = 70 };
	uint8_t b[NS_OPT + NOPT * 8];
	size_t n = load(ns, b, sizeof b);
	for (unsigned i = 0; i < NOPT; i++) {
		static const uint8_t nonce[8] = {14, 1, 1, 2, 3, 4, 5, 6};
		memcpy(b + NS_OPT + i * 8, nonce, 8);
	}
	n = sizeof b;
	unsigned plen = 24 + NOPT * 8;
	b[PLEN] = (uint8_t)(plen >> 8);
	b[PLEN + 1] = (uint8_t)plen;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmpv6.too_many_options"));
	assert_int_equal(th_count(p, "icmpv6.opt.nonce"), 64);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

static void test_icmp6_length_zero(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(len_zero, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ipv6.plen_zero"));
	assert_true(th_has_event(p, "icmpv6.length_zero"));
	assert_null(th_field(p, "icmpv6.type"));
	assert_string_equal(th_summary(p),
			    "IP6 fe80::25a:28ff:fe08:f150 > 6e02::41: ICMP6, "
			    "length 0 (invalid) [malformed icmpv6: ICMPv6 "
			    "message of length 0]");
}

static void test_icmp6_unknown_type(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo, b, sizeof b);
	b[ICMP] = 250;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmpv6.type"), 250);
	assert_null(th_field(p, "icmpv6.echo.identifier"));
	assert_int_equal(th_uint(p, "data.len"), 60);
	/* tcpdump dumps the message in hex (not with -vv) */
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1 > fd00:99::2: ICMP6, unknown icmp6 "
			    "type (250), length 64\n"
			    "\t0x0000:  fa00 c2ed 59a1 0001 ea55 016b 0000 0000\n"
			    "\t0x0010:  ae2a 0f00 0000 0000 1011 1213 1415 1617\n"
			    "\t0x0020:  1819 1a1b 1c1d 1e1f 2021 2223 2425 2627\n"
			    "\t0x0030:  2829 2a2b 2c2d 2e2f 3031 3233 3435 3637");
	const char *v2 = th_summary_v(p, 2);
	assert_string_equal(v2 + strlen(v2) - 21, "type (250), length 64");
}

static void test_icmp6_truncations(void **state)
{
	(void)state;
	const char *pk[] = {ns,	  na,	       echo,	    unreach,
			    ra,	  mld2_query, mld2_report, rt0_segleft};
	for (size_t i = 0; i < sizeof pk / sizeof pk[0]; i++) {
		uint8_t b[256];
		size_t n = load(pk[i], b, sizeof b);
		th_every_truncation(1, b, n, n);
	}
	/* cut inside the target address: type and checksum are kept */
	uint8_t b[256];
	size_t n = load(ns, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, ICMP + 12, n);
	assert_int_equal(th_uint(p, "icmpv6.type"), 135);
	assert_int_equal(th_uint(p, "icmpv6.checksum.status"), 2);
	assert_null(th_field(p, "icmpv6.nd.ns.target_address"));
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_string_equal(th_summary(p), "IP6 fd00:99::1 > ff02::1:ff00:2: "
					   "ICMP6, neighbor solicitation "
					   "[|icmp6]");
}

static void test_icmp6_bumped_lengths(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ns, b, sizeof b);
	th_expect_bump(1, b, n, NS_OPT + 1, 1, 12, 0);
	th_expect_bump(1, b, n, PLEN, 2, 13, 0);
	n = load(ra, b, sizeof b);
	/* every option length of the advertisement */
	static const size_t ra_opts[] = {16, 48, 88, 144, 152, 160, 168};
	for (size_t i = 0; i < sizeof ra_opts / sizeof ra_opts[0]; i++) {
		assert_int_equal(b[ICMP + ra_opts[i] + 1] != 0, 1);
		assert_true(th_bump(1, b, n, ICMP + ra_opts[i] + 1, 1).malformed > 0);
	}
	n = load(mld2_report, b, sizeof b);
	th_expect_bump(1, b, n, MLD + 6, 2, 9, 0);     /* records */
	th_expect_bump(1, b, n, MLD + 8 + 2, 2, 12, 0); /* sources */
	th_expect_bump(1, b, n, MLD + 8 + 1, 1, 12, 0); /* aux length */
	n = load(mld2_query, b, sizeof b);
	th_expect_bump(1, b, n, MLD + 26, 2, 12, 0); /* sources */
	n = load(unreach, b, sizeof b);
	th_expect_bump(1, b, n, PLEN, 2, 11, 0);
}

/* ---- tcpdump -v/-vv/-vvv ------------------------------------------- */

static void test_icmp6_verbose_checksum(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 1)),
			    "[icmp6 sum ok] ICMP6, echo request, id 22945, "
			    "seq 1");
	assert_string_equal(th_after_addrs(th_summary(p)),
			    "ICMP6, echo request, id 22945, seq 1, length 64");
	/* a changed byte: the sum it should have, which then checks */
	b[n - 1] ^= 0x40;
	p = th_dissect(1, b, n, n);
	const char *v = th_after_addrs(th_summary_v(p, 2));
	assert_memory_equal(v, "[bad icmp6 cksum 0xc2ed -> 0x", 29);
	unsigned want = (unsigned)strtoul(v + 29, NULL, 16);
	assert_int_not_equal(want, 0xc2ed);
	b[ICMP + 2] = (uint8_t)(want >> 8);
	b[ICMP + 3] = (uint8_t)want;
	p = th_dissect(1, b, n, n);
	assert_memory_equal(th_after_addrs(th_summary_v(p, 3)), "[icmp6 sum ok] ",
			    15);
	/* not all captured: no checksum text (tcpdump's ND_TTEST_LEN) */
	p = th_dissect(1, b, n - 1, n);
	assert_memory_equal(th_after_addrs(th_summary_v(p, 1)), "ICMP6, echo", 11);
}

static void test_icmp6_verbose_nd(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ra, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	/* tcpdump -vv on the corpus capture, byte for byte */
	assert_string_equal(
		th_after_addrs(th_summary_v(p, 2)),
		"[icmp6 sum ok] ICMP6, router advertisement, length 176\n"
		"\thop limit 64, Flags [home agent], pref medium, router "
		"lifetime 15s, reachable time 0ms, retrans timer 0ms\n"
		"\t  prefix info option (3), length 32 (4): "
		"2222:3333:4444:5555:6600::/72, Flags [onlink, auto], valid "
		"time 2592000s, pref. time 604800s\n"
		"\t    0x0000:  48c0 0027 8d00 0009 3a80 0000 0000 2222\n"
		"\t    0x0010:  3333 4444 5555 6600 0000 0000 0000\n"
		"\t  rdnss option (25), length 40 (5):  lifetime 5s, addr: "
		"abcd::efef addr: 1234:5678::1\n"
		"\t    0x0000:  0000 0000 0005 abcd 0000 0000 0000 0000\n"
		"\t    0x0010:  0000 0000 efef 1234 5678 0000 0000 0000\n"
		"\t    0x0020:  0000 0000 0001\n"
		"\t  dnssl option (31), length 56 (7):  lifetime 5s, "
		"domain(s): example.com. example.org. dom1.dom2.tld.\n"
		"\t    0x0000:  0000 0000 0005 0765 7861 6d70 6c65 0363\n"
		"\t    0x0010:  6f6d 0007 6578 616d 706c 6503 6f72 6700\n"
		"\t    0x0020:  0464 6f6d 3104 646f 6d32 0374 6c64 0000\n"
		"\t    0x0030:  0000 0000 0000\n"
		"\t  mtu option (5), length 8 (1):  100\n"
		"\t    0x0000:  0000 0000 0064\n"
		"\t  source link-address option (1), length 8 (1): "
		"b0:99:28:c8:d6:6c\n"
		"\t    0x0000:  b099 28c8 d66c\n"
		"\t  advertisement interval option (7), length 8 (1):  5000ms\n"
		"\t    0x0000:  0000 0000 1388\n"
		"\t  homeagent information option (8), length 8 (1):  "
		"preference 50001, lifetime 15\n"
		"\t    0x0000:  0000 c351 000f");
	/* -v: no hex; no length at the end, as tcpdump */
	const char *v1 = th_summary_v(p, 1);
	assert_null(strstr(v1, "0x0000"));
	assert_non_null(strstr(v1, "\n\t  mtu option (5), length 8 (1):  100\n"));
	/* the solicitation and the advertisement of pcaps/icmp6-ping.pcap */
	n = load(ns, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 1)),
			    "[icmp6 sum ok] ICMP6, neighbor solicitation, "
			    "length 32, who has fd00:99::2\n"
			    "\t  source link-address option (1), length 8 "
			    "(1): 02:00:00:00:99:01");
	n = load(na, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 3)),
			    "[icmp6 sum ok] ICMP6, neighbor advertisement, "
			    "length 32, tgt is fd00:99::2, Flags [solicited, "
			    "override]\n"
			    "\t  destination link-address option (2), length "
			    "8 (1): 02:00:00:00:99:02\n"
			    "\t    0x0000:  0200 0000 9902");
}

static void test_icmp6_verbose_mld2(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(mld2_query, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 1)),
			    "HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] "
			    "ICMP6, multicast listener query v2 [max resp "
			    "delay=10000] [gaddr :: robustness=2 qqi=60]");
	n = load(mld2_report, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 2)),
			    "HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] "
			    "ICMP6, multicast listener report v2, 2 group "
			    "record(s) [gaddr ff02::1:6 to_ex { }] [gaddr "
			    "ff02::cca6:c0f9:e182:5359 to_ex { }]");
	assert_non_null(strstr(th_summary_v(p, 1),
			       "[gaddr ff02::1:6 to_ex, 0 source(s)]"));
	/* a record count past the message: tcpdump's note, no overread */
	b[MLD + 7] = 200;
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 3),
			       "] [invalid number of groups]"));
	/* sources past the message */
	b[MLD + 7] = 2;
	b[MLD + 11] = 9;
	p = th_dissect(1, b, n, n);
	assert_non_null(
		strstr(th_summary_v(p, 2), " [invalid number of sources 9]"));
}

/* Hostile options: every value of the first option's length, and the
 * messages cut at every length, at -vvv (the helpers read the lines
 * from buffers that end at an unmapped page). */
static void test_icmp6_verbose_hostile(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ns, b, sizeof b);
	for (unsigned v = 0; v < 256; v++) {
		b[NS_OPT + 1] = (uint8_t)v;
		tp_pkt *p = th_dissect(1, b, n, n);
		const char *line = th_summary_v(p, 3);
		/* 0, or longer than the message: tcpdump stops there */
		if (v != 1)
			assert_non_null(strstr(line, "fd00:99::2 [|icmp6]"));
		else
			assert_null(strstr(line, "[|icmp6]"));
	}
	/* where the advertisement's options start (and it ends) */
	static const size_t opt_at[] = {70, 102, 142, 198, 206, 214, 222, 230};
	n = load(ra, b, sizeof b);
	assert_int_equal(n, 230);
	for (size_t cut = ICMP; cut < n; cut++) {
		tp_pkt *p = th_dissect(1, b, cut, n);
		const char *line = th_summary_v(p, 3);
		assert_null(strstr(line, "sum ok"));
		/* cut inside an option: tcpdump's [|icmp6] ends its text;
		 * between two: the options before the cut, no mark */
		bool between = cut < ICMP + 16;
		for (size_t i = 0; i < sizeof opt_at / sizeof opt_at[0]; i++)
			between |= cut == opt_at[i];
		if (cut >= ICMP + 16)
			assert_int_equal(strstr(line, " [|icmp6]") == NULL,
					 between);
	}
	/* each option length of the advertisement bumped */
	for (size_t i = 0; i + 1 < sizeof opt_at / sizeof opt_at[0]; i++) {
		assert_int_not_equal(b[opt_at[i]], 0); /* a type */
		assert_true(th_bump(1, b, n, opt_at[i] + 1, 1).malformed > 0);
	}
}

/* ../shared/corpus/tcpdump/icmpv6-RFC2894-RR.pcap frame 1 (BSD null
 * link): a router renumbering command, one match and one use part. */
static const char rrenum[] =
	"1c 00 00 00 60 00 00 00 00 48 3a 40 20 01 0d b8"
	"00 01 00 00 0a 00 27 ff fe f4 4d cf 20 01 0d b8"
	"00 01 00 00 0a 00 27 ff fe f4 4d cf 8a 00 df 3a"
	"00 00 00 00 00 10 00 00 00 00 00 00 01 07 00 30"
	"00 80 00 00 fe c0 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 30 10 00 00 00 27 8d 00 00 09 3a 80"
	"00 00 00 00 3f fe 05 01 ff fe 00 00 00 00 00 00"
	"00 00 00 00";

/* ../shared/corpus/tcpdump/icmpv6_nodeinfo_replyipv6.pcap frame 1 (raw
 * IPv6): a node addresses reply, three addresses. */
static const char ni_reply[] =
	"60 00 00 00 00 4c 3a 40 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 01 8c 00 4a 14 00 03 00 02"
	"6e 0a 44 c1 68 8e b2 8d 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00"
	"20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
	"00 00 00 00 20 02 0d b8 00 00 00 00 00 00 00 00"
	"00 00 00 01";

/* Router renumbering and node information: tcpdump's text, and every
 * cut and bumped length read at -vvv from guarded buffers. */
static void test_icmp6_verbose_rr_ni(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rrenum, b, sizeof b);
	tp_pkt *p = th_dissect(0, b, n, n);
	assert_string_equal(th_after_addrs(th_summary(p)),
			    "ICMP6, router renumbering, command, seq=0 "
			    "match(add,fec0::/48) use(3ffe:501:fffe::/48/16), "
			    "length 72");
	assert_string_equal(th_after_addrs(th_summary_v(p, 2)),
			    "[icmp6 sum ok] ICMP6, router renumbering, "
			    "command, seq=0[S,seg=0,maxdelay=0]\n"
			    "\tmatch(add,ord=0,min=0,max=128,fec0::/48)\n"
			    "\tuse(mask=0x0,raflags=0x0,vltime=2592000,"
			    "pltime=604800,3ffe:501:fffe::/48/16)");
	/* cut: tcpdump marks it and still gives the length */
	p = th_dissect(0, b, n - 8, n);
	assert_string_equal(strstr(th_summary(p), " match("),
			    " match(add,fec0::/48) [|icmp6], length 72");
	th_every_truncation(0, b, n, 4 + 40 + 8);
	th_expect_bump(0, b, n, 4 + 40 + 17, 1, 0, 0); /* rpm_len */
	for (unsigned v = 0; v < 256; v++) {
		b[4 + 40 + 17] = (uint8_t)v;
		p = th_dissect(0, b, n, n);
		const char *line = th_summary_v(p, 3);
		/* one use part fits: 7 is right, others cut or odd */
		assert_int_equal(strstr(line, "[|icmp6]") == NULL, v == 7 || v == 3);
	}
	n = load(ni_reply, b, sizeof b);
	p = th_dissect(229, b, n, n);
	assert_string_equal(th_after_addrs(th_summary_v(p, 1)),
			    "[icmp6 sum ok] ICMP6, who-are-you reply node "
			    "information reply (success, node addresses "
			    "::1(0) 2001:db8::1(0) 2002:db8::1(0) [A])");
	th_every_truncation(229, b, n, 40 + 8);
	for (size_t cut = 40; cut < n; cut++) {
		p = th_dissect(229, b, cut, n);
		assert_non_null(strstr(th_summary_v(p, 3), "[|icmp6]"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp6_neighbor_solicitation),
		cmocka_unit_test(test_icmp6_neighbor_advertisement),
		cmocka_unit_test(test_icmp6_echo),
		cmocka_unit_test(test_icmp6_bad_checksum),
		cmocka_unit_test(test_icmp6_checksum_final_destination),
		cmocka_unit_test(test_icmp6_router_advertisement),
		cmocka_unit_test(test_icmp6_mld2_query),
		cmocka_unit_test(test_icmp6_mld1),
		cmocka_unit_test(test_icmp6_mld2_report),
		cmocka_unit_test(test_icmp6_mld2_report_past_end),
		cmocka_unit_test(test_icmp6_unreachable),
		cmocka_unit_test(test_icmp6_unreachable_udp_fields),
		cmocka_unit_test(test_icmp6_error_texts),
		cmocka_unit_test(test_icmp6_unreachable_tcp),
		cmocka_unit_test(test_icmp6_quote_cut),
		cmocka_unit_test(test_icmp6_error_in_error),
		cmocka_unit_test(test_icmp6_option_length_zero),
		cmocka_unit_test(test_icmp6_too_many_options),
		cmocka_unit_test(test_icmp6_length_zero),
		cmocka_unit_test(test_icmp6_unknown_type),
		cmocka_unit_test(test_icmp6_truncations),
		cmocka_unit_test(test_icmp6_bumped_lengths),
		cmocka_unit_test(test_icmp6_verbose_checksum),
		cmocka_unit_test(test_icmp6_verbose_nd),
		cmocka_unit_test(test_icmp6_verbose_mld2),
		cmocka_unit_test(test_icmp6_verbose_hostile),
		cmocka_unit_test(test_icmp6_verbose_rr_ni),
	};
	return cmocka_run_group_tests_name("icmp6", tests, NULL, NULL);
}
