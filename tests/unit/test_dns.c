/* test_dns.c - DNS: header, sections, every record type, names and their
 * compression (loops, forward pointers, long chains: MALFORMED, never a
 * hang), tcpdump's text, Info, pairing, and hostile lengths. */
#include <string.h>

#include "helpers.h"
#include "tapir/inet.h"
#include "tapir/output.h"

/* pcaps/dns-types.pcap frame 1: dig's A query for tapir.test with an
 * EDNS cookie; frame 2: dnsmasq's answer 10.99.53.2. */
static const char q_frame[] =
	"66177cf90b30a260a483085208004500004fa09e000040115b370a6335010a633502"
	"ce5f0035003b7f158515012000010000000000010574617069720474657374000001"
	"000100002904d000000000000c000a00080b5a123a952b51df";
static const char r_frame[] =
	"a260a483085266177cf90b300800450000536ea2400040114d2f0a6335020a633501"
	"0035ce5f003f7f1985158580000100010000000105746170697204746573740000010"
	"001c00c000100010000000000040a6335020000291000000000000000";
/* frame 43: the AAAA query over IPv6 with client subnet and cookie */
static const char q6_frame[] =
	"66177cf90b30a260a483085286dd600d27ba004a1140fd0000530000000000000000"
	"00000001fd000053000000000000000000000002c3170035004afb058a6901200001"
	"000000000001057461706972047465737400001c000100002904d000000000001b00"
	"08000b00023800fd000053000000000a0008dfb60d263135eb45";

#define DNS_OFF 42 /* Ethernet + IPv4 + UDP */

static unsigned wrap_port = 53; /* the source port wrap() puts */

/* Wrap a DNS message in Ethernet, IPv4 (checksum right) and UDP (no
 * checksum) from port 53 to 40000. */
static size_t wrap(const uint8_t *msg, size_t n, uint8_t *out)
{
	static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0,
					0, 1, 0x08, 0x00};
	memcpy(out, eth, 14);
	uint8_t *ip = out + 14;
	size_t tot = 20 + 8 + n;
	uint8_t h[20] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 1,
			 0,    0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1};
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	h[10] = (uint8_t)(~s >> 8);
	h[11] = (uint8_t)~s;
	memcpy(ip, h, 20);
	uint8_t *u = ip + 20;
	size_t ul = 8 + n;
	uint8_t uh[8] = {(uint8_t)(wrap_port >> 8), (uint8_t)wrap_port, 0x9c,
			 0x40, (uint8_t)(ul >> 8), (uint8_t)ul, 0, 0};
	memcpy(u, uh, 8);
	memcpy(u + 8, msg, n);
	return DNS_OFF + n;
}

/* A response with one question (tapir.test, type t) and one answer
 * (a pointer to the question's name, type t, TTL 300, the rdata). */
static size_t answer(uint16_t t, const uint8_t *rd, size_t rdlen, uint8_t *out)
{
	uint8_t m[1024];
	static const uint8_t hdr[12] = {0x12, 0x34, 0x85, 0x80, 0, 1, 0, 1,
					0,    0,    0,	  0};
	static const uint8_t name[12] = {5, 't', 'a', 'p', 'i', 'r',
					 4, 't', 'e', 's', 't', 0};
	size_t n = 0;
	memcpy(m, hdr, 12);
	n = 12;
	memcpy(m + n, name, 12);
	n += 12;
	uint8_t qt[4] = {(uint8_t)(t >> 8), (uint8_t)t, 0, 1};
	memcpy(m + n, qt, 4);
	n += 4;
	uint8_t rr[12] = {0xc0, 0x0c, (uint8_t)(t >> 8), (uint8_t)t, 0, 1,
			  0, 0, 1, 0x2c, (uint8_t)(rdlen >> 8), (uint8_t)rdlen};
	memcpy(m + n, rr, 12);
	n += 12;
	memcpy(m + n, rd, rdlen);
	n += rdlen;
	return wrap(m, n, out);
}

static tp_pkt *rr(uint16_t t, const char *hex, uint8_t *buf, size_t *len)
{
	uint8_t rd[512];
	size_t n = th_hex(hex, rd, sizeof rd);
	*len = answer(t, rd, n, buf);
	tp_pkt *p = th_dissect(1, buf, *len, *len);
	if (th_has_kind(p, TP_EV_MALFORMED))
		fail_msg("type %u: %s", t, th_summary(p));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
	assert_int_equal(th_uint(p, "dns.resp.type"), t);
	assert_int_equal(th_uint(p, "dns.resp.ttl"), 300);
	return p;
}

