/* tcpstate.h - what a TCP flow remembers across packets: per direction,
 * the sequence analysis (Wireshark's tcp_analyze_sequence_number) and the
 * stream reassembler.  Owned by the flow (flow.c frees it), written by
 * dissectors/tcp.c. */
#ifndef TAPIR_TCPSTATE_H
#define TAPIR_TCPSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "tapir/reasm.h"

/* A segment sent and not yet acknowledged (Wireshark's tcp_unacked_t):
 * what tcp.analysis.acks_frame, ack_rtt and bytes_in_flight are made of.
 * Kept only in a run that shows them (not p->lean). */
typedef struct tp_unacked {
	uint32_t seq, nextseq;
	uint32_t nsec;
	int64_t sec;
	uint64_t frame;
} tp_unacked;
/* Wireshark's TCP_MAX_UNACKED_SEGMENTS, per direction; all flows
 * together hold at most TP_UNACKED_MEM_CAP bytes of them (flow.h
 * ual_mem): a segment past either is not remembered, as Wireshark's
 * past its count. */
#define TP_MAX_UNACKED 10000u
#define TP_UNACKED_MEM_CAP (2u << 20)

/* Per direction, allocated with the flow's first segment in a run that
 * is not lean (tp_tcpstate.ua; charged to ual_mem with its segments). */
typedef struct tp_uadir {
	tp_unacked *ual; /* oldest first */
	uint32_t n, cap;
	/* the SACK blocks of this side's last segment (raw edges), taken
	 * off the other side's bytes in flight */
	uint32_t sack_le[4], sack_re[4];
	uint8_t nsack;
} tp_uadir;
typedef struct tp_ualist {
	tp_uadir d[2];
} tp_ualist;

typedef struct tp_tcpdir {
	tp_reasm r;
	uint32_t base;       /* sequence number shown as relative 0 */
	uint32_t nextseq;    /* highest seq + len (+SYN/FIN) sent */
	uint32_t lastack;    /* last ack sent */
	uint32_t maxack;     /* highest ack sent (maxack_set) */
	uint32_t win;        /* last window sent (raw) */
	uint32_t maxseqtobeacked; /* highest contiguous seq to be acked */
	int32_t dupacks;     /* duplicate acks in a row (-1: after an ACK
			      * of unseen data, Wireshark's dupacknum) */
	int64_t lastack_sec; /* time of the last ACK sent */
	uint32_t lastack_nsec;
	uint64_t lastack_frame; /* frame of the original of the dup acks */
	int64_t last_sec;    /* time nextseq last advanced */
	uint32_t last_nsec;
	int8_t wscale;       /* -1 unknown, -2 not used, else the shift */
	bool base_set, next_set, ack_set, win_set, maxack_set;
	bool fin, rst, syn;
	uint32_t fin_seq;     /* sequence number of the FIN seen */
	uint8_t acks_ahead;   /* ACKs in a row past the reassembler */
	uint16_t lastflags;  /* analysis flags of the last segment */
	uint64_t gap_bytes;  /* reassembly: announced gaps */
} tp_tcpdir;

typedef struct tp_tcpstate {
	tp_tcpdir d[2];      /* 0 client -> server */
	int64_t syn_sec;     /* the SYN, for the handshake RTT */
	uint32_t syn_nsec;
	int64_t rtt_ns;      /* initial RTT (SYN to the ACK of SYN/ACK) */
	bool syn_time, rtt_set;
	bool reassemble;     /* a tap or a stream dissector wants the bytes */
	bool tapped;         /* a tap wants them (follow, export) */
	bool ended;          /* FIN or RST both ways, or flushed */
	tp_ualist *ua;       /* unacked segments, or NULL (lean, or no room) */
	int64_t prev_sec;    /* previous packet of the flow (time_delta) */
	uint32_t prev_nsec;
} tp_tcpstate;

/* dissectors/tcp.c: the fields listing the segments a reassembled PDU
 * spanned (tcp.segments, tcp.segment, tcp.segment.count,
 * tcp.reassembled.length), appended to the current layer; `more`: the
 * list is cut (frames not recorded). */
struct tp_pkt;
void tp_tcp_pdu_segments(struct tp_pkt *p, const uint64_t *frames,
			 unsigned n, bool more, uint64_t len);

#endif
