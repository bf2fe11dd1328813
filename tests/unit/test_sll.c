/* test_sll.c - Linux cooked capture v1 (113) and v2 (276).
 *
 * pcaps/sll-any.pcap and pcaps/sll2-any.pcap hold no packets, so the real
 * headers come from ../shared/corpus captures (named at each one). */
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"

enum { LT_SLL = 113, LT_SLL2 = 276 };

/* ../shared/corpus/tcpdump/mptcp-v1.pcap frame 1: incoming, Ethernet
 * source address, IPv4 (a TCP SYN). */
static const char sll_ipv4[] =
	"00 00 00 01 00 06 32 32 87 aa 04 02 00 00 08 00"
	"45 00 00 40 ad 7f 40 00 40 06 76 37 0a 00 01 01"
	"0a 00 02 01 82 1a 27 14 81 fb b5 fd 00 00 00 00"
	"b0 02 ff ff 17 34 00 00 02 04 05 b4 04 02 08 0a"
	"1b af 9e a1 00 00 00 00 01 03 03 08 1e 04 01 01";

/* ../shared/corpus/tcpdump/tcp-handshake-nano.pcap frame 1: the header
 * only (outgoing, PPP, no address). */
static const char sll_ppp_hdr[] =
	"00 04 02 00 00 00 00 00 00 00 00 00 00 00 08 00";

/* ../shared/corpus/fq/pcap_sll2_tcp.pcap frame 1: loopback, ifindex 1. */
static const char sll2_ipv4[] =
	"08 00 00 00 00 00 00 01 03 04 00 06 00 00 00 00"
	"00 00 00 00 45 00 00 3c af 93 40 00 40 06 8d 26"
	"7f 00 00 01 7f 00 00 01 b8 46 04 d2 4e 2a 3f da"
	"00 00 00 00 a0 02 ff d7 fe 30 00 00 02 04 ff d7"
	"04 02 08 0a e4 67 f5 17 00 00 00 00 01 03 03 07";

/* pcaps/arp.pcap frame 1 without its Ethernet header and padding, to
 * follow the cooked headers below (payload that ends at tapir's own
 * dissectors). */
static const char arp_msg[] =
	"00 01 08 00 06 04 00 01 02 00 00 00 99 01"
	"0a 63 00 01 00 00 00 00 00 00 0a 63 00 02";

/* v1 header of the mptcp-v1.pcap frame, made broadcast and ARP. */
static const char sll_arp_hdr[] =
	"00 01 00 01 00 06 02 00 00 00 99 01 00 00 08 06";

/* v2 header of the pcap_sll2_tcp.pcap frame, made ARP, ifindex 7,
 * Ethernet, broadcast. */
static const char sll2_arp_hdr[] =
	"08 06 00 00 00 00 00 07 00 01 01 06 02 00 00 00 99 01 00 00";

static size_t build(uint8_t *b, size_t cap, const char *hdr, const char *pl)
{
	size_t n = th_hex(hdr, b, cap);
	return n + th_hex(pl, b + n, cap - n);
}

