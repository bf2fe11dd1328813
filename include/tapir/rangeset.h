/* rangeset.h - an ordered set of disjoint byte ranges with their bytes,
 * for the reassemblers (reasm.c: TCP, ipfrag.c: IP fragments).
 *
 * Each range is one node of an AVL tree keyed by offset and keeps its
 * bytes in one buffer.  With `join` set, ranges that touch or overlap are
 * coalesced into one: a stream sent one byte at a time, in any order,
 * ends as a single range, not as a node per byte.  Without it (IPv6
 * fragments, whose extents matter), every piece stays its own range.
 *
 * Promises:
 *  - First data wins: tp_rs_put writes only bytes not held yet.
 *  - Every operation on a piece is O(log n + k) for k ranges it meets
 *    (which it then coalesces into one, so k is paid once per range);
 *    bytes are copied O(1) times amortised when ranges grow at either
 *    end, and at most O(log n) times each when two ranges are joined
 *    (the smaller is copied into the larger).  Proof: a buffer regrows
 *    to twice the new length with half the slack at each end, so the
 *    next regrow needs growth of at least half the length at one end,
 *    and each byte added pays for three bytes copied.  When memory is
 *    short the slack is half the length (a quarter at each end: five
 *    bytes copied per byte added), and only a range of at most exact_max
 *    bytes (default 4 KiB) may regrow without slack (that much copied
 *    per piece at most): never a copy of a large range for every tiny
 *    piece.
 *  - `mem` counts exactly what is allocated: each range's header and
 *    buffer capacity.  A buffer's capacity is at most twice the length
 *    of its range (a new range's buffer is exact), so mem <= 2 * bytes +
 *    n * sizeof(tp_range).  Bytes are only ever added to a range (it
 *    leaves whole), so this holds for its whole life.
 */
#ifndef TAPIR_RANGESET_H
#define TAPIR_RANGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tp_range {
	struct tp_range *left, *right, *up; /* the AVL tree */
	uint64_t off;			    /* offset of the first byte */
	size_t len;			    /* bytes held */
	size_t head;			    /* free bytes before them in buf */
	size_t cap;			    /* bytes allocated at buf */
	uint8_t *buf;
	int height; /* 1 for a leaf */
} tp_range;

typedef struct tp_rangeset {
	tp_range *root;
	tp_range *first, *last; /* kept: O(1) */
	size_t n;     /* ranges */
	size_t bytes; /* bytes held */
	size_t mem;   /* headers and buffers allocated */
	bool join;    /* coalesce ranges that touch */
	size_t exact_max; /* longest range that may regrow without slack */
} tp_rangeset;

/* The default exact_max: copying a range again for every piece added
 * costs at most this much per piece. */
#define TP_RS_EXACT_MAX 4096u

static inline const uint8_t *tp_range_data(const tp_range *g)
{
	return g->buf + g->head;
}

static inline uint64_t tp_range_end(const tp_range *g)
{
	return g->off + (uint64_t)g->len;
}

void tp_rs_init(tp_rangeset *rs, bool join);
/* Free every range (rs stays usable, empty). */
void tp_rs_clear(tp_rangeset *rs);

tp_range *tp_rs_first(const tp_rangeset *rs);
tp_range *tp_rs_last(const tp_rangeset *rs);
tp_range *tp_rs_next(const tp_range *g);
/* The first range ending after `pos`, or NULL. */
tp_range *tp_rs_find(const tp_rangeset *rs, uint64_t pos);

/* How many more bytes of memory tp_rs_put(off, n) would allocate: with
 * `roomy`, what it takes when full slack is granted, else the least it
 * needs (0 when it frees more than it takes). */
size_t tp_rs_cost(const tp_rangeset *rs, uint64_t off, size_t n, bool roomy);

/* Add b[0..n) at `off`, keeping held bytes where they overlap (with
 * join unset the piece must not overlap a held range).  `room` is how
 * much more memory it may allocate: slack is taken only when it fits.
 * False (nothing changed) when even the least does not fit or malloc
 * fails. */
bool tp_rs_put(tp_rangeset *rs, uint64_t off, const uint8_t *b, size_t n,
	       size_t room);

/* Take one range out and free it. */
void tp_rs_remove(tp_rangeset *rs, tp_range *g);

#endif
