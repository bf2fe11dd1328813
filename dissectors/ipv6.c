/* ipv6.c - IPv6 fixed header and its extension headers, walked in place.
 *
 * RFC 8200 (IPv6: section 3 header, 4.3 hop-by-hop and 4.6 destination
 * options with the option format of 4.2, 4.4 routing, 4.5 fragment,
 * 4.7 no next header), RFC 2675 (jumbo payload option), RFC 2711 (router
 * alert), RFC 2473 4.1.1 (tunnel encapsulation limit), RFC 6275 6.3/6.4
 * (home address option, type 2 routing header), RFC 6554 (RPL source
 * route, type 3), RFC 8754 (segment routing header, type 4), RFC 5095
 * (type 0 deprecated), RFC 4302 2 (AH, length (len + 2) * 4), RFC 4303 2
 * (ESP: only SPI and sequence are in clear), RFC 2474 / RFC 3168 (traffic
 * class = DSCP + ECN).
 *
 * The payload length clamps the payload (Ethernet padding stays out); 0
 * with a hop-by-hop jumbo option means the jumbo length.  Extension headers
 * are walked here, at most TP_MAX_IPV6_EXT of them, each under its own tree
 * level; the last next header is the key of the next layer.
 *
 * Fragments (RFC 8200 4.5).  With a session that defragments
 * (p->sess->frags), a whole fragment (all of its payload captured, the
 * payload length consistent) goes to the fragment table (ipfrag.h, RFC 5722:
 * overlaps discard the datagram); its bytes become data, as tshark shows
 * them with ipv6.defragment on, even the first fragment's.  The fragment
 * that completes the datagram carries Wireshark's ipv6.fragments tree and
 * the walk goes on over the reassembled payload (p->reasm), from the first
 * fragment's next header.  An atomic fragment (offset 0, M clear, RFC 6946)
 * is no fragment: it is dissected in place.  A cut fragment is left alone,
 * as tshark leaves it.  Without defragmentation a fragment with a non-zero
 * offset stops the walk: its bytes are data.
 */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/flow.h"
#include "tapir/ipfrag.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/layerfields.h"

/* Options in one hop-by-hop / destination options header we record;
 * 2048 bytes of Pad1 would otherwise flood the record. */
#define MAX_OPTS 64
/* Addresses of one routing header (type 0 allows 127). */
#define MAX_RT_ADDRS 128

enum {
	F_VERSION,
	F_TCLASS,
	F_DSCP,
	F_ECN,
	F_FLOW,
	F_PLEN,
	F_NXT,
	F_HLIM,
	F_SRC,
	F_DST,
	/* hop-by-hop */
	F_HOP,
	F_HOP_NXT,
	F_HOP_LEN,
	F_HOP_LENOCT,
	/* destination options */
	F_DOPT,
	F_DOPT_NXT,
	F_DOPT_LEN,
	F_DOPT_LENOCT,
	/* options */
	F_OPT,
	F_OPT_TYPE,
	F_OPT_ACTION,
	F_OPT_CHANGE,
	F_OPT_REST,
	F_OPT_LEN,
	F_OPT_PAD1,
	F_OPT_PADN,
	F_OPT_RTALERT,
	F_OPT_TEL,
	F_OPT_JUMBO,
	F_OPT_HOMEADDR,
	F_OPT_UNKNOWN,
	/* routing */
	F_RT,
	F_RT_NXT,
	F_RT_LEN,
	F_RT_LENOCT,
	F_RT_TYPE,
	F_RT_SEGLEFT,
	F_RT_SRC_RSV,
	F_RT_SRC_ADDR,
	F_RT_MIP_RSV,
	F_RT_MIP_HOME,
	F_RT_RPL_CMPRI,
	F_RT_RPL_CMPRE,
	F_RT_RPL_PAD,
	F_RT_RPL_RSV,
	F_RT_RPL_COUNT,
	F_RT_RPL_ADDR,
	F_RT_RPL_FULL,
	F_RT_SRH_LAST,
	F_RT_SRH_FLAGS,
	F_RT_SRH_TAG,
	F_RT_SRH_ADDR,
	F_RT_UNKNOWN,
	/* fragment */
	F_FRAG,
	F_FRAG_NXT,
	F_FRAG_RSV8,
	F_FRAG_OFFSET,
	F_FRAG_RSVBITS,
	F_FRAG_MORE,
	F_FRAG_IDENT,
	/* AH and ESP: top-level fields, as their own protocols' */
	F_AH_NXT,
	F_AH_LEN,
	F_AH_RSV,
	F_AH_SPI,
	F_AH_SEQ,
	F_AH_ICV,
	F_ESP_SPI,
	F_ESP_SEQ,
	/* reassembly */
	F_FRAGMENTS,
	F_FRAGMENT,
	F_FRAGMENT_COUNT,
	F_REASM_LEN,
	F_REASM_DATA,
	F_ADDR,
	F_COUNT
};

/* Option types (IANA ipv6-parameters, names as Wireshark shows them). */
enum {
	OPT_PAD1 = 0x00,
	OPT_PADN = 0x01,
	OPT_TEL = 0x04,
	OPT_RTALERT = 0x05,
	OPT_JUMBO = 0xc2,
	OPT_HOMEADDR = 0xc9,
};

static const tp_valstr opt_type_vals[] = {
	{0x00, "Pad1"},
	{0x01, "PadN"},
	{0x04, "Tunnel Encapsulation Limit"},
	{0x05, "Router Alert"},
	{0x06, "Quick-Start"},
	{0x07, "CALIPSO"},
	{0x08, "SMF_DPD"},
	{0x0f, "Performance and Diagnostic Metrics"},
	{0x11, "IOAM"},
	{0x1e, "Experimental (0x1E)"},
	{0x23, "RPL Option"},
	{0x26, "Quick-Start"},
	{0x31, "IOAM"},
	{0x3e, "Experimental (0x3E)"},
	{0x4d, "Deprecated"},
	{0x5e, "Experimental (0x5E)"},
	{0x63, "RPL Option"},
	{0x6d, "MPL Option"},
	{0x7e, "Experimental (0x7E)"},
	{0x8a, "Endpoint Identification"},
	{0x8b, "ILNP Nonce"},
	{0x8c, "Line-Identification Option"},
	{0x9e, "Experimental (0x9E)"},
	{0xbe, "Experimental (0xBE)"},
	{0xc2, "Jumbo Payload"},
	{0xc9, "Home Address"},
	{0xde, "Experimental (0xDE)"},
	{0xee, "IP_DFF"},
	{0xfe, "Experimental (0xFE)"},
	{0, NULL},
};

static const tp_valstr opt_action_vals[] = {
	{0, "Skip and continue"},
	{1, "Discard packet"},
	{2, "Discard and send ICMP Parameter Problem"},
	{3, "Discard and send ICMP if not multicast"},
	{0, NULL},
};

static const tp_valstr rtalert_vals[] = {
	{0, "MLD"},
	{1, "RSVP"},
	{2, "Active Networks"},
	{0, NULL},
};

static const tp_valstr rt_type_vals[] = {
	{0, "Source Route"},
	{1, "Nimrod"},
	{2, "Type 2 Routing"},
	{3, "RPL Source Route"},
	{4, "Segment Routing"},
	{5, "Compact Routing Header 16"},
	{6, "Compact Routing Header 32"},
	{253, "Experiment 1"},
	{254, "Experiment 2"},
	{0, NULL},
};

extern const tp_field_def *const tp_ip_version_field; /* ipv4.c */

