/* registry.c - THE list of dissectors, and the key tables built from it.
 *
 * Each dissector names the keys that select it (dissector.h); this file
 * only lists the dissectors.  Tables are sorted arrays searched by binary
 * search: a handful of lookups per packet over a few dozen keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/registry.h"

extern const tp_dissector tp_diss_eth, tp_diss_llc, tp_diss_vlan,
	tp_diss_ieee8021ad,
	tp_diss_sll, tp_diss_sll2, tp_diss_null, tp_diss_raw, tp_diss_arp,
	tp_diss_ip, tp_diss_ipv6, tp_diss_icmp, tp_diss_icmpv6, tp_diss_udp,
	tp_diss_tcp, tp_diss_dhcp;
extern const tp_dissector tp_diss_dns, tp_diss_mdns, tp_diss_llmnr;
extern const tp_dissector tp_diss_http, tp_diss_websocket, tp_diss_http2,
	tp_diss_tls;
extern const tp_dissector tp_diss_x509;

static const tp_dissector *const all[] = {
	&tp_diss_frame, &tp_diss_eth,  &tp_diss_llc,    &tp_diss_vlan,
	&tp_diss_ieee8021ad,
	&tp_diss_sll,   &tp_diss_sll2, &tp_diss_null,   &tp_diss_raw,
	&tp_diss_arp,   &tp_diss_ip,   &tp_diss_ipv6,   &tp_diss_icmp,
	&tp_diss_icmpv6, &tp_diss_udp, &tp_diss_tcp,    &tp_diss_data,
	&tp_diss_dns, &tp_diss_mdns, &tp_diss_llmnr,
	&tp_diss_dhcp,
	&tp_diss_http, &tp_diss_websocket, &tp_diss_http2, &tp_diss_tls,
	&tp_diss_x509,
};

#ifdef TAPIR_TESTING
/* Dissectors the test programs add (tests/unit/toy.c): never in tapir. */
#define MAX_TEST 4
static const tp_dissector *test_extra[MAX_TEST];
static size_t ntest;
#else
#define ntest 0
static const tp_dissector *const *const test_extra = NULL;
#endif

static size_t count(void) { return TP_COUNT(all) + ntest; }

static const tp_dissector *get(size_t i)
{
	return i < TP_COUNT(all) ? all[i]
	       : i < count()	 ? test_extra[i - TP_COUNT(all)]
				 : NULL;
}

struct entry {
	uint8_t table;
	uint32_t key;
	const tp_dissector *d;
};

#define MAX_KEYS 512
static struct entry keys[MAX_KEYS];
static size_t nkeys;
static struct entry *overrides;
static size_t noverrides;

static const tp_field_def **fields;
static size_t nfields;
static int inited;
/* the dissectors with a probe, in registry order */
#define MAX_PROBES 64
static const tp_dissector *probes[MAX_PROBES];
static size_t nprobes;

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return 0;
}

static int cmp_field(const void *a, const void *b)
{
	const tp_field_def *const *x = a, *const *y = b;
	return strcmp((*x)->abbrev, (*y)->abbrev);
}

void tp_registry_init(void)
{
	if (inited)
		return;
	inited = 1;
	size_t nf = 0;
	for (size_t i = 0; i < count(); i++) {
		const tp_dissector *d = get(i);
		nf += d->nfields;
		for (const tp_key *k = d->keys; k && k->table; k++) {
			if (nkeys == MAX_KEYS)
				abort(); /* a build-time mistake */
			keys[nkeys++] = (struct entry){k->table, k->key, d};
		}
	}
	qsort(keys, nkeys, sizeof keys[0], cmp_entry);
	nprobes = 0;
	for (size_t i = 0; i < count(); i++)
		if (get(i)->probe) {
			if (nprobes == MAX_PROBES)
				abort(); /* a build-time mistake */
			probes[nprobes++] = get(i);
		}
	fields = malloc((nf ? nf : 1) * sizeof *fields);
	if (!fields)
		abort();
	for (size_t i = 0; i < count(); i++)
		for (size_t j = 0; j < get(i)->nfields; j++)
			fields[nfields++] = &get(i)->fields[j];
	qsort(fields, nfields, sizeof *fields, cmp_field);
}

