/* output.h - text building and the output back ends.
 *
 * tp_sbuf is a bounded string builder with hand-written formatters for the
 * things packets are made of (decimal, hex, addresses), so the print path
 * does not go through printf.  It never grows: past its capacity text is
 * dropped and `trunc` is set.
 */
#ifndef TAPIR_OUTPUT_H
#define TAPIR_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tapir/cursor.h"
#include "tapir/record.h"

typedef struct tp_sbuf {
	char *buf;
	size_t len, cap;
	bool trunc;
} tp_sbuf;

void tp_sb_init(tp_sbuf *s, char *buf, size_t cap);

/* The three every formatter ends in, inline: hundreds of calls a packet
 * in the -v tree. */
static inline void tp_sb_putc(tp_sbuf *s, char ch)
{
	if (s->len + 1 < s->cap)
		s->buf[s->len++] = ch;
	else
		s->trunc = true;
}

/* GCC cannot see that a branch's n fits the caller's array (it warns
 * about offsets past a small buffer in a branch that never runs for it) */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
static inline void tp_sb_put(tp_sbuf *s, const char *str, size_t n)
{
	/* the length and the place read once (a store through the char
	 * pointer would make the compiler load them again), and up to 16
	 * bytes copied as two overlapping words, no call: field names,
	 * separators and numbers are short (this was a third of -V) */
	size_t len = s->len, cap = s->cap;
	size_t room = cap ? cap - 1 - len : 0;
	if (n > room) {
		n = room;
		s->trunc = true;
	}
	char *d = s->buf + len;
	if (n >= 8 && n <= 16) {
		uint64_t a, b;
		memcpy(&a, str, 8);
		memcpy(&b, str + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;
		memcpy(&a, str, 4);
		memcpy(&b, str + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			d[i] = str[i];
	} else {
		memcpy(d, str, n);
	}
	s->len = len + n;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* strlen and memcpy: field names and value strings of the -v tree are
 * 10 to 40 bytes, where the library's vector code beats a byte loop
 * (that loop was 40% of -v's instructions). */
static inline void tp_sb_puts(tp_sbuf *s, const char *str)
{
	tp_sb_put(s, str, strlen(str));
}

/* ".nnnnnnnnn": nine digits of a fraction of a second (< 10^9). */
void tp_sb_frac9(tp_sbuf *s, uint64_t ns);
/* "." and n (<= 9) zero-padded digits of v (< 10^n). */
void tp_sb_frac(tp_sbuf *s, uint32_t v, unsigned n);
/* Two digits of v % 100, zero-padded. */
void tp_sb_dec2(tp_sbuf *s, unsigned v);
void tp_sb_dec(tp_sbuf *s, uint64_t v);
/* v's digits at d (room for 20); returns the end.  For a summarizer
 * that builds a run of text in a local buffer and puts it at once (the
 * stores of tp_sb_put through the line's char pointer make the compiler
 * reload the line's length after each one). */
char *tp_fmt_dec(char *d, uint64_t v);
char *tp_fmt_ipv4(char *d, const uint8_t *p); /* room for 15 */
char *tp_fmt_ipv6(char *d, const uint8_t *p); /* room for 46 */
static inline char *tp_fmt_lit(char *d, const char *lit)
{
	size_t n = strlen(lit);
	memcpy(d, lit, n);
	return d + n;
}
void tp_sb_sdec(tp_sbuf *s, int64_t v);
void tp_sb_hex(tp_sbuf *s, uint64_t v, unsigned width); /* no 0x; 0-padded */
void tp_sb_hexbytes(tp_sbuf *s, const uint8_t *p, size_t n, char sep);
void tp_sb_mac(tp_sbuf *s, const uint8_t *p);
void tp_sb_ipv4(tp_sbuf *s, const uint8_t *p);
void tp_sb_ipv6(tp_sbuf *s, const uint8_t *p);
void tp_sb_printf(tp_sbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Printable text: bytes outside 0x20..0x7e shown as escapes. */
void tp_sb_escaped(tp_sbuf *s, const uint8_t *p, size_t n);
/* A JSON string with its quotes: valid UTF-8 passed on, control
 * characters escaped, any other byte as \u00XX (its Latin-1 reading):
 * valid JSON whatever the bytes are. */
void tp_sb_json_str(tp_sbuf *s, const uint8_t *b, size_t n);
/* The same without the quotes (a string written in slices). */
void tp_sb_json_chars(tp_sbuf *s, const uint8_t *b, size_t n);
const char *tp_sb_cstr(tp_sbuf *s); /* NUL-terminates */

/* Format a field's value as text (used by -v, -T fields, the TUI). */
void tp_format_value(tp_sbuf *s, const tp_field *f);

/* What the text back end was asked for. */
typedef enum tp_tsfmt {
	TP_TS_DEFAULT = 0, /* HH:MM:SS.frac, local time */
	TP_TS_NONE,        /* -t */
	TP_TS_EPOCH,       /* -tt */
	TP_TS_DELTA,       /* -ttt: since the previous packet */
	TP_TS_DATE,        /* -tttt */
	TP_TS_SINCE_FIRST, /* -ttttt */
} tp_tsfmt;

typedef struct tp_outopts {
	tp_tsfmt ts;
	bool nano;      /* --time-stamp-precision=nano */
	bool eflag;     /* -e: link-level header */
	bool qflag;     /* -q: quieter */
	int vflag;      /* -v -vv -vvv: tcpdump's verbose text (a count) */
	bool Vflag;     /* -V (or -O): the detail tree */
	/* -O PROTO[,PROTO...]: the tree of these layers only, the others
	 * as one line each (NULL: every layer in full) */
	const char *Oprotos;
	int xflag;      /* -x (1) / -xx (2) hex */
	int Xflag;      /* -X / -XX hex and ASCII */
	int Aflag;      /* -A ASCII */
	bool lflag;     /* -l: line-buffered */
	bool numbers;   /* -#: packet number before each line */
	bool Sflag;     /* -S: absolute TCP sequence numbers (dissection
			 * makes no relative ones: pipeline.h, tp_dctx) */
} tp_outopts;

/* tcpdump's relative sequence numbers (src/output/seqtab.c), the table of a
 * run's dissection (tp_dctx, pipeline.h): the first packet
 * with ACK set of a connection (or any SYN) is printed absolute and
 * remembered; later ones are printed relative to it.  `addrlen` is 4 or
 * 16.  Returns true when *seq and *ack were made relative.  Like
 * tcpdump's, the table never forgets a connection; it holds at most
 * TP_SEQTAB_MAX (or `max`) of them, and a connection first seen past
 * that is printed absolute (tp_seqtab_full() says it happened). */
#define TP_SEQTAB_MAX (1u << 20)
struct tp_seqtab *tp_seqtab_new(void);
struct tp_seqtab *tp_seqtab_new_capped(size_t max);
void tp_seqtab_free(struct tp_seqtab *t);
size_t tp_seqtab_count(const struct tp_seqtab *t);
bool tp_seqtab_full(const struct tp_seqtab *t);
bool tp_seq_relative(struct tp_seqtab *t, const uint8_t *src,
		     const uint8_t *dst, unsigned addrlen, uint16_t sport,
		     uint16_t dport, bool syn, uint32_t *seq, uint32_t *ack);
/* A hint: fetch into the cache the slot tp_seq_relative will look at
 * first for these arguments. */
void tp_seqtab_prefetch(const struct tp_seqtab *t, const uint8_t *src,
			const uint8_t *dst, unsigned addrlen, uint16_t sport,
			uint16_t dport);

/* An output back end (text, fields, json, tui). */
typedef struct tp_output {
	void (*packet)(struct tp_output *o, const tp_pkt *p);
	void (*finish)(struct tp_output *o);
	void *state;
	FILE *fp; /* where it writes */
} tp_output;

tp_output *tp_out_text_new(FILE *fp, const tp_outopts *o);
void tp_out_text_free(tp_output *o);

/* Selected fields: -T fields -e ...  Returns NULL and sets err when a
 * field name is unknown.  Formats as the -E options parsed last said
 * (tp_fields_set_default), else as tshark's defaults. */
tp_output *tp_out_fields_new(FILE *fp, const char *const *names, size_t n,
			     char *err, size_t errlen);
void tp_out_fields_free(tp_output *o);

/* A field definition's address -> a number (src/output/defmap.c): made
 * once for the definitions of every registered dissector (ndefs), read
 * for every field of every packet.  init returns 0, or -1 out of memory. */
typedef struct tp_defmap {
	const tp_field_def **key;
	uint32_t *val;
	size_t mask, ndefs;
} tp_defmap;
#define TP_DEFMAP_NONE UINT32_MAX
int tp_defmap_init(tp_defmap *m);
void tp_defmap_free(tp_defmap *m);
void tp_defmap_put(tp_defmap *m, const tp_field_def *d, uint32_t v);
static inline size_t tp_defmap_hash(const tp_field_def *d, size_t mask)
{
	uint64_t x = (uint64_t)(uintptr_t)d;
	x ^= x >> 29;
	x *= 0x9e3779b97f4a7c15ull;
	return (size_t)(x >> 32) & mask;
}
/* The number put for d, or TP_DEFMAP_NONE. */
static inline uint32_t tp_defmap_get(const tp_defmap *m,
				     const tp_field_def *d)
{
	size_t i = tp_defmap_hash(d, m->mask);
	while (m->key[i]) {
		if (m->key[i] == d)
			return m->val[i];
		i = (i + 1) & m->mask;
	}
	return TP_DEFMAP_NONE;
}

/* Packets as JSON Lines (-T json), or with `ek` as the Elasticsearch bulk
 * format (-T ek) into index `index` (NULL: packets-YYYY-MM-DD of each
 * packet's date, UTC).  out_json.c and man/tapir.1 give the schema.
 * NULL when out of memory. */
tp_output *tp_out_json_new(FILE *fp, bool ek, const char *index);
void tp_out_json_free(tp_output *o);

/* A flag in a field's `base`: a byte field of no bytes is shown as
 * "<none>" rather than "<MISSING>" (Wireshark's BASE_ALLOW_ZERO). */
#define TP_BASE_ALLOW_ZERO 0x800u
/* A flag in a field's `base`: an organization code, shown in hex but
 * printed by -T fields in decimal, as tshark does (BASE_OUI). */
#define TP_BASE_OUI 0x1000u
/* A flag in a field's `base`: the -V tree shows a string or bytes field
 * as its length, "N bytes" (Wireshark's File Data: a decoded body is
 * megabytes), -T fields the value. */
#define TP_BASE_SIZE_ONLY 0x2000u
/* A flag in a field's `base`: a hidden field (Wireshark's
 * PROTO_ITEM_SET_HIDDEN: eth.addr, ip.addr, tcp.payload...): the -V tree
 * leaves it out; -T fields, -G fields and the display filter see it.
 * Added only when the run is not lean (record.h). */
#define TP_BASE_HIDDEN 0x4000u
#define TP_BASE_MASK 0xffu /* the tp_base part of `base` */

/* tshark's -E options (print.c output_fields_set_option). */
typedef struct tp_fieldfmt {
	bool header;      /* header=y: the field names first */
	bool bom;         /* bom=y: a UTF-8 byte order mark first */
	char separator;   /* between cells ('\t') */
	char aggregator;  /* between occurrences (',') */
	char quote;       /* around non-empty cells: '"', '\'' or 0 */
	char occurrence;  /* 'a' all, 'f' first, 'l' last, 'n' the nth */
	long nth;         /* with 'n': 1-based; negative counts from the end */
} tp_fieldfmt;

void tp_fieldfmt_init(tp_fieldfmt *f); /* tshark's defaults */
/* One -E NAME=VALUE.  tshark reads the first character of VALUE only
 * ("header=yes", "separator=/s", "separator=;"); tapir also takes
 * occurrence=N (1-based, negative from the last).  Returns 0, or -1 when
 * the option is not one of these. */
int tp_fieldfmt_set(tp_fieldfmt *f, const char *option);
/* The format tp_out_fields_new uses (options.c sets it). */
void tp_fields_set_default(const tp_fieldfmt *f);
tp_output *tp_out_fields_new_fmt(FILE *fp, const char *const *names,
				 size_t n, const tp_fieldfmt *fmt, char *err,
				 size_t errlen);

/* A field's value as tshark -T fields prints it (get_node_field_value):
 * numbers in their base (hex with 0x and the type's width), FT_NONE as 1,
 * bytes as plain hex, absolute times as "Nov 21, 2026 08:27:29.428833000
 * UTC" in local time, protocols as their abbreviation or (TCP options)
 * their bytes.  `p` gives the bytes a field covers (may be NULL). */
void tp_format_field_text(tp_sbuf *s, const tp_pkt *p, const tp_field *f);
/* tshark's absolute time text: "Mon DD, YYYY HH:MM:SS.NNNNNNNNN ZONE". */
void tp_sb_abstime(tp_sbuf *s, int64_t sec, uint32_t nsec);
/* tshark's relative time text: "-S.NNNNNNNNN". */
void tp_sb_reltime(tp_sbuf *s, int64_t ns);
/* tapir's pairing note after tcpdump's text: " | reply to #N in T ms"
 * (T in ms with 3 decimals; a negative time counts as 0). */
static inline void tp_sb_reply_note(tp_sbuf *s, uint64_t frame, int64_t ns)
{
	int64_t us = ns > 0 ? ns / 1000 : 0;
	tp_sb_puts(s, " | reply to #");
	tp_sb_dec(s, frame);
	tp_sb_puts(s, " in ");
	tp_sb_dec(s, (uint64_t)us / 1000);
	tp_sb_frac(s, (uint32_t)((uint64_t)us % 1000), 3);
	tp_sb_puts(s, " ms");
}

/* One-line summary of a packet (also used by the TUI list). */
void tp_summary_line(tp_sbuf *s, const tp_pkt *p, const tp_outopts *o);
/* The record the line is printed from: `p` itself, or, when `p` took part
 * in IP defragmentation, the same frame dissected again without a session
 * into `scratch` (tcpdump does not reassemble; see out_text.c). */
const tp_pkt *tp_line_record(const tp_pkt *p, tp_pkt *scratch);

/* Helpers summarizers share. */
/* A cursor over layer `li` from its first byte to the end of what was
 * captured (of the frame, or of the reassembled datagram it reads), for
 * the few verbose texts that print bytes no field holds. */
tp_cursor tp_layer_cursor(const tp_pkt *p, unsigned li);
/* The same, up to the end of the datagram of the nearest network layer
 * (at or below `li`): what tcpdump reads of a layer, inside an ICMP
 * error's quote too (its snapend there is the quote's end or the quoted
 * datagram's length, whichever comes first). */
tp_cursor tp_datagram_cursor(const tp_pkt *p, unsigned li);
/* The length of the payload the network layer below `li` hands to it, as
 * tcpdump takes it: inside an ICMP error's quote the quoted IPv4 header's
 * total length less its header, else what that layer handed over. */
uint32_t tp_ip_payload_length(const tp_pkt *p, unsigned li);
/* A TCP/UDP checksum computed at print time (quoted segments are not
 * verified when dissected): the value the field should hold, over `len`
 * bytes of layer `li` and the pseudo-header, the field at `sum_off`
 * counted as zero.  False when not all of it is there or the datagram is
 * a fragment. */
bool tp_l4_cksum(const tp_pkt *p, unsigned li, unsigned proto, size_t len,
		 size_t sum_off, uint16_t *calc);
/* tcpdump's fn_print_char: a byte as text, "M-" for the high bit, "^"
 * and the letter for a control character. */
void tp_sb_tcpdump_char(tp_sbuf *s, unsigned c);
/* An IP protocol as tcpdump -v names it: "TCP (6)", "unknown (60)". */
void tp_sb_tcpdump_ipproto(tp_sbuf *s, unsigned proto);
/* tcpdump's "ethertype IPv4 (0x0800), " ("ethertype IPv4, " without
 * `hex`), "Unknown" for a type it does not name. */
void tp_sb_ethertype(tp_sbuf *s, uint64_t type, bool hex);
const tp_netaddr *tp_nearest_addr(const tp_pkt *p, unsigned layer);
/* Is layer `li` in one fragment of a larger datagram (IPv4 MF/offset,
 * IPv6 fragment header, first included)?  The network layer below says so
 * with its addresses; checksums cannot be verified then. */
bool tp_fragmented(const tp_pkt *p, unsigned li);
/* A network layer's address: numeric, or its name when resolution is on. */
void tp_sb_addr(tp_sbuf *s, const tp_netaddr *a, bool src);
/* tcpdump's "SRC.SPORT > DST.DPORT: " (the ports alone when a is NULL). */
void tp_sb_endpoints(tp_sbuf *s, const tp_netaddr *a, uint64_t sport,
		     uint64_t dport);
/* -N: resolve addresses to names (reverse DNS / hosts file), off by
 * default so tapir sends no query of its own while it captures. */
void tp_resolve_names(bool on);
/* The lookup behind -N (default: getnameinfo); NULL restores it.  Tests
 * install a fake one, so they never send a query. */
typedef bool (*tp_name_lookup_fn)(unsigned family, const uint8_t *addr,
				  char *name, size_t len);
void tp_resolve_backend(tp_name_lookup_fn fn);

/* tcpdump's hex_print: IDENT "0x0000: " and " xxxx" per two bytes,
 * eight to a line, over the n bytes at p. */
void tp_sb_tcpdump_hex(tp_sbuf *s, const char *ident, const uint8_t *p,
		       size_t n);
/* tcpdump's `fragmented` for the transport above layer `li`: the IPv6
 * header chain below it has a fragment header (an atomic fragment
 * too), or the IPv4 header says MF or an offset.  tcpdump checks no
 * checksum then. */
bool tp_tcpdump_fragmented(const tp_pkt *p, unsigned li);
/* The destination of tcpdump's pseudo-header for the transport above
 * layer `li` (print-ip6.c ip6_finddst): over IPv6 with a routing header,
 * the last address of a type 0 or 2 one, the first segment of a type 4
 * one, whatever the segments left; else the header's destination. */
const uint8_t *tp_tcpdump_pseudo_dst(const tp_pkt *p, unsigned li);
/* The length tcpdump hands to layer `li` over IPv6: `have` (what the
 * frame holds), or when the IPv6 header (or its jumbo option) claims
 * more than the frame, the claimed payload after the headers before
 * `li`. */
uint64_t tp_tcpdump_ip6_length(const tp_pkt *p, unsigned li, uint64_t have);

#endif
