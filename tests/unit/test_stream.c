/* test_stream.c - the stream and datagram dissector contract (stream.h,
 * dissector.h) through the real pipeline: frames built here go through
 * tp_dissect with a session, ip, tcp.c / udp.c, the reassembler and
 * src/flow/stream.c into the toy protocol of toy.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/inet.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"
#include "tapir/stream.h"
#include "toy.h"

#define MAXPL 65495 /* IPv4 total length 65535 - 40 */

typedef struct conv {
	tp_session *s;
	tp_pkt *p;
	uint8_t cli[4], srv[4];
	uint16_t cport, sport;
	uint32_t next[2]; /* next sequence number per direction, 0 client */
	uint64_t number;
	int64_t clock;
} conv;

static uint8_t frame[20 + 20 + MAXPL];

static size_t build(const conv *c, int dir, uint8_t proto, uint32_t seq,
		    uint32_t ack, uint8_t flags, const uint8_t *pl, size_t n)
{
	const uint8_t *src = dir ? c->srv : c->cli, *dst = dir ? c->cli : c->srv;
	uint16_t sp = dir ? c->sport : c->cport, dp = dir ? c->cport : c->sport;
	size_t th = proto == 6 ? 20 : 8, tl = th + n, l = 20 + tl;
	memset(frame, 0, 20 + th);
	frame[0] = 0x45;
	frame[2] = (uint8_t)(l >> 8), frame[3] = (uint8_t)l;
	frame[8] = 64, frame[9] = proto;
	memcpy(frame + 12, src, 4), memcpy(frame + 16, dst, 4);
	uint16_t ck = tp_cksum_fold(tp_cksum_add(0, frame, 20));
	frame[10] = (uint8_t)(ck >> 8), frame[11] = (uint8_t)ck;
	uint8_t *t = frame + 20;
	t[0] = (uint8_t)(sp >> 8), t[1] = (uint8_t)sp;
	t[2] = (uint8_t)(dp >> 8), t[3] = (uint8_t)dp;
	if (proto == 6) {
		for (int i = 0; i < 4; i++) {
			t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
			t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
		}
		t[12] = 0x50, t[13] = flags;
		t[14] = 0xff, t[15] = 0xff;
	} else {
		t[4] = (uint8_t)(tl >> 8), t[5] = (uint8_t)tl;
	}
	if (n)
		memcpy(t + th, pl, n);
	uint32_t s = tp_cksum_pseudo(4, src, dst, proto, (uint32_t)tl);
	ck = tp_cksum_fold(tp_cksum_add(s, t, tl));
	int at = proto == 6 ? 16 : 6;
	t[at] = (uint8_t)(ck >> 8), t[at + 1] = (uint8_t)ck;
	return l;
}

static tp_pkt *put(conv *c, size_t len)
{
	tp_pkthdr h = {c->clock++, 0, (uint32_t)len, (uint32_t)len, 228, 0};
	tp_dissect(c->p, ++c->number, &h, frame);
	return c->p;
}

/* A TCP segment at an explicit sequence number (ACK set). */
static tp_pkt *seg_at(conv *c, int dir, uint32_t seq, uint8_t flags,
		      const void *pl, size_t n)
{
	return put(c, build(c, dir, 6, seq, c->next[!dir], flags, pl, n));
}

/* The next in-order segment of a direction. */
static tp_pkt *send(conv *c, int dir, const void *pl, size_t n)
{
	tp_pkt *p = seg_at(c, dir, c->next[dir], 0x18, pl, n);
	c->next[dir] += (uint32_t)n;
	return p;
}

static tp_pkt *datagram(conv *c, int dir, const void *pl, size_t n)
{
	return put(c, build(c, dir, 17, 0, 0, 0, pl, n));
}

static void conv_init(conv *c, tp_session *s, uint16_t cport, uint16_t sport)
{
	static tp_pkt *p;
	if (!p)
		p = tp_pkt_new();
	assert_non_null(p);
	memset(c, 0, sizeof *c);
	c->s = s;
	c->p = p;
	p->sess = s;
	memcpy(c->cli, (uint8_t[]){10, 0, 0, 1}, 4);
	memcpy(c->srv, (uint8_t[]){10, 0, 0, 2}, 4);
	c->cport = cport;
	c->sport = sport;
	c->next[0] = 1000;
	c->next[1] = 5000;
	c->clock = 100;
}

