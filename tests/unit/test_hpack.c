/* test_hpack.c - the HPACK decoder (dissectors/hpack.c) held to every
 * RFC 7541 Appendix C example (C.2 alone; the C.3/C.4 request and the
 * C.5/C.6 response sequences, header by header, with the dynamic table's
 * entries and size after each block), each block cut at every length;
 * Huffman edge cases (padding over 7 bits, padding not ones, EOS in a
 * string); integer overflow; table size updates (above the limit, after
 * a header, several in a row); the HPACK bomb; the memory cap; and the
 * mid-connection carry-on past unknown dynamic-table indexes.  Every
 * block is decoded from a buffer followed by an unmapped page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "../../dissectors/hpack.h"

/* What a block delivered: "name: value" per header ("?" for an unknown
 * name or value), with flags and indexes. */
#define MAXH 64
typedef struct got {
	unsigned n;
	char line[MAXH][176];
	unsigned flags[MAXH];
	uint32_t index[MAXH];
	uint64_t bytes; /* name + value bytes delivered */
} got;

static void collect(void *ctx, const hpack_header *h)
{
	got *g = ctx;
	g->bytes += h->name_len + h->value_len;
	if (g->n >= MAXH)
		return;
	char name[80], value[80];
	snprintf(name, sizeof name, "%.*s", h->name ? (int)h->name_len : 1,
		 h->name ? h->name : "?");
	snprintf(value, sizeof value, "%.*s",
		 h->value ? (int)h->value_len : 1, h->value ? h->value : "?");
	snprintf(g->line[g->n], sizeof g->line[0], "%s: %s", name, value);
	g->flags[g->n] = h->flags;
	g->index[g->n] = h->index;
	g->n++;
}

/* Decode a hex block from a guarded copy. */
static hpack_status decode_hex(hpack_table *t, const char *hex, got *g,
			       hpack_info *info, size_t cut)
{
	static uint8_t raw[8192];
	size_t n = th_hex(hex, raw, sizeof raw);
	if (cut < n)
		n = cut;
	uint8_t *b = th_guarded(raw, n);
	memset(g, 0, sizeof *g);
	hpack_status st = hpack_decode(t, b, n, collect, g, NULL, info);
	th_guarded_free(b, n);
	return st;
}

/* expect: headers separated by '\n'. */
static void check_headers(const got *g, const char *expect)
{
	char buf[2048];
	buf[0] = 0;
	for (unsigned i = 0; i < g->n; i++) {
		strcat(buf, g->line[i]);
		strcat(buf, "\n");
	}
	assert_string_equal(buf, expect);
}

/* table: entries newest first, "name: value\n" each, then the size. */
static void check_table(const hpack_table *t, const char *expect,
			uint32_t size)
{
	char buf[2048];
	buf[0] = 0;
	for (uint32_t i = 1; i <= t->count; i++) {
		const hpack_entry *e = hpack_table_get(t, i);
		assert_non_null(e);
		char line[300];
		snprintf(line, sizeof line, "%.*s: %.*s\n", (int)e->name_len,
			 e->buf, (int)e->value_len, e->buf + e->name_len);
		strcat(buf, line);
	}
	assert_null(hpack_table_get(t, t->count + 1));
	assert_string_equal(buf, expect);
	assert_int_equal(t->size, size);
}

typedef struct example {
	const char *hex, *headers, *table;
	uint32_t size;
} example;

/* A sequence of blocks on one table, then every block cut at every
 * length (the blocks before it whole): a cut inside a representation is
 * HPACK_ERR_TRUNCATED, a cut between two is a shorter valid block. */
