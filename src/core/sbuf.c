/* sbuf.c - bounded text building with hand-written number and address
 * formatters (the print path avoids printf), and field value formatting
 * shared by every output. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tapir/output.h"
#include "tapir/pipeline.h"

void tp_sb_init(tp_sbuf *s, char *buf, size_t cap)
{
	s->buf = buf;
	s->len = 0;
	s->cap = cap;
	s->trunc = false;
	if (cap)
		buf[0] = '\0';
}

/* Two digits a step (half the divisions): ports, lengths and sequence
 * numbers are most of what the one-line output prints. */
static const char digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* "." and `n` digits of v (v < 10^n, n <= 9), zero-padded, two a step:
 * the fraction of a second on every line. */
void tp_sb_frac(tp_sbuf *s, uint32_t v, unsigned n)
{
	char t[10];
	/* straight into the buffer when it has room (every line has) */
	bool direct = s->len + n + 1 < s->cap;
	char *d = direct ? s->buf + s->len : t;
	d[0] = '.';
	unsigned i = n;
	for (; i >= 2; i -= 2) {
		unsigned r = v % 100;
		v /= 100;
		memcpy(d + i - 1, digits2 + 2 * r, 2);
	}
	if (i == 1)
		d[1] = (char)('0' + v % 10);
	if (direct)
		s->len += n + 1;
	else
		tp_sb_put(s, t, n + 1);
}

void tp_sb_frac9(tp_sbuf *s, uint64_t ns)
{
	tp_sb_frac(s, (uint32_t)(ns % 1000000000u), 9);
}

void tp_sb_dec2(tp_sbuf *s, unsigned v)
{
	tp_sb_put(s, digits2 + 2 * (v % 100), 2);
}

/* The digits of v, written backwards ending at `end`. */
static char *dec_back(char *end, uint64_t v)
{
	while (v > UINT32_MAX) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		end -= 2;
		memcpy(end, digits2 + 2 * r, 2);
	}
	uint32_t x = (uint32_t)v; /* 32-bit divisions from here */
	while (x >= 100) {
		unsigned r = x % 100;
		x /= 100;
		end -= 2;
		memcpy(end, digits2 + 2 * r, 2);
	}
	if (x >= 10) {
		end -= 2;
		memcpy(end, digits2 + 2 * x, 2);
	} else {
		*--end = (char)('0' + x);
	}
	return end;
}

/* Digits of v >= 1: log10 from the bit length (1233/4096 ~ log10 2),
 * then one comparison. */
static unsigned ndigits(uint64_t v)
{
	static const uint64_t pow10[20] = {
		1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
		10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
		100000000000ull, 1000000000000ull, 10000000000000ull,
		100000000000000ull, 1000000000000000ull, 10000000000000000ull,
		100000000000000000ull, 1000000000000000000ull,
		10000000000000000000ull};
	unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;
	return t + (v >= pow10[t]);
}

char *tp_fmt_dec(char *d, uint64_t v)
{
	unsigned n = v < 10 ? 1 : ndigits(v);
	dec_back(d + n, v);
	return d + n;
}

/* Straight into the buffer when it has room (every line has): ports,
 * lengths, sequence numbers and address bytes are most of what the
 * one-line output prints. */
void tp_sb_dec(tp_sbuf *s, uint64_t v)
{
	if (v < 10) {
		tp_sb_putc(s, (char)('0' + v));
		return;
	}
	unsigned n = ndigits(v);
	if (s->len + n < s->cap) {
		dec_back(s->buf + s->len + n, v);
		s->len += n;
		return;
	}
	char t[20];
	char *b = dec_back(t + sizeof t, v);
	tp_sb_put(s, b, (size_t)(t + sizeof t - b));
}

void tp_sb_sdec(tp_sbuf *s, int64_t v)
{
	if (v < 0) {
		tp_sb_putc(s, '-');
		tp_sb_dec(s, (uint64_t)0 - (uint64_t)v);
	} else {
		tp_sb_dec(s, (uint64_t)v);
	}
}