static const char *summary(const tp_pkt *p, bool eflag)
{
	static char buf[1024];
	tp_sbuf s;
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	o.eflag = eflag;
	tp_sb_init(&s, buf, sizeof buf);
	tp_summary_line(&s, p, &o);
	return tp_sb_cstr(&s);
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_sll_fields(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = th_hex(sll_ipv4, b, sizeof b);
	tp_pkt *p = th_dissect(LT_SLL, b, n, n);
	unsigned li = th_layer(p, "sll");
	assert_int_equal(p->layers[li].len, 16);
	assert_int_equal(th_uint(p, "sll.pkttype"), 0);
	assert_int_equal(th_uint(p, "sll.hatype"), 1);
	assert_int_equal(th_uint(p, "sll.halen"), 6);
	const tp_field *f = th_field(p, "sll.src.eth");
	assert_non_null(f);
	assert_int_equal(f->off, 6);
	assert_memory_equal(f->v.p, "\x32\x32\x87\xaa\x04\x02", 6);
	f = th_field(p, "sll.unused");
	assert_non_null(f);
	assert_int_equal(f->off, 12);
	assert_int_equal(f->vlen, 2);
	f = th_field(p, "sll.etype");
	assert_non_null(f);
	assert_int_equal(f->off, 14);
	assert_int_equal(f->v.u, 0x0800);
	assert_null(th_field(p, "sll.ltype"));
	assert_null(th_field(p, "sll.ifindex"));
	assert_int_equal(p->layers[li + 1].off, 16);
	/* without -e tcpdump prints the cooked header only when it does not
	 * understand what follows (IPv4 is another file: either may hold) */
	if (p->layers[li + 1].d == &tp_diss_data)
		assert_true(starts(th_summary(p), " In 32:32:87:aa:04:02 "));
	else
		assert_false(starts(th_summary(p), " In"));
	assert_true(starts(summary(p, true), " In 32:32:87:aa:04:02 ethertype "
					     "IPv4 (0x0800), length 80: "));
}

static void test_sll_no_address(void **state)
{
	(void)state;
	uint8_t b[64];
	size_t n = build(b, sizeof b, sll_ppp_hdr, "");
	tp_pkt *p = th_dissect(LT_SLL, b, n, 76);
	assert_int_equal(th_uint(p, "sll.pkttype"), 4);
	assert_int_equal(th_uint(p, "sll.hatype"), 512);
	assert_int_equal(th_uint(p, "sll.halen"), 0);
	assert_null(th_field(p, "sll.src.eth"));
	assert_null(th_field(p, "sll.src.other"));
	assert_int_equal(th_field(p, "sll.unused")->vlen, 8);
	assert_true(starts(summary(p, true),
			   "Out ethertype IPv4 (0x0800), length 76: "));
}

static void test_sll_arp_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = build(b, sizeof b, sll_arp_hdr, arp_msg);
	tp_pkt *p = th_dissect(LT_SLL, b, n, n);
	assert_true(th_has_layer(p, "arp"));
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.99.0.2 "
					   "tell 10.99.0.1, length 28");
	assert_string_equal(summary(p, true),
			    "  B 02:00:00:00:99:01 ethertype ARP (0x0806), "
			    "length 44: Request who-has 10.99.0.2 tell "
			    "10.99.0.1, length 28");
	/* unknown ethertype: tcpdump prints the header even without -e */
	b[14] = 0x12;
	b[15] = 0x34;
	b[1] = 4;
	p = th_dissect(LT_SLL, b, n, n);
	assert_true(th_has_layer(p, "data"));
	assert_string_equal(th_summary(p), "Out 02:00:00:00:99:01 ethertype "
					   "Unknown (0x1234), length 44: ");
}

static void test_sll_truncations(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = build(b, sizeof b, sll_arp_hdr, arp_msg);
	th_every_truncation(LT_SLL, b, n, n);
	tp_pkt *p = th_dissect(LT_SLL, b, 15, n);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_non_null(th_field(p, "sll.src.eth"));
	assert_null(th_field(p, "sll.etype"));
	assert_false(th_has_layer(p, "arp"));
	n = build(b, sizeof b, sll2_arp_hdr, arp_msg);
	th_every_truncation(LT_SLL2, b, n, n);
	p = th_dissect(LT_SLL2, b, 19, n);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_int_equal(th_uint(p, "sll.ifindex"), 7);
	assert_false(th_has_layer(p, "arp"));
}

static void test_sll_bumped_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = build(b, sizeof b, sll_arp_hdr, arp_msg);
	/* the address length only picks the field: never an error */
	th_expect_bump(LT_SLL, b, n, 4, 2, 0, 0);
	th_expect_bump(LT_SLL, b, n, 2, 2, 0, 0);
	n = build(b, sizeof b, sll2_arp_hdr, arp_msg);
	th_expect_bump(LT_SLL2, b, n, 11, 1, 0, 0);
	th_expect_bump(LT_SLL2, b, n, 8, 2, 0, 0);
	th_expect_bump(LT_SLL2, b, n, 4, 4, 0, 0);
	/* halen above the 8-byte slot: 8 address bytes, nothing unused */
	n = build(b, sizeof b, sll_arp_hdr, arp_msg);
	b[5] = 20;
	tp_pkt *p = th_dissect(LT_SLL, b, n, n);
	assert_int_equal(th_field(p, "sll.src.other")->vlen, 8);
	assert_null(th_field(p, "sll.unused"));
	assert_true(th_has_layer(p, "arp"));
	/* 4 bytes on a GRE tunnel: an IPv4 address and a GRE type */
	b[2] = 0x03;
	b[3] = 0x0a;
	b[5] = 4;
	p = th_dissect(LT_SLL, b, n, n);
	assert_int_equal(th_field(p, "sll.src.ipv4")->vlen, 4);
	assert_int_equal(th_field(p, "sll.unused")->vlen, 4);
	assert_int_equal(th_uint(p, "sll.gretype"), 0x0806);
	assert_null(th_field(p, "sll.etype"));
	assert_true(th_has_layer(p, "arp"));
}

