/* out_text.c - tcpdump-style text: one line per packet (-v -vv -vvv
 * ask each layer for tcpdump's verbose text), the -V detail tree (-O:
 * of some protocols only), and -x / -X / -A hex and ASCII.
 *
 * The one-line summary asks each layer's summarize() in turn (see
 * dissector.h); the tree and the hex dump are generic over the record.
 * All output goes through one buffered FILE with a large buffer.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>

#include "tapir/dissector.h"
#include "tapir/inet.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/proto.h"
#include "tapir/registry.h"
#include "tapir/layerfields.h"

#define TP_MAX_ONLY 64 /* -O protocols (tapir -G protocols lists fewer) */

struct text_state {
	FILE *fp;
	tp_outopts o;
	bool have_prev;
	/* -ttt / -ttttt: the previous and the first packet's time, the
	 * fraction in the output's units (see ts_frac) */
	int64_t prev_sec, first_sec;
	int64_t prev_frac, first_frac;
	char *line;
	size_t linecap;
	/* -O: the protocols whose tree is shown (none: all of them) */
	const tp_dissector *only[TP_MAX_ONLY];
	unsigned nonly;
	/* localtime() is slow: the minute's text ("HH:MM:", after the date
	 * with -tttt) is made once a minute */
	int64_t cache_min;
	char cache_text[48];
	size_t cache_len;
	/* the line of a fragment is printed from this record (line_record) */
	tp_pkt *scratch;
};

static uint32_t fnv(const uint8_t *p, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* ---- helpers for summarizers --------------------------------------- */

tp_cursor tp_layer_cursor(const tp_pkt *p, unsigned li)
{
	const tp_layer *l = &p->layers[li];
	const uint8_t *base = l->reassembled ? p->reasm : p->data;
	size_t n = l->reassembled ? p->reasm_len : p->caplen;
	tp_cursor c = tp_cursor_make(base, n, n);
	tp_skip(&c, l->off);
	return c;
}

tp_cursor tp_datagram_cursor(const tp_pkt *p, unsigned li)
{
	tp_cursor c = tp_layer_cursor(p, li);
	for (unsigned j = li + 1; j-- > 0;) {
		const tp_layer *n = &p->layers[j];
		if (!n->addr.family || n->reassembled != p->layers[li].reassembled)
			continue;
		size_t end = (size_t)n->off + n->len + n->payload_len;
		tp_clamp(&c, end > p->layers[li].off ? end - p->layers[li].off
						     : 0);
		break;
	}
	return c;
}

uint32_t tp_ip_payload_length(const tp_pkt *p, unsigned li)
{
	if (!li)
		return 0;
	const tp_layer *below = &p->layers[li - 1];
	uint64_t len, hl;
	if (p->layers[li].embedded && below->d == &tp_diss_ip &&
	    tp_layer_u64(p, li - 1, tp_fd_ip_len, &len) &&
	    tp_layer_u64(p, li - 1, tp_fd_ip_hdr_len, &hl) && len >= hl)
		return (uint32_t)(len - hl);
	return below->payload_len;
}

bool tp_l4_cksum(const tp_pkt *p, unsigned li, unsigned proto, size_t len,
		 size_t sum_off, uint16_t *calc)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	if (!a || !a->src || !a->dst || a->fragment || len < sum_off + 2)
		return false;
	tp_cursor c = tp_datagram_cursor(p, li);
	const uint8_t *b = tp_has(&c, len) ? tp_bytes(&c, len) : NULL;
	if (!b)
		return false;
	uint32_t acc = tp_cksum_pseudo(a->family, a->src, a->dst, proto,
				       (uint32_t)len);
	acc = tp_cksum_add(acc, b, sum_off);
	acc = tp_cksum_add(acc, b + sum_off + 2, len - sum_off - 2);
	*calc = tp_cksum_fold(acc);
	return true;
}

/* tcpdump's ipproto_values (4.99: the names -v prints after "proto"). */
static const tp_valstr tcpdump_ipproto[] = {
	{0, "Options"},	     {1, "ICMP"},      {2, "IGMP"},
	{4, "IPIP"},	     {6, "TCP"},       {8, "EGP"},
	{9, "IGRP"},	     {17, "UDP"},      {33, "DCCP"},
	{41, "IPv6"},	     {43, "Routing"},  {44, "Fragment"},
	{46, "RSVP"},	     {47, "GRE"},      {50, "ESP"},
	{51, "AH"},	     {55, "Mobile IP"}, {58, "ICMPv6"},
	{62, "Mobile IP (old)"}, {88, "EIGRP"}, {89, "OSPF"},
	{103, "PIM"},	     {108, "Compressed IP"}, {112, "VRRP"},
	{113, "PGM"},	     {132, "SCTP"},    {135, "Mobility"},
	{143, "Ethernet"},   {0, NULL},
};

