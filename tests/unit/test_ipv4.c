/* test_ipv4.c - IPv4 header, options, fragments and their reassembly,
 * malformed lengths. */
#include <string.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/inet.h"
#include "tapir/ipfrag.h"
#include "tapir/output.h"

/* pcaps/icmp-ping.pcap frame 3: echo request 10.99.0.1 -> 10.99.0.2,
 * DF set, id 0xb0d5, 56 data bytes. */
static const char ping_frame[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 54 b0 d5 40 00 40 01 75 0b 0a 63 00 01 0a 63"
	"00 02 08 00 3b f9 55 33 00 01 e8 55 01 6b 00 00"
	"00 00 b7 3e 07 00 00 00 00 00 10 11 12 13 14 15"
	"16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25"
	"26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35"
	"36 37";

/* pcaps/tcp-curl-http.pcap frame 1: SYN 10.99.0.1:37350 -> :8000. */
static const char syn_frame[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 3c 7f 14 40 00 40 06 a6 df 0a 63 00 01 0a 63"
	"00 02 91 e6 1f 40 48 0c ab 4d 00 00 00 00 a0 02"
	"fa f0 14 f7 00 00 02 04 05 b4 04 02 08 0a 0c 5d"
	"d9 a7 00 00 00 00 01 03 03 0a";

/* pcaps/ipv4-options.pcap frame 1: Record Route with 8 empty slots
 * (length 35, pointer 4) and EOL; header length 56. */
static const char rr_request[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 4e 00"
	"00 52 00 01 00 00 40 01 51 bf 0a 63 00 01 0a 63"
	"00 02 07 23 04 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 08 00 d1 98 7a 02 00 01 74 61"
	"70 69 72 2d 69 70 76 34 2d 6f 70 74 69 6f 6e 73";

/* pcaps/ipv4-options.pcap frame 2: the reply, two addresses recorded
 * (pointer 12). */
static const char rr_reply[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 4e 00"
	"00 52 e1 12 00 00 40 01 9e 98 0a 63 00 02 0a 63"
	"00 01 07 23 0c 0a 63 00 02 0a 63 00 02 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 d9 98 7a 02 00 01 74 61"
	"70 69 72 2d 69 70 76 34 2d 6f 70 74 69 6f 6e 73";

/* pcaps/ipv4-options.pcap frame 4: Timestamp, timestamps only, 3 slots
 * (two filled). */
static const char ts_reply[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 49 00"
	"00 3e e1 1c 00 00 40 01 68 a8 0a 63 00 02 0a 63"
	"00 01 44 10 0d 00 01 d0 e1 c0 01 d0 e1 c0 00 00"
	"00 00 00 00 d9 97 7a 02 00 02 74 61 70 69 72 2d"
	"69 70 76 34 2d 6f 70 74 69 6f 6e 73";

/* pcaps/ipv4-options.pcap frame 6: Timestamp with addresses, both
 * filled in by 10.99.0.2. */
static const char ts_addr_reply[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 4a 00"
	"00 42 e1 1e 00 00 40 01 48 fb 0a 63 00 02 0a 63"
	"00 01 44 14 15 01 0a 63 00 02 01 d0 e2 ac 0a 63"
	"00 02 01 d0 e2 ac 00 00 d9 96 7a 02 00 03 74 61"
	"70 69 72 2d 69 70 76 34 2d 6f 70 74 69 6f 6e 73";

/* pcaps/ipv4-options.pcap frame 5: Timestamp with addresses + NOP x3 +
 * EOL. */
static const char ts_nop_request[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 4b 00"
	"00 46 00 01 00 00 40 01 14 d8 0a 63 00 01 0a 63"
	"00 02 44 14 05 01 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 01 01 01 00 08 00 d1 96 7a 02"
	"00 03 74 61 70 69 72 2d 69 70 76 34 2d 6f 70 74"
	"69 6f 6e 73";

/* pcaps/ipv4-options.pcap frame 8: port unreachable quoting a UDP
 * datagram whose header carries Router Alert + NOP x3 + EOL. */
static const char ra_quoted[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 c0"
	"00 52 e1 4f 00 00 40 01 83 d3 0a 63 00 02 0a 63"
	"00 01 03 03 11 f1 00 00 00 00 47 00 00 36 00 01"
	"00 00 40 11 cd e8 0a 63 00 01 0a 63 00 02 94 04"
	"00 00 01 01 01 00 9c 42 27 0f 00 1a 7b 3c 74 61"
	"70 69 72 2d 69 70 76 34 2d 6f 70 74 69 6f 6e 73";

/* pcaps/ipv4-frag.pcap frame 3: last fragment (offset 370 * 8 = 2960,
 * MF clear) of a 3008-byte echo request. */
static const char last_frag[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 44 b4 d5 01 72 40 01 af a9 0a 63 00 01 0a 63"
	"00 02 88 89 8a 8b 8c 8d 8e 8f 90 91 92 93 94 95"
	"96 97 98 99 9a 9b 9c 9d 9e 9f a0 a1 a2 a3 a4 a5"
	"a6 a7 a8 a9 aa ab ac ad ae af b0 b1 b2 b3 b4 b5"
	"b6 b7";

/* pcaps/ipv4-frag.pcap frame 1 (1514 bytes on the wire), its first 100
 * bytes: first fragment, MF set, offset 0. */
static const char first_frag[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"05 dc b4 d5 20 00 40 01 8b 83 0a 63 00 01 0a 63"
	"00 02 08 00 4c 2e 6d f6 00 01 fc 55 01 6b 00 00"
	"00 00 58 6b 08 00 00 00 00 00 10 11 12 13 14 15"
	"16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25"
	"26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35"
	"36 37 38 39";

#define IP 14 /* the IPv4 header starts after Ethernet */

static size_t load(const char *hex, uint8_t *b, size_t cap)
{
	return th_hex(hex, b, cap);
}

/* The occurrence `n` (0-based) of a field. */
static const tp_field *nth(const tp_pkt *p, const char *abbrev, int n)
{
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0 && n-- == 0)
			return &p->fields[i];
	return NULL;
}

static void assert_addr(const tp_field *f, uint8_t a, uint8_t b, uint8_t c,
			uint8_t d)
{
	assert_non_null(f);
	assert_int_equal(f->vlen, 4);
	const uint8_t want[4] = {a, b, c, d};
	assert_memory_equal(f->v.p, want, 4);
}

/* Recompute the header checksum after an edit. */
static void fix_cksum(uint8_t *b, size_t hl)
{
	b[IP + 10] = b[IP + 11] = 0;
	uint16_t ck = tp_cksum_fold(tp_cksum_add(0, b + IP, hl));
	b[IP + 10] = (uint8_t)(ck >> 8);
	b[IP + 11] = (uint8_t)ck;
}

static void test_ipv4_header_fields(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "ip");
	assert_int_equal(p->layers[li].off, 14);
	assert_int_equal(p->layers[li].len, 20);
	assert_int_equal(p->layers[li].payload_len, 64);
	assert_int_equal(th_uint(p, "ip.version"), 4);
	assert_int_equal(th_uint(p, "ip.hdr_len"), 20);
	assert_int_equal(th_uint(p, "ip.dsfield"), 0);
	assert_int_equal(th_uint(p, "ip.dsfield.dscp"), 0);
	assert_int_equal(th_uint(p, "ip.dsfield.ecn"), 0);
	assert_int_equal(th_uint(p, "ip.len"), 84);
	assert_int_equal(th_uint(p, "ip.id"), 0xb0d5);
	assert_int_equal(th_uint(p, "ip.flags"), 2); /* DF: 0x40 >> 5 */
	assert_int_equal(th_uint(p, "ip.flags.rb"), 0);
	assert_int_equal(th_uint(p, "ip.flags.df"), 1);
	assert_int_equal(th_uint(p, "ip.flags.mf"), 0);
	assert_int_equal(th_uint(p, "ip.frag_offset"), 0);
	assert_int_equal(th_uint(p, "ip.ttl"), 64);
	assert_int_equal(th_uint(p, "ip.proto"), 1);
	assert_int_equal(th_uint(p, "ip.checksum"), 0x750b);
	assert_int_equal(th_uint(p, "ip.checksum.status"), TP_CKSUM_GOOD);
	const tp_field *src = th_field(p, "ip.src");
	assert_addr(src, 10, 99, 0, 1);
	assert_int_equal(src->off, IP + 12);
	assert_addr(th_field(p, "ip.dst"), 10, 99, 0, 2);
	/* nested fields sit one level below their parent */
	assert_int_equal(th_field(p, "ip.flags.df")->level,
			 th_field(p, "ip.flags")->level + 1);
	assert_int_equal(th_field(p, "ip.dsfield.dscp")->level, 1);
	/* the addresses for the layers above */
	const tp_netaddr *a = &p->layers[li].addr;
	assert_int_equal(a->family, 4);
	assert_memory_equal(a->src, b + IP + 12, 4);
	assert_memory_equal(a->dst, b + IP + 16, 4);
	assert_true(th_has_layer(p, "icmp"));
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p), "IP 10.99.0.1 > 10.99.0.2: ICMP "
					   "echo request, id 21811, seq 1, "
					   "length 64");
}

static void test_ipv4_dscp_ecn(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	b[IP + 1] = 0xbb; /* EF (46) and CE (3) */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.dsfield"), 0xbb);
	assert_int_equal(th_uint(p, "ip.dsfield.dscp"), 46);
	assert_int_equal(th_uint(p, "ip.dsfield.ecn"), 3);
	/* the header changed: its checksum no longer verifies, and that
	 * is not a malformed packet (offload makes it common) */
	assert_int_equal(th_uint(p, "ip.checksum.status"), TP_CKSUM_BAD);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_true(th_has_layer(p, "icmp"));
}

static void test_ipv4_tcp_prints_addresses_itself(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(syn_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.proto"), 6);
	assert_int_equal(th_uint(p, "ip.flags.df"), 1);
	assert_int_equal(th_uint(p, "ip.checksum.status"), TP_CKSUM_GOOD);
	unsigned li = th_layer(p, "ip");
	assert_int_equal(p->layers[li].payload_len, 40);
	/* IP says "IP " and leaves the addresses to TCP */
	const char *s = th_summary(p);
	assert_true(strncmp(s, "IP ", 3) == 0);
	assert_null(strstr(s, "10.99.0.1 > 10.99.0.2:"));
}

static void test_ipv4_padding_excluded(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(syn_frame, b, sizeof b);
	/* a short frame padded to the Ethernet minimum: 60 bytes would not
	 * be enough here, so pad with 6 junk bytes */
	memset(b + n, 0xee, 6);
	tp_pkt *p = th_dissect(1, b, n + 6, n + 6);
	unsigned li = th_layer(p, "ip");
	assert_int_equal(p->layers[li].payload_len, 40);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_layer(p, "data"));
}

/* A lean run's record (the one-line text only: no DSCP/ECN, no flag
 * bits) prints what the whole record prints, at -v too, for each frame
 * and with the flags and TOS bytes set every way. */
static void lean_line(const uint8_t *b, size_t n, bool lean, char *out,
		      size_t cap, unsigned *nf)
{
	tp_pkt *p = th_dissect(1, b, n, n);
	p->lean = lean;
	p = th_dissect(1, b, n, n);
	*nf = p->nfields;
	snprintf(out, cap, "%s|%s|%u", th_summary(p), th_summary_v(p, 1),
		 p->nevents);
	p->lean = false;
}

static void test_ipv4_lean(void **state)
{
	(void)state;
	static const char *const frames[] = {
		ping_frame, syn_frame, rr_request, ts_reply, ra_quoted,
		last_frag,
	};
	char a[2048], l[2048];
	unsigned na, nl;
	for (size_t i = 0; i < TP_COUNT(frames); i++) {
		uint8_t b[256];
		size_t n = load(frames[i], b, sizeof b);
		for (unsigned v = 0; v < 8; v++) {
			b[14 + 1] = (uint8_t)(v * 0x23);     /* TOS */
			b[14 + 6] = (uint8_t)(v << 5 | (b[14 + 6] & 0x1f));
			lean_line(b, n, false, a, sizeof a, &na);
			lean_line(b, n, true, l, sizeof l, &nl);
			assert_string_equal(a, l);
			assert_true(nl < na);
		}
	}
}

static void test_ipv4_truncations(void **state)
{
	(void)state;
	static const char *const frames[] = {
		ping_frame, syn_frame, rr_request, rr_reply, ts_reply,
		ts_addr_reply, ts_nop_request, ra_quoted, last_frag,
	};
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		uint8_t b[256];
		size_t n = load(frames[i], b, sizeof b);
		th_every_truncation(1, b, n, n);
	}
}

static void test_ipv4_truncated_header_summary(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, IP + 12, n);
	assert_true(th_has_kind(p, TP_EV_TRUNCATED));
	assert_int_equal(th_uint(p, "ip.ttl"), 64); /* read before the cut */
	assert_null(th_field(p, "ip.src"));
	assert_int_equal(th_uint(p, "ip.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	assert_string_equal(th_summary(p), "IP  [|ip]"); /* as tcpdump */
	/* the same 12 bytes as the whole packet (not cut by the capture:
	 * malformed, not truncated): tcpdump says the same */
	p = th_dissect(1, b, IP + 12, IP + 12);
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_true(strncmp(th_summary(p), "IP  [|ip] [malformed ip", 23) == 0);
}

static void test_ipv4_bumped_lengths(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	/* version/header length byte: most values are bogus */
	th_expect_bump(1, b, n, IP, 1, 13, 0);
	/* total length: 0 is TSO, too small and too big are flagged */
	th_expect_bump(1, b, n, IP + 2, 2, 11, 0);
	n = load(rr_request, b, sizeof b);
	th_expect_bump(1, b, n, IP, 1, 12, 0);
	th_expect_bump(1, b, n, IP + 2, 2, 11, 0);
	/* option length and pointer */
	th_expect_bump(1, b, n, IP + 21, 1, 7, 0);
	th_expect_bump(1, b, n, IP + 22, 1, 0, 0);
	n = load(ts_nop_request, b, sizeof b);
	th_expect_bump(1, b, n, IP + 21, 1, 8, 0);
	th_expect_bump(1, b, n, IP + 22, 1, 0, 0);
	n = load(ra_quoted, b, sizeof b);
	/* the quoted header inside the ICMP error */
	th_expect_bump(1, b, n, IP + 28, 1, 11, 0);
	th_expect_bump(1, b, n, IP + 30, 2, 6, 0);
	th_expect_bump(1, b, n, IP + 49, 1, 12, 0);
}

static void test_ipv4_bad_version(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	b[IP] = 0x55;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.bogus_ip_version"));
	assert_int_equal(th_uint(p, "ip.version"), 5);
	assert_false(th_has_layer(p, "icmp"));
	assert_string_equal(th_summary(p),
			    "IP5 [malformed ip: Bogus IPv4 version (must be "
			    "4)]");
	/* an IPv6 packet under the IPv4 ethertype goes to IPv6 */
	b[IP] = 0x60;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.bogus_ip_version"));
	assert_true(th_has_layer(p, "ipv6"));
	assert_int_equal(p->layers[th_layer(p, "ipv6")].off, IP);
}

static void test_ipv4_bogus_header_length(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	b[IP] = 0x44; /* 16 bytes */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.bogus_header_length"));
	assert_int_equal(th_uint(p, "ip.hdr_len"), 16);
	assert_null(th_field(p, "ip.src"));
	assert_false(th_has_layer(p, "icmp"));
	assert_string_equal(th_summary(p),
			    "IP bad-hlen 16 [malformed ip: Bogus IPv4 header "
			    "length (must be at least 20)]");
}

static void test_ipv4_total_length_below_header(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	b[IP + 2] = 0;
	b[IP + 3] = 19;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.bogus_ip_length"));
	assert_int_equal(th_uint(p, "ip.len"), 19);
	assert_false(th_has_layer(p, "icmp"));
	assert_string_equal(th_summary(p),
			    "IP bad-len 19 [malformed ip: Bogus IPv4 total "
			    "length (less than the header length)]");
}

static void test_ipv4_total_length_past_frame(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	b[IP + 2] = 0;
	b[IP + 3] = 200; /* 116 more than the 84 there are */
	fix_cksum(b, 20);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.bogus_ip_length"));
	assert_int_equal(th_uint(p, "ip.checksum.status"), TP_CKSUM_GOOD);
	/* what is there is still dissected */
	assert_int_equal(th_uint(p, "icmp.type"), 8);
	assert_int_equal(th_uint(p, "icmp.seq"), 1);
	assert_string_equal(
		th_summary(p),
		"IP truncated-ip - 116 bytes missing! 10.99.0.1 > 10.99.0.2: "
		"ICMP echo request, id 21811, seq 1, length 180 [malformed ip: "
		"IPv4 total length exceeds packet length]");
}

static void test_ipv4_total_length_zero_tso(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(syn_frame, b, sizeof b);
	b[IP + 2] = b[IP + 3] = 0;
	tp_pkt *p = th_dissect(1, b, n, n);
	/* Wireshark's TSO rule: the frame gives the length */
	assert_true(th_has_event(p, "ip.len.tso"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "ip.len"), 60);
	assert_true(th_has_layer(p, "tcp"));
	assert_string_equal(th_summary(p), "IP bad-len 0"); /* tcpdump */
}

/* tcpdump's tests/ip_ts_opts_asan.pcap: a TS+ADDR timestamp option of
 * length 14 (one entry and a cut one) ending the captured header:
 * tcpdump -v prints the entry, " [truncated-option]" after it (no
 * separator for the cut entry) and stops the line at " [|ip]". */
static void test_ipv4_ts_option_cut(void **state)
{
	(void)state;
	uint8_t b[64];
	size_t n = load("000cfff900ffc075c08e999d080049e2ff270020e0000001a09b"
			"950821515f1253e3440e050100003470494220020105f513",
			b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	const char *v = th_summary_v(p, 1);
	assert_non_null(strstr(v, "TS+ADDR ^ 1229070338@0.0.52.112 "
				  "[truncated-option])"));
	assert_non_null(strstr(v, "\n    149.8.33.81 > 95.18.83.227:  [|ip]"));
	assert_null(strstr(v, "[|icmp]"));
}

static void test_ipv4_options_record_route(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rr_request, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "ip");
	assert_int_equal(p->layers[li].len, 56);
	assert_int_equal(th_uint(p, "ip.hdr_len"), 56);
	assert_int_equal(th_uint(p, "ip.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_count(p, "ip.opt.type"), 2);
	assert_int_equal(nth(p, "ip.opt.type", 0)->v.u, 7);
	assert_int_equal(nth(p, "ip.opt.type", 1)->v.u, 0);
	assert_int_equal(th_uint(p, "ip.opt.type.number"), 7);
	assert_int_equal(th_uint(p, "ip.opt.type.class"), 0);
	assert_int_equal(th_uint(p, "ip.opt.type.copy"), 0);
	assert_int_equal(th_uint(p, "ip.opt.len"), 35);
	assert_int_equal(th_uint(p, "ip.opt.ptr"), 4);
	assert_int_equal(th_count(p, "ip.empty_rt"), 8);
	assert_int_equal(th_count(p, "ip.rec_rt"), 0);
	assert_int_equal(th_field(p, "ip.opt.type")->level, 0);
	assert_int_equal(th_field(p, "ip.opt.len")->level, 1);
	assert_int_equal(th_count(p, "ip.dst"), 1);
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p), "IP 10.99.0.1 > 10.99.0.2: ICMP "
					   "echo request, id 31234, seq 1, "
					   "length 26");

	n = load(rr_reply, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.opt.ptr"), 12);
	assert_int_equal(th_count(p, "ip.rec_rt"), 2);
	assert_addr(nth(p, "ip.rec_rt", 1), 10, 99, 0, 2);
	assert_int_equal(th_count(p, "ip.empty_rt"), 6);
	assert_int_equal(th_uint(p, "icmp.type"), 0);
}

static void test_ipv4_options_timestamp(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ts_reply, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.opt.type"), 68);
	assert_int_equal(th_uint(p, "ip.opt.type.class"), 2);
	assert_int_equal(th_uint(p, "ip.opt.type.number"), 4);
	assert_int_equal(th_uint(p, "ip.opt.len"), 16);
	assert_int_equal(th_uint(p, "ip.opt.ptr"), 13);
	assert_int_equal(th_uint(p, "ip.opt.overflow"), 0);
	assert_int_equal(th_uint(p, "ip.opt.flag"), 0);
	assert_int_equal(th_count(p, "ip.opt.time_stamp"), 3);
	assert_int_equal(nth(p, "ip.opt.time_stamp", 1)->v.u, 0x01d0e1c0);
	assert_int_equal(nth(p, "ip.opt.time_stamp", 2)->v.u, 0);
	assert_int_equal(th_count(p, "ip.opt.time_stamp_addr"), 0);

	n = load(ts_addr_reply, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.opt.flag"), 1);
	assert_int_equal(th_uint(p, "ip.opt.ptr"), 21);
	assert_int_equal(th_count(p, "ip.opt.time_stamp_addr"), 2);
	assert_addr(nth(p, "ip.opt.time_stamp_addr", 1), 10, 99, 0, 2);
	assert_int_equal(nth(p, "ip.opt.time_stamp", 0)->v.u, 0x01d0e2ac);
	assert_int_equal(p->nevents, 0);
}

static void test_ipv4_options_nop_eol(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ts_nop_request, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	/* TS, NOP, NOP, NOP, EOL */
	assert_int_equal(th_count(p, "ip.opt.type"), 5);
	assert_int_equal(nth(p, "ip.opt.type", 1)->v.u, 1);
	assert_int_equal(nth(p, "ip.opt.type", 4)->v.u, 0);
	assert_int_equal(th_count(p, "ip.opt.len"), 1);
	assert_int_equal(th_count(p, "ip.opt.time_stamp"), 2);
	assert_false(th_has_event(p, "ip.nop"));
	/* an option Wireshark does not know is stepped over without
	 * fields (as tshark shows it) */
	b[IP + 20] = 0x45;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "ip.opt.type"), 4);
	assert_int_equal(th_uint(p, "ip.opt.type"), 1);
	assert_null(th_field(p, "ip.opt.len"));
	assert_null(th_field(p, "ip.opt.time_stamp"));
	assert_int_equal(p->nevents, 0);
	b[IP + 20] = 0x44;
	/* four NOPs in a row: a warning, not an error */
	b[IP + 43] = 1; /* the EOL after three NOPs */
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.nop"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "icmp.type"), 8);
}

static void test_ipv4_option_bad_length(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rr_request, b, sizeof b);
	b[IP + 21] = 1; /* shorter than type + length */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.opt.len.invalid"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_count(p, "ip.empty_rt"), 0);
	/* the header length is known: the payload is still dissected */
	assert_int_equal(th_uint(p, "icmp.type"), 8);

	b[IP + 21] = 37; /* past the 36 bytes of options */
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.opt.len.invalid"));
	assert_int_equal(th_uint(p, "icmp.type"), 8);

	/* a fixed-length option of the wrong length (router alert, 5) */
	n = load(ra_quoted, b, sizeof b);
	b[IP + 49] = 5;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.opt.len.invalid"));
	assert_null(th_field(p, "ip.opt.ra"));
}

static void test_ipv4_option_pointer(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rr_request, b, sizeof b);
	b[IP + 22] = 5;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.opt.ptr.middle_address"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_count(p, "ip.empty_rt"), 0);
	b[IP + 22] = 2;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "ip.opt.ptr.before_address"));
	/* pointer past the end: the route is full, all recorded */
	b[IP + 22] = 36;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "ip.rec_rt"), 8);
	assert_int_equal(p->nevents, 0);
}

