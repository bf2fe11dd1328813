/* test_x509.c - X.509 certificates through libcrypto (dissectors/x509.c).
 *
 * The certificates are the .der files of tests/unit/data (make-x509.sh,
 * the openssl command line); every expected value below is what
 * `openssl x509 -inform DER -noout -text -fingerprint -sha256 -serial
 * -dates` printed for those files.  Then the hostile side: every
 * truncation, every single-bit flip, each byte set to the DER length
 * forms (0x00, 0x7f, 0x80, 0x81, 0x84, 0xff), empty input: never a
 * crash, never a read past the end (guarded buffers), and a cut
 * certificate is never taken (an x509.malformed event with the
 * library's reason).  ASan/LSan runs of this test check the library's
 * allocations are all freed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/registry.h"

#include "../../dissectors/x509.h"

#define DER_MAX 4096

static size_t load(const char *name, uint8_t *b)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/unit/data/%s", top ? top : ".",
		 name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t n = fread(b, 1, DER_MAX, f);
	fclose(f);
	assert_true(n > 100 && n < DER_MAX);
	return n;
}

static const tp_dissector *x509(void)
{
	const tp_dissector *d = tp_registry_by_name("x509");
	assert_non_null(d);
	return d;
}

/* der[0..n) from a guarded copy into a fresh record's x509 layer. */
static tp_pkt *dissect(const uint8_t *der, size_t n, tp_x509_brief *b,
		       bool *ok)
{
	static tp_pkt *p;
	if (!p)
		p = tp_pkt_new();
	assert_non_null(p);
	tp_pkt_reset(p);
	assert_non_null(tp_layer_begin(p, x509(), 0));
	uint8_t *g = th_guarded(der, n);
	*ok = tp_x509_dissect(p, 0, g, n, b);
	th_guarded_free(g, n);
	return p;
}

static bool str_is(const tp_field *f, const char *want)
{
	return f && f->vlen == strlen(want) &&
	       memcmp(f->v.p, want, f->vlen) == 0;
}

/* The n-th (0-based) field called abbrev. */
static const tp_field *nth(const tp_pkt *p, const char *abbrev, int n)
{
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0 && n-- == 0)
			return &p->fields[i];
	return NULL;
}

static void hex_is(const uint8_t *b, size_t n, const char *want)
{
	char h[2 * 64 + 1];
	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++)
		snprintf(h + 2 * i, 3, "%02X", b[i]);
	h[2 * n] = '\0';
	assert_string_equal(h, want);
}

