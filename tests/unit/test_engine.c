/* test_engine.c - the capture loop (engine.h) over real captures:
 * consumers get every record in order, finish and flush once each, -c,
 * a run in steps, a consumer that ends the run, a damaged file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "tapir/engine.h"

static char path_buf[4096];

static const char *pcap(const char *name)
{
	const char *top = getenv("top_srcdir");
	snprintf(path_buf, sizeof path_buf, "%s/pcaps/%s", top ? top : ".",
		 name);
	return path_buf;
}

/* What each consumer saw; `log` is shared, to see the interleaving. */
struct seen {
	char tag;
	uint64_t numbers[64];
	uint32_t lens[64];
	unsigned n, finished, flushed;
	unsigned stop_after; /* nonzero: end the run at this record */
	char *log;
	size_t *loglen;
};

/* A consumer 'a' with its own log. */
#define SEEN_A                                                               \
	char log[256];                                                       \
	size_t loglen = 0;                                                   \
	struct seen a = {.tag = 'a', .log = log, .loglen = &loglen}

static int seen_packet(void *self, const tp_pkt *p)
{
	struct seen *s = self;
	if (s->n < 64) {
		s->numbers[s->n] = p->number;
		s->lens[s->n] = p->len;
	}
	s->n++;
	if (*s->loglen < 255)
		s->log[(*s->loglen)++] = s->tag;
	assert_int_equal(s->finished, 0);
	return s->stop_after && s->n == s->stop_after;
}

static int seen_finish(void *self)
{
	struct seen *s = self;
	s->finished++;
	assert_int_equal(s->flushed, 0);
	return 0;
}

static int seen_flush(void *self)
{
	struct seen *s = self;
	assert_int_equal(s->finished, 1);
	s->flushed++;
	return 0;
}

static tp_consumer consumer(struct seen *s)
{
	return (tp_consumer){.packet = seen_packet,
			     .finish = seen_finish,
			     .flush = seen_flush,
			     .self = s};
}

static tp_engine *engine_on(const char *file, uint64_t count, tp_source **src)
{
	char err[256];
	*src = tp_source_open_file(pcap(file), err, sizeof err);
	assert_non_null(*src);
	tp_flowcfg cfg = {0};
	tp_engine_opts o = {.count = count, .flowcfg = &cfg, .no_verify = true};
	tp_engine *e = tp_engine_new(*src, &o, err, sizeof err);
	assert_non_null(e);
	return e;
}

/* An engine on `file` with consumers a and (unless NULL) b. */
static tp_engine *engine_with(const char *file, uint64_t count,
			      tp_source **src, struct seen *a, struct seen *b)
{
	tp_engine *e = engine_on(file, count, src);
	tp_consumer ca = consumer(a);
	assert_int_equal(tp_engine_add(e, &ca), 0);
	if (b) {
		tp_consumer cb = consumer(b);
		assert_int_equal(tp_engine_add(e, &cb), 0);
	}
	return e;
}

static void engine_done(tp_engine *e, tp_source *src)
{
	tp_engine_free(e);
	tp_source_close(src);
}

/* Two consumers: every record of the capture, in order, to each in
 * turn; finish then flush, once each. */
static void test_engine_two_consumers(void **state)
{
	(void)state;
	char log[256];
	size_t loglen = 0;
	struct seen a = {.tag = 'a', .log = log, .loglen = &loglen};
	struct seen b = {.tag = 'b', .log = log, .loglen = &loglen};
	tp_source *src;
	tp_engine *e = engine_with("tcp-curl-http.pcap", 0, &src, &a, &b);
	assert_non_null(tp_engine_session(e));
	assert_int_equal(tp_engine_run(e, 0), TP_ENG_DONE);
	assert_int_equal(tp_engine_finish(e), 0);
	assert_int_equal(tp_engine_finish(e), 0); /* once only */
	/* tcpdump -r tcp-curl-http.pcap prints 12 packets */
	assert_int_equal(a.n, 12);
	assert_int_equal(b.n, 12);
	assert_int_equal(tp_engine_packets(e), 12);
	for (unsigned i = 0; i < 12; i++) {
		assert_int_equal(a.numbers[i], i + 1);
		assert_int_equal(b.numbers[i], i + 1);
		assert_int_equal(a.lens[i], b.lens[i]);
	}
	assert_int_equal(loglen, 24);
	for (size_t i = 0; i < loglen; i++)
		assert_int_equal(log[i], i % 2 ? 'b' : 'a');
	assert_int_equal(a.finished, 1);
	assert_int_equal(b.flushed, 1);
	/* after the end, nothing more is read */
	assert_int_equal(tp_engine_run(e, 0), TP_ENG_DONE);
	assert_int_equal(a.n, 12);
	engine_done(e, src);
}

