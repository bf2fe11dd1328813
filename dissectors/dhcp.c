/* dhcp.c - BOOTP and DHCPv4 over UDP ports 67 and 68: the fixed header,
 * the magic cookie, the option walk (with option overload into sname
 * and file), tshark's Info column and the exchange table.
 *
 * RFC 951 (BOOTP), RFC 2131 (DHCP: the header, the cookie, 4.1 the
 * option areas and their order under overload), RFC 2132 (the options),
 * RFC 4388 (lease query message types).  Each option's value is decoded
 * in dhcp_opts.c, tcpdump's text is in dhcp_print.c.
 *
 * The exchange (DORA) table is tapir's own (Wireshark has none): with a
 * session, every message is entered by transaction id and client
 * hardware address, so an answer (OFFER, ACK, NAK), which comes on
 * another UDP flow than its request (0.0.0.0:68 -> 255.255.255.255:67
 * one way, the server's address to the offered one the other), finds
 * the request it answers.  The run reads each packet once, so the pairing
 * is written on the answer (dhcp.tapir.request_in, dhcp.tapir.time),
 * and on a request sent again while the previous one is unanswered
 * (dhcp.tapir.unanswered_in: a DISCOVER no server offered to).  The
 * table is capped (DHCP_XTAB entries, the oldest replaced).
 */
#include <stdlib.h>
#include <string.h>

#include "dhcp_int.h"
#include "tapir/registry.h"

static const tp_valstr op_vals[] = {
	{1, "Boot Request"}, {2, "Boot Reply"}, {0, NULL}};

/* ARP hardware types (IANA), as Wireshark names the common ones. */
static const tp_valstr hw_vals[] = {
	{1, "Ethernet"},	{6, "IEEE 802 Networks"}, {7, "ARCNET"},
	{15, "Frame Relay"},	{16, "ATM"},		   {20, "Serial Line"},
	{24, "IEEE 1394.1995"}, {32, "InfiniBand"},	   {0, NULL}};

static const tp_valstr overload_vals[] = {
	{1, "Boot file name holds options"},
	{2, "Server host name holds options"},
	{3, "Boot file and server host names hold options"},
	{0, NULL}};

static const tp_valstr nb_node_vals[] = {
	{1, "B-node"}, {2, "P-node"}, {4, "M-node"}, {8, "H-node"}, {0, NULL}};

static const tp_valstr arch_vals[] = {
	{0, "IA x86 PC"},     {1, "NEC/PC98"},	  {2, "EFI Itanium"},
	{3, "DEC Alpha"},     {4, "Arc x86"},	  {5, "Intel Lean Client"},
	{6, "EFI IA32"},      {7, "EFI BC"},	  {8, "EFI Xscale"},
	{9, "EFI x86-64"},    {10, "ARM 32-bit UEFI"}, {11, "ARM 64-bit UEFI"},
	{0, NULL}};

static const tp_valstr agent_vals[] = {
	{0, "Padding"},
	{1, "Agent Circuit ID"},
	{2, "Agent Remote ID"},
	{3, "Reserved"},
	{4, "DOCSIS Device Class"},
	{5, "Link selection"},
	{6, "Subscriber ID"},
	{7, "RADIUS Attributes"},
	{8, "Authentication"},
	{9, "Vendor-Specific Information"},
	{10, "Flags"},
	{11, "Server ID Override"},
	{12, "Relay Agent Identifier"},
	{150, "Link selection (Cisco proprietary)"},
	{151, "VRF name/VPN ID"},
	{152, "Server ID Override (Cisco proprietary)"},
	{255, "End"},
	{0, NULL}};

static const tp_valstr pxe_vals[] = {
	{0, "Padding"},
	{1, "PXE mtftp IP"},
	{2, "PXE mtftp client port"},
	{3, "PXE mtftp server port"},
	{4, "PXE mtftp timeout"},
	{5, "PXE mtftp delay"},
	{6, "PXE discovery control"},
	{7, "PXE multicast address"},
	{8, "PXE boot servers"},
	{9, "PXE boot menu"},
	{10, "PXE menu prompt"},
	{11, "PXE multicast address alloc"},
	{12, "PXE credential types"},
	{71, "PXE boot item"},
	{255, "PXE end"},
	{0, NULL}};

#define IP(a, b)                                                             \
	{ a, b, TP_FT_IPv4, TP_BASE_NONE, NULL, 0 }
#define STR(a, b)                                                            \
	{ a, b, TP_FT_STRING, TP_BASE_NONE, NULL, 0 }
#define BYTES(a, b)                                                          \
	{ a, b, TP_FT_BYTES, TP_BASE_NONE, NULL, 0 }
#define UINT(a, b, t, base, v)                                               \
	{ a, b, t, base, v, 0 }

