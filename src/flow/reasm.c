/* reasm.c - TCP stream reassembly (one direction) and PDU buffering.
 *
 * Contract: include/tapir/reasm.h (promises 1-5 there).
 * References: RFC 9293 section 3.4 (sequence numbers, modular
 * comparison), 3.8.4 (keep-alives: a segment at SND.NXT-1 with 0 or 1
 * byte), 3.8.6.1 (zero-window probes), 3.10.7.4 (segments trimmed to
 * what is new); RFC 7323 section 2.3 (a window is at most 2^30 bytes);
 * RFC 7413 (TCP Fast Open: data on the SYN, at ISN + 1).
 *
 * Choices made within the contract:
 *  - Unwrapping: a sequence number becomes the 64-bit offset nearest to
 *    r->high (one past the highest offset seen); exactly 2^31 away counts
 *    as behind.  The reference point is kept within 2^30 (the largest
 *    window, RFC 7323) of r->next: this changes nothing for any offset
 *    within a window of r->high, but a bogus segment (a damaged sequence
 *    number up to 2^31 ahead) cannot drag the numbering away from the
 *    real stream, which goes on at r->next.  Offsets below 0 are before
 *    the base: ignored (TP_RA_BEFORE_BASE).  A segment longer than
 *    2^31 - 1 bytes (no IP packet is) is cut to that length.
 *  - tp_reasm_set_base only takes effect while nothing has been seen
 *    (high == 0, nothing held): a SYN seen again, or late, cannot move
 *    the numbering of bytes already placed.  tp_reasm_add with n == 0
 *    does nothing (a bare keep-alive or a pure ACK) and sets no base.
 *  - Flags: TP_RA_OVERLAP is set whenever some byte was already seen
 *    (delivered, announced as a gap, or held), so a full duplicate is
 *    TP_RA_DUP | TP_RA_OVERLAP; a partial one TP_RA_NEW | TP_RA_OVERLAP.
 *    Bytes before r->next (delivered or given up as a gap) are no longer
 *    kept, so they can only be reported as seen, never compared:
 *    TP_RA_OVERLAP_DIFF is raised only against held bytes.  (A ring of
 *    the last delivered bytes would catch more, at 2 KiB per direction
 *    for every flow; not done.)  A keep-alive carrying one garbage byte
 *    at next - 1 is therefore a plain TP_RA_DUP.
 *  - Held bytes: r->held is NULL when nothing is held, else a tp_rangeset
 *    (rangeset.h) of disjoint ranges, coalesced: a segment touching or
 *    overlapping held ranges joins them into one (first data wins: only
 *    its bytes not held yet are written), so a stream sent as one-byte
 *    segments in any order costs its bytes plus a header per hole, not
 *    a header per segment.  Finding the place of a segment is O(log n)
 *    (O(log n) also after the last one, the common case, where the tree
 *    is walked to its right end).  A new segment is cut into the pieces
 *    not already held, each put into the set.  Only the first range is
 *    ever removed (delivered, whole).
 *  - Caps, all in bytes: r->held_bytes counts held payload bytes and is
 *    kept <= dir_cap; the memory of the direction's set (range headers
 *    and buffers, a buffer at most twice its bytes) is kept <= 4 *
 *    dir_cap, and at least RA_DIR_MEM_MIN, which only distinct tiny
 *    pieces with holes between them can reach (a hostile flood: with the
 *    default caps some 57,000 of them, where 4096 segments of any size
 *    were once the limit); m->used counts what is really allocated: the
 *    set's memory, the set itself while something is held, and each
 *    tp_pdubuf's buffer capacity.  m->peak is the high-water mark of
 *    m->used.  Slack in a buffer is taken only where the caps leave room
 *    for it.
 *  - When a piece does not fit, the hole in front of the held data is
 *    given up one hole at a time (a gap, then the held run after it is
 *    delivered, freeing memory) while that helps: while held data lies
 *    before the piece.  If the piece lies in the first hole itself, only
 *    [next, piece) is given up and the piece is delivered in order.  If
 *    nothing is held in front of it and it still does not fit (the
 *    global cap is taken by other flows, or the piece is larger than
 *    dir_cap), it is dropped (TP_RA_DROPPED) and becomes part of a later
 *    gap.
 *  - tp_reasm_ack: an ACK beyond r->next gives up every hole before it
 *    (gaps) and delivers the held data in between.  An ACK more than
 *    2^30 (the largest window) beyond r->high is absurd and ignored.  An
 *    ACK exactly one beyond r->high is taken as acknowledging a FIN (its
 *    sequence slot is no data) and counts as an ACK of r->high.  The
 *    caller should not count a FIN it saw: for an ACK past a FIN of this
 *    direction at sequence f it passes f (this also covers a FIN after
 *    lost data, which the rule above cannot tell from one lost byte).
 *  - An ACK before the data it acknowledges (a capture reordering) gaps
 *    those bytes; when they come they are late: TP_RA_DUP.
 *  - tp_reasm_end: the FIN's sequence number f proves that the sender
 *    wrote every byte before it, so the holes before f are gaps, with no
 *    FIN-slot guess (f itself is no data): a lost last segment is
 *    reported even when it was one byte long.  The same bounds as an
 *    ACK: f at or before r->next, or more than a largest window beyond
 *    r->high, does nothing.
 *  - Sink callbacks must not call back into the same tp_reasm.
 *  - tp_pdubuf: see the comment above tp_pdubuf_feed.
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/rangeset.h"
#include "tapir/reasm.h"

#define RA_SEG_MAX    0x7fffffffu  /* longest segment taken */
#define RA_WINDOW_MAX (1ull << 30) /* RFC 7323 2.3: the largest window */
#define RA_HALF	      0x80000000u
/* Memory a direction may hold (headers and buffers): four times its byte
 * cap, and at least RA_DIR_MEM_MIN. */
