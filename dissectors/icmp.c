/* icmp.c - Internet Control Message Protocol (for IPv4).
 *
 * RFC 792 (messages, the quoted datagram of error messages), RFC 950
 * (address mask), RFC 1191 (next-hop MTU of "fragmentation needed"),
 * RFC 1256 (router discovery), RFC 4884 (length of the original datagram
 * and the extension structure), RFC 4950 (MPLS label stack object),
 * RFC 8335 (extended echo: PROBE).
 *
 * Error messages (destination unreachable, source quench, redirect, time
 * exceeded, parameter problem) quote the datagram that caused them: the
 * cursor is narrowed to the quote and handed back to IPv4 with
 * p->in_error set, so the quoted IP and UDP/TCP headers become embedded
 * layers (as tshark shows them).  An error quoting an error stops there.
 */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/inet.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/layerfields.h"

/* Extension objects walked in one message (each is at least 4 bytes). */
#define ICMP_MAX_EXT_OBJECTS 64

enum {
	T_ECHOREPLY = 0,
	T_UNREACH = 3,
	T_SOURCEQUENCH = 4,
	T_REDIRECT = 5,
	T_ECHO = 8,
	T_RTRADVERT = 9,
	T_RTRSOLICIT = 10,
	T_TIMXCEED = 11,
	T_PARAMPROB = 12,
	T_TSTAMP = 13,
	T_TSTAMPREPLY = 14,
	T_IREQ = 15,
	T_IREQREPLY = 16,
	T_MASKREQ = 17,
	T_MASKREPLY = 18,
	T_EXTECHO = 42,
	T_EXTECHOREPLY = 43,
};

enum {
	F_TYPE,
	F_CODE,
	F_CKSUM,
	F_CKSUM_STATUS,
	F_UNUSED,
	F_IDENT,
	F_IDENT_LE,
	F_SEQ,
	F_SEQ_LE,
	F_MTU,
	F_NUM_ADDRS,
	F_ADDR_SIZE,
	F_LIFETIME,
	F_POINTER,
	F_ROUTER,
	F_PREF,
	F_ORIG_TS,
	F_RECV_TS,
	F_XMIT_TS,
	F_MASK,
	F_GW,
	F_LENGTH,
	F_LENGTH_ORIG,
	F_DATA_TIME,
	F_DATA_TIME_REL,
	F_EXT_VERSION,
	F_EXT_RES,
	F_EXT_CKSUM,
	F_EXT_CKSUM_STATUS,
	F_EXT_LENGTH,
	F_EXT_CLASS,
	F_EXT_CTYPE,
	F_EXT_DATA,
	F_MPLS_LABEL,
	F_MPLS_EXP,
	F_MPLS_S,
	F_MPLS_TTL,
	F_XECHO_SEQ,
	F_XECHO_REQ_RES,
	F_XECHO_REQ_LOCAL,
	F_XECHO_RSP_STATE,
	F_XECHO_RSP_RES,
	F_XECHO_RSP_ACTIVE,
	F_XECHO_RSP_IPV4,
	F_XECHO_RSP_IPV6,
	F_COUNT
};

/* Wireshark's icmp_type_str. */
static const tp_valstr type_vals[] = {
	{0, "Echo (ping) reply"},
	{1, "Reserved"},
	{2, "Reserved"},
	{3, "Destination unreachable"},
	{4, "Source quench (flow control)"},
	{5, "Redirect"},
	{6, "Alternate host address"},
	{8, "Echo (ping) request"},
	{9, "Router advertisement"},
	{10, "Router solicitation"},
	{11, "Time-to-live exceeded"},
	{12, "Parameter problem"},
	{13, "Timestamp request"},
	{14, "Timestamp reply"},
	{15, "Information request"},
	{16, "Information reply"},
	{17, "Address mask request"},
	{18, "Address mask reply"},
	{19, "Reserved (for security)"},
	{30, "Traceroute"},
	{31, "Datagram Conversion Error"},
	{32, "Mobile Host Redirect"},
	{33, "IPv6 Where-Are-You"},
	{34, "IPv6 I-Am-Here"},
	{35, "Mobile Registration Request"},
	{36, "Mobile Registration Reply"},
	{37, "Domain Name Request"},
	{38, "Domain Name Reply"},
	{39, "SKIP"},
	{40, "Photuris"},
	{41, "Experimental mobility protocols"},
	{42, "Extended Echo request"},
	{43, "Extended Echo reply"},
	{0, NULL},
};

static const tp_valstr ext_class_vals[] = {
	{1, "MPLS Label Stack Class"},
	{2, "Interface Information Object"},
	{3, "Interface Identification Object"},
	{0, NULL},
};

/* RFC 8335 section 3: neighbour states. */
static const tp_valstr xecho_state_vals[] = {
	{0, "Reserved"}, {1, "Incomplete"}, {2, "Reachable"}, {3, "Stale"},
	{4, "Delay"},	 {5, "Probe"},	    {6, "Failed"},    {0, NULL},
};

/* The extension checksum may be left out (zero), Wireshark's
 * PROTO_CHECKSUM_E_NOT_PRESENT. */
enum { EXT_CKSUM_NOT_PRESENT = 3 };
static const tp_valstr ext_cksum_status_vals[] = {
	{TP_CKSUM_BAD, "Bad"},
	{TP_CKSUM_GOOD, "Good"},
	{TP_CKSUM_UNVERIFIED, "Unverified"},
	{EXT_CKSUM_NOT_PRESENT, "Not present"},
	{0, NULL},
};

