/* printer.c - the output on a second thread (printer.h).
 *
 * A single-producer single-consumer ring.  The reader publishes `filled`
 * and the printer `printed`, each every PUBLISH records; each side keeps
 * its own position and the last value it saw of the other's on a cache
 * line of its own, so a packet costs no shared cache-line traffic beyond
 * its record.  A side with nothing to do sleeps at once on a condition
 * variable (no spinning: a spin burned the other core on a 2-CPU
 * machine, issue 14), after storing in `*_wake_at` the count of the
 * other side's that wakes it; the other side looks at that word when it
 * publishes and signals only once the count is reached.  The printer
 * sleeps until half the ring is filled, the reader until half of it is
 * free: one wake-up per TP_PRINTER_SLOTS / 2 records at most, whichever
 * side is the faster.  Counters and wake words are sequentially
 * consistent and the sleeper checks again under the mutex, so a wake-up
 * cannot be lost between the check and the wait.
 */
#include <errno.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/printer.h"

#define PUBLISH 32
#define BATCH (TP_PRINTER_SLOTS / 2) /* records per wake-up, at least */
#define LINE 64

typedef struct slot {
	tp_pkt *p;
	uint8_t *buf, *rbuf; /* the packet's bytes; a reassembled datagram */
	size_t cap, rcap;
} slot;

struct tp_printer {
	/* set up once */
	tp_output *out;
	FILE *fp;
	slot slots[TP_PRINTER_SLOTS];
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* both sides sleep on it */
	/* written by the reader, every PUBLISH records */
	alignas(LINE) _Atomic size_t filled;
	/* written by the printer, every PUBLISH records */
	alignas(LINE) _Atomic size_t printed;
	/* written by a side as it goes to sleep: the other side's count
	 * that wakes it (0: awake); `urgent`: print all now (drain, end) */
	alignas(LINE) _Atomic size_t printer_wake_at, reader_wake_at;
	_Atomic int urgent, failed;
	_Atomic unsigned long sleeps; /* both sides, for the tests */
	/* the reader's own */
	alignas(LINE) size_t taken;  /* slots handed out */
	size_t fill_local;           /* pushed, not all published */
	size_t printed_seen;         /* `printed` when last loaded */
	/* the printer's own */
	alignas(LINE) size_t pos;    /* records printed */
	size_t filled_seen;          /* `filled` when last loaded */
};

static void nudge(tp_printer *pr)
{
	pthread_mutex_lock(&pr->mu);
	pthread_cond_broadcast(&pr->cv);
	pthread_mutex_unlock(&pr->mu);
}

/* Wake the other side if it sleeps waiting for `count` to reach the
 * value in `*wake_at`. */
static void wake(tp_printer *pr, _Atomic size_t *wake_at, size_t count)
{
	size_t w = atomic_load(wake_at);
	if (w && count >= w)
		nudge(pr);
}

/* Sleep until ready(pr) holds, with `*wake_at` = `at` meanwhile. */
static void sleep_until(tp_printer *pr, _Atomic size_t *wake_at, size_t at,
			bool (*ready)(tp_printer *))
{
	pthread_mutex_lock(&pr->mu);
	atomic_store(wake_at, at);
	if (!ready(pr)) {
		atomic_fetch_add_explicit(&pr->sleeps, 1, memory_order_relaxed);
		do
			pthread_cond_wait(&pr->cv, &pr->mu);
		while (!ready(pr));
	}
	atomic_store(wake_at, 0);
	pthread_mutex_unlock(&pr->mu);
}

/* The printer: half the ring to print; on a drain whatever there is;
 * at the end, everything. */
static bool printer_ready(tp_printer *pr)
{
	size_t ahead = atomic_load(&pr->filled) - pr->pos;
	int urgent = atomic_load(&pr->urgent);
	return ahead >= BATCH || (urgent && ahead) || urgent == 2;
}

