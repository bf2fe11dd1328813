/* test_cursor.c - the bounds-checked reader at every boundary. */
#include <string.h>

#include "helpers.h"

static const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05,
				0x06, 0x07, 0x08, 0x09, 0x0a};

static void test_cursor_reads_big_and_little_endian(void **state)
{
	(void)state;
	uint8_t *g = th_guarded(bytes, sizeof bytes);
	tp_cursor c = tp_cursor_make(g, sizeof bytes, sizeof bytes);
	assert_int_equal(tp_u8(&c), 0x01);
	assert_int_equal(tp_be16(&c), 0x0203);
	assert_int_equal(tp_be24(&c), 0x040506);
	assert_int_equal(tp_le32(&c), 0x0a090807);
	assert_true(tp_ok(&c));
	assert_int_equal(tp_avail(&c), 0);
	c = tp_cursor_make(g, sizeof bytes, sizeof bytes);
	assert_int_equal(tp_be64(&c), 0x0102030405060708ull);
	assert_int_equal(tp_le16(&c), 0x0a09);
	c = tp_cursor_make(g, sizeof bytes, sizeof bytes);
	assert_int_equal(tp_be32(&c), 0x01020304u);
	assert_int_equal(tp_le64(&c), 0); /* only 6 left: fails */
	assert_int_equal(c.status, TP_MALFORMED);
	th_guarded_free(g, sizeof bytes);
}

/* Every read width at every start offset of a guarded buffer: reads
 * inside succeed, reads across the end fail without touching it. */
static void test_cursor_every_boundary(void **state)
{
	(void)state;
	for (size_t n = 0; n <= sizeof bytes; n++) {
		uint8_t *g = th_guarded(bytes, n);
		for (size_t start = 0; start <= n; start++) {
			for (unsigned w = 1; w <= 8; w++) {
				tp_cursor c = tp_cursor_make(g, n, n);
				c.off = start;
				uint64_t v = 0;
				switch (w) {
				case 1: v = tp_u8(&c); break;
				case 2: v = tp_be16(&c); break;
				case 3: v = tp_be24(&c); break;
				case 4: v = tp_be32(&c); break;
				case 5: v = tp_bytes(&c, 5) != NULL; break;
				case 6: v = tp_skip(&c, 6); break;
				case 7: v = tp_le16(&c) + tp_le32(&c) + tp_u8(&c); break;
				default: v = tp_be64(&c); break;
				}
				if (start + w <= n) {
					assert_true(tp_ok(&c));
					assert_int_equal(c.off, start + w);
				} else {
					assert_int_equal(c.status, TP_MALFORMED);
					assert_true(c.off <= n);
					if (w <= 4 || w == 8)
						assert_true(v == 0 || w == 7);
				}
			}
		}
		th_guarded_free(g, n);
	}
}

static void test_cursor_truncated_vs_malformed(void **state)
{
	(void)state;
	/* 4 bytes captured of 10 on the wire */
	tp_cursor c = tp_cursor_make(bytes, 4, 10);
	assert_int_equal(tp_be32(&c), 0x01020304u);
	assert_int_equal(tp_u8(&c), 0);
	assert_int_equal(c.status, TP_TRUNCATED); /* the capture was short */
	c = tp_cursor_make(bytes, 4, 10);
	assert_false(tp_skip(&c, 11));
	assert_int_equal(c.status, TP_MALFORMED); /* past the frame itself */
	/* caplen > len is treated as len = caplen */
	c = tp_cursor_make(bytes, 10, 4);
	assert_int_equal(c.rep_end, 10);
}

static void test_cursor_status_is_sticky(void **state)
{
	(void)state;
	tp_cursor c = tp_cursor_make(bytes, 2, 2);
	assert_int_equal(tp_be24(&c), 0);
	assert_int_equal(c.status, TP_MALFORMED);
	/* later reads that would fit still fail and do not move */
	assert_int_equal(tp_u8(&c), 0);
	assert_int_equal(c.off, 0);
	assert_null(tp_bytes(&c, 1));
	assert_int_equal(tp_peek(&c, 0), -1);
	/* the first failure wins */
	tp_fail(&c, TP_TRUNCATED);
	assert_int_equal(c.status, TP_MALFORMED);
}

static void test_cursor_sub_clamps_to_length(void **state)
{
	(void)state;
	tp_cursor c = tp_cursor_make(bytes, 8, 10);
	tp_u8(&c);
	tp_cursor s = tp_sub(&c, 5); /* bytes 1..5 */
	assert_true(tp_ok(&c));
	assert_int_equal(c.off, 6);
	assert_int_equal(tp_avail(&s), 5);
	assert_int_equal(tp_be32(&s), 0x02030405u);
	assert_int_equal(tp_be16(&s), 0); /* past the sub-cursor */
	assert_int_equal(s.status, TP_MALFORMED);
	assert_true(tp_ok(&c)); /* the parent is not affected */

	/* a sub-cursor reaching past the captured end: truncated inside */
	c = tp_cursor_make(bytes, 8, 10);
	c.off = 6;
	s = tp_sub(&c, 4);
	assert_int_equal(tp_avail(&s), 2);
	assert_int_equal(tp_reported(&s), 4);
	tp_be32(&s);
	assert_int_equal(s.status, TP_TRUNCATED);

	/* a length field claiming more than is reported: parent MALFORMED,
	 * child clamped to what is there */
	c = tp_cursor_make(bytes, 10, 10);
	c.off = 8;
	s = tp_sub(&c, 200);
	assert_int_equal(c.status, TP_MALFORMED);
	assert_int_equal(tp_reported(&s), 2);
	assert_true(tp_ok(&s));
	/* a sub of a failed cursor is empty */
	tp_cursor e = tp_sub(&c, 1);
	assert_int_equal(tp_reported(&e), 0);
}

static void test_cursor_clamp_and_rest(void **state)
{
	(void)state;
	tp_cursor c = tp_cursor_make(bytes, 10, 10);
	c.off = 2;
	assert_true(tp_clamp(&c, 3));
	assert_int_equal(tp_avail(&c), 3);
	assert_false(tp_clamp(&c, 4)); /* cannot widen */
	assert_true(tp_ok(&c));        /* and that is not a read failure */
	assert_int_equal(tp_avail(&c), 3);
	tp_cursor r = tp_rest(&c);
	assert_int_equal(tp_avail(&r), 3);
	assert_int_equal(tp_avail(&c), 0);
	assert_true(tp_has(&r, 3));
	assert_false(tp_has(&r, 4));
	assert_true(tp_ok(&r)); /* tp_has never sets the status */
	assert_int_equal(tp_peek(&r, 2), 0x05);
	assert_int_equal(tp_peek(&r, 3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_reads_big_and_little_endian),
		cmocka_unit_test(test_cursor_every_boundary),
		cmocka_unit_test(test_cursor_truncated_vs_malformed),
		cmocka_unit_test(test_cursor_status_is_sticky),
		cmocka_unit_test(test_cursor_sub_clamps_to_length),
		cmocka_unit_test(test_cursor_clamp_and_rest),
	};
	return cmocka_run_group_tests_name("cursor", tests, NULL, NULL);
}
