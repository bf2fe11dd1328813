/* http_stats.c - --stats http: HTTP's counters for the whole run (the
 * session state of tp_diss_http) and their report.
 *
 * Counted only in a run that reads more than the one-line text (p->lean
 * off: --stats, -V, -T fields), so the default run makes no session and
 * pays one test a PDU.  Each PDU's counts are read from the fields its
 * dissect() just added (no second parse): a request head's method and
 * host, a response head's status code, content type and http.time, and
 * the body bytes as sent (http.file_data, http.chunk_data over the PDU's
 * own bytes; a decoded body is another data source) of a response, put to
 * the content type of the response head that began the message (kept
 * per direction by http.c, `ct`).
 *
 * Every table is bounded: HS_METHODS methods, HS_HOSTS hosts, HS_TYPES
 * content types (names cut at NT_NAME_MAX bytes); what does not fit is
 * counted on an "other" line.  Response times: every one while there are
 * at most HS_RT_SAMPLES, then a uniform sample of that many (reservoir
 * sampling with a fixed seed: the same capture, the same report); min
 * and max are always exact.
 */
#include <stdlib.h>
#include <string.h>

#include "http_body.h"
#include "http_int.h"
#include "nametab.h"
#include "tapir/output.h"
#include "tapir/record.h"

#define HS_METHODS 64u
#define HS_HOSTS 1024u
#define HS_TYPES 256u
#define HS_RT_SAMPLES 65536u
#define HS_CODES 1000u


typedef struct http_session {
	uint64_t requests, responses;
	nametab methods, hosts, types;
	uint64_t code[HS_CODES], code_bad;
	uint64_t nrt, rng;
	int64_t rt_min, rt_max;
	int64_t *rt; /* min(nrt, HS_RT_SAMPLES) samples, grown by doubling */
	unsigned rt_cap;
} http_session;


void *http_session_new(void)
{
	http_session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->rng = 0x853c49e6748fea9bull;
	/* cap a power of two: the index mask */
	if (!nt_init(&s->methods, HS_METHODS) ||
	    !nt_init(&s->hosts, HS_HOSTS) || !nt_init(&s->types, HS_TYPES)) {
		http_session_free(s);
		return NULL;
	}
	return s;
}

void http_session_free(void *st)
{
	http_session *s = st;
	if (!s)
		return;
	nt_free(&s->methods);
	nt_free(&s->hosts);
	nt_free(&s->types);
	free(s->rt);
	free(s);
}

static void add_time(http_session *s, int64_t ns)
{
	if (!s->nrt || ns < s->rt_min)
		s->rt_min = ns;
	if (!s->nrt || ns > s->rt_max)
		s->rt_max = ns;
	uint64_t i = s->nrt++;
	if (i >= HS_RT_SAMPLES) { /* keep it with chance SAMPLES / nrt */
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		i = s->rng % s->nrt;
		if (i >= HS_RT_SAMPLES)
			return;
	} else if (i == s->rt_cap) {
		unsigned nc = s->rt_cap ? s->rt_cap * 2 : 64;
		int64_t *n = realloc(s->rt, nc * sizeof *n);
		if (!n) {
			s->nrt--; /* not kept: counted as if never seen */
			return;
		}
		s->rt = n;
		s->rt_cap = nc;
	}
	s->rt[i] = ns;
}

/* Where a bodiless or untyped response's bytes are put. */
static const char no_type[] = "(no Content-Type)";

