/* test_record.c - the per-packet record: appends, caps, arena, lookups. */
#include <string.h>

#include "helpers.h"
#include "tapir/layerfields.h"
#include "tapir/limits.h"

static const tp_field_def f_a = {"t.a", "A", TP_FT_UINT8, TP_BASE_DEC, NULL, 0};
static const tp_field_def f_b = {"t.b", "B", TP_FT_BYTES, TP_BASE_NONE, NULL, 0};
static const tp_event_def ev = {"t.ev", TP_EV_MALFORMED, "test event"};

static const tp_dissector d_t = {.name = "t", .longname = "Test"};

static tp_pkt *begin(void)
{
	static tp_pkt *p;
	if (!p)
		p = tp_pkt_new();
	tp_pkt_reset(p);
	p->layers[0] = (tp_layer){.d = &d_t};
	p->nlayers = 1;
	p->level = 0;
	tp_meta_sync(p);
	return p;
}

static void test_record_get_adds_only_on_success(void **state)
{
	(void)state;
	tp_pkt *p = begin();
	static const uint8_t b[] = {7, 8, 9};
	tp_cursor c = tp_cursor_make(b, 2, 3);
	assert_int_equal(tp_get_u8(p, &c, &f_a), 7);
	assert_int_equal(p->nfields, 1);
	assert_int_equal(p->fields[0].off, 0);
	assert_int_equal(p->fields[0].len, 1);
	assert_null(tp_get_bytes(p, &c, &f_b, 2)); /* only 1 captured */
	assert_int_equal(p->nfields, 1);
	assert_int_equal(c.status, TP_TRUNCATED);
	assert_int_equal(tp_get_be16(p, &c, &f_a), 0);
	assert_int_equal(p->nfields, 1);
	assert_int_equal(p->layers[0].nfields, 1);
}

static void test_record_nesting_levels(void **state)
{
	(void)state;
	tp_pkt *p = begin();
	tp_add_uint(p, &f_a, 0, 1, 1);
	tp_push(p);
	tp_add_uint(p, &f_a, 0, 1, 2);
	tp_pop(p);
	tp_pop(p); /* never below 0 */
	tp_add_uint(p, &f_a, 0, 1, 3);
	assert_int_equal(p->fields[0].level, 0);
	assert_int_equal(p->fields[1].level, 1);
	assert_int_equal(p->fields[2].level, 0);
}

/* tp_add_bits: one field per definition, 1 where the value has a bit of
 * its mask, at the current level; at the cap as many as fit, said once. */
static void test_record_add_bits(void **state)
{
	(void)state;
	static const tp_field_def bits[3] = {
		{"t.b.hi", "Hi", TP_FT_BOOLEAN, 8, NULL, 0x80},
		{"t.b.mid", "Mid", TP_FT_BOOLEAN, 8, NULL, 0x18},
		{"t.b.lo", "Lo", TP_FT_BOOLEAN, 8, NULL, 0x01},
	};
	tp_pkt *p = begin();
	tp_add_uint(p, &f_a, 4, 1, 0x91);
	tp_push(p);
	tp_add_bits(p, bits, 3, 4, 1, 0x91);
	tp_pop(p);
	assert_int_equal(p->nfields, 4);
	assert_int_equal(p->layers[0].nfields, 4);
	const uint64_t want[3] = {1, 1, 1};
	for (unsigned i = 0; i < 3; i++) {
		assert_ptr_equal(p->fields[1 + i].def, &bits[i]);
		assert_int_equal(p->fields[1 + i].v.u, want[i]);
		assert_int_equal(p->fields[1 + i].level, 1);
		assert_int_equal(p->fields[1 + i].off, 4);
		assert_int_equal(p->fields[1 + i].len, 1);
	}
	tp_add_bits(p, bits, 3, 5, 1, 0x08);
	assert_int_equal(p->fields[4].v.u, 0);
	assert_int_equal(p->fields[5].v.u, 1);
	assert_int_equal(p->fields[6].v.u, 0);
	assert_int_equal(p->fields[5].level, 0);
	/* two slots left: two fields, then the record is full */
	p = begin();
	for (unsigned i = 0; i < TP_MAX_FIELDS - 2; i++)
		tp_add_uint(p, &f_a, 0, 1, i);
	tp_add_bits(p, bits, 3, 0, 1, 0xff);
	assert_int_equal(p->nfields, TP_MAX_FIELDS);
	assert_ptr_equal(p->fields[TP_MAX_FIELDS - 1].def, &bits[1]);
	assert_int_equal(p->nevents, 1);
	assert_ptr_equal(p->events[0].def, &tp_ev_record_full);
}

