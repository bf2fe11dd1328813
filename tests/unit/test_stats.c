/* test_stats.c - --stats conv|endpoints|phs: tables fed dissected records.
 *
 * The expected texts of test_stats_all_tables were printed by tshark
 * 4.0.17 (tshark -n -q -z conv,eth ... -z io,phs) on a capture of the same
 * ten frames with the same times; the others follow the same rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/stats.h"

/* ---- real frames -------------------------------------------------- */

/* pcaps/tcp-rst.pcap: a SYN and the RST that answers it, IPv4 and IPv6. */
static const char tcp4_syn[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00 00 3c 26 44 40 00"
	"40 06 ff af 0a 63 00 01 0a 63 00 02 c5 f8 27 0f 7a ec 3a 98 00 00"
	"00 00 a0 02 fa f0 14 f7 00 00 02 04 05 b4 04 02 08 0a 0c 12 89 9d"
	"00 00 00 00 01 03 03 0a";
static const char tcp4_rst[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 00 00 28 00 00 40 00"
	"40 06 26 08 0a 63 00 02 0a 63 00 01 27 0f c5 f8 00 00 00 00 7a ec"
	"3a 99 50 14 00 00 f8 7a 00 00";
static const char tcp6_syn[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 07 3e c2 00 28 06 40"
	"fd 00 00 99 00 00 00 00 00 00 00 00 00 00 00 01 fd 00 00 99 00 00"
	"00 00 00 00 00 00 00 00 00 02 c0 e2 27 0f 72 ba fe 51 00 00 00 00"
	"a0 02 fd 20 fb 64 00 00 02 04 05 a0 04 02 08 0a ba e3 54 99 00 00"
	"00 00 01 03 03 0a";
static const char tcp6_rst[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 86 dd 60 03 fc 74 00 14 06 40"
	"fd 00 00 99 00 00 00 00 00 00 00 00 00 00 00 02 fd 00 00 99 00 00"
	"00 00 00 00 00 00 00 00 00 01 27 0f c0 e2 00 00 00 00 72 ba fe 52"
	"50 14 00 00 fb 50 00 00";
/* pcaps/udp-nc.pcap: 10.99.0.1:40000 -> 10.99.0.2:5555, 21 bytes. */
static const char udp4[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00 00 31 0d 0f 40 00"
	"40 11 18 e5 0a 63 00 01 0a 63 00 02 9c 40 15 b3 00 1d 14 f7 74 61"
	"70 69 72 20 75 64 70 20 64 61 74 61 67 72 61 6d 20 31 0a";
/* pcaps/arp.pcap: the broadcast request. */
static const char arp_req[] =
	"ff ff ff ff ff ff 02 00 00 00 99 01 08 06 00 01 08 00 06 04 00 01"
	"02 00 00 00 99 01 0a 63 00 01 00 00 00 00 00 00 0a 63 00 02";
/* pcaps/icmp-ping.pcap: an echo request with 56 bytes of data. */
static const char icmp_echo[] =
	"0200 0000 9902 0200 0000 9901 0800 4500 0054 b0d5 4000 4001 750b"
	"0a63 0001 0a63 0002 0800 3bf9 5533 0001 e855 016b 0000 0000 b73e"
	"0700 0000 0000 1011 1213 1415 1617 1819 1a1b 1c1d 1e1f 2021 2223"
	"2425 2627 2829 2a2b 2c2d 2e2f 3031 3233 3435 3637";
/* pcaps/icmp-unreach.pcap: port unreachable quoting a UDP datagram. */
static const char icmp_unreach[] =
	"0200 0000 9901 0200 0000 9902 0800 45c0 0051 d8e0 0000 4001 8c43"
	"0a63 0002 0a63 0001 0303 3247 0000 0000 4500 0035 7e7e 4000 4011"
	"a771 0a63 0001 0a63 0002 978b 270f 0021 14fb 7461 7069 723a 2069"
	"7320 616e 7962 6f64 7920 7468 6572 653f 0a";

/* Offsets in the IPv4 frames. */
enum { IP4_SRC = 26, IP4_DST = 30, L4_SPORT = 34, L4_DPORT = 36 };

typedef struct frame {
	uint8_t b[256];
	size_t n;
} frame;

static frame mk(const char *hex)
{
	frame f;
	f.n = th_hex(hex, f.b, sizeof f.b);
	return f;
}

static void set16(frame *f, size_t off, uint16_t v)
{
	f->b[off] = (uint8_t)(v >> 8);
	f->b[off + 1] = (uint8_t)v;
}

/* A UDP frame from 10.99.0.1:sport to 10.99.0.2:5555. */
static frame udp_from(uint16_t sport)
{
	frame f = mk(udp4);
	set16(&f, L4_SPORT, sport);
	return f;
}

/* The same frame the other way: MACs, addresses and ports swapped. */
static frame reversed(frame f)
{
	uint8_t t[6];
	memcpy(t, f.b, 6);
	memcpy(f.b, f.b + 6, 6);
	memcpy(f.b + 6, t, 6);
	memcpy(t, f.b + IP4_SRC, 4);
	memcpy(f.b + IP4_SRC, f.b + IP4_DST, 4);
	memcpy(f.b + IP4_DST, t, 4);
	memcpy(t, f.b + L4_SPORT, 2);
	memcpy(f.b + L4_SPORT, f.b + L4_DPORT, 2);
	memcpy(f.b + L4_DPORT, t, 2);
	return f;
}

/* Dissect and count one frame at a capture time. */
static void feed(tp_stats *st, const frame *f, int64_t sec, uint32_t nsec)
{
	tp_pkt *p = th_dissect(1, f->b, f->n, f->n);
	p->ts_sec = sec;
	p->ts_nsec = nsec;
	tp_stats_packet(st, p);
}

/* Same, with a frame length other than the bytes captured. */
static void feed_len(tp_stats *st, const frame *f, int64_t sec, uint64_t len)
{
	tp_pkt *p = th_dissect(1, f->b, f->n, f->n);
	p->ts_sec = sec;
	p->ts_nsec = 0;
	p->len = (uint32_t)len;
	tp_stats_packet(st, p);
}

/* Everything tp_stats_print() writes. */
/* not inlined: GCC 12 at -O3 takes open_memstream's &buf for a dangling
 * pointer once it is (-Wdangling-pointer) */
__attribute__((noinline)) static char *render(const tp_stats *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	tp_stats_print(st, fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(buf);
	return buf;
}

static tp_stats *parsed(const char *const *args, size_t max_entries)
{
	unsigned kinds = 0, tables = 0;
	for (size_t i = 0; args[i]; i++)
		assert_int_equal(tp_stats_parse(args[i], &kinds, &tables), 0);
	tp_stats *st = tp_stats_new(kinds, tables, max_entries);
	assert_non_null(st);
	return st;
}

static void expect_text(const tp_stats *st, const char *want)
{
	char *got = render(st);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "--- want\n%s--- got\n%s---\n", want, got);
	assert_string_equal(got, want);
	free(got);
}

static size_t count_lines(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *q = s; (q = strstr(q, needle)); q += strlen(needle))
		n++;
	return n;
}

/* ---- the layout ---------------------------------------------------- */

#define RULE "========================================================" \
	     "========================\n"
#define CONV_HEAD(pad)                                                      \
	"Filter:<No Filter>\n" pad                                          \
	"                                               |       <-      | " \
	"|       ->      | |     Total     |    Relative    |   Duration   " \
	"|\n" pad                                                           \
	"                                               | Frames  Bytes | " \
	"| Frames  Bytes | | Frames  Bytes |      Start     |              " \
	"|\n"
#define CONV_HDR(title)      RULE title " Conversations\n" CONV_HEAD("")
#define CONV_HDR_PORTS(title) \
	RULE title " Conversations\n" CONV_HEAD("            ")
#define EP_HDR(title)                                                       \
	RULE title " Endpoints\nFilter:<No Filter>\n"                        \
		   "                       |  Packets  | |  Bytes  | | Tx Pack" \
		   "ets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n"
#define EP_HDR_PORTS(title)                                                 \
	RULE title " Endpoints\nFilter:<No Filter>\n"                        \
		   "                       |  Port  ||  Packets  | |  Bytes  |" \
		   " | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n"
#define PHS_HDR                                                            \
	"\n=================================================================" \
	"==\nProtocol Hierarchy Statistics\nFilter: \n\n"
#define PHS_END                                                          \
	"===============================================================" \
	"====\n"

/* ---- parsing ------------------------------------------------------ */

static void test_stats_parse_forms(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"conv",		 "conv,eth",	   "conv,ip",	    "conv,ipv4",
		"conv,ipv6",	 "conv,tcp",	   "conv,udp",	    "endpoints",
		"endpoints,eth", "endpoints,ip",   "endpoints,ipv4",
		"endpoints,ipv6", "endpoints,tcp", "endpoints,udp", "phs",
		"io,phs",
	};
	for (size_t i = 0; i < TP_COUNT(ok); i++) {
		unsigned k = 0, t = 0;
		assert_int_equal(tp_stats_parse(ok[i], &k, &t), 0);
		assert_true(k != 0);
		if (strstr(ok[i], "phs"))
			assert_int_equal(k, TP_STATS_PHS);
		else
			assert_true(t != 0);
	}
	/* several add up; "ip" and "ipv4" are the same table */
	unsigned k = 0, t = 0;
	assert_int_equal(tp_stats_parse("conv,ip", &k, &t), 0);
	unsigned t_ip = t;
	assert_int_equal(tp_stats_parse("conv,ipv4", &k, &t), 0);
	assert_int_equal(t, t_ip);
	assert_int_equal(tp_stats_parse("io,phs", &k, &t), 0);
	assert_int_equal(tp_stats_parse("endpoints,udp", &k, &t), 0);
	assert_int_equal(k, TP_STATS_CONV | TP_STATS_PHS | TP_STATS_ENDPOINTS);
	assert_true(t != t_ip);
}

/* --stats NAME: a dissector's own report (dns), also as tshark's
 * "-z dns,tree"; printed from its session state, zeros without one. */
static void test_stats_app(void **state)
{
	(void)state;
	static const char *const ok[] = {"dns", "dns,tree"};
	for (size_t i = 0; i < TP_COUNT(ok); i++) {
		unsigned k = 0, t = 0;
		assert_int_equal(tp_stats_parse(ok[i], &k, &t), 0);
		assert_true(k >= 1u << TP_STATS_APP_SHIFT);
		assert_int_equal(t, 0);
	}
	static const char *const bad[] = {"dnsx", "dns,", "dns,tree,x",
					  "tree", "udp", "dns,tre"};
	for (size_t i = 0; i < TP_COUNT(bad); i++) {
		unsigned k = 0, t = 0;
		assert_int_equal(tp_stats_parse(bad[i], &k, &t), -1);
	}
	unsigned k = 0, t = 0;
	assert_int_equal(tp_stats_parse("dns", &k, &t), 0);
	tp_stats *st = tp_stats_new(k, t, 0);
	assert_non_null(st);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	tp_stats_print(st, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "DNS statistics"));
	assert_non_null(strstr(buf, "Queries: 0   Responses: 0"));
	free(buf);
	tp_stats_free(st);
}

static void test_stats_parse_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",	      "conv,",	       "conv,sctp",	 "conv,tcp,",
		"conv,tcp,ip.addr==1.2.3.4", "convx",	 "Conv",
		"conv,TCP",   "endpoint",      "endpoints,",	 "endpoints,x",
		"phs,tcp",    "io,phs,frame",  "io",		 "io,stat,1",
		"follow,tcp,ascii,0",	       "conv;tcp",	 "conv ,tcp",
		",conv",      "conv,ip6",      "conv,eth\n",
	};
	for (size_t i = 0; i < TP_COUNT(bad); i++) {
		unsigned k = 7, t = 9; /* untouched on error */
		assert_int_equal(tp_stats_parse(bad[i], &k, &t), -1);
		assert_int_equal(k, 7);
		assert_int_equal(t, 9);
	}
	unsigned k = 0, t = 0;
	assert_int_equal(tp_stats_parse(NULL, &k, &t), -1);
	assert_int_equal(tp_stats_parse("conv", NULL, &t), -1);
	assert_int_equal(tp_stats_parse("conv", &k, NULL), -1);
}

