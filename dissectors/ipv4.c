/* ipv4.c - Internet Protocol version 4 and its header options.
 *
 * RFC 791 section 3.1 (header, options EOL, NOP, security, LSRR, SSRR,
 * record route, stream identifier, timestamp), RFC 2474 and RFC 3168
 * section 5 (DS field: DSCP and ECN), RFC 1108 (security), RFC 1063 (MTU
 * probe and reply), RFC 1393 (traceroute), RFC 2113 (router alert),
 * RFC 4782 (quick-start), RFC 1770 (selective directed broadcast),
 * RFC 2003 (IP in IP: protocol 4 hands back to this dissector).
 *
 * The total length clamps the payload, so Ethernet padding never reaches
 * the next layer.  Inside an ICMP error (p->in_error) the quoted datagram
 * is cut by design: a total length past its end is not flagged.
 *
 * Fragments (RFC 791 section 3.2).  With a session that defragments
 * (p->sess->frags), a whole fragment (all of its payload captured, its
 * total length consistent) goes to the fragment table (ipfrag.h); its
 * bytes become data, as tshark shows them with ip.defragment on, even the
 * first fragment's.  The fragment that completes the datagram carries
 * Wireshark's ip.fragments tree (ip.fragment per frame, ip.fragment.count,
 * ip.reassembled.length) and the upper layers read the whole datagram
 * (p->reasm).  A cut fragment is left alone, as tshark leaves it.
 * Without defragmentation non-first fragments stop here (their bytes become
 * data); a first fragment is dissected as far as it goes, as tshark does
 * with ip.defragment off.
 */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/flow.h"
#include "tapir/inet.h"
#include "tapir/ipfrag.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/layerfields.h"

/* At most 40 bytes of options, each at least one byte long. */
#define IP_MAX_OPTIONS 40

enum {
	F_VERSION,
	F_HDR_LEN,
	F_DSFIELD,
	F_DSCP,
	F_ECN,
	F_LEN,
	F_ID,
	F_FLAGS,
	F_RB,
	F_DF,
	F_MF,
	F_FRAG,
	F_TTL,
	F_PROTO,
	F_CKSUM,
	F_CKSUM_STATUS,
	F_SRC,
	F_DST,
	F_CUR_RT,
	F_OPT_TYPE,
	F_OPT_COPY,
	F_OPT_CLASS,
	F_OPT_NUMBER,
	F_OPT_LEN,
	F_OPT_PTR,
	F_OPT_SID,
	F_OPT_MTU,
	F_OPT_ID_NUMBER,
	F_OPT_OHC,
	F_OPT_RHC,
	F_OPT_ORIGINATOR,
	F_OPT_RA,
	F_OPT_ADDR,
	F_OPT_PADDING,
	F_OPT_QS_FUNC,
	F_OPT_QS_RATE,
	F_OPT_QS_TTL,
	F_OPT_QS_TTL_DIFF,
	F_OPT_QS_UNUSED,
	F_OPT_QS_NONCE,
	F_OPT_QS_RESERVED,
	F_OPT_SEC791_SEC,
	F_OPT_SEC791_COMP,
	F_OPT_SEC791_HR,
	F_OPT_SEC791_TCC,
	F_OPT_SEC_CL,
	F_OPT_SEC_PAF,
	F_OPT_SEC_PAF_GENSER,
	F_OPT_SEC_PAF_SIOP,
	F_OPT_SEC_PAF_SCI,
	F_OPT_SEC_PAF_NSA,
	F_OPT_SEC_PAF_DOE,
	F_OPT_SEC_PAF_UNASSIGNED,
	F_OPT_SEC_PAF_FTI,
	F_REC_RT,
	F_SRC_RT,
	F_EMPTY_RT,
	F_OPT_OVERFLOW,
	F_OPT_FLAG,
	F_OPT_TIME_STAMP,
	F_OPT_TIME_STAMP_ADDR,
	F_FRAGMENTS,
	F_FRAGMENT,
	F_FRAGMENT_COUNT,
	F_REASM_LEN,
	F_REASM_DATA,
	F_ADDR,
	F_COUNT
};

static const tp_valstr opt_class_vals[] = {
	{0, "Control"},
	{1, "Reserved for future use"},
	{2, "Debugging and measurement"},
	{3, "Reserved for future use"},
	{0, NULL},
};

/* IANA ip-parameters, option numbers (the low five bits of the type). */
static const tp_valstr opt_number_vals[] = {
	{0, "End of Option List (EOL)"},
	{1, "No-Operation (NOP)"},
	{2, "Security"},
	{3, "Loose source route"},
	{4, "Time stamp"},
	{5, "Extended security"},
	{6, "Commercial IP security option"},
	{7, "Record route"},
	{8, "Stream identifier"},
	{9, "Strict source route"},
	{10, "Experimental Measurement"},
	{11, "MTU Probe"},
	{12, "MTU Reply"},
	{13, "Experimental Flow Control"},
	{14, "Experimental Access Control"},
	{15, "ENCODE"},
	{16, "IMI Traffic Descriptor"},
	{17, "Extended Internet Protocol"},
	{18, "Traceroute"},
	{19, "Address Extension"},
	{20, "Router Alert"},
	{21, "Selective Directed Broadcast"},
	{23, "Dynamic Packet State"},
	{24, "Upstream Multicast Packet"},
	{25, "Quick-Start"},
	{30, "RFC3692-style Experiment"},
	{0, NULL},
};

static const tp_valstr ra_vals[] = {
	{0, "Router shall examine packet"},
	{0, NULL},
};

static const tp_valstr qs_func_vals[] = {
	{0, "Rate request"},
	{8, "Rate report"},
	{0, NULL},
};

static const tp_valstr ts_flag_vals[] = {
	{0, "Time stamps only"},
	{1, "Time stamp and address"},
	{3, "Time stamps for prespecified addresses"},
	{0, NULL},
};

