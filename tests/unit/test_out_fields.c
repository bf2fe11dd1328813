/* test_out_fields.c - -T fields: values per field type as tshark prints
 * them, and every -E option, byte for byte.  Expected lines were printed
 * by tshark 4.0 over the same frames (pcaps/), TZ=UTC. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream, timegm */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"

/* pcaps/tcp-options.pcap #1: a SYN with MSS, SACK permitted, timestamps,
 * NOP, window scale, TFO, an experimental option, user timeout. */
static const char syn_frame[] =
    "02000000990202000000990108004500004c00010000400665e30a6300010a63"
    "00029c431f40000003e800000000e002faf09e430000020405b40402080a075b"
    "cd150000000001030307220a7a7a0102030405061e0401810101";
/* pcaps/ipv6-ext.pcap #1: hop-by-hop options (router alert, PadN of
 * zero bytes), then an ICMPv6 echo request. */
static const char v6_frame[] =
    "02000000990202000000990186dd60000000001e0040fd00009900000000000000"
    "0000000001fd0000990000000000000000000000023a0005020000010080002dfd"
    "7a01000174617069722d697076362d657874";
/* pcaps/vlan-qinq.pcap #3: 802.1ad 200, 802.1Q 100, ICMP echo. */
static const char qinq_frame[] =
    "02000000990202000000990188a860c881000064080045000054b0d540004001"
    "750b0a6300010a63000208003bf955330001e855016b00000000b73e07000000"
    "0000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d"
    "2e2f3031323334353637";

static void utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

/* The run the frames belong to (frame.time_relative, _delta): a new
 * one for each frame numbered 1. */
static tp_dctx run;

static tp_pkt *dissect_at(const char *hex, uint64_t number, int64_t sec,
			  uint32_t nsec)
{
	static uint8_t b[2048];
	size_t n = th_hex(hex, b, sizeof b);
	static tp_pkt *p;
	if (!p)
		p = tp_pkt_new();
	if (number == 1)
		memset(&run, 0, sizeof run);
	p->dctx = &run;
	tp_pkthdr h = {sec, nsec, (uint32_t)n, (uint32_t)n, 1, 0};
	tp_dissect(p, number, &h, b);
	return p;
}

/* Run -T fields over frames; returns the output (static). */
struct frame {
	const char *hex;
	int64_t sec;
	uint32_t nsec;
};

static const char *run_fields(const struct frame *fr, size_t nfr,
			      const char *const *names, size_t n,
			      const char *const *eopts)
{
	static char *buf;
	size_t len = 0;
	free(buf);
	buf = NULL;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	tp_fieldfmt fmt;
	tp_fieldfmt_init(&fmt);
	for (; eopts && *eopts; eopts++)
		assert_int_equal(tp_fieldfmt_set(&fmt, *eopts), 0);
	char err[256];
	tp_output *o =
	    tp_out_fields_new_fmt(fp, names, n, &fmt, err, sizeof err);
	assert_non_null(o);
	for (size_t i = 0; i < nfr; i++) {
		tp_pkt *p = dissect_at(fr[i].hex, i + 1, fr[i].sec, fr[i].nsec);
		o->packet(o, p);
	}
	o->finish(o);
	tp_out_fields_free(o);
	fclose(fp);
	return buf;
}

static const char *text_of(const tp_field *f, const tp_pkt *p)
{
	static char b[4096];
	tp_sbuf s;
	tp_sb_init(&s, b, sizeof b);
	tp_format_field_text(&s, p, f);
	return tp_sb_cstr(&s);
}

/* ---- values per type ------------------------------------------------ */

