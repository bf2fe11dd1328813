/* tls_fp.c - JA3, JA3S and JA4 (ja4, ja4_r, ja4_o, ja4_ro) from the
 * lists of a parsed hello (see tls_fp.h for the definitions followed).
 * No allocation: every list is read up to TLS_FP_MAX entries, copies and
 * sorted copies are on the stack, and text goes through a sink that cuts
 * it at its buffer's capacity while the hash sees all of it.
 */
#include "tls_fp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/md5.h>
#include <nettle/sha2.h>

bool tls_grease(uint16_t v)
{
	return (v & 0x0f0fu) == 0x0a0au && (v >> 8) == (v & 0xffu);
}

/* A text sink: the text is appended to s (cut at cap, NUL-terminated
 * whenever cap > 0) and fed whole to whichever hash is set. */
typedef struct fp_sink {
	char *s;
	size_t cap, len;
	struct md5_ctx *md5;
	struct sha256_ctx *sha;
} fp_sink;

static void sink_init(fp_sink *o, char *s, size_t cap)
{
	memset(o, 0, sizeof *o);
	if (s && cap) {
		o->s = s;
		o->cap = cap;
		s[0] = '\0';
	}
}

static void put(fp_sink *o, const char *t, size_t n)
{
	if (o->md5)
		md5_update(o->md5, n, (const uint8_t *)t);
	if (o->sha)
		sha256_update(o->sha, n, (const uint8_t *)t);
	if (!o->s)
		return;
	size_t room = o->cap - 1 - o->len;
	size_t k = n < room ? n : room;
	memcpy(o->s + o->len, t, k);
	o->len += k;
	o->s[o->len] = '\0';
}

static void put_c(fp_sink *o, char c)
{
	put(o, &c, 1);
}

static size_t capped(const void *list, size_t n)
{
	if (!list)
		return 0;
	return n < TLS_FP_MAX ? n : TLS_FP_MAX;
}

/* The non-GREASE values of a list (up to TLS_FP_MAX read) into out,
 * leaving out SNI and ALPN too when `no_sni_alpn`; returns how many. */
static size_t keep(const uint16_t *in, size_t n, uint16_t *out,
		   bool no_sni_alpn)
{
	size_t k = 0;
	n = capped(in, n);
	for (size_t i = 0; i < n; i++) {
		if (tls_grease(in[i]))
			continue;
		if (no_sni_alpn && (in[i] == 0x0000 || in[i] == 0x0010))
			continue;
		out[k++] = in[i];
	}
	return k;
}

/* A list of numbers, `sep`-joined, in decimal or in 4-digit hex. */
static void put_list(fp_sink *o, const uint16_t *v, size_t n, char sep,
		     bool hex)
{
	for (size_t i = 0; i < n; i++) {
		char t[8];
		int w = snprintf(t, sizeof t, hex ? "%04x" : "%u",
				 (unsigned)v[i]);
		if (i)
			put_c(o, sep);
		put(o, t, (size_t)w);
	}
}

static const char hexd[] = "0123456789abcdef";