static void handshake(conv *c)
{
	put(c, build(c, 0, 6, c->next[0], 0, 0x02, NULL, 0));
	c->next[0]++;
	put(c, build(c, 1, 6, c->next[1], c->next[0], 0x12, NULL, 0));
	c->next[1]++;
	seg_at(c, 0, c->next[0], 0x10, NULL, 0);
}

static tp_session *session(unsigned max_flows, size_t mem_cap)
{
	tp_flowcfg cfg = {.max_flows = max_flows, .reasm_mem_cap = mem_cap};
	tp_session *s = tp_session_new(&cfg);
	assert_non_null(s);
	return s;
}

static void end(conv *c)
{
	tp_session_finish(c->s);
	assert_int_equal(c->s->mem.used, 0);
	tp_session_free(c->s);
	c->p->sess = NULL;
	assert_int_equal(toy_news, toy_frees);
}

/* A toy PDU: magic, 24-bit length, body (filled with `fill`). */
static size_t toy_pdu(uint8_t *b, size_t bodylen, uint8_t fill)
{
	b[0] = TOY_MAGIC;
	b[1] = (uint8_t)(bodylen >> 16);
	b[2] = (uint8_t)(bodylen >> 8);
	b[3] = (uint8_t)bodylen;
	memset(b + TOY_HDR, fill, bodylen);
	return TOY_HDR + bodylen;
}

static int count_layers(const tp_pkt *p, const char *name)
{
	int n = 0;
	for (unsigned i = 0; i < p->nlayers; i++)
		n += strcmp(p->layers[i].d->name, name) == 0;
	return n;
}

/* The field `abbrev` of the k-th layer called `name`. */
static const tp_field *layer_field(const tp_pkt *p, const char *name, int k,
				   const char *abbrev)
{
	for (unsigned i = 0; i < p->nlayers; i++)
		if (strcmp(p->layers[i].d->name, name) == 0 && k-- == 0)
			return tp_layer_find_abbrev(p, i, abbrev);
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	toy_register();
	toy_news = toy_frees = 0;
	toy_gap_bytes = 0;
	return 0;
}

/* ---- the contract ------------------------------------------------------ */

static void test_stream_three_segments(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40000, TOY_PORT);
	handshake(&c);
	uint8_t pdu[64];
	size_t n = toy_pdu(pdu, 10, 'x'); /* 14 bytes */
	tp_pkt *p = send(&c, 0, pdu, 3);
	uint64_t first = p->number;
	assert_int_equal(count_layers(p, "toy"), 0);
	assert_false(th_has_layer(p, "data")); /* consumed by the stream */
	assert_int_equal(th_uint(p, "tcp.len"), 3);
	p = send(&c, 0, pdu + 3, 5);
	assert_int_equal(count_layers(p, "toy"), 0);
	p = send(&c, 0, pdu + 8, n - 8);
	assert_int_equal(count_layers(p, "toy"), 1);
	assert_int_equal(th_uint(p, "toy.len"), 10);
	assert_int_equal(th_uint(p, "toy.seq"), 1);
	assert_int_equal(th_uint(p, "toy.dir"), 0);
	/* the frames the PDU spanned, Wireshark's names */
	assert_int_equal(th_count(p, "tcp.segment"), 3);
	assert_int_equal(th_uint(p, "tcp.segment"), first);
	assert_int_equal(th_uint(p, "tcp.segment.count"), 3);
	assert_int_equal(th_uint(p, "tcp.reassembled.length"), 14);
	/* the PDU reads its own data source */
	const tp_field *d = th_field(p, "toy.data");
	assert_non_null(d);
	assert_int_equal(d->vlen, 10);
	assert_true(d->src > 0);
	assert_string_equal(p->src[d->src].name, "Reassembled TCP");
	assert_int_equal(p->src[d->src].kind, TP_SRC_PDU);
	size_t sn;
	const uint8_t *sb = tp_src_bytes(p, d->src, &sn);
	assert_int_equal(sn, 14);
	assert_memory_equal(sb, pdu, 14);
	assert_int_equal(d->off, 4);
	assert_ptr_equal(d->v.p, sb + 4);
	/* TCP's own fields stay in the frame */
	assert_int_equal(th_field(p, "tcp.srcport")->src, 0);
	end(&c);
	assert_int_equal(toy_news, 1);
}