static void test_out_fields_value_per_type(void **state)
{
	(void)state;
	utc();
	static const tp_valstr vs[] = {{0, "Source Route"}, {0, NULL}};
	static const tp_field_def
	    none = {"x.n", "N", TP_FT_NONE, 0, NULL, 0},
	    proto = {"x.proto", "P", TP_FT_PROTOCOL, 0, NULL, 0},
	    lbl = {"x.rt", "Routing Header", TP_FT_PROTOCOL, 0, vs, 0},
	    b = {"x.b", "B", TP_FT_BOOLEAN, 8, NULL, 0x40},
	    u8h = {"x.a", "A", TP_FT_UINT8, TP_BASE_HEX, NULL, 0},
	    u16h = {"x.c", "C", TP_FT_UINT16, TP_BASE_HEX, NULL, 0x0fff},
	    u24h = {"x.d", "D", TP_FT_UINT24, TP_BASE_HEX_DEC, NULL, 0},
	    u32h = {"x.e", "E", TP_FT_UINT32, TP_BASE_HEX, NULL, 0},
	    u64h = {"x.f", "F", TP_FT_UINT64, TP_BASE_HEX, NULL, 0},
	    u32d = {"x.g", "G", TP_FT_UINT32, TP_BASE_DEC, vs, 0},
	    u16dh = {"x.h", "H", TP_FT_UINT16, TP_BASE_DEC_HEX, NULL, 0},
	    oct = {"x.o", "O", TP_FT_UINT8, TP_BASE_OCT, NULL, 0},
	    i32 = {"x.i", "I", TP_FT_INT32, TP_BASE_DEC, NULL, 0},
	    fn = {"x.fn", "FN", TP_FT_FRAMENUM, 0, NULL, 0},
	    eth = {"x.m", "M", TP_FT_ETHER, 0, NULL, 0},
	    v4 = {"x.4", "4", TP_FT_IPv4, 0, NULL, 0},
	    v6 = {"x.6", "6", TP_FT_IPv6, 0, NULL, 0},
	    by = {"x.by", "BY", TP_FT_BYTES, 0, NULL, 0},
	    str = {"x.s", "S", TP_FT_STRING, 0, NULL, 0},
	    at = {"x.at", "AT", TP_FT_ABSOLUTE_TIME, 0, NULL, 0},
	    rt = {"x.rt2", "RT", TP_FT_RELATIVE_TIME, 0, NULL, 0};
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0x99, 0xAB};
	static const uint8_t a4[4] = {10, 99, 0, 1};
	static const uint8_t a6[16] = {0xfd, 0, 0, 0x99, [15] = 1};
	static const uint8_t v4map[16] = {[10] = 0xff, [11] = 0xff, 192,
					  0,	       2,	    1};
	tp_field f = {.def = &none};
	assert_string_equal(text_of(&f, NULL), "1");
	f.def = &proto;
	assert_string_equal(text_of(&f, NULL), "x.proto");
	f.def = &lbl;
	assert_string_equal(text_of(&f, NULL), "Routing Header (Source Route)");
	f.v.u = 77;
	assert_string_equal(text_of(&f, NULL),
			    "Routing Header (Unknown type 77)");
	f.def = &b;
	f.v.u = 1;
	assert_string_equal(text_of(&f, NULL), "1");
	f.v.u = 0;
	assert_string_equal(text_of(&f, NULL), "0");
	/* hex: 0x and two digits per byte of the type, masked or not */
	f.def = &u8h;
	f.v.u = 2;
	assert_string_equal(text_of(&f, NULL), "0x02");
	f.def = &u16h;
	f.v.u = 0x12;
	assert_string_equal(text_of(&f, NULL), "0x0012");
	f.def = &u24h;
	f.v.u = 0;
	assert_string_equal(text_of(&f, NULL), "0x000000");
	f.def = &u32h;
	f.v.u = 0xdeadbeef;
	assert_string_equal(text_of(&f, NULL), "0xdeadbeef");
	f.def = &u64h;
	f.v.u = 1;
	assert_string_equal(text_of(&f, NULL), "0x0000000000000001");
	/* decimal, never the value string; BASE_DEC_HEX is decimal */
	f.def = &u32d;
	f.v.u = 0;
	assert_string_equal(text_of(&f, NULL), "0");
	f.v.u = 4294967295u;
	assert_string_equal(text_of(&f, NULL), "4294967295");
	f.def = &u16dh;
	f.v.u = 65535;
	assert_string_equal(text_of(&f, NULL), "65535");
	f.def = &oct;
	f.v.u = 8;
	assert_string_equal(text_of(&f, NULL), "010");
	f.def = &i32;
	f.v.i = -2;
	assert_string_equal(text_of(&f, NULL), "-2");
	f.v.i = INT64_MIN; /* never more than the type holds, but no crash */
	assert_string_equal(text_of(&f, NULL), "-9223372036854775808");
	f.def = &fn;
	f.v.u = 12;
	assert_string_equal(text_of(&f, NULL), "12");
	f.def = &eth;
	f.v.p = mac;
	f.vlen = 6;
	assert_string_equal(text_of(&f, NULL), "02:00:00:00:99:ab");
	f.def = &v4;
	f.v.p = a4;
	f.vlen = 4;
	assert_string_equal(text_of(&f, NULL), "10.99.0.1");
	f.def = &v6;
	f.v.p = a6;
	f.vlen = 16;
	assert_string_equal(text_of(&f, NULL), "fd00:99::1");
	f.v.p = v4map;
	assert_string_equal(text_of(&f, NULL), "::ffff:192.0.2.1");
	f.def = &by;
	f.v.p = mac;
	f.vlen = 6;
	assert_string_equal(text_of(&f, NULL), "0200000099ab");
	f.vlen = 0;
	assert_string_equal(text_of(&f, NULL), "<MISSING>");
	/* strings as they are: the caller escapes what tshark escapes */
	f.def = &str;
	f.v.p = (const uint8_t *)"a b\"c";
	f.vlen = 5;
	assert_string_equal(text_of(&f, NULL), "a b\"c");
	/* absolute times: local time (TZ=UTC here), day padded by a space */
	f.def = &at;
	f.v.u = 1795249649428833000ull;
	assert_string_equal(text_of(&f, NULL),
			    "Nov 21, 2026 08:27:29.428833000 UTC");
	f.v.u = 1578182400000000001ull; /* 2020-01-05 */
	assert_string_equal(text_of(&f, NULL),
			    "Jan  5, 2020 00:00:00.000000001 UTC");
	f.v.u = 0;
	assert_string_equal(text_of(&f, NULL),
			    "Jan  1, 1970 00:00:00.000000000 UTC");
	/* relative: nine decimals, one minus sign */
	f.def = &rt;
	f.v.i = 54000;
	assert_string_equal(text_of(&f, NULL), "0.000054000");
	f.v.i = -1500000000;
	assert_string_equal(text_of(&f, NULL), "-1.500000000");
	f.v.i = -1;
	assert_string_equal(text_of(&f, NULL), "-0.000000001");
	f.v.i = 1795249668676397000;
	assert_string_equal(text_of(&f, NULL), "1795249668.676397000");
	char b2[64];
	tp_sbuf s;
	tp_sb_init(&s, b2, sizeof b2);
	tp_sb_abstime(&s, INT64_MAX, 0);
	assert_string_equal(tp_sb_cstr(&s), "Not representable");
}

