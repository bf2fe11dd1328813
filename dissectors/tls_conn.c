/* tls_conn.c - one TLS connection's handshake, summed up for --tls
 * (report.h): made when tls.c sees a hello and a report consumer wants
 * TLS, shared by the connection's two direction states (counted
 * references: each state_free drops one), reported once:
 *
 *  - established: at the first application data (TLS 1.2 and below:
 *    the first application_data record; TLS 1.3, where every record
 *    after ServerHello is application_data outside: the client's
 *    second encrypted record, or the server's first after the client's
 *    first, the client's Finished), with the time from the ClientHello;
 *  - failed: at an alert before that (its level, description and
 *    sender; in TLS 1.2 an encrypted one is named so), or, at the
 *    connection's end, when TLS 1.3's only encrypted records after the
 *    hellos were alert-sized (19 bytes: an AEAD-sealed alert);
 *  - otherwise when the connection ends (its state is freed: FIN or
 *    RST, eviction, idle expiry, the end of the capture): established
 *    when both Finished went by with no data after, else incomplete,
 *    with what was missing.
 *
 * Memory: one tls_conn per connection with a hello, charged to the
 * reassembly memory cap (refused past it: that connection gets no
 * report, and the run counts it on stderr with the other refusals). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_fp.h"
#include "tls_int.h"
#include "tapir/flow.h"
#include "tapir/report.h"

#define CONN_CERTS 6 /* certificates summed up per chain */
#define CONN_LIST 8  /* ALPN names, versions, groups kept */

typedef struct conn_cert {
	char subject[96], issuer[96], key[16];
	uint8_t sha256[32];
	int64_t not_after;
	unsigned sans, bits;
	bool parsed;
	uint32_t len;
} conn_cert;

struct tls_conn {
	unsigned refs;
	tp_session *s;
	bool done;
	tp_flowkey key;
	uint8_t client;  /* the key side of the TLS client */
	uint8_t flow_client; /* ... of the flow's (its SYN, or first packet) */
	/* the stream direction (p->app_dir) the ClientHello came in: 1 when
	 * the flow took the server for the client (a capture that began
	 * after the SYN); every dir below is the TLS client's 0 */
	uint8_t cdir;
	bool dir_set;
	uint32_t stream;
	/* ClientHello */
	bool ch, sh, hrr;
	unsigned hellos; /* ClientHellos (2 after an HRR) */
	int64_t t_hello, t_done;
	uint64_t frame_hello;
	char sni[256];
	char alpn_off[CONN_LIST][32];
	unsigned nalpn_off;
	uint16_t vers_off[CONN_LIST];
	unsigned nvers_off;
	uint16_t ks_off[CONN_LIST];
	unsigned nks_off;
	uint8_t sid[32];
	uint8_t sid_len;
	bool ticket_off, psk_off;
	char ja3[33], ja4[40], ja4_retry[40];
	/* ServerHello */
	uint16_t version, cipher, group, hrr_group;
	bool have_cipher, have_group;
	char alpn[32];
	bool have_alpn;
	char ja3s[33];
	bool sid_resumed, psk_resumed;
	/* the rest of the handshake */
	conn_cert certs[CONN_CERTS];
	unsigned ncerts;
	bool certs_seen;
	uint16_t ske_curve;
	unsigned dh_bits;
	bool ticket_issued;
	bool cert_request;
	/* progress */
	bool ccs[2], fin[2];
	unsigned enc[2];      /* TLS 1.3: encrypted records by direction */
	/* TLS 1.3: each of the client's encrypted records was 19 bytes (an
	 * AEAD-sealed alert's size; a Finished is 49 at least); the
	 * server's after the client's first (`after`) too */
	bool client_small, server_small;
	unsigned after;
	/* failure */
	bool alert, alert_enc;
	uint8_t alert_level, alert_desc, alert_dir;
};

static const char *vname(uint16_t v)
{
	const char *n = tp_valstr_find(tls_versions, v);
	return n ? n : "unknown";
}