static const tp_field_def fields[F_COUNT] = {
	[F_VERSION] = {"ip.version", "Version", TP_FT_UINT8, TP_BASE_DEC,
		       NULL, 0},
	[F_HDR_LEN] = {"ip.hdr_len", "Header Length", TP_FT_UINT8,
		       TP_BASE_DEC, NULL, 0},
	[F_DSFIELD] = {"ip.dsfield", "Differentiated Services Field",
		       TP_FT_UINT8, TP_BASE_HEX, NULL, 0},
	[F_DSCP] = {"ip.dsfield.dscp", "Differentiated Services Codepoint",
		    TP_FT_UINT8, TP_BASE_DEC, tp_dscp_vals, 0xfc},
	[F_ECN] = {"ip.dsfield.ecn", "Explicit Congestion Notification",
		   TP_FT_UINT8, TP_BASE_DEC, tp_ecn_vals, 0x03},
	[F_LEN] = {"ip.len", "Total Length", TP_FT_UINT16, TP_BASE_DEC, NULL,
		   0},
	[F_ID] = {"ip.id", "Identification", TP_FT_UINT16, TP_BASE_HEX_DEC,
		  NULL, 0},
	[F_FLAGS] = {"ip.flags", "Flags", TP_FT_UINT8, TP_BASE_HEX, NULL,
		     0xe0},
	[F_RB] = {"ip.flags.rb", "Reserved bit", TP_FT_BOOLEAN, 8, NULL, 0x80},
	[F_DF] = {"ip.flags.df", "Don't fragment", TP_FT_BOOLEAN, 8, NULL,
		  0x40},
	[F_MF] = {"ip.flags.mf", "More fragments", TP_FT_BOOLEAN, 8, NULL,
		  0x20},
	[F_FRAG] = {"ip.frag_offset", "Fragment Offset", TP_FT_UINT16,
		    TP_BASE_DEC, NULL, 0x1fff},
	[F_TTL] = {"ip.ttl", "Time to Live", TP_FT_UINT8, TP_BASE_DEC, NULL,
		   0},
	[F_PROTO] = {"ip.proto", "Protocol", TP_FT_UINT8, TP_BASE_DEC,
		     tp_ipproto_vals, 0},
	[F_CKSUM] = {"ip.checksum", "Header Checksum", TP_FT_UINT16,
		     TP_BASE_HEX, NULL, 0},
	[F_CKSUM_STATUS] = {"ip.checksum.status", "Header checksum status",
			    TP_FT_UINT8, TP_BASE_NONE, tp_cksum_status_vals,
			    0},
	[F_SRC] = {"ip.src", "Source Address", TP_FT_IPv4, TP_BASE_NONE, NULL,
		   0},
	[F_DST] = {"ip.dst", "Destination Address", TP_FT_IPv4, TP_BASE_NONE,
		   NULL, 0},
	/* hidden, after ip.src and after ip.dst (tshark: "src,dst") */
	[F_ADDR] = {"ip.addr", "Source or Destination Address", TP_FT_IPv4,
		    TP_BASE_NONE | TP_BASE_HIDDEN, NULL, 0},
	[F_CUR_RT] = {"ip.cur_rt", "Current Route", TP_FT_IPv4, TP_BASE_NONE,
		      NULL, 0},
	[F_OPT_TYPE] = {"ip.opt.type", "Type", TP_FT_UINT8, TP_BASE_DEC, NULL,
			0},
	[F_OPT_COPY] = {"ip.opt.type.copy", "Copy on fragmentation",
			TP_FT_BOOLEAN, 8, NULL, 0x80},
	[F_OPT_CLASS] = {"ip.opt.type.class", "Class", TP_FT_UINT8,
			 TP_BASE_DEC, opt_class_vals, 0x60},
	[F_OPT_NUMBER] = {"ip.opt.type.number", "Number", TP_FT_UINT8,
			  TP_BASE_DEC, opt_number_vals, 0x1f},
	[F_OPT_LEN] = {"ip.opt.len", "Length", TP_FT_UINT8, TP_BASE_DEC, NULL,
		       0},
	[F_OPT_PTR] = {"ip.opt.ptr", "Pointer", TP_FT_UINT8, TP_BASE_DEC, NULL,
		       0},
	[F_OPT_SID] = {"ip.opt.sid", "Stream Identifier", TP_FT_UINT16,
		       TP_BASE_DEC, NULL, 0},
	[F_OPT_MTU] = {"ip.opt.mtu", "MTU", TP_FT_UINT16, TP_BASE_DEC, NULL,
		       0},
	[F_OPT_ID_NUMBER] = {"ip.opt.id_number", "ID Number", TP_FT_UINT16,
			     TP_BASE_DEC, NULL, 0},
	[F_OPT_OHC] = {"ip.opt.ohc", "Outbound Hop Count", TP_FT_UINT16,
		       TP_BASE_DEC, NULL, 0},
	[F_OPT_RHC] = {"ip.opt.rhc", "Return Hop Count", TP_FT_UINT16,
		       TP_BASE_DEC, NULL, 0},
	[F_OPT_ORIGINATOR] = {"ip.opt.originator", "Originator IP Address",
			      TP_FT_IPv4, TP_BASE_NONE, NULL, 0},
	[F_OPT_RA] = {"ip.opt.ra", "Router Alert", TP_FT_UINT16, TP_BASE_DEC,
		      ra_vals, 0},
	[F_OPT_ADDR] = {"ip.opt.addr", "IP Address", TP_FT_IPv4, TP_BASE_NONE,
			NULL, 0},
	[F_OPT_PADDING] = {"ip.opt.padding", "Padding", TP_FT_BYTES,
			   TP_BASE_NONE, NULL, 0},
	[F_OPT_QS_FUNC] = {"ip.opt.qs_func", "Function", TP_FT_UINT8,
			   TP_BASE_DEC, qs_func_vals, 0xf0},
	[F_OPT_QS_RATE] = {"ip.opt.qs_rate", "Rate", TP_FT_UINT8, TP_BASE_DEC,
			   NULL, 0x0f},
	[F_OPT_QS_TTL] = {"ip.opt.qs_ttl", "QS TTL", TP_FT_UINT8, TP_BASE_DEC,
			  NULL, 0},
	[F_OPT_QS_TTL_DIFF] = {"ip.opt.qs_ttl_diff", "TTL Diff", TP_FT_UINT8,
			       TP_BASE_DEC, NULL, 0},
	[F_OPT_QS_UNUSED] = {"ip.opt.qs_unused", "Not Used", TP_FT_UINT8,
			     TP_BASE_DEC, NULL, 0},
	[F_OPT_QS_NONCE] = {"ip.opt.qs_nonce", "QS Nonce", TP_FT_UINT32,
			    TP_BASE_HEX, NULL, 0xfffffffc},
	[F_OPT_QS_RESERVED] = {"ip.opt.qs_reserved", "Reserved", TP_FT_UINT32,
			       TP_BASE_HEX, NULL, 0x3},
	[F_OPT_SEC791_SEC] = {"ip.opt.sec_rfc791_sec", "Security",
			      TP_FT_UINT16, TP_BASE_HEX, NULL, 0},
	[F_OPT_SEC791_COMP] = {"ip.opt.sec_rfc791_comp", "Compartments",
			       TP_FT_UINT16, TP_BASE_DEC, NULL, 0},
	[F_OPT_SEC791_HR] = {"ip.opt.sec_rfc791_hr", "Handling Restrictions",
			     TP_FT_STRING, TP_BASE_NONE, NULL, 0},
	[F_OPT_SEC791_TCC] = {"ip.opt.sec_rfc791_tcc",
			      "Transmission Control Code", TP_FT_STRING,
			      TP_BASE_NONE, NULL, 0},
	[F_OPT_SEC_CL] = {"ip.opt.sec_cl", "Classification Level",
			  TP_FT_UINT8, TP_BASE_HEX, NULL, 0},
	[F_OPT_SEC_PAF] = {"ip.opt.sec_prot_auth_flags",
			   "Protection Authority Flags", TP_FT_UINT8,
			   TP_BASE_HEX, NULL, 0},
	[F_OPT_SEC_PAF_GENSER] = {"ip.opt.sec_prot_auth_genser", "GENSER",
				  TP_FT_BOOLEAN, 8, NULL, 0x80},
	[F_OPT_SEC_PAF_SIOP] = {"ip.opt.sec_prot_auth_siop_esi", "SIOP-ESI",
				TP_FT_BOOLEAN, 8, NULL, 0x40},
	[F_OPT_SEC_PAF_SCI] = {"ip.opt.sec_prot_auth_sci", "SCI",
			       TP_FT_BOOLEAN, 8, NULL, 0x20},
	[F_OPT_SEC_PAF_NSA] = {"ip.opt.sec_prot_auth_nsa", "NSA",
			       TP_FT_BOOLEAN, 8, NULL, 0x10},
	[F_OPT_SEC_PAF_DOE] = {"ip.opt.sec_prot_auth_doe", "DOE",
			       TP_FT_BOOLEAN, 8, NULL, 0x08},
	[F_OPT_SEC_PAF_UNASSIGNED] = {"ip.opt.sec_prot_auth_unassigned",
				      "Unassigned", TP_FT_UINT8, TP_BASE_HEX,
				      NULL, 0x06},
	[F_OPT_SEC_PAF_FTI] = {"ip.opt.sec_prot_auth_fti",
			       "Field Termination Indicator", TP_FT_BOOLEAN, 8,
			       NULL, 0x01},
	[F_REC_RT] = {"ip.rec_rt", "Recorded Route", TP_FT_IPv4, TP_BASE_NONE,
		      NULL, 0},
	[F_SRC_RT] = {"ip.src_rt", "Source Route", TP_FT_IPv4, TP_BASE_NONE,
		      NULL, 0},
	[F_EMPTY_RT] = {"ip.empty_rt", "Empty Route", TP_FT_IPv4,
			TP_BASE_NONE, NULL, 0},
	[F_OPT_OVERFLOW] = {"ip.opt.overflow", "Overflow", TP_FT_UINT8,
			    TP_BASE_DEC, NULL, 0xf0},
	[F_OPT_FLAG] = {"ip.opt.flag", "Flag", TP_FT_UINT8, TP_BASE_HEX,
			ts_flag_vals, 0x0f},
	[F_OPT_TIME_STAMP] = {"ip.opt.time_stamp", "Time stamp", TP_FT_UINT32,
			      TP_BASE_DEC, NULL, 0},
	[F_OPT_TIME_STAMP_ADDR] = {"ip.opt.time_stamp_addr", "Address",
				   TP_FT_IPv4, TP_BASE_NONE, NULL, 0},
	/* Reassembly, on the frame that completes a datagram; the value of
	 * ip.fragments is the reassembled payload, as in Wireshark 4.0. */
	[F_FRAGMENTS] = {"ip.fragments", "IPv4 Fragments", TP_FT_BYTES,
			 TP_BASE_NONE, NULL, 0},
	[F_FRAGMENT] = {"ip.fragment", "IPv4 Fragment", TP_FT_FRAMENUM,
			TP_BASE_NONE, NULL, 0},
	[F_FRAGMENT_COUNT] = {"ip.fragment.count", "Fragment count",
			      TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_REASM_LEN] = {"ip.reassembled.length", "Reassembled IPv4 length",
			 TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_REASM_DATA] = {"ip.reassembled.data", "Reassembled IPv4 data",
			  TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
};

const tp_field_def *const tp_fd_ip_proto = &fields[F_PROTO];
const tp_field_def *const tp_fd_ip_len = &fields[F_LEN];
const tp_field_def *const tp_fd_ip_hdr_len = &fields[F_HDR_LEN];

/* IPv6 headers carry ip.version too (Wireshark adds it, hidden, so that
 * "ip.version == 6" matches): ipv6.c adds this definition. */
extern const tp_field_def *const tp_ip_version_field;
const tp_field_def *const tp_ip_version_field = &fields[F_VERSION];

enum {
	E_VERSION,
	E_HDR_LEN,
	E_LEN_SHORT,
	E_LEN_LONG,
	E_LEN_TSO,
	E_OPT_LEN,
	E_PTR_BEFORE,
	E_PTR_MIDDLE,
	E_SUBOPT,
	E_NOP,
	E_FRAG_HELD,
	E_FRAG_OVERLAP,
	E_FRAG_CONFLICT,
	E_FRAG_MULTITAILS,
	E_FRAG_TOOLONG,
	E_FRAG_ERROR,
	E_FRAG_CAPPED,
	E_COUNT
};

static const tp_event_def events[E_COUNT] = {
	[E_VERSION] = {"ip.bogus_ip_version", TP_EV_MALFORMED,
		       "Bogus IPv4 version (must be 4)"},
	[E_HDR_LEN] = {"ip.bogus_header_length", TP_EV_MALFORMED,
		       "Bogus IPv4 header length (must be at least 20)"},
	[E_LEN_SHORT] = {"ip.bogus_ip_length", TP_EV_MALFORMED,
			 "Bogus IPv4 total length (less than the header "
			 "length)"},
	[E_LEN_LONG] = {"ip.bogus_ip_length", TP_EV_MALFORMED,
			"IPv4 total length exceeds packet length"},
	[E_LEN_TSO] = {"ip.len.tso", TP_EV_NOTE,
		       "Total length 0, presumed TCP segmentation offload: "
		       "the frame length is used"},
	[E_OPT_LEN] = {"ip.opt.len.invalid", TP_EV_MALFORMED,
		       "Invalid length for option"},
	[E_PTR_BEFORE] = {"ip.opt.ptr.before_address", TP_EV_WARN,
			  "Pointer points before first address"},
	[E_PTR_MIDDLE] = {"ip.opt.ptr.middle_address", TP_EV_WARN,
			  "Pointer points to middle of address"},
	[E_SUBOPT] = {"ip.subopt_too_long", TP_EV_WARN,
		      "Suboption would go past end of option"},
	[E_NOP] = {"ip.nop", TP_EV_WARN,
		   "4 NOP in a row - a router may have removed some options"},
	/* Reassembly.  The overlap, tail and error names are Wireshark's
	 * fields; tapir raises them on the frame where they happen. */
	[E_FRAG_HELD] = {"ip.fragment.held", TP_EV_NOTE,
			 "Fragment held for reassembly: the datagram is "
			 "dissected in the frame that completes it"},
	[E_FRAG_OVERLAP] = {"ip.fragment.overlap", TP_EV_WARN,
			    "Fragment overlaps with other fragments"},
	[E_FRAG_CONFLICT] = {"ip.fragment.overlap.conflict", TP_EV_WARN,
			     "Overlapping fragments contained conflicting "
			     "data (the first data is kept)"},
	[E_FRAG_MULTITAILS] = {"ip.fragment.multipletails", TP_EV_WARN,
			       "Several tails were found when defragmenting "
			       "the packet"},
	[E_FRAG_TOOLONG] = {"ip.fragment.toolongfragment", TP_EV_WARN,
			    "Fragment contained data past end of packet"},
	[E_FRAG_ERROR] = {"ip.fragment.error", TP_EV_WARN,
			  "Defragmentation error due to illegal fragments: "
			  "the datagram was discarded"},
	[E_FRAG_CAPPED] = {"ip.fragment.capped", TP_EV_NOTE,
			   "A reassembly cap (datagrams, memory or fragments "
			   "per datagram) dropped a datagram in progress"},
};

/* ---- options --------------------------------------------------------- */

enum {
	OPT_EOL = 0,
	OPT_NOP = 1,
	OPT_RR = 7,
	OPT_MTU_PROBE = 11,
	OPT_MTU_REPLY = 12,
	OPT_QS = 25,
	OPT_TS = 68,
	OPT_TR = 82,
	OPT_SEC = 130,
	OPT_LSRR = 131,
	OPT_EXT_SEC = 133,
	OPT_CIPSO = 134,
	OPT_SID = 136,
	OPT_SSRR = 137,
	OPT_RA = 148,
	OPT_SDB = 149,
};

/* Is `len` (type and length bytes included) acceptable for option `t`?
 * Fixed-length options must match, variable ones reach a minimum
 * (Wireshark's ipopts table). */
static bool opt_len_ok(unsigned t, unsigned len)
{
	switch (t) {
	case OPT_SID:
	case OPT_MTU_PROBE:
	case OPT_MTU_REPLY:
	case OPT_RA:
		return len == 4;
	case OPT_QS:
		return len == 8;
	case OPT_TR:
		return len == 12;
	case OPT_RR:
	case OPT_LSRR:
	case OPT_SSRR:
	case OPT_SEC:
	case OPT_EXT_SEC:
		return len >= 3;
	case OPT_TS:
		return len >= 4;
	case OPT_SDB:
		return len >= 6;
	case OPT_CIPSO:
		return len >= 10;
	default:
		return len >= 2;
	}
}

/* RFC 791 section 3.1: with a valid loose or strict source route the
 * header's destination is the current hop and the last address of the
 * route is the final destination (Wireshark's get_dst_offset).  Scans the
 * captured options without reading through the cursor; gives up at the
 * first option the walk below would stop at. */
static bool has_source_route(const tp_cursor *c, size_t optlen)
{
	size_t i = 0;
	for (unsigned n = 0; n < IP_MAX_OPTIONS && i < optlen; n++) {
		int t = tp_peek(c, i);
		if (t <= OPT_EOL)
			return false;
		if (t == OPT_NOP) {
			i++;
			continue;
		}
		int len = tp_peek(c, i + 1);
		if (len < 2 || (size_t)len > optlen - i ||
		    !opt_len_ok((unsigned)t, (unsigned)len))
			return false;
		if (t == OPT_LSRR || t == OPT_SSRR) {
			int ptr = tp_peek(c, i + 2);
			return ptr >= 4 && (ptr & 3) == 0 && ptr <= len &&
			       len >= 7 && (len - 3) % 4 == 0 &&
			       tp_peek(c, i + (size_t)len - 1) >= 0;
		}
		i += (size_t)len;
	}
	return false;
}

static void add_addr(tp_pkt *p, tp_cursor *b, const tp_field_def *f)
{
	size_t at = b->off;
	const uint8_t *a = tp_get_bytes(p, b, f, 4);
	if (f == &fields[F_DST]) /* a source route's final destination */
		tp_add_alias(p, &fields[F_ADDR], at, a, 4);
}

/* Record route, loose and strict source route (RFC 791). */
static void opt_route(tp_pkt *p, tp_cursor *b, unsigned t, unsigned len,
		      bool final)
{
	size_t at = b->off;
	unsigned ptr = tp_get_u8(p, b, &fields[F_OPT_PTR]);
	if (!tp_ok(b))
		return;
	if (ptr < 4 || (ptr & 3)) {
		tp_add_event(p, &events[ptr < 4 ? E_PTR_BEFORE : E_PTR_MIDDLE],
			     at);
		return;
	}
	for (unsigned k = 3; tp_reported(b) > 0; k += 4) {
		if (tp_reported(b) < 4) {
			tp_add_event(p, &events[E_SUBOPT], b->off);
			return;
		}
		const tp_field_def *f;
		if (ptr > len || k + 1 < ptr)
			f = &fields[F_REC_RT];
		else if (t == OPT_RR)
			f = &fields[F_EMPTY_RT];
		else if (final && k == len - 4)
			f = &fields[F_DST];
		else
			f = &fields[F_SRC_RT];
		add_addr(p, b, f);
		if (!tp_ok(b))
			return;
	}
}

/* Internet timestamp (RFC 791). */
static void opt_timestamp(tp_pkt *p, tp_cursor *b)
{
	tp_get_u8(p, b, &fields[F_OPT_PTR]);
	size_t at = b->off;
	uint8_t of = tp_u8(b);
	if (!tp_ok(b))
		return;
	tp_add_uint(p, &fields[F_OPT_OVERFLOW], at, 1, of >> 4);
	tp_add_uint(p, &fields[F_OPT_FLAG], at, 1, of & 0x0f);
	bool with_addr = (of & 0x0f) == 1 || (of & 0x0f) == 3;
	size_t entry = with_addr ? 8 : 4;
	while (tp_reported(b) > 0 && tp_ok(b)) {
		if (tp_reported(b) < entry) {
			tp_add_event(p, &events[E_SUBOPT], b->off);
			return;
		}
		if (with_addr)
			add_addr(p, b, &fields[F_OPT_TIME_STAMP_ADDR]);
		tp_get_be32(p, b, &fields[F_OPT_TIME_STAMP]);
	}
}

/* Security: RFC 791 (length 11) or RFC 1108 (basic security). */
static void opt_security(tp_pkt *p, tp_cursor *b, unsigned len)
{
	if (len == 11) {
		tp_get_be16(p, b, &fields[F_OPT_SEC791_SEC]);
		tp_get_be16(p, b, &fields[F_OPT_SEC791_COMP]);
		tp_get_bytes(p, b, &fields[F_OPT_SEC791_HR], 2);
		tp_get_bytes(p, b, &fields[F_OPT_SEC791_TCC], 3);
		return;
	}
	tp_get_u8(p, b, &fields[F_OPT_SEC_CL]);
	if (tp_reported(b) == 0)
		return;
	size_t at = b->off;
	uint8_t f = tp_get_u8(p, b, &fields[F_OPT_SEC_PAF]);
	if (!tp_ok(b))
		return;
	tp_push(p);
	tp_add_uint(p, &fields[F_OPT_SEC_PAF_GENSER], at, 1, f >> 7 & 1);
	tp_add_uint(p, &fields[F_OPT_SEC_PAF_SIOP], at, 1, f >> 6 & 1);
	tp_add_uint(p, &fields[F_OPT_SEC_PAF_SCI], at, 1, f >> 5 & 1);
	tp_add_uint(p, &fields[F_OPT_SEC_PAF_NSA], at, 1, f >> 4 & 1);
	tp_add_uint(p, &fields[F_OPT_SEC_PAF_DOE], at, 1, f >> 3 & 1);
	tp_add_uint(p, &fields[F_OPT_SEC_PAF_UNASSIGNED], at, 1, f >> 1 & 3);
	tp_add_uint(p, &fields[F_OPT_SEC_PAF_FTI], at, 1, f & 1);
	tp_pop(p);
}

/* Quick-Start (RFC 4782 section 4.1). */
static void opt_quick_start(tp_pkt *p, tp_cursor *b, uint8_t ttl)
{
	size_t at = b->off;
	uint8_t cmd = tp_u8(b);
	if (!tp_ok(b))
		return;
	unsigned func = cmd >> 4;
	tp_add_uint(p, &fields[F_OPT_QS_FUNC], at, 1, func);
	if (func != 0 && func != 8)
		return;
	tp_add_uint(p, &fields[F_OPT_QS_RATE], at, 1, cmd & 0x0f);
	if (func == 0) {
		uint8_t qttl = tp_get_u8(p, b, &fields[F_OPT_QS_TTL]);
		if (!tp_ok(b))
			return;
		tp_add_uint(p, &fields[F_OPT_QS_TTL_DIFF], at + 1, 0,
			    (uint8_t)(ttl - qttl));
	} else {
		tp_get_u8(p, b, &fields[F_OPT_QS_UNUSED]);
	}
	at = b->off;
	uint32_t nonce = tp_be32(b);
	if (!tp_ok(b))
		return;
	tp_add_uint(p, &fields[F_OPT_QS_NONCE], at, 4, nonce >> 2);
	tp_add_uint(p, &fields[F_OPT_QS_RESERVED], at, 4, nonce & 3);
}

/* The body of option `t` (after type and length), `b` spans exactly
 * len - 2 bytes. */
static void opt_body(tp_pkt *p, tp_cursor *b, unsigned t, unsigned len,
		     uint8_t ttl, bool final)
{
	switch (t) {
	case OPT_RR:
	case OPT_LSRR:
	case OPT_SSRR:
		opt_route(p, b, t, len, final);
		break;
	case OPT_TS:
		opt_timestamp(p, b);
		break;
	case OPT_SEC:
		opt_security(p, b, len);
		break;
	case OPT_SID:
		tp_get_be16(p, b, &fields[F_OPT_SID]);
		break;
	case OPT_MTU_PROBE:
	case OPT_MTU_REPLY:
		tp_get_be16(p, b, &fields[F_OPT_MTU]);
		break;
	case OPT_RA:
		tp_get_be16(p, b, &fields[F_OPT_RA]);
		break;
	case OPT_TR:
		tp_get_be16(p, b, &fields[F_OPT_ID_NUMBER]);
		tp_get_be16(p, b, &fields[F_OPT_OHC]);
		tp_get_be16(p, b, &fields[F_OPT_RHC]);
		add_addr(p, b, &fields[F_OPT_ORIGINATOR]);
		break;
	case OPT_QS:
		opt_quick_start(p, b, ttl);
		break;
	case OPT_SDB:
		while (tp_reported(b) >= 4 && tp_ok(b))
			add_addr(p, b, &fields[F_OPT_ADDR]);
		if (tp_reported(b) > 0)
			tp_get_bytes(p, b, &fields[F_OPT_PADDING],
				     tp_reported(b));
		break;
	default:
		break; /* type and length only */
	}
}

/* Options Wireshark knows (its ipopts table): only these get fields; an
 * unknown option with a sound length is stepped over. */
static bool opt_known(unsigned t)
{
	switch (t) {
	case OPT_EOL:
	case OPT_NOP:
	case OPT_RR:
	case OPT_MTU_PROBE:
	case OPT_MTU_REPLY:
	case OPT_QS:
	case OPT_TS:
	case OPT_TR:
	case OPT_SEC:
	case OPT_LSRR:
	case OPT_EXT_SEC:
	case OPT_CIPSO:
	case OPT_SID:
	case OPT_SSRR:
	case OPT_RA:
	case OPT_SDB:
		return true;
	default:
		return false;
	}
}

static void add_opt_type(tp_pkt *p, size_t at, uint8_t t)
{
	tp_add_uint(p, &fields[F_OPT_TYPE], at, 1, t);
	tp_push(p);
	tp_add_uint(p, &fields[F_OPT_COPY], at, 1, t >> 7);
	tp_add_uint(p, &fields[F_OPT_CLASS], at, 1, t >> 5 & 3);
	tp_add_uint(p, &fields[F_OPT_NUMBER], at, 1, t & 0x1f);
}

/* Walk the options in `o` (exactly the option bytes of the header).  A
 * bad length stops the walk with an event and no fields for that option,
 * as in Wireshark; a capture cut leaves `o` TRUNCATED. */
static void ip_options(tp_pkt *p, tp_cursor *o, uint8_t ttl, bool via)
{
	unsigned nops = 0;
	bool route_seen = false;
	for (unsigned n = 0; n < IP_MAX_OPTIONS && tp_reported(o) > 0; n++) {
		size_t at = o->off;
		uint8_t t = tp_u8(o);
		if (!tp_ok(o))
			return;
		if (t == OPT_EOL || t == OPT_NOP) {
			add_opt_type(p, at, t);
			tp_pop(p);
			if (t == OPT_EOL)
				return;
			if (++nops == 4)
				tp_add_event(p, &events[E_NOP], at);
			continue;
		}
		nops = 0;
		if (tp_reported(o) == 0) { /* no room for the length */
			tp_add_event(p, &events[E_OPT_LEN], at);
			return;
		}
		size_t len_at = o->off;
		unsigned len = tp_u8(o);
		if (!tp_ok(o))
			return;
		if (len < 2 || len - 2 > tp_reported(o) ||
		    !opt_len_ok(t, len)) {
			tp_add_event(p, &events[E_OPT_LEN], len_at);
			return;
		}
		tp_cursor b = tp_sub(o, len - 2);
		if (!opt_known(t))
			continue;
		add_opt_type(p, at, t);
		tp_add_uint(p, &fields[F_OPT_LEN], len_at, 1, len);
		bool route = t == OPT_LSRR || t == OPT_SSRR;
		opt_body(p, &b, t, len, ttl, via && route && !route_seen);
		route_seen |= route;
		tp_pop(p);
		if (!tp_ok(&b)) {
			tp_fail(o, b.status);
			return;
		}
	}
}

/* ---- reassembly ------------------------------------------------------ */


/* The table's answers as this layer's events, in tp_frag_report's
 * order. */
static const tp_event_def *const frag_evs[TP_FRAG_NEV] = {
	&events[E_FRAG_OVERLAP], &events[E_FRAG_CONFLICT],
	&events[E_FRAG_TOOLONG], &events[E_FRAG_MULTITAILS],
	&events[E_FRAG_ERROR],	 &events[E_FRAG_CAPPED],
	&events[E_FRAG_HELD],
};

/* A whole fragment goes to the table; `c` covers exactly its payload.
 * Not completing: the payload is left to the data layer (TP_STOP), as
 * tshark shows it.  Completing: Wireshark's ip.fragments tree, and the
 * cursor moves to the reassembled payload for the next layer, which
 * verifies its checksum over the whole datagram (addr.fragment = 0).
 * ip.reassembled_in, which Wireshark shows on the earlier fragments, needs
 * a second pass (tshark -2): a single pass does not know it when it
 * dissects them, so it is not given. */
static tp_next defragment(tp_pkt *p, tp_cursor *c, tp_fragtab *ft,
			  uint16_t id, uint16_t fo, uint8_t proto,
			  const uint8_t *src, const uint8_t *dst)
{
	size_t at = c->off, n = tp_avail(c);
	tp_cursor v = *c;
	const uint8_t *data = tp_bytes(&v, n);
	if (!data)
		return TP_STOP;
	tp_fragkey k;
	memset(&k, 0, sizeof k);
	k.family = 4;
	k.proto = proto;
	k.vlan[0] = p->vlan_id[0];
	k.vlan[1] = p->vlan_id[1];
	k.id = id;
	memcpy(k.src, src, 4);
	memcpy(k.dst, dst, 4);
	uint32_t off = (uint32_t)(fo & 0x1fff) * 8;
	bool more = (fo & 0x2000) != 0;
	tp_fragdone done;
	unsigned r = tp_frag_add(ft, &k, off, more, proto, data, n, p->number,
				 p->ts_sec, &done);
	tp_frag_report(p, r, more, (uint64_t)off + n, at, frag_evs);
	if (!(r & TP_FRAG_DONE))
		return TP_STOP;

	tp_add_bytes(p, &fields[F_FRAGMENTS], at, 0, done.data, done.len);
	tp_push(p);
	/* the first TP_FRAG_LIST_MAX frames (a packet record holds
	 * TP_MAX_FIELDS fields); the count counts them all */
	for (unsigned i = 0; i < done.nframes && i < TP_FRAG_LIST_MAX; i++)
		tp_add_uint(p, &fields[F_FRAGMENT], at, 0, done.frames[i]);
	tp_add_uint(p, &fields[F_FRAGMENT_COUNT], at, 0, done.nframes);
	tp_add_uint(p, &fields[F_REASM_LEN], at, 0, done.len);
	tp_add_bytes(p, &fields[F_REASM_DATA], at, 0, done.data, done.len);
	tp_pop(p);

	tp_layer *l = tp_cur_layer(p);
	l->addr.fragment = 0;
	l->len = (uint32_t)(at - l->off);
	p->reasm = done.data;
	p->reasm_len = done.len;
	p->reasm_active = true;
	*c = tp_cursor_make(done.data, done.len, done.len);
	return tp_next_key(TP_TAB_IPPROTO, done.proto);
}

/* ---- the header ------------------------------------------------------ */

static unsigned header_cksum(const tp_pkt *p, const tp_cursor *c,
			     size_t start, size_t hlen)
{
	/* Wireshark leaves the quoted header of an ICMP error unverified. */
	if (p->in_error)
		return TP_CKSUM_UNVERIFIED;
	tp_cursor v = *c;
	v.off = start;
	if (!tp_has(&v, hlen))
		return TP_CKSUM_UNVERIFIED;
	const uint8_t *h = tp_bytes(&v, hlen);
	return tp_cksum_fold(tp_cksum_add(0, h, hlen)) == 0 ? TP_CKSUM_GOOD
							    : TP_CKSUM_BAD;
}

static tp_next ip_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t start = c->off;
	uint8_t vhl = tp_u8(c);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &fields[F_VERSION], start, 1, vhl >> 4);
	if (vhl >> 4 != 4) {
		tp_add_event(p, &events[E_VERSION], start);
		if (vhl >> 4 == 6) { /* IPv6 under an IPv4 type, as Wireshark */
			c->off = start;
			return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV6);
		}
		return TP_STOP;
	}
	size_t hlen = (size_t)(vhl & 0x0f) * 4;
	tp_add_uint(p, &fields[F_HDR_LEN], start, 1, hlen);
	if (hlen < 20) {
		tp_add_event(p, &events[E_HDR_LEN], start);
		return TP_STOP;
	}

	uint8_t tos = tp_get_u8(p, c, &fields[F_DSFIELD]);
	if (!tp_ok(c))
		return TP_STOP;
	if (!p->lean) { /* no text output reads the parts (lean_at) */
		tp_push(p);
		tp_add_uint(p, &fields[F_DSCP], start + 1, 1, tos >> 2);
		tp_add_uint(p, &fields[F_ECN], start + 1, 1, tos & 3);
		tp_pop(p);
	}

	size_t at = c->off;
	uint16_t tlen = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	if (tlen == 0) {
		/* TCP segmentation offload hands the capture 0 (Wireshark's
		 * ip.tso_support, on by default): the frame says how long. */
		tp_add_uint(p, &fields[F_LEN], at, 2, tp_reported(c) + 4);
		tp_add_event(p, &events[E_LEN_TSO], at);
	} else {
		tp_add_uint(p, &fields[F_LEN], at, 2, tlen);
		if (tlen < hlen) {
			tp_add_event(p, &events[E_LEN_SHORT], at);
			return TP_STOP;
		}
		/* Ethernet padding after the datagram is not payload. */
		if (!tp_clamp(c, tlen - 4u) && !p->in_error)
			tp_add_event(p, &events[E_LEN_LONG], at);
	}

	uint16_t id = tp_get_be16(p, c, &fields[F_ID]);
	at = c->off;
	uint16_t fo = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &fields[F_FLAGS], at, 1, fo >> 13);
	if (!p->lean) {
		tp_push(p);
		tp_add_uint(p, &fields[F_RB], at, 1, fo >> 15 & 1);
		tp_add_uint(p, &fields[F_DF], at, 1, fo >> 14 & 1);
		tp_add_uint(p, &fields[F_MF], at, 1, fo >> 13 & 1);
		tp_pop(p);
	}
	tp_add_uint(p, &fields[F_FRAG], at, 2, fo & 0x1fff);
	uint8_t ttl = tp_get_u8(p, c, &fields[F_TTL]);
	uint8_t proto = tp_get_u8(p, c, &fields[F_PROTO]);
	at = c->off;
	tp_get_be16(p, c, &fields[F_CKSUM]);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &fields[F_CKSUM_STATUS], at, 0,
		    header_cksum(p, c, start, hlen));

	at = c->off;
	const uint8_t *src = tp_get_bytes(p, c, &fields[F_SRC], 4);
	tp_add_alias(p, &fields[F_ADDR], at, src, 4);
	at = c->off;
	const uint8_t *dst = tp_bytes(c, 4);
	if (!tp_ok(c))
		return TP_STOP;
	size_t optlen = hlen - 20;
	bool via = optlen && has_source_route(c, optlen);
	tp_add_bytes(p, &fields[via ? F_CUR_RT : F_DST], at, 4, dst, 4);
	if (!via)
		tp_add_alias(p, &fields[F_ADDR], at, dst, 4);
	tp_cur_layer(p)->addr = (tp_netaddr){4, proto, (fo & 0x3fff) != 0,
					     src, dst};

	if (optlen) {
		/* A header longer than the datagram: already flagged by the
		 * total length (or the ICMP quote is cut short). */
		bool cut = optlen > tp_reported(c);
		tp_cursor o = tp_sub(c, cut ? tp_reported(c) : optlen);
		ip_options(p, &o, ttl, via);
		if (!tp_ok(&o)) {
			tp_fail(c, o.status);
			return TP_STOP;
		}
		if (cut) {
			tp_fail(c, p->in_error ? TP_TRUNCATED : TP_MALFORMED);
			return TP_STOP;
		}
	}
	/* A fragment (MF or an offset) captured whole, with a consistent
	 * total length, is reassembled when the session says so. */
	tp_fragtab *ft = (fo & 0x3fff) ? tp_frag_table(p) : NULL;
	if (ft && tlen > hlen && tp_reported(c) == tlen - hlen &&
	    tp_avail(c) == tp_reported(c))
		return defragment(p, c, ft, id, fo, proto, src, dst);
	if (fo & 0x1fff)
		return TP_STOP; /* not the first fragment: data */
	return tp_next_key(TP_TAB_IPPROTO, proto);
}

