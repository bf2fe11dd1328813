/* test_arp.c - ARP / RARP / Inverse ARP / ATM ARP, fields and tcpdump text. */
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"

/* pcaps/arp.pcap frame 1: broadcast request with 16 bytes of padding. */
static const char arp_request[] =
	"ff ff ff ff ff ff 02 00 00 00 99 01 08 06 00 01"
	"08 00 06 04 00 01 02 00 00 00 99 01 0a 63 00 01"
	"00 00 00 00 00 00 0a 63 00 02 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00";

/* pcaps/arp.pcap frame 2: the reply, no padding. */
static const char arp_reply[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 06 00 01"
	"08 00 06 04 00 02 02 00 00 00 99 02 0a 63 00 02"
	"02 00 00 00 99 01 0a 63 00 01";

/* ../shared/corpus/tcpdump/arcnet-rfc1051-arp-icmp-http.pcap frame 1: the
 * ARP message (1-byte ARCNET addresses) behind a made-up Ethernet header,
 * as tapir has no ARCNET link layer. */
static const char arcnet_request[] =
	"ff ff ff ff ff ff 02 00 00 00 99 01 08 06"
	"00 07 08 00 01 04 00 01 be 0a 50 83 01 00 0a 50 83 fe";

/* The same file, frame 2: the reply. */
static const char arcnet_reply[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 06"
	"00 07 08 00 01 04 00 02 50 0a 50 83 fe be 0a 50 83 01";

enum { ETH = 14, HLN = ETH + 4, PLN = ETH + 5, OP = ETH + 6 };

static size_t load(const char *hex, uint8_t *b, size_t cap)
{
	return th_hex(hex, b, cap);
}

static const char *summary(const tp_pkt *p, bool eflag, int vflag)
{
	static char buf[1024];
	tp_sbuf s;
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	o.eflag = eflag;
	o.vflag = vflag;
	tp_sb_init(&s, buf, sizeof buf);
	tp_summary_line(&s, p, &o);
	return tp_sb_cstr(&s);
}

static void test_arp_request_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arp_request, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "arp");
	assert_int_equal(p->layers[li].len, 28);
	/* the padding is Ethernet's, not ARP's payload */
	assert_int_equal(p->layers[li].payload_len, 0);
	assert_int_equal(p->layers[li - 1].payload_len, 44);
	assert_int_equal(p->nlayers, li + 1);
	assert_int_equal(th_uint(p, "arp.hw.type"), 1);
	assert_int_equal(th_uint(p, "arp.proto.type"), 0x0800);
	assert_int_equal(th_uint(p, "arp.hw.size"), 6);
	assert_int_equal(th_uint(p, "arp.proto.size"), 4);
	assert_int_equal(th_uint(p, "arp.opcode"), 1);
	const tp_field *f = th_field(p, "arp.src.hw_mac");
	assert_non_null(f);
	assert_int_equal(f->off, 22);
	assert_int_equal(f->vlen, 6);
	assert_memory_equal(f->v.p, b + 22, 6);
	f = th_field(p, "arp.dst.proto_ipv4");
	assert_non_null(f);
	assert_int_equal(f->off, 38);
	assert_memory_equal(f->v.p, "\x0a\x63\x00\x02", 4);
	assert_non_null(th_field(p, "arp.src.proto_ipv4"));
	assert_non_null(th_field(p, "arp.dst.hw_mac"));
	assert_null(th_field(p, "arp.src.hw"));
	assert_null(th_field(p, "arp.isgratuitous"));
	assert_null(th_field(p, "arp.isprobe"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	/* tcpdump's length is what the link layer handed over: 28 + 16 */
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.99.0.2 "
					   "tell 10.99.0.1, length 44");
}

static void test_arp_reply_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arp_reply, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "arp.opcode"), 2);
	assert_string_equal(th_summary(p), "ARP, Reply 10.99.0.2 is-at "
					   "02:00:00:00:99:02, length 28");
	assert_string_equal(summary(p, true, 0),
			    "02:00:00:00:99:02 > 02:00:00:00:99:01, ethertype "
			    "ARP (0x0806), length 42: Reply 10.99.0.2 is-at "
			    "02:00:00:00:99:02, length 28");
	assert_string_equal(summary(p, false, 1),
			    "ARP, Ethernet (len 6), IPv4 (len 4), Reply "
			    "10.99.0.2 is-at 02:00:00:00:99:02, length 28");
}

static void test_arp_truncations(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arp_reply, b, sizeof b);
	th_every_truncation(1, b, n, n);
	/* a cut message prints nothing of its own, only "[|arp]" */
	tp_pkt *p = th_dissect(1, b, n - 1, n);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_non_null(th_field(p, "arp.dst.hw_mac"));
	assert_null(th_field(p, "arp.dst.proto_ipv4"));
	assert_string_equal(summary(p, true, 0),
			    "02:00:00:00:99:02 > 02:00:00:00:99:01, ethertype "
			    "ARP (0x0806), length 42:  [|arp]");
	n = load(arp_request, b, sizeof b);
	th_every_truncation(1, b, n, ETH + 28);
}

