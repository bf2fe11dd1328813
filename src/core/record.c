/* record.c - the per-packet record: arrays sized once, reset per packet. */
#include <stdlib.h>
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/record.h"

const tp_event_def tp_ev_truncated = {"_ws.short", TP_EV_TRUNCATED,
				      "Packet cut short by the capture"};
const tp_event_def tp_ev_malformed = {"_ws.malformed", TP_EV_MALFORMED,
				      "Malformed packet"};
const tp_event_def tp_ev_record_full = {
	"_ws.record_full", TP_EV_WARN,
	"Too many fields or events: the rest were not recorded"};
const tp_event_def tp_ev_too_many_layers = {
	"_ws.too_many_layers", TP_EV_MALFORMED,
	"Too many protocol layers: dissection stopped"};
const tp_event_def tp_ev_caplen_gt_len = {
	"frame.cap_len_gt_len", TP_EV_MALFORMED,
	"Captured length is greater than the frame length"};
const tp_event_def tp_ev_layers_full = {
	"_ws.record_full.layers", TP_EV_WARN,
	"Too many layers in one packet: the rest were not recorded"};
const tp_event_def tp_ev_sources_full = {
	"_ws.record_full.sources", TP_EV_WARN,
	"Too many data sources or reassembled bytes in one packet: a PDU "
	"was dissected without being recorded"};

tp_pkt *tp_pkt_new(void)
{
	tp_pkt *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	/* not zeroed: only fields[0..nfields) are ever read, and untouched
	 * pages cost no memory (the printer thread keeps 256 records) */
	p->fields = malloc(TP_MAX_FIELDS * sizeof *p->fields);
	p->arena = malloc(TP_ARENA_SIZE);
	if (!p->fields || !p->arena) {
		tp_pkt_free(p);
		return NULL;
	}
	p->src[0] = (tp_source){"Frame", NULL, 0, TP_SRC_FRAME};
	p->nsrc = 1;
	p->reasm_src = -1;
	return p;
}

void tp_pkt_free(tp_pkt *p)
{
	if (!p)
		return;
	free(p->fields);
	free(p->arena);
	free(p->store);
	free(p);
}

void tp_pkt_reset(tp_pkt *p)
{
	p->nlayers = 0;
	p->nfields = 0;
	p->nevents = 0;
	p->arena_used = 0;
	p->level = 0;
	p->in_error = 0;
	p->full = false;
	p->nvlan = 0;
	p->vlan_id[0] = p->vlan_id[1] = 0;
	p->reasm_active = false;
	p->reasm = NULL;
	p->reasm_len = 0;
	p->flow = NULL;
	p->flow_dir = 0;
	p->nsrc = 1;
	p->src_cur = 0;
	p->fmeta = (struct tp_fmeta){0, 0, 0};
	p->reasm_src = -1;
	p->store_used = 0;
	p->app_state = NULL;
	p->app_dir = 0;
	p->app_proto = 0;
	p->app_sess = NULL;
}

void tp_pkt_note_full(tp_pkt *p)
{
	if (p->full)
		return;
	p->full = true;
	/* Keep the last event slot for this one. */
	if (p->nevents < TP_MAX_EVENTS)
		p->events[p->nevents++] = (tp_event){
			&tp_ev_record_full,
			(uint16_t)(p->nlayers ? p->nlayers - 1 : 0), 0};
}

tp_field *tp_add_bytes(tp_pkt *p, const tp_field_def *f, size_t off,
		       size_t len, const uint8_t *bytes, size_t blen)
{
	tp_field *x = tp_field_append(p, f, off, len);
	if (x) {
		x->v.p = bytes;
		x->vlen = (uint32_t)(blen > UINT32_MAX ? UINT32_MAX : blen);
	}
	return x;
}

void tp_add_event_at(tp_pkt *p, const tp_event_def *e, unsigned layer,
		     size_t off)
{
	if (p->nevents >= TP_MAX_EVENTS - 1) {
		tp_pkt_note_full(p);
		return;
	}
	p->events[p->nevents++] = (tp_event){e, (uint16_t)layer, (uint32_t)off};
}

void tp_add_event(tp_pkt *p, const tp_event_def *e, size_t off)
{
	tp_add_event_at(p, e, p->nlayers ? p->nlayers - 1 : 0, off);
}

/* The first layer reading a defragmented datagram registers it as a
 * data source, named after the network layer that joined it. */
uint8_t tp_defrag_source(tp_pkt *p)
{
	if (p->reasm_src < 0 && p->reasm) {
		const tp_layer *ip = p->nlayers ? &p->layers[p->nlayers - 1]
						: NULL;
		const char *name = ip && ip->addr.family == 6
					   ? "Reassembled IPv6"
					   : "Reassembled IPv4";
		int i = tp_src_add(p, name, TP_SRC_DEFRAG, p->reasm,
				   p->reasm_len);
		p->reasm_src = (int16_t)(i < 0 ? 0 : i);
	}
	return (uint8_t)(p->reasm_src < 0 ? 0 : p->reasm_src);
}

