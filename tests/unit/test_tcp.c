/* test_tcp.c - TCP: header, flags, options, checksum, summary, damage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/inet.h"
#include "tapir/output.h"

extern const tp_dissector tp_diss_tcp;

/* pcaps/tcp-curl-http.pcap frames 1-4: curl to 10.99.0.2:8000.  The
 * checksums were left to the NIC (veth offload): each holds the sum of
 * its pseudo-header only, so they are Offloaded, not Bad. */
static const char syn_frame[] = /* frame 1: SYN */
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 3c 7f 14 40 00 40 06 a6 df 0a 63 00 01 0a 63"
	"00 02 91 e6 1f 40 48 0c ab 4d 00 00 00 00 a0 02"
	"fa f0 14 f7 00 00 02 04 05 b4 04 02 08 0a 0c 5d"
	"d9 a7 00 00 00 00 01 03 03 0a";
static const char synack_frame[] = /* frame 2: SYN-ACK */
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 00"
	"00 3c 00 00 40 00 40 06 25 f4 0a 63 00 02 0a 63"
	"00 01 1f 40 91 e6 24 d9 c9 53 48 0c ab 4e a0 12"
	"fe 88 14 f7 00 00 02 04 05 b4 04 02 08 0a 69 a0"
	"96 f6 0c 5d d9 a7 01 03 03 0a";
static const char ack_frame[] = /* frame 3: ACK */
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 34 7f 15 40 00 40 06 a6 e6 0a 63 00 01 0a 63"
	"00 02 91 e6 1f 40 48 0c ab 4e 24 d9 c9 54 80 10"
	"00 3f 14 ef 00 00 01 01 08 0a 0c 5d d9 a8 69 a0"
	"96 f6";
static const char psh_frame[] = /* frame 4: the 87-byte GET */
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 8b 7f 16 40 00 40 06 a6 8e 0a 63 00 01 0a 63"
	"00 02 91 e6 1f 40 48 0c ab 4e 24 d9 c9 54 80 18"
	"00 3f 15 46 00 00 01 01 08 0a 0c 5d d9 a8 69 a0"
	"96 f6 47 45 54 20 2f 68 65 6c 6c 6f 2e 74 78 74"
	"20 48 54 54 50 2f 31 2e 31 0d 0a 48 6f 73 74 3a"
	"20 31 30 2e 39 39 2e 30 2e 32 3a 38 30 30 30 0d"
	"0a 55 73 65 72 2d 41 67 65 6e 74 3a 20 63 75 72"
	"6c 2f 37 2e 38 38 2e 31 0d 0a 41 63 63 65 70 74"
	"3a 20 2a 2f 2a 0d 0a 0d 0a";

/* pcaps/tcp-options.pcap: scapy's SYN with MSS, SACK-permitted, TS,
 * NOP, WS, a TFO cookie and MPTCP MP_CAPABLE (checksum correct); the
 * kernel's SYN-ACK; an ACK with three SACK blocks. */
static const char opt_syn_frame[] = /* frame 1 */
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 4c 00 01 00 00 40 06 65 e3 0a 63 00 01 0a 63"
	"00 02 9c 43 1f 40 00 00 03 e8 00 00 00 00 e0 02"
	"fa f0 9e 43 00 00 02 04 05 b4 04 02 08 0a 07 5b"
	"cd 15 00 00 00 00 01 03 03 07 22 0a 7a 7a 01 02"
	"03 04 05 06 1e 04 01 81 01 01";
static const char opt_synack_frame[] = /* frame 2 */
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 00"
	"00 3c 00 00 40 00 40 06 25 f4 0a 63 00 02 0a 63"
	"00 01 1f 40 9c 43 83 f0 9e eb 00 00 03 e9 a0 12"
	"fe 88 14 f7 00 00 02 04 05 b4 04 02 08 0a 55 d9"
	"43 1d 07 5b cd 15 01 03 03 0a";
static const char sack_frame[] = /* frame 4 */
	"02 00 00 00 99 02 02 00 00 00 99 01 08 00 45 00"
	"00 50 00 01 00 00 40 06 65 df 0a 63 00 01 0a 63"
	"00 02 9c 43 1f 40 00 00 03 e9 00 00 1b 58 f0 10"
	"01 f6 6e 79 00 00 01 01 05 1a 00 00 03 e9 00 00"
	"07 d1 00 00 0b b9 00 00 0f a1 00 00 13 89 00 00"
	"17 71 01 01 08 0a 07 5b cd e7 00 06 79 32";

/* pcaps/tcp6-curl-http.pcap frame 1: SYN over IPv6. */
static const char syn6_frame[] =
	"02 00 00 00 99 02 02 00 00 00 99 01 86 dd 60 0e"
	"c7 c4 00 28 06 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 ab 4c 1f 40 3e f8 d8 2b 00 00"
	"00 00 a0 02 fd 20 fb 64 00 00 02 04 05 a0 04 02"
	"08 0a a9 74 70 80 00 00 00 00 01 03 03 0a";

