/* seqtab.c - tcpdump's relative TCP sequence numbers.
 *
 * tcpdump (print-tcp.c) remembers, for every connection it has seen a
 * packet with ACK set on, the sequence numbers of that first packet, and
 * prints later ones relative to them; a SYN (so the SYN-ACK, the first
 * with ACK) starts the connection again.  Its table never forgets.  An
 * earlier version of this table emptied itself when 3/4 full and so
 * re-based long connections at an arbitrary packet on busy captures
 * (`seq 1:1449, ack 0` where tcpdump printed `seq 1942813:1944261, ack
 * 716`).  This one grows (open addressing, doubled at 1/2 load) and never
 * forgets either, up to TP_SEQTAB_MAX connections (about 40 bytes each
 * counting the empty slots: 80 MiB at most).  Past that, connections not
 * yet in the table are printed with absolute numbers (as -S would): never
 * a re-based number that tcpdump would not print.
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/output.h"

struct seq_ent {
	uint8_t used, addrlen;
	uint16_t pa, pb;
	uint32_t seq_a, seq_b; /* first sequence of the a->b / b->a side */
	uint8_t a[16], b[16];  /* the key, ordered as tcpdump orders it */
};

struct tp_seqtab {
	struct seq_ent *e;
	size_t size, n, max; /* slots (a power of two), used, the cap */
	bool full;           /* the cap was reached at least once */
};

struct tp_seqtab *tp_seqtab_new(void) { return tp_seqtab_new_capped(0); }

struct tp_seqtab *tp_seqtab_new_capped(size_t max)
{
	struct tp_seqtab *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->max = max ? max : TP_SEQTAB_MAX;
	t->size = 1024;
	t->e = calloc(t->size, sizeof *t->e);
	if (!t->e) {
		free(t);
		return NULL;
	}
	return t;
}

void tp_seqtab_free(struct tp_seqtab *t)
{
	if (t)
		free(t->e);
	free(t);
}

size_t tp_seqtab_count(const struct tp_seqtab *t) { return t ? t->n : 0; }
bool tp_seqtab_full(const struct tp_seqtab *t) { return t && t->full; }

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static size_t slot_of(const struct tp_seqtab *t, const uint8_t *a,
		      const uint8_t *b, unsigned addrlen, uint16_t pa,
		      uint16_t pb)
{
	uint64_t h = mix(addrlen, (uint64_t)pa << 16 | pb);
	for (unsigned i = 0; i < addrlen; i += 4) {
		uint32_t x, y;
		memcpy(&x, a + i, 4);
		memcpy(&y, b + i, 4);
		h = mix(h, (uint64_t)x << 32 | y);
	}
	return (size_t)h & (t->size - 1);
}

static bool same(const struct seq_ent *x, const uint8_t *a, const uint8_t *b,
		 unsigned addrlen, uint16_t pa, uint16_t pb)
{
	return x->addrlen == addrlen && x->pa == pa && x->pb == pb &&
	       !memcmp(x->a, a, addrlen) && !memcmp(x->b, b, addrlen);
}

static bool grow(struct tp_seqtab *t)
{
	size_t nsize = t->size * 2;
	struct seq_ent *ne = calloc(nsize, sizeof *ne), *old = t->e;
	if (!ne)
		return false;
	size_t osize = t->size;
	t->e = ne;
	t->size = nsize;
	for (size_t i = 0; i < osize; i++) {
		if (!old[i].used)
			continue;
		size_t s = slot_of(t, old[i].a, old[i].b, old[i].addrlen,
				   old[i].pa, old[i].pb);
		while (ne[s].used)
			s = (s + 1) & (nsize - 1);
		ne[s] = old[i];
	}
	free(old);
	return true;
}

/* tcpdump's collating order: the lower port first, the addresses when
 * the ports are equal; true when dst is side a. */
static bool reversed(const uint8_t *src, const uint8_t *dst, unsigned addrlen,
		     uint16_t sport, uint16_t dport)
{
	return sport > dport ||
	       (sport == dport && memcmp(src, dst, addrlen) > 0);
}

void tp_seqtab_prefetch(const struct tp_seqtab *t, const uint8_t *src,
			const uint8_t *dst, unsigned addrlen, uint16_t sport,
			uint16_t dport)
{
	if (!t || (addrlen != 4 && addrlen != 16))
		return;
	bool rev = reversed(src, dst, addrlen, sport, dport);
	size_t s = slot_of(t, rev ? dst : src, rev ? src : dst, addrlen,
			   rev ? dport : sport, rev ? sport : dport);
	__builtin_prefetch(&t->e[s]);
}

bool tp_seq_relative(struct tp_seqtab *t, const uint8_t *src,
		     const uint8_t *dst, unsigned addrlen, uint16_t sport,
		     uint16_t dport, bool syn, uint32_t *seq, uint32_t *ack)
{
	if (!t || (addrlen != 4 && addrlen != 16))
		return false;
	bool rev = reversed(src, dst, addrlen, sport, dport);
	const uint8_t *a = rev ? dst : src, *b = rev ? src : dst;
	uint16_t pa = rev ? dport : sport, pb = rev ? sport : dport;
	size_t s = slot_of(t, a, b, addrlen, pa, pb);
	struct seq_ent *e = &t->e[s];
	while (e->used && !same(e, a, b, addrlen, pa, pb)) {
		s = (s + 1) & (t->size - 1);
		e = &t->e[s];
	}
	if (!e->used) {
		if (t->n >= t->max) {
			t->full = true;
			return false; /* printed absolute, as -S */
		}
		if ((t->n + 1) * 2 > t->size) {
			if (!grow(t)) {
				t->full = true;
				return false;
			}
			return tp_seq_relative(t, src, dst, addrlen, sport,
					       dport, syn, seq, ack);
		}
		t->n++;
		e->used = 1;
		e->addrlen = (uint8_t)addrlen;
		memcpy(e->a, a, addrlen);
		memcpy(e->b, b, addrlen);
		e->pa = pa;
		e->pb = pb;
		syn = true; /* recorded below, printed absolute */
	}
	if (syn) {
		if (rev) {
			e->seq_b = *seq;
			e->seq_a = *ack - 1;
		} else {
			e->seq_a = *seq;
			e->seq_b = *ack - 1;
		}
		return false;
	}
	if (rev) {
		*seq -= e->seq_b;
		*ack -= e->seq_a;
	} else {
		*seq -= e->seq_a;
		*ack -= e->seq_b;
	}
	return true;
}