static const tp_field_def fields[F_COUNT] = {
	[F_VERSION] = {"ipv6.version", "Version", TP_FT_UINT8, TP_BASE_DEC,
		       NULL, 0},
	[F_TCLASS] = {"ipv6.tclass", "Traffic Class", TP_FT_UINT32,
		      TP_BASE_HEX, NULL, 0x0ff00000},
	[F_DSCP] = {"ipv6.tclass.dscp", "Differentiated Services Codepoint",
		    TP_FT_UINT32, TP_BASE_DEC, tp_dscp_vals, 0x0fc00000},
	[F_ECN] = {"ipv6.tclass.ecn", "Explicit Congestion Notification",
		   TP_FT_UINT32, TP_BASE_DEC, tp_ecn_vals, 0x00300000},
	[F_FLOW] = {"ipv6.flow", "Flow Label", TP_FT_UINT24, TP_BASE_HEX, NULL,
		    0xfffff},
	[F_PLEN] = {"ipv6.plen", "Payload Length", TP_FT_UINT16, TP_BASE_DEC,
		    NULL, 0},
	[F_NXT] = {"ipv6.nxt", "Next Header", TP_FT_UINT8, TP_BASE_DEC,
		   tp_ipproto_vals, 0},
	[F_HLIM] = {"ipv6.hlim", "Hop Limit", TP_FT_UINT8, TP_BASE_DEC, NULL,
		    0},
	[F_SRC] = {"ipv6.src", "Source Address", TP_FT_IPv6, TP_BASE_NONE,
		   NULL, 0},
	[F_DST] = {"ipv6.dst", "Destination Address", TP_FT_IPv6, TP_BASE_NONE,
		   NULL, 0},
	/* hidden, after the two addresses (tshark: "src,dst") */
	[F_ADDR] = {"ipv6.addr", "Source or Destination Address", TP_FT_IPv6,
		    TP_BASE_NONE | TP_BASE_HIDDEN, NULL, 0},

	[F_HOP] = {"ipv6.hopopts", "IPv6 Hop-by-Hop Option", TP_FT_PROTOCOL,
		   TP_BASE_NONE, NULL, 0},
	[F_HOP_NXT] = {"ipv6.hopopts.nxt", "Next Header", TP_FT_UINT8,
		       TP_BASE_DEC, tp_ipproto_vals, 0},
	[F_HOP_LEN] = {"ipv6.hopopts.len", "Length", TP_FT_UINT8, TP_BASE_DEC,
		       NULL, 0},
	[F_HOP_LENOCT] = {"ipv6.hopopts.len_oct", "Length", TP_FT_UINT16,
			  TP_BASE_DEC, NULL, 0},

	[F_DOPT] = {"ipv6.dstopts", "Destination Options for IPv6",
		    TP_FT_PROTOCOL, TP_BASE_NONE, NULL, 0},
	[F_DOPT_NXT] = {"ipv6.dstopts.nxt", "Next Header", TP_FT_UINT8,
			TP_BASE_DEC, tp_ipproto_vals, 0},
	[F_DOPT_LEN] = {"ipv6.dstopts.len", "Length", TP_FT_UINT8,
			TP_BASE_DEC, NULL, 0},
	[F_DOPT_LENOCT] = {"ipv6.dstopts.len_oct", "Length", TP_FT_UINT16,
			   TP_BASE_DEC, NULL, 0},

	[F_OPT] = {"ipv6.opt", "IPv6 Option", TP_FT_NONE, TP_BASE_NONE, NULL,
		   0},
	[F_OPT_TYPE] = {"ipv6.opt.type", "Type", TP_FT_UINT8, TP_BASE_HEX,
			opt_type_vals, 0},
	[F_OPT_ACTION] = {"ipv6.opt.type.action", "Action", TP_FT_UINT8,
			  TP_BASE_DEC, opt_action_vals, 0xc0},
	[F_OPT_CHANGE] = {"ipv6.opt.type.change", "May Change", TP_FT_BOOLEAN,
			  8, NULL, 0x20},
	[F_OPT_REST] = {"ipv6.opt.type.rest", "Low-Order Bits", TP_FT_UINT8,
			TP_BASE_HEX, NULL, 0x1f},
	[F_OPT_LEN] = {"ipv6.opt.length", "Length", TP_FT_UINT8, TP_BASE_DEC,
		       NULL, 0},
	[F_OPT_PAD1] = {"ipv6.opt.pad1", "Pad1", TP_FT_NONE, TP_BASE_NONE,
			NULL, 0},
	[F_OPT_PADN] = {"ipv6.opt.padn", "PadN", TP_FT_BYTES,
			TP_BASE_ALLOW_ZERO, NULL, 0},
	[F_OPT_RTALERT] = {"ipv6.opt.router_alert", "Router Alert",
			   TP_FT_UINT16, TP_BASE_DEC, rtalert_vals, 0},
	[F_OPT_TEL] = {"ipv6.opt.tel", "Tunnel Encapsulation Limit",
		       TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_OPT_JUMBO] = {"ipv6.opt.jumbo", "Payload Length", TP_FT_UINT32,
			 TP_BASE_DEC, NULL, 0},
	[F_OPT_HOMEADDR] = {"ipv6.opt.mipv6.home_address",
			    "MIPv6 Home Address", TP_FT_IPv6, TP_BASE_NONE,
			    NULL, 0},
	[F_OPT_UNKNOWN] = {"ipv6.opt.unknown", "Unknown Option Payload",
			   TP_FT_BYTES, TP_BASE_NONE, NULL, 0},

	/* tshark labels it "Routing Header for IPv6 (<type>)": the value is
	 * the routing type */
	[F_RT] = {"ipv6.routing", "Routing Header for IPv6", TP_FT_PROTOCOL,
		  TP_BASE_NONE, rt_type_vals, 0},
	[F_RT_NXT] = {"ipv6.routing.nxt", "Next Header", TP_FT_UINT8,
		      TP_BASE_DEC, tp_ipproto_vals, 0},
	[F_RT_LEN] = {"ipv6.routing.len", "Length", TP_FT_UINT8, TP_BASE_DEC,
		      NULL, 0},
	[F_RT_LENOCT] = {"ipv6.routing.len_oct", "Length", TP_FT_UINT16,
			 TP_BASE_DEC, NULL, 0},
	[F_RT_TYPE] = {"ipv6.routing.type", "Type", TP_FT_UINT8, TP_BASE_DEC,
		       rt_type_vals, 0},
	[F_RT_SEGLEFT] = {"ipv6.routing.segleft", "Segments Left", TP_FT_UINT8,
			  TP_BASE_DEC, NULL, 0},
	[F_RT_SRC_RSV] = {"ipv6.routing.src.reserved", "Reserved",
			  TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_RT_SRC_ADDR] = {"ipv6.routing.src.addr", "Address", TP_FT_IPv6,
			   TP_BASE_NONE, NULL, 0},
	[F_RT_MIP_RSV] = {"ipv6.routing.mipv6.reserved", "Reserved",
			  TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_RT_MIP_HOME] = {"ipv6.routing.mipv6.home_address", "Home Address",
			   TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_RT_RPL_CMPRI] = {"ipv6.routing.rpl.cmprI",
			    "Compressed Internal Octets (CmprI)", TP_FT_UINT32,
			    TP_BASE_DEC, NULL, 0xf0000000},
	[F_RT_RPL_CMPRE] = {"ipv6.routing.rpl.cmprE",
			    "Compressed Final Octets (CmprE)", TP_FT_UINT32,
			    TP_BASE_DEC, NULL, 0x0f000000},
	[F_RT_RPL_PAD] = {"ipv6.routing.rpl.pad", "Padding Bytes",
			  TP_FT_UINT32, TP_BASE_DEC, NULL, 0x00f00000},
	[F_RT_RPL_RSV] = {"ipv6.routing.rpl.reserved", "Reserved",
			  TP_FT_UINT32, TP_BASE_DEC, NULL, 0x000fffff},
	[F_RT_RPL_COUNT] = {"ipv6.routing.rpl.addr_count",
			    "Total Address Count", TP_FT_INT32, TP_BASE_DEC,
			    NULL, 0},
	[F_RT_RPL_ADDR] = {"ipv6.routing.rpl.address", "Address", TP_FT_BYTES,
			   TP_BASE_NONE, NULL, 0},
	[F_RT_RPL_FULL] = {"ipv6.routing.rpl.full_address", "Full Address",
			   TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_RT_SRH_LAST] = {"ipv6.routing.srh.last_entry", "Last Entry",
			   TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_RT_SRH_FLAGS] = {"ipv6.routing.srh.flags", "Flags", TP_FT_UINT8,
			    TP_BASE_HEX, NULL, 0},
	[F_RT_SRH_TAG] = {"ipv6.routing.srh.tag", "Tag", TP_FT_BYTES,
			  TP_BASE_NONE, NULL, 0},
	[F_RT_SRH_ADDR] = {"ipv6.routing.srh.addr", "Address", TP_FT_IPv6,
			   TP_BASE_NONE, NULL, 0},
	[F_RT_UNKNOWN] = {"ipv6.routing.unknown_data", "Type-Specific Data",
			  TP_FT_BYTES, TP_BASE_NONE, NULL, 0},

	[F_FRAG] = {"ipv6.fraghdr", "Fragment Header for IPv6",
		    TP_FT_PROTOCOL, TP_BASE_NONE, NULL, 0},
	[F_FRAG_NXT] = {"ipv6.fraghdr.nxt", "Next header", TP_FT_UINT8,
			TP_BASE_DEC, tp_ipproto_vals, 0},
	[F_FRAG_RSV8] = {"ipv6.fraghdr.reserved_octet", "Reserved octet",
			 TP_FT_UINT8, TP_BASE_HEX, NULL, 0},
	[F_FRAG_OFFSET] = {"ipv6.fraghdr.offset", "Offset", TP_FT_UINT16,
			   TP_BASE_DEC, NULL, 0xfff8},
	[F_FRAG_RSVBITS] = {"ipv6.fraghdr.reserved_bits", "Reserved bits",
			    TP_FT_UINT16, TP_BASE_DEC, NULL, 0x0006},
	[F_FRAG_MORE] = {"ipv6.fraghdr.more", "More Fragments", TP_FT_BOOLEAN,
			 16, NULL, 0x0001},
	[F_FRAG_IDENT] = {"ipv6.fraghdr.ident", "Identification", TP_FT_UINT32,
			  TP_BASE_HEX, NULL, 0},

	[F_AH_NXT] = {"ah.next_header", "Next header", TP_FT_UINT8,
		      TP_BASE_DEC, tp_ipproto_vals, 0},
	[F_AH_LEN] = {"ah.length", "Length", TP_FT_UINT8, TP_BASE_DEC, NULL,
		      0},
	[F_AH_RSV] = {"ah.reserved", "Reserved", TP_FT_BYTES, TP_BASE_NONE,
		      NULL, 0},
	[F_AH_SPI] = {"ah.spi", "AH SPI", TP_FT_UINT32, TP_BASE_HEX, NULL, 0},
	[F_AH_SEQ] = {"ah.sequence", "AH Sequence", TP_FT_UINT32, TP_BASE_DEC,
		      NULL, 0},
	[F_AH_ICV] = {"ah.icv", "AH ICV", TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_ESP_SPI] = {"esp.spi", "ESP SPI", TP_FT_UINT32, TP_BASE_HEX_DEC,
		       NULL, 0},
	[F_ESP_SEQ] = {"esp.sequence", "ESP Sequence", TP_FT_UINT32,
		       TP_BASE_DEC, NULL, 0},

	[F_FRAGMENTS] = {"ipv6.fragments", "IPv6 Fragments", TP_FT_NONE,
			 TP_BASE_NONE, NULL, 0},
	[F_FRAGMENT] = {"ipv6.fragment", "IPv6 Fragment", TP_FT_FRAMENUM,
			TP_BASE_NONE, NULL, 0},
	[F_FRAGMENT_COUNT] = {"ipv6.fragment.count", "Fragment count",
			      TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_REASM_LEN] = {"ipv6.reassembled.length", "Reassembled IPv6 length",
			 TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_REASM_DATA] = {"ipv6.reassembled.data", "Reassembled IPv6 data",
			  TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
};

const tp_field_def *const tp_fd_ipv6_src = &fields[F_SRC];
const tp_field_def *const tp_fd_ipv6_dst = &fields[F_DST];
const tp_field_def *const tp_fd_ipv6_plen = &fields[F_PLEN];
const tp_field_def *const tp_fd_ipv6_opt_jumbo = &fields[F_OPT_JUMBO];
const tp_field_def *const tp_fd_ipv6_opt_homeaddr = &fields[F_OPT_HOMEADDR];
const tp_field_def *const tp_fd_ipv6_fraghdr = &fields[F_FRAG];
const tp_field_def *const tp_fd_ipv6_routing = &fields[F_RT];
const tp_field_def *const tp_fd_ipv6_routing_type = &fields[F_RT_TYPE];
const tp_field_def *const tp_fd_ipv6_routing_len = &fields[F_RT_LEN];
const tp_field_def *const tp_fd_ipv6_routing_segleft = &fields[F_RT_SEGLEFT];
const tp_field_def *const tp_fd_ipv6_routing_src_addr = &fields[F_RT_SRC_ADDR];
const tp_field_def *const tp_fd_ipv6_routing_mipv6_home =
	&fields[F_RT_MIP_HOME];
const tp_field_def *const tp_fd_ipv6_routing_rpl_full =
	&fields[F_RT_RPL_FULL];
const tp_field_def *const tp_fd_ipv6_routing_srh_addr =
	&fields[F_RT_SRH_ADDR];

enum {
	E_VERSION,
	E_PLEN,
	E_PLEN_ZERO,
	E_TOO_MANY,
	E_EXT_LEN,
	E_HBH_NOT_FIRST,
	E_OPT_LEN,
	E_TOO_MANY_OPTS,
	E_JUMBO_MISSING,
	E_JUMBO_PROHIBITED,
	E_JUMBO_SHORT,
	E_RT_LEN,
	E_RT_SEGLEFT,
	E_RT_DEPRECATED,
	E_RT_RPL_COUNT,
	E_AH_LEN,
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
	[E_VERSION] = {"ipv6.bogus_ipv6_version", TP_EV_MALFORMED,
		       "Bogus IP version"},
	[E_PLEN] = {"ipv6.plen_exceeds_framing", TP_EV_MALFORMED,
		    "IPv6 payload length is larger than the frame"},
	[E_PLEN_ZERO] = {"ipv6.plen_zero", TP_EV_NOTE,
			 "IPv6 payload length equals 0 (maybe because of "
			 "TCP segmentation offload)"},
	[E_TOO_MANY] = {"ipv6.ext.too_many", TP_EV_MALFORMED,
			"Too many IPv6 extension headers: the rest was not "
			"dissected"},
	[E_EXT_LEN] = {"ipv6.ext.length_past_payload", TP_EV_MALFORMED,
		       "IPv6 extension header length runs past the payload"},
	[E_HBH_NOT_FIRST] = {"ipv6.hopopts.not_first", TP_EV_WARN,
			     "IPv6 Hop-by-Hop extension header must appear "
			     "immediately after IPv6 header"},
	[E_OPT_LEN] = {"ipv6.opt.invalid_len", TP_EV_MALFORMED,
		       "Invalid IPv6 option length"},
	[E_TOO_MANY_OPTS] = {"ipv6.opt.too_many", TP_EV_WARN,
			     "Too many options in one IPv6 extension header: "
			     "the rest were not recorded"},
	[E_JUMBO_MISSING] = {"ipv6.opt.jumbo.missing", TP_EV_MALFORMED,
			     "IPv6 payload length equals 0 and Hop-By-Hop "
			     "present and Jumbo Payload option missing"},
	[E_JUMBO_PROHIBITED] = {"ipv6.opt.jumbo.prohibited", TP_EV_WARN,
				"When IPv6 payload length does not equal 0 a "
				"Jumbo Payload option must not be present"},
	[E_JUMBO_SHORT] = {"ipv6.opt.jumbo.truncated", TP_EV_WARN,
			   "Jumbo Payload option present and jumbo length < "
			   "65536"},
	[E_RT_LEN] = {"ipv6.routing.invalid_length", TP_EV_MALFORMED,
		      "Invalid IPv6 Routing header length"},
	[E_RT_SEGLEFT] = {"ipv6.routing.invalid_segleft", TP_EV_WARN,
			  "IPv6 Routing Header segments left field must not "
			  "exceed address count"},
	[E_RT_DEPRECATED] = {"ipv6.routing.deprecated", TP_EV_NOTE,
			     "Routing header type is deprecated"},
	[E_RT_RPL_COUNT] = {"ipv6.routing.rpl.addr_count_ge0",
			    TP_EV_MALFORMED,
			    "Calculated total address count must be greater "
			    "than or equal to 0"},
	[E_AH_LEN] = {"ah.bogus_length", TP_EV_MALFORMED,
		      "AH length is shorter than its fixed part"},
	/* Reassembly.  The overlap, tail and error names are Wireshark's
	 * fields; tapir raises them on the frame where they happen. */
	[E_FRAG_HELD] = {"ipv6.fragment.held", TP_EV_NOTE,
			 "Fragment held for reassembly: the datagram is "
			 "dissected in the frame that completes it"},
	[E_FRAG_OVERLAP] = {"ipv6.fragment.overlap", TP_EV_WARN,
			    "Fragment overlaps with other fragments"},
	[E_FRAG_CONFLICT] = {"ipv6.fragment.overlap.conflict", TP_EV_WARN,
			     "Overlapping fragments contained conflicting "
			     "data"},
	[E_FRAG_MULTITAILS] = {"ipv6.fragment.multipletails", TP_EV_WARN,
			       "Several tails were found when defragmenting "
			       "the packet"},
	[E_FRAG_TOOLONG] = {"ipv6.fragment.toolongfragment", TP_EV_WARN,
			    "Fragment contained data past end of packet"},
	[E_FRAG_ERROR] = {"ipv6.fragment.error", TP_EV_WARN,
			  "Defragmentation error due to illegal fragments: "
			  "the datagram was discarded (overlaps: RFC 5722)"},
	[E_FRAG_CAPPED] = {"ipv6.fragment.capped", TP_EV_NOTE,
			   "A reassembly cap (datagrams, memory or fragments "
			   "per datagram) dropped a datagram in progress"},
};

/* What the walk of one packet keeps. */
struct walk {
	size_t hdr_end;  /* offset just after the fixed header */
	uint16_t plen;
	bool jumbo;      /* a valid jumbo payload option was seen */
	uint32_t jumbo_len;
	const uint8_t *dst;
	bool len_bad;    /* the payload length runs past the frame */
};

/* A child cursor ran short of captured bytes: the parent stops where the
 * child did, with the child's status. */
static void fail_from(tp_cursor *c, const tp_cursor *child)
{
	if (child->status == TP_OK)
		return;
	c->off = child->off;
	tp_fail(c, child->status);
}

/* ---- options (RFC 8200 4.2) ---------------------------------------- */

/* One option whose value has a fixed length: a wrong length is
 * recorded and the value kept as unknown bytes. */
static bool opt_fixed(tp_pkt *p, tp_cursor *o, uint8_t olen, uint8_t want,
		      size_t len_at)
{
	if (olen == want)
		return true;
	tp_add_event(p, &events[E_OPT_LEN], len_at);
	if (olen)
		tp_get_bytes(p, o, &fields[F_OPT_UNKNOWN], olen);
	return false;
}

static void opt_value(tp_pkt *p, tp_cursor *o, uint8_t type, uint8_t olen,
		      size_t len_at, bool hbh, struct walk *w)
{
	switch (type) {
	case OPT_PADN: /* shown even when empty ("<none>"), as Wireshark */
		tp_get_bytes(p, o, &fields[F_OPT_PADN], olen);
		break;
	case OPT_RTALERT:
		if (opt_fixed(p, o, olen, 2, len_at))
			tp_get_be16(p, o, &fields[F_OPT_RTALERT]);
		break;
	case OPT_TEL:
		if (opt_fixed(p, o, olen, 1, len_at))
			tp_get_u8(p, o, &fields[F_OPT_TEL]);
		break;
	case OPT_JUMBO: {
		if (!opt_fixed(p, o, olen, 4, len_at))
			break;
		size_t at = o->off;
		uint32_t v = tp_get_be32(p, o, &fields[F_OPT_JUMBO]);
		if (!tp_ok(o))
			break;
		if (w->plen != 0) {
			tp_add_event(p, &events[E_JUMBO_PROHIBITED], at);
		} else if (hbh && !w->jumbo) {
			if (v < 65536)
				tp_add_event(p, &events[E_JUMBO_SHORT], at);
			w->jumbo = true;
			w->jumbo_len = v;
		}
		break;
	}
	case OPT_HOMEADDR:
		if (olen < 16) {
			tp_add_event(p, &events[E_OPT_LEN], len_at);
			if (olen)
				tp_get_bytes(p, o, &fields[F_OPT_UNKNOWN],
					     olen);
			break;
		}
		tp_get_bytes(p, o, &fields[F_OPT_HOMEADDR], 16);
		if (olen > 16)
			tp_get_bytes(p, o, &fields[F_OPT_UNKNOWN], olen - 16u);
		break;
	default:
		if (olen)
			tp_get_bytes(p, o, &fields[F_OPT_UNKNOWN], olen);
		break;
	}
}

/* Walk the options of a hop-by-hop or destination options header whose
 * body (after next header and length) is `h`.  Returns false when the
 * capture ran short (h carries the status). */
static bool walk_options(tp_pkt *p, tp_cursor *h, bool hbh, struct walk *w)
{
	for (unsigned n = 0; tp_reported(h) > 0; n++) {
		size_t os = h->off;
		if (n == MAX_OPTS) {
			tp_add_event(p, &events[E_TOO_MANY_OPTS], os);
			return true;
		}
		tp_field *of = tp_add_uint(p, &fields[F_OPT], os, 0, 0);
		tp_push(p);
		uint8_t type = tp_get_u8(p, h, &fields[F_OPT_TYPE]);
		if (!tp_ok(h)) {
			tp_pop(p);
			return false;
		}
		if (type == OPT_PAD1) {
			tp_add_uint(p, &fields[F_OPT_PAD1], os, 1, 0);
			if (of)
				of->len = 1;
			tp_pop(p);
			continue;
		}
		tp_push(p);
		tp_add_uint(p, &fields[F_OPT_ACTION], os, 1, type >> 6);
		tp_add_uint(p, &fields[F_OPT_CHANGE], os, 1, (type >> 5) & 1);
		tp_add_uint(p, &fields[F_OPT_REST], os, 1, type & 0x1f);
		tp_pop(p);
		size_t len_at = h->off;
		if (tp_reported(h) < 1) {
			/* the type is the last byte of the header */
			tp_add_event(p, &events[E_OPT_LEN], os);
			tp_pop(p);
			return true;
		}
		uint8_t olen = tp_get_u8(p, h, &fields[F_OPT_LEN]);
		if (!tp_ok(h)) {
			tp_pop(p);
			return false;
		}
		if (olen > tp_reported(h)) {
			tp_add_event(p, &events[E_OPT_LEN], len_at);
			tp_pop(p);
			return true;
		}
		if (of)
			of->len = 2u + olen;
		tp_cursor o = tp_sub(h, olen);
		opt_value(p, &o, type, olen, len_at, hbh, w);
		tp_pop(p);
		if (!tp_ok(&o)) {
			fail_from(h, &o);
			return false;
		}
	}
	return true;
}

/* ---- routing header (RFC 8200 4.4) --------------------------------- */

static void rt_addrs(tp_pkt *p, tp_cursor *h, const tp_field_def *f,
		     unsigned n)
{
	for (unsigned i = 0; i < n && i < MAX_RT_ADDRS && tp_ok(h); i++)
		tp_get_bytes(p, h, f, 16);
}

/* RFC 6554 3: addresses elided of their first CmprI (CmprE for the
 * last) octets, which are those of the IPv6 destination. */
static void rt_rpl(tp_pkt *p, tp_cursor *h, uint8_t hl, uint8_t segleft,
		   size_t seg_at, const struct walk *w)
{
	size_t at = h->off;
	uint32_t v = tp_be32(h);
	if (!tp_ok(h))
		return;
	unsigned cmpri = v >> 28, cmpre = (v >> 24) & 0xf,
		 pad = (v >> 20) & 0xf;
	tp_add_uint(p, &fields[F_RT_RPL_CMPRI], at, 4, cmpri);
	tp_add_uint(p, &fields[F_RT_RPL_CMPRE], at, 4, cmpre);
	tp_add_uint(p, &fields[F_RT_RPL_PAD], at, 4, pad);
	tp_add_uint(p, &fields[F_RT_RPL_RSV], at, 4, v & 0xfffff);
	long total = (long)hl * 8 - (long)pad - (16 - (long)cmpre);
	long count = total < 0 ? -1 : total / (16 - (long)cmpri) + 1;
	tp_add_uint(p, &fields[F_RT_RPL_COUNT], at, 0, (uint64_t)count);
	if (count < 0) {
		tp_add_event(p, &events[E_RT_RPL_COUNT], at);
		return;
	}
	if (segleft > count)
		tp_add_event(p, &events[E_RT_SEGLEFT], seg_at);
	for (long i = 0; i < count && i < MAX_RT_ADDRS; i++) {
		unsigned cmpr = i + 1 == count ? cmpre : cmpri;
		size_t n = 16 - cmpr;
		size_t aat = h->off;
		const uint8_t *a =
			tp_get_bytes(p, h, &fields[F_RT_RPL_ADDR], n);
		if (!a)
			return;
		uint8_t *full = tp_arena_alloc(p, 16);
		if (!full || !w->dst)
			continue;
		memcpy(full, w->dst, cmpr);
		memcpy(full + cmpr, a, n);
		tp_add_bytes(p, &fields[F_RT_RPL_FULL], aat, n, full, 16);
	}
}

static void rt_body(tp_pkt *p, tp_cursor *h, uint8_t hl, size_t type_at,
		    const struct walk *w)
{
	uint8_t type = tp_get_u8(p, h, &fields[F_RT_TYPE]);
	size_t seg_at = h->off;
	uint8_t segleft = tp_get_u8(p, h, &fields[F_RT_SEGLEFT]);
	if (!tp_ok(h))
		return;
	switch (type) {
	case 0:
		tp_add_event(p, &events[E_RT_DEPRECATED], type_at);
		tp_get_bytes(p, h, &fields[F_RT_SRC_RSV], 4);
		if (hl % 2)
			tp_add_event(p, &events[E_RT_LEN], type_at - 1);
		if (segleft > hl / 2)
			tp_add_event(p, &events[E_RT_SEGLEFT], seg_at);
		rt_addrs(p, h, &fields[F_RT_SRC_ADDR], hl / 2u);
		break;
	case 2:
		tp_get_bytes(p, h, &fields[F_RT_MIP_RSV], 4);
		if (hl != 2) {
			tp_add_event(p, &events[E_RT_LEN], type_at - 1);
			if (hl < 2)
				break;
		}
		if (segleft > 1)
			tp_add_event(p, &events[E_RT_SEGLEFT], seg_at);
		tp_get_bytes(p, h, &fields[F_RT_MIP_HOME], 16);
		break;
	case 3:
		rt_rpl(p, h, hl, segleft, seg_at, w);
		break;
	case 4: {
		uint8_t last = tp_get_u8(p, h, &fields[F_RT_SRH_LAST]);
		tp_get_u8(p, h, &fields[F_RT_SRH_FLAGS]);
		tp_get_bytes(p, h, &fields[F_RT_SRH_TAG], 2);
		if (!tp_ok(h))
			break;
		unsigned n = last + 1u, room = (unsigned)(tp_reported(h) / 16);
		if (n > room) {
			tp_add_event(p, &events[E_RT_LEN], type_at - 1);
			n = room;
		}
		if (segleft > last + 1u)
			tp_add_event(p, &events[E_RT_SEGLEFT], seg_at);
		rt_addrs(p, h, &fields[F_RT_SRH_ADDR], n);
		break;
	}
	default:
		if (tp_reported(h))
			tp_get_bytes(p, h, &fields[F_RT_UNKNOWN],
				     tp_reported(h));
		break;
	}
}

/* ---- the walk ------------------------------------------------------- */

static bool is_ext(uint64_t nh)
{
	return nh == TP_IPPROTO_HOPOPTS || nh == TP_IPPROTO_ROUTING ||
	       nh == TP_IPPROTO_FRAGMENT || nh == TP_IPPROTO_DSTOPTS ||
	       nh == TP_IPPROTO_AH || nh == TP_IPPROTO_ESP;
}

/* Hop-by-hop, routing, destination options: next header, length in
 * 8-octet units not counting the first 8.  Returns false to stop. */
static bool ext_generic(tp_pkt *p, tp_cursor *c, uint8_t *nh, int which,
			struct walk *w)
{
	static const int defs[3][4] = {
		{F_HOP, F_HOP_NXT, F_HOP_LEN, F_HOP_LENOCT},
		{F_RT, F_RT_NXT, F_RT_LEN, F_RT_LENOCT},
		{F_DOPT, F_DOPT_NXT, F_DOPT_LEN, F_DOPT_LENOCT},
	};
	const int *d = defs[which];
	size_t hs = c->off;
	if (p->in_error && !tp_has(c, 2))
		return false; /* the quote ends here */
	tp_field *pf = tp_add_uint(p, &fields[d[0]], hs, 0, 0);
	tp_push(p);
	uint8_t nx = tp_get_u8(p, c, &fields[d[1]]);
	uint8_t hl = tp_get_u8(p, c, &fields[d[2]]);
	if (!tp_ok(c)) {
		tp_pop(p);
		return false;
	}
	size_t hlen = ((size_t)hl + 1) * 8;
	tp_add_uint(p, &fields[d[3]], hs + 1, 0, hlen);
	if (pf)
		pf->len = (uint32_t)hlen;
	if (hlen - 2 > tp_reported(c)) {
		if (p->in_error) {
			tp_pop(p);
			return false;
		}
		tp_add_event(p, &events[E_EXT_LEN], hs + 1);
	}
	tp_cursor h = tp_sub(c, hlen - 2);
	if (which == 1) {
		rt_body(p, &h, hl, hs + 2, w);
		/* the routing header's value is its type (its label) */
		for (tp_field *x = pf ? pf + 1 : NULL;
		     x && x < p->fields + p->nfields; x++)
			if (x->def == &fields[F_RT_TYPE]) {
				pf->v.u = x->v.u;
				break;
			}
	} else {
		walk_options(p, &h, which == 0, w);
	}
	tp_pop(p);
	if (h.status == TP_TRUNCATED) {
		fail_from(c, &h);
		return false;
	}
	*nh = nx;
	return tp_ok(c);
}

/* What one fragment header says. */
struct fraghdr {
	uint8_t nxt;
	uint16_t offlg; /* offset << 3 | reserved << 1 | M */
	uint32_t ident;
};

/* False when the header is not all there. */
static bool ext_fragment(tp_pkt *p, tp_cursor *c, struct fraghdr *fh)
{
	size_t hs = c->off;
	if (p->in_error && !tp_has(c, 8))
		return false;
	tp_add_uint(p, &fields[F_FRAG], hs, 8, 0);
	tp_push(p);
	fh->nxt = tp_get_u8(p, c, &fields[F_FRAG_NXT]);
	tp_get_u8(p, c, &fields[F_FRAG_RSV8]);
	size_t at = c->off;
	fh->offlg = tp_be16(c);
	if (tp_ok(c)) {
		uint16_t offlg = fh->offlg;
		tp_add_uint(p, &fields[F_FRAG_OFFSET], at, 2, offlg >> 3);
		tp_add_uint(p, &fields[F_FRAG_RSVBITS], at, 2,
			    (offlg >> 1) & 3);
		tp_add_uint(p, &fields[F_FRAG_MORE], at, 2, offlg & 1);
		if (offlg & 0xfff9)
			tp_cur_layer(p)->addr.fragment = 1;
	}
	fh->ident = tp_get_be32(p, c, &fields[F_FRAG_IDENT]);
	tp_pop(p);
	return tp_ok(c);
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

enum { FRAG_NOT_TAKEN, FRAG_HELD, FRAG_DONE };

/* A fragment (offset or M set), `c` just after its header.  When it is
 * whole it goes to the table: not completing, its payload is left to the
 * data layer (FRAG_HELD); completing, Wireshark's ipv6.fragments tree is
 * added, `c` moves to the reassembled payload, *nh is the first fragment's
 * next header and the next layer verifies its checksum over the whole
 * datagram (addr.fragment = 0).  ipv6.reassembled.in, which Wireshark shows
 * on the earlier fragments, needs a second pass (tshark -2): a single pass
 * does not know it when it dissects them, so it is not given. */
static int defragment(tp_pkt *p, tp_cursor *c, const struct walk *w,
		      const struct fraghdr *fh, uint8_t *nh)
{
	tp_fragtab *ft = tp_frag_table(p);
	size_t n = tp_reported(c);
	if (!ft || w->plen == 0 || w->len_bad || n == 0 || tp_avail(c) != n)
		return FRAG_NOT_TAKEN;
	tp_layer *l = tp_cur_layer(p);
	size_t at = c->off;
	tp_cursor v = *c;
	const uint8_t *data = tp_bytes(&v, n);
	if (!data || !l->addr.src || !l->addr.dst)
		return FRAG_NOT_TAKEN;
	tp_fragkey k;
	memset(&k, 0, sizeof k);
	k.family = 6;
	k.vlan[0] = p->vlan_id[0];
	k.vlan[1] = p->vlan_id[1];
	k.id = fh->ident;
	memcpy(k.src, l->addr.src, 16);
	memcpy(k.dst, l->addr.dst, 16);
	uint32_t off = (uint32_t)(fh->offlg >> 3) * 8;
	bool more = (fh->offlg & 1) != 0;
	tp_fragdone done;
	unsigned r = tp_frag_add(ft, &k, off, more, fh->nxt, data, n,
				 p->number, p->ts_sec, &done);
	tp_frag_report(p, r, more, (uint64_t)off + n, at, frag_evs);
	if (!(r & TP_FRAG_DONE))
		return FRAG_HELD;

	tp_add_uint(p, &fields[F_FRAGMENTS], at, 0, 0);
	tp_push(p);
	/* the first TP_FRAG_LIST_MAX frames (a packet record holds
	 * TP_MAX_FIELDS fields); the count counts them all */
	for (unsigned i = 0; i < done.nframes && i < TP_FRAG_LIST_MAX; i++)
		tp_add_uint(p, &fields[F_FRAGMENT], at, 0, done.frames[i]);
	tp_add_uint(p, &fields[F_FRAGMENT_COUNT], at, 0, done.nframes);
	tp_add_uint(p, &fields[F_REASM_LEN], at, 0, done.len);
	tp_add_bytes(p, &fields[F_REASM_DATA], at, 0, done.data, done.len);
	tp_pop(p);

	l->addr.fragment = 0;
	l->len = (uint32_t)(at - l->off);
	p->reasm = done.data;
	p->reasm_len = done.len;
	p->reasm_active = true;
	*c = tp_cursor_make(done.data, done.len, done.len);
	*nh = done.proto;
	return FRAG_DONE;
}

/* RFC 4302 2.2: the length counts 4-octet words, minus 2. */
static bool ext_ah(tp_pkt *p, tp_cursor *c, uint8_t *nh)
{
	size_t hs = c->off;
	if (p->in_error && !tp_has(c, 2))
		return false;
	uint8_t nx = tp_get_u8(p, c, &fields[F_AH_NXT]);
	uint8_t al = tp_get_u8(p, c, &fields[F_AH_LEN]);
	if (!tp_ok(c))
		return false;
	size_t hlen = ((size_t)al + 2) * 4;
	if (hlen < 12) {
		tp_add_event(p, &events[E_AH_LEN], hs + 1);
		return false;
	}
	if (hlen - 2 > tp_reported(c)) {
		if (p->in_error)
			return false;
		tp_add_event(p, &events[E_EXT_LEN], hs + 1);
	}
	tp_cursor h = tp_sub(c, hlen - 2);
	tp_get_bytes(p, &h, &fields[F_AH_RSV], 2);
	tp_get_be32(p, &h, &fields[F_AH_SPI]);
	tp_get_be32(p, &h, &fields[F_AH_SEQ]);
	if (hlen > 12)
		tp_get_bytes(p, &h, &fields[F_AH_ICV], hlen - 12);
	if (h.status == TP_TRUNCATED) {
		fail_from(c, &h);
		return false;
	}
	*nh = nx;
	return tp_ok(c);
}

/* RFC 4303 2: SPI and sequence number, then ciphertext. */
static void ext_esp(tp_pkt *p, tp_cursor *c)
{
	if (p->in_error && !tp_has(c, 8))
		return;
	tp_get_be32(p, c, &fields[F_ESP_SPI]);
	tp_get_be32(p, c, &fields[F_ESP_SEQ]);
}

/* After the hop-by-hop header of a packet whose payload length is 0:
 * the jumbo option gives the length (RFC 2675 3). */
static void jumbo_clamp(tp_pkt *p, tp_cursor *c, struct walk *w, size_t hs)
{
	if (!w->jumbo) {
		tp_add_event(p, &events[E_JUMBO_MISSING], hs);
		return;
	}
	size_t used = c->off - w->hdr_end;
	if (w->jumbo_len < used ||
	    !tp_clamp(c, (size_t)w->jumbo_len - used)) {
		w->len_bad = true;
		if (!p->in_error)
			tp_add_event(p, &events[E_PLEN], hs);
	}
}

/* The fixed header (RFC 8200 3).  False when it is not all there, or
 * not version 6. */
static bool fixed_header(tp_pkt *p, tp_cursor *c, struct walk *w,
			 uint8_t *nh, size_t *plen_at)
{
	size_t at = c->off;
	uint32_t w0 = tp_be32(c);
	if (!tp_ok(c))
		return false;
	unsigned version = w0 >> 28;
	tp_add_uint(p, &fields[F_VERSION], at, 1, version);
	/* Wireshark adds IPv4's ip.version here too (hidden) */
	tp_add_uint(p, tp_ip_version_field, at, 1, version);
	if (version != 6) {
		tp_add_event(p, &events[E_VERSION], at);
		return false;
	}
	tp_add_uint(p, &fields[F_TCLASS], at, 4, (w0 >> 20) & 0xff);
	tp_push(p);
	tp_add_uint(p, &fields[F_DSCP], at, 4, (w0 >> 22) & 0x3f);
	tp_add_uint(p, &fields[F_ECN], at, 4, (w0 >> 20) & 3);
	tp_pop(p);
	tp_add_uint(p, &fields[F_FLOW], at + 1, 3, w0 & 0xfffff);
	*plen_at = c->off;
	w->plen = tp_get_be16(p, c, &fields[F_PLEN]);
	*nh = tp_get_u8(p, c, &fields[F_NXT]);
	tp_get_u8(p, c, &fields[F_HLIM]);
	size_t sat = c->off;
	const uint8_t *src = tp_get_bytes(p, c, &fields[F_SRC], 16);
	const uint8_t *dst = tp_get_bytes(p, c, &fields[F_DST], 16);
	if (!tp_ok(c))
		return false;
	/* after both: the summary's hints find them where they were */
	tp_add_alias(p, &fields[F_ADDR], sat, src, 16);
	tp_add_alias(p, &fields[F_ADDR], sat + 16, dst, 16);
	tp_cur_layer(p)->addr = (tp_netaddr){6, *nh, 0, src, dst};
	w->hdr_end = c->off;
	w->dst = dst;
	return true;
}

static tp_next ipv6_dissect(tp_pkt *p, tp_cursor *c)
{
	struct walk w = {0};
	uint8_t nh = 0;
	size_t plen_at = 0;
	if (p->in_error && !tp_has(c, 40)) {
		/* A quote cut inside the header: what is there, quietly;
		 * the rest is data. */
		tp_cursor q = tp_sub(c, tp_avail(c));
		fixed_header(p, &q, &w, &nh, &plen_at);
		c->off = q.off;
		return TP_STOP;
	}
	if (!fixed_header(p, c, &w, &nh, &plen_at))
		return TP_STOP;

	if (w.plen == 0) {
		/* A jumbogram when a hop-by-hop header follows (its jumbo
		 * option says how long); otherwise nothing follows, as
		 * Wireshark and tcpdump read it (TSO captures). */
		if (nh != TP_IPPROTO_HOPOPTS) {
			if (tp_reported(c))
				tp_add_event(p, &events[E_PLEN_ZERO], plen_at);
			tp_clamp(c, 0);
		}
	} else if (!tp_clamp(c, w.plen)) {
		w.len_bad = true;
		if (!p->in_error)
			tp_add_event(p, &events[E_PLEN], plen_at);
	}

	for (unsigned n = 0;; n++) {
		if (!is_ext(nh))
			break;
		if (n == TP_MAX_IPV6_EXT) {
			tp_add_event(p, &events[E_TOO_MANY], c->off);
			return TP_STOP;
		}
		size_t hs = c->off;
		size_t fixed = nh == TP_IPPROTO_FRAGMENT || nh == TP_IPPROTO_ESP
				       ? 8
				       : 2;
		if (tp_reported(c) < fixed && !p->in_error)
			tp_add_event(p, &events[E_EXT_LEN], hs);
		switch (nh) {
		case TP_IPPROTO_HOPOPTS:
			if (n)
				tp_add_event(p, &events[E_HBH_NOT_FIRST], hs);
			if (!ext_generic(p, c, &nh, 0, &w))
				return TP_STOP;
			if (w.plen == 0 && n == 0)
				jumbo_clamp(p, c, &w, hs);
			break;
		case TP_IPPROTO_ROUTING:
			if (!ext_generic(p, c, &nh, 1, &w))
				return TP_STOP;
			break;
		case TP_IPPROTO_DSTOPTS:
			if (!ext_generic(p, c, &nh, 2, &w))
				return TP_STOP;
			break;
		case TP_IPPROTO_FRAGMENT: {
			struct fraghdr fh;
			if (!ext_fragment(p, c, &fh))
				return TP_STOP;
			int r = FRAG_NOT_TAKEN;
			if (fh.offlg & 0xfff9)
				r = defragment(p, c, &w, &fh, &nh);
			if (r == FRAG_HELD)
				return TP_STOP; /* the payload becomes data */
			if (r == FRAG_DONE)
				break;
			/* Only the first fragment holds the next header. */
			if (fh.offlg >> 3)
				return TP_STOP;
			nh = fh.nxt;
			break;
		}
		case TP_IPPROTO_AH:
			if (!ext_ah(p, c, &nh))
				return TP_STOP;
			break;
		default: /* ESP: the rest is encrypted */
			ext_esp(p, c);
			return TP_STOP;
		}
	}
	if (nh == TP_IPPROTO_NONE)
		return TP_STOP;
	return tp_next_key(TP_TAB_IPPROTO, nh);
}

/* ---- one-line summary, as tcpdump's ip6_print ---------------------- */

static bool is_marker(const tp_field *f)
{
	return f->def == &fields[F_HOP] || f->def == &fields[F_DOPT] ||
	       f->def == &fields[F_RT] || f->def == &fields[F_FRAG] ||
	       f->def == &fields[F_AH_NXT] || f->def == &fields[F_ESP_SPI];
}

static uint64_t bytes_value(const tp_field *f)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < f->vlen && i < 8; i++)
		v = v << 8 | f->v.p[i];
	return v;
}

