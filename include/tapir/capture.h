/* capture.h - where packets come from: capture files and live interfaces.
 *
 * Files are read by tapir's own reader (src/capture/capfile.c), not libpcap's:
 *  - pcapng files whose interfaces have different link types or snap
 *    lengths are read correctly (libpcap refuses them): every packet carries
 *    its own interface's link type;
 *  - gzip-compressed files of either format are read through zlib, which
 *    recognises them by their magic bytes whatever the name;
 *  - damage is reported with the packet number and the byte offset where
 *    the file stops making sense, after every good packet before it.
 * Live interfaces go through libpcap (src/capture/capture.c).  Either way a BPF
 * capture filter is compiled by libpcap's pcap_compile.
 */
#ifndef TAPIR_CAPTURE_H
#define TAPIR_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tp_pkthdr {
	int64_t sec;
	uint32_t nsec;
	uint32_t caplen;
	uint32_t len;
	int linktype;      /* LINKTYPE_* of this packet's interface */
	uint32_t ifindex;  /* pcapng interface id, else 0 */
	/* A pcap record's fraction of a second out of range (1000000 us or
	 * more, 10^9 ns or more): `nsec` holds the largest valid one and
	 * these the record's own value, for the text output to print as
	 * tcpdump does.  bad_frac_unit is 0 when the fraction is in range,
	 * else 6 (the file counts microseconds) or 9 (nanoseconds). */
	uint32_t bad_frac;
	uint8_t bad_frac_unit;
} tp_pkthdr;

typedef enum tp_rd {
	TP_RD_EOF = 0,
	TP_RD_PACKET = 1,
	TP_RD_DAMAGED = -1, /* see tp_source_error() */
	TP_RD_ERROR = -2,   /* I/O or capture error */
	TP_RD_AGAIN = -3,   /* live: timeout, no packet yet */
} tp_rd;

typedef enum tp_filefmt {
	TP_FMT_PCAP,
	TP_FMT_PCAP_NSEC,
	TP_FMT_PCAP_KUZNETZOV,
	TP_FMT_PCAPNG,
	TP_FMT_LIVE,
} tp_filefmt;

typedef struct tp_source tp_source;

/* Open a capture file ("-" is standard input).  NULL on failure, with the
 * reason in err (cannot open, not a capture file). */
tp_source *tp_source_open_file(const char *path, char *err, size_t errlen);
/* The same on a descriptor already open for reading (taken over, closed
 * with the source, also on failure); `name` names it in messages and
 * must outlive the source. */
tp_source *tp_source_open_fd(int fd, const char *name, char *err,
			     size_t errlen);

/* tcpdump's -V FILE (--file-list): the capture files LIST names, one a
 * line ("-": standard input; empty lines skipped), read in turn as one
 * source.  Every file is opened here, before the sandbox, so a missing
 * one stops the program before any packet is read; each is then read
 * as a capture file when its turn comes (a file that is not one is a
 * TP_RD_ERROR then). */
tp_source *tp_source_open_list(const char *list, char *err, size_t errlen);
/* The file being read (its name as given). */
const char *tp_source_name(const tp_source *s);

/* Files opened from now on that are plain (not gzip) regular files are
 * read ahead on a thread of their own (readahead.h); off by default. */
void tp_source_read_thread(bool on);

/* Open a live interface through libpcap. */
typedef struct tp_live_opts {
	int snaplen;
	bool promisc;
	int buffer_kib;
	bool immediate;
	int timeout_ms;
} tp_live_opts;
tp_source *tp_source_open_live(const char *iface, const tp_live_opts *o,
			       char *err, size_t errlen);

/* Next packet.  `data` stays valid until the next call. */
tp_rd tp_source_next(tp_source *s, tp_pkthdr *h, const uint8_t **data);

/* Live capture, write-only fast path (tcpdump's pcap_loop + pcap_dump):
 * every packet that is ready goes straight to fn, without a copy, at
 * most `max` of them (-1: all that are ready).  fn returns nonzero to
 * stop.  Returns how many were handled (0: none yet), TP_RD_EOF once a
 * stop signal was given and the ring drained or fn asked to stop, or
 * TP_RD_ERROR (also from a file: only live sources have this path). */
typedef int (*tp_packet_fn)(void *user, const tp_pkthdr *h,
			    const uint8_t *data);
int tp_source_dispatch(tp_source *s, int max, tp_packet_fn fn, void *user);

/* Install a BPF capture filter (libpcap syntax).  -1 with libpcap's
 * message when it does not compile. */
int tp_source_set_filter(tp_source *s, const char *expr, char *err,
			 size_t errlen);

/* Live capture counters (pcap_stats): packets the kernel handed to the
 * filter, dropped for lack of buffer space, dropped by the interface.
 * -1 when unknown (files, or libpcap cannot tell). */
typedef struct tp_capstats {
	int64_t received, dropped, ifdropped;
} tp_capstats;
void tp_source_stats(const tp_source *s, tp_capstats *st);
uint32_t tp_source_snaplen(const tp_source *s);
bool tp_source_is_live(const tp_source *s);
/* "file", "file-list" or "live": the table of operations behind the
 * source (capture_int.h); every call above goes through it. */
const char *tp_source_kind(const tp_source *s);
/* A descriptor a UI can poll for "packets are ready": a live capture's
 * pcap_get_selectable_fd, a capture file's own descriptor (always
 * readable), -1 when there is none. */
int tp_source_fd(const tp_source *s);
/* After reading a file: what was odd about it but not damage (snaplen 0
 * in the header, records longer than the snaplen), or NULL. */
const char *tp_source_warning(const tp_source *s, char *buf, size_t n);

const char *tp_source_error(const tp_source *s); /* damage or I/O error */
uint64_t tp_source_offset(const tp_source *s);    /* byte offset of damage */
int tp_source_linktype(const tp_source *s);       /* first interface's */
tp_filefmt tp_source_format(const tp_source *s);
bool tp_source_gzip(const tp_source *s);
void tp_source_breakloop(tp_source *s); /* async-signal-safe */
void tp_source_close(tp_source *s);

/* LINKTYPE_* values tapir knows by name. */
enum {
	TP_LT_NULL = 0,
	TP_LT_ETHERNET = 1,
	TP_LT_RAW = 101,
	TP_LT_LOOP = 108,
	TP_LT_LINUX_SLL = 113,
	TP_LT_IPV4 = 228,
	TP_LT_IPV6 = 229,
	TP_LT_LINUX_SLL2 = 276,
};

#endif
