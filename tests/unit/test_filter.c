/* test_filter.c - display filters (src/filter/filter.c): a table of
 * expressions with the packets they must and must not match, bad
 * expressions with the column of the error, and hostile expressions
 * (every truncation of long ones, deep nesting, long literals, bytes
 * that are no token): never a crash, a leak, or a filter that matches
 * without having compiled. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tapir/filter.h"
#include "tapir/registry.h"

/* Three packets: a SYN 10.0.0.1:40000 -> 10.0.0.2:80, an HTTP GET on
 * the same ports, and a reply from port 443 (dir 1). */
static uint8_t frames[3][1024];
static size_t lens[3];

/* Packet k's record, dissected in a session after the ones before it
 * (HTTP is a stream dissector: it needs the flow). */
static th_sess sess;
static bool sess_on;

static bool lean_run; /* records as a one-line run builds them */

static tp_pkt *pkt(int k)
{
	static const char get[] = "GET /index.html HTTP/1.1\r\nHost: "
				  "www.Example.test\r\n\r\n";
	if (!lens[0]) {
		lens[0] = th_tcp_frame(frames[0], 0, 40000, 80, 1000, 0, 0x02,
				       NULL, 0);
		lens[1] = th_tcp_frame(frames[1], 0, 40000, 80, 1001, 5001,
				       0x18, (const uint8_t *)get,
				       sizeof get - 1);
		lens[2] = th_tcp_frame(frames[2], 1, 40000, 443, 7, 9, 0x10,
				       NULL, 0);
	}
	if (sess_on)
		th_sess_free(&sess);
	th_sess_init(&sess, false);
	sess_on = true;
	sess.p->lean = lean_run;
	tp_pkt *p = NULL;
	for (int i = 0; i <= k; i++)
		p = th_sess_feed(&sess, (uint64_t)i + 1, frames[i], lens[i],
				 lens[i]);
	return p;
}

static bool match(const char *expr, int k)
{
	tp_filter_err e;
	tp_filter *f = tp_filter_compile(expr, &e);
	if (!f)
		fail_msg("%s: %s (column %zu)", expr, e.msg, e.col);
	bool m = tp_filter_match(f, pkt(k));
	tp_filter_free(f);
	return m;
}

static const struct {
	const char *expr;
	int match[3]; /* for packets 0, 1, 2 */
} table[] = {
	{"tcp", {1, 1, 1}},
	{"udp", {0, 0, 0}},
	{"not udp", {1, 1, 1}},
	{"http", {0, 1, 0}},
	{"tcp.flags.syn == 1", {1, 0, 0}},
	{"tcp.flags.syn == True", {1, 0, 0}},
	{"tcp.flags.syn", {1, 1, 1}}, /* present in every TCP header */
	{"tcp.dstport == 80", {1, 1, 0}},
	{"tcp.dstport eq 80", {1, 1, 0}},
	{"tcp.srcport == 443", {0, 0, 1}},
	{"tcp.dstport != 80", {0, 0, 1}},
	{"tcp.dstport > 80", {0, 0, 1}},
	{"tcp.dstport >= 80 && tcp.dstport <= 80", {1, 1, 0}},
	{"tcp.dstport in {80, 8080}", {1, 1, 0}},
	{"tcp.dstport in {80 8080}", {1, 1, 0}},
	{"tcp.dstport in {1..100}", {1, 1, 0}},
	{"tcp.srcport in {400..500}", {0, 0, 1}},
	{"tcp.dstport == 0x50", {1, 1, 0}},
	{"ip.src == 10.0.0.1", {1, 1, 0}},
	{"ip.src == 10.0.0.0/24", {1, 1, 1}},
	{"ip.dst == 10.0.0.2/32", {1, 1, 0}},
	{"ip.src == 10.0.1.0/24", {0, 0, 0}},
	{"ip.src == ip.dst", {0, 0, 0}},
	{"ip.src != ip.dst", {1, 1, 1}},
	{"tcp.srcport < tcp.dstport", {0, 0, 1}},
	{"eth.type == 0x0800", {1, 1, 1}},
	{"eth.src[0:1] == 02", {1, 1, 1}},
	{"eth.src[0] == 02", {1, 1, 1}},
	{"eth.src[5:1] == ff", {0, 0, 0}},
	{"eth.src[-1:1] == 01 or eth.src[-1] == 02", {1, 1, 1}},
	{"http.request.method == \"GET\"", {0, 1, 0}},
	{"http.request.method == GET", {0, 1, 0}},
	{"http.request.method != \"POST\"", {0, 1, 0}},
	{"http.host contains \"Example\"", {0, 1, 0}},
	{"http.host contains \"example\"", {0, 0, 0}}, /* contains: exact */
	{"http.host matches \"example\\\\.TEST$\"", {0, 1, 0}}, /* icase */
	{"http.host matches \"^example\"", {0, 0, 0}},
	{"http.request.uri == \"/index.html\"", {0, 1, 0}},
	{"tcp.payload contains \"GET\"", {0, 1, 0}},
	{"frame.len > 100", {0, 1, 0}},
	{"tcp.dstport == 80 and not tcp.flags.syn == 1", {0, 1, 0}},
	{"tcp.dstport == 80 xor tcp.flags.syn == 1", {0, 1, 0}},
	{"(tcp.dstport == 443 or tcp.srcport == 443) and tcp", {0, 0, 1}},
	{"tcp.dstport == 443 or tcp.srcport == 443 and udp", {0, 0, 0}},
	{"!tcp || tcp.flags.ack == 1", {0, 1, 1}},
	{"tcp.dstport === 80", {1, 1, 0}},
	{"tcp.port !== 80", {1, 1, 1}}, /* any_ne: 40000 */
	{"tcp.port === 80", {0, 0, 0}}, /* all_eq */
	{"tcp.port == 80", {1, 1, 0}},
	{"tcp.flags & 0x02", {1, 0, 0}},
	{"tcp.flags bitwise_and 0x12", {1, 1, 1}},
	{"tcp.flags & 0x18 == 0x18", {0, 1, 0}},
	{"tcp.flags & 0x18 == 0x10", {0, 0, 1}},
	{"not tcp.flags & 0x10", {1, 0, 0}},
	{"ip.addr == 10.0.0.1", {1, 1, 1}},
	{"ip.addr == 10.0.0.1 and ip.src == 10.0.0.2", {0, 0, 1}},
	{"ip.addr == 10.0.0.3", {0, 0, 0}},
	{"ip.addr == 10.0.0.2 and tcp.port == 443", {0, 0, 1}},
	{"ip.addr != 10.0.0.1", {0, 0, 0}},
	{"ip.addr != 10.0.0.3", {1, 1, 1}},
	{"ip.addr === 10.0.0.0/24", {1, 1, 1}},
	{"ip.addr !== 10.0.0.2", {1, 1, 1}},
	{"eth.addr[0] == 02", {1, 1, 1}},
};

