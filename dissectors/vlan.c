/* vlan.c - IEEE 802.1Q VLAN tags, 802.1ad service tags and stacks of them.
 *
 * IEEE 802.1Q-2018 clause 9.6: after the TPID (the ethertype that brought
 * us here: 0x8100 C-tag, 0x88a8 S-tag, or the pre-standard 0x9100) comes a
 * 16-bit TCI - priority code point (3 bits), drop eligible indicator
 * (1 bit, the CFI of 802.1Q-2005) and VLAN identifier (12 bits) - and then
 * the type/length field of the frame, read as in IEEE 802.3 clause 3.2.6:
 * below 0x0600 it is a length and an 802.2 LLC header follows.
 *
 * Each tag is its own layer; the dispatch loop hands a stacked tag back
 * here, and p->nvlan caps the depth at TP_MAX_VLAN.  Field names follow
 * Wireshark, which shows an S-tag (0x88a8) as protocol "ieee8021ad" with
 * its own fields and a C-tag or a 0x9100 tag as "vlan": one function
 * serves both, and an S-tag layer is relabelled tp_diss_ieee8021ad.
 */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/layerfields.h"

enum { F_PRI, F_DEI, F_ID, F_ETYPE, F_LEN, F_COUNT };
enum { A_PRI, A_DEI, A_ID, A_ETYPE, A_LEN, A_COUNT };

/* IEEE 802.1D-2004 Table G-2, names as Wireshark shows them. */
static const tp_valstr pri_vals[] = {
	{0, "Best Effort (default)"},
	{1, "Background"},
	{2, "Excellent Effort"},
	{3, "Critical Applications"},
	{4, "Video, < 100ms latency and jitter"},
	{5, "Voice, < 10ms latency and jitter"},
	{6, "Internetwork Control"},
	{7, "Network Control"},
	{0, NULL},
};

static const tp_field_def fields[F_COUNT] = {
	[F_PRI] = {"vlan.priority", "Priority", TP_FT_UINT16, TP_BASE_DEC,
		   pri_vals, 0xe000},
	[F_DEI] = {"vlan.dei", "DEI", TP_FT_BOOLEAN, 16, NULL, 0x1000},
	[F_ID] = {"vlan.id", "ID", TP_FT_UINT16, TP_BASE_DEC, NULL, 0x0fff},
	[F_ETYPE] = {"vlan.etype", "Type", TP_FT_UINT16, TP_BASE_HEX,
		     tp_ethertype_vals, 0},
	[F_LEN] = {"vlan.len", "Length", TP_FT_UINT16, TP_BASE_DEC, NULL, 0},
};

/* Wireshark's packet-ieee8021ah.c (its DEI is a plain number).  The
 * type after an S-tag is Wireshark's ieee8021ah.etype; tapir names it
 * ieee8021ad.etype, as every field's name starts with its protocol's. */
static const tp_field_def ad_fields[A_COUNT] = {
	[A_PRI] = {"ieee8021ad.priority", "Priority", TP_FT_UINT16,
		   TP_BASE_DEC, NULL, 0xe000},
	[A_DEI] = {"ieee8021ad.dei", "DEI", TP_FT_UINT16, TP_BASE_DEC, NULL,
		   0x1000},
	[A_ID] = {"ieee8021ad.id", "ID", TP_FT_UINT16, TP_BASE_DEC, NULL,
		  0x0fff},
	[A_ETYPE] = {"ieee8021ad.etype", "Type", TP_FT_UINT16, TP_BASE_HEX,
		     tp_ethertype_vals, 0},
	[A_LEN] = {"ieee8021ad.len", "Length", TP_FT_UINT16, TP_BASE_DEC, NULL,
		   0},
};

_Static_assert((int)A_PRI == (int)F_PRI && (int)A_DEI == (int)F_DEI &&
		       (int)A_ID == (int)F_ID && (int)A_ETYPE == (int)F_ETYPE &&
		       (int)A_LEN == (int)F_LEN && (int)A_COUNT == (int)F_COUNT,
	       "both tables line up");

extern const tp_dissector tp_diss_vlan, tp_diss_ieee8021ad;

enum { E_DEPTH, E_LEN, E_COUNT };
static const tp_event_def events[E_COUNT] = {
	[E_DEPTH] = {"vlan.too_many_tags", TP_EV_MALFORMED,
		     "Too many nested VLAN tags"},
	[E_LEN] = {"vlan.len.past_end", TP_EV_MALFORMED,
		   "Length field value goes past the end of the payload"},
};

/* The TPID that selected this layer is the type field the layer below
 * ended with.  Decode-as and unknown parents count as 802.1Q. */
static uint64_t tpid_of(const tp_pkt *p)
{
	const tp_field_def *const types[] = {
		tp_fd_eth_type, &fields[F_ETYPE], &ad_fields[A_ETYPE],
		tp_fd_sll_etype, tp_fd_llc_pid};
	uint64_t v;
	if (p->nlayers < 2)
		return TP_ETH_VLAN;
	for (size_t i = 0; i < TP_COUNT(types); i++)
		if (tp_layer_u64(p, p->nlayers - 2, types[i], &v))
			return v;
	return TP_ETH_VLAN;
}

