/* arp.c - ARP and RARP for any hardware and protocol address sizes, and
 * ATM ARP.
 *
 * RFC 826 (ARP): hardware type, protocol type, their address lengths,
 * opcode, then sender and target hardware and protocol addresses of those
 * lengths.  RFC 903 (RARP, ethertype 0x8035) and RFC 2390 (Inverse ARP)
 * use the same packet with opcodes 3/4 and 8/9; RFC 1931 (DRARP) 5-7;
 * RFC 2225 section 8.7 (ATM ARP, hardware type 19) has type/length octets
 * for ATM numbers and subaddresses instead of the two lengths.  RFC 5227
 * section 2.1.1 / 2.3 name the probe and the announcement.  Field names
 * follow Wireshark's packet-arp.c; the one-line text follows tcpdump's
 * print-arp.c.
 */
#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/proto.h"

enum {
	F_HW_TYPE,
	F_PROTO_TYPE,
	F_HW_SIZE,
	F_PROTO_SIZE,
	F_OPCODE,
	F_SRC_HW_MAC,
	F_SRC_HW,
	F_SRC_PROTO_IPV4,
	F_SRC_PROTO,
	F_DST_HW_MAC,
	F_DST_HW,
	F_DST_PROTO_IPV4,
	F_DST_PROTO,
	F_GRATUITOUS,
	F_PROBE,
	F_ANNOUNCEMENT,
	/* ATM ARP */
	F_SRC_HTYPE,
	F_SRC_HLEN,
	F_SRC_STYPE,
	F_SRC_SLEN,
	F_SRC_PLN,
	F_DST_HTYPE,
	F_DST_HLEN,
	F_DST_STYPE,
	F_DST_SLEN,
	F_DST_PLN,
	F_SRC_E164,
	F_SRC_NSAP,
	F_SRC_SUBADDR,
	F_DST_E164,
	F_DST_NSAP,
	F_DST_SUBADDR,
	F_COUNT
};

enum {
	HRD_ETHER = 1,
	HRD_EETHER = 2,
	HRD_IEEE802 = 6,
	HRD_ARCNET = 7,
	HRD_FRELAY = 15,
	HRD_ATM2225 = 19,
	HRD_STRIP = 23,
	HRD_IEEE1394 = 24,
	HRD_INFINIBAND = 32,
};

enum {
	OP_REQUEST = 1,
	OP_REPLY = 2,
	OP_RREQUEST = 3,
	OP_RREPLY = 4,
	OP_IREQUEST = 8,
	OP_IREPLY = 9,
	OP_NAK = 10,
};

#define ETHERTYPE_TRAIL 0x1000 /* trailer-encapsulated IP (RFC 893) */
#define AX25_P_IP 0xcc
#define ATM_E164 0x40    /* type/length octet: E.164 number */
#define ATM_LEN_MASK 0x3f /* type/length octet: length */

/* IANA ARP hardware types, names as Wireshark shows them. */
static const tp_valstr hrd_vals[] = {
	{1, "Ethernet"},
	{2, "Experimental Ethernet"},
	{3, "AX.25"},
	{4, "ProNET"},
	{5, "Chaos"},
	{6, "IEEE 802"},
	{7, "ARCNET"},
	{8, "Hyperchannel"},
	{9, "Lanstar"},
	{10, "Autonet"},
	{11, "Localtalk"},
	{12, "LocalNet"},
	{13, "Ultra link"},
	{14, "SMDS"},
	{15, "Frame Relay"},
	{16, "ATM"},
	{17, "HDLC"},
	{18, "Fibre Channel"},
	{19, "ATM (RFC 2225)"},
	{20, "Serial Line"},
	{21, "ATM"},
	{22, "MIL-STD-188-220"},
	{23, "Metricom STRIP"},
	{24, "IEEE 1394.1995"},
	{25, "MAPOS"},
	{26, "Twinaxial"},
	{27, "EUI-64"},
	{28, "HIPARP"},
	{29, "IP and ARP over ISO 7816-3"},
	{30, "ARPSec"},
	{31, "IPsec tunnel"},
	{32, "InfiniBand"},
	{33, "TIA-102 Project 25 CAI"},
	{34, "Wiegand Interface"},
	{35, "Pure IP"},
	{36, "Experimental 1"},
	{37, "HFI"},
	{256, "Experimental 2"},
	{257, "AEthernet"},
	{0, NULL},
};

