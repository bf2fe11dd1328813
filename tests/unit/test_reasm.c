/* test_reasm.c - TCP stream reassembly and PDU buffering (src/flow/reasm.c).
 *
 * Every test feeds segments into a recording sink that checks promise 1
 * of include/tapir/reasm.h on every call (each data or gap call starts
 * where the previous one ended) and keeps the delivered bytes and a log
 * of the gaps, which are compared byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "tapir/rangeset.h"
#include "tapir/reasm.h"


/* ---- the recording sink ------------------------------------------------ */

struct rec {
	uint8_t *bytes; /* delivered data, concatenated */
	size_t n, cap;
	uint64_t end; /* where the next call must start */
	char gaps[1024]; /* "off+n " per gap */
	size_t glen;
	unsigned ndata, ngap;
	const uint8_t *ref; /* when set: data must equal ref[off..] */
	size_t reflen;
	const tp_reasm_mem *mem; /* when set: mem->used <= mem->cap always */
};

static void rec_data(void *ctx, uint64_t off, const uint8_t *b, size_t n)
{
	struct rec *r = ctx;
	assert_true(off == r->end);
	assert_true(n > 0);
	if (r->ref) {
		assert_true(off + n <= r->reflen);
		assert_memory_equal(b, r->ref + off, n);
	}
	if (r->mem)
		assert_true(r->mem->used <= r->mem->cap);
	if (r->n + n > r->cap) {
		size_t nc = (r->n + n) * 2;
		r->bytes = realloc(r->bytes, nc);
		assert_non_null(r->bytes);
		r->cap = nc;
	}
	memcpy(r->bytes + r->n, b, n);
	r->n += n;
	r->end = off + n;
	r->ndata++;
}

static void rec_gap(void *ctx, uint64_t off, uint64_t n)
{
	struct rec *r = ctx;
	assert_true(off == r->end);
	assert_true(n > 0);
	int k = snprintf(r->gaps + r->glen, sizeof r->gaps - r->glen,
			 "%llu+%llu ", (unsigned long long)off,
			 (unsigned long long)n);
	assert_true(k > 0 && (size_t)k < sizeof r->gaps - r->glen);
	r->glen += (size_t)k;
	r->end = off + n;
	r->ngap++;
}

static tp_reasm_sink rec_sink(struct rec *r)
{
	memset(r, 0, sizeof *r);
	return (tp_reasm_sink){rec_data, rec_gap, r};
}

static void rec_free(struct rec *r)
{
	free(r->bytes);
	r->bytes = NULL;
}

/* The delivered bytes are exactly `s`. */
static void rec_is(const struct rec *r, const char *s)
{
	size_t n = strlen(s);
	assert_int_equal(r->n, n);
	if (n)
		assert_memory_equal(r->bytes, s, n);
}

static unsigned add_s(tp_reasm *r, tp_reasm_mem *m, uint32_t seq,
		      const char *s, const tp_reasm_sink *k)
{
	return tp_reasm_add(r, m, seq, (const uint8_t *)s, strlen(s), k);
}

#define ISN 1000u

/* ---- ordering ----------------------------------------------------------- */

static void test_reasm_in_order(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	assert_int_equal(add_s(&r, &m, ISN + 1, "hello ", &k), TP_RA_NEW);
	assert_int_equal(add_s(&r, &m, ISN + 7, "world", &k), TP_RA_NEW);
	rec_is(&rc, "hello world");
	assert_int_equal(rc.ndata, 2);
	assert_int_equal(r.next, 11);
	assert_int_equal(r.high, 11);
	assert_int_equal(m.used, 0);
	assert_int_equal(m.peak, 0); /* in-order bytes are never copied */
	assert_null(r.held);
	rec_free(&rc);
}