static const char *str(const tp_pkt *p, const char *abbrev, int nth)
{
	static char buf[512];
	int k = 0;
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0 && k++ == nth) {
			size_t n = p->fields[i].vlen;
			if (n >= sizeof buf)
				n = sizeof buf - 1;
			memcpy(buf, p->fields[i].v.p, n);
			buf[n] = 0;
			return buf;
		}
	fail_msg("no field %s #%d", abbrev, nth);
	return "";
}

static uint64_t nth_uint(const tp_pkt *p, const char *abbrev, int nth)
{
	int k = 0;
	for (unsigned i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].def->abbrev, abbrev) == 0 && k++ == nth)
			return p->fields[i].v.u;
	fail_msg("no field %s #%d", abbrev, nth);
	return 0;
}

/* The line holds tcpdump's DNS text (after the transport's own part,
 * such as -v's checksum note). */
#define assert_dns_text(line, want)                                          \
	do {                                                                 \
		const char *l_ = (line);                                     \
		if (!strstr(l_, (want)))                                     \
			fail_msg("\"%s\" does not hold \"%s\"", l_, (want));   \
	} while (0)

/* tshark's Info for the DNS layer. */
static const char *info(const tp_pkt *p)
{
	static char buf[512];
	tp_sbuf sb;
	tp_sb_init(&sb, buf, sizeof buf);
	unsigned li = th_has_layer(p, "dns")	 ? th_layer(p, "dns")
		      : th_has_layer(p, "mdns") ? th_layer(p, "mdns")
						: th_layer(p, "llmnr");
	p->layers[li].d->info(p, li, &sb);
	return tp_sb_cstr(&sb);
}

static void hostile(const uint8_t *b, size_t n)
{
	th_every_truncation(1, b, n, n);
	for (size_t off = DNS_OFF + 4; off < DNS_OFF + 12; off += 2)
		th_bump(1, b, n, off, 2); /* the four counts */
}

static void test_dns_query_response(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = th_hex(q_frame, b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_true(th_has_layer(p, "dns"));
	assert_int_equal(th_uint(p, "dns.id"), 0x8515);
	assert_int_equal(th_uint(p, "dns.flags.response"), 0);
	assert_int_equal(th_uint(p, "dns.flags.recdesired"), 1);
	assert_int_equal(th_uint(p, "dns.flags.authenticated"), 1);
	assert_int_equal(th_count(p, "dns.flags.rcode"), 0); /* a query */
	assert_int_equal(th_uint(p, "dns.count.queries"), 1);
	assert_int_equal(th_uint(p, "dns.count.add_rr"), 1);
	assert_string_equal(str(p, "dns.qry.name", 0), "tapir.test");
	assert_int_equal(th_uint(p, "dns.qry.name.len"), 10);
	assert_int_equal(th_uint(p, "dns.count.labels"), 2);
	assert_int_equal(th_uint(p, "dns.qry.type"), 1);
	assert_int_equal(th_uint(p, "dns.qry.class"), 1);
	assert_string_equal(str(p, "dns.resp.name", 0), "<Root>");
	assert_int_equal(th_uint(p, "dns.rr.udp_payload_size"), 1232);
	assert_int_equal(th_uint(p, "dns.opt.code"), 10);
	assert_int_equal(th_field(p, "dns.opt.cookie.client")->vlen, 8);
	assert_string_equal(info(p), "Standard query 0x8515 A tapir.test OPT");
	assert_dns_text(th_summary(p),
			    "IP 10.99.53.1.52831 > 10.99.53.2.53: 34069+ [1au] "
			    "A? tapir.test. (51)");
	assert_dns_text((th_summary_v(p, 2)),
			    "34069+ [1au] A? tapir.test. ar: . OPT "
			    "UDPsize=1232 [COOKIE 0b5a123a952b51df] (51)");
	hostile(b, n);

	n = th_hex(r_frame, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "dns.flags.response"), 1);
	assert_int_equal(th_uint(p, "dns.flags.authoritative"), 1);
	assert_int_equal(th_uint(p, "dns.flags.rcode"), 0);
	assert_int_equal(th_uint(p, "dns.count.answers"), 1);
	assert_string_equal(str(p, "dns.resp.name", 0), "tapir.test");
	const tp_field *a = th_field(p, "dns.a");
	assert_int_equal(a->vlen, 4);
	assert_memory_equal(a->v.p, "\x0a\x63\x35\x02", 4);
	assert_int_equal(th_uint(p, "dns.resp.ttl"), 0);
	assert_dns_text((th_summary(p)),
			    "34069* 1/0/1 A 10.99.53.2 (55)");
	assert_dns_text((th_summary_v(p, 3)),
			    "34069* q: A? tapir.test. 1/0/1 tapir.test. [0s] A "
			    "10.99.53.2 ar: . OPT UDPsize=4096 (55)");
	hostile(b, n);

	n = th_hex(q6_frame, b, sizeof b);
	p = th_dissect(1, b, n, n);
	assert_int_equal(th_uint(p, "dns.opt.client.family"), 2);
	assert_int_equal(th_uint(p, "dns.opt.client.netmask"), 56);
	assert_int_equal(th_field(p, "dns.opt.client.addr6")->vlen, 16);
	assert_dns_text((th_summary_v(p, 2)),
			    "35433+ [1au] AAAA? tapir.test. ar: . OPT "
			    "UDPsize=1232 [ECS fd00:53::/56/0,COOKIE "
			    "dfb60d263135eb45] (66)");
}