/* ---- one line, as tcpdump's ip_print -------------------------------- */

static bool has_layer_event(const tp_pkt *p, unsigned li, const tp_event_def *e)
{
	for (unsigned i = 0; i < p->nevents; i++)
		if (p->events[i].layer == li && p->events[i].def == e)
			return true;
	return false;
}

static bool is_named(const tp_pkt *p, unsigned li, const char *name)
{
	return li < p->nlayers && strcmp(p->layers[li].d->name, name) == 0;
}

/* ---- tcpdump's -v text ------------------------------------------------ */

static uint64_t uval(const tp_pkt *p, unsigned li, unsigned f)
{
	const tp_field *x = tp_layer_find(p, li, &fields[f]);
	return x ? x->v.u : 0;
}

/* tcpdump's complaints in the options: "<pre>N]" */
static void put_bad(tp_sbuf *s, const char *pre, unsigned v)
{
	tp_sb_puts(s, pre);
	tp_sb_dec(s, v);
	tp_sb_putc(s, ']');
}

/* A recorded route (RR, LSRR, SSRR) as tcpdump's ip_printroute: the
 * addresses are read up to the end of what was captured, not of the
 * option.  False when they run past it. */
static bool put_route(tp_sbuf *s, tp_cursor o, unsigned len)
{
	if (len < 3) {
		put_bad(s, " [bad length ", len);
		return true;
	}
	if ((len + 1) & 3) {
		put_bad(s, " [bad length ", len);
	}
	unsigned raw = (unsigned)tp_peek(&o, 2), ptr = raw - 1;
	if (ptr < 3 || ((ptr + 1) & 3) || ptr > len + 1) {
		put_bad(s, " [bad ptr ", raw);
	}
	tp_skip(&o, 3);
	for (unsigned at = 3; at < len; at += 4) {
		const uint8_t *a = tp_bytes(&o, 4);
		if (!a)
			return false;
		tp_sb_putc(s, ' ');
		tp_sb_ipv4(s, a);
		if (ptr > at)
			tp_sb_putc(s, ',');
	}
	return true;
}

