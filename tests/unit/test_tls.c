/* test_tls.c - TLS records and handshake messages (dissectors/tls.c):
 * real bytes (a ClientHello, a server's first flight and an SSLv2
 * ClientHello from ../shared/corpus, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
 * and retina's tls_ciphers), their fields against what tshark 4.0 shows
 * for the same frames (JA3, JA3S: tshark's values), every truncation and
 * bumped lengths, and through the stream layer: a ClientHello cut into
 * one-byte segments fingerprints as the whole one, an encrypted record
 * over several segments is shown once, where it ends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/flow.h"
#include "tapir/output.h"
#include "tapir/registry.h"
#include "tapir/report.h"

static const char client_hello_hex[] =
	"16030100a10100009d030352362c119fdd9fbe08b5a2d433b2db2c39ce7a1c8d"
	"7c6cfc89b2ebbb40e3be89000004c01300ff020100006f000b00040300010200"
	"0a00340032000e000d0019000b000c00180009000a0016001700080006000700"
	"1400150004000500120013000100020003000f0010001100230000000d002200"
	"2006010602060305010502050304010402040303010302030302010202020301"
	"01000f000101";
static const char server_flight_hex[] =
	"16030300420200003e030352362c11d2ee1ccb85e52b70a0889c3e4d161e7f1e"
	"2f65bce5e2f8120a71418700c013010016ff01000100000b0004030001020023"
	"0000000f00010116030301c30b0001bf0001bc0001b9308201b53082011e0209"
	"00f4a72fd3e8fc37c4300d06092a864886f70d0101050500301f311d301b0603"
	"5504030c145465737420436572746966696361746520525341301e170d313330"
	"3931353231353131305a170d3233303931333231353131305a301f311d301b06"
	"035504030c14546573742043657274696669636174652052534130819f300d06"
	"092a864886f70d010101050003818d0030818902818100ac352a937fc54f1898"
	"b29fa0fb34e6e28b9ed7469107d8488aa8438bfac0ffb7cad55f58bee42f201c"
	"3ef942f4b0279ab6b001bf9740aac42a1cac9370b48e94da38cbb45e14b6cc19"
	"66e806f299ec490c910996e69ae166e584642fa24ce321ac4275ec8ce9f6d99e"
	"40cb1d02c38c68f02b461cb32739750e2ac4d99cb6b44d0203010001300d0609"
	"2a864886f70d01010505000381810067434ca8a43eeb1b3228708bdbebfef1b3"
	"703995343326ef54b622f9e1d5e6c37696e5c114615ba5c26ce7e6ef0026ecbc"
	"4827f53d736615379caa8797ef22da5851bb33e9c84644d1c99d35cc660529b4"
	"645f6de1210d4568ac064315e1c6c4c8b4fac334fd4939cb22018a303450b024"
	"557b6c6d5cf6331a6cf677a62c9a3216030300cd0c0000c9030017410497e0a1"
	"4ed718a0e817bfe1a0c1ad2565fd35941be1c2df8a23dfeffbd3ede54f6104f0"
	"0b732622f55905c33130f0bae0519d33a458c97c9e94adf747781df43b060100"
	"807290200c08ca65085916027f9a984153db1a212ed8f36219a534b9b472a0fb"
	"d9746c2a45b7df1277682099ca59d887436ac1a33ae28f764a1bbc21faaa1f02"
	"a3bc39b096c3acdbee7fee43033d8f1b2cb945d4c4ab83f2b5b5054d7878f7e4"
	"d86d3c9ab3b9c8a87b3f2ec4d3608b3d74fdb87c2a3edf54781d11a661832dca"
	"3716030300040e000000";
static const char sslv2_hello_hex[] =
	"80320103030009000000200000040100800000ff4575c2fa383b34ff9c5aa53c"
	"27a31188a5cbd9976dd1cbee23124aba078bc2f1";

/* tests/tls-crafted.py's ClientHello: status_request(_v2), heartbeat,
 * compress_certificate, record_size_limit, a session ticket, EMS, ETM,
 * signature_algorithms(_cert), certificate_authorities, post-handshake
 * auth, ALPS, two ECH (0xfe0d), early_data, pre_shared_key last. */
static const char ext_hello_hex[] =
	"1603010177010001730303000102030405060708090a0b0c0d0e0f1011121314"
	"15161718191a1b1c1d1e1f00000613010033008c010001440a0a000000000017"
	"0015000012637261667465642e74617069722e74657374000500050100000000"
	"00110009000702000400000000000f000101001b000706000100020003001c00"
	"024001002300105a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a001700000016000000"
	"0a00060004001d0017000d000600040403080400320006000404010503002f00"
	"160014000e300c310a300806035504030c014100023000003100004469000e00"
	"0c02683208687474702f312e31fe0d0010000001000107eeeeeeeeeeeeeeeeee"
	"eefe0d000101002b00050403040303002d00020101002a00000029005f001900"
	"0811111111111111110001e24000052222222222000000070042203333333333"
	"3333333333333333333333333333333333333333333333333333332044444444"
	"44444444444444444444444444444444444444444444444444444444";

static const tp_dissector *tls(void)
{
	const tp_dissector *d = tp_registry_by_name("tls");
	assert_non_null(d);
	return d;
}