static void test_dns_record_types(void **state)
{
	(void)state;
	uint8_t b[1200];
	size_t n;
	tp_pkt *p = rr(28, "fd000053000000000000000000000002", b, &n);
	assert_int_equal(th_field(p, "dns.aaaa")->vlen, 16);
	hostile(b, n);
	p = rr(5, "c00c", b, &n);
	assert_string_equal(str(p, "dns.cname", 0), "tapir.test");
	assert_dns_text((th_summary(p)),
			    "4660* 1/0/0 CNAME tapir.test. (42)");
	hostile(b, n);
	p = rr(2, "036e7331c00c", b, &n);
	assert_string_equal(str(p, "dns.ns", 0), "ns1.tapir.test");
	p = rr(12, "c00c", b, &n);
	assert_string_equal(str(p, "dns.ptr.domain_name", 0), "tapir.test");
	p = rr(15, "000a046d61696cc00c", b, &n);
	assert_int_equal(th_uint(p, "dns.mx.preference"), 10);
	assert_string_equal(str(p, "dns.mx.mail_exchange", 0),
			    "mail.tapir.test");
	hostile(b, n);
	p = rr(16, "0568656c6c6f0003787878", b, &n);
	assert_int_equal(th_count(p, "dns.txt"), 3);
	assert_string_equal(str(p, "dns.txt", 0), "hello");
	assert_int_equal(nth_uint(p, "dns.txt.length", 1), 0);
	assert_string_equal(str(p, "dns.txt", 2), "xxx");
	assert_dns_text((th_summary(p)),
			    "4660* 1/0/0 TXT \"hello\" \"\" \"xxx\" (51)");
	hostile(b, n);
	p = rr(6,
	       "036e73310574617069720474657374000a686f73746d6173746572c00c"
	       "78c425fd00000e1000000258000151800000012c",
	       b, &n);
	assert_string_equal(str(p, "dns.soa.mname", 0), "ns1.tapir.test");
	assert_string_equal(str(p, "dns.soa.rname", 0),
			    "hostmaster.tapir.test");
	assert_int_equal(th_uint(p, "dns.soa.serial_number"), 2026120701);
	assert_int_equal(th_uint(p, "dns.soa.minimum_ttl"), 300);
	assert_dns_text((th_summary_v(p, 1)),
			    "4660* 1/0/0 tapir.test. SOA ns1.tapir.test. "
			    "hostmaster.tapir.test. 2026120701 3600 600 86400 "
			    "300 (89)");
	hostile(b, n);
	p = rr(33, "000000050050 03776562 057461706972 0474657374 00", b, &n);
	assert_int_equal(th_uint(p, "dns.srv.port"), 80);
	assert_int_equal(th_uint(p, "dns.srv.weight"), 5);
	assert_string_equal(str(p, "dns.srv.target", 0), "web.tapir.test");
	hostile(b, n);
	p = rr(257, "80056973737565636100", b, &n);
	assert_int_equal(th_uint(p, "dns.caa.flags.issuer_critical"), 1);
	assert_string_equal(str(p, "dns.caa.tag", 0), "issue");
	assert_string_equal(str(p, "dns.caa.issue", 0), "ca"); /* the bytes as sent: c a NUL */
	assert_string_equal(str(p, "dns.caa.value", 0), "ca");
	p = rr(35, "0064000a0155074532552b7369700321782100", b, &n);
	assert_int_equal(th_uint(p, "dns.naptr.order"), 100);
	assert_string_equal(str(p, "dns.naptr.service", 0), "E2U+sip");
	assert_string_equal(str(p, "dns.naptr.regex", 0), "!x!");
	assert_string_equal(str(p, "dns.naptr.replacement", 0), "<Root>");
	hostile(b, n);
	p = rr(13, "05494e54454c054c494e5558", b, &n);
	assert_string_equal(str(p, "dns.hinfo.cpu", 0), "INTEL");
	assert_string_equal(str(p, "dns.hinfo.os", 0), "LINUX");
	p = rr(43, "30390d02000102030405060708090a0b0c0d0e0f", b, &n);
	assert_int_equal(th_uint(p, "dns.ds.key_id"), 12345);
	assert_int_equal(th_uint(p, "dns.ds.algorithm"), 13);
	assert_int_equal(th_field(p, "dns.ds.digest")->vlen, 16);
	p = rr(48, "0101030d40414243", b, &n);
	assert_int_equal(th_uint(p, "dns.dnskey.flags.zone_key"), 1);
	assert_int_equal(th_uint(p, "dns.dnskey.flags.secure_entry_point"), 1);
	assert_int_equal(th_uint(p, "dns.dnskey.protocol"), 3);
	/* RFC 4034 appendix B over 01 01 03 0d 40 41 42 43 */
	assert_int_equal(th_uint(p, "dns.dnskey.key_id"),
			 (0x0101 + 0x030d + 0x4041 + 0x4243) & 0xffff);
	hostile(b, n);
	p = rr(46,
	       "00010d0200000e106b36ec806b0e0e003039057461706972047465737400"
	       "80818283",
	       b, &n);
	assert_int_equal(th_uint(p, "dns.rrsig.type_covered"), 1);
	assert_int_equal(th_uint(p, "dns.rrsig.original_ttl"), 3600);
	assert_int_equal(th_field(p, "dns.rrsig.signature_expiration")->v.i,
			 1798761600ll * 1000000000ll);
	assert_int_equal(th_uint(p, "dns.rrsig.key_tag"), 12345);
	assert_string_equal(str(p, "dns.rrsig.signers_name", 0), "tapir.test");
	hostile(b, n);
	p = rr(47, "03777777 c00c 0006620180080003", b, &n);
	assert_string_equal(str(p, "dns.nsec.next_domain_name", 0),
			    "www.tapir.test");
	/* the record's type, then its bit map's as tshark (one level
	 * down): A NS SOA MX TXT AAAA RRSIG NSEC */
	assert_int_equal(th_count(p, "dns.resp.type"), 9);
	assert_int_equal(nth_uint(p, "dns.resp.type", 6), 28);
	assert_string_equal(info(p), "Standard query response 0x1234 NSEC "
				     "tapir.test NSEC www.tapir.test");
	hostile(b, n);
	p = rr(50, "0101000a04aabbccdd0401020304 0006400080080002", b, &n);
	assert_int_equal(th_uint(p, "dns.nsec3.flags.opt_out"), 1);
	assert_int_equal(th_uint(p, "dns.nsec3.iterations"), 10);
	assert_int_equal(th_uint(p, "dns.nsec3.salt_length"), 4);
	assert_int_equal(th_uint(p, "dns.nsec3.hash_length"), 4);
	assert_int_equal(th_count(p, "dns.resp.type"), 5);
	hostile(b, n);
	p = rr(65,
	       "000100000100060268320268330003000201bb000400040a633502000600"
	       "10fd000053000000000000000000000002",
	       b, &n);
	assert_int_equal(th_uint(p, "dns.svcb.svcpriority"), 1);
	assert_string_equal(str(p, "dns.svcb.targetname", 0), "<Root>");
	assert_int_equal(th_count(p, "dns.svcb.svcparam"), 4);
	assert_string_equal(str(p, "dns.svcb.svcparam.alpn", 1), "h3");
	assert_int_equal(th_uint(p, "dns.svcb.svcparam.port"), 443);
	assert_int_equal(th_field(p, "dns.svcb.svcparam.ipv6hint.ip")->vlen,
			 16);
	hostile(b, n);
	p = rr(64, "0001037376630000000002000100010003026832", b, &n);
	assert_int_equal(th_uint(p, "dns.svcb.svcparam.mandatory.key"), 1);
	p = rr(44, "0101f90fd39646968ea815cccbc8df17d93a6a4475ab", b, &n);
	assert_int_equal(th_uint(p, "dns.sshfp.algorithm"), 1);
	assert_int_equal(th_field(p, "dns.sshfp.fingerprint")->vlen, 20);
	hostile(b, n);
	p = rr(99, "0102030405", b, &n);
	assert_int_equal(th_field(p, "dns.data")->vlen, 5);
	assert_dns_text((th_summary(p)),
			    "4660* 1/0/0 SPF (45)");
}

