/* stream.c - the application layer of flows: pinning, and the PDUs of
 * stream dissectors.  See stream.h for the rules and dissector.h for
 * what a protocol fills in.
 *
 * Each direction of a TCP flow pinned to a stream dissector has a
 * tp_streamdir: the tp_pdubuf that holds the unconsumed tail (its memory
 * charged to the session's reassembly memory, its size capped by the
 * dissector's pdu_max), where the direction's stream started, and the
 * frames that delivered the bytes from the next PDU on (for tcp.segment),
 * also charged to that memory and capped at TP_PDU_SEGS_MAX.
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/pipeline.h"
#include "tapir/record.h"
#include "tapir/registry.h"
#include "tapir/stream.h"
#include "tapir/tcpstate.h"

typedef struct segent {
	uint64_t off;   /* stream offset of the first byte it delivered */
	uint64_t frame;
} segent;

typedef struct tp_streamdir {
	tp_pdubuf pb;
	uint64_t origin; /* stream offset of the first byte or gap fed */
	bool started;
	segent *seg;
	unsigned nseg, segcap;
	bool seg_cut; /* frames were left out of the list (cap) */
} tp_streamdir;

static void pin(tp_flow *f, const tp_dissector *d)
{
	f->app.d = d;
	f->app.idx = tp_registry_index(d);
	f->app.pinned = 1;
}

void tp_app_pin_ports(tp_session *s, tp_flow *f)
{
	const tp_dissector *d =
		tp_registry_pin(f->key.proto, f->key.port[0], f->key.port[1]);
	if (!d)
		return; /* the probes may still find one */
	if (f->key.proto == 6 && (!d->pdu_len || s->cfg.no_reassembly)) {
		/* a per-segment dissector: TCP hands it each segment by its
		 * port key, as before; no stream without reassembly */
		f->app.pinned = 1;
		return;
	}
	pin(f, d);
}

bool tp_app_is_stream(const tp_flow *f)
{
	return f->app.d && f->app.d->pdu_len;
}

/* Ask the probes about a flow not pinned yet; true when one said yes. */
static bool probe(tp_flow *f, uint8_t proto, const uint8_t *b, size_t n)
{
	if (f->app.pinned || !n)
		return false;
	bool more = false;
	const tp_dissector *d = tp_registry_probe(proto, b, n, &more);
	if (d) {
		pin(f, d);
		return true;
	}
	if (!more || ++f->app.tries >= TP_APP_PROBE_TRIES)
		f->app.pinned = 1; /* nobody */
	return false;
}

bool tp_app_tcp_probe(tp_session *s, tp_flow *f, const uint8_t *b, size_t n)
{
	if (s->cfg.no_reassembly) {
		f->app.pinned = 1;
		return false;
	}
	return probe(f, 6, b, n);
}

/* A state of d, counted against the reassembly memory cap (state_size
 * bytes); NULL past it (the dissector then works without state). */
static void *state_make(tp_session *s, const tp_dissector *d, uint8_t proto,
			int dir)
{
	if (d->state_size && !tp_reasm_mem_take(&s->mem, d->state_size)) {
		s->app_refused++;
		return NULL;
	}
	void *st = d->state_new(proto, dir);
	if (!st && d->state_size)
		tp_reasm_mem_give(&s->mem, d->state_size);
	return st;
}

/* The dissector's state for a direction, made the first time. */
static void *state(tp_session *s, tp_flow *f, int dir)
{
	const tp_dissector *d = f->app.d;
	if (!(f->app.made & (1u << dir)) && d->state_new) {
		/* with state_pair, both directions at once, then linked */
		for (int k = 0; k < 2; k++)
			if ((k == dir || d->state_pair) &&
			    !(f->app.made & (1u << k))) {
				f->app.st[k] = state_make(s, d, f->key.proto, k);
				f->app.made |= (uint8_t)(1u << k);
			}
		if (d->state_pair && f->app.st[0] && f->app.st[1])
			d->state_pair(f->app.st[0], f->app.st[1]);
	}
	return f->app.st[dir];
}

/* The longest PDU d's direction buffers: it must fit the record's copy. */
static size_t pdu_cap(const tp_dissector *d)
{
	return d->pdu_max > TP_SRC_STORE ? TP_SRC_STORE : d->pdu_max;
}