static size_t unhex(const char *h, uint8_t *b, size_t cap)
{
	size_t n = th_hex(h, b, cap);
	assert_true(n > 0);
	return n;
}

/* The hex's bytes into b, dissected alone (one record). */
static tp_pkt *quoted(const char *hex, uint8_t *b, size_t cap, size_t *n,
		      tp_status *st)
{
	tp_next nx;
	*n = unhex(hex, b, cap);
	return th_dissect_quoted(tls(), b, *n, &nx, st);
}

/* The same, dissected whole (OK). */
static tp_pkt *quoted_ok(const char *hex, uint8_t *b, size_t cap)
{
	size_t n;
	tp_status st;
	tp_pkt *p = quoted(hex, b, cap, &n, &st);
	assert_int_equal(st, TP_OK);
	return p;
}

static bool field_str(const tp_pkt *p, const char *abbrev, const char *want)
{
	const tp_field *f = th_field(p, abbrev);
	return f && f->vlen == strlen(want) &&
	       memcmp(f->v.p, want, f->vlen) == 0;
}

/* The ClientHello alone: its fields and fingerprints (tshark's JA3). */
static void test_tls_client_hello(void **state)
{
	(void)state;
	uint8_t b[512];
	size_t n;
	tp_status st;
	tp_pkt *p = quoted(client_hello_hex, b, sizeof b, &n, &st);
	assert_int_equal(st, TP_OK);
	assert_int_equal(n, 5 + ((size_t)b[3] << 8 | b[4]));
	assert_int_equal(th_uint(p, "tls.record.content_type"), 22);
	assert_int_equal(th_uint(p, "tls.handshake.type"), 1);
	assert_int_equal(th_uint(p, "tls.handshake.version"), 0x0303);
	assert_int_equal(th_count(p, "tls.handshake.ciphersuite"), 2);
	assert_int_equal(th_uint(p, "tls.handshake.ciphersuite"), 0xc013);
	assert_int_equal(th_count(p, "tls.handshake.extension.type"), 5);
	assert_true(field_str(p, "tls.handshake.ja3",
			      "3de1b0b62905d6d2adefce901175f716"));
	assert_true(field_str(p, "tls.handshake.ja3_full",
			      "771,49171-255,11-10-35-13-15,14-13-25-11-12-24-9-"
			      "10-22-23-8-6-7-20-21-4-5-18-19-1-2-3-15-16-17,"
			      "0-1-2"));
	/* no SNI, 2 ciphers, 5 extensions, no ALPN */
	const tp_field *j = th_field(p, "tls.handshake.ja4");
	assert_non_null(j);
	assert_int_equal(j->vlen, 36);
	assert_memory_equal(j->v.p, "t12i020500_", 11);
}

/* The server's flight: four records of a message each, dissected one
 * by one as the stream layer cuts them. */
static void test_tls_server_flight(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n = unhex(server_flight_hex, b, sizeof b);
	unsigned types = 0, certs = 0, records = 0;
	bool ja3s = false, curve = false, cipher = false;
	for (size_t off = 0; off + 5 <= n; records++) {
		size_t len = 5 + ((size_t)b[off + 3] << 8 | b[off + 4]);
		assert_true(off + len <= n);
		tp_status st;
		tp_next nx;
		tp_pkt *p = th_dissect_quoted(tls(), b + off, len, &nx, &st);
		assert_int_equal(st, TP_OK);
		types += (unsigned)th_count(p, "tls.handshake.type");
		certs += (unsigned)th_count(p, "tls.handshake.certificate");
		ja3s |= field_str(p, "tls.handshake.ja3s",
				  "f1d5536ea75fda54c1ec80201329249b");
		curve |= th_count(p, "tls.handshake.server_named_curve") &&
			 th_uint(p, "tls.handshake.server_named_curve") == 23;
		cipher |= th_count(p, "tls.handshake.ciphersuite") &&
			  th_uint(p, "tls.handshake.ciphersuite") == 0xc013;
		off += len;
	}
	assert_int_equal(records, 4);
	assert_int_equal(types, 4);
	assert_int_equal(certs, 1);
	assert_true(ja3s && curve && cipher);
}

/* SSLv2-compatible ClientHello: tshark's record version 0x0002. */
static void test_tls_sslv2(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n;
	tp_status st;
	tp_pkt *p = quoted(sslv2_hello_hex, b, sizeof b, &n, &st);
	assert_int_equal(st, TP_OK);
	assert_int_equal(th_uint(p, "tls.record.length") + 2, n);
	assert_int_equal(th_uint(p, "tls.record.version"), 2);
	assert_int_equal(th_uint(p, "tls.handshake.type"), 1);
	assert_true(th_count(p, "tls.handshake.cipherspec") > 0);
}

/* Every truncation of both: never a field past the bytes; TRUNCATED
 * below the end.  Bumped record and message lengths: no crash, never
 * OK with fields past the bytes. */
