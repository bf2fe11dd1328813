/* stats.c - --stats conv|endpoints|phs: conversations, endpoints and the
 * protocol hierarchy over a whole capture, printed as tshark prints them.
 *
 * Reference: Wireshark 4.0 (the tshark installed here is 4.0.17):
 *  - epan/conversation_table.c add_conversation_table_data_with_conv_id():
 *    a conversation is keyed by (src, dst, sport, dport, conv_id) exactly,
 *    looked up forward, then reversed; a new one takes the packet's source
 *    as side A.  Forward packets (A->B) count as "tx", shown under "->";
 *    reverse ones (B->A) as "rx", under "<-".  TCP and UDP use the stream
 *    index as conv_id (a port pair reused by a new tcp.stream is a new
 *    line), Ethernet and IP use none.  Bytes are frame lengths.
 *  - add_endpoint_table_data(): one row per (address, port); the sender
 *    counts the packet as tx, the receiver as rx (a packet to itself
 *    counts twice).
 *  - ui/cli/tap-iousers.c iousers_draw(), ui/cli/tap-endpoints.c
 *    endpoints_draw(): the layout, rows by total frames, largest first,
 *    ties in order of first appearance; sizes by wsutil format_size() with
 *    SI prefixes ("9999 bytes", "12 kB"); times relative to the first
 *    frame, "%14.9f" start and "%12.4f" duration.
 *  - ui/cli/tap-protohierstat.c: one node per protocol layer in order,
 *    frames and frame bytes of every packet that contains that path; the
 *    "frame" pseudo-protocol is not shown.
 *  - What is counted where, as tshark's dissectors queue their taps: only
 *    headers read whole (a header the capture cut, or a malformed one that
 *    ended the dissection, is not in the tables; IPv6 is tapped after its
 *    extension headers, so any damage there counts, except a payload
 *    length past the frame); not the headers quoted in an ICMP error; an
 *    IPv6 fragment only once its payload is dissected (the first fragment
 *    without reassembly, the last one with it); every IPv4 fragment.
 *
 * The output is byte for byte that of "tshark -n -q -z ..." where the
 * dissection agrees: over the 955 captures of pcaps/ and ../shared/corpus,
 * 93% (IPv4) to 97% (IPv6) of the tables of each kind are identical, the
 * rest is link types and tunnels tapir does not dissect; the hierarchy
 * restricted to tapir's protocols is identical for 98% of the captures.
 * Differences, by design or because tapir lacks the parts:
 *  - Addresses are never resolved, as with tshark -n: without -n tshark
 *    prints Ethernet addresses with manufacturer names ("Broadcast",
 *    "00:00:00_00:00:00").
 *  - Sizes never have thousands separators (tshark adds them in locales
 *    that have them), and are right past 2^31 bytes in a frame (tshark
 *    4.0 adds a frame length as an int).
 *  - The hierarchy names tapir's layers: tshark shows protocols tapir does
 *    not dissect (http, dns, tls, data-text-lines, tcp.segments...), where
 *    tapir shows "data" or nothing, and tshark leaves out of "data" the
 *    payload of TCP retransmissions.  "sll2" is shown as tshark's "sll";
 *    "raw" (LINKTYPE_RAW) is left out for LINKTYPE_IPV4/IPV6, as tshark
 *    does.  An ICMP message's own data stays in the ICMP node; an ICMP
 *    error's quoted packet is not part of the hierarchy, except that the
 *    quoted payload tapir calls "data" becomes a "data" child of the ICMP
 *    node, as tshark shows it.  A packet the capture cut short gets a
 *    "_ws.short" node, a malformed one "_ws.malformed", after its last
 *    layer (tshark: after the layer where the exception happened).
 *  - TCP/UDP over an IPv6 routing header: tshark keys them on the final
 *    destination, tapir on the header's destination address.
 *  - Tables are bounded (max_entries rows each; the hierarchy by
 *    PHS_MAX_NODES nodes and PHS_MAX_CHILDREN children per node): what
 *    does not fit is summed in one "(other)" line, printed last.
 *  - Order of the tables: conversations (Ethernet, IPv4, IPv6, TCP, UDP),
 *    endpoints (same order), then the hierarchy; tshark prints its -z
 *    tables in the reverse order of the options.  A bare "conv" or
 *    "endpoints" prints only the tables that have rows; a table named
 *    explicitly ("conv,udp") is printed even when empty, as tshark does.
 *  - The filter argument of tshark's -z forms (conv,tcp,FILTER) is not
 *    supported: the header always says "Filter:<No Filter>".
 *
 * The tables argument of tp_stats_parse() and tp_stats_new(): bits 0-4
 * (TP_STATS_ETH...UDP) select tables for both conv and endpoints.
 * tp_stats_parse() records what it parsed more precisely, in bits private
 * to this file: the tables of "conv,X" in bits 8-12 and of
 * "endpoints,X" in bits 16-20, so that "-z conv,tcp -z endpoints,ip"
 * prints those two tables and not four; a bare "conv" sets bit 13, a bare
 * "endpoints" bit 21 (every table that has rows).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "tapir/dissector.h"
#include "tapir/engine.h"
#include "tapir/flow.h"
#include "tapir/limits.h"
#include "tapir/record.h"
#include "tapir/registry.h"
#include "tapir/stats.h"
#include "tapir/stream.h"
#include "tapir/layerfields.h"

/* ---- tables ----------------------------------------------------------- */