#define RA_DIR_MEM_MIN (64u << 10)

static size_t mem_cap(const tp_reasm_mem *m)
{
	return m->cap ? m->cap : TP_REASM_MEM_CAP;
}

static void mem_take(tp_reasm_mem *m, size_t n)
{
	m->used += n;
	if (m->used > m->peak)
		m->peak = m->used;
}

static void mem_give(tp_reasm_mem *m, size_t n)
{
	m->used = m->used >= n ? m->used - n : 0;
}

/* Can `n` more bytes be charged to m? */
static bool mem_fits(const tp_reasm_mem *m, size_t n)
{
	size_t cap = mem_cap(m);
	return n <= cap && m->used <= cap - n;
}

bool tp_reasm_mem_take(tp_reasm_mem *m, size_t n)
{
	if (!mem_fits(m, n))
		return false;
	mem_take(m, n);
	return true;
}

void tp_reasm_mem_give(tp_reasm_mem *m, size_t n) { mem_give(m, n); }

/* How much more m can take. */
static size_t mem_room(const tp_reasm_mem *m)
{
	size_t cap = mem_cap(m);
	return m->used < cap ? cap - m->used : 0;
}

void tp_reasm_init(tp_reasm *r, size_t dir_cap)
{
	memset(r, 0, sizeof *r);
	r->dir_cap = dir_cap;
}

void tp_reasm_set_base(tp_reasm *r, uint32_t seq)
{
	if (r->base_set && (r->high > 0 || r->next > 0 || r->held))
		return;
	r->base = seq;
	r->base_set = true;
}

/* The offset of `seq` nearest to the reference point (RFC 9293 3.4
 * arithmetic): r->high, but never more than a largest window ahead of
 * r->next. */
static int64_t unwrap(const tp_reasm *r, uint32_t seq)
{
	uint64_t ref = r->high;
	if (ref - r->next > RA_WINDOW_MAX)
		ref = r->next + RA_WINDOW_MAX;
	uint32_t u = seq - (r->base + (uint32_t)ref);
	int64_t d = u < RA_HALF ? (int64_t)u : (int64_t)u - (1ll << 32);
	return (int64_t)ref + d;
}

int64_t tp_reasm_offset(const tp_reasm *r, uint32_t seq)
{
	if (!r->base_set)
		return -1;
	return unwrap(r, seq);
}

