/* stats.h - --stats conv|endpoints|phs: tables over the whole capture.
 *
 * Fed every dissected packet record; prints at the end, in the layout of
 * tshark's -z conv,TYPE / -z endpoints,TYPE / -z io,phs so users can read
 * them side by side.  Tables are bounded (max_entries per table; what does
 * not fit is counted in an "other" line, never grown).
 */
#ifndef TAPIR_STATS_H
#define TAPIR_STATS_H

#include <stdio.h>

#include "tapir/record.h"

enum {
	TP_STATS_CONV = 1u << 0,
	TP_STATS_ENDPOINTS = 1u << 1,
	TP_STATS_PHS = 1u << 2,
	/* --stats NAME for a dissector with a stats_print (dissector.h):
	 * bit TP_STATS_APP_SHIFT + k for the k-th such dissector in
	 * registry order (up to 24) */
	TP_STATS_APP_SHIFT = 8,
};

/* Tables: which layers (for conv and endpoints). */
enum {
	TP_STATS_ETH = 1u << 0,
	TP_STATS_IPV4 = 1u << 1,
	TP_STATS_IPV6 = 1u << 2,
	TP_STATS_TCP = 1u << 3,
	TP_STATS_UDP = 1u << 4,
	TP_STATS_ALL_TABLES = 0x1f,
};

#define TP_STATS_MAX_ENTRIES (1u << 16) /* rows per table, ~124 bytes each */

typedef struct tp_stats tp_stats;

/* Parse "conv", "conv,tcp", "endpoints,ipv4", "phs", or the name of a
 * dissector that prints its own statistics ("dns") (several --stats add
 * up).  Returns 0, or -1 for an unknown name.  `tables` is opaque between
 * parse and tp_stats_new (it records which tables each kind asked for,
 * and whether they were named); the TP_STATS_* table bits alone, given
 * straight to tp_stats_new, mean "these tables for every kind". */
int tp_stats_parse(const char *arg, unsigned *kinds, unsigned *tables);

tp_stats *tp_stats_new(unsigned kinds, unsigned tables, size_t max_entries);
void tp_stats_packet(tp_stats *st, const tp_pkt *p);
void tp_stats_print(const tp_stats *st, FILE *fp);
void tp_stats_free(tp_stats *st);
/* --stats as a consumer of the engine (engine.h): every record counted,
 * the tables printed on `fp` when the run finishes. */
struct tp_consumer;
struct tp_consumer tp_stats_consumer(tp_stats *st, FILE *fp);

#endif