void tp_sb_ethertype(tp_sbuf *s, uint64_t type, bool hex)
{
	const char *n = tp_valstr_find(tp_ethertype_vals, (uint32_t)type);
	tp_sb_puts(s, "ethertype ");
	tp_sb_puts(s, n ? n : "Unknown");
	if (hex) {
		tp_sb_puts(s, " (0x");
		tp_sb_hex(s, type, 4);
		tp_sb_putc(s, ')');
	}
	tp_sb_puts(s, ", ");
}

void tp_sb_tcpdump_char(tp_sbuf *s, unsigned c)
{
	if (c & 0x80) {
		tp_sb_put(s, "M-", 2);
		c &= 0x7f;
	}
	if (c < 0x20 || c == 0x7f) {
		tp_sb_putc(s, '^');
		c ^= 0x40;
	}
	tp_sb_putc(s, (char)c);
}

void tp_sb_tcpdump_ipproto(tp_sbuf *s, unsigned proto)
{
	const char *n = tp_valstr_find(tcpdump_ipproto, proto);
	tp_sb_puts(s, n ? n : "unknown");
	tp_sb_put(s, " (", 2);
	tp_sb_dec(s, proto);
	tp_sb_putc(s, ')');
}

void tp_sb_tcpdump_hex(tp_sbuf *s, const char *ident, const uint8_t *p,
		       size_t n)
{
	for (size_t i = 0; i < n; i += 2) {
		if (i % 16 == 0) {
			tp_sb_puts(s, ident);
			tp_sb_puts(s, "0x");
			tp_sb_hex(s, i, 4);
			tp_sb_put(s, ": ", 2);
		}
		tp_sb_putc(s, ' ');
		tp_sb_hexbytes(s, p + i, n - i >= 2 ? 2 : 1, 0);
	}
}

bool tp_tcpdump_fragmented(const tp_pkt *p, unsigned li)
{
	for (unsigned i = li; i-- > 0;) {
		const tp_layer *l = &p->layers[i];
		if (!l->addr.family)
			continue;
		if (l->addr.fragment)
			return true;
		return l->addr.family == 6 &&
		       tp_layer_find(p, i, tp_fd_ipv6_fraghdr) != NULL;
	}
	return false;
}

const uint8_t *tp_tcpdump_pseudo_dst(const tp_pkt *p, unsigned li)
{
	unsigned nl = li;
	while (nl-- > 0 && !p->layers[nl].addr.family)
		;
	if (nl >= li)
		return NULL;
	const tp_layer *l = &p->layers[nl];
	const tp_field *rt = tp_layer_find(p, nl, tp_fd_ipv6_routing);
	uint64_t type, len;
	if (l->addr.family != 6 || !rt ||
	    !tp_layer_u64(p, nl, tp_fd_ipv6_routing_type, &type) ||
	    !tp_layer_u64(p, nl, tp_fd_ipv6_routing_len, &len) ||
	    rt->off < l->off)
		return l->addr.dst;
	size_t at = 8; /* the first address */
	if (type == 0 || type == 2) {
		if (len % 2 || len == 0)
			return l->addr.dst;
		at += 16 * (size_t)(len / 2 - 1);
	} else if (type != 4) {
		return l->addr.dst;
	}
	tp_cursor c = tp_layer_cursor(p, nl);
	const uint8_t *a = tp_skip(&c, rt->off - l->off + at)
				   ? tp_bytes(&c, 16)
				   : NULL;
	return a ? a : l->addr.dst;
}

uint64_t tp_tcpdump_ip6_length(const tp_pkt *p, unsigned li, uint64_t have)
{
	unsigned nl = li;
	while (nl-- > 0 && !p->layers[nl].addr.family)
		;
	if (nl >= li || p->layers[nl].addr.family != 6 ||
	    p->layers[li].embedded)
		return have;
	const tp_layer *l = &p->layers[nl];
	uint64_t plen;
	if (!tp_layer_u64(p, nl, tp_fd_ipv6_plen, &plen))
		return have;
	if (plen == 0 && !tp_layer_u64(p, nl, tp_fd_ipv6_opt_jumbo, &plen))
		return have;
	uint64_t hdrs = p->layers[li].off - l->off;
	if (plen + 40 <= (uint64_t)l->len + l->payload_len || plen + 40 < hdrs)
		return have;
	return plen + 40 - hdrs;
}

bool tp_fragmented(const tp_pkt *p, unsigned li)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	return a && a->fragment;
}

static bool resolving; /* -N: names (below) */

/* The text of a direction's addresses and ports is the same on every
 * packet of a conversation: a direct-mapped cache of it, checked
 * against the addresses and ports themselves (formatting them was 4%
 * of the one-line run).  IPv4's entries are one cache line each (the
 * longest text, "255.255.255.255.65535 > 255.255.255.255.65535: ", is
 * 47 bytes): a lookup costs one miss, and the table 256 KiB; IPv6's
 * are larger.  One thread formats lines at a time (the main thread, or
 * the printer thread with --threads 3). */