/* ---- the held ranges ---------------------------------------------------- */

static tp_range *held_first(const tp_reasm *r)
{
	return r->held ? tp_rs_first(r->held) : NULL;
}

/* The first held range ending after `pos`, or NULL. */
static tp_range *held_find(const tp_reasm *r, uint64_t pos)
{
	if (!r->held)
		return NULL;
	const tp_range *last = tp_rs_last(r->held);
	if (!last || tp_range_end(last) <= pos)
		return NULL; /* after the last one: the common case */
	return tp_rs_find(r->held, pos);
}

/* Charge m with the change of the held set's memory since `before`. */
static void held_account(tp_reasm *r, tp_reasm_mem *m, size_t before)
{
	size_t now = r->held ? r->held->mem : 0;
	if (now > before)
		mem_take(m, now - before);
	else
		mem_give(m, before - now);
	r->held_bytes = r->held ? r->held->bytes : 0;
}

/* Drop the (empty) set. */
static void held_release(tp_reasm *r, tp_reasm_mem *m)
{
	if (r->held && r->held->n == 0) {
		free(r->held);
		mem_give(m, sizeof *r->held);
		r->held = NULL;
	}
}

/* ---- output ----------------------------------------------------------- */

static void emit_data(tp_reasm *r, const tp_reasm_sink *s, const uint8_t *b,
		      size_t n)
{
	if (s && s->data)
		s->data(s->ctx, r->next, b, n);
	r->next += n;
}

static void emit_gap(tp_reasm *r, const tp_reasm_sink *s, uint64_t end)
{
	uint64_t n = end - r->next;
	if (s && s->gap)
		s->gap(s->ctx, r->next, n);
	r->gap_bytes += n;
	r->ngaps++;
	r->next = end;
}

/* Deliver held ranges while the first one is contiguous. */
static void deliver_ready(tp_reasm *r, tp_reasm_mem *m, const tp_reasm_sink *s)
{
	tp_range *g;
	while ((g = held_first(r)) && g->off == r->next) {
		emit_data(r, s, tp_range_data(g), g->len);
		size_t before = r->held->mem;
		tp_rs_remove(r->held, g);
		held_account(r, m, before);
		held_release(r, m);
	}
}

/* ---- adding ----------------------------------------------------------- */

/* Can the piece [pos, pos + n) be held?  *room: the memory it may take
 * (slack included when it fits). */
static bool piece_fits(const tp_reasm *r, const tp_reasm_mem *m, uint64_t pos,
		       size_t n, size_t *room)
{
	size_t dcap = r->dir_cap ? r->dir_cap : TP_REASM_DIR_CAP;
	if (n > dcap || r->held_bytes > dcap - n)
		return false;
	size_t dmem = dcap < SIZE_MAX / 4 ? 4 * dcap : SIZE_MAX;
	if (dmem < RA_DIR_MEM_MIN)
		dmem = RA_DIR_MEM_MIN;
	size_t set = sizeof(tp_rangeset), have = set, need;
	if (r->held) {
		have += r->held->mem;
		need = tp_rs_cost(r->held, pos, n, false);
	} else {
		need = set + sizeof(tp_range) + n;
	}
	size_t g = mem_room(m), d = have < dmem ? dmem - have : 0;
	if (need > g || need > d)
		return false;
	*room = (g < d ? g : d) - (r->held ? 0 : set);
	return true;
}

/* New bytes p[0..n) at offset pos (> r->next or == r->next), none of them
 * held.  Held ranges before pos lie wholly before it. */
