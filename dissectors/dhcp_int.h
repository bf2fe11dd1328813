/* dhcp_int.h - what dhcp.c (the fixed header, the option walk, the
 * descriptor, Info and the exchange table), dhcp_opts.c (each option's
 * value as fields) and dhcp_print.c (tcpdump's text) share.  Private to
 * the DHCP dissector. */
#ifndef TAPIR_DHCP_INT_H
#define TAPIR_DHCP_INT_H

#include "tapir/dissector.h"
#include "tapir/output.h"

#define DHCP_PORT_SERVER 67
#define DHCP_PORT_CLIENT 68
#define DHCP_FIXED 236         /* op .. file: the BOOTP header */
#define DHCP_COOKIE 0x63825363 /* RFC 2131 3: the options follow it */

/* Message types (option 53), RFC 2132 9.6, RFC 4388 6.1. */
enum {
	DHCP_DISCOVER = 1,
	DHCP_OFFER,
	DHCP_REQUEST,
	DHCP_DECLINE,
	DHCP_ACK,
	DHCP_NAK,
	DHCP_RELEASE,
	DHCP_INFORM,
};

/* The fields, in dhcp_fields[] (dhcp.c).  Wireshark's names, except
 * the dhcp.tapir.* ones of the exchange table, which Wireshark lacks. */
enum {
	/* the fixed header */
	F_TYPE, F_HW_TYPE, F_HW_LEN, F_HOPS, F_ID, F_SECS, F_FLAGS, F_FLAGS_BC,
	F_FLAGS_RES, F_IP_CLIENT, F_IP_YOUR, F_IP_SERVER, F_IP_RELAY,
	F_HW_MAC, F_HW_ADDR, F_HW_PAD, F_SERVER, F_FILE, F_COOKIE,
	F_BOOTP_VENDOR,
	/* every option */
	F_OPT_TYPE, F_OPT_LEN, F_OPT_VALUE, F_OPT_PADDING, F_OPT_END,
	/* option values */
	F_SUBNET_MASK, F_TIME_OFFSET, F_ROUTER, F_TIME_SERVER, F_NAME_SERVER,
	F_DNS, F_LOG_SERVER, F_HOSTNAME, F_BOOT_FILE_SIZE, F_DOMAIN_NAME,
	F_ROOT_PATH, F_IP_FORWARDING, F_DEFAULT_TTL, F_MTU, F_BROADCAST,
	F_STATIC_ROUTE_IP, F_STATIC_ROUTE_ROUTER, F_NIS_DOMAIN, F_NIS_SERVER,
	F_NTP, F_NBNS, F_NB_NODE, F_REQ_IP, F_LEASE, F_OVERLOAD, F_MSGTYPE,
	F_SERVER_ID, F_PRL_ITEM, F_MESSAGE, F_MAX_SIZE, F_RENEWAL, F_REBIND,
	F_VENDOR_CLASS, F_CID_TYPE, F_CID, F_CID_UNDEF, F_CID_HWADDR, F_TFTP,
	F_BOOTFILE, F_UC, F_UC_LEN, F_UC_DATA, F_FQDN_FLAGS, F_FQDN_MBZ,
	F_FQDN_N, F_FQDN_E, F_FQDN_O, F_FQDN_S, F_FQDN_RCODE1, F_FQDN_RCODE2,
	F_FQDN_NAME, F_AGENT_SUB, F_SUB_LEN, F_AGENT_VALUE, F_AGENT_CIRCUIT,
	F_AGENT_REMOTE, F_AGENT_LINK, F_AGENT_SUBSCRIBER, F_AGENT_SERVER_ID,
	F_ARCH, F_NDI_MAJOR, F_NDI_MINOR, F_UUID,
	F_AUTOCONF, F_SEARCH_FQDN, F_CLASSLESS, F_PROXY, F_TFTP_ADDR, F_MUDURL,
	F_VENDOR_VALUE, F_PXE_SUB, F_PXE_PAD, F_PXE_MTFTP_IP,
	F_PXE_MTFTP_CPORT, F_PXE_MTFTP_SPORT, F_PXE_MTFTP_TMOUT,
	F_PXE_MTFTP_DELAY, F_PXE_DISC, F_PXE_MCAST, F_PXE_SERVERS,
	F_PXE_SERVERS_TYPE, F_PXE_SERVERS_COUNT, F_PXE_SERVERS_IP,
	F_PXE_MENU, F_PXE_MENU_TYPE, F_PXE_MENU_LEN, F_PXE_MENU_DESC,
	F_PXE_PROMPT, F_PXE_PROMPT_TMOUT, F_PXE_PROMPT_TEXT, F_PXE_ITEM,
	F_PXE_ITEM_TYPE, F_PXE_ITEM_LAYER, F_PXE_END,
	/* tapir's: the exchange (DORA) table, dhcp.tapir.* */
	F_T_REQUEST_IN, F_T_TIME, F_T_REQUEST_TYPE, F_T_UNANSWERED,
	F_COUNT
};

extern const tp_field_def dhcp_fields[F_COUNT];

enum {
	E_NO_END, E_OPT_LEN, E_SUB_LEN, E_NAME_LOOP, E_NAME_FORWARD,
	E_NAME_LONG, E_ROUTE_MASK, E_NAK, E_NO_OFFER, E_COUNT
};
extern const tp_event_def dhcp_events[E_COUNT];

extern const tp_dissector tp_diss_dhcp;

/* What the option walk saw before decoding values (Wireshark also looks
 * first): the overload and the vendor class steer the decoding. */
typedef struct dhcp_scan {
	uint8_t msgtype;  /* option 53, 0 when none */
	uint8_t overload; /* option 52 */
	bool pxe;         /* option 60 starts "PXEClient" */
} dhcp_scan;

/* dhcp_opts.c: the value of option `code` (its `len` bytes at the
 * cursor `v`, a sub-cursor over them) as fields, under the option. */
void dhcp_option_value(tp_pkt *p, unsigned code, tp_cursor *v,
		       const dhcp_scan *sc);
/* The names of options (Wireshark's), for dhcp.option.type. */
extern const tp_valstr dhcp_option_names[];
extern const tp_valstr dhcp_msgtype_names[];

/* RFC 1035 4.1.4 names inside one buffer (option 119, an encoded
 * FQDN): the name at `off` as dotted text into `out` (at most `cap`
 * bytes).  Pointers must point backwards of the label that holds them
 * and at most DHCP_NAME_HOPS are followed: else false and *why is the
 * event (E_NAME_LOOP / E_NAME_FORWARD / E_NAME_LONG / E_SUB_LEN), and
 * *next is where the next name starts (after the first pointer or the
 * root label). */
#define DHCP_NAME_HOPS 64
bool dhcp_name(const uint8_t *b, size_t n, size_t off, char *out,
	       size_t cap, size_t *outlen, size_t *next, int *why);

/* dhcp_print.c: the one-line text (tcpdump's bootp_print). */
tp_sum dhcp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
		      const tp_outopts *o);

#endif
