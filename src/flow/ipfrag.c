/* ipfrag.c - IPv4 and IPv6 fragment reassembly (contract: ipfrag.h).
 *
 * RFC 791 section 3.2 (reassembly: key, fragment offset in 8-octet units,
 * MF), RFC 815 (holes: here the gaps between held ranges), RFC 8200
 * section 4.5 (IPv6 fragment header; exact duplicates may be dropped
 * instead of being taken as overlaps), RFC 5722 section 4 (overlapping
 * IPv6 fragments: the datagram is discarded silently), RFC 6946 (atomic
 * fragments are the caller's business: they never reach this table).
 *
 * Layout.  A fixed bucket array (a power of two, at least max_dgrams) of
 * chains of datagrams in progress; every datagram is also on one age list,
 * in order of creation, for the timeout and the caps.  A datagram holds
 * its bytes in a tp_rangeset (rangeset.h): IPv4 fragments that touch or
 * overlap are coalesced into one range (first data wins: only bytes not
 * held yet are written), so 8,000 eight-byte fragments cost one range,
 * not 8,000 records with headers, and each fragment is placed in
 * O(log n).  IPv6 keeps each fragment as its own range: RFC 5722 needs
 * the extents (an overlap that is not an exact duplicate of one held
 * fragment discards the datagram).  Every fragment, duplicates included,
 * also leaves a 16-byte record (frame number, offset, arrival), in an
 * array that doubles, for the list of frames handed out on completion
 * (sorted by offset, then arrival, once).
 *
 * Memory.  `used` is exactly the bytes allocated for datagrams in
 * progress: each datagram record, its ranges (headers and buffers) and
 * its fragment records.  A datagram may hold at most TP_FRAG_DGRAM_MEM of
 * it (a flood of duplicates of one fragment is discarded there, not
 * after 256 fragments as once).  Fixed overhead outside the cap: the
 * bucket array, the output buffer (64 KiB of payload, allocated once by
 * tp_fragtab_new) and the frame list of the largest datagram completed
 * (24 bytes a fragment, at most TP_FRAG_DGRAM_MEM / 16 fragments).
 *
 * Time.  The age list is in arrival order; expiry looks at its head only,
 * so with capture timestamps that go backwards a datagram may live a little
 * longer than the timeout (never past the caps).  Completion is known in
 * O(1): the datagram is whole when the bytes held equal its total.
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/flow.h"
#include "tapir/ipfrag.h"
#include "tapir/rangeset.h"
#include "tapir/record.h"

/* The largest payload offset + length any fragment may reach. */
#define FRAG_MAX_END 65535u
/* Bucket array bounds (entries). */
#define MIN_BUCKETS 16u
#define MAX_BUCKETS (1u << 20)

/* One fragment seen: where, and in which frame (for the list of frames
 * handed out with the datagram). */
struct fragrec {
	uint64_t frame;
	uint32_t off;
	uint32_t seq; /* arrival order */
};

struct dgram {
	tp_fragkey key;            /* normalised copy */
	uint32_t hash;
	struct dgram *hnext;       /* bucket chain */
	struct dgram **hpprev;     /* the pointer that points at this one */
	struct dgram *older, *newer; /* age list */
	tp_rangeset data;          /* the bytes held */
	struct fragrec *recs;      /* in arrival order */
	unsigned nrecs, caprecs;
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
	struct fragrec *sorted;    /* the last datagram's fragments */
	uint64_t *frames;          /* ... their frame numbers */
	unsigned nframes_cap;
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
	tp_rs_clear(&d->data);
	free(d->recs);
	d->recs = NULL;
	d->nrecs = d->caprecs = 0;
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
	free(t->sorted);
	free(t->frames);
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
	tp_rs_init(&d->data, k->family != 6);
	/* a datagram may grow without slack when memory is short: it is at
	 * most 64 KiB, and only a fragment with new bytes regrows it */
	d->data.exact_max = FRAG_MAX_END;
	account(t, d, sizeof *d);
	return d;
}

/* ---- one fragment ---------------------------------------------------- */

/* How a new fragment [off, end) meets the held bytes of `d`. */
struct meet {
	bool overlap; /* some bytes already held */
	bool diff;    /* ... and some of them differ */
	bool covered; /* every byte already held */
	bool exact;   /* one held range with the same extent and bytes (for
		       * IPv6, whose ranges are its fragments) */
};

