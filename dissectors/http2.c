/* http2.c - HTTP/2 (RFC 9113) frames over TCP streams: the framing, each
 * frame's fields, header blocks through HPACK (hpack.c), and the
 * connection's life (http2_conn.c: streams, request/response pairing,
 * flow-control windows, bodies, --stats http2).
 *
 * Finding it.  No port of its own: the probe takes the client preface
 * ("PRI * HTTP/2.0..."), or a run of whole, plausible frame headers (a
 * server's SETTINGS that comes first, a capture that starts
 * mid-connection).  On HTTP's ports HTTP hands the flow over: a 101 with
 * "Upgrade: h2c" (tp_app_handoff), or bytes HTTP does not know that
 * this probe takes (tp_app_reprobe: prior knowledge on port 80).
 *
 * Framing.  pdu_len cuts each direction into the preface (24 bytes) and
 * frames (9-byte header + payload): a frame up to H2_FRAME_MAX bytes is
 * one PDU (gathered over segments); a longer one is a head PDU (its
 * header and the payload bytes there) and then continuation PDUs as the
 * bytes come, as websocket.c does.  After a gap the next bytes must look
 * like a frame header, else they are passed over until a segment does.
 *
 * Each frame is its own layer (several frames in a segment: several
 * layers), fields are Wireshark's http2.* (http2.type, .streamid,
 * .flags, .length, the SETTINGS, WINDOW_UPDATE, PRIORITY, RST_STREAM,
 * GOAWAY and PUSH_PROMISE fields, http2.header.name/.value and the
 * pseudo-headers as http2.headers.method ...), Info is tshark's
 * ("HEADERS[1]: GET /index.html, WINDOW_UPDATE[1]"), and the one-line
 * text adds it after tcpdump's (" | HEADERS[1]: 200 OK, DATA[1]").
 *
 * dissect() runs once per PDU, in order, in every run (the one-line text
 * shows the frames): it keeps the HPACK tables (one per direction) and
 * the streams.  Without state (a fuzz harness, a flow over the memory
 * cap) it reads the bytes it is given as frames, a header block with a
 * table of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "http2_int.h"
#include "tapir/output.h"
#include "tapir/record.h"
#include "tapir/registry.h"

const tp_valstr h2_type_vals[] = {
	{0, "DATA"},	     {1, "HEADERS"},	  {2, "PRIORITY"},
	{3, "RST_STREAM"},   {4, "SETTINGS"},	  {5, "PUSH_PROMISE"},
	{6, "PING"},	     {7, "GOAWAY"},	  {8, "WINDOW_UPDATE"},
	{9, "CONTINUATION"}, {10, "ALTSVC"},	  {11, "BLOCKED"},
	{12, "ORIGIN"},	     {16, "PRIORITY_UPDATE"}, {0, NULL},
};

static const tp_valstr error_vals[] = {
	{0, "NO_ERROR"},	   {1, "PROTOCOL_ERROR"},
	{2, "INTERNAL_ERROR"},	   {3, "FLOW_CONTROL_ERROR"},
	{4, "SETTINGS_TIMEOUT"},   {5, "STREAM_CLOSED"},
	{6, "FRAME_SIZE_ERROR"},   {7, "REFUSED_STREAM"},
	{8, "CANCEL"},		   {9, "COMPRESSION_ERROR"},
	{10, "CONNECT_ERROR"},	   {11, "ENHANCE_YOUR_CALM"},
	{12, "INADEQUATE_SECURITY"}, {13, "HTTP_1_1_REQUIRED"},
	{0, NULL},
};

static const tp_valstr settings_vals[] = {
	{1, "Header table size"}, {2, "Enable PUSH"},
	{3, "Max concurrent streams"}, {4, "Initial Windows size"},
	{5, "Max frame size"}, {6, "Max header list size"},
	{8, "Extended CONNECT"}, {0, NULL},
};

#define F_(a, n, t, b) {a, n, t, b, NULL, 0}
#define FS(a, n) F_(a, n, TP_FT_STRING, TP_BASE_NONE)
#define FB(a, n) F_(a, n, TP_FT_BYTES, TP_BASE_NONE)
#define FN(a, n) F_(a, n, TP_FT_NONE, TP_BASE_NONE)
#define FU(a, n, t) F_(a, n, t, TP_BASE_DEC)
const tp_field_def tp_http2_fields[H2F_COUNT_] = {
	[H2F_STREAM] = FN("http2.stream", "Stream"),
	[H2F_LENGTH] = FU("http2.length", "Length", TP_FT_UINT24),
	[H2F_TYPE] = {"http2.type", "Type", TP_FT_UINT8, TP_BASE_DEC,
		      h2_type_vals, 0},
	[H2F_FLAGS] = F_("http2.flags", "Flags", TP_FT_UINT8, TP_BASE_HEX),
	[H2F_FL_END_STREAM] = {"http2.flags.end_stream", "End Stream",
			       TP_FT_BOOLEAN, 8, NULL, 0x1},
	[H2F_FL_EH] = {"http2.flags.eh", "End Headers", TP_FT_BOOLEAN, 8, NULL,
		       0x4},
	[H2F_FL_PADDED] = {"http2.flags.padded", "Padded", TP_FT_BOOLEAN, 8,
			   NULL, 0x8},
	[H2F_FL_PRIORITY] = {"http2.flags.priority", "Priority", TP_FT_BOOLEAN,
			     8, NULL, 0x20},
	[H2F_FL_ACK_SETTINGS] = {"http2.flags.ack.settings", "ACK",
				 TP_FT_BOOLEAN, 8, NULL, 0x1},
	[H2F_FL_ACK_PING] = {"http2.flags.ack.ping", "ACK", TP_FT_BOOLEAN, 8,
			     NULL, 0x1},
	[H2F_R] = {"http2.r", "Reserved", TP_FT_UINT32, TP_BASE_HEX, NULL,
		   0x80000000u},
	[H2F_STREAMID] = {"http2.streamid", "Stream Identifier", TP_FT_UINT32,
			  TP_BASE_DEC, NULL, 0x7fffffffu},
	[H2F_MAGIC] = FS("http2.magic", "Magic"),
	/* tshark puts the Pad Length byte in http2.padding */
	[H2F_PAD_LENGTH] = F_("http2.padding", "Pad Length", TP_FT_UINT8,
			      TP_BASE_HEX),
	[H2F_EXCLUSIVE] = {"http2.exclusive", "Exclusive", TP_FT_BOOLEAN, 32,
			   NULL, 0x80000000u},
	[H2F_DEP] = {"http2.stream_dependency", "Stream Dependency",
		     TP_FT_UINT32, TP_BASE_DEC, NULL, 0x7fffffffu},
	[H2F_WEIGHT] = FU("http2.headers.weight", "Weight", TP_FT_UINT8),
	[H2F_WEIGHT_REAL] = FU("http2.headers.weight_real", "Weight real",
			       TP_FT_UINT16),
	[H2F_DATA] = FB("http2.data.data", "Data"),
	[H2F_DATA_PAD] = FB("http2.data.padding", "Padding"),
	[H2F_HDRS] = FB("http2.headers", "Header Block Fragment"),
	[H2F_HDRS_PAD] = FB("http2.headers.padding", "Padding"),
	[H2F_HEADER] = FN("http2.header", "Header"),
	[H2F_H_LENGTH] = FU("http2.header.length", "Header Length",
			    TP_FT_UINT32),
	[H2F_H_NAME_LEN] = FU("http2.header.name.length", "Name Length",
			      TP_FT_UINT32),
	[H2F_H_NAME] = FS("http2.header.name", "Name"),
	[H2F_H_VALUE_LEN] = FU("http2.header.value.length", "Value Length",
			       TP_FT_UINT32),
	[H2F_H_VALUE] = FS("http2.header.value", "Value"),
	[H2F_H_REPR] = FS("http2.header.repr", "Representation"),
	[H2F_H_INDEX] = FU("http2.header.index", "Index", TP_FT_UINT32),
	[H2F_H_UNKNOWN_INDEX] = FU("http2.header.unknown_index",
				   "Unknown dynamic-table index",
				   TP_FT_UINT32),
	[H2F_H_COUNT] = FU("http2.header.count", "Header Count", TP_FT_UINT32),
	[H2F_H_ERROR] = FS("http2.header.error", "HPACK decoding error"),
	[H2F_METHOD] = FS("http2.headers.method", ":method"),
	[H2F_PATH] = FS("http2.headers.path", ":path"),
	[H2F_AUTHORITY] = FS("http2.headers.authority", ":authority"),
	[H2F_SCHEME] = FS("http2.headers.scheme", ":scheme"),
	[H2F_STATUS] = FU("http2.headers.status", ":status", TP_FT_UINT16),
	[H2F_CONTENT_TYPE] = FS("http2.headers.content_type", "content-type"),
	[H2F_CONTENT_ENCODING] = FS("http2.headers.content_encoding",
				    "content-encoding"),
	[H2F_CONTENT_LENGTH] = FU("http2.headers.content_length",
				  "content-length", TP_FT_UINT64),
	[H2F_USER_AGENT] = FS("http2.headers.user_agent", "user-agent"),
	[H2F_SERVER] = FS("http2.headers.server", "server"),
	[H2F_LOCATION] = FS("http2.headers.location", "location"),
	[H2F_FULL_URI] = FS("http2.request.full_uri", "Full request URI"),
	[H2F_RST_ERROR] = {"http2.rst_stream.error", "Error", TP_FT_UINT32,
			   TP_BASE_DEC, error_vals, 0},
	[H2F_SETTINGS] = FN("http2.settings", "Settings"),
	[H2F_SET_ID] = {"http2.settings.id", "Settings Identifier",
			TP_FT_UINT16, TP_BASE_DEC, settings_vals, 0},
	[H2F_SET_HTS] = FU("http2.settings.header_table_size",
			   "Header table size", TP_FT_UINT32),
	[H2F_SET_PUSH] = FU("http2.settings.enable_push", "Enable PUSH",
			    TP_FT_UINT32),
	[H2F_SET_MCS] = FU("http2.settings.max_concurrent_streams",
			   "Max concurrent streams", TP_FT_UINT32),
	[H2F_SET_IWS] = FU("http2.settings.initial_window_size",
			   "Initial Windows Size", TP_FT_UINT32),
	[H2F_SET_MFS] = FU("http2.settings.max_frame_size", "Max frame size",
			   TP_FT_UINT32),
	[H2F_SET_MHLS] = FU("http2.settings.max_header_list_size",
			    "Max header list size", TP_FT_UINT32),
	[H2F_SET_ECONNECT] = FU("http2.settings.extended_connect",
				"Extended CONNECT", TP_FT_UINT32),
	[H2F_SET_UNKNOWN] = FU("http2.settings.unknown", "Unknown Settings",
			       TP_FT_UINT32),
	[H2F_PP_R] = {"http2.push_promise.r", "Reserved", TP_FT_UINT32,
		      TP_BASE_HEX, NULL, 0x80000000u},
	[H2F_PP_ID] = {"http2.push_promise.promised_stream_id",
		       "Promised-Stream-ID", TP_FT_UINT32, TP_BASE_DEC, NULL,
		       0x7fffffffu},
	[H2F_PP_HDR] = FB("http2.push_promise.header", "Header Block Fragment"),
	[H2F_PP_PAD] = FB("http2.push_promise.padding", "Padding"),
	[H2F_PING] = FB("http2.ping", "Ping"),
	[H2F_PONG] = FB("http2.pong", "Pong"),
	/* sic: Wireshark's abbreviation */
	[H2F_GA_R] = {"http2.goway.r", "Reserved", TP_FT_UINT32, TP_BASE_HEX,
		      NULL, 0x80000000u},
	[H2F_GA_LAST] = {"http2.goaway.last_stream_id", "Last-Stream-ID",
			 TP_FT_UINT32, TP_BASE_DEC, NULL, 0x7fffffffu},
	[H2F_GA_ERR] = {"http2.goaway.error", "Error", TP_FT_UINT32,
			TP_BASE_DEC, error_vals, 0},
	[H2F_GA_DATA] = FB("http2.goaway.addata", "Additional Debug Data"),
	[H2F_WU_R] = {"http2.window_update.r", "Reserved", TP_FT_UINT32,
		      TP_BASE_HEX, NULL, 0x80000000u},
	[H2F_WU_INC] = {"http2.window_update.window_size_increment",
			"Window Size Increment", TP_FT_UINT32, TP_BASE_DEC,
			NULL, 0x7fffffffu},
	[H2F_CONT_HDR] = FB("http2.continuation.header",
			    "Continuation Header"),
	[H2F_UNKNOWN] = FB("http2.unknown", "Unknown"),
	[H2F_CONTINUED] = FB("http2.continued",
			     "Payload of a long frame, continued"),
	[H2F_REQUEST_IN] = F_("http2.request_in", "Request in frame",
			      TP_FT_FRAMENUM, TP_BASE_NONE),
	[H2F_TIME] = F_("http2.time", "Time since request",
			TP_FT_RELATIVE_TIME, TP_BASE_NONE),
	[H2F_PUSH_IN] = F_("http2.push_promise_in", "Promised in frame",
			   TP_FT_FRAMENUM, TP_BASE_NONE),
	[H2F_WIN_STREAM] = F_("http2.window.stream",
			      "Stream window after this frame", TP_FT_INT32,
			      TP_BASE_DEC),
	[H2F_WIN_CONN] = F_("http2.window.connection",
			    "Connection window after this frame",
			    TP_FT_INT32, TP_BASE_DEC),
	[H2F_BODY_LEN] = FU("http2.body.reassembled.length",
			    "Reassembled body length", TP_FT_UINT32),
	[H2F_BODY_DATA] = FB("http2.body.reassembled.data",
			     "Reassembled body data"),
	[H2F_BODY_CTYPE] = FS("http2.body.content_type",
			      "Content type of the body this frame ends"),
};
#undef F_
#undef FS
#undef FB
#undef FN
#undef FU

