/* out_fields.c - selected fields, as `tshark -T fields -e F ... -E ...`.
 *
 * Spec: Wireshark epan/print.c (write_fields_preamble,
 * write_specified_fields, format_field_values, output_fields_set_option)
 * and tshark(1) -E: one line per packet, one cell per -e joined with the
 * separator, every occurrence of a field in packet order joined with the
 * aggregator (or only the first, last or nth), a non-empty cell between
 * quotes when asked, \b \f \n \r \t in values written as escapes, an empty
 * cell when the packet has no such field.  As tshark, a field named by
 * several -e fills the last of those columns only.  The header line
 * (field names) and the UTF-8 BOM come before the first packet, or at the
 * end when there was none, so nothing is printed when the capture cannot
 * be read.
 *
 * Speed: the requested fields are looked up once.  Per packet the record
 * is walked once; each field's definition is found in a small open-
 * addressing table keyed by its address, and its index is chained to its
 * slot (one per column).  Nothing is allocated per packet.
 *
 * The frame's fields (frame.time, frame.time_relative, frame.protocols,
 * _ws.malformed...) are in the record like any other (pipeline.c): this
 * output keeps no state across packets.
 *
 * A line is built in one buffer and written out whenever it passes half
 * of it, between values, so no value (at most 2 x 256 KiB of hex) is
 * ever cut.
 */
#include <stdlib.h>
#include <string.h>

#include "tapir/output.h"
#include "tapir/registry.h"

#define LINE_CAP (1u << 20) /* written out past half, between values */
#define NO_SLOT	 UINT32_MAX /* an empty column */

struct slot {
	int32_t head, tail; /* chain of field indices this packet, -1 none */
	uint32_t count;
};

struct fields_state {
	FILE *fp;
	tp_fieldfmt fmt;
	char **names;	    /* the -e names, for the header */
	size_t n;	    /* columns */
	uint32_t *col_slot; /* column -> slot */
	struct slot *slots;
	size_t nslots;
	tp_defmap slot_of; /* def address -> slot */
	int32_t *next; /* per field index: next in its slot's chain */
	bool preamble_done;
	char *buf;
};

static tp_fieldfmt default_fmt = {false, false, '\t', ',', 0, 'a', 0};
static bool default_set;

void tp_fieldfmt_init(tp_fieldfmt *f)
{
	*f = (tp_fieldfmt){false, false, '\t', ',', 0, 'a', 0};
}

void tp_fields_set_default(const tp_fieldfmt *f)
{
	default_fmt = *f;
	default_set = true;
}

/* print.c output_fields_set_option, plus occurrence=N. */
int tp_fieldfmt_set(tp_fieldfmt *f, const char *option)
{
	const char *eq = strchr(option, '=');
	if (!eq || eq == option || eq[1] == '\0')
		return -1;
	size_t nlen = (size_t)(eq - option);
	const char *v = eq + 1;
#define IS(name) (nlen == sizeof(name) - 1 && memcmp(option, name, nlen) == 0)
	if (IS("header") || IS("bom")) {
		if (*v != 'y' && *v != 'n')
			return -1;
		if (IS("header"))
			f->header = *v == 'y';
		else
			f->bom = *v == 'y';
		return 0;
	}
	if (IS("separator") || IS("aggregator")) {
		char ch = *v;
		if (ch == '/') {
			/* "/t" tab (separator only), "/s" space, any other
			 * "/x" a backslash: as tshark */
			if (v[1] == 's')
				ch = ' ';
			else if (v[1] == 't' && IS("separator"))
				ch = '\t';
			else
				ch = '\\';
		}
		if (IS("separator"))
			f->separator = ch;
		else
			f->aggregator = ch;
		return 0;
	}
	if (IS("occurrence")) {
		if (*v == 'f' || *v == 'l' || *v == 'a') {
			f->occurrence = *v;
			return 0;
		}
		/* tapir's addition: the nth, 1-based; -1 the last */
		char *end;
		long k = strtol(v, &end, 10);
		if (end == v || *end != '\0' || k == 0 || k > 1000000000L ||
		    k < -1000000000L)
			return -1;
		f->occurrence = 'n';
		f->nth = k;
		return 0;
	}
	if (IS("quote")) {
		if (*v == 'd')
			f->quote = '"';
		else if (*v == 's')
			f->quote = '\'';
		else if (*v == 'n')
			f->quote = 0;
		else
			return -1;
		return 0;
	}
#undef IS
	return -1;
}

