/* nametab.c - bounded name tables for --stats (nametab.h). */
#include <stdlib.h>
#include <string.h>

#include "nametab.h"
#include "tapir/output.h"

bool nt_init(nametab *t, unsigned cap)
{
	t->cap = cap;
	t->e = calloc(cap, sizeof *t->e);
	t->slot = calloc(2 * (size_t)cap, sizeof *t->slot);
	return t->e && t->slot;
}

void nt_free(nametab *t)
{
	free(t->e);
	free(t->slot);
}

/* The entry for s[0..n) (cut at NT_NAME_MAX), made if there is room;
 * NULL: counted as other. */
nt_name *nt_get(nametab *t, const uint8_t *s, size_t n)
{
	if (n > NT_NAME_MAX)
		n = NT_NAME_MAX;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	unsigned mask = 2 * t->cap - 1, k = (unsigned)(h ^ h >> 32) & mask;
	for (;; k = (k + 1) & mask) {
		unsigned x = t->slot[k];
		if (!x)
			break;
		nt_name *e = &t->e[x - 1];
		if (e->len == n && memcmp(e->s, s, n) == 0)
			return e;
	}
	if (t->n == t->cap)
		return NULL;
	nt_name *e = &t->e[t->n++];
	e->len = (uint16_t)n;
	memcpy(e->s, s, n);
	t->slot[k] = (uint16_t)t->n;
	return e;
}

void nt_count(nametab *t, const uint8_t *s, size_t n)
{
	nt_name *e = nt_get(t, s, n);
	if (e)
		e->count++;
	else
		t->other++;
}

/* The most counted first; ties in the order first seen (the entries'). */
static int cmp_count(const void *a, const void *b)
{
	const nt_name *x = *(const nt_name *const *)a,
		      *y = *(const nt_name *const *)b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x < y ? -1 : x > y;
}

/* The name as printable text (tp_sb_escaped). */
static const char *name_text(const nt_name *e, char *buf, size_t cap)
{
	tp_sbuf b;
	tp_sb_init(&b, buf, cap);
	tp_sb_escaped(&b, (const uint8_t *)e->s, e->len);
	return tp_sb_cstr(&b);
}

/* A table's rows, the most counted first; with bytes when `bytes`. */
void nt_print(const nametab *t, const char *title, bool bytes,
		      FILE *fp)
{
	const nt_name **row = malloc((t->n ? t->n : 1) * sizeof *row);
	fprintf(fp, "\n%-40s %12s%s\n", title, "Count", bytes ? "   Body bytes" : "");
	if (!row)
		return;
	for (unsigned i = 0; i < t->n; i++)
		row[i] = &t->e[i];
	qsort(row, t->n, sizeof *row, cmp_count);
	for (unsigned i = 0; i < t->n; i++) {
		char buf[4 * NT_NAME_MAX + 8];
		fprintf(fp, "  %-38s %12llu", name_text(row[i], buf, sizeof buf),
			(unsigned long long)row[i]->count);
		if (bytes)
			fprintf(fp, " %12llu", (unsigned long long)row[i]->bytes);
		fprintf(fp, "\n");
	}
	if (t->other || t->other_bytes) {
		fprintf(fp, "  %-38s %12llu", "other",
			(unsigned long long)t->other);
		if (bytes)
			fprintf(fp, " %12llu",
				(unsigned long long)t->other_bytes);
		fprintf(fp, "\n");
	}
	free(row);
}
