/* test_printer.c - the output on a second thread (printer.h): packet
 * order, records that own their bytes, a failing output, draining; a
 * waiting side sleeps and wake-ups come per batch. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "tapir/printer.h"

/* A fake output: remembers packet numbers and the first byte of the
 * first bytes field; can be held at its first packet. */
typedef struct fake {
	uint64_t seen[20000];
	uint8_t first_byte[20000];
	size_t n;
	atomic_int hold;
	FILE *fp;
} fake;

static void fake_packet(tp_output *o, const tp_pkt *p)
{
	fake *f = o->state;
	while (atomic_load(&f->hold))
		usleep(1000);
	if (f->n < 20000) {
		f->seen[f->n] = p->number;
		f->first_byte[f->n] = 0;
		for (unsigned i = 0; i < p->nfields; i++)
			if (p->fields[i].vlen && p->fields[i].def->type == TP_FT_BYTES) {
				f->first_byte[f->n] = p->fields[i].v.p[0];
				break;
			}
		f->n++;
	}
	if (f->fp) {
		fputs("a line of output\n", f->fp);
		fflush(f->fp);
	}
}

static void fake_finish(tp_output *o) { (void)o; }

static const uint8_t udp4[] = {
	0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0, 9, 0, 12, 0, 0, 'd', 'a', 't', 'a'};

/* A printer over a cleared fake output. */
static tp_printer *start(fake *f, tp_output *out, tp_pkt **proto)
{
	memset(f, 0, sizeof *f);
	*out = (tp_output){fake_packet, fake_finish, f};
	*proto = tp_pkt_new();
	tp_printer *pr = tp_printer_new(out, stdout, *proto);
	assert_non_null(pr);
	return pr;
}

static double cpu_s(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void push_one(tp_printer *pr, uint64_t k)
{
	uint8_t *buf;
	tp_pkt *p = tp_printer_slot(pr, sizeof udp4, &buf);
	assert_non_null(p);
	memcpy(buf, udp4, sizeof udp4);
	tp_pkthdr h = {0, 0, sizeof udp4, sizeof udp4, 228, 0};
	tp_dissect(p, k, &h, buf);
	tp_printer_push(pr);
}

/* 20 000 packets come out in the order they went in.  Hand-offs go by
 * batches: each time a side sleeps, the other has moved by half the ring
 * before it wakes it (not one wake-up per record), whichever side is the
 * faster. */
static void test_printer_order(void **state)
{
	(void)state;
	static fake f;
	tp_output out;
	tp_pkt *proto;
	tp_printer *pr = start(&f, &out, &proto);
	for (uint64_t k = 1; k <= 20000; k++)
		push_one(pr, k);
	tp_printer_drain(pr);
	assert_int_equal(f.n, 20000);
	for (size_t i = 0; i < f.n; i++)
		if (f.seen[i] != i + 1)
			fail_msg("record %zu is packet %llu", i,
				 (unsigned long long)f.seen[i]);
	/* per side: one per half ring, plus the drain's */
	unsigned long sleeps = tp_printer_sleeps(pr);
	if (sleeps > 2 * (20000 / (TP_PRINTER_SLOTS / 2) + 2))
		fail_msg("%lu sleeps for 20000 records", sleeps);
	tp_printer_free(pr);
	tp_pkt_free(proto);
}

/* A record's bytes are its own: the caller's buffer and a reassembled
 * datagram may change as soon as the record is pushed. */
static void test_printer_owns_reasm(void **state)
{
	(void)state;
	static fake f;
	tp_output out;
	tp_pkt *proto;
	tp_printer *pr = start(&f, &out, &proto);
	atomic_store(&f.hold, 1);
	static uint8_t datagram[64];
	memset(datagram, 0x11, sizeof datagram);
	uint8_t *buf;
	tp_pkt *p = tp_printer_slot(pr, sizeof udp4, &buf);
	memcpy(buf, udp4, sizeof udp4);
	tp_pkthdr h = {0, 0, sizeof udp4, sizeof udp4, 228, 0};
	tp_dissect(p, 1, &h, buf);
	/* as ipv4.c leaves a reassembled datagram: a bytes field in it */
	static const tp_field_def bytes_def = {"test.reasm", "Reassembled",
					       TP_FT_BYTES, TP_BASE_NONE, NULL, 0};
	p->nfields = 0;
	tp_add_bytes(p, &bytes_def, 0, 0, datagram, sizeof datagram);
	p->reasm = datagram;
	p->reasm_len = sizeof datagram;
	tp_printer_push(pr);
	memset(datagram, 0x22, sizeof datagram); /* the next datagram */
	atomic_store(&f.hold, 0);
	tp_printer_drain(pr);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.first_byte[0], 0x11);
	tp_printer_free(pr);
	tp_pkt_free(proto);
}

