/* tcp_analysis.c - a TCP segment in its flow: tcp.stream numbering,
 * relative sequence numbers, the SEQ/ACK analysis of Wireshark's
 * tcp_analyze_sequence_number, handshake RTT and per-stream times, and
 * the payload handed to the reassembler / stream layer (see tcp.c). */
#include <stdlib.h>
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/flow.h"
#include "tapir/tcpstate.h"
#include "tapir/inet.h"
#include "tapir/pipeline.h"
#include "tapir/proto.h"
#include "tapir/stream.h"
#include "tcp_int.h"

/* ---- flow state: stream numbers, SEQ/ACK analysis, reassembly -------- */


/* Sequence-space comparisons (RFC 9293 section 3.4: modulo 2^32). */
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

/* Nanoseconds from (s0, n0) to (s1, n1); hostile timestamps far apart
 * saturate at about +-272 years instead of overflowing. */
static int64_t ns_between(int64_t s0, uint32_t n0, int64_t s1, uint32_t n1)
{
	const int64_t lim = (int64_t)1 << 33;
	int64_t d;
	if (__builtin_sub_overflow(s1, s0, &d) || d > lim)
		d = s1 > s0 ? lim : -lim;
	else if (d < -lim)
		d = -lim;
	return d * 1000000000 + ((int64_t)n1 - (int64_t)n0);
}


/* tcp_analyze_sequence_number (Wireshark epan/dissectors/packet-tcp.c),
 * the checks in its order and with its state: windows are compared raw,
 * a zero nextseq means "not seen yet", the ACK field is remembered from
 * every segment. */
static unsigned analyze(const tp_pkt *p, tp_tcpstate *t, int dir,
			const seginfo *g, uint32_t *dupnum, uint64_t *dupframe)
{
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	unsigned a = 0;
	uint32_t seq = g->seq, ack = g->ack, len = g->seglen, win = g->win;
	uint16_t fl = g->flags;
	bool sfr = fl & (TH_SYN | TH_FIN | TH_RST);

	if (len == 1 && seq == fwd->nextseq && rev->win_set && rev->win == 0) {
		a |= A_ZWP;
		goto finished_fwd;
	}
	if (win == 0 && !sfr)
		a |= A_ZW;
	if (fwd->nextseq && seq_gt(seq, fwd->nextseq) && !(fl & TH_RST))
		a |= A_LOST;
	if (len <= 1 && seq == fwd->nextseq - 1 && !sfr)
		a |= A_KEEPALIVE;
	if (len == 0 && win && win != fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && !sfr)
		a |= A_WIN_UPDATE;
	if (len > 0 && rev->wscale != -1 && rev->win_set &&
	    seq + len == rev->lastack + (rev->win << (rev->wscale == -2
							  ? 0
							  : rev->wscale)) &&
	    !sfr)
		a |= A_WIN_FULL;
	if (len == 0 && win && win == fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastflags & A_KEEPALIVE) && !sfr) {
		a |= A_KEEPALIVE_ACK;
		goto finished_fwd;
	}
	if (len == 0 && win == 0 && win == fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastflags & A_ZWP) && !sfr) {
		a |= A_ZWP_ACK;
		goto finished_fwd;
	}
	if (len == 0 && win && win == fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && !sfr) {
		fwd->dupacks = fwd->dupacks < 0 ? 1 : fwd->dupacks + 1;
		a |= A_DUPACK;
		*dupnum = (uint32_t)fwd->dupacks;
		*dupframe = fwd->lastack_frame;
	}