static void cut_and_bump(const char *hex)
{
	uint8_t b[1024];
	size_t n = unhex(hex, b, sizeof b);
	for (size_t k = 1; k < n; k++) {
		uint8_t *g = th_guarded(b, k);
		tp_status st;
		tp_next nx;
		tp_pkt *p = th_dissect_quoted(tls(), g, k, &nx, &st);
		/* cut short below the first record's end, whole from it
		 * (the next record is the next layer's: this call dissects
		 * one) */
		size_t first = 5 + ((size_t)b[3] << 8 | b[4]);
		if ((st == TP_OK) != (k >= first))
			fail_msg("k %zu of %zu: status %d", k, n, (int)st);
		for (unsigned i = 0; i < p->nfields; i++)
			if (!(p->fields[i].off + p->fields[i].len <= k ||
			      p->fields[i].src != 0))
				fail_msg("k %zu: %s at %u+%u", k,
					 p->fields[i].def->abbrev,
					 p->fields[i].off, p->fields[i].len);
		th_guarded_free(g, k);
	}
	static const unsigned bumps[] = {1, 1000, 0xffff};
	for (size_t i = 0; i < TP_COUNT(bumps); i++) {
		for (int which = 0; which < 2; which++) {
			uint8_t c[1024];
			memcpy(c, b, n);
			if (which == 0) { /* the record's length */
				unsigned l = ((unsigned)c[3] << 8 | c[4]) + bumps[i];
				c[3] = (uint8_t)(l >> 8), c[4] = (uint8_t)l;
			} else { /* the first message's length */
				unsigned l = ((unsigned)c[7] << 8 | c[8]) + bumps[i];
				c[6] = (uint8_t)(l >> 16), c[7] = (uint8_t)(l >> 8),
				c[8] = (uint8_t)l;
			}
			uint8_t *g = th_guarded(c, n);
			tp_status st;
			tp_next nx;
			tp_pkt *p = th_dissect_quoted(tls(), g, n, &nx, &st);
			for (unsigned f = 0; f < p->nfields; f++)
				assert_true(p->fields[f].off + p->fields[f].len <= n ||
					    p->fields[f].src != 0);
			th_guarded_free(g, n);
		}
	}
}

static void test_tls_hostile(void **state)
{
	(void)state;
	cut_and_bump(client_hello_hex);
	cut_and_bump(server_flight_hex);
	cut_and_bump(ext_hello_hex);
}

/* The extensions that were bytes before: each one's fields, as tshark
 * 4.0 shows them for tests/tls-crafted.py's ClientHello. */
static void test_tls_hello_extensions(void **state)
{
	(void)state;
	uint8_t b[512];
	tp_pkt *p = quoted_ok(ext_hello_hex, b, sizeof b);
	assert_false(th_has_event(p, "tls.handshake.extension.bad"));
	/* (field, how many, the first's value or 0 for any) */
	static const struct {
		const char *f;
		int count;
		uint64_t first;
	} want[] = {
		{"tls.handshake.extension.type", 22, 0x0a0a},
		/* status_request; status_request_v2's ocsp_multi item */
		{"tls.handshake.extensions_status_request_type", 2, 1},
		{"tls.handshake.extensions_status_request_list_len", 1, 7},
		{"tls.handshake.extensions_status_request_len", 1, 4},
		{"tls.handshake.extensions_status_request_exts_len", 2, 0},
		{"tls.handshake.extension.heartbeat.mode", 1, 1},
		{"tls.compress_certificate.algorithms_length", 1, 6},
		{"tls.compress_certificate.algorithm", 3, 1},
		{"tls.record_size_limit", 1, 16385},
		/* signature_algorithms then signature_algorithms_cert */
		{"tls.handshake.sig_hash_alg", 4, 0x0403},
		{"tls.handshake.dnames_len", 1, 20},
		{"tls.handshake.dname_len", 2, 14},
		{"tls.handshake.extensions_alps_len", 1, 12},
		{"tls.handshake.extensions_alps_alpn_str", 2, 0},
		{"tls.handshake.extensions.psk.identities.length", 1, 25},
		{"tls.handshake.extensions.psk.identity.identity", 2, 0},
		{"tls.handshake.extensions.psk.identity.obfuscated_ticket_age", 2,
		 123456},
		{"tls.handshake.extensions.psk.binders_len", 1, 66},
		{"tls.handshake.extensions.psk.binders", 1, 0},
		/* ECH (0xfe0d, unnamed in tshark 4.0) twice, the session
		 * ticket: bytes */
		{"tls.handshake.extension.data", 3, 0},
	};
	for (size_t i = 0; i < TP_COUNT(want); i++) {
		if (th_count(p, want[i].f) != want[i].count)
			fail_msg("%s: %d", want[i].f, th_count(p, want[i].f));
		if (want[i].first && th_uint(p, want[i].f) != want[i].first)
			fail_msg("%s = %llu", want[i].f,
				 (unsigned long long)th_uint(p, want[i].f));
	}
	const tp_field *alps = th_field(p, "tls.handshake.extensions_alps_alpn_str");
	assert_int_equal(alps->len, 2); /* its bytes: the packet's, gone now */
	assert_memory_equal(b + alps->off, "h2", 2);
	/* JA4's signature algorithms are signature_algorithms' alone */
	const tp_field *r = th_field(p, "tls.handshake.ja4_r");
	assert_non_null(r);
	assert_true(r->vlen > 10);
	assert_memory_equal(r->v.p + r->vlen - 10, "_0403,0804", 10);
}

/* Stateless messages (no ServerHello needed): CertificateRequest (TLS
 * 1.2's shape), CertificateStatus, Finished in the clear, KeyUpdate. */