static void test_stream_many_pdus_one_segment(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40001, TOY_PORT);
	handshake(&c);
	static uint8_t buf[MAXPL];
	size_t n = 0;
	for (int i = 0; i < 1000; i++)
		n += toy_pdu(buf + n, (size_t)(i % 3), (uint8_t)i);
	tp_pkt *p = send(&c, 0, buf, n);
	assert_int_equal(count_layers(p, "toy"), 1000);
	assert_false(p->full);
	assert_int_equal(p->nsrc, 1); /* all in the frame */
	const tp_field *s = layer_field(p, "toy", 999, "toy.seq");
	assert_non_null(s);
	assert_int_equal(s->v.u, 1000);
	const tp_field *m = layer_field(p, "toy", 500, "toy.magic");
	assert_int_equal(m->src, 0);
	assert_int_equal(p->data[m->off], TOY_MAGIC);
	assert_int_equal(th_count(p, "tcp.segment"), 0);
	end(&c);
}

/* More PDUs than a record holds layers: an event, and the state keeps
 * counting (the rest are dissected into the scratch record). */
static void test_stream_layer_cap(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40002, TOY_PORT);
	handshake(&c);
	static uint8_t buf[MAXPL];
	size_t n = 0;
	while (n + TOY_HDR <= sizeof buf)
		n += toy_pdu(buf + n, 0, 0);
	unsigned npdu = (unsigned)(n / TOY_HDR);
	assert_true(npdu > TP_MAX_PKT_LAYERS);
	tp_pkt *p = send(&c, 0, buf, n);
	assert_true(p->full);
	assert_true(th_has_event(p, "_ws.record_full"));
	assert_true(th_has_event(p, "_ws.record_full.layers"));
	assert_true(p->nlayers <= TP_MAX_PKT_LAYERS);
	p = send(&c, 0, buf, TOY_HDR);
	assert_int_equal(th_uint(p, "toy.seq"), npdu + 1);
	end(&c);
}

/* Bytes lost inside a PDU: the gap reaches the dissector, which
 * resynchronises at the next magic byte. */
static void test_stream_gap_resync(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40003, TOY_PORT);
	handshake(&c);
	uint8_t a[64], b[64];
	size_t na = toy_pdu(a, 20, 0x11); /* 24 bytes */
	size_t nb = toy_pdu(b, 2, 'h');
	tp_pkt *p = send(&c, 0, a, 10);
	c.next[0] += 10; /* 10 bytes never captured */
	uint8_t rest[64];
	memcpy(rest, a + 20, na - 20);
	memcpy(rest + (na - 20), b, nb);
	p = send(&c, 0, rest, (na - 20) + nb);
	assert_int_equal(count_layers(p, "toy"), 0); /* held */
	/* the server ACKs everything: on the third ACK the hole is a gap */
	for (int i = 0; i < 3; i++)
		p = seg_at(&c, 1, c.next[1], 0x10, NULL, 0);
	assert_int_equal(count_layers(p, "toy"), 2);
	assert_int_equal(toy_gap_bytes, 10);
	const tp_field *sk = layer_field(p, "toy", 0, "toy.skipped");
	assert_non_null(sk);
	assert_int_equal(sk->vlen, na - 20);
	const tp_field *d = layer_field(p, "toy", 1, "toy.data");
	assert_non_null(d);
	assert_int_equal(d->vlen, 2);
	assert_memory_equal(d->v.p, "hh", 2);
	assert_int_equal(layer_field(p, "toy", 1, "toy.dir")->v.u, 0);
	assert_int_equal(layer_field(p, "toy", 1, "toy.seq")->v.u, 1);
	/* and the stream goes on */
	p = send(&c, 0, b, nb);
	assert_int_equal(th_uint(p, "toy.seq"), 2);
	end(&c);
}

