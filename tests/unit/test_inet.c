/* test_inet.c - RFC 1071 checksum. */
#include "helpers.h"
#include "tapir/inet.h"

/* A real IPv4 header (pcaps/icmp-ping.pcap, the first echo request) verifies to 0. */
static void test_inet_ipv4_header(void **state)
{
	(void)state;
	uint8_t h[20];
	th_hex("4500 0054 3dbf 4000 4001 e821 0a63 0001 0a63 0002", h, sizeof h);
	uint16_t stored = (uint16_t)(h[10] << 8 | h[11]);
	assert_int_equal(tp_cksum_fold(tp_cksum_add(0, h, 20)), 0);
	h[10] = h[11] = 0;
	assert_int_equal(tp_cksum_fold(tp_cksum_add(0, h, 20)), stored);
}

/* RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
static void test_inet_rfc1071_example(void **state)
{
	(void)state;
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	assert_int_equal(tp_cksum_fold(tp_cksum_add(0, d, 8)), (uint16_t)~0xddf2);
	/* odd length pads with a zero byte; splitting at an even offset
	 * gives the same sum */
	uint32_t a = tp_cksum_add(0, d, 4);
	assert_int_equal(tp_cksum_fold(tp_cksum_add(a, d + 4, 3)),
			 tp_cksum_fold(tp_cksum_add(0, d, 7)));
}

static void test_inet_pseudo_header(void **state)
{
	(void)state;
	static const uint8_t s4[4] = {10, 0, 0, 1}, d4[4] = {10, 0, 0, 2};
	uint32_t p = tp_cksum_pseudo(4, s4, d4, 17, 12);
	/* 0a00 + 0001 + 0a00 + 0002 + 0011 + 000c = 1420 */
	assert_int_equal(tp_cksum_fold(p), (uint16_t)~0x1420);
	static const uint8_t s6[16] = {0xfd}, d6[16] = {0xfd, [15] = 1};
	p = tp_cksum_pseudo(6, s6, d6, 58, 0x10000);
	/* fd00 + fd00 + 0001 (dst) + 0001 0000 (length) + 003a = 1fa3c,
	 * folded fa3d */
	assert_int_equal(tp_cksum_fold(p), (uint16_t)~0xfa3d);
}

/* A partial checksum is the uncomplemented pseudo-header sum, with the
 * segment length (CHECKSUM_PARTIAL) or without it (TSO). */
static void test_inet_offloaded(void **state)
{
	(void)state;
	static const uint8_t s4[4] = {10, 0, 0, 1}, d4[4] = {10, 0, 0, 2};
	/* 0a00 + 0001 + 0a00 + 0002 + 0006 + 0014 = 141d */
	assert_true(tp_cksum_offloaded(4, s4, d4, 6, 20, 0x141d));
	assert_true(tp_cksum_offloaded(4, s4, d4, 6, 20, 0x1409)); /* no len */
	assert_false(tp_cksum_offloaded(4, s4, d4, 6, 20, 0x141c));
	assert_false(tp_cksum_offloaded(4, s4, d4, 6, 20, (uint16_t)~0x141d));
	assert_false(tp_cksum_offloaded(4, s4, d4, 17, 20, 0x141d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inet_ipv4_header),
		cmocka_unit_test(test_inet_rfc1071_example),
		cmocka_unit_test(test_inet_pseudo_header),
		cmocka_unit_test(test_inet_offloaded),
	};
	return cmocka_run_group_tests_name("inet", tests, NULL, NULL);
}