static const tp_valstr op_vals[] = {
	{1, "request"},
	{2, "reply"},
	{3, "reverse request"},
	{4, "reverse reply"},
	{5, "drarp request"},
	{6, "drarp reply"},
	{7, "drarp error"},
	{8, "inverse request"},
	{9, "inverse reply"},
	{10, "arp nak"},
	{11, "mars request"},
	{12, "mars multi"},
	{13, "mars mserv"},
	{14, "mars join"},
	{15, "mars leave"},
	{16, "mars nak"},
	{17, "mars unserv"},
	{18, "mars sjoin"},
	{19, "mars sleave"},
	{20, "mars grouplist request"},
	{21, "mars grouplist reply"},
	{22, "mars redirect map"},
	{23, "mapos unarp"},
	{24, "experimental 1"},
	{25, "experimental 2"},
	{0, NULL},
};

static const tp_field_def fields[F_COUNT] = {
	[F_HW_TYPE] = {"arp.hw.type", "Hardware type", TP_FT_UINT16,
		       TP_BASE_DEC, hrd_vals, 0},
	[F_PROTO_TYPE] = {"arp.proto.type", "Protocol type", TP_FT_UINT16,
			  TP_BASE_HEX, tp_ethertype_vals, 0},
	[F_HW_SIZE] = {"arp.hw.size", "Hardware size", TP_FT_UINT8,
		       TP_BASE_DEC, NULL, 0},
	[F_PROTO_SIZE] = {"arp.proto.size", "Protocol size", TP_FT_UINT8,
			  TP_BASE_DEC, NULL, 0},
	[F_OPCODE] = {"arp.opcode", "Opcode", TP_FT_UINT16, TP_BASE_DEC,
		      op_vals, 0},
	[F_SRC_HW_MAC] = {"arp.src.hw_mac", "Sender MAC address", TP_FT_ETHER,
			  TP_BASE_NONE, NULL, 0},
	[F_SRC_HW] = {"arp.src.hw", "Sender hardware address", TP_FT_BYTES,
		      TP_BASE_NONE, NULL, 0},
	[F_SRC_PROTO_IPV4] = {"arp.src.proto_ipv4", "Sender IP address",
			      TP_FT_IPv4, TP_BASE_NONE, NULL, 0},
	[F_SRC_PROTO] = {"arp.src.proto", "Sender protocol address",
			 TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_DST_HW_MAC] = {"arp.dst.hw_mac", "Target MAC address", TP_FT_ETHER,
			  TP_BASE_NONE, NULL, 0},
	[F_DST_HW] = {"arp.dst.hw", "Target hardware address", TP_FT_BYTES,
		      TP_BASE_NONE, NULL, 0},
	[F_DST_PROTO_IPV4] = {"arp.dst.proto_ipv4", "Target IP address",
			      TP_FT_IPv4, TP_BASE_NONE, NULL, 0},
	[F_DST_PROTO] = {"arp.dst.proto", "Target protocol address",
			 TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_GRATUITOUS] = {"arp.isgratuitous", "Is gratuitous", TP_FT_BOOLEAN,
			  0, NULL, 0},
	[F_PROBE] = {"arp.isprobe", "Is probe", TP_FT_BOOLEAN, 0, NULL, 0},
	[F_ANNOUNCEMENT] = {"arp.isannouncement", "Is announcement",
			    TP_FT_BOOLEAN, 0, NULL, 0},
	[F_SRC_HTYPE] = {"arp.src.htype", "Sender ATM number type",
			 TP_FT_BOOLEAN, 8, NULL, ATM_E164},
	[F_SRC_HLEN] = {"arp.src.hlen", "Sender ATM number length",
			TP_FT_UINT8, TP_BASE_DEC, NULL, ATM_LEN_MASK},
	[F_SRC_STYPE] = {"arp.src.stype", "Sender ATM subaddress type",
			 TP_FT_BOOLEAN, 8, NULL, ATM_E164},
	[F_SRC_SLEN] = {"arp.src.slen", "Sender ATM subaddress length",
			TP_FT_UINT8, TP_BASE_DEC, NULL, ATM_LEN_MASK},
	[F_SRC_PLN] = {"arp.src.pln", "Sender protocol size", TP_FT_UINT8,
		       TP_BASE_DEC, NULL, 0},
	[F_DST_HTYPE] = {"arp.dst.htype", "Target ATM number type",
			 TP_FT_BOOLEAN, 8, NULL, ATM_E164},
	[F_DST_HLEN] = {"arp.dst.hlen", "Target ATM number length",
			TP_FT_UINT8, TP_BASE_DEC, NULL, ATM_LEN_MASK},
	[F_DST_STYPE] = {"arp.dst.stype", "Target ATM subaddress type",
			 TP_FT_BOOLEAN, 8, NULL, ATM_E164},
	[F_DST_SLEN] = {"arp.dst.slen", "Target ATM subaddress length",
			TP_FT_UINT8, TP_BASE_DEC, NULL, ATM_LEN_MASK},
	[F_DST_PLN] = {"arp.dst.pln", "Target protocol size", TP_FT_UINT8,
		       TP_BASE_DEC, NULL, 0},
	[F_SRC_E164] = {"arp.src.atm_num_e164", "Sender ATM number (E.164)",
			TP_FT_STRING, TP_BASE_NONE, NULL, 0},
	[F_SRC_NSAP] = {"arp.src.atm_num_nsap", "Sender ATM number (NSAP)",
			TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_SRC_SUBADDR] = {"arp.src.atm_subaddr", "Sender ATM subaddress",
			   TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_DST_E164] = {"arp.dst.atm_num_e164", "Target ATM number (E.164)",
			TP_FT_STRING, TP_BASE_NONE, NULL, 0},
	[F_DST_NSAP] = {"arp.dst.atm_num_nsap", "Target ATM number (NSAP)",
			TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_DST_SUBADDR] = {"arp.dst.atm_subaddr", "Target ATM subaddress",
			   TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
};

enum { E_PAST_END, E_COUNT };
static const tp_event_def events[E_COUNT] = {
	[E_PAST_END] = {"arp.len.past_end", TP_EV_MALFORMED,
			"Address lengths run past the end of the packet"},
};

/* An address of `n` bytes (none when n is 0, as in Wireshark). */
static const uint8_t *addr(tp_pkt *p, tp_cursor *c, unsigned f, size_t n)
{
	if (!n)
		return NULL;
	return tp_get_bytes(p, c, &fields[f], n);
}

static bool all_zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* RFC 2225 section 8.7.  `hrd` and `pro` are already read. */
static tp_next atmarp_dissect(tp_pkt *p, tp_cursor *c, uint16_t pro)
{
	size_t at = c->off;
	uint8_t shtl = tp_u8(c), sstl = tp_u8(c);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &fields[F_SRC_HTYPE], at, 1, !!(shtl & ATM_E164));
	tp_add_uint(p, &fields[F_SRC_HLEN], at, 1, shtl & ATM_LEN_MASK);
	tp_add_uint(p, &fields[F_SRC_STYPE], at + 1, 1, !!(sstl & ATM_E164));
	tp_add_uint(p, &fields[F_SRC_SLEN], at + 1, 1, sstl & ATM_LEN_MASK);
	tp_get_be16(p, c, &fields[F_OPCODE]);
	uint8_t spln = tp_get_u8(p, c, &fields[F_SRC_PLN]);
	at = c->off;
	uint8_t thtl = tp_u8(c), tstl = tp_u8(c);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &fields[F_DST_HTYPE], at, 1, !!(thtl & ATM_E164));
	tp_add_uint(p, &fields[F_DST_HLEN], at, 1, thtl & ATM_LEN_MASK);
	tp_add_uint(p, &fields[F_DST_STYPE], at + 1, 1, !!(tstl & ATM_E164));
	tp_add_uint(p, &fields[F_DST_SLEN], at + 1, 1, tstl & ATM_LEN_MASK);
	uint8_t tpln = tp_get_u8(p, c, &fields[F_DST_PLN]);
	if (!tp_ok(c))
		return TP_STOP;
	size_t need = (size_t)(shtl & ATM_LEN_MASK) + (sstl & ATM_LEN_MASK) +
		      spln + (thtl & ATM_LEN_MASK) + (tstl & ATM_LEN_MASK) +
		      tpln;
	if (need > tp_reported(c)) {
		tp_add_event(p, &events[E_PAST_END], at);
		tp_fail(c, TP_MALFORMED);
		return TP_STOP;
	}
	bool ip = pro == TP_ETH_IPV4 || pro == AX25_P_IP;
	addr(p, c, shtl & ATM_E164 ? F_SRC_E164 : F_SRC_NSAP,
	     shtl & ATM_LEN_MASK);
	addr(p, c, F_SRC_SUBADDR, sstl & ATM_LEN_MASK);
	addr(p, c, ip && spln == 4 ? F_SRC_PROTO_IPV4 : F_SRC_PROTO, spln);
	addr(p, c, thtl & ATM_E164 ? F_DST_E164 : F_DST_NSAP,
	     thtl & ATM_LEN_MASK);
	addr(p, c, F_DST_SUBADDR, tstl & ATM_LEN_MASK);
	addr(p, c, ip && tpln == 4 ? F_DST_PROTO_IPV4 : F_DST_PROTO, tpln);
	if (tp_ok(c))
		tp_clamp(c, 0);
	return TP_STOP;
}

