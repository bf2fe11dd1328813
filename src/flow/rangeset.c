/* rangeset.c - disjoint byte ranges in an AVL tree (contract: rangeset.h).
 *
 * Layout: every node carries parent pointers, so the successor of a node
 * and the rebalancing after an insert or a removal need no stack.  A
 * piece is put in three steps: find the ranges it meets (touching ones
 * too when joining), choose the longest of them as the base, make its
 * buffer cover the union (regrowing it when its slack is short), then
 * copy the other ranges and the piece's new bytes into place and remove
 * the others.
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/rangeset.h"

void tp_rs_init(tp_rangeset *rs, bool join)
{
	memset(rs, 0, sizeof *rs);
	rs->join = join;
	rs->exact_max = TP_RS_EXACT_MAX;
}

static void free_tree(tp_range *g)
{
	while (g) {
		free_tree(g->right); /* depth is O(log n) */
		tp_range *l = g->left;
		free(g->buf);
		free(g);
		g = l;
	}
}

void tp_rs_clear(tp_rangeset *rs)
{
	size_t x = rs->exact_max;
	free_tree(rs->root);
	tp_rs_init(rs, rs->join);
	rs->exact_max = x;
}

tp_range *tp_rs_first(const tp_rangeset *rs)
{
	return rs->first;
}

tp_range *tp_rs_last(const tp_rangeset *rs)
{
	return rs->last;
}

static tp_range *prev_of(const tp_range *g)
{
	if (g->left) {
		g = g->left;
		while (g->right)
			g = g->right;
		return (tp_range *)g;
	}
	while (g->up && g->up->left == g)
		g = g->up;
	return g->up;
}

tp_range *tp_rs_next(const tp_range *g)
{
	if (g->right) {
		g = g->right;
		while (g->left)
			g = g->left;
		return (tp_range *)g;
	}
	while (g->up && g->up->right == g)
		g = g->up;
	return g->up;
}

tp_range *tp_rs_find(const tp_rangeset *rs, uint64_t pos)
{
	tp_range *c = rs->root, *best = NULL;
	while (c) { /* ends increase with offsets: the ranges are disjoint */
		if (tp_range_end(c) > pos) {
			best = c;
			c = c->left;
		} else {
			c = c->right;
		}
	}
	return best;
}

/* ---- AVL ---------------------------------------------------------------- */

static int height(const tp_range *g)
{
	return g ? g->height : 0;
}

static void fix_height(tp_range *g)
{
	int a = height(g->left), b = height(g->right);
	g->height = 1 + (a > b ? a : b);
}

/* Put `g` where `old` hangs from `parent` (NULL: the root). */
static void replace_child(tp_rangeset *rs, tp_range *parent,
			  const tp_range *old, tp_range *g)
{
	if (!parent)
		rs->root = g;
	else if (parent->left == old)
		parent->left = g;
	else
		parent->right = g;
	if (g)
		g->up = parent;
}

static tp_range *rotate_left(tp_rangeset *rs, tp_range *x)
{
	tp_range *y = x->right;
	replace_child(rs, x->up, x, y);
	x->right = y->left;
	if (y->left)
		y->left->up = x;
	y->left = x;
	x->up = y;
	fix_height(x);
	fix_height(y);
	return y;
}

static tp_range *rotate_right(tp_rangeset *rs, tp_range *x)
{
	tp_range *y = x->left;
	replace_child(rs, x->up, x, y);
	x->left = y->right;
	if (y->right)
		y->right->up = x;
	y->right = x;
	x->up = y;
	fix_height(x);
	fix_height(y);
	return y;
}

/* Restore the balance from g up to the root. */
static void retrace(tp_rangeset *rs, tp_range *g)
{
	while (g) {
		int b = height(g->left) - height(g->right);
		if (b > 1) {
			if (height(g->left->left) < height(g->left->right))
				rotate_left(rs, g->left);
			g = rotate_right(rs, g);
		} else if (b < -1) {
			if (height(g->right->right) < height(g->right->left))
				rotate_right(rs, g->right);
			g = rotate_left(rs, g);
		} else {
			fix_height(g);
		}
		g = g->up;
	}
}

static void avl_insert(tp_rangeset *rs, tp_range *g)
{
	tp_range *p = NULL, *c = rs->root;
	bool left = false;
	if (rs->last && g->off > rs->last->off) {
		p = rs->last; /* after the last one: its right is free */
		c = NULL;
	}
	while (c) {
		p = c;
		left = g->off < c->off;
		c = left ? c->left : c->right;
	}
	g->left = g->right = NULL;
	g->height = 1;
	g->up = p;
	if (!p)
		rs->root = g;
	else if (left)
		p->left = g;
	else
		p->right = g;
	retrace(rs, p);
	if (!rs->first || g->off < rs->first->off)
		rs->first = g;
	if (!rs->last || g->off > rs->last->off)
		rs->last = g;
}

static void avl_remove(tp_rangeset *rs, tp_range *z)
{
	tp_range *fix;
	if (!z->left || !z->right) {
		fix = z->up;
		replace_child(rs, z->up, z, z->left ? z->left : z->right);
	} else {
		tp_range *y = z->right; /* the successor takes z's place */
		while (y->left)
			y = y->left;
		if (y->up == z) {
			fix = y;
		} else {
			fix = y->up;
			replace_child(rs, y->up, y, y->right);
			y->right = z->right;
			y->right->up = y;
		}
		replace_child(rs, z->up, z, y);
		y->left = z->left;
		y->left->up = y;
		y->height = z->height;
	}
	retrace(rs, fix);
}

