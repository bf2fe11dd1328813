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
#include "tapir/layerfields.h"
#include "tcp_int.h"


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

const tp_field_def tp_tcp_fields[F_COUNT] = {
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
	/* hidden here (tshark's tree shows them in the SEQ/ACK analysis) */
	[F_A_ACKS_FRAME] = {"tcp.analysis.acks_frame",
			    "This is an ACK to the segment in frame",
			    TP_FT_FRAMENUM, TP_BASE_NONE | TP_BASE_HIDDEN, NULL,
			    0},
	[F_A_ACK_RTT] = {"tcp.analysis.ack_rtt",
			 "The RTT to ACK the segment was", TP_FT_RELATIVE_TIME,
			 TP_BASE_NONE | TP_BASE_HIDDEN, NULL, 0},
	[F_A_BIF] = {"tcp.analysis.bytes_in_flight", "Bytes in flight", U32,
		     DEC | TP_BASE_HIDDEN, NULL, 0},
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
	/* hidden here (tshark's tree shows "TCP payload (N bytes)") */
	[F_PAYLOAD] = {"tcp.payload", "TCP payload", TP_FT_BYTES,
		       TP_BASE_NONE | TP_BASE_HIDDEN, NULL, 0},
};

const tp_field_def *const tp_fd_tcp_srcport = &tp_tcp_fields[F_SRCPORT];
const tp_field_def *const tp_fd_tcp_dstport = &tp_tcp_fields[F_DSTPORT];
const tp_field_def *const tp_fd_tcp_stream = &tp_tcp_fields[F_STREAM];