static void run_sequence(const example *ex, size_t count, uint32_t limit)
{
	hpack_table t;
	hpack_table_init(&t, limit);
	for (size_t i = 0; i < count; i++) {
		got g;
		hpack_info info;
		assert_int_equal(decode_hex(&t, ex[i].hex, &g, &info, SIZE_MAX),
				 HPACK_OK);
		check_headers(&g, ex[i].headers);
		check_table(&t, ex[i].table, ex[i].size);
		assert_int_equal(info.unknown, 0);
	}
	hpack_table_free(&t);
	for (size_t i = 0; i < count; i++) {
		uint8_t raw[512];
		size_t n = th_hex(ex[i].hex, raw, sizeof raw);
		unsigned full = 0;
		for (const char *p = ex[i].headers; *p; p++)
			full += *p == '\n';
		for (size_t cut = 0; cut < n; cut++) {
			hpack_table_init(&t, limit);
			got g;
			hpack_info info;
			for (size_t j = 0; j < i; j++)
				assert_int_equal(decode_hex(&t, ex[j].hex, &g,
							    &info, SIZE_MAX),
						 HPACK_OK);
			hpack_status st = decode_hex(&t, ex[i].hex, &g, &info, cut);
			if (st == HPACK_OK) {
				assert_true(g.n < full);
				assert_int_equal(info.consumed, cut);
			} else {
				assert_int_equal(st, HPACK_ERR_TRUNCATED);
				assert_true(info.consumed < cut);
			}
			hpack_table_free(&t);
		}
	}
}

static void test_c2(void **state)
{
	(void)state;
	static const example c21[] = {{
		"400a 6375 7374 6f6d 2d6b 6579 0d63 7573"
		"746f 6d2d 6865 6164 6572",
		"custom-key: custom-header\n",
		"custom-key: custom-header\n", 55}};
	static const example c22[] = {{
		"040c 2f73 616d 706c 652f 7061 7468",
		":path: /sample/path\n", "", 0}};
	static const example c23[] = {{
		"1008 7061 7373 776f 7264 0673 6563 7265 74",
		"password: secret\n", "", 0}};
	static const example c24[] = {{"82", ":method: GET\n", "", 0}};
	run_sequence(c21, 1, 4096);
	run_sequence(c22, 1, 4096);
	run_sequence(c23, 1, 4096);
	run_sequence(c24, 1, 4096);

	/* the representations' flags */
	hpack_table t;
	hpack_table_init(&t, 4096);
	got g;
	decode_hex(&t, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573"
		       "746f 6d2d 6865 6164 6572", &g, NULL, SIZE_MAX);
	assert_int_equal(g.flags[0], HPACK_F_INCREMENTAL);
	decode_hex(&t, "040c 2f73 616d 706c 652f 7061 7468", &g, NULL, SIZE_MAX);
	assert_int_equal(g.flags[0], HPACK_F_NOT_INDEXED);
	assert_int_equal(g.index[0], 4);
	decode_hex(&t, "1008 7061 7373 776f 7264 0673 6563 7265 74", &g, NULL,
		   SIZE_MAX);
	assert_int_equal(g.flags[0], HPACK_F_NEVER_INDEXED);
	decode_hex(&t, "82 be", &g, NULL, SIZE_MAX);
	assert_int_equal(g.flags[0], HPACK_F_INDEXED);
	assert_int_equal(g.index[1], 62);
	assert_string_equal(g.line[1], "custom-key: custom-header");
	hpack_table_free(&t);
}

#define REQ1 ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n"
#define REQ2 REQ1 "cache-control: no-cache\n"
#define REQ3 ":method: GET\n:scheme: https\n:path: /index.html\n" \
	":authority: www.example.com\ncustom-key: custom-value\n"
#define RT1 ":authority: www.example.com\n"
#define RT2 "cache-control: no-cache\n" RT1
#define RT3 "custom-key: custom-value\n" RT2

static void test_c3_requests(void **state)
{
	(void)state;
	static const example c3[] = {
		{"8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
		 REQ1, RT1, 57},
		{"8286 84be 5808 6e6f 2d63 6163 6865", REQ2, RT2, 110},
		{"8287 85bf 400a 6375 7374 6f6d 2d6b 6579"
		 "0c63 7573 746f 6d2d 7661 6c75 65", REQ3, RT3, 164},
	};
	run_sequence(c3, 3, 4096);
}

