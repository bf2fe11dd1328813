/* tcp_int.h - what the three parts of the TCP dissector share:
 * tcp.c (header, options, checksum: the dissector), tcp_analysis.c
 * (flow tracking: tcp.stream, SEQ/ACK analysis, reassembly hand-off) and
 * tcp_print.c (tcpdump's one-line and -v text).  Not a public contract:
 * only dissectors/tcp*.c include it. */
#ifndef TAPIR_DISSECTORS_TCP_INT_H
#define TAPIR_DISSECTORS_TCP_INT_H

#include "tapir/dissector.h"
#include "tapir/output.h"

enum {
	TH_FIN = 0x01,
	TH_SYN = 0x02,
	TH_RST = 0x04,
	TH_PUSH = 0x08,
	TH_ACK = 0x10,
	TH_URG = 0x20,
	TH_ECE = 0x40,
	TH_CWR = 0x80,
};

enum {
	OPT_EOL = 0,
	OPT_NOP = 1,
	OPT_MSS = 2,
	OPT_WSCALE = 3,
	OPT_SACK_PERM = 4,
	OPT_SACK = 5,
	OPT_ECHO = 6,
	OPT_ECHOREPLY = 7,
	OPT_TS = 8,
	OPT_CC = 11,
	OPT_CCNEW = 12,
	OPT_CCECHO = 13,
	OPT_MD5 = 19,
	OPT_SCPS = 20,
	OPT_UTO = 28,
	OPT_AO = 29,
	OPT_MPTCP = 30,
	OPT_TFO = 34,
	OPT_EXP1 = 253,
	OPT_EXP2 = 254,
};

enum {
	F_SRCPORT,
	F_DSTPORT,
	F_PORT,
	F_LEN,
	F_SEQ_RAW,
	F_ACK_RAW,
	F_HDR_LEN,
	F_FLAGS,
	F_FL_RES,
	F_FL_AE,
	F_FL_CWR,
	F_FL_ECE,
	F_FL_URG,
	F_FL_ACK,
	F_FL_PUSH,
	F_FL_RESET,
	F_FL_SYN,
	F_FL_FIN,
	F_WIN,
	F_CKSUM,
	F_CKSUM_STATUS,
	F_CKSUM_CALC,
	F_URP,
	F_OPTIONS,
	F_OPT_KIND,
	F_OPT_LEN,
	/* one protocol item per option, as Wireshark */
	F_O_EOL,
	F_O_NOP,
	F_O_MSS,
	F_O_WSCALE,
	F_O_SACK_PERM,
	F_O_SACK,
	F_O_ECHO,
	F_O_ECHOREPLY,
	F_O_TS,
	F_O_CC,
	F_O_CCNEW,
	F_O_CCECHO,
	F_O_MD5,
	F_O_UTO,
	F_O_AO,
	F_O_MPTCP,
	F_O_TFO,
	F_O_EXP,
	F_O_UNKNOWN,
	/* option values */
	F_MSS_VAL,
	F_WS_SHIFT,
	F_WS_MULT,
	F_SACK_LE,
	F_SACK_RE,
	F_SACK_COUNT,
	F_ECHO_VAL,
	F_TSVAL,
	F_TSECR,
	F_CC_VAL,
	F_MD5_DIGEST,
	F_UTO_GRAN,
	F_UTO_VAL,
	F_AO_KEYID,
	F_AO_RNEXT,
	F_AO_MAC,
	F_MP_SUBTYPE,
	F_MP_VERSION,
	F_MP_FLAGS,
	F_MP_SENDKEY,
	F_MP_RECVKEY,
	F_TFO_REQ,
	F_TFO_COOKIE,
	F_EXP_EXID,
	F_EXP_DATA,
	F_UNKNOWN_PAYLOAD,
	/* flow state (with a session) */
	F_STREAM,
	F_SEQ,
	F_NXTSEQ,
	F_ACK,
	F_WIN_CALC,
	F_WIN_SCALE,
	F_ANALYSIS,
	F_A_FLAGS,
	F_A_RETRANS,
	F_A_FAST_RETRANS,
	F_A_SPURIOUS,
	F_A_OOO,
	F_A_REUSED,
	F_A_LOST,
	F_A_ACK_LOST,
	F_A_WIN_UPDATE,
	F_A_WIN_FULL,
	F_A_KEEPALIVE,
	F_A_KEEPALIVE_ACK,
	F_A_ZWP,
	F_A_ZW,
	F_A_ZWP_ACK,
	F_A_DUPACK,
	F_A_DUPACK_NUM,
	F_A_DUPACK_FRAME,
	F_A_IRTT,
	F_A_ACKS_FRAME,
	F_A_ACK_RTT,
	F_A_BIF,
	F_TIME_REL,
	F_TIME_DELTA,
	/* a reassembled PDU (src/flow/stream.c) */
	F_SEGMENTS,
	F_SEGMENT,
	F_SEGMENT_COUNT,
	F_REASSEMBLED_LEN,
	F_PAYLOAD,
	F_COUNT
};

