/* tcp.c - Transmission Control Protocol: header, flags, options, checksum.
 *
 * RFC 9293 section 3.1 (header, data offset, options: EOL, NOP, MSS) and
 * 3.1/3.4 (pseudo-header checksum); RFC 7323 (window scale, timestamps);
 * RFC 2018 (SACK permitted, SACK); RFC 7413 (Fast Open cookie, kind 34)
 * and RFC 6994 (shared experimental kinds 253/254); RFC 8684 (MPTCP,
 * kind 30); RFC 5925 (TCP-AO); RFC 5482 (user timeout); RFC 2385 (MD5
 * signature); RFC 3168 (ECE, CWR) and RFC 3540 / draft-ietf-tcpm-accurate-
 * ecn (NS, now AE).
 *
 * With a session (p->sess, see flow.h) each segment is also tracked in its
 * flow: tcp.stream numbered as tshark numbers it (a SYN with a new initial
 * sequence number on an old flow's ports starts a new stream), relative
 * sequence numbers (tshark: the SYN is 0; without a handshake the first
 * byte seen is 1), the SEQ/ACK analysis of Wireshark's
 * tcp_analyze_sequence_number (retransmission, out-of-order, duplicate
 * ACK, zero window, window full, keep-alive, lost segment ...), the
 * handshake RTT and the per-stream times, and the payload goes to the
 * stream reassembler (reasm.h) when a tap wants this flow's bytes or the
 * flow is pinned to a stream dissector (stream.h: then the payload is
 * consumed here, and the PDUs it completes follow as layers).
 */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/flow.h"
#include "tapir/tcpstate.h"
#include "tapir/inet.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/proto.h"
#include "tapir/stream.h"

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
	F_TIME_REL,
	F_TIME_DELTA,
	/* a reassembled PDU (src/flow/stream.c) */
	F_SEGMENTS,
	F_SEGMENT,
	F_SEGMENT_COUNT,
	F_REASSEMBLED_LEN,
	F_COUNT
};

static const tp_valstr kind_vals[] = {
	{0, "End of Option List (EOL)"},
	{1, "No-Operation (NOP)"},
	{2, "Maximum Segment Size"},
	{3, "Window Scale"},
	{4, "SACK Permitted"},
	{5, "SACK"},
	{6, "Echo"},
	{7, "Echo Reply"},
	{8, "Time Stamp Option"},
	{9, "Partial Order Connection Permitted"},
	{10, "Partial Order Service Profile"},
	{11, "CC"},
	{12, "CC.NEW"},
	{13, "CC.ECHO"},
	{14, "TCP Alternate Checksum Request"},
	{15, "TCP Alternate Checksum Data"},
	{16, "Skeeter"},
	{17, "Bubba"},
	{18, "Trailer Checksum Option"},
	{19, "MD5 Signature Option"},
	{20, "SCPS Capabilities"},
	{21, "Selective Negative Acknowledgements"},
	{22, "Record Boundaries"},
	{23, "Corruption experienced"},
	{24, "SNAP"},
	{26, "TCP Compression Filter"},
	{27, "Quick-Start Response"},
	{28, "User Timeout Option"},
	{29, "TCP Authentication Option"},
	{30, "Multipath TCP"},
	{34, "TCP Fast Open Cookie"},
	{69, "Encryption Negotiation"},
	{172, "Accurate ECN Order 0"},
	{174, "Accurate ECN Order 1"},
	{253, "RFC3692-style Experiment 1"},
	{254, "RFC3692-style Experiment 2"},
	{0, NULL},
};

static const tp_valstr mptcp_subtype_vals[] = {
	{0, "Multipath Capable"},
	{1, "Join Connection"},
	{2, "Data Sequence Signal"},
	{3, "Add Address"},
	{4, "Remove Address"},
	{5, "Change Subflow Priority"},
	{6, "TCP Fallback"},
	{7, "Fast TCP Close"},
	{8, "TCP Reset"},
	{15, "Private Use"},
	{0, NULL},
};

/* Wireshark's proto_checksum_vals */
#define cksum_status_vals tp_cksum_status_vals

#define U8 TP_FT_UINT8
#define U16 TP_FT_UINT16
#define U32 TP_FT_UINT32
#define DEC TP_BASE_DEC
#define HEX TP_BASE_HEX
#define FLAG(a, n, m) {a, n, TP_FT_BOOLEAN, 12, NULL, m}
/* BASE_HEX: tshark -T fields prints a TCP option's item as its bytes */
#define PROTO(a, n) {a, n, TP_FT_PROTOCOL, TP_BASE_HEX, NULL, 0}