/* ---- conversations and endpoints, against tshark ----------------- */

/* The ten frames of the tshark capture, at its times. */
static void feed_s1(tp_stats *st)
{
	frame f;
	f = mk(tcp4_syn);
	feed(st, &f, 1000, 0);
	f = mk(tcp4_rst);
	feed(st, &f, 1000, 35000);
	f = mk(udp4);
	feed(st, &f, 1000, 500000000);
	feed(st, &f, 1001, 250000000);
	f = reversed(f);
	feed(st, &f, 1002, 0);
	f = mk(tcp6_syn);
	feed(st, &f, 1002, 500000000);
	f = mk(tcp6_rst);
	feed(st, &f, 1002, 500023000);
	f = mk(arp_req);
	feed(st, &f, 1003, 0);
	f = mk(icmp_echo);
	feed(st, &f, 1003, 100);
	f = mk(icmp_unreach);
	feed(st, &f, 1004, 999999999);
}

static const char s1_conv[] =
	CONV_HDR("Ethernet")
	"02:00:00:00:99:01    <-> 02:00:00:00:99:02          4 286 bytes   "
	"    5 392 bytes       9 678 bytes     0.000000000         5.0000\n"
	"02:00:00:00:99:01    <-> ff:ff:ff:ff:ff:ff          0 0 bytes     "
	"    1 42 bytes        1 42 bytes      3.000000000         0.0000\n"
	RULE CONV_HDR("IPv4")
	"10.99.0.1            <-> 10.99.0.2                  3 212 bytes   "
	"    4 298 bytes       7 510 bytes     0.000000000         5.0000\n"
	RULE CONV_HDR("IPv6")
	"fd00:99::1           <-> fd00:99::2                 1 74 bytes    "
	"    1 94 bytes        2 168 bytes     2.500000000         0.0000\n"
	RULE CONV_HDR_PORTS("TCP")
	"10.99.0.1:50680            <-> 10.99.0.2:9999                   1 "
	"54 bytes        1 74 bytes        2 128 bytes     0.000000000     "
	"    0.0000\n"
	"fd00:99::1:49378           <-> fd00:99::2:9999                  1 "
	"74 bytes        1 94 bytes        2 168 bytes     2.500000000     "
	"    0.0000\n"
	RULE CONV_HDR_PORTS("UDP")
	"10.99.0.1:40000            <-> 10.99.0.2:5555                   1 "
	"63 bytes        2 126 bytes       3 189 bytes     0.500000000     "
	"    1.5000\n"
	RULE;