/* -c: the run stops after that many packets, finish still once. */
static void test_engine_count(void **state)
{
	(void)state;
	SEEN_A;
	tp_source *src;
	tp_engine *e = engine_with("tcp-curl-http.pcap", 5, &src, &a, NULL);
	assert_int_equal(tp_engine_run(e, 0), TP_ENG_DONE);
	assert_int_equal(tp_engine_finish(e), 0);
	assert_int_equal(a.n, 5);
	assert_int_equal(a.numbers[4], 5);
	assert_int_equal(tp_engine_packets(e), 5);
	assert_int_equal(a.finished, 1);
	engine_done(e, src);
}

/* A UI runs a few packets at a time: the same records, in steps. */
static void test_engine_steps(void **state)
{
	(void)state;
	SEEN_A;
	tp_source *src;
	tp_engine *e = engine_with("tcp-curl-http.pcap", 0, &src, &a, NULL);
	unsigned steps = 0;
	while (tp_engine_run(e, 5) == TP_ENG_MORE) {
		steps++;
		assert_int_equal(a.n, steps * 5);
	}
	assert_int_equal(steps, 2);
	assert_int_equal(a.n, 12);
	for (unsigned i = 0; i < 12; i++)
		assert_int_equal(a.numbers[i], i + 1);
	assert_int_equal(tp_engine_finish(e), 0);
	engine_done(e, src);
}

/* A consumer whose output is gone ends the run; the others saw the same
 * records up to there. */
static void test_engine_consumer_stops(void **state)
{
	(void)state;
	char log[256];
	size_t loglen = 0;
	struct seen a = {.tag = 'a', .log = log, .loglen = &loglen,
			 .stop_after = 3};
	struct seen b = {.tag = 'b', .log = log, .loglen = &loglen};
	tp_source *src;
	tp_engine *e = engine_with("tcp-curl-http.pcap", 0, &src, &a, &b);
	assert_int_equal(tp_engine_run(e, 0), TP_ENG_DONE);
	assert_int_equal(a.n, 3);
	assert_int_equal(b.n, 2);
	assert_int_equal(tp_engine_finish(e), 0);
	assert_int_equal(b.finished, 1);
	engine_done(e, src);
}

/* A damaged file: every good record first, then the one error line on
 * standard error and status 3. */
static void test_engine_damaged(void **state)
{
	(void)state;
	SEEN_A;
	tp_source *src;
	tp_engine *e = engine_with("damaged-cut.pcap", 0, &src, &a, NULL);
	char errpath[64];
	snprintf(errpath, sizeof errpath, "/tmp/tapir-engine-%d.err",
		 (int)getpid());
	fflush(stderr);
	int saved = dup(2);
	FILE *ef = fopen(errpath, "w+");
	assert_non_null(ef);
	dup2(fileno(ef), 2);
	tp_eng_rc rc = tp_engine_run(e, 0);
	int status = tp_engine_finish(e);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char line[512] = "";
	rewind(ef);
	assert_non_null(fgets(line, sizeof line, ef));
	fclose(ef);
	unlink(errpath);
	assert_int_equal(rc, TP_ENG_DONE);
	assert_int_equal(status, TP_EXIT_DAMAGED);
	/* the cut is in packet 8 (tcpdump: "truncated dump file") */
	assert_int_equal(a.n, 7);
	assert_int_equal(a.finished, 1);
	char want[128];
	snprintf(want, sizeof want, ": damaged at packet %u, byte offset ",
		 a.n + 1);
	assert_non_null(strstr(line, want));
	assert_non_null(strstr(line, "damaged-cut.pcap"));
	assert_int_equal(strncmp(line, "tapir: ", 7), 0);
	engine_done(e, src);
}

/* Without a consumer that wants records nothing is dissected: no
 * session, the packets still counted. */
static void test_engine_no_dissection(void **state)
{
	(void)state;
	tp_source *src;
	tp_engine *e = engine_on("tcp-curl-http.pcap", 0, &src);
	struct seen a = {0};
	tp_consumer c = {.finish = seen_finish, .self = &a};
	assert_int_equal(tp_engine_add(e, &c), 0);
	assert_null(tp_engine_session(e));
	assert_int_equal(tp_engine_run(e, 0), TP_ENG_DONE);
	assert_int_equal(tp_engine_packets(e), 12);
	assert_int_equal(tp_engine_finish(e), 0);
	assert_int_equal(a.finished, 1);
	engine_done(e, src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_two_consumers),
		cmocka_unit_test(test_engine_count),
		cmocka_unit_test(test_engine_steps),
		cmocka_unit_test(test_engine_consumer_stops),
		cmocka_unit_test(test_engine_damaged),
		cmocka_unit_test(test_engine_no_dissection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