/* ---- output --------------------------------------------------------- */

static void flush_line(struct fields_state *st, tp_sbuf *s)
{
	if (s->len)
		fwrite(s->buf, 1, s->len, st->fp);
	tp_sb_init(s, st->buf, LINE_CAP);
}

/* print.c print_escaped_csv over text from `from` to the end of s. */
static void escape_from(tp_sbuf *s, size_t from, char *tmp, size_t tmpcap)
{
	size_t n = 0;
	for (size_t i = from; i < s->len; i++) {
		char ch = s->buf[i];
		if (ch == '\b' || ch == '\f' || ch == '\n' || ch == '\r' ||
		    ch == '\t')
			n++;
	}
	if (!n)
		return;
	/* rare: rewrite through tmp */
	size_t len = s->len - from;
	if (len > tmpcap)
		len = tmpcap;
	memcpy(tmp, s->buf + from, len);
	s->len = from;
	for (size_t i = 0; i < len; i++) {
		char ch = tmp[i];
		const char *e = ch == '\b'   ? "\\b"
				: ch == '\f' ? "\\f"
				: ch == '\n' ? "\\n"
				: ch == '\r' ? "\\r"
				: ch == '\t' ? "\\t"
					     : NULL;
		if (e)
			tp_sb_put(s, e, 2);
		else
			tp_sb_putc(s, ch);
	}
}

static char escape_tmp[LINE_CAP];

static void preamble(struct fields_state *st)
{
	if (st->preamble_done)
		return;
	st->preamble_done = true;
	if (st->fmt.bom)
		fputs("\xef\xbb\xbf", st->fp);
	if (!st->fmt.header)
		return;
	for (size_t k = 0; k < st->n; k++) {
		if (k)
			fputc(st->fmt.separator, st->fp);
		fputs(st->names[k], st->fp);
	}
	fputc('\n', st->fp);
}

/* Which occurrence of `count` is shown: [lo, hi). */
static void pick(const tp_fieldfmt *fmt, uint32_t count, uint32_t *lo,
		 uint32_t *hi)
{
	*lo = 0;
	*hi = count;
	switch (fmt->occurrence) {
	case 'f':
		*hi = count ? 1 : 0;
		break;
	case 'l':
		*lo = count ? count - 1 : 0;
		break;
	case 'n':
		if (fmt->nth > 0 && (uint64_t)fmt->nth <= count) {
			*lo = (uint32_t)fmt->nth - 1;
			*hi = *lo + 1;
		} else if (fmt->nth < 0 && (uint64_t)-fmt->nth <= count) {
			*lo = count - (uint32_t)-fmt->nth;
			*hi = *lo + 1;
		} else {
			*hi = 0;
		}
		break;
	default:
		break;
	}
}

static void fields_packet(tp_output *out, const tp_pkt *p)
{
	struct fields_state *st = out->state;
	preamble(st);
	for (size_t k = 0; k < st->nslots; k++) {
		st->slots[k].head = st->slots[k].tail = -1;
		st->slots[k].count = 0;
	}
	/* one walk over the record */
	unsigned nf = p->nfields < TP_MAX_FIELDS ? p->nfields : TP_MAX_FIELDS;
	for (unsigned i = 0; i < nf; i++) {
		uint32_t sl = tp_defmap_get(&st->slot_of, p->fields[i].def);
		if (sl == TP_DEFMAP_NONE)
			continue;
		struct slot *x = &st->slots[sl];
		st->next[i] = -1;
		if (x->tail < 0)
			x->head = (int32_t)i;
		else
			st->next[x->tail] = (int32_t)i;
		x->tail = (int32_t)i;
		x->count++;
	}
	tp_sbuf s;
	tp_sb_init(&s, st->buf, LINE_CAP);
	const tp_fieldfmt *fmt = &st->fmt;
	for (size_t k = 0; k < st->n; k++) {
		if (k)
			tp_sb_putc(&s, fmt->separator);
		if (st->col_slot[k] == NO_SLOT)
			continue;
		struct slot *x = &st->slots[st->col_slot[k]];
		uint32_t lo, hi;
		pick(fmt, x->count, &lo, &hi);
		if (lo >= hi)
			continue;
		if (fmt->quote)
			tp_sb_putc(&s, fmt->quote);
		size_t from = s.len;
		int32_t i = x->head;
		for (uint32_t j = 0; j < lo && i >= 0; j++)
			i = st->next[i];
		for (uint32_t j = lo; j < hi && i >= 0; j++) {
			if (j > lo)
				tp_sb_putc(&s, fmt->aggregator);
			tp_format_field_text(&s, p, &p->fields[i]);
			i = st->next[i];
			if (s.len > LINE_CAP / 2) {
				escape_from(&s, from, escape_tmp,
					    sizeof escape_tmp);
				flush_line(st, &s);
				from = 0;
			}
		}
		escape_from(&s, from, escape_tmp, sizeof escape_tmp);
		if (fmt->quote)
			tp_sb_putc(&s, fmt->quote);
		if (s.len > LINE_CAP / 2)
			flush_line(st, &s);
	}
	tp_sb_putc(&s, '\n');
	flush_line(st, &s);
}

