/* test_dhcp.c - BOOTP/DHCP: the header, every decoded option, option
 * overload, option 119's names (loops, forward pointers), tcpdump's
 * text (-v), tshark's Info, the exchange table across flows, and
 * hostile input (every truncation, bumped lengths). */
#include <string.h>

#include "helpers.h"
#include "tapir/output.h"

/* An ACK from 10.0.0.1:67 to 10.0.0.7:68 carrying every option the dissector decodes (tests/unit: made with /tmp craft script, values checked against tshark 4.0 and tcpdump 4.99.3) */
static const char ack_all[] =
	"ff ff ff ff ff ff 02 00 00 00 99 02 08 00 45 00"
	"02 47 00 00 00 00 40 11 64 9f 0a 00 00 01 0a 00"
	"00 07 00 43 00 44 02 33 a9 d7 02 01 06 00 12 34"
	"ab cd 00 00 00 00 00 00 00 00 0a 00 00 07 00 00"
	"00 00 00 00 00 00 02 00 00 00 99 02 00 00 00 00"
	"00 00 00 00 00 00 73 72 76 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 62 6f 6f 74 2e 69 6d 67 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 63 82 53 63 35 01 05 01 04 ff"
	"ff ff 00 03 08 0a 00 00 01 0a 00 00 02 06 04 08"
	"08 08 08 0c 06 6d 79 68 6f 73 74 0f 0b 65 78 61"
	"6d 70 6c 65 2e 63 6f 6d 1c 04 0a 00 00 ff 2a 04"
	"0a 00 00 03 3c 20 50 58 45 43 6c 69 65 6e 74 3a"
	"41 72 63 68 3a 30 30 30 30 30 3a 55 4e 44 49 3a"
	"30 30 32 30 30 31 2b 23 06 01 03 08 07 80 00 01"
	"0a 00 00 01 09 07 80 00 04 6d 65 6e 75 0a 05 05"
	"62 6f 6f 74 47 04 80 00 00 00 ff 33 04 00 00 0e"
	"10 36 04 0a 00 00 01 3a 04 00 00 07 08 3b 04 00"
	"00 0c 4e 42 0c 74 66 74 70 2e 65 78 61 6d 70 6c"
	"65 43 0a 70 78 65 6c 69 6e 75 78 2e 30 52 18 01"
	"06 65 74 68 30 2f 31 02 03 00 11 22 05 04 0a 01"
	"00 00 06 03 73 75 62 5d 02 00 07 5e 03 01 02 01"
	"61 11 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c"
	"0d 0e 0f 74 01 01 77 13 07 65 78 61 6d 70 6c 65"
	"03 63 6f 6d 00 03 73 75 62 c0 00 79 0d 18 0a 01"
	"02 0a 63 00 01 00 0a 63 00 fe f9 0d 18 0a 01 02"
	"0a 63 00 01 00 0a 63 00 fe fc 14 68 74 74 70 3a"
	"2f 2f 77 70 61 64 2f 77 70 61 64 2e 64 61 74 c8"
	"03 01 02 03 ff";

/* A DISCOVER from 0.0.0.0:68 to 255.255.255.255:67 with option 52 = 3: more options in sname and file */
static const char discover_overload[] =
	"ff ff ff ff ff ff 02 00 00 00 99 02 08 00 45 00"
	"01 3c 00 00 00 00 40 11 79 b2 00 00 00 00 ff ff"
	"ff ff 00 44 00 43 01 28 73 b5 01 01 06 00 12 34"
	"ab cd 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 02 00 00 00 99 02 00 00 00 00"
	"00 00 00 00 00 00 0c 09 66 72 6f 6d 73 6e 61 6d"
	"65 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 0f 0c 66 72 6f 6d 66 69 6c 65"
	"2e 63 6f 6d ff 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	"00 00 00 00 00 00 63 82 53 63 35 01 01 3d 09 00"
	"6d 79 63 6c 69 65 6e 74 51 11 04 00 00 04 68 6f"
	"73 74 07 65 78 61 6d 70 6c 65 00 37 05 01 03 06"
	"0f 77 39 02 05 dc 34 01 03 ff";

