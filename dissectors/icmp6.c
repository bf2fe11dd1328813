/* icmp6.c - ICMPv6: errors, echo, neighbor discovery, MLD.
 *
 * RFC 4443 (message format 2.1, checksum with the pseudo-header 2.3,
 * errors 3.1-3.4 quoting the invoking packet, echo 4.1/4.2); RFC 4861
 * (router/neighbor solicitation and advertisement, redirect: 4.1-4.5;
 * options 4.6, where a length of 0 is invalid and the packet must be
 * discarded); RFC 4191 2.3 (route information), RFC 6275 7.3/7.4
 * (advertisement interval, home agent information), RFC 3971 5.3.2
 * (nonce), RFC 8106 5.1/5.2 (RDNSS, DNSSL), RFC 8781 4 (PREF64);
 * RFC 2710 3 (MLDv1), RFC 3810 5.1/5.2 (MLDv2 query and report);
 * RFC 8200 8.1 (the pseudo-header uses the final destination when a
 * routing header is present).
 *
 * An error message hands the quoted packet back to the loop as IPv6,
 * with p->in_error set, so its addresses and ports become fields of the
 * embedded layers; an error quoted inside an error is not followed.
 */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/inet.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/layerfields.h"

/* Options of one message, MLDv2 address records of one report, and
 * sources of one record or query we record. */
#define MAX_OPTS 64
#define MAX_RECORDS 64
#define MAX_SOURCES 128

enum {
	T_UNREACH = 1,
	T_TOOBIG = 2,
	T_TIMEX = 3,
	T_PARAM = 4,
	T_ECHO_REQ = 128,
	T_ECHO_REP = 129,
	T_MLD_QUERY = 130,
	T_MLD_REPORT = 131,
	T_MLD_DONE = 132,
	T_RS = 133,
	T_RA = 134,
	T_NS = 135,
	T_NA = 136,
	T_REDIRECT = 137,
	T_IND_SOL = 141,
	T_IND_ADV = 142,
	T_MLD2_REPORT = 143,
	T_RPL = 155,
	T_XECHO_REQ = 160,
	T_XECHO_REP = 161,
};

enum {
	F_TYPE,
	F_CODE,
	F_CKSUM,
	F_CKSUM_STATUS,
	F_RESERVED,
	F_MTU,
	F_POINTER,
	F_ECHO_ID,
	F_ECHO_SEQ,
	F_XECHO_SEQ,
	F_XECHO_REQ_RES,
	F_XECHO_REQ_LOCAL,
	F_XECHO_RSP_STATE,
	F_XECHO_RSP_RES,
	F_XECHO_RSP_ACTIVE,
	F_XECHO_RSP_IPV4,
	F_XECHO_RSP_IPV6,
	F_RA_HOPLIMIT,
	F_RA_FLAG,
	F_RA_FLAG_M,
	F_RA_FLAG_O,
	F_RA_FLAG_H,
	F_RA_FLAG_PRF,
	F_RA_FLAG_P,
	F_RA_FLAG_RSV,
	F_RA_LIFETIME,
	F_RA_REACHABLE,
	F_RA_RETRANS,
	F_NS_TARGET,
	F_NA_FLAG,
	F_NA_FLAG_R,
	F_NA_FLAG_S,
	F_NA_FLAG_O,
	F_NA_FLAG_RSV,
	F_NA_TARGET,
	F_RD_TARGET,
	F_RD_DST,
	/* options */
	F_OPT,
	F_OPT_TYPE,
	F_OPT_LEN,
	F_OPT_RSV,
	F_OPT_PADDING,
	F_OPT_LINKADDR,
	F_OPT_SRC_LINKADDR,
	F_OPT_TGT_LINKADDR,
	F_OPT_PFX_LEN,
	F_OPT_PFX_FLAG,
	F_OPT_PFX_FLAG_L,
	F_OPT_PFX_FLAG_A,
	F_OPT_PFX_FLAG_R,
	F_OPT_PFX_FLAG_RSV,
	F_OPT_PFX_VALID,
	F_OPT_PFX_PREFERRED,
	F_OPT_PFX,
	F_OPT_REDIRECTED,
	F_OPT_MTU,
	F_OPT_ADVINT,
	F_OPT_HA_PREF,
	F_OPT_HA_LIFETIME,
	F_OPT_NONCE,
	F_OPT_RI_FLAG,
	F_OPT_RI_PREF,
	F_OPT_RI_RSV,
	F_OPT_RI_LIFETIME,
	F_OPT_RDNSS_LIFETIME,
	F_OPT_RDNSS,
	F_OPT_DNSSL_LIFETIME,
	F_OPT_DNSSL,
	F_OPT_PREF64_LIFETIME,
	F_OPT_PREF64_PLC,
	F_OPT_PREF64_PFX,
	F_UNKNOWN,
	/* MLD */
	F_MLD_DELAY,
	F_MLD_MADDR,
	F_MLD_CODE,
	F_MLD_FLAG,
	F_MLD_FLAG_S,
	F_MLD_FLAG_QRV,
	F_MLD_FLAG_RSV,
	F_MLD_QQI,
	F_MLD_NSRC,
	F_MLD_SRC,
	F_MLDR_NREC,
	F_MLDR_MAR,
	F_MLDR_TYPE,
	F_MLDR_AUXLEN,
	F_MLDR_NSRC,
	F_MLDR_MADDR,
	F_MLDR_SRC,
	F_MLDR_AUX,
	F_COUNT
};

static const tp_valstr type_vals[] = {
	{1, "Destination Unreachable"},
	{2, "Packet Too Big"},
	{3, "Time Exceeded"},
	{4, "Parameter Problem"},
	{100, "Private experimentation"},
	{101, "Private experimentation"},
	{127, "Reserved for expansion of ICMPv6 error messages"},
	{128, "Echo (ping) request"},
	{129, "Echo (ping) reply"},
	{130, "Multicast Listener Query"},
	{131, "Multicast Listener Report"},
	{132, "Multicast Listener Done"},
	{133, "Router Solicitation"},
	{134, "Router Advertisement"},
	{135, "Neighbor Solicitation"},
	{136, "Neighbor Advertisement"},
	{137, "Redirect"},
	{138, "Router Renumbering"},
	{139, "Node Information Query"},
	{140, "Node Information Reply"},
	{141, "Inverse Neighbor Discovery Solicitation"},
	{142, "Inverse Neighbor Discovery Advertisement"},
	{143, "Multicast Listener Report Message v2"},
	{144, "Home Agent Address Discovery Request"},
	{145, "Home Agent Address Discovery Reply"},
	{146, "Mobile Prefix Solicitation"},
	{147, "Mobile Prefix Advertisement"},
	{148, "Certification Path Solicitation"},
	{149, "Certification Path Advertisement"},
	{150, "Experimental Mobility"},
	{151, "Multicast Router Advertisement"},
	{152, "Multicast Router Solicitation"},
	{153, "Multicast Router Termination"},
	{154, "FMIPv6"},
	{155, "RPL Control"},
	{156, "ILNPv6 Locator Update"},
	{157, "Duplicate Address Request"},
	{158, "Duplicate Address Confirmation"},
	{159, "MPL Control"},
	{160, "Extended Echo request"},
	{161, "Extended Echo reply"},
	{200, "Private experimentation"},
	{201, "Private experimentation"},
	{255, "Reserved for expansion of ICMPv6 informational messages"},
	{0, NULL},
};

enum {
	O_SRC_LL = 1,
	O_TGT_LL = 2,
	O_PREFIX = 3,
	O_REDIRECTED = 4,
	O_MTU = 5,
	O_ADVINT = 7,
	O_HAINFO = 8,
	O_NONCE = 14,
	O_ROUTE = 24,
	O_RDNSS = 25,
	O_DNSSL = 31,
	O_PREF64 = 38,
};

static const tp_valstr opt_vals[] = {
	{1, "Source link-layer address"},
	{2, "Target link-layer address"},
	{3, "Prefix information"},
	{4, "Redirected header"},
	{5, "MTU"},
	{6, "NBMA Shortcut Limit Option"},
	{7, "Advertisement Interval"},
	{8, "Home Agent Information"},
	{9, "Source Address List"},
	{10, "Target Address List"},
	{11, "CGA"},
	{12, "RSA Signature"},
	{13, "Timestamp"},
	{14, "Nonce"},
	{15, "Trust Anchor"},
	{16, "Certificate"},
	{17, "IP Address/Prefix Option"},
	{18, "New Router Prefix Information"},
	{19, "Link-layer Address"},
	{20, "Neighbor Advertisement Acknowledgment"},
	{23, "MAP"},
	{24, "Route Information"},
	{25, "Recursive DNS Server"},
	{26, "RA Flags Extension"},
	{27, "Handover Key Request"},
	{28, "Handover Key Reply"},
	{29, "Handover Assist Information"},
	{30, "Mobile Node Identifier"},
	{31, "DNS Search List Option"},
	{32, "Proxy Signature (PS)"},
	{33, "Address Registration Option"},
	{34, "6LoWPAN Context Option"},
	{35, "Authoritative Border Router"},
	{36, "6LoWPAN Capability Indication Option (6CIO)"},
	{37, "DHCP Captive-Portal"},
	{38, "PREF64 Option"},
	{253, "RFC3692-style Experiment 1"},
	{254, "RFC3692-style Experiment 2"},
	{0, NULL},
};

static const tp_valstr prf_vals[] = {
	{0, "Medium"},
	{1, "High"},
	{2, "Reserved"},
	{3, "Low"},
	{0, NULL},
};

static const tp_valstr mldr_type_vals[] = {
	{1, "Include"},
	{2, "Exclude"},
	{3, "Changed to include"},
	{4, "Changed to exclude"},
	{5, "Allow new sources"},
	{6, "Block old sources"},
	{0, NULL},
};

