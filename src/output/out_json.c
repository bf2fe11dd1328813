/* out_json.c - packets as JSON Lines (-T json) and as the Elasticsearch /
 * OpenSearch bulk format (-T ek).
 *
 * One object per packet on one line (the schema is in man/tapir.1):
 *
 *   {"frame":{"frame.number":1,...},
 *    "layers":[{"name":"eth","fields":{"eth.dst":"ff:ff:ff:ff:ff:ff",...}},
 *              ...],
 *    "expert":[{"layer":"ip","id":"...","kind":"malformed","message":".."}]}
 *
 * Fields are keyed by their abbreviation, the tree flattened (the keys
 * name the nesting already); a field seen more than once in a layer is
 * one key whose value is an array, in packet order, at the place of its
 * first occurrence.  Numbers are JSON numbers, booleans true/false,
 * addresses strings in their usual text, bytes hex strings, absolute
 * times ISO 8601 UTC strings, relative times seconds as numbers.  Strings
 * go through tp_sb_json_str: always valid UTF-8 JSON, whatever the packet
 * held.  "expert" is there only when the packet has events.
 *
 * -T ek writes before each document the bulk API's action line,
 * {"index":{"_index":"NAME"}}, and the document gets a "timestamp" (ms
 * since the epoch) first; its keys have '.' replaced by '_' (a search
 * engine reads dots in a name as object paths: "tcp.flags" could not be
 * both a number and the parent of "tcp.flags.syn").
 *
 * Speed: the fields' abbreviations are looked up once (an open-addressing
 * table from a definition's address to a name id, and each name's key
 * text made at start).  Per packet each layer is walked twice (group the
 * repeated names, then write), with generation stamps instead of
 * clearing; the line is built in one buffer written out when it passes
 * half of it, between values (a long value is written in slices), so
 * nothing is allocated per packet and no value is ever cut.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"

#define LINE_CAP (1u << 20)
#define SLICE	 (16u << 10) /* source bytes of a long value per write */
#define TMP_CAP	 (64u << 10) /* a computed text (frame.protocols, Info) */
#define NO_ID	 TP_DEFMAP_NONE

struct name {
	char *key[2]; /* "\"abbrev\":" for json, with '_' for ek */
	uint32_t klen[2];
	uint32_t gen, done; /* the layer generation it was seen / written */
	int32_t head, tail;
	uint32_t count;
};

struct json_state {
	FILE *fp;
	bool ek;
	char *index;  /* --ek-index, or NULL: packets-YYYY-MM-DD */
	tp_defmap id; /* definition -> name id */
	struct name *names;
	size_t nnames;
	int32_t *next; /* per field index: the next of its name */
	uint32_t gen;
	char *buf, *tmp;
	tp_sbuf s;
};

/* ---- writing ---------------------------------------------------------- */

static void flush_out(struct json_state *st)
{
	if (st->s.len)
		fwrite(st->s.buf, 1, st->s.len, st->fp);
	tp_sb_init(&st->s, st->buf, LINE_CAP);
}

/* Room for a value: the line so far written out past half the buffer
 * (a value or a slice of one is far smaller than the other half). */
static inline void room(struct json_state *st)
{
	if (st->s.len > LINE_CAP / 2)
		flush_out(st);
}

/* A key as text: quoted, '.' as '_' for ek. */
static void put_key_text(tp_sbuf *s, const char *abbrev, bool ek)
{
	size_t at = s->len;
	tp_sb_json_str(s, (const uint8_t *)abbrev, strlen(abbrev));
	if (ek)
		for (size_t i = at; i < s->len; i++)
			if (s->buf[i] == '.')
				s->buf[i] = '_';
	tp_sb_putc(s, ':');
}

static void put_key(struct json_state *st, const tp_field_def *d, uint32_t id)
{
	if (id != NO_ID)
		tp_sb_put(&st->s, st->names[id].key[st->ek],
			  st->names[id].klen[st->ek]);
	else
		put_key_text(&st->s, d->abbrev, st->ek);
}

/* UTF-8 text in slices, cut between characters (a slice boundary never
 * splits a sequence, so no valid character is escaped as bytes). */
static void put_text(struct json_state *st, const uint8_t *b, size_t n)
{
	tp_sb_putc(&st->s, '"');
	while (n) {
		size_t k = n < SLICE ? n : SLICE;
		for (unsigned back = 0;
		     k < n && back < 3 && k > 1 && (b[k] & 0xc0) == 0x80;
		     back++)
			k--;
		room(st);
		tp_sb_json_chars(&st->s, b, k);
		b += k;
		n -= k;
	}
	tp_sb_putc(&st->s, '"');
}

