/* ipfrag.c - IPv4 and IPv6 fragment reassembly (contract: ipfrag.h).
 *
 * RFC 791 section 3.2 (reassembly: key, fragment offset in 8-octet units,
 * MF), RFC 815 (holes: here a sorted list of extents), RFC 8200 section 4.5
 * (IPv6 fragment header; exact duplicates may be dropped instead of being
 * taken as overlaps), RFC 5722 section 4 (overlapping IPv6 fragments: the
 * datagram is discarded silently), RFC 6946 (atomic fragments are the
 * caller's business: they never reach this table).
 *
 * Layout.  A fixed bucket array (a power of two, at least max_dgrams) of
 * chains of datagrams in progress; every datagram is also on one age list,
 * in order of creation, for the timeout and the caps.  A datagram holds its
 * fragments in a list sorted by offset (arrival order among equal offsets).
 * Each fragment keeps its own bytes, except one every byte of which was
 * already held (a duplicate): that keeps only its frame number.  When a
 * fragment that shares bytes with held ones is stored, the shared bytes of
 * its copy are overwritten with the held ones (first data wins), so held
 * extents always agree where they meet and the datagram is built by copying
 * them all, in any order.
 *
 * Memory.  `used` is exactly the bytes allocated for datagrams in
 * progress: each datagram record, and each fragment record with its bytes.
 * Fixed overhead outside the cap: the bucket array and the output buffers
 * (64 KiB of payload and TP_FRAG_MAX_PER_DGRAM frame numbers, allocated
 * once by tp_fragtab_new).
 *
 * Time.  The age list is in arrival order; expiry looks at its head only,
 * so with capture timestamps that go backwards a datagram may live a little
 * longer than the timeout (never past the caps).
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/flow.h"
#include "tapir/ipfrag.h"
#include "tapir/record.h"

/* The largest payload offset + length any fragment may reach. */
#define FRAG_MAX_END 65535u
/* Bucket array bounds (entries). */
#define MIN_BUCKETS 16u
#define MAX_BUCKETS (1u << 20)

struct frag {
	struct frag *next;  /* by offset */
	uint64_t frame;
	uint32_t off, len;
	bool has_data;      /* false: a duplicate, its bytes held elsewhere */
	uint8_t data[];
};

struct dgram {
	tp_fragkey key;            /* normalised copy */
	uint32_t hash;
	struct dgram *hnext;       /* bucket chain */
	struct dgram **hpprev;     /* the pointer that points at this one */
	struct dgram *older, *newer; /* age list */
	struct frag *frags;
	unsigned nfrags;
	uint32_t total;            /* payload length, when has_total */
	uint32_t maxend;           /* largest offset + length held */
	bool has_total;
	bool has_proto;
	uint8_t proto;
	int64_t first_ts;
	size_t mem;                /* bytes accounted to this datagram */
};

struct tp_fragtab {
	struct dgram **buckets;
	size_t nbuckets;           /* a power of two */
	struct dgram *oldest, *newest;
	unsigned ndgrams, max_dgrams;
	size_t used, peak, mem_cap;
	unsigned timeout;
	uint8_t *out;              /* FRAG_MAX_END bytes */
	uint64_t frames[TP_FRAG_MAX_PER_DGRAM];
};

/* ---- keys ------------------------------------------------------------ */

/* A copy with the padding zeroed, so that hashing bytes is sound. */
static void key_norm(tp_fragkey *dst, const tp_fragkey *k)
{
	memset(dst, 0, sizeof *dst);
	dst->family = k->family;
	dst->proto = k->proto;
	dst->vlan[0] = k->vlan[0];
	dst->vlan[1] = k->vlan[1];
	dst->id = k->id;
	memcpy(dst->src, k->src, sizeof dst->src);
	memcpy(dst->dst, k->dst, sizeof dst->dst);
}

static bool key_eq(const tp_fragkey *a, const tp_fragkey *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       a->vlan[0] == b->vlan[0] && a->vlan[1] == b->vlan[1] &&
	       a->id == b->id && memcmp(a->src, b->src, sizeof a->src) == 0 &&
	       memcmp(a->dst, b->dst, sizeof a->dst) == 0;
}

