/* eth.c - Ethernet II and IEEE 802.3 with 802.2 LLC / SNAP.
 *
 * IEEE 802.3 clause 3.2.6: a type/length field below 0x0600 is a length,
 * and the payload starts with an 802.2 LLC header (IEEE 802.2 clause 3);
 * DSAP = SSAP = 0xAA with UI control is SNAP (RFC 1042), whose OUI 0
 * carries an ethertype.  The length clamps the payload, so the padding of
 * short frames is never read as payload.
 */
#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/layerfields.h"

enum { F_DST, F_SRC, F_TYPE, F_LEN, F_ADDR, F_COUNT };

static const tp_field_def fields[F_COUNT] = {
	[F_DST] = {"eth.dst", "Destination", TP_FT_ETHER, TP_BASE_NONE, NULL, 0},
	[F_SRC] = {"eth.src", "Source", TP_FT_ETHER, TP_BASE_NONE, NULL, 0},
	[F_TYPE] = {"eth.type", "Type", TP_FT_UINT16, TP_BASE_HEX,
		    tp_ethertype_vals, 0},
	[F_LEN] = {"eth.len", "Length", TP_FT_UINT16, TP_BASE_DEC, NULL, 0},
	/* hidden, after each address (as tshark: "dst,src") */
	[F_ADDR] = {"eth.addr", "Address", TP_FT_ETHER,
		    TP_BASE_NONE | TP_BASE_HIDDEN, NULL, 0},
};

const tp_field_def *const tp_fd_eth_src = &fields[F_SRC];
const tp_field_def *const tp_fd_eth_dst = &fields[F_DST];
const tp_field_def *const tp_fd_eth_type = &fields[F_TYPE];

enum { E_LEN, E_COUNT };
static const tp_event_def events[E_COUNT] = {
	[E_LEN] = {"eth.len.past_end", TP_EV_MALFORMED,
		   "802.3 length field is larger than the frame"},
};

static tp_next eth_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off;
	const uint8_t *dst = tp_get_bytes(p, c, &fields[F_DST], 6);
	tp_add_alias(p, &fields[F_ADDR], at, dst, 6);
	at = c->off;
	const uint8_t *src = tp_get_bytes(p, c, &fields[F_SRC], 6);
	tp_add_alias(p, &fields[F_ADDR], at, src, 6);
	at = c->off;
	uint16_t type = tp_be16(c);
	if (!tp_ok(c))
		return TP_STOP;
	if (type >= 0x0600) {
		tp_add_uint(p, &fields[F_TYPE], at, 2, type);
		return tp_next_key(TP_TAB_ETHERTYPE, type);
	}
	tp_add_uint(p, &fields[F_LEN], at, 2, type);
	if (!tp_clamp(c, type))
		tp_add_event(p, &events[E_LEN], at);
	return tp_next_key(TP_TAB_ETHERTYPE, TP_KEY_LLC);
}

static tp_sum eth_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	/* Without -e tcpdump shows the link header only when nothing above
	 * it is understood. */
	bool known = li + 1 < p->nlayers &&
		     p->layers[li + 1].d != &tp_diss_data;
	if (!o->eflag && known)
		return TP_SUM_NEXT;
	const tp_field *src = tp_layer_find(p, li, &fields[F_SRC]);
	const tp_field *dst = tp_layer_find(p, li, &fields[F_DST]);
	const tp_field *type = tp_layer_find(p, li, &fields[F_TYPE]);
	const tp_field *len = tp_layer_find(p, li, &fields[F_LEN]);
	if (!src || !dst)
		return TP_SUM_NEXT;
	tp_sb_mac(s, src->v.p);
	tp_sb_puts(s, " > ");
	tp_sb_mac(s, dst->v.p);
	tp_sb_puts(s, ", ");
	if (type)
		tp_sb_ethertype(s, type->v.u, true);
	else if (len)
		tp_sb_puts(s, "802.3, ");
	tp_sb_puts(s, "length ");
	tp_sb_dec(s, p->len);
	tp_sb_puts(s, ": ");
	return TP_SUM_NEXT;
}

/* Link type 1, and IP protocol 143: Ethernet carried in IPv6 (RFC 8986,
 * SRv6 End.DX2). */
static const tp_key eth_keys[] = {
	{TP_TAB_LINKTYPE, 1}, {TP_TAB_IPPROTO, 143}, {0, 0}};

const tp_dissector tp_diss_eth = {
	.name = "eth",
	.longname = "Ethernet II",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = eth_keys,
	.link = true,
	.dissect = eth_dissect,
	.summarize = eth_summarize,
};

