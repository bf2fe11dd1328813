/* readahead.c - a plain file in large blocks, read ahead on a thread
 * (readahead.h).
 *
 * A ring of TP_RA_BLOCKS blocks; block j of the file (TP_RA_BLOCK bytes
 * at base + j * TP_RA_BLOCK, read with pread) goes to slot j % TP_RA_BLOCKS.
 * Blocks are claimed in order under the mutex, then read without it.
 * The thread claims the next block while the ring has room and sleeps
 * when it has not; the reader empties block `used` and, when nobody has
 * claimed that block yet (the thread is asleep or waiting for a CPU),
 * reads it itself rather than wait: with the other CPU busy the reader
 * is then no slower than reading alone.  It waits only for a block the
 * thread is reading at that moment.  A side signals the other only when
 * the other waits.  Without the thread the reader reads every block.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tapir/readahead.h"

struct tp_readahead {
	int fd;
	off_t base;                   /* the file offset of block 0 */
	bool threaded;
	uint8_t *mem;                 /* TP_RA_BLOCKS blocks */
	/* per slot, written by whoever read the block, before `seq` */
	size_t len[TP_RA_BLOCKS];     /* bytes in the block */
	int err[TP_RA_BLOCKS];        /* errno of a failed read, or 0 */
	bool last[TP_RA_BLOCKS];      /* the file ends in this block */
	size_t seq[TP_RA_BLOCKS];     /* block number + 1 once read (mu) */
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t more, room;    /* the reader waits / the thread waits */
	size_t claimed, used;         /* blocks claimed / emptied (mu) */
	bool ended;                   /* a block read was the last (mu) */
	bool reader_waits, thread_waits, stop;
	/* the reader's */
	size_t pos;                   /* in block `used` */
	bool have;                    /* block `used` is read */
	bool done;                    /* the last block is emptied */
};

/* Block j's slot (one slot without the thread). */
static size_t slot(const tp_readahead *ra, size_t j)
{
	return ra->threaded ? j % TP_RA_BLOCKS : 0;
}

