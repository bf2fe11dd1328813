/* test_icmp.c - ICMP messages, the quoted datagram of errors, RFC 4884
 * extensions, and tcpdump's one-line text for each type. */
#include <string.h>

#include "helpers.h"
#include "tapir/capture.h"
#include "tapir/inet.h"

/* pcaps/icmp-ping.pcap frame 3: echo request, id 0x5533, seq 1, ping's
 * struct timeval then 40 pattern bytes; captured at 1795249640.475079. */
static const char echo_request[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 54 b0 d5 40 00 40 01 75 0b 0a 63 00 01 0a 63"
	"00 02 08 00 3b f9 55 33 00 01 e8 55 01 6b 00 00"
	"00 00 b7 3e 07 00 00 00 00 00 10 11 12 13 14 15"
	"16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25"
	"26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35"
	"36 37";

/* pcaps/icmp-ping.pcap frame 4: the echo reply. */
static const char echo_reply[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 00"
	"00 54 d6 c3 00 00 40 01 8f 1d 0a 63 00 02 0a 63"
	"00 01 00 00 43 f9 55 33 00 01 e8 55 01 6b 00 00"
	"00 00 b7 3e 07 00 00 00 00 00 10 11 12 13 14 15"
	"16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25"
	"26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35"
	"36 37";

/* pcaps/icmp-unreach.pcap frame 2: port unreachable from 10.99.0.2,
 * quoting the whole UDP datagram 10.99.0.1:38795 -> 10.99.0.2:9999. */
static const char port_unreach[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 c0"
	"00 51 d8 e0 00 00 40 01 8c 43 0a 63 00 02 0a 63"
	"00 01 03 03 32 47 00 00 00 00 45 00 00 35 7e 7e"
	"40 00 40 11 a7 71 0a 63 00 01 0a 63 00 02 97 8b"
	"27 0f 00 21 14 fb 74 61 70 69 72 3a 20 69 73 20"
	"61 6e 79 62 6f 64 79 20 74 68 65 72 65 3f 0a";

/* pcaps/ipv4-options.pcap frame 10: parameter problem, pointer 22 (the
 * bad timestamp pointer), quoting the echo request. */
static const char param_problem[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 c0"
	"00 56 e1 86 00 00 40 01 83 98 0a 63 00 02 0a 63"
	"00 01 0c 00 dd ff 16 00 00 00 48 00 00 3a 00 01"
	"00 00 40 01 15 ed 0a 63 00 01 0a 63 00 02 44 0c"
	"09 01 00 00 00 00 00 00 00 00 08 00 d1 94 7a 02"
	"00 05 74 61 70 69 72 2d 69 70 76 34 2d 6f 70 74"
	"69 6f 6e 73";

/* tcpdump's tests/icmp-rfc5837.pcap frame 1 (PPP header replaced by an
 * Ethernet one): time exceeded quoting a UDP probe, then an RFC 4884
 * extension structure at 128 bytes into the quote (length field 0, the
 * compatibility rule) holding an RFC 5837 interface object. */
static const char rfc5837[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00"
	"45 00 00 f0 e7 20 40 00 fe 01 7a de 0a 04 00 02"
	"0c 04 04 04 0b 00 cc ff 00 00 00 00 45 00 00 28"
	"a5 51 00 00 01 11 f7 6a 0c 04 04 04 0c 01 01 01"
	"a5 4b 82 a0 00 14 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 20 00 24 6c"
	"00 50 02 0e 00 00 00 0f 00 01 00 00 0a 0a 0a 0a"
	"40 54 68 69 73 2d 69 73 2d 74 68 65 2d 6e 61 6d"
	"65 2d 6f 66 2d 74 68 65 2d 49 6e 74 65 72 66 61"
	"63 65 2d 74 68 61 74 2d 77 65 2d 61 72 65 2d 6c"
	"6f 6f 6b 69 6e 67 2d 66 6f 72 2d 5b 3a 2d 29 5d";

#define IP 14      /* outer IPv4 header */
#define ICMP 34    /* ICMP message (outer header has no options) */
#define QUOTE 42   /* quoted datagram of an error */

static size_t load(const char *hex, uint8_t *b, size_t cap)
{
	return th_hex(hex, b, cap);
}

static const tp_field *nth(const tp_pkt *p, const char *abbrev, int n)
{
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0 && n-- == 0)
			return &p->fields[i];
	return NULL;
}

static void put16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* Recompute the outer IP and the ICMP checksums after an edit;
 * `n` is the frame length. */
static void fix_sums(uint8_t *b, size_t n)
{
	b[IP + 10] = b[IP + 11] = 0;
	put16(b + IP + 10, tp_cksum_fold(tp_cksum_add(0, b + IP, 20)));
	b[ICMP + 2] = b[ICMP + 3] = 0;
	put16(b + ICMP + 2,
	      tp_cksum_fold(tp_cksum_add(0, b + ICMP, n - ICMP)));
}

/* An ICMP message of `m` bytes after the IPv4 header of the echo
 * request's frame, both checksums right.  Returns the frame length. */
static size_t build(uint8_t *b, const uint8_t *msg, size_t m)
{
	size_t n = load(echo_request, b, 256);
	(void)n;
	memcpy(b + ICMP, msg, m);
	put16(b + IP + 2, 20 + m);
	fix_sums(b, ICMP + m);
	return ICMP + m;
}

static void test_icmp_echo_request(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo_request, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "icmp");
	assert_int_equal(p->layers[li].off, ICMP);
	assert_int_equal(th_uint(p, "icmp.type"), 8);
	assert_int_equal(th_uint(p, "icmp.code"), 0);
	assert_int_equal(th_uint(p, "icmp.checksum"), 0x3bf9);
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "icmp.ident"), 0x5533);
	assert_int_equal(th_uint(p, "icmp.ident_le"), 0x3355);
	assert_int_equal(th_uint(p, "icmp.seq"), 1);
	assert_int_equal(th_uint(p, "icmp.seq_le"), 256);
	/* frame time 0: the data does not look like a timestamp */
	assert_null(th_field(p, "icmp.data_time"));
	assert_int_equal(p->layers[li].len, 8);
	assert_int_equal(th_uint(p, "data.len"), 56);
	assert_false(p->in_error);
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p), "IP 10.99.0.1 > 10.99.0.2: ICMP "
					   "echo request, id 21811, seq 1, "
					   "length 64");
}

