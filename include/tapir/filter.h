/* filter.h - display filters (-Y): Wireshark's syntax, compiled once,
 * evaluated per packet over the record's typed fields.
 *
 *   tp_filter *f = tp_filter_compile("ip.addr == 10.0.0.0/8 and
 *                                     tcp.port in {80 443}", &err);
 *   if (!f) { print err.msg at err.col; exit 2; }
 *   ... tp_filter_match(f, p) for each dissected record ...
 *   tp_filter_free(f);
 *
 * The language (a subset of wireshark-filter(4), what users type every
 * day): a field or protocol name alone (it is present); comparisons
 * == != < > <= >= (and eq ne lt gt le ge), === (all_eq: every
 * occurrence), !== (any_ne); contains; matches (a POSIX extended regular
 * expression, case-insensitive as Wireshark's); in {v1 v2 a..b};
 * and && or || xor ^^ not !; parentheses; slices field[i:n] field[i-j]
 * field[i] on byte-like fields.  Values are read as the field's type:
 * numbers (decimal, 0x hex, 0 octal) or a value's name, IPv4/IPv6 with
 * an optional /prefix, MAC and byte strings (aa:bb:cc, aa-bb, aabb),
 * "strings" with C escapes.  A field on the right compares with the
 * left's values (any pair).  As in Wireshark 4, == is "any occurrence
 * equals" and != is "no occurrence equals".
 *
 * Precedence: not, then and, then xor, then or (Wireshark warns about
 * mixing and/or without parentheses; tapir takes and first as C does).
 */
#ifndef TAPIR_FILTER_H
#define TAPIR_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "tapir/record.h"

typedef struct tp_filter tp_filter;

typedef struct tp_filter_err {
	char msg[256];
	size_t col;  /* 1-based column of the error in the expression */
	size_t span; /* how many characters from there */
} tp_filter_err;

tp_filter *tp_filter_compile(const char *expr, tp_filter_err *err);
bool tp_filter_match(const tp_filter *f, const tp_pkt *p);
void tp_filter_free(tp_filter *f);
/* Whether the filter reads only fields a lean record (record.h) holds
 * the same as a full one; if so, it is made to run on lean records (the
 * aliases eth.addr, ip.addr, ipv6.addr read their source and
 * destination fields) and true is returned.  Call it only for a run
 * that will then be lean. */
bool tp_filter_lean(tp_filter *f);
/* Whether the filter reads a field whose name starts with `prefix`
 * ("tcp.analysis."): the run builds what only such a filter needs. */
bool tp_filter_reads(const tp_filter *f, const char *prefix);

#endif