static void test_ipv4_option_source_route(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rr_request, b, sizeof b);
	/* The record route turned into a loose source route, next hop
	 * first: the header's destination is the current hop and the last
	 * address of the route is the final destination. */
	b[IP + 20] = 0x83;
	static const uint8_t last[4] = {10, 99, 0, 7}; /* 8th address */
	memcpy(b + IP + 51, last, 4);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.opt.type.copy"), 1);
	assert_int_equal(th_uint(p, "ip.opt.type.number"), 3);
	assert_int_equal(th_count(p, "ip.dst"), 1);
	assert_addr(th_field(p, "ip.dst"), 10, 99, 0, 7);
	assert_addr(th_field(p, "ip.cur_rt"), 10, 99, 0, 2);
	assert_int_equal(th_count(p, "ip.src_rt"), 7);
	assert_int_equal(th_count(p, "ip.rec_rt"), 0);
	/* the one-line summary shows the header's addresses, as tcpdump */
	const tp_netaddr *a = &p->layers[th_layer(p, "ip")].addr;
	assert_memory_equal(a->dst, b + IP + 16, 4);
	assert_string_equal(th_summary(p), "IP 10.99.0.1 > 10.99.0.2: ICMP "
					   "echo request, id 31234, seq 1, "
					   "length 26");
	/* a pointer past the end: the route is done, the header's
	 * destination is the final one */
	b[IP + 22] = 36;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "ip.dst"), 1);
	assert_addr(th_field(p, "ip.dst"), 10, 99, 0, 2);
	assert_null(th_field(p, "ip.cur_rt"));
	assert_int_equal(th_count(p, "ip.rec_rt"), 8);
}

