/* http2_conn.c - an HTTP/2 connection's life for http2.c: the state both
 * directions share (h2conn), its streams (request/response pairing,
 * END_STREAM / RST_STREAM / GOAWAY ends, PUSH_PROMISE links), the HPACK
 * tables, flow-control windows, the bodies of DATA frames decoded as
 * HTTP/1.1's are (http_body.h) and handed to --export-objects, and the
 * counters of --stats http2.
 *
 * Bounded: at most H2_STREAMS_MAX streams a connection (the oldest
 * closed one forgotten first); the tables, the stream slots, strings and
 * bodies are charged to the session's reassembly memory cap (a table
 * refused there is dropped, its later references then "unknown").
 */
#include <stdlib.h>
#include <string.h>

#include "http2_int.h"
#include "tapir/output.h"
#include "tapir/record.h"

static bool take(h2conn *c, size_t n)
{
	if (!c->s)
		return true;
	if (!tp_reasm_mem_take(&c->s->mem, n))
		return false;
	c->charged += n;
	return true;
}

static void give(h2conn *c, size_t n)
{
	if (!c->s || !n)
		return;
	tp_reasm_mem_give(&c->s->mem, n);
	c->charged -= n;
}

bool h2_mem_take(h2conn *c, size_t n) { return take(c, n); }

void h2_mem_give(h2conn *c, size_t n)
{
	if (c)
		give(c, n);
}

bool h2_bodies_wanted(const tp_pkt *p)
{
	return p && p->app_sess && p->app_sess->cfg.bodies;
}

void h2_setting_apply(h2conn *c, int from, unsigned id, uint32_t v)
{
	int peer = from ^ 1; /* the side whose sending it limits */
	if (id == 1) {
		c->tab_limit[peer] = v;
		c->limit_seen[peer] = true;
		if (c->tab_made[peer])
			hpack_table_set_limit(&c->tab[peer], v);
	} else if (id == 4 && v <= 0x7fffffff) {
		int64_t delta = (int64_t)v - c->iws[from];
		c->iws[from] = v;
		for (unsigned k = 0; k < c->nsv; k++)
			if (c->sv[k].used && !c->sv[k].closed)
				c->sv[k].win[peer] += delta;
	}
}

/* A connection HTTP handed over after "Upgrade: h2c": stream 1 is the
 * upgrading request's, half-closed by the client (RFC 9113 3.2); the
 * response on it is paired with that HTTP/1.1 request. */
static void upgrade_stream(tp_pkt *p, h2conn *c)
{
	const tp_upgrade_req *u = tp_app_upgrade_req(p);
	if (!u)
		return;
	/* the client's HTTP2-Settings: its first SETTINGS (3.2.1) */
	for (unsigned i = 0; i + 6 <= u->extra_len && i + 6 <= sizeof u->extra;
	     i += 6)
		h2_setting_apply(c, u->dir & 1,
				 (unsigned)u->extra[i] << 8 | u->extra[i + 1],
				 (uint32_t)u->extra[i + 2] << 24 |
					 (uint32_t)u->extra[i + 3] << 16 |
					 (uint32_t)u->extra[i + 4] << 8 |
					 u->extra[i + 5]);
	c->upgrade_settings = u->extra_len > 0;
	h2stream *s = h2_stream(c, 1, true);
	if (!s)
		return;
	s->have_req = true;
	s->req_dir = u->dir & 1;
	s->req_frame = u->frame;
	s->req_ts = u->ts;
	if (u->host[0])
		s->host = h2_strdup(c, u->host, strlen(u->host), 256);
	if (u->uri[0])
		s->path = h2_strdup(c, u->uri, strlen(u->uri), 2048);
	h2_stream_open(c, s);
	s->ended[s->req_dir] = true;
}

h2conn *h2_conn(tp_pkt *p, h2dir *h)
{
	if (!h->c) {
		if (h->peer && h->peer->c) {
			h->c = h->peer->c;
			h->c->refs++;
		} else {
			h2conn *c = calloc(1, sizeof *c);
			if (!c)
				return NULL;
			c->refs = 1;
			c->s = p->app_sess;
			c->tcp_stream = p->flow ? p->flow->stream : 0;
			c->upgraded = p->flow && p->flow->app.upgraded;
			for (int d = 0; d < 2; d++) {
				c->iws[d] = H2_WINDOW_DEFAULT;
				c->conn_win[d] = H2_WINDOW_DEFAULT;
				c->tab_limit[d] = HPACK_DEFAULT_SIZE;
			}
			h->c = c;
			upgrade_stream(p, c);
		}
		h->c->fresh[h->dir] = h->fresh;
	}
	h2conn *c = h->c;
	c->win_known = c->fresh[0] && c->fresh[1] &&
		       (!c->upgraded || c->upgrade_settings);
	return c;
}