/* Is the whole extension header whose marker is `x` captured? */
static bool ext_captured(const tp_pkt *p, unsigned li, const tp_field *x)
{
	const tp_layer *l = &p->layers[li];
	tp_cursor c = tp_layer_cursor(p, li);
	/* within what was captured and within the payload length */
	return x->off >= l->off && x->len >= 2 &&
	       x->off + x->len <= (uint64_t)l->off + l->len + l->payload_len &&
	       tp_skip(&c, x->off - l->off) && tp_has(&c, x->len);
}

/* tcpdump's " [|hbhopt]": the end of the line. */
static tp_sum ext_cut(tp_sbuf *s, const char *proto)
{
	tp_sb_puts(s, " [|");
	tp_sb_puts(s, proto);
	tp_sb_putc(s, ']');
	return TP_SUM_STOP;
}

/* A routing header cut short: tcpdump's " [|rt6]" ends the line. */
static bool rt6_cut(tp_sbuf *s)
{
	tp_sb_puts(s, " [|rt6]");
	return false;
}

/* print-rt6.c (tcpdump 4.99): "RT6 (len=2, type=0 [Deprecated],
 * segleft=0, [0]a) ".  Returns false when tcpdump stops there (unknown
 * type, odd length, header cut short). */
static bool put_rt6(const tp_pkt *p, unsigned li, tp_sbuf *s,
		    const tp_field *f, const tp_field *end, int vflag)
{
	const tp_field *len = NULL, *type = NULL, *segleft = NULL;
	const tp_field *rsv = NULL, *last = NULL, *flags = NULL, *tag = NULL;
	for (const tp_field *x = f; x < end; x++) {
		const tp_field_def *d = x->def;
		if (d == &fields[F_RT_LEN])
			len = x;
		else if (d == &fields[F_RT_TYPE])
			type = x;
		else if (d == &fields[F_RT_SEGLEFT])
			segleft = x;
		else if (d == &fields[F_RT_SRC_RSV] ||
			 d == &fields[F_RT_MIP_RSV])
			rsv = x;
		else if (d == &fields[F_RT_SRH_LAST])
			last = x;
		else if (d == &fields[F_RT_SRH_FLAGS])
			flags = x;
		else if (d == &fields[F_RT_SRH_TAG])
			tag = x;
	}
	tp_sb_puts(s, "RT6");
	if (!len)
		return rt6_cut(s);
	tp_sb_puts(s, " (len=");
	tp_sb_dec(s, len->v.u);
	if (!type)
		return rt6_cut(s);
	tp_sb_puts(s, ", type=");
	tp_sb_dec(s, type->v.u);
	if (type->v.u == 0)
		tp_sb_puts(s, " [Deprecated]");
	if (!segleft)
		return rt6_cut(s);
	tp_sb_puts(s, ", segleft=");
	tp_sb_dec(s, segleft->v.u);
	uint64_t want = len->v.u / 2;
	if (type->v.u == 0 || type->v.u == 2) {
		if (!rsv)
			return rt6_cut(s);
		if (bytes_value(rsv) || vflag) {
			tp_sb_puts(s, ", rsv=0x");
			tp_sb_hex(s, bytes_value(rsv), 1);
		}
	} else if (type->v.u == 4) {
		if (!last)
			return rt6_cut(s);
		tp_sb_puts(s, ", last-entry=");
		tp_sb_dec(s, last->v.u);
		if (!flags)
			return rt6_cut(s);
		if (flags && (flags->v.u || vflag)) {
			tp_sb_puts(s, ", flags=0x");
			tp_sb_hex(s, flags->v.u, 1);
		}
		if (!tag)
			return rt6_cut(s);
		tp_sb_puts(s, ", tag=");
		tp_sb_hex(s, bytes_value(tag), 1);
		if (want > last->v.u + 1)
			want = last->v.u + 1;
	} else {
		tp_sb_puts(s, " (unknown type) (invalid)");
		return false;
	}
	if (len->v.u % 2) {
		tp_sb_puts(s, " (invalid length ");
		tp_sb_dec(s, len->v.u);
		tp_sb_puts(s, ") (invalid)");
		return false;
	}
	/* the addresses (every one the length holds, as tcpdump reads
	 * them: a type 2 header longer than one address too) */
	tp_cursor c = tp_layer_cursor(p, li);
	if (!tp_skip(&c, f->off - p->layers[li].off + 8))
		return rt6_cut(s);
	for (unsigned i = 0; i < want; i++) {
		const uint8_t *a = tp_bytes(&c, 16);
		if (!a)
			return rt6_cut(s);
		tp_sb_puts(s, ", [");
		tp_sb_dec(s, i);
		tp_sb_putc(s, ']');
		tp_sb_ipv6(s, a);
	}
	if (!ext_captured(p, li, f))
		return rt6_cut(s); /* the rest of the header is not there */
	tp_sb_puts(s, ") ");
	return true;
}