static void test_stream_out_of_order(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40004, TOY_PORT);
	handshake(&c);
	uint8_t a[32];
	size_t n = toy_pdu(a, 6, 'z');
	tp_pkt *p = seg_at(&c, 0, c.next[0] + 5, 0x18, a + 5, n - 5);
	assert_int_equal(count_layers(p, "toy"), 0);
	p = seg_at(&c, 0, c.next[0], 0x18, a, 5);
	c.next[0] += (uint32_t)n;
	assert_int_equal(count_layers(p, "toy"), 1);
	const tp_field *d = th_field(p, "toy.data");
	assert_memory_equal(d->v.p, "zzzzzz", 6);
	assert_string_equal(p->src[d->src].name, "Reassembled TCP");
	assert_int_equal(th_uint(p, "tcp.segment"), p->number);
	assert_int_equal(th_uint(p, "tcp.reassembled.length"), n);
	end(&c);
}

static void test_stream_both_directions(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40005, TOY_PORT);
	handshake(&c);
	uint8_t b[16];
	size_t n = toy_pdu(b, 1, 'q');
	const int dirs[] = {0, 1, 1, 0, 1};
	const unsigned seqs[] = {1, 1, 2, 2, 3};
	for (size_t i = 0; i < TP_COUNT(dirs); i++) {
		tp_pkt *p = send(&c, dirs[i], b, n);
		assert_int_equal(th_uint(p, "toy.dir"), (uint64_t)dirs[i]);
		assert_int_equal(th_uint(p, "toy.seq"), seqs[i]);
	}
	assert_int_equal(toy_news, 2);
	end(&c);
	assert_int_equal(toy_frees, 2);
}

/* State is freed when a flow is evicted, and at the end of the capture;
 * a new connection on the same ports gets new state. */
static void test_stream_free_on_evict_and_end(void **state)
{
	(void)state;
	tp_session *s = session(2, 0);
	uint8_t b[16];
	size_t n = toy_pdu(b, 3, 'e');
	conv c[3];
	for (int i = 0; i < 3; i++) {
		conv_init(&c[i], s, (uint16_t)(41000 + i), TOY_PORT);
		handshake(&c[i]);
		send(&c[i], 0, b, n);
		send(&c[i], 1, b, n);
		if (i < 2)
			assert_int_equal(toy_frees, 0);
	}
	/* the third flow evicted the first (the least recently seen) */
	assert_int_equal(s->evicted, 1);
	assert_int_equal(toy_news, 6);
	assert_int_equal(toy_frees, 2);
	/* a new SYN with another ISN on flow 2's ports: a new connection */
	c[2].next[0] += 100000;
	tp_pkt *p = put(&c[2], build(&c[2], 0, 6, c[2].next[0], 0, 0x02,
					NULL, 0));
	assert_true(th_count(p, "tcp.analysis.reused_ports") > 0);
	assert_int_equal(toy_frees, 4);
	c[2].next[0]++;
	p = send(&c[2], 0, b, n);
	assert_int_equal(th_uint(p, "toy.seq"), 1);
	end(&c[0]);
	assert_int_equal(toy_news, 7);
}

/* A connection that is over (both FINs, or an RST) with nothing held
 * back frees its states and buffers at once (tp_app_close), not when the
 * flow leaves the table (the flow stays pinned); bytes still held keep
 * them. */