/* ip.addr: hidden, the source then the destination; behind a source
 * route the final destination (the option's last address), not the
 * current hop; none in a lean run. */
static void test_ipv4_addr(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	th_expect_alias_pair(p, "ip.addr", b + IP + 12, b + IP + 16, 4);
	p = th_dissect_lean(1, b, n, n);
	assert_int_equal(th_count(p, "ip.addr"), 0);
	assert_int_equal(th_count(p, "ip.src"), 1);
	/* cut inside the destination: the source's only */
	p = th_dissect(1, b, IP + 18, n);
	assert_int_equal(th_count(p, "ip.addr"), 1);

	n = load(rr_request, b, sizeof b);
	b[IP + 20] = 0x83; /* a loose source route, as above */
	static const uint8_t last[4] = {10, 99, 0, 7};
	memcpy(b + IP + 51, last, 4);
	p = th_dissect(1, b, n, n);
	th_expect_alias_pair(p, "ip.addr", b + IP + 12, last, 4);
}

static void test_ipv4_option_router_alert_quoted(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ra_quoted, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	/* the options are in the quoted header */
	assert_int_equal(th_count(p, "ip.hdr_len"), 2);
	assert_int_equal(nth(p, "ip.hdr_len", 1)->v.u, 28);
	assert_int_equal(th_uint(p, "ip.opt.type"), 148);
	assert_int_equal(th_uint(p, "ip.opt.type.copy"), 1);
	assert_int_equal(th_uint(p, "ip.opt.len"), 4);
	assert_int_equal(th_uint(p, "ip.opt.ra"), 0);
	assert_int_equal(th_count(p, "ip.opt.type"), 5);
	/* the quoted header is not verified (Wireshark) */
	assert_int_equal(nth(p, "ip.checksum.status", 1)->v.u,
			 TP_CKSUM_UNVERIFIED);
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p), "IP 10.99.0.2 > 10.99.0.1: ICMP "
					   "10.99.0.2 udp port 9999 "
					   "unreachable, length 62");
}

