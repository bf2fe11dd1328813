/* http2_int.h - what dissectors/http2.c (framing, frames, fields) and
 * dissectors/http2_conn.c (the connection: streams, HPACK tables, flow
 * control, bodies, --stats http2) share. */
#ifndef TAPIR_HTTP2_INT_H
#define TAPIR_HTTP2_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hpack.h"
#include "http_body.h"
#include "tapir/dissector.h"
#include "tapir/flow.h"

#define H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_PREFACE_LEN 24u
#define H2_HDR 9u
/* The longest frame gathered into one PDU (header included); a longer
 * one (SETTINGS_MAX_FRAME_SIZE allows 2^24-1) comes as a head and its
 * payload as it arrives. */
#define H2_FRAME_MAX ((1u << 20) + H2_HDR)
/* A header block (HEADERS or PUSH_PROMISE + CONTINUATION) is joined up
 * to this many bytes; a longer one is not decoded (the table is then
 * reset: its insertions are unknown). */
#define H2_BLOCK_MAX (64u << 10)
/* Streams tracked per connection at once: past it the oldest closed
 * stream is forgotten, else the oldest open one. */
#define H2_STREAMS_MAX 256u
#define H2_WINDOW_DEFAULT 65535

enum {
	T_DATA, T_HEADERS, T_PRIORITY, T_RST_STREAM, T_SETTINGS,
	T_PUSH_PROMISE, T_PING, T_GOAWAY, T_WINDOW_UPDATE, T_CONTINUATION,
	T_COUNT_
};

enum {
	H2F_STREAM,
	H2F_LENGTH,
	H2F_TYPE,
	H2F_FLAGS,
	H2F_FL_END_STREAM,
	H2F_FL_EH,
	H2F_FL_PADDED,
	H2F_FL_PRIORITY,
	H2F_FL_ACK_SETTINGS,
	H2F_FL_ACK_PING,
	H2F_R,
	H2F_STREAMID,
	H2F_MAGIC,
	H2F_PAD_LENGTH,
	H2F_EXCLUSIVE,
	H2F_DEP,
	H2F_WEIGHT,
	H2F_WEIGHT_REAL,
	H2F_DATA,
	H2F_DATA_PAD,
	H2F_HDRS,
	H2F_HDRS_PAD,
	H2F_HEADER,
	H2F_H_LENGTH,
	H2F_H_NAME_LEN,
	H2F_H_NAME,
	H2F_H_VALUE_LEN,
	H2F_H_VALUE,
	H2F_H_REPR,
	H2F_H_INDEX,
	H2F_H_UNKNOWN_INDEX,
	H2F_H_COUNT,
	H2F_H_ERROR,
	H2F_METHOD,
	H2F_PATH,
	H2F_AUTHORITY,
	H2F_SCHEME,
	H2F_STATUS,
	H2F_CONTENT_TYPE,
	H2F_CONTENT_ENCODING,
	H2F_CONTENT_LENGTH,
	H2F_USER_AGENT,
	H2F_SERVER,
	H2F_LOCATION,
	H2F_FULL_URI,
	H2F_RST_ERROR,
	H2F_SETTINGS,
	H2F_SET_ID,
	H2F_SET_HTS,
	H2F_SET_PUSH,
	H2F_SET_MCS,
	H2F_SET_IWS,
	H2F_SET_MFS,
	H2F_SET_MHLS,
	H2F_SET_ECONNECT,
	H2F_SET_UNKNOWN,
	H2F_PP_R,
	H2F_PP_ID,
	H2F_PP_HDR,
	H2F_PP_PAD,
	H2F_PING,
	H2F_PONG,
	H2F_GA_R,
	H2F_GA_LAST,
	H2F_GA_ERR,
	H2F_GA_DATA,
	H2F_WU_R,
	H2F_WU_INC,
	H2F_CONT_HDR,
	H2F_UNKNOWN,
	H2F_CONTINUED, /* a long frame's payload after its head */
	H2F_REQUEST_IN,
	H2F_TIME,
	H2F_PUSH_IN,
	H2F_WIN_STREAM,
	H2F_WIN_CONN,
	H2F_BODY_LEN,
	H2F_BODY_DATA,
	H2F_BODY_CTYPE,
	H2F_COUNT_
};

enum {
	H2E_FRAME_SIZE,
	H2E_STREAM_ID,
	H2E_PADDING,
	H2E_HPACK,
	H2E_UNKNOWN_INDEX,
	H2E_BLOCK_LONG,
	H2E_LIST_CAP,
	H2E_CONTINUATION,
	H2E_WIN_EXHAUSTED,
	H2E_WIN_EXCEEDED,
	H2E_LONG,
	H2E_BODY_CAPPED,
	H2E_BODY_BAD,
	H2E_GAP,
	H2E_MEM,
	H2E_COUNT_
};

extern const tp_dissector tp_diss_http2;
extern const tp_field_def tp_http2_fields[H2F_COUNT_];
extern const tp_event_def tp_http2_events[H2E_COUNT_];
extern const tp_valstr h2_type_vals[];
#define H2FD(i) (&tp_http2_fields[i])
#define H2EV(i) (&tp_http2_events[i])