static const tp_field_def fields[F_COUNT] = {
	[F_TYPE] = {"icmpv6.type", "Type", TP_FT_UINT8, TP_BASE_DEC, type_vals,
		    0},
	[F_CODE] = {"icmpv6.code", "Code", TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_CKSUM] = {"icmpv6.checksum", "Checksum", TP_FT_UINT16, TP_BASE_HEX,
		     NULL, 0},
	[F_CKSUM_STATUS] = {"icmpv6.checksum.status", "Checksum Status",
			    TP_FT_UINT8, TP_BASE_NONE, tp_cksum_status_vals,
			    0},
	[F_RESERVED] = {"icmpv6.reserved", "Reserved", TP_FT_BYTES,
			TP_BASE_NONE, NULL, 0},
	[F_MTU] = {"icmpv6.mtu", "MTU", TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_POINTER] = {"icmpv6.pointer", "Pointer", TP_FT_UINT32, TP_BASE_DEC,
		       NULL, 0},
	[F_ECHO_ID] = {"icmpv6.echo.identifier", "Identifier", TP_FT_UINT16,
		       TP_BASE_HEX, NULL, 0},
	[F_ECHO_SEQ] = {"icmpv6.echo.sequence_number", "Sequence",
			TP_FT_UINT16, TP_BASE_DEC, NULL, 0},
	[F_XECHO_SEQ] = {"icmpv6.ext.echo.seq", "Sequence number", TP_FT_UINT8,
			 TP_BASE_DEC_HEX, NULL, 0},
	[F_XECHO_REQ_RES] = {"icmpv6.ext.echo.req.res", "Reserved",
			     TP_FT_UINT8, TP_BASE_HEX, NULL, 0xfe},
	[F_XECHO_REQ_LOCAL] = {"icmpv6.ext.echo.req.local", "Local bit",
			       TP_FT_BOOLEAN, 8, NULL, 0x01},
	[F_XECHO_RSP_STATE] = {"icmpv6.ext.echo.rsp.state", "State",
			       TP_FT_UINT8, TP_BASE_DEC, NULL, 0xe0},
	[F_XECHO_RSP_RES] = {"icmpv6.ext.echo.rsp.res", "Reserved",
			     TP_FT_UINT8, TP_BASE_HEX, NULL, 0x18},
	[F_XECHO_RSP_ACTIVE] = {"icmpv6.ext.echo.rsp.active", "Active bit",
				TP_FT_BOOLEAN, 8, NULL, 0x04},
	[F_XECHO_RSP_IPV4] = {"icmpv6.ext.echo.rsp.ipv4", "IPv4 bit",
			      TP_FT_BOOLEAN, 8, NULL, 0x02},
	[F_XECHO_RSP_IPV6] = {"icmpv6.ext.echo.rsp.ipv6", "IPv6 bit",
			      TP_FT_BOOLEAN, 8, NULL, 0x01},
	[F_RA_HOPLIMIT] = {"icmpv6.nd.ra.cur_hop_limit", "Cur hop limit",
			   TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_RA_FLAG] = {"icmpv6.nd.ra.flag", "Flags", TP_FT_UINT8, TP_BASE_HEX,
		       NULL, 0},
	[F_RA_FLAG_M] = {"icmpv6.nd.ra.flag.m",
			 "Managed address configuration", TP_FT_BOOLEAN, 8,
			 NULL, 0x80},
	[F_RA_FLAG_O] = {"icmpv6.nd.ra.flag.o", "Other configuration",
			 TP_FT_BOOLEAN, 8, NULL, 0x40},
	[F_RA_FLAG_H] = {"icmpv6.nd.ra.flag.h", "Home Agent", TP_FT_BOOLEAN, 8,
			 NULL, 0x20},
	[F_RA_FLAG_PRF] = {"icmpv6.nd.ra.flag.prf",
			   "Prf (Default Router Preference)", TP_FT_UINT8,
			   TP_BASE_DEC, prf_vals, 0x18},
	[F_RA_FLAG_P] = {"icmpv6.nd.ra.flag.p", "Proxy", TP_FT_BOOLEAN, 8, NULL,
			 0x04},
	[F_RA_FLAG_RSV] = {"icmpv6.nd.ra.flag.rsv", "Reserved", TP_FT_UINT8,
			   TP_BASE_DEC, NULL, 0x03},
	[F_RA_LIFETIME] = {"icmpv6.nd.ra.router_lifetime",
			   "Router lifetime (s)", TP_FT_UINT16, TP_BASE_DEC,
			   NULL, 0},
	[F_RA_REACHABLE] = {"icmpv6.nd.ra.reachable_time",
			    "Reachable time (ms)", TP_FT_UINT32, TP_BASE_DEC,
			    NULL, 0},
	[F_RA_RETRANS] = {"icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)",
			  TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_NS_TARGET] = {"icmpv6.nd.ns.target_address", "Target Address",
			 TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_NA_FLAG] = {"icmpv6.nd.na.flag", "Flags", TP_FT_UINT32, TP_BASE_HEX,
		       NULL, 0},
	[F_NA_FLAG_R] = {"icmpv6.nd.na.flag.r", "Router", TP_FT_BOOLEAN, 32,
			 NULL, 0x80000000},
	[F_NA_FLAG_S] = {"icmpv6.nd.na.flag.s", "Solicited", TP_FT_BOOLEAN, 32,
			 NULL, 0x40000000},
	[F_NA_FLAG_O] = {"icmpv6.nd.na.flag.o", "Override", TP_FT_BOOLEAN, 32,
			 NULL, 0x20000000},
	[F_NA_FLAG_RSV] = {"icmpv6.nd.na.flag.rsv", "Reserved", TP_FT_UINT32,
			   TP_BASE_DEC, NULL, 0x1fffffff},
	[F_NA_TARGET] = {"icmpv6.nd.na.target_address", "Target Address",
			 TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_RD_TARGET] = {"icmpv6.nd.rd.target_address", "Target Address",
			 TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_RD_DST] = {"icmpv6.rd.na.destination_address",
		      "Destination Address", TP_FT_IPv6, TP_BASE_NONE, NULL,
		      0},

	[F_OPT] = {"icmpv6.opt", "ICMPv6 Option", TP_FT_NONE, TP_BASE_NONE,
		   NULL, 0},
	[F_OPT_TYPE] = {"icmpv6.opt.type", "Type", TP_FT_UINT8, TP_BASE_DEC,
			opt_vals, 0},
	[F_OPT_LEN] = {"icmpv6.opt.length", "Length", TP_FT_UINT8, TP_BASE_DEC,
		       NULL, 0},
	[F_OPT_RSV] = {"icmpv6.opt.reserved", "Reserved", TP_FT_NONE,
		       TP_BASE_NONE, NULL, 0},
	[F_OPT_PADDING] = {"icmpv6.opt.padding", "Padding", TP_FT_NONE,
			   TP_BASE_NONE, NULL, 0},
	/* Wireshark registers these twice: FT_ETHER for a 6-byte address
	 * (option length 1), FT_BYTES for others.  tapir has one of each:
	 * an FT_ETHER of any other length prints as bytes. */
	[F_OPT_LINKADDR] = {"icmpv6.opt.linkaddr", "Link-layer address",
			    TP_FT_ETHER, TP_BASE_NONE, NULL, 0},
	[F_OPT_SRC_LINKADDR] = {"icmpv6.opt.src_linkaddr",
				"Source Link-layer address", TP_FT_ETHER,
				TP_BASE_NONE, NULL, 0},
	[F_OPT_TGT_LINKADDR] = {"icmpv6.opt.target_linkaddr",
				"Target Link-layer address", TP_FT_ETHER,
				TP_BASE_NONE, NULL, 0},
	[F_OPT_PFX_LEN] = {"icmpv6.opt.prefix.length", "Prefix Length",
			   TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_OPT_PFX_FLAG] = {"icmpv6.opt.prefix.flag", "Flag", TP_FT_UINT8,
			    TP_BASE_HEX, NULL, 0},
	[F_OPT_PFX_FLAG_L] = {"icmpv6.opt.prefix.flag.l", "On-link flag(L)",
			      TP_FT_BOOLEAN, 8, NULL, 0x80},
	[F_OPT_PFX_FLAG_A] = {"icmpv6.opt.prefix.flag.a",
			      "Autonomous address-configuration flag(A)",
			      TP_FT_BOOLEAN, 8, NULL, 0x40},
	[F_OPT_PFX_FLAG_R] = {"icmpv6.opt.prefix.flag.r",
			      "Router address flag(R)", TP_FT_BOOLEAN, 8, NULL,
			      0x20},
	[F_OPT_PFX_FLAG_RSV] = {"icmpv6.opt.prefix.flag.reserved", "Reserved",
				TP_FT_UINT8, TP_BASE_DEC, NULL, 0x1f},
	[F_OPT_PFX_VALID] = {"icmpv6.opt.prefix.valid_lifetime",
			     "Valid Lifetime", TP_FT_UINT32, TP_BASE_DEC, NULL,
			     0},
	[F_OPT_PFX_PREFERRED] = {"icmpv6.opt.prefix.preferred_lifetime",
				 "Preferred Lifetime", TP_FT_UINT32,
				 TP_BASE_DEC, NULL, 0},
	[F_OPT_PFX] = {"icmpv6.opt.prefix", "Prefix", TP_FT_IPv6, TP_BASE_NONE,
		       NULL, 0},
	[F_OPT_REDIRECTED] = {"icmpv6.opt.redirected_packet",
			      "Redirected Packet", TP_FT_NONE, TP_BASE_NONE,
			      NULL, 0},
	[F_OPT_MTU] = {"icmpv6.opt.mtu", "MTU", TP_FT_UINT32, TP_BASE_DEC,
		       NULL, 0},
	[F_OPT_ADVINT] = {"icmpv6.opt.advertisement_interval",
			  "Advertisement Interval", TP_FT_UINT32, TP_BASE_DEC,
			  NULL, 0},
	[F_OPT_HA_PREF] = {"icmpv6.opt.home_agent_preference",
			   "Home Agent Preference", TP_FT_UINT16, TP_BASE_DEC,
			   NULL, 0},
	[F_OPT_HA_LIFETIME] = {"icmpv6.opt.home_agent_lifetime",
			       "Home Agent Preference", TP_FT_UINT16,
			       TP_BASE_DEC, NULL, 0},
	[F_OPT_NONCE] = {"icmpv6.opt.nonce", "Nonce", TP_FT_BYTES,
			 TP_BASE_NONE, NULL, 0},
	[F_OPT_RI_FLAG] = {"icmpv6.opt.route_info.flag", "Flag", TP_FT_UINT8,
			   TP_BASE_HEX, NULL, 0},
	[F_OPT_RI_PREF] = {"icmpv6.opt.route_info.flag.route_preference",
			   "Route Preference", TP_FT_UINT8, TP_BASE_DEC,
			   prf_vals, 0x18},
	[F_OPT_RI_RSV] = {"icmpv6.opt.route_info.flag.reserved", "Reserved",
			  TP_FT_UINT8, TP_BASE_DEC, NULL, 0xe7},
	[F_OPT_RI_LIFETIME] = {"icmpv6.opt.route_lifetime", "Route Lifetime",
			       TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_OPT_RDNSS_LIFETIME] = {"icmpv6.opt.rdnss.lifetime", "Lifetime",
				  TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_OPT_RDNSS] = {"icmpv6.opt.rdnss", "Recursive DNS Servers",
			 TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_OPT_DNSSL_LIFETIME] = {"icmpv6.opt.dnssl.lifetime", "Lifetime",
				  TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_OPT_DNSSL] = {"icmpv6.opt.dnssl", "Domain Names", TP_FT_STRING,
			 TP_BASE_NONE, NULL, 0},
	[F_OPT_PREF64_LIFETIME] = {"icmpv6.opt.pref64.scaled_lifetime",
				   "Scaled Lifetime", TP_FT_UINT16,
				   TP_BASE_DEC, NULL, 0xfff8},
	[F_OPT_PREF64_PLC] = {"icmpv6.opt.pref64.plc",
			      "PLC (Prefix Length Code)", TP_FT_UINT16,
			      TP_BASE_HEX, NULL, 0x0007},
	[F_OPT_PREF64_PFX] = {"icmpv6.opt.pref64.prefix", "Prefix", TP_FT_IPv6,
			      TP_BASE_NONE, NULL, 0},
	[F_UNKNOWN] = {"icmpv6.unknown_data", "Unknown Data", TP_FT_BYTES,
		       TP_BASE_NONE, NULL, 0},

	[F_MLD_DELAY] = {"icmpv6.mld.maximum_response_delay",
			 "Maximum Response Delay [ms]", TP_FT_UINT16,
			 TP_BASE_DEC, NULL, 0},
	[F_MLD_MADDR] = {"icmpv6.mld.multicast_address", "Multicast Address",
			 TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_MLD_CODE] = {"icmpv6.mld.maximum_response_code",
			"Maximum Response Code", TP_FT_UINT16, TP_BASE_DEC,
			NULL, 0},
	[F_MLD_FLAG] = {"icmpv6.mld.flag", "Flags", TP_FT_UINT8, TP_BASE_HEX,
			NULL, 0},
	[F_MLD_FLAG_S] = {"icmpv6.mld.flag.s",
			  "Suppress Router-Side Processing", TP_FT_BOOLEAN, 8,
			  NULL, 0x08},
	[F_MLD_FLAG_QRV] = {"icmpv6.mld.flag.qrv",
			    "QRV (Querier's Robustness Variable)", TP_FT_UINT8,
			    TP_BASE_DEC, NULL, 0x07},
	[F_MLD_FLAG_RSV] = {"icmpv6.mld.flag.reserved", "Reserved",
			    TP_FT_UINT8, TP_BASE_DEC, NULL, 0xf0},
	[F_MLD_QQI] = {"icmpv6.mld.qqi", "QQIC (Querier's Query Interval Code)",
		       TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_MLD_NSRC] = {"icmpv6.mld.nb_sources", "Number of Sources",
			TP_FT_UINT16, TP_BASE_DEC, NULL, 0},
	[F_MLD_SRC] = {"icmpv6.mld.source_address", "Source Address",
		       TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_MLDR_NREC] = {"icmpv6.mldr.nb_mcast_records",
			 "Number of Multicast Address Records", TP_FT_UINT16,
			 TP_BASE_DEC, NULL, 0},
	[F_MLDR_MAR] = {"icmpv6.mldr.mar", "Multicast Address Record",
			TP_FT_NONE, TP_BASE_NONE, NULL, 0},
	[F_MLDR_TYPE] = {"icmpv6.mldr.mar.record_type", "Record Type",
			 TP_FT_UINT8, TP_BASE_DEC, mldr_type_vals, 0},
	[F_MLDR_AUXLEN] = {"icmpv6.mldr.mar.aux_data_len", "Aux Data Len",
			   TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_MLDR_NSRC] = {"icmpv6.mldr.mar.nb_sources", "Number of Sources",
			 TP_FT_UINT16, TP_BASE_DEC, NULL, 0},
	[F_MLDR_MADDR] = {"icmpv6.mldr.mar.multicast_address",
			  "Multicast Address", TP_FT_IPv6, TP_BASE_NONE, NULL,
			  0},
	[F_MLDR_SRC] = {"icmpv6.mldr.mar.source_address", "Source Address",
			TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_MLDR_AUX] = {"icmpv6.mldr.mar.auxiliary_data", "Auxiliary Data",
			TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
};

enum {
	E_LEN_ZERO,
	E_CKSUM_BAD,
	E_OPT_LEN,
	E_TOO_MANY_OPTS,
	E_MLDR_PAST_END,
	E_TOO_MANY_RECORDS,
	E_COUNT
};

static const tp_event_def events[E_COUNT] = {
	[E_LEN_ZERO] = {"icmpv6.length_zero", TP_EV_MALFORMED,
			"ICMPv6 message of length 0"},
	[E_CKSUM_BAD] = {"icmpv6.checksum_bad.expert", TP_EV_WARN,
			 "Bad checksum"},
	[E_OPT_LEN] = {"icmpv6.invalid_option_length", TP_EV_MALFORMED,
		       "Invalid Option Length"},
	[E_TOO_MANY_OPTS] = {"icmpv6.too_many_options", TP_EV_WARN,
			     "Too many ICMPv6 options: the rest were not "
			     "recorded"},
	[E_MLDR_PAST_END] = {"icmpv6.mldr.past_end", TP_EV_MALFORMED,
			     "Multicast address records run past the end of "
			     "the message"},
	[E_TOO_MANY_RECORDS] = {"icmpv6.mldr.too_many", TP_EV_WARN,
				"Too many multicast address records or "
				"sources: the rest were not recorded"},
};

/* A child cursor ran short of captured bytes: the parent stops there. */
static void fail_from(tp_cursor *c, const tp_cursor *child)
{
	if (child->status == TP_OK)
		return;
	c->off = child->off;
	tp_fail(c, child->status);
}

/* ---- checksum (RFC 4443 2.3, RFC 8200 8.1) ------------------------- */

/* The network layer below, or -1. */
static int net_layer(const tp_pkt *p, unsigned li)
{
	for (unsigned i = li; i-- > 0;)
		if (p->layers[i].addr.family)
			return (int)i;
	return -1;
}

static unsigned cksum_status(const tp_pkt *p, const uint8_t *msg,
			     size_t len)
{
	unsigned li = p->nlayers - 1;
	int nl = net_layer(p, li);
	if (!msg || p->in_error || nl < 0 || p->layers[nl].addr.family != 6)
		return TP_CKSUM_UNVERIFIED;
	/* A fragment is not the whole message (a reassembled datagram is:
	 * the network layer says which). */
	if (p->layers[nl].addr.fragment)
		return TP_CKSUM_UNVERIFIED;
	/* RFC 6275 6.3: with a home address option, that is the source */
	const tp_netaddr *a = &p->layers[nl].addr;
	const uint8_t *src = a->src;
	const tp_field *home =
		tp_layer_find(p, (unsigned)nl, tp_fd_ipv6_opt_homeaddr);
	if (home && home->vlen >= 16)
		src = home->v.p;
	uint32_t sum = tp_cksum_pseudo(6, src, tp_final_dst(p, (unsigned)nl),
				       TP_IPPROTO_ICMPV6, (uint32_t)len);
	sum = tp_cksum_add(sum, msg, len);
	return tp_cksum_fold(sum) == 0 ? TP_CKSUM_GOOD : TP_CKSUM_BAD;
}

/* ---- options (RFC 4861 4.6 and later) ------------------------------ */

/* DNSSL (RFC 8106 5.2): uncompressed names, padded with zeros.  Each
 * name becomes one dotted string in the arena (at most 255 octets, RFC
 * 1035 2.3.4, so the arena holds no more than the option's bytes). */
static void dnssl_names(tp_pkt *p, tp_cursor *o)
{
	while (tp_reported(o) > 0) {
		size_t at = o->off;
		int first = tp_peek(o, 0);
		if (first < 0) {
			tp_skip(o, 1); /* not captured: says so */
			return;
		}
		if (first == 0) {
			tp_add_uint(p, &fields[F_OPT_PADDING], at,
				    tp_reported(o), 0);
			tp_skip(o, tp_reported(o));
			return;
		}
		uint8_t text[255];
		size_t n = 0;
		for (;;) {
			uint8_t ll = tp_u8(o);
			if (!tp_ok(o) || ll == 0)
				break;
			if (ll > 63 || ll > tp_reported(o)) {
				/* not a name: the rest is not walked */
				tp_skip(o, tp_reported(o));
				break;
			}
			const uint8_t *lab = tp_bytes(o, ll);
			if (!lab)
				break;
			if (n + ll + 1 <= sizeof text) {
				if (n)
					text[n++] = '.';
				memcpy(text + n, lab, ll);
				n += ll;
			}
		}
		if (o->status == TP_TRUNCATED)
			return;
		uint8_t *name = tp_arena_alloc(p, n ? n : 1);
		if (name) {
			memcpy(name, text, n);
			tp_add_bytes(p, &fields[F_OPT_DNSSL], at, o->off - at,
				     name, n);
		}
		if (!tp_ok(o))
			return;
	}
}

/* The option value (after type and length), `vlen` bytes in `o`.  Returns
 * false when it is too short for its type. */
static bool opt_value(tp_pkt *p, tp_cursor *o, uint8_t type, size_t vlen)
{
	size_t at = o->off;
	switch (type) {
	case O_SRC_LL:
	case O_TGT_LL: {
		const uint8_t *ll = tp_get_bytes(p, o, &fields[F_OPT_LINKADDR],
						 vlen);
		if (ll)
			tp_add_bytes(p,
				     &fields[type == O_SRC_LL
						     ? F_OPT_SRC_LINKADDR
						     : F_OPT_TGT_LINKADDR],
				     at, vlen, ll, vlen);
		return true;
	}
	case O_PREFIX: {
		if (vlen < 30)
			return false;
		tp_get_u8(p, o, &fields[F_OPT_PFX_LEN]);
		size_t fat = o->off;
		uint8_t fl = tp_get_u8(p, o, &fields[F_OPT_PFX_FLAG]);
		if (!tp_ok(o))
			return true;
		tp_push(p);
		tp_add_uint(p, &fields[F_OPT_PFX_FLAG_L], fat, 1, fl >> 7);
		tp_add_uint(p, &fields[F_OPT_PFX_FLAG_A], fat, 1,
			    (fl >> 6) & 1);
		tp_add_uint(p, &fields[F_OPT_PFX_FLAG_R], fat, 1,
			    (fl >> 5) & 1);
		tp_add_uint(p, &fields[F_OPT_PFX_FLAG_RSV], fat, 1, fl & 0x1f);
		tp_pop(p);
		tp_get_be32(p, o, &fields[F_OPT_PFX_VALID]);
		tp_get_be32(p, o, &fields[F_OPT_PFX_PREFERRED]);
		size_t rat = o->off;
		if (tp_skip(o, 4))
			tp_add_uint(p, &fields[F_OPT_RSV], rat, 4, 0);
		tp_get_bytes(p, o, &fields[F_OPT_PFX], 16);
		return true;
	}
	case O_REDIRECTED:
		if (vlen < 6)
			return false;
		if (tp_skip(o, 6))
			tp_add_uint(p, &fields[F_OPT_RSV], at, 6, 0);
		if (vlen > 6 && tp_ok(o)) {
			size_t rest = vlen - 6;
			if (tp_skip(o, rest))
				tp_add_uint(p, &fields[F_OPT_REDIRECTED],
					    at + 6, rest, 0);
		}
		return true;
	case O_MTU:
	case O_ADVINT:
		if (vlen < 6)
			return false;
		if (tp_skip(o, 2))
			tp_add_uint(p, &fields[F_OPT_RSV], at, 2, 0);
		tp_get_be32(p, o,
			    &fields[type == O_MTU ? F_OPT_MTU : F_OPT_ADVINT]);
		return true;
	case O_HAINFO:
		if (vlen < 6)
			return false;
		if (tp_skip(o, 2))
			tp_add_uint(p, &fields[F_OPT_RSV], at, 2, 0);
		tp_get_be16(p, o, &fields[F_OPT_HA_PREF]);
		tp_get_be16(p, o, &fields[F_OPT_HA_LIFETIME]);
		return true;
	case O_NONCE:
		tp_get_bytes(p, o, &fields[F_OPT_NONCE], vlen);
		return true;
	case O_ROUTE: {
		/* RFC 4191 2.3: length 1, 2 or 3 */
		if (vlen < 6 || vlen > 22)
			return false;
		tp_get_u8(p, o, &fields[F_OPT_PFX_LEN]);
		size_t fat = o->off;
		uint8_t fl = tp_get_u8(p, o, &fields[F_OPT_RI_FLAG]);
		if (!tp_ok(o))
			return true;
		tp_push(p);
		tp_add_uint(p, &fields[F_OPT_RI_PREF], fat, 1, (fl >> 3) & 3);
		tp_add_uint(p, &fields[F_OPT_RI_RSV], fat, 1, fl & 0xe7);
		tp_pop(p);
		tp_get_be32(p, o, &fields[F_OPT_RI_LIFETIME]);
		size_t pat = o->off, plen = vlen - 6;
		const uint8_t *pfx = tp_bytes(o, plen);
		uint8_t *full = pfx ? tp_arena_alloc(p, 16) : NULL;
		if (full) {
			memset(full, 0, 16);
			memcpy(full, pfx, plen);
			tp_add_bytes(p, &fields[F_OPT_PFX], pat, plen, full,
				     16);
		}
		return true;
	}
	case O_RDNSS:
		if (vlen < 6)
			return false;
		if (tp_skip(o, 2))
			tp_add_uint(p, &fields[F_OPT_RSV], at, 2, 0);
		tp_get_be32(p, o, &fields[F_OPT_RDNSS_LIFETIME]);
		for (size_t n = (vlen - 6) / 16; n > 0 && tp_ok(o); n--)
			tp_get_bytes(p, o, &fields[F_OPT_RDNSS], 16);
		return true;
	case O_DNSSL:
		if (vlen < 6)
			return false;
		if (tp_skip(o, 2))
			tp_add_uint(p, &fields[F_OPT_RSV], at, 2, 0);
		tp_get_be32(p, o, &fields[F_OPT_DNSSL_LIFETIME]);
		if (tp_ok(o))
			dnssl_names(p, o);
		return true;
	case O_PREF64: {
		/* RFC 8781 4: 13-bit lifetime, 3-bit PLC, 96-bit prefix */
		if (vlen != 14)
			return false;
		uint16_t w = tp_be16(o);
		if (!tp_ok(o))
			return true;
		tp_add_uint(p, &fields[F_OPT_PREF64_LIFETIME], at, 2, w >> 3);
		tp_add_uint(p, &fields[F_OPT_PREF64_PLC], at, 2, w & 7);
		size_t pat = o->off;
		const uint8_t *pfx = tp_bytes(o, 12);
		/* codes 6 and 7 are no prefix length: no prefix shown */
		uint8_t *full = pfx && (w & 7) <= 5 ? tp_arena_alloc(p, 16)
						    : NULL;
		if (full) {
			memset(full, 0, 16);
			memcpy(full, pfx, 12);
			tp_add_bytes(p, &fields[F_OPT_PREF64_PFX], pat, 12,
				     full, 16);
		}
		return true;
	}
	default:
		if (vlen)
			tp_get_bytes(p, o, &fields[F_UNKNOWN], vlen);
		return true;
	}
}

/* Options to the end of the message.  Stops at the first invalid length
 * (RFC 4861 4.6: the packet is to be discarded). */
static void walk_options(tp_pkt *p, tp_cursor *c)
{
	for (unsigned n = 0; tp_reported(c) > 0; n++) {
		size_t os = c->off;
		if (n == MAX_OPTS) {
			tp_add_event(p, &events[E_TOO_MANY_OPTS], os);
			return;
		}
		tp_field *of = tp_add_uint(p, &fields[F_OPT], os, 0, 0);
		tp_push(p);
		uint8_t type = tp_get_u8(p, c, &fields[F_OPT_TYPE]);
		size_t len_at = c->off;
		uint8_t ol = tp_get_u8(p, c, &fields[F_OPT_LEN]);
		if (!tp_ok(c)) {
			tp_pop(p);
			return;
		}
		size_t olen = (size_t)ol * 8;
		if (ol == 0 || olen - 2 > tp_reported(c)) {
			/* the rest cannot be delimited: skip it (a capture
			 * cut short still says so) */
			tp_add_event(p, &events[E_OPT_LEN], len_at);
			tp_pop(p);
			tp_skip(c, tp_reported(c));
			return;
		}
		if (of)
			of->len = (uint32_t)olen;
		tp_cursor o = tp_sub(c, olen - 2);
		if (!opt_value(p, &o, type, olen - 2)) {
			tp_add_event(p, &events[E_OPT_LEN], len_at);
			tp_get_bytes(p, &o, &fields[F_UNKNOWN], olen - 2);
		}
		tp_pop(p);
		if (o.status == TP_TRUNCATED) {
			fail_from(c, &o);
			return;
		}
	}
}

/* ---- message bodies ------------------------------------------------- */

static void reserved(tp_pkt *p, tp_cursor *c, size_t n)
{
	tp_get_bytes(p, c, &fields[F_RESERVED], n);
}

/* MLDv1 (RFC 2710 3), after the checksum. */
static void mld1(tp_pkt *p, tp_cursor *c)
{
	tp_get_be16(p, c, &fields[F_MLD_DELAY]);
	reserved(p, c, 2);
	tp_get_bytes(p, c, &fields[F_MLD_MADDR], 16);
}

/* MLDv2 query (RFC 3810 5.1), after the checksum. */
static void mld2_query(tp_pkt *p, tp_cursor *c)
{
	tp_get_be16(p, c, &fields[F_MLD_CODE]);
	reserved(p, c, 2);
	tp_get_bytes(p, c, &fields[F_MLD_MADDR], 16);
	size_t fat = c->off;
	uint8_t fl = tp_get_u8(p, c, &fields[F_MLD_FLAG]);
	if (!tp_ok(c))
		return;
	tp_push(p);
	tp_add_uint(p, &fields[F_MLD_FLAG_S], fat, 1, (fl >> 3) & 1);
	tp_add_uint(p, &fields[F_MLD_FLAG_QRV], fat, 1, fl & 7);
	tp_add_uint(p, &fields[F_MLD_FLAG_RSV], fat, 1, fl >> 4);
	tp_pop(p);
	tp_get_u8(p, c, &fields[F_MLD_QQI]);
	size_t nat = c->off;
	uint16_t nsrc = tp_get_be16(p, c, &fields[F_MLD_NSRC]);
	if (!tp_ok(c))
		return;
	if ((size_t)nsrc * 16 > tp_reported(c)) {
		tp_add_event(p, &events[E_MLDR_PAST_END], nat);
		nsrc = (uint16_t)(tp_reported(c) / 16);
	}
	for (unsigned i = 0; i < nsrc && tp_ok(c); i++) {
		if (i == MAX_SOURCES) {
			tp_add_event(p, &events[E_TOO_MANY_RECORDS], c->off);
			tp_skip(c, (size_t)(nsrc - i) * 16);
			break;
		}
		tp_get_bytes(p, c, &fields[F_MLD_SRC], 16);
	}
}

/* MLDv2 report (RFC 3810 5.2), after the checksum. */
static void mld2_report(tp_pkt *p, tp_cursor *c)
{
	reserved(p, c, 2);
	uint16_t nrec = tp_get_be16(p, c, &fields[F_MLDR_NREC]);
	for (unsigned r = 0; r < nrec && tp_ok(c); r++) {
		size_t rs = c->off;
		if (r == MAX_RECORDS) {
			tp_add_event(p, &events[E_TOO_MANY_RECORDS], rs);
			return;
		}
		if (tp_reported(c) < 20) {
			tp_add_event(p, &events[E_MLDR_PAST_END], rs);
			return;
		}
		tp_field *mf = tp_add_uint(p, &fields[F_MLDR_MAR], rs, 0, 0);
		tp_push(p);
		tp_get_u8(p, c, &fields[F_MLDR_TYPE]);
		uint8_t aux = tp_get_u8(p, c, &fields[F_MLDR_AUXLEN]);
		size_t nat = c->off;
		uint16_t nsrc = tp_get_be16(p, c, &fields[F_MLDR_NSRC]);
		tp_get_bytes(p, c, &fields[F_MLDR_MADDR], 16);
		size_t body = (size_t)nsrc * 16 + (size_t)aux * 4;
		if (tp_ok(c) && body > tp_reported(c)) {
			tp_add_event(p, &events[E_MLDR_PAST_END], nat);
			tp_pop(p);
			return;
		}
		for (unsigned i = 0; i < nsrc && tp_ok(c); i++) {
			if (i == MAX_SOURCES) {
				tp_add_event(p, &events[E_TOO_MANY_RECORDS],
					     c->off);
				tp_skip(c, (size_t)(nsrc - i) * 16);
				break;
			}
			tp_get_bytes(p, c, &fields[F_MLDR_SRC], 16);
		}
		if (aux && tp_ok(c))
			tp_get_bytes(p, c, &fields[F_MLDR_AUX], aux * 4u);
		if (mf)
			mf->len = (uint32_t)(c->off - rs);
		tp_pop(p);
	}
}

static void ra_body(tp_pkt *p, tp_cursor *c)
{
	tp_get_u8(p, c, &fields[F_RA_HOPLIMIT]);
	size_t fat = c->off;
	uint8_t fl = tp_get_u8(p, c, &fields[F_RA_FLAG]);
	if (!tp_ok(c))
		return;
	tp_push(p);
	tp_add_uint(p, &fields[F_RA_FLAG_M], fat, 1, fl >> 7);
	tp_add_uint(p, &fields[F_RA_FLAG_O], fat, 1, (fl >> 6) & 1);
	tp_add_uint(p, &fields[F_RA_FLAG_H], fat, 1, (fl >> 5) & 1);
	tp_add_uint(p, &fields[F_RA_FLAG_PRF], fat, 1, (fl >> 3) & 3);
	tp_add_uint(p, &fields[F_RA_FLAG_P], fat, 1, (fl >> 2) & 1);
	tp_add_uint(p, &fields[F_RA_FLAG_RSV], fat, 1, fl & 3);
	tp_pop(p);
	tp_get_be16(p, c, &fields[F_RA_LIFETIME]);
	tp_get_be32(p, c, &fields[F_RA_REACHABLE]);
	tp_get_be32(p, c, &fields[F_RA_RETRANS]);
}

static void xecho_flags(tp_pkt *p, tp_cursor *c, bool req)
{
	size_t at = c->off;
	uint8_t v = tp_u8(c);
	if (!tp_ok(c))
		return;
	if (req) {
		tp_add_uint(p, &fields[F_XECHO_REQ_RES], at, 1, v >> 1);
		tp_add_uint(p, &fields[F_XECHO_REQ_LOCAL], at, 1, v & 1);
		return;
	}
	tp_add_uint(p, &fields[F_XECHO_RSP_STATE], at, 1, v >> 5);
	tp_add_uint(p, &fields[F_XECHO_RSP_RES], at, 1, (v >> 3) & 3);
	tp_add_uint(p, &fields[F_XECHO_RSP_ACTIVE], at, 1, (v >> 2) & 1);
	tp_add_uint(p, &fields[F_XECHO_RSP_IPV4], at, 1, (v >> 1) & 1);
	tp_add_uint(p, &fields[F_XECHO_RSP_IPV6], at, 1, v & 1);
}

static void na_flags(tp_pkt *p, tp_cursor *c)
{
	size_t fat = c->off;
	uint32_t fl = tp_get_be32(p, c, &fields[F_NA_FLAG]);
	if (!tp_ok(c))
		return;
	tp_push(p);
	tp_add_uint(p, &fields[F_NA_FLAG_R], fat, 4, fl >> 31);
	tp_add_uint(p, &fields[F_NA_FLAG_S], fat, 4, (fl >> 30) & 1);
	tp_add_uint(p, &fields[F_NA_FLAG_O], fat, 4, (fl >> 29) & 1);
	tp_add_uint(p, &fields[F_NA_FLAG_RSV], fat, 4, fl & 0x1fffffff);
	tp_pop(p);
}

static tp_next icmpv6_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t mlen = tp_reported(c);
	if (mlen == 0) {
		tp_add_event(p, &events[E_LEN_ZERO], c->off);
		return TP_STOP;
	}
	if (p->in_error && !tp_has(c, 4))
		return TP_STOP; /* the quote ends here: data */
	/* A view of the whole message for the checksum, when captured. */
	tp_cursor whole = *c;
	const uint8_t *msg =
		tp_avail(c) >= mlen ? tp_bytes(&whole, mlen) : NULL;
	uint8_t type = tp_get_u8(p, c, &fields[F_TYPE]);
	tp_get_u8(p, c, &fields[F_CODE]);
	size_t ck_at = c->off;
	tp_get_be16(p, c, &fields[F_CKSUM]);
	if (!tp_ok(c))
		return TP_STOP;
	unsigned st = cksum_status(p, msg, mlen);
	tp_add_uint(p, &fields[F_CKSUM_STATUS], ck_at, 0, st);
	if (st == TP_CKSUM_BAD)
		tp_add_event(p, &events[E_CKSUM_BAD], ck_at);

	if (p->in_error && type != T_UNREACH && type != T_TIMEX &&
	    type != T_TOOBIG && type != T_PARAM) {
		/* Inside a quote only what is surely there: echo id/seq (an
		 * error quoting an error goes on to its own quote, as
		 * tshark follows it) */
		if ((type == T_ECHO_REQ || type == T_ECHO_REP) &&
		    tp_has(c, 4)) {
			tp_get_be16(p, c, &fields[F_ECHO_ID]);
			tp_get_be16(p, c, &fields[F_ECHO_SEQ]);
		}
		return TP_STOP;
	}

	switch (type) {
	case T_UNREACH:
	case T_TIMEX:
		reserved(p, c, 4);
		break;
	case T_TOOBIG:
		tp_get_be32(p, c, &fields[F_MTU]);
		break;
	case T_PARAM:
		tp_get_be32(p, c, &fields[F_POINTER]);
		break;
	case T_ECHO_REQ:
	case T_ECHO_REP:
		tp_get_be16(p, c, &fields[F_ECHO_ID]);
		tp_get_be16(p, c, &fields[F_ECHO_SEQ]);
		return TP_STOP; /* the rest is the echo data */
	case T_MLD_QUERY:
		/* RFC 3810 8.1: the length tells MLDv1 (24) from v2 */
		if (mlen >= 28)
			mld2_query(p, c);
		else if (mlen == 24)
			mld1(p, c);
		return TP_STOP;
	case T_MLD_REPORT:
	case T_MLD_DONE:
		mld1(p, c);
		return TP_STOP;
	case T_MLD2_REPORT:
		mld2_report(p, c);
		return TP_STOP;
	case T_XECHO_REQ:
	case T_XECHO_REP:
		/* RFC 8335 2/3: identifier, sequence, then flags */
		tp_get_be16(p, c, &fields[F_ECHO_ID]);
		tp_get_u8(p, c, &fields[F_XECHO_SEQ]);
		xecho_flags(p, c, type == T_XECHO_REQ);
		return TP_STOP;
	case T_RS:
	case T_IND_SOL: /* RFC 3122 2.1/2.2: reserved, then options */
	case T_IND_ADV:
		reserved(p, c, 4);
		if (tp_ok(c))
			walk_options(p, c);
		return TP_STOP;
	case T_RA:
		ra_body(p, c);
		if (tp_ok(c))
			walk_options(p, c);
		return TP_STOP;
	case T_NS:
		reserved(p, c, 4);
		tp_get_bytes(p, c, &fields[F_NS_TARGET], 16);
		if (tp_ok(c))
			walk_options(p, c);
		return TP_STOP;
	case T_NA:
		na_flags(p, c);
		tp_get_bytes(p, c, &fields[F_NA_TARGET], 16);
		if (tp_ok(c))
			walk_options(p, c);
		return TP_STOP;
	case T_REDIRECT:
		reserved(p, c, 4);
		tp_get_bytes(p, c, &fields[F_RD_TARGET], 16);
		tp_get_bytes(p, c, &fields[F_RD_DST], 16);
		if (tp_ok(c))
			walk_options(p, c);
		return TP_STOP;
	default:
		return TP_STOP; /* the rest is data */
	}
	/* An error message: the invoking packet follows (RFC 4443 3). */
	if (!tp_ok(c) || tp_reported(c) == 0 || p->in_error >= TP_MAX_EMBED)
		return TP_STOP;
	p->in_error++;
	return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV6);
}