static tp_next arp_dissect(tp_pkt *p, tp_cursor *c)
{
	uint16_t hrd = tp_get_be16(p, c, &fields[F_HW_TYPE]);
	uint16_t pro = tp_get_be16(p, c, &fields[F_PROTO_TYPE]);
	if (!tp_ok(c))
		return TP_STOP;
	if (hrd == HRD_ATM2225)
		return atmarp_dissect(p, c, pro);
	size_t at = c->off;
	uint8_t hln = tp_get_u8(p, c, &fields[F_HW_SIZE]);
	uint8_t pln = tp_get_u8(p, c, &fields[F_PROTO_SIZE]);
	uint16_t op = tp_get_be16(p, c, &fields[F_OPCODE]);
	if (!tp_ok(c))
		return TP_STOP;
	/* Like Wireshark, lengths that claim more than the packet has are
	 * not used at all. */
	if ((size_t)2 * hln + (size_t)2 * pln > tp_reported(c)) {
		tp_add_event(p, &events[E_PAST_END], at);
		tp_fail(c, TP_MALFORMED);
		return TP_STOP;
	}
	bool ether = (hrd == HRD_ETHER || hrd == HRD_EETHER ||
		      hrd == HRD_IEEE802) &&
		     hln == 6;
	bool ipv4 = (pro == TP_ETH_IPV4 || pro == AX25_P_IP) && pln == 4;
	addr(p, c, ether ? F_SRC_HW_MAC : F_SRC_HW, hln);
	const uint8_t *spa =
		addr(p, c, ipv4 ? F_SRC_PROTO_IPV4 : F_SRC_PROTO, pln);
	const uint8_t *tha = addr(p, c, ether ? F_DST_HW_MAC : F_DST_HW, hln);
	const uint8_t *tpa =
		addr(p, c, ipv4 ? F_DST_PROTO_IPV4 : F_DST_PROTO, pln);
	if (!tp_ok(c))
		return TP_STOP;
	/* Wireshark's generated flags, added only when true. */
	bool request = op == OP_REQUEST;
	bool gratuitous = (request || op == OP_REPLY) && spa && tpa &&
			  same(spa, tpa, pln);
	bool tha_zero = tha && all_zero(tha, hln);
	if (gratuitous)
		tp_add_uint(p, &fields[F_GRATUITOUS], c->off, 0, 1);
	if (request && tha_zero && spa && all_zero(spa, pln))
		tp_add_uint(p, &fields[F_PROBE], c->off, 0, 1);
	if (request && gratuitous && tha_zero)
		tp_add_uint(p, &fields[F_ANNOUNCEMENT], c->off, 0, 1);
	/* The message ends here; what follows (Ethernet padding) is not
	 * part of it, as Wireshark's tvb_set_reported_length does. */
	tp_clamp(c, 0);
	return TP_STOP;
}

