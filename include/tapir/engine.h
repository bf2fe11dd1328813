/* engine.h - the capture loop as a small API: one source, dissection,
 * a list of consumers.
 *
 *   tp_engine *e = tp_engine_new(src, &opts, err, sizeof err);
 *   tp_engine_add(e, &consumer);      text or fields output, --stats,
 *                                     --follow, --export-streams, and
 *                                     later the display filter and the TUI
 *   ... drop privileges, enter the sandbox ...
 *   while (tp_engine_run(e, 0) == TP_ENG_MORE)   0: as many as come
 *           ;                          (a UI polls tp_source_fd and
 *                                       runs a few at a time)
 *   int status = tp_engine_finish(e);  end of streams, summaries, totals
 *   tp_engine_free(e);
 *
 * For every packet the source gives: -w writes it (before anything else,
 * as tcpdump), then, when any consumer wants records, it is dissected
 * once (flows, reassembly, defragmentation in the engine's session) and
 * the record goes to each consumer in the order they were added.  A
 * consumer only reads the record.  --threads 3 runs the one consumer that
 * has an output (tp_consumer.out) on a printer thread of its own
 * (printer.h).  The engine never prints packets itself; it prints the
 * damage line (exit status 3), I/O errors (1), the -w progress line, the
 * run's warnings and a live capture's totals on standard error.
 */
#ifndef TAPIR_ENGINE_H
#define TAPIR_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tapir/capture.h"
#include "tapir/flow.h"
#include "tapir/output.h"
#include "tapir/record.h"
#include "tapir/writer.h"

/* Exit statuses (main.c). */
enum { TP_EXIT_OK = 0, TP_EXIT_RUNTIME = 1, TP_EXIT_USAGE = 2,
       TP_EXIT_DAMAGED = 3 };

typedef struct tp_consumer {
	/* Each dissected record, in capture order (NULL: records are not
	 * wanted, e.g. follow, which reads streams through `tap`).  0 to go
	 * on; nonzero ends the run (its output is gone: EPIPE). */
	int (*packet)(void *self, const tp_pkt *p);
	/* Once, after the last record and the end of every stream (held
	 * bytes and gaps reached the taps): summaries.  0 or an exit
	 * status. */
	int (*finish)(void *self);
	/* Once, after every finish and the run's warnings: flush.  0 or an
	 * exit status. */
	int (*flush)(void *self);
	void *self;
	/* Optional: reassembled streams (follow, export), hooked to the
	 * engine's session. */
	const tp_stream_tap *tap;
	/* Optional: whole decoded objects (--export-objects). */
	const tp_object_tap *objtap;
	/* Optional: conversation reports (report.h: --tls). */
	const struct tp_report_tap *reptap;
	/* Optional: the output behind `packet`, which --threads 3 may run
	 * on the printer thread instead (records are then not given to
	 * `packet`). */
	tp_output *out;
} tp_consumer;

#define TP_ENGINE_MAX_CONSUMERS 8

typedef struct tp_engine_opts {
	uint64_t count;        /* -c: stop after this many packets (0: all) */
	tp_writer *writer;     /* -w: every packet read (closed by finish) */
	const char *write_name; /* its name, for the link-type message */
	bool progress;         /* -w on a terminal: the progress line */
	const tp_flowcfg *flowcfg; /* the session, when packets are dissected */
	bool no_verify;        /* no output shows a checksum's status */
	bool lean;             /* no output shows TCP's generated fields */
	bool relative_seq;     /* tcpdump's relative TCP numbers (text, no -S) */
	bool seq_quoted;       /* ... from quoted TCP headers too (-v) */
	bool printer_thread;   /* --threads 3: the output on its own thread */
	FILE *out_fp;          /* the output's stream (the printer's) */
	/* The damage line names the input as this (NULL: the source's
	 * name; "-" is "standard input"). */
	const char *input_name;
} tp_engine_opts;

typedef struct tp_engine tp_engine;

tp_engine *tp_engine_new(tp_source *src, const tp_engine_opts *o, char *err,
			 size_t errlen);
/* -1 when the list is full or the printer thread cannot start. */
int tp_engine_add(tp_engine *e, const tp_consumer *c);
/* The -w writer (the engine closes it), for the sandbox's directory. */
tp_writer *tp_engine_writer(tp_engine *e);
/* The flows of the run (NULL when nothing is dissected). */
tp_session *tp_engine_session(tp_engine *e);
/* Live captures: the totals leave out the interface's drops (libpcap
 * cannot read them under the sandbox). */
void tp_engine_sandboxed(tp_engine *e, bool on);

typedef enum tp_eng_rc {
	TP_ENG_DONE = 0, /* the source ended, -c reached, stopped or failed */
	TP_ENG_MORE = 1, /* `max` packets handled, or none ready yet (live) */
} tp_eng_rc;
/* Read and handle up to `max` packets (0: until the source ends). */
tp_eng_rc tp_engine_run(tp_engine *e, uint64_t max);
/* Ask the run to end (a signal handler may call it). */
void tp_engine_stop(tp_engine *e);
/* Packets read so far (what -c counts). */
uint64_t tp_engine_packets(const tp_engine *e);
/* Once: streams end, consumers finish and flush, -w is closed, the
 * warnings and a live capture's totals are printed.  The run's exit
 * status (0, 1, or 3 for a damaged file). */
int tp_engine_finish(tp_engine *e);
void tp_engine_free(tp_engine *e);

/* The output (text or fields) as a consumer: it ends the run when its
 * stream is a closed pipe.  The others: tp_stats_consumer (stats.h),
 * tp_follow_consumer and tp_export_consumer (follow.h). */
tp_consumer tp_output_consumer(tp_output *out);

#endif
