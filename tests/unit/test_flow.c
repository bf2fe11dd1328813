/* test_flow.c - the flow table, stream numbers, the TCP SEQ/ACK analysis
 * and the stream taps (src/flow/flow.c, the flow part of dissectors/tcp.c and
 * dissectors/udp.c), driven through the whole pipeline with hand-built
 * raw IPv4 packets (LINKTYPE_IPV4, 228) and 802.1Q frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/registry.h"
#include "tapir/follow.h"
#include "tapir/output.h"
#include "tapir/tcpstate.h"

/* ---- packet builders -------------------------------------------------- */

enum { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16 };

typedef struct seg {
	uint8_t src, dst;      /* last octet of 10.0.0.x */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const char *data;      /* payload (NUL-terminated text) */
	int64_t ms;            /* capture time in milliseconds */
	int wscale;            /* -1: no option, else a window-scale option */
} seg;

static size_t build_tcp(const seg *s, uint8_t *b)
{
	size_t dl = s->data ? strlen(s->data) : 0;
	size_t ol = s->wscale >= 0 ? 4 : 0;
	size_t tl = 20 + 20 + ol + dl;
	memset(b, 0, 40 + ol);
	b[0] = 0x45;
	b[2] = (uint8_t)(tl >> 8);
	b[3] = (uint8_t)tl;
	b[8] = 64;
	b[9] = 6;
	b[12] = 10, b[15] = s->src;
	b[16] = 10, b[19] = s->dst;
	uint8_t *t = b + 20;
	t[0] = (uint8_t)(s->sport >> 8), t[1] = (uint8_t)s->sport;
	t[2] = (uint8_t)(s->dport >> 8), t[3] = (uint8_t)s->dport;
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(s->seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(s->ack >> (24 - 8 * i));
	}
	t[12] = (uint8_t)((20 + ol) / 4 << 4);
	t[13] = s->flags;
	t[14] = (uint8_t)(s->win >> 8), t[15] = (uint8_t)s->win;
	if (ol) {
		t[20] = 1; /* NOP */
		t[21] = 3, t[22] = 3, t[23] = (uint8_t)s->wscale;
	}
	if (dl)
		memcpy(t + 20 + ol, s->data, dl);
	return tl;
}

static size_t build_udp(uint8_t src, uint8_t dst, uint16_t sp, uint16_t dp,
			const char *data, uint8_t *b)
{
	size_t dl = strlen(data), tl = 28 + dl;
	memset(b, 0, 28);
	b[0] = 0x45;
	b[2] = (uint8_t)(tl >> 8);
	b[3] = (uint8_t)tl;
	b[8] = 64;
	b[9] = 17;
	b[12] = 10, b[15] = src;
	b[16] = 10, b[19] = dst;
	b[20] = (uint8_t)(sp >> 8), b[21] = (uint8_t)sp;
	b[22] = (uint8_t)(dp >> 8), b[23] = (uint8_t)dp;
	b[24] = (uint8_t)((8 + dl) >> 8), b[25] = (uint8_t)(8 + dl);
	memcpy(b + 28, data, dl);
	return tl;
}

static uint64_t g_num;

static tp_pkt *feed(tp_pkt *p, const uint8_t *b, size_t n, int lt, int64_t ms)
{
	tp_pkthdr h = {ms / 1000, (uint32_t)(ms % 1000) * 1000000u,
		       (uint32_t)n, (uint32_t)n, lt, 0};
	tp_dissect(p, ++g_num, &h, b);
	return p;
}

static tp_pkt *feed_seg(tp_pkt *p, const seg *s)
{
	static uint8_t b[2048];
	size_t n = build_tcp(s, b);
	return feed(p, b, n, 228, s->ms);
}

static tp_session *session(unsigned max_flows)
{
	tp_flowcfg cfg = {0};
	cfg.max_flows = max_flows;
	cfg.unacked = true;
	tp_session *s = tp_session_new(&cfg);
	assert_non_null(s);
	g_num = 0;
	return s;
}

static tp_pkt *pkt(tp_session *s)
{
	tp_pkt *p = tp_pkt_new();
	assert_non_null(p);
	p->sess = s;
	return p;
}

#define S(...) ((seg){__VA_ARGS__, .wscale = -1})

/* ---- SipHash --------------------------------------------------------- */

/* The reference vectors of the SipHash paper (appendix A): key 00..0f,
 * messages 00..(n-1). */
static void test_flow_siphash_vectors(void **state)
{
	(void)state;
	uint8_t k[16], m[64];
	for (int i = 0; i < 16; i++)
		k[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		m[i] = (uint8_t)i;
	uint64_t k0 = 0, k1 = 0;
	for (int i = 7; i >= 0; i--) {
		k0 = k0 << 8 | k[i];
		k1 = k1 << 8 | k[8 + i];
	}
	assert_int_equal(tp_siphash24(k0, k1, m, 0), 0x726fdb47dd0e0e31ull);
	assert_int_equal(tp_siphash24(k0, k1, m, 15), 0xa129ca6149be45e5ull);
	assert_int_equal(tp_siphash24(k0, k1, m, 8), 0x93f5f5799a932462ull);
	/* SipHash-1-3 as CPython 3.11's bytes hash with PYTHONHASHSEED=0
	 * (a zero key): hash(bytes(range(n))) & (2**64 - 1) */
	const struct {
		size_t n;
		uint64_t h;
	} v13[] = {{7, 0x2f098ab0c751325aull},  {8, 0xead411e67ebe2eeaull},
		   {15, 0xf30eb725bb91c9eaull}, {16, 0x8972188433a5c5b7ull},
		   {40, 0x95bc321ab41d8206ull}};
	for (size_t i = 0; i < TP_COUNT(v13); i++)
		assert_int_equal(tp_siphash13(0, 0, m, v13[i].n), v13[i].h);
	assert_int_equal(tp_siphash13(0, 0, "abc", 3), 0xc03bc3a0042630f2ull);
}

/* ---- stream numbers --------------------------------------------------- */

static void test_flow_stream_numbers_in_order(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	/* two TCP connections and a UDP one, interleaved; both directions
	 * of a connection share its number */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 1000, .dport = 80,
		       .seq = 100, .flags = SYN, .win = 1000));
	assert_int_equal(th_uint(p, "tcp.stream"), 0);
	feed_seg(p, &S(.src = 3, .dst = 2, .sport = 1000, .dport = 80,
		       .seq = 7, .flags = SYN, .win = 1000));
	assert_int_equal(th_uint(p, "tcp.stream"), 1);
	uint8_t b[256];
	size_t n = build_udp(1, 2, 53000, 53, "query", b);
	feed(p, b, n, 228, 0);
	assert_int_equal(th_uint(p, "udp.stream"), 0);
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 1000,
		       .seq = 900, .ack = 101, .flags = SYN | ACK, .win = 1000));
	assert_int_equal(th_uint(p, "tcp.stream"), 0);
	assert_int_equal(p->flow_dir, 1);
	n = build_udp(2, 1, 53, 53000, "answer", b);
	feed(p, b, n, 228, 0);
	assert_int_equal(th_uint(p, "udp.stream"), 0);
	assert_int_equal(p->flow_dir, 1);
	n = build_udp(2, 1, 53, 53001, "other", b);
	feed(p, b, n, 228, 0);
	assert_int_equal(th_uint(p, "udp.stream"), 1);
	assert_int_equal(tp_flow_count(s), 4);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* A SYN with a new initial sequence number on an old flow's ports is a
 * new stream (tshark: "TCP port numbers reused"); the same SYN again is a
 * retransmission in the same stream. */