static const tp_field_def fields[F_COUNT] = {
	[F_TYPE] = {"icmp.type", "Type", TP_FT_UINT8, TP_BASE_DEC, type_vals,
		    0},
	[F_CODE] = {"icmp.code", "Code", TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_CKSUM] = {"icmp.checksum", "Checksum", TP_FT_UINT16, TP_BASE_HEX,
		     NULL, 0},
	[F_CKSUM_STATUS] = {"icmp.checksum.status", "Checksum Status",
			    TP_FT_UINT8, TP_BASE_NONE, tp_cksum_status_vals,
			    0},
	[F_UNUSED] = {"icmp.unused", "Unused", TP_FT_BYTES, TP_BASE_NONE, NULL,
		      0},
	[F_IDENT] = {"icmp.ident", "Identifier (BE)", TP_FT_UINT16,
		     TP_BASE_DEC_HEX, NULL, 0},
	[F_IDENT_LE] = {"icmp.ident_le", "Identifier (LE)", TP_FT_UINT16,
			TP_BASE_DEC_HEX, NULL, 0},
	[F_SEQ] = {"icmp.seq", "Sequence Number (BE)", TP_FT_UINT16,
		   TP_BASE_DEC_HEX, NULL, 0},
	[F_SEQ_LE] = {"icmp.seq_le", "Sequence Number (LE)", TP_FT_UINT16,
		      TP_BASE_DEC_HEX, NULL, 0},
	[F_MTU] = {"icmp.mtu", "MTU of next hop", TP_FT_UINT16, TP_BASE_DEC,
		   NULL, 0},
	[F_NUM_ADDRS] = {"icmp.num_addrs", "Number of addresses", TP_FT_UINT8,
			 TP_BASE_DEC, NULL, 0},
	[F_ADDR_SIZE] = {"icmp.addr_entry_size", "Address entry size",
			 TP_FT_UINT8, TP_BASE_DEC, NULL, 0},
	[F_LIFETIME] = {"icmp.lifetime", "Lifetime", TP_FT_UINT16,
			TP_BASE_DEC, NULL, 0},
	[F_POINTER] = {"icmp.pointer", "Pointer", TP_FT_UINT32, TP_BASE_DEC,
		       NULL, 0},
	[F_ROUTER] = {"icmp.router_address", "Router address", TP_FT_IPv4,
		      TP_BASE_NONE, NULL, 0},
	[F_PREF] = {"icmp.pref_level", "Preference level", TP_FT_INT32,
		    TP_BASE_DEC, NULL, 0},
	[F_ORIG_TS] = {"icmp.originate_timestamp", "Originate Timestamp",
		       TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_RECV_TS] = {"icmp.receive_timestamp", "Receive Timestamp",
		       TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_XMIT_TS] = {"icmp.transmit_timestamp", "Transmit Timestamp",
		       TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
	[F_MASK] = {"icmp.address_mask", "Address Mask", TP_FT_IPv4,
		    TP_BASE_NONE, NULL, 0},
	[F_GW] = {"icmp.redir_gw", "Gateway Address", TP_FT_IPv4, TP_BASE_NONE,
		  NULL, 0},
	[F_LENGTH] = {"icmp.length", "Length", TP_FT_UINT8, TP_BASE_DEC, NULL,
		      0},
	[F_LENGTH_ORIG] = {"icmp.length.original_datagram",
			   "Length of original datagram", TP_FT_UINT8,
			   TP_BASE_DEC, NULL, 0},
	[F_DATA_TIME] = {"icmp.data_time", "Timestamp from icmp data",
			 TP_FT_ABSOLUTE_TIME, TP_BASE_NONE, NULL, 0},
	[F_DATA_TIME_REL] = {"icmp.data_time_relative",
			     "Timestamp from icmp data (relative)",
			     TP_FT_RELATIVE_TIME, TP_BASE_NONE, NULL, 0},
	[F_EXT_VERSION] = {"icmp.ext.version", "Version", TP_FT_UINT8,
			   TP_BASE_DEC, NULL, 0},
	[F_EXT_RES] = {"icmp.ext.res", "Reserved", TP_FT_UINT16, TP_BASE_HEX,
		       NULL, 0x0fff},
	[F_EXT_CKSUM] = {"icmp.ext.checksum", "Checksum", TP_FT_UINT16,
			 TP_BASE_HEX, NULL, 0},
	[F_EXT_CKSUM_STATUS] = {"icmp.ext.checksum.status", "Checksum Status",
				TP_FT_UINT8, TP_BASE_NONE,
				ext_cksum_status_vals, 0},
	[F_EXT_LENGTH] = {"icmp.ext.length", "Length", TP_FT_UINT16,
			  TP_BASE_DEC, NULL, 0},
	[F_EXT_CLASS] = {"icmp.ext.class", "Class", TP_FT_UINT8, TP_BASE_DEC,
			 ext_class_vals, 0},
	[F_EXT_CTYPE] = {"icmp.ext.ctype", "C-Type", TP_FT_UINT8, TP_BASE_DEC,
			 NULL, 0},
	[F_EXT_DATA] = {"icmp.ext.data", "Data", TP_FT_BYTES, TP_BASE_NONE,
			NULL, 0},
	[F_MPLS_LABEL] = {"icmp.mpls.label", "Label", TP_FT_UINT24,
			  TP_BASE_DEC, NULL, 0xfffff0},
	[F_MPLS_EXP] = {"icmp.mpls.exp", "Experimental", TP_FT_UINT24,
			TP_BASE_DEC, NULL, 0x0e},
	[F_MPLS_S] = {"icmp.mpls.s", "Stack bit", TP_FT_BOOLEAN, 24, NULL,
		      0x01},
	[F_MPLS_TTL] = {"icmp.mpls.ttl", "Time to live", TP_FT_UINT8,
			TP_BASE_DEC, NULL, 0},
	[F_XECHO_SEQ] = {"icmp.ext.echo.seq", "Sequence Number", TP_FT_UINT8,
			 TP_BASE_DEC_HEX, NULL, 0},
	[F_XECHO_REQ_RES] = {"icmp.ext.echo.req.res", "Reserved",
			     TP_FT_UINT8, TP_BASE_HEX, NULL, 0xfe},
	[F_XECHO_REQ_LOCAL] = {"icmp.ext.echo.req.local", "Local bit",
			       TP_FT_BOOLEAN, 8, NULL, 0x01},
	[F_XECHO_RSP_STATE] = {"icmp.ext.echo.rsp.state", "State",
			       TP_FT_UINT8, TP_BASE_DEC, xecho_state_vals,
			       0xe0},
	[F_XECHO_RSP_RES] = {"icmp.ext.echo.rsp.res", "Reserved",
			     TP_FT_UINT8, TP_BASE_HEX, NULL, 0x18},
	[F_XECHO_RSP_ACTIVE] = {"icmp.ext.echo.rsp.active", "Active bit",
				TP_FT_BOOLEAN, 8, NULL, 0x04},
	[F_XECHO_RSP_IPV4] = {"icmp.ext.echo.rsp.ipv4", "IPv4 bit",
			      TP_FT_BOOLEAN, 8, NULL, 0x02},
	[F_XECHO_RSP_IPV6] = {"icmp.ext.echo.rsp.ipv6", "IPv6 bit",
			      TP_FT_BOOLEAN, 8, NULL, 0x01},
};

enum { E_CKSUM, E_NO_QUOTE, E_EXT_LEN, E_COUNT };

static const tp_event_def events[E_COUNT] = {
	[E_CKSUM] = {"icmp.checksum_bad", TP_EV_WARN, "Bad checksum"},
	/* a note: tshark says nothing, tcpdump prints its " [|icmp]" */
	[E_NO_QUOTE] = {"icmp.quote_missing", TP_EV_NOTE,
			"ICMP error message without the quoted datagram"},
	[E_EXT_LEN] = {"icmp.ext.length.invalid", TP_EV_MALFORMED,
		       "ICMP extension object length is invalid"},
};

static bool is_error(unsigned type)
{
	return type == T_UNREACH || type == T_SOURCEQUENCH ||
	       type == T_REDIRECT || type == T_TIMXCEED ||
	       type == T_PARAMPROB;
}

static uint32_t get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint32_t get_le32(const uint8_t *b)
{
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[1] << 8 | b[0];
}

/* Identifier and sequence number, both byte orders as Wireshark shows
 * them. */
static void ident_seq(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off;
	const uint8_t *b = tp_bytes(c, 4);
	if (!b)
		return;
	tp_add_uint(p, &fields[F_IDENT], at, 2, (unsigned)b[0] << 8 | b[1]);
	tp_add_uint(p, &fields[F_IDENT_LE], at, 2, (unsigned)b[1] << 8 | b[0]);
	tp_add_uint(p, &fields[F_SEQ], at + 2, 2, (unsigned)b[2] << 8 | b[3]);
	tp_add_uint(p, &fields[F_SEQ_LE], at + 2, 2,
		    (unsigned)b[3] << 8 | b[2]);
}

static void extensions(tp_pkt *p, tp_cursor *e);

/* RFC 8335 section 2 and 3: identifier, sequence number (one byte) and
 * the flags of the request (L) or the reply (state, A, 4, 6). */
static void extended_echo(tp_pkt *p, tp_cursor *c, unsigned type)
{
	size_t at = c->off;
	const uint8_t *b = tp_bytes(c, 4);
	if (!b)
		return;
	tp_add_uint(p, &fields[F_IDENT], at, 2, (unsigned)b[0] << 8 | b[1]);
	tp_add_uint(p, &fields[F_IDENT_LE], at, 2, (unsigned)b[1] << 8 | b[0]);
	tp_add_uint(p, &fields[F_XECHO_SEQ], at + 2, 1, b[2]);
	unsigned f = b[3];
	at += 3;
	if (type == T_EXTECHO) {
		tp_add_uint(p, &fields[F_XECHO_REQ_RES], at, 1, f >> 1);
		tp_add_uint(p, &fields[F_XECHO_REQ_LOCAL], at, 1, f & 1);
		if (tp_reported(c) > 0) { /* the interface to probe */
			tp_cursor e = tp_rest(c);
			extensions(p, &e);
			if (!tp_ok(&e))
				tp_fail(c, e.status);
		}
	} else {
		tp_add_uint(p, &fields[F_XECHO_RSP_STATE], at, 1, f >> 5);
		tp_add_uint(p, &fields[F_XECHO_RSP_RES], at, 1, f >> 3 & 3);
		tp_add_uint(p, &fields[F_XECHO_RSP_ACTIVE], at, 1, f >> 2 & 1);
		tp_add_uint(p, &fields[F_XECHO_RSP_IPV4], at, 1, f >> 1 & 1);
		tp_add_uint(p, &fields[F_XECHO_RSP_IPV6], at, 1, f & 1);
	}
}

/* Wireshark's heuristic: the first 8 data bytes of an echo are often a
 * struct timeval (ping); take them as one when they are within a day of
 * the frame's time, big or little endian. */
static bool near_frame(const tp_pkt *p, uint32_t sec, uint32_t usec)
{
	int32_t d = (int32_t)(sec - (uint32_t)p->ts_sec);
	return usec < 1000000 && d > -86400 && d < 86400;
}

static void echo_timestamp(tp_pkt *p, tp_cursor *c)
{
	if (!tp_has(c, 8))
		return;
	size_t at = c->off;
	tp_cursor v = *c;
	const uint8_t *b = tp_bytes(&v, 8);
	uint32_t sec = get_be32(b), usec = get_be32(b + 4);
	if (!near_frame(p, sec, usec)) {
		sec = get_le32(b);
		usec = get_le32(b + 4);
		if (!near_frame(p, sec, usec))
			return;
	}
	int64_t ts = (int64_t)sec * 1000000000 + (int64_t)usec * 1000;
	int64_t frame = p->ts_sec * 1000000000 + p->ts_nsec;
	tp_add_uint(p, &fields[F_DATA_TIME], at, 8, (uint64_t)ts);
	tp_field *f = tp_add_uint(p, &fields[F_DATA_TIME_REL], at, 0, 0);
	if (f)
		f->v.i = frame - ts;
	*c = v;
}

/* RFC 4950: one MPLS label stack entry per 4 bytes. */
static void mpls_stack(tp_pkt *p, tp_cursor *b)
{
	while (tp_reported(b) >= 4 && tp_ok(b)) {
		size_t at = b->off;
		uint32_t v = tp_be24(b);
		uint8_t ttl = tp_u8(b);
		if (!tp_ok(b))
			return;
		tp_add_uint(p, &fields[F_MPLS_LABEL], at, 3, v >> 4);
		tp_push(p);
		tp_add_uint(p, &fields[F_MPLS_EXP], at, 3, v >> 1 & 7);
		tp_add_uint(p, &fields[F_MPLS_S], at, 3, v & 1);
		tp_add_uint(p, &fields[F_MPLS_TTL], at + 3, 1, ttl);
		tp_pop(p);
	}
}

/* RFC 4884 section 7: the extension structure after the original
 * datagram.  `e` spans it exactly. */
static void extensions(tp_pkt *p, tp_cursor *e)
{
	size_t start = e->off, total = tp_reported(e);
	uint16_t vr = tp_be16(e);
	size_t at = e->off;
	uint16_t ck = tp_be16(e);
	if (!tp_ok(e))
		return;
	tp_add_uint(p, &fields[F_EXT_VERSION], start, 1, vr >> 12);
	tp_add_uint(p, &fields[F_EXT_RES], start, 2, vr & 0x0fff);
	tp_add_uint(p, &fields[F_EXT_CKSUM], at, 2, ck);
	unsigned st = TP_CKSUM_UNVERIFIED;
	tp_cursor v = *e;
	v.off = start;
	if (ck == 0)
		st = EXT_CKSUM_NOT_PRESENT;
	else if (tp_has(&v, total))
		st = tp_cksum_fold(tp_cksum_add(0, tp_bytes(&v, total),
						total)) == 0
			     ? TP_CKSUM_GOOD
			     : TP_CKSUM_BAD;
	tp_add_uint(p, &fields[F_EXT_CKSUM_STATUS], at, 0, st);
	for (unsigned n = 0; n < ICMP_MAX_EXT_OBJECTS && tp_reported(e) > 0;
	     n++) {
		at = e->off;
		uint16_t olen = tp_get_be16(p, e, &fields[F_EXT_LENGTH]);
		if (!tp_ok(e))
			return;
		tp_push(p);
		uint8_t cls = tp_get_u8(p, e, &fields[F_EXT_CLASS]);
		uint8_t ctype = tp_get_u8(p, e, &fields[F_EXT_CTYPE]);
		if (!tp_ok(e)) {
			tp_pop(p);
			return;
		}
		if (olen < 4 || olen - 4u > tp_reported(e)) {
			tp_add_event(p, &events[E_EXT_LEN], at);
			tp_pop(p);
			return;
		}
		tp_cursor b = tp_sub(e, olen - 4u);
		if (cls == 1 && ctype == 1)
			mpls_stack(p, &b);
		else if (tp_reported(&b))
			tp_get_bytes(p, &b, &fields[F_EXT_DATA],
				     tp_reported(&b));
		tp_pop(p);
		if (!tp_ok(&b)) {
			tp_fail(e, b.status);
			return;
		}
	}
}

/* Where the extension structure starts in the quote (0: none).  RFC 4884
 * says so with its length field.  Without it (the compatibility rule of
 * RFC 4884 section 5.5, Wireshark's default): a quote longer than 128
 * bytes whose datagram claims at most 128 carries extensions at 128. */
static size_t ext_offset(const tp_cursor *c, unsigned len4884)
{
	size_t quote = tp_reported(c);
	if (len4884)
		return (size_t)len4884 * 4 + 4 <= quote ? (size_t)len4884 * 4
							 : 0;
	if (quote <= 128)
		return 0;
	int hi = tp_peek(c, 2), lo = tp_peek(c, 3);
	if (hi < 0 || lo < 0 || (hi << 8 | lo) > 128)
		return 0; /* the quoted datagram itself is longer */
	return 128;
}

/* Bytes 4..7 of error messages (RFC 792, RFC 1191, RFC 4884). */
static void error_header(tp_pkt *p, tp_cursor *c, unsigned type,
			 unsigned code, unsigned *len4884)
{
	size_t at = c->off;
	const uint8_t *b = tp_bytes(c, 4);
	if (!b)
		return;
	unsigned l = b[1];
	switch (type) {
	case T_UNREACH:
	case T_TIMXCEED:
		if (l) {
			*len4884 = l;
			tp_add_bytes(p, &fields[F_UNUSED], at, 1, b, 1);
			tp_add_uint(p, &fields[F_LENGTH], at + 1, 1, l);
			tp_add_uint(p, &fields[F_LENGTH_ORIG], at + 1, 0,
				    l * 4);
		} else if (type == T_UNREACH && code == 4) {
			tp_add_bytes(p, &fields[F_UNUSED], at, 2, b, 2);
		}
		if (type == T_UNREACH && code == 4)
			tp_add_uint(p, &fields[F_MTU], at + 2, 2,
				    (unsigned)b[2] << 8 | b[3]);
		else if (l)
			tp_add_bytes(p, &fields[F_UNUSED], at + 2, 2, b + 2, 2);
		else
			tp_add_bytes(p, &fields[F_UNUSED], at, 4, b, 4);
		break;
	case T_PARAMPROB:
		tp_add_uint(p, &fields[F_POINTER], at, 1, b[0]);
		if (l) {
			*len4884 = l;
			tp_add_uint(p, &fields[F_LENGTH], at + 1, 1, l);
			tp_add_uint(p, &fields[F_LENGTH_ORIG], at + 1, 0,
				    l * 4);
			tp_add_bytes(p, &fields[F_UNUSED], at + 2, 2, b + 2, 2);
		} else {
			tp_add_bytes(p, &fields[F_UNUSED], at + 1, 3, b + 1, 3);
		}
		break;
	case T_REDIRECT:
		tp_add_bytes(p, &fields[F_GW], at, 4, b, 4);
		break;
	default: /* source quench: unused, not shown by Wireshark */
		break;
	}
}

/* Error message: hand the quoted datagram to IPv4. */
static tp_next quote(tp_pkt *p, tp_cursor *c, unsigned type, unsigned len4884)
{
	if (p->in_error >= TP_MAX_EMBED)
		return TP_STOP; /* errors quoting errors: so deep, no further */
	if (tp_reported(c) == 0) {
		tp_add_event(p, &events[E_NO_QUOTE], c->off);
		return TP_STOP;
	}
	size_t ext = 0;
	if (type != T_REDIRECT && type != T_SOURCEQUENCH)
		ext = ext_offset(c, len4884);
	if (ext) {
		tp_cursor e = *c;
		(void)tp_sub(&e, ext); /* past the quote, captured or not */
		e = tp_rest(&e);
		extensions(p, &e);
		/* A cut in the extensions: say so here, the quoted layers
		 * end before them (and may not reach the cut). */
		if (e.status == TP_TRUNCATED)
			tp_add_event(p, &tp_ev_truncated, e.off);
		tp_clamp(c, ext);
	} else if (type == T_REDIRECT) {
		/* Wireshark: a redirect quotes a header and 64 bits. */
		int vhl = tp_peek(c, 0);
		if (vhl >= 0)
			tp_clamp(c, (size_t)(vhl & 0x0f) * 4 + 8);
	}
	p->in_error++;
	return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV4);
}