static const char s1_endpoints[] =
	EP_HDR("Ethernet")
	"02:00:00:00:99:01             10           720          6         "
	"    434           4             286   \n"
	"02:00:00:00:99:02              9           678          4         "
	"    286           5             392   \n"
	"ff:ff:ff:ff:ff:ff              1            42          0         "
	"      0           1              42   \n"
	RULE EP_HDR("IPv4")
	"10.99.0.1                      7           510          4         "
	"    298           3             212   \n"
	"10.99.0.2                      7           510          3         "
	"    212           4             298   \n"
	RULE EP_HDR("IPv6")
	"fd00:99::1                     2           168          1         "
	"     94           1              74   \n"
	"fd00:99::2                     2           168          1         "
	"     74           1              94   \n"
	RULE EP_HDR_PORTS("TCP")
	"10.99.0.1                 50680          2           128          "
	"1              74           1              54   \n"
	"10.99.0.2                  9999          2           128          "
	"1              54           1              74   \n"
	"fd00:99::1                49378          2           168          "
	"1              94           1              74   \n"
	"fd00:99::2                 9999          2           168          "
	"1              74           1              94   \n"
	RULE EP_HDR_PORTS("UDP")
	"10.99.0.1                 40000          3           189          "
	"2             126           1              63   \n"
	"10.99.0.2                  5555          3           189          "
	"1              63           2             126   \n"
	RULE;