static void test_c4_requests_huffman(void **state)
{
	(void)state;
	static const example c4[] = {
		{"8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", REQ1, RT1, 57},
		{"8286 84be 5886 a8eb 1064 9cbf", REQ2, RT2, 110},
		{"8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925"
		 "a849 e95b b8e8 b4bf", REQ3, RT3, 164},
	};
	run_sequence(c4, 3, 4096);
	hpack_table t;
	hpack_table_init(&t, 4096);
	got g;
	decode_hex(&t, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", &g, NULL,
		   SIZE_MAX);
	assert_int_equal(g.flags[3], HPACK_F_INCREMENTAL | HPACK_F_VALUE_HUFFMAN);
	assert_int_equal(g.index[3], 1);
	hpack_table_free(&t);
}

#define DATE1 "date: Mon, 21 Oct 2013 20:13:21 GMT\n"
#define DATE2 "date: Mon, 21 Oct 2013 20:13:22 GMT\n"
#define LOC "location: https://www.example.com\n"
#define COOKIE "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n"
#define RESP1 ":status: 302\ncache-control: private\n" DATE1 LOC
#define RESP2 ":status: 307\ncache-control: private\n" DATE1 LOC
#define RESP3 ":status: 200\ncache-control: private\n" DATE2 LOC \
	"content-encoding: gzip\n" COOKIE
#define ST1 LOC DATE1 "cache-control: private\n:status: 302\n"
#define ST2 ":status: 307\n" LOC DATE1 "cache-control: private\n"
#define ST3 COOKIE "content-encoding: gzip\n" DATE2

static void test_c5_responses(void **state)
{
	(void)state;
	static const example c5[] = {
		{"4803 3330 3258 0770 7269 7661 7465 611d"
		 "4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
		 "2032 303a 3133 3a32 3120 474d 546e 1768"
		 "7474 7073 3a2f 2f77 7777 2e65 7861 6d70"
		 "6c65 2e63 6f6d", RESP1, ST1, 222},
		{"4803 3330 37c1 c0bf", RESP2, ST2, 222},
		{"88c1 611d 4d6f 6e2c 2032 3120 4f63 7420"
		 "3230 3133 2032 303a 3133 3a32 3220 474d"
		 "54c0 5a04 677a 6970 7738 666f 6f3d 4153"
		 "444a 4b48 514b 425a 584f 5157 454f 5049"
		 "5541 5851 5745 4f49 553b 206d 6178 2d61"
		 "6765 3d33 3630 303b 2076 6572 7369 6f6e"
		 "3d31", RESP3, ST3, 215},
	};
	run_sequence(c5, 3, 256);
}

static void test_c6_responses_huffman(void **state)
{
	(void)state;
	static const example c6[] = {
		{"4882 6402 5885 aec3 771a 4b61 96d0 7abe"
		 "9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
		 "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8"
		 "e9ae 82ae 43d3", RESP1, ST1, 222},
		{"4883 640e ffc1 c0bf", RESP2, ST2, 222},
		{"88c1 6196 d07a be94 1054 d444 a820 0595"
		 "040b 8166 e084 a62d 1bff c05a 839b d9ab"
		 "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b"
		 "3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
		 "9587 3160 65c0 03ed 4ee5 b106 3d50 07", RESP3, ST3, 215},
	};
	run_sequence(c6, 3, 256);
}

static bool huff(const char *hex, char *out, size_t cap)
{
	uint8_t raw[64];
	size_t n = th_hex(hex, raw, sizeof raw), len;
	uint8_t *b = th_guarded(raw, n);
	bool ok = hpack_huffman_decode(b, n, (uint8_t *)out, cap - 1, &len);
	th_guarded_free(b, n);
	out[ok && len < cap ? len : 0] = 0;
	return ok;
}

