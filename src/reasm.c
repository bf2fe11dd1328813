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
 *  - Held segments: r->held is NULL when nothing is held, else a sentinel
 *    heading a circular doubly linked list of the held segments in offset
 *    order (disjoint, each with its bytes inline) and an AVL tree over the
 *    same segments, so finding the place of a segment is O(log n) in the
 *    worst case (O(1) after the last one, the common case).  A new segment
 *    is cut into the pieces not already held; nothing is merged or copied
 *    again.  Only the first segment is ever removed (delivered).
 *  - Caps: r->held_bytes counts held payload bytes and is kept <=
 *    dir_cap; at most RA_SEG_CAP (4096) segments per direction (so a
 *    flood of 1-byte segments costs bounded time and memory); m->used
 *    counts what is really allocated: each held segment's bytes plus
 *    its header (sizeof(struct tp_reasm_seg)), the sentinel while
 *    something is held, and each tp_pdubuf's buffer capacity.  m->peak
 *    is the high-water mark of m->used.
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
 *  - Sink callbacks must not call back into the same tp_reasm.
 *  - tp_pdubuf: see the comment above tp_pdubuf_feed.
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/reasm.h"

#define RA_SEG_CAP    4096u	   /* held segments per direction */
#define RA_SEG_MAX    0x7fffffffu  /* longest segment taken */
#define RA_WINDOW_MAX (1ull << 30) /* RFC 7323 2.3: the largest window */
#define RA_HALF	      0x80000000u

struct tp_reasm_seg {
	/* in offset order, circular through the sentinel */
	struct tp_reasm_seg *next, *prev;
	/* the AVL tree over the same segments; the sentinel's left is the
	 * root */
	struct tp_reasm_seg *left, *right, *up;
	uint64_t off;
	size_t len;
	uint32_t count; /* in the sentinel: segments held */
	int height;	/* in the tree: 1 for a leaf */
	uint8_t data[];
};

#define SEG_END(g) ((g)->off + (uint64_t)(g)->len)

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

/* ---- the held segments ------------------------------------------------ */

static uint32_t held_count(const tp_reasm *r)
{
	return r->held ? r->held->count : 0;
}

static struct tp_reasm_seg *held_first(const tp_reasm *r)
{
	return r->held ? r->held->next : NULL;
}

static struct tp_reasm_seg *held_next(const tp_reasm *r,
				      const struct tp_reasm_seg *g)
{
	return g->next == r->held ? NULL : g->next;
}

static int height(const struct tp_reasm_seg *g)
{
	return g ? g->height : 0;
}

static void fix_height(struct tp_reasm_seg *g)
{
	int a = height(g->left), b = height(g->right);
	g->height = 1 + (a > b ? a : b);
}

/* Put `g` where `old` hangs from `parent` (NULL: the root). */
static void replace_child(struct tp_reasm_seg *sent,
			  struct tp_reasm_seg *parent,
			  const struct tp_reasm_seg *old,
			  struct tp_reasm_seg *g)
{
	if (!parent)
		sent->left = g;
	else if (parent->left == old)
		parent->left = g;
	else
		parent->right = g;
	if (g)
		g->up = parent;
}

static struct tp_reasm_seg *rotate_left(struct tp_reasm_seg *sent,
					struct tp_reasm_seg *x)
{
	struct tp_reasm_seg *y = x->right;
	replace_child(sent, x->up, x, y);
	x->right = y->left;
	if (y->left)
		y->left->up = x;
	y->left = x;
	x->up = y;
	fix_height(x);
	fix_height(y);
	return y;
}

static struct tp_reasm_seg *rotate_right(struct tp_reasm_seg *sent,
					 struct tp_reasm_seg *x)
{
	struct tp_reasm_seg *y = x->left;
	replace_child(sent, x->up, x, y);
	x->left = y->right;
	if (y->right)
		y->right->up = x;
	y->right = x;
	x->up = y;
	fix_height(x);
	fix_height(y);
	return y;
}