static void test_arp_bumped_sizes(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arp_reply, b, sizeof b);
	th_expect_bump(1, b, n, HLN, 1, 7, 0);
	th_expect_bump(1, b, n, PLN, 1, 7, 0);
	th_expect_bump(1, b, n, OP, 2, 0, 0);
	th_expect_bump(1, b, n, ETH, 2, 0, 0);
	th_expect_bump(1, b, n, ETH + 2, 2, 0, 0);
	/* hln 255: the addresses cannot be there */
	b[HLN] = 255;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "arp.len.past_end"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "arp.hw.size"), 255);
	assert_null(th_field(p, "arp.src.hw"));
	assert_null(th_field(p, "arp.src.proto_ipv4"));
	/* pln 5 on 28 bytes: 8 + 12 + 10 = 30 */
	n = load(arp_reply, b, sizeof b);
	b[PLN] = 5;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "arp.len.past_end"));
	/* ... but with the padding of the request it fits, as bytes */
	n = load(arp_request, b, sizeof b);
	b[PLN] = 5;
	p = th_dissect(1, b, n, n);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	const tp_field *f = th_field(p, "arp.src.proto");
	assert_non_null(f);
	assert_int_equal(f->vlen, 5);
	assert_null(th_field(p, "arp.src.proto_ipv4"));
	assert_string_equal(th_summary(p), "ARP, Ethernet (len 6), IPv4 (len "
					   "5), length 44");
}

static void test_arp_zero_hw_size(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arp_reply, b, sizeof b);
	b[HLN] = 0; /* 8 + 0 + 8: the IPv4 addresses follow the opcode */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_null(th_field(p, "arp.src.hw_mac"));
	assert_null(th_field(p, "arp.src.hw"));
	const tp_field *f = th_field(p, "arp.src.proto_ipv4");
	assert_non_null(f);
	assert_int_equal(f->off, ETH + 8);
	assert_int_equal(p->layers[th_layer(p, "arp")].len, 16);
	assert_string_equal(th_summary(p), "ARP, Ethernet (len 0), IPv4 (len "
					   "4), length 28");
	assert_string_equal(summary(p, false, 1),
			    "ARP, Ethernet (len 0), IPv4 (len 4), Reply "
			    "2.0.0.0 is-at <empty>, length 28");
}

static void test_arp_gratuitous(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arp_request, b, sizeof b);
	b[ETH + 27] = 0x01; /* target IP = sender IP, target MAC zero */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "arp.isgratuitous"), 1);
	assert_int_equal(th_uint(p, "arp.isannouncement"), 1);
	assert_null(th_field(p, "arp.isprobe"));
	assert_int_equal(th_field(p, "arp.isgratuitous")->len, 0);
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.99.0.1 "
					   "tell 10.99.0.1, length 44");
	/* a known target MAC: gratuitous, no announcement, and tcpdump
	 * shows the MAC */
	b[ETH + 18] = 0x02;
	b[ETH + 23] = 0x01;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "arp.isgratuitous"), 1);
	assert_null(th_field(p, "arp.isannouncement"));
	assert_string_equal(th_summary(p),
			    "ARP, Request who-has 10.99.0.1 "
			    "(02:00:00:00:00:01) tell 10.99.0.1, length 44");
	/* a probe: sender IP 0.0.0.0, target MAC zero (RFC 5227) */
	n = load(arp_request, b, sizeof b);
	memset(b + ETH + 14, 0, 4);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "arp.isprobe"), 1);
	assert_null(th_field(p, "arp.isgratuitous"));
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.99.0.2 "
					   "tell 0.0.0.0, length 44");
}

static void test_arp_opcodes(void **state)
{
	(void)state;
	static const struct {
		uint8_t op;
		const char *text;
	} cases[] = {
		{3, "ARP, Reverse Request who-is 02:00:00:00:99:01 tell "
		    "02:00:00:00:99:02, length 28"},
		{4, "ARP, Reverse Reply 02:00:00:00:99:01 at 10.99.0.1, "
		    "length 28"},
		{8, "ARP, Inverse Request who-is 02:00:00:00:99:01 tell "
		    "02:00:00:00:99:02, length 28"},
		{9, "ARP, Inverse Reply 02:00:00:00:99:02 at 10.99.0.2, "
		    "length 28"},
		/* tcpdump dumps these in hex after the name */
		{10, "ARP, NACK Reply "},
		{5, "ARP, Unknown (5) "},
	};
	uint8_t b[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = load(arp_reply, b, sizeof b);
		b[OP + 1] = cases[i].op;
		tp_pkt *p = th_dissect(1, b, n, n);
		assert_int_equal(th_uint(p, "arp.opcode"), cases[i].op);
		assert_string_equal(th_summary(p), cases[i].text);
	}
}