tls_conn *tls_conn_new(const tp_pkt *p)
{
	tp_session *s = p->app_sess;
	const tp_flow *f = p->flow;
	if (!s || !f || !tp_report_wanted(s, "tls"))
		return NULL;
	if (!tp_reasm_mem_take(&s->mem, sizeof(tls_conn))) {
		s->app_refused++;
		return NULL;
	}
	tls_conn *c = calloc(1, sizeof *c);
	if (!c) {
		tp_reasm_mem_give(&s->mem, sizeof(tls_conn));
		return NULL;
	}
	c->refs = 1;
	c->s = s;
	c->key = f->key;
	c->client = c->flow_client = f->client;
	c->stream = f->stream;
	c->client_small = c->server_small = true;
	return c;
}

void tls_conn_ref(tls_conn *c)
{
	if (c)
		c->refs++;
}

bool tls_conn_pending(const tls_conn *c) { return c && !c->done; }

static void copy_str(char *d, size_t cap, const uint8_t *b, size_t n)
{
	if (!b)
		n = 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(d, b, n);
	d[n] = '\0';
}

/* ---- the report ---------------------------------------------------------- */

static void u16_names(tp_report *r, const char *key, const uint16_t *v,
		      unsigned n, const tp_valstr *names)
{
	tp_rep_list(r, key);
	for (unsigned i = 0; i < n; i++) {
		const char *s = tp_valstr_find(names, v[i]);
		char b[16];
		if (!s) {
			snprintf(b, sizeof b, "0x%04x", v[i]);
			s = b;
		}
		tp_rep_str(r, NULL, s);
	}
	tp_rep_end(r);
}

static void report_certs(tp_report *r, const tls_conn *c)
{
	tp_rep_list(r, "certificates");
	for (unsigned i = 0; i < c->ncerts; i++) {
		const conn_cert *k = &c->certs[i];
		tp_rep_obj(r, NULL);
		if (k->parsed) {
			tp_rep_str(r, "subject_cn", k->subject);
			tp_rep_str(r, "issuer_cn", k->issuer);
			tp_rep_time(r, "not_after",
				    k->not_after * (int64_t)1000000000);
			tp_rep_uint(r, "san_count", k->sans);
			if (k->key[0])
				tp_rep_str(r, "key", k->key);
			if (k->bits)
				tp_rep_uint(r, "key_bits", k->bits);
			char hx[65];
			for (int j = 0; j < 32; j++)
				snprintf(hx + 2 * j, 3, "%02x", k->sha256[j]);
			tp_rep_str(r, "sha256", hx);
		} else {
			tp_rep_uint(r, "length", k->len);
		}
		tp_rep_end(r);
	}
	tp_rep_end(r);
	/* TLS 1.3 sends them encrypted */
	tp_rep_bool(r, "certificates_encrypted",
		    c->version == 0x0304 && !c->certs_seen);
}