/* print-ah.c: "AH(spi=0x00000100,seq=0x13,icv=0x...): ", with -v
 * "AH(length=4(24-bytes),spi=..." */
/* An AH header cut: tcpdump's " [|ah]" ends the line. */
static bool ah_cut(tp_sbuf *s)
{
	ext_cut(s, "ah");
	return false;
}

static bool put_ah(tp_sbuf *s, const tp_field *f, const tp_field *end,
		   int vflag)
{
	const tp_field *spi = NULL, *seq = NULL, *icv = NULL, *len = NULL;
	const tp_field *rsv = NULL;
	for (const tp_field *x = f; x < end; x++) {
		if (x->def == &fields[F_AH_LEN])
			len = x;
		else if (x->def == &fields[F_AH_RSV])
			rsv = x;
		else if (x->def == &fields[F_AH_SPI])
			spi = x;
		else if (x->def == &fields[F_AH_SEQ])
			seq = x;
		else if (x->def == &fields[F_AH_ICV])
			icv = x;
	}
	if (!len)
		return ah_cut(s);
	tp_sb_puts(s, "AH(");
	if (vflag) {
		tp_sb_puts(s, "length=");
		tp_sb_dec(s, len->v.u);
		tp_sb_putc(s, '(');
		tp_sb_dec(s, (len->v.u + 2) * 4);
		tp_sb_puts(s, "-bytes),");
	}
	if (!rsv)
		return ah_cut(s);
	if (bytes_value(rsv)) {
		tp_sb_puts(s, "reserved=0x");
		tp_sb_hex(s, bytes_value(rsv), 1);
		tp_sb_puts(s, "[MustBeZero],");
	}
	if (!spi)
		return ah_cut(s);
	tp_sb_puts(s, "spi=0x");
	tp_sb_hex(s, spi->v.u, 8);
	tp_sb_putc(s, ',');
	if (!seq)
		return ah_cut(s);
	tp_sb_puts(s, "seq=0x");
	tp_sb_hex(s, seq->v.u, 1);
	tp_sb_putc(s, ',');
	if (!icv && (len->v.u + 2) * 4 > 12) {
		tp_sb_puts(s, "[truncated]):");
		return false;
	}
	tp_sb_puts(s, "icv=0x");
	if (icv)
		tp_sb_hexbytes(s, icv->v.p, icv->vlen, 0);
	tp_sb_puts(s, "): ");
	return true;
}

