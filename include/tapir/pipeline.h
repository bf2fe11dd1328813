/* pipeline.h - one packet through the frame gate and the dispatch loop. */
#ifndef TAPIR_PIPELINE_H
#define TAPIR_PIPELINE_H

#include <string.h>

#include "tapir/capture.h"
#include "tapir/record.h"

/* What dissection keeps across the packets of one run besides flows
 * (those are the session's, flow.h).  A record points at it (p->dctx);
 * without one (unit tests, the line record of out_text.c) every packet
 * is dissected on its own.  Outputs never write here: printing a record
 * twice gives the same text. */
typedef struct tp_dctx {
	/* tcpdump's relative TCP sequence numbers (src/output/seqtab.c), NULL for
	 * absolute ones (-S, or no text output).  TCP's dissector looks each
	 * segment up and records the numbers it subtracts in the TCP layer
	 * (tcp.c); the line only reads them. */
	struct tp_seqtab *seqtab;
	/* The TCP header quoted by an ICMP error counts too: tcpdump reads
	 * it with -v only (it prints the quote then). */
	bool seq_quoted;
	/* A record printed from a second dissection of its frame (IP
	 * fragments, tp_line_record): that dissection, made here once. */
	tp_pkt *line;
	/* The first and the previous packet's time (frame.time_relative,
	 * frame.time_delta). */
	bool have_first;
	int64_t first_sec, prev_sec;
	uint32_t first_nsec, prev_nsec;
	/* While a packet is dissected: a layer so far makes its line
	 * separate (tp_line_separate). */
	bool separate;
} tp_dctx;

/* relative: a sequence table (else absolute numbers).  NULL: no memory. */
tp_dctx *tp_dctx_new(bool relative, bool quoted);
void tp_dctx_free(tp_dctx *x);

/* Is the record's one-line text printed from a second dissection of
 * its frame (a fragment, or the frame that completed a datagram)?  See
 * tp_line_record (output.h). */
static inline bool tp_line_separate(const tp_pkt *p)
{
	if (p->reasm)
		return true;
	for (unsigned i = 1; i < p->nlayers; i++)
		if (p->layers[i].addr.fragment && !p->layers[i].embedded)
			return true;
	return false;
}

/* Notes: fields a dissector keeps for the line (abbreviations starting
 * "_tapir."), registered nowhere, so no other output shows them.  The
 * notes of a record printed from its line record are kept after every
 * layer's fields, in no layer (each still names its layer).  The index
 * after the last layer's fields: */
unsigned tp_layers_end(const tp_pkt *p);
static inline bool tp_is_note(const tp_field_def *d)
{
	return d->abbrev[0] == '_' && d->abbrev[1] == 't' &&
	       strncmp(d->abbrev, "_tapir.", 7) == 0;
}
/* Append `from`'s notes to `to`, after its layers: those inside
 * `from`'s layers (in_layers), or those after them. */
void tp_carry_notes(tp_pkt *to, const tp_pkt *from, bool in_layers);

/* ---- the frame pseudo-layer's fields ------------------------------- */

/* A time field's value (frame.time*, and every FT_*_TIME field): the
 * nanoseconds in v.i, or, when they do not fit (the epoch always, so
 * years past 2262 and before 1678 are right; deltas between hostile
 * timestamps), a view of TP_NSTIME_LEN bytes: seconds (int64) and
 * nanoseconds (int32) as Wireshark's nstime_t holds them. */
typedef struct tp_nstime {
	int64_t sec;
	int32_t nsec;
} tp_nstime;
#define TP_NSTIME_LEN 12
tp_nstime tp_field_nstime(const tp_field *f);
/* The frame's fields the -V tree leaves out (frame.time, the relative
 * times, frame.protocols, _ws.malformed): -T fields and the outputs to
 * come read them. */
bool tp_frame_field_hidden(const tp_field_def *d);
/* frame.protocols, _ws.col.Protocol and _ws.col.Info are in every record
 * without their text, which is made from the layer list when an output
 * formats them (tp_frame_text): building it for every packet would cost
 * the outputs that never show it (doc/ARCHITECTURE.md). */
bool tp_frame_computed(const tp_field_def *d);
struct tp_sbuf;
void tp_frame_text(struct tp_sbuf *s, const tp_pkt *p, const tp_field_def *d);
void tp_frame_protocols(struct tp_sbuf *s, const tp_pkt *p);

/* Dissect one packet into `p` (reset first).  `number` is 1-based.
 * With p->dctx the run's history (relative times, tcpdump's sequence
 * table) moves on by this packet. */
void tp_dissect(tp_pkt *p, uint64_t number, const tp_pkthdr *h,
		const uint8_t *data);

/* Dissect `len` bytes starting with the dissector for a link type; for
 * unit tests and fuzz harnesses. */
void tp_dissect_buf(tp_pkt *p, int linktype, const uint8_t *data,
		    size_t caplen, size_t len);

/* Dissect one packet starting with dissector `d` (its bytes are the
 * whole of `data`): the per-dissector fuzz harnesses. */
struct tp_dissector;
void tp_dissect_as(tp_pkt *p, const struct tp_dissector *d,
		   const tp_pkthdr *h, const uint8_t *data);

/* A stream PDU (dissector.h): the dispatch loop from dissector `d` over
 * `c` (which covers exactly the PDU, in the data source p->src_cur),
 * appending layers to the record being dissected.  `head`, when set,
 * adds fields at the top of the first layer before d runs (TCP's list of
 * the segments the PDU spanned). */
void tp_dissect_pdu(tp_pkt *p, const struct tp_dissector *d, tp_cursor *c,
		    void (*head)(tp_pkt *p, void *arg), void *arg);

#endif