static void emit(tls_conn *c, const char *outcome, const char *why)
{
	if (c->done)
		return;
	c->done = true;
	if (!c->ch && !c->sh)
		return; /* nothing of a handshake seen */
	tp_report r;
	tp_report_init(&r, "tls", &c->key, c->client, c->stream);
	tp_rep_str(&r, "outcome", outcome);
	if (why)
		tp_rep_str(&r, "failure", why);
	if (c->ch)
		tp_rep_time(&r, "time", c->t_hello);
	if (c->ch && c->t_done)
		tp_rep_ms(&r, "duration_ms", c->t_done - c->t_hello);
	if (c->ch)
		tp_rep_str(&r, "sni", c->sni);
	if (c->sh)
		tp_rep_str(&r, "version", vname(c->version));
	if (c->ch) {
		u16_names(&r, "versions_offered", c->vers_off, c->nvers_off,
			  tls_versions);
		tp_rep_list(&r, "alpn_offered");
		for (unsigned i = 0; i < c->nalpn_off; i++)
			tp_rep_str(&r, NULL, c->alpn_off[i]);
		tp_rep_end(&r);
	}
	if (c->have_alpn)
		tp_rep_str(&r, "alpn", c->alpn);
	else if (c->version == 0x0304 && c->nalpn_off)
		tp_rep_str(&r, "alpn", "(encrypted)");
	if (c->have_cipher) {
		const char *cn = tp_valstr_find(tls_cipher_suites, c->cipher);
		char b[16];
		if (!cn) {
			snprintf(b, sizeof b, "0x%04x", c->cipher);
			cn = b;
		}
		tp_rep_str(&r, "cipher", cn);
		tp_rep_uint(&r, "cipher_id", c->cipher);
	}
	uint16_t g = c->have_group ? c->group : c->ske_curve;
	if (g) {
		const char *gn = tp_valstr_find(tls_groups, g);
		tp_rep_str(&r, "group", gn ? gn : "unknown");
	}
	if (c->dh_bits)
		tp_rep_uint(&r, "dh_bits", c->dh_bits);
	if (c->ch)
		u16_names(&r, "key_share_offered", c->ks_off, c->nks_off,
			  tls_groups);
	tp_rep_bool(&r, "hrr", c->hrr);
	if (c->hrr && c->hrr_group) {
		const char *gn = tp_valstr_find(tls_groups, c->hrr_group);
		tp_rep_str(&r, "hrr_group", gn ? gn : "unknown");
	}
	/* resumption: what the client offered, what the server took */
	tp_rep_list(&r, "resumption_offered");
	/* (TLS 1.3's legacy_session_id is a compatibility value, RFC 8446
	 * D.4: no resumption) */
	if (c->sid_len && c->version != 0x0304)
		tp_rep_str(&r, NULL, "session_id");
	if (c->ticket_off)
		tp_rep_str(&r, NULL, "ticket");
	if (c->psk_off)
		tp_rep_str(&r, NULL, "psk");
	tp_rep_end(&r);
	tp_rep_str(&r, "resumed", c->psk_resumed   ? "psk"
				  : c->sid_resumed ? (c->ticket_off
							      ? "ticket"
							      : "session_id")
						   : "no");
	if (c->ticket_issued)
		tp_rep_bool(&r, "ticket_issued", true);
	if (c->cert_request)
		tp_rep_bool(&r, "client_cert_requested", true);
	report_certs(&r, c);
	if (c->ch && c->ja4[0]) { /* (an SSLv2 ClientHello has none) */
		tp_rep_str(&r, "ja4", c->ja4);
		if (c->ja4_retry[0])
			tp_rep_str(&r, "ja4_after_hrr", c->ja4_retry);
		tp_rep_str(&r, "ja3", c->ja3);
	}
	if (c->ja3s[0])
		tp_rep_str(&r, "ja3s", c->ja3s);
	if (c->alert) {
		const char *lv = tp_valstr_find(tls_alert_levels,
						c->alert_level);
		const char *ds = tp_valstr_find(tls_alert_descs, c->alert_desc);
		tp_rep_obj(&r, "alert");
		tp_rep_str(&r, "from", c->alert_dir == 0 ? "client" : "server");
		if (c->alert_enc) {
			tp_rep_bool(&r, "encrypted", true);
		} else {
			tp_rep_str(&r, "level", lv ? lv : "unknown");
			tp_rep_str(&r, "description", ds ? ds : "unknown");
			tp_rep_uint(&r, "code", c->alert_desc);
		}
		tp_rep_end(&r);
	}
	tp_report_emit(c->s, &r);
}

/* The alert's text for "failure". */
static void alert_why(const tls_conn *c, char *b, size_t cap)
{
	const char *from = c->alert_dir == 0 ? "client" : "server";
	if (c->alert_enc) {
		snprintf(b, cap, "encrypted alert from the %s", from);
		return;
	}
	const char *lv = tp_valstr_find(tls_alert_levels, c->alert_level);
	const char *ds = tp_valstr_find(tls_alert_descs, c->alert_desc);
	snprintf(b, cap, "%s alert %s from the %s", lv ? lv : "unknown",
		 ds ? ds : "unknown", from);
}