/* Read block j into its slot (without the lock). */
static void fill(tp_readahead *ra, size_t j)
{
	size_t i = slot(ra, j);
	uint8_t *p = ra->mem + i * (size_t)TP_RA_BLOCK;
	off_t at = ra->base + (off_t)j * TP_RA_BLOCK;
	size_t got = 0;
	int err = 0;
	while (got < TP_RA_BLOCK) {
		ssize_t r = pread(ra->fd, p + got, TP_RA_BLOCK - got,
				  at + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			err = errno;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	ra->len[i] = got;
	ra->err[i] = err;
	ra->last[i] = got < TP_RA_BLOCK;
}

/* Block j is read: publish it (under the lock). */
static void filled(tp_readahead *ra, size_t j)
{
	size_t i = slot(ra, j);
	ra->seq[i] = j + 1;
	if (ra->last[i])
		ra->ended = true;
}

static void *ra_main(void *arg)
{
	tp_readahead *ra = arg;
	pthread_mutex_lock(&ra->mu);
	for (;;) {
		while (!ra->stop && !ra->ended &&
		       ra->claimed - ra->used == TP_RA_BLOCKS) {
			ra->thread_waits = true;
			pthread_cond_wait(&ra->room, &ra->mu);
			ra->thread_waits = false;
		}
		if (ra->stop || ra->ended)
			break;
		size_t j = ra->claimed++;
		pthread_mutex_unlock(&ra->mu);
		fill(ra, j);
		pthread_mutex_lock(&ra->mu);
		filled(ra, j);
		if (ra->reader_waits)
			pthread_cond_signal(&ra->more);
	}
	pthread_mutex_unlock(&ra->mu);
	return NULL;
}

bool tp_ra_default(unsigned threads, long ncpu, long others)
{
	if (threads)
		return threads >= 2;
	return ncpu >= 2 && others >= 0 && ncpu - others >= 2;
}

tp_readahead *tp_ra_new(int fd, bool threaded)
{
	tp_readahead *ra = calloc(1, sizeof *ra);
	if (!ra)
		return NULL;
	ra->fd = fd;
	ra->base = lseek(fd, 0, SEEK_CUR);
	if (ra->base < 0)
		ra->base = 0;
	ra->mem = malloc((size_t)TP_RA_BLOCK * (threaded ? TP_RA_BLOCKS : 1));
	if (!ra->mem) {
		free(ra);
		return NULL;
	}
	pthread_mutex_init(&ra->mu, NULL);
	pthread_cond_init(&ra->more, NULL);
	pthread_cond_init(&ra->room, NULL);
	/* threaded before the thread starts: slot() depends on it */
	ra->threaded = threaded;
	if (threaded && pthread_create(&ra->thr, NULL, ra_main, ra) != 0)
		ra->threaded = false; /* the one-slot reads fit in block 0 */
	return ra;
}

bool tp_ra_threaded(const tp_readahead *ra) { return ra->threaded; }

/* Make block `used` readable: taken from the thread, or read here when
 * nobody has claimed it. */
static void get_block(tp_readahead *ra)
{
	if (ra->have)
		return;
	size_t j = ra->used, i = slot(ra, j);
	if (!ra->threaded) {
		fill(ra, j);
		ra->have = true;
		return;
	}
	pthread_mutex_lock(&ra->mu);
	if (ra->claimed == j) { /* the thread is not on it: read it here */
		ra->claimed++;
		pthread_mutex_unlock(&ra->mu);
		fill(ra, j);
		pthread_mutex_lock(&ra->mu);
		filled(ra, j);
	}
	while (ra->seq[i] != j + 1) {
		ra->reader_waits = true;
		pthread_cond_wait(&ra->more, &ra->mu);
		ra->reader_waits = false;
	}
	pthread_mutex_unlock(&ra->mu);
	ra->have = true;
}

/* Block `used` is emptied: its slot is free for block used + TP_RA_BLOCKS. */
static void release(tp_readahead *ra)
{
	ra->have = false;
	ra->pos = 0;
	if (!ra->threaded) {
		ra->used++;
		return;
	}
	pthread_mutex_lock(&ra->mu);
	ra->used++;
	if (ra->thread_waits)
		pthread_cond_signal(&ra->room);
	pthread_mutex_unlock(&ra->mu);
}

/* The bytes left in block `used`; false at the end of the file or on a
 * read error (ra->done, or errno set). */
static bool avail(tp_readahead *ra, size_t *k, int *err)
{
	*err = 0;
	for (;;) {
		if (ra->done)
			return false;
		get_block(ra);
		size_t i = slot(ra, ra->used);
		if (ra->pos < ra->len[i]) {
			*k = ra->len[i] - ra->pos;
			return true;
		}
		if (ra->last[i]) {
			if (ra->err[i]) {
				*err = ra->err[i];
				return false;
			}
			ra->done = true;
			return false;
		}
		release(ra);
	}
}

static uint8_t *at_pos(tp_readahead *ra)
{
	return ra->mem + slot(ra, ra->used) * (size_t)TP_RA_BLOCK + ra->pos;
}

long tp_ra_read(tp_readahead *ra, void *dst, size_t n)
{
	size_t got = 0, k;
	int err;
	while (got < n) {
		if (!avail(ra, &k, &err)) {
			if (err) {
				errno = err;
				return -1;
			}
			break;
		}
		if (k > n - got)
			k = n - got;
		memcpy((uint8_t *)dst + got, at_pos(ra), k);
		ra->pos += k;
		got += k;
	}
	return (long)got;
}

const uint8_t *tp_ra_next(tp_readahead *ra, size_t n)
{
	size_t k;
	int err;
	if (ra->have && ra->pos < ra->len[slot(ra, ra->used)])
		k = ra->len[slot(ra, ra->used)] - ra->pos; /* the block in hand */
	else if (!avail(ra, &k, &err))
		return NULL;
	if (k < n)
		return NULL;
	const uint8_t *p = at_pos(ra);
	ra->pos += n;
	/* the next bytes into this CPU's cache while these are dissected:
	 * the block was written by the other CPU (the read-ahead thread),
	 * and the first touch of each record waited for it */
	if (k > n + 256) {
		__builtin_prefetch(p + n);
		__builtin_prefetch(p + n + 64);
		__builtin_prefetch(p + n + 128);
		__builtin_prefetch(p + n + 192);
	}
	return p;
}

void tp_ra_free(tp_readahead *ra)
{
	if (!ra)
		return;
	if (ra->threaded) {
		pthread_mutex_lock(&ra->mu);
		ra->stop = true;
		pthread_cond_signal(&ra->room);
		pthread_mutex_unlock(&ra->mu);
		pthread_join(ra->thr, NULL);
	}
	pthread_cond_destroy(&ra->room);
	pthread_cond_destroy(&ra->more);
	pthread_mutex_destroy(&ra->mu);
	free(ra->mem);
	free(ra);
}