static const tp_field_def fields[F_COUNT] = {
	[F_SRCPORT] = {"tcp.srcport", "Source Port", U16, DEC, NULL, 0},
	[F_DSTPORT] = {"tcp.dstport", "Destination Port", U16, DEC, NULL, 0},
	[F_PORT] = {"tcp.port", "Source or Destination Port", U16, DEC, NULL,
		    0},
	[F_LEN] = {"tcp.len", "TCP Segment Len", U32, DEC, NULL, 0},
	[F_SEQ_RAW] = {"tcp.seq_raw", "Sequence Number (raw)", U32, DEC, NULL,
		       0},
	[F_ACK_RAW] = {"tcp.ack_raw", "Acknowledgment number (raw)", U32, DEC,
		       NULL, 0},
	[F_HDR_LEN] = {"tcp.hdr_len", "Header Length", U8, DEC, NULL, 0},
	[F_FLAGS] = {"tcp.flags", "Flags", U16, HEX, NULL, 0x0fff},
	[F_FL_RES] = FLAG("tcp.flags.res", "Reserved", 0xe00),
	[F_FL_AE] = FLAG("tcp.flags.ae", "Accurate ECN", 0x100),
	[F_FL_CWR] = FLAG("tcp.flags.cwr", "Congestion Window Reduced", 0x80),
	[F_FL_ECE] = FLAG("tcp.flags.ece", "ECN-Echo", 0x40),
	[F_FL_URG] = FLAG("tcp.flags.urg", "Urgent", 0x20),
	[F_FL_ACK] = FLAG("tcp.flags.ack", "Acknowledgment", 0x10),
	[F_FL_PUSH] = FLAG("tcp.flags.push", "Push", 0x08),
	[F_FL_RESET] = FLAG("tcp.flags.reset", "Reset", 0x04),
	[F_FL_SYN] = FLAG("tcp.flags.syn", "Syn", 0x02),
	[F_FL_FIN] = FLAG("tcp.flags.fin", "Fin", 0x01),
	[F_WIN] = {"tcp.window_size_value", "Window", U16, DEC, NULL, 0},
	[F_CKSUM] = {"tcp.checksum", "Checksum", U16, HEX, NULL, 0},
	[F_CKSUM_STATUS] = {"tcp.checksum.status", "Checksum Status", U8,
			    TP_BASE_NONE, cksum_status_vals, 0},
	[F_CKSUM_CALC] = {"tcp.checksum_calculated", "Calculated Checksum",
			  U16, HEX, NULL, 0},
	[F_URP] = {"tcp.urgent_pointer", "Urgent Pointer", U16, DEC, NULL, 0},
	[F_OPTIONS] = {"tcp.options", "TCP Options", TP_FT_BYTES, TP_BASE_NONE,
		       NULL, 0},
	[F_OPT_KIND] = {"tcp.option_kind", "Kind", U8, DEC, kind_vals, 0},
	[F_OPT_LEN] = {"tcp.option_len", "Length", U8, DEC, NULL, 0},
	[F_O_EOL] = PROTO("tcp.options.eol",
			  "TCP Option - End of Option List (EOL)"),
	[F_O_NOP] = PROTO("tcp.options.nop", "TCP Option - No-Operation (NOP)"),
	[F_O_MSS] = PROTO("tcp.options.mss",
			  "TCP Option - Maximum segment size"),
	[F_O_WSCALE] = PROTO("tcp.options.wscale", "TCP Option - Window scale"),
	[F_O_SACK_PERM] = PROTO("tcp.options.sack_perm",
				"TCP Option - SACK permitted"),
	[F_O_SACK] = PROTO("tcp.options.sack", "TCP Option - SACK"),
	[F_O_ECHO] = PROTO("tcp.options.echo", "TCP Option - Echo"),
	[F_O_ECHOREPLY] = PROTO("tcp.options.echoreply",
				"TCP Option - Echo reply"),
	[F_O_TS] = PROTO("tcp.options.timestamp", "TCP Option - Timestamps"),
	[F_O_CC] = PROTO("tcp.options.cc", "TCP Option - CC"),
	[F_O_CCNEW] = PROTO("tcp.options.ccnew", "TCP Option - CC.NEW"),
	[F_O_CCECHO] = PROTO("tcp.options.ccecho", "TCP Option - CC.ECHO"),
	[F_O_MD5] = PROTO("tcp.options.md5",
			  "TCP Option - TCP MD5 signature"),
	[F_O_UTO] = PROTO("tcp.options.user_to", "TCP Option - User Timeout"),
	[F_O_AO] = PROTO("tcp.options.ao", "TCP Option - TCP AO"),
	/* Wireshark: the "mptcp" protocol; tapir abbreviations start with
	 * the dissector name */
	[F_O_MPTCP] = PROTO("tcp.options.mptcp",
			    "Multipath Transmission Control Protocol"),
	[F_O_TFO] = PROTO("tcp.options.tfo", "TCP Option - TCP Fast Open"),
	[F_O_EXP] = PROTO("tcp.options.experimental",
			  "TCP Option - Experimental"),
	[F_O_UNKNOWN] = PROTO("tcp.options.unknown", "TCP Option - Unknown"),
	[F_MSS_VAL] = {"tcp.options.mss_val", "MSS Value", U16, DEC, NULL, 0},
	[F_WS_SHIFT] = {"tcp.options.wscale.shift", "Shift count", U8, DEC,
			NULL, 0},
	[F_WS_MULT] = {"tcp.options.wscale.multiplier", "Multiplier", U16, DEC,
		       NULL, 0},
	[F_SACK_LE] = {"tcp.options.sack_le", "TCP SACK Left Edge", U32, DEC,
		       NULL, 0},
	[F_SACK_RE] = {"tcp.options.sack_re", "TCP SACK Right Edge", U32, DEC,
		       NULL, 0},
	[F_SACK_COUNT] = {"tcp.options.sack.count", "TCP SACK Count", U8, DEC,
			  NULL, 0},
	[F_ECHO_VAL] = {"tcp.options.echo_value", "TCP Echo Option", U32, DEC,
			NULL, 0},
	[F_TSVAL] = {"tcp.options.timestamp.tsval", "Timestamp value", U32,
		     DEC, NULL, 0},
	[F_TSECR] = {"tcp.options.timestamp.tsecr", "Timestamp echo reply",
		     U32, DEC, NULL, 0},
	[F_CC_VAL] = {"tcp.options.cc_value", "TCP CC Option", U32, DEC, NULL,
		      0},
	[F_MD5_DIGEST] = {"tcp.options.md5.digest", "MD5 digest", TP_FT_BYTES,
			  TP_BASE_NONE, NULL, 0},
	[F_UTO_GRAN] = {"tcp.options.user_to_granularity", "Granularity",
			TP_FT_BOOLEAN, 16, NULL, 0x8000},
	[F_UTO_VAL] = {"tcp.options.user_to_val", "User Timeout", U16, DEC,
		       NULL, 0x7fff},
	[F_AO_KEYID] = {"tcp.options.ao.keyid", "AO KeyID", U8, DEC, NULL, 0},
	[F_AO_RNEXT] = {"tcp.options.ao.rnextkeyid", "AO RNextKeyID", U8, DEC,
			NULL, 0},
	[F_AO_MAC] = {"tcp.options.ao.mac", "AO MAC", TP_FT_BYTES,
		      TP_BASE_NONE, NULL, 0},
	[F_MP_SUBTYPE] = {"tcp.options.mptcp.subtype", "Multipath TCP subtype",
			  U8, DEC, mptcp_subtype_vals, 0xf0},
	[F_MP_VERSION] = {"tcp.options.mptcp.version", "Multipath TCP version",
			  U8, DEC, NULL, 0x0f},
	[F_MP_FLAGS] = {"tcp.options.mptcp.flags", "Multipath TCP flags", U8,
			HEX, NULL, 0},
	[F_MP_SENDKEY] = {"tcp.options.mptcp.sendkey", "Sender's Key",
			  TP_FT_UINT64, DEC, NULL, 0},
	[F_MP_RECVKEY] = {"tcp.options.mptcp.recvkey", "Receiver's Key",
			  TP_FT_UINT64, DEC, NULL, 0},
	[F_TFO_REQ] = {"tcp.options.tfo.request", "Fast Open Cookie Request",
		       TP_FT_NONE, TP_BASE_NONE, NULL, 0},
	[F_TFO_COOKIE] = {"tcp.options.tfo.cookie", "Fast Open Cookie",
			  TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_EXP_EXID] = {"tcp.options.experimental.exid",
			"Experiment Identifier", U16, HEX, NULL, 0},
	[F_EXP_DATA] = {"tcp.options.experimental.data", "Data", TP_FT_BYTES,
			TP_BASE_NONE, NULL, 0},
	[F_UNKNOWN_PAYLOAD] = {"tcp.options.unknown.payload", "Payload",
			       TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_STREAM] = {"tcp.stream", "Stream index", U32, DEC, NULL, 0},
	[F_SEQ] = {"tcp.seq", "Sequence Number", U32, DEC, NULL, 0},
	[F_NXTSEQ] = {"tcp.nxtseq", "Next Sequence Number", U32, DEC, NULL, 0},
	[F_ACK] = {"tcp.ack", "Acknowledgment Number", U32, DEC, NULL, 0},
	[F_WIN_CALC] = {"tcp.window_size", "Calculated window size", U32, DEC,
			NULL, 0},
	[F_WIN_SCALE] = {"tcp.window_size_scalefactor",
			 "Window size scaling factor", TP_FT_INT32, DEC, NULL,
			 0},
	[F_ANALYSIS] = {"tcp.analysis", "SEQ/ACK analysis", TP_FT_NONE,
			TP_BASE_NONE, NULL, 0},
	[F_A_FLAGS] = {"tcp.analysis.flags", "TCP Analysis Flags", TP_FT_NONE,
		       TP_BASE_NONE, NULL, 0},
#define ANA(a, n) {a, n, TP_FT_NONE, TP_BASE_NONE, NULL, 0}
	[F_A_RETRANS] = ANA("tcp.analysis.retransmission",
			    "This frame is a (suspected) retransmission"),
	[F_A_FAST_RETRANS] = ANA("tcp.analysis.fast_retransmission",
				 "This frame is a (suspected) fast "
				 "retransmission"),
	[F_A_SPURIOUS] = ANA("tcp.analysis.spurious_retransmission",
			     "This frame is a (suspected) spurious "
			     "retransmission"),
	[F_A_OOO] = ANA("tcp.analysis.out_of_order",
			"This frame is a (suspected) out-of-order segment"),
	[F_A_REUSED] = ANA("tcp.analysis.reused_ports",
			   "A new tcp session is started with the same ports "
			   "as an earlier session in this trace"),
	[F_A_LOST] = ANA("tcp.analysis.lost_segment",
			 "Previous segment(s) not captured (common at capture "
			 "start)"),
	[F_A_ACK_LOST] = ANA("tcp.analysis.ack_lost_segment",
			     "ACKed segment that wasn't captured (common at "
			     "capture start)"),
	[F_A_WIN_UPDATE] = ANA("tcp.analysis.window_update",
			       "TCP window update"),
	[F_A_WIN_FULL] = ANA("tcp.analysis.window_full",
			     "TCP window specified by the receiver is now "
			     "completely full"),
	[F_A_KEEPALIVE] = ANA("tcp.analysis.keep_alive",
			      "TCP keep-alive segment"),
	[F_A_KEEPALIVE_ACK] = ANA("tcp.analysis.keep_alive_ack",
				  "ACK to a TCP keep-alive segment"),
	[F_A_ZWP] = ANA("tcp.analysis.zero_window_probe",
			"TCP Zero Window Probe"),
	[F_A_ZW] = ANA("tcp.analysis.zero_window",
		       "TCP Zero Window segment"),
	[F_A_ZWP_ACK] = ANA("tcp.analysis.zero_window_probe_ack",
			    "ACK to a TCP Zero Window Probe"),
	[F_A_DUPACK] = ANA("tcp.analysis.duplicate_ack", "Duplicate ACK"),
#undef ANA
	[F_A_DUPACK_NUM] = {"tcp.analysis.duplicate_ack_num", "Duplicate ACK #",
			    U32, DEC, NULL, 0},
	[F_A_DUPACK_FRAME] = {"tcp.analysis.duplicate_ack_frame",
			      "Duplicate to the ACK in frame", TP_FT_FRAMENUM,
			      TP_BASE_NONE, NULL, 0},
	[F_A_IRTT] = {"tcp.analysis.initial_rtt", "iRTT", TP_FT_RELATIVE_TIME,
		      TP_BASE_NONE, NULL, 0},
	[F_TIME_REL] = {"tcp.time_relative",
			"Time since first frame in this TCP stream",
			TP_FT_RELATIVE_TIME, TP_BASE_NONE, NULL, 0},
	[F_TIME_DELTA] = {"tcp.time_delta",
			  "Time since previous frame in this TCP stream",
			  TP_FT_RELATIVE_TIME, TP_BASE_NONE, NULL, 0},
	[F_SEGMENTS] = {"tcp.segments", "Reassembled TCP Segments",
			TP_FT_NONE, TP_BASE_NONE, NULL, 0},
	[F_SEGMENT] = {"tcp.segment", "TCP Segment", TP_FT_FRAMENUM,
		       TP_BASE_NONE, NULL, 0},
	[F_SEGMENT_COUNT] = {"tcp.segment.count", "Segment count", U32, DEC,
			     NULL, 0},
	[F_REASSEMBLED_LEN] = {"tcp.reassembled.length",
			       "Reassembled TCP length", U32, DEC, NULL, 0},
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
static const tp_event_def events[E_COUNT] = {
	[E_SHORT] = {"tcp.short_segment", TP_EV_MALFORMED,
		     "Short segment: the IP payload cannot hold a TCP header"},
	[E_HLEN_SHORT] = {"tcp.bogus_header_length", TP_EV_MALFORMED,
			  "Bogus TCP header length (less than 20)"},
	[E_HLEN_LONG] = {"tcp.bogus_header_length", TP_EV_MALFORMED,
			 "Bogus TCP header length (past the segment)"},
	[E_OPT_LEN] = {"tcp.option.len.invalid", TP_EV_MALFORMED,
		       "Invalid length for option: less than 2 or past the "
		       "header"},
	[E_OPT_LEN_FIXED] = {"tcp.option.len.invalid", TP_EV_MALFORMED,
			     "Invalid length for option"},
	[E_SACK_LEN] = {"tcp.option.len.invalid", TP_EV_MALFORMED,
			"Invalid length for SACK option: not 2 + 8n"},
	[E_WSCALE] = {"tcp.options.wscale.shift.invalid", TP_EV_WARN,
		      "Window scale shift exceeds 14"},
	[E_AFTER_EOL] = {"tcp.non_zero_bytes_after_eol", TP_EV_WARN,
			 "Non zero bytes in option space after EOL option"},
	[E_CKSUM_BAD] = {"tcp.checksum_bad.expert", TP_EV_WARN, "Bad checksum"},
	/* the SEQ/ACK analysis, Wireshark's expert items */
	[E_RETRANS] = {"tcp.analysis.retransmission", TP_EV_NOTE,
		       "This frame is a (suspected) retransmission"},
	[E_FAST_RETRANS] = {"tcp.analysis.fast_retransmission", TP_EV_NOTE,
			    "This frame is a (suspected) fast retransmission"},
	[E_SPURIOUS] = {"tcp.analysis.spurious_retransmission", TP_EV_NOTE,
			"This frame is a (suspected) spurious retransmission"},
	[E_OOO] = {"tcp.analysis.out_of_order", TP_EV_WARN,
		   "This frame is a (suspected) out-of-order segment"},
	[E_REUSED] = {"tcp.analysis.reused_ports", TP_EV_NOTE,
		      "A new tcp session is started with the same ports as an "
		      "earlier session in this trace"},
	[E_LOST] = {"tcp.analysis.lost_segment", TP_EV_WARN,
		    "Previous segment(s) not captured (common at capture "
		    "start)"},
	[E_ACK_LOST] = {"tcp.analysis.ack_lost_segment", TP_EV_WARN,
			"ACKed segment that wasn't captured (common at capture "
			"start)"},
	[E_WIN_UPDATE] = {"tcp.analysis.window_update", TP_EV_NOTE,
			  "TCP window update"},
	[E_WIN_FULL] = {"tcp.analysis.window_full", TP_EV_WARN,
			"TCP window specified by the receiver is now completely "
			"full"},
	[E_KEEPALIVE] = {"tcp.analysis.keep_alive", TP_EV_NOTE,
			 "TCP keep-alive segment"},
	[E_KEEPALIVE_ACK] = {"tcp.analysis.keep_alive_ack", TP_EV_NOTE,
			     "ACK to a TCP keep-alive segment"},
	[E_ZWP] = {"tcp.analysis.zero_window_probe", TP_EV_NOTE,
		   "TCP Zero Window Probe"},
	[E_ZW] = {"tcp.analysis.zero_window", TP_EV_WARN,
		  "TCP Zero Window segment"},
	[E_ZWP_ACK] = {"tcp.analysis.zero_window_probe_ack", TP_EV_NOTE,
		       "ACK to a TCP Zero Window Probe"},
	[E_DUPACK] = {"tcp.analysis.duplicate_ack", TP_EV_NOTE,
		      "Duplicate ACK"},
	[E_OVERLAP_DIFF] = {"tcp.reassembled.overlap.conflict", TP_EV_WARN,
			    "Retransmitted data differs from the data first "
			    "seen (the first is kept)"},
	[E_SEGMENTS_CUT] = {"tcp.segments.cut", TP_EV_WARN,
			    "Too many segments in one PDU: not all are listed"},
};

/* Options walked at most: 40 option bytes hold at most 40 options. */
#define MAX_OPTIONS 40

/* ---- options -------------------------------------------------------- */

static const tp_field_def *option_proto(unsigned kind)
{
	switch (kind) {
	case OPT_EOL: return &fields[F_O_EOL];
	case OPT_NOP: return &fields[F_O_NOP];
	case OPT_MSS: return &fields[F_O_MSS];
	case OPT_WSCALE: return &fields[F_O_WSCALE];
	case OPT_SACK_PERM: return &fields[F_O_SACK_PERM];
	case OPT_SACK: return &fields[F_O_SACK];
	case OPT_ECHO: return &fields[F_O_ECHO];
	case OPT_ECHOREPLY: return &fields[F_O_ECHOREPLY];
	case OPT_TS: return &fields[F_O_TS];
	case OPT_CC: return &fields[F_O_CC];
	case OPT_CCNEW: return &fields[F_O_CCNEW];
	case OPT_CCECHO: return &fields[F_O_CCECHO];
	case OPT_MD5: return &fields[F_O_MD5];
	case OPT_UTO: return &fields[F_O_UTO];
	case OPT_AO: return &fields[F_O_AO];
	case OPT_MPTCP: return &fields[F_O_MPTCP];
	case OPT_TFO: return &fields[F_O_TFO];
	case OPT_EXP1:
	case OPT_EXP2: return &fields[F_O_EXP];
	default: return &fields[F_O_UNKNOWN];
	}
}

/* The length a fixed-size option must have, or 0 when it varies. */
static unsigned option_fixed_len(unsigned kind)
{
	switch (kind) {
	case OPT_MSS: return 4;
	case OPT_WSCALE: return 3;
	case OPT_SACK_PERM: return 2;
	case OPT_TS: return 10;
	case OPT_ECHO:
	case OPT_ECHOREPLY:
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO: return 6;
	case OPT_MD5: return 18;
	case OPT_UTO: return 4;
	default: return 0;
	}
}

static void get_be64(tp_pkt *p, tp_cursor *o, const tp_field_def *f)
{
	size_t at = o->off;
	uint64_t v = tp_be64(o);
	if (tp_ok(o))
		tp_add_uint(p, f, at, 8, v);
}

static void option_mptcp(tp_pkt *p, tp_cursor *o, unsigned len)
{
	size_t at = o->off;
	uint8_t b = tp_u8(o);
	if (!tp_ok(o))
		return;
	unsigned subtype = b >> 4;
	tp_add_uint(p, &fields[F_MP_SUBTYPE], at, 1, subtype);
	if (subtype != 0)
		return; /* other subtypes: the subtype is enough for now */
	tp_add_uint(p, &fields[F_MP_VERSION], at, 1, b & 0x0f);
	if (len >= 4)
		tp_get_u8(p, o, &fields[F_MP_FLAGS]);
	if (len >= 12)
		get_be64(p, o, &fields[F_MP_SENDKEY]);
	if (len >= 20)
		get_be64(p, o, &fields[F_MP_RECVKEY]);
}

/* The value part of one option: `o` covers the whole option (kind and
 * length already read), `len` bytes in all. */
static void option_value(tp_pkt *p, tp_cursor *o, unsigned kind,
			 unsigned len, size_t at)
{
	unsigned fixed = option_fixed_len(kind);
	if (fixed && len != fixed) {
		tp_add_event(p, &events[E_OPT_LEN_FIXED], at);
		return;
	}
	switch (kind) {
	case OPT_MSS:
		tp_get_be16(p, o, &fields[F_MSS_VAL]);
		break;
	case OPT_WSCALE: {
		size_t vat = o->off;
		uint8_t shift = tp_get_u8(p, o, &fields[F_WS_SHIFT]);
		if (!tp_ok(o))
			break;
		if (shift > 14) {
			tp_add_event(p, &events[E_WSCALE], vat);
			shift = 14;
		}
		tp_add_uint(p, &fields[F_WS_MULT], vat, 0, 1u << shift);
		break;
	}
	case OPT_SACK:
		if ((len - 2) % 8) {
			tp_add_event(p, &events[E_SACK_LEN], at);
			break;
		}
		for (unsigned i = 0; i < (len - 2) / 8; i++) {
			tp_get_be32(p, o, &fields[F_SACK_LE]);
			tp_get_be32(p, o, &fields[F_SACK_RE]);
		}
		if (tp_ok(o))
			tp_add_uint(p, &fields[F_SACK_COUNT], at, 0,
				    (len - 2) / 8);
		break;
	case OPT_ECHO:
	case OPT_ECHOREPLY:
		tp_get_be32(p, o, &fields[F_ECHO_VAL]);
		break;
	case OPT_TS:
		tp_get_be32(p, o, &fields[F_TSVAL]);
		tp_get_be32(p, o, &fields[F_TSECR]);
		break;
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO:
		tp_get_be32(p, o, &fields[F_CC_VAL]);
		break;
	case OPT_MD5:
		tp_get_bytes(p, o, &fields[F_MD5_DIGEST], 16);
		break;
	case OPT_UTO: {
		size_t vat = o->off;
		uint16_t v = tp_be16(o);
		if (!tp_ok(o))
			break;
		tp_add_uint(p, &fields[F_UTO_GRAN], vat, 2, v >> 15);
		tp_add_uint(p, &fields[F_UTO_VAL], vat, 2, v & 0x7fff);
		break;
	}
	case OPT_AO:
		if (len < 4) {
			tp_add_event(p, &events[E_OPT_LEN_FIXED], at);
			break;
		}
		tp_get_u8(p, o, &fields[F_AO_KEYID]);
		tp_get_u8(p, o, &fields[F_AO_RNEXT]);
		if (len > 4)
			tp_get_bytes(p, o, &fields[F_AO_MAC], len - 4);
		break;
	case OPT_MPTCP:
		if (len < 3) {
			tp_add_event(p, &events[E_OPT_LEN_FIXED], at);
			break;
		}
		option_mptcp(p, o, len);
		break;
	case OPT_TFO:
		if (len == 2)
			tp_add_uint(p, &fields[F_TFO_REQ], at, 2, 0);
		else
			tp_get_bytes(p, o, &fields[F_TFO_COOKIE], len - 2);
		break;
	case OPT_EXP1:
	case OPT_EXP2:
		if (len >= 4)
			tp_get_be16(p, o, &fields[F_EXP_EXID]);
		if (len > 4)
			tp_get_bytes(p, o, &fields[F_EXP_DATA], len - 4);
		else if (len == 3)
			tp_get_bytes(p, o, &fields[F_EXP_DATA], 1);
		break;
	case OPT_SACK_PERM:
		break;
	default:
		if (len > 2)
			tp_get_bytes(p, o, &fields[F_UNKNOWN_PAYLOAD],
				     len - 2);
		break;
	}
}

/* Walk the options in `oc` (exactly the option bytes of the header).
 * The status of `oc` says whether the capture cut them.  As Wireshark,
 * the walk goes on after EOL: zero padding shows as more EOLs; anything
 * else there gets a warning and ends the walk (it is padding, not
 * options). */
static void dissect_options(tp_pkt *p, tp_cursor *oc)
{
	bool eol = false;
	for (unsigned n = 0; n < MAX_OPTIONS && tp_reported(oc) > 0; n++) {
		size_t at = oc->off;
		int kind = tp_peek(oc, 0);
		if (kind < 0) {
			tp_need(oc, 1); /* sets TRUNCATED */
			return;
		}
		if (eol && kind != OPT_EOL) {
			/* padding is not options: say so, read no further */
			tp_add_event(p, &events[E_AFTER_EOL], at);
			return;
		}
		const tp_field_def *proto = option_proto((unsigned)kind);
		if (kind == OPT_EOL || kind == OPT_NOP) {
			tp_add_uint(p, proto, at, 1, 0);
			tp_push(p);
			tp_get_u8(p, oc, &fields[F_OPT_KIND]);
			tp_pop(p);
			if (kind == OPT_EOL)
				eol = true;
			continue;
		}
		size_t room = tp_reported(oc);
		if (room < 2) {
			/* no room for the length byte */
			tp_add_uint(p, proto, at, room, 0);
			tp_push(p);
			tp_get_u8(p, oc, &fields[F_OPT_KIND]);
			tp_pop(p);
			tp_add_event(p, &events[E_OPT_LEN], at);
			return;
		}
		int len = tp_peek(oc, 1);
		if (len < 0) {
			tp_need(oc, 2);
			return;
		}
		if (len < 2 || (size_t)len > room) {
			tp_add_uint(p, proto, at, room, 0);
			tp_push(p);
			tp_get_u8(p, oc, &fields[F_OPT_KIND]);
			tp_get_u8(p, oc, &fields[F_OPT_LEN]);
			tp_pop(p);
			tp_add_event(p, &events[E_OPT_LEN], at + 1);
			return; /* the rest cannot be delimited */
		}
		tp_cursor o = tp_sub(oc, (size_t)len);
		tp_add_uint(p, proto, at, (size_t)len, 0);
		tp_push(p);
		tp_get_u8(p, &o, &fields[F_OPT_KIND]);
		tp_get_u8(p, &o, &fields[F_OPT_LEN]);
		option_value(p, &o, (unsigned)kind, (unsigned)len, at);
		tp_pop(p);
		if (!tp_ok(&o)) {
			tp_fail(oc, o.status);
			return;
		}
	}
}

/* ---- checksum --------------------------------------------------------- */

/* Part of a fragmented datagram (IPv4 MF/offset, IPv6 fragment header)?
 * The network layer says so with its addresses. */
static bool fragmented(const tp_pkt *p, unsigned li)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	return a && a->fragment;
}

