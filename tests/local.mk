# Tests: cmocka unit tests (one per module) and the golden tests.
AM_CFLAGS += $(CMOCKA_CFLAGS)

UNIT_TESTS = \
	tests/unit/test_cursor \
	tests/unit/test_record \
	tests/unit/test_registry \
	tests/unit/test_capfile \
	tests/unit/test_sbuf \
	tests/unit/test_eth \
	tests/unit/test_vlan \
	tests/unit/test_sll \
	tests/unit/test_null \
	tests/unit/test_raw \
	tests/unit/test_arp \
	tests/unit/test_ipv4 \
	tests/unit/test_icmp \
	tests/unit/test_ipv6 \
	tests/unit/test_icmp6 \
	tests/unit/test_udp \
	tests/unit/test_tcp \
	tests/unit/test_inet \
	tests/unit/test_writer \
	tests/unit/test_sandbox \
	tests/unit/test_flow \
	tests/unit/test_reasm \
	tests/unit/test_ipfrag \
	tests/unit/test_stats \
	tests/unit/test_out_fields \
	tests/unit/test_printer

if HAVE_CMOCKA
noinst_LIBRARIES += tests/unit/libth.a
tests_unit_libth_a_SOURCES = tests/unit/helpers.c tests/unit/helpers.h
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
LDADD = tests/unit/libth.a $(TAPIR_LIBS) $(CMOCKA_LIBS)
endif

TESTS += tests/golden/run.sh tests/live/run.sh tests/messy/run.sh \
	tests/flood/run.sh tests/tcpdump-lines.sh tests/compare-tcpdump-v.sh \
	tests/icmp6-crafted.sh
TESTS_ENVIRONMENT = top_srcdir=$(top_srcdir) top_builddir=$(top_builddir); export top_srcdir top_builddir;
EXTRA_DIST += tests/golden/run.sh tests/golden/TESTLIST tests/live/run.sh \
	tests/messy/run.sh tests/flood/gen.py tests/flood/run.sh \
	tests/compare-follow.py tests/compare-tshark.py \
	tests/compare-tcpdump.py tests/tcpdump-lines.sh tests/compare-tcpdump-v.sh \
	pcaps/ts-invalid.py pcaps/relay.py pcaps/make-messy.sh \
	bench/gen-big.py bench/reasm-rss.sh tests/icmp6-crafted.sh \
	tests/golden/icmp6-crafted.py tests/golden/icmp6-crafted.pcap

include tests/fuzz/local.mk
