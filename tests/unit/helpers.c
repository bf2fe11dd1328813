/* helpers.c - see helpers.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/inet.h"
#include "tapir/ipfrag.h"
#include "tapir/output.h"
#include "tapir/registry.h"

size_t th_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (const char *s = hex; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_int_equal(hi, -1);
	return n;
}

static size_t pagesz(void) { return (size_t)sysconf(_SC_PAGESIZE); }

uint8_t *th_guarded(const uint8_t *b, size_t n)
{
	size_t ps = pagesz();
	size_t data_pages = (n + ps - 1) / ps;
	size_t total = (data_pages + 1) * ps;
	uint8_t *m = mmap(NULL, total, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(mprotect(m + data_pages * ps, ps, PROT_NONE), 0);
	uint8_t *start = m + data_pages * ps - n;
	if (n)
		memcpy(start, b, n);
	return start;
}

void th_guarded_free(uint8_t *p, size_t n)
{
	size_t ps = pagesz();
	size_t data_pages = (n + ps - 1) / ps;
	uint8_t *m = p + n - data_pages * ps;
	munmap(m, (data_pages + 1) * ps);
}

static tp_pkt *pkt;
static uint8_t *last_buf;
static size_t last_n;

tp_pkt *th_dissect(int linktype, const uint8_t *b, size_t caplen, size_t len)
{
	if (!pkt)
		pkt = tp_pkt_new();
	assert_non_null(pkt);
	if (last_buf)
		th_guarded_free(last_buf, last_n);
	last_buf = th_guarded(b, caplen);
	last_n = caplen;
	tp_dissect_buf(pkt, linktype, last_buf, caplen, len);
	return pkt;
}

tp_pkt *th_dissect_lean(int linktype, const uint8_t *b, size_t caplen,
			size_t len)
{
	tp_pkt *p = th_dissect(linktype, b, caplen, len);
	p->lean = true;
	p = th_dissect(linktype, b, caplen, len);
	p->lean = false;
	return p;
}

void th_expect_alias_pair(const tp_pkt *p, const char *abbrev,
			  const uint8_t *first, const uint8_t *second, size_t n)
{
	const uint8_t *want[2] = {first, second};
	int k = 0;
	for (unsigned i = 0; i < p->nfields; i++) {
		const tp_field *f = &p->fields[i];
		if (strcmp(f->def->abbrev, abbrev) != 0)
			continue;
		if (k >= 2)
			fail_msg("%s: more than two", abbrev);
		assert_true(f->def->base & TP_BASE_HIDDEN);
		assert_int_equal(f->vlen, n);
		assert_memory_equal(f->v.p, want[k], n);
		k++;
	}
	assert_int_equal(k, 2);
}

tp_pkt *th_dissect_quoted(const tp_dissector *d, const uint8_t *b, size_t n,
			  tp_next *nx, tp_status *st)
{
	static tp_pkt *q;
	if (!q)
		q = tp_pkt_new();
	assert_non_null(q);
	tp_pkt_reset(q);
	q->in_error = true;
	memset(&q->layers[0], 0, sizeof q->layers[0]);
	q->layers[0].d = d;
	q->layers[0].embedded = 1;
	q->nlayers = 1;
	q->level = 0;
	tp_meta_sync(q);
	uint8_t *g = th_guarded(b, n);
	tp_cursor c = tp_cursor_make(g, n, n);
	*nx = d->dissect(q, &c);
	*st = c.status;
	th_guarded_free(g, n);
	return q;
}

bool th_has_layer(const tp_pkt *p, const char *name)
{
	return tp_find_layer(p, name, 0) >= 0;
}

unsigned th_layer(const tp_pkt *p, const char *name)
{
	int i = tp_find_layer(p, name, 0);
	if (i < 0)
		fail_msg("no layer %s", name);
	return (unsigned)i;
}

const tp_field *th_field(const tp_pkt *p, const char *abbrev)
{
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0)
			return &p->fields[i];
	return NULL;
}

uint64_t th_uint(const tp_pkt *p, const char *abbrev)
{
	const tp_field *f = th_field(p, abbrev);
	if (!f)
		fail_msg("no field %s", abbrev);
	return f->v.u;
}

int th_count(const tp_pkt *p, const char *abbrev)
{
	int n = 0;
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0)
			n++;
	return n;
}

bool th_has_event(const tp_pkt *p, const char *abbrev)
{
	for (unsigned i = 0; i < p->nevents; i++)
		if (strcmp(p->events[i].def->abbrev, abbrev) == 0)
			return true;
	return false;
}

bool th_has_kind(const tp_pkt *p, tp_ev_kind kind)
{
	return tp_pkt_has_event(p, kind);
}

/* The line as the text output prints it: from the record itself, or
 * (a fragment) from the frame dissected again without reassembly. */
const char *th_summary_v(const tp_pkt *p, int vflag)
{
	static char buf[8192];
	static tp_pkt *scratch;
	if (!scratch)
		scratch = tp_pkt_new();
	assert_non_null(scratch);
	p = tp_line_record(p, scratch);
	tp_sbuf s;
	tp_outopts o;
	memset(&o, 0, sizeof o);
	o.ts = TP_TS_NONE;
	o.Sflag = true;
	o.vflag = vflag;
	tp_sb_init(&s, buf, sizeof buf);
	tp_summary_line(&s, p, &o);
	return tp_sb_cstr(&s);
}

const char *th_summary(const tp_pkt *p) { return th_summary_v(p, 0); }

const char *th_after_addrs(const char *line)
{
	const char *x = strstr(line, " > ");
	assert_non_null(x);
	x = strstr(x, ": ");
	assert_non_null(x);
	return x + 2;
}

