/* http_body.c - an HTTP body decoded as it comes: see http_body.h. */
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include "http_body.h"
#include "http_int.h"

#define OUT_STEP 16384 /* decoded bytes asked of a decoder at a time */
#define ZSTD_WINDOW_LOG 23 /* 8 MiB: more is refused, not allocated */

hb_enc hb_encoding(const uint8_t *v, size_t n)
{
	while (n && (v[0] == ' ' || v[0] == '\t'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (!n || http_ieq(v, n, "identity"))
		return HB_IDENTITY;
	if (http_ieq(v, n, "gzip") || http_ieq(v, n, "x-gzip"))
		return HB_GZIP;
	if (http_ieq(v, n, "deflate"))
		return HB_DEFLATE;
	if (http_ieq(v, n, "br"))
		return HB_BR;
	if (http_ieq(v, n, "zstd"))
		return HB_ZSTD;
	return HB_OTHER;
}

const char *hb_status_name(unsigned st)
{
	static const char *const names[] = {
		"complete",	  "capped at the size cap", "capped at the ratio cap",
		"capped at the memory cap", "corrupt coded data",
		"coded data cut short",	  "coded bytes missing",
		"not decoded",
	};
	return st < sizeof names / sizeof names[0] ? names[st] : "?";
}

void hb_init(hbody *h, hb_enc enc, size_t max, unsigned ratio,
	     tp_reasm_mem *mem)
{
	memset(h, 0, sizeof *h);
	h->enc = (uint8_t)enc;
	h->max = max;
	h->ratio = ratio;
	h->mem = mem;
	h->status = enc == HB_OTHER ? HB_UNDECODED : HB_OK;
}

static void cut(hbody *h, hb_status st)
{
	if (h->status == HB_OK || h->status == HB_UNDECODED)
		h->status = (uint8_t)st;
}

static bool stopped(const hbody *h)
{
	return h->status != HB_OK && h->status != HB_UNDECODED;
}

/* Room for `want` more decoded bytes (fewer when a cap is near): how many
 * may be written at h->b + h->n; 0 after cutting the body. */
static size_t room(hbody *h, size_t want)
{
	if (h->n >= h->max) {
		cut(h, HB_CAP_SIZE);
		return 0;
	}
	if (h->enc != HB_IDENTITY && h->enc != HB_OTHER &&
	    h->n >= HB_RATIO_FLOOR && h->n / h->ratio > h->in) {
		cut(h, HB_CAP_RATIO);
		return 0;
	}
	if (want > h->max - h->n)
		want = h->max - h->n;
	if (h->cap - h->n >= want)
		return want;
	size_t nc = h->cap ? h->cap : 4096;
	while (nc - h->n < want)
		nc *= 2;
	if (nc > h->max)
		nc = h->max;
	if (h->mem && !tp_reasm_mem_take(h->mem, nc - h->cap)) {
		cut(h, HB_CAP_MEM);
		return 0;
	}
	uint8_t *nb = realloc(h->b, nc);
	if (!nb) {
		if (h->mem)
			tp_reasm_mem_give(h->mem, nc - h->cap);
		cut(h, HB_CAP_MEM);
		return 0;
	}
	h->b = nb;
	h->cap = nc;
	return h->cap - h->n < want ? h->cap - h->n : want;
}

void hb_reserve(hbody *h, uint64_t n)
{
	if (n && !h->cap)
		room(h, n > h->max ? h->max : (size_t)n);
}

static void put(hbody *h, const uint8_t *b, size_t n)
{
	while (n && !stopped(h)) {
		size_t k = room(h, n);
		if (!k)
			return;
		if (b)
			memcpy(h->b + h->n, b, k);
		else
			memset(h->b + h->n, 0, k);
		h->n += k;
		n -= k;
		if (b)
			b += k;
	}
}

/* ---- zlib ---- */

static bool z_start(hbody *h, int bits)
{
	z_stream *z = calloc(1, sizeof *z);
	if (!z || inflateInit2(z, bits) != Z_OK) {
		free(z);
		cut(h, HB_CAP_MEM);
		return false;
	}
	h->dec = z;
	return true;
}

static void z_feed(hbody *h, const uint8_t *b, size_t n)
{
	z_stream *z = h->dec;
	z->next_in = (Bytef *)(uintptr_t)b;
	z->avail_in = (uInt)n;
	while (!h->ended && !stopped(h)) {
		size_t k = room(h, OUT_STEP);
		if (!k)
			return;
		z->next_out = h->b + h->n;
		z->avail_out = (uInt)k;
		int r = inflate(z, Z_NO_FLUSH);
		h->n += k - z->avail_out;
		if (r == Z_STREAM_END) {
			h->ended = true;
		} else if (r == Z_BUF_ERROR || (r == Z_OK && !z->avail_in &&
						z->avail_out)) {
			return; /* all input taken: more to come */
		} else if (r != Z_OK) {
			cut(h, HB_BAD);
			return;
		}
	}
}

/* deflate: RFC 9110 says zlib-wrapped (RFC 1950), servers also send raw
 * RFC 1951 data; browsers take both.  A wrapper is a CMF byte with
 * method 8 and a header check that divides by 31. */
static void deflate_feed(hbody *h, const uint8_t *b, size_t n)
{
	if (!h->raw_known) {
		while (h->npend < 2 && n) {
			h->pend[h->npend++] = *b++;
			n--;
		}
		if (h->npend < 2)
			return;
		bool wrapped = (h->pend[0] & 0x0f) == 8 &&
			       (h->pend[0] << 8 | h->pend[1]) % 31 == 0;
		h->raw_known = true;
		if (!z_start(h, wrapped ? 15 : -15))
			return;
		z_feed(h, h->pend, 2);
	}
	if (n)
		z_feed(h, b, n);
}

/* ---- brotli ---- */

static void br_feed(hbody *h, const uint8_t *b, size_t n)
{
	BrotliDecoderState *s = h->dec;
	size_t avail_in = n;
	const uint8_t *next_in = b;
	while (!h->ended && !stopped(h)) {
		size_t k = room(h, OUT_STEP);
		if (!k)
			return;
		size_t avail_out = k;
		uint8_t *next_out = h->b + h->n;
		BrotliDecoderResult r = BrotliDecoderDecompressStream(
			s, &avail_in, &next_in, &avail_out, &next_out, NULL);
		h->n += k - avail_out;
		if (r == BROTLI_DECODER_RESULT_SUCCESS)
			h->ended = true;
		else if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
			return;
		else if (r == BROTLI_DECODER_RESULT_ERROR)
			cut(h, HB_BAD);
	}
}

/* ---- zstd ---- */

static void zstd_feed(hbody *h, const uint8_t *b, size_t n)
{
	ZSTD_DStream *s = h->dec;
	ZSTD_inBuffer in = {b, n, 0};
	while (!h->ended && !stopped(h)) {
		size_t k = room(h, OUT_STEP);
		if (!k)
			return;
		ZSTD_outBuffer out = {h->b + h->n, k, 0};
		size_t r = ZSTD_decompressStream(s, &out, &in);
		h->n += out.pos;
		if (ZSTD_isError(r)) {
			cut(h, HB_BAD);
		} else if (r == 0) {
			h->ended = true;
		} else if (in.pos == in.size && out.pos < k) {
			return;
		}
	}
}

static bool start(hbody *h)
{
	if (h->dec || h->enc == HB_DEFLATE)
		return true;
	switch (h->enc) {
	case HB_GZIP:
		return z_start(h, 16 + 15);
	case HB_BR:
		h->dec = BrotliDecoderCreateInstance(NULL, NULL, NULL);
		break;
	case HB_ZSTD:
		h->dec = ZSTD_createDStream();
		if (h->dec)
			ZSTD_DCtx_setParameter(h->dec, ZSTD_d_windowLogMax,
					       ZSTD_WINDOW_LOG);
		break;
	default:
		return true;
	}
	if (!h->dec)
		cut(h, HB_CAP_MEM);
	return h->dec != NULL;
}

void hb_feed(hbody *h, const uint8_t *b, size_t n)
{
	if (!n || stopped(h))
		return;
	if (h->enc == HB_IDENTITY || h->enc == HB_OTHER) {
		h->in += n;
		put(h, b, n);
		return;
	}
	h->in += n;
	if (h->ended || !start(h))
		return; /* after the coded stream's end: ignored */
	switch (h->enc) {
	case HB_GZIP:
		z_feed(h, b, n);
		break;
	case HB_DEFLATE:
		deflate_feed(h, b, n);
		break;
	case HB_BR:
		br_feed(h, b, n);
		break;
	case HB_ZSTD:
		zstd_feed(h, b, n);
		break;
	default:
		break;
	}
}

void hb_gap(hbody *h, uint64_t n)
{
	if (!n || stopped(h))
		return;
	h->missing += n;
	if (h->enc == HB_IDENTITY || h->enc == HB_OTHER) {
		put(h, NULL, n > h->max ? h->max : (size_t)n);
		return;
	}
	cut(h, HB_GAP);
}

void hb_finish(hbody *h)
{
	if (h->enc != HB_IDENTITY && h->enc != HB_OTHER && !h->ended &&
	    !stopped(h))
		cut(h, HB_SHORT);
}

void hb_free(hbody *h)
{
	if (h->dec) {
		switch (h->enc) {
		case HB_GZIP:
		case HB_DEFLATE:
			inflateEnd(h->dec);
			free(h->dec);
			break;
		case HB_BR:
			BrotliDecoderDestroyInstance(h->dec);
			break;
		case HB_ZSTD:
			ZSTD_freeDStream(h->dec);
			break;
		default:
			break;
		}
	}
	free(h->b);
	if (h->mem)
		tp_reasm_mem_give(h->mem, h->cap);
	h->dec = NULL;
	h->b = NULL;
	h->n = h->cap = 0;
}