const tp_event_def tp_http2_events[H2E_COUNT_] = {
	[H2E_FRAME_SIZE] = {"http2.frame.bad_length", TP_EV_MALFORMED,
			    "Frame length wrong for its type"},
	[H2E_STREAM_ID] = {"http2.streamid.bad", TP_EV_MALFORMED,
			   "Stream identifier wrong for the frame type"},
	[H2E_PADDING] = {"http2.padding.bad", TP_EV_MALFORMED,
			 "Pad length not less than the payload"},
	[H2E_HPACK] = {"http2.header.decode_failed", TP_EV_MALFORMED,
		       "Header block could not be decoded to its end"},
	[H2E_UNKNOWN_INDEX] = {"http2.header.index_unknown", TP_EV_NOTE,
			       "Header references a dynamic-table entry not "
			       "seen (the capture started mid-connection or "
			       "lost a header block)"},
	[H2E_BLOCK_LONG] = {"http2.header.block_too_long", TP_EV_WARN,
			    "Header block longer than 64 KiB: not decoded, "
			    "the dynamic table is reset"},
	[H2E_LIST_CAP] = {"http2.header_size_exceeded", TP_EV_WARN,
			  "Decoded header list over the cap: headers past it "
			  "not shown (an HPACK bomb?)"},
	[H2E_CONTINUATION] = {"http2.continuation.unexpected",
			      TP_EV_MALFORMED,
			      "CONTINUATION without a header block to "
			      "continue, or a header block interrupted"},
	[H2E_WIN_EXHAUSTED] = {"http2.window.exhausted", TP_EV_NOTE,
			       "Flow-control window exhausted: the sender "
			       "waits for a WINDOW_UPDATE"},
	[H2E_WIN_EXCEEDED] = {"http2.window.exceeded", TP_EV_WARN,
			      "DATA beyond the flow-control window"},
	[H2E_LONG] = {"http2.frame.long", TP_EV_NOTE,
		      "Frame longer than 1 MiB: its payload is shown as it "
		      "comes, not gathered"},
	[H2E_BODY_CAPPED] = {"http2.body.capped", TP_EV_WARN,
			     "Decoded body cut at a cap (size, ratio or "
			     "memory: a decompression bomb?)"},
	[H2E_BODY_BAD] = {"http2.body_decompression_failed", TP_EV_WARN,
			  "Content-Encoding data corrupt, cut short or "
			  "missing: the decoded body is cut there"},
	[H2E_GAP] = {"http2.gap", TP_EV_WARN,
		     "Bytes missing in the capture: frames resynchronised, "
		     "the dynamic table reset"},
	[H2E_MEM] = {"http2.memory_cap", TP_EV_WARN,
		     "The reassembly memory cap is reached: the dynamic "
		     "table is dropped"},
};

