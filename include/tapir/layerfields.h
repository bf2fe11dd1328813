/* layerfields.h - the fields and dissectors a lower layer owns that
 * upper layers and outputs read back from the packet record.
 *
 * A reader finds a field by its definition (tp_layer_find,
 * tp_layer_u64), never by its abbreviation, and a layer by its
 * dissector (p->layers[i].d == &tp_diss_ip), never by its name.  Each
 * pointer below is defined in the file of the dissector that owns the
 * field, beside its field table.
 */
#ifndef TAPIR_LAYERFIELDS_H
#define TAPIR_LAYERFIELDS_H

#include "tapir/dissector.h"
#include "tapir/field.h"

extern const tp_dissector tp_diss_eth, tp_diss_llc, tp_diss_sll,
	tp_diss_ip, tp_diss_ipv6, tp_diss_tcp, tp_diss_udp, tp_diss_data;

/* dissectors/eth.c */
extern const tp_field_def *const tp_fd_eth_src, *const tp_fd_eth_dst,
	*const tp_fd_eth_type, *const tp_fd_llc_pid;
/* dissectors/sll.c */
extern const tp_field_def *const tp_fd_sll_hatype, *const tp_fd_sll_etype;
/* dissectors/ipv4.c */
extern const tp_field_def *const tp_fd_ip_proto, *const tp_fd_ip_len,
	*const tp_fd_ip_hdr_len;
/* dissectors/ipv6.c */
extern const tp_field_def *const tp_fd_ipv6_src, *const tp_fd_ipv6_dst,
	*const tp_fd_ipv6_plen, *const tp_fd_ipv6_opt_jumbo,
	*const tp_fd_ipv6_opt_homeaddr, *const tp_fd_ipv6_fraghdr,
	*const tp_fd_ipv6_routing, *const tp_fd_ipv6_routing_type,
	*const tp_fd_ipv6_routing_len, *const tp_fd_ipv6_routing_segleft,
	*const tp_fd_ipv6_routing_src_addr,
	*const tp_fd_ipv6_routing_mipv6_home,
	*const tp_fd_ipv6_routing_rpl_full,
	*const tp_fd_ipv6_routing_srh_addr;
/* dissectors/tcp.c, dissectors/udp.c */
extern const tp_field_def *const tp_fd_tcp_srcport, *const tp_fd_tcp_dstport,
	*const tp_fd_tcp_stream;
extern const tp_field_def *const tp_fd_udp_srcport, *const tp_fd_udp_dstport,
	*const tp_fd_udp_stream;
/* dissectors/tcp_print.c: the dissector whose seg_summarize printed the
 * payload of the TCP segment at layer `li` on the line (TP_TAB_TCP_TEXT,
 * by its ports), or NULL. */
const tp_dissector *tp_tcp_seg_printer(const tp_pkt *p, unsigned li);
/* src/core/pipeline.c */
extern const tp_field_def *const tp_fd_data_data;

#endif