#ifdef TAPIR_TESTING
void tp_registry_add_test(const tp_dissector *d)
{
	for (size_t i = 0; i < ntest; i++)
		if (test_extra[i] == d)
			return;
	if (ntest == MAX_TEST)
		abort();
	test_extra[ntest++] = d;
	if (inited) { /* build the tables again with it */
		free(fields);
		fields = NULL;
		nfields = 0;
		nkeys = 0;
		inited = 0;
		tp_reg_gen++;
	}
}
#endif

/* The tables by bsearch; the dispatch loop caches the answers
 * (tp_registry_next, below). */
static const tp_dissector *find(uint8_t table, uint32_t key)
{
	struct entry k = {table, key, NULL};
	struct entry *e = noverrides ? bsearch(&k, overrides, noverrides,
					       sizeof k, cmp_entry)
				     : NULL;
	if (!e)
		e = bsearch(&k, keys, nkeys, sizeof keys[0], cmp_entry);
	return e ? e->d : NULL;
}

static const tp_dissector *find3(uint8_t table, uint32_t key, uint32_t key2)
{
	if (table == TP_TAB_NAME)
		return get(key);
	if (table == TP_TAB_TCP_TEXT) { /* either port, the lower first */
		const tp_dissector *d = find(table, key < key2 ? key : key2);
		return d ? d : find(table, key < key2 ? key2 : key);
	}
	if (table == TP_TAB_UDP_PORT || table == TP_TAB_TCP_PORT) {
		uint32_t lo = key < key2 ? key : key2;
		uint32_t hi = key < key2 ? key2 : key;
		const tp_dissector *d = find(table, lo);
		if (!d)
			d = find(table, hi);
		/* a stream dissector reads PDUs the stream layer cuts, never
		 * a raw segment (no session, or no reassembly) */
		if (d && d->pdu_len && table == TP_TAB_TCP_PORT) {
			d = find(table, hi);
			return d && !d->pdu_len ? d : NULL;
		}
		return d;
	}
	return find(table, key);
}

/* The whole answer for a tp_next cached too, probed inline by the
 * dispatch loop (tp_registry_next): one probe a layer, no call. */
_Thread_local tp_regcache tp_reg_cache[TP_REGCACHE];
unsigned tp_reg_gen = 1;

const tp_dissector *tp_registry_find_miss(tp_next n, tp_regcache *c)
{
	const tp_dissector *d =
		n.table == TP_TAB_NONE ? NULL : find3(n.table, n.key, n.key2);
	memcpy(&c->w, &n, sizeof c->w);
	c->gen = tp_reg_gen;
	c->d = d;
	return d;
}

const tp_dissector *tp_registry_find(uint8_t table, uint32_t key,
				     uint32_t key2)
{
	tp_next n = {table, key, key2 & 0xffffff};
	return tp_registry_next(n);
}

const tp_dissector *tp_registry_lookup(tp_next n)
{
	return tp_registry_find(n.table, n.key, n.key2);
}

size_t tp_registry_count(void) { return count(); }

const tp_dissector *tp_registry_get(size_t i) { return get(i); }

uint32_t tp_registry_index(const tp_dissector *d)
{
	for (size_t i = 0; i < count(); i++)
		if (get(i) == d)
			return (uint32_t)i;
	return 0;
}

const tp_dissector *tp_registry_by_name(const char *name)
{
	for (size_t i = 0; i < count(); i++)
		if (strcmp(get(i)->name, name) == 0)
			return get(i);
	return NULL;
}

/* ---- pinning flows (src/flow/stream.c) ------------------------------------ */

static const tp_dissector *find_in(const struct entry *tab, size_t n,
				   uint8_t table, uint32_t key)
{
	struct entry k = {table, key, NULL};
	const struct entry *e =
		n ? bsearch(&k, tab, n, sizeof k, cmp_entry) : NULL;
	return e ? e->d : NULL;
}

const tp_dissector *tp_registry_pin(uint8_t proto, uint16_t a, uint16_t b)
{
	tp_registry_init();
	uint8_t t = proto == 6 ? TP_TAB_TCP_PORT : TP_TAB_UDP_PORT;
	uint16_t lo = a < b ? a : b, hi = a < b ? b : a;
	const tp_dissector *d = find_in(overrides, noverrides, t, lo);
	if (!d)
		d = find_in(overrides, noverrides, t, hi);
	if (!d)
		d = find_in(keys, nkeys, t, lo);
	if (!d)
		d = find_in(keys, nkeys, t, hi);
	return d;
}