#define EP_SLOTS 4096
#define EP6_SLOTS 1024 /* 150 KiB */
typedef struct ep4_ent {
	uint8_t addr[8];
	uint16_t sport, dport;
	uint8_t len; /* 0: empty */
	char text[51];
} ep4_ent;
typedef struct ep6_ent {
	uint8_t addr[32];
	uint16_t sport, dport;
	uint8_t len;
	char text[2 * (46 + 1 + 5) + 8];
} ep6_ent;
static ep4_ent *ep4_cache;
static ep6_ent *ep6_cache;
_Static_assert(sizeof(ep4_ent) == 64, "an IPv4 entry is one cache line");

static void endpoints_cached(tp_sbuf *s, const tp_netaddr *a, uint16_t sport,
			     uint16_t dport)
{
	bool v4 = a->family == 4;
	unsigned alen = v4 ? 4 : 16;
	uint8_t k[32];
	memcpy(k, a->src, alen);
	memcpy(k + alen, a->dst, alen);
	uint32_t w0, w1;
	memcpy(&w0, k, 4);
	memcpy(&w1, k + 2 * alen - 4, 4);
	uint32_t h = (w0 * 0x9e3779b1u) ^ (w1 * 0x85ebca77u) ^
		     ((uint32_t)sport << 16 | dport) * 0xc2b2ae3du;
	unsigned slot = h >> 20 & (EP_SLOTS - 1);
	/* the entry's key, length and text, wherever it lives */
	uint8_t *ek = NULL, *elen = NULL;
	uint16_t *esp = NULL, *edp = NULL;
	char *etext = NULL;
	if (v4) {
		if (!ep4_cache &&
		    (ep4_cache = aligned_alloc(64, EP_SLOTS * sizeof *ep4_cache)))
			memset(ep4_cache, 0, EP_SLOTS * sizeof *ep4_cache);
		if (ep4_cache) {
			ep4_ent *e = &ep4_cache[slot];
			ek = e->addr, elen = &e->len, etext = e->text;
			esp = &e->sport, edp = &e->dport;
		}
	} else {
		if (!ep6_cache)
			ep6_cache = calloc(EP6_SLOTS, sizeof *ep6_cache);
		if (ep6_cache) {
			ep6_ent *e = &ep6_cache[slot & (EP6_SLOTS - 1)];
			ek = e->addr, elen = &e->len, etext = e->text;
			esp = &e->sport, edp = &e->dport;
		}
	}
	if (ek && *elen && *esp == sport && *edp == dport &&
	    memcmp(ek, k, 2 * alen) == 0) {
		tp_sb_put(s, etext, *elen);
		return;
	}
	/* in a local buffer, put at once (see tp_fmt_dec) */
	char t[sizeof ((ep6_ent *)0)->text], *d = t;
	d = v4 ? tp_fmt_ipv4(d, a->src) : tp_fmt_ipv6(d, a->src);
	*d++ = '.';
	d = tp_fmt_dec(d, sport);
	d = tp_fmt_lit(d, " > ");
	d = v4 ? tp_fmt_ipv4(d, a->dst) : tp_fmt_ipv6(d, a->dst);
	*d++ = '.';
	d = tp_fmt_dec(d, dport);
	d = tp_fmt_lit(d, ": ");
	size_t n = (size_t)(d - t);
	tp_sb_put(s, t, n);
	if (ek && n <= (v4 ? sizeof ((ep4_ent *)0)->text
			   : sizeof ((ep6_ent *)0)->text)) {
		*esp = sport;
		*edp = dport;
		memcpy(ek, k, 2 * alen);
		memcpy(etext, t, n);
		*elen = (uint8_t)n;
	}
}

void tp_sb_endpoints(tp_sbuf *s, const tp_netaddr *a, uint64_t sport,
		     uint64_t dport)
{
	if (!resolving && a && (a->family == 4 || a->family == 6) &&
	    sport <= 0xffff && dport <= 0xffff) {
		endpoints_cached(s, a, (uint16_t)sport, (uint16_t)dport);
		return;
	}
	if (a) {
		tp_sb_addr(s, a, true);
		tp_sb_putc(s, '.');
	}
	tp_sb_dec(s, sport);
	tp_sb_puts(s, " > ");
	if (a) {
		tp_sb_addr(s, a, false);
		tp_sb_putc(s, '.');
	}
	tp_sb_dec(s, dport);
	tp_sb_puts(s, ": ");
}

const tp_netaddr *tp_nearest_addr(const tp_pkt *p, unsigned layer)
{
	for (unsigned i = layer; i-- > 0;)
		if (p->layers[i].addr.family)
			return &p->layers[i].addr;
	return NULL;
}

/* ---- name resolution (-N only) ------------------------------------ */

/* Reverse lookups are slow and send DNS queries, so tapir makes them
 * only when asked, and each address once: a direct-mapped cache of
 * RESOLVE_SLOTS entries (a colliding address replaces the old one, so
 * memory stays bounded whatever the capture). */
#define RESOLVE_SLOTS 4096

struct name_ent {
	uint8_t family;
	uint8_t addr[16];
	char name[64]; /* "" when the address has no name */
};