char *h2_strdup(h2conn *c, const void *b, size_t n, size_t max)
{
	if (n > max)
		n = max;
	if (!take(c, n + 1))
		return NULL;
	char *s = malloc(n + 1);
	if (!s) {
		give(c, n + 1);
		return NULL;
	}
	memcpy(s, b, n);
	for (size_t i = 0; i < n; i++)
		if (!s[i])
			s[i] = '?';
	s[n] = '\0';
	return s;
}

void h2_str_free(h2conn *c, char **s)
{
	if (*s)
		give(c, strlen(*s) + 1);
	free(*s);
	*s = NULL;
}

/* ---- HPACK tables ------------------------------------------------------ */

hpack_table *h2_table(h2conn *c, int dir)
{
	if (!c->tab_made[dir]) {
		/* a direction not seen from its start: any size update */
		bool known = c->fresh[dir] &&
			     (!c->upgraded || c->upgrade_settings ||
			      c->limit_seen[dir]);
		hpack_table_init(&c->tab[dir],
				 known ? c->tab_limit[dir] : UINT32_MAX);
		c->tab_made[dir] = true;
	}
	return &c->tab[dir];
}

static uint64_t table_bytes(const hpack_table *t)
{
	return (uint64_t)t->held + (uint64_t)t->cap * sizeof(hpack_entry);
}

void h2_table_reset(h2conn *c, int dir)
{
	if (c->tab_made[dir]) {
		hpack_table_free(&c->tab[dir]);
		c->tab_made[dir] = false;
	}
	give(c, (size_t)c->tab_charged[dir]);
	c->tab_charged[dir] = 0;
	c->fresh[dir] = false; /* its insertions are unknown from here */
}

void h2_table_charge(tp_pkt *p, h2conn *c, int dir)
{
	if (!c->tab_made[dir])
		return;
	uint64_t now = table_bytes(&c->tab[dir]);
	if (now > c->tab_charged[dir]) {
		if (!take(c, (size_t)(now - c->tab_charged[dir]))) {
			tp_add_event(p, H2EV(H2E_MEM), 0);
			h2_table_reset(c, dir);
			return;
		}
	} else {
		give(c, (size_t)(c->tab_charged[dir] - now));
	}
	c->tab_charged[dir] = now;
}

/* ---- streams ------------------------------------------------------------ */

static void stream_forget(h2conn *c, h2stream *s);

h2stream *h2_stream(h2conn *c, uint32_t id, bool make)
{
	if (!id)
		return NULL;
	h2stream *free_slot = NULL;
	for (unsigned k = 0; k < c->nsv; k++) {
		h2stream *s = &c->sv[k];
		if (s->used && s->id == id) {
			s->seen = ++c->clock;
			return s;
		}
		if (!s->used && !free_slot)
			free_slot = s;
	}
	if (!make)
		return NULL;
	if (!free_slot && c->nsv < H2_STREAMS_MAX) {
		if (c->nsv == c->capsv) {
			unsigned cap = c->capsv ? c->capsv * 2 : 8;
			if (cap > H2_STREAMS_MAX)
				cap = H2_STREAMS_MAX;
			size_t more = (cap - c->capsv) * sizeof(h2stream);
			if (!take(c, more))
				return NULL;
			h2stream *nv = realloc(c->sv, cap * sizeof *nv);
			if (!nv) {
				give(c, more);
				return NULL;
			}
			c->sv = nv;
			c->capsv = cap;
		}
		free_slot = &c->sv[c->nsv++];
		memset(free_slot, 0, sizeof *free_slot);
	}
	if (!free_slot) { /* full: the oldest closed stream, else open */
		h2stream *old = NULL;
		for (int pass = 0; pass < 2 && !old; pass++)
			for (unsigned k = 0; k < c->nsv; k++) {
				h2stream *s = &c->sv[k];
				if ((pass || s->closed) &&
				    (!old || s->seen < old->seen))
					old = s;
			}
		stream_forget(c, old);
		free_slot = old;
	}
	h2stream *s = free_slot;
	memset(s, 0, sizeof *s);
	s->used = true;
	s->id = id;
	s->seen = ++c->clock;
	/* each sender's window: what the receiver's SETTINGS allow */
	s->win[0] = c->iws[1];
	s->win[1] = c->iws[0];
	return s;
}

void h2_stream_open(h2conn *c, h2stream *s)
{
	if (s->opened)
		return;
	s->opened = true;
	s->counted = true;
	c->open++;
	c->streams++;
	if (c->open > c->peak)
		c->peak = c->open;
	h2_stats_stream(c);
}