/* Verify the checksum over the whole segment and the pseudo-header when
 * all of it was captured. */
static void check_sum(tp_pkt *p, const tp_cursor *c, size_t start,
		      size_t seg, size_t sum_at)
{
	unsigned li = p->nlayers - 1;
	const tp_netaddr *a = tp_nearest_addr(p, li);
	uint8_t status = TP_CKSUM_UNVERIFIED;
	tp_cursor t = *c;
	t.off = start;
	if (!p->no_verify && a && a->src && a->dst && seg >= 20 &&
	    tp_has(&t, seg) && !fragmented(p, li)) {
		const uint8_t *v = tp_bytes(&t, seg);
		uint32_t s = tp_cksum_pseudo(a->family, a->src,
					     tp_pseudo_dst(p, li),
					     TP_IPPROTO_TCP, (uint32_t)seg);
		s = tp_cksum_add(s, v, 16);
		s = tp_cksum_add(s, v + 18, seg - 18);
		uint16_t calc = tp_cksum_fold(s);
		uint16_t sum = (uint16_t)(v[16] << 8 | v[17]);
		status = calc == sum ? TP_CKSUM_GOOD
			 : tp_cksum_offloaded(a->family, a->src, a->dst,
					      TP_IPPROTO_TCP, (uint32_t)seg, sum)
			     ? TP_CKSUM_OFFLOADED
			     : TP_CKSUM_BAD;
		tp_add_uint(p, &fields[F_CKSUM_STATUS], sum_at, 0, status);
		tp_add_uint(p, &fields[F_CKSUM_CALC], sum_at, 0, calc);
		if (status == TP_CKSUM_BAD)
			tp_add_event(p, &events[E_CKSUM_BAD], sum_at);
		return;
	}
	tp_add_uint(p, &fields[F_CKSUM_STATUS], sum_at, 0, status);
}

/* ---- the header ------------------------------------------------------- */