static struct name_ent *names;

/* The hosts file, then reverse DNS, through the C library. */
static bool system_lookup(unsigned family, const uint8_t *x, char *name,
			  size_t len)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t sl;
	if (family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, x, 4);
		sl = sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, x, 16);
		sl = sizeof *sin6;
	}
	return getnameinfo((struct sockaddr *)&ss, sl, name, (socklen_t)len,
			   NULL, 0, NI_NAMEREQD) == 0;
}

static tp_name_lookup_fn lookup_backend = system_lookup;

void tp_resolve_backend(tp_name_lookup_fn fn)
{
	lookup_backend = fn ? fn : system_lookup;
	if (names)
		memset(names, 0, RESOLVE_SLOTS * sizeof *names);
}

void tp_resolve_names(bool on)
{
	resolving = on;
	if (on && !names)
		names = calloc(RESOLVE_SLOTS, sizeof *names);
	if (!names)
		resolving = false;
}

static const char *lookup_name(unsigned family, const uint8_t *x)
{
	size_t alen = family == 6 ? 16 : 4;
	struct name_ent *e =
		&names[fnv(x, alen, 2166136261u) & (RESOLVE_SLOTS - 1)];
	if (e->family == family && memcmp(e->addr, x, alen) == 0)
		return e->name;
	e->family = (uint8_t)family;
	memcpy(e->addr, x, alen);
	if (!lookup_backend(family, x, e->name, sizeof e->name))
		e->name[0] = '\0';
	e->name[sizeof e->name - 1] = '\0';
	return e->name;
}

void tp_sb_addr(tp_sbuf *s, const tp_netaddr *a, bool src)
{
	const uint8_t *x = src ? a->src : a->dst;
	if (resolving && (a->family == 4 || a->family == 6)) {
		const char *n = lookup_name(a->family, x);
		if (n[0]) {
			tp_sb_puts(s, n);
			return;
		}
	}
	if (a->family == 4)
		tp_sb_ipv4(s, x);
	else if (a->family == 6)
		tp_sb_ipv6(s, x);
}

/* ---- timestamps ---------------------------------------------------- */

static void put2(tp_sbuf *s, int v)
{
	tp_sb_putc(s, (char)('0' + v / 10 % 10));
	tp_sb_putc(s, (char)('0' + v % 10));
}

/* The fraction of a second as tcpdump gets it from libpcap, in the
 * output's units (microseconds, or nanoseconds with --nano).  A pcap
 * record's fraction out of range is kept as libpcap hands it over: a
 * signed 32-bit number, multiplied by 1000 in 32 bits for a microsecond
 * file read at nanosecond precision, divided by 1000 for the other way. */
static int64_t ts_frac(const tp_pkt *p, bool nano)
{
	switch (p->ts_bad_frac_unit) {
	case 6:
		return nano ? (int32_t)(p->ts_bad_frac * 1000u)
			    : (int32_t)p->ts_bad_frac;
	case 9:
		return nano ? (int32_t)p->ts_bad_frac
			    : (int32_t)p->ts_bad_frac / 1000;
	default:
		return nano ? p->ts_nsec : p->ts_nsec / 1000;
	}
}

/* ".uuuuuu" or ".nnnnnnnnn", zero-padded, by hand: it is on every line
 * (printf was 6% of the default output's instructions).  A fraction out
 * of range is printed as an unsigned 32-bit number and marked as
 * tcpdump 4.99.6 marks it ("(invalid us)", "(invalid ns)"). */
static void put_frac(tp_sbuf *s, int64_t frac, bool nano)
{
	uint32_t v = (uint32_t)frac;
	if (v >= (nano ? 1000000000u : 1000000u)) {
		tp_sb_putc(s, '.');
		tp_sb_dec(s, v);
		tp_sb_puts(s, nano ? " (invalid ns)" : " (invalid us)");
		return;
	}
	tp_sb_frac(s, v, nano ? 9 : 6);
}

static void put_hms(tp_sbuf *s, int64_t secs)
{
	int64_t h = secs / 3600;
	if (h < 100)
		put2(s, (int)h);
	else
		tp_sb_sdec(s, h);
	tp_sb_putc(s, ':');
	put2(s, (int)(secs / 60 % 60));
	tp_sb_putc(s, ':');
	put2(s, (int)(secs % 60));
}

/* a - b as tcpdump's netdissect_timevalsub: seconds and fractions
 * apart, one borrow when the fraction goes negative; the later time
 * first, its sign apart. */
static void delta(int64_t s1, int64_t f1, int64_t s0, int64_t f0, bool nano,
		  int64_t *ds, int64_t *df, bool *neg)
{
	*neg = s1 < s0 || (s1 == s0 && f1 < f0);
	if (*neg) {
		int64_t ts = s1, tf = f1;
		s1 = s0;
		f1 = f0;
		s0 = ts;
		f0 = tf;
	}
	*ds = s1 - s0;
	*df = f1 - f0;
	if (*df < 0) {
		(*ds)--;
		*df += nano ? 1000000000 : 1000000;
	}
}

