/* http.c - HTTP/1.x over TCP streams: message framing (RFC 9112) and
 * the fields of every message.
 *
 * Framing.  pdu_len cuts each direction into PDUs of two kinds:
 *  - a message head: the start line and header block up to its empty
 *    line (at most HTTP_HDR_MAX bytes, else MALFORMED), followed by as
 *    much of its body as the bytes shown hold;
 *  - a body continuation: the body bytes shown (up to the message's end).
 * A body is therefore never gathered into one PDU: each segment's body
 * bytes are dissected as they come, read in place in the frame (tshark
 * with http.desegment_body off shows the same: the head where it ends,
 * "Continuation" after).  The body's end: Content-Length, chunked (size
 * lines with extensions, trailers; a size past 2^64 is MALFORMED), the end
 * of the direction (a response with neither), none (responses to HEAD,
 * 1xx, 204, 304); after 101 or a 2xx to CONNECT both directions are a
 * tunnel, but a 101 whose Upgrade names a protocol tapir dissects
 * ("websocket"; "h2c": the "http2" dissector when there is one) hands
 * the rest of the flow to it (tp_app_handoff).  Bytes that start no
 * message (a capture that starts inside one) are passed over up to the
 * next line that starts a request or status line.
 *
 * The directions' states are linked (dissector.h state_pair): a response
 * takes the oldest unanswered request of the other direction (pipelining:
 * HTTP_PIPE_MAX = 8 waiting), for HEAD/CONNECT framing and for pairing
 * (http.request_in, http.time; http.prev_request_in on requests; single
 * pass, so no http.response_in).
 *
 * dissect() replays the framing machine from the state the PDU was cut
 * in (hframe `cut`), this time adding fields: pdu_len and dissect share
 * one parser.  Without state (fuzz harness) it starts afresh.
 */
#include <stdlib.h>
#include <string.h>

#include "http_body.h"
#include "http_int.h"
#include "tapir/flow.h"
#include "tapir/output.h"
#include "tapir/record.h"
#include "tapir/registry.h"

#define FS(a, n) {a, n, TP_FT_STRING, TP_BASE_NONE, NULL, 0}
#define FU(a, n, t) {a, n, t, TP_BASE_DEC, NULL, 0}
#define FN(a, n, t) {a, n, t, TP_BASE_NONE, NULL, 0}

const tp_field_def tp_http_fields[F_COUNT_] = {
	[F_REQUEST] = FN("http.request", "Request", TP_FT_BOOLEAN),
	[F_RESPONSE] = FN("http.response", "Response", TP_FT_BOOLEAN),
	[F_METHOD] = FS("http.request.method", "Request Method"),
	[F_URI] = FS("http.request.uri", "Request URI"),
	[F_FULL_URI] = FS("http.request.full_uri", "Full request URI"),
	[F_REQ_VERSION] = FS("http.request.version", "Request Version"),
	[F_RESP_VERSION] = FS("http.response.version", "Response Version"),
	[F_CODE] = FU("http.response.code", "Status Code", TP_FT_UINT16),
	[F_PHRASE] = FS("http.response.phrase", "Response Phrase"),
	[F_REQ_LINE] = FS("http.request.line", "Request line"),
	[F_RESP_LINE] = FS("http.response.line", "Response line"),
	[F_HOST] = FS("http.host", "Host"),
	[F_USER_AGENT] = FS("http.user_agent", "User-Agent"),
	[F_ACCEPT] = FS("http.accept", "Accept"),
	[F_CONTENT_TYPE] = FS("http.content_type", "Content-Type"),
	[F_CL_HDR] = FS("http.content_length_header", "Content-Length"),
	[F_CL] = FU("http.content_length", "Content length", TP_FT_UINT64),
	[F_CONTENT_ENCODING] = FS("http.content_encoding", "Content-Encoding"),
	[F_TRANSFER_ENCODING] =
		FS("http.transfer_encoding", "Transfer-Encoding"),
	[F_CONNECTION] = FS("http.connection", "Connection"),
	[F_SERVER] = FS("http.server", "Server"),
	[F_LOCATION] = FS("http.location", "Location"),
	[F_DATE] = FS("http.date", "Date"),
	[F_LAST_MODIFIED] = FS("http.last_modified", "Last-Modified"),
	[F_CACHE_CONTROL] = FS("http.cache_control", "Cache-Control"),
	[F_UPGRADE] = FS("http.upgrade", "Upgrade"),
	[F_CHUNK_SIZE] = FU("http.chunk_size", "Chunk size", TP_FT_UINT32),
	[F_CHUNK_DATA] = FN("http.chunk_data", "Chunk data", TP_FT_BYTES),
	[F_TRAILER] = FS("http.chunked_trailer_part", "trailer-part"),
	/* the tree shows its length, as tshark's */
	[F_FILE_DATA] = {"http.file_data", "File Data", TP_FT_STRING,
			 TP_BASE_SIZE_ONLY, NULL, 0},
	[F_REQUEST_NUMBER] =
		FU("http.request_number", "Request number", TP_FT_UINT32),
	[F_RESPONSE_NUMBER] =
		FU("http.response_number", "Response number", TP_FT_UINT32),
	[F_PREV_REQUEST_IN] = FN("http.prev_request_in",
				 "Prev request in frame", TP_FT_FRAMENUM),
	[F_REQUEST_IN] =
		FN("http.request_in", "Request in frame", TP_FT_FRAMENUM),
	[F_TIME] = FN("http.time", "Time since request",
		      TP_FT_RELATIVE_TIME),
};

const tp_event_def tp_http_events[E_COUNT_] = {
	[E_HDR_LONG] = {"http.header_too_long", TP_EV_MALFORMED,
			"Header block longer than 65536 bytes"},
	[E_BAD_CL] = {"http.content_length.bad", TP_EV_MALFORMED,
		      "Bad or conflicting Content-Length: the body runs to "
		      "the end of the stream"},
	[E_BAD_CHUNK] = {"http.chunk_size.bad", TP_EV_MALFORMED,
			 "Bad chunk size line: the body runs to the end of "
			 "the stream"},
	[E_BAD_TE] = {"http.transfer_encoding.bad", TP_EV_MALFORMED,
		      "Request Transfer-Encoding not ending in chunked"},
	[E_PIPE_FULL] = {"http.pipeline_full", TP_EV_WARN,
			 "Too many requests waiting for a response: not "
			 "paired"},
	[E_BODY_CAPPED] = {"http.body.capped", TP_EV_WARN,
			   "Decoded body cut at a cap (size, ratio or "
			   "memory: a decompression bomb?)"},
	[E_BODY_BAD] = {"http.body.decode_failed", TP_EV_WARN,
			"Content-Encoding data corrupt, cut short or "
			"missing: the decoded body is cut there"},
};

