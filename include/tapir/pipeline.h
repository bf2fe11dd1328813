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
	/* tcpdump's relative TCP sequence numbers (src/seqtab.c), NULL for
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
} tp_dctx;

/* relative: a sequence table (else absolute numbers).  NULL: no memory. */
tp_dctx *tp_dctx_new(bool relative, bool quoted);
void tp_dctx_free(tp_dctx *x);

/* Is the record's one-line text printed from a second dissection of
 * its frame (a fragment, or the frame that completed a datagram)?  See
 * tp_line_record (output.h). */
bool tp_line_separate(const tp_pkt *p);

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

/* Dissect one packet into `p` (reset first).  `number` is 1-based. */
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

#endif