const tp_field_def dhcp_fields[F_COUNT] = {
	[F_TYPE] = UINT("dhcp.type", "Message type", TP_FT_UINT8, TP_BASE_DEC,
			op_vals),
	[F_HW_TYPE] = UINT("dhcp.hw.type", "Hardware type", TP_FT_UINT8,
			   TP_BASE_HEX, hw_vals),
	[F_HW_LEN] = UINT("dhcp.hw.len", "Hardware address length",
			  TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_HOPS] = UINT("dhcp.hops", "Hops", TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_ID] = UINT("dhcp.id", "Transaction ID", TP_FT_UINT32, TP_BASE_HEX,
		      NULL),
	[F_SECS] = UINT("dhcp.secs", "Seconds elapsed", TP_FT_UINT16,
			TP_BASE_DEC, NULL),
	[F_FLAGS] = UINT("dhcp.flags", "Bootp flags", TP_FT_UINT16,
			 TP_BASE_HEX, NULL),
	[F_FLAGS_BC] = {"dhcp.flags.bc", "Broadcast flag", TP_FT_BOOLEAN, 16,
			NULL, 0x8000},
	[F_FLAGS_RES] = {"dhcp.flags.reserved", "Reserved flags",
			 TP_FT_UINT16, TP_BASE_HEX, NULL, 0x7fff},
	[F_IP_CLIENT] = IP("dhcp.ip.client", "Client IP address"),
	[F_IP_YOUR] = IP("dhcp.ip.your", "Your (client) IP address"),
	[F_IP_SERVER] = IP("dhcp.ip.server", "Next server IP address"),
	[F_IP_RELAY] = IP("dhcp.ip.relay", "Relay agent IP address"),
	[F_HW_MAC] = {"dhcp.hw.mac_addr", "Client MAC address", TP_FT_ETHER,
		      TP_BASE_NONE, NULL, 0},
	[F_HW_ADDR] = BYTES("dhcp.hw.addr", "Client hardware address"),
	[F_HW_PAD] = BYTES("dhcp.hw.addr_padding",
			   "Client hardware address padding"),
	[F_SERVER] = STR("dhcp.server", "Server host name"),
	[F_FILE] = STR("dhcp.file", "Boot file name"),
	[F_COOKIE] = IP("dhcp.cookie", "Magic cookie"),
	[F_BOOTP_VENDOR] = BYTES("dhcp.vendor_specific_options",
				 "Bootp vendor specific options"),
	[F_OPT_TYPE] = UINT("dhcp.option.type", "Option", TP_FT_UINT8,
			    TP_BASE_DEC, dhcp_option_names),
	[F_OPT_LEN] = UINT("dhcp.option.length", "Length", TP_FT_UINT8,
			   TP_BASE_DEC, NULL),
	[F_OPT_VALUE] = BYTES("dhcp.option.value", "Value"),
	[F_OPT_PADDING] = BYTES("dhcp.option.padding", "Padding"),
	[F_OPT_END] = UINT("dhcp.option.end", "Option End", TP_FT_UINT8,
			   TP_BASE_DEC, NULL),
	[F_SUBNET_MASK] = IP("dhcp.option.subnet_mask", "Subnet Mask"),
	[F_TIME_OFFSET] = UINT("dhcp.option.time_offset", "Time Offset",
			       TP_FT_INT32, TP_BASE_DEC, NULL),
	[F_ROUTER] = IP("dhcp.option.router", "Router"),
	[F_TIME_SERVER] = IP("dhcp.option.time_server", "Time Server"),
	[F_NAME_SERVER] = IP("dhcp.option.name_server", "Name Server"),
	[F_DNS] = IP("dhcp.option.domain_name_server", "Domain Name Server"),
	[F_LOG_SERVER] = IP("dhcp.option.log_server", "Log Server"),
	[F_HOSTNAME] = STR("dhcp.option.hostname", "Host Name"),
	[F_BOOT_FILE_SIZE] = UINT("dhcp.option.boot_file_size",
				  "Boot File Size", TP_FT_UINT16, TP_BASE_DEC,
				  NULL),
	[F_DOMAIN_NAME] = STR("dhcp.option.domain_name", "Domain Name"),
	[F_ROOT_PATH] = STR("dhcp.option.root_path", "Root Path"),
	[F_IP_FORWARDING] = {"dhcp.option.ip_forwarding", "IP Forwarding",
			     TP_FT_BOOLEAN, 8, NULL, 0},
	[F_DEFAULT_TTL] = UINT("dhcp.option.default_ip_ttl",
			       "Default IP Time-to-Live", TP_FT_UINT8,
			       TP_BASE_DEC, NULL),
	[F_MTU] = UINT("dhcp.option.interface_mtu", "Interface MTU",
		       TP_FT_UINT16, TP_BASE_DEC, NULL),
	[F_BROADCAST] = IP("dhcp.option.broadcast_address", "Broadcast Address"),
	[F_STATIC_ROUTE_IP] = IP("dhcp.option.static_route.ip", "Destination IP Address"),
	[F_STATIC_ROUTE_ROUTER] = IP("dhcp.option.static_route.router", "Destination Router"),
	[F_NIS_DOMAIN] = STR("dhcp.option.nis_domain",
			     "Network Information Service Domain"),
	[F_NIS_SERVER] = IP("dhcp.option.nis_server", "Network Information Service Server"),
	[F_NTP] = IP("dhcp.option.ntp_server", "Network Time Protocol Server"),
	[F_NBNS] = IP("dhcp.option.netbios_over_tcpip_name_server", "NetBIOS over TCP/IP Name Server"),
	[F_NB_NODE] = UINT("dhcp.option.netbios_over_tcpip_node_type",
			   "NetBIOS over TCP/IP Node Type", TP_FT_UINT8,
			   TP_BASE_DEC, nb_node_vals),
	[F_REQ_IP] = IP("dhcp.option.requested_ip_address", "Requested IP Address"),
	[F_LEASE] = UINT("dhcp.option.ip_address_lease_time",
			 "IP Address Lease Time", TP_FT_UINT32, TP_BASE_DEC,
			 NULL),
	[F_OVERLOAD] = UINT("dhcp.option.option_overload", "Option Overload",
			    TP_FT_UINT8, TP_BASE_DEC, overload_vals),
	[F_MSGTYPE] = UINT("dhcp.option.dhcp", "DHCP", TP_FT_UINT8,
			   TP_BASE_DEC, dhcp_msgtype_names),
	[F_SERVER_ID] = IP("dhcp.option.dhcp_server_id", "DHCP Server Identifier"),
	[F_PRL_ITEM] = UINT("dhcp.option.request_list_item",
			    "Parameter Request List Item", TP_FT_UINT8,
			    TP_BASE_DEC, dhcp_option_names),
	[F_MESSAGE] = STR("dhcp.option.message", "Message"),
	[F_MAX_SIZE] = UINT("dhcp.option.dhcp_max_message_size",
			    "Maximum DHCP Message Size", TP_FT_UINT16,
			    TP_BASE_DEC, NULL),
	[F_RENEWAL] = UINT("dhcp.option.renewal_time_value",
			   "Renewal Time Value", TP_FT_UINT32, TP_BASE_DEC,
			   NULL),
	[F_REBIND] = UINT("dhcp.option.rebinding_time_value",
			  "Rebinding Time Value", TP_FT_UINT32, TP_BASE_DEC,
			  NULL),
	[F_VENDOR_CLASS] = STR("dhcp.option.vendor_class_id",
			       "Vendor class identifier"),
	[F_CID_TYPE] = UINT("dhcp.client_id.type", "Type", TP_FT_UINT8,
			    TP_BASE_DEC, NULL),
	[F_CID] = BYTES("dhcp.client_id", "Identifier"),
	[F_CID_UNDEF] = STR("dhcp.client_id.undef", "Client Identifier"),
	[F_CID_HWADDR] = STR("dhcp.client_hardware_address",
			     "Client hardware address"),
	[F_TFTP] = STR("dhcp.option.tftp_server_name", "TFTP Server Name"),
	[F_BOOTFILE] = STR("dhcp.option.bootfile_name", "Bootfile name"),
	[F_UC] = UINT("dhcp.option.user_class", "Instance of User Class",
		      TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_UC_LEN] = UINT("dhcp.option.user_class.length",
			  "User Class Length", TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_UC_DATA] = BYTES("dhcp.option.user_class.data", "User Class Data"),
	[F_FQDN_FLAGS] = UINT("dhcp.fqdn.flags", "Flags", TP_FT_UINT8,
			      TP_BASE_HEX, NULL),
	[F_FQDN_MBZ] = {"dhcp.fqdn.mbz", "Reserved flags", TP_FT_UINT8,
			TP_BASE_HEX, NULL, 0xf0},
	[F_FQDN_N] = {"dhcp.fqdn.n", "Server DDNS", TP_FT_BOOLEAN, 8, NULL,
		      0x08},
	[F_FQDN_E] = {"dhcp.fqdn.e", "Encoding", TP_FT_BOOLEAN, 8, NULL,
		      0x04},
	[F_FQDN_O] = {"dhcp.fqdn.o", "Server overrides", TP_FT_BOOLEAN, 8,
		      NULL, 0x02},
	[F_FQDN_S] = {"dhcp.fqdn.s", "Server", TP_FT_BOOLEAN, 8, NULL, 0x01},
	[F_FQDN_RCODE1] = UINT("dhcp.fqdn.rcode1", "A-RR result", TP_FT_UINT8,
			       TP_BASE_DEC, NULL),
	[F_FQDN_RCODE2] = UINT("dhcp.fqdn.rcode2", "PTR-RR result",
			       TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_FQDN_NAME] = STR("dhcp.fqdn.name", "Client name"),
	[F_AGENT_SUB] = UINT("dhcp.option.agent_information_option.suboption",
			     "Option 82 Suboption", TP_FT_UINT8, TP_BASE_DEC,
			     agent_vals),
	[F_SUB_LEN] = UINT("dhcp.option.suboption_length", "Length",
			   TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_AGENT_VALUE] = BYTES("dhcp.option.agent_information_option.value",
				"Value"),
	[F_AGENT_CIRCUIT] =
		BYTES("dhcp.option.agent_information_option.agent_circuit_id",
		      "Agent Circuit ID"),
	[F_AGENT_REMOTE] =
		BYTES("dhcp.option.agent_information_option.agent_remote_id",
		      "Agent Remote ID"),
	[F_AGENT_LINK] =
		IP("dhcp.option.agent_information_option.link_selection", "Link selection"),
	[F_AGENT_SUBSCRIBER] =
		STR("dhcp.option.agent_information_option.subscriber_id",
		    "Subscriber ID"),
	[F_AGENT_SERVER_ID] =
		IP("dhcp.option.agent_information_option.server_id_override", "Server ID Override"),
	[F_ARCH] = UINT("dhcp.option.client_system_architecture",
			"Client System Architecture", TP_FT_UINT16,
			TP_BASE_DEC, arch_vals),
	[F_NDI_MAJOR] = UINT("dhcp.client_network_id_major", "Major Version",
			     TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_NDI_MINOR] = UINT("dhcp.client_network_id_minor", "Minor Version",
			     TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_UUID] = BYTES("dhcp.client_id.uuid", "Client Identifier (UUID)"),
	[F_AUTOCONF] = UINT("dhcp.option.dhcp_auto_configuration",
			    "DHCP Auto-Configuration", TP_FT_UINT8,
			    TP_BASE_DEC, NULL),
	[F_SEARCH_FQDN] =
		STR("dhcp.option.dhcp_dns_domain_search_list_fqdn", "FQDN"),
	[F_CLASSLESS] = BYTES("dhcp.option.classless_static_route",
			      "Subnet/MaskWidth-Router"),
	[F_PROXY] = STR("dhcp.option.private_proxy_autodiscovery",
			"Private/Proxy autodiscovery"),
	[F_TFTP_ADDR] = IP("dhcp.option.tftp_server_address", "TFTP Server Address"),
	[F_MUDURL] = STR("dhcp.option.mudurl", "MUDURL"),
	[F_VENDOR_VALUE] = BYTES("dhcp.option.vendor.value", "Value"),
	[F_PXE_SUB] = UINT("dhcp.option.vendor.pxeclient.suboption",
			   "Option 43 Suboption", TP_FT_UINT8, TP_BASE_DEC,
			   pxe_vals),
	[F_PXE_PAD] = UINT("dhcp.option.vendor.pxeclient.padding", "Padding",
			   TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_PXE_MTFTP_IP] = IP("dhcp.option.vendor.pxeclient.mtftp_ip", "mtftp IP"),
	[F_PXE_MTFTP_CPORT] =
		UINT("dhcp.option.vendor.pxeclient.mtftp_client_port",
		     "mtftp client port", TP_FT_UINT16, TP_BASE_DEC, NULL),
	[F_PXE_MTFTP_SPORT] =
		UINT("dhcp.option.vendor.pxeclient.mtftp_server_port",
		     "mtftp server port", TP_FT_UINT16, TP_BASE_DEC, NULL),
	[F_PXE_MTFTP_TMOUT] =
		UINT("dhcp.option.vendor.pxeclient.mtftp_timeout",
		     "mtftp timeout", TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_PXE_MTFTP_DELAY] = UINT("dhcp.option.vendor.pxeclient.mtftp_delay",
				   "mtftp delay", TP_FT_UINT8, TP_BASE_DEC,
				   NULL),
	[F_PXE_DISC] = UINT("dhcp.option.vendor.pxeclient.discovery_control",
			    "discovery control", TP_FT_UINT8, TP_BASE_HEX,
			    NULL),
	[F_PXE_MCAST] = IP("dhcp.option.vendor.pxeclient.multicast_address", "multicast address"),
	[F_PXE_SERVERS] = BYTES("dhcp.option.vendor.pxeclient.boot_servers",
				"boot servers"),
	[F_PXE_SERVERS_TYPE] =
		UINT("dhcp.option.vendor.pxeclient.boot_servers.type", "Type",
		     TP_FT_UINT16, TP_BASE_DEC, NULL),
	[F_PXE_SERVERS_COUNT] =
		UINT("dhcp.option.vendor.pxeclient.boot_servers.count",
		     "IP count", TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_PXE_SERVERS_IP] =
		IP("dhcp.option.vendor.pxeclient.boot_servers.ip", "IP"),
	[F_PXE_MENU] = BYTES("dhcp.option.vendor.pxeclient.boot_menu",
			     "boot menu"),
	[F_PXE_MENU_TYPE] = UINT("dhcp.option.vendor.pxeclient.boot_menu.type",
				 "Type", TP_FT_UINT16, TP_BASE_DEC, NULL),
	[F_PXE_MENU_LEN] =
		UINT("dhcp.option.vendor.pxeclient.boot_menu.length",
		     "Length", TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_PXE_MENU_DESC] =
		STR("dhcp.option.vendor.pxeclient.boot_menu.desc",
		    "Description"),
	[F_PXE_PROMPT] = BYTES("dhcp.option.vendor.pxeclient.menu_prompt",
			       "menu prompt"),
	[F_PXE_PROMPT_TMOUT] =
		UINT("dhcp.option.vendor.pxeclient.menu_prompt.timeout",
		     "Timeout", TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_PXE_PROMPT_TEXT] =
		STR("dhcp.option.vendor.pxeclient.menu_prompt.prompt",
		    "Prompt"),
	[F_PXE_ITEM] = BYTES("dhcp.option.vendor.pxeclient.boot_item",
			     "boot item"),
	[F_PXE_ITEM_TYPE] = UINT("dhcp.option.vendor.pxeclient.boot_item.type",
				 "Type", TP_FT_UINT16, TP_BASE_DEC, NULL),
	[F_PXE_ITEM_LAYER] =
		BYTES("dhcp.option.vendor.pxeclient.boot_item.layer", "Layer"),
	[F_PXE_END] = UINT("dhcp.option.vendor.pxeclient.end",
			   "PXE Client End", TP_FT_UINT8, TP_BASE_DEC, NULL),
	[F_T_REQUEST_IN] = {"dhcp.tapir.request_in",
			    "Answers the request in frame (tapir)",
			    TP_FT_FRAMENUM, TP_BASE_NONE, NULL, 0},
	[F_T_TIME] = {"dhcp.tapir.time",
		      "Time since the request (tapir)", TP_FT_RELATIVE_TIME,
		      TP_BASE_NONE, NULL, 0},
	[F_T_REQUEST_TYPE] = UINT("dhcp.tapir.request_type",
				  "Message type of that request (tapir)",
				  TP_FT_UINT8, TP_BASE_DEC,
				  dhcp_msgtype_names),
	[F_T_UNANSWERED] = {"dhcp.tapir.unanswered_in",
			    "Sent again: unanswered request in frame (tapir)",
			    TP_FT_FRAMENUM, TP_BASE_NONE, NULL, 0},
};

