# The dissectors: the only place a new dissector file is added to the
# build (and src/core/registry.c the only place it is listed).
src_libtapir_a_SOURCES += \
	include/tapir/proto.h \
	dissectors/names.c \
	dissectors/eth.c \
	dissectors/vlan.c \
	dissectors/sll.c \
	dissectors/null.c \
	dissectors/raw.c \
	dissectors/arp.c \
	dissectors/ipv4.c \
	dissectors/ipv6.c \
	dissectors/icmp.c \
	dissectors/icmp6.c \
	dissectors/udp.c \
	dissectors/tcp_int.h \
	dissectors/tcp.c \
	dissectors/tcp_analysis.c \
	dissectors/tcp_print.c \
	dissectors/dns_int.h dissectors/dns.c dissectors/dns_rr.c dissectors/dns_print.c \
	dissectors/dns_session.c \
	dissectors/dhcp_int.h \
	dissectors/dhcp.c \
	dissectors/dhcp_opts.c \
	dissectors/dhcp_print.c \
	dissectors/http_int.h dissectors/http.c dissectors/http_print.c \
	dissectors/http_stats.c \
	dissectors/nametab.h dissectors/nametab.c \
	dissectors/websocket.c \
	dissectors/http2.c \
	dissectors/http2_conn.c \
	dissectors/http2_int.h \
	dissectors/tls_int.h dissectors/tls.c dissectors/tls_names.c \
	dissectors/http_body.h dissectors/http_body.c \
	dissectors/hpack.h dissectors/hpack.c \
	dissectors/tls_fp.h dissectors/tls_fp.c dissectors/tls_conn.c \
	dissectors/x509.h dissectors/x509.c