static void test_sll_linux_protocols(void **state)
{
	(void)state;
	uint8_t b[128];
	/* ETH_P_802_2: LLC follows (SNAP with an unknown pid here) */
	size_t n = build(b, sizeof b, sll_arp_hdr, "aa aa 03 00 00 00 12 34");
	b[14] = 0x00;
	b[15] = 0x04;
	tp_pkt *p = th_dissect(LT_SLL, b, n, n);
	assert_int_equal(th_uint(p, "sll.ltype"), 4);
	assert_null(th_field(p, "sll.etype"));
	assert_int_equal(th_uint(p, "llc.dsap"), 0xaa);
	assert_true(starts(summary(p, true), "  B 02:00:00:00:99:01 802.2, "
					     "length 24: LLC"));
	/* ETH_P_802_3 (Novell raw IPX): not dissected */
	n = build(b, sizeof b, sll_arp_hdr, arp_msg);
	b[14] = 0x00;
	b[15] = 0x01;
	p = th_dissect(LT_SLL, b, n, n);
	assert_int_equal(th_uint(p, "sll.ltype"), 1);
	assert_true(th_has_layer(p, "data"));
	assert_false(th_has_layer(p, "arp"));
	assert_string_equal(summary(p, true), "  B 02:00:00:00:99:01 802.3, "
					      "length 44: ");
	/* ETH_P_802_3 but 1536 is still a Linux type, as in Wireshark */
	b[14] = 0x06;
	b[15] = 0x00;
	p = th_dissect(LT_SLL, b, n, n);
	assert_int_equal(th_uint(p, "sll.ltype"), 0x0600);
	/* a netlink socket: the protocol is a netlink family */
	n = build(b, sizeof b, sll_arp_hdr, arp_msg);
	b[2] = 0x03;
	b[3] = 0x38;
	p = th_dissect(LT_SLL, b, n, n);
	assert_int_equal(th_uint(p, "sll.hatype"), 824);
	assert_int_equal(th_uint(p, "sll.ltype"), 0x0806);
	assert_false(th_has_layer(p, "arp"));
}

static void test_sll2_fields(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = th_hex(sll2_ipv4, b, sizeof b);
	tp_pkt *p = th_dissect(LT_SLL2, b, n, n);
	unsigned li = th_layer(p, "sll2");
	assert_int_equal(p->layers[li].len, 20);
	const tp_field *f = th_field(p, "sll.etype");
	assert_non_null(f);
	assert_int_equal(f->off, 0);
	assert_int_equal(f->v.u, 0x0800);
	f = th_field(p, "sll.ifindex");
	assert_int_equal(f->off, 4);
	assert_int_equal(f->v.u, 1);
	assert_int_equal(th_uint(p, "sll.hatype"), 772);
	f = th_field(p, "sll.pkttype");
	assert_int_equal(f->off, 10);
	assert_int_equal(f->len, 1);
	assert_int_equal(f->v.u, 0);
	assert_int_equal(th_uint(p, "sll.halen"), 6);
	assert_int_equal(th_field(p, "sll.src.eth")->off, 12);
	assert_int_equal(th_field(p, "sll.unused")->vlen, 2);
	/* tcpdump's interface name is the index here */
	assert_true(starts(th_summary(p), "ifindex 1 In  "));
	assert_true(starts(summary(p, true),
			   "ifindex 1 In  00:00:00:00:00:00 ethertype IPv4 "
			   "(0x0800), length 80: "));
}

static void test_sll2_arp_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = build(b, sizeof b, sll2_arp_hdr, arp_msg);
	tp_pkt *p = th_dissect(LT_SLL2, b, n, n);
	assert_string_equal(th_summary(p), "ifindex 7 B   ARP, Request who-has "
					   "10.99.0.2 tell 10.99.0.1, length "
					   "28");
	assert_string_equal(summary(p, true),
			    "ifindex 7 B   02:00:00:00:99:01 ethertype ARP "
			    "(0x0806), length 48: Request who-has 10.99.0.2 "
			    "tell 10.99.0.1, length 28");
	b[0] = 0x12;
	b[1] = 0x34;
	b[10] = 4;
	p = th_dissect(LT_SLL2, b, n, n);
	assert_string_equal(th_summary(p),
			    "ifindex 7 Out 02:00:00:00:99:01 ethertype Unknown "
			    "(0x1234), length 48: ");
	b[10] = 9;
	p = th_dissect(LT_SLL2, b, n, n);
	assert_true(starts(th_summary(p), "ifindex 7 ?   "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sll_fields),
		cmocka_unit_test(test_sll_no_address),
		cmocka_unit_test(test_sll_arp_summary),
		cmocka_unit_test(test_sll_truncations),
		cmocka_unit_test(test_sll_bumped_fields),
		cmocka_unit_test(test_sll_linux_protocols),
		cmocka_unit_test(test_sll2_fields),
		cmocka_unit_test(test_sll2_arp_summary),
	};
	return cmocka_run_group_tests_name("sll", tests, NULL, NULL);
}
