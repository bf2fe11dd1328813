/* test_ipfrag.c - the IPv4/IPv6 fragment table (ipfrag.h): orders,
 * duplicates, overlaps, impossible extents, timeout, caps, floods. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "tapir/ipfrag.h"

/* A datagram payload whose every byte says where it is. */
static uint8_t pat(uint32_t i) { return (uint8_t)(i * 7 + (i >> 8) + 1); }

static uint8_t payload[65536];

static int setup(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < sizeof payload; i++)
		payload[i] = pat(i);
	return 0;
}

static tp_fragkey key4(uint32_t id)
{
	tp_fragkey k;
	memset(&k, 0, sizeof k);
	k.family = 4;
	k.proto = 17;
	k.id = id;
	const uint8_t s[4] = {10, 0, 0, 1}, d[4] = {10, 0, 0, 2};
	memcpy(k.src, s, 4);
	memcpy(k.dst, d, 4);
	return k;
}

static tp_fragkey key6(uint32_t id)
{
	tp_fragkey k;
	memset(&k, 0, sizeof k);
	k.family = 6;
	k.id = id;
	k.src[0] = k.dst[0] = 0xfd;
	k.src[15] = 1;
	k.dst[15] = 2;
	return k;
}

/* Add payload[off, off + n) as frame `frame` at time 0. */
static unsigned add(tp_fragtab *t, const tp_fragkey *k, uint32_t off,
		    size_t n, bool more, uint64_t frame, tp_fragdone *out)
{
	return tp_frag_add(t, k, off, more, 17, payload + off, n, frame, 0,
			   out);
}

static size_t used(const tp_fragtab *t)
{
	size_t b;
	tp_fragtab_usage(t, &b, NULL, NULL);
	return b;
}

static unsigned dgrams(const tp_fragtab *t)
{
	unsigned d;
	tp_fragtab_usage(t, NULL, &d, NULL);
	return d;
}

static void assert_done(const tp_fragdone *d, size_t len)
{
	assert_non_null(d->data);
	assert_int_equal(d->len, len);
	assert_memory_equal(d->data, payload, len);
}

static void test_ipfrag_in_order(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	assert_non_null(t);
	tp_fragkey k = key4(1);
	tp_fragdone d;
	assert_int_equal(add(t, &k, 0, 1480, true, 1, &d), TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 1);
	assert_true(used(t) >= 1480);
	assert_int_equal(add(t, &k, 1480, 1480, true, 2, &d), TP_FRAG_HELD);
	assert_true(used(t) >= 2960);
	assert_int_equal(add(t, &k, 2960, 48, false, 3, &d), TP_FRAG_DONE);
	assert_done(&d, 3008);
	assert_int_equal(d.proto, 17);
	assert_int_equal(d.nframes, 3);
	assert_int_equal(d.frames[0], 1);
	assert_int_equal(d.frames[1], 2);
	assert_int_equal(d.frames[2], 3);
	/* the datagram is gone, its memory with it; the peak stays */
	assert_int_equal(dgrams(t), 0);
	assert_int_equal(used(t), 0);
	size_t peak;
	tp_fragtab_usage(t, NULL, NULL, &peak);
	assert_true(peak >= 3008);
	tp_fragtab_free(t);
}

static void test_ipfrag_reverse(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(2);
	tp_fragdone d;
	assert_int_equal(add(t, &k, 2960, 48, false, 1, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 1480, 1480, true, 2, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 0, 1480, true, 3, &d), TP_FRAG_DONE);
	assert_done(&d, 3008);
	/* frames in offset order, not arrival order */
	assert_int_equal(d.nframes, 3);
	assert_int_equal(d.frames[0], 3);
	assert_int_equal(d.frames[1], 2);
	assert_int_equal(d.frames[2], 1);
	assert_int_equal(used(t), 0);
	tp_fragtab_free(t);
}

