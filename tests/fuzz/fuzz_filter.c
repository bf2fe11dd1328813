/* fuzz_filter.c - the display-filter compiler (src/filter/filter.c):
 * the input, as text, compiled; when it compiles, matched against three
 * records (a TCP SYN, an HTTP request in a session, an IPv6 UDP DNS
 * query) so every node kind the fuzzer reaches is evaluated too.  A
 * filter that does not compile must say where (a column inside the
 * text, or just after it) and why (abort() otherwise: a finding).
 * Inputs past 8 KiB are cut (the compiler refuses them anyway).
 * Built with libFuzzer by ./configure --enable-fuzz, or as a plain
 * program with onefile.c that replays files.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/filter.h"
#include "tapir/flow.h"
#include "tapir/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tp_pkt *recs[3];

/* A frame dissected into a record of its own (a session for all). */
static tp_pkt *record(tp_session *s, uint64_t no, const uint8_t *f,
		      size_t n)
{
	tp_pkt *p = tp_pkt_new();
	if (!p)
		abort();
	p->sess = s;
	tp_pkthdr h = {.caplen = (uint32_t)n, .len = (uint32_t)n,
		       .linktype = 1, .sec = 1700000000};
	tp_dissect(p, no, &h, f);
	return p;
}

static void setup(void)
{
	static const uint8_t syn[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1,
		10, 0, 0, 2, 0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0,
		0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0};
	static const char req[] = "GET /a HTTP/1.1\r\nHost: x.test\r\n\r\n";
	static uint8_t get[54 + sizeof req - 1];
	memcpy(get, syn, sizeof syn);
	memcpy(get + 54, req, sizeof req - 1);
	get[17] = (uint8_t)(40 + sizeof req - 1); /* IPv4 total length */
	get[47] = 0x18; /* PSH ACK */
	get[41] = 2;    /* seq after the SYN */
	static const uint8_t dns6[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x86, 0xdd,
		0x60, 0, 0, 0, 0, 29, 17, 64,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0xc3, 0x50, 0, 53, 0, 29, 0, 0,
		0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 0, 0, 1, 0, 1};
	tp_flowcfg cfg = {.max_flows = 16};
	tp_session *s = tp_session_new(&cfg);
	if (!s)
		abort();
	recs[0] = record(s, 1, syn, sizeof syn);
	tp_pkt *drop = record(s, 2, get, sizeof get);
	recs[1] = drop;
	recs[2] = record(s, 3, dns6, sizeof dns6);
	/* the session lives for the run (libFuzzer never ends it) */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8193];
	if (!recs[0])
		setup();
	if (size > 8192)
		size = 8192;
	memcpy(text, data, size);
	text[size] = '\0';
	size_t len = strlen(text); /* a NUL in the input ends the text */
	tp_filter_err e;
	tp_filter *f = tp_filter_compile(text, &e);
	if (!f) {
		if (e.col < 1 || e.col > len + 1 || !e.msg[0])
			abort();
		return 0;
	}
	for (int i = 0; i < 3; i++)
		(void)tp_filter_match(f, recs[i]);
	tp_filter_free(f);
	return 0;
}