tp_layer *tp_layers_full(tp_pkt *p, size_t off)
{
	if (!p->full && p->nevents < TP_MAX_EVENTS - 1)
		tp_add_event(p, &tp_ev_layers_full, off);
	tp_pkt_note_full(p);
	return NULL;
}

/* ---- data sources ---------------------------------------------------- */

int tp_src_add(tp_pkt *p, const char *name, uint8_t kind,
	       const uint8_t *bytes, size_t n)
{
	if (p->nsrc >= TP_MAX_SOURCES || n > UINT32_MAX) {
		if (!p->full && p->nevents < TP_MAX_EVENTS - 1)
			tp_add_event(p, &tp_ev_sources_full, 0);
		tp_pkt_note_full(p);
		return -1;
	}
	p->src[p->nsrc] = (tp_source){name, bytes, (uint32_t)n, kind};
	return (int)p->nsrc++;
}

int tp_src_copy(tp_pkt *p, const char *name, uint8_t kind,
		const uint8_t *bytes, size_t n)
{
	if (!p->store && !(p->store = malloc(TP_SRC_STORE)))
		n = SIZE_MAX; /* no memory: refused below */
	if (n > TP_SRC_STORE - p->store_used || p->nsrc >= TP_MAX_SOURCES) {
		if (!p->full && p->nevents < TP_MAX_EVENTS - 1)
			tp_add_event(p, &tp_ev_sources_full, 0);
		tp_pkt_note_full(p);
		return -1;
	}
	uint8_t *at = p->store + p->store_used;
	if (n)
		memcpy(at, bytes, n);
	p->store_used += n;
	return tp_src_add(p, name, kind, at, n);
}

const uint8_t *tp_src_bytes(const tp_pkt *p, unsigned src, size_t *n)
{
	if (src == 0) { /* the frame: whatever the record's data is now */
		*n = p->caplen;
		return p->data;
	}
	if (src >= p->nsrc)
		return NULL;
	if (p->src[src].kind == TP_SRC_DEFRAG) { /* the printer may move it */
		*n = p->reasm_len;
		return p->reasm;
	}
	*n = p->src[src].len;
	return p->src[src].bytes;
}

int tp_src_find(const tp_pkt *p, const uint8_t *b, size_t n)
{
	uintptr_t lo = (uintptr_t)b;
	for (unsigned i = 0; i < p->nsrc; i++) {
		size_t sn;
		const uint8_t *s = tp_src_bytes(p, i, &sn);
		uintptr_t sl = (uintptr_t)s;
		if (s && lo >= sl && lo - sl <= sn && n <= sn - (lo - sl))
			return (int)i;
	}
	return -1;
}

const uint8_t *tp_get_bytes(tp_pkt *p, tp_cursor *c, const tp_field_def *f,
			    size_t n)
{
	size_t at = c->off;
	const uint8_t *b = tp_bytes(c, n);
	if (b)
		tp_add_bytes(p, f, at, n, b, n);
	return b;
}

uint8_t *tp_arena_alloc(tp_pkt *p, size_t n)
{
	if (n > TP_ARENA_SIZE - p->arena_used) {
		tp_pkt_note_full(p);
		return NULL;
	}
	uint8_t *r = p->arena + p->arena_used;
	p->arena_used += (n + 7) & ~(size_t)7;
	if (p->arena_used > TP_ARENA_SIZE)
		p->arena_used = TP_ARENA_SIZE;
	return r;
}

const tp_field *tp_layer_find(const tp_pkt *p, unsigned layer,
			      const tp_field_def *f)
{
	if (layer >= p->nlayers)
		return NULL;
	const tp_layer *l = &p->layers[layer];
	const tp_field *x = p->fields + l->first_field;
	for (unsigned i = 0, n = l->nfields; i < n; i++)
		if (x[i].def == f)
			return &x[i];
	return NULL;
}

static bool uint_of(const tp_field *f, uint64_t *out)
{
	if (!f)
		return false;
	*out = f->v.u;
	return true;
}

bool tp_layer_u64(const tp_pkt *p, unsigned layer, const tp_field_def *f,
		  uint64_t *out)
{
	return uint_of(tp_layer_find(p, layer, f), out);
}

const tp_field *tp_layer_find_abbrev(const tp_pkt *p, unsigned layer,
				     const char *abbrev)
{
	if (layer >= p->nlayers)
		return NULL;
	const tp_layer *l = &p->layers[layer];
	for (unsigned i = 0; i < l->nfields; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		if (strcmp(f->def->abbrev, abbrev) == 0)
			return f;
	}
	return NULL;
}

bool tp_layer_uint(const tp_pkt *p, unsigned layer, const char *abbrev,
		   uint64_t *out)
{
	return uint_of(tp_layer_find_abbrev(p, layer, abbrev), out);
}

int tp_find_layer(const tp_pkt *p, const char *name, unsigned from)
{
	for (unsigned i = from; i < p->nlayers; i++)
		if (strcmp(p->layers[i].d->name, name) == 0)
			return (int)i;
	return -1;
}

bool tp_pkt_has_event(const tp_pkt *p, tp_ev_kind kind)
{
	for (unsigned i = 0; i < p->nevents; i++)
		if (p->events[i].def->kind == kind)
			return true;
	return false;
}