/* ---- state ------------------------------------------------------------ */

enum { S_START, S_BODY, S_CLOSE, S_CHUNK, S_TUNNEL };
enum { CS_SIZE, CS_DATA, CS_CRLF, CS_TRAILER };

/* Where the framing machine stands in a direction. */
typedef struct hframe {
	uint8_t st, cs;
	uint64_t rem; /* S_BODY: body bytes left; CS_DATA: chunk bytes */
} hframe;

typedef struct hreq {
	uint64_t frame;
	int64_t ts;
	uint8_t head, connect;
} hreq;

struct hgather;

typedef struct http_dir {
	struct http_dir *peer;
	/* bodies wanted (tp_flowcfg.bodies): the body being gathered, the
	 * requests' hosts and URIs for their responses; NULL otherwise */
	struct hgather *g;
	hframe fr;  /* now */
	hframe cut; /* where the last PDU cut began */
	/* what that PDU began: 1 a request, 2 a response (then `cur`) */
	uint8_t cut_msg;
	uint8_t have_cur, pipe_full;
	/* the events pdu_len met in that PDU (bit per E_*), for a lean
	 * dissect that does not replay it (the text shows no offset) */
	uint8_t cut_ev;
	/* requests sent this way, waiting for their response: a ring of
	 * one, `q1`, until a second waits (pipelining), then of
	 * HTTP_PIPE_MAX in `qx` (a state is made for every HTTP flow: the
	 * common case keeps it small) */
	uint8_t qh, qn;
	hreq q1, *qx;
	hreq cur; /* the request the last response answers */
	uint64_t cur_prev; /* the frame of the one answered before it */
	uint64_t prev_req;
	uint32_t nreq, nresp;
	uint16_t stats_ct; /* http_stats.c: the body's content type */
	/* a message head was cut in this direction: bytes that are not
	 * HTTP are no longer offered to other protocols' probes */
	bool seen_msg;
	/* the last request with "Upgrade: h2c": its host and URI, for
	 * HTTP/2's stream 1 (tp_app_handoff_req) */
	struct http_up {
		char host[256], uri[1024];
		uint8_t set[96]; /* HTTP2-Settings, decoded */
		uint8_t nset;
	} *up;
} http_dir;

/* The i-th slot of the waiting ring (i < qn + 1). */
static hreq *qslot(http_dir *h, unsigned i)
{
	return h->qx ? &h->qx[(h->qh + i) % HTTP_PIPE_MAX] : &h->q1;
}

static void *http_state_new(uint8_t proto, int dir)
{
	(void)proto;
	(void)dir;
	return calloc(1, sizeof(http_dir));
}

static void gather_free(http_dir *h);

static void http_state_free(void *st)
{
	http_dir *h = st;
	if (h) {
		gather_free(h);
		free(h->qx);
		free(h->up);
	}
	free(h);
}

static void http_state_pair(void *a, void *b)
{
	http_dir *x = a, *y = b;
	x->peer = y;
	y->peer = x;
}

/* ---- the replay context ---------------------------------------------- */

typedef struct hctx {
	http_dir *h; /* NULL without state */
	bool replay; /* dissect: fields, no state changes */
	tp_pkt *p;   /* replay only */
	size_t base; /* the cursor offset of b[0] (replay) */
	const uint8_t *b;
	bool any_body;
	bool handed; /* the stream is another dissector's after this head */
	bool ended;  /* replay: a body ended in this PDU */
	struct hgather *g; /* replay: gathering this message's body */
} hctx;

static void add_str(hctx *x, int f, size_t at, size_t n)
{
	tp_add_bytes(x->p, FD(f), x->base + at, n, x->b + at, n);
}

static void event(hctx *x, int e, size_t at)
{
	if (x->replay) {
		tp_add_event(x->p, &tp_http_events[e], x->base + at);
	} else if (x->h) {
		x->h->cut_ev |= (uint8_t)(1u << e);
	}
}

typedef struct hmsg {
	size_t uri_at, uri_len, host_at, host_len; /* replay: views */
	size_t ct_at, ct_len, ce_at, ce_len;
	bool resp;
	uint8_t head, connect;
	unsigned code;
	bool chunked, te, cl_set, cl_bad;
	uint64_t cl;
	const char *upgrade; /* the dissector a 101 hands the stream to */
	size_t hlen;         /* the head's bytes */
} hmsg;

/* ---- gathered bodies ---------------------------------------------------
 *
 * Only when an output shows them (tp_flowcfg.bodies): a message's body
 * bytes go to a decoder (http_body.h) as the replay meets them, and where
 * the message ends, its last body part's frame gets the decoded body as a
 * data source ("De-chunked entity body", "Uncompressed entity body", as
 * Wireshark names them) with http.file_data over it, and --export-objects
 * gets the object.  The one-line run never comes here. */

#define HOST_MAX 256u
#define URI_MAX 2048u

typedef struct hgather {
	tp_session *s;
	bool on;          /* a message's body is being gathered */
	bool chunked, resp;
	bool missing_more; /* `missing` is a lower bound */
	uint32_t stream;
	uint64_t frame;   /* the last frame that fed it */
	hbody body;
	char *host, *uri, *ctype; /* this message's (malloc'd, or NULL) */
	/* requests sent this way: their frame, host and URI */
	struct {
		uint64_t frame;
		char *host, *uri;
	} rq[HTTP_PIPE_MAX];
	unsigned rqh, rqn;
} hgather;

static bool bodies_wanted(const tp_pkt *p)
{
	return p && p->app_sess && p->app_sess->cfg.bodies;
}

/* The gatherer's strings (hosts, URIs, a content type) and itself are
 * charged to the session's reassembly memory: 65 536 flows with 8
 * pipelined requests a direction cannot hold their URIs outside it.  A
 * NUL byte in one becomes '?' (its length is then its strlen). */
static void *gmem(hgather *g, size_t n)
{
	if (g->s && !tp_reasm_mem_take(&g->s->mem, n))
		return NULL;
	void *m = malloc(n);
	if (!m && g->s)
		tp_reasm_mem_give(&g->s->mem, n);
	return m;
}

static void gmem_give(hgather *g, size_t n)
{
	if (g->s)
		tp_reasm_mem_give(&g->s->mem, n);
}