static uint8_t msgbuf[600];

static tp_pkt *message(const char *hex, uint8_t *b, size_t *n)
{
	size_t m = th_hex(hex, msgbuf, sizeof msgbuf);
	*n = wrap(msgbuf, m, b);
	return th_dissect(1, b, *n, *n);
}

/* Pointer loops and forward pointers: MALFORMED at once; the printer
 * says tcpdump's <BAD PTR>; nothing hangs. */
static void test_dns_bad_pointers(void **state)
{
	(void)state;
	uint8_t b[700];
	size_t n;
	/* the question's name is a pointer to itself */
	tp_pkt *p = message("1234 0100 0001 0000 0000 0000 c00c 0001 0001", b,
			    &n);
	assert_true(th_has_event(p, "dns.name.bad_pointer"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	assert_dns_text((th_summary(p)),
			    "4660+ A? <BAD PTR> [|domain]");
	/* a forward pointer */
	p = message("1234 0100 0001 0000 0000 0000 c00e 0001 0001 0161 00", b,
		    &n);
	assert_true(th_has_event(p, "dns.name.bad_pointer"));
	/* two pointers at each other, via a label */
	p = message("1234 8180 0001 0001 0000 0000 0161 c014 0001 0001"
		    "c00c 0001 0001 00000000 0004 01020304",
		    b, &n);
	assert_true(th_has_event(p, "dns.name.bad_pointer"));
	/* reserved label types */
	p = message("1234 0100 0001 0000 0000 0000 4161 0001 0001", b, &n);
	assert_true(th_has_event(p, "dns.name.bad_label"));
	p = message("1234 0100 0001 0000 0000 0000 8161 0001 0001", b, &n);
	assert_true(th_has_event(p, "dns.name.bad_label"));
	assert_dns_text((th_summary(p)),
			    "4660+ [|domain]");
}

/* A long backward chain: every pointer to the one just before it. */
static void test_dns_deep_chain(void **state)
{
	(void)state;
	uint8_t m[600], b[700];
	static const uint8_t hdr[12] = {0x12, 0x34, 0x01, 0x00, 0, 91, 0, 0,
					0,    0,    0,	  0};
	memcpy(m, hdr, 12);
	size_t n = 12;
	m[n++] = 1;
	m[n++] = 'a';
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 1;
	size_t prev = 12;
	for (int i = 0; i < 90 && n + 6 < sizeof m; i++) {
		size_t here = n;
		m[n++] = (uint8_t)(0xc0 | prev >> 8);
		m[n++] = (uint8_t)prev;
		m[n++] = 0;
		m[n++] = 1;
		m[n++] = 0;
		m[n++] = 1;
		prev = here;
	}
	size_t len = wrap(m, n, b);
	tp_pkt *p = th_dissect(1, b, len, len);
	/* the first 64 questions resolve, then the hop cap */
	assert_true(th_has_event(p, "dns.name.bad_pointer"));
	assert_int_equal(th_count(p, "dns.qry.type"), 65);
	th_every_truncation(1, b, len, DNS_OFF + 19 + 6 * 64);
}

static void test_dns_header_only_and_short(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n;
	tp_pkt *p = message("1234 8183 0000 0000 0000 0000", b, &n);
	assert_int_equal(th_uint(p, "dns.flags.rcode"), 3);
	assert_dns_text((th_summary(p)),
			    "4660 NXDomain [0q] 0/0/0 (12)");
	p = message("1234 8183 00", b, &n);
	assert_true(th_has_event(p, "dns.short"));
	assert_dns_text((th_summary(p)),
			    "domain [length 5 < 12] (invalid)");
	/* counts past the message */
	p = message("1234 8180 0001 ffff 0000 0000 0161 00 0001 0001", b, &n);
	assert_true(th_has_event(p, "dns.count.bad"));
	/* an A record of 3 bytes */
	p = message("1234 8180 0000 0001 0000 0000 00 0001 0001 00000000 0003"
		    "010203",
		    b, &n);
	assert_true(th_has_event(p, "dns.rr.bad_length"));
	/* an extended rcode through EDNS: BADVERS (16) */
	p = message("1234 8180 0000 0000 0000 0001 00 0029 1000 01000000 0000",
		    b, &n);
	assert_int_equal(th_uint(p, "dns.resp.ext_rcode"), 1);
	assert_dns_text((th_summary(p)),
			    "4660 BadVers [0q] 0/0/1 (23)");
	/* unprintable bytes in a name: tcpdump's M- and ^ escapes */
	p = message("1234 0100 0001 0000 0000 0000 03 61 0a ff 00 0001 0001",
		    b, &n);
	assert_dns_text((th_summary(p)),
			    "4660+ A? a^JM-^?. (21)");
	/* the field as tshark keeps it: 0xff is not UTF-8, so U+FFFD */
	const tp_field *f = th_field(p, "dns.qry.name");
	assert_int_equal(f->vlen, 5);
	assert_memory_equal(f->v.p, "a\n\xef\xbf\xbd", 5);
	assert_int_equal(th_uint(p, "dns.qry.name.len"), 3);
}

/* mDNS: the QU bit and cache flush, tcpdump's (QU)/(Cache flush) and
 * tshark's Info for them, the MDNS layer. */
static void test_dns_mdns(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n;
	wrap_port = 5353;
	tp_pkt *p = message("0000 0000 0001 0000 0000 0000 0161 056c6f63616c 00"
			    "00ff 8001",
			    b, &n);
	assert_true(th_has_layer(p, "mdns"));
	assert_int_equal(th_uint(p, "dns.qry.qu"), 1);
	assert_int_equal(th_uint(p, "dns.qry.class"), 1);
	assert_dns_text(th_summary(p), ": 0 ANY (QU)? a.local. (25)");
	assert_string_equal(info(p),
			    "Standard query 0x0000 ANY a.local, \"QU\" question");
	p = message("0000 8400 0000 0001 0000 0000 0161 056c6f63616c 00"
		    "0001 8001 00000078 0004 0a000001",
		    b, &n);
	assert_int_equal(th_uint(p, "dns.resp.cache_flush"), 1);
	assert_dns_text(th_summary_v(p, 1),
			": 0*- [0q] 1/0/0 a.local. (Cache flush) A 10.0.0.1 (35)");
	assert_string_equal(info(p), "Standard query response 0x0000 A, cache "
				     "flush 10.0.0.1");
	wrap_port = 5355; /* LLMNR: tcpdump has no printer */
	p = message("0000 0000 0001 0000 0000 0000 0161 00 0001 0001", b, &n);
	assert_true(th_has_layer(p, "llmnr"));
	assert_dns_text(th_summary(p), ": UDP, length 19");
	wrap_port = 53;
}

/* Pairing through a session: response_to and time, a retransmitted
 * query, a duplicate response, an unsolicited one. */
static void test_dns_pairing(void **state)
{
	(void)state;
	th_sess s;
	th_sess_init(&s, false);
	uint8_t q[256], r[256];
	size_t qn = th_hex(q_frame, q, sizeof q);
	size_t rn = th_hex(r_frame, r, sizeof r);
	tp_pkt *p = th_sess_feed(&s, 1, q, qn, qn);
	assert_int_equal(th_count(p, "dns.retransmission"), 0);
	p = th_sess_feed(&s, 2, q, qn, qn);
	assert_int_equal(th_uint(p, "dns.retransmission"), 1);
	assert_dns_text(th_summary(p), "(51) | retransmission of #1");
	assert_int_equal(th_uint(p, "dns.retransmit_request_in"), 1);
	p = th_sess_feed(&s, 3, r, rn, rn);
	assert_int_equal(th_uint(p, "dns.response_to"), 1);
	assert_non_null(th_field(p, "dns.time"));
	/* tapir's note after tcpdump's text */
	assert_dns_text(th_summary(p), "(55) | reply to #1 in ");
	p = th_sess_feed(&s, 4, r, rn, rn);
	assert_int_equal(th_uint(p, "dns.retransmit_response_in"), 3);
	assert_dns_text(th_summary(p), "(55) | duplicate reply, first #3");
	/* another id: nobody asked */
	r[DNS_OFF] ^= 0xff;
	p = th_sess_feed(&s, 5, r, rn, rn);
	assert_int_equal(th_uint(p, "dns.unsolicited"), 1);
	assert_dns_text(th_summary(p), "(55) | no query seen");
	assert_int_equal(th_count(p, "dns.response_to"), 0);
	th_sess_free(&s);
}

/* An Ethernet/IPv4/TCP frame between 10.0.0.1:40001 (dir 0) and
 * 10.0.0.2:53, checksums right. */
static size_t tcpf(uint8_t *out, int dir, uint32_t seq, uint32_t ack,
		   uint8_t flags, const uint8_t *pl, size_t n)
{
	return th_tcp_frame(out, dir, 40001, 53, seq, ack, flags, pl, n);
}

static unsigned count_layers(const tp_pkt *p, const char *name)
{
	unsigned k = 0;
	for (unsigned i = 0; i < p->nlayers; i++)
		k += strcmp(p->layers[i].d->name, name) == 0;
	return k;
}

/* TCP: a query across two segments, two answers in one segment, paired
 * through the session. */
static void test_dns_tcp(void **state)
{
	(void)state;
	th_sess s;
	th_sess_init(&s, false);
	uint8_t q[256], r[256], b[600], msg[300];
	size_t qn = th_hex(q_frame, q, sizeof q) - DNS_OFF;
	size_t rn = th_hex(r_frame, r, sizeof r) - DNS_OFF;
	size_t n = tcpf(b, 0, 100, 0, 0x02, NULL, 0);
	th_sess_feed(&s, 1, b, n, n);
	n = tcpf(b, 1, 500, 101, 0x12, NULL, 0);
	th_sess_feed(&s, 2, b, n, n);
	n = tcpf(b, 0, 101, 501, 0x10, NULL, 0);
	th_sess_feed(&s, 3, b, n, n);
	/* the query, 2 + 51 bytes, in 10 + 43 */
	msg[0] = 0, msg[1] = (uint8_t)qn;
	memcpy(msg + 2, q + DNS_OFF, qn);
	n = tcpf(b, 0, 101, 501, 0x18, msg, 10);
	tp_pkt *p = th_sess_feed(&s, 4, b, n, n);
	assert_int_equal(count_layers(p, "dns"), 0);
	n = tcpf(b, 0, 111, 501, 0x18, msg + 10, qn + 2 - 10);
	p = th_sess_feed(&s, 5, b, n, n);
	assert_int_equal(count_layers(p, "dns"), 1);
	assert_int_equal(th_uint(p, "dns.length"), qn);
	assert_int_equal(th_uint(p, "dns.id"), 0x8515);
	assert_int_not_equal(th_field(p, "dns.id")->src, 0); /* reassembled */
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	/* two answers in one segment */
	size_t m = 0;
	for (int k = 0; k < 2; k++) {
		msg[m] = 0, msg[m + 1] = (uint8_t)rn;
		memcpy(msg + m + 2, r + DNS_OFF, rn);
		m += 2 + rn;
	}
	n = tcpf(b, 1, 501, 101 + qn + 2, 0x18, msg, m);
	p = th_sess_feed(&s, 6, b, n, n);
	assert_int_equal(count_layers(p, "dns"), 2);
	assert_int_equal(th_count(p, "dns.response_to"), 1); /* as tshark */
	assert_int_equal(th_uint(p, "dns.response_to"), 5);
	assert_int_equal(th_uint(p, "dns.retransmit_response_in"), 6);
	/* the line: tcpdump reads the segment (prefix 55 != 112 - 2) */
	assert_dns_text(th_summary(p),
			"length 114 [prefix length(55) != length(112)] (invalid)");
	th_sess_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_query_response),
		cmocka_unit_test(test_dns_record_types),
		cmocka_unit_test(test_dns_bad_pointers),
		cmocka_unit_test(test_dns_deep_chain),
		cmocka_unit_test(test_dns_header_only_and_short),
		cmocka_unit_test(test_dns_mdns),
		cmocka_unit_test(test_dns_pairing),
		cmocka_unit_test(test_dns_tcp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