/* Data offset + flags: two bytes, three fields and the flag tree. */
static void add_flags(tp_pkt *p, size_t at, uint16_t hf)
{
	uint16_t flags = hf & 0x0fff;
	tp_add_uint(p, &fields[F_HDR_LEN], at, 1, (hf >> 12) * 4u);
	tp_add_uint(p, &fields[F_FLAGS], at, 2, flags);
	tp_push(p);
	for (unsigned f = F_FL_RES; f <= F_FL_FIN; f++)
		tp_add_uint(p, &fields[f], at, 2, (flags & fields[f].mask) != 0);
	tp_pop(p);
}

/* tcp.options: the option bytes, as many as were captured (tshark shows
 * the captured part of a cut header too). */
static void add_option_bytes(tp_pkt *p, const tp_cursor *oc)
{
	tp_cursor v = *oc;
	size_t n = tp_avail(&v);
	size_t at = v.off;
	const uint8_t *b = n ? tp_bytes(&v, n) : NULL;
	if (b)
		tp_add_bytes(p, &fields[F_OPTIONS], at, tp_reported(oc), b, n);
}

/* ---- tcpdump's relative sequence numbers ---------------------------- */

/* Notes for the line (pipeline.h), registered nowhere: what the line
 * subtracts from the segment's SEQ (high 32 bits) and ACK (low 32), or,
 * for the first segment tcpdump saw of the connection (and a SYN), that
 * both are printed absolute. */
enum { N_REL, N_FIRST };
static const tp_field_def notes[2] = {
	[N_REL] = {"_tapir.tcp.relative", "tcpdump's relative SEQ/ACK",
		   TP_FT_UINT64, TP_BASE_HEX, NULL, 0},
	[N_FIRST] = {"_tapir.tcp.first", "tcpdump's first SEQ/ACK",
		     TP_FT_UINT64, TP_BASE_HEX, NULL, 0},
};

/* tcpdump looks every segment with ACK set up in its table of
 * connections, in the order it prints them: so here, once, when the
 * segment is dissected (the line never writes to the table).  Called
 * right after the urgent pointer's field, where the line looks; the
 * header is whole (20 bytes or more). */
static void note_relative(tp_pkt *p, uint16_t sport, uint16_t dport,
			  uint32_t seq, uint32_t ack, uint16_t flags,
			  size_t at)
{
	tp_dctx *x = p->dctx;
	if (!x || !x->seqtab || !(flags & TH_ACK) ||
	    (p->in_error && !x->seq_quoted))
		return;
	/* a fragment's line comes from a dissection without a session
	 * (tp_line_record): that one looks it up (pipeline.c) */
	if (p->sess && (x->separate || p->reasm))
		return;
	const tp_netaddr *a = tp_nearest_addr(p, p->nlayers - 1);
	if (!a || !a->src || !a->dst || (a->family != 4 && a->family != 6))
		return;
	uint32_t rs = seq, ra = ack;
	if (tp_seq_relative(x->seqtab, a->src, a->dst, a->family == 6 ? 16 : 4,
			    sport, dport, (flags & TH_SYN) != 0, &rs, &ra))
		tp_add_uint(p, &notes[N_REL], at, 0,
			    (uint64_t)(seq - rs) << 32 | (uint32_t)(ack - ra));
	else
		tp_add_uint(p, &notes[N_FIRST], at, 0, 0);
}

/* The note of layer `li`: right after its urgent pointer (index `after`
 * in the record), or, on a line record, after every layer's fields. */
static const tp_field *find_note(const tp_pkt *p, unsigned li, unsigned after)
{
	const tp_layer *l = &p->layers[li];
	unsigned i = after + 1;
	if (i < (unsigned)l->first_field + l->nfields &&
	    (p->fields[i].def == &notes[N_REL] ||
	     p->fields[i].def == &notes[N_FIRST]))
		return &p->fields[i];
	for (i = tp_layers_end(p); i < p->nfields; i++)
		if (p->fields[i].layer == li &&
		    (p->fields[i].def == &notes[N_REL] ||
		     p->fields[i].def == &notes[N_FIRST]))
			return &p->fields[i];
	return NULL;
}

/* tshark numbers the quoted segment's conversation too (tcp.stream). */
static void quoted_stream(tp_pkt *p, size_t at, uint16_t sport, uint16_t dport)
{
	const tp_netaddr *na = tp_nearest_addr(p, p->nlayers - 1);
	if (!p->sess || !na || !na->src || !na->dst ||
	    (na->family != 4 && na->family != 6))
		return;
	int dir;
	tp_flow *f = tp_flow_get(p->sess, p, na->family, TP_IPPROTO_TCP,
				 na->src, na->dst, sport, dport, false, &dir);
	if (f)
		tp_add_uint(p, &fields[F_STREAM], at, 0, f->stream);
}

/* Inside an ICMP error: the quote is often only the first 8 bytes (ports
 * and sequence number).  Take each field that is there, flag nothing. */
static tp_next tcp_quoted(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off;
	if (!tp_has(c, 2))
		return TP_STOP;
	uint16_t sport = tp_get_be16(p, c, &fields[F_SRCPORT]);
	if (!tp_has(c, 2))
		return TP_STOP;
	uint16_t dport = tp_get_be16(p, c, &fields[F_DSTPORT]);
	tp_add_uint(p, &fields[F_PORT], at, 2, sport);
	tp_add_uint(p, &fields[F_PORT], at + 2, 2, dport);
	quoted_stream(p, at, sport, dport);
	if (!tp_has(c, 4))
		return TP_STOP;
	uint32_t seq = tp_get_be32(p, c, &fields[F_SEQ_RAW]);
	if (!tp_has(c, 4))
		return TP_STOP;
	uint32_t ack = tp_get_be32(p, c, &fields[F_ACK_RAW]);
	if (!tp_has(c, 2))
		return TP_STOP;
	size_t hat = c->off;
	uint16_t hf = tp_be16(c);
	add_flags(p, hat, hf);
	if (!tp_has(c, 2))
		return TP_STOP;
	tp_get_be16(p, c, &fields[F_WIN]);
	if (!tp_has(c, 2))
		return TP_STOP;
	tp_get_be16(p, c, &fields[F_CKSUM]);
	if (!tp_has(c, 2))
		return TP_STOP;
	tp_get_be16(p, c, &fields[F_URP]);
	size_t hlen = (hf >> 12) * 4u;
	if (hlen >= 20)
		note_relative(p, sport, dport, seq, ack, hf & 0x0fff, at);
	if (hlen > 20 && tp_has(c, hlen - 20)) {
		tp_cursor oc = tp_sub(c, hlen - 20);
		add_option_bytes(p, &oc);
		tp_push(p);
		dissect_options(p, &oc);
		tp_pop(p);
	}
	return TP_STOP;
}

/* ---- flow state: stream numbers, SEQ/ACK analysis, reassembly -------- */

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

/* Sequence-space comparisons (RFC 9293 section 3.4: modulo 2^32). */
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

/* Nanoseconds from (s0, n0) to (s1, n1); hostile timestamps far apart
 * saturate at about +-272 years instead of overflowing. */
static int64_t ns_between(int64_t s0, uint32_t n0, int64_t s1, uint32_t n1)
{
	const int64_t lim = (int64_t)1 << 33;
	int64_t d;
	if (__builtin_sub_overflow(s1, s0, &d) || d > lim)
		d = s1 > s0 ? lim : -lim;
	else if (d < -lim)
		d = -lim;
	return d * 1000000000 + ((int64_t)n1 - (int64_t)n0);
}

typedef struct seginfo {
	uint16_t sport, dport;
	uint32_t seq, ack, win, seglen;
	uint16_t flags;
	unsigned wshift; /* window scale option in this segment, or 255 */
} seginfo;

/* tcp_analyze_sequence_number (Wireshark epan/dissectors/packet-tcp.c),
 * the checks in its order and with its state: windows are compared raw,
 * a zero nextseq means "not seen yet", the ACK field is remembered from
 * every segment. */
static unsigned analyze(const tp_pkt *p, tp_tcpstate *t, int dir,
			const seginfo *g, uint32_t *dupnum, uint64_t *dupframe)
{
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	unsigned a = 0;
	uint32_t seq = g->seq, ack = g->ack, len = g->seglen, win = g->win;
	uint16_t fl = g->flags;
	bool sfr = fl & (TH_SYN | TH_FIN | TH_RST);

	if (len == 1 && seq == fwd->nextseq && rev->win_set && rev->win == 0) {
		a |= A_ZWP;
		goto finished_fwd;
	}
	if (win == 0 && !sfr)
		a |= A_ZW;
	if (fwd->nextseq && seq_gt(seq, fwd->nextseq) && !(fl & TH_RST))
		a |= A_LOST;
	if (len <= 1 && seq == fwd->nextseq - 1 && !sfr)
		a |= A_KEEPALIVE;
	if (len == 0 && win && win != fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && !sfr)
		a |= A_WIN_UPDATE;
	if (len > 0 && rev->wscale != -1 && rev->win_set &&
	    seq + len == rev->lastack + (rev->win << (rev->wscale == -2
							  ? 0
							  : rev->wscale)) &&
	    !sfr)
		a |= A_WIN_FULL;
	if (len == 0 && win && win == fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastflags & A_KEEPALIVE) && !sfr) {
		a |= A_KEEPALIVE_ACK;
		goto finished_fwd;
	}
	if (len == 0 && win == 0 && win == fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastflags & A_ZWP) && !sfr) {
		a |= A_ZWP_ACK;
		goto finished_fwd;
	}
	if (len == 0 && win && win == fwd->win && seq == fwd->nextseq &&
	    ack == fwd->lastack && !sfr) {
		fwd->dupacks = fwd->dupacks < 0 ? 1 : fwd->dupacks + 1;
		a |= A_DUPACK;
		*dupnum = (uint32_t)fwd->dupacks;
		*dupframe = fwd->lastack_frame;
	}
finished_fwd:
	if (ack != fwd->lastack) {
		fwd->lastack_frame = p->number;
		fwd->dupacks = 0;
	}
	if (rev->maxseqtobeacked && seq_gt(ack, rev->maxseqtobeacked) &&
	    (fl & TH_ACK)) {
		/* once per hole: the other side's mark moves on */
		a |= A_ACK_LOST;
		rev->maxseqtobeacked = rev->nextseq;
	}
	if (len > 0 || (fl & (TH_SYN | TH_FIN))) {
		bool not_adv = fwd->nextseq && seq_lt(seq, fwd->nextseq);
		if (a & A_KEEPALIVE)
			goto finished_retrans;
		if (len > 1 && fwd->nextseq - 1 == seq)
			not_adv = false;
		if (len > 0 && rev->lastack && seq_le(seq + len, rev->lastack)) {
			a |= A_SPURIOUS;
			goto finished_retrans;
		}
		int64_t since_ack = ns_between(rev->lastack_sec, rev->lastack_nsec,
					       p->ts_sec, p->ts_nsec);
		if (not_adv && rev->dupacks >= 2 && rev->lastack == seq &&
		    since_ack < 20000000) {
			a |= A_FAST;
			goto finished_retrans;
		}
		int64_t since = ns_between(fwd->last_sec, fwd->last_nsec,
					   p->ts_sec, p->ts_nsec);
		int64_t ooo = t->rtt_set && t->rtt_ns ? t->rtt_ns : 3000000;
		uint32_t end = seq + len + ((fl & (TH_SYN | TH_FIN)) ? 1 : 0);
		if (not_adv && since < ooo && fwd->nextseq != end) {
			a |= A_OOO;
			goto finished_retrans;
		}
		if (not_adv)
			a |= A_RETRANS;
	}