static char *gdup(hgather *g, const void *b, size_t n, size_t max)
{
	if (n > max)
		n = max;
	char *s = gmem(g, n + 1);
	if (s) {
		memcpy(s, b, n);
		for (size_t i = 0; i < n; i++)
			if (!s[i])
				s[i] = '?';
		s[n] = '\0';
	}
	return s;
}

static void gstr_free(hgather *g, char **s)
{
	if (*s)
		gmem_give(g, strlen(*s) + 1);
	free(*s);
	*s = NULL;
}

static void meta_free(hgather *g)
{
	gstr_free(g, &g->host);
	gstr_free(g, &g->uri);
	gstr_free(g, &g->ctype);
}

static void rq_pop(hgather *g)
{
	gstr_free(g, &g->rq[g->rqh].host);
	gstr_free(g, &g->rq[g->rqh].uri);
	g->rqh = (g->rqh + 1) % HTTP_PIPE_MAX;
	g->rqn--;
}

/* The gatherer of x's direction, made the first time bodies are wanted. */
static hgather *gatherer(hctx *x)
{
	http_dir *h = x->h;
	if (!h || !x->replay || !bodies_wanted(x->p))
		return NULL;
	tp_session *s = x->p->app_sess;
	if (!h->g && tp_reasm_mem_take(&s->mem, sizeof *h->g)) {
		if ((h->g = calloc(1, sizeof *h->g)) != NULL)
			h->g->s = s;
		else
			tp_reasm_mem_give(&s->mem, sizeof *h->g);
	}
	return h->g;
}

static void gather(hctx *x, const uint8_t *b, size_t n)
{
	hgather *g = x->g;
	if (!g || !g->on || !n)
		return;
	g->frame = x->p->number;
	hb_feed(&g->body, b, n);
}

/* The object to --export-objects, and the gatherer emptied. */
static void gather_emit(hgather *g, uint64_t frame, const char *why)
{
	const tp_object_tap *t = g->s ? g->s->objtap : NULL;
	hbody *bd = &g->body;
	if (t && t->object) {
		bool coded = bd->enc != HB_IDENTITY && bd->enc != HB_OTHER;
		tp_object o = {
			.proto = "http",
			.frame = frame,
			.stream = g->stream,
			.host = g->host ? g->host : "",
			.uri = g->uri ? g->uri : "",
			.ctype = g->ctype ? g->ctype : "",
			.b = bd->b,
			.n = bd->n,
			.missing = bd->missing,
			.zero_filled = !coded && bd->missing &&
				       bd->status == HB_OK && !why,
			.missing_unknown = g->missing_more,
			.status = why ? why
				  : bd->status == HB_OK ? NULL
							: hb_status_name(bd->status),
			.cap = bd->cap,
		};
		t->object(t->ctx, &o);
		if (o.taken && o.b)
			bd->b = NULL; /* the tap's now (its memory given back) */
	}
	hb_free(bd);
	meta_free(g);
	g->on = false;
	g->missing_more = false;
}

/* After a message head (replay): a request's host and URI kept for its
 * response; a body to come starts being gathered. */
static void gather_head(hctx *x, const hmsg *m, const hframe *f)
{
	hgather *g = gatherer(x);
	if (!g)
		return;
	if (g->on) /* the last message's end was never seen */
		gather_emit(g, g->frame, "cut: a new message began");
	tp_pkt *p = x->p;
	g->stream = p->flow ? p->flow->stream : 0;
	if (!m->resp) {
		if (g->rqn == HTTP_PIPE_MAX)
			rq_pop(g);
		unsigned i = (g->rqh + g->rqn++) % HTTP_PIPE_MAX;
		g->rq[i].frame = p->number;
		g->rq[i].host = gdup(g, x->b + m->host_at, m->host_len, HOST_MAX);
		g->rq[i].uri = gdup(g, x->b + m->uri_at, m->uri_len, URI_MAX);
	}
	if (f->st != S_BODY && f->st != S_CHUNK && f->st != S_CLOSE)
		return;
	hb_enc enc = m->ce_len ? hb_encoding(x->b + m->ce_at, m->ce_len)
			       : HB_IDENTITY;
	/* a plain body's bytes are the frames' own: gathered for an
	 * export only */
	if (enc == HB_IDENTITY && f->st != S_CHUNK && !(g->s && g->s->objtap))
		return;
	g->on = true;
	x->g = g;
	g->resp = m->resp;
	g->chunked = f->st == S_CHUNK;
	g->frame = p->number;
	hb_init(&g->body, enc, HB_MAX, HB_RATIO, g->s ? &g->s->mem : NULL);
	if (enc == HB_IDENTITY && f->st == S_BODY)
		hb_reserve(&g->body, f->rem); /* its length known: no regrowth */
	if (m->ct_len)
		g->ctype = gdup(g, x->b + m->ct_at, m->ct_len, HOST_MAX);
	if (!m->resp) {
		g->host = gdup(g, x->b + m->host_at, m->host_len, HOST_MAX);
		g->uri = gdup(g, x->b + m->uri_at, m->uri_len, URI_MAX);
		return;
	}
	/* a response: its request's, from the other direction */
	hgather *q = x->h->peer ? x->h->peer->g : NULL;
	uint64_t rf = x->h->have_cur ? x->h->cur.frame : 0;
	while (q && rf && q->rqn && q->rq[q->rqh].frame < rf)
		rq_pop(q);
	if (q && rf && q->rqn && q->rq[q->rqh].frame == rf) {
		const char *hs = q->rq[q->rqh].host, *us = q->rq[q->rqh].uri;
		g->host = hs ? gdup(g, hs, strlen(hs), HOST_MAX) : NULL;
		g->uri = us ? gdup(g, us, strlen(us), URI_MAX) : NULL;
	}
}

/* The message's body ended in this PDU: its decoded body into the
 * record (a chunked or coded one: an identity body's bytes are the
 * frames' own), and the object out. */
