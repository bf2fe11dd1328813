/* test_vlan.c - 802.1Q tags, 802.1ad S-tags, stacks and the depth cap. */
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"

/* pcaps/vlan-8021q.pcap frame 1: VLAN 100 carrying an ARP request. */
static const char vlan_arp[] =
	"ff ff ff ff ff ff 02 00 00 00 99 01 81 00 00 64"
	"08 06 00 01 08 00 06 04 00 01 02 00 00 00 99 01"
	"0a 63 00 01 00 00 00 00 00 00 0a 63 00 02";

/* pcaps/vlan-qinq.pcap frame 1: S-tag 200 (priority 3), C-tag 100, ARP. */
static const char qinq_arp[] =
	"ff ff ff ff ff ff 02 00 00 00 99 01 88 a8 60 c8"
	"81 00 00 64 08 06 00 01 08 00 06 04 00 01 02 00"
	"00 00 99 01 0a 63 00 01 00 00 00 00 00 00 0a 63"
	"00 02";

/* The ARP message of both frames above. */
static const char arp_msg[] =
	"00 01 08 00 06 04 00 01 02 00 00 00 99 01"
	"0a 63 00 01 00 00 00 00 00 00 0a 63 00 02";

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

static void test_vlan_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(vlan_arp, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "vlan");
	assert_int_equal(p->layers[li].off, 14);
	assert_int_equal(p->layers[li].len, 4);
	assert_int_equal(th_uint(p, "vlan.id"), 100);
	assert_int_equal(th_uint(p, "vlan.priority"), 0);
	assert_int_equal(th_uint(p, "vlan.dei"), 0);
	assert_int_equal(th_uint(p, "vlan.etype"), 0x0806);
	const tp_field *f = th_field(p, "vlan.id");
	assert_int_equal(f->off, 14);
	assert_int_equal(f->len, 2);
	assert_int_equal(th_field(p, "vlan.etype")->off, 16);
	assert_true(th_has_layer(p, "arp"));
	assert_int_equal(p->nvlan, 1);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
}

static void test_vlan_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(vlan_arp, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	/* without -e tcpdump says nothing of the tag */
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.99.0.2 "
					   "tell 10.99.0.1, length 28");
	assert_string_equal(summary(p, true),
			    "02:00:00:00:99:01 > ff:ff:ff:ff:ff:ff, ethertype "
			    "802.1Q (0x8100), length 46: vlan 100, p 0, "
			    "ethertype ARP (0x0806), Request who-has 10.99.0.2 "
			    "tell 10.99.0.1, length 28");
	/* priority 5 and DEI */
	b[14] = 0xb0;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "vlan.priority"), 5);
	assert_int_equal(th_uint(p, "vlan.dei"), 1);
	assert_int_equal(th_uint(p, "vlan.id"), 100);
	assert_non_null(strstr(summary(p, true),
			       "length 46: vlan 100, p 5, DEI, ethertype ARP "
			       "(0x0806), Request"));
}

static void test_vlan_unknown_type(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(vlan_arp, b, sizeof b);
	b[16] = 0x12;
	b[17] = 0x34;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_layer(p, "data"));
	/* tcpdump prints the Ethernet header with the inner type */
	assert_string_equal(th_summary(p),
			    "02:00:00:00:99:01 > ff:ff:ff:ff:ff:ff, ethertype "
			    "Unknown (0x1234), length 46: ");
	assert_string_equal(summary(p, true),
			    "02:00:00:00:99:01 > ff:ff:ff:ff:ff:ff, ethertype "
			    "802.1Q (0x8100), length 46: vlan 100, p 0, "
			    "ethertype Unknown (0x1234), ");
}

static void test_vlan_qinq(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(qinq_arp, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	/* Wireshark: the S-tag is ieee8021ad, only the C-tag is vlan */
	unsigned ad = th_layer(p, "ieee8021ad");
	unsigned li = th_layer(p, "vlan");
	assert_int_equal(ad + 1, li);
	assert_int_equal(p->layers[ad].off, 14);
	assert_int_equal(p->layers[li].off, 18);
	assert_int_equal(th_uint(p, "ieee8021ad.id"), 200);
	assert_int_equal(th_uint(p, "ieee8021ad.priority"), 3);
	assert_int_equal(th_uint(p, "ieee8021ad.dei"), 0);
	assert_int_equal(th_uint(p, "ieee8021ad.etype"), 0x8100);
	assert_int_equal(th_count(p, "vlan.id"), 1);
	assert_int_equal(th_uint(p, "vlan.id"), 100);
	assert_int_equal(th_uint(p, "vlan.etype"), 0x0806);
	assert_int_equal(p->nvlan, 2);
	assert_true(th_has_layer(p, "arp"));
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.99.0.2 "
					   "tell 10.99.0.1, length 28");
	assert_string_equal(summary(p, true),
			    "02:00:00:00:99:01 > ff:ff:ff:ff:ff:ff, ethertype "
			    "802.1Q-QinQ (0x88a8), length 50: vlan 200, p 3, "
			    "ethertype 802.1Q (0x8100), vlan 100, p 0, "
			    "ethertype ARP (0x0806), Request who-has 10.99.0.2 "
			    "tell 10.99.0.1, length 28");
	/* a 0x9100 outer tag is a vlan tag for Wireshark */
	b[12] = 0x91;
	b[13] = 0x00;
	p = th_dissect(1, b, n, n);
	assert_false(th_has_layer(p, "ieee8021ad"));
	assert_int_equal(th_count(p, "vlan.id"), 2);
	assert_int_equal(th_uint(p, "vlan.id"), 200);
}