static void test_flow_port_reuse_new_stream(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 5, .dport = 80,
		       .seq = 1000, .flags = SYN, .win = 100, .ms = 0));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 5, .dport = 80,
		       .seq = 1000, .flags = SYN, .win = 100, .ms = 1000));
	assert_int_equal(th_uint(p, "tcp.stream"), 0);
	assert_true(th_has_event(p, "tcp.analysis.retransmission"));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 5, .dport = 80,
		       .seq = 9000, .flags = SYN, .win = 100, .ms = 2000));
	assert_int_equal(th_uint(p, "tcp.stream"), 1);
	assert_true(th_has_event(p, "tcp.analysis.reused_ports"));
	assert_int_equal(th_uint(p, "tcp.seq"), 0);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* The same addresses and ports on two VLANs are two flows. */
static void test_flow_vlan_in_key(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	uint8_t f[256] = {0};
	memset(f, 0xaa, 12);
	f[12] = 0x81, f[13] = 0x00; /* 802.1Q */
	f[14] = 0x00, f[15] = 10;   /* VLAN 10 */
	f[16] = 0x08, f[17] = 0x00;
	size_t n = build_udp(1, 2, 1, 2, "x", f + 18);
	feed(p, f, n + 18, 1, 0);
	assert_int_equal(th_uint(p, "udp.stream"), 0);
	f[15] = 20;
	feed(p, f, n + 18, 1, 0);
	assert_int_equal(th_uint(p, "udp.stream"), 1);
	f[15] = 10;
	feed(p, f, n + 18, 1, 0);
	assert_int_equal(th_uint(p, "udp.stream"), 0);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* At the flow cap the least recently seen flow goes; the table never
 * holds more. */
static void test_flow_cap_evicts_lru(void **state)
{
	(void)state;
	tp_session *s = session(16);
	tp_pkt *p = pkt(s);
	uint8_t b[256];
	for (unsigned i = 0; i < 40; i++) {
		size_t n = build_udp(1, 2, (uint16_t)(1000 + i), 53, "q", b);
		feed(p, b, n, 228, i);
		assert_true(tp_flow_count(s) <= 16);
		/* flow 0 is kept fresh: it must survive */
		n = build_udp(1, 2, 1000, 53, "q", b);
		feed(p, b, n, 228, i);
		assert_int_equal(th_uint(p, "udp.stream"), 0);
	}
	assert_int_equal(s->evicted, 40 - 16);
	tp_pkt_free(p);
	tp_session_free(s);
}

static void collect_stream(void *ctx, const tp_flow *f)
{
	uint32_t *v = ctx;
	v[1 + v[0]++] = f->stream;
}

/* Lookups only stamp a flow; the eviction gives the flows used since
 * they were listed a second chance, and tp_flow_foreach (and the end of
 * the capture) sees them exactly by last use, the latest first. */
static void test_flow_lru_second_chance_and_order(void **state)
{
	(void)state;
	tp_session *s = session(3);
	tp_pkt *p = pkt(s);
	uint8_t b[256];
	int64_t clock = 0;
	/* flows 0, 1, 2 (ports 2000..2002), then uses of 0 and 2 */
	const uint16_t seq[] = {2000, 2001, 2002, 2000, 2002};
	for (size_t i = 0; i < TP_COUNT(seq); i++) {
		size_t n = build_udp(1, 2, seq[i], 53, "q", b);
		feed(p, b, n, 228, clock++);
	}
	uint32_t v[1 + 8] = {0};
	tp_flow_foreach(s, collect_stream, v);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 2); /* last used */
	assert_int_equal(v[2], 0);
	assert_int_equal(v[3], 1); /* least recently used */
	/* a fourth flow evicts flow 1, the least recently used */
	size_t n = build_udp(1, 2, 2003, 53, "q", b);
	feed(p, b, n, 228, clock++);
	assert_int_equal(s->evicted, 1);
	n = build_udp(1, 2, 2000, 53, "q", b);
	feed(p, b, n, 228, clock++);
	assert_int_equal(th_uint(p, "udp.stream"), 0); /* kept */
	n = build_udp(1, 2, 2002, 53, "q", b);
	feed(p, b, n, 228, clock++);
	assert_int_equal(th_uint(p, "udp.stream"), 2); /* kept */
	n = build_udp(1, 2, 2001, 53, "q", b);
	feed(p, b, n, 228, clock++);
	assert_int_equal(th_uint(p, "udp.stream"), 4); /* evicted: new */
	assert_int_equal(s->evicted, 2); /* flow 3 went: unused since */
	tp_pkt_free(p);
	tp_session_free(s);
}

/* A segment with a SACK block [le, re): relative to the other side's
 * first sequence number on a tracked flow, as Wireshark shows them,
 * and left alone on a segment with no SACK. */
