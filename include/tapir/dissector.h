/* dissector.h - what a dissector is: a descriptor, as data.
 *
 * A dissector reads its header through the cursor, appends fields to the
 * packet record, narrows the cursor to its payload and returns the key of
 * the next layer.  It never calls another dissector: the dispatch loop in
 * pipeline.c looks the key up in the registry, so the depth cap, decode-as
 * and the per-key fuzz targets live in one place.
 *
 * Adding a dissector (what a new protocol really touches):
 *  1. dissectors/<name>.c: the field and event tables (static data,
 *     Wireshark's abbreviations), dissect(), optionally summarize() (the
 *     one-line text, tcpdump's), and one tp_dissector naming its keys.
 *     An application protocol also fills in, as it needs (see below and
 *     src/flow/stream.c): keys {TP_TAB_TCP_PORT, n} / {TP_TAB_UDP_PORT, n},
 *     probe, state_new/state_free, and for a byte stream over TCP
 *     pdu_len (+ gap, pdu_max).  Its dissect() reads one datagram or one
 *     whole PDU through the cursor; per-flow state is tp_app_state(p).
 *     Read a lower layer through the record's typed API, not by a field
 *     name: tp_nearest_addr() / tp_fragmented() for the network layer,
 *     tp_app_state(p) and p->flow for the conversation; another layer's
 *     field through the tp_field_def its owner exports in
 *     tapir/layerfields.h, with tp_layer_find() / tp_layer_u64(), and a
 *     layer by its dissector (p->layers[i].d == &tp_diss_ip).  Export
 *     there what your upper layers must read of yours.  A big
 *     dissector may be several files sharing a private header (as
 *     tcp.c, tcp_analysis.c, tcp_print.c share dissectors/tcp_int.h).
 *  2. dissectors/local.mk: the file(s); src/core/registry.c: the extern
 *     and the entry in all[] (its place there is its probe's order).
 *  3. tests/unit/test_<name>.c (+ tests/local.mk): real bytes, every
 *     truncation, hostile lengths; a stream dissector through the real
 *     pipeline as tests/unit/test_stream.c drives the toy protocol.
 *  4. tests/fuzz/gen-local-mk.sh with the new name (regenerates
 *     tests/fuzz/local.mk; check-harnesses.sh compares it with -G
 *     protocols), seeds in tests/fuzz/corpus/fuzz_<name>/.
 *  5. Golden tests (tests/golden/TESTLIST) on a capture in pcaps/, checked
 *     against tcpdump (the line) and tshark (fields, tree).
 * Nothing else: not tcp.c, udp.c, the flow table or the outputs.
 */
#ifndef TAPIR_DISSECTOR_H
#define TAPIR_DISSECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tapir/cursor.h"
#include "tapir/field.h"
#include "tapir/record.h"

/* Key tables a dissector can hand off to. */
typedef enum tp_table {
	TP_TAB_NONE = 0,  /* nothing follows (the rest, if any, is data) */
	TP_TAB_LINKTYPE,  /* pcap LINKTYPE_* */
	TP_TAB_ETHERTYPE,
	TP_TAB_IPPROTO,
	TP_TAB_UDP_PORT,
	TP_TAB_TCP_PORT,
	TP_TAB_NAME,      /* a dissector by name (key = index in registry) */
	/* Not a handoff: the TCP ports on which tcpdump's printer reads every
	 * segment's payload on its own (its tcp_print port chain): TCP's
	 * line calls the dissector's seg_summarize. */
	TP_TAB_TCP_TEXT,
	TP_TAB_COUNT_
} tp_table;

/* One 64-bit word (bit-fields), returned in one register: as three
 * members the struct was built in memory with stores of different sizes
 * and read back as two words, a store-forwarding stall at the return of
 * every dissector. */
