/* http_int.h - what dissectors/http.c (framing, fields) and
 * dissectors/http_print.c (tcpdump's text, Info, tapir's pairing note)
 * share. */
#ifndef TAPIR_HTTP_INT_H
#define TAPIR_HTTP_INT_H

#include "tapir/dissector.h"

/* The header block's cap (RFC 9112 leaves it to the implementation):
 * a block that has not ended by then is MALFORMED and the bytes after it
 * are resynchronised on the next message start. */
#define HTTP_HDR_MAX 65536u
/* A chunk-size line (with its extensions) longer than this is MALFORMED. */
#define HTTP_CHUNK_LINE_MAX 4096u
/* Requests waiting for their response per direction (pipelining). */
#define HTTP_PIPE_MAX 8u

enum {
	F_REQUEST,
	F_RESPONSE,
	F_METHOD,
	F_URI,
	F_FULL_URI,
	F_REQ_VERSION,
	F_RESP_VERSION,
	F_CODE,
	F_PHRASE,
	F_REQ_LINE,
	F_RESP_LINE,
	F_HOST,
	F_USER_AGENT,
	F_ACCEPT,
	F_CONTENT_TYPE,
	F_CL_HDR,
	F_CL,
	F_CONTENT_ENCODING,
	F_TRANSFER_ENCODING,
	F_CONNECTION,
	F_SERVER,
	F_LOCATION,
	F_DATE,
	F_LAST_MODIFIED,
	F_CACHE_CONTROL,
	F_UPGRADE,
	F_CHUNK_SIZE,
	F_CHUNK_DATA,
	F_TRAILER,
	F_FILE_DATA,
	F_REQUEST_NUMBER,
	F_RESPONSE_NUMBER,
	F_PREV_REQUEST_IN,
	F_REQUEST_IN,
	F_TIME,
	F_COUNT_
};

enum {
	E_HDR_LONG,
	E_BAD_CL,
	E_BAD_CHUNK,
	E_BAD_TE,
	E_PIPE_FULL,
	E_BODY_CAPPED,
	E_BODY_BAD,
	E_COUNT_
};

extern const tp_dissector tp_diss_http;
extern const tp_field_def tp_http_fields[F_COUNT_];
extern const tp_event_def tp_http_events[E_COUNT_];
#define FD(i) (&tp_http_fields[i])

/* Request methods: tcpdump's list first (http_nmethods_tcpdump of
 * them), then the others the probe knows. */
typedef struct http_method {
	const char *s;
	size_t n;
} http_method;
extern const http_method http_methods[];
extern const size_t http_nmethods_tcpdump;

/* b[0..n) equals the lower-case s, ignoring ASCII case. */
bool http_ieq(const uint8_t *b, size_t n, const char *s);

/* Does b[0..n) begin like a request or status line?  TP_PROBE_MORE when
 * too few bytes tell. */
tp_probe http_looks_start(const uint8_t *b, size_t n);

void http_seg_text(const tp_pkt *p, unsigned li, tp_cursor payload,
		   uint32_t length, struct tp_sbuf *s,
		   const struct tp_outopts *o);
tp_sum http_summarize(const tp_pkt *p, unsigned li, struct tp_sbuf *s,
		      const struct tp_outopts *o);
void http_info(const tp_pkt *p, unsigned li, struct tp_sbuf *s);

/* --stats http (http_stats.c): the run's counters, fed the fields of
 * each PDU layer `li` dissect() made; *ct is the direction's current
 * response content type (0 before any). */
void *http_session_new(void);
void http_session_free(void *st);
void http_stats_pdu(tp_pkt *p, unsigned li, uint16_t *ct);
void http_stats_print(void *st, FILE *fp);

#endif
