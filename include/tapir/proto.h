/* proto.h - numbers and names shared by several dissectors. */
#ifndef TAPIR_PROTO_H
#define TAPIR_PROTO_H

#include "tapir/field.h"

enum {
	TP_ETH_IPV4 = 0x0800,
	TP_ETH_ARP = 0x0806,
	TP_ETH_RARP = 0x8035,
	TP_ETH_VLAN = 0x8100,
	TP_ETH_IPV6 = 0x86dd,
	TP_ETH_QINQ = 0x88a8,
	TP_ETH_QINQ_OLD = 0x9100,
};

/* A key no wire ethertype can have: 802.3 and Linux cooked frames that
 * carry 802.2 hand off to LLC with it. */
#define TP_KEY_LLC 0x10001u

enum {
	TP_IPPROTO_HOPOPTS = 0,
	TP_IPPROTO_ICMP = 1,
	TP_IPPROTO_IPIP = 4,
	TP_IPPROTO_TCP = 6,
	TP_IPPROTO_UDP = 17,
	TP_IPPROTO_IPV6 = 41,
	TP_IPPROTO_ROUTING = 43,
	TP_IPPROTO_FRAGMENT = 44,
	TP_IPPROTO_ESP = 50,
	TP_IPPROTO_AH = 51,
	TP_IPPROTO_ICMPV6 = 58,
	TP_IPPROTO_NONE = 59,
	TP_IPPROTO_DSTOPTS = 60,
};

/* Ethertype names as tcpdump prints them ("IPv4", "802.1Q-QinQ"). */
extern const tp_valstr tp_ethertype_vals[];
/* IP protocol numbers, names as Wireshark shows them ("TCP", "ICMPv6"). */
extern const tp_valstr tp_ipproto_vals[];
/* DSCP (RFC 2474, 3246, 8622) and ECN (RFC 3168) codepoints, shared by the
 * IPv4 DS field and the IPv6 traffic class. */
extern const tp_valstr tp_dscp_vals[];
extern const tp_valstr tp_ecn_vals[];

#endif
