/* record.h - the per-packet record: layers, typed fields and events.
 *
 * One tp_pkt lives for the whole run and is reset for every packet, so the
 * hot path never calls malloc: fields, layers and events go into arrays
 * allocated once at their caps (limits.h; untouched pages cost nothing),
 * and derived bytes (a decompressed name, a joined string) into a fixed
 * arena.  When an array is full the packet gets one "record full" event
 * and further fields are dropped, never grown.
 *
 * Dissectors only append; outputs only read.  A field holds its value as
 * an integer or as a view of bytes (into a data source or the arena), plus
 * the byte range it came from: `off`/`len` count in the data source `src`
 * (p->src[]), the frame (0), a defragmented datagram, or a reassembled
 * PDU copied into the record.  No text is formatted here.
 */
#ifndef TAPIR_RECORD_H
#define TAPIR_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tapir/cursor.h"
#include "tapir/field.h"
#include "tapir/limits.h"

struct tp_dissector;

typedef struct tp_field {
	const tp_field_def *def;
	uint32_t off;   /* first byte in its data source */
	uint32_t len;   /* bytes it covers (0 for generated fields) */
	uint32_t vlen;  /* length of v.p for bytes/strings/addresses */
	uint16_t layer; /* index in tp_pkt.layers */
	uint8_t level;  /* depth in the layer's tree, 0 = top */
	uint8_t src;    /* data source of off/len: index in tp_pkt.src */
	union {
		uint64_t u;
		int64_t i;
		double d;
		const uint8_t *p;
	} v;
} tp_field;

typedef struct tp_event {
	const tp_event_def *def;
	uint16_t layer;
	uint32_t off;
} tp_event;

/* A buffer fields point into, with the name the hex output shows
 * ("Frame", "Reassembled IPv4", "Reassembled TCP": Wireshark's tabs). */
typedef struct tp_source {
	const char *name;
	const uint8_t *bytes;
	uint32_t len;
	uint8_t kind; /* TP_SRC_* */
} tp_source;

enum {
	TP_SRC_FRAME = 0,  /* p->data: always src[0] */
	TP_SRC_DEFRAG,     /* p->reasm: a datagram joined from fragments */
	TP_SRC_PDU,        /* a reassembled PDU, copied into the record */
	TP_SRC_DERIVED,    /* bytes a dissector made (a decompressed body) */
};

/* Addresses a network layer exposes to the layers above it
 * (pseudo-header checksums, flow keys, the one-line summary). */
typedef struct tp_netaddr {
	uint8_t family;   /* 0, 4 or 6 */
	uint8_t proto;    /* upper protocol the fixed header names (ip.proto,
			   * ipv6.nxt): tcpdump prints addresses with the
			   * ports only when it is TCP/UDP itself */
	uint8_t fragment; /* the datagram is one fragment of a larger one
			   * (first included): no checksum over it */
	const uint8_t *src, *dst;
} tp_netaddr;

typedef struct tp_layer {
	const struct tp_dissector *d;
	uint32_t off, len;      /* header bytes of this layer */
	uint32_t payload_len;   /* reported bytes after the header */
	uint32_t first_field;   /* fields [first_field, first_field+nfields) */
	uint32_t nfields;
	tp_netaddr addr;        /* set by network layers */
	uint8_t embedded;       /* inside an ICMP error's quoted packet */
	uint8_t reassembled;    /* reads p->reasm (a reassembled datagram),
				 * not the frame: its offsets count from there */
	uint8_t src;            /* data source its offsets count in */
} tp_layer;