static void test_stream_close(void **state)
{
	(void)state;
	tp_session *s = session(0, 0);
	uint8_t b[16];
	size_t n = toy_pdu(b, 3, 'c');
	conv c;
	conv_init(&c, s, 42000, TOY_PORT);
	handshake(&c);
	send(&c, 0, b, n);
	send(&c, 1, b, n);
	assert_int_equal(toy_news, 2);
	assert_true(s->mem.used > 0); /* the states and stream buffers */
	seg_at(&c, 0, c.next[0], 0x11, NULL, 0);
	assert_int_equal(toy_frees, 0); /* one FIN: not over */
	c.next[0]++;
	tp_pkt *p = seg_at(&c, 1, c.next[1], 0x11, NULL, 0);
	c.next[1]++;
	assert_int_equal(toy_frees, 2);
	assert_int_equal(s->mem.used, 0);
	/* still pinned, without state */
	assert_ptr_equal(p->flow->app.d, &tp_diss_toy);
	assert_int_equal(p->flow->app.made, 0);
	assert_null(p->flow->app.sd[0]);

	/* an RST ends it too */
	conv r;
	conv_init(&r, s, 42001, TOY_PORT);
	handshake(&r);
	send(&r, 0, b, n);
	assert_int_equal(toy_news, 3);
	seg_at(&r, 1, r.next[1], 0x14, NULL, 0);
	assert_int_equal(toy_frees, 3);

	/* a lost last segment: the FIN proves it, the dissector gets the
	 * gap before its state goes */
	conv t;
	conv_init(&t, s, 42003, TOY_PORT);
	handshake(&t);
	send(&t, 0, b, n);
	t.next[0] += 6; /* never captured */
	seg_at(&t, 0, t.next[0], 0x11, NULL, 0);
	t.next[0]++;
	unsigned before = toy_frees;
	uint64_t gaps = toy_gap_bytes;
	seg_at(&t, 1, t.next[1], 0x11, NULL, 0);
	assert_int_equal(toy_gap_bytes - gaps, 6);
	assert_int_equal(toy_frees, before + 1); /* the one direction with data */

	/* a hole before the FINs: the bytes after it are held, no close */
	conv h;
	conv_init(&h, s, 42002, TOY_PORT);
	handshake(&h);
	seg_at(&h, 0, h.next[0] + 5, 0x18, b, n); /* 5 bytes missing */
	seg_at(&h, 0, h.next[0] + 5 + (uint32_t)n, 0x11, NULL, 0);
	seg_at(&h, 1, h.next[1], 0x11, NULL, 0);
	unsigned frees = toy_frees;
	assert_true(s->mem.used > 0);
	end(&c);
	assert_true(toy_frees > frees);
}

/* States and stream buffers count against the reassembly memory cap:
 * past it a flow gets none (its PDUs are not dissected as the protocol),
 * the session counts the refusals, and the memory all comes back. */
static void test_stream_state_cap(void **state)
{
	(void)state;
	tp_session *s = session(0, 4096);
	uint8_t b[16];
	size_t n = toy_pdu(b, 3, 's');
	int with = 0, without = 0;
	conv c[64];
	for (int i = 0; i < 64; i++) {
		conv_init(&c[i], s, (uint16_t)(43000 + i), TOY_PORT);
		handshake(&c[i]);
		tp_pkt *p = send(&c[i], 0, b, n);
		if (count_layers(p, "toy"))
			with++;
		else
			without++;
		assert_true(s->mem.used <= 4096);
	}
	assert_true(with > 0);
	assert_true(without > 0);
	assert_true(s->app_refused > 0);
	assert_int_equal(toy_news, (unsigned)with);
	end(&c[0]);
}

/* A PDU longer than TP_PDU_MAX is passed over without being held; one
 * the memory cap cannot hold is passed over too; memory comes back. */
