/* test_null.c - BSD loopback: LINKTYPE_NULL (host byte order) and
 * LINKTYPE_LOOP (network byte order). */
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"
#include "tapir/registry.h"

enum { LT_NULL = 0, LT_LOOP = 108 };

/* ../shared/corpus/tcpdump/dns-badcookie.pcap frame 1: AF_INET written
 * little-endian, then an IPv4/UDP DNS query. */
static const char null_ipv4[] =
	"02 00 00 00 45 00 00 44 00 0f 00 00 40 11 00 00"
	"7f 00 00 01 7f 00 00 01 d6 aa 00 35 00 30 fe 43"
	"f6 ab 01 20 00 01 00 00 00 00 00 01 00 00 06 00"
	"01 00 00 29 10 00 00 00 00 00 00 0c 00 0a 00 08"
	"36 bf 11 1f ef 2e 01 09";

/* ../shared/corpus/tcpdump/icmpv6-RFC2894-RR.pcap frame 1, first 48 of
 * 116 bytes: AF_INET6 28 (FreeBSD), then IPv6. */
static const char null_ipv6[] =
	"1c 00 00 00 60 00 00 00 00 48 3a 40 20 01 0d b8"
	"00 01 00 00 0a 00 27 ff fe f4 4d cf 20 01 0d b8"
	"00 01 00 00 0a 00 27 ff fe f4 4d cf 8a 00 df 3a";

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

/* The layer after `li` is whatever the registry has for `ethertype`
 * (IP and IPv6 are other files: this does not depend on them). */
static void assert_handoff(const tp_pkt *p, unsigned li, uint32_t ethertype)
{
	const tp_dissector *d =
		tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, ethertype));
	assert_true(li + 1 < p->nlayers);
	assert_int_equal(p->layers[li + 1].off, p->layers[li].len);
	assert_ptr_equal(p->layers[li + 1].d, d ? d : &tp_diss_data);
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_null_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(null_ipv4, b, sizeof b);
	tp_pkt *p = th_dissect(LT_NULL, b, n, n);
	unsigned li = th_layer(p, "null");
	assert_int_equal(p->layers[li].len, 4);
	const tp_field *f = th_field(p, "null.family");
	assert_non_null(f);
	assert_int_equal(f->v.u, 2);
	assert_int_equal(f->off, 0);
	assert_int_equal(f->len, 4);
	assert_null(th_field(p, "null.type"));
	assert_handoff(p, li, 0x0800);
	/* without -e only when IPv4 is not understood (another file) */
	if (p->layers[li + 1].d == &tp_diss_data)
		assert_string_equal(th_summary(p), "AF IPv4 (2), length 72: ");
	else
		assert_false(starts(th_summary(p), "AF"));
	assert_true(starts(summary(p, true), "AF IPv4 (2), length 72: "));
}

static void test_null_ipv6_families(void **state)
{
	(void)state;
	static const uint8_t families[] = {10, 24, 28, 30};
	uint8_t b[128];
	size_t n = th_hex(null_ipv6, b, sizeof b);
	for (size_t i = 0; i < sizeof families; i++) {
		b[0] = families[i];
		tp_pkt *p = th_dissect(LT_NULL, b, n, 116);
		assert_int_equal(th_uint(p, "null.family"), families[i]);
		assert_handoff(p, th_layer(p, "null"), 0x86dd);
	}
	b[0] = 28;
	tp_pkt *p = th_dissect(LT_NULL, b, n, 116);
	assert_true(starts(summary(p, true), "AF IPv6 (28), length 116: "));
}