static void gather_end(tp_pkt *p, hgather *g, size_t at)
{
	hbody *bd = &g->body;
	hb_finish(bd);
	if (bd->status == HB_CAP_SIZE || bd->status == HB_CAP_RATIO ||
	    bd->status == HB_CAP_MEM)
		tp_add_event(p, &tp_http_events[E_BODY_CAPPED], at);
	else if (bd->status == HB_BAD || bd->status == HB_SHORT ||
		 bd->status == HB_GAP)
		tp_add_event(p, &tp_http_events[E_BODY_BAD], at);
	bool coded = bd->enc != HB_IDENTITY && bd->enc != HB_OTHER;
	if ((coded || g->chunked) && p->number) {
		int src = tp_src_copy(p,
				      coded ? "Uncompressed entity body"
					    : "De-chunked entity body",
				      TP_SRC_DERIVED, bd->b, bd->n);
		if (src >= 0) {
			size_t n = 0;
			const uint8_t *b = tp_src_bytes(p, (unsigned)src, &n);
			uint8_t was = p->src_cur;
			p->src_cur = (uint8_t)src;
			tp_meta_sync(p);
			tp_add_bytes(p, FD(F_FILE_DATA), 0, n, b, n);
			p->src_cur = was;
			tp_meta_sync(p);
		}
	}
	gather_emit(g, p->number, NULL);
}

/* The direction's gap of n bytes: inside the body (hold: the framing
 * holds), or the message lost. */
static void gather_gap(http_dir *h, uint64_t n, bool hold)
{
	hgather *g = h->g;
	if (!g || !g->on)
		return;
	if (hold) { /* zeros in place of an identity body's bytes */
		hb_gap(&g->body, n);
		return;
	}
	/* where the body ended is unknown: cut at its last byte seen */
	g->body.missing += n;
	g->missing_more = true;
	gather_emit(g, g->frame, "cut: bytes missing where the message's "
				 "framing was lost");
}

/* The gap ran to the body's end: the message is over, in no frame. */
static void gather_gap_end(http_dir *h)
{
	hgather *g = h->g;
	if (g && g->on) {
		hb_finish(&g->body);
		gather_emit(g, g->frame, NULL);
	}
}

static void gather_free(http_dir *h)
{
	hgather *g = h->g;
	if (!g)
		return;
	if (g->on) {
		/* the direction ended: a close-delimited body is whole (as
		 * far as the capture goes); any other is cut */
		if (h->fr.st == S_CLOSE) {
			hb_finish(&g->body);
			gather_emit(g, 0, g->body.status == HB_OK ? NULL
				    : hb_status_name(g->body.status));
		} else {
			if (h->fr.st == S_BODY)
				g->body.missing += h->fr.rem;
			gather_emit(g, 0, "cut: the stream ends inside it");
		}
	}
	while (g->rqn)
		rq_pop(g);
	gmem_give(g, sizeof *g);
	free(g);
	h->g = NULL;
}

/* ---- start lines -------------------------------------------------------- */

/* tcpdump's list (print-http.c, WebDAV included), then PATCH. */
#define M(s) {s, sizeof s - 1}
const http_method http_methods[] = {
	M("GET"),	 M("PUT"),	   M("COPY"),	     M("HEAD"),
	M("LOCK"),	 M("MOVE"),	   M("POLL"),	     M("POST"),
	M("BCOPY"),	 M("BMOVE"),	   M("MKCOL"),	     M("TRACE"),
	M("LABEL"),	 M("MERGE"),	   M("DELETE"),	     M("SEARCH"),
	M("UNLOCK"),	 M("REPORT"),	   M("UPDATE"),	     M("NOTIFY"),
	M("BDELETE"),	 M("CONNECT"),	   M("OPTIONS"),     M("CHECKIN"),
	M("PROPFIND"),	 M("CHECKOUT"),	   M("CCM_POST"),    M("SUBSCRIBE"),
	M("PROPPATCH"),	 M("BPROPFIND"),   M("BPROPPATCH"),  M("UNCHECKOUT"),
	M("MKACTIVITY"), M("MKWORKSPACE"), M("UNSUBSCRIBE"), M("RPC_CONNECT"),
	M("VERSION-CONTROL"), M("BASELINE-CONTROL"), M("PATCH"),
};
#undef M
const size_t http_nmethods_tcpdump = TP_COUNT(http_methods) - 1;
#define METHOD_MAX 16 /* the longest above */

static bool is_method(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < TP_COUNT(http_methods); i++)
		if (http_methods[i].n == n && memcmp(http_methods[i].s, b, n) == 0)
			return true;
	return false;
}

tp_probe http_looks_start(const uint8_t *b, size_t n)
{
	static const char v[] = "HTTP/1.";
	size_t k = n < 7 ? n : 7;
	if (memcmp(b, v, k) == 0)
		return k == 7 ? TP_PROBE_YES : TP_PROBE_MORE;
	size_t i = 0;
	while (i < n && i <= METHOD_MAX &&
	       ((b[i] >= 'A' && b[i] <= 'Z') || b[i] == '-' || b[i] == '_'))
		i++;
	if (i == n && i <= METHOD_MAX) {
		/* too short to tell: a method's beginning? */
		for (size_t m = 0; m < TP_COUNT(http_methods); m++)
			if (http_methods[m].n >= n &&
			    memcmp(http_methods[m].s, b, n) == 0)
				return TP_PROBE_MORE;
		return TP_PROBE_NO;
	}
	if (i == 0 || i > METHOD_MAX || b[i] != ' ')
		return TP_PROBE_NO;
	return is_method(b, i) ? TP_PROBE_YES : TP_PROBE_NO;
}

static tp_probe http_probe(const uint8_t *b, size_t n, uint8_t proto)
{
	return proto == 6 ? http_looks_start(b, n) : TP_PROBE_NO;
}

/* ---- the header block ------------------------------------------------- */


bool http_ieq(const uint8_t *b, size_t n, const char *s)
{
	size_t k = strlen(s);
	if (n != k)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		if (c != (uint8_t)s[i])
			return false;
	}
	return true;
}

/* The end of the header block in b[0..n): the index after its empty
 * line (CRLF or a bare LF), or 0. */
static size_t hdr_end(const uint8_t *b, size_t n)
{
	const uint8_t *p = b, *end = b + n;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		if (p < end && *p == '\n')
			return (size_t)(p + 1 - b);
		if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
			return (size_t)(p + 2 - b);
	}
	return 0;
}

/* A Content-Length value: a list of equal decimal numbers (RFC 9110
 * 8.6); false when it is anything else or overflows. */
static bool parse_cl(const uint8_t *v, size_t n, uint64_t *out)
{
	bool have = false;
	uint64_t first = 0;
	size_t i = 0;
	while (i <= n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		uint64_t x = 0;
		size_t d = 0;
		while (i < n && v[i] >= '0' && v[i] <= '9') {
			if (x > (UINT64_MAX - 9) / 10)
				return false;
			x = x * 10 + (uint64_t)(v[i] - '0');
			i++, d++;
		}
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (!d || (i < n && v[i] != ','))
			return false;
		if (have && x != first)
			return false;
		first = x, have = true;
		i++; /* the comma, or past the end */
	}
	*out = first;
	return have;
}

