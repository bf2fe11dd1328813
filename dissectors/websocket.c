/* websocket.c - WebSocket frames (RFC 6455 section 5) on a stream HTTP
 * handed over after "101 Switching Protocols" with "Upgrade: websocket"
 * (tp_app_handoff; no port, no probe of its own).
 *
 * Framing.  pdu_len cuts each direction into frames: 2 bytes, a 16- or
 * 64-bit extended length, a 4-byte masking key when MASK is set, then
 * the payload.  A frame up to WS_FRAME_MAX bytes in all is one PDU
 * (gathered over segments, as tshark does); a longer one (a 64-bit
 * length may claim 2^63 bytes) is never gathered: its head PDU holds the
 * header and the payload bytes shown with it, then its payload comes in
 * continuation PDUs as the bytes arrive, unmasked with the key and the
 * payload offset the direction's state keeps.
 *
 * Fields are Wireshark's: websocket.fin, .rsv, .opcode, .mask,
 * .payload_length (+ _ext_16, _ext_64), .masking_key, .masked_payload,
 * .payload, and by opcode .payload.text (a whole text frame),
 * .payload.close.status_code/.reason, .payload.ping, .payload.pong,
 * .payload.unknown (reserved opcodes).  The payload of a masked frame is
 * unmasked into its own data source ("Unmasked data"); a binary frame's
 * and a long frame's continuation go to the data layer (data.data,
 * data.len) as in tshark.  Fragmented messages are not reassembled: a
 * fragment shows its frame, not the message's text.  Info is tshark's
 * ("WebSocket Text [FIN] [MASKED]"); the one-line text adds it as a note
 * after tcpdump's (" | WebSocket Text [FIN] [MASKED]").
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/record.h"
#include "tapir/registry.h"

/* The longest frame gathered into one PDU (header included). */
#define WS_FRAME_MAX (1u << 20)

enum {
	F_FIN,
	F_RSV,
	F_OPCODE,
	F_MASK,
	F_PLEN,
	F_PLEN16,
	F_PLEN64,
	F_KEY,
	F_MASKED_PAYLOAD,
	F_PAYLOAD,
	F_TEXT,
	F_CLOSE,
	F_CLOSE_CODE,
	F_CLOSE_REASON,
	F_PING,
	F_PONG,
	F_UNKNOWN,
	F_COUNT_
};

enum { E_LEN64, E_CONTROL, E_LONG, E_COUNT_ };

static const tp_valstr opcode_vals[] = {
	{0, "Continuation"}, {1, "Text"},  {2, "Binary"},
	{8, "Connection Close"}, {9, "Ping"}, {10, "Pong"},
	{0, NULL},
};

static const tp_valstr close_vals[] = {
	{1000, "Normal Closure"},
	{1001, "Going Away"},
	{1002, "Protocol error"},
	{1003, "Unsupported Data"},
	{1005, "No Status Rcvd"},
	{1006, "Abnormal Closure"},
	{1007, "Invalid frame payload data"},
	{1008, "Policy Violation"},
	{1009, "Message Too Big"},
	{1010, "Mandatory Ext."},
	{1011, "Internal Server"},
	{1015, "TLS handshake"},
	{0, NULL},
};

#define WF(a, n, t, base) {a, n, t, base, NULL, 0}
#define WB(a, n) WF(a, n, TP_FT_BYTES, TP_BASE_NONE)
#define WN(a, n) WF(a, n, TP_FT_NONE, TP_BASE_NONE)
static const tp_field_def fields[F_COUNT_] = {
	[F_FIN] = {"websocket.fin", "Fin", TP_FT_BOOLEAN, 8, NULL, 0x80},
	[F_RSV] = {"websocket.rsv", "Reserved", TP_FT_UINT8, TP_BASE_HEX, NULL,
		   0x70},
	[F_OPCODE] = {"websocket.opcode", "Opcode", TP_FT_UINT8, TP_BASE_DEC,
		      opcode_vals, 0x0f},
	[F_MASK] = {"websocket.mask", "Mask", TP_FT_BOOLEAN, 8, NULL, 0x80},
	[F_PLEN] = {"websocket.payload_length", "Payload length", TP_FT_UINT8,
		    TP_BASE_DEC, NULL, 0x7f},
	[F_PLEN16] = WF("websocket.payload_length_ext_16",
			"Extended Payload length (16 bits)", TP_FT_UINT16,
			TP_BASE_DEC),
	[F_PLEN64] = WF("websocket.payload_length_ext_64",
			"Extended Payload length (64 bits)", TP_FT_UINT64,
			TP_BASE_DEC),
	[F_KEY] = WB("websocket.masking_key", "Masking-Key"),
	[F_MASKED_PAYLOAD] = WN("websocket.masked_payload", "Masked payload"),
	[F_PAYLOAD] = WN("websocket.payload", "Payload"),
	[F_TEXT] = WF("websocket.payload.text", "Text", TP_FT_STRING,
		      TP_BASE_NONE),
	[F_CLOSE] = WN("websocket.payload.close", "Close"),
	[F_CLOSE_CODE] = {"websocket.payload.close.status_code", "Status code",
			  TP_FT_UINT16, TP_BASE_DEC, close_vals, 0},
	[F_CLOSE_REASON] = WF("websocket.payload.close.reason", "Reason",
			      TP_FT_STRING, TP_BASE_NONE),
	[F_PING] = WB("websocket.payload.ping", "Ping"),
	[F_PONG] = WB("websocket.payload.pong", "Pong"),
	[F_UNKNOWN] = WB("websocket.payload.unknown", "Unknown"),
};
#undef WF
#undef WB
#undef WN

