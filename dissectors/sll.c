/* sll.c - Linux "cooked" capture headers, v1 and v2.
 *
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html (16 bytes:
 * packet type, ARPHRD_ type, address length, 8 address bytes, protocol)
 * and LINKTYPE_LINUX_SLL2.html (20 bytes: protocol, reserved, interface
 * index, ARPHRD_ type, packet type, address length, 8 address bytes).
 * The protocol is an ethertype, or at most 1536 a Linux ETH_P_ value
 * (<linux/if_ether.h>: ETH_P_802_3 1, ETH_P_802_2 4, ...), or a GRE
 * protocol type for ARPHRD_IPGRE, or a netlink family for ARPHRD_NETLINK.
 * Field names follow Wireshark's packet-sll.c; both versions are "sll".
 */
#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/layerfields.h"

enum {
	F_PKTTYPE,
	F_HATYPE,
	F_HALEN,
	F_SRC_ETH,
	F_SRC_IPV4,
	F_SRC_OTHER,
	F_UNUSED,
	F_LTYPE,
	F_GRETYPE,
	F_ETYPE,
	F_IFINDEX,
	F_COUNT
};

enum {
	PKT_HOST = 0,
	PKT_BROADCAST = 1,
	PKT_MULTICAST = 2,
	PKT_OTHERHOST = 3,
	PKT_OUTGOING = 4,
};

enum {
	ARPHRD_ETHER = 1,
	ARPHRD_IPGRE = 778,
	ARPHRD_NETLINK = 824,
};

enum {
	LTYPE_802_3 = 0x0001,
	LTYPE_ETHERNET = 0x0003,
	LTYPE_802_2 = 0x0004,
};

#define SLL_ADDRLEN 8
#define SLL_MAX_LTYPE 1536 /* at most this: not an ethertype (Linux) */
#define MAX_ETHERNET_LENGTH 1500

static const tp_valstr pkttype_vals[] = {
	{PKT_HOST, "Unicast to us"},
	{PKT_BROADCAST, "Broadcast"},
	{PKT_MULTICAST, "Multicast"},
	{PKT_OTHERHOST, "Unicast to another host"},
	{PKT_OUTGOING, "Sent by us"},
	{0, NULL},
};

/* Linux ARPHRD_ values (<linux/if_arp.h>). */
static const tp_valstr hatype_vals[] = {
	{0, "NET/ROM pseudo"},
	{1, "Ethernet"},
	{3, "AX.25"},
	{6, "IEEE 802"},
	{15, "Frame Relay DLCI"},
	{19, "ATM"},
	{24, "IEEE 1394"},
	{32, "InfiniBand"},
	{256, "SLIP"},
	{512, "PPP"},
	{513, "Cisco HDLC"},
	{768, "IPIP tunnel"},
	{769, "IPv6-in-IPv6 tunnel"},
	{772, "Loopback"},
	{776, "IPv6-in-IPv4 (SIT)"},
	{778, "GRE over IP"},
	{800, "IEEE 802.2 Token Ring"},
	{801, "IEEE 802.11"},
	{802, "IEEE 802.11 + Prism header"},
	{803, "IEEE 802.11 + radiotap header"},
	{804, "IEEE 802.15.4"},
	{805, "IEEE 802.15.4 MAC"},
	{820, "IP over DDP"},
	{823, "CAIF"},
	{824, "Netlink"},
	{825, "6LoWPAN"},
	{826, "VSOCK monitor"},
	{65534, "None"},
	{65535, "Void"},
	{0, NULL},
};

static const tp_valstr ltype_vals[] = {
	{LTYPE_802_3, "Raw 802.3"},
	{LTYPE_ETHERNET, "Ethernet"},
	{LTYPE_802_2, "802.2 LLC"},
	{0x0007, "PPP (HDLC)"},
	{0x000c, "CAN"},
	{0x000d, "CAN FD"},
	{0x0017, "IrDA LAP"},
	{0x00f5, "ISI"},
	{0x00f6, "IEEE 802.15.4"},
	{0, NULL},
};

static const tp_field_def fields[F_COUNT] = {
	[F_PKTTYPE] = {"sll.pkttype", "Packet type", TP_FT_UINT16, TP_BASE_DEC,
		       pkttype_vals, 0},
	[F_HATYPE] = {"sll.hatype", "Link-layer address type", TP_FT_UINT16,
		      TP_BASE_DEC, hatype_vals, 0},
	[F_HALEN] = {"sll.halen", "Link-layer address length", TP_FT_UINT16,
		     TP_BASE_DEC, NULL, 0},
	[F_SRC_ETH] = {"sll.src.eth", "Source", TP_FT_ETHER, TP_BASE_NONE, NULL,
		       0},
	[F_SRC_IPV4] = {"sll.src.ipv4", "Source", TP_FT_IPv4, TP_BASE_NONE,
			NULL, 0},
	[F_SRC_OTHER] = {"sll.src.other", "Source", TP_FT_BYTES, TP_BASE_NONE,
			 NULL, 0},
	[F_UNUSED] = {"sll.unused", "Unused", TP_FT_BYTES, TP_BASE_NONE, NULL,
		      0},
	[F_LTYPE] = {"sll.ltype", "Protocol", TP_FT_UINT16, TP_BASE_HEX,
		     ltype_vals, 0},
	[F_GRETYPE] = {"sll.gretype", "Protocol", TP_FT_UINT16, TP_BASE_HEX,
		       tp_ethertype_vals, 0},
	[F_ETYPE] = {"sll.etype", "Protocol", TP_FT_UINT16, TP_BASE_HEX,
		     tp_ethertype_vals, 0},
	[F_IFINDEX] = {"sll.ifindex", "Interface index", TP_FT_UINT32,
		       TP_BASE_DEC, NULL, 0},
};

