/* test_raw.c - raw IP link types (12, 14, 101, 228, 229): no header, the
 * version nibble picks IPv4 or IPv6. */
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"
#include "tapir/registry.h"

enum {
	LT_DLT_RAW = 12,
	LT_DLT_RAW_OPENBSD = 14,
	LT_RAW = 101,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
};

/* ../shared/corpus/tcpdump/LINKTYPE_RAW_ipv4.pcap frame 1: IPv4/UDP DNS. */
static const char raw_ipv4[] =
	"45 00 00 39 00 01 00 00 40 11 a6 95 c0 a8 01 64"
	"09 09 09 09 30 39 00 35 00 25 19 76 12 34 01 00"
	"00 01 00 00 00 00 00 00 07 65 78 61 6d 70 6c 65"
	"03 63 6f 6d 00 00 01 00 01";

/* ../shared/corpus/tcpdump/LINKTYPE_RAW_ipv6.pcap frame 1 (also the
 * packet of LINKTYPE_IPV4_invalid.pcap, IPv6 under LINKTYPE_IPV4). */
static const char raw_ipv6[] =
	"60 00 00 00 00 25 11 40 20 01 0d b8 00 00 00 00"
	"00 00 00 00 00 00 00 01 26 20 00 fe 00 00 00 00"
	"00 00 00 00 00 00 00 09 30 39 00 35 00 25 98 b3"
	"12 34 01 00 00 01 00 00 00 00 00 00 07 65 78 61"
	"6d 70 6c 65 03 63 6f 6d 00 00 01 00 01";

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

/* The raw layer is empty and the next one is whatever the registry has
 * for `ethertype` (IP and IPv6 are other files: no dependency on them). */
static void assert_raw_then(const tp_pkt *p, uint32_t ethertype)
{
	unsigned li = th_layer(p, "raw");
	assert_int_equal(li, 1);
	assert_int_equal(p->layers[li].len, 0);
	assert_int_equal(p->layers[li].nfields, 0);
	const tp_dissector *d =
		tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, ethertype));
	assert_true(li + 1 < p->nlayers);
	assert_int_equal(p->layers[li + 1].off, 0);
	assert_ptr_equal(p->layers[li + 1].d, d ? d : &tp_diss_data);
}

static void test_raw_versions(void **state)
{
	(void)state;
	static const int lts[] = {LT_DLT_RAW, LT_DLT_RAW_OPENBSD, LT_RAW,
				  LT_IPV4, LT_IPV6};
	uint8_t b4[128], b6[128];
	size_t n4 = th_hex(raw_ipv4, b4, sizeof b4);
	size_t n6 = th_hex(raw_ipv6, b6, sizeof b6);
	for (size_t i = 0; i < sizeof lts / sizeof lts[0]; i++) {
		/* the nibble wins over LINKTYPE_IPV4/IPV6, as in tcpdump
		 * and Wireshark (LINKTYPE_IPV4_invalid.pcap) */
		assert_raw_then(th_dissect(lts[i], b4, n4, n4), 0x0800);
		assert_raw_then(th_dissect(lts[i], b6, n6, n6), 0x86dd);
	}
}

static void test_raw_bad_version(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(raw_ipv4, b, sizeof b);
	b[0] = 0x55;
	/* raw: neither version, so the bytes are data */
	tp_pkt *p = th_dissect(LT_RAW, b, n, n);
	assert_raw_then(p, 0x5555); /* no dissector: data */
	assert_ptr_equal(p->layers[2].d, &tp_diss_data);
	/* LINKTYPE_IPV4 / IPV6: the link type decides, so that the IP
	 * dissector can report the version */
	assert_raw_then(th_dissect(LT_IPV4, b, n, n), 0x0800);
	assert_raw_then(th_dissect(LT_IPV6, b, n, n), 0x86dd);
}

static void test_raw_empty_and_cut(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(raw_ipv4, b, sizeof b);
	/* an empty packet: one empty raw layer, no event */
	tp_pkt *p = th_dissect(LT_RAW, b, 0, 0);
	assert_int_equal(p->nlayers, 2);
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	/* nothing captured of a 57-byte packet: the version byte was cut,
	 * which is a truncation of the raw layer itself */
	p = th_dissect(LT_RAW, b, 0, n);
	assert_false(th_has_layer(p, "ip"));
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	/* one byte is enough to choose */
	p = th_dissect(LT_RAW, b, 1, n);
	assert_raw_then(p, 0x0800);
	th_every_truncation(LT_RAW, b, n, 1);
	n = th_hex(raw_ipv6, b, sizeof b);
	th_every_truncation(LT_IPV6, b, n, 1);
	/* a first byte of any other version is data, never an error */
	th_expect_bump(LT_RAW, b, n, 0, 1, 0, 0);
}

static void test_raw_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(raw_ipv4, b, sizeof b);
	b[0] = 0x15; /* data only, so the line is raw's own */
	tp_pkt *p = th_dissect(LT_RAW, b, n, n);
	/* tcpdump prints "ip: " with -e and nothing otherwise; its ipN_print
	 * names a version that is neither 4 nor 6 */
	assert_string_equal(summary(p, true), "ip: unknown ip 1");
	assert_string_equal(th_summary(p), "unknown ip 1");
	/* LINKTYPE_IPV6 too (tshark's IPv6 layer reports the version) */
	b[0] = 0x35;
	p = th_dissect(LT_IPV6, b, n, n);
	assert_memory_equal(th_summary(p), "unknown ip 3 [malformed ipv6", 28);
	b[0] = 0x45;
	p = th_dissect(LT_RAW, b, n, n);
	assert_int_equal(strncmp(summary(p, true), "ip: ", 4), 0);
	assert_int_not_equal(strncmp(th_summary(p), "ip: ", 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_versions),
		cmocka_unit_test(test_raw_bad_version),
		cmocka_unit_test(test_raw_empty_and_cut),
		cmocka_unit_test(test_raw_summary),
	};
	return cmocka_run_group_tests_name("raw", tests, NULL, NULL);
}