/* ---- tcpdump's text (print-arp.c) --------------------------------- */

static const tp_valstr tcpdump_op_vals[] = {
	{OP_REQUEST, "Request"},
	{OP_REPLY, "Reply"},
	{OP_RREQUEST, "Reverse Request"},
	{OP_RREPLY, "Reverse Reply"},
	{OP_IREQUEST, "Inverse Request"},
	{OP_IREPLY, "Inverse Reply"},
	{OP_NAK, "NACK Reply"},
	{0, NULL},
};

static const tp_valstr tcpdump_hrd_vals[] = {
	{HRD_ETHER, "Ethernet"},     {HRD_IEEE802, "TokenRing"},
	{HRD_ARCNET, "ArcNet"},	     {HRD_FRELAY, "FrameRelay"},
	{HRD_STRIP, "Strip"},	     {HRD_IEEE1394, "IEEE 1394"},
	{HRD_ATM2225, "ATM"},	     {HRD_INFINIBAND, "InfiniBand"},
	{0, NULL},
};

/* What the summarizer needs, gathered from the fields. */
struct arpmsg {
	uint64_t hrd, pro, op;
	unsigned hln, pln;
	const tp_field *sha, *spa, *tha, *tpa;
};

static const tp_field *find(const tp_pkt *p, unsigned li, unsigned a,
			    unsigned b)
{
	const tp_field *f = tp_layer_find(p, li, &fields[a]);
	return f ? f : tp_layer_find(p, li, &fields[b]);
}