/* The connection's end: what it came to. */
static void finish(tls_conn *c)
{
	if (c->done)
		return;
	char why[128];
	bool tls13 = c->version == 0x0304;
	if (tls13 && !c->alert && c->enc[0] &&
	    (c->client_small || (c->after && c->server_small))) {
		/* the only encrypted records after the hellos were
		 * alert-sized: the client's, or the server's after the
		 * client's Finished */
		c->alert = c->alert_enc = true;
		c->alert_dir = c->client_small ? 0 : 1;
	}
	if (c->alert) {
		alert_why(c, why, sizeof why);
		emit(c, "failed", why);
		return;
	}
	if (!c->sh) {
		emit(c, "incomplete", c->ch ? "no ServerHello" : "no ClientHello");
		return;
	}
	if (tls13 ? c->enc[0] > 0 : c->fin[0] && c->fin[1]) {
		emit(c, "established", NULL);
		return;
	}
	emit(c, "incomplete", tls13 ? "no Finished from the client"
			  : c->fin[1] || c->fin[0]
				  ? "one side's Finished missing"
				  : "no ChangeCipherSpec/Finished");
}

void tls_conn_unref(tls_conn *c)
{
	if (!c || --c->refs)
		return;
	finish(c);
	tp_reasm_mem_give(&c->s->mem, sizeof *c);
	free(c);
}

/* ---- what tls.c tells it --------------------------------------------- */

void tls_conn_hello(tls_conn *c, const tp_pkt *p, const tls_hsum *h)
{
	if (!c || c->done)
		return;
	int64_t now = tp_pkt_time_ns(p);
	if (!c->dir_set) { /* who is the client: the ClientHello's sender */
		c->dir_set = true;
		c->cdir = (uint8_t)((p->app_dir ^ h->server) & 1);
		c->client = (uint8_t)(c->flow_client ^ c->cdir);
	}
	if (!h->server) {
		c->hellos++;
		if (c->ch) { /* the second, after a HelloRetryRequest */
			if (h->ja4)
				copy_str(c->ja4_retry, sizeof c->ja4_retry,
					 h->ja4, h->ja4_len);
			return;
		}
		c->ch = true;
		c->t_hello = now;
		c->frame_hello = p->number;
		copy_str(c->sni, sizeof c->sni, h->sni, h->sni ? h->sni_len : 0);
		for (unsigned i = 0; i < h->nalpn && c->nalpn_off < CONN_LIST;
		     i++)
			copy_str(c->alpn_off[c->nalpn_off++], 32, h->alpn[i],
				 h->alpn_len[i]);
		for (unsigned i = 0; i < h->nversions; i++)
			if (!tls_grease(h->versions[i]) &&
			    c->nvers_off < CONN_LIST)
				c->vers_off[c->nvers_off++] = h->versions[i];
		if (!h->nversions && c->nvers_off < CONN_LIST)
			c->vers_off[c->nvers_off++] = h->legacy;
		for (unsigned i = 0; i < h->nks; i++)
			if (!tls_grease(h->ks[i]) && c->nks_off < CONN_LIST)
				c->ks_off[c->nks_off++] = h->ks[i];
		c->sid_len = (uint8_t)(h->sid_len < 32 ? h->sid_len : 32);
		if (h->sid)
			memcpy(c->sid, h->sid, c->sid_len);
		c->ticket_off = h->ticket;
		c->psk_off = h->psk;
		if (h->ja3)
			copy_str(c->ja3, sizeof c->ja3, h->ja3, h->ja3_len);
		if (h->ja4)
			copy_str(c->ja4, sizeof c->ja4, h->ja4, h->ja4_len);
		return;
	}
	if (h->hrr) {
		c->hrr = true;
		c->hrr_group = h->ks_selected;
		return;
	}
	c->sh = true;
	c->version = h->sv_chosen ? h->sv_chosen : h->legacy;
	c->cipher = h->cipher;
	c->have_cipher = h->have_cipher;
	if (h->nks) {
		c->group = h->ks[0];
		c->have_group = true;
	}
	if (h->nalpn) {
		copy_str(c->alpn, sizeof c->alpn, h->alpn[0], h->alpn_len[0]);
		c->have_alpn = true;
	}
	if (h->ja3)
		copy_str(c->ja3s, sizeof c->ja3s, h->ja3, h->ja3_len);
	/* TLS 1.2 and below: the server echoes a session id it resumes
	 * (RFC 5246 7.4.1.3; a ticket resumption too, RFC 5077 3.4) */
	if (c->version != 0x0304 && c->sid_len && h->sid_len == c->sid_len &&
	    memcmp(h->sid, c->sid, c->sid_len) == 0)
		c->sid_resumed = true;
	if (h->psk)
		c->psk_resumed = true;
}