/* ---- framing ------------------------------------------------------------ */

static uint32_t be24(const uint8_t *b)
{
	return (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* Could h[0..9) head a frame (a known type with its length and stream
 * rules)?  The probe's and the resynchronisation's test. */
static bool plausible(const uint8_t *h)
{
	uint32_t len = be24(h), sid = be32(h + 5);
	unsigned type = h[3], fl = h[4];
	if (sid >> 31 || len > H2_FRAME_MAX - H2_HDR)
		return false;
	switch (type) {
	case T_DATA:
	case T_HEADERS:
	case T_PUSH_PROMISE:
	case T_CONTINUATION:
		return sid != 0;
	case T_PRIORITY:
		return sid != 0 && len == 5;
	case T_RST_STREAM:
		return sid != 0 && len == 4;
	case T_SETTINGS:
		return sid == 0 && len % 6 == 0 && (fl & 0xfe) == 0 &&
		       !(fl & 1 && len);
	case T_PING:
		return sid == 0 && len == 8;
	case T_GOAWAY:
		return sid == 0 && len >= 8;
	case T_WINDOW_UPDATE:
		return len == 4;
	default:
		return false;
	}
}

/* Where a frame may start in b[0..n) after the framing was lost: 0 when
 * the bytes start like one (a segment often starts a frame), else the
 * first offset whose 9 bytes head a frame by stricter rules (a stream id
 * below 2^20 and a length within the default 16 384: inside random
 * payload that is about one offset in 10^8), else all but the last 8
 * bytes (a header may straddle them). */
static size_t resync(const uint8_t *b, size_t n)
{
	if (plausible(b))
		return 0;
	for (size_t i = 1; i + H2_HDR <= n; i++) {
		const uint8_t *h = b + i;
		if (h[0] == 0 && (h[1] < 0x40 || (h[1] == 0x40 && !h[2])) &&
		    h[5] == 0 && h[6] < 0x10 &&
		    plausible(h))
			return i;
	}
	return n - (H2_HDR - 1);
}

/* The preface, or its first n bytes? */
static bool preface_prefix(const uint8_t *b, size_t n)
{
	return memcmp(b, H2_PREFACE, n < H2_PREFACE_LEN ? n : H2_PREFACE_LEN) ==
	       0;
}

static tp_probe h2_probe(const uint8_t *b, size_t n, uint8_t proto)
{
	if (proto != 6)
		return TP_PROBE_NO;
	if (preface_prefix(b, n))
		return n >= H2_PREFACE_LEN ? TP_PROBE_YES : TP_PROBE_MORE;
	/* whole plausible frames up to the bytes' end, or two whole ones
	 * and one the bytes cut */
	size_t pos = 0;
	unsigned whole = 0;
	while (pos + H2_HDR <= n) {
		if (!plausible(b + pos))
			return TP_PROBE_NO;
		pos += H2_HDR + be24(b + pos);
		if (pos <= n)
			whole++;
	}
	return whole && (pos == n || whole >= 2) ? TP_PROBE_YES : TP_PROBE_NO;
}

static void *h2_state_new(uint8_t proto, int dir)
{
	(void)proto;
	h2dir *h = calloc(1, sizeof *h);
	if (h) {
		h->dir = (uint8_t)(dir & 1);
		/* the first bytes must be the preface or look like a frame
		 * header: a state made again after an RST (the peer's
		 * frames in flight) starts inside a frame */
		h->sync = true;
	}
	return h;
}

static void h2_state_free(void *st)
{
	h2dir *h = st;
	if (!h)
		return;
	if (h->c) {
		h2_mem_give(h->c, h->bcap);
		h2_conn_release(h->c);
	}
	free(h->blk);
	free(h);
}

static void h2_state_pair(void *a, void *b)
{
	h2dir *x = a, *y = b;
	x->peer = y;
	y->peer = x;
}

static size_t h2_pdu_len(void *st, const uint8_t *b, size_t n)
{
	h2dir *h = st;
	if (h && h->rem) { /* a long frame's payload */
		h->kind = K_CONT;
		size_t k = h->rem < n ? (size_t)h->rem : n;
		h->rem -= k;
		h->done += k;
		return k;
	}
	bool first = !h || !h->begun;
	if (h)
		h->begun = true;
	if (first && preface_prefix(b, n)) {
		if (h) {
			h->kind = K_PREFACE;
			h->fresh = true;
		}
		return H2_PREFACE_LEN;
	}
	if (n < H2_HDR)
		return H2_HDR;
	if (h && h->sync) {
		size_t i = resync(b, n);
		if (i) { /* not a frame start: passed over up to one */
			h->kind = K_JUNK;
			return i;
		}
		h->sync = false;
	}
	if (h && first && b[3] == T_SETTINGS && !(b[4] & 1))
		h->fresh = true; /* a server's first frame */
	size_t len = H2_HDR + be24(b);
	if (h)
		h->kind = K_FRAME;
	if (len <= H2_FRAME_MAX)
		return len;
	/* a long frame: its head and what is here of its payload */
	size_t k = n - H2_HDR;
	if (h) {
		h->kind = K_HEAD;
		memcpy(h->lh, b, H2_HDR);
		h->lpad = (b[4] & 0x8) && n > H2_HDR ? b[H2_HDR] : 0;
		h->rem = len - n;
		h->done = k;
	}
	return H2_HDR + k;
}

static void h2_gap(void *st, uint64_t n)
{
	h2dir *h = st;
	if (!h)
		return;
	h->gapped = true;
	if (n < h->rem) { /* inside a long frame's payload: it holds */
		h->rem -= n;
		h->done += n;
		return;
	}
	h->rem = 0;
	h->sync = true;
}

/* ---- header blocks ------------------------------------------------------ */

typedef struct hblock {
	tp_pkt *p;
	size_t at;     /* the fragment's offset: where the fields point */
	unsigned count;
	uint64_t hlen; /* http2.header.length: the block's decoded size */
	const uint8_t *ce, *ct;
	size_t cen, ctn;
	const uint8_t *method, *path, *auth, *scheme;
	size_t methodn, pathn, authn, schemen;
	bool status;
	unsigned code;
} hblock;

static const char *repr_name(unsigned fl, uint32_t index)
{
	if (fl & HPACK_F_INDEXED)
		return "Indexed Header Field";
	static const char *const r[3][2] = {
		{"Literal Header Field with Incremental Indexing - New Name",
		 "Literal Header Field with Incremental Indexing - Indexed Name"},
		{"Literal Header Field never Indexed - New Name",
		 "Literal Header Field never Indexed - Indexed Name"},
		{"Literal Header Field without Indexing - New Name",
		 "Literal Header Field without Indexing - Indexed Name"},
	};
	int k = fl & HPACK_F_INCREMENTAL ? 0 : fl & HPACK_F_NEVER_INDEXED ? 1 : 2;
	return r[k][index != 0];
}

/* A string into the packet's arena (decoded strings are not the
 * packet's bytes); NULL when the arena is full. */
static const uint8_t *keep(tp_pkt *p, const char *s, size_t n)
{
	uint8_t *d = tp_arena_alloc(p, n ? n : 1);
	if (d && n)
		memcpy(d, s, n);
	return d;
}

static bool is(const hpack_header *h, const char *s)
{
	size_t n = strlen(s);
	return h->name && h->name_len == n && memcmp(h->name, s, n) == 0;
}

static const struct {
	const char *name;
	int f;
} surfaced[] = {
	{":method", H2F_METHOD},
	{":path", H2F_PATH},
	{":authority", H2F_AUTHORITY},
	{":scheme", H2F_SCHEME},
	{"content-type", H2F_CONTENT_TYPE},
	{"content-encoding", H2F_CONTENT_ENCODING},
	{"user-agent", H2F_USER_AGENT},
	{"server", H2F_SERVER},
	{"location", H2F_LOCATION},
};

static unsigned dec(const char *v, size_t n, bool *ok)
{
	uint64_t x = 0;
	*ok = n > 0 && n <= 19;
	for (size_t i = 0; i < n && *ok; i++) {
		if (v[i] < '0' || v[i] > '9')
			*ok = false;
		else
			x = x * 10 + (unsigned)(v[i] - '0');
	}
	return (unsigned)(x > UINT32_MAX ? UINT32_MAX : x);
}

static void header_cb(void *ctx, const hpack_header *h)
{
	hblock *k = ctx;
	tp_pkt *p = k->p;
	size_t at = k->at;
	k->count++;
	const uint8_t *nm = h->name ? keep(p, h->name, h->name_len) : NULL;
	const uint8_t *v = h->value ? keep(p, h->value, h->value_len) : NULL;
	tp_add_uint(p, H2FD(H2F_HEADER), at, 0, 0);
	tp_push(p);
	/* Wireshark's: each as two lengths and the strings, an unknown
	 * name as its "<unknown>" */
	k->hlen += (nm ? h->name_len : 9) + (v ? h->value_len : 0) + 8;
	if (nm) {
		tp_add_uint(p, H2FD(H2F_H_NAME_LEN), at, 0, h->name_len);
		tp_add_bytes(p, H2FD(H2F_H_NAME), at, 0, nm, h->name_len);
	}
	if (v) {
		tp_add_uint(p, H2FD(H2F_H_VALUE_LEN), at, 0, h->value_len);
		tp_add_bytes(p, H2FD(H2F_H_VALUE), at, 0, v, h->value_len);
	}
	const char *r = repr_name(h->flags, h->index);
	tp_add_bytes(p, H2FD(H2F_H_REPR), at, 0, (const uint8_t *)r,
		     strlen(r));
	if (h->index)
		tp_add_uint(p, H2FD(H2F_H_INDEX), at, 0, h->index);
	if (h->flags & HPACK_F_UNKNOWN)
		tp_add_uint(p, H2FD(H2F_H_UNKNOWN_INDEX), at, 0, h->index);
	tp_pop(p);
	if (!v || !nm)
		return;
	if (is(h, ":status")) {
		bool ok;
		unsigned code = dec(h->value, h->value_len, &ok);
		if (ok) {
			tp_add_uint(p, H2FD(H2F_STATUS), at, 0, code);
			k->status = true;
			k->code = code;
		}
		return;
	}
	if (is(h, "content-length")) {
		bool ok;
		unsigned x = dec(h->value, h->value_len, &ok);
		if (ok)
			tp_add_uint(p, H2FD(H2F_CONTENT_LENGTH), at, 0, x);
		return;
	}
	for (size_t i = 0; i < TP_COUNT(surfaced); i++) {
		if (!is(h, surfaced[i].name))
			continue;
		tp_add_bytes(p, H2FD(surfaced[i].f), at, 0, v, h->value_len);
		switch (surfaced[i].f) {
		case H2F_METHOD:
			k->method = v, k->methodn = h->value_len;
			break;
		case H2F_PATH:
			k->path = v, k->pathn = h->value_len;
			break;
		case H2F_AUTHORITY:
			k->auth = v, k->authn = h->value_len;
			break;
		case H2F_SCHEME:
			k->scheme = v, k->schemen = h->value_len;
			break;
		case H2F_CONTENT_TYPE:
			k->ct = v, k->ctn = h->value_len;
			break;
		case H2F_CONTENT_ENCODING:
			k->ce = v, k->cen = h->value_len;
			break;
		}
		return;
	}
}

/* tshark's http2.request.full_uri: scheme://authority/path. */
static void full_uri(tp_pkt *p, const hblock *k)
{
	if (!k->scheme || !k->auth || !k->path)
		return;
	size_t n = k->schemen + 3 + k->authn + k->pathn;
	uint8_t *u = tp_arena_alloc(p, n);
	if (!u)
		return;
	memcpy(u, k->scheme, k->schemen);
	memcpy(u + k->schemen, "://", 3);
	memcpy(u + k->schemen + 3, k->auth, k->authn);
	memcpy(u + k->schemen + 3 + k->authn, k->path, k->pathn);
	tp_add_bytes(p, H2FD(H2F_FULL_URI), k->at, 0, u, n);
}

/* A whole header block b[0..n) sent in direction `dir` on stream `sid`
 * (the promised stream for a PUSH_PROMISE): decoded with that
 * direction's table (or a table of its own without state), its headers
 * into the record, the stream's life moved on. */
static void header_block(tp_pkt *p, h2dir *h, size_t at, const uint8_t *b,
			 size_t n, uint32_t sid, bool end_stream, bool promise)
{
	hblock k = {.p = p, .at = at};
	h2conn *c = h ? h2_conn(p, h) : NULL;
	int dir = h ? h->dir : 0;
	hpack_table own, *t = c ? h2_table(c, dir) : NULL;
	if (!t) {
		hpack_table_init(&own, HPACK_DEFAULT_SIZE);
		t = &own;
	}
	hpack_info info;
	hpack_status st = hpack_decode(t, b, n, header_cb, &k, NULL, &info);
	if (t == &own)
		hpack_table_free(&own);
	else
		h2_table_charge(p, c, dir);
	tp_add_uint(p, H2FD(H2F_H_LENGTH), at, 0, k.hlen);
	tp_add_uint(p, H2FD(H2F_H_COUNT), at, 0, k.count);
	if (info.unknown)
		tp_add_event(p, H2EV(H2E_UNKNOWN_INDEX), at);
	if (st == HPACK_ERR_LIST_CAP) {
		tp_add_event(p, H2EV(H2E_LIST_CAP), at);
	} else if (st != HPACK_OK) {
		const char *e = hpack_status_str(st);
		tp_add_bytes(p, H2FD(H2F_H_ERROR), at, 0, (const uint8_t *)e,
			     strlen(e));
		tp_add_event(p, H2EV(H2E_HPACK), at);
	}
	full_uri(p, &k);
	if (!c)
		return;
	h2stream *s = h2_stream(c, sid, true);
	if (!s)
		return;
	int64_t now = p->ts_sec * 1000000000ll + p->ts_nsec;
	if (promise) { /* the request the server made for the client */
		s->push_frame = p->number;
		s->have_req = true;
		s->req_dir = (uint8_t)(dir ^ 1);
		s->req_frame = p->number;
		s->req_ts = now;
	} else if (k.method && !s->have_req) {
		s->have_req = true;
		s->req_dir = (uint8_t)dir;
		s->req_frame = p->number;
		s->req_ts = now;
	}
	http_msg_stat ms = {.request = k.method != NULL,
			    .response = k.status,
			    .has_code = k.status,
			    .method = k.method, .mn = k.methodn,
			    .host = k.auth, .hn = k.authn,
			    .type = k.ct, .tn = k.ctn,
			    .code = k.code};
	if (k.status && s->have_req && s->req_dir != dir) {
		tp_add_uint(p, H2FD(H2F_REQUEST_IN), at, 0, s->req_frame);
		tp_field *x = tp_field_append(p, H2FD(H2F_TIME), at, 0);
		if (x)
			x->v.i = now - s->req_ts;
		ms.timed = true;
		ms.time = now - s->req_ts;
		if (s->push_frame)
			tp_add_uint(p, H2FD(H2F_PUSH_IN), at, 0,
				    s->push_frame);
	}
	if (!p->lean && (ms.request || ms.response)) /* --stats http */
		http_stats_msg(p, &ms, &s->stats_ct[dir]);
	if (k.method && h2_bodies_wanted(p)) { /* for the export */
		h2_str_free(c, &s->host);
		h2_str_free(c, &s->path);
		if (k.auth)
			s->host = h2_strdup(c, k.auth, k.authn, 256);
		if (k.path)
			s->path = h2_strdup(c, k.path, k.pathn, 2048);
	}
	if ((k.method || k.status) && (!p->lean || h2_bodies_wanted(p))) {
		/* the body's type: Info, the export */
		h2_str_free(c, &s->ctype[dir]);
		if (k.ctn)
			s->ctype[dir] = h2_strdup(c, k.ct, k.ctn, 256);
	}
	if (promise)
		return; /* the promised stream's frames come later */
	h2_stream_open(c, s);
	if (k.method || k.status) {
		s->whole[dir] = true;
		s->data_len[dir] = 0;
	}
	if (s->body_on[dir]) /* trailers: the body ends with them */
		h2_body_end(p, c, s, dir, at, NULL);
	else if (!end_stream && (k.method || k.status) &&
		 !(k.status && k.code < 200))
		h2_body_start(p, c, s, dir, k.ce, k.cen);
	if (end_stream) {
		s->ended[dir] = true;
		if (s->ended[dir ^ 1])
			h2_stream_close(c, s, false);
	}
}

/* A HEADERS / PUSH_PROMISE / CONTINUATION fragment b[0..n): the block
 * decoded when it ends (END_HEADERS), joined in the direction's state
 * until then. */
static void fragment(tp_pkt *p, h2dir *h, size_t at, const uint8_t *b,
		     size_t n, unsigned type, uint32_t sid, unsigned fl,
		     uint32_t promised)
{
	bool eh = fl & 0x4;
	if (type != T_CONTINUATION) {
		if (h && h->blk_on) /* the last block never ended */
			tp_add_event(p, H2EV(H2E_CONTINUATION), at);
		if (h) {
			h->blk_on = false;
			h->blen = 0;
		}
		if (eh) {
			bool pp = type == T_PUSH_PROMISE;
			header_block(p, h, at, b, n, pp ? promised : sid,
				     !pp && (fl & 0x1), pp);
			return;
		}
		if (!h)
			return;
		h->blk_on = true;
		h->blk_over = false;
		h->blk_type = (uint8_t)type;
		h->blk_id = sid;
		h->blk_promised = promised;
		h->blk_es = fl & 0x1;
	} else if (!h || !h->blk_on || h->blk_id != sid) {
		tp_add_event(p, H2EV(H2E_CONTINUATION), at);
		return;
	}
	if (!h->blk_over && h->blen + n > H2_BLOCK_MAX)
		h->blk_over = true;
	if (!h->blk_over && h->blen + n > h->bcap) {
		size_t cap = h->bcap ? h->bcap : 4096;
		while (cap < h->blen + n)
			cap *= 2;
		/* the growth charged to the reassembly memory cap (a block
		 * held open on each of many flows) */
		h2conn *cn = h2_conn(p, h);
		bool took = cn && h2_mem_take(cn, cap - h->bcap);
		uint8_t *nb = took ? realloc(h->blk, cap) : NULL;
		if (nb) {
			h->blk = nb;
			h->bcap = cap;
		} else {
			if (took)
				h2_mem_give(cn, cap - h->bcap);
			h->blk_over = true;
		}
	}
	if (!h->blk_over && n) {
		memcpy(h->blk + h->blen, b, n);
		h->blen += n;
	}
	if (!eh)
		return;
	h->blk_on = false;
	bool pp = h->blk_type == T_PUSH_PROMISE;
	if (h->blk_over) {
		tp_add_event(p, H2EV(H2E_BLOCK_LONG), at);
		h2conn *c = h2_conn(p, h);
		if (c)
			h2_table_reset(c, h->dir);
	} else {
		header_block(p, h, at, h->blk, h->blen,
			     pp ? h->blk_promised : h->blk_id,
			     !pp && h->blk_es, pp);
	}
	h->blen = 0;
	if (h->bcap > 4096) { /* a big block's buffer is not kept */
		h2_mem_give(h->c, h->bcap);
		free(h->blk);
		h->blk = NULL;
		h->bcap = 0;
	}
}

/* ---- frames ---------------------------------------------------------- */

/* The payload's padding: the pad length byte read (field added), *n
 * cut to the data; false when the pad is too long. */
static bool unpad(tp_pkt *p, tp_cursor *c, unsigned fl, size_t *n,
		  size_t *pad)
{
	*pad = 0;
	if (!(fl & 0x8))
		return true;
	if (*n < 1) {
		tp_add_event(p, H2EV(H2E_PADDING), c->off);
		return false;
	}
	size_t at = c->off;
	unsigned pl = tp_get_u8(p, c, H2FD(H2F_PAD_LENGTH));
	(*n)--;
	if (pl > *n) {
		tp_add_event(p, H2EV(H2E_PADDING), at);
		return false;
	}
	*pad = pl;
	*n -= pl;
	return true;
}

static void priority(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off;
	uint32_t v = tp_be32(c);
	unsigned w = tp_u8(c);
	if (!tp_ok(c))
		return;
	tp_add_uint(p, H2FD(H2F_EXCLUSIVE), at, 4, v >> 31);
	tp_add_uint(p, H2FD(H2F_DEP), at, 4, v & 0x7fffffff);
	tp_add_uint(p, H2FD(H2F_WEIGHT), at + 4, 1, w);
	tp_add_uint(p, H2FD(H2F_WEIGHT_REAL), at + 4, 1, w + 1);
}

/* One setting's fields: at/len where they point (len 0: decoded bytes,
 * not the packet's). */
static void setting(tp_pkt *p, size_t at, size_t len, unsigned id,
		    uint32_t v)
{
	static const int ids[] = {0, H2F_SET_HTS, H2F_SET_PUSH, H2F_SET_MCS,
				  H2F_SET_IWS, H2F_SET_MFS, H2F_SET_MHLS,
				  0, H2F_SET_ECONNECT};
	tp_add_uint(p, H2FD(H2F_SETTINGS), at, len, 0);
	tp_push(p);
	tp_add_uint(p, H2FD(H2F_SET_ID), at, len ? 2 : 0, id);
	int f = id < TP_COUNT(ids) && ids[id] ? ids[id] : H2F_SET_UNKNOWN;
	tp_add_uint(p, H2FD(f), len ? at + 2 : at, len ? 4 : 0, v);
	tp_pop(p);
}

void http2_settings_fields(tp_pkt *p, size_t at, size_t len,
			   const uint8_t *b, size_t n)
{
	(void)len;
	tp_cursor c = tp_cursor_make(b, n, n);
	while (tp_avail(&c) >= 6) {
		unsigned id = tp_be16(&c);
		setting(p, at, 0, id, tp_be32(&c));
	}
}

size_t http2_settings_decode(const uint8_t *v, size_t n, uint8_t *out,
			     size_t cap)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = v[i], x;
		if (c >= 'A' && c <= 'Z')
			x = c - 'A';
		else if (c >= 'a' && c <= 'z')
			x = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			x = c - '0' + 52;
		else if (c == '-' || c == '+')
			x = 62;
		else if (c == '_' || c == '/')
			x = 63;
		else if (c == '=')
			break;
		else
			return 0;
		acc = (acc << 6 | x) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (k == cap)
				return 0;
			out[k++] = (uint8_t)(acc >> bits);
		}
	}
	return k;
}

