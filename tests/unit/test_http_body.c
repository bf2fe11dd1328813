/* test_http_body.c - HTTP bodies decoded (dissectors/http_body.c) and
 * gathered through the real pipeline: gzip, deflate with and without its
 * zlib wrapper, zstd, brotli, fed byte by byte and all at once; a gzip bomb (1 GiB
 * of zeros) capped with its memory bounded; corrupt and truncated gzip at
 * every length; chunked + gzip over TCP into a decoded data source and
 * an exported object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/follow.h"

#include "../../dissectors/http_body.h"

static uint8_t *text(size_t n)
{
	uint8_t *t = test_malloc(n);
	for (size_t i = 0; i < n; i++)
		t[i] = (uint8_t)("the quick brown fox "[i % 20] + (i / 997) % 3);
	return t;
}

/* zlib's deflate of b[0..n): windowBits 31 gzip, 15 zlib, -15 raw. */
static uint8_t *pack(const uint8_t *b, size_t n, int bits, size_t *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, bits, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	size_t cap = deflateBound(&z, n) + 64;
	uint8_t *o = test_malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)b;
	z.avail_in = (uInt)n;
	z.next_out = o;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out = cap - z.avail_out;
	deflateEnd(&z);
	return o;
}

/* Brotli without its encoder (not in Debian's -dev package for the
 * decoder): one uncompressed meta-block (RFC 7932 9.2: WBITS 0 for a
 * 64 KiB window, ISLAST 0, MNIBBLES 4, MLEN-1, ISUNCOMPRESSED 1, padding
 * to the byte, the bytes), then an empty last one (ISLAST, ISLASTEMPTY). */
static uint8_t *br_pack(const uint8_t *b, size_t n, size_t *out)
{
	assert_true(n >= 1 && n <= 65536);
	uint8_t *o = test_malloc(n + 4);
	uint32_t h = (uint32_t)(n - 1) << 4 | 1u << 20;
	o[0] = (uint8_t)h;
	o[1] = (uint8_t)(h >> 8);
	o[2] = (uint8_t)(h >> 16);
	memcpy(o + 3, b, n);
	o[n + 3] = 0x03;
	*out = n + 4;
	return o;
}

/* Decode c[0..cn) as `enc` in pieces of `step`; the body is left in h. */
static void decode(hbody *h, tp_reasm_mem *m, hb_enc enc, const uint8_t *c,
		   size_t cn, size_t step)
{
	hb_init(h, enc, HB_MAX, HB_RATIO, m);
	for (size_t i = 0; i < cn; i += step)
		hb_feed(h, c + i, cn - i < step ? cn - i : step);
	hb_finish(h);
}

static void check_round(hb_enc enc, int bits)
{
	size_t n = 50000, cn = 0;
	uint8_t *t = text(n);
	uint8_t *c;
	if (enc == HB_BR) {
		c = br_pack(t, n, &cn);
	} else if (enc == HB_ZSTD) {
		size_t cap = ZSTD_compressBound(n);
		c = test_malloc(cap);
		cn = ZSTD_compress(c, cap, t, n, 3);
		assert_false(ZSTD_isError(cn));
	} else {
		c = pack(t, n, bits, &cn);
	}
	static const size_t steps[] = {1, 7, 1460, 1u << 30};
	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
		tp_reasm_mem m = {0, 0, 0};
		hbody h;
		decode(&h, &m, enc, c, cn, steps[s]);
		assert_int_equal(h.status, HB_OK);
		assert_true(h.ended);
		assert_int_equal(h.n, n);
		assert_memory_equal(h.b, t, n);
		assert_int_equal(m.used, h.cap);
		hb_free(&h);
		assert_int_equal(m.used, 0);
	}
	test_free(c);
	test_free(t);
}

static void test_gzip(void **st)
{
	(void)st;
	check_round(HB_GZIP, 31);
}

static void test_deflate_zlib(void **st)
{
	(void)st;
	check_round(HB_DEFLATE, 15);
}

static void test_deflate_raw(void **st)
{
	(void)st;
	check_round(HB_DEFLATE, -15);
}

static void test_zstd(void **st)
{
	(void)st;
	check_round(HB_ZSTD, 0);
}

static void test_brotli(void **st)
{
	(void)st;
	check_round(HB_BR, 0);
}