const tp_event_def tp_tcp_events[E_COUNT] = {
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

/* ---- options -------------------------------------------------------- */

static const tp_field_def *option_proto(unsigned kind)
{
	switch (kind) {
	case OPT_EOL: return &tp_tcp_fields[F_O_EOL];
	case OPT_NOP: return &tp_tcp_fields[F_O_NOP];
	case OPT_MSS: return &tp_tcp_fields[F_O_MSS];
	case OPT_WSCALE: return &tp_tcp_fields[F_O_WSCALE];
	case OPT_SACK_PERM: return &tp_tcp_fields[F_O_SACK_PERM];
	case OPT_SACK: return &tp_tcp_fields[F_O_SACK];
	case OPT_ECHO: return &tp_tcp_fields[F_O_ECHO];
	case OPT_ECHOREPLY: return &tp_tcp_fields[F_O_ECHOREPLY];
	case OPT_TS: return &tp_tcp_fields[F_O_TS];
	case OPT_CC: return &tp_tcp_fields[F_O_CC];
	case OPT_CCNEW: return &tp_tcp_fields[F_O_CCNEW];
	case OPT_CCECHO: return &tp_tcp_fields[F_O_CCECHO];
	case OPT_MD5: return &tp_tcp_fields[F_O_MD5];
	case OPT_UTO: return &tp_tcp_fields[F_O_UTO];
	case OPT_AO: return &tp_tcp_fields[F_O_AO];
	case OPT_MPTCP: return &tp_tcp_fields[F_O_MPTCP];
	case OPT_TFO: return &tp_tcp_fields[F_O_TFO];
	case OPT_EXP1:
	case OPT_EXP2: return &tp_tcp_fields[F_O_EXP];
	default: return &tp_tcp_fields[F_O_UNKNOWN];
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
	tp_add_uint(p, &tp_tcp_fields[F_MP_SUBTYPE], at, 1, subtype);
	if (subtype != 0)
		return; /* other subtypes: the subtype is enough for now */
	tp_add_uint(p, &tp_tcp_fields[F_MP_VERSION], at, 1, b & 0x0f);
	if (len >= 4)
		tp_get_u8(p, o, &tp_tcp_fields[F_MP_FLAGS]);
	if (len >= 12)
		get_be64(p, o, &tp_tcp_fields[F_MP_SENDKEY]);
	if (len >= 20)
		get_be64(p, o, &tp_tcp_fields[F_MP_RECVKEY]);
}

/* The value part of one option: `o` covers the whole option (kind and
 * length already read), `len` bytes in all. */
static void option_value(tp_pkt *p, tp_cursor *o, unsigned kind,
			 unsigned len, size_t at)
{
	unsigned fixed = option_fixed_len(kind);
	if (fixed && len != fixed) {
		tp_add_event(p, &tp_tcp_events[E_OPT_LEN_FIXED], at);
		return;
	}
	switch (kind) {
	case OPT_MSS:
		tp_get_be16(p, o, &tp_tcp_fields[F_MSS_VAL]);
		break;
	case OPT_WSCALE: {
		size_t vat = o->off;
		uint8_t shift = tp_get_u8(p, o, &tp_tcp_fields[F_WS_SHIFT]);
		if (!tp_ok(o))
			break;
		if (shift > 14) {
			tp_add_event(p, &tp_tcp_events[E_WSCALE], vat);
			shift = 14;
		}
		tp_add_uint(p, &tp_tcp_fields[F_WS_MULT], vat, 0, 1u << shift);
		break;
	}
	case OPT_SACK:
		if ((len - 2) % 8) {
			tp_add_event(p, &tp_tcp_events[E_SACK_LEN], at);
			break;
		}
		for (unsigned i = 0; i < (len - 2) / 8; i++) {
			tp_get_be32(p, o, &tp_tcp_fields[F_SACK_LE]);
			tp_get_be32(p, o, &tp_tcp_fields[F_SACK_RE]);
		}
		if (tp_ok(o))
			tp_add_uint(p, &tp_tcp_fields[F_SACK_COUNT], at, 0,
				    (len - 2) / 8);
		break;
	case OPT_ECHO:
	case OPT_ECHOREPLY:
		tp_get_be32(p, o, &tp_tcp_fields[F_ECHO_VAL]);
		break;
	case OPT_TS:
		tp_get_be32(p, o, &tp_tcp_fields[F_TSVAL]);
		tp_get_be32(p, o, &tp_tcp_fields[F_TSECR]);
		break;
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO:
		tp_get_be32(p, o, &tp_tcp_fields[F_CC_VAL]);
		break;
	case OPT_MD5:
		tp_get_bytes(p, o, &tp_tcp_fields[F_MD5_DIGEST], 16);
		break;
	case OPT_UTO: {
		size_t vat = o->off;
		uint16_t v = tp_be16(o);
		if (!tp_ok(o))
			break;
		tp_add_uint(p, &tp_tcp_fields[F_UTO_GRAN], vat, 2, v >> 15);
		tp_add_uint(p, &tp_tcp_fields[F_UTO_VAL], vat, 2, v & 0x7fff);
		break;
	}
	case OPT_AO:
		if (len < 4) {
			tp_add_event(p, &tp_tcp_events[E_OPT_LEN_FIXED], at);
			break;
		}
		tp_get_u8(p, o, &tp_tcp_fields[F_AO_KEYID]);
		tp_get_u8(p, o, &tp_tcp_fields[F_AO_RNEXT]);
		if (len > 4)
			tp_get_bytes(p, o, &tp_tcp_fields[F_AO_MAC], len - 4);
		break;
	case OPT_MPTCP:
		if (len < 3) {
			tp_add_event(p, &tp_tcp_events[E_OPT_LEN_FIXED], at);
			break;
		}
		option_mptcp(p, o, len);
		break;
	case OPT_TFO:
		if (len == 2)
			tp_add_uint(p, &tp_tcp_fields[F_TFO_REQ], at, 2, 0);
		else
			tp_get_bytes(p, o, &tp_tcp_fields[F_TFO_COOKIE], len - 2);
		break;
	case OPT_EXP1:
	case OPT_EXP2:
		if (len >= 4)
			tp_get_be16(p, o, &tp_tcp_fields[F_EXP_EXID]);
		if (len > 4)
			tp_get_bytes(p, o, &tp_tcp_fields[F_EXP_DATA], len - 4);
		else if (len == 3)
			tp_get_bytes(p, o, &tp_tcp_fields[F_EXP_DATA], 1);
		break;
	case OPT_SACK_PERM:
		break;
	default:
		if (len > 2)
			tp_get_bytes(p, o, &tp_tcp_fields[F_UNKNOWN_PAYLOAD],
				     len - 2);
		break;
	}
}

/* Walk the options in `oc` (exactly the option bytes of the header).
 * The status of `oc` says whether the capture cut them.  As Wireshark,
 * the walk goes on after EOL: zero padding shows as more EOLs; anything
 * else there gets a warning and ends the walk (it is padding, not
 * options). */
/* The options; *sack set when a SACK option is among them. */
static void dissect_options(tp_pkt *p, tp_cursor *oc, bool *sack)
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
			tp_add_event(p, &tp_tcp_events[E_AFTER_EOL], at);
			return;
		}
		const tp_field_def *proto = option_proto((unsigned)kind);
		if (kind == OPT_EOL || kind == OPT_NOP) {
			tp_add_uint(p, proto, at, 1, 0);
			tp_push(p);
			tp_get_u8(p, oc, &tp_tcp_fields[F_OPT_KIND]);
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
			tp_get_u8(p, oc, &tp_tcp_fields[F_OPT_KIND]);
			tp_pop(p);
			tp_add_event(p, &tp_tcp_events[E_OPT_LEN], at);
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
			tp_get_u8(p, oc, &tp_tcp_fields[F_OPT_KIND]);
			tp_get_u8(p, oc, &tp_tcp_fields[F_OPT_LEN]);
			tp_pop(p);
			tp_add_event(p, &tp_tcp_events[E_OPT_LEN], at + 1);
			return; /* the rest cannot be delimited */
		}
		tp_cursor o = tp_sub(oc, (size_t)len);
		if (kind == OPT_SACK)
			*sack = true;
		tp_add_uint(p, proto, at, (size_t)len, 0);
		tp_push(p);
		tp_get_u8(p, &o, &tp_tcp_fields[F_OPT_KIND]);
		tp_get_u8(p, &o, &tp_tcp_fields[F_OPT_LEN]);
		option_value(p, &o, (unsigned)kind, (unsigned)len, at);
		tp_pop(p);
		if (!tp_ok(&o)) {
			tp_fail(oc, o.status);
			return;
		}
	}
}