static void test_huffman_edges(void **state)
{
	(void)state;
	char s[64];
	assert_true(huff("f1e3 c2e5 f23a 6ba0 ab90 f4ff", s, sizeof s));
	assert_string_equal(s, "www.example.com");
	assert_true(huff("", s, sizeof s)); /* empty string */
	assert_string_equal(s, "");
	assert_true(huff("1f", s, sizeof s)); /* 'a' (00011) + 111 */
	assert_string_equal(s, "a");
	/* padding not ones: 00011 000 */
	assert_false(huff("18", s, sizeof s));
	assert_false(huff("1e", s, sizeof s)); /* 00011 110 */
	/* padding of 8 bits and more: a whole byte of ones */
	assert_false(huff("1f ff", s, sizeof s));
	assert_false(huff("ff", s, sizeof s));
	assert_false(huff("f1e3 c2e5 f23a 6ba0 ab90 f4ff ff", s, sizeof s));
	/* EOS (30 ones) inside a string, then more */
	assert_false(huff("ffff fffc", s, sizeof s));
	assert_false(huff("1f ff ff ff fc", s, sizeof s)); /* 'a' then EOS */
	/* a 30-bit symbol (10, 3ffffffc) then 2 bits of padding */
	assert_true(huff("ffff fff3", s, sizeof s));
	assert_int_equal(s[0], 10);
	/* the decoded length past the destination's room is still told */
	size_t len;
	uint8_t raw[12], small[4];
	size_t n = th_hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff", raw, sizeof raw);
	assert_true(hpack_huffman_decode(raw, n, small, sizeof small, &len));
	assert_int_equal(len, 15);
	assert_memory_equal(small, "www.", 4);

	/* in a block: a bad string is HPACK_ERR_HUFFMAN, the headers
	 * before it delivered */
	hpack_table t;
	hpack_table_init(&t, 4096);
	got g;
	hpack_info info;
	assert_int_equal(decode_hex(&t, "82 4181 18", &g, &info, SIZE_MAX),
			 HPACK_ERR_HUFFMAN);
	assert_int_equal(g.n, 1);
	assert_int_equal(info.consumed, 1);
	assert_int_equal(t.count, 0);
	assert_int_equal(decode_hex(&t, "4184 ffff fffc", &g, NULL, SIZE_MAX),
			 HPACK_ERR_HUFFMAN);
	hpack_table_free(&t);
}