const tp_event_def dhcp_events[E_COUNT] = {
	[E_NO_END] = {"dhcp.end_option_missing", TP_EV_WARN,
		      "End option missing"},
	[E_OPT_LEN] = {"dhcp.option.length.bad", TP_EV_MALFORMED,
		       "Option length runs past the end of the options"},
	[E_SUB_LEN] = {"dhcp.bad_length", TP_EV_WARN,
		       "Option or suboption length does not fit its value"},
	[E_NAME_LOOP] = {"dhcp.name.loop", TP_EV_MALFORMED,
			 "Name compression: too many pointers (a loop)"},
	[E_NAME_FORWARD] = {"dhcp.name.forward_pointer", TP_EV_MALFORMED,
			    "Name compression: a pointer that does not point "
			    "backwards"},
	[E_NAME_LONG] = {"dhcp.name.too_long", TP_EV_MALFORMED,
			 "Name longer than 255 bytes"},
	[E_ROUTE_MASK] = {"dhcp.option.classless_static.route", TP_EV_WARN,
			  "Mask width > 32"},
	[E_NAK] = {"dhcp.tapir.nak", TP_EV_NOTE,
		   "The server refused the request (DHCPNAK)"},
	[E_NO_OFFER] = {"dhcp.tapir.unanswered", TP_EV_NOTE,
			"Request sent again: the previous one got no answer"},
};