typedef struct tp_next {
	uint64_t table : 8;
	uint64_t key : 32;
	uint64_t key2 : 24; /* ports: the other port, tried second */
} tp_next;
_Static_assert(sizeof(tp_next) == 8, "tp_next is one word");

#define TP_STOP ((tp_next){TP_TAB_NONE, 0, 0})
/* The payload went to the stream layer (a flow pinned to a stream
 * dissector): no "data" layer for it. */
#define TP_KEY_CONSUMED 1
#define TP_CONSUMED ((tp_next){TP_TAB_NONE, TP_KEY_CONSUMED, 0})

static inline tp_next tp_next_key(tp_table t, uint32_t key)
{
	tp_next n = {(uint8_t)t, key, key & 0xffffff};
	return n;
}

typedef struct tp_key {
	uint8_t table;
	uint32_t key;
} tp_key;

/* Output side of the one-line summary (see output.h). */
struct tp_sbuf;
struct tp_outopts;

/* What a probe (heuristic) says about the first bytes of a direction
 * (TCP) or of a datagram (UDP). */
typedef enum tp_probe {
	TP_PROBE_NO = 0, /* not this protocol */
	TP_PROBE_YES,    /* this protocol: pin the flow to it */
	TP_PROBE_MORE,   /* cannot tell from these bytes: ask again with the
			  * next segment or datagram */
} tp_probe;

/* pdu_len's answer when the bytes are not this protocol after all: the
 * rest of the direction is passed over. */
#define TP_PDU_NOT_MINE SIZE_MAX

/* What a summarizer tells the line printer. */
typedef enum tp_sum {
	TP_SUM_NEXT = 0, /* go on with the next layer */
	TP_SUM_STOP,     /* this layer summarised the rest of the packet */
} tp_sum;

