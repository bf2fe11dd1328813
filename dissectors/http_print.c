/* http_print.c - HTTP's one-line text (tcpdump's), its Info column
 * (tshark's) and tapir's pairing note.
 *
 * tcpdump (print-http.c, txtproto_print) reads each TCP segment on port
 * 80 or 8080 on its own: "HTTP" for any payload, then ": " and the first
 * line when the segment starts with a request method (any case) or has
 * three digits as its second token; at -v ", length: N" and every text
 * line after "\n\t" instead.  So does http_seg_text, which TCP's line
 * calls for every segment with payload on those ports (TP_TAB_TCP_TEXT),
 * whatever message part it carries or completes.  An HTTP layer (a
 * message part the segment completed) adds tapir's pairing note.
 */
#include <string.h>
#include <strings.h>

#include "http_body.h"
#include "http_int.h"
#include "tapir/layerfields.h"
#include "tapir/output.h"
#include "tapir/record.h"

#define TOKEN_MAX 128 /* tcpdump's MAX_TOKEN */

static bool printable(uint8_t c) { return c >= 0x20 && c <= 0x7e; }

/* tcpdump's fetch_token: the token at i in b[0..len) (cap bytes
 * captured): its start *ts and length *tl, and the index after it and
 * the spaces after it; 0 when there is none (not text, too long, or
 * cut by the capture).  tcpdump copies the token out; its rules are
 * these: at most TOKEN_MAX printable bytes ended by a blank or a line
 * end (or the end of the payload). */
static size_t token(const uint8_t *b, size_t cap, size_t len, size_t i,
		    size_t *ts, size_t *tl)
{
	size_t s = i;
	for (; i < len; i++) {
		if (i >= cap)
			return 0;
		uint8_t c = b[i];
		if ((unsigned)(c - 0x21) <= 0x7e - 0x21) { /* printable, not ' ' */
			if (i - s >= TOKEN_MAX)
				return 0;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		return 0;
	}
	if (i == s)
		return 0;
	*ts = s;
	*tl = i - s;
	while (i < len && i < cap && b[i] == ' ')
		i++;
	return i;
}

/* b[0..n) is the method m, in any case (tcpdump's strcasecmp). */
static bool method_is(const uint8_t *b, size_t n, const http_method *m)
{
	if (m->n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];
		if (c >= 'a' && c <= 'z')
			c = (uint8_t)(c - 32);
		if (c != (uint8_t)m->s[i])
			return false;
	}
	return true;
}

/* tcpdump's test in txtproto_print: the first token is a method, or the
 * second is three digits. */
static bool is_reqresp(const uint8_t *b, size_t cap, size_t len)
{
	size_t ts = 0, tl = 0, i = token(b, cap, len, 0, &ts, &tl);
	if (!i)
		return false;
	/* tcpdump's methods, shortest first (test_http checks the order):
	 * those of the token's length and first letter compared */
	uint8_t c0 = b[0] >= 'a' && b[0] <= 'z' ? (uint8_t)(b[0] - 32) : b[0];
	for (size_t m = 0; m < http_nmethods_tcpdump; m++) {
		const http_method *hm = &http_methods[m];
		if (hm->n > tl)
			break;
		if (hm->n == tl && (uint8_t)hm->s[0] == c0 &&
		    method_is(b, tl, hm))
			return true;
	}
	i = token(b, cap, len, i, &ts, &tl);
	return i && tl == 3 && b[ts] >= '0' && b[ts] <= '9' &&
	       b[ts + 1] >= '0' && b[ts + 1] <= '9' && b[ts + 2] >= '0' &&
	       b[ts + 2] <= '9';
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
	/* all text to the end of the payload, no line end: tcpdump prints
	 * it and takes it as cut */
	tp_sb_puts(s, prefix);
	tp_sb_put(s, (const char *)b + st, i - st);
	*trunc = true;
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

void http_seg_text(const tp_pkt *p, unsigned li, tp_cursor c,
		   uint32_t length, tp_sbuf *s, const tp_outopts *o)
{
	(void)p;
	(void)li;
	size_t cap = tp_avail(&c);
	const uint8_t *b = tp_bytes(&c, cap);
	if (b)
		tcpdump_text(s, b, cap, length, o->vflag);
}

tp_sum http_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
		      const tp_outopts *o)
{
	(void)o;
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
bool http_media_named(const uint8_t *t, size_t n)
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
		if (http_media_named(ct->v.p, n)) {
			tp_sb_puts(s, " (");
			tp_sb_put(s, (const char *)ct->v.p, n);
			tp_sb_putc(s, ')');
		}
	}
}