/* ---- one-line summary, as tcpdump's icmp6_print --------------------- */

static const tp_valstr tcpdump_type_vals[] = {
	{1, "destination unreachable"},
	{2, "packet too big"},
	{3, "time exceeded in-transit"},
	{4, "parameter problem"},
	{128, "echo request"},
	{129, "echo reply"},
	{130, "multicast listener query"},
	{131, "multicast listener report"},
	{132, "multicast listener done"},
	{133, "router solicitation"},
	{134, "router advertisement"},
	{135, "neighbor solicitation"},
	{136, "neighbor advertisement"},
	{137, "redirect"},
	{138, "router renumbering"},
	{139, "who-are-you request"},
	{140, "who-are-you reply"},
	{141, "inverse neighbor solicitation"},
	{142, "inverse neighbor advertisement"},
	{143, "multicast listener report v2"},
	{144, "ha discovery request"},
	{145, "ha discovery reply"},
	{146, "mobile router solicitation"},
	{147, "mobile router advertisement"},
	{155, "RPL"},
	{200, "mtrace response"},
	{201, "mtrace message"},
	{0, NULL},
};

static const tp_valstr unreach_vals[] = {
	{0, "unreachable route"},
	{1, " unreachable prohibited"},
	{2, "beyond scope"},
	{3, "unreachable address"},
	{4, "unreachable port"},
	{0, NULL},
};