/* RSA: the tree's fields and the brief, against openssl's text. */
static void test_x509_rsa(void **state)
{
	(void)state;
	uint8_t der[DER_MAX];
	size_t n = load("rsa.der", der);
	tp_x509_brief b;
	bool ok;
	tp_pkt *p = dissect(der, n, &b, &ok);
	assert_true(ok);
	assert_true(b.parsed);
	assert_false(th_has_event(p, "x509.malformed"));
	assert_int_equal(th_uint(p, "x509af.version"), 2); /* v3 */
	/* serial=9F0102030405060708: DER's content keeps the 00 */
	const tp_field *s = th_field(p, "x509af.serialNumber");
	assert_non_null(s);
	hex_is(s->v.p, s->vlen, "009F0102030405060708");
	assert_string_equal(b.serial, "009f0102030405060708");
	/* Algorithm Id: the signature's, the key's, the outer one */
	assert_int_equal(th_count(p, "x509af.algorithm.id"), 3);
	assert_true(str_is(nth(p, "x509af.algorithm.id", 0),
			   "1.2.840.113549.1.1.11"));
	assert_true(str_is(nth(p, "x509af.algorithm.id", 1),
			   "1.2.840.113549.1.1.1"));
	/* C = NZ, ST = Otago, O = tapir test, CN = rsa.tapir.test, as
	 * issuer and subject (self-signed) */
	assert_int_equal(th_uint(p, "x509if.rdnSequence"), 4);
	assert_int_equal(th_uint(p, "x509af.rdnSequence"), 4);
	assert_int_equal(th_count(p, "x509if.oid"), 8);
	assert_true(str_is(th_field(p, "x509sat.CountryName"), "NZ"));
	assert_true(str_is(th_field(p, "x509sat.uTF8String"), "Otago"));
	assert_true(str_is(th_field(p, "x509.subject"),
			   "id-at-commonName=rsa.tapir.test,"
			   "id-at-organizationName=tapir test,"
			   "id-at-stateOrProvinceName=Otago,"
			   "id-at-countryName=NZ"));
	assert_string_equal(b.subject_cn, "rsa.tapir.test");
	assert_string_equal(b.issuer_cn, "rsa.tapir.test");
	/* Not Before: Dec  7 21:59:48 2026 GMT, Not After : Dec  4
	 * 21:59:48 2036 GMT (both UTCTime) */
	assert_int_equal(th_uint(p, "x509af.notBefore"), 0);
	assert_true(str_is(nth(p, "x509af.utcTime", 0),
			   "2026-12-07 21:59:48 (UTC)"));
	assert_true(str_is(nth(p, "x509af.utcTime", 1),
			   "2036-12-04 21:59:48 (UTC)"));
	assert_int_equal(b.not_before, 1796680788);
	assert_int_equal(b.not_after, 2112040788);
	/* DNS:rsa.tapir.test, DNS:www.tapir.test, IP Address:10.1.2.3,
	 * IP Address:2001:DB8::1, email:ops@tapir.test,
	 * URI:https://tapir.test/ */
	assert_int_equal(th_uint(p, "x509ce.GeneralNames"), 6);
	assert_int_equal(th_count(p, "x509ce.GeneralName"), 6);
	assert_true(str_is(nth(p, "x509ce.dNSName", 1), "www.tapir.test"));
	hex_is(th_field(p, "x509ce.IPAddress.ipv4")->v.p, 4, "0A010203");
	hex_is(th_field(p, "x509ce.IPAddress.ipv6")->v.p, 16,
	       "20010DB8000000000000000000000001");
	assert_true(str_is(th_field(p, "x509ce.rfc822Name"), "ops@tapir.test"));
	assert_true(str_is(th_field(p, "x509ce.uniformResourceIdentifier"),
			   "https://tapir.test/"));
	assert_int_equal(b.san_count, 6);
	assert_string_equal(b.san_first, "rsa.tapir.test");
	/* basicConstraints=critical: one critical flag */
	assert_int_equal(th_count(p, "x509af.critical"), 1);
	/* Public-Key: (2048 bit), rsaEncryption */
	assert_true(str_is(th_field(p, "x509.public_key.type"), "RSA"));
	assert_int_equal(th_uint(p, "x509.public_key.bits"), 2048);
	assert_string_equal(b.key_type, "RSA");
	assert_int_equal(b.key_bits, 2048);
	assert_true(str_is(th_field(p, "x509.signature_algorithm"),
			   "sha256WithRSAEncryption"));
	assert_string_equal(b.sig_alg, "sha256WithRSAEncryption");
	assert_int_equal(th_field(p, "x509af.encrypted")->vlen, 256);
	/* sha256 Fingerprint=C1:F5:4A:...:EA:E5 */
	const char *fp = "C1F54A55F096260506DAFF1CE584D7EA37B4E8150538B7E3"
			 "8C9D67201179EAE5";
	hex_is(th_field(p, "x509.fingerprint.sha256")->v.p, 32, fp);
	hex_is(b.sha256, 32, fp);
}

/* EC, Ed25519, DSA: key type and size, the signature's name, a
 * GeneralizedTime. */