static void test_stream_caps(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40006, TOY_PORT);
	handshake(&c);
	static uint8_t buf[60000];
	size_t big = 2u << 20; /* > TP_PDU_MAX */
	toy_pdu(buf, 0, 0);
	buf[1] = (uint8_t)(big >> 16), buf[2] = (uint8_t)(big >> 8);
	buf[3] = (uint8_t)big;
	send(&c, 0, buf, TOY_HDR);
	memset(buf, 0x5a, sizeof buf);
	for (size_t left = big; left;) {
		size_t k = left < sizeof buf ? left : sizeof buf;
		tp_pkt *p = send(&c, 0, buf, k);
		assert_int_equal(count_layers(p, "toy"), 0);
		assert_true(c.s->mem.used < 4096);
		left -= k;
	}
	uint8_t ok[16];
	size_t n = toy_pdu(ok, 2, 'k');
	tp_pkt *p = send(&c, 0, ok, n);
	assert_int_equal(th_uint(p, "toy.seq"), 1);
	assert_int_equal(th_uint(p, "toy.len"), 2);
	end(&c);

	/* a 200 KB PDU under a 64 KiB memory cap */
	conv_init(&c, session(0, 64 << 10), 40007, TOY_PORT);
	handshake(&c);
	size_t mid = 200000;
	memset(buf, 0x33, sizeof buf);
	toy_pdu(buf, 0, 0);
	buf[1] = (uint8_t)(mid >> 16), buf[2] = (uint8_t)(mid >> 8);
	buf[3] = (uint8_t)mid;
	for (size_t left = TOY_HDR + mid; left;) {
		size_t k = left < 50000 ? left : 50000;
		p = send(&c, 0, buf, k);
		assert_int_equal(count_layers(p, "toy"), 0);
		assert_true(c.s->mem.peak <= (64u << 10));
		memset(buf, 0x33, 8);
		left -= k;
	}
	p = send(&c, 0, ok, n);
	assert_int_equal(th_uint(p, "toy.seq"), 1);
	end(&c);
}

/* Pinning: probes where no port says, decode-as over ports, nothing
 * without reassembly. */
static void test_stream_pinning(void **state)
{
	(void)state;
	uint8_t b[16];
	size_t n = toy_pdu(b, 1, 'p');
	conv c;
	conv_init(&c, session(0, 0), 40010, 5000);
	handshake(&c);
	tp_pkt *p = send(&c, 0, b, n);
	assert_int_equal(count_layers(p, "toy"), 1); /* the probe said yes */
	end(&c);

	conv_init(&c, session(0, 0), 40011, 5001);
	handshake(&c);
	p = send(&c, 0, "ABCD", 4);
	assert_int_equal(count_layers(p, "toy"), 0);
	assert_true(th_has_layer(p, "data"));
	p = send(&c, 0, b, n); /* pinned to nobody: stays so */
	assert_int_equal(count_layers(p, "toy"), 0);
	end(&c);

	/* a probe that needs more bytes is asked again */
	conv_init(&c, session(0, 0), 40012, 5002);
	handshake(&c);
	p = send(&c, 0, b, 2);
	assert_int_equal(count_layers(p, "toy"), 0);
	p = send(&c, 0, b, n);
	assert_int_equal(count_layers(p, "toy"), 1);
	end(&c);

	char err[200];
	assert_int_equal(tp_registry_decode_as("tcp.port==6000,toy", err,
					       sizeof err),
			 0);
	conv_init(&c, session(0, 0), 40013, 6000);
	handshake(&c);
	p = send(&c, 1, b, n);
	assert_int_equal(th_uint(p, "toy.dir"), 1);
	/* not the toy's: the direction is given up, nothing recorded */
	p = send(&c, 0, "nope", 4);
	assert_int_equal(count_layers(p, "toy"), 0);
	assert_false(th_has_layer(p, "data"));
	p = send(&c, 0, b, n);
	assert_int_equal(count_layers(p, "toy"), 0);
	end(&c);
	/* decode-as wins over the toy's own port */
	assert_int_equal(tp_registry_decode_as("tcp.port==7,data", err,
					       sizeof err),
			 0);
	conv_init(&c, session(0, 0), 40014, TOY_PORT);
	handshake(&c);
	p = send(&c, 0, b, n);
	assert_int_equal(count_layers(p, "toy"), 0);
	assert_true(th_has_layer(p, "data"));
	end(&c);
	tp_registry_clear_overrides();

	/* no session: a raw segment never reaches a stream dissector */
	size_t len = build(&c, 0, 6, 1, 1, 0x18, b, n);
	p = th_dissect(228, frame, len, len);
	assert_true(th_has_layer(p, "tcp"));
	assert_false(th_has_layer(p, "toy"));
	assert_true(th_has_layer(p, "data"));

	/* no reassembly: no stream, the segment is data */
	tp_flowcfg cfg = {.no_reassembly = true};
	conv_init(&c, tp_session_new(&cfg), 40015, TOY_PORT);
	handshake(&c);
	p = send(&c, 0, b, n);
	assert_int_equal(count_layers(p, "toy"), 0);
	assert_true(th_has_layer(p, "data"));
	end(&c);
	assert_int_equal(toy_news, toy_frees);
}

