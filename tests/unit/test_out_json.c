/* test_out_json.c - -T json / -T ek: values per type, repeated names as
 * arrays, hostile bytes in strings (always valid UTF-8 JSON), a value
 * longer than the line buffer, events, the ek action line and timestamp,
 * and whole frames dissected from pcaps/. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#define TAPIR_TESTING /* tp_registry_add_test (tests/unit/libth.a) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/dissector.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"

/* A test protocol with one field of each kind, registered so that its
 * names are known to the output (a name seen twice becomes an array). */
enum {
	X_U,
	X_I,
	X_B,
	X_N,
	X_MAC,
	X_V4,
	X_V6,
	X_BY,
	X_S,
	X_AT,
	X_RT,
	X_D,
	X_HEX,
	X_COUNT
};
static const tp_field_def xf[X_COUNT] = {
    [X_U] = {"xj.u", "U", TP_FT_UINT32, TP_BASE_DEC, NULL, 0},
    [X_I] = {"xj.i", "I", TP_FT_INT32, TP_BASE_DEC, NULL, 0},
    [X_B] = {"xj.b", "B", TP_FT_BOOLEAN, 8, NULL, 0x1},
    [X_N] = {"xj.n", "N", TP_FT_NONE, 0, NULL, 0},
    [X_MAC] = {"xj.mac", "M", TP_FT_ETHER, 0, NULL, 0},
    [X_V4] = {"xj.v4", "4", TP_FT_IPv4, 0, NULL, 0},
    [X_V6] = {"xj.v6", "6", TP_FT_IPv6, 0, NULL, 0},
    [X_BY] = {"xj.by", "BY", TP_FT_BYTES, 0, NULL, 0},
    [X_S] = {"xj.s", "S", TP_FT_STRING, 0, NULL, 0},
    [X_AT] = {"xj.at", "AT", TP_FT_ABSOLUTE_TIME, 0, NULL, 0},
    [X_RT] = {"xj.rt", "RT", TP_FT_RELATIVE_TIME, 0, NULL, 0},
    [X_D] = {"xj.d", "D", TP_FT_DOUBLE, 0, NULL, 0},
    [X_HEX] = {"xj.hex", "H", TP_FT_UINT16, TP_BASE_HEX, NULL, 0},
};
static tp_next xj_dissect(tp_pkt *p, tp_cursor *c)
{
	(void)p;
	(void)c;
	return TP_STOP;
}
static const tp_dissector xj = {
    .name = "xj",
    .longname = "JSON test",
    .fields = xf,
    .nfields = X_COUNT,
    .dissect = xj_dissect,
};
static const tp_event_def xj_ev = {"xj.bad", TP_EV_MALFORMED, "Bad \"thing\""};

static char *out_buf;
static size_t out_len;

static tp_output *open_out(FILE **fp, bool ek, const char *index)
{
	tp_registry_add_test(&xj);
	free(out_buf);
	out_buf = NULL;
	*fp = open_memstream(&out_buf, &out_len);
	assert_non_null(*fp);
	tp_output *o = tp_out_json_new(*fp, ek, index);
	assert_non_null(o);
	return o;
}

static const char *close_out(tp_output *o, FILE *fp)
{
	o->finish(o);
	tp_out_json_free(o);
	fclose(fp);
	return out_buf;
}

/* A record of the frame layer (no fields) and one xj layer. */
static tp_pkt *xj_record(void)
{
	static tp_pkt *p;
	if (!p)
		p = tp_pkt_new();
	tp_pkt_reset(p);
	p->number = 1;
	p->ts_sec = 1795249637;
	p->ts_nsec = 476778000;
	tp_layer_begin(p, &tp_diss_frame, 0);
	tp_layer_begin(p, &xj, 0);
	return p;
}

static void add_p(tp_pkt *p, int k, const void *b, uint32_t n)
{
	tp_field *f = tp_field_append(p, &xf[k], 0, 0);
	assert_non_null(f);
	f->v.p = b;
	f->vlen = n;
}