static void test_ipv4_fragments(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(last_frag, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.flags"), 0);
	assert_int_equal(th_uint(p, "ip.flags.mf"), 0);
	assert_int_equal(th_uint(p, "ip.frag_offset"), 370);
	/* not the first fragment: the bytes are data, not ICMP */
	assert_false(th_has_layer(p, "icmp"));
	assert_int_equal(th_uint(p, "data.len"), 48);
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2: ip-proto-1");

	/* the first fragment (cut by a snap length of 100) is dissected,
	 * its ICMP checksum cannot be verified */
	n = load(first_frag, b, sizeof b);
	p = th_dissect(1, b, n, 1514);
	assert_int_equal(th_uint(p, "ip.flags"), 1);
	assert_int_equal(th_uint(p, "ip.flags.mf"), 1);
	assert_int_equal(th_uint(p, "ip.frag_offset"), 0);
	assert_int_equal(th_uint(p, "icmp.type"), 8);
	assert_int_equal(th_uint(p, "icmp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2: ICMP echo request, id "
			    "28150, seq 1, length 1480");
}

static void test_ipv4_in_ip(void **state)
{
	(void)state;
	uint8_t in[256], b[300];
	size_t n = load(ping_frame, in, sizeof in);
	/* Ethernet, an outer header 192.0.2.1 -> 192.0.2.2 protocol 4,
	 * then the whole IPv4 packet of the ping */
	memcpy(b, in, IP);
	static const uint8_t outer[20] = {0x45, 0, 0, 104, 0, 1, 0, 0, 64, 4,
					  0, 0, 192, 0, 2, 1, 192, 0, 2, 2};
	memcpy(b + IP, outer, 20);
	fix_cksum(b, 20);
	memcpy(b + IP + 20, in + IP, n - IP);
	size_t m = n + 20;
	tp_pkt *p = th_dissect(1, b, m, m);
	assert_int_equal(th_count(p, "ip.src"), 2);
	assert_addr(nth(p, "ip.src", 1), 10, 99, 0, 1);
	assert_int_equal(th_uint(p, "icmp.seq"), 1);
	assert_string_equal(th_summary(p),
			    "IP 192.0.2.1 > 192.0.2.2: IP 10.99.0.1 > "
			    "10.99.0.2: ICMP echo request, id 21811, seq 1, "
			    "length 64");
	th_every_truncation(1, b, m, m);
}

static void test_ipv4_unknown_protocol(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	b[IP + 9] = 253; /* RFC 3692 experimentation */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "ip.proto"), 253);
	assert_true(th_has_layer(p, "data"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2:  ip-proto-253 64");
}

static void test_ipv4_eflag_summary(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(ping_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	char buf[512];
	tp_sbuf s;
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	o.eflag = true;
	tp_sb_init(&s, buf, sizeof buf);
	tp_summary_line(&s, p, &o);
	/* with -e tcpdump leaves out "IP " */
	assert_string_equal(tp_sb_cstr(&s),
			    "02:00:00:00:99:01 > 02:00:00:00:99:02, ethertype "
			    "IPv4 (0x0800), length 98: 10.99.0.1 > 10.99.0.2: "
			    "ICMP echo request, id 21811, seq 1, length 64");
}

/* -v: tcpdump's verbose text, each string as tcpdump -nn -t -v prints the
 * same frame (checked with tcpdump 4.99.3). */
static void test_ipv4_verbose(void **state)
{
	(void)state;
	static const struct {
		const char *frame, *want;
	} c[] = {
		{ping_frame, "IP (tos 0x0, ttl 64, id 45269, offset 0, flags [DF], "
			     "proto ICMP (1), length 84)\n    10.99.0.1 > "
			     "10.99.0.2: ICMP echo request, id 21811, seq 1, "
			     "length 64"},
		{rr_reply, "IP (tos 0x0, ttl 64, id 57618, offset 0, flags "
			   "[none], proto ICMP (1), length 82, options (RR "
			   "10.99.0.2, 10.99.0.2, 0.0.0.0 0.0.0.0 0.0.0.0 "
			   "0.0.0.0 0.0.0.0 0.0.0.0,EOL))\n    10.99.0.2 > "
			   "10.99.0.1: ICMP echo reply, id 31234, seq 1, "
			   "length 26"},
		{ts_reply, "IP (tos 0x0, ttl 64, id 57628, offset 0, flags "
			   "[none], proto ICMP (1), length 62, options "
			   "(timestamp TS{TSONLY 30466496@ 30466496@ ^ 0@}))\n"
			   "    10.99.0.2 > 10.99.0.1: ICMP echo reply, id "
			   "31234, seq 2, length 26"},
		{ts_addr_reply, "IP (tos 0x0, ttl 64, id 57630, offset 0, flags "
				"[none], proto ICMP (1), length 66, options "
				"(timestamp TS{TS+ADDR 30466732@10.99.0.2 "
				"30466732@10.99.0.2 ^ }))\n    10.99.0.2 > "
				"10.99.0.1: ICMP echo reply, id 31234, seq 3, "
				"length 26"},
		{ts_nop_request, "IP (tos 0x0, ttl 64, id 1, offset 0, flags "
				 "[none], proto ICMP (1), length 70, options "
				 "(timestamp TS{TS+ADDR ^ 0@0.0.0.0 0@0.0.0.0},"
				 "NOP,NOP,NOP,EOL))\n    10.99.0.1 > 10.99.0.2: "
				 "ICMP echo request, id 31234, seq 3, length 26"},
		{last_frag, "IP (tos 0x0, ttl 64, id 46293, offset 2960, flags "
			    "[none], proto ICMP (1), length 68)\n    10.99.0.1 "
			    "> 10.99.0.2: ip-proto-1"},
	};
	uint8_t b[256];
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		size_t n = load(c[i].frame, b, sizeof b);
		tp_pkt *p = th_dissect(1, b, n, n);
		assert_string_equal(th_summary_v(p, 1), c[i].want);
		assert_string_equal(th_summary_v(p, 3), c[i].want);
	}
	/* tos with ECN, ttl 0 (left out), the reserved flag, a bad header
	 * checksum */
	size_t n = load(ping_frame, b, sizeof b);
	b[IP + 1] = 0x03;
	b[IP + 6] = 0x80 | 0x40;
	b[IP + 8] = 0;
	tp_pkt *p = th_dissect(1, b, n, n);
	const char *s = th_summary_v(p, 1);
	assert_non_null(strstr(s, "IP (tos 0x3,CE, id 45269, offset 0, flags "
				  "[DF, rsvd], proto ICMP (1), length 84, "
				  "bad cksum "));
	assert_non_null(strstr(s, ")!)\n    10.99.0.1 > 10.99.0.2: ICMP"));
}

/* Hostile options: a length below 2, one past the header, a header cut
 * in the options: the text says so and reads nothing outside the
 * capture (th_dissect's buffer ends at a guard page).  The texts are
 * tcpdump 4.99.3's for the same bytes. */
static void test_ipv4_verbose_bad_options(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rr_request, b, sizeof b);
	b[IP + 21] = 1; /* RR length 1 */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 1),
			       "options (RR [bad length 1]), bad cksum 51bf "
			       "(->51e1)!)\n    10.99.0.1 > 10.99.0.2: ICMP"));
	n = load(rr_request, b, sizeof b);
	b[IP + 21] = 200; /* past the 40 option bytes */
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 1),
			       "options (RR [bad length 200]), bad cksum "
			       "51bf (->511a)!)\n"));
	n = load(ts_nop_request, b, sizeof b);
	b[IP + 22] = 0; /* pointer 0 */
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 2), "TS{[bad ptr 0]TS+ADDR"));
	n = load(rr_request, b, sizeof b);
	for (size_t cut = IP + 20; cut < IP + 60; cut++) {
		p = th_dissect(1, b, cut, n);
		(void)th_summary_v(p, 3);
	}
}