/* pcaps/tcp-rst.pcap frames 2 and 4: the kernel refuses port 9999. */
static const char rst_frame[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 08 00 45 00"
	"00 28 00 00 40 00 40 06 26 08 0a 63 00 02 0a 63"
	"00 01 27 0f c5 f8 00 00 00 00 7a ec 3a 99 50 14"
	"00 00 f8 7a 00 00";
static const char rst6_frame[] =
	"02 00 00 00 99 01 02 00 00 00 99 02 86 dd 60 03"
	"fc 74 00 14 06 40 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 02 fd 00 00 99 00 00 00 00 00 00"
	"00 00 00 00 00 01 27 0f c0 e2 00 00 00 00 72 ba"
	"fe 52 50 14 00 00 fb 50 00 00";

#define T4 34 /* TCP offset behind Ethernet + IPv4 */
#define T6 54 /* behind Ethernet + IPv6 */

static const char syn_line[] =
	"IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [S], seq 1208789837, "
	"win 64240, options [mss 1460,sackOK,TS val 207477159 ecr 0,nop,"
	"wscale 10], length 0";

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

/* The summary of a record (with -q when `quiet`). */
static const char *summary_with(const tp_pkt *p, bool quiet)
{
	static char buf[4096];
	tp_sbuf s;
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	o.qflag = quiet;
	tp_sb_init(&s, buf, sizeof buf);
	tp_summary_line(&s, p, &o);
	return tp_sb_cstr(&s);
}

/* A frame dissected in a run whose sequence table is `t` (NULL: -S),
 * into a record of its own. */
static tp_pkt *rel_dissect(const char *hex, struct tp_seqtab *t)
{
	static tp_pkt *p;
	static tp_dctx x;
	if (!p)
		p = tp_pkt_new();
	assert_non_null(p);
	static uint8_t b[256]; /* the record points into it */
	size_t n = load(hex, b, sizeof b);
	x.seqtab = t;
	p->dctx = &x;
	tp_dissect_buf(p, 1, b, n, n);
	return p;
}

/* The summary with relative sequence numbers (tcpdump without -S). */
static const char *rel_summary(const char *hex, struct tp_seqtab *t)
{
	return summary_with(rel_dissect(hex, t), false);
}

static void test_tcp_syn_fields(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(syn_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	unsigned li = th_layer(p, "tcp");
	assert_int_equal(p->layers[li].off, T4);
	assert_int_equal(p->layers[li].len, 40);
	assert_int_equal(p->layers[li].payload_len, 0);
	assert_int_equal(th_uint(p, "tcp.srcport"), 37350);
	assert_int_equal(th_uint(p, "tcp.dstport"), 8000);
	assert_int_equal(th_count(p, "tcp.port"), 2);
	assert_int_equal(field_at(p, "tcp.port", 0), 37350);
	assert_int_equal(field_at(p, "tcp.port", 1), 8000);
	assert_int_equal(th_uint(p, "tcp.seq_raw"), 1208789837u);
	assert_int_equal(th_uint(p, "tcp.ack_raw"), 0);
	/* relative numbers need flow state: not fields (yet) */
	assert_null(th_field(p, "tcp.seq"));
	assert_null(th_field(p, "tcp.ack"));
	assert_int_equal(th_uint(p, "tcp.hdr_len"), 40);
	const tp_field *fl = th_field(p, "tcp.flags");
	assert_non_null(fl);
	assert_int_equal(fl->v.u, 0x002);
	assert_int_equal(fl->off, T4 + 12);
	assert_int_equal(fl->len, 2);
	assert_int_equal(fl->def->type, TP_FT_UINT16);
	assert_int_equal(fl->def->base, TP_BASE_HEX);
	assert_int_equal(fl->def->mask, 0x0fff);
	assert_int_equal(th_uint(p, "tcp.window_size_value"), 64240);
	assert_int_equal(th_uint(p, "tcp.checksum"), 0x14f7);
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_OFFLOADED);
	assert_false(th_has_event(p, "tcp.checksum_bad.expert"));
	/* one off the partial sum: a real bad checksum stands out */
	b[T4 + 17] ^= 0x01;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_BAD);
	assert_true(th_has_event(p, "tcp.checksum_bad.expert"));
	b[T4 + 17] ^= 0x01;
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "tcp.urgent_pointer"), 0);
	assert_int_equal(th_uint(p, "tcp.len"), 0);
	/* options */
	const tp_field *o = th_field(p, "tcp.options");
	assert_non_null(o);
	assert_int_equal(o->off, T4 + 20);
	assert_int_equal(o->vlen, 20);
	static const unsigned kinds[] = {2, 4, 8, 1, 3};
	assert_int_equal(th_count(p, "tcp.option_kind"), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(field_at(p, "tcp.option_kind", i), kinds[i]);
	assert_int_equal(th_count(p, "tcp.option_len"), 4); /* not NOP */
	assert_int_equal(th_uint(p, "tcp.options.mss_val"), 1460);
	assert_int_equal(th_uint(p, "tcp.options.timestamp.tsval"), 207477159);
	assert_int_equal(th_uint(p, "tcp.options.timestamp.tsecr"), 0);
	assert_int_equal(th_uint(p, "tcp.options.wscale.shift"), 10);
	assert_int_equal(th_uint(p, "tcp.options.wscale.multiplier"), 1024);
	assert_non_null(th_field(p, "tcp.options.sack_perm"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_false(th_has_layer(p, "data"));
	assert_string_equal(th_summary(p), syn_line);
}

static void test_tcp_flags(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(synack_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "tcp.flags"), 0x012);
	assert_int_equal(th_uint(p, "tcp.flags.syn"), 1);
	assert_int_equal(th_uint(p, "tcp.flags.ack"), 1);
	assert_int_equal(th_uint(p, "tcp.flags.fin"), 0);
	assert_int_equal(th_uint(p, "tcp.flags.reset"), 0);
	assert_int_equal(th_uint(p, "tcp.flags.ae"), 0);
	const tp_field *syn = th_field(p, "tcp.flags.syn");
	assert_int_equal(syn->def->type, TP_FT_BOOLEAN);
	assert_int_equal(syn->def->base, 12);
	assert_int_equal(syn->def->mask, 0x002);
	assert_int_equal(syn->level, th_field(p, "tcp.flags")->level + 1);

	/* every flag, tcpdump's letters in tcpdump's order */
	n = load(syn_frame, b, sizeof b);
	static const struct {
		uint16_t bits;
		const char *text;
	} cases[] = {
		{0x0ff, "Flags [FSRP.UEW], seq 1208789837, ack 0, win 64240, "
			"urg 0,"},
		{0x0c2, "Flags [SEW], seq 1208789837, win 64240,"},
		{0x052, "Flags [S.E], seq 1208789837, ack 0, win 64240,"},
		{0x000, "Flags [none], win 64240,"},
		{0x011, "Flags [F.], seq 1208789837, ack 0, win 64240,"},
		{0x014, "Flags [R.], seq 1208789837, ack 0, win 64240,"},
		/* AE and the reserved bits are fields, not tcpdump letters */
		{0xf02, "Flags [S], seq 1208789837, win 64240,"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		b[T4 + 12] = (uint8_t)(0xa0 | cases[i].bits >> 8);
		b[T4 + 13] = (uint8_t)cases[i].bits;
		p = th_dissect(1, b, n, n);
		assert_int_equal(th_uint(p, "tcp.flags"), cases[i].bits);
		assert_int_equal(th_uint(p, "tcp.hdr_len"), 40);
		const char *s = th_summary(p);
		const char *at = strstr(s, "Flags [");
		assert_non_null(at);
		assert_memory_equal(at, cases[i].text, strlen(cases[i].text));
	}
	/* the last case: AE and reserved */
	assert_int_equal(th_uint(p, "tcp.flags.ae"), 1);
	assert_int_equal(th_uint(p, "tcp.flags.res"), 1);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

static void test_tcp_relative_seq(void **state)
{
	(void)state;
	struct tp_seqtab *t = tp_seqtab_new();
	assert_non_null(t);
	assert_string_equal(rel_summary(syn_frame, t), syn_line);
	assert_string_equal(
		rel_summary(synack_frame, t),
		"IP 10.99.0.2.8000 > 10.99.0.1.37350: Flags [S.], seq "
		"618252627, ack 1208789838, win 65160, options [mss 1460,"
		"sackOK,TS val 1772132086 ecr 207477159,nop,wscale 10], "
		"length 0");
	assert_string_equal(rel_summary(ack_frame, t),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [.], "
			    "ack 1, win 63, options [nop,nop,TS val 207477160 "
			    "ecr 1772132086], length 0");
	assert_string_equal(rel_summary(psh_frame, t),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [P.], "
			    "seq 1:88, ack 1, win 63, options [nop,nop,TS val "
			    "207477160 ecr 1772132086], length 87");
	tp_seqtab_free(t);

	/* -S: absolute */
	assert_string_equal(rel_summary(psh_frame, NULL),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [P.], "
			    "seq 1208789838:1208789925, ack 618252628, win 63, "
			    "options [nop,nop,TS val 207477160 ecr "
			    "1772132086], length 87");

	/* the first packet with ACK of a connection is printed absolute */
	t = tp_seqtab_new();
	assert_string_equal(rel_summary(rst_frame, t),
			    "IP 10.99.0.2.9999 > 10.99.0.1.50680: Flags [R.], "
			    "seq 0, ack 2062301849, win 0, length 0");
	tp_seqtab_free(t);
}

/* Printing is pure: the numbers were looked up when the segment was
 * dissected, so the same record printed twice (the text output, the
 * line alone) gives the same text, and printing does not touch the
 * table.  The RST is the first ACK-bearing segment of its connection:
 * absolute, and later ones of it relative. */
static void test_tcp_print_twice(void **state)
{
	(void)state;
	struct tp_seqtab *t = tp_seqtab_new();
	assert_non_null(t);
	tp_pkt *p = rel_dissect(rst_frame, t);
	assert_int_equal(tp_seqtab_count(t), 1);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	tp_output *out = tp_out_text_new(fp, &o);
	assert_non_null(out);
	out->packet(out, p);
	out->packet(out, p);
	out->finish(out);
	tp_out_text_free(out);
	fclose(fp);
	static const char line[] =
		"IP 10.99.0.2.9999 > 10.99.0.1.50680: Flags [R.], seq 0, "
		"ack 2062301849, win 0, length 0\n";
	char twice[256];
	snprintf(twice, sizeof twice, "%s%s", line, line);
	assert_string_equal(buf, twice);
	free(buf);
	char first[256];
	snprintf(first, sizeof first, "%s", summary_with(p, false));
	assert_string_equal(summary_with(p, false), first);
	assert_int_equal(tp_seqtab_count(t), 1);
	/* the same frame dissected again in the run: now relative */
	p = rel_dissect(rst_frame, t);
	assert_string_equal(summary_with(p, false),
			    "IP 10.99.0.2.9999 > 10.99.0.1.50680: Flags [R.], "
			    "seq 0, ack 1, win 0, length 0");
	tp_seqtab_free(t);
}

/* One connection's ACK-bearing packet through the table: 10.0.x.y port
 * p <-> 10.1.0.1:80, client side.  Returns whether it was re-based. */
static bool rel_one(struct tp_seqtab *t, unsigned conn, bool from_client,
		    bool syn, uint32_t *seq, uint32_t *ack)
{
	uint8_t c[4] = {10, 0, (uint8_t)(conn >> 8), (uint8_t)conn};
	uint8_t s[4] = {10, 1, 0, 1};
	uint16_t cp = (uint16_t)(1024 + conn % 60000);
	return from_client
		       ? tp_seq_relative(t, c, s, 4, cp, 80, syn, seq, ack)
		       : tp_seq_relative(t, s, c, 4, 80, cp, syn, seq, ack);
}

/* tcpdump never forgets a connection: the first one still prints
 * relative after 50 000 others (the earlier table emptied itself at
 * 3072 and re-based old connections at an arbitrary packet). */
static void test_tcp_seqtab_remembers(void **state)
{
	(void)state;
	struct tp_seqtab *t = tp_seqtab_new();
	assert_non_null(t);
	for (unsigned i = 0; i < 50000; i++) {
		uint32_t seq = 1000u * i, ack = 5000u * i + 1; /* SYN-ACK */
		assert_false(rel_one(t, i, false, true, &seq, &ack));
	}
	assert_int_equal(tp_seqtab_count(t), 50000);
	for (unsigned i = 0; i < 50000; i += 997) {
		uint32_t seq = 5000u * i + 1 + 716, ack = 1000u * i + 1 + 1942812;
		assert_true(rel_one(t, i, true, false, &seq, &ack));
		assert_int_equal(seq, 716 + 1);
		assert_int_equal(ack, 1942812 + 1);
		seq = 1000u * i + 1942813;
		ack = 5000u * i + 716;
		assert_true(rel_one(t, i, false, false, &seq, &ack));
		assert_int_equal(seq, 1942813);
		assert_int_equal(ack, 716);
	}
	assert_false(tp_seqtab_full(t));
	tp_seqtab_free(t);
}

/* Past its cap the table prints new connections absolute (as -S) and
 * keeps re-basing the ones it holds; a SYN re-bases a known one. */
static void test_tcp_seqtab_cap(void **state)
{
	(void)state;
	struct tp_seqtab *t = tp_seqtab_new_capped(2);
	assert_non_null(t);
	uint32_t seq = 100, ack = 201;
	assert_false(rel_one(t, 1, false, true, &seq, &ack));
	seq = 7000, ack = 8001;
	assert_false(rel_one(t, 2, false, true, &seq, &ack));
	seq = 300, ack = 401;
	assert_false(rel_one(t, 3, false, true, &seq, &ack));
	assert_true(tp_seqtab_full(t));
	seq = 350, ack = 420; /* the third: not held, absolute */
	assert_false(rel_one(t, 3, false, false, &seq, &ack));
	assert_int_equal(seq, 350);
	assert_int_equal(ack, 420);
	seq = 150, ack = 250; /* the first: still relative */
	assert_true(rel_one(t, 1, false, false, &seq, &ack));
	assert_int_equal(seq, 50);
	assert_int_equal(ack, 50);
	seq = 9000, ack = 9501; /* a new SYN-ACK on the first: re-based */
	assert_false(rel_one(t, 1, false, true, &seq, &ack));
	seq = 9010, ack = 9510;
	assert_true(rel_one(t, 1, false, false, &seq, &ack));
	assert_int_equal(seq, 10);
	assert_int_equal(ack, 10);
	assert_int_equal(tp_seqtab_count(t), 2);
	tp_seqtab_free(t);
}

static void test_tcp_psh_payload(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(psh_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "tcp.len"), 87);
	assert_int_equal(th_uint(p, "tcp.hdr_len"), 32);
	unsigned li = th_layer(p, "tcp");
	assert_int_equal(p->layers[li].payload_len, 87);
	/* no HTTP dissector yet: data */
	assert_int_equal(th_uint(p, "data.len"), 87);
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_OFFLOADED);
	assert_string_equal(summary_with(p, true),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: tcp 87");
	n = load(syn_frame, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(summary_with(p, true),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: tcp 0");
}

/* tcp.payload: hidden, the captured part of the segment's data; none
 * on a segment without data, a header cut short, or in a lean run. */
static void test_tcp_payload_field(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(psh_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	const tp_field *f = th_field(p, "tcp.payload");
	assert_non_null(f);
	assert_true(f->def->base & TP_BASE_HIDDEN);
	assert_int_equal(f->off, T4 + 32);
	assert_int_equal(f->vlen, 87);
	assert_memory_equal(f->v.p, "GET /hello.txt HTTP/1.1\r\n", 25);
	p = th_dissect(1, b, T4 + 32 + 3, n);
	assert_int_equal(th_field(p, "tcp.payload")->vlen, 3);
	for (size_t cut = 0; cut <= T4 + 32; cut++) {
		p = th_dissect(1, b, cut, n);
		assert_null(th_field(p, "tcp.payload"));
	}
	p = th_dissect_lean(1, b, n, n);
	assert_null(th_field(p, "tcp.payload"));
	n = load(syn_frame, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_null(th_field(p, "tcp.payload"));
}

static void test_tcp_options_tfo_mptcp(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(opt_syn_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	static const unsigned kinds[] = {2, 4, 8, 1, 3, 34, 30, 1, 1};
	assert_int_equal(th_count(p, "tcp.option_kind"), 9);
	for (int i = 0; i < 9; i++)
		assert_int_equal(field_at(p, "tcp.option_kind", i), kinds[i]);
	assert_int_equal(th_uint(p, "tcp.options.wscale.multiplier"), 128);
	const tp_field *ck = th_field(p, "tcp.options.tfo.cookie");
	assert_non_null(ck);
	assert_int_equal(ck->vlen, 8);
	assert_memory_equal(ck->v.p, "\x7a\x7a\x01\x02\x03\x04\x05\x06", 8);
	assert_non_null(th_field(p, "tcp.options.mptcp"));
	assert_int_equal(th_uint(p, "tcp.options.mptcp.subtype"), 0);
	assert_int_equal(th_uint(p, "tcp.options.mptcp.version"), 1);
	assert_int_equal(th_uint(p, "tcp.options.mptcp.flags"), 0x81);
	/* scapy computed this one: Good */
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_GOOD);
	assert_int_equal(th_uint(p, "tcp.checksum_calculated"), 0x9e43);
	assert_false(th_has_event(p, "tcp.checksum_bad.expert"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40003 > 10.99.0.2.8000: Flags [S], "
			    "seq 1000, win 64240, options [mss 1460,sackOK,TS "
			    "val 123456789 ecr 0,nop,wscale 7,tfo  cookie "
			    "7a7a010203040506,mptcp 4 capable v1 csum,nop,"
			    "nop], length 0");
	th_every_truncation(1, b, n, n);

	b[T4 + 44] ^= 0x80; /* a bit of the TFO cookie */
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_BAD);
	assert_true(th_has_event(p, "tcp.checksum_bad.expert"));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

static void test_tcp_sack(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(sack_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "tcp.options.sack.count"), 3);
	assert_int_equal(th_count(p, "tcp.options.sack_le"), 3);
	/* raw values */
	assert_int_equal(field_at(p, "tcp.options.sack_le", 0), 1001);
	assert_int_equal(field_at(p, "tcp.options.sack_re", 0), 2001);
	assert_int_equal(field_at(p, "tcp.options.sack_le", 2), 5001);
	assert_int_equal(field_at(p, "tcp.options.sack_re", 2), 6001);
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_GOOD);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.40003 > 10.99.0.2.8000: Flags [.], "
			    "ack 7000, win 502, options [nop,nop,sack 3 "
			    "{1001:2001}{3001:4001}{5001:6001},nop,nop,TS val "
			    "123456999 ecr 424242], length 0");
	th_every_truncation(1, b, n, n);

	/* relative to the peer's SYN, as tcpdump (the edges were crafted
	 * absolute, so they wrap) */
	struct tp_seqtab *t = tp_seqtab_new();
	(void)rel_summary(opt_synack_frame, t);
	assert_string_equal(
		rel_summary(sack_frame, t),
		"IP 10.99.0.1.40003 > 10.99.0.2.8000: Flags [.], ack "
		"2081389677, win 502, options [nop,nop,sack 3 {2081383678:"
		"2081384678}{2081385678:2081386678}{2081387678:2081388678},"
		"nop,nop,TS val 123456999 ecr 424242], length 0");
	tp_seqtab_free(t);

	/* first seen without the handshake: tcpdump records ack - 1 as the
	 * base, prints the ack absolute and the edges relative to it */
	static const char first[] =
		"IP 10.99.0.1.40003 > 10.99.0.2.8000: Flags [.], ack %s, win "
		"502, options [nop,nop,sack 3 {4294961298:4294962298}"
		"{4294963298:4294964298}{4294965298:4294966298},nop,nop,TS "
		"val 123456999 ecr 424242], length 0";
	char want[512];
	t = tp_seqtab_new();
	snprintf(want, sizeof want, first, "7000");
	assert_string_equal(rel_summary(sack_frame, t), want);
	snprintf(want, sizeof want, first, "1");
	assert_string_equal(rel_summary(sack_frame, t), want);
	tp_seqtab_free(t);

	/* a SACK length that is not 2 + 8n */
	b[T4 + 23] = 25;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.option.len.invalid"));
	assert_null(th_field(p, "tcp.options.sack_le"));
	assert_true(has_kind_in(p, "tcp", TP_EV_MALFORMED));
	assert_non_null(strstr(th_summary(p), "sack invalid sack"));
	th_expect_bump(1, b, n, T4 + 23, 1, 11, 0);
}

static void test_tcp_ipv6(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(syn6_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_layer(p, "tcp"), th_layer(p, "ipv6") + 1);
	assert_int_equal(th_uint(p, "tcp.srcport"), 43852);
	assert_int_equal(th_uint(p, "tcp.options.mss_val"), 1440);
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_OFFLOADED);
	assert_false(th_has_event(p, "tcp.checksum_bad.expert"));
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::1.43852 > fd00:99::2.8000: Flags [S], "
			    "seq 1056495659, win 64800, options [mss 1440,"
			    "sackOK,TS val 2842980480 ecr 0,nop,wscale 10], "
			    "length 0");
	th_every_truncation(1, b, n, n);

	/* the kernel's RST; its checksum made right here: Good over the
	 * IPv6 pseudo-header */
	n = load(rst6_frame, b, sizeof b);
	set16(b, T6 + 16, 0);
	uint32_t s = tp_cksum_pseudo(6, b + 22, b + 38, 6, 20);
	set16(b, T6 + 16, tp_cksum_fold(tp_cksum_add(s, b + T6, 20)));
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_GOOD);
	assert_string_equal(th_summary(p),
			    "IP6 fd00:99::2.9999 > fd00:99::1.49378: Flags [R.], "
			    "seq 0, ack 1924857426, win 0, length 0");
}

static void test_tcp_truncations(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(syn_frame, b, sizeof b);
	th_every_truncation(1, b, n, n);
	n = load(psh_frame, b, sizeof b);
	th_every_truncation(1, b, n, n);
	n = load(rst_frame, b, sizeof b);
	th_every_truncation(1, b, n, n);

	/* cut in the options (pcaps/snaplen64-truncated.pcap): the fixed
	 * header and the options before the cut stay */
	n = load(syn_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, 64, n);
	assert_true(has_kind_in(p, "tcp", TP_EV_TRUNCATED));
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "tcp.options.mss_val"), 1460);
	assert_int_equal(th_count(p, "tcp.option_kind"), 3);
	assert_null(th_field(p, "tcp.options.timestamp.tsval"));
	assert_int_equal(th_uint(p, "tcp.len"), 0); /* from the lengths */
	assert_int_equal(th_uint(p, "tcp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
	const tp_field *o = th_field(p, "tcp.options");
	assert_non_null(o);
	assert_int_equal(o->len, 20);
	assert_int_equal(o->vlen, 10); /* what was captured */
	/* tcpdump 4.99.3's "trunc:" label in tcp_print: the marker, then
	 * ">" once an option was printed (pcaps/snaplen64-truncated.pcap) */
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [S], "
			    "seq 1208789837, win 64240, options [mss 1460,"
			    "sackOK,TS [|tcp]>");
	/* cut in the first option's value: no ">" (tcpdump's ch is not set
	 * yet); cut at an option's kind byte: its GET gives up, no ">" */
	p = th_dissect(1, b, 56, n);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [S], "
			    "seq 1208789837, win 64240, options [mss [|tcp]");
	p = th_dissect(1, b, 58, n);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [S], "
			    "seq 1208789837, win 64240, options [mss 1460, "
			    "[|tcp]");

	/* cut in the fixed header */
	p = th_dissect(1, b, T4 + 13, n);
	assert_int_equal(th_uint(p, "tcp.seq_raw"), 1208789837u);
	assert_null(th_field(p, "tcp.flags"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000:  [|tcp]");
	p = th_dissect(1, b, T4 + 3, n);
	assert_null(th_field(p, "tcp.dstport"));
	assert_string_equal(th_summary(p), "IP 10.99.0.1 > 10.99.0.2: [|tcp]");

	/* cut in the payload: TCP itself is whole */
	n = load(psh_frame, b, sizeof b);
	p = th_dissect(1, b, n - 10, n);
	assert_false(has_kind_in(p, "tcp", TP_EV_TRUNCATED));
	assert_int_equal(th_uint(p, "tcp.len"), 87);
	assert_int_equal(th_uint(p, "tcp.checksum.status"),
			 TP_CKSUM_UNVERIFIED);
}

static void test_tcp_hdr_len_bumped(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(syn_frame, b, sizeof b);
	th_expect_bump(1, b, n, T4 + 12, 1, 11, 0);
	th_expect_bump(1, b, n, T4 + 12, 2, 10, 0);

	/* data offset 4: 16 bytes, less than the fixed header */
	b[T4 + 12] = 0x40;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.bogus_header_length"));
	assert_true(has_kind_in(p, "tcp", TP_EV_MALFORMED));
	assert_int_equal(th_uint(p, "tcp.hdr_len"), 16);
	assert_int_equal(th_uint(p, "tcp.window_size_value"), 64240);
	assert_null(th_field(p, "tcp.option_kind"));
	assert_null(th_field(p, "tcp.len"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000:  tcp 24 [bad "
			    "hdr length 16 - too short, < 20] [malformed tcp: "
			    "Bogus TCP header length (less than 20)]");

	/* data offset 15: 60 bytes, more than the 40 of the segment */
	b[T4 + 12] = 0xf0;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.bogus_header_length"));
	assert_null(th_field(p, "tcp.option_kind"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [S] [bad "
			    "hdr length 60 - too long, > 40] [malformed tcp: "
			    "Bogus TCP header length (past the segment)]");

	/* data offset 5: the options become payload */
	b[T4 + 12] = 0x50;
	p = th_dissect(1, b, n, n);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_null(th_field(p, "tcp.options"));
	assert_int_equal(th_uint(p, "tcp.len"), 20);
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [S], "
			    "seq 1208789837:1208789857, win 64240, length 20");
}

/* The record of a lean run (the one-line text only) leaves out the
 * option fields of plain options and the flag bits; its lines and events
 * are those of the whole record, whatever the option bytes say. */
static void lean_text(const uint8_t *b, size_t n, bool lean, char *out,
		      size_t cap, unsigned *nfields)
{
	tp_pkt *p = th_dissect(1, b, n, n);
	p->lean = lean;
	p = th_dissect(1, b, n, n);
	*nfields = p->nfields;
	int k = snprintf(out, cap, "%s|", th_summary(p));
	k += snprintf(out + k, cap - (size_t)k, "%s|", th_summary_v(p, 2));
	for (unsigned i = 0; i < p->nevents && (size_t)k < cap; i++)
		k += snprintf(out + k, cap - (size_t)k, "%s,",
			      p->events[i].def->abbrev);
	p->lean = false;
}

static void test_tcp_lean_options(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(sack_frame, b, sizeof b);
	char full[2048], lean[2048];
	unsigned nf_full, nf_lean;
	lean_text(b, n, false, full, sizeof full, &nf_full);
	lean_text(b, n, true, lean, sizeof lean, &nf_lean);
	assert_string_equal(full, lean);
	assert_true(nf_lean + 10 < nf_full); /* options and flag bits */
	static const uint8_t vals[] = {0,  1,  2,  3,  4,  5,  8,   9,
				       10, 11, 18, 26, 34, 40, 0xff};
	for (size_t at = T4 + 20; at < n; at++) {
		uint8_t keep = b[at];
		for (size_t v = 0; v < TP_COUNT(vals); v++) {
			b[at] = vals[v];
			lean_text(b, n, false, full, sizeof full, &nf_full);
			lean_text(b, n, true, lean, sizeof lean, &nf_lean);
			assert_string_equal(full, lean);
		}
		b[at] = keep;
	}
	/* a SYN's options are walked whole (the window scale) */
	n = load(syn_frame, b, sizeof b);
	lean_text(b, n, false, full, sizeof full, &nf_full);
	lean_text(b, n, true, lean, sizeof lean, &nf_lean);
	assert_string_equal(full, lean);
}

static void test_tcp_option_len_bumped(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(syn_frame, b, sizeof b);
	/* MSS length, TS length, WS length */
	th_expect_bump(1, b, n, T4 + 21, 1, 12, 0);
	th_expect_bump(1, b, n, T4 + 27, 1, 13, 0);
	th_expect_bump(1, b, n, T4 + 38, 1, 12, 0);

	/* length 0 and 1 cannot be */
	for (uint8_t len = 0; len < 2; len++) {
		b[T4 + 21] = len;
		tp_pkt *p = th_dissect(1, b, n, n);
		assert_true(th_has_event(p, "tcp.option.len.invalid"));
		assert_true(has_kind_in(p, "tcp", TP_EV_MALFORMED));
		assert_int_equal(th_uint(p, "tcp.option_kind"), 2);
		assert_null(th_field(p, "tcp.options.mss_val"));
		assert_int_equal(th_uint(p, "tcp.len"), 0);
		const char *s = th_summary(p);
		assert_non_null(strstr(s, "win 64240, options [[bad opt] "
					  "[malformed tcp"));
	}
	/* past the end of the header */
	b[T4 + 21] = 40;
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.option.len.invalid"));
	/* MSS must be 4 long: tcpdump prints it and the length */
	b[T4 + 21] = 5;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.option.len.invalid"));
	assert_null(th_field(p, "tcp.options.mss_val"));
	assert_non_null(strstr(th_summary(p), "options [mss 1460[len 5],"
					      "sackOK,TS val 207477159 ecr 0,"
					      "nop,wscale 10], length 0"));
	b[T4 + 21] = 4;

	/* window scale shift above 14: a warning, multiplier capped */
	b[T4 + 39] = 15;
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.options.wscale.shift.invalid"));
	assert_int_equal(th_uint(p, "tcp.options.wscale.shift"), 15);
	assert_int_equal(th_uint(p, "tcp.options.wscale.multiplier"), 16384);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

/* EOL ends the list: zero padding after it shows as more EOLs (as
 * tshark), anything else is a warning and is not read as options. */
static void test_tcp_eol_padding(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(syn_frame, b, sizeof b);
	memset(b + T4 + 36, 0, 4); /* NOP, WS -> EOL padding */
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(th_count(p, "tcp.option_kind"), 7);
	assert_int_equal(th_count(p, "tcp.options.eol"), 4);
	assert_false(th_has_event(p, "tcp.non_zero_bytes_after_eol"));
	assert_null(th_field(p, "tcp.options.wscale.shift"));
	assert_string_equal(th_summary(p),
			    "IP 10.99.0.1.37350 > 10.99.0.2.8000: Flags [S], "
			    "seq 1208789837, win 64240, options [mss 1460,"
			    "sackOK,TS val 207477159 ecr 0,eol], length 0");
	b[T4 + 38] = 3; /* looks like WS, but it is after EOL */
	p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.non_zero_bytes_after_eol"));
	assert_int_equal(th_count(p, "tcp.option_kind"), 5);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

/* A segment shorter than the fixed header (IP total length 30). */
static void test_tcp_short_segment(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(rst_frame, b, sizeof b);
	set16(b, 16, 30);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_event(p, "tcp.short_segment"));
	assert_int_equal(th_uint(p, "tcp.srcport"), 9999);
	assert_int_equal(th_uint(p, "tcp.seq_raw"), 0);
	assert_null(th_field(p, "tcp.flags"));
	assert_false(has_kind_in(p, "tcp", TP_EV_TRUNCATED));
}

/* Inside an ICMP error: often only ports and sequence number are
 * quoted.  Fields from what is there, no events, no handoff. */
static tp_pkt *quoted(const uint8_t *b, size_t n, tp_next *nx,
		      tp_status *st)
{
	return th_dissect_quoted(&tp_diss_tcp, b, n, nx, st);
}

static void test_tcp_in_icmp_error(void **state)
{
	(void)state;
	uint8_t b[128];
	load(syn_frame, b, sizeof b);
	tp_next nx;
	tp_status st;
	tp_pkt *p = quoted(b + T4, 8, &nx, &st);
	assert_int_equal(st, TP_OK);
	assert_int_equal(nx.table, TP_TAB_NONE);
	assert_int_equal(p->nevents, 0);
	assert_int_equal(th_uint(p, "tcp.srcport"), 37350);
	assert_int_equal(th_uint(p, "tcp.dstport"), 8000);
	assert_int_equal(th_count(p, "tcp.port"), 2);
	assert_int_equal(th_uint(p, "tcp.seq_raw"), 1208789837u);
	assert_null(th_field(p, "tcp.ack_raw"));
	assert_null(th_field(p, "tcp.checksum.status"));

	for (size_t cut = 0; cut <= 40; cut++) {
		p = quoted(b + T4, cut, &nx, &st);
		assert_int_equal(st, TP_OK);
		assert_int_equal(p->nevents, 0);
		assert_int_equal(th_count(p, "tcp.dstport"), cut >= 4);
		assert_int_equal(th_count(p, "tcp.seq_raw"), cut >= 8);
		assert_int_equal(th_count(p, "tcp.flags"), cut >= 14);
		assert_int_equal(th_count(p, "tcp.urgent_pointer"), cut >= 20);
		assert_int_equal(th_count(p, "tcp.options.mss_val"), cut >= 40);
		assert_null(th_field(p, "tcp.checksum.status"));
	}
	/* a bogus data offset in a quote is not flagged either */
	b[T4 + 12] = 0x20;
	p = quoted(b + T4, 20, &nx, &st);
	assert_int_equal(p->nevents, 0);
}

/* A layer quoted in an ICMP error is printed by ICMP with -v (tcpdump's
 * tcp_print over the quote): a header cut short ends in its own marker
 * (a quote raises no event), a whole one gets its checksum computed. */
static void test_tcp_embedded_summary(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = load(syn_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	p->layers[th_layer(p, "tcp")].embedded = 1;
	const char *s = th_summary_v(p, 1);
	assert_non_null(strstr(s, "Flags [S], cksum 0x14f7 (incorrect -> "
				  "0xadbe), seq 1208789837"));
	p = th_dissect(1, b, T4 + 8, n);
	p->layers[th_layer(p, "tcp")].embedded = 1;
	p->nevents = 0;
	s = th_summary_v(p, 1);
	assert_non_null(strstr(s, ".37350 > 10.99.0.2.8000:  [|tcp]"));
}

/* -v: the checksum after the flags, "(correct)" or "(incorrect -> ...)",
 * over IPv4 and IPv6; -vv: the sequence number even when nothing needs
 * it.  The strings are tcpdump 4.99.3's -nn -t -v for the same frames. */
static void test_tcp_verbose(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = load(rst_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary_v(p, 1),
			    "IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], "
			    "proto TCP (6), length 40)\n    10.99.0.2.9999 > "
			    "10.99.0.1.50680: Flags [R.], cksum 0xf87a "
			    "(correct), seq 0, ack 2062301849, win 0, length 0");
	n = load(syn6_frame, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_string_equal(th_summary_v(p, 1),
			    "IP6 (flowlabel 0xec7c4, hlim 64, next-header TCP "
			    "(6) payload length: 40) fd00:99::1.43852 > "
			    "fd00:99::2.8000: Flags [S], cksum 0xfb64 "
			    "(incorrect -> 0x5414), seq 1056495659, win 64800, "
			    "options [mss 1440,sackOK,TS val 2842980480 ecr 0,"
			    "nop,wscale 10], length 0");
	/* a sum that comes to 0x0000 sent as 0xffff (the same in one's
	 * complement): correct for tcpdump and Wireshark.  The urgent
	 * pointer (no URG: not printed) takes the old sum, so the sum with
	 * the field zeroed comes to 0 */
	n = load(rst_frame, b, sizeof b);
	assert_int_equal(b[14 + 20 + 18] | b[14 + 20 + 19], 0);
	b[14 + 20 + 18] = 0xf8, b[14 + 20 + 19] = 0x7a;
	b[14 + 20 + 16] = 0xff, b[14 + 20 + 17] = 0xff;
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 1), "cksum 0xffff (correct)"));
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_GOOD);
	b[14 + 20 + 16] = 0, b[14 + 20 + 17] = 0;
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 1), "cksum 0x0000 (correct)"));
	b[14 + 20 + 17] = 1; /* and 0x0001 is wrong */
	p = th_dissect(1, b, n, n);
	assert_non_null(strstr(th_summary_v(p, 1),
			       "cksum 0x0001 (incorrect -> 0x"));
	assert_int_equal(th_uint(p, "tcp.checksum.status"), TP_CKSUM_BAD);
	/* a pure ACK: seq only from -vv on */
	n = load(rst_frame, b, sizeof b);
	b[14 + 20 + 13] = 0x10; /* ACK alone */
	p = th_dissect(1, b, n, n);
	assert_null(strstr(th_summary_v(p, 1), ", seq "));
	assert_non_null(strstr(th_summary_v(p, 2), "Flags [.], cksum 0x"
						   "f87a (incorrect -> 0xf87e), "
						   "seq 0, ack"));
	/* not all of it captured: no checksum, as tcpdump */
	n = load(rst_frame, b, sizeof b);
	p = th_dissect(1, b, n - 1, n);
	assert_null(strstr(th_summary_v(p, 3), "cksum"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_syn_fields),
		cmocka_unit_test(test_tcp_flags),
		cmocka_unit_test(test_tcp_relative_seq),
		cmocka_unit_test(test_tcp_psh_payload),
		cmocka_unit_test(test_tcp_payload_field),
		cmocka_unit_test(test_tcp_options_tfo_mptcp),
		cmocka_unit_test(test_tcp_sack),
		cmocka_unit_test(test_tcp_ipv6),
		cmocka_unit_test(test_tcp_truncations),
		cmocka_unit_test(test_tcp_hdr_len_bumped),
		cmocka_unit_test(test_tcp_option_len_bumped),
		cmocka_unit_test(test_tcp_lean_options),
		cmocka_unit_test(test_tcp_eol_padding),
		cmocka_unit_test(test_tcp_short_segment),
		cmocka_unit_test(test_tcp_in_icmp_error),
		cmocka_unit_test(test_tcp_embedded_summary),
		cmocka_unit_test(test_tcp_seqtab_remembers),
		cmocka_unit_test(test_tcp_print_twice),
		cmocka_unit_test(test_tcp_seqtab_cap),
		cmocka_unit_test(test_tcp_verbose),
	};
	return cmocka_run_group_tests_name("tcp", tests, NULL, NULL);
}