static void test_icmp_echo_data_timestamp(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo_request, b, sizeof b);
	/* with the capture's own time, ping's struct timeval (little
	 * endian, 64-bit seconds) is found as Wireshark finds it: the low
	 * word as seconds, the high word (0) as microseconds */
	tp_pkt *p = tp_pkt_new();
	assert_non_null(p);
	uint8_t *g = th_guarded(b, n);
	tp_pkthdr h = {1795249640, 475079000, (uint32_t)n, (uint32_t)n, 1, 0};
	tp_dissect(p, 1, &h, g);
	const tp_field *t = th_field(p, "icmp.data_time");
	assert_non_null(t);
	assert_int_equal(t->off, ICMP + 8);
	assert_int_equal(t->len, 8);
	assert_true(t->v.u == 1795249640ull * 1000000000ull);
	const tp_field *r = th_field(p, "icmp.data_time_relative");
	assert_non_null(r);
	assert_int_equal(r->v.i, 475079000);
	assert_int_equal(th_uint(p, "data.len"), 48);
	assert_int_equal(p->layers[th_layer(p, "icmp")].len, 16);
	th_guarded_free(g, n);
	tp_pkt_free(p);
}

static void test_icmp_echo_reply(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo_reply, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.type"), 0);
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_GOOD);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "echo reply, id 21811, seq 1, "
					   "length 64");
}

