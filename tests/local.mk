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
	tests/unit/test_out_json \
	tests/unit/test_printer \
	tests/unit/test_engine \
	tests/unit/test_readahead \
	tests/unit/test_stream \
	tests/unit/test_dns \
	tests/unit/test_dhcp \
	tests/unit/test_http \
	tests/unit/test_websocket \
	tests/unit/test_http_body \
	tests/unit/test_hpack \
	tests/unit/test_http2 \
	tests/unit/test_tls_fp \
	tests/unit/test_tls \
	tests/unit/test_report \
	tests/unit/test_x509 \
	tests/unit/test_filter

if HAVE_CMOCKA
noinst_LIBRARIES += tests/unit/libth.a
# The test programs' registry is src/core/registry.c built with TAPIR_TESTING
# (tp_registry_add_test), plus the toy stream protocol: never in tapir.
tests_unit_libth_a_SOURCES = tests/unit/helpers.c tests/unit/helpers.h \
	tests/unit/toy.c tests/unit/toy.h src/core/registry.c
tests_unit_libth_a_CPPFLAGS = $(AM_CPPFLAGS) -DTAPIR_TESTING
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
LDADD = tests/unit/libth.a $(TAPIR_LIBS) $(CMOCKA_LIBS)
endif

# One test script a line, so that branches adding tests do not clash.
TESTS += tests/golden/run.sh
TESTS += tests/live/run.sh
TESTS += tests/messy/run.sh
TESTS += tests/flood/run.sh
TESTS += tests/flood/dns.sh
TESTS += tests/flood/dhcp.sh
TESTS += tests/flood/http.sh
TESTS += tests/flood/websocket.sh
TESTS += tests/flood/http-bomb.sh
TESTS += tests/flood/http2.sh
TESTS += tests/tcpdump-lines.sh
TESTS += tests/compare-tcpdump-v.sh
TESTS += tests/follow-tshark.sh
TESTS += tests/export-owner.sh
TESTS += tests/export-objects.sh
TESTS += tests/threads/run.sh
TESTS += tests/corpus-v.sh
TESTS += tests/icmp6-crafted.sh
TESTS += tests/filter/compare-tshark.sh
TESTS += tests/json-lines.sh
TESTS_ENVIRONMENT = top_srcdir=$(top_srcdir) top_builddir=$(top_builddir); export top_srcdir top_builddir;
EXTRA_DIST += tests/golden/run.sh tests/golden/TESTLIST tests/live/run.sh
EXTRA_DIST += tests/filter/compare-tshark.sh tests/filter/EXPRS
EXTRA_DIST += tests/unit/data tests/compare-x509.py
EXTRA_DIST += tests/messy/run.sh tests/flood/gen.py tests/flood/run.sh
EXTRA_DIST += tests/compare-follow.py tests/compare-tshark.py
EXTRA_DIST += tests/compare-tcpdump.py tests/tcpdump-lines.sh
EXTRA_DIST += tests/compare-tcpdump-v.sh pcaps/ts-invalid.py
EXTRA_DIST += tests/follow-tshark.sh tests/export-owner.sh tests/export-objects.sh
EXTRA_DIST += pcaps/relay.py pcaps/make-messy.sh
EXTRA_DIST += tests/threads/run.sh
EXTRA_DIST += tests/json-lines.sh
EXTRA_DIST += tests/corpus-v.sh tests/golden/CORPUS-V pcaps/icmp-crafted.py
EXTRA_DIST += tests/icmp6-crafted.sh tests/golden/icmp6-crafted.py tests/golden/icmp6-crafted.pcap
EXTRA_DIST += bench/gen-big.py bench/reasm-rss.sh
EXTRA_DIST += tests/flood/dns.sh tests/flood/dns-gen.py tests/compare-dns-tshark.py pcaps/make-dns-captures.sh \
	pcaps/make-http-captures.sh tests/compare-http-tshark.py

include tests/fuzz/local.mk
EXTRA_DIST += tests/flood/prelude.sh tests/flood/dhcp.sh tests/flood/dhcp-gen.py tests/dhcp-crafted.py tests/compare-dhcp-tshark.py pcaps/make-dhcp-captures.sh
EXTRA_DIST += tests/flood/http.sh tests/flood/http-gen.py
EXTRA_DIST += tests/flood/websocket.sh tests/flood/websocket-gen.py pcaps/ws-echo.py tests/fuzz/dict/fuzz_websocket.dict \
	tests/fuzz/dict/fuzz_hpack.dict
EXTRA_DIST += tests/flood/http-bomb.sh tests/flood/http-bomb-gen.py
EXTRA_DIST += tests/compare-hpack-nghttp2.py tests/compare-http2-nghttp.py
EXTRA_DIST += tests/compare-tls-tshark.py dissectors/gen-tls-names.py tests/tls-crafted.py \
	tests/fuzz/dict/fuzz_tls.dict
EXTRA_DIST += tests/flood/http2.sh tests/flood/http2-gen.py tests/fuzz/make-h2-seeds.py tests/fuzz/dict/fuzz_http2.dict tests/fuzz/dict/fuzz_stream.dict
