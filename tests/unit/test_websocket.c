/* test_websocket.c - WebSocket frames after HTTP's 101 (the stream
 * layer's hand-off, tp_app_handoff) through the real pipeline: frames
 * with 7-, 16- and 64-bit lengths, masked and not, control frames, the
 * same bytes whole, in odd segments and byte by byte; a frame longer
 * than the gathering cap shown as it comes; hostile lengths (2^63 and
 * more, bumped by one); every truncation of a frame dissected alone; an
 * Upgrade to h2c without an HTTP/2 dissector left a tunnel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/registry.h"

#define MTU 1400

/* One connection 10.0.0.1:40002 -> 10.0.0.2:80 fed segment by segment,
 * and what its packets' layers said. */
typedef struct wsconn {
	th_sess s;
	uint32_t seq[2];
	uint64_t num;
	uint8_t *frame;
	unsigned frames[16];   /* WebSocket frame heads by opcode */
	unsigned conts;	       /* a long frame's continuation PDUs */
	uint64_t data;	       /* data.len over all packets */
	uint64_t data_sum;     /* sum of the data bytes (unmasked) */
	char text[256];	       /* websocket.payload.text, '|' after each */
	unsigned http, events; /* HTTP layers; MALFORMED + NOTE events */
	unsigned methods;      /* http.request.method fields */
} wsconn;

static void look(wsconn *w, const tp_pkt *p)
{
	for (unsigned li = 0; li < p->nlayers; li++) {
		const tp_layer *l = &p->layers[li];
		const char *name = l->d->name;
		w->http += strcmp(name, "http") == 0;
		w->methods += tp_layer_find_abbrev(p, li, "http.request.method") != NULL;
		if (strcmp(name, "websocket") == 0) {
			uint64_t op;
			if (tp_layer_uint(p, li, "websocket.opcode", &op))
				w->frames[op & 15]++;
			else
				w->conts++;
			const tp_field *t =
				tp_layer_find_abbrev(p, li, "websocket.payload.text");
			if (t)
				snprintf(w->text + strlen(w->text),
					 sizeof w->text - strlen(w->text),
					 "%.*s|", (int)t->vlen, t->v.p);
		}
		if (strcmp(name, "data") == 0) {
			const tp_field *d = tp_layer_find_abbrev(p, li, "data.data");
			assert_non_null(d);
			w->data += d->vlen;
			for (uint32_t i = 0; i < d->vlen; i++)
				w->data_sum += d->v.p[i];
		}
	}
	for (unsigned i = 0; i < p->nevents; i++)
		w->events += p->events[i].def->kind == TP_EV_MALFORMED ||
			     p->events[i].def->kind == TP_EV_NOTE;
}

static void send_seg(wsconn *w, int dir, uint8_t flags, const uint8_t *b,
		     size_t n)
{
	size_t fl = th_tcp_frame(w->frame, dir, 40002, 80, w->seq[dir],
				 w->seq[!dir], flags, b, n);
	look(w, th_sess_feed(&w->s, ++w->num, w->frame, fl, fl));
	w->seq[dir] += (uint32_t)n + (flags & 0x02 ? 1 : 0);
}

static void send_bytes(wsconn *w, int dir, const uint8_t *b, size_t n,
		       size_t step)
{
	for (size_t i = 0; i < n; i += step)
		send_seg(w, dir, 0x18, b + i, n - i < step ? n - i : step);
}

static void send_str(wsconn *w, int dir, const char *s)
{
	send_bytes(w, dir, (const uint8_t *)s, strlen(s), MTU);
}

static const char head101[] = "HTTP/1.1 101 Switching Protocols\r\n"
			       "Upgrade: %s\r\nConnection: Upgrade\r\n\r\n";

/* Open, and the request asking for `upgrade`. */
static void tcp_open(wsconn *w, const char *upgrade)
{
	memset(w, 0, sizeof *w);
	w->frame = test_malloc(54 + MTU);
	th_sess_init(&w->s, false);
	w->seq[0] = 1000, w->seq[1] = 9000;
	send_seg(w, 0, 0x02, NULL, 0);
	send_seg(w, 1, 0x12, NULL, 0);
	send_seg(w, 0, 0x10, NULL, 0);
	char b[256];
	snprintf(b, sizeof b,
		 "GET /chat HTTP/1.1\r\nHost: t\r\nUpgrade: %s\r\n"
		 "Connection: Upgrade\r\n\r\n", upgrade);
	send_str(w, 0, b);
}

/* ... and the 101 with `upgrade`. */
static void ws_open(wsconn *w, const char *upgrade)
{
	tcp_open(w, upgrade);
	char b[256];
	snprintf(b, sizeof b, head101, upgrade);
	send_str(w, 1, b);
}