static void test_encoding_names(void **st)
{
	(void)st;
	static const struct {
		const char *v;
		hb_enc e;
	} t[] = {{"gzip", HB_GZIP},	 {" X-Gzip ", HB_GZIP},
		 {"deflate", HB_DEFLATE}, {"br", HB_BR},
		 {"zstd", HB_ZSTD},	 {"identity", HB_IDENTITY},
		 {"", HB_IDENTITY},	 {"gzip, br", HB_OTHER},
		 {"compress", HB_OTHER}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(hb_encoding((const uint8_t *)t[i].v,
					     strlen(t[i].v)),
				 t[i].e);
}

/* 1 GiB of zeros gzip'd (~1 MB): cut at a cap, memory bounded. */
static void test_gzip_bomb(void **st)
{
	(void)st;
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	size_t zn = 1u << 20, cap = 4u << 20, cn = 0;
	uint8_t *zeros = test_calloc(1, zn), *c = test_malloc(cap);
	for (unsigned i = 0; i < 1024; i++) {
		z.next_in = zeros;
		z.avail_in = (uInt)zn;
		do {
			z.next_out = c + cn;
			z.avail_out = (uInt)(cap - cn);
			assert_int_not_equal(
				deflate(&z, i == 1023 ? Z_FINISH : Z_NO_FLUSH),
				Z_STREAM_ERROR);
			cn = cap - z.avail_out;
		} while (z.avail_in);
	}
	deflateEnd(&z);
	test_free(zeros);
	assert_true(cn < cap && cn > 100000);
	for (int capmem = 0; capmem < 2; capmem++) {
		/* the reassembly memory cap below the body's: that cap */
		tp_reasm_mem m = {0, capmem ? 1u << 20 : 0, 0};
		hbody h;
		decode(&h, &m, HB_GZIP, c, cn, 1460);
		assert_true(h.status == (capmem ? HB_CAP_MEM : HB_CAP_RATIO));
		assert_true(h.n <= HB_MAX && h.cap <= HB_MAX);
		assert_true(m.peak <= (capmem ? 1u << 20 : 2u * HB_RATIO_FLOOR));
		for (size_t i = 0; i < h.n; i++)
			assert_int_equal(h.b[i], 0);
		hb_free(&h);
		assert_int_equal(m.used, 0);
	}
	/* no ratio cap: the size cap */
	tp_reasm_mem m = {0, 0, 0};
	hbody h;
	hb_init(&h, HB_GZIP, HB_MAX, 1u << 30, &m);
	hb_feed(&h, c, cn);
	assert_int_equal(h.status, HB_CAP_SIZE);
	assert_int_equal(h.n, HB_MAX);
	assert_true(m.peak <= HB_MAX);
	hb_free(&h);
	test_free(c);
}

/* Every truncation of a small gzip, brotli and raw deflate body: cut
 * short, a prefix of it; a corrupt trailer: corrupt. */
static void test_gzip_truncated(void **st)
{
	(void)st;
	size_t n = 3000, cn;
	uint8_t *t = text(n);
	uint8_t *c = pack(t, n, 31, &cn);
	size_t bn, dn;
	uint8_t *br = br_pack(t, n, &bn), *raw = pack(t, n, -15, &dn);
	const struct {
		hb_enc e;
		const uint8_t *b;
		size_t n;
	} cut[] = {{HB_GZIP, c, cn}, {HB_BR, br, bn}, {HB_DEFLATE, raw, dn}};
	for (size_t e = 0; e < sizeof cut / sizeof cut[0]; e++)
		for (size_t k = 0; k < cut[e].n; k++) {
			tp_reasm_mem m = {0, 0, 0};
			hbody h;
			decode(&h, &m, cut[e].e, cut[e].b, k, k % 2 ? 1 : 4096);
			assert_int_equal(h.status, HB_SHORT);
			assert_true(h.n <= n);
			if (h.n)
				assert_memory_equal(h.b, t, h.n);
			hb_free(&h);
		}
	test_free(br);
	test_free(raw);
	c[cn - 5] ^= 0x55; /* the CRC */
	/* that, then text that is no gzip, brotli or zstd at all */
	const struct {
		hb_enc e;
		const uint8_t *b;
		size_t n;
	} bad[] = {{HB_GZIP, c, cn}, {HB_GZIP, t, n}, {HB_BR, t, n},
		   {HB_ZSTD, t, n}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tp_reasm_mem m = {0, 0, 0};
		hbody h;
		decode(&h, &m, bad[i].e, bad[i].b, bad[i].n, 100);
		assert_int_equal(h.status, HB_BAD);
		hb_free(&h);
		assert_int_equal(m.used, 0);
	}
	test_free(c);
	test_free(t);
}

/* An identity body with a gap: zeros there; a coded one: cut. */
static void test_gap(void **st)
{
	(void)st;
	tp_reasm_mem m = {0, 0, 0};
	hbody h;
	hb_init(&h, HB_IDENTITY, HB_MAX, HB_RATIO, &m);
	hb_feed(&h, (const uint8_t *)"ab", 2);
	hb_gap(&h, 3);
	hb_feed(&h, (const uint8_t *)"c", 1);
	assert_int_equal(h.n, 6);
	assert_memory_equal(h.b, "ab\0\0\0c", 6);
	assert_int_equal(h.missing, 3);
	assert_int_equal(h.status, HB_OK);
	hb_free(&h);
	hb_init(&h, HB_GZIP, HB_MAX, HB_RATIO, &m);
	hb_gap(&h, 3);
	assert_int_equal(h.status, HB_GAP);
	hb_free(&h);
}

/* ---- through the pipeline: chunked + gzip over TCP ---- */

typedef struct objs {
	unsigned n;
	size_t size[8];
	uint8_t *b[8];
	char uri[8][32];
	const char *status[8];
	uint64_t missing[8];
	bool zero_filled[8];
} objs;

static void on_object(void *ctx, tp_object *o)
{
	objs *x = ctx;
	if (x->n >= 8)
		return;
	x->size[x->n] = o->n;
	x->b[x->n] = test_malloc(o->n + 1);
	memcpy(x->b[x->n], o->b, o->n);
	snprintf(x->uri[x->n], sizeof x->uri[0], "%s", o->uri);
	x->status[x->n] = o->status;
	x->missing[x->n] = o->missing;
	x->zero_filled[x->n] = o->zero_filled;
	x->n++;
}

/* A session that gathers bodies, its objects into `got`. */
typedef struct bsess {
	th_sess d;
	objs got;
	tp_object_tap tap;
} bsess;

static void bsess_open(bsess *b)
{
	memset(b, 0, sizeof *b);
	th_sess_init(&b->d, false);
	b->tap = (tp_object_tap){on_object, &b->got};
	b->d.s->cfg.bodies = true;
	b->d.s->objtap = &b->tap;
}

static void run_chunked_gzip(size_t step)
{
	size_t n = 20000, cn;
	uint8_t *t = text(n);
	uint8_t *c = pack(t, n, 31, &cn);
	/* the response: head, the gzip data in two chunks, trailer */
	size_t cap = cn + 512, rn = 0;
	uint8_t *r = test_malloc(cap);
	rn += (size_t)snprintf((char *)r, cap,
			       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			       "Content-Encoding: gzip\r\n"
			       "Transfer-Encoding: chunked\r\n\r\n%zx\r\n",
			       cn / 2);
	memcpy(r + rn, c, cn / 2);
	rn += cn / 2;
	rn += (size_t)snprintf((char *)r + rn, cap - rn, "\r\n%zx;x=y\r\n",
			       cn - cn / 2);
	memcpy(r + rn, c + cn / 2, cn - cn / 2);
	rn += cn - cn / 2;
	memcpy(r + rn, "\r\n0\r\n\r\n", 7);
	rn += 7;
	static const char req[] = "GET /w/words.txt?x=1 HTTP/1.1\r\nHost: h\r\n\r\n";

	bsess bs;
	bsess_open(&bs);
	uint8_t *frame = test_malloc(54 + 2000);
	uint32_t seq[2] = {1000, 5000};
	uint64_t num = 0;
	unsigned sources = 0;
	struct {
		int dir;
		uint8_t fl;
		const uint8_t *b;
		size_t n;
	} plan[] = {{0, 0x02, NULL, 0},
		    {1, 0x12, NULL, 0},
		    {0, 0x10, NULL, 0},
		    {0, 0x18, (const uint8_t *)req, sizeof req - 1},
		    {1, 0x18, r, rn}};
	for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++) {
		size_t tot = plan[k].n, i = 0;
		do {
			size_t m = tot - i < step ? tot - i : step;
			int dir = plan[k].dir;
			size_t fl = th_tcp_frame(frame, dir, 40002, 80,
						 seq[dir], seq[!dir],
						 plan[k].fl,
						 plan[k].b ? plan[k].b + i : NULL,
						 m);
			tp_pkt *p = th_sess_feed(&bs.d, ++num, frame, fl, fl);
			seq[dir] += (uint32_t)m + (plan[k].fl & 2 ? 1 : 0);
			for (unsigned s = 1; s < p->nsrc; s++)
				if (!strcmp(p->src[s].name,
					    "Uncompressed entity body")) {
					sources++;
					assert_int_equal(p->src[s].len, n);
					assert_memory_equal(p->src[s].bytes, t,
							    n);
				}
			i += m;
		} while (i < tot);
	}
	assert_int_equal(sources, 1);
	assert_int_equal(bs.got.n, 1);
	assert_int_equal(bs.got.size[0], n);
	assert_memory_equal(bs.got.b[0], t, n);
	assert_string_equal(bs.got.uri[0], "/w/words.txt?x=1");
	assert_null(bs.got.status[0]);
	char name[128];
	tp_object_name(bs.got.uri[0], name, sizeof name);
	assert_string_equal(name, "words.txt");
	for (unsigned i = 0; i < bs.got.n; i++)
		test_free(bs.got.b[i]);
	th_sess_free(&bs.d);
	test_free(frame);
	test_free(r);
	test_free(c);
	test_free(t);
}