static unsigned place(tp_reasm *r, tp_reasm_mem *m, uint64_t pos,
		      const uint8_t *p, size_t n, const tp_reasm_sink *s)
{
	unsigned f = 0;
	size_t room = 0;
	deliver_ready(r, m, s);
	if (pos != r->next) {
		/* give up holes in front of held data before pos while the
		 * piece does not fit */
		while (!piece_fits(r, m, pos, n, &room) && r->held &&
		       r->next < pos) {
			tp_range *h = held_first(r);
			f |= TP_RA_GAP;
			if (h->off >= pos) { /* the piece is in this hole */
				emit_gap(r, s, pos);
				break;
			}
			emit_gap(r, s, h->off);
			deliver_ready(r, m, s);
		}
	}
	if (pos == r->next) {
		emit_data(r, s, p, n);
		return f | TP_RA_NEW;
	}
	if (!piece_fits(r, m, pos, n, &room))
		return f | TP_RA_DROPPED;
	if (!r->held) {
		r->held = malloc(sizeof *r->held);
		if (!r->held)
			return f | TP_RA_DROPPED;
		tp_rs_init(r->held, true);
		mem_take(m, sizeof *r->held);
	}
	size_t before = r->held->mem;
	bool ok = tp_rs_put(r->held, pos, p, n, room);
	held_account(r, m, before);
	if (!ok) {
		held_release(r, m);
		return f | TP_RA_DROPPED;
	}
	return f | TP_RA_NEW | TP_RA_HELD;
}

unsigned tp_reasm_add(tp_reasm *r, tp_reasm_mem *m, uint32_t seq,
		      const uint8_t *data, size_t n, const tp_reasm_sink *s)
{
	unsigned f = 0;
	if (n == 0 || !data)
		return 0;
	if (n > RA_SEG_MAX)
		n = RA_SEG_MAX;
	if (!r->base_set) {
		r->base = seq;
		r->base_set = true;
	}
	int64_t so = unwrap(r, seq);
	uint64_t start;
	if (so < 0) {
		uint64_t before = (uint64_t)-so;
		f |= TP_RA_BEFORE_BASE;
		if (before >= n)
			return f;
		data += before;
		n -= (size_t)before;
		start = 0;
	} else {
		start = (uint64_t)so;
	}
	uint64_t end = start + n;
	if (end > r->high)
		r->high = end;

	/* bytes before next: delivered or given up, not kept */
	if (start < r->next) {
		f |= TP_RA_OVERLAP;
		if (end <= r->next)
			return f | TP_RA_DUP;
		data += r->next - start;
		start = r->next;
	}

	tp_range *at = held_find(r, start);
	uint64_t pos = start;
	while (pos < end) {
		if (at && at->off <= pos) {
			/* held bytes win; compare */
			uint64_t e = tp_range_end(at) < end ? tp_range_end(at)
							     : end;
			const uint8_t *mine = tp_range_data(at) + (pos - at->off);
			if (memcmp(mine, data + (pos - start), e - pos) != 0)
				f |= TP_RA_OVERLAP_DIFF;
			f |= TP_RA_OVERLAP;
			pos = e;
			at = pos < end ? tp_rs_next(at) : NULL;
			continue;
		}
		uint64_t e = at && at->off < end ? at->off : end;
		f |= place(r, m, pos, data + (pos - start), (size_t)(e - pos),
			   s);
		pos = e;
		/* the piece may have joined the range after it */
		at = pos < end ? held_find(r, pos) : NULL;
	}
	deliver_ready(r, m, s);
	if (!(f & (TP_RA_NEW | TP_RA_DROPPED)))
		f |= TP_RA_DUP;
	return f;
}

/* Give up every hole before offset `ua` (> r->next): gaps, and the held
 * data between them delivered. */
static unsigned give_up_to(tp_reasm *r, tp_reasm_mem *m, uint64_t ua,
			  const tp_reasm_sink *s)
{
	unsigned f = 0;
	while (r->next < ua) {
		tp_range *h = held_first(r);
		emit_gap(r, s, h && h->off < ua ? h->off : ua);
		f |= TP_RA_GAP;
		deliver_ready(r, m, s);
	}
	if (r->next > r->high)
		r->high = r->next;
	return f;
}

/* The offset of `seq` when it lies past r->next and within the largest
 * window of r->high; 0 otherwise. */
static uint64_t ahead(const tp_reasm *r, uint32_t seq)
{
	if (!r->base_set)
		return 0;
	int64_t a = unwrap(r, seq);
	if (a <= 0 || (uint64_t)a <= r->next ||
	    (uint64_t)a > r->high + RA_WINDOW_MAX)
		return 0;
	return (uint64_t)a;
}