static void test_icmp_bad_checksum(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(echo_reply, b, sizeof b);
	b[n - 1] ^= 0xff;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_BAD);
	assert_true(th_has_event(p, "icmp.checksum_bad"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	/* not all of it captured: not verified */
	p = th_dissect(1, b, n - 1, n);
	assert_int_equal(th_uint(p, "icmp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
}

static void test_icmp_port_unreachable(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "icmp");
	assert_int_equal(th_uint(p, "icmp.type"), 3);
	assert_int_equal(th_uint(p, "icmp.code"), 3);
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_GOOD);
	const tp_field *u = th_field(p, "icmp.unused");
	assert_non_null(u);
	assert_int_equal(u->vlen, 4);
	assert_int_equal(p->layers[li].len, 8);
	assert_true(p->in_error);
	/* the quoted datagram follows as embedded layers */
	assert_int_equal(li + 1 < p->nlayers, 1);
	const tp_layer *q = &p->layers[li + 1];
	assert_string_equal(q->d->name, "ip");
	assert_int_equal(q->embedded, 1);
	assert_int_equal(q->off, QUOTE);
	assert_false(p->layers[li].embedded);
	assert_int_equal(th_count(p, "ip.src"), 2);
	assert_memory_equal(nth(p, "ip.src", 1)->v.p, b + QUOTE + 12, 4);
	assert_int_equal(nth(p, "ip.proto", 1)->v.u, 17);
	/* tshark leaves the quoted header's checksum unverified */
	assert_int_equal(nth(p, "ip.checksum.status", 1)->v.u,
			 TP_CKSUM_UNVERIFIED);
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "10.99.0.2 udp port 9999 "
					   "unreachable, length 61");
}

static void test_icmp_port_unreachable_udp_fields(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	/* needs the UDP dissector: the quoted ports as tshark shows them */
	assert_true(th_has_layer(p, "udp"));
	assert_int_equal(th_uint(p, "udp.srcport"), 38795);
	assert_int_equal(th_uint(p, "udp.dstport"), 9999);
	assert_true(p->layers[th_layer(p, "udp")].embedded);
}

/* The quote cut to the IP header and 8 bytes (RFC 792's minimum): the
 * quoted total length is more than is there, and that is not an error
 * inside an ICMP error. */
static void test_icmp_quote_cut(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	n = QUOTE + 28;
	put16(b + IP + 2, n - IP);
	fix_sums(b, n);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(nth(p, "ip.len", 1)->v.u, 53);
	assert_false(th_has_event(p, "ip.bogus_ip_length"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "10.99.0.2 udp port 9999 "
					   "unreachable, length 36");
}

static void test_icmp_no_quote(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	n = QUOTE;
	put16(b + IP + 2, n - IP);
	fix_sums(b, n);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmp.quote_missing"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED)); /* tshark: none */
	assert_int_equal(th_count(p, "ip.src"), 1);
	/* tcpdump 4.99.3: the quoted destination is missing */
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.2 > 10.99.0.1:  [|icmp]");
	assert_string_equal(th_summary_v(p, 3),
			    "IP (tos 0xc0, ttl 64, id 55520, offset 0, flags "
			    "[none], proto ICMP (1), length 28)\n    "
			    "10.99.0.2 > 10.99.0.1:  [|icmp]");
}

static void test_icmp_unreachable_codes(void **state)
{
	(void)state;
	static const struct {
		uint8_t code;
		uint16_t mtu;
		const char *text;
	} cases[] = {
		{0, 0, "net 10.99.0.2 unreachable"},
		{1, 0, "host 10.99.0.2 unreachable"},
		{2, 0, "10.99.0.2 protocol 17 unreachable"},
		{4, 1500, "10.99.0.2 unreachable - need to frag (mtu 1500)"},
		{4, 0, "10.99.0.2 unreachable - need to frag"},
		{5, 0, "10.99.0.2 unreachable - source route failed"},
		{9, 0, "net 10.99.0.2 unreachable - admin prohibited"},
		{13, 0, "host 10.99.0.2 unreachable - admin prohibited filter"},
		{15, 0, "host 10.99.0.2 unreachable - precedence cutoff"},
		{99, 0, "10.99.0.2 unreachable - #99"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t b[256];
		size_t n = load(port_unreach, b, sizeof b);
		b[ICMP + 1] = cases[i].code;
		put16(b + ICMP + 6, cases[i].mtu);
		fix_sums(b, n);
		tp_pkt *p = th_dissect(1, b, n, n);
		char want[160] = "IP 10.99.0.2 > 10.99.0.1: ICMP ";
		strcat(want, cases[i].text);
		strcat(want, ", length 61");
		assert_string_equal(th_summary(p), want);
		assert_int_equal(th_uint(p, "icmp.checksum.status"),
				 TP_CKSUM_GOOD);
		if (cases[i].code == 4) {
			assert_int_equal(th_uint(p, "icmp.mtu"), cases[i].mtu);
			assert_int_equal(th_field(p, "icmp.unused")->vlen, 2);
		} else {
			assert_null(th_field(p, "icmp.mtu"));
		}
	}
}

static void test_icmp_other_errors(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	b[ICMP] = 11; /* time exceeded in transit */
	b[ICMP + 1] = 0;
	fix_sums(b, n);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(p->in_error);
	assert_int_equal(th_count(p, "ip.src"), 2);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "time exceeded in-transit, length "
					   "61");
	b[ICMP + 1] = 1;
	fix_sums(b, n);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "ip reassembly time exceeded, "
					   "length 61");

	/* redirect for host to 10.99.0.254: only the header and 64 bits of
	 * the quote are the datagram (Wireshark) */
	b[ICMP] = 5;
	b[ICMP + 1] = 1;
	static const uint8_t gw[4] = {10, 99, 0, 254};
	memcpy(b + ICMP + 4, gw, 4);
	fix_sums(b, n);
	p = th_dissect(1, b, n, n);
	assert_memory_equal(th_field(p, "icmp.redir_gw")->v.p, gw, 4);
	unsigned qi = th_layer(p, "icmp") + 1;
	assert_int_equal(p->layers[qi].payload_len, 8);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "redirect 10.99.0.2 to host "
					   "10.99.0.254, length 61");

	b[ICMP] = 4; /* source quench */
	b[ICMP + 1] = 0;
	fix_sums(b, n);
	p = th_dissect(1, b, n, n);
	assert_true(p->in_error);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "source quench, length 61");
}

