/* http_print.c - HTTP's one-line text (tcpdump's), its Info column
 * (tshark's) and tapir's pairing note.
 *
 * tcpdump (print-http.c, txtproto_print) reads each TCP segment on port
 * 80 or 8080 on its own: "HTTP" for any payload, then ": " and the first
 * line when the segment starts with a request method (any case) or has
 * three digits as its second token; at -v ", length: N" and every text
 * line after "\n\t" instead.  The line printer calls this for the first
 * HTTP layer after TCP (a PDU the segment completed), which reads the
 * segment, not the PDU.  A segment that completes no PDU (the first part
 * of a header block cut across segments, or a segment cut short by the
 * snap length, whose bytes never reach the stream) ends its line at
 * "length N": the line printer calls nobody after TCP then.
 */
#include <string.h>
#include <strings.h>

#include "http_int.h"
#include "tapir/layerfields.h"
#include "tapir/output.h"
#include "tapir/record.h"

#define TOKEN_MAX 128 /* tcpdump's MAX_TOKEN */

static bool printable(uint8_t c) { return c >= 0x20 && c <= 0x7e; }

/* tcpdump's fetch_token: the token at i in b[0..len) (cap bytes
 * captured) into tok, and the index after it and its blanks; 0 when
 * there is none. */
static size_t token(const uint8_t *b, size_t cap, size_t len, size_t i,
		    char *tok, size_t *tlen)
{
	size_t k = 0;
	for (; i < len; i++) {
		if (i >= cap || (b[i] & 0x80))
			return 0;
		uint8_t c = b[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		if (!printable(c) || k + 2 > TOKEN_MAX + 1)
			return 0;
		tok[k++] = (char)c;
	}
	if (!k)
		return 0;
	tok[k] = 0;
	*tlen = k;
	for (; i < len && i < cap; i++) {
		uint8_t c = b[i];
		if (c == '\r' || c == '\n' || !printable(c) || c != ' ')
			break;
	}
	return i;
}

static bool is_reqresp(const uint8_t *b, size_t cap, size_t len)
{
	char tok[TOKEN_MAX + 1];
	size_t tl = 0, i = token(b, cap, len, 0, tok, &tl);
	if (!i)
		return false;
	bool yes = false;
	/* a method is letters, '-' and '_' (most bodies stop here) */
	uint8_t c0 = (uint8_t)(tok[0] | 0x20);
	for (size_t m = 0; c0 >= 'a' && c0 <= 'z' &&
			   m < http_nmethods_tcpdump && !yes;
	     m++)
		yes = http_methods[m].n == tl &&
		      strcasecmp(tok, http_methods[m].s) == 0;
	i = token(b, cap, len, i, tok, &tl);
	if (i && tl == 3 && tok[0] >= '0' && tok[0] <= '9' && tok[1] >= '0' &&
	    tok[1] <= '9' && tok[2] >= '0' && tok[2] <= '9')
		yes = true;
	return yes;
}

/* tcpdump's print_txt_line: the line at i after `prefix`; the index
 * after its end, or 0 (no end, not text, or cut: *trunc). */
static size_t txt_line(tp_sbuf *s, const char *prefix, const uint8_t *b,
		       size_t cap, size_t len, size_t i, bool *trunc)
{
	size_t st = i, ll;
	for (; i < len; i++) {
		if (i >= cap) {
			*trunc = true;
			return 0;
		}
		uint8_t c = b[i];
		if (c == '\n') {
			ll = i - st;
			i++;
			goto out;
		}
		if (c == '\r') {
			if (i + 1 >= len)
				return 0;
			if (i + 1 >= cap) {
				*trunc = true;
				return 0;
			}
			if (b[i + 1] != '\n')
				return 0;
			ll = i - st;
			i += 2;
			goto out;
		}
		if (!printable(c) && c != '\t')
			return 0;
	}
	tp_sb_puts(s, prefix);
	tp_sb_put(s, (const char *)b + st, i - st);
	return 0;
out:
	tp_sb_puts(s, prefix);
	tp_sb_put(s, (const char *)b + st, ll);
	return i;
}

static void tcpdump_text(tp_sbuf *s, const uint8_t *b, size_t cap,
			 size_t len, int vflag)
{
	bool rr = is_reqresp(b, cap, len), trunc = false;
	tp_sb_puts(s, ": HTTP");
	if (!rr)
		return;
	if (vflag) {
		tp_sb_puts(s, ", length: ");
		tp_sb_dec(s, len);
		size_t i = 0;
		while (i < len && (i = txt_line(s, "\n\t", b, cap, len, i,
						&trunc)) != 0)
			;
	} else {
		txt_line(s, ": ", b, cap, len, 0, &trunc);
	}
	if (trunc)
		tp_sb_puts(s, " [|http]");
}

static bool tcpdump_port(uint64_t port) { return port == 80 || port == 8080; }

/* " | reply to #N in T ms" for each response head in the packet. */
static void notes(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	for (unsigned k = li; k < p->nlayers; k++) {
		if (p->layers[k].d != &tp_diss_http)
			continue;
		const tp_field *rq = tp_layer_find(p, k, FD(F_REQUEST_IN));
		const tp_field *t = tp_layer_find(p, k, FD(F_TIME));
		if (!rq || !t)
			continue;
		tp_sb_reply_note(s, rq->v.u, t->v.i);
	}
}

tp_sum http_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
		      const tp_outopts *o)
{
	unsigned t = li;
	while (t-- > 0)
		if (p->layers[t].d == &tp_diss_tcp)
			break;
	if (t >= li)
		return TP_SUM_STOP;
	const tp_layer *tl = &p->layers[t];
	uint64_t sp = 0, dp = 0;
	tp_layer_u64(p, t, tp_fd_tcp_srcport, &sp);
	tp_layer_u64(p, t, tp_fd_tcp_dstport, &dp);
	tp_cursor c = tp_layer_cursor(p, t);
	tp_cursor fl = c;
	/* tcpdump -v prints an RST's data as such (tapir: not yet) */
	bool rst_v = o->vflag && tp_skip(&fl, 13) && (tp_u8(&fl) & 0x04);
	if ((tcpdump_port(sp) || tcpdump_port(dp)) && !rst_v) {
		if (tp_skip(&c, tl->len)) {
			size_t cap = tp_avail(&c);
			uint32_t len = tl->payload_len;
			if (cap > len)
				cap = len;
			const uint8_t *b = tp_bytes(&c, cap);
			if (b)
				tcpdump_text(s, b, cap, len, o->vflag);
		}
	}
	notes(p, li, s);
	return TP_SUM_STOP;
}