static void ws_close(wsconn *w)
{
	th_sess_free(&w->s);
	test_free(w->frame);
}

/* A frame into out: FIN and opcode in b0, `claim` as its length (7, 16
 * or 64 bits as it needs, or as `wide` forces: 16 or 64), masked with
 * key when not NULL, then n payload bytes of pl (fewer than claimed for
 * the hostile ones).  Returns its length. */
static size_t mkframe(uint8_t *out, uint8_t b0, const uint8_t *key,
		      uint64_t claim, int wide, const uint8_t *pl, size_t n)
{
	size_t k = 0;
	out[k++] = b0;
	uint8_t m = key ? 0x80 : 0;
	if (claim < 126 && !wide) {
		out[k++] = (uint8_t)(m | claim);
	} else if (claim < 65536 && wide != 64) {
		out[k++] = m | 126;
		out[k++] = (uint8_t)(claim >> 8);
		out[k++] = (uint8_t)claim;
	} else {
		out[k++] = m | 127;
		for (int s = 56; s >= 0; s -= 8)
			out[k++] = (uint8_t)(claim >> s);
	}
	if (key) {
		memcpy(out + k, key, 4);
		k += 4;
	}
	for (size_t i = 0; i < n; i++)
		out[k + i] = (uint8_t)(pl[i] ^ (key ? key[i & 3] : 0));
	return k + n;
}

static const uint8_t key1[4] = {0x37, 0xfa, 0x21, 0x3d};

/* The client's frames of pcaps/http-websocket.pcap's kind, and the
 * server's echo; big: a 70 000-byte binary frame (gathered whole). */
static uint8_t *conversation(size_t *cn, size_t *sn, uint8_t **srv,
			     uint64_t *sum)
{
	static uint8_t big[70000];
	*sum = 0;
	for (size_t i = 0; i < sizeof big; i++) {
		big[i] = (uint8_t)(i * 13 + (i >> 9));
		*sum += big[i];
	}
	uint8_t *c = test_malloc(2 * sizeof big + 1024);
	uint8_t *s = test_malloc(2 * sizeof big + 1024);
	size_t a = 0, b = 0;
	static const struct {
		uint8_t b0;
		const char *pl;
	} small[] = {{0x81, "Hello, tapir"}, {0x01, "frag "}, {0x80, "ment"},
		     {0x89, "ping!"}, {0x88, "\x03\xe8" "bye"}};
	for (size_t i = 0; i < TP_COUNT(small); i++) {
		const uint8_t *pl = (const uint8_t *)small[i].pl;
		size_t n = strlen(small[i].pl);
		uint8_t sb0 = small[i].b0 == 0x89 ? 0x8a : small[i].b0;
		a += mkframe(c + a, small[i].b0, key1, n, 0, pl, n);
		b += mkframe(s + b, sb0, NULL, n, 0, pl, n);
		if (i == 0) { /* the two long ones after the first */
			a += mkframe(c + a, 0x82, key1, 300, 0, big, 300);
			b += mkframe(s + b, 0x82, NULL, 300, 0, big, 300);
			a += mkframe(c + a, 0x82, key1, sizeof big, 64, big,
				     sizeof big);
			b += mkframe(s + b, 0x82, NULL, sizeof big, 64, big,
				     sizeof big);
		}
	}
	*cn = a;
	*sn = b;
	*srv = s;
	return c;
}

static void run_conversation(size_t step)
{
	size_t cn, sn;
	uint8_t *srv;
	uint64_t sum;
	uint8_t *cli = conversation(&cn, &sn, &srv, &sum);
	uint64_t sum300 = 0;
	for (size_t i = 0; i < 300; i++)
		sum300 += (uint8_t)(i * 13 + (i >> 9));
	wsconn w;
	ws_open(&w, "websocket");
	send_bytes(&w, 0, cli, cn, step);
	send_bytes(&w, 1, srv, sn, step);
	assert_int_equal(w.http, 2); /* the two heads, nothing after */
	assert_int_equal(w.frames[1], 4);  /* Hello and "frag " each way */
	assert_int_equal(w.frames[0], 2);
	assert_int_equal(w.frames[2], 4);
	assert_int_equal(w.frames[8], 2);
	assert_int_equal(w.frames[9], 1);
	assert_int_equal(w.frames[10], 1);
	assert_int_equal(w.conts, 0);
	assert_string_equal(w.text, "Hello, tapir|Hello, tapir|");
	/* binary payloads, unmasked, to the data layer; both directions */
	assert_int_equal(w.data, 2 * (300 + 70000));
	assert_int_equal(w.data_sum, 2 * (sum300 + sum));
	assert_int_equal(w.events, 0);
	ws_close(&w);
	test_free(cli);
	test_free(srv);
}