static void test_out_json_types(void **state)
{
	(void)state;
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0x99, 0xab};
	static const uint8_t a4[4] = {10, 99, 0, 1};
	static const uint8_t a6[16] = {0xfd, 0, 0, 0x99, [15] = 1};
	static const uint8_t by[3] = {0x00, 0xff, 0x10};
	FILE *fp;
	tp_output *o = open_out(&fp, false, NULL);
	tp_pkt *p = xj_record();
	tp_add_uint(p, &xf[X_U], 0, 0, 4294967295u);
	tp_field_append(p, &xf[X_I], 0, 0)->v.i = -7;
	tp_add_uint(p, &xf[X_B], 0, 0, 1);
	tp_add_uint(p, &xf[X_N], 0, 0, 0);
	add_p(p, X_MAC, mac, 6);
	add_p(p, X_V4, a4, 4);
	add_p(p, X_V6, a6, 16);
	add_p(p, X_BY, by, 3);
	add_p(p, X_S, "a\"b\\c", 5);
	tp_add_uint(p, &xf[X_AT], 0, 0, 1795249637476778000ull);
	tp_field_append(p, &xf[X_RT], 0, 0)->v.i = -1500000000;
	tp_field_append(p, &xf[X_D], 0, 0)->v.d = 0.25;
	tp_add_uint(p, &xf[X_HEX], 0, 0, 0x0800);
	o->packet(o, p);
	assert_string_equal(
	    close_out(o, fp),
	    "{\"frame\":{},\"layers\":[{\"name\":\"xj\",\"fields\":{"
	    "\"xj.u\":4294967295,\"xj.i\":-7,\"xj.b\":true,\"xj.n\":true,"
	    "\"xj.mac\":\"02:00:00:00:99:ab\",\"xj.v4\":\"10.99.0.1\","
	    "\"xj.v6\":\"fd00:99::1\",\"xj.by\":\"00ff10\","
	    "\"xj.s\":\"a\\\"b\\\\c\","
	    "\"xj.at\":\"2026-11-21T08:27:17.476778000Z\","
	    "\"xj.rt\":-1.500000000,\"xj.d\":0.25,\"xj.hex\":2048}}]}\n");
}

/* A name twice or more in a layer: one key, an array in packet order,
 * where it first appeared; once: a plain value. */
static void test_out_json_repeated(void **state)
{
	(void)state;
	FILE *fp;
	tp_output *o = open_out(&fp, false, NULL);
	tp_pkt *p = xj_record();
	tp_add_uint(p, &xf[X_U], 0, 0, 1);
	tp_add_uint(p, &xf[X_B], 0, 0, 0);
	tp_push(p); /* nesting does not matter: the keys are flat */
	tp_add_uint(p, &xf[X_U], 0, 0, 2);
	tp_pop(p);
	tp_add_uint(p, &xf[X_U], 0, 0, 3);
	tp_add_uint(p, &xf[X_HEX], 0, 0, 9);
	tp_layer_begin(p, &xj, 0); /* a second layer: its own object */
	tp_add_uint(p, &xf[X_U], 0, 0, 4);
	o->packet(o, p);
	assert_string_equal(
	    close_out(o, fp),
	    "{\"frame\":{},\"layers\":["
	    "{\"name\":\"xj\",\"fields\":{\"xj.u\":[1,2,3],\"xj.b\":false,"
	    "\"xj.hex\":9}},"
	    "{\"name\":\"xj\",\"fields\":{\"xj.u\":4}}]}\n");
}

/* Hostile bytes: control characters escaped, invalid UTF-8 bytes as
 * \u00XX, valid multi-byte characters passed on, NaN as null. */
