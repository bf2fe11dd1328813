/* fuzz_stream.c - the stream layer: one TCP conversation, cut by the
 * fuzzer into segments in both directions (any order, overlaps, gaps,
 * retransmissions, SYN/FIN/RST, sequence wrap, idle time), through the
 * TCP analysis and reassembly into the stream consumers: --follow in the
 * format the input picks, and a PDU consumer on tp_pdubuf (the contract
 * the application stream dissectors use; a 2-byte length prefix here).
 * The server port is the toy protocol's (tests/unit/toy.h) when the
 * input says so, else 80, HTTP's: the flow then also goes through the
 * stream layer (src/flow/stream.c) into the toy or the HTTP dissector
 * (dissectors/http.c: framing, pairing; after a 101, WebSocket), PDUs
 * into the records, and each record through the one-line text (tcpdump's
 * per-segment HTTP text, tapir's notes), lean or not as the input says.
 * Bit 6 of the first byte turns on decoded bodies and certificates
 * (tp_flowcfg.bodies and .certs:
 * HTTP on port 80 gathers and decodes them into an object tap, as
 * --export-objects).  Bit 1 of byte 5 puts the server on port 443
 * (TLS), bit 2 turns on TLS reports (--tls: tls_conn.c, each report
 * printed as text and JSON).  After each input every toy
 * state made is freed and the reassembly memory is back to 0 (else
 * abort: a finding).
 *
 * Input: 6 bytes of header (format and family, the two ISNs' top bytes;
 * bit 7 of the first: the toy's port; bit 6: decoded bodies; bit 5: a
 * lean run; byte 5: bit 0 -v, bit 1 port 443, bit 2 reports),
 * then records of 4 bytes, each followed by its payload:
 *   r0  bit 0 direction, bits 1-2 kind (data/SYN/FIN/RST),
 *       bit 3 zero window, bits 4-5 time step (0, 1, 7, 1000 s),
 *       bits 6-7 length high bits
 *   r1  sequence offset from the sender's next byte (signed, x r2>>6 ...)
 *   r2  length low bits
 *   r3  acknowledgement offset from the peer's next byte (signed)
 * Each input is a fresh session, so a replay gives the same run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/flow.h"
#include "tapir/follow.h"
#include "tapir/field.h"
#include "tapir/inet.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/reasm.h"
#include "tapir/report.h"
#include "toy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- a PDU consumer: 2-byte big-endian length, then the body ---- */
static tp_pdubuf pdu[2];
static uint64_t pdus, pdu_bytes;
static tp_session *cur;

static bool pdu_fn(void *ctx, const uint8_t *b, size_t n, size_t *consumed,
		   size_t *needed)
{
	(void)ctx;
	size_t off = 0;
	while (n - off >= 2) {
		size_t len = 2 + ((size_t)b[off] << 8 | b[off + 1]);
		if (b[off] == 0xff && b[off + 1] == 0xff)
			return false; /* "not my protocol": give up */
		if (n - off < len) {
			*consumed = off;
			*needed = len;
			return true;
		}
		for (size_t i = off; i < off + len; i++)
			pdu_bytes += b[i];
		pdus++;
		off += len;
	}
	*consumed = off;
	*needed = 0;
	return true;
}

static bool tap_want(void *ctx, const tp_flow *f)
{
	(void)ctx, (void)f;
	return true;
}

static void tap_data(void *ctx, const tp_flow *f, int dir, uint64_t off,
		     const uint8_t *b, size_t n, const tp_pkt *p)
{
	(void)ctx, (void)f, (void)off, (void)p;
	tp_pdubuf_feed(&pdu[dir & 1], &cur->mem, b, n, pdu_fn, NULL);
}

static void tap_gap(void *ctx, const tp_flow *f, int dir, uint64_t off,
		    uint64_t n)
{
	(void)ctx, (void)f, (void)off;
	tp_pdubuf_gap(&pdu[dir & 1], &cur->mem, n);
}

static void tap_end(void *ctx, const tp_flow *f)
{
	(void)ctx, (void)f;
	for (int d = 0; d < 2; d++) {
		tp_pdubuf_free(&pdu[d], &cur->mem);
		tp_pdubuf_init(&pdu[d], 4096);
	}
}

