/* hpack.c - HPACK header block decoding (RFC 7541): see hpack.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/cursor.h"

#include "hpack.h"

/* RFC 7541 Appendix A: the static table. */
static const struct {
	const char *name, *value;
} static_table[HPACK_STATIC_COUNT] = {
	{":authority", ""}, {":method", "GET"}, {":method", "POST"},
	{":path", "/"}, {":path", "/index.html"}, {":scheme", "http"},
	{":scheme", "https"}, {":status", "200"}, {":status", "204"},
	{":status", "206"}, {":status", "304"}, {":status", "400"},
	{":status", "404"}, {":status", "500"}, {"accept-charset", ""},
	{"accept-encoding", "gzip, deflate"}, {"accept-language", ""},
	{"accept-ranges", ""}, {"accept", ""},
	{"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""},
	{"authorization", ""}, {"cache-control", ""},
	{"content-disposition", ""}, {"content-encoding", ""},
	{"content-language", ""}, {"content-length", ""},
	{"content-location", ""}, {"content-range", ""},
	{"content-type", ""}, {"cookie", ""}, {"date", ""}, {"etag", ""},
	{"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
	{"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""},
	{"if-range", ""}, {"if-unmodified-since", ""},
	{"last-modified", ""}, {"link", ""}, {"location", ""},
	{"max-forwards", ""}, {"proxy-authenticate", ""},
	{"proxy-authorization", ""}, {"range", ""}, {"referer", ""},
	{"refresh", ""}, {"retry-after", ""}, {"server", ""},
	{"set-cookie", ""}, {"strict-transport-security", ""},
	{"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""},
	{"via", ""}, {"www-authenticate", ""},
};

/* RFC 7541 Appendix B: the Huffman code of symbols 0..255 and EOS (256),
 * as hex aligned to the LSB and the length in bits. */
#define HUFF_EOS 256
#define HUFF_MAXLEN 30
static const struct {
	uint32_t code;
	uint8_t len;
} huff_code[257] = {
	{0x1ff8, 13}, {0x7fffd8, 23}, {0xfffffe2, 28}, {0xfffffe3, 28},
	{0xfffffe4, 28}, {0xfffffe5, 28}, {0xfffffe6, 28}, {0xfffffe7, 28},
	{0xfffffe8, 28}, {0xffffea, 24}, {0x3ffffffc, 30}, {0xfffffe9, 28},
	{0xfffffea, 28}, {0x3ffffffd, 30}, {0xfffffeb, 28}, {0xfffffec, 28},
	{0xfffffed, 28}, {0xfffffee, 28}, {0xfffffef, 28}, {0xffffff0, 28},
	{0xffffff1, 28}, {0xffffff2, 28}, {0x3ffffffe, 30}, {0xffffff3, 28},
	{0xffffff4, 28}, {0xffffff5, 28}, {0xffffff6, 28}, {0xffffff7, 28},
	{0xffffff8, 28}, {0xffffff9, 28}, {0xffffffa, 28}, {0xffffffb, 28},
	{0x14, 6}, {0x3f8, 10}, {0x3f9, 10}, {0xffa, 12},
	{0x1ff9, 13}, {0x15, 6}, {0xf8, 8}, {0x7fa, 11},
	{0x3fa, 10}, {0x3fb, 10}, {0xf9, 8}, {0x7fb, 11},
	{0xfa, 8}, {0x16, 6}, {0x17, 6}, {0x18, 6},
	{0x0, 5}, {0x1, 5}, {0x2, 5}, {0x19, 6},
	{0x1a, 6}, {0x1b, 6}, {0x1c, 6}, {0x1d, 6},
	{0x1e, 6}, {0x1f, 6}, {0x5c, 7}, {0xfb, 8},
	{0x7ffc, 15}, {0x20, 6}, {0xffb, 12}, {0x3fc, 10},
	{0x1ffa, 13}, {0x21, 6}, {0x5d, 7}, {0x5e, 7},
	{0x5f, 7}, {0x60, 7}, {0x61, 7}, {0x62, 7},
	{0x63, 7}, {0x64, 7}, {0x65, 7}, {0x66, 7},
	{0x67, 7}, {0x68, 7}, {0x69, 7}, {0x6a, 7},
	{0x6b, 7}, {0x6c, 7}, {0x6d, 7}, {0x6e, 7},
	{0x6f, 7}, {0x70, 7}, {0x71, 7}, {0x72, 7},
	{0xfc, 8}, {0x73, 7}, {0xfd, 8}, {0x1ffb, 13},
	{0x7fff0, 19}, {0x1ffc, 13}, {0x3ffc, 14}, {0x22, 6},
	{0x7ffd, 15}, {0x3, 5}, {0x23, 6}, {0x4, 5},
	{0x24, 6}, {0x5, 5}, {0x25, 6}, {0x26, 6},
	{0x27, 6}, {0x6, 5}, {0x74, 7}, {0x75, 7},
	{0x28, 6}, {0x29, 6}, {0x2a, 6}, {0x7, 5},
	{0x2b, 6}, {0x76, 7}, {0x2c, 6}, {0x8, 5},
	{0x9, 5}, {0x2d, 6}, {0x77, 7}, {0x78, 7},
	{0x79, 7}, {0x7a, 7}, {0x7b, 7}, {0x7ffe, 15},
	{0x7fc, 11}, {0x3ffd, 14}, {0x1ffd, 13}, {0xffffffc, 28},
	{0xfffe6, 20}, {0x3fffd2, 22}, {0xfffe7, 20}, {0xfffe8, 20},
	{0x3fffd3, 22}, {0x3fffd4, 22}, {0x3fffd5, 22}, {0x7fffd9, 23},
	{0x3fffd6, 22}, {0x7fffda, 23}, {0x7fffdb, 23}, {0x7fffdc, 23},
	{0x7fffdd, 23}, {0x7fffde, 23}, {0xffffeb, 24}, {0x7fffdf, 23},
	{0xffffec, 24}, {0xffffed, 24}, {0x3fffd7, 22}, {0x7fffe0, 23},
	{0xffffee, 24}, {0x7fffe1, 23}, {0x7fffe2, 23}, {0x7fffe3, 23},
	{0x7fffe4, 23}, {0x1fffdc, 21}, {0x3fffd8, 22}, {0x7fffe5, 23},
	{0x3fffd9, 22}, {0x7fffe6, 23}, {0x7fffe7, 23}, {0xffffef, 24},
	{0x3fffda, 22}, {0x1fffdd, 21}, {0xfffe9, 20}, {0x3fffdb, 22},
	{0x3fffdc, 22}, {0x7fffe8, 23}, {0x7fffe9, 23}, {0x1fffde, 21},
	{0x7fffea, 23}, {0x3fffdd, 22}, {0x3fffde, 22}, {0xfffff0, 24},
	{0x1fffdf, 21}, {0x3fffdf, 22}, {0x7fffeb, 23}, {0x7fffec, 23},
	{0x1fffe0, 21}, {0x1fffe1, 21}, {0x3fffe0, 22}, {0x1fffe2, 21},
	{0x7fffed, 23}, {0x3fffe1, 22}, {0x7fffee, 23}, {0x7fffef, 23},
	{0xfffea, 20}, {0x3fffe2, 22}, {0x3fffe3, 22}, {0x3fffe4, 22},
	{0x7ffff0, 23}, {0x3fffe5, 22}, {0x3fffe6, 22}, {0x7ffff1, 23},
	{0x3ffffe0, 26}, {0x3ffffe1, 26}, {0xfffeb, 20}, {0x7fff1, 19},
	{0x3fffe7, 22}, {0x7ffff2, 23}, {0x3fffe8, 22}, {0x1ffffec, 25},
	{0x3ffffe2, 26}, {0x3ffffe3, 26}, {0x3ffffe4, 26}, {0x7ffffde, 27},
	{0x7ffffdf, 27}, {0x3ffffe5, 26}, {0xfffff1, 24}, {0x1ffffed, 25},
	{0x7fff2, 19}, {0x1fffe3, 21}, {0x3ffffe6, 26}, {0x7ffffe0, 27},
	{0x7ffffe1, 27}, {0x3ffffe7, 26}, {0x7ffffe2, 27}, {0xfffff2, 24},
	{0x1fffe4, 21}, {0x1fffe5, 21}, {0x3ffffe8, 26}, {0x3ffffe9, 26},
	{0xffffffd, 28}, {0x7ffffe3, 27}, {0x7ffffe4, 27}, {0x7ffffe5, 27},
	{0xfffec, 20}, {0xfffff3, 24}, {0xfffed, 20}, {0x1fffe6, 21},
	{0x3fffe9, 22}, {0x1fffe7, 21}, {0x1fffe8, 21}, {0x7ffff3, 23},
	{0x3fffea, 22}, {0x3fffeb, 22}, {0x1ffffee, 25}, {0x1ffffef, 25},
	{0xfffff4, 24}, {0xfffff5, 24}, {0x3ffffea, 26}, {0x7ffff4, 23},
	{0x3ffffeb, 26}, {0x7ffffe6, 27}, {0x3ffffec, 26}, {0x3ffffed, 26},
	{0x7ffffe7, 27}, {0x7ffffe8, 27}, {0x7ffffe9, 27}, {0x7ffffea, 27},
	{0x7ffffeb, 27}, {0xffffffe, 28}, {0x7ffffec, 27}, {0x7ffffed, 27},
	{0x7ffffee, 27}, {0x7ffffef, 27}, {0x7fffff0, 27}, {0x3ffffee, 26},
	{0x3fffffff, 30},
};

/* The code is canonical (codes of one length are consecutive and
 * follow the shorter ones): decoding walks bit by bit, and a code of
 * length L is the symbol at huff_sorted[huff_off[L] + code -
 * huff_first[L]] when below huff_first[L] + huff_count[L]. */
static uint32_t huff_first[HUFF_MAXLEN + 1];
static uint16_t huff_count[HUFF_MAXLEN + 1];
static uint16_t huff_off[HUFF_MAXLEN + 1];
static uint16_t huff_sorted[257];
static pthread_once_t huff_once = PTHREAD_ONCE_INIT;

static void huff_build(void)
{
	uint16_t k = 0;
	for (unsigned len = 1; len <= HUFF_MAXLEN; len++) {
		huff_off[len] = k;
		uint16_t first = k;
		/* symbols of this length by code: insertion sort */
		for (uint16_t s = 0; s < 257; s++) {
			if (huff_code[s].len != len)
				continue;
			uint16_t j = k++;
			while (j > first &&
			       huff_code[huff_sorted[j - 1]].code > huff_code[s].code) {
				huff_sorted[j] = huff_sorted[j - 1];
				j--;
			}
			huff_sorted[j] = s;
		}
		huff_count[len] = (uint16_t)(k - first);
		huff_first[len] = huff_count[len] ? huff_code[huff_sorted[first]].code : 0;
	}
}

bool hpack_huffman_decode(const uint8_t *src, size_t n, uint8_t *dst,
			  size_t dst_cap, size_t *out_len)
{
	pthread_once(&huff_once, huff_build);
	tp_cursor c = tp_cursor_make(src, n, n);
	uint32_t code = 0;
	unsigned len = 0;
	size_t out = 0;
	*out_len = 0;
	while (tp_avail(&c)) {
		uint8_t byte = tp_u8(&c);
		for (int bit = 7; bit >= 0; bit--) {
			code = code << 1 | ((byte >> bit) & 1u);
			len++;
			if (len > HUFF_MAXLEN)
				return false;
			uint32_t d = code - huff_first[len];
			if (!huff_count[len] || code < huff_first[len] ||
			    d >= huff_count[len])
				continue;
			uint16_t sym = huff_sorted[huff_off[len] + d];
			if (huff_code[sym].code != code)
				return false; /* not canonical: the table is wrong */
			if (sym == HUFF_EOS)
				return false; /* 5.2: EOS in a string is an error */
			if (out < dst_cap)
				dst[out] = (uint8_t)sym;
			out++;
			code = 0;
			len = 0;
		}
	}
	*out_len = out;
	/* 5.2: padding is at most 7 bits, the most significant of EOS */
	return len <= 7 && code == (1u << len) - 1;
}

/* 5.1: an integer with an N-bit prefix (the rest of the first byte is
 * the caller's), at most 2^32-1. */
static hpack_status read_int(tp_cursor *c, unsigned prefix, uint32_t *v)
{
	if (!tp_has(c, 1))
		return HPACK_ERR_TRUNCATED;
	uint32_t max = (1u << prefix) - 1;
	uint64_t i = tp_u8(c) & max;
	if (i < max) {
		*v = (uint32_t)i;
		return HPACK_OK;
	}
	for (unsigned m = 0;; m += 7) {
		if (!tp_has(c, 1))
			return HPACK_ERR_TRUNCATED;
		uint8_t b = tp_u8(c);
		if (m > 28)
			return HPACK_ERR_INTEGER; /* also endless 0x80 bytes */
		i += (uint64_t)(b & 0x7f) << m;
		if (i > UINT32_MAX)
			return HPACK_ERR_INTEGER;
		if (!(b & 0x80))
			break;
	}
	*v = (uint32_t)i;
	return HPACK_OK;
}

/* ---- the dynamic table ---- */

void hpack_table_init(hpack_table *t, uint32_t limit)
{
	memset(t, 0, sizeof *t);
	t->limit = limit;
	t->max_size = limit;
}

static hpack_entry *slot(const hpack_table *t, uint32_t i) /* 0: newest */
{
	return &t->ring[(t->head + t->cap - i) % t->cap];
}

static void evict_oldest(hpack_table *t)
{
	hpack_entry *e = slot(t, t->count - 1);
	t->size -= e->size;
	t->held -= e->held;
	free(e->buf);
	memset(e, 0, sizeof *e);
	t->count--;
}

/* 4.3/4.4: evict the oldest entries until the sizes (as the peer counts
 * them) are at most max. */
static void shrink_to(hpack_table *t, uint32_t max)
{
	while (t->count && t->size > max)
		evict_oldest(t);
}

/* Our memory cap: the oldest entries are forgotten, before the peer
 * evicts them, until `more` bytes fit in HPACK_TABLE_CAP. */
static void make_room(hpack_table *t, uint32_t more)
{
	while (t->count && t->held + more > HPACK_TABLE_CAP) {
		t->forgotten++;
		evict_oldest(t);
	}
}

void hpack_table_free(hpack_table *t)
{
	while (t->count)
		evict_oldest(t);
	free(t->ring);
	memset(t, 0, sizeof *t);
}

void hpack_table_set_limit(hpack_table *t, uint32_t limit)
{
	t->limit = limit;
	if (t->max_size > limit) {
		t->max_size = limit;
		shrink_to(t, limit);
	}
}

const hpack_entry *hpack_table_get(const hpack_table *t, uint32_t i)
{
	if (i == 0 || i > t->count)
		return NULL;
	return slot(t, i - 1);
}

/* 4.4: evict until the new entry fits, then add it; an entry larger than
 * the maximum empties the table and is not added.  One the peer keeps
 * but this table cannot hold (over HPACK_TABLE_CAP) becomes a
 * placeholder, so that the entries after it keep their indexes. */
static hpack_status insert(hpack_table *t, const char *name, uint32_t nl,
			   bool name_unknown, const char *value, uint32_t vl)
{
	uint64_t size = (uint64_t)nl + vl + HPACK_ENTRY_OVERHEAD;
	if (size > t->max_size) {
		while (t->count)
			evict_oldest(t);
		return HPACK_OK;
	}
	bool hold = size <= HPACK_TABLE_CAP;
	uint32_t held = hold ? (uint32_t)size : HPACK_ENTRY_OVERHEAD;
	hpack_entry e = {NULL, 0, 0, (uint32_t)size, held, name_unknown,
			 !hold};
	if (hold) {
		/* copied before any eviction: the name may be an entry's
		 * that is about to go (4.4) */
		e.buf = malloc((size_t)nl + vl + 1);
		if (!e.buf)
			return HPACK_ERR_NOMEM;
		if (nl)
			memcpy(e.buf, name, nl);
		if (vl)
			memcpy(e.buf + nl, value, vl);
		e.name_len = nl;
		e.value_len = vl;
	}
	shrink_to(t, t->max_size - (uint32_t)size); /* as the peer does */
	make_room(t, held);
	if (t->count == t->cap) {
		uint32_t ncap = t->cap ? t->cap * 2 : 16;
		hpack_entry *r = calloc(ncap, sizeof *r);
		if (!r) {
			free(e.buf);
			return HPACK_ERR_NOMEM;
		}
		for (uint32_t i = 0; i < t->count; i++)
			r[t->count - 1 - i] = *slot(t, i);
		free(t->ring);
		t->ring = r;
		t->cap = ncap;
		t->head = t->count ? t->count - 1 : ncap - 1;
	}
	t->head = (t->head + 1) % t->cap;
	t->ring[t->head] = e;
	t->count++;
	t->size += (uint32_t)size;
	t->held += held;
	t->inserted++;
	return HPACK_OK;
}

/* Name and value of index i (static, then dynamic); false when past the
 * known table.  A dynamic entry may still lack its name or strings. */
static bool lookup(const hpack_table *t, uint32_t i, hpack_header *h)
{
	if (i >= 1 && i <= HPACK_STATIC_COUNT) {
		h->name = static_table[i - 1].name;
		h->name_len = strlen(h->name);
		h->value = static_table[i - 1].value;
		h->value_len = strlen(h->value);
		return true;
	}
	const hpack_entry *e = hpack_table_get(t, i - HPACK_STATIC_COUNT);
	if (!e || e->placeholder)
		return false;
	h->name = e->name_unknown ? NULL : e->buf;
	h->name_len = e->name_len;
	h->value = e->buf + e->name_len;
	h->value_len = e->value_len;
	return true;
}

/* ---- the block ---- */

typedef struct block {
	tp_cursor c;
	uint8_t *scratch; /* Huffman-decoded strings of one representation */
	size_t scratch_cap, scratch_used;
} block;

/* 5.2: a string literal; *s points into the block or the scratch
 * buffer, NULL when too long to keep (its length still counts). */
static hpack_status read_string(block *k, const char **s, size_t *len,
				bool *huff)
{
	int first = tp_peek(&k->c, 0);
	if (first < 0)
		return HPACK_ERR_TRUNCATED;
	*huff = first & 0x80;
	uint32_t n;
	hpack_status st = read_int(&k->c, 7, &n);
	if (st != HPACK_OK)
		return st;
	if (!tp_has(&k->c, n))
		return HPACK_ERR_TRUNCATED;
	const uint8_t *p = tp_bytes(&k->c, n);
	if (!*huff) {
		*s = (const char *)p;
		*len = n;
		return HPACK_OK;
	}
	uint8_t *dst = k->scratch + k->scratch_used;
	size_t room = k->scratch_cap - k->scratch_used;
	if (!hpack_huffman_decode(p, n, dst, room, len))
		return HPACK_ERR_HUFFMAN;
	if (*len > room) {
		*s = NULL;
		return HPACK_OK;
	}
	*s = (const char *)dst;
	k->scratch_used += *len;
	return HPACK_OK;
}

const char *hpack_status_str(hpack_status s)
{
	switch (s) {
	case HPACK_OK: return "ok";
	case HPACK_ERR_TRUNCATED: return "header block truncated";
	case HPACK_ERR_INTEGER: return "integer overflow";
	case HPACK_ERR_HUFFMAN: return "bad Huffman string";
	case HPACK_ERR_INDEX_ZERO: return "index 0";
	case HPACK_ERR_SIZE_UPDATE: return "bad dynamic table size update";
	case HPACK_ERR_LIST_CAP: return "header list over the cap";
	case HPACK_ERR_NOMEM: return "out of memory";
	}
	return "?";
}

hpack_status hpack_decode(hpack_table *t, const uint8_t *b, size_t n,
			  hpack_cb cb, void *ctx, const hpack_caps *caps,
			  hpack_info *info)
{
	hpack_info dummy;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof *info);
	uint32_t max_list = caps && caps->max_list ? caps->max_list : HPACK_LIST_CAP;
	uint32_t max_headers =
		caps && caps->max_headers ? caps->max_headers : HPACK_HEADERS_CAP;
	block k = {tp_cursor_make(b, n, n), NULL, 0, 0};
	/* decoded strings of one representation: at most 8/5 of the coded
	 * bytes; past two table caps a string is not kept (it could not be
	 * delivered nor held anyway) */
	k.scratch_cap = n / 5 * 8 + 8;
	if (k.scratch_cap > 2 * (size_t)HPACK_TABLE_CAP)
		k.scratch_cap = 2 * (size_t)HPACK_TABLE_CAP;
	k.scratch = malloc(k.scratch_cap);
	if (!k.scratch)
		return HPACK_ERR_NOMEM;
	hpack_status st = HPACK_OK;
	bool capped = false, seen_header = false;
	while (tp_avail(&k.c)) {
		size_t start = k.c.off;
		uint8_t f = (uint8_t)tp_peek(&k.c, 0);
		k.scratch_used = 0;
		hpack_header h = {0};
		uint32_t idx;
		bool lost = false; /* a string too long to keep */
		if ((f & 0xe0) == 0x20) { /* 6.3 dynamic table size update */
			if ((st = read_int(&k.c, 5, &idx)) != HPACK_OK)
				break;
			if (seen_header || idx > t->limit) {
				st = HPACK_ERR_SIZE_UPDATE;
				k.c.off = start;
				break;
			}
			t->max_size = idx;
			shrink_to(t, idx);
			info->updates++;
			info->consumed = k.c.off;
			continue;
		}
		seen_header = true;
		if (f & 0x80) { /* 6.1 indexed */
			if ((st = read_int(&k.c, 7, &idx)) != HPACK_OK)
				break;
			if (idx == 0) {
				st = HPACK_ERR_INDEX_ZERO;
				break;
			}
			h.flags = HPACK_F_INDEXED;
			h.index = idx;
			if (!lookup(t, idx, &h) || !h.name) {
				h.flags |= HPACK_F_UNKNOWN;
				info->unknown++;
			}
		} else {
			unsigned prefix;
			if (f & 0x40) {
				prefix = 6;
				h.flags = HPACK_F_INCREMENTAL;
			} else {
				prefix = 4;
				h.flags = f & 0x10 ? HPACK_F_NEVER_INDEXED
						   : HPACK_F_NOT_INDEXED;
			}
			if ((st = read_int(&k.c, prefix, &idx)) != HPACK_OK)
				break;
			bool huff;
			if (idx) {
				hpack_header nh = {0};
				h.index = idx;
				if (lookup(t, idx, &nh)) {
					h.name = nh.name;
					h.name_len = nh.name_len;
				}
				if (!h.name) {
					h.flags |= HPACK_F_UNKNOWN;
					info->unknown++;
				}
			} else {
				if ((st = read_string(&k, &h.name, &h.name_len,
						      &huff)) != HPACK_OK)
					break;
				if (huff)
					h.flags |= HPACK_F_NAME_HUFFMAN;
				lost = !h.name;
			}
			if ((st = read_string(&k, &h.value, &h.value_len,
					      &huff)) != HPACK_OK)
				break;
			if (huff)
				h.flags |= HPACK_F_VALUE_HUFFMAN;
			lost |= !h.value;
		}
		info->list_size += (uint64_t)h.name_len + h.value_len + 32;
		if (capped || info->list_size > max_list ||
		    info->headers >= max_headers || lost) {
			capped = true;
			info->suppressed++;
		} else {
			info->headers++;
			if (cb)
				cb(ctx, &h);
		}
		/* inserted after the delivery: the name may be an entry's
		 * the insertion evicts */
		if (h.flags & HPACK_F_INCREMENTAL) {
			/* a string too long to keep is over the table cap:
			 * a placeholder (insert() sees the size) */
			bool unknown_name = !h.name && idx;
			uint64_t nl = h.name_len, vl = h.value_len;
			if (nl > UINT32_MAX / 2 || vl > UINT32_MAX / 2)
				nl = vl = UINT32_MAX / 2;
			st = insert(t, h.name ? h.name : "", (uint32_t)nl,
				    unknown_name, h.value ? h.value : "",
				    (uint32_t)vl);
			if (st != HPACK_OK)
				break;
		}
		info->consumed = k.c.off;
	}
	free(k.scratch);
	if (st == HPACK_OK && capped)
		st = HPACK_ERR_LIST_CAP;
	if (st == HPACK_OK)
		info->consumed = n;
	return st;
}
