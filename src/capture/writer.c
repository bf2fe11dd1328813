/* writer.c - writing packets to pcap / pcapng files (-w), with tcpdump's
 * -C / -G / -W rotation.
 *
 * pcap:   https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
 *         (written by libpcap: pcap_dump_fopen + pcap_dump on a FILE *)
 * pcapng: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 *         section 4.1 (SHB), 4.2 (IDB, if_tsresol), 4.3 (EPB), 3.5
 *         (options), written here in host byte order.
 * Rotation: tcpdump 4.99 tcpdump.c, dump_packet_and_trunc() and
 *         MakeFilename(), reproduced rule for rule:
 *  - -G: before a packet, when now - (time the file was opened) >= the
 *    interval, the file is closed; with -W and no -C the capture ends once
 *    -W files were written; else the next file is named by strftime() of
 *    now (plus "0", zero padded to -W's width, with -C);
 *  - -C: before a packet, when the current file already holds more than
 *    the limit (headers included), the next file is opened: the -w name
 *    (after strftime with -G) followed by a count from 1, or with -W a
 *    count modulo -W padded with zeros to -W's width, from 0.
 *
 * Every file is created by openat() on the directory fd opened here, so
 * rotation needs no other path access once the sandbox is on.  All memory
 * is allocated at open (stdio allocates a buffer per file, never per
 * packet).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tapir/limits.h"
#include "tapir/writer.h"
#include "capture_int.h"

#define PCAP_FILE_HDR	24u
#define PCAP_REC_HDR	16u
#define NG_SHB		0x0a0d0d0au
#define NG_IDB		0x00000001u
#define NG_EPB		0x00000006u
#define NG_BOM		0x1a2b3c4du
#define NG_OPT_END	0
#define NG_SHB_USERAPPL 4
#define NG_IF_TSRESOL	9
#define NG_EPB_FIXED	32u /* type, length, if, ts x2, caplen, len, length */

struct tp_writer {
	tp_writer_opts o;
	char path[PATH_MAX];	/* -w as given */
	char prefix[PATH_MAX];	/* its directory part with the '/', or "" */
	char pattern[PATH_MAX]; /* its last component (a strftime format) */
	char name[PATH_MAX];	/* the current file, relative to dirfd */
	char err[PATH_MAX + 256];
	int dirfd;
	bool to_stdout;
	FILE *fp;
	pcap_t *dead;
	pcap_dumper_t *dumper;
	uint64_t bytes;	  /* of the current file */
	uint64_t packets; /* over all files */
	unsigned files;
	unsigned ccount; /* tcpdump's Cflag_count */
	unsigned gcount; /* tcpdump's Gflag_count */
	int digits;	 /* tcpdump's WflagChars, when -C */
	int64_t gtime;	 /* tcpdump's Gflag_time: when this -G file began */
	int64_t (*now)(void);
	bool done;   /* -G -W: the last file is written */
	bool failed; /* a write or rotation failed: sticky */
};

static int64_t wall_clock(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (int64_t)time(NULL);
	return (int64_t)ts.tv_sec;
}

static int64_t (*default_clock)(void) = wall_clock;

/* tcpdump's getWflagChars(): digits of the largest count, -W - 1. */
static int ring_digits(unsigned ring)
{
	int c = 0;
	unsigned x = ring ? ring - 1 : 0;
	while (x > 0) {
		c++;
		x /= 10;
	}
	return c;
}

/* snprintf() into a message buffer: a message cut short is fine. */
__attribute__((format(printf, 3, 4))) static void msg(char *dst, size_t n,
						      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, n, fmt, ap);
	va_end(ap);
}

static void fail(tp_writer *w, int e, const char *what)
{
	w->failed = true;
	msg(w->err, sizeof w->err, "%s%s: %s", w->prefix,
	    w->to_stdout ? "standard output" : w->name,
	    what ? what : strerror(e ? e : EIO));
}