static void test_x509_other_keys(void **state)
{
	(void)state;
	static const struct {
		const char *file, *cn, *type, *sig, *fp;
		unsigned bits;
		int64_t not_after;
	} c[] = {
		{"ec.der", "ec.tapir.test", "EC", "ecdsa-with-SHA256",
		 "A2CE23B1FC8157918ED7C3A30C4FCB5AD88A1A80408F8E33DE382A83B8BB7AC2",
		 256, 2617480788},
		{"ed25519.der", "ed25519.tapir.test", "Ed25519", "ED25519",
		 "D1780E1BEA1EF733428625B00C5E7AC65F064051FD635CE20B2D90196A85DAB1",
		 256, 1828216788},
		{"dsa.der", "dsa.tapir.test", "DSA", "dsa_with_SHA256",
		 "83C7F6C84278A36AC3C8B4FEB5341F1785DF7F1F509163AFB11DFB3CCD37708E",
		 2048, 1828216788},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		uint8_t der[DER_MAX];
		size_t n = load(c[i].file, der);
		tp_x509_brief b;
		bool ok;
		dissect(der, n, &b, &ok);
		assert_true(ok);
		assert_string_equal(b.subject_cn, c[i].cn);
		assert_string_equal(b.key_type, c[i].type);
		/* openssl's text prints no size for Ed25519; the
		 * library's EVP_PKEY_get_bits says 256 */
		assert_int_equal(b.key_bits, c[i].bits);
		assert_string_equal(b.sig_alg, c[i].sig);
		assert_int_equal(b.not_after, c[i].not_after);
		hex_is(b.sha256, 32, c[i].fp);
		assert_int_equal(b.san_count, 0);
		assert_string_equal(b.san_first, "");
	}
	/* ec.der's notAfter (Dec 10 21:59:48 2052) is a GeneralizedTime */
	uint8_t der[DER_MAX];
	size_t n = load("ec.der", der);
	bool ok;
	tp_pkt *p = dissect(der, n, NULL, &ok);
	assert_true(ok);
	assert_int_equal(th_uint(p, "x509af.notAfter"), 1);
	assert_true(str_is(th_field(p, "x509af.generalizedTime"),
			   "Dec 10, 2052 21:59:48.000000000 UTC"));
	hex_is(th_field(p, "x509af.serialNumber")->v.p, 1, "07");
}

/* Not a certificate: the event, the library's reason, a brief that says
 * so; empty input too. */
static void test_x509_not_der(void **state)
{
	(void)state;
	static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x05};
	tp_x509_brief b;
	bool ok;
	tp_pkt *p = dissect(junk, sizeof junk, &b, &ok);
	assert_false(ok);
	assert_false(b.parsed);
	assert_true(th_has_event(p, "x509.malformed"));
	const tp_field *e = th_field(p, "x509.error");
	assert_non_null(e);
	assert_true(e->vlen > 0);
	assert_false(th_field(p, "x509af.signedCertificate_element") != NULL);
	p = dissect(junk, 0, &b, &ok);
	assert_false(ok);
	assert_true(th_has_event(p, "x509.malformed"));
}

/* Every cut of each certificate: refused (DER's outer length says
 * more), no field of a certificate added, the reason given. */
static void test_x509_truncated(void **state)
{
	(void)state;
	static const char *const files[] = {"rsa.der", "ec.der", "ed25519.der",
					    "dsa.der"};
	for (size_t k = 0; k < 4; k++) {
		uint8_t der[DER_MAX];
		size_t n = load(files[k], der);
		for (size_t cut = 0; cut < n; cut++) {
			tp_x509_brief b;
			bool ok;
			tp_pkt *p = dissect(der, cut, &b, &ok);
			assert_false(ok);
			assert_false(b.parsed);
			assert_true(th_has_event(p, "x509.malformed"));
			assert_null(th_field(p, "x509af.serialNumber"));
		}
	}
}

/* Every single-bit flip and every byte set to each DER length form:
 * whatever the library makes of it, no crash and no read past the end;
 * what it takes has its fields, what it refuses has the event. */
static void test_x509_hostile(void **state)
{
	(void)state;
	static const uint8_t forms[] = {0x00, 0x7f, 0x80, 0x81, 0x84, 0xff};
	static const char *const files[] = {"rsa.der", "ec.der"};
	unsigned taken = 0, refused = 0;
	for (size_t k = 0; k < 2; k++) {
		uint8_t der[DER_MAX], m[DER_MAX];
		size_t n = load(files[k], der);
		for (size_t i = 0; i < n; i++) {
			for (unsigned v = 0; v < 8 + sizeof forms; v++) {
				memcpy(m, der, n);
				if (v < 8)
					m[i] ^= (uint8_t)(1u << v);
				else
					m[i] = forms[v - 8];
				tp_x509_brief b;
				bool ok;
				tp_pkt *p = dissect(m, n, &b, &ok);
				assert_int_equal(ok, b.parsed);
				if (ok) {
					taken++;
					assert_non_null(th_field(
						p, "x509.fingerprint.sha256"));
				} else {
					refused++;
					assert_true(th_has_event(
						p, "x509.malformed"));
				}
				assert_true(strlen(b.subject_cn) <
					    sizeof b.subject_cn);
			}
		}
	}
	/* a flip in the signature or a name's letters still parses; one in
	 * a tag or the outer length does not */
	assert_true(taken > 1000);
	assert_true(refused > 1000);
}