static void test_stream_datagrams(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40020, TOY_PORT);
	uint8_t b[16];
	size_t n = toy_pdu(b, 2, 'u');
	const int dirs[] = {0, 0, 1, 0};
	const unsigned seqs[] = {1, 2, 1, 3};
	for (size_t i = 0; i < TP_COUNT(dirs); i++) {
		tp_pkt *p = datagram(&c, dirs[i], b, n);
		assert_int_equal(count_layers(p, "toy"), 1);
		assert_int_equal(th_uint(p, "toy.seq"), seqs[i]);
		assert_int_equal(th_uint(p, "toy.dir"), (uint64_t)dirs[i]);
		assert_int_equal(th_field(p, "toy.data")->src, 0);
	}
	assert_int_equal(toy_news, 2);
	/* the probe on another port */
	c.sport = 5454; /* no dissector's port */
	tp_pkt *p = datagram(&c, 0, b, n);
	assert_int_equal(th_uint(p, "toy.seq"), 1);
	end(&c);
	assert_int_equal(toy_frees, 3);
	/* without a session: the same dissector, no state */
	size_t len = build(&c, 0, 17, 0, 0, 0, b, n);
	p = th_dissect(228, frame, len, len);
	assert_true(th_has_layer(p, "toy"));
	assert_int_equal(th_count(p, "toy.seq"), 0);
}

/* A field's text as -T fields prints it. */
static const char *field_text(const tp_pkt *p, const char *abbrev)
{
	static char buf[256];
	tp_sbuf sb;
	tp_sb_init(&sb, buf, sizeof buf);
	const tp_field *f = th_field(p, abbrev);
	assert_non_null(f);
	tp_format_field_text(&sb, p, f);
	return tp_sb_cstr(&sb);
}

/* The run's state is one per dissector, shared by all its flows, made
 * when first asked and freed with the session; the Protocol and Info
 * columns are the topmost layer's. */
static void test_stream_session_state_and_columns(void **state)
{
	(void)state;
	toy_session_news = toy_session_frees = 0;
	tp_session *s = session(0, 0);
	conv a, b;
	conv_init(&a, s, 40030, TOY_PORT);
	conv_init(&b, s, 40031, TOY_PORT);
	uint8_t pdu[16];
	size_t n = toy_pdu(pdu, 3, 'x');
	tp_pkt *p = datagram(&a, 0, pdu, n);
	assert_int_equal(th_uint(p, "toy.total"), 1);
	assert_string_equal(field_text(p, "_ws.col.Protocol"), "TOY");
	assert_string_equal(field_text(p, "_ws.col.Info"), "Toy PDU, 3 bytes");
	p = datagram(&b, 1, pdu, n);
	assert_int_equal(th_uint(p, "toy.seq"), 1); /* per flow and direction */
	assert_int_equal(th_uint(p, "toy.total"), 2); /* for the run */
	p = datagram(&a, 1, pdu, n);
	assert_int_equal(th_uint(p, "toy.total"), 3);
	/* a PDU of a TCP stream (dissected with the session hidden) */
	conv t;
	conv_init(&t, s, 40032, TOY_PORT);
	handshake(&t);
	p = send(&t, 0, pdu, n);
	assert_int_equal(count_layers(p, "toy"), 1);
	assert_int_equal(th_uint(p, "toy.total"), 4);
	assert_int_equal(toy_session_news, 1);
	/* a packet with no toy layer: UDP's column, no Info */
	a.sport = 9;
	p = datagram(&a, 0, "zz", 2);
	assert_false(th_has_layer(p, "toy"));
	assert_string_equal(field_text(p, "_ws.col.Protocol"), "UDP");
	assert_string_equal(field_text(p, "_ws.col.Info"), "");
	end(&a);
	assert_int_equal(toy_session_frees, 1);
	/* without a session: no state for the run, no toy.total */
	a.sport = TOY_PORT;
	size_t len = build(&a, 0, 17, 0, 0, 0, pdu, n);
	p = th_dissect(228, frame, len, len);
	assert_true(th_has_layer(p, "toy"));
	assert_int_equal(th_count(p, "toy.total"), 0);
	assert_int_equal(toy_session_news, 1);
}