/* Which filters a lean run can evaluate (tp_filter_lean): its fields
 * only; and on lean records they select what they select on full ones
 * (test_filter_table runs the table both ways). */
static const struct {
	const char *expr;
	bool lean;
} leans[] = {
	{"ip.addr == 10.0.0.1 and tcp.port == 443", true},
	{"tcp.srcport in {80 443} or udp.port == 53", true},
	{"eth.addr == ff:ff:ff:ff:ff:ff", true},
	{"tcp.flags & 0x02", true},
	{"dns.qry.name == \"x\" or frame.len > 100", true},
	{"tcp", true},
	{"tcp.flags.syn == 1 and tcp.flags.ack == 0", true}, /* bits */
	{"ip.flags.mf == 1", false},            /* a bit: not in lean */
	{"tcp.stream == 1", false},             /* generated */
	{"tcp.analysis.retransmission", false}, /* generated */
	{"http", false},                        /* an application layer */
	{"ip.addr == 10.0.0.1 and http.host", false},
	{"tcp.payload contains \"GET\"", false},
	{"ip.flags.df == 1", false},
	{"frame.protocols contains \"tls\"", false},
	{"_ws.col.Protocol == \"TCP\"", false},
	{"ip.src == ip.dst or tcp.stream == 0", false},
};

static void test_filter_lean(void **state)
{
	(void)state;
	tp_filter_err e;
	tp_filter *g = tp_filter_compile("ip.ttl > 1 or not "
					 "tcp.analysis.ack_rtt > 0.1", &e);
	assert_non_null(g);
	assert_true(tp_filter_reads(g, "tcp.analysis"));
	assert_false(tp_filter_reads(g, "http"));
	tp_filter_free(g);
	for (size_t i = 0; i < sizeof leans / sizeof leans[0]; i++) {
		tp_filter *f = tp_filter_compile(leans[i].expr, &e);
		if (!f)
			fail_msg("%s: %s", leans[i].expr, e.msg);
		if (tp_filter_lean(f) != leans[i].lean)
			fail_msg("'%s': lean %d, expected %d", leans[i].expr,
				 !leans[i].lean, leans[i].lean);
		tp_filter_free(f);
	}
}

static void test_filter_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		/* tcp.payload is a later field: skip when it is not there */
		if (strstr(table[i].expr, "tcp.payload") &&
		    !tp_registry_field("tcp.payload"))
			continue;
		if (strstr(table[i].expr, "tcp.port") &&
		    !tp_registry_field("tcp.port"))
			continue;
		for (int k = 0; k < 3; k++)
			if (match(table[i].expr, k) != (table[i].match[k] != 0))
				fail_msg("-Y '%s' on packet %d: %s, expected "
					 "%s",
					 table[i].expr, k,
					 table[i].match[k] ? "no match" : "a match",
					 table[i].match[k] ? "a match" : "none");
		/* a filter a lean run can take selects the same there */
		tp_filter_err e;
		tp_filter *f = tp_filter_compile(table[i].expr, &e);
		assert_non_null(f);
		lean_run = tp_filter_lean(f);
		for (int k = 0; lean_run && k < 3; k++)
			if (tp_filter_match(f, pkt(k)) !=
			    (table[i].match[k] != 0))
				fail_msg("-Y '%s' on lean packet %d: wrong",
					 table[i].expr, k);
		lean_run = false;
		tp_filter_free(f);
	}
}