static void test_flow_sack_edges_relative(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	seg syn = {1, 2, 40000, 80, 1000, 0, SYN, 65535, NULL, 0, -1};
	seg synack = {2, 1, 80, 40000, 7000, 1001, SYN | ACK, 65535, NULL, 1, -1};
	feed_seg(p, &syn);
	feed_seg(p, &synack);
	/* the client SACKs server bytes 7101..7201 (relative 101..201) */
	static uint8_t b[128];
	seg ack = {1, 2, 40000, 80, 1001, 7001, ACK, 65535, NULL, 2, -1};
	size_t n = build_tcp(&ack, b);
	uint8_t *t = b + 20;
	const uint8_t opt[12] = {1, 1, 5, 10, 0, 0, 0x1b, 0xbd, 0, 0, 0x1c, 0x21};
	memcpy(t + 20, opt, sizeof opt);
	t[12] = (20 + 12) / 4 << 4;
	n += sizeof opt;
	b[2] = (uint8_t)(n >> 8), b[3] = (uint8_t)n;
	feed(p, b, n, 228, 2);
	assert_int_equal(th_uint(p, "tcp.options.sack.count"), 1);
	assert_int_equal(th_uint(p, "tcp.options.sack_le"), 101);
	assert_int_equal(th_uint(p, "tcp.options.sack_re"), 201);
	assert_int_equal(th_uint(p, "tcp.ack"), 1);
	/* the same bytes without the SACK kind: a plain option, no edge */
	t[22] = 254;
	feed(p, b, n, 228, 3);
	assert_int_equal(th_count(p, "tcp.options.sack_le"), 0);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* A lean run (no output shows TCP's generated fields) adds none of
 * them but keeps the state behind them: the same flow, the analysis
 * still deciding what reaches the application layer. */
static void test_flow_lean_keeps_state(void **state)
{
	(void)state;
	for (int lean = 0; lean < 2; lean++) {
		tp_session *s = session(0);
		tp_pkt *p = pkt(s);
		p->lean = lean;
		seg syn = {1, 2, 40000, 80, 1000, 0, SYN, 65535, NULL, 0, 7};
		seg synack = {2, 1, 80, 40000, 7000, 1001, SYN | ACK, 65535,
			      NULL, 1, 7};
		seg data = {1, 2, 40000, 80, 1001, 7001, ACK | PSH, 512,
			    "hello", 2, -1};
		feed_seg(p, &syn);
		feed_seg(p, &synack);
		feed_seg(p, &data);
		feed_seg(p, &data); /* a retransmission */
		assert_non_null(p->flow);
		assert_int_equal(p->flow->stream, 0);
		assert_int_equal(p->flow->pkts[0], 3);
		/* its payload reaches no dissector either way (tshark's rule) */
		assert_false(th_has_layer(p, "data"));
		assert_int_equal(th_count(p, "tcp.stream"), lean ? 0 : 1);
		assert_int_equal(th_count(p, "tcp.seq"), lean ? 0 : 1);
		assert_int_equal(th_count(p, "tcp.time_delta"), lean ? 0 : 1);
		assert_int_equal(th_count(p, "tcp.window_size"), lean ? 0 : 1);
		assert_int_equal(th_count(p, "tcp.analysis.retransmission"),
				 lean ? 0 : 1);
		/* raw header fields stay */
		assert_int_equal(th_uint(p, "tcp.seq_raw"), 1001);
		assert_int_equal(th_uint(p, "tcp.window_size_value"), 512);
		tp_pkt_free(p);
		tp_session_free(s);
	}
}

/* tcp.analysis.acks_frame / ack_rtt / bytes_in_flight, from the lists of
 * unacknowledged segments (Wireshark's): an ACK that ends a segment
 * exactly names it and the time since; a partial ACK names none; the
 * bytes in flight span what the sender has unacknowledged. */
static void expect_ack(const tp_pkt *p, uint64_t frame, int64_t rtt_ms)
{
	assert_int_equal(th_uint(p, "tcp.analysis.acks_frame"), frame);
	const tp_field *r = th_field(p, "tcp.analysis.ack_rtt");
	assert_non_null(r);
	assert_true(r->def->base & TP_BASE_HIDDEN);
	assert_int_equal(r->v.i, rtt_ms * 1000000);
}

static void test_flow_acks_and_bytes_in_flight(void **state)
{
	(void)state;
	/* lean: 0 every field, 1 a lean run, 2 a run whose outputs show no
	 * tcp.analysis field (--stats): no lists, no such field either */
	for (int lean = 0; lean < 3; lean++) {
		tp_session *s = session(0);
		tp_pkt *p = pkt(s);
		p->lean = lean == 1;
		s->cfg.unacked = lean != 2;
		feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			       .seq = 1000, .flags = SYN, .win = 100, .ms = 0));
		feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
			       .seq = 7000, .ack = 1001, .flags = SYN | ACK,
			       .win = 100, .ms = 10));
		if (!lean)
			expect_ack(p, 1, 10);
		feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			       .seq = 1001, .ack = 7001, .flags = ACK,
			       .win = 100, .ms = 30));
		if (!lean)
			expect_ack(p, 2, 20);
		assert_null(th_field(p, "tcp.analysis.bytes_in_flight"));
		feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			       .seq = 1001, .ack = 7001, .flags = ACK | PSH,
			       .win = 100, .data = "hello", .ms = 40));
		assert_int_equal(th_count(p, "tcp.analysis.bytes_in_flight"),
				 !lean);
		if (!lean)
			assert_int_equal(th_uint(p, "tcp.analysis.bytes_in_flight"), 5);
		feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			       .seq = 1006, .ack = 7001, .flags = ACK | PSH,
			       .win = 100, .data = "world!", .ms = 41));
		if (!lean)
			assert_int_equal(th_uint(p, "tcp.analysis.bytes_in_flight"), 11);
		/* frame 6 acknowledges frame 4's end, 10 ms later */
		feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
			       .seq = 7001, .ack = 1006, .flags = ACK,
			       .win = 100, .ms = 50));
		if (!lean)
			expect_ack(p, 4, 10);
		feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			       .seq = 1012, .ack = 7001, .flags = ACK | PSH,
			       .win = 100, .data = "abc", .ms = 51));
		if (!lean)
			assert_int_equal(th_uint(p, "tcp.analysis.bytes_in_flight"), 9);
		/* a partial ACK (inside frame 5's bytes): no frame named, the
		 * rest of frame 5 still in flight */
		feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
			       .seq = 7001, .ack = 1009, .flags = ACK,
			       .win = 100, .ms = 60));
		assert_null(th_field(p, "tcp.analysis.acks_frame"));
		feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			       .seq = 1015, .ack = 7001, .flags = ACK | PSH,
			       .win = 100, .data = "x", .ms = 61));
		if (!lean)
			assert_int_equal(th_uint(p, "tcp.analysis.bytes_in_flight"), 7);
		/* a lean run keeps no list */
		const tp_tcpstate *t = p->flow->tcp;
		assert_int_equal(t->ua == NULL, lean != 0);
		if (!lean)
			assert_int_equal(t->ua->d[0].n, 3);
		tp_pkt_free(p);
		tp_session_free(s);
	}
}

/* Hostile: a sender that is never acknowledged.  Its list stops at
 * TP_MAX_UNACKED segments (Wireshark's count), charged to the session's
 * ual_mem, and all of it is given back when the flow ends. */
static void test_flow_unacked_capped(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 1000, .flags = SYN, .win = 100, .ms = 0));
	for (uint32_t i = 0; i < TP_MAX_UNACKED + 50; i++)
		feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			       .seq = 1001 + i, .flags = ACK, .win = 100,
			       .data = "z", .ms = 1));
	const tp_tcpstate *t = p->flow->tcp;
	assert_int_equal(t->ua->d[0].n, TP_MAX_UNACKED);
	assert_int_equal(s->ual_mem.used,
			 sizeof(tp_ualist) + TP_MAX_UNACKED * sizeof(tp_unacked));
	tp_pkt_free(p);
	tp_session_free(s);
}

/* ---- relative numbers and the SEQ/ACK analysis ----------------------- */

static void test_flow_relative_seq_and_rtt(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	feed_seg(p, &(seg){.src = 1, .dst = 2, .sport = 4000, .dport = 80,
			   .seq = 0xfffffff0u, .flags = SYN, .win = 1000,
			   .ms = 0, .wscale = 2});
	assert_int_equal(th_uint(p, "tcp.seq"), 0);
	assert_int_equal(th_uint(p, "tcp.nxtseq"), 1);
	feed_seg(p, &(seg){.src = 2, .dst = 1, .sport = 80, .dport = 4000,
			   .seq = 500, .ack = 0xfffffff1u,
			   .flags = SYN | ACK, .win = 2000, .ms = 10,
			   .wscale = 3});
	assert_int_equal(th_uint(p, "tcp.seq"), 0);
	assert_int_equal(th_uint(p, "tcp.ack"), 1);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 0xfffffff1u, .ack = 501, .flags = ACK, .win = 100,
		       .ms = 30));
	/* handshake RTT: SYN to the third packet */
	assert_int_equal(th_uint(p, "tcp.analysis.initial_rtt"), 30000000);
	/* both SYNs had window scaling: 100 << 2 */
	assert_int_equal(th_uint(p, "tcp.window_size"), 400);
	/* data crossing the 32-bit wrap keeps counting */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 0xfffffff1u, .ack = 501, .flags = ACK | PSH,
		       .win = 100, .data = "0123456789abcdefghijklmnopqrstuv",
		       .ms = 40));
	assert_int_equal(th_uint(p, "tcp.seq"), 1);
	assert_int_equal(th_uint(p, "tcp.nxtseq"), 33);
	assert_int_equal(th_uint(p, "tcp.len"), 32);
	assert_int_equal(th_uint(p, "tcp.time_relative"), 40000000);
	assert_int_equal(th_uint(p, "tcp.time_delta"), 10000000);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* Without a handshake the first byte seen is relative 1 (tshark). */
