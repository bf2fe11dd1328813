/* test_http.c - HTTP/1.x through the real pipeline: message framing
 * (Content-Length, chunked with extensions and trailers, close-delimited,
 * HEAD/1xx/204/304 without body, 100 Continue, pipelining, keep-alive),
 * the same messages whole and byte by byte, pairing, tcpdump's text,
 * Info, and hostile inputs (an endless header block, 10 000 headers,
 * chunk sizes past 2^64, bogus and conflicting Content-Length). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"
#include "tapir/registry.h"
#include "tapir/stream.h"

#include "../../dissectors/http_body.h"
#include "../../dissectors/http_int.h"

#define BUF (54 + 70000)

/* A connection 10.0.0.1:40002 -> 10.0.0.2:port driven segment by
 * segment, with what its HTTP layers said. */
typedef struct conv {
	th_sess s;
	uint16_t port;
	uint32_t seq[2];
	uint64_t num;
	char log[16384];
	size_t loglen;
	uint64_t body[2]; /* file_data + chunk_data bytes per direction */
	unsigned malformed, paired;
	uint8_t *frame;
} conv;

static void logf_(conv *c, const char *a, const uint8_t *b, size_t n)
{
	int k = snprintf(c->log + c->loglen, sizeof c->log - c->loglen,
			 "%s%.*s|", a, (int)n, (const char *)b);
	if (k > 0 && (size_t)k < sizeof c->log - c->loglen)
		c->loglen += (size_t)k;
}

static void note(conv *c, const tp_pkt *p, int dir)
{
	for (unsigned li = 0; li < p->nlayers; li++) {
		const tp_layer *l = &p->layers[li];
		if (strcmp(l->d->name, "http") != 0)
			continue;
		for (unsigned i = 0; i < l->nfields; i++) {
			const tp_field *f = &p->fields[l->first_field + i];
			const char *a = f->def->abbrev;
			if (!strcmp(a, "http.request.method"))
				logf_(c, "Q:", f->v.p, f->vlen);
			else if (!strcmp(a, "http.request.uri"))
				logf_(c, "", f->v.p, f->vlen);
			else if (!strcmp(a, "http.response.phrase"))
				logf_(c, "R:", f->v.p, f->vlen);
			else if (!strcmp(a, "http.file_data") ||
				 !strcmp(a, "http.chunk_data"))
				c->body[dir] += f->vlen;
			else if (!strcmp(a, "http.request_in"))
				c->paired++;
		}
	}
	for (unsigned i = 0; i < p->nevents; i++)
		c->malformed += p->events[i].def->kind == TP_EV_MALFORMED;
}

static tp_pkt *seg(conv *c, int dir, uint8_t flags, const void *pl,
		   size_t n)
{
	size_t fl = th_tcp_frame(c->frame, dir, 40002, c->port, c->seq[dir],
				 c->seq[!dir], flags, pl, n);
	tp_pkt *p = th_sess_feed(&c->s, ++c->num, c->frame, fl, fl);
	c->seq[dir] += (uint32_t)n + (flags & 0x02 ? 1 : 0);
	note(c, p, dir);
	return p;
}

static void conv_open(conv *c, uint16_t port)
{
	memset(c, 0, sizeof *c);
	c->frame = test_malloc(BUF);
	c->port = port;
	th_sess_init(&c->s, false);
	c->seq[0] = 1000, c->seq[1] = 5000;
	seg(c, 0, 0x02, NULL, 0);
	seg(c, 1, 0x12, NULL, 0);
	seg(c, 0, 0x10, NULL, 0);
}

static void conv_close(conv *c)
{
	th_sess_free(&c->s);
	test_free(c->frame);
}

/* The bytes b[0..n) from dir in segments of `step`. */
static void stream(conv *c, int dir, const char *b, size_t n, size_t step)
{
	for (size_t i = 0; i < n; i += step)
		seg(c, dir, 0x18, b + i, n - i < step ? n - i : step);
}