/* Every order of 4 fragments of unequal sizes (the last one short). */
static void test_ipfrag_permutations(void **state)
{
	(void)state;
	static const uint32_t off[4] = {0, 8, 1000, 2000};
	static const size_t len[4] = {8, 992, 1000, 3};
	int perm[4] = {0, 1, 2, 3};
	unsigned count = 0;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	for (;;) {
		tp_fragkey k = key6(100 + count);
		tp_fragdone d;
		for (int i = 0; i < 4; i++) {
			int f = perm[i];
			unsigned r = add(t, &k, off[f], len[f], f != 3,
					 (uint64_t)f + 1, &d);
			assert_int_equal(r,
					 i == 3 ? TP_FRAG_DONE : TP_FRAG_HELD);
		}
		assert_done(&d, 2003);
		assert_int_equal(d.nframes, 4);
		for (unsigned i = 0; i < 4; i++)
			assert_int_equal(d.frames[i], i + 1);
		assert_int_equal(used(t), 0);
		count++;
		/* next permutation (lexicographic) */
		int i = 2;
		while (i >= 0 && perm[i] > perm[i + 1])
			i--;
		if (i < 0)
			break;
		int j = 3;
		while (perm[j] < perm[i])
			j--;
		int x = perm[i];
		perm[i] = perm[j];
		perm[j] = x;
		for (int a = i + 1, b = 3; a < b; a++, b--) {
			x = perm[a];
			perm[a] = perm[b];
			perm[b] = x;
		}
	}
	assert_int_equal(count, 24);
	tp_fragtab_free(t);
}

static void test_ipfrag_duplicates(void **state)
{
	(void)state;
	for (int fam = 4; fam <= 6; fam += 2) {
		tp_fragtab *t = tp_fragtab_new(0, 0, 0);
		tp_fragkey k = fam == 4 ? key4(3) : key6(3);
		tp_fragdone d;
		assert_int_equal(add(t, &k, 0, 1000, true, 1, &d),
				 TP_FRAG_HELD);
		size_t before = used(t);
		/* the same fragment again: nothing new, its bytes not kept */
		assert_int_equal(add(t, &k, 0, 1000, true, 2, &d),
				 TP_FRAG_HELD | TP_FRAG_DUP | TP_FRAG_OVERLAP);
		assert_true(used(t) > before);
		assert_true(used(t) < before + 1000);
		assert_int_equal(add(t, &k, 1000, 24, false, 3, &d),
				 TP_FRAG_DONE);
		assert_done(&d, 1024);
		/* both copies are listed, in offset (then arrival) order */
		assert_int_equal(d.nframes, 3);
		assert_int_equal(d.frames[0], 1);
		assert_int_equal(d.frames[1], 2);
		assert_int_equal(d.frames[2], 3);
		/* a duplicate last fragment after completion starts over */
		assert_int_equal(add(t, &k, 1000, 24, false, 4, &d),
				 TP_FRAG_HELD);
		assert_int_equal(dgrams(t), 1);
		tp_fragtab_free(t);
	}
}

/* A duplicate can complete a datagram: the tail's bytes were held, its
 * end was not known. */
static void test_ipfrag_duplicate_completes(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(4);
	tp_fragdone d;
	assert_int_equal(add(t, &k, 0, 16, true, 1, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 16, 16, true, 2, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 16, 16, false, 3, &d),
			 TP_FRAG_DONE | TP_FRAG_DUP | TP_FRAG_OVERLAP);
	assert_done(&d, 32);
	assert_int_equal(d.nframes, 3);
	tp_fragtab_free(t);
}

static void test_ipfrag_ipv4_overlap_same(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(5);
	tp_fragdone d;
	assert_int_equal(add(t, &k, 0, 64, true, 1, &d), TP_FRAG_HELD);
	/* [32, 96): half held, same bytes */
	assert_int_equal(add(t, &k, 32, 64, true, 2, &d),
			 TP_FRAG_HELD | TP_FRAG_OVERLAP);
	/* [8, 24): inside held bytes: a duplicate */
	assert_int_equal(add(t, &k, 8, 16, true, 3, &d),
			 TP_FRAG_HELD | TP_FRAG_OVERLAP | TP_FRAG_DUP);
	assert_int_equal(add(t, &k, 96, 4, false, 4, &d), TP_FRAG_DONE);
	assert_done(&d, 100);
	assert_int_equal(d.nframes, 4);
	assert_int_equal(d.frames[0], 1);
	assert_int_equal(d.frames[1], 3);
	assert_int_equal(d.frames[2], 2);
	assert_int_equal(d.frames[3], 4);
	tp_fragtab_free(t);
}