/* FNV-1a over the normalised key, then murmur3's finaliser to spread the
 * low bits.  Not keyed: the table holds at most max_dgrams datagrams, so a
 * crafted collision costs at most that many comparisons per fragment. */
static uint32_t key_hash(const tp_fragkey *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < sizeof *k; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* ---- the table ------------------------------------------------------- */

tp_fragtab *tp_fragtab_new(size_t mem_cap, unsigned max_dgrams,
			   unsigned timeout_sec)
{
	tp_fragtab *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->mem_cap = mem_cap ? mem_cap : TP_FRAG_MEM_CAP;
	t->max_dgrams = max_dgrams ? max_dgrams : TP_FRAG_MAX_DGRAMS;
	t->timeout = timeout_sec ? timeout_sec : TP_FRAG_TIMEOUT;
	size_t nb = MIN_BUCKETS;
	while (nb < t->max_dgrams && nb < MAX_BUCKETS)
		nb <<= 1;
	t->nbuckets = nb;
	t->buckets = calloc(nb, sizeof *t->buckets);
	t->out = malloc(FRAG_MAX_END);
	if (!t->buckets || !t->out) {
		free(t->buckets);
		free(t->out);
		free(t);
		return NULL;
	}
	return t;
}

static void free_frags(struct dgram *d)
{
	struct frag *f = d->frags;
	while (f) {
		struct frag *n = f->next;
		free(f);
		f = n;
	}
	d->frags = NULL;
}

/* Unlink and free one datagram. */
static void drop(tp_fragtab *t, struct dgram *d)
{
	*d->hpprev = d->hnext;
	if (d->hnext)
		d->hnext->hpprev = d->hpprev;
	if (d->older)
		d->older->newer = d->newer;
	else
		t->oldest = d->newer;
	if (d->newer)
		d->newer->older = d->older;
	else
		t->newest = d->older;
	t->used -= d->mem;
	t->ndgrams--;
	free_frags(d);
	free(d);
}

void tp_fragtab_free(tp_fragtab *t)
{
	if (!t)
		return;
	while (t->oldest)
		drop(t, t->oldest);
	free(t->buckets);
	free(t->out);
	free(t);
}

void tp_fragtab_usage(const tp_fragtab *t, size_t *bytes, unsigned *dgrams,
		      size_t *peak)
{
	if (bytes)
		*bytes = t ? t->used : 0;
	if (dgrams)
		*dgrams = t ? t->ndgrams : 0;
	if (peak)
		*peak = t ? t->peak : 0;
}

static void account(tp_fragtab *t, struct dgram *d, size_t n)
{
	d->mem += n;
	t->used += n;
	if (t->used > t->peak)
		t->peak = t->used;
}

/* Datagrams whose first fragment came more than `timeout` seconds before
 * `now` (capture time) are dropped, oldest first. */
static void expire(tp_fragtab *t, int64_t now)
{
	while (t->oldest) {
		int64_t first = t->oldest->first_ts;
		if (now <= first ||
		    (uint64_t)now - (uint64_t)first <= t->timeout)
			break;
		drop(t, t->oldest);
	}
}

static struct dgram *find(const tp_fragtab *t, const tp_fragkey *k,
			  uint32_t h)
{
	for (struct dgram *d = t->buckets[h & (t->nbuckets - 1)]; d;
	     d = d->hnext)
		if (d->hash == h && key_eq(&d->key, k))
			return d;
	return NULL;
}

static struct dgram *create(tp_fragtab *t, const tp_fragkey *k, uint32_t h,
			    int64_t now)
{
	struct dgram *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->key = *k;
	d->hash = h;
	d->first_ts = now;
	struct dgram **b = &t->buckets[h & (t->nbuckets - 1)];
	d->hnext = *b;
	if (*b)
		(*b)->hpprev = &d->hnext;
	d->hpprev = b;
	*b = d;
	d->older = t->newest;
	if (t->newest)
		t->newest->newer = d;
	else
		t->oldest = d;
	t->newest = d;
	t->ndgrams++;
	account(t, d, sizeof *d);
	return d;
}

/* ---- one fragment ---------------------------------------------------- */

/* How a new fragment [off, end) meets the held bytes of `d`. */
struct meet {
	bool overlap; /* some bytes already held */
	bool diff;    /* ... and some of them differ */
	bool covered; /* every byte already held */
	bool exact;   /* one held fragment with the same extent and bytes */
};

static struct meet meet(const struct dgram *d, uint32_t off, uint32_t end,
			const uint8_t *data)
{
	struct meet m = {false, false, false, false};
	uint32_t cov = off; /* bytes [off, cov) are known to be held */
	for (const struct frag *f = d->frags; f; f = f->next) {
		if (!f->has_data)
			continue;
		uint32_t fe = f->off + f->len;
		if (f->off >= end)
			break; /* sorted: nothing further meets it */
		if (fe <= off)
			continue;
		uint32_t lo = f->off > off ? f->off : off;
		uint32_t hi = fe < end ? fe : end;
		m.overlap = true;
		if (memcmp(data + (lo - off), f->data + (lo - f->off),
			   hi - lo) != 0)
			m.diff = true;
		else if (f->off == off && fe == end)
			m.exact = true;
		if (f->off <= cov && hi > cov)
			cov = hi;
	}
	m.covered = cov >= end;
	if (m.diff)
		m.exact = false;
	return m;
}

/* All of [0, total) held? */
static bool complete(const struct dgram *d)
{
	if (!d->has_total)
		return false;
	uint32_t cov = 0;
	for (const struct frag *f = d->frags; f; f = f->next) {
		if (!f->has_data)
			continue;
		if (f->off > cov)
			return false;
		if (f->off + f->len > cov)
			cov = f->off + f->len;
	}
	return cov >= d->total;
}

static void build(tp_fragtab *t, const struct dgram *d, tp_fragdone *out)
{
	unsigned n = 0;
	for (const struct frag *f = d->frags; f; f = f->next) {
		if (f->has_data && f->len)
			memcpy(t->out + f->off, f->data, f->len);
		t->frames[n++] = f->frame;
	}
	out->data = t->out;
	out->len = d->total;
	out->proto = d->proto;
	out->frames = t->frames;
	out->nframes = n;
}

/* Make room for `cost` more bytes (and one more datagram when `d` is
 * NULL) by dropping the oldest datagrams other than `d`.  False when even
 * then it does not fit. */
static bool make_room(tp_fragtab *t, const struct dgram *d, size_t cost,
		      unsigned *fl)
{
	for (;;) {
		bool mem = t->used > t->mem_cap || cost > t->mem_cap - t->used;
		bool count = !d && t->ndgrams >= t->max_dgrams;
		if (!mem && !count)
			return true;
		struct dgram *o = t->oldest;
		if (o == d)
			o = o->newer;
		if (!o)
			return false;
		drop(t, o);
		*fl |= TP_FRAG_CAPPED;
	}
}

unsigned tp_frag_add(tp_fragtab *t, const tp_fragkey *k, uint32_t off,
		     bool more, uint8_t proto, const uint8_t *data, size_t n,
		     uint64_t frame, int64_t now, tp_fragdone *out)
{
	if (!t || !k || (n && !data))
		return TP_FRAG_BAD;
	if (out)
		memset(out, 0, sizeof *out);
	expire(t, now);

	tp_fragkey key;
	key_norm(&key, k);
	uint32_t h = key_hash(&key);
	struct dgram *d = find(t, &key, h);
	unsigned fl = 0;

	/* Impossible extents (ipfrag.h: every one discards the datagram). */
	bool bad = n > FRAG_MAX_END || off > FRAG_MAX_END - n ||
		   (n == 0 && more);
	uint32_t end = bad ? 0 : off + (uint32_t)n;
	if (!bad && d) {
		if (d->has_total)
			bad = end > d->total || (!more && end != d->total);
		else
			bad = !more && d->maxend > end;
	}
	if (bad) {
		if (d) {
			drop(t, d);
			fl |= TP_FRAG_DISCARDED;
		}
		return fl | TP_FRAG_BAD;
	}
	if (d && d->nfrags >= TP_FRAG_MAX_PER_DGRAM) {
		drop(t, d);
		return TP_FRAG_DISCARDED | TP_FRAG_CAPPED;
	}

	struct meet m = {false, false, false, false};
	if (d && n)
		m = meet(d, off, end, data);
	if (m.overlap) {
		fl |= TP_FRAG_OVERLAP;
		if (m.diff)
			fl |= TP_FRAG_OVERLAP_DIFF;
		if (key.family == 6 && !m.exact) {
			/* RFC 5722 section 4 */
			drop(t, d);
			return fl | TP_FRAG_DISCARDED;
		}
		if (m.covered)
			fl |= TP_FRAG_DUP;
	}

	bool keep = !m.covered || n == 0;
	size_t fcost = sizeof(struct frag) + (keep ? n : 0);
	size_t cost = fcost + (d ? 0 : sizeof(struct dgram));
	if (!make_room(t, d, cost, &fl)) {
		if (d)
			drop(t, d);
		return fl | TP_FRAG_DISCARDED | TP_FRAG_CAPPED;
	}
	if (!d) {
		d = create(t, &key, h, now);
		if (!d)
			return fl | TP_FRAG_DISCARDED;
	}
	struct frag *nf = malloc(sizeof *nf + (keep ? n : 0));
	if (!nf) {
		drop(t, d);
		return fl | TP_FRAG_DISCARDED;
	}
	nf->frame = frame;
	nf->off = off;
	nf->len = (uint32_t)n;
	nf->has_data = keep;
	if (keep && n) {
		memcpy(nf->data, data, n);
		if (m.overlap) {
			/* First data wins: take the held bytes. */
			for (const struct frag *f = d->frags; f; f = f->next) {
				uint32_t fe = f->off + f->len;
				if (f->off >= end)
					break;
				if (!f->has_data || fe <= off)
					continue;
				uint32_t lo = f->off > off ? f->off : off;
				uint32_t hi = fe < end ? fe : end;
				memcpy(nf->data + (lo - off),
				       f->data + (lo - f->off), hi - lo);
			}
		}
	}
	struct frag **pp = &d->frags;
	while (*pp && (*pp)->off <= off)
		pp = &(*pp)->next;
	nf->next = *pp;
	*pp = nf;
	d->nfrags++;
	account(t, d, fcost);
	if (end > d->maxend)
		d->maxend = end;
	if (!more) {
		d->has_total = true;
		d->total = end;
	}
	if (off == 0 && !d->has_proto) {
		d->has_proto = true;
		d->proto = proto;
	}

	if (!complete(d))
		return fl | TP_FRAG_HELD;
	if (out)
		build(t, d, out);
	drop(t, d);
	return fl | TP_FRAG_DONE;
}

/* ---- for the dissectors ------------------------------------------------ */

tp_fragtab *tp_frag_table(const tp_pkt *p)
{
	if (!p->sess || !p->sess->frags || p->in_error || p->reasm)
		return NULL;
	return p->sess->frags;
}

void tp_frag_report(tp_pkt *p, unsigned r, bool more, uint64_t end, size_t at,
		    const tp_event_def *const ev[TP_FRAG_NEV])
{
	if (r & TP_FRAG_OVERLAP)
		tp_add_event(p, ev[0], at);
	if (r & TP_FRAG_OVERLAP_DIFF)
		tp_add_event(p, ev[1], at);
	if (r & TP_FRAG_BAD)
		tp_add_event(p, ev[more || end > 65535 ? 2 : 3], at);
	if ((r & TP_FRAG_BAD) ||
	    ((r & TP_FRAG_DISCARDED) && !(r & TP_FRAG_CAPPED)))
		tp_add_event(p, ev[4], at);
	if (r & TP_FRAG_CAPPED)
		tp_add_event(p, ev[5], at);
	if (r & TP_FRAG_HELD)
		tp_add_event(p, ev[6], at);
}

bool tp_frag_completed(const tp_pkt *p, unsigned li)
{
	return li + 1 < p->nlayers && p->layers[li + 1].reassembled &&
	       !p->layers[li].reassembled;
}

bool tp_frag_in_table(const tp_pkt *p, unsigned li, const tp_event_def *first,
		      const tp_event_def *last)
{
	for (unsigned i = 0; i < p->nevents; i++) {
		const tp_event_def *e = p->events[i].def;
		if (p->events[i].layer == li && e >= first && e <= last)
			return true;
	}
	return false;
}