static const struct {
	const char *expr;
	size_t col;
	const char *msg; /* a part of the message */
} bad[] = {
	{"foo == 1", 1, "neither a field nor a protocol"},
	{"tcp.dstport ==", 15, "expected a value"},
	{"tcp.dstport == 80 and", 22, "expected a field"},
	{"(tcp", 1, "missing ')'"},
	{"tcp)", 4, "unmatched ')'"},
	{"tcp.dstport == abc", 16, "not a valid number"},
	{"ip.src == 10.0.0.256", 11, "not a valid IPv4"},
	{"ip.src == 10.0.0.0/33", 11, "bad prefix"},
	{"eth.src == 00:11:zz", 12, "byte string"},
	{"http.host matches \"(\"", 19, "regular expression"},
	{"http.host matches foo", 19, "expected a \"regular"},
	{"tcp.dstport contains 80", 13, "contains needs"},
	{"tcp.dstport[0:1] == 1", 12, "cannot be sliced"},
	{"tcp == 1", 1, "protocol"},
	{"tcp.dstport in 80", 16, "expected '{'"},
	{"tcp.dstport == \"80", 16, "missing '\"'"},
	{"", 1, "empty"},
	{"tcp.dstport == 80 tcp", 19, "unexpected"},
	{"tcp.dstport # 1", 13, "unexpected"},
	{"ip.src & 1", 8, "& needs"},
	{"tcp & 1", 5, "& needs"},
	{"tcp.flags & ", 13, "expected a number"},
	{"tcp.flags & x", 13, "not a valid number"},
	{"tcp.time_delta > 1e300", 18, "not a valid"},
};

static void test_filter_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tp_filter_err e;
		tp_filter *f = tp_filter_compile(bad[i].expr, &e);
		if (f)
			fail_msg("'%s' compiled", bad[i].expr);
		if (e.col != bad[i].col || !strstr(e.msg, bad[i].msg))
			fail_msg("'%s': column %zu \"%s\", expected column %zu "
				 "\"...%s...\"",
				 bad[i].expr, e.col, e.msg, bad[i].col,
				 bad[i].msg);
	}
}

/* Hostile expressions: every prefix of long valid ones, deep nesting,
 * long words and strings, big sets, bytes that are no token. */
static void test_filter_hostile(void **state)
{
	(void)state;
	static const char *long_ones[] = {
		"((ip.src == 10.0.0.0/8 && tcp.dstport in {80, 443, 1..3}) || "
		"!(eth.src[1:2] == 00:01) xor http.host matches \"^w+\\\\.\")",
		"http.request.uri contains \"a\\x41\\101\\n\" and frame.len >= "
		"0x10 and ipv6.src == fe80::1/64",
	};
	char buf[512];
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(long_ones[i]);
		for (size_t k = 0; k <= n; k++) {
			memcpy(buf, long_ones[i], k);
			buf[k] = '\0';
			tp_filter_err e;
			tp_filter *f = tp_filter_compile(buf, &e);
			if (f) {
				tp_filter_match(f, pkt(1));
				tp_filter_free(f);
			} else {
				assert_true(e.col >= 1 && e.col <= k + 1);
				assert_true(e.msg[0] != '\0');
			}
		}
	}
	static char deep[20000];
	memset(deep, '(', 10000);
	strcpy(deep + 10000, "tcp");
	tp_filter_err e;
	assert_null(tp_filter_compile(deep, &e));
	assert_non_null(strstr(e.msg, "longer than"));
	memset(deep, 0, sizeof deep);
	memset(deep, '(', 100);
	strcpy(deep + 100, "tcp");
	assert_null(tp_filter_compile(deep, &e));
	assert_non_null(strstr(e.msg, "nested"));
	memset(deep, 0, sizeof deep);
	strcpy(deep, "http.host == \"");
	memset(deep + 14, 'a', 3000);
	strcat(deep, "\"");
	assert_null(tp_filter_compile(deep, &e));
	strcpy(deep, "tcp.dstport in {");
	for (int i = 0; i < 300; i++)
		strcat(deep, "1, ");
	strcat(deep, "2}");
	assert_null(tp_filter_compile(deep, &e));
	assert_non_null(strstr(e.msg, "values in a set"));
	for (int c = 1; c < 256; c++) {
		char x[8] = {'t', 'c', 'p', ' ', (char)c, ' ', '1', 0};
		tp_filter *f = tp_filter_compile(x, &e);
		if (f)
			tp_filter_free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_table),
		cmocka_unit_test(test_filter_errors),
		cmocka_unit_test(test_filter_lean),
		cmocka_unit_test(test_filter_hostile),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (sess_on)
		th_sess_free(&sess);
	return rc;
}