/* TCP options print as their bytes: the whole option, or what of it
 * was captured. */
static void test_out_fields_protocol_bytes(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = th_hex(syn_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	const tp_field *mss = th_field(p, "tcp.options.mss");
	assert_non_null(mss);
	assert_string_equal(text_of(mss, p), "020405b4");
	assert_string_equal(text_of(th_field(p, "tcp.options.timestamp"), p),
			    "080a075bcd1500000000");
	/* cut in the middle of the timestamps option (snaplen 64) */
	p = th_dissect(1, b, 64, n);
	const tp_field *ts = th_field(p, "tcp.options.timestamp");
	assert_non_null(ts);
	assert_string_equal(text_of(ts, p), "080a075b");
	/* no packet to read the bytes from: nothing, no crash */
	assert_string_equal(text_of(ts, NULL), "");
}

/* ---- whole lines ---------------------------------------------------- */

static void test_out_fields_tshark_line(void **state)
{
	(void)state;
	utc();
	static const char *const names[] = {
	    "frame.number",    "frame.time",
	    "eth.src",	       "ip.flags",
	    "ip.flags.df",     "ip.checksum",
	    "tcp.flags",       "tcp.flags.syn",
	    "tcp.options.mss", "tcp.options.mss_val",
	    "tcp.option_kind", "tcp.options.nop",
	    "ip.dsfield",      "ip.id",
	    "ipv6.src"};
	struct frame fr[] = {{syn_frame, 1795249668, 676397000}};
	const char *out = run_fields(fr, 1, names, TP_COUNT(names), NULL);
	assert_string_equal(out,
			    "1\tNov 21, 2026 08:27:48.676397000 UTC\t"
			    "02:00:00:00:99:01\t0x00\t0\t0x65e3\t0x0002\t1\t"
			    "020405b4\t1460\t2,4,8,1,3,34,30,1,1\t01,01,01\t"
			    "0x00\t0x0001\t\n");
	/* header, quotes: a non-empty cell is quoted, an empty one not, the
	 * header never */
	static const char *const hq[] = {"header=y", "quote=d", NULL};
	out = run_fields(fr, 1, names + 12, 3, hq);
	assert_string_equal(out, "ip.dsfield\tip.id\tipv6.src\n"
				 "\"0x00\"\t\"0x0001\"\t\n");
	static const char *const sq[] = {"quote=s", "separator=/s", NULL};
	out = run_fields(fr, 1, names + 12, 3, sq);
	assert_string_equal(out, "'0x00' '0x0001' \n");
}

static void test_out_fields_occurrences(void **state)
{
	(void)state;
	static const char *const names[] = {"ipv6.src", "ipv6.opt.type",
					    "ipv6.hopopts", "icmpv6.type",
					    "vlan.id"};
	struct frame fr[] = {{v6_frame, 1, 0}};
	const char *out = run_fields(fr, 1, names, TP_COUNT(names), NULL);
	assert_string_equal(out,
			    "fd00:99::1\t0x05,0x01\tipv6.hopopts\t128\t\n");
	static const char *const agg[] = {"aggregator=/s", NULL};
	out = run_fields(fr, 1, names, 2, agg);
	assert_string_equal(out, "fd00:99::1\t0x05 0x01\n");
	static const char *const first[] = {"occurrence=f", NULL};
	out = run_fields(fr, 1, names, 2, first);
	assert_string_equal(out, "fd00:99::1\t0x05\n");
	static const char *const last[] = {"occurrence=l", NULL};
	out = run_fields(fr, 1, names, 2, last);
	assert_string_equal(out, "fd00:99::1\t0x01\n");
	/* tapir's occurrence=N: 1-based, negative from the end, empty past
	 * the last */
	static const char *const second[] = {"occurrence=2", NULL};
	out = run_fields(fr, 1, names, 2, second);
	assert_string_equal(out, "\t0x01\n");
	static const char *const minus2[] = {"occurrence=-2", NULL};
	out = run_fields(fr, 1, names, 2, minus2);
	assert_string_equal(out, "\t0x05\n");
	static const char *const huge[] = {"occurrence=1000000000", NULL};
	out = run_fields(fr, 1, names, 2, huge);
	assert_string_equal(out, "\t\n");
	static const char *const mhuge[] = {"occurrence=-1000000000", NULL};
	out = run_fields(fr, 1, names, 2, mhuge);
	assert_string_equal(out, "\t\n");
	/* a tab as aggregator goes through tshark's escaping: "\t" */
	static const char *const tab[] = {"aggregator=\t", "quote=d", NULL};
	out = run_fields(fr, 1, names, 2, tab);
	assert_string_equal(out, "\"fd00:99::1\"\t\"0x05\\t0x01\"\n");
	/* QinQ: both tags' ids, outer first, as tshark */
	static const char *const q[] = {"vlan.id", "ieee8021ad.id", "eth.type",
					"frame.protocols"};
	struct frame fq[] = {{qinq_frame, 1, 0}};
	out = run_fields(fq, 1, q, TP_COUNT(q), NULL);
	assert_string_equal(
	    out, "100\t200\t0x88a8\t"
		 "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:"
		 "icmp:data\n");
}

/* tshark's -E parsing, including its quirks. */
static void test_out_fields_options(void **state)
{
	(void)state;
	tp_fieldfmt f;
	tp_fieldfmt_init(&f);
	assert_int_equal(f.separator, '\t');
	assert_int_equal(f.aggregator, ',');
	assert_int_equal(f.quote, 0);
	assert_int_equal(f.occurrence, 'a');
	assert_false(f.header);
	assert_false(f.bom);
	assert_int_equal(tp_fieldfmt_set(&f, "header=yes"), 0);
	assert_true(f.header);
	assert_int_equal(tp_fieldfmt_set(&f, "header=n"), 0);
	assert_false(f.header);
	assert_int_equal(tp_fieldfmt_set(&f, "bom=y"), 0);
	assert_true(f.bom);
	assert_int_equal(tp_fieldfmt_set(&f, "separator=/s"), 0);
	assert_int_equal(f.separator, ' ');
	assert_int_equal(tp_fieldfmt_set(&f, "separator=/t"), 0);
	assert_int_equal(f.separator, '\t');
	assert_int_equal(tp_fieldfmt_set(&f, "separator=ab"), 0);
	assert_int_equal(f.separator, 'a'); /* the first character only */
	assert_int_equal(tp_fieldfmt_set(&f, "separator=/n"), 0);
	assert_int_equal(f.separator, '\\'); /* any other "/x" */
	assert_int_equal(tp_fieldfmt_set(&f, "separator=/"), 0);
	assert_int_equal(f.separator, '\\');
	assert_int_equal(tp_fieldfmt_set(&f, "separator=="), 0);
	assert_int_equal(f.separator, '=');
	assert_int_equal(tp_fieldfmt_set(&f, "aggregator=/t"), 0);
	assert_int_equal(f.aggregator, '\\'); /* only /s for aggregators */
	assert_int_equal(tp_fieldfmt_set(&f, "aggregator=/s"), 0);
	assert_int_equal(f.aggregator, ' ');
	assert_int_equal(tp_fieldfmt_set(&f, "aggregator=;"), 0);
	assert_int_equal(f.aggregator, ';');
	assert_int_equal(tp_fieldfmt_set(&f, "quote=d"), 0);
	assert_int_equal(f.quote, '"');
	assert_int_equal(tp_fieldfmt_set(&f, "quote=single"), 0);
	assert_int_equal(f.quote, '\'');
	assert_int_equal(tp_fieldfmt_set(&f, "quote=n"), 0);
	assert_int_equal(f.quote, 0);
	assert_int_equal(tp_fieldfmt_set(&f, "occurrence=last"), 0);
	assert_int_equal(f.occurrence, 'l');
	assert_int_equal(tp_fieldfmt_set(&f, "occurrence=7"), 0);
	assert_int_equal(f.occurrence, 'n');
	assert_int_equal(f.nth, 7);
	assert_int_equal(tp_fieldfmt_set(&f, "occurrence=-1"), 0);
	assert_int_equal(f.nth, -1);
	/* refused, the format unchanged */
	static const char *const bad[] = {"header",
					  "header=",
					  "header=x",
					  "header=Y",
					  "bom=1",
					  "=y",
					  "separator=",
					  "aggregator=",
					  "quote=x",
					  "quote=",
					  "occurrence=0",
					  "occurrence=x",
					  "occurrence=",
					  "occurrence=1x",
					  "occurrence=-0",
					  "occurrence=99999999999999999999",
					  "occurrence=1000000001",
					  "occurrence=-1000000001",
					  "foo=bar",
					  "",
					  "separatorx=a",
					  "Header=y"};
	tp_fieldfmt before = f;
	for (size_t i = 0; i < TP_COUNT(bad); i++) {
		assert_int_equal(tp_fieldfmt_set(&f, bad[i]), -1);
		assert_memory_equal(&f, &before, sizeof f);
	}
}

/* The BOM and header come before the first line, or at the end when
 * there was no packet; nothing else then. */
static void test_out_fields_header_without_packets(void **state)
{
	(void)state;
	static const char *const names[] = {"ip.src", "tcp.flags"};
	static const char *const h[] = {"header=y", "separator=,", NULL};
	const char *out = run_fields(NULL, 0, names, 2, h);
	assert_string_equal(out, "ip.src,tcp.flags\n");
	static const char *const bh[] = {"bom=y", "header=y", NULL};
	out = run_fields(NULL, 0, names, 2, bh);
	assert_string_equal(out, "\xef\xbb\xbfip.src\ttcp.flags\n");
	static const char *const b[] = {"bom=y", NULL};
	out = run_fields(NULL, 0, names, 2, b);
	assert_string_equal(out, "\xef\xbb\xbf");
	out = run_fields(NULL, 0, names, 2, NULL);
	assert_string_equal(out, "");
	struct frame fr[] = {{syn_frame, 1, 0}, {syn_frame, 2, 0}};
	out = run_fields(fr, 2, names, 2, bh);
	assert_string_equal(out, "\xef\xbb\xbfip.src\ttcp.flags\n"
				 "10.99.0.1\t0x0002\n10.99.0.1\t0x0002\n");
}

/* tshark fills only the last column of a field named twice. */
static void test_out_fields_repeated_name(void **state)
{
	(void)state;
	static const char *const names[] = {"ip.src", "ip.dst", "ip.src"};
	struct frame fr[] = {{syn_frame, 1, 0}};
	static const char *const q[] = {"quote=d", NULL};
	const char *out = run_fields(fr, 1, names, 3, q);
	assert_string_equal(out, "\t\"10.99.0.2\"\t\"10.99.0.1\"\n");
}

/* frame.time_relative and frame.time_delta from the first and previous
 * packet; a clock going backwards gives negative deltas. */
static void test_out_fields_frame_times(void **state)
{
	(void)state;
	utc();
	static const char *const names[] = {"frame.number",
					    "frame.time_epoch",
					    "frame.time_relative",
					    "frame.time_delta",
					    "frame.time_delta_displayed",
					    "frame.len",
					    "frame.cap_len",
					    "frame.protocols"};
	struct frame fr[] = {{syn_frame, 1795249668, 676397000},
			     {syn_frame, 1795249668, 676451000},
			     {syn_frame, 1795249667, 0}};
	const char *out = run_fields(fr, 3, names, TP_COUNT(names), NULL);
	assert_string_equal(
	    out, "1\t1795249668.676397000\t0.000000000\t0.000000000\t"
		 "0.000000000\t90\t90\teth:ethertype:ip:tcp:mptcp\n"
		 "2\t1795249668.676451000\t0.000054000\t0.000054000\t"
		 "0.000054000\t90\t90\teth:ethertype:ip:tcp:mptcp\n"
		 "3\t1795249667.000000000\t-1.676397000\t-1.676451000\t"
		 "-1.676451000\t90\t90\teth:ethertype:ip:tcp:mptcp\n");
}

/* _ws.malformed: Wireshark's name, printed as tshark prints a protocol
 * item (its name) on a packet that breaks its protocol, empty on
 * others.  The second frame's IPv4 header length is 16 (< 20). */
static void test_out_fields_malformed(void **state)
{
	(void)state;
	static const char *const names[] = {"frame.number", "_ws.malformed"};
	static char bad[sizeof syn_frame];
	memcpy(bad, syn_frame, sizeof syn_frame);
	assert_int_equal(bad[28], '4');
	assert_int_equal(bad[29], '5');
	bad[29] = '4';
	struct frame fr[] = {{syn_frame, 1, 0}, {bad, 2, 0}, {syn_frame, 3, 0}};
	const char *out = run_fields(fr, 3, names, TP_COUNT(names), NULL);
	assert_string_equal(out, "1\t\n2\t_ws.malformed\n3\t\n");
	assert_non_null(tp_registry_field("_ws.malformed"));
}

/* The frame's fields are record fields like any other, numbers only:
 * the relative times from the run (dctx), the epoch as seconds and
 * nanoseconds, frame.protocols' text made from the layer list when
 * formatted, _ws.malformed only on a malformed packet; the -V tree
 * leaves them out. */
static void test_out_fields_frame_record(void **state)
{
	(void)state;
	utc();
	tp_pkt *p = dissect_at(syn_frame, 1, 100, 5);
	p = dissect_at(syn_frame, 2, 99, 999999999);
	const tp_field *rel = th_field(p, "frame.time_relative");
	const tp_field *dl = th_field(p, "frame.time_delta");
	const tp_field *ep = th_field(p, "frame.time_epoch");
	const tp_field *at = th_field(p, "frame.time");
	const tp_field *pr = th_field(p, "frame.protocols");
	assert_non_null(rel);
	assert_non_null(dl);
	assert_non_null(ep);
	assert_non_null(at);
	assert_non_null(pr);
	assert_non_null(th_field(p, "frame.time_delta_displayed"));
	assert_null(th_field(p, "_ws.malformed"));
	/* 99.999999999 - 100.000000005: -6 ns, both of one sign */
	tp_nstime t = tp_field_nstime(rel);
	assert_int_equal(t.sec, 0);
	assert_int_equal(t.nsec, -6);
	assert_int_equal(dl->v.i, -6);
	t = tp_field_nstime(ep);
	assert_int_equal(t.sec, 99);
	assert_int_equal(t.nsec, 999999999);
	t = tp_field_nstime(at);
	assert_int_equal(t.sec, 99);
	/* no text in the record: made when formatted */
	assert_int_equal(pr->vlen, 0);
	char b[512];
	tp_sbuf sb;
	tp_sb_init(&sb, b, sizeof b);
	tp_format_field_text(&sb, p, pr);
	assert_string_equal(tp_sb_cstr(&sb), "eth:ethertype:ip:tcp:mptcp");
	tp_sb_init(&sb, b, sizeof b);
	tp_format_field_text(&sb, p, rel);
	assert_string_equal(tp_sb_cstr(&sb), "-0.000000006");
	tp_sb_init(&sb, b, sizeof b);
	tp_format_field_text(&sb, p, at);
	assert_string_equal(tp_sb_cstr(&sb),
			    "Jan  1, 1970 00:01:39.999999999 UTC");
	/* the tree shows the epoch, not the others */
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	assert_non_null(fp);
	tp_outopts o = {.ts = TP_TS_NONE, .Vflag = true};
	tp_output *text = tp_out_text_new(fp, &o);
	assert_non_null(text);
	text->packet(text, p);
	text->finish(text);
	tp_out_text_free(text);
	fclose(fp);
	assert_non_null(strstr(out, "Epoch Arrival Time: 99.999999999"));
	assert_null(strstr(out, "frame.time_relative"));
	assert_null(strstr(out, "frame.protocols"));
	assert_null(strstr(out, "[frame.time]"));
	free(out);
	/* past 2262 the epoch does not fit in nanoseconds: the tree shows
	 * it as -T fields and tshark do (it used to wrap) */
	p = dissect_at(syn_frame, 1, 4734231571822, 539464000);
	out = NULL;
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	text = tp_out_text_new(fp, &o);
	assert_non_null(text);
	text->packet(text, p);
	tp_out_text_free(text);
	fclose(fp);
	assert_non_null(
		strstr(out, "Epoch Arrival Time: 4734231571822.539464000"));
	free(out);
	/* a malformed packet: the field is there */
	static char bad[sizeof syn_frame];
	memcpy(bad, syn_frame, sizeof syn_frame);
	bad[29] = '4'; /* IPv4 header length 16 */
	p = dissect_at(bad, 3, 100, 0);
	assert_non_null(th_field(p, "_ws.malformed"));
}

/* Timestamps far apart (a damaged pcapng): no overflow, the seconds
 * wrap as Wireshark's time_t arithmetic does. */
static void test_out_fields_hostile_times(void **state)
{
	(void)state;
	utc();
	static const char *const names[] = {"frame.time_relative",
					    "frame.time_delta",
					    "frame.time_epoch", "frame.time"};
	struct frame fr[] = {{syn_frame, 0, 999999999},
			     {syn_frame, INT64_MAX, 0},
			     {syn_frame, INT64_MIN, 1},
			     {syn_frame, 0, 0}};
	const char *out = run_fields(fr, 4, names, TP_COUNT(names), NULL);
	assert_string_equal(
	    out, "0.000000000\t0.000000000\t0.999999999\t"
		 "Jan  1, 1970 00:00:00.999999999 UTC\n"
		 "9223372036854775806.000000001\t"
		 "9223372036854775806.000000001\t"
		 "9223372036854775807.000000000\tNot representable\n"
		 "-9223372036854775808.999999998\t1.000000001\t"
		 "-9223372036854775808.000000001\tNot representable\n"
		 "-0.999999999\t-9223372036854775808.000000001\t"
		 "0.000000000\tJan  1, 1970 00:00:00.000000000 UTC\n");
}

static void test_out_fields_unknown_name(void **state)
{
	(void)state;
	static const char *const names[] = {"ip.src", "ip.nope"};
	tp_fieldfmt f;
	tp_fieldfmt_init(&f);
	char err[128];
	assert_null(
	    tp_out_fields_new_fmt(stdout, names, 2, &f, err, sizeof err));
	assert_string_equal(err, "Some fields aren't valid: ip.nope");
	/* protocol names tshark takes (-e ip) are not fields of tapir */
	static const char *const proto[] = {"tcp"};
	assert_null(
	    tp_out_fields_new_fmt(stdout, proto, 1, &f, err, sizeof err));
}

/* Hostile: control characters in a value come out escaped as tshark's
 * print_escaped_csv does, and a separator character inside a value is
 * left alone (tshark does not quote it either). */
static void test_out_fields_escapes(void **state)
{
	(void)state;
	static const tp_field_def str = {"x.s", "S", TP_FT_STRING, 0, NULL, 0};
	tp_pkt *p = dissect_at(syn_frame, 1, 0, 0);
	/* graft a string field onto the record: the ICMPv6 DNSSL names and
	 * ARP's E.164 numbers are the real ones */
	static const uint8_t s[] = "a\tb\nc\rd\be\ff,g\"h\\i";
	p->fields[p->nfields] =
	    (tp_field){.def = &str, .v.p = s, .vlen = sizeof s - 1};
	p->nfields++;
	char b[256];
	tp_sbuf sb;
	tp_sb_init(&sb, b, sizeof b);
	tp_format_field_text(&sb, p, &p->fields[p->nfields - 1]);
	assert_string_equal(tp_sb_cstr(&sb), (const char *)s);
}

/* A record full of fields asked for: every one printed, in order, with
 * nothing allocated per packet (no way to check that here, but no
 * crash and the right count). */
static void test_out_fields_full_record(void **state)
{
	(void)state;
	tp_pkt *p = dissect_at(syn_frame, 1, 0, 0);
	const tp_field *kind = th_field(p, "tcp.option_kind");
	assert_non_null(kind);
	tp_field k = *kind;
	size_t want = (size_t)th_count(p, "tcp.option_kind") +
		      (TP_MAX_FIELDS - p->nfields);
	while (p->nfields < TP_MAX_FIELDS)
		p->fields[p->nfields++] = k;
	static const char *const names[] = {"tcp.option_kind"};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	tp_fieldfmt f;
	tp_fieldfmt_init(&f);
	char err[64];
	tp_output *o = tp_out_fields_new_fmt(fp, names, 1, &f, err, sizeof err);
	assert_non_null(o);
	o->packet(o, p);
	o->finish(o);
	tp_out_fields_free(o);
	fclose(fp);
	size_t commas = 0;
	for (size_t i = 0; i < len; i++)
		commas += buf[i] == ',';
	assert_int_equal(commas, want - 1);
	assert_int_equal(buf[len - 1], '\n');
	assert_memory_equal(buf, "2,4,8,1,3,34,30,1,1,2,2,", 24);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_out_fields_value_per_type),
	    cmocka_unit_test(test_out_fields_protocol_bytes),
	    cmocka_unit_test(test_out_fields_tshark_line),
	    cmocka_unit_test(test_out_fields_occurrences),
	    cmocka_unit_test(test_out_fields_options),
	    cmocka_unit_test(test_out_fields_header_without_packets),
	    cmocka_unit_test(test_out_fields_repeated_name),
	    cmocka_unit_test(test_out_fields_frame_times),
	    cmocka_unit_test(test_out_fields_malformed),
	    cmocka_unit_test(test_out_fields_hostile_times),
	    cmocka_unit_test(test_out_fields_frame_record),
	    cmocka_unit_test(test_out_fields_unknown_name),
	    cmocka_unit_test(test_out_fields_escapes),
	    cmocka_unit_test(test_out_fields_full_record),
	};
	return cmocka_run_group_tests_name("out_fields", tests, NULL, NULL);
}