typedef struct tp_pkt {
	/* frame */
	uint64_t number;     /* 1-based */
	int64_t ts_sec;
	uint32_t ts_nsec;
	uint32_t ts_bad_frac;     /* tp_pkthdr's bad_frac and bad_frac_unit */
	uint8_t ts_bad_frac_unit;
	uint32_t caplen, len;
	int linktype;
	const uint8_t *data;

	unsigned nlayers;   /* layers[] below */

	tp_field *fields; /* TP_MAX_FIELDS */
	unsigned nfields;
	/* What every new field gets in its layer/level/src (tp_field's
	 * three, in their order): made by tp_meta_sync from nlayers, level
	 * and src_cur whenever one of them changes, so that appending a
	 * field copies one word (tp_field_append). */
	struct tp_fmeta {
		uint16_t layer;
		uint8_t level, src;
	} fmeta;

	unsigned nevents;   /* events[] below */

	uint8_t *arena;
	size_t arena_used;

	/* Data sources: src[0] is the frame; a defragmented datagram and
	 * reassembled PDUs add theirs (tp_src_add; src[] below).  src_cur is
	 * the one new fields count in (set by the layer being dissected). */
	unsigned nsrc;
	uint8_t src_cur;
	int16_t reasm_src;   /* the defragmented datagram's source, or -1 */
	/* copies of reassembled PDUs (TP_SRC_STORE, allocated when first
	 * needed) */
	uint8_t *store;
	size_t store_used;

	/* dissection scratch, shared between layers of this packet */
	unsigned level;      /* tree depth for the next field */
	/* dissecting an ICMP error's quoted packet: how many errors quote
	 * it (an error about an error: 2; at most TP_MAX_EMBED) */
	uint8_t in_error;
	bool full;           /* a cap was hit; recorded once */
	unsigned nvlan;
	uint16_t vlan_id[2]; /* outer, inner 802.1Q ids (flow keys) */
	bool reasm_active;   /* the layers from here read p->reasm */

	/* A datagram reassembled from fragments (valid for this packet). */
	const uint8_t *reasm;
	size_t reasm_len;

	/* Flows: tcp.stream/udp.stream of this packet, and the state that
	 * lives across packets (NULL: dissect each packet on its own, as the
	 * unit tests do). */
	struct tp_session *sess;
	struct tp_flow *flow;
	int flow_dir;
	/* Other state of the run dissection keeps (pipeline.h), or NULL. */
	struct tp_dctx *dctx;

	/* Application layer (dissector.h): while a stream dissector's PDU or
	 * a datagram dissector runs, its per-flow state for the direction
	 * of that PDU or datagram (0 client->server), and the transport
	 * (6 TCP, 17 UDP).  app_state is NULL without a session or state. */
	void *app_state;
	int app_dir;
	uint8_t app_proto;
	/* ... and the session its states for the whole run belong to
	 * (tp_app_session): set with app_state, and kept while a PDU is
	 * dissected (when sess is hidden); NULL without a session. */
	struct tp_session *app_sess;

	/* Set by the run when no output of it can show a TCP or UDP
	 * checksum's status (the one-line output, --follow, --export-streams,
	 * --stats): the status is then "unverified", as in tshark's default,
	 * and the sum over every byte is not computed.  Nothing else
	 * depends on it (reassembly keeps segments with bad sums, as
	 * tshark does). */
	bool no_verify;
	/* Set by the run when no output of it shows TCP's generated fields
	 * (the relative and calculated numbers, times, tcp.stream, the
	 * analysis items): the one-line text, -v, the hex dumps, follow and
	 * export read none (tcpdump prints its own relative numbers, from
	 * notes).  They are then not added, as Wireshark builds no tree
	 * nobody shows; the state behind them is kept (the analysis decides
	 * what reaches the application layer).  -V, -T fields and --stats
	 * read them and leave it off (so must a display filter).  The same
	 * run also leaves out fields no text output reads (flag bits, plain
	 * TCP options, IPv4's DSCP/ECN) and the stream PDUs that show
	 * nothing on the line (dissector.h pdu_shown). */
	bool lean;

	/* The arrays, last: the counters above stay on a few cache lines,
	 * and pages past what a packet uses are never touched (an array in
	 * the struct costs one load less per field appended than a
	 * pointer). */
	tp_layer layers[TP_MAX_PKT_LAYERS];
	tp_event events[TP_MAX_EVENTS];
	tp_source src[TP_MAX_SOURCES];
} tp_pkt;

/* The packet's time in nanoseconds since the epoch, for differences
 * between packets: wrapping, never overflowing, on a hostile file's
 * timestamps (a pcapng time resolution can make seconds of any size). */
static inline int64_t tp_pkt_time_ns(const tp_pkt *p)
{
	return (int64_t)((uint64_t)p->ts_sec * 1000000000u + p->ts_nsec);
}

/* Lifetime: one per run (or per thread). */
tp_pkt *tp_pkt_new(void);
void tp_pkt_free(tp_pkt *p);
void tp_pkt_reset(tp_pkt *p);

/* Current (innermost) layer. */
static inline tp_layer *tp_cur_layer(tp_pkt *p)
{
	return p->nlayers ? &p->layers[p->nlayers - 1] : NULL;
}

/* Appending.  Each returns the field (or NULL when the record is full).
 * Inline: a TCP packet appends about a hundred fields. */
void tp_pkt_note_full(tp_pkt *p);

_Static_assert(offsetof(tp_field, level) == offsetof(tp_field, layer) + 2 &&
		       offsetof(tp_field, src) == offsetof(tp_field, layer) + 3 &&
		       sizeof(struct tp_fmeta) == 4,
	       "tp_field's layer, level and src make one word (fmeta)");

/* Set p->fmeta from nlayers, level and src_cur: after changing any of
 * them (tp_layer_begin and the stream layer do; tp_push and tp_pop set
 * the level alone). */
