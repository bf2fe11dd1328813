/* test_inet.c - RFC 1071 checksum. */
#include "helpers.h"
#include <stdlib.h>
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


/* The sum of the machine's words equals RFC 1071's big-endian one, for
 * every length, alignment and split into chunks (an odd one last). */
static uint16_t ref_cksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n % 2)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void test_inet_cksum_matches_reference(void **state)
{
	(void)state;
	uint8_t buf[300];
	unsigned seed = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + off <= 260; n++) {
			const uint8_t *p = buf + off;
			uint16_t want = ref_cksum(p, n);
			assert_int_equal(tp_cksum_fold(tp_cksum_add(0, p, n)), want);
			size_t cut = n / 3 * 2; /* an even first chunk */
			uint32_t a = tp_cksum_add(0, p, cut);
			assert_int_equal(tp_cksum_fold(tp_cksum_add(a, p + cut,
								    n - cut)),
					 want);
		}
	uint8_t ff[64];
	memset(ff, 0xff, sizeof ff);
	assert_int_equal(tp_cksum_fold(tp_cksum_add(0, ff, sizeof ff)),
			 ref_cksum(ff, sizeof ff));
	uint8_t z[10] = {0};
	assert_int_equal(tp_cksum_fold(tp_cksum_add(0, z, sizeof z)), 0xffff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inet_cksum_matches_reference),
		cmocka_unit_test(test_inet_ipv4_header),
		cmocka_unit_test(test_inet_rfc1071_example),
		cmocka_unit_test(test_inet_pseudo_header),
		cmocka_unit_test(test_inet_offloaded),
	};
	return cmocka_run_group_tests_name("inet", tests, NULL, NULL);
}