static const char hexd[] = "0123456789abcdef";

void tp_sb_hex(tp_sbuf *s, uint64_t v, unsigned width)
{
	char t[16];
	size_t i = sizeof t;
	do {
		t[--i] = hexd[v & 15];
		v >>= 4;
	} while (v && i);
	while (sizeof t - i < width && i)
		t[--i] = '0';
	tp_sb_put(s, t + i, sizeof t - i);
}

/* Each byte's two hex digits. */
static const char hex2[513] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

void tp_sb_hexbytes(tp_sbuf *s, const uint8_t *p, size_t n, char sep)
{
	if (n <= (s->cap - s->len) / 3 && s->len < s->cap) {
		/* room for it all: through a local pointer (a put a digit
		 * reloaded the length after every store), a byte's two
		 * digits at once */
		char *d = s->buf + s->len;
		if (!sep) {
			for (size_t i = 0; i < n; i++, d += 2)
				memcpy(d, hex2 + 2 * p[i], 2);
		} else {
			for (size_t i = 0; i < n; i++) {
				if (i)
					*d++ = sep;
				memcpy(d, hex2 + 2 * p[i], 2);
				d += 2;
			}
		}
		s->len = (size_t)(d - s->buf);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (sep && i)
			tp_sb_putc(s, sep);
		tp_sb_putc(s, hexd[p[i] >> 4]);
		tp_sb_putc(s, hexd[p[i] & 15]);
	}
}

void tp_sb_mac(tp_sbuf *s, const uint8_t *p) { tp_sb_hexbytes(s, p, 6, ':'); }

char *tp_fmt_ipv4(char *d, const uint8_t *p)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = p[i];
		if (i)
			*d++ = '.';
		if (v >= 100) {
			*d++ = (char)('0' + v / 100);
			v %= 100;
			memcpy(d, digits2 + 2 * v, 2);
			d += 2;
		} else if (v >= 10) {
			memcpy(d, digits2 + 2 * v, 2);
			d += 2;
		} else {
			*d++ = (char)('0' + v);
		}
	}
	return d;
}

void tp_sb_ipv4(tp_sbuf *s, const uint8_t *p)
{
	char t[16];
	tp_sb_put(s, t, (size_t)(tp_fmt_ipv4(t, p) - t));
}

/* A group of an IPv6 address: 1 to 4 hex digits, no leading zeros,
 * at d (room for 4); returns the end. */
static inline char *put_group(char *d, unsigned v)
{
	unsigned n = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;
	for (unsigned k = n; k-- > 0; v >>= 4)
		d[k] = hexd[v & 15];
	return d + n;
}

/* RFC 5952 text into d (room for 46 bytes); returns its length. */
static size_t ipv6_text(char *d, const uint8_t *p)
{
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)p[2 * i] << 8 | p[2 * i + 1];
	int best = -1, bestlen = 0;
	for (int i = 0, run = 0; i < 8; i++) {
		run = g[i] ? 0 : run + 1;
		if (run > bestlen) { /* the first of equal runs stays */
			bestlen = run;
			best = i - run + 1;
		}
	}
	if (bestlen < 2)
		best = -1;
	/* ::ffff:a.b.c.d and ::a.b.c.d (as glibc's inet_ntop) */
	bool v4tail = best == 0 &&
		      (bestlen == 6 || (bestlen == 5 && g[5] == 0xffff));
	char *o = d;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*o++ = ':';
			*o++ = ':';
			i += bestlen - 1;
			continue;
		}
		if (v4tail && i == 6) {
			if (i != best + bestlen)
				*o++ = ':';
			o = tp_fmt_ipv4(o, p + 12);
			break;
		}
		if (i && i != best + bestlen)
			*o++ = ':';
		o = put_group(o, g[i]);
	}
	return (size_t)(o - d);
}

char *tp_fmt_ipv6(char *d, const uint8_t *p) { return d + ipv6_text(d, p); }