static void test_out_json_hostile_strings(void **state)
{
	(void)state;
	static const uint8_t s[] = {'\n', 0x01, 0x7f, 0xc3, 0xa9, /* é */
				    0xc3, 0x28,		    /* bad 2nd byte */
				    0xed, 0xa0, 0x80,	    /* a surrogate */
				    0xf0, 0x9f, 0x98, 0x80, /* U+1F600 */
				    0xff, 0xe2, 0x82};	    /* cut at the end */
	FILE *fp;
	tp_output *o = open_out(&fp, false, NULL);
	tp_pkt *p = xj_record();
	add_p(p, X_S, s, sizeof s);
	add_p(p, X_S, NULL, 0);
	add_p(p, X_S, "abcdXY", 4); /* what follows the string is not read */
	add_p(p, X_S, "abcdefgh\x01", 8);
	add_p(p, X_BY, NULL, 0);
	tp_field_append(p, &xf[X_D], 0, 0)->v.d = 0.0 / 0.0;
	o->packet(o, p);
	assert_string_equal(close_out(o, fp),
			    "{\"frame\":{},\"layers\":[{\"name\":\"xj\","
			    "\"fields\":{\"xj.s\":[\"\\n\\u0001\\u007f\xc3\xa9"
			    "\\u00c3(\\u00ed\\u00a0\\u0080\xf0\x9f\x98\x80"
			    "\\u00ff\\u00e2\\u0082\",\"\","
			    "\"abcd\",\"abcdefgh\"],\"xj.by\":\"\","
			    "\"xj.d\":null}}]}\n");
}

/* A string and bytes far longer than the line buffer (1 MiB) come out
 * whole, and a multi-byte character across a slice boundary stays one. */
static void test_out_json_long_values(void **state)
{
	(void)state;
	size_t n = 3u << 20;
	uint8_t *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i < n; i += 2) {
		big[i] = 0xc3;
		big[i + 1] = 0xa9;
	}
	FILE *fp;
	tp_output *o = open_out(&fp, false, NULL);
	tp_pkt *p = xj_record();
	add_p(p, X_S, big + 1, (uint32_t)(n - 1)); /* starts mid-character */
	add_p(p, X_BY, big, (uint32_t)n);
	o->packet(o, p);
	const char *out = close_out(o, fp);
	const char *head = "{\"frame\":{},\"layers\":[{\"name\":\"xj\","
			   "\"fields\":{\"xj.s\":\"\\u00a9";
	assert_memory_equal(out, head, strlen(head));
	size_t at = strlen(head);
	/* (n - 2) / 2 whole characters, no escape among them */
	for (size_t i = 0; i < n - 2; i += 2)
		if ((uint8_t)out[at + i] != 0xc3 ||
		    (uint8_t)out[at + i + 1] != 0xa9)
			fail_msg("byte %zu of the string", i);
	at += n - 2;
	assert_memory_equal(out + at, "\",\"xj.by\":\"", 11);
	at += 11;
	for (size_t i = 0; i < 2 * n; i += 4)
		if (memcmp(out + at + i, "c3a9", 4) != 0)
			fail_msg("hex digit %zu", i);
	at += 2 * n;
	assert_string_equal(out + at, "\"}}]}\n");
	assert_int_equal(out_len, at + 6);
	free(big);
}

/* Events: one "expert" array after the layers, with the layer's name. */
static void test_out_json_expert(void **state)
{
	(void)state;
	FILE *fp;
	tp_output *o = open_out(&fp, false, NULL);
	tp_pkt *p = xj_record();
	tp_add_event(p, &xj_ev, 0);
	o->packet(o, p);
	assert_string_equal(
	    close_out(o, fp),
	    "{\"frame\":{},\"layers\":[{\"name\":\"xj\",\"fields\":{}}],"
	    "\"expert\":[{\"layer\":\"xj\",\"id\":\"xj.bad\",\"kind\":"
	    "\"malformed\",\"message\":\"Bad \\\"thing\\\"\"}]}\n");
}

/* -T ek: the action line (the packet's date, or --ek-index escaped),
 * the timestamp in ms, '_' for '.' in keys; a time before 1970 and one
 * whose ms do not fit. */