/* Is "chunked" the last coding in a Transfer-Encoding value? */
static bool te_chunked(const uint8_t *v, size_t n)
{
	size_t e = n;
	while (e > 0 && (v[e - 1] == ' ' || v[e - 1] == '\t'))
		e--;
	size_t s = e;
	while (s > 0 && v[s - 1] != ',' && v[s - 1] != ' ' && v[s - 1] != '\t')
		s--;
	return http_ieq(v + s, e - s, "chunked");
}

#define K(s, f) {s, sizeof s - 1, f}
static const struct {
	const char *name; /* lower case */
	size_t n;
	int f;
} known[] = {
	/* the three that frame a message first: pdu_len reads no others */
	K("content-length", F_CL_HDR),
	K("transfer-encoding", F_TRANSFER_ENCODING),
	K("upgrade", F_UPGRADE),
	K("host", F_HOST),
	K("user-agent", F_USER_AGENT),
	K("accept", F_ACCEPT),
	K("content-type", F_CONTENT_TYPE),
	K("content-encoding", F_CONTENT_ENCODING),
	K("connection", F_CONNECTION),
	K("server", F_SERVER),
	K("location", F_LOCATION),
	K("date", F_DATE),
	K("last-modified", F_LAST_MODIFIED),
	K("cache-control", F_CACHE_CONTROL),
};
#undef K

static void header_line(hctx *x, hmsg *m, size_t at, size_t n, size_t ln)
{
	const uint8_t *b = x->b + at;
	if (x->replay)
		add_str(x, m->resp ? F_RESP_LINE : F_REQ_LINE, at, ln);
	else if ((b[0] | 0x20) != 'c' && (b[0] | 0x20) != 't' &&
		 (b[0] | 0x20) != 'u')
		return; /* framing reads Content-Length, Transfer-Encoding,
			 * Upgrade (known[]'s first three) */
	const uint8_t *colon = memchr(b, ':', n);
	if (!colon)
		return;
	size_t nl = (size_t)(colon - b), v = nl + 1, e = n;
	while (v < e && (b[v] == ' ' || b[v] == '\t'))
		v++;
	while (e > v && (b[e - 1] == ' ' || b[e - 1] == '\t'))
		e--;
	int f = -1;
	size_t nk = x->replay ? TP_COUNT(known) : 3;
	for (size_t i = 0; i < nk; i++)
		if (known[i].n == nl && http_ieq(b, nl, known[i].name)) {
			f = known[i].f;
			break;
		}
	if (f < 0 && x->replay && nl == 14 && http_ieq(b, nl, "http2-settings")) {
		/* tshark shows them as HTTP/2's settings */
		uint8_t set[96];
		size_t k = http2_settings_decode(b + v, e - v, set, sizeof set);
		http2_settings_fields(x->p, x->base + at + v, e - v, set, k);
		return;
	}
	if (f < 0)
		return;
	if (x->replay)
		add_str(x, f, at + v, e - v);
	if (f == F_HOST) {
		m->host_at = at + v;
		m->host_len = e - v;
	} else if (f == F_CONTENT_TYPE) {
		m->ct_at = at + v;
		m->ct_len = e - v;
	} else if (f == F_CONTENT_ENCODING) {
		m->ce_at = at + v;
		m->ce_len = e - v;
	} else if (f == F_CL_HDR) {
		uint64_t cl = 0;
		if (!parse_cl(b + v, e - v, &cl) ||
		    (m->cl_set && cl != m->cl)) {
			m->cl_bad = true;
		} else {
			m->cl = cl;
			m->cl_set = true;
			if (x->replay)
				tp_add_uint(x->p, FD(F_CL), x->base + at + v,
					    e - v, cl);
		}
	} else if (f == F_TRANSFER_ENCODING) {
		m->te = true;
		m->chunked = te_chunked(b + v, e - v);
	} else if (f == F_UPGRADE) {
		m->upgrade = http_ieq(b + v, e - v, "websocket") ? "websocket"
			     : http_ieq(b + v, e - v, "h2c")	  ? "http2"
							  : NULL;
	}
}

/* The start line b[0..n) (no line end). */
static void start_line(hctx *x, hmsg *m, size_t n)
{
	const uint8_t *b = x->b;
	const uint8_t *s1 = memchr(b, ' ', n);
	size_t a = s1 ? (size_t)(s1 - b) : n;
	size_t r = a < n ? a + 1 : n;
	const uint8_t *s2 = r < n ? memchr(b + r, ' ', n - r) : NULL;
	size_t c = s2 ? (size_t)(s2 - b) : n;
	m->resp = a >= 5 && memcmp(b, "HTTP/", 5) == 0;
	if (m->resp) {
		m->code = 0;
		for (size_t i = r; c - r == 3 && i < c; i++) {
			if (b[i] < '0' || b[i] > '9') {
				m->code = 0;
				break;
			}
			m->code = m->code * 10 + (unsigned)(b[i] - '0');
		}
	} else {
		m->head = http_ieq(b, a, "head");
		m->connect = http_ieq(b, a, "connect");
	}
	if (!x->replay)
		return;
	tp_pkt *p = x->p;
	tp_add_uint(p, FD(m->resp ? F_RESPONSE : F_REQUEST), x->base, 0, 1);
	size_t d = c < n ? c + 1 : n;
	if (m->resp) {
		add_str(x, F_RESP_VERSION, 0, a);
		if (c > r)
			tp_add_uint(p, FD(F_CODE), x->base + r, c - r, m->code);
		add_str(x, F_PHRASE, d, n - d);
	} else {
		add_str(x, F_METHOD, 0, a);
		add_str(x, F_URI, r, c - r);
		m->uri_at = r;
		m->uri_len = c - r;
		add_str(x, F_REQ_VERSION, d, n - d);
	}
}

/* tshark's http.request.full_uri: "http://" host and an origin-form
 * URI, or an absolute URI as it is. */