/* After "HBH " of a packet whose payload length is 0 (print-ip6.c). */
static bool put_jumbo(tp_sbuf *s, const tp_layer *l, const tp_field *plen,
		      const tp_field *f, const tp_field *end)
{
	if (plen->v.u != 0 || f->off != l->off + 40)
		return true; /* not the first header of a jumbogram */
	const tp_field *j = NULL;
	for (const tp_field *x = f; x < end && !j; x++)
		if (x->def == &fields[F_OPT_JUMBO])
			j = x; /* the first one counts */
	if (!j || j->v.u < 65536) { /* RFC 2675 3: shorter is invalid */
		tp_sb_puts(s, "[No valid Jumbo Payload Hop-by-Hop option "
			      "found] (invalid)");
		return false;
	}
	uint64_t have = (uint64_t)l->len + l->payload_len;
	if (!l->embedded && j->v.u + 40 > have) {
		tp_sb_puts(s, "truncated-ip6 - ");
		tp_sb_dec(s, j->v.u + 40 - have);
		tp_sb_puts(s, " bytes missing!");
	}
	return true;
}

/* Did this layer hand its fragment to the table (every outcome short of
 * completion leaves one of the events from "held" to "capped")? */
static bool defragmenting(const tp_pkt *p, unsigned li)
{
	return tp_frag_in_table(p, li, &events[E_FRAG_HELD],
				&events[E_FRAG_CAPPED]);
}

