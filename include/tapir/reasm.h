/* reasm.h - TCP stream reassembly: the contract.
 *
 * One tp_reasm per direction of a TCP connection turns segments, in
 * whatever order the capture holds them, into the byte stream the sender
 * wrote, numbered from 0 (the first byte after the SYN, or the first byte
 * seen when the handshake is missing).  It promises:
 *
 *  1. In-order delivery.  sink->data(off, bytes, n) is called with
 *     strictly increasing, contiguous offsets: each call starts where the
 *     previous data or gap call ended.  A byte is delivered at most once.
 *  2. Explicit gaps.  Bytes that will never come (lost before the capture
 *     point, or given up because a cap was hit) are announced by
 *     sink->gap(off, n) before the bytes after them; data is never joined
 *     across a gap silently.
 *  3. First data wins.  When a segment overlaps bytes already delivered or
 *     held, the earlier bytes are kept; if the overlapping bytes differ,
 *     the result has TP_RA_OVERLAP_DIFF set (the caller raises an event).
 *  4. Bounded memory, in bytes.  Only out-of-order bytes are held
 *     (delivered bytes are not kept), coalesced into ranges however small
 *     the segments.  A direction holds at most cfg->dir_cap bytes (and
 *     four times that in memory, headers included) and all directions
 *     together at most mem->cap of memory; when a segment would pass
 *     either cap, tp_reasm gives up on the hole in front of the held data:
 *     it announces it as a gap and delivers what it held, then takes the
 *     new segment if it fits, or drops it (TP_RA_DROPPED; it becomes part of
 *     a later gap).  It never grows past a cap.
 *  5. Sequence numbers are unwrapped to 64-bit offsets relative to the
 *     base: a stream may pass 4 GiB and wrap the 32-bit space any number of
 *     times.  A segment is placed at the offset nearest to the highest
 *     offset seen so far (within +-2^31).
 *
 * Who calls what (dissectors/tcp.c):
 *  - SYN seen: tp_reasm_set_base(r, seq + 1) (data on a SYN, TCP Fast Open,
 *    is then added at seq + 1).
 *  - Every segment with payload: tp_reasm_add(r, mem, seq, data, n, sink).
 *    Without a SYN the first segment's seq becomes the base.
 *  - Every ACK from the other direction: tp_reasm_ack(r, mem, ack, sink):
 *    the receiver has everything before `ack`, so a hole before it will
 *    never be filled by this capture: it is announced as a gap and the held
 *    bytes after it are delivered.
 *  - FIN or RST, flow expiry, end of the capture: tp_reasm_flush, which
 *    announces every remaining hole as a gap and delivers everything held.
 *  - The end of a connection (src/flow/flow.c, before the flush): the bytes
 *    its end proves were sent.  With a FIN seen, tp_reasm_end(r, m, f,
 *    sink) at the FIN's sequence number f: the missing bytes before it
 *    (a lost last segment) are a gap.  Without one, tp_reasm_ack at the
 *    peer's highest ACK (the FIN-slot rule applies).
 *  - tp_reasm_free when the flow goes.
 *
 * Stream dissectors above (DNS over TCP, HTTP, TLS, ...) read through a
 * tp_pdubuf: it hands them contiguous bytes and takes back how many they
 * consumed and how many more they need for the next PDU (Wireshark's
 * desegment_offset/desegment_len, Suricata's APP_LAYER_INCOMPLETE).
 */
#ifndef TAPIR_REASM_H
#define TAPIR_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Defaults; --reasm-dir-cap / --reasm-mem-cap override them. */
#define TP_REASM_DIR_CAP (1u << 20)  /* out-of-order bytes held per direction */
#define TP_REASM_MEM_CAP (16u << 20) /* all directions together */
#define TP_PDU_MAX (1u << 20)        /* bytes one PDU may need */

/* Memory shared by all reassemblers (and tp_pdubuf): bytes held now,
 * the cap, and the high-water mark. */
typedef struct tp_reasm_mem {
	size_t used, cap, peak;
} tp_reasm_mem;

/* Charge m with n more bytes if they fit under its cap (true), or give
 * n back. */
bool tp_reasm_mem_take(tp_reasm_mem *m, size_t n);
void tp_reasm_mem_give(tp_reasm_mem *m, size_t n);

/* Where in-order bytes and gaps go. */
typedef struct tp_reasm_sink {
	void (*data)(void *ctx, uint64_t off, const uint8_t *b, size_t n);
	void (*gap)(void *ctx, uint64_t off, uint64_t n);
	void *ctx;
} tp_reasm_sink;