static void test_icmp_parameter_problem(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(param_problem, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.type"), 12);
	assert_int_equal(th_uint(p, "icmp.pointer"), 22);
	assert_int_equal(th_field(p, "icmp.unused")->vlen, 3);
	/* the quoted echo request is dissected too, its checksum not
	 * verified inside the error */
	assert_int_equal(th_count(p, "icmp.type"), 2);
	assert_int_equal(nth(p, "icmp.type", 1)->v.u, 8);
	assert_int_equal(nth(p, "icmp.seq", 0)->v.u, 5);
	assert_int_equal(nth(p, "icmp.checksum.status", 1)->v.u,
			 TP_CKSUM_UNVERIFIED);
	assert_int_equal(nth(p, "ip.hdr_len", 1)->v.u, 32);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "parameter problem - octet 22, "
					   "length 66");
	b[ICMP + 1] = 2;
	fix_sums(b, n);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "parameter problem - code 2, "
					   "length 66");
}

/* `levels` ICMP port unreachables, each quoting the next, the last a
 * UDP datagram of 8 bytes (checksums right; the IP ID says the level).
 * The frame's length. */
static size_t nested_errors(uint8_t *b, unsigned levels)
{
	static const uint8_t a1[4] = {10, 99, 0, 1}, a2[4] = {10, 99, 0, 2};
	size_t n = 14 + 20 * (levels + 1) + 8 * levels + 8;
	memset(b, 0, n);
	memcpy(b, "\x02\x00\x00\x00\x99\x01\x02\x00\x00\x00\x99\x02"
		  "\x08\x00", 14);
	/* from the innermost out: UDP 40000 -> 9999, then each IP and ICMP */
	size_t at = n - 8;
	b[at] = 0x9c, b[at + 1] = 0x40, b[at + 2] = 0x27, b[at + 3] = 0x0f;
	b[at + 5] = 8;
	for (unsigned k = 0; k <= levels; k++) {
		at -= 20;
		uint8_t *ip = b + at;
		size_t tl = n - at;
		ip[0] = 0x45;
		ip[2] = (uint8_t)(tl >> 8), ip[3] = (uint8_t)tl;
		ip[5] = (uint8_t)k;
		ip[8] = 64;
		ip[9] = k == 0 ? 17 : 1;
		memcpy(ip + 12, k == levels ? a2 : a1, 4);
		memcpy(ip + 16, a1, 4);
		uint16_t c = tp_cksum_fold(tp_cksum_add(0, ip, 20));
		ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
		if (k == levels)
			break;
		at -= 8;
		uint8_t *ic = b + at;
		ic[0] = 3, ic[1] = 3;
		c = tp_cksum_fold(tp_cksum_add(0, ic, n - at));
		ic[2] = (uint8_t)(c >> 8), ic[3] = (uint8_t)c;
	}
	assert_int_equal(at, 14);
	return n;
}