/* tcpdump's MakeFilename() into w->name: the pattern through strftime()
 * (with -G, at the time the -G file began), then the count when either is
 * non-zero. */
static int make_name(tp_writer *w, unsigned cnt)
{
	char base[PATH_MAX];
	if (w->o.rotate_secs) {
		struct tm tm;
		time_t t = (time_t)w->gtime;
		if (!localtime_r(&t, &tm)) {
			msg(w->err, sizeof w->err,
			    "%s: cannot convert the time for the file name",
			    w->path);
			w->failed = true;
			return -1;
		}
		if (strftime(base, sizeof base, w->pattern, &tm) == 0) {
			msg(w->err, sizeof w->err,
			    "%s: the file name is empty or too long after "
			    "strftime",
			    w->path);
			w->failed = true;
			return -1;
		}
	} else {
		msg(base, sizeof base, "%s", w->pattern);
	}
	int n;
	if (cnt == 0 && w->digits == 0)
		n = snprintf(w->name, sizeof w->name, "%s", base);
	else
		n = snprintf(w->name, sizeof w->name, "%s%0*u", base, w->digits,
			     cnt);
	if (n < 0 || (size_t)n >= sizeof w->name ||
	    strlen(w->prefix) + (size_t)n >= PATH_MAX) {
		msg(w->err, sizeof w->err,
		    "%s: too many output files or file name too long", w->path);
		w->failed = true;
		return -1;
	}
	if (strchr(w->name, '/')) {
		msg(w->err, sizeof w->err,
		    "%s: the file name after strftime (%s) contains '/'",
		    w->path, w->name);
		w->failed = true;
		return -1;
	}
	return 0;
}

static int put(tp_writer *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->fp) != n) {
		fail(w, errno, NULL);
		return -1;
	}
	return 0;
}

static void put32(uint8_t *b, size_t *at, uint32_t v)
{
	memcpy(b + *at, &v, 4);
	*at += 4;
}

static void put16(uint8_t *b, size_t *at, uint16_t v)
{
	memcpy(b + *at, &v, 2);
	*at += 2;
}

/* pcapng section header and the one interface, host byte order. */
static int ng_headers(tp_writer *w)
{
	static const char appl[] = "tapir";
	uint8_t b[96];
	size_t at = 0;

	/* SHB: type, length, BOM, 1.0, section length -1, shb_userappl,
	 * opt_endofopt, length. */
	const uint32_t shb_len = 4 + 4 + 4 + 2 + 2 + 8 + 4 + 8 + 4 + 4;
	put32(b, &at, NG_SHB);
	put32(b, &at, shb_len);
	put32(b, &at, NG_BOM);
	put16(b, &at, 1);
	put16(b, &at, 0);
	put32(b, &at, 0xffffffffu);
	put32(b, &at, 0xffffffffu);
	put16(b, &at, NG_SHB_USERAPPL);
	put16(b, &at, (uint16_t)(sizeof appl - 1));
	memset(b + at, 0, 8);
	memcpy(b + at, appl, sizeof appl - 1);
	at += 8;
	put16(b, &at, NG_OPT_END);
	put16(b, &at, 0);
	put32(b, &at, shb_len);

	/* IDB: type, length, linktype, reserved, snaplen, if_tsresol,
	 * opt_endofopt, length. */
	const uint32_t idb_len = 4 + 4 + 2 + 2 + 4 + 8 + 4 + 4;
	put32(b, &at, NG_IDB);
	put32(b, &at, idb_len);
	put16(b, &at, (uint16_t)w->o.linktype);
	put16(b, &at, 0);
	put32(b, &at, w->o.snaplen);
	put16(b, &at, NG_IF_TSRESOL);
	put16(b, &at, 1);
	b[at] = w->o.nano ? 9 : 6;
	memset(b + at + 1, 0, 3);
	at += 4;
	put16(b, &at, NG_OPT_END);
	put16(b, &at, 0);
	put32(b, &at, idb_len);

	if (put(w, b, at) < 0)
		return -1;
	w->bytes = at;
	return 0;
}

