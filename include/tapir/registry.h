/* registry.h - key tables: link type, ethertype, IP protocol, ports.
 *
 * src/core/registry.c holds the only list of dissectors.  Lookups are by
 * (table, key); `-d tcp.port==8080,http` adds an override that wins over
 * the built-in keys.
 */
#ifndef TAPIR_REGISTRY_H
#define TAPIR_REGISTRY_H

#include <string.h>

#include "tapir/dissector.h"

/* Build the key tables.  Idempotent. */
void tp_registry_init(void);

/* The dissector for a key, or NULL.  For port tables both key and key2
 * are tried, the lower port first (as Wireshark does). */
const tp_dissector *tp_registry_lookup(tp_next n);
/* The same, the key's parts apart. */
const tp_dissector *tp_registry_find(uint8_t table, uint32_t key,
				     uint32_t key2);

/* The dispatch loop's lookup, inline: a per-thread direct-mapped cache
 * of answers (negative ones too) keyed by the tp_next word, dropped
 * when the tables change (tp_reg_gen: a decode-as rule). */
#define TP_REGCACHE 256
typedef struct tp_regcache {
	uint64_t w;
	unsigned gen;
	const tp_dissector *d;
} tp_regcache;
extern _Thread_local tp_regcache tp_reg_cache[TP_REGCACHE];
extern unsigned tp_reg_gen;
const tp_dissector *tp_registry_find_miss(tp_next n, tp_regcache *c);

static inline const tp_dissector *tp_registry_next(tp_next n)
{
	uint64_t w;
	memcpy(&w, &n, sizeof w);
	tp_regcache *c =
		&tp_reg_cache[(w * 0x9e3779b97f4a7c15ull) >> 56 & (TP_REGCACHE - 1)];
	if (c->w == w && c->gen == tp_reg_gen)
		return c->d;
	return tp_registry_find_miss(n, c);
}

/* All dissectors, for -G and the field index. */
size_t tp_registry_count(void);
const tp_dissector *tp_registry_get(size_t i);
/* Index of a dissector (the key of TP_TAB_NAME). */
uint32_t tp_registry_index(const tp_dissector *d);

/* The dissector a TCP (6) or UDP (17) flow between ports a and b is
 * pinned to by its ports: a decode-as rule on either port (the lower
 * first), else a dissector keyed on either port (the lower first). */
const tp_dissector *tp_registry_pin(uint8_t proto, uint16_t a, uint16_t b);
/* The probes, in registry order, on the first bytes of a TCP direction
 * (stream dissectors only) or a UDP datagram: the first that says yes,
 * or NULL (*more: one could not tell yet). */
const tp_dissector *tp_registry_probe(uint8_t proto, const uint8_t *b,
				      size_t n, bool *more);

#ifdef TAPIR_TESTING
/* Test programs only (src/core/registry.c compiled with -DTAPIR_TESTING into
 * tests/unit/libth.a and the fuzz harnesses): add a dissector, such as
 * the toy stream protocol of tests/unit/toy.c. */
void tp_registry_add_test(const tp_dissector *d);
#endif
const tp_dissector *tp_registry_by_name(const char *name);

/* Field lookup by abbreviation (for -T fields -e and -Y). */
const tp_field_def *tp_registry_field(const char *abbrev);

/* Decode-as: "tcp.port==8080,http".  Returns 0, or -1 with a message. */
int tp_registry_decode_as(const char *spec, char *err, size_t errlen);
void tp_registry_clear_overrides(void);

#endif