static void test_ipfrag_ipv4_overlap_diff_first_wins(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(6);
	tp_fragdone d;
	uint8_t evil[64];
	memset(evil, 0xee, sizeof evil);
	/* [16, 48) first, then [0, 64) of other bytes: the held middle
	 * wins, the new ends are taken */
	assert_int_equal(add(t, &k, 16, 32, true, 1, &d), TP_FRAG_HELD);
	assert_int_equal(tp_frag_add(t, &k, 0, true, 17, evil, 64, 2, 0, &d),
			 TP_FRAG_HELD | TP_FRAG_OVERLAP |
				 TP_FRAG_OVERLAP_DIFF);
	/* a third copy of other bytes over everything: a duplicate whose
	 * bytes differ from the held ones, which stay */
	uint8_t other[64];
	memset(other, 0x11, sizeof other);
	assert_int_equal(tp_frag_add(t, &k, 0, true, 17, other, 64, 3, 0, &d),
			 TP_FRAG_HELD | TP_FRAG_OVERLAP | TP_FRAG_DUP |
				 TP_FRAG_OVERLAP_DIFF);
	assert_int_equal(add(t, &k, 64, 8, false, 4, &d), TP_FRAG_DONE);
	assert_int_equal(d.len, 72);
	uint8_t want[72];
	memset(want, 0xee, 64);
	memcpy(want + 16, payload + 16, 32);
	memcpy(want + 64, payload + 64, 8);
	assert_memory_equal(d.data, want, 72);
	tp_fragtab_free(t);
}

static void test_ipfrag_ipv6_overlap_discards(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key6(7);
	tp_fragdone d;
	assert_int_equal(add(t, &k, 0, 64, true, 1, &d), TP_FRAG_HELD);
	/* same bytes, but not an exact duplicate: RFC 5722 discards */
	assert_int_equal(add(t, &k, 32, 64, true, 2, &d),
			 TP_FRAG_OVERLAP | TP_FRAG_DISCARDED);
	assert_int_equal(dgrams(t), 0);
	assert_int_equal(used(t), 0);
	/* what comes next starts a new datagram, which never completes
	 * from the tail alone */
	assert_int_equal(add(t, &k, 96, 8, false, 3, &d), TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 1);

	/* an exact-extent copy with other bytes is an overlap too */
	tp_fragkey k2 = key6(8);
	uint8_t other[64];
	memset(other, 0x42, sizeof other);
	assert_int_equal(add(t, &k2, 0, 64, true, 1, &d), TP_FRAG_HELD);
	assert_int_equal(tp_frag_add(t, &k2, 0, true, 0, other, 64, 2, 0, &d),
			 TP_FRAG_OVERLAP | TP_FRAG_OVERLAP_DIFF |
				 TP_FRAG_DISCARDED);
	/* the same overlap in IPv4 is kept */
	tp_fragkey k4 = key4(8);
	assert_int_equal(add(t, &k4, 0, 64, true, 1, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k4, 32, 64, true, 2, &d),
			 TP_FRAG_HELD | TP_FRAG_OVERLAP);
	tp_fragtab_free(t);
}

static void test_ipfrag_end_past_65535(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(9);
	tp_fragdone d;
	uint8_t b[16] = {0};
	/* alone: refused, nothing created */
	assert_int_equal(tp_frag_add(t, &k, 65528, false, 17, b, 8, 1, 0, &d),
			 TP_FRAG_BAD);
	assert_int_equal(dgrams(t), 0);
	/* ending exactly at 65535 is fine */
	assert_int_equal(tp_frag_add(t, &k, 65520, false, 17, b, 15, 1, 0, &d),
			 TP_FRAG_HELD);
	/* past it, with a datagram in progress: discarded */
	assert_int_equal(tp_frag_add(t, &k, 65528, true, 17, b, 16, 2, 0, &d),
			 TP_FRAG_BAD | TP_FRAG_DISCARDED);
	assert_int_equal(dgrams(t), 0);
	assert_int_equal(used(t), 0);
	/* offsets that would wrap 32 bits */
	assert_int_equal(tp_frag_add(t, &k, UINT32_MAX - 3, true, 17, b, 8, 3,
				     0, &d),
			 TP_FRAG_BAD);
	assert_int_equal(tp_frag_add(t, &k, 0, true, 17, b, SIZE_MAX, 3, 0,
				     &d),
			 TP_FRAG_BAD);
	/* an empty fragment that is not the last one */
	assert_int_equal(tp_frag_add(t, &k, 8, true, 17, b, 0, 4, 0, &d),
			 TP_FRAG_BAD);
	assert_int_equal(dgrams(t), 0);
	tp_fragtab_free(t);
}