enum { ETH = 14, UDP = ETH + 20, BOOTP = UDP + 8, OPTS = BOOTP + 240 };

static size_t load(const char *hex, uint8_t *b, size_t cap)
{
	return th_hex(hex, b, cap);
}

/* Dissect a frame of this file (b holds 1024 bytes). */
static tp_pkt *frame_of(const char *hex, uint8_t *b, size_t *n)
{
	*n = load(hex, b, 1024);
	return th_dissect(1, b, *n, *n);
}

/* The value of the nth field `abbrev` as text, as -T fields shows it. */
static const char *text_of(const tp_pkt *p, const char *abbrev, int nth)
{
	static char buf[512];
	int k = 0;
	for (unsigned i = 0; i < p->nfields; i++) {
		const tp_field *f = &p->fields[i];
		if (strcmp(f->def->abbrev, abbrev) || k++ != nth)
			continue;
		tp_sbuf s;
		tp_sb_init(&s, buf, sizeof buf);
		tp_format_field_text(&s, p, f);
		return tp_sb_cstr(&s);
	}
	fail_msg("no field %s #%d", abbrev, nth);
	return "";
}

/* The offset of option `code` (its type byte) in a frame. */
static size_t opt_at(const uint8_t *b, size_t n, unsigned code)
{
	size_t i = OPTS;
	while (i + 1 < n && b[i] != 255) {
		if (b[i] == code)
			return i;
		i += b[i] ? 2u + b[i + 1] : 1u;
	}
	fail_msg("no option %u", code);
	return 0;
}

static void test_header(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n;
	tp_pkt *p = frame_of(ack_all, b, &n);
	assert_true(th_has_layer(p, "dhcp"));
	assert_int_equal(th_uint(p, "dhcp.type"), 2);
	assert_string_equal(text_of(p, "dhcp.hw.type", 0), "0x01");
	assert_int_equal(th_uint(p, "dhcp.hw.len"), 6);
	assert_string_equal(text_of(p, "dhcp.id", 0), "0x1234abcd");
	assert_string_equal(text_of(p, "dhcp.flags", 0), "0x0000");
	assert_int_equal(th_uint(p, "dhcp.flags.bc"), 0);
	assert_string_equal(text_of(p, "dhcp.ip.your", 0), "10.0.0.7");
	assert_string_equal(text_of(p, "dhcp.ip.client", 0), "0.0.0.0");
	assert_string_equal(text_of(p, "dhcp.hw.mac_addr", 0),
			    "02:00:00:00:99:02");
	assert_string_equal(text_of(p, "dhcp.hw.addr_padding", 0),
			    "00000000000000000000");
	assert_string_equal(text_of(p, "dhcp.server", 0), "srv");
	assert_string_equal(text_of(p, "dhcp.file", 0), "boot.img");
	assert_string_equal(text_of(p, "dhcp.cookie", 0), "99.130.83.99");
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
	assert_false(th_has_kind(p, TP_EV_TRUNCATED));
}