finished_fwd:
	if (ack != fwd->lastack) {
		fwd->lastack_frame = p->number;
		fwd->dupacks = 0;
	}
	if (rev->maxseqtobeacked && seq_gt(ack, rev->maxseqtobeacked) &&
	    (fl & TH_ACK)) {
		/* once per hole: the other side's mark moves on */
		a |= A_ACK_LOST;
		rev->maxseqtobeacked = rev->nextseq;
	}
	if (len > 0 || (fl & (TH_SYN | TH_FIN))) {
		bool not_adv = fwd->nextseq && seq_lt(seq, fwd->nextseq);
		if (a & A_KEEPALIVE)
			goto finished_retrans;
		if (len > 1 && fwd->nextseq - 1 == seq)
			not_adv = false;
		if (len > 0 && rev->lastack && seq_le(seq + len, rev->lastack)) {
			a |= A_SPURIOUS;
			goto finished_retrans;
		}
		int64_t since_ack = ns_between(rev->lastack_sec, rev->lastack_nsec,
					       p->ts_sec, p->ts_nsec);
		if (not_adv && rev->dupacks >= 2 && rev->lastack == seq &&
		    since_ack < 20000000) {
			a |= A_FAST;
			goto finished_retrans;
		}
		int64_t since = ns_between(fwd->last_sec, fwd->last_nsec,
					   p->ts_sec, p->ts_nsec);
		int64_t ooo = t->rtt_set && t->rtt_ns ? t->rtt_ns : 3000000;
		uint32_t end = seq + len + ((fl & (TH_SYN | TH_FIN)) ? 1 : 0);
		if (not_adv && since < ooo && fwd->nextseq != end) {
			a |= A_OOO;
			goto finished_retrans;
		}
		if (not_adv)
			a |= A_RETRANS;
	}
finished_retrans:;
	uint32_t next = seq + len + ((fl & (TH_SYN | TH_FIN)) ? 1 : 0);
	if ((seq_gt(next, fwd->nextseq) || !fwd->nextseq) && !(a & A_ZWP)) {
		fwd->nextseq = next;
		fwd->last_sec = p->ts_sec;
		fwd->last_nsec = p->ts_nsec;
	}
	if ((seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) &&
	    !(a & A_ZWP))
		fwd->maxseqtobeacked = fwd->nextseq;
	fwd->win = win;
	fwd->win_set = true;
	fwd->lastack = ack;
	fwd->lastack_sec = p->ts_sec;
	fwd->lastack_nsec = p->ts_nsec;
	fwd->lastflags = (uint16_t)a;
	/* Wireshark raises "retransmission" with the fast and spurious ones */
	if (a & (A_FAST | A_SPURIOUS))
		a |= A_RETRANS;
	return a;
}

static const struct {
	unsigned flag;
	int field, event;
} ana_items[] = {
	{A_RETRANS, F_A_RETRANS, E_RETRANS},
	{A_FAST, F_A_FAST_RETRANS, E_FAST_RETRANS},
	{A_SPURIOUS, F_A_SPURIOUS, E_SPURIOUS},
	{A_OOO, F_A_OOO, E_OOO},
	{A_REUSED, F_A_REUSED, E_REUSED},
	{A_LOST, F_A_LOST, E_LOST},
	{A_ACK_LOST, F_A_ACK_LOST, E_ACK_LOST},
	{A_WIN_UPDATE, F_A_WIN_UPDATE, E_WIN_UPDATE},
	{A_WIN_FULL, F_A_WIN_FULL, E_WIN_FULL},
	{A_KEEPALIVE, F_A_KEEPALIVE, E_KEEPALIVE},
	{A_KEEPALIVE_ACK, F_A_KEEPALIVE_ACK, E_KEEPALIVE_ACK},
	{A_ZWP, F_A_ZWP, E_ZWP},
	{A_ZW, F_A_ZW, E_ZW},
	{A_ZWP_ACK, F_A_ZWP_ACK, E_ZWP_ACK},
	{A_DUPACK, F_A_DUPACK, E_DUPACK},
};

/* The window-scale shift this segment's options carry (255: none). */
static unsigned wscale_option(const tp_pkt *p, unsigned li)
{
	const tp_field *f = tp_layer_find(p, li, &tp_tcp_fields[F_WS_SHIFT]);
	return f ? (unsigned)f->v.u : 255;
}

/* RFC 7323 section 2.2: scaling is on when both SYNs carry the option
 * (Wireshark's verify_tcp_window_scaling: -1 unknown, -2 not used). */