static int flush_file(tp_writer *w)
{
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		fail(w, errno, NULL);
		return -1;
	}
	return 0;
}

/* Create w->name in the directory (or take standard output) and write the
 * file header. */
static int open_file(tp_writer *w)
{
	int fd;
	if (w->to_stdout)
		fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	else
		fd = openat(w->dirfd, w->name,
			    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fail(w, errno, NULL);
		return -1;
	}
	w->fp = fdopen(fd, "wb");
	if (!w->fp) {
		fail(w, errno, NULL);
		close(fd);
		return -1;
	}
	w->files++;
	w->bytes = 0;
	errno = 0;
	if (w->o.pcapng) {
		if (ng_headers(w) < 0)
			return -1;
	} else {
		w->dumper = pcap_dump_fopen(w->dead, w->fp);
		if (!w->dumper) {
			fail(w, 0, pcap_geterr(w->dead));
			return -1;
		}
		if (ferror(w->fp)) {
			fail(w, errno, NULL);
			return -1;
		}
		w->bytes = PCAP_FILE_HDR;
	}
	if (w->o.flush_each)
		return flush_file(w);
	return 0;
}

/* Flush and close the current file; -1 (and the writer failed) when the
 * data did not all reach it. */
static int close_file(tp_writer *w)
{
	if (!w->fp)
		return 0;
	int rc = 0;
	errno = 0;
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		fail(w, errno, NULL);
		rc = -1;
	}
	/* pcap_dump_close() would fclose() too, without a result: the
	 * dumper is only the FILE * (pcap_dump_file). */
	if (fclose(w->fp) != 0 && rc == 0) {
		fail(w, errno, NULL);
		rc = -1;
	}
	w->fp = NULL;
	w->dumper = NULL;
	return rc;
}

static void writer_free(tp_writer *w)
{
	if (w->dead)
		pcap_close(w->dead);
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w);
}

/* Split the -w path into the directory to open, the prefix names are
 * shown with, and the last component. */
static int split_path(tp_writer *w, char *dir, size_t dirlen, char *err,
		      size_t errlen)
{
	const char *slash = strrchr(w->path, '/');
	const char *base = slash ? slash + 1 : w->path;
	if (!*base) {
		msg(err, errlen, "%s: not a file name", w->path);
		return -1;
	}
	size_t plen = (size_t)(base - w->path);
	memcpy(w->prefix, w->path, plen);
	w->prefix[plen] = '\0';
	msg(w->pattern, sizeof w->pattern, "%s", base);
	if (!slash)
		msg(dir, dirlen, ".");
	else if (slash == w->path)
		msg(dir, dirlen, "/");
	else
		msg(dir, dirlen, "%.*s", (int)(slash - w->path), w->path);
	if (w->o.rotate_secs && strchr(w->prefix, '%')) {
		msg(err, errlen,
		    "%s: with -G only the file name may hold strftime "
		    "conversions, not the directory",
		    w->path);
		return -1;
	}
	return 0;
}