/* -x: the frame, then every added data source under its name. */
static void test_stream_hex_sources(void **state)
{
	(void)state;
	conv c;
	conv_init(&c, session(0, 0), 40030, TOY_PORT);
	handshake(&c);
	uint8_t b[16];
	size_t n = toy_pdu(b, 4, 'w');
	send(&c, 0, b, 5);
	tp_pkt *p = send(&c, 0, b + 5, n - 5);
	char *text = NULL;
	size_t tlen = 0;
	FILE *fp = open_memstream(&text, &tlen);
	assert_non_null(fp);
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	o.xflag = 1;
	tp_output *out = tp_out_text_new(fp, &o);
	assert_non_null(out);
	out->packet(out, p);
	out->finish(out);
	tp_out_text_free(out);
	fclose(fp);
	const char *h = strstr(text, "\n\tReassembled TCP (8 bytes):\n\t0x0000:"
				     "  7e00 0004 7777 7777");
	assert_non_null(h);
	assert_non_null(strstr(text, "\t0x0000:  4500")); /* the frame first */
	assert_true(strstr(text, "\t0x0000:  4500") < h);
	free(text);
	end(&c);
}

/* Hostile streams: random segments (any order, overlaps, gaps) to the
 * toy's port; nothing leaks, every state made is freed. */
static void test_stream_hostile(void **state)
{
	(void)state;
	uint32_t r = 12345;
#define RND() (r = r * 1103515245u + 12345u, r >> 8)
	for (int round = 0; round < 20; round++) {
		conv c;
		conv_init(&c, session(4, (size_t)(16 + round) << 10),
			  (uint16_t)(42000 + round),
			  round % 2 ? TOY_PORT : 5005);
		if (round % 3)
			handshake(&c);
		static uint8_t buf[4096];
		for (int i = 0; i < 300; i++) {
			int dir = (int)(RND() & 1);
			size_t n = RND() % sizeof buf;
			for (size_t k = 0; k < n; k++)
				buf[k] = (uint8_t)(RND() % 5 == 0 ? TOY_MAGIC
								  : RND());
			if (RND() % 4 == 0 && n >= TOY_HDR)
				toy_pdu(buf, RND() % (n - TOY_HDR + 1), 1);
			int32_t jitter = (int32_t)(RND() % 2000) - 1000;
			uint32_t seq = c.next[dir] +
				       (RND() % 3 == 0 ? (uint32_t)jitter : 0);
			uint8_t fl = RND() % 50 == 0 ? 0x11 : 0x18;
			seg_at(&c, dir, seq, fl, buf, n);
			if ((int32_t)(seq + (uint32_t)n - c.next[dir]) > 0)
				c.next[dir] = seq + (uint32_t)n;
			if (RND() % 40 == 0)
				c.clock += 1000; /* idle: flushed */
		}
		end(&c);
	}
#undef RND
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_stream_three_segments, setup),
		cmocka_unit_test_setup(test_stream_many_pdus_one_segment, setup),
		cmocka_unit_test_setup(test_stream_layer_cap, setup),
		cmocka_unit_test_setup(test_stream_gap_resync, setup),
		cmocka_unit_test_setup(test_stream_out_of_order, setup),
		cmocka_unit_test_setup(test_stream_both_directions, setup),
		cmocka_unit_test_setup(test_stream_free_on_evict_and_end, setup),
		cmocka_unit_test_setup(test_stream_caps, setup),
		cmocka_unit_test_setup(test_stream_close, setup),
		cmocka_unit_test_setup(test_stream_state_cap, setup),
		cmocka_unit_test_setup(test_stream_pinning, setup),
		cmocka_unit_test_setup(test_stream_datagrams, setup),
		cmocka_unit_test_setup(test_stream_hex_sources, setup),
		cmocka_unit_test_setup(test_stream_session_state_and_columns,
				       setup),
		cmocka_unit_test_setup(test_stream_hostile, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