const tp_dissector *tp_registry_probe(uint8_t proto, const uint8_t *b,
				      size_t n, bool *more)
{
	tp_registry_init();
	*more = false;
	for (size_t i = 0; i < nprobes; i++) {
		const tp_dissector *d = probes[i];
		if (proto == 6 && !d->pdu_len)
			continue;
		tp_probe r = d->probe(b, n, proto);
		if (r == TP_PROBE_YES)
			return d;
		if (r == TP_PROBE_MORE)
			*more = true;
	}
	return NULL;
}

const tp_field_def *tp_registry_field(const char *abbrev)
{
	tp_registry_init();
	tp_field_def k = {.abbrev = abbrev};
	const tp_field_def *kp = &k;
	const tp_field_def **r =
		bsearch(&kp, fields, nfields, sizeof *fields, cmp_field);
	return r ? *r : NULL;
}

static const struct {
	const char *name;
	uint8_t table;
	uint32_t max;
} da_tables[] = {
	{"tcp.port", TP_TAB_TCP_PORT, 65535},
	{"udp.port", TP_TAB_UDP_PORT, 65535},
	{"ip.proto", TP_TAB_IPPROTO, 255},
	{"ipv6.nxt", TP_TAB_IPPROTO, 255},
	{"ethertype", TP_TAB_ETHERTYPE, 65535},
	{"eth.type", TP_TAB_ETHERTYPE, 65535},
	{"wtap_encap", TP_TAB_LINKTYPE, 65535},
	{"link_type", TP_TAB_LINKTYPE, 65535},
};

#define MAX_OVERRIDES (4 * 65536) /* every port of both tables and more */

int tp_registry_decode_as(const char *spec, char *err, size_t errlen)
{
	tp_registry_init();
	const char *eq = strstr(spec, "==");
	const char *comma = eq ? strchr(eq, ',') : NULL;
	if (!eq || !comma) {
		snprintf(err, errlen,
			 "decode-as \"%s\": expected TABLE==VALUE,PROTOCOL "
			 "(e.g. tcp.port==8080,http)",
			 spec);
		return -1;
	}
	size_t tl = (size_t)(eq - spec);
	int t = -1;
	for (size_t i = 0; i < TP_COUNT(da_tables); i++)
		if (strlen(da_tables[i].name) == tl &&
		    strncmp(da_tables[i].name, spec, tl) == 0)
			t = (int)i;
	if (t < 0) {
		snprintf(err, errlen,
			 "decode-as \"%s\": unknown table (use tcp.port, "
			 "udp.port, ip.proto, ethertype or link_type)",
			 spec);
		return -1;
	}
	char *end;
	unsigned long lo = strtoul(eq + 2, &end, 0), hi = lo;
	if (*end == '-')
		hi = strtoul(end + 1, &end, 0);
	if (end != comma || end == eq + 2 || hi < lo ||
	    hi > da_tables[t].max) {
		snprintf(err, errlen, "decode-as \"%s\": bad value or range",
			 spec);
		return -1;
	}
	const tp_dissector *d = tp_registry_by_name(comma + 1);
	if (!d || d == &tp_diss_frame) {
		snprintf(err, errlen, "decode-as \"%s\": no protocol \"%s\"",
			 spec, comma + 1);
		return -1;
	}
	if (noverrides + (hi - lo + 1) > MAX_OVERRIDES) {
		snprintf(err, errlen, "decode-as: too many entries");
		return -1;
	}
	struct entry *no = realloc(overrides, (noverrides + (hi - lo + 1)) *
						     sizeof *no);
	if (!no) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	overrides = no;
	/* A later rule replaces an earlier one for the same key; the array
	 * stays sorted for bsearch (this runs once, at start-up). */
	size_t n = 0;
	for (size_t i = 0; i < noverrides; i++)
		if (overrides[i].table != da_tables[t].table ||
		    overrides[i].key < lo || overrides[i].key > hi)
			overrides[n++] = overrides[i];
	noverrides = n;
	for (unsigned long v = lo; v <= hi; v++)
		overrides[noverrides++] =
			(struct entry){da_tables[t].table, (uint32_t)v, d};
	qsort(overrides, noverrides, sizeof *overrides, cmp_entry);
	tp_reg_gen++;
	return 0;
}

void tp_registry_clear_overrides(void)
{
	free(overrides);
	overrides = NULL;
	noverrides = 0;
	tp_reg_gen++;
}