static const char s1_phs[] =
	PHS_HDR
	"eth                                      frames:10 bytes:720\n"
	"  ip                                     frames:7 bytes:510\n"
	"    tcp                                  frames:2 bytes:128\n"
	"    udp                                  frames:3 bytes:189\n"
	"      data                               frames:3 bytes:189\n"
	"    icmp                                 frames:2 bytes:193\n"
	"      data                               frames:1 bytes:95\n"
	"  ipv6                                   frames:2 bytes:168\n"
	"    tcp                                  frames:2 bytes:168\n"
	"  arp                                    frames:1 bytes:42\n"
	PHS_END;

static void test_stats_all_tables(void **state)
{
	(void)state;
	static const char *const args[] = {
		"conv,eth",	 "conv,ip",	  "conv,ipv6",	   "conv,tcp",
		"conv,udp",	 "endpoints,eth", "endpoints,ip",
		"endpoints,ipv6", "endpoints,tcp", "endpoints,udp", "io,phs",
		NULL,
	};
	tp_stats *st = parsed(args, TP_STATS_MAX_ENTRIES);
	feed_s1(st);
	char want[sizeof s1_conv + sizeof s1_endpoints + sizeof s1_phs];
	snprintf(want, sizeof want, "%s%s%s", s1_conv, s1_endpoints, s1_phs);
	expect_text(st, want);
	tp_stats_free(st);
}

/* tp_stats_new() called directly with the header's table bits: those
 * tables for both kinds, printed even when empty. */
static void test_stats_plain_table_bits(void **state)
{
	(void)state;
	tp_stats *st = tp_stats_new(TP_STATS_CONV | TP_STATS_ENDPOINTS,
				    TP_STATS_UDP | TP_STATS_IPV6, 0);
	assert_non_null(st);
	frame f = mk(udp4);
	feed(st, &f, 50, 0);
	expect_text(st,
		    CONV_HDR("IPv6") RULE CONV_HDR_PORTS("UDP")
		    "10.99.0.1:40000            <-> 10.99.0.2:5555             "
		    "      0 0 bytes         1 63 bytes        1 63 bytes      "
		    "0.000000000         0.0000\n" RULE EP_HDR("IPv6")
			    RULE EP_HDR_PORTS("UDP")
		    "10.99.0.1                 40000          1            63  "
		    "        1              63           0               0   \n"
		    "10.99.0.2                  5555          1            63  "
		    "        0               0           1              63   \n"
			    RULE);
	tp_stats_free(st);
}

/* A bare "conv" shows the tables that have rows; a named one shows even
 * when empty; "conv,tcp" and "endpoints,ip" keep their own tables. */
static void test_stats_which_tables(void **state)
{
	(void)state;
	frame arp = mk(arp_req);

	static const char *const bare[] = {"conv", NULL};
	tp_stats *st = parsed(bare, 0);
	feed(st, &arp, 1, 0);
	expect_text(st, CONV_HDR("Ethernet")
			"02:00:00:00:99:01    <-> ff:ff:ff:ff:ff:ff          0 "
			"0 bytes         1 42 bytes        1 42 bytes      "
			"0.000000000         0.0000\n" RULE);
	tp_stats_free(st);

	static const char *const bare_udp[] = {"conv", "conv,udp", NULL};
	st = parsed(bare_udp, 0);
	feed(st, &arp, 1, 0);
	expect_text(st, CONV_HDR("Ethernet")
			"02:00:00:00:99:01    <-> ff:ff:ff:ff:ff:ff          0 "
			"0 bytes         1 42 bytes        1 42 bytes      "
			"0.000000000         0.0000\n" RULE
			CONV_HDR_PORTS("UDP") RULE);
	tp_stats_free(st);

	/* nothing at all: a bare kind prints nothing */
	static const char *const bare_ep[] = {"endpoints", NULL};
	st = parsed(bare_ep, 0);
	expect_text(st, "");
	tp_stats_free(st);

	static const char *const mixed[] = {"conv,tcp", "endpoints,ip", NULL};
	st = parsed(mixed, 0);
	frame syn = mk(tcp4_syn), rst = mk(tcp4_rst);
	feed(st, &syn, 1, 0);
	feed(st, &rst, 1, 500000);
	expect_text(st, CONV_HDR_PORTS("TCP")
			"10.99.0.1:50680            <-> 10.99.0.2:9999         "
			"          1 54 bytes        1 74 bytes        2 128 "
			"bytes     0.000000000         0.0005\n" RULE
			EP_HDR("IPv4")
			"10.99.0.1                      2           128        "
			"  1              74           1              54   \n"
			"10.99.0.2                      2           128        "
			"  1              54           1              74   \n"
			RULE);
	tp_stats_free(st);
}