static tp_next vlan_dissect(tp_pkt *p, tp_cursor *c)
{
	if (p->nvlan >= TP_MAX_VLAN) {
		tp_add_event(p, &events[E_DEPTH], c->off);
		return TP_STOP;
	}
	p->nvlan++;
	const tp_field_def *f = fields;
	if (tpid_of(p) == TP_ETH_QINQ) {
		tp_cur_layer(p)->d = &tp_diss_ieee8021ad;
		f = ad_fields;
	}
	size_t at = c->off;
	uint16_t tci = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &f[F_PRI], at, 2, tci >> 13);
	tp_add_uint(p, &f[F_DEI], at, 2, (tci >> 12) & 1);
	tp_add_uint(p, &f[F_ID], at, 2, tci & 0x0fff);
	if (p->nvlan <= 2 && !p->in_error)
		p->vlan_id[p->nvlan - 1] = tci & 0x0fff; /* flow key */
	at = c->off;
	uint16_t type = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	if (type >= 0x0600) {
		tp_add_uint(p, &f[F_ETYPE], at, 2, type);
		return tp_next_key(TP_TAB_ETHERTYPE, type);
	}
	tp_add_uint(p, &f[F_LEN], at, 2, type);
	if (!tp_clamp(c, type))
		tp_add_event(p, &events[E_LEN], at);
	return tp_next_key(TP_TAB_ETHERTYPE, TP_KEY_LLC);
}

static const tp_field *find2(const tp_pkt *p, unsigned li, unsigned i)
{
	const tp_field *f = tp_layer_find(p, li, &fields[i]);
	if (!f)
		f = tp_layer_find(p, li, &ad_fields[i]);
	return f;
}

static bool is_tag(const tp_dissector *d)
{
	return d == &tp_diss_vlan || d == &tp_diss_ieee8021ad;
}

/* The link layer under this stack of tags. */
static unsigned base_layer(const tp_pkt *p, unsigned li)
{
	while (li > 1 && is_tag(p->layers[li - 1].d))
		li--;
	return li - 1;
}

/* tcpdump (print-ether.c, print-sll.c) prints the tag only with -e; an
 * Ethernet frame whose inner type it does not understand gets the
 * Ethernet header printed instead, with the innermost type. */
static tp_sum vlan_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			     const tp_outopts *o)
{
	const tp_field *id = find2(p, li, F_ID);
	const tp_field *pri = find2(p, li, F_PRI);
	const tp_field *dei = find2(p, li, F_DEI);
	const tp_field *type = find2(p, li, F_ETYPE);
	const tp_field *len = find2(p, li, F_LEN);
	if (!id || !pri || !dei || (!type && !len))
		return TP_SUM_NEXT; /* cut inside the tag: "[|vlan]" */
	unsigned bl = base_layer(p, li);
	bool sll = strncmp(p->layers[bl].d->name, "sll", 3) == 0;
	bool known = li + 1 < p->nlayers &&
		     p->layers[li + 1].d != &tp_diss_data;
	if (o->eflag) {
		tp_sb_puts(s, "vlan ");
		tp_sb_dec(s, id->v.u);
		tp_sb_puts(s, ", p ");
		tp_sb_dec(s, pri->v.u);
		if (dei->v.u)
			tp_sb_puts(s, ", DEI");
		tp_sb_puts(s, ", ");
		if (type && !o->qflag)
			tp_sb_ethertype(s, type->v.u, !sll);
		else if (len && !sll)
			tp_sb_puts(s, "802.3"); /* sic, no separator */
		return TP_SUM_NEXT;
	}
	if (sll) {
		if (type && !o->qflag)
			tp_sb_ethertype(s, type->v.u, false);
		return TP_SUM_NEXT;
	}
	if (known || !type)
		return TP_SUM_NEXT;
	const tp_field *src = tp_layer_find(p, bl, tp_fd_eth_src);
	const tp_field *dst = tp_layer_find(p, bl, tp_fd_eth_dst);
	if (src && dst && src->vlen >= 6 && dst->vlen >= 6) {
		tp_sb_mac(s, src->v.p);
		tp_sb_puts(s, " > ");
		tp_sb_mac(s, dst->v.p);
		tp_sb_puts(s, ", ");
	}
	tp_sb_ethertype(s, type->v.u, true);
	tp_sb_puts(s, "length ");
	tp_sb_dec(s, p->len);
	tp_sb_puts(s, ": ");
	return TP_SUM_NEXT;
}

static const tp_key vlan_keys[] = {
	{TP_TAB_ETHERTYPE, TP_ETH_VLAN},
	{TP_TAB_ETHERTYPE, TP_ETH_QINQ},
	{TP_TAB_ETHERTYPE, TP_ETH_QINQ_OLD},
	{0, 0},
};

const tp_dissector tp_diss_vlan = {
	.name = "vlan",
	.longname = "802.1Q Virtual LAN",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = vlan_keys,
	.link = true,
	.dissect = vlan_dissect,
	.summarize = vlan_summarize,
};

/* An S-tag layer: not selected by a key of its own (vlan claims 0x88a8
 * and relabels the layer), listed in the registry for its fields. */
const tp_dissector tp_diss_ieee8021ad = {
	.name = "ieee8021ad",
	.longname = "IEEE 802.1ad",
	.fields = ad_fields,
	.nfields = A_COUNT,
	.link = true,
	.dissect = vlan_dissect,
	.summarize = vlan_summarize,
};