static const tp_valstr param_vals[] = {
	{0, "erroneous"},
	{1, "next header"},
	{2, "option"},
	{3, "incomplete header chain"},
	{0, NULL},
};

static const tp_valstr rpl_vals[] = {
	{0, "DODAG Information Solicitation"},
	{1, "DODAG Information Object"},
	{2, "Destination Advertisement Object"},
	{3, "Destination Advertisement Object Ack"},
	{0, NULL},
};

static void put_field_addr(tp_sbuf *s, const tp_field *f)
{
	if (f && f->vlen >= 16)
		tp_sb_ipv6(s, f->v.p);
}

/* The destination port of the quoted packet's transport header:
 * tcpdump's get_upperlayer, over the embedded layers.  The transport
 * layer's own field first, else the first bytes it left as data. */
static bool quoted_dport(const tp_pkt *p, unsigned ql, uint64_t *proto,
			 uint64_t *dport)
{
	const tp_layer *q = &p->layers[ql];
	uint64_t nh = 256;
	for (unsigned i = 0; i < q->nfields; i++) {
		const tp_field *f = &p->fields[q->first_field + i];
		const char *ab = f->def->abbrev;
		size_t n = strlen(ab);
		if (!strcmp(ab, "ipv6.fraghdr.offset") && f->v.u)
			return false; /* not the first fragment */
		if ((n > 4 && !strcmp(ab + n - 4, ".nxt")) ||
		    !strcmp(ab, "ah.next_header"))
			nh = f->v.u;
		if (!strcmp(ab, "esp.spi"))
			return false;
	}
	if (nh != TP_IPPROTO_TCP && nh != TP_IPPROTO_UDP)
		return false;
	*proto = nh;
	unsigned tl = ql + 1;
	if (tl >= p->nlayers)
		return false;
	if (tp_layer_u64(p, tl, nh == TP_IPPROTO_TCP ? tp_fd_tcp_dstport
						    : tp_fd_udp_dstport,
			 dport))
		return true;
	/* a transport dissector that read nothing: its header is data */
	for (unsigned i = tl; i < p->nlayers; i++) {
		const tp_field *d = tp_layer_find(p, i, tp_fd_data_data);
		if (d && d->off == p->layers[tl].off && d->vlen >= 4) {
			*dport = (uint64_t)d->v.p[2] << 8 | d->v.p[3];
			return true;
		}
	}
	return false;
}