static void test_integers(void **state)
{
	(void)state;
	hpack_table t;
	hpack_table_init(&t, 4096);
	got g;
	hpack_info info;
	/* 127 + 2^28-1 + 15 * 2^28 = 2^32 + 126: overflow */
	assert_int_equal(decode_hex(&t, "ff ffff ffff 0f", &g, &info, SIZE_MAX),
			 HPACK_ERR_INTEGER);
	/* endless zero continuations */
	assert_int_equal(decode_hex(&t, "ff 8080 8080 8080 8000", &g, &info,
				    SIZE_MAX),
			 HPACK_ERR_INTEGER);
	/* 2^32-1 exactly is an integer: an index past any table */
	assert_int_equal(decode_hex(&t, "ff 80ff ffff 0f", &g, &info, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(g.index[0], 0xffffffffu);
	/* 5.1's example: 1337 on 5 bits (a size update, above the limit
	 * of 1000, below 4096) */
	hpack_table_set_limit(&t, 1000);
	assert_int_equal(decode_hex(&t, "3f 9a0a", &g, &info, SIZE_MAX),
			 HPACK_ERR_SIZE_UPDATE);
	hpack_table_set_limit(&t, 4096);
	assert_int_equal(decode_hex(&t, "3f 9a0a", &g, &info, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(t.max_size, 1337);
	/* cut inside an integer */
	assert_int_equal(decode_hex(&t, "ff 80", &g, &info, SIZE_MAX),
			 HPACK_ERR_TRUNCATED);
	assert_int_equal(decode_hex(&t, "80", &g, &info, SIZE_MAX),
			 HPACK_ERR_INDEX_ZERO);
	/* a string length of 2^32-1 with 3 bytes behind it */
	assert_int_equal(decode_hex(&t, "00 7f 80ff ffff 0f 61 62 63", &g,
				    &info, SIZE_MAX),
			 HPACK_ERR_TRUNCATED);
	hpack_table_free(&t);
}

static void test_size_updates(void **state)
{
	(void)state;
	hpack_table t;
	hpack_table_init(&t, 4096);
	got g;
	hpack_info info;
	/* C.3.1 fills one entry */
	assert_int_equal(decode_hex(&t, "8286 8441 0f77 7777 2e65 7861 6d70"
				    "6c65 2e63 6f6d", &g, NULL, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(t.count, 1);
	/* above the limit: refused, the table untouched */
	assert_int_equal(decode_hex(&t, "3fe2 1f 82", &g, &info, SIZE_MAX),
			 HPACK_ERR_SIZE_UPDATE);
	assert_int_equal(g.n, 0);
	assert_int_equal(t.max_size, 4096);
	assert_int_equal(t.count, 1);
	/* after the first header: refused */
	assert_int_equal(decode_hex(&t, "82 3fe1 1f", &g, &info, SIZE_MAX),
			 HPACK_ERR_SIZE_UPDATE);
	assert_int_equal(g.n, 1);
	assert_int_equal(info.consumed, 1);
	/* several in a row: 0 empties the table, then 4096 */
	assert_int_equal(decode_hex(&t, "20 3fe1 1f 20 3fe1 1f be", &g, &info,
				    SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(info.updates, 4);
	assert_int_equal(t.count, 0);
	assert_int_equal(t.max_size, 4096);
	assert_int_equal(g.n, 1);
	assert_true(g.flags[0] & HPACK_F_UNKNOWN);
	/* a smaller maximum evicts down to it */
	decode_hex(&t, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
		   &g, NULL, SIZE_MAX);
	decode_hex(&t, "8286 84be 5808 6e6f 2d63 6163 6865", &g, NULL, SIZE_MAX);
	assert_int_equal(t.size, 110);
	assert_int_equal(decode_hex(&t, "3f 26", &g, NULL, SIZE_MAX), HPACK_OK);
	assert_int_equal(t.max_size, 69);
	check_table(&t, "cache-control: no-cache\n", 53);
	/* an entry larger than the maximum empties the table */
	assert_int_equal(decode_hex(&t, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573"
				    "746f 6d2d 6865 6164 6572", &g, NULL, SIZE_MAX),
			 HPACK_OK);
	check_table(&t, "custom-key: custom-header\n", 55);
	/* name (4) + 34 bytes + 32 = 70 > 69 */
	assert_int_equal(decode_hex(&t, "4004 6e61 6d65 22"
				    "78787878787878787878787878787878"
				    "78787878787878787878787878787878"
				    "7878",
				    &g, NULL, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(g.n, 1);
	check_table(&t, "", 0);
	/* a literal whose name is the entry its insertion evicts (4.4):
	 * the name copied first */
	hpack_table_set_limit(&t, 100);
	decode_hex(&t, "3f 45", &g, NULL, SIZE_MAX);
	assert_int_equal(decode_hex(&t, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573"
				    "746f 6d2d 6865 6164 6572", &g, NULL, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(decode_hex(&t, "7e 10 6375 7374 6f6d 2d76 616c 7565"
				    "2d32 3334", &g, NULL, SIZE_MAX),
			 HPACK_OK);
	assert_string_equal(g.line[0], "custom-key: custom-value-234");
	check_table(&t, "custom-key: custom-value-234\n", 58);
	/* a SETTINGS limit below the current maximum applies at once */
	hpack_table_set_limit(&t, 0);
	assert_int_equal(t.max_size, 0);
	hpack_table_free(&t);

	/* mid-connection, the SETTINGS unseen: any update is taken */
	hpack_table_init(&t, UINT32_MAX);
	assert_int_equal(decode_hex(&t, "3fe1 ff03 82", &g, &info, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(t.max_size, 65536);
	assert_int_equal(decode_hex(&t, "3fe0 ffff ff0f 82", &g, &info,
				    SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(t.max_size, UINT32_MAX);
	assert_int_equal(decode_hex(&t, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573"
				    "746f 6d2d 6865 6164 6572 be", &g, NULL, SIZE_MAX),
			 HPACK_OK);
	assert_string_equal(g.line[1], "custom-key: custom-header");
	hpack_table_free(&t);
}

/* An indexed reference past the known table is delivered as unknown and
 * decoding carries on; a literal with incremental indexing whose name is
 * unknown still takes its place in the table. */
static void test_unknown_index_carry_on(void **state)
{
	(void)state;
	hpack_table t;
	hpack_table_init(&t, 4096);
	got g;
	hpack_info info;
	assert_int_equal(decode_hex(&t, "c6 82 7e 03 666f6f be bf 4e 01 78",
				    &g, &info, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(g.n, 6);
	assert_int_equal(info.unknown, 4);
	assert_string_equal(g.line[0], "?: ?");
	assert_int_equal(g.flags[0], HPACK_F_INDEXED | HPACK_F_UNKNOWN);
	assert_int_equal(g.index[0], 70);
	assert_string_equal(g.line[1], ":method: GET");
	/* name index 62 unknown: the value shown, an entry inserted */
	assert_string_equal(g.line[2], "?: foo");
	assert_int_equal(g.flags[2], HPACK_F_INCREMENTAL | HPACK_F_UNKNOWN);
	assert_int_equal(g.index[2], 62);
	/* 62 is now that entry: its value known, its name not */
	assert_string_equal(g.line[3], "?: foo");
	assert_int_equal(g.flags[3], HPACK_F_INDEXED | HPACK_F_UNKNOWN);
	assert_string_equal(g.line[4], "?: ?");
	assert_int_equal(g.index[4], 63);
	/* a static name (14: :status) goes on as usual */
	assert_string_equal(g.line[5], ":status: x");
	assert_int_equal(t.count, 2);
	assert_int_equal(t.size, 3 + 32 + 7 + 1 + 32);
	hpack_table_free(&t);

	/* a capture starting at C.3.2: its :authority (62) unknown, the
	 * insert kept, so that C.3.3 finds cache-control at 63... which the
	 * peer has at 63 too: only :authority (64 for the peer) is lost */
	hpack_table_init(&t, 4096);
	assert_int_equal(decode_hex(&t, "8286 84be 5808 6e6f 2d63 6163 6865",
				    &g, &info, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(info.unknown, 1);
	assert_string_equal(g.line[3], "?: ?");
	assert_string_equal(g.line[4], "cache-control: no-cache");
	assert_int_equal(decode_hex(&t, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579"
				    "0c63 7573 746f 6d2d 7661 6c75 65",
				    &g, &info, SIZE_MAX),
			 HPACK_OK);
	assert_int_equal(info.unknown, 1);
	assert_int_equal(g.index[3], 63);
	assert_true(g.flags[3] & HPACK_F_UNKNOWN);
	assert_int_equal(decode_hex(&t, "be bf c0", &g, &info, SIZE_MAX),
			 HPACK_OK);
	assert_string_equal(g.line[0], "custom-key: custom-value");
	assert_string_equal(g.line[1], "cache-control: no-cache");
	assert_string_equal(g.line[2], "?: ?");
	hpack_table_free(&t);
}

/* The HPACK bomb: one 4000-byte entry referenced 16384 times.  The
 * delivered list stops at the cap; the block is parsed to its end. */
static void test_bomb(void **state)
{
	(void)state;
	hpack_table t;
	hpack_table_init(&t, 4096);
	size_t n = 3 + 3 + 4000 + 16384;
	uint8_t *raw = malloc(n);
	assert_non_null(raw);
	/* 40 01 'b' 7f <4000-127 as an integer> then 4000 'x' */
	size_t k = 0;
	raw[k++] = 0x40;
	raw[k++] = 0x01;
	raw[k++] = 'b';
	raw[k++] = 0x7f;
	raw[k++] = (uint8_t)(((4000 - 127) & 0x7f) | 0x80);
	raw[k++] = (uint8_t)((4000 - 127) >> 7);
	memset(raw + k, 'x', 4000);
	k += 4000;
	memset(raw + k, 0xbe, 16384);
	k += 16384;
	assert_int_equal(k, n);
	uint8_t *b = th_guarded(raw, n);
	got g;
	memset(&g, 0, sizeof g);
	hpack_info info;
	assert_int_equal(hpack_decode(&t, b, n, collect, &g, NULL, &info),
			 HPACK_ERR_LIST_CAP);
	assert_true(g.bytes <= HPACK_LIST_CAP);
	assert_int_equal(info.headers, HPACK_LIST_CAP / (4001 + 32));
	assert_int_equal(info.headers + info.suppressed, 16385);
	assert_int_equal(info.consumed, n);
	assert_int_equal(t.count, 1);
	assert_int_equal(t.size, 4033);
	/* the header count cap, with the table still filled */
	memset(&g, 0, sizeof g);
	hpack_caps caps = {0, 3};
	uint8_t c33[64];
	size_t m = th_hex("8287 85bf 400a 6375 7374 6f6d 2d6b 6579"
			  "0c63 7573 746f 6d2d 7661 6c75 65", c33, sizeof c33);
	assert_int_equal(hpack_decode(&t, c33, m, collect, &g, &caps, &info),
			 HPACK_ERR_LIST_CAP);
	assert_int_equal(g.n, 3);
	assert_int_equal(info.suppressed, 2);
	assert_int_equal(t.count, 2);
	th_guarded_free(b, n);
	free(raw);
	hpack_table_free(&t);
}

/* A peer table of 1 MiB: this one holds 64 KiB, the oldest entries
 * forgotten (unknown when referenced), the newest at their indexes; an
 * entry over 64 KiB is a placeholder, so the ones after it stay aligned. */
static void test_memory_cap(void **state)
{
	(void)state;
	hpack_table t;
	hpack_table_init(&t, 1u << 20);
	/* 40 entries of 2 KiB: 'n' + 2000 bytes value + 32 */
	size_t n = 40 * (3 + 3 + 2000);
	uint8_t *raw = malloc(n + 100000 + 16);
	size_t k = 0;
	for (int i = 0; i < 40; i++) {
		raw[k++] = 0x40;
		raw[k++] = 0x01;
		raw[k++] = (uint8_t)('A' + i);
		raw[k++] = 0x7f;
		raw[k++] = (uint8_t)(((2000 - 127) & 0x7f) | 0x80);
		raw[k++] = (uint8_t)((2000 - 127) >> 7);
		memset(raw + k, 'v', 2000);
		k += 2000;
	}
	got g;
	memset(&g, 0, sizeof g);
	hpack_info info;
	assert_int_equal(hpack_decode(&t, raw, k, NULL, NULL, NULL, &info),
			 HPACK_ERR_LIST_CAP); /* 80 KiB of headers */
	assert_true(t.held <= HPACK_TABLE_CAP);
	assert_int_equal(t.count, HPACK_TABLE_CAP / 2033);
	assert_int_equal(t.forgotten, 40 - HPACK_TABLE_CAP / 2033);
	assert_int_equal(hpack_table_get(&t, 1)->buf[0], 'A' + 39);
	/* a 100000-byte value: a placeholder at 62, the last 2 KiB entry at
	 * 63 */
	k = 0;
	raw[k++] = 0x40;
	raw[k++] = 0x01;
	raw[k++] = 'Z';
	raw[k++] = 0x7f;
	uint32_t v = 100000 - 127;
	raw[k++] = (uint8_t)((v & 0x7f) | 0x80);
	raw[k++] = (uint8_t)(((v >> 7) & 0x7f) | 0x80);
	raw[k++] = (uint8_t)(v >> 14);
	memset(raw + k, 'w', 100000);
	k += 100000;
	raw[k++] = 0xbe;
	raw[k++] = 0xbf;
	assert_int_equal(hpack_decode(&t, raw, k, collect, &g, NULL, &info),
			 HPACK_ERR_LIST_CAP);
	assert_int_equal(t.size, 100000 + 1 + 32 + (t.count - 1) * 2033);
	assert_true(t.held <= HPACK_TABLE_CAP);
	assert_true(hpack_table_get(&t, 1)->placeholder);
	memset(&g, 0, sizeof g);
	uint8_t two[2] = {0xbe, 0xbf};
	assert_int_equal(hpack_decode(&t, two, 2, collect, &g, NULL, &info),
			 HPACK_OK);
	assert_true(g.flags[0] & HPACK_F_UNKNOWN);
	assert_int_equal(g.line[1][0], 'A' + 39);
	free(raw);
	hpack_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c2),
		cmocka_unit_test(test_c3_requests),
		cmocka_unit_test(test_c4_requests_huffman),
		cmocka_unit_test(test_c5_responses),
		cmocka_unit_test(test_c6_responses_huffman),
		cmocka_unit_test(test_huffman_edges),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_size_updates),
		cmocka_unit_test(test_unknown_index_carry_on),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_memory_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