void tls_conn_cert(tls_conn *c, size_t len, const tls_certsum *k)
{
	if (!c || c->done)
		return;
	c->certs_seen = true;
	if (c->ncerts >= CONN_CERTS)
		return;
	conn_cert *d = &c->certs[c->ncerts++];
	d->len = (uint32_t)len;
	if (!k || !k->parsed)
		return;
	d->parsed = true;
	snprintf(d->subject, sizeof d->subject, "%s", k->subject_cn);
	snprintf(d->issuer, sizeof d->issuer, "%s", k->issuer_cn);
	snprintf(d->key, sizeof d->key, "%s", k->key_type);
	d->not_after = k->not_after;
	d->sans = k->san_count;
	d->bits = k->key_bits;
	if (k->sha256)
		memcpy(d->sha256, k->sha256, sizeof d->sha256);
}

void tls_conn_kx(tls_conn *c, uint16_t curve, unsigned dh_bits)
{
	if (!c)
		return;
	if (curve)
		c->ske_curve = curve;
	if (dh_bits)
		c->dh_bits = dh_bits;
}

void tls_conn_msg(tls_conn *c, unsigned type)
{
	if (!c)
		return;
	if (type == 4)
		c->ticket_issued = true;
	else if (type == 13)
		c->cert_request = true;
}

void tls_conn_alert(tls_conn *c, const tp_pkt *p, int dir, unsigned level,
		    unsigned desc, bool enc)
{
	if (!c || c->done || c->alert)
		return;
	dir = (dir ^ c->cdir) & 1;
	if (enc && c->fin[0] && c->fin[1]) {
		/* after both Finished, with no data: a close_notify */
		emit(c, "established", NULL);
		return;
	}
	c->alert = true;
	c->alert_enc = enc;
	c->alert_level = (uint8_t)level;
	c->alert_desc = (uint8_t)desc;
	c->alert_dir = (uint8_t)(dir & 1);
	c->t_done = tp_pkt_time_ns(p);
	char why[128];
	alert_why(c, why, sizeof why);
	emit(c, "failed", why);
}

/* Every record, after its dissection (ct its outer content type, len
 * its length, enc: sent encrypted). */
void tls_conn_record(tls_conn *c, const tp_pkt *p, int dir, unsigned ct,
		     unsigned len, bool enc)
{
	if (!c || c->done)
		return;
	dir = (dir ^ c->cdir) & 1;
	if (ct == 20) {
		c->ccs[dir] = true;
		return;
	}
	if (ct == 22 && enc) { /* Finished, after ChangeCipherSpec */
		c->fin[dir] = true;
		if (c->fin[0] && c->fin[1])
			c->t_done = tp_pkt_time_ns(p);
		return;
	}
	if (ct != 23 || !c->sh)
		return;
	int64_t now = tp_pkt_time_ns(p);
	if (c->version != 0x0304) { /* the first application data */
		c->t_done = now;
		emit(c, "established", NULL);
		return;
	}
	/* TLS 1.3: the server's flight, then the client's Finished, then
	 * application data from either side */
	bool alertish = len == 19;
	if (dir == 0 && !alertish)
		c->client_small = false;
	if (dir == 0 && c->enc[0]++ == 0) {
		c->t_done = now; /* the client's Finished */
		return;
	}
	if (dir == 1) {
		c->enc[1]++;
		if (!c->enc[0])
			return; /* the server's flight */
		c->after++;
		if (!alertish)
			c->server_small = false;
	}
	if (alertish || c->client_small)
		return; /* maybe an alert: the end will tell */
	c->t_done = now;
	emit(c, "established", NULL);
}