static tp_next icmp_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t start = c->off, msglen = tp_reported(c);
	uint8_t type = tp_get_u8(p, c, &fields[F_TYPE]);
	uint8_t code = tp_get_u8(p, c, &fields[F_CODE]);
	size_t at = c->off;
	tp_get_be16(p, c, &fields[F_CKSUM]);
	if (!tp_ok(c))
		return TP_STOP;
	/* RFC 792: the checksum covers the whole message; verifiable when
	 * all of it was captured and it is not a quote or a fragment. */
	unsigned st = TP_CKSUM_UNVERIFIED;
	tp_cursor v = *c;
	v.off = start;
	if (!p->in_error && !tp_fragmented(p, p->nlayers - 1) &&
	    tp_has(&v, msglen)) {
		const uint8_t *m = tp_bytes(&v, msglen);
		st = tp_cksum_fold(tp_cksum_add(0, m, msglen)) == 0
			     ? TP_CKSUM_GOOD
			     : TP_CKSUM_BAD;
	}
	tp_add_uint(p, &fields[F_CKSUM_STATUS], at, 0, st);
	if (st == TP_CKSUM_BAD)
		tp_add_event(p, &events[E_CKSUM], at);

	if (is_error(type)) {
		unsigned len4884 = 0;
		error_header(p, c, type, code, &len4884);
		if (!tp_ok(c))
			return TP_STOP;
		return quote(p, c, type, len4884);
	}

	switch (type) {
	case T_ECHOREPLY:
	case T_ECHO:
		ident_seq(p, c);
		if (tp_ok(c))
			echo_timestamp(p, c);
		break;
	case T_TSTAMP:
	case T_TSTAMPREPLY:
		ident_seq(p, c);
		tp_get_be32(p, c, &fields[F_ORIG_TS]);
		tp_get_be32(p, c, &fields[F_RECV_TS]);
		tp_get_be32(p, c, &fields[F_XMIT_TS]);
		break;
	case T_IREQ:
	case T_IREQREPLY:
		ident_seq(p, c);
		break;
	case T_MASKREQ:
	case T_MASKREPLY:
		ident_seq(p, c);
		tp_get_bytes(p, c, &fields[F_MASK], 4);
		break;
	case T_RTRADVERT: {
		/* RFC 1256 section 3: entries of 2 words each. */
		unsigned n = tp_get_u8(p, c, &fields[F_NUM_ADDRS]);
		unsigned size = tp_get_u8(p, c, &fields[F_ADDR_SIZE]);
		tp_get_be16(p, c, &fields[F_LIFETIME]);
		if (size != 2)
			break;
		for (unsigned i = 0; i < n && tp_ok(c); i++) {
			tp_get_bytes(p, c, &fields[F_ROUTER], 4);
			at = c->off;
			uint32_t pref = tp_be32(c);
			if (!tp_ok(c))
				break;
			tp_field *f = tp_add_uint(p, &fields[F_PREF], at, 4, 0);
			if (f)
				f->v.i = (int32_t)pref;
		}
		break;
	}
	case T_RTRSOLICIT:
		tp_skip(c, 4); /* RFC 1256: reserved, not shown */
		break;
	case T_EXTECHO:
	case T_EXTECHOREPLY:
		extended_echo(p, c, type);
		break;
	default:
		break; /* the rest, if any, is data */
	}
	return TP_STOP;
}

