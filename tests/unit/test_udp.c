/* test_udp.c - UDP: ports, length, checksum, summary, damage. */
#include <string.h>

#include "helpers.h"
#include "tapir/inet.h"
#include "tapir/output.h"

extern const tp_dissector tp_diss_udp;

/* pcaps/udp-nc.pcap frame 1: nc sends "tapir udp datagram 1\n" from
 * 10.99.0.1:40000 to 10.99.0.2:5555.  The checksum was left to the NIC
 * (veth offload): it is the pseudo-header's partial sum, so Offloaded
 * (Wireshark says Bad). */
static const char udp_frame[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 31 0d 0f 40 00 40 11 18 e5 0a 63 00 01 0a 63"
	"00 02 9c 40 15 b3 00 1d 14 f7 74 61 70 69 72 20"
	"75 64 70 20 64 61 74 61 67 72 61 6d 20 31 0a";

/* pcaps/ipv4-options.pcap frame 7: scapy's UDP 10.99.0.1:40002 ->
 * 10.99.0.2:9999 behind IPv4 options (router alert, NOPs, EOL), with a
 * correct checksum. */
static const char udp_opts_frame[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 47 00"
	"00 36 00 01 00 00 40 11 cd e8 0a 63 00 01 0a 63"
	"00 02 94 04 00 00 01 01 01 00 9c 42 27 0f 00 1a"
	"7b 3c 74 61 70 69 72 2d 69 70 76 34 2d 6f 70 74"
	"69 6f 6e 73";

#define UDP_OFF 34     /* udp_frame: 14 Ethernet + 20 IPv4 */
#define UDP_OPTS_OFF 42 /* udp_opts_frame: 14 + 28 */

static size_t load(const char *hex, uint8_t *b, size_t cap)
{
	return th_hex(hex, b, cap);
}

static void set16(uint8_t *b, size_t off, unsigned v)
{
	b[off] = (uint8_t)(v >> 8);
	b[off + 1] = (uint8_t)v;
}

static uint64_t field_at(const tp_pkt *p, const char *abbrev, int nth)
{
	int k = 0;
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0 && k++ == nth)
			return p->fields[i].v.u;
	fail_msg("no field %s #%d", abbrev, nth);
	return 0;
}

static bool has_kind_in(const tp_pkt *p, const char *layer, tp_ev_kind kind)
{
	for (unsigned i = 0; i < p->nevents; i++)
		if (p->events[i].def->kind == kind &&
		    strcmp(p->layers[p->events[i].layer].d->name, layer) == 0)
			return true;
	return false;
}

static void test_udp_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "udp");
	assert_int_equal(p->layers[li].off, UDP_OFF);
	assert_int_equal(p->layers[li].len, 8);
	assert_int_equal(p->layers[li].payload_len, 21);
	assert_int_equal(th_uint(p, "udp.srcport"), 40000);
	assert_int_equal(th_uint(p, "udp.dstport"), 5555);
	/* udp.port: source then destination, for filters */
	assert_int_equal(th_count(p, "udp.port"), 2);
	assert_int_equal(field_at(p, "udp.port", 0), 40000);
	assert_int_equal(field_at(p, "udp.port", 1), 5555);
	assert_int_equal(th_uint(p, "udp.length"), 29);
	const tp_field *ck = th_field(p, "udp.checksum");
	assert_non_null(ck);
	assert_int_equal(ck->v.u, 0x14f7);
	assert_int_equal(ck->off, UDP_OFF + 6);
	assert_int_equal(ck->def->base, TP_BASE_HEX);
	/* offloaded: the NIC would have filled it in; no warning */
	assert_int_equal(th_uint(p, "udp.checksum.status"), TP_CKSUM_OFFLOADED);
	assert_false(th_has_event(p, "udp.checksum.bad"));
	/* the bad checksum is a warning, not damage */
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	/* no application dissector: the payload is data */
	assert_true(th_has_layer(p, "data"));
	assert_int_equal(th_uint(p, "data.len"), 21);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40000 > 10.99.0.2.5555: UDP, length 21");
}