void h2_stream_close(h2conn *c, h2stream *s, bool reset)
{
	if (s->closed)
		return;
	s->closed = true;
	s->reset = reset;
	if (s->counted && c->open)
		c->open--;
	s->counted = false;
}

/* ---- bodies ------------------------------------------------------------- */

void h2_body_start(tp_pkt *p, h2conn *c, h2stream *s, int dir,
		   const uint8_t *ce, size_t cen)
{
	if (!h2_bodies_wanted(p) || s->body_on[dir])
		return;
	hb_enc enc = cen ? hb_encoding(ce, cen) : HB_IDENTITY;
	/* a plain body's bytes are the frames' own: gathered for an export
	 * only */
	if (enc == HB_IDENTITY && !(c->s && c->s->objtap))
		return;
	s->body_on[dir] = true;
	s->body_frame[dir] = p->number;
	hb_init(&s->body[dir], enc, HB_MAX, HB_RATIO, c->s ? &c->s->mem : NULL);
}

void h2_body_feed(h2stream *s, int dir, uint64_t frame, const uint8_t *b,
		  size_t n)
{
	s->body_frame[dir] = frame;
	if (n)
		hb_feed(&s->body[dir], b, n);
}

/* The object out to --export-objects, and the gatherer emptied. */
static void emit(h2conn *c, h2stream *s, int dir, uint64_t frame,
		 const char *why, bool more)
{
	hbody *bd = &s->body[dir];
	const tp_object_tap *t = c->s ? c->s->objtap : NULL;
	if (t && t->object) {
		bool coded = bd->enc != HB_IDENTITY && bd->enc != HB_OTHER;
		tp_object o = {
			.proto = "http2",
			.frame = frame,
			.stream = 0,
			.h2_stream = s->id,
			.host = s->host ? s->host : "",
			.uri = s->path ? s->path : "",
			.ctype = s->ctype[dir] ? s->ctype[dir] : "",
			.b = bd->b,
			.n = bd->n,
			.missing = bd->missing,
			.zero_filled = !coded && bd->missing &&
				       bd->status == HB_OK && !why,
			.missing_unknown = more,
			.status = why ? why
				  : bd->status == HB_OK ? NULL
							: hb_status_name(bd->status),
			.cap = bd->cap,
		};
		o.stream = c->tcp_stream;
		t->object(t->ctx, &o);
		if (o.taken && o.b)
			bd->b = NULL;
	}
	hb_free(bd);
	s->body_on[dir] = false;
}

void h2_body_end(tp_pkt *p, h2conn *c, h2stream *s, int dir, size_t at,
		 const char *why)
{
	hbody *bd = &s->body[dir];
	hb_finish(bd);
	if (bd->status == HB_CAP_SIZE || bd->status == HB_CAP_RATIO ||
	    bd->status == HB_CAP_MEM)
		tp_add_event(p, H2EV(H2E_BODY_CAPPED), at);
	else if (bd->status == HB_BAD || bd->status == HB_SHORT ||
		 bd->status == HB_GAP)
		tp_add_event(p, H2EV(H2E_BODY_BAD), at);
	bool coded = bd->enc != HB_IDENTITY && bd->enc != HB_OTHER;
	tp_add_uint(p, H2FD(H2F_BODY_LEN), at, 0, bd->n);
	if (coded && p->number && !why) {
		int src = tp_src_copy(p, "Uncompressed entity body",
				      TP_SRC_DERIVED, bd->b, bd->n);
		if (src >= 0) {
			size_t n = 0;
			const uint8_t *b = tp_src_bytes(p, (unsigned)src, &n);
			uint8_t was = p->src_cur;
			p->src_cur = (uint8_t)src;
			tp_meta_sync(p);
			tp_add_bytes(p, H2FD(H2F_BODY_DATA), 0, n, b, n);
			p->src_cur = was;
			tp_meta_sync(p);
		}
	}
	emit(c, s, dir, p->number ? p->number : s->body_frame[dir], why,
	     false);
}

void h2_body_gap(h2conn *c, int dir)
{
	for (unsigned k = 0; k < c->nsv; k++) {
		h2stream *s = &c->sv[k];
		if (s->used && s->body_on[dir]) {
			s->body[dir].missing += 1;
			emit(c, s, dir, s->body_frame[dir],
			     "cut: bytes missing where the framing was lost",
			     true);
		}
	}
}