/* What tcpdump does after an error message's text. */
enum { PE_LENGTH, PE_TRUNC, PE_END };

/* Errors name the invoking packet; `ql` is its IPv6 layer, or 0. */
static int put_error(tp_sbuf *s, const tp_pkt *p, unsigned ql,
		      uint64_t type, uint64_t code, const tp_field *word,
		      const tp_field *bdst, const tp_field *bsrc)
{
	const tp_field *odst =
		ql ? tp_layer_find(p, ql, tp_fd_ipv6_dst) : NULL;
	const tp_field *osrc =
		ql ? tp_layer_find(p, ql, tp_fd_ipv6_src) : NULL;
	/* tcpdump reads the quoted addresses whatever the quoted version
	 * says: the bytes, when the quote has no such field */
	if (!odst)
		odst = bdst;
	if (!osrc)
		osrc = bsrc;
	const char *n;
	switch (type) {
	case T_UNREACH:
		tp_sb_puts(s, ", ");
		n = tp_valstr_find(unreach_vals, (uint32_t)code);
		if (n) {
			tp_sb_puts(s, n);
		} else {
			tp_sb_puts(s, "unknown unreach code (");
			tp_sb_dec(s, code);
			tp_sb_putc(s, ')');
			return PE_END; /* tcpdump dumps the bytes in hex */
		}
		if (!odst)
			return PE_TRUNC;
		if (code == 4) {
			uint64_t proto, dport;
			if (!quoted_dport(p, ql, &proto, &dport))
				return PE_TRUNC;
			tp_sb_puts(s, ", ");
			put_field_addr(s, odst);
			tp_sb_puts(s, proto == TP_IPPROTO_TCP ? " tcp port "
							      : " udp port ");
			tp_sb_dec(s, dport);
		} else {
			tp_sb_putc(s, ' ');
			put_field_addr(s, odst);
			if (code == 2 && osrc) {
				tp_sb_puts(s, ", source address ");
				put_field_addr(s, osrc);
			}
		}
		return PE_LENGTH;
	case T_TOOBIG:
		if (!word)
			return PE_TRUNC;
		tp_sb_puts(s, ", mtu ");
		tp_sb_dec(s, word->v.u);
		return PE_LENGTH;
	case T_TIMEX:
		if (code == 0) {
			if (!odst)
				return PE_TRUNC;
			tp_sb_puts(s, " for ");
			put_field_addr(s, odst);
		} else if (code == 1) {
			tp_sb_puts(s, " (reassembly)");
		} else {
			tp_sb_puts(s, ", unknown code (");
			tp_sb_dec(s, code);
			tp_sb_putc(s, ')');
		}
		return PE_LENGTH;
	default: /* parameter problem */
		if (!word || !odst)
			return PE_TRUNC;
		n = tp_valstr_find(param_vals, (uint32_t)code);
		if (!n) {
			tp_sb_puts(s, ", code-#");
			tp_sb_dec(s, code);
			return PE_LENGTH;
		}
		tp_sb_puts(s, ", ");
		tp_sb_puts(s, n);
		tp_sb_puts(s, " - octet ");
		tp_sb_dec(s, word->v.u);
		return PE_LENGTH;
	}
}

/* Where tcpdump's read fails: " [|icmp6]", the end of its text. */
static tp_sum trunc_mark(tp_sbuf *s)
{
	tp_sb_puts(s, " [|icmp6]");
	return TP_SUM_STOP;
}

/* print-icmp6.c mld6_print: run on without a separator, as tcpdump. */
static void put_mld1(tp_sbuf *s, const tp_pkt *p, unsigned li)
{
	const tp_field *d = tp_layer_find(p, li, &fields[F_MLD_DELAY]);
	const tp_field *a = tp_layer_find(p, li, &fields[F_MLD_MADDR]);
	if (!d || !a)
		return;
	tp_sb_puts(s, "max resp delay: ");
	tp_sb_dec(s, d->v.u);
	tp_sb_puts(s, " addr: ");
	put_field_addr(s, a);
}

/* ---- tcpdump -v: checksum, ND options, MLDv2 details ---------------- */

/* The message's captured bytes, read by index with a bounds check (a
 * view the cursor handed out): tcpdump's -v text prints bytes no field
 * holds (option dumps, tcpdump's own reading of odd lengths). */
struct msg {
	const uint8_t *b;
	size_t cap; /* captured bytes of the message */
	size_t len; /* its length (what the IPv6 layer reported) */
};

static bool msg_view(const tp_pkt *p, unsigned li, struct msg *m)
{
	const tp_layer *l = &p->layers[li];
	tp_cursor c = tp_layer_cursor(p, li);
	m->len = (size_t)l->len + l->payload_len;
	tp_clamp(&c, m->len);
	m->cap = tp_avail(&c);
	m->b = tp_bytes(&c, m->cap);
	return m->b != NULL;
}

static bool m8(const struct msg *m, size_t at, unsigned *v)
{
	if (at >= m->cap)
		return false;
	*v = m->b[at];
	return true;
}

static bool m16(const struct msg *m, size_t at, unsigned *v)
{
	if (at + 2 > m->cap || at + 2 < at)
		return false;
	*v = (unsigned)m->b[at] << 8 | m->b[at + 1];
	return true;
}

static bool m32(const struct msg *m, size_t at, uint32_t *v)
{
	if (at + 4 > m->cap || at + 4 < at)
		return false;
	*v = (uint32_t)m->b[at] << 24 | (uint32_t)m->b[at + 1] << 16 |
	     (uint32_t)m->b[at + 2] << 8 | m->b[at + 3];
	return true;
}

static const uint8_t *m_addr(const struct msg *m, size_t at)
{
	return at + 16 <= m->cap && at + 16 > at ? m->b + at : NULL;
}

/* "[icmp6 sum ok] " or "[bad icmp6 cksum 0x1234 -> 0xbd69!] ": over
 * IPv6, not after a fragment header, the whole message captured. */
static void put_cksum(const tp_pkt *p, unsigned li, tp_sbuf *s,
		      const struct msg *m)
{
	int nl = net_layer(p, li);
	if (nl < 0 || p->layers[nl].addr.family != 6 || m->cap < m->len ||
	    m->len < 4 || tp_tcpdump_fragmented(p, li))
		return; /* m->len is tcpdump's: past the frame, never all there */
	const tp_netaddr *a = &p->layers[nl].addr;
	uint32_t sum = tp_cksum_pseudo(6, a->src, tp_tcpdump_pseudo_dst(p, li),
				       TP_IPPROTO_ICMPV6, (uint32_t)m->len);
	uint16_t r = tp_cksum_fold(tp_cksum_add(sum, m->b, m->len));
	if (r == 0) {
		tp_sb_puts(s, "[icmp6 sum ok] ");
		return;
	}
	/* in_cksum_shouldbe: the sum the field should have held */
	uint32_t ck = (uint32_t)m->b[2] << 8 | m->b[3];
	uint32_t want = ck + r;
	want = (want & 0xffff) + (want >> 16);
	want = (want & 0xffff) + (want >> 16);
	tp_sb_puts(s, "[bad icmp6 cksum 0x");
	tp_sb_hex(s, ck, 4);
	tp_sb_puts(s, " -> 0x");
	tp_sb_hex(s, want, 4);
	tp_sb_puts(s, "!] ");
}

/* print_unknown_data: the captured ones of n bytes from `at`. */
static void put_hex(tp_sbuf *s, const struct msg *m, const char *ident,
		    size_t at, size_t n)
{
	if (at >= m->cap)
		return;
	if (n > m->cap - at)
		n = m->cap - at;
	tp_sb_tcpdump_hex(s, ident, m->b + at, n);
}

static const tp_valstr nd_opt_names[] = {
	{1, "source link-address"}, {2, "destination link-address"},
	{3, "prefix info"},	    {4, "redirected header"},
	{5, "mtu"},		    {7, "advertisement interval"},
	{8, "homeagent information"}, {24, "route info"},
	{25, "rdnss"},		    {31, "dnssl"},
	{0, NULL},
};

static void put_lifetime(tp_sbuf *s, uint32_t v)
{
	if (v == 0xffffffffu) {
		tp_sb_puts(s, "infinity");
		return;
	}
	tp_sb_dec(s, v);
	tp_sb_putc(s, 's');
}

static const char *const rtpref[4] = {"medium", "high", "rsv", "low"};

/* tcpdump's bittok2str: the names of the bits set, ", " between, or
 * "none". */
static void put_bits(tp_sbuf *s, const tp_valstr *v, uint32_t bits)
{
	bool any = false;
	for (; v->str; v++) {
		if (!(bits & v->value))
			continue;
		if (any)
			tp_sb_puts(s, ", ");
		tp_sb_puts(s, v->str);
		any = true;
	}
	if (!any)
		tp_sb_puts(s, "none");
}

static const tp_valstr pi_flags[] = {
	{0x80, "onlink"}, {0x40, "auto"}, {0x20, "router"}, {0, NULL}};
static const tp_valstr ra_flags[] = {
	{0x80, "managed"}, {0x40, "other stateful"}, {0x20, "home agent"},
	{0, NULL}};
static const tp_valstr na_flags_vals[] = {
	{0x80000000u, "router"}, {0x40000000u, "solicited"},
	{0x20000000u, "override"}, {0, NULL}};

/* DNSSL names (fqdn_print over uncompressed labels): "a.b. c.d.".
 * False when tcpdump stops. */
static bool put_dnssl(tp_sbuf *s, const struct msg *m, size_t at,
		      size_t end)
{
	unsigned ll;
	while (at < end && m8(m, at, &ll) && ll != 0) {
		tp_sb_putc(s, ' ');
		while (m8(m, at, &ll) && ll != 0) {
			if (ll > 63 || at + 1 + ll > m->cap)
				return false;
			tp_sb_put(s, (const char *)m->b + at + 1, ll);
			tp_sb_putc(s, '.');
			at += 1 + ll;
		}
		if (at >= m->cap)
			return false;
		at++;
	}
	return true;
}

/* " lifetime 5s" of RDNSS and DNSSL. */
static bool put_opt_lifetime(tp_sbuf *s, const struct msg *m, size_t at)
{
	uint32_t v;
	if (!m32(m, at + 4, &v))
		return false;
	tp_sb_puts(s, " lifetime ");
	tp_sb_dec(s, v);
	tp_sb_putc(s, 's');
	return true;
}