static void test_chunked_gzip_whole(void **st)
{
	(void)st;
	run_chunked_gzip(1400);
}

static void test_chunked_gzip_bytes(void **st)
{
	(void)st;
	run_chunked_gzip(1);
}

/* A chunked body whose first chunk's tail is lost (a gap that ends with
 * the chunk): the framing goes on, the object has zeros there and says
 * so; the next chunk and the end are read as they are. */
static void test_chunk_gap(void **st)
{
	(void)st;
	bsess bs;
	bsess_open(&bs);
	uint8_t *frame = test_malloc(54 + 2000);
	static const char req[] = "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";
	char a[200];
	int an = snprintf(a, sizeof a,
			  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
			  "\r\n64\r\n%s",
			  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); /* 40 of 100 */
	static const char b[] = "\r\n5\r\nhello\r\n0\r\n\r\n";
	uint32_t seq[2] = {1000, 5000};
	struct {
		int dir;
		uint8_t fl;
		const char *p;
		size_t n, skip;
	} plan[] = {{0, 0x02, NULL, 0, 0},	     {1, 0x12, NULL, 0, 0},
		    {0, 0x10, NULL, 0, 0},	     {0, 0x18, req, sizeof req - 1, 0},
		    {1, 0x18, a, (size_t)an, 60}, {1, 0x18, b, sizeof b - 1, 0},
		    {0, 0x11, NULL, 0, 0},	     {1, 0x11, NULL, 0, 0}};
	for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++) {
		int dir = plan[k].dir;
		size_t fl = th_tcp_frame(frame, dir, 40002, 80, seq[dir],
					 seq[!dir], plan[k].fl,
					 (const uint8_t *)plan[k].p, plan[k].n);
		th_sess_feed(&bs.d, k + 1, frame, fl, fl);
		seq[dir] += (uint32_t)(plan[k].n + plan[k].skip) +
			    (plan[k].fl & 3 ? 1 : 0);
	}
	tp_session_finish(bs.d.s);
	assert_int_equal(bs.got.n, 1);
	assert_int_equal(bs.got.size[0], 105);
	static const uint8_t zero[60];
	assert_memory_equal(bs.got.b[0], a + an - 40, 40);
	assert_memory_equal(bs.got.b[0] + 40, zero, 60);
	assert_memory_equal(bs.got.b[0] + 100, "hello", 5);
	assert_int_equal(bs.got.missing[0], 60);
	assert_true(bs.got.zero_filled[0]);
	assert_null(bs.got.status[0]);
	test_free(bs.got.b[0]);
	th_sess_free(&bs.d);
	test_free(frame);
}

static void test_object_names(void **st)
{
	(void)st;
	static const char *const t[][2] = {
		{"/", "object"},	       {"/a/b/c.txt", "c.txt"},
		{"/../../etc/passwd", "passwd"}, {"/..", "_."},
		{"/.hidden", "_hidden"},	       {"/x?y=/../z", "x"},
		{"/a%2f..%2fb", "a_2f.._2fb"},    {"", "object"},
		{"/dev/null", "null"},	       {"http://h/a b", "a_b"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char o[128];
		tp_object_name(t[i][0], o, sizeof o);
		assert_string_equal(o, t[i][1]);
		assert_null(strchr(o, '/'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_deflate_zlib),
		cmocka_unit_test(test_deflate_raw),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_brotli),
		cmocka_unit_test(test_encoding_names),
		cmocka_unit_test(test_gzip_bomb),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_chunked_gzip_whole),
		cmocka_unit_test(test_chunked_gzip_bytes),
		cmocka_unit_test(test_chunk_gap),
		cmocka_unit_test(test_object_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