static void hex_out(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexd[d[i] >> 4];
		out[2 * i + 1] = hexd[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void tls_ja3(const tls_hello *h, char *s, size_t cap, char md5[33])
{
	uint16_t v[TLS_FP_MAX];
	struct md5_ctx mc;
	fp_sink o;
	char t[8];

	md5_init(&mc);
	sink_init(&o, s, cap);
	o.md5 = &mc;
	int w = snprintf(t, sizeof t, "%u", (unsigned)h->legacy_version);
	put(&o, t, (size_t)w);
	put_c(&o, ',');
	put_list(&o, v, keep(h->ciphers, h->nciphers, v, false), '-', false);
	put_c(&o, ',');
	put_list(&o, v, keep(h->exts, h->nexts, v, false), '-', false);
	if (!h->server) {
		put_c(&o, ',');
		put_list(&o, v, keep(h->groups, h->ngroups, v, false), '-',
			 false);
		put_c(&o, ',');
		size_t nec = capped(h->ec_formats, h->nec);
		for (size_t i = 0; i < nec; i++)
			v[i] = h->ec_formats[i];
		put_list(&o, v, nec, '-', false);
	}
	uint8_t d[MD5_DIGEST_SIZE];
	md5_digest(&mc, sizeof d, d);
	hex_out(d, sizeof d, md5);
}

static int cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

static const char *ja4_version(const tls_hello *h)
{
	uint16_t v = h->legacy_version;
	bool seen = false;
	size_t n = capped(h->versions, h->nversions);
	for (size_t i = 0; i < n; i++) {
		uint16_t x = h->versions[i];
		if (tls_grease(x) || (seen && x <= v))
			continue;
		v = x;
		seen = true;
	}
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	case 0xfeff: return "d1";
	case 0xfefd: return "d2";
	case 0xfefc: return "d3";
	default: return "00";
	}
}

static bool ascii_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

static void ja4_alpn(const tls_hello *h, char out[2])
{
	if (!h->alpn0 || h->alpn0_len == 0) {
		out[0] = out[1] = '0';
		return;
	}
	uint8_t f = h->alpn0[0], l = h->alpn0[h->alpn0_len - 1];
	if (ascii_alnum(f) && ascii_alnum(l)) {
		out[0] = (char)f;
		out[1] = (char)l;
	} else {
		out[0] = hexd[f >> 4];
		out[1] = hexd[l & 15];
	}
}

static unsigned two_digits(size_t n)
{
	return n > 99 ? 99u : (unsigned)n;
}

/* The first 12 hex digits of a SHA-256, or twelve '0' for an empty list. */
static void trunc12(struct sha256_ctx *sc, size_t n, char out[13])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char full[2 * SHA256_DIGEST_SIZE + 1];
	sha256_digest(sc, sizeof d, d);
	hex_out(d, sizeof d, full);
	memcpy(out, n ? full : "000000000000", 12);
	out[12] = '\0';
}

static void ja4(const tls_hello *h, bool original, char out[37], char *raw,
		size_t cap)
{
	uint16_t c[TLS_FP_MAX], e[TLS_FP_MAX], sg[TLS_FP_MAX];
	fp_sink o;

	sink_init(&o, raw, cap);
	out[0] = '\0';
	if (h->server)
		return;
	size_t nc = keep(h->ciphers, h->nciphers, c, false);
	size_t next = keep(h->exts, h->nexts, e, false);
	size_t ne = original ? next : keep(h->exts, h->nexts, e, true);
	size_t ns = keep(h->sigalgs, h->nsig, sg, false);
	if (!original) {
		qsort(c, nc, sizeof c[0], cmp_u16);
		qsort(e, ne, sizeof e[0], cmp_u16);
	}

	char a[16], alpn[2];
	ja4_alpn(h, alpn);
	snprintf(a, sizeof a, "%c%s%c%02u%02u%c%c", h->quic ? 'q' : 't',
		 ja4_version(h), h->has_sni ? 'd' : 'i', two_digits(nc),
		 two_digits(next), alpn[0], alpn[1]);
	put(&o, a, strlen(a));

	struct sha256_ctx sc;
	char hb[13], hc[13];
	put_c(&o, '_');
	sha256_init(&sc);
	o.sha = &sc;
	put_list(&o, c, nc, ',', true);
	o.sha = NULL;
	trunc12(&sc, nc, hb);

	put_c(&o, '_');
	sha256_init(&sc);
	o.sha = &sc;
	put_list(&o, e, ne, ',', true);
	if (ns) {
		put_c(&o, '_');
		put_list(&o, sg, ns, ',', true);
	}
	o.sha = NULL;
	trunc12(&sc, ne, hc);

	snprintf(out, TLS_JA4_LEN, "%.10s_%s_%s", a, hb, hc);
}

void tls_ja4(const tls_hello *h, char out[37], char *raw, size_t cap)
{
	ja4(h, false, out, raw, cap);
}

void tls_ja4_o(const tls_hello *h, char out[37], char *raw, size_t cap)
{
	ja4(h, true, out, raw, cap);
}
