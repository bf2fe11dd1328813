/* fuzz_dissector.c - one dissector fed raw bytes as its payload, then the
 * -vvv text, the -V tree, the hex dump and every field of that dissector
 * through -T fields.  Compiled once per registry key: -DFUZZ_DISSECTOR='"tcp"'
 * (tests/fuzz/local.mk lists them; tests/fuzz/check-harnesses.sh fails
 * when a dissector has no harness).
 *
 * Input: byte 0 says how many bytes the frame "on the wire" had beyond
 * what was captured (0-255; a snap-length cut), the rest is the bytes the
 * dissector starts at.  What the dissector hands its payload to runs too,
 * as in a real packet.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"

#ifndef FUZZ_DISSECTOR
#error "compile with -DFUZZ_DISSECTOR='\"name\"'"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tp_pkt *p;
	static const tp_dissector *d;
	static tp_output *text, *fields;
	static FILE *devnull;
	if (!p) {
		tp_registry_init();
		d = tp_registry_by_name(FUZZ_DISSECTOR);
		p = tp_pkt_new();
		devnull = fopen("/dev/null", "w");
		if (!d || !p || !devnull) {
			fprintf(stderr, "fuzz: no dissector %s\n", FUZZ_DISSECTOR);
			abort();
		}
		tp_outopts o = {.vflag = 3, .Vflag = true, .Xflag = 1, .eflag = true};
		/* tcpdump's relative numbers, from quoted headers too (-v) */
		if (p)
			p->dctx = tp_dctx_new(true, true);
		text = tp_out_text_new(devnull, &o);
		/* every field of the dissector, plus frame.protocols */
		static const char *names[1024];
		size_t n = 0;
		names[n++] = "frame.protocols";
		for (size_t i = 0; i < d->nfields && n < 1024; i++)
			names[n++] = d->fields[i].abbrev;
		char err[256];
		fields = tp_out_fields_new(devnull, names, n, err, sizeof err);
		if (!text || !fields) {
			fprintf(stderr, "fuzz: %s\n", fields ? "text" : err);
			abort();
		}
	}
	if (size < 1)
		return 0;
	size_t n = size - 1;
	tp_pkthdr h = {0, 0, (uint32_t)n, (uint32_t)(n + data[0]), 1, 0};
	tp_dissect_as(p, d, &h, data + 1);
	text->packet(text, p);
	fields->packet(fields, p);
	return 0;
}
