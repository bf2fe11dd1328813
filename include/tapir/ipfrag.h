/* ipfrag.h - IPv4 and IPv6 fragment reassembly.
 *
 * A datagram is keyed by (family, source, destination, protocol for IPv4,
 * identification, VLAN ids); its fragments may come in any order, be
 * duplicated or overlap.  Policy (stated, tested):
 *  - First data wins: bytes already held are kept; a later fragment
 *    overlapping them with different bytes sets TP_FRAG_OVERLAP_DIFF.
 *    IPv6 (RFC 5722 section 4): a datagram with overlapping fragments is
 *    discarded whole, with TP_FRAG_DISCARDED.
 *  - A fragment whose end passes 65535 bytes of payload (the IPv4 total
 *    length limit; IPv6 jumbograms are not fragmented) is refused
 *    (TP_FRAG_BAD) and the datagram discarded.
 *  - Two "last" fragments that disagree on the total, or data past the
 *    known total, discard the datagram (TP_FRAG_BAD).
 *  - A datagram not completed within `timeout` seconds of capture time of
 *    its first fragment is dropped (RFC 791 suggests 15 s, Linux uses 30,
 *    the default here is 60 as the largest sane value).
 *  - Caps, in bytes: at most `max_dgrams` datagrams in progress and
 *    `mem_cap` bytes held; when a new fragment would pass either, the
 *    oldest datagram in progress is dropped first (never grows past a
 *    cap).  One datagram holds at most TP_FRAG_DGRAM_MEM bytes (its
 *    bytes, range headers and a 16-byte record per fragment seen):
 *    past it (a flood of duplicates) it is discarded (TP_FRAG_DISCARDED
 *    | TP_FRAG_CAPPED).  There is no limit on the number of fragments
 *    within those bytes: a 65,535-byte datagram in 8,191 eight-byte
 *    fragments, in any order, is reassembled.
 *
 * The reassembled payload (everything after the IP header and, for IPv6,
 * the fragment header) stays valid until the next call on the table.
 */
#ifndef TAPIR_IPFRAG_H
#define TAPIR_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TP_FRAG_MEM_CAP (8u << 20)
#define TP_FRAG_MAX_DGRAMS 4096
#define TP_FRAG_TIMEOUT 60
#define TP_FRAG_DGRAM_MEM (1u << 20) /* bytes one datagram may hold */
#define TP_FRAG_LIST_MAX 1024 /* ip.fragment frame numbers listed */

typedef struct tp_fragtab tp_fragtab;

typedef struct tp_fragkey {
	uint8_t family;  /* 4 or 6 */
	uint8_t proto;   /* IPv4 protocol; 0 for IPv6 */
	uint16_t vlan[2];
	uint32_t id;
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes, rest zero */
} tp_fragkey;

enum {
	TP_FRAG_HELD = 1u << 0,         /* stored; datagram not complete */
	TP_FRAG_DONE = 1u << 1,         /* this fragment completed it */
	TP_FRAG_DUP = 1u << 2,          /* every byte was already held */
	TP_FRAG_OVERLAP = 1u << 3,      /* some bytes were already held */
	TP_FRAG_OVERLAP_DIFF = 1u << 4, /* ... and differ */
	TP_FRAG_DISCARDED = 1u << 5,    /* the datagram was thrown away */
	TP_FRAG_BAD = 1u << 6,          /* impossible offset/length */
	TP_FRAG_CAPPED = 1u << 7,       /* a cap dropped an older datagram */
};

typedef struct tp_fragdone {
	const uint8_t *data; /* reassembled payload */
	size_t len;
	uint8_t proto;           /* next header (IPv6: of the first fragment) */
	const uint64_t *frames;  /* frame numbers of the fragments, in
				  * offset order */
	unsigned nframes;
} tp_fragdone;

tp_fragtab *tp_fragtab_new(size_t mem_cap, unsigned max_dgrams,
			   unsigned timeout_sec);
void tp_fragtab_free(tp_fragtab *t);

/* Add one fragment: `off` in bytes, `more` = MF flag, `data`/`n` the
 * fragment's payload (captured in full: the caller passes only whole
 * fragments), `proto` the upper protocol this fragment names (IPv6: the
 * fragment header's next header; only the first fragment's counts),
 * `frame` its frame number, `now` its capture time in seconds.  When the
 * result has TP_FRAG_DONE, *out describes the whole datagram. */
unsigned tp_frag_add(tp_fragtab *t, const tp_fragkey *k, uint32_t off,
		     bool more, uint8_t proto, const uint8_t *data, size_t n,
		     uint64_t frame, int64_t now, tp_fragdone *out);

/* For the IPv4 and IPv6 dissectors. */
struct tp_pkt;
struct tp_event_def;

/* The fragment table this packet may use: none without a session that
 * defragments, inside an ICMP error's quote, or once a datagram was
 * reassembled in this packet (the table's output buffer holds one
 * datagram and p->reasm points into it: with IP in IP fragmented at both
 * levels, the inner fragments stay fragments). */
tp_fragtab *tp_frag_table(const struct tp_pkt *p);

/* What tp_frag_add did, as events of the calling layer: ev[] holds its
 * overlap, overlap-conflict, too-long, multiple-tails, error, capped and
 * held events, in that order.  TP_FRAG_BAD does not say which rule
 * failed: a fragment past 65535 bytes or one that is not the last is too
 * long; a refused last fragment disagrees with the held tail or data
 * (Wireshark's "multiple tails"). */
#define TP_FRAG_NEV 7
void tp_frag_report(struct tp_pkt *p, unsigned r, bool more, uint64_t end,
		    size_t at, const struct tp_event_def *const ev[TP_FRAG_NEV]);

/* For the one-line summaries: did layer `li` complete a datagram (the
 * next layer reads it)?  Did it hand its fragment to the table (one of
 * its events lies in [first, last] of the caller's event array)? */
bool tp_frag_completed(const struct tp_pkt *p, unsigned li);
bool tp_frag_in_table(const struct tp_pkt *p, unsigned li,
		      const struct tp_event_def *first,
		      const struct tp_event_def *last);

/* Bytes and datagrams held now, and the high-water mark of bytes. */
void tp_fragtab_usage(const tp_fragtab *t, size_t *bytes, unsigned *dgrams,
		      size_t *peak);

#endif