static inline void tp_meta_sync(tp_pkt *p)
{
	struct tp_fmeta m = {(uint16_t)(p->nlayers ? p->nlayers - 1 : 0),
			     (uint8_t)(p->level > 255 ? 255 : p->level),
			     p->src_cur};
	uint32_t w; /* one word store (see tp_meta_level) */
	memcpy(&w, &m, sizeof w);
	memcpy(&p->fmeta, &w, sizeof w);
}

static inline tp_field *tp_field_append(tp_pkt *p, const tp_field_def *f,
					size_t off, size_t len)
{
	/* the record's counters read once, before any store (a store
	 * through x may alias them: the compiler would reload them), and
	 * layer, level and source as one word: appending was a sixth of
	 * the one-line run's instructions */
	unsigned nf = p->nfields, nl = p->nlayers;
	struct tp_fmeta meta = p->fmeta;
	if (nf >= TP_MAX_FIELDS || !nl) {
		tp_pkt_note_full(p);
		return NULL;
	}
	tp_field *x = &p->fields[nf];
	p->nfields = nf + 1;
	p->layers[nl - 1].nfields++;
	x->def = f;
	x->off = (uint32_t)off;
	x->len = (uint32_t)len;
	x->vlen = 0;
	memcpy(&x->layer, &meta, sizeof meta);
	return x;
}

static inline tp_field *tp_add_uint(tp_pkt *p, const tp_field_def *f,
				    size_t off, size_t len, uint64_t v)
{
	tp_field *x = tp_field_append(p, f, off, len);
	if (x)
		x->v.u = v;
	return x;
}

/* A flag tree's bits in one go: the n fields defs[0..n), each 1 when
 * `value` has a bit of its mask set, else 0 (tcp.flags.syn ...): one
 * bounds check and the shared parts written once, not n appends. */
static inline void tp_add_bits(tp_pkt *p, const tp_field_def *defs,
			       unsigned n, size_t off, size_t len,
			       uint64_t value)
{
	if (!p->nlayers || p->nfields + n > TP_MAX_FIELDS) {
		for (unsigned i = 0; i < n; i++) /* up to the cap, said */
			tp_add_uint(p, &defs[i], off, len,
				    (value & defs[i].mask) != 0);
		return;
	}
	tp_field *x = &p->fields[p->nfields];
	struct tp_fmeta meta = p->fmeta;
	/* member by member: a struct built on the stack and copied stalled
	 * on store forwarding at every field (12% of the one-line run) */
	for (unsigned i = 0; i < n; i++) {
		x[i].def = &defs[i];
		x[i].off = (uint32_t)off;
		x[i].len = (uint32_t)len;
		x[i].vlen = 0;
		memcpy(&x[i].layer, &meta, sizeof meta);
		x[i].v.u = (value & defs[i].mask) != 0;
	}
	p->nfields += n;
	p->layers[p->nlayers - 1].nfields += (uint16_t)n;
}

tp_field *tp_add_bytes(tp_pkt *p, const tp_field_def *f, size_t off,
		       size_t len, const uint8_t *bytes, size_t blen);
void tp_add_event(tp_pkt *p, const tp_event_def *e, size_t off);
/* An event on layer `layer` (not the innermost one). */
void tp_add_event_at(tp_pkt *p, const tp_event_def *e, unsigned layer,
		     size_t off);

/* A new layer of dissector d whose header starts at `off` in the current
 * data source; NULL (and the "record full" event) at TP_MAX_PKT_LAYERS.
 * The dispatch loop calls it, dissectors never.  Inline: every layer of
 * every packet. */
tp_layer *tp_layers_full(tp_pkt *p, size_t off);
uint8_t tp_defrag_source(tp_pkt *p);

static inline tp_layer *tp_layer_begin(tp_pkt *p,
				       const struct tp_dissector *d,
				       size_t off)
{
	if (p->nlayers >= TP_MAX_PKT_LAYERS)
		return tp_layers_full(p, off);
	if (p->reasm_active)
		p->src_cur = tp_defrag_source(p);
	tp_layer *l = &p->layers[p->nlayers++];
	memset(l, 0, sizeof *l);
	l->d = d;
	l->off = (uint32_t)off;
	l->first_field = p->nfields;
	l->embedded = p->in_error != 0;
	l->reassembled = p->reasm_active;
	l->src = p->src_cur;
	p->level = 0;
	tp_meta_sync(p);
	return l;
}

/* Data sources.  tp_src_add registers `n` bytes under `name` (a string
 * that lives as long as the program) and returns its index, or -1 (and
 * the "record full" event) when the table is full.  tp_src_copy copies
 * the bytes into the record first (TP_SRC_STORE in all per packet).
 * tp_src_bytes gives a source's bytes and length (NULL for a bad index). */
