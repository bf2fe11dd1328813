/* flow.c - the flow table, stream numbers and the dissection session.
 *
 * See flow.h for the promises.  The table is a chained hash of flow
 * records with a power-of-two bucket array that doubles while the load
 * passes 1 (up to the flow cap).  Buckets are chosen by SipHash-2-4
 * (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) of the
 * canonical key under a key drawn from getrandom(2) at start-up, so the
 * bucket of a flow cannot be predicted from outside (Suricata and the
 * Linux kernel do the same for their flow tables).
 *
 * Two lists thread the records:
 *  - the LRU list, most recently seen first: at the flow cap the tail is
 *    evicted (its streams flushed to the taps first);
 *  - the holding list: flows whose reassembler holds out-of-order bytes,
 *    most recently seen first.  A flow at its tail idle for longer than
 *    the idle timeout (capture time), or any flow there while the shared
 *    reassembly memory is nearly full, gives its holes up as gaps and its
 *    bytes to the taps: memory comes back without losing the record.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "tapir/flow.h"
#include "tapir/ipfrag.h"
#include "tapir/record.h"
#include "tapir/stream.h"
#include "tapir/tcpstate.h"

typedef struct tp_flowtab {
	tp_flow **buckets;
	size_t nbuckets; /* power of two */
	size_t count;
	tp_flow *lru_head, *lru_tail;
	uint64_t uses; /* lookups so far: the flows' `use` clock */
	tp_flow *hold_head, *hold_tail;
	uint64_t k0, k1; /* SipHash key */
	/* flow memory (flow_alloc): per size class a free list, and the
	 * chunks it is cut from */
	void *freelist[2];
	char *bump[2], *bump_end[2]; /* the rest of the newest chunk */
	void **chunks;
	size_t nchunks, chunkcap;
} tp_flowtab;

/* Holding-list links live beside the flow record, keyed by pointer: kept
 * in the tcp state to keep tp_flow small for UDP. */
typedef struct holdlink {
	tp_flow *prev, *next;
	bool on;
} holdlink;

/* ---- SipHash-2-4 ------------------------------------------------------ */