static void test_out_json_ek(void **state)
{
	(void)state;
	FILE *fp;
	tp_output *o = open_out(&fp, true, NULL);
	tp_pkt *p = xj_record();
	tp_add_uint(p, &xf[X_U], 0, 0, 5);
	o->packet(o, p);
	p->ts_sec = -1;
	p->ts_nsec = 999000000;
	o->packet(o, p);
	p->ts_sec = INT64_MAX;
	o->packet(o, p);
	assert_string_equal(
	    close_out(o, fp),
	    "{\"index\":{\"_index\":\"packets-2026-11-21\"}}\n"
	    "{\"timestamp\":1795249637476,\"frame\":{},\"layers\":[{\"name\":"
	    "\"xj\",\"fields\":{\"xj_u\":5}}]}\n"
	    "{\"index\":{\"_index\":\"packets-1969-12-31\"}}\n"
	    "{\"timestamp\":-1,\"frame\":{},\"layers\":[{\"name\":"
	    "\"xj\",\"fields\":{\"xj_u\":5}}]}\n"
	    "{\"index\":{\"_index\":\"packets-292277026596-12-04\"}}\n"
	    "{\"timestamp\":9223372036854775807,\"frame\":{},\"layers\":[{"
	    "\"name\":\"xj\",\"fields\":{\"xj_u\":5}}]}\n");
	o = open_out(&fp, true, "my\"idx");
	p = xj_record();
	o->packet(o, p);
	assert_string_equal(close_out(o, fp),
			    "{\"index\":{\"_index\":\"my\\\"idx\"}}\n"
			    "{\"timestamp\":1795249637476,\"frame\":{},"
			    "\"layers\":[{\"name\":\"xj\",\"fields\":{}}]}\n");
}

/* A real frame (pcaps/tcp-options.pcap #1, a SYN): the frame's fields
 * as numbers and text, the layers in order, tcp.option_kind an array. */
static void test_out_json_frame(void **state)
{
	(void)state;
	static const char syn[] =
	    "02000000990202000000990108004500004c00010000400665e30a6300010a63"
	    "00029c431f40000003e800000000e002faf09e430000020405b40402080a075b"
	    "cd150000000001030307220a7a7a0102030405061e0401810101";
	static uint8_t b[256];
	size_t n = th_hex(syn, b, sizeof b);
	setenv("TZ", "UTC", 1);
	FILE *fp;
	tp_output *o = open_out(&fp, false, NULL);
	static tp_dctx run;
	tp_pkt *p = tp_pkt_new();
	p->dctx = &run;
	tp_pkthdr h = {1795249637, 476778000, (uint32_t)n, (uint32_t)n, 1, 0};
	tp_dissect(p, 1, &h, b);
	o->packet(o, p);
	const char *out = close_out(o, fp);
	tp_pkt_free(p);
	assert_non_null(strstr(out, "{\"frame\":{\"frame.number\":1,"
				    "\"frame.time_epoch\":1795249637.476778000,"
				    "\"frame.len\":90,"));
	assert_non_null(strstr(out, "\"frame.protocols\":\"eth:ethertype:"
				    "ip:tcp"));
	assert_non_null(strstr(out, "]}\n"));
	assert_non_null(strstr(out,
			       "},\"layers\":[{\"name\":\"eth\",\"fields\":"
			       "{\"eth.dst\":\"02:00:00:00:99:02\""));
	assert_non_null(strstr(out, "{\"name\":\"ip\",\"fields\":{"
				    "\"ip.version\":4,"));
	assert_non_null(strstr(out, "\"ip.src\":\"10.99.0.1\""));
	assert_non_null(
	    strstr(out, "\"tcp.srcport\":40003,\"tcp.dstport\":8000"));
	const char *k = strstr(out, "\"tcp.option_kind\":[2,4,8,1,3,");
	assert_non_null(k);
	assert_null(strstr(k + 1, "\"tcp.option_kind\":")); /* one key */
	assert_string_equal(out + strlen(out) - 3, "]}\n");
	size_t lines = 0; /* one line */
	for (const char *c = out; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_out_json_types),
	    cmocka_unit_test(test_out_json_repeated),
	    cmocka_unit_test(test_out_json_hostile_strings),
	    cmocka_unit_test(test_out_json_long_values),
	    cmocka_unit_test(test_out_json_expert),
	    cmocka_unit_test(test_out_json_ek),
	    cmocka_unit_test(test_out_json_frame),
	};
	return cmocka_run_group_tests_name("out_json", tests, NULL, NULL);
}