static void test_ipfrag_conflicting_tails(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(10);
	tp_fragdone d;
	/* two last fragments that disagree */
	assert_int_equal(add(t, &k, 1000, 100, false, 1, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 1000, 200, false, 2, &d),
			 TP_FRAG_BAD | TP_FRAG_DISCARDED);
	assert_int_equal(dgrams(t), 0);
	/* data past the known total */
	assert_int_equal(add(t, &k, 1000, 100, false, 3, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 1096, 8, true, 4, &d),
			 TP_FRAG_BAD | TP_FRAG_DISCARDED);
	assert_int_equal(dgrams(t), 0);
	/* a last fragment that ends before held data */
	assert_int_equal(add(t, &k, 1000, 100, true, 5, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 500, 100, false, 6, &d),
			 TP_FRAG_BAD | TP_FRAG_DISCARDED);
	assert_int_equal(dgrams(t), 0);
	assert_int_equal(used(t), 0);
	/* the same tail twice is a duplicate, not a conflict */
	assert_int_equal(add(t, &k, 8, 8, false, 7, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &k, 8, 8, false, 8, &d),
			 TP_FRAG_HELD | TP_FRAG_DUP | TP_FRAG_OVERLAP);
	assert_int_equal(add(t, &k, 0, 8, true, 9, &d), TP_FRAG_DONE);
	assert_done(&d, 16);
	tp_fragtab_free(t);
}

static void test_ipfrag_timeout(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 30);
	tp_fragkey a = key4(11), b = key4(12);
	tp_fragdone d;
	assert_int_equal(tp_frag_add(t, &a, 0, true, 17, payload, 8, 1, 1000,
				     &d),
			 TP_FRAG_HELD);
	assert_int_equal(tp_frag_add(t, &b, 0, true, 17, payload, 8, 2, 1010,
				     &d),
			 TP_FRAG_HELD);
	/* 30 s after a's first fragment: still within the timeout */
	assert_int_equal(tp_frag_add(t, &b, 8, true, 17, payload + 8, 8, 3,
				     1030, &d),
			 TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 2);
	/* 31 s: a is dropped, its tail starts over and stays alone */
	assert_int_equal(tp_frag_add(t, &a, 8, false, 17, payload + 8, 8, 4,
				     1031, &d),
			 TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 2);
	/* b (first seen at 1010) completes at 1040 */
	assert_int_equal(tp_frag_add(t, &b, 16, false, 17, payload + 16, 8, 5,
				     1040, &d),
			 TP_FRAG_DONE);
	assert_done(&d, 24);
	/* time far ahead drops everything; far behind drops nothing */
	assert_int_equal(tp_frag_add(t, &b, 0, true, 17, payload, 8, 6,
				     INT64_MIN, &d),
			 TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 2);
	assert_int_equal(tp_frag_add(t, &b, 800, true, 17, payload, 8, 7,
				     INT64_MAX, &d),
			 TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 1);
	tp_fragtab_free(t);
}

static void test_ipfrag_max_dgrams_cap(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 4, 0);
	tp_fragdone d;
	for (uint32_t id = 0; id < 4; id++) {
		tp_fragkey k = key4(100 + id);
		assert_int_equal(add(t, &k, 0, 8, true, id, &d),
				 TP_FRAG_HELD);
	}
	assert_int_equal(dgrams(t), 4);
	/* a fifth datagram drops the oldest (id 100) */
	tp_fragkey k5 = key4(104);
	assert_int_equal(add(t, &k5, 0, 8, true, 5, &d),
			 TP_FRAG_HELD | TP_FRAG_CAPPED);
	assert_int_equal(dgrams(t), 4);
	/* a fragment of a datagram in progress makes no room */
	tp_fragkey k2 = key4(102);
	assert_int_equal(add(t, &k2, 8, 8, false, 6, &d), TP_FRAG_DONE);
	assert_int_equal(dgrams(t), 3);
	/* id 100 lost its head: its tail does not complete it (and its
	 * new record drops nothing: there is room again) */
	tp_fragkey k0 = key4(100);
	assert_int_equal(add(t, &k0, 8, 8, false, 7, &d), TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 4);
	/* id 101 is the oldest now */
	tp_fragkey k6 = key4(105);
	assert_int_equal(add(t, &k6, 0, 8, true, 8, &d),
			 TP_FRAG_HELD | TP_FRAG_CAPPED);
	tp_fragkey k1 = key4(101);
	assert_int_equal(add(t, &k1, 8, 8, false, 9, &d) & TP_FRAG_DONE, 0);
	tp_fragtab_free(t);
}