/* A packet's time in nanoseconds wraps on a hostile file's seconds
 * (no overflow: UBSan runs this too) and is exact on real ones. */
static void test_record_time_ns(void **state)
{
	(void)state;
	tp_pkt *p = begin();
	p->ts_sec = 1700000000;
	p->ts_nsec = 123456789;
	assert_int_equal(tp_pkt_time_ns(p), 1700000000123456789ll);
	p->ts_sec = INT64_MAX;
	p->ts_nsec = 999999999;
	int64_t a = tp_pkt_time_ns(p);
	p->ts_sec = INT64_MIN;
	int64_t b = tp_pkt_time_ns(p);
	assert_int_equal((uint64_t)a - (uint64_t)b,
			 (uint64_t)INT64_MAX * 1000000000u -
				 (uint64_t)INT64_MIN * 1000000000u);
}

static void test_record_caps_never_grow(void **state)
{
	(void)state;
	tp_pkt *p = begin();
	for (unsigned i = 0; i < TP_MAX_FIELDS + 100; i++)
		tp_add_uint(p, &f_a, 0, 1, i);
	assert_int_equal(p->nfields, TP_MAX_FIELDS);
	for (unsigned i = 0; i < TP_MAX_EVENTS + 10; i++)
		tp_add_event(p, &ev, 0);
	assert_true(p->nevents <= TP_MAX_EVENTS);
	/* the "record full" event is there exactly once */
	int full = 0;
	for (unsigned i = 0; i < p->nevents; i++)
		full += p->events[i].def == &tp_ev_record_full;
	assert_int_equal(full, 1);
	/* arena: bounded, aligned, NULL when full */
	uint8_t *a = tp_arena_alloc(p, 10);
	uint8_t *b = tp_arena_alloc(p, 10);
	assert_non_null(a);
	assert_int_equal(b - a, 16);
	assert_null(tp_arena_alloc(p, TP_ARENA_SIZE));
	/* reset empties everything */
	tp_pkt_reset(p);
	assert_int_equal(p->nfields, 0);
	assert_int_equal(p->nevents, 0);
	assert_non_null(tp_arena_alloc(p, TP_ARENA_SIZE));
}

/* Data sources: the frame is src 0; added ones are found by their bytes,
 * copies live in the record; at the caps an event, never a silent cut. */
static void test_record_sources(void **state)
{
	(void)state;
	tp_pkt *p = begin();
	static const uint8_t frame[64] = {1, 2, 3};
	p->data = frame;
	p->caplen = sizeof frame;
	size_t n;
	assert_ptr_equal(tp_src_bytes(p, 0, &n), frame);
	assert_int_equal(n, sizeof frame);
	assert_null(tp_src_bytes(p, 1, &n));
	assert_int_equal(tp_src_find(p, frame + 10, 54), 0);
	assert_int_equal(tp_src_find(p, frame + 10, 55), -1);
	uint8_t other[8] = {9, 9};
	int i = tp_src_copy(p, "Copy", TP_SRC_PDU, other, sizeof other);
	assert_int_equal(i, 1);
	const uint8_t *c = tp_src_bytes(p, 1, &n);
	assert_int_equal(n, 8);
	assert_ptr_not_equal(c, other);
	assert_memory_equal(c, other, 8);
	assert_int_equal(tp_src_find(p, c + 2, 6), 1);
	/* a field added while a source is current counts in it */
	p->src_cur = 1;
	tp_meta_sync(p);
	tp_field *f = tp_add_bytes(p, &f_b, 2, 6, c + 2, 6);
	assert_int_equal(f->src, 1);
	p->src_cur = 0;
	tp_meta_sync(p);
	/* the table's cap */
	while (p->nsrc < TP_MAX_SOURCES)
		assert_true(tp_src_add(p, "x", TP_SRC_PDU, other, 1) > 0);
	assert_false(p->full);
	assert_int_equal(tp_src_add(p, "x", TP_SRC_PDU, other, 1), -1);
	assert_true(p->full);
	assert_true(th_has_event(p, "_ws.record_full.sources"));
	/* the store's cap */
	p = begin();
	static uint8_t big[TP_SRC_STORE / 2 + 1];
	assert_true(tp_src_copy(p, "a", TP_SRC_PDU, big, sizeof big) > 0);
	assert_int_equal(tp_src_copy(p, "b", TP_SRC_PDU, big, sizeof big), -1);
	assert_true(th_has_event(p, "_ws.record_full"));
	/* tp_pkt_reset forgets them */
	tp_pkt_reset(p);
	assert_int_equal(p->nsrc, 1);
	assert_int_equal(p->store_used, 0);
}