static void note_wscale(tp_tcpstate *t, int dir, uint16_t fl, unsigned sh,
			bool opts_cut)
{
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	if (!(fl & TH_SYN))
		return;
	if (sh != 255)
		fwd->wscale = (int8_t)(sh > 14 ? 14 : sh);
	/* options cut short by the capture: Wireshark's option walk throws
	 * before verify_tcp_window_scaling, the scaling stays unknown */
	if (opts_cut)
		return;
	if (fwd->wscale == -1) {
		fwd->wscale = -2;
		rev->wscale = -2;
	} else if ((fl & TH_ACK) && rev->wscale == -2) {
		fwd->wscale = -2;
	}
}

/* The segment's flow (made on a first segment), its direction in `*dir`;
 * A_REUSED in `*extra` when a SYN with a new initial sequence number
 * started a new stream on the ports of an old one. */
static tp_flow *seg_flow(tp_pkt *p, const tp_netaddr *na, const seginfo *g,
			 int *dir, unsigned *extra)
{
	uint16_t sport = g->sport, dport = g->dport;
	tp_session *s = p->sess;
	bool syn_only = (g->flags & (TH_SYN | TH_ACK)) == TH_SYN;
	tp_flow *f = tp_flow_get(s, p, na->family, TP_IPPROTO_TCP, na->src,
				 na->dst, sport, dport, syn_only, dir);
	if (!f)
		return NULL;
	p->flow = f;
	/* A flow whose first packet is the SYN/ACK: its receiver is the
	 * client. */
	if (f->pkts[0] + f->pkts[1] == 1 && (g->flags & (TH_SYN | TH_ACK)) ==
						    (TH_SYN | TH_ACK)) {
		f->client = !f->client;
		f->pkts[1] = f->pkts[0];
		f->bytes[1] = f->bytes[0];
		f->pkts[0] = f->bytes[0] = 0;
		*dir = 1;
	}
	tp_tcpstate *t = f->tcp;
	if (t && syn_only && t->d[*dir].base_set && g->seq != t->d[*dir].base) {
		tp_flow_renew(s, f, p, dir);
		*extra |= A_REUSED;
	}
	p->flow_dir = *dir;
	return f;
}

/* A generated field, unless no output of the run shows one (p->lean). */
static inline void gen_uint(tp_pkt *p, unsigned f, size_t off, size_t len,
			    uint64_t v)
{
	if (!p->lean)
		tp_add_uint(p, &tp_tcp_fields[f], off, len, v);
}