struct tp_rangeset; /* rangeset.h */

typedef struct tp_reasm {
	uint32_t base;      /* sequence number of stream offset 0 */
	bool base_set;
	uint64_t next;      /* offset of the next byte to deliver */
	uint64_t high;      /* one past the highest offset seen */
	struct tp_rangeset *held; /* out-of-order bytes (NULL: none) */
	size_t held_bytes;
	size_t dir_cap;     /* 0 = TP_REASM_DIR_CAP */
	uint64_t gap_bytes; /* total announced as gaps */
	uint32_t ngaps;
} tp_reasm;

/* What tp_reasm_add did with a segment (a bit set). */
enum {
	TP_RA_NEW = 1u << 0,          /* some bytes were new */
	TP_RA_DUP = 1u << 1,          /* every byte was already seen */
	TP_RA_OVERLAP = 1u << 2,      /* some bytes were already seen */
	TP_RA_OVERLAP_DIFF = 1u << 3, /* ... and they differ */
	TP_RA_HELD = 1u << 4,         /* stored out of order */
	TP_RA_DROPPED = 1u << 5,      /* a cap refused (part of) it */
	TP_RA_GAP = 1u << 6,          /* a gap was announced during the call */
	TP_RA_BEFORE_BASE = 1u << 7,  /* bytes before offset 0 were ignored */
};

void tp_reasm_init(tp_reasm *r, size_t dir_cap);
void tp_reasm_set_base(tp_reasm *r, uint32_t seq);
unsigned tp_reasm_add(tp_reasm *r, tp_reasm_mem *m, uint32_t seq,
		      const uint8_t *data, size_t n, const tp_reasm_sink *s);
unsigned tp_reasm_ack(tp_reasm *r, tp_reasm_mem *m, uint32_t ack,
		      const tp_reasm_sink *s);
/* The sender's FIN is at sequence number `fin`: every byte before it was
 * sent; holes before it are gaps (the held bytes delivered). */
unsigned tp_reasm_end(tp_reasm *r, tp_reasm_mem *m, uint32_t fin,
		      const tp_reasm_sink *s);
void tp_reasm_flush(tp_reasm *r, tp_reasm_mem *m, const tp_reasm_sink *s);
void tp_reasm_free(tp_reasm *r, tp_reasm_mem *m);

/* The 64-bit stream offset of sequence number `seq` (nearest to r->high);
 * -1 before a base is set.  For relative sequence numbers. */
int64_t tp_reasm_offset(const tp_reasm *r, uint32_t seq);

/* ---- PDUs on top of the byte stream ---------------------------------- */

/* A stream dissector looks at `n` contiguous bytes and says how many it
 * consumed (whole PDUs) and, when it stopped inside a PDU, how many bytes
 * from the start of that PDU it needs in all (0 = unknown, "more").  It
 * must not keep pointers to `b`.  Returns false to give up on the stream
 * (the rest is passed over). */
typedef bool (*tp_pdu_fn)(void *ctx, const uint8_t *b, size_t n,
			  size_t *consumed, size_t *needed);

typedef struct tp_pdubuf {
	uint8_t *buf;     /* bytes not consumed yet */
	size_t len, cap;
	size_t max;       /* 0 = TP_PDU_MAX */
	bool skipping;    /* a PDU was too big or the dissector gave up */
	uint64_t skip;    /* bytes still to pass over (UINT64_MAX = all) */
	uint64_t total;   /* bytes fed and gaps announced, in all */
	uint64_t at;      /* during fn: how many bytes (fed and gaps) came
			   * before the first byte fn is shown */
} tp_pdubuf;

void tp_pdubuf_init(tp_pdubuf *b, size_t max);
/* Feed in-order bytes: calls fn with the buffered bytes plus these, as
 * often as it consumes whole PDUs; keeps the unconsumed tail (at most
 * `max` bytes, accounted in m).  A PDU needing more than `max`, or a
 * tail that the memory cap refuses, is passed over as skipped bytes. */
void tp_pdubuf_feed(tp_pdubuf *b, tp_reasm_mem *m, const uint8_t *data,
		    size_t n, tp_pdu_fn fn, void *ctx);
/* A gap: the PDU in progress is lost; drop the buffered tail and start
 * again at the next byte (the dissector resynchronises). */
void tp_pdubuf_gap(tp_pdubuf *b, tp_reasm_mem *m, uint64_t n);
void tp_pdubuf_free(tp_pdubuf *b, tp_reasm_mem *m);

#endif