enum { T_ETH, T_IPV4, T_IPV6, T_TCP, T_UDP, T_COUNT };

#define CONV_SHIFT 8
#define EP_SHIFT   16
#define AUTO_BIT   5 /* above the five table bits, in each group */

static const struct tinfo {
	const char *name;  /* -z conv,NAME */
	const char *alias; /* another accepted name */
	const char *title; /* "TCP Conversations" */
	bool ports;
} tinfo[T_COUNT] = {
    [T_ETH] = {"eth", NULL, "Ethernet", false},
    [T_IPV4] = {"ip", "ipv4", "IPv4", false},
    [T_IPV6] = {"ipv6", NULL, "IPv6", false},
    [T_TCP] = {"tcp", NULL, "TCP", true},
    [T_UDP] = {"udp", NULL, "UDP", true},
};

/* How a table is shown. */
enum { SHOW_NONE, SHOW_IF_ROWS, SHOW_ALWAYS };

#define NO_ID UINT32_MAX /* tshark's CONV_ID_UNSET: no stream index */
#define NIL   UINT32_MAX /* end of a hash chain */

typedef struct stime {
	int64_t sec;
	uint32_t nsec; /* < 1e9 */
} stime;

/* One side of a conversation, or an endpoint. */
typedef struct side {
	uint8_t fam; /* 0 Ethernet, 4, 6 */
	uint8_t pad;
	uint16_t port;
	uint8_t a[16];
} side;

/* A conversation: s[0] is A (the first packet's source). */
typedef struct conv {
	side s[2];
	uint32_t id;
	uint64_t frames[2], bytes[2]; /* [0] A->B ("->"), [1] B->A ("<-") */
	stime start, stop;
} conv;

/* An endpoint. */
typedef struct endp {
	side s;
	uint64_t frames[2], bytes[2]; /* [0] tx, [1] rx */
} endp;

/* A bounded hash table of fixed-size rows kept in order of insertion
 * (the row index is the order of first appearance). */
typedef struct htab {
	void *rows;
	size_t rowsize;
	uint32_t *next;	  /* chain, per row */
	uint32_t *hash;	  /* per row, for growing */
	uint32_t *bucket; /* nbucket heads */
	uint32_t nbucket; /* power of two, >= cap */
	uint32_t n, cap, max;
	/* what did not fit */
	uint64_t oframes[2], obytes[2];
	stime ostart, ostop;
	bool other;
	bool failed; /* out of memory once: take no new rows */
} htab;

/* ---- protocol hierarchy -------------------------------------------- */

#define PHS_MAX_NODES	 4096
#define PHS_MAX_CHILDREN 64
#define PHS_MAX_DEPTH	 (TP_MAX_LAYERS + 2) /* layers, data, _ws.short */

typedef struct pnode {
	const char *name;
	uint64_t frames, bytes;
	uint64_t oframes, obytes; /* children that did not fit */
	uint32_t child, last, sibling;
	uint32_t nchild;
} pnode;

struct tp_stats {
	unsigned kinds;
	uint8_t conv_show[T_COUNT], ep_show[T_COUNT];
	htab conv[T_COUNT], ep[T_COUNT];
	uint64_t k0, k1;
	bool have_first;
	stime first;
	pnode *phs; /* [0] is the root */
	uint32_t nphs;
	FILE *out; /* the consumer's (tp_stats_consumer) */
	const tp_session *sess; /* the run's: the dissectors' own counters */
};

/* ---- parsing ------------------------------------------------------ */

static int table_by_name(const char *s)
{
	for (int t = 0; t < T_COUNT; t++)
		if (strcmp(s, tinfo[t].name) == 0 ||
		    (tinfo[t].alias && strcmp(s, tinfo[t].alias) == 0))
			return t;
	return -1;
}

/* A dissector's own --stats NAME: its bit in `kinds` by its place
 * among the dissectors that have a stats_print (registry order). */
#define APP_MAX 24
static const tp_dissector *app_stats(unsigned k)
{
	unsigned slot = 0;
	const tp_dissector *d;
	for (size_t i = 0; (d = tp_registry_get(i)) != NULL; i++)
		if (d->stats_print && slot++ == k)
			return d;
	return NULL;
}

static int app_parse(const char *arg, unsigned *kinds)
{
	/* "NAME" or tshark's "-z NAME,tree" */
	size_t n = strlen(arg);
	if (n > 5 && strcmp(arg + n - 5, ",tree") == 0)
		n -= 5;
	const tp_dissector *d;
	for (unsigned k = 0; k < APP_MAX && (d = app_stats(k)) != NULL; k++)
		if (strlen(d->name) == n && strncmp(d->name, arg, n) == 0) {
			*kinds |= 1u << (TP_STATS_APP_SHIFT + k);
			return 0;
		}
	return -1;
}

