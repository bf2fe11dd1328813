/* flow.h - the flow table and the per-run dissection session.
 *
 * One table holds every TCP and UDP conversation.  Its key does not
 * depend on direction (the lower address/port pair is stored first,
 * Suricata's FlowHashKey4), and carries the VLAN ids so that the same
 * addresses on two VLANs are two flows.  The hash is SipHash-2-4 with a
 * random key drawn at start-up: crafted addresses cannot pile flows into
 * one bucket.  The table grows by doubling.
 *
 * Stream numbers (tcp.stream, udp.stream) count from 0 in order of first
 * appearance, one counter per protocol, as tshark numbers them; a TCP SYN
 * that starts a new connection on the ports of an old one (a different
 * initial sequence number) gets a new number (tp_flow_renew).
 *
 * Bounds: a flow idle for `idle_timeout` seconds of capture time gives
 * back its reassembly buffers (its record stays, so its stream number stays
 * the same when it comes back, as in tshark); at `max_flows` records the
 * least recently seen flow is evicted (the only case where a returning
 * conversation gets a new number, and the run's totals say so).
 */
#ifndef TAPIR_FLOW_H
#define TAPIR_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tapir/reasm.h"

#define TP_FLOW_MAX (1u << 16)     /* flow records (~550 bytes a TCP flow) */
#define TP_FLOW_IDLE_TIMEOUT 600   /* seconds without a packet */

struct tp_pkt;
struct tp_fragtab;
struct tp_tcpstate;
struct tp_dissector;
struct tp_streamdir;

/* The application layer of a flow (src/flow/stream.c): the dissector it is
 * pinned to, that dissector's state per direction (0 client->server) and,
 * for a stream dissector, the PDU buffer of each direction. */
typedef struct tp_flowapp {
	const struct tp_dissector *d; /* NULL: none (yet) */
	uint8_t pinned;  /* decided (d, or no dissector at all) */
	uint8_t tries;   /* probes asked so far */
	uint8_t made;    /* bit per direction: st[dir] was made */
	/* d took the flow over after a PDU of another protocol
	 * (tp_app_handoff: an HTTP Upgrade), not from its first byte: what
	 * was agreed before (HTTP2-Settings) is not in d's bytes */
	uint8_t upgraded;
	/* tp_app_lean_done: in this (lean) run nothing more of the flow
	 * shows; its bytes are no longer reassembled nor dissected */
	uint8_t released;
	uint32_t idx;    /* d's registry index (TP_TAB_NAME key) */
	void *st[2];
	struct tp_streamdir *sd[2];
	/* tp_app_handoff_req's: the request that switched the flow (charged
	 * to the reassembly memory; freed with the states) */
	struct tp_upgrade_req *upreq;
} tp_flowapp;

typedef struct tp_flowkey {
	uint8_t family;    /* 4 or 6 */
	uint8_t proto;     /* 6 TCP, 17 UDP */
	uint16_t port[2];
	uint16_t vlan[2];  /* outer and inner 802.1Q id, 0 = none */
	uint8_t addr[2][16];
} tp_flowkey;

typedef struct tp_flow {
	/* The first cache line (flows are 64-byte aligned) is what a
	 * lookup reads; the second what every packet writes. */
	uint64_t hash;         /* private to flow.c */
	struct tp_flow *hnext; /* private to flow.c */
	tp_flowkey key;        /* canonical: side 0 <= side 1 */
	uint8_t client;        /* key side of the client (sent the first SYN
				* or, without a SYN, the first packet) */
	uint8_t first_side;    /* key side of the first packet's sender
				* (tshark's follow "Node 0") */
	uint8_t tcp_inline;    /* private: tcp lives in this allocation */
	uint8_t slab_cls;      /* private: the size class of its memory */
	uint64_t use, lru_use; /* private: last use, and the use it was
				* listed at (the LRU list) */
	int64_t last_sec;
	uint32_t last_nsec;
	uint32_t stream;       /* tcp.stream / udp.stream */
	uint64_t pkts[2];      /* by direction: 0 client->server */
	struct tp_tcpstate *tcp;   /* TCP analysis + reassembly, or NULL */
	uint64_t bytes[2];
	int64_t first_sec;
	uint32_t first_nsec;
	uint64_t first_frame;
	uint64_t payload[2];   /* UDP payload bytes (stream offsets) */
	tp_flowapp app;        /* application dissector (stream.c) */
	struct tp_flow *lprev, *lnext; /* private to flow.c */
} tp_flow;

/* One TCP segment of a wanted flow, as on the wire, for a tap that
 * needs segment boundaries (follow cuts its chunks where tshark's follow
 * does).  seq and ack are raw; `base` is each direction's stream offset
 * 0 in the reassembler (tp_reasm.base), when set.  Indexed by `dir`
 * (0 client->server) like everything else. */