void th_every_truncation(int linktype, const uint8_t *b, size_t n,
			 size_t meaningful)
{
	tp_pkt *p = th_dissect(linktype, b, n, n);
	bool whole_malformed = th_has_kind(p, TP_EV_MALFORMED);
	for (size_t cut = 0; cut < n; cut++) {
		p = th_dissect(linktype, b, cut, n);
		/* A cut must be reported, unless it fell in bytes no
		 * dissector reads (the data layer just shows fewer). */
		const tp_layer *last = &p->layers[p->nlayers - 1];
		bool in_data = last->d == &tp_diss_data && cut >= last->off;
		if (cut < meaningful && !in_data &&
		    !th_has_kind(p, TP_EV_TRUNCATED))
			fail_msg("cut at %zu of %zu: no TRUNCATED event", cut,
				 n);
		if (!whole_malformed && th_has_kind(p, TP_EV_MALFORMED))
			fail_msg("cut at %zu of %zu: reported MALFORMED", cut,
				 n);
		(void)th_summary(p);
		(void)th_summary_v(p, 3); /* -vvv reads more bytes */
	}
}

th_kinds th_bump(int linktype, const uint8_t *b, size_t n, size_t off,
		 unsigned width)
{
	assert_true(off + width <= n && width >= 1 && width <= 4);
	uint64_t orig = 0;
	for (unsigned i = 0; i < width; i++)
		orig = orig << 8 | b[off + i];
	uint64_t max = width == 4 ? 0xffffffffu : ((uint64_t)1 << (8 * width)) - 1;
	uint64_t vals[] = {0, 1, 2, 3, 4, 7, 8, orig + 1, orig - 1, orig + 100,
			   max / 2, max - 1, max};
	uint8_t *tmp = malloc(n);
	assert_non_null(tmp);
	th_kinds r = {0, 0};
	_Static_assert(sizeof vals / sizeof vals[0] == TH_BUMPS, "TH_BUMPS");
	for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++) {
		memcpy(tmp, b, n);
		uint64_t v = vals[k] & max;
		for (unsigned i = 0; i < width; i++)
			tmp[off + i] = (uint8_t)(v >> (8 * (width - 1 - i)));
		tp_pkt *p = th_dissect(linktype, tmp, n, n);
		r.malformed += th_has_kind(p, TP_EV_MALFORMED);
		r.truncated += th_has_kind(p, TP_EV_TRUNCATED);
		(void)th_summary(p);
		(void)th_summary_v(p, 3);
	}
	free(tmp);
	return r;
}

/* ---- sessions ----------------------------------------------------------- */

void th_sess_init(th_sess *d, bool defrag)
{
	tp_flowcfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.no_defrag = !defrag;
	d->s = tp_session_new(&cfg);
	assert_non_null(d->s);
	assert_true(defrag ? d->s->frags != NULL : d->s->frags == NULL);
	d->p = tp_pkt_new();
	assert_non_null(d->p);
	d->p->sess = d->s;
}

void th_sess_free(th_sess *d)
{
	tp_session_free(d->s);
	tp_pkt_free(d->p);
}

tp_pkt *th_sess_feed(th_sess *d, uint64_t number, const uint8_t *b,
		     size_t caplen, size_t len)
{
	static uint8_t *g;
	static size_t gn;
	if (g)
		th_guarded_free(g, gn);
	g = th_guarded(b, caplen);
	gn = caplen;
	tp_pkthdr h = {1795249660, (uint32_t)number * 1000, (uint32_t)caplen,
		       (uint32_t)len, 1, 0};
	tp_dissect(d->p, number, &h, g);
	return d->p;
}

unsigned th_frag_dgrams(const th_sess *d)
{
	unsigned n;
	size_t b;
	tp_fragtab_usage(d->s->frags, &b, &n, NULL);
	assert_true(n > 0 || b == 0);
	return n;
}

size_t th_tcp_frame(uint8_t *out, int dir, uint16_t cport, uint16_t sport,
		    uint32_t seq, uint32_t ack, uint8_t flags,
		    const uint8_t *pl, size_t n)
{
	static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0,
					0, 1, 0x08, 0x00};
	static const uint8_t a1[4] = {10, 0, 0, 1}, a2[4] = {10, 0, 0, 2};
	memcpy(out, eth, 14);
	uint8_t *ip = out + 14, *t = ip + 20;
	size_t tl = 20 + n, l = 20 + tl;
	memset(ip, 0, 40);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(l >> 8), ip[3] = (uint8_t)l;
	ip[8] = 64, ip[9] = 6;
	memcpy(ip + 12, dir ? a2 : a1, 4);
	memcpy(ip + 16, dir ? a1 : a2, 4);
	uint16_t ck = tp_cksum_fold(tp_cksum_add(0, ip, 20));
	ip[10] = (uint8_t)(ck >> 8), ip[11] = (uint8_t)ck;
	uint16_t sp = dir ? sport : cport, dp = dir ? cport : sport;
	t[0] = (uint8_t)(sp >> 8), t[1] = (uint8_t)sp;
	t[2] = (uint8_t)(dp >> 8), t[3] = (uint8_t)dp;
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	t[12] = 0x50, t[13] = flags, t[14] = 0xff, t[15] = 0xff;
	if (n)
		memcpy(t + 20, pl, n);
	uint32_t sum = tp_cksum_pseudo(4, ip + 12, ip + 16, 6, (uint32_t)tl);
	ck = tp_cksum_fold(tp_cksum_add(sum, t, tl));
	t[16] = (uint8_t)(ck >> 8), t[17] = (uint8_t)ck;
	return 14 + l;
}
