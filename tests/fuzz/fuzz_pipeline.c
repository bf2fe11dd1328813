/* fuzz_pipeline.c - a raw frame through the whole pipeline and the text
 * output (-v tree and -X hex included).
 *
 * Input: 2 bytes choosing the link type (index into a table of the ones
 * tapir dissects, so the fuzzer does not waste time on unknown ones),
 * then the frame.  Built with libFuzzer by ./configure --enable-fuzz, or
 * as a plain program with onefile.c that replays files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tapir/output.h"
#include "tapir/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = {1, 113, 276, 0, 108, 101, 228, 229, 147};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tp_pkt *p;
	static tp_output *out;
	static FILE *devnull;
	if (!p) {
		p = tp_pkt_new();
		devnull = fopen("/dev/null", "w");
		tp_outopts o = {.vflag = 1, .Xflag = 1, .eflag = true};
		o.seqtab = tp_seqtab_new();
		out = tp_out_text_new(devnull, &o);
		if (!p || !devnull || !out)
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
	tp_pkthdr h = {0, 0, (uint32_t)(n - cut), (uint32_t)n, lt, 0};
	tp_dissect(p, 1, &h, data + 2);
	out->packet(out, p);
	return 0;
}