static void settings(tp_pkt *p, h2dir *h, tp_cursor *c, size_t n,
		     bool ack)
{
	h2conn *cn = h ? h2_conn(p, h) : NULL;
	for (size_t i = 0; i + 6 <= n; i += 6) {
		size_t at = c->off;
		unsigned id = tp_be16(c);
		uint32_t v = tp_be32(c);
		if (!tp_ok(c))
			return;
		setting(p, at, 6, id, v);
		if (cn && !ack)
			h2_setting_apply(cn, h->dir, id, v);
	}
}

static void window_update(tp_pkt *p, h2dir *h, tp_cursor *c, uint32_t sid)
{
	size_t at = c->off;
	uint32_t v = tp_be32(c);
	if (!tp_ok(c))
		return;
	tp_add_uint(p, H2FD(H2F_WU_R), at, 4, v >> 31);
	tp_add_uint(p, H2FD(H2F_WU_INC), at, 4, v & 0x7fffffff);
	h2conn *cn = h ? h2_conn(p, h) : NULL;
	if (!cn)
		return;
	int peer = h->dir ^ 1; /* its window grows */
	int64_t inc = v & 0x7fffffff, w;
	if (!sid) {
		w = cn->conn_win[peer] += inc;
	} else {
		h2stream *s = h2_stream(cn, sid, false);
		if (!s)
			return;
		w = s->win[peer] += inc;
	}
	if (cn->win_known)
		tp_add_uint(p, H2FD(sid ? H2F_WIN_STREAM : H2F_WIN_CONN), at, 4,
			    (uint64_t)w);
}