/* ---- one line, as tcpdump's icmp_print ------------------------------ */

static const tp_field *fld(const tp_pkt *p, unsigned li, unsigned f)
{
	return tp_layer_find(p, li, &fields[f]);
}

static uint64_t fval(const tp_pkt *p, unsigned li, unsigned f)
{
	const tp_field *x = fld(p, li, f);
	return x ? x->v.u : 0;
}

static bool layer_is(const tp_pkt *p, unsigned li, const tp_dissector *d)
{
	return li < p->nlayers && p->layers[li].d == d;
}

/* The quoted datagram: its IPv4 layer right after this one. */
struct quoted {
	const uint8_t *dst; /* NULL when not there */
	uint64_t proto;
	bool have_proto, have_dport;
	uint16_t dport;
};

static struct quoted get_quote(const tp_pkt *p, unsigned li)
{
	struct quoted q = {0};
	unsigned qi = li + 1;
	if (!layer_is(p, qi, &tp_diss_ip) || p->layers[qi].addr.family != 4)
		return q;
	q.dst = p->layers[qi].addr.dst;
	q.have_proto = tp_layer_u64(p, qi, tp_fd_ip_proto, &q.proto);
	/* The port: the quoted UDP or TCP header, or the first bytes after
	 * the quoted IP header (tcpdump reads them for any protocol). */
	uint64_t v;
	if ((layer_is(p, qi + 1, &tp_diss_udp) &&
	     tp_layer_u64(p, qi + 1, tp_fd_udp_dstport, &v)) ||
	    (layer_is(p, qi + 1, &tp_diss_tcp) &&
	     tp_layer_u64(p, qi + 1, tp_fd_tcp_dstport, &v))) {
		q.dport = (uint16_t)v;
		q.have_dport = true;
	} else if (qi + 1 < p->nlayers) {
		/* data, or a quoted ICMP error (its checksum, for tcpdump) */
		tp_cursor c = tp_layer_cursor(p, qi + 1);
		const uint8_t *d = tp_bytes(&c, 4);
		if (d) {
			q.dport = (uint16_t)(d[2] << 8 | d[3]);
			q.have_dport = true;
		}
	}
	return q;
}