/* ---- reassembly (a session with a fragment table) ------------------- */

/* pcaps/ipv4-frag.pcap frames 1-3: the echo request of `ping -s 3000`
 * (10.99.0.1 -> 10.99.0.2, id 0xb4d5) in three fragments: payload offsets
 * 0, 1480 and 2960, MF on the first two.  Each frame is its Ethernet and
 * IPv4 headers, as captured, then its part of the 3008-byte ICMP message:
 * the echo header, ping's 16-byte timestamp, then bytes 0x10, 0x11, ...
 * (rebuilt by icmp_msg(); the result is the captured frames byte for
 * byte, and the ICMP checksum over the whole message is good). */
static const char v4frag_hdr[3][120] = {
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"05 dc b4 d5 20 00 40 01 8b 83 0a 63 00 01 0a 63 00 02",
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"05 dc b4 d5 20 b9 40 01 8a ca 0a 63 00 01 0a 63 00 02",
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 44 b4 d5 01 72 40 01 af a9 0a 63 00 01 0a 63 00 02",
};
static const uint32_t v4frag_off[3] = {0, 1480, 2960};
static const uint32_t v4frag_len[3] = {1480, 1480, 48};

#define ICMP_MSG_LEN 3008

static void icmp_msg(uint8_t *m)
{
	static const char head[] = "08 00 4c 2e 6d f6 00 01 fc 55 01 6b 00 00"
				   "00 00 58 6b 08 00 00 00 00 00";
	size_t n = th_hex(head, m, 24);
	for (size_t i = n; i < ICMP_MSG_LEN; i++)
		m[i] = (uint8_t)(i - 24 + 0x10);
}