finished_retrans:;
	uint32_t next = seq + len + ((fl & (TH_SYN | TH_FIN)) ? 1 : 0);
	if ((seq_gt(next, fwd->nextseq) || !fwd->nextseq) && !(a & A_ZWP)) {
		fwd->nextseq = next;
		fwd->last_sec = p->ts_sec;
		fwd->last_nsec = p->ts_nsec;
	}
	if ((seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) &&
	    !(a & A_ZWP))
		fwd->maxseqtobeacked = fwd->nextseq;
	fwd->win = win;
	fwd->win_set = true;
	fwd->lastack = ack;
	fwd->lastack_sec = p->ts_sec;
	fwd->lastack_nsec = p->ts_nsec;
	fwd->lastflags = (uint16_t)a;
	/* Wireshark raises "retransmission" with the fast and spurious ones */
	if (a & (A_FAST | A_SPURIOUS))
		a |= A_RETRANS;
	return a;
}

static const struct {
	unsigned flag;
	int field, event;
} ana_items[] = {
	{A_RETRANS, F_A_RETRANS, E_RETRANS},
	{A_FAST, F_A_FAST_RETRANS, E_FAST_RETRANS},
	{A_SPURIOUS, F_A_SPURIOUS, E_SPURIOUS},
	{A_OOO, F_A_OOO, E_OOO},
	{A_REUSED, F_A_REUSED, E_REUSED},
	{A_LOST, F_A_LOST, E_LOST},
	{A_ACK_LOST, F_A_ACK_LOST, E_ACK_LOST},
	{A_WIN_UPDATE, F_A_WIN_UPDATE, E_WIN_UPDATE},
	{A_WIN_FULL, F_A_WIN_FULL, E_WIN_FULL},
	{A_KEEPALIVE, F_A_KEEPALIVE, E_KEEPALIVE},
	{A_KEEPALIVE_ACK, F_A_KEEPALIVE_ACK, E_KEEPALIVE_ACK},
	{A_ZWP, F_A_ZWP, E_ZWP},
	{A_ZW, F_A_ZW, E_ZW},
	{A_ZWP_ACK, F_A_ZWP_ACK, E_ZWP_ACK},
	{A_DUPACK, F_A_DUPACK, E_DUPACK},
};

/* The window-scale shift this segment's options carry (255: none). */
static unsigned wscale_option(const tp_pkt *p, unsigned li)
{
	const tp_field *f = tp_layer_find(p, li, &fields[F_WS_SHIFT]);
	return f ? (unsigned)f->v.u : 255;
}

/* RFC 7323 section 2.2: scaling is on when both SYNs carry the option
 * (Wireshark's verify_tcp_window_scaling: -1 unknown, -2 not used). */
static void note_wscale(tp_tcpstate *t, int dir, uint16_t fl, unsigned sh,
			bool opts_cut)
{
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	if (!(fl & TH_SYN))
		return;
	if (sh != 255)
		fwd->wscale = (int8_t)(sh > 14 ? 14 : sh);
	/* options cut short by the capture: Wireshark's option walk throws
	 * before verify_tcp_window_scaling, the scaling stays unknown */
	if (opts_cut)
		return;
	if (fwd->wscale == -1) {
		fwd->wscale = -2;
		rev->wscale = -2;
	} else if ((fl & TH_ACK) && rev->wscale == -2) {
		fwd->wscale = -2;
	}
}