/* Relative SEQ/NXTSEQ/ACK and SACK edges, the calculated window. */
static void add_relative(tp_pkt *p, tp_tcpstate *t, int dir,
			 const seginfo *g, size_t start, bool opts_cut)
{
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	/* relative sequence numbers: the SYN is 0, else the first byte 1 */
	if (!fwd->base_set) {
		fwd->base = (g->flags & TH_SYN) ? g->seq : g->seq - 1;
		fwd->base_set = true;
	}
	if ((g->flags & TH_ACK) && !rev->base_set) {
		rev->base = g->ack - 1;
		rev->base_set = true;
	}
	note_wscale(t, dir, g->flags, g->wshift, opts_cut);
	/* SACK edges are relative to the other side's base too, as
	 * Wireshark's (tcp_relative_seq) */
	for (unsigned i = g->opt_lo; !p->lean && rev->base_set && i < g->opt_hi;
	     i++) {
		tp_field *x = &p->fields[i];
		if (x->def == &tp_tcp_fields[F_SACK_LE] || x->def == &tp_tcp_fields[F_SACK_RE])
			x->v.u = (uint32_t)(x->v.u - rev->base);
	}
	gen_uint(p, F_SEQ, start + 4, 4, g->seq - fwd->base);
	uint32_t nxt =
		g->seq + g->seglen + ((g->flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	gen_uint(p, F_NXTSEQ, start, 0, nxt - fwd->base);
	gen_uint(p, F_ACK, start + 8, 4,
		    (g->flags & TH_ACK) ? g->ack - rev->base : g->ack);
	/* SYNs are never scaled (RFC 7323 section 2.2) */
	uint32_t w = g->win;
	if (!(g->flags & TH_SYN) && fwd->wscale >= 0)
		w <<= fwd->wscale;
	gen_uint(p, F_WIN_CALC, start + 14, 2, w);
	if (!(g->flags & TH_SYN))
		gen_uint(p, F_WIN_SCALE, start + 14, 2,
			    (uint64_t)(int64_t)(fwd->wscale >= 0
							? 1 << fwd->wscale
							: fwd->wscale));
}

/* ---- unacknowledged segments: acks_frame, ack_rtt, bytes_in_flight --- */

/* What the list says about this segment (Wireshark's tcp_acked). */
struct acked {
	uint64_t frame; /* the segment this one acknowledges, or 0 */
	int64_t rtt;    /* ns since that segment */
	uint32_t bif;   /* bytes in flight after this one, or 0 */
};

/* The flow's lists, made on first use; NULL when ual_mem has no room. */
static tp_ualist *ual_lists(tp_session *s, tp_tcpstate *t)
{
	if (!t->ua && tp_reasm_mem_take(&s->ual_mem, sizeof *t->ua)) {
		t->ua = calloc(1, sizeof *t->ua);
		if (!t->ua)
			tp_reasm_mem_give(&s->ual_mem, sizeof *t->ua);
	}
	return t->ua;
}

/* Remember a segment that takes sequence space, at most TP_MAX_UNACKED
 * per direction and TP_UNACKED_MEM_CAP in all (then it is not). */
static void ual_add(tp_session *s, tp_ualist *ua, int dir, const tp_pkt *p,
		    uint32_t seq, uint32_t nextseq)
{
	tp_uadir *d = &ua->d[dir];
	if (d->n == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 2;
		if (cap > TP_MAX_UNACKED)
			cap = TP_MAX_UNACKED;
		size_t more = (size_t)(cap - d->cap) * sizeof *d->ual;
		if (cap == d->cap || !tp_reasm_mem_take(&s->ual_mem, more))
			return;
		tp_unacked *n = realloc(d->ual, cap * sizeof *n);
		if (!n) {
			tp_reasm_mem_give(&s->ual_mem, more);
			return;
		}
		d->ual = n;
		d->cap = cap;
	}
	d->ual[d->n++] = (tp_unacked){seq, nextseq, p->ts_nsec, p->ts_sec,
				      p->number};
}

/* tcp_analyze_sequence_number's end: the segment joins its side's list,
 * the ACK number clears the other side's (the oldest segment it ends
 * exactly is the one acknowledged: Wireshark walks its newest-first list
 * to the last match), and the bytes in flight are the span of what this
 * side has unacknowledged less what the other side SACKed, when they are
 * valid (`bif_ok`). */
static struct acked ual_update(tp_pkt *p, tp_tcpstate *t, int dir,
			       const seginfo *g, bool bif_ok)
{
	struct acked r = {0, 0, 0};
	tp_ualist *ua = ual_lists(p->sess, t);
	if (!ua)
		return r;
	tp_uadir *fwd = &ua->d[dir], *rev = &ua->d[!dir];
	uint32_t base = t->d[dir].base;
	uint32_t nxt =
		g->seq + g->seglen + ((g->flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	if (g->seglen || (g->flags & (TH_SYN | TH_FIN)))
		ual_add(p->sess, ua, dir, p, g->seq, nxt);
	uint32_t k = 0;
	for (uint32_t i = 0; i < rev->n; i++) {
		tp_unacked *u = &rev->ual[i];
		if (g->ack == u->nextseq) {
			if (!r.frame) {
				r.frame = u->frame;
				r.rtt = ns_between(u->sec, u->nsec, p->ts_sec,
						   p->ts_nsec);
			}
			continue; /* acknowledged: dropped */
		}
		if (seq_gt(g->ack, u->seq) && seq_le(g->ack, u->nextseq))
			u->seq = g->ack; /* partly acknowledged */
		else if (!seq_gt(u->nextseq, g->ack))
			continue; /* acknowledged before: dropped */
		rev->ual[k++] = *u;
	}
	rev->n = k;
	if (g->seglen && fwd->n && bif_ok) {
		uint32_t first = fwd->ual[0].seq - base;
		uint32_t last = fwd->ual[0].nextseq - base;
		for (uint32_t i = 1; i < fwd->n; i++) {
			uint32_t a = fwd->ual[i].seq - base;
			uint32_t b = fwd->ual[i].nextseq - base;
			if (b > last)
				last = b;
			if (a < first)
				first = a;
		}
		uint32_t n = last - first;
		for (unsigned i = 0; i < rev->nsack; i++) /* SACKed: arrived */
			n -= rev->sack_re[i] - rev->sack_le[i];
		/* a SYN's or FIN's sequence slot carries no byte */
		if (n > 0 && n < 2000000000u)
			r.bif = n - ((g->flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	}
	return r;
}

/* The segment's SACK blocks (raw: before add_relative), for the other
 * side's bytes in flight. */
static void note_sack(tp_pkt *p, tp_tcpstate *t, int dir, const seginfo *g)
{
	tp_ualist *ua = ual_lists(p->sess, t);
	if (!ua)
		return;
	tp_uadir *fwd = &ua->d[dir];
	fwd->nsack = 0;
	uint32_t le = 0;
	for (unsigned i = g->opt_lo; i < g->opt_hi; i++) {
		const tp_field *x = &p->fields[i];
		if (x->def == &tp_tcp_fields[F_SACK_LE]) {
			le = (uint32_t)x->v.u;
		} else if (x->def == &tp_tcp_fields[F_SACK_RE] &&
			   fwd->nsack < 4) {
			fwd->sack_le[fwd->nsack] = le;
			fwd->sack_re[fwd->nsack++] = (uint32_t)x->v.u;
		}
	}
}

/* Wireshark's SEQ/ACK analysis of the segment, the handshake RTT, and the
 * tcp.analysis tree: the analysis flags (A_*) returned. */
static unsigned add_analysis(tp_pkt *p, tp_tcpstate *t, int dir,
			     const seginfo *g, unsigned extra,
			     size_t start, bool opts_cut)
{
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	bool syn_only = (g->flags & (TH_SYN | TH_ACK)) == TH_SYN;
	uint32_t dupnum = 0;
	uint64_t dupframe = 0;
	/* an ACK makes the other side's bytes in flight valid again */
	if (g->flags & TH_ACK)
		rev->lastflags &= (uint16_t)~A_NOBIF;
	bool nobif = fwd->lastflags & A_NOBIF;
	unsigned a = analyze(p, t, dir, g, &dupnum, &dupframe) | extra;
	/* ACK numbers can go backwards (reordering): keep the highest */
	if ((g->flags & TH_ACK) &&
	    (!fwd->maxack_set || seq_gt(g->ack, fwd->maxack))) {
		fwd->maxack = g->ack;
		fwd->maxack_set = true;
	}
	if (a & A_LOST)
		nobif = true;
	if (nobif)
		fwd->lastflags |= A_NOBIF;
	/* acknowledged segments and bytes in flight: from the unacked
	 * lists when an output shows them; a lean run keeps no list (and
	 * adds no field) */
	struct acked ak = {0, 0, 0};
	if (!p->lean && p->sess->cfg.unacked)
		ak = ual_update(p, t, dir, g, !nobif);
	bool acks_frame = ak.frame != 0, in_flight = ak.bif != 0;

	/* handshake RTT: the SYN, then the first pure ACK */
	if (syn_only) {
		t->syn_sec = p->ts_sec;
		t->syn_nsec = p->ts_nsec;
		t->syn_time = true;
	} else if ((g->flags & (TH_SYN | TH_ACK)) == TH_ACK && t->syn_time &&
		   !t->rtt_set) {
		t->rtt_ns =
			ns_between(t->syn_sec, t->syn_nsec, p->ts_sec, p->ts_nsec);
		/* a zero RTT counts as none yet: the next ACK tries again */
		t->rtt_set = t->rtt_ns != 0;
	}
	/* Wireshark shows the analysis tree (and the iRTT in it) when the
	 * segment has flags, acknowledges a frame or has bytes in flight,
	 * and only when its option walk did not run past the capture (it
	 * throws before printing the analysis; the state is updated) */
	if ((a || acks_frame || in_flight) && !opts_cut) {
		gen_uint(p, F_ANALYSIS, start, 0, 0);
		tp_push(p);
		if (acks_frame) {
			gen_uint(p, F_A_ACKS_FRAME, start, 0, ak.frame);
			if (ak.rtt) /* as Wireshark: no RTT of zero */
				gen_uint(p, F_A_ACK_RTT, start, 0,
					 (uint64_t)ak.rtt);
		}
		if (t->rtt_set)
			gen_uint(p, F_A_IRTT, start, 0,
				    (uint64_t)t->rtt_ns);
		if (in_flight)
			gen_uint(p, F_A_BIF, start, 0, ak.bif);
		if (a) {
			gen_uint(p, F_A_FLAGS, start, 0, 0);
			tp_push(p);
			for (size_t i = 0; i < TP_COUNT(ana_items); i++) {
				if (!(a & ana_items[i].flag))
					continue;
				gen_uint(p, ana_items[i].field,
					    start, 0, 0);
				tp_add_event(p, &tp_tcp_events[ana_items[i].event],
					     start);
			}
			tp_pop(p);
		}
		if (a & A_DUPACK) {
			/* Wireshark: the flag item and this one */
			gen_uint(p, F_A_DUPACK, start, 0, 0);
			gen_uint(p, F_A_DUPACK_NUM, start, 0,
				    dupnum);
			gen_uint(p, F_A_DUPACK_FRAME, start, 0,
				    dupframe);
		}
		tp_pop(p);
	}
	return a;
}

/* tcp.time_relative and tcp.time_delta. */
static void add_times(tp_pkt *p, const tp_flow *f, tp_tcpstate *t,
		      size_t start)
{
	if (!p->lean) {
		gen_uint(p, F_TIME_REL, start, 0,
			 (uint64_t)ns_between(f->first_sec, f->first_nsec,
					      p->ts_sec, p->ts_nsec));
		int64_t delta = 0;
		if (f->pkts[0] + f->pkts[1] > 1)
			delta = ns_between(t->prev_sec, t->prev_nsec,
					   p->ts_sec, p->ts_nsec);
		gen_uint(p, F_TIME_DELTA, start, 0, (uint64_t)delta);
	}
	t->prev_sec = p->ts_sec;
	t->prev_nsec = p->ts_nsec;
}

/* The payload, to the reassembler when a tap or a stream dissector wants
 * it; the first payload of a flow no dissector is pinned to yet goes to
 * the probes. */
static void to_reasm(tp_pkt *p, unsigned li, const tp_cursor *c, tp_flow *f,
		     int dir, const seginfo *g, size_t start, size_t hlen)
{
	tp_session *s = p->sess;
	tp_tcpstate *t = f->tcp;
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	/* the bytes, to the reassembler when a tap or a stream dissector
	 * wants them; the first payload of a flow no dissector is pinned to
	 * yet goes to the probes */
	if (!t->reassemble && f->app.pinned)
		return;
	tp_cursor pl = *c;
	pl.off = start + hlen;
	size_t n = tp_avail(&pl);
	if (n > g->seglen)
		n = g->seglen;
	const uint8_t *b = n ? tp_bytes(&pl, n) : NULL;
	if (!f->app.pinned && b && tp_app_tcp_probe(s, f, b, n))
		t->reassemble = true;
	if (!t->reassemble)
		return;
	uint8_t sbuf[TP_FLOW_SINKCTX];
	tp_reasm_sink sk;
	if (g->flags & TH_SYN) {
		if (!fwd->r.base_set)
			tp_reasm_set_base(&fwd->r, g->seq + 1);
	}
	if (g->flags & TH_FIN) {
		fwd->fin = true;
		fwd->fin_seq = g->seq + g->seglen; /* the FIN's own slot */
	}
	if (g->flags & TH_ACK) {
		/* an ACK of the FIN acknowledges the data before it only */
		uint32_t upto = g->ack;
		if (rev->fin && upto == rev->fin_seq + 1)
			upto = rev->fin_seq;
		/* The receiver has bytes this capture lacks: a hole that will
		 * not fill.  Give it up on the third such ACK, not the first:
		 * a capture merged from two points can hold an ACK before the
		 * data it acknowledges (tshark waits for that data too). */
		if (rev->r.base_set &&
		    tp_reasm_offset(&rev->r, upto) > (int64_t)rev->r.next) {
			if (++rev->acks_ahead >= 3) {
				tp_flow_sink(s, f, !dir, p, sbuf, &sk);
				tp_reasm_ack(&rev->r, &s->mem, upto, &sk);
				rev->acks_ahead = 0;
			}
		} else {
			rev->acks_ahead = 0;
		}
	}
	if (n) { /* data on a RST too (RFC 9293 3.10.7.1), as tshark */
		tp_flow_sink(s, f, dir, p, sbuf, &sk);
		uint32_t at = (g->flags & TH_SYN) ? g->seq + 1 : g->seq;
		unsigned r = tp_reasm_add(&fwd->r, &s->mem, at, b, n, &sk);
		/* on TCP's layer: a stream dissector may have added more */
		if (r & TP_RA_OVERLAP_DIFF)
			tp_add_event_at(p, &tp_tcp_events[E_OVERLAP_DIFF], li,
					start + hlen);
	}
	/* the connection is over and nothing is held back: the stream
	 * dissector's state goes now (tp_app_close); after an RST, not while
	 * a PDU is half there (the peer's segments in flight bring the rest:
	 * the flow's end frees it) */
	if ((g->flags & TH_RST || (fwd->fin && rev->fin)) &&
	    fwd->r.high <= fwd->r.next && rev->r.high <= rev->r.next &&
	    (f->app.made || f->app.sd[0] || f->app.sd[1]) &&
	    !(g->flags & TH_RST && !(fwd->fin && rev->fin) &&
	      tp_app_pending(f)))
		tp_flow_stream_done(s, f, p);
	tp_tcpseg sg = {g->seq, g->ack, g->seglen, (uint32_t)n, g->flags,
			{t->d[0].r.base_set, t->d[1].r.base_set},
			{t->d[0].r.base, t->d[1].r.base}};
	tp_flow_segment(s, f, dir, &sg);
	tp_flow_holding(s, f);
}

/* `g` holds what tcp_dissect read from the header (through the cursor). */
unsigned tp_tcp_track(tp_pkt *p, const tp_cursor *c, seginfo g, size_t start,
		      size_t hlen, bool opts_cut)
{
	unsigned li = p->nlayers - 1;
	const tp_netaddr *na = tp_nearest_addr(p, li);
	if (!na || !na->src || !na->dst || (na->family != 4 && na->family != 6))
		return 0;
	/* only a SYN's window scale counts (RFC 7323 section 2.2) */
	g.wshift = (g.flags & TH_SYN) ? wscale_option(p, li) : 255;
	int dir;
	unsigned extra = 0;
	tp_flow *f = seg_flow(p, na, &g, &dir, &extra);
	if (!f)
		return 0;
	gen_uint(p, F_STREAM, start, 0, f->stream);
	tp_tcpstate *t = f->tcp;
	if (!t)
		return 0;
	if (!p->lean && p->sess->cfg.unacked)
		note_sack(p, t, dir, &g);
	add_relative(p, t, dir, &g, start, opts_cut);
	unsigned a = add_analysis(p, t, dir, &g, extra, start,
				  opts_cut);
	add_times(p, f, t, start);
	to_reasm(p, li, c, f, dir, &g, start, hlen);
	return a;
}