static void test_ws_whole(void **state)
{
	(void)state;
	run_conversation(MTU);
}

static void test_ws_odd_segments(void **state)
{
	(void)state;
	run_conversation(7);
	run_conversation(1000);
}

static void test_ws_bytewise(void **state)
{
	(void)state;
	run_conversation(1);
}

/* A frame of 3 MiB (past the 1 MiB gathering cap): its head shows the
 * header (a NOTE), its payload comes as continuation PDUs, unmasked at
 * the right key offset; the frame after it is found. */
static void test_ws_long_frame(void **state)
{
	(void)state;
	size_t n = 3u << 20;
	uint8_t *pl = test_malloc(n), *b = test_malloc(n + 64);
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += pl[i] = (uint8_t)(i * 7 + (i >> 11));
	size_t k = mkframe(b, 0x82, key1, n, 0, pl, n);
	k += mkframe(b + k, 0x81, key1, 5, 0, (const uint8_t *)"after", 5);
	wsconn w;
	ws_open(&w, "WebSocket"); /* the token has no case */
	send_bytes(&w, 0, b, k, MTU);
	assert_int_equal(w.frames[2], 1);
	assert_true(w.conts > n / MTU - 2);
	assert_int_equal(w.data, n);
	assert_int_equal(w.data_sum, sum);
	assert_string_equal(w.text, "after|");
	assert_int_equal(w.events, 1); /* websocket.frame.long */
	assert_true(w.s.s->mem.used < 4096);
	ws_close(&w);
	test_free(pl);
	test_free(b);
}

/* Hostile 64-bit lengths: 2^63 (MALFORMED), 2^64-1, and a frame whose
 * 64-bit length is bumped by one past its bytes: nothing buffered past
 * the cap, no crash; 100 000 tiny frames all counted. */
static void test_ws_hostile_lengths(void **state)
{
	(void)state;
	static const uint64_t claims[] = {1ull << 63, UINT64_MAX,
					  (1ull << 62) + 1};
	uint8_t b[MTU + 32], junk[MTU];
	memset(junk, 0x41, sizeof junk);
	for (size_t i = 0; i < TP_COUNT(claims); i++) {
		wsconn w;
		ws_open(&w, "websocket");
		size_t k = mkframe(b, 0x82, key1, claims[i], 64, junk, 100);
		send_bytes(&w, 0, b, k, MTU);
		for (int r = 0; r < 50; r++)
			send_bytes(&w, 0, junk, sizeof junk, MTU);
		assert_int_equal(w.frames[2], 1);
		assert_int_equal(w.data, 100 + 50 * sizeof junk);
		assert_int_equal(w.events, 1 + (claims[i] >> 63));
		assert_true(w.s.s->mem.used < 4096);
		ws_close(&w);
	}
	/* bumped: a 300-byte frame claiming 301 eats the next frame's
	 * first byte; framing goes on from there */
	wsconn w;
	ws_open(&w, "websocket");
	size_t k = mkframe(b, 0x82, NULL, 301, 64, junk, 300);
	k += mkframe(b + k, 0x81, NULL, 2, 0, (const uint8_t *)"hi", 2);
	send_bytes(&w, 1, b, k, MTU);
	assert_int_equal(w.frames[2], 1);
	assert_int_equal(w.data, 301);
	ws_close(&w);
	/* many tiny frames */
	ws_open(&w, "websocket");
	uint8_t tiny[MTU];
	size_t t = 0;
	while (t + 6 <= sizeof tiny)
		t += mkframe(tiny + t, 0x89, key1, 0, 0, NULL, 0);
	unsigned per = (unsigned)(t / 6), rounds = 100000 / per + 1;
	for (unsigned r = 0; r < rounds; r++)
		send_bytes(&w, 0, tiny, t, MTU);
	assert_int_equal(w.frames[9], per * rounds);
	ws_close(&w);
}

/* The 101 and two frames in one segment, then one more frame across
 * two: the hand-off happens inside the segment, the bytes after the
 * head are WebSocket's; HTTP's PDU is the head alone. */