static void test_ipfrag_mem_cap(void **state)
{
	(void)state;
	const size_t cap = 64 * 1024;
	tp_fragtab *t = tp_fragtab_new(cap, 0, 0);
	tp_fragdone d;
	unsigned capped = 0;
	for (uint32_t id = 0; id < 200; id++) {
		tp_fragkey k = key4(id);
		unsigned r = add(t, &k, 0, 1480, true, id, &d);
		assert_true(r & TP_FRAG_HELD);
		capped += (r & TP_FRAG_CAPPED) != 0;
		assert_true(used(t) <= cap);
	}
	/* about 43 datagrams of 1480 bytes fit in 64 KiB */
	assert_true(capped > 150);
	assert_true(dgrams(t) >= 30 && dgrams(t) <= 44);
	size_t peak;
	tp_fragtab_usage(t, NULL, NULL, &peak);
	assert_true(peak <= cap);
	/* the newest ones are there, the oldest not */
	tp_fragkey last = key4(199), first = key4(0);
	assert_int_equal(add(t, &last, 1480, 20, false, 1000, &d),
			 TP_FRAG_DONE);
	assert_done(&d, 1500);
	assert_int_equal(add(t, &first, 1480, 20, false, 1001, &d) &
				 TP_FRAG_DONE,
			 0);
	/* a fragment bigger than the whole cap is refused, and takes its
	 * datagram with it */
	tp_fragtab *small = tp_fragtab_new(1000, 0, 0);
	tp_fragkey k = key4(1);
	assert_int_equal(add(small, &k, 0, 8, true, 1, &d), TP_FRAG_HELD);
	unsigned r = add(small, &k, 8, 1480, true, 2, &d);
	assert_true(r & TP_FRAG_DISCARDED);
	assert_true(r & TP_FRAG_CAPPED);
	assert_int_equal(dgrams(small), 0);
	assert_int_equal(used(small), 0);
	tp_fragtab_free(small);
	tp_fragtab_free(t);
}

/* A datagram in progress is itself kept when others can make room. */
static void test_ipfrag_mem_cap_keeps_current(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(8000, 0, 0);
	tp_fragkey a = key4(1), b = key4(2);
	tp_fragdone d;
	assert_int_equal(add(t, &a, 0, 2000, true, 1, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &b, 0, 2000, true, 2, &d), TP_FRAG_HELD);
	/* a is the oldest but is being added to: b goes */
	assert_int_equal(add(t, &a, 2000, 2000, true, 3, &d),
			 TP_FRAG_HELD);
	assert_int_equal(add(t, &a, 4000, 2000, true, 4, &d),
			 TP_FRAG_HELD | TP_FRAG_CAPPED);
	assert_int_equal(dgrams(t), 1);
	assert_true(used(t) <= 8000);
	assert_int_equal(add(t, &a, 6000, 100, false, 5, &d), TP_FRAG_DONE);
	assert_done(&d, 6100);
	tp_fragtab_free(t);
}

/* Each fragment seen costs a 16-byte record. */
#define REC 16u

/* The per-datagram bound is in bytes: a flood of duplicates of one
 * fragment is discarded when its records pass TP_FRAG_DGRAM_MEM (tens of
 * thousands of them, not 256), and its memory goes with it. */
static void test_ipfrag_per_dgram_cap(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(13);
	tp_fragdone d;
	assert_int_equal(add(t, &k, 8, 8, true, 0, &d), TP_FRAG_HELD);
	unsigned i = 1, r;
	size_t most = 0;
	while ((r = add(t, &k, 8, 8, true, i, &d)) ==
	       (TP_FRAG_HELD | TP_FRAG_DUP | TP_FRAG_OVERLAP)) {
		assert_true(used(t) <= TP_FRAG_DGRAM_MEM);
		if (used(t) > most)
			most = used(t);
		i++;
	}
	assert_int_equal(r, TP_FRAG_DISCARDED | TP_FRAG_CAPPED |
				    TP_FRAG_DUP | TP_FRAG_OVERLAP);
	/* the record array doubles: it stopped at the last doubling that
	 * fit, at least a quarter of the bound */
	assert_true(i >= TP_FRAG_DGRAM_MEM / REC / 4);
	assert_true(i <= TP_FRAG_DGRAM_MEM / REC);
	assert_true(most <= TP_FRAG_DGRAM_MEM);
	assert_int_equal(dgrams(t), 0);
	assert_int_equal(used(t), 0);
	/* the largest datagram in the smallest fragments completes: 8191
	 * fragments of 8 bytes and a 7-byte tail, last first, each sent
	 * twice; IPv6 too, whose fragments keep a header each */
	for (int fam = 4; fam <= 6; fam += 2) {
		tp_fragkey kk = fam == 4 ? key4(14) : key6(14);
		for (uint32_t j = 8192; j-- > 0;) {
			uint32_t len = j == 8191 ? 7 : 8;
			if (j)
				assert_int_equal(add(t, &kk, j * 8, len,
						     j < 8191, 100 + j, &d),
						 TP_FRAG_HELD);
			assert_int_equal(add(t, &kk, j * 8, len, j < 8191,
					     100 + j, &d),
					 j ? TP_FRAG_HELD | TP_FRAG_DUP |
						     TP_FRAG_OVERLAP
					   : TP_FRAG_DONE);
			assert_true(used(t) <= TP_FRAG_DGRAM_MEM);
		}
		assert_done(&d, 65535);
		assert_int_equal(d.nframes, 2 * 8191 + 1);
		assert_int_equal(d.frames[0], 100);
		for (uint32_t j = 1; j < 8192; j++) {
			assert_int_equal(d.frames[2 * j - 1], 100 + j);
			assert_int_equal(d.frames[2 * j], 100 + j);
		}
		assert_int_equal(used(t), 0);
	}
	tp_fragtab_free(t);
}