/* ---- the exchange table (tapir's, needs a session) ------------------- */

#define DHCP_XTAB 4096 /* transactions remembered; the oldest replaced */

typedef struct dhcp_xact {
	uint32_t xid;
	uint8_t chaddr[6];
	uint8_t type;     /* message type of the last request */
	uint8_t answered; /* that request got an answer */
	uint8_t used;
	uint64_t frame;   /* the last request */
	int64_t ts;       /* its time, ns */
	uint64_t age;     /* insertion order, for replacement */
} dhcp_xact;

typedef struct dhcp_sess {
	dhcp_xact t[DHCP_XTAB];
	uint64_t clock;
} dhcp_sess;

static void *dhcp_session_new(void) { return calloc(1, sizeof(dhcp_sess)); }
static void dhcp_session_free(void *s) { free(s); }

static uint32_t xhash(uint32_t xid, const uint8_t *mac)
{
	uint32_t h = xid * 2654435761u;
	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h;
}

/* The entry of (xid, chaddr), or the slot to put it in (a free one of
 * the probe window, else its oldest). */
#define XPROBE 8
static dhcp_xact *xfind(dhcp_sess *s, uint32_t xid, const uint8_t *mac,
			bool *found)
{
	uint32_t h = xhash(xid, mac);
	dhcp_xact *free_slot = NULL, *oldest = NULL;
	for (unsigned i = 0; i < XPROBE; i++) {
		dhcp_xact *e = &s->t[(h + i) % DHCP_XTAB];
		if (e->used && e->xid == xid && !memcmp(e->chaddr, mac, 6)) {
			*found = true;
			return e;
		}
		if (!e->used && !free_slot)
			free_slot = e;
		if (!oldest || e->age < oldest->age)
			oldest = e;
	}
	*found = false;
	return free_slot ? free_slot : oldest;
}

