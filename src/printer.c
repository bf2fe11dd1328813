/* printer.c - the output on a second thread (printer.h).
 *
 * A single-producer single-consumer ring: the reader publishes `filled`,
 * the printer publishes `printed`, each in steps of PUBLISH records (one
 * shared cache line per step, not per packet) and always before it
 * waits.  A side with nothing to do spins briefly, then sleeps on a
 * condition variable after saying so in a flag; the other side wakes it
 * when it sees the flag.  The flags and counters are sequentially
 * consistent, so a wake-up cannot be lost between the check and the wait.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/printer.h"

#define PUBLISH 32
/* About 4 ms of pause instructions: the partner is usually only behind
 * by a few packets.  tapir uses the thread only when a CPU is free for
 * it (main.c), so the spin does not steal time from the partner. */
#define SPINS 200000

typedef struct slot {
	tp_pkt *p;
	uint8_t *buf, *rbuf; /* the packet's bytes; a reassembled datagram */
	size_t cap, rcap;
} slot;

struct tp_printer {
	tp_output *out;
	FILE *fp;
	slot slots[TP_PRINTER_SLOTS];
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* both sides sleep on it */
	_Atomic size_t filled;      /* records pushed (published) */
	_Atomic size_t printed;     /* records printed (published) */
	_Atomic int reader_waits, printer_waits, done, failed;
	size_t fill_local;          /* reader: pushed, not all published */
	size_t taken;               /* reader: slots handed out */
};

static void wake(tp_printer *pr, _Atomic int *flag)
{
	if (atomic_load(flag)) {
		pthread_mutex_lock(&pr->mu);
		pthread_cond_broadcast(&pr->cv);
		pthread_mutex_unlock(&pr->mu);
	}
}

/* Sleep until ready(pr) holds; `flag` says this side sleeps. */
static void wait_until(tp_printer *pr, _Atomic int *flag,
		       bool (*ready)(tp_printer *))
{
	for (int i = 0; i < SPINS; i++) {
		if (ready(pr))
			return;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	pthread_mutex_lock(&pr->mu);
	atomic_store(flag, 1);
	while (!ready(pr))
		pthread_cond_wait(&pr->cv, &pr->mu);
	atomic_store(flag, 0);
	pthread_mutex_unlock(&pr->mu);
}

static bool have_work(tp_printer *pr)
{
	return atomic_load(&pr->filled) != atomic_load(&pr->printed) ||
	       atomic_load(&pr->done);
}

static void *printer_main(void *arg)
{
	tp_printer *pr = arg;
	size_t printed = 0;
	for (;;) {
		size_t filled = atomic_load(&pr->filled);
		if (printed == filled) {
			atomic_store(&pr->printed, printed);
			wake(pr, &pr->reader_waits);
			if (atomic_load(&pr->done) &&
			    atomic_load(&pr->filled) == printed)
				break;
			wait_until(pr, &pr->printer_waits, have_work);
			continue;
		}
		while (printed != filled) {
			slot *s = &pr->slots[printed % TP_PRINTER_SLOTS];
			if (!atomic_load(&pr->failed)) {
				pr->out->packet(pr->out, s->p);
				if (ferror(pr->fp) && errno == EPIPE)
					atomic_store(&pr->failed, 1);
			}
			printed++;
			if (printed % PUBLISH == 0) {
				atomic_store(&pr->printed, printed);
				wake(pr, &pr->reader_waits);
			}
		}
	}
	return NULL;
}

tp_printer *tp_printer_new(tp_output *out, FILE *fp, const tp_pkt *proto)
{
	tp_printer *pr = calloc(1, sizeof *pr);
	if (!pr)
		return NULL;
	pr->out = out;
	pr->fp = fp;
	for (size_t i = 0; i < TP_PRINTER_SLOTS; i++) {
		pr->slots[i].p = tp_pkt_new();
		if (!pr->slots[i].p)
			goto fail;
		pr->slots[i].p->sess = proto->sess;
		pr->slots[i].p->no_verify = proto->no_verify;
	}
	atomic_init(&pr->filled, 0);
	atomic_init(&pr->printed, 0);
	atomic_init(&pr->reader_waits, 0);
	atomic_init(&pr->printer_waits, 0);
	atomic_init(&pr->done, 0);
	atomic_init(&pr->failed, 0);
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

static bool slot_free(tp_printer *pr)
{
	return pr->taken - atomic_load(&pr->printed) < TP_PRINTER_SLOTS ||
	       atomic_load(&pr->failed);
}

static void publish(tp_printer *pr)
{
	atomic_store(&pr->filled, pr->fill_local);
	wake(pr, &pr->printer_waits);
}

tp_pkt *tp_printer_slot(tp_printer *pr, size_t caplen, uint8_t **buf)
{
	if (pr->taken - atomic_load(&pr->printed) >= TP_PRINTER_SLOTS) {
		publish(pr); /* the printer may be waiting for these */
		wait_until(pr, &pr->reader_waits, slot_free);
	}
	if (atomic_load(&pr->failed))
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
	wait_until(pr, &pr->reader_waits, all_printed);
}

void tp_printer_free(tp_printer *pr)
{
	if (!pr)
		return;
	publish(pr);
	atomic_store(&pr->done, 1);
	wake(pr, &pr->printer_waits);
	pthread_mutex_lock(&pr->mu);
	pthread_cond_broadcast(&pr->cv);
	pthread_mutex_unlock(&pr->mu);
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