/* The output fails (a closed pipe): tp_printer_slot says so, soon; no
 * hang, and free joins the thread. */
static void test_printer_failed_output(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	static fake f;
	memset(&f, 0, sizeof f);
	f.fp = fdopen(fds[1], "w");
	assert_non_null(f.fp);
	tp_output out = {fake_packet, fake_finish, &f};
	tp_pkt *proto = tp_pkt_new();
	tp_printer *pr = tp_printer_new(&out, f.fp, proto);
	assert_non_null(pr);
	uint64_t k = 0;
	bool stopped = false;
	while (k < 100000) {
		uint8_t *buf;
		tp_pkt *p = tp_printer_slot(pr, sizeof udp4, &buf);
		if (!p) {
			stopped = true;
			break;
		}
		memcpy(buf, udp4, sizeof udp4);
		tp_pkthdr h = {0, 0, sizeof udp4, sizeof udp4, 228, 0};
		tp_dissect(p, ++k, &h, buf);
		tp_printer_push(pr);
	}
	assert_true(stopped);
	assert_true(tp_printer_failed(pr));
	tp_printer_free(pr);
	tp_pkt_free(proto);
	fclose(f.fp);
}

struct release {
	atomic_int *hold;
	useconds_t after;
};

static void *release_later(void *arg)
{
	struct release *r = arg;
	usleep(r->after);
	atomic_store(r->hold, 0);
	return NULL;
}

/* A side that waits sleeps: no CPU time while the printer has nothing
 * to print, nor while the reader waits for a free slot. */
static void test_printer_waiting_sleeps(void **state)
{
	(void)state;
	static fake f;
	tp_output out;
	tp_pkt *proto;
	tp_printer *pr = start(&f, &out, &proto);
	/* the printer waits for records, 50 times 2 ms: no spinning */
	double c0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);
	for (uint64_t k = 1; k <= 50; k++) {
		push_one(pr, k);
		tp_printer_drain(pr);
		usleep(2000);
	}
	double idle = cpu_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	if (idle > 0.025)
		fail_msg("50 waits of the printer used %.1f ms of CPU",
			 idle * 1e3);
	/* the reader waits for slots: the output is held 200 ms */
	atomic_store(&f.hold, 1);
	struct release r = {&f.hold, 200000};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, release_later, &r), 0);
	double r0 = cpu_s(CLOCK_THREAD_CPUTIME_ID);
	for (uint64_t k = 51; k <= 51 + TP_PRINTER_SLOTS; k++)
		push_one(pr, k); /* the last one waits for a free slot */
	double waited = cpu_s(CLOCK_THREAD_CPUTIME_ID) - r0;
	pthread_join(t, NULL);
	if (waited > 0.004)
		fail_msg("waiting reader used %.1f ms of CPU", waited * 1e3);
	tp_printer_drain(pr);
	assert_int_equal(f.n, 51 + TP_PRINTER_SLOTS);
	tp_printer_free(pr);
	tp_pkt_free(proto);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printer_order),
		cmocka_unit_test(test_printer_owns_reasm),
		cmocka_unit_test(test_printer_failed_output),
		cmocka_unit_test(test_printer_waiting_sleeps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