static void test_arp_rarp_ethertype(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arp_reply, b, sizeof b);
	b[12] = 0x80; /* RARP, RFC 903 */
	b[13] = 0x35;
	b[OP + 1] = 3;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_layer(p, "arp"));
	assert_int_equal(th_uint(p, "arp.opcode"), 3);
	/* tcpdump says "ARP, " for RARP too */
	assert_string_equal(th_summary(p),
			    "ARP, Reverse Request who-is 02:00:00:00:99:01 "
			    "tell 02:00:00:00:99:02, length 28");
	assert_string_equal(summary(p, true, 0),
			    "02:00:00:00:99:02 > 02:00:00:00:99:01, ethertype "
			    "Reverse ARP (0x8035), length 42: Reverse Request "
			    "who-is 02:00:00:00:99:01 tell 02:00:00:00:99:02, "
			    "length 28");
}

static void test_arp_arcnet_sizes(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(arcnet_request, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "arp.hw.type"), 7);
	assert_int_equal(th_uint(p, "arp.hw.size"), 1);
	const tp_field *f = th_field(p, "arp.src.hw");
	assert_non_null(f);
	assert_int_equal(f->vlen, 1);
	assert_int_equal(f->v.p[0], 0xbe);
	assert_null(th_field(p, "arp.src.hw_mac"));
	assert_non_null(th_field(p, "arp.dst.proto_ipv4"));
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.80.131.254 "
					   "tell 10.80.131.1, length 18");
	th_every_truncation(1, b, n, n);
	n = load(arcnet_reply, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary(p), "ARP, Reply 10.80.131.254 is-at 50, "
					   "length 18");
}

static void test_arp_frame_relay_dlci(void **state)
{
	(void)state;
	/* hardware type 15 with 2-byte Q.922 addresses (DLCI 16 and 96) */
	uint8_t b[128];
	size_t n = th_hex("ff ff ff ff ff ff 02 00 00 00 99 01 08 06"
			  "00 0f 08 00 02 04 00 01 04 01 0a 63 00 01"
			  "18 01 0a 63 00 02",
			  b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_field(p, "arp.dst.hw")->vlen, 2);
	assert_string_equal(th_summary(p),
			    "ARP, Request who-has 10.99.0.2 (DLCI 96) tell "
			    "10.99.0.1, length 20");
	b[ETH + 7] = 2;
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary(p), "ARP, Reply 10.99.0.1 is-at DLCI "
					   "16, length 20");
}

/* RFC 2225 ATM ARP request with a 20-byte NSAP sender number. */
static const char atmarp_request[] =
	"ff ff ff ff ff ff 02 00 00 00 99 01 08 06"
	"00 13 08 00 14 00 00 01 04 00 00 04"
	"39 3a 3b 3c 3d 3e 3f 40 41 42 43 44 45 46 47 48 49 4a 4b 4c"
	"0a 00 00 01 0a 00 00 02";

static void test_arp_atm(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(atmarp_request, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "arp.hw.type"), 19);
	assert_int_equal(th_uint(p, "arp.src.hlen"), 20);
	assert_int_equal(th_uint(p, "arp.src.htype"), 0);
	assert_int_equal(th_uint(p, "arp.src.pln"), 4);
	assert_int_equal(th_uint(p, "arp.dst.hlen"), 0);
	assert_int_equal(th_field(p, "arp.src.atm_num_nsap")->vlen, 20);
	assert_null(th_field(p, "arp.hw.size"));
	assert_null(th_field(p, "arp.dst.atm_num_nsap"));
	assert_non_null(th_field(p, "arp.dst.proto_ipv4"));
	assert_int_equal(p->layers[th_layer(p, "arp")].len, 40);
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.0.0.2 tell "
					   "10.0.0.1, length 40");
	assert_string_equal(summary(p, false, 1),
			    "ARP, ATM, IPv4 (len 4/4), Request who-has "
			    "10.0.0.2 tell 10.0.0.1, length 40");
	th_every_truncation(1, b, n, n);
	/* the sender number length bumped past the end */
	b[ETH + 4] = 0x3f;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "arp.len.past_end"));
	assert_null(th_field(p, "arp.src.atm_num_nsap"));
	n = th_hex(atmarp_request, b, sizeof b);
	th_expect_bump(1, b, n, ETH + 4, 1, 5, 0);
	th_expect_bump(1, b, n, ETH + 8, 1, 7, 0);
	th_expect_bump(1, b, n, ETH + 11, 1, 7, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_fields),
		cmocka_unit_test(test_arp_reply_summary),
		cmocka_unit_test(test_arp_truncations),
		cmocka_unit_test(test_arp_bumped_sizes),
		cmocka_unit_test(test_arp_zero_hw_size),
		cmocka_unit_test(test_arp_gratuitous),
		cmocka_unit_test(test_arp_opcodes),
		cmocka_unit_test(test_arp_rarp_ethertype),
		cmocka_unit_test(test_arp_arcnet_sizes),
		cmocka_unit_test(test_arp_frame_relay_dlci),
		cmocka_unit_test(test_arp_atm),
	};
	return cmocka_run_group_tests_name("arp", tests, NULL, NULL);
}