/* publish the printer's position; wake a reader waiting for it */
static void publish_printed(tp_printer *pr)
{
	atomic_store(&pr->printed, pr->pos);
	wake(pr, &pr->reader_wake_at, pr->pos);
}

static void *printer_main(void *arg)
{
	tp_printer *pr = arg;
	for (;;) {
		if (pr->pos == pr->filled_seen) {
			pr->filled_seen = atomic_load(&pr->filled);
			if (pr->pos != pr->filled_seen)
				continue;
			publish_printed(pr);
			/* the reader publishes its last records before it
			 * says it is the end */
			int urgent = atomic_load(&pr->urgent);
			if (urgent == 2 && atomic_load(&pr->filled) == pr->pos)
				break;
			sleep_until(pr, &pr->printer_wake_at,
				    pr->pos + (urgent ? 1 : BATCH), printer_ready);
			continue;
		}
		slot *s = &pr->slots[pr->pos % TP_PRINTER_SLOTS];
		if (!atomic_load_explicit(&pr->failed, memory_order_relaxed)) {
			pr->out->packet(pr->out, s->p);
			if (ferror(pr->fp) && errno == EPIPE)
				atomic_store(&pr->failed, 1);
		}
		pr->pos++;
		if (pr->pos % PUBLISH == 0)
			publish_printed(pr);
	}
	return NULL;
}

tp_printer *tp_printer_new(tp_output *out, FILE *fp, const tp_pkt *proto)
{
	/* aligned, so that each side's counters have lines of their own */
	size_t size = (sizeof(tp_printer) + LINE - 1) / LINE * LINE;
	tp_printer *pr = aligned_alloc(LINE, size);
	if (!pr)
		return NULL;
	memset(pr, 0, size);
	pr->out = out;
	pr->fp = fp;
	for (size_t i = 0; i < TP_PRINTER_SLOTS; i++) {
		pr->slots[i].p = tp_pkt_new();
		if (!pr->slots[i].p)
			goto fail;
		pr->slots[i].p->sess = proto->sess;
		pr->slots[i].p->no_verify = proto->no_verify;
		pr->slots[i].p->lean = proto->lean;
		pr->slots[i].p->dctx = proto->dctx;
	}
	atomic_init(&pr->filled, 0);
	atomic_init(&pr->printed, 0);
	atomic_init(&pr->printer_wake_at, 0);
	atomic_init(&pr->reader_wake_at, 0);
	atomic_init(&pr->urgent, 0);
	atomic_init(&pr->failed, 0);
	atomic_init(&pr->sleeps, 0);
	if (pthread_mutex_init(&pr->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&pr->cv, NULL) != 0) {
		pthread_mutex_destroy(&pr->mu);
		goto fail;
	}
	if (pthread_create(&pr->thr, NULL, printer_main, pr) != 0) {
		pthread_cond_destroy(&pr->cv);
		pthread_mutex_destroy(&pr->mu);
		goto fail;
	}
	return pr;
fail:
	for (size_t i = 0; i < TP_PRINTER_SLOTS; i++)
		tp_pkt_free(pr->slots[i].p);
	free(pr);
	return NULL;
}

/* half the ring free, or no output left to wait for */
static bool reader_ready(tp_printer *pr)
{
	return pr->taken - atomic_load(&pr->printed) <= BATCH ||
	       atomic_load(&pr->failed);
}

static void publish(tp_printer *pr)
{
	atomic_store(&pr->filled, pr->fill_local);
	wake(pr, &pr->printer_wake_at, pr->fill_local);
}