static bool is_request(uint8_t t)
{
	return t == DHCP_DISCOVER || t == DHCP_REQUEST || t == DHCP_INFORM;
}

static bool is_answer(uint8_t t)
{
	return t == DHCP_OFFER || t == DHCP_ACK || t == DHCP_NAK;
}

static void track(tp_pkt *p, size_t at, uint32_t xid, const uint8_t *mac,
		  uint8_t type)
{
	dhcp_sess *s = tp_app_session(p, &tp_diss_dhcp);
	if (!s || !mac)
		return;
	int64_t ts = tp_pkt_time_ns(p);
	bool found;
	dhcp_xact *e = xfind(s, xid, mac, &found);
	if (is_request(type)) {
		if (found && !e->answered && e->type == type &&
		    e->frame != p->number) {
			tp_add_uint(p, &dhcp_fields[F_T_UNANSWERED], at, 0,
				    e->frame);
			tp_add_event(p, &dhcp_events[E_NO_OFFER], at);
		}
		if (!found) {
			memset(e, 0, sizeof *e);
			e->xid = xid;
			memcpy(e->chaddr, mac, 6);
			e->used = 1;
		}
		e->type = type;
		e->answered = 0;
		e->frame = p->number;
		e->ts = ts;
		e->age = ++s->clock;
		return;
	}
	if (!is_answer(type) || !found || e->frame == p->number)
		return;
	tp_add_uint(p, &dhcp_fields[F_T_REQUEST_IN], at, 0, e->frame);
	tp_field *f = tp_field_append(p, &dhcp_fields[F_T_TIME], at, 0);
	if (f)
		f->v.i = (int64_t)((uint64_t)ts - (uint64_t)e->ts); /* wraps */
	tp_add_uint(p, &dhcp_fields[F_T_REQUEST_TYPE], at, 0, e->type);
	if (type == DHCP_NAK)
		tp_add_event(p, &dhcp_events[E_NAK], at);
	e->answered = 1;
}

