/* defmap.c - a field definition's address -> a small number, for the
 * outputs that look up every field of every packet (-T fields, -T json):
 * open addressing in a power-of-two table sized at twice the
 * definitions registered, filled once, never grown. */
#include <stdlib.h>

#include "tapir/output.h"
#include "tapir/registry.h"

int tp_defmap_init(tp_defmap *m)
{
	tp_registry_init();
	size_t ndefs = 0;
	for (size_t i = 0; i < tp_registry_count(); i++)
		ndefs += tp_registry_get(i)->nfields;
	size_t hsize = 16;
	while (hsize < 2 * ndefs + 2)
		hsize *= 2;
	m->key = calloc(hsize, sizeof *m->key);
	m->val = calloc(hsize, sizeof *m->val);
	m->mask = hsize - 1;
	m->ndefs = ndefs;
	if (!m->key || !m->val) {
		tp_defmap_free(m);
		return -1;
	}
	return 0;
}

void tp_defmap_free(tp_defmap *m)
{
	free(m->key);
	free(m->val);
	m->key = NULL;
	m->val = NULL;
}

void tp_defmap_put(tp_defmap *m, const tp_field_def *d, uint32_t v)
{
	size_t i = tp_defmap_hash(d, m->mask);
	while (m->key[i] && m->key[i] != d)
		i = (i + 1) & m->mask;
	m->key[i] = d;
	m->val[i] = v;
}