tp_writer *tp_writer_open(const tp_writer_opts *o, char *err, size_t errlen)
{
	if (!o->path || !*o->path) {
		msg(err, errlen,
		    "an empty string was given as the file "
		    "name");
		return NULL;
	}
	if (strlen(o->path) >= PATH_MAX) {
		msg(err, errlen, "the -w file name is too long");
		return NULL;
	}
	if (o->linktype < 0 || o->linktype > 0xffff) {
		msg(err, errlen, "%s: cannot write link type %d", o->path,
		    o->linktype);
		return NULL;
	}
	bool to_stdout = strcmp(o->path, "-") == 0;
	if (to_stdout && (o->rotate_bytes || o->rotate_secs)) {
		msg(err, errlen,
		    "cannot rotate (-C, -G) when writing to the standard "
		    "output (-w -)");
		return NULL;
	}
	tp_writer *w = calloc(1, sizeof *w);
	if (!w) {
		msg(err, errlen, "out of memory");
		return NULL;
	}
	w->o = *o;
	w->dirfd = -1;
	w->to_stdout = to_stdout;
	w->now = default_clock;
	msg(w->path, sizeof w->path, "%s", o->path);
	w->o.path = w->path;
	if (!w->o.snaplen)
		w->o.snaplen = TP_MAX_SNAPLEN;
	if (w->o.rotate_bytes && w->o.ring)
		w->digits = ring_digits(w->o.ring);

	if (!w->o.pcapng) {
		w->dead = pcap_open_dead_with_tstamp_precision(
		    tp_linktype_to_dlt(w->o.linktype), (int)w->o.snaplen,
		    w->o.nano ? PCAP_TSTAMP_PRECISION_NANO
			      : PCAP_TSTAMP_PRECISION_MICRO);
		if (!w->dead) {
			msg(err, errlen, "%s: cannot write link type %d",
			    w->path, w->o.linktype);
			writer_free(w);
			return NULL;
		}
	}
	if (to_stdout) {
		msg(w->name, sizeof w->name, "-");
	} else {
		char dir[PATH_MAX];
		if (split_path(w, dir, sizeof dir, err, errlen) < 0) {
			writer_free(w);
			return NULL;
		}
		w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (w->dirfd < 0) {
			msg(err, errlen, "%s: %s", w->path, strerror(errno));
			writer_free(w);
			return NULL;
		}
		if (w->o.rotate_secs) {
			/* Load the zone now: localtime_r() does not reread it
			 * (no file access once sandboxed). */
			tzset();
			w->gtime = w->now();
		}
		if (make_name(w, 0) < 0) {
			msg(err, errlen, "%s", w->err);
			writer_free(w);
			return NULL;
		}
	}
	if (open_file(w) < 0) {
		msg(err, errlen, "%s", w->err);
		if (w->fp)
			fclose(w->fp);
		writer_free(w);
		return NULL;
	}
	return w;
}

/* The -G and -C checks tcpdump makes before each packet.  0 to go on, 1
 * when the capture is over, -1 on an error. */
static int maybe_rotate(tp_writer *w)
{
	if (w->o.rotate_secs) {
		int64_t t = w->now();
		if (t - w->gtime >= (int64_t)w->o.rotate_secs) {
			w->gtime = t;
			w->gcount++;
			if (close_file(w) < 0)
				return -1;
			if (!w->o.rotate_bytes && w->o.ring &&
			    w->gcount >= w->o.ring) {
				w->done = true;
				return 1;
			}
			w->ccount = 0;
			if (make_name(w, 0) < 0 || open_file(w) < 0)
				return -1;
		}
	}
	if (w->o.rotate_bytes && w->bytes > w->o.rotate_bytes) {
		if (close_file(w) < 0)
			return -1;
		w->ccount++;
		if (w->o.ring && w->ccount >= w->o.ring)
			w->ccount = 0;
		if (make_name(w, w->ccount) < 0 || open_file(w) < 0)
			return -1;
	}
	return 0;
}

static int write_pcap(tp_writer *w, const tp_pkthdr *h, uint32_t caplen,
		      const uint8_t *data)
{
	struct pcap_pkthdr ph;
	memset(&ph, 0, sizeof ph);
	ph.ts.tv_sec = (time_t)h->sec;
	/* With nanosecond precision libpcap writes tv_usec as nanoseconds. */
	ph.ts.tv_usec = (suseconds_t)(w->o.nano ? h->nsec : h->nsec / 1000u);
	ph.caplen = caplen;
	ph.len = h->len;
	errno = 0;
	pcap_dump((u_char *)w->dumper, &ph, data);
	if (ferror(w->fp)) {
		fail(w, errno, NULL);
		return -1;
	}
	w->bytes += PCAP_REC_HDR + caplen;
	return 0;
}