int tp_stats_parse(const char *arg, unsigned *kinds, unsigned *tables)
{
	if (!arg || !kinds || !tables)
		return -1;
	if (strcmp(arg, "phs") == 0 || strcmp(arg, "io,phs") == 0) {
		*kinds |= TP_STATS_PHS;
		return 0;
	}
	unsigned kind, shift;
	const char *rest;
	if (strncmp(arg, "conv", 4) == 0) {
		kind = TP_STATS_CONV;
		shift = CONV_SHIFT;
		rest = arg + 4;
	} else if (strncmp(arg, "endpoints", 9) == 0) {
		kind = TP_STATS_ENDPOINTS;
		shift = EP_SHIFT;
		rest = arg + 9;
	} else {
		return app_parse(arg, kinds);
	}
	unsigned bits;
	if (*rest == '\0') {
		bits = 1u << AUTO_BIT;
	} else {
		int t = *rest == ',' ? table_by_name(rest + 1) : -1;
		if (t < 0)
			return -1;
		bits = 1u << t;
	}
	*kinds |= kind;
	*tables |= bits << shift;
	return 0;
}

/* ---- hash tables ------------------------------------------------------- */

static void htab_init(htab *h, size_t rowsize, size_t max)
{
	memset(h, 0, sizeof *h);
	h->rowsize = rowsize;
	h->max = max > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)max;
}

static void htab_free(htab *h)
{
	free(h->rows);
	free(h->next);
	free(h->hash);
	free(h->bucket);
}

/* Make room for one more row: false when the table is at its cap (or out
 * of memory). */
static bool htab_room(htab *h)
{
	if (h->n < h->cap)
		return true;
	if (h->failed || h->cap >= h->max)
		return false;
	uint32_t cap = h->cap ? h->cap : 64;
	while (cap <= h->n)
		cap = cap > h->max / 2 ? h->max : cap * 2;
	if (cap > h->max)
		cap = h->max;
	if (cap > SIZE_MAX / h->rowsize) { /* only where size_t is small */
		h->failed = true;
		return false;
	}
	void *rows = realloc(h->rows, (size_t)cap * h->rowsize);
	if (rows)
		h->rows = rows;
	uint32_t *next = realloc(h->next, (size_t)cap * sizeof *next);
	if (next)
		h->next = next;
	uint32_t *hash = realloc(h->hash, (size_t)cap * sizeof *hash);
	if (hash)
		h->hash = hash;
	if (!rows || !next || !hash) {
		h->failed = true;
		return false;
	}
	uint32_t nb = h->nbucket ? h->nbucket : 64;
	while (nb < cap && nb <= UINT32_MAX / 2)
		nb *= 2;
	if (nb != h->nbucket) {
		uint32_t *b = malloc((size_t)nb * sizeof *b);
		if (!b) {
			h->failed = true;
			return false;
		}
		for (uint32_t i = 0; i < nb; i++)
			b[i] = NIL;
		for (uint32_t i = 0; i < h->n; i++) {
			uint32_t j = h->hash[i] & (nb - 1);
			h->next[i] = b[j];
			b[j] = i;
		}
		free(h->bucket);
		h->bucket = b;
		h->nbucket = nb;
	}
	h->cap = cap;
	return true;
}

static void *row(const htab *h, uint32_t i)
{
	return (char *)h->rows + (size_t)i * h->rowsize;
}

/* Append a row (htab_room() said yes) with its hash; returns it zeroed. */
static void *htab_add(htab *h, uint32_t hash)
{
	uint32_t i = h->n++;
	uint32_t j = hash & (h->nbucket - 1);
	h->hash[i] = hash;
	h->next[i] = h->bucket[j];
	h->bucket[j] = i;
	void *r = row(h, i);
	memset(r, 0, h->rowsize);
	return r;
}

/* ---- time ------------------------------------------------------------ */

static stime pkt_ts(const tp_pkt *p)
{
	stime t = {p->ts_sec, p->ts_nsec};
	if (t.nsec >= 1000000000u) { /* never from the readers; be safe */
		int64_t carry = t.nsec / 1000000000u;
		if (__builtin_add_overflow(t.sec, carry, &t.sec))
			t.sec = INT64_MAX;
		t.nsec %= 1000000000u;
	}
	return t;
}

static int ts_cmp(stime a, stime b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	return a.nsec < b.nsec ? -1 : a.nsec > b.nsec;
}

/* Seconds from the first frame, as Wireshark's nstime_delta() followed by
 * nstime_to_sec() computes them (the parts have the same sign). */
static double rel_sec(const tp_stats *st, stime t)
{
	int64_t s;
	if (__builtin_sub_overflow(t.sec, st->first.sec, &s))
		s = t.sec < 0 ? INT64_MIN : INT64_MAX;
	int64_t ns = (int64_t)t.nsec - (int64_t)st->first.nsec;
	if (s > 0 && ns < 0) {
		s--;
		ns += 1000000000;
	} else if (s < 0 && ns > 0) {
		s++;
		ns -= 1000000000;
	}
	return (double)s + (double)ns / 1000000000.0;
}