static uint64_t uval(const tp_pkt *p, unsigned li, unsigned f)
{
	const tp_field *x = tp_layer_find(p, li, &fields[f]);
	return x ? x->v.u : 0;
}

static void put_hrd(tp_sbuf *s, uint64_t hrd)
{
	const char *n = tp_valstr_find(tcpdump_hrd_vals, (uint32_t)hrd);
	if (n) {
		tp_sb_puts(s, n);
	} else {
		tp_sb_puts(s, "Unknown Hardware (");
		tp_sb_dec(s, hrd);
		tp_sb_putc(s, ')');
	}
}

static void put_pro(tp_sbuf *s, uint64_t pro)
{
	const char *n = pro == ETHERTYPE_TRAIL
				? "Trail"
				: tp_valstr_find(tp_ethertype_vals,
						 (uint32_t)pro);
	if (n) {
		tp_sb_puts(s, n);
	} else {
		tp_sb_puts(s, "Unknown Protocol (0x");
		tp_sb_hex(s, pro, 4);
		tp_sb_putc(s, ')');
	}
}

static bool ip_proto(uint64_t pro)
{
	return pro == TP_ETH_IPV4 || pro == ETHERTYPE_TRAIL;
}

/* tcpdump's q922_string: "DLCI n" for a valid 2-byte Q.922 address. */
static void put_dlci(tp_sbuf *s, const uint8_t *a, size_t n)
{
	if (n >= 2 && !(a[0] & 1) && (a[1] & 1)) {
		tp_sb_puts(s, "DLCI ");
		tp_sb_dec(s, (uint64_t)(a[0] & 0xfc) << 2 | (a[1] & 0xf0) >> 4);
	} else {
		tp_sb_puts(s, "<Invalid DLCI>");
	}
}

/* tcpdump's linkaddr_string: empty, MAC-48, Q.922 or hex with colons. */
static void put_linkaddr(tp_sbuf *s, const tp_field *f, bool frelay)
{
	if (!f || !f->vlen) {
		tp_sb_puts(s, "<empty>");
		return;
	}
	if (frelay)
		put_dlci(s, f->v.p, f->vlen);
	else if (f->vlen == 6)
		tp_sb_mac(s, f->v.p);
	else
		tp_sb_hexbytes(s, f->v.p, f->vlen, ':');
}

static void put_ip(tp_sbuf *s, const struct arpmsg *m, const tp_field *f,
		   unsigned len, const char *wrong_len)
{
	if (!ip_proto(m->pro))
		tp_sb_puts(s, "<wrong proto type>");
	else if (len != 4 || !f || f->vlen != 4)
		tp_sb_puts(s, wrong_len);
	else
		tp_sb_ipv4(s, f->v.p);
}

/* tcpdump's length is what the link layer handed over, padding and all:
 * the reported bytes after the layer below. */
static void put_length(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, li ? p->layers[li - 1].payload_len
			: (uint64_t)p->layers[li].len);
}