/* The text of a minute: "HH:MM:", after "YYYY-MM-DD " with -tttt. */
static void cache_minute(struct text_state *st, int64_t minute, bool date)
{
	time_t m0 = (time_t)(minute * 60);
	struct tm tm;
	if (!localtime_r(&m0, &tm))
		memset(&tm, 0, sizeof tm);
	tp_sbuf c;
	tp_sb_init(&c, st->cache_text, sizeof st->cache_text);
	if (date) {
		tp_sb_dec(&c, (uint64_t)(tm.tm_year + 1900));
		tp_sb_putc(&c, '-');
		put2(&c, tm.tm_mon + 1);
		tp_sb_putc(&c, '-');
		put2(&c, tm.tm_mday);
		tp_sb_putc(&c, ' ');
	}
	put2(&c, tm.tm_hour);
	tp_sb_putc(&c, ':');
	put2(&c, tm.tm_min);
	tp_sb_putc(&c, ':');
	st->cache_len = c.len;
	st->cache_min = minute;
}

static void put_ts(struct text_state *st, tp_sbuf *s, const tp_pkt *p)
{
	const tp_outopts *o = &st->o;
	int64_t frac = ts_frac(p, o->nano);
	if (!st->have_prev) {
		st->have_prev = true;
		st->first_sec = st->prev_sec = p->ts_sec;
		st->first_frac = st->prev_frac = frac;
	}
	switch (o->ts) {
	case TP_TS_NONE:
		return;
	case TP_TS_EPOCH:
		tp_sb_sdec(s, p->ts_sec);
		put_frac(s, frac, o->nano);
		break;
	case TP_TS_DELTA:
	case TP_TS_SINCE_FIRST: {
		int64_t ds, df;
		bool neg;
		/* At microsecond precision each time is cut to the
		 * microsecond before subtracting, as tcpdump does. */
		if (o->ts == TP_TS_DELTA)
			delta(p->ts_sec, frac, st->prev_sec, st->prev_frac,
			      o->nano, &ds, &df, &neg);
		else
			delta(p->ts_sec, frac, st->first_sec, st->first_frac,
			      o->nano, &ds, &df, &neg);
		tp_sb_putc(s, neg ? '-' : ' ');
		put_hms(s, ds);
		put_frac(s, df, o->nano);
		break;
	}
	case TP_TS_DEFAULT:
	case TP_TS_DATE: {
		int64_t minute = p->ts_sec >= 0 ? p->ts_sec / 60
						: (p->ts_sec - 59) / 60;
		if (minute != st->cache_min || st->cache_min == INT64_MIN)
			cache_minute(st, minute, o->ts == TP_TS_DATE);
		tp_sb_put(s, st->cache_text, st->cache_len);
		tp_sb_dec2(s, (unsigned)(p->ts_sec - minute * 60));
		put_frac(s, frac, o->nano);
		break;
	}
	}
	tp_sb_putc(s, ' ');
	st->prev_sec = p->ts_sec;
	st->prev_frac = frac;
}

/* ---- the one-line summary ------------------------------------------ */

/* Is " [|name]" already in the line from `from` on? */
/* Any " [|name]" cut marker in the line already: tcpdump prints one,
 * where it stops (its names: ip6, frag6, rt6, tcp ...). */
static bool has_marker(const tp_sbuf *s, size_t from)
{
	for (size_t i = from; i + 4 <= s->len; i++)
		if (memcmp(s->buf + i, " [|", 3) == 0)
			for (size_t k = i + 3; k < s->len && s->buf[k] != ' ';
			     k++)
				if (s->buf[k] == ']')
					return true;
	return false;
}

/* The events' markers after the text: " [|proto]" (tcpdump's, once: when
 * a summarizer printed a cut marker itself, with text after it as
 * tcpdump's TCP options do, or tcpdump's own name for it such as
 * [|frag6], none is added) and tapir's " [malformed ...]".  The
 * layers of an ICMP error's quote print their own (with -v). */
static void put_events_inline(tp_sbuf *s, const tp_pkt *p, size_t from)
{
	for (unsigned i = 0; i < p->nevents; i++) {
		const tp_event *e = &p->events[i];
		const char *lname = e->layer < p->nlayers
					    ? p->layers[e->layer].d->name
					    : "?";
		if (e->layer < p->nlayers && p->layers[e->layer].embedded)
			continue;
		if (e->def->kind == TP_EV_TRUNCATED) {
			if (has_marker(s, from))
				continue;
			tp_sb_put(s, " [|", 3);
			tp_sb_puts(s, lname);
			tp_sb_putc(s, ']');
		} else if (e->def->kind == TP_EV_MALFORMED) {
			tp_sb_puts(s, " [malformed ");
			tp_sb_puts(s, lname);
			tp_sb_put(s, ": ", 2);
			tp_sb_puts(s, e->def->msg);
			tp_sb_putc(s, ']');
		}
	}
}