/* Rows by total frames, largest first, ties in order of appearance;
 * side A is the first packet's source, "->" counts A to B. */
static void test_stats_conv_order_and_direction(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,udp", NULL};
	tp_stats *st = parsed(args, 0);
	frame a = udp_from(1001), b = udp_from(1002), c = udp_from(1003);
	frame rb = reversed(b), rc = reversed(c);
	feed(st, &a, 10, 0);  /* a: 1 frame */
	feed(st, &rb, 11, 0); /* b, first seen 5555 -> 1002: A is .2 */
	feed(st, &b, 12, 0);
	feed(st, &rb, 13, 0); /* b: 3 frames */
	feed(st, &c, 14, 0);
	feed(st, &rc, 15, 0); /* c: 2 frames */
	feed(st, &rb, 16, 0);
	expect_text(st, CONV_HDR_PORTS("UDP")
			"10.99.0.2:5555             <-> 10.99.0.1:1002         "
			"          1 63 bytes        3 189 bytes       4 252 "
			"bytes     1.000000000         5.0000\n"
			"10.99.0.1:1003             <-> 10.99.0.2:5555         "
			"          1 63 bytes        1 63 bytes        2 126 "
			"bytes     4.000000000         1.0000\n"
			"10.99.0.1:1001             <-> 10.99.0.2:5555         "
			"          0 0 bytes         1 63 bytes        1 63 "
			"bytes      0.000000000         0.0000\n" RULE);
	tp_stats_free(st);
}

/* A packet from an address to itself is all "->", and both the tx and
 * the rx of the one endpoint (tshark on pcaps/lo-tcp.pcap). */
static void test_stats_self_conversation(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,ip", "endpoints,ip", NULL};
	tp_stats *st = parsed(args, 0);
	frame f = mk(udp4);
	memcpy(f.b + IP4_DST, f.b + IP4_SRC, 4);
	feed(st, &f, 1, 0);
	frame r = reversed(f); /* same addresses, ports swapped */
	feed(st, &r, 2, 0);
	expect_text(st, CONV_HDR("IPv4")
			"10.99.0.1            <-> 10.99.0.1                  0 "
			"0 bytes         2 126 bytes       2 126 bytes     "
			"0.000000000         1.0000\n" RULE EP_HDR("IPv4")
			"10.99.0.1                      4           252        "
			"  2             126           2             126   \n"
			RULE);
	tp_stats_free(st);
}

/* The quoted datagram of an ICMP error is not a UDP conversation. */
static void test_stats_icmp_quote_not_counted(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,udp", "conv,ip", NULL};
	tp_stats *st = parsed(args, 0);
	frame f = mk(icmp_unreach);
	feed(st, &f, 1, 0);
	expect_text(st, CONV_HDR("IPv4")
			"10.99.0.2            <-> 10.99.0.1                  0 "
			"0 bytes         1 95 bytes        1 95 bytes      "
			"0.000000000         0.0000\n" RULE
			CONV_HDR_PORTS("UDP") RULE);
	tp_stats_free(st);
}

/* A TCP header the capture cut is not a conversation (tshark taps a
 * header only once it was read whole); the IP header before it is. */
static void test_stats_truncated_header(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,tcp", "conv,ip", "phs",
					   NULL};
	tp_stats *st = parsed(args, 0);
	frame f = mk(tcp4_syn);
	tp_pkt *p = th_dissect(1, f.b, 64, f.n); /* snaplen 64 */
	p->ts_sec = 3;
	tp_stats_packet(st, p);
	expect_text(st, CONV_HDR("IPv4")
			"10.99.0.1            <-> 10.99.0.2                  0 "
			"0 bytes         1 74 bytes        1 74 bytes      "
			"0.000000000         0.0000\n" RULE
			CONV_HDR_PORTS("TCP") RULE PHS_HDR
			"eth                                      frames:1 "
			"bytes:74\n"
			"  ip                                     frames:1 "
			"bytes:74\n"
			"    tcp                                  frames:1 "
			"bytes:74\n"
			"      _ws.short                          frames:1 "
			"bytes:74\n" PHS_END);
	tp_stats_free(st);
}

/* A SYN with a new initial sequence number on an old port pair starts a
 * new tcp.stream: a new line, as tshark 4.0 prints it (checked on a
 * capture of these five frames). */