/* tcpdump's atmarp_addr_print */
static void put_atmaddr(tp_sbuf *s, const tp_field *num, const tp_field *sub)
{
	if (!num || !num->vlen) {
		tp_sb_puts(s, "<No address>");
		return;
	}
	tp_sb_hexbytes(s, num->v.p, num->vlen, ':');
	if (sub && sub->vlen) {
		tp_sb_putc(s, ',');
		tp_sb_hexbytes(s, sub->v.p, sub->vlen, ':');
	}
}

static tp_sum atmarp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			       const tp_outopts *o, const struct arpmsg *m)
{
	unsigned spln = (unsigned)uval(p, li, F_SRC_PLN);
	unsigned tpln = (unsigned)uval(p, li, F_DST_PLN);
	unsigned shl = (unsigned)uval(p, li, F_SRC_HLEN);
	unsigned ssl = (unsigned)uval(p, li, F_SRC_SLEN);
	unsigned thl = (unsigned)uval(p, li, F_DST_HLEN);
	unsigned tsl = (unsigned)uval(p, li, F_DST_SLEN);
	if (p->layers[li].len != 12 + shl + ssl + spln + thl + tsl + tpln)
		return TP_SUM_STOP; /* cut: "[|arp]" */
	const tp_field *sha = find(p, li, F_SRC_E164, F_SRC_NSAP);
	const tp_field *ssa = tp_layer_find(p, li, &fields[F_SRC_SUBADDR]);
	const tp_field *tha = find(p, li, F_DST_E164, F_DST_NSAP);
	const tp_field *tsa = tp_layer_find(p, li, &fields[F_DST_SUBADDR]);
	if (!o->eflag)
		tp_sb_puts(s, "ARP, ");
	if (!ip_proto(m->pro) || spln != 4 || tpln != 4 || o->vflag) {
		put_hrd(s, m->hrd);
		tp_sb_puts(s, ", ");
		put_pro(s, m->pro);
		tp_sb_puts(s, " (len ");
		tp_sb_dec(s, spln);
		tp_sb_putc(s, '/');
		tp_sb_dec(s, tpln);
		tp_sb_putc(s, ')');
		if (!o->vflag) {
			put_length(p, li, s);
			return TP_SUM_STOP;
		}
		tp_sb_puts(s, ", ");
	}
	const char *opn = tp_valstr_find(tcpdump_op_vals, (uint32_t)m->op);
	if (opn) {
		tp_sb_puts(s, opn);
	} else {
		tp_sb_puts(s, "Unknown (");
		tp_sb_dec(s, m->op);
		tp_sb_putc(s, ')');
	}
	tp_sb_putc(s, ' ');
	switch (m->op) {
	case OP_REQUEST:
		tp_sb_puts(s, "who-has ");
		put_ip(s, m, m->tpa, tpln, "<wrong tplen>");
		if (thl) {
			tp_sb_puts(s, " (");
			put_atmaddr(s, tha, tsa);
			tp_sb_putc(s, ')');
		}
		tp_sb_puts(s, " tell ");
		put_ip(s, m, m->spa, spln, "<wrong splen>");
		break;
	case OP_REPLY:
		put_ip(s, m, m->spa, spln, "<wrong splen>");
		tp_sb_puts(s, " is-at ");
		put_atmaddr(s, sha, ssa);
		break;
	case OP_IREQUEST:
		tp_sb_puts(s, "who-is ");
		put_atmaddr(s, tha, tsa);
		tp_sb_puts(s, " tell ");
		put_atmaddr(s, sha, ssa);
		break;
	case OP_IREPLY:
		put_atmaddr(s, sha, ssa);
		tp_sb_puts(s, "at "); /* sic */
		put_ip(s, m, m->spa, spln, "<wrong splen>");
		break;
	case OP_NAK:
		tp_sb_puts(s, "for ");
		put_ip(s, m, m->spa, spln, "<wrong splen>");
		break;
	default: /* tcpdump dumps the packet in hex instead */
		return TP_SUM_STOP;
	}
	put_length(p, li, s);
	return TP_SUM_STOP;
}