static const char cert_request_hex[] = /* types RSA, ECDSA; 2 algs; CN=A */
	"0d000019" "020140" "000404010403" "000e" "000c"
	"300a3108300606035504030c";
static const char cert_status_hex[] = "16000009" "01" "000005" "300302010a";
static const char finished_hex[] = "1400000c" "f1f1f1f1f1f1f1f1f1f1f1f1";
static const char key_update_hex[] = "18000001" "01";

/* A handshake record (TLS 1.2) around the message hex: its bytes. */
static size_t hs_record(const char *msg, uint8_t *b, size_t cap)
{
	size_t n = unhex(msg, b + 5, cap - 5);
	b[0] = 22, b[1] = 3, b[2] = 3, b[3] = (uint8_t)(n >> 8),
	b[4] = (uint8_t)n;
	return 5 + n;
}

static void test_tls_messages(void **state)
{
	(void)state;
	uint8_t b[256];
	tp_status st;
	tp_next nx;
	size_t n = hs_record(cert_request_hex, b, sizeof b);
	tp_pkt *p = th_dissect_quoted(tls(), b, n, &nx, &st);
	assert_int_equal(st, TP_OK);
	assert_int_equal(th_uint(p, "tls.handshake.cert_types_count"), 2);
	assert_int_equal(th_count(p, "tls.handshake.cert_type"), 2);
	assert_int_equal(th_count(p, "tls.handshake.sig_hash_alg"), 2);
	assert_int_equal(th_uint(p, "tls.handshake.dnames_len"), 14);
	assert_int_equal(th_uint(p, "tls.handshake.dname_len"), 12);
	assert_false(th_has_event(p, "tls.malformed.vector_length"));
	n = hs_record(cert_status_hex, b, sizeof b);
	p = th_dissect_quoted(tls(), b, n, &nx, &st);
	assert_int_equal(th_uint(p, "tls.handshake.extensions_status_request_type"), 1);
	assert_int_equal(th_uint(p, "tls.handshake.ocsp_response_len"), 5);
	n = hs_record(finished_hex, b, sizeof b);
	p = th_dissect_quoted(tls(), b, n, &nx, &st);
	const tp_field *f = th_field(p, "tls.handshake.verify_data");
	assert_non_null(f);
	assert_int_equal(f->len, 12);
	n = hs_record(key_update_hex, b, sizeof b);
	p = th_dissect_quoted(tls(), b, n, &nx, &st);
	assert_int_equal(th_uint(p, "tls.handshake.key_update.request_update"), 1);
}

/* ---- through the stream layer ------------------------------------------ */

typedef struct conv {
	th_sess s;
	uint32_t seq[2];
	uint64_t num;
	uint8_t frame[2048];
} conv;

static tp_pkt *seg(conv *c, int dir, uint8_t flags, const uint8_t *pl,
		   size_t n)
{
	size_t fl = th_tcp_frame(c->frame, dir, 40000, 443, c->seq[dir],
				 c->seq[!dir], flags, pl, n);
	c->seq[dir] += (uint32_t)n + ((flags & 0x03) ? 1 : 0);
	return th_sess_feed(&c->s, ++c->num, c->frame, fl, fl);
}

static void conv_open(conv *c)
{
	memset(c, 0, sizeof *c);
	th_sess_init(&c->s, false);
	c->seq[0] = 100, c->seq[1] = 900;
	seg(c, 0, 0x02, NULL, 0);
	seg(c, 1, 0x12, NULL, 0);
	seg(c, 0, 0x10, NULL, 0);
}

/* A ClientHello in one-byte segments: the packet of its last byte holds
 * the hello, with the JA3 of the whole one; no other packet has a TLS
 * layer with a handshake type. */
static void test_tls_split_hello(void **state)
{
	(void)state;
	uint8_t b[512];
	size_t n = unhex(client_hello_hex, b, sizeof b);
	conv c;
	conv_open(&c);
	unsigned hellos = 0;
	for (size_t i = 0; i < n; i++) {
		tp_pkt *p = seg(&c, 0, 0x18, b + i, 1);
		if (th_count(p, "tls.handshake.type")) {
			hellos++;
			assert_int_equal(i, n - 1);
			assert_true(field_str(p, "tls.handshake.ja3",
					      "3de1b0b62905d6d2adefce901175f716"));
		}
	}
	assert_int_equal(hellos, 1);
	th_sess_free(&c.s);
}

/* A connection opened in c, the ClientHello and the server's flight
 * sent: the flight's packet. */
static tp_pkt *hello_and_flight(conv *c)
{
	uint8_t ch[512], sf[1024];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	size_t ns = unhex(server_flight_hex, sf, sizeof sf);
	conv_open(c);
	seg(c, 0, 0x18, ch, nc);
	return seg(c, 1, 0x18, sf, ns);
}

/* An encrypted record over three segments: shown once, in the packet
 * that ends it, with its header's values; the two before show none. */