void tp_sb_ipv6(tp_sbuf *s, const uint8_t *p)
{
	char t[48];
	tp_sb_put(s, t, ipv6_text(t, p));
}

void tp_sb_printf(tp_sbuf *s, const char *fmt, ...)
{
	va_list ap;
	size_t room = s->cap ? s->cap - s->len : 0;
	va_start(ap, fmt);
	int n = vsnprintf(s->buf + s->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		s->trunc = true;
		s->len = room ? s->cap - 1 : s->len;
	} else {
		s->len += (size_t)n;
	}
}

void tp_sb_escaped(tp_sbuf *s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = p[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
			tp_sb_putc(s, (char)ch);
		} else if (ch == '\\') {
			tp_sb_put(s, "\\\\", 2);
		} else if (ch == '\n') {
			tp_sb_put(s, "\\n", 2);
		} else if (ch == '\r') {
			tp_sb_put(s, "\\r", 2);
		} else if (ch == '\t') {
			tp_sb_put(s, "\\t", 2);
		} else {
			tp_sb_put(s, "\\x", 2);
			tp_sb_hex(s, ch, 2);
		}
	}
}

/* The length of a valid UTF-8 sequence at b[0..n), 0 when not one
 * (overlong forms, surrogates and code points past U+10FFFF are not). */
