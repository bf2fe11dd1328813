/* fuzz_pipeline.c - a raw frame through the whole pipeline and every
 * output: the text output (-vvv text, -V tree and -X hex included), -T
 * fields with every field tapir knows, and the --stats tables.
 *
 * Input: 2 bytes choosing the link type (index into a table of the ones
 * tapir dissects, so the fuzzer does not waste time on unknown ones),
 * then the frame.  Built with libFuzzer by ./configure --enable-fuzz, or
 * as a plain program with onefile.c that replays files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tapir/flow.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"
#include "tapir/stats.h"

/* Inputs share one session (small caps, so eviction and expiry happen
 * too), with a tap that wants every flow: flows, fragment reassembly and
 * TCP reassembly are fuzzed across inputs, not one packet at a time. */
static uint64_t sink_bytes;

static bool tap_want(void *ctx, const tp_flow *f)
{
	(void)ctx;
	(void)f;
	return true;
}

static void tap_data(void *ctx, const tp_flow *f, int dir, uint64_t off,
		     const uint8_t *b, size_t n, const tp_pkt *p)
{
	(void)ctx, (void)f, (void)dir, (void)off, (void)p;
	for (size_t i = 0; i < n; i++)
		sink_bytes += b[i]; /* touch every byte delivered */
}

static const tp_stream_tap tap = {tap_want, tap_data, NULL, NULL, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = {1, 113, 276, 0, 108, 101, 228, 229, 147};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tp_pkt *p;
	static tp_output *out, *fields;
	static tp_stats *stats[3];
	static unsigned long inputs;
	static FILE *devnull;
	static tp_session *sess;
	static int64_t clock;
	if (!p) {
		tp_flowcfg cfg = {.max_flows = 64,
				  .idle_timeout = 5,
				  .reasm_dir_cap = 4096,
				  .reasm_mem_cap = 65536,
				  /* -T fields shows certificates' X.509 fields */
				  .certs = true};
		sess = tp_session_new(&cfg);
		if (!sess)
			abort();
		sess->taps[sess->ntaps++] = &tap;
		p = tp_pkt_new();
		if (p)
			p->sess = sess;
		devnull = fopen("/dev/null", "w");
		tp_outopts o = {.vflag = 3, .Vflag = true, .Xflag = 1, .eflag = true};
		/* tcpdump's relative numbers, from quoted headers too (-v) */
		if (p)
			p->dctx = tp_dctx_new(true, true);
		out = tp_out_text_new(devnull, &o);
		if (!p || !devnull || !out)
			abort();
		/* -T fields -e <every field of every dissector> */
		static const char *names[4096];
		size_t n = 0;
		tp_registry_init();
		for (size_t i = 0; i < tp_registry_count(); i++) {
			const tp_dissector *d = tp_registry_get(i);
			for (size_t k = 0; k < d->nfields && n < 4096; k++)
				names[n++] = d->fields[k].abbrev;
		}
		char err[256];
		fields = tp_out_fields_new(devnull, names, n, err, sizeof err);
		if (!fields) {
			fprintf(stderr, "fuzz: %s\n", err);
			abort();
		}
	}
	/* the statistics tables, small caps; printed and started again
	 * every 4096 inputs so memory stays bounded */
	static const char *const kinds[3] = {"conv", "endpoints", "phs"};
	if (inputs++ % 4096 == 0)
		for (int i = 0; i < 3; i++) {
			if (stats[i]) {
				tp_stats_print(stats[i], devnull);
				tp_stats_free(stats[i]);
			}
			unsigned k = 0, t = 0;
			if (tp_stats_parse(kinds[i], &k, &t) != 0 ||
			    !(stats[i] = tp_stats_new(k, t, 16)))
				abort();
		}
	if (size < 2)
		return 0;
	int lt = linktypes[data[0] % (sizeof linktypes / sizeof linktypes[0])];
	/* second byte: how many bytes to cut off the end of the capture
	 * (the frame "on the wire" is longer than what was captured) */
	size_t n = size - 2, cut = data[1] % 32;
	if (cut > n)
		cut = n;
	clock += data[1] >> 5; /* time moves on now and then */
	tp_pkthdr h = {clock, 0, (uint32_t)(n - cut), (uint32_t)n, lt, 0};
	tp_dissect(p, 1, &h, data + 2);
	out->packet(out, p);
	fields->packet(fields, p);
	for (int i = 0; i < 3; i++)
		tp_stats_packet(stats[i], p);
	return 0;
}