/* The timestamp option as tcpdump's ip_printts. */
static bool put_ts_option(tp_sbuf *s, tp_cursor o, unsigned len)
{
	if (len < 4) {
		put_bad(s, "[bad length ", len);
		return true;
	}
	tp_sb_puts(s, " TS{");
	unsigned raw = (unsigned)tp_peek(&o, 2), fl = (unsigned)tp_peek(&o, 3);
	unsigned hop = (fl & 0xf) != 0 ? 8 : 4, ptr = raw - 1, at = 0;
	if ((len - 4) & (hop - 1)) {
		put_bad(s, "[bad length ", len);
	}
	if (ptr < 4 || ((ptr - 4) & (hop - 1)) || ptr > len + 1) {
		put_bad(s, "[bad ptr ", raw);
	}
	static const char *const kind[16] = {"TSONLY", "TS+ADDR", NULL,
					     "PRESPEC"};
	if (kind[fl & 0xf]) {
		tp_sb_puts(s, kind[fl & 0xf]);
		tp_skip(&o, 4);
		for (at = 4; at < len; at += hop) {
			/* tcpdump reads the entry before it prints the
			 * separator: a cut entry prints neither */
			const uint8_t *h = tp_bytes(&o, hop);
			if (!h)
				return false;
			tp_sb_puts(s, ptr == at ? " ^ " : " ");
			tp_sb_dec(s, (uint32_t)h[hop - 4] << 24 |
					     (uint32_t)h[hop - 3] << 16 |
					     (uint32_t)h[hop - 2] << 8 | h[hop - 1]);
			tp_sb_putc(s, '@');
			if (hop == 8)
				tp_sb_ipv4(s, h);
		}
	} else {
		put_bad(s, "[bad ts type ", fl & 0xf);
	}
	if (ptr == at)
		tp_sb_puts(s, " ^ ");
	if (fl >> 4) {
		tp_sb_puts(s, " [");
		tp_sb_dec(s, fl >> 4);
		tp_sb_puts(s, " hops not recorded]} ");
	} else {
		tp_sb_putc(s, '}');
	}
	return true;
}