static void test_tls_app_data_pieces(void **state)
{
	(void)state;
	conv c;
	hello_and_flight(&c);
	static uint8_t rec[5 + 3000];
	rec[0] = 23, rec[1] = 3, rec[2] = 3, rec[3] = 3000 >> 8,
	rec[4] = 3000 & 0xff;
	memset(rec + 5, 0x5a, 3000);
	tp_pkt *p = seg(&c, 1, 0x18, rec, 1000);
	assert_int_equal(th_count(p, "tls.record.content_type"), 0);
	p = seg(&c, 1, 0x18, rec + 1000, 1000);
	assert_int_equal(th_count(p, "tls.record.content_type"), 0);
	p = seg(&c, 1, 0x18, rec + 2000, sizeof rec - 2000);
	assert_int_equal(th_count(p, "tls.record.content_type"), 1);
	assert_int_equal(th_uint(p, "tls.record.content_type"), 23);
	assert_int_equal(th_uint(p, "tls.record.length"), 3000);
	/* the session's version, from the ServerHello */
	assert_int_equal(th_uint(p, "tls.session_version"), 0x0303);
	th_sess_free(&c.s);
}

/* A lean run's hello (the one-line text reads only its SNI) with its
 * cipher-suite or session-id length bumped past the message: the skip
 * fails and stops the cursor; the walk of the extensions must end
 * there (it looped forever: fuzz_stream). */
static void test_tls_lean_bumped(void **state)
{
	(void)state;
	uint8_t ch[512];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	static const struct { size_t off, width; } at[] = {
		{43, 1}, /* session id length */
		{44, 2}, /* cipher suites length */
	};
	static const unsigned vals[] = {0xff, 0x1ff, 0xffff, 0x99, 0xa2};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++) {
			uint8_t b[512];
			memcpy(b, ch, nc);
			if (at[i].width == 1)
				b[at[i].off] = (uint8_t)vals[k];
			else
				b[at[i].off] = (uint8_t)(vals[k] >> 8),
				b[at[i].off + 1] = (uint8_t)vals[k];
			conv c;
			conv_open(&c);
			c.s.p->lean = true;
			tp_pkt *p = seg(&c, 0, 0x18, b, nc);
			assert_int_equal(th_count(p, "tls.handshake.type"), 1);
			th_sess_free(&c.s);
		}
}

/* ---- --tls: the connection's report (tls_conn.c) ---------------------- */

static tp_report got[4];
static unsigned ngot;

static void keep_report(void *ctx, const tp_report *r)
{
	(void)ctx;
	if (ngot < 4)
		got[ngot] = *r;
	ngot++;
}

static const tp_report_tap rtap = {"tls", keep_report, NULL};

/* A conversation whose run wants TLS reports (a lean run: --tls's). */
static void conv_report(conv *c)
{
	conv_open(c);
	c->s.s->reptap = &rtap;
	c->s.p->lean = true;
	ngot = 0;
}

/* The top-level item `key` of report r, or NULL. */
static const tp_ritem *ritem(const tp_report *r, const char *key)
{
	unsigned depth = 0;
	for (unsigned i = 0; i < r->n; i++) {
		const tp_ritem *it = &r->items[i];
		if (depth == 0 && it->key &&
		    strcmp(tp_rep_text(r, it->key), key) == 0)
			return it;
		if (it->kind == TP_RI_LIST || it->kind == TP_RI_OBJ)
			depth++;
		else if (it->kind == TP_RI_END)
			depth--;
	}
	return NULL;
}

static bool rstr(const tp_report *r, const char *key, const char *want)
{
	const tp_ritem *it = ritem(r, key);
	return it && it->kind == TP_RI_STR &&
	       strcmp(tp_rep_text(r, it->v.s), want) == 0;
}

static const uint8_t ccs[] = {20, 3, 3, 0, 1, 1};
static void enc_rec(uint8_t *b, uint8_t ct, size_t len)
{
	b[0] = ct, b[1] = 3, b[2] = 3, b[3] = (uint8_t)(len >> 8),
	b[4] = (uint8_t)len;
	memset(b + 5, 0xa5, len);
}

/* TLS 1.2: reported once, at the first application data, established,
 * with the hellos' values, the certificate and the ECDHE curve of
 * ServerKeyExchange; nothing before it, nothing after. */