void tp_rs_remove(tp_rangeset *rs, tp_range *g)
{
	if (g == rs->first)
		rs->first = tp_rs_next(g);
	if (g == rs->last)
		rs->last = prev_of(g);
	avl_remove(rs, g);
	rs->n--;
	rs->bytes -= g->len;
	rs->mem -= sizeof *g + g->cap;
	free(g->buf);
	free(g);
}

/* ---- putting a piece ---------------------------------------------------- */

typedef struct plan {
	tp_range *lo;	     /* the first range met (NULL: none) */
	size_t k;	     /* ranges met */
	tp_range *base;	     /* the longest of them, kept */
	uint64_t start, end; /* the union */
	size_t newcap;	     /* 0: the base's buffer has room */
	size_t newhead;
	size_t take, give;   /* memory allocated and freed */
} plan;

static plan make_plan(const tp_rangeset *rs, uint64_t off, size_t n,
		      bool roomy)
{
	plan p = {NULL, 0, NULL, off, off + n, 0, 0, 0, 0};
	uint64_t end = off + n;
	tp_range *g;
	const tp_range *last = rs->last;
	if (!last || off > tp_range_end(last))
		g = NULL; /* after the last one (the common case) */
	else if (off == tp_range_end(last))
		g = rs->join ? rs->last : NULL;
	else if (rs->join)
		g = off ? tp_rs_find(rs, off - 1) : tp_rs_first(rs);
	else
		g = tp_rs_find(rs, off);
	p.lo = g;
	for (; g && (g->off < end || (rs->join && g->off == end));
	     g = tp_rs_next(g)) {
		p.k++;
		if (!p.base || g->len > p.base->len)
			p.base = g;
		if (g->off < p.start)
			p.start = g->off;
		if (tp_range_end(g) > p.end)
			p.end = tp_range_end(g);
		p.give += sizeof *g + g->cap;
	}
	if (!p.base) {
		p.take = sizeof(tp_range) + n;
		return p;
	}
	const tp_range *b = p.base;
	p.give -= sizeof *b + b->cap;
	size_t before = (size_t)(b->off - p.start);
	size_t after = (size_t)(p.end - tp_range_end(b));
	if (before <= b->head && after <= b->cap - b->head - b->len)
		return p;
	size_t len = (size_t)(p.end - p.start);
	p.newcap = len + (roomy ? len : len > rs->exact_max ? len / 2 : 0);
	p.newhead = (p.newcap - len) / 2;
	if (p.newcap > b->cap)
		p.take = p.newcap - b->cap;
	else
		p.give += b->cap - p.newcap;
	return p;
}

size_t tp_rs_cost(const tp_rangeset *rs, uint64_t off, size_t n, bool roomy)
{
	if (n == 0)
		return 0;
	plan p = make_plan(rs, off, n, roomy);
	return p.take > p.give ? p.take - p.give : 0;
}

static bool plan_fits(const plan *p, size_t room)
{
	return p->take <= p->give || p->take - p->give <= room;
}

bool tp_rs_put(tp_rangeset *rs, uint64_t off, const uint8_t *b, size_t n,
	       size_t room)
{
	if (n == 0)
		return true;
	plan p = make_plan(rs, off, n, true);
	if (!plan_fits(&p, room)) {
		p = make_plan(rs, off, n, false);
		if (!plan_fits(&p, room))
			return false;
	}
	if (!p.base) {
		tp_range *g = malloc(sizeof *g);
		uint8_t *buf = malloc(n);
		if (!g || !buf) {
			free(g);
			free(buf);
			return false;
		}
		g->off = off;
		g->len = g->cap = n;
		g->head = 0;
		g->buf = buf;
		memcpy(buf, b, n);
		avl_insert(rs, g);
		rs->n++;
		rs->bytes += n;
		rs->mem += sizeof *g + n;
		return true;
	}
	tp_range *base = p.base;
	uint8_t *dst; /* where p.start goes */
	if (p.newcap) {
		uint8_t *nb = malloc(p.newcap);
		if (!nb)
			return false;
		dst = nb + p.newhead;
		memcpy(dst + (base->off - p.start), tp_range_data(base),
		       base->len);
		free(base->buf);
		rs->mem += p.newcap;
		rs->mem -= base->cap;
		base->buf = nb;
		base->cap = p.newcap;
		base->head = p.newhead;
	} else {
		base->head -= (size_t)(base->off - p.start);
		dst = base->buf + base->head;
	}
	/* the other ranges met, and the piece's bytes between them */
	uint64_t cur = p.start;
	tp_range *g = p.lo;
	for (size_t i = 0; i < p.k; i++, g = tp_rs_next(g)) {
		if (g->off > cur)
			memcpy(dst + (cur - p.start), b + (cur - off),
			       (size_t)(g->off - cur));
		if (g != base)
			memcpy(dst + (g->off - p.start), tp_range_data(g),
			       g->len);
		if (tp_range_end(g) > cur)
			cur = tp_range_end(g);
	}
	if (cur < p.end)
		memcpy(dst + (cur - p.start), b + (cur - off),
		       (size_t)(p.end - cur));
	g = p.lo;
	for (size_t i = 0; i < p.k; i++) {
		tp_range *nx = tp_rs_next(g);
		if (g != base)
			tp_rs_remove(rs, g);
		g = nx;
	}
	rs->bytes += (size_t)(p.end - p.start) - base->len;
	base->off = p.start;
	base->len = (size_t)(p.end - p.start);
	return true;
}
