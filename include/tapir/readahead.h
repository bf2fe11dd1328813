/* readahead.h - reading a plain file in large blocks, optionally on a
 * thread of its own that reads the next blocks while the caller works
 * on the current one.
 *
 * A capture file that is not gzip is read through this, not zlib's
 * gzread: the copy out of the page cache (the read() system calls, 15%
 * of `tapir -r`'s time) then runs on the second CPU, and the packet
 * bytes are copied once, not twice.  The thread sleeps whenever it has
 * RA_BLOCKS blocks read ahead, and the reader sleeps only when the
 * thread has not read the next block yet: one hand-off per block.
 */
#ifndef TAPIR_READAHEAD_H
#define TAPIR_READAHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TP_RA_BLOCK (1u << 20) /* bytes per read() and hand-off */
#define TP_RA_BLOCKS 8         /* blocks read ahead at most */

typedef struct tp_readahead tp_readahead;

/* Whether a file is read ahead on a thread: --threads N (0: not given)
 * on a machine of ncpu CPUs where `others` other tasks are runnable now
 * (-1: unknown).  By default when two CPUs are free: the thread then
 * takes the read() copies, ~17% of the reading thread's time on the
 * one-line output, for no more CPU in all; with another busy program it
 * gains nothing (bench/README.md, "Threads").  --threads 1 keeps
 * everything on one thread, 2 or 3 read ahead whatever the load. */
bool tp_ra_default(unsigned threads, long ncpu, long others);

/* Reads `fd` (kept open; the caller closes it after tp_ra_free) from
 * its current offset.  threaded: read ahead on a thread (falls back to
 * reading in line when the thread cannot start).  NULL: out of memory. */
tp_readahead *tp_ra_new(int fd, bool threaded);
/* Copies up to n bytes into dst: n unless the file ends first (0 at the
 * end, and again after it); -1 on a read error, with errno set. */
long tp_ra_read(tp_readahead *ra, void *dst, size_t n);
/* The next n bytes in place, when they lie in one block: the reader
 * moves past them, and they stay valid until the next call.  NULL: they
 * do not (read them with tp_ra_read). */
const uint8_t *tp_ra_next(tp_readahead *ra, size_t n);
/* Whether a thread reads ahead. */
bool tp_ra_threaded(const tp_readahead *ra);
/* Stops the thread and frees everything. */
void tp_ra_free(tp_readahead *ra);

#endif