/* Every framing case on one keep-alive connection, pipelined. */
static const char reqs[] =
	"GET /a HTTP/1.1\r\nHost: t\r\n\r\n"
	"HEAD /b HTTP/1.1\r\nHost: t\r\n\r\n"
	"GET /c HTTP/1.1\r\nHost: t\r\n\r\n"
	"GET /d HTTP/1.1\r\nHost: t\r\n\r\n"
	"GET /d2 HTTP/1.1\r\nHost: t\r\n\r\n"
	"POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
	"Expect: 100-continue\r\n\r\nabc"
	"GET /f HTTP/1.1\r\nHost: t\r\n\r\n"
	"POST /g HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
	"2\r\nxy\r\n0\r\n\r\n"
	"GET /h HTTP/1.1\r\nHost: t\r\n\r\n";
static const char resps[] =
	"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	"Content-Length: 5\r\n\r\nhello"
	"HTTP/1.1 200 HeadOK\r\nContent-Length: 1000\r\n\r\n"
	"HTTP/1.1 200 Chunked\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
	"4;ext=1;q=\"a\"\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n"
	"HTTP/1.1 304 Not Modified\r\nContent-Length: 77\r\n\r\n"
	"HTTP/1.1 204 No Content\r\n\r\n"
	"HTTP/1.1 100 Continue\r\n\r\n"
	"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
	"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"
	"HTTP/1.1 200 G\r\nContent-Length: 0\r\n\r\n"
	"HTTP/1.1 200 Close\r\n\r\nto the end";

static const char want_log[] =
	"Q:GET|/a|Q:HEAD|/b|Q:GET|/c|Q:GET|/d|Q:GET|/d2|Q:POST|/e|Q:GET|/f|"
	"Q:POST|/g|Q:GET|/h|"
	"R:OK|R:HeadOK|R:Chunked|R:Not Modified|R:No Content|R:Continue|"
	"R:Created|R:Not Found|R:G|R:Close|";

static void run_framing(size_t step)
{
	conv c;
	conv_open(&c, 80);
	stream(&c, 0, reqs, sizeof reqs - 1, step);
	stream(&c, 1, resps, sizeof resps - 1, step);
	assert_string_equal(c.log, want_log);
	assert_int_equal(c.body[0], 3 + 2);
	assert_int_equal(c.body[1], 5 + 4 + 5 + 2 + 9 + 10);
	assert_int_equal(c.malformed, 0);
	/* every response after its request (100 Continue too) but the
	 * last: its request was the 9th waiting, past HTTP_PIPE_MAX (8),
	 * said by http.pipeline_full */
	assert_int_equal(c.paired, 9);
	conv_close(&c);
}

static void test_http_framing_whole(void **state)
{
	(void)state;
	run_framing(100000);
}

static void test_http_framing_bytewise(void **state)
{
	(void)state;
	run_framing(1);
}

static void test_http_framing_odd(void **state)
{
	(void)state;
	for (size_t step = 2; step < 40; step += 7)
		run_framing(step);
}