int tp_src_add(tp_pkt *p, const char *name, uint8_t kind,
	       const uint8_t *bytes, size_t n);
int tp_src_copy(tp_pkt *p, const char *name, uint8_t kind,
		const uint8_t *bytes, size_t n);
const uint8_t *tp_src_bytes(const tp_pkt *p, unsigned src, size_t *n);
/* The source whose bytes hold [b, b+n), or -1. */
int tp_src_find(const tp_pkt *p, const uint8_t *b, size_t n);

/* Read-and-add in one step through the cursor (Wireshark's ptvcursor):
 * the field is added only when the read succeeded. */
/* Inline: a dozen a packet, and the reads fold into the caller. */
#define TP_GET_(name, type, read, n)                                         \
	static inline type name(tp_pkt *p, tp_cursor *c, const tp_field_def *f) \
	{                                                                    \
		size_t at = c->off;                                          \
		type v = read(c);                                            \
		if (tp_ok(c))                                                \
			tp_add_uint(p, f, at, n, v);                         \
		return v;                                                    \
	}
TP_GET_(tp_get_u8, uint8_t, tp_u8, 1)
TP_GET_(tp_get_be16, uint16_t, tp_be16, 2)
TP_GET_(tp_get_be24, uint32_t, tp_be24, 3)
TP_GET_(tp_get_be32, uint32_t, tp_be32, 4)
#undef TP_GET_
const uint8_t *tp_get_bytes(tp_pkt *p, tp_cursor *c, const tp_field_def *f,
			    size_t n);
/* A hidden second field over the same bytes (eth.addr after eth.src,
 * ip.addr after ip.src...), in a run that is not lean; nothing when `b`
 * is NULL (the read failed). */
static inline void tp_add_alias(tp_pkt *p, const tp_field_def *f, size_t off,
				const uint8_t *b, size_t n)
{
	if (!p->lean && b)
		tp_add_bytes(p, f, off, n, b, n);
}

/* Tree nesting for the fields that follow (tcp.flags -> tcp.flags.syn). */
/* The level into the meta as a whole word: a byte store followed by
 * the word's load in the next append could not be forwarded (a stall
 * after every push and pop). */
static inline void tp_meta_level(tp_pkt *p)
{
	struct tp_fmeta m = p->fmeta;
	m.level = (uint8_t)(p->level > 255 ? 255 : p->level);
	uint32_t w;
	memcpy(&w, &m, sizeof w);
	memcpy(&p->fmeta, &w, sizeof w);
}
static inline void tp_push(tp_pkt *p)
{
	p->level++;
	tp_meta_level(p);
}
static inline void tp_pop(tp_pkt *p)
{
	if (p->level)
		p->level--;
	tp_meta_level(p);
}

/* Copy bytes into the per-packet arena; NULL when it is full. */
uint8_t *tp_arena_alloc(tp_pkt *p, size_t n);

/* Reading (outputs). */
const tp_field *tp_layer_find(const tp_pkt *p, unsigned layer,
			      const tp_field_def *f);
/* The same, looking first at the layer's field number `at`, where the
 * dissector puts it in a plain header (a summarizer's hint: any other
 * place is still found, only slower). */
static inline const tp_field *tp_layer_find_at(const tp_pkt *p,
					       unsigned layer, unsigned at,
					       const tp_field_def *f)
{
	if (layer < p->nlayers && at < p->layers[layer].nfields) {
		const tp_field *x = &p->fields[p->layers[layer].first_field + at];
		if (x->def == f)
			return x;
	}
	return tp_layer_find(p, layer, f);
}
/* A field's integer value by its definition (lower layers export theirs
 * in tapir/layerfields.h); false when the layer has no such field. */
bool tp_layer_u64(const tp_pkt *p, unsigned layer, const tp_field_def *f,
		  uint64_t *out);
const tp_field *tp_layer_find_abbrev(const tp_pkt *p, unsigned layer,
				     const char *abbrev);
bool tp_layer_uint(const tp_pkt *p, unsigned layer, const char *abbrev,
		   uint64_t *out);
int tp_find_layer(const tp_pkt *p, const char *name, unsigned from);
bool tp_pkt_has_event(const tp_pkt *p, tp_ev_kind kind);

/* Generic events every layer can raise. */
extern const tp_event_def tp_ev_truncated;
extern const tp_event_def tp_ev_malformed;
extern const tp_event_def tp_ev_record_full;
extern const tp_event_def tp_ev_too_many_layers;
extern const tp_event_def tp_ev_caplen_gt_len;
extern const tp_event_def tp_ev_layers_full;
extern const tp_event_def tp_ev_sources_full;

#endif