void tp_summary_line(tp_sbuf *s, const tp_pkt *p, const tp_outopts *o)
{
	size_t start = s->len;
	for (unsigned i = 1; i < p->nlayers; i++) {
		const tp_dissector *d = p->layers[i].d;
		if (!d->summarize)
			continue;
		if (d->summarize(p, i, s, o) == TP_SUM_STOP)
			break;
	}
	if (s->len == start) {
		/* Nothing claimed the frame: say what it is. */
		tp_sb_puts(s, "link type ");
		tp_sb_dec(s, (uint64_t)(uint16_t)p->linktype);
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, p->len);
	}
	put_events_inline(s, p, start);
}

/* ---- the detail tree (-V, -O) -------------------------------------- */

/* The lengths of a field's name and abbreviation, kept in a
 * direct-mapped cache by definition (two strlen a field were 6% of -V).
 * One thread formats at a time (see ep_cache). */
typedef struct deflen {
	const tp_field_def *d;
	uint16_t name, abbrev;
} deflen;
#define DEFLEN_SLOTS 2048
static deflen deflens[DEFLEN_SLOTS];

static const deflen *def_lens(const tp_field_def *d)
{
	uintptr_t h = (uintptr_t)d;
	deflen *e = &deflens[(h >> 4 ^ h >> 15) & (DEFLEN_SLOTS - 1)];
	if (e->d != d) {
		size_t n = strlen(d->name), a = strlen(d->abbrev);
		e->d = d;
		e->name = (uint16_t)(n > 0xffff ? 0xffff : n);
		e->abbrev = (uint16_t)(a > 0xffff ? 0xffff : a);
	}
	return e;
}

static void put_field_line(tp_sbuf *s, const tp_pkt *p, const tp_field *f)
{
	const tp_field_def *d = f->def;
	const deflen *dl = def_lens(d);
	(void)p;
	static const char pad[] = "                                "
				  "                                ";
	for (size_t ind = 4 * ((size_t)f->level + 1); ind;) {
		size_t k = ind < sizeof pad - 1 ? ind : sizeof pad - 1;
		tp_sb_put(s, pad, k);
		ind -= k;
	}
	tp_sb_put(s, d->name, dl->name);
	if (d->type == TP_FT_NONE || d->type == TP_FT_PROTOCOL) {
		tp_sb_put(s, "  [", 3); /* a label: no value */
		tp_sb_put(s, d->abbrev, dl->abbrev);
		tp_sb_put(s, "]\n", 2);
		return;
	}
	tp_sb_put(s, ": ", 2);
	const char *vs = NULL;
	if (d->vals && d->type != TP_FT_BOOLEAN)
		vs = tp_valstr_find(d->vals, (uint32_t)f->v.u);
	if (d->type == TP_FT_BOOLEAN) {
		tp_sb_puts(s, f->v.u ? "Set" : "Not set");
	} else if (d->base & TP_BASE_SIZE_ONLY) {
		tp_sb_dec(s, f->vlen);
		tp_sb_puts(s, f->vlen == 1 ? " byte" : " bytes");
	} else if (vs) {
		tp_sb_puts(s, vs);
		tp_sb_put(s, " (", 2);
		tp_format_value(s, f);
		tp_sb_putc(s, ')');
	} else if (d->base == TP_BASE_DEC_HEX) {
		tp_format_value(s, f);
		tp_sb_puts(s, " (0x");
		tp_sb_hex(s, f->v.u, 1);
		tp_sb_putc(s, ')');
	} else if (d->type == TP_FT_BYTES && f->vlen > 64) {
		tp_sb_hexbytes(s, f->v.p, 64, 0);
		tp_sb_puts(s, "...");
	} else {
		tp_format_value(s, f);
	}
	tp_sb_put(s, "  [", 3);
	tp_sb_put(s, d->abbrev, dl->abbrev);
	tp_sb_put(s, "]\n", 2);
}

/* -O: whether a layer's tree is shown (tshark prints the others as
 * their one top line). */
static bool tree_shown(const struct text_state *st, const tp_dissector *d)
{
	if (!st->nonly)
		return true;
	for (unsigned i = 0; i < st->nonly; i++)
		if (st->only[i] == d)
			return true;
	return false;
}