static void test_ws_same_segment(void **state)
{
	(void)state;
	wsconn w;
	tcp_open(&w, "websocket");
	uint8_t b[512];
	int k = snprintf((char *)b, sizeof b, head101, "websocket");
	size_t n = (size_t)k;
	n += mkframe(b + n, 0x81, NULL, 3, 0, (const uint8_t *)"one", 3);
	n += mkframe(b + n, 0x81, NULL, 3, 0, (const uint8_t *)"two", 3);
	n += mkframe(b + n, 0x81, NULL, 5, 0, (const uint8_t *)"three", 5);
	send_seg(&w, 1, 0x18, b, n - 4);
	assert_int_equal(w.http, 2);
	assert_string_equal(w.text, "one|two|");
	send_seg(&w, 1, 0x18, b + n - 4, 4);
	assert_string_equal(w.text, "one|two|three|");
	assert_int_equal(w.http, 2);
	ws_close(&w);
}

/* Upgrade: h2c hands the flow to HTTP/2, another name to nobody (a
 * tunnel, passed over): no WebSocket frame either way, and HTTP sees no
 * message in the bytes after the 101. */
static void test_ws_no_handoff(void **state)
{
	(void)state;
	static const char *const up[] = {"h2c", "foo"};
	uint8_t b[64];
	size_t k = mkframe(b, 0x81, NULL, 5, 0, (const uint8_t *)"hello", 5);
	assert_non_null(tp_registry_by_name("http2"));
	for (size_t i = 0; i < TP_COUNT(up); i++) {
		wsconn w;
		ws_open(&w, up[i]);
		send_bytes(&w, 1, b, k, MTU);
		send_str(&w, 0, "GET /x HTTP/1.1\r\n\r\n");
		assert_int_equal(w.frames[1], 0);
		/* HTTP's tunnel: its bytes are no message (no GET /x) */
		assert_int_equal(w.methods, 1);
		ws_close(&w);
	}
}

/* One frame dissected alone (no state), cut at every length: never a
 * crash, TRUNCATED below its end, its fields whole at it. */
static void test_ws_truncations(void **state)
{
	(void)state;
	const tp_dissector *d = tp_registry_by_name("websocket");
	assert_non_null(d);
	uint8_t pl[300], b[400];
	for (size_t i = 0; i < sizeof pl; i++)
		pl[i] = (uint8_t)i;
	static const struct {
		uint8_t b0;
		bool masked;
		uint64_t n;
		int wide;
	} cases[] = {{0x81, true, 12, 0},   {0x82, false, 300, 0},
		     {0x88, true, 5, 0},    {0x89, false, 4, 64},
		     {0x82, true, 200, 64}, {0x8a, true, 0, 0}};
	for (size_t ci = 0; ci < TP_COUNT(cases); ci++) {
		size_t n = mkframe(b, cases[ci].b0,
				   cases[ci].masked ? key1 : NULL, cases[ci].n,
				   cases[ci].wide, pl, (size_t)cases[ci].n);
		for (size_t cut = 0; cut <= n; cut++) {
			tp_next nx;
			tp_status st;
			tp_pkt *p = th_dissect_quoted(d, b, cut, &nx, &st);
			if (cut < n) {
				assert_int_equal(st, TP_TRUNCATED);
				continue;
			}
			assert_int_equal(st, TP_OK);
			assert_int_equal(th_uint(p, "websocket.opcode"),
					 cases[ci].b0 & 15);
			assert_int_equal(th_count(p, "websocket.masking_key"),
					 cases[ci].masked);
			if (cases[ci].b0 == 0x88) {
				assert_int_equal(th_uint(p, "websocket.payload."
							    "close.status_code"),
						 0x0001);
			}
			if (cases[ci].wide == 64)
				assert_int_equal(
					th_uint(p, "websocket.payload_length_ext_64"),
					cases[ci].n);
		}
	}
	/* two frames in one buffer: the second is the next layer's */
	size_t k = mkframe(b, 0x81, key1, 2, 0, (const uint8_t *)"ab", 2);
	k += mkframe(b + k, 0x81, NULL, 2, 0, (const uint8_t *)"cd", 2);
	tp_next nx;
	tp_status st;
	tp_pkt *p = th_dissect_quoted(d, b, k, &nx, &st);
	assert_int_equal(st, TP_OK);
	assert_int_equal(nx.table, TP_TAB_NAME);
	assert_int_equal(nx.key, tp_registry_index(d));
	const tp_field *t = th_field(p, "websocket.payload.text");
	assert_non_null(t);
	assert_int_equal(t->vlen, 2);
	assert_memory_equal(t->v.p, "ab", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ws_whole),
		cmocka_unit_test(test_ws_odd_segments),
		cmocka_unit_test(test_ws_bytewise),
		cmocka_unit_test(test_ws_long_frame),
		cmocka_unit_test(test_ws_hostile_lengths),
		cmocka_unit_test(test_ws_same_segment),
		cmocka_unit_test(test_ws_no_handoff),
		cmocka_unit_test(test_ws_truncations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