static void span_add(stime *start, stime *stop, stime t)
{
	/* tshark: a later time moves the end, else an earlier one the
	 * start */
	if (ts_cmp(t, *stop) > 0)
		*stop = t;
	else if (ts_cmp(t, *start) < 0)
		*start = t;
}

/* ---- reading the record ----------------------------------------------- */

/* Length of an address of this family. */
static size_t alen(uint8_t fam)
{
	return fam == 4 ? 4 : fam == 6 ? 16 : 6;
}

static bool ether_side(const tp_pkt *p, unsigned l, const tp_field_def *d,
		       side *s)
{
	const tp_field *f = tp_layer_find(p, l, d);
	if (!f || !f->v.p || f->vlen != 6)
		return false;
	memset(s, 0, sizeof *s);
	memcpy(s->a, f->v.p, 6);
	return true;
}

/* The addresses of network layer `l` as two sides (ports 0). */
static bool net_sides(const tp_layer *l, side *src, side *dst)
{
	const tp_netaddr *na = &l->addr;
	if ((na->family != 4 && na->family != 6) || !na->src || !na->dst)
		return false;
	memset(src, 0, sizeof *src);
	memset(dst, 0, sizeof *dst);
	src->fam = dst->fam = na->family;
	memcpy(src->a, na->src, alen(na->family));
	memcpy(dst->a, na->dst, alen(na->family));
	return true;
}

/* TCP/UDP layer `l`: the addresses of the network layer it sits on and
 * its ports; *id the stream index when flows are tracked. */
static bool transport_sides(const tp_pkt *p, unsigned l, bool tcp, side *src,
			    side *dst, uint32_t *id)
{
	unsigned n = l;
	while (n > 0 && p->layers[n - 1].addr.family == 0)
		n--;
	if (n == 0 || !net_sides(&p->layers[n - 1], src, dst))
		return false;
	uint64_t a, b, s;
	if (!tp_layer_u64(p, l, tcp ? tp_fd_tcp_srcport : tp_fd_udp_srcport,
			  &a) ||
	    !tp_layer_u64(p, l, tcp ? tp_fd_tcp_dstport : tp_fd_udp_dstport,
			  &b))
		return false;
	src->port = (uint16_t)a;
	dst->port = (uint16_t)b;
	*id = tp_layer_u64(p, l, tcp ? tp_fd_tcp_stream : tp_fd_udp_stream,
			   &s) &&
		      s < NO_ID
		  ? (uint32_t)s
		  : NO_ID;
	return true;
}

/* ---- conversations and endpoints ---------------------------------- */

static int side_cmp(const side *a, const side *b)
{
	return memcmp(a, b, sizeof *a);
}

static bool side_eq(const side *a, const side *b)
{
	return side_cmp(a, b) == 0;
}

static uint32_t conv_hash(const tp_stats *st, const side *src, const side *dst,
			  uint32_t id)
{
	/* the same for both directions: the lower side first */
	struct {
		side lo, hi;
		uint32_t id;
	} k;
	memset(&k, 0, sizeof k);
	bool swap = side_cmp(src, dst) > 0;
	k.lo = swap ? *dst : *src;
	k.hi = swap ? *src : *dst;
	k.id = id;
	return (uint32_t)tp_siphash24(st->k0, st->k1, &k, sizeof k);
}

static void conv_add(tp_stats *st, htab *h, const side *src, const side *dst,
		     uint32_t id, uint64_t len, stime t)
{
	uint32_t hv = conv_hash(st, src, dst, id);
	conv *c = NULL;
	int dir = 0;
	if (h->nbucket) {
		for (uint32_t i = h->bucket[hv & (h->nbucket - 1)]; i != NIL;
		     i = h->next[i]) {
			conv *r = row(h, i);
			if (r->id != id)
				continue;
			if (side_eq(&r->s[0], src) && side_eq(&r->s[1], dst)) {
				c = r;
				dir = 0;
				break;
			}
			if (side_eq(&r->s[0], dst) && side_eq(&r->s[1], src)) {
				c = r;
				dir = 1;
				break;
			}
		}
	}
	if (!c) {
		if (!htab_room(h)) {
			if (!h->other) {
				h->other = true;
				h->ostart = h->ostop = t;
			}
			span_add(&h->ostart, &h->ostop, t);
			h->oframes[0]++;
			h->obytes[0] += len;
			return;
		}
		c = htab_add(h, hv);
		c->s[0] = *src;
		c->s[1] = *dst;
		c->id = id;
		c->start = c->stop = t;
	}
	c->frames[dir]++;
	c->bytes[dir] += len;
	span_add(&c->start, &c->stop, t);
}

