/* pipeline.h - one packet through the frame gate and the dispatch loop. */
#ifndef TAPIR_PIPELINE_H
#define TAPIR_PIPELINE_H

#include "tapir/capture.h"
#include "tapir/record.h"

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

/* A stream PDU (dissector.h): the dispatch loop from dissector `d` over
 * `c` (which covers exactly the PDU, in the data source p->src_cur),
 * appending layers to the record being dissected.  `head`, when set,
 * adds fields at the top of the first layer before d runs (TCP's list of
 * the segments the PDU spanned). */
void tp_dissect_pdu(tp_pkt *p, const struct tp_dissector *d, tp_cursor *c,
		    void (*head)(tp_pkt *p, void *arg), void *arg);

#endif