void http_stats_msg(tp_pkt *p, const http_msg_stat *m, uint16_t *ct)
{
	http_session *s = tp_app_session(p, &tp_diss_http);
	if (!s)
		return;
	if (m->request) {
		s->requests++;
		if (m->method)
			nt_count(&s->methods, m->method, m->mn);
		if (m->host)
			nt_count(&s->hosts, m->host, m->hn);
	}
	if (m->response) {
		s->responses++;
		if (m->has_code) {
			if (m->code >= 100 && m->code < HS_CODES)
				s->code[m->code]++;
			else
				s->code_bad++;
		}
		if (m->timed)
			add_time(s, m->time);
		/* its body's type, "type/subtype" without parameters */
		size_t n = 0;
		const uint8_t *t = (const uint8_t *)no_type;
		if (m->type) {
			t = m->type;
			while (n < m->tn && t[n] != ';' && t[n] != ' ')
				n++;
		}
		if (!n) {
			t = (const uint8_t *)no_type;
			n = sizeof no_type - 1;
		}
		nt_name *e = nt_get(&s->types, t, n);
		*ct = e ? (uint16_t)(e - s->types.e + 1) : UINT16_MAX;
		if (e)
			e->count++;
		else
			s->types.other++;
	}
}

void http_stats_body(tp_pkt *p, uint16_t ct, uint64_t body)
{
	http_session *s = tp_app_session(p, &tp_diss_http);
	if (!s || !body || !ct)
		return; /* a request's body, or before any response */
	if (ct == UINT16_MAX)
		s->types.other_bytes += body;
	else if (ct <= s->types.n)
		s->types.e[ct - 1].bytes += body;
}

void http_stats_pdu(tp_pkt *p, unsigned li, uint16_t *ct)
{
	if (li >= p->nlayers)
		return;
	const tp_layer *l = &p->layers[li];
	http_msg_stat m = {0};
	uint64_t body = 0;
	for (uint32_t i = 0; i < l->nfields; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		if (f->def == FD(F_REQUEST)) {
			m.request = true;
		} else if (f->def == FD(F_METHOD)) {
			m.method = f->v.p, m.mn = f->vlen;
		} else if (f->def == FD(F_HOST)) {
			m.host = f->v.p, m.hn = f->vlen;
		} else if (f->def == FD(F_RESPONSE)) {
			m.response = true;
		} else if (f->def == FD(F_CODE)) {
			m.has_code = true;
			m.code = (unsigned)(f->v.u > 9999 ? 9999 : f->v.u);
		} else if (f->def == FD(F_CONTENT_TYPE)) {
			m.type = f->v.p, m.tn = f->vlen;
		} else if (f->def == FD(F_TIME)) {
			m.timed = true;
			m.time = f->v.i;
		} else if ((f->def == FD(F_FILE_DATA) ||
			    f->def == FD(F_CHUNK_DATA)) &&
			   f->src == l->src) {
			/* the bytes in the PDU, not a decoded body made
			 * from them (its own data source) */
			body += f->vlen;
		}
	}
	if (m.request || m.response)
		http_stats_msg(p, &m, ct);
	http_stats_body(p, *ct, body);
}

/* ---- the report ------------------------------------------------------- */


static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}


/* RFC 9110's reason phrases (tshark prints its own table's, not the
 * server's). */