static tp_streamdir *streamdir(tp_session *s, tp_flow *f, int dir)
{
	if (!f->app.sd[dir]) {
		/* counted against the reassembly memory cap, as its buffer */
		if (!tp_reasm_mem_take(&s->mem, sizeof(tp_streamdir))) {
			s->app_refused++;
			return NULL;
		}
		tp_streamdir *sd = calloc(1, sizeof *sd);
		if (!sd) {
			tp_reasm_mem_give(&s->mem, sizeof(tp_streamdir));
			return NULL;
		}
		tp_pdubuf_init(&sd->pb, pdu_cap(f->app.d));
		f->app.sd[dir] = sd;
	}
	return f->app.sd[dir];
}

/* ---- the frames a PDU spanned ----------------------------------------- */

/* The bytes from `off` on came with frame `frame`. */
static void seg_note(tp_session *s, tp_streamdir *sd, uint64_t off,
		     uint64_t frame)
{
	if (sd->nseg && sd->seg[sd->nseg - 1].frame == frame)
		return;
	if (sd->nseg == sd->segcap) {
		unsigned nc = sd->segcap ? sd->segcap * 2 : 8;
		segent *ns = NULL;
		if (nc <= TP_PDU_SEGS_MAX &&
		    tp_reasm_mem_take(&s->mem,
				      (nc - sd->segcap) * sizeof *sd->seg)) {
			ns = realloc(sd->seg, nc * sizeof *ns);
			if (!ns)
				tp_reasm_mem_give(&s->mem, (nc - sd->segcap) *
								   sizeof *ns);
		}
		if (!ns) {
			sd->seg_cut = true;
			return;
		}
		sd->seg = ns;
		sd->segcap = nc;
	}
	sd->seg[sd->nseg++] = (segent){off, frame};
}

/* Forget the frames of the bytes before `end` (the entry that delivered
 * the byte at `end`, if any, stays). */
static void seg_drop(tp_streamdir *sd, uint64_t end)
{
	unsigned k = 0;
	while (k + 1 < sd->nseg && sd->seg[k + 1].off <= end)
		k++;
	if (k && k < sd->nseg)
		memmove(sd->seg, sd->seg + k, (sd->nseg - k) * sizeof *sd->seg);
	sd->nseg -= k;
}

static void seg_free(tp_session *s, tp_streamdir *sd)
{
	free(sd->seg);
	tp_reasm_mem_give(&s->mem, sd->segcap * sizeof *sd->seg);
	sd->seg = NULL;
	sd->nseg = sd->segcap = 0;
}

typedef struct seghead {
	const tp_streamdir *sd;
	uint64_t from, to; /* the PDU's stream offsets */
} seghead;

/* tcp.segments etc. at the top of the PDU's first layer. */
static void put_segments(tp_pkt *p, void *arg)
{
	const seghead *h = arg;
	const tp_streamdir *sd = h->sd;
	unsigned n = 0;
	uint64_t *fr = (uint64_t *)(void *)tp_arena_alloc(
		p, (sd->nseg ? sd->nseg : 1) * sizeof *fr);
	for (unsigned i = 0; fr && i < sd->nseg; i++) {
		uint64_t end = i + 1 < sd->nseg ? sd->seg[i + 1].off
						 : UINT64_MAX;
		if (sd->seg[i].off < h->to && end > h->from)
			fr[n++] = sd->seg[i].frame;
	}
	tp_tcp_pdu_segments(p, fr, n, sd->seg_cut || !fr, h->to - h->from);
}

/* ---- PDUs ----------------------------------------------------------- */

typedef struct pductx {
	tp_session *s;
	tp_flow *f;
	int dir;
	tp_pkt *p; /* the packet being dissected, or NULL */
	tp_streamdir *sd;
	const tp_dissector *next; /* tp_app_handoff's, for this PDU's end */
	tp_upgrade_req *upreq;    /* tp_app_handoff_req's copy, or NULL */
	bool release;             /* tp_app_lean_done's, for this PDU's end */
} pductx;

/* The cut pdu_len is asked about now (tp_app_handoff's context), or
 * NULL: set only around a pdu_len call. */
static _Thread_local pductx *cutting;

bool tp_app_handoff(const tp_dissector *next)
{
	if (!cutting || !next || !next->pdu_len)
		return false;
	cutting->next = next;
	return true;
}