/* `g` holds what tcp_dissect read from the header (through the cursor). */
static unsigned track(tp_pkt *p, const tp_cursor *c, seginfo g, size_t start,
		      size_t hlen, bool opts_cut)
{
	unsigned li = p->nlayers - 1;
	const tp_netaddr *na = tp_nearest_addr(p, li);
	if (!na || !na->src || !na->dst || (na->family != 4 && na->family != 6))
		return 0;
	uint16_t sport = g.sport, dport = g.dport;
	/* only a SYN's window scale counts (RFC 7323 section 2.2) */
	g.wshift = (g.flags & TH_SYN) ? wscale_option(p, li) : 255;
	tp_session *s = p->sess;
	bool syn_only = (g.flags & (TH_SYN | TH_ACK)) == TH_SYN;
	int dir;
	tp_flow *f = tp_flow_get(s, p, na->family, TP_IPPROTO_TCP, na->src,
				 na->dst, sport, dport, syn_only, &dir);
	if (!f)
		return 0;
	p->flow = f;
	/* A flow whose first packet is the SYN/ACK: its receiver is the
	 * client. */
	if (f->pkts[0] + f->pkts[1] == 1 && (g.flags & (TH_SYN | TH_ACK)) ==
						    (TH_SYN | TH_ACK)) {
		f->client = !f->client;
		f->pkts[1] = f->pkts[0];
		f->bytes[1] = f->bytes[0];
		f->pkts[0] = f->bytes[0] = 0;
		dir = 1;
	}
	unsigned extra = 0;
	tp_tcpstate *t = f->tcp;
	if (t && syn_only && t->d[dir].base_set && g.seq != t->d[dir].base) {
		tp_flow_renew(s, f, p, &dir);
		t = f->tcp;
		extra |= A_REUSED;
	}
	p->flow_dir = dir;
	tp_add_uint(p, &fields[F_STREAM], start, 0, f->stream);
	if (!t)
		return 0;
	tp_tcpdir *fwd = &t->d[dir], *rev = &t->d[!dir];
	bool fwd_seen = fwd->base_set;

	/* relative sequence numbers: the SYN is 0, else the first byte 1 */
	if (!fwd->base_set) {
		fwd->base = (g.flags & TH_SYN) ? g.seq : g.seq - 1;
		fwd->base_set = true;
	}
	if ((g.flags & TH_ACK) && !rev->base_set) {
		rev->base = g.ack - 1;
		rev->base_set = true;
	}
	note_wscale(t, dir, g.flags, g.wshift, opts_cut);
	/* SACK edges are relative to the other side's base too, as
	 * Wireshark's (tcp_relative_seq) */
	for (unsigned i = p->layers[li].first_field;
	     rev->base_set && i < p->nfields; i++) {
		tp_field *x = &p->fields[i];
		if (x->def == &fields[F_SACK_LE] || x->def == &fields[F_SACK_RE])
			x->v.u = (uint32_t)(x->v.u - rev->base);
	}
	tp_add_uint(p, &fields[F_SEQ], start + 4, 4, g.seq - fwd->base);
	uint32_t nxt =
		g.seq + g.seglen + ((g.flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	tp_add_uint(p, &fields[F_NXTSEQ], start, 0, nxt - fwd->base);
	tp_add_uint(p, &fields[F_ACK], start + 8, 4,
		    (g.flags & TH_ACK) ? g.ack - rev->base : g.ack);
	/* SYNs are never scaled (RFC 7323 section 2.2) */
	uint32_t w = g.win;
	if (!(g.flags & TH_SYN) && fwd->wscale >= 0)
		w <<= fwd->wscale;
	tp_add_uint(p, &fields[F_WIN_CALC], start + 14, 2, w);
	if (!(g.flags & TH_SYN))
		tp_add_uint(p, &fields[F_WIN_SCALE], start + 14, 2,
			    (uint64_t)(int64_t)(fwd->wscale >= 0
							? 1 << fwd->wscale
							: fwd->wscale));

	uint32_t dupnum = 0;
	uint64_t dupframe = 0;
	/* Wireshark's "acks frame": the ACK ends one of the other side's
	 * unacknowledged segments.  Approximated without its segment list:
	 * the ACK moves past the last one this side sent (or, the first
	 * time, past the other side's base) and not past what the other
	 * side sent. */
	uint32_t acked = rev->base; /* the most this side acknowledged */
	if (fwd_seen && fwd->maxack_set && !seq_lt(fwd->maxack, rev->base) &&
	    seq_le(fwd->maxack, rev->nextseq))
		acked = fwd->maxack; /* not a SYN's meaningless ACK field */
	bool acks_frame = rev->nextseq != 0 && seq_gt(g.ack, acked) &&
			  seq_le(g.ack, rev->nextseq);
	/* an ACK makes the other side's bytes in flight valid again */
	if (g.flags & TH_ACK)
		rev->lastflags &= (uint16_t)~A_NOBIF;
	bool nobif = fwd->lastflags & A_NOBIF;
	unsigned a = analyze(p, t, dir, &g, &dupnum, &dupframe) | extra;
	/* ACK numbers can go backwards (reordering): keep the highest */
	if ((g.flags & TH_ACK) &&
	    (!fwd->maxack_set || seq_gt(g.ack, fwd->maxack))) {
		fwd->maxack = g.ack;
		fwd->maxack_set = true;
	}
	if (a & A_LOST)
		nobif = true;
	if (nobif)
		fwd->lastflags |= A_NOBIF;
	/* bytes in flight: every segment with data while they are valid */
	bool in_flight = g.seglen != 0 && !nobif;

	/* handshake RTT: the SYN, then the first pure ACK */
	if (syn_only) {
		t->syn_sec = p->ts_sec;
		t->syn_nsec = p->ts_nsec;
		t->syn_time = true;
	} else if ((g.flags & (TH_SYN | TH_ACK)) == TH_ACK && t->syn_time &&
		   !t->rtt_set) {
		t->rtt_ns =
			ns_between(t->syn_sec, t->syn_nsec, p->ts_sec, p->ts_nsec);
		/* a zero RTT counts as none yet: the next ACK tries again */
		t->rtt_set = t->rtt_ns != 0;
	}
	/* Wireshark shows the analysis tree (and the iRTT in it) when the
	 * segment has flags, acknowledges a frame or has bytes in flight,
	 * and only when its option walk did not run past the capture (it
	 * throws before printing the analysis; the state is updated) */
	if ((a || acks_frame || in_flight) && !opts_cut) {
		tp_add_uint(p, &fields[F_ANALYSIS], start, 0, 0);
		tp_push(p);
		if (t->rtt_set)
			tp_add_uint(p, &fields[F_A_IRTT], start, 0,
				    (uint64_t)t->rtt_ns);
		if (a) {
			tp_add_uint(p, &fields[F_A_FLAGS], start, 0, 0);
			tp_push(p);
			for (size_t i = 0; i < TP_COUNT(ana_items); i++) {
				if (!(a & ana_items[i].flag))
					continue;
				tp_add_uint(p, &fields[ana_items[i].field],
					    start, 0, 0);
				tp_add_event(p, &events[ana_items[i].event],
					     start);
			}
			tp_pop(p);
		}
		if (a & A_DUPACK) {
			/* Wireshark: the flag item and this one */
			tp_add_uint(p, &fields[F_A_DUPACK], start, 0, 0);
			tp_add_uint(p, &fields[F_A_DUPACK_NUM], start, 0,
				    dupnum);
			tp_add_uint(p, &fields[F_A_DUPACK_FRAME], start, 0,
				    dupframe);
		}
		tp_pop(p);
	}
	tp_add_uint(p, &fields[F_TIME_REL], start, 0,
		    (uint64_t)ns_between(f->first_sec, f->first_nsec, p->ts_sec,
					 p->ts_nsec));
	int64_t delta = 0;
	if (f->pkts[0] + f->pkts[1] > 1)
		delta = ns_between(t->prev_sec, t->prev_nsec, p->ts_sec,
				   p->ts_nsec);
	tp_add_uint(p, &fields[F_TIME_DELTA], start, 0, (uint64_t)delta);
	t->prev_sec = p->ts_sec;
	t->prev_nsec = p->ts_nsec;

	/* the bytes, to the reassembler when a tap or a stream dissector
	 * wants them; the first payload of a flow no dissector is pinned to
	 * yet goes to the probes */
	if (!t->reassemble && f->app.pinned)
		return a;
	tp_cursor pl = *c;
	pl.off = start + hlen;
	size_t n = tp_avail(&pl);
	if (n > g.seglen)
		n = g.seglen;
	const uint8_t *b = n ? tp_bytes(&pl, n) : NULL;
	if (!f->app.pinned && b && tp_app_tcp_probe(s, f, b, n))
		t->reassemble = true;
	if (!t->reassemble)
		return a;
	uint8_t sbuf[TP_FLOW_SINKCTX];
	tp_reasm_sink sk;
	if (g.flags & TH_SYN) {
		if (!fwd->r.base_set)
			tp_reasm_set_base(&fwd->r, g.seq + 1);
	}
	if (g.flags & TH_FIN) {
		fwd->fin = true;
		fwd->fin_seq = g.seq + g.seglen; /* the FIN's own slot */
	}
	if (g.flags & TH_ACK) {
		/* an ACK of the FIN acknowledges the data before it only */
		uint32_t upto = g.ack;
		if (rev->fin && upto == rev->fin_seq + 1)
			upto = rev->fin_seq;
		/* The receiver has bytes this capture lacks: a hole that will
		 * not fill.  Give it up on the third such ACK, not the first:
		 * a capture merged from two points can hold an ACK before the
		 * data it acknowledges (tshark waits for that data too). */
		if (rev->r.base_set &&
		    tp_reasm_offset(&rev->r, upto) > (int64_t)rev->r.next) {
			if (++rev->acks_ahead >= 3) {
				tp_flow_sink(s, f, !dir, p, sbuf, &sk);
				tp_reasm_ack(&rev->r, &s->mem, upto, &sk);
				rev->acks_ahead = 0;
			}
		} else {
			rev->acks_ahead = 0;
		}
	}
	if (n) { /* data on a RST too (RFC 9293 3.10.7.1), as tshark */
		tp_flow_sink(s, f, dir, p, sbuf, &sk);
		uint32_t at = (g.flags & TH_SYN) ? g.seq + 1 : g.seq;
		unsigned r = tp_reasm_add(&fwd->r, &s->mem, at, b, n, &sk);
		/* on TCP's layer: a stream dissector may have added more */
		if (r & TP_RA_OVERLAP_DIFF)
			tp_add_event_at(p, &events[E_OVERLAP_DIFF], li,
					start + hlen);
	}
	tp_tcpseg sg = {g.seq, g.ack, g.seglen, (uint32_t)n, g.flags,
			{t->d[0].r.base_set, t->d[1].r.base_set},
			{t->d[0].r.base, t->d[1].r.base}};
	tp_flow_segment(s, f, dir, &sg);
	tp_flow_holding(s, f);
	return a;
}

static tp_next tcp_dissect(tp_pkt *p, tp_cursor *c)
{
	if (p->in_error)
		return tcp_quoted(p, c);
	size_t start = c->off;
	size_t seg = tp_reported(c); /* what the IP layer says is here */
	if (seg < 20)
		tp_add_event(p, &events[E_SHORT], start);
	seginfo g;
	uint16_t sport = g.sport = tp_get_be16(p, c, &fields[F_SRCPORT]);
	uint16_t dport = g.dport = tp_get_be16(p, c, &fields[F_DSTPORT]);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &fields[F_PORT], start, 2, sport);
	tp_add_uint(p, &fields[F_PORT], start + 2, 2, dport);
	g.seq = tp_get_be32(p, c, &fields[F_SEQ_RAW]);
	g.ack = tp_get_be32(p, c, &fields[F_ACK_RAW]);
	size_t hat = c->off;
	uint16_t hf = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	add_flags(p, hat, hf);
	g.flags = hf & 0x0fff;
	g.win = tp_get_be16(p, c, &fields[F_WIN]);
	size_t sum_at = c->off;
	tp_get_be16(p, c, &fields[F_CKSUM]);
	if (tp_ok(c))
		check_sum(p, c, start, seg, sum_at);
	tp_get_be16(p, c, &fields[F_URP]);
	if (!tp_ok(c))
		return TP_STOP;
	size_t hlen = (hf >> 12) * 4u;
	if (hlen < 20) {
		tp_add_event(p, &events[E_HLEN_SHORT], hat);
		return TP_STOP;
	}
	note_relative(p, sport, dport, g.seq, g.ack, g.flags, start);
	if (hlen > seg) {
		tp_add_event(p, &events[E_HLEN_LONG], hat);
		return TP_STOP;
	}
	/* the payload length follows from the lengths, captured or not */
	tp_add_uint(p, &fields[F_LEN], start + hlen, 0, seg - hlen);
	g.seglen = (uint32_t)(seg - hlen);
	bool tracked = p->sess && !fragmented(p, p->nlayers - 1);
	if (hlen > 20) {
		tp_cursor oc = tp_sub(c, hlen - 20);
		add_option_bytes(p, &oc);
		tp_push(p);
		dissect_options(p, &oc);
		tp_pop(p);
		if (!tp_ok(&oc)) {
			if (tracked)
				track(p, c, g, start, hlen,
				      oc.status == TP_TRUNCATED);
			tp_fail(c, oc.status);
			return TP_STOP;
		}
	}
	unsigned a = tracked ? track(p, c, g, start, hlen, false) : 0;
	/* A flow pinned to a stream dissector: its reassembled bytes went
	 * there (the PDUs they completed are layers after this one). */
	if (tracked && p->flow && tp_app_is_stream(p->flow) &&
	    p->flow->tcp && p->flow->tcp->reassemble)
		return TP_CONSUMED;
	/* tshark hands the payload of a retransmitted or out-of-order
	 * segment (not a fast retransmission) to no dissector */
	if ((a & (A_RETRANS | A_OOO | A_SPURIOUS)) && !(a & A_FAST)) {
		tp_clamp(c, 0);
		return TP_STOP;
	}
	return (tp_next){TP_TAB_TCP_PORT, sport, dport};
}

/* ---- a reassembled PDU's segments (src/flow/stream.c) --------------------- */

void tp_tcp_pdu_segments(tp_pkt *p, const uint64_t *frames, unsigned n,
			 bool more, uint64_t len)
{
	tp_add_uint(p, &fields[F_SEGMENTS], 0, 0, 0);
	tp_push(p);
	for (unsigned i = 0; i < n; i++)
		tp_add_uint(p, &fields[F_SEGMENT], 0, 0, frames[i]);
	tp_add_uint(p, &fields[F_SEGMENT_COUNT], 0, 0, n);
	tp_add_uint(p, &fields[F_REASSEMBLED_LEN], 0, 0, len);
	tp_pop(p);
	if (more)
		tp_add_event(p, &events[E_SEGMENTS_CUT], 0);
}

/* ---- the one-line summary, as tcpdump's tcp_print -------------------- */

static void put_flags(tp_sbuf *s, unsigned flags)
{
	static const struct {
		unsigned bit;
		char ch;
	} names[] = {{TH_FIN, 'F'}, {TH_SYN, 'S'}, {TH_RST, 'R'},
		     {TH_PUSH, 'P'}, {TH_ACK, '.'}, {TH_URG, 'U'},
		     {TH_ECE, 'E'},	{TH_CWR, 'W'}};
	tp_sb_puts(s, "Flags [");
	if (!(flags & 0xff))
		tp_sb_puts(s, "none");
	for (size_t i = 0; i < TP_COUNT(names); i++)
		if (flags & names[i].bit)
			tp_sb_putc(s, names[i].ch);
	tp_sb_putc(s, ']');
}

/* A captured view of the option bytes with its own bounds: tcpdump's
 * option printer steps by what it decoded, not by the option length, so
 * it is mirrored here over the view the cursor handed out. */
typedef struct optview {
	const uint8_t *b;
	size_t cap; /* captured bytes of the view */
} optview;

static bool ov_has(const optview *v, size_t at, size_t n)
{
	return at <= v->cap && n <= v->cap - at;
}

static uint32_t ov_be(const optview *v, size_t at, unsigned n)
{
	uint32_t x = 0;
	for (unsigned i = 0; i < n; i++)
		x = x << 8 | v->b[at + i];
	return x;
}

static uint64_t ov_be64(const optview *v, size_t at)
{
	return (uint64_t)ov_be(v, at, 4) << 32 | ov_be(v, at + 4, 4);
}

static void put_hex64(tp_sbuf *s, uint64_t v)
{
	tp_sb_puts(s, "0x");
	tp_sb_hex(s, v, 1);
}

static void put_hexbytes(tp_sbuf *s, const optview *v, size_t at, size_t n)
{
	tp_sb_hexbytes(s, v->b + at, n, 0);
}

/* print-mptcp.c of tcpdump 4.99: returns false for "[bad opt]".  The
 * whole option is captured (the caller checked). */
static bool put_mptcp(tp_sbuf *s, const optview *v, size_t op, unsigned len,
		      unsigned flags)
{
	static const char *const names[] = {
		"capable",  "join", "dss",	  "add-addr", "rem-addr",
		"prio",	    "fail", "fast-close", "unknown"};
	if (len < 3)
		return false;
	unsigned sub = v->b[op + 2] >> 4;
	if (sub > 8)
		sub = 8;
	tp_sb_putc(s, ' ');
	tp_sb_dec(s, len);
	tp_sb_putc(s, ' ');
	tp_sb_puts(s, names[sub]);
	unsigned b2 = v->b[op + 2];
	unsigned b3 = len > 3 ? v->b[op + 3] : 0;
	switch (sub) {
	case 0: { /* capable */
		if (!((len == 12 || len == 4) && (flags & TH_SYN)) &&
		    !((len == 20 || len == 22) &&
		      (flags & (TH_SYN | TH_ACK)) == TH_ACK))
			return false;
		unsigned ver = b2 & 0x0f;
		if (ver > 1) {
			tp_sb_puts(s, " Unknown Version (");
			tp_sb_dec(s, ver);
			tp_sb_putc(s, ')');
			return true;
		}
		tp_sb_puts(s, " v");
		tp_sb_dec(s, ver);
		if (b3 & 0x80)
			tp_sb_puts(s, " csum");
		if (len == 12 || len >= 20) {
			tp_sb_puts(s, " {");
			put_hex64(s, ov_be64(v, op + 4));
			if (len >= 20) {
				tp_sb_putc(s, ',');
				put_hex64(s, ov_be64(v, op + 12));
			}
			tp_sb_putc(s, '}');
		}
		return true;
	}
	case 1: /* join */
		if (!(len == 12 && (flags & TH_SYN)) &&
		    !(len == 16 && (flags & (TH_SYN | TH_ACK)) ==
					   (TH_SYN | TH_ACK)) &&
		    !(len == 24 && (flags & TH_ACK)))
			return false;
		if (len != 24) {
			if (b2 & 0x01)
				tp_sb_puts(s, " backup");
			tp_sb_puts(s, " id ");
			tp_sb_dec(s, b3);
		}
		if (len == 12) {
			tp_sb_puts(s, " token 0x");
			tp_sb_hex(s, ov_be(v, op + 4, 4), 1);
			tp_sb_puts(s, " nonce 0x");
			tp_sb_hex(s, ov_be(v, op + 8, 4), 1);
		} else if (len == 16) {
			tp_sb_puts(s, " hmac ");
			put_hex64(s, ov_be64(v, op + 4));
			tp_sb_puts(s, " nonce 0x");
			tp_sb_hex(s, ov_be(v, op + 12, 4), 1);
		} else {
			tp_sb_puts(s, " hmac 0x");
			put_hexbytes(s, v, op + 4, 20);
		}
		return true;
	case 2: { /* dss */
		if (len < 4 || (flags & TH_SYN))
			return false;
		if (b3 & 0x10)
			tp_sb_puts(s, " fin");
		size_t at = op + 4;
		unsigned left = len - 4;
		if (b3 & 0x01) {
			tp_sb_puts(s, " ack ");
			unsigned w = b3 & 0x02 ? 8 : 4;
			if (left < w)
				return false;
			tp_sb_dec(s, w == 8 ? ov_be64(v, at) : ov_be(v, at, 4));
			at += w;
			left -= w;
		}
		if (b3 & 0x04) {
			tp_sb_puts(s, " seq ");
			unsigned w = b3 & 0x08 ? 8 : 4;
			if (left < w)
				return false;
			tp_sb_dec(s, w == 8 ? ov_be64(v, at) : ov_be(v, at, 4));
			at += w;
			left -= w;
			if (left < 4)
				return false;
			tp_sb_puts(s, " subseq ");
			tp_sb_dec(s, ov_be(v, at, 4));
			at += 4;
			left -= 4;
			if (left < 2)
				return false;
			tp_sb_puts(s, " len ");
			tp_sb_dec(s, ov_be(v, at, 2));
			at += 2;
			left -= 2;
			if (left >= 2) {
				tp_sb_puts(s, " csum 0x");
				tp_sb_hex(s, ov_be(v, at, 2), 1);
				left -= 2;
			}
		}
		return left == 0;
	}
	case 3: { /* add-addr */
		if (!(len == 8 || len == 10 || len == 16 || len == 18 ||
		      len == 20 || len == 22 || len == 28 || len == 30))
			return false;
		static const char *const echo[16] = {
			[0] = "v1", [1] = "v1-echo", [4] = "v0-ip4",
			[6] = "v0-ip6"};
		const char *e = echo[b2 & 0x0f];
		tp_sb_putc(s, ' ');
		tp_sb_puts(s, e ? e : "[bad version/echo]");
		tp_sb_puts(s, " id ");
		tp_sb_dec(s, b3);
		if (len <= 18) {
			tp_sb_putc(s, ' ');
			tp_sb_ipv4(s, v->b + op + 4);
			if (len == 10 || len == 18) {
				tp_sb_putc(s, ':');
				tp_sb_dec(s, ov_be(v, op + 8, 2));
			}
			if (len == 16 || len == 18) {
				tp_sb_puts(s, " hmac ");
				put_hex64(s, ov_be64(v, op + len - 8));
			}
		} else {
			tp_sb_putc(s, ' ');
			tp_sb_ipv6(s, v->b + op + 4);
			if (len == 22 || len == 30) {
				tp_sb_putc(s, ':');
				tp_sb_dec(s, ov_be(v, op + 20, 2));
			}
			if (len == 28 || len == 30) {
				tp_sb_puts(s, " hmac ");
				put_hex64(s, ov_be64(v, op + len - 8));
			}
		}
		return true;
	}
	case 4: /* rem-addr */
		if (len < 4)
			return false;
		tp_sb_puts(s, " id");
		for (unsigned i = 3; i < len; i++) {
			tp_sb_putc(s, ' ');
			tp_sb_dec(s, v->b[op + i]);
		}
		return true;
	case 5: /* prio */
		if (len != 3 && len != 4)
			return false;
		tp_sb_puts(s, b2 & 0x01 ? " backup" : " non-backup");
		if (len == 4) {
			tp_sb_puts(s, " id ");
			tp_sb_dec(s, b3);
		}
		return true;
	case 6: /* fail */
		if (len != 12)
			return false;
		tp_sb_puts(s, " seq ");
		tp_sb_dec(s, ov_be64(v, op + 4));
		return true;
	case 7: /* fast-close */
		if (len != 12)
			return false;
		tp_sb_puts(s, " key ");
		put_hex64(s, ov_be64(v, op + 4));
		return true;
	default:
		return true;
	}
}

static void put_tfo(tp_sbuf *s, const optview *v, size_t at, unsigned n)
{
	if (n == 0) {
		tp_sb_puts(s, " cookiereq");
	} else if (n % 2 || n < 4 || n > 16) {
		tp_sb_puts(s, " (invalid)");
	} else {
		tp_sb_puts(s, " cookie ");
		put_hexbytes(s, v, at, n);
	}
}

/* OPTS_TRUNC: cut where tcpdump's LENCHECK jumps to its own "trunc:"
 * label (" [|tcp]", then ">" after the first option); OPTS_CUT: where
 * its GET macros give up (the kind or length byte): " [|tcp]" only. */
enum { OPTS_OK, OPTS_BAD, OPTS_TRUNC, OPTS_CUT };

typedef struct optctx {
	unsigned flags;     /* the low 8 flag bits */
	uint32_t sack_base; /* what SACK edges are relative to */
	bool payload_captured;
} optctx;

static const char *option_name(unsigned opt)
{
	switch (opt) {
	case OPT_EOL: return "eol";
	case OPT_NOP: return "nop";
	case OPT_MSS: return "mss";
	case OPT_WSCALE: return "wscale";
	case OPT_SACK_PERM: return "sackOK";
	case OPT_SACK: return "sack";
	case OPT_ECHO: return "echo";
	case OPT_ECHOREPLY: return "echoreply";
	case OPT_TS: return "TS";
	case OPT_CC: return "cc";
	case OPT_CCNEW: return "ccnew";
	case OPT_CCECHO: return "";
	case OPT_MD5: return "md5";
	case OPT_SCPS: return "scps";
	case OPT_UTO: return "uto";
	case OPT_AO: return "tcp-ao";
	case OPT_MPTCP: return "mptcp";
	case OPT_TFO: return "tfo";
	case OPT_EXP2: return "exp";
	default: return NULL;
	}
}

/* One option's value text; `cp` is where its data starts, `hl` the
 * option bytes left after kind and length.  Sets *datalen to what was
 * decoded.  LENCHECK of tcpdump: past the header is bad, past the
 * capture is truncated. */
#define LENCHECK(l)                                                            \
	do {                                                                   \
		if ((l) > hl)                                                  \
			return OPTS_BAD;                                       \
		if (!ov_has(v, cp, (l)))                                       \
			return OPTS_TRUNC;                                     \
	} while (0)

static int put_option_value(tp_sbuf *s, const optview *v, size_t cp,
			    unsigned hl, unsigned opt, unsigned len,
			    const optctx *x, unsigned *datalen)
{
	unsigned dl = 0;
	switch (opt) {
	case OPT_MSS:
		dl = 2;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, ov_be(v, cp, 2));
		break;
	case OPT_WSCALE:
		dl = 1;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, v->b[cp]);
		break;
	case OPT_SACK:
		dl = len - 2;
		if (dl % 8) {
			tp_sb_puts(s, " invalid sack");
			break;
		}
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, dl / 8);
		tp_sb_putc(s, ' ');
		for (unsigned i = 0; i < dl; i += 8) {
			LENCHECK(i + 4);
			uint32_t a = ov_be(v, cp + i, 4) - x->sack_base;
			LENCHECK(i + 8);
			uint32_t b = ov_be(v, cp + i + 4, 4) - x->sack_base;
			tp_sb_putc(s, '{');
			tp_sb_dec(s, a);
			tp_sb_putc(s, ':');
			tp_sb_dec(s, b);
			tp_sb_putc(s, '}');
		}
		break;
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO:
	case OPT_ECHO:
	case OPT_ECHOREPLY:
		dl = 4;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, ov_be(v, cp, 4));
		break;
	case OPT_TS:
		dl = 8;
		LENCHECK(dl);
		tp_sb_puts(s, " val ");
		tp_sb_dec(s, ov_be(v, cp, 4));
		tp_sb_puts(s, " ecr ");
		tp_sb_dec(s, ov_be(v, cp + 4, 4));
		break;
	case OPT_MD5:
		dl = 16;
		LENCHECK(dl);
		/* tcpdump built with libcrypto, no -M secret */
		tp_sb_puts(s, x->payload_captured
				      ? " shared secret not supplied with -M, "
				      : " snaplen too short, ");
		tp_sb_puts(s, "can't check - ");
		put_hexbytes(s, v, cp, 16);
		break;
	case OPT_SCPS:
		dl = 2;
		LENCHECK(dl);
		tp_sb_puts(s, " cap ");
		tp_sb_hex(s, v->b[cp], 2);
		tp_sb_puts(s, " id ");
		tp_sb_dec(s, v->b[cp + 1]);
		break;
	case OPT_AO:
		dl = len - 2;
		if (dl < 2) {
			tp_sb_puts(s, " (invalid)");
			break;
		}
		LENCHECK(1);
		tp_sb_puts(s, " keyid ");
		tp_sb_dec(s, v->b[cp]);
		LENCHECK(2);
		tp_sb_puts(s, " rnextkeyid ");
		tp_sb_dec(s, v->b[cp + 1]);
		if (dl > 2) {
			tp_sb_puts(s, " mac 0x");
			for (unsigned i = 2; i < dl; i++) {
				LENCHECK(i + 1);
				tp_sb_hex(s, v->b[cp + i], 2);
			}
		}
		break;
	case OPT_EOL:
	case OPT_NOP:
	case OPT_SACK_PERM:
		break;
	case OPT_UTO: {
		dl = 2;
		LENCHECK(dl);
		unsigned uto = ov_be(v, cp, 2);
		tp_sb_puts(s, " 0x");
		tp_sb_hex(s, uto, 1);
		uto = uto & 1 ? (uto >> 1) * 60 : uto >> 1;
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, uto);
		break;
	}
	case OPT_MPTCP:
		dl = len - 2;
		LENCHECK(dl);
		if (!put_mptcp(s, v, cp - 2, len, x->flags))
			return OPTS_BAD;
		break;
	case OPT_TFO:
		dl = len - 2;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		put_tfo(s, v, cp, dl);
		break;
	case OPT_EXP2: {
		dl = len - 2;
		LENCHECK(dl);
		if (dl < 2)
			return OPTS_BAD;
		unsigned magic = ov_be(v, cp, 2);
		tp_sb_putc(s, '-');
		if (magic == 0xf989) {
			tp_sb_puts(s, "tfo");
			put_tfo(s, v, cp + 2, dl - 2);
		} else {
			tp_sb_hex(s, magic, 4);
		}
		break;
	}
	default:
		dl = len - 2;
		if (dl)
			tp_sb_puts(s, " 0x");
		for (unsigned i = 0; i < dl; i++) {
			LENCHECK(i + 1);
			tp_sb_hex(s, v->b[cp + i], 2);
		}
		break;
	}
	*datalen = dl;
	return OPTS_OK;
}