/* A lean run (no output shows the option fields: p->lean) passes over
 * options that are all captured, well formed and of the kinds nearly
 * every segment carries (NOP, EOL padding, timestamps, SACK blocks) on a
 * segment without SYN (whose window scale the analysis reads): the walk
 * above would record no event for them, only fields nobody reads.  The
 * line prints them from the tcp.options bytes. */
static bool options_plain(const tp_pkt *p, const tp_cursor *oc,
			  uint16_t flags)
{
	if (!p->lean || (flags & TH_SYN))
		return false;
	size_t n = tp_reported(oc);
	if (tp_avail(oc) < n)
		return false;
	tp_cursor v = *oc;
	const uint8_t *b = tp_bytes(&v, n);
	if (!b)
		return false;
	for (size_t i = 0; i < n;) {
		unsigned k = b[i];
		if (k == OPT_NOP) {
			i++;
			continue;
		}
		if (k == OPT_EOL) { /* then padding, all EOL */
			while (i < n && b[i] == OPT_EOL)
				i++;
			return i == n;
		}
		if (n - i < 2)
			return false;
		unsigned len = b[i + 1];
		bool ok = k == OPT_TS ? len == 10
			  : k == OPT_SACK ? len >= 10 && (len - 2) % 8 == 0
					  : false;
		if (!ok || len > n - i)
			return false;
		i += len;
	}
	return true;
}

/* ---- checksum --------------------------------------------------------- */

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
	    tp_has(&t, seg) && !tp_fragmented(p, li)) {
		const uint8_t *v = tp_bytes(&t, seg);
		uint32_t s = tp_cksum_pseudo(a->family, a->src,
					     tp_pseudo_dst(p, li),
					     TP_IPPROTO_TCP, (uint32_t)seg);
		s = tp_cksum_add(s, v, 16);
		s = tp_cksum_add(s, v + 18, seg - 18);
		uint16_t calc = tp_cksum_fold(s);
		uint16_t sum = (uint16_t)(v[16] << 8 | v[17]);
		/* 0x0000 and 0xffff are the same in one's complement: the
		 * sum over the segment with its field is right (tcpdump,
		 * Wireshark) */
		if (calc == 0 && sum == 0xffff)
			calc = 0xffff;
		status = calc == sum ? TP_CKSUM_GOOD
			 : tp_cksum_offloaded(a->family, a->src, a->dst,
					      TP_IPPROTO_TCP, (uint32_t)seg, sum)
			     ? TP_CKSUM_OFFLOADED
			     : TP_CKSUM_BAD;
		tp_add_uint(p, &tp_tcp_fields[F_CKSUM_STATUS], sum_at, 0, status);
		tp_add_uint(p, &tp_tcp_fields[F_CKSUM_CALC], sum_at, 0, calc);
		if (status == TP_CKSUM_BAD)
			tp_add_event(p, &tp_tcp_events[E_CKSUM_BAD], sum_at);
		return;
	}
	tp_add_uint(p, &tp_tcp_fields[F_CKSUM_STATUS], sum_at, 0, status);
}