static void fields_finish(tp_output *out)
{
	struct fields_state *st = out->state;
	preamble(st);
	fflush(st->fp);
}

void tp_out_fields_free(tp_output *o)
{
	if (!o)
		return;
	struct fields_state *st = o->state;
	if (st) {
		if (st->names)
			for (size_t i = 0; i < st->n; i++)
				free(st->names[i]);
		free(st->names);
		free(st->col_slot);
		free(st->slots);
		tp_defmap_free(&st->slot_of);
		free(st->next);
		free(st->buf);
		free(st);
	}
	free(o);
}

tp_output *tp_out_fields_new_fmt(FILE *fp, const char *const *names, size_t n,
				 const tp_fieldfmt *fmt, char *err,
				 size_t errlen)
{
	tp_registry_init();
	for (size_t i = 0; i < n; i++)
		if (!tp_registry_field(names[i])) {
			snprintf(err, errlen, "Some fields aren't valid: %s",
				 names[i]);
			return NULL;
		}
	tp_output *out = calloc(1, sizeof *out);
	struct fields_state *st = calloc(1, sizeof *st);
	if (!out || !st) {
		free(out);
		free(st);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	out->state = st;
	out->packet = fields_packet;
	out->finish = fields_finish;
	out->fp = fp;
	st->fp = fp;
	st->fmt = *fmt;
	st->n = n;
	st->names = calloc(n ? n : 1, sizeof *st->names);
	st->col_slot = calloc(n ? n : 1, sizeof *st->col_slot);
	st->slots = calloc(n ? n : 1, sizeof *st->slots);
	st->next = calloc(TP_MAX_FIELDS, sizeof *st->next);
	st->buf = malloc(LINE_CAP);
	bool oom = !st->names || !st->col_slot || !st->slots ||
		   tp_defmap_init(&st->slot_of) < 0 || !st->next || !st->buf;
	for (size_t k = 0; k < n && !oom; k++) {
		if (!(st->names[k] = strdup(names[k]))) {
			oom = true;
			break;
		}
		/* tshark fills only the last column of a name asked for
		 * more than once (print.c keeps one index per name); the
		 * others stay empty */
		size_t j;
		for (j = k + 1; j < n; j++)
			if (strcmp(names[j], names[k]) == 0)
				break;
		if (j < n) {
			st->col_slot[k] = NO_SLOT;
			continue;
		}
		uint32_t sl = (uint32_t)st->nslots++;
		st->col_slot[k] = sl;
		/* every definition a name stands for (Wireshark registers
		 * some names twice, with two types) */
		for (size_t i = 0; i < tp_registry_count(); i++) {
			const tp_dissector *d = tp_registry_get(i);
			for (size_t f = 0; f < d->nfields; f++)
				if (strcmp(d->fields[f].abbrev, names[k]) == 0)
					tp_defmap_put(&st->slot_of,
						      &d->fields[f], sl);
		}
	}
	if (oom) {
		tp_out_fields_free(out);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return out;
}

tp_output *tp_out_fields_new(FILE *fp, const char *const *names, size_t n,
			     char *err, size_t errlen)
{
	tp_fieldfmt f;
	if (default_set)
		f = default_fmt;
	else
		tp_fieldfmt_init(&f);
	return tp_out_fields_new_fmt(fp, names, n, &f, err, errlen);
}
