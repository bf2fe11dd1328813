/* report_out.c - reports (report.h) as text blocks or JSON lines, and
 * the engine consumer that prints them (--tls). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tapir/engine.h"
#include "tapir/output.h"
#include "tapir/report.h"

/* ---- shared ------------------------------------------------------------ */

static void endpoint(tp_sbuf *s, const tp_flowkey *k, unsigned side)
{
	if (k->family == 6) {
		tp_sb_putc(s, '[');
		tp_sb_ipv6(s, k->addr[side]);
		tp_sb_putc(s, ']');
	} else {
		tp_sb_ipv4(s, k->addr[side]);
	}
	tp_sb_putc(s, ':');
	tp_sb_dec(s, k->port[side]);
}

/* ISO 8601 in UTC with microseconds: "2026-12-07T21:45:20.123456Z". */
static void iso_time(tp_sbuf *s, int64_t ns)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	char b[32];
	if (!gmtime_r(&t, &tm) ||
	    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		tp_sb_sdec(s, sec);
		return;
	}
	tp_sb_puts(s, b);
	tp_sb_frac(s, (uint32_t)(frac / 1000), 6);
	tp_sb_putc(s, 'Z');
}

/* Milliseconds with three decimals (a negative duration: 0). */
static void msec(tp_sbuf *s, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	uint64_t us = (uint64_t)ns / 1000;
	tp_sb_dec(s, us / 1000);
	tp_sb_frac(s, (uint32_t)(us % 1000), 3);
}

static const char *key_of(const tp_report *r, const tp_ritem *it)
{
	return it->key ? tp_rep_text(r, it->key) : "";
}

/* The index after the item at i (a list or object: after its end). */
static unsigned skip_item(const tp_report *r, unsigned i)
{
	unsigned depth = 0;
	do {
		uint8_t k = r->items[i].kind;
		if (k == TP_RI_LIST || k == TP_RI_OBJ)
			depth++;
		else if (k == TP_RI_END && depth)
			depth--;
		i++;
	} while (depth && i < r->n);
	return i;
}

/* ---- text -------------------------------------------------------------- */

/* A string, number, bool, duration or time, as text or as JSON. */
static void scalar(tp_sbuf *s, const tp_report *r, const tp_ritem *it,
		   bool json)
{
	switch (it->kind) {
	case TP_RI_STR: {
		const uint8_t *b = (const uint8_t *)tp_rep_text(r, it->v.s);
		if (json)
			tp_sb_json_str(s, b, it->len);
		else
			tp_sb_escaped(s, b, it->len);
		break;
	}
	case TP_RI_UINT:
		tp_sb_dec(s, it->v.u);
		break;
	case TP_RI_BOOL:
		tp_sb_puts(s, it->v.u ? (json ? "true" : "yes")
				      : (json ? "false" : "no"));
		break;
	case TP_RI_MS:
		msec(s, it->v.i);
		if (!json)
			tp_sb_puts(s, " ms");
		break;
	case TP_RI_TIME:
		if (json)
			tp_sb_putc(s, '"');
		iso_time(s, it->v.i);
		if (json)
			tp_sb_putc(s, '"');
		break;
	default:
		break;
	}
}

static void text_scalar(tp_sbuf *s, const tp_report *r, const tp_ritem *it)
{
	scalar(s, r, it, false);
}

/* The items from i up to the end of their list or object, on one line:
 * "a, b" (a list) or "k: v, k: v" (an object).  Returns the index
 * after the closing end. */
static unsigned text_inline(tp_sbuf *s, const tp_report *r, unsigned i,
			    bool keys)
{
	bool first = true;
	while (i < r->n && r->items[i].kind != TP_RI_END) {
		const tp_ritem *it = &r->items[i];
		if (!first)
			tp_sb_puts(s, ", ");
		first = false;
		if (keys && it->key) {
			tp_sb_puts(s, key_of(r, it));
			tp_sb_puts(s, ": ");
		}
		if (it->kind == TP_RI_LIST || it->kind == TP_RI_OBJ) {
			tp_sb_putc(s, it->kind == TP_RI_LIST ? '[' : '{');
			i = text_inline(s, r, i + 1, it->kind == TP_RI_OBJ);
			tp_sb_putc(s, it->kind == TP_RI_LIST ? ']' : '}');
			continue;
		}
		text_scalar(s, r, it);
		i++;
	}
	return i + 1;
}

static const tp_ritem *find_top(const tp_report *r, const char *key)
{
	for (unsigned i = 0; i < r->n; i = skip_item(r, i))
		if (r->items[i].key &&
		    strcmp(tp_rep_text(r, r->items[i].key), key) == 0)
			return &r->items[i];
	return NULL;
}

static void upper(tp_sbuf *s, const char *str)
{
	for (; *str; str++)
		tp_sb_putc(s, (char)(*str >= 'a' && *str <= 'z' ? *str - 32
								  : *str));
}