/* The options as tcpdump's ip_optprint; false when they were cut. */
static bool put_options(tp_sbuf *s, tp_cursor o, unsigned left)
{
	static const tp_valstr names[] = {
		{0, "EOL"},	{1, "NOP"}, {68, "timestamp"}, {130, "security"},
		{7, "RR"},	{137, "SSRR"}, {131, "LSRR"}, {148, "RA"},
		{82, "traceroute"}, {0, NULL},
	};
	for (const char *sep = ""; left > 0; sep = ",") {
		int code = tp_peek(&o, 0);
		if (code < 0)
			return false;
		tp_sb_puts(s, sep);
		const char *n = tp_valstr_find(names, (uint32_t)code);
		if (n) {
			tp_sb_puts(s, n);
		} else {
			tp_sb_puts(s, "unknown ");
			tp_sb_dec(s, (unsigned)code);
		}
		unsigned len = 1;
		if (code > 1) {
			int l = tp_peek(&o, 1);
			if (l < 0)
				return false;
			len = (unsigned)l;
			if (len < 2) {
				put_bad(s, " [bad length ", len);
				return true;
			}
		}
		if (len > left) {
			put_bad(s, " [bad length ", len);
			return true;
		}
		if (!tp_has(&o, len))
			return false;
		bool ok = true;
		switch (code) {
		case 0:
			return true;
		case 68:
			ok = put_ts_option(s, o, len);
			break;
		case 7:
		case 131:
		case 137:
			ok = put_route(s, o, len);
			break;
		case 148:
			if (len < 4) {
				put_bad(s, " [bad length ", len);
			} else if (tp_peek(&o, 2) || tp_peek(&o, 3)) {
				tp_sb_puts(s, " value ");
				tp_sb_dec(s, (unsigned)(tp_peek(&o, 2) << 8 |
							tp_peek(&o, 3)));
			}
			break;
		default:
			break;
		}
		if (!ok)
			return false;
		tp_skip(&o, len);
		left -= len;
	}
	return true;
}