typedef struct tp_tcpseg {
	uint32_t seq, ack;
	uint32_t seglen;  /* payload length the IP header gives */
	uint32_t caplen;  /* payload bytes in the capture (<= seglen) */
	uint16_t flags;   /* TCP flags: 0x02 SYN, 0x10 ACK */
	bool base_set[2];
	uint32_t base[2];
} tp_tcpseg;

/* Consumers of reassembled streams (follow, export).  Called for every
 * flow direction; `dir` 0 is client->server. */
typedef struct tp_stream_tap {
	/* Return false to ignore this flow (no reassembly kept for it). */
	bool (*want)(void *ctx, const tp_flow *f);
	void (*data)(void *ctx, const tp_flow *f, int dir, uint64_t off,
		     const uint8_t *b, size_t n, const struct tp_pkt *p);
	void (*gap)(void *ctx, const tp_flow *f, int dir, uint64_t off,
		    uint64_t n);
	void (*end)(void *ctx, const tp_flow *f);
	void *ctx;
	/* Optional: every TCP segment of a wanted flow, after its bytes
	 * went to the reassembler (and so after the data and gap calls
	 * they caused). */
	void (*segment)(void *ctx, const tp_flow *f, int dir,
			const tp_tcpseg *g);
} tp_stream_tap;

/* A whole application object, decoded (an HTTP body): what
 * --export-objects writes.  Everything lives for the call only. */
typedef struct tp_object {
	const char *proto;    /* "http" */
	uint64_t frame;       /* the frame that ended it (0: the flow's end) */
	uint32_t stream;      /* tcp.stream */
	uint32_t h2_stream;   /* HTTP/2: the stream id (0: HTTP/1.x) */
	const char *host, *uri, *ctype; /* "" when unknown */
	const uint8_t *b;
	size_t n;
	uint64_t missing;     /* bytes the capture lacked */
	bool zero_filled;     /* ... as zeros in b (else b is cut there) */
	bool missing_unknown; /* `missing` is a lower bound */
	const char *status;   /* NULL: decoded whole; else why not */
	/* b is malloc'd and `cap` bytes long: the tap may keep it (and free
	 * it later) by setting `taken` */
	size_t cap;
	bool taken;
} tp_object;

typedef struct tp_object_tap {
	void (*object)(void *ctx, tp_object *o);
	void *ctx;
} tp_object_tap;

typedef struct tp_flowcfg {
	unsigned max_flows;      /* 0 = TP_FLOW_MAX */
	unsigned idle_timeout;   /* 0 = TP_FLOW_IDLE_TIMEOUT */
	size_t reasm_dir_cap;    /* 0 = TP_REASM_DIR_CAP */
	size_t reasm_mem_cap;    /* 0 = TP_REASM_MEM_CAP */
	bool no_defrag;          /* leave IP fragments alone */
	bool no_reassembly;      /* track flows, reassemble nothing */
	/* gather and decode application bodies (HTTP): only when an output
	 * shows them (-V, -x/-X/-A, -T fields, --export-objects); the
	 * one-line run never does */
	bool bodies;
	/* parse the X.509 contents of TLS certificates (libcrypto): only
	 * when an output shows them (-V, -T fields, --tls); a --stats run
	 * never loads the library's decoders */
	bool certs;
	/* keep each TCP flow's unacknowledged segments (up to
	 * TP_UNACKED_MEM_CAP for the run): tcp.analysis.acks_frame, ack_rtt
	 * and bytes_in_flight, and the tcp.analysis tree they open.  Only
	 * when an output can show them (-V, -T json/ek, a -T fields or -Y
	 * naming a tcp.analysis field): --stats never builds them */
	bool unacked;
} tp_flowcfg;

/* Everything that lives across packets. */
#define TP_APP_SESSION_MAX 16 /* dissectors with a state for the run */