/* DATA's accounting: windows, the body, the stream's end. */
static void data_frame(tp_pkt *p, h2dir *h, size_t at, const uint8_t *b,
		       size_t n, size_t flow, uint32_t sid, bool es)
{
	h2conn *cn = h ? h2_conn(p, h) : NULL;
	if (!cn)
		return;
	int d = h->dir;
	h2stream *s = h2_stream(cn, sid, true);
	int64_t cb = cn->conn_win[d];
	cn->conn_win[d] -= (int64_t)flow;
	if (s) {
		int64_t sb = s->win[d];
		s->win[d] -= (int64_t)flow;
		if (cn->win_known) {
			tp_field *x = tp_field_append(p, H2FD(H2F_WIN_STREAM),
						      at, 0);
			if (x)
				x->v.i = s->win[d];
			if ((sb >= 0 && s->win[d] < 0) ||
			    (cb >= 0 && cn->conn_win[d] < 0))
				tp_add_event(p, H2EV(H2E_WIN_EXCEEDED), at);
			else if (flow && (s->win[d] == 0 ||
					  cn->conn_win[d] == 0))
				tp_add_event(p, H2EV(H2E_WIN_EXHAUSTED), at);
		}
	}
	if (cn->win_known) {
		tp_field *x = tp_field_append(p, H2FD(H2F_WIN_CONN), at, 0);
		if (x)
			x->v.i = cn->conn_win[d];
	}
	if (!s)
		return;
	s->data_len[d] += n;
	if (s->body_on[d])
		h2_body_feed(s, d, p->number, b, n);
	if (!p->lean)
		http_stats_body(p, s->stats_ct[d], n);
	if (es && s->ctype[d] && !p->lean) {
		size_t tn = strlen(s->ctype[d]);
		const uint8_t *ct = keep(p, s->ctype[d], tn);
		if (ct)
			tp_add_bytes(p, H2FD(H2F_BODY_CTYPE), at, 0, ct, tn);
	}
	if (es) {
		if (s->body_on[d])
			h2_body_end(p, cn, s, d, at, NULL);
		else if (!p->lean && s->whole[d]) /* a plain body's length */
			tp_add_uint(p, H2FD(H2F_BODY_LEN), at, 0,
				    s->data_len[d]);
		s->ended[d] = true;
		if (s->ended[d ^ 1] || !s->opened)
			h2_stream_close(cn, s, false);
	}
}