/* ---- whole objects (decoded HTTP bodies) ---- */
static uint64_t obj_bytes;

static void on_object(void *ctx, tp_object *o)
{
	(void)ctx;
	if (o->n > (16u << 20) || (o->n && !o->b) || !o->uri || !o->host)
		abort(); /* past the body cap, or a broken object */
	for (size_t i = 0; i < o->n; i += 4096)
		obj_bytes += o->b[i];
}

static const tp_object_tap objtap = {on_object, NULL};

/* ---- reports (--tls), printed both ways ---- */
static FILE *devnull;

static void on_report(void *ctx, const tp_report *r)
{
	(void)ctx;
	if (r->n > TP_REPORT_ITEMS || r->tlen > TP_REPORT_TEXT || r->depth)
		abort(); /* a broken report */
	tp_report_text(r, devnull);
	tp_report_json(r, devnull);
}

static const tp_report_tap reptap = {NULL, on_report, NULL};

static const tp_stream_tap pdutap = {tap_want, tap_data, tap_gap, tap_end,
				     NULL};

/* ---- building the frames ---- */
static size_t build(uint8_t *f, int v6, int dir, uint32_t seq, uint32_t ack,
		    uint8_t flags, uint16_t win, const uint8_t *pl, size_t n,
		    uint16_t sport)
{
	static const uint8_t a4[2][4] = {{10, 0, 0, 1}, {10, 0, 0, 2}};
	static const uint8_t a6[2][16] = {
		{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
		{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
	const uint16_t port[2] = {40000, sport};
	size_t ih = v6 ? 40 : 20, tl = 20 + n;
	uint8_t *t = f + ih;
	memset(f, 0, ih + 20);
	const uint8_t *src = v6 ? a6[dir] : a4[dir], *dst = v6 ? a6[!dir] : a4[!dir];
	if (v6) {
		f[0] = 0x60;
		f[4] = (uint8_t)(tl >> 8), f[5] = (uint8_t)tl;
		f[6] = 6, f[7] = 64;
		memcpy(f + 8, src, 16), memcpy(f + 24, dst, 16);
	} else {
		size_t l = ih + tl;
		f[0] = 0x45, f[2] = (uint8_t)(l >> 8), f[3] = (uint8_t)l;
		f[8] = 64, f[9] = 6;
		memcpy(f + 12, src, 4), memcpy(f + 16, dst, 4);
		uint16_t c = tp_cksum_fold(tp_cksum_add(0, f, 20));
		f[10] = (uint8_t)(c >> 8), f[11] = (uint8_t)c;
	}
	t[0] = (uint8_t)(port[dir] >> 8), t[1] = (uint8_t)port[dir];
	t[2] = (uint8_t)(port[!dir] >> 8), t[3] = (uint8_t)port[!dir];
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	t[12] = 0x50, t[13] = flags;
	t[14] = (uint8_t)(win >> 8), t[15] = (uint8_t)win;
	memcpy(t + 20, pl, n);
	uint32_t s = tp_cksum_pseudo(v6 ? 6 : 4, src, dst, 6, (uint32_t)tl);
	uint16_t c = tp_cksum_fold(tp_cksum_add(s, t, tl));
	t[16] = (uint8_t)(c >> 8), t[17] = (uint8_t)c;
	return ih + tl;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tp_pkt *p;
	static uint8_t frame[40 + 20 + 1024];
	if (!p) {
		p = tp_pkt_new();
		devnull = fopen("/dev/null", "w");
		if (!p || !devnull)
			abort();
		tp_pdubuf_init(&pdu[0], 4096);
		tp_pdubuf_init(&pdu[1], 4096);
		toy_register();
	}
	if (size < 6)
		return 0;
	uint16_t sport = data[0] & 0x80 ? TOY_PORT : data[5] & 2 ? 443 : 80;
	tp_flowcfg cfg = {.max_flows = 4,
			  .idle_timeout = 600,
			  .reasm_dir_cap = 8192,
			  /* with bodies, room for a few decoded ones */
			  .reasm_mem_cap = data[0] & 0x40 ? 1u << 20 : 16384,
			  .bodies = (data[0] & 0x40) != 0,
			  /* and X.509 contents of TLS certificates */
			  .certs = (data[0] & 0x40) != 0};
	tp_session *sess = tp_session_new(&cfg);
	if (!sess)
		abort();
	sess->objtap = &objtap;
	if (data[5] & 4)
		sess->reptap = &reptap;
	cur = sess;
	tp_follow_spec spec;
	char fs[64];
	snprintf(fs, sizeof fs,
		 data[0] & 4 ? "tcp,[fd00::1]:40000,[fd00::2]:%u"
			     : "tcp,10.0.0.1:40000,10.0.0.2:%u",
		 (unsigned)sport);
	if (tp_follow_parse(fs, &spec) != 0)
		abort();
	unsigned news = toy_news, frees = toy_frees;
	spec.fmt = (tp_follow_fmt)(data[0] & 3);
	spec.dir = (tp_follow_dir)((data[0] >> 3) % 3);
	tp_follow *fo = tp_follow_new(&spec, devnull);
	if (!fo)
		abort();
	sess->taps[sess->ntaps++] = tp_follow_tap(fo);
	sess->taps[sess->ntaps++] = &pdutap;
	p->sess = sess;
	p->lean = (data[0] >> 5) & 1;
	tp_outopts oo = {.vflag = data[5] & 1};
	static char line[1 << 16];
	tp_sbuf sb;

	int v6 = (data[0] >> 2) & 1;
	uint32_t next[2] = {(uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 | 0xfff0u,
			    (uint32_t)data[3] << 24 | (uint32_t)data[4] << 8};
	int64_t clock = 1000;
	uint64_t number = 0;
	size_t i = 6;
	while (size - i >= 4 && number < 4096) {
		const uint8_t *r = data + i;
		i += 4;
		int dir = r[0] & 1, kind = (r[0] >> 1) & 3;
		static const int steps[4] = {0, 1, 7, 1000};
		clock += steps[(r[0] >> 4) & 3];
		size_t n = ((size_t)(r[0] >> 6) << 8 | r[2]) % 1025;
		if (n > size - i)
			n = size - i;
		uint32_t seq = next[dir] + (uint32_t)(int32_t)(int8_t)r[1] *
						   (1u + (r[2] >> 6) * 64u);
		uint32_t ack = next[!dir] + (uint32_t)(int32_t)(int8_t)r[3];
		uint8_t flags = 0x10; /* ACK */
		if (kind == 0 && n)
			flags |= 0x08;                 /* PSH */
		else if (kind == 1)
			flags = dir ? 0x12 : 0x02;     /* SYN, SYN/ACK */
		else if (kind == 2)
			flags |= 0x01;                 /* FIN */
		else if (kind == 3)
			flags = 0x04 | (r[3] & 0x10);  /* RST, maybe ACK */
		uint16_t win = (r[0] & 8) ? 0 : 65535;
		size_t len = build(frame, v6, dir, seq, ack, flags, win, data + i,
				   n, sport);
		i += n;
		uint32_t end = seq + (uint32_t)n + ((flags & 0x03) ? 1u : 0u);
		if ((int32_t)(end - next[dir]) > 0)
			next[dir] = end;
		tp_pkthdr h = {clock, 0, (uint32_t)len, (uint32_t)len,
			       v6 ? 229 : 228, 0};
		tp_dissect(p, ++number, &h, frame);
		tp_sb_init(&sb, line, sizeof line);
		tp_summary_line(&sb, p, &oo);
	}
	tp_session_finish(sess);
	tp_follow_finish(fo);
	for (int d = 0; d < 2; d++) {
		tp_pdubuf_free(&pdu[d], &sess->mem);
		tp_pdubuf_init(&pdu[d], 4096);
	}
	/* the stream layer gave everything back */
	if (sess->mem.used != 0 || toy_news - news != toy_frees - frees)
		abort();
	tp_session_free(sess);
	tp_follow_free(fo);
	p->sess = NULL;
	p->lean = false;
	return 0;
}