typedef struct tp_dissector {
	const char *name;     /* "ip": protocol abbreviation, -d, frame.protocols */
	const char *longname; /* "Internet Protocol Version 4" */
	const tp_field_def *fields;
	size_t nfields;
	const tp_event_def *events;
	size_t nevents;
	const tp_key *keys; /* handoffs that select this dissector; {0,0} ends */
	bool link;          /* a link-level header (what -x leaves out) */
	tp_next (*dissect)(tp_pkt *p, tp_cursor *c);
	/* Optional: the one-line text of this layer.  Called by the text
	 * output only, for packets that are printed: dissect() never
	 * formats.  `layer` indexes p->layers. */
	tp_sum (*summarize)(const tp_pkt *p, unsigned layer, struct tp_sbuf *out,
			    const struct tp_outopts *o);
	/* Optional, with keys in TP_TAB_TCP_TEXT: tcpdump's text for one
	 * TCP segment's payload (after "length N"), read from the segment
	 * alone as tcpdump does, whatever PDU it carries, completes or cuts:
	 * `payload` holds the captured payload bytes, `length` the bytes on
	 * the wire; `layer` is TCP's.  A stream layer's PDUs after TCP then
	 * add to the line with their own summarize (a pairing note). */
	void (*seg_summarize)(const tp_pkt *p, unsigned layer,
			      tp_cursor payload, uint32_t length,
			      struct tp_sbuf *out, const struct tp_outopts *o);

	/* ---- application layer: stream and datagram dissectors ----------
	 * A dissector keyed on TCP or UDP ports (`keys`), or found by its
	 * probe, is pinned to the flow (see src/flow/stream.c): decode-as first
	 * (-d tcp.port==N,NAME on either port), then the ports (the lower
	 * first), then the probes in registry order.  Once pinned it stays.
	 *  - Datagram (UDP): dissect() runs on every datagram of the flow;
	 *    p->app_state is its state for the datagram's direction.
	 *  - Stream (TCP; pdu_len set): the flow is reassembled; the
	 *    in-order bytes of each direction are cut into PDUs by pdu_len
	 *    (tp_pdubuf's consumed/needed contract) and dissect() runs once
	 *    per whole PDU, its cursor covering exactly the PDU, in the
	 *    record of the packet whose segment completed it (after TCP;
	 *    several PDUs, several layers).  A PDU inside that segment reads
	 *    the frame; one that spanned segments reads a copy ("Reassembled
	 *    TCP" data source) and TCP lists its frames (tcp.segment).
	 *    The same dissector may be both (DNS): p->app_proto says which.
	 * All optional.  None of these may keep pointers to packet bytes.
	 * dissect() must still take any bytes with no state (app_state NULL,
	 * app_proto 0): its per-dissector fuzz harness calls it so, and
	 * so does a datagram without a session. */

	/* Cheap heuristic on the first bytes (n >= 1) of a TCP direction or
	 * a UDP datagram; proto is 6 or 17. */
	tp_probe (*probe)(const uint8_t *b, size_t n, uint8_t proto);
	/* Per-flow, per-direction state (dir 0 client->server), made when
	 * the flow is pinned, freed when it ends, is evicted or starts
	 * again (a new SYN), and at the end of the capture. */
	void *(*state_new)(uint8_t proto, int dir);
	void (*state_free)(void *st);
	/* The bytes a state holds (its allocation, and what it allocates
	 * later at most): counted against the reassembly memory cap with
	 * the stream buffers; past the cap a flow gets no state (NULL, and
	 * the dissector works without) and the run says so on stderr. */
	size_t state_size;
	/* Optional: link a flow's two states (HTTP: a response's framing
	 * depends on its request's method).  When set, both directions'
	 * states are made together, the first time either is asked for,
	 * and state_pair(st0, st1) is called once if both were made.  The
	 * states are freed separately (state_free must not follow the
	 * link). */
	void (*state_pair)(void *st0, void *st1);
	/* Stream only: the length of the PDU starting at b[0..n) (n >= 1):
	 * >= 1 (may be more than n: that many bytes are needed in all), 0
	 * for "more bytes, length not known yet", or TP_PDU_NOT_MINE.  It
	 * may be asked again about the same PDU with more bytes. */
	size_t (*pdu_len)(void *st, const uint8_t *b, size_t n);
	/* Stream only, optional: `n` bytes of the direction are lost (a
	 * capture gap, or given up at a cap); the PDU in progress is gone
	 * and the next byte starts afresh: resynchronise. */
	void (*gap)(void *st, uint64_t n);
	size_t pdu_max; /* longest PDU buffered; 0 = TP_PDU_MAX */
	/* Stream only, optional: in a lean run (p->lean: the one-line text
	 * only), does the PDU pdu_len just cut show anything on the line?
	 * false: it gets no layer and no dissect() (pdu_len moved the state
	 * already): an HTTP body part, whose text TCP's line prints. */
	bool (*pdu_shown)(const void *st);
	/* Stream only, optional: in any run, does the PDU pdu_len just cut
	 * show nothing at all (the first pieces of a TLS record that is
	 * never gathered: tshark shows the record in the frame that ends
	 * it)?  true: no layer, no dissect(). */
	bool (*pdu_hidden)(const void *st);

	/* ---- columns and session state: any dissector, all optional ----
	 * colname: tshark's Protocol column for a packet whose topmost
	 * layer with a colname is this one ("DNS", "DHCP").
	 * info: tshark's Info column for this layer ("Standard query 0x1a2b
	 * A example.com"); the packet's Info (_ws.col.Info) is that of its
	 * topmost layer that has one, made only when an output asks.  Pure:
	 * reads the record, never the dissector's state.
	 * session_new/session_free: one state per dissector for the whole
	 * run, shared by all its flows (pairing a DHCP reply with its
	 * request across flows, a DNS response with its query, a dissector's
	 * --stats counters); made the first time tp_app_session() asks,
	 * freed with the session.  Like app_state, NULL without a session:
	 * dissect() must work without it. */
	const char *colname;
	void (*info)(const tp_pkt *p, unsigned layer, struct tp_sbuf *out);
	void *(*session_new)(void);
	void (*session_free)(void *st);
	/* --stats NAME (src/taps/stats.c): the dissector's report at the
	 * end of the run, from its session state (NULL when it never made
	 * one: nothing of it was seen). */
	void (*stats_print)(void *session_state, FILE *fp);
	/* Optional: a Protocol column that depends on the packet (tshark's
	 * "BOOTP" for a BOOTP message, "DHCP" for a DHCP one); NULL from it
	 * falls back to colname.  Pure, as info. */
	const char *(*colname_of)(const tp_pkt *p, unsigned layer);
} tp_dissector;

