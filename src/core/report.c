/* report.c - building a report and handing it to the session's tap
 * (report.h).  Everything bounded: an item or string that does not fit
 * is left out and the report marked truncated; lists and objects are
 * closed whatever happened in between. */
#include <string.h>

#include "tapir/report.h"

bool tp_report_wanted(const tp_session *s, const char *proto)
{
	const tp_report_tap *t = s ? s->reptap : NULL;
	return t && (!t->proto || strcmp(t->proto, proto) == 0);
}

void tp_report_init(tp_report *r, const char *proto, const tp_flowkey *key,
		    uint8_t client, uint32_t stream)
{
	r->proto = proto;
	if (key)
		r->key = *key;
	else
		memset(&r->key, 0, sizeof r->key);
	r->client = client & 1;
	r->stream = stream;
	r->n = 0;
	r->text[0] = '\0'; /* offset 0: no key */
	r->tlen = 1;
	r->depth = 0;
	r->truncated = false;
}

/* n bytes and a NUL into text[]: the offset, or 0 when they do not fit. */
static uint32_t put_text(tp_report *r, const void *s, size_t n)
{
	if (n >= TP_REPORT_TEXT - r->tlen) {
		r->truncated = true;
		return 0;
	}
	uint32_t at = (uint32_t)r->tlen;
	memcpy(r->text + at, s, n);
	r->text[at + n] = '\0';
	r->tlen += n + 1;
	return at;
}

/* A new item (NULL when full; an END is always given room: the last
 * TP_REPORT_DEPTH slots are kept for closing). */
static tp_ritem *item(tp_report *r, const char *key, uint8_t kind)
{
	unsigned room = TP_REPORT_ITEMS - TP_REPORT_DEPTH;
	if (r->depth >= 0x100) /* inside a list or object left out */
		return NULL;
	if (kind == TP_RI_END ? r->n >= TP_REPORT_ITEMS : r->n >= room) {
		r->truncated = true;
		return NULL;
	}
	uint32_t k = 0;
	if (key && !(k = put_text(r, key, strlen(key))))
		return NULL;
	if (k > UINT16_MAX) { /* keys come first: never in practice */
		r->truncated = true;
		return NULL;
	}
	tp_ritem *it = &r->items[r->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->key = (uint16_t)k;
	return it;
}

void tp_rep_strn(tp_report *r, const char *key, const void *s, size_t n)
{
	size_t mark_n = r->n, mark_t = r->tlen;
	tp_ritem *it = item(r, key, TP_RI_STR);
	if (!it)
		return;
	uint32_t at = put_text(r, s, n);
	if (!at) { /* the key went in, the string not: neither */
		r->n = (unsigned)mark_n;
		r->tlen = mark_t;
		return;
	}
	it->v.s = at;
	it->len = (uint32_t)n;
}

void tp_rep_str(tp_report *r, const char *key, const char *s)
{
	tp_rep_strn(r, key, s, strlen(s));
}

/* A number-like item (a bool as 0 or 1, a time or a duration as its
 * nanoseconds' bits). */
static void put_num(tp_report *r, const char *key, uint8_t kind, uint64_t v)
{
	tp_ritem *it = item(r, key, kind);
	if (it)
		it->v.u = v;
}

void tp_rep_uint(tp_report *r, const char *key, uint64_t v)
{
	put_num(r, key, TP_RI_UINT, v);
}

void tp_rep_bool(tp_report *r, const char *key, bool v)
{
	put_num(r, key, TP_RI_BOOL, v);
}

void tp_rep_ms(tp_report *r, const char *key, int64_t ns)
{
	put_num(r, key, TP_RI_MS, (uint64_t)ns);
}

void tp_rep_time(tp_report *r, const char *key, int64_t ns)
{
	put_num(r, key, TP_RI_TIME, (uint64_t)ns);
}

/* A list or object that did not fit: its items go nowhere (they would
 * land in its parent).  Counted so the matching ends are passed over. */
static void rep_open(tp_report *r, const char *key, uint8_t kind)
{
	if (r->depth >= TP_REPORT_DEPTH || !item(r, key, kind)) {
		r->truncated = true;
		/* from here until the matching end nothing is added: a
		 * depth past the cap marks it */
		r->depth += 0x100;
		return;
	}
	r->depth++;
}

void tp_rep_list(tp_report *r, const char *key) { rep_open(r, key, TP_RI_LIST); }
void tp_rep_obj(tp_report *r, const char *key) { rep_open(r, key, TP_RI_OBJ); }

void tp_rep_end(tp_report *r)
{
	if (r->depth >= 0x100) {
		r->depth -= 0x100;
		return;
	}
	if (r->depth == 0)
		return;
	item(r, NULL, TP_RI_END);
	r->depth--;
}

void tp_report_emit(const tp_session *s, tp_report *r)
{
	const tp_report_tap *t = s ? s->reptap : NULL;
	if (!t || (t->proto && strcmp(t->proto, r->proto) != 0))
		return;
	while (r->depth)
		tp_rep_end(r);
	t->report(t->ctx, r);
}