const tp_field_def *const tp_fd_sll_hatype = &fields[F_HATYPE];
const tp_field_def *const tp_fd_sll_etype = &fields[F_ETYPE];

/* The 8-byte address slot: the first `halen` bytes are the address
 * (Wireshark: 6 bytes as Ethernet, 4 with ARPHRD_IPGRE as IPv4), the
 * rest is unused. */
static void address(tp_pkt *p, tp_cursor *c, unsigned hatype, unsigned halen)
{
	size_t at = c->off;
	const uint8_t *a = tp_bytes(c, SLL_ADDRLEN);
	if (!a)
		return;
	size_t n = halen < SLL_ADDRLEN ? halen : SLL_ADDRLEN;
	if (n == 6)
		tp_add_bytes(p, &fields[F_SRC_ETH], at, 6, a, 6);
	else if (n == 4 && hatype == ARPHRD_IPGRE)
		tp_add_bytes(p, &fields[F_SRC_IPV4], at, 4, a, 4);
	else if (n)
		tp_add_bytes(p, &fields[F_SRC_OTHER], at, n, a, n);
	if (n < SLL_ADDRLEN)
		tp_add_bytes(p, &fields[F_UNUSED], at + n, SLL_ADDRLEN - n,
			     a + n, SLL_ADDRLEN - n);
}

/* The protocol field and where it leads (packet-sll.c). */
static tp_next protocol(tp_pkt *p, size_t at, unsigned hatype, uint16_t proto)
{
	if (proto <= SLL_MAX_LTYPE) {
		tp_add_uint(p, &fields[F_LTYPE], at, 2, proto);
		switch (proto) {
		case LTYPE_802_2:
			return tp_next_key(TP_TAB_ETHERTYPE, TP_KEY_LLC);
		case LTYPE_ETHERNET: /* a whole Ethernet frame follows */
			return tp_next_key(TP_TAB_LINKTYPE, 1);
		default: /* Novell 802.3 (IPX), CAN, ...: not dissected */
			return TP_STOP;
		}
	}
	switch (hatype) {
	case ARPHRD_IPGRE: /* GRE protocol types are ethertypes */
		tp_add_uint(p, &fields[F_GRETYPE], at, 2, proto);
		return tp_next_key(TP_TAB_ETHERTYPE, proto);
	case ARPHRD_NETLINK: /* a netlink family, not an ethertype */
		tp_add_uint(p, &fields[F_LTYPE], at, 2, proto);
		return TP_STOP;
	default:
		tp_add_uint(p, &fields[F_ETYPE], at, 2, proto);
		return tp_next_key(TP_TAB_ETHERTYPE, proto);
	}
}

static tp_next sll_dissect(tp_pkt *p, tp_cursor *c)
{
	tp_get_be16(p, c, &fields[F_PKTTYPE]);
	uint16_t hatype = tp_get_be16(p, c, &fields[F_HATYPE]);
	uint16_t halen = tp_get_be16(p, c, &fields[F_HALEN]);
	address(p, c, hatype, halen);
	size_t at = c->off;
	uint16_t proto = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	return protocol(p, at, hatype, proto);
}

static tp_next sll2_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t pat = c->off;
	uint16_t proto = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	/* Wireshark shows the protocol first, where it is on the wire, but
	 * what it means depends on the ARPHRD_ type 6 bytes further on. */
	int h0 = tp_peek(c, 6), h1 = tp_peek(c, 7);
	unsigned hatype = h0 >= 0 && h1 >= 0 ? (unsigned)(h0 << 8 | h1)
					     : ARPHRD_ETHER;
	tp_next nx = protocol(p, pat, hatype, proto);
	tp_skip(c, 2); /* reserved, must be zero */
	tp_get_be32(p, c, &fields[F_IFINDEX]);
	hatype = tp_get_be16(p, c, &fields[F_HATYPE]);
	tp_get_u8(p, c, &fields[F_PKTTYPE]);
	uint8_t halen = tp_get_u8(p, c, &fields[F_HALEN]);
	address(p, c, hatype, halen);
	if (!tp_ok(c))
		return TP_STOP;
	return nx;
}

/* ---- tcpdump's text (print-sll.c) --------------------------------- */

static const tp_valstr dir_vals[] = {
	{PKT_HOST, "In"},	 {PKT_BROADCAST, "B"}, {PKT_MULTICAST, "M"},
	{PKT_OTHERHOST, "P"}, {PKT_OUTGOING, "Out"}, {0, NULL},
};