static tp_sum arp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	struct arpmsg m = {0};
	const tp_field *op = tp_layer_find(p, li, &fields[F_OPCODE]);
	if (!op)
		return TP_SUM_STOP; /* cut: tcpdump prints "[|arp]" only */
	m.hrd = uval(p, li, F_HW_TYPE);
	m.pro = uval(p, li, F_PROTO_TYPE);
	m.op = op->v.u;
	m.spa = find(p, li, F_SRC_PROTO_IPV4, F_SRC_PROTO);
	m.tpa = find(p, li, F_DST_PROTO_IPV4, F_DST_PROTO);
	if (m.hrd == HRD_ATM2225)
		return atmarp_summarize(p, li, s, o, &m);
	m.hln = (unsigned)uval(p, li, F_HW_SIZE);
	m.pln = (unsigned)uval(p, li, F_PROTO_SIZE);
	if (p->layers[li].len != 8 + 2 * m.hln + 2 * m.pln)
		return TP_SUM_STOP;
	m.sha = find(p, li, F_SRC_HW_MAC, F_SRC_HW);
	m.tha = find(p, li, F_DST_HW_MAC, F_DST_HW);
	bool frelay = m.hrd == HRD_FRELAY;

	if (!o->eflag)
		tp_sb_puts(s, "ARP, ");
	if (!ip_proto(m.pro) || m.pln != 4 || m.hln == 0 || o->vflag) {
		put_hrd(s, m.hrd);
		tp_sb_puts(s, " (len ");
		tp_sb_dec(s, m.hln);
		tp_sb_puts(s, "), ");
		put_pro(s, m.pro);
		tp_sb_puts(s, " (len ");
		tp_sb_dec(s, m.pln);
		tp_sb_putc(s, ')');
		if (!o->vflag) {
			put_length(p, li, s);
			return TP_SUM_STOP;
		}
		tp_sb_puts(s, ", ");
	}
	const char *opn = tp_valstr_find(tcpdump_op_vals, (uint32_t)m.op);
	if (opn) {
		tp_sb_puts(s, opn);
	} else {
		tp_sb_puts(s, "Unknown (");
		tp_sb_dec(s, m.op);
		tp_sb_putc(s, ')');
	}
	tp_sb_putc(s, ' ');
	switch (m.op) {
	case OP_REQUEST:
		tp_sb_puts(s, "who-has ");
		put_ip(s, &m, m.tpa, m.pln, "<wrong len>");
		if (m.tha && !all_zero(m.tha->v.p, m.tha->vlen)) {
			tp_sb_puts(s, " (");
			put_linkaddr(s, m.tha, frelay);
			tp_sb_putc(s, ')');
		}
		tp_sb_puts(s, " tell ");
		put_ip(s, &m, m.spa, m.pln, "<wrong len>");
		break;
	case OP_REPLY:
		put_ip(s, &m, m.spa, m.pln, "<wrong len>");
		tp_sb_puts(s, " is-at ");
		put_linkaddr(s, m.sha, frelay);
		break;
	case OP_RREQUEST:
	case OP_IREQUEST:
		tp_sb_puts(s, "who-is ");
		put_linkaddr(s, m.tha, frelay);
		tp_sb_puts(s, " tell ");
		put_linkaddr(s, m.sha, frelay);
		break;
	case OP_RREPLY:
		put_linkaddr(s, m.tha, frelay);
		tp_sb_puts(s, " at ");
		put_ip(s, &m, m.tpa, m.pln, "<wrong len>");
		break;
	case OP_IREPLY:
		put_linkaddr(s, m.sha, frelay);
		tp_sb_puts(s, " at ");
		put_ip(s, &m, m.spa, m.pln, "<wrong len>");
		break;
	default: /* tcpdump dumps the packet in hex instead */
		return TP_SUM_STOP;
	}
	put_length(p, li, s);
	return TP_SUM_STOP;
}

static const tp_key arp_keys[] = {
	{TP_TAB_ETHERTYPE, TP_ETH_ARP},
	{TP_TAB_ETHERTYPE, TP_ETH_RARP},
	{0, 0},
};

const tp_dissector tp_diss_arp = {
	.name = "arp",
	.colname = "ARP",
	.longname = "Address Resolution Protocol",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = arp_keys,
	.dissect = arp_dissect,
	.summarize = arp_summarize,
};