/* An error quoting an error is followed, as tshark and tcpdump -v
 * follow it, up to TP_MAX_EMBED errors deep. */
static void test_icmp_error_in_error(void **state)
{
	(void)state;
	uint8_t b[512];
	for (unsigned lv = 1; lv <= TP_MAX_EMBED + 2; lv++) {
		size_t n = nested_errors(b, lv);
		tp_pkt *p = th_dissect(1, b, n, n);
		/* the error TP_MAX_EMBED deep is read, its quote is not */
		unsigned icmps = lv <= TP_MAX_EMBED + 1 ? lv : TP_MAX_EMBED + 1;
		unsigned ips = (lv < TP_MAX_EMBED ? lv : TP_MAX_EMBED) + 1;
		assert_int_equal(th_count(p, "icmp.type"), icmps);
		assert_int_equal(th_count(p, "ip.src"), ips);
		assert_int_equal(th_has_layer(p, "udp"), lv <= TP_MAX_EMBED);
		assert_false(th_has_kind(p, TP_EV_MALFORMED));
		assert_int_equal(th_uint(p, "icmp.checksum.status"),
				 TP_CKSUM_GOOD);
		if (lv != 2)
			continue;
		/* tcpdump -v: each quote, nested; the port of a quoted ICMP
		 * is its checksum (tcpdump reads bytes 2-3 of any protocol) */
		const char *v = th_summary_v(p, 1);
		assert_non_null(strstr(v, "ICMP 10.99.0.1 protocol 1 port "));
		assert_non_null(strstr(v, "ICMP 10.99.0.1 udp port 9999 "
					  "unreachable, length 36\n\tIP (tos "
					  "0x0, ttl 64, id 0"));
		assert_non_null(strstr(v, "10.99.0.1.40000 > 10.99.0.1.9999: "
					  "UDP, length 0"));
	}
}

static void test_icmp_rfc4884_extensions(void **state)
{
	(void)state;
	uint8_t b[300];
	size_t n = load(rfc5837, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.type"), 11);
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "icmp.ext.version"), 2);
	assert_int_equal(th_uint(p, "icmp.ext.checksum"), 0x246c);
	assert_int_equal(th_uint(p, "icmp.ext.checksum.status"),
			 TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "icmp.ext.length"), 80);
	assert_int_equal(th_uint(p, "icmp.ext.class"), 2);
	assert_int_equal(th_uint(p, "icmp.ext.ctype"), 14);
	assert_int_equal(th_field(p, "icmp.ext.data")->vlen, 76);
	/* the quote stops where the extensions start; the quoted
	 * datagram itself is 40 bytes */
	unsigned li = th_layer(p, "icmp");
	assert_int_equal(p->layers[li].payload_len, 128);
	assert_string_equal(p->layers[li + 1].d->name, "ip");
	assert_int_equal(p->layers[li + 1].len + p->layers[li + 1].payload_len,
			 40);
	assert_int_equal(nth(p, "ip.dst", 1)->v.p[3], 1); /* 12.1.1.1 */
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_string_equal(th_summary(p), "IP 10.4.0.2 > 12.4.4.4: ICMP "
					   "time exceeded in-transit, length "
					   "220");
	th_every_truncation(1, b, n, n);
	/* the object length */
	th_expect_bump(1, b, n, QUOTE + 132, 2, 12, 0);
}