/* ---- the option walk ------------------------------------------------- */

static void status_event(tp_pkt *p, const tp_cursor *c)
{
	if (c->status == TP_TRUNCATED)
		tp_add_event(p, &tp_ev_truncated, c->off);
	else if (c->status == TP_MALFORMED)
		tp_add_event(p, &dhcp_events[E_OPT_LEN], c->off);
}

/* First look (as Wireshark's first pass): the message type, the
 * overload and the vendor class, from the option area only. */
static void scan(tp_cursor c, dhcp_scan *sc)
{
	while (tp_has(&c, 1)) {
		uint8_t code = tp_u8(&c);
		if (code == 0)
			continue;
		if (code == 255 || !tp_has(&c, 1))
			return;
		uint8_t len = tp_u8(&c);
		if (!tp_has(&c, len))
			return;
		const uint8_t *v = tp_bytes(&c, len);
		if (code == 53 && len >= 1)
			sc->msgtype = v[0];
		else if (code == 52 && len >= 1)
			sc->overload = v[0];
		else if (code == 60 && len >= 9 && !memcmp(v, "PXEClient", 9))
			sc->pxe = true;
	}
}

static void walk(tp_pkt *p, tp_cursor *c, const dhcp_scan *sc,
		 const tp_cursor *sname, const tp_cursor *file, bool top);

/* Option 52: the areas it names hold options too (RFC 2131 4.1: file
 * first... Wireshark shows sname then file, under the option). */
static void overload(tp_pkt *p, uint8_t v, const dhcp_scan *sc,
		     const tp_cursor *sname, const tp_cursor *file)
{
	if ((v & 2) && sname) {
		tp_cursor a = *sname;
		walk(p, &a, sc, NULL, NULL, false);
	}
	if ((v & 1) && file) {
		tp_cursor a = *file;
		walk(p, &a, sc, NULL, NULL, false);
	}
}