/* A stream of the connection: both halves (index: the direction that
 * sends). */
typedef struct h2stream {
	uint32_t id;
	bool used;
	bool opened, closed, counted;
	bool ended[2];  /* END_STREAM sent that way */
	bool reset;
	bool have_req;
	uint8_t req_dir;
	uint64_t req_frame, push_frame, seen; /* seen: a use counter (LRU) */
	int64_t req_ts;
	int64_t win[2]; /* the sender's stream window */
	/* bodies (bodies wanted only) */
	bool body_on[2];
	hbody body[2];
	uint64_t body_frame[2];
	char *host, *path, *ctype[2];
	uint16_t stats_ct[2]; /* --stats http: the body's content type */
	uint64_t data_len[2]; /* DATA bytes (padding not counted) */
	/* that way's message was seen from its HEADERS, with no gap since:
	 * data_len is its body's length */
	bool whole[2];
} h2stream;

/* The connection, shared by both directions' states. */
typedef struct h2conn {
	unsigned refs;
	tp_session *s;      /* for the memory cap, or NULL */
	uint64_t charged;   /* bytes charged to s->mem */
	hpack_table tab[2]; /* decoding the headers sent that way */
	bool tab_made[2], fresh[2];
	uint32_t tab_limit[2]; /* the limit to make it with */
	bool limit_seen[2];    /* ... from the peer's SETTINGS */
	/* HTTP handed the flow over after an Upgrade: the client's
	 * HTTP2-Settings (not dissected) may have set the server's table
	 * limit and stream windows */
	bool upgraded;
	bool upgrade_settings; /* ... and its HTTP2-Settings were read */
	uint64_t tab_charged[2];
	uint32_t iws[2]; /* SETTINGS_INITIAL_WINDOW_SIZE that side sent */
	int64_t conn_win[2];
	bool win_known; /* both directions seen from their start */
	h2stream *sv;
	unsigned nsv, capsv;
	uint64_t clock;
	unsigned open, peak;
	uint64_t streams;
	bool goaway[2];
	void *stats; /* the run's --stats http2 state, when counted */
	uint32_t tcp_stream; /* tcp.stream, for the export's index */
} h2conn;

/* A direction's state. */
typedef struct h2dir {
	struct h2dir *peer;
	h2conn *c;
	uint8_t dir;
	/* framing (pdu_len) */
	uint8_t kind; /* of the PDU last cut: K_* */
	bool begun;   /* a PDU was cut */
	bool sync;    /* framing lost: wait for a plausible frame header */
	bool gapped;  /* a gap since the last dissect */
	bool fresh;   /* the direction's first bytes were seen */
	uint64_t rem, done;
	uint8_t lh[H2_HDR]; /* a long frame's header */
	uint8_t lpad;       /* its pad length, when PADDED */
	/* a header block being joined (HEADERS/PUSH_PROMISE + CONTINUATION) */
	bool blk_on, blk_over, blk_es;
	uint8_t blk_type;
	uint32_t blk_id, blk_promised;
	uint8_t *blk;
	size_t blen, bcap;
} h2dir;

enum { K_FRAME = 0, K_PREFACE, K_HEAD, K_CONT, K_JUNK };

/* http2_conn.c */
h2conn *h2_conn(tp_pkt *p, h2dir *h);
void h2_conn_release(h2conn *c);
/* n bytes charged to (given back to) the session's reassembly memory
 * cap; false when refused */
bool h2_mem_take(h2conn *c, size_t n);
void h2_mem_give(h2conn *c, size_t n);
h2stream *h2_stream(h2conn *c, uint32_t id, bool make);
/* A setting sent by direction `from` takes effect: the table limit and
 * the stream windows of the other side's sending. */
void h2_setting_apply(h2conn *c, int from, unsigned id, uint32_t v);
void h2_stream_open(h2conn *c, h2stream *s);
void h2_stream_close(h2conn *c, h2stream *s, bool reset);
hpack_table *h2_table(h2conn *c, int dir);
void h2_table_charge(tp_pkt *p, h2conn *c, int dir);
void h2_table_reset(h2conn *c, int dir);
bool h2_bodies_wanted(const tp_pkt *p);
char *h2_strdup(h2conn *c, const void *b, size_t n, size_t max);
void h2_str_free(h2conn *c, char **s);
void h2_body_start(tp_pkt *p, h2conn *c, h2stream *s, int dir,
		   const uint8_t *ce, size_t cen);
void h2_body_feed(h2stream *s, int dir, uint64_t frame, const uint8_t *b,
		  size_t n);
void h2_body_end(tp_pkt *p, h2conn *c, h2stream *s, int dir, size_t at,
		 const char *why);
void h2_body_gap(h2conn *c, int dir);

/* --stats http2 (http2_conn.c) */
void *h2_session_new(void);
void h2_session_free(void *st);
void h2_stats_print(void *st, FILE *fp);
/* A frame of `type` (0x100 | type: an RST_STREAM's or GOAWAY's error
 * `code`), counted in a run that is not lean; a stream opened. */
void h2_stats_frame(tp_pkt *p, h2conn *c, unsigned type, uint32_t code);
void h2_stats_stream(h2conn *c);

#endif