static void ep_add(tp_stats *st, htab *h, const side *s, int rx, uint64_t len)
{
	uint32_t hv = (uint32_t)tp_siphash24(st->k0, st->k1, s, sizeof *s);
	endp *e = NULL;
	if (h->nbucket) {
		for (uint32_t i = h->bucket[hv & (h->nbucket - 1)]; i != NIL;
		     i = h->next[i]) {
			endp *r = row(h, i);
			if (side_eq(&r->s, s)) {
				e = r;
				break;
			}
		}
	}
	if (!e) {
		if (!htab_room(h)) {
			h->other = true;
			h->oframes[rx]++;
			h->obytes[rx] += len;
			return;
		}
		e = htab_add(h, hv);
		e->s = *s;
	}
	e->frames[rx]++;
	e->bytes[rx] += len;
}

static void count(tp_stats *st, int t, const side *src, const side *dst,
		  uint32_t id, uint64_t len, stime ts)
{
	if (st->conv_show[t])
		conv_add(st, &st->conv[t], src, dst, id, len, ts);
	if (st->ep_show[t]) {
		ep_add(st, &st->ep[t], src, 0, len);
		ep_add(st, &st->ep[t], dst, 1, len);
	}
}

/* tshark hands a header to its conversation taps once the header was
 * read whole: a layer the capture cut short, or the last layer where a
 * malformed header stopped the dissection, is not counted.  IPv6 is
 * tapped only after its extension headers: any damage there counts. */
static bool layer_damaged(const tp_pkt *p, unsigned l, bool ipv6)
{
	for (unsigned i = 0; i < p->nevents && i < TP_MAX_EVENTS; i++) {
		const tp_event *e = &p->events[i];
		if (e->layer != l || !e->def)
			continue;
		if (e->def->kind == TP_EV_TRUNCATED)
			return true;
		/* (a payload length past the frame is only an expert note
		 * to tshark) */
		if (e->def->kind == TP_EV_MALFORMED &&
		    (l + 1 == p->nlayers ||
		     (ipv6 && strcmp(e->def->abbrev,
				     "ipv6.plen_exceeds_framing") != 0)))
			return true;
	}
	return false;
}

/* tshark 4.0 taps an IPv6 header after its fragment header: a fragment
 * whose payload is not dissected (not the first one, or any fragment of
 * a datagram not yet whole when reassembling) is not counted. */
static bool ipv6_unfinished_fragment(const tp_pkt *p, unsigned l)
{
	if (!p->layers[l].addr.fragment)
		return false;
	if (l + 1 >= p->nlayers)
		return true;
	const tp_layer *next = &p->layers[l + 1];
	return next->d == &tp_diss_data && !next->reassembled;
}

static void tables_packet(tp_stats *st, const tp_pkt *p, stime ts)
{
	uint64_t len = p->len;
	for (unsigned l = 1; l < p->nlayers && l < TP_MAX_LAYERS; l++) {
		const tp_layer *ly = &p->layers[l];
		if (ly->embedded || !ly->d || !ly->d->name)
			continue;
		const tp_dissector *d = ly->d;
		side src, dst;
		uint32_t id = NO_ID;
		int t;
		if (d == &tp_diss_eth) {
			t = T_ETH;
			if (!(st->conv_show[t] || st->ep_show[t]) ||
			    !ether_side(p, l, tp_fd_eth_src, &src) ||
			    !ether_side(p, l, tp_fd_eth_dst, &dst))
				continue;
		} else if (d == &tp_diss_ip || d == &tp_diss_ipv6) {
			t = d == &tp_diss_ipv6 ? T_IPV6 : T_IPV4;
			if (!(st->conv_show[t] || st->ep_show[t]) ||
			    !net_sides(ly, &src, &dst) ||
			    src.fam != (t == T_IPV4 ? 4 : 6) ||
			    (t == T_IPV6 && ipv6_unfinished_fragment(p, l)))
				continue;
		} else if (d == &tp_diss_tcp || d == &tp_diss_udp) {
			t = d == &tp_diss_tcp ? T_TCP : T_UDP;
			if (!(st->conv_show[t] || st->ep_show[t]) ||
			    !transport_sides(p, l, t == T_TCP, &src, &dst, &id))
				continue;
		} else {
			continue;
		}
		if (!layer_damaged(p, l, t == T_IPV6))
			count(st, t, &src, &dst, id, len, ts);
	}
}

/* ---- protocol hierarchy ------------------------------------------- */

/* tshark's name of a layer in the hierarchy; NULL: not shown there. */
static const char *phs_name(const tp_pkt *p, const char *name)
{
	if (strcmp(name, "sll2") == 0)
		return "sll"; /* tshark's one abbreviation for both */
	/* LINKTYPE_IPV4 and LINKTYPE_IPV6 start with tshark's "ip" or
	 * "ipv6"; LINKTYPE_RAW (and 12, 14) with its "raw" */
	if (strcmp(name, "raw") == 0 &&
	    (p->linktype == 228 || p->linktype == 229))
		return NULL;
	return name;
}

/* tshark keeps an ICMP message's own payload (echo data, or the data of
 * an echo quoted in an error) inside the ICMP tree. */