static void test_options(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n;
	tp_pkt *p = frame_of(ack_all, b, &n);
	assert_int_equal(th_uint(p, "dhcp.option.dhcp"), 5);
	assert_string_equal(text_of(p, "dhcp.option.subnet_mask", 0),
			    "255.255.255.0");
	assert_int_equal(th_count(p, "dhcp.option.router"), 2);
	assert_string_equal(text_of(p, "dhcp.option.router", 1), "10.0.0.2");
	assert_string_equal(text_of(p, "dhcp.option.domain_name_server", 0),
			    "8.8.8.8");
	assert_string_equal(text_of(p, "dhcp.option.hostname", 0), "myhost");
	assert_string_equal(text_of(p, "dhcp.option.domain_name", 0),
			    "example.com");
	assert_string_equal(text_of(p, "dhcp.option.broadcast_address", 0),
			    "10.0.0.255");
	assert_string_equal(text_of(p, "dhcp.option.ntp_server", 0),
			    "10.0.0.3");
	assert_string_equal(text_of(p, "dhcp.option.vendor_class_id", 0),
			    "PXEClient:Arch:00000:UNDI:002001");
	/* 43 as PXE: option 60 says PXEClient */
	assert_int_equal(th_count(p, "dhcp.option.vendor.pxeclient.suboption"),
			 5);
	assert_string_equal(
		text_of(p, "dhcp.option.vendor.pxeclient.discovery_control", 0),
		"0x03");
	assert_string_equal(
		text_of(p, "dhcp.option.vendor.pxeclient.boot_servers.ip", 0),
		"10.0.0.1");
	assert_string_equal(
		text_of(p, "dhcp.option.vendor.pxeclient.boot_menu.desc", 0),
		"menu");
	assert_string_equal(
		text_of(p, "dhcp.option.vendor.pxeclient.menu_prompt.prompt", 0),
		"boot");
	assert_int_equal(th_uint(p, "dhcp.option.vendor.pxeclient.end"), 255);
	assert_int_equal(th_uint(p, "dhcp.option.ip_address_lease_time"), 3600);
	assert_string_equal(text_of(p, "dhcp.option.dhcp_server_id", 0),
			    "10.0.0.1");
	assert_int_equal(th_uint(p, "dhcp.option.renewal_time_value"), 1800);
	assert_int_equal(th_uint(p, "dhcp.option.rebinding_time_value"), 3150);
	assert_string_equal(text_of(p, "dhcp.option.tftp_server_name", 0),
			    "tftp.example");
	assert_string_equal(text_of(p, "dhcp.option.bootfile_name", 0),
			    "pxelinux.0");
	/* 82: circuit id, remote id, link selection, subscriber id */
	assert_int_equal(
		th_count(p, "dhcp.option.agent_information_option.suboption"),
		4);
	assert_string_equal(
		text_of(p,
			"dhcp.option.agent_information_option.agent_circuit_id",
			0),
		"657468302f31");
	assert_string_equal(
		text_of(p,
			"dhcp.option.agent_information_option.agent_remote_id",
			0),
		"001122");
	assert_string_equal(
		text_of(p,
			"dhcp.option.agent_information_option.link_selection",
			0),
		"10.1.0.0");
	assert_string_equal(
		text_of(p, "dhcp.option.agent_information_option.subscriber_id",
			0),
		"sub");
	assert_int_equal(th_uint(p, "dhcp.option.client_system_architecture"),
			 7);
	assert_int_equal(th_uint(p, "dhcp.client_network_id_major"), 2);
	assert_int_equal(th_uint(p, "dhcp.client_network_id_minor"), 1);
	assert_string_equal(text_of(p, "dhcp.client_id.uuid", 0),
			    "000102030405060708090a0b0c0d0e0f");
	assert_int_equal(th_uint(p, "dhcp.option.dhcp_auto_configuration"), 1);
	/* 119: the second name is "sub" + a pointer back to the first */
	assert_int_equal(
		th_count(p, "dhcp.option.dhcp_dns_domain_search_list_fqdn"), 2);
	assert_string_equal(
		text_of(p, "dhcp.option.dhcp_dns_domain_search_list_fqdn", 0),
		"example.com");
	assert_string_equal(
		text_of(p, "dhcp.option.dhcp_dns_domain_search_list_fqdn", 1),
		"sub.example.com");
	/* 121 and 249: two routes each */
	assert_int_equal(th_count(p, "dhcp.option.classless_static_route"), 4);
	assert_string_equal(text_of(p, "dhcp.option.classless_static_route", 1),
			    "000a6300fe");
	assert_string_equal(
		text_of(p, "dhcp.option.private_proxy_autodiscovery", 0),
		"http://wpad/wpad.dat");
	/* an unknown option: type, length and the raw value */
	size_t at = opt_at(b, n, 200);
	(void)at;
	int k = th_count(p, "dhcp.option.value");
	assert_string_equal(text_of(p, "dhcp.option.value", k - 1), "010203");
	assert_int_equal(th_uint(p, "dhcp.option.end"), 255);
}

