/* follow.h - --follow and --export-streams: consumers of reassembled
 * streams, fed through the session's stream taps (flow.h). */
#ifndef TAPIR_FOLLOW_H
#define TAPIR_FOLLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tapir/flow.h"

typedef enum tp_follow_fmt {
	TP_FOLLOW_ASCII, /* tshark -z follow,tcp,ascii */
	TP_FOLLOW_HEX,   /* tshark -z follow,tcp,hex */
	TP_FOLLOW_RAW,   /* the bytes themselves, binary */
	TP_FOLLOW_HEXRAW /* tshark -z follow,tcp,raw: hex lines */
} tp_follow_fmt;

typedef enum tp_follow_dir {
	TP_DIR_BOTH,
	TP_DIR_CLIENT, /* client -> server only */
	TP_DIR_SERVER, /* server -> client only */
} tp_follow_dir;

typedef struct tp_follow_spec {
	uint8_t proto;    /* 6 or 17 */
	bool by_stream;   /* tcp.stream==N, else the 4-tuple */
	uint32_t stream;
	uint8_t family;
	uint8_t addr[2][16];
	uint16_t port[2];
	tp_follow_fmt fmt;
	tp_follow_dir dir;
	bool tshark_z;    /* given as -z follow,...: tshark's banner too */
	bool any;         /* "tcp" or "udp" alone: the streams -Y selects */
} tp_follow_spec;

/* A set of streams, by protocol (6, 17) and stream number: those with a
 * packet -Y matched, found in a first pass over the capture, for
 * --follow tcp|udp and --export-streams.  Bit sets, grown as numbers
 * come; a number at or past TP_STREAMSET_MAX is not kept (`over` says
 * it happened). */
#define TP_STREAMSET_MAX (1u << 24)
typedef struct tp_streamset {
	uint8_t *bits[2];   /* TCP, UDP */
	size_t nbytes[2];
	size_t count;
	bool over;
} tp_streamset;
/* false when the number is past the cap or memory ran out */
bool tp_streamset_add(tp_streamset *s, uint8_t proto, uint32_t stream);
bool tp_streamset_has(const tp_streamset *s, uint8_t proto,
		      uint32_t stream);
/* The next stream number of `proto` in the set at or after *from; false
 * when there is none. */
bool tp_streamset_next(const tp_streamset *s, uint8_t proto,
		       uint32_t *from);
void tp_streamset_free(tp_streamset *s);

/* "tcp.stream==3", "udp.stream eq 0", "tcp,10.0.0.1:80,10.0.0.2:5000",
 * "tcp,[fd00::1]:80,[fd00::2]:5000", or "tcp" / "udp" alone (any: with
 * -Y).  Returns 0, or -1. */
int tp_follow_parse(const char *expr, tp_follow_spec *s);
int tp_follow_parse_fmt(const char *name, tp_follow_fmt *f);
/* tshark's "-z follow,tcp,ascii,N" form. */
int tp_follow_parse_z(const char *arg, tp_follow_spec *s);

typedef struct tp_follow tp_follow;
tp_follow *tp_follow_new(const tp_follow_spec *s, FILE *out);
const tp_stream_tap *tp_follow_tap(tp_follow *f);
/* Print the end of the output (tshark's closing line); returns 0, or -1
 * when nothing matched (a message was printed to stderr). */
int tp_follow_finish(tp_follow *f);
void tp_follow_free(tp_follow *f);

/* --export-streams DIR: each direction of each TCP stream (and UDP
 * stream) becomes DIR/<name>, gaps left as holes, plus DIR/index.tsv. */
typedef struct tp_export tp_export;
tp_export *tp_export_new(const char *dir, char *err, size_t errlen);
/* --export-objects http,DIR: every whole object (an HTTP body, decoded)
 * as a file named from its URI (tp_object_name; -1, -2 ... before the
 * extension when taken; created O_EXCL|O_NOFOLLOW in DIR: never an
 * existing file, never through a link), plus DIR/index.tsv (frame,
 * stream, host, URI, content type, size, SHA-256, complete or what is
 * missing, file).  The same DIR handling as the streams' export. */
tp_export *tp_export_objects_new(const char *dir, char *err, size_t errlen);
void tp_object_name(const char *uri, char *out, size_t cap);
/* Create DIR/index.tsv: called after the privilege drop, so that it
 * belongs to the capture user like the stream files (made by then at
 * the latest by the first row or by tp_export_finish). */
int tp_export_open_index(tp_export *e, char *err, size_t errlen);
const tp_stream_tap *tp_export_tap(tp_export *e);
int tp_export_dirfd(const tp_export *e); /* for the sandbox */
/* Export only the streams of the set (-Y); NULL: all (the default).
 * The set must outlive the export. */
void tp_export_select(tp_export *e, const tp_streamset *s);
/* Did this run make the directory (main hands it to the capture user)? */
bool tp_export_created(const tp_export *e);
int tp_export_finish(tp_export *e, char *err, size_t errlen);
void tp_export_free(tp_export *e);

/* --follow and --export-streams as consumers of the engine (engine.h):
 * streams through their tap, the summary or the index written when the
 * run finishes (a failure there is exit status 1). */
struct tp_consumer;
struct tp_consumer tp_follow_consumer(tp_follow *f);
struct tp_consumer tp_export_consumer(tp_export *e);

/* --follow tcp|udp -Y FILTER: a follow for each stream of `proto` in the
 * set (the first `max`; *left counts the others), each printed whole,
 * one after the other in stream order, when the run finishes. */
#define TP_FOLLOW_MANY_MAX 64
typedef struct tp_follow_many tp_follow_many;
tp_follow_many *tp_follow_many_new(const tp_follow_spec *s,
				   const tp_streamset *set, FILE *out,
				   unsigned max, unsigned *left);
unsigned tp_follow_many_count(const tp_follow_many *m);
int tp_follow_many_finish(tp_follow_many *m);
void tp_follow_many_free(tp_follow_many *m);
struct tp_consumer tp_follow_many_consumer(tp_follow_many *m);

#endif
