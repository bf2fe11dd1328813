/* dns_session.c - DNS pairing and --stats dns: the state for the whole
 * run (session_new/free of tp_diss_dns).
 *
 * Pairing (with a session, for a message read whole): a query is
 * remembered by transport, flow and id, with its question, in a fixed
 * table (DNS_PAIR_SLOTS; a slot taken again is overwritten, an
 * unanswered query so lost counts as unanswered); a response matches
 * when its question agrees or it has none (mDNS).  It gets
 * dns.response_to and dns.time; a second query for an open entry
 * dns.retransmission and dns.retransmit_request_in, a second response
 * dns.retransmit_response_in, a response with no query dns.unsolicited.
 * The counters --stats dns prints: types, rcodes, the most asked names
 * (a bounded table), response times (a histogram), unanswered queries.
 */
#include <stdlib.h>
#include <string.h>

#include "dns_int.h"
#include "tapir/flow.h"

#define FD(i) (&tp_dns_fields[(i)])

/* ---- pairing ---------------------------------------------------------- */

#define DNS_PAIR_SLOTS 16384u /* a power of two: queries waiting for an
				* answer at once (a slot taken again by an
				* unanswered one counts as lost); 768 KiB */

typedef struct pair {
	uint64_t key;      /* hash of transport, flow and id */
	uint64_t qhash;    /* of the question (name and type), 0: none */
	uint64_t frame;    /* the query's */
	uint64_t resp;     /* the first response's, or 0 */
	int64_t ts;        /* the query's time, ns */
	uint16_t qtype;
	uint8_t used;
} pair;

/* What --stats dns prints (dns_stats_print).  Names: a fixed table of DNS_TOP_SLOTS,
 * counted by the space-saving rule (a new name takes the place of the
 * least counted of the slots it may use, and inherits its count). */
#define DNS_TOP_SLOTS 4096u
#define DNS_TOP_WAYS 8u
#define DNS_RT_BUCKETS 1024u

typedef struct topname {
	uint64_t count;
	uint8_t len;
	char name[DNS_NAME_MAX];
} topname;

typedef struct dns_session {
	pair slots[DNS_PAIR_SLOTS];
	uint64_t queries, responses, retrans, dup_resp, unsolicited;
	uint64_t lost; /* queries whose slot was taken before an answer */
	uint64_t qtype[512], qtype_other;
	uint64_t rcode[24], rcode_other;
	uint64_t rt[DNS_RT_BUCKETS], nrt;
	topname top[DNS_TOP_SLOTS];
} dns_session;

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static uint64_t hash_bytes(uint64_t h, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = b[i];
		if (ch >= 'A' && ch <= 'Z')
			ch |= 0x20; /* names compare without case */
		h = (h ^ ch) * 0x100000001b3ull;
	}
	return h;
}

/* Response-time histogram: 16 steps per power of two of microseconds. */
static unsigned rt_bucket(int64_t ns)
{
	uint64_t us = ns > 0 ? (uint64_t)ns / 1000u : 0;
	if (us < 16)
		return (unsigned)us;
	unsigned e = 63u - (unsigned)__builtin_clzll(us); /* >= 4 */
	unsigned b = (e - 3) * 16 + (unsigned)((us >> (e - 4)) & 15);
	return b < DNS_RT_BUCKETS ? b : DNS_RT_BUCKETS - 1;
}

static uint64_t dns_rt_bucket_top_us(unsigned b)
{
	if (b < 16)
		return b;
	unsigned e = b / 16 + 3, m = b % 16;
	return ((uint64_t)(16 + m) << (e - 4)) + ((uint64_t)1 << (e - 4)) - 1;
}