/* Restore the AVL balance from g up to the root (iterative). */
static void retrace(struct tp_reasm_seg *sent, struct tp_reasm_seg *g)
{
	while (g) {
		int b = height(g->left) - height(g->right);
		if (b > 1) {
			if (height(g->left->left) < height(g->left->right))
				rotate_left(sent, g->left);
			g = rotate_right(sent, g);
		} else if (b < -1) {
			if (height(g->right->right) < height(g->right->left))
				rotate_right(sent, g->right);
			g = rotate_left(sent, g);
		} else {
			fix_height(g);
		}
		g = g->up;
	}
}

/* Link g (disjoint from every held segment) before `at` (NULL: last). */
static void seg_link(tp_reasm *r, struct tp_reasm_seg *g,
		     struct tp_reasm_seg *at)
{
	struct tp_reasm_seg *sent = r->held;
	struct tp_reasm_seg *n = at ? at : sent;
	g->next = n;
	g->prev = n->prev;
	n->prev->next = g;
	n->prev = g;
	sent->count++;

	struct tp_reasm_seg *p = NULL, *c = sent->left;
	bool left = false;
	while (c) {
		p = c;
		left = g->off < c->off;
		c = left ? c->left : c->right;
	}
	g->left = g->right = NULL;
	g->height = 1;
	g->up = p;
	if (!p)
		sent->left = g;
	else if (left)
		p->left = g;
	else
		p->right = g;
	retrace(sent, p);
}

/* Unlink the first segment (the only one ever removed alone); the
 * sentinel goes with the last one. */
static struct tp_reasm_seg *seg_pop(tp_reasm *r, tp_reasm_mem *m)
{
	struct tp_reasm_seg *sent = r->held;
	struct tp_reasm_seg *g = sent->next;
	g->prev->next = g->next;
	g->next->prev = g->prev;
	/* the smallest has no left child */
	struct tp_reasm_seg *p = g->up;
	replace_child(sent, p, g, g->right);
	retrace(sent, p);
	if (--sent->count == 0) {
		free(sent);
		mem_give(m, sizeof *sent);
		r->held = NULL;
	}
	return g;
}

static void seg_free(tp_reasm *r, tp_reasm_mem *m, struct tp_reasm_seg *g)
{
	r->held_bytes -= g->len;
	mem_give(m, sizeof *g + g->len);
	free(g);
}