static void put_lifetime(tp_sbuf *s, unsigned t)
{
	if (t < 60) {
		tp_sb_dec(s, t);
	} else if (t < 3600) {
		tp_sb_printf(s, "%u:%02u", t / 60, t % 60);
	} else {
		tp_sb_printf(s, "%u:%02u:%02u", t / 3600, t % 3600 / 60,
			     t % 60);
	}
}

/* Milliseconds since midnight UTC, as tcpdump's icmp_tstamp_print. */
static void put_tstamp(tp_sbuf *s, uint64_t ms)
{
	unsigned msec = (unsigned)(ms % 1000), sec = (unsigned)(ms / 1000);
	unsigned min = sec / 60, hrs = min / 60;
	tp_sb_printf(s, "%02u:%02u:%02u.%03u", hrs, min % 60, sec % 60, msec);
}

static const char *const unreach_fmt[16] = {
	/* "N" before the address: "net"/"host", "" for none. */
	[0] = "net ",
	[1] = "host ",
	[6] = "net ",
	[7] = "host ",
	[9] = "net ",
	[10] = "host ",
	[11] = "net ",
	[12] = "host ",
	[13] = "host ",
	[14] = "host ",
	[15] = "host ",
};

static const char *const unreach_tail[16] = {
	[0] = " unreachable",
	[1] = " unreachable",
	[5] = " unreachable - source route failed",
	[6] = " unreachable - unknown",
	[7] = " unreachable - unknown",
	[8] = " unreachable - source host isolated",
	[9] = " unreachable - admin prohibited",
	[10] = " unreachable - admin prohibited",
	[11] = " unreachable - tos prohibited",
	[12] = " unreachable - tos prohibited",
	[13] = " unreachable - admin prohibited filter",
	[14] = " unreachable - host precedence violation",
	[15] = " unreachable - precedence cutoff",
};