static void put_hex(struct json_state *st, const uint8_t *b, size_t n)
{
	tp_sb_putc(&st->s, '"');
	while (b && n) {
		size_t k = n < SLICE ? n : SLICE;
		room(st);
		tp_sb_hexbytes(&st->s, b, k, 0);
		b += k;
		n -= k;
	}
	tp_sb_putc(&st->s, '"');
}

/* Days since 1970-01-01 -> year, month, day (proleptic Gregorian, any
 * int64 day count a nanosecond clock can give). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	uint64_t doe = (uint64_t)(z - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void put_date(tp_sbuf *s, int64_t sec, char sep)
{
	int64_t days = sec / 86400 - (sec % 86400 < 0);
	int64_t y;
	unsigned m, d;
	civil(days, &y, &m, &d);
	if (y >= 0 && y < 1000)
		tp_sb_putc(s, '0'); /* four digits, as ISO 8601 */
	if (y >= 0 && y < 100)
		tp_sb_putc(s, '0');
	if (y >= 0 && y < 10)
		tp_sb_putc(s, '0');
	tp_sb_sdec(s, y);
	tp_sb_putc(s, sep);
	tp_sb_dec2(s, m);
	tp_sb_putc(s, sep);
	tp_sb_dec2(s, d);
}

/* "2026-11-21T08:27:17.476778000Z" */
static void put_iso(tp_sbuf *s, int64_t sec, uint32_t nsec)
{
	int64_t r = sec % 86400;
	if (r < 0)
		r += 86400;
	tp_sb_putc(s, '"');
	put_date(s, sec, '-');
	tp_sb_putc(s, 'T');
	tp_sb_dec2(s, (unsigned)(r / 3600));
	tp_sb_putc(s, ':');
	tp_sb_dec2(s, (unsigned)(r / 60 % 60));
	tp_sb_putc(s, ':');
	tp_sb_dec2(s, (unsigned)(r % 60));
	tp_sb_frac9(s, nsec % 1000000000u);
	tp_sb_put(s, "Z\"", 2);
}

/* A text an output formats (a protocol's label, frame.protocols, the
 * columns, a value of a type with no JSON form of its own), escaped. */
static void put_formatted(struct json_state *st, const tp_pkt *p,
			  const tp_field *f)
{
	tp_sbuf t;
	tp_sb_init(&t, st->tmp, TMP_CAP);
	if (f->def->type == TP_FT_STRING)
		tp_frame_text(&t, p, f->def);
	else
		tp_format_field_text(&t, p, f);
	put_text(st, (const uint8_t *)t.buf, t.len);
}

static void put_value(struct json_state *st, const tp_pkt *p, const tp_field *f)
{
	tp_sbuf *s = &st->s;
	switch (f->def->type) {
	case TP_FT_NONE:
		tp_sb_put(s, "true", 4);
		return;
	case TP_FT_BOOLEAN:
		if (f->v.u)
			tp_sb_put(s, "true", 4);
		else
			tp_sb_put(s, "false", 5);
		return;
	case TP_FT_UINT8:
	case TP_FT_UINT16:
	case TP_FT_UINT24:
	case TP_FT_UINT32:
	case TP_FT_UINT64:
	case TP_FT_FRAMENUM:
		tp_sb_dec(s, f->v.u);
		return;
	case TP_FT_INT32:
		tp_sb_sdec(s, f->v.i);
		return;
	case TP_FT_DOUBLE:
		if (isfinite(f->v.d))
			tp_sb_printf(s, "%.17g", f->v.d);
		else
			tp_sb_put(s, "null", 4);
		return;
	case TP_FT_RELATIVE_TIME: /* "-S.NNNNNNNNN": a JSON number */
		tp_format_field_text(s, p, f);
		return;
	case TP_FT_ABSOLUTE_TIME:
		if (f->vlen == TP_NSTIME_LEN) {
			tp_nstime t = tp_field_nstime(f);
			int64_t sec = t.sec;
			int32_t ns = t.nsec;
			if (ns < 0) { /* normalized: the fraction counts up */
				sec--;
				ns += 1000000000;
			}
			put_iso(s, sec, (uint32_t)ns);
		} else {
			put_iso(s, (int64_t)(f->v.u / 1000000000u),
				(uint32_t)(f->v.u % 1000000000u));
		}
		return;
	case TP_FT_ETHER:
	case TP_FT_IPv4:
	case TP_FT_IPv6:
		if (f->vlen) { /* digits, hex, ':' and '.': nothing to escape */
			tp_sb_putc(s, '"');
			tp_format_value(s, f);
			tp_sb_putc(s, '"');
			return;
		}
		break;
	case TP_FT_BYTES:
		put_hex(st, f->v.p, f->v.p ? f->vlen : 0);
		return;
	case TP_FT_STRING:
		if (!tp_frame_computed(f->def)) {
			put_text(st, f->v.p, f->v.p ? f->vlen : 0);
			return;
		}
		break;
	default:
		break;
	}
	put_formatted(st, p, f);
}