static void put_tree(const struct text_state *st, tp_sbuf *s,
		     const tp_pkt *p)
{
	for (unsigned li = 0; li < p->nlayers; li++) {
		const tp_layer *l = &p->layers[li];
		if (li == 0) {
			tp_sb_puts(s, "  Frame ");
			tp_sb_dec(s, p->number);
			tp_sb_put(s, ": ", 2);
			tp_sb_dec(s, p->len);
			tp_sb_puts(s, " bytes on wire, ");
			tp_sb_dec(s, p->caplen);
			tp_sb_puts(s, " bytes captured\n");
		} else {
			tp_sb_put(s, "  ", 2);
			tp_sb_puts(s, l->d->longname);
			tp_sb_put(s, " [", 2);
			tp_sb_puts(s, l->d->name);
			tp_sb_put(s, "]", 1);
			if (l->embedded)
				tp_sb_puts(s, " (quoted in an ICMP error)");
			tp_sb_put(s, ", ", 2);
			tp_sb_dec(s, l->len);
			tp_sb_puts(s, l->len == 1 ? " byte\n" : " bytes\n");
		}
		if (!tree_shown(st, l->d))
			continue;
		for (unsigned i = 0; i < l->nfields; i++) {
			const tp_field *f = &p->fields[l->first_field + i];
			/* the frame's hidden ones and frame.number (in the
			 * heading) are in layer 0 only, notes in the others */
			if (li == 0 ? strcmp(f->def->abbrev, "frame.number") == 0 ||
					      tp_frame_field_hidden(f->def)
				    : tp_is_note(f->def) ||
					      (f->def->base & TP_BASE_HIDDEN))
				continue;
			put_field_line(s, p, f);
		}
		for (unsigned i = 0; i < p->nevents; i++) {
			const tp_event *e = &p->events[i];
			if (e->layer != li)
				continue;
			static const char *const kind[] = {"Note", "Warning",
							   "Truncated",
							   "Malformed"};
			tp_sb_puts(s, "    [");
			tp_sb_puts(s, kind[e->def->kind]);
			tp_sb_put(s, ": ", 2);
			tp_sb_puts(s, e->def->msg);
			tp_sb_put(s, "  [", 3);
			tp_sb_puts(s, e->def->abbrev);
			tp_sb_put(s, "]]\n", 3);
		}
	}
}

/* ---- hex and ASCII (-x -X -A), as tcpdump prints them -------------- */

static void put_hex(tp_sbuf *s, const uint8_t *p, size_t n, bool ascii)
{
	for (size_t off = 0; off < n; off += 16) {
		size_t m = n - off < 16 ? n - off : 16;
		tp_sb_puts(s, "\n\t0x");
		tp_sb_hex(s, off, 4);
		tp_sb_put(s, ": ", 2);
		size_t col = 0;
		for (size_t i = 0; i < m; i += 2) {
			tp_sb_putc(s, ' ');
			tp_sb_hexbytes(s, p + off + i, i + 1 < m ? 2 : 1, 0);
			col += i + 1 < m ? 5 : 3;
		}
		if (ascii) {
			for (; col < 40; col++)
				tp_sb_putc(s, ' ');
			tp_sb_put(s, "  ", 2);
			for (size_t i = 0; i < m; i++) {
				uint8_t ch = p[off + i];
				/* graphic characters only, as tcpdump: a
				 * space shows as '.' */
				tp_sb_putc(s, ch > 0x20 && ch < 0x7f ? (char)ch
								     : '.');
			}
		}
	}
}

static void put_ascii(tp_sbuf *s, const uint8_t *p, size_t n)
{
	tp_sb_putc(s, '\n');
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = p[i];
		if (ch == '\r') {
			if (n - i - 1 > 1 && p[i + 1] != '\n')
				tp_sb_putc(s, '.');
		} else if ((ch > 0x20 && ch < 0x7f) || ch == '\t' || ch == ' ' ||
			   ch == '\n') {
			tp_sb_putc(s, (char)ch);
		} else {
			tp_sb_putc(s, '.');
		}
	}
}

/* The data sources a stream dissector added (reassembled PDUs, decoded
 * bodies) follow the frame's dump, each under its name, as Wireshark's
 * tabs: "Reassembled TCP (1234 bytes):".  The frame's dump is tcpdump's;
 * a defragmented datagram is not dumped (tcpdump does not join them).
 * Returns the bytes they hold (0: nothing to add). */
static size_t extra_sources(const tp_pkt *p, tp_sbuf *s, const tp_outopts *o)
{
	size_t total = 0;
	for (unsigned i = 1; i < p->nsrc; i++) {
		size_t n = 0;
		const uint8_t *b = tp_src_bytes(p, i, &n);
		if (!b || p->src[i].kind == TP_SRC_DEFRAG)
			continue;
		total += n;
		if (!s)
			continue;
		tp_sb_puts(s, "\n\t");
		tp_sb_puts(s, p->src[i].name);
		tp_sb_puts(s, " (");
		tp_sb_dec(s, n);
		tp_sb_puts(s, n == 1 ? " byte):" : " bytes):");
		if (o->Aflag && !o->xflag && !o->Xflag)
			put_ascii(s, b, n);
		else
			put_hex(s, b, n, o->Xflag > 0);
	}
	return total;
}

static size_t link_header_end(const tp_pkt *p)
{
	size_t end = 0;
	for (unsigned i = 1; i < p->nlayers && p->layers[i].d->link; i++)
		end = p->layers[i].off + p->layers[i].len;
	return end;
}

/* ---- the back end -------------------------------------------------- */

