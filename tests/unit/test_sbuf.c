/* test_sbuf.c - text building and value formatting. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"

static void test_sbuf_numbers_and_bounds(void **state)
{
	(void)state;
	char b[8];
	tp_sbuf s;
	tp_sb_init(&s, b, sizeof b);
	tp_sb_dec(&s, 1234567);
	assert_string_equal(tp_sb_cstr(&s), "1234567");
	assert_false(s.trunc);
	tp_sb_putc(&s, 'x'); /* no room: dropped, flagged */
	assert_true(s.trunc);
	assert_string_equal(tp_sb_cstr(&s), "1234567");
	tp_sb_init(&s, b, sizeof b);
	tp_sb_printf(&s, "%s", "0123456789");
	assert_true(s.trunc);
	assert_int_equal(strlen(tp_sb_cstr(&s)), 7);
	char big[64];
	tp_sb_init(&s, big, sizeof big);
	tp_sb_sdec(&s, -42);
	tp_sb_putc(&s, ' ');
	tp_sb_dec(&s, 18446744073709551615ull);
	tp_sb_putc(&s, ' ');
	tp_sb_hex(&s, 0x12, 4);
	tp_sb_putc(&s, ' ');
	tp_sb_hex(&s, 0, 1);
	assert_string_equal(tp_sb_cstr(&s), "-42 18446744073709551615 0012 0");
}

/* Decimal and dotted-quad text equal printf's and inet_ntop's for every
 * digit count (each power of ten and its neighbours, 64-bit ones too),
 * and at every buffer size the text is printf's cut short, flagged. */