static const tp_event_def events[E_COUNT_] = {
	[E_LEN64] = {"websocket.payload_length.bad", TP_EV_MALFORMED,
		     "64-bit payload length with its most significant bit "
		     "set"},
	[E_CONTROL] = {"websocket.control.bad", TP_EV_MALFORMED,
		       "Control frame fragmented or longer than 125 bytes"},
	[E_LONG] = {"websocket.frame.long", TP_EV_NOTE,
		    "Frame longer than 1 MiB: its payload is shown as it "
		    "comes, not gathered"},
};

#define FD(i) (&fields[i])

extern const tp_dissector tp_diss_websocket;

/* ---- state and framing ------------------------------------------------ */

typedef struct ws_dir {
	uint64_t rem;  /* payload bytes of a long frame still to come */
	uint64_t done; /* its payload bytes already passed */
	uint8_t key[4];
	bool masked;
	bool cont; /* the PDU last cut continues a long frame's payload */
} ws_dir;

static void *ws_state_new(uint8_t proto, int dir)
{
	(void)proto;
	(void)dir;
	return calloc(1, sizeof(ws_dir));
}

static void ws_state_free(void *st) { free(st); }

typedef struct ws_head {
	size_t hlen; /* header bytes */
	uint64_t plen;
	uint8_t b0, b1;
	const uint8_t *key; /* NULL: not masked */
} ws_head;

/* The header at the cursor: false when its bytes are not all there
 * (h->hlen then says how many it needs, when known). */
static bool head(tp_cursor c, ws_head *h)
{
	memset(h, 0, sizeof *h);
	h->hlen = 2;
	if (!tp_has(&c, 2))
		return false;
	h->b0 = tp_u8(&c);
	h->b1 = tp_u8(&c);
	unsigned l7 = h->b1 & 0x7f;
	h->hlen += (l7 == 126 ? 2 : l7 == 127 ? 8 : 0) +
		   (h->b1 & 0x80 ? 4 : 0);
	if (!tp_has(&c, h->hlen - 2))
		return false;
	h->plen = l7 == 126 ? tp_be16(&c) : l7 == 127 ? tp_be64(&c) : l7;
	if (h->b1 & 0x80)
		h->key = tp_bytes(&c, 4);
	return true;
}

static size_t ws_pdu_len(void *st, const uint8_t *b, size_t n)
{
	ws_dir *w = st;
	if (w) {
		w->cont = w->rem > 0;
		if (w->cont) {
			size_t k = w->rem < n ? (size_t)w->rem : n;
			w->rem -= k;
			w->done += k;
			return k;
		}
	}
	ws_head h;
	if (!head(tp_cursor_make(b, n, n), &h))
		return h.hlen > n ? h.hlen : 0;
	if (h.plen <= WS_FRAME_MAX - h.hlen)
		return h.hlen + (size_t)h.plen;
	/* a long frame: its head and what is here of its payload */
	size_t k = n - h.hlen;
	if (w) {
		w->rem = h.plen - k;
		w->done = k;
		w->masked = h.key != NULL;
		if (h.key)
			memcpy(w->key, h.key, 4);
	}
	return h.hlen + k;
}

static void ws_gap(void *st, uint64_t n)
{
	ws_dir *w = st;
	if (!w)
		return;
	if (n < w->rem) { /* inside a long frame's payload: it holds */
		w->rem -= n;
		w->done += n;
		return;
	}
	/* else the next frame start is unknown: what follows is read as a
	 * frame, as tshark does */
	w->rem = 0;
}