/* The record the one-line (and -v) text is printed from.  tcpdump does
 * not reassemble: it prints the upper-layer header of a first fragment
 * from that fragment's bytes alone and "ip-proto-N" / "frag (off|len)"
 * on the others.  So a record that took part in defragmentation is
 * printed from a second dissection of the same frame into a private
 * record without a session: every dissector is then stateless (no flow,
 * no TCP tracking, no fragment table), as with --no-defrag, and nothing
 * shared is written.  The tree, the hex dump and every other output
 * keep the real (reassembled) record.  What needs the run's history
 * (tcpdump's relative TCP numbers) was noted in the record when it was
 * dissected (tp_carry_notes) and is carried over.  See
 * doc/ARCHITECTURE.md. */
const tp_pkt *tp_line_record(const tp_pkt *p, tp_pkt *scratch)
{
	if (!scratch || !tp_line_separate(p))
		return p;
	tp_pkthdr h;
	memset(&h, 0, sizeof h);
	h.sec = p->ts_sec;
	h.nsec = p->ts_nsec;
	h.caplen = p->caplen;
	h.len = p->len;
	h.linktype = p->linktype;
	h.bad_frac = p->ts_bad_frac;
	h.bad_frac_unit = p->ts_bad_frac_unit;
	scratch->sess = NULL;
	scratch->dctx = NULL;
	scratch->no_verify = p->no_verify;
	scratch->lean = p->lean;
	tp_dissect(scratch, p->number, &h, p->data);
	tp_carry_notes(scratch, p, false);
	return scratch;
}

static void text_packet(tp_output *out, const tp_pkt *p)
{
	struct text_state *st = out->state;
	const tp_outopts *o = &st->o;
	/* The whole text of one packet is built in one buffer, then written
	 * with one fwrite.  Big enough for a -v tree of a full record and a
	 * hex dump of a 256 KiB packet. */
	size_t need = 65536 + (size_t)p->caplen * 8 +
		      (o->Vflag ? (size_t)p->nfields * 160 : 0);
	if (p->nsrc > 1 && (o->xflag || o->Xflag || o->Aflag))
		need += extra_sources(p, NULL, o) * 8 + p->nsrc * 64;
	if (need > st->linecap) {
		char *nl = realloc(st->line, need);
		if (!nl)
			return;
		st->line = nl;
		st->linecap = need;
	}
	tp_sbuf s;
	tp_sb_init(&s, st->line, st->linecap);
	if (o->numbers) { /* tcpdump's "%5u  " */
		for (uint64_t w = 10000; w > 1 && p->number < w; w /= 10)
			tp_sb_putc(&s, ' ');
		tp_sb_dec(&s, p->number);
		tp_sb_put(&s, "  ", 2);
	}
	put_ts(st, &s, p);
	tp_summary_line(&s, tp_line_record(p, st->scratch), o);
	tp_sb_putc(&s, '\n');
	if (o->Vflag)
		put_tree(st, &s, p);
	if (o->xflag || o->Xflag || o->Aflag) {
		size_t from = (o->xflag > 1 || o->Xflag > 1 || o->Aflag > 1)
				      ? 0
				      : link_header_end(p);
		if (from > p->caplen)
			from = p->caplen;
		/* tcpdump starts the dump on the line after the summary */
		s.len--; /* drop the newline: the dump starts with one */
		if (o->Aflag && !o->xflag && !o->Xflag)
			put_ascii(&s, p->data + from, p->caplen - from);
		else
			put_hex(&s, p->data + from, p->caplen - from,
				o->Xflag > 0);
		if (p->nsrc > 1)
			extra_sources(p, &s, o);
		tp_sb_putc(&s, '\n');
	}
	fwrite(s.buf, 1, s.len, st->fp);
	if (o->lflag)
		fflush(st->fp);
}

static void text_finish(tp_output *out)
{
	struct text_state *st = out->state;
	fflush(st->fp);
}

tp_output *tp_out_text_new(FILE *fp, const tp_outopts *o)
{
	tp_output *out = calloc(1, sizeof *out);
	struct text_state *st = calloc(1, sizeof *st);
	if (!out || !st) {
		free(out);
		free(st);
		return NULL;
	}
	st->fp = fp;
	st->o = *o;
	st->cache_min = INT64_MIN;
	st->scratch = tp_pkt_new();
	if (!st->scratch) {
		free(out);
		free(st);
		return NULL;
	}
	for (const char *n = o->Oprotos; n && *n && st->nonly < TP_MAX_ONLY;) {
		size_t k = strcspn(n, ",");
		char name[64];
		if (k < sizeof name) {
			memcpy(name, n, k);
			name[k] = '\0';
			const tp_dissector *d = tp_registry_by_name(name);
			if (d)
				st->only[st->nonly++] = d;
		}
		n += k + (n[k] == ',');
	}
	out->packet = text_packet;
	out->finish = text_finish;
	out->fp = fp;
	out->state = st;
	return out;
}

void tp_out_text_free(tp_output *o)
{
	if (!o)
		return;
	struct text_state *st = o->state;
	tp_pkt_free(st->scratch);
	free(st->line);
	free(st);
	free(o);
}