unsigned tp_reasm_ack(tp_reasm *r, tp_reasm_mem *m, uint32_t ack,
		      const tp_reasm_sink *s)
{
	uint64_t ua = ahead(r, ack);
	if (!ua)
		return 0;
	if (ua == r->high + 1) /* the FIN's slot */
		ua = r->high;
	return ua > r->next ? give_up_to(r, m, ua, s) : 0;
}

unsigned tp_reasm_end(tp_reasm *r, tp_reasm_mem *m, uint32_t fin,
		      const tp_reasm_sink *s)
{
	uint64_t ua = ahead(r, fin);
	return ua ? give_up_to(r, m, ua, s) : 0;
}

void tp_reasm_flush(tp_reasm *r, tp_reasm_mem *m, const tp_reasm_sink *s)
{
	tp_range *h;
	while ((h = held_first(r))) {
		if (h->off > r->next)
			emit_gap(r, s, h->off);
		deliver_ready(r, m, s);
	}
}

void tp_reasm_free(tp_reasm *r, tp_reasm_mem *m)
{
	if (r->held) {
		mem_give(m, r->held->mem);
		tp_rs_clear(r->held);
		held_release(r, m);
	}
	r->held_bytes = 0;
}

/* ---- PDUs ----------------------------------------------------------------
 *
 * tp_pdubuf_feed shows fn the bytes not consumed yet.  With nothing
 * buffered, fn sees the caller's bytes directly and only the unconsumed
 * tail is copied; with a buffered tail, new bytes are appended (up to
 * `max` in all) and fn sees the buffer.  fn is called again while it
 * consumes something and bytes remain (not when its `needed` says the
 * rest is too short).  When fn stops inside a PDU:
 *  - needed > max: the PDU is passed over (skipping; skip = the bytes of
 *    it not seen yet), then dissection resumes at the next PDU;
 *  - `max` bytes shown and nothing consumed, needed unknown (or not more
 *    than what fn had): the PDU's end cannot be found: the rest of the
 *    stream is passed over (skip = UINT64_MAX);
 *  - the memory cap refuses the tail: as for a PDU too big (its size
 *    known: passed over; unknown: the rest of the stream).
 * fn returning false, or consuming more than it was shown (a dissector
 * bug), passes over the rest of the stream.  The buffer is freed whenever
 * it empties; its capacity (at most max) is what m is charged.
 *
 * tp_pdubuf_gap drops the buffered tail.  While a PDU of known size is
 * being passed over, the gap counts against what is left of it (when the
 * gap ends inside that PDU, the next PDU's start is still known); past
 * it, dissection starts again at the next byte.  A stream given up stays
 * given up.
 */