#undef LENCHECK

/* tcpdump's option loop.  *sep tells whether an option was printed (the
 * "]" tcpdump adds after "[bad opt]"). */
static int put_options(tp_sbuf *s, const optview *v, unsigned hl,
		       const optctx *x, char *sep)
{
	size_t cp = 0;
	char ch = 0;
	for (unsigned n = 0; hl > 0 && n < 2 * MAX_OPTIONS; n++) {
		if (ch)
			tp_sb_putc(s, ch);
		*sep = ch;
		if (!ov_has(v, cp, 1))
			return OPTS_CUT;
		unsigned opt = v->b[cp++];
		unsigned len = 1;
		if (opt != OPT_EOL && opt != OPT_NOP) {
			if (!ov_has(v, cp, 1))
				return OPTS_CUT;
			len = v->b[cp++];
			if (len < 2 || len > hl)
				return OPTS_BAD;
			hl--;
		}
		hl--;
		const char *name = option_name(opt);
		if (name) {
			tp_sb_puts(s, name);
		} else {
			tp_sb_puts(s, "unknown-");
			tp_sb_dec(s, opt);
		}
		unsigned dl = 0;
		int r = put_option_value(s, v, cp, hl, opt, len, x, &dl);
		if (r != OPTS_OK)
			return r;
		cp += dl;
		hl -= dl;
		dl += opt == OPT_EOL || opt == OPT_NOP ? 1 : 2;
		if (dl != len) {
			tp_sb_puts(s, "[len ");
			tp_sb_dec(s, len);
			tp_sb_putc(s, ']');
		}
		ch = ',';
		*sep = ch;
		if (opt == OPT_EOL)
			break;
	}
	return OPTS_OK;
}