static void test_reasm_reversed(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	assert_int_equal(add_s(&r, &m, ISN + 9, "ij", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_s(&r, &m, ISN + 5, "efgh", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_s(&r, &m, ISN + 2, "bcd", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(rc.n, 0);
	assert_int_equal(r.held_bytes, 9);
	assert_true(m.used > 9);
	size_t peak = m.used;
	assert_int_equal(add_s(&r, &m, ISN + 1, "a", &k), TP_RA_NEW);
	rec_is(&rc, "abcdefghij");
	assert_int_equal(rc.ngap, 0);
	assert_int_equal(r.held_bytes, 0);
	assert_null(r.held);
	assert_int_equal(m.used, 0);
	assert_int_equal(m.peak, peak);
	rec_free(&rc);
}

static const char quick[] = "The quick brown fox jumps over the lazy dog.";

/* Next permutation of p[0..n) in lexicographic order; false after the
 * last. */
static bool next_perm(unsigned *p, unsigned n)
{
	if (n < 2)
		return false;
	unsigned i = n - 1;
	while (i > 0 && p[i - 1] >= p[i])
		i--;
	if (i == 0)
		return false;
	unsigned j = n - 1;
	while (p[j] <= p[i - 1])
		j--;
	unsigned t = p[i - 1];
	p[i - 1] = p[j];
	p[j] = t;
	for (unsigned a = i, b = n - 1; a < b; a++, b--) {
		t = p[a];
		p[a] = p[b];
		p[b] = t;
	}
	return true;
}

struct span {
	unsigned off, len;
};

/* Every order of `ns` segments of `quick` (sequence numbers from isn + 1)
 * gives exactly `quick`, with no gap and nothing left held. */
static unsigned every_order(const struct span *sp, unsigned ns, uint32_t isn,
			    bool overlapping)
{
	unsigned p[8], orders = 0;
	size_t qn = strlen(quick);
	for (unsigned i = 0; i < ns; i++)
		p[i] = i;
	do {
		tp_reasm r;
		tp_reasm_mem m = {0};
		struct rec rc;
		tp_reasm_sink k = rec_sink(&rc);
		rc.ref = (const uint8_t *)quick;
		rc.reflen = qn;
		tp_reasm_init(&r, 0);
		tp_reasm_set_base(&r, isn + 1);
		unsigned all = 0;
		for (unsigned i = 0; i < ns; i++) {
			const struct span *s = &sp[p[i]];
			unsigned f = tp_reasm_add(
				&r, &m, isn + 1 + s->off,
				(const uint8_t *)quick + s->off, s->len, &k);
			all |= f;
			assert_false(f & (TP_RA_OVERLAP_DIFF | TP_RA_DROPPED |
					  TP_RA_GAP | TP_RA_BEFORE_BASE));
		}
		rec_is(&rc, quick);
		assert_int_equal(rc.ngap, 0);
		assert_int_equal(r.next, qn);
		assert_null(r.held);
		assert_int_equal(m.used, 0);
		if (!overlapping)
			assert_false(all & (TP_RA_OVERLAP | TP_RA_DUP));
		tp_reasm_flush(&r, &m, &k);
		assert_int_equal(rc.ngap, 0);
		tp_reasm_free(&r, &m);
		rec_free(&rc);
		orders++;
	} while (next_perm(p, ns));
	return orders;
}

static void test_reasm_permutations(void **state)
{
	(void)state;
	/* 6 disjoint segments: 720 orders */
	static const struct span six[] = {{0, 5},   {5, 6},   {11, 8},
					  {19, 7},  {26, 9},  {35, 9}};
	assert_int_equal(every_order(six, 6, ISN, false), 720);
	/* the same across the 32-bit wrap */
	assert_int_equal(every_order(six, 6, 0xffffffe0u, false), 720);
	/* 6 overlapping segments (retransmissions re-cut): 720 orders */
	static const struct span ovl[] = {{0, 10},  {5, 15},  {15, 15},
					  {28, 16}, {10, 2},  {0, 44}};
	assert_int_equal(every_order(ovl, 6, 0xfffffff0u, true), 720);
	/* 5 segments with 1-byte pieces and a covering one */
	static const struct span five[] = {
		{0, 1}, {2, 1}, {1, 40}, {41, 3}, {40, 2}};
	assert_int_equal(every_order(five, 5, ISN, true), 120);
}

/* ---- retransmissions and overlaps --------------------------------------- */

static void test_reasm_retransmit_same(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	assert_int_equal(add_s(&r, &m, ISN + 1, "abcdef", &k), TP_RA_NEW);
	/* full retransmission of delivered bytes */
	assert_int_equal(add_s(&r, &m, ISN + 1, "abcdef", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	/* partial: 3 old, 3 new */
	assert_int_equal(add_s(&r, &m, ISN + 4, "defghi", &k),
			 TP_RA_NEW | TP_RA_OVERLAP);
	/* held segment, retransmitted whole and in part */
	assert_int_equal(add_s(&r, &m, ISN + 13, "mnop", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_s(&r, &m, ISN + 13, "mnop", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	assert_int_equal(add_s(&r, &m, ISN + 14, "no", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	assert_int_equal(add_s(&r, &m, ISN + 15, "opq", &k),
			 TP_RA_NEW | TP_RA_OVERLAP | TP_RA_HELD);
	/* fills the hole and overlaps both sides */
	assert_int_equal(add_s(&r, &m, ISN + 9, "ijklmn", &k),
			 TP_RA_NEW | TP_RA_OVERLAP);
	rec_is(&rc, "abcdefghijklmnopq");
	assert_int_equal(rc.ngap, 0);
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

static void test_reasm_retransmit_diff(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	add_s(&r, &m, ISN + 1, "abc", &k);
	/* held "ghij", then a different full copy and a partial one */
	assert_int_equal(add_s(&r, &m, ISN + 7, "ghij", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_s(&r, &m, ISN + 7, "GHIJ", &k),
			 TP_RA_DUP | TP_RA_OVERLAP | TP_RA_OVERLAP_DIFF);
	assert_int_equal(add_s(&r, &m, ISN + 9, "iJKL", &k),
			 TP_RA_NEW | TP_RA_OVERLAP | TP_RA_OVERLAP_DIFF |
				 TP_RA_HELD);
	/* same bytes where they overlap: no DIFF */
	assert_int_equal(add_s(&r, &m, ISN + 12, "LMN", &k),
			 TP_RA_NEW | TP_RA_OVERLAP | TP_RA_HELD);
	/* a segment spanning the hole and the held bytes, all different */
	assert_int_equal(add_s(&r, &m, ISN + 4, "DEFGHIJKLMNOP", &k),
			 TP_RA_NEW | TP_RA_OVERLAP | TP_RA_OVERLAP_DIFF);
	/* the first bytes won everywhere */
	rec_is(&rc, "abcDEFghijKLMNOP");
	/* delivered bytes are not kept: different ones can only be seen */
	assert_int_equal(add_s(&r, &m, ISN + 1, "xyz", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	rec_is(&rc, "abcDEFghijKLMNOP");
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

/* One segment covering several held ones with holes between them: the
 * holes are filled from it, the held bytes win, nothing is duplicated. */
static void test_reasm_overlap_many(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0);
	add_s(&r, &m, 2, "C", &k);
	add_s(&r, &m, 4, "E", &k);
	add_s(&r, &m, 6, "GH", &k);
	add_s(&r, &m, 12, "M", &k);
	assert_int_equal(r.held_bytes, 5);
	assert_int_equal(add_s(&r, &m, 1, "bcdefghijk", &k),
			 TP_RA_NEW | TP_RA_OVERLAP | TP_RA_OVERLAP_DIFF |
				 TP_RA_HELD);
	assert_int_equal(r.held_bytes, 11);
	assert_int_equal(rc.n, 0);
	assert_int_equal(add_s(&r, &m, 0, "a", &k), TP_RA_NEW);
	rec_is(&rc, "abCdEfGHijk");
	assert_int_equal(r.held_bytes, 1); /* "M" after the hole at 11 */
	tp_reasm_flush(&r, &m, &k);
	rec_is(&rc, "abCdEfGHijkM");
	assert_string_equal(rc.gaps, "11+1 ");
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

/* ---- gaps --------------------------------------------------------------- */

static void test_reasm_ack_gap(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	add_s(&r, &m, ISN + 1, "0123456789", &k);
	/* [10,20) lost; [20,25) and [30,35) held */
	add_s(&r, &m, ISN + 21, "KLMNO", &k);
	add_s(&r, &m, ISN + 31, "UVWXY", &k);
	/* ACKs at or before next change nothing */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 11, &k), 0);
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 5, &k), 0);
	assert_int_equal(rc.ngap, 0);
	/* ACK 22: gives up [10,20), delivers the held [20,25) */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 1 + 22, &k), TP_RA_GAP);
	assert_string_equal(rc.gaps, "10+10 ");
	rec_is(&rc, "0123456789KLMNO");
	assert_int_equal(r.next, 25);
	/* ACK 40: [25,30) gap, [30,35), then [35,40) gap too */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 1 + 40, &k), TP_RA_GAP);
	assert_string_equal(rc.gaps, "10+10 25+5 35+5 ");
	rec_is(&rc, "0123456789KLMNOUVWXY");
	assert_int_equal(r.next, 40);
	assert_int_equal(r.high, 40);
	assert_int_equal(r.ngaps, 3);
	assert_int_equal(r.gap_bytes, 20);
	/* the lost bytes come late: they were given up */
	assert_int_equal(add_s(&r, &m, ISN + 11, "ABCDEFGHIJ", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	/* data resumes after the gap */
	assert_int_equal(add_s(&r, &m, ISN + 41, "end", &k), TP_RA_NEW);
	rec_is(&rc, "0123456789KLMNOUVWXYend");
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

static void test_reasm_flush_gap(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	add_s(&r, &m, ISN + 1, "ab", &k);
	add_s(&r, &m, ISN + 1 + 5, "fg", &k);
	add_s(&r, &m, ISN + 1 + 7, "hi", &k); /* adjacent held */
	add_s(&r, &m, ISN + 1 + 100, "Z", &k);
	tp_reasm_flush(&r, &m, &k);
	assert_string_equal(rc.gaps, "2+3 9+91 ");
	rec_is(&rc, "abfghiZ");
	assert_int_equal(r.next, 101);
	assert_null(r.held);
	assert_int_equal(m.used, 0);
	/* flush again: nothing to do, no trailing gap invented */
	tp_reasm_flush(&r, &m, &k);
	assert_int_equal(rc.ngap, 2);
	rec_free(&rc);
}

static void test_reasm_ack_fin_and_absurd(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	/* no base yet: an ACK means nothing */
	assert_int_equal(tp_reasm_ack(&r, &m, 12345, &k), 0);
	tp_reasm_set_base(&r, ISN + 1);
	add_s(&r, &m, ISN + 1, "abc", &k);
	/* the ACK of a FIN right after the data: no gap */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 1 + 4, &k), 0);
	assert_int_equal(rc.ngap, 0);
	assert_int_equal(r.next, 3);
	/* absurdly far ahead: ignored */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 1 + 3 + (1u << 30) + 1, &k),
			 0);
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 1 + 0x7fff0000u, &k), 0);
	/* behind the base (the other side's first ACK of the SYN) */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN, &k), 0);
	assert_int_equal(rc.ngap, 0);
	/* lost data at the end, nothing held: gap up to the ACK */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 1 + 10, &k), TP_RA_GAP);
	assert_string_equal(rc.gaps, "3+7 ");
	assert_int_equal(r.high, 10);
	/* the largest window is still fine */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 1 + 10 + (1u << 30), &k),
			 TP_RA_GAP);
	assert_int_equal(r.next, 10 + (1ull << 30));
	rec_free(&rc);
}

/* tp_reasm_end: the FIN's sequence number proves the bytes before it,
 * even one lost byte, which an ACK one past the data cannot (it may be
 * the ACK of the FIN).  Held bytes before it are delivered between the
 * gaps; a FIN at or before the next byte, or absurdly far, does
 * nothing. */
static void test_reasm_end_fin(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	/* no base yet: nothing to prove */
	assert_int_equal(tp_reasm_end(&r, &m, ISN + 50, &k), 0);
	tp_reasm_set_base(&r, ISN);
	add_s(&r, &m, ISN, "abc", &k);
	/* one byte lost before the FIN: the ACK of "FIN + 1" looks like
	 * the ACK of a FIN right after "abc": no gap from it */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 4, &k), 0);
	assert_string_equal(rc.gaps, "");
	/* the FIN at 4 proves byte 3 */
	assert_int_equal(tp_reasm_end(&r, &m, ISN + 4, &k), TP_RA_GAP);
	assert_string_equal(rc.gaps, "3+1 ");
	/* again, or a FIN seen earlier: nothing */
	assert_int_equal(tp_reasm_end(&r, &m, ISN + 4, &k), 0);
	assert_int_equal(tp_reasm_end(&r, &m, ISN + 2, &k), 0);
	/* held bytes before the FIN: gaps around them, bytes delivered */
	add_s(&r, &m, ISN + 6, "gh", &k);
	assert_int_equal(tp_reasm_end(&r, &m, ISN + 10, &k), TP_RA_GAP);
	assert_string_equal(rc.gaps, "3+1 4+2 8+2 ");
	rec_is(&rc, "abcgh");
	assert_int_equal(r.next, 10);
	/* a FIN more than the largest window (2^30) ahead is absurd */
	assert_int_equal(tp_reasm_end(&r, &m, ISN + 11 + (1u << 30), &k), 0);
	assert_int_equal(r.next, 10);
	assert_null(r.held);
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