typedef struct tp_session {
	struct tp_flowtab *flows;
	struct tp_fragtab *frags; /* NULL with no_defrag */
	tp_reasm_mem mem;
	tp_reasm_mem ual_mem; /* the TCP unacked-segment lists (tcpstate.h) */
	tp_flowcfg cfg;
	const tp_stream_tap *taps[4]; /* follow, export-streams */
	unsigned ntaps;
	/* --export-objects: whole decoded objects (NULL: none wanted) */
	const tp_object_tap *objtap;
	/* --tls: conversation reports (report.h; NULL: none wanted) */
	const struct tp_report_tap *reptap;
	uint64_t evicted, expired;
	/* stream.c: application states and stream buffers not made because
	 * the reassembly memory cap was reached (they count against it) */
	uint64_t app_refused;
	uint32_t next_stream[2]; /* [0] TCP, [1] UDP */
	/* stream.c: the record PDUs completed outside a packet of their
	 * flow are dissected into (and thrown away): a flush at expiry,
	 * eviction or the end of the capture keeps the dissector's state */
	struct tp_pkt *app_scratch;
	/* stream.c: the dissectors' states for the whole run
	 * (tp_app_session) */
	struct {
		const struct tp_dissector *d;
		void *st;
	} app_global[TP_APP_SESSION_MAX];
	unsigned napp_global;
	/* flow.c: a lookup started early (tp_flow_prefetch), and what it
	 * was asked (the same packet, the same address bytes) */
	tp_flowkey pf_key;
	uint64_t pf_hash;
	bool pf_set;
	int pf_side;
	const struct tp_pkt *pf_p;
	uint64_t pf_number;
	const uint8_t *pf_src, *pf_dst;
	uint16_t pf_sport, pf_dport;
	uint8_t pf_family, pf_proto;
} tp_session;

tp_session *tp_session_new(const tp_flowcfg *cfg);
/* Flush every flow (end of capture: gaps and held bytes to the tap, then
 * its end callback) and free everything. */
void tp_session_free(tp_session *s);
void tp_session_finish(tp_session *s);

/* Find or create the flow of a packet.  `src`/`dst` are as on the wire;
 * *dir is set to 0 when the packet goes client->server.  `syn` says the
 * packet is a SYN without ACK (it makes its sender the client of a new
 * flow).  Returns NULL only when the flow cannot be made (no memory). */
tp_flow *tp_flow_get(tp_session *s, const struct tp_pkt *p, uint8_t family,
		     uint8_t proto, const uint8_t *src, const uint8_t *dst,
		     uint16_t sport, uint16_t dport, bool syn, int *dir);

/* Start the lookup tp_flow_get will make for these arguments (its
 * hash; the bucket fetched into the cache), then, a little later, fetch
 * the flow it will find (tp_flow_prefetch_flow): the misses overlap the
 * dissection in between.  Only hints: tp_flow_get is right without
 * them, and with them for other arguments. */
void tp_flow_prefetch(tp_session *s, const struct tp_pkt *p, uint8_t family,
		      uint8_t proto, const uint8_t *src, const uint8_t *dst,
		      uint16_t sport, uint16_t dport);
void tp_flow_prefetch_flow(tp_session *s);

/* A new connection on an old flow's key: flush and reset it, with a new
 * stream number and the sender of this packet as the client. */
void tp_flow_renew(tp_session *s, tp_flow *f, const struct tp_pkt *p,
		   int *dir);

/* Hand stream bytes and gaps to the taps (UDP payloads come this way
 * too, with `off` counting the bytes of that direction). */
void tp_flow_deliver(tp_session *s, const tp_flow *f, int dir, uint64_t off,
		     const uint8_t *b, size_t n, const struct tp_pkt *p);
void tp_flow_gap(tp_session *s, const tp_flow *f, int dir, uint64_t off,
		 uint64_t n);
/* Hand a TCP segment's numbers to the taps that take them. */
void tp_flow_segment(tp_session *s, const tp_flow *f, int dir,
		     const tp_tcpseg *g);
/* Does any tap want this flow's bytes? */
bool tp_flow_wanted(tp_session *s, const tp_flow *f);
/* A reassembler sink that feeds the taps that want the flow and its
 * stream dissector; ctxbuf must hold TP_FLOW_SINKCTX bytes and live as
 * long as the sink is used.  `p` is the packet being dissected, whose
 * record takes the PDUs the bytes complete (NULL: none). */
#define TP_FLOW_SINKCTX 32
void tp_flow_sink(tp_session *s, tp_flow *f, int dir, struct tp_pkt *p,
		  void *ctxbuf, tp_reasm_sink *out);
/* After a TCP packet: keep the holding list (flows whose reassemblers
 * hold bytes, for idle expiry) up to date. */
void tp_flow_holding(tp_session *s, tp_flow *f);
/* TCP: the connection is over (both FINs, or an RST) and nothing is held
 * back: the bytes a FIN proves missing (a lost last segment) go to the
 * stream dissector as a gap, in packet p's record, then its state goes
 * (tp_app_close); the flow stays in the table. */
void tp_flow_stream_done(tp_session *s, tp_flow *f, struct tp_pkt *p);

uint64_t tp_siphash24(uint64_t k0, uint64_t k1, const void *data, size_t n);
uint64_t tp_siphash13(uint64_t k0, uint64_t k1, const void *data, size_t n);

/* Visit every flow (stats), in no particular order. */
void tp_flow_foreach(tp_session *s, void (*fn)(void *ctx, const tp_flow *f),
		     void *ctx);

size_t tp_flow_count(const tp_session *s);

#endif
