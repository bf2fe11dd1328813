/* pipeline.c - the frame gate and the one dispatch loop.
 *
 * The link type picks the first dissector; each dissector returns the key
 * of the next; the loop looks it up in the registry, at most TP_MAX_LAYERS
 * deep.  Whatever no dissector claims becomes a "data" layer.  When a
 * dissector's cursor ends TRUNCATED or MALFORMED the loop records it as an
 * event of that layer (unless the dissector said more precisely) and
 * stops: everything before the damage stays in the record.
 */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"

/* ---- frame: the pseudo-layer every packet starts with ---------------- */

/* The first five are in every record.  The others are Wireshark's frame
 * fields that depend on the frame's history or on the whole dissection
 * (the time since the first and the previous packet, the protocol list):
 * -T fields computes them when asked (out_fields.c), so the record and
 * the -v tree stay as they are. */
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
		const tp_dissector *d = tp_registry_lookup(nx);
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
		}
		nx = d->dissect(p, &c);
		/* A dissector that moved the cursor to a reassembled datagram
		 * set its own header length. */
		if (c.base == base)
			l->len = (uint32_t)(c.off > l->off ? c.off - l->off : 0);
		l->payload_len = (uint32_t)tp_reported(&c);
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

static void frame_layer(tp_pkt *p)
{
	tp_layer_begin(p, &tp_diss_frame, 0);
	tp_add_uint(p, &frame_fields[FR_NUMBER], 0, 0, p->number);
	tp_add_uint(p, &frame_fields[FR_TIME], 0, 0,
		    (uint64_t)p->ts_sec * 1000000000u + p->ts_nsec);
	tp_add_uint(p, &frame_fields[FR_LEN], 0, 0, p->len);
	tp_add_uint(p, &frame_fields[FR_CAPLEN], 0, 0, p->caplen);
	tp_add_uint(p, &frame_fields[FR_LINKTYPE], 0, 0,
		    (uint64_t)(uint16_t)p->linktype);
	p->layers[0].payload_len = p->len;
}

/* The frame layer and the cursor over the captured bytes; dissection
 * then starts at key `first`. */
static void dissect_from(tp_pkt *p, uint64_t number, const tp_pkthdr *h,
			 const uint8_t *data, tp_next first)
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
	frame_layer(p);
	/* Frame gate: a record longer than the frame is impossible; keep the
	 * captured bytes and say so (tcpdump print.c does the same check). */
	if (h->caplen > h->len) {
		tp_add_event(p, &tp_ev_caplen_gt_len, 0);
		p->len = h->caplen;
	}
	tp_cursor c = tp_cursor_make(data, h->caplen, p->len);
	run(p, c, first, TP_MAX_LAYERS, NULL, NULL);
}

void tp_dissect(tp_pkt *p, uint64_t number, const tp_pkthdr *h,
		const uint8_t *data)
{
	dissect_from(p, number, h, data,
		     tp_next_key(TP_TAB_LINKTYPE, (uint32_t)h->linktype));
}

void tp_dissect_as(tp_pkt *p, const tp_dissector *d, const tp_pkthdr *h,
		   const uint8_t *data)
{
	tp_registry_init();
	dissect_from(p, 1, h, data,
		     tp_next_key(TP_TAB_NAME, tp_registry_index(d)));
}

void tp_dissect_buf(tp_pkt *p, int linktype, const uint8_t *data,
		    size_t caplen, size_t len)
{
	tp_pkthdr h = {0, 0, (uint32_t)caplen, (uint32_t)len, linktype, 0};
	tp_dissect(p, 1, &h, data);
}