static void test_sbuf_dec_ipv4_every_width(void **state)
{
	(void)state;
	uint64_t vals[64 * 3 + 2];
	size_t nv = 0;
	vals[nv++] = 0;
	vals[nv++] = UINT64_MAX;
	for (uint64_t p = 1; nv + 3 <= TP_COUNT(vals); p *= 10) {
		vals[nv++] = p - 1, vals[nv++] = p, vals[nv++] = p + 1;
		if (p > UINT64_MAX / 10)
			break;
	}
	for (size_t i = 0; i < nv; i++) {
		char want[32], got[32];
		int n = snprintf(want, sizeof want, "%llu",
				 (unsigned long long)vals[i]);
		for (size_t cap = 1; cap <= (size_t)n + 2; cap++) {
			tp_sbuf s;
			tp_sb_init(&s, got, cap);
			tp_sb_dec(&s, vals[i]);
			size_t keep = cap - 1 < (size_t)n ? cap - 1 : (size_t)n;
			assert_int_equal(s.len, keep);
			assert_memory_equal(got, want, keep);
			assert_int_equal(s.trunc, keep < (size_t)n);
		}
	}
	const uint8_t addrs[][4] = {{0, 0, 0, 0},	  {255, 255, 255, 255},
				    {10, 99, 0, 1},	  {9, 10, 99, 100},
				    {192, 168, 101, 7}, {1, 200, 20, 2}};
	for (size_t i = 0; i < TP_COUNT(addrs); i++) {
		char want[INET_ADDRSTRLEN], got[32];
		assert_non_null(inet_ntop(AF_INET, addrs[i], want, sizeof want));
		size_t n = strlen(want);
		for (size_t cap = 1; cap <= sizeof got; cap++) {
			tp_sbuf s;
			tp_sb_init(&s, got, cap);
			tp_sb_ipv4(&s, addrs[i]);
			size_t keep = cap - 1 < n ? cap - 1 : n;
			assert_int_equal(s.len, keep);
			assert_memory_equal(got, want, keep);
			assert_int_equal(s.trunc, keep < n);
		}
	}
	/* fractions: "." and n zero-padded digits, every n and buffer size */
	for (unsigned n = 1; n <= 9; n++) {
		const uint32_t fv[] = {0, 7, 50, 999999999u};
		for (size_t k = 0; k < TP_COUNT(fv); k++) {
			uint32_t lim = 1;
			for (unsigned j = 0; j < n; j++)
				lim *= 10;
			uint32_t v = fv[k] % lim;
			char want[16], got[16];
			int wn = snprintf(want, sizeof want, ".%0*u", (int)n, v);
			for (size_t cap = 1; cap <= (size_t)wn + 2; cap++) {
				tp_sbuf s;
				tp_sb_init(&s, got, cap);
				tp_sb_frac(&s, v, n);
				size_t keep = cap - 1 < (size_t)wn ? cap - 1 : (size_t)wn;
				assert_int_equal(s.len, keep);
				assert_memory_equal(got, want, keep);
				assert_int_equal(s.trunc, keep < (size_t)wn);
			}
		}
	}
	/* tp_sb_put: every length to 40 (its word copies) after every
	 * offset, at every buffer size */
	const char src[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";
	for (size_t pre = 0; pre < 3; pre++)
		for (size_t n = 0; n <= 40; n++)
			for (size_t cap = 1; cap <= pre + n + 3; cap++) {
				char got[64], want[64];
				memset(got, '#', sizeof got);
				tp_sbuf s;
				tp_sb_init(&s, got, cap);
				tp_sb_put(&s, "xyz", pre);
				tp_sb_put(&s, src, n);
				size_t total = pre + n;
				size_t keep = cap - 1 < total ? cap - 1 : total;
				memcpy(want, "xyz", pre);
				memcpy(want + pre, src, n);
				assert_int_equal(s.len, keep);
				assert_memory_equal(got, want, keep);
				assert_int_equal(s.trunc, keep < total);
				assert_int_equal(got[cap], '#'); /* nothing past */
			}
	/* hex bytes, with and without a separator, every buffer size */
	const uint8_t hb[5] = {0x00, 0x1f, 0xa0, 0xff, 0x7e};
	const char *const hwant[2] = {"001fa0ff7e", "00:1f:a0:ff:7e"};
	for (int sep = 0; sep < 2; sep++) {
		size_t hn = strlen(hwant[sep]);
		for (size_t cap = 1; cap <= hn + 4; cap++) {
			char got[32];
			tp_sbuf s;
			tp_sb_init(&s, got, cap);
			tp_sb_hexbytes(&s, hb, sizeof hb, sep ? ':' : 0);
			size_t keep = cap - 1 < hn ? cap - 1 : hn;
			assert_int_equal(s.len, keep);
			assert_memory_equal(got, hwant[sep], keep);
			assert_int_equal(s.trunc, keep < hn);
		}
	}
	const uint8_t a6[16] = {0xfd, 0, 0, 0x98, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xab, 0xcd};
	char want6[INET6_ADDRSTRLEN], got6[64];
	assert_non_null(inet_ntop(AF_INET6, a6, want6, sizeof want6));
	size_t n6 = strlen(want6);
	for (size_t cap = 1; cap <= sizeof got6; cap++) {
		tp_sbuf s;
		tp_sb_init(&s, got6, cap);
		tp_sb_ipv6(&s, a6);
		size_t keep = cap - 1 < n6 ? cap - 1 : n6;
		assert_int_equal(s.len, keep);
		assert_memory_equal(got6, want6, keep);
		assert_int_equal(s.trunc, keep < n6);
	}
}

/* IPv6 text must equal inet_ntop's for every zero-run shape. */
static void test_sbuf_ipv6_matches_inet_ntop(void **state)
{
	(void)state;
	for (unsigned mask = 0; mask < 256; mask++) {
		for (int v4 = 0; v4 < 2; v4++) {
			uint8_t a[16];
			for (int g = 0; g < 8; g++) {
				uint16_t val = (mask >> g & 1) ? (uint16_t)(0x100 * g + 1) : 0;
				a[2 * g] = (uint8_t)(val >> 8);
				a[2 * g + 1] = (uint8_t)val;
			}
			if (v4) { /* ::ffff:a.b.c.d shapes */
				memset(a, 0, 10);
				a[10] = a[11] = 0xff;
			}
			char want[64], got[64];
			assert_non_null(inet_ntop(AF_INET6, a, want, sizeof want));
			tp_sbuf s;
			tp_sb_init(&s, got, sizeof got);
			tp_sb_ipv6(&s, a);
			assert_string_equal(tp_sb_cstr(&s), want);
		}
	}
}

static void test_sbuf_format_value(void **state)
{
	(void)state;
	static const tp_field_def hex16 = {"x.h", "H", TP_FT_UINT16, TP_BASE_HEX, NULL, 0};
	static const tp_field_def hex8 = {"x.g", "G", TP_FT_UINT8, TP_BASE_HEX, NULL, 0};
	static const tp_field_def mac = {"x.m", "M", TP_FT_ETHER, 0, NULL, 0};
	static const tp_field_def str = {"x.s", "S", TP_FT_STRING, 0, NULL, 0};
	static const tp_field_def t = {"x.t", "T", TP_FT_ABSOLUTE_TIME, 0, NULL, 0};
	static const uint8_t m[6] = {0x02, 0, 0, 0, 0x99, 0xab};
	char b[128];
	tp_sbuf s;
	tp_field f = {.def = &hex16, .v.u = 0x12};
	tp_sb_init(&s, b, sizeof b);
	tp_format_value(&s, &f);
	tp_sb_putc(&s, ' ');
	f.def = &hex8;
	f.v.u = 2;
	tp_format_value(&s, &f);
	tp_sb_putc(&s, ' ');
	f.def = &mac;
	f.v.p = m;
	f.vlen = 6;
	tp_format_value(&s, &f);
	tp_sb_putc(&s, ' ');
	f.def = &str;
	f.v.p = (const uint8_t *)"a\r\n\x01";
	f.vlen = 4;
	tp_format_value(&s, &f);
	tp_sb_putc(&s, ' ');
	f.def = &t;
	f.v.u = 1795248806136816000ull;
	tp_format_value(&s, &f);
	assert_string_equal(tp_sb_cstr(&s), "0x0012 0x02 02:00:00:00:99:ab "
					    "a\\r\\n\\x01 1795248806.136816000");
}

/* -N: endpoints printed by name, each address looked up once (the
 * cache), numeric without a name or without -N.  A fake resolver: the
 * test never sends a query. */
static int lookups;

static bool fake_lookup(unsigned family, const uint8_t *x, char *name,
			size_t len)
{
	lookups++;
	if (family == 4 && x[0] == 127) {
		snprintf(name, len, "loopback-%u", x[3]);
		return true;
	}
	return false;
}

static void test_sbuf_addr_resolution(void **state)
{
	(void)state;
	static const uint8_t lo[4] = {127, 0, 0, 1}, doc[4] = {192, 0, 2, 1};
	tp_netaddr a = {4, 6, 0, lo, doc};
	char b[128];
	tp_sbuf s;
	tp_resolve_backend(fake_lookup);
	tp_resolve_names(false);
	tp_sb_init(&s, b, sizeof b);
	tp_sb_addr(&s, &a, true);
	assert_string_equal(tp_sb_cstr(&s), "127.0.0.1");
	assert_int_equal(lookups, 0);
	tp_resolve_names(true);
	for (int i = 0; i < 3; i++) {
		tp_sb_init(&s, b, sizeof b);
		tp_sb_addr(&s, &a, true);
		tp_sb_putc(&s, ' ');
		tp_sb_addr(&s, &a, false);
		assert_string_equal(tp_sb_cstr(&s), "loopback-1 192.0.2.1");
	}
	assert_int_equal(lookups, 2); /* once per address, then cached */
	tp_resolve_names(false);
	tp_resolve_backend(NULL);
}

/* tcpdump's ethertype text, one copy for eth and the VLAN tags: named,
 * unnamed, without the hex, and cut at a small buffer. */
static void test_sbuf_ethertype(void **state)
{
	(void)state;
	char b[64];
	tp_sbuf s;
	tp_sb_init(&s, b, sizeof b);
	tp_sb_ethertype(&s, 0x0800, true);
	assert_string_equal(tp_sb_cstr(&s), "ethertype IPv4 (0x0800), ");
	tp_sb_init(&s, b, sizeof b);
	tp_sb_ethertype(&s, 0x86dd, false);
	assert_string_equal(tp_sb_cstr(&s), "ethertype IPv6, ");
	tp_sb_init(&s, b, sizeof b);
	tp_sb_ethertype(&s, 0x1234, true);
	assert_string_equal(tp_sb_cstr(&s), "ethertype Unknown (0x1234), ");
	char small[12];
	tp_sb_init(&s, small, sizeof small);
	tp_sb_ethertype(&s, 0x0800, true);
	assert_true(s.trunc);
	assert_string_equal(tp_sb_cstr(&s), "ethertype I");
}

/* tp_sb_json_chars against a byte-at-a-time reference: every byte value
 * at every place of a 16-byte run of plain text (the eight-at-a-time
 * test must see each), random bytes and random UTF-8, written in a
 * buffer with room (the direct path) and in one that is just big
 * enough (the careful path): the same text. */
static size_t ref_utf8(const uint8_t *b, size_t n)
{
	uint8_t c = b[0];
	size_t k = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2
		   : 0;
	if (c >= 0xf5 || !k || n < k)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((b[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && b[1] < 0xa0) || (c == 0xed && b[1] >= 0xa0) ||
	    (c == 0xf0 && b[1] < 0x90) || (c == 0xf4 && b[1] >= 0x90))
		return 0;
	return k;
}

static size_t ref_json(char *d, const uint8_t *b, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint8_t c = b[i];
		size_t k = c >= 0x80 ? ref_utf8(b + i, n - i) : 0;
		if (k) {
			memcpy(d + o, b + i, k);
			o += k, i += k;
		} else if (c == '"' || c == '\\') {
			d[o++] = '\\', d[o++] = (char)c, i++;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			d[o++] = '\\';
			d[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			i++;
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)sprintf(d + o, "\\u%04x", c);
			i++;
		} else {
			d[o++] = (char)c, i++;
		}
	}
	return o;
}

static void json_same(const uint8_t *b, size_t n)
{
	static char want[6 * 512 + 8], big[6 * 512 + 64], tight[6 * 512 + 8];
	size_t wn = ref_json(want, b, n);
	tp_sbuf s;
	tp_sb_init(&s, big, sizeof big);
	tp_sb_json_chars(&s, b, n);
	assert_int_equal(s.len, wn);
	assert_memory_equal(big, want, wn);
	tp_sb_init(&s, tight, wn + 1); /* no room for the worst case */
	tp_sb_json_chars(&s, b, n);
	assert_int_equal(s.len, wn);
	assert_false(s.trunc);
	assert_memory_equal(tight, want, wn);
}

static void test_sbuf_json_chars(void **state)
{
	(void)state;
	uint8_t b[512];
	for (unsigned pos = 0; pos < 16; pos++)
		for (unsigned c = 0; c < 256; c++) {
			memset(b, 'a', 16);
			b[pos] = (uint8_t)c;
			json_same(b, 16);
		}
	uint32_t x = 12345;
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(round % 300);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			uint8_t r = (uint8_t)(x >> 16);
			/* half the rounds mostly text with some UTF-8 */
			if (round & 1)
				r = (x >> 8) % 8 ? (uint8_t)(0x20 + r % 0x5f)
				    : (x >> 12) % 2 ? 0xc3 : (uint8_t)(0x80 | (r & 0x3f));
			b[i] = r;
		}
		json_same(b, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbuf_numbers_and_bounds),
		cmocka_unit_test(test_sbuf_dec_ipv4_every_width),
		cmocka_unit_test(test_sbuf_ipv6_matches_inet_ntop),
		cmocka_unit_test(test_sbuf_format_value),
		cmocka_unit_test(test_sbuf_addr_resolution),
		cmocka_unit_test(test_sbuf_ethertype),
		cmocka_unit_test(test_sbuf_json_chars),
	};
	return cmocka_run_group_tests_name("sbuf", tests, NULL, NULL);
}