void tp_pdubuf_init(tp_pdubuf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

static void pdubuf_release(tp_pdubuf *b, tp_reasm_mem *m)
{
	free(b->buf);
	mem_give(m, b->cap);
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
}

static void pdubuf_give_up(tp_pdubuf *b, tp_reasm_mem *m)
{
	pdubuf_release(b, m);
	b->skipping = true;
	b->skip = UINT64_MAX;
}

/* Capacity for `want` bytes (want <= max); false if m refuses. */
static bool pdubuf_reserve(tp_pdubuf *b, tp_reasm_mem *m, size_t want,
			   size_t max)
{
	if (want <= b->cap)
		return true;
	size_t nc = b->cap > max / 2 ? max : b->cap * 2;
	if (nc < want)
		nc = want;
	if (nc < 256 && max >= 256)
		nc = 256;
	if (!mem_fits(m, nc - b->cap)) {
		nc = want;
		if (!mem_fits(m, nc - b->cap))
			return false;
	}
	uint8_t *nb = realloc(b->buf, nc);
	if (!nb)
		return false;
	mem_take(m, nc - b->cap);
	b->buf = nb;
	b->cap = nc;
	return true;
}

/* Pass over the PDU at the start of `rest` shown bytes: `needed` in all
 * (0 = unknown). */
static void pdubuf_pass_over(tp_pdubuf *b, tp_reasm_mem *m, size_t rest,
			     size_t needed)
{
	if (needed <= rest) {
		pdubuf_give_up(b, m);
		return;
	}
	pdubuf_release(b, m);
	b->skipping = true;
	b->skip = needed - rest;
}

void tp_pdubuf_feed(tp_pdubuf *b, tp_reasm_mem *m, const uint8_t *data,
		    size_t n, tp_pdu_fn fn, void *ctx)
{
	size_t max = b->max ? b->max : TP_PDU_MAX;
	if (!data)
		return;
	uint64_t end = b->total + n; /* where these bytes end */
	b->total = end;
	while (n > 0) {
		if (b->skipping) {
			if (b->skip == UINT64_MAX)
				return;
			size_t k = b->skip < n ? (size_t)b->skip : n;
			data += k;
			n -= k;
			b->skip -= k;
			if (b->skip == 0)
				b->skipping = false;
			continue;
		}
		const uint8_t *v = data;
		size_t vn = n;
		bool inbuf = b->len > 0, starved = false;
		if (inbuf) {
			size_t take = max - b->len < n ? max - b->len : n;
			if (b->len >= max) /* not kept: tails are < max */
				take = 0;
			if (!pdubuf_reserve(b, m, b->len + take, max)) {
				starved = true; /* what the buffer holds */
				take = b->cap - b->len < take ? b->cap - b->len
							      : take;
			}
			if (take > 0)
				memcpy(b->buf + b->len, data, take);
			b->len += take;
			data += take;
			n -= take;
			v = b->buf;
			vn = b->len;
		} else {
			/* fn never sees more than max bytes at a time, so a
			 * PDU larger than max is passed over however the
			 * stream is cut */
			vn = n < max ? n : max;
			data += vn;
			n -= vn;
		}
		/* v[0..vn) is shown; data[0..n) is still to come */
		size_t pos = 0;
		for (;;) {
			size_t c = 0, needed = 0;
			/* what is shown ends where data[0..n) starts */
			b->at = end - n - (vn - pos);
			if (!fn(ctx, v + pos, vn - pos, &c, &needed) ||
			    c > vn - pos) {
				pdubuf_give_up(b, m);
				return;
			}
			pos += c;
			/* fn may have handed the stream to a dissector with
			 * another PDU size (tp_app_handoff) */
			max = b->max ? b->max : TP_PDU_MAX;
			size_t rest = vn - pos;
			if (rest == 0) {
				if (inbuf)
					pdubuf_release(b, m);
				break;
			}
			if (c > 0 && (needed == 0 || needed <= rest))
				continue;
			/* stopped inside a PDU of which rest bytes are here */
			if (needed > rest && needed > max) {
				pdubuf_pass_over(b, m, rest, needed);
				break;
			}
			if ((starved && pos == 0) || rest >= max) {
				pdubuf_pass_over(b, m, rest,
						 needed > rest ? needed : 0);
				break;
			}
			/* keep the tail (starved: retry with the room freed) */
			if (inbuf) {
				memmove(b->buf, b->buf + pos, rest);
				b->len = rest;
			} else if (n > 0) {
				/* more follows: show it from here */
				data -= rest;
				n += rest;
			} else if (pdubuf_reserve(b, m, rest, max)) {
				memcpy(b->buf, v + pos, rest);
				b->len = rest;
			} else {
				pdubuf_pass_over(b, m, rest,
						 needed > rest ? needed : 0);
			}
			break;
		}
	}
}

void tp_pdubuf_gap(tp_pdubuf *b, tp_reasm_mem *m, uint64_t n)
{
	pdubuf_release(b, m);
	b->total += n;
	if (b->skipping && b->skip != UINT64_MAX) {
		b->skip = b->skip > n ? b->skip - n : 0;
		b->skipping = b->skip > 0;
	}
}

void tp_pdubuf_free(tp_pdubuf *b, tp_reasm_mem *m)
{
	pdubuf_release(b, m);
}
