/* capture_int.h - the capture source's insides, shared by capture.c
 * (libpcap, filters) and capfile.c (the file reader). */
#ifndef TAPIR_CAPTURE_INT_H
#define TAPIR_CAPTURE_INT_H

#include <pcap/pcap.h>
#include <signal.h>
#include <time.h>
#include <zlib.h>

#include "tapir/capture.h"

struct tp_iface {
	int linktype;
	uint32_t snaplen;
	bool res_pow2;   /* if_tsresol: 2^-exp instead of 10^-exp */
	uint8_t res_exp;
	int64_t tsoffset;
};

struct tp_filter {
	int linktype;
	bool ok; /* false: the filter cannot apply to this link type */
	struct bpf_program prog;
};

/* What a kind of source does (file, file list, live interface): the
 * public tp_source_* calls go through this table, never through a test
 * of which kind the source is. */
typedef struct tp_source_ops {
	const char *kind; /* "file", "file-list", "live" */
	bool live;
	tp_rd (*next)(tp_source *s, tp_pkthdr *h, const uint8_t **data);
	int (*set_filter)(tp_source *s, const char *expr, char *err,
			  size_t errlen);
	/* NULL: the kind has no write-only fast path */
	int (*dispatch)(tp_source *s, int max, tp_packet_fn fn, void *user);
	void (*stats)(const tp_source *s, tp_capstats *st);
	const char *(*warning)(const tp_source *s, char *buf, size_t n);
	int (*fd)(const tp_source *s);
	void (*breakloop)(tp_source *s); /* async-signal-safe */
	void (*close)(tp_source *s);     /* the kind's own parts */
} tp_source_ops;

extern const tp_source_ops tp_file_ops, tp_list_ops, tp_live_ops;

struct tp_source {
	const tp_source_ops *ops;
	const char *name;
	tp_filefmt fmt;
	/* file */
	gzFile gz;
	struct tp_readahead *ra; /* a plain file: read without zlib */
	int fd;                  /* the file (read by ra or by gz) */
	bool gzip;
	bool big;         /* the file's byte order is big-endian */
	bool dead;        /* damage seen: no more packets */
	bool pending_shb; /* pcapng: the first SHB's magic is consumed */
	uint8_t *buf;
	size_t bufcap;
	uint64_t off;     /* bytes of the (decompressed) file consumed */
	int linktype;
	uint32_t snaplen;
	uint64_t over_snaplen; /* pcap records longer than the header's snaplen */
	struct tp_iface *ifs;
	size_t nifs, ifcap;
	/* live */
	pcap_t *pcap;
	volatile sig_atomic_t stop;
	int timeout_ms;
	bool immediate;
	/* live packets are read in batches with pcap_dispatch (one
	 * pcap_next_ex per packet lost 12% more under a flood) and copied
	 * here; live_next hands them out one by one */
	uint8_t *batch;
	size_t batch_cap, batch_used;
	struct tp_batched {
		tp_pkthdr h;
		size_t off;
	} *batched;
	unsigned nbatched, next_batched;
	bool draining;           /* stop asked: emptying the ring */
	struct timespec drain_until;
	/* capture filter, compiled once per link type seen */
	char *filter;
	struct tp_filter *filters;
	size_t nfilters;
	/* --file-list: the files after this one, open before the sandbox */
	int *list_fds;
	char **list_names;
	size_t list_n, list_at;
	/* errors */
	char err[512];
	uint64_t err_off;
};

tp_rd tp_capfile_next(tp_source *s, tp_pkthdr *h, const uint8_t **data);
void tp_capfile_close(tp_source *s);
const char *tp_capfile_warning(const tp_source *s, char *buf, size_t n);
/* Go on with the capture file open on fd (taken over): -1 with s->err
 * when it is not one. */
int tp_capfile_switch(tp_source *s, int fd, const char *path);
/* LINKTYPE_ (files) to DLT_ (libpcap): they differ for a few values
 * (capture.c; the -w writer uses it too). */
int tp_linktype_to_dlt(int lt);

#endif