/* Frame i (0..2) of the capture into b; returns its length. */
static size_t v4frag_frame(int i, uint8_t *b, size_t cap)
{
	static uint8_t msg[ICMP_MSG_LEN];
	icmp_msg(msg);
	size_t n = th_hex(v4frag_hdr[i], b, cap);
	assert_int_equal(n, IP + 20);
	assert_true(n + v4frag_len[i] <= cap);
	memcpy(b + n, msg + v4frag_off[i], v4frag_len[i]);
	return n + v4frag_len[i];
}

/* A packet record and a session of its own, as main.c wires them (UDP
 * and TCP track flows whenever there is a session). */

/* The line of the echo request's first fragment: tcpdump prints its ICMP
 * header from that fragment's bytes alone, with its payload's length. */
#define V4_FIRST_LINE                                                        \
	"IP 10.99.0.1 > 10.99.0.2: ICMP echo request, id 28150, seq 1, "     \
	"length 1480"

/* A fragment that does not complete: its payload is data in the record,
 * and the line is tcpdump's (which does not reassemble): the upper
 * header of a first fragment, ip-proto-N on the others. */
static void assert_v4_held(const tp_pkt *p, size_t datalen, unsigned proto)
{
	assert_false(th_has_layer(p, "icmp"));
	assert_false(th_has_layer(p, "udp"));
	assert_int_equal(th_uint(p, "data.len"), datalen);
	assert_true(th_has_event(p, "ip.fragment.held"));
	assert_int_equal(th_count(p, "ip.fragment"), 0);
	assert_null(p->reasm);
	assert_false(p->layers[th_layer(p, "data")].reassembled);
	if (th_uint(p, "ip.frag_offset") == 0 && proto == 1) {
		assert_string_equal(th_summary(p), V4_FIRST_LINE);
		return;
	}
	char want[64];
	snprintf(want, sizeof want, "IP 10.99.0.1 > 10.99.0.2: ip-proto-%u",
		 proto);
	assert_string_equal(th_summary(p), want);
}

/* The completing fragment: the whole datagram in the record; the line is
 * that fragment's own, as tcpdump prints it (`line`). */
static void assert_v4_echo_done(const tp_pkt *p, const uint64_t frames[3],
				const char *line)
{
	assert_non_null(p->reasm);
	assert_int_equal(p->reasm_len, ICMP_MSG_LEN);
	assert_true(p->reasm_active);
	unsigned li = th_layer(p, "icmp");
	assert_true(p->layers[li].reassembled);
	assert_false(p->layers[th_layer(p, "ip")].reassembled);
	assert_int_equal(th_uint(p, "icmp.type"), 8);
	assert_int_equal(th_uint(p, "icmp.ident"), 28150);
	assert_int_equal(th_uint(p, "icmp.seq"), 1);
	/* verified over all 3008 bytes */
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "data.len"), ICMP_MSG_LEN - 16);
	assert_int_equal(th_count(p, "ip.fragments"), 1);
	assert_int_equal(th_field(p, "ip.fragments")->vlen, ICMP_MSG_LEN);
	assert_int_equal(th_count(p, "ip.fragment"), 3);
	for (int i = 0; i < 3; i++) {
		const tp_field *f = nth(p, "ip.fragment", i);
		assert_int_equal(f->def->type, TP_FT_FRAMENUM);
		assert_int_equal(f->v.u, frames[i]);
		assert_int_equal(f->level, 1);
	}
	assert_int_equal(th_uint(p, "ip.fragment.count"), 3);
	assert_int_equal(th_uint(p, "ip.reassembled.length"), ICMP_MSG_LEN);
	const tp_field *data = th_field(p, "ip.reassembled.data");
	assert_non_null(data);
	uint8_t msg[ICMP_MSG_LEN];
	icmp_msg(msg);
	assert_memory_equal(data->v.p, msg, ICMP_MSG_LEN);
	assert_memory_equal(p->reasm, msg, ICMP_MSG_LEN);
	assert_false(th_has_event(p, "ip.fragment.held"));
	assert_false(th_has_kind(p, TP_EV_WARN));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_string_equal(th_summary(p), line);
}

#define V4_LAST_LINE "IP 10.99.0.1 > 10.99.0.2: ip-proto-1"