/* The first held segment ending after `pos`, or NULL. */
static struct tp_reasm_seg *seg_find(const tp_reasm *r, uint64_t pos)
{
	if (!r->held || SEG_END(r->held->prev) <= pos)
		return NULL; /* after the last one (or nothing held) */
	struct tp_reasm_seg *c = r->held->left, *best = NULL;
	while (c) { /* ends increase in offset order */
		if (SEG_END(c) > pos) {
			best = c;
			c = c->left;
		} else {
			c = c->right;
		}
	}
	return best;
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

/* Deliver held segments while the first one is contiguous. */
static void deliver_ready(tp_reasm *r, tp_reasm_mem *m, const tp_reasm_sink *s)
{
	struct tp_reasm_seg *g;
	while ((g = held_first(r)) && g->off == r->next) {
		seg_pop(r, m);
		emit_data(r, s, g->data, g->len);
		seg_free(r, m, g);
	}
}

/* ---- adding ----------------------------------------------------------- */

static bool piece_fits(const tp_reasm *r, const tp_reasm_mem *m, size_t n)
{
	size_t dcap = r->dir_cap ? r->dir_cap : TP_REASM_DIR_CAP;
	if (n > dcap || r->held_bytes > dcap - n)
		return false;
	if (held_count(r) >= RA_SEG_CAP)
		return false;
	size_t hdr = sizeof(struct tp_reasm_seg) * (r->held ? 1 : 2);
	return mem_fits(m, hdr + n);
}

/* New bytes p[0..n) at offset pos (> r->next or == r->next), none of them
 * held; `at` is the first held segment after them (or NULL).  Held
 * segments before pos lie wholly before it. */
static unsigned place(tp_reasm *r, tp_reasm_mem *m, uint64_t pos,
		      const uint8_t *p, size_t n, struct tp_reasm_seg *at,
		      const tp_reasm_sink *s)
{
	unsigned f = 0;
	deliver_ready(r, m, s);
	if (pos != r->next) {
		/* give up holes in front of held data before pos while the
		 * piece does not fit */
		while (!piece_fits(r, m, n) && r->held && r->next < pos) {
			struct tp_reasm_seg *h = held_first(r);
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
	if (!piece_fits(r, m, n))
		return f | TP_RA_DROPPED;
	struct tp_reasm_seg *g = malloc(sizeof *g + n);
	if (!g)
		return f | TP_RA_DROPPED;
	if (!r->held) {
		struct tp_reasm_seg *sent = calloc(1, sizeof *sent);
		if (!sent) {
			free(g);
			return f | TP_RA_DROPPED;
		}
		sent->next = sent->prev = sent;
		mem_take(m, sizeof *sent);
		r->held = sent;
	}
	g->off = pos;
	g->len = n;
	memcpy(g->data, p, n);
	seg_link(r, g, at);
	r->held_bytes += n;
	mem_take(m, sizeof *g + n);
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

	struct tp_reasm_seg *at = seg_find(r, start);
	uint64_t pos = start;
	while (pos < end) {
		if (at && at->off <= pos) {
			/* held bytes win; compare */
			uint64_t e = SEG_END(at) < end ? SEG_END(at) : end;
			const uint8_t *mine = at->data + (pos - at->off);
			if (memcmp(mine, data + (pos - start), e - pos) != 0)
				f |= TP_RA_OVERLAP_DIFF;
			f |= TP_RA_OVERLAP;
			pos = e;
			at = held_next(r, at);
			continue;
		}
		uint64_t e = at && at->off < end ? at->off : end;
		f |= place(r, m, pos, data + (pos - start), (size_t)(e - pos),
			   at, s);
		pos = e;
	}
	deliver_ready(r, m, s);
	if (!(f & (TP_RA_NEW | TP_RA_DROPPED)))
		f |= TP_RA_DUP;
	return f;
}

unsigned tp_reasm_ack(tp_reasm *r, tp_reasm_mem *m, uint32_t ack,
		      const tp_reasm_sink *s)
{
	if (!r->base_set)
		return 0;
	int64_t a = unwrap(r, ack);
	if (a <= 0 || (uint64_t)a <= r->next)
		return 0;
	uint64_t ua = (uint64_t)a;
	if (ua > r->high + RA_WINDOW_MAX)
		return 0;
	if (ua == r->high + 1) /* the FIN's slot */
		ua = r->high;
	unsigned f = 0;
	while (r->next < ua) {
		struct tp_reasm_seg *h = held_first(r);
		emit_gap(r, s, h && h->off < ua ? h->off : ua);
		f |= TP_RA_GAP;
		deliver_ready(r, m, s);
	}
	if (r->next > r->high)
		r->high = r->next;
	return f;
}

void tp_reasm_flush(tp_reasm *r, tp_reasm_mem *m, const tp_reasm_sink *s)
{
	struct tp_reasm_seg *h;
	while ((h = held_first(r))) {
		if (h->off > r->next)
			emit_gap(r, s, h->off);
		deliver_ready(r, m, s);
	}
}

void tp_reasm_free(tp_reasm *r, tp_reasm_mem *m)
{
	while (r->held)
		seg_free(r, m, seg_pop(r, m));
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
			if (!fn(ctx, v + pos, vn - pos, &c, &needed) ||
			    c > vn - pos) {
				pdubuf_give_up(b, m);
				return;
			}
			pos += c;
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
	if (b->skipping && b->skip != UINT64_MAX) {
		b->skip = b->skip > n ? b->skip - n : 0;
		b->skipping = b->skip > 0;
	}
}

void tp_pdubuf_free(tp_pdubuf *b, tp_reasm_mem *m)
{
	pdubuf_release(b, m);
}