static void full_uri(hctx *x, const hmsg *m)
{
	const uint8_t *u = x->b + m->uri_at;
	if (m->connect || !m->uri_len)
		return;
	if (u[0] != '/') {
		if (m->uri_len > 7 && http_ieq(u, 7, "http://"))
			add_str(x, F_FULL_URI, m->uri_at, m->uri_len);
		return;
	}
	if (!m->host_len || m->host_len + m->uri_len > 4096)
		return;
	size_t n = 7 + m->host_len + m->uri_len;
	uint8_t *s = tp_arena_alloc(x->p, n);
	if (!s)
		return;
	memcpy(s, "http://", 7);
	memcpy(s + 7, x->b + m->host_at, m->host_len);
	memcpy(s + 7 + m->host_len, u, m->uri_len);
	tp_add_bytes(x->p, FD(F_FULL_URI), x->base, 0, s, n);
}

/* Parse the header block b[0..hlen). */
static void parse_head(hctx *x, hmsg *m, size_t hlen)
{
	const uint8_t *b = x->b;
	size_t i = 0;
	m->hlen = hlen;
	bool first = true;
	while (i < hlen) {
		const uint8_t *nl = memchr(b + i, '\n', hlen - i);
		size_t e = nl ? (size_t)(nl - b) : hlen;
		size_t ln = (nl ? e + 1 : e) - i; /* with its line end */
		size_t t = e;
		if (t > i && b[t - 1] == '\r')
			t--;
		if (first)
			start_line(x, m, t);
		else if (t > i)
			header_line(x, m, i, t - i, ln);
		first = false;
		i += ln;
	}
	if (x->replay && !m->resp)
		full_uri(x, m);
}

/* ---- bodies ------------------------------------------------------------- */

/* Chunked body bytes from b[0..n) in state m: how many are used (up to
 * the message's end; 0: a size line is not whole yet). */
static size_t chunks(hctx *x, hframe *m, size_t at, size_t n)
{
	const uint8_t *b = x->b + at;
	size_t i = 0;
	while (i < n && m->st == S_CHUNK) {
		if (m->cs == CS_DATA) {
			size_t k = m->rem < n - i ? (size_t)m->rem : n - i;
			if (x->replay)
				tp_add_bytes(x->p, FD(F_CHUNK_DATA),
					     x->base + at + i, k, b + i, k);
			gather(x, b + i, k);
			x->any_body = true;
			m->rem -= k;
			i += k;
			if (!m->rem)
				m->cs = CS_CRLF;
			continue;
		}
		size_t lim = n - i < HTTP_CHUNK_LINE_MAX ? n - i
							  : HTTP_CHUNK_LINE_MAX;
		const uint8_t *nl = memchr(b + i, '\n', lim);
		if (!nl) {
			if (lim < HTTP_CHUNK_LINE_MAX)
				break; /* more bytes */
			event(x, E_BAD_CHUNK, at + i);
			m->st = S_CLOSE;
			break;
		}
		size_t e = (size_t)(nl - b), ln = e + 1 - i;
		if (m->cs == CS_CRLF) {
			/* the data's CRLF: anything else is passed over */
			m->cs = CS_SIZE;
		} else if (m->cs == CS_TRAILER) {
			size_t t = e > i && b[e - 1] == '\r' ? e - 1 : e;
			if (t == i) {
				m->st = S_START; /* the empty line: the end */
				x->ended = true;
			} else if (x->replay) {
				add_str(x, F_TRAILER, at + i, t - i);
			}
		} else {
			uint64_t v = 0;
			size_t d = i;
			bool over = false;
			while (d < e) {
				uint8_t c = b[d];
				unsigned h = c >= '0' && c <= '9'   ? c - '0'
					     : c >= 'a' && c <= 'f' ? c - 'a' + 10
					     : c >= 'A' && c <= 'F' ? c - 'A' + 10
								    : 16;
				if (h == 16)
					break;
				if (v >> 60)
					over = true;
				v = v << 4 | h;
				d++;
			}
			/* after the digits: spaces, extensions, the end */
			bool ok = d > i && !over &&
				  (d == e || b[d] == ';' || b[d] == ' ' ||
				   b[d] == '\t' || b[d] == '\r');
			if (!ok) {
				event(x, E_BAD_CHUNK, at + i);
				m->st = S_CLOSE;
				break;
			}
			if (x->replay)
				tp_add_uint(x->p, FD(F_CHUNK_SIZE),
					    x->base + at + i, d - i,
					    v > UINT32_MAX ? UINT32_MAX : v);
			if (v) {
				m->cs = CS_DATA;
				m->rem = v;
			} else {
				m->cs = CS_TRAILER;
			}
		}
		i += ln;
	}
	if (m->st == S_CLOSE && i < n) { /* gave up: the rest is body */
		gather(x, b + i, n - i);
		x->any_body = true;
		i = n;
	}
	return i;
}

/* Body bytes from b[at..at+n) in state m. */
static size_t body(hctx *x, hframe *m, size_t at, size_t n)
{
	size_t k = n;
	switch (m->st) {
	case S_BODY:
		k = m->rem < n ? (size_t)m->rem : n;
		m->rem -= k;
		if (!m->rem) {
			m->st = S_START;
			x->ended = true;
		}
		break;
	case S_CHUNK:
		return chunks(x, m, at, n);
	case S_TUNNEL:
		return n; /* another protocol's bytes */
	default:
		break; /* S_CLOSE: all of it */
	}
	if (x->replay && k)
		add_str(x, F_FILE_DATA, at, k);
	gather(x, x->b + at, k);
	x->any_body |= k > 0;
	return k;
}

/* ---- messages ------------------------------------------------------------ */

/* The response's request, taken from the other direction's queue (the
 * oldest; kept for 1xx); NULL when none is known. */
static const hreq *answer(hctx *x, unsigned code)
{
	http_dir *h = x->h;
	if (!h)
		return NULL;
	if (!x->replay) {
		http_dir *q = h->peer;
		h->have_cur = q && q->qn > 0;
		if (h->have_cur) {
			const hreq *o = qslot(q, 0);
			if (h->cur.frame != o->frame)
				h->cur_prev = h->cur.frame;
			h->cur = *o;
			if (code >= 200 || code == 101 || code < 100) {
				q->qh = (uint8_t)((q->qh + 1) % HTTP_PIPE_MAX);
				q->qn--;
			}
		}
		h->cut_msg = 2;
	}
	return h->have_cur ? &h->cur : NULL;
}

/* s (n bytes) into d (cap bytes, NUL-terminated, cut). */
static void cpy(char *d, size_t cap, const uint8_t *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(d, s, n);
	d[n] = '\0';
}

/* A request upgrading to HTTP/2: its URI and Host kept (the lean
 * framing parsed neither) for the response HTTP/2 sends on stream 1. */