/* ---- where the stream starts -------------------------------------------- */

static void test_reasm_midstream(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	assert_int_equal(tp_reasm_offset(&r, 77), -1);
	/* a bare ACK or keep-alive sets no base */
	assert_int_equal(tp_reasm_add(&r, &m, 5000, (const uint8_t *)"", 0, &k),
			 0);
	assert_false(r.base_set);
	/* no SYN: the first segment's seq is offset 0, even out of order */
	assert_int_equal(add_s(&r, &m, 5010, "klm", &k), TP_RA_NEW);
	assert_true(r.base_set);
	assert_int_equal(r.base, 5010);
	assert_int_equal(tp_reasm_offset(&r, 5013), 3);
	add_s(&r, &m, 5013, "nop", &k);
	/* an earlier segment straddling the base: the part before is cut */
	assert_int_equal(add_s(&r, &m, 5005, "fghijklmnopq", &k),
			 TP_RA_BEFORE_BASE | TP_RA_NEW | TP_RA_OVERLAP);
	rec_is(&rc, "klmnopq");
	assert_int_equal(rc.ngap, 0);
	/* a SYN seen now cannot renumber the stream */
	tp_reasm_set_base(&r, 4000);
	assert_int_equal(r.base, 5010);
	rec_free(&rc);
}

static void test_reasm_syn_then_data(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0x12345678u + 1);
	/* a retransmitted SYN sets the same base again */
	tp_reasm_set_base(&r, 0x12345678u + 1);
	assert_int_equal(tp_reasm_offset(&r, 0x12345678u), -1); /* the SYN */
	assert_int_equal(tp_reasm_offset(&r, 0x12345679u), 0);
	assert_int_equal(tp_reasm_offset(&r, 0x12345679u + 100), 100);
	assert_int_equal(add_s(&r, &m, 0x12345679u, "GET / HTTP/1.1\r\n", &k),
			 TP_RA_NEW);
	rec_is(&rc, "GET / HTTP/1.1\r\n");
	assert_int_equal(tp_reasm_offset(&r, 0x12345679u + 16), 16);
	rec_free(&rc);
}