bool tp_app_handoff_req(const tp_dissector *next, const tp_upgrade_req *rq)
{
	if (!tp_app_handoff(next))
		return false;
	if (rq && !cutting->upreq &&
	    tp_reasm_mem_take(&cutting->s->mem, sizeof *rq)) {
		cutting->upreq = malloc(sizeof *rq);
		if (cutting->upreq) {
			*cutting->upreq = *rq;
			cutting->upreq->dir = (uint8_t)(cutting->dir ^ 1);
			cutting->upreq->host[sizeof rq->host - 1] = '\0';
			cutting->upreq->uri[sizeof rq->uri - 1] = '\0';
		} else {
			tp_reasm_mem_give(&cutting->s->mem, sizeof *rq);
		}
	}
	return true;
}

bool tp_app_lean_done(void)
{
	if (!cutting || !cutting->p || !cutting->p->lean ||
	    (cutting->f->tcp && cutting->f->tcp->tapped))
		return false;
	cutting->release = true;
	return true;
}

const tp_upgrade_req *tp_app_upgrade_req(const tp_pkt *p)
{
	return p && p->flow ? p->flow->app.upreq : NULL;
}

static void upreq_free(tp_session *s, tp_upgrade_req **u)
{
	if (*u) {
		free(*u);
		tp_reasm_mem_give(&s->mem, sizeof **u);
		*u = NULL;
	}
}

bool tp_app_reprobe(const uint8_t *b, size_t n)
{
	if (!cutting || !n)
		return false;
	const tp_dissector *cur = cutting->f->app.d;
	bool more = false;
	const tp_dissector *d = tp_registry_probe(6, b, n, &more);
	return d && d != cur && tp_app_handoff(d);
}

/* The flow's rest, both directions, to `next`: the old dissector's
 * states freed, next's made when first asked for; the bytes each
 * direction holds unconsumed are cut by next from now on. */
static void upreq_free(tp_session *s, tp_upgrade_req **u);

static void hand_over(tp_session *s, tp_flow *f, const tp_dissector *next,
		      bool upgraded, tp_upgrade_req **upreq)
{
	upreq_free(s, &f->app.upreq);
	if (upreq) { /* the request that switched it, for next */
		f->app.upreq = *upreq;
		*upreq = NULL;
	}
	const tp_dissector *d = f->app.d;
	for (int dir = 0; dir < 2; dir++) {
		if ((f->app.made & (1u << dir)) && d->state_free &&
		    f->app.st[dir]) {
			d->state_free(f->app.st[dir]);
			tp_reasm_mem_give(&s->mem, d->state_size);
		}
		f->app.st[dir] = NULL;
		tp_streamdir *sd = f->app.sd[dir];
		if (sd)
			sd->pb.max = pdu_cap(next);
	}
	f->app.made = 0;
	pin(f, next);
	f->app.upgraded = upgraded;
}

static tp_pkt *scratch(tp_session *s)
{
	if (!s->app_scratch && !(s->app_scratch = tp_pkt_new()))
		return NULL;
	tp_pkt *q = s->app_scratch;
	tp_pkt_reset(q);
	q->data = NULL;
	q->caplen = q->len = 0;
	q->number = 0;
	return q;
}

/* What the record says about the layer being dissected. */
typedef struct pduview {
	uint8_t src_cur;
	bool reasm_active;
	void *app_state;
	int app_dir;
	uint8_t app_proto;
	tp_session *sess;
	tp_session *app_sess;
} pduview;

/* Set p's view to v; returns the one it had. */
static pduview view_swap(tp_pkt *p, pduview v)
{
	pduview old = {p->src_cur, p->reasm_active, p->app_state, p->app_dir,
		       p->app_proto, p->sess, p->app_sess};
	p->src_cur = v.src_cur;
	p->reasm_active = v.reasm_active;
	p->app_state = v.app_state;
	p->app_dir = v.app_dir;
	p->app_proto = v.app_proto;
	p->sess = v.sess;
	p->app_sess = v.app_sess;
	tp_meta_sync(p);
	return old;
}