static inline uint64_t rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = rotl(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = rotl(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = rotl(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = rotl(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = rotl(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = rotl(v2, 32);                                             \
	} while (0)

static inline uint64_t le64(const uint8_t *p)
{
	uint64_t v; /* one load (the byte loop was not merged into one) */
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* SipHash-c-d (c compression rounds a block, d at the end). */
static inline __attribute__((always_inline)) uint64_t
siphash(uint64_t k0, uint64_t k1, const void *data, size_t n, int c, int d)
{
	const uint8_t *m = data;
	uint64_t v0 = k0 ^ 0x736f6d6570736575ull;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ull;
	uint64_t v3 = k1 ^ 0x7465646279746573ull;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w = le64(m + i);
		v3 ^= w;
		for (int r = 0; r < c; r++)
			SIPROUND;
		v0 ^= w;
	}
	uint64_t last = (uint64_t)(n & 0xff) << 56;
	for (size_t j = 0; i + j < n; j++)
		last |= (uint64_t)m[i + j] << (8 * j);
	v3 ^= last;
	for (int r = 0; r < c; r++)
		SIPROUND;
	v0 ^= last;
	v2 ^= 0xff;
	for (int r = 0; r < d; r++)
		SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t tp_siphash24(uint64_t k0, uint64_t k1, const void *data, size_t n)
{
	return siphash(k0, k1, data, n, 2, 4);
}

/* SipHash-1-3: the hash of Python's (3.11) and Rust's tables, keyed
 * against flooding like 2-4, with 40% fewer rounds on a flow key. */
uint64_t tp_siphash13(uint64_t k0, uint64_t k1, const void *data, size_t n)
{
	return siphash(k0, k1, data, n, 1, 3);
}

/* ---- keys -------------------------------------------------------------- */

static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static int side_cmp(const uint8_t *a, uint16_t ap, const uint8_t *b,
		    uint16_t bp)
{
	/* memcmp's order, two big-endian words at a time, inline */
	for (int i = 0; i < 16; i += 8) {
		uint64_t x = load_be64(a + i), y = load_be64(b + i);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (int)ap - (int)bp;
}

/* Word by word (a 42-byte memcmp was a libc call a lookup). */
static inline bool key_eq(const tp_flowkey *a, const tp_flowkey *b)
{
	_Static_assert(sizeof(tp_flowkey) == 42, "the key's words");
	const unsigned char *x = (const void *)a, *y = (const void *)b;
	uint64_t d = 0;
	for (int i = 0; i < 40; i += 8) {
		uint64_t u, v;
		memcpy(&u, x + i, 8);
		memcpy(&v, y + i, 8);
		d |= u ^ v;
	}
	uint16_t u, v;
	memcpy(&u, x + 40, 2);
	memcpy(&v, y + 40, 2);
	return !d && u == v;
}

/* SipHash-1-3 of the key's meaningful bytes only: an IPv4 key is 16 bytes
 * (two SipHash blocks) instead of the struct's 40, whose IPv4 addresses
 * are three-quarters zeros.  Equal keys give equal bytes, which is all a
 * hash must keep; the family is left out (an IPv4 and an IPv6 key with
 * the same bytes only share a bucket, key_eq tells them apart). */
static uint64_t key_hash(const tp_flowtab *t, const tp_flowkey *k)
{
	uint8_t m[2 * 16 + 8];
	size_t alen = k->family == 4 ? 4 : 16;
	memcpy(m, k->addr[0], alen);
	memcpy(m + alen, k->addr[1], alen);
	uint8_t *q = m + 2 * alen;
	memcpy(q, k->port, 4);
	uint32_t x = (uint32_t)(k->vlan[0] & 0xfff) << 20 |
		     (uint32_t)(k->vlan[1] & 0xfff) << 8 | k->proto;
	memcpy(q + 4, &x, 4);
	return tp_siphash13(t->k0, t->k1, m, 2 * alen + 8);
}

/* ---- lists ------------------------------------------------------------ */

static void lru_unlink(tp_flowtab *t, tp_flow *f)
{
	if (f->lprev)
		f->lprev->lnext = f->lnext;
	else
		t->lru_head = f->lnext;
	if (f->lnext)
		f->lnext->lprev = f->lprev;
	else
		t->lru_tail = f->lprev;
	f->lprev = f->lnext = NULL;
}

/* The LRU list is in the order flows were listed (made, or moved to the
 * front), not used: a lookup only stamps the flow's `use`, because
 * moving it to the front on every packet wrote to its two neighbours,
 * two cache misses a packet on a big table (8% of the one-line run).
 * The eviction gives a flow used since it was listed a second chance
 * (it goes to the front) and evicts the first that was not: the
 * least recently used flow among those, CLOCK's order.  Where the
 * order shows (the flows' ends at the end of the capture,
 * tp_flow_foreach) lru_settle makes it exact: by last use. */
static void lru_push(tp_flowtab *t, tp_flow *f)
{
	f->lru_use = f->use;
	f->lprev = NULL;
	f->lnext = t->lru_head;
	if (t->lru_head)
		t->lru_head->lprev = f;
	t->lru_head = f;
	if (!t->lru_tail)
		t->lru_tail = f;
}

/* The holding list's links are in the TCP state (only TCP holds bytes). */
typedef struct tcpx {
	tp_tcpstate st;
	holdlink h;
} tcpx;

static holdlink *hl(tp_flow *f) { return &((tcpx *)f->tcp)->h; }

/* A TCP flow's state lives in the flow's own allocation, right after
 * it: the flow and the lines of its TCP state that every segment reads
 * are neighbours (one allocation, 64-byte aligned: the lookup's fields
 * on one cache line).  A UDP flow is the flow alone. */
typedef struct flowmem {
	tp_flow f;
	tcpx x;
} flowmem;

/* Flows come from chunks of 64 (64-byte aligned, sizes rounded to a
 * cache line): no allocator overhead or alignment waste per flow (a
 * SYN flood holds max_flows of them), and a freed flow is the next one
 * made.  Class 0: a flow alone (UDP, ...), class 1: a TCP flow. */
#define SLAB_N 64
#define CHUNK_BIG ((size_t)2 << 20)
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
/* a free flow stays poisoned but for its free-list link: a use after
 * eviction is still caught under AddressSanitizer */
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((char *)(p) + sizeof(void *), \
					       (n) - sizeof(void *))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define POISON_ALL(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#else
#define POISON_ALL(p, n) ((void)(p), (void)(n))
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif
static size_t class_size(int cls)
{
	size_t n = cls ? sizeof(flowmem) : sizeof(tp_flow);
	return (n + 63) & ~(size_t)63;
}

static tp_flow *flow_alloc(tp_flowtab *t, uint8_t proto)
{
	int cls = proto == 6;
	/* a flow without TCP state takes a freed TCP flow's memory when
	 * none of its own size is free: at the flow cap the mix of TCP and
	 * other flows shifts, and memory of one size could not serve the
	 * other (a class, not a flow, would grow) */
	if (!cls && !t->freelist[0] && t->freelist[1])
		cls = 1;
	size_t sz = class_size(cls);
	void **e = t->freelist[cls];
	if (e) { /* a flow freed before */
		UNPOISON(e, sz);
		t->freelist[cls] = *e;
	} else {
		if (!t->bump[cls] ||
		    (size_t)(t->bump_end[cls] - t->bump[cls]) < sz) {
			if (t->nchunks == t->chunkcap) {
				size_t cap = t->chunkcap ? t->chunkcap * 2 : 16;
				void **c = realloc(t->chunks, cap * sizeof *c);
				if (!c)
					return NULL;
				t->chunks = c;
				t->chunkcap = cap;
			}
			/* the first chunk small (a capture of a few flows),
			 * then 2 MiB ones; flows are cut from a chunk as
			 * they are made, so its untouched pages cost no
			 * memory */
			size_t bytes = t->nchunks ? CHUNK_BIG : SLAB_N * sz;
			void *m = NULL;
			if (posix_memalign(&m, 64, bytes) != 0)
				return NULL;
			POISON_ALL(m, bytes);
			t->chunks[t->nchunks++] = m;
			t->bump[cls] = m;
			t->bump_end[cls] = (char *)m + bytes;
		}
		e = (void **)t->bump[cls];
		t->bump[cls] += sz;
		UNPOISON(e, sz);
	}
	memset(e, 0, sz);
	tp_flow *f = (tp_flow *)e;
	f->slab_cls = (uint8_t)cls;
	f->tcp_inline = proto == 6;
	return f;
}

static void flow_free(tp_flowtab *t, tp_flow *f)
{
	int cls = f->slab_cls;
	void **e = (void **)f;
	*e = t->freelist[cls];
	t->freelist[cls] = e;
	POISON(e, class_size(cls));
}

static void chunks_free(tp_flowtab *t)
{
	for (size_t i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
}

/* Free (or, inline, empty) a flow's TCP state; f->tcp becomes NULL. */
static void tcp_release(tp_flow *f)
{
	if (!f->tcp)
		return;
	if (!f->tcp_inline)
		free((tcpx *)f->tcp);
	f->tcp = NULL;
}

/* Free a flow's reassemblers, unacked-segment lists and TCP state. */
static void tcp_free_all(tp_session *s, tp_flow *f)
{
	for (int d = 0; d < 2; d++)
		tp_reasm_free(&f->tcp->d[d].r, &s->mem);
	tp_ualist *ua = f->tcp->ua;
	if (ua) {
		size_t n = sizeof *ua;
		for (int d = 0; d < 2; d++) {
			n += ua->d[d].cap * sizeof *ua->d[d].ual;
			free(ua->d[d].ual);
		}
		free(ua);
		f->tcp->ua = NULL;
		tp_reasm_mem_give(&s->ual_mem, n);
	}
	tcp_release(f);
}

static void hold_unlink(tp_flowtab *t, tp_flow *f)
{
	holdlink *h = hl(f);
	if (!h->on)
		return;
	if (h->prev)
		hl(h->prev)->next = h->next;
	else
		t->hold_head = h->next;
	if (h->next)
		hl(h->next)->prev = h->prev;
	else
		t->hold_tail = h->prev;
	h->prev = h->next = NULL;
	h->on = false;
}

static void hold_push(tp_flowtab *t, tp_flow *f)
{
	holdlink *h = hl(f);
	h->prev = NULL;
	h->next = t->hold_head;
	if (t->hold_head)
		hl(t->hold_head)->prev = f;
	t->hold_head = f;
	if (!t->hold_tail)
		t->hold_tail = f;
	h->on = true;
}

/* ---- delivering to the taps ------------------------------------------ */

void tp_flow_deliver(tp_session *s, const tp_flow *f, int dir, uint64_t off,
		     const uint8_t *b, size_t n, const tp_pkt *p)
{
	for (unsigned i = 0; i < s->ntaps; i++)
		if (s->taps[i]->data)
			s->taps[i]->data(s->taps[i]->ctx, f, dir, off, b, n, p);
}

void tp_flow_gap(tp_session *s, const tp_flow *f, int dir, uint64_t off,
		 uint64_t n)
{
	for (unsigned i = 0; i < s->ntaps; i++)
		if (s->taps[i]->gap)
			s->taps[i]->gap(s->taps[i]->ctx, f, dir, off, n);
}

void tp_flow_segment(tp_session *s, const tp_flow *f, int dir,
		     const tp_tcpseg *g)
{
	for (unsigned i = 0; i < s->ntaps; i++)
		if (s->taps[i]->segment)
			s->taps[i]->segment(s->taps[i]->ctx, f, dir, g);
}

bool tp_flow_wanted(tp_session *s, const tp_flow *f)
{
	bool want = false;
	for (unsigned i = 0; i < s->ntaps; i++)
		if (!s->taps[i]->want || s->taps[i]->want(s->taps[i]->ctx, f))
			want = true;
	return want;
}

typedef struct sinkctx {
	tp_session *s;
	tp_flow *f;
	int dir;
	tp_pkt *p;
} sinkctx;

static void sink_data(void *ctx, uint64_t off, const uint8_t *b, size_t n)
{
	sinkctx *c = ctx;
	if (c->f->tcp->tapped)
		tp_flow_deliver(c->s, c->f, c->dir, off, b, n, NULL);
	if (c->f->app.d)
		tp_app_data(c->s, c->f, c->dir, off, b, n, c->p);
}

static void sink_gap(void *ctx, uint64_t off, uint64_t n)
{
	sinkctx *c = ctx;
	c->f->tcp->d[c->dir].gap_bytes += n;
	if (c->f->tcp->tapped)
		tp_flow_gap(c->s, c->f, c->dir, off, n);
	if (c->f->app.d)
		tp_app_gap(c->s, c->f, c->dir, off, n);
}

/* Give up every hole of a TCP flow: gaps and held bytes to the taps. */
static void flush_tcp(tp_session *s, tp_flow *f)
{
	if (!f->tcp)
		return;
	for (int d = 0; d < 2; d++) {
		sinkctx c = {s, f, d, NULL};
		tp_reasm_sink sk = {sink_data, sink_gap, &c};
		tp_reasm_flush(&f->tcp->d[d].r, &s->mem, &sk);
	}
	hold_unlink(s->flows, f);
}

/* The connection is over: the bytes its end proves were sent and the
 * capture lacks (a lost last segment) are gaps like any other.  A FIN's
 * sequence number proves every byte before it; without a FIN, the peer's
 * highest ACK does (one past the last byte seen is taken as the ACK of
 * an unseen FIN, not as a lost byte).  Not done by the idle or memory
 * flush: the connection may go on. */
static void prove_tails(tp_session *s, tp_flow *f)
{
	if (!f->tcp || !f->tcp->reassemble)
		return;
	for (int d = 0; d < 2; d++) {
		tp_tcpdir *me = &f->tcp->d[d];
		const tp_tcpdir *peer = &f->tcp->d[!d];
		sinkctx c = {s, f, d, NULL};
		tp_reasm_sink sk = {sink_data, sink_gap, &c};
		if (me->fin)
			tp_reasm_end(&me->r, &s->mem, me->fin_seq, &sk);
		else if (peer->maxack_set)
			tp_reasm_ack(&me->r, &s->mem, peer->maxack, &sk);
	}
}

void tp_flow_stream_done(tp_session *s, tp_flow *f, tp_pkt *p)
{
	if (!f->tcp)
		return;
	for (int d = 0; d < 2; d++) {
		tp_tcpdir *me = &f->tcp->d[d];
		sinkctx c = {s, f, d, p};
		tp_reasm_sink sk = {sink_data, sink_gap, &c};
		if (me->fin)
			tp_reasm_end(&me->r, &s->mem, me->fin_seq, &sk);
	}
	tp_app_close(s, f);
}

static void end_flow(tp_session *s, tp_flow *f)
{
	prove_tails(s, f);
	flush_tcp(s, f);
	tp_app_end(s, f);
	if (f->tcp && f->tcp->tapped)
		for (unsigned i = 0; i < s->ntaps; i++)
			if (s->taps[i]->end)
				s->taps[i]->end(s->taps[i]->ctx, f);
	if (!f->tcp && f->key.proto == 17 && tp_flow_wanted(s, f))
		for (unsigned i = 0; i < s->ntaps; i++)
			if (s->taps[i]->end)
				s->taps[i]->end(s->taps[i]->ctx, f);
	if (f->tcp)
		tcp_free_all(s, f);
}

static void unhash(tp_flowtab *t, tp_flow *f)
{
	tp_flow **pp = &t->buckets[f->hash & (t->nbuckets - 1)];
	while (*pp && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = f->hnext;
	t->count--;
}

static int by_use(const void *a, const void *b)
{
	uint64_t x = (*(tp_flow *const *)a)->use, y = (*(tp_flow *const *)b)->use;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Order the LRU list by last use, the latest first (no memory: left as
 * it is, in CLOCK's order). */
static void lru_settle(tp_flowtab *t)
{
	if (!t->count)
		return;
	tp_flow **v = malloc(t->count * sizeof *v);
	if (!v)
		return;
	size_t n = 0;
	for (tp_flow *f = t->lru_head; f && n < t->count; f = f->lnext)
		v[n++] = f;
	qsort(v, n, sizeof *v, by_use);
	t->lru_head = t->lru_tail = NULL;
	for (size_t i = n; i-- > 0;)
		lru_push(t, v[i]);
	free(v);
}

/* The flow to evict at the cap: the list's tail, after the second
 * chance of those used since they were listed (each moves at most once
 * a call, so the loop ends). */
static tp_flow *lru_victim(tp_flowtab *t)
{
	tp_flow *f;
	while ((f = t->lru_tail) && f->use != f->lru_use) {
		lru_unlink(t, f);
		lru_push(t, f);
	}
	return f;
}

static void evict(tp_session *s, tp_flow *f)
{
	end_flow(s, f);
	unhash(s->flows, f);
	lru_unlink(s->flows, f);
	flow_free(s->flows, f);
}

/* ---- session ---------------------------------------------------------- */

tp_session *tp_session_new(const tp_flowcfg *cfg)
{
	tp_session *s = calloc(1, sizeof *s);
	tp_flowtab *t = calloc(1, sizeof *t);
	if (!s || !t)
		goto fail;
	s->cfg = *cfg;
	if (!s->cfg.max_flows)
		s->cfg.max_flows = TP_FLOW_MAX;
	if (!s->cfg.idle_timeout)
		s->cfg.idle_timeout = TP_FLOW_IDLE_TIMEOUT;
	if (!s->cfg.reasm_dir_cap)
		s->cfg.reasm_dir_cap = TP_REASM_DIR_CAP;
	if (!s->cfg.reasm_mem_cap)
		s->cfg.reasm_mem_cap = TP_REASM_MEM_CAP;
	s->mem.cap = s->cfg.reasm_mem_cap;
	s->ual_mem.cap = TP_UNACKED_MEM_CAP;
	t->nbuckets = 1024;
	t->buckets = calloc(t->nbuckets, sizeof *t->buckets);
	if (!t->buckets)
		goto fail;
	uint64_t k[2];
	if (getrandom(k, sizeof k, 0) != (ssize_t)sizeof k) {
		/* no entropy source: still a keyed hash, less secret */
		k[0] = (uint64_t)(uintptr_t)s ^ 0x9e3779b97f4a7c15ull;
		k[1] = (uint64_t)(uintptr_t)t * 0xbf58476d1ce4e5b9ull;
	}
	t->k0 = k[0];
	t->k1 = k[1];
	s->flows = t;
	if (!s->cfg.no_defrag) {
		s->frags = tp_fragtab_new(TP_FRAG_MEM_CAP, TP_FRAG_MAX_DGRAMS,
					  TP_FRAG_TIMEOUT);
		if (!s->frags)
			goto fail;
	}
	return s;
fail:
	if (t)
		free(t->buckets);
	free(t);
	free(s);
	return NULL;
}

void tp_session_finish(tp_session *s)
{
	if (!s || !s->flows)
		return;
	/* oldest first: streams end in the order they were last seen (the
	 * order shows only to the taps: no sort of a big table without) */
	if (s->ntaps)
		lru_settle(s->flows);
	for (tp_flow *f = s->flows->lru_tail; f; f = f->lprev)
		end_flow(s, f);
}

void tp_session_free(tp_session *s)
{
	if (!s)
		return;
	tp_flowtab *t = s->flows;
	if (t) {
		tp_flow *f = t->lru_head;
		while (f) {
			tp_flow *next = f->lnext;
			tp_app_end(s, f);
			if (f->tcp)
				tcp_free_all(s, f);
			f = next;
		}
		chunks_free(t);
		free(t->buckets);
		free(t);
	}
	if (s->frags)
		tp_fragtab_free(s->frags);
	tp_pkt_free(s->app_scratch);
	tp_app_session_free(s);
	free(s);
}

/* ---- lookup ------------------------------------------------------------ */

static void grow(tp_flowtab *t)
{
	size_t n = t->nbuckets * 2;
	tp_flow **b = calloc(n, sizeof *b);
	if (!b)
		return; /* keep the old table: slower, still correct */
	for (size_t i = 0; i < t->nbuckets; i++) {
		tp_flow *f = t->buckets[i];
		while (f) {
			tp_flow *next = f->hnext;
			f->hnext = b[f->hash & (n - 1)];
			b[f->hash & (n - 1)] = f;
			f = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

static int64_t age_sec(const tp_pkt *p, const tp_flow *f)
{
	return p->ts_sec - f->last_sec;
}

/* Idle and memory-pressure expiry of held reassembly bytes. */
static void expire(tp_session *s, const tp_pkt *p)
{
	tp_flowtab *t = s->flows;
	unsigned budget = 64; /* per packet: bounded work */
	while (t->hold_tail && budget--) {
		tp_flow *f = t->hold_tail;
		bool idle = age_sec(p, f) > (int64_t)s->cfg.idle_timeout;
		bool pressure = s->mem.used > s->mem.cap - s->mem.cap / 8;
		if (!idle && !pressure)
			break;
		flush_tcp(s, f);
		s->expired++;
	}
}

void tp_flow_holding(tp_session *s, tp_flow *f)
{
	if (!f->tcp)
		return;
	bool holds = f->tcp->d[0].r.held_bytes || f->tcp->d[1].r.held_bytes;
	hold_unlink(s->flows, f);
	if (holds)
		hold_push(s->flows, f);
}

static void tcp_new(tp_session *s, tp_flow *f);

static void stamp(tp_flow *f, const tp_pkt *p, int dir)
{
	if (p->in_error)
		return; /* a quoted packet is not traffic of the flow */
	f->last_sec = p->ts_sec;
	f->last_nsec = p->ts_nsec;
	f->pkts[dir]++;
	f->bytes[dir] += p->len;
}

/* The canonical key of a packet's flow; returns the key side of its
 * sender. */
static int make_key(const tp_pkt *p, uint8_t family, uint8_t proto,
		    const uint8_t *src, const uint8_t *dst, uint16_t sport,
		    uint16_t dport, tp_flowkey *k)
{
	memset(k, 0, sizeof *k);
	k->family = family;
	k->proto = proto;
	unsigned alen = family == 4 ? 4 : 16;
	uint8_t a[16] = {0}, b[16] = {0};
	memcpy(a, src, alen);
	memcpy(b, dst, alen);
	int src_side = side_cmp(a, sport, b, dport) <= 0 ? 0 : 1;
	memcpy(k->addr[src_side], a, 16);
	memcpy(k->addr[!src_side], b, 16);
	k->port[src_side] = sport;
	k->port[!src_side] = dport;
	k->vlan[0] = p->vlan_id[0];
	k->vlan[1] = p->vlan_id[1];
	return src_side;
}

/* Prefetching: a lookup's misses (the bucket, then the flow and its TCP
 * state, one after the other) were a tenth of the one-line run.  The
 * dissector starts the lookup when it has read the ports
 * (tp_flow_prefetch: the hash, the bucket on its way), goes on with the
 * header, then asks for the flow itself (tp_flow_prefetch_flow), and
 * tp_flow_get finds both in the cache and the hash made. */
void tp_flow_prefetch(tp_session *s, const tp_pkt *p, uint8_t family,
		      uint8_t proto, const uint8_t *src, const uint8_t *dst,
		      uint16_t sport, uint16_t dport)
{
	tp_flowtab *t = s->flows;
	if (!t)
		return;
	s->pf_side =
		make_key(p, family, proto, src, dst, sport, dport, &s->pf_key);
	s->pf_hash = key_hash(t, &s->pf_key);
	s->pf_set = true;
	s->pf_p = p;
	s->pf_number = p->number;
	s->pf_src = src;
	s->pf_dst = dst;
	s->pf_sport = sport;
	s->pf_dport = dport;
	s->pf_family = family;
	s->pf_proto = proto;
	__builtin_prefetch(&t->buckets[s->pf_hash & (t->nbuckets - 1)]);
}

void tp_flow_prefetch_flow(tp_session *s)
{
	tp_flowtab *t = s->flows;
	if (!t || !s->pf_set)
		return;
	tp_flow *f = t->buckets[s->pf_hash & (t->nbuckets - 1)];
	if (!f)
		return;
	const char *m = (const char *)f;
	__builtin_prefetch(m);
	__builtin_prefetch(m + 64);
	/* its TCP state's lines (a TCP flow's are inline; reading
	 * f->tcp_inline here would wait for the line being fetched) */
	if (s->pf_key.proto == 6)
		for (size_t o = offsetof(flowmem, x);
		     o < offsetof(flowmem, x) + sizeof(tp_tcpstate); o += 64)
			__builtin_prefetch(m + o);
}

tp_flow *tp_flow_get(tp_session *s, const tp_pkt *p, uint8_t family,
		     uint8_t proto, const uint8_t *src, const uint8_t *dst,
		     uint16_t sport, uint16_t dport, bool syn, int *dir)
{
	(void)syn;
	tp_flowtab *t = s->flows;
	if (!t)
		return NULL; /* a session without a flow table (tests) */
	tp_flowkey kb;
	const tp_flowkey *kp = &kb;
	int src_side;
	uint64_t h;
	if (s->pf_set && s->pf_p == p && s->pf_number == p->number &&
	    s->pf_src == src && s->pf_dst == dst && s->pf_sport == sport &&
	    s->pf_dport == dport && s->pf_family == family &&
	    s->pf_proto == proto) { /* asked before: made then */
		kp = &s->pf_key;
		src_side = s->pf_side;
		h = s->pf_hash;
	} else {
		src_side = make_key(p, family, proto, src, dst, sport, dport,
				    &kb);
		h = key_hash(t, &kb);
	}
	s->pf_set = false;
	const tp_flowkey k = *kp;

	expire(s, p);
	for (tp_flow *f = t->buckets[h & (t->nbuckets - 1)]; f; f = f->hnext) {
		if (f->hash == h && key_eq(&f->key, &k)) {
			*dir = src_side == f->client ? 0 : 1;
			f->use = ++t->uses;
			stamp(f, p, *dir);
			return f;
		}
	}
	if (t->count >= s->cfg.max_flows && t->lru_tail) {
		evict(s, lru_victim(t));
		s->evicted++;
	}
	tp_flow *f = flow_alloc(t, proto);
	if (!f)
		return NULL;
	f->key = k;
	f->hash = h;
	f->client = (uint8_t)src_side;
	f->first_side = (uint8_t)src_side;
	f->stream = s->next_stream[proto == 17]++;
	f->first_sec = p->ts_sec;
	f->first_nsec = p->ts_nsec;
	f->first_frame = p->number;
	tp_app_pin_ports(s, f);
	if (proto == 6)
		tcp_new(s, f);
	/* at most one flow for two buckets: a miss a chain link */
	if (t->count * 2 >= t->nbuckets && t->nbuckets < (size_t)1 << 27)
		grow(t);
	f->hnext = t->buckets[h & (t->nbuckets - 1)];
	t->buckets[h & (t->nbuckets - 1)] = f;
	t->count++;
	f->use = ++t->uses;
	lru_push(t, f);
	*dir = 0;
	stamp(f, p, 0);
	return f;
}

static void tcp_new(tp_session *s, tp_flow *f)
{
	tcpx *x;
	if (f->tcp_inline) {
		x = &((flowmem *)f)->x;
		memset(x, 0, sizeof *x);
	} else if (!(x = calloc(1, sizeof *x))) {
		return; /* the flow is tracked without TCP state */
	}
	f->tcp = &x->st;
	for (int d = 0; d < 2; d++) {
		tp_reasm_init(&f->tcp->d[d].r, s->cfg.reasm_dir_cap);
		f->tcp->d[d].wscale = -1;
	}
	f->tcp->tapped = !s->cfg.no_reassembly && tp_flow_wanted(s, f);
	f->tcp->reassemble = f->tcp->tapped || tp_app_is_stream(f);
}

void tp_flow_renew(tp_session *s, tp_flow *f, const tp_pkt *p, int *dir)
{
	/* the old connection ends here; the record becomes the new one,
	 * whose client sent this SYN */
	uint8_t sender = *dir == 0 ? f->client : !f->client;
	end_flow(s, f);
	memset(f->pkts, 0, sizeof f->pkts);
	memset(f->bytes, 0, sizeof f->bytes);
	f->client = sender;
	f->first_side = sender;
	f->stream = s->next_stream[f->key.proto == 17]++;
	f->first_sec = p->ts_sec;
	f->first_nsec = p->ts_nsec;
	f->first_frame = p->number;
	*dir = 0;
	stamp(f, p, 0);
	tp_app_pin_ports(s, f);
	if (f->key.proto == 6)
		tcp_new(s, f);
}

void tp_flow_foreach(tp_session *s, void (*fn)(void *ctx, const tp_flow *f),
		     void *ctx)
{
	lru_settle(s->flows);
	for (tp_flow *f = s->flows->lru_head; f; f = f->lnext)
		fn(ctx, f);
}

size_t tp_flow_count(const tp_session *s) { return s->flows->count; }

void tp_flow_sink(tp_session *s, tp_flow *f, int dir, tp_pkt *p,
		  void *ctxbuf, tp_reasm_sink *out)
{
	_Static_assert(sizeof(sinkctx) <= TP_FLOW_SINKCTX, "TP_FLOW_SINKCTX");
	sinkctx *c = ctxbuf;
	c->s = s;
	c->f = f;
	c->dir = dir;
	c->p = p;
	out->data = sink_data;
	out->gap = sink_gap;
	out->ctx = c;
}