/* Shuffle a[0..n) (xorshift, fixed seed). */
static void shuffle(uint32_t *a, size_t n, uint64_t x)
{
	for (size_t i = n - 1; i > 0; i--) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t j = (size_t)(x % (i + 1));
		uint32_t v = a[i];
		a[i] = a[j];
		a[j] = v;
	}
}

/* The IPv4 datagram: 64,000 bytes of UDP payload in 8,000
 * fragments of 8 bytes, in random order, with 400 of them sent twice
 * (right after a random earlier one).  It was never reassembled (256
 * fragments at most); now it is, whole and byte for byte, every frame
 * listed in offset order, in time and memory linear in its size. */
static void test_ipfrag_8000_fragments_v4(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key4(4242);
	tp_fragdone d;
	enum { N = 8000, DUPS = 400 };
	uint32_t ord[N], dup_of[N];
	for (uint32_t i = 0; i < N; i++)
		ord[i] = i;
	shuffle(ord, N, 7);
	/* fragment ord[i] for i % 20 == 0 is followed by a copy */
	memset(dup_of, 0, sizeof dup_of);
	unsigned sent = 0, dups = 0;
	uint64_t frame = 1, frame_of[N][2];
	clock_t t0 = clock();
	size_t most = 0;
	for (uint32_t i = 0; i < N; i++) {
		uint32_t j = ord[i];
		bool last = j == N - 1;
		unsigned copies = (i % 20 == 0) ? 2 : 1;
		for (unsigned c = 0; c < copies; c++) {
			unsigned r = add(t, &k, j * 8, 8, !last, frame, &d);
			frame_of[j][c] = frame++;
			sent++;
			if (c)
				dups++;
			if (i == N - 1) {
				assert_int_equal(r, TP_FRAG_DONE);
			} else if (c) {
				assert_int_equal(r, TP_FRAG_HELD |
							    TP_FRAG_DUP |
							    TP_FRAG_OVERLAP);
			} else {
				assert_int_equal(r, TP_FRAG_HELD);
			}
			if (used(t) > most)
				most = used(t);
		}
		dup_of[j] = copies;
	}
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(dups, DUPS);
	assert_done(&d, N * 8);
	assert_int_equal(d.nframes, N + DUPS);
	/* offset order, then arrival */
	unsigned at = 0;
	for (uint32_t j = 0; j < N; j++)
		for (unsigned c = 0; c < dup_of[j]; c++)
			assert_int_equal(d.frames[at++], frame_of[j][c]);
	/* linear: a few bytes per byte and a record per fragment */
	assert_true(most <= 4 * N * 8 + (N + DUPS) * 2 * REC + 4096);
	assert_true(secs < 1.0);
	assert_int_equal(used(t), 0);
	assert_int_equal(dgrams(t), 0);
	print_message("v4: %u fragments in %.3f s, peak %zu bytes\n", sent,
		      secs, most);
	tp_fragtab_free(t);
}

/* The IPv6 datagram: 32,000 bytes in 4,000 fragments of 8
 * bytes, last first. */