/* One whole PDU, b[0..n) at stream offset `at`, into the record. */
static void dissect_one(pductx *x, const uint8_t *b, size_t n, uint64_t at)
{
	tp_pkt *p = x->p;
	if (p && (p->full || p->nlayers > TP_MAX_PKT_LAYERS - TP_MAX_LAYERS)) {
		/* the record is full (said once): the PDU still reaches the
		 * dissector, its state must follow the stream */
		if (!p->full) {
			tp_add_event(p, &tp_ev_layers_full, 0);
			tp_pkt_note_full(p);
		}
		p = NULL;
	}
	int src = p ? tp_src_find(p, b, n) : -1;
	bool copied = src < 0;
	if (p && src < 0)
		src = tp_src_copy(p, "Reassembled TCP", TP_SRC_PDU, b, n);
	if (src < 0) { /* no packet, or its record is full */
		if (!(p = scratch(x->s)))
			return;
		src = tp_src_copy(p, "Reassembled TCP", TP_SRC_PDU, b, n);
		if (src < 0)
			return;
	}
	size_t sn = 0;
	const uint8_t *base = tp_src_bytes(p, (unsigned)src, &sn);
	size_t off = copied ? 0 : (size_t)(b - base);
	tp_cursor c = tp_cursor_make(base, off + n, off + n);
	c.off = off;

	/* the PDU's own view: its source, its state; no flows below it */
	pduview v = {(uint8_t)src, false, state(x->s, x->f, x->dir), x->dir, 6,
		     NULL, x->s};
	v = view_swap(p, v);
	seghead h = {x->sd, at, at + n};
	bool listed = copied && p == x->p && !p->lean;
	tp_dissect_pdu(p, x->f->app.d, &c, listed ? put_segments : NULL, &h);
	view_swap(p, v);
	if (listed)
		x->sd->seg_cut = false;
}

/* tp_pdu_fn: cut the shown bytes into PDUs with the dissector's pdu_len. */
static bool pdu_fn(void *ctx, const uint8_t *b, size_t n, size_t *consumed,
		   size_t *needed)
{
	pductx *x = ctx;
	const tp_dissector *d = x->f->app.d;
	uint64_t at = x->sd->origin + x->sd->pb.at;
	size_t pos = 0;
	*needed = 0;
	while (pos < n) {
		/* a lean run's packet: PDUs that show nothing are only framed */
		bool lean = x->p && x->p->lean && d->pdu_shown;
		void *st = state(x->s, x->f, x->dir);
		x->next = NULL;
		cutting = x;
		size_t len = d->pdu_len(st, b + pos, n - pos);
		cutting = NULL;
		if (len == TP_PDU_NOT_MINE && x->next) {
			/* tp_app_reprobe: the flow is another's from here,
			 * these bytes included */
			hand_over(x->s, x->f, x->next, false, NULL);
			d = x->next;
			continue;
		}
		if (len == TP_PDU_NOT_MINE) {
			upreq_free(x->s, &x->upreq);
			*consumed = pos;
			return false; /* the rest of the direction passed over */
		}
		if (len == 0)
			break; /* more bytes, length unknown */
		if (len > n - pos) {
			*needed = len;
			break;
		}
		if ((!lean || d->pdu_shown(st)) &&
		    !(d->pdu_hidden && d->pdu_hidden(st)))
			dissect_one(x, b + pos, len, at + pos);
		pos += len;
		seg_drop(x->sd, at + pos);
		if (x->next) { /* the rest is another protocol's */
			hand_over(x->s, x->f, x->next, true, &x->upreq);
			d = x->next;
		}
		if (x->release) { /* nothing more shows: the rest dropped */
			*consumed = n;
			return false;
		}
	}
	upreq_free(x->s, &x->upreq); /* a hand-off not made */
	*consumed = pos;
	return true;
}

static tp_streamdir *start(tp_session *s, tp_flow *f, int dir, uint64_t off)
{
	tp_streamdir *sd = streamdir(s, f, dir);
	if (sd && !sd->started) {
		sd->origin = off;
		sd->started = true;
	}
	return sd;
}

void tp_app_data(tp_session *s, tp_flow *f, int dir, uint64_t off,
		 const uint8_t *b, size_t n, tp_pkt *p)
{
	if (!tp_app_is_stream(f) || !n)
		return;
	tp_streamdir *sd = start(s, f, dir, off);
	if (!sd)
		return;
	if (p && p->flow != f)
		p = NULL; /* not a packet of this flow */
	if (p && !p->lean) /* tcp.segment: not shown in a lean run */
		seg_note(s, sd, off, p->number);
	pductx x = {s, f, dir, p, sd};
	tp_pdubuf_feed(&sd->pb, &s->mem, b, n, pdu_fn, &x);
	if (x.release) { /* tp_app_lean_done: no more reassembly */
		tp_app_close(s, f);
		f->app.released = 1;
		if (f->tcp)
			f->tcp->reassemble = false;
		return;
	}
	if (!sd->pb.len)
		seg_drop(sd, UINT64_MAX); /* nothing buffered: no PDU open */
}

