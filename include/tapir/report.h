/* report.h - what a dissector tells about a conversation as a whole
 * (a TLS connection's handshake; later a DNS or an HTTP transaction):
 * one report, made when the dissector knows the answer (the handshake
 * ended, failed, or its connection went away), read by a report
 * consumer (--tls prints it as a block of text or one JSON object; the
 * live view shows them as a table).
 *
 * A report is a flat list of typed items (strings, numbers, booleans,
 * and lists and objects opened and closed around items), copied into
 * the report itself: nothing in it points to packet bytes or to the
 * dissector's state, and it is bounded (what does not fit is left out
 * and `truncated` set).  The consumer formats it: the dissector never
 * prints.
 *
 *   if (tp_report_wanted(sess, "tls")) {
 *           tp_report r;
 *           tp_report_init(&r, "tls", &key, client_side, stream);
 *           tp_rep_str(&r, "sni", name);
 *           tp_rep_list(&r, "alpn_offered"); tp_rep_str(&r, NULL, "h2");
 *           tp_rep_end(&r);
 *           tp_report_emit(sess, &r);
 *   }
 */
#ifndef TAPIR_REPORT_H
#define TAPIR_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tapir/flow.h"

#define TP_REPORT_ITEMS 192
#define TP_REPORT_TEXT 8192 /* bytes of the strings, NULs included */
#define TP_REPORT_DEPTH 4   /* lists and objects nested */

typedef enum tp_ri_kind {
	TP_RI_STR = 1,
	TP_RI_UINT,
	TP_RI_BOOL,
	TP_RI_MS,   /* a duration in nanoseconds, shown in milliseconds */
	TP_RI_TIME, /* a time in nanoseconds since the epoch */
	TP_RI_LIST, /* opens a list: the items up to its TP_RI_END */
	TP_RI_OBJ,  /* opens an object */
	TP_RI_END,
} tp_ri_kind;

typedef struct tp_ritem {
	uint8_t kind;
	uint16_t key;  /* offset of the key in text[] (0: none: a list's) */
	uint32_t len;  /* a string's length */
	union {
		uint32_t s; /* offset of a string in text[] */
		uint64_t u; /* a number, a bool (0 or 1) */
		int64_t i;  /* a time or a duration (nanoseconds) */
	} v;
} tp_ritem;

typedef struct tp_report {
	const char *proto; /* "tls": static */
	/* the conversation: its flow key, which side of it the client is,
	 * and its stream number (tcp.stream / udp.stream) */
	tp_flowkey key;
	uint8_t client;
	uint32_t stream;
	tp_ritem items[TP_REPORT_ITEMS];
	unsigned n;
	char text[TP_REPORT_TEXT];
	size_t tlen;
	unsigned depth;
	bool truncated; /* items or text left out: they did not fit */
} tp_report;

/* Reports wanted by the run's consumer (at most one per session). */
typedef struct tp_report_tap {
	/* NULL: every protocol's; else the one protocol's */
	const char *proto;
	void (*report)(void *ctx, const tp_report *r);
	void *ctx;
} tp_report_tap;

/* Does anything want `proto`'s reports?  (A dissector asks before it
 * gathers what only a report shows.)  s may be NULL. */
bool tp_report_wanted(const tp_session *s, const char *proto);

void tp_report_init(tp_report *r, const char *proto, const tp_flowkey *key,
		    uint8_t client, uint32_t stream);
/* Items.  key is the JSON key (NULL inside a list). */
void tp_rep_str(tp_report *r, const char *key, const char *s);
void tp_rep_strn(tp_report *r, const char *key, const void *s, size_t n);
void tp_rep_uint(tp_report *r, const char *key, uint64_t v);
void tp_rep_bool(tp_report *r, const char *key, bool v);
void tp_rep_ms(tp_report *r, const char *key, int64_t ns);
void tp_rep_time(tp_report *r, const char *key, int64_t ns);
void tp_rep_list(tp_report *r, const char *key);
void tp_rep_obj(tp_report *r, const char *key);
void tp_rep_end(tp_report *r);
/* An item's key or string (a pointer into r->text). */
static inline const char *tp_rep_text(const tp_report *r, uint32_t off)
{
	return r->text + off;
}

/* Hands the report to the session's tap (lists and objects left open
 * are closed first).  s may be NULL (then nothing). */
void tp_report_emit(const tp_session *s, tp_report *r);

/* The formats (src/output/report_out.c).  The text: a head line
 * "TLS stream 3  10.0.0.1:51234 -> 10.0.0.2:443  established 12.345 ms"
 * (the items "outcome" and "duration_ms" go there), then one line
 * per item, "  key: value", lists joined with ", ", objects in a list
 * one per line under their key.  JSON: one object per line with the
 * keys "proto", "stream", "client", "server", then the items; strings
 * escaped into valid UTF-8 whatever bytes they hold. */
void tp_report_text(const tp_report *r, FILE *fp);
void tp_report_json(const tp_report *r, FILE *fp);

/* A report consumer for the engine: the reports of `proto` printed on
 * fp as text or JSON (flushed after each one when `flush_each`: a live
 * capture). */
struct tp_consumer;
typedef struct tp_reporter tp_reporter;
tp_reporter *tp_reporter_new(const char *proto, bool json, bool flush_each,
			     FILE *fp);
struct tp_consumer tp_reporter_consumer(tp_reporter *rp);
uint64_t tp_reporter_count(const tp_reporter *rp);
void tp_reporter_free(tp_reporter *rp);

#endif