static void keep_upgrade(http_dir *h, const uint8_t *b, size_t hlen)
{
	if (!h->up && !(h->up = calloc(1, sizeof *h->up)))
		return;
	h->up->host[0] = h->up->uri[0] = '\0';
	const uint8_t *sp = memchr(b, ' ', hlen);
	const uint8_t *eol = memchr(b, '\n', hlen);
	if (sp && eol && sp < eol) {
		const uint8_t *u = sp + 1;
		const uint8_t *ue = memchr(u, ' ', (size_t)(eol - u));
		cpy(h->up->uri, sizeof h->up->uri, u,
		    (size_t)((ue ? ue : eol) - u));
	}
	h->up->nset = 0;
	for (const uint8_t *l = eol; l && l + 6 < b + hlen;
	     l = memchr(l + 1, '\n', (size_t)(b + hlen - l - 1))) {
		const uint8_t *v = l + 1, *e = b + hlen;
		bool host = http_ieq(v, 5, "host:");
		bool set = e - v > 15 && http_ieq(v, 15, "http2-settings:");
		if (!host && !set)
			continue;
		v += host ? 5 : 15;
		const uint8_t *le = memchr(v, '\n', (size_t)(e - v));
		e = le ? le : e;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (host)
			cpy(h->up->host, sizeof h->up->host, v, (size_t)(e - v));
		else
			h->up->nset = (uint8_t)http2_settings_decode(
				v, (size_t)(e - v), h->up->set, sizeof h->up->set);
	}
}

static void enqueue(hctx *x, const hmsg *m)
{
	http_dir *h = x->h;
	if (!h || x->replay)
		return;
	if (m->upgrade && strcmp(m->upgrade, "http2") == 0)
		keep_upgrade(h, x->b, m->hlen);
	h->cut_msg = 1;
	if (h->qn == 1 && !h->qx) { /* a second waits: the ring of 8 */
		h->qx = calloc(HTTP_PIPE_MAX, sizeof *h->qx);
		if (h->qx) {
			h->qx[0] = h->q1;
			h->qh = 0;
		}
	}
	h->pipe_full = h->qn == (h->qx ? HTTP_PIPE_MAX : 1);
	if (h->pipe_full)
		return;
	*qslot(h, h->qn) = (hreq){0, 0, m->head, m->connect};
	h->qn++;
}

/* The framing after a message head. */
static void frame_body(hctx *x, hframe *f, const hmsg *m, size_t at)
{
	f->st = S_START;
	if (m->resp) {
		const hreq *rq = answer(x, m->code);
		if (m->code == 101 || (rq && rq->connect && m->code / 100 == 2)) {
			f->st = S_TUNNEL;
			if (x->h && x->h->peer && !x->replay)
				x->h->peer->fr.st = S_TUNNEL;
			/* an Upgrade to a protocol tapir has: the stream is
			 * its from here (else a tunnel passed over) */
			if (m->code == 101 && m->upgrade && x->h && !x->replay) {
				const tp_dissector *nd =
					tp_registry_by_name(m->upgrade);
				const struct http_up *up =
					x->h->peer ? x->h->peer->up : NULL;
				tp_upgrade_req u = {rq ? rq->frame : 0,
						    rq ? rq->ts : 0, 0, "", ""};
				if (up && strcmp(m->upgrade, "http2") == 0) {
					memcpy(u.host, up->host, sizeof u.host);
					memcpy(u.uri, up->uri, sizeof u.uri);
					memcpy(u.extra, up->set, up->nset);
					u.extra_len = up->nset;
					x->handed = tp_app_handoff_req(nd, &u);
				} else {
					x->handed = tp_app_handoff(nd);
				}
			}
			return;
		}
		if (m->code / 100 == 1 || m->code == 204 || m->code == 304 ||
		    (rq && rq->head))
			return;
	} else {
		enqueue(x, m);
		if (m->te && !m->chunked) {
			event(x, E_BAD_TE, at);
			f->st = S_CLOSE;
			return;
		}
	}
	if (m->te) {
		f->st = m->chunked ? S_CHUNK : S_CLOSE;
		f->cs = CS_SIZE;
	} else if (m->cl_bad) {
		event(x, E_BAD_CL, at);
		f->st = S_CLOSE;
	} else if (m->cl_set) {
		f->st = m->cl ? S_BODY : S_START;
		f->rem = m->cl;
	} else if (m->resp) {
		f->st = S_CLOSE;
	}
}

/* One PDU from b[0..n) in state f: its length (<= n), or 0 for more
 * bytes. */
static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

static size_t advance(hctx *x, hframe *f, size_t n)
{
	const uint8_t *b = x->b;
	if (f->st != S_START)
		return body(x, f, 0, n);
	size_t i = 0;
	while (i < n && (b[i] == '\r' || b[i] == '\n'))
		i++; /* empty lines before a message (RFC 9112 2.2) */
	if (i)
		return i;
	tp_probe r = http_looks_start(b, n);
	if (r == TP_PROBE_MORE)
		return 0;
	if (r == TP_PROBE_NO && !x->replay && x->h && !x->h->seen_msg &&
	    tp_app_reprobe(b, n))
		return TP_PDU_NOT_MINE; /* another protocol's (an HTTP/2
					 * preface on port 80) */
	/* the start of that preface, split over segments: wait for it
	 * whole (else it would be passed over as junk) */
	if (r == TP_PROBE_NO && !x->replay && x->h && !x->h->seen_msg &&
	    n < sizeof h2_preface - 1 && memcmp(b, h2_preface, n) == 0)
		return 0;
	if (r == TP_PROBE_NO) {
		/* not a message start: up to the next line that is */
		const uint8_t *p = b;
		while ((p = memchr(p, '\n', (size_t)(b + n - p))) != NULL) {
			p++;
			if (p == b + n ||
			    http_looks_start(p, (size_t)(b + n - p)) !=
				    TP_PROBE_NO)
				return (size_t)(p - b);
		}
		return n;
	}
	size_t lim = n < HTTP_HDR_MAX ? n : HTTP_HDR_MAX;
	size_t hlen = hdr_end(b, lim);
	if (!hlen) {
		if (lim < HTTP_HDR_MAX)
			return 0;
		event(x, E_HDR_LONG, 0);
		if (x->replay) { /* its lines as far as the cap */
			hmsg m = {0};
			parse_head(x, &m, lim);
		}
		return lim; /* what follows is resynchronised */
	}
	hmsg m = {0};
	parse_head(x, &m, hlen);
	if (x->h && !x->replay)
		x->h->seen_msg = true;
	frame_body(x, f, &m, 0);
	if (x->replay)
		gather_head(x, &m, f);
	return hlen + (f->st != S_START && !x->handed
			       ? body(x, f, hlen, n - hlen)
			       : 0);
}