static void count_name(dns_session *s, const uint8_t *name, size_t len)
{
	if (len > DNS_NAME_MAX)
		len = DNS_NAME_MAX;
	uint64_t h = hash_bytes(0xcbf29ce484222325ull, name, len);
	topname *least = NULL;
	for (unsigned w = 0; w < DNS_TOP_WAYS; w++) {
		topname *t = &s->top[(h + w * 0x9e37u) & (DNS_TOP_SLOTS - 1)];
		if (t->count && t->len == len && memcmp(t->name, name, len) == 0) {
			t->count++;
			return;
		}
		if (!least || t->count < least->count)
			least = t;
	}
	least->count++;
	least->len = (uint8_t)len;
	memcpy(least->name, name, len);
}

void *dns_session_new(void) { return calloc(1, sizeof(dns_session)); }

void dns_session_free(void *st) { free(st); }

void dns_pair(tp_pkt *p, size_t at, uint16_t id, uint16_t flags,
	      unsigned rcode, const qinfo *q, bool whole)
{
	dns_session *s = tp_app_session(p, &tp_diss_dns);
	if (!s)
		return;
	bool resp = flags & 0x8000;
	/* the --stats dns counters: not in a lean run (the one-line text:
	 * no --stats), where the top names' probes were eight cache misses
	 * a query */
	if (p->lean)
		;
	else if (!resp) {
		s->queries++;
		if (q->have) {
			if (q->type < 512)
				s->qtype[q->type]++;
			else
				s->qtype_other++;
			count_name(s, q->name, q->len);
		}
	} else {
		s->responses++;
		if (rcode < 24)
			s->rcode[rcode]++;
		else
			s->rcode_other++;
	}
	if (!p->flow || !whole)
		return;
	/* the slot by transport, flow and id; the question must agree when
	 * both have one (an mDNS answer often has none) */
	uint64_t k = mix(mix(mix(0, p->app_proto), p->flow->stream), id) | 1;
	uint64_t qh = q->have ? mix(hash_bytes(1, q->name, q->len), q->type) | 1
			      : 0;
	pair *e = &s->slots[k & (DNS_PAIR_SLOTS - 1)];
	int64_t now = tp_pkt_time_ns(p);
	bool match = e->used && e->key == k &&
		     (!qh || !e->qhash || e->qhash == qh);
	if (!resp) {
		if (match && !e->resp) {
			s->retrans += !p->lean;
			tp_add_uint(p, FD(F_RETRANS), at, 0, 1);
			tp_add_uint(p, FD(F_RETRANS_REQ_IN), at, 0, e->frame);
			tp_add_event(p, &tp_dns_events[E_RETRANS], at);
			return; /* the time counts from the first */
		}
		if (e->used && !e->resp)
			s->lost += !p->lean;
		*e = (pair){k, qh, p->number, 0, now, q->type, 1};
		return;
	}
	if (!match) {
		s->unsolicited += !p->lean;
		tp_add_uint(p, FD(F_UNSOLICITED), at, 0, 1);
		tp_add_event(p, &tp_dns_events[E_UNSOLICITED], at);
		return;
	}
	if (e->resp) { /* as tshark: the first answer's frame, no time */
		s->dup_resp += !p->lean;
		tp_add_uint(p, FD(F_RETRANS), at, 0, 1);
		tp_add_uint(p, FD(F_RETRANS_RESP_IN), at, 0, e->resp);
		tp_add_event(p, &tp_dns_events[E_DUP_RESP], at);
		return;
	}
	tp_add_uint(p, FD(F_RESPONSE_TO), at, 0, e->frame);
	tp_field *t = tp_field_append(p, FD(F_TIME), at, 0);
	if (t)
		t->v.i = (int64_t)((uint64_t)now - (uint64_t)e->ts); /* wraps */
	e->resp = p->number;
	if (!p->lean) {
		s->rt[rt_bucket((int64_t)((uint64_t)now - (uint64_t)e->ts))]++;
		s->nrt++;
	}
}

/* ---- --stats dns ------------------------------------------------------- */

static int cmp_top(const void *a, const void *b)
{
	const topname *x = *(const topname *const *)a,
		      *y = *(const topname *const *)b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);
	return c ? c : (int)x->len - (int)y->len;
}

/* The response time under which `pct` percent of the answered queries
 * fall: the top of the histogram bucket it lands in, microseconds. */