/* ---- the header ------------------------------------------------------- */

/* Data offset + flags: two bytes, three fields and the flag tree. */
static void add_flags(tp_pkt *p, size_t at, uint16_t hf)
{
	uint16_t flags = hf & 0x0fff;
	tp_add_uint(p, &tp_tcp_fields[F_HDR_LEN], at, 1, (hf >> 12) * 4u);
	tp_add_uint(p, &tp_tcp_fields[F_FLAGS], at, 2, flags);
	if (p->lean) /* the line reads tcp.flags; nobody the bits */
		return;
	tp_push(p);
	tp_add_bits(p, &tp_tcp_fields[F_FL_RES], F_FL_FIN - F_FL_RES + 1, at, 2,
		    flags);
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
		tp_add_bytes(p, &tp_tcp_fields[F_OPTIONS], at, tp_reported(oc), b, n);
}

/* ---- tcpdump's relative sequence numbers ---------------------------- */

/* Notes for the line (pipeline.h), registered nowhere: what the line
 * subtracts from the segment's SEQ (high 32 bits) and ACK (low 32), or,
 * for the first segment tcpdump saw of the connection (and a SYN), that
 * both are printed absolute. */
const tp_field_def tp_tcp_notes[2] = {
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
/* tcpdump's numbers need its table's slot for the connection, a cache
 * miss on a busy capture: the slot was fetched when the ports were read
 * (prefetch_state), and the note is made here, at its place, but filled
 * in after the options (note_fill), by when the slot has come.  Returns
 * the note's index in the record, or UINT32_MAX for none. */
static uint32_t note_relative(tp_pkt *p, uint16_t flags, size_t at)
{
	tp_dctx *x = p->dctx;
	if (!x || !x->seqtab || !(flags & TH_ACK) ||
	    (p->in_error && !x->seq_quoted))
		return UINT32_MAX;
	/* a fragment's line comes from a dissection without a session
	 * (tp_line_record): that one looks it up (pipeline.c) */
	if (p->sess && (x->separate || p->reasm))
		return UINT32_MAX;
	const tp_netaddr *a = tp_nearest_addr(p, p->nlayers - 1);
	if (!a || !a->src || !a->dst || (a->family != 4 && a->family != 6))
		return UINT32_MAX;
	uint32_t i = p->nfields;
	return tp_add_uint(p, &tp_tcp_notes[N_FIRST], at, 0, 0) ? i : UINT32_MAX;
}

static void note_fill(tp_pkt *p, uint32_t i, uint16_t sport, uint16_t dport,
		      uint32_t seq, uint32_t ack, uint16_t flags)
{
	if (i == UINT32_MAX)
		return;
	const tp_netaddr *a = tp_nearest_addr(p, p->nlayers - 1);
	uint32_t rs = seq, ra = ack;
	if (tp_seq_relative(p->dctx->seqtab, a->src, a->dst,
			    a->family == 6 ? 16 : 4, sport, dport,
			    (flags & TH_SYN) != 0, &rs, &ra)) {
		p->fields[i].def = &tp_tcp_notes[N_REL];
		p->fields[i].v.u = (uint64_t)(seq - rs) << 32 | (uint32_t)(ack - ra);
	}
}

/* The note of layer `li`: right after its urgent pointer (index `after`
 * in the record), or, on a line record, after every layer's fields. */
const tp_field *tp_tcp_find_note(const tp_pkt *p, unsigned li, unsigned after)
{
	const tp_layer *l = &p->layers[li];
	unsigned i = after + 1;
	if (i < (unsigned)l->first_field + l->nfields &&
	    (p->fields[i].def == &tp_tcp_notes[N_REL] ||
	     p->fields[i].def == &tp_tcp_notes[N_FIRST]))
		return &p->fields[i];
	for (i = tp_layers_end(p); i < p->nfields; i++)
		if (p->fields[i].layer == li &&
		    (p->fields[i].def == &tp_tcp_notes[N_REL] ||
		     p->fields[i].def == &tp_tcp_notes[N_FIRST]))
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
		tp_add_uint(p, &tp_tcp_fields[F_STREAM], at, 0, f->stream);
}

/* Inside an ICMP error: the quote is often only the first 8 bytes (ports
 * and sequence number).  Take each field that is there, flag nothing. */
static tp_next tcp_quoted(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off;
	if (!tp_has(c, 2))
		return TP_STOP;
	uint16_t sport = tp_get_be16(p, c, &tp_tcp_fields[F_SRCPORT]);
	if (!tp_has(c, 2))
		return TP_STOP;
	uint16_t dport = tp_get_be16(p, c, &tp_tcp_fields[F_DSTPORT]);
	tp_add_uint(p, &tp_tcp_fields[F_PORT], at, 2, sport);
	tp_add_uint(p, &tp_tcp_fields[F_PORT], at + 2, 2, dport);
	quoted_stream(p, at, sport, dport);
	if (!tp_has(c, 4))
		return TP_STOP;
	uint32_t seq = tp_get_be32(p, c, &tp_tcp_fields[F_SEQ_RAW]);
	if (!tp_has(c, 4))
		return TP_STOP;
	uint32_t ack = tp_get_be32(p, c, &tp_tcp_fields[F_ACK_RAW]);
	if (!tp_has(c, 2))
		return TP_STOP;
	size_t hat = c->off;
	uint16_t hf = tp_be16(c);
	add_flags(p, hat, hf);
	if (!tp_has(c, 2))
		return TP_STOP;
	tp_get_be16(p, c, &tp_tcp_fields[F_WIN]);
	if (!tp_has(c, 2))
		return TP_STOP;
	tp_get_be16(p, c, &tp_tcp_fields[F_CKSUM]);
	if (!tp_has(c, 2))
		return TP_STOP;
	tp_get_be16(p, c, &tp_tcp_fields[F_URP]);
	size_t hlen = (hf >> 12) * 4u;
	if (hlen >= 20)
		note_fill(p, note_relative(p, hf & 0x0fff, at), sport, dport,
			  seq, ack, hf & 0x0fff);
	if (hlen > 20 && tp_has(c, hlen - 20)) {
		tp_cursor oc = tp_sub(c, hlen - 20);
		add_option_bytes(p, &oc);
		tp_push(p);
		bool sack = false;
		dissect_options(p, &oc, &sack);
		tp_pop(p);
	}
	return TP_STOP;
}

/* Once the ports are read: start the flow lookup and tcpdump's table
 * lookup (flow.c's prefetching), whose misses then overlap the rest of
 * the header. */
static void prefetch_state(const tp_pkt *p, uint16_t sport, uint16_t dport)
{
	if (p->in_error)
		return;
	const tp_netaddr *na = tp_nearest_addr(p, p->nlayers - 1);
	if (!na || !na->src || !na->dst || (na->family != 4 && na->family != 6))
		return;
	if (p->sess)
		tp_flow_prefetch(p->sess, p, na->family, TP_IPPROTO_TCP,
				 na->src, na->dst, sport, dport);
	if (p->dctx && p->dctx->seqtab)
		tp_seqtab_prefetch(p->dctx->seqtab, na->src, na->dst,
				   na->family == 6 ? 16 : 4, sport, dport);
}

static tp_next tcp_dissect(tp_pkt *p, tp_cursor *c)
{
	if (p->in_error)
		return tcp_quoted(p, c);
	size_t start = c->off;
	size_t seg = tp_reported(c); /* what the IP layer says is here */
	if (seg < 20)
		tp_add_event(p, &tp_tcp_events[E_SHORT], start);
	seginfo g;
	g.opt_lo = g.opt_hi = 0;
	uint16_t sport = g.sport = tp_get_be16(p, c, &tp_tcp_fields[F_SRCPORT]);
	uint16_t dport = g.dport = tp_get_be16(p, c, &tp_tcp_fields[F_DSTPORT]);
	if (!tp_ok(c))
		return TP_STOP;
	prefetch_state(p, sport, dport);
	tp_add_uint(p, &tp_tcp_fields[F_PORT], start, 2, sport);
	tp_add_uint(p, &tp_tcp_fields[F_PORT], start + 2, 2, dport);
	g.seq = tp_get_be32(p, c, &tp_tcp_fields[F_SEQ_RAW]);
	g.ack = tp_get_be32(p, c, &tp_tcp_fields[F_ACK_RAW]);
	size_t hat = c->off;
	uint16_t hf = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	if (p->sess)
		tp_flow_prefetch_flow(p->sess); /* the bucket has come */
	add_flags(p, hat, hf);
	g.flags = hf & 0x0fff;
	g.win = tp_get_be16(p, c, &tp_tcp_fields[F_WIN]);
	size_t sum_at = c->off;
	tp_get_be16(p, c, &tp_tcp_fields[F_CKSUM]);
	if (tp_ok(c))
		check_sum(p, c, start, seg, sum_at);
	tp_get_be16(p, c, &tp_tcp_fields[F_URP]);
	if (!tp_ok(c))
		return TP_STOP;
	size_t hlen = (hf >> 12) * 4u;
	if (hlen < 20) {
		tp_add_event(p, &tp_tcp_events[E_HLEN_SHORT], hat);
		return TP_STOP;
	}
	uint32_t note = note_relative(p, g.flags, start);
	if (hlen > seg) {
		note_fill(p, note, sport, dport, g.seq, g.ack, g.flags);
		tp_add_event(p, &tp_tcp_events[E_HLEN_LONG], hat);
		return TP_STOP;
	}
	/* the payload length follows from the lengths, captured or not */
	tp_add_uint(p, &tp_tcp_fields[F_LEN], start + hlen, 0, seg - hlen);
	g.seglen = (uint32_t)(seg - hlen);
	bool tracked = p->sess && !tp_fragmented(p, p->nlayers - 1);
	if (hlen > 20) {
		tp_cursor oc = tp_sub(c, hlen - 20);
		add_option_bytes(p, &oc);
		tp_push(p);
		g.opt_lo = p->nfields;
		bool sack = false;
		if (options_plain(p, &oc, g.flags))
			tp_skip(&oc, tp_reported(&oc));
		else
			dissect_options(p, &oc, &sack);
		g.opt_hi = sack ? p->nfields : g.opt_lo; /* SACK edges to rebase */
		tp_pop(p);
		note_fill(p, note, sport, dport, g.seq, g.ack, g.flags);
		note = UINT32_MAX;
		if (!tp_ok(&oc)) {
			if (tracked)
				tp_tcp_track(p, c, g, start, hlen,
				      oc.status == TP_TRUNCATED);
			tp_fail(c, oc.status);
			return TP_STOP;
		}
	}
	note_fill(p, note, sport, dport, g.seq, g.ack, g.flags);
	unsigned a = tracked ? tp_tcp_track(p, c, g, start, hlen, false) : 0;
	if (!p->lean && g.seglen) {
		/* the captured part of the segment's payload */
		tp_cursor pl = *c;
		pl.off = start + hlen;
		size_t n = tp_avail(&pl);
		if (n > g.seglen)
			n = g.seglen;
		if (n)
			tp_add_bytes(p, &tp_tcp_fields[F_PAYLOAD], start + hlen,
				     n, tp_bytes(&pl, n), n);
	}
	/* A flow pinned to a stream dissector: its reassembled bytes went
	 * there (the PDUs they completed are layers after this one). */
	if (tracked && p->flow && tp_app_is_stream(p->flow) &&
	    p->flow->tcp &&
	    (p->flow->tcp->reassemble || p->flow->app.released))
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
	tp_add_uint(p, &tp_tcp_fields[F_SEGMENTS], 0, 0, 0);
	tp_push(p);
	for (unsigned i = 0; i < n; i++)
		tp_add_uint(p, &tp_tcp_fields[F_SEGMENT], 0, 0, frames[i]);
	tp_add_uint(p, &tp_tcp_fields[F_SEGMENT_COUNT], 0, 0, n);
	tp_add_uint(p, &tp_tcp_fields[F_REASSEMBLED_LEN], 0, 0, len);
	tp_pop(p);
	if (more)
		tp_add_event(p, &tp_tcp_events[E_SEGMENTS_CUT], 0);
}

static const tp_key tcp_keys[] = {{TP_TAB_IPPROTO, TP_IPPROTO_TCP}, {0, 0}};

const tp_dissector tp_diss_tcp = {
	.name = "tcp",
	.colname = "TCP",
	.longname = "Transmission Control Protocol",
	.fields = tp_tcp_fields,
	.nfields = F_COUNT,
	.events = tp_tcp_events,
	.nevents = E_COUNT,
	.keys = tcp_keys,
	.dissect = tcp_dissect,
	.summarize = tp_tcp_summarize,
};
