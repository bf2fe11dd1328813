/* raw.c - raw IP link types: no link header at all.
 *
 * https://www.tcpdump.org/linktypes.html: LINKTYPE_RAW (101; DLT_RAW is 12
 * on most systems and 14 on OpenBSD, and old files carry those numbers)
 * starts with an IPv4 or IPv6 header, told apart by the version nibble
 * (RFC 791 section 3.1, RFC 8200 section 3).  LINKTYPE_IPV4 (228) and
 * LINKTYPE_IPV6 (229) promise one version; like tcpdump and Wireshark,
 * the nibble still wins, and the link type decides only when the nibble
 * is neither 4 nor 6 (so the IP dissector reports the bad version).
 */
#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/proto.h"

enum {
	LT_DLT_RAW = 12,
	LT_DLT_RAW_OPENBSD = 14,
	LT_RAW = 101,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
};

static tp_next raw_dissect(tp_pkt *p, tp_cursor *c)
{
	int b = tp_peek(c, 0); /* not consumed: the header is empty */
	int version = b < 0 ? -1 : b >> 4;
	if (version == 4)
		return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV4);
	if (version == 6)
		return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV6);
	if (p->linktype == LT_IPV4)
		return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV4);
	if (p->linktype == LT_IPV6)
		return tp_next_key(TP_TAB_ETHERTYPE, TP_ETH_IPV6);
	if (b < 0 && tp_reported(c))
		tp_fail(c, TP_TRUNCATED); /* the capture cut the version byte */
	return TP_STOP; /* whatever it is, it is data */
}

/* tcpdump (print-raw.c) says "ip: " with -e and nothing otherwise; its
 * ipN_print goes by the version nibble whatever the link type, and
 * says "unknown ip N" for neither 4 nor 6. */
static tp_sum raw_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	if (o->eflag)
		tp_sb_puts(s, "ip: ");
	tp_cursor c = tp_layer_cursor(p, li);
	int b = tp_peek(&c, 0);
	if (b >= 0 && b >> 4 != 4 && b >> 4 != 6) {
		tp_sb_puts(s, "unknown ip ");
		tp_sb_dec(s, (unsigned)b >> 4);
		return TP_SUM_STOP;
	}
	return TP_SUM_NEXT;
}

static const tp_key raw_keys[] = {
	{TP_TAB_LINKTYPE, LT_DLT_RAW},
	{TP_TAB_LINKTYPE, LT_DLT_RAW_OPENBSD},
	{TP_TAB_LINKTYPE, LT_RAW},
	{TP_TAB_LINKTYPE, LT_IPV4},
	{TP_TAB_LINKTYPE, LT_IPV6},
	{0, 0},
};

const tp_dissector tp_diss_raw = {
	.name = "raw",
	.longname = "Raw packet data",
	.keys = raw_keys,
	.link = true,
	.dissect = raw_dissect,
	.summarize = raw_summarize,
};