static void test_reasm_fast_open(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	/* SYN seq 0xfffffffe with data: base = seq + 1, data at seq + 1 */
	tp_reasm_set_base(&r, 0xffffffffu);
	assert_int_equal(add_s(&r, &m, 0xffffffffu, "syn-data", &k),
			 TP_RA_NEW);
	/* the SYN retransmitted with its data, then the next segment */
	assert_int_equal(add_s(&r, &m, 0xffffffffu, "syn-data", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	assert_int_equal(add_s(&r, &m, 7, "+more", &k), TP_RA_NEW);
	rec_is(&rc, "syn-data+more");
	assert_int_equal(rc.ngap, 0);
	rec_free(&rc);
}

static void test_reasm_before_base(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 100);
	assert_int_equal(add_s(&r, &m, 90, "0123456789", &k),
			 TP_RA_BEFORE_BASE);
	assert_int_equal(add_s(&r, &m, 99, "X", &k), TP_RA_BEFORE_BASE);
	assert_int_equal(rc.n, 0);
	assert_int_equal(r.next, 0);
	assert_int_equal(r.high, 0);
	assert_int_equal(add_s(&r, &m, 98, "XYab", &k),
			 TP_RA_BEFORE_BASE | TP_RA_NEW);
	rec_is(&rc, "ab");
	/* 2^31 from next (offset 2): behind, so before the base */
	assert_int_equal(add_s(&r, &m, 102 + 0x80000000u, "zz", &k),
			 TP_RA_BEFORE_BASE);
	rec_is(&rc, "ab");
	assert_true(tp_reasm_offset(&r, 102 + 0x80000000u) ==
		    2 - (int64_t)0x80000000);
	/* one less is ahead */
	assert_true(tp_reasm_offset(&r, 101 + 0x80000000u) ==
		    (int64_t)0x80000001);
	rec_free(&rc);
}

/* ---- 32-bit wraparound and 4 GiB ---------------------------------------- */

static void test_reasm_wraparound(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0xfffffffau);
	/* [0,4) "abcd" ends at seq 0xfffffffe; [4,10) crosses 0 */
	assert_int_equal(add_s(&r, &m, 0xfffffffeu, "efghij", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_s(&r, &m, 4, "klm", &k), TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(tp_reasm_offset(&r, 0), 6);
	assert_int_equal(tp_reasm_offset(&r, 0xfffffffau), 0);
	assert_int_equal(add_s(&r, &m, 0xfffffffau, "abcd", &k), TP_RA_NEW);
	rec_is(&rc, "abcdefghijklm");
	/* an ACK across the wrap */
	assert_int_equal(tp_reasm_ack(&r, &m, 20, &k), TP_RA_GAP);
	assert_string_equal(rc.gaps, "13+13 ");
	rec_free(&rc);
}

/* Advance a stream by `n` bytes of gap through ACKs (2^30 at a time). */
static void skip_by_acks(tp_reasm *r, tp_reasm_mem *m, uint64_t to,
			 const tp_reasm_sink *k)
{
	while (r->next < to) {
		uint64_t step = to - r->next;
		if (step > (1u << 30))
			step = 1u << 30;
		uint64_t a = r->next + step;
		assert_int_equal(tp_reasm_ack(r, m, r->base + (uint32_t)a, k),
				 TP_RA_GAP);
		assert_true(r->next == a);
	}
}

static void test_reasm_past_4gib(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	const uint64_t G4 = 1ull << 32;
	const uint32_t base = 0x80000000u;
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, base);
	add_s(&r, &m, base, "start", &k);
	skip_by_acks(&r, &m, G4 - 6, &k);
	assert_true(r.next == G4 - 6);
	/* out of order around offset 2^32: seq = base + offset (mod 2^32) */
	assert_int_equal(add_s(&r, &m, base + (uint32_t)(G4 + 2), "CDEF", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_true(tp_reasm_offset(&r, base + 2) == (int64_t)(G4 + 2));
	assert_int_equal(add_s(&r, &m, base - 3, "xyzAB", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_s(&r, &m, base - 6, "uvw", &k), TP_RA_NEW);
	assert_true(r.next == G4 + 6);
	assert_true(r.high == G4 + 6);
	/* a retransmission from before 2^32 is not mistaken for one after */
	assert_int_equal(add_s(&r, &m, base - 6, "uvw", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	/* keep going past 2 * 2^32 */
	skip_by_acks(&r, &m, 2 * G4 + 1, &k);
	assert_int_equal(add_s(&r, &m, base + 1, "!", &k), TP_RA_NEW);
	assert_true(r.next == 2 * G4 + 2);
	rec_is(&rc, "startuvwxyzABCDEF!");
	assert_int_equal(rc.ngap, 4 + 4);
	assert_true(r.gap_bytes == 2 * G4 + 1 - 5 - 12);
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

/* ---- keep-alives and window probes -------------------------------------- */

static void test_reasm_keepalive(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	add_s(&r, &m, ISN + 1, "data", &k);
	tp_reasm before = r;
	/* seq = next - 1, no payload */
	assert_int_equal(tp_reasm_add(&r, &m, ISN + 4, (const uint8_t *)"", 0,
				      &k),
			 0);
	/* seq = next - 1 with one garbage byte (BSD style) */
	assert_int_equal(add_s(&r, &m, ISN + 4, "\xff", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	assert_memory_equal(&r, &before, sizeof r);
	rec_is(&rc, "data");
	assert_int_equal(rc.ndata, 1);
	/* the other side ACKs next: nothing */
	assert_int_equal(tp_reasm_ack(&r, &m, ISN + 5, &k), 0);
	assert_memory_equal(&r, &before, sizeof r);
	rec_free(&rc);
}

static void test_reasm_zero_window_probe(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, ISN + 1);
	add_s(&r, &m, ISN + 1, "abc", &k);
	/* the probe: one byte at next; then it again with more when the
	 * window opens */
	assert_int_equal(add_s(&r, &m, ISN + 4, "d", &k), TP_RA_NEW);
	assert_int_equal(add_s(&r, &m, ISN + 4, "d", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	assert_int_equal(add_s(&r, &m, ISN + 4, "defgh", &k),
			 TP_RA_NEW | TP_RA_OVERLAP);
	rec_is(&rc, "abcdefgh");
	assert_int_equal(rc.ngap, 0);
	rec_free(&rc);
}

/* ---- caps --------------------------------------------------------------- */

static unsigned add_fill(tp_reasm *r, tp_reasm_mem *m, uint32_t seq, char c,
			 size_t n, const tp_reasm_sink *k)
{
	char seg[64];
	assert_true(n < sizeof seg);
	memset(seg, c, n);
	seg[n] = 0;
	unsigned f = add_s(r, m, seq, seg, k);
	assert_true(r->held_bytes <= r->dir_cap);
	return f;
}

static void test_reasm_dir_cap(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 25); /* 25 held bytes at most */
	tp_reasm_set_base(&r, 0);
	add_s(&r, &m, 0, "0123456789", &k);
	/* [10,20) and [40,50) lost */
	assert_int_equal(add_fill(&r, &m, 20, 'c', 10, &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_fill(&r, &m, 30, 'd', 10, &k),
			 TP_RA_NEW | TP_RA_HELD);
	/* 30 > 25: [10,20) given up, [20,40) delivered, then this held */
	assert_int_equal(add_fill(&r, &m, 50, 'f', 10, &k),
			 TP_RA_GAP | TP_RA_NEW | TP_RA_HELD);
	assert_string_equal(rc.gaps, "10+10 ");
	assert_int_equal(r.next, 40);
	assert_int_equal(add_fill(&r, &m, 60, 'g', 10, &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_fill(&r, &m, 80, 'i', 10, &k),
			 TP_RA_GAP | TP_RA_NEW | TP_RA_HELD);
	assert_string_equal(rc.gaps, "10+10 40+10 ");
	rec_is(&rc, "0123456789ccccccccccddddddddddffffffffffgggggggggg");
	assert_int_equal(r.held_bytes, 10);
	tp_reasm_flush(&r, &m, &k);
	assert_string_equal(rc.gaps, "10+10 40+10 70+10 ");
	assert_int_equal(r.next, 90);
	/* a piece that does not fit, in the hole in front of the held data:
	 * only [90,100) is given up, the piece and what follows delivered */
	add_fill(&r, &m, 110, 'k', 10, &k);
	add_fill(&r, &m, 120, 'l', 10, &k);
	assert_int_equal(add_fill(&r, &m, 100, 'j', 10, &k),
			 TP_RA_GAP | TP_RA_NEW);
	assert_string_equal(rc.gaps, "10+10 40+10 70+10 90+10 ");
	assert_int_equal(r.next, 130);
	assert_int_equal(r.held_bytes, 0);
	assert_int_equal(rc.n, 90);
	assert_memory_equal(rc.bytes + 50,
			    "iiiiiiiiiijjjjjjjjjjkkkkkkkkkkllllllllll", 40);
	/* larger than the cap with nothing held in front: dropped, and the
	 * ACK later announces it as a gap */
	assert_int_equal(add_fill(&r, &m, 140, 'n', 31, &k), TP_RA_DROPPED);
	assert_int_equal(rc.n, 90);
	assert_int_equal(r.high, 171);
	assert_int_equal(tp_reasm_ack(&r, &m, 171, &k), TP_RA_GAP);
	assert_string_equal(rc.gaps, "10+10 40+10 70+10 90+10 130+41 ");
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

/* With a cap of C bytes the held bytes never pass it, whatever the order. */
static void test_reasm_dir_cap_every_step(void **state)
{
	(void)state;
	static uint8_t msg[3000];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7 + i / 251);
	for (unsigned cap = 100; cap <= 1600; cap += 300) {
		tp_reasm r;
		tp_reasm_mem m = {0};
		struct rec rc;
		tp_reasm_sink k = rec_sink(&rc);
		rc.ref = msg;
		rc.reflen = sizeof msg;
		tp_reasm_init(&r, cap);
		tp_reasm_set_base(&r, 7);
		/* 100-byte segments, every other pair swapped, one lost */
		for (unsigned i = 0; i < 30; i++) {
			unsigned j = i ^ 1;
			if (j == 3)
				continue;
			tp_reasm_add(&r, &m, 7 + j * 100, msg + j * 100, 100,
				     &k);
			assert_true(r.held_bytes <= cap);
		}
		tp_reasm_flush(&r, &m, &k);
		/* everything but the lost one, which is a gap */
		assert_string_equal(rc.gaps, "300+100 ");
		assert_int_equal(rc.n, 2900);
		assert_int_equal(m.used, 0);
		rec_free(&rc);
	}
}

static void test_reasm_global_cap(void **state)
{
	(void)state;
	tp_reasm a, b;
	tp_reasm_mem m = {.cap = 3000};
	struct rec ra, rb;
	tp_reasm_sink ka = rec_sink(&ra), kb = rec_sink(&rb);
	static uint8_t blob[1000];
	memset(blob, 'x', sizeof blob);
	tp_reasm_init(&a, 0);
	tp_reasm_init(&b, 0);
	tp_reasm_set_base(&a, 0);
	tp_reasm_set_base(&b, 0);
	ra.mem = rb.mem = &m;
	/* a holds two 1000-byte segments: over 2000 with the headers */
	assert_int_equal(tp_reasm_add(&a, &m, 1000, blob, 1000, &ka),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(tp_reasm_add(&a, &m, 3000, blob, 1000, &ka),
			 TP_RA_NEW | TP_RA_HELD);
	size_t per = m.used / 2;
	assert_true(per > 1000 && per < 1200);
	/* b cannot hold a third one: nothing of its own to give up */
	assert_int_equal(tp_reasm_add(&b, &m, 500, blob, 1000, &kb),
			 TP_RA_DROPPED);
	assert_int_equal(b.held_bytes, 0);
	/* in order, b needs no memory */
	assert_int_equal(tp_reasm_add(&b, &m, 0, blob, 500, &kb), TP_RA_NEW);
	assert_int_equal(rb.n, 500);
	/* a's third one: a gives up [0,1000), delivers [1000,2000) */
	assert_int_equal(tp_reasm_add(&a, &m, 5000, blob, 1000, &ka),
			 TP_RA_GAP | TP_RA_NEW | TP_RA_HELD);
	assert_string_equal(ra.gaps, "0+1000 ");
	assert_int_equal(ra.n, 1000);
	assert_true(m.used <= m.cap);
	assert_true(m.peak <= m.cap);
	assert_int_equal(m.used, 2 * per);
	/* b now has room */
	assert_int_equal(tp_reasm_add(&b, &m, 1000, blob, 500, &kb),
			 TP_RA_NEW | TP_RA_HELD);
	assert_true(m.used <= m.cap);
	tp_reasm_free(&a, &m);
	tp_reasm_free(&b, &m);
	assert_int_equal(m.used, 0);
	assert_null(a.held);
	assert_int_equal(a.held_bytes, 0);
	assert_true(m.peak <= m.cap);
	rec_free(&ra);
	rec_free(&rb);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* work, not load */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Counts delivered and gap bytes (promise 1 checked). */
struct tally {
	uint64_t end, data, gap;
};

static void tally_data(void *ctx, uint64_t off, const uint8_t *b, size_t n)
{
	struct tally *t = ctx;
	(void)b;
	assert_true(off == t->end && n > 0);
	t->end += n;
	t->data += n;
}

static void tally_gap(void *ctx, uint64_t off, uint64_t n)
{
	struct tally *t = ctx;
	assert_true(off == t->end && n > 0);
	t->end += n;
	t->gap += n;
}

/* Memory a direction may hold with the default cap (reasm.c: four times
 * the byte cap), in range headers and buffers. */
#define DIR_MEM (4u * TP_REASM_DIR_CAP)

/* A flood of distinct 1-byte segments, none touching another: each is a
 * range of its own.  They are held until the direction's memory bound
 * (headers and bytes, far more than the 4096 segments once allowed);
 * then each new one gives the first hole up, and memory stays flat. */
static void test_reasm_segment_cap(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0);
	/* 1-byte segments at 2, 4, 6, ...: as many as fit in DIR_MEM */
	size_t fit = (DIR_MEM - sizeof(tp_rangeset)) / (sizeof(tp_range) + 1);
	assert_true(fit > 10 * 4096);
	for (unsigned i = 1; i <= fit; i++)
		assert_int_equal(add_s(&r, &m, 2 * i, "x", &k),
				 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(r.held_bytes, fit);
	size_t used = m.used;
	assert_int_equal(used, sizeof(tp_rangeset) +
				       fit * (sizeof(tp_range) + 1));
	assert_true(used <= DIR_MEM);
	/* one more: the first hole is given up to make room */
	assert_int_equal(add_s(&r, &m, 2 * (uint32_t)fit + 2, "x", &k),
			 TP_RA_GAP | TP_RA_NEW | TP_RA_HELD);
	assert_string_equal(rc.gaps, "0+2 ");
	rec_is(&rc, "x");
	assert_int_equal(r.held_bytes, fit);
	assert_int_equal(m.used, used);
	/* with a small global cap the same flood is refused past it: the
	 * refused bytes are dropped, reported, and become gaps */
	tp_reasm r2;
	tp_reasm_mem m2 = {.cap = 10000};
	struct tally rc2 = {0};
	tp_reasm_sink k2 = {tally_data, tally_gap, &rc2};
	tp_reasm_init(&r2, 0);
	tp_reasm_set_base(&r2, 0);
	unsigned dropped = 0, gaps = 0;
	for (unsigned i = 1; i <= 1000; i++) {
		unsigned f = add_s(&r2, &m2, 2 * i, "y", &k2);
		dropped += (f & TP_RA_DROPPED) != 0;
		gaps += (f & TP_RA_GAP) != 0;
		assert_true(m2.used <= m2.cap);
	}
	assert_true(gaps > 800); /* each later one gives a hole up */
	assert_int_equal(dropped, 0);
	assert_true(m2.peak <= m2.cap);
	tp_reasm_flush(&r2, &m2, &k2);
	assert_int_equal(rc2.data, 1000);
	assert_int_equal(rc2.gap, 1001);
	assert_int_equal(rc2.end, 2001);
	assert_int_equal(m2.used, 0);
	tp_reasm_free(&r, &m);
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

/* A flood of 1-byte segments, each landing in front of 2048 held later
 * ones (a sorted list would walk them all every time), and in random
 * order: bounded time and memory. */
static void test_reasm_segment_flood(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	tp_reasm_sink k = {0};
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0);
	double t0 = now_s();
	for (uint32_t i = 0; i < 2048; i++)
		tp_reasm_add(&r, &m, 10000000 + 2 * i, (const uint8_t *)"y", 1,
			     &k);
	size_t peak = 0;
	for (uint32_t i = 1; i <= 200000; i++) {
		tp_reasm_add(&r, &m, 2 * i, (const uint8_t *)"x", 1, &k);
		if (m.used > peak)
			peak = m.used;
	}
	uint64_t x = 12345;
	for (uint32_t i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		tp_reasm_add(&r, &m, 500000 + 2 * (uint32_t)(x % 1000000),
			     (const uint8_t *)"z", 1, &k);
		if (m.used > peak)
			peak = m.used;
	}
	double dt = now_s() - t0;
	assert_true(peak <= DIR_MEM);
	assert_true(dt < 2.0);
	print_message("flood: 402048 segments in %.3f s, peak %zu bytes\n", dt,
		      peak);
	tp_reasm_flush(&r, &m, &k);
	assert_null(r.held);
	assert_int_equal(m.used, 0);
}

/* ---- tiny pieces: coalesced, nothing lost -------------------------------- */

/* Feed the N-byte message msg as pieces of `piece` bytes at ord[i] *
 * step (each listed `rep` times in a row), with the default caps:
 * everything is delivered in order, no gap, and held memory stays within
 * twice the bytes plus one header per range.  Returns the most ranges
 * held at once. */
static size_t feed_pieces(const uint8_t *msg, size_t n, size_t piece,
			  size_t step, const uint32_t *ord, size_t nord,
			  unsigned rep, const char *what)
{
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	rc.ref = msg;
	rc.reflen = n;
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 5000);
	size_t most_ranges = 0;
	double t0 = now_s();
	for (size_t i = 0; i < nord; i++) {
		size_t off = (size_t)ord[i] * step;
		size_t len = off + piece <= n ? piece : n - off;
		for (unsigned j = 0; j < rep; j++) {
			unsigned f = tp_reasm_add(&r, &m, 5000 + (uint32_t)off,
						  msg + off, len, &k);
			assert_int_equal(f & (TP_RA_DROPPED | TP_RA_GAP |
					      TP_RA_OVERLAP_DIFF),
					 0);
		}
		if (r.held && r.held->n > most_ranges)
			most_ranges = r.held->n;
		/* buffers at most twice the bytes, plus the headers */
		assert_true(m.used <= 2 * r.held_bytes +
					      (r.held ? r.held->n : 0) *
						      sizeof(tp_range) +
					      sizeof(tp_rangeset));
	}
	double dt = now_s() - t0;
	assert_int_equal(rc.ngap, 0);
	assert_string_equal(rc.gaps, "");
	assert_int_equal(rc.n, n);
	assert_memory_equal(rc.bytes, msg, n);
	assert_int_equal(r.next, n);
	assert_null(r.held);
	assert_int_equal(m.used, 0);
	assert_true(dt < 2.0);
	print_message("%s: %zu bytes in %zu pieces: %.3f s, peak %zu bytes, "
		      "at most %zu ranges\n",
		      what, n, nord * rep, dt, m.peak, most_ranges);
	rec_free(&rc);
	return most_ranges;
}

static uint8_t *make_msg(size_t n)
{
	uint8_t *msg = malloc(n);
	assert_non_null(msg);
	for (size_t i = 0; i < n; i++)
		msg[i] = (uint8_t)(i * 131 + (i >> 9));
	return msg;
}

/* a[0..n) = 0..n-1 shuffled (xorshift, seed x). */
static void shuffled(uint32_t *a, size_t n, uint64_t x)
{
	for (size_t i = 0; i < n; i++)
		a[i] = (uint32_t)i;
	for (size_t i = n - 1; i > 0; i--) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t j = (size_t)(x % (i + 1));
		uint32_t t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* Tiny pieces in hostile orders, none of them lossy.  First the issue's
 * stream: 200,000 bytes as 1-byte segments, last first; it was held as
 * 4096 segments and lost 195,903 bytes, now one range grows at its front
 * and all of it is delivered, no gap.  Then random orders, alternating
 * around the middle (the range grows at both ends in turn), bit-reversed
 * (ranges of equal size joined at every level), every piece three times,
 * and overlapping 3-byte pieces sliding by one byte. */
static void test_reasm_tiny_pieces(void **state)
{
	(void)state;
	const size_t n = 200000;
	uint8_t *msg = make_msg(n);
	uint32_t *ord = malloc(n * sizeof *ord);
	assert_non_null(ord);
	for (size_t i = 0; i < n; i++)
		ord[i] = (uint32_t)(n - 1 - i);
	assert_int_equal(feed_pieces(msg, n, 1, 1, ord, n, 1, "reverse"), 1);
	/* random order of 16-byte pieces */
	size_t np = n / 16;
	shuffled(ord, np, 99);
	feed_pieces(msg, n, 16, 16, ord, np, 1, "random 16");
	/* random order of 1-byte pieces (up to N/4 ranges at once) */
	shuffled(ord, 20000, 7);
	feed_pieces(msg, 20000, 1, 1, ord, 20000, 1, "random 1");
	/* alternating: n/2, n/2 - 1, n/2 + 1, ..., 1, n - 1, then 0 */
	size_t k = 0, mid = n / 2;
	ord[k++] = (uint32_t)mid;
	for (size_t d = 1; d < mid; d++) {
		ord[k++] = (uint32_t)(mid - d);
		ord[k++] = (uint32_t)(mid + d);
	}
	ord[k++] = 0;
	assert_int_equal(k, n);
	assert_int_equal(
		feed_pieces(msg, n, 1, 1, ord, n, 1, "alternating"), 1);
	/* bit-reversed order of 2^14 8-byte pieces, piece 0 last (half of
	 * them apart at first: 1-byte pieces would need a header each) */
	const size_t nb = 1u << 14;
	k = 0;
	for (uint32_t i = 1; i < nb; i++) {
		uint32_t v = 0;
		for (unsigned b = 0; b < 14; b++)
			v |= ((i >> b) & 1u) << (13 - b);
		ord[k++] = v;
	}
	ord[k++] = 0;
	assert_int_equal(feed_pieces(msg, nb * 8, 8, 8, ord, nb, 1,
				     "bit-reversed"),
			 nb / 2 - 1);
	/* reverse again, each piece three times */
	for (size_t i = 0; i < n; i++)
		ord[i] = (uint32_t)(n - 1 - i);
	assert_int_equal(feed_pieces(msg, n, 1, 1, ord, n, 3, "reverse x3"),
			 1);
	/* overlapping: 3-byte pieces at every offset, last first */
	for (size_t i = 0; i < n - 2; i++)
		ord[i] = (uint32_t)(n - 3 - i);
	assert_int_equal(feed_pieces(msg, n, 3, 1, ord, n - 2, 1,
				     "overlapping"),
			 1);
	free(ord);
	free(msg);
}

/* Memory short: a held range growing one byte at a time near the global
 * cap never regrows without slack once past 4 KiB (that would copy the
 * whole range for every byte: quadratic); when the slack does not fit,
 * the hole in front is given up instead.  Linear time, cap kept. */
static void test_reasm_tight_memory_linear(void **state)
{
	(void)state;
	const size_t n = 1200000;
	uint8_t *msg = make_msg(n + 1);
	tp_reasm r;
	tp_reasm_mem m = {.cap = 1500000};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	rc.ref = msg;
	rc.reflen = n + 1;
	rc.mem = &m;
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0);
	double t0 = now_s();
	/* byte 0 never comes: bytes 1.. are held behind it */
	for (size_t i = 1; i <= n; i++) {
		unsigned f = tp_reasm_add(&r, &m, (uint32_t)i, msg + i, 1, &k);
		assert_int_equal(f & TP_RA_DROPPED, 0);
		assert_true(m.used <= m.cap);
	}
	tp_reasm_flush(&r, &m, &k);
	double dt = now_s() - t0;
	assert_string_equal(rc.gaps, "0+1 ");
	assert_int_equal(rc.n, n);
	assert_true(m.peak <= m.cap);
	assert_true(m.peak > m.cap / 2);
	assert_int_equal(m.used, 0);
	assert_true(dt < 1.0);
	print_message("tight: %zu one-byte pieces in %.3f s, peak %zu\n", n,
		      dt, m.peak);
	rec_free(&rc);
	free(msg);
}

/* First data wins inside a coalesced range too: a later copy that
 * differs is reported and the held bytes kept, wherever it lands. */
static void test_reasm_coalesced_overlap(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0);
	/* "bcdefgh" held as one range built from 1-byte pieces */
	const char *s = "abcdefgh";
	for (int i = 7; i >= 1; i--)
		assert_int_equal(tp_reasm_add(&r, &m, (uint32_t)i,
					      (const uint8_t *)s + i, 1, &k),
				 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(r.held->n, 1);
	/* across the joins: same bytes: a duplicate */
	assert_int_equal(add_s(&r, &m, 2, "cdef", &k),
			 TP_RA_DUP | TP_RA_OVERLAP);
	/* differing, and with new bytes after: reported, held ones kept */
	assert_int_equal(add_s(&r, &m, 5, "XYZij", &k),
			 TP_RA_NEW | TP_RA_HELD | TP_RA_OVERLAP |
				 TP_RA_OVERLAP_DIFF);
	assert_int_equal(r.held->n, 1);
	assert_int_equal(r.held_bytes, 9);
	/* a piece joining two ranges: [12,14) held, then [10,12) */
	add_s(&r, &m, 12, "mn", &k);
	assert_int_equal(r.held->n, 2);
	assert_int_equal(add_s(&r, &m, 10, "kl", &k), TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(r.held->n, 1);
	assert_int_equal(add_s(&r, &m, 0, "a", &k), TP_RA_NEW);
	rec_is(&rc, "abcdefghijklmn");
	assert_int_equal(m.used, 0);
	assert_null(r.held);
	rec_free(&rc);
}

/* Random segments (overlapping, duplicated, reordered, some lost) of a
 * known message with random ACKs and small caps: the data delivered is
 * always the message at its offset, the caps are never passed, and at
 * the end every byte was delivered or announced as a gap. */
static void test_reasm_random(void **state)
{
	(void)state;
	static uint8_t msg[4000];
	uint64_t x = 0x9e3779b97f4a7c15ull;
#define RND() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)RND();
	for (unsigned round = 0; round < 300; round++) {
		tp_reasm r;
		tp_reasm_mem m = {.cap = 500 + (size_t)(RND() % 4000)};
		struct rec rc;
		tp_reasm_sink k = rec_sink(&rc);
		uint32_t isn = (uint32_t)RND();
		rc.ref = msg;
		rc.reflen = sizeof msg;
		rc.mem = &m;
		tp_reasm_init(&r, 100 + (size_t)(RND() % 3000));
		tp_reasm_set_base(&r, isn);
		uint64_t top = 0;
		for (unsigned i = 0; i < 200; i++) {
			unsigned op = (unsigned)(RND() % 16);
			if (op == 0 && top > 0) {
				uint64_t a = RND() % (top + 1);
				tp_reasm_ack(&r, &m, isn + (uint32_t)a, &k);
			} else {
				size_t off = (size_t)(RND() % sizeof msg);
				size_t len = 1 + (size_t)(RND() % 300);
				if (off + len > sizeof msg)
					len = sizeof msg - off;
				tp_reasm_add(&r, &m, isn + (uint32_t)off,
					     msg + off, len, &k);
				if (off + len > top)
					top = off + len;
			}
			assert_true(m.used <= m.cap);
			assert_true(r.held_bytes <= r.dir_cap);
			assert_true(r.next <= r.high);
		}
		tp_reasm_flush(&r, &m, &k);
		assert_true(rc.end == r.next);
		assert_true(r.next + 0 <= top);
		assert_true(rc.n + r.gap_bytes == r.next);
		assert_int_equal(m.used, 0);
		assert_true(m.peak <= m.cap);
		rec_free(&rc);
	}
#undef RND
}

/* Hostile sequence numbers: a jump of almost 2^31, huge lengths. */
static void test_reasm_hostile(void **state)
{
	(void)state;
	tp_reasm r;
	tp_reasm_mem m = {0};
	struct rec rc;
	tp_reasm_sink k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0);
	add_s(&r, &m, 0, "ab", &k);
	/* the farthest forward a segment can land */
	assert_int_equal(add_s(&r, &m, 0x80000001u, "far", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_true(r.high == 0x80000001ull + 3);
	/* 2^31 behind high from there: it is now behind */
	assert_true(tp_reasm_offset(&r, 3) == 3);
	add_s(&r, &m, 2, "cd", &k);
	tp_reasm_flush(&r, &m, &k);
	rec_is(&rc, "abcdfar");
	assert_string_equal(rc.gaps, "4+2147483645 ");
	/* no sink at all: counted, nothing called */
	assert_int_equal(add_s(&r, &m, 0x80000001u + 10, "zz", NULL),
			 TP_RA_NEW | TP_RA_HELD);
	tp_reasm_flush(&r, &m, NULL);
	assert_int_equal(r.ngaps, 2);
	assert_int_equal(m.used, 0);
	/* NULL data with a length: nothing */
	assert_int_equal(tp_reasm_add(&r, &m, 5, NULL, 10, &k), 0);
	rec_free(&rc);

	/* a bogus segment almost 2^31 ahead does not renumber the real
	 * stream, which goes on at next */
	k = rec_sink(&rc);
	tp_reasm_init(&r, 0);
	tp_reasm_set_base(&r, 0xfffffff0u);
	add_s(&r, &m, 0xfffffff0u, "abc", &k);
	assert_int_equal(add_s(&r, &m, 0xfffffff0u + 0x7ffffff0u, "BOGUS", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_true(r.high == 0x7ffffff0ull + 5);
	assert_int_equal(add_s(&r, &m, 0xfffffff3u, "def", &k), TP_RA_NEW);
	assert_int_equal(add_s(&r, &m, 0xfffffff0u + 7, "hi", &k),
			 TP_RA_NEW | TP_RA_HELD);
	assert_int_equal(add_s(&r, &m, 0xfffffff0u + 6, "gh", &k),
			 TP_RA_NEW | TP_RA_OVERLAP);
	rec_is(&rc, "abcdefghi");
	assert_true(tp_reasm_offset(&r, 0xfffffff0u + 9) == 9);
	tp_reasm_free(&r, &m);
	assert_int_equal(m.used, 0);
	rec_free(&rc);
}

/* ---- PDUs --------------------------------------------------------------- */

/* The toy protocol: 2-byte big-endian length, then that many bytes. */
struct toy {
	char log[4096];
	size_t len;
	unsigned pdus, calls;
	bool one_per_call;
	bool lie; /* consume one byte more than shown */
	bool give_up_at_bad; /* return false on a body starting with '!' */
};

static bool toy_fn(void *ctx, const uint8_t *b, size_t n, size_t *consumed,
		   size_t *needed)
{
	struct toy *t = ctx;
	size_t off = 0;
	t->calls++;
	*needed = 0;
	while (n - off >= 2) {
		size_t body = (size_t)b[off] << 8 | b[off + 1];
		if (n - off < 2 + body) {
			*needed = 2 + body;
			break;
		}
		if (t->give_up_at_bad && body > 0 && b[off + 2] == '!')
			return false;
		assert_true(t->len + body + 2 < sizeof t->log);
		t->log[t->len++] = '[';
		memcpy(t->log + t->len, b + off + 2, body);
		t->len += body;
		t->log[t->len++] = ']';
		t->log[t->len] = 0;
		t->pdus++;
		off += 2 + body;
		if (t->one_per_call)
			break;
	}
	*consumed = t->lie ? n + 1 : off;
	return true;
}

static size_t pdu(uint8_t *out, const char *body)
{
	size_t n = strlen(body);
	out[0] = (uint8_t)(n >> 8);
	out[1] = (uint8_t)n;
	memcpy(out + 2, body, n);
	return n + 2;
}

static size_t three_pdus(uint8_t *b)
{
	size_t n = 0;
	n += pdu(b + n, "first");
	n += pdu(b + n, "");
	n += pdu(b + n, "the third PDU");
	return n;
}

/* tp_pdubuf.at: where in the stream (bytes fed and gaps) the bytes shown
 * to fn start, however the stream is cut (the stream layer numbers PDUs
 * with it). */
struct atlog {
	const tp_pdubuf *b;
	uint64_t starts[8];
	unsigned n;
};

static bool at_fn(void *ctx, const uint8_t *b, size_t n, size_t *consumed,
		  size_t *needed)
{
	struct atlog *l = ctx;
	size_t off = 0;
	*needed = 0;
	while (n - off >= 2) {
		size_t len = 2 + ((size_t)b[off] << 8 | b[off + 1]);
		if (n - off < len) {
			*needed = len;
			break;
		}
		assert_true(l->n < 8);
		l->starts[l->n++] = l->b->at + off;
		off += len;
	}
	*consumed = off;
	return true;
}

static void test_reasm_pdubuf_at(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t n = three_pdus(msg); /* PDUs at 0, 7 and 9 */
	for (size_t i = 0; i <= n; i++) {
		for (size_t j = i; j <= n; j++) {
			tp_pdubuf b;
			tp_reasm_mem m = {0};
			struct atlog l = {.b = &b};
			tp_pdubuf_init(&b, 0);
			tp_pdubuf_feed(&b, &m, msg, i, at_fn, &l);
			tp_pdubuf_feed(&b, &m, msg + i, j - i, at_fn, &l);
			tp_pdubuf_feed(&b, &m, msg + j, n - j, at_fn, &l);
			assert_int_equal(l.n, 3);
			assert_int_equal(l.starts[0], 0);
			assert_int_equal(l.starts[1], 7);
			assert_int_equal(l.starts[2], 9);
			assert_int_equal(b.total, n);
			/* a gap, then the PDUs again: counted after it */
			tp_pdubuf_gap(&b, &m, 100);
			tp_pdubuf_feed(&b, &m, msg, i, at_fn, &l);
			tp_pdubuf_feed(&b, &m, msg + i, n - i, at_fn, &l);
			assert_int_equal(l.n, 6);
			assert_int_equal(l.starts[3], n + 100);
			assert_int_equal(l.starts[5], n + 100 + 9);
			assert_int_equal(b.total, 2 * n + 100);
			tp_pdubuf_free(&b, &m);
			assert_int_equal(m.used, 0);
		}
	}
}

static void test_reasm_pdubuf_splits(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t n = three_pdus(msg);
	const char *want = "[first][][the third PDU]";
	for (int opc = 0; opc < 2; opc++) {
		/* every pair of split points (one split when i == j) */
		for (size_t i = 0; i <= n; i++) {
			for (size_t j = i; j <= n; j++) {
				tp_pdubuf b;
				tp_reasm_mem m = {0};
				struct toy t = {.one_per_call = opc};
				tp_pdubuf_init(&b, 0);
				tp_pdubuf_feed(&b, &m, msg, i, toy_fn, &t);
				tp_pdubuf_feed(&b, &m, msg + i, j - i, toy_fn,
					       &t);
				tp_pdubuf_feed(&b, &m, msg + j, n - j, toy_fn,
					       &t);
				assert_string_equal(t.log, want);
				assert_int_equal(t.pdus, 3);
				assert_int_equal(b.len, 0);
				assert_false(b.skipping);
				assert_int_equal(m.used, 0);
				tp_pdubuf_free(&b, &m);
			}
		}
		/* one byte at a time */
		tp_pdubuf b;
		tp_reasm_mem m = {0};
		struct toy t = {.one_per_call = opc};
		tp_pdubuf_init(&b, 0);
		size_t most = 0;
		for (size_t i = 0; i < n; i++) {
			tp_pdubuf_feed(&b, &m, msg + i, 1, toy_fn, &t);
			if (m.used > most)
				most = m.used;
			assert_true(b.len < 16);
		}
		assert_string_equal(t.log, want);
		assert_int_equal(m.used, 0);
		assert_true(m.peak > 0 && m.peak <= 256);
		tp_pdubuf_free(&b, &m);
	}
}

/* The byte stream delivered by the reassembler, in any order, into a
 * pdubuf: the PDUs come out the same. */
struct chain {
	tp_pdubuf pb;
	tp_reasm_mem *m;
	struct toy t;
};

static void chain_data(void *ctx, uint64_t off, const uint8_t *b, size_t n)
{
	struct chain *c = ctx;
	(void)off;
	tp_pdubuf_feed(&c->pb, c->m, b, n, toy_fn, &c->t);
}

static void chain_gap(void *ctx, uint64_t off, uint64_t n)
{
	struct chain *c = ctx;
	(void)off;
	tp_pdubuf_gap(&c->pb, c->m, n);
}

static void test_reasm_pdubuf_from_reasm(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t n = three_pdus(msg);
	static const struct span sp[] = {{0, 3}, {3, 6}, {9, 7}, {16, 8}};
	unsigned p[4] = {0, 1, 2, 3};
	do {
		tp_reasm r;
		tp_reasm_mem m = {0};
		struct chain c = {.m = &m};
		tp_reasm_sink k = {chain_data, chain_gap, &c};
		tp_pdubuf_init(&c.pb, 0);
		tp_reasm_init(&r, 0);
		tp_reasm_set_base(&r, 42);
		for (unsigned i = 0; i < 4; i++)
			tp_reasm_add(&r, &m, 42 + sp[p[i]].off,
				     msg + sp[p[i]].off, sp[p[i]].len, &k);
		assert_int_equal(r.next, n);
		assert_string_equal(c.t.log, "[first][][the third PDU]");
		assert_int_equal(m.used, 0);
		tp_pdubuf_free(&c.pb, &m);
	} while (next_perm(p, 4));
}

static void test_reasm_pdubuf_too_big(void **state)
{
	(void)state;
	uint8_t msg[256];
	size_t n = 0;
	char big[100];
	memset(big, 'B', sizeof big - 1);
	big[sizeof big - 1] = 0;
	n += pdu(msg + n, "ok");
	n += pdu(msg + n, big); /* 101 bytes > max 16 */
	n += pdu(msg + n, "next");
	n += pdu(msg + n, "last");
	/* whole, in two pieces at every point, and byte by byte */
	for (size_t i = 0; i <= n + 1; i++) {
		tp_pdubuf b;
		tp_reasm_mem m = {0};
		struct toy t = {0};
		tp_pdubuf_init(&b, 16);
		if (i <= n) {
			tp_pdubuf_feed(&b, &m, msg, i, toy_fn, &t);
			tp_pdubuf_feed(&b, &m, msg + i, n - i, toy_fn, &t);
		} else {
			for (size_t j = 0; j < n; j++) {
				tp_pdubuf_feed(&b, &m, msg + j, 1, toy_fn, &t);
				assert_true(b.len <= 16);
				assert_true(m.used <= 16);
			}
		}
		assert_string_equal(t.log, "[ok][next][last]");
		assert_false(b.skipping);
		assert_int_equal(b.len, 0);
		assert_int_equal(m.used, 0);
		assert_true(m.peak <= 16);
		tp_pdubuf_free(&b, &m);
	}
}

/* A length the dissector cannot tell (it needs more, size unknown) and
 * more than max: the rest of the stream is passed over. */
static bool line_fn(void *ctx, const uint8_t *b, size_t n, size_t *consumed,
		    size_t *needed)
{
	struct toy *t = ctx;
	size_t off = 0;
	t->calls++;
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '\n') {
			t->pdus++;
			off = i + 1;
		}
	}
	*consumed = off;
	*needed = 0;
	return true;
}

static void test_reasm_pdubuf_unknown_size(void **state)
{
	(void)state;
	const char *s = "one\ntwo\nthis line is far too long\nfour\n";
	tp_pdubuf b;
	tp_reasm_mem m = {0};
	struct toy t = {0};
	tp_pdubuf_init(&b, 10);
	for (size_t i = 0; s[i]; i++)
		tp_pdubuf_feed(&b, &m, (const uint8_t *)s + i, 1, line_fn, &t);
	assert_int_equal(t.pdus, 2);
	assert_true(b.skipping);
	assert_true(b.skip == UINT64_MAX);
	assert_int_equal(m.used, 0);
	unsigned calls = t.calls;
	tp_pdubuf_feed(&b, &m, (const uint8_t *)"x\n", 2, line_fn, &t);
	assert_int_equal(t.calls, calls); /* passed over */
	/* a gap does not revive a stream given up */
	tp_pdubuf_gap(&b, &m, 5);
	assert_true(b.skipping);
	tp_pdubuf_free(&b, &m);
}

static void test_reasm_pdubuf_gap(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t n = 0;
	n += pdu(msg + n, "alpha");
	size_t cut = n + 4; /* inside the second PDU */
	n += pdu(msg + n, "beta-beta");
	n += pdu(msg + n, "gamma");
	tp_pdubuf b;
	tp_reasm_mem m = {0};
	struct toy t = {0};
	tp_pdubuf_init(&b, 0);
	tp_pdubuf_feed(&b, &m, msg, cut, toy_fn, &t);
	assert_int_equal(b.len, 4);
	assert_true(m.used > 0);
	/* the rest of "beta-beta" is lost: the tail is dropped */
	tp_pdubuf_gap(&b, &m, 7);
	assert_int_equal(b.len, 0);
	assert_int_equal(m.used, 0);
	assert_false(b.skipping);
	/* the dissector starts again at the next byte: the next PDU */
	tp_pdubuf_feed(&b, &m, msg + cut + 7, n - cut - 7, toy_fn, &t);
	assert_string_equal(t.log, "[alpha][gamma]");
	assert_int_equal(m.used, 0);

	/* a gap inside a PDU being passed over counts against it */
	tp_pdubuf_init(&b, 8);
	t = (struct toy){0};
	n = 0;
	n += pdu(msg + n, "0123456789abcdef"); /* 18 > 8 */
	n += pdu(msg + n, "ok");
	tp_pdubuf_feed(&b, &m, msg, 4, toy_fn, &t);
	assert_true(b.skipping);
	assert_true(b.skip == 14);
	tp_pdubuf_gap(&b, &m, 10);
	assert_true(b.skip == 4);
	tp_pdubuf_feed(&b, &m, msg + 14, n - 14, toy_fn, &t);
	assert_string_equal(t.log, "[ok]");
	/* a gap past the end of the PDU being passed over: start again */
	tp_pdubuf_feed(&b, &m, msg, 4, toy_fn, &t);
	tp_pdubuf_gap(&b, &m, 20);
	assert_false(b.skipping);
	assert_true(b.skip == 0);
	tp_pdubuf_feed(&b, &m, msg + 18, 4, toy_fn, &t);
	assert_string_equal(t.log, "[ok][ok]");
	tp_pdubuf_free(&b, &m);
	assert_int_equal(m.used, 0);
}

static void test_reasm_pdubuf_give_up(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t n = 0;
	n += pdu(msg + n, "fine");
	n += pdu(msg + n, "!bad");
	n += pdu(msg + n, "after");
	tp_pdubuf b;
	tp_reasm_mem m = {0};
	struct toy t = {.give_up_at_bad = true};
	tp_pdubuf_init(&b, 0);
	tp_pdubuf_feed(&b, &m, msg, n - 3, toy_fn, &t);
	assert_string_equal(t.log, "[fine]");
	assert_true(b.skipping && b.skip == UINT64_MAX);
	unsigned calls = t.calls;
	tp_pdubuf_feed(&b, &m, msg + n - 3, 3, toy_fn, &t);
	assert_int_equal(t.calls, calls);
	assert_int_equal(m.used, 0);
	tp_pdubuf_free(&b, &m);

	/* a dissector consuming more than it was shown: given up too */
	t = (struct toy){.lie = true};
	tp_pdubuf_init(&b, 0);
	tp_pdubuf_feed(&b, &m, msg, 3, toy_fn, &t);
	assert_true(b.skipping && b.skip == UINT64_MAX);
	assert_int_equal(b.len, 0);
	assert_int_equal(t.calls, 1);
	tp_pdubuf_feed(&b, &m, msg + 3, 3, toy_fn, &t);
	assert_int_equal(t.calls, 1);
	assert_int_equal(m.used, 0);
	tp_pdubuf_free(&b, &m);
}

/* The memory cap refuses the tail: the PDU is passed over, the rest is
 * dissected. */
static void test_reasm_pdubuf_mem_cap(void **state)
{
	(void)state;
	uint8_t msg[600];
	char body[300];
	size_t n = 0;
	memset(body, 'q', sizeof body - 1);
	body[sizeof body - 1] = 0;
	n += pdu(msg + n, body); /* 301 bytes */
	n += pdu(msg + n, "small");
	tp_pdubuf b;
	tp_reasm_mem m = {.cap = 100, .used = 0};
	struct toy t = {0};
	tp_pdubuf_init(&b, 0);
	for (size_t i = 0; i < n; i += 50) {
		size_t k = n - i < 50 ? n - i : 50;
		tp_pdubuf_feed(&b, &m, msg + i, k, toy_fn, &t);
		assert_true(m.used <= 100);
	}
	assert_string_equal(t.log, "[small]");
	assert_int_equal(m.used, 0);
	assert_true(m.peak <= 100);
	tp_pdubuf_free(&b, &m);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_reasm_in_order),
		cmocka_unit_test(test_reasm_reversed),
		cmocka_unit_test(test_reasm_permutations),
		cmocka_unit_test(test_reasm_retransmit_same),
		cmocka_unit_test(test_reasm_retransmit_diff),
		cmocka_unit_test(test_reasm_overlap_many),
		cmocka_unit_test(test_reasm_ack_gap),
		cmocka_unit_test(test_reasm_flush_gap),
		cmocka_unit_test(test_reasm_ack_fin_and_absurd),
		cmocka_unit_test(test_reasm_end_fin),
		cmocka_unit_test(test_reasm_midstream),
		cmocka_unit_test(test_reasm_syn_then_data),
		cmocka_unit_test(test_reasm_fast_open),
		cmocka_unit_test(test_reasm_before_base),
		cmocka_unit_test(test_reasm_wraparound),
		cmocka_unit_test(test_reasm_past_4gib),
		cmocka_unit_test(test_reasm_keepalive),
		cmocka_unit_test(test_reasm_zero_window_probe),
		cmocka_unit_test(test_reasm_dir_cap),
		cmocka_unit_test(test_reasm_dir_cap_every_step),
		cmocka_unit_test(test_reasm_global_cap),
		cmocka_unit_test(test_reasm_segment_cap),
		cmocka_unit_test(test_reasm_tiny_pieces),
		cmocka_unit_test(test_reasm_tight_memory_linear),
		cmocka_unit_test(test_reasm_coalesced_overlap),
		cmocka_unit_test(test_reasm_segment_flood),
		cmocka_unit_test(test_reasm_random),
		cmocka_unit_test(test_reasm_hostile),
		cmocka_unit_test(test_reasm_pdubuf_splits),
		cmocka_unit_test(test_reasm_pdubuf_at),
		cmocka_unit_test(test_reasm_pdubuf_from_reasm),
		cmocka_unit_test(test_reasm_pdubuf_too_big),
		cmocka_unit_test(test_reasm_pdubuf_unknown_size),
		cmocka_unit_test(test_reasm_pdubuf_gap),
		cmocka_unit_test(test_reasm_pdubuf_give_up),
		cmocka_unit_test(test_reasm_pdubuf_mem_cap),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