static void test_stats_port_reuse(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,tcp", NULL};
	tp_stats *st = parsed(args, 0);
	tp_flowcfg cfg;
	memset(&cfg, 0, sizeof cfg);
	tp_session *sess = tp_session_new(&cfg);
	assert_non_null(sess);
	tp_pkt *p = tp_pkt_new();
	assert_non_null(p);
	p->sess = sess;
	frame syn = mk(tcp4_syn), rst = mk(tcp4_rst);
	frame syn2 = syn, rst2 = rst;
	static const uint8_t isn2[] = {0x11, 0x22, 0x33, 0x44};
	static const uint8_t ack2[] = {0x11, 0x22, 0x33, 0x45};
	memcpy(syn2.b + 38, isn2, 4); /* sequence number */
	memcpy(rst2.b + 42, ack2, 4); /* acknowledgment number */
	const struct {
		const frame *f;
		int64_t sec;
		uint32_t nsec;
	} seq[] = {{&syn, 10, 0},   {&rst, 10, 1000}, {&syn2, 20, 0},
		   {&rst2, 20, 1000}, {&syn2, 21, 0}};
	for (size_t i = 0; i < TP_COUNT(seq); i++) {
		tp_dissect_buf(p, 1, seq[i].f->b, seq[i].f->n, seq[i].f->n);
		p->ts_sec = seq[i].sec;
		p->ts_nsec = seq[i].nsec;
		tp_stats_packet(st, p);
	}
	expect_text(st, CONV_HDR_PORTS("TCP")
			"10.99.0.1:50680            <-> 10.99.0.2:9999         "
			"          1 54 bytes        2 148 bytes       3 202 "
			"bytes    10.000000000         1.0000\n"
			"10.99.0.1:50680            <-> 10.99.0.2:9999         "
			"          1 54 bytes        1 74 bytes        2 128 "
			"bytes     0.000000000         0.0000\n" RULE);
	tp_stats_free(st);
	tp_session_finish(sess);
	tp_session_free(sess);
	tp_pkt_free(p);
}

/* wsutil format_size(): SI prefixes from ten units up, truncated (the
 * first three lines as tshark prints them; it overflows past 2^31). */
static void test_stats_sizes(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,udp", NULL};
	tp_stats *st = parsed(args, 0);
	static const uint64_t lens[] = {9999, 10000, 99999999, 4000000000u};
	for (unsigned i = 0; i < TP_COUNT(lens); i++) {
		frame f = udp_from((uint16_t)(40000 + i));
		feed_len(st, &f, 5 + i, lens[i]);
	}
	expect_text(st, CONV_HDR_PORTS("UDP")
			"10.99.0.1:40000            <-> 10.99.0.2:5555         "
			"          0 0 bytes         1 9999 bytes       1 9999 "
			"bytes     0.000000000         0.0000\n"
			"10.99.0.1:40001            <-> 10.99.0.2:5555         "
			"          0 0 bytes         1 10 kB           1 10 kB "
			"        1.000000000         0.0000\n"
			"10.99.0.1:40002            <-> 10.99.0.2:5555         "
			"          0 0 bytes         1 99 MB           1 99 MB "
			"        2.000000000         0.0000\n"
			"10.99.0.1:40003            <-> 10.99.0.2:5555         "
			"          0 0 bytes         1 4000 MB         1 4000 MB "
			"      3.000000000         0.0000\n" RULE);
	tp_stats_free(st);

	/* sums past 32 bits, up to tera */
	st = parsed(args, 0);
	frame f = udp_from(1);
	for (int i = 0; i < 2600; i++)
		feed_len(st, &f, 1, 4000000000u);
	char *got = render(st);
	assert_non_null(strstr(got, "   2600 10 TB        2600 10 TB "));
	free(got);
	tp_stats_free(st);
}

/* Times: relative to the first frame (whatever its protocol), a start
 * that goes back, nanosecond borrows; hostile times do not overflow. */
static void test_stats_times(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,udp", NULL};
	tp_stats *st = parsed(args, 0);
	frame arp = mk(arp_req), a = udp_from(1), b = udp_from(2);
	feed(st, &arp, 10, 999999999); /* the reference: not a UDP row */
	feed(st, &a, 12, 1);
	feed(st, &a, 11, 500000000); /* earlier: moves the start */
	feed(st, &a, 13, 0);
	feed(st, &b, 9, 0); /* before the first frame */
	expect_text(st, CONV_HDR_PORTS("UDP")
			"10.99.0.1:1                <-> 10.99.0.2:5555         "
			"          0 0 bytes         3 189 bytes       3 189 "
			"bytes     0.500000001         1.5000\n"
			"10.99.0.1:2                <-> 10.99.0.2:5555         "
			"          0 0 bytes         1 63 bytes        1 63 "
			"bytes     -1.999999999         0.0000\n" RULE);
	tp_stats_free(st);

	st = parsed(args, 0);
	tp_pkt *p = th_dissect(1, a.b, a.n, a.n);
	static const struct {
		int64_t sec;
		uint32_t nsec;
	} ts[] = {{INT64_MIN, 0}, {INT64_MAX, 999999999},
		  {0, 4000000000u}, {INT64_MAX, 4000000000u}, {-1, 0}};
	for (unsigned i = 0; i < TP_COUNT(ts); i++) {
		p->ts_sec = ts[i].sec;
		p->ts_nsec = ts[i].nsec;
		tp_stats_packet(st, p);
	}
	char *got = render(st);
	assert_non_null(strstr(got, "      5 315 bytes"));
	free(got);
	tp_stats_free(st);
}