static void test_overload_and_client(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n;
	tp_pkt *p = frame_of(discover_overload, b, &n);
	assert_int_equal(th_uint(p, "dhcp.option.dhcp"), 1);
	assert_int_equal(th_uint(p, "dhcp.client_id.type"), 0);
	assert_string_equal(text_of(p, "dhcp.client_id.undef", 0), "myclient");
	/* 81 with E set: the name in DNS wire format */
	assert_int_equal(th_uint(p, "dhcp.fqdn.e"), 1);
	assert_int_equal(th_uint(p, "dhcp.fqdn.s"), 0);
	assert_string_equal(text_of(p, "dhcp.fqdn.name", 0), "host.example");
	assert_int_equal(th_count(p, "dhcp.option.request_list_item"), 5);
	assert_int_equal(th_uint(p, "dhcp.option.dhcp_max_message_size"), 1500);
	assert_int_equal(th_uint(p, "dhcp.option.option_overload"), 3);
	/* sname then file hold options: no strings for them */
	assert_int_equal(th_count(p, "dhcp.server"), 0);
	assert_int_equal(th_count(p, "dhcp.file"), 0);
	assert_string_equal(text_of(p, "dhcp.option.hostname", 0), "fromsname");
	assert_string_equal(text_of(p, "dhcp.option.domain_name", 0),
			    "fromfile.com");
	assert_int_equal(th_count(p, "dhcp.option.end"), 3);
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

/* tcpdump 4.99.3 -nn -v on the same frames, after "a > b: " */
static void test_tcpdump_text(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n;
	tp_pkt *p = frame_of(discover_overload, b, &n);
	assert_string_equal(th_after_addrs(th_summary(p)),
			    "BOOTP/DHCP, Request from 02:00:00:00:99:02, "
			    "length 288");
	assert_string_equal(
		th_after_addrs(th_summary_v(p, 1)),
		"BOOTP/DHCP, Request from 02:00:00:00:99:02, length 288, xid "
		"0x1234abcd, Flags [none]\n"
		"\t  Client-Ethernet-Address 02:00:00:00:99:02\n"
		"\t  sname \"^L^IfromsnameM-^?\"\n"
		"\t  file \"^O^Lfromfile.comM-^?\"\n"
		"\t  Vendor-rfc1048 Extensions\n"
		"\t    Magic Cookie 0x63825363\n"
		"\t    DHCP-Message (53), length 1: Discover\n"
		"\t    Client-ID (61), length 9: \"myclient\"\n"
		"\t    FQDN (81), length 17: [E] \"^Dhost^Gexample^@\"\n"
		"\t    Parameter-Request (55), length 5: \n"
		"\t      Subnet-Mask (1), Default-Gateway (3), "
		"Domain-Name-Server (6), Domain-Name (15)\n"
		"\t      Unknown (119)\n"
		"\t    MSZ (57), length 2: 1500\n"
		"\t    OO (52), length 1: file+sname");
	p = frame_of(ack_all, b, &n);
	const char *v = th_after_addrs(th_summary_v(p, 1));
	assert_non_null(strstr(v, "\n\t    Agent-Information (82), length 24: \n"
				  "\t      Circuit-ID SubOption 1, length 6: "
				  "eth0/1\n"
				  "\t      Remote-ID SubOption 2, length 3: "
				  "^@^Q\"\n"
				  "\t      Unknown SubOption 5, length 4: \n"
				  "\t\t0x0000:  0a01 0000\n"));
	assert_non_null(strstr(v, "\n\t    Classless-Static-Route (121), "
				  "length 13: (10.1.2.0/24:10.99.0.1),"
				  "(default:10.99.0.254)\n"));
	assert_non_null(strstr(v, "\n\t    Unknown (252), length 20: "
				  "1752462448,976170871,1885430831,"
				  "2003853668,778330484\n"));
	/* -vvv shows END */
	v = th_after_addrs(th_summary_v(p, 3));
	assert_non_null(strstr(v, "\n\t    Unknown (200), length 3: 1.2.3\n"
				  "\t    END (255), length 0"));
}

/* Info as tshark's: the type padded to 8, the id without zeros. */
static void info_of(const tp_pkt *p, char *buf, size_t cap)
{
	tp_sbuf s;
	tp_sb_init(&s, buf, cap);
	unsigned li = th_layer(p, "dhcp");
	p->layers[li].d->info(p, li, &s);
	tp_sb_cstr(&s);
}

static void test_info(void **state)
{
	(void)state;
	uint8_t b[1024];
	char info[128];
	size_t n;
	tp_pkt *p = frame_of(ack_all, b, &n);
	info_of(p, info, sizeof info);
	assert_string_equal(info, "DHCP ACK      - Transaction ID 0x1234abcd");
	p = frame_of(discover_overload, b, &n);
	info_of(p, info, sizeof info);
	assert_string_equal(info, "DHCP Discover - Transaction ID 0x1234abcd");
	unsigned li = th_layer(p, "dhcp");
	const tp_dissector *d = p->layers[li].d;
	assert_string_equal(d->colname, "DHCP");
	assert_null(d->colname_of(p, li)); /* DHCP: option 53 is there */
	/* BOOTP: no cookie */
	memset(b + OPTS - 4, 0, 4);
	p = th_dissect(1, b, n, n);
	li = th_layer(p, "dhcp");
	assert_string_equal(d->colname_of(p, li), "BOOTP");
	assert_int_equal(th_count(p, "dhcp.vendor_specific_options"), 1);
	info_of(p, info, sizeof info);
	assert_string_equal(info, "Boot Request from 02:00:00:00:99:02 "
				  "(02:00:00:00:99:02)");
}

/* Option 119 with name `body` (its value) as the only search list. */
static tp_pkt *with_search(uint8_t *b, size_t *n, const uint8_t *body,
			   size_t blen)
{
	*n = load(ack_all, b, 1024);
	size_t at = opt_at(b, *n, 53) + 3; /* replace all after 53 */
	b[at] = 119;
	b[at + 1] = (uint8_t)blen;
	memcpy(b + at + 2, body, blen);
	b[at + 2 + blen] = 255;
	size_t end = at + 3 + blen;
	memset(b + end, 0, *n - end);
	return th_dissect(1, b, *n, *n);
}

static void test_search_hostile(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n;
	/* a pointer to itself */
	static const uint8_t self[] = {0xc0, 0x00};
	tp_pkt *p = with_search(b, &n, self, sizeof self);
	assert_true(th_has_event(p, "dhcp.name.forward_pointer"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	/* a pointer forwards */
	static const uint8_t fwd[] = {0xc0, 0x02, 0x01, 'a', 0x00};
	p = with_search(b, &n, fwd, sizeof fwd);
	assert_true(th_has_event(p, "dhcp.name.forward_pointer"));
	/* a chain of backward pointers longer than the hop cap */
	uint8_t chain[2 + 2 * 100];
	chain[0] = 1;
	chain[1] = 'a';
	for (unsigned i = 0; i < 100; i++) {
		/* each points at the previous pointer (or at "a") */
		unsigned to = i ? 2 + 2 * (i - 1) : 0;
		chain[2 + 2 * i] = (uint8_t)(0xc0 | to >> 8);
		chain[3 + 2 * i] = (uint8_t)to;
	}
	p = with_search(b, &n, chain, sizeof chain);
	assert_true(th_has_event(p, "dhcp.name.loop"));
	assert_true(th_has_kind(p, TP_EV_MALFORMED));
	/* a label running past the option */
	static const uint8_t past[] = {0x09, 'a', 'b'};
	p = with_search(b, &n, past, sizeof past);
	assert_int_equal(
		th_count(p, "dhcp.option.dhcp_dns_domain_search_list_fqdn"), 0);
	assert_true(th_has_event(p, "dhcp.bad_length"));
	/* a good one after all that: pointer to a name earlier */
	static const uint8_t good[] = {1, 'a', 0, 1, 'b', 0xc0, 0};
	p = with_search(b, &n, good, sizeof good);
	assert_string_equal(
		text_of(p, "dhcp.option.dhcp_dns_domain_search_list_fqdn", 1),
		"b.a");
	assert_false(th_has_kind(p, TP_EV_MALFORMED));
}

static void test_truncations(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n = load(ack_all, b, sizeof b);
	th_every_truncation(1, b, n, n);
	n = load(discover_overload, b, sizeof b);
	th_every_truncation(1, b, n, n);
}

/* Every option's length byte bumped: never a crash, and a length past
 * the options is MALFORMED. */
static void test_bumped_lengths(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t n = load(ack_all, b, sizeof b);
	size_t i = OPTS, opts = 0;
	while (i + 1 < n && b[i] != 255) {
		th_kinds k = th_bump(1, b, n, i + 1, 1);
		assert_true(k.malformed >= 1); /* 255 runs past the end */
		assert_int_equal(k.truncated, 0);
		i += 2u + b[i + 1];
		opts++;
	}
	assert_int_equal(opts, 26);
	n = load(discover_overload, b, sizeof b);
	/* the overloaded areas: option lengths inside sname and file */
	th_bump(1, b, n, BOOTP + 44 + 1, 1);
	th_bump(1, b, n, BOOTP + 108 + 1, 1);
	/* the UDP length: a datagram shorter than BOOTP's header */
	th_bump(1, b, n, UDP + 4, 2);
	/* 82's and 43's sub-option lengths */
	n = load(ack_all, b, sizeof b);
	size_t a82 = opt_at(b, n, 82), a43 = opt_at(b, n, 43);
	th_bump(1, b, n, a82 + 3, 1);
	th_bump(1, b, n, a43 + 3, 1);
}

/* The exchange across flows: DISCOVER 0.0.0.0:68 -> broadcast, OFFER
 * 10.0.0.1:67 -> 10.0.0.7:68 (another flow), answered after 4 ms. */
static void test_exchange(void **state)
{
	(void)state;
	th_sess d;
	th_sess_init(&d, false);
	uint8_t b[1024], r[1024];
	size_t n = load(discover_overload, b, sizeof b);
	size_t m = load(ack_all, r, sizeof r);
	r[opt_at(r, m, 53) + 2] = 2; /* an OFFER */
	tp_pkt *p = th_sess_feed(&d, 1, b, n, n);
	assert_int_equal(th_count(p, "dhcp.tapir.request_in"), 0);
	p = th_sess_feed(&d, 2, b, n, n); /* sent again: unanswered */
	assert_int_equal(th_uint(p, "dhcp.tapir.unanswered_in"), 1);
	assert_true(th_has_event(p, "dhcp.tapir.unanswered"));
	p = th_sess_feed(&d, 3, r, m, m);
	assert_int_equal(th_uint(p, "dhcp.tapir.request_in"), 2);
	assert_int_equal(th_uint(p, "dhcp.tapir.request_type"), 1);
	assert_non_null(strstr(th_summary(p), "| answers Discover #2 after "));
	/* a NAK for it */
	r[opt_at(r, m, 53) + 2] = 6;
	p = th_sess_feed(&d, 4, r, m, m);
	assert_true(th_has_event(p, "dhcp.tapir.nak"));
	assert_non_null(strstr(th_summary(p), "| NAK: refuses Discover #2"));
	/* another transaction id: no pairing */
	r[BOOTP + 4] ^= 0xff;
	p = th_sess_feed(&d, 5, r, m, m);
	assert_int_equal(th_count(p, "dhcp.tapir.request_in"), 0);
	th_sess_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_overload_and_client),
		cmocka_unit_test(test_tcpdump_text),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_search_hostile),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_bumped_lengths),
		cmocka_unit_test(test_exchange),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