static bool data_in_icmp(const tp_pkt *p, unsigned l)
{
	if (p->layers[l].d != &tp_diss_data || l == 0)
		return false;
	const tp_dissector *prev = p->layers[l - 1].d;
	return prev && prev->name &&
	       (strcmp(prev->name, "icmp") == 0 ||
		strcmp(prev->name, "icmpv6") == 0);
}

static void phs_packet(tp_stats *st, const tp_pkt *p)
{
	const char *path[PHS_MAX_DEPTH];
	unsigned n = 0;
	bool data_quoted = false;
	for (unsigned l = 0; l < p->nlayers && l < TP_MAX_LAYERS; l++) {
		const tp_layer *ly = &p->layers[l];
		if (!ly->d || !ly->d->name || ly->d == &tp_diss_frame)
			continue;
		if (data_in_icmp(p, l))
			continue;
		if (ly->embedded) {
			/* tshark shows a quoted packet's undissected payload
			 * as a "data" node under the ICMP node */
			if (ly->d == &tp_diss_data && !data_quoted &&
			    n < PHS_MAX_DEPTH) {
				path[n++] = "data";
				data_quoted = true;
			}
			continue;
		}
		const char *name = phs_name(p, ly->d->name);
		if (name && n < PHS_MAX_DEPTH)
			path[n++] = name;
	}
	if (n < PHS_MAX_DEPTH && tp_pkt_has_event(p, TP_EV_MALFORMED))
		path[n++] = "_ws.malformed";
	else if (n < PHS_MAX_DEPTH && tp_pkt_has_event(p, TP_EV_TRUNCATED))
		path[n++] = "_ws.short";

	uint64_t len = p->len;
	uint32_t cur = 0;
	for (unsigned i = 0; i < n; i++) {
		pnode *parent = &st->phs[cur];
		uint32_t c = parent->child;
		while (c && strcmp(st->phs[c].name, path[i]) != 0)
			c = st->phs[c].sibling;
		if (!c) {
			if (parent->nchild >= PHS_MAX_CHILDREN ||
			    st->nphs >= PHS_MAX_NODES) {
				parent->oframes++;
				parent->obytes += len;
				return;
			}
			c = st->nphs++;
			pnode *nd = &st->phs[c];
			memset(nd, 0, sizeof *nd);
			nd->name = path[i];
			if (parent->last)
				st->phs[parent->last].sibling = c;
			else
				parent->child = c;
			parent->last = c;
			parent->nchild++;
		}
		st->phs[c].frames++;
		st->phs[c].bytes += len;
		cur = c;
	}
}

/* ---- the interface ------------------------------------------------ */

tp_stats *tp_stats_new(unsigned kinds, unsigned tables, size_t max_entries)
{
	tp_stats *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->kinds = kinds;
	if (max_entries == 0)
		max_entries = TP_STATS_MAX_ENTRIES;
	unsigned common = tables & TP_STATS_ALL_TABLES;
	unsigned cexp = common | ((tables >> CONV_SHIFT) & TP_STATS_ALL_TABLES);
	unsigned eexp = common | ((tables >> EP_SHIFT) & TP_STATS_ALL_TABLES);
	bool cauto = tables & (1u << (CONV_SHIFT + AUTO_BIT));
	bool eauto = tables & (1u << (EP_SHIFT + AUTO_BIT));
	for (int t = 0; t < T_COUNT; t++) {
		if (kinds & TP_STATS_CONV)
			st->conv_show[t] = cexp & (1u << t) ? SHOW_ALWAYS
					   : cauto	    ? SHOW_IF_ROWS
							    : SHOW_NONE;
		if (kinds & TP_STATS_ENDPOINTS)
			st->ep_show[t] = eexp & (1u << t) ? SHOW_ALWAYS
					 : eauto	  ? SHOW_IF_ROWS
							  : SHOW_NONE;
		htab_init(&st->conv[t], sizeof(conv), max_entries);
		htab_init(&st->ep[t], sizeof(endp), max_entries);
	}
	if (kinds & TP_STATS_PHS) {
		st->phs = calloc(PHS_MAX_NODES, sizeof *st->phs);
		if (!st->phs) {
			free(st);
			return NULL;
		}
		st->nphs = 1; /* the root */
	}
	uint64_t k[2];
	if (getrandom(k, sizeof k, 0) != (ssize_t)sizeof k) {
		/* no entropy source: still keyed, less secret */
		k[0] = (uint64_t)(uintptr_t)st ^ 0x9e3779b97f4a7c15ull;
		k[1] = (uint64_t)(uintptr_t)&k * 0xbf58476d1ce4e5b9ull;
	}
	st->k0 = k[0];
	st->k1 = k[1];
	return st;
}

void tp_stats_packet(tp_stats *st, const tp_pkt *p)
{
	if (!st || !p)
		return;
	if (p->sess)
		st->sess = p->sess;
	stime ts = pkt_ts(p);
	if (!st->have_first) {
		st->have_first = true;
		st->first = ts;
	}
	tables_packet(st, p, ts);
	if (st->phs)
		phs_packet(st, p);
}