static void walk(tp_pkt *p, tp_cursor *c, const dhcp_scan *sc,
		 const tp_cursor *sname, const tp_cursor *file, bool top)
{
	bool end = false;
	while (tp_has(c, 1)) {
		size_t at = c->off;
		uint8_t code = tp_u8(c);
		if (code == 0) {
			size_t n = 1;
			while (tp_peek(c, 0) == 0) {
				tp_skip(c, 1);
				n++;
			}
			tp_add_uint(p, &dhcp_fields[F_OPT_TYPE], at, n, 0);
			tp_push(p);
			tp_add_bytes(p, &dhcp_fields[F_OPT_PADDING], at, n,
				     c->base + at, n);
			tp_pop(p);
			continue;
		}
		if (code == 255) {
			/* tshark shows this option's type as 0 (its own
			 * slip); tapir keeps 255 */
			tp_add_uint(p, &dhcp_fields[F_OPT_TYPE], at, 1, 255);
			tp_push(p);
			tp_add_uint(p, &dhcp_fields[F_OPT_END], at, 1, 255);
			tp_pop(p);
			end = true;
			break;
		}
		uint8_t len = tp_u8(c);
		if (!tp_ok(c)) {
			status_event(p, c);
			return;
		}
		tp_cursor v = tp_sub(c, len);
		size_t vn = tp_avail(&v);
		tp_add_uint(p, &dhcp_fields[F_OPT_TYPE], at, 2u + vn, code);
		tp_push(p);
		tp_add_uint(p, &dhcp_fields[F_OPT_LEN], at + 1, 1, len);
		/* len 0 too: tshark shows an empty value (<MISSING>) */
		tp_add_bytes(p, &dhcp_fields[F_OPT_VALUE], at + 2, vn,
			     c->base + at + 2, vn);
		tp_cursor vv = v;
		dhcp_option_value(p, code, &vv, sc);
		if (code == 52 && vn >= 1 && top)
			overload(p, c->base[at + 2], sc, sname, file);
		tp_pop(p);
		if (!tp_ok(c)) { /* the length ran past the area */
			tp_add_event(p, &dhcp_events[E_OPT_LEN], at + 1);
			return;
		}
		if (vn < len) { /* the capture ends inside the value */
			tp_add_event(p, &tp_ev_truncated, at + 2 + vn);
			return;
		}
	}
	if (!end) {
		if (top && tp_ok(c) && !tp_avail(c) && !tp_reported(c))
			tp_add_event(p, &dhcp_events[E_NO_END], c->off);
		else if (!tp_ok(c) || tp_reported(c))
			tp_add_event(p, &tp_ev_truncated, c->off);
		return;
	}
	size_t rest = tp_avail(c);
	if (top && rest) /* after End: padding to the minimum size */
		tp_add_bytes(p, &dhcp_fields[F_OPT_PADDING], c->off, rest,
			     c->base + c->off, rest);
}

/* sname and file: a string up to its first NUL (tshark's value). */
static void add_zstring(tp_pkt *p, const tp_field_def *f, const uint8_t *b,
			size_t at, size_t n)
{
	const uint8_t *z = memchr(b, 0, n);
	tp_add_bytes(p, f, at, n, b, z ? (size_t)(z - b) : n);
}

static tp_next dhcp_dissect(tp_pkt *p, tp_cursor *parent)
{
	tp_cursor c = tp_rest(parent);
	size_t start = c.off;
	tp_get_u8(p, &c, &dhcp_fields[F_TYPE]);
	uint8_t htype = tp_get_u8(p, &c, &dhcp_fields[F_HW_TYPE]);
	uint8_t hlen = tp_get_u8(p, &c, &dhcp_fields[F_HW_LEN]);
	tp_get_u8(p, &c, &dhcp_fields[F_HOPS]);
	uint32_t xid = tp_get_be32(p, &c, &dhcp_fields[F_ID]);
	tp_get_be16(p, &c, &dhcp_fields[F_SECS]);
	size_t fl_at = c.off;
	uint16_t flags = tp_get_be16(p, &c, &dhcp_fields[F_FLAGS]);
	if (tp_ok(&c)) {
		tp_push(p);
		tp_add_uint(p, &dhcp_fields[F_FLAGS_BC], fl_at, 2,
			    flags >> 15);
		tp_add_uint(p, &dhcp_fields[F_FLAGS_RES], fl_at, 2,
			    flags & 0x7fff);
		tp_pop(p);
	}
	tp_get_bytes(p, &c, &dhcp_fields[F_IP_CLIENT], 4);
	tp_get_bytes(p, &c, &dhcp_fields[F_IP_YOUR], 4);
	tp_get_bytes(p, &c, &dhcp_fields[F_IP_SERVER], 4);
	tp_get_bytes(p, &c, &dhcp_fields[F_IP_RELAY], 4);
	const uint8_t *mac = NULL;
	if ((htype == 1 || htype == 6) && hlen == 6) { /* Ethernet, 802 */
		mac = tp_get_bytes(p, &c, &dhcp_fields[F_HW_MAC], 6);
		tp_get_bytes(p, &c, &dhcp_fields[F_HW_PAD], 10);
	} else {
		size_t n = hlen > 16 ? 16 : hlen;
		if (n)
			tp_get_bytes(p, &c, &dhcp_fields[F_HW_ADDR], n);
		if (n < 16)
			tp_get_bytes(p, &c, &dhcp_fields[F_HW_PAD], 16 - n);
	}
	if (!tp_ok(&c)) {
		status_event(p, &c);
		return TP_STOP;
	}
	/* sname and file: strings, or options under overload */
	tp_cursor sname = tp_sub(&c, 64);
	tp_cursor file = tp_sub(&c, 128);
	dhcp_scan sc = {0, 0, false};
	tp_cursor opts = c;
	bool dhcp = tp_has(&opts, 4) && tp_peek(&opts, 0) == 0x63 &&
		    tp_peek(&opts, 1) == 0x82 && tp_peek(&opts, 2) == 0x53 &&
		    tp_peek(&opts, 3) == 0x63;
	if (dhcp) {
		tp_skip(&opts, 4);
		scan(opts, &sc);
	}
	if (!(dhcp && (sc.overload & 2)) && tp_has(&sname, 64))
		add_zstring(p, &dhcp_fields[F_SERVER], sname.base + sname.off,
			    sname.off, 64);
	if (!(dhcp && (sc.overload & 1)) && tp_has(&file, 128))
		add_zstring(p, &dhcp_fields[F_FILE], file.base + file.off,
			    file.off, 128);
	if (!tp_has(&sname, 64) || !tp_has(&file, 128)) {
		/* cut by the capture, or a datagram shorter than BOOTP's */
		tp_add_event(p, tp_ok(&c) ? &tp_ev_truncated
					  : &tp_ev_malformed,
			     c.off);
		return TP_STOP;
	}
	if (!dhcp) {
		/* BOOTP: vendor data, RFC 951 (64 bytes, or what is there) */
		size_t n = tp_avail(&c);
		if (n)
			tp_get_bytes(p, &c, &dhcp_fields[F_BOOTP_VENDOR], n);
		if (tp_reported(&c)) /* cut by the capture */
			tp_add_event(p, &tp_ev_truncated, c.off);
		return TP_STOP;
	}
	tp_get_bytes(p, &c, &dhcp_fields[F_COOKIE], 4);
	walk(p, &c, &sc, &sname, &file, true);
	if (sc.msgtype && p->app_sess)
		track(p, start, xid, mac, sc.msgtype);
	return TP_STOP;
}