void tp_report_text(const tp_report *r, FILE *fp)
{
	static char buf[TP_REPORT_TEXT * 4 + 4096];
	tp_sbuf s;
	tp_sb_init(&s, buf, sizeof buf);
	upper(&s, r->proto);
	tp_sb_puts(&s, " stream ");
	tp_sb_dec(&s, r->stream);
	tp_sb_puts(&s, "  ");
	endpoint(&s, &r->key, r->client);
	tp_sb_puts(&s, " -> ");
	endpoint(&s, &r->key, !r->client);
	const tp_ritem *oc = find_top(r, "outcome");
	const tp_ritem *du = find_top(r, "duration_ms");
	if (oc && oc->kind == TP_RI_STR) {
		tp_sb_puts(&s, "  ");
		text_scalar(&s, r, oc);
	}
	if (du && du->kind == TP_RI_MS) {
		tp_sb_puts(&s, " in ");
		text_scalar(&s, r, du);
	}
	tp_sb_putc(&s, '\n');
	for (unsigned i = 0; i < r->n;) {
		const tp_ritem *it = &r->items[i];
		if (it == oc || it == du || it->kind == TP_RI_END) {
			i = skip_item(r, i);
			continue;
		}
		tp_sb_puts(&s, "  ");
		tp_sb_puts(&s, key_of(r, it));
		tp_sb_putc(&s, ':');
		bool objects = it->kind == TP_RI_LIST && i + 1 < r->n &&
			       r->items[i + 1].kind == TP_RI_OBJ;
		if (objects) { /* one object a line, numbered */
			unsigned k = i + 1, no = 0;
			while (k < r->n && r->items[k].kind == TP_RI_OBJ) {
				tp_sb_puts(&s, "\n    ");
				tp_sb_dec(&s, no++);
				tp_sb_puts(&s, ": ");
				k = text_inline(&s, r, k + 1, true);
			}
			i = skip_item(r, i);
		} else if (it->kind == TP_RI_LIST || it->kind == TP_RI_OBJ) {
			tp_sb_putc(&s, ' ');
			size_t mark = s.len;
			i = text_inline(&s, r, i + 1, it->kind == TP_RI_OBJ);
			if (s.len == mark)
				tp_sb_puts(&s, "(none)");
		} else {
			tp_sb_putc(&s, ' ');
			text_scalar(&s, r, it);
			i++;
		}
		tp_sb_putc(&s, '\n');
	}
	if (r->truncated)
		tp_sb_puts(&s, "  (report truncated: more than fits)\n");
	if (s.trunc)
		tp_sb_puts(&s, "\n");
	fwrite(s.buf, 1, s.len, fp);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_key(tp_sbuf *s, const char *k)
{
	tp_sb_json_str(s, (const uint8_t *)k, strlen(k));
	tp_sb_putc(s, ':');
}

/* The items from i to the end of the enclosing list/object (or of the
 * report), comma-separated; keys when `keys`.  Returns the index after
 * the closing end. */
static unsigned json_items(tp_sbuf *s, const tp_report *r, unsigned i,
			   bool keys, bool first)
{
	for (; i < r->n && r->items[i].kind != TP_RI_END; first = false) {
		const tp_ritem *it = &r->items[i];
		if (!first)
			tp_sb_putc(s, ',');
		if (keys)
			json_key(s, key_of(r, it));
		switch (it->kind) {
		case TP_RI_LIST:
		case TP_RI_OBJ: {
			bool obj = it->kind == TP_RI_OBJ;
			tp_sb_putc(s, obj ? '{' : '[');
			i = json_items(s, r, i + 1, obj, true);
			tp_sb_putc(s, obj ? '}' : ']');
			continue;
		}
		default:
			scalar(s, r, it, true);
			break;
		}
		i++;
	}
	return i + 1;
}

void tp_report_json(const tp_report *r, FILE *fp)
{
	static char buf[TP_REPORT_TEXT * 7 + 4096];
	tp_sbuf s;
	tp_sb_init(&s, buf, sizeof buf);
	tp_sb_puts(&s, "{\"proto\":");
	tp_sb_json_str(&s, (const uint8_t *)r->proto, strlen(r->proto));
	tp_sb_puts(&s, ",\"stream\":");
	tp_sb_dec(&s, r->stream);
	tp_sb_puts(&s, ",\"client\":\"");
	endpoint(&s, &r->key, r->client);
	tp_sb_puts(&s, "\",\"server\":\"");
	endpoint(&s, &r->key, !r->client);
	tp_sb_putc(&s, '"');
	json_items(&s, r, 0, true, false);
	if (r->truncated)
		tp_sb_puts(&s, ",\"truncated\":true");
	tp_sb_puts(&s, "}\n");
	/* the buffer holds any report: every byte of the text at most 6
	 * (\u00XX), the items' numbers and keys in the rest */
	fwrite(s.buf, 1, s.len, fp);
}

/* ---- the consumer ------------------------------------------------------ */

struct tp_reporter {
	tp_report_tap tap;
	bool json, flush_each;
	FILE *fp;
	uint64_t count;
	int status;
};

static void on_report(void *ctx, const tp_report *r)
{
	tp_reporter *rp = ctx;
	if (rp->json)
		tp_report_json(r, rp->fp);
	else
		tp_report_text(r, rp->fp);
	rp->count++;
	if (rp->flush_each)
		fflush(rp->fp);
}

static int rep_flush(void *self)
{
	tp_reporter *rp = self;
	if (fflush(rp->fp) != 0 || ferror(rp->fp))
		return TP_EXIT_RUNTIME;
	return 0;
}

tp_reporter *tp_reporter_new(const char *proto, bool json, bool flush_each,
			     FILE *fp)
{
	tp_reporter *rp = calloc(1, sizeof *rp);
	if (!rp)
		return NULL;
	rp->tap = (tp_report_tap){proto, on_report, rp};
	rp->json = json;
	rp->flush_each = flush_each;
	rp->fp = fp;
	return rp;
}

tp_consumer tp_reporter_consumer(tp_reporter *rp)
{
	return (tp_consumer){.flush = rep_flush, .self = rp,
			     .reptap = &rp->tap};
}

uint64_t tp_reporter_count(const tp_reporter *rp) { return rp->count; }

void tp_reporter_free(tp_reporter *rp) { free(rp); }
