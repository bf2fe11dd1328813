/* http_body.h - an HTTP body decoded as it comes (dissectors/http_body.c):
 * de-chunked bytes in, the entity body out, through the decoder its
 * Content-Encoding names (gzip and deflate through zlib, deflate with or
 * without its zlib wrapper as browsers accept it; br through libbrotli,
 * zstd through libzstd).
 *
 * Never unbounded: the decoded bytes stop at `max` (a size cap) and at
 * `ratio` times the coded bytes fed (a ratio cap, once past
 * HB_RATIO_FLOOR bytes: a decompression bomb), and every byte of the
 * buffer is charged to the session's reassembly memory first (refused:
 * capped too).  Once capped, decoding stops and the rest is ignored: the
 * body is cut there, and the status says why.  The decoders' own state is
 * bounded too (zlib's 32 KiB window; zstd's window at 8 MiB, brotli's
 * at its default 16 MiB).
 */
#ifndef TAPIR_HTTP_BODY_H
#define TAPIR_HTTP_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tapir/reasm.h"

#define HB_MAX (16u << 20)        /* decoded bytes of one body */
#define HB_RATIO 1000u            /* decoded / coded bytes */
#define HB_RATIO_FLOOR (1u << 20) /* the ratio is checked past this */

typedef enum hb_enc {
	HB_IDENTITY = 0,
	HB_GZIP,
	HB_DEFLATE,
	HB_BR,
	HB_ZSTD,
	HB_OTHER, /* a coding not decoded (compress, several codings) */
} hb_enc;

typedef enum hb_status {
	HB_OK = 0,
	HB_CAP_SIZE,  /* cut at `max` */
	HB_CAP_RATIO, /* cut at `ratio` times the coded bytes */
	HB_CAP_MEM,   /* cut: the reassembly memory cap */
	HB_BAD,       /* the coded data is corrupt: cut at the error */
	HB_SHORT,     /* the coded data ended before its end (hb_finish) */
	HB_GAP,       /* coded bytes missing in the capture: cut there */
	HB_UNDECODED, /* HB_OTHER: the bytes are the coded ones */
} hb_status;

typedef struct hbody {
	uint8_t enc, status;
	bool ended;         /* the coded stream's end was seen */
	bool raw_known;     /* deflate: wrapped or raw decided */
	uint8_t pend[2], npend; /* deflate: the first bytes, to decide */
	uint8_t *b;         /* the decoded body so far */
	size_t n, cap, max;
	unsigned ratio;
	uint64_t in;        /* coded bytes fed */
	uint64_t missing;   /* bytes the capture lacked (zeros in b) */
	tp_reasm_mem *mem;  /* charged with cap (may be NULL) */
	void *dec;          /* the decoder's state */
} hbody;

/* The coding a Content-Encoding value names. */
hb_enc hb_encoding(const uint8_t *v, size_t n);
void hb_init(hbody *h, hb_enc enc, size_t max, unsigned ratio,
	     tp_reasm_mem *mem);
/* Room for n decoded bytes at once (a Content-Length), within the caps:
 * no regrowth on the way. */
void hb_reserve(hbody *h, uint64_t n);
/* Body bytes as they come (de-chunked, still coded). */
void hb_feed(hbody *h, const uint8_t *b, size_t n);
/* n body bytes the capture lacks: zeros for an identity body (within the
 * cap), else decoding stops (HB_GAP). */
void hb_gap(hbody *h, uint64_t n);
/* The message ended: HB_SHORT when a coded stream had not. */
void hb_finish(hbody *h);
/* Free the decoder and the bytes, give the memory back. */
void hb_free(hbody *h);
const char *hb_status_name(unsigned st);
struct tp_pkt;

/* RFC 9110's reason phrase for a status code, as tshark prints it (its
 * table, not the server's), or NULL: HTTP/1.x's --stats and HTTP/2's
 * Info (http_stats.c). */
const char *http_status_phrase(unsigned code);
/* Does tshark name a body of media type t[0..n) (no parameters) in Info
 * ("(text/html)")?  http_print.c. */
bool http_media_named(const uint8_t *t, size_t n);

/* An HTTP2-Settings header value (base64url, RFC 9113 3.2.1) decoded
 * into out (at most cap bytes): the length, or 0 when it is not
 * base64url or does not fit. */
size_t http2_settings_decode(const uint8_t *v, size_t n, uint8_t *out,
			     size_t cap);
/* Its settings as HTTP/2's fields (http2.settings, .id, the value),
 * under the layer being dissected, pointing at the header value
 * (http2.c). */
void http2_settings_fields(struct tp_pkt *p, size_t at, size_t len,
			   const uint8_t *b, size_t n);

/* --stats http counts HTTP/2's messages with HTTP/1.x's (http_stats.c):
 * a request head (method, host or :authority) or a response head (its
 * status, content type and time since its request); *ct is set to the
 * response's content type for its body's bytes, http_stats_body's. */
typedef struct http_msg_stat {
	bool request, response, has_code, timed;
	const uint8_t *method, *host, *type;
	size_t mn, hn, tn;
	unsigned code;
	int64_t time;
} http_msg_stat;
void http_stats_msg(struct tp_pkt *p, const http_msg_stat *m, uint16_t *ct);
void http_stats_body(struct tp_pkt *p, uint16_t ct, uint64_t bytes);

#endif