/* tcpdump -v: "(class 0x10, flowlabel 0x12345, hlim 64, next-header
 * TCP (6) payload length: 40) " (class and flow label when not 0). */
static void put_verbose(const tp_pkt *p, unsigned li, tp_sbuf *s,
			unsigned nxt, unsigned plen)
{
	const tp_field *tc = tp_layer_find(p, li, &fields[F_TCLASS]);
	const tp_field *fl = tp_layer_find(p, li, &fields[F_FLOW]);
	const tp_field *hl = tp_layer_find(p, li, &fields[F_HLIM]);
	tp_sb_putc(s, '(');
	if (tc && tc->v.u) {
		tp_sb_puts(s, "class 0x");
		tp_sb_hex(s, tc->v.u, 2);
		tp_sb_puts(s, ", ");
	}
	if (fl && fl->v.u) {
		tp_sb_puts(s, "flowlabel 0x");
		tp_sb_hex(s, fl->v.u, 5);
		tp_sb_puts(s, ", ");
	}
	tp_sb_puts(s, "hlim ");
	tp_sb_dec(s, hl ? hl->v.u : 0);
	tp_sb_puts(s, ", next-header ");
	tp_sb_tcpdump_ipproto(s, nxt);
	tp_sb_puts(s, " payload length: ");
	tp_sb_dec(s, plen);
	tp_sb_puts(s, ") ");
}