static void test_ipfrag_4000_fragments_v6(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key6(0x6000);
	tp_fragdone d;
	enum { N = 4000 };
	clock_t t0 = clock();
	size_t most = 0;
	for (uint32_t j = N; j-- > 0;) {
		unsigned r = add(t, &k, j * 8, 8, j != N - 1, 10 + j, &d);
		assert_int_equal(r, j ? TP_FRAG_HELD : TP_FRAG_DONE);
		if (used(t) > most)
			most = used(t);
	}
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_done(&d, N * 8);
	assert_int_equal(d.nframes, N);
	for (uint32_t j = 0; j < N; j++)
		assert_int_equal(d.frames[j], 10 + j);
	/* IPv6 keeps each fragment's extent: a header per fragment */
	assert_true(most <= N * (8 + 2 * REC + 128) + 4096);
	assert_true(secs < 1.0);
	assert_int_equal(used(t), 0);
	/* and an exact duplicate among them is still taken, an overlap that
	 * is not one still discards it (RFC 5722) */
	for (uint32_t j = N; j-- > 1;)
		add(t, &k, j * 8, 8, j != N - 1, j, &d);
	assert_int_equal(add(t, &k, 800, 8, true, 1, &d),
			 TP_FRAG_HELD | TP_FRAG_DUP | TP_FRAG_OVERLAP);
	assert_int_equal(add(t, &k, 804, 8, true, 1, &d),
			 TP_FRAG_OVERLAP | TP_FRAG_DISCARDED);
	assert_int_equal(dgrams(t), 0);
	assert_int_equal(used(t), 0);
	print_message("v6: %u fragments in %.3f s, peak %zu bytes\n", N, secs,
		      most);
	tp_fragtab_free(t);
}

/* Everything in the key separates datagrams. */
static void test_ipfrag_key_fields(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragdone d;
	tp_fragkey base = key4(14);
	tp_fragkey v[7];
	for (int i = 0; i < 7; i++)
		v[i] = base;
	v[1].proto = 6;
	v[2].vlan[0] = 10;
	v[3].vlan[1] = 20;
	v[4].id = 15;
	v[5].src[3] = 9;
	v[6].dst[3] = 9;
	for (int i = 0; i < 7; i++)
		assert_int_equal(add(t, &v[i], 0, 8, true, (uint64_t)i, &d),
				 TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 7);
	/* IPv4 and IPv6 with the same bytes are two datagrams */
	tp_fragkey six = base;
	six.family = 6;
	assert_int_equal(add(t, &six, 0, 8, true, 8, &d), TP_FRAG_HELD);
	assert_int_equal(dgrams(t), 8);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(add(t, &v[i], 8, 8, false, 10, &d),
				 TP_FRAG_DONE);
		assert_int_equal(d.frames[0], (uint64_t)i);
	}
	assert_int_equal(dgrams(t), 1);
	tp_fragtab_free(t);
}

/* IPv6: the next header is the first fragment's, whatever the others
 * say. */
static void test_ipfrag_proto_of_first(void **state)
{
	(void)state;
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	tp_fragkey k = key6(16);
	tp_fragdone d;
	assert_int_equal(tp_frag_add(t, &k, 8, false, 99, payload + 8, 8, 1, 0,
				     &d),
			 TP_FRAG_HELD);
	assert_int_equal(tp_frag_add(t, &k, 0, true, 58, payload, 8, 2, 0, &d),
			 TP_FRAG_DONE);
	assert_int_equal(d.proto, 58);
	tp_fragtab_free(t);
}

static void test_ipfrag_hostile_args(void **state)
{
	(void)state;
	tp_fragkey k = key4(17);
	tp_fragdone d;
	assert_int_equal(tp_frag_add(NULL, &k, 0, true, 17, payload, 8, 1, 0,
				     &d),
			 TP_FRAG_BAD);
	tp_fragtab *t = tp_fragtab_new(0, 0, 0);
	assert_int_equal(tp_frag_add(t, NULL, 0, true, 17, payload, 8, 1, 0,
				     &d),
			 TP_FRAG_BAD);
	assert_int_equal(tp_frag_add(t, &k, 0, true, 17, NULL, 8, 1, 0, &d),
			 TP_FRAG_BAD);
	/* no output wanted: still reassembled and freed */
	assert_int_equal(tp_frag_add(t, &k, 0, false, 17, payload, 8, 1, 0,
				     NULL),
			 TP_FRAG_DONE);
	/* padding bytes of the caller's key do not matter */
	tp_fragkey a, b;
	memset(&a, 0xaa, sizeof a);
	memset(&b, 0x55, sizeof b);
	tp_fragkey c = key4(18);
	a.family = b.family = c.family;
	a.proto = b.proto = c.proto;
	memcpy(a.vlan, c.vlan, sizeof c.vlan);
	memcpy(b.vlan, c.vlan, sizeof c.vlan);
	a.id = b.id = c.id;
	memcpy(a.src, c.src, 16);
	memcpy(b.src, c.src, 16);
	memcpy(a.dst, c.dst, 16);
	memcpy(b.dst, c.dst, 16);
	assert_int_equal(add(t, &a, 0, 8, true, 1, &d), TP_FRAG_HELD);
	assert_int_equal(add(t, &b, 8, 8, false, 2, &d), TP_FRAG_DONE);
	size_t bytes, peak;
	unsigned n;
	tp_fragtab_usage(NULL, &bytes, &n, &peak);
	assert_int_equal(bytes + n + peak, 0);
	tp_fragtab_free(t);
	tp_fragtab_free(NULL);
}