static void test_ipv4_defrag_in_order(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = v4frag_frame(0, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 1, b, n, n);
	/* even the first fragment's ICMP header waits (tshark with
	 * ip.defragment on); the line shows it (tcpdump) */
	assert_v4_held(p, 1480, 1);
	assert_int_equal(th_uint(p, "ip.flags.mf"), 1);
	assert_int_equal(th_frag_dgrams(&d), 1);
	n = v4frag_frame(1, b, sizeof b);
	assert_v4_held(th_sess_feed(&d, 2, b, n, n), 1480, 1);
	n = v4frag_frame(2, b, sizeof b);
	p = th_sess_feed(&d, 3, b, n, n);
	static const uint64_t frames[3] = {1, 2, 3};
	assert_v4_echo_done(p, frames, V4_LAST_LINE);
	/* the IP layer's own fields are the last fragment's */
	assert_int_equal(th_uint(p, "ip.len"), 68);
	assert_int_equal(th_uint(p, "ip.frag_offset"), 370);
	assert_int_equal(th_frag_dgrams(&d), 0);
	th_sess_free(&d);
}

static void test_ipv4_defrag_reverse(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = v4frag_frame(2, b, sizeof b);
	assert_v4_held(th_sess_feed(&d, 10, b, n, n), 48, 1);
	n = v4frag_frame(1, b, sizeof b);
	assert_v4_held(th_sess_feed(&d, 11, b, n, n), 1480, 1);
	n = v4frag_frame(0, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 12, b, n, n);
	/* frames in offset order */
	static const uint64_t frames[3] = {12, 11, 10};
	assert_v4_echo_done(p, frames, V4_FIRST_LINE);
	th_sess_free(&d);
}

/* No fragment table (--no-defrag): fragments are dissected where they
 * are, as without a session. */
static void test_ipv4_defrag_off(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, false);
	uint8_t b[1600];
	size_t n = v4frag_frame(0, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 1, b, n, n);
	assert_int_equal(th_uint(p, "icmp.type"), 8);
	assert_int_equal(th_uint(p, "icmp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	assert_null(p->reasm);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2: ICMP echo request, id "
			    "28150, seq 1, length 1480");
	n = v4frag_frame(2, b, sizeof b);
	p = th_sess_feed(&d, 3, b, n, n);
	assert_false(th_has_layer(p, "icmp"));
	assert_int_equal(p->nevents, 0);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2: ip-proto-1");
	th_sess_free(&d);
}

/* A fragment cut by the snap length is left alone, as tshark leaves
 * it: the first one is dissected as far as it goes, and the datagram
 * never completes. */
static void test_ipv4_defrag_cut_fragment(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = v4frag_frame(0, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 1, b, 100, n);
	assert_int_equal(th_uint(p, "icmp.type"), 8);
	assert_false(th_has_event(p, "ip.fragment.held"));
	assert_int_equal(th_frag_dgrams(&d), 0);
	n = v4frag_frame(1, b, sizeof b);
	assert_v4_held(th_sess_feed(&d, 2, b, n, n), 1480, 1);
	n = v4frag_frame(2, b, sizeof b);
	p = th_sess_feed(&d, 3, b, n, n);
	assert_v4_held(p, 48, 1);
	assert_int_equal(th_frag_dgrams(&d), 1);
	th_sess_free(&d);
}

/* Every cut of every fragment frame: no crash, the table untouched (a
 * cut fragment is never added), and the whole frames still reassemble
 * afterwards. */
static void test_ipv4_defrag_every_truncation(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	uint64_t number = 1;
	for (int i = 0; i < 3; i++) {
		size_t n = v4frag_frame(i, b, sizeof b);
		for (size_t cut = 0; cut < n; cut++) {
			tp_pkt *p = th_sess_feed(&d, number++, b, cut, n);
			assert_int_equal(th_frag_dgrams(&d), 0);
			assert_null(p->reasm);
			(void)th_summary(p);
		}
	}
	uint64_t frames[3];
	tp_pkt *p = NULL;
	for (int i = 0; i < 3; i++) {
		size_t n = v4frag_frame(i, b, sizeof b);
		frames[i] = number;
		p = th_sess_feed(&d, number++, b, n, n);
	}
	assert_v4_echo_done(p, frames, V4_LAST_LINE);
	th_sess_free(&d);
}

/* The same fragment twice, then one whose bytes differ: events on the
 * frames where it happens, first data wins. */