static void test_flow_midstream_start(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 777, .ack = 9000, .flags = ACK, .win = 100,
		       .data = "abc"));
	assert_int_equal(th_uint(p, "tcp.seq"), 1);
	assert_int_equal(th_uint(p, "tcp.ack"), 1);
	assert_int_equal(th_uint(p, "tcp.nxtseq"), 4);
	assert_false(th_has_event(p, "tcp.analysis.lost_segment"));
	assert_false(th_has_event(p, "tcp.analysis.ack_lost_segment"));
	tp_pkt_free(p);
	tp_session_free(s);
}

static void handshake(tp_pkt *p)
{
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 100, .flags = SYN, .win = 1000, .ms = 0));
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 500, .ack = 101, .flags = SYN | ACK, .win = 1000,
		       .ms = 1));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .ms = 2));
}

static void test_flow_analysis_retransmission(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	handshake(p);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "hello", .ms = 10));
	assert_false(th_has_event(p, "tcp.analysis.retransmission"));
	/* the same bytes 200 ms later: a retransmission */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "hello", .ms = 210));
	assert_true(th_has_event(p, "tcp.analysis.retransmission"));
	assert_int_equal(th_count(p, "tcp.analysis.retransmission"), 1);
	/* acked, then sent again: spurious */
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 106, .flags = ACK, .win = 1000,
		       .ms = 220));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "hello", .ms = 400));
	assert_true(th_has_event(p, "tcp.analysis.spurious_retransmission"));
	/* a jump ahead: the previous segment was not captured */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 200, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "later", .ms = 410));
	assert_true(th_has_event(p, "tcp.analysis.lost_segment"));
	/* the hole filled within the out-of-order threshold (3 ms) */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 106, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "fill", .ms = 411));
	assert_true(th_has_event(p, "tcp.analysis.out_of_order"));
	tp_pkt_free(p);
	tp_session_free(s);
}

static void test_flow_analysis_dupack_fast_retransmission(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	handshake(p);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "aaaa", .ms = 10));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 109, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "cccc", .ms = 11));
	uint64_t orig = g_num + 1;
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 105, .flags = ACK, .win = 1000,
		       .ms = 12));
	assert_false(th_has_event(p, "tcp.analysis.duplicate_ack"));
	for (unsigned i = 1; i <= 3; i++) {
		feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
			       .seq = 501, .ack = 105, .flags = ACK,
			       .win = 1000, .ms = 12 + i));
		assert_true(th_has_event(p, "tcp.analysis.duplicate_ack"));
		assert_int_equal(th_uint(p, "tcp.analysis.duplicate_ack_num"),
				 i);
		assert_int_equal(
			th_uint(p, "tcp.analysis.duplicate_ack_frame"), orig);
	}
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 105, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "bbbb", .ms = 16));
	assert_true(th_has_event(p, "tcp.analysis.fast_retransmission"));
	tp_pkt_free(p);
	tp_session_free(s);
}

static void test_flow_analysis_window_and_keepalive(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	handshake(p);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "abcd", .ms = 10));
	/* the receiver closes its window */
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 105, .flags = ACK, .win = 0,
		       .ms = 20));
	assert_true(th_has_event(p, "tcp.analysis.zero_window"));
	/* a zero-window probe: one byte at the next sequence number */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 105, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "e", .ms = 300));
	assert_true(th_has_event(p, "tcp.analysis.zero_window_probe"));
	/* the window opens again: an update */
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 105, .flags = ACK, .win = 4000,
		       .ms = 310));
	assert_true(th_has_event(p, "tcp.analysis.window_update"));
	/* keep-alive: sequence number one below the next, no data */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 104, .ack = 501, .flags = ACK, .win = 1000,
		       .ms = 60000));
	assert_true(th_has_event(p, "tcp.analysis.keep_alive"));
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 105, .flags = ACK, .win = 4000,
		       .ms = 60001));
	assert_true(th_has_event(p, "tcp.analysis.keep_alive_ack"));
	/* fill the receiver's window exactly: window full */
	char big[41];
	memset(big, 'x', 40);
	big[40] = '\0';
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 105, .flags = ACK, .win = 40,
		       .ms = 60002));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 105, .ack = 501, .flags = ACK, .win = 1000,
		       .data = big, .ms = 60003));
	assert_true(th_has_event(p, "tcp.analysis.window_full"));
	tp_pkt_free(p);
	tp_session_free(s);
}

/* ---- the taps: reassembled bytes, gaps, expiry ------------------------ */

typedef struct rec {
	char out[2][512];
	size_t n[2];
	uint64_t gaps[2];
	int ends;
	bool want_all, udp;
} rec;

static bool r_want(void *ctx, const tp_flow *f)
{
	const rec *r = ctx;
	return r->want_all && (r->udp || f->key.proto == 6);
}

static void r_data(void *ctx, const tp_flow *f, int dir, uint64_t off,
		   const uint8_t *b, size_t n, const tp_pkt *p)
{
	(void)f;
	(void)p;
	rec *r = ctx;
	assert_int_equal(off, r->n[dir] + r->gaps[dir]);
	assert_true(r->n[dir] + n < sizeof r->out[dir]);
	memcpy(r->out[dir] + r->n[dir], b, n);
	r->n[dir] += n;
}

static void r_gap(void *ctx, const tp_flow *f, int dir, uint64_t off,
		  uint64_t n)
{
	(void)f;
	rec *r = ctx;
	assert_int_equal(off, r->n[dir] + r->gaps[dir]);
	r->gaps[dir] += n;
	assert_true(r->n[dir] + 1 < sizeof r->out[dir]);
	r->out[dir][r->n[dir]++] = '|'; /* mark the gap in the text */
	r->gaps[dir]--;                  /* ... counted as one byte here */
}

static void r_end(void *ctx, const tp_flow *f)
{
	(void)f;
	((rec *)ctx)->ends++;
}

static tp_stream_tap rtap(rec *r)
{
	return (tp_stream_tap){r_want, r_data, r_gap, r_end, r};
}

static void test_flow_tap_reorders_and_marks_gaps(void **state)
{
	(void)state;
	tp_session *s = session(0);
	rec r = {.want_all = true};
	tp_stream_tap t = rtap(&r);
	s->taps[s->ntaps++] = &t;
	tp_pkt *p = pkt(s);
	handshake(p);
	/* client: "hello " then " world" arrives before "big", which never
	 * comes: the server's ACK past it makes it a gap */
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 107, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "world", .ms = 10));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "hello ", .ms = 11));
	assert_int_equal(r.n[0], 11);
	assert_memory_equal(r.out[0], "hello world", 11);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 115, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "end", .ms = 12));
	assert_int_equal(r.n[0], 11); /* held: 112..114 missing */
	/* the receiver acknowledges past the hole: the first two ACKs may
	 * still be followed by the data (a merged capture), the third gives
	 * the hole up */
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 118, .flags = ACK, .win = 1000,
		       .data = "ok", .ms = 13));
	assert_int_equal(r.n[1], 2);
	assert_memory_equal(r.out[1], "ok", 2);
	assert_int_equal(r.n[0], 11);
	for (int i = 0; i < 2; i++)
		feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
			       .seq = 503, .ack = 118, .flags = ACK,
			       .win = 1000, .ms = 14 + i));
	assert_int_equal(r.n[0], 15);
	assert_memory_equal(r.out[0], "hello world|end", 15);
	tp_session_finish(s);
	assert_int_equal(r.ends, 1);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* An ACK seen before the data it acknowledges (two capture points merged)
 * does not make that data a gap when it follows. */