static void stream_forget(h2conn *c, h2stream *s)
{
	for (int d = 0; d < 2; d++)
		if (s->body_on[d])
			emit(c, s, d, 0, "cut: the stream ends inside it",
			     false);
	h2_stream_close(c, s, false);
	h2_str_free(c, &s->host);
	h2_str_free(c, &s->path);
	h2_str_free(c, &s->ctype[0]);
	h2_str_free(c, &s->ctype[1]);
	s->used = false;
}

void h2_conn_release(h2conn *c)
{
	if (--c->refs)
		return;
	for (unsigned k = 0; k < c->nsv; k++)
		if (c->sv[k].used)
			stream_forget(c, &c->sv[k]);
	give(c, c->capsv * sizeof(h2stream));
	free(c->sv);
	for (int d = 0; d < 2; d++)
		h2_table_reset(c, d);
	free(c);
}

/* ---- --stats http2 ------------------------------------------------------ */

#define H2S_CODES 14u /* error codes named; the rest "other" */

typedef struct h2_session {
	uint64_t conns, frames[T_COUNT_ + 1], streams, streams_max;
	uint64_t rst[H2S_CODES + 1], goaway[H2S_CODES + 1];
	unsigned peak;
} h2_session;

void *h2_session_new(void) { return calloc(1, sizeof(h2_session)); }

void h2_session_free(void *st) { free(st); }

void h2_stats_frame(tp_pkt *p, h2conn *c, unsigned type, uint32_t code)
{
	if (p->lean)
		return;
	if (!c->stats) {
		c->stats = tp_app_session(p, &tp_diss_http2);
		if (!c->stats)
			return;
		((h2_session *)c->stats)->conns++;
	}
	h2_session *s = c->stats;
	if (type == (0x100 | T_RST_STREAM))
		s->rst[code < H2S_CODES ? code : H2S_CODES]++;
	else if (type == (0x100 | T_GOAWAY))
		s->goaway[code < H2S_CODES ? code : H2S_CODES]++;
	else
		s->frames[type < T_COUNT_ ? type : T_COUNT_]++;
}

void h2_stats_stream(h2conn *c)
{
	h2_session *s = c->stats;
	if (!s)
		return;
	s->streams++;
	if (c->streams > s->streams_max)
		s->streams_max = c->streams;
	if (c->peak > s->peak)
		s->peak = c->peak;
}

static const char *const code_names[H2S_CODES] = {
	"NO_ERROR",	     "PROTOCOL_ERROR",	  "INTERNAL_ERROR",
	"FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
	"FRAME_SIZE_ERROR",  "REFUSED_STREAM",	  "CANCEL",
	"COMPRESSION_ERROR", "CONNECT_ERROR",	  "ENHANCE_YOUR_CALM",
	"INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};

static void codes(FILE *fp, const char *title, const uint64_t *v)
{
	uint64_t all = 0;
	for (unsigned i = 0; i <= H2S_CODES; i++)
		all += v[i];
	fprintf(fp, "\n%-40s %12s\n", title, "Count");
	if (!all)
		fprintf(fp, "  %-38s %12s\n", "none", "0");
	for (unsigned i = 0; i <= H2S_CODES; i++)
		if (v[i])
			fprintf(fp, "  %-38s %12llu\n",
				i < H2S_CODES ? code_names[i] : "other",
				(unsigned long long)v[i]);
}

void h2_stats_print(void *st, FILE *fp)
{
	h2_session *s = st;
	fprintf(fp, "================================================"
		    "================================\n");
	fprintf(fp, "HTTP/2 statistics\n");
	if (!s) {
		fprintf(fp, "No HTTP/2 connections seen.\n");
		goto end;
	}
	fprintf(fp, "Connections: %llu\n", (unsigned long long)s->conns);
	fprintf(fp, "\n%-40s %12s\n", "Frames by type", "Count");
	for (unsigned i = 0; i <= T_COUNT_; i++)
		if (s->frames[i])
			fprintf(fp, "  %-38s %12llu\n",
				i < T_COUNT_ ? tp_valstr_find(h2_type_vals, i)
					     : "unknown types",
				(unsigned long long)s->frames[i]);
	fprintf(fp, "\n%-40s %12s\n", "Streams", "Count");
	fprintf(fp, "  %-38s %12llu\n", "opened",
		(unsigned long long)s->streams);
	fprintf(fp, "  %-38s %12llu\n", "most on one connection",
		(unsigned long long)s->streams_max);
	fprintf(fp, "  %-38s %12.1f\n", "mean per connection",
		s->conns ? (double)s->streams / (double)s->conns : 0.0);
	fprintf(fp, "  %-38s %12u\n", "peak open at once", s->peak);
	codes(fp, "RST_STREAM by error code", s->rst);
	codes(fp, "GOAWAY by error code", s->goaway);
end:
	fprintf(fp, "================================================"
		    "================================\n");
}