static void test_udp_checksum_good_and_bad(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_opts_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "udp.srcport"), 40002);
	assert_int_equal(th_uint(p, "udp.dstport"), 9999);
	assert_int_equal(th_uint(p, "udp.checksum"), 0x7b3c);
	assert_int_equal(th_uint(p, "udp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "udp.checksum_calculated"), 0x7b3c);
	assert_false(th_has_event(p, "udp.checksum.bad"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40002 > 10.99.0.2.9999: UDP, length 18");

	b[n - 1] ^= 0x01; /* one payload bit */
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "udp.checksum.status"), TP_CKSUM_BAD);
	assert_int_equal(th_uint(p, "udp.checksum_calculated"), 0x7b3d);
	assert_true(th_has_event(p, "udp.checksum.bad"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	b[n - 1] ^= 0x01;

	/* zero over IPv4: no checksum, nothing to verify */
	set16(b, UDP_OPTS_OFF + 6, 0);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "udp.checksum.status"), 3); /* Not present */
	assert_false(th_has_event(p, "udp.checksum.bad"));
	assert_false(th_has_event(p, "udp.checksum.zero"));

	/* a cut payload cannot be verified */
	set16(b, UDP_OPTS_OFF + 6, 0x7b3c);
	p = th_dissect(1, b, n - 1, n);
	assert_int_equal(th_uint(p, "udp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	assert_null(th_field(p, "udp.checksum_calculated"));
}

static void test_udp_truncations(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	th_every_truncation(1, b, n, n);
	n = load(udp_opts_frame, b, sizeof b);
	th_every_truncation(1, b, n, n);
	/* cut inside the header: the fields before the cut stay */
	tp_pkt *p = th_dissect(1, b, UDP_OPTS_OFF + 5, n);
	assert_int_equal(th_uint(p, "udp.srcport"), 40002);
	assert_int_equal(th_uint(p, "udp.dstport"), 9999);
	assert_null(th_field(p, "udp.length"));
	assert_true(has_kind_in(p, "udp", TP_EV_TRUNCATED));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40002 > 10.99.0.2.9999:  [|udp]");
	/* only the checksum missing: tcpdump still says the header is cut */
	p = th_dissect(1, b, UDP_OPTS_OFF + 7, n);
	assert_int_equal(th_uint(p, "udp.length"), 26);
	assert_null(th_field(p, "udp.checksum"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40002 > 10.99.0.2.9999:  [|udp]");
	/* cut inside the ports: the addresses alone */
	p = th_dissect(1, b, UDP_OPTS_OFF + 3, n);
	assert_int_equal(th_uint(p, "udp.srcport"), 40002);
	assert_null(th_field(p, "udp.dstport"));
	assert_string_equal(th_summary(p), "IP 10.99.0.1 > 10.99.0.2:  [|udp]");
}

static void test_udp_length_bumped(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	th_expect_bump(1, b, n, UDP_OFF + 4, 2, 11, 0);

	/* shorter than the header itself */
	set16(b, UDP_OFF + 4, 5);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "udp.length.bad"));
	assert_true(has_kind_in(p, "udp", TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "udp.srcport"), 40000); /* still there */
	assert_int_equal(th_uint(p, "udp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	assert_string_equal(
		th_summary(p),
		"IP 10.99.0.1.40000 > 10.99.0.2.5555: truncated-udplength 5"
		" [malformed udp: Bad length value: less than the 8-byte "
		"header]");

	/* larger than the IP payload: flagged, what is there dissected */
	set16(b, UDP_OFF + 4, 129);
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "udp.length.bad"));
	assert_int_equal(th_uint(p, "udp.length"), 129);
	assert_int_equal(th_uint(p, "data.len"), 21);
	assert_int_equal(th_uint(p, "udp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40000 > 10.99.0.2.5555: UDP, bad "
			    "length 121 > 21 [malformed udp: Bad length "
			    "value: larger than the IP payload]");
	/* tcpdump -vv still sums what the IP datagram holds (its
	 * pseudo-header saying that length): the bumped length field makes
	 * the sum bad, and tcpdump says what it should be */
	const char *vv = th_summary_v(p, 2);
	assert_non_null(strstr(vv, "10.99.0.2.5555: [bad udp cksum 0x"));
	assert_non_null(strstr(vv, "!] UDP, bad length 121 > 21"));

	/* smaller: the payload is clamped, the rest is not UDP's */
	set16(b, UDP_OFF + 4, 20);
	p = th_dissect(1, b, n, n);
	assert_false(th_has_event(p, "udp.length.bad"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	unsigned li = th_layer(p, "udp");
	assert_int_equal(p->layers[li].payload_len, 12);
	assert_int_equal(th_uint(p, "data.len"), 12);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40000 > 10.99.0.2.5555: UDP, length 12");

	/* exactly the header: an empty datagram */
	set16(b, UDP_OFF + 4, 8);
	p = th_dissect(1, b, n, n);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_layer(p, "data"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40000 > 10.99.0.2.5555: UDP, length 0");
}

/* The IP total length leaves less than a UDP header. */
static void test_udp_ip_payload_too_short(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	set16(b, 16, 26); /* IPv4 total length: 6 bytes of UDP */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "udp.srcport"), 40000);
	assert_int_equal(th_uint(p, "udp.length"), 29);
	assert_null(th_field(p, "udp.checksum"));
	assert_true(has_kind_in(p, "udp", TP_EV_MALFORMED));
	assert_false(has_kind_in(p, "udp", TP_EV_TRUNCATED));
	const char *s = th_summary(p);
	assert_true(strncmp(s,
			    "IP 10.99.0.1.40000 > 10.99.0.2.5555: truncated-udp 6",
			    52) == 0);
}

/* A first fragment carries the whole datagram's length: not an error,
 * and the checksum cannot be verified. */
static void test_udp_first_fragment(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	b[20] |= 0x20; /* MF */
	set16(b, UDP_OFF + 4, 129);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_false(th_has_event(p, "udp.length.bad"));
	assert_int_equal(th_uint(p, "udp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40000 > 10.99.0.2.5555: UDP, length 121");
}

static void test_udp_quiet(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	char buf[256];
	tp_sbuf s;
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	o.qflag = true;
	tp_sb_init(&s, buf, sizeof buf);
	tp_summary_line(&s, p, &o);
	assert_string_equal(tp_sb_cstr(&s),
			    "IP 10.99.0.1.40000 > 10.99.0.2.5555: UDP, length 21");
}

/* UDP over IPv6, built from the udp-nc datagram: fd00:99::1.40000 ->
 * fd00:99::2.5555, checksum computed here. */
static size_t ipv6_udp(uint8_t *b, size_t cap, bool with_sum)
{
	static const char hdr[] =
		"02 00 00 00 99 02 02 00 00 00 99 01 86 dd"
		"60 00 00 00 00 1d 11 40"
		"fd 00 00 99 00 00 00 00 00 00 00 00 00 00 00 01"
		"fd 00 00 99 00 00 00 00 00 00 00 00 00 00 00 02"
		"9c 40 15 b3 00 1d 00 00"
		"74 61 70 69 72 20 75 64 70 20 64 61 74 61 67 72"
		"61 6d 20 31 0a";
	size_t n = th_hex(hdr, b, cap);
	if (with_sum) {
		uint32_t s = tp_cksum_pseudo(6, b + 22, b + 38, 17, 29);
		s = tp_cksum_add(s, b + 54, 29);
		uint16_t sum = tp_cksum_fold(s);
		set16(b, 60, sum ? sum : 0xffff);
	}
	return n;
}

static void test_udp_ipv6(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = ipv6_udp(b, sizeof b, true);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "udp.srcport"), 40000);
	assert_int_equal(th_uint(p, "udp.checksum.status"), TP_CKSUM_GOOD);
	assert_string_equal(
		th_summary(p),
		"IP6 fd00:99::1.40000 > fd00:99::2.5555: UDP, length 21");
	th_every_truncation(1, b, n, n);

	/* zero is illegal over IPv6 (RFC 8200 section 8.1) */
	n = ipv6_udp(b, sizeof b, false);
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "udp.checksum.zero"));
	assert_int_equal(th_uint(p, "udp.checksum.status"), 4); /* Illegal */
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

/* Inside an ICMP error the quote is often just the 8-byte header, or
 * less: ports from what is there, no events, nothing else read. */
static tp_pkt *quoted(const uint8_t *b, size_t n, tp_next *nx,
		      tp_status *st)
{
	return th_dissect_quoted(&tp_diss_udp, b, n, nx, st);
}

static void test_udp_in_icmp_error(void **state)
{
	(void)state;
	uint8_t b[128];
	load(udp_frame, b, sizeof b);
	tp_next nx;
	tp_status st;
	tp_pkt *p = quoted(b + UDP_OFF, 8, &nx, &st);
	assert_int_equal(st, TP_OK);
	assert_int_equal(nx.table, TP_TAB_NONE);
	assert_int_equal(th_uint(p, "udp.srcport"), 40000);
	assert_int_equal(th_uint(p, "udp.dstport"), 5555);
	assert_int_equal(th_count(p, "udp.port"), 2);
	assert_int_equal(th_uint(p, "udp.length"), 29);
	assert_int_equal(th_uint(p, "udp.checksum"), 0x14f7);
	assert_null(th_field(p, "udp.checksum.status"));
	assert_int_equal(p->nevents, 0);

	for (size_t cut = 0; cut < 8; cut++) {
		p = quoted(b + UDP_OFF, cut, &nx, &st);
		assert_int_equal(st, TP_OK);
		assert_int_equal(p->nevents, 0);
		assert_int_equal(th_count(p, "udp.srcport"), cut >= 2);
		assert_int_equal(th_count(p, "udp.dstport"), cut >= 4);
		assert_int_equal(th_count(p, "udp.length"), cut >= 6);
		assert_int_equal(th_count(p, "udp.checksum"), 0);
	}
	/* a bogus length in a quote is left alone too */
	set16(b, UDP_OFF + 4, 3);
	p = quoted(b + UDP_OFF, 8, &nx, &st);
	assert_int_equal(p->nevents, 0);
}

/* udp.payload: hidden, the captured bytes after the header up to the
 * UDP length (never the Ethernet padding), none when no byte of them was
 * captured, none in a lean run; a quote's captured part. */
static void test_udp_payload(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	memset(b + n, 0xee, 6); /* padding after the datagram */
	tp_pkt *p = th_dissect(1, b, n + 6, n + 6);
	const tp_field *f = th_field(p, "udp.payload");
	assert_non_null(f);
	assert_true(f->def->base & TP_BASE_HIDDEN);
	assert_int_equal(f->off, UDP_OFF + 8);
	assert_int_equal(f->vlen, 21);
	assert_memory_equal(f->v.p, "tapir udp datagram 1\n", 21);
	assert_int_equal(th_count(p, "udp.payload"), 1);
	p = th_dissect(1, b, UDP_OFF + 13, n);
	assert_int_equal(th_field(p, "udp.payload")->vlen, 5);
	p = th_dissect(1, b, UDP_OFF + 8, n);
	assert_null(th_field(p, "udp.payload"));
	p = th_dissect_lean(1, b, n, n);
	assert_null(th_field(p, "udp.payload"));
	assert_int_equal(th_count(p, "udp.port"), 2);

	tp_next nx;
	tp_status st;
	p = quoted(b + UDP_OFF, 8, &nx, &st);
	assert_null(th_field(p, "udp.payload"));
	p = quoted(b + UDP_OFF, 12, &nx, &st);
	assert_int_equal(th_field(p, "udp.payload")->vlen, 4);
}

/* A layer quoted in an ICMP error is printed by ICMP with -v (tcpdump's
 * udp_print over the quote): its checksum computed at print time from
 * -vv on, a header cut short ending in its own marker. */
static void test_udp_embedded_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(udp_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	p->layers[th_layer(p, "udp")].embedded = 1;
	const char *s = th_summary_v(p, 2);
	assert_non_null(strstr(s, ".40000 > "));
	assert_true(strstr(s, "[udp sum ok] UDP, length") ||
		    strstr(s, "[bad udp cksum 0x"));
	assert_null(strstr(th_summary_v(p, 1), "cksum"));
	p = th_dissect(1, b, UDP_OFF + 6, n);
	p->layers[th_layer(p, "udp")].embedded = 1;
	assert_non_null(strstr(th_summary_v(p, 2), ":  [|udp]"));
}

/* The checksum notice: over IPv4 only from -vv on; "[no cksum]" for a
 * zero one.  The strings are tcpdump 4.99.3's -nn -t -vv. */
static void test_udp_verbose(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(udp_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary_v(p, 1),
			    "IP (tos 0x0, ttl 64, id 3343, offset 0, flags "
			    "[DF], proto UDP (17), length 49)\n    10.99.0.1."
			    "40000 > 10.99.0.2.5555: UDP, length 21");
	assert_string_equal(th_summary_v(p, 2),
			    "IP (tos 0x0, ttl 64, id 3343, offset 0, flags "
			    "[DF], proto UDP (17), length 49)\n    10.99.0.1."
			    "40000 > 10.99.0.2.5555: [bad udp cksum 0x14f7 -> "
			    "0x30b4!] UDP, length 21");
	n = load(udp_opts_frame, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 3), "10.99.0.1.40002 > "
						   "10.99.0.2.9999: [udp sum "
						   "ok] UDP, length 18"));
	n = load(udp_frame, b, sizeof b);
	b[UDP_OFF + 6] = b[UDP_OFF + 7] = 0;
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 2), ": [no cksum] UDP, length"));
	/* cut short: nothing to verify, no notice */
	n = load(udp_frame, b, sizeof b);
	p = th_dissect(1, b, n - 1, n);
	assert_null(strstr(th_summary_v(p, 2), "cksum"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_fields),
		cmocka_unit_test(test_udp_checksum_good_and_bad),
		cmocka_unit_test(test_udp_truncations),
		cmocka_unit_test(test_udp_length_bumped),
		cmocka_unit_test(test_udp_ip_payload_too_short),
		cmocka_unit_test(test_udp_first_fragment),
		cmocka_unit_test(test_udp_quiet),
		cmocka_unit_test(test_udp_ipv6),
		cmocka_unit_test(test_udp_in_icmp_error),
		cmocka_unit_test(test_udp_payload),
		cmocka_unit_test(test_udp_embedded_summary),
		cmocka_unit_test(test_udp_verbose),
	};
	return cmocka_run_group_tests_name("udp", tests, NULL, NULL);
}