static void test_vlan_truncations(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(vlan_arp, b, sizeof b);
	th_every_truncation(1, b, n, n);
	n = th_hex(qinq_arp, b, sizeof b);
	th_every_truncation(1, b, n, n);
	/* cut inside the tag: nothing but the TCI fields that were read */
	tp_pkt *p = th_dissect(1, b, 17, n);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_int_equal(th_uint(p, "ieee8021ad.id"), 200);
	assert_null(th_field(p, "ieee8021ad.etype"));
	p = th_dissect(1, b, 15, n);
	assert_null(th_field(p, "ieee8021ad.id"));
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	/* tcpdump prints no half tag, only "[|vlan]" */
	n = th_hex(vlan_arp, b, sizeof b);
	p = th_dissect(1, b, 17, n);
	assert_int_equal(th_uint(p, "vlan.id"), 100);
	assert_string_equal(summary(p, true),
			    "02:00:00:00:99:01 > ff:ff:ff:ff:ff:ff, ethertype "
			    "802.1Q (0x8100), length 46:  [|vlan]");
}

static void test_vlan_bumped_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(vlan_arp, b, sizeof b);
	th_expect_bump(1, b, n, 14, 2, 0, 0); /* any TCI is valid */
	/* small values are 802.3 lengths: LLC over 0 bytes is malformed */
	th_expect_bump(1, b, n, 16, 2, 4, 0);
	n = th_hex(qinq_arp, b, sizeof b);
	th_expect_bump(1, b, n, 14, 2, 0, 0);
	th_expect_bump(1, b, n, 16, 2, 4, 0);
	th_expect_bump(1, b, n, 20, 2, 4, 0);
}

/* 802.3 length inside the tag: LLC follows, trailing bytes are cut off. */
static void test_vlan_length(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex("ff ff ff ff ff ff 02 00 00 00 99 01 81 00 00 64"
			  "00 0b aa aa 03 00 00 00 12 34 de ad be"
			  "00 00 00 00",
			  b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "vlan.len"), 11);
	assert_null(th_field(p, "vlan.etype"));
	unsigned li = th_layer(p, "llc");
	assert_int_equal(p->layers[li].payload_len, 3);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	/* the length says more than there is */
	b[17] = 0x40;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "vlan.len.past_end"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "llc.dsap"), 0xaa); /* still dissected */
	/* tcpdump -e: "802.3" glued to LLC's text */
	b[17] = 0x0b;
	p = th_dissect(1, b, n, n);
	assert_string_equal(summary(p, true),
			    "02:00:00:00:99:01 > ff:ff:ff:ff:ff:ff, ethertype "
			    "802.1Q (0x8100), length 33: vlan 100, p 0, "
			    "802.3LLC, dsap 0xaa, ssap 0xaa, ctrl 0x03, "
			    "pid 0x1234, length 11");
}

/* Build Ethernet + `tags` 802.1Q tags (VIDs 1, 2, ...) + the ARP message. */
static size_t stack(uint8_t *b, size_t cap, unsigned tags)
{
	size_t n = th_hex("ff ff ff ff ff ff 02 00 00 00 99 01", b, cap);
	for (unsigned i = 0; i < tags; i++) {
		assert_true(n + 4 <= cap);
		b[n++] = 0x81;
		b[n++] = 0x00;
		b[n++] = 0x00;
		b[n++] = (uint8_t)(i + 1);
	}
	b[n++] = 0x08;
	b[n++] = 0x06;
	return n + th_hex(arp_msg, b + n, cap - n);
}

static void test_vlan_depth_cap(void **state)
{
	(void)state;
	uint8_t b[256];
	/* TP_MAX_VLAN tags are fine */
	size_t n = stack(b, sizeof b, TP_MAX_VLAN);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "vlan.id"), TP_MAX_VLAN);
	assert_false(th_has_event(p, "vlan.too_many_tags"));
	assert_true(th_has_layer(p, "arp"));
	/* one more is refused: the rest is data */
	n = stack(b, sizeof b, TP_MAX_VLAN + 1);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "vlan.id"), TP_MAX_VLAN);
	assert_true(th_has_event(p, "vlan.too_many_tags"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_layer(p, "arp"));
	assert_true(th_has_layer(p, "data"));
	assert_int_equal(p->nvlan, TP_MAX_VLAN);
	(void)th_summary(p);
	/* far more tags than layers: still bounded */
	n = stack(b, sizeof b, 50);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "vlan.id"), TP_MAX_VLAN);
	assert_true(th_has_event(p, "vlan.too_many_tags"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vlan_fields),
		cmocka_unit_test(test_vlan_summary),
		cmocka_unit_test(test_vlan_unknown_type),
		cmocka_unit_test(test_vlan_qinq),
		cmocka_unit_test(test_vlan_truncations),
		cmocka_unit_test(test_vlan_bumped_fields),
		cmocka_unit_test(test_vlan_length),
		cmocka_unit_test(test_vlan_depth_cap),
	};
	return cmocka_run_group_tests_name("vlan", tests, NULL, NULL);
}