/* Returns false when the quote is not there to print from. */
static bool put_unreach(tp_sbuf *s, const tp_pkt *p, unsigned li,
			unsigned code)
{
	struct quoted q = get_quote(p, li);
	if (!q.dst)
		return false;
	switch (code) {
	case 2:
		if (!q.have_proto)
			return false;
		tp_sb_ipv4(s, q.dst);
		tp_sb_puts(s, " protocol ");
		tp_sb_dec(s, q.proto);
		tp_sb_puts(s, " unreachable");
		return true;
	case 3:
		if (!q.have_proto || !q.have_dport)
			return false;
		tp_sb_ipv4(s, q.dst);
		if (q.proto == TP_IPPROTO_TCP) {
			tp_sb_puts(s, " tcp port ");
		} else if (q.proto == TP_IPPROTO_UDP) {
			tp_sb_puts(s, " udp port ");
		} else {
			tp_sb_puts(s, " protocol ");
			tp_sb_dec(s, q.proto);
			tp_sb_puts(s, " port ");
		}
		tp_sb_dec(s, q.dport);
		tp_sb_puts(s, " unreachable");
		return true;
	case 4: {
		const tp_field *mtu = fld(p, li, F_MTU);
		tp_sb_ipv4(s, q.dst);
		tp_sb_puts(s, " unreachable - need to frag");
		if (mtu && mtu->v.u) {
			tp_sb_puts(s, " (mtu ");
			tp_sb_dec(s, mtu->v.u);
			tp_sb_putc(s, ')');
		}
		return true;
	}
	default:
		break;
	}
	if (code < 16 && unreach_tail[code]) {
		if (unreach_fmt[code])
			tp_sb_puts(s, unreach_fmt[code]);
		tp_sb_ipv4(s, q.dst);
		tp_sb_puts(s, unreach_tail[code]);
	} else {
		tp_sb_ipv4(s, q.dst);
		tp_sb_puts(s, " unreachable - #");
		tp_sb_dec(s, code);
	}
	return true;
}

static bool put_redirect(tp_sbuf *s, const tp_pkt *p, unsigned li,
			 unsigned code)
{
	struct quoted q = get_quote(p, li);
	const tp_field *gw = fld(p, li, F_GW);
	if (!q.dst || !gw || gw->vlen < 4)
		return false;
	static const char *const pre[4] = {"redirect ", "redirect ",
					   "redirect-tos ", "redirect-tos "};
	static const char *const mid[4] = {" to net ", " to host ",
					   " to net ", " to host "};
	if (code < 4) {
		tp_sb_puts(s, pre[code]);
		tp_sb_ipv4(s, q.dst);
		tp_sb_puts(s, mid[code]);
	} else {
		tp_sb_puts(s, "redirect-#");
		tp_sb_dec(s, code);
		tp_sb_putc(s, ' ');
		tp_sb_ipv4(s, q.dst);
		tp_sb_puts(s, " to ");
	}
	tp_sb_ipv4(s, gw->v.p);
	return true;
}

/* False when an entry is cut (tcpdump then prints none of it). */
static bool put_router_advert(tp_sbuf *s, const tp_pkt *p, unsigned li)
{
	tp_sb_puts(s, "router advertisement");
	const tp_field *lt = fld(p, li, F_LIFETIME);
	if (!lt)
		return false;
	tp_sb_puts(s, " lifetime ");
	put_lifetime(s, (unsigned)lt->v.u);
	tp_sb_putc(s, ' ');
	tp_sb_dec(s, fval(p, li, F_NUM_ADDRS));
	tp_sb_putc(s, ':');
	uint64_t size = fval(p, li, F_ADDR_SIZE);
	if (size != 2) {
		tp_sb_puts(s, " [size ");
		tp_sb_dec(s, size);
		tp_sb_putc(s, ']');
		return true;
	}
	const tp_layer *l = &p->layers[li];
	const tp_field *addr = NULL;
	uint64_t entries = 0;
	for (unsigned i = 0; i < l->nfields; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		if (f->def == &fields[F_ROUTER]) {
			addr = f;
		} else if (f->def == &fields[F_PREF] && addr) {
			tp_sb_puts(s, " {");
			tp_sb_ipv4(s, addr->v.p);
			tp_sb_putc(s, ' ');
			tp_sb_dec(s, (uint32_t)f->v.i);
			tp_sb_putc(s, '}');
			addr = NULL;
			entries++;
		}
	}
	return entries == fval(p, li, F_NUM_ADDRS);
}

/* The ICMP message length: the IP payload length the header claims, as
 * tcpdump takes it. */