static size_t utf8_len(const uint8_t *b, size_t n)
{
	uint8_t c = b[0];
	size_t k;
	uint32_t min, cp;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		k = 2, min = 0x80, cp = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		k = 3, min = 0x800, cp = c & 0x0f;
	else if ((c & 0xf8) == 0xf0)
		k = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((b[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (b[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* Bytes a JSON string holds as they are: printable ASCII but '"' and
 * '\\'. */
static const uint8_t json_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Whether any of the eight bytes of w needs more than a copy in a JSON
 * string: below 0x20, 0x7f and up, '"' or '\\' (the bit tricks of
 * "Bit Twiddling Hacks": a byte below n, a zero byte after an xor). */
static inline bool json_special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t lt20 = (w - ones * 0x20) & ~w;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
	uint64_t del = w ^ (ones * 0x7f);
	uint64_t zq = (q - ones) & ~q, zb = (bs - ones) & ~bs;
	uint64_t zd = (del - ones) & ~del;
	return ((lt20 | zq | zb | zd) & high) | (w & high);
}

/* Each byte as a JSON string holds it, as a constant table (eight
 * bytes copied, n of them kept: no branch, no call per byte): itself,
 * a two-character escape, or \u00XX. */
#define JHEX(x) ((char)((x) < 10 ? '0' + (x) : 'a' + (x) - 10))
#define JPLAIN(c) ((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\')
#define JTWO(c) ((c) == '"' ? '"' : (c) == '\\' ? '\\' : (c) == '\n' ? 'n' \
		 : (c) == '\r' ? 'r' : (c) == '\t' ? 't' : 0)
#define JE(c)                                                             \
	{{JPLAIN(c) ? (char)(c) : '\\', JPLAIN(c) ? 0 : JTWO(c) ? JTWO(c) : 'u', \
	  JPLAIN(c) || JTWO(c) ? 0 : '0', JPLAIN(c) || JTWO(c) ? 0 : '0',      \
	  JPLAIN(c) || JTWO(c) ? 0 : JHEX((c) >> 4),                        \
	  JPLAIN(c) || JTWO(c) ? 0 : JHEX((c)&15), 0, 0},                   \
	 JPLAIN(c) ? 1 : JTWO(c) ? 2 : 6}
#define JE4(c) JE(c), JE((c) + 1), JE((c) + 2), JE((c) + 3)
#define JE16(c) JE4(c), JE4((c) + 4), JE4((c) + 8), JE4((c) + 12)
#define JE64(c) JE16(c), JE16((c) + 16), JE16((c) + 32), JE16((c) + 48)
static const struct {
	char s[8];
	uint8_t n;
} json_esc[256] = {JE64(0), JE64(64), JE64(128), JE64(192)};

static size_t json_escape1(char *d, uint8_t c)
{
	memcpy(d, json_esc[c].s, 8);
	return json_esc[c].n;
}

/* A JSON string: valid UTF-8 passed on, control characters escaped,
 * and a byte that is not part of valid UTF-8 as \u00XX (its Latin-1
 * reading): always valid JSON, whatever the packet held.  Written
 * straight into the buffer when the worst case (six bytes a byte) fits,
 * eight plain bytes at a time (decoded bodies are most of -T json). */
void tp_sb_json_chars(tp_sbuf *s, const uint8_t *b, size_t n)
{
	size_t room = s->cap && s->len < s->cap ? s->cap - 1 - s->len : 0;
	if (room >= 8 && n <= (room - 8) / 6) {
		char *d = s->buf + s->len;
		size_t i = 0;
		while (i < n) {
			uint64_t w;
			while (i + 8 <= n &&
			       (memcpy(&w, b + i, 8), !json_special8(w))) {
				memcpy(d, &w, 8);
				d += 8;
				i += 8;
			}
			if (i == n)
				break;
			uint8_t c = b[i];
			size_t k = c >= 0x80 ? utf8_len(b + i, n - i) : 0;
			if (k) {
				memcpy(d, b + i, k);
				d += k;
				i += k;
				continue;
			}
			d += json_escape1(d, c);
			i++;
		}
		s->len = (size_t)(d - s->buf);
		return;
	}
	for (size_t i = 0; i < n;) { /* near the end of the buffer */
		size_t j = i;
		while (j < n) {
			uint8_t c = b[j];
			size_t k = json_plain[c] ? 1
				   : c >= 0x80 ? utf8_len(b + j, n - j) : 0;
			if (!k)
				break;
			j += k;
		}
		if (j > i) {
			tp_sb_put(s, (const char *)b + i, j - i);
			i = j;
			if (i == n)
				break;
		}
		tp_sb_put(s, json_esc[b[i]].s, json_esc[b[i]].n);
		i++;
	}
}

void tp_sb_json_str(tp_sbuf *s, const uint8_t *b, size_t n)
{
	tp_sb_putc(s, '"');
	tp_sb_json_chars(s, b, n);
	tp_sb_putc(s, '"');
}

const char *tp_sb_cstr(tp_sbuf *s)
{
	if (s->cap)
		s->buf[s->len < s->cap ? s->len : s->cap - 1] = '\0';
	return s->buf;
}

static unsigned hex_width(tp_ftype t)
{
	switch (t) {
	case TP_FT_UINT8:
		return 2;
	case TP_FT_UINT16:
		return 4;
	case TP_FT_UINT24:
		return 6;
	case TP_FT_UINT32:
	case TP_FT_INT32:
		return 8;
	default:
		return 16;
	}
}

/* Wireshark's display_signed_time: the seconds with their sign, nine
 * digits of nanoseconds, a '-' in front when only those are negative. */
static void put_signed_time(tp_sbuf *s, tp_nstime t)
{
	if (t.sec == 0 && t.nsec < 0)
		tp_sb_putc(s, '-');
	tp_sb_sdec(s, t.sec);
	tp_sb_frac9(s, (uint64_t)(t.nsec < 0 ? -(int64_t)t.nsec : t.nsec) %
			       1000000000u);
}

void tp_format_value(tp_sbuf *s, const tp_field *f)
{
	const tp_field_def *d = f->def;
	switch (d->type) {
	case TP_FT_NONE:
	case TP_FT_PROTOCOL:
		break;
	case TP_FT_BOOLEAN:
		tp_sb_putc(s, f->v.u ? '1' : '0');
		break;
	case TP_FT_UINT8:
	case TP_FT_UINT16:
	case TP_FT_UINT24:
	case TP_FT_UINT32:
	case TP_FT_UINT64:
	case TP_FT_FRAMENUM:
		if ((d->base & TP_BASE_MASK) == TP_BASE_HEX ||
		    (d->base & TP_BASE_MASK) == TP_BASE_HEX_DEC) {
			tp_sb_put(s, "0x", 2);
			tp_sb_hex(s, f->v.u, hex_width(d->type));
		} else if ((d->base & TP_BASE_MASK) == TP_BASE_OCT) {
			tp_sb_printf(s, "0%llo", (unsigned long long)f->v.u);
		} else {
			tp_sb_dec(s, f->v.u);
		}
		break;
	case TP_FT_INT32:
		tp_sb_sdec(s, f->v.i);
		break;
	case TP_FT_ETHER:
		/* a link-layer address of another length: its bytes */
		if (f->vlen == 6)
			tp_sb_mac(s, f->v.p);
		else
			tp_sb_hexbytes(s, f->v.p, f->vlen, 0);
		break;
	case TP_FT_IPv4:
		if (f->vlen >= 4)
			tp_sb_ipv4(s, f->v.p);
		break;
	case TP_FT_IPv6:
		if (f->vlen >= 16)
			tp_sb_ipv6(s, f->v.p);
		break;
	case TP_FT_BYTES:
		if (!f->vlen) /* as Wireshark */
			tp_sb_puts(s, d->base & TP_BASE_ALLOW_ZERO ? "<none>"
								    : "<MISSING>");
		else
			tp_sb_hexbytes(s, f->v.p, f->vlen, 0);
		break;
	case TP_FT_STRING:
		tp_sb_escaped(s, f->v.p, f->vlen);
		break;
	case TP_FT_DOUBLE:
		tp_sb_printf(s, "%g", f->v.d);
		break;
	case TP_FT_ABSOLUTE_TIME:
		if (f->vlen == TP_NSTIME_LEN) {
			put_signed_time(s, tp_field_nstime(f));
			break;
		}
		tp_sb_dec(s, f->v.u / 1000000000u);
		tp_sb_frac9(s, f->v.u % 1000000000u);
		break;
	case TP_FT_RELATIVE_TIME: {
		if (f->vlen == TP_NSTIME_LEN) {
			put_signed_time(s, tp_field_nstime(f));
			break;
		}
		uint64_t v = (uint64_t)f->v.i;
		if (f->v.i < 0) {
			tp_sb_putc(s, '-');
			v = (uint64_t)0 - v; /* INT64_MIN too */
		}
		tp_sb_dec(s, v / 1000000000u);
		tp_sb_frac9(s, v % 1000000000u);
		break;
	}
	case TP_FT_COUNT_:
		break;
	}
}

/* ---- -T fields: values as tshark prints them -------------------------
 *
 * Wireshark's epan/print.c get_node_field_value(): FT_NONE is "1",
 * FT_PROTOCOL its tree label or abbreviation, bytes plain hex, everything
 * else fvalue_to_string_repr(FTREPR_DISPLAY): integers in decimal, or for
 * BASE_HEX/BASE_HEX_DEC "0x" and two digits per byte of the type (uint8
 * 0x02, uint16 0x0012, uint24 0x000012, uint32 0x00000012), value
 * strings never applied.  print.c then escapes \b \f \n \r \t (done by
 * the caller, out_fields.c). */

static const char *const mon_names[12] = {"Jan", "Feb", "Mar", "Apr",
					  "May", "Jun", "Jul", "Aug",
					  "Sep", "Oct", "Nov", "Dec"};

static void put2(tp_sbuf *s, unsigned v)
{
	tp_sb_putc(s, (char)('0' + v / 10 % 10));
	tp_sb_putc(s, (char)('0' + v % 10));
}

static void put_nsec(tp_sbuf *s, uint32_t ns)
{
	char t[9];
	for (int i = 8; i >= 0; i--) {
		t[i] = (char)('0' + ns % 10);
		ns /= 10;
	}
	tp_sb_put(s, t, 9);
}

/* epan/to_str.c abs_time_to_str(ABSOLUTE_TIME_LOCAL, show_zone): the
 * day of the month is space-padded ("%2d"); a time localtime() cannot
 * represent is "Not representable". */
void tp_sb_abstime(tp_sbuf *s, int64_t sec, uint32_t nsec)
{
	struct tm tm;
	time_t t = (time_t)sec;
	if ((int64_t)t != sec || !localtime_r(&t, &tm)) {
		tp_sb_puts(s, "Not representable");
		return;
	}
	tp_sb_puts(s, mon_names[tm.tm_mon % 12]);
	tp_sb_putc(s, ' ');
	if (tm.tm_mday < 10)
		tp_sb_putc(s, ' ');
	tp_sb_dec(s, (uint64_t)tm.tm_mday);
	tp_sb_put(s, ", ", 2);
	tp_sb_sdec(s, (int64_t)tm.tm_year + 1900);
	tp_sb_putc(s, ' ');
	put2(s, (unsigned)tm.tm_hour);
	tp_sb_putc(s, ':');
	put2(s, (unsigned)tm.tm_min);
	tp_sb_putc(s, ':');
	put2(s, (unsigned)tm.tm_sec);
	tp_sb_putc(s, '.');
	put_nsec(s, nsec % 1000000000u);
	tp_sb_putc(s, ' ');
	tp_sb_puts(s, tm.tm_zone ? tm.tm_zone : "");
}

/* epan/to_str.c rel_time_to_secs_str: seconds, nine decimals, one '-'
 * when negative. */
void tp_sb_reltime(tp_sbuf *s, int64_t ns)
{
	uint64_t v = (uint64_t)ns;
	if (ns < 0) {
		tp_sb_putc(s, '-');
		v = (uint64_t)0 - v;
	}
	tp_sb_dec(s, v / 1000000000u);
	tp_sb_putc(s, '.');
	put_nsec(s, (uint32_t)(v % 1000000000u));
}

/* The bytes a field covers, from its data source (the frame, a
 * reassembled datagram or PDU), cut to what was captured; NULL when there
 * is no such buffer. */
static const uint8_t *field_bytes(const tp_pkt *p, const tp_field *f,
				  size_t *n)
{
	if (!p || f->layer >= p->nlayers)
		return NULL;
	size_t avail = 0;
	const uint8_t *base = tp_src_bytes(p, f->src, &avail);
	if (!base || f->off > avail)
		return NULL;
	*n = f->len < avail - f->off ? f->len : avail - f->off;
	return base + f->off;
}

void tp_format_field_text(tp_sbuf *s, const tp_pkt *p, const tp_field *f)
{
	const tp_field_def *d = f->def;
	switch (d->type) {
	case TP_FT_NONE:
		tp_sb_putc(s, '1');
		return;
	case TP_FT_PROTOCOL: {
		/* Wireshark prints a protocol item's label when its dissector
		 * appended text to it, else its abbreviation; the items of
		 * TCP options come out as their bytes.  Tables say which:
		 * BASE_HEX for the bytes, value strings for "Name (value)". */
		size_t n;
		const uint8_t *b;
		if (d->base == TP_BASE_HEX) {
			/* the captured part of the option, as tshark */
			if ((b = field_bytes(p, f, &n)))
				tp_sb_hexbytes(s, b, n, 0);
		} else if (d->vals) {
			const char *v = tp_valstr_find(d->vals, (uint32_t)f->v.u);
			tp_sb_puts(s, d->name);
			tp_sb_put(s, " (", 2);
			if (v) {
				tp_sb_puts(s, v);
			} else {
				tp_sb_puts(s, "Unknown type ");
				tp_sb_dec(s, f->v.u);
			}
			tp_sb_putc(s, ')');
		} else {
			tp_sb_puts(s, d->abbrev);
		}
		return;
	}
	case TP_FT_BOOLEAN:
		tp_sb_putc(s, f->v.u ? '1' : '0');
		return;
	case TP_FT_UINT8:
	case TP_FT_UINT16:
	case TP_FT_UINT24:
	case TP_FT_UINT32:
	case TP_FT_UINT64:
		if (d->base & TP_BASE_OUI) {
			tp_sb_dec(s, f->v.u);
		} else if ((d->base & TP_BASE_MASK) == TP_BASE_HEX ||
			   (d->base & TP_BASE_MASK) == TP_BASE_HEX_DEC) {
			tp_sb_put(s, "0x", 2);
			tp_sb_hex(s, f->v.u, hex_width(d->type));
		} else if ((d->base & TP_BASE_MASK) == TP_BASE_OCT) {
			tp_sb_printf(s, "%#llo", (unsigned long long)f->v.u);
		} else {
			tp_sb_dec(s, f->v.u);
		}
		return;
	case TP_FT_FRAMENUM:
		tp_sb_dec(s, f->v.u);
		return;
	case TP_FT_INT32:
		tp_sb_sdec(s, f->v.i);
		return;
	case TP_FT_BYTES: {
		const uint8_t *b = f->v.p;
		size_t n = f->vlen;
		if (!n || !b) {
			tp_sb_puts(s, d->base & TP_BASE_ALLOW_ZERO ? "<none>"
								    : "<MISSING>");
			return;
		}
		tp_sb_hexbytes(s, b, n, 0);
		return;
	}
	case TP_FT_STRING:
		if (tp_frame_computed(d)) {
			if (p)
				tp_frame_text(s, p, d);
			return;
		}
		/* as the string is: out_fields.c escapes what print.c does */
		tp_sb_put(s, (const char *)f->v.p, f->vlen);
		return;
	case TP_FT_ABSOLUTE_TIME:
		if (f->vlen == TP_NSTIME_LEN) {
			tp_nstime t = tp_field_nstime(f);
			tp_sb_abstime(s, t.sec, (uint32_t)t.nsec);
			return;
		}
		tp_sb_abstime(s, (int64_t)(f->v.u / 1000000000u),
			      (uint32_t)(f->v.u % 1000000000u));
		return;
	case TP_FT_RELATIVE_TIME:
		if (f->vlen == TP_NSTIME_LEN)
			put_signed_time(s, tp_field_nstime(f));
		else
			tp_sb_reltime(s, f->v.i);
		return;
	default:
		tp_format_value(s, f);
		return;
	}
}

const char *tp_valstr_find(const tp_valstr *vs, uint32_t v)
{
	for (; vs && vs->str; vs++)
		if (vs->value == v)
			return vs->str;
	return NULL;
}

const char *tp_ftype_name(tp_ftype t)
{
	static const char *const n[TP_FT_COUNT_] = {
		"FT_NONE",	"FT_PROTOCOL", "FT_BOOLEAN",	 "FT_UINT8",
		"FT_UINT16",	"FT_UINT24",   "FT_UINT32",	 "FT_UINT64",
		"FT_INT32",	"FT_ETHER",    "FT_IPv4",	 "FT_IPv6",
		"FT_BYTES",	"FT_STRING",   "FT_FRAMENUM",	 "FT_DOUBLE",
		"FT_ABSOLUTE_TIME", "FT_RELATIVE_TIME",
	};
	return (unsigned)t < TP_FT_COUNT_ ? n[t] : "FT_NONE";
}

const char *tp_base_name(unsigned base, tp_ftype t)
{
	if (t == TP_FT_BOOLEAN)
		return "";
	if (base & TP_BASE_OUI)
		return "BASE_OUI";
	switch (base & TP_BASE_MASK) {
	case TP_BASE_DEC:
		return "BASE_DEC";
	case TP_BASE_HEX:
		return "BASE_HEX";
	case TP_BASE_OCT:
		return "BASE_OCT";
	case TP_BASE_DEC_HEX:
		return "BASE_DEC_HEX";
	case TP_BASE_HEX_DEC:
		return "BASE_HEX_DEC";
	default:
		return "BASE_NONE";
	}
}