/* ---- caps ---------------------------------------------------------- */

/* At max_entries rows, conversations not yet in the table are summed in
 * one "(other)" line, last; rows already in keep counting. */
static void test_stats_cap_other(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,udp", "endpoints,udp", NULL};
	tp_stats *st = parsed(args, 2);
	for (int i = 0; i < 5; i++) {
		frame f = udp_from((uint16_t)(100 + i));
		for (int k = 0; k <= i; k++)
			feed(st, &f, 1 + i, (uint32_t)k * 1000u);
	}
	frame first = udp_from(100);
	feed(st, &first, 9, 0);
	expect_text(st, CONV_HDR_PORTS("UDP")
			"10.99.0.1:100              <-> 10.99.0.2:5555         "
			"          0 0 bytes         2 126 bytes       2 126 "
			"bytes     0.000000000         8.0000\n"
			"10.99.0.1:101              <-> 10.99.0.2:5555         "
			"          0 0 bytes         2 126 bytes       2 126 "
			"bytes     1.000000000         0.0000\n"
			"(other)                    <-> (other)                "
			"          - -               - -              12 756 "
			"bytes     2.000000000         2.0000\n" RULE
			EP_HDR_PORTS("UDP")
			"10.99.0.2                  5555         16          "
			"1008          0               0          16            "
			"1008   \n"
			"10.99.0.1                   100          2           "
			"126          2             126           0               "
			"0   \n"
			"(other)                       -         14           "
			"882         14             882           0               "
			"0   \n" RULE);
	tp_stats_free(st);
}

/* Many rows: the table grows (and rehashes) without losing any. */
static void test_stats_growth(void **state)
{
	(void)state;
	static const char *const args[] = {"conv,udp", "endpoints,ip", NULL};
	tp_stats *st = parsed(args, 5000);
	for (unsigned i = 0; i < 3000; i++) {
		frame f = udp_from((uint16_t)(10000 + i));
		feed(st, &f, 1, i);
		if (i % 3 == 0)
			feed(st, &f, 2, i);
	}
	char *got = render(st);
	assert_int_equal(count_lines(got, "<-> 10.99.0.2:5555"), 3000);
	assert_null(strstr(got, "(other)"));
	/* the 1000 two-frame rows first, in order of appearance */
	const char *r0 = strstr(got, "10.99.0.1:10000 ");
	const char *r3 = strstr(got, "10.99.0.1:10003 ");
	const char *r1 = strstr(got, "10.99.0.1:10001 ");
	assert_true(r0 && r3 && r1 && r0 < r3 && r3 < r1);
	assert_non_null(strstr(got, "10.99.0.1                   4000"));
	free(got);
	tp_stats_free(st);
}

/* ---- the protocol hierarchy --------------------------------------- */

static void test_stats_phs_tree(void **state)
{
	(void)state;
	static const char *const args[] = {"phs", NULL};
	tp_stats *st = parsed(args, 0);
	feed_s1(st);
	expect_text(st, s1_phs);
	tp_stats_free(st);

	/* no packets: the frame of the table only */
	st = parsed(args, 0);
	expect_text(st, PHS_HDR PHS_END);
	tp_stats_free(st);
}

/* Made-up layers to drive the tree past its caps. */
static tp_dissector fake[80];
static char fake_names[80][8];

static void fake_init(void)
{
	for (unsigned i = 0; i < TP_COUNT(fake); i++) {
		snprintf(fake_names[i], sizeof fake_names[i], "p%u", i);
		fake[i].name = fake_names[i];
	}
}

/* A record of frame + the fake layers named by `ids`. */
static void feed_fake(tp_stats *st, tp_pkt *p, const unsigned *ids,
		      unsigned n, uint32_t len)
{
	tp_pkt_reset(p);
	p->len = len;
	memset(&p->layers[0], 0, sizeof p->layers[0]);
	p->layers[0].d = &tp_diss_frame;
	p->nlayers = 1;
	p->level = 0;
	tp_meta_sync(p);
	for (unsigned i = 0; i < n && p->nlayers < TP_MAX_LAYERS; i++) {
		tp_layer *l = &p->layers[p->nlayers++];
		memset(l, 0, sizeof *l);
		l->d = &fake[ids[i]];
	}
	tp_stats_packet(st, p);
}

