/* nametab.h - a bounded table of names and their counts for --stats
 * (HTTP's methods, hosts and content types; TLS's SNIs, ciphers, JA4s):
 * entries in order of arrival, found through an open-addressed index of
 * 2 * cap slots; a name is cut at NT_NAME_MAX bytes; what does not fit
 * is counted on an "other" line, never grown (nametab.c). */
#ifndef TAPIR_NAMETAB_H
#define TAPIR_NAMETAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NT_NAME_MAX 128u

typedef struct nt_name {
	uint64_t count, bytes;
	uint16_t len;
	char s[NT_NAME_MAX];
} nt_name;

/* A bounded table of names: entries in order of arrival, found through
 * an open-addressed index of 2 * cap slots (0: empty, else entry + 1). */
typedef struct nametab {
	unsigned cap, n;
	nt_name *e;
	uint16_t *slot;
	uint64_t other, other_bytes;
} nametab;

/* cap: a power of two (the index mask). */
bool nt_init(nametab *t, unsigned cap);
void nt_free(nametab *t);
/* The entry for s[0..n), made if there is room; NULL: counted as other. */
nt_name *nt_get(nametab *t, const uint8_t *s, size_t n);
void nt_count(nametab *t, const uint8_t *s, size_t n);
/* The rows, the most counted first (with bytes when `bytes`), under a
 * "title ... Count" head, then "other". */
void nt_print(const nametab *t, const char *title, bool bytes, FILE *fp);

#endif