static void test_icmp_rfc4884_length_field(void **state)
{
	(void)state;
	/* destination unreachable with an RFC 4884 length of 32 words and
	 * an MPLS label stack object (RFC 4950): label 20, S, TTL 255 */
	uint8_t m[8 + 128 + 12] = {3, 3, 0, 0, 0, 32, 0, 0};
	uint8_t b[300];
	size_t n = load(port_unreach, b, sizeof b);
	memcpy(m + 8, b + QUOTE, 28); /* quoted IP header and UDP header */
	put16(m + 8 + 2, 28);  /* quoted total length */
	put16(m + 8 + 24, 8);  /* quoted UDP length */
	static const uint8_t ext[12] = {0x20, 0, 0, 0, 0, 8,
					1,    1, 0, 1, 0x41, 0xff};
	memcpy(m + 8 + 128, ext, 12);
	uint16_t ck = tp_cksum_fold(tp_cksum_add(0, ext, 12));
	put16(m + 8 + 128 + 2, ck);
	n = build(b, m, sizeof m);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.length"), 32);
	assert_int_equal(th_uint(p, "icmp.length.original_datagram"), 128);
	assert_int_equal(th_uint(p, "icmp.ext.checksum.status"),
			 TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "icmp.mpls.label"), 20);
	assert_int_equal(th_uint(p, "icmp.mpls.exp"), 0);
	assert_int_equal(th_uint(p, "icmp.mpls.s"), 1);
	assert_int_equal(th_uint(p, "icmp.mpls.ttl"), 255);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_string_equal(th_summary(p), "IP 10.99.0.1 > 10.99.0.2: ICMP "
					   "10.99.0.2 udp port 9999 "
					   "unreachable, length 148");
	/* an object claiming more than there is */
	b[ICMP + 8 + 128 + 5] = 200;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "icmp.ext.length.invalid"));
	th_expect_bump(1, b, n, ICMP + 5, 1, 9, 0);
}

static void test_icmp_informational_types(void **state)
{
	(void)state;
	static const struct {
		uint8_t msg[24];
		size_t len;
		const char *text;
	} cases[] = {
		{{9, 0, 0, 0, 2, 2, 0x07, 0x08, 10, 99, 0, 1, 0, 0, 0, 0, 10,
		  99, 0, 254, 0xff, 0xff, 0xff, 0xff},
		 24,
		 "router advertisement lifetime 30:00 2: {10.99.0.1 0} "
		 "{10.99.0.254 4294967295}, length 24"},
		{{9, 0, 0, 0, 1, 3, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0},
		 16,
		 "router advertisement lifetime 45 1: [size 3], length 16"},
		{{10, 0, 0, 0, 0, 0, 0, 0}, 8, "router solicitation, length 8"},
		{{13, 0, 0, 0, 0x12, 0x34, 0, 1, 0x03, 0x36, 0x5a, 0x53},
		 20,
		 "time stamp query id 4660 seq 1, length 20"},
		{{14, 0, 0, 0, 0x12, 0x34, 0, 1, 0x03, 0x36, 0x5a, 0x53, 0x03,
		  0x36, 0x5a, 0x54, 0x03, 0x36, 0x5a, 0x58},
		 20,
		 "time stamp reply id 4660 seq 1: org 14:58:13.715, recv "
		 "14:58:13.716, xmit 14:58:13.720, length 20"},
		{{15, 0, 0, 0, 0, 7, 0, 8}, 8, "information request, length 8"},
		{{16, 0, 0, 0, 0, 7, 0, 8}, 8, "information reply, length 8"},
		{{17, 0, 0, 0, 0, 7, 0, 8, 0, 0, 0, 0},
		 12,
		 "address mask request, length 12"},
		{{18, 0, 0, 0, 0, 7, 0, 8, 255, 255, 255, 0},
		 12,
		 "address mask is 0xffffff00, length 12"},
		{{42, 0, 0, 0, 0, 0, 0, 0}, 8, "type-#42, length 8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t b[256];
		size_t n = build(b, cases[i].msg, cases[i].len);
		tp_pkt *p = th_dissect(1, b, n, n);
		char want[200] = "IP 10.99.0.1 > 10.99.0.2: ICMP ";
		strcat(want, cases[i].text);
		assert_string_equal(th_summary(p), want);
		assert_int_equal(th_uint(p, "icmp.checksum.status"),
				 TP_CKSUM_GOOD);
		assert_int_equal(p->nevents, 0);
		th_every_truncation(1, b, n, n);
	}
	/* the fields of the router advertisement and the timestamps */
	uint8_t b[256];
	size_t n = build(b, cases[0].msg, cases[0].len);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.num_addrs"), 2);
	assert_int_equal(th_uint(p, "icmp.addr_entry_size"), 2);
	assert_int_equal(th_uint(p, "icmp.lifetime"), 1800);
	assert_int_equal(th_count(p, "icmp.router_address"), 2);
	assert_int_equal(nth(p, "icmp.pref_level", 1)->v.i, -1);
	n = build(b, cases[4].msg, cases[4].len);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.originate_timestamp"), 53893715);
	assert_int_equal(th_uint(p, "icmp.transmit_timestamp"), 53893720);
	/* a router advertisement claiming more entries than there are */
	n = build(b, cases[0].msg, cases[0].len);
	b[ICMP + 4] = 200;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_count(p, "icmp.router_address"), 2);
}