/* The fields [from, from+n) of a layer as members of an object (no
 * braces), the repeated names as arrays. */
static void put_fields(struct json_state *st, const tp_pkt *p, uint32_t from,
		       uint32_t n)
{
	uint32_t gen = ++st->gen;
	if (gen == 0) { /* wrapped: stamps of 2^32 layers ago look new */
		for (size_t k = 0; k < st->nnames; k++)
			st->names[k].gen = st->names[k].done = 0;
		gen = st->gen = 1;
	}
	for (uint32_t i = from; i < from + n; i++) {
		const tp_field *f = &p->fields[i];
		uint32_t id = tp_defmap_get(&st->id, f->def);
		if (id == NO_ID)
			continue;
		struct name *x = &st->names[id];
		st->next[i] = -1;
		if (x->gen != gen) {
			x->gen = gen;
			x->head = x->tail = (int32_t)i;
			x->count = 1;
		} else {
			st->next[x->tail] = (int32_t)i;
			x->tail = (int32_t)i;
			x->count++;
		}
	}
	bool first = true;
	for (uint32_t i = from; i < from + n; i++) {
		const tp_field *f = &p->fields[i];
		if (tp_is_note(f->def))
			continue;
		uint32_t id = tp_defmap_get(&st->id, f->def);
		struct name *x = id != NO_ID ? &st->names[id] : NULL;
		if (x && x->done == gen)
			continue;
		room(st);
		if (!first)
			tp_sb_putc(&st->s, ',');
		first = false;
		put_key(st, f->def, id);
		if (!x || x->count == 1) {
			put_value(st, p, f);
			continue;
		}
		x->done = gen;
		tp_sb_putc(&st->s, '[');
		for (int32_t j = x->head; j >= 0; j = st->next[j]) {
			if (j != x->head)
				tp_sb_putc(&st->s, ',');
			room(st);
			put_value(st, p, &p->fields[j]);
		}
		tp_sb_putc(&st->s, ']');
	}
}

static void put_expert(struct json_state *st, const tp_pkt *p)
{
	static const char *const kind[] = {"note", "warning", "truncated",
					   "malformed"};
	unsigned ne = p->nevents < TP_MAX_EVENTS ? p->nevents : TP_MAX_EVENTS;
	if (!ne)
		return;
	tp_sbuf *s = &st->s;
	tp_sb_puts(s, ",\"expert\":[");
	for (unsigned i = 0; i < ne; i++) {
		const tp_event *e = &p->events[i];
		room(st);
		if (i)
			tp_sb_putc(s, ',');
		tp_sb_puts(s, "{\"layer\":");
		const char *ln =
		    e->layer < p->nlayers ? p->layers[e->layer].d->name : "";
		tp_sb_json_str(s, (const uint8_t *)ln, strlen(ln));
		tp_sb_puts(s, ",\"id\":");
		tp_sb_json_str(s, (const uint8_t *)e->def->abbrev,
			       strlen(e->def->abbrev));
		tp_sb_puts(s, ",\"kind\":\"");
		tp_sb_puts(s, e->def->kind < 4 ? kind[e->def->kind] : "note");
		tp_sb_puts(s, "\",\"message\":");
		tp_sb_json_str(s, (const uint8_t *)e->def->msg,
			       strlen(e->def->msg));
		tp_sb_putc(s, '}');
	}
	tp_sb_putc(s, ']');
}

/* -T ek: the action line and the document's timestamp. */
static void put_ek_head(struct json_state *st, const tp_pkt *p)
{
	tp_sbuf *s = &st->s;
	tp_sb_puts(s, "{\"index\":{\"_index\":");
	if (st->index) {
		tp_sb_json_str(s, (const uint8_t *)st->index,
			       strlen(st->index));
	} else {
		tp_sb_puts(s, "\"packets-");
		put_date(s, p->ts_sec, '-');
		tp_sb_putc(s, '"');
	}
	tp_sb_puts(s, "}}\n{\"timestamp\":");
	/* ms since the epoch; a hostile time past what fits is clamped */
	int64_t ms;
	if (__builtin_mul_overflow(p->ts_sec, 1000, &ms) ||
	    __builtin_add_overflow(ms, (int64_t)(p->ts_nsec / 1000000u), &ms))
		ms = p->ts_sec < 0 ? INT64_MIN : INT64_MAX;
	tp_sb_sdec(s, ms);
	tp_sb_putc(s, ',');
}