static const tp_valstr phrases[] = {
	{100, "Continue"}, {101, "Switching Protocols"},
	{200, "OK"}, {201, "Created"}, {202, "Accepted"},
	{203, "Non-authoritative Information"}, {204, "No Content"},
	{205, "Reset Content"}, {206, "Partial Content"},
	{300, "Multiple Choices"}, {301, "Moved Permanently"},
	{302, "Found"}, {303, "See Other"}, {304, "Not Modified"},
	{305, "Use Proxy"}, {307, "Temporary Redirect"},
	{308, "Permanent Redirect"}, {400, "Bad Request"},
	{401, "Unauthorized"}, {402, "Payment Required"},
	{403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
	{406, "Not Acceptable"}, {407, "Proxy Authentication Required"},
	{408, "Request Time-out"}, {409, "Conflict"}, {410, "Gone"},
	{411, "Length Required"}, {412, "Precondition Failed"},
	{413, "Request Entity Too Large"}, {414, "Request-URI Too Long"},
	{415, "Unsupported Media Type"}, {416, "Requested Range Not Satisfiable"},
	{417, "Expectation Failed"}, {426, "Upgrade Required"},
	{429, "Too Many Requests"}, {500, "Internal Server Error"},
	{501, "Not Implemented"}, {502, "Bad Gateway"},
	{503, "Service Unavailable"}, {504, "Gateway Time-out"},
	{505, "HTTP Version not supported"}, {0, NULL},
};

const char *http_status_phrase(unsigned code)
{
	return tp_valstr_find(phrases, code);
}

static void codes_print(const http_session *s, FILE *fp)
{
	static const char *const cls[] = {"1xx: Informational", "2xx: Success",
					  "3xx: Redirection", "4xx: Client Error",
					  "5xx: Server Error"};
	fprintf(fp, "\n%-40s %12s\n", "Responses by status code", "Count");
	for (unsigned c = 1; c < HS_CODES / 100; c++) {
		uint64_t sum = 0;
		for (unsigned k = c * 100; k < c * 100 + 100; k++)
			sum += s->code[k];
		if (!sum)
			continue;
		char other[16];
		snprintf(other, sizeof other, "%uxx", c);
		fprintf(fp, "  %-38s %12llu\n", c <= 5 ? cls[c - 1] : other,
			(unsigned long long)sum);
		for (unsigned k = c * 100; k < c * 100 + 100; k++) {
			if (!s->code[k])
				continue;
			const char *ph = tp_valstr_find(phrases, k);
			char row[64];
			snprintf(row, sizeof row, "%u %s", k, ph ? ph : "");
			fprintf(fp, "   %-37s %12llu\n", row,
				(unsigned long long)s->code[k]);
		}
	}
	if (s->code_bad)
		fprintf(fp, "  %-38s %12llu\n", "???: broken",
			(unsigned long long)s->code_bad);
}

/* "  NAME   X.XXX ms": microseconds, rounded (pcap times are). */
static void put_ms(FILE *fp, const char *name, int64_t ns)
{
	int64_t us = (ns >= 0 ? ns + 500 : ns - 500) / 1000;
	uint64_t a = (uint64_t)(us < 0 ? -us : us);
	char v[32];
	snprintf(v, sizeof v, "%s%llu.%03llu", us < 0 ? "-" : "",
		 (unsigned long long)(a / 1000), (unsigned long long)(a % 1000));
	fprintf(fp, "  %-38s %12s ms\n", name, v);
}

static void times_print(const http_session *s, FILE *fp)
{
	fprintf(fp, "\nResponse time (http.time of %llu paired responses%s)\n",
		(unsigned long long)s->nrt,
		s->nrt > HS_RT_SAMPLES ? "; percentiles of a sample" : "");
	unsigned n = s->nrt < HS_RT_SAMPLES ? (unsigned)s->nrt : HS_RT_SAMPLES;
	if (n > s->rt_cap)
		n = s->rt_cap;
	int64_t *v = n ? malloc(n * sizeof *v) : NULL;
	if (!v)
		return;
	memcpy(v, s->rt, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_i64);
	static const unsigned pct[] = {50, 90, 99};
	put_ms(fp, "min", s->rt_min);
	for (unsigned i = 0; i < TP_COUNT(pct); i++) {
		/* nearest rank: the smallest value with pct% at or below */
		size_t r = ((size_t)n * pct[i] + 99) / 100;
		char name[8];
		snprintf(name, sizeof name, "p%u", pct[i]);
		put_ms(fp, name, v[r ? r - 1 : 0]);
	}
	put_ms(fp, "max", s->rt_max);
	free(v);
}

void http_stats_print(void *st, FILE *fp)
{
	static const http_session none;
	const http_session *s = st ? st : &none;
	fprintf(fp, "================================================"
		    "================================\n");
	fprintf(fp, "HTTP statistics\n");
	fprintf(fp, "Requests: %llu   Responses: %llu\n",
		(unsigned long long)s->requests,
		(unsigned long long)s->responses);
	nt_print(&s->methods, "Requests by method", false, fp);
	nt_print(&s->hosts, "Requests by host", false, fp);
	codes_print(s, fp);
	times_print(s, fp);
	nt_print(&s->types, "Responses by content type", true, fp);
	fprintf(fp, "================================================"
		    "================================\n");
}