/* ---- tcpdump -v: the options of HBH and DSTOPT (print-ip6opts.c) ---- */

/* Byte `i` of the option area, or -1 (not captured: tcpdump stops). */
static int ob(const tp_cursor *o, int i)
{
	return i < 0 ? -1 : tp_peek(o, (size_t)i);
}

/* A big-endian number of n bytes at i, false when not all captured. */
static bool obe(const tp_cursor *o, int i, int n, uint32_t *v)
{
	*v = 0;
	for (int k = 0; k < n; k++) {
		int b = ob(o, i + k);
		if (b < 0)
			return false;
		*v = *v << 8 | (uint32_t)b;
	}
	return true;
}

/* The length of the option at `at + i` of an area of `len` bytes, its
 * type in *t; -1 when it is cut or runs past the area. */
static int opt_len_at(const tp_cursor *o, int at, int i, int len, int *t)
{
	int optlen, l = ob(o, at + i + 1);
	*t = ob(o, at + i);
	if (*t < 0)
		return -1;
	if (*t == OPT_PAD1)
		optlen = 1;
	else if (i + 1 < len && l >= 0)
		optlen = l + 2;
	else
		return -1;
	return i + optlen > len ? -1 : optlen;
}

/* ip6_sopt_print: a home address option's sub-options. */
static bool put_subopts(tp_sbuf *s, const tp_cursor *o, int at, int len)
{
	int optlen, t;
	for (int i = 0; i < len; i += optlen) {
		if ((optlen = opt_len_at(o, at, i, len, &t)) < 0)
			return false;
		int l = ob(o, at + i + 1);
		if (t == OPT_PAD1) {
			tp_sb_puts(s, ", pad1");
		} else if (t == OPT_PADN) {
			tp_sb_puts(s, ", padn");
		} else {
			tp_sb_puts(s, ", sopt_type 0x");
			tp_sb_hex(s, (uint64_t)t, 2);
			tp_sb_puts(s, ": len=");
			tp_sb_dec(s, (uint64_t)l);
		}
	}
	return true;
}

/* "(name: trunc)" / "(name: invalid len N)": false, tcpdump stops. */
static bool bad_opt(tp_sbuf *s, const char *name, int len)
{
	tp_sb_putc(s, '(');
	tp_sb_puts(s, name);
	if (len < 0) {
		tp_sb_puts(s, ": trunc)");
	} else {
		tp_sb_puts(s, ": invalid len ");
		tp_sb_dec(s, (uint64_t)len);
		tp_sb_putc(s, ')');
	}
	return false;
}

/* The n-byte value of an option of fixed length at i, `left` bytes
 * from the end of the area: false (and tcpdump's text) when cut or of
 * another length. */
static bool fixed_opt(tp_sbuf *s, const char *name, const tp_cursor *o,
		      int i, int left, int ol, int n, uint32_t *v)
{
	if (left < n + 2)
		return bad_opt(s, name, -1);
	if (ol != n)
		return bad_opt(s, name, ol);
	return obe(o, i + 2, n, v);
}

/* The jumbo payload option's text; *seen: one was seen before. */
static void put_jumbo_opt(tp_sbuf *s, uint32_t v, bool hbh, uint64_t plen,
			  bool *seen)
{
	tp_sb_puts(s, "(jumbo: ");
	tp_sb_dec(s, v);
	if (*seen)
		tp_sb_puts(s, " - already seen");
	else if (!hbh)
		tp_sb_puts(s, " - not a hop-by-hop option");
	else if (plen != 0)
		tp_sb_puts(s, " - payload len != 0");
	else if (v < 65536)
		tp_sb_puts(s, " - < 65536");
	tp_sb_puts(s, ") ");
	*seen = true;
}

/* ip6_opt_process with -v: "(pad1)(padn)(rtalert: 0x0000) " ... and a
 * space; without -v (`quiet`) only what makes tcpdump stop.  `x` is the
 * header's marker field.  False when tcpdump stops (its " [|hbhopt]" /
 * " [|dstopt]" follows). */
static bool put_opts(const tp_pkt *p, unsigned li, tp_sbuf *s,
		     const tp_field *x, bool hbh, uint64_t plen, bool quiet)
{
	char scratch[1];
	tp_sbuf q;
	tp_sbuf *all = s;
	if (quiet) {
		tp_sb_init(&q, scratch, sizeof scratch);
		s = &q; /* what does not stop tcpdump goes nowhere */
	}
	const tp_layer *l = &p->layers[li];
	tp_cursor o = tp_layer_cursor(p, li);
	if (x->off < l->off || !tp_skip(&o, x->off - l->off + 2) ||
	    x->len < 2)
		return false;
	int len = (int)x->len - 2, optlen, t;
	bool seen = false;
	for (int i = 0; i < len; i += optlen) {
		if ((optlen = opt_len_at(&o, 0, i, len, &t)) < 0)
			return false;
		int ol = ob(&o, i + 1);
		uint32_t v = 0;
		switch (t) {
		case OPT_PAD1:
			tp_sb_puts(s, "(pad1)");
			break;
		case OPT_PADN:
			tp_sb_puts(s, "(padn)");
			break;
		case OPT_RTALERT:
			if (!fixed_opt(all, "rtalert", &o, i, len - i, ol, 2,
				       &v))
				return false;
			tp_sb_puts(s, "(rtalert: 0x");
			tp_sb_hex(s, v, 4);
			tp_sb_puts(s, ") ");
			break;
		case OPT_JUMBO:
			if (!fixed_opt(all, "jumbo", &o, i, len - i, ol, 4, &v))
				return false;
			put_jumbo_opt(s, v, hbh, plen, &seen);
			break;
		case OPT_HOMEADDR: {
			if (len - i < 18)
				return bad_opt(all, "homeaddr", -1);
			if (ol < 16)
				return bad_opt(all, "homeaddr", ol);
			tp_cursor a = o;
			const uint8_t *ad =
				tp_skip(&a, (size_t)i + 2) ? tp_bytes(&a, 16)
							   : NULL;
			if (!ad)
				return false;
			tp_sb_puts(s, "(homeaddr: ");
			tp_sb_ipv6(s, ad);
			if (ol > 16 && !put_subopts(s, &o, i + 18, optlen - 18))
				return false;
			tp_sb_putc(s, ')');
			break;
		}
		default:
			if (len - i < 2) {
				tp_sb_puts(all, "(type ");
				tp_sb_dec(all, (uint64_t)t);
				tp_sb_puts(all, ": trunc)");
				return false;
			}
			tp_sb_puts(s, "(opt_type 0x");
			tp_sb_hex(s, (uint64_t)t, 2);
			tp_sb_puts(s, ": len=");
			tp_sb_dec(s, (uint64_t)ol);
			tp_sb_putc(s, ')');
			break;
		}
	}
	tp_sb_putc(s, ' ');
	return true;
}

