/* test_eth.c - Ethernet II, 802.3 length + LLC/SNAP. */
#include "helpers.h"

/* A real frame from pcaps/arp.pcap: broadcast ARP request. */
static const char arp_frame[] =
	"ff ff ff ff ff ff 02 00 00 00 99 01 08 06"
	"00 01 08 00 06 04 00 01 02 00 00 00 99 01 0a 63 00 01"
	"00 00 00 00 00 00 0a 63 00 02";

static void test_eth_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(arp_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "eth");
	assert_int_equal(p->layers[li].len, 14);
	assert_int_equal(th_uint(p, "eth.type"), 0x0806);
	const tp_field *src = th_field(p, "eth.src");
	assert_non_null(src);
	assert_int_equal(src->off, 6);
	assert_int_equal(src->vlen, 6);
	assert_memory_equal(src->v.p, b + 6, 6);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

/* eth.addr: hidden, the destination then the source (tshark's order),
 * only in a run that is not lean; a frame cut inside the source has the
 * destination's only. */
static void test_eth_addr(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(arp_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	th_expect_alias_pair(p, "eth.addr", b, b + 6, 6);
	assert_int_equal(th_field(p, "eth.addr")->off, 0);
	p = th_dissect_lean(1, b, n, n);
	assert_int_equal(th_count(p, "eth.addr"), 0);
	assert_int_equal(th_count(p, "eth.src"), 1);
	p = th_dissect(1, b, 10, n);
	assert_int_equal(th_count(p, "eth.addr"), 1);
	assert_memory_equal(th_field(p, "eth.addr")->v.p, b, 6);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
}

static void test_eth_truncations(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(arp_frame, b, sizeof b);
	th_every_truncation(1, b, n, n);
}

/* 802.3 frame with SNAP carrying IPv4 ethertype, and padding after the
 * declared length which must not reach the payload. */
static const char snap_frame[] =
	"01 02 03 04 05 06 0a 0b 0c 0d 0e 0f 00 0b" /* length 11 */
	"aa aa 03 00 00 00 08 06 de ad be"          /* LLC, SNAP, 3 bytes */
	"00 00 00 00 00 00";                        /* padding */

static void test_eth_8023_snap(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(snap_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "eth.len"), 11);
	assert_int_equal(th_field(p, "eth.type"), NULL);
	assert_int_equal(th_uint(p, "llc.dsap"), 0xaa);
	assert_int_equal(th_uint(p, "llc.control"), 0x03);
	assert_int_equal(th_uint(p, "llc.pid"), 0x0806);
	/* the 3 bytes after SNAP are all that is left: padding excluded */
	unsigned li = th_layer(p, "llc");
	assert_int_equal(p->layers[li].len, 8);
	assert_int_equal(p->layers[li].payload_len, 3);
}

static void test_eth_8023_length_past_end(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(snap_frame, b, sizeof b);
	b[13] = 0x40; /* 64 > the 17 bytes after the header */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "eth.len.past_end"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "llc.dsap"), 0xaa); /* still dissected */
	th_expect_bump(1, b, n, 12, 2, 10, 0);
}

static void test_eth_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(snap_frame, b, sizeof b);
	b[20] = 0x12; /* SNAP pid 0x1234: unknown -> LLC prints itself */
	b[21] = 0x34;
	tp_pkt *p = th_dissect(1, b, n, n);
	/* LLC is understood, so without -e the Ethernet header is left
	 * out, as tcpdump does */
	assert_string_equal(th_summary(p), "LLC, dsap 0xaa, ssap 0xaa, "
					   "ctrl 0x03, pid 0x1234, length 11");
}

/* Ethernet inside IPv6 (next header 143, RFC 8986 End.DX2): the frame of
 * ../shared/corpus/tcpdump/ipv6-srh-ipproto-ether.pcap. */
static const char srv6_frame[] =
	"d667194e0f4f bef506094474 86dd 600de027008e2b3f"
	"000a0000000000000000000000000001 000c0000000000000000000000000002"
	"8f02040000000000 000c0000000000000000000000000002"
	"1e1ddfcd547a ae64423b5b9a 86dd 600de02700403a40"
	"000a0000000000000000000000000002 000e0000000000000000000000000002"
	"8000d5f14854053b 9879295f00000000 cf3c0c0000000000"
	"101112131415161718191a1b1c1d1e1f 202122232425262728292a2b2c2d2e2f"
	"3031323334353637";

static void test_eth_in_ipv6(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = th_hex(srv6_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "eth.src"), 2);
	int inner = tp_find_layer(p, "eth", 2);
	assert_true(inner > 0);
	const tp_field *src = tp_layer_find_abbrev(p, (unsigned)inner, "eth.src");
	assert_non_null(src);
	assert_memory_equal(src->v.p, "\xae\x64\x42\x3b\x5b\x9a", 6);
	assert_int_equal(th_uint(p, "icmpv6.type"), 128);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	th_every_truncation(1, b, n, 14 + 40 + 24 + 14 + 40 + 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_fields),
		cmocka_unit_test(test_eth_addr),
		cmocka_unit_test(test_eth_truncations),
		cmocka_unit_test(test_eth_8023_snap),
		cmocka_unit_test(test_eth_8023_length_past_end),
		cmocka_unit_test(test_eth_summary),
		cmocka_unit_test(test_eth_in_ipv6),
	};
	return cmocka_run_group_tests_name("eth", tests, NULL, NULL);
}