/* One option's value after "...: ".  False: tcpdump stops ([|icmp6]). */
static bool put_opt_value(tp_sbuf *s, const struct msg *m, size_t at,
			  size_t opts, unsigned type, unsigned ol)
{
	size_t olen = (size_t)ol * 8;
	unsigned u8v, a16, b16;
	uint32_t v, w;
	const uint8_t *ad;
	switch (type) {
	case 1:
	case 2:
		tp_sb_hexbytes(s, m->b + at + 2, olen - 2, ':');
		return true;
	case 3:
		if (!(ad = m_addr(m, at + 16)) || !m8(m, at + 2, &u8v) ||
		    !m8(m, at + 3, &a16) || !m32(m, at + 4, &v) ||
		    !m32(m, at + 8, &w))
			return false;
		tp_sb_ipv6(s, ad);
		tp_sb_putc(s, '/');
		tp_sb_dec(s, u8v);
		if (ol != 4)
			tp_sb_puts(s, "badlen");
		tp_sb_puts(s, ", Flags [");
		put_bits(s, pi_flags, a16);
		tp_sb_puts(s, "], valid time ");
		put_lifetime(s, v);
		tp_sb_puts(s, ", pref. time ");
		put_lifetime(s, w);
		return true;
	case 4: /* tcpdump dumps from the first option (sic) */
		put_hex(s, m, "\n\t    ", opts, olen);
		return true;
	case 5:
		if (!m32(m, at + 4, &v))
			return false;
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, v);
		if (ol != 1)
			tp_sb_puts(s, "bad option length");
		return true;
	case 7:
		if (!m32(m, at + 4, &v))
			return false;
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, v);
		tp_sb_puts(s, "ms");
		return true;
	case 8:
		if (!m16(m, at + 4, &a16) || !m16(m, at + 6, &b16))
			return false;
		tp_sb_puts(s, " preference ");
		tp_sb_dec(s, a16);
		tp_sb_puts(s, ", lifetime ");
		tp_sb_dec(s, b16);
		return true;
	case 24: {
		uint8_t pfx[16] = {0};
		if (!m32(m, at + 4, &v) || !m8(m, at + 2, &u8v) ||
		    !m8(m, at + 3, &a16))
			return false;
		if (ol > 3)
			return false;
		if (ol > 1) {
			size_t n = ol == 2 ? 8 : 16;
			if (at + 8 + n > m->cap)
				return false;
			memcpy(pfx, m->b + at + 8, n);
		}
		tp_sb_putc(s, ' ');
		tp_sb_ipv6(s, pfx);
		tp_sb_putc(s, '/');
		tp_sb_dec(s, u8v);
		tp_sb_puts(s, ", pref=");
		tp_sb_puts(s, rtpref[(a16 >> 3) & 3]);
		tp_sb_puts(s, ", lifetime=");
		put_lifetime(s, v);
		return true;
	}
	case 25:
		if (!put_opt_lifetime(s, m, at))
			return false;
		tp_sb_putc(s, ',');
		for (unsigned i = 0; i < (ol - 1) / 2; i++) {
			if (!(ad = m_addr(m, at + 8 + 16 * (size_t)i)))
				return false;
			tp_sb_puts(s, " addr: ");
			tp_sb_ipv6(s, ad);
		}
		return true;
	case 31:
		if (!put_opt_lifetime(s, m, at))
			return false;
		tp_sb_puts(s, ", domain(s):");
		return put_dnssl(s, m, at + 8, at + olen);
	default:
		return true;
	}
}

/* print-icmp6.c icmp6_opt_print: the options from `at` to the end, one
 * "\n\t  NAME option (T), length L (N): VALUE" each, with -vv their
 * bytes in hex.  False when tcpdump stops with "[|icmp6]". */
static bool put_nd_opts(tp_sbuf *s, const struct msg *m, size_t at,
			int vflag)
{
	size_t opts = at;
	long resid = (long)m->len - (long)at;
	while (at < m->cap) {
		unsigned type, ol;
		if (!m8(m, at, &type) || !m8(m, at + 1, &ol))
			return false;
		if (resid <= 0)
			return true;
		if (ol == 0 || at + (size_t)ol * 8 > m->cap)
			return false;
		const char *n = tp_valstr_find(nd_opt_names, type);
		tp_sb_puts(s, "\n\t  ");
		tp_sb_puts(s, n ? n : "unknown");
		tp_sb_puts(s, " option (");
		tp_sb_dec(s, type);
		tp_sb_puts(s, "), length ");
		tp_sb_dec(s, (uint64_t)ol * 8);
		tp_sb_puts(s, " (");
		tp_sb_dec(s, ol);
		tp_sb_puts(s, "): ");
		if (!n && vflag <= 1) {
			put_hex(s, m, "\n\t  ", at + 2, (size_t)ol * 8 - 2);
			return true;
		}
		if (!put_opt_value(s, m, at, opts, type, ol))
			return false;
		if (vflag > 1)
			put_hex(s, m, "\n\t    ", at + 2, (size_t)ol * 8 - 2);
		at += (size_t)ol * 8;
		resid -= (long)ol * 8;
	}
	return true;
}

/* The "max resp delay" and QQI codes of MLDv2 (RFC 3810 5.1.1/5.1.9),
 * as tcpdump decodes them. */
static unsigned mld_code(unsigned v, unsigned mant_bits, unsigned limit)
{
	if (v < limit)
		return v;
	unsigned mmask = (1u << mant_bits) - 1;
	unsigned exp = (v >> mant_bits) & 7;
	return ((v & mmask) | (1u << mant_bits)) << (exp + 3);
}

/* " [invalid len N]": an MLDv2 message too short (tcpdump goes on). */
static bool invalid_len(tp_sbuf *s, const struct msg *m)
{
	tp_sb_puts(s, " [invalid len ");
	tp_sb_dec(s, m->len);
	tp_sb_putc(s, ']');
	return true;
}

/* mldv2_query_print after " v2".  False: [|icmp6]. */
static bool put_mld2_query(tp_sbuf *s, const struct msg *m, int vflag)
{
	unsigned mrc, fl, qqi, nsrc;
	const uint8_t *ga;
	if (m->len < 28)
		return invalid_len(s, m);
	if (!m16(m, 4, &mrc))
		return false;
	if (vflag) {
		tp_sb_puts(s, " [max resp delay=");
		tp_sb_dec(s, mld_code(mrc, 12, 32768));
		tp_sb_putc(s, ']');
	}
	if (!(ga = m_addr(m, 8)))
		return false;
	tp_sb_puts(s, " [gaddr ");
	tp_sb_ipv6(s, ga);
	if (vflag) {
		if (!m8(m, 24, &fl) || !m8(m, 25, &qqi))
			return false;
		if (fl & 0x08)
			tp_sb_puts(s, " sflag");
		if (fl & 0x07) {
			tp_sb_puts(s, " robustness=");
			tp_sb_dec(s, fl & 7);
		}
		tp_sb_puts(s, " qqi=");
		tp_sb_dec(s, mld_code(qqi, 4, 128));
	}
	if (!m16(m, 26, &nsrc))
		return false;
	if (nsrc > 0) {
		if (m->len < 28 + (size_t)nsrc * 16) {
			tp_sb_puts(s, " [invalid number of sources]");
		} else if (vflag > 1) {
			tp_sb_puts(s, " {");
			for (unsigned i = 0; i < nsrc; i++) {
				if (!(ga = m_addr(m, 28 + 16 * (size_t)i)))
					return false;
				tp_sb_putc(s, ' ');
				tp_sb_ipv6(s, ga);
			}
			tp_sb_puts(s, " }");
		} else {
			tp_sb_puts(s, ", ");
			tp_sb_dec(s, nsrc);
			tp_sb_puts(s, " source(s)");
		}
	}
	tp_sb_putc(s, ']');
	return true;
}

static const tp_valstr mldv2_rec[] = {
	{1, "is_in"}, {2, "is_ex"}, {3, "to_in"},
	{4, "to_ex"}, {5, "allow"}, {6, "block"}, {0, NULL}};

/* mldv2_report_print.  False: [|icmp6]. */
static bool put_mld2_report(tp_sbuf *s, const struct msg *m, int vflag)
{
	unsigned ngroups, type, nsrc;
	const uint8_t *a;
	if (m->len < 8)
		return invalid_len(s, m);
	if (!m16(m, 6, &ngroups))
		return false;
	tp_sb_puts(s, ", ");
	tp_sb_dec(s, ngroups);
	tp_sb_puts(s, " group record(s)");
	if (!vflag)
		return true;
	size_t g = 8;
	for (unsigned i = 0; i < ngroups; i++) {
		if (m->len < g + 20) {
			tp_sb_puts(s, " [invalid number of groups]");
			return true;
		}
		if (!(a = m_addr(m, g + 4)))
			return false;
		tp_sb_puts(s, " [gaddr ");
		tp_sb_ipv6(s, a);
		if (!m8(m, g, &type) || !m16(m, g + 2, &nsrc))
			return false;
		const char *n = tp_valstr_find(mldv2_rec, type);
		tp_sb_putc(s, ' ');
		if (n) {
			tp_sb_puts(s, n);
		} else {
			tp_sb_puts(s, " [v2-report-#");
			tp_sb_dec(s, type);
			tp_sb_putc(s, ']');
		}
		if (m->len < g + 20 + (size_t)nsrc * 16) {
			tp_sb_puts(s, " [invalid number of sources ");
			tp_sb_dec(s, nsrc);
			tp_sb_putc(s, ']');
			return true;
		}
		if (vflag == 1) {
			tp_sb_puts(s, ", ");
			tp_sb_dec(s, nsrc);
			tp_sb_puts(s, " source(s)");
		} else {
			tp_sb_puts(s, " {");
			for (unsigned j = 0; j < nsrc; j++) {
				if (!(a = m_addr(m, g + 20 + 16 * (size_t)j)))
					return false;
				tp_sb_putc(s, ' ');
				tp_sb_ipv6(s, a);
			}
			tp_sb_puts(s, " }");
		}
		g += 20 + (size_t)nsrc * 16;
		tp_sb_putc(s, ']');
	}
	return true;
}

/* -v's text after the type of a router advertisement (before its
 * options).  False: [|icmp6]. */
static bool put_ra(tp_sbuf *s, const struct msg *m)
{
	unsigned hl, fl, life;
	uint32_t reach, retrans;
	if (!m8(m, 4, &hl) || !m8(m, 5, &fl) || !m16(m, 6, &life) ||
	    !m32(m, 8, &reach) || !m32(m, 12, &retrans))
		return false;
	tp_sb_puts(s, "\n\thop limit ");
	tp_sb_dec(s, hl);
	tp_sb_puts(s, ", Flags [");
	put_bits(s, ra_flags, fl);
	tp_sb_puts(s, "], pref ");
	tp_sb_puts(s, rtpref[(fl >> 3) & 3]);
	tp_sb_puts(s, ", router lifetime ");
	tp_sb_dec(s, life);
	tp_sb_puts(s, "s, reachable time ");
	tp_sb_dec(s, reach);
	tp_sb_puts(s, "ms, retrans timer ");
	tp_sb_dec(s, retrans);
	tp_sb_puts(s, "ms");
	return true;
}

/* ", id 0x1234" (home agent discovery, mobile prefix). */
static bool put_id(tp_sbuf *s, const struct msg *m)
{
	unsigned id;
	if (!m16(m, 4, &id))
		return false;
	tp_sb_puts(s, ", id 0x");
	tp_sb_hex(s, id, 4);
	return true;
}

/* ---- router renumbering (RFC 2894), as icmp6_rrenum_print ----------- */

static void put_rr_time(tp_sbuf *s, const char *name, uint32_t v)
{
	tp_sb_puts(s, name);
	if (v == 0xffffffffu) {
		tp_sb_puts(s, "infty,");
		return;
	}
	tp_sb_dec(s, v);
	tp_sb_putc(s, ',');
}