static void test_stats_phs_caps(void **state)
{
	(void)state;
	fake_init();
	static const char *const args[] = {"phs", NULL};
	tp_pkt *p = tp_pkt_new();
	assert_non_null(p);

	/* 70 protocols at the top: 64 nodes, the rest in "(other)" */
	tp_stats *st = parsed(args, 0);
	for (unsigned i = 0; i < 70; i++)
		feed_fake(st, p, &i, 1, 10);
	char *got = render(st);
	assert_int_equal(count_lines(got, " frames:1 bytes:10\n"), 64);
	assert_non_null(strstr(got, "p63 "));
	assert_null(strstr(got, "p64 "));
	assert_non_null(strstr(got, "\n(other)                                  "
				    "frames:6 bytes:60\n"));
	free(got);
	tp_stats_free(st);

	/* as deep as a record goes: "..." past 16 levels, as tshark */
	st = parsed(args, 0);
	unsigned ids[TP_MAX_LAYERS];
	for (unsigned i = 0; i < TP_MAX_LAYERS; i++)
		ids[i] = i;
	feed_fake(st, p, ids, TP_MAX_LAYERS, 1);
	got = render(st);
	assert_non_null(strstr(got, "\n                              p15     "));
	assert_non_null(strstr(got, "\n                                p16   "));
	assert_non_null(strstr(got, "\n                                ...p17"));
	assert_non_null(strstr(got, "\n                                ...p22"));
	free(got);
	tp_stats_free(st);

	/* 64 x 64 distinct paths: the node cap holds, the totals add up */
	st = parsed(args, 0);
	for (unsigned i = 0; i < 64; i++)
		for (unsigned k = 0; k < 64; k++) {
			unsigned two[2] = {i, k};
			feed_fake(st, p, two, 2, 1);
		}
	got = render(st);
	assert_true(count_lines(got, "\n") < 4096 + 100);
	/* 63 top nodes with their 64 children fill the 4096 nodes (with
	 * the root): the 64th top protocol is "(other)" */
	assert_non_null(strstr(got, "\n(other)                                  "
				    "frames:64 bytes:64\n"));
	assert_non_null(strstr(got, "\np62 "));
	assert_null(strstr(got, "\np63 "));
	uint64_t top = 0, second = 0;
	for (const char *q = got; q && *q; q = strchr(q, '\n'), q = q ? q + 1 : q) {
		const char *fr = strstr(q, "frames:");
		const char *nl = strchr(q, '\n');
		if (!fr || (nl && fr > nl))
			continue;
		if (q[0] == 'p' || q[0] == '(')
			top += strtoull(fr + 7, NULL, 10);
		else if (q[0] == ' ' && q[1] == ' ' && q[2] != ' ')
			second += strtoull(fr + 7, NULL, 10);
	}
	assert_int_equal(top, 64 * 64);
	assert_int_equal(second, 63 * 64);
	free(got);
	tp_stats_free(st);
	tp_pkt_free(p);
}

/* ---- hostile records ---------------------------------------------- */

/* Every cut of every frame, and length fields bumped: never a crash, and
 * nothing counted from a header that was not there. */
static void test_stats_hostile_records(void **state)
{
	(void)state;
	static const char *const args[] = {
		"conv",	     "endpoints", "phs",       "conv,eth",
		"conv,ipv6", "conv,udp",  "endpoints,tcp", NULL,
	};
	tp_stats *st = parsed(args, 8);
	static const char *const frames[] = {tcp4_syn, tcp4_rst, tcp6_syn,
					     tcp6_rst, udp4,	  arp_req,
					     icmp_echo, icmp_unreach};
	unsigned total = 0;
	for (size_t i = 0; i < TP_COUNT(frames); i++) {
		frame f = mk(frames[i]);
		for (size_t cut = 0; cut <= f.n; cut++) {
			tp_pkt *p = th_dissect(1, f.b, cut, f.n);
			p->ts_sec = (int64_t)cut;
			tp_stats_packet(st, p);
			total++;
		}
		for (size_t off = 12; off + 2 <= f.n; off += 2) {
			frame g = f;
			g.b[off] ^= 0xff;
			tp_pkt *p = th_dissect(1, g.b, g.n, g.n);
			tp_stats_packet(st, p);
			total++;
		}
	}
	char *got = render(st);
	assert_non_null(strstr(got, "Ethernet Conversations"));
	assert_non_null(strstr(got, "(other)"));
	/* the top of the tree holds every packet (all have Ethernet
	 * headers except the cuts shorter than 14 bytes) */
	assert_non_null(strstr(got, "\neth "));
	free(got);
	tp_stats_free(st);
	(void)total;

	/* NULLs are harmless */
	tp_stats_packet(NULL, NULL);
	st = parsed(args, 0);
	tp_stats_packet(st, NULL);
	tp_stats_print(NULL, stdout);
	tp_stats_print(st, NULL);
	tp_stats_free(st);
	tp_stats_free(NULL);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_stats_parse_forms),
		cmocka_unit_test(test_stats_parse_errors),
		cmocka_unit_test(test_stats_app),
		cmocka_unit_test(test_stats_all_tables),
		cmocka_unit_test(test_stats_plain_table_bits),
		cmocka_unit_test(test_stats_which_tables),
		cmocka_unit_test(test_stats_conv_order_and_direction),
		cmocka_unit_test(test_stats_self_conversation),
		cmocka_unit_test(test_stats_icmp_quote_not_counted),
		cmocka_unit_test(test_stats_truncated_header),
		cmocka_unit_test(test_stats_port_reuse),
		cmocka_unit_test(test_stats_sizes),
		cmocka_unit_test(test_stats_times),
		cmocka_unit_test(test_stats_cap_other),
		cmocka_unit_test(test_stats_growth),
		cmocka_unit_test(test_stats_phs_tree),
		cmocka_unit_test(test_stats_phs_caps),
		cmocka_unit_test(test_stats_hostile_records),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