/* ---- 802.2 LLC and SNAP ------------------------------------------- */

enum { L_DSAP, L_SSAP, L_CTRL, L_OUI, L_PID, L_COUNT };

static const tp_valstr sap_vals[] = {
	{0x00, "NULL LSAP"}, {0x06, "IP"},	 {0x42, "STP"},
	{0x98, "ARP"},	     {0xaa, "SNAP"},	 {0xe0, "NetWare"},
	{0xf0, "NetBIOS"},   {0xfe, "ISO Network Layer"},
	{0xff, "Global"},    {0, NULL},
};

static const tp_field_def llc_fields[L_COUNT] = {
	[L_DSAP] = {"llc.dsap", "DSAP", TP_FT_UINT8, TP_BASE_HEX, sap_vals, 0},
	[L_SSAP] = {"llc.ssap", "SSAP", TP_FT_UINT8, TP_BASE_HEX, sap_vals, 0},
	[L_CTRL] = {"llc.control", "Control field", TP_FT_UINT16, TP_BASE_HEX,
		    NULL, 0},
	[L_OUI] = {"llc.oui", "Organization Code", TP_FT_UINT24,
		   TP_BASE_HEX | TP_BASE_OUI,
		   NULL, 0},
	[L_PID] = {"llc.pid", "Protocol ID", TP_FT_UINT16, TP_BASE_HEX,
		   tp_ethertype_vals, 0},
};

const tp_field_def *const tp_fd_llc_pid = &llc_fields[L_PID];

static tp_next llc_dissect(tp_pkt *p, tp_cursor *c)
{
	uint8_t dsap = tp_get_u8(p, c, &llc_fields[L_DSAP]);
	uint8_t ssap = tp_get_u8(p, c, &llc_fields[L_SSAP]);
	size_t at = c->off;
	uint8_t ctrl = tp_u8(c);
	if (!tp_ok(c))
		return TP_STOP;
	/* Control is one byte for U frames (low two bits 11), two for
	 * I and S frames. */
	uint16_t cval = ctrl;
	size_t clen = 1;
	if ((ctrl & 3) != 3) {
		cval = (uint16_t)(ctrl | tp_u8(c) << 8);
		clen = 2;
		if (!tp_ok(c))
			return TP_STOP;
	}
	tp_add_uint(p, &llc_fields[L_CTRL], at, clen, cval);
	if (dsap == 0xaa && ssap == 0xaa && ctrl == 0x03) {
		uint32_t oui = tp_get_be24(p, c, &llc_fields[L_OUI]);
		uint16_t pid = tp_get_be16(p, c, &llc_fields[L_PID]);
		if (!tp_ok(c))
			return TP_STOP;
		if (oui == 0 || oui == 0x0000f8) /* RFC 1042, 802.1H */
			return tp_next_key(TP_TAB_ETHERTYPE, pid);
	}
	return TP_STOP;
}

static tp_sum llc_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	(void)o;
	const tp_field *d = tp_layer_find(p, li, &llc_fields[L_DSAP]);
	const tp_field *ss = tp_layer_find(p, li, &llc_fields[L_SSAP]);
	const tp_field *ct = tp_layer_find(p, li, &llc_fields[L_CTRL]);
	const tp_field *pid = tp_layer_find(p, li, &llc_fields[L_PID]);
	if (pid && li + 1 < p->nlayers && p->layers[li + 1].d != &tp_diss_data)
		return TP_SUM_NEXT; /* SNAP: the next layer speaks */
	tp_sb_puts(s, "LLC");
	if (d) {
		tp_sb_puts(s, ", dsap 0x");
		tp_sb_hex(s, d->v.u, 2);
	}
	if (ss) {
		tp_sb_puts(s, ", ssap 0x");
		tp_sb_hex(s, ss->v.u, 2);
	}
	if (ct) {
		tp_sb_puts(s, ", ctrl 0x");
		tp_sb_hex(s, ct->v.u, ct->len == 1 ? 2 : 4);
	}
	if (pid) {
		tp_sb_puts(s, ", pid 0x");
		tp_sb_hex(s, pid->v.u, 4);
	}
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, p->layers[li].len + p->layers[li].payload_len);
	return TP_SUM_STOP;
}

static const tp_key llc_keys[] = {{TP_TAB_ETHERTYPE, TP_KEY_LLC}, {0, 0}};

const tp_dissector tp_diss_llc = {
	.name = "llc",
	.longname = "Logical-Link Control",
	.fields = llc_fields,
	.nfields = L_COUNT,
	.keys = llc_keys,
	.link = true,
	.dissect = llc_dissect,
	.summarize = llc_summarize,
};