enum {
	E_SHORT,
	E_HLEN_SHORT,
	E_HLEN_LONG,
	E_OPT_LEN,
	E_OPT_LEN_FIXED,
	E_SACK_LEN,
	E_WSCALE,
	E_AFTER_EOL,
	E_CKSUM_BAD,
	E_RETRANS,
	E_FAST_RETRANS,
	E_SPURIOUS,
	E_OOO,
	E_REUSED,
	E_LOST,
	E_ACK_LOST,
	E_WIN_UPDATE,
	E_WIN_FULL,
	E_KEEPALIVE,
	E_KEEPALIVE_ACK,
	E_ZWP,
	E_ZW,
	E_ZWP_ACK,
	E_DUPACK,
	E_OVERLAP_DIFF,
	E_SEGMENTS_CUT,
	E_COUNT
};

/* at most this many options are dissected (tcpdump prints twice as many) */
#define MAX_OPTIONS 40

/* Analysis flags (Wireshark's TCP_A_*), kept per direction for the
 * checks that look at the other side's last segment. */
enum {
	A_RETRANS = 1u << 0,
	A_FAST = 1u << 1,
	A_SPURIOUS = 1u << 2,
	A_OOO = 1u << 3,
	A_LOST = 1u << 4,
	A_ACK_LOST = 1u << 5,
	A_WIN_UPDATE = 1u << 6,
	A_WIN_FULL = 1u << 7,
	A_KEEPALIVE = 1u << 8,
	A_KEEPALIVE_ACK = 1u << 9,
	A_ZWP = 1u << 10,
	A_ZW = 1u << 11,
	A_ZWP_ACK = 1u << 12,
	A_DUPACK = 1u << 13,
	A_REUSED = 1u << 14,
	/* not a flag of the segment: kept in tp_tcpdir.lastflags across
	 * segments, Wireshark's !valid_bif (no bytes in flight after a lost
	 * segment until the other side ACKs) */
	A_NOBIF = 1u << 15,
};

/* What tcp_dissect read from the header (through the cursor). */
typedef struct seginfo {
	uint16_t sport, dport;
	uint32_t seq, ack, win, seglen;
	uint16_t flags;
	unsigned wshift; /* window scale option in this segment, or 255 */
	unsigned opt_lo, opt_hi; /* fields holding SACK edges: [lo..hi) */
} seginfo;

extern const tp_field_def tp_tcp_fields[F_COUNT];
extern const tp_event_def tp_tcp_events[E_COUNT];
/* tcpdump's relative SEQ/ACK, noted on the layer when dissected */
enum { N_REL, N_FIRST };
extern const tp_field_def tp_tcp_notes[2];

/* tcp_analysis.c: the segment in its flow (TCP analysis flags A_*). */
unsigned tp_tcp_track(tp_pkt *p, const tp_cursor *c, seginfo g, size_t start,
		      size_t hlen, bool opts_cut);

/* tcp.c: the relative-sequence note of layer `li` (tcp_print.c). */
const tp_field *tp_tcp_find_note(const tp_pkt *p, unsigned li, unsigned after);

/* tcp_print.c: tcpdump's tcp_print. */
tp_sum tp_tcp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			 const tp_outopts *o);

#endif
