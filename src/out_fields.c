/* out_fields.c - selected fields, as `tshark -T fields -e F ...` prints
 * them: one line per packet, one tab-separated cell per -e, every
 * occurrence of a field in packet order joined with ','; an empty cell
 * when the packet has none. */
#include <stdlib.h>
#include <string.h>

#include "tapir/output.h"
#include "tapir/registry.h"

struct fields_state {
	FILE *fp;
	const tp_field_def **defs;
	size_t n;
	char *buf;
	size_t cap;
};

static void fields_packet(tp_output *out, const tp_pkt *p)
{
	struct fields_state *st = out->state;
	tp_sbuf s;
	tp_sb_init(&s, st->buf, st->cap);
	for (size_t k = 0; k < st->n; k++) {
		if (k)
			tp_sb_putc(&s, '\t');
		bool first = true;
		for (unsigned i = 0; i < p->nfields; i++) {
			const tp_field *f = &p->fields[i];
			if (f->def != st->defs[k])
				continue;
			if (!first)
				tp_sb_putc(&s, ',');
			first = false;
			if (f->def->type == TP_FT_NONE)
				tp_sb_putc(&s, '1'); /* present: as tshark */
			else
				tp_format_value(&s, f);
		}
	}
	tp_sb_putc(&s, '\n');
	fwrite(s.buf, 1, s.len, st->fp);
}

static void fields_finish(tp_output *out)
{
	struct fields_state *st = out->state;
	fflush(st->fp);
}

tp_output *tp_out_fields_new(FILE *fp, const char *const *names, size_t n,
			     char *err, size_t errlen)
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
	const tp_field_def **defs = calloc(n ? n : 1, sizeof *defs);
	char *buf = malloc(1 << 20);
	if (!out || !st || !defs || !buf) {
		free(out);
		free(st);
		free(defs);
		free(buf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		defs[i] = tp_registry_field(names[i]);
	st->fp = fp;
	st->defs = defs;
	st->n = n;
	st->buf = buf;
	st->cap = 1 << 20;
	out->packet = fields_packet;
	out->finish = fields_finish;
	out->state = st;
	return out;
}

void tp_out_fields_free(tp_output *o)
{
	if (!o)
		return;
	struct fields_state *st = o->state;
	free(st->defs);
	free(st->buf);
	free(st);
	free(o);
}
