/* dissector.h - what a dissector is: a descriptor, as data.
 *
 * A dissector reads its header through the cursor, appends fields to the
 * packet record, narrows the cursor to its payload and returns the key of
 * the next layer.  It never calls another dissector: the dispatch loop in
 * pipeline.c looks the key up in the registry, so the depth cap, decode-as
 * and the per-key fuzz targets live in one place.
 *
 * Adding a dissector: write dissectors/<name>.c with one tp_dissector,
 * add it to dissectors/local.mk and to the list in src/registry.c, write
 * tests/unit/test_<name>.c.
 */
#ifndef TAPIR_DISSECTOR_H
#define TAPIR_DISSECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	TP_TAB_COUNT_
} tp_table;

typedef struct tp_next {
	uint8_t table;
	uint32_t key;
	uint32_t key2; /* ports: the other port, tried second */
} tp_next;

#define TP_STOP ((tp_next){TP_TAB_NONE, 0, 0})

static inline tp_next tp_next_key(tp_table t, uint32_t key)
{
	tp_next n = {(uint8_t)t, key, key};
	return n;
}

typedef struct tp_key {
	uint8_t table;
	uint32_t key;
} tp_key;

/* Output side of the one-line summary (see output.h). */
struct tp_sbuf;
struct tp_outopts;

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
} tp_dissector;

extern const tp_dissector tp_diss_frame; /* pseudo-layer: frame.* fields */
extern const tp_dissector tp_diss_data;  /* undissected bytes */

#define TP_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