void tp_stats_free(tp_stats *st)
{
	if (!st)
		return;
	for (int t = 0; t < T_COUNT; t++) {
		htab_free(&st->conv[t]);
		htab_free(&st->ep[t]);
	}
	free(st->phs);
	free(st);
}

/* ---- printing ------------------------------------------------------ */

#define RULE80                                                                 \
	"========================================================="            \
	"======================="
#define RULE67                                                                 \
	"========================================================="            \
	"=========="

/* wsutil format_size(size, FORMAT_SIZE_UNIT_BYTES, 0): SI prefixes from
 * ten units up, the value divided down (truncated). */
static const char *fmt_size(uint64_t v, char *buf, size_t n)
{
	static const char *const pfx[] = {"T", "G", "M", "k"};
	uint64_t div = 1000000000000ull;
	for (int i = 0; i < 4; i++, div /= 1000)
		if (v / div >= 10) {
			snprintf(buf, n, "%" PRIu64 " %sB", v / div, pfx[i]);
			return buf;
		}
	snprintf(buf, n, "%" PRIu64 " bytes", v);
	return buf;
}

static const char *fmt_addr(const side *s, char *buf, size_t n)
{
	if (s->fam == 4 || s->fam == 6) {
		if (!inet_ntop(s->fam == 4 ? AF_INET : AF_INET6, s->a, buf,
			       (socklen_t)n))
			snprintf(buf, n, "?");
	} else {
		snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", s->a[0],
			 s->a[1], s->a[2], s->a[3], s->a[4], s->a[5]);
	}
	return buf;
}

/* "10.0.0.1:80" for TCP/UDP, the address alone otherwise. */
static const char *fmt_side(const side *s, bool ports, char *buf, size_t n)
{
	char a[64];
	fmt_addr(s, a, sizeof a);
	if (ports)
		snprintf(buf, n, "%s:%u", a, (unsigned)s->port);
	else
		snprintf(buf, n, "%s", a);
	return buf;
}

/* Row order: total frames, largest first; ties in order of appearance. */
struct order {
	uint64_t frames;
	uint32_t i;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->frames != y->frames)
		return x->frames > y->frames ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Sorted row indexes (NULL with zero rows or no memory: then the rows
 * print in order of appearance). */
static struct order *sorted(const htab *h, bool is_conv)
{
	if (!h->n)
		return NULL;
	struct order *o = malloc((size_t)h->n * sizeof *o);
	if (!o)
		return NULL;
	for (uint32_t i = 0; i < h->n; i++) {
		const void *r = row(h, i);
		const uint64_t *f = is_conv ? ((const conv *)r)->frames
					    : ((const endp *)r)->frames;
		o[i].frames = f[0] + f[1];
		o[i].i = i;
	}
	qsort(o, h->n, sizeof *o, order_cmp);
	return o;
}

static void conv_print(const tp_stats *st, int t, FILE *fp)
{
	const htab *h = &st->conv[t];
	bool ports = tinfo[t].ports;
	const char *pad = ports ? "            " : "";
	int w = ports ? 26 : 20;
	fprintf(fp, RULE80 "\n%s Conversations\nFilter:<No Filter>\n",
		tinfo[t].title);
	fprintf(fp,
		"%s                                               |       <-  "
		"    | |       ->      | |     Total     |    Relative    |  "
		" Duration   |\n",
		pad);
	fprintf(fp,
		"%s                                               | Frames  Byt"
		"es | | Frames  Bytes | | Frames  Bytes |      Start     |   "
		"           |\n",
		pad);
	struct order *o = sorted(h, true);
	char a[96], b[96], s0[32], s1[32], s2[32];
	for (uint32_t k = 0; k < h->n; k++) {
		const conv *c = row(h, o ? o[k].i : k);
		double start = rel_sec(st, c->start);
		double stop = rel_sec(st, c->stop);
		fprintf(fp,
			"%-*s <-> %-*s  %6" PRIu64 " %-9s  %6" PRIu64
			" %-9s  %6" PRIu64 " %-9s  %14.9f   %12.4f\n",
			w, fmt_side(&c->s[0], ports, a, sizeof a), w,
			fmt_side(&c->s[1], ports, b, sizeof b), c->frames[1],
			fmt_size(c->bytes[1], s0, sizeof s0), c->frames[0],
			fmt_size(c->bytes[0], s1, sizeof s1),
			c->frames[0] + c->frames[1],
			fmt_size(c->bytes[0] + c->bytes[1], s2, sizeof s2),
			start, stop - start);
	}
	free(o);
	if (h->other) {
		double start = rel_sec(st, h->ostart);
		double stop = rel_sec(st, h->ostop);
		fprintf(fp,
			"%-*s <-> %-*s  %6s %-9s  %6s %-9s  %6" PRIu64
			" %-9s  %14.9f   %12.4f\n",
			w, "(other)", w, "(other)", "-", "-", "-", "-",
			h->oframes[0], fmt_size(h->obytes[0], s2, sizeof s2),
			start, stop - start);
	}
	fprintf(fp, RULE80 "\n");
}