static const char *direction(const tp_field *f)
{
	const char *d = f ? tp_valstr_find(dir_vals, (uint32_t)f->v.u) : NULL;
	return d ? d : "?";
}

/* "%3s " or "%-3s " */
static void put_padded(tp_sbuf *s, const char *str, bool left)
{
	size_t n = 0;
	while (str[n])
		n++;
	if (!left)
		for (size_t i = n; i < 3; i++)
			tp_sb_putc(s, ' ');
	tp_sb_puts(s, str);
	if (left)
		for (size_t i = n; i < 3; i++)
			tp_sb_putc(s, ' ');
	tp_sb_putc(s, ' ');
}

static const tp_field *proto_field(const tp_pkt *p, unsigned li)
{
	const tp_field *f = tp_layer_find(p, li, &fields[F_ETYPE]);
	if (!f)
		f = tp_layer_find(p, li, &fields[F_LTYPE]);
	if (!f)
		f = tp_layer_find(p, li, &fields[F_GRETYPE]);
	return f;
}

/* sll_print / sll2_print after the direction: address, protocol and
 * frame length. */
static void put_header(const tp_pkt *p, unsigned li, tp_sbuf *s,
		       const tp_outopts *o)
{
	const tp_field *halen = tp_layer_find(p, li, &fields[F_HALEN]);
	const tp_field *src = tp_layer_find(p, li, &fields[F_SRC_ETH]);
	if (halen && halen->v.u == 6 && src) {
		tp_sb_mac(s, src->v.p);
		tp_sb_putc(s, ' ');
	}
	if (o->qflag)
		return;
	const tp_field *pf = proto_field(p, li);
	uint64_t proto = pf ? pf->v.u : 0;
	if (proto <= MAX_ETHERNET_LENGTH && proto == LTYPE_802_3) {
		tp_sb_puts(s, "802.3");
	} else if (proto <= MAX_ETHERNET_LENGTH && proto == LTYPE_802_2) {
		tp_sb_puts(s, "802.2");
	} else {
		const char *n = proto > MAX_ETHERNET_LENGTH
					? tp_valstr_find(tp_ethertype_vals,
							 (uint32_t)proto)
					: NULL;
		tp_sb_puts(s, "ethertype ");
		tp_sb_puts(s, n ? n : "Unknown");
		tp_sb_puts(s, " (0x");
		tp_sb_hex(s, proto, 4);
		tp_sb_putc(s, ')');
	}
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, p->len);
	tp_sb_puts(s, ": ");
}

/* Without -e tcpdump prints the cooked header only when it does not
 * understand an ethertype (not for the Linux protocol values). */
static bool header_wanted(const tp_pkt *p, unsigned li, const tp_outopts *o)
{
	if (o->eflag)
		return true;
	const tp_field *et = tp_layer_find(p, li, &fields[F_ETYPE]);
	if (!et || et->v.u <= MAX_ETHERNET_LENGTH)
		return false;
	return !(li + 1 < p->nlayers && p->layers[li + 1].d != &tp_diss_data);
}

static tp_sum sll_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	if (p->layers[li].len < 16 || !header_wanted(p, li, o))
		return TP_SUM_NEXT; /* a cut header is just "[|sll]" */
	put_padded(s, direction(tp_layer_find(p, li, &fields[F_PKTTYPE])),
		   false);
	put_header(p, li, s, o);
	return TP_SUM_NEXT;
}

/* tcpdump prints the interface name, which only the capturing machine
 * knows; tapir prints its index instead, then the direction. */
static tp_sum sll2_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			     const tp_outopts *o)
{
	if (p->layers[li].len < 20)
		return TP_SUM_NEXT;
	const tp_field *ifx = tp_layer_find(p, li, &fields[F_IFINDEX]);
	if (ifx) {
		tp_sb_puts(s, "ifindex ");
		tp_sb_dec(s, ifx->v.u);
		tp_sb_putc(s, ' ');
	}
	put_padded(s, direction(tp_layer_find(p, li, &fields[F_PKTTYPE])),
		   true);
	if (header_wanted(p, li, o))
		put_header(p, li, s, o);
	return TP_SUM_NEXT;
}

static const tp_key sll_keys[] = {{TP_TAB_LINKTYPE, 113}, {0, 0}};
static const tp_key sll2_keys[] = {{TP_TAB_LINKTYPE, 276}, {0, 0}};

const tp_dissector tp_diss_sll = {
	.name = "sll",
	.longname = "Linux cooked capture v1",
	.fields = fields,
	.nfields = F_COUNT,
	.keys = sll_keys,
	.link = true,
	.dissect = sll_dissect,
	.summarize = sll_summarize,
};

/* Same protocol name and fields as v1, as in Wireshark; the registry
 * lists the fields once (from tp_diss_sll). */
const tp_dissector tp_diss_sll2 = {
	.name = "sll2",
	.longname = "Linux cooked capture v2",
	.keys = sll2_keys,
	.link = true,
	.dissect = sll2_dissect,
	.summarize = sll2_summarize,
};