/* ---- dissect ------------------------------------------------------------ */

/* The payload's n bytes at the cursor, unmasked (key, from payload
 * offset `at`) into their own data source when masked: a cursor over
 * them, the record reading that source from here on.  The cursor moves
 * past the payload. */
static tp_cursor payload(tp_pkt *p, tp_cursor *c, size_t n,
			 const uint8_t *key, uint64_t at)
{
	size_t off = c->off;
	const uint8_t *b = tp_bytes(c, n);
	tp_cursor out = {NULL, 0, 0, 0, TP_OK};
	if (!b)
		return out;
	if (!key) {
		out = tp_cursor_make(c->base, off + n, off + n);
		out.off = off;
		return out;
	}
	int src = tp_src_copy(p, "Unmasked data", TP_SRC_DERIVED, b, n);
	size_t sn = 0;
	uint8_t *u = src < 0 ? NULL
			     : (uint8_t *)(uintptr_t)tp_src_bytes(
				       p, (unsigned)src, &sn);
	if (!u || sn != n)
		return out; /* the record is full: no payload view */
	for (size_t i = 0; i < n; i++)
		u[i] ^= key[(at + i) & 3];
	p->src_cur = (uint8_t)src;
	tp_meta_sync(p);
	return tp_cursor_make(u, n, n);
}

/* The payload pl to the data layer; the frame's layer ends at `end`
 * (its header: the pipeline measures it only on an unmoved cursor). */
static tp_next to_data(tp_pkt *p, tp_cursor *c, tp_cursor pl, size_t end)
{
	tp_layer *l = &p->layers[p->nlayers - 1];
	l->len = (uint32_t)(end > l->off ? end - l->off : 0);
	*c = pl;
	return tp_next_key(TP_TAB_NAME, tp_registry_index(&tp_diss_data));
}

/* A long frame's payload after its head. */
static tp_next continuation(tp_pkt *p, tp_cursor *c, const ws_dir *w)
{
	size_t n = tp_avail(c), at = c->off;
	tp_add_uint(p, FD(F_PAYLOAD), at, n, 0);
	tp_cursor pl = payload(p, c, n, w->masked ? w->key : NULL,
			       w->done - n);
	return pl.base && n ? to_data(p, c, pl, at) : TP_STOP;
}

/* The content of a control or text frame's payload. */
static void content(tp_pkt *p, tp_cursor pl, unsigned op, bool fin)
{
	size_t at = pl.off, n = tp_avail(&pl);
	const uint8_t *b = tp_bytes(&pl, n);
	tp_push(p);
	if (op == 1 && fin) {
		tp_add_bytes(p, FD(F_TEXT), at, n, b, n);
	} else if (op == 8 && n >= 2) {
		tp_add_uint(p, FD(F_CLOSE), at, n, 0);
		tp_push(p);
		tp_add_uint(p, FD(F_CLOSE_CODE), at, 2,
			    (unsigned)b[0] << 8 | b[1]);
		if (n > 2)
			tp_add_bytes(p, FD(F_CLOSE_REASON), at + 2, n - 2, b + 2,
				     n - 2);
		tp_pop(p);
	} else if (op == 9 || op == 10) {
		tp_add_bytes(p, FD(op == 9 ? F_PING : F_PONG), at, n, b, n);
	} else if ((op >= 3 && op <= 7) || op >= 11) {
		tp_add_bytes(p, FD(F_UNKNOWN), at, n, b, n);
	}
	tp_pop(p);
}