/* ---- tshark's Info column ------------------------------------------- */

static void dhcp_info(const tp_pkt *p, unsigned li, tp_sbuf *out)
{
	const tp_layer *l = &p->layers[li];
	const tp_field *type = NULL, *id = NULL, *op = NULL, *mac = NULL;
	for (uint32_t i = 0; i < l->nfields; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		if (f->def == &dhcp_fields[F_MSGTYPE])
			type = f; /* the last one, as tshark */
		else if (f->def == &dhcp_fields[F_ID])
			id = f;
		else if (f->def == &dhcp_fields[F_TYPE])
			op = f;
		else if (f->def == &dhcp_fields[F_HW_MAC] && !mac)
			mac = f;
	}
	if (type && id) {
		const char *n = tp_valstr_find(dhcp_msgtype_names,
					       (uint32_t)type->v.u);
		tp_sb_puts(out, "DHCP ");
		if (n) {
			size_t k = strlen(n);
			tp_sb_puts(out, n);
			for (; k < 8; k++) /* tshark's "%-8s" */
				tp_sb_putc(out, ' ');
		} else {
			tp_sb_puts(out, "Unknown Message Type (0x");
			tp_sb_hex(out, type->v.u, 2);
			tp_sb_putc(out, ')');
		}
		tp_sb_puts(out, " - Transaction ID 0x");
		tp_sb_hex(out, id->v.u, 1);
		return;
	}
	if (!op)
		return;
	if (op->v.u == 1) {
		tp_sb_puts(out, "Boot Request");
		if (mac && mac->vlen == 6) {
			tp_sb_puts(out, " from ");
			tp_sb_mac(out, mac->v.p);
			tp_sb_puts(out, " (");
			tp_sb_mac(out, mac->v.p);
			tp_sb_putc(out, ')');
		}
	} else if (op->v.u == 2) {
		tp_sb_puts(out, "Boot Reply");
	} else {
		tp_sb_puts(out, "Unknown BOOTP message type (");
		tp_sb_dec(out, op->v.u);
		tp_sb_putc(out, ')');
	}
}

/* tshark's Protocol column: BOOTP until option 53 makes it DHCP. */
static const char *dhcp_colname_of(const tp_pkt *p, unsigned li)
{
	return tp_layer_find(p, li, &dhcp_fields[F_MSGTYPE]) ? NULL : "BOOTP";
}

static const tp_key dhcp_keys[] = {{TP_TAB_UDP_PORT, DHCP_PORT_SERVER},
				   {TP_TAB_UDP_PORT, DHCP_PORT_CLIENT},
				   {0, 0}};

const tp_dissector tp_diss_dhcp = {
	.name = "dhcp",
	.longname = "Dynamic Host Configuration Protocol",
	.fields = dhcp_fields,
	.nfields = F_COUNT,
	.events = dhcp_events,
	.nevents = E_COUNT,
	.keys = dhcp_keys,
	.dissect = dhcp_dissect,
	.summarize = dhcp_summarize,
	.colname = "DHCP",
	.info = dhcp_info,
	.colname_of = dhcp_colname_of,
	.session_new = dhcp_session_new,
	.session_free = dhcp_session_free,
};