tp_pkt *tp_printer_slot(tp_printer *pr, size_t caplen, uint8_t **buf)
{
	if (pr->taken - pr->printed_seen >= TP_PRINTER_SLOTS) {
		pr->printed_seen = atomic_load(&pr->printed);
		if (pr->taken - pr->printed_seen >= TP_PRINTER_SLOTS) {
			publish(pr); /* the printer may be waiting for these */
			sleep_until(pr, &pr->reader_wake_at,
				    pr->taken - BATCH, reader_ready);
			pr->printed_seen = atomic_load(&pr->printed);
		}
	}
	if (atomic_load_explicit(&pr->failed, memory_order_relaxed))
		return NULL;
	slot *s = &pr->slots[pr->taken % TP_PRINTER_SLOTS];
	if (s->cap < caplen || !s->buf) {
		size_t want = caplen < 2048 ? 2048 : caplen;
		uint8_t *nb = realloc(s->buf, want);
		if (!nb)
			return NULL;
		s->buf = nb;
		s->cap = want;
	}
	pr->taken++;
	*buf = s->buf;
	return s->p;
}

/* A reassembled datagram lives in the fragment table until the next one
 * completes: the slot keeps its own copy, and the record's pointers into
 * it move there. */
static void own_reasm(slot *s)
{
	tp_pkt *p = s->p;
	if (!p->reasm)
		return;
	if (s->rcap < p->reasm_len || !s->rbuf) {
		uint8_t *nb = realloc(s->rbuf, p->reasm_len ? p->reasm_len : 1);
		if (!nb) { /* keep the record printable: drop the datagram */
			p->reasm = NULL;
			p->reasm_len = 0;
			return;
		}
		s->rbuf = nb;
		s->rcap = p->reasm_len;
	}
	memcpy(s->rbuf, p->reasm, p->reasm_len);
	uintptr_t lo = (uintptr_t)p->reasm, hi = lo + p->reasm_len;
	for (unsigned i = 0; i < p->nfields; i++) {
		tp_field *f = &p->fields[i];
		uintptr_t v = (uintptr_t)f->v.p;
		if (f->vlen && v >= lo && v < hi)
			f->v.p = s->rbuf + (v - lo);
	}
	for (unsigned i = 0; i < p->nlayers; i++) {
		tp_netaddr *a = &p->layers[i].addr;
		if (a->src && (uintptr_t)a->src >= lo && (uintptr_t)a->src < hi)
			a->src = s->rbuf + ((uintptr_t)a->src - lo);
		if (a->dst && (uintptr_t)a->dst >= lo && (uintptr_t)a->dst < hi)
			a->dst = s->rbuf + ((uintptr_t)a->dst - lo);
	}
	p->reasm = s->rbuf;
}

void tp_printer_push(tp_printer *pr)
{
	own_reasm(&pr->slots[(pr->taken - 1) % TP_PRINTER_SLOTS]);
	pr->fill_local++;
	if (pr->fill_local % PUBLISH == 0)
		publish(pr);
}

bool tp_printer_failed(tp_printer *pr) { return atomic_load(&pr->failed); }

static bool all_printed(tp_printer *pr)
{
	return atomic_load(&pr->printed) == pr->fill_local ||
	       atomic_load(&pr->failed);
}

void tp_printer_drain(tp_printer *pr)
{
	publish(pr);
	atomic_store(&pr->urgent, 1);
	nudge(pr);
	sleep_until(pr, &pr->reader_wake_at, pr->fill_local, all_printed);
	atomic_store(&pr->urgent, 0);
	pr->printed_seen = atomic_load(&pr->printed);
}

unsigned long tp_printer_sleeps(tp_printer *pr)
{
	return atomic_load(&pr->sleeps);
}

void tp_printer_free(tp_printer *pr)
{
	if (!pr)
		return;
	publish(pr);
	atomic_store(&pr->urgent, 2);
	nudge(pr);
	pthread_join(pr->thr, NULL);
	pthread_cond_destroy(&pr->cv);
	pthread_mutex_destroy(&pr->mu);
	for (size_t i = 0; i < TP_PRINTER_SLOTS; i++) {
		tp_pkt_free(pr->slots[i].p);
		free(pr->slots[i].buf);
		free(pr->slots[i].rbuf);
	}
	free(pr);
}