/* The dissector's state for the whole run (session_new), or NULL (no
 * session, no session_new, no memory, or TP_APP_SESSION_MAX dissectors
 * already hold one).  src/flow/stream.c. */
void *tp_app_session(const tp_pkt *p, const tp_dissector *d);

/* Stream only, from pdu_len: the rest of the flow, both directions,
 * belongs to `next` (another stream dissector, found by name: an HTTP
 * Upgrade to "websocket" or "http2").  The stream layer switches at the
 * end of the PDU being cut (dissected still by the caller): this
 * direction's bytes after it and the other direction's from its next
 * PDU start are cut by next's pdu_len; the caller's states are freed,
 * next's made when first needed.  false (nothing done) outside a
 * pdu_len call of the stream layer (a replay, a harness without flows)
 * or when next is NULL or no stream dissector: the caller then keeps
 * the bytes (a tunnel passed over).  src/flow/stream.c. */
bool tp_app_handoff(const tp_dissector *next);
/* The same, handing `next` what the old protocol knew of the request
 * that switched the flow (HTTP's Upgrade request: HTTP/2 answers it on
 * stream 1); `next` reads it with tp_app_upgrade_req. */
typedef struct tp_upgrade_req {
	uint64_t frame; /* the request's frame (0: not known) */
	int64_t ts;     /* its time, ns since the epoch */
	uint8_t dir;    /* the direction that sent it (the stream layer's) */
	char host[256]; /* "" when not known */
	char uri[1024];
	/* what the request carried for next, in next's own form (HTTP/2:
	 * the HTTP2-Settings header decoded, a SETTINGS payload) */
	uint8_t extra[96];
	uint8_t extra_len;
} tp_upgrade_req;
bool tp_app_handoff_req(const tp_dissector *next, const tp_upgrade_req *rq);
/* The request that switched the flow of the packet being dissected to
 * this dissector (tp_app_handoff_req), or NULL. */
const tp_upgrade_req *tp_app_upgrade_req(const tp_pkt *p);
/* Stream only, from pdu_len, on bytes that are not the dissector's (an
 * HTTP/2 preface on port 80): the other stream dissectors' probes, in
 * registry order, are asked about b[0..n); when one says yes the flow is
 * handed to it (tp_app_handoff) and true is returned: pdu_len then
 * returns TP_PDU_NOT_MINE and the stream layer switches before these
 * bytes, which the new dissector cuts.  false: nothing done. */
bool tp_app_reprobe(const uint8_t *b, size_t n);
/* Stream only, from pdu_len: in a lean run (the one-line text only),
 * nothing of the rest of this flow will show (TLS once both sides are
 * encrypted: its text is tcpdump's alone); after the PDU being cut the
 * flow is released: its states and buffers freed, its bytes no longer
 * reassembled nor dissected (TCP's line is unchanged).  false, nothing
 * done, in any other run, which dissects on.  src/flow/stream.c. */
bool tp_app_lean_done(void);

/* The dissector's state for the PDU or datagram being dissected. */
static inline void *tp_app_state(const tp_pkt *p) { return p->app_state; }

extern const tp_dissector tp_diss_frame; /* pseudo-layer: frame.* fields */
extern const tp_dissector tp_diss_data;  /* undissected bytes */

#define TP_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