static tp_next ws_dissect(tp_pkt *p, tp_cursor *c)
{
	const ws_dir *w = tp_app_state(p);
	if (w && w->cont)
		return continuation(p, c, w);
	size_t at = c->off;
	ws_head h;
	if (!head(*c, &h)) { /* the bytes end inside the header */
		tp_fail(c, TP_TRUNCATED);
		return TP_STOP;
	}
	unsigned op = h.b0 & 15, l7 = h.b1 & 0x7f;
	bool fin = h.b0 & 0x80;
	tp_add_uint(p, FD(F_FIN), at, 1, fin);
	tp_add_uint(p, FD(F_RSV), at, 1, (h.b0 & 0x70) >> 4);
	tp_add_uint(p, FD(F_OPCODE), at, 1, op);
	tp_add_uint(p, FD(F_MASK), at + 1, 1, h.key != NULL);
	tp_add_uint(p, FD(F_PLEN), at + 1, 1, l7);
	tp_skip(c, 2);
	if (l7 == 126)
		tp_get_be16(p, c, FD(F_PLEN16));
	if (l7 == 127) {
		tp_add_uint(p, FD(F_PLEN64), c->off, 8, h.plen);
		if (h.plen >> 63)
			tp_add_event(p, &events[E_LEN64], c->off);
		tp_skip(c, 8);
	}
	if (h.key)
		tp_get_bytes(p, c, FD(F_KEY), 4);
	if (op >= 8 && (!fin || h.plen > 125))
		tp_add_event(p, &events[E_CONTROL], at);
	size_t avail = tp_avail(c);
	size_t n = h.plen < avail ? (size_t)h.plen : avail;
	bool more = avail > n; /* no state: frames follow in these bytes */
	/* the payload goes on past these bytes: a long frame's head, or
	 * (no state) the bytes end inside it */
	bool cut = h.plen > n;
	if (cut && w)
		tp_add_event(p, &events[E_LONG], at);
	if (h.plen) {
		uint8_t src0 = p->src_cur;
		size_t pat = c->off;
		if (h.key)
			tp_add_uint(p, FD(F_MASKED_PAYLOAD), pat, n, 0);
		tp_cursor pl = payload(p, c, n, h.key, 0);
		tp_add_uint(p, FD(F_PAYLOAD), pl.base ? pl.off : pat, n, 0);
		if (pl.base && op == 2 && !more && n && (w || !cut))
			return to_data(p, c, pl, pat);
		if (pl.base)
			content(p, pl, op, fin);
		if (p->src_cur != src0) { /* the frame's source again */
			p->src_cur = src0;
			tp_meta_sync(p);
		}
	}
	if (cut && !w)
		tp_fail(c, TP_TRUNCATED);
	if (more && tp_ok(c))
		return tp_next_key(TP_TAB_NAME,
				   tp_registry_index(&tp_diss_websocket));
	return TP_STOP;
}

/* ---- Info and the line -------------------------------------------------- */

static void ws_info(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	uint64_t op = 0, fin = 0, mask = 0;
	tp_sb_puts(s, "WebSocket");
	if (!tp_layer_u64(p, li, FD(F_OPCODE), &op)) {
		tp_sb_puts(s, " Continuation of a long frame");
		return;
	}
	tp_layer_u64(p, li, FD(F_FIN), &fin);
	tp_layer_u64(p, li, FD(F_MASK), &mask);
	const char *name = tp_valstr_find(opcode_vals, (uint32_t)op);
	tp_sb_putc(s, ' ');
	tp_sb_puts(s, name ? name : "Unknown");
	tp_sb_puts(s, fin ? " [FIN] " : "[FRAGMENT]  ");
	if (mask)
		tp_sb_puts(s, "[MASKED]");
}

/* Frame notes on one line at most; the rest are counted. */
#define WS_NOTES_MAX 8

/* " | " and Info for each frame head in the packet, after tcpdump's
 * text (which knows no WebSocket). */
static tp_sum ws_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			   const tp_outopts *o)
{
	(void)o;
	unsigned shown = 0, more = 0;
	for (unsigned k = li; k < p->nlayers; k++) {
		if (p->layers[k].d != &tp_diss_websocket ||
		    !tp_layer_find(p, k, FD(F_OPCODE)))
			continue;
		if (shown == WS_NOTES_MAX) {
			more++;
			continue;
		}
		shown++;
		size_t mark = s->len;
		tp_sb_puts(s, " | ");
		ws_info(p, k, s);
		while (s->len > mark && s->buf[s->len - 1] == ' ')
			s->len--; /* Info's trailing blanks */
	}
	if (more) {
		tp_sb_puts(s, " | ");
		tp_sb_dec(s, more);
		tp_sb_puts(s, " more WebSocket frames");
	}
	return TP_SUM_STOP;
}

const tp_dissector tp_diss_websocket = {
	.name = "websocket",
	.longname = "WebSocket",
	.fields = fields,
	.nfields = F_COUNT_,
	.events = events,
	.nevents = E_COUNT_,
	.dissect = ws_dissect,
	.summarize = ws_summarize,
	.state_new = ws_state_new,
	.state_free = ws_state_free,
	.pdu_len = ws_pdu_len,
	.gap = ws_gap,
	.pdu_max = WS_FRAME_MAX,
	.colname = "WebSocket",
	.info = ws_info,
};