/* A value longer than 64 KiB keeps its length (32 bits). */
static void test_record_long_values(void **state)
{
	(void)state;
	tp_pkt *p = begin();
	static uint8_t big[200000];
	tp_field *f = tp_add_bytes(p, &f_b, 0, sizeof big, big, sizeof big);
	assert_int_equal(f->vlen, sizeof big);
	assert_int_equal(f->len, sizeof big);
}

/* Layers and events have caps too; reaching one is an event. */
static void test_record_layer_and_event_caps(void **state)
{
	(void)state;
	tp_pkt *p = begin();
	while (p->nlayers < TP_MAX_PKT_LAYERS)
		assert_non_null(tp_layer_begin(p, &d_t, 0));
	assert_false(p->full);
	assert_null(tp_layer_begin(p, &d_t, 0));
	assert_true(p->full);
	assert_true(th_has_event(p, "_ws.record_full.layers"));
	p = begin();
	for (unsigned i = 0; i < TP_MAX_EVENTS + 10; i++)
		tp_add_event(p, &ev, i);
	assert_int_equal(p->nevents, TP_MAX_EVENTS);
	assert_ptr_equal(p->events[TP_MAX_EVENTS - 1].def, &tp_ev_record_full);
	/* an event on an earlier layer */
	p = begin();
	tp_layer_begin(p, &d_t, 0);
	tp_add_event_at(p, &ev, 0, 3);
	assert_int_equal(p->events[0].layer, 0);
	tp_add_event(p, &ev, 3);
	assert_int_equal(p->events[1].layer, 1);
}

static void test_record_lookups(void **state)
{
	(void)state;
	uint8_t b[64];
	size_t n = th_hex("ffffffffffff 020000009901 0806 0001", b, sizeof b);
	tp_pkt *p = th_dissect(1, b, n, n);
	assert_int_equal(tp_find_layer(p, "frame", 0), 0);
	assert_int_equal(tp_find_layer(p, "eth", 0), 1);
	assert_int_equal(tp_find_layer(p, "eth", 2), -1);
	uint64_t v;
	assert_true(tp_layer_uint(p, 1, "eth.type", &v));
	assert_int_equal(v, 0x0806);
	assert_false(tp_layer_uint(p, 0, "eth.type", &v));
	assert_null(tp_layer_find_abbrev(p, 9, "eth.type"));
	/* the typed lookups: by the definition the owner exports, by the
	 * dissector, and the same answers as by name */
	assert_ptr_equal(p->layers[1].d, &tp_diss_eth);
	v = 0;
	assert_true(tp_layer_u64(p, 1, tp_fd_eth_type, &v));
	assert_int_equal(v, 0x0806);
	assert_false(tp_layer_u64(p, 0, tp_fd_eth_type, &v));
	assert_false(tp_layer_u64(p, 9, tp_fd_eth_type, &v));
	assert_false(tp_layer_u64(p, 1, tp_fd_ip_proto, &v));
	const tp_field *src = tp_layer_find(p, 1, tp_fd_eth_src);
	assert_non_null(src);
	assert_ptr_equal(src, tp_layer_find_abbrev(p, 1, "eth.src"));
	assert_int_equal(src->vlen, 6);
	assert_int_equal(src->v.p[0], 0x02);
	assert_int_equal(src->v.p[5], 0x01);
	const tp_field *dst = tp_layer_find(p, 1, tp_fd_eth_dst);
	assert_non_null(dst);
	assert_int_equal(dst->v.p[0], 0xff);
	assert_int_equal(th_uint(p, "frame.len"), n);
	assert_int_equal(th_uint(p, "frame.cap_len"), n);
}

static void test_record_caplen_gt_len(void **state)
{
	(void)state;
	uint8_t b[20] = {0};
	tp_pkt *p = th_dissect(1, b, 20, 10);
	assert_true(th_has_event(p, "frame.cap_len_gt_len"));
	assert_int_equal(p->len, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_get_adds_only_on_success),
		cmocka_unit_test(test_record_nesting_levels),
		cmocka_unit_test(test_record_add_bits),
		cmocka_unit_test(test_record_time_ns),
		cmocka_unit_test(test_record_caps_never_grow),
		cmocka_unit_test(test_record_lookups),
		cmocka_unit_test(test_record_sources),
		cmocka_unit_test(test_record_long_values),
		cmocka_unit_test(test_record_layer_and_event_caps),
		cmocka_unit_test(test_record_caplen_gt_len),
	};
	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
