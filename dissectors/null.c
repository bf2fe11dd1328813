/* null.c - BSD loopback encapsulation: LINKTYPE_NULL and LINKTYPE_LOOP.
 *
 * https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html: a 4-byte address
 * family (AF_ value) in the byte order of the host that captured, so it
 * is guessed here as Wireshark's packet-null.c and tcpdump's print-null.c
 * do: an AF_ value is small, so whichever reading leaves the upper bytes
 * zero is the right one.  LINKTYPE_LOOP (OpenBSD) has the same header in
 * network byte order.  The BSDs disagree on AF_INET6 (24 NetBSD/OpenBSD,
 * 28 FreeBSD, 30 Darwin; 10 on Linux); AF_INET is 2 everywhere.  A value
 * above 1500 is an ethertype (Wireshark's null.type).
 */
#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/proto.h"

enum { F_TYPE, F_FAMILY, F_COUNT };

enum {
	LT_NULL = 0,
	LT_LOOP = 108,
};

enum {
	AF_INET_ = 2,
	AF_NS_ = 6,
	AF_ISO_ = 7,
	AF_APPLETALK_ = 16,
	AF_IPX_ = 23,
	AF_INET6_LINUX = 10,
	AF_INET6_BSD = 24,
	AF_INET6_FREEBSD = 28,
	AF_INET6_DARWIN = 30,
};

#define MAX_FAMILY 1500 /* above: an ethertype (IEEE 802.3 max length) */

/* Wireshark's names. */
static const tp_valstr family_vals[] = {
	{AF_INET_, "IP"},
	{AF_ISO_, "OSI"},
	{AF_APPLETALK_, "Appletalk"},
	{AF_IPX_, "Netware IPX/SPX"},
	{AF_INET6_BSD, "IPv6"},
	{AF_INET6_FREEBSD, "IPv6"},
	{AF_INET6_DARWIN, "IPv6"},
	{0, NULL},
};

/* tcpdump's names (bsd_af_values). */
static const tp_valstr af_vals[] = {
	{AF_INET_, "IPv4"},
	{AF_NS_, "NS"},
	{AF_ISO_, "ISO"},
	{AF_APPLETALK_, "Appletalk"},
	{AF_IPX_, "IPX"},
	{AF_INET6_BSD, "IPv6"},
	{AF_INET6_FREEBSD, "IPv6"},
	{AF_INET6_DARWIN, "IPv6"},
	{0, NULL},
};

static const tp_field_def fields[F_COUNT] = {
	[F_TYPE] = {"null.type", "Type", TP_FT_UINT16, TP_BASE_HEX,
		    tp_ethertype_vals, 0},
	[F_FAMILY] = {"null.family", "Family", TP_FT_UINT32, TP_BASE_DEC,
		      family_vals, 0},
};

static uint32_t swap32(uint32_t v)
{
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

/* The family from the header read little-endian (Wireshark's reading on
 * a little-endian host, packet-null.c). */
static uint32_t guess_family(uint32_t le)
{
	if (le & 0xffff0000u) {
		/* an AF_ value in the upper 16 bits (IRIX), or big-endian */
		if (!(le & 0xff000000u) && (le & 0x00ff0000u) < 0x00060000u)
			return le >> 16;
		return swap32(le);
	}
	/* a 16-bit big-endian value in the first two bytes */
	if (!(le & 0xff) && (le & 0xff00) < 0x0600)
		return le >> 8;
	return le;
}

static tp_next null_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off;
	uint32_t family;
	if (p->linktype == LT_LOOP)
		family = tp_be32(c);
	else
		family = guess_family(tp_le32(c));
	if (!tp_ok(c))
		return TP_STOP;
	if (family > MAX_FAMILY && family <= 0xffff && p->linktype != LT_LOOP) {
		tp_add_uint(p, &fields[F_TYPE], at, 4, family);
		return tp_next_key(TP_TAB_ETHERTYPE, family);
	}
	tp_add_uint(p, &fields[F_FAMILY], at, 4, family);
	switch (family) {
	case AF_INET_:
		return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV4);
	case AF_INET6_LINUX:
	case AF_INET6_BSD:
	case AF_INET6_FREEBSD:
	case AF_INET6_DARWIN:
		return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV6);
	default: /* ISO, AppleTalk, IPX, ...: not dissected */
		return TP_STOP;
	}
}

/* tcpdump (print-null.c): "AF IPv4 (2), length 84: " with -e, or when the
 * family is not understood. */
static tp_sum null_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			     const tp_outopts *o)
{
	const tp_field *f = tp_layer_find(p, li, &fields[F_FAMILY]);
	if (!f)
		f = tp_layer_find(p, li, &fields[F_TYPE]);
	if (!f)
		return TP_SUM_NEXT; /* cut: "[|null]" */
	bool known = li + 1 < p->nlayers &&
		     p->layers[li + 1].d != &tp_diss_data;
	if (!o->eflag && known)
		return TP_SUM_NEXT;
	const char *n = tp_valstr_find(af_vals, (uint32_t)f->v.u);
	if (o->qflag) {
		if (n) {
			tp_sb_puts(s, n);
		} else {
			tp_sb_puts(s, "Unknown AF ");
			tp_sb_dec(s, f->v.u);
		}
	} else {
		tp_sb_puts(s, "AF ");
		tp_sb_puts(s, n ? n : "Unknown");
		tp_sb_puts(s, " (");
		tp_sb_dec(s, f->v.u);
		tp_sb_putc(s, ')');
	}
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, p->len);
	tp_sb_puts(s, ": ");
	return TP_SUM_NEXT;
}

static const tp_key null_keys[] = {
	{TP_TAB_LINKTYPE, LT_NULL},
	{TP_TAB_LINKTYPE, LT_LOOP},
	{0, 0},
};

const tp_dissector tp_diss_null = {
	.name = "null",
	.longname = "Null/Loopback",
	.fields = fields,
	.nfields = F_COUNT,
	.keys = null_keys,
	.link = true,
	.dissect = null_dissect,
	.summarize = null_summarize,
};
