/* helpers.h - hostile-input helpers shared by the unit tests.
 *
 * Every dissector test feeds real bytes whole, cut at every truncation
 * length, and with length fields bumped, each time from a buffer that
 * ends right before an unmapped page, so a read one byte too far faults
 * even without AddressSanitizer.
 */
#ifndef TAPIR_TEST_HELPERS_H
#define TAPIR_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tapir/dissector.h"
#include "tapir/pipeline.h"
#include "tapir/record.h"

/* Hex text ("45 00 00 54", spaces/newlines ignored) to bytes; returns the
 * byte count.  Fails the test on bad input. */
size_t th_hex(const char *hex, uint8_t *out, size_t cap);

/* A copy of `n` bytes whose last byte is followed by a PROT_NONE page. */
uint8_t *th_guarded(const uint8_t *b, size_t n);
void th_guarded_free(uint8_t *p, size_t n);

/* Dissect from a guarded copy; the returned record is valid until the
 * next call. */
tp_pkt *th_dissect(int linktype, const uint8_t *b, size_t caplen, size_t len);
/* The same in a lean run (p->lean: the one-line text only); the next
 * th_dissect is not lean again. */
tp_pkt *th_dissect_lean(int linktype, const uint8_t *b, size_t caplen,
			size_t len);
/* A hidden field that repeats two addresses (eth.addr, ip.addr,
 * ipv6.addr): exactly two occurrences, `first` then `second` (n bytes
 * each), marked hidden; fails otherwise. */
void th_expect_alias_pair(const tp_pkt *p, const char *abbrev,
			  const uint8_t *first, const uint8_t *second, size_t n);

/* Run one dissector alone over `n` bytes as if quoted inside an ICMP
 * error (p->in_error, an embedded layer), from a guarded buffer: its next
 * key and its cursor's final status come back through nx and st. */
tp_pkt *th_dissect_quoted(const tp_dissector *d, const uint8_t *b, size_t n,
			  tp_next *nx, tp_status *st);

/* The first layer called `name`, or fail. */
unsigned th_layer(const tp_pkt *p, const char *name);
bool th_has_layer(const tp_pkt *p, const char *name);
/* A field by abbreviation anywhere in the packet (first occurrence). */
const tp_field *th_field(const tp_pkt *p, const char *abbrev);
uint64_t th_uint(const tp_pkt *p, const char *abbrev);
int th_count(const tp_pkt *p, const char *abbrev);
bool th_has_event(const tp_pkt *p, const char *abbrev);
bool th_has_kind(const tp_pkt *p, tp_ev_kind kind);
/* The one-line summary with default options (no timestamp). */
const char *th_summary(const tp_pkt *p);
/* The line with -v (1), -vv (2) or -vvv (3): tcpdump's verbose text. */
const char *th_summary_v(const tp_pkt *p, int vflag);
/* The text of a line after its first "a > b: " (the network layer's
 * part, -v's parenthesis included, left out). */
const char *th_after_addrs(const char *line);

/* Cut the packet at every length 0..n-1 (caplen = cut, len = n): never a
 * crash; for cuts below `meaningful` a TRUNCATED event must be there
 * (unless the cut fell in the undissected bytes of a data layer), and
 * nothing is ever reported MALFORMED that was not MALFORMED whole. */
void th_every_truncation(int linktype, const uint8_t *b, size_t n,
			 size_t meaningful);

/* Set the big-endian field of `width` bytes at `off` to each of the
 * TH_BUMPS hostile values (0, 1, 2, 3, 4, 7, 8, value+1, value-1,
 * value+100, max/2, max-1, max): never a crash, and each run must end
 * in a record.  Counts, separately, the variants whose record has a
 * MALFORMED event and those with a TRUNCATED event. */
#define TH_BUMPS 13
typedef struct th_kinds {
	int malformed, truncated;
} th_kinds;
th_kinds th_bump(int linktype, const uint8_t *b, size_t n, size_t off,
		 unsigned width);
/* th_bump, asserting exactly `malformed` and `truncated` variants. */
#define th_expect_bump(lt, b, n, off, w, mal_, trunc_)                       \
	do {                                                                 \
		th_kinds k_ = th_bump(lt, b, n, off, w);                     \
		assert_int_equal(k_.malformed, (mal_));                      \
		assert_int_equal(k_.truncated, (trunc_));                    \
	} while (0)

/* A session (flow table, and the fragment table when `defrag`) with its
 * packet record, for tests across packets. */
typedef struct th_sess {
	struct tp_session *s;
	tp_pkt *p;
} th_sess;
void th_sess_init(th_sess *d, bool defrag);
void th_sess_free(th_sess *d);
/* Dissect frame `number` (caplen of len bytes, Ethernet) from a guarded
 * copy; the copy stays until the next call, as a capture buffer would. */
tp_pkt *th_sess_feed(th_sess *d, uint64_t number, const uint8_t *b,
		     size_t caplen, size_t len);
/* An Ethernet/IPv4/TCP frame between 10.0.0.1:cport (dir 0) and
 * 10.0.0.2:sport (dir 1) with payload pl[0..n), checksums right;
 * returns its length (54 + n). */
size_t th_tcp_frame(uint8_t *out, int dir, uint16_t cport, uint16_t sport,
		    uint32_t seq, uint32_t ack, uint8_t flags,
		    const uint8_t *pl, size_t n);
/* Datagrams in the fragment table now. */
unsigned th_frag_dgrams(const th_sess *d);

#endif