static int write_epb(tp_writer *w, const tp_pkthdr *h, uint32_t caplen,
		     const uint8_t *data)
{
	static const uint8_t zero[4];
	uint32_t pad = (4u - (caplen & 3u)) & 3u;
	uint32_t tlen = NG_EPB_FIXED + caplen + pad;
	uint64_t units = w->o.nano ? 1000000000u : 1000000u;
	uint64_t frac = w->o.nano ? h->nsec : h->nsec / 1000u;
	/* Unsigned: a nonsense negative time wraps instead of overflowing. */
	uint64_t ts = (uint64_t)h->sec * units + frac;
	uint8_t b[28];
	size_t at = 0;
	put32(b, &at, NG_EPB);
	put32(b, &at, tlen);
	put32(b, &at, 0); /* interface 0 */
	put32(b, &at, (uint32_t)(ts >> 32));
	put32(b, &at, (uint32_t)ts);
	put32(b, &at, caplen);
	put32(b, &at, h->len);
	errno = 0;
	if (put(w, b, at) < 0 || put(w, data, caplen) < 0 ||
	    put(w, zero, pad) < 0 || put(w, &tlen, 4) < 0)
		return -1;
	w->bytes += tlen;
	return 0;
}

int tp_writer_write(tp_writer *w, const tp_pkthdr *h, const uint8_t *data)
{
	if (w->done)
		return 1;
	if (w->failed || !w->fp)
		return -1;
	int rc = maybe_rotate(w);
	if (rc != 0)
		return rc;
	/* The file says snaplen: a record never holds more. */
	uint32_t caplen = h->caplen;
	if (caplen > w->o.snaplen)
		caplen = w->o.snaplen;
	if (w->o.pcapng)
		rc = write_epb(w, h, caplen, data);
	else
		rc = write_pcap(w, h, caplen, data);
	if (rc < 0)
		return -1;
	w->packets++;
	if (w->o.flush_each && flush_file(w) < 0)
		return -1;
	return 0;
}

int tp_writer_dirfd(const tp_writer *w)
{
	return w->dirfd;
}

int tp_writer_chown(tp_writer *w, uid_t uid, gid_t gid)
{
	if (!w->fp || w->dirfd < 0)
		return 0; /* standard output: not ours to give away */
	if (fchown(fileno(w->fp), uid, gid) < 0) {
		snprintf(w->err, sizeof w->err, "%s: cannot hand the file to "
			 "the capture user: %s", w->name, strerror(errno));
		return -1;
	}
	return 0;
}

int tp_writer_flush(tp_writer *w)
{
	if (w->failed)
		return -1;
	if (!w->fp)
		return 0;
	errno = 0;
	return flush_file(w);
}

/* Why the last tp_writer_close() failed: the writer is freed by then. */
static char close_err[sizeof((tp_writer *)0)->err];

int tp_writer_close(tp_writer *w)
{
	if (!w)
		return 0;
	int rc = close_file(w);
	if (w->failed) {
		rc = -1;
		msg(close_err, sizeof close_err, "%s", w->err);
	}
	writer_free(w);
	return rc;
}

const char *tp_writer_error(const tp_writer *w)
{
	return w ? w->err : close_err;
}

uint64_t tp_writer_packets(const tp_writer *w)
{
	return w->packets;
}

uint64_t tp_writer_bytes(const tp_writer *w)
{
	return w->bytes;
}

unsigned tp_writer_files(const tp_writer *w)
{
	return w->files;
}

void tp_writer_set_clock(tp_writer *w, int64_t (*now)(void))
{
	if (!now)
		now = wall_clock;
	if (!w) {
		default_clock = now;
		return;
	}
	w->now = now;
	w->gtime = now();
}