/* A long frame's payload after its head. */
static tp_next continued(tp_pkt *p, h2dir *h, tp_cursor *c)
{
	size_t n = tp_avail(c), at = c->off;
	const uint8_t *b = tp_bytes(c, n);
	if (!b)
		return TP_STOP;
	tp_add_bytes(p, H2FD(H2F_CONTINUED), at, n, b, n);
	unsigned type = h->lh[3];
	uint32_t sid = be32(h->lh + 5) & 0x7fffffff;
	uint64_t total = be24(h->lh);
	if (type != T_DATA)
		return TP_STOP;
	/* the data: after the pad length byte (PADDED), up to the padding
	 * at the frame's end; the pad length comes here when the head held
	 * no payload byte */
	bool padded = h->lh[4] & 0x8;
	uint64_t from = h->done - n, to = h->done;
	if (padded && from == 0 && n)
		h->lpad = b[0];
	uint64_t lo = padded ? 1 : 0;
	uint64_t hi = total > (uint64_t)h->lpad + lo ? total - h->lpad : lo;
	uint64_t a = from > lo ? from : lo, z = to < hi ? to : hi;
	size_t k = z > a ? (size_t)(z - a) : 0;
	bool last = h->rem == 0;
	data_frame(p, h, at + (size_t)(a > from ? a - from : 0),
		   b + (a > from ? a - from : 0), k, n, sid,
		   last && (h->lh[4] & 1));
	return TP_STOP;
}