/* One use-prefix part at `at`.  False: [|icmp6]. */
static bool put_rr_use(tp_sbuf *s, const struct msg *m, size_t at, int vflag)
{
	unsigned use, keep, mask, raf;
	uint32_t vl, pl, fl;
	const uint8_t *pfx = m_addr(m, at + 16);
	if (!pfx || !m8(m, at, &use) || !m8(m, at + 1, &keep) ||
	    !m8(m, at + 2, &mask) || !m8(m, at + 3, &raf) ||
	    !m32(m, at + 4, &vl) || !m32(m, at + 8, &pl) ||
	    !m32(m, at + 12, &fl))
		return false;
	tp_sb_puts(s, vflag > 1 ? "\n\tuse(" : " use(");
	if (fl >> 24) { /* tcpdump tests the first byte */
		if (fl & 0x80000000u)
			tp_sb_putc(s, 'V');
		if (fl & 0x40000000u)
			tp_sb_putc(s, 'P');
		tp_sb_putc(s, ',');
	}
	if (vflag) {
		tp_sb_puts(s, "mask=0x");
		tp_sb_hex(s, mask, 1);
		tp_sb_puts(s, ",raflags=0x");
		tp_sb_hex(s, raf, 1);
		tp_sb_putc(s, ',');
		put_rr_time(s, "vltime=", vl);
		put_rr_time(s, "pltime=", pl);
	}
	tp_sb_ipv6(s, pfx);
	tp_sb_putc(s, '/');
	tp_sb_dec(s, use);
	tp_sb_putc(s, '/');
	tp_sb_dec(s, keep);
	tp_sb_putc(s, ')');
	return true;
}

/* After "router renumbering".  False: [|icmp6]. */
static bool put_rrenum(tp_sbuf *s, const struct msg *m, int vflag)
{
	static const char *const ops[4] = {NULL, "add", "change",
					   "setglobal"};
	unsigned code, seg, fl, delay;
	uint32_t seq, rsv;
	if (!m8(m, 1, &code) || !m32(m, 4, &seq) || !m8(m, 8, &seg) ||
	    !m8(m, 9, &fl) || !m16(m, 10, &delay) || !m32(m, 12, &rsv))
		return false;
	if (code == 0 || code == 1 || code == 255) {
		tp_sb_puts(s, code == 0   ? ", command"
			      : code == 1 ? ", result"
					  : ", sequence number reset");
	} else {
		tp_sb_puts(s, ", code-#");
		tp_sb_dec(s, code);
	}
	tp_sb_puts(s, ", seq=");
	tp_sb_dec(s, seq);
	if (vflag) {
		static const char bits[] = "TRASP";
		tp_sb_putc(s, '[');
		if (fl) {
			for (unsigned i = 0; i < 5; i++)
				if (fl & (0x80u >> i))
					tp_sb_putc(s, bits[i]);
			tp_sb_putc(s, ',');
		}
		tp_sb_puts(s, "seg=");
		tp_sb_dec(s, seg);
		tp_sb_puts(s, ",maxdelay=");
		tp_sb_dec(s, delay);
		if (rsv) {
			tp_sb_puts(s, "rsvd=0x");
			tp_sb_hex(s, rsv, 1);
		}
		tp_sb_putc(s, ']');
	}
	if (code != 0)
		return true;
	unsigned op, mlen, ord, mlenp, minl, maxl;
	const uint8_t *pfx = m_addr(m, 24);
	if (!pfx || !m8(m, 16, &op) || !m8(m, 17, &mlen) ||
	    !m8(m, 18, &ord) || !m8(m, 19, &mlenp) || !m8(m, 20, &minl) ||
	    !m8(m, 21, &maxl))
		return false;
	tp_sb_puts(s, vflag > 1 ? "\n\tmatch(" : " match(");
	if (op >= 1 && op <= 3) {
		tp_sb_puts(s, ops[op]);
	} else {
		tp_sb_putc(s, '#');
		tp_sb_dec(s, op);
	}
	if (vflag) {
		tp_sb_puts(s, ",ord=");
		tp_sb_dec(s, ord);
		tp_sb_puts(s, ",min=");
		tp_sb_dec(s, minl);
		tp_sb_puts(s, ",max=");
		tp_sb_dec(s, maxl);
	}
	tp_sb_putc(s, ',');
	tp_sb_ipv6(s, pfx);
	tp_sb_putc(s, '/');
	tp_sb_dec(s, mlenp);
	tp_sb_putc(s, ')');
	if (mlen < 3 || (mlen - 3) % 4)
		return false;
	for (size_t k = 0; k < (mlen - 3) / 4; k++)
		if (!put_rr_use(s, m, 40 + 32 * k, vflag))
			return false;
	return true;
}

/* ---- node information (RFC 4620), as print-icmp6.c's ----------------- */

/* A name of the query subject or the reply: a Pascal string of the 03
 * draft when its first byte counts the rest, else DNS labels
 * (dnsname_print: no compression). */
static void put_ni_name(tp_sbuf *s, const struct msg *m, size_t cp,
			int vflag)
{
	size_t ep = m->cap;
	if (cp < ep && m->b[cp] == ep - cp - 1) {
		if (vflag)
			tp_sb_puts(s, ", 03 draft");
		tp_sb_puts(s, ", \"");
		for (cp++; cp < ep; cp++)
			tp_sb_tcpdump_char(s, m->b[cp]);
		tp_sb_putc(s, '"');
		return;
	}
	tp_sb_puts(s, ", \"");
	while (cp < ep) {
		size_t i = m->b[cp++];
		if (i) {
			if (i > ep - cp) {
				tp_sb_puts(s, "???");
				break;
			}
			for (; i-- && cp < ep; cp++)
				tp_sb_tcpdump_char(s, m->b[cp]);
			if (cp + 1 < ep && m->b[cp])
				tp_sb_putc(s, '.');
		} else {
			if (cp == ep)
				tp_sb_putc(s, '.');
			else if (!(cp + 1 == ep && m->b[cp] == 0))
				tp_sb_puts(s, "???");
			break;
		}
	}
	tp_sb_putc(s, '"');
}

/* The node addresses flags: " [aGSLCA]" (T in a reply). */
static void put_ni_flags(tp_sbuf *s, unsigned fl, bool reply)
{
	static const struct {
		unsigned bit;
		char c;
	} f[] = {{0x40, 'a'}, {0x20, 'G'}, {0x10, 'S'}, {0x08, 'L'},
		 {0x04, 'C'}, {0x02, 'A'}, {0x01, 'T'}};
	tp_sb_puts(s, " [");
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if ((fl & f[i].bit) && (reply || f[i].c != 'T'))
			tp_sb_putc(s, f[i].c);
	tp_sb_putc(s, ']');
}

static void put_ni_qtype(tp_sbuf *s, unsigned qtype, unsigned fl)
{
	switch (qtype) {
	case 0:
		tp_sb_puts(s, "noop");
		break;
	case 1:
		tp_sb_puts(s, "supported qtypes");
		if (fl)
			tp_sb_puts(s, fl & 1 ? " [C]" : " []");
		break;
	case 2:
		tp_sb_puts(s, "DNS name");
		break;
	case 3:
		tp_sb_puts(s, "node addresses");
		if (fl)
			put_ni_flags(s, fl, false);
		break;
	default:
		tp_sb_puts(s, "unknown");
		break;
	}
}

/* A query after "who-are-you request".  False: [|icmp6]. */
static bool put_ni_query(tp_sbuf *s, const struct msg *m, int vflag)
{
	unsigned code, qtype, fl;
	const uint8_t *a;
	if (m->cap == 12) { /* KAME's who-are-you */
		tp_sb_puts(s, " who-are-you request");
		return true;
	}
	tp_sb_puts(s, " node information query");
	if (m->cap < 16 || !m8(m, 1, &code) || !m16(m, 4, &qtype) ||
	    !m16(m, 6, &fl)) {
		tp_sb_puts(s, " [|icmp6]"); /* and tcpdump goes on */
		return true;
	}
	tp_sb_puts(s, " (");
	put_ni_qtype(s, qtype, fl);
	if (qtype <= 1) {
		if (m->cap != 16 && vflag)
			tp_sb_puts(s, ", invalid len");
	} else if (m->cap == 16) {
		tp_sb_puts(s, ", 03 draft");
	} else if (code == 0 || code == 2) {
		size_t al = code == 0 ? 16 : 4;
		if (m->cap < 16 + al) {
		} else if (m->cap != 16 + al) {
			if (vflag)
				tp_sb_puts(s, ", invalid subject len");
		} else {
			a = m->b + 16;
			tp_sb_puts(s, ", subject=");
			if (code == 0)
				tp_sb_ipv6(s, a);
			else
				tp_sb_ipv4(s, a);
		}
	} else if (code == 1) {
		tp_sb_puts(s, ", subject=DNS name");
		put_ni_name(s, m, 16, vflag);
	} else {
		tp_sb_puts(s, ", unknown subject");
	}
	tp_sb_putc(s, ')');
	return true;
}

/* A reply after "who-are-you reply".  False: [|icmp6]. */
static bool put_ni_reply(tp_sbuf *s, const struct msg *m, int vflag)
{
	unsigned code, qtype, fl;
	bool comma = false;
	if (m->len > m->cap || m->cap < 16 || !m8(m, 1, &code) ||
	    !m16(m, 4, &qtype) || !m16(m, 6, &fl)) {
		tp_sb_puts(s, " [|icmp6]"); /* and tcpdump goes on */
		return true;
	}
	tp_sb_puts(s, " node information reply (");
	if (code == 0 && vflag) {
		tp_sb_puts(s, "success");
		comma = true;
	} else if (code == 1 || code == 2) {
		tp_sb_puts(s, code == 1 ? "refused" : "unknown");
		comma = true;
		if (m->cap != 16 && vflag)
			tp_sb_puts(s, ", invalid length");
	}
	if (code != 0) {
		tp_sb_putc(s, ')');
		return true;
	}
	if (comma)
		tp_sb_puts(s, ", ");
	if (qtype == 3) {
		tp_sb_puts(s, "node addresses");
		for (size_t i = 16; i + 20 <= m->cap; i += 20) {
			uint32_t ttl; /* RFC 4620 6.3: TTL, then the address */
			if (!m32(m, i, &ttl))
				return false;
			tp_sb_putc(s, ' ');
			tp_sb_ipv6(s, m->b + i + 4);
			tp_sb_putc(s, '(');
			tp_sb_dec(s, ttl);
			tp_sb_putc(s, ')');
		}
		if (fl)
			put_ni_flags(s, fl, true);
	} else if (qtype == 2) {
		uint32_t ttl;
		tp_sb_puts(s, "DNS name");
		if (m->cap < 21) {
			tp_sb_puts(s, " [|icmp6]");
			return true;
		}
		put_ni_name(s, m, 20, vflag);
		if ((fl & 1) && m32(m, 16, &ttl)) {
			tp_sb_puts(s, " [TTL=");
			tp_sb_dec(s, ttl);
			tp_sb_putc(s, ']');
		}
	} else {
		put_ni_qtype(s, qtype, fl);
		if (qtype == 0 && m->cap != 16 && vflag)
			tp_sb_puts(s, ", invalid length");
	}
	tp_sb_putc(s, ')');
	return true;
}

/* ---- RPL (RFC 6550) with -v, as print-icmp6.c's rpl_print ------------ */

static const tp_valstr rpl_opt_names[] = {
	{1, "padN"},	    {2, "metrics"},	{3, "routinginfo"},
	{4, "config"},	    {5, "rpltarget"},	{6, "transitinfo"},
	{8, "destprefix"}, {9, "rpltargetdesc"}, {0, NULL},
};

static const char *const rpl_mop[4] = {"nonstoring", "storing",
				       "nonstoring-multicast",
				       "storing-multicast"};

/* rpl_printopts: the options from `at`, `len` bytes (-vv; -vvv their
 * bytes).  False: [|icmp6], where tcpdump stops reading. */
static bool put_rpl_opts(tp_sbuf *s, const struct msg *m, size_t at,
			 size_t len, int vflag)
{
	while (len != 0) {
		unsigned type, ol;
		if (!m8(m, at, &type))
			return false;
		size_t optlen = 1;
		if (type == 0) {
			tp_sb_puts(s, " opt:pad1");
		} else {
			if (len < 2 || !m8(m, at + 1, &ol)) {
				tp_sb_puts(s, " [|icmp6]");
				return true;
			}
			optlen = (size_t)ol + 2;
			const char *n = tp_valstr_find(rpl_opt_names, type);
			tp_sb_puts(s, " opt:");
			if (n) {
				tp_sb_puts(s, n);
			} else {
				tp_sb_puts(s, "subopt:");
				tp_sb_dec(s, type);
			}
			tp_sb_puts(s, " len:");
			tp_sb_dec(s, optlen);
			tp_sb_putc(s, ' ');
			if (at + optlen > m->cap || len < optlen) {
				tp_sb_puts(s, " [|icmp6]");
				return true;
			}
			if (vflag > 2)
				tp_sb_tcpdump_hex(s, " ", m->b + at + 2,
						  optlen - 2);
		}
		at += optlen;
		len -= optlen;
	}
	return true;
}