static void test_flow_tap_ack_before_data(void **state)
{
	(void)state;
	tp_session *s = session(0);
	rec r = {.want_all = true};
	tp_stream_tap t = rtap(&r);
	s->taps[s->ntaps++] = &t;
	tp_pkt *p = pkt(s);
	handshake(p);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 106, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "world", .ms = 10));
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 111, .flags = ACK, .win = 1000,
		       .ms = 11));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "hello", .ms = 12));
	assert_int_equal(r.n[0], 10);
	assert_memory_equal(r.out[0], "helloworld", 10);
	assert_int_equal(r.gaps[0], 0);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* The last data segment is missing from the capture: the FIN's sequence
 * number and the peer's ACK prove it was sent; it is a gap when the
 * connection ends, like a hole in the middle.  Not a gap: an ACK that
 * covers only the FIN's slot, a keep-alive, ACKs of data sent before the
 * capture began. */
static void tail_case(const seg *segs, size_t n, bool shake, const char *want0,
		      const char *want1, uint64_t gaps1)
{
	tp_session *s = session(0);
	rec r = {.want_all = true};
	tp_stream_tap t = rtap(&r);
	s->taps[s->ntaps++] = &t;
	tp_pkt *p = pkt(s);
	if (shake)
		handshake(p);
	for (size_t i = 0; i < n; i++)
		feed_seg(p, &segs[i]);
	tp_session_finish(s);
	assert_int_equal(r.ends, 1);
	assert_int_equal(r.n[0], strlen(want0));
	assert_memory_equal(r.out[0], want0, r.n[0]);
	assert_int_equal(r.n[1], strlen(want1));
	assert_memory_equal(r.out[1], want1, r.n[1]);
	assert_int_equal(r.gaps[1] + (strchr(want1, '|') ? 1 : 0), gaps1);
	assert_int_equal(r.gaps[0], 0);
	tp_pkt_free(p);
	tp_session_free(s);
}

#define C2S(...) S(.src = 1, .dst = 2, .sport = 4000, .dport = 80, __VA_ARGS__)
#define S2C(...) S(.src = 2, .dst = 1, .sport = 80, .dport = 4000, __VA_ARGS__)

static void test_flow_tail_gap(void **state)
{
	(void)state;
	/* the case: "defg" lost; the client's ACK and the server's
	 * FIN (at 508) both cover it */
	const seg lost[] = {
		C2S(.seq = 101, .ack = 501, .flags = ACK, .data = "GET", .ms = 3),
		S2C(.seq = 501, .ack = 104, .flags = ACK, .data = "abc", .ms = 4),
		C2S(.seq = 104, .ack = 504, .flags = ACK, .ms = 5),
		C2S(.seq = 104, .ack = 508, .flags = ACK, .ms = 6),
		S2C(.seq = 508, .ack = 104, .flags = FIN | ACK, .ms = 7),
		C2S(.seq = 104, .ack = 509, .flags = FIN | ACK, .ms = 8),
		S2C(.seq = 509, .ack = 105, .flags = ACK, .ms = 9),
	};
	tail_case(lost, 7, true, "GET", "abc|", 4);
	/* the FIN alone proves it (the client's ACKs not captured) */
	const seg fin_only[] = {lost[0], lost[1], lost[4]};
	tail_case(fin_only, 3, true, "GET", "abc|", 4);
	/* one lost byte before the FIN is still a gap */
	const seg one[] = {
		lost[0], lost[1],
		S2C(.seq = 505, .ack = 104, .flags = FIN | ACK, .ms = 7),
		C2S(.seq = 104, .ack = 506, .flags = FIN | ACK, .ms = 8),
	};
	tail_case(one, 4, true, "GET", "abc|", 1);
	/* no FIN (the connection is cut): the client's ACK proves it */
	const seg ack_only[] = {lost[0], lost[1], lost[3],
				C2S(.seq = 104, .ack = 508, .flags = RST | ACK,
				    .ms = 8)};
	tail_case(ack_only, 4, true, "GET", "abc|", 4);
	/* nothing lost: the FIN right after "abc", its ACK at FIN + 1 */
	const seg none[] = {
		lost[0], lost[1],
		S2C(.seq = 504, .ack = 104, .flags = FIN | ACK, .ms = 7),
		C2S(.seq = 104, .ack = 505, .flags = FIN | ACK, .ms = 8),
		S2C(.seq = 505, .ack = 105, .flags = ACK, .ms = 9),
	};
	tail_case(none, 5, true, "GET", "abc", 0);
	/* ... and with the server's FIN not captured, only its ACK */
	const seg unseen_fin[] = {lost[0], lost[1], none[3]};
	tail_case(unseen_fin, 3, true, "GET", "abc", 0);
	/* keep-alives: one byte at next - 1, acknowledged at next */
	const seg keep[] = {
		lost[0], lost[1],
		S2C(.seq = 503, .ack = 104, .flags = ACK, .data = "c", .ms = 60),
		C2S(.seq = 104, .ack = 504, .flags = ACK, .ms = 61),
		S2C(.seq = 503, .ack = 104, .flags = ACK, .ms = 120),
		C2S(.seq = 104, .ack = 504, .flags = ACK, .ms = 121),
	};
	tail_case(keep, 6, true, "GET", "abc", 0);
	/* started mid-stream: the client acknowledges server data sent
	 * before the capture, before and after the first server bytes */
	const seg mid[] = {
		C2S(.seq = 101, .ack = 400, .flags = ACK, .data = "GET", .ms = 3),
		S2C(.seq = 450, .ack = 104, .flags = ACK, .data = "abc", .ms = 4),
		C2S(.seq = 104, .ack = 430, .flags = ACK, .ms = 5),
		C2S(.seq = 104, .ack = 453, .flags = ACK, .ms = 6),
		S2C(.seq = 453, .ack = 104, .flags = FIN | ACK, .ms = 7),
		C2S(.seq = 104, .ack = 454, .flags = FIN | ACK, .ms = 8),
	};
	tail_case(mid, 6, false, "GET", "abc", 0);
}

/* Held bytes of a flow idle past the timeout are given up (gap, then the
 * bytes) when other traffic moves the clock on; memory comes back (port
 * 80 decoded as data here: an HTTP state, which stays with the flow,
 * would count against the same cap). */
static void test_flow_idle_expiry_flushes(void **state)
{
	(void)state;
	char err[128];
	assert_int_equal(tp_registry_decode_as("tcp.port==80,data", err,
					       sizeof err), 0);
	tp_session *s = session(0);
	rec r = {.want_all = true};
	tp_stream_tap t = rtap(&r);
	s->taps[s->ntaps++] = &t;
	tp_pkt *p = pkt(s);
	handshake(p);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 111, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "later", .ms = 10));
	assert_int_equal(r.n[0], 0);
	assert_true(s->mem.used > 0);
	uint8_t b[128];
	size_t n = build_udp(7, 8, 1, 2, "tick", b);
	feed(p, b, n, 228, (int64_t)(TP_FLOW_IDLE_TIMEOUT + 5) * 1000);
	assert_int_equal(s->mem.used, 0);
	assert_memory_equal(r.out[0], "|later", 6);
	assert_int_equal(s->expired, 1);
	tp_pkt_free(p);
	tp_session_free(s);
	tp_registry_clear_overrides();
}