static void test_tls_report_tls12(void **state)
{
	(void)state;
	uint8_t ch[512], sf[1024], r[64];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	size_t ns = unhex(server_flight_hex, sf, sizeof sf);
	conv c;
	conv_report(&c);
	seg(&c, 0, 0x18, ch, nc);
	seg(&c, 1, 0x18, sf, ns);
	seg(&c, 0, 0x18, ccs, sizeof ccs);
	enc_rec(r, 22, 40);
	seg(&c, 0, 0x18, r, 45);
	seg(&c, 1, 0x18, ccs, sizeof ccs);
	seg(&c, 1, 0x18, r, 45);
	assert_int_equal(ngot, 0);
	enc_rec(r, 23, 50);
	seg(&c, 0, 0x18, r, 55);
	assert_int_equal(ngot, 1);
	seg(&c, 1, 0x18, r, 55);
	th_sess_free(&c.s);
	assert_int_equal(ngot, 1);
	const tp_report *g = &got[0];
	assert_string_equal(g->proto, "tls");
	assert_true(rstr(g, "outcome", "established"));
	assert_true(rstr(g, "version", "TLS 1.2"));
	assert_true(rstr(g, "cipher", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
	assert_int_equal(ritem(g, "cipher_id")->v.u, 0xc013);
	assert_true(rstr(g, "group", "secp256r1"));
	assert_true(rstr(g, "ja3", "3de1b0b62905d6d2adefce901175f716"));
	assert_true(rstr(g, "sni", ""));
	assert_true(rstr(g, "resumed", "no"));
	const tp_ritem *cl = ritem(g, "certificates");
	assert_non_null(cl);
	assert_int_equal(cl->kind, TP_RI_LIST);
	assert_int_equal(cl[1].kind, TP_RI_OBJ); /* one certificate */
	assert_non_null(ritem(g, "duration_ms"));
	assert_int_equal(g->key.port[g->client], 40000);
	assert_int_equal(g->key.port[!g->client], 443);
}

/* A fatal alert from the server after the ClientHello: failed, at once,
 * with the alert's level, description and side. */
static void test_tls_report_alert(void **state)
{
	(void)state;
	uint8_t ch[512];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
	conv c;
	conv_report(&c);
	seg(&c, 0, 0x18, ch, nc);
	assert_int_equal(ngot, 0);
	seg(&c, 1, 0x18, alert, sizeof alert);
	assert_int_equal(ngot, 1);
	th_sess_free(&c.s);
	assert_int_equal(ngot, 1);
	assert_true(rstr(&got[0], "outcome", "failed"));
	assert_true(rstr(&got[0], "failure",
			 "Fatal alert Handshake Failure from the server"));
	assert_null(ritem(&got[0], "version")); /* no ServerHello */
}

/* A connection that ends after its ClientHello: incomplete, reported
 * when its state goes (here: the session's end). */
static void test_tls_report_incomplete(void **state)
{
	(void)state;
	uint8_t ch[512];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	conv c;
	conv_report(&c);
	seg(&c, 0, 0x18, ch, nc);
	th_sess_free(&c.s);
	assert_int_equal(ngot, 1);
	assert_true(rstr(&got[0], "outcome", "incomplete"));
	assert_true(rstr(&got[0], "failure", "no ServerHello"));
}

/* A TLS 1.3 ServerHello (supported_versions 0x0304, key_share x25519). */
static size_t sh13(uint8_t *b)
{
	static const char hex[] =
		"160303005a" "02000056" "0303"
		"1111111111111111111111111111111111111111111111111111111111111111"
		"00" "1301" "00" "002e" "002b00020304"
		"00330024001d0020"
		"2222222222222222222222222222222222222222222222222222222222222222";
	return unhex(hex, b, 128);
}

/* TLS 1.3: the client's Finished then data: established; the client's
 * only encrypted record alert-sized (19 bytes) and the end: failed,
 * an encrypted alert from the client. */
static void test_tls_report_tls13(void **state)
{
	(void)state;
	uint8_t ch[512], sh[128], r[128];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	size_t nsh = sh13(sh);
	for (int alert = 0; alert < 2; alert++) {
		conv c;
		conv_report(&c);
		seg(&c, 0, 0x18, ch, nc);
		seg(&c, 1, 0x18, sh, nsh);
		enc_rec(r, 23, 100);
		seg(&c, 1, 0x18, r, 105); /* EncryptedExtensions ... */
		seg(&c, 0, 0x18, ccs, sizeof ccs);
		enc_rec(r, 23, alert ? 19 : 53);
		seg(&c, 0, 0x18, r, 5 + (alert ? 19 : 53));
		assert_int_equal(ngot, 0);
		if (!alert) {
			enc_rec(r, 23, 80);
			seg(&c, 0, 0x18, r, 85);
			assert_int_equal(ngot, 1);
		}
		th_sess_free(&c.s);
		assert_int_equal(ngot, 1);
		assert_true(rstr(&got[0], "version", "TLS 1.3"));
		assert_true(rstr(&got[0], "cipher", "TLS_AES_128_GCM_SHA256"));
		assert_true(rstr(&got[0], "group", "x25519"));
		assert_true(rstr(&got[0], "outcome",
				 alert ? "failed" : "established"));
		if (alert)
			assert_true(rstr(&got[0], "failure",
					 "encrypted alert from the client"));
		assert_true(ritem(&got[0], "certificates_encrypted")->v.u);
	}
}

/* A capture that begins after the SYN with a packet of the server: the
 * flow takes the server for the client; the report does not (the
 * ClientHello's sender is), nor do its alert's sides. */
static void test_tls_report_sides(void **state)
{
	(void)state;
	uint8_t ch[512];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
	conv c;
	memset(&c, 0, sizeof c);
	th_sess_init(&c.s, false);
	c.s.s->reptap = &rtap;
	c.s.p->lean = true;
	ngot = 0;
	c.seq[0] = 100, c.seq[1] = 900;
	seg(&c, 1, 0x10, NULL, 0); /* the server's ACK, first */
	seg(&c, 0, 0x18, ch, nc);
	seg(&c, 1, 0x18, alert, sizeof alert);
	th_sess_free(&c.s);
	assert_int_equal(ngot, 1);
	const tp_report *g = &got[0];
	assert_int_equal(g->key.port[g->client], 40000);
	assert_int_equal(g->key.port[!g->client], 443);
	assert_true(rstr(g, "failure",
			 "Fatal alert Handshake Failure from the server"));
}

/* The server's flight cut at every length after a whole ClientHello, in
 * a run that wants reports: never a crash, one report each. */
static void test_tls_report_cut(void **state)
{
	(void)state;
	uint8_t ch[512], sf[1024];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	size_t ns = unhex(server_flight_hex, sf, sizeof sf);
	for (size_t k = 0; k <= ns; k += 7) {
		conv c;
		conv_report(&c);
		seg(&c, 0, 0x18, ch, nc);
		seg(&c, 1, 0x18, sf, k);
		th_sess_free(&c.s);
		assert_int_equal(ngot, 1);
	}
}

/* A TLS 1.2 (or `ver`) ServerHello choosing `cs`, no extensions. */
static size_t server_hello(uint16_t cs, uint16_t ver, uint8_t *b)
{
	static const uint8_t head[] = {22, 3, 3, 0, 42, 2, 0, 0, 38};
	memcpy(b, head, sizeof head);
	size_t n = sizeof head;
	b[n++] = (uint8_t)(ver >> 8), b[n++] = (uint8_t)ver;
	memset(b + n, 0x42, 32), n += 32;
	b[n++] = 0; /* session id */
	b[n++] = (uint8_t)(cs >> 8), b[n++] = (uint8_t)cs;
	b[n++] = 0; /* compression */
	return n;
}

/* A connection whose ServerHello chose `cs` (version `ver`), then the
 * handshake message `msg` (m bytes) in a record from `dir`: that
 * segment's packet (the conversation stays open in c). */
static tp_pkt *after_hello(conv *c, uint16_t cs, uint16_t ver, int dir,
			   const uint8_t *msg, size_t m)
{
	uint8_t ch[512], sh[64], rec[1024];
	size_t nc = unhex(client_hello_hex, ch, sizeof ch);
	conv_open(c);
	seg(c, 0, 0x18, ch, nc);
	seg(c, 1, 0x18, sh, server_hello(cs, ver, sh));
	assert_true(m + 5 <= sizeof rec);
	rec[0] = 22, rec[1] = 3, rec[2] = 3, rec[3] = (uint8_t)(m >> 8),
	rec[4] = (uint8_t)m;
	memcpy(rec + 5, msg, m);
	return seg(c, dir, 0x18, rec, 5 + m);
}

/* Key exchange messages: (suite, direction, message) and what shows. */
static const struct kex_case {
	uint16_t cs, ver;
	int dir;
	const char *hex, *field;
	uint64_t want;
	const char *none; /* a field that must not be there */
} kex_cases[] = {
	/* ECDHE_RSA: curve type, x25519, a 4-byte point, rsa_pkcs1_sha256 */
	{0xc02f, 0x0303, 1, "0c00000e" "03001d" "0401020304" "0401" "0002aabb",
	 "tls.handshake.server_named_curve", 0x1d, NULL},
	{0xc02f, 0x0303, 0, "10000005" "0401020304",
	 "tls.handshake.client_point_len", 4, "tls.handshake.yc_len"},
	/* DHE_RSA in TLS 1.2: p, g, Ys, algorithm, signature */
	{0x0033, 0x0303, 1,
	 "0c000015" "0004fbfbfbfb" "000102" "00045e5e5e5e" "0601" "00025151",
	 "tls.handshake.p_len", 4, NULL},
	/* ... in TLS 1.0: no algorithm */
	{0x0033, 0x0301, 1,
	 "0c000013" "0004fbfbfbfb" "000102" "00045e5e5e5e" "00025151",
	 "tls.handshake.sig_len", 2, "tls.handshake.sig_hash_alg"},
	{0x0033, 0x0303, 0, "10000006" "0004c1c1c1c1", "tls.handshake.yc_len",
	 4, "tls.handshake.client_point_len"},
	/* RSA: the encrypted pre-master secret; SSL 3.0's has no length */
	{0x002f, 0x0303, 0, "10000006" "0004e9e9e9e9", "tls.handshake.epms_len",
	 4, NULL},
	{0x0003, 0x0300, 0, "10000004" "e9e9e9e9", "tls.handshake.epms", 0,
	 "tls.handshake.epms_len"},
	/* RSA export: modulus, exponent, signature */
	{0x0003, 0x0303, 1,
	 "0c000011" "0004a5a5a5a5" "0003010001" "0201" "00025b5b",
	 "tls.handshake.exponent_len", 3, NULL},
	/* PSK: a hint filling the message, the client's identity */
	{0x008c, 0x0303, 1, "0c000006" "000468696e74",
	 "tls.handshake.hint_len", 4, NULL},
	{0x008c, 0x0303, 0, "10000004" "00026964", "tls.handshake.identity_len",
	 2, NULL},
	/* CertificateVerify: algorithm, signature */
	{0x0033, 0x0303, 0, "0f000006" "0804" "0002cfcf",
	 "tls.handshake.client_cert_vrfy.sig_len", 2, NULL},
	/* TLS 1.3 suite: no ServerKeyExchange shape */
	{0x1301, 0x0303, 1, "0c000005" "03001d0000", "tls.handshake.type", 12,
	 "tls.handshake.server_curve_type"},
};

static void test_tls_kex(void **state)
{
	(void)state;
	for (size_t i = 0; i < TP_COUNT(kex_cases); i++) {
		const struct kex_case *k = &kex_cases[i];
		uint8_t m[256];
		size_t n = unhex(k->hex, m, sizeof m);
		conv c;
		tp_pkt *p = after_hello(&c, k->cs, k->ver, k->dir, m, n);
		if (!th_count(p, k->field))
			fail_msg("case %zu: no %s", i, k->field);
		if (k->want && th_uint(p, k->field) != k->want)
			fail_msg("case %zu: %s %llu", i, k->field,
				 (unsigned long long)th_uint(p, k->field));
		if (k->none && th_count(p, k->none))
			fail_msg("case %zu: %s there", i, k->none);
		if (th_has_event(p, "tls.malformed.vector_length"))
			fail_msg("case %zu: malformed", i);
		th_sess_free(&c.s);
	}
	/* the ECDHE ServerKeyExchange of a real flight, by its suite */
	conv c;
	tp_pkt *p = hello_and_flight(&c);
	assert_int_equal(th_uint(p, "tls.handshake.server_curve_type"), 3);
	assert_int_equal(th_uint(p, "tls.handshake.server_named_curve"), 23);
	assert_int_equal(th_uint(p, "tls.handshake.server_point_len"), 65);
	assert_int_equal(th_uint(p, "tls.handshake.sig_hash_alg"), 0x0601);
	assert_int_equal(th_uint(p, "tls.handshake.sig_len"), 128);
	th_sess_free(&c.s);
}

/* Every field inside the bytes of its data source. */
static void check_inside(const tp_pkt *p, const char *what, size_t k)
{
	for (unsigned f = 0; f < p->nfields; f++) {
		const tp_field *x = &p->fields[f];
		size_t sn = 0;
		if (!tp_src_bytes(p, x->src, &sn) || x->off + x->len > sn)
			fail_msg("%s at %zu: %s at %u+%u past %zu", what, k,
				 x->def->abbrev, x->off, x->len, sn);
	}
}

/* Every key exchange message cut at every length inside (its record and
 * message lengths saying so: a whole message whose vectors run past
 * it): no field past the bytes, tshark's tls.malformed.vector_length
 * event each time; every byte of it bumped: no field past the bytes. */
static void test_tls_kex_hostile(void **state)
{
	(void)state;
	for (size_t i = 0; i < TP_COUNT(kex_cases); i++) {
		const struct kex_case *kc = &kex_cases[i];
		uint8_t m[256], cut[256];
		size_t n = unhex(kc->hex, m, sizeof m);
		/* a TLS 1.3 suite reads nothing; SSL 3.0's EPMS is the whole
		 * body; a PSK hint not filling its message is not read */
		bool reads = kc->cs != 0x1301 &&
			     !(kc->ver == 0x0300 && kc->dir == 0) &&
			     !(kc->cs == 0x008c && kc->dir == 1);
		for (size_t k = 4; k < n; k++) {
			memcpy(cut, m, k);
			size_t body = k - 4;
			cut[1] = 0, cut[2] = (uint8_t)(body >> 8),
			cut[3] = (uint8_t)body;
			conv c;
			tp_pkt *p = after_hello(&c, kc->cs, kc->ver, kc->dir, cut, k);
			check_inside(p, kc->hex, k);
			if (reads && !th_has_event(p, "tls.malformed.vector_length"))
				fail_msg("case %zu cut at %zu: no event", i, k);
			th_sess_free(&c.s);
		}
		static const unsigned bumps[] = {1, 0x80, 0xff};
		for (size_t j = 4; j < n; j++)
			for (size_t b = 0; b < TP_COUNT(bumps); b++) {
				memcpy(cut, m, n);
				cut[j] = (uint8_t)(cut[j] + bumps[b]);
				conv c;
				tp_pkt *p = after_hello(&c, kc->cs, kc->ver,
							kc->dir, cut, n);
				check_inside(p, kc->hex, j);
				th_sess_free(&c.s);
			}
	}
}

/* The messages after the hellos without state, cut and bumped as the
 * hellos are. */
static void test_tls_messages_hostile(void **state)
{
	(void)state;
	static const char *const msgs[] = {cert_request_hex, cert_status_hex,
					   finished_hex, key_update_hex};
	for (size_t i = 0; i < TP_COUNT(msgs); i++) {
		uint8_t b[256];
		size_t n = hs_record(msgs[i], b, sizeof b);
		char hex[600];
		for (size_t k = 0; k < n; k++)
			snprintf(hex + 2 * k, 3, "%02x", b[k]);
		cut_and_bump(hex);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls_client_hello),
		cmocka_unit_test(test_tls_server_flight),
		cmocka_unit_test(test_tls_sslv2),
		cmocka_unit_test(test_tls_hostile),
		cmocka_unit_test(test_tls_split_hello),
		cmocka_unit_test(test_tls_app_data_pieces),
		cmocka_unit_test(test_tls_lean_bumped),
		cmocka_unit_test(test_tls_report_tls12),
		cmocka_unit_test(test_tls_report_alert),
		cmocka_unit_test(test_tls_report_incomplete),
		cmocka_unit_test(test_tls_report_tls13),
		cmocka_unit_test(test_tls_report_cut),
		cmocka_unit_test(test_tls_report_sides),
		cmocka_unit_test(test_tls_hello_extensions),
		cmocka_unit_test(test_tls_messages),
		cmocka_unit_test(test_tls_kex),
		cmocka_unit_test(test_tls_kex_hostile),
		cmocka_unit_test(test_tls_messages_hostile),
	};
	tp_registry_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