/* After "(CLR)NAME" of a DIO, DAO or DAO-ACK.  False: [|icmp6]. */
static bool put_rpl(tp_sbuf *s, const struct msg *m, unsigned code,
		    int vflag)
{
	size_t len = m->len >= 4 ? m->len - 4 : 0;
	unsigned inst, b1, b2, b3;
	const uint8_t *dagid = NULL;
	if (code & 0x80)
		return true;
	switch (code) {
	case 1: { /* DIO */
		unsigned rank, mop;
		if (!(dagid = m_addr(m, 12)) || !m8(m, 4, &inst) ||
		    !m16(m, 6, &rank) || !m8(m, 8, &mop) || !m8(m, 9, &b1))
			return false;
		tp_sb_puts(s, " [dagid:");
		tp_sb_ipv6(s, dagid);
		tp_sb_puts(s, ",seq:");
		tp_sb_dec(s, b1);
		tp_sb_puts(s, ",instance:");
		tp_sb_dec(s, inst);
		tp_sb_puts(s, ",rank:");
		tp_sb_dec(s, rank);
		tp_sb_putc(s, ',');
		if (mop & 0x80)
			tp_sb_puts(s, "grounded,");
		tp_sb_puts(s, "mop:");
		if (((mop >> 3) & 7) < 4) {
			tp_sb_puts(s, rpl_mop[(mop >> 3) & 7]);
		} else {
			tp_sb_puts(s, "mop");
			tp_sb_dec(s, (mop >> 3) & 7);
		}
		tp_sb_puts(s, ",prf:");
		tp_sb_dec(s, mop & 7);
		tp_sb_putc(s, ']');
		if (vflag > 1 && len >= 24)
			return put_rpl_opts(s, m, 28, len - 24, vflag);
		return true;
	}
	case 2:   /* DAO */
	case 3: { /* DAO-ACK */
		bool ack = code == 3;
		if (!ack && m->cap < 24) { /* its check of the whole struct */
			tp_sb_puts(s, " [|icmp6]");
			return true;
		}
		if (!m8(m, 4, &inst) || !m8(m, 5, &b1) || !m8(m, 6, &b2) ||
		    !m8(m, 7, &b3)) {
			if (!ack)
				return false; /* a read: tcpdump stops */
			tp_sb_puts(s, " [|icmp6]"); /* its check: goes on */
			return true;
		}
		if (len < 4) {
			tp_sb_puts(s, ack ? " [|dao-length too short]"
					  : " [|length too short]");
			return true;
		}
		size_t at = 8;
		len -= 4;
		if (b1 & (ack ? 0x80 : 0x40)) {
			if (!(dagid = m_addr(m, at))) {
				tp_sb_puts(s, " [|icmp6]");
				return true;
			}
			if (len < 16) {
				tp_sb_puts(s, ack ? " [|dao-length too short]"
						  : " [|length too short]");
				return true;
			}
			at += 16;
			len -= 16;
		}
		tp_sb_puts(s, " [dagid:");
		if (dagid)
			tp_sb_ipv6(s, dagid);
		else
			tp_sb_puts(s, "<elided>");
		tp_sb_puts(s, ",seq:");
		tp_sb_dec(s, ack ? b2 : b3);
		tp_sb_puts(s, ",instance:");
		tp_sb_dec(s, inst);
		if (ack) {
			tp_sb_puts(s, ",status:");
			tp_sb_dec(s, b3);
		} else {
			if (b1 & 0x80)
				tp_sb_puts(s, ",acK");
			if (b1 & 0x40)
				tp_sb_puts(s, ",Dagid");
			tp_sb_putc(s, ',');
			tp_sb_hex(s, b1, 2);
		}
		tp_sb_putc(s, ']');
		if (vflag > 1)
			return put_rpl_opts(s, m, at, len, vflag);
		return true;
	}
	default:
		return true;
	}
}

/* The -v text after the fixed part tcpdump prints for every verbosity:
 * neighbor discovery options, the router advertisement's line, the
 * mobility messages.  False: [|icmp6]. */
static bool put_verbose(tp_sbuf *s, const struct msg *m, uint64_t type,
			int vflag)
{
	unsigned w;
	switch (type) {
	case T_RPL:
		return m8(m, 1, &w) && put_rpl(s, m, w, vflag);
	case T_RS:
		return put_nd_opts(s, m, 8, vflag);
	case T_RA:
		return put_ra(s, m) && put_nd_opts(s, m, 16, vflag);
	case T_NS:
		return put_nd_opts(s, m, 24, vflag);
	case T_NA: {
		uint32_t fl;
		if (!m32(m, 4, &fl))
			return false;
		tp_sb_puts(s, ", Flags [");
		put_bits(s, na_flags_vals, fl);
		tp_sb_putc(s, ']');
		return put_nd_opts(s, m, 24, vflag);
	}
	case T_REDIRECT:
		return put_nd_opts(s, m, 40, vflag);
	case 145: /* home agent address discovery reply */
		if (!put_id(s, m))
			return false;
		for (size_t at = 8; at < m->len; at += 16) {
			const uint8_t *a = m_addr(m, at);
			if (!a)
				return false;
			tp_sb_puts(s, ", ");
			tp_sb_ipv6(s, a);
		}
		return true;
	case 147: /* mobile prefix advertisement */
		if (!put_id(s, m) || !m16(m, 6, &w))
			return false;
		w >>= 8; /* tcpdump reads 16 bits, tests the first byte */
		if (w & 0xc0)
			tp_sb_putc(s, ' ');
		if (w & 0x80)
			tp_sb_putc(s, 'M');
		if (w & 0x40)
			tp_sb_putc(s, 'O');
		return put_nd_opts(s, m, 8, vflag);
	default:
		return true;
	}
}

static tp_sum icmpv6_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			       const tp_outopts *o)
{
	const tp_layer *l = &p->layers[li];
	uint64_t len =
		tp_tcpdump_ip6_length(p, li, (uint64_t)l->len + l->payload_len);
	const tp_field *tf = tp_layer_find(p, li, &fields[F_TYPE]);
	const tp_field *cf = tp_layer_find(p, li, &fields[F_CODE]);
	if (!tf) { /* not a byte of it captured: tcpdump's first read */
		if (!len)
			tp_sb_puts(s, "ICMP6, length 0 (invalid)");
		return len ? trunc_mark(s) : TP_SUM_STOP;
	}
	struct msg m;
	if (!msg_view(p, li, &m))
		m.cap = 0;
	m.len = (size_t)len; /* tcpdump's (a header's claim past the frame) */
	if (o->vflag && cf)
		put_cksum(p, li, s, &m);
	uint64_t type = tf->v.u, code = cf ? cf->v.u : 0;
	tp_sb_puts(s, "ICMP6, ");
	const char *name = tp_valstr_find(tcpdump_type_vals, (uint32_t)type);
	if (name) {
		tp_sb_puts(s, name);
	} else {
		tp_sb_puts(s, "unknown icmp6 type (");
		tp_sb_dec(s, type);
		if (!cf) {
			tp_sb_putc(s, ')');
			return trunc_mark(s);
		}
		tp_sb_puts(s, "), length ");
		tp_sb_dec(s, len);
		if (o->vflag <= 1)
			put_hex(s, &m, "\n\t", 0, m.len);
		return TP_SUM_STOP;
	}
	if (type >= 148 && type != T_RPL && !cf)
		return trunc_mark(s);
	if (type >= 148 && type != T_RPL) {
		/* named, but no case of tcpdump's switch: its default */
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, len);
		if (o->vflag <= 1)
			put_hex(s, &m, "\n\t", 0, m.len);
		return TP_SUM_STOP;
	}
	/* tcpdump -v prints the length of these early (and not at the end) */
	bool nd = type == T_RS || type == T_RA || type == T_NA ||
		  type == T_NS || type == T_REDIRECT || type == 145 ||
		  type == 147;
	if (o->vflag && nd) {
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, len);
	}
	if (!cf)
		return trunc_mark(s);
	switch (type) {
	case T_UNREACH:
	case T_TOOBIG:
	case T_TIMEX:
	case T_PARAM: {
		unsigned ql = 0;
		if (li + 1 < p->nlayers && p->layers[li + 1].embedded &&
		    !strcmp(p->layers[li + 1].d->name, "ipv6"))
			ql = li + 1;
		const tp_field *word =
			type == T_TOOBIG
				? tp_layer_find(p, li, &fields[F_MTU])
				: tp_layer_find(p, li, &fields[F_POINTER]);
		tp_field qd = {0}, qs = {0}; /* the quoted addresses */
		if ((qd.v.p = m_addr(&m, 32)) != NULL)
			qd.vlen = 16;
		if ((qs.v.p = m_addr(&m, 16)) != NULL)
			qs.vlen = 16;
		int r = put_error(s, p, ql, type, code, word,
				  qd.vlen ? &qd : NULL, qs.vlen ? &qs : NULL);
		if (r == PE_TRUNC)
			tp_sb_puts(s, " [|icmp6]");
		if (r == PE_END && o->vflag <= 1) /* unknown unreach code */
			put_hex(s, &m, "\n\t", 0, m.len);
		if (r != PE_LENGTH)
			return TP_SUM_STOP;
		break;
	}
	case T_ECHO_REQ:
	case T_ECHO_REP: {
		const tp_field *id = tp_layer_find(p, li, &fields[F_ECHO_ID]);
		const tp_field *sq = tp_layer_find(p, li, &fields[F_ECHO_SEQ]);
		if (!id || !sq)
			return trunc_mark(s);
		tp_sb_puts(s, ", id ");
		tp_sb_dec(s, id->v.u);
		tp_sb_puts(s, ", seq ");
		tp_sb_dec(s, sq->v.u);
		break;
	}
	case T_MLD_QUERY:
		if (len == 24) {
			put_mld1(s, p, li);
		} else if (len >= 28) {
			tp_sb_puts(s, " v2");
			if (!put_mld2_query(s, &m, o->vflag))
				return trunc_mark(s);
		} else {
			tp_sb_puts(s, " unknown-version (len ");
			tp_sb_dec(s, len);
			tp_sb_puts(s, ") ");
		}
		break;
	case T_MLD_REPORT:
	case T_MLD_DONE:
		put_mld1(s, p, li);
		break;
	case T_MLD2_REPORT:
		if (!put_mld2_report(s, &m, o->vflag))
			return trunc_mark(s);
		break;
	case 144: /* home agent address discovery request */
	case 146: /* mobile prefix solicitation */
		if (!put_id(s, &m))
			return trunc_mark(s);
		break;
	case T_NS: {
		const tp_field *t = tp_layer_find(p, li, &fields[F_NS_TARGET]);
		if (!t)
			return trunc_mark(s);
		tp_sb_puts(s, ", who has ");
		put_field_addr(s, t);
		break;
	}
	case T_NA: {
		const tp_field *t = tp_layer_find(p, li, &fields[F_NA_TARGET]);
		if (!t)
			return trunc_mark(s);
		tp_sb_puts(s, ", tgt is ");
		put_field_addr(s, t);
		break;
	}
	case T_REDIRECT: {
		const tp_field *t = tp_layer_find(p, li, &fields[F_RD_TARGET]);
		const tp_field *d = tp_layer_find(p, li, &fields[F_RD_DST]);
		if (!t || !d)
			return trunc_mark(s);
		tp_sb_puts(s, ", ");
		put_field_addr(s, d);
		tp_sb_puts(s, " to ");
		put_field_addr(s, t);
		break;
	}
	case 138: /* cut: tcpdump marks it and goes on */
		if (!put_rrenum(s, &m, o->vflag))
			tp_sb_puts(s, " [|icmp6]");
		break;
	case 139: /* node information query (who-are-you request) */
		if (!put_ni_query(s, &m, o->vflag))
			return trunc_mark(s);
		break;
	case 140:
		if (!put_ni_reply(s, &m, o->vflag))
			return trunc_mark(s);
		break;
	case T_RPL:
		if (code & 0x80) {
			tp_sb_puts(s, ", (SEC) [worktodo]");
		} else {
			const char *rn =
				tp_valstr_find(rpl_vals, (uint32_t)code);
			tp_sb_puts(s, ", (CLR)");
			if (rn) {
				tp_sb_puts(s, rn);
			} else {
				tp_sb_puts(s, "RPL message, unknown code ");
				tp_sb_dec(s, code);
			}
		}
		break;
	default:
		break;
	}
	if (o->vflag && !put_verbose(s, &m, type, o->vflag))
		return trunc_mark(s);
	if (!o->vflag) {
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, len);
	}
	return TP_SUM_STOP;
}

static const tp_key icmpv6_keys[] = {{TP_TAB_IPPROTO, TP_IPPROTO_ICMPV6},
				     {0, 0}};

const tp_dissector tp_diss_icmpv6 = {
	.name = "icmpv6",
	.colname = "ICMPv6",
	.longname = "Internet Control Message Protocol v6",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = icmpv6_keys,
	.dissect = icmpv6_dissect,
	.summarize = icmpv6_summarize,
};