/* tcpdump's text, tapir's note, Info, pairing fields. */
static void test_http_text_and_info(void **state)
{
	(void)state;
	conv c;
	conv_open(&c, 80);
	static const char rq[] =
		"GET /index.html HTTP/1.1\r\nHost: example.test\r\n"
		"User-Agent: curl/7.88.1\r\n\r\n";
	tp_pkt *p = seg(&c, 0, 0x18, rq, sizeof rq - 1);
	assert_string_equal(th_after_addrs(th_summary(p)),
			    "Flags [P.], seq 1001:1074, ack 5001, win 65535, "
			    "length 73: HTTP: GET /index.html HTTP/1.1");
	assert_string_equal(strstr(th_summary_v(p, 1), "HTTP, "),
			    "HTTP, length: 73\n\tGET /index.html HTTP/1.1"
			    "\n\tHost: example.test\n\tUser-Agent: curl/7.88.1"
			    "\n\t");
	assert_int_equal(th_uint(p, "http.request"), 1);
	const tp_field *h = th_field(p, "http.host");
	assert_non_null(h);
	assert_memory_equal(h->v.p, "example.test", 12);
	assert_int_equal(th_count(p, "http.request.line"), 2);
	const tp_field *fu = th_field(p, "http.request.full_uri");
	assert_non_null(fu);
	assert_int_equal(fu->vlen, 30);
	assert_memory_equal(fu->v.p, "http://example.test/index.html", 30);
	assert_int_equal(th_uint(p, "http.request_number"), 1);
	char info[256];
	tp_sbuf sb;
	tp_sb_init(&sb, info, sizeof info);
	unsigned li = th_layer(p, "http");
	p->layers[li].d->info(p, li, &sb);
	assert_string_equal(tp_sb_cstr(&sb), "GET /index.html HTTP/1.1 ");

	static const char rs[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
				 "charset=utf-8\r\nContent-Length: 10\r\n\r\n"
				 "<p>hi</p>\n";
	/* the head and the body's first 5 bytes: one PDU */
	p = seg(&c, 1, 0x18, rs, 84);
	assert_int_equal(th_uint(p, "http.request_in"), 4);
	assert_int_equal(th_uint(p, "http.content_length"), 10);
	assert_int_equal(th_field(p, "http.time")->v.i, 1000);
	assert_string_equal(strstr(th_summary(p), "length 84: "),
			    "length 84: HTTP: HTTP/1.1 200 OK | reply to #4 "
			    "in 0.001 ms");
	/* tshark names a text media type once body bytes are there */
	li = th_layer(p, "http");
	tp_sb_init(&sb, info, sizeof info);
	p->layers[li].d->info(p, li, &sb);
	assert_string_equal(tp_sb_cstr(&sb), "HTTP/1.1 200 OK  (text/html)");
	assert_int_equal(th_uint(p, "http.response.code"), 200);
	assert_int_equal(th_field(p, "http.file_data")->vlen, 5);
	/* the rest of the body, read in place */
	p = seg(&c, 1, 0x18, rs + 84, sizeof rs - 1 - 84);
	assert_int_equal(th_field(p, "http.file_data")->vlen, 5);
	assert_int_equal(th_field(p, "http.file_data")->src, 0);
	/* a second request: the previous one's frame */
	p = seg(&c, 0, 0x18, rq, sizeof rq - 1);
	assert_int_equal(th_uint(p, "http.prev_request_in"), 4);
	assert_int_equal(th_uint(p, "http.request_number"), 2);
	/* a continuation: tcpdump's "HTTP" alone, tshark's Continuation */
	static const char rs2[] = "HTTP/1.0 200 OK\r\n\r\n";
	seg(&c, 1, 0x18, rs2, sizeof rs2 - 1);
	p = seg(&c, 1, 0x18, "abc\x01", 4);
	assert_string_equal(strstr(th_summary(p), "length 4"),
			    "length 4: HTTP");
	li = th_layer(p, "http");
	tp_sb_init(&sb, info, sizeof info);
	p->layers[li].d->info(p, li, &sb);
	assert_string_equal(tp_sb_cstr(&sb), "Continuation");
	conv_close(&c);

	/* a whole body in the head's PDU: the media type in Info */
	conv_open(&c, 80);
	seg(&c, 0, 0x18, rq, sizeof rq - 1);
	static const char rs3[] = "HTTP/1.1 404 Not Found\r\nContent-Type: "
				  "text/html\r\nContent-Length: 2\r\n\r\nno";
	p = seg(&c, 1, 0x18, rs3, sizeof rs3 - 1);
	li = th_layer(p, "http");
	tp_sb_init(&sb, info, sizeof info);
	p->layers[li].d->info(p, li, &sb);
	assert_string_equal(tp_sb_cstr(&sb),
			    "HTTP/1.1 404 Not Found  (text/html)");
	/* a head, then bytes of no message: the packet's Info is the head's */
	seg(&c, 0, 0x18, rq, sizeof rq - 1);
	p = seg(&c, 1, 0x18, "HTTP/1.1 204 Gone\r\n\r\njunk", 25);
	assert_int_equal(th_count(p, "http.response.code"), 1);
	li = p->nlayers - 1;
	assert_string_equal(p->layers[li].d->name, "http");
	assert_int_not_equal(li, th_layer(p, "http")); /* two layers */
	tp_sb_init(&sb, info, sizeof info);
	p->layers[li].d->info(p, li, &sb);
	assert_string_equal(tp_sb_cstr(&sb), "HTTP/1.1 204 Gone ");
	conv_close(&c);

	/* port 8000: reassembled, but tcpdump prints nothing there */
	conv_open(&c, 8000);
	p = seg(&c, 0, 0x18, rq, sizeof rq - 1);
	assert_true(th_has_layer(p, "http"));
	assert_string_equal(strstr(th_summary(p), "length 73"), "length 73");
	conv_close(&c);
}

/* tcpdump's method list, shortest first: is_reqresp (http_print.c) stops
 * at the first longer than the token. */
static void test_http_method_order(void **state)
{
	(void)state;
	for (size_t m = 1; m < http_nmethods_tcpdump; m++)
		assert_true(http_methods[m - 1].n <= http_methods[m].n);
	assert_int_equal(http_nmethods_tcpdump, 38);
	assert_string_equal(http_methods[http_nmethods_tcpdump].s, "PATCH");
}

/* One conversation's lines, lean (the one-line run: no layer for a
 * body part, no replayed framing) or not: the same text. */
static void lean_run(bool lean, char lines[][512], size_t *n)
{
	static const char rq[] = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
	static const char rs[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"
				 "\r\n<p>hi</p>\n";
	static const char bad[] = "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n"
				  "\r\nabc";
	conv c;
	conv_open(&c, 80);
	c.s.p->lean = lean;
	struct {
		int dir;
		const char *b;
		size_t n;
		bool layer; /* an HTTP layer when lean */
	} steps[] = {
		{0, rq, 28, false},	  /* a head cut: no message part */
		{0, rq + 28, sizeof rq - 1 - 28, true}, /* completes it */
		{1, rs, sizeof rs - 1 - 8, true},	  /* head + 2 body bytes */
		{1, rs + sizeof rs - 1 - 8, 8, false},	  /* the body's rest */
		{0, rq, sizeof rq - 1, true},
		{1, bad, sizeof bad - 1, true}, /* malformed: shown */
		{1, "de", 2, false},		/* to the end: a body part */
	};
	*n = 0;
	for (size_t i = 0; i < TP_COUNT(steps); i++) {
		tp_pkt *p = seg(&c, steps[i].dir, 0x18, steps[i].b, steps[i].n);
		if (lean)
			assert_int_equal(th_has_layer(p, "http"),
					 steps[i].layer);
		snprintf(lines[(*n)++], 512, "%s", th_summary(p));
		snprintf(lines[(*n)++], 512, "%s", th_summary_v(p, 1));
	}
	conv_close(&c);
}

static void test_http_lean(void **state)
{
	(void)state;
	char a[14][512], b[14][512];
	size_t na = 0, nb = 0;
	lean_run(false, a, &na);
	lean_run(true, b, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
	/* tcpdump reads the segment: a head cut short prints its line */
	assert_non_null(strstr(b[0], "length 28: HTTP: GET /index.html "
				     "HTTP/1.1"));
	assert_true(strstr(b[2], "length 9: HTTP") != NULL &&
		    strstr(b[2], "length 9: HTTP:") == NULL);
	assert_non_null(strstr(b[4], ": HTTP: HTTP/1.1 200 OK | reply to #5 "
				     "in 0.001 ms"));
	assert_true(strstr(b[6], "length 8: HTTP") != NULL &&
		    strstr(b[6], "reply") == NULL);
	assert_non_null(strstr(b[10], "[malformed http: Bad or conflicting "
				      "Content-Length"));
}

/* A capture that starts inside a body, on a port not HTTP's: the probe
 * waits for a message start; bytes before one are passed over. */
static void test_http_probe_and_resync(void **state)
{
	(void)state;
	conv c;
	conv_open(&c, 9999);
	tp_pkt *p = seg(&c, 0, 0x18, "HELLO / HTTP/1.1\r\n\r\n", 20);
	assert_false(th_has_layer(p, "http")); /* not a method */
	conv_close(&c);
	/* too short to tell: a method's beginning waits, else no */
	assert_int_equal(http_looks_start((const uint8_t *)"OPTI", 4),
			 TP_PROBE_MORE);
	assert_int_equal(http_looks_start((const uint8_t *)"HTT", 3),
			 TP_PROBE_MORE);
	assert_int_equal(http_looks_start((const uint8_t *)"ABCD", 4),
			 TP_PROBE_NO);
	assert_int_equal(http_looks_start((const uint8_t *)"GET\t/", 5),
			 TP_PROBE_NO);
	conv_open(&c, 9999);
	p = seg(&c, 0, 0x18, "OPTIONS * HTTP/1.1\r\n\r\n", 22);
	assert_true(th_has_layer(p, "http"));
	assert_string_equal(c.log, "Q:OPTIONS|*|");
	conv_close(&c);

	conv_open(&c, 80);
	stream(&c, 1, "ody bytes\r\nmore\r\nHTTP/1.1 404 X\r\n\r\n", 35, 35);
	assert_string_equal(c.log, "R:X|");
	conv_close(&c);
}

static char *repeat(const char *head, const char *unit, unsigned k,
		    const char *tail, size_t *n)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *b = test_malloc(hl + ul * k + tl + 1);
	memcpy(b, head, hl);
	for (unsigned i = 0; i < k; i++)
		memcpy(b + hl + ul * i, unit, ul);
	memcpy(b + hl + ul * k, tail, tl + 1);
	*n = hl + ul * k + tl;
	return b;
}

/* A segment lost inside a body: the framing holds, the next message
 * is found where it starts; lost across a head: resynchronised. */
static void test_http_gap(void **state)
{
	(void)state;
	conv c;
	conv_open(&c, 80);
	static const char rq[] = "GET / HTTP/1.1\r\n\r\n";
	static const char hd[] = "HTTP/1.1 200 A\r\nContent-Length: 30\r\n\r\n";
	seg(&c, 0, 0x18, rq, sizeof rq - 1);
	seg(&c, 1, 0x18, hd, sizeof hd - 1);
	seg(&c, 1, 0x18, "0123456789", 10);
	c.seq[1] += 10; /* 10 body bytes never captured */
	/* the body's last 10 bytes, then the next response in one segment */
	seg(&c, 1, 0x18, "abcdefghijHTTP/1.1 200 B\r\n\r\n", 29);
	assert_null(strstr(c.log, "R:B|")); /* held behind the hole */
	for (int i = 0; i < 3; i++) /* the client has it all: a gap */
		seg(&c, 0, 0x10, NULL, 0);
	assert_non_null(strstr(c.log, "R:A|"));
	assert_non_null(strstr(c.log, "R:B|"));
	assert_int_equal(c.malformed, 0);
	conv_close(&c);
}

/* After 101 or a 2xx to CONNECT both directions are a tunnel: what
 * follows is not parsed; a CONNECT refused is no tunnel. */
static void test_http_tunnel(void **state)
{
	(void)state;
	static const char *const up[][2] = {
		{"GET /chat HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
		 "HTTP/1.1 101 Switching Protocols\r\n\r\n"},
		{"CONNECT h:443 HTTP/1.1\r\n\r\n",
		 "HTTP/1.1 200 Connection established\r\n\r\n"},
		{"CONNECT h:443 HTTP/1.1\r\n\r\n",
		 "HTTP/1.1 407 Auth\r\nContent-Length: 0\r\n\r\n"},
	};
	static const char more[] = "GET /in HTTP/1.1\r\n\r\n";
	for (size_t i = 0; i < TP_COUNT(up); i++) {
		conv c;
		conv_open(&c, 80);
		seg(&c, 0, 0x18, up[i][0], strlen(up[i][0]));
		seg(&c, 1, 0x18, up[i][1], strlen(up[i][1]));
		seg(&c, 1, 0x18, "HTTP/1.1 200 In\r\n\r\n", 19);
		seg(&c, 0, 0x18, more, sizeof more - 1);
		bool parsed = strstr(c.log, "/in|") != NULL;
		assert_int_equal(parsed, i == 2);
		assert_int_equal(strstr(c.log, "R:In|") != NULL, i == 2);
		assert_int_equal(c.malformed, 0);
		conv_close(&c);
	}
}

/* The client sends `unit` k times between head and tail in 1400-byte
 * segments: what its layers said, and how many MALFORMED. */
static void client_blob(const char *head, const char *unit, unsigned k,
			const char *tail, char *log, size_t cap, unsigned *mal)
{
	conv c;
	conv_open(&c, 80);
	size_t n;
	char *b = repeat(head, unit, k, tail, &n);
	stream(&c, 0, b, n, 1400);
	size_t ln = c.loglen < cap - 1 ? c.loglen : cap - 1;
	memcpy(log, c.log, ln);
	log[ln] = 0;
	*mal = c.malformed;
	test_free(b);
	conv_close(&c);
}

/* A header block that never ends: MALFORMED at the cap, then the next
 * message is found. */
static void test_http_header_cap(void **state)
{
	(void)state;
	char log[256];
	unsigned mal;
	client_blob("GET / HTTP/1.1\r\n", "X-Long: aaaaaaaaaaaaaa\r\n", 3000,
		    "\r\nGET /after HTTP/1.1\r\n\r\n", log, sizeof log, &mal);
	assert_true(mal >= 1);
	assert_string_equal(log, "Q:GET|/|Q:GET|/after|");
}

/* 10 000 headers in a block under the cap: parsed, bounded by the
 * record. */
static void test_http_many_headers(void **state)
{
	(void)state;
	char log[256];
	unsigned mal;
	client_blob("GET /many HTTP/1.1\r\n", "A: b\r\n", 10000,
		    "\r\nGET /next HTTP/1.1\r\n\r\n", log, sizeof log, &mal);
	assert_string_equal(log, "Q:GET|/many|Q:GET|/next|");
	assert_int_equal(mal, 0);
}

/* Chunk sizes: 2^64 and more are MALFORMED (the body then runs to the
 * end), 2^64-1 is a chunk as any other; an endless size line too. */
static void test_http_chunk_hostile(void **state)
{
	(void)state;
	static const char *const bad[] = {"10000000000000000\r\n",
					  "FFFFFFFFFFFFFFFFF\r\n", "zz\r\n",
					  "\r\n"};
	static const char hd[] = "GET / HTTP/1.1\r\n\r\n";
	static const char rh[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				 "chunked\r\n\r\n";
	for (size_t i = 0; i < TP_COUNT(bad); i++) {
		conv c;
		conv_open(&c, 80);
		seg(&c, 0, 0x18, hd, sizeof hd - 1);
		seg(&c, 1, 0x18, rh, sizeof rh - 1);
		seg(&c, 1, 0x18, bad[i], strlen(bad[i]));
		assert_int_equal(c.malformed, 1);
		seg(&c, 1, 0x18, "HTTP/1.1 200 OK\r\n\r\n", 19);
		assert_string_equal(c.log, "Q:GET|/|R:OK|"); /* body now */
		conv_close(&c);
	}
	conv c;
	conv_open(&c, 80);
	seg(&c, 0, 0x18, hd, sizeof hd - 1);
	seg(&c, 1, 0x18, rh, sizeof rh - 1);
	seg(&c, 1, 0x18, "FFFFFFFFFFFFFFFF;x\r\nabc", 23);
	assert_int_equal(c.malformed, 0);
	assert_int_equal(c.body[1], 3);
	size_t n;
	char *b = repeat("", "0", 5000, "\r\n", &n);
	conv_close(&c);
	conv_open(&c, 80);
	seg(&c, 0, 0x18, hd, sizeof hd - 1);
	seg(&c, 1, 0x18, rh, sizeof rh - 1);
	stream(&c, 1, b, n, 1000);
	assert_int_equal(c.malformed, 1);
	test_free(b);
	conv_close(&c);
}

/* Content-Length: equal repeats are one length; anything else is
 * MALFORMED and the body runs to the end of the direction. */
static void test_http_content_length(void **state)
{
	(void)state;
	static const struct {
		const char *hdr;
		unsigned mal;
		uint64_t body;
	} cases[] = {
		{"Content-Length: 5\r\nContent-Length: 5\r\n", 0, 5},
		{"Content-Length: 5, 5\r\n", 0, 5},
		{"Content-Length: 5\r\nContent-Length: 6\r\n", 1, 23},
		{"Content-Length: 5, 6\r\n", 1, 23},
		{"Content-Length: abc\r\n", 1, 23},
		{"Content-Length: -1\r\n", 1, 23},
		{"Content-Length: 99999999999999999999999\r\n", 1, 23},
		{"Content-Length: \r\n", 1, 23},
	};
	for (size_t i = 0; i < TP_COUNT(cases); i++) {
		conv c;
		conv_open(&c, 80);
		char m[256];
		int k = snprintf(m, sizeof m, "HTTP/1.1 200 OK\r\n%s\r\n%s",
				 cases[i].hdr, "helloHTTP/1.1 204 X\r\n\r\n");
		seg(&c, 1, 0x18, m, (size_t)k);
		assert_int_equal(c.malformed, cases[i].mal);
		assert_int_equal(c.body[1], cases[i].body);
		conv_close(&c);
	}
}

/* The dissector alone (the fuzz harness's way): any bytes, every cut. */
static void test_http_stateless_cuts(void **state)
{
	(void)state;
	static const char m[] =
		"POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		"3;e\r\nabc\r\n0\r\nT: 1\r\n\r\nHTTP/1.1 200 OK\r\n\r\nrest";
	const tp_dissector *d = tp_registry_by_name("http");
	assert_non_null(d);
	for (size_t n = 0; n <= sizeof m - 1; n++) {
		tp_next nx;
		tp_status st;
		tp_pkt *p = th_dissect_quoted(d, (const uint8_t *)m, n, &nx,
					      &st);
		if (n == sizeof m - 1) {
			assert_int_equal(th_count(p, "http.request.method"), 1);
			assert_int_equal(th_count(p, "http.response.code"), 2);
			assert_int_equal(th_count(p, "http.chunk_size"), 2);
			assert_int_equal(th_count(p, "http.chunked_trailer_part"),
					 1);
			assert_false(th_has_kind(p, TP_EV_MALFORMED));
		}
	}
}

/* --stats http's report of the run so far (NULL: no session made). */
static char *stats_of(conv *c)
{
	void *st = tp_app_session_find(c->s.s, &tp_diss_http);
	if (!st)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	http_stats_print(st, fp);
	fclose(fp);
	return buf;
}

/* The line that starts with `name` (after its indent) says `count`
 * (and `bytes`, when not NULL). */
static void assert_row(const char *txt, const char *name, const char *count,
		       const char *bytes)
{
	char want[160];
	snprintf(want, sizeof want, "\n  %-38s %12s%s%s\n", name, count,
		 bytes ? " " : "", bytes ? bytes : "");
	if (!strstr(txt, want))
		fail_msg("no row '%s' in:\n%s", want, txt);
}

/* The framing case's counts: methods, hosts, codes, times, bytes per
 * type; a lean run (the one-line text) makes no session. */
static void test_http_stats(void **state)
{
	(void)state;
	conv c;
	conv_open(&c, 80);
	stream(&c, 0, reqs, sizeof reqs - 1, 7);
	stream(&c, 1, resps, sizeof resps - 1, 7);
	char *t = stats_of(&c);
	assert_non_null(t);
	assert_non_null(strstr(t, "Requests: 9   Responses: 10\n"));
	assert_row(t, "GET", "6", NULL);
	assert_row(t, "POST", "2", NULL);
	assert_row(t, "HEAD", "1", NULL);
	assert_row(t, "t", "8", NULL);
	assert_row(t, "2xx: Success", "7", NULL);
	assert_non_null(strstr(t, "\n   200 OK    "));
	assert_non_null(strstr(t, "\n   100 Continue    "));
	assert_row(t, "1xx: Informational", "1", NULL);
	assert_row(t, "3xx: Redirection", "1", NULL);
	assert_row(t, "4xx: Client Error", "1", NULL);
	assert_non_null(strstr(t, "(http.time of 9 paired responses)"));
	assert_row(t, "text/plain", "1", "           5");
	assert_row(t, "(no Content-Type)", "9", "          30");
	free(t);
	conv_close(&c);

	conv_open(&c, 80);
	c.s.p->lean = true;
	stream(&c, 0, reqs, sizeof reqs - 1, 100000);
	stream(&c, 1, resps, sizeof resps - 1, 100000);
	assert_null(stats_of(&c));
	conv_close(&c);
}

/* 1101 hosts: 1024 rows, the 77 after them counted as other (a
 * 300-byte one too); a status code of letters is "broken". */
static void test_http_stats_caps(void **state)
{
	(void)state;
	conv c;
	conv_open(&c, 80);
	char *b = test_malloc(1100 * 40 + 400);
	size_t n = 0;
	for (unsigned i = 0; i < 1100; i++)
		n += (size_t)sprintf(b + n,
				     "GET / HTTP/1.1\r\nHost: h%u\r\n\r\n", i);
	n += (size_t)sprintf(b + n, "GET / HTTP/1.1\r\nHost: ");
	memset(b + n, 'x', 300);
	n += 300;
	n += (size_t)sprintf(b + n, "\r\n\r\n");
	stream(&c, 0, b, n, 1400);
	seg(&c, 1, 0x18, "HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n", 40);
	seg(&c, 1, 0x18, "HTTP/1.1 2x0 Bad\r\nContent-Length: 0\r\n\r\n", 40);
	char *t = stats_of(&c);
	assert_non_null(t);
	assert_non_null(strstr(t, "Requests: 1101   Responses: 2\n"));
	assert_row(t, "h0", "1", NULL);
	assert_row(t, "h1023", "1", NULL);
	assert_null(strstr(t, "  h1024 "));
	assert_row(t, "other", "77", NULL); /* 76 + the long one */
	assert_row(t, "???: broken", "1", NULL);
	assert_non_null(strstr(t, "\n   999 "));
	free(t);
	test_free(b);
	conv_close(&c);
}

/* HTTP2-Settings (RFC 9113 3.2.1): base64url without padding, decoded
 * to a SETTINGS payload; not base64url, or longer than the room: 0. */
static void test_http2_settings_decode(void **state)
{
	(void)state;
	static const uint8_t want[] = {0, 3, 0, 0, 0, 100, 0, 4, 0, 0, 0xff, 0xff};
	uint8_t out[96];
	const char *v = "AAMAAABkAAQAAP__";
	size_t k = http2_settings_decode((const uint8_t *)v, strlen(v), out,
					 sizeof out);
	assert_int_equal(k, sizeof want);
	assert_memory_equal(out, want, sizeof want);
	/* the standard alphabet and padding are taken too */
	v = "AAMAAABkAAQAAP//";
	assert_int_equal(http2_settings_decode((const uint8_t *)v, strlen(v),
					       out, sizeof out), 12);
	assert_int_equal(out[11], 0xff);
	v = "AAMA AABk";
	assert_int_equal(http2_settings_decode((const uint8_t *)v, strlen(v),
					       out, sizeof out), 0);
	assert_int_equal(http2_settings_decode((const uint8_t *)"AAMAAABk", 8,
					       out, 5), 0);
	assert_int_equal(http2_settings_decode((const uint8_t *)"", 0, out,
					       sizeof out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_framing_whole),
		cmocka_unit_test(test_http_framing_bytewise),
		cmocka_unit_test(test_http_framing_odd),
		cmocka_unit_test(test_http_text_and_info),
		cmocka_unit_test(test_http_probe_and_resync),
		cmocka_unit_test(test_http_gap),
		cmocka_unit_test(test_http_tunnel),
		cmocka_unit_test(test_http_header_cap),
		cmocka_unit_test(test_http_many_headers),
		cmocka_unit_test(test_http_chunk_hostile),
		cmocka_unit_test(test_http_content_length),
		cmocka_unit_test(test_http_stateless_cuts),
		cmocka_unit_test(test_http_method_order),
		cmocka_unit_test(test_http_lean),
		cmocka_unit_test(test_http_stats),
		cmocka_unit_test(test_http_stats_caps),
		cmocka_unit_test(test_http2_settings_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
