/* test_report.c - conversation reports (src/core/report.c) and their
 * text and JSON forms (src/output/report_out.c): items in order, the
 * bounds (too many items, too much text, lists nested too deep: left
 * out, marked truncated, the structure still closed), JSON escaping of
 * any bytes into valid UTF-8, the text block's head line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/report.h"

static tp_report rep;

static void init(void)
{
	tp_flowkey k;
	memset(&k, 0, sizeof k);
	k.family = 4;
	k.proto = 6;
	k.port[0] = 443, k.port[1] = 51234;
	k.addr[0][0] = 10, k.addr[0][3] = 2;
	k.addr[1][0] = 10, k.addr[1][3] = 1;
	tp_report_init(&rep, "tls", &k, 1, 7); /* the client is side 1 */
}

/* The report printed by fn, as a string (static). */
static const char *printed(void (*fn)(const tp_report *, FILE *))
{
	static char buf[1 << 17];
	FILE *fp = fmemopen(buf, sizeof buf, "w");
	assert_non_null(fp);
	fn(&rep, fp);
	fclose(fp);
	return buf;
}

static void test_report_json(void **state)
{
	(void)state;
	init();
	tp_rep_str(&rep, "outcome", "established");
	tp_rep_ms(&rep, "duration_ms", 12345678);
	tp_rep_list(&rep, "alpn_offered");
	tp_rep_str(&rep, NULL, "h2");
	tp_rep_str(&rep, NULL, "http/1.1");
	tp_rep_end(&rep);
	tp_rep_uint(&rep, "cipher_id", 4865);
	tp_rep_bool(&rep, "hrr", false);
	tp_rep_list(&rep, "certificates");
	tp_rep_obj(&rep, NULL);
	tp_rep_str(&rep, "subject_cn", "a");
	tp_rep_end(&rep);
	tp_rep_end(&rep);
	tp_rep_time(&rep, "time", 1000000000LL * 86400 + 5000);
	assert_false(rep.truncated);
	assert_string_equal(
		printed(tp_report_json),
		"{\"proto\":\"tls\",\"stream\":7,\"client\":\"10.0.0.1:51234\","
		"\"server\":\"10.0.0.2:443\",\"outcome\":\"established\","
		"\"duration_ms\":12.345,\"alpn_offered\":[\"h2\",\"http/1.1\"],"
		"\"cipher_id\":4865,\"hrr\":false,\"certificates\":[{"
		"\"subject_cn\":\"a\"}],"
		"\"time\":\"1970-01-02T00:00:00.000005Z\"}\n");
	/* the text: the head line takes outcome and duration */
	assert_string_equal(printed(tp_report_text),
			    "TLS stream 7  10.0.0.1:51234 -> 10.0.0.2:443  "
			    "established in 12.345 ms\n"
			    "  alpn_offered: h2, http/1.1\n"
			    "  cipher_id: 4865\n"
			    "  hrr: no\n"
			    "  certificates:\n"
			    "    0: subject_cn: a\n"
			    "  time: 1970-01-02T00:00:00.000005Z\n");
}

/* Any bytes in a string: quotes and backslashes escaped, control bytes
 * as \u00XX, valid UTF-8 kept, a byte outside valid UTF-8 (a lone
 * continuation, an overlong form, a surrogate, a cut sequence) as its
 * \u00XX. */
static void test_report_escape(void **state)
{
	(void)state;
	init();
	static const char s[] = "q\"b\\\x01\n\xc3\xa9\x80\xc0\xaf\xed\xa0\x80"
				"\xf0\x9f\x98\x80\xe2\x82";
	tp_rep_strn(&rep, "sni", s, sizeof s - 1);
	const char *j = printed(tp_report_json);
	assert_non_null(strstr(
		j, "\"sni\":\"q\\\"b\\\\\\u0001\\n\xc3\xa9\\u0080\\u00c0"
		   "\\u00af\\u00ed\\u00a0\\u0080\xf0\x9f\x98\x80\\u00e2"
		   "\\u0082\"}"));
	/* the text: escaped as the one-line output escapes */
	const char *t = printed(tp_report_text);
	assert_non_null(strstr(t, "  sni: q\"b\\\\\\x01\\n\\xc3"));
}

/* Past the item cap: left out, truncated, and every list still closed
 * (the JSON has as many ']' as '['). */
static void test_report_bounds(void **state)
{
	(void)state;
	init();
	tp_rep_list(&rep, "many");
	for (int i = 0; i < 1000; i++)
		tp_rep_uint(&rep, NULL, (uint64_t)i);
	tp_rep_end(&rep);
	tp_rep_str(&rep, "after", "x");
	assert_true(rep.truncated);
	assert_true(rep.n <= TP_REPORT_ITEMS);
	const char *j = printed(tp_report_json);
	int open = 0, close = 0;
	for (const char *c = j; *c; c++)
		open += *c == '[', close += *c == ']';
	assert_int_equal(open, close);
	assert_non_null(strstr(j, ",\"truncated\":true}"));

	/* too much text: the string left out whole, never cut */
	init();
	static char big[TP_REPORT_TEXT + 10];
	memset(big, 'a', sizeof big - 1);
	tp_rep_str(&rep, "big", big);
	tp_rep_str(&rep, "small", "ok");
	assert_true(rep.truncated);
	assert_int_equal(rep.n, 1);
	assert_null(strstr(printed(tp_report_json), "\"big\""));

	/* nested past TP_REPORT_DEPTH: the inner ones left out, their
	 * items too, and the ends matched */
	init();
	for (int i = 0; i < TP_REPORT_DEPTH + 3; i++)
		tp_rep_list(&rep, i ? NULL : "deep");
	tp_rep_uint(&rep, NULL, 5);
	for (int i = 0; i < TP_REPORT_DEPTH + 3; i++)
		tp_rep_end(&rep);
	tp_rep_uint(&rep, "next", 1);
	assert_true(rep.truncated);
	assert_int_equal(rep.depth, 0);
	j = printed(tp_report_json);
	assert_non_null(strstr(j, "\"deep\":[[[[]]]],\"next\":1,"));
}

/* Lists and objects left open are closed by emit; a tap for another
 * protocol gets nothing. */
static unsigned seen;
static void on_report(void *ctx, const tp_report *r)
{
	(void)ctx;
	assert_int_equal(r->depth, 0);
	seen++;
}

static void test_report_emit(void **state)
{
	(void)state;
	tp_session s;
	memset(&s, 0, sizeof s);
	tp_report_tap t = {"tls", on_report, NULL};
	assert_false(tp_report_wanted(&s, "tls"));
	s.reptap = &t;
	assert_true(tp_report_wanted(&s, "tls"));
	assert_false(tp_report_wanted(&s, "dns"));
	assert_false(tp_report_wanted(NULL, "tls"));
	init();
	tp_rep_obj(&rep, "o");
	tp_rep_list(&rep, "l");
	seen = 0;
	tp_report_emit(&s, &rep);
	assert_int_equal(seen, 1);
	rep.proto = "dns";
	tp_report_emit(&s, &rep);
	assert_int_equal(seen, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_report_escape),
		cmocka_unit_test(test_report_bounds),
		cmocka_unit_test(test_report_emit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
