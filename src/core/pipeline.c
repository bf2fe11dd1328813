/* pipeline.c - the frame gate and the one dispatch loop.
 *
 * The link type picks the first dissector; each dissector returns the key
 * of the next; the loop looks it up in the registry, at most TP_MAX_LAYERS
 * deep.  Whatever no dissector claims becomes a "data" layer.  When a
 * dissector's cursor ends TRUNCATED or MALFORMED the loop records it as an
 * event of that layer (unless the dissector said more precisely) and
 * stops: everything before the damage stays in the record.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"
#include "tapir/layerfields.h"

/* ---- frame: the pseudo-layer every packet starts with ---------------- */

/* Every record has them all, as numbers: the frame's own (number,
 * time, lengths, link type), those that depend on the run (the time
 * since the first and the previous packet: the run's tp_dctx), and
 * those that depend on the whole dissection (frame.protocols, built
 * from the layer list when an output formats it, and _ws.malformed,
 * added at the end when an event says the packet breaks its protocol).
 * The -V tree shows the first five, as before; the others are there for
 * -T fields and the outputs to come (tp_frame_field_hidden). */
enum {
	FR_NUMBER,
	FR_TIME,
	FR_LEN,
	FR_CAPLEN,
	FR_LINKTYPE,
	FR_ARRIVAL,
	FR_RELATIVE,
	FR_DELTA,
	FR_DELTA_DISPLAYED,
	FR_PROTOCOLS,
	FR_COL_PROTOCOL,
	FR_COL_INFO,
	FR_MALFORMED,
	FR_COUNT
};

static const tp_field_def frame_fields[FR_COUNT] = {
	[FR_NUMBER] = {"frame.number", "Frame Number", TP_FT_UINT32,
		       TP_BASE_DEC, NULL, 0},
	/* Wireshark: FT_RELATIVE_TIME, seconds since the epoch */
	[FR_TIME] = {"frame.time_epoch", "Epoch Arrival Time",
		     TP_FT_RELATIVE_TIME, TP_BASE_NONE, NULL, 0},
	[FR_LEN] = {"frame.len", "Frame Length", TP_FT_UINT32, TP_BASE_DEC,
		    NULL, 0},
	[FR_CAPLEN] = {"frame.cap_len", "Capture Length", TP_FT_UINT32,
		       TP_BASE_DEC, NULL, 0},
	[FR_LINKTYPE] = {"frame.encap_type", "Link Type", TP_FT_UINT16,
			 TP_BASE_DEC, NULL, 0},
	[FR_ARRIVAL] = {"frame.time", "Arrival Time", TP_FT_ABSOLUTE_TIME,
			TP_BASE_NONE, NULL, 0},
	[FR_RELATIVE] = {"frame.time_relative",
			 "Time since reference or first frame",
			 TP_FT_RELATIVE_TIME, TP_BASE_NONE, NULL, 0},
	[FR_DELTA] = {"frame.time_delta", "Time delta from previous captured "
		      "frame", TP_FT_RELATIVE_TIME, TP_BASE_NONE, NULL, 0},
	[FR_DELTA_DISPLAYED] = {"frame.time_delta_displayed",
				"Time delta from previous displayed frame",
				TP_FT_RELATIVE_TIME, TP_BASE_NONE, NULL, 0},
	[FR_PROTOCOLS] = {"frame.protocols", "Protocols in frame",
			  TP_FT_STRING, TP_BASE_NONE, NULL, 0},
	/* tshark's columns: made from the layers when an output asks */
	[FR_COL_PROTOCOL] = {"_ws.col.Protocol", "Protocol", TP_FT_STRING,
			     TP_BASE_NONE, NULL, 0},
	[FR_COL_INFO] = {"_ws.col.Info", "Information", TP_FT_STRING,
			 TP_BASE_NONE, NULL, 0},
	/* Wireshark's: present on a packet that breaks its protocol */
	[FR_MALFORMED] = {"_ws.malformed", "Malformed Packet",
			  TP_FT_PROTOCOL, TP_BASE_NONE, NULL, 0},
};

static tp_next frame_dissect(tp_pkt *p, tp_cursor *c)
{
	(void)p;
	(void)c;
	return TP_STOP;
}

const tp_dissector tp_diss_frame = {
	.name = "frame",
	.longname = "Frame",
	.fields = frame_fields,
	.nfields = FR_COUNT,
	.dissect = frame_dissect,
};

/* ---- data: bytes no dissector claimed ------------------------------- */