/* "(tos 0x0, ttl 64, id 1234, offset 0, flags [DF], proto TCP (6),
 * length 60, options (...))" and the line break, as tcpdump -v.  False
 * when the options were cut (tcpdump then stops at the addresses). */
static bool put_verbose(const tp_pkt *p, unsigned li, tp_sbuf *s,
			unsigned hlen, unsigned len)
{
	unsigned tos = (unsigned)uval(p, li, F_DSFIELD);
	tp_sb_puts(s, "(tos 0x");
	tp_sb_hex(s, tos, 1);
	static const char *const ecn[4] = {"", ",ECT(1)", ",ECT(0)", ",CE"};
	tp_sb_puts(s, ecn[tos & 3]);
	unsigned ttl = (unsigned)uval(p, li, F_TTL);
	if (ttl) {
		tp_sb_puts(s, ", ttl ");
		tp_sb_dec(s, ttl);
	}
	tp_sb_puts(s, ", id ");
	tp_sb_dec(s, uval(p, li, F_ID));
	tp_sb_puts(s, ", offset ");
	tp_sb_dec(s, uval(p, li, F_FRAG) * 8);
	tp_sb_puts(s, ", flags [");
	unsigned fl = (unsigned)uval(p, li, F_FLAGS);
	static const char *const fnames[3] = {"+", "DF", "rsvd"};
	const char *sep = "";
	for (unsigned b = 0; b < 3; b++)
		if (fl & (1u << b)) {
			tp_sb_puts(s, sep);
			tp_sb_puts(s, fnames[b]);
			sep = ", ";
		}
	tp_sb_puts(s, fl & 7 ? "], proto " : "none], proto ");
	tp_sb_tcpdump_ipproto(s, (unsigned)uval(p, li, F_PROTO));
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, len);
	/* the header's bytes, up to the datagram's end (tcpdump cuts its
	 * snapshot there) */
	tp_cursor c = tp_layer_cursor(p, li);
	tp_clamp(&c, len);
	bool cut = false;
	if (hlen > 20) {
		tp_cursor o = c;
		tp_skip(&o, 20);
		tp_sb_puts(s, ", options (");
		if (!put_options(s, o, hlen - 20)) {
			tp_sb_puts(s, " [truncated-option]");
			cut = true;
		}
		tp_sb_putc(s, ')');
	}
	const uint8_t *h = tp_bytes(&c, hlen);
	if (h) {
		uint16_t sum = (uint16_t)(h[10] << 8 | h[11]);
		uint32_t acc = tp_cksum_add(0, h, 10);
		acc = tp_cksum_add(acc, h + 12, hlen - 12);
		uint16_t calc = tp_cksum_fold(acc);
		if (tp_cksum_fold(tp_cksum_add(acc, h + 10, 2)) != 0) {
			tp_sb_puts(s, ", bad cksum ");
			tp_sb_hex(s, sum, 1);
			tp_sb_puts(s, " (->");
			tp_sb_hex(s, calc, 1);
			tp_sb_puts(s, ")!");
		}
	}
	tp_sb_puts(s, ")\n    ");
	return !cut;
}