void tp_app_gap(tp_session *s, tp_flow *f, int dir, uint64_t off, uint64_t n)
{
	if (!tp_app_is_stream(f) || !n)
		return;
	tp_streamdir *sd = start(s, f, dir, off);
	if (!sd)
		return;
	tp_pdubuf_gap(&sd->pb, &s->mem, n);
	sd->nseg = 0; /* the open PDU is lost with its frames */
	sd->seg_cut = false;
	if (f->app.d->gap)
		f->app.d->gap(state(s, f, dir), n);
}

/* ---- datagrams ------------------------------------------------------ */

const tp_dissector *tp_app_datagram(tp_pkt *p, tp_flow *f, int dir,
				    const uint8_t *b, size_t n, uint16_t sport,
				    uint16_t dport)
{
	const tp_dissector *d;
	void *st = NULL;
	if (!f) { /* no session: the same rules, for this datagram alone */
		bool more;
		d = tp_registry_pin(17, sport, dport);
		if (!d && n)
			d = tp_registry_probe(17, b, n, &more);
	} else {
		probe(f, 17, b, n);
		d = f->app.d;
		if (d)
			st = state(p->sess, f, dir);
	}
	if (d) {
		p->app_state = st;
		p->app_dir = dir;
		p->app_proto = 17;
		p->app_sess = f ? p->sess : NULL;
	}
	return d;
}

/* ---- the end -------------------------------------------------------- */

void tp_app_end(tp_session *s, tp_flow *f)
{
	const tp_dissector *d = f->app.d;
	for (int dir = 0; dir < 2; dir++) {
		tp_streamdir *sd = f->app.sd[dir];
		if (sd) {
			tp_pdubuf_free(&sd->pb, &s->mem);
			seg_free(s, sd);
			free(sd);
			tp_reasm_mem_give(&s->mem, sizeof(tp_streamdir));
		}
		if (d && (f->app.made & (1u << dir)) && d->state_free &&
		    f->app.st[dir]) {
			d->state_free(f->app.st[dir]);
			tp_reasm_mem_give(&s->mem, d->state_size);
		}
	}
	upreq_free(s, &f->app.upreq);
	memset(&f->app, 0, sizeof f->app);
}

bool tp_app_pending(const tp_flow *f)
{
	for (int d = 0; d < 2; d++)
		if (f->app.sd[d] && f->app.sd[d]->pb.len)
			return true;
	return false;
}

void tp_app_close(tp_session *s, tp_flow *f)
{
	if (!f->app.made && !f->app.sd[0] && !f->app.sd[1])
		return;
	tp_flowapp keep = f->app;
	tp_app_end(s, f);
	f->app.d = keep.d;
	f->app.idx = keep.idx;
	f->app.pinned = keep.pinned;
	f->app.tries = keep.tries;
	f->app.upgraded = keep.upgraded;
	f->app.released = keep.released;
}

/* ---- a dissector's state for the whole run -------------------------- */

void *tp_app_session(const tp_pkt *p, const tp_dissector *d)
{
	tp_session *s = p ? p->app_sess : NULL;
	if (!s || !d->session_new)
		return NULL;
	void *had = tp_app_session_find(s, d);
	if (had)
		return had;
	if (s->napp_global >= TP_APP_SESSION_MAX)
		return NULL;
	void *st = d->session_new();
	if (!st)
		return NULL; /* asked again next time */
	s->app_global[s->napp_global].d = d;
	s->app_global[s->napp_global].st = st;
	s->napp_global++;
	return st;
}

void *tp_app_session_find(const tp_session *s, const tp_dissector *d)
{
	for (unsigned i = 0; s && i < s->napp_global; i++)
		if (s->app_global[i].d == d)
			return s->app_global[i].st;
	return NULL;
}

void tp_app_session_free(tp_session *s)
{
	for (unsigned i = 0; i < s->napp_global; i++)
		if (s->app_global[i].d->session_free)
			s->app_global[i].d->session_free(s->app_global[i].st);
	s->napp_global = 0;
}