static void test_icmp_truncations(void **state)
{
	(void)state;
	static const char *const frames[] = {echo_request, echo_reply,
					     port_unreach, param_problem};
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		uint8_t b[256];
		size_t n = load(frames[i], b, sizeof b);
		th_every_truncation(1, b, n, n);
	}
}

static void test_icmp_truncated_summary(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	/* cut inside the quoted IP header */
	tp_pkt *p = th_dissect(1, b, QUOTE + 10, n);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "icmp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	/* tcpdump 4.99.3 cannot read the quoted destination: */
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.2 > 10.99.0.1:  [|icmp]");
	/* cut inside the echo header */
	n = load(echo_request, b, sizeof b);
	p = th_dissect(1, b, ICMP + 6, n);
	assert_int_equal(th_uint(p, "icmp.type"), 8);
	assert_null(th_field(p, "icmp.seq"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2:  [|icmp]"); /* tcpdump */
}

/* tcpdump 4.99.3 -nn -t -v and -vv on pcaps/icmp-unreach.pcap frame 2:
 * the quoted datagram on its own line after "\n\t". */
#define UNREACH_V                                                            \
	"IP (tos 0xc0, ttl 64, id 55520, offset 0, flags [none], proto "     \
	"ICMP (1), length 81)\n    10.99.0.2 > 10.99.0.1: ICMP 10.99.0.2 "    \
	"udp port 9999 unreachable, length 61\n\tIP (tos 0x0, ttl 64, id "   \
	"32382, offset 0, flags [DF], proto UDP (17), length 53)\n    "      \
	"10.99.0.1.38795 > 10.99.0.2.9999: "
static void test_icmp_verbose_quote(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary_v(p, 1), UNREACH_V "UDP, length 25");
	/* the quoted UDP checksum from -vv on (the sender's offloaded one) */
	assert_string_equal(th_summary_v(p, 2),
			    UNREACH_V "[bad udp cksum 0x14fb -> 0x354a!] UDP, "
				      "length 25");
	/* a wrong ICMP checksum: tcpdump's text after the length */
	b[ICMP + 3] ^= 0x10;
	p = th_dissect(1, b, n, n);
	const char *v = th_summary_v(p, 1);
	assert_non_null(strstr(v, "unreachable, length 61 (wrong icmp cksum "
				  "3257 (->3247)!)\n\tIP (tos 0x0"));
	/* not at all without -v */
	assert_null(strstr(th_summary(p), "wrong"));
}

/* Every cut of the quote at -vvv: tcpdump 4.99.3's markers, as its
 * printer meets the missing bytes (checked on captures cut by editcap):
 * the quoted destination and port for the ICMP text, then the whole UDP
 * header for the quoted line. */
static void test_icmp_verbose_every_cut(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	for (size_t cut = ICMP; cut <= n; cut++) {
		tp_pkt *p = th_dissect(1, b, cut, n);
		const char *v = th_summary_v(p, 3);
		size_t k = strlen(v);
		const char *end = cut < QUOTE + 24 ? ":  [|icmp]"
				  : cut < QUOTE + 28 ? ":  [|udp]"
						     : "UDP, length 25";
		assert_true(k >= strlen(end));
		assert_string_equal(v + k - strlen(end), end);
		/* the ICMP text only when the port could be read */
		assert_true((strstr(v, "unreachable") != NULL) ==
			    (cut >= QUOTE + 24));
		/* the checksums only over all of it */
		assert_true((strstr(v, "udp cksum") != NULL) == (cut == n));
		assert_null(strstr(v, "wrong icmp"));
	}
}

static void test_icmp_bumped_lengths(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	/* the outer total length decides how much is ICMP */
	th_expect_bump(1, b, n, IP + 2, 2, 11, 0);
	/* the quoted header: version/length and total length */
	th_expect_bump(1, b, n, QUOTE, 1, 13, 0);
	th_expect_bump(1, b, n, QUOTE + 2, 2, 6, 0);
	/* RFC 4884 length of the original datagram */
	th_expect_bump(1, b, n, ICMP + 5, 1, 7, 0);
	n = load(param_problem, b, sizeof b);
	th_expect_bump(1, b, n, QUOTE, 1, 13, 0);
	th_expect_bump(1, b, n, QUOTE + 21, 1, 9, 0);
}

/* Bumped lengths in the quote at -vvv (th_bump prints every variant):
 * the quoted UDP length past the quoted datagram is tcpdump's "bad
 * length"; the quoted total length decides the quoted UDP's length. */
static void test_icmp_verbose_bumped(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(port_unreach, b, sizeof b);
	put16(b + QUOTE + 24, 4000);
	fix_sums(b, n);
	tp_pkt *p = th_dissect(1, b, n, n);
	const char *v = th_summary_v(p, 3);
	assert_non_null(strstr(v, "\n    10.99.0.1.38795 > 10.99.0.2.9999: "
				  "UDP, bad length 3992 > 25"));
	assert_null(strstr(v, "cksum"));
	n = load(port_unreach, b, sizeof b);
	put16(b + QUOTE + 2, 41); /* 21 bytes of UDP */
	put16(b + QUOTE + 10, 0);
	put16(b + QUOTE + 10, tp_cksum_fold(tp_cksum_add(0, b + QUOTE, 20)));
	fix_sums(b, n);
	p = th_dissect(1, b, n, n);
	v = th_summary_v(p, 1);
	assert_non_null(strstr(v, "proto UDP (17), length 41)\n    10.99.0.1."
				  "38795 > 10.99.0.2.9999: UDP, bad length 25 "
				  "> 13"));
	th_expect_bump(1, b, n, QUOTE + 2, 2, 6, 0);
	/* a quoted UDP length is never flagged (tshark leaves quotes be) */
	th_expect_bump(1, b, n, QUOTE + 24, 2, 0, 0);
	th_expect_bump(1, b, n, QUOTE, 1, 13, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_echo_request),
		cmocka_unit_test(test_icmp_echo_data_timestamp),
		cmocka_unit_test(test_icmp_echo_reply),
		cmocka_unit_test(test_icmp_bad_checksum),
		cmocka_unit_test(test_icmp_port_unreachable),
		cmocka_unit_test(test_icmp_port_unreachable_udp_fields),
		cmocka_unit_test(test_icmp_quote_cut),
		cmocka_unit_test(test_icmp_no_quote),
		cmocka_unit_test(test_icmp_unreachable_codes),
		cmocka_unit_test(test_icmp_other_errors),
		cmocka_unit_test(test_icmp_parameter_problem),
		cmocka_unit_test(test_icmp_error_in_error),
		cmocka_unit_test(test_icmp_rfc4884_extensions),
		cmocka_unit_test(test_icmp_rfc4884_length_field),
		cmocka_unit_test(test_icmp_informational_types),
		cmocka_unit_test(test_icmp_truncations),
		cmocka_unit_test(test_icmp_truncated_summary),
		cmocka_unit_test(test_icmp_bumped_lengths),
		cmocka_unit_test(test_icmp_verbose_quote),
		cmocka_unit_test(test_icmp_verbose_every_cut),
		cmocka_unit_test(test_icmp_verbose_bumped),
	};
	return cmocka_run_group_tests_name("icmp", tests, NULL, NULL);
}