static tp_next frame(tp_pkt *p, h2dir *h, tp_cursor *c, bool head)
{
	size_t at = c->off;
	if (!tp_has(c, H2_HDR)) {
		tp_fail(c, TP_TRUNCATED);
		return TP_STOP;
	}
	tp_cursor hc = *c; /* the header, read ahead */
	uint32_t len = tp_be24(&hc);
	unsigned type = tp_u8(&hc), fl = tp_u8(&hc);
	uint32_t sidr = tp_be32(&hc), sid = sidr & 0x7fffffff;
	size_t avail = tp_avail(c) - H2_HDR;
	size_t n = len < avail ? len : avail;
	bool cut = n < len; /* a long frame's head, or bytes cut short */
	tp_add_uint(p, H2FD(H2F_STREAM), at, H2_HDR + n, 0);
	tp_push(p);
	tp_add_uint(p, H2FD(H2F_LENGTH), at, 3, len);
	tp_add_uint(p, H2FD(H2F_TYPE), at + 3, 1, type);
	tp_add_uint(p, H2FD(H2F_FLAGS), at + 4, 1, fl);
	tp_push(p);
	switch (type) {
	case T_DATA:
		tp_add_uint(p, H2FD(H2F_FL_END_STREAM), at + 4, 1, fl & 0x1);
		tp_add_uint(p, H2FD(H2F_FL_PADDED), at + 4, 1, fl & 0x8);
		break;
	case T_HEADERS:
		tp_add_uint(p, H2FD(H2F_FL_PRIORITY), at + 4, 1, fl & 0x20);
		tp_add_uint(p, H2FD(H2F_FL_PADDED), at + 4, 1, fl & 0x8);
		tp_add_uint(p, H2FD(H2F_FL_EH), at + 4, 1, fl & 0x4);
		tp_add_uint(p, H2FD(H2F_FL_END_STREAM), at + 4, 1, fl & 0x1);
		break;
	case T_PUSH_PROMISE:
		tp_add_uint(p, H2FD(H2F_FL_PADDED), at + 4, 1, fl & 0x8);
		tp_add_uint(p, H2FD(H2F_FL_EH), at + 4, 1, fl & 0x4);
		break;
	case T_CONTINUATION:
		tp_add_uint(p, H2FD(H2F_FL_EH), at + 4, 1, fl & 0x4);
		break;
	case T_SETTINGS:
		tp_add_uint(p, H2FD(H2F_FL_ACK_SETTINGS), at + 4, 1, fl & 0x1);
		break;
	case T_PING:
		tp_add_uint(p, H2FD(H2F_FL_ACK_PING), at + 4, 1, fl & 0x1);
		break;
	}
	tp_pop(p);
	tp_add_uint(p, H2FD(H2F_R), at + 5, 4, sidr >> 31);
	tp_add_uint(p, H2FD(H2F_STREAMID), at + 5, 4, sid);
	tp_skip(c, H2_HDR);
	if (h && head) {
		tp_add_event(p, H2EV(H2E_LONG), at);
		if (type == T_HEADERS || type == T_PUSH_PROMISE ||
		    type == T_CONTINUATION) {
			/* a header block over 1 MiB is never decoded: its
			 * insertions are lost, the table starts again */
			tp_add_event(p, H2EV(H2E_BLOCK_LONG), at);
			h->blk_on = false;
			h->blen = 0;
			h2conn *cb = h2_conn(p, h);
			if (cb)
				h2_table_reset(cb, h->dir);
		}
	}
	h2conn *cn0 = h ? h2_conn(p, h) : NULL;
	if (cn0)
		h2_stats_frame(p, cn0, type, 0);

	/* the stream rules and the fixed lengths */
	bool zero = type == T_SETTINGS || type == T_PING || type == T_GOAWAY;
	bool nonzero = type == T_DATA || type == T_HEADERS ||
		       type == T_PRIORITY || type == T_RST_STREAM ||
		       type == T_PUSH_PROMISE || type == T_CONTINUATION;
	if ((zero && sid) || (nonzero && !sid))
		tp_add_event(p, H2EV(H2E_STREAM_ID), at + 5);
	int want = type == T_PRIORITY	       ? 5
		   : type == T_RST_STREAM || type == T_WINDOW_UPDATE ? 4
		   : type == T_PING		       ? 8
						       : -1;
	bool badlen = (want >= 0 && len != (unsigned)want) ||
		      (type == T_SETTINGS && (len % 6 || (fl & 1 && len))) ||
		      (type == T_GOAWAY && len < 8) ||
		      (type == T_PUSH_PROMISE && len < 4);
	if (badlen)
		tp_add_event(p, H2EV(H2E_FRAME_SIZE), at);

	tp_cursor pl = *c; /* the payload's bytes here */
	pl.cap_end = pl.rep_end = c->off + n;
	/* the payload's length, not the bytes here: a long frame's head
	 * holds no padding (it ends the frame) */
	size_t pn = len, pad = 0;
	const uint8_t *b;
	switch (badlen ? 0xff : type) {
	case T_DATA: {
		if (!unpad(p, &pl, fl, &pn, &pad))
			break;
		size_t here = tp_avail(&pl), dat = pl.off;
		size_t dn = pn < here ? pn : here; /* the data bytes here */
		b = tp_bytes(&pl, dn);
		if (!b)
			break;
		if (dn)
			tp_add_bytes(p, H2FD(H2F_DATA), dat, dn, b, dn);
		if (tp_avail(&pl))
			tp_get_bytes(p, &pl, H2FD(H2F_DATA_PAD), tp_avail(&pl));
		/* the window counts the whole payload, padding too; a
		 * long frame's head counts what it holds */
		data_frame(p, h, at, b, dn, head ? n : len, sid,
			   !head && (fl & 1));
		break;
	}
	case T_HEADERS:
	case T_PUSH_PROMISE: {
		bool pp = type == T_PUSH_PROMISE;
		if (!unpad(p, &pl, fl, &pn, &pad))
			break;
		uint32_t promised = 0;
		if (pp) {
			size_t pat = pl.off;
			uint32_t v = tp_be32(&pl);
			if (!tp_ok(&pl) || pn < 4)
				break;
			tp_add_uint(p, H2FD(H2F_PP_R), pat, 4, v >> 31);
			tp_add_uint(p, H2FD(H2F_PP_ID), pat, 4, v & 0x7fffffff);
			promised = v & 0x7fffffff;
			pn -= 4;
		} else if (fl & 0x20) {
			if (pn < 5) {
				tp_add_event(p, H2EV(H2E_FRAME_SIZE), at);
				break;
			}
			priority(p, &pl);
			pn -= 5;
		}
		size_t bat = pl.off;
		size_t bn = pn < tp_avail(&pl) ? pn : tp_avail(&pl);
		b = tp_bytes(&pl, bn);
		if (!b)
			break;
		tp_add_bytes(p, H2FD(pp ? H2F_PP_HDR : H2F_HDRS), bat, bn, b, bn);
		if (pad && tp_avail(&pl))
			tp_get_bytes(p, &pl,
				     H2FD(pp ? H2F_PP_PAD : H2F_HDRS_PAD),
				     tp_avail(&pl));
		if (bn == pn && !cut)
			fragment(p, h, bat, b, bn, type, sid, fl, promised);
		break;
	}
	case T_CONTINUATION:
		b = tp_bytes(&pl, n);
		if (!b)
			break;
		tp_add_bytes(p, H2FD(H2F_CONT_HDR), at + H2_HDR, n, b, n);
		if (!cut)
			fragment(p, h, at + H2_HDR, b, n, type, sid, fl, 0);
		break;
	case T_PRIORITY:
		priority(p, &pl);
		break;
	case T_RST_STREAM: {
		uint32_t e = tp_get_be32(p, &pl, H2FD(H2F_RST_ERROR));
		h2conn *cn = h && tp_ok(&pl) ? h2_conn(p, h) : NULL;
		h2stream *s = cn ? h2_stream(cn, sid, false) : NULL;
		if (s) {
			for (int d = 0; d < 2; d++)
				if (s->body_on[d])
					h2_body_end(p, cn, s, d, at,
						    "cut: stream reset");
			h2_stream_close(cn, s, true);
		}
		if (cn)
			h2_stats_frame(p, cn, 0x100 | T_RST_STREAM, e);
		break;
	}
	case T_SETTINGS:
		settings(p, h, &pl, n, fl & 1);
		break;
	case T_PING:
		tp_get_bytes(p, &pl, H2FD(fl & 1 ? H2F_PONG : H2F_PING), 8);
		break;
	case T_GOAWAY: {
		size_t gat = pl.off;
		uint32_t v = tp_be32(&pl);
		if (!tp_ok(&pl))
			break;
		tp_add_uint(p, H2FD(H2F_GA_R), gat, 4, v >> 31);
		tp_add_uint(p, H2FD(H2F_GA_LAST), gat, 4, v & 0x7fffffff);
		uint32_t e = tp_get_be32(p, &pl, H2FD(H2F_GA_ERR));
		if (tp_avail(&pl))
			tp_get_bytes(p, &pl, H2FD(H2F_GA_DATA), tp_avail(&pl));
		h2conn *cn = h ? h2_conn(p, h) : NULL;
		if (cn) {
			cn->goaway[h->dir] = true;
			h2_stats_frame(p, cn, 0x100 | T_GOAWAY, e);
			/* streams the sender's peer opened past the last
			 * one it will process are over */
			uint32_t last = v & 0x7fffffff;
			for (unsigned k = 0; k < cn->nsv; k++) {
				h2stream *s = &cn->sv[k];
				if (s->used && !s->closed && s->id > last &&
				    s->have_req && s->req_dir != h->dir)
					h2_stream_close(cn, s, true);
			}
		}
		break;
	}
	case T_WINDOW_UPDATE:
		window_update(p, h, &pl, sid);
		break;
	default:
		if (n)
			tp_get_bytes(p, &pl, H2FD(H2F_UNKNOWN), n);
		break;
	}
	tp_pop(p);
	tp_skip(c, n);
	if (cut && !head)
		tp_fail(c, TP_TRUNCATED);
	/* without state: more frames in these bytes */
	if (!h && tp_ok(c) && tp_avail(c))
		return tp_next_key(TP_TAB_NAME,
				   tp_registry_index(&tp_diss_http2));
	return TP_STOP;
}