enum { DA_DATA, DA_LEN, DA_COUNT };

static const tp_field_def data_fields[DA_COUNT] = {
	[DA_DATA] = {"data.data", "Data", TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[DA_LEN] = {"data.len", "Length", TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
};

const tp_field_def *const tp_fd_data_data = &data_fields[DA_DATA];

/* Bytes nobody dissects are not "truncated" when the capture cut them:
 * nothing was misread (tcpdump is silent too); data.len says how many
 * there were on the wire, data.data holds the captured ones. */
static tp_next data_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off, n = tp_avail(c);
	tp_add_bytes(p, &data_fields[DA_DATA], at, n, c->base + at, n);
	tp_add_uint(p, &data_fields[DA_LEN], at, 0, tp_reported(c));
	c->off += n;
	return TP_STOP;
}

const tp_dissector tp_diss_data = {
	.name = "data",
	.longname = "Data",
	.fields = data_fields,
	.nfields = DA_COUNT,
	.dissect = data_dissect,
};

/* ---- the loop ------------------------------------------------------- */

/* The loop from key `nx` over cursor `c`, while the record has fewer
 * than `limit` layers (TP_MAX_LAYERS for a frame, its frame layer
 * included; as many more for one stream PDU). */
static inline __attribute__((always_inline)) void
run(tp_pkt *p, tp_cursor c, tp_next nx, unsigned limit,
    void (*head)(tp_pkt *p, void *arg), void *arg)
{
	tp_registry_init();
	while (p->nlayers < limit) {
		const tp_dissector *d = tp_registry_next(nx);
		if (!d) {
			if (tp_reported(&c) == 0)
				return;
			d = &tp_diss_data;
		}
		tp_layer *l = tp_layer_begin(p, d, c.off);
		if (!l)
			return; /* the record is full: said by an event */
		/* a stream dissector below may add layers after this one (the
		 * array never moves: l stays valid) */
		unsigned li = p->nlayers - 1;
		unsigned events_before = p->nevents;
		const uint8_t *base = c.base;
		if (head) { /* fields the stream layer puts first */
			head(p, arg);
			head = NULL;
			p->level = 0;
			tp_meta_sync(p);
		}
		nx = d->dissect(p, &c);
		/* A dissector that moved the cursor to a reassembled datagram
		 * set its own header length. */
		if (c.base == base)
			l->len = (uint32_t)(c.off > l->off ? c.off - l->off : 0);
		l->payload_len = (uint32_t)tp_reported(&c);
		if (l->addr.fragment && !l->embedded && p->dctx)
			p->dctx->separate = true; /* tp_line_separate */
		if (c.status != TP_OK) {
			bool said = false;
			for (unsigned i = events_before; i < p->nevents; i++)
				if (p->events[i].def->kind == TP_EV_TRUNCATED ||
				    p->events[i].def->kind == TP_EV_MALFORMED)
					said = true;
			if (!said)
				tp_add_event_at(p,
						c.status == TP_TRUNCATED
							? &tp_ev_truncated
							: &tp_ev_malformed,
						li, c.off);
			return;
		}
		if (nx.table == TP_TAB_NONE) {
			if (tp_reported(&c) == 0 || d == &tp_diss_data ||
			    nx.key == TP_KEY_CONSUMED)
				return;
		}
	}
	tp_add_event(p, &tp_ev_too_many_layers, c.off);
}

void tp_dissect_pdu(tp_pkt *p, const tp_dissector *d, tp_cursor *c,
		    void (*head)(tp_pkt *p, void *arg), void *arg)
{
	tp_registry_init();
	run(p, *c, tp_next_key(TP_TAB_NAME, tp_registry_index(d)),
	    p->nlayers + TP_MAX_LAYERS, head, arg);
}

/* The epoch and frame.time are a view of the record's own timestamp:
 * seconds then nanoseconds, as tp_field_nstime reads them. */
_Static_assert(offsetof(tp_pkt, ts_nsec) == offsetof(tp_pkt, ts_sec) + 8 &&
		       sizeof(((tp_pkt *)0)->ts_sec) == 8 &&
		       sizeof(((tp_pkt *)0)->ts_nsec) == 4,
	       "tp_pkt's timestamp is not seconds then nanoseconds");

tp_nstime tp_field_nstime(const tp_field *f)
{
	tp_nstime t;
	if (f->vlen == TP_NSTIME_LEN && f->v.p) {
		memcpy(&t.sec, f->v.p, 8);
		memcpy(&t.nsec, f->v.p + 8, 4);
		return t;
	}
	t.sec = f->v.i / 1000000000LL; /* both of one sign */
	t.nsec = (int32_t)(f->v.i % 1000000000LL);
	return t;
}

/* The times that depend on the run: since its first and its previous
 * packet (tshark's "captured" frames: those the capture filter let
 * through), as seconds and nanoseconds apart (a - b: the seconds wrap
 * instead of overflowing on hostile timestamps).  Without a run every
 * packet is its first. */
typedef struct frame_times {
	int64_t rel_sec, delta_sec;
	int32_t rel_ns, delta_ns;
} frame_times;

static frame_times run_times(tp_dctx *x, const tp_pkthdr *h)
{
	frame_times t = {0, 0, 0, 0};
	if (!x)
		return t;
	if (!x->have_first) {
		x->have_first = true;
		x->first_sec = x->prev_sec = h->sec;
		x->first_nsec = x->prev_nsec = h->nsec;
	}
	t.rel_sec = (int64_t)((uint64_t)h->sec - (uint64_t)x->first_sec);
	t.rel_ns = (int32_t)h->nsec - (int32_t)x->first_nsec;
	t.delta_sec = (int64_t)((uint64_t)h->sec - (uint64_t)x->prev_sec);
	t.delta_ns = (int32_t)h->nsec - (int32_t)x->prev_nsec;
	x->prev_sec = h->sec;
	x->prev_nsec = h->nsec;
	return t;
}

/* A delta in a field: nanoseconds, or when they do not fit the pair as
 * Wireshark's nstime_delta normalises it (seconds and nanoseconds of
 * one sign) in the arena.  The readers give nanoseconds below 10^9. */
static void set_reltime(tp_pkt *p, tp_field *x, int64_t sec, int32_t ns)
{
	if (sec > -9000000000LL && sec < 9000000000LL) {
		x->v.i = sec * 1000000000LL + ns;
		return;
	}
	if (sec > 0 && ns < 0) {
		sec--;
		ns += 1000000000;
	} else if (sec < 0 && ns > 0) {
		sec++;
		ns -= 1000000000;
	}
	uint8_t *b = tp_arena_alloc(p, TP_NSTIME_LEN);
	if (!b)
		return; /* 0 */
	memcpy(b, &sec, 8);
	memcpy(b + 8, &ns, 4);
	x->v.p = b;
	x->vlen = TP_NSTIME_LEN;
}

_Static_assert(TP_MAX_FIELDS > FR_COUNT, "the frame's fields fit");

/* Written in one go: the record was just reset (no field yet). */
static void frame_layer(tp_pkt *p, const frame_times *t)
{
	tp_layer_begin(p, &tp_diss_frame, 0);
	tp_field *f = p->fields;
#define FR(i, ...) f[i] = (tp_field){.def = &frame_fields[i], __VA_ARGS__}
	FR(FR_NUMBER, .v.u = p->number);
	/* the epoch and frame.time: a view of the record's timestamp */
	FR(FR_TIME, .v.p = (const uint8_t *)&p->ts_sec, .vlen = TP_NSTIME_LEN);
	FR(FR_LEN, .v.u = p->len);
	FR(FR_CAPLEN, .v.u = p->caplen);
	FR(FR_LINKTYPE, .v.u = (uint16_t)p->linktype);
	FR(FR_ARRIVAL, .v.p = (const uint8_t *)&p->ts_sec,
	   .vlen = TP_NSTIME_LEN);
	FR(FR_RELATIVE, .v.i = 0);
	FR(FR_DELTA, .v.i = 0);
	FR(FR_DELTA_DISPLAYED, .v.i = 0);
	/* its text is the layer list's, made when an output asks
	 * (tp_frame_protocols) */
	FR(FR_PROTOCOLS, .v.p = NULL);
	FR(FR_COL_PROTOCOL, .v.p = NULL);
	FR(FR_COL_INFO, .v.p = NULL);
#undef FR
	p->nfields = FR_COL_INFO + 1;
	p->layers[0].nfields = (uint16_t)p->nfields;
	set_reltime(p, &f[FR_RELATIVE], t->rel_sec, t->rel_ns);
	set_reltime(p, &f[FR_DELTA], t->delta_sec, t->delta_ns);
	/* no display filter yet: every packet is displayed */
	f[FR_DELTA_DISPLAYED].v = f[FR_DELTA].v;
	f[FR_DELTA_DISPLAYED].vlen = f[FR_DELTA].vlen;
	p->layers[0].payload_len = p->len;
}

bool tp_frame_field_hidden(const tp_field_def *d)
{
	return d >= &frame_fields[FR_ARRIVAL] && d < &frame_fields[FR_COUNT];
}

bool tp_frame_computed(const tp_field_def *d)
{
	return d >= &frame_fields[FR_PROTOCOLS] &&
	       d <= &frame_fields[FR_COL_INFO];
}

/* tshark's Protocol column: the colname of the topmost layer that has
 * one (none: empty, rather than a name tshark would not print). */
static void col_protocol(tp_sbuf *s, const tp_pkt *p)
{
	for (unsigned li = p->nlayers; li-- > 1;)
		if (p->layers[li].d->colname) {
			const tp_dissector *d = p->layers[li].d;
			const char *n = d->colname_of ? d->colname_of(p, li)
						      : NULL;
			tp_sb_puts(s, n ? n : d->colname);
			return;
		}
}

/* tshark's Info column: the info of the topmost layer that has one. */
static void col_info(tp_sbuf *s, const tp_pkt *p)
{
	for (unsigned li = p->nlayers; li-- > 1;)
		if (p->layers[li].d->info) {
			p->layers[li].d->info(p, li, s);
			return;
		}
}

void tp_frame_text(tp_sbuf *s, const tp_pkt *p, const tp_field_def *d)
{
	if (d == &frame_fields[FR_PROTOCOLS])
		tp_frame_protocols(s, p);
	else if (d == &frame_fields[FR_COL_PROTOCOL])
		col_protocol(s, p);
	else if (d == &frame_fields[FR_COL_INFO])
		col_info(s, p);
}

/* Wireshark's frame.protocols: the layer names with "ethertype" after
 * each layer that hands off by Ethernet type, the IPv6 extension headers
 * and MPTCP as layers of their own. */
void tp_frame_protocols(tp_sbuf *s, const tp_pkt *p)
{
	bool first = true;
	for (unsigned li = 1; li < p->nlayers; li++) {
		const tp_layer *l = &p->layers[li];
		const char *name = l->d->name;
		/* Wireshark's "sll" dissects both versions; LINKTYPE_IPV4 and
		 * _IPV6 go straight to ip/ipv6 with no "raw" layer */
		if (strcmp(name, "sll2") == 0)
			name = "sll";
		else if (strcmp(name, "raw") == 0 &&
			 (p->linktype == 228 || p->linktype == 229))
			continue;
		if (!first)
			tp_sb_putc(s, ':');
		/* LINKTYPE_IPV4 holding IPv6: Wireshark's ip dissector
		 * passes it on to ipv6 */
		if (first && p->linktype == 228 && strcmp(name, "ipv6") == 0)
			tp_sb_puts(s, "ip:");
		first = false;
		tp_sb_puts(s, name);
		bool ethertype = strcmp(name, "eth") == 0 ||
				 strcmp(name, "vlan") == 0 ||
				 strcmp(name, "ieee8021ad") == 0;
		/* Linux cooked: the protocol is an Ethernet type except for
		 * GRE devices (ARPHRD_IPGRE, 778), where it is GRE's */
		if (strcmp(name, "sll") == 0) {
			uint64_t ht = 0;
			ethertype = !(tp_layer_u64(p, li, tp_fd_sll_hatype, &ht) &&
				      ht == 778);
		}
		if (ethertype && li + 1 < p->nlayers &&
		    strcmp(p->layers[li + 1].d->name, "llc") != 0)
			tp_sb_puts(s, ":ethertype");
		/* protocol items inside this layer that Wireshark counts
		 * as protocols of the frame */
		for (unsigned i = l->first_field;
		     i < (unsigned)l->first_field + l->nfields &&
		     i < p->nfields;
		     i++) {
			const tp_field_def *d = p->fields[i].def;
			if (d->type != TP_FT_PROTOCOL)
				continue;
			if (strcmp(d->abbrev, "tcp.options.mptcp") == 0)
				tp_sb_puts(s, ":mptcp");
			else if (strncmp(d->abbrev, "ipv6.", 5) == 0)
				tp_sb_putc(s, ':'), tp_sb_puts(s, d->abbrev);
		}
	}
}

/* Wireshark's _ws.malformed: on a packet an event says breaks its
 * protocol. */
static void note_malformed(tp_pkt *p)
{
	for (unsigned i = 0; i < p->nevents; i++)
		if (p->events[i].def->kind == TP_EV_MALFORMED) {
			tp_add_uint(p, &frame_fields[FR_MALFORMED], 0, 0, 1);
			return;
		}
}

/* The frame layer and the cursor over the captured bytes; dissection
 * then starts at key `first`. */
static void dissect_from(tp_pkt *p, uint64_t number, const tp_pkthdr *h,
			 const uint8_t *data, tp_next first,
			 const frame_times *t)
{
	tp_pkt_reset(p);
	p->number = number;
	p->ts_sec = h->sec;
	p->ts_nsec = h->nsec;
	p->ts_bad_frac = h->bad_frac;
	p->ts_bad_frac_unit = h->bad_frac_unit;
	p->caplen = h->caplen;
	p->len = h->len;
	p->linktype = h->linktype;
	p->data = data;
	frame_layer(p, t);
	/* Frame gate: a record longer than the frame is impossible; keep the
	 * captured bytes and say so (tcpdump print.c does the same check). */
	if (h->caplen > h->len) {
		tp_add_event(p, &tp_ev_caplen_gt_len, 0);
		p->len = h->caplen;
	}
	tp_cursor c = tp_cursor_make(data, h->caplen, p->len);
	run(p, c, first, TP_MAX_LAYERS, NULL, NULL);
	note_malformed(p);
}

/* ---- the run's state and the line record ---------------------------- */

tp_dctx *tp_dctx_new(bool relative, bool quoted)
{
	tp_dctx *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->seq_quoted = quoted;
	if (relative && !(x->seqtab = tp_seqtab_new())) {
		free(x);
		return NULL;
	}
	return x;
}

void tp_dctx_free(tp_dctx *x)
{
	if (!x)
		return;
	tp_seqtab_free(x->seqtab);
	tp_pkt_free(x->line);
	free(x);
}

unsigned tp_layers_end(const tp_pkt *p)
{
	if (!p->nlayers)
		return 0;
	const tp_layer *l = &p->layers[p->nlayers - 1];
	return (unsigned)l->first_field + l->nfields;
}

void tp_carry_notes(tp_pkt *to, const tp_pkt *from, bool in_layers)
{
	unsigned end = tp_layers_end(from);
	unsigned i = in_layers ? 0 : end, n = in_layers ? end : from->nfields;
	for (; i < n; i++)
		if (tp_is_note(from->fields[i].def) && to->nfields < TP_MAX_FIELDS)
			to->fields[to->nfields++] = from->fields[i];
}

static tp_next link_key(const tp_pkthdr *h)
{
	return tp_next_key(TP_TAB_LINKTYPE, (uint32_t)h->linktype);
}

/* tcpdump reads the TCP header of a first fragment as it is, and none
 * of a datagram put together again: the relative sequence numbers of
 * such a record come from the frame dissected as its line will be (no
 * session: no defragmentation), here, once, and are kept after the
 * record's layers for tp_line_record. */
static void line_notes(tp_pkt *p, tp_dctx *x, const tp_pkthdr *h,
		       const frame_times *t)
{
	if (!x->line && !(x->line = tp_pkt_new()))
		return;
	tp_pkt *l = x->line;
	l->sess = NULL;
	l->dctx = x;
	l->no_verify = p->no_verify;
	l->lean = p->lean;
	dissect_from(l, p->number, h, p->data, link_key(h), t);
	tp_carry_notes(p, l, true);
}

void tp_dissect(tp_pkt *p, uint64_t number, const tp_pkthdr *h,
		const uint8_t *data)
{
	tp_dctx *x = p->dctx;
	frame_times t = run_times(x, h);
	if (x)
		x->separate = false;
	dissect_from(p, number, h, data, link_key(h), &t);
	if (x && x->seqtab && p->sess && (x->separate || p->reasm))
		line_notes(p, x, h, &t);
}

void tp_dissect_as(tp_pkt *p, const tp_dissector *d, const tp_pkthdr *h,
		   const uint8_t *data)
{
	tp_registry_init();
	frame_times t = run_times(p->dctx, h);
	if (p->dctx)
		p->dctx->separate = false;
	dissect_from(p, 1, h, data,
		     tp_next_key(TP_TAB_NAME, tp_registry_index(d)), &t);
}

void tp_dissect_buf(tp_pkt *p, int linktype, const uint8_t *data,
		    size_t caplen, size_t len)
{
	tp_pkthdr h = {0, 0, (uint32_t)caplen, (uint32_t)len, linktype, 0};
	tp_dissect(p, 1, &h, data);
}