static void json_packet(tp_output *out, const tp_pkt *p)
{
	struct json_state *st = out->state;
	tp_sb_init(&st->s, st->buf, LINE_CAP);
	if (st->ek)
		put_ek_head(st, p);
	else
		tp_sb_putc(&st->s, '{');
	unsigned nl =
	    p->nlayers < TP_MAX_PKT_LAYERS ? p->nlayers : TP_MAX_PKT_LAYERS;
	tp_sb_puts(&st->s, "\"frame\":{");
	if (nl)
		put_fields(st, p, p->layers[0].first_field,
			   p->layers[0].nfields);
	tp_sb_puts(&st->s, "},\"layers\":[");
	for (unsigned li = 1; li < nl; li++) {
		const tp_layer *l = &p->layers[li];
		room(st);
		if (li > 1)
			tp_sb_putc(&st->s, ',');
		tp_sb_puts(&st->s, "{\"name\":");
		tp_sb_json_str(&st->s, (const uint8_t *)l->d->name,
			       strlen(l->d->name));
		if (l->embedded)
			tp_sb_puts(&st->s, ",\"embedded\":true");
		tp_sb_puts(&st->s, ",\"fields\":{");
		put_fields(st, p, l->first_field, l->nfields);
		tp_sb_put(&st->s, "}}", 2);
	}
	tp_sb_putc(&st->s, ']');
	put_expert(st, p);
	tp_sb_put(&st->s, "}\n", 2);
	flush_out(st);
}

static void json_finish(tp_output *out)
{
	struct json_state *st = out->state;
	fflush(st->fp);
}

void tp_out_json_free(tp_output *o)
{
	if (!o)
		return;
	struct json_state *st = o->state;
	if (st) {
		for (size_t k = 0; st->names && k < st->nnames; k++) {
			free(st->names[k].key[0]);
			free(st->names[k].key[1]);
		}
		free(st->names);
		tp_defmap_free(&st->id);
		free(st->next);
		free(st->buf);
		free(st->tmp);
		free(st->index);
		free(st);
	}
	free(o);
}

/* Every registered definition gets the id of its abbreviation (two
 * definitions of one name share it, so they group in one array). */
static bool make_names(struct json_state *st)
{
	size_t ndefs = st->id.ndefs;
	st->names = calloc(ndefs ? ndefs : 1, sizeof *st->names);
	if (!st->names)
		return false;
	char kb[512];
	for (size_t i = 0; i < tp_registry_count(); i++) {
		const tp_dissector *d = tp_registry_get(i);
		for (size_t f = 0; f < d->nfields; f++) {
			const tp_field_def *def = &d->fields[f];
			if (tp_defmap_get(&st->id, def) != NO_ID)
				continue;
			const tp_field_def *same =
			    tp_registry_field(def->abbrev);
			uint32_t id =
			    same ? tp_defmap_get(&st->id, same) : NO_ID;
			if (id == NO_ID) {
				id = (uint32_t)st->nnames++;
				struct name *x = &st->names[id];
				for (int ek = 0; ek < 2; ek++) {
					tp_sbuf t;
					tp_sb_init(&t, kb, sizeof kb);
					put_key_text(&t, def->abbrev, ek);
					if (!(x->key[ek] =
						  malloc(t.len ? t.len : 1)))
						return false;
					memcpy(x->key[ek], kb, t.len);
					x->klen[ek] = (uint32_t)t.len;
				}
				if (same && same != def)
					tp_defmap_put(&st->id, same, id);
			}
			tp_defmap_put(&st->id, def, id);
		}
	}
	return true;
}

tp_output *tp_out_json_new(FILE *fp, bool ek, const char *index)
{
	tp_output *out = calloc(1, sizeof *out);
	struct json_state *st = calloc(1, sizeof *st);
	if (!out || !st) {
		free(out);
		free(st);
		return NULL;
	}
	out->state = st;
	out->packet = json_packet;
	out->finish = json_finish;
	out->fp = fp;
	st->fp = fp;
	st->ek = ek;
	bool map_ok = tp_defmap_init(&st->id) == 0;
	st->next = calloc(TP_MAX_FIELDS, sizeof *st->next);
	st->buf = malloc(LINE_CAP);
	st->tmp = malloc(TMP_CAP);
	if (index)
		st->index = strdup(index);
	if (!map_ok || !st->next || !st->buf || !st->tmp ||
	    (index && !st->index) || !make_names(st)) {
		tp_out_json_free(out);
		return NULL;
	}
	tp_sb_init(&st->s, st->buf, LINE_CAP);
	return out;
}