/* The flood: 100 000 fragments that never complete, each of a
 * new datagram or adding to one, stay under both caps and take linear
 * time. */
static void test_ipfrag_flood_never_completed(void **state)
{
	(void)state;
	const size_t cap = 4u << 20;
	tp_fragtab *t = tp_fragtab_new(cap, 1024, 0);
	tp_fragdone d;
	uint32_t rnd = 12345;
	clock_t t0 = clock();
	size_t peak_seen = 0;
	for (uint32_t i = 0; i < 100000; i++) {
		rnd = rnd * 1103515245u + 12345u;
		tp_fragkey k = (rnd >> 16) & 1 ? key4(rnd) : key6(rnd);
		k.src[1] = (uint8_t)(i >> 8);
		/* never offset 0: nothing can complete */
		uint32_t off = 8 + ((rnd >> 8) % 40) * 8;
		unsigned r = tp_frag_add(t, &k, off, true, 17, payload, 1480,
					 i, (int64_t)i / 1000, &d);
		assert_true(r & TP_FRAG_HELD);
		size_t b;
		unsigned n;
		tp_fragtab_usage(t, &b, &n, NULL);
		assert_true(b <= cap);
		assert_true(n <= 1024);
		if (b > peak_seen)
			peak_seen = b;
	}
	/* the same key over and over: one datagram, per-datagram cap */
	tp_fragkey one = key4(0xdead);
	unsigned discarded = 0;
	for (uint32_t i = 0; i < 100000; i++) {
		unsigned r = tp_frag_add(t, &one, 8 + (i % 7000) * 8, true, 17,
					 payload, 8, i, 100, &d);
		discarded += (r & TP_FRAG_DISCARDED) != 0;
		assert_true(used(t) <= cap);
	}
	assert_true(discarded >= 100000 / (TP_FRAG_DGRAM_MEM / REC + 1));
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 10.0);
	size_t peak;
	tp_fragtab_usage(t, NULL, NULL, &peak);
	assert_true(peak <= cap);
	assert_true(peak >= peak_seen);
	tp_fragtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipfrag_in_order),
		cmocka_unit_test(test_ipfrag_reverse),
		cmocka_unit_test(test_ipfrag_permutations),
		cmocka_unit_test(test_ipfrag_duplicates),
		cmocka_unit_test(test_ipfrag_duplicate_completes),
		cmocka_unit_test(test_ipfrag_ipv4_overlap_same),
		cmocka_unit_test(test_ipfrag_ipv4_overlap_diff_first_wins),
		cmocka_unit_test(test_ipfrag_ipv6_overlap_discards),
		cmocka_unit_test(test_ipfrag_end_past_65535),
		cmocka_unit_test(test_ipfrag_conflicting_tails),
		cmocka_unit_test(test_ipfrag_timeout),
		cmocka_unit_test(test_ipfrag_max_dgrams_cap),
		cmocka_unit_test(test_ipfrag_mem_cap),
		cmocka_unit_test(test_ipfrag_mem_cap_keeps_current),
		cmocka_unit_test(test_ipfrag_per_dgram_cap),
		cmocka_unit_test(test_ipfrag_8000_fragments_v4),
		cmocka_unit_test(test_ipfrag_4000_fragments_v6),
		cmocka_unit_test(test_ipfrag_key_fields),
		cmocka_unit_test(test_ipfrag_proto_of_first),
		cmocka_unit_test(test_ipfrag_hostile_args),
		cmocka_unit_test(test_ipfrag_flood_never_completed),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
