/* options.h - the command line, parsed once into immutable configuration.
 * No per-packet state lives here. */
#ifndef TAPIR_OPTIONS_H
#define TAPIR_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "tapir/flow.h"
#include "tapir/follow.h"
#include "tapir/output.h"

#define TP_MAX_E 4096 /* -e fields (tapir -G fields lists fewer) */
#define TP_MAX_D 64  /* -d decode-as rules */

typedef enum tp_mode {
	TP_MODE_TEXT,
	TP_MODE_FIELDS,
	TP_MODE_JSON, /* -T json: packets (or --tls's reports) */
	TP_MODE_EK,   /* -T ek: packets in the Elasticsearch bulk format */
} tp_mode;

typedef struct tp_options {
	const char *read_file;   /* -r */
	const char *file_list;   /* --file-list (tcpdump's -V FILE) */
	const char *iface;       /* -i */
	long long count;         /* -c, 0 = no limit */
	int snaplen;             /* -s */
	bool no_promisc;         /* -p */
	int buffer_kib;          /* -B */
	bool immediate;          /* --immediate-mode */
	bool resolve;            /* -N (names): never by default */
	bool list_ifaces;        /* -D */
	const char *G;           /* -G fields|protocols */
	tp_mode mode;            /* -T */
	const char *efields[TP_MAX_E];
	size_t nefields;
	const char *decode_as[TP_MAX_D];
	size_t ndecode_as;
	const char *filter_file; /* -F */
	const char *write_file;  /* -w */
	bool pcapng;             /* --pcapng */
	bool flush_each;         /* -U */
	bool print;              /* --print: print while writing */
	uint64_t rotate_bytes;   /* -C (bytes) */
	unsigned rotate_secs;    /* -G */
	unsigned ring;           /* -W */
	const char *user;        /* -Z */
	bool no_sandbox;         /* --no-sandbox */
	const char *selftest;    /* --sandbox-selftest=WHAT (tests only) */
	char *filter;            /* BPF expression (trailing args) */
	/* flows and streams */
	tp_flowcfg flowcfg;      /* --no-defrag --max-flows --reasm-*-cap ... */
	unsigned stats_kinds;    /* --stats / -z conv|endpoints|io,phs */
	unsigned stats_tables;
	bool follow;             /* --follow EXPR or -z follow,... */
	tp_follow_spec follow_spec;
	const char *follow_out;  /* --follow-out FILE */
	const char *export_dir;  /* --export-streams DIR, --export-objects */
	bool export_objects;     /* ... http,DIR: objects, not streams */
	bool tls;                /* --tls: a report per TLS connection */
	const char *dfilter;     /* -Y: the display filter */
	const char *ek_index;    /* --ek-index NAME (-T ek) */
	unsigned threads;        /* --threads 1|2|3 (0: not given) */
	tp_outopts out;
} tp_options;

/* Parses argv.  Returns 0 to run, 1 when the program should exit 0
 * (--help, --version printed), 2 for a usage error (message printed). */
int tp_options_parse(tp_options *o, int argc, char **argv);
void tp_options_free(tp_options *o);
void tp_usage(FILE *fp);
void tp_usage_hint(FILE *fp); /* the one line after a usage error */

#endif