static void test_null_byte_orders(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(null_ipv4, b, sizeof b);
	/* written by a big-endian host */
	memcpy(b, "\x00\x00\x00\x02", 4);
	tp_pkt *p = th_dissect(LT_NULL, b, n, n);
	assert_int_equal(th_uint(p, "null.family"), 2);
	assert_handoff(p, th_layer(p, "null"), 0x0800);
	/* 16-bit family in the first two bytes, big-endian (IRIX) */
	memcpy(b, "\x00\x02\x00\x00", 4);
	p = th_dissect(LT_NULL, b, n, n);
	assert_int_equal(th_uint(p, "null.family"), 2);
	/* and little-endian in the upper half */
	memcpy(b, "\x00\x00\x02\x00", 4);
	p = th_dissect(LT_NULL, b, n, n);
	assert_int_equal(th_uint(p, "null.family"), 2);
	/* LINKTYPE_LOOP is always network byte order */
	memcpy(b, "\x00\x00\x00\x02", 4);
	p = th_dissect(LT_LOOP, b, n, n);
	assert_int_equal(th_uint(p, "null.family"), 2);
	assert_handoff(p, th_layer(p, "null"), 0x0800);
	assert_true(starts(summary(p, true), "AF IPv4 (2), length 72: "));
	memcpy(b, "\x02\x00\x00\x00", 4);
	p = th_dissect(LT_LOOP, b, n, n);
	assert_int_equal(th_uint(p, "null.family"), 0x02000000);
	assert_ptr_equal(p->layers[th_layer(p, "null") + 1].d, &tp_diss_data);
}

static void test_null_ethertype(void **state)
{
	(void)state;
	/* A value above 1500 is an ethertype (Wireshark's null.type): here
	 * ARP, with the message of pcaps/arp.pcap frame 1. */
	uint8_t b[128];
	size_t n = th_hex("06 08 00 00"
			  "00 01 08 00 06 04 00 01 02 00 00 00 99 01"
			  "0a 63 00 01 00 00 00 00 00 00 0a 63 00 02",
			  b, sizeof b);
	tp_pkt *p = th_dissect(LT_NULL, b, n, n);
	assert_int_equal(th_uint(p, "null.type"), 0x0806);
	assert_null(th_field(p, "null.family"));
	assert_true(th_has_layer(p, "arp"));
	assert_string_equal(th_summary(p), "ARP, Request who-has 10.99.0.2 "
					   "tell 10.99.0.1, length 28");
}

static void test_null_unknown_family(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(null_ipv4, b, sizeof b);
	b[0] = 7; /* AF_ISO: not dissected, so tcpdump shows the header */
	tp_pkt *p = th_dissect(LT_NULL, b, n, n);
	assert_int_equal(th_uint(p, "null.family"), 7);
	assert_true(th_has_layer(p, "data"));
	assert_string_equal(th_summary(p), "AF ISO (7), length 72: ");
	b[0] = 99;
	p = th_dissect(LT_NULL, b, n, n);
	assert_string_equal(th_summary(p), "AF Unknown (99), length 72: ");
}

static void test_null_truncations(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(null_ipv4, b, sizeof b);
	th_every_truncation(LT_NULL, b, n, 4);
	th_every_truncation(LT_LOOP, b, n, 4);
	for (size_t cut = 0; cut < 4; cut++) {
		tp_pkt *p = th_dissect(LT_NULL, b, cut, n);
		assert_null(th_field(p, "null.family"));
		assert_true(th_has_kind(p, TP_EV_TRUNCATED));
		assert_int_equal(p->nlayers, 2); /* frame, null */
	}
	/* a frame shorter than the header is malformed, not truncated */
	tp_pkt *p = th_dissect(LT_NULL, b, 3, 3);
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
}

static void test_null_bumped_family(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(null_ipv4, b, sizeof b);
	/* any family is valid: only the handoff changes */
	th_expect_bump(LT_NULL, b, n, 0, 4, 0, 0);
	th_expect_bump(LT_LOOP, b, n, 0, 4, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_fields),
		cmocka_unit_test(test_null_ipv6_families),
		cmocka_unit_test(test_null_byte_orders),
		cmocka_unit_test(test_null_ethertype),
		cmocka_unit_test(test_null_unknown_family),
		cmocka_unit_test(test_null_truncations),
		cmocka_unit_test(test_null_bumped_family),
	};
	return cmocka_run_group_tests_name("null", tests, NULL, NULL);
}