/* ---- Info -------------------------------------------------------------- */

static void put_field(tp_sbuf *s, const tp_field *f)
{
	if (f)
		tp_sb_put(s, (const char *)f->v.p, f->vlen);
}

/* Media types tshark hands to a dissector that names itself in Info
 * with the type ("(text/html)"): text but XML, and a few application
 * types; an image gets its own name there, octet-stream nothing. */
static bool media_named(const uint8_t *t, size_t n)
{
	static const char *const app[] = {"application/json",
					  "application/javascript",
					  "application/x-www-form-urlencoded"};
	/* XML's dissector names itself in the Protocol column instead */
	if (n == 8 && strncasecmp((const char *)t, "text/xml", 8) == 0)
		return false;
	if (n >= 5 && strncasecmp((const char *)t, "text/", 5) == 0)
		return true;
	for (size_t i = 0; i < TP_COUNT(app); i++)
		if (n == strlen(app[i]) &&
		    strncasecmp((const char *)t, app[i], n) == 0)
			return true;
	return false;
}

void http_info(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	const tp_field *m = tp_layer_find(p, li, FD(F_METHOD));
	const tp_field *v = tp_layer_find(p, li, FD(F_RESP_VERSION));
	/* a continuation after a head in the same packet: the head's */
	for (unsigned k = li; !m && !v && k-- > 0;) {
		if (p->layers[k].d != &tp_diss_http)
			continue;
		m = tp_layer_find(p, k, FD(F_METHOD));
		v = tp_layer_find(p, k, FD(F_RESP_VERSION));
		if (m || v)
			li = k;
	}
	if (m) {
		/* tshark: the request line and a space for its line end */
		put_field(s, m);
		tp_sb_putc(s, ' ');
		put_field(s, tp_layer_find(p, li, FD(F_URI)));
		tp_sb_putc(s, ' ');
		put_field(s, tp_layer_find(p, li, FD(F_REQ_VERSION)));
		tp_sb_putc(s, ' ');
		return;
	}
	if (!v) {
		tp_sb_puts(s, "Continuation");
		return;
	}
	put_field(s, v);
	tp_sb_putc(s, ' ');
	const tp_field *c = tp_layer_find(p, li, FD(F_CODE));
	if (c)
		tp_sb_dec(s, c->v.u);
	tp_sb_putc(s, ' ');
	put_field(s, tp_layer_find(p, li, FD(F_PHRASE)));
	tp_sb_putc(s, ' ');
	/* the body's media type, when body bytes are in this PDU and
	 * tshark has a dissector for it */
	const tp_field *ct = tp_layer_find(p, li, FD(F_CONTENT_TYPE));
	if (ct && (tp_layer_find(p, li, FD(F_FILE_DATA)) ||
		   tp_layer_find(p, li, FD(F_CHUNK_DATA)))) {
		size_t n = 0;
		while (n < ct->vlen && ct->v.p[n] != ';')
			n++;
		while (n > 0 && ct->v.p[n - 1] == ' ')
			n--;
		if (media_named(ct->v.p, n)) {
			tp_sb_puts(s, " (");
			tp_sb_put(s, (const char *)ct->v.p, n);
			tp_sb_putc(s, ')');
		}
	}
}