static size_t http_pdu_len(void *st, const uint8_t *b, size_t n)
{
	http_dir *h = st;
	hframe f = h ? h->fr : (hframe){0};
	hctx x = {h, false, NULL, 0, b, false, false, NULL};
	if (h) {
		h->cut = h->fr;
		h->cut_msg = 0;
		h->cut_ev = 0;
	}
	size_t k = advance(&x, &f, n);
	if (k && h)
		h->fr = f;
	return k;
}

static void http_gap(void *st, uint64_t n)
{
	http_dir *h = st;
	if (!h)
		return;
	hframe *f = &h->fr;
	/* inside a body or chunk that the gap does not end: the framing
	 * holds (the bytes are only missing); else resynchronise on the
	 * next message start */
	if (f->st == S_CLOSE || f->st == S_TUNNEL) {
		gather_gap(h, n, true);
		return;
	}
	if ((f->st == S_BODY || (f->st == S_CHUNK && f->cs == CS_DATA)) &&
	    n <= f->rem) {
		/* up to the body's or chunk's end: its framing goes on */
		f->rem -= n;
		bool end = !f->rem && f->st == S_BODY;
		if (!f->rem)
			f->st == S_BODY ? (void)(f->st = S_START)
					: (void)(f->cs = CS_CRLF);
		gather_gap(h, n, true);
		if (end)
			gather_gap_end(h);
		return;
	}
	gather_gap(h, n, false);
	*f = (hframe){0};
}

/* A lean run shows a PDU that starts a message (its pairing) or met an
 * event; a body part's text is TCP's line's (http_seg_text). */
static bool http_pdu_shown(const void *st)
{
	const http_dir *h = st;
	return !h || h->cut_msg || h->cut_ev || (h->g && h->g->on);
}

/* ---- dissect --------------------------------------------------------- */

static void pairing(tp_pkt *p, http_dir *h, size_t at)
{
	int64_t now = p->ts_sec * 1000000000ll + p->ts_nsec;
	/* lean (the one-line text only): just what the note reads */
	bool all = !p->lean;
	if (h->cut_msg == 1) {
		++h->nreq;
		if (all)
			tp_add_uint(p, FD(F_REQUEST_NUMBER), at, 0, h->nreq);
		if (all && h->prev_req)
			tp_add_uint(p, FD(F_PREV_REQUEST_IN), at, 0,
				    h->prev_req);
		if (h->pipe_full) {
			if (all)
				tp_add_event(p, &tp_http_events[E_PIPE_FULL],
					     at);
			return;
		}
		hreq *q = qslot(h, h->qn - 1u);
		q->frame = p->number;
		q->ts = now;
		h->prev_req = p->number;
	} else if (h->cut_msg == 2) {
		++h->nresp;
		if (all)
			tp_add_uint(p, FD(F_RESPONSE_NUMBER), at, 0, h->nresp);
		if (!h->have_cur || !h->cur.frame)
			return;
		tp_add_uint(p, FD(F_REQUEST_IN), at, 0, h->cur.frame);
		if (all && h->cur_prev) /* tshark: its request's previous one */
			tp_add_uint(p, FD(F_PREV_REQUEST_IN), at, 0,
				    h->cur_prev);
		tp_field *t = tp_field_append(p, FD(F_TIME), at, 0);
		if (t)
			t->v.i = now - h->cur.ts;
	}
}

static tp_next http_dissect(tp_pkt *p, tp_cursor *c)
{
	http_dir *h = tp_app_state(p);
	size_t n = tp_avail(c), at = c->off;
	const uint8_t *b = tp_bytes(c, n);
	if (!b)
		return TP_STOP;
	hframe f = h ? h->cut : (hframe){0};
	size_t pos = 0;
	/* the one-line text reads the segment and the pairing only: no
	 * replay (pdu_len framed the PDU already) */
	if (h && p->lean && !bodies_wanted(p)) {
		pos = n;
		for (int e = 0; e < E_COUNT_; e++)
			if (h->cut_ev & 1u << e)
				tp_add_event(p, &tp_http_events[e], at);
	}
	while (pos < n) {
		hctx x = {h, true, p, at + pos, b + pos, false, false, NULL};
		x.g = h && h->g && h->g->on ? h->g : NULL;
		size_t k = advance(&x, &f, n - pos);
		if (!k)
			break; /* no state: a head cut short */
		pos += k;
		if (x.ended && x.g && x.g->on)
			gather_end(p, x.g, at);
		if (h) /* a stream PDU: one message part */
			break;
	}
	if (h)
		pairing(p, h, at);
	if (h && !p->lean) /* --stats http: not in the one-line run */
		http_stats_pdu(p, p->nlayers - 1, &h->stats_ct);
	return TP_STOP;
}

static const tp_key http_keys[] = {{TP_TAB_TCP_PORT, 80},
				   {TP_TAB_TCP_PORT, 8080},
				   {TP_TAB_TCP_PORT, 8000},
				   {TP_TAB_TCP_PORT, 3128},
				   /* tcpdump's HTTP_PORT, HTTP_PORT_ALT */
				   {TP_TAB_TCP_TEXT, 80},
				   {TP_TAB_TCP_TEXT, 8080},
				   {0, 0}};

const tp_dissector tp_diss_http = {
	.name = "http",
	.longname = "Hypertext Transfer Protocol",
	.fields = tp_http_fields,
	.nfields = F_COUNT_,
	.events = tp_http_events,
	.nevents = E_COUNT_,
	.keys = http_keys,
	.dissect = http_dissect,
	.summarize = http_summarize,
	.seg_summarize = http_seg_text,
	.probe = http_probe,
	.state_new = http_state_new,
	.state_free = http_state_free,
	.state_size = sizeof(http_dir) + HTTP_PIPE_MAX * sizeof(hreq),
	.state_pair = http_state_pair,
	.pdu_len = http_pdu_len,
	.gap = http_gap,
	.pdu_shown = http_pdu_shown,
	/* a header block at its cap and the bytes that complete a line */
	.pdu_max = HTTP_HDR_MAX + HTTP_CHUNK_LINE_MAX,
	.colname = "HTTP",
	.info = http_info,
	.session_new = http_session_new,
	.session_free = http_session_free,
	.stats_print = http_stats_print,
};