static tp_next h2_dissect(tp_pkt *p, tp_cursor *c)
{
	h2dir *h = tp_app_state(p);
	if (h && h->gapped) {
		h->gapped = false;
		tp_add_event(p, H2EV(H2E_GAP), c->off);
		h->blk_on = false;
		h->blen = 0;
		h2conn *cn = h2_conn(p, h);
		if (cn) {
			h2_table_reset(cn, h->dir);
			h2_body_gap(cn, h->dir);
			for (unsigned k = 0; k < cn->nsv; k++)
				cn->sv[k].whole[h->dir] = false;
		}
	}
	unsigned kind = h ? h->kind : K_FRAME;
	size_t n = tp_avail(c);
	if (!h && n >= H2_PREFACE_LEN && preface_prefix(c->base + c->off, n))
		kind = K_PREFACE;
	switch (kind) {
	case K_PREFACE: {
		size_t at = c->off;
		const uint8_t *b = tp_bytes(c, H2_PREFACE_LEN);
		if (!b)
			return TP_STOP;
		tp_add_bytes(p, H2FD(H2F_MAGIC), at, H2_PREFACE_LEN, b,
			     H2_PREFACE_LEN);
		if (h)
			h2_conn(p, h);
		if (!h && tp_avail(c))
			return tp_next_key(TP_TAB_NAME,
					   tp_registry_index(&tp_diss_http2));
		return TP_STOP;
	}
	case K_JUNK:
		tp_add_bytes(p, H2FD(H2F_UNKNOWN), c->off, n, c->base + c->off,
			     n);
		tp_skip(c, n);
		return TP_STOP;
	case K_CONT:
		return continued(p, h, c);
	default:
		return frame(p, h, c, kind == K_HEAD);
	}
}

/* ---- Info and the line ------------------------------------------------ */

static void put_str(tp_sbuf *s, const tp_field *f)
{
	if (f)
		tp_sb_put(s, (const char *)f->v.p, f->vlen);
}

/* tshark's Info text for the frame of layer k. */
static void frame_info(const tp_pkt *p, unsigned k, tp_sbuf *s)
{
	uint64_t type = 0, sid = 0;
	if (tp_layer_find(p, k, H2FD(H2F_MAGIC))) {
		tp_sb_puts(s, "Magic");
		return;
	}
	if (tp_layer_find(p, k, H2FD(H2F_CONTINUED))) {
		tp_sb_puts(s, "Continuation");
		return;
	}
	if (!tp_layer_u64(p, k, H2FD(H2F_TYPE), &type)) {
		tp_sb_puts(s, "Unknown bytes");
		return;
	}
	tp_layer_u64(p, k, H2FD(H2F_STREAMID), &sid);
	const char *name = tp_valstr_find(h2_type_vals, (uint32_t)type);
	if (name)
		tp_sb_puts(s, name);
	else
		tp_sb_puts(s, "UNKNOWN");
	tp_sb_putc(s, '[');
	tp_sb_dec(s, sid);
	tp_sb_putc(s, ']');
	const tp_field *m = tp_layer_find(p, k, H2FD(H2F_METHOD));
	uint64_t code = 0;
	if (m) {
		tp_sb_puts(s, ": ");
		put_str(s, m);
		tp_sb_putc(s, ' ');
		put_str(s, tp_layer_find(p, k, H2FD(H2F_PATH)));
	} else if (tp_layer_u64(p, k, H2FD(H2F_STATUS), &code)) {
		tp_sb_puts(s, ": ");
		tp_sb_dec(s, code);
		const char *ph = http_status_phrase((unsigned)code);
		if (ph) {
			tp_sb_putc(s, ' ');
			tp_sb_puts(s, ph);
		}
	}
}

/* The media type of the body the frame of layer k ends, as tshark's
 * media dissectors add it to Info. */
static void media_info(const tp_pkt *p, unsigned k, tp_sbuf *s)
{
	const tp_field *ct = tp_layer_find(p, k, H2FD(H2F_BODY_CTYPE));
	if (!ct)
		return;
	size_t n = 0;
	while (n < ct->vlen && ct->v.p[n] != ';')
		n++;
	while (n > 0 && ct->v.p[n - 1] == ' ')
		n--;
	if (n == 16 && !memcmp(ct->v.p, "application/json", 16)) {
		/* JSON's own dissector names itself */
		tp_sb_puts(s, ", JavaScript Object Notation (application/json)");
	} else if (http_media_named(ct->v.p, n)) {
		tp_sb_puts(s, " (");
		tp_sb_put(s, (const char *)ct->v.p, n);
		tp_sb_putc(s, ')');
	}
}

/* The packet's frames up to layer li, joined as tshark joins them,
 * after the Info of another stream protocol's PDU before them (HTTP's
 * "101 Switching Protocols" in the segment that starts HTTP/2). */
static void h2_info(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	bool any = false;
	for (unsigned k = 0; k <= li && k < p->nlayers; k++) {
		const tp_dissector *d = p->layers[k].d;
		if (d != &tp_diss_http2) {
			if (!any && d->pdu_len && d->info && k + 1 < p->nlayers &&
			    p->layers[k + 1].d == &tp_diss_http2) {
				d->info(p, k, s);
				tp_sb_puts(s, ", ");
			}
			continue;
		}
		if (any)
			tp_sb_puts(s, ", ");
		frame_info(p, k, s);
		media_info(p, k, s);
		any = true;
	}
}

/* Frames on one line at most; the rest are counted. */
#define H2_NOTES_MAX 8

static tp_sum h2_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			   const tp_outopts *o)
{
	(void)o;
	unsigned shown = 0, more = 0;
	for (unsigned k = li; k < p->nlayers; k++) {
		if (p->layers[k].d != &tp_diss_http2)
			continue;
		if (shown == H2_NOTES_MAX) {
			more++;
			continue;
		}
		tp_sb_puts(s, shown ? ", " : " | HTTP/2 ");
		shown++;
		frame_info(p, k, s);
	}
	if (more) {
		tp_sb_puts(s, ", ");
		tp_sb_dec(s, more);
		tp_sb_puts(s, more == 1 ? " more frame" : " more frames");
	}
	/* the pairing: one note per request frame answered */
	uint64_t last = 0;
	for (unsigned k = li; k < p->nlayers; k++) {
		if (p->layers[k].d != &tp_diss_http2)
			continue;
		const tp_field *rq = tp_layer_find(p, k, H2FD(H2F_REQUEST_IN));
		const tp_field *t = tp_layer_find(p, k, H2FD(H2F_TIME));
		if (rq && t && rq->v.u != last)
			tp_sb_reply_note(s, rq->v.u, t->v.i);
		if (rq)
			last = rq->v.u;
	}
	return TP_SUM_STOP;
}

const tp_dissector tp_diss_http2 = {
	.name = "http2",
	.longname = "HyperText Transfer Protocol 2",
	.fields = tp_http2_fields,
	.nfields = H2F_COUNT_,
	.events = tp_http2_events,
	.nevents = H2E_COUNT_,
	.dissect = h2_dissect,
	.summarize = h2_summarize,
	.probe = h2_probe,
	.state_new = h2_state_new,
	.state_free = h2_state_free,
	/* the direction, its share of the connection; the HPACK tables,
	 * header blocks and streams are charged as they grow */
	.state_size = sizeof(h2dir) + sizeof(h2conn) / 2,
	.state_pair = h2_state_pair,
	.pdu_len = h2_pdu_len,
	.gap = h2_gap,
	.pdu_max = H2_FRAME_MAX,
	.colname = "HTTP2",
	.info = h2_info,
	.session_new = h2_session_new,
	.session_free = h2_session_free,
	.stats_print = h2_stats_print,
};