/* The parsed certificates kept per thread (x509.c's cache): the same
 * bytes again give the same fields, after other certificates pushed it
 * out of the cache or not; bytes that differ in one bit are another
 * certificate (a different fingerprint), never the kept one. */
static void test_x509_kept(void **state)
{
	(void)state;
	uint8_t der[DER_MAX], m[DER_MAX];
	size_t n = load("rsa.der", der);
	tp_x509_brief first, b;
	bool ok;
	tp_pkt *p = dissect(der, n, &first, &ok);
	assert_true(ok);
	unsigned nf = p->nfields;
	for (int round = 0; round < 2; round++) {
		/* round 0: 5 others (it stays kept); round 1: 40 (it is
		 * pushed out and parsed again) */
		for (unsigned k = 0; k < (round ? 40u : 5u); k++) {
			memcpy(m, der, n);
			m[n - 1 - k] ^= 0x01; /* a signature bit: still parses */
			dissect(m, n, &b, &ok);
			assert_true(ok);
			assert_memory_not_equal(b.sha256, first.sha256, 32);
			assert_string_equal(b.subject_cn, first.subject_cn);
		}
		p = dissect(der, n, &b, &ok);
		assert_true(ok);
		assert_int_equal(p->nfields, nf);
		assert_memory_equal(&b, &first, sizeof b);
	}
}

/* Through TLS: a Certificate message (TLS 1.2) carrying rsa.der and
 * ec.der: each certificate's tree under its tls.handshake.certificate. */
static void test_x509_in_tls(void **state)
{
	(void)state;
	uint8_t a[DER_MAX], e[DER_MAX], rec[3 * DER_MAX];
	size_t na = load("rsa.der", a), ne = load("ec.der", e);
	size_t certs = 3 + na + 3 + ne, body = 3 + certs, len = 4 + body;
	size_t k = 0;
	rec[k++] = 22;
	rec[k++] = 3, rec[k++] = 3;
	rec[k++] = (uint8_t)(len >> 8), rec[k++] = (uint8_t)len;
	rec[k++] = 11;
	rec[k++] = (uint8_t)(body >> 16), rec[k++] = (uint8_t)(body >> 8),
	rec[k++] = (uint8_t)body;
	rec[k++] = (uint8_t)(certs >> 16), rec[k++] = (uint8_t)(certs >> 8),
	rec[k++] = (uint8_t)certs;
	rec[k++] = (uint8_t)(na >> 16), rec[k++] = (uint8_t)(na >> 8),
	rec[k++] = (uint8_t)na;
	memcpy(rec + k, a, na), k += na;
	rec[k++] = (uint8_t)(ne >> 16), rec[k++] = (uint8_t)(ne >> 8),
	rec[k++] = (uint8_t)ne;
	memcpy(rec + k, e, ne), k += ne;
	tp_next nx;
	tp_status st;
	const tp_dissector *tls = tp_registry_by_name("tls");
	assert_non_null(tls);
	tp_pkt *p = th_dissect_quoted(tls, rec, k, &nx, &st);
	assert_int_equal(th_count(p, "tls.handshake.certificate"), 2);
	assert_int_equal(th_count(p, "x509af.signedCertificate_element"), 2);
	assert_true(str_is(nth(p, "x509.public_key.type", 1), "EC"));
	/* the certificate's subtree is one level below it */
	const tp_field *c = th_field(p, "tls.handshake.certificate");
	const tp_field *s = th_field(p, "x509af.signedCertificate_element");
	assert_int_equal(s->level, c->level + 1);
	/* the second certificate cut short in the record: the first one
	 * whole, the second neither a field nor dissected */
	p = th_dissect_quoted(tls, rec, k - 10, &nx, &st);
	assert_int_equal(th_count(p, "x509af.signedCertificate_element"), 1);
	assert_false(th_has_event(p, "x509.malformed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x509_rsa),
		cmocka_unit_test(test_x509_other_keys),
		cmocka_unit_test(test_x509_not_der),
		cmocka_unit_test(test_x509_truncated),
		cmocka_unit_test(test_x509_hostile),
		cmocka_unit_test(test_x509_kept),
		cmocka_unit_test(test_x509_in_tls),
	};
	tp_registry_init();
	tp_x509_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
