/* test_registry.c - key lookup, decode-as, the layer-depth cap. */
#include <string.h>

#include "helpers.h"
#include "tapir/limits.h"
#include "tapir/registry.h"

static void test_registry_lookup(void **state)
{
	(void)state;
	tp_registry_init();
	tp_registry_init(); /* idempotent */
	const tp_dissector *d =
		tp_registry_lookup(tp_next_key(TP_TAB_LINKTYPE, 1));
	assert_non_null(d);
	assert_string_equal(d->name, "eth");
	d = tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, 0x0800));
	assert_non_null(d);
	assert_string_equal(d->name, "ip");
	d = tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, 0x86dd));
	assert_non_null(d);
	assert_string_equal(d->name, "ipv6");
	assert_null(tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, 0x1234)));
	assert_null(tp_registry_lookup(TP_STOP));
	assert_non_null(tp_registry_by_name("tcp"));
	assert_null(tp_registry_by_name("nope"));
}

static void test_registry_field_index(void **state)
{
	(void)state;
	const tp_field_def *f = tp_registry_field("eth.src");
	assert_non_null(f);
	assert_int_equal(f->type, TP_FT_ETHER);
	assert_null(tp_registry_field("eth.nope"));
	assert_non_null(tp_registry_field("frame.number"));
	/* every abbreviation is unique and well formed (a dissector may
	 * carry another protocol's fields, as ipv6.c does for AH/ESP) */
	for (size_t i = 0; i < tp_registry_count(); i++) {
		const tp_dissector *d = tp_registry_get(i);
		for (size_t j = 0; j < d->nfields; j++) {
			const char *a = d->fields[j].abbrev;
			assert_ptr_equal(tp_registry_field(a), &d->fields[j]);
			assert_non_null(strchr(a, '.'));
			assert_non_null(d->fields[j].name);
		}
	}
}

static void test_registry_decode_as(void **state)
{
	(void)state;
	char err[256];
	/* looked up (and cached) before the rule: the rule still wins */
	assert_null(tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, 0x1234)));
	assert_int_equal(tp_registry_decode_as("ethertype==0x1234,arp", err,
					       sizeof err),
			 0);
	const tp_dissector *d =
		tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, 0x1234));
	assert_non_null(d);
	assert_string_equal(d->name, "arp");
	/* ports: a range, and the lower port is tried first */
	assert_int_equal(tp_registry_decode_as("udp.port==5000-5002,data", err,
					       sizeof err),
			 0);
	tp_next n = {TP_TAB_UDP_PORT, 40000, 5001};
	assert_string_equal(tp_registry_lookup(n)->name, "data");
	assert_int_equal(tp_registry_decode_as("udp.port=5000,data", err,
					       sizeof err),
			 -1);
	assert_int_equal(tp_registry_decode_as("foo.port==1,data", err,
					       sizeof err),
			 -1);
	assert_int_equal(tp_registry_decode_as("tcp.port==70000,data", err,
					       sizeof err),
			 -1);
	assert_int_equal(tp_registry_decode_as("tcp.port==1,nope", err,
					       sizeof err),
			 -1);
	assert_non_null(strstr(err, "nope"));
	assert_int_equal(tp_registry_decode_as("tcp.port==9-1,data", err,
					       sizeof err),
			 -1);
	/* the whole port range, then a later rule for one port wins */
	assert_int_equal(tp_registry_decode_as("tcp.port==0-65535,data", err,
					       sizeof err),
			 0);
	assert_int_equal(tp_registry_decode_as("tcp.port==80,arp", err,
					       sizeof err),
			 0);
	tp_next t = {TP_TAB_TCP_PORT, 80, 40000};
	assert_string_equal(tp_registry_lookup(t)->name, "arp");
	t.key = 81;
	assert_string_equal(tp_registry_lookup(t)->name, "data");
	tp_registry_clear_overrides();
	assert_null(tp_registry_lookup(tp_next_key(TP_TAB_ETHERTYPE, 0x1234)));
}

/* A frame that loops back into itself through decode-as stops at the
 * layer cap with an event, and never recurses for ever. */
static void test_registry_depth_cap(void **state)
{
	(void)state;
	char err[256];
	/* LLC with SNAP pid 0x1234, decoded again as LLC: every 8 bytes one
	 * more layer, 400 bytes deep */
	assert_int_equal(tp_registry_decode_as("ethertype==0x1234,llc", err,
					       sizeof err),
			 0);
	uint8_t b[14 + 8 * 50];
	memset(b, 0, sizeof b);
	b[12] = 0x12;
	b[13] = 0x34;
	for (size_t i = 14; i + 8 <= sizeof b; i += 8)
		memcpy(b + i, "\xaa\xaa\x03\x00\x00\x00\x12\x34", 8);
	tp_pkt *p = th_dissect(1, b, sizeof b, sizeof b);
	assert_int_equal(p->nlayers, TP_MAX_LAYERS);
	assert_true(th_has_event(p, "_ws.too_many_layers"));
	tp_registry_clear_overrides();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_lookup),
		cmocka_unit_test(test_registry_field_index),
		cmocka_unit_test(test_registry_decode_as),
		cmocka_unit_test(test_registry_depth_cap),
	};
	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