static uint64_t msg_length(const tp_pkt *p, unsigned li)
{
	uint64_t len, hl;
	/* over a reassembled datagram the whole message is this layer's */
	if (p->layers[li].reassembled && li > 0 &&
	    !p->layers[li - 1].reassembled)
		return (uint64_t)p->layers[li].len + p->layers[li].payload_len;
	if (li > 0 && layer_is(p, li - 1, &tp_diss_ip) &&
	    tp_layer_u64(p, li - 1, tp_fd_ip_len, &len) &&
	    tp_layer_u64(p, li - 1, tp_fd_ip_hdr_len, &hl) && len >= hl)
		return len - hl;
	return (uint64_t)p->layers[li].len + p->layers[li].payload_len;
}

/* tcpdump's in_cksum_shouldbe: the checksum the field should hold, from
 * the one it holds and the sum computed over the message with it. */
static uint16_t cksum_shouldbe(uint16_t sum, uint16_t computed)
{
	uint32_t v = (uint32_t)sum + computed;
	v = (v & 0xffff) + (v >> 16);
	v = (v & 0xffff) + (v >> 16);
	return (uint16_t)v;
}

/* -v: " (wrong icmp cksum 1234 (->5678)!)" when the whole message was
 * captured (in a quote: up to the quote's end) and is no fragment. */
static void put_wrong_cksum(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    uint64_t plen)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	const tp_field *ck = fld(p, li, F_CKSUM);
	if ((a && a->fragment) || !ck || p->layers[li].reassembled)
		return;
	tp_cursor c = tp_datagram_cursor(p, li);
	const uint8_t *m = tp_has(&c, plen) ? tp_bytes(&c, plen) : NULL;
	if (!m)
		return;
	uint16_t computed = tp_cksum_fold(tp_cksum_add(0, m, plen));
	if (computed == 0)
		return;
	tp_sb_puts(s, " (wrong icmp cksum ");
	tp_sb_hex(s, ck->v.u, 1);
	tp_sb_puts(s, " (->");
	tp_sb_hex(s, cksum_shouldbe((uint16_t)ck->v.u, computed), 1);
	tp_sb_puts(s, ")!)");
}

/* -v: the quoted datagram on its own line, as tcpdump's ip_print over
 * the quote.  False when that text ended in a truncation marker (tcpdump
 * then stops printing the packet). */
static bool put_quoted(const tp_pkt *p, unsigned li, tp_sbuf *s,
		       const tp_outopts *o)
{
	tp_sb_puts(s, "\n\t");
	if (li + 1 >= p->nlayers || !p->layers[li + 1].embedded ||
	    !layer_is(p, li + 1, &tp_diss_ip)) {
		/* nothing quoted, or an error quoted in an error (tapir
		 * dissects one level): tcpdump reads the quoted length */
		if (li + 1 >= p->nlayers || !p->layers[li + 1].embedded)
			tp_sb_puts(s, " [|icmp]");
		return false;
	}
	size_t from = s->len;
	for (unsigned i = li + 1; i < p->nlayers && p->layers[i].embedded;
	     i++) {
		const tp_dissector *d = p->layers[i].d;
		if (!d->summarize ||
		    d->summarize(p, i, s, o) == TP_SUM_STOP)
			break;
	}
	for (size_t i = from; i + 3 <= s->len; i++)
		if (memcmp(s->buf + i, " [|", 3) == 0)
			return false;
	return true;
}

/* tcpdump's print_unknown_data: hex, 16 bytes a line, after `indent`. */
static void put_unknown(tp_sbuf *s, tp_cursor *c, size_t n)
{
	for (size_t off = 0; off < n; off += 16) {
		size_t k = n - off < 16 ? n - off : 16;
		const uint8_t *b = tp_bytes(c, k);
		if (!b)
			return;
		tp_sb_puts(s, "\n\t    0x");
		tp_sb_hex(s, off, 4);
		tp_sb_puts(s, ": ");
		for (size_t i = 0; i < k; i += 2) {
			tp_sb_putc(s, ' ');
			tp_sb_hexbytes(s, b + i, i + 1 < k ? 2 : 1, 0);
		}
	}
}

/* -v: RFC 4884 extensions as tcpdump 4.99 prints them (it looks for them
 * at 128 bytes into the quote, whatever the length field says, in
 * messages longer than 136 bytes). */
#define EXT_AT 136 /* ICMP_EXTD_MINLEN: 8 + 128 */
static void put_extensions(const tp_pkt *p, unsigned li, tp_sbuf *s,
			   uint64_t plen)
{
	tp_cursor c = tp_datagram_cursor(p, li);
	size_t hlen = (size_t)plen - EXT_AT;
	int l4884 = tp_peek(&c, 5);
	if (!tp_skip(&c, EXT_AT) || !tp_has(&c, 4) || l4884 < 0) {
		tp_sb_puts(s, " [|icmp]");
		return;
	}
	if (l4884 == 0 && tp_has(&c, hlen)) {
		tp_cursor v = c;
		if (tp_cksum_fold(tp_cksum_add(0, tp_bytes(&v, hlen), hlen)))
			return; /* no extension there */
	}
	unsigned ver = (unsigned)tp_peek(&c, 0) >> 4;
	tp_sb_puts(s, "\n\tICMP Multi-Part extension v");
	tp_sb_dec(s, ver);
	if (ver != 2) {
		tp_sb_puts(s, " packet not supported");
		return;
	}
	if (tp_has(&c, hlen)) {
		tp_cursor v = c;
		bool bad = tp_cksum_fold(
			tp_cksum_add(0, tp_bytes(&v, hlen), hlen)) != 0;
		tp_sb_puts(s, ", checksum 0x");
		tp_sb_hex(s, (unsigned)(tp_peek(&c, 2) << 8 | tp_peek(&c, 3)),
			  4);
		tp_sb_puts(s, bad ? " (incorrect), length " : " (correct), length ");
		tp_sb_dec(s, hlen);
	}
	tp_skip(&c, 4);
	hlen -= 4;
	static const tp_valstr classes[] = {{1, "MPLS Stack Entry"},
					    {2, "Extended Payload"},
					    {0, NULL}};
	for (unsigned n = 0; hlen > 4 && n < ICMP_MAX_EXT_OBJECTS; n++) {
		uint16_t olen = tp_be16(&c);
		uint8_t cls = tp_u8(&c), ctype = tp_u8(&c);
		if (!tp_ok(&c)) {
			tp_sb_puts(s, " [|icmp]");
			return;
		}
		const char *name = tp_valstr_find(classes, cls);
		tp_sb_puts(s, "\n\t  ");
		tp_sb_puts(s, name ? name : "unknown");
		tp_sb_puts(s, " Object (");
		tp_sb_dec(s, cls);
		tp_sb_puts(s, "), Class-Type: ");
		tp_sb_dec(s, ctype);
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, olen);
		hlen -= 4;
		if (cls == 0 || olen < 4)
			return;
		olen -= 4;
		tp_cursor b = c;
		if (cls == 1 && ctype == 1) {
			uint32_t e = tp_be32(&b);
			if (!tp_ok(&b)) {
				tp_sb_puts(s, " [|icmp]");
				return;
			}
			tp_sb_puts(s, "\n\t    label ");
			tp_sb_dec(s, e >> 12);
			tp_sb_puts(s, ", tc ");
			tp_sb_dec(s, e >> 9 & 7);
			if (e >> 8 & 1)
				tp_sb_puts(s, ", [S]");
			tp_sb_puts(s, ", ttl ");
			tp_sb_dec(s, e & 0xff);
		} else {
			put_unknown(s, &b, olen);
		}
		if (hlen < olen)
			break;
		hlen -= olen;
		if (!tp_skip(&c, olen))
			break;
	}
}