static tp_sum ipv6_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			     const tp_outopts *o)
{
	const tp_layer *l = &p->layers[li];
	/* the fields the line needs, where fixed_header puts them (the
	 * hidden ip.version after ipv6.version) */
	const tp_field *ver = tp_layer_find_at(p, li, F_VERSION, &fields[F_VERSION]);
	const tp_field *src = tp_layer_find_at(p, li, F_SRC + 1, &fields[F_SRC]);
	const tp_field *dst = tp_layer_find_at(p, li, F_DST + 1, &fields[F_DST]);
	const tp_field *nxt = tp_layer_find_at(p, li, F_NXT + 1, &fields[F_NXT]);
	const tp_field *plen = tp_layer_find_at(p, li, F_PLEN + 1, &fields[F_PLEN]);
	tp_cursor hc = tp_layer_cursor(p, li);
	if (!l->embedded && !tp_has(&hc, 40))
		return ext_cut(s, "ip6"); /* ip6_print: not even "IP6" */
	if (!o->eflag)
		tp_sb_puts(s, "IP6");
	if (!ver)
		return TP_SUM_NEXT;
	if (ver->v.u != 6) {
		tp_sb_puts(s, o->eflag ? "" : " ");
		tp_sb_puts(s, "version error: ");
		tp_sb_dec(s, ver->v.u);
		tp_sb_puts(s, " != 6");
		return TP_SUM_STOP;
	}
	if (!src || !dst || !nxt || !plen)
		return TP_SUM_NEXT;
	if (!o->eflag)
		tp_sb_putc(s, ' ');
	uint64_t have = (uint64_t)l->len + l->payload_len;
	if (!l->embedded && plen->v.u && plen->v.u + 40 > have) {
		tp_sb_puts(s, "truncated-ip6 - ");
		tp_sb_dec(s, plen->v.u + 40 - have);
		tp_sb_puts(s, " bytes missing!");
	}
	if (o->vflag)
		put_verbose(p, li, s, (unsigned)nxt->v.u, (unsigned)plen->v.u);
	/* TCP, UDP (and DCCP, SCTP) right after the header print the
	 * addresses with their ports themselves. */
	uint64_t nh = nxt->v.u;
	const tp_dissector *next =
		li + 1 < p->nlayers ? p->layers[li + 1].d : NULL;
	bool self = (nh == 6 || nh == 17 || nh == 33 || nh == 132) && next &&
		    next != &tp_diss_data && next->summarize;
	if (!self) {
		tp_sb_ipv6(s, src->v.p);
		tp_sb_puts(s, " > ");
		tp_sb_ipv6(s, dst->v.p);
		tp_sb_puts(s, ": ");
	}
	const tp_field *f = &p->fields[l->first_field];
	const tp_field *end = f + l->nfields;
	/* The first fragment header is the one reassembly used, if any. */
	bool done = tp_frag_completed(p, li);
	ptrdiff_t first_hop = -1; /* tcpdump allows one hop-by-hop header */
	for (const tp_field *x = f; x < end && first_hop < 0; x++)
		if (x->def == &fields[F_HOP])
			first_hop = x - f;
	bool held = !done && defragmenting(p, li);
	for (const tp_field *x = f; x < end; x++) {
		if (x->def == &fields[F_HOP_NXT] ||
		    x->def == &fields[F_RT_NXT] ||
		    x->def == &fields[F_DOPT_NXT] ||
		    x->def == &fields[F_FRAG_NXT] ||
		    x->def == &fields[F_AH_NXT])
			nh = x->v.u;
		if (!is_marker(x))
			continue;
		const tp_field *hend = x + 1;
		while (hend < end && !is_marker(hend))
			hend++;
		if (x->def == &fields[F_HOP]) {
			if (x != f + first_hop) {
				tp_sb_puts(s, "[The Hop-by-Hop Options header "
					      "was already found] (invalid)");
				return TP_SUM_STOP;
			}
			if (x->off != l->off + 40) {
				tp_sb_puts(s, "[The Hop-by-Hop Options header "
					      "don't follow the IPv6 header] "
					      "(invalid)");
				return TP_SUM_STOP;
			}
			if (!ext_captured(p, li, x))
				return ext_cut(s, "hbhopt");
			tp_sb_puts(s, "HBH ");
			if (!put_opts(p, li, s, x, true, plen->v.u, !o->vflag))
				return ext_cut(s, "hbhopt");
			if (!put_jumbo(s, l, plen, x, hend))
				return TP_SUM_STOP;
		} else if (x->def == &fields[F_DOPT]) {
			if (!ext_captured(p, li, x))
				return ext_cut(s, "dstopt");
			tp_sb_puts(s, "DSTOPT ");
			if (o->vflag &&
			    !put_opts(p, li, s, x, false, plen->v.u, false))
				return ext_cut(s, "dstopt");
		} else if (x->def == &fields[F_RT]) {
			tp_cursor c = tp_layer_cursor(p, li);
			if (!tp_skip(&c, x->off - l->off) || !tp_has(&c, 1))
				return ext_cut(s, "ip6"); /* ip6_print's check */
			if (!put_rt6(p, li, s, x, hend, o->vflag))
				return TP_SUM_STOP;
		} else if (x->def == &fields[F_AH_NXT]) {
			if (!put_ah(s, x, hend, o->vflag))
				return TP_SUM_STOP;
		} else if (x->def == &fields[F_FRAG]) {
			const tp_field *off = NULL, *id = NULL;
			for (const tp_field *y = x; y < hend; y++)
				if (y->def == &fields[F_FRAG_OFFSET])
					off = y;
				else if (y->def == &fields[F_FRAG_IDENT])
					id = y;
			if (!off || (o->vflag && !id)) /* cut: print-frag6.c */
				return ext_cut(s, "frag6");
			/* print-frag6.c: (offset|bytes after the header),
			 * with -v (id:offset|bytes) */
			uint64_t rest = 40 + plen->v.u - (x->off - l->off) - 8;
			tp_sb_puts(s, "frag (");
			if (o->vflag) {
				tp_sb_puts(s, "0x");
				tp_sb_hex(s, id->v.u, 8);
				tp_sb_putc(s, ':');
			}
			tp_sb_dec(s, off->v.u * 8);
			tp_sb_putc(s, '|');
			tp_sb_dec(s, rest);
			tp_sb_putc(s, ')');
			if ((off->v.u && !done) || held)
				return TP_SUM_STOP;
			done = false;
			tp_sb_putc(s, ' ');
			/* ip6_print stops where nothing follows the header */
			tp_cursor fc = tp_layer_cursor(p, li);
			if (!tp_skip(&fc, x->off - l->off + 8) || !tp_has(&fc, 1))
				return TP_SUM_STOP;
		} else { /* ESP */
			const tp_field *spi = NULL, *seq = NULL;
			for (const tp_field *y = x; y < hend; y++) {
				if (y->def == &fields[F_ESP_SPI])
					spi = y;
				else if (y->def == &fields[F_ESP_SEQ])
					seq = y;
			}
			tp_cursor ec = tp_layer_cursor(p, li);
			if (!spi || !seq || !tp_skip(&ec, x->off - l->off + 8) ||
			    !tp_has(&ec, 1)) /* esp_print: nothing after it */
				return ext_cut(s, "esp");
			/* the length the header claims, past the frame too */
			uint64_t claimed = plen->v.u;
			const tp_field *j =
				tp_layer_find(p, li, &fields[F_OPT_JUMBO]);
			if (claimed == 0 && j)
				claimed = j->v.u;
			uint64_t rest = l->off + have - x->off;
			if (!l->embedded && claimed + 40 > have &&
			    claimed + 40 > x->off - l->off)
				rest = claimed + 40 - (x->off - l->off);
			tp_sb_puts(s, "ESP(spi=0x");
			tp_sb_hex(s, spi->v.u, 8);
			tp_sb_puts(s, ",seq=0x");
			tp_sb_hex(s, seq->v.u, 1);
			tp_sb_puts(s, "), length ");
			tp_sb_dec(s, rest);
			return TP_SUM_STOP;
		}
	}
	if (nh == TP_IPPROTO_NONE) {
		tp_sb_puts(s, "no next header");
		return TP_SUM_STOP;
	}
	/* damaged: cut or broken before its payload (a payload length past
	 * the frame is not: tcpdump prints what follows all the same) */
	bool damaged = false;
	for (unsigned i = 0; i < p->nevents; i++)
		if (p->events[i].layer == li &&
		    p->events[i].def != &events[E_PLEN] &&
		    (p->events[i].def->kind == TP_EV_TRUNCATED ||
		     p->events[i].def->kind == TP_EV_MALFORMED))
			damaged = true;
	if (!next && (nh == TP_IPPROTO_AH || nh == TP_IPPROTO_ESP))
		return ext_cut(s, nh == TP_IPPROTO_AH ? "ah" : "esp");
	if (nh == TP_IPPROTO_ICMP || nh == 2) {
		/* ip_demux_print: ICMP and IGMP need IPv4 */
		tp_sb_puts(s, nh == 2 ? "[IGMP requires IPv4] (invalid)"
				      : "[ICMP requires IPv4] (invalid)");
		return TP_SUM_STOP;
	}
	if (!next && !damaged && (nh == TP_IPPROTO_TCP || nh == TP_IPPROTO_UDP)) {
		/* nothing of it in the payload (a payload length of 0):
		 * tcp_print/udp_print say so right after the ':' */
		if (s->len && s->buf[s->len - 1] == ' ')
			s->len--;
		return ext_cut(s, nh == TP_IPPROTO_TCP ? "tcp" : "udp");
	}
	if (((next && next == &tp_diss_data) || (!next && !damaged)) &&
	    !is_ext(nh)) {
		/* A protocol tapir does not dissect (yet). */
		/* tcpdump's length is what the header claims (a jumbo
		 * option's too), even past the frame */
		uint64_t claimed = plen->v.u, rest = l->payload_len;
		const tp_field *j = tp_layer_find(p, li, &fields[F_OPT_JUMBO]);
		if (claimed == 0 && j)
			claimed = j->v.u;
		if (!l->embedded && claimed + 40 > have && claimed + 40 > l->len)
			rest = claimed + 40 - l->len;
		if (nh == 77) { /* IPPROTO_ND: ip_demux_print's own case */
			tp_sb_puts(s, " nd ");
		} else {
			tp_sb_puts(s, " ip-proto-"); /* with its space */
			tp_sb_dec(s, nh);
			tp_sb_putc(s, ' ');
		}
		tp_sb_dec(s, rest);
		return TP_SUM_STOP;
	}
	return TP_SUM_NEXT;
}

static const tp_key ipv6_keys[] = {
	{TP_TAB_ETHERTYPE, TP_ETH_IPV6},
	{TP_TAB_IPPROTO, TP_IPPROTO_IPV6},
	{0, 0},
};

const tp_dissector tp_diss_ipv6 = {
	.name = "ipv6",
	.colname = "IPv6",
	.longname = "Internet Protocol Version 6",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = ipv6_keys,
	.dissect = ipv6_dissect,
	.summarize = ipv6_summarize,
};
