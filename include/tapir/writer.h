/* writer.h - writing captured packets to files (-w), with rotation.
 *
 * Formats: pcap (written through libpcap's pcap_dump on a FILE * tapir
 * opened) or pcapng (tapir's own SHB + IDB + EPB writer).  Rotation
 * follows tcpdump: -C (size, in units of 1,000,000 bytes), -G (seconds,
 * the file name passed through strftime), -W (a ring of N files, or with
 * -G alone the number of files after which capture stops).
 *
 * Every file after the first is created with openat() on a directory fd
 * opened by tp_writer_open(), so rotation keeps working after the process
 * dropped its privileges and entered the seccomp sandbox, which allows
 * openat() on that fd only (see sandbox.h).
 *
 * A written file is valid at every moment a packet is not half-written:
 * headers first, whole records after; tp_writer_close() flushes.  With
 * flush_each (-U) every record is flushed as it is written.
 */
#ifndef TAPIR_WRITER_H
#define TAPIR_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tapir/capture.h"

typedef struct tp_writer tp_writer;

typedef struct tp_writer_opts {
	const char *path;       /* "-" is standard output (no rotation) */
	bool pcapng;            /* --pcapng */
	bool flush_each;        /* -U */
	bool nano;              /* nanosecond timestamps (pcap magic a1b23c4d) */
	uint64_t rotate_bytes;  /* -C in bytes (0 = off) */
	unsigned rotate_secs;   /* -G (0 = off) */
	unsigned ring;          /* -W (0 = off) */
	int linktype;           /* LINKTYPE_* of the capture */
	uint32_t snaplen;       /* 0 = 262144; longer records are cut */
} tp_writer_opts;

/* Open the first file (and the directory fd rotation needs).  NULL with
 * the reason in err. */
tp_writer *tp_writer_open(const tp_writer_opts *o, char *err, size_t errlen);

/* Write one packet, rotating first when a limit says so.  0 on success;
 * 1 when -W with -G alone says the capture is over (the packet was not
 * written, the last file is closed already: tp_writer_close() still
 * frees); -1 on an error (tp_writer_error says which; every later call
 * fails too). */
int tp_writer_write(tp_writer *w, const tp_pkthdr *h, const uint8_t *data);

/* The directory fd rotation uses (for the sandbox), or -1. */
int tp_writer_dirfd(const tp_writer *w);

/* Give the file now open to the user the capture will run as (before
 * dropping root), so that a -W ring can open it again when it wraps.
 * 0, or -1 (tp_writer_error says why). */
int tp_writer_chown(tp_writer *w, uid_t uid, gid_t gid);

/* Flush everything written so far (called from the capture loop, never
 * from a signal handler). */
int tp_writer_flush(tp_writer *w);

/* Flush and close.  0, or -1 when data could not be written (then
 * tp_writer_error(NULL) says why: the writer is gone). */
int tp_writer_close(tp_writer *w);

/* The last error of w ("" when none); with NULL, that of the last
 * tp_writer_close() that returned -1. */
const char *tp_writer_error(const tp_writer *w);
uint64_t tp_writer_packets(const tp_writer *w);
uint64_t tp_writer_bytes(const tp_writer *w);   /* of the current file */
unsigned tp_writer_files(const tp_writer *w);   /* files opened so far */

/* The clock -G compares against (seconds since the epoch; the wall clock
 * by default), for tests.  With w == NULL it becomes the clock of every
 * writer opened afterwards (NULL again: the wall clock), so the first
 * file's strftime name comes from it too; with a writer it replaces that
 * writer's clock and the -G interval restarts at its current time. */
void tp_writer_set_clock(tp_writer *w, int64_t (*now)(void));

#endif