static tp_sum icmp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			     const tp_outopts *o)
{
	const tp_field *tf = fld(p, li, F_TYPE), *cf = fld(p, li, F_CODE);
	size_t start = s->len;
	tp_sb_puts(s, "ICMP");
	if (!tf || !cf) {
		s->len = start; /* tcpdump: only " [|icmp]", from the event */
		return TP_SUM_STOP;
	}
	unsigned type = (unsigned)tf->v.u, code = (unsigned)cf->v.u;
	const tp_field *id = fld(p, li, F_IDENT), *seq = fld(p, li, F_SEQ);
	tp_sb_putc(s, ' ');
	bool ok = true;
	switch (type) {
	case T_ECHO:
	case T_ECHOREPLY:
		if ((ok = id && seq)) {
			tp_sb_puts(s, type == T_ECHO ? "echo request"
						     : "echo reply");
			tp_sb_puts(s, ", id ");
			tp_sb_dec(s, id->v.u);
			tp_sb_puts(s, ", seq ");
			tp_sb_dec(s, seq->v.u);
		}
		break;
	case T_UNREACH:
		ok = put_unreach(s, p, li, code);
		break;
	case T_REDIRECT:
		ok = put_redirect(s, p, li, code);
		break;
	case T_RTRADVERT:
		ok = put_router_advert(s, p, li);
		break;
	case T_TIMXCEED:
		if (!(ok = get_quote(p, li).dst != NULL))
			break; /* tcpdump checks the quoted destination */
		if (code == 0) {
			tp_sb_puts(s, "time exceeded in-transit");
		} else if (code == 1) {
			tp_sb_puts(s, "ip reassembly time exceeded");
		} else {
			tp_sb_puts(s, "time exceeded-#");
			tp_sb_dec(s, code);
		}
		break;
	case T_PARAMPROB:
		if (code) {
			tp_sb_puts(s, "parameter problem - code ");
			tp_sb_dec(s, code);
		} else if ((ok = fld(p, li, F_POINTER) != NULL)) {
			tp_sb_puts(s, "parameter problem - octet ");
			tp_sb_dec(s, fval(p, li, F_POINTER));
		}
		break;
	case T_MASKREPLY: {
		const tp_field *m = fld(p, li, F_MASK);
		if ((ok = m && m->vlen >= 4)) {
			tp_sb_puts(s, "address mask is 0x");
			tp_sb_hex(s, get_be32(m->v.p), 8);
		}
		break;
	}
	case T_TSTAMP:
		if ((ok = id && seq)) {
			tp_sb_puts(s, "time stamp query id ");
			tp_sb_dec(s, id->v.u);
			tp_sb_puts(s, " seq ");
			tp_sb_dec(s, seq->v.u);
		}
		break;
	case T_TSTAMPREPLY:
		if ((ok = id && seq && fld(p, li, F_XMIT_TS))) {
			tp_sb_puts(s, "time stamp reply id ");
			tp_sb_dec(s, id->v.u);
			tp_sb_puts(s, " seq ");
			tp_sb_dec(s, seq->v.u);
			tp_sb_puts(s, ": org ");
			put_tstamp(s, fval(p, li, F_ORIG_TS));
			tp_sb_puts(s, ", recv ");
			put_tstamp(s, fval(p, li, F_RECV_TS));
			tp_sb_puts(s, ", xmit ");
			put_tstamp(s, fval(p, li, F_XMIT_TS));
		}
		break;
	case T_SOURCEQUENCH:
		tp_sb_puts(s, "source quench");
		break;
	case T_RTRSOLICIT:
		tp_sb_puts(s, "router solicitation");
		break;
	case T_IREQ:
		tp_sb_puts(s, "information request");
		break;
	case T_IREQREPLY:
		tp_sb_puts(s, "information reply");
		break;
	case T_MASKREQ:
		tp_sb_puts(s, "address mask request");
		break;
	default:
		tp_sb_puts(s, "type-#");
		tp_sb_dec(s, type);
		break;
	}
	if (!ok) {
		/* tcpdump stops at the missing bytes, before "ICMP": its
		 * marker only (the event's, when this layer has one) */
		s->len = start;
		tp_sb_puts(s, " [|icmp]");
		return TP_SUM_STOP;
	}
	uint64_t plen = msg_length(p, li);
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, plen);
	if (!o->vflag)
		return TP_SUM_STOP;
	put_wrong_cksum(p, li, s, plen);
	if (is_error(type) && !put_quoted(p, li, s, o))
		return TP_SUM_STOP;
	if (plen > EXT_AT && (type == T_UNREACH || type == T_TIMXCEED ||
			      type == T_PARAMPROB))
		put_extensions(p, li, s, plen);
	return TP_SUM_STOP;
}

static const tp_key icmp_keys[] = {{TP_TAB_IPPROTO, TP_IPPROTO_ICMP}, {0, 0}};

const tp_dissector tp_diss_icmp = {
	.name = "icmp",
	.colname = "ICMP",
	.longname = "Internet Control Message Protocol",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = icmp_keys,
	.dissect = icmp_dissect,
	.summarize = icmp_summarize,
};