/* -v: ", cksum 0x1234 (correct)" or "(incorrect -> 0x5678)", when the
 * checksum was verified (the whole segment captured, not a fragment:
 * where tcpdump verifies it too). */
static void put_cksum(const tp_pkt *p, unsigned li, tp_sbuf *s,
		      uint32_t length)
{
	const tp_field *sum = tp_layer_find(p, li, &fields[F_CKSUM]);
	const tp_field *calc = tp_layer_find(p, li, &fields[F_CKSUM_CALC]);
	uint16_t c;
	if (calc)
		c = (uint16_t)calc->v.u;
	else if (!p->layers[li].embedded ||
		 !tp_l4_cksum(p, li, TP_IPPROTO_TCP, length, 16, &c))
		return; /* a quoted segment: computed here if all there */
	if (!sum)
		return;
	tp_sb_puts(s, ", cksum 0x");
	tp_sb_hex(s, sum->v.u, 4);
	if (sum->v.u == c) {
		tp_sb_puts(s, " (correct)");
	} else {
		tp_sb_puts(s, " (incorrect -> 0x");
		tp_sb_hex(s, c, 4);
		tp_sb_putc(s, ')');
	}
}

/* The network layer says TCP directly (not through IPv6 extension
 * headers, whose printer then shows the addresses itself). */
static bool direct(const tp_pkt *p, unsigned li)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	return !a || a->proto == TP_IPPROTO_TCP;
}

static tp_sum tcp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	const tp_layer *l = &p->layers[li];
	/* one pass over the layer's fields for the eight the line needs;
	 * they are recorded in header order, the urgent pointer last */
	const tp_field *sp = NULL, *dp = NULL, *sq = NULL, *ak = NULL,
		       *hf = NULL, *fl = NULL, *wn = NULL, *up = NULL;
	/* tcp_dissect records a whole header in one order: the ports, the
	 * two tcp.port, raw SEQ and ACK, data offset, flags and their tree,
	 * window, checksum and its status, urgent pointer.  Take them from
	 * their places when they are there (the look below went through
	 * some 25 fields a segment); else look (a quote, a cut header). */
	enum { AT_WIN = 8 + F_FL_FIN - F_FL_RES + 1 };
	const tp_field *f0 = &p->fields[l->first_field];
	if (l->nfields > AT_WIN + 2 && f0[0].def == &fields[F_SRCPORT] &&
	    f0[1].def == &fields[F_DSTPORT] &&
	    f0[4].def == &fields[F_SEQ_RAW] &&
	    f0[5].def == &fields[F_ACK_RAW] &&
	    f0[6].def == &fields[F_HDR_LEN] && f0[7].def == &fields[F_FLAGS] &&
	    f0[AT_WIN].def == &fields[F_WIN]) {
		for (unsigned i = AT_WIN + 1; i <= AT_WIN + 4 && i < l->nfields;
		     i++)
			if (f0[i].def == &fields[F_URP]) {
				up = &f0[i];
				break;
			}
		if (up) {
			sp = f0;
			dp = f0 + 1;
			sq = f0 + 4;
			ak = f0 + 5;
			hf = f0 + 6;
			fl = f0 + 7;
			wn = f0 + AT_WIN;
		}
	}
	for (unsigned i = 0; i < l->nfields && !up; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		uintptr_t at = (uintptr_t)f->def, base = (uintptr_t)fields;
		if (at < base || at >= base + sizeof fields)
			continue; /* another table's field */
		switch ((at - base) / sizeof fields[0]) {
		case F_SRCPORT: sp = sp ? sp : f; break;
		case F_DSTPORT: dp = dp ? dp : f; break;
		case F_SEQ_RAW: sq = sq ? sq : f; break;
		case F_ACK_RAW: ak = ak ? ak : f; break;
		case F_HDR_LEN: hf = hf ? hf : f; break;
		case F_FLAGS: fl = fl ? fl : f; break;
		case F_WIN: wn = wn ? wn : f; break;
		case F_URP: up = f; break;
		default: break;
		}
	}
	const tp_netaddr *a = tp_nearest_addr(p, li);
	bool have_addr = a && a->src && a->dst;
	/* The IP payload length: what the layer below handed over (in an
	 * ICMP error's quote: what the quoted header says). */
	uint32_t length = tp_ip_payload_length(p, li);

	if (!sp || !dp) {
		if (have_addr) {
			tp_sb_addr(s, a, true);
			tp_sb_puts(s, " > ");
			tp_sb_addr(s, a, false);
			tp_sb_putc(s, ':');
		}
		if (length == 0) /* nothing to read: no event says it */
			tp_sb_puts(s, " [|tcp]");
		return TP_SUM_STOP;
	}
	bool addrs = have_addr && direct(p, li);
	if (addrs) {
		tp_sb_addr(s, a, true);
		tp_sb_putc(s, '.');
	}
	tp_sb_dec(s, sp->v.u);
	tp_sb_puts(s, " > ");
	if (addrs) {
		tp_sb_addr(s, a, false);
		tp_sb_putc(s, '.');
	}
	tp_sb_dec(s, dp->v.u);
	tp_sb_puts(s, ": ");
	if (!sq || !ak || !hf || !fl || !wn || !up) {
		/* header cut: " [|tcp]" follows (a quote has no event) */
		if (l->embedded)
			tp_sb_puts(s, " [|tcp]");
		return TP_SUM_STOP;
	}

	uint32_t hlen = (uint32_t)hf->v.u;
	if (hlen < 20) {
		tp_sb_puts(s, " tcp ");
		tp_sb_dec(s, (uint32_t)(length - hlen));
		tp_sb_puts(s, " [bad hdr length ");
		tp_sb_dec(s, hlen);
		tp_sb_puts(s, " - too short, < 20]");
		return TP_SUM_STOP;
	}
	if (o->qflag) {
		tp_sb_puts(s, "tcp ");
		tp_sb_dec(s, (uint32_t)(length - hlen));
		if (hlen > length) {
			tp_sb_puts(s, " [bad hdr length ");
			tp_sb_dec(s, hlen);
			tp_sb_puts(s, " - too long, > ");
			tp_sb_dec(s, length);
			tp_sb_putc(s, ']');
		}
		return TP_SUM_STOP;
	}
	unsigned flags = (unsigned)fl->v.u & 0xff;
	put_flags(s, flags);

	uint32_t seq = (uint32_t)sq->v.u, ack = (uint32_t)ak->v.u;
	uint32_t sack_base = 0;
	/* tcpdump's relative numbers, looked up when dissected */
	const tp_field *rel = find_note(p, li, (unsigned)(up - p->fields));
	if (rel && rel->def == &notes[N_REL]) {
		seq -= (uint32_t)(rel->v.u >> 32);
		sack_base = (uint32_t)rel->v.u;
		ack -= sack_base;
	} else if (rel) {
		sack_base = ack - 1;
	}
	if (hlen > length) {
		tp_sb_puts(s, " [bad hdr length ");
		tp_sb_dec(s, hlen);
		tp_sb_puts(s, " - too long, > ");
		tp_sb_dec(s, length);
		tp_sb_putc(s, ']');
		return TP_SUM_STOP;
	}
	if (o->vflag)
		put_cksum(p, li, s, length);
	length -= hlen;
	if (o->vflag > 1 || length > 0 || (flags & (TH_SYN | TH_FIN | TH_RST))) {
		tp_sb_puts(s, ", seq ");
		tp_sb_dec(s, seq);
		if (length > 0) {
			tp_sb_putc(s, ':');
			tp_sb_dec(s, (uint32_t)(seq + length));
		}
	}
	if (flags & TH_ACK) {
		tp_sb_puts(s, ", ack ");
		tp_sb_dec(s, ack);
	}
	tp_sb_puts(s, ", win ");
	tp_sb_dec(s, wn->v.u);
	if (flags & TH_URG) {
		tp_sb_puts(s, ", urg ");
		tp_sb_dec(s, up->v.u);
	}
	if (hlen > 20) {
		/* the captured option bytes: the view tcp.options holds */
		const tp_field *of = tp_layer_find(p, li, &fields[F_OPTIONS]);
		optview v = {of ? of->v.p : NULL, of ? of->vlen : 0};
		optctx x = {flags, sack_base,
			    (uint64_t)l->off + hlen + length <= p->caplen};
		char sep = 0;
		tp_sb_puts(s, ", options [");
		int r = put_options(s, &v, hlen - 20, &x, &sep);
		if (r == OPTS_BAD) {
			tp_sb_puts(s, "[bad opt]");
			if (sep)
				tp_sb_putc(s, ']');
			return TP_SUM_STOP;
		}
		if (r == OPTS_TRUNC) {
			/* tcpdump's "trunc:" in tcp_print: the marker, and
			 * ">" once an option was printed (the events do not
			 * repeat the marker) */
			tp_sb_puts(s, sep ? " [|tcp]>" : " [|tcp]");
			return TP_SUM_STOP;
		}
		if (r == OPTS_CUT)
			return TP_SUM_STOP; /* " [|tcp]" follows */
		tp_sb_putc(s, ']');
	}
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, length);
	/* An application layer above goes on after ": " (tcpdump: the
	 * port's printer). */
	const tp_layer *nx = li + 1 < p->nlayers ? &p->layers[li + 1] : NULL;
	if (length && nx && nx->d != &tp_diss_data && nx->d->summarize)
		return TP_SUM_NEXT;
	return TP_SUM_STOP;
}

static const tp_key tcp_keys[] = {{TP_TAB_IPPROTO, TP_IPPROTO_TCP}, {0, 0}};

const tp_dissector tp_diss_tcp = {
	.name = "tcp",
	.longname = "Transmission Control Protocol",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = tcp_keys,
	.dissect = tcp_dissect,
	.summarize = tcp_summarize,
};