static void ep_line(FILE *fp, bool ports, const char *addr, const char *port,
		    const uint64_t frames[2], const uint64_t bytes[2])
{
	if (ports)
		fprintf(fp, "%-20s      %5s     ", addr, port);
	else
		fprintf(fp, "%-20s      ", addr);
	fprintf(fp,
		"%6" PRIu64 "     %9" PRIu64 "     %6" PRIu64 "       %9" PRIu64
		"      %6" PRIu64 "       %9" PRIu64 "   \n",
		frames[0] + frames[1], bytes[0] + bytes[1], frames[0], bytes[0],
		frames[1], bytes[1]);
}

static void ep_print(const tp_stats *st, int t, FILE *fp)
{
	const htab *h = &st->ep[t];
	bool ports = tinfo[t].ports;
	fprintf(fp, RULE80 "\n%s Endpoints\nFilter:<No Filter>\n",
		tinfo[t].title);
	fprintf(
	    fp,
	    "                       |  %sPackets  | |  Bytes  | | Tx Packets "
	    "| | Tx Bytes | | Rx Packets | | Rx Bytes |\n",
	    ports ? "Port  ||  " : "");
	struct order *o = sorted(h, false);
	char a[64], port[8];
	for (uint32_t k = 0; k < h->n; k++) {
		const endp *e = row(h, o ? o[k].i : k);
		snprintf(port, sizeof port, "%u", (unsigned)e->s.port);
		ep_line(fp, ports, fmt_addr(&e->s, a, sizeof a), port,
			e->frames, e->bytes);
	}
	free(o);
	if (h->other)
		ep_line(fp, ports, "(other)", "-", h->oframes, h->obytes);
	fprintf(fp, RULE80 "\n");
}

/* One hierarchy line: two spaces per level (past 16 levels "..."), the
 * name, padded to 40 columns; at most 79 characters before the counts. */
static void phs_line(FILE *fp, unsigned depth, const char *name,
		     uint64_t frames, uint64_t bytes)
{
	char str[80];
	unsigned indent = depth > 16 ? 16 : depth;
	memset(str, ' ', 2 * indent);
	snprintf(str + 2 * indent, sizeof str - 2 * indent, "%s%s",
		 depth > 16 ? "..." : "", name);
	fprintf(fp, "%-40s frames:%" PRIu64 " bytes:%" PRIu64 "\n", str, frames,
		bytes);
}

static void phs_print(const tp_stats *st, FILE *fp)
{
	fprintf(fp, "\n" RULE67 "\nProtocol Hierarchy Statistics\n"
		    "Filter: \n\n");
	/* depth-first without recursion: a stack of the nodes whose later
	 * siblings are still to print */
	uint32_t stack[PHS_MAX_DEPTH + 1];
	unsigned depth = 0;
	uint32_t c = st->phs[0].child;
	stack[0] = 0;
	for (;;) {
		if (c) {
			const pnode *nd = &st->phs[c];
			phs_line(fp, depth, nd->name, nd->frames, nd->bytes);
			if (nd->child && depth + 1 < PHS_MAX_DEPTH) {
				stack[++depth] = c;
				c = nd->child;
			} else {
				if (nd->oframes)
					phs_line(fp, depth + 1, "(other)",
						 nd->oframes, nd->obytes);
				c = nd->sibling;
			}
			continue;
		}
		/* the children of stack[depth] are done */
		const pnode *parent = &st->phs[stack[depth]];
		if (parent->oframes)
			phs_line(fp, depth, "(other)", parent->oframes,
				 parent->obytes);
		if (depth == 0)
			break;
		c = parent->sibling;
		depth--;
	}
	fprintf(fp, RULE67 "\n");
}

static bool shown(uint8_t show, const htab *h)
{
	return show == SHOW_ALWAYS ||
	       (show == SHOW_IF_ROWS && (h->n || h->other));
}

void tp_stats_print(const tp_stats *st, FILE *fp)
{
	if (!st || !fp)
		return;
	for (int t = 0; t < T_COUNT; t++)
		if (shown(st->conv_show[t], &st->conv[t]))
			conv_print(st, t, fp);
	for (int t = 0; t < T_COUNT; t++)
		if (shown(st->ep_show[t], &st->ep[t]))
			ep_print(st, t, fp);
	if (st->phs)
		phs_print(st, fp);
	for (unsigned k = 0; k < APP_MAX; k++) {
		const tp_dissector *d;
		if (!(st->kinds & (1u << (TP_STATS_APP_SHIFT + k))) ||
		    !(d = app_stats(k)))
			continue;
		d->stats_print(tp_app_session_find(st->sess, d), fp);
	}
}

/* ---- as a consumer of the engine ------------------------------------ */

static int stats_packet(void *self, const tp_pkt *p)
{
	tp_stats_packet(self, p);
	return 0;
}

static int stats_finish(void *self)
{
	tp_stats *st = self;
	tp_stats_print(st, st->out);
	return 0;
}

tp_consumer tp_stats_consumer(tp_stats *st, FILE *fp)
{
	st->out = fp;
	return (tp_consumer){.packet = stats_packet,
			     .finish = stats_finish,
			     .self = st};
}