/* Where ip_dissect puts field f in the layer: a lean run's record has
 * no DSCP/ECN and no flag bits. */
static unsigned lean_at(const tp_pkt *p, unsigned f)
{
	if (!p->lean)
		return f;
	return f - (f > F_ECN ? 2 : 0) - (f > F_MF ? 3 : 0);
}

static tp_sum ip_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			   const tp_outopts *o)
{
	const tp_layer *l = &p->layers[li];
	/* the fields the line needs, where ip_dissect puts them */
#define AT(f) tp_layer_find_at(p, li, lean_at(p, f), &fields[f])
	const tp_field *ver = AT(F_VERSION);
	const tp_field *hl = AT(F_HDR_LEN);
	const tp_field *len = AT(F_LEN);
	const tp_field *fo = AT(F_FRAG);
	const tp_field *proto = AT(F_PROTO);
#undef AT
	if (ver && ver->v.u != 4) {
		tp_sb_puts(s, "IP");
		tp_sb_dec(s, ver->v.u);
		if (ver->v.u == 6)
			tp_sb_puts(s, ", wrong link-layer encapsulation");
		return TP_SUM_STOP;
	}
	if (!o->eflag)
		tp_sb_puts(s, "IP ");
	if (hl && hl->v.u < 20) {
		tp_sb_puts(s, "bad-hlen ");
		tp_sb_dec(s, hl->v.u);
		return TP_SUM_STOP;
	}
	if (len && has_layer_event(p, li, &events[E_LEN_TSO])) {
		tp_sb_puts(s, "bad-len 0");
		return TP_SUM_STOP;
	}
	if (len && hl && len->v.u < hl->v.u) {
		tp_sb_puts(s, "bad-len ");
		tp_sb_dec(s, len->v.u);
		return TP_SUM_STOP;
	}
	if (!l->addr.family) {
		/* the header is short of its addresses: cut by the capture
		 * (the event says " [|ip]") or by the packet itself, where
		 * tcpdump says the same */
		if (!has_layer_event(p, li, &tp_ev_truncated))
			tp_sb_puts(s, " [|ip]");
		return TP_SUM_STOP;
	}
	if (len && has_layer_event(p, li, &events[E_LEN_LONG])) {
		tp_sb_puts(s, "truncated-ip - ");
		tp_sb_dec(s, len->v.u - (l->len + l->payload_len));
		tp_sb_puts(s, " bytes missing! ");
	}
	if (o->vflag && hl && len &&
	    !put_verbose(p, li, s, (unsigned)hl->v.u, (unsigned)len->v.u)) {
		tp_sb_addr(s, &l->addr, true);
		tp_sb_puts(s, " > ");
		tp_sb_addr(s, &l->addr, false);
		/* tcpdump stops here, whatever comes after */
		tp_sb_puts(s, ":  [|ip]");
		return TP_SUM_STOP;
	}
	/* The line of a fragment is printed from a record dissected
	 * without reassembly (tp_line_record), as tcpdump prints it. */
	if (fo && fo->v.u) {
		/* Not the first fragment: no header of the next layer. */
		tp_sb_addr(s, &l->addr, true);
		tp_sb_puts(s, " > ");
		tp_sb_addr(s, &l->addr, false);
		tp_sb_puts(s, ": ip-proto-");
		tp_sb_dec(s, proto ? proto->v.u : 0);
		return TP_SUM_STOP;
	}
	/* TCP, UDP (and SCTP, DCCP: tcpdump's list) print the addresses
	 * with their ports. */
	const tp_dissector *up = li + 1 < p->nlayers ? p->layers[li + 1].d
						     : NULL;
	if (up != &tp_diss_tcp && up != &tp_diss_udp &&
	    !is_named(p, li + 1, "sctp") && !is_named(p, li + 1, "dccp")) {
		tp_sb_addr(s, &l->addr, true);
		tp_sb_puts(s, " > ");
		tp_sb_addr(s, &l->addr, false);
		tp_sb_puts(s, ": ");
	}
	if (li + 1 >= p->nlayers || p->layers[li + 1].d == &tp_diss_data) {
		/* tcpdump's ip_demux_print for a protocol it does not know */
		tp_sb_puts(s, " ip-proto-");
		tp_sb_dec(s, proto ? proto->v.u : 0);
		tp_sb_putc(s, ' ');
		uint64_t plen = l->payload_len;
		if (len && hl && len->v.u >= hl->v.u)
			plen = len->v.u - hl->v.u;
		tp_sb_dec(s, plen);
		return TP_SUM_STOP;
	}
	return TP_SUM_NEXT;
}

static const tp_key ip_keys[] = {
	{TP_TAB_ETHERTYPE, TP_ETH_IPV4},
	{TP_TAB_IPPROTO, TP_IPPROTO_IPIP},
	{0, 0},
};

const tp_dissector tp_diss_ip = {
	.name = "ip",
	.colname = "IPv4",
	.longname = "Internet Protocol Version 4",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = ip_keys,
	.dissect = ip_dissect,
	.summarize = ip_summarize,
};