static struct meet meet(const struct dgram *d, uint32_t off, uint32_t end,
			const uint8_t *data)
{
	struct meet m = {false, false, false, false};
	uint32_t cov = off; /* bytes [off, cov) are known to be held */
	for (const tp_range *g = tp_rs_find(&d->data, off); g && g->off < end;
	     g = tp_rs_next(g)) {
		uint32_t go = (uint32_t)g->off, ge = (uint32_t)tp_range_end(g);
		uint32_t lo = go > off ? go : off;
		uint32_t hi = ge < end ? ge : end;
		m.overlap = true;
		if (memcmp(data + (lo - off), tp_range_data(g) + (lo - go),
			   hi - lo) != 0)
			m.diff = true;
		else if (go == off && ge == end)
			m.exact = true;
		if (go <= cov && hi > cov)
			cov = hi;
	}
	m.covered = cov >= end;
	if (m.diff)
		m.exact = false;
	return m;
}

/* All of [0, total) held?  (Nothing is held past total.) */
static bool complete(const struct dgram *d)
{
	return d->has_total && d->data.bytes == d->total;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct fragrec *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The payload into t->out and the frame numbers, in offset order (then
 * arrival), into t->frames.  False when the frame list cannot be
 * allocated. */
static bool build(tp_fragtab *t, const struct dgram *d, tp_fragdone *out)
{
	unsigned n = d->nrecs;
	if (n > t->nframes_cap) {
		struct fragrec *s = malloc(n * sizeof *s);
		uint64_t *f = malloc(n * sizeof *f);
		if (!s || !f) {
			free(s);
			free(f);
			return false;
		}
		free(t->sorted);
		free(t->frames);
		t->sorted = s;
		t->frames = f;
		t->nframes_cap = n;
	}
	for (const tp_range *g = tp_rs_first(&d->data); g; g = tp_rs_next(g))
		memcpy(t->out + g->off, tp_range_data(g), g->len);
	memcpy(t->sorted, d->recs, n * sizeof *t->sorted);
	qsort(t->sorted, n, sizeof *t->sorted, rec_cmp);
	for (unsigned i = 0; i < n; i++)
		t->frames[i] = t->sorted[i].frame;
	out->data = t->out;
	out->len = d->total;
	out->proto = d->proto;
	out->frames = t->frames;
	out->nframes = n;
	return true;
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

	/* What it costs: the new bytes (held ranges join: exact size when
	 * memory is short, slack otherwise), and the record, whose array
	 * doubles. */
	bool keep = !m.covered && n > 0;
	size_t rcost = 0;
	unsigned ncap = 0;
	if (!d || d->nrecs == d->caprecs) {
		ncap = d && d->caprecs ? 2 * d->caprecs : 1;
		rcost = (ncap - (d ? d->caprecs : 0)) * sizeof(struct fragrec);
	}
	size_t dcost = 0;
	if (keep)
		dcost = d ? tp_rs_cost(&d->data, off, n, false)
			  : sizeof(tp_range) + n;
	size_t cost = dcost + rcost + (d ? 0 : sizeof(struct dgram));
	if (d && d->mem + cost > TP_FRAG_DGRAM_MEM) {
		/* the per-datagram bound (hostile: a flood of duplicates) */
		drop(t, d);
		return fl | TP_FRAG_DISCARDED | TP_FRAG_CAPPED;
	}
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
	if (ncap) {
		struct fragrec *nr = realloc(d->recs, ncap * sizeof *nr);
		if (!nr) {
			drop(t, d);
			return fl | TP_FRAG_DISCARDED;
		}
		d->recs = nr;
		account(t, d, (ncap - d->caprecs) * sizeof *nr);
		d->caprecs = ncap;
	}
	if (keep) {
		size_t before = d->data.mem;
		size_t room = t->mem_cap - t->used;
		size_t droom = TP_FRAG_DGRAM_MEM - d->mem;
		if (droom < room)
			room = droom;
		/* first data wins: only the bytes not held go in (IPv6
		 * keeps nothing that overlaps: its piece is disjoint) */
		if (!tp_rs_put(&d->data, off, data, n, room)) {
			drop(t, d);
			return fl | TP_FRAG_DISCARDED;
		}
		if (d->data.mem > before)
			account(t, d, d->data.mem - before);
		else {
			d->mem -= before - d->data.mem;
			t->used -= before - d->data.mem;
		}
	}
	d->recs[d->nrecs] = (struct fragrec){frame, off, d->nrecs};
	d->nrecs++;
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
	bool ok = !out || build(t, d, out);
	drop(t, d);
	return fl | (ok ? TP_FRAG_DONE : TP_FRAG_DISCARDED);
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