static void test_flow_udp_tap_offsets(void **state)
{
	(void)state;
	tp_session *s = session(0);
	rec r = {.want_all = true, .udp = true};
	tp_stream_tap t = rtap(&r);
	s->taps[s->ntaps++] = &t;
	tp_pkt *p = pkt(s);
	uint8_t b[128];
	size_t n = build_udp(1, 2, 9, 53, "abc", b);
	feed(p, b, n, 228, 0);
	n = build_udp(2, 1, 53, 9, "XY", b);
	feed(p, b, n, 228, 0);
	n = build_udp(1, 2, 9, 53, "de", b);
	feed(p, b, n, 228, 0);
	assert_int_equal(r.n[0], 5);
	assert_memory_equal(r.out[0], "abcde", 5);
	assert_memory_equal(r.out[1], "XY", 2);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* A follow run over the segments `sg` (after the handshake), with the
 * session's settings `cfg` (NULL: the defaults): the output, malloc'd. */
static char *follow_run_cfg(const tp_flowcfg *cfg, const char *z,
			    const seg *sg, size_t n)
{
	tp_flowcfg def = {0};
	tp_session *s = tp_session_new(cfg ? cfg : &def);
	assert_non_null(s);
	g_num = 0;
	tp_follow_spec fs;
	assert_int_equal(tp_follow_parse_z(z, &fs), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	tp_follow *fo = tp_follow_new(&fs, o);
	s->taps[s->ntaps++] = tp_follow_tap(fo);
	tp_pkt *p = pkt(s);
	handshake(p);
	for (size_t i = 0; i < n; i++)
		feed_seg(p, &sg[i]);
	tp_session_finish(s);
	assert_int_equal(tp_follow_finish(fo), 0);
	fclose(o);
	tp_follow_free(fo);
	tp_pkt_free(p);
	tp_session_free(s);
	return buf;
}

static char *follow_run(const char *z, const seg *sg, size_t n)
{
	return follow_run_cfg(NULL, z, sg, n);
}

/* follow_run's output must be `want` exactly. */
static void follow_expect(const char *z, const seg *sg, size_t n,
			  const char *want)
{
	char *out = follow_run(z, sg, n);
	assert_string_equal(out, want);
	free(out);
}

#define FOLLOW_HEAD(fmt)                                                   \
	"\n===================================================================\n" \
	"Follow: tcp," fmt "\nFilter: tcp.stream eq 0\n"                   \
	"Node 0: 10.0.0.1:4000\nNode 1: 10.0.0.2:80\n"
#define FOLLOW_TAIL "===================================================================\n"
#undef C2S
#undef S2C
#define C2S(s, d, t) \
	S(.src = 1, .dst = 2, .sport = 4000, .dport = 80, .seq = (s), \
	  .ack = 501, .flags = ACK, .win = 1000, .data = (d), .ms = (t))
#define S2C(s, a, d, t) \
	S(.src = 2, .dst = 1, .sport = 80, .dport = 4000, .seq = (s), \
	  .ack = (a), .flags = ACK, .win = 1000, .data = (d), .ms = (t))

/* The follow tap prints tshark's banner and chunks. */
static void test_flow_follow_ascii(void **state)
{
	(void)state;
	seg sg[] = {C2S(101, "GET\x01\n", 10), S2C(501, 106, "OK", 11)};
	follow_expect("follow,tcp,ascii,0", sg, 2,
		      FOLLOW_HEAD("ascii") "5\nGET.\n\n"
						      "\t2\nOK\n" FOLLOW_TAIL);
}

/* The hex layouts: offsets per node, tshark's line format, gap marks. */
static void test_flow_follow_hex_and_gaps(void **state)
{
	(void)state;
	/* 5 bytes lost, then "end" */
	seg sg[] = {C2S(101, "0123456789abcdefXYZ", 10), C2S(125, "end", 11)};
	follow_expect("follow,tcp,hex,0", sg, 2,
		      FOLLOW_HEAD("hex")
		"00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
		"01234567 89abcdef\n"
		"00000010  58 59 5a                                          XYZ\n"
		"[5 bytes missing in capture file]\n"
		"00000018  65 6e 64                                          end\n"
		FOLLOW_TAIL);
}

/* tshark's chunks of a reordered stream: [10,20) and [5,15) wait, [0,5)
 * comes; tshark prints [0,5), then the waiting segment that starts at 5
 * whole ([5,15)), then what is new of the other ([15,20)): 5, 10, 5,
 * where a reassembler's pieces would be 5, 5, 10. */
static void test_flow_follow_reorder_chunks(void **state)
{
	(void)state;
	const char *d = "abcdeFGHIJklmnoPQRST";
	char a[32], b[32], c[32];
	snprintf(a, sizeof a, "%.10s", d + 10);
	snprintf(b, sizeof b, "%.10s", d + 5);
	snprintf(c, sizeof c, "%.5s", d);
	seg sg[] = {C2S(111, a, 10), C2S(106, b, 11), C2S(101, c, 12),
		    S2C(501, 121, "ok", 13)};
	follow_expect("follow,tcp,raw,0", sg, 4,
		      FOLLOW_HEAD("raw")
			    "6162636465\n"
			    "464748494a6b6c6d6e6f\n"
			    "5051525354\n"
			    "\t6f6b\n" FOLLOW_TAIL);
}

/* ascii: TAB is '.' as in tshark (only \r and \n pass); hex: one space
 * dropped at the end of a line, so a line ending in a space byte keeps
 * the one after the 8th byte. */
static void test_flow_follow_tab_and_space(void **state)
{
	(void)state;
	seg sg[] = {C2S(101, "a\tb\r\n", 10), S2C(501, 106, "done ok ", 11)};
	follow_expect("follow,tcp,ascii,0", sg, 2,
		      FOLLOW_HEAD("ascii") "5\na.b\r\n\n"
						      "\t8\ndone ok \n" FOLLOW_TAIL);
	follow_expect("follow,tcp,hex,0", sg, 2,
		      FOLLOW_HEAD("hex")
		"00000000  61 09 62 0d 0a                                    a.b..\n"
		"\t00000000  64 6f 6e 65 20 6f 6b 20                           done ok \n"
		FOLLOW_TAIL);
}

/* tshark's order is kept while the reassembler waits: the client's first
 * 5 bytes are lost and one ACK passes them (tshark gives the hole up at
 * once, tapir's reassembler only at the third ACK or the end), then the
 * server talks: the client's gap and bytes still come first. */
static void test_flow_follow_order_waits(void **state)
{
	(void)state;
	seg sg[] = {C2S(106, "fghij", 10), S2C(501, 111, "ok", 11)};
	follow_expect("follow,tcp,raw,0", sg, 2,
		      FOLLOW_HEAD("raw")
			    "[5 bytes missing in capture file]\n"
			    "666768696a\n"
			    "\t6f6b\n" FOLLOW_TAIL);
}

/* Hostile: the same out-of-order segment 9000 times (tshark keeps every
 * copy waiting; the reassembler one): past the 8192 segments follow keeps
 * waiting it prints what it holds and goes on with the reassembler's
 * pieces, losing nothing. */
static void test_flow_follow_many_waiting(void **state)
{
	(void)state;
	enum { N = 9000 };
	seg *sg = calloc(N + 2, sizeof *sg);
	assert_non_null(sg);
	for (int i = 0; i < N; i++)
		sg[i] = C2S(102, "b", 10 + i);
	sg[N] = C2S(101, "a", 10 + N);
	sg[N + 1] = C2S(103, "cd", 11 + N);
	follow_expect("follow,tcp,raw,0", sg, N + 2,
		      FOLLOW_HEAD("raw") "61\n62\n6364\n" FOLLOW_TAIL);
	free(sg);
}

/* Hostile: a cut waits (the client's hole, acknowledged once, which the
 * reassembler gives up only at the end) while the server's bytes come as
 * 40 000 one-byte holes, each acknowledged by the client and given up by
 * the reassembler (a 1-byte cap): 80 000 pieces held would pass follow's
 * 65 536; it prints what it holds and goes on, and no byte is lost. */
static void test_flow_follow_many_pieces(void **state)
{
	(void)state;
	enum { N = 40000 };
	tp_flowcfg cfg = {0};
	cfg.reasm_dir_cap = 1;
	seg *sg = calloc(2 * N + 2, sizeof *sg);
	assert_non_null(sg);
	sg[0] = C2S(106, "f", 10);                   /* 101..105 lost */
	sg[1] = S2C(501, 107, NULL, 11);             /* one ACK past it */
	for (uint32_t i = 0; i < N; i++) {           /* 1 byte of every 2 */
		sg[2 + 2 * i] = S2C(502 + 2 * i, 101, "x", 12);
		sg[3 + 2 * i] = C2S(107, NULL, 12);
		sg[3 + 2 * i].ack = 504 + 2 * i;
	}
	char *out = follow_run_cfg(&cfg, "follow,tcp,raw,0", sg, 2 * N + 2);
	size_t xs = 0;
	for (const char *q = out; (q = strstr(q, "\t78\n")); q++)
		xs++;
	assert_int_equal(xs, N);
	/* past the cap the server's bytes went out before the client's
	 * (which tshark's order puts first, and which were held) */
	const char *f = strstr(out, "\n66\n");
	assert_non_null(f);
	assert_true(strstr(out, "\t78\n") < f);
	free(out);
	free(sg);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char b[4096];
	*n = fread(b, 1, sizeof b - 1, f);
	b[*n] = '\0';
	fclose(f);
	return b;
}

/* Export: one file per direction at stream offsets (a gap is a hole),
 * and the index. */
static void test_flow_export_files_and_index(void **state)
{
	(void)state;
	char dir[] = "/tmp/tapir-test-export.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[64];
	snprintf(sub, sizeof sub, "%s/out", dir);
	char err[256];
	tp_export *e = tp_export_new(sub, err, sizeof err);
	assert_non_null(e);
	assert_true(tp_export_created(e));
	tp_session *s = session(0);
	s->taps[s->ntaps++] = tp_export_tap(e);
	tp_pkt *p = pkt(s);
	handshake(p);
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 101, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "GET", .ms = 10));
	feed_seg(p, &S(.src = 1, .dst = 2, .sport = 4000, .dport = 80,
		       .seq = 106, .ack = 501, .flags = ACK, .win = 1000,
		       .data = "xy", .ms = 11));
	feed_seg(p, &S(.src = 2, .dst = 1, .sport = 80, .dport = 4000,
		       .seq = 501, .ack = 108, .flags = ACK, .win = 1000,
		       .data = "200", .ms = 12));
	tp_session_finish(s);
	assert_int_equal(tp_export_finish(e, err, sizeof err), 0);
	char path[256];
	size_t n;
	snprintf(path, sizeof path,
		 "%s/tcp-000000-010.000.000.001.04000-010.000.000.002.00080",
		 sub);
	char *c = slurp(path, &n);
	assert_int_equal(n, 7); /* "GET", a 2-byte hole, "xy" */
	assert_memory_equal(c, "GET\0\0xy", 7);
	snprintf(path, sizeof path,
		 "%s/tcp-000000-010.000.000.002.00080-010.000.000.001.04000",
		 sub);
	c = slurp(path, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(c, "200", 3);
	snprintf(path, sizeof path, "%s/index.tsv", sub);
	c = slurp(path, &n);
	assert_non_null(strstr(c, "stream\tproto\tdirection\t"));
	assert_non_null(strstr(
		c, "0\ttcp\tclient\t10.0.0.1\t4000\t10.0.0.2\t80\t5\t2\t1\t1\t"
		   "tcp-000000-010.000.000.001.04000-010.000.000.002.00080\n"));
	assert_non_null(strstr(
		c, "0\ttcp\tserver\t10.0.0.2\t80\t10.0.0.1\t4000\t3\t0\t0\t1\t"));
	tp_export_free(e);
	tp_pkt_free(p);
	tp_session_free(s);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The export's writer thread: 300 flows, each direction written in
 * pieces larger and smaller than a file's buffer, with a hole, in an
 * interleaved order; every file must hold exactly its bytes (its
 * creation ran before its later writes), and more than the queue's cap
 * passes through it. */
static void test_flow_export_writer_order(void **state)
{
	(void)state;
	char dir[] = "/tmp/tapir-test-export.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[64], err[256];
	snprintf(sub, sizeof sub, "%s/out", dir);
	tp_export *e = tp_export_new(sub, err, sizeof err);
	assert_non_null(e);
	const tp_stream_tap *t = tp_export_tap(e);
	enum { NF = 300, BIG = 40000 };
	static tp_flow fl[NF];
	static uint8_t big[BIG];
	for (size_t i = 0; i < NF; i++) {
		memset(&fl[i], 0, sizeof fl[i]);
		fl[i].key.family = 4;
		fl[i].key.proto = 6;
		fl[i].key.addr[0][0] = 10, fl[i].key.addr[0][3] = 1;
		fl[i].key.addr[1][0] = 10, fl[i].key.addr[1][3] = 2;
		fl[i].key.port[0] = (uint16_t)(1000 + i);
		fl[i].key.port[1] = 80;
		fl[i].stream = (uint32_t)i;
		fl[i].first_frame = i + 1;
	}
	/* round 1: 100 small bytes; round 2: a 40000-byte piece (past the
	 * buffer); round 3: 7 bytes after a hole of 5 */
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < NF; i++)
			for (int d = 0; d < 2; d++) {
				uint8_t v = (uint8_t)(i * 2 + (size_t)d);
				if (round == 0) {
					memset(big, v, 100);
					t->data(t->ctx, &fl[i], d, 0, big, 100, NULL);
				} else if (round == 1) {
					memset(big, v ^ 0x55, BIG);
					t->data(t->ctx, &fl[i], d, 100, big, BIG, NULL);
				} else {
					t->gap(t->ctx, &fl[i], d, 100 + BIG, 5);
					memset(big, v ^ 0xaa, 7);
					t->data(t->ctx, &fl[i], d, 100 + BIG + 5, big, 7, NULL);
				}
			}
	for (size_t i = 0; i < NF; i++)
		t->end(t->ctx, &fl[i]);
	assert_int_equal(tp_export_finish(e, err, sizeof err), 0);
	static uint8_t got[BIG + 200];
	for (size_t i = 0; i < NF; i += 37)
		for (int d = 0; d < 2; d++) {
			char path[256];
			snprintf(path, sizeof path,
				 "%s/tcp-%06zu-010.000.000.%03d.%05zu-010.000.000.%03d.%05u",
				 sub, i, d ? 2 : 1, d ? (size_t)80 : 1000 + i, d ? 1 : 2,
				 d ? (unsigned)(1000 + i) : 80u);
			FILE *f = fopen(path, "rb");
			assert_non_null(f);
			size_t n = fread(got, 1, sizeof got, f);
			fclose(f);
			assert_int_equal(n, 100 + BIG + 5 + 7);
			uint8_t v = (uint8_t)(i * 2 + (size_t)d);
			for (size_t k = 0; k < n; k++) {
				uint8_t want = k < 100	       ? v
					       : k < 100 + BIG     ? (uint8_t)(v ^ 0x55)
					       : k < 100 + BIG + 5 ? 0
								   : (uint8_t)(v ^ 0xaa);
				if (got[k] != want)
					fail_msg("%s byte %zu: %u, want %u", path, k,
						 got[k], want);
			}
		}
	tp_export_free(e);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A file that cannot be written (a directory has its name): the export
 * says which and fails at the end; nothing crashes or hangs. */
static void test_flow_export_write_error(void **state)
{
	(void)state;
	char dir[] = "/tmp/tapir-test-export.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[64], err[256], path[256];
	snprintf(sub, sizeof sub, "%s/out", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(path, sizeof path,
		 "%s/tcp-000000-010.000.000.001.01000-010.000.000.002.00080", sub);
	assert_int_equal(mkdir(path, 0755), 0);
	tp_export *e = tp_export_new(sub, err, sizeof err);
	assert_non_null(e);
	const tp_stream_tap *t = tp_export_tap(e);
	tp_flow f;
	memset(&f, 0, sizeof f);
	f.key.family = 4;
	f.key.proto = 6;
	f.key.addr[0][0] = 10, f.key.addr[0][3] = 1;
	f.key.addr[1][0] = 10, f.key.addr[1][3] = 2;
	f.key.port[0] = 1000;
	f.key.port[1] = 80;
	t->data(t->ctx, &f, 0, 0, (const uint8_t *)"hello", 5, NULL);
	t->end(t->ctx, &f);
	assert_int_equal(tp_export_finish(e, err, sizeof err), -1);
	assert_non_null(strstr(err, "tcp-000000-010.000.000.001.01000"));
	tp_export_free(e);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_flow_follow_parse(void **state)
{
	(void)state;
	tp_follow_spec fs;
	assert_int_equal(tp_follow_parse("udp.stream eq 12", &fs), 0);
	assert_int_equal(fs.proto, 17);
	assert_int_equal(fs.stream, 12);
	assert_int_equal(
		tp_follow_parse("tcp,[fd00::1]:80,[fd00::2]:5000", &fs), 0);
	assert_int_equal(fs.family, 6);
	assert_int_equal(fs.port[1], 5000);
	assert_int_equal(tp_follow_parse("tcp,10.0.0.1:80,10.0.0.2:9", &fs),
			 0);
	assert_int_equal(fs.addr[1][3], 2);
	assert_int_equal(tp_follow_parse_z("follow,tcp,raw,3", &fs), 0);
	assert_int_equal(fs.fmt, TP_FOLLOW_HEXRAW);
	assert_int_equal(fs.stream, 3);
	assert_int_not_equal(tp_follow_parse("tcp.stream==", &fs), 0);
	assert_int_not_equal(tp_follow_parse("tcp.stream==99999999999", &fs),
			     0);
	assert_int_not_equal(tp_follow_parse("tcp,10.0.0.1:80", &fs), 0);
	assert_int_not_equal(tp_follow_parse("tcp,1.2.3.4:80,[::1]:9", &fs),
			     0);
	assert_int_not_equal(tp_follow_parse("sctp.stream==1", &fs), 0);
	assert_int_not_equal(tp_follow_parse_z("follow,tcp,yaml,1", &fs), 0);
}

/* Hostile: every cut of a data segment, with flow state, never crashes
 * and never leaves the table inconsistent. */
static void test_flow_every_truncation_with_state(void **state)
{
	(void)state;
	tp_session *s = session(0);
	tp_pkt *p = pkt(s);
	handshake(p);
	static uint8_t b[256];
	size_t n = build_tcp(&(seg){.src = 1, .dst = 2, .sport = 4000,
				    .dport = 80, .seq = 101, .ack = 501,
				    .flags = ACK, .win = 9, .data = "payload!",
				    .wscale = 3},
			     b);
	for (size_t cut = 0; cut <= n; cut++) {
		uint8_t *g = th_guarded(b, cut);
		tp_pkthdr h = {1, 0, (uint32_t)cut, (uint32_t)n, 228, 0};
		tp_dissect(p, ++g_num, &h, g);
		th_guarded_free(g, cut);
	}
	assert_int_equal(tp_flow_count(s), 1);
	tp_pkt_free(p);
	tp_session_free(s);
}

/* The streams -Y selected (tp_streamset): per protocol, counted once,
 * walked in order, numbers past the cap refused and said. */
static void test_flow_streamset(void **state)
{
	(void)state;
	tp_streamset s = {0};
	assert_false(tp_streamset_has(&s, 6, 0));
	assert_true(tp_streamset_add(&s, 6, 5));
	assert_true(tp_streamset_add(&s, 6, 5));
	assert_true(tp_streamset_add(&s, 6, 70000));
	assert_true(tp_streamset_add(&s, 17, 0));
	assert_false(tp_streamset_add(&s, 1, 0)); /* not TCP or UDP */
	assert_int_equal(s.count, 3);
	assert_true(tp_streamset_has(&s, 6, 5));
	assert_false(tp_streamset_has(&s, 17, 5));
	assert_false(tp_streamset_has(&s, 6, 4));
	assert_false(tp_streamset_has(&s, 6, 1u << 30));
	uint32_t k = 0, seen[4];
	unsigned n = 0;
	for (; tp_streamset_next(&s, 6, &k) && n < 4; k++)
		seen[n++] = k;
	assert_int_equal(n, 2);
	assert_int_equal(seen[0], 5);
	assert_int_equal(seen[1], 70000);
	assert_false(s.over);
	assert_false(tp_streamset_add(&s, 6, TP_STREAMSET_MAX));
	assert_true(s.over);
	assert_true(tp_streamset_add(&s, 6, TP_STREAMSET_MAX - 1));
	tp_streamset_free(&s);
	assert_int_equal(s.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_streamset),
		cmocka_unit_test(test_flow_siphash_vectors),
		cmocka_unit_test(test_flow_stream_numbers_in_order),
		cmocka_unit_test(test_flow_port_reuse_new_stream),
		cmocka_unit_test(test_flow_vlan_in_key),
		cmocka_unit_test(test_flow_cap_evicts_lru),
		cmocka_unit_test(test_flow_lru_second_chance_and_order),
		cmocka_unit_test(test_flow_sack_edges_relative),
		cmocka_unit_test(test_flow_lean_keeps_state),
		cmocka_unit_test(test_flow_acks_and_bytes_in_flight),
		cmocka_unit_test(test_flow_unacked_capped),
		cmocka_unit_test(test_flow_relative_seq_and_rtt),
		cmocka_unit_test(test_flow_midstream_start),
		cmocka_unit_test(test_flow_analysis_retransmission),
		cmocka_unit_test(test_flow_analysis_dupack_fast_retransmission),
		cmocka_unit_test(test_flow_analysis_window_and_keepalive),
		cmocka_unit_test(test_flow_tap_reorders_and_marks_gaps),
		cmocka_unit_test(test_flow_tail_gap),
		cmocka_unit_test(test_flow_tap_ack_before_data),
		cmocka_unit_test(test_flow_idle_expiry_flushes),
		cmocka_unit_test(test_flow_udp_tap_offsets),
		cmocka_unit_test(test_flow_follow_ascii),
		cmocka_unit_test(test_flow_follow_hex_and_gaps),
		cmocka_unit_test(test_flow_export_files_and_index),
		cmocka_unit_test(test_flow_export_writer_order),
		cmocka_unit_test(test_flow_export_write_error),
		cmocka_unit_test(test_flow_follow_parse),
		cmocka_unit_test(test_flow_follow_reorder_chunks),
		cmocka_unit_test(test_flow_follow_tab_and_space),
		cmocka_unit_test(test_flow_follow_order_waits),
		cmocka_unit_test(test_flow_follow_many_waiting),
		cmocka_unit_test(test_flow_follow_many_pieces),
		cmocka_unit_test(test_flow_every_truncation_with_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