static uint64_t percentile(const dns_session *s, unsigned pct)
{
	uint64_t want = (s->nrt * pct + 99) / 100, seen = 0;
	if (!want)
		want = 1;
	for (unsigned b = 0; b < DNS_RT_BUCKETS; b++) {
		seen += s->rt[b];
		if (seen >= want)
			return dns_rt_bucket_top_us(b);
	}
	return 0;
}

static void put_us(FILE *fp, uint64_t us)
{
	fprintf(fp, "%llu.%03llu ms", (unsigned long long)(us / 1000),
		(unsigned long long)(us % 1000));
}

void dns_stats_print(void *st, FILE *fp)
{
	static const dns_session none;
	const dns_session *s = st ? st : &none;
	uint64_t unanswered = s->lost;
	for (unsigned i = 0; i < DNS_PAIR_SLOTS; i++)
		if (s->slots[i].used && !s->slots[i].resp)
			unanswered++;
	fprintf(fp, "================================================"
		    "================================\n");
	fprintf(fp, "DNS statistics\n");
	fprintf(fp, "Queries: %llu   Responses: %llu   Unanswered: %llu   "
		    "Retransmitted queries: %llu   Duplicate responses: %llu   "
		    "Unsolicited responses: %llu\n",
		(unsigned long long)s->queries,
		(unsigned long long)s->responses,
		(unsigned long long)unanswered, (unsigned long long)s->retrans,
		(unsigned long long)s->dup_resp,
		(unsigned long long)s->unsolicited);
	fprintf(fp, "\nQueries by type:\n");
	for (unsigned t = 0; t < 512; t++) {
		if (!s->qtype[t])
			continue;
		const char *n = dns_type_name(t);
		char num[16];
		snprintf(num, sizeof num, "TYPE%u", t);
		fprintf(fp, "  %-12s %12llu\n", n ? n : num,
			(unsigned long long)s->qtype[t]);
	}
	if (s->qtype_other)
		fprintf(fp, "  %-12s %12llu\n", "other",
			(unsigned long long)s->qtype_other);
	fprintf(fp, "\nResponses by rcode:\n");
	for (unsigned r = 0; r < 24; r++) {
		if (!s->rcode[r])
			continue;
		const char *n = tp_valstr_find(dns_rcode_vals, r);
		fprintf(fp, "  %-40s %12llu\n", n ? n : "Unknown",
			(unsigned long long)s->rcode[r]);
	}
	if (s->rcode_other)
		fprintf(fp, "  %-40s %12llu\n", "other",
			(unsigned long long)s->rcode_other);
	fprintf(fp, "\nResponse time (%llu answered queries):",
		(unsigned long long)s->nrt);
	if (s->nrt) {
		static const unsigned pcts[] = {50, 90, 99, 100};
		for (unsigned i = 0; i < TP_COUNT(pcts); i++) {
			fprintf(fp, "%s p%u <= ", i ? "," : "", pcts[i]);
			put_us(fp, percentile(s, pcts[i]));
		}
	}
	fprintf(fp, "\n\nTop queried names:\n");
	const topname *top[DNS_TOP_SLOTS];
	unsigned n = 0;
	for (unsigned i = 0; i < DNS_TOP_SLOTS; i++)
		if (s->top[i].count)
			top[n++] = &s->top[i];
	qsort(top, n, sizeof top[0], cmp_top);
	for (unsigned i = 0; i < n && i < 10; i++) {
		char buf[4 * DNS_NAME_MAX + 8];
		tp_sbuf b;
		tp_sb_init(&b, buf, sizeof buf);
		if (top[i]->len)
			tp_sb_escaped(&b, (const uint8_t *)top[i]->name,
				      top[i]->len);
		else
			tp_sb_puts(&b, "<Root>");
		fprintf(fp, "  %12llu  %s\n",
			(unsigned long long)top[i]->count, tp_sb_cstr(&b));
	}
	fprintf(fp, "================================================"
		    "================================\n");
}