static void test_ipv4_defrag_overlap_events(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = v4frag_frame(1, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 1, b, n, n);
	assert_false(th_has_event(p, "ip.fragment.overlap"));
	p = th_sess_feed(&d, 2, b, n, n);
	assert_true(th_has_event(p, "ip.fragment.overlap"));
	assert_false(th_has_event(p, "ip.fragment.overlap.conflict"));
	assert_v4_held(p, 1480, 1);
	b[IP + 20 + 5] ^= 0xff; /* one byte changed */
	p = th_sess_feed(&d, 3, b, n, n);
	assert_true(th_has_event(p, "ip.fragment.overlap"));
	assert_true(th_has_event(p, "ip.fragment.overlap.conflict"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2: ip-proto-1");
	n = v4frag_frame(0, b, sizeof b);
	th_sess_feed(&d, 4, b, n, n);
	n = v4frag_frame(2, b, sizeof b);
	p = th_sess_feed(&d, 5, b, n, n);
	/* the held (first) bytes won: the checksum is good */
	assert_int_equal(th_uint(p, "icmp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_count(p, "ip.fragment"), 5);
	assert_int_equal(nth(p, "ip.fragment", 0)->v.u, 4);
	assert_int_equal(nth(p, "ip.fragment", 1)->v.u, 1);
	assert_int_equal(nth(p, "ip.fragment", 3)->v.u, 3);
	th_sess_free(&d);
}

/* A second last fragment that disagrees: the datagram is discarded. */
static void test_ipv4_defrag_multiple_tails(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[1600];
	size_t n = v4frag_frame(2, b, sizeof b);
	th_sess_feed(&d, 1, b, n, n);
	/* the same tail 8 bytes further (offset 371) */
	b[IP + 7] = 0x73;
	tp_pkt *p = th_sess_feed(&d, 2, b, n, n);
	assert_true(th_has_event(p, "ip.fragment.multipletails"));
	assert_true(th_has_event(p, "ip.fragment.error"));
	assert_false(th_has_event(p, "ip.fragment.held"));
	assert_false(th_has_layer(p, "icmp"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1 > 10.99.0.2: ip-proto-1");
	assert_int_equal(th_frag_dgrams(&d), 0);
	/* a fragment past 65535 bytes */
	b[IP + 6] = 0x3f; /* MF, offset 0x1fff * 8 = 65528, 48 bytes */
	b[IP + 7] = 0xff;
	p = th_sess_feed(&d, 3, b, n, n);
	assert_true(th_has_event(p, "ip.fragment.toolongfragment"));
	assert_true(th_has_event(p, "ip.fragment.error"));
	assert_int_equal(th_frag_dgrams(&d), 0);
	th_sess_free(&d);
}

/* pcaps/udp-nc.pcap frame 1 (UDP 40000 -> 5555, "tapir udp datagram 1\n",
 * 29 bytes with the UDP header), cut by the test into two fragments:
 * [0, 16) with MF and [16, 29), header checksums recomputed.  The UDP
 * checksum is recomputed too: the capture holds the partial sum that
 * checksum offload leaves (0x14f7 on all three datagrams). */
static size_t udp_frag(int i, uint8_t *b, size_t cap)
{
	static const char frame[] =
		"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
		"00 31 0d 0f 40 00 40 11 18 e5 0a 63 00 01 0a 63"
		"00 02 9c 40 15 b3 00 1d 14 f7 74 61 70 69 72 20"
		"75 64 70 20 64 61 74 61 67 72 61 6d 20 31 0a";
	uint8_t whole[128];
	size_t n = th_hex(frame, whole, sizeof whole);
	assert_int_equal(n, IP + 20 + 29);
	uint8_t *u = whole + IP + 20;
	u[6] = u[7] = 0;
	uint16_t uck = tp_cksum_fold(tp_cksum_add(
		tp_cksum_pseudo(4, whole + IP + 12, whole + IP + 16, 17, 29), u,
		29));
	u[6] = (uint8_t)(uck >> 8);
	u[7] = (uint8_t)uck;
	size_t off = i ? 16 : 0, len = i ? 13 : 16;
	assert_true(IP + 20 + len <= cap);
	memcpy(b, whole, IP + 20);
	memcpy(b + IP + 20, whole + IP + 20 + off, len);
	uint16_t tlen = (uint16_t)(20 + len);
	uint16_t fo = (uint16_t)((i ? 0 : 0x2000) | off / 8);
	b[IP + 2] = (uint8_t)(tlen >> 8);
	b[IP + 3] = (uint8_t)tlen;
	b[IP + 6] = (uint8_t)(fo >> 8);
	b[IP + 7] = (uint8_t)fo;
	b[IP + 10] = b[IP + 11] = 0;
	uint16_t ck = tp_cksum_fold(tp_cksum_add(0, b + IP, 20));
	b[IP + 10] = (uint8_t)(ck >> 8);
	b[IP + 11] = (uint8_t)ck;
	return IP + 20 + len;
}

static void test_ipv4_defrag_udp(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t b[128];
	/* the tail first */
	size_t n = udp_frag(1, b, sizeof b);
	tp_pkt *p = th_sess_feed(&d, 1, b, n, n);
	assert_int_equal(th_uint(p, "ip.checksum.status"), TP_CKSUM_GOOD);
	assert_v4_held(p, 13, 17);
	n = udp_frag(0, b, sizeof b);
	p = th_sess_feed(&d, 2, b, n, n);
	unsigned li = th_layer(p, "udp");
	assert_true(p->layers[li].reassembled);
	assert_int_equal(th_uint(p, "udp.srcport"), 40000);
	assert_int_equal(th_uint(p, "udp.dstport"), 5555);
	assert_int_equal(th_uint(p, "udp.length"), 29);
	/* the pseudo-header checksum over the whole datagram */
	assert_int_equal(th_uint(p, "udp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "ip.reassembled.length"), 29);
	assert_int_equal(nth(p, "ip.fragment", 0)->v.u, 2);
	assert_int_equal(nth(p, "ip.fragment", 1)->v.u, 1);
	const tp_field *data = th_field(p, "data.data");
	assert_non_null(data);
	assert_int_equal(data->vlen, 21);
	assert_memory_equal(data->v.p, "tapir udp datagram 1\n", 21);
	assert_string_equal(th_summary(p), "IP 10.99.0.1.40000 > "
					   "10.99.0.2.5555: UDP, length 21");
	th_sess_free(&d);
}

/* ICMP errors quote fragments: never added to the table. */
static void test_ipv4_defrag_not_in_quotes(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, true);
	uint8_t f[128];
	size_t n = udp_frag(0, f, sizeof f);
	/* pcaps/icmp-unreach.pcap style: port unreachable 10.99.0.2 ->
	 * 10.99.0.1 quoting the first fragment's IP header + 8 bytes */
	static const char head[] =
		"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 c0"
		"00 38 e1 4f 00 00 40 01 00 00 0a 63 00 02 0a 63"
		"00 01 03 03 00 00 00 00 00 00";
	uint8_t b[128];
	size_t h = th_hex(head, b, sizeof b);
	memcpy(b + h, f + IP, 28);
	n = h + 28;
	tp_pkt *p = th_sess_feed(&d, 1, b, n, n);
	assert_true(th_has_layer(p, "icmp"));
	assert_int_equal(th_count(p, "ip.src"), 2);
	assert_false(th_has_event(p, "ip.fragment.held"));
	assert_int_equal(th_frag_dgrams(&d), 0);
	th_sess_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_header_fields),
		cmocka_unit_test(test_ipv4_dscp_ecn),
		cmocka_unit_test(test_ipv4_tcp_prints_addresses_itself),
		cmocka_unit_test(test_ipv4_padding_excluded),
		cmocka_unit_test(test_ipv4_truncations),
		cmocka_unit_test(test_ipv4_lean),
		cmocka_unit_test(test_ipv4_ts_option_cut),
		cmocka_unit_test(test_ipv4_truncated_header_summary),
		cmocka_unit_test(test_ipv4_bumped_lengths),
		cmocka_unit_test(test_ipv4_bad_version),
		cmocka_unit_test(test_ipv4_bogus_header_length),
		cmocka_unit_test(test_ipv4_total_length_below_header),
		cmocka_unit_test(test_ipv4_total_length_past_frame),
		cmocka_unit_test(test_ipv4_total_length_zero_tso),
		cmocka_unit_test(test_ipv4_options_record_route),
		cmocka_unit_test(test_ipv4_options_timestamp),
		cmocka_unit_test(test_ipv4_options_nop_eol),
		cmocka_unit_test(test_ipv4_option_bad_length),
		cmocka_unit_test(test_ipv4_option_pointer),
		cmocka_unit_test(test_ipv4_option_source_route),
		cmocka_unit_test(test_ipv4_addr),
		cmocka_unit_test(test_ipv4_option_router_alert_quoted),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv4_in_ip),
		cmocka_unit_test(test_ipv4_unknown_protocol),
		cmocka_unit_test(test_ipv4_eflag_summary),
		cmocka_unit_test(test_ipv4_verbose),
		cmocka_unit_test(test_ipv4_verbose_bad_options),
		cmocka_unit_test(test_ipv4_defrag_in_order),
		cmocka_unit_test(test_ipv4_defrag_reverse),
		cmocka_unit_test(test_ipv4_defrag_off),
		cmocka_unit_test(test_ipv4_defrag_cut_fragment),
		cmocka_unit_test(test_ipv4_defrag_every_truncation),
		cmocka_unit_test(test_ipv4_defrag_overlap_events),
		cmocka_unit_test(test_ipv4_defrag_multiple_tails),
		cmocka_unit_test(test_ipv4_defrag_udp),
		cmocka_unit_test(test_ipv4_defrag_not_in_quotes),
	};
	return cmocka_run_group_tests_name("ipv4", tests, NULL, NULL);
}
